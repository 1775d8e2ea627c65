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
from typing import Annotated

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from adapters.chat.settings import WEB_ADDRESS, shaped, validated
from bot.settings import SettingsError

HOMESERVER = "BOUSSOLE_MATRIX_HOMESERVER"
USER_ID = "BOUSSOLE_MATRIX_USER_ID"
ACCESS_TOKEN = "BOUSSOLE_MATRIX_ACCESS_TOKEN"
PASSWORD = "BOUSSOLE_MATRIX_PASSWORD"
DEVICE_ID = "BOUSSOLE_MATRIX_DEVICE_ID"
PICKLE_KEY = "BOUSSOLE_MATRIX_PICKLE_KEY"
SERVERS = "BOUSSOLE_MATRIX_SERVERS"
REQUIRED = (HOMESERVER, USER_ID, DEVICE_ID)
USER = re.compile(r"@[^:\s]+:\S+")
"""A Matrix user id: `@localpart:server`, as the specification writes it."""
HOMESERVER_SHAPE = shaped(WEB_ADDRESS, "setting_matrix_homeserver", "https://matrix.example.org")
USER_SHAPE = shaped(USER, "setting_matrix_user_id", "@boussole:example.org")
LISTED = re.compile(r"\s*(?:(?:\*\.)?[A-Za-z0-9.-]+(?::\d+)?\s*(?:,\s*|$))*")
SERVERS_SHAPE = shaped(LISTED, "setting_matrix_servers", "example.org, *.tchap.gouv.fr")


class MatrixSettings(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    homeserver: Annotated[str, HOMESERVER_SHAPE] = Field(validation_alias=AliasChoices(HOMESERVER))
    user_id: Annotated[str, USER_SHAPE] = Field(validation_alias=AliasChoices(USER_ID))
    device_id: str = Field(validation_alias=AliasChoices(DEVICE_ID))
    access_token: str = Field(default="", validation_alias=AliasChoices(ACCESS_TOKEN))
    password: str = Field(default="", validation_alias=AliasChoices(PASSWORD))
    pickle_key: str = Field(default="", validation_alias=AliasChoices(PICKLE_KEY))
    """Encrypts the Olm account and sessions kept in the database. Unset, it is derived from
    the user and device ids: keys then rest unencrypted in effect, as documented."""

    servers: Annotated[str, SERVERS_SHAPE] = Field(
        default="", validation_alias=AliasChoices(SERVERS)
    )

    @property
    def served(self) -> tuple[str, ...]:
        """Whose people the bot answers (`example.org`, `*.tchap.gouv.fr`): those listed, else
        its own server's. Matrix federates: any account on the network could invite it."""
        listed = tuple(name.strip().lower() for name in self.servers.split(",") if name.strip())
        return listed or (self.user_id.partition(":")[2].lower(),)

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
