"""The settings' schema in pydantic, for the values `bot.settings` does not read itself.

`bot.settings` reads the usual values (a language, a path, a number written plainly) without
pydantic, whose model machinery costs a terminal triage about 100 ms of CPU to import
(bench/startup.py); anything else (a value to coerce, a malformed one, a signing key to load)
is validated here, so that pydantic's coercions and its report stay the rule.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.settings import SettingValueError, default_data_dir


class SettingsSchema(BaseModel):
    model_config = ConfigDict(extra="ignore", validate_default=True)

    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default: a SQLite file in the data directory"
    )
    data_dir: Path = Field(default_factory=default_data_dir)
    directory_file: Path | None = Field(
        default=None, description="YAML directory of departments; default: the bundled sample"
    )
    lang: Literal["fr", "en"] = "fr"
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

    @field_validator("admins")
    @classmethod
    def _admins(cls, value: str) -> str:
        """A first admin who could never act (a typo, no platform, one Boussole does not
        serve) would leave a deployment without one, silently: start-up stops, naming them."""
        from bot.members import grantable

        for member in filter(None, (part.strip() for part in value.split(","))):
            if not grantable(member):
                raise SettingValueError("setting_admins", member=member)
        return value

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
