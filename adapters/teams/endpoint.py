"""`POST /api/messages`: the HTTP edge of the Bot Framework, in front of the SDK's CloudAdapter.

`CloudAdapter.process` would do this in one call, but it answers 500 to several bad requests:
a missing Content-Type, a body that is not an object, and tokens that are malformed, unsigned
or expired (the SDK raises plain exceptions there, not PermissionError). So the request is
read and authenticated here, every refusal gets its own status (400, 401, 415), and only an
authenticated, well-formed activity reaches `CloudAdapter.process_activity`. A request with
no token at all is refused before its body is read: the SDK needs the activity to check a
token (its serviceUrl claim), but not to see that there is none.

The SDK is imported where it is used, not with this module: `refused_unread` answers a
request without it, before the Teams runtime is built (`adapters.teams.platform`).
"""

from __future__ import annotations

import ipaddress
import json
import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from aiohttp import web

if TYPE_CHECKING:
    from botbuilder.core import Bot, InvokeResponse
    from botbuilder.integration.aiohttp import CloudAdapter
    from botbuilder.schema import Activity

log = logging.getLogger(__name__)

ROUTE = "/api/messages"


class MessagesEndpoint:
    """Reached through the platform's route (`adapters.teams.platform`), which has already
    refused what needs no reading (`refused_unread`)."""

    def __init__(
        self, adapter: CloudAdapter, bot: Bot, auth_enabled: bool, tenants: frozenset[str]
    ) -> None:
        self.adapter = adapter
        self.bot = bot
        self.auth_enabled = auth_enabled
        self.tenants = tenants if auth_enabled else frozenset()
        """The tenants whose people the bot serves (empty: any). A valid token says only
        that the Bot Framework sent the activity: anyone who knows the bot's app id can
        install it in a tenant of their own, whose activities Teams then delivers here."""

    async def handle(self, request: web.Request) -> web.StreamResponse:
        try:
            body = await request.json(loads=json.loads)
        except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
            return refuse(400, "the body is not valid JSON")
        activity = _activity(body)
        if activity is None:
            return refuse(400, "the body is not a Bot Framework activity")
        try:
            authenticated = await self.adapter.bot_framework_authentication.authenticate_request(
                activity, request.headers.get("Authorization")
            )
        except Exception as error:  # the SDK raises more than PermissionError: any is a 401
            return _unauthorized(f"{type(error).__name__}: {error}")
        problem = malformed(activity, self.auth_enabled)
        if problem:
            return refuse(400, problem)
        tenant = tenant_of(activity)
        if self.tenants and tenant is not None and tenant not in self.tenants:
            log.warning("teams: activity from tenant %s refused (not served)", tenant)
            return refuse(403, "this tenant is not served")
        try:
            invoke = await self.adapter.process_activity(authenticated, activity, self.bot.on_turn)
        except Exception:
            log.exception("teams: turn failed for activity %s", activity.id)
            return refuse(500, "internal error")
        if invoke is not None:
            return _invoke_answer(invoke)
        return web.Response(status=201)


def _invoke_answer(invoke: InvokeResponse) -> web.Response:
    """The SDK's answer to an invoke. Its own refusal of a malformed Adaptive Card action
    carries a Python exception as its value (botbuilder-core 4.x), which its serializer
    cannot write: that refusal is sent as the SDK meant it, an error with its code and
    message under its status, instead of a 500."""
    from botbuilder.core import serializer_helper
    from msrest.exceptions import SerializationError

    try:
        return web.json_response(serializer_helper(invoke.body), status=invoke.status)
    except SerializationError:
        value = getattr(invoke.body, "value", None)
        code, message = (*getattr(value, "args", ()), "BadRequest", "")[:2]
        error = {"code": str(code), "message": str(message)}
        body = {"statusCode": invoke.status, "type": "application/vnd.microsoft.error"}
        return web.json_response({**body, "value": error}, status=invoke.status)


def refused_unread(request: web.Request, auth_enabled: bool) -> web.Response | None:
    """The refusal a request gets before its body is read, or None: what needs neither the
    body nor the SDK, so that it is answered alike before and after the runtime is built."""
    if auth_enabled and not request.headers.get("Authorization"):
        return _unauthorized("no Authorization header")
    if request.content_type != "application/json":
        return refuse(415, "the body must be application/json")
    return None


def _activity(body: Any) -> Activity | None:
    from botbuilder.schema import Activity

    if not isinstance(body, dict) or not isinstance(body.get("type"), str):
        return None
    try:
        activity = Activity().deserialize(body)
    except Exception:  # msrest raises its own DeserializationError and a few others
        return None
    return activity if activity.type else None


def malformed(activity: Activity, auth_enabled: bool) -> str | None:
    """What an activity lacks to be answered, or None.

    With authentication off the service URL must be on this machine: the bot POSTs its
    replies there, and an open endpoint must not make it call anywhere else.
    """
    if not activity.service_url or not activity.channel_id:
        return "serviceUrl and channelId are required"
    if activity.conversation is None or not activity.conversation.id:
        return "conversation.id is required"
    if activity.from_property is None or not activity.from_property.id:
        return "from.id is required"
    if activity.recipient is None or not activity.recipient.id:
        return "recipient.id is required"
    if activity.type == "message" and not activity.id:
        return "id is required: it is the message's idempotency key"
    try:
        parts = urlsplit(activity.service_url)
    except ValueError:
        return "serviceUrl is not a URL"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "serviceUrl is not an http(s) URL"
    if not auth_enabled and not is_loopback(parts.hostname):
        return "with BOUSSOLE_TEAMS_AUTH=off, serviceUrl must be on this machine"
    return None


def tenant_of(activity: Activity) -> str | None:
    """The Microsoft 365 tenant Teams sent the activity from, as its body says (the Bot
    Framework's, which its sender cannot change); None outside Teams (a simulator)."""
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = data.get("tenant")
    found = tenant.get("id") if isinstance(tenant, dict) else None
    conversation = activity.conversation
    extra = getattr(conversation, "additional_properties", None) or {}
    found = found or getattr(conversation, "tenant_id", None) or extra.get("tenantId")
    return str(found).lower() if found else None


def is_loopback(host: str) -> bool:
    """This machine only: what auth-off mode and plain-HTTP downloads are allowed to reach."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _unauthorized(why: str) -> web.Response:
    """Without a valid token nothing is read further: no parsing, no SDK call."""
    log.info("teams: request refused (%s)", why)
    return refuse(401, "unauthorized", {"WWW-Authenticate": "Bearer"})


def refuse(status: int, reason: str, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response({"error": reason}, status=status, headers=headers)
