"""What a click on one of our buttons or forms sends back, read the same way whatever drew
it: a flat mapping of the button's own data (the action, the triage, the question, the flow
version, the question's type) and of the form's inputs, by their ids.

Teams' Adaptive Cards send exactly this; any platform whose forms post key-value pairs can
draw the same fields and read them here. The action names, the input ids and the checks of
what was sent are the form's shape, not a platform's, so they are written once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

ACTION = "boussole"
"""The key naming the action in a button's data: what marks the data as ours."""
ANSWER_INPUT = "answer"
QUESTION_INPUT = "review_question"
OUTCOME_INPUT = "review_outcome"
COMMENT_INPUT = "review_comment"
REPLY_INPUT = "agent_answer"
RETRIAGE_PREFIX = "retriage:"
"""One toggle per answer on the re-triage form, `retriage:<question id>`: a toggle's id says
which question it stands for, whatever characters the flow's ids hold."""

REVIEW_ACTIONS = {
    "review_claim": "claim",
    "review_confirm": "confirm",
    "review_ask": "ask",
    "review_override": "override",
}
"""Button action -> the engine's ReviewAction.action."""
TEXT_INPUTS = {"review_ask": QUESTION_INPUT, "review_override": COMMENT_INPUT}
ON_QUESTION = ("answer", "why", "back", "cancel")
"""The actions of a question's own buttons: they carry its question and flow version."""
_NEEDS_TRIAGE = (*ON_QUESTION, "resume", "review", "retriage", "agent_reply", *REVIEW_ACTIONS)
ACTIONS = (*_NEEDS_TRIAGE, "start", "list", "help", "admin_publish")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Submit:
    """What a button click sends back, once read."""

    action: str
    triage_id: str = ""
    question_id: str = ""
    flow_version: int | None = None
    kind: str = ""
    raw: Any = None
    text: str = ""
    """A reviewer's question or comment, or the agent's answer (review actions)."""
    outcome: str = ""
    """The new orientation chosen on the override form."""
    sha256: str = ""
    """The checked upload the Publish button confirms."""
    reask: tuple[str, ...] = ()
    """The questions ticked on a result's re-triage form, in form order."""

    def answer(self) -> Any:
        """The input's value as the engine expects it for the question's type.

        Forms send every input as a string: a multi-select as "a,b", a scale as "3".
        Whatever cannot be converted is passed on unchanged, for the engine to refuse with
        its message.
        """
        value = self.raw
        if self.kind == "multi" and isinstance(value, str):
            return [item for item in value.split(",") if item]
        if self.kind == "scale" and isinstance(value, str) and value.strip().isdigit():
            return int(value.strip())
        return value


def read_submit(value: object) -> Submit | None:
    """The button data of one of our forms, or None for anything else (forged or foreign)."""
    if not isinstance(value, Mapping):
        return None
    action = value.get(ACTION)
    if action not in ACTIONS:
        return None
    triage_id = value.get("triage", "")
    question_id = value.get("question", "")
    version = value.get("flow_version")
    kind = value.get("type", "")
    if not all(isinstance(v, str) for v in (triage_id, question_id, kind)):
        return None
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        return None
    if action in _NEEDS_TRIAGE and not triage_id:
        return None
    if action == "answer" and (not question_id or version is None):
        return None
    text = value.get(REPLY_INPUT if action == "agent_reply" else TEXT_INPUTS.get(action, ""), "")
    outcome = value.get(OUTCOME_INPUT, "") if action == "review_override" else ""
    sha256 = value.get("sha256", "") if action == "admin_publish" else ""
    if not all(isinstance(v, str) for v in (text, outcome, sha256)):
        return None
    if action == "admin_publish" and not _SHA256.match(sha256):
        return None
    reask = tuple(
        name[len(RETRIAGE_PREFIX) :]
        for name, ticked in value.items()
        if action == "retriage"
        and isinstance(name, str)
        and name.startswith(RETRIAGE_PREFIX)
        and ticked == "true"
    )
    return Submit(
        action,
        triage_id,
        question_id,
        version,
        kind,
        value.get(ANSWER_INPUT),
        text=text,
        outcome=outcome,
        sha256=sha256,
        reask=reask,
    )
