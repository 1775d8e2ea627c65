"""`boussole directory …` and `boussole admins …`: the department directory and the roles,
kept in the database once a new database has been seeded from the directory file."""

from __future__ import annotations

import re
from pathlib import Path

import click

from adapters.console.common import (
    LANG,
    fail,
    member_arg,
    open_cli_app,
    operator,
    resolve_lang,
)
from adapters.console.listing import FORMAT_OPTION, Column, emit
from bot.actors import member_label
from bot.directory import (
    OTHER,
    directory_from_database,
    load_directory,
    menu_overflow,
    seed_directory,
)
from bot.i18n import t
from bot.publishing import too_long
from bot.routing import reviewer_warnings
from flows.answers import control_character
from flows.problems import FlowError
from storage import limits
from storage.integrity import IDENTIFIER
from storage.repository import ADMIN_CHAIN, Transaction

DEPARTMENT = re.compile(IDENTIFIER)


def _audit(tx: Transaction, kind: str, payload: dict[str, str]) -> None:
    tx.append_audit(ADMIN_CHAIN, kind, operator(tx), payload)


def _done(changed: bool, lang: str) -> None:
    click.echo(t("directory_changed" if changed else "directory_unchanged", lang))


def _warn_if_too_many(tx: Transaction, lang: str) -> None:
    warning = menu_overflow(tx, lang)
    if warning:
        click.echo(warning, err=True)


@click.group()
def directory() -> None:
    """Annuaire des directions / directory of departments."""


@directory.command(name="list")
@FORMAT_OPTION
@click.option("--lang", type=LANG, help="Langue / language.")
def list_directory(output: str, lang: str | None) -> None:
    """Directions et responsables / departments and reviewers."""
    lang = resolve_lang(lang)
    with open_cli_app(lang) as app, app.store.reading() as tx:
        current = directory_from_database(tx)
    columns = [
        Column("id", t("column_id", lang), whole=True),
        Column("fr", t("column_name_fr", lang)),
        Column("en", t("column_name_en", lang)),
        Column("reviewers", t("column_reviewers", lang)),
    ]
    departments = [
        (d.id, d.name["fr"], d.name["en"], list(d.reviewers)) for d in current.departments
    ]
    departments.append(
        (
            OTHER,
            t("other_department", "fr"),
            t("other_department", "en"),
            list(current.default_reviewers),
        )
    )
    rows = [
        (
            {"id": id_, "fr": fr, "en": en, "reviewers": reviewers},
            [id_, fr, en, ", ".join(reviewers)],
        )
        for id_, fr, en, reviewers in departments
    ]
    emit(output, columns, rows)
    for warning in reviewer_warnings(current, lang):
        click.echo(warning, err=True)


@directory.command(name="add-department")
@click.argument("department_id")
@click.option("--fr", "name_fr", required=True, help="Nom en français / French name.")
@click.option("--en", "name_en", required=True, help="Nom en anglais / English name.")
@click.option("--lang", type=LANG, help="Langue / language.")
def add_department(department_id: str, name_fr: str, name_en: str, lang: str | None) -> None:
    """Ajouter ou renommer une direction / add or rename a department."""
    lang = resolve_lang(lang)
    if not DEPARTMENT.match(department_id) or department_id == OTHER:
        fail(t("department_id_invalid", lang, id=department_id))
    for field, value, most in (
        ("department_id", department_id, limits.IDENTIFIER),
        ("--fr", name_fr.strip(), limits.NAME),
        ("--en", name_en.strip(), limits.NAME),
    ):
        problem = too_long(field, value, most, lang) or _name_problem(field, value, lang)
        if problem is not None:
            fail(problem)
    with open_cli_app(lang) as app, app.store.transaction() as tx:
        tx.put_department(department_id, name_fr.strip(), name_en.strip())
        _audit(tx, "department_saved", {"department": department_id})
        _warn_if_too_many(tx, lang)
    _done(True, lang)


def _name_problem(field: str, value: str, lang: str) -> str | None:
    """A name is what every agent reads among P2's choices, as the directory file requires
    it: not empty, and without a control character (ESC would reach their terminals)."""
    if field == "department_id":
        return None
    if not value:
        return t("department_name_empty", lang, option=field)
    control = control_character(value)
    if control is None:
        return None
    return t("department_name_control", lang, option=field, char=control)


def _known_department(tx: Transaction, department_id: str, lang: str) -> None:
    if department_id != OTHER and department_id not in {d[0] for d in tx.departments()}:
        fail(t("department_unknown", lang, id=department_id))


@directory.command(name="add-reviewer")
@click.argument("department_id")
@click.argument("member")
@click.option("--lang", type=LANG, help="Langue / language.")
def add_reviewer(department_id: str, member: str, lang: str | None) -> None:
    """Ajouter un responsable (plateforme:identifiant) / add a reviewer."""
    lang = resolve_lang(lang)
    member_arg(member, lang, granting=True)
    with open_cli_app(lang) as app, app.store.transaction() as tx:
        _known_department(tx, department_id, lang)
        changed = tx.add_reviewer(department_id, member)
        if changed:
            reviewer = member_label(tx, member)
            _audit(tx, "reviewer_added", {"department": department_id, "reviewer": reviewer})
    _done(changed, lang)


@directory.command(name="remove-reviewer")
@click.argument("department_id")
@click.argument("member")
@click.option("--lang", type=LANG, help="Langue / language.")
def remove_reviewer(department_id: str, member: str, lang: str | None) -> None:
    """Retirer un responsable / remove a reviewer."""
    lang = resolve_lang(lang)
    member_arg(member, lang)
    with open_cli_app(lang) as app, app.store.transaction() as tx:
        _known_department(tx, department_id, lang)
        changed = tx.remove_reviewer(department_id, member)
        if changed:
            reviewer = member_label(tx, member)
            _audit(tx, "reviewer_removed", {"department": department_id, "reviewer": reviewer})
    _done(changed, lang)


@directory.command(name="import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--lang", type=LANG, help="Langue / language.")
def import_directory(file: Path, lang: str | None) -> None:
    """Importer un fichier d'annuaire (ajoute et met à jour) / import a directory file."""
    lang = resolve_lang(lang)
    try:
        loaded = load_directory(file)
    except FlowError as error:
        fail("\n".join(p.render(lang) for p in error.problems))
    with open_cli_app(lang) as app, app.store.transaction() as tx:
        seed_directory(tx, loaded)
        _audit(tx, "directory_imported", {"file": file.name})
        _warn_if_too_many(tx, lang)
    _done(True, lang)


@click.group()
def admins() -> None:
    """Administrateurs (plateforme:identifiant) / admins (platform:user_id)."""


@admins.command(name="list")
@click.option("--lang", type=LANG, help="Langue / language.")
def list_admins(lang: str | None) -> None:
    """Lister les administrateurs / list admins."""
    with open_cli_app(resolve_lang(lang)) as app, app.store.reading() as tx:
        for member in tx.admins():
            click.echo(member)


@admins.command(name="add")
@click.argument("member")
@click.option("--lang", type=LANG, help="Langue / language.")
def add_admin(member: str, lang: str | None) -> None:
    """Ajouter un administrateur / add an admin."""
    lang = resolve_lang(lang)
    member_arg(member, lang, granting=True)
    with open_cli_app(lang) as app, app.store.transaction() as tx:
        changed = tx.add_admin(member)
        if changed:
            _audit(tx, "admin_added", {"member": member_label(tx, member)})
    _done(changed, lang)


@admins.command(name="remove")
@click.argument("member")
@click.option("--lang", type=LANG, help="Langue / language.")
def remove_admin(member: str, lang: str | None) -> None:
    """Retirer un administrateur / remove an admin."""
    lang = resolve_lang(lang)
    member_arg(member, lang)
    with open_cli_app(lang) as app, app.store.transaction() as tx:
        changed = tx.remove_admin(member)
        if changed:
            _audit(tx, "admin_removed", {"member": member_label(tx, member)})
    _done(changed, lang)
