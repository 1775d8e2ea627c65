"""What betrays a language leak or a raw id in what a person reads, built from the texts
themselves: the catalog (bot/i18n.py), the bundled flow and the bundled directory.

A text of the other language is found by its distinctive parts: the pieces of each entry
around its placeholders that no text of the reader's language contains. Short words cannot be
told apart that way, so a few known betrayals are listed by hand (`KNOWN`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from bot.i18n import CATALOG, LANGS

REPO = Path(__file__).resolve().parents[2]
FLOW = REPO / "flows" / "boussole-nantes.yaml"
DIRECTORY = REPO / "flows" / "directory.yaml"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
DISTINCTIVE = 12
"""A piece shorter than this ("Oui", "Total") may be either language's word."""
SHORT_LABEL = 8
"""A whole label (a department, an outcome) this long is distinctive when it is one word."""

KNOWN: dict[str, tuple[str, ...]] = {
    # Leaks whatever the language: guessed plurals and pydantic's or questionary's English.
    "any": ("(s)", "Input should", "Field required", "Value error", "selections)"),
    # ("is not a valid integer" is click's English, right in English.)
    "fr": ("done (", "valid integer"),
    "en": (),
}
SINGULAR_PLURAL = {
    # A count of one (French: zero or one) before a plural noun: "1 lignes", "1 analyses
    # rejouées", "1 rows"; not a verb that agrees with it ("1 changes orientation").
    "fr": re.compile(r"(?<![\w.,:/-])[01] (?!fois\b|mois\b|pas\b|sur\b)[a-zàâçéèêëîïôûù]+s\b"),
    "en": re.compile(r"(?<![\w.,:/-])1 (?!is\b|was\b|has\b|of\b|changes\b|needs\b)[a-z]+s\b"),
}
FUNCTION_WORDS = {
    # Words of one language that the other never writes.
    "fr": re.compile(r"\b(the|and|should|must|cannot|which|with)\b"),
    "en": re.compile(r"\b(les|des|une|pour|avec|dans|aucune|n'est|l'analyse)\b"),
}


def _texts(node: Any) -> Iterator[dict[str, str]]:
    """Every {fr:, en:} pair of a flow or directory document."""
    if isinstance(node, dict):
        if set(LANGS) <= set(node) and all(isinstance(node[k], str) for k in LANGS):
            yield {k: node[k] for k in LANGS}
        for value in node.values():
            yield from _texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _texts(value)


def _document(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text("utf-8"))


def _pieces(text: str) -> Iterator[str]:
    for piece in PLACEHOLDER.split(text):
        for line in piece.splitlines():
            yield line.strip(" \t.,;:!?«»'\"()[]·—-")


def _choice_ids(flow: Any) -> set[str]:
    ids = set(flow["outcomes"])
    for section in flow["sections"]:
        for question in section["questions"]:
            ids.update(choice["id"] for choice in question.get("choices") or [])
    return ids


@dataclass
class Detector:
    """Finds, in one output, what a reader of `lang` should not see."""

    lang: str
    pieces: set[str] = field(default_factory=set)
    labels: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)
    """One-word catalog entries ("Attempts"), found in any case: a header left raw reads
    "attempts"."""
    ids: set[str] = field(default_factory=set)
    shared_ids: set[str] = field(default_factory=set)
    """Ids that are a word of neither language: what a bilingual text must not show."""
    all_ids: re.Pattern[str] = re.compile("$^")

    @classmethod
    def build(cls, lang: str) -> Detector:
        other = next(k for k in LANGS if k != lang)
        pairs = list(CATALOG.values())
        labels = [*_texts(_document(FLOW)), *_texts(_document(DIRECTORY))]
        pairs += labels
        own = "\n".join(p[lang] for p in pairs)
        own_lower = own.lower()
        own_words = set(re.findall(r"[\w'-]+", own))
        detector = cls(lang)
        for pair in pairs:
            if pair[other] == pair[lang]:
                continue
            for piece in _pieces(pair[other]):
                if len(piece) >= DISTINCTIVE and " " in piece and piece.lower() not in own_lower:
                    detector.pieces.add(piece)
        for pair in labels:
            label = pair[other].strip()
            if len(label) >= SHORT_LABEL and " " not in label and label not in own_words:
                detector.labels.add(label)
        own_lower_words = {w.lower() for w in own_words}
        for key, pair in CATALOG.items():
            if key.endswith("language_name"):
                continue  # a page offers the other language by that language's own name
            word = pair[other].strip()
            if re.fullmatch(r"[A-Za-zÀ-ÿ]{5,}", word) and word.lower() not in own_lower_words:
                detector.words.add(word.lower())
        every_id = _choice_ids(_document(FLOW))
        detector.ids = {i for i in every_id if i not in own_words}
        both_words = set(re.findall(r"[\w'-]+", "\n".join(p[other] for p in pairs)))
        detector.shared_ids = {i for i in detector.ids if i not in both_words}
        detector.all_ids = re.compile(rf"(?<![\w-])({'|'.join(sorted(every_id))})(?![\w-])")
        return detector

    def leaks(self, output: str, ids_allowed: bool = False, bilingual: bool = False) -> list[str]:
        """What betrays the other language (unless the output is bilingual by design, as
        `directory list` is) and raw ids (unless the output is for scripts or about an answer
        file)."""
        found: list[str] = []
        for known in (*KNOWN["any"], *KNOWN[self.lang]):
            if known in output:
                found.append(f"known leak {known!r}")
        found += [f"count {m!r}" for m in SINGULAR_PLURAL[self.lang].findall(output)]
        if not bilingual:
            found += [f"other language {p!r}" for p in sorted(self.pieces) if p in output]
            found += [
                f"other language {w!r}"
                for w in sorted(self.labels)
                if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", output)
            ]
            prose = output
            if ids_allowed:
                # "aucune" is a choice id before it is a French word.
                prose = self.all_ids.sub("", output)
            found += [
                f"other language word {w!r}"
                for w in sorted(self.words)
                # JSON keys and a file's field names are English words by contract.
                if not ids_allowed and re.search(rf"(?<![\w-]){w}(?![\w-])", prose, re.I)
            ]
            words = {m.group(0) for m in FUNCTION_WORDS[self.lang].finditer(prose)}
            found += [f"other language word {w!r}" for w in sorted(words)]
        if not ids_allowed:
            found += [
                f"raw id {i!r}"
                for i in sorted(self.shared_ids if bilingual else self.ids)
                if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", output)
            ]
        return found
