"""What the Teams adapter itself writes, in French and English (French by default).

The engine's messages come already translated; this catalog holds only what exists because
of Teams: card buttons, input hints, the welcome and help cards, the list of triages.
"""

from __future__ import annotations

from typing import Any

from adapters.chat.messages import lookup

CATALOG: dict[str, dict[str, str]] = {
    # Welcome and help
    "welcome_text": {
        "fr": "Bonjour ! J'accompagne l'analyse d'un projet d'intelligence artificielle selon "
        "la doctrine de Nantes Métropole : une trentaine de questions, puis une orientation "
        "expliquée règle par règle. Vos réponses sont enregistrées au fur et à mesure : vous "
        "pouvez vous arrêter et reprendre plus tard.",
        "en": "Hello! I guide the triage of an artificial intelligence project under the Nantes "
        "Métropole doctrine: about thirty questions, then an orientation explained rule by "
        "rule. Your answers are recorded as you go: you can stop and resume later.",
    },
    "help_help": {"fr": "« aide » : ce message", "en": "'help': this message"},
    "help_whoami": {
        "fr": "« identifiant » : votre identifiant Teams, pour l'annuaire des responsables",
        "en": "'my id': your Teams id, for the directory of reviewers",
    },
    "help_channel": {
        "fr": "Dans un canal, mentionnez-moi (@Boussole) ; vos réponses y sont visibles de tous. "
        "Pour une analyse confidentielle, écrivez-moi en conversation privée.",
        "en": "In a channel, mention me (@Boussole); your answers are visible to everyone there. "
        "For a confidential triage, chat with me privately.",
    },
    # Buttons
    "action_help": {"fr": "Aide", "en": "Help"},
    "action_answers": {"fr": "Vos réponses", "en": "Your answers"},
    "action_review_detail": {"fr": "Voir le détail", "en": "See the details"},
    # Inputs
    "choose_one": {"fr": "Choisissez une réponse.", "en": "Choose an answer."},
    "choose_some": {
        "fr": "Choisissez au moins une réponse.",
        "en": "Choose at least one answer.",
    },
    "choose_scale": {
        "fr": "Choisissez une valeur de {min} à {max}.",
        "en": "Choose a value from {min} to {max}.",
    },
    "write_answer": {
        "fr": "Écrivez votre réponse ({max} caractères au plus).",
        "en": "Write your answer ({max} characters at most).",
    },
    "placeholder_choice": {"fr": "Choisissez…", "en": "Choose…"},
    "placeholder_text": {"fr": "Votre réponse", "en": "Your answer"},
    "exclusive_hint": {
        "fr": "Ces réponses se choisissent seules : {labels}.",
        "en": "These answers go alone: {labels}.",
    },
    "scale_low": {"fr": "{value} (faible)", "en": "{value} (low)"},
    "scale_high": {"fr": "{value} (fort)", "en": "{value} (high)"},
    # Cards replaced after a click
    "triage_label": {"fr": "Analyse {id}", "en": "Triage {id}"},
    "unreadable_card": {
        "fr": "Cette carte n'a pas pu être lue ; rien n'a été modifié. "
        "Reprenez l'analyse avec « reprendre ID ».",
        "en": "This card could not be read; nothing was changed. "
        "Resume the triage with 'resume ID'.",
    },
    # Lists
    "list_empty": {
        "fr": "Aucune analyse pour l'instant.",
        "en": "No triage yet.",
    },
    "list_more": {
        "fr": "Les {count} plus récentes sont affichées.",
        "en": "The {count} most recent are shown.",
    },
    "list_row": {
        "fr": "{id} · {status} · mise à jour le {updated}",
        "en": "{id} · {status} · updated on {updated}",
    },
    # Results and reviews
    "answers_truncated": {
        "fr": "(réponse abrégée ; le rapport complet est disponible auprès des "
        "administrateurs : boussole report {id})",
        "en": "(answer shortened; the full report is available from the administrators: "
        "boussole report {id})",
    },
    "review_title": {"fr": "Analyse à examiner", "en": "Triage to review"},
    # Review decisions (reviewers) and the agent's answers
    "override_comment": {
        "fr": "Motif de la requalification (obligatoire)",
        "en": "Reason for the change (required)",
    },
    "write_text": {
        "fr": "Écrivez le texte ({max} caractères au plus).",
        "en": "Write the text ({max} characters at most).",
    },
    "review_decided_title": {"fr": "Décision enregistrée", "en": "Decision recorded"},
    "agent_question_title": {
        "fr": "Question d'un responsable d'examen",
        "en": "A reviewer's question",
    },
    "reply_label": {"fr": "Votre réponse", "en": "Your answer"},
    "agent_answered": {"fr": "Votre réponse : {answer}", "en": "Your answer: {answer}"},
    # Administration
    "admin_usage": {
        "fr": "Commandes d'administration : « admin version » ; « admin responsable ajouter "
        "DIRECTION plateforme:id » ; « admin responsable retirer DIRECTION plateforme:id ». "
        "Pour publier une grille, envoyez-moi son fichier YAML en conversation privée.",
        "en": "Admin commands: 'admin version'; 'admin reviewer add DEPARTMENT platform:id'; "
        "'admin reviewer remove DEPARTMENT platform:id'. To publish a flow, send me its YAML "
        "file in a personal chat.",
    },
    "upload_title": {"fr": "Vérification de la grille", "en": "Flow check"},
    "upload_diagram": {"fr": "Diagramme (Mermaid)", "en": "Diagram (Mermaid)"},
    "upload_truncated": {"fr": "… (tronqué)", "en": "… (truncated)"},
    "upload_in_channel": {
        "fr": "Envoyez le fichier de grille en conversation privée avec moi, pas dans un canal.",
        "en": "Send the flow file in a personal chat with me, not in a channel.",
    },
    # Failures
}


def m(key: str, lang: str, **params: Any) -> str:
    """A message of this catalog in `lang`, French when the language is not supported."""
    return lookup(CATALOG, key, lang, **params)
