"""`boussole register …`: publish a finished, decided triage in the public algorithm register,
withdraw it, list the register, and write the register's static site.

Unlike `boussole flows publish`, publishing here checks a role: the operating-system account
is the actor `console:NAME`, which must be an admin (`boussole admins add console:NAME`) or a
reviewer of the triage's department, as in chat.
"""

from __future__ import annotations

from pathlib import Path

import click

from adapters.console.common import LANG, console_actor, fail, open_cli_app, resolve_lang
from adapters.console.listing import FORMAT_OPTION, Column, emit
from bot.i18n import t
from bot.register import RegisterRefused, current_entries, publish, unpublish
from bot.register_details import load_details
from bot.register_site import write_site
from flows.problems import FlowError


@click.group()
def register() -> None:
    """Registre public des algorithmes / public algorithm register."""


@register.command(name="publish")
@click.argument("triage_id", metavar="ID")
@click.option(
    "--details",
    "details_file",
    type=click.Path(path_type=Path),
    required=True,
    help="Fichier YAML des détails / YAML details file (docs/register.md).",
)
@click.option("--lang", type=LANG, help="Langue / language.")
def publish_command(triage_id: str, details_file: Path, lang: str | None) -> None:
    """Publier une analyse au registre / publish a triage in the register."""
    lang = resolve_lang(lang)
    try:
        details = load_details(details_file)
    except FlowError as error:
        problems = [p.render(lang) for p in error.problems]
        fail("\n".join([t("register_details_invalid", lang), *problems]))
    with open_cli_app(lang) as app:
        try:
            entry, replaced = publish(app, console_actor(), triage_id, details, lang)
        except RegisterRefused as refusal:
            fail(refusal.message)
    key = "register_replaced_ok" if replaced else "register_published_ok"
    click.echo(t(key, lang, id=triage_id, entry=entry))


@register.command(name="unpublish")
@click.argument("triage_id", metavar="ID")
@click.option("--lang", type=LANG, help="Langue / language.")
def unpublish_command(triage_id: str, lang: str | None) -> None:
    """Retirer une analyse du registre / withdraw a triage from the register."""
    lang = resolve_lang(lang)
    with open_cli_app(lang) as app:
        try:
            entry = unpublish(app, console_actor(), triage_id, lang)
        except RegisterRefused as refusal:
            fail(refusal.message)
    click.echo(t("register_withdrawn_ok", lang, id=triage_id, entry=entry))


@register.command(name="list")
@FORMAT_OPTION
@click.option("--lang", type=LANG, help="Langue / language.")
def list_command(output: str, lang: str | None) -> None:
    """Algorithmes publiés / published algorithms."""
    lang = resolve_lang(lang)
    with open_cli_app(lang) as app, app.store.reading() as tx:
        entries = current_entries(tx)
        names = tx.first_answers([e.triage_id for e in entries])
    if not entries and output == "table":
        click.echo(t("register_list_empty", lang))
        return
    columns = [
        Column("entry", t("column_entry", lang), whole=True),
        Column("triage_id", t("column_triage", lang), whole=True),
        Column("project", t("column_project", lang)),
        Column("status", t("register_status", lang)),
        Column("published_at", t("column_published_on", lang)),
    ]
    rows = [
        (
            {
                "entry": e.entry,
                "triage_id": e.triage_id,
                "project": str(names.get(e.triage_id, "")),
                "status": e.details["status"],
                "published_at": e.published_at.isoformat(timespec="seconds"),
            },
            [
                e.entry,
                e.triage_id,
                str(names.get(e.triage_id, "")),
                t(f"register_status_{e.details['status']}", lang),
                e.published_at.strftime("%Y-%m-%d %H:%M"),
            ],
        )
        for e in entries
    ]
    emit(output, columns, rows, title=t("register_list_title", lang))


@register.command(name="site")
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--base-url",
    metavar="URL",
    help="Adresse publique du site / the site's public address (for the JSON and the feed).",
)
@click.option(
    "--no-diagram",
    is_flag=True,
    help="Sans dessiner le diagramme (CLI Mermaid) / without drawing the diagram.",
)
@click.option("--lang", type=LANG, help="Langue des messages / language of messages.")
def site_command(folder: Path, base_url: str | None, no_diagram: bool, lang: str | None) -> None:
    """Écrire le site statique du registre / write the register's static site."""
    lang = resolve_lang(lang)
    if base_url is not None and not base_url.startswith(("https://", "http://")):
        fail(f"--base-url: {t('register_base_url', lang)}")
    with open_cli_app(lang) as app:
        with app.store.reading() as tx:
            count = len(current_entries(tx))
        try:
            written = write_site(app, folder, base_url, diagram=not no_diagram)
        except OSError as error:
            fail(f"{folder}: {t('register_site_unwritable', lang, reason=error.strerror or error)}")
    click.echo(t("register_site_written", lang, folder=folder, files=len(written), count=count))
