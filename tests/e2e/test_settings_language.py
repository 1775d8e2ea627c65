"""A wrong setting is explained in the reader's language, not in pydantic's English."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import boussole

MISTAKES = [
    ("BOUSSOLE_LANG", "de", "attendu 'fr' ou 'en'", "expected 'fr' or 'en'"),
    ("BOUSSOLE_REVIEW_REMINDER_DAYS", "0", "au moins 1", "at least 1"),
    ("BOUSSOLE_REVIEW_REMINDER_DAYS", "deux", "un nombre entier", "a whole number"),
    ("BOUSSOLE_ACCESS_LOG", "peut-être", "attendu true ou false", "expected true or false"),
]


@pytest.mark.parametrize(("name", "value", "fr", "en"), MISTAKES)
def test_a_wrong_setting_is_named_and_explained_in_both_languages(
    cli_env: dict[str, str], name: str, value: str, fr: str, en: str
) -> None:
    env = {**cli_env, name: value}
    french = boussole("list", "--lang", "fr", env=env)
    english = boussole("list", "--lang", "en", env=env)
    assert french.returncode == english.returncode == 2
    assert f"Réglage {name} invalide : {fr}" in french.stderr
    assert f"Invalid setting {name}: {en}" in english.stderr
    assert "Input should" not in french.stderr + english.stderr
