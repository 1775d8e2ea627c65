"""App Home and the `liste` reply: a person's triages and, for reviewers, those awaiting them.

Reading only: rows are gathered in one read transaction off the event loop, then drawn.
A triage in progress offers "Reprendre", a finished one "Voir le résultat" (both resume it:
the engine shows the result of a finished triage); a reviewer's rows open the full result.
"""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from adapters.slack import refs
from adapters.slack.blocks import (
    DIVIDER,
    Block,
    Message,
    actions,
    button,
    context,
    escape,
    header,
    message,
    section,
)
from adapters.slack.client import SlackOut
from adapters.slack.feature import in_pool
from adapters.slack.messages import m
from adapters.slack.results import outcome_text
from bot import events as ev
from bot.app import App
from bot.i18n import t
from bot.listings import IN_PROGRESS, ReviewRow, TriageRow, my_triages_and_reviews
from bot.unreadable import UnreadableRecord, unreadable_effect

HOME_LIMIT = 30


@dataclass(frozen=True)
class HomeRows:
    triages: list[TriageRow]
    reviews: list[ReviewRow] | None
    """None for a person who reviews no department."""


def read_home(app: App, user: str, lang: str) -> HomeRows:
    return HomeRows(*my_triages_and_reviews(app, ev.Actor(refs.PLATFORM, user), lang, HOME_LIMIT))


def list_message(rows: list[TriageRow], command: str, lang: str, limit: int) -> Message:
    if not rows:
        empty = m("list_empty", lang, command=command)
        return message(empty, [section(escape(empty))])
    blocks: list[Block] = [header(t("list_title", lang))]
    blocks += [_triage_row(row, lang) for row in rows]
    if len(rows) >= limit:
        blocks.append(context(m("list_more", lang, count=limit)))
    fallback = "\n".join(f"{row.id} {row.project}" for row in rows)
    return message(f"{t('list_title', lang)}\n{fallback}", blocks)


def _top(command: str, lang: str) -> list[Block]:
    return [
        header("Boussole"),
        section(escape(m("home_intro", lang, command=command))),
        actions([button(m("button_new", lang), refs.NEW_TRIAGE, "new", "primary")], "home_actions"),
        DIVIDER,
    ]


def damaged_home(said: str, command: str, lang: str) -> dict[str, Any]:
    """The tab when a row it lists cannot be read: which one and what to do, in place of
    the lists, rather than the tab as it was before."""
    return {"type": "home", "blocks": [*_top(command, lang), section(escape(said))]}


def home_view(rows: HomeRows, command: str, lang: str) -> dict[str, Any]:
    blocks: list[Block] = [*_top(command, lang), section(f"*{m('my_triages', lang)}*")]
    if rows.triages:
        blocks += [_triage_row(row, lang) for row in rows.triages]
    else:
        blocks.append(context(escape(m("list_empty", lang, command=command))))
    if rows.reviews is not None:
        blocks += [DIVIDER, section(f"*{m('home_reviews', lang)}*")]
        blocks += [_review_row(row, lang) for row in rows.reviews]
        if not rows.reviews:
            blocks.append(context(t("review_list_empty", lang)))
    return {"type": "home", "blocks": blocks}


def _date(stamp: datetime) -> str:
    """Slack draws the date in the reader's own time zone and language."""
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
        return section(
            text, accessory=button(m("button_resume", lang), refs.RESUME, row.id, "primary")
        )
    if row.finished:
        return section(text, accessory=button(m("button_view_result", lang), refs.RESUME, row.id))
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
    return section(text, accessory=button(m("button_view_result", lang), refs.SHOW_RESULT, row.id))


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
        try:
            rows = await in_pool(self.pool, read_home, self.app, user, lang)
        except UnreadableRecord as error:
            said = unreadable_effect(error, lang).text
            await self.out.publish_home(user, damaged_home(said, self.command, lang))
            return
        await self.out.publish_home(user, home_view(rows, self.command, lang))
