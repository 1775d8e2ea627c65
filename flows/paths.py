"""The paths a flow's checks walk: the answers worth trying for each question, exhaustive
walks over a few questions, how far a set of answers is from making a condition hold, and
the work units every walk pays for.

Shared by the path checks of `flows.analysis` and by `flows.diagram`, which walks the same
way to leave out the transitions that no path takes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping

from flows import conditions as cond
from flows import limits
from flows.compiled import CompiledFlow, CompiledQuestion
from flows.conditions import Answer, Answers, Condition
from flows.model import SCALE_MAX, SCALE_MIN

DIRECTORY_ANSWER = "autre"
"""The directory choice that is always offered, so walks never need the directory itself."""


TEXT_ANSWER = "x"


Values = dict[str, tuple[Answer, ...]]


class BudgetSpent(Exception):
    """The walks of one flow used up their work units."""


class Budget:
    """Work units left for the walks of one flow: a question stepped over, a condition
    operator evaluated, a value compared or counted, each on one walk."""

    def __init__(self, units: int | None = None) -> None:
        self.units = limits.ANALYSIS_BUDGET if units is None else units
        self.spent = 0

    def spend(self, units: int) -> None:
        self.spent += units
        if self.spent > self.units:
            raise BudgetSpent


def condition_cost(tree: Condition, flow: CompiledFlow) -> int:
    """The units of one evaluation of `tree`: one per node, plus what a node goes through
    (a list of values, the gates, every answer)."""
    cost = 0
    for node in cond.walk(tree):
        cost += 1
        if isinstance(node, cond.Compare) and isinstance(node.value, list):
            cost += len(node.value)
        elif isinstance(node, cond.GateUnknown):
            cost += len(flow.context.gates)
        elif isinstance(node, cond.UnknownCount):
            cost += len(flow.questions)
    return cost


def walk(flow: CompiledFlow, answers: Mapping[str, Answer]) -> dict[str, Answer]:
    """The answers that a full set of answers records along its path, in path order.

    The Machine goes from each state to the first later question whose `ask_if` holds, so a
    scan of the questions in flow order, asking those whose `ask_if` holds on the answers
    recorded so far, follows the same path (`CompiledFlow.path`), about forty times faster.
    """
    recorded: dict[str, Answer] = {}
    for question in flow.questions:
        if question.id in answers and (question.ask_if is None or question.ask_if(recorded)):
            recorded[question.id] = answers[question.id]
    return recorded


def relevant_values(flow: CompiledFlow, trees: Iterable[Condition] = ()) -> Values:
    """The answers worth trying for each question: enough to tell every condition apart.

    Each choice (the directory's always-offered `autre` for directory questions), each scale
    point, one text. For a multi question: each choice alone, all its non-exclusive choices
    together, and each list that a condition in `trees` compares it with by equality.
    """
    literal = _compared_lists(trees)
    values: Values = {}
    for question in flow.questions:
        values[question.id] = _values_of(question, literal.get(question.id, []))
    return values


def _values_of(question: CompiledQuestion, literal: list[list[str]]) -> tuple[Answer, ...]:
    kind = question.spec.type
    if kind == "text":
        return (TEXT_ANSWER,)
    if kind == "scale":
        return tuple(range(SCALE_MIN, SCALE_MAX + 1))
    if question.spec.choices_from is not None:
        return (DIRECTORY_ANSWER,)
    if kind != "multi":
        return tuple(c.id for c in question.choices)
    return _multi_values(question, literal)


def _multi_values(question: CompiledQuestion, literal: list[list[str]]) -> tuple[Answer, ...]:
    exclusive = {c.id for c in question.choices if c.exclusive}
    offered = [c.id for c in question.choices]
    together = [c for c in offered if c not in exclusive]
    candidates = [[c] for c in offered]
    if len(together) > 1:
        candidates.append(together)
    candidates.extend(literal)
    values: dict[frozenset[str], list[str]] = {}
    for items in candidates:
        valid = (
            items
            and len(set(items)) == len(items)
            and all(i in offered for i in items)
            and (len(items) == 1 or not exclusive & set(items))
        )
        if valid:
            values.setdefault(frozenset(items), list(items))
    return tuple(values.values())


def _compared_lists(trees: Iterable[Condition]) -> dict[str, list[list[str]]]:
    lists: dict[str, list[list[str]]] = {}
    for tree in trees:
        for node in cond.walk(tree):
            if (
                isinstance(node, cond.Compare)
                and node.operator in ("equals", "not_equals")
                and isinstance(node.value, list)
            ):
                lists.setdefault(node.question, []).append([str(v) for v in node.value])
    return lists


class PathSpace:
    """A flow's relevant answers, and exhaustive walks over a few of its questions.

    Shared by the checks of `flows.analysis` and by `flows.diagram`.
    """

    def __init__(self, flow: CompiledFlow, budget: Budget | None = None) -> None:
        self.flow = flow
        self.budget = budget or Budget()
        self.asks = _ask_if_trees(flow)
        trees = [*self.asks.values(), *(r.condition for r in flow.rules)]
        self.values = relevant_values(flow, trees)
        self.ask_costs = {q: condition_cost(tree, flow) for q, tree in self.asks.items()}
        self.ask_reads = {q: self.reads(tree) for q, tree in self.asks.items()}

    def paths(self, questions: tuple[str, ...], extra: int = 0) -> Iterator[dict[str, Answer]]:
        """Every path through `questions` (in flow order, closed under their ask_if): a
        question is branched on only where its ask_if holds, as the Machine would ask it.
        Each path is paid for as it is yielded, `extra` units more for what the caller
        evaluates on it.

        The same dict is yielded each time, changed in place: read it, do not keep it.
        """
        recorded: dict[str, Answer] = {}
        step = len(questions) + sum(self.ask_costs.get(q, 0) for q in questions) + extra

        def branch(index: int) -> Iterator[dict[str, Answer]]:
            if index == len(questions):
                self.budget.spend(step)
                yield recorded
                return
            question = self.flow.by_id[questions[index]]
            values = self.values[question.id]
            if not values or (question.ask_if is not None and not question.ask_if(recorded)):
                yield from branch(index + 1)
                return
            for value in values:
                recorded[question.id] = value
                yield from branch(index + 1)
            del recorded[question.id]

        return branch(0)

    def reads(self, tree: Condition) -> set[str]:
        ids = set(cond.questions_read(tree))
        for node in cond.walk(tree):
            if isinstance(node, cond.GateUnknown):
                ids.update(self.flow.context.gates)
            elif isinstance(node, cond.UnknownCount):
                ids.update(q.id for q in self.flow.questions if q.spec.type != "text")
        return ids & set(self.flow.by_id)

    def closure(self, seeds: Iterable[str]) -> tuple[str, ...]:
        """The questions read, and those whose ask_if decides whether they are asked."""
        seen: set[str] = set()
        todo = list(seeds)
        while todo:
            question = todo.pop()
            if question not in seen:
                seen.add(question)
                reads = self.ask_reads.get(question, ())
                self.budget.spend(1 + len(reads))
                todo.extend(reads)
        return tuple(sorted(seen, key=lambda q: self.flow.by_id[q].position))

    def bound(self, questions: Iterable[str]) -> int:
        return math.prod(max(1, len(self.values[q])) for q in questions)


def _ask_if_trees(flow: CompiledFlow) -> dict[str, Condition]:
    """The parsed ask_if of each question (the compiled flow keeps only its predicate)."""
    trees = {}
    for question in flow.questions:
        if question.spec.ask_if is not None:
            trees[question.id] = cond.parse(question.spec.ask_if, ("ask_if",))
    return trees


Distance = Callable[[Answers], tuple[int, int]]
"""(answers to change to make a condition hold, answers to change to make it fail), 0 when
it already does; a lower bound that guides the search, never a proof."""


def distance(tree: Condition, context: cond.Context) -> Distance:
    if isinstance(tree, cond.Combine):
        return _combined_distance(tree, context)
    if isinstance(tree, cond.GateUnknown):
        gates, counts = tuple(context.gates), context.counts_as_unknown

        def unknown_gates(answers: Answers) -> tuple[int, int]:
            count = sum(1 for q in gates if q in answers and counts(q, answers[q]))
            return (0 if count else 1, count)

        return unknown_gates
    if isinstance(tree, cond.UnknownCount):
        minimum = tree.minimum

        def unknowns(answers: Answers) -> tuple[int, int]:
            count = sum(1 for q, a in answers.items() if context.counts_as_unknown(q, a))
            return (max(0, minimum - count), max(0, count - minimum + 1))

        return unknowns
    predicate = cond.compile_condition(tree, context)
    return lambda answers: (0, 1) if predicate(answers) else (1, 0)


def _combined_distance(tree: cond.Combine, context: cond.Context) -> Distance:
    items = [distance(item, context) for item in tree.items]
    if tree.operator == "not":
        (only,) = items

        def negated(answers: Answers) -> tuple[int, int]:
            hold, fail = only(answers)
            return fail, hold

        return negated
    size = len(items)
    need = {"all": size, "any": 1}.get(tree.operator, tree.count)

    def at_least(answers: Answers) -> tuple[int, int]:
        costs = [item(answers) for item in items]
        hold = sorted(c[0] for c in costs)[:need]
        fail = sorted(c[1] for c in costs)[: size - need + 1]
        return sum(hold), sum(fail)

    return at_least
