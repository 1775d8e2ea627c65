"""Texts of the bundled flow that explain a rule say what the grid's rule does, no less."""

from __future__ import annotations

import pytest

from flows.loader import load_bundled

# The eight DPIA factors of C2-R5 (doctrine/boussole-grid.md), as each language names them.
DPIA_FACTORS = {
    "fr": [
        "décision individuelle",
        "appliquée automatiquement ou validée sans réelle possibilité",
        "surveillance",
        "données sensibles",
        "personnes vulnérables ou dépendantes",
        "grande échelle",
        "croisement",
        "technologie innovante",
        "nouveau matériel",
        "liste de la CNIL",
    ],
    "en": [
        "individual decision",
        "applied automatically or approved without real latitude",
        "monitoring",
        "sensitive data",
        "vulnerable or dependent people",
        "large scale",
        "dataset matching",
        "innovative technology",
        "new hardware",
        "CNIL list",
    ],
}
# C5-R2 (full review) and C5-R3 (condition) read C5-Q3; its help names both tracks.
FOOTPRINT_HELP = {
    "fr": ["API externe", "technologie n'est pas connue", "examen approfondi", "condition"],
    "en": ["external API", "technology is not known", "full review", "condition"],
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_c2_r5_explanation_names_every_dpia_factor(lang: str) -> None:
    rule = next(r for r in load_bundled().rules if r.id == "C2-R5")
    explanation = rule.spec.explanation[lang]
    assert [f for f in DPIA_FACTORS[lang] if f not in explanation] == []


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_c5_q3_help_says_which_projects_go_to_full_review(lang: str) -> None:
    why = load_bundled().by_id["C5-Q3"].spec.why[lang]
    assert [part for part in FOOTPRINT_HELP[lang] if part not in why] == []
