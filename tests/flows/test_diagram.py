"""The Mermaid diagram is drawn from the compiled Machine: every question, every section, the
ask_if on the edges; rendering needs the Mermaid CLI and says so when it is missing.

The syntax itself is checked by the real Mermaid parser in tests/node/run-mermaid-check.sh.
"""

from __future__ import annotations

import re
import stat
import sys
from pathlib import Path

import pytest

from flows import conditions as cond
from flows.compiled import CompiledFlow
from flows.diagram import (
    DiagramRenderError,
    DiagramToolMissing,
    describe,
    escape,
    mermaid,
    node_ids,
    render,
    shorten,
)
from flows.loader import load_bundled

NODE = re.compile(r'^\s+(\w+)\["(.*)"\]$')
EDGE = re.compile(r'^\s+(\w+) -->(?:\|"(.*)"\|)? (\w+)$')


@pytest.fixture(scope="module")
def flow() -> CompiledFlow:
    return load_bundled()


@pytest.fixture(scope="module")
def french(flow: CompiledFlow) -> str:
    return mermaid(flow, "fr")


def nodes(text: str) -> dict[str, str]:
    return {m[1]: m[2] for line in text.splitlines() if (m := NODE.match(line))}


def edges(text: str) -> list[tuple[str, str, str]]:
    return [(m[1], m[2] or "", m[3]) for line in text.splitlines() if (m := EDGE.match(line))]


def test_a_flowchart_with_a_start_and_an_end(french: str) -> None:
    lines = french.splitlines()
    assert lines[0] == "flowchart TD"
    assert 'triage_start(["Début du triage"])' in french
    assert 'triage_end(["Fin : évaluation des règles"])' in french


def test_every_question_is_a_node_labelled_with_its_id(flow: CompiledFlow, french: str) -> None:
    ids = node_ids(flow)
    labels = nodes(french)
    for question in flow.questions:
        assert labels[ids[question.id]].startswith(f"{question.id} : ")
    assert len(set(ids.values())) == len(ids)
    assert not any(node == "end" for node in ids.values())


def test_every_section_is_a_subgraph_titled_in_the_language(
    flow: CompiledFlow, french: str
) -> None:
    titles = re.findall(r'^  subgraph s\d+\["(.*)"\]$', french, flags=re.M)
    assert len(titles) == len(flow.spec.sections)
    assert titles[1] == "Décisions individuelles"
    assert titles[4] == "Critère 3/7 : Amélioration du service public"
    english = re.findall(r'^  subgraph s\d+\["(.*)"\]$', mermaid(flow, "en"), flags=re.M)
    assert english[4] == "Criterion 3/7: Improving the public service"


def test_each_section_lists_its_rules_with_their_effect(french: str) -> None:
    assert "Règles :<br/>DI-R1 #40;incompatible#41;<br/>DI-R2 #40;incompatible#41;" in french
    assert "G-R3 #40;examen approfondi#41;" in french
    assert "C1-R5 #40;condition#41;" in french


def test_edges_follow_the_machine_with_their_ask_if(flow: CompiledFlow, french: str) -> None:
    ids = node_ids(flow)
    drawn = edges(french)
    into_di2 = [label for _, label, dest in drawn if dest == ids["DI2"]]
    assert into_di2 == ["si DI1 ≠ non"]
    out_of_di1 = [(label, dest) for source, label, dest in drawn if source == ids["DI1"]]
    assert out_of_di1 == [("si DI1 ≠ non", ids["DI2"]), ("sinon", ids["C1-Q1"])]
    out_of_di3 = [label for source, label, _ in drawn if source == ids["DI3"]]
    assert out_of_di3 == [
        "si DI3 = identifiee",
        "sinon si DI1 ≠ non et DI2 = agent_decide",
        "sinon si DI1 ≠ non",
    ]
    assert (ids["C7-Q4"], "", "triage_end") in drawn
    assert ("triage_start", "", ids["P1"]) in drawn


def test_transitions_no_path_takes_are_left_out(flow: CompiledFlow, french: str) -> None:
    """DI3 is asked whenever DI2 is, so the Machine's fallback from DI2 never runs."""
    ids = node_ids(flow)
    drawn = edges(french)
    assert [dest for source, _, dest in drawn if source == ids["DI2"]] == [ids["DI3"]]
    table = flow.machine.events["advance"].transitions
    assert len(table["DI2"]) > 1


def test_every_question_has_a_way_in(flow: CompiledFlow, french: str) -> None:
    ids = node_ids(flow)
    reached = {dest for _, _, dest in edges(french)}
    assert all(ids[q.id] in reached for q in flow.questions)
    assert "triage_end" in reached


def test_english_labels(flow: CompiledFlow) -> None:
    english = mermaid(flow, "en")
    assert '-->|"if DI1 ≠ non"|' in english
    assert '-->|"otherwise"|' in english
    assert 'triage_start(["Start of the triage"])' in english
    assert "DI-R2b #40;full review#41;" in english


def test_escape_turns_mermaid_syntax_into_entity_codes() -> None:
    assert escape('a "b" [c] {d} (e) #1 <f> | g; h & `i`') == (
        "a #quot;b#quot; #91;c#93; #123;d#125; #40;e#41; "
        "#35;1 #60;f#62; #124; g#59; h #38; #96;i#96;"
    )
    assert escape("two\nlines\r\n  here") == "two lines here"


def test_long_labels_are_shortened_at_a_word(flow: CompiledFlow, french: str) -> None:
    assert shorten("court") == "court"
    long = shorten("mot " * 40)
    assert len(long) <= 60 and long.endswith("mot…")
    assert nodes(french)[node_ids(flow)["DI1"]] == (
        "DI1 : Le système produit, propose ou prépare-t-il une…"
    )


@pytest.mark.parametrize(
    ("raw", "fr", "en"),
    [
        ({"equals": {"DI1": "oui"}}, "DI1 = oui", "DI1 = oui"),
        ({"in": {"DI2": ["a", "b"]}}, "DI2 parmi (a, b)", "DI2 in (a, b)"),
        ({"not_in": {"DI2": ["a"]}}, "DI2 hors de (a)", "DI2 not in (a)"),
        ({"includes": {"C1-Q2": "x"}}, "C1-Q2 contient x", "C1-Q2 includes x"),
        ({"includes_any": {"C1-Q2": ["x", "y"]}}, "C1-Q2 contient l'un de (x, y)", None),
        ({"equals": {"C2-Q4": ["aucun"]}}, "C2-Q4 = [aucun]", "C2-Q4 = [aucun]"),
        ({"greater_than": {"C4-Q5": 3}}, "C4-Q5 > 3", "C4-Q5 > 3"),
        ({"answered": "P1"}, "P1 répondue", "P1 answered"),
        ({"not": {"equals": {"A": "b"}}}, "non (A = b)", "not (A = b)"),
        (
            {"all": [{"equals": {"A": "b"}}, {"any": [{"equals": {"C": "d"}}, {"answered": "E"}]}]},
            "A = b et (C = d ou E répondue)",
            "A = b and (C = d or E answered)",
        ),
        (
            {"at_least": {"count": 2, "of": [{"equals": {"A": "b"}}, {"equals": {"C": "d"}}]}},
            "au moins 2 parmi (A = b, C = d)",
            "at least 2 of (A = b, C = d)",
        ),
        ({"gate_unknown": True}, "une question déterminante à « je ne sais pas »", None),
        ({"unknown_count_at_least": 3}, "au moins 3 « je ne sais pas »", None),
    ],
)
def test_conditions_read_as_words(raw: dict, fr: str, en: str | None) -> None:
    tree = cond.parse(raw, ())
    assert describe(tree, "fr") == fr
    if en is not None:
        assert describe(tree, "en") == en


def test_render_without_the_cli_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("BOUSSOLE_MMDC", str(tmp_path / "no-such-mmdc"))
    with pytest.raises(DiagramToolMissing) as missing:
        render("flowchart TD\n  a --> b\n", "svg", tmp_path / "out.svg")
    assert missing.value.code == "diagram_tool_missing"
    assert "CLI Mermaid" in missing.value.message("fr")
    assert "BOUSSOLE_MMDC" in missing.value.message("en")
    assert "@mermaid-js/mermaid-cli" in str(missing.value)
    monkeypatch.delenv("BOUSSOLE_MMDC")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(DiagramToolMissing):
        render("flowchart TD\n  a --> b\n", "png", tmp_path / "out.png")


def fake_cli(folder: Path, body: str) -> Path:
    """A stand-in for mmdc that records its arguments and runs `body`."""
    script = folder / "fake-mmdc"
    script.write_text(
        f"#!{sys.executable}\n"
        "import sys, pathlib\n"
        "args = sys.argv[1:]\n"
        f"pathlib.Path({str(folder / 'args.txt')!r}).write_text('\\n'.join(args))\n"
        f"{body}\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_render_runs_the_cli_named_by_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    body = "out = args[args.index('-o') + 1]\npathlib.Path(out).write_text('<svg/>')"
    monkeypatch.setenv("BOUSSOLE_MMDC", str(fake_cli(tmp_path, body)))
    monkeypatch.setenv("BOUSSOLE_MMDC_PUPPETEER_CONFIG", "/etc/puppeteer.json")
    out = tmp_path / "flow.svg"
    render("flowchart TD\n  a --> b\n", "svg", out)
    assert out.read_text() == "<svg/>"
    args = (tmp_path / "args.txt").read_text().splitlines()
    assert args[args.index("-e") + 1] == "svg"
    assert args[args.index("-p") + 1] == "/etc/puppeteer.json"


def test_a_failing_cli_is_an_error_with_its_output(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    body = "sys.stderr.write('Parse error on line 2')\nsys.exit(1)"
    monkeypatch.setenv("BOUSSOLE_MMDC", str(fake_cli(tmp_path, body)))
    with pytest.raises(DiagramRenderError, match="Parse error on line 2"):
        render("flowchart TD\n  a -->\n", "png", tmp_path / "flow.png")


def test_render_refuses_other_formats(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="svg or png"):
        render("flowchart TD\n", "pdf", tmp_path / "flow.pdf")  # type: ignore[arg-type]
