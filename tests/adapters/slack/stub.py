"""A local stand-in for the Slack Web API (and response_url, and the Socket Mode socket).

Listens on 127.0.0.1, on a port the system picks; records every call; answers as Slack does,
with realistic fields; can be told to fail a method (429 with Retry-After, 5xx, or an
`ok: false` error) a number of times. Nothing here leaves the machine.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web

BOT_USER = "UBOUSSOLE"
TEAM = "T0NANTES"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    response: dict[str, Any] = field(default_factory=dict)

    @property
    def blocks(self) -> list[dict[str, Any]]:
        return self.params.get("blocks") or []


@dataclass
class Failure:
    status: int
    error: str
    headers: dict[str, str] = field(default_factory=dict)


class SlackStub:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.locales: dict[str, str] = {}
        self.failures: dict[str, list[Failure]] = {}
        self.socket_messages: list[dict[str, Any]] = []
        self.files: dict[str, tuple[str, bytes]] = {}
        self.downloads: list[dict[str, str]] = []
        self._counter = itertools.count(1)
        self._changed = asyncio.Condition()
        self._socket: web.WebSocketResponse | None = None
        self._runner: web.AppRunner | None = None
        self.url = ""

    # Life

    async def start(self) -> str:
        web_app = web.Application()
        web_app.router.add_route("*", "/api/{method}", self._api)
        web_app.router.add_post("/response/{id}", self._response_url)
        web_app.router.add_get("/socket", self._websocket)
        web_app.router.add_get("/files/{id}", self._file)
        self._runner = web.AppRunner(web_app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}/"
        return self.url

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # Scripting and reading

    def fail(
        self, method: str, status: int, error: str = "", times: int = 1, **headers: str
    ) -> None:
        """The next `times` calls of `method` fail: 429 → ratelimited with Retry-After, 5xx,
        status 200 with `ok: false` and `error`, or 0: the connection cut, no answer."""
        default = {429: "ratelimited"}.get(status, "fatal_error" if status >= 500 else "")
        failure = Failure(status, error or default, dict(headers))
        self.failures.setdefault(method, []).extend([failure] * times)

    def add_file(self, file_id: str, name: str, content: bytes) -> None:
        """A file someone shared: `files.info` describes it, `url_private` serves it."""
        self.files[file_id] = (name, content)

    def to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def response_url(self, name: str) -> str:
        return f"{self.url}response/{name}"

    async def wait_for(self, found: Callable[[list[Call]], Any], timeout: float = 15.0) -> Any:
        """Until `found(calls)` is truthy; a safety net, never a timing assertion."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: found(self.calls)), timeout)
        return found(self.calls)

    # Socket Mode

    async def send_envelope(self, envelope: dict[str, Any]) -> None:
        assert self._socket is not None, "no Socket Mode client connected"
        await self._socket.send_str(json.dumps(envelope))

    async def wait_socket(self, timeout: float = 15.0) -> None:
        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(lambda: self._socket is not None), timeout
            )

    # Handlers

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params: dict[str, Any] = dict(request.query)
        text = await request.text()
        if text:
            if request.content_type == "application/json":
                params.update(json.loads(text))
            else:
                params.update(parse_qsl(text))
        for name in ("blocks", "view"):
            if isinstance(params.get(name), str):
                params[name] = json.loads(params[name])
        call = Call(method, params, dict(request.headers))
        pending = self.failures.get(method)
        if pending:
            failure = pending.pop(0)
            call.response = {"ok": False, "error": failure.error}
            await self._record(call)
            if failure.status == 0 and request.transport is not None:
                request.transport.close()
            return web.json_response(call.response, status=failure.status, headers=failure.headers)
        call.response = self._answer(method, params)
        await self._record(call)
        return web.json_response(call.response)

    async def _response_url(self, request: web.Request) -> web.Response:
        params = await request.json()
        await self._record(Call("response_url", params, dict(request.headers)))
        return web.Response(text="ok")

    async def _file(self, request: web.Request) -> web.Response:
        self.downloads.append(dict(request.headers))
        found = self.files.get(request.match_info["id"])
        if found is None:
            return web.Response(status=404)
        return web.Response(body=found[1], content_type="application/octet-stream")

    async def _websocket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        async with self._changed:
            self._socket = socket
            self._changed.notify_all()
        await socket.send_str(json.dumps({"type": "hello", "num_connections": 1}))
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                data = json.loads(message.data)
                async with self._changed:
                    self.socket_messages.append(data)
                    self._changed.notify_all()
        return socket

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        ts = f"{int(time.time())}.{next(self._counter):06d}"
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://nantes-metropole.slack.com/",
                "team": "Nantes Métropole",
                "user": "boussole",
                "team_id": TEAM,
                "user_id": BOT_USER,
                "bot_id": "BBOUSSOLE",
                "is_enterprise_install": False,
            }
        if method == "chat.postMessage":
            message = {"type": "message", "user": BOT_USER, "text": params.get("text"), "ts": ts}
            return {"ok": True, "channel": params.get("channel"), "ts": ts, "message": message}
        if method == "chat.update":
            return {
                "ok": True,
                "channel": params.get("channel"),
                "ts": params.get("ts"),
                "text": params.get("text"),
            }
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(params.get("users"))}}
        if method == "users.info":
            user = str(params.get("user"))
            return {
                "ok": True,
                "user": {
                    "id": user,
                    "team_id": TEAM,
                    "name": user.lower(),
                    "is_bot": False,
                    "tz": "Europe/Paris",
                    "locale": self.locales.get(user, "fr-FR"),
                },
            }
        if method in ("views.open", "views.publish", "views.update"):
            view = dict(params.get("view") or {})
            view.update(id=f"V{next(self._counter):08d}", hash=ts, team_id=TEAM)
            return {"ok": True, "view": view}
        if method == "files.info" and str(params.get("file")) in self.files:
            file_id = str(params["file"])
            name, content = self.files[file_id]
            url = f"{self.url}files/{file_id}"
            return {
                "ok": True,
                "file": {
                    "id": file_id,
                    "name": name,
                    "title": name,
                    "filetype": "yaml" if name.endswith((".yaml", ".yml")) else "text",
                    "size": len(content),
                    "url_private": url,
                    "url_private_download": url,
                },
            }
        if method == "apps.connections.open":
            return {"ok": True, "url": self.url.replace("http://", "ws://") + "socket"}
        return {"ok": False, "error": "unknown_method"}
