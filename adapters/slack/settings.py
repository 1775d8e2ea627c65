"""Slack settings, read from the environment under the platform's usual names.

Kept apart from `bot.settings` so that the core never learns Slack's variable names, and
free of any Slack SDK import so that `boussole serve` can tell what is missing without
paying for slack-bolt.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from adapters.chat.settings import validated
from bot.settings import SettingValueError

BOT_TOKEN = "SLACK_BOT_TOKEN"
SIGNING_SECRET = "SLACK_SIGNING_SECRET"
APP_TOKEN = "SLACK_APP_TOKEN"
API_URL = "BOUSSOLE_SLACK_API_URL"
COMMAND = "BOUSSOLE_SLACK_COMMAND"
DEFAULT_API_URL = "https://slack.com/api/"


def required(socket_mode: bool) -> tuple[str, ...]:
    """HTTP mode verifies signatures; Socket Mode authenticates the socket with the app
    token instead, so each needs a different second secret."""
    return (BOT_TOKEN, APP_TOKEN) if socket_mode else (BOT_TOKEN, SIGNING_SECRET)


TOKEN_PREFIXES = {
    "bot_token": ("xoxb-", "setting_slack_bot_token"),
    "app_token": ("xapp-", "setting_slack_app_token"),
}
"""Each token's prefix, and the catalog entry that says where to find the right one."""


class SlackSettings(BaseModel):
    """Built from the mapping `load_slack_settings` is given and nothing else (a settings
    class would fill the gaps from the process environment): `missing_setting` must see
    exactly what the platform will see."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    bot_token: str = Field(default="", validation_alias=AliasChoices(BOT_TOKEN))
    signing_secret: str = Field(default="", validation_alias=AliasChoices(SIGNING_SECRET))
    app_token: str = Field(default="", validation_alias=AliasChoices(APP_TOKEN))
    api_url: str = Field(default=DEFAULT_API_URL, validation_alias=AliasChoices(API_URL))
    command: str = Field(default="/boussole", validation_alias=AliasChoices(COMMAND))

    @field_validator("bot_token", "app_token")
    @classmethod
    def _token(cls, value: str, info: ValidationInfo) -> str:
        value = value.strip()
        prefix, hint = TOKEN_PREFIXES[str(info.field_name)]
        if value and not value.startswith(prefix):
            raise SettingValueError(hint)
        return value

    @field_validator("api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        value = value.strip() or DEFAULT_API_URL
        if not value.startswith(("http://", "https://")):
            raise SettingValueError("setting_slack_api_url", example=DEFAULT_API_URL)
        return value if value.endswith("/") else value + "/"

    @field_validator("command")
    @classmethod
    def _command(cls, value: str) -> str:
        value = value.strip()
        if not value.startswith("/") or " " in value:
            raise SettingValueError("setting_slack_command")
        return value


_FIELDS = {
    BOT_TOKEN: "bot_token",
    SIGNING_SECRET: "signing_secret",
    APP_TOKEN: "app_token",
    API_URL: "api_url",
    COMMAND: "command",
}


def load_slack_settings(environ: Mapping[str, str] | None = None) -> SlackSettings:
    """The settings, or SettingsError naming the malformed variable."""
    source = os.environ if environ is None else environ
    return validated(
        SlackSettings, {name: source[name] for name in _FIELDS if name in source}, None
    )


def missing_setting(socket_mode: bool, environ: Mapping[str, str] | None = None) -> str | None:
    """The first variable that must be set and is not; SettingsError when one is malformed."""
    settings = load_slack_settings(environ)
    for name in required(socket_mode):
        if not getattr(settings, _FIELDS[name]):
            return name
    return None
