"""`boussole review`: a reviewer named `console:NAME` in the directory decides from the
terminal as reviewers do in chat; anyone else is refused by the engine, with the reason."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.cases import load_cases
from tests.e2e.helpers import boussole

FLAGGED = dict(load_cases(valid=True))["06-di-ia-auto-incompatible"]["answers"]


def as_user(cli_env: dict[str, str], name: str) -> dict[str, str]:
    return {**cli_env, "LOGNAME": name, "USER": name, "LNAME": name, "USERNAME": name}


def test_a_console_reviewer_lists_claims_and_confirms_and_the_agent_cannot(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    agent, reviewer = as_user(cli_env, "agent"), as_user(cli_env, "relecteur")
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump(FLAGGED, allow_unicode=True), "utf-8")
    added = boussole("directory", "add-reviewer", "education", "console:relecteur", env=agent)
    assert added.returncode == 0, added.stderr
    done = boussole("triage", "--answers", str(answers), "--format", "json", env=agent)
    triage_id = json.loads(done.stdout)["triage_id"]

    listed = boussole("review", "list", "--format", "json", env=reviewer)
    assert [row["id"] for row in json.loads(listed.stdout)] == [triage_id]
    refused = boussole("review", "confirm", triage_id, "--lang", "en", env=agent)
    assert refused.returncode == 2 and "review" in refused.stdout.lower()

    assert boussole("review", "claim", triage_id, env=reviewer).returncode == 0
    confirmed = boussole("review", "confirm", triage_id, env=reviewer)
    assert confirmed.returncode == 0, confirmed.stdout + confirmed.stderr
    assert "Orientation confirmée" in confirmed.stdout
    empty = boussole("review", "list", "--lang", "en", env=reviewer)
    assert "No triage is waiting for your review." in empty.stdout
    report = boussole("report", triage_id, "--format", "json", env=agent)
    assert json.loads(report.stdout)["report"]["decision"]


def test_an_override_needs_a_known_outcome_and_a_reason(cli_env: dict[str, str]) -> None:
    reviewer = as_user(cli_env, "relecteur")
    no_reason = boussole("review", "override", "abcd1234", "--outcome", "full_review", env=reviewer)
    unknown = boussole(
        "review", "override", "abcd1234", "--outcome", "maybe", "--comment", "x", env=reviewer
    )
    assert no_reason.returncode == 2 and "--comment" in no_reason.stderr
    assert unknown.returncode == 2 and "maybe" in unknown.stderr


def test_an_admin_standing_in_for_a_department_finds_its_request_listed(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    """Education has no reviewer: the request goes to the admins, and the result tells the
    agent so. The admin's list said "No triage is waiting for your review" all the same,
    in the terminal as on Slack's App Home."""
    agent, admin = as_user(cli_env, "agent"), as_user(cli_env, "cheffe")
    assert boussole("admins", "add", "console:cheffe", env=agent).returncode == 0
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump(FLAGGED, allow_unicode=True), "utf-8")
    done = boussole("triage", "--answers", str(answers), "--format", "json", env=agent)
    result = json.loads(done.stdout)
    assert result["notified"]["to"] == "admins"

    listed = boussole("review", "list", "--format", "json", env=admin)
    assert [row["id"] for row in json.loads(listed.stdout)] == [result["triage_id"]]
    assert boussole("review", "confirm", result["triage_id"], env=admin).returncode == 0
    nobody = boussole("review", "list", "--format", "json", env=agent)
    assert json.loads(nobody.stdout) == []
