"""Properties over random complete answer sets drawn along the flow's own paths."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import effects as fx
from bot import events as ev
from bot.app import App
from flows.compiled import END, CompiledFlow, Session
from flows.evaluation import evaluate, strongest
from flows.loader import load_bundled
from flows.model import OUTCOMES
from tests.bot.journeys import AGENT, only, start

FLOW = load_bundled()
DEPARTMENTS = ["education", "solidarites", "autre"]


def draw_answer(data: st.DataObject, flow: CompiledFlow, question_id: str) -> Any:
    question = flow.by_id[question_id]
    kind = question.spec.type
    if kind == "text":
        return data.draw(st.sampled_from(["Projet", "nsp", "Un texte plus long."]))
    if kind == "scale":
        return data.draw(st.integers(1, 5))
    if question.spec.choices_from == "directory":
        return data.draw(st.sampled_from(DEPARTMENTS))
    ids = [c.id for c in question.choices]
    if kind == "multi":
        exclusive = [c.id for c in question.choices if c.exclusive]
        plain = [i for i in ids if i not in exclusive]
        alone = st.sampled_from(exclusive).map(lambda i: [i]) if exclusive else st.nothing()
        several = st.lists(st.sampled_from(plain), min_size=1, max_size=3, unique=True)
        return data.draw(st.one_of(alone, several))
    return data.draw(st.sampled_from(ids))


def draw_path(data: st.DataObject, flow: CompiledFlow = FLOW) -> dict[str, Any]:
    """Answers drawn one question at a time, along the path the Machine takes."""
    session = Session()
    while flow.advance(session) != END:
        session.answers[session.state] = draw_answer(data, flow, session.state)
    return session.answers


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_the_outcome_is_the_strongest_fired_effect(data: st.DataObject) -> None:
    answers = draw_path(data)
    evaluation = evaluate(FLOW, answers)
    effects = [f.rule.spec.effect for f in evaluation.fired]
    assert evaluation.outcome == strongest(effects)
    assert evaluation.outcome in OUTCOMES
    escalating = [e for e in effects if e != "condition"]
    assert (evaluation.outcome == "light_track") == (not escalating)
    assert bool(evaluation.standard_conditions) == (evaluation.outcome == "light_track")
    for fired in evaluation.fired:
        assert set(fired.because) <= set(answers)
    for point in evaluation.blocking_points:
        assert point.question.id in FLOW.context.gates
        assert "G-R1" in {f.rule.id for f in evaluation.fired}


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_replaying_a_path_asks_exactly_its_questions(data: st.DataObject) -> None:
    answers = draw_path(data)
    path = FLOW.path(answers)
    assert list(path.asked) == list(answers)
    assert path.missing == ()


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.data())
def test_stored_state_is_the_replay_of_the_answers_and_back_then_again_is_direct(
    app: App, data: st.DataObject
) -> None:
    answers = draw_path(data)
    back_at = data.draw(st.integers(1, len(answers) - 1))
    ask = start(app)
    triage_id = ask.question.triage_id
    given_so_far: dict[str, Any] = {}
    for index, (question, value) in enumerate(answers.items()):
        assert ask.question.question_id == question
        with app.store.reading() as tx:
            stored = tx.triage(triage_id).current_question
            recorded = tx.answers(triage_id)
        assert recorded == given_so_far
        assert stored == FLOW.path(recorded, stop_at_missing=True).next_question == question
        if index == back_at:
            back = only(app.engine.handle(ev.Back(AGENT, "fr", triage_id=triage_id)), fx.Ask)
            previous = list(given_so_far)[-1]
            assert back.question.question_id == previous
            again = ev.Answer(
                AGENT, "fr", triage_id=triage_id, question_id=previous, value=given_so_far[previous]
            )
            ask = only(app.engine.handle(again), fx.Ask)
            assert ask.question.question_id == question
        effects = app.engine.handle(
            ev.Answer(AGENT, "fr", triage_id=triage_id, question_id=question, value=value)
        )
        given_so_far[question] = value
        shown = [e for e in effects if isinstance(e, fx.Show)]
        if shown:
            direct = evaluate(FLOW, answers)
            assert shown[0].result.outcome == direct.outcome
            assert [r.id for r in shown[0].result.rules] == [f.rule.id for f in direct.fired]
            return
        ask = only(effects, fx.Ask)
    raise AssertionError("the triage never ended")
