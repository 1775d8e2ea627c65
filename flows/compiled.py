"""A flow compiled for running: predicates, lookup tables and one `transitions` Machine.

A compiled flow is immutable and shared by every triage of its version; per-triage state is
a small `Session` (current state and the answers on the path), so the Machine is built once
per version and never has models attached.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from transitions import EventData, Machine

from flows.conditions import Answer, Condition, Context, Predicate, compile_condition
from flows.model import Choice, FlowFile, Question, Rule, Section, StandardCondition
from flows.model import implicit_choices as _implicit

START = "start"
END = "end"
ADVANCE = "advance"


@dataclass(frozen=True)
class CompiledQuestion:
    spec: Question
    section: Section
    position: int
    ask_if: Predicate | None

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def choices(self) -> tuple[Choice, ...]:
        """Declared or implicit choices; directory questions get theirs from the directory."""
        if self.spec.choices is not None:
            return tuple(self.spec.choices)
        return _implicit(self.spec.type)


@dataclass(frozen=True)
class CompiledRule:
    spec: Rule
    section: Section
    condition: Condition
    when: Predicate

    @property
    def id(self) -> str:
        return self.spec.id


@dataclass(frozen=True)
class CompiledStandard:
    spec: StandardCondition
    when: Predicate | None


@dataclass
class Session:
    """What the Machine moves: the current state and the answers recorded on the path."""

    state: str = START
    answers: dict[str, Answer] = field(default_factory=dict)


@dataclass(frozen=True)
class Path:
    """The questions a set of answers leads through, in order."""

    asked: tuple[str, ...]
    answers: dict[str, Answer]
    missing: tuple[str, ...]

    @property
    def next_question(self) -> str | None:
        return self.missing[0] if self.missing else None


class CompiledFlow:
    def __init__(
        self,
        spec: FlowFile,
        source: bytes,
        sha256: str,
        conditions: Mapping[str, Condition],
        document: Any,
    ) -> None:
        self.spec = spec
        self.document = document
        self.source = source
        self.sha256 = sha256
        self.id = spec.flow
        every = [q for s in spec.sections for q in s.questions]
        self.context = Context(
            gates=tuple(q.id for q in every if q.gate),
            unknown=spec.unknown_choice,
            texts=frozenset(q.id for q in every if q.type == "text"),
        )
        questions: list[CompiledQuestion] = []
        rules: list[CompiledRule] = []
        for si, section in enumerate(spec.sections):
            for qi, question in enumerate(section.questions):
                ask_if = self._predicate(conditions, ("sections", si, "questions", qi, "ask_if"))
                questions.append(CompiledQuestion(question, section, len(questions), ask_if))
            for ri, rule in enumerate(section.rules):
                tree = conditions[repr(("sections", si, "rules", ri, "when"))]
                rules.append(
                    CompiledRule(rule, section, tree, compile_condition(tree, self.context))
                )
        self.questions = tuple(questions)
        self.rules = tuple(rules)
        self.by_id = {q.id: q for q in self.questions}
        self.standard_conditions = tuple(
            CompiledStandard(c, self._predicate(conditions, ("standard_conditions", i, "when")))
            for i, c in enumerate(spec.standard_conditions)
        )
        self.machine = self._build_machine()

    def _predicate(self, conditions: Mapping[str, Condition], loc: tuple) -> Predicate | None:
        tree = conditions.get(repr(loc))
        return None if tree is None else compile_condition(tree, self.context)

    def _build_machine(self) -> Machine:
        """One `advance` event: from each state to the first later question whose ask_if holds.

        Transitions are tried in the order they were added, so listing the later questions in
        flow order, and stopping at the first one asked unconditionally, encodes the path.
        """
        ids = [q.id for q in self.questions]
        machine = Machine(
            model=None,
            states=[START, *ids, END],
            initial=None,
            auto_transitions=False,
            send_event=True,
        )
        for source_index, source in enumerate([START, *ids]):
            for question in self.questions[source_index:]:
                guard = question.ask_if
                if guard is None:
                    machine.add_transition(ADVANCE, source, question.id)
                    break
                machine.add_transition(ADVANCE, source, question.id, conditions=[_guard(guard)])
            else:
                machine.add_transition(ADVANCE, source, END)
        return machine

    def advance(self, session: Session) -> str:
        """Move the session to its next question (or END) and return it."""
        self.machine.events[ADVANCE].trigger(session)
        return session.state

    def path(self, answers: Mapping[str, Answer], stop_at_missing: bool = False) -> Path:
        """Replay answers through the Machine: the asked questions, and those left unanswered.

        Answers the path does not ask are left out, so that they never make a rule fire.
        """
        session = Session()
        asked: list[str] = []
        missing: list[str] = []
        while self.advance(session) != END:
            question = session.state
            asked.append(question)
            if question in answers:
                session.answers[question] = answers[question]
            else:
                missing.append(question)
                if stop_at_missing:
                    break
        return Path(tuple(asked), session.answers, tuple(missing))


def _guard(predicate: Predicate) -> Callable[[EventData], bool]:
    def condition(event: EventData) -> bool:
        return predicate(event.model.answers)

    return condition
