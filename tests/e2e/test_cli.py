"""The command-line contract (contracts/cli.md), through the real command."""

from __future__ import annotations

import json
import tomllib
from importlib.resources import files
from pathlib import Path

import jsonschema
from ruamel.yaml import YAML

from tests.cases import load_cases
from tests.e2e.helpers import REPO, boussole

# Shipped with the package, where docs/cli.md sends script writers.
SCHEMA = json.loads(files("bot").joinpath("triage-result.schema.json").read_text("utf-8"))
CASES = dict(load_cases(valid=True))
INVALID = dict(load_cases(valid=False))


def write_answers(tmp_path: Path, answers: dict, name: str = "answers.yaml") -> Path:
    path = tmp_path / name
    if name.endswith(".json"):
        path.write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")
    else:
        YAML().dump(answers, path)
    return path


def test_json_output_is_one_document_valid_against_the_schema(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    path = write_answers(tmp_path, CASES["01-school-meals-grid-example"]["answers"])
    done = boussole("triage", "--answers", str(path), "--format", "json", env=cli_env)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    jsonschema.validate(document, SCHEMA)
    assert document["outcome"] == "light_track"
    assert document["flow"] == {
        "id": "boussole-nantes",
        "version": 1,
        "sha256": document["flow"]["sha256"],
    }
    assert [c["id"] for c in document["conditions"]] == ["C5-R3", "S-FORMATION", "S-RETRIAGE"]
    assert document["lang"] == "fr"


def test_the_readme_example_answer_file_runs_as_is(cli_env: dict[str, str]) -> None:
    """The README links an answer file a newcomer can pass to --answers unchanged, and the
    schema docs/cli.md names is shipped with the package."""
    example = "examples/reponses-cantines.yaml"
    assert f"]({example})" in (REPO / "README.md").read_text("utf-8")
    done = boussole("triage", "--answers", example, "--format", "json", env=cli_env)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    jsonschema.validate(document, SCHEMA)
    assert document["outcome"] == "light_track"
    package_data = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    assert "triage-result.schema.json" in package_data["package-data"]["bot"]


def test_json_answer_file_and_english(tmp_path: Path, cli_env: dict[str, str]) -> None:
    answers = CASES["15-gate-c1-q2-nsp"]["answers"]
    path = write_answers(tmp_path, answers, "answers.json")
    done = boussole(
        "triage", "--answers", str(path), "--format", "json", "--lang", "en", env=cli_env
    )
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["lang"] == "en"
    assert document["blocking_points"][0]["text"].startswith("Obtain the answer")


def test_the_triage_is_recorded_and_listed_and_reported(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    path = write_answers(tmp_path, CASES["06-di-ia-auto-incompatible"]["answers"])
    triage_id = json.loads(
        boussole("triage", "--answers", str(path), "--format", "json", env=cli_env).stdout
    )["triage_id"]
    listing = boussole("list", env=cli_env)
    assert triage_id in listing.stdout
    report = boussole("report", triage_id, "--format", "json", env=cli_env)
    assert json.loads(report.stdout)["outcome"] == "incompatible"
    markdown = boussole("report", triage_id, "--lang", "en", env=cli_env).stdout
    assert "# Result of triage" in markdown and "DI-R1" in markdown
    assert "(DI2) | The AI, applied automatically |" in markdown


def test_text_output_shows_the_orientation(tmp_path: Path, cli_env: dict[str, str]) -> None:
    path = write_answers(tmp_path, CASES["01-school-meals-grid-example"]["answers"])
    french = boussole("triage", "--answers", str(path), env=cli_env)
    assert french.returncode == 0
    assert "Parcours allégé" in french.stdout and "C5-R3" in french.stdout
    english = boussole("triage", "--answers", str(path), "--lang", "en", env=cli_env)
    assert "Light track" in english.stdout


def test_invalid_answers_list_every_problem_and_record_nothing(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    case = next(c for name, c in INVALID.items() if len(c["expect"]["questions"]) > 1)
    path = write_answers(tmp_path, case["answers"])
    done = boussole("triage", "--answers", str(path), "--format", "json", env=cli_env)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert {line.split(":", 1)[0] for line in lines} >= set(case["expect"]["questions"])
    assert "Aucune analyse" in boussole("list", env=cli_env).stdout


def test_unreadable_and_unparsable_files_are_named(tmp_path: Path, cli_env: dict[str, str]) -> None:
    missing = boussole("triage", "--answers", str(tmp_path / "none.yaml"), env=cli_env)
    assert missing.returncode == 2 and "none.yaml" in missing.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("P1: [unclosed\n", encoding="utf-8")
    done = boussole("triage", "--answers", str(broken), env=cli_env)
    assert done.returncode == 2 and done.stderr.startswith(str(broken))
    listed = tmp_path / "list.yaml"
    listed.write_text("- P1\n", encoding="utf-8")
    done = boussole("triage", "--answers", str(listed), "--lang", "en", env=cli_env)
    assert done.returncode == 2 and "map each question id" in done.stderr


def test_flows_check_exit_codes(tmp_path: Path, cli_env: dict[str, str]) -> None:
    good = Path(__file__).parents[2] / "flows" / "boussole-nantes.yaml"
    assert boussole("flows", "check", str(good), env=cli_env).returncode == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        good.read_text("utf-8").replace(
            "when: {less_or_equal: {C4-Q5: 2}}", "when: {below: {C4-Q5: 2}}"
        ),
        "utf-8",
    )
    done = boussole("flows", "check", str(bad), "--lang", "en", env=cli_env)
    assert done.returncode == 1
    assert done.stdout.startswith(f"{bad}:") and ": error: unknown operator 'below'" in done.stdout
    french = boussole("flows", "check", str(bad), env=cli_env)
    assert ": error: opérateur inconnu 'below'" in french.stdout
    assert boussole("flows", "check", str(tmp_path / "nope.yaml"), env=cli_env).returncode == 2


def test_a_bad_setting_stops_with_one_line_naming_it(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    done = boussole("list", env={**cli_env, "BOUSSOLE_LANG": "de"})
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "BOUSSOLE_LANG" in done.stderr
    unreachable = {
        **cli_env,
        "BOUSSOLE_DATABASE_URL": "postgresql+psycopg://u:secret@127.0.0.1:9/x",
    }
    done = boussole("list", env=unreachable)
    assert done.returncode == 2
    assert "127.0.0.1:9" in done.stderr and "secret" not in done.stderr


def test_an_answer_file_saved_with_a_byte_order_mark_is_read(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    path = tmp_path / "answers.json"
    answers = json.dumps(CASES["01-school-meals-grid-example"]["answers"], ensure_ascii=False)
    path.write_bytes(b"\xef\xbb\xbf" + answers.encode("utf-8"))
    done = boussole("triage", "--answers", str(path), "--format", "json", env=cli_env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["outcome"] == "light_track"
