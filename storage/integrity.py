"""Rows read back as Boussole wrote them, or refused by name.

Whoever can write to the database can put in a row what Boussole never writes (a status of
its own, an answer that is an object, a date that is not one). Read as is, such a row made
every command that met it fail with a Python error naming nothing the reader could act on,
or worse, pass into a report. Checked here, on the way out of storage, it is an
`UnreadableRecord` naming the row and the field, which every adapter turns into a message
saying what to do (`boussole audit verify`, then a backup).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

IN_PROGRESS = "in_progress"
COMPLETED = "completed"
CANCELLED = "cancelled"
STATUSES = (IN_PROGRESS, COMPLETED, CANCELLED)

TRIAGE = "triage"
FLOW_VERSION = "flow_version"
AUDIT = "audit"
OUTBOX = "outbox"
REGISTER_ENTRY = "register_entry"
DEPARTMENT = "department"
UNAUDITED = frozenset({OUTBOX, REGISTER_ENTRY, DEPARTMENT})
"""Tables whose rows `audit verify` does not check: a backup is the remedy."""
IDENTIFIER = r"^[a-z0-9_]+$"
"""A department's id, as the directory file and admin commands accept it: it names the
register site's pages and is a choice id of P2."""


class UnreadableRecord(Exception):
    """A stored row holds a value Boussole never writes in this field."""

    def __init__(self, kind: str, key: str, field: str, value: Any) -> None:
        shown = repr(value)
        self.shown = shown if len(shown) <= 100 else shown[:97] + "..."
        super().__init__(f"{kind} {key}: {field} = {self.shown}")
        self.kind, self.key, self.field, self.value = kind, key, field, value


def _optional(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return (*(kind if isinstance(kind, tuple) else (kind,)), type(None))


TRIAGE_FIELDS: dict[str, tuple[type, ...]] = {
    "flow_version_id": (int,),
    "owner": (str,),
    "platform": (str,),
    "lang": (str,),
    "status": (str,),
    "current_question": _optional(str),
    "outcome": _optional(str),
    "revision": (int,),
    "created_at": (datetime,),
    "updated_at": (datetime,),
    "completed_at": _optional(datetime),
    "previous_result": _optional(dict),
    "owner_salt": _optional(str),
    "revises": _optional(str),
    "owner_platform": _optional(str),
    "owner_user_id": _optional(str),
}
"""The Python type each triage column reads as; `bool` is refused where `int` is expected."""


def checked_triage(triage_id: str, values: dict[str, Any]) -> dict[str, Any]:
    """The triage row's values, or UnreadableRecord for the first field Boussole would not
    have written."""
    for field, value in values.items():
        expected = TRIAGE_FIELDS.get(field)
        if expected is None:
            continue
        if isinstance(value, bool) or not isinstance(value, expected):
            raise UnreadableRecord(TRIAGE, triage_id, field, value)
    if values.get("status", IN_PROGRESS) not in STATUSES:
        raise UnreadableRecord(TRIAGE, triage_id, "status", values["status"])
    salt = values.get("owner_salt")
    if salt is not None and not _is_key(salt):
        raise UnreadableRecord(TRIAGE, triage_id, "owner_salt", salt)
    previous = values.get("previous_result")
    if previous is not None and not _is_result_summary(previous):
        raise UnreadableRecord(TRIAGE, triage_id, "previous_result", previous)
    return values


def _is_key(salt: str) -> bool:
    """The key of an owner's alias: 16 random bytes in hexadecimal (`bot.actors`)."""
    return len(salt) == 32 and all(c in "0123456789abcdef" for c in salt)


def _is_result_summary(previous: dict[str, Any]) -> bool:
    """What a re-triage keeps of the result it re-does: its outcome and its rules' ids."""
    rules = previous.get("rules")
    return (
        isinstance(previous.get("outcome"), str)
        and isinstance(rules, list)
        and all(isinstance(rule, str) for rule in rules)
    )


def checked_answer(triage_id: str, question_id: Any, value: Any) -> Any:
    """An answer as Boussole records one (a text or a choice id, a number on a scale, a list
    of choice ids), or UnreadableRecord; whether it fits its question is the flow's to say
    (`bot.stored_answers`)."""
    if not isinstance(question_id, str):
        raise UnreadableRecord(TRIAGE, triage_id, "answers.question_id", question_id)
    field = f"answers[{question_id}]"
    if isinstance(value, bool):
        raise UnreadableRecord(TRIAGE, triage_id, field, value)
    if isinstance(value, str | int | float):
        return value
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    raise UnreadableRecord(TRIAGE, triage_id, field, value)


def readable_rows(rows: Iterable[Any], kind: str, key: str) -> Iterator[Any]:
    """The rows of a result, a value the driver cannot convert refused as unreadable: SQLite
    hands back whatever text a date or JSON column holds, and the row's id is not known yet
    when its conversion fails (`key` is then empty: one of the rows)."""
    iterator = iter(rows)
    while True:
        try:
            row = next(iterator)
        except StopIteration:
            return
        except (ValueError, TypeError) as error:  # a text or a number in a date column
            raise UnreadableRecord(kind, key, "date/JSON", str(error)) from None
        yield row


def checked_department(row: tuple[Any, ...]) -> tuple[str, str, str]:
    """(id, French name, English name), or UnreadableRecord: an id of other characters
    would name a file outside the register site's folder, or break out of an attribute."""
    ident, name_fr, name_en = row
    if not isinstance(ident, str) or not re.fullmatch(IDENTIFIER, ident):
        raise UnreadableRecord(DEPARTMENT, "", "id", ident)
    for field, name in (("name_fr", name_fr), ("name_en", name_en)):
        if not isinstance(name, str):
            raise UnreadableRecord(DEPARTMENT, ident, field, name)
    return ident, name_fr, name_en


def is_uuid(text: object) -> bool:
    """A register entry's id as Boussole draws it: a UUID in its canonical form, which names
    its page on the register site."""
    try:
        return isinstance(text, str) and str(uuid.UUID(text)) == text
    except ValueError:
        return False
