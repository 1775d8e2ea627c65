"""storage.models declares, with SQLAlchemy Core, exactly the schema its ORM classes declared.

`schema.json` was written from the declarative classes before they became `Table`s; each
table's columns (type as each dialect writes it, nullability, key, defaults, foreign keys),
indexes and constraints are compared with it, so that Alembic's target and every query's
columns are the same as before. The ORM itself is never imported by the models.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData
from sqlalchemy.dialects import postgresql, sqlite

from storage.models import Base
from tests.e2e.helpers import REPO

SNAPSHOT = Path(__file__).with_name("schema.json")
IMPORT_MODELS = "import sys, storage.models; print('sqlalchemy.orm' in sys.modules)"


def _default(column: Any) -> Any:
    default = column.default
    return None if default is None else repr(default.arg)


def describe(metadata: MetaData) -> dict[str, Any]:
    """Every fact about the tables that a migration or a query depends on, as plain data."""
    tables: dict[str, Any] = {}
    for table in metadata.sorted_tables:
        tables[table.name] = {
            "columns": [
                {
                    "name": column.name,
                    "sqlite": column.type.compile(dialect=sqlite.dialect()),
                    "postgresql": column.type.compile(dialect=postgresql.dialect()),
                    "python": type(column.type).__name__,
                    "nullable": column.nullable,
                    "primary_key": column.primary_key,
                    "autoincrement": str(column.autoincrement),
                    "default": _default(column),
                    "index": column.index,
                    "unique": column.unique,
                    "foreign_keys": sorted(
                        f"{key.target_fullname} ondelete={key.ondelete}"
                        for key in column.foreign_keys
                    ),
                }
                for column in table.columns
            ],
            "indexes": sorted(
                [index.name, [c.name for c in index.columns], bool(index.unique)]
                for index in table.indexes
            ),
            "constraints": sorted(
                [type(constraint).__name__, str(constraint.name), sorted(constraint.columns.keys())]
                for constraint in table.constraints
            ),
        }
    return tables


def test_the_tables_are_those_the_orm_classes_declared() -> None:
    assert describe(Base.metadata) == json.loads(SNAPSHOT.read_text())


def test_the_models_do_not_import_the_orm() -> None:
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_MODELS],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.strip() == "False", done.stderr
