"""A triage report as Markdown: a file a committee can keep next to the project's papers."""

from __future__ import annotations

from bot.i18n import t
from bot.report_facts import ReportHeader, because_lines
from bot.views import ChangesView, ResultView


def markdown_report(view: ResultView, header: ReportHeader, lang: str) -> str:
    lines = [f"# {t('result_title', lang, id=view.triage_id)}", ""]
    lines += [
        "- " + t("labelled", lang, label=f"**{_cell(label)}**") + _cell(value)
        for label, value in header.rows(lang)
    ]
    lines += [
        "",
        t("flow_version", lang, flow=view.flow_id, version=view.flow_version, sha=view.flow_sha256),
        "",
        f"## {t('labelled', lang, label=t('orientation', lang))}{view.outcome_label}",
        "",
        view.outcome_description,
        "",
        f"*{t('advice_notice', lang)}*",
        "",
    ]
    if view.notified is not None:
        lines += [view.notified.text, ""]
    if view.changes is not None:
        lines += [f"## {t('changes_title', lang)}", "", changes_text(view.changes, lang), ""]
    lines += [
        f"## {t('fired_rules', lang)}",
        "",
    ]
    if not view.rules:
        lines += [t("no_rule_fired", lang), ""]
    for rule in view.rules:
        lines += [
            f"### {rule.id} ({rule.criterion}) — {t('effect_' + rule.effect, lang)}",
            "",
            rule.explanation,
            "",
            f"- {t('labelled', lang, label=t('because', lang)).rstrip()}",
        ]
        lines += [f"  - {line}" for line in because_lines(rule, lang)]
        lines += [f"- {t('labelled', lang, label=t('reference', lang))}{rule.reference}", ""]
    if view.conditions:
        lines += [f"## {t('conditions', lang)}", ""]
        lines += [f"- **{c.id}** — {c.text}" for c in view.conditions]
        lines.append("")
    if view.blocking_points:
        lines += [f"## {t('blocking_points', lang)}", ""]
        for point in view.blocking_points:
            risk = ""
            if point.may_be_incompatible:
                risk = " — " + t("may_be_incompatible", lang, rules=", ".join(point.rules))
            lines.append(f"- **{point.question}** — {point.text}{risk}")
        lines.append("")
    lines += [
        f"## {t('answers', lang)}",
        "",
        f"| {t('question', lang)} | {t('answer', lang)} |",
        "|---|---|",
    ]
    lines += [f"| {_cell(r.label)} ({r.question}) | {_cell(r.answer)} |" for r in view.answer_rows]
    return "\n".join(lines) + "\n"


def changes_text(changes: ChangesView, lang: str) -> str:
    """What a re-triage changed, in one sentence shared by every format."""
    return t(
        "changes_line",
        lang,
        before=t(f"outcome_{changes.outcome_before}", lang),
        gained=", ".join(changes.rules_gained) or "—",
        lost=", ".join(changes.rules_lost) or "—",
    )


def _cell(value: object) -> str:
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text.replace("|", "\\|").replace("\n", " ")
