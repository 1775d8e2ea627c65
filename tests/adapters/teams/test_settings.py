"""Which settings Teams needs, read from the environment without importing the SDK."""

from __future__ import annotations

import subprocess
import sys

import pytest

from adapters.teams.settings import TeamsSettings, load_teams_settings, missing_setting
from bot.settings import SettingsError
from tests.e2e.helpers import REPO

FULL = {
    "MicrosoftAppId": "app",
    "MicrosoftAppPassword": "secret",
    "MicrosoftAppTenantId": "tenant",
}


@pytest.mark.parametrize(
    ("environ", "missing"),
    [
        ({}, "MicrosoftAppId"),
        ({"MicrosoftAppId": " "}, "MicrosoftAppId"),
        ({"MicrosoftAppId": "app"}, "MicrosoftAppPassword"),
        ({"MicrosoftAppId": "app", "MicrosoftAppPassword": "s"}, "MicrosoftAppTenantId"),
        (FULL, None),
        ({**FULL, "MicrosoftAppType": "SingleTenant"}, None),
        (
            {"MicrosoftAppId": "a", "MicrosoftAppPassword": "s", "MicrosoftAppType": "MultiTenant"},
            None,
        ),
        (
            {
                "MicrosoftAppId": "a",
                "MicrosoftAppTenantId": "t",
                "MicrosoftAppType": "UserAssignedMSI",
            },
            None,
        ),
        ({"BOUSSOLE_TEAMS_AUTH": "off", "BOUSSOLE_ENV": "development"}, None),
        ({"BOUSSOLE_TEAMS_AUTH": "OFF", "BOUSSOLE_ENV": " Development "}, None),
        ({"BOUSSOLE_TEAMS_AUTH": "on"}, "MicrosoftAppId"),
    ],
)
def test_the_first_missing_setting_is_named(environ: dict[str, str], missing: str | None) -> None:
    assert missing_setting(environ) == missing


@pytest.mark.parametrize(
    ("environ", "name"),
    [
        ({"BOUSSOLE_TEAMS_AUTH": "off", "BOUSSOLE_ENV": "production"}, "BOUSSOLE_TEAMS_AUTH"),
        ({"BOUSSOLE_TEAMS_AUTH": "off", "BOUSSOLE_ENV": " Production "}, "BOUSSOLE_TEAMS_AUTH"),
        ({"BOUSSOLE_TEAMS_AUTH": "off"}, "BOUSSOLE_TEAMS_AUTH"),
        ({"BOUSSOLE_TEAMS_AUTH": "off", "BOUSSOLE_ENV": "prod"}, "BOUSSOLE_TEAMS_AUTH"),
        ({"BOUSSOLE_TEAMS_AUTH": "off", "BOUSSOLE_ENV": "dev"}, "BOUSSOLE_TEAMS_AUTH"),
        ({"BOUSSOLE_TEAMS_AUTH": "maybe"}, "BOUSSOLE_TEAMS_AUTH"),
        ({**FULL, "MicrosoftAppType": "Guest"}, "MicrosoftAppType"),
        (
            {**FULL, "BOUSSOLE_TEAMS_SERVICE_URLS": "relay.example.fr"},
            "BOUSSOLE_TEAMS_SERVICE_URLS",
        ),
        (
            {
                "BOUSSOLE_TEAMS_AUTH": "off",
                "BOUSSOLE_ENV": "development",
                "BOUSSOLE_TEAMS_SERVICE_URLS": "https://relay.example.fr/api",
            },
            "BOUSSOLE_TEAMS_SERVICE_URLS",
        ),
    ],
)
def test_a_refused_or_malformed_setting_is_an_error_naming_it(
    environ: dict[str, str], name: str
) -> None:
    with pytest.raises(SettingsError) as raised:
        missing_setting(environ)
    assert raised.value.name == name
    if name == "BOUSSOLE_TEAMS_AUTH" and environ.get("BOUSSOLE_TEAMS_AUTH") == "off":
        assert "local development only" in raised.value.detail
        assert "BOUSSOLE_ENV=development" in raised.value.detail


def test_authentication_off_passes_no_app_id_to_the_sdk(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in FULL.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("BOUSSOLE_TEAMS_AUTH", "off")
    monkeypatch.setenv("BOUSSOLE_ENV", "development")
    settings = load_teams_settings()
    assert not settings.auth_enabled and settings.bot_app_id == ""
    assert settings.sdk_configuration().APP_ID == ""


def test_single_tenant_settings_reach_the_sdk_with_public_cloud_endpoints() -> None:
    settings = TeamsSettings(
        app_id="app", app_password="s", app_tenant_id="tenant", openid_metadata_url="http://x/"
    )
    config = settings.sdk_configuration()
    assert (config.APP_ID, config.APP_TYPE, config.APP_TENANTID) == (
        "app",
        "SingleTenant",
        "tenant",
    )
    assert config.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL == "http://x/"
    assert config.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER == "https://api.botframework.com"
    assert config.TO_CHANNEL_FROM_BOT_LOGIN_URL == "https://login.microsoftonline.com/tenant"
    plain = TeamsSettings(app_id="app", app_password="s", app_tenant_id="tenant")
    assert not hasattr(plain.sdk_configuration(), "TO_BOT_FROM_CHANNEL_TOKEN_ISSUER")


def test_choosing_teams_imports_no_bot_framework_module() -> None:
    code = (
        "import sys\n"
        "from adapters.server import load_platform\n"
        "platform = load_platform('teams')\n"
        "platform.missing_setting(None)\n"
        "print(sorted(m for m in sys.modules if m.startswith(('botbuilder', 'botframework'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_settings_are_read_from_the_mapping_given_without_pydantic_settings() -> None:
    """Validated from exactly what `missing_setting` saw, by a plain pydantic model: nothing
    else of the environment fills a gap, and pydantic-settings is not imported for it."""
    code = (
        "import os, sys\n"
        "from adapters.teams.settings import load_teams_settings\n"
        "os.environ['MicrosoftAppTenantId'] = 'from-the-process'\n"
        "given = {'MicrosoftAppId': 'app', 'MicrosoftAppPassword': 's',\n"
        "         'MicrosoftAppType': 'MultiTenant', 'Unrelated': 'x'}\n"
        "settings = load_teams_settings(given)\n"
        "print(settings.app_id, settings.app_type, repr(settings.app_tenant_id))\n"
        "print('pydantic_settings' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["app MultiTenant ''", "False"]
