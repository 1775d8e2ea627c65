"""Writes the HTML reports that tests/node/run-report-a11y.sh checks with axe-core: finished
triages of several shapes (incompatible, conditions, blocking points, a reviewer's decision, a
re-triage's changes, who was told) in French and English, through the real renderer, plus one
page that must fail so that a green run proves axe-core really ran."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from bot import events as ev
from bot.app import App
from bot.report_facts import report_header
from bot.report_html import html_report
from bot.settings import Settings
from bot.views import ChangesView
from tests.bot.journeys import answer_all, open_with_reviewers
from tests.cases import load_cases

CASES = (
    "06-di-ia-auto-incompatible",
    "03-light-track-conditions-two-nsp",
    "15-gate-c1-q2-nsp",
    "24-c4-staff-monitoring",
)
LEAD = ev.Actor("slack", "ULEAD")
BROKEN = '<!DOCTYPE html><html><head><title>x</title></head><body><img src="x.png"></body></html>'


def write(app: App, triage_id: str, name: str, out: Path) -> None:
    for lang in ("fr", "en"):
        with app.store.reading() as tx:
            view = app.engine.result(tx, triage_id, lang)
            header = report_header(view, tx.triage(triage_id), tx.review(triage_id))
        if name.endswith("-changes"):
            view = replace(view, changes=ChangesView("light_track", ("DI-R1",), ("C5-R3",)))
        (out / f"{name}-{lang}.html").write_text(html_report(view, header, lang), "utf-8")


def main() -> None:
    out = Path(sys.argv[1])
    settings = Settings(database_url=f"sqlite:///{out / 'reports.db'}", data_dir=out / "data")
    app = open_with_reviewers(settings, out, ["slack:ULEAD"])
    try:
        cases = dict(load_cases(valid=True))
        for case in CASES:
            triage_id, _ = answer_all(app, dict(cases[case]["answers"], P2="education"))
            write(app, triage_id, case, out)
        for action in ("claim", "confirm"):
            app.engine.handle(ev.ReviewAction(LEAD, "fr", triage_id=triage_id, action=action))
        write(app, triage_id, "decided", out)
        write(app, triage_id, "decided-changes", out)
    finally:
        app.close()
    (out / "broken.html").write_text(BROKEN, "utf-8")


if __name__ == "__main__":
    main()
