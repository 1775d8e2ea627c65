"""The register site's page on Boussole's own rules: every question, rule, outcome and
standard condition of the flow in service, in words the public reads (choices by their
labels), its versions, and its diagram when the Mermaid CLI can draw it."""

from __future__ import annotations

import logging
from pathlib import Path

from bot.app import App
from bot.i18n import pick, t
from bot.register_layout import Page, day, dl, esc, paragraphs
from bot.versions import BUNDLED_PUBLISHER, PublishedFlow
from flows import conditions as cond
from flows.compiled import CompiledFlow
from flows.diagram import (
    DiagramRenderError,
    DiagramToolMissing,
    choice_labels,
    describe,
    mermaid,
    render,
)
from storage.repository import VersionRecord

log = logging.getLogger(__name__)

DIAGRAM = "rules-diagram.svg"


def _choices_text(app: App, flow: CompiledFlow, question_id: str, lang: str) -> str:
    question = flow.by_id[question_id]
    if question.spec.type == "text":
        return t("register_rules_free_text", lang)
    if question.spec.type == "scale":
        return t("register_rules_scale", lang)
    return t("list_separator", lang).join(pick(c.label, lang) for c in app.engine.choices(question))


def rules_page(
    app: App, published: PublishedFlow, versions: list[VersionRecord], lang: str, diagram: bool
) -> Page:
    flow = published.flow
    record = published.record
    intro = t(
        "register_rules_intro",
        lang,
        flow=flow.id,
        version=record.version,
        date=day(record.published_at),
        sha=record.sha256,
    )
    body = [f"<p>{esc(intro)}</p>", f"<h2>{esc(t('register_rules_diagram', lang))}</h2>"]
    if diagram:
        alt = t("register_rules_diagram_alt", lang)
        body.append(f'<p><img src="{DIAGRAM}" alt="{esc(alt)}"></p>')
    else:
        body.append(f"<p>{esc(t('register_rules_no_diagram', lang))}</p>")
    outcomes = [
        (pick(text.label, lang), paragraphs(pick(text.description, lang)))
        for text in flow.spec.outcomes.values()
    ]
    body += [f"<h2>{esc(t('register_rules_outcomes', lang))}</h2>", dl(outcomes)]
    for section in flow.spec.sections:
        title = pick(section.title, lang)
        body.append(f"<h2>{esc(title)} <small>({esc(section.id)})</small></h2>")
        if section.questions:
            body.append(f"<h3>{esc(t('register_rules_questions', lang, section=title))}</h3>")
            items = []
            for question in section.questions:
                rows = [
                    (
                        t("register_rules_choices", lang),
                        esc(_choices_text(app, flow, question.id, lang)),
                    ),
                    (
                        t("register_rules_asked_if", lang),
                        esc(_condition(question.ask_if, flow, lang)),
                    ),
                    (t("register_rules_why", lang), esc(pick(question.why, lang))),
                    (t("register_rules_reference", lang), esc(pick(question.reference, lang))),
                ]
                items.append(
                    f"<li><p><strong>{esc(question.id)}</strong> {esc(pick(question.label, lang))}"
                    f"</p>{dl(rows)}</li>"
                )
            body.append(f"<ol>{''.join(items)}</ol>")
        if section.rules:
            body.append(f"<h3>{esc(t('register_rules_rules', lang, section=title))}</h3>")
            items = []
            for rule in section.rules:
                rows = [
                    (t("register_rules_when", lang), esc(_condition(rule.when, flow, lang))),
                    (
                        t("register_rules_effect", lang),
                        esc(t(f"effect_{rule.effect}", lang)),
                    ),
                    (t("register_rules_reference", lang), esc(pick(rule.reference, lang))),
                ]
                if rule.condition:
                    rows.append((t("register_conditions", lang), esc(pick(rule.condition, lang))))
                items.append(
                    f"<li><p><strong>{esc(rule.id)}</strong> {esc(pick(rule.explanation, lang))}"
                    f"</p>{dl(rows)}</li>"
                )
            body.append(f"<ul>{''.join(items)}</ul>")
    standards = [
        (
            c.id,
            esc(pick(c.text, lang))
            + (f" ({esc(_condition(c.when, flow, lang))})" if c.when is not None else ""),
        )
        for c in flow.spec.standard_conditions
    ]
    if standards:
        body += [f"<h2>{esc(t('register_rules_standard', lang))}</h2>", dl(standards)]
    history = "".join(f"<li>{esc(_version_text(record, lang))}</li>" for record in versions)
    body += [f"<h2>{esc(t('register_rules_versions', lang))}</h2>", f"<ol>{history}</ol>"]
    return Page("rules.html", t("register_rules_title", lang), "\n".join(body))


def _version_text(record: VersionRecord, lang: str) -> str:
    """A version as the history lists it: number, date, digest and note, never its
    publisher (a person)."""
    text = t(
        "register_rules_version",
        lang,
        version=record.version,
        date=day(record.published_at),
        sha=record.sha256[:12],
    )
    note = t("bundled_note", lang) if record.published_by == BUNDLED_PUBLISHER else record.note
    return f"{t('labelled', lang, label=text)}{note}" if note else text


def _condition(raw: object, flow: CompiledFlow, lang: str) -> str:
    """A condition as the public reads it: the choices by their labels, not their ids."""
    if raw is None:
        return t("register_rules_always", lang)
    return describe(cond.parse(raw, ()), lang, choice_labels(flow, lang))


def draw_diagram(flow: CompiledFlow, lang: str, out: Path) -> bool:
    """Draw the flow's diagram as SVG; without the Mermaid CLI (or when it fails), the page
    gives the questions and rules as text, which it does anyway, and shows no broken image."""
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        render(mermaid(flow, lang), "svg", out)
    except (DiagramToolMissing, DiagramRenderError) as error:
        log.info("register site: no diagram (%s)", error)
        return False
    return True
