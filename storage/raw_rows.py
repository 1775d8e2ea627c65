"""Rows read with their converted columns (JSON, times) taken as the driver gives them, then
converted one row at a time.

SQLite gives back whatever text was written into a JSON or a date column; the column types'
conversion then fails inside the driver's iteration, for the whole result, before anyone
knows which row it was. Read this way, the row that cannot be converted is known by its id,
and the others are still read: a verification can name it, a queue can set it aside.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, Table, select, type_coerce
from sqlalchemy.types import JSON, DateTime, NullType


def raw_select(table: Table) -> Select[Any]:
    """Every column of `table`, its JSON and date columns unconverted."""
    return select(
        *(
            type_coerce(column, NullType()).label(column.name)
            if _converted(column.type)
            else column
            for column in table.c
        )
    )


def _converted(kind: Any) -> bool:
    return isinstance(kind, JSON | DateTime)


def converted_rows(
    connection: Connection, table: Table, query: Select[Any], batch: int | None = None
) -> Iterator[tuple[dict[str, Any], bool]]:
    """Each row of a query on `raw_select(table)` as its values and whether they could all be
    converted as the column types would (fetched `batch` at a time when given)."""
    dialect = connection.dialect
    processors = {
        column.name: column.type.dialect_impl(dialect).result_processor(dialect, None)
        for column in table.c
        if _converted(column.type)
    }
    required = {
        column.name
        for column in table.c
        if isinstance(column.type, DateTime) and not column.nullable
    }
    options = {"yield_per": batch} if batch else {}
    for row in connection.execute(query, execution_options=options):
        values = dict(row._mapping)
        try:
            for name, processor in processors.items():
                if processor is not None:
                    values[name] = processor(values[name])
            readable = all(isinstance(values[name], datetime) for name in required)
        except (ValueError, TypeError):  # not JSON, not a time
            readable = False
        yield values, readable
