"""`boussole cancel ID` ends a triage in progress from the terminal, as chat platforms can."""

from __future__ import annotations

import json
import subprocess

from tests.e2e.helpers import BOUSSOLE, REPO, boussole


def started(env: dict[str, str]) -> str:
    """A triage left after its first answer, the way Ctrl-D leaves one."""
    done = subprocess.run(
        [*BOUSSOLE, "triage", "--plain"],
        env=env,
        cwd=REPO,
        input="Mon projet\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 130, done.stderr
    listed = boussole("list", "--format", "json", env=env)
    (triage,) = json.loads(listed.stdout)
    assert f"boussole cancel {triage['id']}" in done.stdout
    return triage["id"]


def test_cancel_then_resume_says_it_was_cancelled(cli_env: dict[str, str]) -> None:
    triage_id = started(cli_env)
    done = boussole("cancel", triage_id, env=cli_env)
    assert done.returncode == 0, done.stderr
    assert f"Analyse {triage_id} annulée" in done.stdout
    (listed,) = json.loads(boussole("list", "--format", "json", env=cli_env).stdout)
    assert listed["status"] == "cancelled"
    again = boussole("cancel", triage_id, "--lang", "en", env=cli_env)
    assert again.returncode == 2
    assert f"Triage {triage_id} was cancelled" in again.stdout


def test_cancel_of_an_unknown_id_changes_nothing(cli_env: dict[str, str]) -> None:
    triage_id = started(cli_env)
    done = boussole("cancel", "nope", env=cli_env)
    assert done.returncode == 2
    (listed,) = json.loads(boussole("list", "--format", "json", env=cli_env).stdout)
    assert (listed["id"], listed["status"]) == (triage_id, "in_progress")
