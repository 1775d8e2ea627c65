"""Counts agree with their words in both languages: no "1 lignes", no "question(s)"."""

from __future__ import annotations

import pytest

from bot.i18n import CATALOG, t


@pytest.mark.parametrize(
    ("lang", "count", "text"),
    [
        ("fr", 1, "Journal d'audit intact : 1 ligne vérifiée."),
        ("fr", 0, "Journal d'audit intact : 0 ligne vérifiée."),
        ("fr", 12, "Journal d'audit intact : 12 lignes vérifiées."),
        ("en", 1, "Audit log intact: 1 row checked."),
        ("en", 0, "Audit log intact: 0 rows checked."),
        ("en", 12, "Audit log intact: 12 rows checked."),
    ],
)
def test_a_count_takes_the_singular_its_language_gives_it(lang: str, count: int, text: str) -> None:
    assert t("audit_ok", lang, count=count) == text


def test_new_questions_of_a_retriage_agree_with_their_count() -> None:
    assert t("retriage_more", "fr", count=1) == "Vos changements ouvrent 1 nouvelle question."
    assert t("retriage_more", "en", count=2) == "Your changes open 2 new questions."


def test_every_singular_form_has_its_plural() -> None:
    for key in CATALOG:
        if key.endswith("_one"):
            assert key.removesuffix("_one") in CATALOG
            assert "{count}" in CATALOG[key.removesuffix("_one")]["fr"]


def test_a_one_day_reminder_and_a_one_triage_erasure_say_it_in_the_singular() -> None:
    reminder = t("review_reminder", "fr", project="P", id="x", count=1)
    assert reminder.endswith("depuis 1 jour.")
    assert "has waited 1 day for" in t("review_reminder", "en", project="P", id="x", count=1)
    assert "3 days" in t("review_reminder", "en", project="P", id="x", count=3)
    assert "1 analyse n'est plus reliée" in t("privacy_erased", "fr", member="m", count=1)
