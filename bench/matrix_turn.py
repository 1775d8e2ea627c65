"""One Matrix turn, from a person's message to the bot's next question, against a local Synapse.

    python bench/matrix_turn.py [--turns 60] [--warmup 6]

Scenarios, measured in the same run against the same homeserver, interleaved in blocks so
that machine noise hits both:
- `echo`: a plain echo bot written with the same library (mautrix, with its crypto machine
  loaded, as Boussole's): the homeserver's own round trip, the floor.
- `boussole`: the Matrix platform as `serve` starts it answering one question of a triage:
  engine transaction (SQLite), the answered question edited, the next question sent.
Both in unencrypted direct rooms; the time is taken at the person's client, from its send to
the arrival of the bot's next message (edits apart). Prints one line per scenario, then the
ratio to the floor (the issue's target: within 2x).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mautrix.types import EventType, MessageEvent, StateEvent

from adapters.matrix.client import connect, sync_forever
from adapters.matrix.platform import MatrixPlatform
from adapters.server import ServeOptions
from bot.app import open_app
from bot.settings import Settings
from bot.views import QuestionView
from tests.adapters.matrix.person import Person
from tests.adapters.matrix.synapse import Synapse
from tests.adapters.matrix.test_journey import RESULT, typed
from tests.cases import load_cases

HINT = "Répondez par le numéro ou l'intitulé"
ANSWERS = dict(load_cases(valid=True))["01-school-meals-grid-example"]["answers"]


async def echo_bot(synapse: Synapse, root: Path) -> tuple[asyncio.Event, asyncio.Task[None]]:
    account = synapse.register("echo")
    connection = await connect(
        synapse.url,
        account.user_id,
        account.access_token,
        account.device_id,
        f"sqlite:///{root / 'echo.db'}",
        "echo",
    )
    client = connection.client

    async def on_member(evt: StateEvent) -> None:
        if evt.state_key == account.user_id and evt.content.membership.value == "invite":
            await client.join_room(evt.room_id)

    async def on_message(evt: MessageEvent) -> None:
        if evt.sender != account.user_id:
            await client.send_text(evt.room_id, evt.content.body)

    client.add_event_handler(EventType.ROOM_MEMBER, on_member)
    client.add_event_handler(EventType.ROOM_MESSAGE, on_message)
    stop = asyncio.Event()

    async def ignore(_token: str) -> None:
        return None

    return stop, asyncio.create_task(sync_forever(client, None, ignore, stop))


async def timed_echo(person: Person, room_id: str, n: int) -> list[float]:
    times = []
    for i in range(n):
        start = time.perf_counter()
        await person.say(room_id, f"ping {i}")
        await person.heard()
        times.append(time.perf_counter() - start)
    return times


async def timed_boussole(
    running: MatrixPlatform, person: Person, room_id: str, n: int
) -> list[float]:
    """Answers the questions of successive triages; each answer to the bot's next message
    is one turn."""
    times: list[float] = []
    body = ""
    while len(times) < n:
        if not body:
            await person.say(room_id, "boussole")
            body = (await person.heard_until(HINT))[-1].body
        view = await _asked(running, room_id, body)
        start = time.perf_counter()
        await person.say(room_id, typed(view, ANSWERS[view.question_id]))
        said = await person.heard()
        times.append(time.perf_counter() - start)
        if RESULT in said.body:
            body = ""
        elif HINT in said.body:
            body = said.body
        else:  # a notice came first; the question follows it
            body = (await person.heard_until(HINT))[-1].body
    return times


async def _asked(running: MatrixPlatform, room_id: str, body: str) -> QuestionView:
    assert running.bot is not None
    while True:
        view = running.bot.asked.get(room_id)
        if view is not None and f"{view.number}. {view.label}" in body:
            return view
        await asyncio.sleep(0.005)


async def main(turns: int, warmup: int) -> None:
    root = Path(tempfile.mkdtemp(prefix="matrix-bench-"))
    synapse = Synapse(root / "synapse")
    synapse.start()
    try:
        bot = synapse.register("boussole")
        person_account = synapse.register("agent")
        os.environ.update(
            BOUSSOLE_MATRIX_HOMESERVER=synapse.url,
            BOUSSOLE_MATRIX_USER_ID=bot.user_id,
            BOUSSOLE_MATRIX_ACCESS_TOKEN=bot.access_token,
            BOUSSOLE_MATRIX_DEVICE_ID=bot.device_id,
            BOUSSOLE_MATRIX_PICKLE_KEY="bench",
        )
        url = os.environ.get("BOUSSOLE_BENCH_DATABASE_URL", f"sqlite:///{root / 'b.db'}")
        app = open_app(Settings(database_url=url, data_dir=root / "data"))
        platform = MatrixPlatform()
        await platform.start(app, ServeOptions())
        stop_echo, echo_task = await echo_bot(synapse, root)
        person = await Person.open(synapse.url, person_account, root / "person.db")
        echo_room = await person.direct_room("@echo:boussole.test")
        bot_room = await person.direct_room(bot.user_id)
        await timed_echo(person, echo_room, warmup)
        await timed_boussole(platform, person, bot_room, warmup)
        echo: list[float] = []
        boussole: list[float] = []
        block = 10
        while len(echo) < turns:
            echo += await timed_echo(person, echo_room, block)
            boussole += await timed_boussole(platform, person, bot_room, block)
        floor = statistics.median(echo)
        ours = statistics.median(boussole)
        for name, times in (("echo", echo), ("boussole", boussole)):
            p90 = statistics.quantiles(times, n=10)[-1]
            median = statistics.median(times) * 1000
            print(f"{name:9} median {median:7.1f} ms  p90 {p90 * 1000:7.1f} ms  n={len(times)}")
        print(f"ratio boussole/echo (median): {ours / floor:.2f}")
        await person.close()
        stop_echo.set()
        echo_task.cancel()
        await platform.stop()
        app.close()
    finally:
        synapse.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=6)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.turns, arguments.warmup))
