"""`boussole retriage` through the real command: the re-done triage stays, and the link between
the two is in both reports and in the register."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from tests.e2e.helpers import BOUSSOLE, REPO, boussole

EXAMPLE = str(REPO / "examples" / "reponses-cantines.yaml")


def test_a_retriage_is_a_new_triage_named_in_both_reports_and_the_register(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    first = boussole("triage", "--answers", EXAMPLE, "--format", "json", env=cli_env)
    old = json.loads(first.stdout)["triage_id"]
    changes = tmp_path / "changements.yaml"
    changes.write_text("C5-Q3: oui\nC6-Q2: non\n", "utf-8")
    done = boussole("retriage", old, "--plain", "--answers", str(changes), env=cli_env)
    assert done.returncode == 0, done.stderr
    found = re.search(r"Nouvelle analyse (\w+) .* elle refait " + old, done.stdout)
    assert found is not None, done.stdout
    new = found.group(1)
    old_report = boussole("report", old, env=cli_env).stdout
    assert f"**Refaite par** : {new}" in old_report and "Changements" not in old_report
    new_report = boussole("report", new, "--lang", "en", env=cli_env).stdout
    assert f"**Re-does triage**: {old}" in new_report and "## Changes" in new_report
    register = json.loads(boussole("export", "register", "--format", "json", env=cli_env).stdout)
    rows = {row["triage_id"]: row for row in register}
    assert rows[old]["orientation"] == "light_track" and rows[old]["revised_by"] == new
    assert rows[new]["orientation"] == "full_review" and rows[new]["revises"] == old


def test_retriage_ask_asks_only_that_question_with_its_previous_answer(
    cli_env: dict[str, str],
) -> None:
    first = boussole("triage", "--answers", EXAMPLE, "--format", "json", env=cli_env)
    old = json.loads(first.stdout)["triage_id"]
    done = subprocess.run(
        [*BOUSSOLE, "retriage", old, "--ask", "C5-Q3", "--plain", "--lang", "en"],
        env=cli_env,
        cwd=REPO,
        input="1\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("> ") == 1  # one question asked, no other
    assert "I will ask the question you chose again" in done.stdout
    assert "Previous answer: No" in done.stdout
    assert "Previous orientation: light track" in done.stdout


def test_retriage_without_answers_or_ask_says_how(cli_env: dict[str, str]) -> None:
    done = boussole("retriage", "abc", "--lang", "en", env=cli_env)
    assert done.returncode == 2
    assert "--ask QUESTION to ask a question again" in done.stderr
