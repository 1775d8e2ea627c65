"""Action ids and the references that buttons carry back to us.

Every interactive element names the triage, the question and the flow version it was drawn
for, so that a click is always checked against the triage as it is now (the engine answers
a stale one politely) and never trusted as "the current question".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

PLATFORM = "slack"
"""The platform a person is named with: their actor, `slack:U012ABC` in the directory."""
ANSWER_PREFIX = "answer:"
"""Buttons: `answer:<choice id>` (or `answer:<n>` on a scale); unique within a message."""
ANSWER_SELECT = "answer_select"
MULTI_CHOICE = "multi_choice"
SUBMIT_MULTI = "submit_multi"
OPEN_TEXT = "open_text"
WHY = "why"
BACK = "back"
CANCEL = "cancel"
RESUME = "resume"
SHOW_RESULT = "show_result"
NEW_TRIAGE = "new_triage"

TEXT_VIEW = "text_answer"
TEXT_BLOCK = "answer"
TEXT_ACTION = "value"

VALUE_MAX = 2000
"""Slack's limit on a button's value."""


class BadReference(ValueError):
    """A value we did not write: ignored (logged), never guessed at."""


@dataclass(frozen=True)
class QuestionRef:
    triage_id: str
    question_id: str
    flow_version: int

    def encode(self, **extra: Any) -> str:
        data = {"t": self.triage_id, "q": self.question_id, "v": self.flow_version, **extra}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def decode(cls, text: str | None) -> tuple[QuestionRef, dict[str, Any]]:
        """The reference and any extra fields written by `encode`."""
        try:
            data = json.loads(text or "")
            ref = cls(str(data.pop("t")), str(data.pop("q")), int(data.pop("v")))
        except (ValueError, TypeError, KeyError, AttributeError):
            raise BadReference(text) from None
        return ref, data


# Reviews: buttons of a review notice (value: the triage id) and their modals
REVIEW_CLAIM = "review_claim"
REVIEW_CONFIRM = "review_confirm"
REVIEW_ASK = "review_ask"
REVIEW_OVERRIDE = "review_override"
AGENT_REPLY = "agent_reply"
REVIEW_ACTIONS = frozenset({REVIEW_CLAIM, REVIEW_CONFIRM, REVIEW_ASK, REVIEW_OVERRIDE})
ASK_VIEW = "review_ask_view"
OVERRIDE_VIEW = "review_override_view"
REPLY_VIEW = "agent_reply_view"
OUTCOME_BLOCK = "outcome"
OUTCOME_ACTION = "outcome"
"""The comment of these modals uses TEXT_BLOCK / TEXT_ACTION, like a text answer."""

# Re-triage: the button of a result (value: the triage id), and its form of the answers given
RETRIAGE = "retriage"
RETRIAGE_VIEW = "retriage_view"
RETRIAGE_PICK = "retriage_pick"

# Administration: the "Publier" button of a checked flow upload (value: its sha256)
PUBLISH_FLOW = "publish_flow"
