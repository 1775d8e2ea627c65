"""A triage report as PDF, with fpdf2 and Source Sans Pro (SIL OFL 1.1) from the
font-source-sans-pro package: the same glyphs on every system, every page numbered."""

from __future__ import annotations

from importlib.resources import as_file, files

from fpdf import FPDF
from fpdf.fonts import FontFace

from bot.i18n import t
from bot.report import changes_text
from bot.report_facts import ReportHeader, because_lines
from bot.views import ResultView

_FAMILY = "SourceSansPro"
_FONTS = files("font_source_sans_pro") / "files"


class _Report(FPDF):
    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(_FAMILY, size=8)
        text = t("report_page", self.lang, page=self.page_no(), pages=self.alias_nb_pages_text)
        self.cell(0, 8, text, align="C")


def pdf_report(view: ResultView, header: ReportHeader, lang: str) -> bytes:
    pdf = _Report(lang)
    pdf.alias_nb_pages_text = "{nb}"
    with (
        as_file(_FONTS / "SourceSansPro-Regular.ttf") as regular,
        as_file(_FONTS / "SourceSansPro-Bold.ttf") as bold,
    ):
        pdf.add_font(_FAMILY, "", str(regular))
        pdf.add_font(_FAMILY, "B", str(bold))
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()

    def line(text: str, size: int = 10, style: str = "") -> None:
        pdf.set_font(_FAMILY, style, size)
        pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")

    def heading(text: str, size: int = 13) -> None:
        pdf.ln(2)
        line(text, size, "B")
        pdf.ln(1)

    def two_columns(rows: list[tuple[str, str]], titles: tuple[str, str] | None = None) -> None:
        pdf.set_font(_FAMILY, size=9)
        with pdf.table(
            col_widths=(40, 60),
            text_align="LEFT",
            first_row_as_headings=titles is not None,
            headings_style=FontFace(emphasis="BOLD"),
        ) as table:
            for row in ([titles] if titles else []) + rows:
                table.row(row)

    heading(t("result_title", lang, id=view.triage_id), 16)
    two_columns(header.rows(lang))
    pdf.ln(2)
    line(
        t("flow_version", lang, flow=view.flow_id, version=view.flow_version, sha=view.flow_sha256),
        8,
    )
    heading(t("labelled", lang, label=t("orientation", lang)) + view.outcome_label)
    line(view.outcome_description)
    line(t("advice_notice", lang), 9)
    if view.notified is not None:
        line(view.notified.text, 9)
    if view.changes is not None:
        heading(t("changes_title", lang))
        line(changes_text(view.changes, lang))
    heading(t("fired_rules", lang))
    if not view.rules:
        line(t("no_rule_fired", lang))
    for rule in view.rules:
        heading(f"{rule.id} ({rule.criterion}) — {t('effect_' + rule.effect, lang)}", 11)
        line(rule.explanation)
        line(t("labelled", lang, label=t("because", lang)), 9, "B")
        for because in because_lines(rule, lang):
            line(f"• {because}", 9)
        line(t("labelled", lang, label=t("reference", lang)) + rule.reference, 8)
    if view.conditions:
        heading(t("conditions", lang))
        for condition in view.conditions:
            line(f"{condition.id} — {condition.text}")
    if view.blocking_points:
        heading(t("blocking_points", lang))
        for point in view.blocking_points:
            risk = ""
            if point.may_be_incompatible:
                risk = " — " + t("may_be_incompatible", lang, rules=", ".join(point.rules))
            line(f"{point.question} — {point.text}{risk}")
    heading(t("answers", lang))
    two_columns(
        [(f"{row.label} ({row.question})", row.answer) for row in view.answer_rows],
        (t("question", lang), t("answer", lang)),
    )
    return bytes(pdf.output())
