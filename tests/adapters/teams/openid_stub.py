"""Locally served OpenID metadata and signing keys, and Bot Framework tokens signed with them.

The SDK fetches keys with blocking `requests` calls on the event loop, so they are served
from a thread (a server on the loop itself would deadlock). The key endorses the `msteams`
channel, as the Bot Framework's keys do.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ISSUER = "https://api.botframework.test"
KEY_ID = "boussole-test-key"


@dataclass
class OpenIdStub:
    metadata_url: str
    issuer: str
    private_key: Any

    def token(self, audience: str, service_url: str, **overrides: Any) -> str:
        """A channel-to-bot token as the Bot Framework issues them."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": audience,
            "serviceurl": service_url,
            "nbf": now - 60,
            "iat": now - 60,
            "exp": now + 3600,
        }
        claims.update(overrides)
        claims = {k: v for k, v in claims.items() if v is not None}
        return jwt.encode(claims, self.private_key, algorithm="RS256", headers={"kid": KEY_ID})


def _handler(keys: dict[str, Any], issuer: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            if self.path == "/v1/.well-known/openidconfiguration":
                body = {
                    "issuer": issuer,
                    "jwks_uri": f"{base}/v1/.well-known/keys",
                    "id_token_signing_alg_values_supported": ["RS256"],
                }
            elif self.path == "/v1/.well-known/keys":
                body = keys
            else:
                self.send_error(404)
                return
            payload = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@contextmanager
def serve_openid() -> Iterator[OpenIdStub]:
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(RSAAlgorithm.to_jwk(private_key.public_key()))
    jwk.update(kid=KEY_ID, use="sig", alg="RS256", endorsements=["msteams"])
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler({"keys": [jwk]}, ISSUER))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        yield OpenIdStub(
            f"http://127.0.0.1:{port}/v1/.well-known/openidconfiguration", ISSUER, private_key
        )
    finally:
        server.shutdown()
        server.server_close()
