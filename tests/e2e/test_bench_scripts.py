"""The load and fault scripts of bench/, run small: what they check (every answer stored
once, results equal to `triage --answers`, triages resumed at the right question, review
notices delivered) must keep holding, whatever the figures they print."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from tests import pgcluster
from tests.e2e.helpers import REPO

POSTGRES = os.environ.get(
    "BOUSSOLE_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def postgres_answers() -> bool:
    """A machine with only Python (the README's test command) has no PostgreSQL: the load
    script, which needs one, is then skipped; CI starts one."""
    engine = create_engine(POSTGRES, poolclass=NullPool, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:
        return False
    finally:
        engine.dispose()
    return True


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


@pytest.mark.skipif(not postgres_answers(), reason=f"no PostgreSQL at {POSTGRES}")
def test_the_load_script_finds_every_triage_whole() -> None:
    done = bench(
        "load.py",
        *("--agents", "3", "--pace", "0.2", "--duration", "3", "--closed", "2"),
        *("--rounds", "1", "--triages", "5", "--postgres", POSTGRES),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "answers stored exactly as given" in done.stdout
    assert ": all good" in done.stdout


@pytest.mark.skipif(not pgcluster.available(), reason="no PostgreSQL server binaries")
def test_the_fault_script_finds_nothing_lost_after_a_kill_an_outage_and_storms() -> None:
    done = bench("faults.py", "--agents", "3", "--duration", "20")
    assert done.returncode == 0, done.stdout + done.stderr
    for checked in ("killed (SIGKILL)", "PostgreSQL stopped", "answering 429", "answering 500"):
        assert checked in done.stdout
    assert done.stdout.count(": all good") == 3
    assert "PASSED" in done.stdout
