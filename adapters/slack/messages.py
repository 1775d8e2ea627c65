"""What the Slack adapter itself writes, in French and English (French by default).

Questions, rules and results come already translated from the engine; this catalog only
holds Slack's own words: buttons, notices, help, App Home. Keys are looked up with
`bot.i18n.translate`, so the core catalog and this one never collide.
"""

from __future__ import annotations

from typing import Any

from adapters.chat.messages import lookup

CATALOG: dict[str, dict[str, str]] = {
    # Question messages
    "button_answer_text": {"fr": "Répondre", "en": "Answer"},
    "confirm_cancel_title": {"fr": "Annuler cette analyse ?", "en": "Cancel this triage?"},
    "confirm_cancel_text": {
        "fr": "Ses réponses restent enregistrées, mais elle ne pourra plus être poursuivie.",
        "en": "Its answers stay recorded, but it can no longer be continued.",
    },
    "confirm_cancel_yes": {"fr": "Annuler l'analyse", "en": "Cancel triage"},
    "confirm_cancel_no": {"fr": "Continuer", "en": "Keep going"},
    "select_placeholder": {"fr": "Choisir une réponse", "en": "Choose an answer"},
    "multi_hint": {
        "fr": "Cochez une ou plusieurs cases, puis « Valider ».",
        "en": "Tick one or more boxes, then 'Confirm'.",
    },
    "multi_exclusive_hint": {
        "fr": "{choices} : à cocher seul, sans autre case.",
        "en": "{choices}: tick alone, with no other box.",
    },
    "scale_hint": {
        "fr": "De {min} (pas du tout) à {max} (tout à fait).",
        "en": "From {min} (not at all) to {max} (completely).",
    },
    "text_hint": {
        "fr": "Réponse écrite, {max} caractères au plus : cliquez sur « Répondre ».",
        "en": "Written answer, {max} characters at most: click 'Answer'.",
    },
    "full_choices": {"fr": "Choix possibles :", "en": "Possible choices:"},
    "question_fallback": {"fr": "{progress} — {label}", "en": "{progress} — {label}"},
    "stepped_back": {
        "fr": "↩️ Retour à la question précédente, posée à nouveau ci-dessous.",
        "en": "↩️ Back to the previous question, asked again below.",
    },
    "current_question": {"fr": "Question en cours : {label}", "en": "Current question: {label}"},
    "button_show_current": {"fr": "Afficher la question en cours", "en": "Show current question"},
    # Text modal
    "modal_close": {"fr": "Fermer", "en": "Close"},
    # Results
    "outcome_line": {"fr": "*Orientation : {label}*", "en": "*Orientation: {label}*"},
    "because_line": {"fr": "_Parce que_ : {because}", "en": "_Because_: {because}"},
    "reference_line": {"fr": "_Référence_ : {reference}", "en": "_Reference_: {reference}"},
    "result_fallback": {
        "fr": "Résultat de l'analyse {id} : {outcome}",
        "en": "Result of triage {id}: {outcome}",
    },
    "result_truncated": {
        "fr": "… {count} éléments de plus ne tiennent pas dans un message Slack ; le rapport "
        "complet est disponible auprès des administrateurs (boussole report {id}).",
        "en": "… {count} more items do not fit in a Slack message; the full report is "
        "available from the administrators (boussole report {id}).",
    },
    # Notices
    "why_title": {"fr": "Pourquoi cette question ?", "en": "Why this question?"},
    "action_failed": {
        "fr": "Une erreur interne a empêché de traiter votre action ; rien n'a été enregistré "
        "à moitié. Réessayez dans un instant.",
        "en": "An internal error prevented your action from being processed; nothing was "
        "half-written. Try again in a moment.",
    },
    "action_failed_triage": {
        "fr": "Une erreur interne a empêché de traiter votre action ; rien n'a été enregistré "
        "à moitié. Réessayez, ou reprenez l'analyse : {command} reprendre {id}",
        "en": "An internal error prevented your action from being processed; nothing was "
        "half-written. Try again, or resume the triage: {command} resume {id}",
    },
    "continue_in_dm": {
        "fr": "Votre analyse se poursuit dans vos messages avec Boussole : <{link}|ouvrir>.",
        "en": "Your triage goes on in your messages with Boussole: <{link}|open>.",
    },
    # Help
    "help_fallback": {"fr": "Aide de Boussole", "en": "Boussole help"},
    "help": {
        "fr": "*Boussole* vous guide dans l'analyse d'un projet d'IA selon la doctrine de "
        "Nantes Métropole, question par question.\n"
        "• `{command}` : commencer une nouvelle analyse\n"
        "• `{command} liste` : vos analyses\n"
        "• `{command} reprendre ID` : reprendre une analyse (sans ID : la dernière en cours)\n"
        "• `{command} annuler ID` : annuler une analyse en cours\n"
        "• `{command} aide` : cette aide\n"
        "Les mêmes mots marchent en message direct à Boussole : « nouvelle », « liste », "
        "« reprendre ID », « annuler ID », « aide ». Pour répondre, utilisez les boutons de "
        "chaque question.",
        "en": "*Boussole* walks you through the triage of an AI project under the Nantes "
        "Métropole AI doctrine, one question at a time.\n"
        "• `{command}`: start a new triage\n"
        "• `{command} list`: your triages\n"
        "• `{command} resume ID`: resume a triage (without an ID: the latest in progress)\n"
        "• `{command} cancel ID`: cancel a triage in progress\n"
        "• `{command} help`: this help\n"
        "The same words work in a direct message to Boussole: 'new', 'list', 'resume ID', "
        "'cancel ID', 'help'. To answer, use the buttons of each question.",
    },
    # Lists and App Home
    "list_empty": {
        "fr": "Aucune analyse pour l'instant. Commencez-en une : {command}",
        "en": "No triage yet. Start one: {command}",
    },
    "list_more": {
        "fr": "Seules les {count} plus récentes sont affichées.",
        "en": "Only the {count} most recent are shown.",
    },
    "triage_row": {
        "fr": "*{project}* · `{id}`\n{status} · {orientation} · mise à jour {date}",
        "en": "*{project}* · `{id}`\n{status} · {orientation} · updated {date}",
    },
    "no_orientation": {"fr": "orientation à venir", "en": "orientation to come"},
    "home_intro": {
        "fr": "Analysez un projet d'IA selon la doctrine de Nantes Métropole : sept critères, "
        "une orientation expliquée règle par règle. Commande : {command}",
        "en": "Triage an AI project under the Nantes Métropole AI doctrine: seven criteria, one "
        "orientation explained rule by rule. Command: {command}",
    },
    "home_reviews": {"fr": "En attente de votre examen", "en": "Waiting for your review"},
    "review_row": {
        "fr": "*{project}* ({department}) · `{id}`\n{outcome} · demandé {date}",
        "en": "*{project}* ({department}) · `{id}`\n{outcome} · requested {date}",
    },
    # Review notifications
    "review_header": {"fr": "Examen demandé : {project}", "en": "Review requested: {project}"},
    "button_full_result": {"fr": "Voir le résultat complet", "en": "View the full result"},
    "review_fallback": {
        "fr": "Examen demandé pour l'analyse {id} ({outcome})",
        "en": "Review requested for triage {id} ({outcome})",
    },
    # Review decisions
    "override_comment": {
        "fr": "Justification (obligatoire)",
        "en": "Justification (required)",
    },
    "reply_label": {"fr": "Votre réponse à l'examinateur", "en": "Your answer to the reviewer"},
    "notification_fallback": {"fr": "Message de Boussole", "en": "Message from Boussole"},
    # Administration
    "admin_help": {
        "fr": "Administration :\n"
        "• `{command} admin version` : la version publiée du parcours\n"
        "• `{command} admin responsable ajouter DEPT slack:UXXXX` : ajouter un examinateur\n"
        "• `{command} admin responsable retirer DEPT slack:UXXXX` : retirer un examinateur\n"
        "• un fichier YAML partagé dans ce message direct : vérifié, puis publiable.",
        "en": "Administration:\n"
        "• `{command} admin version`: the published version of the flow\n"
        "• `{command} admin reviewer add DEPT slack:UXXXX`: add a reviewer\n"
        "• `{command} admin reviewer remove DEPT slack:UXXXX`: remove a reviewer\n"
        "• a YAML file shared in this direct message: checked, then ready to publish.",
    },
    "mermaid_title": {"fr": "Diagramme (Mermaid) :", "en": "Diagram (Mermaid):"},
    "mermaid_truncated": {
        "fr": "… diagramme tronqué ({count} caractères de plus).",
        "en": "… diagram truncated ({count} more characters).",
    },
    "confirm_publish_title": {"fr": "Publier ce parcours ?", "en": "Publish this flow?"},
    "confirm_publish_text": {
        "fr": "Les nouvelles analyses suivront cette version ; les analyses en cours gardent "
        "la leur.",
        "en": "New triages will follow this version; triages in progress keep theirs.",
    },
    "confirm_publish_no": {"fr": "Pas maintenant", "en": "Not now"},
    "upload_unreadable": {
        "fr": "Impossible de lire le fichier « {name} » depuis Slack ; réessayez.",
        "en": "The file '{name}' could not be read from Slack; try again.",
    },
    "admin_report_fallback": {"fr": "Vérification du parcours", "en": "Flow check"},
}


def m(key: str, lang: str, **params: Any) -> str:
    """A Slack message of this catalog in `lang`."""
    return lookup(CATALOG, key, lang, **params)
