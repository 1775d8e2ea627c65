"""Hostile flow files sent in chat (issue #12, defect 3): the admin always gets a reply, even
when the check fails, and the checks run on a thread of their own, so that agents' turns go
on while uploads are checked and a flood of uploads is refused politely."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import pytest

import bot.admin
from bot.admin import Admin, AdminReply
from bot.app import App
from bot.upload_checks import WAITING, UploadChecks
from tests.adapters.slack.harness import Slack, action_ts
from tests.adapters.slack.test_admin_chat import make_admin, share
from tests.adapters.teams.client import AGENT as TEAMS_AGENT
from tests.adapters.teams.client import TeamsClient, inputs, texts
from tests.adapters.teams.test_admin import (  # noqa: F401
    FileServer,
    _attachment,
    _send_file,
    admin,
    files,
)
from tests.security import hostile

pytestmark = pytest.mark.asyncio

SLACK_ADMIN = "UADMIN1"
SLACK_AGENT = "UAGENT9"


def _explode(source: bytes, name: str) -> Any:
    raise RecursionError("maximum recursion depth exceeded")


class Held:
    """`Admin.check_upload` held until released, noting the threads it ran on."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.entered = threading.Event()
        self.threads: list[str] = []

    def check_upload(self, checker: Admin, *args: Any) -> AdminReply:
        self.threads.append(threading.current_thread().name)
        self.entered.set()
        self.release.wait(60)  # a safety net, not a timing
        return AdminReply("checked (held)", ok=False)


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[Held]:
    holder = Held()
    monkeypatch.setattr(Admin, "check_upload", holder.check_upload)
    yield holder
    holder.release.set()


async def until(condition: Any) -> None:
    """Until `condition()` holds; the bound is a safety net, not a timing."""
    for _ in range(600):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("never happened")


# Slack


async def test_a_hostile_flow_shared_in_slack_gets_the_checker_lines(
    slack: Slack, app: App
) -> None:
    make_admin(app, SLACK_ADMIN)
    await share(slack, SLACK_ADMIN, "F0BOMB", "bomb.yaml", hostile.alias_bomb())
    (reply,) = slack.posted(SLACK_ADMIN)
    assert "Grille refusée" in reply.params["text"]
    assert "le document contient plus de 30000 valeurs" in reply.params["text"]


async def test_a_slack_upload_whose_check_fails_still_gets_a_reply(
    slack: Slack, app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bot.admin, "check_source", _explode)
    make_admin(app, SLACK_ADMIN)
    await share(slack, SLACK_ADMIN, "F0FAIL", "flow.yaml", b"flow: x\n")
    (reply,) = slack.posted(SLACK_ADMIN)
    assert "La vérification de ce fichier a échoué (référence " in reply.params["text"]


async def _file_shared(slack: Slack, user: str, file_id: str) -> None:
    slack.stub.add_file(file_id, f"{file_id}.yaml", b"flow: x\n")
    await slack.event(
        {
            "type": "file_shared",
            "file_id": file_id,
            "user_id": user,
            "channel_id": f"D{user}",
            "file": {"id": file_id},
            "event_ts": action_ts(),
        }
    )


async def test_agents_turns_proceed_while_slack_uploads_are_checked(
    slack: Slack, app: App, held: Held
) -> None:
    """Six uploads held in their checks: more than the engine's four threads, which they no
    longer take; past the queue they are refused at once, and an agent starts a triage."""
    make_admin(app, SLACK_ADMIN)
    for number in range(6):
        await _file_shared(slack, SLACK_ADMIN, f"F0HELD{number}")
    await until(held.entered.is_set)
    busy = "D'autres grilles sont en cours de vérification"
    refused = 6 - 1 - WAITING
    await until(lambda: sum(busy in c.params["text"] for c in slack.posted(SLACK_ADMIN)) == refused)

    await slack.command("", SLACK_AGENT)
    await until(lambda: slack.questions(SLACK_AGENT))
    assert len(held.threads) == 1  # one check at a time, the others waiting

    held.release.set()
    await slack.settled()
    assert set(held.threads) == {held.threads[0]} and held.threads[0].startswith("flow-check")
    replies = [c.params["text"] for c in slack.posted(SLACK_ADMIN)]
    assert sum("checked (held)" in text for text in replies) == 1 + WAITING


# Teams


async def test_a_hostile_flow_sent_in_teams_gets_a_card_with_the_checker_lines(
    teams: TeamsClient,
    files: FileServer,  # noqa: F811
    admin: str,  # noqa: F811
) -> None:
    deep = _attachment(files, "deep.yaml", hostile.deep_brackets(100_000))
    reply = await _send_file(teams, admin, deep)
    (call,) = reply.calls
    assert call.card is not None
    assert "le document a plus de 64 niveaux d'imbrication" in texts(call.card)


async def test_a_teams_upload_whose_check_fails_still_gets_a_reply(
    teams: TeamsClient,
    files: FileServer,  # noqa: F811
    admin: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bot.admin, "check_source", _explode)
    reply = await _send_file(teams, admin, _attachment(files, "flow.yaml", b"flow: x\n"))
    (call,) = reply.calls
    assert call.card is not None
    assert "La vérification de ce fichier a échoué (référence " in texts(call.card)


async def test_agents_turns_proceed_while_teams_uploads_are_checked(
    teams: TeamsClient,
    files: FileServer,  # noqa: F811
    admin: str,  # noqa: F811
    held: Held,
) -> None:
    """Eight uploads held in their checks: more than the default executor's threads, which
    `asyncio.to_thread` gives agents' turns too."""
    # One message first: eight first messages at once race to record the conversation
    # (ConversationBook.remember), which is not what this test is about.
    await teams.say("aide", user=admin)
    uploads = [
        asyncio.create_task(
            _send_file(teams, admin, _attachment(files, f"flow{n}.yaml", b"flow: x\n"))
        )
        for n in range(8)
    ]
    await until(held.entered.is_set)
    started = await asyncio.wait_for(teams.say("boussole", user=TEAMS_AGENT), 60)  # safety net
    assert any(call.card is not None and inputs(call.card) for call in started.calls)
    assert not all(upload.done() for upload in uploads)

    conversation = teams.conversation(admin)

    def said() -> list[str]:
        return [
            texts(c.card)
            for c in teams.connector.sent()
            if c.conversation_id == conversation and c.card is not None
        ]

    busy = "D'autres grilles sont en cours"
    # Every upload admitted or refused before the checks end: released earlier, a late
    # upload under load would find room in the queue and be checked too.
    await until(lambda: sum(busy in text for text in said()) == 8 - 1 - WAITING)
    held.release.set()
    await asyncio.gather(*uploads)
    assert sum("checked (held)" in text for text in said()) == 1 + WAITING
    assert sum(busy in text for text in said()) == 8 - 1 - WAITING
    assert held.threads and all(name.startswith("flow-check") for name in held.threads)


# The queue itself


async def test_uploads_past_the_queue_are_refused_politely_in_french_and_english() -> None:
    checks = UploadChecks(waiting=1)
    release = threading.Event()

    def slow() -> AdminReply:
        release.wait(60)  # a safety net, not a timing
        return AdminReply("done")

    running = [asyncio.create_task(checks.run("fr", slow)) for _ in range(2)]
    await asyncio.sleep(0)
    french = await checks.run("fr", slow)
    english = await checks.run("en", slow)
    assert french.text.startswith("D'autres grilles sont en cours de vérification")
    assert (
        english.text
        == "Other flow files are being checked; nothing was done. Try again in a minute."
    )
    assert not french.ok and not english.ok

    release.set()
    assert [r.text for r in await asyncio.gather(*running)] == ["done", "done"]
    assert (await checks.run("en", lambda: AdminReply("again"))).text == "again"


async def test_a_caller_that_stops_waiting_keeps_its_place_until_the_check_ends() -> None:
    """The thread is still busy with a check whose caller went away: the slot stays taken."""
    checks = UploadChecks(waiting=0)
    release = threading.Event()
    entered = threading.Event()

    def slow() -> AdminReply:
        entered.set()
        release.wait(60)  # a safety net, not a timing
        return AdminReply("done")

    waiting = asyncio.create_task(checks.run("en", slow))
    await until(entered.is_set)
    waiting.cancel()
    assert (await checks.run("en", slow)).text.startswith("Other flow files")
    release.set()
    for _ in range(600):
        if (await checks.run("en", lambda: AdminReply("again"))).text == "again":
            return
        await asyncio.sleep(0.05)  # the check ending on its thread
    raise AssertionError("the place was never given back")
