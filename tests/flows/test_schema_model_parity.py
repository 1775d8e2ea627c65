"""The pydantic schemas (flows.schema, bot.directory_schema) validate a file; the plain
dataclasses (flows.model, bot.directory) run it. A field added to one and not the other would
be refused in a file or silently dropped from what runs: both declare the same fields, with
the same defaults."""

from __future__ import annotations

import dataclasses
import inspect
from types import ModuleType
from typing import Any

import pytest
from pydantic import BaseModel

from bot import directory, directory_schema
from flows import model, schema

PAIRS = [(schema, model), (directory_schema, directory)]


def _schemas(module: ModuleType) -> list[type[BaseModel]]:
    return [
        cls
        for name, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, BaseModel) and cls.__module__ == module.__name__ and name[0] != "_"
    ]


def _default(field: dataclasses.Field[Any]) -> Any:
    """The dataclass field's default, or MISSING when the field is required."""
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return field.default


@pytest.mark.parametrize(
    ("checker", "running", "cls"),
    [(c, r, cls) for c, r in PAIRS for cls in _schemas(c)],
    ids=lambda value: getattr(value, "__qualname__", None) or getattr(value, "__name__", ""),
)
def test_each_schema_has_its_dataclass_with_the_same_fields(
    checker: ModuleType, running: ModuleType, cls: type[BaseModel]
) -> None:
    plain = getattr(running, cls.__name__)
    fields = {f.name: f for f in dataclasses.fields(plain)}
    assert set(fields) == set(cls.model_fields)
    for name, declared in cls.model_fields.items():
        default = _default(fields[name])
        if declared.is_required():
            assert default is dataclasses.MISSING, name
        else:
            assert default == declared.get_default(call_default_factory=True), name
