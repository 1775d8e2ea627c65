"""Fuzzing: the answer-file reader and the flow loader fail only with clear errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.answer_file import AnswerFileError, read_answer_file, validate_answers
from bot.directory import load_directory
from flows.documents import DocumentRefused, load_json
from flows.limits import MAX_NESTING
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


# Hostile YAML (issue #12): anchors, aliases, tags, deep nesting, values Python refuses.

YAML_PIECES = [
    "[",
    "]",
    "{",
    "}",
    ", ",
    ": ",
    "- ",
    "\n",
    "  ",
    "&a ",
    "&b ",
    "*a",
    "*b",
    "!!str ",
    "!tag ",
    "!!python/object:os.system ",
    "<<: ",
    "x",
    "oui",
    "1" * 5_000,
    "2024-13-45",
    "? ",
    "|\n",
    '"',
    "'",
    "#",
    "---\n",
    "%YAML 1.2\n",
    "\t",
    "\\",
    "\x00",
    "é",
]
yaml_texts = st.lists(st.sampled_from(YAML_PIECES), max_size=400).map("".join)


def bomb(depth: int, width: int) -> str:
    """Anchors that alias the previous level `width` times, `depth` levels deep."""
    lines = ["l0: &l0 [x]"]
    for level in range(1, depth + 1):
        lines.append(f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    yaml_texts
    | st.binary(max_size=2_000).map(lambda b: b.decode("latin-1"))
    | st.builds(bomb, st.integers(1, 12), st.integers(1, 12))
    | st.integers(0, 3_000).map(lambda n: "[" * n + "]" * n)
    | st.integers(0, 500).map(lambda n: "".join(f"{'  ' * i}- \n" for i in range(n)))
)
@example(bomb(9, 9))
@example("a: &a [*a]")
def test_any_yaml_text_gives_problems_never_an_exception(text: str) -> None:
    """Whatever the text under the size limit, check_source returns problems with lines."""
    result = check_source(text.encode("utf-8", "surrogatepass"), "fuzz.yaml")
    assert result.flow is None or not result.errors
    for problem in result.problems:
        assert problem.line >= 1 and problem.message


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    yaml_texts
    | st.builds(bomb, st.integers(1, 12), st.integers(1, 12))
    | st.integers(0, 3_000).map(lambda n: "[" * n + "]" * n),
    st.sampled_from(["answers.yaml", "answers.json"]),
)
def test_any_answer_file_gives_data_or_a_named_error(
    tmp_path_factory: Any, text: str, name: str
) -> None:
    path = Path(tmp_path_factory.mktemp("fuzz")) / name
    path.write_text(text, "utf-8", errors="surrogatepass")
    try:
        read_answer_file(path, "fr")
    except AnswerFileError as error:
        assert error.lines[0].startswith(f"{path}: ")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ax\n', max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=20,
)


def depth_of(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max(map(depth_of, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(depth_of, value.values()), default=0)
    return 0


@settings(max_examples=200, deadline=None)
@given(json_values, st.integers(0, 2 * MAX_NESTING))
def test_the_json_depth_scan_agrees_with_json_itself(value: Any, wrap: int) -> None:
    """Brackets and quotes inside strings never fool the scan: a document is refused exactly
    when it is nested deeper than the limit."""
    document = value
    for _ in range(wrap):
        document = [document]
    text = json.dumps(document)
    if depth_of(document) > MAX_NESTING:
        try:
            load_json(text)
        except DocumentRefused:
            return
        raise AssertionError("a document past the limit was read")
    assert load_json(text) == document
