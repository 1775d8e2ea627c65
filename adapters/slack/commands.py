"""The words of `/boussole …` and of a direct message to the bot, in French or English.

Parsing is a pure function so that the slash command and the DM share it exactly.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

Verb = Literal["start", "list", "resume", "cancel", "register", "help", "admin", "unknown"]

WORDS: dict[str, Verb] = {
    "": "start",
    "nouvelle": "start",
    "nouveau": "start",
    "commencer": "start",
    "demarrer": "start",
    "analyse": "start",
    "new": "start",
    "start": "start",
    "liste": "list",
    "lister": "list",
    "list": "list",
    "mes analyses": "list",
    "reprendre": "resume",
    "reprise": "resume",
    "resume": "resume",
    "annuler": "cancel",
    "cancel": "cancel",
    "registre": "register",
    "register": "register",
    "aide": "help",
    "help": "help",
    "?": "help",
}


@dataclass(frozen=True)
class Command:
    verb: Verb
    argument: str = ""
    text: str = ""
    """What was typed, kept to quote it back when it is not understood."""


def parse_command(text: str) -> Command:
    """`reprendre AB12` → resume AB12; case and accents do not matter; triage ids are
    lower-cased because they are generated that way and people retype them in capitals."""
    typed = " ".join(text.split())
    words = plain(typed)
    if words in WORDS:
        return Command(WORDS[words], text=typed)
    head, _, rest = words.partition(" ")
    if head == "admin":  # its arguments keep their case: member ids are `slack:U012ABC`
        return Command("admin", typed.partition(" ")[2], typed)
    verb = WORDS.get(head)
    if verb in ("resume", "cancel", "register") and " " not in rest:
        return Command(verb, rest, typed)
    return Command("unknown", text=typed)


def plain(text: str) -> str:
    """Lower case without accents: what a typed word is compared in."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
