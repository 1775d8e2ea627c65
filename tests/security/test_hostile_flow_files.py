"""Hostile flow files (issue #12, defect 3): each is refused with a `FILE:LINE: error:` line,
in bounded memory and work, instead of hanging the checker, growing without end or crashing
it with a RecursionError. The chat side (a reply always, agents' turns never held up) is in
test_chat_uploads.py."""

from __future__ import annotations

import pytest

from flows import analysis, limits
from flows.diagram import mermaid
from flows.loader import CheckResult, bundled_flow_bytes, check_source, load_bundled
from flows.problems import Reporter
from flows.translations import french
from tests.security import hostile


def refused(source: bytes, name: str = "hostile.yaml") -> CheckResult:
    """The check of `source`: no flow, and every problem a well-formed line in French too."""
    result = check_source(source, name)
    assert result.flow is None and result.errors
    for problem in result.problems:
        assert problem.line >= 1
        assert french(problem.message), problem.message
        assert problem.render("en").startswith(f"{name}:{problem.line}: {problem.severity}: ")
    return result


def messages(result: CheckResult) -> str:
    return "\n".join(p.message for p in result.errors)


def test_alias_bomb_flow_is_refused_at_the_line_of_the_alias() -> None:
    source = hostile.alias_bomb(levels=9, width=9)
    assert len(source) < 100_000
    (error,) = refused(source).errors
    assert "more than 30000 values, each alias counted" in error.message
    lines = source.decode("utf-8").splitlines()
    assert "*l" in lines[error.line - 1]  # the line of the alias that crossed the limit


def test_an_alias_inside_its_own_anchor_is_refused() -> None:
    source = hostile.with_condition("          &loop {any: [*loop]}\n")
    (error,) = refused(source).errors
    assert error.line == hostile.TARGET_LINE + 1
    assert "alias *loop is inside its own anchor &loop" in error.message


def test_anchors_within_the_limits_are_still_allowed() -> None:
    """The bundled flow names its list of sensitive data once (&sensitive) and reuses it."""
    assert b"*sensitive" in bundled_flow_bytes()
    assert check_source(bundled_flow_bytes(), "bundled.yaml").errors == []


def test_56000_conditions_flow_is_refused_while_it_is_read() -> None:
    source = hostile.many_conditions(56_000)
    assert len(source) < limits.MAX_FLOW_BYTES
    (error,) = refused(source).errors
    assert error.line == hostile.TARGET_LINE + 1  # the line of the 56,000 conditions
    assert "more than 30000 values" in error.message


def test_a_condition_past_its_own_size_limit_is_refused() -> None:
    result = refused(hostile.many_conditions(limits.MAX_CONDITION_NODES))
    assert "the condition holds more than 500 operators and comparisons" in messages(result)


def test_the_conditions_of_a_flow_are_limited_in_all() -> None:
    result = refused(hostile.heavy_rules(rules=11, width=490, item="{answered: C1-Q5}"))
    assert "the conditions of the flow hold more than 5000 operators" in messages(result)


def test_deep_condition_nesting_is_refused_at_its_line() -> None:
    deep = refused(hostile.deep_condition(limits.MAX_CONDITION_DEPTH + 1))
    assert deep.errors[0].line == hostile.TARGET_LINE + 1
    assert "conditions are nested more than 24 levels deep" in messages(deep)
    assert check_source(hostile.deep_condition(limits.MAX_CONDITION_DEPTH - 1), "f.yaml").flow


@pytest.mark.parametrize("depth", [65, 2_000, 100_000])
def test_deep_nesting_yaml_is_refused_before_anything_recurses(depth: int) -> None:
    for source in (hostile.deep_brackets(depth), hostile.deep_condition(depth)):
        if len(source) > limits.MAX_FLOW_BYTES:
            continue
        result = refused(source)
        assert "nested more than 64 levels deep" in messages(result)


def test_deep_block_sequences_are_refused_at_the_line_past_the_limit() -> None:
    (error,) = refused(hostile.deep_block_sequences(200)).errors
    assert error.line == limits.MAX_NESTING + 1


def test_an_alias_counts_as_deep_as_what_it_stands_for() -> None:
    """An anchor 40 levels deep, aliased 40 levels deep: 80 levels once expanded."""
    nested = "[" * 39 + "x" + "]" * 39
    source = f"a: &deep {nested}\nb: {'[' * 39}*deep{']' * 39}\n".encode()
    (error,) = refused(source).errors
    assert error.line == 2 and "nested more than 64 levels" in error.message


@pytest.mark.parametrize(
    "value",
    ["!!python/object/apply:os.system [ls]", "!!binary aGVsbG8=", "!custom x", "!!str oui", "! x"],
)
def test_yaml_tags_are_refused(value: str) -> None:
    (error,) = refused(hostile.with_condition(f"          {{equals: {{C1-Q5: {value}}}}}\n")).errors
    assert error.line == hostile.TARGET_LINE + 1
    assert "YAML tags" in error.message and "are not allowed" in error.message


@pytest.mark.parametrize("value", ["1" * 5_000, "2024-13-45"])
def test_values_python_refuses_are_reported_at_their_line(value: str) -> None:
    (error,) = refused(hostile.with_condition(f"          {{equals: {{C1-Q5: {value}}}}}\n")).errors
    assert error.line == hostile.TARGET_LINE + 1
    assert error.message.startswith("not valid YAML: ")


def test_too_many_choices_in_a_question_are_refused() -> None:
    source = hostile.BUNDLED.replace(
        "choices:\n",
        "choices:\n"
        + "".join(f"          - {{id: c{i}, label: {{fr: C{i}, en: C{i}}}}}\n" for i in range(201)),
        1,
    )
    result = refused(source.encode("utf-8"))
    assert "205 choices in question DI2; a question holds at most 200" in messages(result)


def test_the_heaviest_conditions_allowed_are_stopped_by_the_work_budget() -> None:
    (error,) = refused(hostile.heavy_rules(rules=9, width=490)).errors
    assert error.line == 1
    assert f"the path checks stopped after {limits.ANALYSIS_BUDGET} steps" in error.message


def test_the_work_budget_gives_the_same_verdict_every_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Counted in work, not seconds: the same file meets the limit at the same step."""
    monkeypatch.setattr(limits, "ANALYSIS_BUDGET", 1_500_000)
    source = hostile.heavy_rules(rules=2, width=100)
    first, second = refused(source), refused(source)
    assert first.problems == second.problems and len(first.errors) == 1
    assert "the path checks stopped after 1500000 steps" in first.errors[0].message


def test_the_bundled_flow_is_far_within_the_work_budget() -> None:
    report = Reporter("bundled.yaml", None)
    coverage = analysis.analyse(load_bundled(), report, budget=limits.ANALYSIS_BUDGET // 5)
    assert report.problems == [] and coverage is not None and coverage.complete


def test_the_diagram_past_its_budget_draws_every_transition_instead_of_walking_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    flow = load_bundled()
    walked = mermaid(flow)
    original = analysis.Budget.__init__
    monkeypatch.setattr(analysis.Budget, "__init__", lambda self, units=0: original(self, 1))
    starved = mermaid(flow)
    assert starved.startswith("flowchart")
    assert starved.count("-->") > walked.count("-->")


@pytest.mark.parametrize("escape", ["\\e[2J", "\\a", "\\x9b", "\\0"])
def test_a_control_character_in_a_text_is_refused_at_its_line(escape: str) -> None:
    """YAML writes them as escapes; in a label they would reach every agent's terminal."""
    source = hostile.BUNDLED.replace(
        "label: {fr: Nom du projet,", f'label: {{fr: "Nom du{escape} projet",', 1
    )
    result = refused(source.encode("utf-8"))
    (problem,) = result.errors
    assert "control character (U+" in problem.message
    assert problem.render("fr").endswith("; retirez-le (champ sections[0].questions[0].label.fr)")
