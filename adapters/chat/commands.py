"""What a typed message asks for, in French or English, on every chat platform: `boussole`,
`liste`, `reprendre ID` (or `voir ID`), `annuler ID`, `registre ID`, `aide`, `identifiant`,
`admin …`.

Matching ignores case, accents and surrounding punctuation, so that "Nouvelle analyse !" and
"new" both start a triage. Parsing is a pure function: Slack's slash command, its direct
messages, Teams' messages (mentions stripped first) and Matrix's rooms all read the same words
the same way.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from adapters.chat.messages import m as kit
from bot.i18n import LANGS, t
from flows.model import OUTCOMES

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
        "nouveau",
        "analyse",
        "commencer",
        "demarrer",
        "new",
        "new triage",
        "start",
    ),
    LIST: ("liste", "lister", "list", "mes analyses", "my triages", "analyses"),
    HELP: ("aide", "help", "?", "bonjour", "hello", "hi", "salut"),
    WHOAMI: ("identifiant", "mon identifiant", "qui suis-je", "whoami", "my id", "id"),
}
_WITH_ID = {
    RESUME: ("reprendre", "reprise", "resume", "voir", "show"),
    CANCEL: ("annuler", "cancel"),
    REGISTER: ("registre", "register"),
}
_LANGUAGES = {
    **dict.fromkeys(
        ("new", "new triage", "start", "list", "my triages", "help", "hello", "hi", "whoami"),
        "en",
    ),
    **dict.fromkeys(
        ("nouvelle analyse", "nouvelle", "commencer", "demarrer", "liste", "mes analyses", "aide"),
        "fr",
    ),
}
"""Command words that only one language has ("boussole" or "annuler ID" tell nothing)."""
_ID = re.compile(r"^[a-z0-9]{4,32}$")
"""Triage ids are generated in lower case; people retype them in capitals."""
_ADD = ("ajouter", "add")
_REMOVE = ("retirer", "remove", "supprimer")
_REVIEWER = ("responsable", "responsables", "reviewer", "reviewers", "examinateur")


@dataclass(frozen=True)
class Command:
    name: str
    argument: str = ""
    text: str = ""
    """What was typed, kept to quote it back when it is not understood."""


def parse(text: str) -> Command:
    """An empty message asks for help; the platform decides what its own command name alone
    does (`/boussole` starts a triage, as the word `boussole` does)."""
    typed = " ".join(text.split())
    words = plain(typed)
    if not words:
        return Command(HELP, text=typed)
    if words == ADMIN or words.startswith(ADMIN + " "):  # member ids keep their case
        return Command(ADMIN, typed.partition(" ")[2], typed)
    for name, phrases in _WORDS.items():
        if words in phrases:
            return Command(name, text=typed)
    head, _, rest = words.partition(" ")
    for name, verbs in _WITH_ID.items():
        if head in verbs and (not rest or _ID.match(rest)):
            return Command(name, rest, typed)
    return Command(UNKNOWN, text=typed)


def language(text: str) -> str | None:
    """The language of a command word typed alone, when it has one ("liste" is French, "list"
    English): a platform that knows no locale (Matrix) answers in it from then on."""
    return _LANGUAGES.get(" ".join(text.lower().split()))


def plain(text: str) -> str:
    """Lower case, no accents, no surrounding punctuation: what a typed word is compared in."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.strip().strip("!.;:,«»\"'").split())


def outcome_named(words: str) -> str | None:
    """The orientation `words` name: its name (`full_review`) or its label in French or
    English (`examen approfondi`, `full review`), case and accents aside."""
    typed = plain(words)
    for outcome in OUTCOMES:
        if typed == outcome or typed in {plain(t(f"outcome_{outcome}", lang)) for lang in LANGS}:
            return outcome
    return None


def typed_outcome(text: str) -> tuple[str, str]:
    """The orientation a reviewer typed at the start of `text`, and the comment after it as
    typed; ("", text) when the first words name none, which the engine refuses with the
    orientations to choose from."""
    longest = max(len(t(f"outcome_{o}", lang).split()) for o in OUTCOMES for lang in LANGS)
    for count in range(longest, 0, -1):
        found = re.match(rf"\s*\S+(?:\s+\S+){{{count - 1}}}", text)
        outcome = outcome_named(found.group()) if found else None
        if found and outcome:
            return outcome, text[found.end() :].strip()
    return "", text.strip()


def outcome_labels(lang: str, but: str = "") -> str:
    """The orientations a reviewer may type, as they read them, but the one proposed."""
    return t("list_separator", lang).join(
        kit("quoted", lang, text=t(f"outcome_{o}", lang)) for o in OUTCOMES if o != but
    )


@dataclass(frozen=True)
class AdminCommand:
    name: str
    add: bool = True
    department: str = ""
    member: str = ""


def parse_admin(argument: str) -> AdminCommand:
    """`version`, or `responsable|reviewer ajouter|add|retirer|remove DEPT platform:id`.

    The member id keeps its case (Teams and Slack ids are case-sensitive); the rest is
    compared plain. A platform turns its own mention syntax into `platform:id` before."""
    raw = argument.split()
    words = [plain(word) for word in raw]
    if words == [ADMIN_VERSION]:
        return AdminCommand(ADMIN_VERSION)
    if len(words) == 4 and words[0] in _REVIEWER and words[1] in _ADD + _REMOVE:
        return AdminCommand(ADMIN_REVIEWER, words[1] in _ADD, words[2], raw[3])
    return AdminCommand(ADMIN_USAGE)
