"""End to end with a real Teams client simulator: Microsoft 365 Agents Playground, headless.

`python -m tests.node.playground_e2e PATH/TO/m365agentsplayground/cli.js`

Starts `boussole serve` in local-development mode (BOUSSOLE_TEAMS_AUTH=off, a throwaway
SQLite database), starts the playground against it (`-c msteams`, no browser, no telemetry),
then drives a whole triage through the playground's own HTTP interface, the one its web page
uses: install the app, type a message, submit cards; the bot's messages and card updates are
read from the playground's conversation stream (a WebSocket). The playground is the channel
here: it posts activities to /api/messages and receives the bot's replies on its connector.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp

from tests.cases import load_cases
from tests.net import free_port

REPO = Path(__file__).resolve().parents[2]
CASE = "01-school-meals-grid-example"
STEP = 60.0
"""Seconds to wait for one expected event before failing (a hang guard, not a measure)."""


@contextlib.contextmanager
def process(
    command: list[str], env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as output:
        started = subprocess.Popen(command, env=env, cwd=REPO, stdout=output, stderr=output)
        try:
            yield started
        finally:
            started.terminate()
            try:
                started.wait(timeout=10)
            except subprocess.TimeoutExpired:
                started.kill()
                started.wait()


async def wait_http(
    session: aiohttp.ClientSession, url: str, what: subprocess.Popen[bytes]
) -> None:
    for _attempt in range(300):
        if what.poll() is not None:
            raise SystemExit(f"{what.args[0]} exited with {what.returncode} before serving {url}")
        with contextlib.suppress(aiohttp.ClientError):
            async with session.get(url) as response:
                if response.status < 500:
                    return
        await asyncio.sleep(0.2)
    raise SystemExit(f"{url} did not answer")


class Playground:
    """The playground's HTTP and WebSocket interface, as its web client uses it."""

    def __init__(self, session: aiohttp.ClientSession, base: str) -> None:
        self.session = session
        self.base = base
        self.events: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.chat = ""
        self.user = ""

    async def open(self) -> None:
        async with self.session.get(f"{self.base}/_internal/v1/config") as response:
            config = (await response.json())["config"]
        self.chat = config["personalChat"]["id"]
        self.user = config["currentUser"]["id"]
        self.socket = await self.session.ws_connect(
            f"{self.base}/_ws_conversation/v1/conversations/stream"
        )
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.socket:
            if message.type == aiohttp.WSMsgType.TEXT:
                await self.events.put(json.loads(message.data))

    async def install(self) -> None:
        await self._post(f"/_debug/conversation/{self.chat}/installation", {})

    async def say(self, text: str) -> None:
        body = {"from": {"id": self.user}, "text": text, "textFormat": "plain"}
        await self._post(f"/_conversation/v1/conversations/{self.chat}/messages", body)

    async def submit(self, message_id: str, value: dict[str, Any]) -> None:
        body = {
            "conversation": {"id": self.chat},
            "from": {"id": self.user},
            "replyToId": message_id,
            "value": value,
        }
        await self._post("/_conversation/v1/submit", body)

    async def _post(self, path: str, body: dict[str, Any]) -> None:
        async with self.session.post(self.base + path, json=body) as response:
            if response.status != 200:
                raise AssertionError(f"{path}: {response.status} {await response.text()}")

    async def next(self, action: str) -> dict[str, Any]:
        """The next event of this kind in our chat (others are skipped)."""
        (message,) = await self.collect([action])
        return message

    async def collect(self, actions: list[str]) -> list[dict[str, Any]]:
        """One event of each kind, in whatever order they come: the bot replaces the
        answered card and sends the next one at the same time."""
        found: dict[str, dict[str, Any]] = {}
        while len(found) < len(set(actions)):
            event = await asyncio.wait_for(self.events.get(), STEP)
            action = event.get("action")
            mine = event.get("actionConversationId") == self.chat
            if mine and action in actions and action not in found:
                found[action] = event["message"]
        return [found[action] for action in actions]

    async def close(self) -> None:
        await self.socket.close()
        self.reader.cancel()


def card_of(message: dict[str, Any]) -> dict[str, Any]:
    (attachment,) = message.get("attachments") or [{}]
    assert attachment.get("contentType") == "application/vnd.microsoft.card.adaptive", message
    return attachment["content"]


def has_inputs(card: dict[str, Any]) -> bool:
    return any(str(e.get("type", "")).startswith("Input.") for e in card.get("body", []))


def encode(value: Any) -> str:
    return ",".join(value) if isinstance(value, list) else str(value)


async def drive(base: str, answers: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    async with aiohttp.ClientSession() as session:
        playground = Playground(session, base)
        await playground.open()
        try:
            await playground.install()
            welcome = card_of(await playground.next("createMessage"))
            if "New triage" not in json.dumps(welcome):
                problems.append("the welcome card has no 'New triage' button")

            await playground.say("new")
            message = await playground.next("createMessage")
            card = card_of(message)
            answered = 0
            while has_inputs(card):
                data = next(a["data"] for a in card["actions"] if a["data"]["boussole"] == "answer")
                value = {**data, "answer": encode(answers[data["question"]])}
                await playground.submit(message["messageId"], value)
                replaced, following = await playground.collect(["updateMessage", "createMessage"])
                if replaced["messageId"] != message["messageId"] or has_inputs(card_of(replaced)):
                    problems.append(f"{data['question']}: the answered card was not replaced")
                message = following
                card = card_of(message)
                answered += 1
            shown = json.dumps(card, ensure_ascii=False)
            if "Result of triage" not in shown:
                problems.append("the last card is not a result card")
            for rule in expected["rules"]:
                if rule not in shown:
                    problems.append(f"rule {rule} missing from the result card")
            if answered != len(answers):
                problems.append(f"{answered} cards answered, {len(answers)} answers expected")
        finally:
            await playground.close()
    return problems


async def run(cli: Path) -> int:
    name, case = next((n, c) for n, c in load_cases(valid=True) if n == CASE)
    bot_port, playground_port = free_port(), free_port()
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("BOUSSOLE_", "Microsoft", "SLACK_", "ToBot", "ToChannel"))
        }
        bot_env = {
            **env,
            "BOUSSOLE_TEAMS_AUTH": "off",
            "BOUSSOLE_ENV": "development",
            "BOUSSOLE_DATABASE_URL": f"sqlite:///{folder / 'boussole.db'}",
            "BOUSSOLE_DATA_DIR": str(folder),
        }
        playground_env = {**env, "TEAMSAPPTESTER_BROWSER": "none"}
        serve = [sys.executable, "-m", "adapters.console", "serve", "--port", str(bot_port)]
        endpoint = f"http://127.0.0.1:{bot_port}/api/messages"
        simulator = [
            "node",
            str(cli),
            "--disable-telemetry",
            "-p",
            str(playground_port),
            "-e",
            endpoint,
            "-c",
            "msteams",
        ]
        with (
            process(serve, bot_env, folder / "serve.log") as bot,
            process(simulator, playground_env, folder / "playground.log") as playground,
        ):
            async with aiohttp.ClientSession() as session:
                await wait_http(session, f"http://127.0.0.1:{bot_port}/healthz", bot)
                base = f"http://127.0.0.1:{playground_port}"
                await wait_http(session, f"{base}/_debug/ping", playground)
            try:
                problems = await drive(base, case["answers"], case["expect"])
            except (TimeoutError, AssertionError) as error:
                problems = [f"{type(error).__name__}: {error}"]
        if problems:
            for log in ("serve.log", "playground.log"):
                print(f"--- {log}", file=sys.stderr)
                print((folder / log).read_text("utf-8", "replace")[-4000:], file=sys.stderr)
    for problem in problems:
        print(f"playground: {problem}", file=sys.stderr)
    print(f"playground triage {name}: {0 if problems else 1} passed, {1 if problems else 0} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(run(Path(sys.argv[1]))))
