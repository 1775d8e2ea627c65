"""Re-triage from Slack: "Refaire l'analyse" on a result opens a form of the answers given,
grouped by section; the questions ticked are asked again in the DM, each with its previous
answer, and so are the questions the new answers open. The finished triage stays as it was:
the engine makes a new one, linked to it.

A modal rather than inputs in the result message: the result is long already, and a form
holds a hundred blocks where a message holds fifty.
"""

from __future__ import annotations

import json
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from adapters.chat.clicks import Submit
from adapters.chat.forms import (
    RETRIAGE_FIELD,
    Field,
    Form,
    Read,
    picks_of,
    read,
    retriage_form,
    retriage_reading,
)
from adapters.slack import refs
from adapters.slack.blocks import field_errors, form_modal, form_sent, notice
from adapters.slack.feature import Feature
from adapters.slack.messages import m
from adapters.slack.payloads import Body, acked, not_ours, user_of
from adapters.slack.turns import Where
from bot import events as ev
from bot.views import ResultView
from bot.visibility import result_to_redo

BLOCK_PREFIX = "pick"


def _ids(_field: Field) -> tuple[str, str]:
    """One group of checkboxes per section (`pick0`, `pick1`…), each sending RETRIAGE_PICK."""
    return BLOCK_PREFIX, refs.RETRIAGE_PICK


def retriage_modal(view: ResultView, lang: str) -> dict[str, Any]:
    """The kit's re-triage form: one group of checkboxes per section (split by ten, Slack's
    limit), each answer given as the question with the answer below it."""
    form = retriage_form(view, lang)
    return form_modal(
        form, refs.RETRIAGE_VIEW, m("modal_close", lang), json.dumps({"t": view.triage_id}), _ids
    )


def picked(view: dict[str, Any], lang: str = "fr") -> tuple[str, list[str]]:
    """The triage the form was drawn for and the questions ticked, in form order;
    ValueError for a form we did not draw."""
    triage_id, _form, found = _read(view, lang)
    return triage_id, list(picks_of(found, RETRIAGE_FIELD))


def _read(view: dict[str, Any], lang: str) -> tuple[str, Form, Read]:
    metadata = json.loads(view.get("private_metadata") or "")
    triage_id = metadata["t"] if isinstance(metadata, dict) else None
    if not isinstance(triage_id, str) or not triage_id:
        raise ValueError("not a re-triage form of ours")
    form = retriage_reading(lang)
    return triage_id, form, read(form, form_sent(view, form, _ids), lang)


class RetriageForm(Feature):
    """The button's click opens the form; the form's submission runs the engine's re-triage
    in the person's DM, where its questions are then answered like any other."""

    def click(self, user: str, key: str, trigger_id: str, triage_id: str) -> None:
        self.once(key, self._open(user, trigger_id, triage_id), "re-triage form")

    async def _open(self, user: str, trigger_id: str, triage_id: str) -> None:
        lang = await self.out.lang(user)
        actor = ev.Actor(refs.PLATFORM, user)
        found = await self.in_pool(result_to_redo, self.app, actor, triage_id, lang)
        if isinstance(found, str):
            dm = await self.out.dm_channel(user, triage_id)
            if dm is not None:
                await self.out.ephemeral(dm, user, notice(found), triage_id)
            return
        await self.out.open_view(trigger_id, retriage_modal(found, lang), triage_id)

    async def submitted(self, ack: AsyncAck, body: Body, view: Body) -> None:
        """Nothing ticked is the one error, shown on the form by the ack itself."""
        user = user_of(body)
        lang = self.out.known_lang(user)
        try:
            triage_id, form, found = _read(view, lang)
        except (ValueError, KeyError, TypeError, AttributeError):
            await not_ours(ack)
            return
        key = await acked(ack, self.recent, user, view, field_errors(found.problems, form, _ids))
        if key is not None:
            questions = list(picks_of(found, RETRIAGE_FIELD))
            self.tasks.spawn(self._run(user, key, triage_id, questions), "re-triage")

    async def _run(self, user: str, key: str, triage_id: str, questions: list[str]) -> None:
        lang = await self.out.lang(user)
        dm = await self.out.dm_channel(user, triage_id)
        if dm is None:
            return
        turn = self.bot.turn(user, lang, key, Where(user=user, channel=dm))
        await self.bot.click(turn, Submit("retriage", triage_id, reask=tuple(questions)))
