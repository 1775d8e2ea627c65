"""Rule evaluation: a pure function from a flow and the answers on a path to an orientation.

Rules are evaluated once, at the end, over the whole path, so the result depends only on the
recorded answers and the flow version; that is what makes every outcome explainable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flows.compiled import CompiledFlow, CompiledQuestion, CompiledRule, CompiledStandard
from flows.conditions import Answer, matched_questions
from flows.model import OUTCOMES, Outcome


@dataclass(frozen=True)
class FiredRule:
    rule: CompiledRule
    because: dict[str, Answer]


@dataclass(frozen=True)
class BlockingPoint:
    question: CompiledQuestion
    incompatible_rules: tuple[str, ...]

    @property
    def may_be_incompatible(self) -> bool:
        return bool(self.incompatible_rules)


@dataclass(frozen=True)
class Evaluation:
    outcome: Outcome
    fired: tuple[FiredRule, ...]
    standard_conditions: tuple[CompiledStandard, ...]
    blocking_points: tuple[BlockingPoint, ...]

    @property
    def condition_rules(self) -> tuple[FiredRule, ...]:
        return tuple(f for f in self.fired if f.rule.spec.effect == "condition")


def evaluate(flow: CompiledFlow, answers: Mapping[str, Answer]) -> Evaluation:
    """`answers` are the answers on the path, in path order (as `CompiledFlow.path` gives them)."""
    fired = tuple(
        FiredRule(
            rule, {q: answers[q] for q in matched_questions(rule.condition, flow.context, answers)}
        )
        for rule in flow.rules
        if rule.when(answers)
    )
    outcome = strongest(f.rule.spec.effect for f in fired)
    standard = ()
    if outcome == "light_track":
        standard = tuple(c for c in flow.standard_conditions if c.when is None or c.when(answers))
    return Evaluation(outcome, fired, standard, blocking_points(flow, answers, fired))


def strongest(effects: Iterable[str]) -> Outcome:
    """The strongest outcome among the effects; `condition` effects never escalate."""
    rank = {outcome: i for i, outcome in enumerate(OUTCOMES)}
    return OUTCOMES[max((rank.get(effect, 0) for effect in effects), default=0)]


def blocking_points(
    flow: CompiledFlow, answers: Mapping[str, Answer], fired: tuple[FiredRule, ...]
) -> tuple[BlockingPoint, ...]:
    """One per gate answered `nsp`, with the incompatible rules another answer would fire.

    Each alternative replays the path with that one answer changed: questions it newly asks
    stay unanswered (their comparisons are false) and those it no longer asks drop out.
    """
    now = {f.rule.id for f in fired}
    points = []
    for question_id in flow.context.gates:
        answer = answers.get(question_id)
        if answer is None or not flow.context.counts_as_unknown(question_id, answer):
            continue
        question = flow.by_id[question_id]
        gained: set[str] = set()
        for alternative in _alternatives(question, flow.context.unknown):
            changed = {**answers, question_id: alternative}
            path = flow.path(changed)
            gained.update(
                rule.id
                for rule in flow.rules
                if rule.spec.effect == "incompatible"
                and rule.id not in now
                and rule.when(path.answers)
            )
        ordered = tuple(rule.id for rule in flow.rules if rule.id in gained)
        points.append(BlockingPoint(question, ordered))
    return tuple(points)


def _alternatives(question: CompiledQuestion, unknown: str) -> list[Answer]:
    if question.spec.type == "multi":
        return [[c.id] for c in question.choices if not c.exclusive]
    return [c.id for c in question.choices if c.id != unknown]
