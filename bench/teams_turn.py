"""One Teams turn, from the POST to /api/messages to the next card at the connector stub.

    python bench/teams_turn.py [--turns 400] [--warmup 40]

Scenarios, measured in the same run, interleaved in blocks so that machine noise hits all:
- `floor`: a bare echo bot on the SDK's stock CloudAdapter (the issue's floor): it builds
  its msrest clients on every turn, and does no other work.
- `floor-cached`: the same echo bot behind our caching authentication: what the SDK costs
  once its clients are reused.
- `boussole`: our real server (`build_server` + the Teams platform) answering one question of
  a triage: engine transaction (SQLite, or BOUSSOLE_BENCH_DATABASE_URL), the answered card
  replaced and the next card sent.
Authentication is off in all three (no token to validate on either side), so what differs
is the turn's own work. Prints one line per scenario, then the ratio to the floor.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.server import ServeOptions, build_server
from adapters.teams.auth import build_authentication
from adapters.teams.platform import TeamsPlatform
from adapters.teams.settings import TeamsSettings
from bot.app import open_app
from bot.settings import Settings
from tests.adapters.teams.client import encode, inputs, submit_data
from tests.adapters.teams.connector_stub import ConnectorStub
from tests.cases import load_cases

USER = "29:1bench-user"
BOT = "28:bench-bot"


class Clock:
    """Wraps the connector stub so that each card's arrival time is recorded."""

    def __init__(self, stub: ConnectorStub) -> None:
        self.stub = stub
        self.arrivals: list[float] = []
        original = stub._record

        async def record(request: web.Request, method: str) -> web.Response:
            response = await original(request, method)
            if method == "POST":
                self.arrivals.append(time.perf_counter())
            return response

        stub._record = record  # type: ignore[method-assign]


def activity(stub: ConnectorStub, number: int, **fields: Any) -> dict[str, Any]:
    body = {
        "type": "message",
        "id": f"bench-{number}",
        "serviceUrl": stub.url,
        "channelId": "msteams",
        "from": {"id": USER},
        "conversation": {"id": "a:bench", "conversationType": "personal"},
        "recipient": {"id": BOT},
        "locale": "fr-FR",
    }
    body.update(fields)
    return body


async def echo_server(cached: bool) -> TestServer:
    from botbuilder.core import ActivityHandler, MessageFactory, TurnContext
    from botbuilder.integration.aiohttp import (
        CloudAdapter,
        ConfigurationBotFrameworkAuthentication,
    )

    class Echo(ActivityHandler):
        async def on_message_activity(self, turn_context: TurnContext) -> None:
            await turn_context.send_activity(MessageFactory.text(turn_context.activity.text))

    settings = TeamsSettings(auth="off")
    authentication = (
        build_authentication(settings)
        if cached
        else ConfigurationBotFrameworkAuthentication(settings.sdk_configuration())
    )
    adapter = CloudAdapter(authentication)
    bot = Echo()

    async def messages(request: web.Request) -> web.StreamResponse:
        response = await adapter.process(request, bot)
        return response or web.Response(status=201)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    return server


class Scenario:
    def __init__(self, name: str) -> None:
        self.name = name
        self.samples: list[float] = []
        self.turn: Callable[[], Awaitable[float]]


async def main(turns: int, warmup: int, block: int) -> None:
    os.environ.pop("MicrosoftAppId", None)
    os.environ["BOUSSOLE_TEAMS_AUTH"] = "off"
    os.environ["BOUSSOLE_ENV"] = "development"
    work = Path(tempfile.mkdtemp(prefix="boussole-bench-"))
    url = os.environ.get("BOUSSOLE_BENCH_DATABASE_URL") or f"sqlite:///{work / 'bench.db'}"
    app = open_app(Settings(database_url=url, data_dir=work))
    echo_stub, stub = ConnectorStub(), ConnectorStub()
    await echo_stub.start()
    await stub.start()
    clocks = {id(echo_stub): Clock(echo_stub), id(stub): Clock(stub)}
    session = aiohttp.ClientSession()
    counter = iter(range(10**9))

    async def post(base: str, body: dict[str, Any], target: ConnectorStub) -> float:
        clock = clocks[id(target)]
        clock.arrivals.clear()
        started = time.perf_counter()
        async with session.post(base + "/api/messages", json=body) as response:
            await response.read()
            if response.status not in (200, 201):
                raise SystemExit(f"{base}: {response.status}")
        return (clock.arrivals[-1] - started) * 1000

    servers = []
    scenarios = []
    for name, cached in (("floor", False), ("floor-cached", True)):
        server = await echo_server(cached)
        servers.append(server)
        base = str(server.make_url("")).rstrip("/")
        scenario = Scenario(name)

        async def echo(base: str = base) -> float:
            echo_stub.calls.clear()
            return await post(base, activity(echo_stub, next(counter), text="ping"), echo_stub)

        scenario.turn = echo
        scenarios.append(scenario)

    web_app = build_server(app, [TeamsPlatform()], ServeOptions(notifier_interval=3600))
    ours = TestServer(web_app, host="127.0.0.1")
    await ours.start_server()
    servers.append(ours)
    ours_base = str(ours.make_url("")).rstrip("/")
    answers = load_cases(valid=True)[0][1]["answers"]

    async def answer() -> float:
        """One answer turn; a finished triage is followed by a new one (not measured)."""
        call, card = stub.last_card()
        while not inputs(card):
            await post(ours_base, activity(stub, next(counter), text="boussole"), stub)
            call, card = stub.last_card()
        data = submit_data(card)
        value = {**data, "answer": encode(answers[data["question"]])}
        body = activity(stub, next(counter), value=value, replyToId=call.returned_id)
        return await post(ours_base, body, stub)

    await post(ours_base, activity(stub, next(counter), text="boussole"), stub)
    boussole = Scenario("boussole")
    boussole.turn = answer
    scenarios.append(boussole)

    for scenario in scenarios:
        for _ in range(warmup):
            await scenario.turn()
    for _ in range(0, turns, block):
        for scenario in scenarios:
            for _ in range(block):
                scenario.samples.append(await scenario.turn())

    floor = statistics.median(scenarios[0].samples)
    database = url.split(":", 1)[0]
    for scenario in scenarios:
        ordered = sorted(scenario.samples)
        p50 = statistics.median(ordered)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        print(
            f"teams_turn {scenario.name:<13} n={len(ordered)} p50={p50:6.2f} ms "
            f"p99={p99:6.2f} ms  x{p50 / floor:.2f} of floor ({database})"
        )
    ratio = statistics.median(boussole.samples) / floor
    verdict = "within" if ratio <= 1.5 else "OVER"
    print(f"teams_turn boussole/floor p50 ratio {ratio:.2f} ({verdict} the 1.5x target)")
    print(json.dumps({s.name: statistics.median(s.samples) for s in scenarios}))

    await session.close()
    for server in servers:
        await server.close()
    await stub.close()
    await echo_stub.close()
    app.store.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=400)
    parser.add_argument("--warmup", type=int, default=40)
    parser.add_argument("--block", type=int, default=50)
    options = parser.parse_args()
    asyncio.run(main(options.turns, options.warmup, options.block))
