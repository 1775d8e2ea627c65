"""One rule for who may read a finished triage's result, whatever the channel: its author,
the reviewers of its department in today's directory, and the admins; nobody else, and an
unfinished triage is said to be unfinished only to those who may see it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import effects as fx
from bot import events as ev
from bot.answer_file import validate_answers
from bot.app import App
from bot.i18n import t
from bot.settings import Settings
from bot.visibility import Visible, result_to_redo, visible_result
from tests.bot.journeys import start
from tests.cases import load_cases

CASES = dict(load_cases(valid=True))
FLAGGED = {**CASES["06-di-ia-auto-incompatible"]["answers"], "P2": "education"}
AUTHOR = ev.Actor("slack", "UAUTHOR")
DIRECTORY = """\
default_reviewers: ["slack:UDEFAULT"]
departments:
  - id: education
    name: {fr: Éducation, en: Education}
    reviewers: ["slack:URVW1", "teams:29:1abc"]
  - id: culture
    name: {fr: Culture, en: Culture}
    reviewers: ["slack:UCULTURE"]
"""


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    directory = tmp_path / "directory.yaml"
    directory.write_text(DIRECTORY, encoding="utf-8")
    return Settings(database_url=database_url, data_dir=tmp_path / "data", directory_file=directory)


def finished(app: App, answers: dict[str, object]) -> str:
    with app.store.reading() as tx:
        published = app.catalog.latest(tx)
    valid = validate_answers(published.flow, answers, app.engine.choices, "fr", "case.yaml")
    return app.engine.submit(AUTHOR, "fr", published, valid.answers, ()).triage_id


@pytest.mark.parametrize(
    ("actor", "authored"),
    [
        (AUTHOR, True),
        (ev.Actor("slack", "URVW1"), False),
        (ev.Actor("teams", "29:1abc"), False),
        (ev.Actor("console", "admin"), False),
    ],
)
def test_the_author_the_department_reviewers_and_the_admins_see_it(
    app: App, actor: ev.Actor, authored: bool
) -> None:
    with app.store.transaction() as tx:
        tx.add_admin("console:admin")
    triage_id = finished(app, FLAGGED)
    found = visible_result(app, actor, triage_id, "en")
    assert isinstance(found, Visible)
    assert found.view.triage_id == triage_id and found.view.outcome == "incompatible"
    assert found.authored is authored


@pytest.mark.parametrize(
    "actor",
    [
        ev.Actor("slack", "UCULTURE"),  # a reviewer, of another department
        ev.Actor("slack", "UDEFAULT"),  # default reviewers stand in only where none is named
        ev.Actor("teams", "UAUTHOR"),  # the author's id, on another platform
        ev.Actor("slack", "urvw1"),  # ids keep their case
    ],
)
def test_anyone_else_is_told_only_that_it_is_not_theirs(app: App, actor: ev.Actor) -> None:
    triage_id = finished(app, FLAGGED)
    found = visible_result(app, actor, triage_id, "fr")
    assert isinstance(found, fx.Error) and found.code == "result_not_visible"
    assert "seuls son auteur, les responsables de sa direction" in found.text


def test_an_unfinished_triage_is_said_unfinished_to_its_author_only(app: App) -> None:
    triage_id = start(app, AUTHOR).question.triage_id
    own = visible_result(app, AUTHOR, triage_id, "en")
    other = visible_result(app, ev.Actor("slack", "UCULTURE"), triage_id, "en")
    unknown = visible_result(app, AUTHOR, "nope", "en")
    assert isinstance(own, fx.Error) and own.code == "result_in_progress"
    assert isinstance(other, fx.Error) and other.code == "result_not_visible"
    assert isinstance(unknown, fx.Error) and unknown.code == "triage_not_found"


def test_only_the_author_is_offered_to_redo_it(app: App) -> None:
    triage_id = finished(app, FLAGGED)
    own = result_to_redo(app, AUTHOR, triage_id, "en")
    reviewer = result_to_redo(app, ev.Actor("slack", "URVW1"), triage_id, "en")
    stranger = result_to_redo(app, ev.Actor("slack", "UCULTURE"), triage_id, "en")
    assert not isinstance(own, str) and own.triage_id == triage_id
    assert reviewer == t("retriage_not_owner", "en", id=triage_id)
    assert stranger == fx.error("result_not_visible", "en", id=triage_id).text


def test_a_reviewer_removed_from_the_directory_no_longer_sees_it(app: App) -> None:
    """Being sent the notice once is not a lasting right: today's directory decides."""
    triage_id = finished(app, FLAGGED)
    reviewer = ev.Actor("slack", "URVW1")
    assert isinstance(visible_result(app, reviewer, triage_id, "fr"), Visible)
    with app.store.transaction() as tx:
        assert tx.remove_reviewer("education", "slack:URVW1")
    app.directories.forget()
    assert isinstance(visible_result(app, reviewer, triage_id, "fr"), fx.Error)


def test_voir_gives_the_result_to_a_reviewer_and_leaves_the_author_to_resume(app: App) -> None:
    from bot.visibility import result_for_another

    triage_id = finished(app, FLAGGED)
    shown = result_for_another(app, ev.Actor("slack", "URVW1"), triage_id, "fr")
    assert shown is not None and shown.triage_id == triage_id
    assert result_for_another(app, AUTHOR, triage_id, "fr") is None
    assert result_for_another(app, ev.Actor("slack", "UCULTURE"), triage_id, "fr") is None
