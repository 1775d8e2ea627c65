"""Listings a script can read (`--format json`, ids whole) and a person can read (their
language, no outcome ids), through the real command with its output piped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cases import load_cases
from tests.e2e.helpers import boussole
from tests.e2e.test_cli import write_answers

CHATBOT = dict(load_cases(valid=True))["17-chatbot-external-llm"]["answers"]
RAW = ("full_review", "light_track", "bundled flow", "published_by", "reviewers")


def triage(tmp_path: Path, env: dict[str, str]) -> str:
    path = write_answers(tmp_path, CHATBOT)
    done = boussole("triage", "--answers", str(path), "--format", "json", env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["triage_id"]


def test_every_listing_gives_json_with_whole_ids(tmp_path: Path, cli_env: dict[str, str]) -> None:
    triage_id = triage(tmp_path, cli_env)

    def listed(*command: str) -> object:
        done = boussole(*command, "--format", "json", env=cli_env)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    mine = listed("list")
    assert [(t["id"], t["status"], t["outcome"]) for t in mine] == [
        (triage_id, "completed", "full_review")
    ]
    (version,) = listed("flows", "list")
    assert (version["flow"], version["version"], len(version["sha256"])) == (
        "boussole-nantes",
        1,
        64,
    )
    departments = {d["id"]: d for d in listed("directory", "list")}
    assert departments["environnement"]["fr"] == "Environnement"
    assert departments["autre"]["reviewers"] == []
    counts = listed("stats")
    assert counts["outcomes"] == {"full_review": 1}
    assert counts["rules"]["C2-R5"] == 1
    assert counts["departments"] == {"environnement": 1}


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fr", ("examen approfondi", "Publiée par", "Responsables", "Nombre", "Environnement")),
        ("en", ("full review", "Published by", "Reviewers", "Count", "Environment")),
    ],
)
def test_listing_tables_speak_the_readers_language(
    tmp_path: Path, cli_env: dict[str, str], lang: str, words: tuple[str, ...]
) -> None:
    triage(tmp_path, cli_env)
    shown = ""
    for command in (("list",), ("flows", "list"), ("directory", "list"), ("stats",)):
        done = boussole(*command, "--lang", lang, env={**cli_env, "COLUMNS": "200"})
        assert done.returncode == 0, done.stderr
        shown += done.stdout
    for word in words:
        assert word in shown
    for raw in RAW:
        assert raw not in shown


@pytest.mark.parametrize(
    ("lang", "stats_said", "outbox_said"),
    [
        ("fr", "Aucune analyse terminée pour l'instant", "Aucune notification dans l'outbox"),
        ("en", "No finished triage yet", "The outbox holds no notification"),
    ],
)
def test_an_empty_listing_says_so_instead_of_drawing_empty_tables(
    cli_env: dict[str, str], lang: str, stats_said: str, outbox_said: str
) -> None:
    for command, said in ((("stats",), stats_said), (("outbox", "list"), outbox_said)):
        done = boussole(*command, "--lang", lang, env=cli_env)
        assert done.returncode == 0, done.stderr
        assert said in done.stdout and "┏" not in done.stdout
    since = boussole("stats", "--since", "2026-01-01", "--lang", "en", env=cli_env)
    assert "No triage finished since 2026-01-01." in since.stdout
    assert json.loads(boussole("stats", "--format", "json", env=cli_env).stdout)["outcomes"] == {}
