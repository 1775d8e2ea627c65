"""The chat kit's question layout: the input a question type gets, the choices that stand
out as answered before, the choices a hint names, and the navigation, decided once for Slack
and Teams (issue #14)."""

from __future__ import annotations

import pytest

from adapters.chat.clicks import ON_QUESTION
from adapters.chat.question_layout import EXPANDED_MAX, Input, layout
from bot.views import ChoiceView, QuestionView
from flows.conditions import Answer


def question(
    kind: str,
    count: int = 0,
    previous: Answer | None = None,
    can_go_back: bool = True,
    exclusive: tuple[str, ...] = (),
) -> QuestionView:
    choices = tuple(
        ChoiceView(f"c{n}", f"Choix {n}", f"c{n}" in exclusive) for n in range(1, count + 1)
    )
    return QuestionView(
        "t1",
        1,
        "Q1",
        kind,
        "Label",
        "P",
        "Projet",
        "1/7",
        1,
        choices,
        (1, 5),
        200,
        can_go_back,
        previous,
    )


@pytest.mark.parametrize(
    ("kind", "count", "expected", "expanded"),
    [
        ("yes_no", 2, Input.CHOICE, True),
        ("yes_no_unknown", 3, Input.CHOICE, True),
        ("single", EXPANDED_MAX, Input.CHOICE, True),
        ("single", EXPANDED_MAX + 1, Input.CHOICE, False),
        ("multi", EXPANDED_MAX, Input.SEVERAL, True),
        ("multi", EXPANDED_MAX + 1, Input.SEVERAL, False),
        ("scale", 0, Input.SCALE, True),
        ("text", 0, Input.TEXT, True),
    ],
)
def test_each_question_type_gets_its_input_on_show_up_to_five_choices(
    kind: str, count: int, expected: Input, expanded: bool
) -> None:
    shape = layout(question(kind, count))
    assert (shape.input, shape.expanded) == (expected, expanded)


def test_a_type_no_platform_draws_is_refused() -> None:
    with pytest.raises(ValueError, match="date"):
        layout(question("date"))


@pytest.mark.parametrize(
    ("kind", "previous", "chosen"),
    [
        ("single", "c2", ("c2",)),
        ("multi", ["c3", "c1"], ("c3", "c1")),
        ("scale", 4, ("4",)),
        ("text", "mes mots", ()),
        ("single", ["c1"], ()),
        ("multi", "c1", ()),
        ("scale", "4", ()),
        ("single", None, ()),
    ],
)
def test_the_previous_answer_stands_out_only_in_the_input_s_own_shape(
    kind: str, previous: Answer | None, chosen: tuple[str, ...]
) -> None:
    """In the order it was given (a multi-select's value lists it so); an answer of another
    shape than the input's picks nothing rather than a wrong choice."""
    assert layout(question(kind, 6, previous)).chosen == chosen


def test_only_several_answers_name_their_exclusive_choices() -> None:
    several = layout(question("multi", 4, exclusive=("c4",)))
    assert [c.id for c in several.exclusive] == ["c4"]
    assert layout(question("single", 4, exclusive=("c4",))).exclusive == ()


def test_the_navigation_offers_back_only_when_the_question_can_go_back() -> None:
    assert layout(question("text")).navigation == ("why", "back", "cancel")
    assert layout(question("text", can_go_back=False)).navigation == ("why", "cancel")
    assert set(layout(question("text")).navigation) <= set(ON_QUESTION)
