"""The engine's turns as an agent lives them: answer, go back, ask why, pause, resume."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from bot import effects as fx
from bot import events as ev
from bot.app import App, open_app
from bot.settings import Settings
from storage.repository import GENESIS, audit_hash
from tests.bot.journeys import AGENT, answer_all, only, open_with_reviewers, start
from tests.cases import load_cases

CASES = dict(load_cases(valid=True))
SCHOOL_MEALS = CASES["01-school-meals-grid-example"]["answers"]


def answers_of(app: App, triage_id: str) -> dict:
    with app.store.reading() as tx:
        return tx.answers(triage_id)


def test_start_asks_the_first_question_with_its_progress(app: App) -> None:
    ask = start(app)
    assert ask.question.question_id == "P1"
    assert ask.question.progress == "Contexte · question 1"
    assert not ask.question.can_go_back
    english = start(app, lang="en")
    assert english.question.progress == "Context · question 1"


def test_a_triage_answered_turn_by_turn_gives_the_same_result_as_the_file(app: App) -> None:
    triage_id, shown = answer_all(app, SCHOOL_MEALS)
    assert shown.result.outcome == "light_track"
    assert [r.id for r in shown.result.rules] == ["C5-R3"]
    assert [c.id for c in shown.result.conditions] == ["C5-R3", "S-FORMATION", "S-RETRIAGE"]
    with app.store.reading() as tx:
        record = tx.triage(triage_id)
        assert record.status == "completed" and record.outcome == "light_track"
        assert app.engine.result(tx, triage_id, "fr").document()["rules"][0]["id"] == "C5-R3"


def test_progress_names_the_criterion(app: App) -> None:
    ask = start(app)
    triage_id = ask.question.triage_id
    for question in ["P1", "P2", "P3", "DI1", "C1-Q1", "C1-Q4", "C1-Q5", "C2-Q1"]:
        effects = app.engine.handle(
            ev.Answer(
                AGENT, "fr", triage_id=triage_id, question_id=question, value=SCHOOL_MEALS[question]
            )
        )
        ask = only(effects, fx.Ask)
    assert ask.question.question_id == "C2-Q2"
    assert ask.question.progress == "Critère 2/7 · question 9"


def test_an_invalid_answer_is_explained_and_nothing_is_recorded(app: App) -> None:
    triage_id = start(app).question.triage_id
    effects = app.engine.handle(
        ev.Answer(AGENT, "fr", triage_id=triage_id, question_id="P1", value="   ")
    )
    assert "vide" in only(effects, fx.Error).text
    assert fx.codes(effects) == {"text_empty"}
    assert answers_of(app, triage_id) == {}


def test_a_stale_answer_changes_nothing(app: App) -> None:
    triage_id = start(app).question.triage_id
    app.engine.handle(ev.Answer(AGENT, "fr", triage_id=triage_id, question_id="P1", value="X"))
    effects = app.engine.handle(
        ev.Answer(AGENT, "fr", triage_id=triage_id, question_id="P1", value="Y")
    )
    assert only(effects, fx.Ask).question.question_id == "P2"
    assert fx.codes(effects) == {"stale_question"}  # what adapters act on, in any language
    assert answers_of(app, triage_id) == {"P1": "X"}


def test_back_steps_to_the_previous_question_and_drops_its_answer(app: App) -> None:
    triage_id = start(app).question.triage_id
    app.engine.handle(ev.Answer(AGENT, "fr", triage_id=triage_id, question_id="P1", value="X"))
    ask = only(app.engine.handle(ev.Back(AGENT, "fr", triage_id=triage_id)), fx.Ask)
    assert ask.question.question_id == "P1"
    assert ask.question.previous == "X"
    assert answers_of(app, triage_id) == {}
    refused = app.engine.handle(ev.Back(AGENT, "fr", triage_id=triage_id))
    assert "première question" in only(refused, fx.Info).text


def test_going_back_to_a_branch_drops_the_answers_the_new_path_no_longer_asks(app: App) -> None:
    triage_id = start(app).question.triage_id
    steps = [("P1", "X"), ("P2", "education"), ("P3", "Y"), ("DI1", "oui"), ("DI2", "ia_auto")]
    for question, value in steps:
        app.engine.handle(
            ev.Answer(AGENT, "fr", triage_id=triage_id, question_id=question, value=value)
        )
    app.engine.handle(ev.Back(AGENT, "fr", triage_id=triage_id))
    app.engine.handle(ev.Back(AGENT, "fr", triage_id=triage_id))
    effects = app.engine.handle(
        ev.Answer(AGENT, "fr", triage_id=triage_id, question_id="DI1", value="non")
    )
    assert only(effects, fx.Ask).question.question_id == "C1-Q1"
    assert "DI2" not in answers_of(app, triage_id)


def test_why_gives_the_criterion_and_reference_and_records_nothing(app: App) -> None:
    triage_id = start(app).question.triage_id
    info = only(app.engine.handle(ev.Why(AGENT, "en", triage_id=triage_id)), fx.Info)
    assert "Reference:" in info.text
    assert answers_of(app, triage_id) == {}


def test_cancel_then_answers_are_refused(app: App) -> None:
    triage_id = start(app).question.triage_id
    cancelled = app.engine.handle(ev.Cancel(AGENT, "fr", triage_id=triage_id))
    assert only(cancelled, fx.Info).code == "cancelled"
    effects = app.engine.handle(
        ev.Answer(AGENT, "en", triage_id=triage_id, question_id="P1", value="X")
    )
    assert "cancelled" in only(effects, fx.Info).text
    assert fx.codes(effects) == {"triage_cancelled"}
    assert answers_of(app, triage_id) == {}


@pytest.mark.parametrize("action", ["answer", "back", "why", "cancel"])
def test_any_action_on_a_finished_triage_shows_the_result_its_notice_announces(
    app: App, action: str
) -> None:
    triage_id, shown = answer_all(app, SCHOOL_MEALS)
    fields = {"triage_id": triage_id}
    events = {
        "answer": ev.Answer(AGENT, "fr", question_id="P1", value="X", **fields),
        "back": ev.Back(AGENT, "fr", **fields),
        "why": ev.Why(AGENT, "fr", **fields),
        "cancel": ev.Cancel(AGENT, "fr", **fields),
    }
    effects = app.engine.handle(events[action])
    assert "terminée ; voici son résultat" in only(effects, fx.Info).text
    assert only(effects, fx.Show).result.outcome == shown.result.outcome


def test_resume_continues_at_the_next_unanswered_question(app: App, settings: Settings) -> None:
    triage_id = start(app).question.triage_id
    app.engine.handle(ev.Answer(AGENT, "fr", triage_id=triage_id, question_id="P1", value="X"))
    restarted = open_app(settings)
    try:
        effects = restarted.engine.handle(ev.Resume(AGENT, "fr", triage_id=triage_id))
        assert only(effects, fx.Ask).question.question_id == "P2"
    finally:
        restarted.store.close()


def test_resume_of_a_finished_triage_shows_its_result(app: App) -> None:
    triage_id, _ = answer_all(app, SCHOOL_MEALS)
    effects = app.engine.handle(ev.Resume(AGENT, "fr", triage_id=triage_id))
    assert only(effects, fx.Show).result.outcome == "light_track"


def test_an_unknown_triage_is_named(app: App) -> None:
    effects = app.engine.handle(ev.Resume(AGENT, "en", triage_id="nope"))
    assert "nope" in only(effects, fx.Error).text


def test_a_duplicate_event_key_changes_nothing(app: App) -> None:
    triage_id = start(app).question.triage_id
    first = ev.Answer(AGENT, "fr", key="k1", triage_id=triage_id, question_id="P1", value="X")
    app.engine.handle(first)
    again = app.engine.handle(first)
    assert "déjà été prise en compte" in only(again, fx.Info).text
    assert fx.codes(again) == {"duplicate_event"}
    assert answers_of(app, triage_id) == {"P1": "X"}


def test_concurrent_answers_to_one_question_record_exactly_one(app: App) -> None:
    triage_id = start(app).question.triage_id
    barrier = threading.Barrier(4)
    results: list[list[fx.Effect]] = []
    failures: list[BaseException] = []

    def click(value: str) -> None:
        barrier.wait()
        try:
            results.append(
                app.engine.handle(
                    ev.Answer(AGENT, "fr", triage_id=triage_id, question_id="P1", value=value)
                )
            )
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=click, args=(f"v{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    answers = answers_of(app, triage_id)
    assert list(answers) == ["P1"]
    accepted = [r for r in results if any(isinstance(e, fx.Freeze) for e in r)]
    assert len(accepted) == 1
    with app.store.reading() as tx:
        assert tx.triage(triage_id).current_question == "P2"


def test_the_audit_trail_chains_every_turn(app: App) -> None:
    triage_id, _ = answer_all(app, SCHOOL_MEALS)
    with app.store.reading() as tx:
        rows = tx.audit_trail(triage_id)
    assert [r["kind"] for r in rows][:2] == ["start", "answer"]
    assert rows[-1]["kind"] == "result"
    previous = GENESIS
    for row in rows:
        assert row["prev_hash"] == previous
        assert row["hash"] == audit_hash(
            row["prev_hash"],
            row["chain"],
            row["seq"],
            row["kind"],
            row["actor"],
            row["payload"],
            row["created_at"],
        )
        previous = row["hash"]


def test_actors_are_pseudonymous_in_triages_and_audit(app: App) -> None:
    triage_id = start(app, ev.Actor("slack", "U0SECRET")).question.triage_id
    with app.store.reading() as tx:
        record = tx.triage(triage_id)
        rows = tx.audit_trail(triage_id)
    assert "U0SECRET" not in record.owner
    assert all("U0SECRET" not in str(r) for r in rows)


@pytest.fixture
def reviewed_app(settings: Settings, tmp_path: Path):
    opened = open_with_reviewers(
        settings, tmp_path, ["slack:URVW1", "teams:29:1abc"], default=["slack:UDEFAULT"]
    )
    yield opened
    opened.close()


def test_a_flagged_triage_queues_one_notification_per_reviewer(reviewed_app: App) -> None:
    answers = dict(SCHOOL_MEALS, **{"C6-Q2": "non"})
    triage_id, shown = answer_all(reviewed_app, answers)
    assert shown.result.outcome == "full_review"
    with reviewed_app.store.reading() as tx:
        queued = tx.outbox_messages(triage_id)
    assert {(m.platform, m.recipient) for m in queued} == {("slack", "URVW1"), ("teams", "29:1abc")}


def test_a_light_track_notifies_nobody_and_autre_goes_to_default_reviewers(
    reviewed_app: App,
) -> None:
    triage_id, _ = answer_all(reviewed_app, SCHOOL_MEALS)
    flagged = dict(SCHOOL_MEALS, **{"P2": "autre", "C6-Q2": "non"})
    other_id, _ = answer_all(reviewed_app, flagged)
    with reviewed_app.store.reading() as tx:
        assert tx.outbox_messages(triage_id) == []
        assert [m.recipient for m in tx.outbox_messages(other_id)] == ["UDEFAULT"]


def test_an_answer_from_another_flow_version_changes_nothing(app: App) -> None:
    triage_id = start(app).question.triage_id
    effects = app.engine.handle(
        ev.Answer(AGENT, "en", triage_id=triage_id, question_id="P1", value="X", flow_version=9)
    )
    assert "another version" in only(effects, fx.Info).text
    assert answers_of(app, triage_id) == {}


def test_back_from_an_older_copy_of_a_question_changes_nothing(app: App) -> None:
    triage_id = start(app).question.triage_id
    app.engine.handle(ev.Answer(AGENT, "fr", triage_id=triage_id, question_id="P1", value="X"))
    app.engine.handle(
        ev.Answer(AGENT, "fr", triage_id=triage_id, question_id="P2", value="education")
    )
    effects = app.engine.handle(ev.Back(AGENT, "fr", triage_id=triage_id, question_id="P2"))
    assert only(effects, fx.Ask).question.question_id == "P3"
    assert list(answers_of(app, triage_id)) == ["P1", "P2"]
