"""The door of `/slack/events`: which requests may be read at all.

Only two kinds pass. A request signed with the app's signing secret within the last five
minutes (slack_sdk's `SignatureVerifier`, the check bolt's own middleware runs), and Slack's
certificate check, which Slack sends unsigned: a form holding `ssl_check=1` and a `token`,
nothing else, answered with an empty 200 and never dispatched. Everything else is refused
before its body is parsed as anything, whatever its headers or content hold.

The headers are checked for shape first: a timestamp that is not a plain number of seconds,
or a signature that is not `v0=` and 64 hex digits, cannot be valid, and handing either to
the verifier would make it raise (`int("abc")`, a non-ASCII `compare_digest`) instead of
refusing.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from enum import Enum
from urllib.parse import parse_qsl

from slack_sdk.signature import SignatureVerifier

TIMESTAMP_HEADER = "X-Slack-Request-Timestamp"
SIGNATURE_HEADER = "X-Slack-Signature"
FORM = "application/x-www-form-urlencoded"

_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
_SSL_CHECK_FIELDS = frozenset({"ssl_check", "token"})
SSL_CHECK_MAX_BYTES = 512
"""Slack's certificate check is `ssl_check=1&token=<24 characters>`; anything longer is not one."""


class Verdict(Enum):
    SIGNED = "signed"
    """Signed by Slack: read it, and answer 400 if it cannot be read."""
    SSL_CHECK = "ssl_check"
    """Slack's unsigned certificate check: an empty 200, nothing dispatched."""
    REFUSED = "refused"
    """Unsigned, forged, too old or malformed: 401, nothing read."""


class Gate:
    def __init__(self, signing_secret: str | None) -> None:
        self.verifier = SignatureVerifier(signing_secret) if signing_secret else None

    def verdict(self, raw: bytes, content_type: str, headers: Mapping[str, str]) -> Verdict:
        if self.signed(raw, headers.get(TIMESTAMP_HEADER), headers.get(SIGNATURE_HEADER)):
            return Verdict.SIGNED
        if is_ssl_check(raw, content_type):
            return Verdict.SSL_CHECK
        return Verdict.REFUSED

    def signed(self, raw: bytes, timestamp: str | None, signature: str | None) -> bool:
        if self.verifier is None or timestamp is None or signature is None:
            return False
        if not _TIMESTAMP.fullmatch(timestamp) or not _SIGNATURE.fullmatch(signature):
            return False
        try:
            return self.verifier.is_valid(raw, timestamp, signature)
        except UnicodeDecodeError:
            return self._signed_bytes(raw, timestamp, signature)

    def _signed_bytes(self, raw: bytes, timestamp: str, signature: str) -> bool:
        """Slack signs bytes; slack_sdk decodes them first and raises on invalid UTF-8. Such a
        body, if signed, is Slack's (or a holder of the secret's) and gets a 400, not a 401:
        the same HMAC over the raw bytes, with the verifier's clock and secret."""
        assert self.verifier is not None
        if abs(self.verifier.clock.now() - int(timestamp)) > 60 * 5:
            return False
        digest = hmac.new(
            self.verifier.signing_secret.encode(),
            b"v0:" + timestamp.encode() + b":" + raw,
            hashlib.sha256,
        ).hexdigest()
        return hmac.compare_digest(f"v0={digest}", signature)


def is_ssl_check(raw: bytes, content_type: str) -> bool:
    """Exactly Slack's certificate check: a short form whose only fields are `ssl_check=1`
    and at most one `token`. A body that merely contains `ssl_check=1` somewhere (inside a
    payload, a JSON string, a second field) is not one."""
    if content_type != FORM or len(raw) > SSL_CHECK_MAX_BYTES or not raw.isascii():
        return False
    try:
        fields = parse_qsl(raw.decode("ascii"), keep_blank_values=True, strict_parsing=True)
    except ValueError:
        return False
    names = [name for name, _ in fields]
    return (
        len(names) == len(set(names))
        and set(names) <= _SSL_CHECK_FIELDS
        and dict(fields).get("ssl_check") == "1"
    )
