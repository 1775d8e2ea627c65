"""The words every chat platform shows the same way, in French and English: the buttons of
a question and of a review, the labels of the review forms, what an upload or a message that
is not understood gets. Each platform's catalog holds only what is its own, and looks here
for the rest (`adapters.chat.messages.lookup`), so a label is written once."""

from __future__ import annotations

from typing import Any

from bot.i18n import translate

CATALOG: dict[str, dict[str, str]] = {
    "button_why": {
        "fr": "Pourquoi ?",
        "en": "Why?",
    },
    "button_back": {
        "fr": "Retour",
        "en": "Back",
    },
    "button_cancel": {
        "fr": "Annuler l'analyse",
        "en": "Cancel the triage",
    },
    "button_submit": {
        "fr": "Valider",
        "en": "Confirm",
    },
    "button_reply": {
        "fr": "Répondre",
        "en": "Reply",
    },
    "button_new": {
        "fr": "Nouvelle analyse",
        "en": "New triage",
    },
    "button_resume": {
        "fr": "Reprendre",
        "en": "Resume",
    },
    "button_view_result": {
        "fr": "Voir le résultat",
        "en": "See the result",
    },
    "my_triages": {
        "fr": "Mes analyses",
        "en": "My triages",
    },
    "button_claim": {
        "fr": "Je prends en charge",
        "en": "I'll take it",
    },
    "button_confirm": {
        "fr": "Confirmer l'orientation",
        "en": "Confirm the orientation",
    },
    "button_ask": {
        "fr": "Demander des précisions",
        "en": "Ask for details",
    },
    "button_override": {
        "fr": "Requalifier",
        "en": "Change the orientation",
    },
    "ask_label": {
        "fr": "Votre question à l'agent",
        "en": "Your question to the agent",
    },
    "new_outcome_label": {
        "fr": "Nouvelle orientation",
        "en": "New orientation",
    },
    "button_send": {
        "fr": "Envoyer",
        "en": "Send",
    },
    "not_understood": {
        "fr": "Je n'ai pas compris « {text} ».",
        "en": "I did not understand '{text}'.",
    },
    "upload_not_yaml": {
        "fr": "Le fichier « {name} » n'est pas un fichier YAML (.yaml ou .yml) ; "
        "rien n'a été vérifié.",
        "en": "The file '{name}' is not a YAML file (.yaml or .yml); nothing was checked.",
    },
    "upload_too_big": {
        "fr": "Le fichier « {name} » dépasse {max} octets ; rien n'a été vérifié.",
        "en": "The file '{name}' is over {max} bytes; nothing was checked.",
    },
    "internal_error": {
        "fr": "Une erreur interne est survenue ; rien n'a été enregistré à moitié. Réessayez "
        "dans un instant ; si elle persiste, transmettez cette référence aux "
        "administrateurs : {ref}.",
        "en": "An internal error occurred; nothing was half-written. Try again in a moment; if "
        "it persists, give this reference to the administrators: {ref}.",
    },
    "upload_unreachable": {
        "fr": "Le fichier « {name} » n'a pas pu être téléchargé ; réessayez de l'envoyer.",
        "en": "The file '{name}' could not be downloaded; try sending it again.",
    },
    "button_publish": {"fr": "Publier", "en": "Publish"},
    "went_back": {
        "fr": "↩ Retour à la question précédente.",
        "en": "↩ Back to the previous question.",
    },
    "no_longer_current": {
        "fr": "Cette question n'est plus en cours.",
        "en": "This question is no longer the current one.",
    },
    "card_cancelled": {"fr": "Analyse {id} annulée.", "en": "Triage {id} cancelled."},
    "give_triage_id": {
        "fr": "Donnez l'identifiant de l'analyse, par exemple « {command} 3k7mq2x9ab ». "
        "Vos analyses : « liste ».",
        "en": "Give the triage's id, for example '{command} 3k7mq2x9ab'. Your triages: 'list'.",
    },
    "word_resume": {"fr": "reprendre", "en": "resume"},
    "word_cancel": {"fr": "annuler", "en": "cancel"},
    "channel_notice": {
        "fr": "Cette analyse se déroule dans un canal : ses questions et vos réponses y sont "
        "visibles de tous.",
        "en": "This triage runs in a channel: its questions and your answers are visible to "
        "everyone there.",
    },
    "app_name": {"fr": "Boussole", "en": "Boussole"},
    "quoted": {"fr": "« {text} »", "en": "'{text}'"},
    # Help: the commands of the kit's grammar (adapters.chat.commands) every platform lists
    "help_title": {"fr": "Ce que je comprends", "en": "What I understand"},
    "help_start": {
        "fr": "« boussole » ou « nouvelle analyse » : commencer une analyse",
        "en": "'new' or 'boussole': start a triage",
    },
    "help_list": {
        "fr": "« liste » : vos analyses récentes",
        "en": "'list': your recent triages",
    },
    "help_resume": {
        "fr": "« reprendre ID » : reprendre une analyse, ou revoir son résultat",
        "en": "'resume ID': resume a triage, or see its result again",
    },
    "help_cancel": {
        "fr": "« annuler ID » : annuler une analyse en cours",
        "en": "'cancel ID': cancel a triage in progress",
    },
    # Forms (adapters.chat.forms)
    "answer_placeholder": {
        "fr": "Votre réponse, {max} caractères au plus",
        "en": "Your answer, {max} characters at most",
    },
    "override_title": {"fr": "Requalifier", "en": "Change orientation"},
    "override_placeholder": {
        "fr": "Pourquoi cette orientation, {max} caractères au plus",
        "en": "Why this orientation, {max} characters at most",
    },
    "form_required": {"fr": "Ce champ est obligatoire.", "en": "This field is required."},
    "form_too_long": {
        "fr": "{length} caractères : {max} au plus.",
        "en": "{length} characters: {max} at most.",
    },
    "form_unknown_option": {
        "fr": "Choisissez une des réponses proposées.",
        "en": "Choose one of the answers offered.",
    },
    "form_unreadable": {
        "fr": "Cette valeur n'a pas pu être lue ; remplissez le champ à nouveau.",
        "en": "This value could not be read; fill in the field again.",
    },
}

HELP_LINES = ("help_start", "help_list", "help_resume", "help_cancel")
"""The help's lines a platform that reads the kit's typed commands shows first, in order,
before its own (how to get one's id, how to reach the bot in a channel...)."""


def lookup(platform: dict[str, dict[str, str]], key: str, lang: str, **params: Any) -> str:
    """`key` in the platform's own catalog, else in the kit's."""
    return translate(platform if key in platform else CATALOG, key, lang, **params)


def m(key: str, lang: str, **params: Any) -> str:
    """A word of the kit's own catalog in `lang`."""
    return translate(CATALOG, key, lang, **params)
