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

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from flows import conditions as cond
from flows.compiled import CompiledFlow, CompiledQuestion, CompiledRule
from flows.conditions import Answer, Answers, Condition
from flows.evaluation import strongest
from flows.model import OUTCOMES, Outcome, Section
from flows.paths import (
    Budget,
    BudgetSpent,
    PathSpace,
    condition_cost,
    distance,
    relevant_values,
    walk,
)
from flows.problems import Loc, Reporter

__all__ = ["Budget", "BudgetSpent", "Coverage", "PathSpace", "analyse", "relevant_values", "walk"]

MAX_EXHAUSTIVE_PATHS = 20_000
"""Above this many combinations a rule is sampled instead, so a check never hangs a publish."""
SEARCH_RESTARTS = 6
SEARCH_SWEEPS = 12
SEARCH_BUDGET = 60_000
"""Paths a whole run may try in targeted searches: a few seconds at worst, on a broken flow."""
CONTEXT_SECTION = "P"
GLOBAL_SECTION = "G"
_RANK = {"light_track": 0, "condition": 0, "full_review": 1, "incompatible": 2}

Score = Callable[[Answers], int]


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


def _reads_whole_triage(tree: Condition) -> bool:
    return any(isinstance(n, cond.GateUnknown | cond.UnknownCount) for n in cond.walk(tree))


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
            cost = distance(rule.condition, self.flow.context)
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
        stronger = [distance(r.condition, self.flow.context) for r in stronger_rules]
        same = [distance(r.condition, self.flow.context) for r in same_rules]
        cost = sum(self.costs[r.id] for r in (*stronger_rules, *same_rules))

        def score(answers: Answers) -> int:
            silence = sum(cost(answers)[1] for cost in stronger)
            return silence + (min(cost(answers)[0] for cost in same) if same else 0)

        return score, cost

    def search(self, score: Score, cost: int) -> dict[str, Answer] | None:
        """Hill-climb from a few random paths, one answer at a time, to a score of 0.

        The score (of `cost` units) counts the answers still to change (see
        `flows.paths.distance`), so each step that moves a condition one answer closer is
        taken; restarts get out of local optima.
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


def _locs(flow: CompiledFlow) -> tuple[dict[str, Loc], dict[str, Loc]]:
    questions: dict[str, Loc] = {}
    rules: dict[str, Loc] = {}
    for si, section in enumerate(flow.spec.sections):
        for qi, question in enumerate(section.questions):
            questions[question.id] = ("sections", si, "questions", qi)
        for ri, rule in enumerate(section.rules):
            rules[rule.id] = ("sections", si, "rules", ri)
    return questions, rules
