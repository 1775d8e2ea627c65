"""App Home and the `liste` reply: a person's triages and, for reviewers, those awaiting them.

Reading only: rows are gathered in one read transaction off the event loop, then drawn.
A triage in progress offers "Reprendre", a finished one "Voir le résultat" (both resume it:
the engine shows the result of a finished triage); a reviewer's rows open the full result.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, DividerBlock
from slack_sdk.models.views import View

from adapters.slack.blocks import (
    Message,
    button,
    context,
    escape,
    header,
    message,
    section,
)
from adapters.slack.client import SlackOut
from adapters.slack.messages import m
from adapters.slack.refs import NEW_TRIAGE, RESUME, SHOW_RESULT
from adapters.slack.results import outcome_text
from bot.app import App
from bot.i18n import pick, t
from bot.notifications import REVIEW_REQUEST
from bot.reviews import DECIDED
from storage.repository import Transaction, as_utc

PLATFORM = "slack"
LIST_LIMIT = 20
HOME_LIMIT = 30
IN_PROGRESS = "in_progress"
COMPLETED = "completed"


@dataclass(frozen=True)
class TriageRow:
    id: str
    project: str
    status: str
    outcome: str | None
    outcome_label: str
    updated_at: datetime


@dataclass(frozen=True)
class ReviewRow:
    id: str
    project: str
    department: str
    outcome: str
    outcome_label: str
    requested_at: datetime


@dataclass(frozen=True)
class HomeRows:
    triages: list[TriageRow]
    reviews: list[ReviewRow] | None
    """None for a person who reviews no department."""


def read_triages(app: App, user: str, lang: str, limit: int = LIST_LIMIT) -> list[TriageRow]:
    with app.store.reading() as tx:
        return _triages(app, tx, user, lang, limit)


def read_home(app: App, user: str, lang: str) -> HomeRows:
    with app.store.reading() as tx:
        triages = _triages(app, tx, user, lang, HOME_LIMIT)
        reviews = _reviews(app, tx, user, lang) if is_reviewer(app, user) else None
    return HomeRows(triages, reviews)


def latest_in_progress(app: App, user: str) -> str | None:
    """The triage `reprendre` without an id brings back."""
    with app.store.reading() as tx:
        owner = tx.find_pseudonym(PLATFORM, user)
        records = tx.triages_of(owner) if owner else []
    return next((r.id for r in records if r.status == IN_PROGRESS), None)


def is_reviewer(app: App, user: str) -> bool:
    name = f"{PLATFORM}:{user}"
    directory = app.directory
    return name in directory.default_reviewers or any(
        name in department.reviewers for department in directory.departments
    )


def list_message(rows: list[TriageRow], command: str, lang: str) -> Message:
    if not rows:
        return message(
            m("list_empty", lang, command=command),
            [section(escape(m("list_empty", lang, command=command)))],
        )
    blocks: list[Block] = [header(t("list_title", lang))]
    blocks += [_triage_row(row, lang) for row in rows]
    if len(rows) >= LIST_LIMIT:
        blocks.append(context(m("list_more", lang, count=LIST_LIMIT)))
    fallback = "\n".join(f"{row.id} {row.project}" for row in rows)
    return message(f"{t('list_title', lang)}\n{fallback}", blocks)


def home_view(rows: HomeRows, command: str, lang: str) -> dict[str, Any]:
    blocks: list[Block] = [
        header("Boussole"),
        section(escape(m("home_intro", lang, command=command))),
        ActionsBlock(
            block_id="home_actions",
            elements=[button(m("button_new", lang), NEW_TRIAGE, "new", "primary")],
        ),
        DividerBlock(),
        section(f"*{m('home_mine', lang)}*"),
    ]
    if rows.triages:
        blocks += [_triage_row(row, lang) for row in rows.triages]
    else:
        blocks.append(context(escape(m("list_empty", lang, command=command))))
    if rows.reviews is not None:
        blocks += [DividerBlock(), section(f"*{m('home_reviews', lang)}*")]
        blocks += [_review_row(row, lang) for row in rows.reviews]
        if not rows.reviews:
            blocks.append(context(m("home_reviews_empty", lang)))
    return View(type="home", blocks=blocks).to_dict()


def _triages(app: App, tx: Transaction, user: str, lang: str, limit: int) -> list[TriageRow]:
    owner = tx.find_pseudonym(PLATFORM, user)
    if owner is None:
        return []
    records = tx.triages_of(owner, limit)
    names = tx.first_answers([r.id for r in records])
    return [
        TriageRow(
            id=r.id,
            project=str(names.get(r.id) or m("untitled", lang)),
            status=r.status,
            outcome=r.outcome,
            outcome_label=_outcome_label(app, tx, r.flow_version_id, r.outcome, lang),
            updated_at=r.updated_at,
        )
        for r in records
    ]


def _reviews(app: App, tx: Transaction, user: str, lang: str) -> list[ReviewRow]:
    requests = tx.review_requests_to(PLATFORM, user, REVIEW_REQUEST, DECIDED, HOME_LIMIT)
    names = tx.first_answers([r.triage_id for r in requests])
    departments = {c.id: pick(c.label, lang) for c in app.directory.choices}
    rows = []
    for request in requests:
        record = tx.triage(request.triage_id)
        if record is None:
            continue
        outcome = str(request.payload.get("outcome") or record.outcome or "")
        department = str(request.payload.get("department") or "")
        rows.append(
            ReviewRow(
                id=record.id,
                project=str(names.get(record.id) or m("untitled", lang)),
                department=departments.get(department, department),
                outcome=outcome,
                outcome_label=_outcome_label(app, tx, record.flow_version_id, outcome, lang),
                requested_at=request.created_at,
            )
        )
    return rows


def _outcome_label(
    app: App, tx: Transaction, version_id: int, outcome: str | None, lang: str
) -> str:
    if not outcome:
        return ""
    outcomes = app.catalog.get(tx, version_id).flow.spec.outcomes
    text = outcomes.get(outcome)  # type: ignore[call-overload]
    return pick(text.label, lang) if text is not None else outcome


def _date(stamp: datetime) -> str:
    """Slack draws the date in the reader's own time zone and language."""
    stamp = as_utc(stamp)
    fallback = stamp.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(stamp.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


def _triage_row(row: TriageRow, lang: str) -> Block:
    orientation = (
        outcome_text(row.outcome, row.outcome_label) if row.outcome else m("no_orientation", lang)
    )
    text = m(
        "triage_row",
        lang,
        project=escape(row.project),
        id=row.id,
        status=_status(row.status, lang),
        orientation=orientation,
        date=_date(row.updated_at),
    )
    if row.status == IN_PROGRESS:
        return section(text, accessory=button(m("button_resume", lang), RESUME, row.id, "primary"))
    if row.status == COMPLETED:
        return section(text, accessory=button(m("button_view_result", lang), RESUME, row.id))
    return section(text)


def _status(status: str, lang: str) -> str:
    try:
        return t(f"status_{status}", lang)
    except KeyError:  # a status added to the core before its label reached this adapter
        return status


def _review_row(row: ReviewRow, lang: str) -> Block:
    text = m(
        "review_row",
        lang,
        project=escape(row.project),
        department=escape(row.department),
        id=row.id,
        outcome=outcome_text(row.outcome, row.outcome_label),
        date=_date(row.requested_at),
    )
    return section(text, accessory=button(m("button_view_result", lang), SHOW_RESULT, row.id))


class HomeTab:
    """Publishes a person's App Home: when they open it, and when one of their triages ends
    (so that the tab is current the next time they look)."""

    def __init__(self, app: App, out: SlackOut, pool: Executor, command: str) -> None:
        self.app = app
        self.out = out
        self.pool = pool
        self.command = command

    async def publish(self, user: str) -> None:
        lang = await self.out.lang(user)
        loop = asyncio.get_running_loop()
        rows = await loop.run_in_executor(self.pool, read_home, self.app, user, lang)
        await self.out.publish_home(user, home_view(rows, self.command, lang))
