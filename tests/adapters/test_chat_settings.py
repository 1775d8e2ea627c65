"""The kit's validation of a chat platform's settings (Teams', Matrix'): from the mapping
`missing_setting` read and nothing else, a missing or malformed one named."""

from __future__ import annotations

import subprocess
import sys

import pytest

from adapters.matrix.settings import HOMESERVER, USER_ID, load_matrix_settings
from adapters.teams.settings import APP_TYPE, load_teams_settings
from bot.settings import SettingsError
from tests.conftest import REPO

MATRIX = {
    HOMESERVER: "https://matrix.example.org",
    USER_ID: "@boussole:example.org",
    "BOUSSOLE_MATRIX_DEVICE_ID": "DEV",
    "BOUSSOLE_MATRIX_ACCESS_TOKEN": "token",
}


def test_matrix_reads_the_mapping_given_and_nothing_else() -> None:
    settings = load_matrix_settings({**MATRIX, "Unrelated": "x"})
    assert settings.homeserver == "https://matrix.example.org"
    assert settings.password == ""
    assert settings.store_key == "boussole:@boussole:example.org:DEV"


def test_a_partial_configuration_names_the_first_setting_missing() -> None:
    with pytest.raises(SettingsError) as raised:
        load_matrix_settings({HOMESERVER: "https://matrix.example.org"})
    assert USER_ID in str(raised.value)


def test_a_malformed_value_names_its_setting() -> None:
    given = {"MicrosoftAppId": "app", "MicrosoftAppPassword": "s", APP_TYPE: "Other"}
    with pytest.raises(SettingsError) as raised:
        load_teams_settings(given)
    assert APP_TYPE in str(raised.value)


def test_matrix_settings_import_no_pydantic_settings() -> None:
    code = (
        "import sys\n"
        "from adapters.matrix.settings import load_matrix_settings\n"
        f"load_matrix_settings({MATRIX!r})\n"
        "print('pydantic_settings' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
