"""French renderings of the flow checker's messages.

The checker writes its messages in English, the stable form that scripts and tests match;
admins read them in French by default. Each pattern below names the parts of an English
message and rebuilds it in French; a test runs the broken-flow catalogue and requires that
every message it produces has a French rendering.
"""

from __future__ import annotations

import re
from functools import cache

_PATTERNS: list[tuple[str, str]] = [
    (r"unknown question (?P<q>'[^']*')", "question inconnue {q}"),
    (
        r"duplicate id (?P<id>'[^']*') \(already used by a (?P<kind>[^)]+)\)",
        "identifiant {id} en double (déjà pris par : {kind})",
    ),
    (r"missing (?P<l>'\w+') translation", "traduction {l} manquante"),
    (r"text in (?P<l>'[^']*'), which is not in locales", "texte en {l}, langue absente de locales"),
    (
        r"a control character \((?P<c>U\+[0-9A-F]{4})\); remove it",
        "un caractère de contrôle ({c}) ; retirez-le",
    ),
    (
        r"French comes first: locales must start with 'fr'",
        "le français d'abord : locales doit commencer par 'fr'",
    ),
    (
        r"locale (?P<l>'[^']*') is not supported; use (?P<ok>.+)",
        "la langue {l} n'est pas prise en charge ; utilisez {ok}",
    ),
    (r"a locale is listed twice", "une langue figure deux fois"),
    (
        r"rule (?P<r>\S+) has effect 'condition' but no 'condition' text",
        "la règle {r} a l'effet 'condition' mais pas de texte 'condition'",
    ),
    (
        r"rule (?P<r>\S+): a 'condition' text only goes with effect 'condition'",
        "règle {r} : un texte 'condition' ne va qu'avec l'effet 'condition'",
    ),
    (
        r"question (?P<q>\S+): a (?P<k>\w+) question needs 'choices' or 'choices_from', not both",
        "question {q} : une question {k} demande 'choices' ou 'choices_from', pas les deux",
    ),
    (
        r"question (?P<q>\S+): a (?P<k>\w+) question has implicit choices or none; "
        r"remove 'choices'",
        "question {q} : une question {k} a des choix implicites ou aucun ; retirez 'choices'",
    ),
    (
        r"choices_from: directory is for single questions",
        "choices_from: directory ne vaut que pour une question single",
    ),
    (r"question (?P<q>\S+): duplicate choice (?P<c>'[^']*')", "question {q} : choix {c} en double"),
    (
        r"question (?P<q>\S+) has (?P<n>\d+) choices; Slack menus hold at most (?P<max>\d+), "
        r"so Slack cannot show it: split the question",
        "la question {q} a {n} choix ; les menus de Slack en contiennent {max} au plus, Slack "
        "ne peut donc pas l'afficher : scindez la question",
    ),
    (
        r"exclusive only matters in multi questions",
        "exclusive n'a de sens que dans une question multi",
    ),
    (
        r"question (?P<q>\S+) is a gate but does not offer (?P<c>'[^']*')",
        "la question {q} est une porte mais n'offre pas {c}",
    ),
    (
        r"question (?P<q>\S+): (?P<c>'[^']*') must be exclusive in a multi question",
        "question {q} : {c} doit être exclusif dans une question multi",
    ),
    (
        r"ask_if reads (?P<q>\S+), which is not asked before this question; an ask_if may only "
        r"read earlier questions, so that the questions can never form a cycle",
        "ask_if lit {q}, qui n'est pas posée avant cette question ; un ask_if ne peut lire que "
        "des questions antérieures, pour que les questions ne forment jamais de cycle",
    ),
    (
        r"(?P<q>\S+) cannot be compared \((?P<op>\w+)\); only 'answered' applies to text and "
        r"directory questions",
        "{q} ne se compare pas ({op}) ; seul 'answered' s'applique aux textes et à l'annuaire",
    ),
    (
        r"(?P<op>\w+) applies to scale questions; (?P<q>\S+) is (?P<k>\w+)",
        "{op} s'applique aux échelles ; {q} est de type {k}",
    ),
    (
        r"(?P<op>\w+) on (?P<q>\S+) needs a whole number from (?P<a>\d+) to (?P<b>\d+), "
        r"not (?P<v>.+)",
        "{op} sur {q} demande un nombre entier de {a} à {b}, pas {v}",
    ),
    (
        r"(?P<q>\S+) is a scale: compare it with whole numbers from (?P<a>\d+) to (?P<b>\d+), "
        r"not (?P<v>.+)",
        "{q} est une échelle : comparez-la à des nombres entiers de {a} à {b}, pas {v}",
    ),
    (
        r"(?P<op>\w+) applies to multi questions; (?P<q>\S+) is (?P<k>\w+); use equals or in",
        "{op} s'applique aux questions multi ; {q} est de type {k} ; utilisez equals ou in",
    ),
    (
        r"(?P<op>\w+) does not apply to the multi question (?P<q>\S+); use includes_any",
        "{op} ne s'applique pas à la question multi {q} ; utilisez includes_any",
    ),
    (
        r"(?P<op>\w+) on (?P<q>\S+) takes a list of choice ids, not (?P<v>.+)",
        "{op} sur {q} prend une liste d'identifiants de choix, pas {v}",
    ),
    (
        r"(?P<op>\w+) on (?P<q>\S+) takes one choice id, not (?P<v>.+)",
        "{op} sur {q} prend un seul identifiant de choix, pas {v}",
    ),
    (
        r"(?P<q>\S+) cannot be (?P<v>'[^']*'); its choices are: (?P<c>.+)",
        "{q} ne peut pas valoir {v} ; ses choix sont : {c}",
    ),
    (
        r"a condition is a mapping with exactly one operator, e\.g\. (?P<e>.+)",
        "une condition est un dictionnaire à un seul opérateur, par exemple {e}",
    ),
    (
        r"(?P<op>\w+) takes one question and a value: \{Q: value\}",
        "{op} prend une question et une valeur : {{Q: valeur}}",
    ),
    (r"answered takes a question id", "answered prend un identifiant de question"),
    (
        r"(?P<op>\w+) takes a non-empty list of conditions",
        "{op} prend une liste non vide de conditions",
    ),
    (r"gate_unknown takes the value true", "gate_unknown prend la valeur true"),
    (
        r"unknown_count_at_least takes a whole number of 1 or more",
        "unknown_count_at_least prend un nombre entier supérieur ou égal à 1",
    ),
    (
        r"unknown operator (?P<op>'[^']*'); expected one of: (?P<ok>.+)",
        "opérateur inconnu {op} ; opérateurs possibles : {ok}",
    ),
    (
        r"at_least takes \{count: N, of: \[conditions\]\}",
        "at_least prend {{count: N, of: [conditions]}}",
    ),
    (
        r"at_least needs a non-empty list under 'of'",
        "at_least demande une liste non vide sous 'of'",
    ),
    (
        r"count must be a whole number from 1 to (?P<n>\d+)",
        "count doit être un nombre entier de 1 à {n}",
    ),
    (r"the file is over 1 MB", "le fichier dépasse 1 Mo"),
    (r"not UTF-8 text: (?P<d>.+)", "texte non UTF-8 : {d}"),
    (r"not valid YAML: (?P<d>.+)", "YAML invalide : {d}"),
    (r"cannot read the file: (?P<d>.+)", "fichier illisible : {d}"),
    (r"missing field (?P<f>'[^']*')", "champ {f} manquant"),
    (r"unknown field (?P<f>'[^']*')", "champ {f} inconnu (faute de frappe ?)"),
    (r"input should be (?P<v>.+)", "valeur attendue : {v}"),
    (r"expected a list", "une liste est attendue"),
    (r"expected a mapping", "un dictionnaire (clé: valeur) est attendu"),
    (r"expected a text", "un texte est attendu"),
    (r"expected a whole number", "un nombre entier est attendu"),
    (r"expected true or false", "true ou false est attendu"),
    (r"expected a list that is not empty", "une liste non vide est attendue"),
    (r"expected a text that is not empty", "un texte non vide est attendu"),
    (r"expected at least (?P<n>\d+) items", "au moins {n} éléments sont attendus"),
    (r"(?P<d>field required|.*should have at least .*|.*should be a valid .*)", "schéma : {d}"),
    (
        r"question (?P<q>\S+) offers no choice, so a triage that reaches it can never go on "
        r"\(dead end\); give it choices",
        "la question {q} n'offre aucun choix : une analyse qui l'atteint ne peut plus avancer "
        "(impasse) ; donnez-lui des choix",
    ),
    (
        r"question (?P<q>\S+) is never asked: no answers to the questions before it "
        r"\((?P<d>[^)]*)\) make its ask_if hold",
        "la question {q} n'est jamais posée : aucune réponse aux questions qui la précèdent "
        "({d}) ne rend son ask_if vrai",
    ),
    (
        r"rule (?P<r>\S+) can never fire: no path through the questions that decide it "
        r"\((?P<d>[^)]*)\) makes its condition hold",
        "la règle {r} ne peut jamais se déclencher : aucun parcours des questions qui la "
        "décident ({d}) ne rend sa condition vraie",
    ),
    (
        r"question (?P<q>\S+) was not asked on any of (?P<n>\d+) sampled paths; check that its "
        r"ask_if can hold",
        "la question {q} n'a été posée sur aucun des {n} parcours tirés ; vérifiez que son "
        "ask_if peut être vrai",
    ),
    (
        r"rule (?P<r>\S+) was not seen firing on (?P<n>\d+) sampled paths nor by a targeted "
        r"search \((?P<c>.*)\); check that its condition can hold",
        "la règle {r} ne s'est déclenchée sur aucun des {n} parcours tirés ni par recherche "
        "ciblée ({c}) ; vérifiez que sa condition peut être vraie",
    ),
    (
        r"outcome (?P<o>'[^']*') is never produced: no walk of the flow ends in it \((?P<d>.*)\)",
        "l'orientation {o} n'est jamais produite : aucun parcours n'y aboutit ({d})",
    ),
    (
        r"section G holds rules only \(over the whole triage\); move question (?P<q>\S+) to the "
        r"section of its criterion",
        "la section G ne contient que des règles (sur toute l'analyse) ; déplacez la question "
        "{q} dans la section de son critère",
    ),
    (
        r"section P holds questions only \(the project context\); move rule (?P<r>\S+) to a "
        r"criterion section or to G",
        "la section P ne contient que des questions (le contexte) ; déplacez la règle {r} dans "
        "la section d'un critère ou dans G",
    ),
    (
        r"section (?P<s>\S+) has no question; it holds the project context",
        "la section {s} n'a pas de question ; elle porte le contexte du projet",
    ),
    (
        r"section (?P<s>\S+) has no question; a criterion needs questions and rules",
        "la section {s} n'a pas de question ; un critère demande des questions et des règles",
    ),
    (
        r"section (?P<s>\S+) has no rule; it holds the rules over the whole triage",
        "la section {s} n'a pas de règle ; elle porte les règles sur toute l'analyse",
    ),
    (
        r"section (?P<s>\S+) has no rule; a criterion needs questions and rules",
        "la section {s} n'a pas de règle ; un critère demande des questions et des règles",
    ),
    (
        r"the document is nested more than (?P<n>\d+) levels deep; a flow or answer file needs "
        r"far fewer",
        "le document a plus de {n} niveaux d'imbrication ; un fichier de grille ou de réponses "
        "en demande bien moins",
    ),
    (
        r"the document holds more than (?P<n>\d+) values, each alias counted as the values it "
        r"stands for; a flow or answer file needs far fewer",
        "le document contient plus de {n} valeurs, chaque alias comptant pour les valeurs qu'il "
        "remplace ; un fichier de grille ou de réponses en demande bien moins",
    ),
    (
        r"alias (?P<a>\*\S+) is inside its own anchor (?P<b>&\S+), so it would stand for an "
        r"endless value",
        "l'alias {a} est à l'intérieur de sa propre ancre {b} : il remplacerait une valeur "
        "sans fin",
    ),
    (
        r"YAML tags \((?P<t>.*)\) are not allowed; write the value without one",
        "les étiquettes YAML ({t}) ne sont pas admises ; écrivez la valeur sans étiquette",
    ),
    (
        r"conditions are nested more than (?P<n>\d+) levels deep here; simplify the condition",
        "les conditions sont imbriquées sur plus de {n} niveaux ici ; simplifiez la condition",
    ),
    (
        r"the condition holds more than (?P<n>\d+) operators and comparisons; simplify it or "
        r"split it between rules",
        "la condition contient plus de {n} opérateurs et comparaisons ; simplifiez-la ou "
        "répartissez-la entre plusieurs règles",
    ),
    (
        r"the conditions of the flow hold more than (?P<n>\d+) operators and comparisons in "
        r"all; simplify them",
        "les conditions de la grille contiennent plus de {n} opérateurs et comparaisons en "
        "tout ; simplifiez-les",
    ),
    (r"(?P<c>\d+) sections; a flow holds at most (?P<n>\d+)", "{c} sections : {n} au plus"),
    (
        r"(?P<c>\d+) questions; a flow holds at most (?P<n>\d+)",
        "{c} questions : une grille en pose {n} au plus",
    ),
    (
        r"(?P<c>\d+) rules; a flow holds at most (?P<n>\d+)",
        "{c} règles : une grille en contient {n} au plus",
    ),
    (
        r"(?P<c>\d+) standard conditions; a flow holds at most (?P<n>\d+)",
        "{c} conditions standard : une grille en contient {n} au plus",
    ),
    (
        r"(?P<c>\d+) choices in question (?P<q>\S+); a question holds at most (?P<n>\d+)",
        "{c} choix dans la question {q} : une question en contient {n} au plus",
    ),
    (
        r"the path checks stopped after (?P<n>\d+) steps, their limit: this flow has too many "
        r"questions, values or conditions for its rules and outcomes to be checked; simplify it",
        "les vérifications des parcours se sont arrêtées après {n} étapes, leur limite : cette "
        "grille a trop de questions, de valeurs ou de conditions pour que ses règles et ses "
        "orientations soient vérifiées ; simplifiez-la",
    ),
    (r"duplicate or reserved id (?P<id>'[^']*')", "identifiant {id} en double ou réservé"),
    (r"missing (?P<l>'\w+') name", "nom {l} manquant"),
    (
        r"not an e-mail address; give a service mailbox such as (?P<e>\S+)",
        "pas une adresse électronique ; donnez une boîte de service telle que {e}",
    ),
    (
        r"not a web address; it must start with https:// or http://",
        "pas une adresse web ; elle doit commencer par https:// ou http://",
    ),
    (r"missing 'fr' text: French comes first", "texte 'fr' manquant : le français d'abord"),
    (r"a retired algorithm needs its end_date", "un algorithme retiré demande sa end_date"),
    (r"end_date is before start_date", "end_date est antérieure à start_date"),
    (
        r"the file must be a mapping of field names to values",
        "le fichier doit associer des noms de champs à des valeurs",
    ),
    (
        r"expected lower-case letters without accents, digits and _ only, such as 'dsi'",
        "attendu : des minuscules sans accent, des chiffres et _ seulement, par exemple 'dsi'",
    ),
    (
        r"(?P<m>'.*') is not of the form platform:user_id",
        "{m} n'est pas de la forme plateforme:identifiant",
    ),
    (
        r"unknown platform (?P<p>'[^']*'): use (?P<ok>.+)",
        "plateforme inconnue {p} : utilisez {ok}",
    ),
    (
        r"string should have at most (?P<n>\d+) characters?",
        "texte trop long : {n} caractères au plus",
    ),
]


@cache
def _compiled() -> list[tuple[re.Pattern[str], str]]:
    """Compiled when a message is first rendered: compiling them all costs 8 ms, which every
    command importing this module (a triage does, for an answer file's refusals) would pay."""
    return [(re.compile(f"^{pattern}$", re.S), french) for pattern, french in _PATTERNS]


def french(message: str) -> str | None:
    """The French rendering of a checker message, or None when none is known."""
    for pattern, template in _compiled():
        match = pattern.match(message)
        if match:
            return template.format(**match.groupdict())
    return None


def render(message: str, lang: str) -> str:
    if lang == "en":
        return message
    return french(message) or message
