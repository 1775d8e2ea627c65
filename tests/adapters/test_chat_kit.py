"""The chat kit's catalogue: written once, in both languages, and not copied back into a
platform's own catalogue (issue #14: the same label under different keys drifted)."""

from __future__ import annotations

import re

import pytest

from adapters.chat.messages import CATALOG as KIT
from adapters.matrix.messages import CATALOG as MATRIX
from adapters.slack.messages import CATALOG as SLACK
from adapters.teams.messages import CATALOG as TEAMS

PLATFORMS = {"slack": SLACK, "teams": TEAMS, "matrix": MATRIX}


def test_every_kit_label_exists_in_french_and_english_with_the_same_placeholders() -> None:
    for key, texts in KIT.items():
        assert set(texts) == {"fr", "en"}, key
        placeholders = {lang: set(re.findall(r"{(\w+)}", text)) for lang, text in texts.items()}
        assert placeholders["fr"] == placeholders["en"], key


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_platform_catalogue_holds_only_its_own_words(platform: str) -> None:
    own = PLATFORMS[platform]
    assert not set(own) & set(KIT), "a kit key redefined by the platform"
    kit_words = {(texts["fr"], texts["en"]) for texts in KIT.values()}
    copied = [key for key, texts in own.items() if (texts["fr"], texts["en"]) in kit_words]
    assert copied == [], "the kit's words under another key"


def test_no_two_platforms_write_the_same_words_apart_from_the_kit() -> None:
    seen: dict[str, str] = {}
    shared = []
    for platform, own in PLATFORMS.items():
        for key, texts in own.items():
            words = texts["fr"] + "\n" + texts["en"]
            found = seen.get(words)
            if found is not None and not found.startswith(platform + ":"):
                shared.append((found, f"{platform}:{key}"))
            seen.setdefault(words, f"{platform}:{key}")
    assert shared == []
