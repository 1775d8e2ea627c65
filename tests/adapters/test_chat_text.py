"""What the chat kit writes once for Teams and Matrix (issue #14): the help's command lines,
a result's orientation, flow and blocking-point lines, and a sent file's download, each
platform drawing them its own way."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from adapters.chat.dispatch import failed_turn
from adapters.chat.download import download
from adapters.chat.messages import HELP_LINES, m
from adapters.chat.result_text import flow_line, orientation, risk
from adapters.chat.uploads import TooBig, Unreachable
from adapters.matrix import render
from adapters.teams import cards
from bot.views import BlockingPointView
from flows.loader import MAX_FLOW_BYTES


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_teams_and_matrix_list_the_kits_commands_first_then_their_own(lang: str) -> None:
    kit_lines = [m(key, lang) for key in HELP_LINES]
    card = json.dumps(cards.help_card(lang), ensure_ascii=False)
    positions = [card.index(f"• {line}") for line in kit_lines]
    assert positions == sorted(positions)
    matrix = render.help_text(lang).split("\n")
    assert matrix[0] == {"fr": "Ce que je comprends :", "en": "What I understand:"}[lang]
    assert matrix[1:5] == [f"• {line}" for line in kit_lines]
    whoami = {"fr": "• « identifiant »", "en": "• 'whoami'"}[lang]
    assert matrix[5].startswith(whoami)
    assert "!boussole" in matrix[6]


def test_a_blocking_point_names_the_rules_that_may_make_it_incompatible() -> None:
    risky = BlockingPointView("C2-Q1", "Base légale inconnue", True, ("C2-R1", "C2-R2"))
    calm = BlockingPointView("C2-Q1", "Base légale inconnue", False, ())
    expected = " (une autre réponse pourrait rendre le projet incompatible (C2-R1, C2-R2))"
    assert risk(risky, "fr") == expected
    assert risk(calm, "fr") == ""


def test_the_orientation_and_the_deciding_flow_are_said_the_same_on_both(app: Any) -> None:
    from tests.adapters.teams.card_samples import longest_result

    card = json.dumps(longest_result(app, "en"), ensure_ascii=False)
    for line in ("Orientation: ", "version 1 (sha256 "):
        assert line in card
    view = _any_result(app)
    message = render.result(view, "fr").plain.split("\n\n")
    assert orientation(view, "fr") in message
    assert flow_line(view, "fr") in message


def _any_result(app: Any) -> Any:
    from bot.answer_file import validate_answers
    from bot.events import Actor
    from tests.cases import load_cases

    with app.store.reading() as tx:
        published = app.catalog.latest(tx)
    name, case = load_cases(valid=True)[0]
    valid = validate_answers(published.flow, case["answers"], app.engine.choices, "fr", name)
    return app.engine.submit(Actor("matrix", "@a:x"), "fr", published, valid.answers, ())


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _fetch(handler: Handler, path: str = "/file") -> bytes:
    async def run() -> bytes:
        app = web.Application()
        app.router.add_get("/file", handler)
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        try:
            async with aiohttp.ClientSession() as session:
                chunks = download(session, server.make_url(path), "test")
                return b"".join([chunk async for chunk in chunks])
        finally:
            await server.close()

    return asyncio.run(run())


def test_a_file_is_downloaded_whole_in_chunks() -> None:
    body = b"flow: 1\n" * 20_000

    async def handler(request: web.Request) -> web.StreamResponse:
        return web.Response(body=body)

    assert _fetch(handler) == body


def test_a_refused_or_missing_download_is_unreachable_for_the_person() -> None:
    async def handler(request: web.Request) -> web.StreamResponse:
        return web.Response(status=403)

    with pytest.raises(Unreachable):
        _fetch(handler)
    with pytest.raises(Unreachable):
        _fetch(handler, "/missing")


def test_a_declared_length_over_the_limit_stops_before_the_body() -> None:
    async def handler(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Length": str(MAX_FLOW_BYTES + 1)})
        await response.prepare(request)
        await response.write(b"#" * 1024)
        return response

    with pytest.raises(TooBig):
        _fetch(handler)


def test_a_connection_refused_is_unreachable() -> None:
    async def run() -> None:
        async with aiohttp.ClientSession() as session:
            chunks: AsyncIterator[bytes] = download(session, "http://127.0.0.1:9/f", "test")
            async for _ in chunks:
                pass

    with pytest.raises(Unreachable):
        asyncio.run(run())


def test_a_failed_turn_gives_the_person_the_reference_the_log_holds(
    caplog: pytest.LogCaptureFixture,
) -> None:
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        said = failed_turn("teams", "en")
    (record,) = caplog.records
    reference = record.getMessage().rsplit(" ", 1)[-1].strip(")")
    assert record.exc_info is not None and record.getMessage().startswith("teams: turn failed")
    assert said == m("internal_error", "en", ref=reference)
    assert len(reference) == 8
