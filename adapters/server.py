"""The one aiohttp server of `boussole serve`: chat platforms, health check and notifier.

Platforms are imported only when their settings are complete, so that a deployment pays
the memory and start-up time of the SDKs it uses and no other.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import importlib
import importlib.util
import logging
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from aiohttp import web
from prometheus_client import generate_latest

from bot.app import App
from bot.metrics import OUTBOX_DEPTH, REGISTRY
from bot.notifier import Notifier, Sender
from bot.routing import reviewer_warnings
from bot.schedules import run_periodically
from storage.database import SCHEMA_HEAD, current_revision

PLATFORM_MODULES = {
    "slack": "adapters.slack.platform",
    "teams": "adapters.teams.platform",
    "matrix": "adapters.matrix.platform",
}
log = logging.getLogger(__name__)

APP_KEY = web.AppKey("boussole_app", App)
UNSAFE = web.AppKey("boussole_unsafe", list)
"""Settings that leave the server open, for local development only (e.g. Teams without
authentication): named by `/readyz` and logged at every start, so nobody runs one unknowingly."""


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8080
    slack_socket_mode: bool = False
    notifier_interval: float = 2.0
    duties_interval: float = 3600.0


class Platform(Protocol):
    """What each `adapters/<platform>/platform.py` exposes as `PLATFORM`."""

    name: str
    extra: str
    """The pip extra that installs the platform's SDK: `pip install 'boussole-ia[EXTRA]'`."""
    sdk: tuple[str, ...]
    """The SDK modules the platform imports, when it mounts or when first needed."""

    def missing_setting(self, options: ServeOptions) -> str | None:
        """The first missing environment variable, or None when the platform can start.
        Raises bot.settings.SettingsError for a malformed one. Must not import the SDK."""

    def mount(self, web_app: web.Application, app: App, options: ServeOptions) -> None:
        """Add the platform's routes, before the server starts (its router then freezes)."""

    async def start(self, app: App, options: ServeOptions) -> Sender:
        """Open clients (or a socket) and return the sender of review notifications."""

    async def stop(self) -> None: ...


def load_platform(name: str) -> Platform:
    return importlib.import_module(PLATFORM_MODULES[name]).PLATFORM


def missing_module(platform: Platform) -> str | None:
    """The first module of the platform's SDK that is not installed, or None.

    Asked before anything starts, so that a platform configured without its extra stops
    `serve` with the install line instead of failing later as an internal error. The
    modules are found, not imported: a platform that imports its SDK when first needed
    (Teams) must not pay for it at start."""
    for module in platform.sdk:
        try:
            found = importlib.util.find_spec(module)
        except ModuleNotFoundError as error:  # a parent package is missing
            return error.name or module
        if found is None:
            return module
    return None


SHUTTING_DOWN = web.AppKey("boussole_shutting_down", dict)


async def healthz(_request: web.Request) -> web.Response:
    """Alive: the process answers."""
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    """Ready: the database answers and its schema is at the latest migration.

    Anyone can reach this probe, so it says ready or not and why in one word; what the
    driver said (hosts, ports, user names) goes to the log, for the operator only."""
    app = request.app[APP_KEY]
    unsafe = {"unsafe": request.app[UNSAFE]} if request.app[UNSAFE] else {}
    if request.app[SHUTTING_DOWN]["now"]:
        return web.json_response({"status": "shutting_down", **unsafe}, status=503)
    try:
        revision = await asyncio.to_thread(current_revision, app.store.engine)
    except Exception as error:  # any database failure means not ready
        log.warning("readyz: the database is unavailable (%s: %s)", type(error).__name__, error)
        return web.json_response({"status": "database_unavailable", **unsafe}, status=503)
    if revision != SCHEMA_HEAD:
        return web.json_response({"status": "schema_outdated", **unsafe}, status=503)
    return web.json_response({"status": "ready", **unsafe})


async def metrics(request: web.Request) -> web.Response:
    app = request.app[APP_KEY]
    with contextlib.suppress(Exception):
        OUTBOX_DEPTH.set(await asyncio.to_thread(_outbox_depth, app))
    return web.Response(body=generate_latest(REGISTRY), content_type="text/plain", charset="utf-8")


def _outbox_depth(app: App) -> int:
    with app.store.reading() as tx:
        return tx.outbox_pending_count()


@web.middleware
async def refuse_when_stopping(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """During a graceful shutdown, turns already running finish; new ones get 503 so that
    the platform retries them on another instance."""
    if request.app[SHUTTING_DOWN]["now"] and request.path not in ("/healthz",):
        return web.json_response({"status": "shutting_down"}, status=503)
    return await handler(request)


@contextlib.asynccontextmanager
async def background_work(
    app: App, platforms: list[Platform], options: ServeOptions
) -> AsyncIterator[None]:
    """The notifier and the periodic duties, for as long as the server or the worker runs."""
    try:
        warnings = await asyncio.to_thread(_reviewer_warnings, app)
    except Exception as error:  # a database down at start: /readyz says so, the server waits
        log.warning(
            "the directory could not be read at start (%s: %s)", type(error).__name__, error
        )
        warnings = []
    for warning in warnings:
        log.warning(warning)
    senders = {platform.name: await platform.start(app, options) for platform in platforms}
    # Everything loaded so far (libraries, flows, platform clients) lives as long as the
    # process: out of the collector's sight, it is not walked again at every full collection,
    # which otherwise costs each turn a share of a walk over a few hundred thousand objects.
    gc.freeze()
    stop = asyncio.Event()
    tasks = [
        asyncio.create_task(
            Notifier(
                app.store, senders, lease=timedelta(seconds=app.settings.outbox_lease_seconds)
            ).run(stop, options.notifier_interval)
        ),
        asyncio.create_task(run_periodically(app, stop, options.duties_interval)),
    ]
    try:
        yield
    finally:
        stop.set()
        await asyncio.gather(*tasks)
        for platform in platforms:
            await platform.stop()


def _reviewer_warnings(app: App) -> list[str]:
    """Said at every start, since a flagged triage of such a department reaches no reviewer."""
    return reviewer_warnings(app.directory, app.settings.lang)


def build_server(app: App, platforms: list[Platform], options: ServeOptions) -> web.Application:
    web_app = web.Application(client_max_size=1024 * 1024, middlewares=[refuse_when_stopping])
    web_app[APP_KEY] = app
    web_app[SHUTTING_DOWN] = {"now": False}
    web_app[UNSAFE] = []
    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/readyz", readyz)
    web_app.router.add_get("/metrics", metrics)

    async def stopping(_web_app: web.Application) -> None:
        web_app[SHUTTING_DOWN]["now"] = True

    web_app.on_shutdown.append(stopping)
    for platform in platforms:
        platform.mount(web_app, app, options)

    async def lifecycle(_web_app: web.Application) -> AsyncIterator[None]:
        async with background_work(app, platforms, options):
            yield

    web_app.cleanup_ctx.append(lifecycle)
    return web_app


async def run_worker(app: App, platforms: list[Platform], options: ServeOptions) -> None:
    """`boussole worker`: deliveries and duties without an HTTP server, until SIGTERM.
    Platforms are mounted on an application that is never served, since that is where they
    build their clients."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for name in ("SIGTERM", "SIGINT"):
        loop.add_signal_handler(getattr(signal, name), stop.set)
    unserved = web.Application()
    unserved[UNSAFE] = []
    for platform in platforms:
        platform.mount(unserved, app, options)
    async with background_work(app, platforms, options):
        await stop.wait()
