"""Fuzzing: the answer-file reader and the flow loader fail only with clear errors."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.answer_file import AnswerFileError, read_answer_file, validate_answers
from bot.directory import load_directory
from flows.loader import bundled_flow_bytes, check_source, load_bundled

FLOW = load_bundled()
DIRECTORY = load_directory(None)
BUNDLED = bundled_flow_bytes().decode("utf-8")
QUESTION_IDS = [q.id for q in FLOW.questions]


def choices(question):
    return DIRECTORY.choices if question.spec.choices_from else question.choices


values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-10, 10)
    | st.floats(allow_nan=True)
    | st.text(max_size=30)
    | st.sampled_from(["oui", "non", "nsp", "aucun", "aucune"]),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
keys = st.sampled_from(QUESTION_IDS) | st.text(max_size=8)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(keys, values, max_size=50) | values)
@example({"": None})
@example({"P1 ": "x", "a:b": 1})
def test_answer_validation_never_fails_otherwise_than_with_named_problems(data) -> None:
    try:
        validate_answers(FLOW, data, choices, "fr", "fuzz.yaml")
    except AnswerFileError as error:
        assert error.lines
        assert all(line.split(":", 1)[0] for line in error.lines)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300) | st.text(max_size=300))
def test_reading_any_file_gives_a_result_or_a_named_error(tmp_path_factory, content) -> None:
    path = Path(tmp_path_factory.mktemp("fuzz")) / "answers.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, "utf-8")
    try:
        read_answer_file(path, "en")
    except AnswerFileError as error:
        assert error.lines[0].startswith(str(path))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(BUNDLED) - 1), st.integers(1, 40), st.text(max_size=12))
def test_a_mangled_flow_is_checked_without_crashing(start: int, length: int, insert: str) -> None:
    mangled = BUNDLED[:start] + insert + BUNDLED[start + length :]
    result = check_source(mangled.encode("utf-8"), "mangled.yaml")
    for problem in result.problems:
        assert problem.line >= 1 and problem.message
