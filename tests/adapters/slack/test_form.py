"""Interaction forms are read exactly as urllib reads them, only faster."""

from __future__ import annotations

import json
from urllib.parse import quote_plus, unquote_plus, urlencode

from hypothesis import example, given, settings
from hypothesis import strategies as st

from adapters.slack.form import interaction_json, unquote_form_value

PIECES = st.sampled_from(
    [
        "%",
        "%2",
        "%22",
        "%25",
        "%2B",
        "%5C",
        "%5Cx41",
        "\\x41",
        "\\",
        "+",
        "é",
        "%C3%A9",
        "%C3",
        "%E2%82",
        "%F0%9F%98%80",
        "😀",
        "%zz",
        "%0a",
        "%00",
        "%FF",
        "&",
        "=",
        "\\u00e9",
    ]
)
TEXT = st.lists(PIECES | st.text(max_size=4), max_size=12).map("".join)


@settings(max_examples=2000, deadline=None)
@given(TEXT)
@example("%5C%5Cx41")
@example("%E2%82%2B+é")
def test_decoding_equals_urllibs(value: str) -> None:
    assert unquote_form_value(value) == unquote_plus(value)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_quoted_text_comes_back(value: str) -> None:
    assert unquote_form_value(quote_plus(value)) == value


def test_an_interaction_form_becomes_its_json() -> None:
    payload = {"type": "block_actions", "actions": [{"value": "Déjà vu & 100 % sûr +1"}]}
    for ensure_ascii in (True, False):
        body = urlencode({"payload": json.dumps(payload, ensure_ascii=ensure_ascii)})
        assert json.loads(interaction_json(body)) == payload


def test_any_other_body_is_left_as_it_came() -> None:
    command = "token=x&command=%2Fboussole&user_id=U1&text=aide"
    two_fields = urlencode({"payload": "{}", "other": "1"})
    not_json = urlencode({"payload": "[1, 2]"})
    for body in (command, two_fields, not_json, '{"type": "event_callback"}', ""):
        assert interaction_json(body) == body
