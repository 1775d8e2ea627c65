"""Settings from the environment (prefix BOUSSOLE_) and an optional `.env` file.

A missing or malformed setting must stop a command with one line naming it, so settings are
read once, at start-up, through `load_settings`, which turns pydantic's report into that line.

The variables are read here rather than by pydantic-settings, whose import cost every command
80 ms of CPU (bench/startup.py), with its rules for these settings: names in any case, the
environment over `.env` in the working directory, arguments over both. Values written plainly
are read without pydantic either (its models cost a terminal triage 100 ms more); any other
is left to its schema (bot.settings_schema), so that its coercions and report are unchanged.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

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


def default_data_dir() -> Path:
    """The platform's data directory; platformdirs is imported only when it is needed."""
    from platformdirs import user_data_path

    return user_data_path("boussole", appauthor=False)


class _NotPlain(Exception):
    """A value this module does not read itself: pydantic (bot.settings_schema) decides."""


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _NotPlain
    return value


def _members(value: Any) -> str:
    """Every member of BOUSSOLE_ADMINS named as the admin commands accept one; any other value
    is left to the schema, which names the first that is not."""
    from bot.members import grantable

    if not isinstance(value, str):
        raise _NotPlain
    if not all(map(grantable, filter(None, (part.strip() for part in value.split(","))))):
        raise _NotPlain
    return value


def _path(value: Any) -> Path:
    if isinstance(value, Path):
        return value
    if isinstance(value, str) and value:
        return Path(value)
    raise _NotPlain


def _one_of(*allowed: str) -> Callable[[Any], str]:
    def read(value: Any) -> str:
        if value not in allowed:
            raise _NotPlain
        return str(value)

    return read


_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and (value in _TRUE or value in _FALSE):
        return value in _TRUE
    raise _NotPlain


def _count(value: Any) -> int:
    """A whole number of at least 1, as an int or written plainly (`45`)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    plain = isinstance(value, str) and value.isascii() and value.isdigit()
    if plain and value[0] != "0" and len(value) <= 18:
        return int(value)
    raise _NotPlain


def _optional(read: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else read(value)


def _absent(value: Any) -> None:
    """A signing key is loaded and checked by the schema's validator, never read here."""
    if value is not None:
        raise _NotPlain


_READERS: dict[str, Callable[[Any], Any]] = {
    "database_url": _optional(_text),
    "data_dir": _path,
    "directory_file": _optional(_path),
    "lang": _one_of("fr", "en"),
    "admins": _members,
    "sqlite_synchronous": _one_of("NORMAL", "FULL"),
    "log_format": _one_of("text", "json"),
    "access_log": _flag,
    "outbox_lease_seconds": _count,
    "review_reminder_days": _count,
    "retention_days": _optional(_count),
    "audit_key_file": _absent,
    "audit_checkpoint_file": _optional(_path),
    "audit_checkpoint_minutes": _count,
}
"""How each setting is read when written plainly; the fields of bot.settings_schema."""

_DEFAULTS: dict[str, Any] = {
    "database_url": None,
    "directory_file": None,
    "lang": "fr",
    "admins": "",
    "sqlite_synchronous": "NORMAL",
    "log_format": "text",
    "access_log": False,
    "outbox_lease_seconds": 120,
    "review_reminder_days": 3,
    "retention_days": None,
    "audit_key_file": None,
    "audit_checkpoint_file": None,
    "audit_checkpoint_minutes": 15,
}
"""The schema's defaults, but `data_dir`'s, which depends on the platform."""


class Settings:
    """The settings: `BOUSSOLE_*` from `.env`, the environment over them, arguments over both.

    Values written plainly are read here; any other goes through pydantic (bot.settings_schema),
    which coerces it or raises its ValidationError, as when pydantic read every value."""

    database_url: str | None
    data_dir: Path
    directory_file: Path | None
    lang: Lang
    admins: str
    sqlite_synchronous: Literal["NORMAL", "FULL"]
    log_format: Literal["text", "json"]
    access_log: bool
    outbox_lease_seconds: int
    review_reminder_days: int
    retention_days: int | None
    audit_key_file: Path | None
    audit_checkpoint_file: Path | None
    audit_checkpoint_minutes: int

    def __init__(self, **values: Any) -> None:
        given = _from_environment() | values
        try:
            read = {name: _READERS[name](value) for name, value in given.items()}
        except (_NotPlain, KeyError):
            from bot.settings_schema import SettingsSchema

            read = SettingsSchema(**given).model_dump()
        if "data_dir" not in read:
            read["data_dir"] = default_data_dir()
        self.__dict__.update(_DEFAULTS | read)

    def model_dump(self) -> dict[str, Any]:
        """Every setting by name, as pydantic's models give them."""
        return {name: self.__dict__[name] for name in _READERS}

    def model_copy(self, update: Mapping[str, Any] | None = None) -> Settings:
        """A copy with some values replaced, unchecked, as pydantic's `model_copy` does."""
        copy = object.__new__(Settings)
        copy.__dict__.update(self.__dict__ | dict(update or {}))
        return copy

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Settings) and self.model_dump() == other.model_dump()

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.model_dump().items())
        return f"Settings({shown})"

    def admin_members(self) -> list[str]:
        return [m.strip() for m in self.admins.split(",") if m.strip()]

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
    fields = _READERS
    ours = {}
    for name, value in variables.items():
        field = name.lower().removeprefix(PREFIX)
        if name.lower().startswith(PREFIX) and field in fields and value is not None:
            ours[field] = value
    return ours


def load_settings() -> Settings:
    try:
        return Settings()
    except ValueError as error:
        from pydantic import ValidationError  # loaded already: only pydantic's schema raises it

        if not isinstance(error, ValidationError):
            raise
        first = error.errors()[0]
        raise settings_error("BOUSSOLE_" + str(first["loc"][0]).upper(), first) from None
