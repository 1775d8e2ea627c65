"""`boussole slack manifest`: the manifest to paste into Slack's *Create New App* page."""

from __future__ import annotations

import io
import json

import click
from ruamel.yaml import YAML

from adapters.console.common import LANG, fail, resolve_lang
from bot.i18n import t


@click.group()
def slack() -> None:
    """Slack : manifeste d'application / app manifest."""


@slack.command()
@click.option(
    "--url",
    metavar="URL",
    help="Adresse HTTPS publique du serveur (https://boussole.example.org) / the server's "
    "public HTTPS address.",
)
@click.option(
    "--socket-mode",
    is_flag=True,
    help="Socket Mode : aucune adresse publique / no public address.",
)
@click.option(
    "--command",
    "slash",
    envvar="BOUSSOLE_SLACK_COMMAND",
    default="/boussole",
    show_default=True,
    help="Commande à barre oblique / slash command (BOUSSOLE_SLACK_COMMAND).",
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["yaml", "json"]),
    default="yaml",
    show_default=True,
    help="Slack accepte les deux / Slack accepts both.",
)
@click.option("--lang", type=LANG, help="Langue des textes / language of the texts.")
def manifest(url: str | None, socket_mode: bool, slash: str, output: str, lang: str | None) -> None:
    """Écrire le manifeste de l'application Slack / print the Slack app manifest.

    Avec --url (HTTP) ou --socket-mode ; à coller dans api.slack.com/apps, « From a
    manifest ». / With --url (HTTP) or --socket-mode; paste it at api.slack.com/apps."""
    from adapters.slack.manifest import COMMAND_MAX, events_url
    from adapters.slack.manifest import manifest as build

    lang = resolve_lang(lang)
    if (url is None) == (not socket_mode):
        fail(t("slack_manifest_mode", lang))
    if url is not None and not url.startswith("https://"):
        fail(t("slack_manifest_https", lang, value=url))
    slash = slash.strip()
    if not slash.startswith("/") or " " in slash or not 2 <= len(slash) <= COMMAND_MAX:
        fail(t("slack_manifest_command_invalid", lang, value=slash, max=COMMAND_MAX))
    document = build(lang, slash, None if url is None else events_url(url))
    if output == "json":
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    yaml = YAML()
    yaml.default_flow_style = False
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    text = io.StringIO()
    yaml.dump(document, text)
    click.echo(text.getvalue(), nl=False)
