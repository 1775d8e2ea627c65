"""Re-triage from Slack: "Refaire l'analyse" on a result opens a form of the answers given,
grouped by section; the questions ticked are asked again in the DM, each with its previous
answer, and so are the questions the new answers open. The finished triage stays as it was:
the engine makes a new one, linked to it.

A modal rather than inputs in the result message: the result is long already, and a form
holds a hundred blocks where a message holds fifty.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from adapters.slack.blocks import (
    Block,
    escape,
    input_block,
    menu,
    modal,
    notice,
    option,
    section,
)
from adapters.slack.feature import PLATFORM, Feature
from adapters.slack.messages import m
from adapters.slack.refs import RETRIAGE_PICK, RETRIAGE_VIEW
from adapters.slack.turns import Where
from bot import events as ev
from bot.i18n import t
from bot.views import AnswerRowView, ResultView
from bot.visibility import result_to_redo

log = logging.getLogger("adapters.slack")

CHECKBOXES_MAX = 10
BLOCK_PREFIX = "pick"


def retriage_modal(view: ResultView, lang: str) -> dict[str, Any]:
    """One group of checkboxes per section (split by ten, Slack's limit), each answer given
    as the question with the answer below it: what a person needs to decide what changed."""
    blocks: list[Block] = [
        section(escape(t("retriage_pick_help", lang, id=view.triage_id)), block_id="help")
    ]
    for number, (label, rows) in enumerate(_groups(view.answer_rows)):
        options = [option(row.question, row.label, row.answer or "—") for row in rows]
        element = menu("checkboxes", RETRIAGE_PICK, options)
        blocks.append(input_block(f"{BLOCK_PREFIX}{number}", label, element, optional=True))
    return modal(
        RETRIAGE_VIEW,
        t("retriage_action", lang),
        t("retriage_pick_submit", lang),
        m("modal_close", lang),
        json.dumps({"t": view.triage_id}),
        blocks,
    )


def _groups(rows: tuple[AnswerRowView, ...]) -> Iterator[tuple[str, list[AnswerRowView]]]:
    by_section: dict[str, list[AnswerRowView]] = {}
    for row in rows:
        by_section.setdefault(row.section, []).append(row)
    for title, answered in by_section.items():
        parts = [
            answered[start : start + CHECKBOXES_MAX]
            for start in range(0, len(answered), CHECKBOXES_MAX)
        ]
        for index, part in enumerate(parts, start=1):
            yield (f"{title} ({index}/{len(parts)})" if len(parts) > 1 else title), part


def picked(view: dict[str, Any]) -> tuple[str, list[str]]:
    """The triage the form was drawn for and the questions ticked, in form order;
    ValueError for a form we did not draw."""
    metadata = json.loads(view.get("private_metadata") or "")
    triage_id = metadata["t"] if isinstance(metadata, dict) else None
    if not isinstance(triage_id, str) or not triage_id:
        raise ValueError("not a re-triage form of ours")
    questions: list[str] = []
    values = (view.get("state") or {}).get("values") or {}
    for block in values.values():
        element = (block or {}).get(RETRIAGE_PICK) or {}
        for chosen in element.get("selected_options") or []:
            value = chosen.get("value") if isinstance(chosen, dict) else None
            if isinstance(value, str) and value not in questions:
                questions.append(value)
    return triage_id, questions


def first_block(view: dict[str, Any]) -> str:
    """Where the form's one error is shown: its first group of checkboxes."""
    blocks = view.get("blocks") or []
    ids = [b.get("block_id") for b in blocks if isinstance(b, dict)]
    return next((i for i in ids if isinstance(i, str) and i.startswith(BLOCK_PREFIX)), "help")


class RetriageForm(Feature):
    """The button's click opens the form; the form's submission runs the engine's re-triage
    in the person's DM, where its questions are then answered like any other."""

    def click(self, user: str, key: str, trigger_id: str, triage_id: str) -> None:
        self.once(key, self._open(user, trigger_id, triage_id), "re-triage form")

    async def _open(self, user: str, trigger_id: str, triage_id: str) -> None:
        lang = await self.out.lang(user)
        actor = ev.Actor(PLATFORM, user)
        found = await self.in_pool(result_to_redo, self.app, actor, triage_id, lang)
        if isinstance(found, str):
            dm = await self.out.dm_channel(user, triage_id)
            if dm is not None:
                await self.out.ephemeral(dm, user, notice(found), triage_id)
            return
        await self.out.open_view(trigger_id, retriage_modal(found, lang), triage_id)

    async def submitted(self, ack: AsyncAck, user: str, view: dict[str, Any]) -> None:
        """Nothing ticked is the one error, shown on the form by the ack itself."""
        try:
            triage_id, questions = picked(view)
        except (ValueError, KeyError, TypeError, AttributeError):
            log.warning("Slack modal ignored: its metadata is not ours")
            await ack()
            return
        if not questions:
            error = t("retriage_pick_none", self.out.known_lang(user))
            await ack(response_action="errors", errors={first_block(view): error})
            return
        await ack()
        key = f"{user}:{view.get('id')}"
        if self.recent.first_time(f"view:{key}"):
            self.tasks.spawn(self._run(user, key, triage_id, questions), "re-triage")

    async def _run(self, user: str, key: str, triage_id: str, questions: list[str]) -> None:
        lang = await self.out.lang(user)
        dm = await self.out.dm_channel(user, triage_id)
        if dm is None:
            return
        actor = ev.Actor(PLATFORM, user)
        event = ev.ChangeAnswers(actor, lang, key, triage_id=triage_id, reask=tuple(questions))
        await self.turns.run(event, Where(user=user, channel=dm))
