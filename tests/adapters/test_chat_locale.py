"""The chat kit's reading of a platform's locale: Teams' activity locale and Slack's profile
locale give a person the same language."""

from __future__ import annotations

import pytest

from adapters.chat.locale import language


@pytest.mark.parametrize(
    ("locale", "lang"),
    [
        ("fr-FR", "fr"),
        ("fr-CA", "fr"),
        ("en-US", "en"),
        ("en-GB", "en"),
        ("en_GB", "en"),
        ("EN-us", "en"),
        ("en", "en"),
        ("de-DE", "fr"),
        ("ja-JP", "fr"),
        ("es-LA", "fr"),
        (None, "fr"),
        ("", "fr"),
    ],
)
def test_the_language_comes_from_the_locale_french_by_default(
    locale: str | None, lang: str
) -> None:
    assert language(locale) == lang
