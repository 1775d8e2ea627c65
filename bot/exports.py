"""Documents a committee keeps and registers the public reads: HTML, PDF and the register.

The register follows the fields of a public algorithm inventory entry and carries no
personal data: no agent, no reviewer, only the project's own description.
"""

from __future__ import annotations

import csv
import html
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.i18n import t
from bot.views import ResultView

REGISTER_COLUMNS = (
    "triage_id",
    "project",
    "department",
    "purpose",
    "technology",
    "hosting",
    "orientation",
    "human_decision",
    "flow_version",
    "started_at",
    "completed_at",
)
"""Documented in docs/exports.md and docs/register.schema.json."""

REGISTER_QUESTIONS = {
    "project": "P1",
    "department": "P2",
    "purpose": "P3",
    "technology": "C5-Q1",
    "hosting": "C2-Q5",
}


@dataclass(frozen=True)
class RegisterRow:
    values: dict[str, str | int | None]


def register_row(
    view: ResultView, started_at: datetime, completed_at: datetime | None, decision: str | None
) -> RegisterRow:
    answers = {row.question: row.answer for row in view.answer_rows}
    values: dict[str, str | int | None] = {
        field: answers.get(question, "") for field, question in REGISTER_QUESTIONS.items()
    }
    values.update(
        triage_id=view.triage_id,
        orientation=view.outcome,
        human_decision=decision or "",
        flow_version=view.flow_version,
        started_at=started_at.isoformat(timespec="seconds"),
        completed_at=completed_at.isoformat(timespec="seconds") if completed_at else "",
    )
    return RegisterRow(values)


def register_csv(rows: list[RegisterRow]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=REGISTER_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row.values)
    return out.getvalue()


def html_report(view: ResultView, lang: str) -> str:
    """A standalone, accessible page (RGAA): language, headings, table headers, contrast."""
    e = html.escape
    rules = "".join(
        f'<tr><th scope="row">{e(r.id)}</th><td>{e(r.criterion)}</td>'
        f"<td>{e(t('effect_' + r.effect, lang))}</td><td>{e(r.explanation)}"
        f"<br><small>{e(t('labelled', lang, label=t('reference', lang)))}{e(r.reference)}"
        f"</small></td></tr>"
        for r in view.rules
    )
    conditions = "".join(
        f"<li><strong>{e(c.id)}</strong> — {e(c.text)}</li>" for c in view.conditions
    )
    points = "".join(
        f"<li><strong>{e(p.question)}</strong> — {e(p.text)}"
        + (
            f" ({e(t('may_be_incompatible', lang, rules=', '.join(p.rules)))})"
            if p.may_be_incompatible
            else ""
        )
        + "</li>"
        for p in view.blocking_points
    )
    answers = "".join(
        f'<tr><th scope="row">{e(a.question)}</th><td>{e(a.label)}</td><td>{e(a.answer)}</td></tr>'
        for a in view.answer_rows
    )
    title = e(t("result_title", lang, id=view.triage_id))
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;color:#111;background:#fff;max-width:60em;margin:auto}}
table{{border-collapse:collapse;width:100%}}th,td{{border:1px solid #555;padding:.3em;
text-align:left;vertical-align:top}}caption{{font-weight:bold;text-align:left}}</style></head>
<body><main>
<h1>{title}</h1>
<p>{
        e(
            t(
                "flow_version",
                lang,
                flow=view.flow_id,
                version=view.flow_version,
                sha=view.flow_sha256,
            )
        )
    }</p>
<h2>{e(t("labelled", lang, label=t("orientation", lang)))}{e(view.outcome_label)}</h2>
<p>{e(view.outcome_description)}</p>
<p><em>{e(t("advice_notice", lang))}</em></p>
<h2>{e(t("fired_rules", lang))}</h2>
<table><caption>{e(t("fired_rules", lang))}</caption>
<thead><tr><th scope="col">{e(t("rule", lang))}</th><th scope="col">{e(t("criterion", lang))}</th>
<th scope="col">{e(t("effect", lang))}</th><th scope="col">{e(t("explanation", lang))}</th></tr>
</thead><tbody>{rules}</tbody></table>
<h2>{e(t("conditions", lang))}</h2><ul>{conditions}</ul>
<h2>{e(t("blocking_points", lang))}</h2><ul>{points}</ul>
<h2>{e(t("answers", lang))}</h2>
<table><caption>{e(t("answers", lang))}</caption>
<thead><tr><th scope="col">Id</th><th scope="col">{e(t("question", lang))}</th>
<th scope="col">{e(t("answer", lang))}</th></tr></thead><tbody>{answers}</tbody></table>
</main></body></html>
"""


_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
_LATIN1 = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "…": "...",
        "≠": "!=",
        "→": "->",
        "œ": "oe",
        "Œ": "OE",
        "—": "-",
        "–": "-",
        "≤": "<=",
        "∈": "in",
        "∋": "contains",
        "\u202f": " ",
    }
)


def pdf_report(view: ResultView, lang: str) -> bytes:
    """With fpdf2; DejaVu Sans when the system has it, else the core font in Latin-1."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    unicode = _FONT.exists()
    if unicode:
        pdf.add_font("DejaVu", "", str(_FONT))
        pdf.set_font("DejaVu", size=10)
    else:
        pdf.set_font("Helvetica", size=10)

    def line(text: str, size: int = 10) -> None:
        if not unicode:
            text = text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")
        pdf.set_font_size(size)
        pdf.multi_cell(0, size * 0.55, text, new_x="LMARGIN", new_y="NEXT")

    line(t("result_title", lang, id=view.triage_id), 16)
    line(
        t("flow_version", lang, flow=view.flow_id, version=view.flow_version, sha=view.flow_sha256),
        8,
    )
    line(t("labelled", lang, label=t("orientation", lang)) + view.outcome_label, 13)
    line(view.outcome_description)
    line(t("advice_notice", lang), 9)
    line(t("fired_rules", lang), 13)
    for rule in view.rules:
        line(f"{rule.id} ({rule.criterion}) - {t('effect_' + rule.effect, lang)}", 11)
        line(rule.explanation)
        line(t("labelled", lang, label=t("reference", lang)) + rule.reference, 8)
    if view.conditions:
        line(t("conditions", lang), 13)
        for condition in view.conditions:
            line(f"{condition.id} - {condition.text}")
    if view.blocking_points:
        line(t("blocking_points", lang), 13)
        for point in view.blocking_points:
            line(f"{point.question} - {point.text}")
    line(t("answers", lang), 13)
    for row in view.answer_rows:
        line(f"{row.question} - {row.label} : {row.answer}", 9)
    return bytes(pdf.output())
