"""The Adaptive Cards 1.5 schema's rules for the elements and properties our cards use.

Transcribed from the 1.5 schema (adaptivecards.io/schemas/1.5.0/adaptive-card.json): for
each element, its properties with their types, enumerations (case-insensitive, as in the
schema), the version that introduced them, and which are required. A card using an element
or a property not listed here is refused: extend the table from the schema first, so that
nothing newer than 1.5, or unknown to Teams, slips in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

TARGET = (1, 5)
SPACING = ("default", "none", "small", "medium", "large", "extraLarge", "padding")
COLORS = ("default", "dark", "light", "accent", "good", "warning", "attention")
CONTAINER_STYLES = ("default", "emphasis", "good", "attention", "warning", "accent")


@dataclass(frozen=True)
class Prop:
    kind: str
    """string, boolean, integer, object, elements, actions, choices, facts, card, data"""
    since: tuple[int, int] = (1, 0)
    enum: tuple[str, ...] = ()
    required: bool = False


ELEMENT_COMMON = {
    "type": Prop("string", required=True),
    "id": Prop("string"),
    "spacing": Prop("string", enum=SPACING),
    "separator": Prop("boolean"),
    "isVisible": Prop("boolean", (1, 2)),
    "height": Prop("string", (1, 1), enum=("auto", "stretch")),
}
INPUT_COMMON = {
    **ELEMENT_COMMON,
    "id": Prop("string", required=True),
    "label": Prop("string", (1, 3)),
    "isRequired": Prop("boolean", (1, 3)),
    "errorMessage": Prop("string", (1, 3)),
}
ACTION_COMMON = {
    "type": Prop("string", required=True),
    "id": Prop("string"),
    "title": Prop("string"),
    "style": Prop("string", (1, 2), enum=("default", "positive", "destructive")),
    "tooltip": Prop("string", (1, 5)),
    "isEnabled": Prop("boolean", (1, 5)),
    "mode": Prop("string", (1, 5), enum=("primary", "secondary")),
}

ELEMENTS: dict[str, dict[str, Prop]] = {
    "TextBlock": {
        **ELEMENT_COMMON,
        "text": Prop("string", required=True),
        "color": Prop("string", enum=COLORS),
        "isSubtle": Prop("boolean"),
        "maxLines": Prop("integer"),
        "size": Prop("string", enum=("default", "small", "medium", "large", "extraLarge")),
        "weight": Prop("string", enum=("default", "lighter", "bolder")),
        "wrap": Prop("boolean"),
        "horizontalAlignment": Prop("string", enum=("left", "center", "right")),
        "style": Prop("string", (1, 5), enum=("default", "heading")),
        "fontType": Prop("string", (1, 2), enum=("default", "monospace")),
    },
    "Container": {
        **ELEMENT_COMMON,
        "items": Prop("elements", required=True),
        "style": Prop("string", (1, 0), enum=CONTAINER_STYLES),
        "bleed": Prop("boolean", (1, 2)),
        "rtl": Prop("boolean", (1, 5)),
    },
    "FactSet": {**ELEMENT_COMMON, "facts": Prop("facts", required=True)},
    "ActionSet": {**ELEMENT_COMMON, "actions": Prop("actions", (1, 2), required=True)},
    "Input.ChoiceSet": {
        **INPUT_COMMON,
        "choices": Prop("choices"),
        "isMultiSelect": Prop("boolean"),
        "style": Prop("string", enum=("compact", "expanded", "filtered")),
        "value": Prop("string"),
        "placeholder": Prop("string"),
        "wrap": Prop("boolean", (1, 2)),
    },
    "Input.Toggle": {
        **INPUT_COMMON,
        "title": Prop("string", required=True),
        "value": Prop("string"),
        "valueOn": Prop("string"),
        "valueOff": Prop("string"),
        "wrap": Prop("boolean", (1, 2)),
    },
    "Input.Date": {
        **INPUT_COMMON,
        "value": Prop("string"),
        "placeholder": Prop("string"),
        "min": Prop("string"),
        "max": Prop("string"),
    },
    "Input.Text": {
        **INPUT_COMMON,
        "isMultiline": Prop("boolean"),
        "maxLength": Prop("integer"),
        "placeholder": Prop("string"),
        "regex": Prop("string", (1, 3)),
        "style": Prop("string", enum=("text", "tel", "url", "email", "password")),
        "value": Prop("string"),
    },
}
ACTIONS: dict[str, dict[str, Prop]] = {
    "Action.Submit": {
        **ACTION_COMMON,
        "data": Prop("data"),
        "associatedInputs": Prop("string", (1, 3), enum=("auto", "none")),
    },
    "Action.ShowCard": {**ACTION_COMMON, "card": Prop("card")},
}
CARD: dict[str, Prop] = {
    "type": Prop("string", required=True),
    "version": Prop("string", required=True),
    "$schema": Prop("string"),
    "body": Prop("elements"),
    "actions": Prop("actions"),
    "fallbackText": Prop("string"),
    "speak": Prop("string"),
    "lang": Prop("string"),
}
NESTED_CARD = {**CARD, "version": Prop("string")}
CHOICE = {"title": Prop("string", required=True), "value": Prop("string", required=True)}
FACT = {"title": Prop("string", required=True), "value": Prop("string", required=True)}


def problems(card: dict[str, Any]) -> list[str]:
    """Every way `card` breaks the rules above, as "path: problem" lines."""
    found: list[str] = []
    if card.get("type") != "AdaptiveCard":
        found.append("$: type must be AdaptiveCard")
    if str(card.get("version")) != "1.5":
        found.append("$.version: must be 1.5, the highest Teams renders")
    _object(card, CARD, "$", found)
    ids: list[str] = []
    _collect_ids(card, ids)
    for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
        found.append(f"$: input id {duplicate!r} is used twice")
    return found


def _object(value: Any, props: dict[str, Prop], path: str, found: list[str]) -> None:
    if not isinstance(value, dict):
        found.append(f"{path}: must be an object")
        return
    for name, prop in props.items():
        if prop.required and name not in value:
            found.append(f"{path}: {name} is required")
    for name, item in value.items():
        prop = props.get(name)
        if prop is None:
            found.append(f"{path}.{name}: not a property of this element in 1.5")
            continue
        if prop.since > TARGET:
            found.append(f"{path}.{name}: introduced after 1.5")
        _value(item, prop, f"{path}.{name}", found)


def _value(item: Any, prop: Prop, path: str, found: list[str]) -> None:
    kind = prop.kind
    if kind == "string":
        if not isinstance(item, str):
            found.append(f"{path}: must be a string")
        elif prop.enum and item.lower() not in {e.lower() for e in prop.enum}:
            found.append(f"{path}: {item!r} is not one of {', '.join(prop.enum)}")
    elif kind == "boolean" and not isinstance(item, bool):
        found.append(f"{path}: must be true or false")
    elif kind == "integer" and (not isinstance(item, int) or isinstance(item, bool) or item < 0):
        found.append(f"{path}: must be a non-negative integer")
    elif kind == "data" and not isinstance(item, dict):
        found.append(f"{path}: must be an object, so that Teams merges the inputs into it")
    elif kind == "elements":
        for index, element in enumerate(_list(item, path, found)):
            _element(element, ELEMENTS, f"{path}[{index}]", found)
    elif kind == "actions":
        for index, action in enumerate(_list(item, path, found)):
            _element(action, ACTIONS, f"{path}[{index}]", found)
    elif kind == "choices":
        values = []
        for index, choice in enumerate(_list(item, path, found)):
            _object(choice, CHOICE, f"{path}[{index}]", found)
            values.append(choice.get("value") if isinstance(choice, dict) else None)
        if len(values) != len(set(map(str, values))):
            found.append(f"{path}: two choices have the same value")
    elif kind == "facts":
        for index, fact in enumerate(_list(item, path, found)):
            _object(fact, FACT, f"{path}[{index}]", found)
    elif kind == "card":
        if not isinstance(item, dict) or item.get("type") != "AdaptiveCard":
            found.append(f"{path}: must be an AdaptiveCard")
        else:
            _object(item, NESTED_CARD, path, found)


def _element(element: Any, table: dict[str, dict[str, Prop]], path: str, found: list[str]) -> None:
    kind = element.get("type") if isinstance(element, dict) else None
    if kind not in table:
        found.append(f"{path}: unknown or unused element type {kind!r}")
        return
    _object(element, table[kind], f"{path}<{kind}>", found)


def _list(item: Any, path: str, found: list[str]) -> list[Any]:
    if not isinstance(item, list):
        found.append(f"{path}: must be an array")
        return []
    return item


def _collect_ids(node: Any, ids: list[str]) -> None:
    if isinstance(node, dict):
        if str(node.get("type", "")).startswith("Input.") and "id" in node:
            ids.append(node["id"])
        for key, value in node.items():
            if key != "card":
                _collect_ids(value, ids)
    elif isinstance(node, list):
        for value in node:
            _collect_ids(value, ids)
