"""CPU of the engine's turns per complete triage, on SQLite and on PostgreSQL, in one run.

`bench/load.py --cpu-only` measures a whole Slack triage (HTTP, bolt, rendering, engine); this
isolates what the engine and storage spend of it, so that a change to the turn path shows up
beside its PostgreSQL / SQLite ratio without the noise of the web stack. Batches alternate
between the two databases, and each figure is the median of its batches, as a ratio to the
calibration loop measured in the same run.

Run: `python bench/engine_cpu.py [--triages N] [--batches N] [--postgres URL] [--profile FILE]`
(`--profile PREFIX` writes PREFIX-SQLite.prof and PREFIX-PostgreSQL.prof, profiles of the CPU
time each database's batches spent, for `python -m pstats`).
"""

from __future__ import annotations

import argparse
import cProfile
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from calibration import loop_cpu_seconds, ratio  # noqa: E402
from slack_load import postgres_database  # noqa: E402

from bot import events as ev  # noqa: E402
from bot.app import App, open_app  # noqa: E402
from bot.settings import Settings  # noqa: E402

CASE = REPO / "tests" / "cases" / "01-school-meals-grid-example.yaml"
ANSWERS: dict[str, Any] = YAML(typ="safe", pure=True).load(CASE.read_text("utf-8"))["answers"]
SHARED_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def triage(app: App, name: str) -> None:
    """One triage from its start to its result, as an agent in chat would answer it."""
    actor = ev.Actor("bench", name)
    effects = app.engine.handle(ev.StartTriage(actor, "fr", key=f"{name}-start"))
    ask = next(e for e in effects if hasattr(e, "question")).question
    turn = 0
    while True:
        question = ask.question_id
        answer = ev.Answer(
            actor,
            "fr",
            key=f"{name}-{turn}",
            triage_id=ask.triage_id,
            question_id=question,
            value=ANSWERS[question],
        )
        effects = app.engine.handle(answer)
        turn += 1
        asks = [e for e in effects if hasattr(e, "question")]
        if not asks:
            return
        ask = asks[0].question


def batch(app: App, prefix: str, triages: int, profile: cProfile.Profile | None) -> float:
    """CPU seconds per triage over one batch."""
    if profile is not None:
        profile.enable()
    started = time.process_time()
    for n in range(triages):
        triage(app, f"{prefix}-{n}")
    spent = time.process_time() - started
    if profile is not None:
        profile.disable()
    return spent / triages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triages", type=int, default=20, help="triages per batch")
    parser.add_argument("--batches", type=int, default=7)
    parser.add_argument("--postgres", default=SHARED_POSTGRES)
    parser.add_argument("--profile", help="write CPU profiles to PREFIX-<database>.prof")
    arguments = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="boussole-engine-cpu-"))
    with postgres_database(arguments.postgres) as postgres_url:
        apps = {
            "SQLite": open_app(
                Settings(database_url=f"sqlite:///{folder / 'bench.db'}", data_dir=folder)
            ),
            "PostgreSQL": open_app(Settings(database_url=postgres_url, data_dir=folder)),
        }
        for name, app in apps.items():
            batch(app, f"warm-{name}", 3, None)
        samples: dict[str, list[float]] = {name: [] for name in apps}
        profiles = {name: cProfile.Profile(time.process_time) for name in apps}
        loops: list[float] = []
        for round_ in range(arguments.batches):
            loops.append(loop_cpu_seconds(runs=1))
            for name, app in apps.items():
                watched = profiles[name] if arguments.profile else None
                samples[name].append(batch(app, f"{name}-{round_}", arguments.triages, watched))
        for app in apps.values():
            app.store.close()
    if arguments.profile:
        for name, profile in profiles.items():
            profile.dump_stats(f"{arguments.profile}-{name}.prof")
    loop = statistics.median(loops)
    print(f"calibration loop: {loop * 1000:.1f} ms CPU (median of {len(loops)})")
    medians = {name: statistics.median(values) for name, values in samples.items()}
    for name, per_triage in medians.items():
        print(
            f"{name:<10} engine CPU per triage {per_triage * 1000:6.1f} ms",
            ratio(per_triage, loop),
        )
    postgres, sqlite = medians["PostgreSQL"], medians["SQLite"]
    print(f"PostgreSQL / SQLite: {postgres / sqlite:.2f}x")


if __name__ == "__main__":
    main()
