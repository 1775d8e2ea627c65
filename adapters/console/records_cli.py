"""`boussole export`, `privacy` and `outbox`: what the public register and operators need,
from the command line (`boussole audit` is in audit_cli.py)."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.table import Table

from adapters.console.common import (
    LANG,
    fail,
    member_arg,
    open_cli_app,
    operator,
    resolve_lang,
    terminal,
)
from adapters.console.listing import FORMAT_OPTION
from bot.actors import audit_rows_of
from bot.directory import OTHER, directory_from_database
from bot.exports import register_csv, register_row
from bot.i18n import CATALOG, t
from storage.repository import ADMIN_CHAIN, ReviewRecord

if TYPE_CHECKING:
    from bot.stats import Stats


@click.group()
def export() -> None:
    """Exports publics / public exports."""


@export.command(name="register")
@click.option(
    "--format", "output", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
@click.option("--lang", type=LANG, help="Langue des libellés / language of labels.")
def export_register(output: str, lang: str | None) -> None:
    """Registre des algorithmes, sans donnée personnelle / algorithm register, no personal
    data."""
    lang = resolve_lang(lang)
    with open_cli_app(lang) as app, app.store.reading() as tx:
        rows = [
            register_row(
                app.engine.result(tx, record.id, lang),
                record.created_at,
                record.completed_at,
                _decision(tx.review(record.id)),
                record.revises,
                tx.revised_by(record.id),
            )
            for record in tx.completed_triages()
        ]
    if output == "json":
        click.echo(json.dumps([r.values for r in rows], ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(register_csv(rows))


def _decision(review: ReviewRecord | None) -> str | None:
    if review is None or review.decision is None:
        return None
    return f"{review.decision}:{review.final_outcome}"


AUDIT_FIELDS = ("chain", "seq", "kind", "actor", "payload", "created_at")


@click.group()
def privacy() -> None:
    """Données personnelles / personal data."""


@privacy.command(name="export")
@click.argument("member", metavar="PLATFORM:USER_ID")
@click.option("--lang", type=LANG, help="Langue / language.")
def privacy_export(member: str, lang: str | None) -> None:
    """Tout ce que Boussole garde d'une personne / everything kept about a person (JSON)."""
    lang = resolve_lang(lang)
    recipient = member_arg(member, lang)
    platform, user_id = recipient.platform, recipient.user_id
    with open_cli_app(lang) as app, app.store.reading() as tx:
        pseudonym = tx.find_pseudonym(platform, user_id)
        triages = tx.triages_of(pseudonym, limit=10_000) if pseudonym else []
        document = {
            "member": member,
            "pseudonym": pseudonym,
            "admin": member in tx.admins(),
            "reviewer_of": [d for d, names in tx.reviewers().items() if member in names],
            "conversation_reference": tx.conversation(platform, user_id),
            "triages": [
                {
                    "id": r.id,
                    "status": r.status,
                    "outcome": r.outcome,
                    "created_at": r.created_at.isoformat(),
                    "answers": tx.answers(r.id),
                }
                for r in triages
            ],
            "audit_events": [
                {key: row[key] for key in AUDIT_FIELDS}
                for row in (audit_rows_of(tx, platform, pseudonym, triages) if pseudonym else [])
            ],
        }
    click.echo(json.dumps(document, ensure_ascii=False, indent=2, default=str))


@privacy.command(name="erase")
@click.argument("member", metavar="PLATFORM:USER_ID")
@click.option("--lang", type=LANG, help="Langue / language.")
def privacy_erase(member: str, lang: str | None) -> None:
    """Effacer le lien entre une personne et ses analyses / erase a person's link."""
    lang = resolve_lang(lang)
    recipient = member_arg(member, lang)
    platform, user_id = recipient.platform, recipient.user_id
    with open_cli_app(lang) as app, app.store.transaction() as tx:
        pseudonym, count = tx.erase_person(platform, user_id)
        tx.append_audit(ADMIN_CHAIN, "person_erased", operator(tx), {"pseudonym": pseudonym})
    if pseudonym is None:
        click.echo(t("privacy_unknown", lang, member=member))
    else:
        click.echo(t("privacy_erased", lang, member=member, count=count))


@click.group()
def outbox() -> None:
    """Notifications à envoyer / notifications to deliver."""


OUTBOX_COLUMNS = ("id", "triage", "kind", "to", "status", "attempts", "next", "error")


@outbox.command(name="list")
@click.option("--lang", type=LANG, help="Langue / language.")
def outbox_list(lang: str | None) -> None:
    """Notifications et leur état / notifications and their state."""
    lang = resolve_lang(lang)
    with open_cli_app(lang) as app, app.store.reading() as tx:
        messages = tx.outbox_messages()
    if not messages:
        click.echo(t("outbox_empty", lang))
        return
    table = Table()
    for column in OUTBOX_COLUMNS:
        table.add_column(t(f"column_{column}", lang), no_wrap=column in ("id", "triage"))
    for m in messages:
        table.add_row(
            str(m.id),
            m.triage_id,
            _known(f"outbox_kind_{m.kind}", m.kind, lang),
            f"{m.platform}:{m.recipient}",
            _known(f"outbox_status_{m.status}", m.status, lang),
            str(m.attempts),
            f"{m.next_attempt_at:%Y-%m-%d %H:%M}",
            m.last_error,
        )
    terminal().print(table)


def _print_stats(found: Stats, names: dict[str, str], lang: str) -> None:
    console = terminal()
    for title, counter, shown in (
        (t("orientation", lang), found.outcomes, lambda key: t(f"outcome_{key}", lang)),
        (t("criterion", lang), found.criteria, str),
        (t("rule", lang), found.rules, str),
        (t("department", lang), found.departments, lambda key: names.get(key, key)),
    ):
        table = Table(title=title)
        table.add_column(title)
        table.add_column(t("column_count", lang), justify="right")
        for key, count in counter.most_common():
            table.add_row(shown(key), str(count))
        console.print(table)
    console.print(
        t(
            "stats_medians",
            lang,
            complete=_duration(found.median(found.to_complete), lang),
            review=_duration(found.median(found.to_review), lang),
        )
    )


def _known(key: str, raw: str, lang: str) -> str:
    """A kind or status by its name in `lang`; one this version does not know (written by a
    newer one sharing the database) by its id rather than not at all."""
    return t(key, lang) if key in CATALOG else raw


@outbox.command(name="retry")
@click.argument("message_id", type=int)
@click.option("--lang", type=LANG, help="Langue / language.")
def outbox_retry(message_id: int, lang: str | None) -> None:
    """Renvoyer une notification / retry a notification."""
    lang = resolve_lang(lang)
    with open_cli_app(lang) as app, app.store.transaction() as tx:
        changed = tx.retry_outbox(message_id)
    if not changed:
        fail(t("outbox_not_retried", lang, id=message_id))
    click.echo(t("outbox_retried", lang, id=message_id))


@click.command()
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Depuis cette date (AAAA-MM-JJ) / since this date.",
)
@click.option("--png", type=click.Path(path_type=Path), help="Graphique / chart (PNG).")
@FORMAT_OPTION
@click.option("--lang", type=LANG, help="Langue / language.")
def stats(since: datetime | None, png: Path | None, output: str, lang: str | None) -> None:
    """Statistiques des analyses / triage statistics."""
    from bot.stats import chart, collect

    lang = resolve_lang(lang)
    with open_cli_app(lang) as app:
        found = collect(app, since.replace(tzinfo=UTC) if since else None)
        with app.store.reading() as tx:
            names = {d.id: d.name[lang] for d in directory_from_database(tx).departments}
    if output == "json":
        click.echo(json.dumps(_stats_document(found), ensure_ascii=False, indent=2))
        return
    names[OTHER] = t("other_department", lang)
    if found.outcomes:
        _print_stats(found, names, lang)
    else:
        day = f"{since:%Y-%m-%d}" if since else None
        click.echo(t("stats_none_since", lang, date=day) if day else t("stats_none", lang))
    if png is not None:
        try:
            chart(found, png, lang)
        except ImportError:
            fail(t("stats_no_matplotlib", lang))
        except OSError as error:
            fail(f"{png}: {t('file_unwritable', lang, reason=error.strerror or error)}")
        click.echo(str(png))


def _stats_document(found: Stats) -> dict[str, object]:
    """Counts keyed by outcome, criterion, rule and department ids; medians in seconds."""

    def seconds(value: timedelta | None) -> int | None:
        return None if value is None else int(value.total_seconds())

    return {
        "outcomes": dict(found.outcomes.most_common()),
        "criteria": dict(found.criteria.most_common()),
        "rules": dict(found.rules.most_common()),
        "departments": dict(found.departments.most_common()),
        "median_seconds_to_complete": seconds(found.median(found.to_complete)),
        "median_seconds_to_review": seconds(found.median(found.to_review)),
    }


def _duration(value: timedelta | None, lang: str) -> str:
    if value is None:
        return "—"
    minutes = int(value.total_seconds() // 60)
    return t(
        "duration", lang, days=minutes // 1440, hours=minutes % 1440 // 60, minutes=minutes % 60
    )
