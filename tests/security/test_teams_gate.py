"""Malformed requests to `/api/messages` (issue #12, defect 2, on the Teams side): a request
without a token is refused before its body is read, and a body too deep for the JSON parser
is a 400 with a token, never a 500 or an ERROR record."""

from __future__ import annotations

import logging

import pytest

from bot.app import App
from tests.adapters.teams.client import TeamsClient
from tests.dbdump import dump

pytestmark = pytest.mark.asyncio

DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize(
    ("body", "content_type"),
    [(DEEP, "application/json"), (b"\xff", "text/plain"), (b"{", "application/json"), (b"", "")],
)
async def test_a_request_without_a_token_is_refused_before_it_is_read(
    teams: TeamsClient, teams_app: App, body: bytes, content_type: str
) -> None:
    before = dump(teams_app.store.engine)
    reply = await teams.post(body, token=None, content_type=content_type)
    assert reply.status == 401
    assert reply.calls == []
    assert dump(teams_app.store.engine) == before


@pytest.mark.parametrize("body", [DEEP, b'{"a":' * 100_000 + b"1" + b"}" * 100_000, b"\xff"])
async def test_a_body_too_deep_or_not_utf8_is_a_400_with_no_error_record(
    teams: TeamsClient, teams_app: App, caplog: pytest.LogCaptureFixture, body: bytes
) -> None:
    before = dump(teams_app.store.engine)
    reply = await teams.post(body)
    assert reply.status == 400
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert dump(teams_app.store.engine) == before
