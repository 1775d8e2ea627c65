"""One engine turn on a durable SQLite file, against its peer and its floor, in one run.

- ours: `Engine.handle(Answer)` — validation, Machine trigger, conditional UPDATE, answer,
  audit row, idempotency key, committed (WAL, synchronous=NORMAL);
- peer: a Bot Framework waterfall dialog asking the same questions (botbuilder-dialogs,
  TestAdapter, MemoryStorage: in memory, nothing durable);
- floor: the same four rows written with the raw sqlite3 driver, synchronous=NORMAL.

Also the wall time and peak memory of `boussole triage --answers` from start to result.
Run: `python bench/core_turn.py [--triages N]` (needs the `bench` extra for the peer).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot import events as ev  # noqa: E402
from bot.app import open_app  # noqa: E402
from bot.settings import Settings  # noqa: E402

CASE = REPO / "tests" / "cases" / "01-school-meals-grid-example.yaml"
ANSWERS: dict[str, Any] = YAML(typ="safe", pure=True).load(CASE.read_text("utf-8"))["answers"]


def summary(name: str, samples: list[float], peer: float | None = None) -> float:
    samples = sorted(samples)
    p50 = statistics.median(samples) * 1e6
    p99 = samples[int(len(samples) * 0.99) - 1] * 1e6
    rate = len(samples) / sum(samples)
    ratio = f"  {p50 / peer:6.3f}x peer p50" if peer else ""
    print(f"{name:<44} p50 {p50:8.0f} µs  p99 {p99:8.0f} µs  {rate:8.0f} turns/s{ratio}")
    return p50


def bench_engine(triages: int, folder: Path) -> list[float]:
    app = open_app(Settings(database_url=f"sqlite:///{folder / 'bench.db'}", data_dir=folder))
    actor = ev.Actor("bench", "agent")
    samples: list[float] = []
    for n in range(triages):
        effects = app.engine.handle(ev.StartTriage(actor, "fr", key=f"start-{n}"))
        ask = next(e for e in effects if hasattr(e, "question")).question
        turn = 0
        while True:
            question = ask.question_id
            event = ev.Answer(
                actor,
                "fr",
                key=f"{n}-{turn}",
                triage_id=ask.triage_id,
                question_id=question,
                value=ANSWERS[question],
            )
            started = time.perf_counter()
            effects = app.engine.handle(event)
            samples.append(time.perf_counter() - started)
            turn += 1
            asks = [e for e in effects if hasattr(e, "question")]
            if not asks:
                break
            ask = asks[0].question
    app.store.close()
    return samples


def bench_floor(turns: int, folder: Path) -> list[float]:
    db = sqlite3.connect(folder / "floor.db", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript(
        "CREATE TABLE triages (id TEXT PRIMARY KEY, current TEXT, revision INT);"
        "CREATE TABLE answers (triage TEXT, question TEXT, position INT, value TEXT, at TEXT,"
        " PRIMARY KEY (triage, question));"
        "CREATE TABLE audit (id INTEGER PRIMARY KEY, chain TEXT, seq INT, kind TEXT,"
        " payload TEXT, hash TEXT);"
        "CREATE TABLE processed (platform TEXT, key TEXT, PRIMARY KEY (platform, key));"
        "INSERT INTO triages VALUES ('t', 'P1', 1);"
    )
    samples = []
    for n in range(turns):
        started = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO processed VALUES ('bench', ?)", (f"k{n}",))
        db.execute(
            "UPDATE triages SET current = ?, revision = revision + 1 WHERE id = 't'"
            " AND revision = ?",
            (f"Q{n}", n + 1),
        )
        db.execute(
            "INSERT INTO answers VALUES ('t', ?, ?, ?, '2026-01-01')",
            (f"Q{n}", n, json.dumps("oui")),
        )
        db.execute(
            "INSERT INTO audit (chain, seq, kind, payload, hash) VALUES ('t', ?, 'answer', ?, ?)",
            (n, json.dumps({"q": n}), "0" * 64),
        )
        db.execute("COMMIT")
        samples.append(time.perf_counter() - started)
    db.close()
    return samples


def bench_peer(triages: int) -> list[float]:
    from botbuilder.core import ConversationState, MemoryStorage, MessageFactory, TurnContext
    from botbuilder.core.adapters import TestAdapter
    from botbuilder.dialogs import DialogSet, DialogTurnStatus, WaterfallDialog
    from botbuilder.dialogs.prompts import PromptOptions, TextPrompt

    questions = list(ANSWERS)

    def step_for(question: str):
        async def step(step_context):
            return await step_context.prompt(
                "text", PromptOptions(prompt=MessageFactory.text(question))
            )

        return step

    async def last(step_context):
        await step_context.context.send_activity("done")
        return await step_context.end_dialog()

    def conversation_logic():
        """A fresh storage per conversation: TestAdapter reuses one conversation id."""
        state = ConversationState(MemoryStorage())
        dialogs = DialogSet(state.create_property("dialog"))
        dialogs.add(TextPrompt("text"))
        dialogs.add(WaterfallDialog("triage", [step_for(q) for q in questions] + [last]))

        async def logic(turn: TurnContext) -> None:
            context = await dialogs.create_context(turn)
            result = await context.continue_dialog()
            if result.status == DialogTurnStatus.Empty:
                await context.begin_dialog("triage")
            await state.save_changes(turn)

        return logic

    async def run() -> list[float]:
        samples = []
        for _ in range(triages):
            adapter = TestAdapter(conversation_logic())
            await adapter.receive_activity("start")
            for question in questions:
                started = time.perf_counter()
                await adapter.receive_activity(str(ANSWERS[question]))
                samples.append(time.perf_counter() - started)
                adapter.activity_buffer.clear()
        return samples

    return asyncio.run(run())


def bench_command(folder: Path) -> None:
    answers = folder / "answers.yaml"
    YAML().dump(ANSWERS, answers)
    env = {**os.environ, "BOUSSOLE_DATA_DIR": str(folder / "cli")}
    command = [
        sys.executable,
        "-m",
        "adapters.console",
        "triage",
        "--answers",
        str(answers),
        "--format",
        "json",
    ]
    walls = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run(command, env=env, cwd=REPO, check=True, capture_output=True)
        walls.append(time.perf_counter() - started)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"{'boussole triage --answers (start to result)':<44} first {walls[0] * 1000:6.0f} ms"
        f"  median of next {statistics.median(walls[1:]) * 1000:6.0f} ms"
        f"  peak RSS {peak:5.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triages", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        peer_samples = bench_peer(args.triages)
        ours = bench_engine(args.triages, folder)
        floor = bench_floor(len(ours), folder)
        print(f"{len(ours)} turns each ({args.triages} triages of {len(ANSWERS)} questions)")
        peer = summary("peer: waterfall dialog, in memory", peer_samples)
        mine = summary("ours: engine turn, durable SQLite", ours, peer)
        raw = summary("floor: raw sqlite3 update + 3 inserts", floor, peer)
        print(
            f"ours is {peer / mine:.1f}x faster than the peer (target >= 3x, goal 5x); "
            f"{mine / raw:.1f}x the raw floor (target <= 10x)"
        )
        bench_command(folder)


if __name__ == "__main__":
    main()
