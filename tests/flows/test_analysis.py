"""The path checks before publishing: the bundled flow passes them with full coverage, they are
deterministic, their walks follow the Machine, and `load_document` skips them."""

from __future__ import annotations

import hashlib
import random
from typing import Any

import pytest

import flows.analysis as analysis
from flows.analysis import Coverage, PathSpace, analyse, relevant_values, walk
from flows.compiled import CompiledFlow
from flows.loader import bundled_flow_bytes, check_source, load_bundled, load_document
from flows.model import OUTCOMES
from flows.problems import Reporter

BUNDLED = bundled_flow_bytes().decode("utf-8")
CROSS_SECTION = {"C2-R5", "C3-R1", "C3-R1b", "C6-R4", "G-R1", "G-R2", "G-R3"}
IMPOSSIBLE_CROSS_RULE = """\
      - id: G-R9
        when:
          all:
            - {equals: {DI1: oui}}
            - {equals: {C7-Q1: non}}
            - {not: {answered: DI2}}
        effect: full_review
        explanation: {fr: Jamais., en: Never.}
        reference: {fr: "[BP] Test", en: "[BP] Test"}
"""


@pytest.fixture(scope="module")
def flow() -> CompiledFlow:
    return load_bundled()


def run(flow: CompiledFlow, **options: Any) -> tuple[Coverage, Reporter]:
    report = Reporter("flow.yaml", None)
    return analyse(flow, report, **options), report


def test_the_bundled_flow_passes_with_full_coverage(flow: CompiledFlow) -> None:
    coverage, report = run(flow)
    assert report.problems == []
    assert coverage.complete
    assert coverage.rules_total == coverage.rules_fired == len(flow.rules) == 42
    assert set(coverage.cross_rules) == CROSS_SECTION
    assert len(coverage.local_rules) == len(coverage.local_fired) == 42 - len(CROSS_SECTION)
    assert set(coverage.sampled_fired) == CROSS_SECTION
    assert coverage.searched_fired == ()
    assert coverage.outcomes == OUTCOMES
    assert coverage.sampled_paths == 2000
    assert coverage.exhaustive_paths > 0
    assert coverage.unfired == ()


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_full_coverage_does_not_hang_on_one_lucky_seed(flow: CompiledFlow, seed: int) -> None:
    coverage, report = run(flow, seed=seed)
    assert report.problems == []
    assert coverage.complete


def test_the_analysis_is_deterministic(flow: CompiledFlow) -> None:
    assert run(flow)[0] == run(flow)[0]


def test_without_samples_a_targeted_search_still_reaches_every_rule_and_outcome(
    flow: CompiledFlow,
) -> None:
    coverage, report = run(flow, samples=0)
    assert report.problems == []
    assert set(coverage.searched_fired) == CROSS_SECTION
    assert coverage.complete


def test_the_summary_line_in_french_and_english(flow: CompiledFlow) -> None:
    coverage, _ = run(flow)
    paths = coverage.paths
    assert coverage.summary("fr") == (
        "Couverture : 42/42 règles déclenchées (35/35 par parcours exhaustif de section, "
        f"7/7 sur 2000 parcours tirés), 3/3 orientations produites, {paths} parcours en tout"
    )
    assert coverage.summary("en") == (
        "Coverage: 42/42 rules fired (35/35 by exhaustive section walks, "
        f"7/7 in 2000 sampled paths), 3/3 outcomes produced, {paths} paths in all"
    )
    searched, _ = run(flow, samples=0)
    assert "dont 7 par recherche ciblée" in searched.summary("fr")
    assert "7 by targeted search" in searched.summary("en")


def test_check_source_returns_the_coverage_and_caches_it() -> None:
    first = check_source(BUNDLED.encode(), "flow.yaml")
    assert first.problems == []
    assert first.coverage is not None and first.coverage.complete
    again = check_source(BUNDLED.encode(), "flow.yaml")
    assert again.flow is first.flow
    assert again.coverage == first.coverage


def test_load_document_does_not_walk_and_check_source_still_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A published version is loaded without the walks; a flow cached that way is walked
    anyway when it is checked, since the cache alone does not prove it passed them."""
    source = (BUNDLED + "\n# another version\n").encode()
    sha256 = hashlib.sha256(source).hexdigest()
    calls: list[str] = []
    real = analysis.analyse

    def counting(flow: CompiledFlow, report: Reporter) -> Coverage:
        calls.append(flow.sha256)
        return real(flow, report)

    monkeypatch.setattr(analysis, "analyse", counting)
    document = load_bundled().document
    flow = load_document(document, source, sha256, "boussole-nantes v2")
    assert flow.sha256 == sha256
    assert calls == []
    result = check_source(source, "flow.yaml")
    assert calls == [sha256]
    assert result.coverage is not None
    assert result.flow is not None and result.flow.sha256 == sha256


def test_a_cross_section_rule_never_seen_is_a_warning_naming_the_coverage() -> None:
    anchor = "    questions: []\n    rules:\n"
    text = BUNDLED.replace(anchor, anchor + IMPOSSIBLE_CROSS_RULE)
    result = check_source(text.encode(), "flow.yaml")
    assert result.errors == []
    assert result.flow is not None
    (warning,) = result.problems
    assert warning.severity == "warning"
    assert warning.message.startswith("rule G-R9 was not seen firing on 2000 sampled paths")
    assert "rule coverage 42/43" in warning.message
    assert warning.line == text[: text.index("      - id: G-R9\n")].count("\n") + 2
    assert result.coverage is not None and result.coverage.unfired == ("G-R9",)


def test_walk_follows_the_machine(flow: CompiledFlow) -> None:
    """The fast walk of the checks takes the path that the compiled Machine takes."""
    values = relevant_values(flow)
    rng = random.Random(7)
    for _ in range(200):
        answers = {q: rng.choice(v) for q, v in values.items() if rng.random() < 0.9}
        assert list(walk(flow, answers).items()) == list(flow.path(answers).answers.items())


def test_relevant_values_tell_every_condition_apart(flow: CompiledFlow) -> None:
    space = PathSpace(flow)
    values = space.values
    assert values["P1"] == ("x",)
    assert values["P2"] == ("autre",)
    assert values["C4-Q5"] == (1, 2, 3, 4, 5)
    assert values["DI2"] == ("ia_auto", "agent_valide", "agent_decide", "nsp")
    multi = values["C2-Q4"]
    assert ["aucun"] in multi and ["rh"] in multi
    assert ["prestations", "rh", "education", "urgences", "infrastructure_critique"] in multi
    for answer in multi:
        assert isinstance(answer, list)
        assert "aucun" not in answer or answer == ["aucun"]


def test_exhaustive_paths_branch_only_where_a_question_is_asked(flow: CompiledFlow) -> None:
    space = PathSpace(flow)
    deciding = space.closure({"DI4"})
    assert deciding == ("DI1", "DI2", "DI4")
    paths = [dict(p) for p in space.paths(deciding)]
    # DI1 = non: nothing else asked; otherwise 4 answers to DI2, and 3 to DI4 after agent_decide
    assert len(paths) == 1 + 2 * (3 + 3)
    assert {"DI1": "non"} in paths
    assert all("DI4" not in p or p["DI2"] == "agent_decide" for p in paths)
