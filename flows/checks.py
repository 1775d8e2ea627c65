"""Checks that need the whole flow: ids, translations, choices, and the types in conditions.

Every check reports through a `Reporter`, so that an admin sees all the problems of a file
at once, each with its line, instead of fixing them one run at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from flows import conditions as cond
from flows.answers import control_character
from flows.limits import (
    MAX_CHOICES,
    MAX_CONDITION_NODES_TOTAL,
    MAX_QUESTIONS,
    MAX_RULES,
    MAX_SECTIONS,
    MAX_STANDARD_CONDITIONS,
)
from flows.model import SCALE_MAX, SCALE_MIN, FlowFile, Question, implicit_choices
from flows.problems import Loc, Reporter

SUPPORTED_LOCALES = ("fr", "en")
CHOICE_TYPES = ("single", "multi", "yes_no", "yes_no_unknown")
MENU_CHOICES_MAX = 100
"""The most options a Slack menu (static_select, multi_static_select) holds."""


def check_flow(flow: FlowFile, report: Reporter) -> dict[str, cond.Condition]:
    """Run every check; returns the parsed conditions by the loc key of their field.

    A flow past the size limits is reported as such and checked no further: the other checks
    and the compilation cost more than linear time in its size.
    """
    if not _check_sizes(flow, report):
        return {}
    _check_locales(flow, report)
    _check_translations(flow, report)
    _check_ids(flow, report)
    questions = {q.id: q for s in flow.sections for q in s.questions}
    order = {q.id: i for i, q in enumerate(q for s in flow.sections for q in s.questions)}
    for s_index, section in enumerate(flow.sections):
        for q_index, question in enumerate(section.questions):
            _check_question(flow, question, ("sections", s_index, "questions", q_index), report)
        for r_index, rule in enumerate(section.rules):
            loc = ("sections", s_index, "rules", r_index)
            if rule.effect == "condition" and rule.condition is None:
                report.error(loc, f"rule {rule.id} has effect 'condition' but no 'condition' text")
            if rule.effect != "condition" and rule.condition is not None:
                report.error(
                    (*loc, "condition"),
                    f"rule {rule.id}: a 'condition' text only goes with effect 'condition'",
                )
    parsed: dict[str, cond.Condition] = {}
    nodes = 0
    for loc, raw, before in _condition_fields(flow, order):
        tree = _parse(raw, loc, report)
        if tree is None:
            continue
        nodes += cond.size(tree)
        if nodes > MAX_CONDITION_NODES_TOTAL:
            report.error(
                loc,
                f"the conditions of the flow hold more than {MAX_CONDITION_NODES_TOTAL} "
                "operators and comparisons in all; simplify them",
            )
            break
        parsed[repr(loc)] = tree
        _check_condition(flow, tree, questions, report, before)
    return parsed


def _check_sizes(flow: FlowFile, report: Reporter) -> bool:
    """Whether the flow is within the counts of `flows.limits`; an error for each count past."""
    questions = [q for s in flow.sections for q in s.questions]
    rules = sum(len(s.rules) for s in flow.sections)
    standard = len(flow.standard_conditions)
    counts: list[tuple[Loc, int, int, str]] = [
        (("sections",), len(flow.sections), MAX_SECTIONS, "sections; a flow"),
        (("sections",), len(questions), MAX_QUESTIONS, "questions; a flow"),
        (("sections",), rules, MAX_RULES, "rules; a flow"),
        (
            ("standard_conditions",),
            standard,
            MAX_STANDARD_CONDITIONS,
            "standard conditions; a flow",
        ),
    ]
    for s_index, section in enumerate(flow.sections):
        for q_index, question in enumerate(section.questions):
            loc = ("sections", s_index, "questions", q_index, "choices")
            choices = len(question.choices or [])
            counts.append(
                (loc, choices, MAX_CHOICES, f"choices in question {question.id}; a question")
            )
    within = True
    for loc, count, most, what in counts:
        if count > most:
            report.error(loc, f"{count} {what} holds at most {most}")
            within = False
    return within


def _check_locales(flow: FlowFile, report: Reporter) -> None:
    if flow.locales[0] != "fr":
        report.error(("locales",), "French comes first: locales must start with 'fr'")
    for i, locale in enumerate(flow.locales):
        if locale not in SUPPORTED_LOCALES:
            report.error(
                ("locales", i),
                f"locale {locale!r} is not supported; use {', '.join(SUPPORTED_LOCALES)}",
            )
    if len(set(flow.locales)) != len(flow.locales):
        report.error(("locales",), "a locale is listed twice")


def _check_translations(flow: FlowFile, report: Reporter) -> None:
    data = asdict(flow)
    for loc, text in _localized_texts(data, ()):
        for locale in flow.locales:
            if not str(text.get(locale, "")).strip():
                report.error((*loc, locale), f"missing {locale!r} translation")
        for locale, words in text.items():
            if locale not in flow.locales:
                report.error((*loc, locale), f"text in {locale!r}, which is not in locales")
            elif isinstance(words, str) and (control := control_character(words)) is not None:
                report.error((*loc, locale), f"a control character ({control}); remove it")


_LOCALIZED_FIELDS = {
    "title",
    "progress",
    "label",
    "why",
    "reference",
    "explanation",
    "condition",
    "text",
    "description",
}


def _localized_texts(data: Any, loc: Loc) -> Iterable[tuple[Loc, dict[str, str]]]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key in _LOCALIZED_FIELDS and isinstance(value, dict):
                yield (*loc, key), value
            else:
                yield from _localized_texts(value, (*loc, key))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from _localized_texts(item, (*loc, i))


def _check_ids(flow: FlowFile, report: Reporter) -> None:
    seen: dict[str, str] = {}

    def claim(kind: str, ident: str, loc: Loc) -> None:
        if ident in seen:
            report.error((*loc, "id"), f"duplicate id {ident!r} (already used by a {seen[ident]})")
        else:
            seen[ident] = kind

    for s_index, section in enumerate(flow.sections):
        claim("section", section.id, ("sections", s_index))
        for q_index, question in enumerate(section.questions):
            claim("question", question.id, ("sections", s_index, "questions", q_index))
        for r_index, rule in enumerate(section.rules):
            claim("rule", rule.id, ("sections", s_index, "rules", r_index))
    for c_index, standard in enumerate(flow.standard_conditions):
        claim("standard condition", standard.id, ("standard_conditions", c_index))


def _check_question(flow: FlowFile, question: Question, loc: Loc, report: Reporter) -> None:
    kind = question.type
    if kind in ("single", "multi"):
        if (question.choices is None) == (question.choices_from is None):
            report.error(
                loc,
                f"question {question.id}: a {kind} question needs 'choices' "
                "or 'choices_from', not both",
            )
    elif question.choices is not None or question.choices_from is not None:
        report.error(
            (*loc, "choices"),
            f"question {question.id}: a {kind} question has "
            "implicit choices or none; remove 'choices'",
        )
    if question.choices_from is not None and kind != "single":
        report.error((*loc, "choices_from"), "choices_from: directory is for single questions")
    seen: set[str] = set()
    for c_index, choice in enumerate(question.choices or []):
        if choice.id in seen:
            report.error(
                (*loc, "choices", c_index, "id"),
                f"question {question.id}: duplicate choice {choice.id!r}",
            )
        seen.add(choice.id)
        if choice.exclusive and kind != "multi":
            report.warning(
                (*loc, "choices", c_index, "exclusive"), "exclusive only matters in multi questions"
            )
    if len(question.choices or []) > MENU_CHOICES_MAX:
        report.warning(
            (*loc, "choices"),
            f"question {question.id} has {len(question.choices or [])} choices; Slack menus hold "
            f"at most {MENU_CHOICES_MAX}, so Slack cannot show it: split the question",
        )
    if question.gate and flow.unknown_choice not in choice_ids(question):
        report.error(
            (*loc, "gate"),
            f"question {question.id} is a gate but does not offer {flow.unknown_choice!r}",
        )
    if kind == "multi" and flow.unknown_choice in seen:
        unknown = next(c for c in question.choices or [] if c.id == flow.unknown_choice)
        if not unknown.exclusive:
            report.error(
                (*loc, "choices"),
                f"question {question.id}: "
                f"{flow.unknown_choice!r} must be exclusive in a multi question",
            )


def choice_ids(question: Question) -> list[str]:
    """The ids a question offers; directory questions are resolved at run time."""
    if question.choices is not None:
        return [c.id for c in question.choices]
    return [c.id for c in implicit_choices(question.type)]


def _condition_fields(
    flow: FlowFile, order: dict[str, int]
) -> Iterable[tuple[Loc, Any, int | None]]:
    """Each condition of the file with its loc and, for `ask_if`, the index of its question."""
    for s_index, section in enumerate(flow.sections):
        for q_index, question in enumerate(section.questions):
            if question.ask_if is not None:
                loc = ("sections", s_index, "questions", q_index, "ask_if")
                yield loc, question.ask_if, order[question.id]
        for r_index, rule in enumerate(section.rules):
            yield ("sections", s_index, "rules", r_index, "when"), rule.when, None
    for c_index, standard in enumerate(flow.standard_conditions):
        if standard.when is not None:
            yield ("standard_conditions", c_index, "when"), standard.when, None


def _parse(raw: Any, loc: Loc, report: Reporter) -> cond.Condition | None:
    try:
        return cond.parse(raw, loc)
    except cond.ConditionError as error:
        report.error(error.loc, error.message)
        return None


def _check_condition(
    flow: FlowFile,
    tree: cond.Condition,
    questions: dict[str, Question],
    report: Reporter,
    before: int | None,
) -> None:
    order = list(questions)
    for node in cond.walk(tree):
        if not isinstance(node, cond.Compare | cond.Answered):
            continue
        question = questions.get(node.question)
        if question is None:
            report.error(node.loc, f"unknown question {node.question!r}")
            continue
        if before is not None and order.index(node.question) >= before:
            report.error(
                node.loc,
                f"ask_if reads {node.question}, which is not asked before "
                "this question; an ask_if may only read earlier questions, so that the questions "
                "can never form a cycle",
            )
        if isinstance(node, cond.Compare):
            _check_compare(node, question, report)


def _check_compare(node: cond.Compare, question: Question, report: Reporter) -> None:
    op, value, kind = node.operator, node.value, question.type
    if kind == "text" or question.choices_from is not None:
        report.error(
            node.loc,
            f"{question.id} cannot be compared ({op}); only 'answered' "
            "applies to text and directory questions",
        )
        return
    if op.startswith(("less", "greater")):
        if kind != "scale":
            report.error(node.loc, f"{op} applies to scale questions; {question.id} is {kind}")
        elif not cond.is_whole_number(value) or not SCALE_MIN <= value <= SCALE_MAX:
            report.error(
                node.loc,
                f"{op} on {question.id} needs a whole number from "
                f"{SCALE_MIN} to {SCALE_MAX}, not {value!r}",
            )
        return
    if kind == "scale":
        values = value if isinstance(value, list) else [value]
        if not all(cond.is_whole_number(v) and SCALE_MIN <= v <= SCALE_MAX for v in values):
            report.error(
                node.loc,
                f"{question.id} is a scale: compare it with whole numbers "
                f"from {SCALE_MIN} to {SCALE_MAX}, not {value!r}",
            )
        return
    if op in ("includes", "includes_any") and kind != "multi":
        report.error(
            node.loc, f"{op} applies to multi questions; {question.id} is {kind}; use equals or in"
        )
        return
    if op in ("in", "not_in") and kind == "multi":
        report.error(
            node.loc, f"{op} does not apply to the multi question {question.id}; use includes_any"
        )
        return
    wants_list = op in ("in", "not_in", "includes_any") or (
        kind == "multi" and op in ("equals", "not_equals")
    )
    if wants_list != isinstance(value, list):
        shape = "a list of choice ids" if wants_list else "one choice id"
        report.error(node.loc, f"{op} on {question.id} takes {shape}, not {value!r}")
        return
    offered = choice_ids(question)
    for item in value if isinstance(value, list) else [value]:
        if item not in offered:
            report.error(
                node.loc, f"{question.id} cannot be {item!r}; its choices are: {', '.join(offered)}"
            )
