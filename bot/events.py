"""Platform-neutral events: what an adapter makes of a command, a click or a typed line.

Every event names its actor, the language to answer in, and an idempotency key (a Slack
`event_id`, a Teams `activity.id`, a counter in the console) so that a retry changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass(frozen=True)
class Actor:
    platform: str
    user_id: str


@dataclass(frozen=True)
class Event:
    actor: Actor
    lang: str = "fr"
    key: str | None = None

    REQUIRED: ClassVar[tuple[str, ...]] = ()
    """Fields an event means nothing without: an adapter that cannot fill them has nothing to
    send, and says so itself, rather than letting the engine guess at an empty id."""

    def __post_init__(self) -> None:
        missing = [name for name in self.REQUIRED if not getattr(self, name)]
        if missing:
            raise ValueError(f"{type(self).__name__} without {', '.join(missing)}")


@dataclass(frozen=True)
class StartTriage(Event):
    pass


@dataclass(frozen=True)
class Answer(Event):
    REQUIRED = ("triage_id", "question_id")
    triage_id: str = ""
    question_id: str = ""
    value: Any = None
    flow_version: int | None = None
    """The version the question was shown from, when the adapter knows it (a card)."""


@dataclass(frozen=True)
class Back(Event):
    REQUIRED = ("triage_id",)
    triage_id: str = ""
    question_id: str | None = None
    """The question the "back" button was shown on; a click on an older copy changes nothing."""


@dataclass(frozen=True)
class Why(Event):
    REQUIRED = ("triage_id",)
    triage_id: str = ""
    question_id: str | None = None


@dataclass(frozen=True)
class Cancel(Event):
    REQUIRED = ("triage_id",)
    triage_id: str = ""


@dataclass(frozen=True)
class Resume(Event):
    REQUIRED = ("triage_id",)
    triage_id: str = ""


@dataclass(frozen=True)
class ReviewAction(Event):
    """A reviewer's click: claim, confirm, ask (comment = the question) or override (to
    `outcome`, comment mandatory)."""

    REQUIRED = ("triage_id", "action")

    triage_id: str = ""
    action: str = ""
    outcome: str | None = None
    comment: str = ""


@dataclass(frozen=True)
class AgentReply(Event):
    """The agent's answer to a reviewer's question about their triage."""

    REQUIRED = ("triage_id",)

    triage_id: str = ""
    text: str = ""


@dataclass(frozen=True)
class ChangeAnswers(Event):
    """Re-triage: new answers for some questions of a finished triage (an answer file), or
    questions to ask again (`reask`, chosen in a chat form), or both."""

    REQUIRED = ("triage_id",)

    triage_id: str = ""
    answers: dict[str, Any] = field(default_factory=dict)
    reask: tuple[str, ...] = ()
