"""Crashes that held (issue #12): a `boussole serve` process killed with SIGKILL while clicks
stream in leaves no half-written turn, and each triage resumes at the question its stored
answers lead to (as does a triage in the terminal killed mid-way); the database stopped in
the middle of a conversation gives the person an error reply, `/readyz` a 503, and once it
is back the same process serves again, without a restart.

The outage needs a server that may be stopped: a private PostgreSQL cluster (tests/pgcluster),
never the shared one, in both passes of CI."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pexpect
import pytest
import pytest_asyncio

from adapters.console.common import console_actor
from adapters.server import ServeOptions
from adapters.slack.refs import SUBMIT_MULTI
from bot import effects as fx
from bot import events as ev
from bot.app import App, open_app
from bot.settings import Settings
from tests import pgcluster
from tests.adapters.slack.harness import (
    AGENT,
    SECRET,
    TOKEN,
    Slack,
    answer,
    kind_of,
    question_of,
    serve,
)
from tests.adapters.slack.stub import Call, SlackStub
from tests.cases import load_cases
from tests.e2e.helpers import BOUSSOLE, REPO
from tests.e2e.test_console_pty import CHOICES, spawn, typed
from tests.net import free_port

SCHOOL_MEALS = dict(load_cases(valid=True))["01-school-meals-grid-example"]["answers"]
AGENTS = [f"UCRASH{n:02d}" for n in range(6)]
KILL_AFTER = 12
"""Clicks sent, all agents together, before the kill: the later ones are still in flight."""
TYPED = ("P1", "P2", "P3")
"""Answered before the server starts (P1 and P3 are typed in a modal): the clicks that follow
are on buttons, menus and checkboxes."""
SAFETY = 60.0
"""Bounds on waits that should end far sooner: a safety net, never a timing."""


# A real `boussole serve`, killed


class ServeProcess:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.log = log
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self, session: aiohttp.ClientSession) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [*BOUSSOLE, "serve", "--port", str(self.port)],
                env=self.env,
                cwd=REPO,
                stdout=log,
                stderr=log,
            )
        for _ in range(int(SAFETY * 10)):
            assert self.process.poll() is None, self.log.read_text("utf-8")[-2000:]
            with contextlib.suppress(aiohttp.ClientError):
                async with session.get(f"{self.url}/readyz") as response:
                    if response.status == 200:
                        return
            await asyncio.sleep(0.1)
        raise AssertionError(f"serve never became ready: {self.log}")

    def kill(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def serve_env(cli_env: dict[str, str], stub: SlackStub) -> dict[str, str]:
    env = {k: v for k, v in cli_env.items() if not k.startswith(("Microsoft", "SLACK_"))}
    env.update(
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        BOUSSOLE_SLACK_API_URL=f"{stub.url}api/",
    )
    return env


def under_way(app: App, user: str) -> str:
    """A triage `user` started in Slack, its typed questions answered."""
    actor = ev.Actor("slack", user)
    effects = app.engine.handle(ev.StartTriage(actor, "fr"))
    triage_id = next(e.question.triage_id for e in effects if isinstance(e, fx.Ask))
    for question in TYPED:
        app.engine.handle(
            ev.Answer(
                actor, "fr", triage_id=triage_id, question_id=question, value=SCHOOL_MEALS[question]
            )
        )
    return triage_id


async def next_question(slack: Slack, user: str, seen: int) -> Call:
    found = await slack.stub.wait_for(
        lambda _calls: len(slack.questions(user)) > seen and slack.questions(user)[-1], SAFETY
    )
    return found


async def click_answer(slack: Slack, message: Call, user: str) -> bool:
    """Whether the question could be answered with a click (a typed one ends the run)."""
    value = SCHOOL_MEALS[question_of(message)]
    kind = kind_of(message)
    if kind == "buttons":
        await slack.click(message, f"answer:{value}", user)
    elif kind == "select":
        await slack.click(message, "answer_select", user, selected=value)
    elif kind == "multi":
        await slack.click(message, SUBMIT_MULTI, user, selected=list(value))
    return kind != "text"


async def answering(slack: Slack, user: str, clicks: list[str]) -> None:
    """An agent who answers every question as soon as it is posted, until the server dies
    (or a question wants typing)."""
    await slack.command("reprendre", user)
    seen = 0
    while True:
        message = await next_question(slack, user, seen)
        seen = len(slack.questions(user))
        clicks.append(user)
        if not await click_answer(slack, message, user):
            return


def assert_whole(app: App, triage_id: str) -> str:
    """Each answer stored once with its audit row, the triage's state where its answers lead;
    the question to resume at."""
    with app.store.reading() as tx:
        state = tx.triage_state(triage_id)
        assert state is not None
        answers = tx.answers(triage_id)
        audited = [e["payload"] for e in tx.audit_trail(triage_id) if e["kind"] == "answer"]
        flow = app.catalog.get(tx, state.flow_version_id).flow
    assert [a["question"] for a in audited] == list(answers), (audited, answers)
    assert all(answers[a["question"]] == a["value"] for a in audited)
    assert answers == {q: SCHOOL_MEALS[q] for q in answers}
    assert state.revision == 1 + len(answers)
    expected = flow.path(answers, stop_at_missing=True).next_question
    assert state.current_question == expected
    assert expected is not None
    return expected


@pytest.mark.asyncio
async def test_serve_killed_with_sigkill_during_clicks_leaves_no_half_write_and_resumes(
    app: App, stub: SlackStub, serve_env: dict[str, str], tmp_path: Path
) -> None:
    triages = {user: under_way(app, user) for user in AGENTS}
    clicks: list[str] = []
    async with aiohttp.ClientSession() as session:
        slack = Slack(stub, "", session)
        first = ServeProcess(serve_env, tmp_path / "serve-1.log")
        await first.start(session)
        slack.base_url = first.url
        try:
            agents = [asyncio.create_task(answering(slack, user, clicks)) for user in AGENTS]
            for _ in range(int(SAFETY * 100)):
                if len(clicks) >= KILL_AFTER or all(a.done() for a in agents):
                    break
                await asyncio.sleep(0.01)
            first.kill()
            for agent in agents:
                agent.cancel()
            results = await asyncio.gather(*agents, return_exceptions=True)
        finally:
            first.stop()
        assert len(clicks) >= KILL_AFTER, results
        resume_at = {user: assert_whole(app, triages[user]) for user in AGENTS}
        assert sum(len(app_answers(app, t)) for t in triages.values()) > len(TYPED) * len(AGENTS)

        second = ServeProcess(serve_env, tmp_path / "serve-2.log")
        await second.start(session)
        slack.base_url = second.url
        try:
            for user in AGENTS:
                seen = len(slack.questions(user))
                await slack.command("reprendre", user)
                resumed = await next_question(slack, user, seen)
                assert question_of(resumed) == resume_at[user], user
        finally:
            second.stop()


def test_the_console_killed_with_sigkill_mid_triage_loses_nothing_and_resumes(
    cli_env: dict[str, str], settings: Settings
) -> None:
    child = spawn(["triage", "--plain"], cli_env)
    child.expect("Analyse ([a-z0-9]+) commencée")
    triage_id = child.match.group(1)
    answered = []
    for _ in range(7):
        child.expect(r"· question \d+ · ([A-Z0-9-]+)")
        question = child.match.group(1)
        child.expect("> ")
        child.sendline(typed(CHOICES[question], SCHOOL_MEALS[question]))
        answered.append(question)
    child.expect(r"· question 8 · ([A-Z0-9-]+)")
    next_id = child.match.group(1)
    child.kill(signal.SIGKILL)
    child.expect(pexpect.EOF)

    app = open_app(settings)
    try:
        with app.store.reading() as tx:
            assert list(tx.answers(triage_id)) == answered
        effects = app.engine.handle(ev.Resume(console_actor(), "fr", triage_id=triage_id))
        asks = [e for e in effects if isinstance(e, fx.Ask)]
        assert [a.question.question_id for a in asks] == [next_id]
    finally:
        app.store.close()


def app_answers(app: App, triage_id: str) -> dict[str, Any]:
    with app.store.reading() as tx:
        return tx.answers(triage_id)


# The database stopped in the middle of a conversation


@pytest.fixture(scope="module")
def cluster() -> Iterator[pgcluster.PrivateCluster]:
    with pgcluster.PrivateCluster() as made:
        made.start()
        yield made


@pytest.fixture
def outage_app(cluster: pgcluster.PrivateCluster, tmp_path: Path) -> Iterator[App]:
    with pgcluster.app_on(cluster, tmp_path / "data") as opened:
        yield opened


@pytest_asyncio.fixture
async def outage_slack(
    outage_app: App, stub: SlackStub, slack_env: pytest.MonkeyPatch
) -> AsyncIterator[Slack]:
    slack_env.setenv("BOUSSOLE_SLACK_API_URL", stub.url + "api/")
    runner, base_url, platform = await serve(outage_app, ServeOptions(notifier_interval=3600))
    async with aiohttp.ClientSession() as session:
        yield Slack(stub, base_url, session, platform)
    await runner.cleanup()


async def readyz(slack: Slack) -> int:
    async with slack.session.get(f"{slack.base_url}/readyz") as response:
        return response.status


@pytest.mark.asyncio
@pytest.mark.parametrize("mode", ["fast", "immediate"])
async def test_the_database_stopped_mid_conversation_is_an_error_reply_a_503_then_recovery(
    outage_slack: Slack, outage_app: App, cluster: pgcluster.PrivateCluster, mode: str
) -> None:
    slack = outage_slack
    await slack.command("")
    await slack.settled()
    await answer(slack, slack.questions()[-1], "Projet")
    p2 = slack.questions()[-1]
    assert question_of(p2) == "P2" and await readyz(slack) == 200

    await asyncio.to_thread(cluster.stop, mode)
    try:
        await slack.click(p2, "answer_select", selected="education")
        await slack.settled()
        (failure,) = slack.ephemerals()
        assert "erreur interne" in failure.params["text"]
        assert "reprendre" in failure.params["text"]
        assert await readyz(slack) == 503
    finally:
        await asyncio.to_thread(cluster.start)

    assert await readyz(slack) == 200
    with outage_app.store.reading() as tx:
        owner = tx.find_pseudonym("slack", AGENT)
        assert owner is not None
        (record,) = tx.triages_of(owner)
        assert tx.answers(record.id) == {"P1": "Projet"}
    await slack.click(p2, "answer_select", selected="education")
    await slack.settled()
    assert question_of(slack.questions()[-1]) == "P3"
    with outage_app.store.reading() as tx:
        assert tx.answers(record.id) == {"P1": "Projet", "P2": "education"}
