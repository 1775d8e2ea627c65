"""Fuzzing the chat endpoints: whatever Slack or Teams-shaped payload arrives, correctly
signed or not, the server answers without a 5xx and stays up."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.adapters.slack.harness import signed_headers
from tests.threaded_server import Server, running_server

scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=40)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=12,
)
slack_types = st.sampled_from(
    [
        "block_actions",
        "view_submission",
        "view_closed",
        "shortcut",
        "event_callback",
        "url_verification",
        "unknown",
    ]
)
teams_types = st.sampled_from(
    ["message", "invoke", "conversationUpdate", "installationUpdate", "typing", "unknown"]
)


def slack_payload() -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {"type": slack_types},
        optional={
            "user": st.fixed_dictionaries({"id": st.text(max_size=12)}) | json_values,
            "actions": st.lists(json_values, max_size=3),
            "view": json_values,
            "event": json_values,
            "container": json_values,
            "channel": json_values,
            "trigger_id": st.text(max_size=20),
        },
    )


def teams_activity() -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {"type": teams_types},
        optional={
            "id": st.text(max_size=20),
            "text": st.text(max_size=60),
            "value": json_values,
            "from": st.fixed_dictionaries({"id": st.text(max_size=20)}) | json_values,
            "conversation": st.fixed_dictionaries({"id": st.text(max_size=20)}) | json_values,
            "recipient": json_values,
            "serviceUrl": st.sampled_from(["http://127.0.0.1:9/", "not a url", ""]),
            "channelId": st.sampled_from(["msteams", "emulator", ""]),
            "locale": st.text(max_size=8),
            "attachments": st.lists(json_values, max_size=2),
        },
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from running_server(tmp_path_factory)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(payload=slack_payload(), signed=st.booleans(), as_form=st.booleans())
def test_slack_endpoint_never_answers_5xx(
    server: Server, payload: dict, signed: bool, as_form: bool
) -> None:
    if as_form:
        body = urlencode({"payload": json.dumps(payload)})
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
    else:
        body = json.dumps(payload)
        headers = {"Content-Type": "application/json"}
    if signed:
        headers.update(signed_headers(body))
    status = server.post("/slack/events", body.encode(), headers)
    assert status < 500
    if not signed:
        assert status == 401


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(activity=teams_activity() | json_values)
def test_teams_endpoint_never_answers_5xx(server: Server, activity: object) -> None:
    status = server.post(
        "/api/messages", json.dumps(activity).encode(), {"Content-Type": "application/json"}
    )
    assert status < 500


def test_garbage_bodies(server: Server) -> None:
    for path in ("/slack/events", "/api/messages"):
        for body in (b"", b"\xff\xfe", b"{", b"[]", b"null", b"a=b&c"):
            assert server.post(path, body, {"Content-Type": "application/json"}) < 500
