"""Bot Framework authentication, wired from our settings, with its HTTP clients cached.

The SDK authenticates each request and then builds, for that one turn, a connector client
and a user-token client: two msrest clients whose serializers, credentials and HTTP sessions
cost 10-14 ms to build (DESIGN §9), and an MSAL application that forgets its token. Nothing
in them depends on the turn: `CachingAuthentication` extends the SDK's own authentication
and hands out one client per (app id, service URL, audience) for the life of the process.
Validation itself is the SDK's, with one more requirement: a token must expire.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any

from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    ClaimsIdentity,
    ConnectorFactory,
    ServiceClientCredentialsFactory,
    UserTokenClient,
)

from adapters.teams.retry import leave_statuses_to_us
from adapters.teams.settings import TeamsSettings

log = logging.getLogger(__name__)

MAX_CLIENTS = 64
"""Service URLs are few (one per Teams region); the bound only guards against a surprise."""


class CachingConnectorFactory(ConnectorFactory):
    """Hands out the connector client built for the same app id, service URL and audience."""

    def __init__(self, inner: ConnectorFactory, app_id: str, owner: CachingAuthentication):
        self._inner = inner
        self._app_id = app_id
        self._owner = owner

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        return await self._owner.connector(self._inner, self._app_id, service_url, audience)


class CachingAuthentication(ConfigurationBotFrameworkAuthentication):
    """The SDK's authentication for our settings, unchanged, except that its clients are
    built once and that a token must expire.

    Outbound tokens come from the SDK's own factory for our app type (a password, single- or
    multi-tenant, or a user-assigned managed identity) unless `factory` replaces it (tests
    give one that returns a fixed token, since MSAL cannot reach Microsoft from here);
    inbound validation is the SDK's whatever the factory. With authentication off the
    configuration holds no app id, which the SDK reads as "accept unsigned requests, send
    without a token".

    PyJWT checks `exp` only when the claim is present, and the SDK asks for nothing more: a
    correctly signed token without one would be valid forever, so a leaked one could never
    be outlived. Every token the Bot Framework issues carries `exp`; one that does not is
    refused after the SDK's own checks, which all still run."""

    def __init__(
        self, settings: TeamsSettings, factory: ServiceClientCredentialsFactory | None = None
    ) -> None:
        super().__init__(settings.sdk_configuration(), credentials_factory=factory)
        self._require_expiry = settings.auth_enabled
        self._connectors: OrderedDict[tuple[str, str, str], ConnectorClient] = OrderedDict()
        self._user_token_clients: dict[str, UserTokenClient] = {}

    async def connector(
        self, inner: ConnectorFactory, app_id: str, service_url: str, audience: str | None
    ) -> ConnectorClient:
        key = (app_id, service_url, audience or "")
        client = self._connectors.get(key)
        if client is None:
            client = await inner.create(service_url, audience)
            leave_statuses_to_us(client)
            self._connectors[key] = client
            if len(self._connectors) > MAX_CLIENTS:
                self._connectors.popitem(last=False)
        else:
            self._connectors.move_to_end(key)
        return client

    def clear(self) -> None:
        self._connectors.clear()
        self._user_token_clients.clear()

    # The SDK's authentication

    async def authenticate_request(
        self, activity: Activity, auth_header: str
    ) -> AuthenticateRequestResult:
        result = await super().authenticate_request(activity, auth_header)
        self._expiring(result.claims_identity)
        if result.connector_factory is not None:
            result.connector_factory = CachingConnectorFactory(
                result.connector_factory, app_id_of(result.claims_identity), self
            )
        return result

    async def authenticate_streaming_request(
        self, auth_header: str, channel_id_header: str
    ) -> AuthenticateRequestResult:
        result = await super().authenticate_streaming_request(auth_header, channel_id_header)
        self._expiring(result.claims_identity)
        return result

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return CachingConnectorFactory(
            super().create_connector_factory(claims_identity),
            app_id_of(claims_identity),
            self,
        )

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        """Only OAuth sign-in uses it, and the bot has none; built once per app id anyway,
        because the adapter asks for one on every turn."""
        app_id = app_id_of(claims_identity)
        client = self._user_token_clients.get(app_id)
        if client is None:
            client = await super().create_user_token_client(claims_identity)
            self._user_token_clients[app_id] = client
        return client

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return self._expiring(await super().authenticate_channel_request(auth_header))

    def _expiring(self, identity: ClaimsIdentity) -> ClaimsIdentity:
        claims: dict[str, Any] = (identity.claims if identity else None) or {}
        if self._require_expiry and not isinstance(claims.get("exp"), int | float):
            raise PermissionError("the token has no expiry (exp)")
        return identity


def app_id_of(identity: ClaimsIdentity | None) -> str:
    """The bot's app id as the SDK reads it from a request's claims (audience, else appid)."""
    claims: dict[str, Any] = (identity.claims if identity else None) or {}
    audience = claims.get(AuthenticationConstants.AUDIENCE_CLAIM)
    return str(audience or claims.get(AuthenticationConstants.APP_ID_CLAIM) or "")
