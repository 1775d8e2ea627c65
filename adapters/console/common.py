"""What every `boussole` subcommand shares: languages, failing with one clear line, opening
the application, and who the operator is."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import click
from rich.console import Console

from bot.actors import actor_label
from bot.app import App, open_app
from bot.events import Actor
from bot.i18n import DEFAULT_LANG, LANGS, t
from bot.notifications import Recipient
from bot.settings import SettingsError, load_settings
from flows import flow_cache
from flows.problems import FlowError
from storage.database import DatabaseError
from storage.repository import Transaction

INVALID = 2
INTERNAL = 1
LANG = click.Choice(["fr", "en"])

stderr = Console(stderr=True, highlight=False)


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


@contextmanager
def open_cli_app(lang: str) -> Iterator[App]:
    """Open the application or stop with one line naming what is wrong.

    A command of the terminal loads the published flow at every start: the schema's verdict on
    it is kept on disk, in the data directory (flows.flow_cache), so that pydantic is not
    imported to validate it again."""
    try:
        settings = load_settings()
        flow_cache.use(settings.data_dir / "cache")
        app = open_app(settings)
    except SettingsError as error:
        fail(t("setting_invalid", lang, name=error.name, detail=error.explained(lang)))
    except DatabaseError as error:
        fail(t("database_unavailable", lang, url=error.url, detail=error.detail))
    except FlowError as error:
        problems = "; ".join(p.render(lang) for p in error.problems)
        fail(t("directory_invalid", lang, problems=problems))
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
    return actor_label(tx, Actor("cli", getpass.getuser()))


def member_arg(member: str, lang: str) -> Recipient:
    """A `platform:user_id` argument, or a stop naming the expected form: a typo must not
    read as "nothing to change"."""
    from bot.admin import member_problem  # with publishing and the checker: not for a triage

    problem = member_problem(member, lang)
    if problem is not None:
        fail(problem)
    return Recipient.parse(member)
