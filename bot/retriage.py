"""Re-triage: a new triage linked to the finished one it re-does, run on the latest version of
the flow. Kept apart from the engine's other turns because it is the one turn that reads two
triages and writes a new one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from bot import effects as fx
from bot import events as ev
from bot.actors import owner_label
from bot.i18n import t
from bot.triage_rows import COMPLETED, Loaded, new_triage, progress
from flows.answers import AnswerError, validate_answer
from flows.compiled import END, CompiledFlow
from flows.conditions import Answer
from flows.evaluation import evaluate
from storage.repository import Transaction

if TYPE_CHECKING:
    from bot.engine import Engine


def change(engine: Engine, tx: Transaction, event: ev.ChangeAnswers) -> list[fx.Effect]:
    """Re-triage: a new triage linked to the finished one it re-does, which stays whole
    (viewable, exported, its report unchanged) whatever becomes of the new one. The new
    triage runs on the latest version of the flow, from the previous answers that version
    still accepts plus the changes; the questions to ask again (`reask`) are left
    unanswered, so that it asks them, with the previous answer shown, and the questions
    the changes open; or it shows its result with what changed. Interrupted, it waits like
    any triage in progress."""
    loaded = engine._load_owned(tx, event, event.triage_id)
    previous = loaded.record
    if previous.status != COMPLETED:
        raise fx.Refusal(fx.info("retriage_not_finished", event.lang, id=previous.id))
    published = engine.catalog.latest(tx, loaded.published.flow.id)
    flow = published.flow
    changes, problems = {}, []
    for question_id, value in event.answers.items():
        question = flow.by_id.get(question_id)
        if question is None:
            problems.append(f"{question_id}: {t('unknown_question', event.lang, flow=flow.id)}")
            continue
        try:
            changes[question_id] = validate_answer(question, value, engine.choices(question))
        except AnswerError as error:
            problems.append(f"{question_id}: {t(error.code, event.lang, **error.params)}")
    problems += [
        f"{question_id}: {t('unknown_question', event.lang, flow=flow.id)}"
        for question_id in event.reask
        if question_id not in flow.by_id
    ]
    if problems or not (changes or event.reask):
        raise fx.Refusal(fx.Error("\n".join(problems) or t("retriage_nothing", event.lang)))
    kept = {
        question_id: answer
        for question_id, answer in still_valid(engine, flow, loaded.answers).items()
        if question_id not in event.reask
    }
    before = evaluate(loaded.published.flow, loaded.answers)
    path = flow.path({**kept, **changes})
    first = path.next_question
    record = new_triage(
        tx,
        event.actor,
        event.lang,
        published,
        first,
        revises=previous.id,
        previous_result={"outcome": before.outcome, "rules": [f.rule.id for f in before.fired]},
    )
    for question_id, value in path.answers.items():
        tx.add_answer(record.id, question_id, flow.by_id[question_id].position, value)
    tx.append_audit(
        record.id,
        "answers_changed",
        owner_label(record),
        {
            "revises": previous.id,
            "answers": path.answers,
            "changes": {q: [loaded.answers.get(q), a] for q, a in changes.items()},
            "reask": list(event.reask),
            "dropped": [q for q in loaded.answers if q not in path.answers],
        },
    )
    tx.append_audit(previous.id, "revised", owner_label(previous), {"by": record.id})
    started = fx.info(
        "retriage_started",
        event.lang,
        id=record.id,
        previous=previous.id,
        flow=flow.id,
        version=published.version,
    )
    if first is not None:
        reasked = sum(1 for q in path.missing if q in event.reask)
        opened = len(path.missing) - reasked
        told = [fx.info("retriage_reask", event.lang, count=reasked)] if reasked else []
        if opened:
            told.append(fx.info("retriage_more", event.lang, count=opened))
        loaded_new = Loaded(record, published, path.answers)
        ask = engine._ask(loaded_new, event.lang, previous=loaded.answers.get(first))
        return [started, *told, fx.Ask(ask)]
    evaluation = evaluate(flow, path.answers)
    engine._update(tx, record, **progress(END, evaluation))
    view = engine._record_result(
        tx, Loaded(record, published, path.answers), evaluation, path.answers, event.lang
    )
    return [started, fx.Show(view)]


def still_valid(
    engine: Engine, flow: CompiledFlow, answers: Mapping[str, Answer]
) -> dict[str, Answer]:
    """The answers a (possibly newer) flow version still accepts; the others are asked
    again, like a question never answered."""
    kept: dict[str, Answer] = {}
    for question_id, value in answers.items():
        question = flow.by_id.get(question_id)
        if question is None:
            continue
        try:
            kept[question_id] = validate_answer(question, value, engine.choices(question))
        except AnswerError:
            continue
    return kept
