"""What Slack's payloads say, read the same way by every listener: who acted, the key of a
click, the boxes ticked, the engine event a click on a question stands for, and the ack of a
modal (the one place a field error can be shown)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from adapters.slack import refs
from adapters.slack.tasks import RecentKeys
from bot import events as ev

EventOf = Callable[[ev.Actor, str, str], ev.Event]
"""Builds the engine event of a click from (actor, lang, key), once the language is known."""
Body = dict[str, Any]

log = logging.getLogger("adapters.slack")


def question_event(body: Body, action: Body) -> EventOf:
    """The engine event a click on a question stands for; BadReference when the element
    does not carry a reference written by `questions.py`."""
    action_id = str(action.get("action_id") or "")
    if action_id == refs.ANSWER_SELECT:
        ref, _ = refs.QuestionRef.decode(action.get("block_id"))
        value: Any = (action.get("selected_option") or {}).get("value")
    else:
        ref, extra = refs.QuestionRef.decode(action.get("value"))
        value = ticked(body) if action_id == refs.SUBMIT_MULTI else extra.get("c")
    if action_id in (refs.WHY, refs.BACK):
        asked = ev.Why if action_id == refs.WHY else ev.Back
        return partial(asked, triage_id=ref.triage_id, question_id=ref.question_id)
    if action_id == refs.CANCEL:
        return partial(ev.Cancel, triage_id=ref.triage_id)
    return answer_of(ref, value)


def answer_of(ref: refs.QuestionRef, value: Any) -> EventOf:
    """The answer `value` to the question `ref` names, as drawn (its flow version too)."""
    return partial(
        ev.Answer,
        triage_id=ref.triage_id,
        question_id=ref.question_id,
        value=value,
        flow_version=ref.flow_version,
    )


def user_of(body: Body) -> str:
    return str((body.get("user") or {}).get("id") or body.get("user_id") or "")


def click_key(body: Body, action: Body) -> str:
    return f"{user_of(body)}:{action.get('action_ts') or body.get('trigger_id')}"


def ticked(body: Body) -> list[str]:
    """The boxes ticked when "Valider" was clicked, from the message's input state."""
    values = ((body.get("state") or {}).get("values")) or {}
    for block in values.values():
        element = block.get(refs.MULTI_CHOICE)
        if element is not None:
            return [str(o.get("value")) for o in element.get("selected_options") or []]
    return []


async def acked(
    ack: AsyncAck, recent: RecentKeys, user: str, view: Body, errors: dict[str, str]
) -> str | None:
    """Ack a modal submission, with its field errors if any (only the ack can show them);
    the submission's key the first time it arrives, None otherwise (Slack retries)."""
    if errors:
        await ack(response_action="errors", errors=errors)
        return None
    await ack()
    key = f"{user}:{view.get('id')}"
    return key if recent.first_time(f"view:{key}") else None


async def not_ours(ack: AsyncAck) -> None:
    """A submitted modal whose metadata we did not write: acked, logged, never guessed at."""
    log.warning("Slack modal ignored: its metadata is not ours")
    await ack()
