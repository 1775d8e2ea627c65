"""A restart neither replays nor loses messages; a homeserver's 429 is waited out as it asks,
within the chat kit's bounds."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestServer
from mautrix.api import Method
from mautrix.errors import MLimitExceeded
from yarl import URL

from adapters.chat import retries
from adapters.matrix.client import PatientAPI
from adapters.matrix.platform import MatrixPlatform
from adapters.server import ServeOptions
from tests.adapters.matrix.conftest import Accounts, Running
from tests.adapters.matrix.person import Person


@pytest.mark.asyncio
async def test_a_message_sent_while_the_bot_is_down_is_answered_once_after_restart(
    matrix: Running,
    people: dict[str, Person],
    accounts: Accounts,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The restart logs in with the password, on the same device: same keys, same store."""
    agent = people["agent"]
    room_id = await agent.direct_room(accounts.bot.user_id)
    await agent.say(room_id, "aide")
    assert "Ce que je comprends" in (await agent.heard()).body

    await matrix.platform.stop()
    await agent.say(room_id, "liste")
    monkeypatch.delenv("BOUSSOLE_MATRIX_ACCESS_TOKEN")
    monkeypatch.setenv("BOUSSOLE_MATRIX_PASSWORD", accounts.bot.password)
    restarted = MatrixPlatform()
    await restarted.start(matrix.app, ServeOptions())
    try:
        assert "pas encore d'analyse" in (await agent.heard()).body
        await agent.say(room_id, "identifiant")
        assert f"matrix:{accounts.agent.user_id}" in (await agent.heard()).body
    finally:
        await restarted.stop()


class Limited:
    """A homeserver stub that refuses the first requests with 429 and `retry_after_ms`."""

    def __init__(self, refusals: int, wait_ms: int = 1500) -> None:
        self.refusals = refusals
        self.wait_ms = wait_ms
        self.calls = 0

    async def handle(self, _request: web.Request) -> web.Response:
        self.calls += 1
        if self.calls <= self.refusals:
            body = {
                "errcode": "M_LIMIT_EXCEEDED",
                "error": "Too many",
                "retry_after_ms": self.wait_ms,
            }
            return web.json_response(body, status=429)
        return web.json_response({"event_id": "$sent"})


@pytest_asyncio.fixture
async def limited() -> AsyncIterator[tuple[Limited, str]]:
    stub = Limited(refusals=2)
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", stub.handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    yield stub, str(server.make_url(""))
    await server.close()


@pytest.mark.asyncio
async def test_429_is_waited_out_for_retry_after_ms(
    limited: tuple[Limited, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stub, url = limited
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(retries, "sleep", record)
    api = PatientAPI(base_url=URL(url), token="t")
    try:
        answer = await api.request(Method.PUT, "/_matrix/client/v3/rooms/r/send/m.room.message/1")
    finally:
        await api.session.close()
    assert answer == {"event_id": "$sent"}
    assert waits == [1.5, 1.5] and stub.calls == 3


@pytest.mark.asyncio
async def test_a_429_asking_longer_than_the_kits_bound_is_not_waited_for(
    limited: tuple[Limited, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A minute's wait would hold the turn: the error goes up at once (the outbox tries a
    notice again later)."""
    stub, url = limited
    stub.wait_ms = 60_000
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(retries, "sleep", record)
    api = PatientAPI(base_url=URL(url), token="t")
    try:
        with pytest.raises(MLimitExceeded):
            await api.request(Method.PUT, "/_matrix/client/v3/rooms/r/send/m.room.message/1")
    finally:
        await api.session.close()
    assert waits == [] and stub.calls == 1
