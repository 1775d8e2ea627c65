"""An admin command typed in any chat platform, run the same way: the words are read by the
kit's grammar, the operation is `bot.admin.Admin`'s (which checks the role and audits)."""

from __future__ import annotations

from collections.abc import Callable

from adapters.chat.commands import ADMIN_REVIEWER, ADMIN_VERSION, parse_admin
from bot.admin import Admin, AdminReply
from bot.events import Actor


def run_admin(
    admin: Admin,
    actor: Actor,
    argument: str,
    lang: str,
    key: str | None,
    member: Callable[[str], str] = str,
) -> AdminReply | None:
    """Blocking (the database): run it off the event loop. None when the words are no admin
    command: the platform shows its own usage. `member` turns a platform's mention syntax
    into `platform:id`."""
    command = parse_admin(argument)
    if command.name == ADMIN_VERSION:
        return admin.current_version(actor, lang, key)
    if command.name == ADMIN_REVIEWER:
        target = member(command.member)
        return admin.change_reviewer(actor, command.add, command.department, target, lang, key)
    return None
