"""Reports a public servant can attach (#13): the same facts in Markdown, HTML, PDF and JSON,
read back the way a reader gets them (PDF text through pypdf, HTML through its parser)."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import replace
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import pytest
from pypdf import PdfReader

from bot import events as ev
from bot.app import App
from bot.report import markdown_report
from bot.report_facts import ReportHeader, because_lines, report_header
from bot.report_html import html_report
from bot.report_pdf import pdf_report
from bot.settings import Settings
from bot.stats import RULES_SHOWN, Stats, draw
from bot.views import ChangesView, ResultView
from tests.bot.journeys import answer_all, open_with_reviewers
from tests.cases import load_cases

VALID = dict(load_cases(valid=True))
LEAD = ev.Actor("slack", "ULEAD")
PROJECT = VALID["06-di-ia-auto-incompatible"]["answers"]["P1"]


@pytest.fixture
def app(settings: Settings, tmp_path: Path):
    opened = open_with_reviewers(settings, tmp_path, ["slack:ULEAD"])
    yield opened
    opened.close()


def finished(app: App, case: str = "06-di-ia-auto-incompatible") -> str:
    triage_id, _ = answer_all(app, dict(VALID[case]["answers"], P2="education"))
    return triage_id


def report_of(app: App, triage_id: str, lang: str) -> tuple[ResultView, ReportHeader]:
    with app.store.reading() as tx:
        view = app.engine.result(tx, triage_id, lang)
        return view, report_header(view, tx.triage(triage_id), tx.review(triage_id))


def pdf_pages(view: ResultView, header: ReportHeader, lang: str) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf_report(view, header, lang)))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(
    ("lang", "page"), [("fr", "Page {n} sur {total}"), ("en", "Page {n} of {total}")]
)
def test_the_pdf_names_the_project_every_reason_by_its_labels_and_numbers_its_pages(
    app: App, lang: str, page: str
) -> None:
    view, header = report_of(app, finished(app), lang)
    pages = pdf_pages(view, header, lang)
    text = " ".join(pages)
    assert PROJECT in text
    lines = [line for rule in view.rules for line in because_lines(rule, lang)]
    assert len(lines) >= 3
    for line in lines:
        assert flat(line) in text
    assert "Qui prend la décision" in text if lang == "fr" else "Who makes the decision" in text
    assert len(pages) > 1
    for n, content in enumerate(pages, start=1):
        assert page.format(n=n, total=len(pages)) in content


def test_the_pdf_embeds_the_font_shipped_with_its_dependency(app: App) -> None:
    view, header = report_of(app, finished(app), "fr")
    reader = PdfReader(io.BytesIO(pdf_report(view, header, "fr")))
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("SourceSansPro" in name for name in fonts)


def test_every_format_carries_the_reviewers_decision(app: App) -> None:
    triage_id = finished(app, "24-c4-staff-monitoring")
    _, before = report_of(app, triage_id, "fr")
    assert before.decision is None
    for action in ("claim", "confirm"):
        app.engine.handle(ev.ReviewAction(LEAD, "fr", triage_id=triage_id, action=action))
    view, header = report_of(app, triage_id, "fr")
    expected = "orientation confirmée : examen approfondi"
    assert expected in markdown_report(view, header, "fr")
    assert expected in html_report(view, header, "fr")
    assert expected in " ".join(pdf_pages(view, header, "fr"))
    assert header.document()["decision"]["kind"] == "confirmed"
    told = "Qui a été prévenu : les responsables de la direction Éducation (1)"
    assert view.notified is not None and told in view.notified.text
    assert told in markdown_report(view, header, "fr")
    assert told in html_report(view, header, "fr")
    assert told in " ".join(pdf_pages(view, header, "fr"))
    english_view, english = report_of(app, triage_id, "en")
    assert "orientation confirmed: full review" in markdown_report(english_view, english, "en")


def test_a_retriage_shows_its_changes_in_html_and_pdf(app: App) -> None:
    view, header = report_of(app, finished(app), "en")
    view = replace(view, changes=ChangesView("light_track", ("DI-R1",), ("C5-R3",)))
    expected = "Previous orientation: light track; rules gained: DI-R1; rules lost: C5-R3"
    page = html_report(view, header, "en")
    assert "<h2>Changes</h2>" in page and expected in page
    assert expected in " ".join(pdf_pages(view, header, "en"))


class Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[int, str]] = []
        self._level = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in {"h1", "h2", "h3", "h4", "caption"}:
            self._level = 1 if tag == "caption" else int(tag[1])
            self.found.append((self._level, ""))

    def handle_data(self, data: str) -> None:
        if self._level:
            level, text = self.found[-1]
            self.found[-1] = (level, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"h1", "h2", "h3", "h4", "caption"}:
            self._level = 0


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_html_has_one_title_headings_in_order_and_none_repeated(app: App, lang: str) -> None:
    view, header = report_of(app, finished(app), lang)
    parser = Headings()
    parser.feed(html_report(view, header, lang))
    texts = [text for _, text in parser.found]
    assert len(texts) == len(set(texts))
    levels = [level for level, _ in parser.found]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b - a <= 1 for a, b in pairwise(levels))
    assert PROJECT in html_report(view, header, lang)


def test_markdown_lists_answers_in_two_readable_columns_with_labels(app: App) -> None:
    view, header = report_of(app, finished(app), "en")
    text = markdown_report(view, header, "en")
    assert "- **Project**: " + PROJECT in text
    assert "| Who makes the decision? (DI2) | The AI, applied automatically |" in text
    assert "  - Who makes the decision?: The AI, applied automatically" in text


def test_the_stats_chart_counts_in_whole_numbers_titles_every_panel_and_says_top_n() -> None:
    rules = Counter({f"R{i}": 1 + i % 2 for i in range(RULES_SHOWN + 5)})
    stats = Stats(outcomes=Counter(light_track=1, full_review=2), rules=rules)
    figure = draw(stats, "en")
    left, right = figure.axes
    assert all(axis.get_title() for axis in figure.axes)
    assert right.get_title() == f"Top {RULES_SHOWN} of {RULES_SHOWN + 5} rules fired"
    for ticks in (left.get_yticks(), right.get_xticks()):
        assert all(float(tick).is_integer() for tick in ticks)
    few = draw(Stats(outcomes=Counter(light_track=1), rules=Counter(R1=1)), "fr")
    assert few.axes[1].get_title() == "Règles déclenchées"
