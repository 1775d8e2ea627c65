"""Settings are read as pydantic-settings read them before (bot.settings reads them itself to
spare every command its import): names in any case, the environment over `.env` in the
working directory, arguments over both, and the same report for a malformed value. Values
written plainly are read without pydantic at all; the others (to coerce or malformed) go
through its schema, and both give what pydantic-settings gave."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError, create_model
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.settings import Settings
from bot.settings_schema import SettingsSchema


class _Reference(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BOUSSOLE_", env_file=".env", extra="ignore")


Reference = create_model(
    "Reference",
    __base__=_Reference,
    **{name: (field.annotation, field) for name, field in SettingsSchema.model_fields.items()},
)
"""What the settings were read by before: pydantic-settings, with the same fields."""

CASES = [
    ({"BOUSSOLE_LANG": "en", "BOUSSOLE_DATA_DIR": "/srv/boussole"}, "", {}),
    ({"boussole_lang": "en", "Boussole_Admins": "slack:U1"}, "", {}),
    ({}, "BOUSSOLE_LANG=en\nBOUSSOLE_RETENTION_DAYS=30\nOTHER=1\nBOUSSOLE_UNKNOWN=2\n", {}),
    ({"BOUSSOLE_LANG": "fr"}, "BOUSSOLE_LANG=en\nboussole_access_log=true\n", {}),
    ({"BOUSSOLE_LANG": "en", "BOUSSOLE_DATABASE_URL": ""}, "", {"lang": "fr"}),
    ({"BOUSSOLE_OUTBOX_LEASE_SECONDS": "45", "BOUSSOLE_LOG_FORMAT": "json"}, "", {}),
    # to coerce: left to pydantic's schema, with the same result
    ({"BOUSSOLE_ACCESS_LOG": "True", "BOUSSOLE_RETENTION_DAYS": " 30 "}, "", {}),
    ({"BOUSSOLE_OUTBOX_LEASE_SECONDS": "+45", "BOUSSOLE_REVIEW_REMINDER_DAYS": "07"}, "", {}),
    ({"BOUSSOLE_ACCESS_LOG": "yes", "BOUSSOLE_AUDIT_CHECKPOINT_MINUTES": "1"}, "", {}),
    ({}, "", {"data_dir": "/srv/b", "retention_days": 5, "access_log": 1}),
    ({"BOUSSOLE_DATA_DIR": "/srv/b", "BOUSSOLE_DIRECTORY_FILE": "d.yaml"}, "", {}),
]


@pytest.fixture
def place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in list(os.environ):
        if name.lower().startswith("boussole_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return monkeypatch


@pytest.mark.parametrize(("environment", "dotenv", "arguments"), CASES)
def test_settings_are_read_as_before(
    place: pytest.MonkeyPatch, environment: dict[str, str], dotenv: str, arguments: dict[str, Any]
) -> None:
    for name, value in environment.items():
        place.setenv(name, value)
    if dotenv:
        Path(".env").write_text(dotenv, encoding="utf-8")
    assert Settings(**arguments).model_dump() == Reference(**arguments).model_dump()


@pytest.mark.parametrize(
    "environment",
    [
        {"BOUSSOLE_LANG": "de"},
        {"BOUSSOLE_OUTBOX_LEASE_SECONDS": "0"},
        {"BOUSSOLE_REVIEW_REMINDER_DAYS": "soon"},
        {"BOUSSOLE_ACCESS_LOG": "maybe"},
        {"BOUSSOLE_RETENTION_DAYS": ""},
        {"BOUSSOLE_SQLITE_SYNCHRONOUS": "normal"},
        {"BOUSSOLE_AUDIT_CHECKPOINT_MINUTES": "-3"},
    ],
)
def test_a_malformed_setting_is_reported_as_before(
    place: pytest.MonkeyPatch, environment: dict[str, str]
) -> None:
    for name, value in environment.items():
        place.setenv(name, value)
    with pytest.raises(ValidationError) as ours:
        Settings()
    with pytest.raises(ValidationError) as before:
        Reference()
    mine, theirs = ours.value.errors()[0], before.value.errors()[0]
    assert (mine["loc"], mine["type"], mine["msg"]) == (
        theirs["loc"],
        theirs["type"],
        theirs["msg"],
    )


def test_plain_values_are_read_without_pydantic(place: pytest.MonkeyPatch) -> None:
    """A terminal triage's settings cost no pydantic import (bench/startup.py)."""
    import subprocess
    import sys

    place.setenv("BOUSSOLE_LANG", "en")
    place.setenv("BOUSSOLE_OUTBOX_LEASE_SECONDS", "45")
    place.setenv("BOUSSOLE_ACCESS_LOG", "true")
    code = (
        "import sys; from bot.settings import load_settings; s = load_settings(); "
        "print(s.lang, s.outbox_lease_seconds, s.access_log, 'pydantic' in sys.modules)"
    )
    repo = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=repo
    )
    assert done.stdout.split() == ["en", "45", "True", "False"]
