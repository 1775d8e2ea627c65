"""The re-triage forms (issue #13) as an outsider sends them: any JSON in a Teams submit or a
Slack view is either read as our form or refused, never an exception; a form naming someone
else's triage creates nothing."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.chat.clicks import RETRIAGE_PREFIX, read_submit
from adapters.slack.retriage import picked
from bot import effects as fx
from bot import events as ev
from bot.app import App
from tests.bot.journeys import answer_all
from tests.cases import load_cases

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=20), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300)
@given(extra=st.dictionaries(st.text(max_size=30), JSON, max_size=6), triage=JSON)
def test_any_teams_submit_is_read_as_a_retriage_of_strings_or_refused(
    extra: dict[str, Any], triage: Any
) -> None:
    submit = read_submit({**extra, "boussole": "retriage", "triage": triage})
    if submit is not None:
        assert isinstance(submit.triage_id, str) and submit.triage_id
        assert all(isinstance(q, str) for q in submit.reask)
        ticked = {k[len(RETRIAGE_PREFIX) :] for k, v in extra.items() if v == "true"}
        assert set(submit.reask) <= ticked


@settings(max_examples=300)
@given(view=st.dictionaries(st.text(max_size=20), JSON, max_size=5), metadata=JSON)
def test_any_slack_view_is_read_as_our_form_or_refused_with_value_error(
    view: dict[str, Any], metadata: Any
) -> None:
    import json

    try:
        triage_id, questions = picked({**view, "private_metadata": json.dumps(metadata)})
    except (ValueError, KeyError, TypeError, AttributeError):
        return
    assert isinstance(triage_id, str) and triage_id
    assert all(isinstance(q, str) for q in questions)


def test_a_retriage_of_someone_else_s_triage_creates_nothing(app: App) -> None:
    answers = dict(load_cases(valid=True))["01-school-meals-grid-example"]["answers"]
    triage_id, _ = answer_all(app, answers)
    stranger = ev.Actor("slack", "USTRANGER")
    turn = app.engine.turn(ev.ChangeAnswers(stranger, "fr", triage_id=triage_id, reask=("P1",)))
    assert turn.status == fx.REFUSED
    with app.store.reading() as tx:
        assert tx.revised_by(triage_id) == []
