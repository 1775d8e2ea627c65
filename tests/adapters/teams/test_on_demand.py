"""The Teams runtime is built when first needed (#16), not at start: by the first request that
is not refused unread, or by the first Teams notice; once for concurrent first requests, off
the event loop, and again after a failed build. A bad request is answered alike before and
after. That an idle `serve` never imports the SDK is checked in a real process:
tests/adapters/console/test_startup_imports.py."""

from __future__ import annotations

import asyncio
import logging
import threading
from types import ModuleType

import pytest

from adapters.teams import platform as platform_module
from adapters.teams.platform import TeamsPlatform
from bot.app import App
from bot.notifier import Notifier
from storage.repository import PARKED, PENDING
from tests.adapters.teams.client import REVIEWER, TeamsClient
from tests.adapters.teams.test_proactive import _flagged_triage, _teams_outbox

REAL_IMPORT = platform_module.import_runtime


def _built(platform: TeamsPlatform) -> bool:
    assert platform.runtime is not None
    return platform.runtime.built is not None


async def _bad_requests(teams: TeamsClient) -> list[int]:
    """A request without a token, one that is not JSON, one with a forged token, one whose
    body is not JSON: the first two are refused unread, the last two by the SDK."""
    activity = teams.activity(text="aide")
    replies = [
        await teams.post(activity, token=None),
        await teams.post("aide", content_type="text/plain"),
        await teams.post(activity, token="forged.not.signed"),
        await teams.post(b"{not json"),
    ]
    assert all(reply.calls == [] for reply in replies)
    return [reply.status for reply in replies]


@pytest.mark.asyncio
async def test_a_request_refused_unread_builds_nothing_and_the_first_turn_works(
    teams: TeamsClient, platform: TeamsPlatform
) -> None:
    assert not _built(platform)
    assert (await teams.post(teams.activity(text="aide"), token=None)).status == 401
    assert (await teams.post("aide", content_type="text/plain")).status == 415
    assert not _built(platform)

    reply = await teams.say("aide", locale="en-GB")
    assert reply.status < 300 and reply.calls
    assert _built(platform)


@pytest.mark.asyncio
async def test_bad_requests_get_the_same_status_before_and_after_the_build(
    teams: TeamsClient, platform: TeamsPlatform
) -> None:
    before = await _bad_requests(teams)
    assert before == [401, 415, 401, 400]
    assert _built(platform)  # the SDK had to read the last two
    assert await _bad_requests(teams) == before


@pytest.mark.asyncio
async def test_concurrent_first_requests_build_once_while_the_server_answers_others(
    teams: TeamsClient, platform: TeamsPlatform, monkeypatch: pytest.MonkeyPatch
) -> None:
    imports: list[int] = []
    release = threading.Event()

    def held() -> ModuleType:
        """The SDK's import, held until the test has seen the server answer meanwhile."""
        imports.append(1)
        release.wait(30)
        return REAL_IMPORT()

    monkeypatch.setattr(platform_module, "import_runtime", held)
    users = [f"29:1first-{n}" for n in range(3)]
    turns = asyncio.gather(*(teams.say("aide", user=user) for user in users))
    for _ in range(500):
        if imports:
            break
        await asyncio.sleep(0.01)
    async with teams.session.get(teams.base_url + "/healthz") as health:
        assert health.status == 200  # the event loop is free while the SDK is imported
    await asyncio.sleep(0.2)  # the other first requests reach the lock
    assert not turns.done()
    release.set()
    replies = await turns
    assert [reply.status < 300 and bool(reply.calls) for reply in replies] == [True] * 3
    assert len(imports) == 1


@pytest.mark.asyncio
async def test_a_failed_build_is_logged_answered_503_and_tried_again(
    teams: TeamsClient,
    platform: TeamsPlatform,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    attempts: list[int] = []

    def broken_once() -> ModuleType:
        attempts.append(1)
        if len(attempts) == 1:
            raise ModuleNotFoundError("No module named 'msrest'", name="msrest")
        return REAL_IMPORT()

    monkeypatch.setattr(platform_module, "import_runtime", broken_once)
    with caplog.at_level(logging.ERROR, logger="adapters.teams.platform"):
        failed = await teams.say("aide")
    assert failed.status == 503 and "could not start" in failed.body
    assert failed.calls == []
    (record,) = [r for r in caplog.records if r.name == "adapters.teams.platform"]
    assert "could not be built" in record.getMessage() and record.exc_info is not None
    assert not _built(platform)

    reply = await teams.say("aide", locale="en-GB")
    assert reply.status < 300 and reply.calls
    assert len(attempts) == 2 and _built(platform)


@pytest.mark.asyncio
async def test_the_first_notice_builds_the_runtime_and_a_failed_build_keeps_it_pending(
    teams: TeamsClient, teams_app: App, platform: TeamsPlatform, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> ModuleType:
        raise ModuleNotFoundError("No module named 'msrest'", name="msrest")

    assert platform.runtime is not None
    notifier = Notifier(teams_app.store, {"teams": platform.runtime.sender})
    triage_id = _flagged_triage(teams_app)
    monkeypatch.setattr(platform_module, "import_runtime", broken)
    assert await notifier.drain_once() == 0
    (message,) = _teams_outbox(teams_app, triage_id)
    assert message.status == PENDING and message.attempts == 1
    assert "msrest" in message.last_error
    assert not _built(platform)

    monkeypatch.setattr(platform_module, "import_runtime", REAL_IMPORT)
    other = _flagged_triage(teams_app)
    assert await notifier.drain_once() == 0  # built now; the reviewer never talked to it
    (parked,) = _teams_outbox(teams_app, other)
    assert parked.status == PARKED and "must open Boussole in Teams" in parked.last_error
    assert _built(platform)
    assert REVIEWER in parked.recipient


@pytest.mark.asyncio
async def test_stop_works_before_and_after_the_build(
    teams: TeamsClient, platform: TeamsPlatform
) -> None:
    await platform.stop()
    assert not _built(platform)
    assert (await teams.say("aide")).status < 300
    await platform.stop()
    assert (await teams.say("aide")).status < 300  # the cleared clients are built again
