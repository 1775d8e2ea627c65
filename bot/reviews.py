"""The human decision: reviewers claim, confirm, question the agent or override.

The doctrine keeps a human in control, so every decision is recorded with its author (by
pseudonym), the agent is told of each one, and overriding an `incompatible` orientation
takes a second reviewer (four eyes). Each action runs inside the engine's turn transaction.
"""

from __future__ import annotations

from typing import Any

from bot import effects as fx
from bot import events as ev
from bot.actors import label
from bot.directory import Directory
from bot.i18n import LANGS, t, t_all
from bot.notifications import (
    REVIEW_CLOSED,
    REVIEW_REQUEST,
    Recipient,
    queue_notices,
    reviewers_for,
)
from flows.answers import control_character
from flows.model import OUTCOMES
from storage.repository import PENDING as UNSENT
from storage.repository import OutboxRecord, ReviewRecord, Transaction, now

PENDING, CLAIMED, ASKED, OVERRIDE_PENDING, DECIDED = (
    "pending",
    "claimed",
    "asked",
    "override_pending",
    "decided",
)
REVIEW_DECISION = "review_decision"
REVIEW_DECIDED = "review_decided"
"""The code of the Info that a decision ends with: the review is closed."""
CLOSED_CODES = frozenset({REVIEW_DECIDED, "review_already_decided"})
"""A reviewer's click answered with one of these: the review is decided, its notice can say so."""
REVIEW_QUESTION = "review_question"
AGENT_ANSWER = "agent_answer"
COMMENT_MAX = 2000


def _notify(
    tx: Transaction, triage_id: str, kind: str, pseudonym: str, texts: dict[str, str], key: str
) -> None:
    identity = tx.identity(pseudonym)
    if identity is not None:
        owner = [Recipient(*identity)]
        queue_notices(tx, owner, f"{kind}:{triage_id}:{key}", triage_id, kind, {"text": texts})


def _by(event: ev.Event, me: str) -> str:
    """A reviewer in the audit log: their channel and pseudonym. Unlike the owner's alias it
    survives the triage's retention: a reviewer's decision is an act of office."""
    return label(event.actor.platform, me)


def is_reviewer(directory: Directory, department: str, actor: ev.Actor) -> bool:
    return Recipient(actor.platform, actor.user_id) in reviewers_for(directory, department)


def handle_review(
    tx: Transaction, directory: Directory, event: ev.ReviewAction, project: str, owner: str
) -> list[fx.Effect]:
    lang = event.lang
    review = tx.review(event.triage_id)
    if review is None:
        raise fx.Refusal(fx.error("review_none", lang, id=event.triage_id))
    me = tx.pseudonym(event.actor.platform, event.actor.user_id)
    if not is_reviewer(directory, review.department, event.actor):
        tx.append_audit(event.triage_id, "review_refused", _by(event, me), {"action": event.action})
        return [fx.error("review_not_reviewer", lang)]
    if me == owner:
        # Four eyes: an author who reviews their own department still cannot review this one.
        tx.append_audit(
            event.triage_id, "review_refused", _by(event, me), {"action": event.action, "own": True}
        )
        return [fx.error("review_own_triage", lang)]
    if review.status == DECIDED:
        outcome = t(f"outcome_{review.final_outcome}", lang)
        raise fx.Refusal(fx.info("review_already_decided", lang, outcome=outcome))
    handler = {"claim": _claim, "confirm": _confirm, "ask": _ask, "override": _override}.get(
        event.action
    )
    if handler is None:
        raise fx.Refusal(fx.error("review_unknown_action", lang, action=event.action))
    return handler(tx, review, event, me, project, owner)


def _save(tx: Transaction, review: ReviewRecord, lang: str, **values: Any) -> None:
    if not tx.update_review(review.triage_id, review.revision, **values):
        raise fx.Refusal(fx.info("concurrent_update", lang))


def _claim(
    tx: Transaction, review: ReviewRecord, event: ev.ReviewAction, me: str, project: str, owner: str
) -> list[fx.Effect]:
    if review.reviewer == me:
        raise fx.Refusal(fx.info("review_yours", event.lang))
    if review.reviewer is not None:
        raise fx.Refusal(fx.info("review_claimed_by_other", event.lang))
    _save(tx, review, event.lang, status=CLAIMED, reviewer=me)
    tx.append_audit(review.triage_id, "review_claimed", _by(event, me), {})
    _notify(
        tx,
        review.triage_id,
        REVIEW_DECISION,
        owner,
        t_all("agent_review_claimed", project=project),
        f"claim:{review.revision}",
    )
    return [fx.info("review_claimed", event.lang, project=project)]


def _confirm(
    tx: Transaction, review: ReviewRecord, event: ev.ReviewAction, me: str, project: str, owner: str
) -> list[fx.Effect]:
    if review.status == OVERRIDE_PENDING:
        if review.pending_by == me:
            raise fx.Refusal(fx.info("review_second_needed", event.lang))
        return _decide(
            tx,
            review,
            event,
            me,
            project,
            owner,
            "overridden",
            review.pending_outcome or review.proposed_outcome,
            review.comment,
        )
    _typed(event.comment, event.lang)
    return _decide(
        tx,
        review,
        event,
        me,
        project,
        owner,
        "confirmed",
        review.proposed_outcome,
        event.comment.strip(),
    )


def _decide(
    tx: Transaction,
    review: ReviewRecord,
    event: ev.ReviewAction,
    me: str,
    project: str,
    owner: str,
    decision: str,
    outcome: str,
    comment: str,
) -> list[fx.Effect]:
    _save(
        tx,
        review,
        event.lang,
        status=DECIDED,
        decision=decision,
        final_outcome=outcome,
        comment=comment,
        reviewer=review.reviewer or me,
        decided_at=now(),
    )
    tx.append_audit(
        review.triage_id,
        "review_decided",
        _by(event, me),
        {"decision": decision, "outcome": outcome, "comment": comment},
    )
    texts = {
        lang: t(
            f"agent_review_{decision}",
            lang,
            project=project,
            outcome=t(f"outcome_{outcome}", lang),
            comment=comment,
        )
        for lang in LANGS
    }
    _notify(tx, review.triage_id, REVIEW_DECISION, owner, texts, decision)
    _close_copies(tx, review.triage_id, event.actor)
    label = t(f"outcome_{outcome}", event.lang)
    text = t(f"review_{decision}", event.lang, project=project, outcome=label)
    return [fx.Info(text, REVIEW_DECIDED)]


def _close_copies(tx: Transaction, triage_id: str, decider: ev.Actor) -> None:
    """Every other reviewer's copy of the review request is to show the decision in place of
    its buttons (the decider's own is redrawn by their click); a copy not delivered yet is
    drawn decided when it goes out."""
    for copy in tx.outbox_messages(triage_id):
        mine = (copy.platform, copy.recipient) == (decider.platform, decider.user_id)
        if copy.kind == REVIEW_REQUEST and not mine:
            recipient = [Recipient(copy.platform, copy.recipient)]
            key = f"{REVIEW_CLOSED}:{triage_id}:{copy.id}"
            queue_notices(tx, recipient, key, triage_id, REVIEW_CLOSED, {"copy": copy.id})


class CopyNotDelivered(Exception):
    """The copy to update is still on its way: the update is retried after it (notifier)."""


def copy_to_close(
    tx: Transaction, message: OutboxRecord
) -> tuple[dict[str, Any], ReviewRecord] | None:
    """Where the copy that a REVIEW_CLOSED message updates was posted, and the decided review;
    None when there is nothing to update (the copy was parked, erased, or never posted)."""
    copy = tx.outbox_message(int(message.payload.get("copy", 0)))
    review = tx.review(message.triage_id)
    if copy is None or review is None or review.status != DECIDED:
        return None
    if copy.status == UNSENT:
        raise CopyNotDelivered(f"review request {copy.id} is not delivered yet")
    return (copy.posted, review) if copy.posted else None


def _typed(text: str, lang: str) -> None:
    """A review's words reach the other side's screen: the same characters as an answer."""
    if (control := control_character(text)) is not None:
        raise fx.Refusal(fx.error("text_control", lang, char=control))


def _ask(
    tx: Transaction, review: ReviewRecord, event: ev.ReviewAction, me: str, project: str, owner: str
) -> list[fx.Effect]:
    question = event.comment.strip()
    if not question or len(question) > COMMENT_MAX:
        raise fx.Refusal(fx.error("review_question_required", event.lang, max=COMMENT_MAX))
    _typed(question, event.lang)
    _save(tx, review, event.lang, status=ASKED, reviewer=review.reviewer or me)
    tx.append_audit(review.triage_id, "review_question", _by(event, me), {"question": question})
    _notify(
        tx,
        review.triage_id,
        REVIEW_QUESTION,
        owner,
        t_all("agent_review_question", project=project, question=question, id=review.triage_id),
        f"ask:{review.revision}",
    )
    return [fx.info("review_question_sent", event.lang)]


def _override(
    tx: Transaction, review: ReviewRecord, event: ev.ReviewAction, me: str, project: str, owner: str
) -> list[fx.Effect]:
    comment = event.comment.strip()
    if event.outcome not in OUTCOMES or event.outcome == review.proposed_outcome:
        others = (t(f"outcome_{o}", event.lang) for o in OUTCOMES if o != review.proposed_outcome)
        outcomes = t("list_separator", event.lang).join(others)
        raise fx.Refusal(fx.error("review_outcome_invalid", event.lang, outcomes=outcomes))
    if not comment or len(comment) > COMMENT_MAX:
        raise fx.Refusal(fx.error("review_comment_required", event.lang, max=COMMENT_MAX))
    _typed(comment, event.lang)
    if review.proposed_outcome == "incompatible":
        _save(
            tx,
            review,
            event.lang,
            status=OVERRIDE_PENDING,
            pending_outcome=event.outcome,
            pending_by=me,
            comment=comment,
            reviewer=review.reviewer or me,
        )
        tx.append_audit(
            review.triage_id,
            "override_proposed",
            _by(event, me),
            {"outcome": event.outcome, "comment": comment},
        )
        return [fx.info("review_override_pending", event.lang)]
    return _decide(tx, review, event, me, project, owner, "overridden", event.outcome, comment)


def handle_agent_reply(
    tx: Transaction, event: ev.AgentReply, owner_actor: str, project: str
) -> list[fx.Effect]:
    """The agent answers a reviewer's question; the answer goes back to that reviewer.
    `owner_actor` is the agent as the triage's audit chain names them (bot.actors)."""
    review = tx.review(event.triage_id)
    text = event.text.strip()
    if review is None or review.status != ASKED or review.reviewer is None:
        raise fx.Refusal(fx.info("agent_reply_unexpected", event.lang))
    if not text or len(text) > COMMENT_MAX:
        raise fx.Refusal(fx.error("review_question_required", event.lang, max=COMMENT_MAX))
    _typed(text, event.lang)
    _save(tx, review, event.lang, status=CLAIMED)
    tx.append_audit(review.triage_id, "agent_answer", owner_actor, {"answer": text})
    _notify(
        tx,
        review.triage_id,
        AGENT_ANSWER,
        review.reviewer,
        t_all("reviewer_agent_answer", project=project, answer=text, id=review.triage_id),
        f"answer:{review.revision}",
    )
    return [fx.info("agent_reply_sent", event.lang)]
