"""Settings from the environment (prefix BOUSSOLE_) and an optional `.env` file.

A missing or malformed setting must stop a command with one line naming it, so settings are
read once, at start-up, through `load_settings`, which turns pydantic's report into that line.

The variables are read here rather than by pydantic-settings, whose import cost every command
80 ms of CPU (bench/startup.py), with its rules for these settings: names in any case, the
environment over `.env` in the working directory, arguments over both.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from platformdirs import user_data_path
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

Lang = Literal["fr", "en"]


class SettingsError(Exception):
    """Names the setting and what is wrong, for one line in the reader's language."""

    def __init__(
        self,
        name: str,
        detail: str,
        kind: str = "",
        ctx: dict[str, Any] | None = None,
        key: str = "",
    ) -> None:
        super().__init__(f"{name}: {detail}")
        self.name = name
        self.detail = detail
        self.kind = kind
        self.ctx = ctx or {}
        self.key = key or f"setting_{kind}"
        """The catalog entry that says it; pydantic's kinds of mistake map to `setting_KIND`."""

    def explained(self, lang: str) -> str:
        """What is wrong in `lang`: pydantic writes its messages in English only, so the usual
        kinds of mistake are said again from the catalog; others keep pydantic's words. The
        line that quotes it ends the sentence, hence no final full stop."""
        from bot.i18n import CATALOG, t

        if self.key not in CATALOG:
            return self.detail
        params = {k: str(v) for k, v in self.ctx.items()}
        if "expected" in params:
            params["expected"] = params["expected"].replace(" or ", t("setting_or", lang))
        return t(self.key, lang, **params).removesuffix(".")


class SettingValueError(ValueError):
    """A validator's refusal as a catalog entry, so that it can be said in the reader's
    language; its English text is what pydantic and the logs carry."""

    def __init__(self, key: str, **params: Any) -> None:
        from bot.i18n import t

        super().__init__(t(key, "en", **params))
        self.key = key
        self.params = params


def settings_error(name: str, item: Mapping[str, Any]) -> SettingsError:
    """The SettingsError for one of pydantic's error items about the setting `name`."""
    ctx = item.get("ctx") or {}
    error = ctx.get("error")
    if isinstance(error, SettingValueError):
        return SettingsError(name, str(error), key=error.key, ctx=error.params)
    return SettingsError(name, item["msg"], item["type"], ctx)


PREFIX = "boussole_"
ENV_FILE = Path(".env")


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore", validate_default=True)

    def __init__(self, **values: Any) -> None:
        super().__init__(**(_from_environment() | values))

    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default: a SQLite file in the data directory"
    )
    data_dir: Path = Field(default_factory=lambda: user_data_path("boussole", appauthor=False))
    directory_file: Path | None = Field(
        default=None, description="YAML directory of departments; default: the bundled sample"
    )
    lang: Lang = "fr"
    admins: str = Field(
        default="", description="comma-separated platform:user_id of the first admins"
    )
    sqlite_synchronous: Literal["NORMAL", "FULL"] = "NORMAL"
    log_format: Literal["text", "json"] = "text"
    access_log: bool = Field(
        default=False,
        description="one log line per HTTP request; off by default: the reverse proxy keeps "
        "them, and each line costs about 3% of a Slack turn's CPU",
    )
    outbox_lease_seconds: int = Field(
        default=120, ge=1, description="how long a claimed notification waits before a retry"
    )
    review_reminder_days: int = Field(default=3, ge=1)
    retention_days: int | None = Field(
        default=None, ge=1, description="finished triages are pseudonymised after this delay"
    )
    audit_key_file: Path | None = Field(
        default=None,
        description="Ed25519 private key (PEM) that signs audit checkpoints; keep it out of "
        "the database and its backups (boussole audit keygen makes one)",
    )
    audit_checkpoint_file: Path | None = Field(
        default=None, description="file that every signed audit checkpoint is appended to"
    )
    audit_checkpoint_minutes: int = Field(
        default=15, ge=1, description="how often serve and worker sign a checkpoint of new rows"
    )

    @field_validator("audit_key_file")
    @classmethod
    def _signing_key(cls, path: Path | None) -> Path | None:
        """A key that cannot sign must stop start-up, not fail every checkpoint later."""
        if path is not None:
            from bot.checkpoints import AuditKeyError, load_private_key

            try:
                load_private_key(path)
            except AuditKeyError as error:
                key = f"audit_key_{error.problem}"
                raise SettingValueError(key, path=path, detail=error.detail) from None
        return path

    def admin_members(self) -> list[str]:
        return [m.strip() for m in self.admins.split(",") if ":" in m.strip()]

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'boussole.db'}"


def _from_environment() -> dict[str, str]:
    """BOUSSOLE_* from `.env`, then from the environment over them, names in any case."""
    found: dict[str, str] = {}
    if ENV_FILE.is_file() or ENV_FILE.is_fifo():
        from dotenv import dotenv_values

        found |= _ours(dotenv_values(ENV_FILE, encoding=None))
    return found | _ours(os.environ)


def _ours(variables: Mapping[str, str | None]) -> dict[str, str]:
    fields = Settings.model_fields
    ours = {}
    for name, value in variables.items():
        field = name.lower().removeprefix(PREFIX)
        if name.lower().startswith(PREFIX) and field in fields and value is not None:
            ours[field] = value
    return ours


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        first = error.errors()[0]
        raise settings_error("BOUSSOLE_" + str(first["loc"][0]).upper(), first) from None
