"""Wiring: settings to database, schema, flow catalog, directory and engine.

Every entry point (the command line, the server) opens the application here, so that the
schema upgrade and the recording of the bundled flow happen in one place, on first use.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.directory import (
    SEEDED,
    Directory,
    DirectoryCache,
    load_directory,
    menu_overflow,
    seed_directory,
)
from bot.engine import Engine
from bot.settings import Settings
from bot.versions import FlowCatalog
from storage.database import DatabaseError, ensure_schema, make_engine
from storage.repository import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class App:
    settings: Settings
    store: Store
    catalog: FlowCatalog
    directories: DirectoryCache
    engine: Engine

    @property
    def directory(self) -> Directory:
        return self.directories.get()

    def close(self) -> None:
        self.store.close()


def open_app(settings: Settings) -> App:
    """Raises DatabaseError (with the URL, password hidden) or FlowError (directory file)."""
    url = settings.resolved_database_url()
    try:
        database = make_engine(url, settings.sqlite_synchronous)
        ensure_schema(database)
        store = Store(database)
        catalog = FlowCatalog(store)
        catalog.ensure_bundled()
        _seed(store, settings)
    except (SQLAlchemyError, OSError) as error:
        safe_url = make_url(url).render_as_string(hide_password=True)
        detail = " ".join(str(getattr(error, "orig", None) or error).split())
        raise DatabaseError(safe_url, detail) from None
    directories = DirectoryCache(store)
    return App(settings, store, catalog, directories, Engine(store, catalog, directories))


def _seed(store: Store, settings: Settings) -> None:
    """A new database takes the directory file; admins named in BOUSSOLE_ADMINS are added
    on every start, so that a deployment can always bootstrap its first admin."""
    with store.reading() as tx:
        seeded = tx.meta(SEEDED) is not None
        known = set(tx.admins())
    missing = [a for a in settings.admin_members() if a not in known]
    if seeded and not missing:
        return
    directory = None if seeded else load_directory(settings.directory_file)
    with store.transaction() as tx:
        if directory is not None and tx.meta(SEEDED) is None:
            seed_directory(tx, directory)
            warning = menu_overflow(tx, settings.lang)
            if warning:
                log.warning(warning)
        for member in missing:
            tx.add_admin(member)
