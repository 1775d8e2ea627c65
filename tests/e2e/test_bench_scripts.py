"""The load and fault scripts of bench/, run small: what they check (every answer stored
once, results equal to `triage --answers`, triages resumed at the right question, review
notices delivered) must keep holding, whatever the figures they print."""

from __future__ import annotations

import os
import subprocess
import sys

from tests import pgcluster
from tests.e2e.helpers import REPO

POSTGRES = os.environ.get("BOUSSOLE_TEST_DATABASE_URL", "")
pytestmark = pgcluster.POSTGRES_PASS


def bench(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    return subprocess.run(
        [sys.executable, str(REPO / "bench" / script), *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_load_script_finds_every_triage_whole() -> None:
    done = bench(
        "load.py",
        *("--agents", "3", "--pace", "0.2", "--duration", "3", "--closed", "2"),
        *("--rounds", "1", "--triages", "5", "--postgres", POSTGRES),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "answers stored exactly as given" in done.stdout
    assert ": all good" in done.stdout


def test_the_fault_script_finds_nothing_lost_after_a_kill_an_outage_and_storms() -> None:
    done = bench("faults.py", "--agents", "3", "--duration", "20")
    assert done.returncode == 0, done.stdout + done.stderr
    for checked in ("killed (SIGKILL)", "PostgreSQL stopped", "answering 429", "answering 500"):
        assert checked in done.stdout
    assert done.stdout.count(": all good") == 3
    assert "PASSED" in done.stdout
