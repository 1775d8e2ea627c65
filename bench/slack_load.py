"""Simulated agents running whole triages through the Slack HTTP endpoint of several
`boussole serve` processes, as people would: shared by bench/load.py and bench/faults.py.

Everything runs on 127.0.0.1. The serve processes are the real command, started as a
deployer would (environment variables only), each on its own port. This process plays Slack
(signed requests, sent through a round-robin "reverse proxy" that skips a process it cannot
connect to), Slack's Web API (a stub that sorts what the bot posts by channel and notes when
it arrived, so that one clock times request to next question) and the agents, who answer the
questions the bot actually posted with the answers of a golden case file.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from ruamel.yaml import YAML
from sqlalchemy import select

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from adapters.slack.messages import m  # noqa: E402
from adapters.slack.refs import OPEN_TEXT, SUBMIT_MULTI  # noqa: E402
from bot.app import App, open_app  # noqa: E402
from bot.notifications import REVIEW_REQUEST  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.triage_rows import IN_PROGRESS  # noqa: E402
from flows.compiled import CompiledFlow  # noqa: E402
from storage.repository import DELIVERED, PENDING, OutboxRecord, triages  # noqa: E402
from tests.adapters.slack.harness import (  # noqa: E402
    SECRET,
    TOKEN,
    Reply,
    Slack,
    block_by_id,
    find_element,
    kind_of,
)
from tests.adapters.slack.stub import Call, SlackStub  # noqa: E402
from tests.cases import load_cases  # noqa: E402
from tests.net import free_port  # noqa: E402


def steady_generator() -> None:
    """The load generator keeps every message the stub received, to check them at the end;
    a full garbage collection over them pauses this process for hundreds of milliseconds,
    and every turn under way then looks that much slower. Its garbage can wait for exit."""
    gc.freeze()
    gc.disable()


REVIEWER_PREFIX = "URVW"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
CLI = (sys.executable, "-m", "adapters.console")


# The Web API


class LoadStub(SlackStub):
    """The Web API stub of the tests, with what a load needs: messages sorted by channel (an
    agent waits for its own without scanning everyone's), their arrival times, and storms
    (every call failing with 429 or 500 for a while)."""

    def __init__(self) -> None:
        super().__init__()
        self.by_channel: dict[str, list[tuple[float, Call]]] = {}
        self.views_by_triage: dict[str, list[Call]] = {}
        self.arrived: dict[str, asyncio.Event] = {}
        self.storm_until = 0.0
        self.storm_status = 429
        self.refused = Counter[int]()

    def storm(self, seconds: float, status: int) -> None:
        """Every call fails with `status` (429 with Retry-After: 1, or 500) for `seconds`."""
        self.storm_status = status
        self.storm_until = time.monotonic() + seconds

    async def _api(self, request: web.Request) -> web.Response:
        if time.monotonic() < self.storm_until:
            await request.read()
            status = self.storm_status
            self.refused[status] += 1
            headers = {"Retry-After": "1"} if status == 429 else {}
            error = "ratelimited" if status == 429 else "fatal_error"
            return web.json_response({"ok": False, "error": error}, status=status, headers=headers)
        return await super()._api(request)

    async def _record(self, call: Call) -> None:
        self.calls.append(call)
        if call.method in ("chat.postMessage", "chat.postEphemeral") and call.response.get("ok"):
            channel = str(call.params.get("channel"))
            self.by_channel.setdefault(channel, []).append((time.perf_counter(), call))
            self._wake(channel)
        elif call.method == "views.open":
            metadata = json.loads(call.params["view"].get("private_metadata") or "{}")
            triage_id = json.loads(metadata.get("ref") or "{}").get("t", "")
            self.views_by_triage.setdefault(triage_id, []).append(call)
            self._wake("views:" + triage_id)

    def _wake(self, key: str) -> None:
        event = self.arrived.pop(key, None)
        if event is not None:
            event.set()

    async def changed(self, key: str, timeout: float) -> None:
        """Until something arrives for `key` (a channel, or "views:" + triage id)."""
        event = self.arrived.setdefault(key, asyncio.Event())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)

    def reviewer_notices(self) -> Counter[tuple[str, str]]:
        """(triage id, reviewer) → how many review notices that reviewer received."""
        seen = Counter[tuple[str, str]]()
        for channel, posted in self.by_channel.items():
            if not channel.startswith("D" + REVIEWER_PREFIX):
                continue
            for _at, call in posted:
                triage_id = review_of(call)
                if triage_id:
                    seen[(triage_id, channel[1:])] += 1
        return seen


def review_of(call: Call) -> str | None:
    """The triage a review notice is about (its buttons carry the triage id)."""
    for block in call.blocks:
        for element in block.get("elements") or []:
            if str(element.get("action_id", "")).startswith("review_"):
                return str(element.get("value") or "") or None
    return None


# The reverse proxy


class Proxy(Slack):
    """Slack's requests, spread round-robin over the serve processes as a reverse proxy
    would: a process it cannot connect to is skipped (and tried again a second later); a
    request cut off mid-way gets the proxy's 502, as Slack would see it."""

    def __init__(self, stub: LoadStub, session: aiohttp.ClientSession, bases: list[str]) -> None:
        super().__init__(stub, bases[0], session)
        self.bases = list(bases)
        self.down_until: dict[str, float] = {}
        self.statuses = Counter[int]()
        """What the serve processes answered."""
        self.cut = 0
        """Requests a process took and died on: the proxy answered 502 for it."""
        self.per_base = Counter[str]()
        self._next = itertools.count()

    async def post(
        self,
        body: str,
        content_type: str,
        headers: dict[str, str] | None = None,
        sign: bool = True,
    ) -> Reply:
        for _attempt in range(4 * len(self.bases)):
            base = self._pick()
            if base is None:
                await asyncio.sleep(0.2)
                continue
            self.base_url = base
            try:
                reply = await super().post(body, content_type, headers, sign)
            except aiohttp.ClientConnectorError:
                self.down_until[base] = time.monotonic() + 1.0
                continue
            except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError, TimeoutError):
                self.cut += 1
                return Reply(502, "upstream went away")
            self.statuses[reply.status] += 1
            self.per_base[base] += 1
            return reply
        self.cut += 1
        return Reply(502, "no upstream")

    def problems(self) -> list[str]:
        """Any answer of a serve process but 200 (requests cut by a dying process apart)."""
        bad = {status: n for status, n in self.statuses.items() if status != 200}
        return [f"HTTP statuses other than 200: {bad}"] if bad else []

    def _pick(self) -> str | None:
        now = time.monotonic()
        for _ in range(len(self.bases)):
            base = self.bases[next(self._next) % len(self.bases)]
            if self.down_until.get(base, 0.0) <= now:
                return base
        return None


# The agents


def cases(flow: CompiledFlow) -> list[tuple[str, dict[str, Any]]]:
    """The valid golden cases, (name, answers), each multi answer in the order of the
    flow's choices: the order in which Slack sends ticked boxes, whatever order the case
    file lists them in."""
    chosen = []
    for name, case in load_cases(valid=True):
        answers = dict(case["answers"])
        for question_id, value in answers.items():
            question = flow.by_id.get(question_id)
            if question is not None and question.spec.type == "multi":
                order = [c.id for c in question.choices]
                values = value if isinstance(value, list) else [value]
                answers[question_id] = sorted(
                    values, key=lambda v: order.index(v) if v in order else len(order)
                )
        chosen.append((name, answers))
    return chosen


def bundled_flow(app: App) -> CompiledFlow:
    with app.store.reading() as tx:
        return app.catalog.latest(tx, "boussole-nantes").flow


@dataclass
class Triage:
    """One triage as an agent lived it."""

    agent: str
    case: str
    triage_id: str = ""
    given: dict[str, Any] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)
    finished: bool = False
    resumes: int = 0


@dataclass
class Tally:
    """What a phase measured, over all agents."""

    turns: list[float] = field(default_factory=list)
    """Seconds from an answer's request to the next question (or result) at the stub."""
    measuring: bool = True
    problems: list[str] = field(default_factory=list)


class Agent:
    """A person answering from a case file, one question at a time, at a set pace."""

    WAIT = 8.0
    """Seconds without the next question before the agent types `reprendre ID` (Slack shows
    the person nothing else after an ack whose reply was lost)."""

    def __init__(
        self,
        user: str,
        proxy: Proxy,
        stub: LoadStub,
        cases: list[tuple[str, dict[str, Any]]],
        tally: Tally,
        pace: float,
        rng: random.Random,
    ) -> None:
        self.user, self.proxy, self.stub, self.tally = user, proxy, stub, tally
        self.channel = "D" + user
        self.cases = cases
        self.pace = pace
        self.rng = rng
        self.triages: list[Triage] = []
        self.stopping = False
        self.seen = 0
        self.last_click = 0.0
        self.current: tuple[Triage, dict[str, Any]] | None = None

    async def run(self, deadline: float, leave: bool = False) -> None:
        """Triage after triage until `deadline`; the triage under way is then finished at
        full speed, unmeasured, so that every triage completes, or, with `leave`, left
        where it is, as a person called away would (`finish` picks it up later)."""
        await asyncio.sleep(self.rng.uniform(0, self.pace))
        while time.monotonic() < deadline:
            name, answers = self.rng.choice(self.cases)
            await self.triage(Triage(self.user, name), answers, deadline, leave)

    async def triage(
        self, record: Triage, answers: dict[str, Any], deadline: float, leave: bool = False
    ) -> None:
        self.triages.append(record)
        self.current = (record, answers)
        self.seen = len(self.stub.by_channel.get(self.channel, []))
        await self.proxy.command("", self.user)
        message = await self.next_message(record) or await self.resume(record)
        await self.follow(record, answers, message, deadline, leave)

    async def finish(self) -> None:
        """Resume the triage left under way, and answer it to the end."""
        if self.current is None or self.current[0].finished:
            return
        record, answers = self.current
        self.pace = 0.0
        await self.follow(record, answers, await self.resume(record), 0.0, leave=False)

    async def follow(
        self,
        record: Triage,
        answers: dict[str, Any],
        message: Call | None,
        deadline: float,
        leave: bool,
    ) -> None:
        """Answer each question posted, until the result."""
        while message is not None:
            if time.monotonic() >= deadline:
                if leave:
                    return
                self.pace = 0.0  # finishing: no more think time
            question = question_ref(message)
            if question is None:
                record.finished = True
                return
            record.triage_id, question_id = question
            if question_id not in answers:
                self.tally.problems.append(
                    f"{record.triage_id}: asked {question_id}, which case {record.case} "
                    "does not answer (the path differs from the grid's)"
                )
                return
            record.asked.append(question_id)
            message = await self.answer(record, message, question_id, answers[question_id])

    async def answer(
        self, record: Triage, message: Call, question_id: str, value: Any
    ) -> Call | None:
        if self.pace:
            await asyncio.sleep(max(0.0, self.last_click + self.pace - time.monotonic()))
        self.last_click = time.monotonic()
        kind = kind_of(message)
        values = value if isinstance(value, list) else [value]
        if kind == "text":
            views = len(self.stub.views_by_triage.get(record.triage_id, []))
            await self.proxy.click(message, OPEN_TEXT, self.user)
            view = await self.modal(record.triage_id, views)
            if view is None:
                return await self.resume(record)
            began = time.perf_counter()
            reply = await self.proxy.submit_view(view.params["view"], value, self.user)
        else:
            began = time.perf_counter()
            if kind == "buttons":
                reply = await self.proxy.click(message, f"answer:{value}", self.user)
            elif kind == "select":
                reply = await self.proxy.click(message, "answer_select", self.user, value)
            else:
                reply = await self.proxy.click(message, SUBMIT_MULTI, self.user, values)
        if reply.status != 200:
            return await self.resume(record)
        record.given[question_id] = values if kind == "multi" else value
        found = await self.next_message(record, began)
        return found if found is not None else await self.resume(record)

    async def modal(self, triage_id: str, before: int) -> Call | None:
        waited = 0.0
        while len(self.stub.views_by_triage.get(triage_id, [])) <= before:
            if waited >= self.WAIT:
                return None
            await self.stub.changed("views:" + triage_id, 1.0)
            waited += 1.0
        return self.stub.views_by_triage[triage_id][-1]

    async def next_message(self, record: Triage, began: float | None = None) -> Call | None:
        """The next question or result posted in the agent's DM; None after a notice (an
        error said to the person) or a long silence."""
        waited = 0.0
        while True:
            posted = self.stub.by_channel.get(self.channel, [])
            while self.seen < len(posted):
                arrived, call = posted[self.seen]
                self.seen += 1
                if began is not None and arrived < began:
                    continue  # sent before this request: not its answer
                if is_result(call) or question_ref(call) is not None:
                    if began is not None and self.tally.measuring:
                        self.tally.turns.append(arrived - began)
                    return call
                if is_failure(call):
                    return None  # the person reads it and resumes
            if waited >= self.WAIT:
                return None
            await self.stub.changed(self.channel, 1.0)
            waited += 1.0

    async def resume(self, record: Triage) -> Call | None:
        """What a person does when the bot said something went wrong, or went silent:
        `/boussole reprendre ID` (or a new triage, when none was started)."""
        for _attempt in range(30):
            record.resumes += 1
            text = f"reprendre {record.triage_id}" if record.triage_id else ""
            reply = await self.proxy.command(text, self.user)
            if reply.status == 200:
                found = await self.next_message(record)
                if found is not None:
                    return found
            await asyncio.sleep(1.0)
        self.tally.problems.append(f"{record.triage_id or self.user}: could not resume")
        return None


def question_ref(call: Call) -> tuple[str, str] | None:
    """(triage id, question id) of a question message."""
    if block_by_id(call.blocks, "navigation") is None:
        return None
    _block, why = find_element(call.blocks, "why")
    ref = json.loads(why["value"])
    return str(ref["t"]), str(ref["q"])


def is_result(call: Call) -> bool:
    return block_by_id(call.blocks, "orientation") is not None


FAILURE = m("action_failed", "fr")[:40]


def is_failure(call: Call) -> bool:
    """The notice of a turn that failed (other notices need nothing from the person)."""
    return str(call.params.get("text") or "").startswith(FAILURE)


# The serve processes


class Serve:
    """One `boussole serve` process."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.log = log
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [*CLI, "serve", "--port", str(self.port)],
                env=self.env,
                cwd=REPO,
                stdout=log,
                stderr=log,
            )

    async def ready(self, session: aiohttp.ClientSession, timeout: float = 60.0) -> None:
        """Until /readyz says yes; a process that dies first is an error with its log."""
        limit = time.monotonic() + timeout
        while time.monotonic() < limit:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"serve exited: {self.log.read_text('utf-8')[-2000:]}")
            with contextlib.suppress(aiohttp.ClientError):
                async with session.get(f"{self.url}/readyz") as response:
                    if response.status == 200:
                        return
            await asyncio.sleep(0.2)
        raise RuntimeError(f"serve not ready after {timeout:g} s: {self.log}")

    def cpu_seconds(self) -> float:
        """User + system CPU of the process, all threads, from /proc."""
        assert self.process is not None
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()


def serve_env(database_url: str, stub_url: str, folder: Path) -> dict[str, str]:
    """What a deployer sets: the database, the Slack app's secrets, the directory."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(
        BOUSSOLE_DATABASE_URL=database_url,
        BOUSSOLE_DATA_DIR=str(folder),
        BOUSSOLE_DIRECTORY_FILE=str(directory_file(folder)),
        BOUSSOLE_OUTBOX_LEASE_SECONDS="5",
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        BOUSSOLE_SLACK_API_URL=f"{stub_url}api/",
        NO_PROXY="127.0.0.1,localhost",
        PYTHONPATH=str(REPO),
    )
    return env


def directory_file(folder: Path) -> Path:
    """The bundled directory, with one Slack reviewer per department (and for `autre`)."""
    yaml = YAML(typ="safe", pure=True)
    directory = yaml.load((REPO / "flows" / "directory.yaml").read_text("utf-8"))
    directory["default_reviewers"] = [f"slack:{REVIEWER_PREFIX}DEFAULT"]
    for department in directory["departments"]:
        department["reviewers"] = [f"slack:{REVIEWER_PREFIX}{department['id'].upper()}"]
    target = folder / "directory.yaml"
    with target.open("w", encoding="utf-8") as out:
        yaml.dump(directory, out)
    return target


@contextlib.contextmanager
def postgres_database(admin_url: str) -> Iterator[str]:
    """A new, empty database on the shared PostgreSQL for one run, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"boussole_load_{os.getpid()}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# Checking what happened


def expected_results(
    chosen: list[tuple[str, dict[str, Any]]], app: App
) -> dict[str, dict[str, Any]]:
    """Each case's result from `boussole triage --answers`, given the answers its path asks
    (those the agents give), each in its own process on its own SQLite database."""
    flow = bundled_flow(app)
    folder = Path(tempfile.mkdtemp(prefix="boussole-expected-"))
    env = {**os.environ, "BOUSSOLE_DATA_DIR": str(folder), "PYTHONPATH": str(REPO)}
    env.pop("BOUSSOLE_DATABASE_URL", None)

    def run(name: str, answers: dict[str, Any]) -> dict[str, Any]:
        answer_file = folder / f"{name}.json"
        answer_file.write_text(json.dumps(flow.path(answers).answers), "utf-8")
        done = subprocess.run(
            [*CLI, "triage", "--answers", str(answer_file), "--format", "json"],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        )
        return comparable(json.loads(done.stdout))

    run(*chosen[0])  # creates the SQLite database before the others share it
    with ThreadPoolExecutor(4) as pool:
        futures = {name: pool.submit(run, name, answers) for name, answers in chosen}
    return {name: future.result() for name, future in futures.items()}


def comparable(document: dict[str, Any]) -> dict[str, Any]:
    """A result without what differs from one recording to another: its id and time, and who
    was told, which depends on the directory of the database it ran on (the CLI's has no
    reviewers) and names the triage's id."""
    return {k: v for k, v in document.items() if k not in ("triage_id", "completed_at", "notified")}


def check_triages(
    app: App, triages: list[Triage], expected: dict[str, dict[str, Any]]
) -> tuple[int, list[str]]:
    """Every finished triage holds exactly the answers given and the CLI's result; returns
    how many were checked and what was wrong."""
    problems: list[str] = []
    checked = 0
    for triage in triages:
        if not triage.triage_id:
            continue
        with app.store.reading() as tx:
            record = tx.triage(triage.triage_id)
            stored = tx.answers(triage.triage_id)
            result = (
                app.engine.result(tx, triage.triage_id, "fr")
                if record and record.status == "completed"
                else None
            )
        checked += 1
        if stored != triage.given:
            lost = sorted(set(triage.given) - set(stored))
            extra = sorted(set(stored) - set(triage.given))
            given = triage.given
            changed = sorted(q for q in stored if q in given and stored[q] != given[q])
            problems.append(
                f"{triage.triage_id}: stored answers differ (lost {lost}, unexpected {extra}, "
                f"changed {changed})"
            )
        if len(triage.asked) != len(set(triage.asked)) and not triage.resumes:
            problems.append(f"{triage.triage_id}: a question was posted twice without a resume")
        if triage.finished:
            if result is None:
                problems.append(f"{triage.triage_id}: the agent saw a result, the database not")
            elif comparable(result.document()) != expected[triage.case]:
                problems.append(f"{triage.triage_id}: result differs from triage --answers")
    return checked, problems


async def notifications_settled(app: App, timeout: float = 120.0) -> list[OutboxRecord]:
    """Until no notification is waiting (delivered or parked); every outbox row."""
    limit = time.monotonic() + timeout
    while True:
        with app.store.reading() as tx:
            rows = tx.outbox_messages()
        if all(r.status != PENDING for r in rows) or time.monotonic() > limit:
            return rows
        await asyncio.sleep(0.5)


def check_notifications(rows: list[OutboxRecord], stub: LoadStub, at_most: int) -> list[str]:
    """Every review request delivered, and received by its reviewer once (`at_most` times
    when a process may have died between sending one and recording it)."""
    problems = [
        f"notification {r.key} {r.status}: {r.last_error}" for r in rows if r.status != DELIVERED
    ]
    received = stub.reviewer_notices()
    for row in rows:
        if row.kind != REVIEW_REQUEST:
            continue
        count = received.get((row.triage_id, row.recipient.split(":")[-1]), 0)
        if not 1 <= count <= at_most:
            problems.append(f"{row.triage_id}: {row.recipient} received {count} review notices")
    return problems


async def check_resumes(
    app: App, proxy: Proxy, stub: LoadStub, flow: CompiledFlow
) -> tuple[int, list[str]]:
    """Every triage still under way, resumed by its owner with `/boussole reprendre ID`:
    the question posted is the one its stored answers lead to."""
    with app.store.reading() as tx:
        ids = tx.connection.execute(
            select(triages.c.id, triages.c.owner).where(triages.c.status == IN_PROGRESS)
        ).all()
        under_way = []
        for triage_id, owner in ids:
            identity = tx.identity(owner)
            assert identity is not None
            path = flow.path(tx.answers(triage_id), stop_at_missing=True)
            under_way.append((triage_id, identity[1], path.next_question))
    problems: list[str] = []
    by_user: dict[str, list[tuple[str, str | None]]] = {}
    for triage_id, user, expected in under_way:
        by_user.setdefault(user, []).append((triage_id, expected))

    async def resume_all(user: str, owned: list[tuple[str, str | None]]) -> None:
        channel = "D" + user
        for triage_id, expected in owned:
            seen = len(stub.by_channel.get(channel, []))
            await proxy.command(f"reprendre {triage_id}", user)
            asked = None
            for _ in range(30):
                posted = stub.by_channel.get(channel, [])[seen:]
                asked = next((q for _at, c in posted if (q := question_ref(c))), None)
                if asked is not None:
                    break
                await stub.changed(channel, 1.0)
            if asked != (triage_id, expected):
                problems.append(f"{triage_id}: resumed at {asked}, expected {expected}")

    await asyncio.gather(*(resume_all(user, owned) for user, owned in by_user.items()))
    return len(under_way), problems


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(share * len(ordered)) - 1)] if ordered else float("nan")


def open_checker(database_url: str, folder: Path) -> App:
    """The app, in this process, on the load's database: only to read what was stored."""
    return open_app(Settings(database_url=database_url, data_dir=folder))


@dataclass
class Rig:
    """What a run plays against: the Web API stub, the serve processes, the app that reads
    their database back, and the cases with the CLI's result for each."""

    stub: LoadStub
    session: aiohttp.ClientSession
    servers: list[Serve]
    checker: App
    chosen: list[tuple[str, dict[str, Any]]]
    expected: dict[str, dict[str, Any]]
    folder: Path


@contextlib.asynccontextmanager
async def rig(database_url: str, folder: Path, processes: int = 2) -> AsyncIterator[Rig]:
    """The stub and `processes` serve processes on `database_url`, all stopped afterwards."""
    stub = LoadStub()
    await stub.start()
    env = serve_env(database_url, stub.url, folder)
    servers = [Serve(env, folder / f"serve-{n}.log") for n in range(1, processes + 1)]
    try:
        async with aiohttp.ClientSession() as session:
            for server in servers:  # one after the other: the first creates the schema
                server.start()
                await server.ready(session)
            checker = open_checker(database_url, folder)
            try:
                chosen = cases(bundled_flow(checker))
                expected = await asyncio.to_thread(expected_results, chosen, checker)
                yield Rig(stub, session, servers, checker, chosen, expected, folder)
            finally:
                checker.close()
    finally:
        for server in servers:
            server.stop()
        await stub.stop()


def verdict(problems: list[str], folder: Path) -> int:
    """The problems found (the first 50), where the logs are, and the exit code."""
    for problem in problems[:50]:
        print(f"  PROBLEM {problem}")
    print(f"{'FAILED' if problems else 'PASSED'}; server logs: {folder}")
    return 1 if problems else 0
