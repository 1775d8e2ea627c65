"""The bundled flow carries the whole grid, with the grid's ids, in French and English."""

from __future__ import annotations

from flows.loader import load_bundled

QUESTIONS = {
    "P": ["P1", "P2", "P3"],
    "DI": ["DI1", "DI2", "DI3", "DI3T", "DI4", "DI5"],
    "C1": [f"C1-Q{i}" for i in range(1, 6)],
    "C2": [f"C2-Q{i}" for i in range(1, 9)],
    "C3": [f"C3-Q{i}" for i in range(1, 6)],
    "C4": [f"C4-Q{i}" for i in range(1, 6)],
    "C5": [f"C5-Q{i}" for i in range(1, 5)],
    "C6": [f"C6-Q{i}" for i in range(1, 6)],
    "C7": [f"C7-Q{i}" for i in range(1, 5)],
    "G": [],
}
RULES = {
    "DI": ["DI-R1", "DI-R2", "DI-R2b", "DI-R3", "DI-R4", "DI-R5"],
    "C1": [f"C1-R{i}" for i in range(1, 8)],
    "C2": ["C2-R1", "C2-R1b", "C2-R2", "C2-R3", "C2-R4", "C2-R5", "C2-R6"],
    "C3": ["C3-R1", "C3-R1b", "C3-R2", "C3-R3", "C3-R4"],
    "C4": [f"C4-R{i}" for i in range(1, 5)],
    "C5": [f"C5-R{i}" for i in range(1, 4)],
    "C6": [f"C6-R{i}" for i in range(1, 5)],
    "C7": [f"C7-R{i}" for i in range(1, 4)],
    "G": ["G-R1", "G-R2", "G-R3"],
}
GATES = {"DI1", "DI2", "DI3", "C1-Q1", "C1-Q2", "C1-Q4", "C2-Q1", "C2-Q5", "C4-Q2", "C6-Q1"}


def test_sections_questions_and_rules_keep_the_grid_ids_and_order() -> None:
    flow = load_bundled()
    sections = {s.id: s for s in flow.spec.sections}
    assert list(sections) == list(QUESTIONS)
    for section_id, ids in QUESTIONS.items():
        assert [q.id for q in sections[section_id].questions] == ids
    for section_id, ids in RULES.items():
        assert [r.id for r in sections[section_id].rules] == ids
    assert set(flow.context.gates) == GATES


def test_choice_ids_of_the_grid() -> None:
    flow = load_bundled()
    choices = {q.id: [c.id for c in q.choices] for q in flow.questions}
    assert choices["DI2"] == ["ia_auto", "agent_valide", "agent_decide", "nsp"]
    assert choices["C1-Q4"] == [
        "sante",
        "origine",
        "opinions",
        "vie_sexuelle",
        "biometrie",
        "infractions",
        "aucune",
        "nsp",
    ]
    assert choices["C2-Q5"] == [
        "interne",
        "secnumcloud",
        "cloud_ue",
        "cloud_ue_extra_ue",
        "hors_ue",
        "nsp",
    ]
    assert choices["C6-Q1"] == ["oui", "non", "sans_objet", "nsp"]
    exclusive = {
        q.id: sorted(c.id for c in q.choices if c.exclusive)
        for q in flow.questions
        if q.spec.type == "multi"
    }
    assert exclusive == {
        "C1-Q2": ["aucun", "nsp"],
        "C1-Q4": ["aucune", "nsp"],
        "C2-Q1": ["aucun", "nsp"],
        "C2-Q3": ["aucune"],
        "C2-Q4": ["aucun"],
    }


def test_standard_conditions_and_outcomes() -> None:
    flow = load_bundled()
    assert [c.spec.id for c in flow.standard_conditions] == [
        "S-RGPD",
        "S-FORMATION",
        "S-MENTION",
        "S-RETRIAGE",
    ]
    assert set(flow.spec.outcomes) == {"light_track", "full_review", "incompatible"}
