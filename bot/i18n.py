"""The catalog of every message the application itself writes, in French and English.

Flow texts (questions, rules) live in flow files; this catalog holds the rest. French is the
default; a test checks that every entry exists in both languages with the same placeholders.
"""

from __future__ import annotations

from typing import Any

DEFAULT_LANG = "fr"
LANGS = ("fr", "en")

CATALOG: dict[str, dict[str, str]] = {
    # Answer validation (codes raised by flows.answers)
    "choice_type": {
        "fr": "la réponse doit être l'identifiant d'un choix parmi : {choices}",
        "en": "the answer must be the id of one choice among: {choices}",
    },
    "not_a_choice": {
        "fr": "« {value} » n'est pas un choix de cette question ; choix possibles : {choices}",
        "en": "'{value}' is not a choice of this question; possible choices: {choices}",
    },
    "multi_type": {
        "fr": "la réponse doit être une liste d'identifiants de choix parmi : {choices}",
        "en": "the answer must be a list of choice ids among: {choices}",
    },
    "multi_empty": {
        "fr": "choisissez au moins une réponse parmi : {choices}",
        "en": "choose at least one answer among: {choices}",
    },
    "multi_duplicate": {
        "fr": "un même choix est donné deux fois ; ne le donnez qu'une fois",
        "en": "the same choice is given twice; give it once",
    },
    "multi_exclusive": {
        "fr": "« {value} » ne peut pas être combiné avec d'autres choix ; "
        "gardez-le seul ou retirez-le",
        "en": "'{value}' cannot be combined with other choices; keep it alone or remove it",
    },
    "scale_type": {
        "fr": "la réponse doit être un nombre entier de {min} à {max}",
        "en": "the answer must be a whole number from {min} to {max}",
    },
    "scale_range": {
        "fr": "{value} est hors de l'échelle ; donnez un nombre entier de {min} à {max}",
        "en": "{value} is outside the scale; give a whole number from {min} to {max}",
    },
    "text_type": {
        "fr": "la réponse doit être un texte",
        "en": "the answer must be a text",
    },
    "text_empty": {
        "fr": "la réponse est vide ; écrivez quelques mots",
        "en": "the answer is empty; write a few words",
    },
    "text_control": {
        "fr": "le texte contient un caractère de contrôle invisible ({char}) ; retapez-le sans",
        "en": "the text holds an invisible control character ({char}); type it again without it",
    },
    "text_too_long": {
        "fr": "la réponse fait {length} caractères ; raccourcissez-la à {max} au plus",
        "en": "the answer is {length} characters long; shorten it to {max} at most",
    },
    # Answer files
    "unknown_question": {
        "fr": "question inconnue dans la grille {flow} ; vérifiez l'identifiant",
        "en": "unknown question in the {flow} grid; check the id",
    },
    "missing_answer": {
        "fr": "réponse manquante : cette question est posée sur ce parcours",
        "en": "missing answer: this question is asked on this path",
    },
    "file_unreadable": {
        "fr": "fichier illisible ({reason})",
        "en": "cannot read the file ({reason})",
    },
    "file_unparsable": {
        "fr": "ni YAML ni JSON valide ({reason})",
        "en": "neither valid YAML nor valid JSON ({reason})",
    },
    "file_not_mapping": {
        "fr": "le fichier doit associer chaque identifiant de question à sa réponse "
        "(par exemple « DI1: non »)",
        "en": "the file must map each question id to its answer (for example 'DI1: non')",
    },
    "file_too_large": {
        "fr": "fichier refusé : il dépasse la limite de {limit} octets des fichiers de "
        "réponses et de grilles (ils font quelques dizaines de Ko)",
        "en": "file refused: it is over the limit of {limit} bytes for answer and flow files "
        "(they are a few dozen KB)",
    },
    "file_refused": {
        "fr": "fichier refusé, ligne {line} : {reason}",
        "en": "file refused, line {line}: {reason}",
    },
    # Engine
    "started": {
        "fr": "Analyse {id} commencée (grille {flow}, version {version}).",
        "en": "Triage {id} started ({flow} grid, version {version}).",
    },
    "resumed": {
        "fr": "Reprise de l'analyse {id}.",
        "en": "Resuming triage {id}.",
    },
    "progress": {
        "fr": "{section} · question {number}",
        "en": "{section} · question {number}",
    },
    "stale_question": {
        "fr": "Cette question a déjà reçu une réponse ou n'est plus la question en cours ; "
        "rien n'a été modifié. Voici la question en cours.",
        "en": "This question was already answered or is no longer the current one; "
        "nothing was changed. Here is the current question.",
    },
    "duplicate_event": {
        "fr": "Cette action a déjà été prise en compte.",
        "en": "This action was already taken into account.",
    },
    "stale_version": {
        "fr": "Cette question vient d'une autre version de la grille ; rien n'a été modifié. "
        "Voici la question en cours.",
        "en": "This question comes from another version of the flow; nothing was changed. "
        "Here is the current question.",
    },
    "concurrent_update": {
        "fr": "Une autre réponse vient d'être enregistrée pour cette analyse ; "
        "rien n'a été modifié. Reprenez l'analyse pour voir la question en cours.",
        "en": "Another answer was just recorded for this triage; nothing was changed. "
        "Resume the triage to see the current question.",
    },
    "triage_not_found": {
        "fr": "Analyse {id} introuvable ; vérifiez l'identifiant dans la liste de vos analyses.",
        "en": "Triage {id} not found; check the id in the list of your triages.",
    },
    "result_not_visible": {
        "fr": "L'analyse {id} a été commencée par une autre personne ; seuls son auteur, les "
        "responsables de sa direction et les administrateurs peuvent voir son résultat et son "
        "rapport.",
        "en": "Triage {id} was started by someone else; only its author, the reviewers of its "
        "department and the admins can see its result and its report.",
    },
    "result_in_progress": {
        "fr": "L'analyse {id} n'est pas terminée : son résultat n'existe pas encore.",
        "en": "Triage {id} is not finished: it has no result yet.",
    },
    "not_owner": {
        "fr": "L'analyse {id} a été commencée par une autre personne ; "
        "seule elle peut la poursuivre.",
        "en": "Triage {id} was started by someone else; only they can continue it.",
    },
    "triage_completed": {
        "fr": "L'analyse {id} est terminée ; voici son résultat.",
        "en": "Triage {id} is finished; here is its result.",
    },
    "triage_cancelled": {
        "fr": "L'analyse {id} a été annulée ; commencez-en une nouvelle.",
        "en": "Triage {id} was cancelled; start a new one.",
    },
    "cancelled": {
        "fr": "Analyse {id} annulée. Ses réponses restent enregistrées.",
        "en": "Triage {id} cancelled. Its answers stay recorded.",
    },
    "first_question": {
        "fr": "Vous êtes à la première question : il n'y a pas de question précédente.",
        "en": "This is the first question: there is no previous one.",
    },
    "why": {
        "fr": "{section} — {why}\nRéférence : {reference}",
        "en": "{section} — {why}\nReference: {reference}",
    },
    "answered": {
        "fr": "{label} → {answer}",
        "en": "{label} → {answer}",
    },
    "blocking_point": {
        "fr": "Obtenir la réponse à « {label} » avant que le projet ne se poursuive.",
        "en": "Obtain the answer to '{label}' before the project goes on.",
    },
    "other_department": {
        "fr": "Autre",
        "en": "Other",
    },
    # Result
    "result_title": {
        "fr": "Résultat de l'analyse {id}",
        "en": "Result of triage {id}",
    },
    "orientation": {"fr": "Orientation", "en": "Orientation"},
    "advice_notice": {
        "fr": "Cette orientation est un avis : seul un responsable humain peut la confirmer ou "
        "la modifier.",
        "en": "This orientation is advice: only a human reviewer can confirm or change it.",
    },
    "fired_rules": {"fr": "Règles déclenchées", "en": "Fired rules"},
    "directory_admins_stand_in": {
        "fr": "Attention : aucun responsable pour {departments}. Les analyses à examiner de ces "
        "directions iront aux administrateurs ({count}). Ajoutez des responsables : "
        "boussole directory add-reviewer DIRECTION plateforme:identifiant.",
        "en": "Warning: no reviewer for {departments}. Flagged triages of these departments "
        "will go to the administrators ({count}). Add reviewers: "
        "boussole directory add-reviewer DEPARTMENT platform:user_id.",
    },
    "directory_nobody_to_notify": {
        "fr": "ATTENTION : ni responsable ni administrateur pour {departments}. Les analyses à "
        "examiner de ces directions ne seront signalées à PERSONNE. Configurez des responsables "
        "(boussole directory add-reviewer) ou au moins un administrateur (boussole admins add).",
        "en": "WARNING: neither a reviewer nor an administrator for {departments}. Flagged "
        "triages of these departments will be sent to NOBODY. Configure reviewers (boussole "
        "directory add-reviewer) or at least one administrator (boussole admins add).",
    },
    "review_admin_stand_in": {
        "fr": "Vous recevez cette demande en tant qu'administrateur : la direction {department} "
        "n'a aucun responsable. Examinez le projet ou ajoutez-lui un responsable.",
        "en": "You receive this request as an administrator: {department} has no reviewer. "
        "Review the project, or add a reviewer to the department.",
    },
    "notified_reviewers": {
        "fr": "Qui a été prévenu : les responsables de la direction {department} ({count}). "
        "Ils confirment ou modifient cette orientation.",
        "en": "Who was told: the reviewers of {department} ({count}). "
        "They confirm or change this orientation.",
    },
    "notified_default_reviewers": {
        "fr": "Qui a été prévenu : la direction {department} n'a pas de responsable ; les "
        "responsables par défaut ({count}) ont été prévenus à sa place.",
        "en": "Who was told: {department} has no reviewer of its own; the default reviewers "
        "({count}) were told instead.",
    },
    "notified_admins": {
        "fr": "Qui a été prévenu : la direction {department} n'a aucun responsable ; les "
        "administrateurs de Boussole ({count}) ont été prévenus à sa place et peuvent examiner "
        "le projet.",
        "en": "Who was told: {department} has no reviewer; Boussole's administrators ({count}) "
        "were told instead and may review the project.",
    },
    "notified_nobody": {
        "fr": "Personne n'a pu être prévenu : ni la direction {department} ni Boussole n'ont de "
        "responsable ou d'administrateur configuré, donc aucun examen n'aura lieu pour "
        "l'instant. Demandez à la direction du numérique de configurer les responsables "
        "(boussole directory, boussole admins) en lui donnant l'identifiant {id}.",
        "en": "Nobody could be told: neither {department} nor Boussole has a reviewer or an "
        "administrator configured, so no review will take place for now. Ask the IT "
        "department to configure reviewers (boussole directory, boussole admins), giving "
        "them the triage id {id}.",
    },
    "no_rule_fired": {"fr": "Aucune règle déclenchée.", "en": "No rule fired."},
    "conditions": {"fr": "Conditions", "en": "Conditions"},
    "blocking_points": {"fr": "Points bloquants", "en": "Blocking points"},
    "may_be_incompatible": {
        "fr": "une autre réponse pourrait rendre le projet incompatible ({rules})",
        "en": "another answer could make the project incompatible ({rules})",
    },
    "because": {"fr": "parce que", "en": "because"},
    "list_separator": {"fr": " ; ", "en": "; "},
    "summary_title": {"fr": "En résumé", "en": "In short"},
    "reference_legend": {"fr": "Sources : {tags}", "en": "Sources: {tags}"},
    "reference_tag_N": {
        "fr": "[N] la doctrine de Nantes Métropole (doctrine IA, charte de la donnée)",
        "en": "[N] Nantes Métropole's doctrine (AI doctrine, data charter)",
    },
    "reference_tag_N-int": {
        "fr": "[N-int] une lecture de la doctrine",
        "en": "[N-int] a reading of the doctrine",
    },
    "reference_tag_L": {"fr": "[L] la loi", "en": "[L] the law"},
    "reference_tag_BP": {"fr": "[BP] une bonne pratique", "en": "[BP] good practice"},
    "summary_report": {
        "fr": "Le rapport à joindre au dossier du projet : boussole report {id}",
        "en": "The report to file with the project's papers: boussole report {id}",
    },
    "summary_retriage": {
        "fr": "Une nouvelle analyse dans 12 mois, ou dès un changement important : "
        "boussole retriage {id} --ask QUESTION (ou --answers FICHIER)",
        "en": "A new triage in 12 months, or as soon as anything important changes: "
        "boussole retriage {id} --ask QUESTION (or --answers FILE)",
    },
    "previous_answer": {"fr": "Réponse précédente : {answer}", "en": "Previous answer: {answer}"},
    "untitled": {"fr": "(projet sans nom)", "en": "(untitled project)"},
    "your_id": {
        "fr": "Votre identifiant pour l'annuaire des responsables d'examen : {id}",
        "en": "Your id for the directory of reviewers: {id}",
    },
    "review_list_title": {"fr": "Analyses à examiner", "en": "Triages to review"},
    "review_list_empty": {
        "fr": "Aucune analyse n'attend votre examen.",
        "en": "No triage is waiting for your review.",
    },
    "column_requested": {"fr": "Demandé le", "en": "Requested"},
    "review_outcome_unknown": {
        "fr": "« {value} » n'est pas une orientation ; choisissez parmi : {outcomes}.",
        "en": "'{value}' is not an orientation; choose among: {outcomes}.",
    },
    "retriage_how": {
        "fr": "Dites ce qui change : --ask QUESTION pour reposer une question (répétable, "
        "par exemple --ask C5-Q3), ou --answers FICHIER pour les nouvelles réponses.",
        "en": "Say what changes: --ask QUESTION to ask a question again (repeatable, for "
        "example --ask C5-Q3), or --answers FILE for the new answers.",
    },
    "rule": {"fr": "Règle", "en": "Rule"},
    "criterion": {"fr": "Critère", "en": "Criterion"},
    "effect": {"fr": "Effet", "en": "Effect"},
    "explanation": {"fr": "Explication", "en": "Explanation"},
    "labelled": {"fr": "{label} : ", "en": "{label}: "},
    "reference": {"fr": "Référence", "en": "Reference"},
    "effect_incompatible": {"fr": "incompatible", "en": "incompatible"},
    "effect_full_review": {"fr": "examen approfondi", "en": "full review"},
    "effect_condition": {"fr": "condition", "en": "condition"},
    "ignored": {
        "fr": "Réponses non prises en compte (questions non posées sur ce parcours) : {ids}",
        "en": "Answers not taken into account (questions not asked on this path): {ids}",
    },
    "flow_version": {
        "fr": "Grille {flow}, version {version} (sha256 {sha})",
        "en": "{flow} grid, version {version} (sha256 {sha})",
    },
    "answers": {"fr": "Réponses", "en": "Answers"},
    "question": {"fr": "Question", "en": "Question"},
    "answer": {"fr": "Réponse", "en": "Answer"},
    "status_in_progress": {"fr": "en cours", "en": "in progress"},
    "status_completed": {"fr": "terminée", "en": "finished"},
    "status_cancelled": {"fr": "annulée", "en": "cancelled"},
    "review_summary": {
        "fr": "Le projet « {project} » ({department}) est orienté vers : {outcome}. "
        "Analyse {id} — votre décision est attendue.",
        "en": "Project '{project}' ({department}) is oriented to: {outcome}. "
        "Triage {id} — your decision is awaited.",
    },
    # Terminal
    "console_hint_choice": {
        "fr": "Tapez le numéro ou l'intitulé d'un choix ; ? pour savoir pourquoi cette question, "
        "< pour revenir en arrière, Ctrl-C pour interrompre.",
        "en": "Type the number or the wording of a choice; ? to see why this question is asked, "
        "< to go back, Ctrl-C to stop.",
    },
    "console_hint_multi": {
        "fr": "Tapez un ou plusieurs numéros ou intitulés séparés par des virgules (1,3) ; "
        "? pourquoi, < retour, Ctrl-C pour interrompre.",
        "en": "Type one or more numbers or wordings separated by commas (1,3); ? why, < back, "
        "Ctrl-C to stop.",
    },
    "console_hint_scale": {
        "fr": "Tapez un nombre de 1 à 5 ; ? pourquoi, < retour, Ctrl-C pour interrompre.",
        "en": "Type a number from 1 to 5; ? why, < back, Ctrl-C to stop.",
    },
    "console_hint_text": {
        "fr": "Écrivez votre réponse ; ? pourquoi, < retour, Ctrl-C pour interrompre.",
        "en": "Write your answer; ? why, < back, Ctrl-C to stop.",
    },
    "console_hint_arrows": {
        "fr": "(flèches ou numéro, puis Entrée)",
        "en": "(arrow keys or number, then Enter)",
    },
    "console_hint_boxes": {
        "fr": "(flèches, Espace pour cocher, Entrée pour valider)",
        "en": "(arrow keys, Space to tick, Enter to confirm)",
    },
    "console_why": {"fr": "? Pourquoi cette question ?", "en": "? Why this question?"},
    "console_back": {"fr": "< Question précédente", "en": "< Previous question"},
    "console_unreadable": {
        "fr": "Réponse illisible pour cette question.",
        "en": "This answer cannot be read for this question.",
    },
    "console_interrupted": {
        "fr": "Analyse {id} interrompue ; vos réponses sont enregistrées. Pour la reprendre :\n"
        "  boussole triage --resume {id}\nPour l'abandonner : boussole cancel {id}",
        "en": "Triage {id} interrupted; your answers are recorded. To resume it:\n"
        "  boussole triage --resume {id}\nTo give it up: boussole cancel {id}",
    },
    "console_first_changed": {
        "fr": "La première question a changé depuis son affichage : votre réponse n'est pas "
        "enregistrée. La voici telle qu'elle est maintenant.",
        "en": "The first question changed since it was shown: your answer is not recorded. "
        "Here it is as it is now.",
    },
    "console_not_started": {
        "fr": "L'analyse n'a pas pu commencer : votre réponse n'est pas enregistrée.",
        "en": "The triage could not start: your answer is not recorded.",
    },
    "console_interrupted_unanswered": {
        "fr": "Analyse {id} interrompue avant l'enregistrement de votre réponse. Pour la "
        "reprendre à sa première question :\n  boussole triage --resume {id}\n"
        "Pour l'abandonner : boussole cancel {id}",
        "en": "Triage {id} interrupted before your answer was recorded. To resume it at its "
        "first question:\n  boussole triage --resume {id}\nTo give it up: boussole cancel {id}",
    },
    "console_answer_waiting": {
        "fr": "Un instant : l'analyse s'ouvre avant l'enregistrement de votre réponse.",
        "en": "One moment: the triage is opening before your answer is recorded.",
    },
    "console_start_waiting": {
        "fr": "Un instant : l'ouverture de l'analyse s'achève, pour vous dire ce qui est "
        "enregistré. Ctrl-C de nouveau pour partir sans attendre.",
        "en": "One moment: the triage is finishing opening, so that you can be told what is "
        "recorded. Ctrl-C again to leave without waiting.",
    },
    "console_start_abandoned": {
        "fr": "Arrêt sans attendre : aucune réponse n'est enregistrée ; l'analyse a pu "
        "commencer ou non (boussole list le dira).",
        "en": "Stopped without waiting: no answer is recorded; the triage may or may not have "
        "started (boussole list will tell).",
    },
    "console_interrupted_unstarted": {
        "fr": "Interrompu avant le début de l'analyse : rien n'est enregistré.",
        "en": "Interrupted before the triage started: nothing is recorded.",
    },
    "list_empty": {
        "fr": "Aucune analyse pour l'instant. Commencez-en une : boussole triage",
        "en": "No triage yet. Start one: boussole triage",
    },
    "list_title": {"fr": "Vos analyses", "en": "Your triages"},
    "column_id": {"fr": "Identifiant", "en": "Id"},
    "column_project": {"fr": "Projet", "en": "Project"},
    "column_status": {"fr": "État", "en": "Status"},
    "column_updated": {"fr": "Mis à jour", "en": "Updated"},
    "column_flow": {"fr": "Grille", "en": "Flow"},
    "column_version": {"fr": "Version", "en": "Version"},
    "column_published_by": {"fr": "Publiée par", "en": "Published by"},
    "column_published_at": {"fr": "Publiée le", "en": "Published on"},
    "column_note": {"fr": "Note", "en": "Note"},
    "bundled_publisher": {"fr": "Boussole", "en": "Boussole"},
    "bundled_note": {"fr": "grille livrée avec Boussole", "en": "flow shipped with Boussole"},
    "column_name_fr": {"fr": "Nom en français", "en": "French name"},
    "column_name_en": {"fr": "Nom en anglais", "en": "English name"},
    "column_reviewers": {"fr": "Responsables", "en": "Reviewers"},
    "column_count": {"fr": "Nombre", "en": "Count"},
    "column_kind": {"fr": "Type", "en": "Kind"},
    "column_to": {"fr": "Destinataire", "en": "To"},
    "column_attempts": {"fr": "Essais", "en": "Attempts"},
    "column_next": {"fr": "Prochain essai", "en": "Next attempt"},
    "column_error": {"fr": "Dernière erreur", "en": "Last error"},
    "outbox_status_pending": {"fr": "à envoyer", "en": "pending"},
    "outbox_status_delivered": {"fr": "envoyée", "en": "delivered"},
    "outbox_status_parked": {"fr": "en attente d'un opérateur", "en": "parked"},
    "outbox_kind_review_request": {"fr": "demande d'examen", "en": "review request"},
    "outbox_kind_review_closed": {"fr": "examen clos", "en": "review closed"},
    "outbox_kind_review_decision": {"fr": "décision d'examen", "en": "review decision"},
    "outbox_kind_review_question": {"fr": "question du responsable", "en": "reviewer's question"},
    "outbox_kind_agent_answer": {"fr": "réponse de l'agent", "en": "agent's answer"},
    "outbox_kind_review_reminder": {"fr": "rappel d'examen", "en": "review reminder"},
    "outbox_kind_weekly_digest": {"fr": "récapitulatif hebdomadaire", "en": "weekly digest"},
    "outbox_kind_retriage_reminder": {
        "fr": "rappel de nouvelle analyse",
        "en": "re-triage reminder",
    },
    "outbox_kind_retriage_changed": {
        "fr": "orientation changée par une nouvelle analyse",
        "en": "orientation changed by a re-triage",
    },
    "report_in_progress": {
        "fr": "L'analyse {id} est en cours ; reprenez-la avec : boussole triage --resume {id}",
        "en": "Triage {id} is in progress; resume it with: boussole triage --resume {id}",
    },
    "flow_ok": {
        "fr": "{file} : aucune erreur ({questions} questions, {rules} règles).",
        "en": "{file}: no error ({questions} questions, {rules} rules).",
    },
    "usage_answers_resume": {
        "fr": "ces deux options ne vont pas ensemble ; choisissez l'une ou l'autre",
        "en": "these two options do not go together; choose one",
    },
    "internal_error": {
        "fr": "Erreur interne ({detail}). Rien n'a été enregistré à moitié ; "
        "signalez-la aux administrateurs avec cette ligne.",
        "en": "Internal error ({detail}). Nothing was half-written; "
        "report it to the administrators with this line.",
    },
    "record_unreadable": {
        "fr": "{record} ne peut pas être lue : la base contient, pour « {field} », une valeur "
        "que Boussole n'écrit jamais ({value}). Elle a été modifiée en dehors de Boussole ; "
        "rien n'a été enregistré. Les administrateurs voient ce qui a changé avec "
        "« boussole audit verify », puis restaurent la base depuis une sauvegarde.",
        "en": "{record} cannot be read: the database holds, for '{field}', a value Boussole "
        "never writes ({value}). It was changed outside Boussole; nothing was recorded. "
        "Administrators can see what changed with 'boussole audit verify', then restore "
        "the database from a backup.",
    },
    "record_unreadable_unaudited": {
        "fr": "{record} ne peut pas être lue : la base contient, pour « {field} », une valeur "
        "que Boussole n'écrit jamais ({value}). Elle a été modifiée en dehors de Boussole ; "
        "rien n'a été enregistré. Le journal d'audit ne couvre pas cette table : les "
        "administrateurs restaurent la base depuis une sauvegarde.",
        "en": "{record} cannot be read: the database holds, for '{field}', a value Boussole "
        "never writes ({value}). It was changed outside Boussole; nothing was recorded. The "
        "audit log does not cover this table: administrators restore the database from a "
        "backup.",
    },
    "record_triage": {"fr": "L'analyse {id}", "en": "Triage {id}"},
    "record_triage_unnamed": {"fr": "Une analyse", "en": "A triage"},
    "record_audit": {"fr": "La ligne {id} du journal d'audit", "en": "Audit log row {id}"},
    "record_outbox": {"fr": "La notification {id}", "en": "Notification {id}"},
    "record_flow_version": {"fr": "La version de grille {id}", "en": "Flow version {id}"},
    "record_register_entry": {
        "fr": "L'inscription {id} au registre",
        "en": "Register entry {id}",
    },
    "record_department": {"fr": "La direction {id}", "en": "Department {id}"},
    "record_department_unnamed": {"fr": "Une direction", "en": "A department"},
    "platform_skipped": {
        "fr": "{platform} : non démarré, le réglage {setting} manque.",
        "en": "{platform}: not started, the setting {setting} is missing.",
    },
    "platform_extra_missing": {
        "fr": "{platform} est configuré, mais son module {module} n'est pas installé. "
        "Installez-le : pip install 'boussole-ia[{extra}]' (voir docs/{extra}.md).",
        "en": "{platform} is configured, but its module {module} is not installed. "
        "Install it: pip install 'boussole-ia[{extra}]' (see docs/{extra}.md).",
    },
    # App manifests (boussole slack manifest, boussole teams manifest)
    "slack_manifest_description": {
        "fr": "Analyse des projets d'IA selon la doctrine de Nantes Métropole",
        "en": "Triage of AI projects under the Nantes Métropole AI doctrine",
    },
    "slack_manifest_command": {
        "fr": "Analyser un projet d'IA (liste, reprendre ID, annuler ID, aide)",
        "en": "Triage an AI project (list, resume ID, cancel ID, help)",
    },
    "slack_manifest_usage": {
        "fr": "[liste | reprendre ID | annuler ID | aide]",
        "en": "[list | resume ID | cancel ID | help]",
    },
    "slack_manifest_mode": {
        "fr": "Donnez soit --url ADRESSE (HTTP : l'adresse HTTPS publique du serveur), soit "
        "--socket-mode (aucune adresse publique), pas les deux.",
        "en": "Give either --url ADDRESS (HTTP: the server's public HTTPS address) or "
        "--socket-mode (no public address), not both.",
    },
    "slack_manifest_https": {
        "fr": "--url : « {value} » n'est pas une adresse https:// ; Slack n'envoie ses requêtes "
        "qu'en HTTPS.",
        "en": "--url: '{value}' is not an https:// address; Slack sends its requests over "
        "HTTPS only.",
    },
    "slack_manifest_command_invalid": {
        "fr": "--command : « {value} » n'est pas une commande à barre oblique (une barre "
        "oblique puis un mot, {max} caractères au plus, par exemple /boussole).",
        "en": "--command: '{value}' is not a slash command (a slash then one word, {max} "
        "characters at most, such as /boussole).",
    },
    "teams_manifest_too_long": {
        "fr": "{option} : {length} caractères, Teams en accepte {max} au plus ; raccourcissez-le.",
        "en": "{option}: {length} characters, Teams accepts {max} at most; shorten it.",
    },
    "teams_manifest_version": {
        "fr": "--version : « {value} » n'est pas une version x.y.z (par exemple 1.0.0).",
        "en": "--version: '{value}' is not an x.y.z version (such as 1.0.0).",
    },
    "teams_manifest_not_written": {
        "fr": "Paquet Teams non écrit : {problems}",
        "en": "Teams package not written: {problems}",
    },
    "listen_refused": {
        "fr": "Impossible d'écouter sur {host}:{port} : {reason}. boussole serve s'arrête.",
        "en": "Cannot listen on {host}:{port}: {reason}. boussole serve stops.",
    },
    "listen_eaddrinuse": {
        "fr": "ce port est déjà pris (un autre programme, ou un autre boussole serve) ; "
        "choisissez-en un autre avec --port",
        "en": "the port is already taken (another program, or another boussole serve); "
        "choose another with --port",
    },
    "listen_eacces": {
        "fr": "ce port est réservé à l'administrateur du système (en dessous de 1024) ; "
        "choisissez-en un autre avec --port, derrière le proxy inverse",
        "en": "the port is reserved to the system administrator (below 1024); choose another "
        "with --port, behind the reverse proxy",
    },
    "listen_eaddrnotavail": {
        "fr": "cette machine n'a pas cette adresse ; donnez-en une des siennes avec --host "
        "(127.0.0.1 derrière un proxy inverse, 0.0.0.0 pour toutes)",
        "en": "this machine has no such address; give one of its own with --host (127.0.0.1 "
        "behind a reverse proxy, 0.0.0.0 for all)",
    },
    "no_platform": {
        "fr": "Aucune plateforme à servir : configurez Slack (SLACK_BOT_TOKEN, "
        "SLACK_SIGNING_SECRET), Teams (MicrosoftAppId) ou Matrix (BOUSSOLE_MATRIX_HOMESERVER, "
        "BOUSSOLE_MATRIX_USER_ID, BOUSSOLE_MATRIX_DEVICE_ID, BOUSSOLE_MATRIX_ACCESS_TOKEN), "
        "voir docs/deploy.md.",
        "en": "No platform to serve: configure Slack (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET), "
        "Teams (MicrosoftAppId) or Matrix (BOUSSOLE_MATRIX_HOMESERVER, BOUSSOLE_MATRIX_USER_ID, "
        "BOUSSOLE_MATRIX_DEVICE_ID, BOUSSOLE_MATRIX_ACCESS_TOKEN), see docs/deploy.md.",
    },
    # Flow administration
    "replay_same": {
        "fr": "{name} : inchangé ({outcome})",
        "en": "{name}: unchanged ({outcome})",
    },
    "replay_changed": {
        "fr": "{name} : orientation {before} → {after} ; règles {rules}",
        "en": "{name}: orientation {before} → {after}; rules {rules}",
    },
    "replay_rules": {
        "fr": "{name} : orientation inchangée ({outcome}) ; règles {rules}",
        "en": "{name}: orientation unchanged ({outcome}); rules {rules}",
    },
    "replay_new_questions": {
        "fr": "{name} : demanderait de nouvelles réponses ({questions})",
        "en": "{name}: would need new answers ({questions})",
    },
    "simulation_new_answers": {
        "fr": "Analyses qui demanderaient de nouvelles réponses (leur orientation ci-dessus est "
        "calculée sans ces questions ; pas besoin de --accept-changes pour elles) :",
        "en": "Triages that would need new answers (their orientation above is computed "
        "without these questions; they need no --accept-changes):",
    },
    "simulation_summary": {
        "fr": "{replayed} : {outcomes}, {rules}, {new}.",
        "en": "{replayed}: {outcomes}, {rules}, {new}.",
    },
    "simulation_replayed": {"fr": "{count} analyses rejouées", "en": "{count} triages replayed"},
    "simulation_replayed_one": {"fr": "{count} analyse rejouée", "en": "{count} triage replayed"},
    "simulation_outcomes": {
        "fr": "{count} changent d'orientation",
        "en": "{count} change orientation",
    },
    "simulation_outcomes_one": {
        "fr": "{count} change d'orientation",
        "en": "{count} changes orientation",
    },
    "simulation_rules": {"fr": "{count} changent de règles", "en": "{count} change rules"},
    "simulation_rules_one": {"fr": "{count} change de règles", "en": "{count} changes rules"},
    "simulation_new": {
        "fr": "{count} demanderaient de nouvelles réponses",
        "en": "{count} would need new answers",
    },
    "simulation_new_one": {
        "fr": "{count} demanderait de nouvelles réponses",
        "en": "{count} would need new answers",
    },
    "publish_other_flow": {
        "fr": "La grille {flow} n'est pas la grille publiée ({default}) ; "
        "ajoutez --new-flow si c'est bien une nouvelle grille.",
        "en": "Flow {flow} is not the published flow ({default}); "
        "add --new-flow if it really is a new flow.",
    },
    "publish_same": {
        "fr": "Ce fichier est déjà publié (version {version}) ; rien à faire.",
        "en": "This file is already published (version {version}); nothing to do.",
    },
    "publish_changes": {
        "fr": "Publication refusée : {count} orientations passées changeraient. "
        "Relisez-les, puis ajoutez --accept-changes pour publier quand même.",
        "en": "Publication refused: {count} past orientations would change. "
        "Review them, then add --accept-changes to publish anyway.",
    },
    "publish_changes_one": {
        "fr": "Publication refusée : {count} orientation passée changerait. "
        "Relisez-la, puis ajoutez --accept-changes pour publier quand même.",
        "en": "Publication refused: {count} past orientation would change. "
        "Review it, then add --accept-changes to publish anyway.",
    },
    "published": {
        "fr": "Grille {flow} publiée en version {version} (sha256 {sha}).",
        "en": "Flow {flow} published as version {version} (sha256 {sha}).",
    },
    "version_unknown": {
        "fr": "Version {version} introuvable ; « boussole flows list » donne les versions.",
        "en": "Version {version} not found; 'boussole flows list' lists the versions.",
    },
    "diagram_not_written": {
        "fr": "Aucun fichier écrit. Sans la CLI Mermaid, --format mermaid (par défaut) donne "
        "le texte du diagramme.",
        "en": "No file written. Without the Mermaid CLI, --format mermaid (the default) gives "
        "the diagram's text.",
    },
    "outbox_retried": {
        "fr": "Notification {id} remise en file : elle part au prochain passage du livreur.",
        "en": "Notification {id} queued again: it goes out at the notifier's next round.",
    },
    "outbox_not_retried": {
        "fr": "Notification {id} introuvable ou déjà remise ; « boussole outbox list » les liste.",
        "en": "Notification {id} not found or already delivered; 'boussole outbox list' lists "
        "them.",
    },
    "directory_too_many": {
        "fr": "Attention : la question de la direction propose désormais {count} choix (avec "
        "« autre ») ; les menus de Slack en contiennent {max} au plus, Slack ne pourra pas la "
        "poser. Regroupez des directions.",
        "en": "Warning: the department question now offers {count} choices (with 'autre'); "
        "Slack menus hold {max} at most, so Slack cannot ask it. Group some departments.",
    },
    "directory_changed": {
        "fr": "Annuaire mis à jour.",
        "en": "Directory updated.",
    },
    "directory_unchanged": {
        "fr": "Rien à changer : c'était déjà le cas.",
        "en": "Nothing to change: it already was so.",
    },
    "department_unknown": {
        "fr": "Direction {id} inconnue ; « boussole directory list » donne les directions.",
        "en": "Unknown department {id}; 'boussole directory list' lists them.",
    },
    "member_invalid": {
        "fr": "« {member} » n'est pas de la forme plateforme:identifiant "
        "(par exemple slack:U012ABC).",
        "en": "'{member}' is not of the form platform:user_id (for example slack:U012ABC).",
    },
    "member_platform_unknown": {
        "fr": "« {member} » : « {platform} » n'est pas une plateforme où Boussole joint les "
        "gens ; écrivez slack:, teams:, matrix: (Tchap compris, par exemple "
        "matrix:@alice:agent.tchap.gouv.fr) ou console: (le compte du système). Rien n'a été "
        "modifié.",
        "en": "'{member}': '{platform}' is not a platform where Boussole reaches people; write "
        "slack:, teams:, matrix: (Tchap included, for example matrix:@alice:agent.tchap.gouv.fr) "
        "or console: (the operating-system account). Nothing was changed.",
    },
    "value_too_long": {
        "fr": "« {field} » est trop long : {length} caractères pour {max} au plus ; "
        "raccourcissez-le. Rien n'a été enregistré.",
        "en": "'{field}' is too long: {length} characters where {max} at most are allowed; "
        "shorten it. Nothing was recorded.",
    },
    "department_name_empty": {
        "fr": "{option} : le nom de la direction est vide ; il est attendu en français (--fr) "
        "et en anglais (--en). Rien n'a été modifié.",
        "en": "{option}: the department's name is empty; it is expected in French (--fr) and in "
        "English (--en). Nothing was changed.",
    },
    "department_name_control": {
        "fr": "{option} : le nom contient un caractère de contrôle invisible ({char}) ; "
        "retapez-le sans. Rien n'a été modifié.",
        "en": "{option}: the name holds an invisible control character ({char}); type it again "
        "without it. Nothing was changed.",
    },
    "department_id_invalid": {
        "fr": "« {id} » n'est pas un identifiant de direction : lettres minuscules, chiffres, _.",
        "en": "'{id}' is not a department id: lowercase letters, digits, _.",
    },
    "admin_refused": {
        "fr": "Désolé, cette commande est réservée aux administrateurs de Boussole. "
        "Votre demande a été notée ; adressez-vous à un administrateur si besoin.",
        "en": "Sorry, this command is for Boussole admins only. Your request was logged; "
        "ask an admin if you need it.",
    },
    "admin_version": {
        "fr": "Grille en service : {flow} version {version} (sha256 {sha}), publiée par {by} "
        "le {at}.",
        "en": "Flow in service: {flow} version {version} (sha256 {sha}), published by {by} "
        "on {at}.",
    },
    "matrix_device_held": {
        "fr": "Matrix : l'appareil {device} de {account} est tenu par un autre processus "
        "({holder}) jusqu'à {until} ; celui-ci ne se synchronise pas avec Matrix, sert tout le "
        "reste et prendra le relais quand ce bail expirera.",
        "en": "Matrix: device {device} of {account} is held by another process ({holder}) "
        "until {until}; this one does not sync with Matrix, serves everything else and will "
        "take over when that lease runs out.",
    },
    "matrix_device_taken": {
        "fr": "Matrix : synchronisation de {account} (appareil {device}) par ce processus.",
        "en": "Matrix: this process syncs {account} (device {device}).",
    },
    "matrix_device_lost": {
        "fr": "Matrix : le bail de l'appareil {device} n'a pas été renouvelé à temps ; ce "
        "processus arrête de se synchroniser et attend de pouvoir le reprendre.",
        "en": "Matrix: the lease of device {device} was not renewed in time; this process "
        "stops syncing and waits until it can take it again.",
    },
    "admin_upload_too_big": {
        "fr": "Fichier refusé : il dépasse 1 Mo. Une grille fait quelques dizaines de Ko.",
        "en": "File refused: it is over 1 MB. A flow file is a few dozen KB.",
    },
    "admin_upload_busy": {
        "fr": "D'autres grilles sont en cours de vérification ; rien n'a été fait. "
        "Réessayez dans une minute.",
        "en": "Other flow files are being checked; nothing was done. Try again in a minute.",
    },
    "admin_upload_failed": {
        "fr": "La vérification de ce fichier a échoué (référence {ref}) : rien n'a été publié. "
        "Signalez-le aux administrateurs avec cette référence.",
        "en": "Checking this file failed (reference {ref}): nothing was published. "
        "Report it to the administrators with this reference.",
    },
    "admin_upload_errors": {
        "fr": "Grille refusée : corrigez ces problèmes puis renvoyez le fichier.",
        "en": "Flow refused: fix these problems, then send the file again.",
    },
    "admin_upload_ok": {
        "fr": "Grille vérifiée : aucune erreur ({questions} questions, {rules} règles). "
        "Relisez le rapport puis confirmez la publication.",
        "en": "Flow checked: no error ({questions} questions, {rules} rules). "
        "Read the report, then confirm the publication.",
    },
    "admin_upload_unknown": {
        "fr": "Ce fichier n'est plus en attente ; renvoyez-le pour le vérifier à nouveau.",
        "en": "This file is no longer waiting; send it again to have it checked.",
    },
    "audit_ok": {
        "fr": "Journal d'audit intact : {count} lignes vérifiées.",
        "en": "Audit log intact: {count} rows checked.",
    },
    "audit_ok_one": {
        "fr": "Journal d'audit intact : {count} ligne vérifiée.",
        "en": "Audit log intact: {count} row checked.",
    },
    "audit_finding": {
        "fr": "chaîne {chain}, ligne {seq} (id {id}) : {problem}",
        "en": "chain {chain}, row {seq} (id {id}): {problem}",
    },
    "audit_edited": {"fr": "contenu modifié", "en": "content altered"},
    "audit_missing_before": {
        "fr": "une ou plusieurs lignes supprimées juste avant",
        "en": "one or more rows deleted just before",
    },
    "audit_broken_link": {
        "fr": "ne suit plus la ligne précédente (remplacée ou modifiée)",
        "en": "no longer follows the previous row (replaced or altered)",
    },
    "audit_out_of_order": {"fr": "ligne déplacée", "en": "row moved out of order"},
    "audit_flow_finding": {"fr": "grille {flow} : {problem}", "en": "flow {flow}: {problem}"},
    "audit_flow_not_published": {
        "fr": "le journal ne contient aucune publication de cette version avec ce texte "
        "(version ajoutée, ou son empreinte changée, dans la base)",
        "en": "the log holds no publication of this version with this text (version added, "
        "or its sha256 changed, in the database)",
    },
    "audit_flow_source_changed": {
        "fr": "son texte ne correspond plus à l'empreinte publiée (modifié dans la base)",
        "en": "its text no longer matches the published sha256 (changed in the database)",
    },
    "audit_flow_document_changed": {
        "fr": "la grille que suivent les analyses n'est plus celle de son texte publié : "
        "elle a été modifiée dans la base, et les résultats recalculés avec elle sont faux",
        "en": "the flow triages run is no longer that of its published text: it was changed "
        "in the database, and results recomputed with it are wrong",
    },
    "audit_flow_unreadable": {"fr": "illisible dans la base", "en": "unreadable in the database"},
    "audit_flows_ok": {
        "fr": "Grilles : {count} versions conformes à leur publication.",
        "en": "Flows: {count} versions as published.",
    },
    "audit_flows_ok_one": {
        "fr": "Grilles : {count} version conforme à sa publication.",
        "en": "Flows: {count} version as published.",
    },
    "audit_failed": {
        "fr": "Journal d'audit altéré : {count} problèmes sur {rows}.",
        "en": "Audit log altered: {count} problems in {rows}.",
    },
    "audit_failed_one": {
        "fr": "Journal d'audit altéré : {count} problème sur {rows}.",
        "en": "Audit log altered: {count} problem in {rows}.",
    },
    "audit_rows": {"fr": "{count} lignes", "en": "{count} rows"},
    "audit_rows_one": {"fr": "{count} ligne", "en": "{count} row"},
    "audit_log_none": {
        "fr": "Seuls les chaînages par analyse ont été vérifiés. Sans point de contrôle signé "
        "gardé hors de la base, quiconque peut écrire dans la base peut supprimer ou réécrire "
        "l'historique sans que cette vérification le voie : voir docs/deploy.md "
        "(BOUSSOLE_AUDIT_KEY_FILE, boussole audit checkpoint).",
        "en": "Only the per-triage chains were checked. Without a signed checkpoint kept "
        "outside the database, anyone who can write to the database can delete or rewrite "
        "history without this check noticing: see docs/deploy.md (BOUSSOLE_AUDIT_KEY_FILE, "
        "boussole audit checkpoint).",
    },
    "audit_log_from_database": {
        "fr": "Points de contrôle lus dans la base elle-même : qui peut y écrire a pu en "
        "supprimer. Vérifiez avec votre propre copie : --checkpoint FICHIER.",
        "en": "Checkpoints read from the database itself: whoever can write to it could have "
        "deleted some. Verify against your own copy: --checkpoint FILE.",
    },
    "audit_log_ok": {
        "fr": "Points de contrôle signés : {count} vérifiés ; le dernier couvre {covered} ({at}).",
        "en": "Signed checkpoints: {count} checked; the latest covers {covered} ({at}).",
    },
    "audit_log_ok_one": {
        "fr": "Points de contrôle signés : {count} vérifié ; le dernier couvre {covered} ({at}).",
        "en": "Signed checkpoints: {count} checked; the latest covers {covered} ({at}).",
    },
    "audit_log_unprotected": {
        "fr": "{count} lignes écrites depuis le dernier point de contrôle ne sont pas "
        "encore couvertes.",
        "en": "{count} rows written since the latest checkpoint are not covered yet.",
    },
    "audit_log_unprotected_one": {
        "fr": "{count} ligne écrite depuis le dernier point de contrôle n'est pas encore couverte.",
        "en": "{count} row written since the latest checkpoint is not covered yet.",
    },
    "audit_log_rows_missing": {
        "fr": "{source} ({at}, {size}) : {count} lignes manquantes aux positions "
        "{positions} du journal : supprimées ou tronquées.",
        "en": "{source} ({at}, {size}): {count} rows missing at log positions "
        "{positions}: deleted or truncated.",
    },
    "audit_log_rows_missing_one": {
        "fr": "{source} ({at}, {size}) : {count} ligne manquante à la position "
        "{positions} du journal : supprimée ou tronquée.",
        "en": "{source} ({at}, {size}): {count} row missing at log position "
        "{positions}: deleted or truncated.",
    },
    "audit_log_duplicated": {
        "fr": "{source} ({at}, {size}) : plusieurs lignes occupent les positions "
        "{positions} du journal.",
        "en": "{source} ({at}, {size}): several rows hold log positions {positions}.",
    },
    "audit_log_root_mismatch": {
        "fr": "{source} ({at}, {size}) : les lignes ne donnent plus la racine signée : "
        "une ligne entre les positions {first} et {last} a été modifiée, remplacée ou "
        "déplacée.",
        "en": "{source} ({at}, {size}): the rows no longer hash to the signed root: a row "
        "between log positions {first} and {last} was altered, replaced or moved.",
    },
    "audit_log_later_mismatch": {
        "fr": "{count} points de contrôle plus récents ne correspondent pas non plus.",
        "en": "{count} later checkpoints do not match either.",
    },
    "audit_log_later_mismatch_one": {
        "fr": "{count} point de contrôle plus récent ne correspond pas non plus.",
        "en": "{count} later checkpoint does not match either.",
    },
    "audit_log_bad_signature": {
        "fr": "{source} : signature invalide pour la clé {key_id} : point de contrôle forgé "
        "ou modifié.",
        "en": "{source}: invalid signature for key {key_id}: forged or altered checkpoint.",
    },
    "audit_log_unknown_key": {
        "fr": "{source} : signé par la clé {key_id}, qui n'est pas parmi les clés données "
        "({known}).",
        "en": "{source}: signed by key {key_id}, which is not among the keys given ({known}).",
    },
    "audit_log_other_log": {
        "fr": "{source} : point de contrôle d'un autre journal ({origin} ; cette base : {ours}).",
        "en": "{source}: checkpoint of another log ({origin}; this database: {ours}).",
    },
    "audit_log_origin_missing": {
        "fr": "La base a perdu le nom de son journal (meta audit_log_origin) : supprimé ?",
        "en": "The database lost its log name (meta audit_log_origin): deleted?",
    },
    "audit_key_missing": {
        "fr": "Fichier de clé introuvable : {path}. Créez une clé avec « boussole audit keygen "
        "FICHIER ».",
        "en": "Key file not found: {path}. Create a key with `boussole audit keygen FILE`.",
    },
    "audit_key_unreadable": {
        "fr": "Fichier de clé illisible : {path} ({detail}).",
        "en": "Key file cannot be read: {path} ({detail}).",
    },
    "audit_key_invalid": {
        "fr": "{path} n'est pas une clé Ed25519 au format PEM ({detail}).",
        "en": "{path} is not an Ed25519 key in PEM format ({detail}).",
    },
    "audit_key_exists": {
        "fr": "{path} existe déjà : keygen n'écrase jamais une clé (les points de contrôle "
        "qu'elle a signés ne pourraient plus être vérifiés). Choisissez un autre nom.",
        "en": "{path} already exists: keygen never overwrites a key (the checkpoints it signed "
        "could no longer be checked). Choose another name.",
    },
    "audit_keygen_done": {
        "fr": "Clé privée : {private} (mode 0600 ; gardez-la hors de la base et de ses "
        "sauvegardes). Clé publique : {public} (à remettre aux auditeurs).",
        "en": "Private key: {private} (mode 0600; keep it out of the database and its "
        "backups). Public key: {public} (give it to auditors).",
    },
    "audit_no_public_key": {
        "fr": "Vérifier un point de contrôle demande la clé publique : --public-key FICHIER, "
        "ou BOUSSOLE_AUDIT_KEY_FILE.",
        "en": "Checking a checkpoint needs the public key: --public-key FILE, or "
        "BOUSSOLE_AUDIT_KEY_FILE.",
    },
    "audit_checkpoint_file_missing": {
        "fr": "Fichier de points de contrôle introuvable : {path}.",
        "en": "Checkpoint file not found: {path}.",
    },
    "audit_checkpoint_file_unreadable": {
        "fr": "Fichier de points de contrôle illisible : {path} ({detail}).",
        "en": "Checkpoint file cannot be read: {path} ({detail}).",
    },
    "audit_checkpoint_file_invalid": {
        "fr": "{path}, ligne {line} : pas un point de contrôle ({detail}). Chaque ligne doit "
        "être un point de contrôle écrit par boussole audit checkpoint, ou une ligne de "
        "journal qui en porte un.",
        "en": "{path}, line {line}: not a checkpoint ({detail}). Each line must be a checkpoint "
        "written by boussole audit checkpoint, or a log line that carries one.",
    },
    "audit_checkpoint_needs_key": {
        "fr": "Signer un point de contrôle demande une clé : réglez BOUSSOLE_AUDIT_KEY_FILE "
        "(créez-la avec « boussole audit keygen FICHIER »).",
        "en": "Signing a checkpoint needs a key: set BOUSSOLE_AUDIT_KEY_FILE (create it with "
        "`boussole audit keygen FILE`).",
    },
    "audit_checkpoint_done": {
        "fr": "Point de contrôle signé : {size}, ajouté à {file}.",
        "en": "Checkpoint signed: {size}, appended to {file}.",
    },
    "audit_checkpoint_keep": {
        "fr": "Point de contrôle signé : {size}. Gardez cette ligne hors de la base "
        "(BOUSSOLE_AUDIT_CHECKPOINT_FILE ajoute chaque point de contrôle à un fichier).",
        "en": "Checkpoint signed: {size}. Keep this line outside the database "
        "(BOUSSOLE_AUDIT_CHECKPOINT_FILE appends every checkpoint to a file).",
    },
    "audit_checkpoint_unreadable": {
        "fr": "Point de contrôle non signé : la ligne {id} du journal (position {position}) "
        "contient ce que Boussole n'écrit jamais ; elle a été modifiée en dehors de Boussole. "
        "Lancez boussole audit verify.",
        "en": "Checkpoint not signed: audit log row {id} (position {position}) holds what "
        "Boussole never writes; it was changed outside Boussole. Run boussole audit verify.",
    },
    "audit_checkpoint_gap": {
        "fr": "Point de contrôle non signé : les positions du journal ne se suivent plus "
        "({count} lignes entre les positions {bottom} et {top}) : des lignes ont été "
        "supprimées ou déplacées. Lancez boussole audit verify.",
        "en": "Checkpoint not signed: log positions no longer follow each other ({count} rows "
        "between positions {bottom} and {top}): rows were deleted or moved. Run boussole audit "
        "verify.",
    },
    "audit_checkpoint_gap_one": {
        "fr": "Point de contrôle non signé : les positions du journal ne se suivent plus "
        "({count} ligne entre les positions {bottom} et {top}) : des lignes ont été "
        "supprimées ou déplacées. Lancez boussole audit verify.",
        "en": "Checkpoint not signed: log positions no longer follow each other ({count} row "
        "between positions {bottom} and {top}): rows were deleted or moved. Run boussole audit "
        "verify.",
    },
    "audit_checkpoint_shrunk": {
        "fr": "Point de contrôle non signé : le journal a {size} mais {source} en "
        "couvre déjà {covered} : des lignes ont été supprimées. Lancez boussole audit verify.",
        "en": "Checkpoint not signed: the log has {size} but {source} already covers "
        "{covered}: rows were deleted. Run boussole audit verify.",
    },
    "audit_checkpoint_diverged": {
        "fr": "Point de contrôle non signé : les {covered} premières lignes ne correspondent "
        "plus à {source} : des lignes ont été modifiées. Lancez boussole audit verify.",
        "en": "Checkpoint not signed: the first {covered} rows no longer match {source}: rows "
        "were altered. Run boussole audit verify.",
    },
    "privacy_erased": {
        "fr": "{member} effacé : {count} analyses ne sont plus reliées à cette personne ; "
        "les réponses et le journal d'audit restent, sous pseudonyme.",
        "en": "{member} erased: {count} triages are no longer linked to this person; "
        "answers and the audit log stay, under a pseudonym.",
    },
    "privacy_erased_one": {
        "fr": "{member} effacé : {count} analyse n'est plus reliée à cette personne ; "
        "les réponses et le journal d'audit restent, sous pseudonyme.",
        "en": "{member} erased: {count} triage is no longer linked to this person; "
        "answers and the audit log stay, under a pseudonym.",
    },
    "privacy_unknown": {
        "fr": "Aucune donnée pour {member}.",
        "en": "No data for {member}.",
    },
    # Reviews
    "outcome_light_track": {"fr": "parcours allégé", "en": "light track"},
    "outcome_full_review": {"fr": "examen approfondi", "en": "full review"},
    "outcome_incompatible": {"fr": "incompatible avec la doctrine", "en": "incompatible"},
    "review_none": {
        "fr": "L'analyse {id} n'attend pas de décision.",
        "en": "Triage {id} is not waiting for a decision.",
    },
    "request_unreadable": {
        "fr": "Cette demande contient des caractères invalides ; elle n'a pas été prise en "
        "compte. Réessayez depuis le message du bot.",
        "en": "This request holds invalid characters; it was not taken into account. Try again "
        "from the bot's message.",
    },
    "review_own_triage": {
        "fr": "Vous êtes l'auteur de cette analyse : un autre responsable doit l'examiner ; "
        "votre demande a été notée.",
        "en": "You wrote this triage: another reviewer must review it; your request was logged.",
    },
    "review_not_reviewer": {
        "fr": "Désolé, vous n'êtes pas responsable de la direction de ce projet ; "
        "votre demande a été notée.",
        "en": "Sorry, you are not a reviewer of this project's department; "
        "your request was logged.",
    },
    "review_already_decided": {
        "fr": "La décision est déjà prise (orientation : {outcome}) ; rien n'a changé.",
        "en": "The decision is already made (orientation: {outcome}); nothing changed.",
    },
    "review_unknown_action": {
        "fr": "Action inconnue : {action}.",
        "en": "Unknown action: {action}.",
    },
    "review_yours": {
        "fr": "Vous avez déjà pris en charge ce projet.",
        "en": "You have already taken this project.",
    },
    "review_claimed_by_other": {
        "fr": "Un autre responsable a déjà pris en charge ce projet.",
        "en": "Another reviewer has already taken this project.",
    },
    "review_claimed": {
        "fr": "Vous prenez en charge « {project} ».",
        "en": "You are taking '{project}'.",
    },
    "review_confirmed": {
        "fr": "Orientation confirmée pour « {project} » : {outcome}. L'agent est prévenu.",
        "en": "Orientation confirmed for '{project}': {outcome}. The agent is told.",
    },
    "review_overridden": {
        "fr": "Orientation requalifiée pour « {project} » : {outcome}. L'agent est prévenu.",
        "en": "Orientation changed for '{project}': {outcome}. The agent is told.",
    },
    "review_second_needed": {
        "fr": "Lever une incompatibilité demande un second responsable : "
        "un autre responsable doit confirmer.",
        "en": "Lifting an incompatibility takes a second reviewer: another reviewer must confirm.",
    },
    "review_override_pending": {
        "fr": "Requalification enregistrée ; elle attend la confirmation d'un second responsable.",
        "en": "Override recorded; it waits for a second reviewer's confirmation.",
    },
    "review_outcome_invalid": {
        "fr": "Choisissez une autre orientation parmi : {outcomes}.",
        "en": "Choose another orientation among: {outcomes}.",
    },
    "review_comment_required": {
        "fr": "Un commentaire est obligatoire pour requalifier (au plus {max} caractères).",
        "en": "A comment is required to override (at most {max} characters).",
    },
    "review_question_required": {
        "fr": "Écrivez le texte (au plus {max} caractères).",
        "en": "Write the text (at most {max} characters).",
    },
    "review_question_sent": {
        "fr": "Question envoyée à l'agent ; sa réponse vous parviendra ici.",
        "en": "Question sent to the agent; their answer will reach you here.",
    },
    "agent_review_claimed": {
        "fr": "Un responsable examine votre projet « {project} ».",
        "en": "A reviewer is examining your project '{project}'.",
    },
    "agent_review_confirmed": {
        "fr": "Votre projet « {project} » : un responsable confirme l'orientation ({outcome}). "
        "{comment}",
        "en": "Your project '{project}': a reviewer confirms the orientation ({outcome}). "
        "{comment}",
    },
    "agent_review_overridden": {
        "fr": "Votre projet « {project} » : un responsable requalifie l'orientation en "
        "{outcome}. Motif : {comment}",
        "en": "Your project '{project}': a reviewer changes the orientation to {outcome}. "
        "Reason: {comment}",
    },
    "agent_review_question": {
        "fr": "Un responsable demande des précisions sur « {project} » (analyse {id}) : {question}",
        "en": "A reviewer asks for details about '{project}' (triage {id}): {question}",
    },
    "reviewer_agent_answer": {
        "fr": "Réponse de l'agent sur « {project} » (analyse {id}) : {answer}",
        "en": "The agent's answer about '{project}' (triage {id}): {answer}",
    },
    "agent_reply_unexpected": {
        "fr": "Aucune question n'attend de réponse sur cette analyse.",
        "en": "No question is waiting for an answer on this triage.",
    },
    "agent_reply_sent": {
        "fr": "Réponse transmise au responsable.",
        "en": "Answer sent to the reviewer.",
    },
    "retriage_not_finished": {
        "fr": "L'analyse {id} n'est pas terminée : reprenez-la plutôt.",
        "en": "Triage {id} is not finished: resume it instead.",
    },
    "retriage_nothing": {
        "fr": "Aucune réponse à changer.",
        "en": "No answer to change.",
    },
    "retriage_started": {
        "fr": "Nouvelle analyse {id} (grille {flow}, version {version}) : elle refait {previous}, "
        "qui reste consultable telle quelle.",
        "en": "New triage {id} ({flow} grid, version {version}): it re-does {previous}, which "
        "stays viewable as it was.",
    },
    "retriage_more": {
        "fr": "Vos changements ouvrent {count} nouvelles questions.",
        "en": "Your changes open {count} new questions.",
    },
    "retriage_more_one": {
        "fr": "Vos changements ouvrent {count} nouvelle question.",
        "en": "Your changes open {count} new question.",
    },
    "retriage_reask": {
        "fr": "Je vous repose les {count} questions choisies ; vos autres réponses sont gardées.",
        "en": "I will ask the {count} questions you chose again; your other answers are kept.",
    },
    "retriage_reask_one": {
        "fr": "Je vous repose la question choisie ; vos autres réponses sont gardées.",
        "en": "I will ask the question you chose again; your other answers are kept.",
    },
    "retriage_action": {"fr": "Refaire l'analyse", "en": "Re-triage"},
    "retriage_pick_help": {
        "fr": "Cochez les réponses à changer : ces questions vous seront reposées, avec votre "
        "réponse précédente. Les autres réponses sont gardées ; les questions que vos "
        "changements ouvrent vous seront posées aussi. L'analyse {id} reste consultable telle "
        "quelle.",
        "en": "Tick the answers to change: those questions will be asked again, with your "
        "previous answer. The other answers are kept; the questions your changes open will be "
        "asked too. Triage {id} stays viewable as it is.",
    },
    "retriage_not_owner": {
        "fr": "Seule la personne qui a fait l'analyse {id} peut la refaire.",
        "en": "Only the person who did triage {id} can re-do it.",
    },
    "retriage_answers_action": {
        "fr": "Vos réponses · refaire l'analyse",
        "en": "Your answers · re-triage",
    },
    "retriage_pick_submit": {"fr": "Reposer ces questions", "en": "Ask these again"},
    "retriage_pick_none": {
        "fr": "Cochez au moins une réponse à changer.",
        "en": "Tick at least one answer to change.",
    },
    "retriage_changed": {
        "fr": "Nouvelle analyse de « {project} » ({id}) : l'orientation passe de {before} à "
        "{after}.",
        "en": "Re-triage of '{project}' ({id}): the orientation changes from {before} to {after}.",
    },
    "changes_title": {"fr": "Changements", "en": "Changes"},
    "changes_line": {
        "fr": "Orientation précédente : {before} ; règles gagnées : {gained} ; "
        "règles perdues : {lost}",
        "en": "Previous orientation: {before}; rules gained: {gained}; rules lost: {lost}",
    },
    "report_project": {"fr": "Projet", "en": "Project"},
    "report_department": {"fr": "Direction", "en": "Department"},
    "report_date": {"fr": "Date de l'analyse", "en": "Triage date"},
    "report_triage": {"fr": "Analyse", "en": "Triage"},
    "report_revises": {"fr": "Refait l'analyse", "en": "Re-does triage"},
    "report_revised_by": {"fr": "Refaite par", "en": "Re-done by"},
    "report_flow_version": {"fr": "Version de la grille", "en": "Grid version"},
    "report_decision": {"fr": "Décision humaine", "en": "Human decision"},
    "report_decision_confirmed": {
        "fr": "orientation confirmée : {outcome} (le {date})",
        "en": "orientation confirmed: {outcome} (on {date})",
    },
    "report_decision_overridden": {
        "fr": "orientation modifiée : {outcome} (le {date})",
        "en": "orientation changed: {outcome} (on {date})",
    },
    "report_page": {"fr": "Page {page} sur {pages}", "en": "Page {page} of {pages}"},
    "stats_outcomes_title": {"fr": "Orientations", "en": "Orientations"},
    "stats_rules_title": {"fr": "Règles déclenchées", "en": "Rules fired"},
    "stats_rules_top": {
        "fr": "Les {shown} règles les plus déclenchées sur {total}",
        "en": "Top {shown} of {total} rules fired",
    },
    "stats_projects": {"fr": "Analyses", "en": "Triages"},
    "review_reminder": {
        "fr": "Rappel : « {project} » (analyse {id}) attend un responsable depuis {count} jours.",
        "en": "Reminder: '{project}' (triage {id}) has waited {count} days for a reviewer.",
    },
    "review_reminder_one": {
        "fr": "Rappel : « {project} » (analyse {id}) attend un responsable depuis {count} jour.",
        "en": "Reminder: '{project}' (triage {id}) has waited {count} day for a reviewer.",
    },
    "weekly_digest": {
        "fr": "Parcours allégés de la semaine passée ({count}) :\n{listing}",
        "en": "Last week's light-track triages ({count}):\n{listing}",
    },
    "retriage_reminder": {
        "fr": "Votre projet « {project} » (analyse {id}) a été analysé il y a un an : "
        "la doctrine demande une nouvelle analyse.",
        "en": "Your project '{project}' (triage {id}) was triaged a year ago: the doctrine "
        "asks for a new triage.",
    },
    "department": {"fr": "Direction", "en": "Department"},
    "duration": {
        "fr": "{days} j {hours} h {minutes} min",
        "en": "{days} d {hours} h {minutes} min",
    },
    "stats_none": {
        "fr": "Aucune analyse terminée pour l'instant : les statistiques portent sur les "
        "analyses terminées.",
        "en": "No finished triage yet: the statistics cover finished triages.",
    },
    "stats_none_since": {
        "fr": "Aucune analyse terminée depuis le {date}.",
        "en": "No triage finished since {date}.",
    },
    "outbox_empty": {
        "fr": "Aucune notification dans l'outbox : rien n'attend d'être envoyé.",
        "en": "The outbox holds no notification: nothing is waiting to be sent.",
    },
    "stats_medians": {
        "fr": "Durée médiane d'une analyse : {complete} ; jusqu'à la décision humaine : {review}",
        "en": "Median time to complete a triage: {complete}; to the human decision: {review}",
    },
    "stats_no_matplotlib": {
        "fr": "Le graphique demande matplotlib : pip install 'boussole-ia[stats]'.",
        "en": "The chart needs matplotlib: pip install 'boussole-ia[stats]'.",
    },
    # Settings and start-up
    "setting_or": {"fr": " ou ", "en": " or "},
    "setting_literal_error": {"fr": "attendu {expected}", "en": "expected {expected}"},
    "setting_int_parsing": {
        "fr": "un nombre entier est attendu",
        "en": "a whole number is expected",
    },
    "setting_bool_parsing": {
        "fr": "attendu true ou false (ou 1, 0, yes, no)",
        "en": "expected true or false (or 1, 0, yes, no)",
    },
    "setting_greater_than_equal": {"fr": "au moins {ge}", "en": "at least {ge}"},
    "setting_less_than_equal": {"fr": "au plus {le}", "en": "at most {le}"},
    "setting_missing": {"fr": "réglage manquant", "en": "missing"},
    "setting_slack_bot_token": {
        "fr": "un jeton de bot commence par xoxb- (page OAuth & Permissions)",
        "en": "a bot token starts with xoxb- (OAuth & Permissions page)",
    },
    "setting_slack_app_token": {
        "fr": "un jeton d'application commence par xapp- (page Basic Information)",
        "en": "an app-level token starts with xapp- (Basic Information page)",
    },
    "setting_slack_api_url": {
        "fr": "une URL en http:// ou https:// est attendue, par exemple {example}",
        "en": "expected an http:// or https:// URL, such as {example}",
    },
    "setting_slack_command": {
        "fr": "une commande slash est attendue, par exemple /boussole",
        "en": "expected a slash command such as /boussole",
    },
    "setting_teams_service_urls": {
        "fr": "« {item} » n'est pas une origine : des adresses de la forme https://hôte[:port], "
        "séparées par des virgules, sont attendues",
        "en": "'{item}' is not an origin: addresses such as https://host[:port], separated by "
        "commas, are expected",
    },
    "setting_admins": {
        "fr": "« {member} » n'est pas un membre plateforme:identifiant sur slack, teams, matrix "
        "ou console (par exemple slack:U012ABC) ; séparez-les par des virgules",
        "en": "'{member}' is not a platform:user_id member on slack, teams, matrix or console "
        "(for example slack:U012ABC); separate them with commas",
    },
    "setting_matrix_homeserver": {
        "fr": "l'adresse du serveur Matrix est attendue, par exemple {example}",
        "en": "the Matrix homeserver's address is expected, such as {example}",
    },
    "setting_matrix_user_id": {
        "fr": "un identifiant Matrix complet est attendu, par exemple {example}",
        "en": "a full Matrix user id is expected, such as {example}",
    },
    "setting_matrix_servers": {
        "fr": "des noms de serveurs séparés par des virgules sont attendus, par exemple {example}",
        "en": "server names separated by commas are expected, such as {example}",
    },
    "setting_matrix_unreachable": {
        "fr": "{homeserver} ne répond pas ({detail}) ; Matrix n'a pas démarré",
        "en": "{homeserver} does not answer ({detail}); Matrix did not start",
    },
    "setting_matrix_refused": {
        "fr": "le serveur Matrix l'a refusé ({detail}) ; Matrix n'a pas démarré",
        "en": "the Matrix homeserver refused it ({detail}); Matrix did not start",
    },
    "setting_matrix_device": {
        "fr": "la base garde les clés de l'appareil {stored}, pas de {device} : donnez le "
        "jeton de cet appareil, ou une base neuve",
        "en": "the database keeps the keys of device {stored}, not of {device}: give that "
        "device's token, or a new database",
    },
    "setting_teams_auth_off": {
        "fr": "off ne sert qu'au développement local : ajoutez {env}={development} sur une "
        "machine de développement, ou retirez ce réglage et définissez {app_id}",
        "en": "off is for local development only: set {env}={development} as well on a "
        "development machine, or remove it and set {app_id}",
    },
    "help_usage": {"fr": "Usage : ", "en": "Usage: "},
    "help_heading": {"fr": "{heading} :", "en": "{heading}:"},
    "help_options": {"fr": "Options", "en": "Options"},
    "help_commands": {"fr": "Commandes", "en": "Commands"},
    "help_help": {"fr": "Afficher cette aide et quitter.", "en": "Show this message and exit."},
    "help_version": {"fr": "Afficher la version et quitter.", "en": "Show the version and exit."},
    "help_required": {"fr": "obligatoire", "en": "required"},
    "help_default": {"fr": "par défaut : {value}", "en": "default: {value}"},
    "click_error": {"fr": "Erreur : {message}", "en": "Error: {message}"},
    "click_try_help": {
        "fr": "Essayez « {command} {option} » pour l'aide.",
        "en": "Try '{command} {option}' for help.",
    },
    "click_no_such_option": {
        "fr": "l'option {name} n'existe pas.{rest}",
        "en": "No such option '{name}'.{rest}",
    },
    "click_no_such_command": {
        "fr": "la commande {name} n'existe pas.",
        "en": "No such command '{name}'.",
    },
    "click_missing_argument": {
        "fr": "il manque l'argument {name}.",
        "en": "Missing argument '{name}'.",
    },
    "click_missing_option": {"fr": "il manque l'option {name}.", "en": "Missing option '{name}'."},
    "click_needs_value": {
        "fr": "l'option {name} demande une valeur.",
        "en": "Option '{name}' requires an argument.",
    },
    "click_extra_arguments": {
        "fr": "ceci n'était pas attendu : {args}",
        "en": "Got unexpected extra arguments ({args})",
    },
    "click_invalid_value": {
        "fr": "valeur invalide pour {name} : {detail}",
        "en": "Invalid value for '{name}': {detail}",
    },
    "click_not_a_choice": {
        "fr": "« {value} » n'est pas l'un des choix possibles : {choices}.",
        "en": "'{value}' is not one of {choices}.",
    },
    "click_not_an_integer": {
        "fr": "« {value} » n'est pas un nombre entier.",
        "en": "'{value}' is not a valid integer.",
    },
    "click_format": {
        "fr": "« {value} » ne suit pas le format {formats}.",
        "en": "'{value}' does not match the format {formats}.",
    },
    "click_no_path": {"fr": "« {path} » n'existe pas.", "en": "'{path}' does not exist."},
    "setting_invalid": {
        "fr": "Réglage {name} invalide : {detail}. Corrigez la variable d'environnement.",
        "en": "Invalid setting {name}: {detail}. Fix the environment variable.",
    },
    "database_unavailable": {
        "fr": "Base de données inaccessible ({url}) : {detail}. Vérifiez {setting}.",
        "en": "Database unreachable ({url}): {detail}. Check {setting}.",
    },
    "database_in_data_dir": {
        "fr": "BOUSSOLE_DATA_DIR, le dossier où elle est créée (ou donnez une base avec "
        "BOUSSOLE_DATABASE_URL)",
        "en": "BOUSSOLE_DATA_DIR, the folder it is made in (or give a database with "
        "BOUSSOLE_DATABASE_URL)",
    },
    "directory_invalid": {
        "fr": "Annuaire des directions invalide, {problems}. Corrigez le fichier nommé par "
        "BOUSSOLE_DIRECTORY_FILE.",
        "en": "Invalid directory of departments, {problems}. Fix the file named by "
        "BOUSSOLE_DIRECTORY_FILE.",
    },
    # The public algorithm register (bot.register, bot.register_site, boussole register)
    "register_not_allowed": {
        "fr": "Seuls les responsables de la direction de l'analyse {id} et les administrateurs "
        "peuvent la publier au registre ou l'en retirer.",
        "en": "Only the reviewers of triage {id}'s department and the admins may publish it in "
        "the register or withdraw it.",
    },
    "register_not_finished": {
        "fr": "L'analyse {id} n'est pas terminée : seule une analyse terminée se publie.",
        "en": "Triage {id} is not finished: only a finished triage can be published.",
    },
    "register_not_reviewed": {
        "fr": "L'analyse {id} attend une décision humaine qui n'a pas été prise ; elle se "
        "publiera une fois l'orientation confirmée ou modifiée par un responsable.",
        "en": "Triage {id} needs a human decision that was not taken; it can be published once "
        "a reviewer has confirmed or changed its orientation.",
    },
    "register_not_decided": {
        "fr": "L'examen de l'analyse {id} n'est pas terminé : publiez-la une fois la décision "
        "prise.",
        "en": "The review of triage {id} is not over: publish it once the decision is taken.",
    },
    "register_redone": {
        "fr": "L'analyse {id} a été refaite par l'analyse {later} : publiez plutôt celle-ci, "
        "qui décrit le projet aujourd'hui.",
        "en": "Triage {id} was re-done by triage {later}: publish that one, which describes the "
        "project today.",
    },
    "register_not_published": {
        "fr": "L'analyse {id} n'est pas publiée au registre.",
        "en": "Triage {id} is not published in the register.",
    },
    "register_details_invalid": {
        "fr": "Le fichier de détails contient des erreurs ; rien n'a été publié.",
        "en": "The details file has errors; nothing was published.",
    },
    "register_published_ok": {
        "fr": "Analyse {id} publiée au registre (fiche {entry}).",
        "en": "Triage {id} published in the register (entry {entry}).",
    },
    "register_replaced_ok": {
        "fr": "Analyse {id} publiée au registre ; elle remplace la publication précédente de "
        "la fiche {entry}, gardée dans l'historique.",
        "en": "Triage {id} published in the register; it replaces the previous publication of "
        "entry {entry}, kept in the history.",
    },
    "register_withdrawn_ok": {
        "fr": "Analyse {id} retirée du registre ; la fiche {entry} reste dans l'historique.",
        "en": "Triage {id} withdrawn from the register; entry {entry} stays in the history.",
    },
    "register_list_title": {"fr": "Registre des algorithmes", "en": "Algorithm register"},
    "register_list_empty": {
        "fr": "Aucun algorithme n'est publié au registre.",
        "en": "No algorithm is published in the register.",
    },
    "column_entry": {"fr": "Fiche", "en": "Entry"},
    "column_triage": {"fr": "Analyse", "en": "Triage"},
    "column_published_on": {"fr": "Publiée le", "en": "Published on"},
    "register_site_written": {
        "fr": "Site du registre écrit dans {folder} : {files} fichiers, {count} algorithmes "
        "publiés.",
        "en": "Register site written to {folder}: {files} files, {count} published algorithms.",
    },
    "register_site_written_one": {
        "fr": "Site du registre écrit dans {folder} : {files} fichiers, {count} algorithme publié.",
        "en": "Register site written to {folder}: {files} files, {count} published algorithm.",
    },
    "register_base_url": {
        "fr": "l'adresse du site doit commencer par https:// ou http://",
        "en": "the site's address must start with https:// or http://",
    },
    "file_unwritable": {
        "fr": "impossible d'écrire le fichier ({reason})",
        "en": "cannot write the file ({reason})",
    },
    "register_site_unwritable": {
        "fr": "impossible d'écrire le site ici ({reason})",
        "en": "cannot write the site here ({reason})",
    },
    "register_site_title": {
        "fr": "Registre des algorithmes publics",
        "en": "Public algorithm register",
    },
    "register_language_name": {"fr": "Français", "en": "English"},
    "register_language_nav": {"fr": "Langue", "en": "Language"},
    "register_footer_nav": {"fr": "Le registre", "en": "The register"},
    "register_skip": {"fr": "Aller au contenu", "en": "Skip to content"},
    "register_generated": {
        "fr": "Page produite par Boussole le {date}.",
        "en": "Page produced by Boussole on {date}.",
    },
    "register_intro": {
        "fr": "Ce registre présente les projets d'algorithmes et d'intelligence artificielle de "
        "la collectivité, l'analyse de chacun selon la doctrine IA de Nantes Métropole et la "
        "décision humaine qui l'a suivie, comme le demande l'article L312-1-3 du code des "
        "relations entre le public et l'administration.",
        "en": "This register presents the local authority's algorithm and artificial "
        "intelligence projects, how each was assessed under the Nantes Métropole AI doctrine "
        "and the human decision that followed, as article L312-1-3 of the French code of "
        "relations between the public and the administration requires.",
    },
    "register_all": {"fr": "Tous les algorithmes publiés", "en": "Every published algorithm"},
    "register_empty": {
        "fr": "Aucun algorithme n'est publié pour l'instant.",
        "en": "No algorithm is published yet.",
    },
    "register_filters": {"fr": "Filtrer le registre", "en": "Filter the register"},
    "register_by_department": {"fr": "Par direction :", "en": "By department:"},
    "register_by_status": {"fr": "Par statut :", "en": "By status:"},
    "register_department_title": {
        "fr": "Direction : {department}",
        "en": "Department: {department}",
    },
    "register_status_title": {"fr": "Statut : {status}", "en": "Status: {status}"},
    "register_department": {"fr": "Direction", "en": "Department"},
    "register_purpose": {"fr": "Finalité", "en": "Purpose"},
    "register_status": {"fr": "Statut", "en": "Status"},
    "register_status_in_development": {"fr": "en développement", "en": "in development"},
    "register_status_in_use": {"fr": "en service", "en": "in use"},
    "register_status_retired": {"fr": "retiré du service", "en": "retired"},
    "register_status_since": {"fr": "{status} depuis le {date}", "en": "{status} since {date}"},
    "register_status_until": {"fr": "{status} le {date}", "en": "{status} on {date}"},
    "register_last_triage": {"fr": "Dernière analyse", "en": "Last triage"},
    "register_organization": {"fr": "Organisme responsable", "en": "Responsible body"},
    "register_area": {"fr": "Territoire", "en": "Area"},
    "register_contact": {"fr": "Contact", "en": "Contact"},
    "register_contact_text": {
        "fr": "Pour toute question sur cet algorithme, écrivez au service responsable :",
        "en": "For any question about this algorithm, write to the department in charge:",
    },
    "register_what": {"fr": "Ce que fait l'algorithme", "en": "What the algorithm does"},
    "register_for_whom": {"fr": "Pour qui", "en": "For whom"},
    "register_oversight": {
        "fr": "Contrôle humain (règle de la charte de 2019)",
        "en": "Human oversight (the 2019 charter rule)",
    },
    "register_crpa_title": {
        "fr": "Décisions individuelles : vos droits",
        "en": "Individual decisions: your rights",
    },
    "register_crpa": {
        "fr": "Ce projet contribue à des décisions individuelles. Selon les articles L311-3-1 et "
        "L312-1-3 du code des relations entre le public et l'administration, toute décision "
        "prise sur le fondement d'un traitement algorithmique le mentionne, et vous pouvez "
        "obtenir les règles de ce traitement et ses principales caractéristiques telles "
        "qu'appliquées à votre situation : demandez-les à {contact}. Sans réponse sous un "
        "mois, vous pouvez saisir la Commission d'accès aux documents administratifs (CADA).",
        "en": "This project contributes to individual decisions. Under articles L311-3-1 and "
        "L312-1-3 of the French code of relations between the public and the administration, "
        "every decision taken on the basis of algorithmic processing says so, and you may "
        "obtain the rules of that processing and its main characteristics as applied to your "
        "situation: ask {contact}. Without an answer within a month, you may refer the matter "
        "to the Commission for access to administrative documents (CADA).",
    },
    "register_criteria": {
        "fr": "Les sept critères de la doctrine",
        "en": "The seven criteria of the doctrine",
    },
    "register_criteria_intro": {
        "fr": "Pour chaque critère : les points relevés par la grille de Boussole, puis les "
        "réponses données lors de l'analyse. Les réponses rédigées librement ne sont pas "
        "publiées.",
        "en": "For each criterion: the points the Boussole grid raised, then the answers given "
        "in the triage. Answers written as free text are not published.",
    },
    "register_rules_link": {
        "fr": "Comment la grille décide : les règles de Boussole",
        "en": "How the grid decides: Boussole's rules",
    },
    "register_findings": {"fr": "Points relevés :", "en": "Points raised:"},
    "register_no_finding": {
        "fr": "Aucun point relevé pour ce critère.",
        "en": "No point raised for this criterion.",
    },
    "register_conditions": {"fr": "Conditions à respecter", "en": "Conditions to meet"},
    "register_decision": {"fr": "Décision humaine", "en": "Human decision"},
    "register_proposed": {
        "fr": "Orientation proposée par la grille : {outcome}.",
        "en": "Orientation the grid suggested: {outcome}.",
    },
    "register_no_review": {
        "fr": "Orientation {outcome} : la grille ne demande pas d'examen par un responsable ; "
        "l'orientation est confirmée par la hiérarchie du projet.",
        "en": "Orientation {outcome}: the grid asks for no review by a reviewer; the "
        "orientation is confirmed by the project's line management.",
    },
    "register_decision_confirmed": {
        "fr": "Un responsable de la direction a confirmé l'orientation {outcome} le {date}.",
        "en": "A reviewer of the department confirmed the orientation {outcome} on {date}.",
    },
    "register_decision_overridden": {
        "fr": "Un responsable de la direction a remplacé l'orientation {proposed} par {outcome} "
        "le {date}, avec un motif écrit.",
        "en": "A reviewer of the department replaced the orientation {proposed} with {outcome} "
        "on {date}, giving written reasons.",
    },
    "register_history": {"fr": "Historique des analyses", "en": "History of the triages"},
    "register_history_row": {"fr": "{date} : {outcome}", "en": "{date}: {outcome}"},
    "register_history_this": {"fr": "(analyse publiée)", "en": "(the published triage)"},
    "register_more": {"fr": "Données, risques et recours", "en": "Data, risks and recourse"},
    "register_dates": {"fr": "Dates", "en": "Dates"},
    "register_published_on": {"fr": "Publication", "en": "Published"},
    "register_changed_on": {"fr": "Dernière modification", "en": "Last changed"},
    "register_revision_on": {"fr": "Prochain réexamen", "en": "Next review"},
    "register_field_decision_making_process": {
        "fr": "Procédure de décision",
        "en": "Decision-making process",
    },
    "register_field_lawful_basis": {"fr": "Base légale", "en": "Lawful basis"},
    "register_field_proportionality": {"fr": "Proportionnalité", "en": "Proportionality"},
    "register_field_source_data": {"fr": "Données traitées", "en": "Data processed"},
    "register_field_training_data": {"fr": "Données d'entraînement", "en": "Training data"},
    "register_field_connected_data_sources": {
        "fr": "Sources de données reliées",
        "en": "Connected data sources",
    },
    "register_field_data_bias": {"fr": "Biais des données", "en": "Data bias"},
    "register_field_risks": {"fr": "Risques et mesures", "en": "Risks and mitigations"},
    "register_field_methods_and_models": {"fr": "Méthodes et modèles", "en": "Methods and models"},
    "register_field_alternatives_considered": {
        "fr": "Alternatives étudiées",
        "en": "Alternatives considered",
    },
    "register_field_monitoring": {"fr": "Suivi", "en": "Monitoring"},
    "register_field_rollback": {"fr": "Retour en arrière", "en": "Rollback"},
    "register_field_objection_procedure": {"fr": "Recours", "en": "Objection procedure"},
    "register_field_remark": {"fr": "Remarque", "en": "Remark"},
    "register_field_website": {"fr": "Page web", "en": "Web page"},
    "register_field_documentation": {"fr": "Documentation", "en": "Documentation"},
    "register_field_codebase_url": {"fr": "Code source", "en": "Source code"},
    "register_field_dpia_url": {
        "fr": "Analyse d'impact relative à la protection des données",
        "en": "Data protection impact assessment",
    },
    "register_risks_found": {
        "fr": "Points relevés par l'analyse Boussole :",
        "en": "Points raised by the Boussole triage:",
    },
    "register_aia": {
        "fr": "Analyse par Boussole, grille {flow} version {version} (sha256 {sha}), selon la "
        "doctrine IA de Nantes Métropole.",
        "en": "Triage by Boussole, flow {flow} version {version} (sha256 {sha}), under the "
        "Nantes Métropole AI doctrine.",
    },
    "register_revision_note": {
        "fr": "Nouvelle analyse après 12 mois ou après toute modification substantielle.",
        "en": "New triage after 12 months or after any substantial change.",
    },
    "register_download_json": {
        "fr": "Registre au standard Eurocities (JSON)",
        "en": "Register in the Eurocities standard (JSON)",
    },
    "register_download_csv": {"fr": "Registre (CSV)", "en": "Register (CSV)"},
    "register_download_feed": {"fr": "Fil des changements (Atom)", "en": "Feed of changes (Atom)"},
    "register_feed_title": {
        "fr": "Registre des algorithmes publics : changements",
        "en": "Public algorithm register: changes",
    },
    "register_change_published": {
        "fr": "Publié au registre : {project}",
        "en": "Published in the register: {project}",
    },
    "register_change_updated": {
        "fr": "Fiche mise à jour : {project}",
        "en": "Entry updated: {project}",
    },
    "register_change_withdrawn": {
        "fr": "Retiré du registre : {project}",
        "en": "Withdrawn from the register: {project}",
    },
    "register_change_withdrawn_unnamed": {
        "fr": "Un algorithme a été retiré du registre",
        "en": "An algorithm was withdrawn from the register",
    },
    "register_rules_title": {"fr": "Les règles de Boussole", "en": "Boussole's rules"},
    "register_rules_intro": {
        "fr": "Boussole est l'outil qui analyse les projets d'IA de la collectivité. Il ne "
        "contient aucun modèle d'IA : chaque orientation découle de règles publiées, toutes "
        "ci-dessous. Grille {flow}, version {version} publiée le {date} (empreinte sha256 "
        "{sha}).",
        "en": "Boussole is the tool that assesses the local authority's AI projects. It holds "
        "no AI model: every orientation follows from published rules, all of them below. Flow "
        "{flow}, version {version} published on {date} (sha256 fingerprint {sha}).",
    },
    "register_rules_diagram": {"fr": "Le parcours des questions", "en": "The path of questions"},
    "register_rules_diagram_alt": {
        "fr": "Diagramme du parcours des questions, section par section ; sa version texte est "
        "la liste des questions et des règles qui suit.",
        "en": "Diagram of the path of questions, section by section; its text version is the "
        "list of questions and rules that follows.",
    },
    "register_rules_no_diagram": {
        "fr": "Le parcours est donné en texte : chaque question ci-dessous dit quand elle est "
        "posée, chaque règle quand elle s'applique.",
        "en": "The path is given as text: each question below says when it is asked, each rule "
        "when it applies.",
    },
    "register_rules_outcomes": {
        "fr": "Les orientations possibles",
        "en": "The possible orientations",
    },
    "register_rules_questions": {"fr": "Questions : {section}", "en": "Questions: {section}"},
    "register_rules_rules": {"fr": "Règles : {section}", "en": "Rules: {section}"},
    "register_rules_choices": {"fr": "Réponses possibles", "en": "Possible answers"},
    "register_rules_free_text": {"fr": "texte libre", "en": "free text"},
    "register_rules_scale": {"fr": "une note de 1 à 5", "en": "a score from 1 to 5"},
    "register_rules_asked_if": {"fr": "Posée si", "en": "Asked if"},
    "register_rules_always": {"fr": "toujours", "en": "always"},
    "register_rules_why": {"fr": "Pourquoi cette question", "en": "Why this question"},
    "register_rules_reference": {"fr": "Référence", "en": "Reference"},
    "register_rules_when": {"fr": "S'applique si", "en": "Applies if"},
    "register_rules_effect": {"fr": "Effet", "en": "Effect"},
    "register_rules_standard": {
        "fr": "Conditions standard de tout projet",
        "en": "Standard conditions of every project",
    },
    "register_rules_versions": {"fr": "Versions de la grille", "en": "Versions of the grid"},
    "register_rules_version": {
        "fr": "version {version} du {date} (sha256 {sha})",
        "en": "version {version} of {date} (sha256 {sha})",
    },
    "register_form_title": {"fr": "Registre public", "en": "Public register"},
    "register_form_submit": {"fr": "Publier", "en": "Publish"},
    "register_form_help": {
        "fr": "Fiche du registre public pour l'analyse {id} (« {project} »). Les textes sont en "
        "français ; leurs traductions anglaises se donnent dans un fichier de détails "
        "(boussole register publish). Rien de ce qui est écrit ici ne doit nommer une "
        "personne.",
        "en": "Public register entry for triage {id} (“{project}”). Texts are in French; their "
        "English translations are given in a details file (boussole register publish). Nothing "
        "written here may name a person.",
    },
    "register_form_open": {
        "fr": "Remplir la fiche du registre",
        "en": "Fill in the register entry",
    },
    "register_form_prompt": {
        "fr": "Publier l'analyse {id} au registre public des algorithmes : remplissez sa fiche.",
        "en": "Publish triage {id} in the public algorithm register: fill in its entry.",
    },
    "register_form_unreadable": {
        "fr": "Ce formulaire n'est pas celui du registre de Boussole ; rien n'a été publié.",
        "en": "This form is not a Boussole register form; nothing was published.",
    },
    "register_needs_id": {
        "fr": "Indiquez l'analyse à publier : « registre ID ».",
        "en": "Say which triage to publish: “register ID”.",
    },
    "register_form_description_short": {
        "fr": "Résumé (150 caractères au plus)",
        "en": "Summary (at most 150 characters)",
    },
    "register_form_purpose": {"fr": "Finalité", "en": "Purpose"},
    "register_form_audience": {
        "fr": "Pour qui, et comment les personnes en voient les effets",
        "en": "For whom, and how people meet its effects",
    },
    "register_form_description": {"fr": "Fonctionnement", "en": "How it works"},
    "register_form_contact_email": {
        "fr": "Adresse de contact (boîte de service, pas une personne)",
        "en": "Contact address (a service mailbox, not a person)",
    },
    "register_form_status": {"fr": "Statut", "en": "Status"},
    "register_form_start_date": {"fr": "En service depuis le", "en": "In use since"},
    "register_form_end_date": {"fr": "Retiré du service le", "en": "Retired on"},
    "register_form_organization": {"fr": "Organisme responsable", "en": "Responsible body"},
    "register_form_area": {"fr": "Territoire", "en": "Area"},
    "register_form_domain": {"fr": "Domaine", "en": "Domain"},
    "register_form_risk_category": {
        "fr": "Niveau de risque (règlement européen sur l'IA)",
        "en": "Risk level (EU AI Act)",
    },
    "register_form_algorithm_type": {"fr": "Type d'algorithme", "en": "Type of algorithm"},
    "register_form_use_type": {"fr": "Usage des résultats", "en": "Use of the results"},
    "register_form_decision_making_process": {
        "fr": "Procédure de décision",
        "en": "Decision-making process",
    },
    "register_form_lawful_basis": {"fr": "Base légale", "en": "Lawful basis"},
    "register_form_proportionality": {"fr": "Proportionnalité", "en": "Proportionality"},
    "register_form_risks": {"fr": "Risques et mesures", "en": "Risks and mitigations"},
    "register_form_training_data": {"fr": "Données d'entraînement", "en": "Training data"},
    "register_form_source_data": {"fr": "Données traitées", "en": "Data processed"},
    "register_form_connected_data_sources": {
        "fr": "Sources de données reliées",
        "en": "Connected data sources",
    },
    "register_form_monitoring": {"fr": "Suivi", "en": "Monitoring"},
    "register_form_human_intervention": {
        "fr": "Contrôle humain",
        "en": "Human intervention",
    },
    "register_form_objection_procedure": {"fr": "Recours", "en": "Objection procedure"},
    "register_form_website": {"fr": "Page web (https://…)", "en": "Web page (https://…)"},
    "register_form_remark": {"fr": "Remarque", "en": "Remark"},
    "register_option_taxes": {"fr": "Impôts et taxes", "en": "Taxes"},
    "register_option_housing_living_and_living_environment": {
        "fr": "Logement et cadre de vie",
        "en": "Housing, living and living environment",
    },
    "register_option_culture_sports_and_leisure": {
        "fr": "Culture, sport et loisirs",
        "en": "Culture, sports and leisure",
    },
    "register_option_defence": {"fr": "Défense", "en": "Defence"},
    "register_option_economy_and_entrepreneurship": {
        "fr": "Économie et entreprises",
        "en": "Economy and entrepreneurship",
    },
    "register_option_family_youth_and_households": {
        "fr": "Famille, jeunesse et foyers",
        "en": "Family, youth and households",
    },
    "register_option_finance": {"fr": "Finances", "en": "Finance"},
    "register_option_generic": {"fr": "Usage général", "en": "Generic"},
    "register_option_health_and_health_care": {
        "fr": "Santé et soins",
        "en": "Health and health care",
    },
    "register_option_immigration_and_integration": {
        "fr": "Immigration et intégration",
        "en": "Immigration and integration",
    },
    "register_option_international_collaboration_and_development_aid": {
        "fr": "Coopération internationale et aide au développement",
        "en": "International collaboration and development aid",
    },
    "register_option_agriculture_nature_and_food": {
        "fr": "Agriculture, nature et alimentation",
        "en": "Agriculture, nature and food",
    },
    "register_option_environment_spacial_planning_and_water": {
        "fr": "Environnement, aménagement et eau",
        "en": "Environment, spatial planning and water",
    },
    "register_option_education_and_science": {
        "fr": "Éducation et recherche",
        "en": "Education and science",
    },
    "register_option_public_safety": {"fr": "Sécurité publique", "en": "Public safety"},
    "register_option_government": {"fr": "Administration", "en": "Government"},
    "register_option_justice": {"fr": "Justice", "en": "Justice"},
    "register_option_travel_living_and_working_abroad": {
        "fr": "Voyager, vivre et travailler à l'étranger",
        "en": "Travel, living and working abroad",
    },
    "register_option_subsidies_benefits_and_allowances": {
        "fr": "Subventions, prestations et aides",
        "en": "Subsidies, benefits and allowances",
    },
    "register_option_traffic_and_transportation": {
        "fr": "Circulation et transports",
        "en": "Traffic and transportation",
    },
    "register_option_work_and_career": {"fr": "Emploi et carrière", "en": "Work and career"},
    "register_option_minimal_risk": {"fr": "Risque minimal", "en": "Minimal risk"},
    "register_option_limited_risk": {"fr": "Risque limité", "en": "Limited risk"},
    "register_option_high_risk": {"fr": "Haut risque", "en": "High risk"},
    "register_option_unacceptable": {"fr": "Risque inacceptable", "en": "Unacceptable risk"},
    "register_option_rule-based": {"fr": "À base de règles", "en": "Rule-based"},
    "register_option_self-learning": {"fr": "Apprentissage automatique", "en": "Self-learning"},
    "register_option_hybrid": {"fr": "Hybride", "en": "Hybrid"},
    "register_option_descriptive": {"fr": "Descriptif", "en": "Descriptive"},
    "register_option_diagnostic": {"fr": "Diagnostic", "en": "Diagnostic"},
    "register_option_predictive": {"fr": "Prédictif", "en": "Predictive"},
    "register_option_prescriptive": {"fr": "Prescriptif", "en": "Prescriptive"},
}


def translate(catalog: dict[str, dict[str, str]], key: str, lang: str, **params: Any) -> str:
    """A message of `catalog` in `lang` (French when the language is not supported); each
    adapter keeps its own catalog and calls this, so catalogs never collide. A message with a
    `count` has its singular form under `KEY_one`, used when the language says so."""
    lang = lang if lang in LANGS else DEFAULT_LANG
    entry = catalog[key]
    if _singular(params.get("count"), lang):
        entry = catalog.get(f"{key}_one", entry)
    text = entry.get(lang) or entry[DEFAULT_LANG]
    return text.format(**params) if params else text


def _singular(count: object, lang: str) -> bool:
    """French puts 0 and 1 in the singular ("0 ligne vérifiée"), English only 1."""
    if not isinstance(count, int) or isinstance(count, bool):
        return False
    return count == 1 or (lang == "fr" and count == 0)


def t(key: str, lang: str = DEFAULT_LANG, **params: Any) -> str:
    return translate(CATALOG, key, lang, **params)


def t_all(key: str, **params: Any) -> dict[str, str]:
    """A message in every language: notifications are written so when they are queued, and
    the sender picks the reader's language without needing the catalog or the flow."""
    return {lang: t(key, lang, **params) for lang in LANGS}


def pick(text: dict[str, str], lang: str) -> str:
    """A flow text in `lang`, falling back to French, which every flow must carry."""
    return text.get(lang) or text[DEFAULT_LANG]
