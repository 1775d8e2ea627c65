"""What the Matrix adapter itself writes, in French and English (French by default).

The engine's messages come already translated; this catalog holds what exists because
Matrix is typed text: how to answer, the help, and the reviewers' commands. What every chat
platform says in the same words (internal error, file refused, not understood) is the chat
kit's (adapters.chat.messages).
"""

from __future__ import annotations

from typing import Any

from adapters.chat.messages import lookup

CATALOG: dict[str, dict[str, str]] = {
    "how_to_answer": {
        "fr": "Répondez par le numéro ou l'intitulé.",
        "en": "Answer with the number or the label.",
    },
    "how_to_move": {
        "fr": "« ? » pourquoi cette question, « < » question précédente, « annuler » pour arrêter.",
        "en": "'?' why this question, '<' previous question, 'cancel' to stop.",
    },
    "how_to_answer_multi": {
        "fr": "Plusieurs réponses possibles : « 1, 3 ».",
        "en": "Several answers allowed: '1, 3'.",
    },
    "how_to_answer_text": {
        "fr": "Répondez en une ligne de texte.",
        "en": "Answer in one line of text.",
    },
    "how_to_answer_scale": {
        "fr": "Répondez par un nombre de {low} à {high}.",
        "en": "Answer with a number from {low} to {high}.",
    },
    "unreadable": {
        "fr": "Je n'ai pas compris cette réponse.",
        "en": "I could not read that answer.",
    },
    "help_whoami": {
        "fr": "« identifiant » : votre identifiant pour les administrateurs",
        "en": "'whoami': your id, for the administrators",
    },
    "help_rooms": {
        "fr": "Dans un salon à plusieurs, commencez par « !boussole ».",
        "en": "In a room with others, start with '!boussole'.",
    },
    "no_triage": {"fr": "Vous n'avez pas encore d'analyse.", "en": "You have no triage yet."},
    "list_row": {
        "fr": "• {id} — {project} — {status}",
        "en": "• {id} — {project} — {status}",
    },
    "upload_in_channel": {
        "fr": "Envoyez le fichier de grille dans votre salon direct avec moi, pas dans un "
        "salon à plusieurs.",
        "en": "Send the flow file in your direct room with me, not in a room with others.",
    },
    "review_commands": {
        "fr": "Pour décider, répondez :\n"
        "• « prendre {id} » : vous prenez la revue en charge\n"
        "• « confirmer {id} » : vous confirmez l'orientation\n"
        "• « demander {id} votre question » : vous interrogez l'agent\n"
        "• « modifier {id} ORIENTATION commentaire » : vous requalifiez ({outcomes})",
        "en": "To decide, reply:\n"
        "• 'claim {id}': you take the review\n"
        "• 'confirm {id}': you confirm the orientation\n"
        "• 'ask {id} your question': you ask the agent\n"
        "• 'override {id} ORIENTATION comment': you requalify ({outcomes})",
    },
    "reply_command": {
        "fr": "Pour répondre : « répondre {id} votre réponse ».",
        "en": "To answer: 'reply {id} your answer'.",
    },
    "review_usage": {
        "fr": "Usage : « {command} ID » suivi, s'il le faut, de l'orientation et du texte.",
        "en": "Usage: '{command} ID', followed where needed by the orientation and the text.",
    },
    "admin_usage": {
        "fr": "Commandes d'administration : « admin version » ; « admin responsable ajouter "
        "DIRECTION plateforme:id » ; « admin responsable retirer DIRECTION plateforme:id » ; "
        "« admin publier SHA256 » après l'envoi d'un fichier de grille YAML.",
        "en": "Admin commands: 'admin version'; 'admin reviewer add DEPARTMENT platform:id'; "
        "'admin reviewer remove DEPARTMENT platform:id'; 'admin publish SHA256' after sending "
        "a YAML flow file.",
    },
    "summary_report": {
        "fr": "Le rapport à joindre au dossier du projet : les administrateurs de Boussole "
        "le produisent (boussole report {id}).",
        "en": "The report to file with the project's papers: Boussole's administrators "
        "produce it (boussole report {id}).",
    },
    "summary_retriage": {
        "fr": "Une nouvelle analyse dans 12 mois, ou dès un changement important : écrivez "
        "« boussole ».",
        "en": "A new triage in 12 months, or as soon as anything important changes: type 'new'.",
    },
    "publish_hint": {
        "fr": "Pour publier cette grille : « admin publier {sha} ».",
        "en": "To publish this flow: 'admin publish {sha}'.",
    },
}


def m(key: str, lang: str, **params: Any) -> str:
    """A message of this catalog, or of the chat kit's for the shared words, in `lang`,
    French when the language is not supported."""
    return lookup(CATALOG, key, lang, **params)
