"""The engine's metrics cost no prometheus_client import until something exports them.

Each test runs in a fresh interpreter: the module's export happens once per process.
"""

from __future__ import annotations

import subprocess
import sys

from tests.e2e.helpers import REPO

COUNT_THEN_EXPORT = """
import sys
from bot import metrics
metrics.TURNS.labels(event="StartTriage", result="ok").inc()
metrics.TURNS.labels(result="ok", event="StartTriage").inc()
metrics.TURNS.labels(event="Answer", result="refused").inc(2)
metrics.TURN_SECONDS.labels(event="StartTriage").observe(0.003)
metrics.TURN_SECONDS.labels(event="StartTriage").observe(0.3)
metrics.ERRORS.labels(kind="engine").inc()
print("loaded:", "prometheus_client" in sys.modules)
from bot.metrics import OUTBOX_DEPTH, REGISTRY
metrics.TURNS.labels(event="StartTriage", result="ok").inc()
metrics.TURN_SECONDS.labels(event="StartTriage").observe(0.0001)
OUTBOX_DEPTH.set(4)
from prometheus_client import generate_latest
print(generate_latest(REGISTRY).decode())
"""
EXPORT_FIRST = "from bot import metrics; from bot.metrics import REGISTRY"


def run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def samples(text: str) -> list[str]:
    """The exposition's samples without creation times (they differ between runs)."""
    return [
        line
        for line in text.splitlines()
        if line.startswith("boussole_") and "_created" not in line
    ]


def test_counts_before_the_export_are_shown_as_if_counted_into_prometheus() -> None:
    deferred = run(COUNT_THEN_EXPORT)
    assert deferred.splitlines()[0] == "loaded: False"
    eager = run(COUNT_THEN_EXPORT.replace("from bot import metrics", EXPORT_FIRST))
    assert samples(deferred) == samples(eager)
    shown = samples(deferred)
    assert 'boussole_turns_total{event="StartTriage",result="ok"} 3.0' in shown
    assert 'boussole_turns_total{event="Answer",result="refused"} 2.0' in shown
    assert 'boussole_turn_seconds_bucket{event="StartTriage",le="0.005"} 2.0' in shown
    assert 'boussole_turn_seconds_count{event="StartTriage"} 3.0' in shown
    assert 'boussole_errors_total{kind="engine"} 1.0' in shown
    assert "boussole_outbox_pending 4.0" in shown
    helps = [line for line in deferred.splitlines() if line.startswith("# HELP")]
    assert helps == [line for line in eager.splitlines() if line.startswith("# HELP")]
    assert [line.split()[2] for line in helps if "_created" not in line] == [
        "boussole_turns_total",
        "boussole_turn_seconds",
        "boussole_errors_total",
        "boussole_outbox_pending",
    ]


def test_the_engine_does_not_import_prometheus_client() -> None:
    loaded = run("import sys, bot.engine; print('prometheus_client' in sys.modules)")
    assert loaded.strip() == "False"
