"""What every `boussole` subcommand shares: languages, failing with one clear line, opening
the application, and who the operator is."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, NoReturn

import click
from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment

from bot.events import Actor
from bot.i18n import DEFAULT_LANG, LANGS, t
from bot.settings import SettingsError, load_settings

if TYPE_CHECKING:
    from bot.app import App
    from bot.notifications import Recipient
    from storage.repository import Transaction

INVALID = 2
INTERNAL = 1
LANG = click.Choice(["fr", "en"])


CONTROLS = {
    code: "\ufffd" for code in (*range(0x20), *range(0x7F, 0xA0)) if chr(code) not in "\t\n"
}
"""Control characters, shown as � (a tab and a line break are text)."""


class PlainConsole(Console):
    """Prints every string as it is: without markup, a project named `Tri [beta]` lost its
    brackets, and one holding `[/b]` ended the command in an internal error; `:fire:` was
    an emoji. A control character (which new text cannot hold, `flows.answers`, but a row
    written outside Boussole can) is shown as �, not sent: ESC would start a sequence that
    rewrites the reader's screen or sets their clipboard. Styles are given as styles, and
    the sequences rich writes for them are not text: they are not touched."""

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterator[Segment]:
        for segment in super().render(renderable, options):
            if segment.control is None and segment.text:
                yield segment._replace(text=segment.text.translate(CONTROLS))
            else:
                yield segment


def terminal(stderr: bool = False) -> Console:
    return PlainConsole(stderr=stderr, highlight=False, markup=False, emoji=False)


stderr = terminal(stderr=True)


def fail(message: str, code: int = INVALID) -> NoReturn:
    stderr.print(message, markup=False, soft_wrap=True)
    sys.exit(code)


def resolve_lang(lang: str | None) -> str:
    """`--lang`, else BOUSSOLE_LANG, else French; BOUSSOLE_LANG still counts when another
    setting is wrong, so that the line naming that setting is in the reader's language."""
    if lang:
        return lang
    try:
        return load_settings().lang
    except SettingsError:
        wanted = os.environ.get("BOUSSOLE_LANG", "").strip()
        return wanted if wanted in LANGS else DEFAULT_LANG


class CannotOpen(Exception):
    """The application cannot open: `message` is the one line saying why, for the reader."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def open_app_or_say_why(lang: str) -> App:
    """Open the application, or raise CannotOpen naming what is wrong.

    SQLAlchemy and the engine are imported here, not with the command line: a new terminal
    triage shows its first question before it needs them (adapters.console.first_question).
    A command of the terminal loads the published flow at every start: the schema's verdict on
    it is kept on disk, in the data directory (flows.flow_cache), so that pydantic is not
    imported to validate it again."""
    from bot.app import open_app
    from flows import flow_cache
    from flows.problems import FlowError
    from storage.database import DatabaseError

    settings = None
    try:
        settings = load_settings()
        flow_cache.use(settings.data_dir / "cache")
        return open_app(settings)
    except SettingsError as error:
        raise CannotOpen(
            t("setting_invalid", lang, name=error.name, detail=error.explained(lang))
        ) from None
    except DatabaseError as error:
        chosen = settings is None or settings.database_url
        setting = "BOUSSOLE_DATABASE_URL" if chosen else t("database_in_data_dir", lang)
        text = t("database_unavailable", lang, url=error.url, detail=error.detail, setting=setting)
        raise CannotOpen(text) from None
    except FlowError as error:
        problems = "; ".join(p.render(lang) for p in error.problems)
        raise CannotOpen(t("directory_invalid", lang, problems=problems)) from None


@contextmanager
def open_cli_app(lang: str) -> Iterator[App]:
    """Open the application or stop with one line naming what is wrong."""
    try:
        app = open_app_or_say_why(lang)
    except CannotOpen as refused:
        fail(refused.message)
    try:
        yield app
    finally:
        app.close()


def console_actor() -> Actor:
    """In a terminal, the person is the operating-system account."""
    return Actor("console", getpass.getuser())


def operator(tx: Transaction) -> str:
    """How administration commands name their author in the audit log: the operating-system
    account, by channel (`cli`) and pseudonym like any actor (bot.actors)."""
    from bot.actors import actor_label

    return actor_label(tx, Actor("cli", getpass.getuser()))


def member_arg(member: str, lang: str, granting: bool = False) -> Recipient:
    """A `platform:user_id` argument, or a stop naming the expected form: a typo must not
    read as "nothing to change", nor give a role to nobody (`granting`)."""
    from bot.admin import member_problem  # with publishing and the checker: not for a triage
    from bot.notifications import Recipient

    problem = member_problem(member, lang, granting)
    if problem is not None:
        fail(problem)
    return Recipient.parse(member)
