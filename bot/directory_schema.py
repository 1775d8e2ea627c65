"""Pydantic schema of a directory file, imported only when a file is read (a new database).

Every turn reads the directory from the database as `bot.directory`'s plain dataclasses; only
the file copied into a new database needs pydantic, whose import costs a terminal triage
about 100 ms of CPU (bench/startup.py). Class names are those of `bot.directory`: pydantic
quotes them in its rarer messages.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from flows.model import LocalizedText
from storage.integrity import IDENTIFIER


class Department(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, pattern=IDENTIFIER)
    name: LocalizedText
    reviewers: list[str] = []


class Directory(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    default_reviewers: list[str] = []
    departments: list[Department]
    admins: list[str] = []
