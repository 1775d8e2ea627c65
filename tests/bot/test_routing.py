"""A flagged triage is never routed to nobody unsaid: its result names who was told (by role
and count, never ids), the admins stand in for a department without reviewer, and when there
is nobody at all the agent is told so and what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import events as ev
from bot.app import App
from bot.directory import load_directory
from bot.notifications import review_notice
from bot.settings import Settings
from flows.problems import FlowError
from tests.bot.journeys import answer_all, open_with_reviewers
from tests.cases import load_cases

VALID = dict(load_cases(valid=True))
FLAGGED = dict(VALID["24-c4-staff-monitoring"]["answers"], P2="education")
ADMIN = ev.Actor("slack", "UADMIN")


def review_requests(app: App, triage_id: str) -> list[tuple[str, str]]:
    with app.store.reading() as tx:
        return [
            (m.platform, m.recipient)
            for m in tx.outbox_messages(triage_id)
            if m.kind == "review_request"
        ]


def test_a_department_without_reviewer_goes_to_the_admins_and_the_agent_is_told(
    settings: Settings, tmp_path: Path
) -> None:
    app = open_with_reviewers(settings, tmp_path, [], admins="slack:UADMIN,teams:29:admin2")
    try:
        triage_id, shown = answer_all(app, FLAGGED)
        assert sorted(review_requests(app, triage_id)) == [
            ("slack", "UADMIN"),
            ("teams", "29:admin2"),
        ]
        notified = shown.result.notified
        assert notified is not None and (notified.to, notified.count) == ("admins", 2)
        assert "administrateurs de Boussole (2) ont été prévenus" in notified.text
        assert "Éducation n'a aucun responsable" in notified.text
        document = shown.result.document()
        assert document["notified"]["to"] == "admins"
        assert "UADMIN" not in str(document["notified"])
        notice = review_notice(shown.result, "education", app.directory, "fr")
        assert "en tant qu'administrateur : la direction Éducation" in notice.summary
        decided = app.engine.handle(
            ev.ReviewAction(ADMIN, "fr", triage_id=triage_id, action="confirm")
        )
        assert "confirmée" in decided[0].text
    finally:
        app.close()


def test_with_no_reviewer_and_no_admin_the_agent_is_told_nobody_was(
    settings: Settings, tmp_path: Path
) -> None:
    app = open_with_reviewers(settings, tmp_path, [])
    try:
        triage_id, shown = answer_all(app, FLAGGED, lang="en")
        assert review_requests(app, triage_id) == []
        notified = shown.result.notified
        assert notified is not None and notified.to == "nobody"
        assert notified.text.startswith("Nobody could be told")
        assert "ask the IT department to configure reviewers" in notified.text.replace("Ask", "ask")
        assert triage_id in notified.text
    finally:
        app.close()


def test_the_result_names_the_reviewers_by_role_and_keeps_saying_so_later(
    settings: Settings, tmp_path: Path
) -> None:
    app = open_with_reviewers(settings, tmp_path, ["slack:ULEAD", "teams:29:second"])
    try:
        triage_id, shown = answer_all(app, FLAGGED)
        notified = shown.result.notified
        assert notified is not None
        assert notified.text.startswith("Qui a été prévenu : les responsables de la direction")
        assert "Éducation (2)" in notified.text and "ULEAD" not in notified.text
        with app.store.transaction() as tx:
            tx.remove_reviewer("education", "slack:ULEAD")
        app.directories.forget()
        with app.store.reading() as tx:
            again = app.engine.result(tx, triage_id, "en")
        assert again.notified is not None and (again.notified.to, again.notified.count) == (
            "reviewers",
            2,
        )
        assert again.notified.text.startswith("Who was told: the reviewers of Education (2)")
    finally:
        app.close()


def test_a_light_track_result_names_nobody_to_notify(settings: Settings, tmp_path: Path) -> None:
    app = open_with_reviewers(settings, tmp_path, ["slack:ULEAD"])
    try:
        light = dict(VALID["02-light-track-personal-data-no-rule"]["answers"], P2="education")
        _, shown = answer_all(app, light)
        assert shown.result.outcome == "light_track" and shown.result.notified is None
        assert "notified" not in shown.result.document()
    finally:
        app.close()


def test_a_directory_file_cannot_name_admins(tmp_path: Path) -> None:
    """Admins review in a department's stead: they are set with `boussole admins`, audited,
    never slipped in through a directory file."""
    path = tmp_path / "directory.yaml"
    path.write_text("admins: ['slack:UX']\ndepartments: []\n", encoding="utf-8")
    with pytest.raises(FlowError, match="boussole admins add"):
        load_directory(path)
