"""A triage's row as turns write it: its states, a new one (a start or a re-triage), what an
answer changes in it, and what a re-triage changed against the triage it re-does."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot import events as ev
from bot.actors import new_owner_salt, owner_label
from bot.versions import PublishedFlow
from bot.views import ChangesView
from flows.conditions import Answer
from flows.evaluation import Evaluation
from storage.integrity import CANCELLED, COMPLETED, IN_PROGRESS
from storage.repository import Transaction, TriageRecord, TriageState, new_triage_id, now

__all__ = ["CANCELLED", "COMPLETED", "IN_PROGRESS"]
"""The statuses are storage's, which refuses any other when it reads a triage back."""


@dataclass(frozen=True)
class Loaded:
    """A triage, its flow version and its recorded answers, as one turn sees them."""

    record: TriageState
    published: PublishedFlow
    answers: dict[str, Answer]


def changes_of(previous: dict[str, Any], evaluation: Evaluation) -> ChangesView:
    rules = [f.rule.id for f in evaluation.fired]
    return ChangesView(
        outcome_before=previous["outcome"],
        rules_gained=tuple(r for r in rules if r not in previous["rules"]),
        rules_lost=tuple(r for r in previous["rules"] if r not in rules),
    )


def progress(following: str, evaluation: Evaluation | None) -> dict[str, Any]:
    """The triage row's new values after an answer: the next question, or the outcome."""
    if evaluation is None:
        return {"current_question": following}
    return {
        "status": COMPLETED,
        "current_question": None,
        "outcome": evaluation.outcome,
        "completed_at": now(),
    }


def new_triage(
    tx: Transaction,
    actor: ev.Actor,
    lang: str,
    published: PublishedFlow,
    current_question: str | None,
    revises: str | None = None,
    previous_result: dict[str, Any] | None = None,
) -> TriageState:
    stamp = now()
    record = TriageRecord(
        id=new_triage_id(),
        flow_version_id=published.record.id,
        owner=tx.pseudonym(actor.platform, actor.user_id),
        platform=actor.platform,
        lang=lang,
        status=IN_PROGRESS,
        current_question=current_question,
        outcome=None,
        revision=1,
        created_at=stamp,
        updated_at=stamp,
        completed_at=None,
        owner_salt=new_owner_salt(),
        revises=revises,
        previous_result=previous_result,
    )
    tx.insert_triage(record)
    state = TriageState(
        id=record.id,
        flow_version_id=record.flow_version_id,
        owner=record.owner,
        status=record.status,
        current_question=record.current_question,
        revision=record.revision,
        lang=record.lang,
        owner_platform=actor.platform,
        owner_user_id=actor.user_id,
        owner_salt=record.owner_salt,
        revises=revises,
    )
    started = {"flow_version": published.version, **({"revises": revises} if revises else {})}
    tx.append_audit(record.id, "start", owner_label(state), started)
    return state
