"""The closed condition language of flow files.

Flow text is data: a condition is parsed into a small tree and compiled into plain Python
closures by this module. Nothing in a flow file is ever evaluated as code, so a published
flow can only ask questions and compare answers.

Semantics fixed by the grid: a comparison on a question the path did not ask is false
(so `not_equals` differs from `not: equals`), and answers are the recorded values
(a choice id, a list of choice ids, an integer or a text).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flows.limits import MAX_CONDITION_DEPTH, MAX_CONDITION_NODES

Answer = str | int | list[str]
Answers = Mapping[str, Answer]
Predicate = Callable[[Answers], bool]
Loc = tuple[str | int, ...]

COMPARISONS = (
    "equals",
    "not_equals",
    "in",
    "not_in",
    "includes",
    "includes_any",
    "less_or_equal",
    "less_than",
    "greater_or_equal",
    "greater_than",
)
COMBINATORS = ("all", "any", "not", "at_least")
SPECIAL = ("answered", "gate_unknown", "unknown_count_at_least")
OPERATORS = COMPARISONS + COMBINATORS + SPECIAL


class ConditionError(Exception):
    """A condition that cannot be parsed; `loc` points inside the flow file."""

    def __init__(self, loc: Loc, message: str) -> None:
        super().__init__(message)
        self.loc = loc
        self.message = message


@dataclass(frozen=True)
class Compare:
    operator: str
    question: str
    value: Any
    loc: Loc


@dataclass(frozen=True)
class Answered:
    question: str
    loc: Loc


@dataclass(frozen=True)
class Combine:
    operator: str
    items: tuple[Condition, ...]
    count: int = 0


@dataclass(frozen=True)
class GateUnknown:
    pass


@dataclass(frozen=True)
class UnknownCount:
    minimum: int


Condition = Compare | Answered | Combine | GateUnknown | UnknownCount


def parse(raw: Any, loc: Loc) -> Condition:
    """Turn the YAML form of a condition into a tree, refusing anything outside the language
    and any condition past `MAX_CONDITION_DEPTH` levels or `MAX_CONDITION_NODES` nodes."""
    return _Parser().parse(raw, loc, 1)


def size(condition: Condition) -> int:
    """Operators and comparisons in a condition, each counted once."""
    return len(walk(condition))


class _Parser:
    """One condition's parse: counts its nodes, so that the limits hold whatever its shape."""

    def __init__(self) -> None:
        self.nodes = 0

    def parse(self, raw: Any, loc: Loc, depth: int) -> Condition:
        if depth > MAX_CONDITION_DEPTH:
            raise ConditionError(
                loc,
                f"conditions are nested more than {MAX_CONDITION_DEPTH} levels deep here; "
                "simplify the condition",
            )
        self.nodes += 1
        if self.nodes > MAX_CONDITION_NODES:
            raise ConditionError(
                loc,
                f"the condition holds more than {MAX_CONDITION_NODES} operators and "
                "comparisons; simplify it or split it between rules",
            )
        return self._node(raw, loc, depth)

    def _node(self, raw: Any, loc: Loc, depth: int) -> Condition:
        if not isinstance(raw, Mapping) or len(raw) != 1:
            raise ConditionError(
                loc, "a condition is a mapping with exactly one operator, e.g. {equals: {DI1: oui}}"
            )
        ((operator, body),) = raw.items()
        here = (*loc, operator)
        if operator in COMPARISONS:
            if not isinstance(body, Mapping) or len(body) != 1:
                raise ConditionError(
                    here, f"{operator} takes one question and a value: {{Q: value}}"
                )
            ((question, value),) = body.items()
            return Compare(operator, str(question), value, (*here, str(question)))
        if operator == "answered":
            if not isinstance(body, str):
                raise ConditionError(here, "answered takes a question id")
            return Answered(body, here)
        if operator in ("all", "any"):
            if not isinstance(body, list) or not body:
                raise ConditionError(here, f"{operator} takes a non-empty list of conditions")
            return Combine(
                operator,
                tuple(self.parse(item, (*here, i), depth + 1) for i, item in enumerate(body)),
            )
        if operator == "not":
            return Combine("not", (self.parse(body, here, depth + 1),))
        if operator == "at_least":
            return self._at_least(body, here, depth)
        if operator == "gate_unknown":
            if body is not True:
                raise ConditionError(here, "gate_unknown takes the value true")
            return GateUnknown()
        if operator == "unknown_count_at_least":
            if not is_whole_number(body) or body < 1:
                raise ConditionError(
                    here, "unknown_count_at_least takes a whole number of 1 or more"
                )
            return UnknownCount(body)
        raise ConditionError(
            here, f"unknown operator {operator!r}; expected one of: {', '.join(OPERATORS)}"
        )

    def _at_least(self, body: Any, loc: Loc, depth: int) -> Combine:
        if not isinstance(body, Mapping) or set(body) != {"count", "of"}:
            raise ConditionError(loc, "at_least takes {count: N, of: [conditions]}")
        count, items = body["count"], body["of"]
        if not isinstance(items, list) or not items:
            raise ConditionError((*loc, "of"), "at_least needs a non-empty list under 'of'")
        if not is_whole_number(count) or not 1 <= count <= len(items):
            raise ConditionError(
                (*loc, "count"), f"count must be a whole number from 1 to {len(items)}"
            )
        parsed = tuple(self.parse(item, (*loc, "of", i), depth + 1) for i, item in enumerate(items))
        return Combine("at_least", parsed, count)


def is_whole_number(value: Any) -> bool:
    """YAML reads `true` as a bool, which Python counts as an int: it is not a number here."""
    return isinstance(value, int) and not isinstance(value, bool)


def walk(condition: Condition) -> list[Condition]:
    """Every node of the tree, for the checks that look at each comparison."""
    nodes: list[Condition] = [condition]
    if isinstance(condition, Combine):
        for item in condition.items:
            nodes.extend(walk(item))
    return nodes


def questions_read(condition: Condition) -> list[str]:
    """Question ids a condition compares, in order of appearance, once each."""
    seen: dict[str, None] = {}
    for node in walk(condition):
        if isinstance(node, Compare | Answered):
            seen.setdefault(node.question)
    return list(seen)


@dataclass(frozen=True)
class Context:
    """What the special operators need to know about the flow."""

    gates: Sequence[str]
    unknown: str
    texts: frozenset[str]

    def counts_as_unknown(self, question: str, answer: Answer) -> bool:
        """Only choice answers count as unknown: a text that says "nsp" is just text."""
        return question not in self.texts and is_unknown(answer, self.unknown)


def is_unknown(answer: Answer, unknown: str) -> bool:
    """Whether a choice answer is, or for a multi contains, the unknown choice."""
    if isinstance(answer, list):
        return unknown in answer
    return answer == unknown


def compile_condition(condition: Condition, context: Context) -> Predicate:
    """Build the closure that the state machine and the rule evaluation call."""
    if isinstance(condition, Compare):
        return _compile_compare(condition)
    if isinstance(condition, Answered):
        question = condition.question
        return lambda answers: question in answers
    if isinstance(condition, GateUnknown):
        gates = tuple(context.gates)
        unknown = context.unknown
        return lambda answers: any(q in answers and is_unknown(answers[q], unknown) for q in gates)
    if isinstance(condition, UnknownCount):
        minimum, counts = condition.minimum, context.counts_as_unknown
        return lambda answers: sum(1 for q, a in answers.items() if counts(q, a)) >= minimum
    items = [compile_condition(item, context) for item in condition.items]
    if condition.operator == "all":
        return lambda answers: all(item(answers) for item in items)
    if condition.operator == "any":
        return lambda answers: any(item(answers) for item in items)
    if condition.operator == "not":
        (only,) = items
        return lambda answers: not only(answers)
    count = condition.count
    return lambda answers: sum(1 for item in items if item(answers)) >= count


def _compile_compare(node: Compare) -> Predicate:
    question, value = node.question, node.value
    test = _TESTS[node.operator]
    if isinstance(value, list):
        value = frozenset(value) if node.operator in ("equals", "not_equals") else tuple(value)

    def predicate(answers: Answers) -> bool:
        if question not in answers:
            return False
        return test(answers[question], value)

    return predicate


def _equals(answer: Answer, value: Any) -> bool:
    if isinstance(answer, list):
        return frozenset(answer) == value
    return answer == value


_TESTS: dict[str, Callable[[Any, Any], bool]] = {
    "equals": _equals,
    "not_equals": lambda answer, value: not _equals(answer, value),
    "in": lambda answer, values: answer in values,
    "not_in": lambda answer, values: answer not in values,
    "includes": lambda answer, value: value in answer,
    "includes_any": lambda answer, values: any(v in answer for v in values),
    "less_or_equal": lambda answer, value: answer <= value,
    "less_than": lambda answer, value: answer < value,
    "greater_or_equal": lambda answer, value: answer >= value,
    "greater_than": lambda answer, value: answer > value,
}


def matched_questions(condition: Condition, context: Context, answers: Answers) -> list[str]:
    """The questions behind a fired rule, for its `because`: only the answers that made it hold.

    A reader takes every answer listed as a reason, so a part of the condition that did not
    hold (a risk factor that is absent, the other side of an `any`) names nothing; under a
    `not`, the answers it read are the reason. The special operators name the unknown answers.
    """
    seen: dict[str, None] = {}
    for question in _reasons(condition, context, answers):
        seen.setdefault(question)
    return list(seen)


def _reasons(condition: Condition, context: Context, answers: Answers) -> list[str]:
    if isinstance(condition, Compare | Answered):
        holds = compile_condition(condition, context)(answers)
        return [condition.question] if holds else []
    if isinstance(condition, GateUnknown):
        unknown = context.counts_as_unknown
        return [q for q in context.gates if q in answers and unknown(q, answers[q])]
    if isinstance(condition, UnknownCount):
        return [q for q, a in answers.items() if context.counts_as_unknown(q, a)]
    if condition.operator == "not":
        return [q for q in questions_read(condition) if q in answers]
    holding = [item for item in condition.items if compile_condition(item, context)(answers)]
    if condition.operator == "all" and len(holding) < len(condition.items):
        return []
    return [q for item in holding for q in _reasons(item, context, answers)]
