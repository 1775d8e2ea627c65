"""The chat kit's forms (`adapters.chat.forms`): each form described once from the engine's
views, drawn by Slack as a modal and by Teams as card inputs with the same ids, and one
reader that turns whatever comes back (hostile submissions included) into the values or
each field's problem, never an exception."""

from __future__ import annotations

from typing import Any, cast

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.chat.clicks import (
    ANSWER_INPUT,
    COMMENT_INPUT,
    OUTCOME_INPUT,
    QUESTION_INPUT,
    REPLY_INPUT,
    RETRIAGE_PREFIX,
    read_submit,
)
from adapters.chat.forms import (
    RETRIAGE_FIELD,
    Form,
    ask_form,
    override_form,
    picks_of,
    read,
    register_form,
    reply_form,
    retriage_form,
    retriage_reading,
    text_answer_form,
    text_of,
    toggle_id,
)
from adapters.chat.messages import m
from adapters.chat.register import INPUT_PREFIX
from adapters.slack.blocks import field_errors, form_modal, form_sent
from adapters.slack.messages import m as slack_m
from adapters.teams import card_parts as p
from adapters.teams.messages import m as teams_m
from bot.register_form import FIELDS, initial_values
from bot.reviews import COMMENT_MAX
from bot.views import AnswerRowView, ResultView
from flows.model import OUTCOMES
from tests.adapters.teams.schema15 import problems
from tests.bot.register_journeys import details

ROWS = (
    AnswerRowView("P1", "Le projet traite-t-il des données personnelles ?", "Oui", "Données"),
    *(AnswerRowView(f"Q{n}", f"Question {n}", f"Réponse {n}", "Usages") for n in range(12)),
    AnswerRowView("E1", "Impact environnemental", "", "Environnement"),
)


def result(rows: tuple[AnswerRowView, ...] = ROWS) -> ResultView:
    """Only what the re-triage form reads of a result."""

    class Shown:
        triage_id = "abcd234567"
        answer_rows = rows

    return cast(ResultView, Shown())


def slack_ids(field: Any) -> tuple[str, str]:
    return field.id, "value"


INPUTS = (QUESTION_INPUT, OUTCOME_INPUT, COMMENT_INPUT, RETRIAGE_FIELD)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=15,
)


# The forms


def test_the_review_forms_use_the_kit_s_input_ids_and_the_engine_s_limit() -> None:
    (question,) = ask_form(m, "fr").fields
    (reply,) = reply_form(slack_m, "fr").fields
    outcome, comment = override_form(slack_m, "full_review", "fr").fields
    assert (question.id, reply.id, outcome.id, comment.id) == (
        QUESTION_INPUT,
        REPLY_INPUT,
        OUTCOME_INPUT,
        COMMENT_INPUT,
    )
    assert {question.max_length, reply.max_length, comment.max_length} == {COMMENT_MAX}
    assert [o.value for o in outcome.options] == [o for o in OUTCOMES if o != "full_review"]
    assert outcome.kind == "choice" and outcome.required and comment.required


def test_each_platform_words_the_same_field_its_own_way() -> None:
    slack = override_form(slack_m, "full_review", "fr").fields[1]
    teams = override_form(teams_m, "full_review", "fr").fields[1]
    assert slack.id == teams.id and slack.max_length == teams.max_length
    assert slack.label == "Justification (obligatoire)"
    assert teams.label == "Motif de la requalification (obligatoire)"
    assert reply_form(teams_m, "en").fields[0].label == "Your answer"


def test_the_retriage_form_groups_the_answers_by_section_in_form_order() -> None:
    form = retriage_form(result(), "fr")
    (pick,) = form.fields
    assert pick.id == RETRIAGE_FIELD and pick.kind == "pick" and not pick.required
    groups = pick.groups()
    assert [g for g, _ in groups] == ["Données", "Usages", "Environnement"]
    assert [o.value for o in groups[1][1]] == [f"Q{n}" for n in range(12)]
    assert groups[2][1][0].description == "—"  # no answer: Slack refuses an empty text
    assert "abcd234567" in form.help
    assert toggle_id(pick, groups[0][1][0]) == RETRIAGE_PREFIX + "P1"


def test_the_register_form_is_the_engine_s_fields_prefilled_and_kept_ones_optional() -> None:
    values, _kept = initial_values(details().document(), 3000)
    form = register_form("abcd234567", "Menus", values, ("purpose",), "fr")
    assert [f.id for f in form.fields] == [INPUT_PREFIX + f.name for f in FIELDS]
    by_id = {f.id.removeprefix(INPUT_PREFIX): f for f in form.fields}
    assert not by_id["purpose"].required and by_id["audience"].required
    assert by_id["status"].initial == values["status"]
    assert {o.value for o in by_id["status"].options} >= {"in_use", "retired"}
    assert read(form, {f.id: f.initial for f in form.fields}, "fr").problems == {}


# Reading what comes back


def test_a_review_form_reads_its_values_and_each_field_s_problem() -> None:
    form = override_form(slack_m, "full_review", "en")
    found = read(form, {OUTCOME_INPUT: "light_track", COMMENT_INPUT: "  Because.  "}, "en")
    assert found.problems == {}
    assert text_of(found, OUTCOME_INPUT) == "light_track"
    assert text_of(found, COMMENT_INPUT).strip() == "Because."
    empty = read(form, {COMMENT_INPUT: "   "}, "en")
    assert empty.problems == {
        OUTCOME_INPUT: "This field is required.",
        COMMENT_INPUT: "This field is required.",
    }


def test_a_value_over_its_limit_is_refused_with_its_length() -> None:
    found = read(ask_form(m, "fr"), {QUESTION_INPUT: "é" * (COMMENT_MAX + 1)}, "fr")
    assert found.problems == {QUESTION_INPUT: f"{COMMENT_MAX + 1} caractères : 2000 au plus."}
    assert found.values == {}
    text = text_answer_form(m, "Pourquoi ?", 10, None, "en")
    assert read(text, {ANSWER_INPUT: "x" * 11}, "en").problems == {
        ANSWER_INPUT: "the answer is 11 characters long; shorten it to 10 at most"
    }
    assert read(text, {}, "en").problems == {ANSWER_INPUT: "the answer is empty; write a few words"}


def test_an_option_the_form_did_not_offer_is_refused() -> None:
    form = override_form(slack_m, "full_review", "fr")
    found = read(form, {OUTCOME_INPUT: "full_review", COMMENT_INPUT: "ok"}, "fr")
    assert found.problems == {OUTCOME_INPUT: m("form_unknown_option", "fr")}
    picks = retriage_form(result(), "fr")
    ticked = read(picks, {RETRIAGE_FIELD: ["P1", "NOT_ASKED"]}, "fr")
    assert ticked.problems == {RETRIAGE_FIELD: m("form_unknown_option", "fr")}


def test_values_of_the_wrong_type_are_the_field_s_problem_not_an_error() -> None:
    form = override_form(slack_m, "full_review", "fr")
    for wrong in (3, ["light_track"], {"value": "x"}, True):
        found = read(form, {OUTCOME_INPUT: wrong, COMMENT_INPUT: wrong}, "fr")
        assert set(found.problems) == {OUTCOME_INPUT, COMMENT_INPUT}
        assert found.values == {}
    picks = retriage_reading("fr")
    for wrong in ("P1", [1, 2], [None], {"P1": True}):
        found = read(picks, {RETRIAGE_FIELD: wrong}, "fr")
        assert found.problems == {RETRIAGE_FIELD: m("form_unreadable", "fr")}


def test_the_retriage_needs_one_answer_ticked_and_reads_them_once_in_order() -> None:
    form = retriage_reading("en")
    assert read(form, {}, "en").problems == {RETRIAGE_FIELD: "Tick at least one answer to change."}
    assert read(form, {RETRIAGE_FIELD: []}, "en").problems
    found = read(form, {RETRIAGE_FIELD: ["Q2", "P1", "Q2"], "other": "x"}, "en")
    assert found.problems == {} and picks_of(found, RETRIAGE_FIELD) == ("Q2", "P1")
    assert set(found.values) == {RETRIAGE_FIELD}  # what the form does not have is ignored


@settings(max_examples=200, deadline=None)
@given(sent=st.dictionaries(st.sampled_from([*INPUTS, "other"]), JSON))
def test_any_submission_reads_into_values_of_the_field_s_type_or_problems(
    sent: dict[str, Any],
) -> None:
    forms: list[Form] = [
        ask_form(m, "fr"),
        override_form(slack_m, "light_track", "fr"),
        retriage_form(result(), "fr"),
        retriage_reading("fr"),
    ]
    for form in forms:
        found = read(form, sent, "fr")
        kinds = {f.id: f.kind for f in form.fields}
        assert set(found.values) | set(found.problems) <= set(kinds)
        assert not set(found.values) & set(found.problems)
        for name, value in found.values.items():
            if kinds[name] == "pick":
                assert isinstance(value, tuple) and all(isinstance(v, str) for v in value)
            else:
                assert isinstance(value, str) and value.strip()


# Drawn by the platforms, read back through the kit


def test_a_slack_modal_of_a_kit_form_reads_back_through_the_kit() -> None:
    form = override_form(slack_m, "full_review", "fr")
    modal = form_modal(form, "cb", "Fermer", "{}", slack_ids)
    assert [b["block_id"] for b in modal["blocks"]] == [OUTCOME_INPUT, COMMENT_INPUT]
    assert modal["blocks"][1]["element"]["max_length"] == COMMENT_MAX
    state = {
        OUTCOME_INPUT: {"value": {"type": "static_select", "selected_option": {"value": "x"}}},
        COMMENT_INPUT: {"value": {"type": "plain_text_input", "value": "y" * 3000}},
    }
    found = read(form, form_sent({**modal, "state": {"values": state}}, form, slack_ids), "fr")
    assert set(found.problems) == {OUTCOME_INPUT, COMMENT_INPUT}
    assert field_errors(found.problems, form, slack_ids) == found.problems


def test_a_slack_retriage_modal_splits_its_groups_by_ten_and_shows_its_error_on_the_first() -> None:
    form = retriage_form(result(), "fr")
    modal = form_modal(form, "cb", "Fermer", "{}", lambda f: ("pick", "ticked"))
    labels = [b["label"]["text"] for b in modal["blocks"] if b["type"] == "input"]
    assert labels == ["Données", "Usages (1/2)", "Usages (2/2)", "Environnement"]
    ticked = {
        "pick1": {"ticked": {"selected_options": [{"value": "Q3"}]}},
        "pick3": {"ticked": {"selected_options": [{"value": "E1"}]}},
    }
    view = {"state": {"values": ticked}}
    found = read(form, form_sent(view, form, lambda f: ("pick", "ticked")), "fr")
    assert picks_of(found, RETRIAGE_FIELD) == ("Q3", "E1")
    none = read(form, form_sent({}, form, lambda f: ("pick", "ticked")), "fr")
    assert field_errors(none.problems, form, lambda f: ("pick", "ticked")) == {
        "pick0": "Cochez au moins une réponse à changer."
    }


@settings(max_examples=200, deadline=None)
@given(state=JSON)
def test_a_slack_view_of_any_shape_reads_without_an_error(state: Any) -> None:
    for form in (override_form(slack_m, "light_track", "fr"), retriage_reading("fr")):
        for view in ({"state": state}, {"state": {"values": state}}):
            read(form, form_sent(view, form, lambda f: ("pick", "value")), "fr")
            read(form, form_sent(view, form, slack_ids), "fr")


def test_teams_draws_the_same_fields_with_the_kit_s_ids_and_reads_them_back() -> None:
    form = retriage_form(result(), "fr")
    (pick,) = form.fields
    toggles = p.toggles(pick, lambda o: f"{o.label} → {o.description}")
    ids = [t["id"] for t in toggles if t["type"] == "Input.Toggle"]
    assert ids == [RETRIAGE_PREFIX + row.question for row in ROWS]
    sent = {"boussole": form.id, "triage": "abcd234567", ids[1]: "true", ids[0]: "false"}
    submit = read_submit(sent)
    assert submit is not None and submit.reask == ("Q0",)
    review = override_form(teams_m, "full_review", "fr")
    inputs = [
        p.field_input(review.fields[0], "!", "expanded"),
        p.comment_input(review.fields[1], "fr"),
    ]
    card = p.card(inputs, [p.submit(review.submit, {"boussole": review.id})], "x")
    assert problems(card) == []
    assert [i["id"] for i in inputs] == [OUTCOME_INPUT, COMMENT_INPUT]
    assert inputs[1]["maxLength"] == COMMENT_MAX and inputs[1]["isRequired"]
