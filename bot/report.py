"""A triage report as Markdown: a file a committee can keep next to the project's papers."""

from __future__ import annotations

from bot.i18n import t
from bot.views import ResultView


def markdown_report(view: ResultView, lang: str) -> str:
    lines = [
        f"# {t('result_title', lang, id=view.triage_id)}",
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
    if view.changes is not None:
        changes = view.changes
        lines += [
            f"## {t('changes_title', lang)}",
            "",
            t(
                "changes_line",
                lang,
                before=t(f"outcome_{changes.outcome_before}", lang),
                gained=", ".join(changes.rules_gained) or "—",
                lost=", ".join(changes.rules_lost) or "—",
            ),
            "",
        ]
    lines += [
        f"## {t('fired_rules', lang)}",
        "",
    ]
    if not view.rules:
        lines += [t("no_rule_fired", lang), ""]
    for rule in view.rules:
        because = ", ".join(f"{q} = {_cell(a)}" for q, a in rule.because.items())
        lines += [
            f"### {rule.id} ({rule.criterion}) — {t('effect_' + rule.effect, lang)}",
            "",
            rule.explanation,
            "",
            f"- {t('labelled', lang, label=t('because', lang))}{because}",
            f"- {t('labelled', lang, label=t('reference', lang))}{rule.reference}",
            "",
        ]
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
        f"| {t('question', lang)} | | {t('answer', lang)} |",
        "|---|---|---|",
    ]
    lines += [f"| {r.question} | {_cell(r.label)} | {_cell(r.answer)} |" for r in view.answer_rows]
    return "\n".join(lines) + "\n"


def _cell(value: object) -> str:
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text.replace("|", "\\|").replace("\n", " ")
