"""A local stand-in for the Bot Framework connector service (what `serviceUrl` points at).

It records every call the bot makes (send, reply, update) and answers as the real service
does, or with the status a test asks for, so that the real CloudAdapter and its real HTTP
client run end to end without leaving this machine.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer


@dataclass
class Call:
    method: str
    conversation_id: str
    activity_id: str | None
    body: dict[str, Any]
    authorization: str | None
    returned_id: str | None = None

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [
            a["content"]
            for a in self.body.get("attachments") or []
            if a.get("contentType") == "application/vnd.microsoft.card.adaptive"
        ]

    @property
    def card(self) -> dict[str, Any] | None:
        found = self.cards
        return found[0] if found else None

    @property
    def text(self) -> str:
        return str(self.body.get("text") or "")


@dataclass
class ConnectorStub:
    calls: list[Call] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)
    """conversation id -> HTTP status to answer with instead of success."""
    throttled: dict[str, list[str]] = field(default_factory=dict)
    """conversation id -> the `Retry-After` values of the next 429 answers, one per call,
    before the calls succeed again (as the service does under its rate limits)."""
    _ids: Any = field(default_factory=lambda: itertools.count(1))
    server: TestServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("/")).rstrip("/") + "/"

    async def start(self) -> None:
        app = web.Application()
        route = "/v3/conversations/{conversation}/activities"
        app.router.add_post(route, self._send)
        app.router.add_post(route + "/{activity}", self._send)
        app.router.add_put(route + "/{activity}", self._update)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    async def _send(self, request: web.Request) -> web.Response:
        return await self._record(request, "POST")

    async def _update(self, request: web.Request) -> web.Response:
        return await self._record(request, "PUT")

    async def _record(self, request: web.Request, method: str) -> web.Response:
        conversation = request.match_info["conversation"]
        body = await request.json()
        call = Call(
            method,
            conversation,
            request.match_info.get("activity"),
            body,
            request.headers.get("Authorization"),
        )
        self.calls.append(call)
        waits = self.throttled.get(conversation)
        if waits:
            return web.json_response(
                {"error": {"code": "TooManyRequests", "message": "throttled"}},
                status=429,
                headers={"Retry-After": waits.pop(0)},
            )
        status = self.failures.get(conversation)
        if status is not None:
            return web.json_response(
                {"error": {"code": "BotDisabledByAdmin", "message": "refused"}}, status=status
            )
        if method == "PUT":
            call.returned_id = call.activity_id
        else:
            call.returned_id = f"msg-{next(self._ids)}"
        return web.json_response({"id": call.returned_id})

    # Reading what the bot sent

    def sent(self) -> list[Call]:
        return [c for c in self.calls if c.method == "POST"]

    def updates(self) -> list[Call]:
        return [c for c in self.calls if c.method == "PUT"]

    def since(self, index: int) -> list[Call]:
        return self.calls[index:]

    def last_card(self) -> tuple[Call, dict[str, Any]]:
        for call in reversed(self.sent()):
            if call.card is not None:
                return call, call.card
        raise AssertionError("the bot sent no card")
