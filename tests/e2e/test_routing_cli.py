"""`boussole triage` says who was told of a flagged triage: with the bundled sample directory
(no reviewer) and no admin, that nobody could be, and what to do."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from tests.cases import load_cases
from tests.e2e.helpers import boussole
from tests.e2e.test_cli import SCHEMA, write_answers

FLAGGED = dict(load_cases(valid=True))["24-c4-staff-monitoring"]["answers"]


def test_a_flagged_triage_with_nobody_to_tell_says_so(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    path = write_answers(tmp_path, FLAGGED)
    done = boussole("triage", "--answers", str(path), env=cli_env)
    assert done.returncode == 0, done.stderr
    assert "Personne n'a pu être prévenu" in " ".join(done.stdout.split())
    shown = boussole("triage", "--answers", str(path), "--format", "json", env=cli_env)
    document = json.loads(shown.stdout)
    jsonschema.validate(document, SCHEMA)
    assert document["notified"]["to"] == "nobody" and document["notified"]["count"] == 0


def test_the_admins_are_told_when_the_department_has_no_reviewer(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    env = dict(cli_env, BOUSSOLE_ADMINS="slack:UADMIN")
    path = write_answers(tmp_path, FLAGGED)
    done = boussole("triage", "--answers", str(path), "--lang", "en", env=env)
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())
    assert "Boussole's administrators (1) were told instead" in text
    assert "UADMIN" not in text


def test_directory_list_warns_of_departments_without_reviewer(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    done = boussole("directory", "list", "--lang", "en", env=cli_env)
    assert done.returncode == 0, done.stderr
    warning = " ".join(done.stderr.split())
    assert "neither a reviewer nor an administrator for Education" in warning
    assert "will be sent to NOBODY" in warning
