"""Answer files: a whole triage given as a mapping from question id to answer.

Everything is checked before anything is recorded, and every problem is reported, each line
starting with the question id (or the file name), as `contracts/cli.md` requires.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.i18n import t
from flows.answers import AnswerError, validate_answer
from flows.compiled import CompiledFlow, CompiledQuestion
from flows.conditions import Answer
from flows.documents import DocumentRefused, FileTooLarge, load_json, load_yaml, read_limited
from flows.model import Choice
from flows.translations import render


class AnswerFileError(Exception):
    def __init__(self, lines: Sequence[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = list(lines)


@dataclass(frozen=True)
class ValidAnswers:
    answers: dict[str, Answer]
    """The answers on the path, in path order: what gets recorded."""
    ignored: tuple[str, ...]


def read_answer_file(path: Path, lang: str) -> Any:
    """The file's document, read within the limits of flow files (`flows.documents`): a
    hostile file (endless, deep, an alias bomb) is an AnswerFileError like a malformed one."""
    try:
        text = read_limited(path).decode("utf-8-sig")
    except FileTooLarge as error:
        too_large = t("file_too_large", lang, limit=error.limit)
        raise AnswerFileError([f"{path}: {too_large}"]) from None
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise AnswerFileError([f"{path}: {t('file_unreadable', lang, reason=reason)}"]) from None
    try:
        if path.suffix.lower() == ".json":
            return _json(text, path, lang)
    except DocumentRefused as refusal:
        raise _refused(refusal, path, lang) from None
    from ruamel.yaml.error import YAMLError  # with the YAML: a JSON file spares it

    try:
        return load_yaml(text, round_trip=False)
    except DocumentRefused as refusal:
        raise _refused(refusal, path, lang) from None
    except YAMLError as error:
        detail = " ".join(str(error).split())
        raise AnswerFileError([f"{path}: {t('file_unparsable', lang, reason=detail)}"]) from None


def _refused(refusal: DocumentRefused, path: Path, lang: str) -> AnswerFileError:
    reason = render(refusal.message, lang)
    refused = t("file_refused", lang, line=refusal.line, reason=reason)
    return AnswerFileError([f"{path}: {refused}"])


def _json(text: str, path: Path, lang: str) -> Any:
    try:
        return load_json(text)
    except json.JSONDecodeError as error:
        detail = f"line {error.lineno}: {error.msg}"
        raise AnswerFileError([f"{path}: {t('file_unparsable', lang, reason=detail)}"]) from None
    except ValueError as error:  # a number of more than 4,300 digits
        raise AnswerFileError(
            [f"{path}: {t('file_unparsable', lang, reason=str(error))}"]
        ) from None


def validate_answers(
    flow: CompiledFlow,
    data: Any,
    choices: Callable[[CompiledQuestion], Sequence[Choice]],
    lang: str,
    name: str,
) -> ValidAnswers:
    if not isinstance(data, dict) or not data:
        raise AnswerFileError([f"{name}: {t('file_not_mapping', lang)}"])
    problems: list[str] = []
    valid: dict[str, Answer] = {}
    invalid: set[str] = set()
    for key, value in data.items():
        question_id = str(key)
        question = flow.by_id.get(question_id)
        if question is None:
            problems.append(f"{_shown(question_id)}: {t('unknown_question', lang, flow=flow.id)}")
            continue
        try:
            valid[question_id] = validate_answer(question, value, choices(question))
        except AnswerError as error:
            problems.append(f"{question_id}: {t(error.code, lang, **error.params)}")
            invalid.add(question_id)
    path = flow.path(valid)
    problems += [f"{q}: {t('missing_answer', lang)}" for q in path.missing if q not in invalid]
    if problems:
        raise AnswerFileError(problems)
    ignored = tuple(q.id for q in flow.questions if q.id in valid and q.id not in path.answers)
    return ValidAnswers(path.answers, ignored)


def _shown(key: str) -> str:
    """An unknown key as the line's subject: quoted when it would otherwise be invisible."""
    plain = key.strip() and key == key.strip() and ":" not in key and key.isprintable()
    return key if plain else repr(key)
