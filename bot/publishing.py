"""Publishing a flow: dry runs against past triages and golden files, then an immutable version.

An admin must see, before publishing, exactly which past orientations a change would alter;
a publication that would change them is refused unless the admin accepts the changes. A new
question that past triages never answered is not a change of orientation: those triages are
counted and listed apart ("would need new answers"), their orientation computed from the
answers they have, as the flow's semantics already treat a question never asked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.error import YAMLError
from sqlalchemy.exc import IntegrityError

from bot.actors import actor_label
from bot.app import App
from bot.events import Actor
from bot.i18n import pick, t
from bot.stored_answers import flow_and_answers
from bot.versions import PublishedFlow, UnknownVersion
from flows.compiled import CompiledFlow
from flows.conditions import Answer
from flows.documents import DocumentRefused, FileTooLarge, load_yaml, read_limited
from flows.evaluation import evaluate
from storage import limits
from storage.repository import ADMIN_CHAIN, VersionRecord

Result = tuple[str, tuple[str, ...]]


@dataclass(frozen=True)
class Replay:
    """One triage or golden file replayed on the candidate flow; `missing` are the questions
    the candidate would ask that were never answered."""

    name: str
    before: Result
    after: Result
    missing: tuple[str, ...] = ()
    labels: dict[str, dict[str, str]] = field(default_factory=dict, compare=False)
    """Each outcome's label by language: an admin reads "Examen approfondi", not an id."""

    @property
    def outcome_changed(self) -> bool:
        return self.before[0] != self.after[0]

    @property
    def rules_changed(self) -> bool:
        return self.before[1] != self.after[1]

    def line(self, lang: str) -> str:
        if not self.rules_changed and not self.outcome_changed:
            return t("replay_same", lang, name=self.name, outcome=self._label(self.before, lang))
        gained = [r for r in self.after[1] if r not in self.before[1]]
        lost = [r for r in self.before[1] if r not in self.after[1]]
        rules = " ".join([*(f"+{r}" for r in gained), *(f"-{r}" for r in lost)])
        if not self.outcome_changed:
            outcome = self._label(self.before, lang)
            return t("replay_rules", lang, name=self.name, outcome=outcome, rules=rules)
        return t(
            "replay_changed",
            lang,
            name=self.name,
            before=self._label(self.before, lang),
            after=self._label(self.after, lang),
            rules=rules,
        )

    def _label(self, result: Result, lang: str) -> str:
        label = self.labels.get(result[0])
        return pick(label, lang) if label else result[0]

    def missing_line(self, lang: str) -> str:
        return t("replay_new_questions", lang, name=self.name, questions=", ".join(self.missing))


@dataclass
class Simulation:
    replays: list[Replay] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def changed_outcomes(self) -> list[Replay]:
        return [r for r in self.replays if r.outcome_changed]

    @property
    def needing_answers(self) -> list[Replay]:
        return [r for r in self.replays if r.missing]

    def summary(self, lang: str) -> str:
        """Each count agrees with its words ("1 analyse rejouée", "0 change d'orientation")."""
        return t(
            "simulation_summary",
            lang,
            replayed=t("simulation_replayed", lang, count=len(self.replays)),
            outcomes=t("simulation_outcomes", lang, count=len(self.changed_outcomes)),
            rules=t("simulation_rules", lang, count=sum(r.rules_changed for r in self.replays)),
            new=t("simulation_new", lang, count=len(self.needing_answers)),
        )


def _result(flow: CompiledFlow, answers: dict[str, Any]) -> Result:
    evaluation = evaluate(flow, answers)
    return evaluation.outcome, tuple(f.rule.id for f in evaluation.fired)


def replay(
    name: str, current: CompiledFlow, candidate: CompiledFlow, answers: dict[str, Answer]
) -> Replay:
    """Both results from the same answers; a question the candidate asks and nobody answered
    counts as not asked, and is named in `missing`."""
    before = _result(current, current.path(answers).answers)
    path = candidate.path(answers)
    labels = {k: v.label for k, v in (current.spec.outcomes | candidate.spec.outcomes).items()}
    return Replay(name, before, _result(candidate, path.answers), path.missing, labels)


def simulate(app: App, candidate: CompiledFlow, cases: Path | None) -> Simulation:
    """Every recorded, finished triage (on its own version) and every golden answer file
    (on the latest version), replayed on the candidate."""
    simulation = Simulation()
    with app.store.reading() as tx:
        try:
            latest: PublishedFlow | None = app.catalog.latest(tx, candidate.id)
        except UnknownVersion:  # a new flow: only the golden files replay, on the candidate
            latest = None
        for record in tx.completed_triages():
            flow, answers = flow_and_answers(app.catalog, tx, record)
            if flow.id != candidate.id:
                continue
            simulation.replays.append(replay(record.id, flow, candidate, answers))
    if cases is not None:
        baseline = latest.flow if latest else candidate
        for name, answers in _golden_files(cases, simulation.problems):
            simulation.replays.append(replay(name, baseline, candidate, answers))
    return simulation


def _golden_files(folder: Path, problems: list[str]) -> Iterable[tuple[str, dict[str, Any]]]:
    """Answer files, bare or as `answers:` beside an `expect:` (the tests' golden cases)."""
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml"), *folder.glob("*.json")]):
        try:
            data = load_yaml(read_limited(path).decode("utf-8"), round_trip=False)
        except (OSError, YAMLError, UnicodeDecodeError, FileTooLarge, DocumentRefused) as error:
            problems.append(f"{path}: {error}")
            continue
        if isinstance(data, dict) and isinstance(data.get("answers"), dict):
            if (data.get("expect") or {}).get("error"):
                continue
            data = data["answers"]
        if isinstance(data, dict):
            yield path.name, {str(k): v for k, v in data.items()}


class PublishRefused(Exception):
    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def too_long(field: str, value: str, limit: int, lang: str) -> str | None:
    """The message for a value beyond its column's legal length, None when it fits."""
    if len(value) <= limit:
        return None
    return t("value_too_long", lang, field=field, length=len(value), max=limit)


def identifier_problems(flow: CompiledFlow, lang: str) -> list[str]:
    """Ids that the database could not store: the flow's and its questions' (answers and
    triages keep them in columns of `limits.IDENTIFIER` characters)."""
    named = [("flow", flow.id), *((f"question {q.id[:40]}…", q.id) for q in flow.questions)]
    found = (too_long(field, value, limits.IDENTIFIER, lang) for field, value in named)
    return [problem for problem in found if problem is not None]


def publish(
    app: App,
    candidate: CompiledFlow,
    by: Actor,
    note: str,
    simulation: Simulation,
    accept_changes: bool,
    new_flow: bool,
    lang: str,
    key: str | None = None,
) -> VersionRecord:
    """Record the candidate as the next version of its flow id, with an admin audit row; the
    version and the log name the publisher by channel and pseudonym (bot.actors). `key`, the
    chat delivery's idempotency key, is claimed with the version: a replay publishes nothing
    (DuplicateEvent)."""
    given = [("by", by.user_id, limits.USER_ID), ("note", note, limits.NOTE)]
    problems = identifier_problems(candidate, lang) + [
        problem for field, value, most in given if (problem := too_long(field, value, most, lang))
    ]
    if problems:
        raise PublishRefused(problems)
    with app.store.reading() as tx:
        existing = tx.latest_version(candidate.id)
        default = app.catalog.default_flow_id
    if existing is None and candidate.id != default and not new_flow:
        raise PublishRefused([t("publish_other_flow", lang, flow=candidate.id, default=default)])
    if existing is not None and existing.sha256 == candidate.sha256:
        raise PublishRefused([t("publish_same", lang, version=existing.version)])
    if simulation.changed_outcomes and not accept_changes:
        lines = [r.line(lang) for r in simulation.changed_outcomes]
        raise PublishRefused([*lines, t("publish_changes", lang, count=len(lines))])
    attempts = 3
    while True:
        try:
            with app.store.transaction() as tx:
                if key is not None:
                    tx.claim_event(by.platform, key)
                publisher = actor_label(tx, by)
                record = tx.record_version(
                    candidate.id,
                    candidate.sha256,
                    candidate.source.decode("utf-8"),
                    candidate.document,
                    publisher,
                    note,
                )
                tx.append_audit(
                    ADMIN_CHAIN,
                    "flow_published",
                    publisher,
                    {
                        "flow": record.flow_id,
                        "version": record.version,
                        "sha256": record.sha256,
                        "note": note,
                        "changed_outcomes": len(simulation.changed_outcomes),
                        "needing_answers": len(simulation.needing_answers),
                    },
                )
            return record
        except IntegrityError:
            attempts -= 1
            if not attempts:
                raise
