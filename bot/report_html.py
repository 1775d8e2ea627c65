"""A triage report as a standalone HTML page a public servant can attach.

Accessible at WCAG 2.1 AA (the RGAA's basis), checked with axe-core in headless Chromium by
tests/node/run-report-a11y.sh: one language, one main landmark, one h1, headings in order and
never repeated, tables with header cells, dark text on white.
"""

from __future__ import annotations

import html

from bot.i18n import t
from bot.report import changes_text
from bot.report_facts import ReportHeader, because_lines
from bot.views import ResultView

_STYLE = (
    "body{font-family:sans-serif;color:#111;background:#fff;max-width:60em;margin:auto;"
    "padding:0 1em;line-height:1.4}"
    "table{border-collapse:collapse;width:100%}"
    "th,td{border:1px solid #555;padding:.3em;text-align:left;vertical-align:top}"
    "dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}"
    "dt{font-weight:bold}dd{margin:0}"
)


def html_report(view: ResultView, header: ReportHeader, lang: str) -> str:
    e = html.escape
    title = e(t("result_title", lang, id=view.triage_id))
    facts = "".join(f"<dt>{e(label)}</dt><dd>{e(value)}</dd>" for label, value in header.rows(lang))
    flow = t(
        "flow_version", lang, flow=view.flow_id, version=view.flow_version, sha=view.flow_sha256
    )
    parts = [
        f"<h1>{title}</h1>",
        f"<dl>{facts}</dl>",
        f"<p>{e(flow)}</p>",
        f"<h2>{e(t('labelled', lang, label=t('orientation', lang)))}{e(view.outcome_label)}</h2>",
        f"<p>{e(view.outcome_description)}</p>",
        f"<p><em>{e(t('advice_notice', lang))}</em></p>",
    ]
    if view.notified is not None:
        parts.append(f"<p>{e(view.notified.text)}</p>")
    if view.changes is not None:
        parts.append(f"<h2>{e(t('changes_title', lang))}</h2>")
        parts.append(f"<p>{e(changes_text(view.changes, lang))}</p>")
    parts.append(f"<h2>{e(t('fired_rules', lang))}</h2>")
    if not view.rules:
        parts.append(f"<p>{e(t('no_rule_fired', lang))}</p>")
    for rule in view.rules:
        because = "".join(f"<li>{e(line)}</li>" for line in because_lines(rule, lang))
        parts += [
            f"<h3>{e(rule.id)} ({e(rule.criterion)}) — {e(t('effect_' + rule.effect, lang))}</h3>",
            f"<p>{e(rule.explanation)}</p>",
            f"<p>{e(t('labelled', lang, label=t('because', lang)))}</p><ul>{because}</ul>",
            f"<p>{e(t('labelled', lang, label=t('reference', lang)))}{e(rule.reference)}</p>",
        ]
    if view.conditions:
        items = "".join(
            f"<li><strong>{e(c.id)}</strong> — {e(c.text)}</li>" for c in view.conditions
        )
        parts += [f"<h2>{e(t('conditions', lang))}</h2>", f"<ul>{items}</ul>"]
    if view.blocking_points:
        items = "".join(
            f"<li><strong>{e(p.question)}</strong> — {e(p.text)}"
            + (
                f" ({e(t('may_be_incompatible', lang, rules=', '.join(p.rules)))})"
                if p.may_be_incompatible
                else ""
            )
            + "</li>"
            for p in view.blocking_points
        )
        parts += [f"<h2>{e(t('blocking_points', lang))}</h2>", f"<ul>{items}</ul>"]
    rows = "".join(
        f'<tr><th scope="row">{e(a.label)} ({e(a.question)})</th><td>{e(a.answer)}</td></tr>'
        for a in view.answer_rows
    )
    parts += [
        f"<h2>{e(t('answers', lang))}</h2>",
        f'<table><thead><tr><th scope="col">{e(t("question", lang))}</th>'
        f'<th scope="col">{e(t("answer", lang))}</th></tr></thead><tbody>{rows}</tbody></table>',
    ]
    body = "\n".join(parts)
    return (
        f'<!DOCTYPE html>\n<html lang="{e(lang)}">\n<head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title>\n<style>{_STYLE}</style></head>\n"
        f"<body><main>\n{body}\n</main></body></html>\n"
    )
