"""The kept first question is read from a file whoever can write the data directory may
change (adapters.console.first_question.recalled): whatever the file holds, reading it gives
a view of exactly the kept shape or nothing, never an exception, and never a view that
could stand for a question other than a first one."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.console.first_question import FORMAT, MAX_BYTES, TYPES, recalled
from bot.question_view import QuestionView

KEY = "k" * 64
VIEW = {
    "question_id": "P1",
    "type": "text",
    "label": "Nom du projet",
    "section_id": "contexte",
    "section_title": "Contexte",
    "progress": "Contexte · question 1",
    "flow_version": 1,
    "number": 1,
    "max_length": 200,
    "choices": [],
    "scale": [1, 5],
    "can_go_back": False,
}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)


def _mutated(draw: st.DrawFn) -> object:
    """The kept file with some of its fields replaced, removed or added."""
    view = dict(VIEW)
    for name in draw(st.lists(st.sampled_from([*VIEW, "extra"]), max_size=3, unique=True)):
        action = draw(st.sampled_from(["replace", "remove"]))
        if action == "remove":
            view.pop(name, None)
        else:
            view[name] = draw(json_values)
    document: dict[str, object] = {"format": FORMAT, "key": KEY, "view": view}
    if draw(st.booleans()):
        document[draw(st.sampled_from(["format", "key", "view"]))] = draw(json_values)
    return document


@st.composite
def kept_files(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["bytes", "json", "mutated"]))
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    if kind == "json":
        return json.dumps(draw(json_values)).encode()
    return json.dumps(_mutated(draw)).encode()


def _check(found: QuestionView | None) -> None:
    if found is None:
        return
    assert found.triage_id == ""
    assert found.can_go_back is False
    assert found.type in TYPES
    for name in ("question_id", "label", "section_id", "section_title", "progress"):
        assert isinstance(getattr(found, name), str)
    for number in (found.flow_version, found.number, found.max_length, *found.scale):
        assert isinstance(number, int) and not isinstance(number, bool)
    for choice in found.choices:
        assert isinstance(choice.id, str) and isinstance(choice.label, str)
        assert isinstance(choice.exclusive, bool)


@settings(
    max_examples=300,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(content=kept_files())
def test_any_kept_file_reads_as_a_first_question_or_nothing(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "first-question.json"
    path.write_bytes(content)
    _check(recalled(path, KEY))


def test_the_kept_shape_reads_back_and_any_other_key_does_not(tmp_path: Path) -> None:
    path = tmp_path / "first-question.json"
    path.write_text(json.dumps({"format": FORMAT, "key": KEY, "view": VIEW}), "utf-8")
    found = recalled(path, KEY)
    assert found is not None and found.label == "Nom du projet" and found.scale == (1, 5)
    assert recalled(path, "another database or language") is None


def test_a_file_over_the_limit_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "first-question.json"
    padded = dict(VIEW, label="x" * MAX_BYTES)
    path.write_text(json.dumps({"format": FORMAT, "key": KEY, "view": padded}), "utf-8")
    assert recalled(path, KEY) is None
