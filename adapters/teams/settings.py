"""Teams settings: the Bot Framework's usual names, plus two of ours for local development.

Read from the process environment only (no `.env`): `missing_setting` must answer before
anything else is loaded, without importing the SDK, and both must agree on what is set (the
chat kit's `adapters.chat.settings.validated`, as Matrix's).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from adapters.chat.settings import validated
from adapters.teams.service_urls import SERVICE_URLS, origin
from bot.i18n import t
from bot.settings import SettingsError, SettingValueError

AppType = Literal["SingleTenant", "MultiTenant", "UserAssignedMSI"]
APP_TYPES: tuple[str, ...] = ("SingleTenant", "MultiTenant", "UserAssignedMSI")

APP_ID = "MicrosoftAppId"
APP_PASSWORD = "MicrosoftAppPassword"
APP_TENANT_ID = "MicrosoftAppTenantId"
APP_TYPE = "MicrosoftAppType"
AUTH = "BOUSSOLE_TEAMS_AUTH"
TENANTS = "BOUSSOLE_TEAMS_TENANTS"
ENV = "BOUSSOLE_ENV"
DEVELOPMENT = "development"
"""The one value of BOUSSOLE_ENV under which Teams authentication may be switched off."""

# Where the SDK fetches signing keys and tokens. Unset in the public cloud; a sovereign cloud,
# or a test with locally served keys, sets them (the Bot Framework's own names).
OPENID_METADATA_URL = "ToBotFromChannelOpenIdMetadataUrl"
TOKEN_ISSUER = "ToBotFromChannelTokenIssuer"
LOGIN_URL = "ToChannelFromBotLoginUrl"
OAUTH_SCOPE = "ToChannelFromBotOAuthScope"


class TeamsSettings(BaseModel):
    """Built from the mapping `load_teams_settings` is given and nothing else, so that
    `missing_setting` sees exactly what the platform will see."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    app_id: str = Field(default="", validation_alias=AliasChoices(APP_ID))
    app_password: str = Field(default="", validation_alias=AliasChoices(APP_PASSWORD))
    app_tenant_id: str = Field(default="", validation_alias=AliasChoices(APP_TENANT_ID))
    app_type: AppType = Field(default="SingleTenant", validation_alias=AliasChoices(APP_TYPE))
    auth: Literal["on", "off"] = Field(default="on", validation_alias=AliasChoices(AUTH))
    openid_metadata_url: str = Field(default="", validation_alias=AliasChoices(OPENID_METADATA_URL))
    token_issuer: str = Field(default="", validation_alias=AliasChoices(TOKEN_ISSUER))
    login_url: str = Field(default="", validation_alias=AliasChoices(LOGIN_URL))
    oauth_scope: str = Field(default="", validation_alias=AliasChoices(OAUTH_SCOPE))
    service_urls: frozenset[str] = Field(
        default=frozenset(), validation_alias=AliasChoices(SERVICE_URLS)
    )

    tenants: str = Field(default="", validation_alias=AliasChoices(TENANTS))

    @property
    def served_tenants(self) -> frozenset[str]:
        """Whose activities are answered: the tenants listed, else the app's own tenant;
        any, for a multi-tenant app that lists none."""
        listed = {name.strip().lower() for name in self.tenants.split(",") if name.strip()}
        own = {self.app_tenant_id.strip().lower()} if self.app_tenant_id.strip() else set()
        return frozenset(listed or own)

    @field_validator("service_urls", mode="before")
    @classmethod
    def _origins(cls, value: object) -> object:
        """A comma-separated list of `scheme://host[:port]`, compared as origins."""
        if not isinstance(value, str):
            return value
        found = set()
        for item in filter(None, (part.strip() for part in value.split(","))):
            normal = origin(item)
            if normal is None or urlsplit(item).path.strip("/") or "?" in item or "#" in item:
                raise SettingValueError("setting_teams_service_urls", item=item)
            found.add(normal)
        return frozenset(found)

    @field_validator("auth", "app_type", mode="before")
    @classmethod
    def _trimmed(cls, value: object, info: ValidationInfo) -> object:
        """As `missing_setting` reads them: spaces around either, and `auth` in any case."""
        if not isinstance(value, str):
            return value
        return value.strip().lower() if info.field_name == "auth" else value.strip()

    @property
    def auth_enabled(self) -> bool:
        """Off only on request, for a local client simulator, and only where BOUSSOLE_ENV
        says development (`missing_setting` refuses it anywhere else)."""
        return self.auth == "on"

    @property
    def bot_app_id(self) -> str:
        """The app id outbound calls are made as; none at all when authentication is off."""
        return self.app_id if self.auth_enabled else ""

    def sdk_configuration(self) -> SimpleNamespace:
        """The attribute names botbuilder's `ConfigurationBotFrameworkAuthentication` reads.

        With authentication off, no app id is passed: the SDK then accepts unsigned requests
        and calls the connector without a token, which is what a local simulator expects.
        """
        if not self.auth_enabled:
            return SimpleNamespace(APP_ID="", APP_PASSWORD="", APP_TYPE="MultiTenant")
        values = {
            "APP_ID": self.app_id,
            "APP_PASSWORD": self.app_password,
            "APP_TENANTID": self.app_tenant_id,
            "APP_TYPE": self.app_type,
        }
        if any((self.openid_metadata_url, self.token_issuer, self.login_url, self.oauth_scope)):
            values.update(self._cloud_overrides())
        return SimpleNamespace(**values)

    def _cloud_overrides(self) -> dict[str, str]:
        """Setting any of these switches the SDK to its "parameterized" mode, where every
        endpoint must be given: the unset ones keep their public-cloud values."""
        tenant = self.app_tenant_id if self.app_type == "SingleTenant" else "botframework.com"
        return {
            "TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL": self.openid_metadata_url
            or "https://login.botframework.com/v1/.well-known/openidconfiguration",
            "TO_BOT_FROM_CHANNEL_TOKEN_ISSUER": self.token_issuer or "https://api.botframework.com",
            "TO_CHANNEL_FROM_BOT_LOGIN_URL": self.login_url
            or f"https://login.microsoftonline.com/{tenant}",
            "TO_CHANNEL_FROM_BOT_OAUTH_SCOPE": self.oauth_scope or "https://api.botframework.com",
            "TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL": (
                "https://login.microsoftonline.com/botframework.com/v2.0/"
                ".well-known/openid-configuration"
            ),
            "OAUTH_URL": "https://api.botframework.com",
            "VALIDATE_AUTHORITY": True,
        }


def missing_setting(environ: Mapping[str, str] | None = None) -> str | None:
    """The first setting Teams still needs, or None when it can start.

    Raises SettingsError for a malformed value, and for authentication switched off anywhere
    but an environment declared as development: an unauthenticated endpoint lets anyone post
    as anyone, so it fails closed — an unset, misspelt or `prod` BOUSSOLE_ENV keeps it on.
    """
    env = os.environ if environ is None else environ
    auth = env.get(AUTH, "on").strip().lower()
    if auth not in ("on", "off"):
        raise SettingsError(AUTH, "expected on or off", "literal_error", {"expected": "on or off"})
    if auth == "off":
        if env.get(ENV, "").strip().lower() != DEVELOPMENT:
            params = {"env": ENV, "development": DEVELOPMENT, "app_id": APP_ID}
            detail = t("setting_teams_auth_off", "en", **params)
            raise SettingsError(AUTH, detail, key="setting_teams_auth_off", ctx=params)
        return _malformed(env)
    if not env.get(APP_ID, "").strip():
        return APP_ID
    app_type = env.get(APP_TYPE, "SingleTenant").strip()
    if app_type not in APP_TYPES:
        expected = ", ".join(APP_TYPES[:-1]) + " or " + APP_TYPES[-1]
        raise SettingsError(
            APP_TYPE, f"expected {expected}", "literal_error", {"expected": expected}
        )
    if app_type != "UserAssignedMSI" and not env.get(APP_PASSWORD, "").strip():
        return APP_PASSWORD
    if app_type != "MultiTenant" and not env.get(APP_TENANT_ID, "").strip():
        return APP_TENANT_ID
    return _malformed(env)


def _malformed(env: Mapping[str, str]) -> None:
    """Every value read once the required ones are there: a malformed one (a service URL
    that is not an origin) stops `serve` at start, named, rather than the Teams route."""
    validated(TeamsSettings, env, None)


def load_teams_settings(environ: Mapping[str, str] | None = None) -> TeamsSettings:
    """Settings after `missing_setting` said yes; a malformed one names itself."""
    env = os.environ if environ is None else environ
    return validated(TeamsSettings, env, missing_setting(env))
