"""Review notifications: who is told of a flagged triage, and what they read.

Notifications are written to the outbox in the transaction that completes the triage; a
notifier (bot.notifier) delivers them through the platform senders that adapters register.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import nullcontext
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from bot.directory import OTHER, Directory
from bot.i18n import pick, t
from bot.views import ResultView
from flows.compiled import CompiledFlow
from flows.conditions import Answer
from storage.repository import Transaction

REVIEW_REQUEST = "review_request"
REVIEW_CLOSED = "review_closed"
"""Update one reviewer's copy of a review request (`payload["copy"]`, its outbox id) to the
decision, so that no reviewer is left with buttons on a decided review."""
NOTIFIED_OUTCOMES = ("full_review", "incompatible")
TRANSLATED_KINDS = frozenset(
    {
        "review_decision",
        "review_question",
        "agent_answer",
        "review_reminder",
        "weekly_digest",
        "retriage_reminder",
        "retriage_changed",
    }
)
"""Outbox kinds whose text is written in every language; another kind goes out in French."""


def notification_text(payload: object, kind: str, lang: str) -> str:
    """A notification's text (`payload["text"]`: one string, or one per language) in the
    reader's language when its kind is translated, else in French, else in any; "" when the
    payload has none, which no platform can send."""
    texts = payload.get("text") if isinstance(payload, dict) else None
    if isinstance(texts, str):
        return texts
    if not isinstance(texts, dict):
        return ""
    wanted = lang if kind in TRANSLATED_KINDS else "fr"
    found = texts.get(wanted) or texts.get("fr") or next((v for v in texts.values() if v), "")
    return found if isinstance(found, str) else ""


@dataclass(frozen=True)
class Recipient:
    platform: str
    user_id: str

    @classmethod
    def parse(cls, text: str) -> Recipient:
        """`slack:U012ABC` or `teams:29:1abc…`: the platform is before the first colon."""
        platform, _, user_id = text.partition(":")
        return cls(platform, user_id)


def project_name(answers: Mapping[str, object], triage_id: str) -> str:
    """What people call a triage in a notice: its first answer (the project's name, P1 in the
    bundled flow), or its id when it has none yet."""
    return str(next(iter(answers.values()), triage_id))


def stored_project_name(tx: Transaction, triage_id: str) -> str:
    """The same, for a triage whose answers are not at hand."""
    return str(tx.first_answers([triage_id]).get(triage_id, triage_id))


def department_of(flow: CompiledFlow, answers: dict[str, Answer]) -> str:
    """The answer to the flow's directory question (P2 in the bundled flow)."""
    for question in flow.questions:
        if question.spec.choices_from == "directory" and question.id in answers:
            return str(answers[question.id])
    return OTHER


REVIEWERS, DEFAULT_REVIEWERS, ADMINS, NOBODY = "reviewers", "default_reviewers", "admins", "nobody"
"""Who a flagged triage goes to, in the order tried: a notice is never routed to nobody while
someone in the directory or the admin list can be told."""


@dataclass(frozen=True)
class Routing:
    """Who reviews a department's triages: its role (one of the four above) and the members."""

    to: str
    recipients: tuple[Recipient, ...]


def routing(directory: Directory, department: str) -> Routing:
    """The department's reviewers, else the default reviewers (those of `autre`), else the
    admins, who are told so and can act on the notice; NOBODY when even the admins are none."""
    found = next((d for d in directory.departments if d.id == department), None)
    for to, names in (
        (REVIEWERS, found.reviewers if found else []),
        (DEFAULT_REVIEWERS, directory.default_reviewers),
        (ADMINS, directory.admins),
    ):
        recipients = tuple(Recipient.parse(name) for name in names if ":" in name)
        if recipients:
            return Routing(to, recipients)
    return Routing(NOBODY, ())


def reviewers_for(directory: Directory, department: str) -> list[Recipient]:
    """Whoever reviews the department's triages today (see `routing`): they are notified, may
    read the result and decide."""
    return list(routing(directory, department).recipients)


def unreviewed_departments(directory: Directory) -> list[str]:
    """Ids of the departments (`autre` included) whose triages go to no reviewer of their own:
    to the admins, or to nobody when there are none."""
    ids = [d.id for d in directory.departments] + [OTHER]
    return [i for i in ids if routing(directory, i).to in (ADMINS, NOBODY)]


def queue_notices(
    tx: Transaction,
    recipients: list[Recipient],
    key: str,
    triage_id: str,
    kind: str,
    payload: dict[str, object],
    once: bool = False,
) -> int:
    """Queue one notice per recipient, keyed `{key}:{platform}:{user}` so that a delivery is
    never queued twice; with `once`, a key already queued (another instance, an earlier run of
    the schedules) is skipped instead of failing the transaction. Returns how many were queued."""
    queued = 0
    for recipient in recipients:
        try:
            with tx.connection.begin_nested() if once else nullcontext():
                (tx.enqueue if once else tx.queue_notice)(
                    key=f"{key}:{recipient.platform}:{recipient.user_id}",
                    triage_id=triage_id,
                    kind=kind,
                    platform=recipient.platform,
                    recipient=recipient.user_id,
                    payload=payload,
                )
            queued += 1
        except IntegrityError:
            if not once:
                raise
    return queued


@dataclass(frozen=True)
class ReviewNotice:
    """What a reviewer reads, in their language; adapters draw it as a card or message."""

    triage_id: str
    project: str
    department: str
    outcome: str
    outcome_label: str
    summary: str
    rules: tuple[tuple[str, str, str], ...]
    """(rule id, effect, explanation) of every fired rule."""


def review_notice(
    view: ResultView, department_id: str, directory: Directory, lang: str
) -> ReviewNotice:
    project = project_name({r.question: r.answer for r in view.answer_rows}, view.triage_id)
    department = next(
        (pick(c.label, lang) for c in directory.choices if c.id == department_id), department_id
    )
    return ReviewNotice(
        triage_id=view.triage_id,
        project=project,
        department=department,
        outcome=view.outcome,
        outcome_label=view.outcome_label,
        summary=t(
            "review_summary",
            lang,
            project=project,
            department=department,
            outcome=view.outcome_label,
            id=view.triage_id,
        )
        + _stand_in(view, department, lang),
        rules=tuple((r.id, r.effect, r.explanation) for r in view.rules),
    )


def _stand_in(view: ResultView, department: str, lang: str) -> str:
    """Why an admin receives a department's review request: it has no reviewer of its own."""
    if view.notified is None or view.notified.to != ADMINS:
        return ""
    return "\n" + t("review_admin_stand_in", lang, department=department)
