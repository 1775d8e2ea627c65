"""Every row of every table, as a person with a database dump would see it: what the tests
of forged requests compare before and after, and what the privacy tests search."""

from __future__ import annotations

from sqlalchemy import Engine, select

from storage.models import Base


def dump(engine: Engine) -> dict[str, list[tuple]]:
    with engine.connect() as connection:
        return {
            table.name: sorted((tuple(row) for row in connection.execute(select(table))), key=repr)
            for table in Base.metadata.sorted_tables
        }
