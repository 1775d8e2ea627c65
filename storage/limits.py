"""The longest value each text column may hold, in one place.

The models size their columns from these numbers and every boundary that takes a value from
outside (the command line, chat commands, platform payloads, flow and directory files) checks
it against the same number, so that a value too long is refused with a message naming it,
never by the database: SQLite does not enforce lengths, PostgreSQL does, and a command that
works on one must not fail on the other.
"""

from __future__ import annotations

PLATFORM = 20
"""`slack`, `teams`, `console`, `cli`…"""
USER_ID = 200
"""A platform's user id: Slack ids are about 11 characters, Teams `29:…` ids about 100."""
MEMBER = PLATFORM + 1 + USER_ID
"""`platform:user_id`, as typed by admins and kept in the roles."""
MEMBER_COLUMN = 250
PSEUDONYM = 32
"""Pseudonyms and owner aliases are 16 hex characters; the column leaves room."""
ACTOR = 64
"""An audit actor: `platform/pseudonym` (at most 20 + 1 + 32), or a fixed name such as
`system`."""
IDENTIFIER = 100
"""A flow id, a question id, a department id."""
NAME = 200
"""A department's name in one language."""
NOTE = 500
"""A publication's note; a notification's last error."""
DIGEST = 64
"""Hex SHA-256 and BLAKE2b-256 digests: flow files, idempotency and outbox keys."""
TRIAGE_ID = 32
CHAIN = 40
"""An audit chain: a triage id, or `admin`."""
KIND = 40
"""An audit event's or a notification's kind: fixed words of ours."""
STATE = 20
"""Statuses, outcomes, decisions: fixed words of ours."""
LANG = 5
UUID = 36
"""A register entry's id, a UUID in its 36-character text form."""
META_KEY = 100
META_VALUE = 500


class TooLong(ValueError):
    """A value beyond its column's legal length, named for the person who typed or sent it."""

    def __init__(self, field: str, length: int, limit: int) -> None:
        super().__init__(f"{field}: {length} characters, at most {limit}")
        self.field = field
        self.length = length
        self.limit = limit


def check(field: str, value: str, limit: int) -> str:
    """`value` itself when it fits, else TooLong."""
    if len(value) > limit:
        raise TooLong(field, len(value), limit)
    return value


MATRIX_ID = 255
"""A Matrix room, event or user id: the specification caps them at 255 bytes."""
