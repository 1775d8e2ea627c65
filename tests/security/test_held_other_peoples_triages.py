"""Another person's triage id, tried in every command that takes one (issue #12): answer,
back, why, cancel, resume, result, re-triage, reply to a reviewer, in the engine, in Slack,
in Teams and at the console. Each is refused politely, tells the intruder nothing of the
triage, and changes nothing of it."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from adapters.console.cli import cli
from adapters.slack.refs import ANSWER_SELECT, BACK, CANCEL, OPEN_TEXT, SHOW_RESULT, WHY
from bot import effects as fx
from bot import events as ev
from bot.answer_file import validate_answers
from bot.app import App
from bot.settings import Settings
from tests.adapters.slack.harness import AGENT as SLACK_AGENT
from tests.adapters.slack.harness import Slack, answer
from tests.adapters.teams.client import AGENT as TEAMS_AGENT
from tests.adapters.teams.client import TeamsClient, submit_data
from tests.bot.journeys import AGENT as CONSOLE_AGENT
from tests.bot.journeys import answer_all, start
from tests.cases import load_cases

CASES = dict(load_cases(valid=True))
SCHOOL_MEALS = CASES["01-school-meals-grid-example"]["answers"]
FLAGGED = CASES["06-di-ia-auto-incompatible"]["answers"]
NOT_OWNER = "commencée par une autre personne"


@dataclass(frozen=True)
class Snapshot:
    """What a triage is, as far as an intruder could change it."""

    state: Any
    answers: dict[str, Any]
    audit: int
    outbox: int
    review: Any


def snapshot(app: App, triage_id: str) -> Snapshot:
    with app.store.reading() as tx:
        state = tx.triage_state(triage_id)
        assert state is not None
        return Snapshot(
            (state.status, state.current_question, state.revision),
            tx.answers(triage_id),
            len(tx.audit_trail(triage_id)),
            len(tx.outbox_messages(triage_id)),
            tx.review(triage_id),
        )


def finished(app: App, actor: ev.Actor, answers: dict[str, Any] = SCHOOL_MEALS) -> str:
    """A triage `actor` finished, recorded as `triage --answers` records one."""
    with app.store.reading() as tx:
        published = app.catalog.latest(tx)
    valid = validate_answers(published.flow, answers, app.engine.choices, "fr", "case.yaml")
    return app.engine.submit(actor, "fr", published, valid.answers, ()).triage_id


# The engine: every event that names a triage


def events_for(actor: ev.Actor, triage_id: str, key: str | None = None) -> list[ev.Event]:
    return [
        ev.Answer(actor, "fr", key, triage_id=triage_id, question_id="P1", value="Pris"),
        ev.Back(actor, "fr", key, triage_id=triage_id),
        ev.Why(actor, "fr", key, triage_id=triage_id),
        ev.Cancel(actor, "fr", key, triage_id=triage_id),
        ev.Resume(actor, "fr", key, triage_id=triage_id),
        ev.ChangeAnswers(actor, "fr", key, triage_id=triage_id, answers={"P1": "Autre"}),
        ev.AgentReply(actor, "fr", key, triage_id=triage_id, text="Je réponds à sa place."),
    ]


EVENT_NAMES = [type(e).__name__ for e in events_for(CONSOLE_AGENT, "x")]


@pytest.fixture
def owned(app: App) -> list[str]:
    """The owner's triages in each state: under way (two answers), finished, cancelled."""
    under_way = start(app).question.triage_id
    for question, value in (("P1", "Projet"), ("P2", "education")):
        app.engine.handle(
            ev.Answer(CONSOLE_AGENT, "fr", triage_id=under_way, question_id=question, value=value)
        )
    done, _ = answer_all(app, SCHOOL_MEALS)
    cancelled = start(app).question.triage_id
    app.engine.handle(ev.Cancel(CONSOLE_AGENT, "fr", triage_id=cancelled))
    return [under_way, done, cancelled]


def refused_as_not_yours(effects: list[fx.Effect]) -> None:
    """An error naming the refusal, and nothing of the triage: no question, no result (an
    actor id with a control character is refused before any triage is looked at)."""
    assert effects and all(isinstance(e, fx.Error) for e in effects), effects
    assert fx.codes(effects) <= {"not_owner", "triage_not_found", "request_unreadable"}, effects


@pytest.mark.parametrize("name", EVENT_NAMES)
@pytest.mark.parametrize("state", ["under way", "finished", "cancelled"])
def test_someone_elses_triage_id_in_any_engine_event_is_refused_and_changes_nothing(
    app: App, owned: list[str], name: str, state: str
) -> None:
    triage_id = owned[["under way", "finished", "cancelled"].index(state)]
    before = snapshot(app, triage_id)
    intruder = ev.Actor("console", "someone-else")
    (event,) = [e for e in events_for(intruder, triage_id) if type(e).__name__ == name]
    effects = app.engine.handle(event)
    refused_as_not_yours(effects)
    assert NOT_OWNER in effects[0].text
    assert snapshot(app, triage_id) == before


intruders = st.builds(
    ev.Actor,
    platform=st.sampled_from(["console", "slack", "teams", "matrix"]) | st.text(max_size=8),
    user_id=st.sampled_from([CONSOLE_AGENT.user_id, "", " agent", "AGENT", "agent\x00"])
    | st.text(max_size=24),
).filter(lambda actor: actor != CONSOLE_AGENT)
"""Anyone but the owner, including the owner's user id on every other platform."""


def test_any_intruder_with_any_triage_id_is_refused_by_every_event(
    app: App, owned: list[str]
) -> None:
    """Triage ids that exist (the owner's, in each state) or not (any text, a NUL byte
    included: a Teams card submit carries whatever string it is given); the owner's triages
    are unchanged after all of it."""
    before = {triage_id: snapshot(app, triage_id) for triage_id in owned}

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        intruder=intruders,
        triage_id=st.sampled_from(owned) | st.text(min_size=1, max_size=40),
        which=st.integers(0, len(EVENT_NAMES) - 1),
        key=st.none() | st.text(max_size=12),
    )
    @example(ev.Actor("teams", "29:1intruder"), "ab\x00cd", EVENT_NAMES.index("Resume"), None)
    def check(intruder: ev.Actor, triage_id: str, which: int, key: str | None) -> None:
        refused_as_not_yours(app.engine.handle(events_for(intruder, triage_id, key)[which]))

    check()
    assert {triage_id: snapshot(app, triage_id) for triage_id in owned} == before


# Slack: clicks on the owner's messages, typed commands, the result button

INTRUDER = "UOTHER01"


async def slack_triage(slack: Slack, app: App) -> str:
    await slack.command("")
    await slack.settled()
    with app.store.reading() as tx:
        owner = tx.find_pseudonym("slack", SLACK_AGENT)
        assert owner is not None
        (record,) = tx.triages_of(owner)
    return record.id


def said_to_intruder(slack: Slack, since: int) -> list[str]:
    """Everything the bot said after call `since`; nothing of it reached the owner (a notice
    only the intruder sees may sit in the owner's conversation, where the click came from)."""
    calls = slack.stub.calls[since:]
    owners = [
        c
        for c in calls
        if c.params.get("channel") == f"D{SLACK_AGENT}"
        and not (c.method == "chat.postEphemeral" and c.params.get("user") == INTRUDER)
    ]
    assert owners == [], [c.params for c in owners]
    return [json.dumps(c.params, ensure_ascii=False) for c in calls if c.method != "users.info"]


@pytest.mark.asyncio
async def test_a_text_answer_to_someone_elses_slack_question_is_refused_and_changes_nothing(
    slack: Slack, app: App
) -> None:
    triage_id = await slack_triage(slack, app)
    before = snapshot(app, triage_id)
    since = len(slack.stub.calls)
    await slack.click(slack.questions()[-1], OPEN_TEXT, user=INTRUDER)
    await slack.settled()
    modal = slack.stub.to("views.open")[-1].params["view"]
    await slack.submit_view(modal, "Pas mon projet", user=INTRUDER)
    await slack.settled()
    said = said_to_intruder(slack, since)
    assert any(NOT_OWNER in text for text in said), said
    assert snapshot(app, triage_id) == before


@pytest.mark.asyncio
@pytest.mark.parametrize("action", [ANSWER_SELECT, WHY, BACK, CANCEL])
async def test_a_click_on_someone_elses_slack_question_is_refused_and_changes_nothing(
    slack: Slack, app: App, action: str
) -> None:
    triage_id = await slack_triage(slack, app)
    await answer(slack, slack.questions()[-1], "Projet")
    before = snapshot(app, triage_id)
    since = len(slack.stub.calls)
    selected = "culture" if action == ANSWER_SELECT else None
    await slack.click(slack.questions()[-1], action, user=INTRUDER, selected=selected)
    await slack.settled()
    said = said_to_intruder(slack, since)
    assert any(NOT_OWNER in text for text in said), said
    assert snapshot(app, triage_id) == before


@pytest.mark.asyncio
@pytest.mark.parametrize("verb", ["reprendre", "annuler", "resume", "cancel"])
async def test_someone_elses_triage_id_in_a_slack_command_is_refused_and_changes_nothing(
    slack: Slack, app: App, verb: str
) -> None:
    triage_id = await slack_triage(slack, app)
    before = snapshot(app, triage_id)
    since = len(slack.stub.calls)
    await slack.command(f"{verb} {triage_id}", user=INTRUDER)
    await slack.direct_message(f"{verb} {triage_id}", user=INTRUDER)
    await slack.settled()
    said = said_to_intruder(slack, since)
    assert sum(NOT_OWNER in text for text in said) == 2, said
    assert not slack.questions(INTRUDER)
    assert snapshot(app, triage_id) == before


@pytest.mark.asyncio
async def test_someone_elses_result_is_not_shown_in_slack(slack: Slack, app: App) -> None:
    triage_id = finished(app, ev.Actor("slack", SLACK_AGENT))
    since = len(slack.stub.calls)
    view = {
        "id": "VHOME",
        "type": "home",
        "blocks": [
            {
                "type": "actions",
                "block_id": "rows",
                "elements": [
                    {
                        "type": "button",
                        "action_id": SHOW_RESULT,
                        "text": {"type": "plain_text", "text": "Résultat"},
                        "value": triage_id,
                    }
                ],
            }
        ],
    }
    await slack.click_home(view, SHOW_RESULT, triage_id, user=INTRUDER)
    await slack.settled()
    said = said_to_intruder(slack, since)
    assert any("seuls son auteur, les responsables" in text for text in said), said
    assert not any("orientation" in text.lower() for text in said), said


# Teams: card submits with the owner's data, typed commands, the review detail

STRANGER = "29:1stranger-personal-id"


async def teams_triage(teams: TeamsClient) -> tuple[Any, dict[str, Any]]:
    reply = await teams.say("boussole")
    call = reply.calls[-1]
    assert call.card is not None
    return call, call.card


def said_in_teams(calls: list[Any]) -> str:
    """What the intruder was told; nothing went to the owner's conversation."""
    assert all(c.conversation_id != "a:1personal-1agent-personal-id" for c in calls), calls
    return "\n".join(json.dumps(c.body, ensure_ascii=False) for c in calls)


@pytest.mark.asyncio
@pytest.mark.parametrize("action", ["answer", "why", "back", "cancel", "resume"])
async def test_a_submit_of_someone_elses_teams_card_is_refused_and_changes_nothing(
    teams: TeamsClient, teams_app: App, action: str
) -> None:
    call, card = await teams_triage(teams)
    data = dict(submit_data(card), boussole=action)
    before = snapshot(teams_app, data["triage"])
    value = {**data, "answer": "Pris par un autre"}
    reply = await teams.post(teams.activity(value=value, replyToId=call.returned_id, user=STRANGER))
    assert reply.status == 201
    assert NOT_OWNER in said_in_teams(reply.calls)
    assert [c for c in reply.calls if c.method == "PUT"] == []
    assert snapshot(teams_app, data["triage"]) == before


@pytest.mark.asyncio
@pytest.mark.parametrize("verb", ["reprendre", "voir", "annuler", "cancel"])
async def test_someone_elses_triage_id_in_a_teams_command_is_refused_and_changes_nothing(
    teams: TeamsClient, teams_app: App, verb: str
) -> None:
    _call, card = await teams_triage(teams)
    triage_id = submit_data(card)["triage"]
    before = snapshot(teams_app, triage_id)
    reply = await teams.say(f"{verb} {triage_id}", user=STRANGER)
    assert reply.status == 201
    assert NOT_OWNER in said_in_teams(reply.calls)
    assert snapshot(teams_app, triage_id) == before


@pytest.mark.asyncio
@pytest.mark.parametrize("how", ["voir", "review"])
async def test_someone_elses_finished_triage_is_not_shown_in_teams(
    teams: TeamsClient, teams_app: App, how: str
) -> None:
    triage_id = finished(teams_app, ev.Actor("teams", TEAMS_AGENT), dict(FLAGGED, P2="education"))
    if how == "voir":
        reply = await teams.say(f"voir {triage_id}", user=STRANGER)
    else:
        value = {"boussole": "review", "triage": triage_id}
        reply = await teams.post(teams.activity(value=value, user=STRANGER))
    said = said_in_teams(reply.calls)
    assert "Incompatible" not in said and "DI-R1" not in said, said
    assert any(c.card is None or "Input." not in json.dumps(c.card) for c in reply.calls)


# The console: `triage --resume`, `retriage` and `report` with someone else's id


def console(settings: Settings, *args: str, account: str = "intrus") -> Result:
    """The real `boussole` command, in this process, run by the OS account `account` (the
    console's person); by default one that owns nothing."""
    env = {
        "BOUSSOLE_DATABASE_URL": settings.database_url,
        "BOUSSOLE_DATA_DIR": str(settings.data_dir),
        "LOGNAME": account,
        "USER": account,
    }
    return CliRunner().invoke(cli, list(args), env=env, input="")


def test_someone_elses_triage_id_in_console_resume_is_refused_and_changes_nothing(
    app: App, settings: Settings
) -> None:
    triage_id = start(app).question.triage_id
    before = snapshot(app, triage_id)
    done = console(settings, "triage", "--plain", "--resume", triage_id)
    assert done.exit_code == 2, done.output
    assert NOT_OWNER in done.output
    assert "P1" not in done.output
    assert snapshot(app, triage_id) == before


def test_someone_elses_triage_id_in_console_retriage_is_refused_and_changes_nothing(
    app: App, settings: Settings, tmp_path: Path
) -> None:
    triage_id, _ = answer_all(app, SCHOOL_MEALS)
    before = snapshot(app, triage_id)
    changes = tmp_path / "changes.yaml"
    changes.write_text("P1: Repris par un autre\n", "utf-8")
    done = console(settings, "retriage", triage_id, "--plain", "--answers", str(changes))
    assert done.exit_code == 2, done.output
    assert NOT_OWNER in done.output
    assert snapshot(app, triage_id) == before


def test_someone_elses_triage_id_in_console_report_is_refused(app: App, settings: Settings) -> None:
    triage_id, _ = answer_all(app, dict(SCHOOL_MEALS, P1="Projet confidentiel"))
    done = console(settings, "report", triage_id, "--format", "json")
    assert done.exit_code != 0, done.output
    assert "Projet confidentiel" not in done.output
    assert "light_track" not in done.output
    assert NOT_OWNER in done.output


def test_the_owner_still_gets_the_report_at_the_console(app: App, settings: Settings) -> None:
    """The control for the refusal above: the same command, run by the triage's author."""
    triage_id, _ = answer_all(app, dict(SCHOOL_MEALS, P1="Projet confidentiel"))
    done = console(settings, "report", triage_id, account=CONSOLE_AGENT.user_id)
    assert done.exit_code == 0, done.output
    assert "Projet confidentiel" in done.output


@pytest.mark.parametrize("role", ["admin", "reviewer"])
def test_an_admin_or_a_reviewer_of_the_department_gets_the_report_at_the_console(
    app: App, settings: Settings, role: str
) -> None:
    """The one visibility rule (bot/visibility.py): the author, the department's reviewers and
    the admins; the refusal above is for everyone else."""
    triage_id, _ = answer_all(app, dict(SCHOOL_MEALS, P1="Projet confidentiel"))
    with app.store.transaction() as tx:
        if role == "admin":
            tx.add_admin("console:auditrice")
        else:
            tx.add_reviewer(str(SCHOOL_MEALS["P2"]), "console:auditrice")
    done = console(settings, "report", triage_id, account="auditrice")
    assert done.exit_code == 0, done.output
    assert "Projet confidentiel" in done.output


@pytest.mark.asyncio
@pytest.mark.parametrize("action", ["resume", "cancel", "why"])
async def test_a_teams_submit_naming_a_triage_id_with_a_nul_byte_is_an_unknown_triage(
    teams: TeamsClient, caplog: pytest.LogCaptureFixture, action: str
) -> None:
    """Card data is whatever string the client sends; PostgreSQL refuses NUL in text, and
    that must read as "no such triage", not as an internal error."""
    value = {"boussole": action, "triage": "ab\x00cd"}
    with caplog.at_level(logging.ERROR):
        reply = await teams.post(teams.activity(value=value, user=STRANGER))
    assert reply.status == 201
    assert "introuvable" in said_in_teams(reply.calls)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
