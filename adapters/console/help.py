"""`--help` in the reader's language.

Each help text of the command line is written once as "français / English", so that both
stay side by side in the code; a reader sees only their half, in the language `--lang` or
BOUSSOLE_LANG names (French by default), and click's own words (Usage, Options, Commands,
default, required) from the catalog. Click parses `--help` before `--lang`, so the language
is read from the command line itself.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from typing import Any

import click

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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lang = reader_lang(sys.argv[1:])

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


class ReaderContext(click.Context):
    formatter_class = ReaderHelpFormatter


def speak_the_readers_language(command: click.Command) -> None:
    """Gives `command` and everything under it help in the reader's language; a command's
    line in its group's list is its first sentence in that language, not a cut of both."""
    command.context_class = ReaderContext
    if command.help and not command.short_help:
        command.short_help = command.help.split("\n\n")[0]
    if isinstance(command, click.Group):
        for child in command.commands.values():
            speak_the_readers_language(child)
