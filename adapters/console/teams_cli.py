"""`boussole teams manifest`: the Teams app package an admin uploads, for one bot id."""

from __future__ import annotations

import uuid
from pathlib import Path

import click

from adapters.console.common import LANG, fail, resolve_lang
from bot.i18n import t


@click.group()
def teams() -> None:
    """Microsoft Teams : paquet d'application / app package."""


def _guid(_context: click.Context, _parameter: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise click.BadParameter("un GUID est attendu / a GUID is expected") from None


def _https(_context: click.Context, _parameter: click.Parameter, value: str) -> str:
    if not value.startswith("https://"):
        raise click.BadParameter("Teams exige une adresse https / Teams requires an https URL")
    return value


@teams.command()
@click.option(
    "--bot-id",
    required=True,
    callback=_guid,
    help="MicrosoftAppId du bot / of the bot (a GUID).",
)
@click.option(
    "--app-id",
    callback=_guid,
    help="Identifiant de l'application Teams (GUID ; par défaut dérivé du bot, stable) / "
    "Teams app id (default: derived from the bot id, stable).",
)
@click.option(
    "--version",
    "app_version",
    default="1.0.0",
    show_default=True,
    help="Version x.y.z du paquet / package version.",
)
@click.option(
    "--developer", default="Nantes Métropole", show_default=True, help="Éditeur / developer."
)
@click.option(
    "--website",
    default="https://boussole.example.org/",
    show_default=True,
    callback=_https,
    help="Site (https) / website.",
)
@click.option(
    "--privacy",
    default="https://boussole.example.org/privacy",
    show_default=True,
    callback=_https,
    help="Politique de confidentialité (https) / privacy policy.",
)
@click.option(
    "--terms",
    default="https://boussole.example.org/terms",
    show_default=True,
    callback=_https,
    help="Conditions d'utilisation (https) / terms of use.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build/teams"),
    show_default=True,
    help="Dossier de sortie / output folder.",
)
@click.option("--lang", type=LANG, help="Langue des messages / language of messages.")
def manifest(
    bot_id: str,
    app_id: str | None,
    app_version: str,
    developer: str,
    website: str,
    privacy: str,
    terms: str,
    out: Path,
    lang: str | None,
) -> None:
    """Écrire le paquet d'application Teams / write the Teams app package.

    manifest.json (français), en-us.json (anglais), les deux icônes et le zip à téléverser dans
    le centre d'administration de Teams ; affiche le chemin du zip. / The manifest (French), its
    English localization, the two icons and the zip to upload; prints the zip's path."""
    from adapters.teams.manifest import DEVELOPER_MAX, URL_MAX, VERSION, write_package

    lang = resolve_lang(lang)
    problems = [
        t("teams_manifest_too_long", lang, option=option, length=len(value), max=limit)
        for option, value, limit in (
            ("--developer", developer, DEVELOPER_MAX),
            ("--website", website, URL_MAX),
            ("--privacy", privacy, URL_MAX),
            ("--terms", terms, URL_MAX),
        )
        if len(value) > limit
    ]
    if not VERSION.fullmatch(app_version):
        problems.append(t("teams_manifest_version", lang, value=app_version))
    if problems:
        fail(t("teams_manifest_not_written", lang, problems=" ".join(problems)))
    try:
        package = write_package(
            out,
            bot_id=bot_id,
            app_id=app_id or str(uuid.uuid5(uuid.NAMESPACE_URL, f"boussole-teams:{bot_id}")),
            version=app_version,
            developer=developer,
            website=website,
            privacy=privacy,
            terms=terms,
        )
    except OSError as error:
        fail(f"{out}: {t('file_unwritable', lang, reason=error.strerror or error)}")
    click.echo(package)
