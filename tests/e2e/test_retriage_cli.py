"""`boussole retriage` through the real command: the re-done triage stays, and the link between
the two is in both reports and in the register."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.e2e.helpers import REPO, boussole

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
