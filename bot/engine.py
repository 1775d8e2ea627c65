"""The engine: one event in, one transaction, effects out.

Synchronous on purpose (simple, testable, fast on SQLite); async adapters call it off their
event loop. A refused event raises `Refusal` inside the transaction, which rolls back every
write of the turn, idempotency key included, so that "nothing changed" is literally true.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy.exc import IntegrityError

from bot import effects as fx
from bot import events as ev
from bot.actors import owner_label
from bot.answers_cache import AnswersCache
from bot.directory import Directory, DirectoryCache
from bot.i18n import LANGS, pick, t
from bot.metrics import ERRORS, TURN_SECONDS, TURNS
from bot.notifications import (
    NOTIFIED_OUTCOMES,
    department_of,
    project_name,
    queue_notices,
    reviewers_for,
    stored_project_name,
)
from bot.retriage import change
from bot.reviews import handle_agent_reply, handle_review
from bot.routing import notified, notified_of, route_review
from bot.stored_answers import fitting
from bot.triage_rows import (
    CANCELLED,
    COMPLETED,
    Loaded,
    changes_of,
    new_triage,
    progress,
)
from bot.unreadable import UnreadableRecord, unreadable_effect
from bot.versions import FlowCatalog, PublishedFlow
from bot.views import ResultView, answer_text, question_view, result_view, why_text
from flows.answers import AnswerError, validate_answer
from flows.compiled import END, CompiledQuestion, Session
from flows.conditions import Answer
from flows.evaluation import Evaluation, evaluate
from flows.model import Choice
from storage.limits import TooLong
from storage.repository import (
    DuplicateEvent,
    Store,
    Transaction,
    TriageState,
)


class _Ended(Exception):
    """A turn that ended without its normal effects, labelled for the metrics."""

    def __init__(self, result: str, effects: list[fx.Effect]) -> None:
        super().__init__(result)
        self.result = result
        self.effects = effects


def _triage_of(event: ev.Event, effects: list[fx.Effect]) -> str:
    """The triage a turn made (a start, a re-triage) or else the one it named."""
    for effect in effects:
        if isinstance(effect, fx.Ask):
            return effect.question.triage_id
        if isinstance(effect, fx.Show):
            return effect.result.triage_id
    return str(getattr(event, "triage_id", ""))


def _check_printable(event: ev.Event) -> None:
    """Ids come from platform payloads and typed commands; one with a control character (a
    NUL, which PostgreSQL refuses in any text) names nothing stored here."""
    triage_id = getattr(event, "triage_id", "")
    if not triage_id.isprintable():
        shown = triage_id.encode("unicode_escape").decode("ascii")
        raise fx.Refusal(fx.error("triage_not_found", event.lang, id=shown))
    ids = (event.actor.platform, event.actor.user_id, event.key or "")
    if not all(i.isprintable() for i in ids):
        raise fx.Refusal(fx.error("request_unreadable", event.lang))


class Engine:
    def __init__(self, store: Store, catalog: FlowCatalog, directories: DirectoryCache) -> None:
        self.store = store
        self.catalog = catalog
        self.directories = directories
        self._answers = AnswersCache()

    @property
    def directory(self) -> Directory:
        return self.directories.get()

    def handle(self, event: ev.Event) -> list[fx.Effect]:
        return self.turn(event).effects

    def turn(self, event: ev.Event) -> fx.TurnResult:
        name = type(event).__name__
        started = time.perf_counter()
        result = "ok"
        try:
            effects = self._handle(event)
            refused = bool(effects) and all(isinstance(e, fx.Error) for e in effects)
            status = fx.REFUSED if refused else fx.DONE
            return fx.TurnResult(status, _triage_of(event, effects), effects)
        except _Ended as ended:
            result = ended.result
            return fx.TurnResult(ended.result, _triage_of(event, ended.effects), ended.effects)
        except Exception:
            result = "error"
            ERRORS.labels(kind="engine").inc()
            raise
        finally:
            TURNS.labels(event=name, result=result).inc()
            TURN_SECONDS.labels(event=name).observe(time.perf_counter() - started)

    def _handle(self, event: ev.Event) -> list[fx.Effect]:
        handler = _HANDLERS[type(event)]
        try:
            _check_printable(event)
            with self.store.transaction() as tx:
                if event.key is not None:
                    tx.claim_event(event.actor.platform, event.key)
                effects = handler(self, tx, event)
            for callback in tx.after_commit:
                callback()
            return effects
        except DuplicateEvent:
            raise _Ended(fx.DUPLICATE, [fx.info("duplicate_event", event.lang)]) from None
        except IntegrityError:
            raise _Ended(fx.CONFLICT, [fx.info("concurrent_update", event.lang)]) from None
        except TooLong as error:
            found = {"field": error.field, "length": error.length, "max": error.limit}
            raise _Ended(fx.REFUSED, [fx.error("value_too_long", event.lang, **found)]) from None
        except fx.Refusal as refusal:
            raise _Ended(fx.REFUSED, refusal.effects) from None
        except UnreadableRecord as error:
            raise _Ended(fx.REFUSED, [unreadable_effect(error, event.lang)]) from None

    # Handlers: each runs inside the turn's transaction.

    def _start(self, tx: Transaction, event: ev.StartTriage) -> list[fx.Effect]:
        published = self.catalog.latest(tx)
        first = published.flow.advance(Session())
        record = new_triage(tx, event.actor, event.lang, published, first)
        started = fx.info(
            "started", event.lang, id=record.id, flow=published.flow.id, version=published.version
        )
        loaded = Loaded(record, published, {})
        return [started, fx.Ask(self._ask(loaded, event.lang))]

    def _answer(self, tx: Transaction, event: ev.Answer) -> list[fx.Effect]:
        loaded = self._load_inprogress(tx, event, event.triage_id)
        record, flow = loaded.record, loaded.published.flow
        if event.flow_version is not None and event.flow_version != loaded.published.version:
            raise fx.Refusal(
                fx.info("stale_version", event.lang), fx.Ask(self._ask(loaded, event.lang))
            )
        if event.question_id != record.current_question:
            raise fx.Refusal(
                fx.info("stale_question", event.lang), fx.Ask(self._ask(loaded, event.lang))
            )
        question = flow.by_id[event.question_id]
        try:
            value = validate_answer(question, event.value, self.choices(question))
        except AnswerError as error:
            raise fx.Refusal(fx.error(error.code, event.lang, **error.params)) from None
        answers = {**loaded.answers, question.id: value}
        dropped: list[str] = []
        if any(flow.by_id[q].position > question.position for q in loaded.answers):
            # Only after a re-triage: answers beyond this question were kept; the new answer
            # may change the path, and the answers it no longer asks are dropped.
            kept = flow.path(answers).answers
            dropped = [q for q in answers if q not in kept]
            answers = kept
        session = Session(state=question.id, answers=answers)
        following = flow.advance(session)
        while following != END and following in answers:
            following = flow.advance(session)
        evaluation = evaluate(flow, answers) if following == END else None
        tx.add_answer(record.id, question.id, question.position, value)
        if dropped:
            tx.remove_answers(record.id, dropped)
        tx.append_audit(
            record.id,
            "answer",
            owner_label(record),
            {"question": question.id, "value": value, **({"dropped": dropped} if dropped else {})},
        )
        summary = t(
            "answered",
            event.lang,
            label=pick(question.spec.label, event.lang),
            answer=answer_text(value, self.choices(question), event.lang),
        )
        freeze = fx.Freeze(record.id, question.id, summary)
        if evaluation is not None:
            shown = fx.Show(self._record_result(tx, loaded, evaluation, answers, event.lang))
            self._update(tx, record, last=True, **progress(following, evaluation))
            return [freeze, shown]
        updated = Loaded(record, loaded.published, answers)
        earlier = self._earlier_answer(tx, record, following)
        ask = self._ask(updated, event.lang, current=following, previous=earlier)
        # The one write, last: on PostgreSQL it carries the inserts (Repository._last_write).
        self._update(tx, record, last=True, **progress(following, None))
        tx.after_commit.append(lambda: self._answers.put(record.id, record.revision + 1, answers))
        return [freeze, fx.Ask(ask)]

    def _back(self, tx: Transaction, event: ev.Back) -> list[fx.Effect]:
        loaded = self._load_inprogress(tx, event, event.triage_id)
        if event.question_id is not None and event.question_id != loaded.record.current_question:
            raise fx.Refusal(
                fx.info("stale_question", event.lang), fx.Ask(self._ask(loaded, event.lang))
            )
        flow = loaded.published.flow
        current = flow.by_id[loaded.record.current_question or ""].position
        earlier = [q for q in loaded.answers if flow.by_id[q].position < current]
        if not earlier:
            raise fx.Refusal(
                fx.info("first_question", event.lang), fx.Ask(self._ask(loaded, event.lang))
            )
        previous = max(earlier, key=lambda q: flow.by_id[q].position)
        value = loaded.answers[previous]
        self._update(tx, loaded.record, current_question=previous)
        tx.remove_answers(loaded.record.id, [previous])
        tx.append_audit(
            loaded.record.id,
            "back",
            owner_label(loaded.record),
            {"question": previous, "dropped": value},
        )
        answers = {q: a for q, a in loaded.answers.items() if q != previous}
        stepped = Loaded(loaded.record, loaded.published, answers)
        return [fx.Ask(self._ask(stepped, event.lang, current=previous, previous=value))]

    def _why(self, tx: Transaction, event: ev.Why) -> list[fx.Effect]:
        loaded = self._load_owned(tx, event, event.triage_id)
        question_id = event.question_id or loaded.record.current_question
        question = loaded.published.flow.by_id.get(question_id or "")
        if question is None:
            raise self._finished(tx, loaded.record.id, event.lang)
        raise fx.Refusal(fx.Info(why_text(question, event.lang)))

    def _cancel(self, tx: Transaction, event: ev.Cancel) -> list[fx.Effect]:
        loaded = self._load_inprogress(tx, event, event.triage_id)
        self._update(tx, loaded.record, status=CANCELLED)
        tx.append_audit(loaded.record.id, "cancel", owner_label(loaded.record), {})
        return [fx.info("cancelled", event.lang, id=loaded.record.id)]

    def _resume(self, tx: Transaction, event: ev.Resume) -> list[fx.Effect]:
        loaded = self._load_owned(tx, event, event.triage_id)
        record = loaded.record
        if record.status == COMPLETED:
            raise self._finished(tx, record.id, event.lang)
        if record.status == CANCELLED:
            raise fx.Refusal(fx.info("triage_cancelled", event.lang, id=record.id))
        path = loaded.published.flow.path(loaded.answers, stop_at_missing=True)
        current = path.next_question
        if current != record.current_question:
            self._update(tx, record, current_question=current)
        return [
            fx.info("resumed", event.lang, id=record.id),
            fx.Ask(
                self._ask(
                    loaded,
                    event.lang,
                    current=current,
                    previous=self._earlier_answer(tx, record, current),
                )
            ),
        ]

    def _review(self, tx: Transaction, event: ev.ReviewAction) -> list[fx.Effect]:
        record = tx.triage(event.triage_id)
        if record is None:
            raise fx.Refusal(fx.error("triage_not_found", event.lang, id=event.triage_id))
        project = stored_project_name(tx, record.id)
        return handle_review(tx, self.directory, event, project, record.owner)

    def _agent_reply(self, tx: Transaction, event: ev.AgentReply) -> list[fx.Effect]:
        loaded = self._load_owned(tx, event, event.triage_id)
        project = project_name(loaded.answers, loaded.record.id)
        return handle_agent_reply(tx, event, owner_label(loaded.record), project)

    # Shared steps.

    def _earlier_answer(
        self, tx: Transaction, record: TriageState, question: str | None
    ) -> Answer | None:
        """In a re-triage, the answer the re-done triage gave to `question`, shown and
        pre-selected when the question is asked again; one read, on re-triages only."""
        if record.revises is None or question is None:
            return None
        return tx.answers(record.revises).get(question)

    def choices(self, question: CompiledQuestion) -> tuple[Choice, ...]:
        if question.spec.choices_from == "directory":
            return self.directory.choices
        return question.choices

    def _load_owned(self, tx: Transaction, event: ev.Event, triage_id: str) -> Loaded:
        state = tx.triage_state(triage_id)
        if state is None:
            raise fx.Refusal(fx.error("triage_not_found", event.lang, id=triage_id))
        if (state.owner_platform, state.owner_user_id) != (
            event.actor.platform,
            event.actor.user_id,
        ):
            raise fx.Refusal(fx.error("not_owner", event.lang, id=triage_id))
        published = self.catalog.get(tx, state.flow_version_id)
        answers = self._answers.get(triage_id, state.revision)
        if answers is None:
            answers = fitting(published.flow, state, tx.answers(triage_id))
        return Loaded(state, published, answers)

    def _load_inprogress(self, tx: Transaction, event: ev.Event, triage_id: str) -> Loaded:
        loaded = self._load_owned(tx, event, triage_id)
        if loaded.record.status == COMPLETED:
            raise self._finished(tx, triage_id, event.lang)
        if loaded.record.status == CANCELLED:
            raise fx.Refusal(fx.info("triage_cancelled", event.lang, id=triage_id))
        return loaded

    def _finished(self, tx: Transaction, triage_id: str, lang: str) -> fx.Refusal:
        """A finished triage answers any action with what the notice promises: its result."""
        return fx.Refusal(
            fx.info("triage_completed", lang, id=triage_id),
            fx.Show(self.result(tx, triage_id, lang)),
        )

    def _update(
        self, tx: Transaction, record: TriageState, last: bool = False, **values: Any
    ) -> None:
        if not tx.update_triage(record.id, record.revision, last, **values):
            raise _Ended(fx.CONFLICT, [fx.info("concurrent_update", record.lang)])

    def _ask(
        self,
        loaded: Loaded,
        lang: str,
        current: str | None = None,
        previous: Answer | None = None,
    ) -> Any:
        flow = loaded.published.flow
        question = flow.by_id[current or loaded.record.current_question or ""]
        before = sum(1 for q in loaded.answers if flow.by_id[q].position < question.position)
        return question_view(
            loaded.record.id,
            flow,
            loaded.published.version,
            question,
            self.choices(question),
            before + 1,
            lang,
            previous,
        )

    def _record_result(
        self,
        tx: Transaction,
        loaded: Loaded,
        evaluation: Evaluation,
        answers: Mapping[str, Answer],
        lang: str,
    ) -> ResultView:
        """Audit the result and queue the reviewers' notifications in the same transaction."""
        record = loaded.record
        previous = tx.previous_result(record.id) if record.revises else None
        tx.append_audit(
            record.id,
            "result",
            owner_label(record),
            {"outcome": evaluation.outcome, "rules": [f.rule.id for f in evaluation.fired]},
        )
        if evaluation.outcome in NOTIFIED_OUTCOMES:
            department = department_of(loaded.published.flow, dict(answers))
            tx.open_review(record.id, department, evaluation.outcome)
            routed = route_review(
                tx,
                self.directory,
                record.id,
                record.revision,
                department,
                evaluation.outcome,
                owner_label(record),
            )
        view = result_view(
            record.id,
            loaded.published.flow,
            loaded.published.version,
            evaluation,
            answers,
            (),
            lang,
            self.choices,
        )
        if evaluation.outcome in NOTIFIED_OUTCOMES:  # as recorded, not read back
            view = replace(view, notified=notified_of(self.directory, routed, record.id, lang))
        if previous is None:
            return view
        if previous["outcome"] != evaluation.outcome:
            self._tell_reviewers_of_change(tx, loaded, answers, previous["outcome"], evaluation)
        return replace(view, changes=changes_of(previous, evaluation))

    def _tell_reviewers_of_change(
        self,
        tx: Transaction,
        loaded: Loaded,
        answers: Mapping[str, Answer],
        before: str,
        evaluation: Evaluation,
    ) -> None:
        flow, record = loaded.published.flow, loaded.record
        project = project_name(answers, record.id)
        texts = {
            lang: t(
                "retriage_changed",
                lang,
                project=project,
                id=record.id,
                before=t(f"outcome_{before}", lang),
                after=t(f"outcome_{evaluation.outcome}", lang),
            )
            for lang in LANGS
        }
        queue_notices(
            tx,
            reviewers_for(self.directory, department_of(flow, dict(answers))),
            f"retriage_changed:{record.id}:{record.revision}",
            record.id,
            "retriage_changed",
            {"text": texts},
        )

    def submit(
        self,
        actor: ev.Actor,
        lang: str,
        published: PublishedFlow,
        answers: Mapping[str, Answer],
        ignored: tuple[str, ...],
    ) -> ResultView:
        """Record a whole triage from validated answers (an answer file) in one transaction,
        with the same rows and audit events as a triage answered question by question."""
        with self.store.transaction() as tx:
            record = new_triage(tx, actor, lang, published, None)
            for question, value in answers.items():
                tx.add_answer(record.id, question, published.flow.by_id[question].position, value)
                tx.append_audit(
                    record.id, "answer", owner_label(record), {"question": question, "value": value}
                )
            evaluation = evaluate(published.flow, answers)
            self._update(tx, record, **progress(END, evaluation))
            loaded = Loaded(record, published, dict(answers))
            view = self._record_result(tx, loaded, evaluation, answers, lang)
        return replace(view, ignored=ignored)

    def result(self, tx: Transaction, triage_id: str, lang: str) -> ResultView:
        """The result of a finished triage, recomputed from its answers and its own version."""
        record = tx.triage(triage_id)
        if record is None:
            raise LookupError(triage_id)
        published = self.catalog.get(tx, record.flow_version_id)
        flow, version = published.flow, published.version
        answers = fitting(flow, record, tx.answers(triage_id))
        evaluation = evaluate(flow, answers)
        view = result_view(record.id, flow, version, evaluation, answers, (), lang, self.choices)
        if evaluation.outcome in NOTIFIED_OUTCOMES:
            view = replace(view, notified=notified(tx, self.directory, record.id, lang))
        if record.previous_result is None:
            return view
        return replace(view, changes=changes_of(record.previous_result, evaluation))


_HANDLERS: dict[type, Any] = {
    ev.StartTriage: Engine._start,
    ev.Answer: Engine._answer,
    ev.Back: Engine._back,
    ev.Why: Engine._why,
    ev.Cancel: Engine._cancel,
    ev.Resume: Engine._resume,
    ev.ReviewAction: Engine._review,
    ev.AgentReply: Engine._agent_reply,
    ev.ChangeAnswers: change,
}
