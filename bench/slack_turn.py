"""Slack turn latency: a signed block_actions request to its ack, and to the next question
posted at the Web API, against a bare slack-bolt app that only acks (the floor).

    python bench/slack_turn.py [--turns 1000] [--database URL] [--think MS]

Everything runs on 127.0.0.1. A server process runs the real `boussole serve` server
(build_server with the Slack platform) on a temporary SQLite file database, and the bare
bolt app served the same way; this process plays Slack (signed requests) and its Web API (a
minimal stub), so one clock times the request, its ack and the next question's arrival.
(In one process, the engine's thread would hold the GIL while the client tries to read the
ack, and the figures would measure the benchmark.) Ours and the floor are measured in the
same run, interleaved in rounds so that machine noise falls on both. Targets (issue 3): ack
p99 within 2x the floor's, full turn p99 under 30 ms. Not a test: nothing asserts a duration.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import re
import statistics
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request  # noqa: E402
from slack_bolt.async_app import AsyncApp  # noqa: E402
from slack_sdk.signature import SignatureVerifier  # noqa: E402
from slack_sdk.web.async_client import AsyncWebClient  # noqa: E402

from adapters.server import ServeOptions, build_server  # noqa: E402
from adapters.slack.platform import SlackPlatform  # noqa: E402
from adapters.slack.runtime import BOLT_LOG  # noqa: E402
from bot.app import open_app  # noqa: E402
from bot.settings import Settings  # noqa: E402

SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench"
USER = "UBENCH01"
THINK = 5.0
"""Milliseconds between a reply and the next click, for ours and the floor alike: a
person's clicks are seconds apart, so a click never lands on the tail of the previous turn
(its last Web API responses, the connection going back to the pool). `--think 0` measures
back-to-back clicks instead."""
ANSWERS = YAML(typ="safe", pure=True).load(
    (REPO / "tests" / "cases" / "01-school-meals-grid-example.yaml").read_text("utf-8")
)["answers"]


class Stub:
    """The Web API, reduced to what a turn calls; notes when each message arrives."""

    def __init__(self) -> None:
        self.posted: list[tuple[float, dict[str, Any], str]] = []
        self.views: list[dict[str, Any]] = []
        self.arrived = asyncio.Event()
        self.count = 0
        self.url = ""

    async def start(self) -> web.AppRunner:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self.api)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        host, port = runner.addresses[0][:2]
        self.url = f"http://{host}:{port}/api/"
        return runner

    async def api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        body = await request.json() if request.content_type == "application/json" else {}
        self.count += 1
        ts = f"1700000000.{self.count:06d}"
        if method == "chat.postMessage":
            self.posted.append((time.perf_counter(), body, ts))
            self.arrived.set()
            return web.json_response({"ok": True, "channel": body.get("channel"), "ts": ts})
        if method == "views.open":
            self.views.append(body["view"])
            self.arrived.set()
            return web.json_response({"ok": True, "view": {"id": f"V{self.count}"}})
        answers: dict[str, Any] = {
            "auth.test": {"ok": True, "team_id": "T1", "user_id": "UBOT", "bot_id": "B1"},
            "users.info": {"ok": True, "user": {"id": USER, "locale": "fr-FR"}},
            "conversations.open": {"ok": True, "channel": {"id": "D" + USER}},
        }
        return web.json_response(answers.get(method, {"ok": True, "ts": ts}))

    async def next_post(self, seen: int) -> tuple[float, dict[str, Any], str]:
        while len(self.posted) <= seen:
            self.arrived.clear()
            await self.arrived.wait()
        return self.posted[seen]


def signed(body: str) -> dict[str, str]:
    stamp = str(int(time.time()))
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": SignatureVerifier(SECRET).generate_signature(
            timestamp=stamp, body=body
        )
        or "",
    }


def payload(kind: str, **fields: Any) -> str:
    base = {
        "type": kind,
        "user": {"id": USER, "username": "bench", "team_id": "T1"},
        "team": {"id": "T1", "domain": "bench"},
        "api_app_id": "A1",
        "trigger_id": f"trigger.{time.perf_counter_ns()}",
    }
    return urlencode({"payload": json.dumps({**base, **fields})})


def click(message: dict[str, Any], ts: str, value: Any) -> str:
    """The block_actions a person's click on `message` sends, answering `value`."""
    blocks = message["blocks"]
    elements = [(b, e) for b in blocks for e in b.get("elements") or []]
    action: dict[str, Any] = {"action_ts": f"{time.time():.6f}"}
    state: dict[str, Any] = {}
    for block, element in elements:
        if element.get("action_id") == f"answer:{value}":
            action.update(element, block_id=block["block_id"])
        elif element["type"] == "static_select":
            option = next(o for o in element["options"] if o["value"] == value)
            action.update(
                action_id=element["action_id"],
                block_id=block["block_id"],
                type="static_select",
                selected_option=option,
            )
        elif element["type"] == "checkboxes":
            chosen = [o for o in element["options"] if o["value"] in value]
            state = {
                block["block_id"]: {
                    element["action_id"]: {"type": "checkboxes", "selected_options": chosen}
                }
            }
            submit = next(e for _b, e in elements if e.get("action_id") == "submit_multi")
            action.update(submit, block_id="navigation")
    return payload(
        "block_actions",
        container={"type": "message", "message_ts": ts, "channel_id": "D" + USER},
        channel={"id": "D" + USER},
        message={"ts": ts, "blocks": blocks},
        state={"values": state},
        actions=[action],
    )


def question_of(message: dict[str, Any]) -> tuple[str, str] | None:
    for block in message.get("blocks") or []:
        for element in block.get("elements") or []:
            if element.get("action_id") == "why":
                ref = json.loads(element["value"])
                kind = (
                    "text"
                    if any(
                        e.get("action_id") == "open_text"
                        for b in message["blocks"]
                        for e in b.get("elements") or []
                    )
                    else "click"
                )
                return ref["q"], kind
    return None


class Boussole:
    """Our server, driven one answer at a time through whole triages."""

    def __init__(self, base: str, stub: Stub, session: aiohttp.ClientSession) -> None:
        self.base, self.stub, self.session = base, stub, session
        self.current: dict[str, Any] | None = None
        self.current_ts = ""

    async def post(self, body: str) -> None:
        async with self.session.post(self.base, data=body, headers=signed(body)) as response:
            await response.read()
            assert response.status == 200, response.status

    async def start(self) -> None:
        seen = len(self.stub.posted)
        form = {
            "command": "/boussole",
            "text": "",
            "user_id": USER,
            "team_id": "T1",
            "channel_id": "D" + USER,
            "trigger_id": f"t{time.perf_counter_ns()}",
            "response_url": self.stub.url + "response",
        }
        await self.post(urlencode(form))
        await self.question_after(seen)

    async def question_after(self, seen: int) -> None:
        while True:
            _at, message, ts = await self.stub.next_post(seen)
            seen += 1
            if question_of(message) is not None:
                self.current, self.current_ts = message, ts
                return
            if message.get("blocks") and message["blocks"][0]["type"] == "header":
                await self.start()  # the result: a new triage
                return

    async def turn(self) -> tuple[float, float] | None:
        """One clicked answer: (ack, full turn) in seconds; None for a text question,
        answered through its modal and not measured."""
        assert self.current is not None
        found = question_of(self.current)
        assert found is not None
        question, kind = found
        seen = len(self.stub.posted)
        if kind == "text":
            await self.answer_text(question)
            await self.question_after(seen)
            return None
        body = click(self.current, self.current_ts, ANSWERS[question])
        began = time.perf_counter()
        await self.post(body)
        acked = time.perf_counter()
        while True:
            arrived, message, _ts = await self.stub.next_post(seen)
            if question_of(message) is not None or message["blocks"][0]["type"] == "header":
                break
            seen += 1
        await self.question_after(seen)
        return acked - began, arrived - began

    def next_click(self) -> str:
        """The click that answers the current question (a text question's modal button)."""
        assert self.current is not None
        found = question_of(self.current)
        assert found is not None
        question, kind = found
        if kind == "text":
            return payload("block_actions", actions=[{"action_id": "open_text"}])
        return click(self.current, self.current_ts, ANSWERS[question])

    async def answer_text(self, question: str) -> None:
        assert self.current is not None
        opened = len(self.stub.views)
        button = next(
            e
            for b in self.current["blocks"]
            for e in b.get("elements") or []
            if e.get("action_id") == "open_text"
        )
        await self.post(
            payload(
                "block_actions",
                actions=[{**button, "action_ts": f"{time.time():.6f}", "block_id": "navigation"}],
                container={
                    "type": "message",
                    "message_ts": self.current_ts,
                    "channel_id": "D" + USER,
                },
                channel={"id": "D" + USER},
            )
        )
        while len(self.stub.views) <= opened:
            self.stub.arrived.clear()
            await self.stub.arrived.wait()
        view = {
            **self.stub.views[-1],
            "id": f"V{time.perf_counter_ns()}",
            "state": {"values": {"answer": {"value": {"value": ANSWERS[question]}}}},
        }
        await self.post(payload("view_submission", view=view))


def bare_bolt(stub: Stub, default_mode: bool) -> web.Application:
    """The floor: slack-bolt verifying, dispatching and acking, and nothing else."""
    bolt = AsyncApp(
        signing_secret=SECRET,
        client=AsyncWebClient(token=TOKEN, base_url=stub.url),
        process_before_response=not default_mode,
        logger=BOLT_LOG,  # the same logger as ours, without its "token unused" warning
    )

    @bolt.action(re.compile(".*"))
    async def only_ack(ack: Any) -> None:
        await ack()

    async def handle(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    web_app = web.Application()
    web_app.router.add_post("/slack/events", handle)
    return web_app


async def serve(web_app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    return runner, f"http://{host}:{port}/slack/events"


async def floor_ack(session: aiohttp.ClientSession, url: str, boussole: Boussole) -> float:
    """The floor gets the very request ours would get now (the same question message in
    its payload), so that both pay the same parsing and signature check."""
    body = boussole.next_click()
    began = time.perf_counter()
    async with session.post(url, data=body, headers=signed(body)) as response:
        text = await response.text()
        assert response.status == 200, (response.status, text)
    return time.perf_counter() - began


def summary(name: str, samples: list[float], note: str = "") -> str:
    middle = statistics.median(samples) * 1000
    high = p99(samples) * 1000
    return f"{name:<58} p50 {middle:7.2f} ms  p99 {high:7.2f} ms  n={len(samples)}{note}"


def servers(connection: Connection, stub_url: str, database: str | None) -> None:
    """The server process: ours and the two floors, as `boussole serve` would run them."""
    asyncio.run(_servers(connection, stub_url, database))


async def _servers(connection: Connection, stub_url: str, database: str | None) -> None:
    os.environ.update(
        SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, BOUSSOLE_SLACK_API_URL=stub_url
    )
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        os.environ.pop(name, None)
    folder = Path(tempfile.mkdtemp(prefix="boussole-bench-"))
    url = database or f"sqlite:///{folder / 'bench.db'}"
    app = open_app(Settings(database_url=url, data_dir=folder))
    options = ServeOptions(notifier_interval=3600)
    stub = Stub()
    stub.url = stub_url
    runners = []
    urls = []
    for web_app in (
        build_server(app, [SlackPlatform()], options),
        bare_bolt(stub, default_mode=False),
        bare_bolt(stub, default_mode=True),
    ):
        runner, address = await serve(web_app)
        runners.append(runner)
        urls.append(address)
    connection.send((urls, url.split(":", 1)[0]))
    await asyncio.get_running_loop().run_in_executor(None, connection.recv)
    for runner in runners:
        await runner.cleanup()
    app.close()


async def measure(turns: int, database: str | None, think: float) -> None:
    stub = Stub()
    stub_runner = await stub.start()
    here, there = multiprocessing.get_context("spawn").Pipe()
    process = multiprocessing.get_context("spawn").Process(
        target=servers, args=(there, stub.url, database), daemon=True
    )
    process.start()
    loop = asyncio.get_running_loop()
    (ours_url, floor_url, default_url), dialect = await loop.run_in_executor(None, here.recv)
    acks: list[float] = []
    full: list[float] = []
    floor_acks: list[float] = []
    default_acks: list[float] = []
    async with aiohttp.ClientSession() as session:
        boussole = Boussole(ours_url, stub, session)
        await boussole.start()
        for _ in range(50):  # warm-up: caches, connections, the first auth.test
            await boussole.turn()
            await floor_ack(session, floor_url, boussole)
        for _round in range(max(1, turns // 100)):
            for _ in range(100):
                await asyncio.sleep(think / 1000)
                floor_acks.append(await floor_ack(session, floor_url, boussole))
            done = 0
            while done < 100:
                await asyncio.sleep(think / 1000)
                measured = await boussole.turn()
                if measured is not None:
                    acks.append(measured[0])
                    full.append(measured[1])
                    done += 1
            default_acks.append(await floor_ack(session, default_url, boussole))
    here.send("stop")
    process.join(60)
    await stub_runner.cleanup()

    floor_p99, ack_p99, full_p99 = (p99(floor_acks), p99(acks), p99(full))
    database_name = "SQLite file" if database is None else dialect
    print(
        f"Slack turn: {len(acks)} clicked answers, {database_name}, "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {think:g} ms between clicks; "
        "client and Web API stub in one process, the servers in another"
    )
    print(summary("floor: bare slack-bolt AsyncApp, ack only", floor_acks))
    print(
        summary(
            "boussole: signed block_actions -> ack",
            acks,
            f"  ({ack_p99 / floor_p99:.2f}x floor p99; target <= 2x)",
        )
    )
    print(
        summary(
            "boussole: signed block_actions -> next question at stub",
            full,
            f"  (target p99 < 30 ms: {'met' if full_p99 < 0.030 else 'MISSED'})",
        )
    )
    print(summary("info: bare AsyncApp, default mode (10 ms ack polling)", default_acks))


def p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(0.99 * len(ordered)) - 1)]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=1000, help="measured turns (default 1000)")
    parser.add_argument("--database", help="database URL (default: a temporary SQLite file)")
    parser.add_argument(
        "--think", type=float, default=THINK, help=f"ms between clicks (default {THINK:g})"
    )
    arguments = parser.parse_args()
    asyncio.run(measure(arguments.turns, arguments.database, arguments.think))
