"""Checks before publishing that need walks over the flow, not one element at a time.

`flows.checks` looks at each element on its own (ids, types, references). This module looks
at paths: that every question is asked on some path, that no path stops at a question nobody
can answer, that each section has the shape the doctrine gives it, that every rule can fire
and that every outcome can be produced. An admin learns this before publishing, instead of
from a triage that can never reach a rule it was written for.

Two kinds of walks, because enumerating every path of a 40-question flow is out of reach:

- exhaustive: a question's `ask_if`, and a rule that reads only questions of its own section,
  depend only on the questions they read and on those that decide whether these are asked
  (their `ask_if`, recursively). Every path through that small set of questions, over each
  question's relevant values, is walked: the answer is exact (for those values).
- sampled: a rule that reads several sections, or the whole triage (`gate_unknown`,
  `unknown_count_at_least`), is checked on random complete paths drawn with a fixed seed,
  then by a targeted search for the ones the sample missed. A sample proves that a rule
  fires, never that it cannot, so a rule still unseen is a warning, not an error.

Outcomes are judged on complete paths only (sampled or searched): a section walked alone
leaves every other section unanswered, which no real triage does.

All the walks share one `Budget` of work units (`flows.limits.ANALYSIS_BUDGET`): a flow whose
walks would need more is refused with an error, since it could not be checked, instead of
holding a thread for minutes. Units, not seconds, so that the verdict never depends on the
machine's load.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from flows import conditions as cond
from flows import limits
from flows.compiled import CompiledFlow, CompiledQuestion, CompiledRule
from flows.conditions import Answer, Answers, Condition
from flows.evaluation import strongest
from flows.model import OUTCOMES, SCALE_MAX, SCALE_MIN, Outcome, Section
from flows.problems import Loc, Reporter

DIRECTORY_ANSWER = "autre"
"""The directory choice that is always offered, so walks never need the directory itself."""
TEXT_ANSWER = "x"
MAX_EXHAUSTIVE_PATHS = 20_000
"""Above this many combinations a rule is sampled instead, so a check never hangs a publish."""
SEARCH_RESTARTS = 6
SEARCH_SWEEPS = 12
SEARCH_BUDGET = 60_000
"""Paths a whole run may try in targeted searches: a few seconds at worst, on a broken flow."""
CONTEXT_SECTION = "P"
GLOBAL_SECTION = "G"
_RANK = {"light_track": 0, "condition": 0, "full_review": 1, "incompatible": 2}

Values = dict[str, tuple[Answer, ...]]
Score = Callable[[Answers], int]


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


@dataclass(frozen=True)
class Coverage:
    """What the walks saw: the numbers an admin reads before publishing."""

    local_rules: tuple[str, ...]
    local_fired: tuple[str, ...]
    cross_rules: tuple[str, ...]
    sampled_fired: tuple[str, ...]
    searched_fired: tuple[str, ...]
    outcomes: tuple[Outcome, ...]
    exhaustive_paths: int
    sampled_paths: int
    searched_paths: int

    @property
    def rules_total(self) -> int:
        return len(self.local_rules) + len(self.cross_rules)

    @property
    def rules_fired(self) -> int:
        return len(self.local_fired) + len(self.sampled_fired) + len(self.searched_fired)

    @property
    def cross_fired(self) -> int:
        return len(self.sampled_fired) + len(self.searched_fired)

    @property
    def paths(self) -> int:
        return self.exhaustive_paths + self.sampled_paths + self.searched_paths

    @property
    def unfired(self) -> tuple[str, ...]:
        fired = {*self.local_fired, *self.sampled_fired, *self.searched_fired}
        return tuple(r for r in (*self.local_rules, *self.cross_rules) if r not in fired)

    @property
    def complete(self) -> bool:
        """Every rule fired and every outcome was produced."""
        return not self.unfired and len(self.outcomes) == len(OUTCOMES)

    def summary(self, lang: str) -> str:
        """One line for `boussole flows check`, in French unless `lang` is English."""
        if lang == "en":
            return self._summary_en()
        return self._summary_fr()

    def _summary_fr(self) -> str:
        search = (
            f", dont {len(self.searched_fired)} par recherche ciblée" if self.searched_fired else ""
        )
        return (
            f"Couverture : {self.rules_fired}/{self.rules_total} règles déclenchées "
            f"({len(self.local_fired)}/{len(self.local_rules)} par parcours exhaustif de section, "
            f"{self.cross_fired}/{len(self.cross_rules)} sur {self.sampled_paths} parcours tirés"
            f"{search}), {len(self.outcomes)}/{len(OUTCOMES)} orientations produites, "
            f"{self.paths} parcours en tout"
        )

    def _summary_en(self) -> str:
        search = f", {len(self.searched_fired)} by targeted search" if self.searched_fired else ""
        return (
            f"Coverage: {self.rules_fired}/{self.rules_total} rules fired "
            f"({len(self.local_fired)}/{len(self.local_rules)} by exhaustive section walks, "
            f"{self.cross_fired}/{len(self.cross_rules)} in {self.sampled_paths} sampled paths"
            f"{search}), {len(self.outcomes)}/{len(OUTCOMES)} outcomes produced, "
            f"{self.paths} paths in all"
        )


def analyse(
    flow: CompiledFlow,
    report: Reporter,
    samples: int = 2000,
    seed: int = 0,
    budget: int | None = None,
) -> Coverage | None:
    """Run the path checks on a compiled flow, reporting each problem at its element.

    None, with an error, when the walks need more than `budget` units (by default
    `flows.limits.ANALYSIS_BUDGET`): the problems found until then stand (each was found
    exactly), the coverage would not.
    """
    units = Budget(budget)
    try:
        return _Analysis(flow, report, seed, units).run(samples)
    except BudgetSpent:
        report.error(
            (),
            f"the path checks stopped after {units.units} steps, their limit: this flow has too "
            "many questions, values or conditions for its rules and outcomes to be checked; "
            "simplify it",
        )
        return None


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


def _reads_whole_triage(tree: Condition) -> bool:
    return any(isinstance(n, cond.GateUnknown | cond.UnknownCount) for n in cond.walk(tree))


class PathSpace:
    """A flow's relevant answers, and exhaustive walks over a few of its questions.

    Shared by the checks here and by `flows.diagram`, which walks the same way to leave out
    the transitions that no path takes.
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


class _Analysis:
    """One run of the checks over one flow; holds the lookups every check shares."""

    def __init__(self, flow: CompiledFlow, report: Reporter, seed: int, budget: Budget) -> None:
        self.flow = flow
        self.report = report
        self.rng = random.Random(seed)
        self.budget = budget
        self.space = PathSpace(flow, budget)
        self.values = self.space.values
        self.costs = {r.id: condition_cost(r.condition, flow) for r in flow.rules}
        self.rule_reads = {r.id: self.space.reads(r.condition) for r in flow.rules}
        self.walk_cost = len(self.values) + len(flow.questions) + sum(self.space.ask_costs.values())
        """A random answer to every question, and one walk of the flow with them."""
        self.question_locs, self.rule_locs = _locs(flow)
        self.exhaustive_paths = 0
        self.searched_paths = 0

    def run(self, samples: int) -> Coverage:
        self.check_sections()
        self.check_dead_ends()
        unresolved = self.check_reachable()
        local, cross = self.split_rules()
        local_fired = self.walk_local_rules(local)
        sampled_fired, outcomes, asked = self.sample(samples)
        searched = self.search_rules([r for r in cross if r.id not in sampled_fired])
        outcomes |= self.search_outcomes(outcomes)
        self.report_sampled(unresolved, asked, samples)
        coverage = Coverage(
            local_rules=tuple(r.id for r in local),
            local_fired=tuple(r.id for r in local if r.id in local_fired),
            cross_rules=tuple(r.id for r in cross),
            sampled_fired=tuple(r.id for r in cross if r.id in sampled_fired),
            searched_fired=tuple(r.id for r in cross if r.id in searched),
            outcomes=tuple(o for o in OUTCOMES if o in outcomes),
            exhaustive_paths=self.exhaustive_paths,
            sampled_paths=samples,
            searched_paths=self.searched_paths,
        )
        self.report_coverage(coverage, cross, samples)
        return coverage

    # -- shapes and dead ends ---------------------------------------------------------------

    def check_sections(self) -> None:
        """P holds the project context (questions only), G the rules over the whole triage
        (rules only); every other section is a criterion and needs both."""
        for si, section in enumerate(self.flow.spec.sections):
            for loc, message in _shape_problems(section, ("sections", si)):
                self.report.error(loc, message)

    def check_dead_ends(self) -> None:
        """A choice question with no choice cannot be answered: its paths never end."""
        for question in self.flow.questions:
            if question.spec.choices is not None and not question.spec.choices:
                self.report.error(
                    (*self.question_locs[question.id], "choices"),
                    f"question {question.id} offers no choice, so a triage that reaches it "
                    "can never go on (dead end); give it choices",
                )

    # -- exhaustive walks ---------------------------------------------------------------------

    def check_reachable(self) -> list[CompiledQuestion]:
        """Errors for questions no path asks; returns those too costly to walk exhaustively."""
        unresolved = []
        for question in self.flow.questions:
            tree, guard = self.space.asks.get(question.id), question.ask_if
            if tree is None or guard is None:
                continue
            deciding = self.space.closure(self.space.ask_reads[question.id])
            if self.space.bound(deciding) > MAX_EXHAUSTIVE_PATHS:
                unresolved.append(question)
            elif not self.holds_somewhere(guard, deciding, self.space.ask_costs[question.id]):
                self.report.error(
                    (*self.question_locs[question.id], "ask_if"),
                    f"question {question.id} is never asked: no answers to the questions "
                    f"before it ({', '.join(deciding)}) make its ask_if hold",
                )
        return unresolved

    def split_rules(self) -> tuple[list[CompiledRule], list[CompiledRule]]:
        """Rules decided by their own section (walked exhaustively), and the others."""
        local, cross = [], []
        for rule in self.flow.rules:
            own = {q.id for q in rule.section.questions}
            reads = self.rule_reads[rule.id]
            small = self.space.bound(self.space.closure(reads)) <= MAX_EXHAUSTIVE_PATHS
            if not _reads_whole_triage(rule.condition) and reads <= own and small:
                local.append(rule)
            else:
                cross.append(rule)
        return local, cross

    def walk_local_rules(self, rules: list[CompiledRule]) -> set[str]:
        fired = set()
        for rule in rules:
            deciding = self.space.closure(self.rule_reads[rule.id])
            if self.holds_somewhere(rule.when, deciding, self.costs[rule.id]):
                fired.add(rule.id)
            else:
                self.report.error(
                    (*self.rule_locs[rule.id], "when"),
                    f"rule {rule.id} can never fire: no path through the questions that "
                    f"decide it ({', '.join(deciding)}) makes its condition hold",
                )
        return fired

    def holds_somewhere(
        self, predicate: cond.Predicate, questions: tuple[str, ...], cost: int
    ) -> bool:
        """Whether some path through `questions` makes `predicate` (of `cost` units) hold;
        walks them all."""
        found = False
        for recorded in self.space.paths(questions, cost):
            self.exhaustive_paths += 1
            found = found or predicate(recorded)
        return found

    # -- sampled walk and targeted search -------------------------------------------------------

    def draw(self) -> dict[str, Answer]:
        """A random answer for every question; the path keeps those it asks."""
        return {q: self.rng.choice(v) for q, v in self.values.items() if v}

    def sample(self, samples: int) -> tuple[set[str], set[Outcome], set[str]]:
        """Random complete paths: the rules they fire, their outcomes, the questions asked."""
        fired: set[str] = set()
        outcomes: set[Outcome] = set()
        asked: set[str] = set()
        rules_cost = sum(self.costs.values()) + len(self.flow.rules)
        for _ in range(samples):
            self.budget.spend(self.walk_cost + rules_cost)
            recorded = walk(self.flow, self.draw())
            now = [r for r in self.flow.rules if r.when(recorded)]
            fired.update(r.id for r in now)
            outcomes.add(strongest(r.spec.effect for r in now))
            asked.update(recorded)
        return fired, outcomes, asked

    def search_rules(self, rules: list[CompiledRule]) -> set[str]:
        """Look for a path that fires each rule the sample missed."""
        found = set()
        for rule in rules:
            cost = _distance(rule.condition, self.flow.context)
            answers = self.search(lambda answers, cost=cost: cost(answers)[0], self.costs[rule.id])
            if answers is not None and rule.when(answers):
                found.add(rule.id)
        return found

    def search_outcomes(self, seen: set[Outcome]) -> set[Outcome]:
        """Look for a complete path ending in each outcome the sample did not produce."""
        found: set[Outcome] = set()
        effects = {r.spec.effect for r in self.flow.rules}
        for outcome in OUTCOMES:
            possible = outcome == "light_track" or outcome in effects
            if outcome in seen or not possible:
                continue
            score, score_cost = self.outcome_score(outcome)
            answers = self.search(score, score_cost)
            if answers is not None:
                self.budget.spend(sum(self.costs.values()))
                fired = [r for r in self.flow.rules if r.when(answers)]
                if strongest(r.spec.effect for r in fired) == outcome:
                    found.add(outcome)
        return found

    def outcome_score(self, outcome: Outcome) -> tuple[Score, int]:
        """How far a path is from `outcome` (stronger rules to silence, one rule to fire),
        and the units one score costs."""
        rank = _RANK[outcome]
        stronger_rules = [r for r in self.flow.rules if _RANK[r.spec.effect] > rank]
        same_rules = [r for r in self.flow.rules if rank and _RANK[r.spec.effect] == rank]
        stronger = [_distance(r.condition, self.flow.context) for r in stronger_rules]
        same = [_distance(r.condition, self.flow.context) for r in same_rules]
        cost = sum(self.costs[r.id] for r in (*stronger_rules, *same_rules))

        def score(answers: Answers) -> int:
            silence = sum(cost(answers)[1] for cost in stronger)
            return silence + (min(cost(answers)[0] for cost in same) if same else 0)

        return score, cost

    def search(self, score: Score, cost: int) -> dict[str, Answer] | None:
        """Hill-climb from a few random paths, one answer at a time, to a score of 0.

        The score (of `cost` units) counts the answers still to change (see `_distance`), so
        each step that moves a condition one answer closer is taken; restarts get out of
        local optima.
        """
        for _ in range(SEARCH_RESTARTS):
            found = self.climb(self.draw(), score, cost)
            if found is not None:
                return found
        return None

    def climb(self, start: dict[str, Answer], score: Score, cost: int) -> dict[str, Answer] | None:
        step = self.walk_cost + cost
        self.budget.spend(step)
        current, recorded = start, walk(self.flow, start)
        best = score(recorded)
        for _ in range(SEARCH_SWEEPS):
            if best == 0:
                return recorded
            improved = False
            for question in self.flow.questions:
                if question.id not in recorded:
                    continue
                if self.searched_paths >= SEARCH_BUDGET:
                    return None
                for value in self.values[question.id]:
                    if value == recorded[question.id]:
                        continue
                    self.budget.spend(step)
                    candidate = {**current, question.id: value}
                    answers = walk(self.flow, candidate)
                    self.searched_paths += 1
                    result = score(answers)
                    if result < best:
                        current, recorded, best, improved = candidate, answers, result, True
            if not improved:
                break
        return recorded if best == 0 else None

    # -- reports ----------------------------------------------------------------------------

    def report_sampled(
        self, unresolved: list[CompiledQuestion], asked: set[str], samples: int
    ) -> None:
        for question in unresolved:
            if question.id not in asked:
                self.report.warning(
                    (*self.question_locs[question.id], "ask_if"),
                    f"question {question.id} was not asked on any of {samples} sampled paths; "
                    "check that its ask_if can hold",
                )

    def report_coverage(self, coverage: Coverage, cross: list[CompiledRule], samples: int) -> None:
        covered = f"rule coverage {coverage.rules_fired}/{coverage.rules_total}"
        fired = {*coverage.sampled_fired, *coverage.searched_fired}
        for rule in cross:
            if rule.id not in fired:
                self.report.warning(
                    (*self.rule_locs[rule.id], "when"),
                    f"rule {rule.id} was not seen firing on {samples} sampled paths nor by a "
                    f"targeted search ({covered}); check that its condition can hold",
                )
        for outcome in OUTCOMES:
            if outcome not in coverage.outcomes:
                self.report.error(
                    ("outcomes", outcome),
                    f"outcome {outcome!r} is never produced: no walk of the flow ends in it "
                    f"({coverage.paths} paths walked, {covered})",
                )


def _shape_problems(section: Section, here: Loc) -> Iterator[tuple[Loc, str]]:
    kind = {CONTEXT_SECTION: "context", GLOBAL_SECTION: "global"}.get(section.id, "criterion")
    criterion = "a criterion needs questions and rules"
    if kind == "global":
        for qi, question in enumerate(section.questions):
            yield (
                (*here, "questions", qi),
                f"section G holds rules only (over the whole triage); move question "
                f"{question.id} to the section of its criterion",
            )
    elif not section.questions:
        why = "it holds the project context" if kind == "context" else criterion
        yield (*here, "questions"), f"section {section.id} has no question; {why}"
    if kind == "context":
        for ri, rule in enumerate(section.rules):
            yield (
                (*here, "rules", ri),
                f"section P holds questions only (the project context); move rule {rule.id} "
                "to a criterion section or to G",
            )
    elif not section.rules:
        why = "it holds the rules over the whole triage" if kind == "global" else criterion
        yield (*here, "rules"), f"section {section.id} has no rule; {why}"


def _ask_if_trees(flow: CompiledFlow) -> dict[str, Condition]:
    """The parsed ask_if of each question (the compiled flow keeps only its predicate)."""
    trees = {}
    for question in flow.questions:
        if question.spec.ask_if is not None:
            trees[question.id] = cond.parse(question.spec.ask_if, ("ask_if",))
    return trees


def _locs(flow: CompiledFlow) -> tuple[dict[str, Loc], dict[str, Loc]]:
    questions: dict[str, Loc] = {}
    rules: dict[str, Loc] = {}
    for si, section in enumerate(flow.spec.sections):
        for qi, question in enumerate(section.questions):
            questions[question.id] = ("sections", si, "questions", qi)
        for ri, rule in enumerate(section.rules):
            rules[rule.id] = ("sections", si, "rules", ri)
    return questions, rules


Distance = Callable[[Answers], tuple[int, int]]
"""(answers to change to make a condition hold, answers to change to make it fail), 0 when
it already does; a lower bound that guides the search, never a proof."""


def _distance(tree: Condition, context: cond.Context) -> Distance:
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
    items = [_distance(item, context) for item in tree.items]
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
