"""A Mermaid flowchart of a compiled flow, and its rendering to SVG or PNG by the Mermaid CLI.

The diagram is drawn from the compiled `transitions` Machine, not from the YAML, so that what
admins and citizens read is what runs: one node per question, grouped by section, and for each
state the transitions the Machine tries, in order, labelled with the `ask_if` they test.
Transitions that no path can take (their `ask_if` always loses to an earlier one there) are
left out, found by the same exhaustive walks as the checks before publishing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Literal

from transitions import Transition

from flows import conditions as cond
from flows.analysis import MAX_EXHAUSTIVE_PATHS, BudgetSpent, PathSpace
from flows.compiled import ADVANCE, END, START, CompiledFlow, Session
from flows.model import Section

LABEL_MAX = 60
TITLE_MAX = 70
RENDER_TIMEOUT = 180
MMDC_ENV = "BOUSSOLE_MMDC"
PUPPETEER_CONFIG_ENV = "BOUSSOLE_MMDC_PUPPETEER_CONFIG"
START_NODE = "triage_start"
END_NODE = "triage_end"

_WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "if": "si",
        "else_if": "sinon si",
        "else": "sinon",
        "and": " et ",
        "or": " ou ",
        "not": "non",
        "in": "parmi",
        "not_in": "hors de",
        "includes": "contient",
        "includes_any": "contient l'un de",
        "answered": "répondue",
        "at_least": "au moins {count} parmi",
        "gate_unknown": "une question déterminante à « je ne sais pas »",
        "unknown_count": "au moins {count} « je ne sais pas »",
        "start": "Début du triage",
        "end": "Fin : évaluation des règles",
        "rules": "Règles",
        "colon": " : ",
        "generated": "Généré depuis la grille {flow} (sha256 {sha})",
    },
    "en": {
        "if": "if",
        "else_if": "else if",
        "else": "otherwise",
        "and": " and ",
        "or": " or ",
        "not": "not",
        "in": "in",
        "not_in": "not in",
        "includes": "includes",
        "includes_any": "includes any of",
        "answered": "answered",
        "at_least": "at least {count} of",
        "gate_unknown": "a key question answered “I don't know”",
        "unknown_count": "at least {count} “I don't know”",
        "start": "Start of the triage",
        "end": "End: rules evaluated",
        "rules": "Rules",
        "colon": ": ",
        "generated": "Generated from flow {flow} (sha256 {sha})",
    },
}
_EFFECTS: dict[str, dict[str, str]] = {
    "fr": {
        "incompatible": "incompatible",
        "full_review": "examen approfondi",
        "condition": "condition",
    },
    "en": {"incompatible": "incompatible", "full_review": "full review", "condition": "condition"},
}
_SYMBOLS = {
    "equals": "=",
    "not_equals": "≠",
    "less_or_equal": "≤",
    "less_than": "<",
    "greater_or_equal": "≥",
    "greater_than": ">",
}
_ESCAPES = {
    "#": "#35;",
    '"': "#quot;",
    "&": "#38;",
    "<": "#60;",
    ">": "#62;",
    "[": "#91;",
    "]": "#93;",
    "{": "#123;",
    "}": "#125;",
    "(": "#40;",
    ")": "#41;",
    "|": "#124;",
    ";": "#59;",
    "`": "#96;",
}


def mermaid(flow: CompiledFlow, lang: str = "fr") -> str:
    """The flowchart (`flowchart TD`) of a compiled flow, its labels in `lang`."""
    words = _WORDS.get(lang, _WORDS["fr"])
    ids = node_ids(flow)
    lines = [
        "flowchart TD",
        f"  %% {words['generated'].format(flow=flow.id, sha=flow.sha256[:12])}",
        f'  {START_NODE}(["{escape(words["start"])}"])',
    ]
    for index, section in enumerate(flow.spec.sections):
        lines.extend(_subgraph(flow, section, index, ids, lang))
    lines.append(f'  {END_NODE}(["{escape(words["end"])}"])')
    lines.extend(_edges(flow, ids, lang))
    rule_nodes = [f"r{i}" for i, s in enumerate(flow.spec.sections) if s.rules]
    lines.append("  classDef rules fill:#fff8e1,stroke:#b8860b,color:#333,text-align:left")
    if rule_nodes:
        lines.append(f"  class {','.join(rule_nodes)} rules")
    return "\n".join(lines) + "\n"


def escape(text: str) -> str:
    """Text safe inside a quoted Mermaid label: entity codes for the characters that Mermaid
    reads as syntax, and no line break (a label is one line unless we add `<br/>`)."""
    flat = " ".join(text.split())
    return "".join(_ESCAPES.get(char, char) for char in flat)


def shorten(text: str, limit: int = LABEL_MAX) -> str:
    """At most `limit` characters, cut at a word where possible, with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


def node_ids(flow: CompiledFlow) -> dict[str, str]:
    """Mermaid ids for the questions: ids like `C1-Q1` read as edges, and `end` is a keyword."""
    ids: dict[str, str] = {START: START_NODE, END: END_NODE}
    taken = set(ids.values())
    for question in flow.questions:
        node = "q_" + re.sub(r"\W", "_", question.id, flags=re.ASCII)
        while node in taken:
            node += "_"
        ids[question.id] = node
        taken.add(node)
    return ids


def _text(flow: CompiledFlow, localized: dict[str, str], lang: str) -> str:
    return localized.get(lang) or localized.get(flow.spec.locales[0], "")


def _subgraph(
    flow: CompiledFlow, section: Section, index: int, ids: dict[str, str], lang: str
) -> Iterator[str]:
    colon = _WORDS.get(lang, _WORDS["fr"])["colon"]
    progress, title = _text(flow, section.progress, lang), _text(flow, section.title, lang)
    heading = title if progress == title else f"{progress}{colon}{title}"
    yield f'  subgraph s{index}["{escape(shorten(heading, TITLE_MAX))}"]'
    yield "    direction TB"
    for question in section.questions:
        label = shorten(f"{question.id}{colon}{_text(flow, question.label, lang)}")
        yield f'    {ids[question.id]}["{escape(label)}"]'
    if section.rules:
        yield f'    r{index}["{_rules_label(flow, section, lang)}"]'
    yield "  end"


def _rules_label(flow: CompiledFlow, section: Section, lang: str) -> str:
    """The rules a section holds, one a line, each with its effect in a word or two: what the
    criterion can decide, next to the questions it asks."""
    words = _WORDS.get(lang, _WORDS["fr"])
    effects = _EFFECTS.get(lang, _EFFECTS["fr"])
    lines = [escape(words["rules"] + words["colon"].rstrip())]
    lines.extend(escape(f"{rule.id} ({effects[rule.effect]})") for rule in section.rules)
    return "<br/>".join(lines)


def _edges(flow: CompiledFlow, ids: dict[str, str], lang: str) -> Iterator[str]:
    words = _WORDS.get(lang, _WORDS["fr"])
    table = flow.machine.events[ADVANCE].transitions
    space = PathSpace(flow)
    for source in [START, *(q.id for q in flow.questions)]:
        transitions = table[source]
        taken = _taken(space, source, transitions)
        guarded_before = False
        for transition in transitions:
            if transition not in taken:
                continue
            label = _edge_label(flow, transition, guarded_before, len(taken) > 1, words, lang)
            guarded_before = guarded_before or bool(transition.conditions)
            arrow = f'-->|"{escape(label)}"|' if label else "-->"
            yield f"  {ids[source]} {arrow} {ids[transition.dest]}"


def _edge_label(
    flow: CompiledFlow,
    transition: Transition,
    guarded_before: bool,
    choice: bool,
    words: dict[str, str],
    lang: str,
) -> str:
    """The first guarded transition reads "si …", the next ones "sinon si …" (the Machine
    takes the first that holds), the fallback "sinon"; a state with one way out has none."""
    if not choice:
        return ""
    if not transition.conditions:
        return words["else"]
    raw = flow.by_id[transition.dest].spec.ask_if
    tree = cond.parse(raw, ("ask_if",))
    lead = words["else_if"] if guarded_before else words["if"]
    return shorten(f"{lead} {describe(tree, lang)}")


def _taken(space: PathSpace, source: str, transitions: list[Transition]) -> list[Transition]:
    """The transitions out of `source` that some path takes, each tried as the Machine tries
    it (its own guard objects, in order, on the answers recorded at that state).

    Past the walks' budget, or past the paths worth walking, every transition is drawn: a
    way the Machine never takes is shown rather than a way it takes left out.
    """
    if len(transitions) == 1:
        return list(transitions)
    try:
        return _walked(space, source, transitions)
    except BudgetSpent:
        return list(transitions)


def _walked(space: PathSpace, source: str, transitions: list[Transition]) -> list[Transition]:
    flow = space.flow
    seeds: set[str] = set() if source == START else {source}
    for transition in transitions:
        seeds |= space.ask_reads.get(transition.dest, set())
    limit = flow.by_id[source].position if source != START else -1
    seeds = {q for q in seeds if flow.by_id[q].position <= limit}
    deciding = space.closure(seeds)
    if space.bound(deciding) > MAX_EXHAUSTIVE_PATHS:
        return list(transitions)
    taken: list[Transition] = []
    guards = sum(space.ask_costs.get(t.dest, 0) for t in transitions)
    for recorded in space.paths(deciding, guards):
        if source != START and source not in recorded:
            continue
        event = SimpleNamespace(model=Session(state=source, answers=recorded))
        first = next((t for t in transitions if _passes(t, event)), None)
        if first is not None and first not in taken:
            taken.append(first)
    return [t for t in transitions if t in taken]


def _passes(transition: Transition, event: Any) -> bool:
    return all(c.func(event) == c.target for c in transition.conditions)


Labels = Mapping[str, Mapping[str, str]]
"""Each question's choice labels in one language, by choice id (see `choice_labels`)."""


def choice_labels(flow: CompiledFlow, lang: str) -> dict[str, dict[str, str]]:
    """The labels a person reads in place of choice ids (directory questions aside)."""
    return {
        q.id: {c.id: c.label.get(lang) or c.label["fr"] for c in q.choices} for q in flow.questions
    }


def describe(tree: cond.Condition, lang: str = "fr", labels: Labels | None = None) -> str:
    """A condition in words: `DI1 ≠ non`, `DI2 = agent_decide et DI4 = non`; with `labels`,
    each choice by its label (`DI1 ≠ Non`), as a page for the public says it. The diagram
    keeps the ids: its edges must stay short, and an admin reads them beside the file."""
    words = _WORDS.get(lang, _WORDS["fr"])
    if isinstance(tree, cond.Compare):
        return _describe_compare(tree, words, (labels or {}).get(tree.question, {}))
    if isinstance(tree, cond.Answered):
        return f"{tree.question} {words['answered']}"
    if isinstance(tree, cond.GateUnknown):
        return words["gate_unknown"]
    if isinstance(tree, cond.UnknownCount):
        return words["unknown_count"].format(count=tree.minimum)
    parts = [_nested(item, lang, labels) for item in tree.items]
    if tree.operator == "not":
        return f"{words['not']} ({describe(tree.items[0], lang, labels)})"
    if tree.operator == "at_least":
        return f"{words['at_least'].format(count=tree.count)} ({', '.join(parts)})"
    return words["and" if tree.operator == "all" else "or"].join(parts)


def _nested(tree: cond.Condition, lang: str, labels: Labels | None) -> str:
    text = describe(tree, lang, labels)
    if isinstance(tree, cond.Combine) and tree.operator in ("all", "any") and len(tree.items) > 1:
        return f"({text})"
    return text


def _describe_compare(node: cond.Compare, words: dict[str, str], labels: Mapping[str, str]) -> str:
    value = node.value
    items = [labels.get(str(v), str(v)) for v in value] if isinstance(value, list) else []
    shown = (
        f"[{', '.join(items)}]" if isinstance(value, list) else labels.get(str(value), str(value))
    )
    if node.operator in _SYMBOLS:
        return f"{node.question} {_SYMBOLS[node.operator]} {shown}"
    if isinstance(value, list):
        shown = f"({', '.join(items)})"
    return f"{node.question} {words[node.operator]} {shown}"


class DiagramToolMissing(RuntimeError):
    """No Mermaid CLI to render with: the caller can print the Mermaid text instead."""

    code = "diagram_tool_missing"

    def __init__(self, tool: str) -> None:
        self.tool = tool
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        if lang == "en":
            return (
                f"Rendering a diagram needs the Mermaid CLI ({self.tool}), which was not found: "
                f"install @mermaid-js/mermaid-cli or set {MMDC_ENV} to its path."
            )
        return (
            f"Le rendu d'un diagramme demande la CLI Mermaid ({self.tool}), introuvable : "
            f"installez @mermaid-js/mermaid-cli ou indiquez son chemin dans {MMDC_ENV}."
        )


class DiagramRenderError(RuntimeError):
    """The Mermaid CLI ran and failed; carries the end of what it printed."""

    code = "diagram_render_failed"

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(f"the Mermaid CLI failed: {detail}")


def mermaid_cli() -> str:
    """The Mermaid CLI to run: the executable named by BOUSSOLE_MMDC, else `mmdc` on PATH."""
    wanted = os.environ.get(MMDC_ENV) or "mmdc"
    found = shutil.which(wanted)
    if found is None:
        raise DiagramToolMissing(wanted)
    return found


def render(mermaid_text: str, fmt: Literal["svg", "png"], out: Path) -> None:
    """Render Mermaid text to `out` with the Mermaid CLI (which drives a headless browser).

    Raises DiagramToolMissing when there is no CLI, DiagramRenderError when it fails.
    BOUSSOLE_MMDC_PUPPETEER_CONFIG names a puppeteer config (browser path, `--no-sandbox`).
    """
    if fmt not in ("svg", "png"):
        raise ValueError(f"unsupported diagram format {fmt!r}; use svg or png")
    command = mermaid_cli()
    with tempfile.TemporaryDirectory(prefix="boussole-diagram-") as folder:
        source = Path(folder) / "flow.mmd"
        source.write_text(mermaid_text, encoding="utf-8")
        args = [command, "--quiet", "-i", str(source), "-o", str(out), "-e", fmt]
        config = os.environ.get(PUPPETEER_CONFIG_ENV)
        if config:
            args += ["-p", config]
        _run(args)
    if not out.is_file() or out.stat().st_size == 0:
        raise DiagramRenderError(f"no {fmt} file was written to {out}")


def _run(args: list[str]) -> None:
    try:
        done = subprocess.run(
            args, capture_output=True, text=True, timeout=RENDER_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise DiagramRenderError(f"no answer after {RENDER_TIMEOUT} s") from error
    except OSError as error:
        raise DiagramRenderError(str(error)) from error
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()[-2000:]
        raise DiagramRenderError(detail or f"exit code {done.returncode}")
