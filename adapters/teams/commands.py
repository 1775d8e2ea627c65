"""What a typed message asks for: `boussole`, `liste`, `reprendre ID`, `aide`, `identifiant`,
in either language.

Matching ignores case, accents, the bot's @mention and surrounding punctuation, so that
"@Boussole Nouvelle analyse !" and "new" both start a triage.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

START = "start"
LIST = "list"
RESUME = "resume"
CANCEL = "cancel"
REGISTER = "register"
HELP = "help"
WHOAMI = "whoami"
ADMIN = "admin"
UNKNOWN = "unknown"
ADMIN_VERSION = "version"
ADMIN_REVIEWER = "reviewer"
ADMIN_USAGE = "usage"

_WORDS = {
    START: (
        "boussole",
        "nouvelle analyse",
        "nouvelle",
        "analyse",
        "commencer",
        "demarrer",
        "new",
        "new triage",
        "start",
    ),
    LIST: ("liste", "list", "mes analyses", "my triages", "analyses"),
    HELP: ("aide", "help", "?", "bonjour", "hello", "hi", "salut"),
    WHOAMI: ("identifiant", "mon identifiant", "qui suis-je", "whoami", "my id", "id"),
}
_WITH_ID = {
    RESUME: ("reprendre", "resume", "voir", "show"),
    CANCEL: ("annuler", "cancel"),
    REGISTER: ("registre", "register"),
}
_MENTION = re.compile(r"<at\b[^>]*>.*?</at>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_ID = re.compile(r"^[a-z0-9]{4,32}$")


@dataclass(frozen=True)
class Command:
    name: str
    argument: str = ""


def strip_mentions(text: str | None) -> str:
    """The message without `<at>…</at>` mentions (channels) and without other markup."""
    if not text:
        return ""
    without = _MENTION.sub(" ", text)
    without = _TAG.sub(" ", without).replace("&nbsp;", " ")
    return " ".join(without.split())


def parse(text: str) -> Command:
    words = _normalise(text)
    if not words:
        return Command(HELP)
    if words == ADMIN or words.startswith(ADMIN + " "):
        return Command(ADMIN, " ".join(text.split()[1:]))
    for name, phrases in _WORDS.items():
        if words in phrases:
            return Command(name)
    head, _, rest = words.partition(" ")
    for name, verbs in _WITH_ID.items():
        if head in verbs:
            argument = rest.strip()
            if not argument:
                return Command(name)
            if _ID.match(argument):
                return Command(name, argument)
    return Command(UNKNOWN, text.strip())


def _normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.strip().strip("!.;:,«»\"'").strip()
    return " ".join(plain.split())


@dataclass(frozen=True)
class AdminCommand:
    name: str
    add: bool = True
    department: str = ""
    member: str = ""


_ADD = ("ajouter", "add")
_REMOVE = ("retirer", "remove", "supprimer")


def parse_admin(argument: str) -> AdminCommand:
    """`version`, or `responsable|reviewer ajouter|add|retirer|remove DEPT platform:id`.

    The member id keeps its case (Teams ids are case-sensitive); the rest is normalised.
    """
    raw = argument.split()
    words = [_normalise(word) for word in raw]
    if words == [ADMIN_VERSION]:
        return AdminCommand(ADMIN_VERSION)
    if len(words) == 4 and words[0] in ("responsable", "reviewer") and words[1] in _ADD + _REMOVE:
        return AdminCommand(ADMIN_REVIEWER, words[1] in _ADD, words[2], raw[3])
    return AdminCommand(ADMIN_USAGE)
