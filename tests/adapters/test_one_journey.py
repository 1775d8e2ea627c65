"""One journey, four adapters (issue #14): each golden answer file, answered as a person
would in the terminal (typed lines), in Slack (clicks on the messages posted), in Teams (card
submits) and in Matrix (typed replies against a real Synapse), records the result that
`boussole triage --answers` gives for the same file; and a flagged triage is confirmed by its
department's reviewer through the same adapter, the agent told. A rule that drifted into one
adapter would show here first."""

from __future__ import annotations

import asyncio
import json
import subprocess
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from adapters.slack.refs import REVIEW_CONFIRM
from bot.app import App
from flows.loader import load_bundled
from tests.adapters.matrix.conftest import accounts, matrix, matrix_app, people, synapse
from tests.adapters.matrix.test_journey import run_triage as matrix_triage
from tests.adapters.slack.conftest import slack, slack_env, stub
from tests.adapters.slack.test_triage import run_triage as slack_triage
from tests.adapters.slack.test_triage import triage_ids
from tests.adapters.teams.client import REVIEWER as TEAMS_REVIEWER
from tests.adapters.teams.client import run_triage as teams_triage
from tests.adapters.teams.conftest import (
    connector,
    openid,
    platform,
    session,
    teams,
    teams_app,
    teams_env,
)
from tests.cases import load_cases
from tests.e2e.helpers import BOUSSOLE, REPO, boussole

FIXTURES = (accounts, matrix, matrix_app, people, synapse, slack, slack_env, stub)
FIXTURES_TEAMS = (connector, openid, platform, session, teams, teams_app, teams_env)
"""Each adapter's own fixtures, brought here by import: pytest finds them by name."""

CASES = dict(load_cases(valid=True))
JOURNEYS = [
    "01-school-meals-grid-example",
    "06-di-ia-auto-incompatible",
    "13-c1-facial-identification",
    "34-three-multi-nsp-g-r2",
]
ADAPTERS = ["terminal", "slack", "teams", "matrix"]


def comparable(document: dict[str, Any]) -> dict[str, Any]:
    """What the doctrine decides; who was told depends on each adapter's directory, and
    the report header on the reader."""
    skipped = ("triage_id", "ignored", "notified", "report")
    return {k: v for k, v in document.items() if k not in skipped}


def answer_file_result(answers: dict[str, Any], cli_env: dict[str, str], tmp: Path) -> Any:
    path = tmp / "answers.json"
    path.write_text(json.dumps(answers, ensure_ascii=False), "utf-8")
    done = boussole("triage", "--answers", str(path), "--format", "json", env=cli_env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def typed_lines(answers: dict[str, Any]) -> str:
    """The terminal's typed answers, one line per question the path asks, in its order."""
    lines = []
    for question in load_bundled().path(answers).asked:
        value = answers[question]
        lines.append(",".join(value) if isinstance(value, list) else str(value))
    return "\n".join(lines) + "\n"


Runner = Callable[[dict[str, Any]], Awaitable[Any]]
Decider = Callable[[str], Awaitable[None]]


@pytest.fixture
def run_in(request: pytest.FixtureRequest, adapter: str, cli_env: dict[str, str]) -> Runner:
    """The adapter's own fixtures, set up before the test's loop runs (an async fixture
    cannot be set up from inside a running test), and how a person answers there."""
    if adapter == "terminal":
        return lambda answers: in_terminal(cli_env, answers)
    if adapter == "slack":
        driver, app = request.getfixturevalue("slack"), request.getfixturevalue("app")
        return lambda answers: in_slack(driver, app, answers)
    if adapter == "teams":
        client, app = request.getfixturevalue("teams"), request.getfixturevalue("teams_app")
        return lambda answers: in_teams(client, app, answers)
    running, found = request.getfixturevalue("matrix"), request.getfixturevalue("people")
    bot_user = request.getfixturevalue("accounts").bot.user_id
    app = request.getfixturevalue("matrix_app")
    return lambda answers: in_matrix(running, found["agent"], bot_user, app, answers)


async def in_terminal(cli_env: dict[str, str], answers: dict[str, Any]) -> Any:
    done = await asyncio.to_thread(
        subprocess.run,
        [*BOUSSOLE, "triage", "--plain"],
        env=cli_env,
        cwd=REPO,
        input=typed_lines(answers),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    listed = boussole("list", "--format", "json", env=cli_env)
    triage_id = json.loads(listed.stdout)[0]["id"]
    report = boussole("report", triage_id, "--format", "json", env=cli_env)
    return json.loads(report.stdout)


async def in_slack(driver: Any, app: App, answers: dict[str, Any]) -> Any:
    await slack_triage(driver, answers)
    (triage_id,) = triage_ids(app)
    return _recorded(app, triage_id)


async def in_teams(client: Any, app: App, answers: dict[str, Any]) -> Any:
    triage_id, _card, _replies = await teams_triage(client, answers)
    return _recorded(app, triage_id)


async def in_matrix(
    running: Any, agent: Any, bot_user: str, app: App, answers: dict[str, Any]
) -> Any:
    room_id = await agent.direct_room(bot_user)
    triage_id, _said, _heard = await matrix_triage(running, agent, room_id, answers)
    return _recorded(app, triage_id)


def _recorded(app: App, triage_id: str) -> Any:
    with app.store.reading() as tx:
        return app.engine.result(tx, triage_id, "fr").document()


@pytest.mark.asyncio
@pytest.mark.parametrize("name", JOURNEYS)
@pytest.mark.parametrize("adapter", ADAPTERS)
async def test_every_adapter_records_the_answer_file_result(
    run_in: Runner, cli_env: dict[str, str], tmp_path: Path, adapter: str, name: str
) -> None:
    answers = CASES[name]["answers"]
    expected = answer_file_result(answers, cli_env, tmp_path)
    recorded = await run_in(answers)
    assert comparable(recorded) == comparable(expected)


@pytest.fixture
def confirm_in(
    request: pytest.FixtureRequest, adapter: str, run_in: Runner, cli_env: dict[str, str]
) -> Decider:
    """How the department's reviewer confirms a flagged triage there, as a person would."""
    if adapter == "terminal":
        reviewer = {**cli_env, "LOGNAME": "relecteur", "USER": "relecteur"}
        added = boussole("directory", "add-reviewer", "education", "console:relecteur", env=cli_env)
        assert added.returncode == 0, added.stderr

        async def in_terminal(triage_id: str) -> None:
            done = await asyncio.to_thread(boussole, "review", "confirm", triage_id, env=reviewer)
            assert done.returncode == 0, done.stdout + done.stderr

        return in_terminal
    if adapter == "slack":
        driver, app = request.getfixturevalue("slack"), request.getfixturevalue("app")
        with app.store.transaction() as tx:
            tx.add_reviewer("education", "slack:URVW1")
        app.directories.forget()

        async def in_slack(triage_id: str) -> None:
            button = {
                "type": "button",
                "action_id": REVIEW_CONFIRM,
                "value": triage_id,
                "text": {"type": "plain_text", "text": "Confirmer"},
            }
            notice = {"id": "VNOTICE", "blocks": [{"type": "actions", "elements": [button]}]}
            await driver.click_home(notice, REVIEW_CONFIRM, triage_id, user="URVW1")
            await driver.settled()

        return in_slack
    if adapter == "teams":
        client = request.getfixturevalue("teams")

        async def in_teams(triage_id: str) -> None:
            data = {"boussole": "review_confirm", "triage": triage_id}
            reply = await client.post(client.activity(value=data, user=TEAMS_REVIEWER))
            assert reply.status == 201, reply.body

        return in_teams
    reviewer = request.getfixturevalue("people")["reviewer"]
    bot_user = request.getfixturevalue("accounts").bot.user_id

    async def in_matrix(triage_id: str) -> None:
        room_id = await reviewer.direct_room(bot_user)
        await reviewer.say(room_id, f"confirmer {triage_id}")
        await reviewer.heard_until("Orientation confirmée")

    return in_matrix


def _app_of(request: pytest.FixtureRequest, adapter: str, cli_env: dict[str, str]) -> App:
    name = {"slack": "app", "teams": "teams_app", "matrix": "matrix_app"}[adapter]
    return request.getfixturevalue(name)


@pytest.mark.asyncio
@pytest.mark.parametrize("adapter", ADAPTERS)
async def test_every_adapter_takes_the_reviewer_s_decision(
    request: pytest.FixtureRequest,
    run_in: Runner,
    confirm_in: Decider,
    cli_env: dict[str, str],
    adapter: str,
) -> None:
    recorded = await run_in(CASES["06-di-ia-auto-incompatible"]["answers"])
    triage_id = recorded["triage_id"]
    assert recorded["outcome"] == "incompatible"
    await confirm_in(triage_id)
    if adapter == "terminal":
        report = boussole("report", triage_id, "--format", "json", env=cli_env)
        assert json.loads(report.stdout)["report"]["decision"]
        return
    app = _app_of(request, adapter, cli_env)
    with app.store.reading() as tx:
        review = tx.review(triage_id)
        told = [m.kind for m in tx.outbox_messages(triage_id)]
    assert review is not None and (review.decision, review.final_outcome) == (
        "confirmed",
        "incompatible",
    )
    assert "review_decision" in told
