"""The Teams app package: manifest.json, its English localization, two icons, one zip.

Generated rather than committed, because its ids are each deployment's own:
`boussole teams manifest --bot-id <MicrosoftAppId> --out build/teams`. The icons are the
chat kit's (`adapters.chat.icons`), drawn in code.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

from adapters.chat.icons import ACCENT, color_icon, outline_icon

MANIFEST_VERSION = "1.17"
SCHEMAS = f"https://developer.microsoft.com/json-schemas/teams/v{MANIFEST_VERSION}/"
MANIFEST_SCHEMA = SCHEMAS + "MicrosoftTeams.schema.json"
DEVELOPER_MAX = 32
URL_MAX = 2048
"""The lengths the 1.17 schema allows for `developer.name` and its URLs: Teams refuses a
package that exceeds them, so `boussole teams manifest` refuses to write one."""
VERSION = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
PACKAGE = "boussole-teams.zip"

COMMANDS = {
    "fr": [
        ("boussole", "Commencer une analyse de projet d'IA"),
        ("liste", "Vos analyses récentes"),
        ("reprendre ID", "Reprendre une analyse, ou revoir son résultat"),
        ("annuler ID", "Annuler une analyse en cours"),
        ("aide", "Ce que Boussole comprend"),
    ],
    "en": [
        ("new", "Start the triage of an AI project"),
        ("list", "Your recent triages"),
        ("resume ID", "Resume a triage, or see its result again"),
        ("cancel ID", "Cancel a triage in progress"),
        ("help", "What Boussole understands"),
    ],
}
TEXTS = {
    "fr": {
        "name.short": "Boussole",
        "name.full": "Boussole : analyse des projets d'IA",
        "description.short": "L'analyse d'un projet d'IA selon la doctrine de Nantes Métropole",
        "description.full": (
            "Boussole accompagne les agents dans l'analyse d'un projet d'intelligence "
            "artificielle selon la doctrine de Nantes Métropole : les sept critères de la "
            "boussole et la charte de 2019, une question à la fois, puis une orientation "
            "expliquée règle par règle. Les projets à examiner sont signalés aux responsables "
            "de la direction concernée. Aucun modèle de langage : chaque résultat découle "
            "d'une règle publiée et d'une réponse."
        ),
    },
    "en": {
        "name.short": "Boussole",
        "name.full": "Boussole: triage of AI projects",
        "description.short": "Triage an AI project under the Nantes Métropole AI doctrine",
        "description.full": (
            "Boussole guides staff through the triage of an artificial intelligence project "
            "under the Nantes Métropole doctrine: the seven criteria of the compass and the "
            "2019 charter, one question at a time, then an orientation explained rule by rule. "
            "Projects that need a review are sent to the department's reviewers. No language "
            "model: every result follows from a published rule and an answer."
        ),
    },
}


def manifest(
    bot_id: str,
    app_id: str,
    version: str,
    developer: str,
    website: str,
    privacy: str,
    terms: str,
) -> dict[str, Any]:
    """French is the default language; English comes as a localization file."""
    fr = TEXTS["fr"]
    return {
        "$schema": MANIFEST_SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": version,
        "id": app_id,
        "developer": {
            "name": developer,
            "websiteUrl": website,
            "privacyUrl": privacy,
            "termsOfUseUrl": terms,
        },
        "name": {"short": fr["name.short"], "full": fr["name.full"]},
        "description": {"short": fr["description.short"], "full": fr["description.full"]},
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": "#{:02X}{:02X}{:02X}".format(*ACCENT),
        "bots": [
            {
                "botId": bot_id,
                "scopes": ["personal", "team"],
                "supportsFiles": True,  # admins send flow files in the personal chat
                "isNotificationOnly": False,
                "commandLists": [
                    {
                        "scopes": ["personal", "team"],
                        "commands": [
                            {"title": title, "description": text} for title, text in COMMANDS["fr"]
                        ],
                    }
                ],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [],
        "localizationInfo": {
            "defaultLanguageTag": "fr-fr",
            "additionalLanguages": [{"languageTag": "en-us", "file": "en-us.json"}],
        },
    }


def english() -> dict[str, Any]:
    """The localization file: same keys, English values (Teams picks it by client locale)."""
    localized: dict[str, Any] = {
        "$schema": SCHEMAS + "MicrosoftTeams.Localization.schema.json",
        **TEXTS["en"],
    }
    for index, (title, text) in enumerate(COMMANDS["en"]):
        localized[f"bots[0].commandLists[0].commands[{index}].title"] = title
        localized[f"bots[0].commandLists[0].commands[{index}].description"] = text
    return localized


def write_package(out: Path, **values: str) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "manifest.json": json.dumps(manifest(**values), ensure_ascii=False, indent=2).encode(),
        "en-us.json": json.dumps(english(), ensure_ascii=False, indent=2).encode(),
        "color.png": color_icon(),
        "outline.png": outline_icon(),
    }
    for name, data in files.items():
        (out / name).write_bytes(data)
    package = out / PACKAGE
    with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return package
