"""Facts about the installation itself (seeded directory, audit log origin), as key and value."""

from __future__ import annotations

from sqlalchemy import delete, insert, select

from storage.base import Repository
from storage.models import Meta

meta = Meta.__table__


class MetaRepository(Repository):
    def meta(self, key: str) -> str | None:
        return self.connection.execute(select(meta.c.value).where(meta.c.key == key)).scalar()

    def set_meta(self, key: str, value: str) -> None:
        self.connection.execute(delete(meta).where(meta.c.key == key))
        self.connection.execute(insert(meta).values(key=key, value=value))
