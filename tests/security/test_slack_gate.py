"""Attacks on `/slack/events` (issue #12, defects 1 and 2), over HTTP against the real server.

An unsigned request used to pass whenever its body, read as a query string, held
`ssl_check=1`; it was then dispatched with bolt's own verification off. Malformed timestamps,
signed invalid UTF-8 and deeply nested JSON answered 500 with a traceback. Now: 401 for
anything unsigned or unverifiable, Slack's bare certificate check an empty 200 that runs
nothing, 400 for a signed body that cannot be read; never a 500, never an ERROR record.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.adapters.slack.harness import SECRET, signed_headers
from tests.dbdump import dump
from tests.security.error_records import Errors
from tests.threaded_server import Server, running_server

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from running_server(tmp_path_factory)


@pytest.fixture
def errors() -> Iterator[Errors]:
    handler = Errors()
    logging.getLogger().addHandler(handler)
    yield handler
    logging.getLogger().removeHandler(handler)


def slash_command(user: str) -> str:
    return urlencode(
        {
            "token": "x",
            "team_id": "T0NANTES",
            "channel_id": f"D{user}",
            "user_id": user,
            "command": "/boussole",
            "text": "",
            "trigger_id": "trigger.1",
            "response_url": "http://127.0.0.1:9/response",
        }
    )


def click(user: str) -> str:
    payload = {
        "type": "block_actions",
        "user": {"id": user},
        "actions": [{"action_id": "answer", "value": "x", "action_ts": "1.2"}],
        "container": {"type": "message", "channel_id": f"D{user}", "message_ts": "1.1"},
    }
    return json.dumps(payload)


def event(user: str) -> str:
    return json.dumps(
        {
            "type": "event_callback",
            "event_id": "Ev0001",
            "pad": "&ssl_check=1&",
            "event": {"type": "message", "channel_type": "im", "user": user, "text": "admins"},
        }
    )


def snapshot(server: Server) -> tuple[dict[str, list[tuple]], int]:
    """Every row of the database, and how many Web API calls the bot has made so far."""
    return dump(server.app.store.engine), len(server.stub.calls)


def assert_nothing_happened(server: Server, before: tuple[dict[str, list[tuple]], int]) -> None:
    assert snapshot(server) == before


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (slash_command("UVICTIM") + "&ssl_check=1", FORM),
        ("ssl_check=1&" + slash_command("UVICTIM"), FORM),
        (urlencode({"payload": click("UREVIEWER")}) + "&ssl_check=1", FORM),
        (urlencode({"payload": click("UREVIEWER"), "ssl_check": "1"}), FORM),
        (event("UADMIN"), JSON),
        (event("UADMIN"), FORM),
        ("ssl_check=1&token=x&user_id=UVICTIM", FORM),
        ("ssl_check=1&ssl_check=1", FORM),
        ("ssl_check=1&token=x", JSON),
    ],
)
def test_an_unsigned_request_holding_ssl_check_is_refused_and_runs_nothing(
    server: Server, body: str, content_type: str
) -> None:
    before = snapshot(server)
    status, _ = server.exchange("/slack/events", body.encode(), {"Content-Type": content_type})
    assert status == 401
    assert_nothing_happened(server, before)


def test_slacks_bare_certificate_check_gets_an_empty_200_and_is_not_dispatched(
    server: Server,
) -> None:
    before = snapshot(server)
    for body in ("ssl_check=1&token=KkwZ4Hq6aS4s2iO8UZmbW0Ny", "ssl_check=1"):
        assert server.exchange("/slack/events", body.encode(), {"Content-Type": FORM}) == (
            200,
            b"",
        )
    assert_nothing_happened(server, before)


MALFORMED_TIMESTAMPS = [
    "abc",
    "1796590937.5",
    "9" * 400,
    "-1",
    " 1796590937",
    "١٧٩٦٥٩٠٩٣٧".encode().decode("latin-1"),  # Arabic-Indic digits, as UTF-8 on the wire
    "0x6b1c8a19",
    "",
]


@pytest.mark.parametrize("timestamp", MALFORMED_TIMESTAMPS)
def test_a_malformed_timestamp_is_a_401_not_a_500(
    server: Server, errors: Errors, timestamp: str
) -> None:
    body = slash_command("UVICTIM")
    signature = signed_headers(body)["X-Slack-Signature"]
    headers = {
        "Content-Type": FORM,
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature,
    }
    before = snapshot(server)
    status, _ = server.exchange("/slack/events", body.encode(), headers)
    assert status == 401
    assert errors.records == []
    assert_nothing_happened(server, before)


@pytest.mark.parametrize(
    "signature",
    [
        "",
        "v0=",
        "v0=" + "g" * 64,
        "v0=" + "é".encode().decode("latin-1") * 32,
        "v1=" + "0" * 64,
        "v0=" + "0" * 6400,
    ],
)
def test_a_malformed_signature_is_a_401_not_a_500(
    server: Server, errors: Errors, signature: str
) -> None:
    body = slash_command("UVICTIM")
    headers = {
        "Content-Type": FORM,
        "X-Slack-Request-Timestamp": str(int(time.time())),
        "X-Slack-Signature": signature,
    }
    status, _ = server.exchange("/slack/events", body.encode("utf-8"), headers)
    assert status == 401
    assert errors.records == []


def _signed_bytes(body: bytes, content_type: str) -> dict[str, str]:
    """Slack signs the raw bytes, so a signed body need not be UTF-8."""
    stamp = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256)
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest.hexdigest()}",
    }


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"\xff\xfe\xfa", JSON),
        (b"payload=%7B\xff%7D", FORM),
        (b"command=/boussole&user_id=U\xc3", FORM),
        (b"[" * 100_000 + b"]" * 100_000, JSON),
        (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, JSON),
        (urlencode({"payload": "[" * 100_000 + "]" * 100_000}).encode(), FORM),
        (b"{", JSON),
        (b"[]", JSON),
        (urlencode({"payload": '{"type": "block_actions", "actions": 7}'}).encode(), FORM),
    ],
)
def test_a_signed_body_that_cannot_be_read_is_a_400_without_an_error_record(
    server: Server, errors: Errors, body: bytes, content_type: str
) -> None:
    before = snapshot(server)
    status, _ = server.exchange("/slack/events", body, _signed_bytes(body, content_type))
    assert status == 400
    assert errors.records == []
    assert_nothing_happened(server, before)


def test_a_signed_request_no_listener_handles_is_bolts_404(server: Server, errors: Errors) -> None:
    body = b'{"type": "block_actions"}'
    status, _ = server.exchange("/slack/events", body, _signed_bytes(body, JSON))
    assert status == 404
    assert errors.records == []


# Whatever an attacker sends without the secret: bodies of every shape Slack uses, with
# `ssl_check=1` planted anywhere, under headers that are missing, stale, future, malformed,
# or signed with another secret or for another body.

users = st.sampled_from(["UVICTIM", "UREVIEWER", "UADMIN"])
plants = st.sampled_from(["", "&ssl_check=1", "ssl_check=1&", "&ssl_check=1&token=x"])
bodies = st.one_of(
    st.builds(lambda u, p: (slash_command(u) + p).encode(), users, plants),
    st.builds(lambda u, p: (urlencode({"payload": click(u)}) + p).encode(), users, plants),
    st.builds(lambda u, p: (p + urlencode({"payload": click(u)})).encode(), users, plants),
    st.builds(lambda u: event(u).encode(), users),
    st.builds(
        lambda fields: urlencode(fields).encode(),
        st.dictionaries(
            st.sampled_from(["ssl_check", "token", "payload", "command", "user_id", "x"]),
            st.sampled_from(["1", "0", "", "x", click("UVICTIM")]),
            max_size=4,
        ),
    ),
    st.binary(max_size=200),
)
content_types = st.sampled_from([FORM, JSON, "text/plain", f"{FORM}; charset=utf-8", ""])
now = int(time.time())
timestamps = st.one_of(
    st.none(),
    st.sampled_from([str(now - 301), str(now + 301), str(now), *MALFORMED_TIMESTAMPS]),
    st.text(max_size=20),
)


@st.composite
def unsigned_requests(draw: st.DrawFn) -> tuple[bytes, dict[str, str]]:
    body = draw(bodies)
    headers = {"Content-Type": draw(content_types)}
    stamp = draw(timestamps)
    if stamp is not None and stamp.isascii() and stamp.isprintable():
        headers["X-Slack-Request-Timestamp"] = stamp
    signature = draw(st.sampled_from(["none", "other secret", "other body", "stale", "random"]))
    stamp_now = str(int(time.time()))
    if signature == "other secret":
        headers.update(signed_headers(body.decode("latin-1"), secret="another-signing-secret"))
    elif signature == "other body":
        headers.update(signed_headers(slash_command("UAGENT01")))
    elif signature == "stale":
        headers.update(signed_headers(body.decode("latin-1"), timestamp=int(stamp_now) - 301))
    elif signature == "random":
        headers["X-Slack-Signature"] = "v0=" + draw(
            st.text("0123456789abcdef", min_size=64, max_size=64)
        )
    return body, headers


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(request=unsigned_requests())
def test_no_unsigned_request_is_dispatched_or_changes_anything(
    server: Server, request: tuple[bytes, dict[str, str]]
) -> None:
    body, headers = request
    before = snapshot(server)
    status, answer = server.exchange("/slack/events", body, headers)
    if status == 200:
        fields = parse_qsl(body.decode("ascii"), keep_blank_values=True)
        assert answer == b""
        assert {name for name, _ in fields} <= {"ssl_check", "token"}
    else:
        assert status == 401
    assert_nothing_happened(server, before)


# Signed clicks go straight to their listener, without bolt's dispatch (adapters/slack/
# runtime.py `_click`): whatever shape a signed block_actions payload takes, it is answered
# (acknowledged, ignored, or refused as unreadable), never a 500 and never an ERROR record.

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)
action_ids = st.sampled_from(
    [
        "answer:oui",
        "answer_select",
        "multi_choice",
        "submit_multi",
        "open_text",
        "why",
        "back",
        "cancel",
        "resume",
        "show_result",
        "new_triage",
        "review_claim",
        "review_confirm",
        "review_ask",
        "review_override",
        "agent_reply",
        "retriage",
        "publish_flow",
        "register_open",
        "unknown",
    ]
)
actions = st.dictionaries(
    st.sampled_from(["action_id", "value", "selected_option", "selected_options", "block_id"]),
    json_values,
    max_size=5,
) | st.builds(
    lambda action_id, value: {"action_id": action_id, "value": value, "action_ts": "1.2"},
    action_ids,
    json_values,
)
payloads = st.fixed_dictionaries(
    {"type": st.just("block_actions"), "actions": st.lists(actions, min_size=1, max_size=2)},
    optional={
        "user": st.one_of(json_values, st.builds(lambda u: {"id": u}, users | json_values)),
        "container": json_values,
        "channel": json_values,
        "trigger_id": json_values,
        "message": json_values,
        "response_url": json_values,
    },
)


def answered_without_error(server: Server, payload: dict[str, object], as_form: bool) -> None:
    """The payload signed, as a form or as JSON: a status Slack expects, no ERROR record."""
    text = json.dumps(payload)
    body = urlencode({"payload": text}).encode() if as_form else text.encode()
    exchanged_without_error(server, body, FORM if as_form else JSON)


def exchanged_without_error(server: Server, body: bytes, content_type: str) -> None:
    handler = Errors()
    logging.getLogger().addHandler(handler)
    try:
        status, _ = server.exchange("/slack/events", body, _signed_bytes(body, content_type))
    finally:
        logging.getLogger().removeHandler(handler)
    assert status in (200, 400, 404), status
    assert handler.records == []


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(payload=payloads, as_form=st.booleans())
def test_no_signed_click_of_any_shape_is_a_500_or_an_error_record(
    server: Server, payload: dict[str, object], as_form: bool
) -> None:
    answered_without_error(server, payload, as_form)


# A text answer's modal goes straight to its listener too (runtime.py `_direct`), the other
# modals through bolt: whatever a signed view_submission holds, it is answered, never a 500
# or an ERROR record.

metadata = st.one_of(
    json_values,
    st.builds(json.dumps, json_values),
    st.builds(
        lambda ref, limit, channel: json.dumps({"ref": ref, "max": limit, "channel": channel}),
        st.one_of(json_values, st.just("t1:P1:1")),
        json_values,
        json_values,
    ),
)
text_views = st.fixed_dictionaries(
    {
        "callback_id": st.sampled_from(
            [
                "text_answer",
                "retriage_view",
                "register_details",
                "review_ask_view",
                "review_override_view",
                "agent_reply_view",
                "unknown",
            ]
        )
    },
    optional={
        "private_metadata": metadata,
        "state": st.one_of(
            json_values,
            st.builds(lambda values: {"values": values}, json_values),
        ),
        "id": json_values,
        "hash": json_values,
    },
)
submissions = st.fixed_dictionaries(
    {"type": st.just("view_submission"), "view": text_views},
    optional={
        "user": st.one_of(json_values, st.builds(lambda u: {"id": u}, users | json_values)),
        "trigger_id": json_values,
        "team": json_values,
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(payload=submissions, as_form=st.booleans())
def test_no_signed_modal_submission_of_any_shape_is_a_500_or_an_error_record(
    server: Server, payload: dict[str, object], as_form: bool
) -> None:
    answered_without_error(server, payload, as_form)


# Events and slash commands, signed, of any shape: answered, never a 500 or an ERROR record.

events = st.fixed_dictionaries(
    {
        "type": st.just("event_callback"),
        "event": st.fixed_dictionaries(
            {
                "type": st.sampled_from(
                    ["message", "app_home_opened", "file_shared", "app_mention", "x"]
                )
            },
            optional={
                "user": users | json_values,
                "text": st.sampled_from(["aide", "boussole", "liste", "admins", "voir t1"])
                | json_values,
                "channel": json_values,
                "channel_type": st.sampled_from(["im", "channel"]) | json_values,
                "subtype": json_values,
                "file_id": json_values,
                "files": json_values,
                "tab": st.sampled_from(["home", "messages"]) | json_values,
                "bot_id": json_values,
                "ts": json_values,
                "thread_ts": json_values,
            },
        ),
    },
    optional={"event_id": st.text(max_size=10) | json_values, "team_id": json_values},
)
commands = st.fixed_dictionaries(
    {"command": st.just("/boussole")},
    optional={
        name: st.text(max_size=30)
        for name in ("text", "user_id", "channel_id", "response_url", "trigger_id", "team_id")
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(payload=events)
def test_no_signed_event_of_any_shape_is_a_500_or_an_error_record(
    server: Server, payload: dict[str, object]
) -> None:
    exchanged_without_error(server, json.dumps(payload).encode(), JSON)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(fields=commands)
def test_no_signed_slash_command_of_any_shape_is_a_500_or_an_error_record(
    server: Server, fields: dict[str, str]
) -> None:
    exchanged_without_error(server, urlencode(fields).encode(), FORM)
