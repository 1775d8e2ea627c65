"""Wiring: settings to database, schema, flow catalog, directory and engine.

Every entry point (the command line, the server) opens the application here, so that the
schema upgrade and the recording of the bundled flow happen in one place, on first use.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.directory import Directory, load_directory
from bot.engine import Engine
from bot.settings import Settings
from bot.versions import FlowCatalog
from storage.database import DatabaseError, ensure_schema, make_engine
from storage.repository import Store


@dataclass(frozen=True)
class App:
    settings: Settings
    store: Store
    catalog: FlowCatalog
    directory: Directory
    engine: Engine


def open_app(settings: Settings) -> App:
    """Raises DatabaseError (with the URL, password hidden) or FlowError (directory file)."""
    url = settings.resolved_database_url()
    directory = load_directory(settings.directory_file)
    try:
        database = make_engine(url, settings.sqlite_synchronous)
        ensure_schema(database)
        store = Store(database)
        catalog = FlowCatalog(store)
        catalog.ensure_bundled()
    except (SQLAlchemyError, OSError) as error:
        safe_url = make_url(url).render_as_string(hide_password=True)
        detail = " ".join(str(getattr(error, "orig", None) or error).split())
        raise DatabaseError(safe_url, detail) from None
    return App(settings, store, catalog, directory, Engine(store, catalog, directory))
