"""The app manifests Boussole generates validate against the schemas the platforms publish
(vendored in tests/schemas, see its README), and a value a platform would refuse stops the
command with exit 2 before anything is written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft4Validator, Draft7Validator
from ruamel.yaml import YAML

from adapters.console.cli import cli
from adapters.teams.manifest import MANIFEST_SCHEMA, MANIFEST_VERSION, manifest

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
SLACK = Draft7Validator(json.loads((SCHEMAS / "slack-manifest.schema.1.0.0.json").read_text()))
TEAMS_SCHEMA = json.loads((SCHEMAS / "MicrosoftTeams.v1.17.schema.json").read_text())
TEAMS = Draft4Validator(TEAMS_SCHEMA)
TEAMS_LOCALIZATION = Draft4Validator(
    json.loads((SCHEMAS / "MicrosoftTeams.Localization.v1.17.schema.json").read_text())
)
BOT_ID = "5f0e3c9a-0000-4000-8000-00000000b055"
EVENTS = "https://boussole.example.org/slack/events"


def run(*arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(arguments))
    return result.exit_code, result.output


def errors(validator: Draft4Validator | Draft7Validator, document: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(document)
    ]


def _urls(document: Any) -> list[str]:
    if isinstance(document, dict):
        return [u for k, v in document.items() for u in _urls(v)] + [
            v for k, v in document.items() if k.endswith("url") and isinstance(v, str)
        ]
    if isinstance(document, list):
        return [u for item in document for u in _urls(item)]
    return []


@pytest.mark.parametrize("output", ["yaml", "json"])
@pytest.mark.parametrize(
    ("mode", "lang", "said"),
    [
        (["--url", "https://boussole.example.org"], "fr", "Analyse des projets d'IA"),
        (["--url", EVENTS + "/"], "en", "Triage of AI projects"),
        (["--socket-mode"], "fr", "Analyse des projets d'IA"),
        (["--socket-mode"], "en", "Triage of AI projects"),
    ],
)
def test_the_slack_manifest_validates_in_both_modes_and_languages(
    mode: list[str], lang: str, said: str, output: str
) -> None:
    code, text = run("slack", "manifest", *mode, "--lang", lang, "--format", output)
    assert code == 0, text
    document = json.loads(text) if output == "json" else YAML(typ="safe").load(text)
    assert errors(SLACK, document) == []
    assert document["display_information"]["description"].startswith(said)
    (command,) = document["features"]["slash_commands"]
    assert command["command"] == "/boussole"
    assert ("resume ID" in command["usage_hint"]) == (lang == "en")
    socket = mode == ["--socket-mode"]
    assert document["settings"]["socket_mode_enabled"] is socket
    assert _urls(document) == ([] if socket else [EVENTS] * 3)


def test_the_slack_command_can_be_another_one() -> None:
    code, text = run("slack", "manifest", "--socket-mode", "--command", "/boussole-test")
    assert code == 0
    assert YAML(typ="safe").load(text)["features"]["slash_commands"][0]["command"] == (
        "/boussole-test"
    )


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        ([], "--socket-mode"),
        (["--url", "https://b.example.org", "--socket-mode"], "--socket-mode"),
        (["--url", "http://b.example.org"], "https://"),
        (["--socket-mode", "--command", "boussole"], "--command"),
        (["--socket-mode", "--command", "/" + "b" * 32], "32"),
    ],
)
def test_a_slack_manifest_slack_would_refuse_is_not_printed(
    arguments: list[str], said: str
) -> None:
    code, text = run("slack", "manifest", "--lang", "en", *arguments)
    assert code == 2
    assert said in text and "display_information" not in text


def test_the_teams_package_validates_against_the_schema_of_its_version(tmp_path: Path) -> None:
    code, text = run("teams", "manifest", "--bot-id", BOT_ID, "--out", str(tmp_path))
    assert code == 0, text
    document = json.loads((tmp_path / "manifest.json").read_text())
    assert document["$schema"] == MANIFEST_SCHEMA and MANIFEST_SCHEMA.endswith(
        f"/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"
    )
    assert TEAMS_SCHEMA["properties"]["manifestVersion"]["const"] == MANIFEST_VERSION
    assert errors(TEAMS, document) == []
    english = json.loads((tmp_path / "en-us.json").read_text())
    assert errors(TEAMS_LOCALIZATION, english) == []


def test_the_teams_limits_are_the_schema_s() -> None:
    """What the command refuses is what Teams would refuse: 32 characters pass, 33 do not."""
    values = {
        "bot_id": BOT_ID,
        "app_id": BOT_ID,
        "version": "1.0.0",
        "website": "https://b.example.org/",
        "privacy": "https://b.example.org/privacy",
        "terms": "https://b.example.org/terms",
    }
    assert errors(TEAMS, manifest(developer="D" * 32, **values)) == []
    assert errors(TEAMS, manifest(developer="D" * 33, **values)) != []


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (["--developer", "Direction du numérique de Nantes Métropole"], "--developer: 42"),
        (["--website", "https://b.example.org/" + "a" * 2048], "--website: 2070"),
        (["--version", "1.0"], "--version: '1.0'"),
    ],
)
def test_a_teams_package_teams_would_refuse_is_not_written(
    arguments: list[str], said: str, tmp_path: Path
) -> None:
    out = tmp_path / "teams"
    code, text = run(
        "teams", "manifest", "--bot-id", BOT_ID, "--out", str(out), "--lang", "en", *arguments
    )
    assert code == 2
    assert "Teams package not written" in text and said in text
    assert not out.exists()


def test_docs_slack_shows_the_command_and_the_reason_of_every_scope() -> None:
    """docs/slack.md no longer carries a hand copy that could drift from the generated one."""
    from adapters.slack.manifest import SCOPES

    doc = (Path(__file__).resolve().parents[2] / "docs" / "slack.md").read_text("utf-8")
    assert doc.count("boussole slack manifest --url https://boussole.example.org") == 2
    assert doc.count("boussole slack manifest --socket-mode") == 2
    assert "oauth_config:" not in doc
    for scope in SCOPES:
        assert doc.count(f"| `{scope}` |") == 2, scope
