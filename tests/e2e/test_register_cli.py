"""The register through the real command: publishing needs a role, a broken details file is
refused with its problems, then the site is written and the entry can be withdrawn."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cases import load_cases
from tests.e2e.helpers import REPO, boussole
from tests.e2e.test_cli import write_answers

SCHOOL_MEALS = dict(load_cases(valid=True))["01-school-meals-grid-example"]["answers"]
DETAILS = REPO / "examples" / "register-details.yaml"
CLERK = "clerk-5d1a"
"""The operating-system account running the command (console:clerk-5d1a)."""


def test_publish_list_site_and_unpublish(tmp_path: Path, cli_env: dict[str, str]) -> None:
    env = cli_env | {"USER": CLERK, "LOGNAME": CLERK}
    answers = write_answers(tmp_path, SCHOOL_MEALS)
    done = boussole("triage", "--answers", str(answers), "--format", "json", env=env)
    triage_id = json.loads(done.stdout)["triage_id"]

    refused = boussole("register", "publish", triage_id, "--details", str(DETAILS), env=env)
    assert refused.returncode == 2
    assert "Seuls les responsables" in refused.stderr
    assert boussole("admins", "add", f"console:{CLERK}", env=env).returncode == 0

    broken = tmp_path / "details.yaml"
    broken.write_text(
        DETAILS.read_text("utf-8").replace("status: in_use", "status: live") + "color: red\n",
        "utf-8",
    )
    invalid = boussole(
        "register", "publish", triage_id, "--details", str(broken), "--lang", "en", env=env
    )
    assert invalid.returncode == 2
    assert "The details file has errors; nothing was published." in invalid.stderr
    assert f"{broken}:" in invalid.stderr and "(field status)" in invalid.stderr
    assert "(field color)" in invalid.stderr

    published = boussole("register", "publish", triage_id, "--details", str(DETAILS), env=env)
    assert published.returncode == 0, published.stderr
    assert f"Analyse {triage_id} publiée au registre" in published.stdout
    listed = json.loads(boussole("register", "list", "--format", "json", env=env).stdout)
    assert [(e["triage_id"], e["status"], e["project"]) for e in listed] == [
        (triage_id, "in_use", SCHOOL_MEALS["P1"])
    ]

    out = tmp_path / "site"
    site = boussole("register", "site", str(out), "--no-diagram", "--lang", "en", env=env)
    assert site.returncode == 0, site.stderr
    assert "1 published algorithm." in site.stdout
    entry = listed[0]["entry"]
    assert SCHOOL_MEALS["P1"] in (out / "fr" / "algorithms" / f"{entry}.html").read_text("utf-8")
    assert CLERK not in (out / "fr" / "register.json").read_text("utf-8")
    bad_url = boussole("register", "site", str(out), "--base-url", "registre.example", env=env)
    assert bad_url.returncode == 2 and "https://" in bad_url.stderr

    withdrawn = boussole("register", "unpublish", triage_id, env=env)
    assert withdrawn.returncode == 0 and entry in withdrawn.stdout
    assert "Aucun algorithme" in boussole("register", "list", env=env).stdout
    again = boussole("register", "unpublish", triage_id, env=env)
    assert again.returncode == 2 and "n'est pas publiée" in again.stderr
