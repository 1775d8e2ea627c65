"""The directory of departments: P2's choices and, later, where review notifications go.

`autre` is always offered and never listed in the file: a project whose department is not
listed must still be triaged, and its notifications go to the default reviewers.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path

from bot.i18n import CATALOG, t
from bot.members import ROLE_PLATFORMS, is_member
from flows.answers import control_character
from flows.checks import MENU_CHOICES_MAX
from flows.documents import DocumentRefused, FileTooLarge, load_yaml, read_limited
from flows.model import Choice, LocalizedText
from flows.problems import FlowError, Loc, Problem, Reporter, schema_message
from storage import limits
from storage.repository import Store, Transaction

OTHER = "autre"
BUNDLED_DIRECTORY = "directory.yaml"
IDENTIFIER_WORDS = "expected lower-case letters without accents, digits and _ only, such as 'dsi'"
"""The one pattern of the schema (a department's id) in words: pydantic would quote the regex."""


@dataclass(frozen=True)
class Department:
    """The shapes of a directory file are checked by its schema (bot.directory_schema), which
    only reading a file imports: every turn builds these from the database."""

    id: str
    name: LocalizedText
    reviewers: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Directory:
    departments: list[Department]
    default_reviewers: list[str] = field(default_factory=list)
    admins: list[str] = field(default_factory=list)
    """Read from the database (`boussole admins`), never from a directory file: they review the
    triages of a department that has no reviewer."""

    @cached_property
    def choices(self) -> tuple[Choice, ...]:
        other = Choice(id=OTHER, label=CATALOG["other_department"])
        return (*(Choice(id=d.id, label=d.name) for d in self.departments), other)


def load_directory(path: Path | None) -> Directory:
    """The file named by the setting, or the bundled sample; FlowError lists its problems."""
    if path is None:
        source = resources.files("flows").joinpath(BUNDLED_DIRECTORY).read_text("utf-8")
        name = BUNDLED_DIRECTORY
    else:
        name = str(path)
        try:
            source = read_limited(path).decode("utf-8")
        except FileTooLarge:
            raise FlowError([Problem(name, 1, "error", "the file is over 1 MB")]) from None
        except (OSError, UnicodeDecodeError) as error:
            raise FlowError([Problem(name, 1, "error", f"cannot read the file: {error}")]) from None
    from ruamel.yaml.error import YAMLError  # with the YAML: every turn reads the database

    try:
        root = load_yaml(source, round_trip=True)
    except DocumentRefused as refusal:
        raise FlowError([Problem(name, refusal.line, "error", refusal.message)]) from None
    except YAMLError as error:
        raise FlowError([Problem(name, 1, "error", f"not valid YAML: {error}")]) from None
    report = Reporter(name, root)
    directory = _validated(root, report)
    if directory.admins:
        report.error(("admins",), "admins are not set in this file: use `boussole admins add`")
    seen: set[str] = set()
    for index, department in enumerate(directory.departments):
        if department.id in seen or department.id == OTHER:
            report.error(
                ("departments", index, "id"), f"duplicate or reserved id {department.id!r}"
            )
        seen.add(department.id)
        if len(department.id) > limits.IDENTIFIER:
            report.error(("departments", index, "id"), _longer(limits.IDENTIFIER))
        for lang in ("fr", "en"):
            if not department.name.get(lang, "").strip():
                report.error(("departments", index, "name"), f"missing {lang!r} name")
            elif len(department.name[lang]) > limits.NAME:
                report.error(("departments", index, "name", lang), _longer(limits.NAME))
            elif (control := control_character(department.name[lang])) is not None:
                where = ("departments", index, "name", lang)
                report.error(where, f"a control character ({control}); remove it")
        _check_members(report, ("departments", index, "reviewers"), department.reviewers)
    _check_members(report, ("default_reviewers",), directory.default_reviewers)
    if report.errors:
        raise FlowError(report.problems)
    return directory


def _validated(root: object, report: Reporter) -> Directory:
    """The directory the schema makes of a file's document; FlowError with its problems."""
    from pydantic import ValidationError

    from bot import directory_schema

    try:
        valid = directory_schema.Directory.model_validate(root)
    except ValidationError as error:
        for item in error.errors():
            mismatch = item["type"] == "string_pattern_mismatch"
            report.error(tuple(item["loc"]), IDENTIFIER_WORDS if mismatch else schema_message(item))
        raise FlowError(report.problems) from None
    return Directory(
        departments=[
            Department(id=d.id, name=d.name, reviewers=d.reviewers) for d in valid.departments
        ],
        default_reviewers=valid.default_reviewers,
        admins=valid.admins,
    )


def _longer(limit: int) -> str:
    return f"longer than {limit} characters, the most the database keeps"


def _check_members(report: Reporter, where: Loc, members: list[str]) -> None:
    """Each reviewer named as the admin commands accept one (`bot.admin.member_problem`), its
    `platform` and `user_id` within the roles' columns (storage.limits)."""
    for position, member in enumerate(members):
        platform, _, user_id = member.partition(":")
        if not is_member(member):
            report.error((*where, position), f"{member!r} is not of the form platform:user_id")
        elif platform not in ROLE_PLATFORMS:
            report.error(
                (*where, position),
                f"unknown platform {platform!r}: use {', '.join(ROLE_PLATFORMS)}",
            )
        elif len(platform) > limits.PLATFORM:
            report.error((*where, position), f"platform {_longer(limits.PLATFORM)}")
        elif len(user_id) > limits.USER_ID:
            report.error((*where, position), f"user id {_longer(limits.USER_ID)}")


SEEDED = "directory_seeded"
CACHE_SECONDS = 10.0


def menu_overflow(tx: Transaction, lang: str) -> str | None:
    """The warning to give when P2 (every department, plus `autre`) no longer fits a Slack
    menu, which would leave Slack unable to ask it; None while it fits."""
    offered = len(tx.departments()) + 1
    if offered <= MENU_CHOICES_MAX:
        return None
    return t("directory_too_many", lang, count=offered, max=MENU_CHOICES_MAX)


def seed_directory(tx: Transaction, directory: Directory) -> None:
    """Copy a directory file into the database, which is the source of truth afterwards."""
    for department in directory.departments:
        tx.put_department(department.id, department.name["fr"], department.name["en"])
        for reviewer in department.reviewers:
            tx.add_reviewer(department.id, reviewer)
    for reviewer in directory.default_reviewers:
        tx.add_reviewer(OTHER, reviewer)
    tx.set_meta(SEEDED, "yes")


def directory_from_database(tx: Transaction) -> Directory:
    reviewers = tx.reviewers()
    return Directory(
        default_reviewers=reviewers.get(OTHER, []),
        departments=[
            Department(id=ident, name={"fr": fr, "en": en}, reviewers=reviewers.get(ident, []))
            for ident, fr, en in tx.departments()
        ],
        admins=tx.admins(),
    )


class DirectoryCache:
    """The directory as of at most ten seconds ago: every turn reads it (P2's choices,
    reviewers), admins change it rarely, and several processes may share the database."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._value: Directory | None = None
        self._read_at = 0.0

    def get(self) -> Directory:
        if self._value is None or time.monotonic() - self._read_at > CACHE_SECONDS:
            with self.store.reading() as tx:
                self._value = directory_from_database(tx)
            self._read_at = time.monotonic()
        return self._value

    def forget(self) -> None:
        self._value = None
