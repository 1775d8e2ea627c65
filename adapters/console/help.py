"""`--help` and click's usage errors in the reader's language.

Each help text of the command line is written once as "français / English", so that both
stay side by side in the code; a reader sees only their half, in the language `--lang` or
BOUSSOLE_LANG names (French by default), and click's own words (Usage, Options, Commands,
default, required, and its usage errors: "No such option", "Missing argument"…) from the
catalog. Click parses `--help` and reports a mistyped option before it reads `--lang`, so the
language is read from the command line itself.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from contextvars import ContextVar
from typing import Any

import click

from adapters.console.common import INTERNAL, fail
from bot.i18n import DEFAULT_LANG, LANGS, t

HALVES = re.compile(r"\s+/\s+")
EXTRA = re.compile(r"\s*\[(?P<items>[^\[\]]*)\]$")
CLICK_WORDS = {
    "Usage: ": "help_usage",
    "Options": "help_options",
    "Commands": "help_commands",
    "Show this message and exit.": "help_help",
    "Show the version and exit.": "help_version",
    "required": "help_required",
}
"""What click itself writes in help, by the catalog entry that says it."""


def reader_lang(argv: Sequence[str]) -> str:
    """`--lang` as typed (anywhere on the line), else BOUSSOLE_LANG, else French."""
    for index, arg in enumerate(argv):
        value = argv[index + 1] if arg == "--lang" and index + 1 < len(argv) else ""
        value = arg.removeprefix("--lang=") if arg.startswith("--lang=") else value
        if value in LANGS:
            return value
    wanted = os.environ.get("BOUSSOLE_LANG", "").strip()
    return wanted if wanted in LANGS else DEFAULT_LANG


def half(text: str, lang: str) -> str:
    """The reader's half of each paragraph written "français / English"; a paragraph with
    no such pair is the same in both languages and stays whole."""
    paragraphs = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        parts = HALVES.split(" ".join(paragraph.split()))
        chosen = parts[LANGS.index(lang)] if len(parts) == len(LANGS) else paragraph
        paragraphs.append(chosen[:1].upper() + chosen[1:])
    return "\n\n".join(paragraphs)


def said(text: str, lang: str) -> str:
    """A help text in `lang`, with click's bracketed extras ("[default: md]") said too."""
    found = EXTRA.search(text)
    if found is None:
        return _click_word(half(text, lang), lang)
    items = [_extra(item.strip(), lang) for item in found.group("items").split(";")]
    body = half(text[: found.start()], lang) if found.start() else ""
    extras = f"[{'; '.join(items)}]"
    return f"{body}  {extras}" if body else extras


def _extra(item: str, lang: str) -> str:
    if item.startswith("default: "):
        return t("help_default", lang, value=item.removeprefix("default: "))
    return _click_word(item, lang)


def _click_word(text: str, lang: str) -> str:
    key = CLICK_WORDS.get(text)
    return t(key, lang) if key else text


class ReaderHelpFormatter(click.HelpFormatter):
    """Writes help in the reader's language (see the module's docstring)."""

    def __init__(self, *args: Any, lang: str = DEFAULT_LANG, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lang = lang

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, t("help_usage", self.lang) if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        said = t("help_heading", self.lang, heading=_click_word(heading, self.lang))
        self.write(f"{'':>{self.current_indent}}{said}\n")

    def write_text(self, text: str) -> None:
        super().write_text(said(text, self.lang))

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        super().write_dl(
            [(term, said(text, self.lang)) for term, text in rows], col_max, col_spacing
        )


READER: ContextVar[str | None] = ContextVar("boussole_reader_lang", default=None)
"""The language read from the command line by the top group, before click parses it."""


class ReaderContext(click.Context):
    def make_formatter(self) -> click.HelpFormatter:
        lang = READER.get() or reader_lang(sys.argv[1:])
        return ReaderHelpFormatter(
            width=self.terminal_width, max_width=self.max_content_width, lang=lang
        )


USAGE_ERRORS = [
    (re.compile(r"No such option '(?P<name>[^']+)'\.(?P<rest>.*)", re.S), "click_no_such_option"),
    (re.compile(r"No such command '(?P<name>[^']+)'\."), "click_no_such_command"),
    (re.compile(r"Missing argument '(?P<name>[^']+)'\."), "click_missing_argument"),
    (re.compile(r"Missing option '(?P<name>[^']+)'\."), "click_missing_option"),
    (re.compile(r"Option '(?P<name>[^']+)' requires an argument\."), "click_needs_value"),
    (re.compile(r"Got unexpected extra arguments? \((?P<args>.*)\)"), "click_extra_arguments"),
    (
        re.compile(r"Invalid value for '(?P<name>[^']+)': (?P<detail>.*)", re.S),
        "click_invalid_value",
    ),
]
"""Click's usage errors (click 8), by the catalog entry that says them."""
VALUE_ERRORS = [
    (re.compile(r"'(?P<value>.*)' is not one of (?P<choices>.*)\."), "click_not_a_choice"),
    (re.compile(r"'(?P<value>.*)' is not a valid integer\."), "click_not_an_integer"),
    (re.compile(r"'(?P<value>.*)' does not match the formats? (?P<formats>.*)\."), "click_format"),
    (re.compile(r"(?:Path|File|Directory) '(?P<path>.*)' does not exist\."), "click_no_path"),
]
"""What click says of a value it refuses, inside "Invalid value for …"."""


def usage_error_text(message: str, lang: str) -> str:
    """Click's message in `lang`; one this module does not know stays as click wrote it."""
    for pattern, key in USAGE_ERRORS:
        found = pattern.fullmatch(message.strip())
        if found is None:
            continue
        params = found.groupdict()
        if "detail" in params:
            params["detail"] = _value_error(params["detail"], lang)
        if "rest" in params:
            params["rest"] = params["rest"] if lang == "en" else ""
        return t(key, lang, **params)
    return message


def _value_error(detail: str, lang: str) -> str:
    detail = half(detail, lang)
    for pattern, key in VALUE_ERRORS:
        found = pattern.fullmatch(detail)
        if found is not None:
            return t(key, lang, **found.groupdict())
    return detail


class ReaderUsageError(click.UsageError):
    """A usage error shown in the reader's language; its exit code stays click's (2)."""

    def __init__(self, error: click.UsageError, lang: str) -> None:
        super().__init__(error.message, error.ctx)
        self.original = error
        """Click's own error, whose class words the message ("Invalid value for …")."""
        self.lang = lang

    def show(self, file: Any = None) -> None:
        lines = []
        if self.ctx is not None:
            lines.append(self.ctx.get_usage())
            if self.ctx.command.get_help_option(self.ctx) is not None:
                command, option = self.ctx.command_path, self.ctx.help_option_names[-1]
                lines.append(t("click_try_help", self.lang, command=command, option=option))
            lines.append("")
        message = usage_error_text(self.original.format_message(), self.lang)
        lines.append(t("click_error", self.lang, message=message))
        click.echo("\n".join(lines), err=file is None, file=file)


class ReaderGroup(click.Group):
    """The top group: reads the language from the command line before click parses it, and
    says a usage error of any command below in that language."""

    context_class = ReaderContext

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        READER.set(reader_lang(args))
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as error:
            raise ReaderUsageError(error, READER.get() or DEFAULT_LANG) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ReaderUsageError:
            raise
        except click.UsageError as error:
            raise ReaderUsageError(error, READER.get() or DEFAULT_LANG) from None
        except Exception as error:
            _say_if_unreadable(error)
            raise


def _say_if_unreadable(error: Exception) -> None:
    """A row written outside Boussole is named, with what to do, instead of an internal
    error. Storage is imported only by commands that read it (the first question draws
    without it), and it is what raised such an error: it is looked up, not imported."""
    integrity = sys.modules.get("storage.integrity")
    if integrity is not None and isinstance(error, integrity.UnreadableRecord):
        from bot.unreadable import unreadable_message

        fail(unreadable_message(error, READER.get() or DEFAULT_LANG), INTERNAL)


def speak_the_readers_language(command: click.Command) -> None:
    """Gives `command` and everything under it help in the reader's language; a command's
    line in its group's list is its first sentence in that language, not a cut of both."""
    command.context_class = ReaderContext
    if command.help and not command.short_help:
        command.short_help = command.help.split("\n\n")[0]
    if isinstance(command, click.Group):
        for child in command.commands.values():
            speak_the_readers_language(child)
