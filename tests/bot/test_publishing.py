"""Publishing flows: dry runs name exactly what changes, versions are immutable and numbered."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest

from bot.actors import shown as shown_actor
from bot.app import App
from bot.events import Actor
from bot.publishing import PublishRefused, publish, simulate
from flows.loader import bundled_flow_bytes, load_source
from tests.bot.journeys import answer_all
from tests.cases import CASES, load_cases

VALID = dict(load_cases(valid=True))
BUNDLED = bundled_flow_bytes().decode("utf-8")
ALICE = Actor("cli", "alice")
BOB = Actor("cli", "bob")


def candidate(old: str, new: str):
    assert old in BUNDLED
    return load_source(BUNDLED.replace(old, new).encode(), "candidate.yaml")


WIDER_C4_R3 = ("when: {less_or_equal: {C4-Q5: 2}}", "when: {less_or_equal: {C4-Q5: 4}}")
FLOWS_DOC = Path(__file__).parents[2] / "docs" / "flows.md"


def documented_example() -> str:
    """The YAML of docs/flows.md's example, as an admin would paste it."""
    section = FLOWS_DOC.read_text("utf-8").split("## Exemple", 1)[1]
    found = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert found is not None
    return found.group(1)


def with_documented_example() -> str:
    """The bundled flow with the example pasted where the doc says: in place of C5's `rules:`."""
    c5_rules = "    rules:\n      - id: C5-R1\n"
    assert BUNDLED.count(c5_rules) == 1
    return BUNDLED.replace(c5_rules, documented_example() + "      - id: C5-R1\n")


def test_simulate_names_exactly_the_triages_whose_outcome_changes(app: App) -> None:
    changing, _ = answer_all(app, VALID["01-school-meals-grid-example"]["answers"])
    flagged, _ = answer_all(app, VALID["06-di-ia-auto-incompatible"]["answers"])
    simulation = simulate(app, candidate(*WIDER_C4_R3), None)
    by_name = {r.name: r for r in simulation.replays}
    assert [r.name for r in simulation.changed_outcomes] == [changing]
    assert by_name[changing].after[0] == "full_review"
    assert not by_name[flagged].outcome_changed
    assert "0 changent" not in simulation.summary("fr")


def test_simulate_replays_golden_files(app: App) -> None:
    simulation = simulate(app, candidate(*WIDER_C4_R3), CASES)
    assert len(simulation.replays) == len(VALID)
    assert any(r.name.startswith("01-") and r.outcome_changed for r in simulation.replays)


def test_a_new_question_needs_answers_but_changes_no_orientation_and_publishes(
    app: App,
) -> None:
    """The documented example: past triages never answered C5-Q5; that is not a change of
    orientation, so publishing needs no --accept-changes."""
    past = [answer_all(app, VALID[name]["answers"])[0] for name in sorted(VALID)[:4]]
    flow = load_source(with_documented_example().encode(), "grille.yaml")
    simulation = simulate(app, flow, CASES)
    assert simulation.changed_outcomes == []
    assert [r.name for r in simulation.needing_answers][:4] == past
    assert all(r.missing == ("C5-Q5",) for r in simulation.needing_answers)
    assert "0 change d'orientation" in simulation.summary("fr")
    assert "would need new answers (C5-Q5)" in simulation.needing_answers[0].missing_line("en")
    assert publish(app, flow, ALICE, "", simulation, False, False, "fr").version == 2


def test_publish_refuses_changes_unless_accepted_then_new_triages_use_it(app: App) -> None:
    old_id, _ = answer_all(app, VALID["01-school-meals-grid-example"]["answers"])
    flow = candidate(*WIDER_C4_R3)
    simulation = simulate(app, flow, None)
    with pytest.raises(PublishRefused) as refused:
        publish(app, flow, ALICE, "", simulation, False, False, "en")
    assert old_id in refused.value.lines[0]
    record = publish(app, flow, ALICE, "wider", simulation, True, False, "en")
    assert record.version == 2 and record.published_by.startswith("cli/")
    with app.store.reading() as tx:
        assert shown_actor(tx, record.published_by) == "cli:alice"
    _, shown = answer_all(app, VALID["01-school-meals-grid-example"]["answers"])
    assert shown.result.flow_version == 2 and shown.result.outcome == "full_review"
    with app.store.reading() as tx:
        assert app.engine.result(tx, old_id, "fr").flow_version == 1
        assert app.engine.result(tx, old_id, "fr").outcome == "light_track"
        assert tx.audit_trail("admin")[-1]["payload"]["version"] == 2


def test_publishing_the_same_file_or_another_flow_is_refused(app: App) -> None:
    same = load_source(BUNDLED.encode(), "same.yaml")
    with pytest.raises(PublishRefused):
        publish(app, same, ALICE, "", simulate(app, same, None), False, False, "fr")
    other = candidate("flow: boussole-nantes\n", "flow: autre-grille\n")
    with pytest.raises(PublishRefused) as refused:
        publish(app, other, ALICE, "", simulate(app, other, None), False, False, "en")
    assert "--new-flow" in refused.value.lines[0]
    assert (
        publish(app, other, ALICE, "", simulate(app, other, None), False, True, "en").version == 1
    )


def test_two_publications_at_once_give_two_consecutive_versions(app: App) -> None:
    flows = [candidate(*WIDER_C4_R3), candidate("C4-Q5: 2}}", "C4-Q5: 3}}")]
    versions: list[int] = []
    failures: list[BaseException] = []
    barrier = threading.Barrier(2)

    def run(flow) -> None:
        barrier.wait()
        try:
            versions.append(
                publish(app, flow, BOB, "", simulate(app, flow, None), True, False, "fr").version
            )
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=run, args=(f,)) for f in flows]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(versions) == [2, 3]
