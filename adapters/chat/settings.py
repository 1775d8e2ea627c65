"""A chat platform's settings, validated from the mapping its `missing_setting` read (the
process environment unless a test gives another) and nothing else, so that both agree on
what is set; a malformed value names itself as the core's settings do (`bot.settings`). A
plain pydantic model, not pydantic-settings, whose import would cost `serve` about 150 ms
and 1.4 MB resident to read a few variables."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TypeVar

from pydantic import AfterValidator, BaseModel, ValidationError

from bot.settings import SettingsError, SettingValueError, settings_error

Model = TypeVar("Model", bound=BaseModel)
WEB_ADDRESS = re.compile(r"https?://\S+")


def shaped(pattern: re.Pattern[str], key: str, example: str) -> AfterValidator:
    """A setting written in a known shape (a server's address, an account), trimmed; any
    other is refused in the reader's words with an example, before a library refuses it
    later as an internal error."""

    def check(value: str) -> str:
        value = value.strip()
        if not pattern.fullmatch(value):
            raise SettingValueError(key, example=example)
        return value

    return AfterValidator(check)


def validated(model: type[Model], env: Mapping[str, str], missing: str | None) -> Model:
    """`model` from `env`, once `missing` (what `missing_setting` found lacking) is None."""
    if missing:
        raise SettingsError(missing, "missing", "missing")
    try:
        return model.model_validate(dict(env))
    except ValidationError as error:
        first = error.errors()[0]
        raise settings_error(str(first["loc"][0]), first) from None
