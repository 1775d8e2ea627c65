"""Matrix settings, read from the process environment only (as Teams'): `missing_setting`
must answer before mautrix is imported, and both must agree on what is set (the chat kit's
`adapters.chat.settings.validated`).

None of the four set: Matrix is not used. Some set: a mistake, named (an instance that
silently skips the platform its operator meant to start would look healthy and answer nobody).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator

from adapters.chat.settings import validated
from bot.settings import SettingsError, SettingValueError

HOMESERVER = "BOUSSOLE_MATRIX_HOMESERVER"
USER_ID = "BOUSSOLE_MATRIX_USER_ID"
ACCESS_TOKEN = "BOUSSOLE_MATRIX_ACCESS_TOKEN"
PASSWORD = "BOUSSOLE_MATRIX_PASSWORD"
DEVICE_ID = "BOUSSOLE_MATRIX_DEVICE_ID"
PICKLE_KEY = "BOUSSOLE_MATRIX_PICKLE_KEY"
REQUIRED = (HOMESERVER, USER_ID, DEVICE_ID)
USER = re.compile(r"@[^:\s]+:\S+")
"""A Matrix user id: `@localpart:server`, as the specification writes it."""
EXAMPLE_HOMESERVER = "https://matrix.example.org"
EXAMPLE_USER = "@boussole:example.org"


class MatrixSettings(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    homeserver: str = Field(validation_alias=AliasChoices(HOMESERVER))
    user_id: str = Field(validation_alias=AliasChoices(USER_ID))
    device_id: str = Field(validation_alias=AliasChoices(DEVICE_ID))
    access_token: str = Field(default="", validation_alias=AliasChoices(ACCESS_TOKEN))
    password: str = Field(default="", validation_alias=AliasChoices(PASSWORD))
    pickle_key: str = Field(default="", validation_alias=AliasChoices(PICKLE_KEY))
    """Encrypts the Olm account and sessions kept in the database. Unset, it is derived from
    the user and device ids: keys then rest unencrypted in effect, as documented."""

    @field_validator("homeserver")
    @classmethod
    def _homeserver(cls, value: str) -> str:
        value = value.strip()
        if not value.startswith(("https://", "http://")) or not value.partition("://")[2]:
            raise SettingValueError("setting_matrix_homeserver", example=EXAMPLE_HOMESERVER)
        return value

    @field_validator("user_id")
    @classmethod
    def _user_id(cls, value: str) -> str:
        """mautrix would refuse it later, as an internal error with the database open."""
        value = value.strip()
        if not USER.fullmatch(value):
            raise SettingValueError("setting_matrix_user_id", example=EXAMPLE_USER)
        return value

    @property
    def store_key(self) -> str:
        return self.pickle_key or f"boussole:{self.user_id}:{self.device_id}"


def missing_setting(environ: Mapping[str, str] | None = None) -> str | None:
    """The first setting Matrix needs when none is set (Matrix unused), None when complete;
    raises SettingsError naming the first one missing when the configuration is partial."""
    env = os.environ if environ is None else environ
    given = [name for name in (*REQUIRED, ACCESS_TOKEN, PASSWORD) if env.get(name, "").strip()]
    if not given:
        return HOMESERVER
    for name in REQUIRED:
        if not env.get(name, "").strip():
            raise SettingsError(name, "missing", "missing")
    if not env.get(ACCESS_TOKEN, "").strip() and not env.get(PASSWORD, "").strip():
        raise SettingsError(ACCESS_TOKEN, "missing", "missing")
    validated(MatrixSettings, env, None)
    return None


def load_matrix_settings(environ: Mapping[str, str] | None = None) -> MatrixSettings:
    env = os.environ if environ is None else environ
    return validated(MatrixSettings, env, missing_setting(env))
