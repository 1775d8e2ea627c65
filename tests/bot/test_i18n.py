"""Every message exists in French and English, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from bot.i18n import CATALOG, LANGS, t


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_every_message_is_in_french_and_english(key: str) -> None:
    entry = CATALOG[key]
    assert set(entry) == set(LANGS)
    assert all(entry[lang].strip() for lang in LANGS)
    assert placeholders(entry["fr"]) == placeholders(entry["en"])


def test_french_is_the_default_and_the_fallback() -> None:
    assert t("orientation") == "Orientation"
    assert t("fired_rules", "de") == CATALOG["fired_rules"]["fr"]
