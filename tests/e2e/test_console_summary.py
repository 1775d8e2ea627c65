"""The terminal result opens with the orientation and closes with it, and with what comes next.

After a long rules table, the reader should not have to scroll back up to learn the
orientation, who was told, how to get the report and when to triage again.
"""

from __future__ import annotations

import pytest
from rich.console import Console

from adapters.console.render import show_result
from bot.app import App
from tests.e2e.test_result_reasons import chatbot_result

NEXT = {
    "fr": ("En résumé", "boussole report {id}", "12 mois", "boussole retriage {id}"),
    "en": ("In short", "boussole report {id}", "12 months", "boussole retriage {id}"),
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_orientation_first_and_again_in_a_closing_summary(app: App, lang: str) -> None:
    view = chatbot_result(app, lang)
    console = Console(record=True, width=120)
    show_result(console, view, lang)
    shown = console.export_text()
    rules_at = shown.index("C2-R3")
    assert shown.index(view.outcome_label) < rules_at
    title, report, months, retriage = NEXT[lang]
    assert shown.rindex(title) > rules_at
    summary = " ".join(shown[shown.rindex(title) :].replace("│", " ").split())
    assert view.outcome_label in summary
    assert report.format(id=view.triage_id) in summary
    assert months in summary
    assert retriage.format(id=view.triage_id) in summary
    if view.notified is not None:
        assert " ".join(view.notified.text.split()) in summary
