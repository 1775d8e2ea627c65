"""The Matrix connection: a mautrix client with end-to-end encryption, rate limits honoured.

Why mautrix: it is maintained, asyncio-native on aiohttp (which `serve` already runs), and its
crypto store and state store live in a SQL database (asyncpg or aiosqlite): the Olm account
and Megolm sessions are kept in the instance's own database, PostgreSQL in production, so that
several instances share one device's keys and a restart keeps them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from json import JSONDecodeError
from typing import Any

from aiohttp import ClientError, ClientResponse, ClientSession, ContentTypeError
from mautrix.api import HTTPAPI
from mautrix.client import Client, DecryptionDispatcher
from mautrix.client.state_store.asyncpg import PgStateStore
from mautrix.crypto import OlmMachine, PgCryptoStore
from mautrix.errors import MatrixError, make_request_error
from mautrix.types import JSON, ContentURI, SpecVersions
from mautrix.util.async_db import Database
from sqlalchemy.engine import make_url
from yarl import URL

from adapters.chat.download import download
from adapters.chat.retries import honour_retry_after
from adapters.chat.uploads import Unreachable
from adapters.matrix.settings import DEVICE_ID
from bot.settings import SettingsError

log = logging.getLogger(__name__)

SYNC_TIMEOUT_MS = 30_000
KEY_WAIT = 10.0
"""Seconds an encrypted message waits for its Megolm key to arrive."""

sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
"""The sync loop's waits after a failure (tests record them instead)."""


class PatientAPI(HTTPAPI):
    """mautrix retries only 502-504: this waits out 429 `M_LIMIT_EXCEEDED` for as long as
    the homeserver asks (`retry_after_ms`, or the Retry-After header), within the chat kit's
    bounds (`adapters.chat.retries`): past them the error goes up, and a notice is left to
    the outbox, which tries again later."""

    async def _send(
        self,
        method: Any,
        url: URL,
        content: Any,
        query_params: dict[str, str],
        headers: dict[str, str],
    ) -> tuple[JSON, ClientResponse]:
        async def attempt() -> tuple[JSON, ClientResponse]:
            request = self.session.request(
                str(method), url, data=content, params=query_params, headers=headers
            )
            async with request as response:
                if 200 <= response.status < 300:
                    return await response.json(), response
                body = await _body(response)
                error = make_request_error(
                    http_status=response.status,
                    text=await response.text(),
                    errcode=body.get("errcode"),
                    message=body.get("error"),
                    unstable_errcode=body.get("org.matrix.msc3848.unstable.errcode"),
                )
                error.retry_after = retry_after(body, response.headers.get("Retry-After"))  # type: ignore[attr-defined]
                raise error

        return await honour_retry_after(attempt, _limited, _waited, "matrix")


class TrackingClient(Client):
    """mautrix runs each handler in a task of its own: the handlers of a batch register
    here (`track`), and the sync loop waits for them (`settled`) before it saves its
    position, so that a crash replays a batch rather than losing it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.running: set[asyncio.Task[Any]] = set()

    def track(self) -> None:
        task = asyncio.current_task()
        if task is not None:
            self.running.add(task)
            task.add_done_callback(self.running.discard)

    async def settled(self) -> None:
        await asyncio.sleep(0)  # let the handlers the batch dispatched begin
        while self.running:
            await asyncio.gather(*list(self.running), return_exceptions=True)
            await asyncio.sleep(0)


class PatientDecryption(DecryptionDispatcher):
    """mautrix decrypts a room message at once, in a task that races the to-device event of
    the same sync carrying its key: lost, the message would never be answered. This waits
    for the key first (`KEY_WAIT` at most), then decrypts."""

    async def handle(self, evt: Any) -> None:
        if isinstance(self.client, TrackingClient):
            self.client.track()
        crypto = self.client.crypto
        session_id = getattr(evt.content, "session_id", None)
        if crypto is not None and session_id:
            known = await crypto.crypto_store.has_group_session(evt.room_id, session_id)
            if not known:
                await crypto.wait_for_session(evt.room_id, session_id, timeout=KEY_WAIT)
        await super().handle(evt)


async def media(client: Client, url: ContentURI) -> AsyncIterator[bytes]:
    """A file of the content repository in chunks (the kit's download), as
    `Client.download_media` fetches it whole: the reader stops when it has read enough."""
    try:
        authenticated = (await client.versions()).supports(SpecVersions.V111)
        address = client.api.get_download_url(url, authenticated=authenticated)
    except (ClientError, TimeoutError, MatrixError, ValueError) as error:
        log.warning("matrix: could not download %s: %s", url, error)
        raise Unreachable(str(error)) from error
    headers = {"Authorization": f"Bearer {client.api.token}"} if authenticated else {}
    query = {"allow_redirect": "true"}
    async for chunk in download(
        client.api.session, address, "matrix", params=query, headers=headers
    ):
        yield chunk


def retry_after(body: dict[str, Any], header: str | None) -> str | None:
    """The wait asked, as a Retry-After value: the body's `retry_after_ms` (Matrix), else
    the header."""
    milliseconds = body.get("retry_after_ms")
    if isinstance(milliseconds, int | float) and milliseconds >= 0:
        return str(milliseconds / 1000)
    return header


def _limited(error: BaseException) -> int | None:
    """Only 429 is tried again: a 5xx may have sent the message, and a new attempt (a new
    transaction id) would send it twice."""
    status = getattr(error, "http_status", None)
    return 429 if status == 429 else None


def _waited(error: BaseException, _header: str) -> str | None:
    return getattr(error, "retry_after", None)


async def _body(response: ClientResponse) -> dict[str, Any]:
    try:
        data = await response.json()
    except (JSONDecodeError, ContentTypeError):
        return {}
    return data if isinstance(data, dict) else {}


def store_url(database_url: str) -> str:
    """The instance's SQLAlchemy URL as mautrix's databases take it (asyncpg, aiosqlite)."""
    parsed = make_url(database_url)
    if parsed.get_backend_name() == "sqlite":
        return str(URL.build(scheme="sqlite", path=str(parsed.database)))
    query = "&".join(f"{k}={v}" for k, v in parsed.query.items() if isinstance(v, str))
    rendered = parsed.set(drivername="postgresql", query={}).render_as_string(hide_password=False)
    return f"{rendered}?{query}" if query else rendered


@dataclass
class Connection:
    client: TrackingClient
    databases: tuple[Database, ...]

    async def close(self) -> None:
        await _close(self.client.api, self.databases)


async def _close(api: PatientAPI, databases: Sequence[Database]) -> None:
    for database in databases:
        await database.stop()
    await api.session.close()


async def connect(
    homeserver: str,
    user_id: str,
    access_token: str,
    device_id: str,
    database_url: str,
    pickle_key: str,
    password: str = "",
) -> Connection:
    """A client whose crypto and room state live in `database_url`, keys shared on first use.

    The state store (who is in which room, which rooms are encrypted) and the crypto store
    have their own version tables (`mx_version`, `crypto_version`) beside Boussole's. Without
    an access token, the password logs in as `device_id` (the same device, so the same keys)."""
    url = store_url(database_url)
    state_db = Database.create(url, upgrade_table=PgStateStore.upgrade_table)
    crypto_db = Database.create(url, upgrade_table=PgCryptoStore.upgrade_table)
    api = PatientAPI(base_url=URL(homeserver), token=access_token, client_session=ClientSession())
    started: list[Database] = []
    try:
        for database in (state_db, crypto_db):
            await database.start()
            started.append(database)
        state_store = PgStateStore(state_db)
        client = TrackingClient(mxid=user_id, device_id=device_id, api=api, state_store=state_store)
        if not access_token:
            await client.login(password=password, device_id=device_id, store_access_token=True)
        crypto_store = PgCryptoStore(user_id, pickle_key, crypto_db)
        await crypto_store.open()
        client.crypto = crypto = OlmMachine(client, crypto_store, state_store)
        client.remove_dispatcher(DecryptionDispatcher)
        client.add_dispatcher(PatientDecryption)
        stored_device = await crypto_store.get_device_id()
        if stored_device and stored_device != device_id:
            ctx = {"stored": stored_device, "device": device_id}
            raise SettingsError(DEVICE_ID, str(ctx), key="setting_matrix_device", ctx=ctx)
        await crypto_store.put_device_id(device_id)
        await crypto.load()
        await crypto.share_keys()
    except BaseException:  # what was opened is closed: its threads would keep `serve` alive
        await _close(api, started)
        raise
    return Connection(client, (state_db, crypto_db))


async def sync_forever(
    client: TrackingClient,
    since: str | None,
    saved: Callable[[str], Awaitable[None]],
    stop: asyncio.Event,
) -> None:
    """Long-poll /sync; each batch's handlers finish before its position is saved.

    mautrix's own loop saves `next_batch` before handling, which loses a batch on a crash:
    here a crash replays it instead, and the adapter drops what it had already done."""
    wait = 1.0
    while not stop.is_set():
        try:
            data = await client.sync(since=since, timeout=SYNC_TIMEOUT_MS if since else 0)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # the homeserver away: try again, more slowly
            log.warning("matrix: sync failed (%s), again in %.0f s", error, wait)
            await sleep(wait)
            wait = min(wait * 2, 60.0)
            continue
        wait = 1.0
        data["net.maunium.mautrix"] = {"is_initial": since is None, "is_first": since is None}
        await asyncio.gather(*client.handle_sync(data))
        await client.settled()
        since = data["next_batch"]
        await saved(since)
