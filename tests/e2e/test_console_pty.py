"""The interactive triage as a person types it, through a pseudo-terminal."""

from __future__ import annotations

import pexpect

from bot.directory import load_directory
from flows.loader import load_bundled
from tests.cases import load_cases
from tests.e2e.helpers import BOUSSOLE, REPO

SCHOOL_MEALS = dict(load_cases(valid=True))["01-school-meals-grid-example"]["answers"]
CHOICES = {
    q.id: [c.id for c in (load_directory(None).choices if q.spec.choices_from else q.choices)]
    for q in load_bundled().questions
}
TIMEOUT = 600
"""Only a guard against a hung child: every key is sent once the child is reading it (the
prompt drawn, and for arrow prompts the terminal in raw mode), never after a delay."""


def spawn(args: list[str], env: dict[str, str]) -> pexpect.spawn:
    env = {**env, "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"}
    return pexpect.spawn(
        BOUSSOLE[0],
        [*BOUSSOLE[1:], *args],
        env=env,
        cwd=str(REPO),
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(50, 120),
    )


def keys(child: pexpect.spawn, text: str) -> None:
    """Keys for an arrow-key prompt, once prompt_toolkit reads the terminal raw (echo off):
    typed earlier, a Ctrl-C would be a signal and `?` or `<` would wait for a newline."""
    child.waitnoecho()
    child.send(text)


def typed(question_choices: list[str], answer: object) -> str:
    """What a person types at the line prompt for `answer`."""
    if isinstance(answer, list):
        return ",".join(str(question_choices.index(a) + 1) for a in answer)
    if question_choices and isinstance(answer, str) and answer in question_choices:
        return str(question_choices.index(answer) + 1)
    return str(answer)


def test_arrow_key_triage_in_french_why_back_and_ctrl_c_keeps_answers(
    cli_env: dict[str, str],
) -> None:
    child = spawn(["triage"], cli_env)
    child.expect("Analyse ([a-z0-9]+) commencée")
    triage_id = child.match.group(1)
    child.expect("Contexte · question 1")
    child.expect("Nom du projet")
    child.expect("Écrivez votre réponse")
    keys(child, "Cantines\r")
    child.expect("question 2")
    child.expect("flèches ou numéro")
    keys(child, "1\r")
    child.expect("question 3")
    child.expect("Écrivez votre réponse")
    keys(child, "Prévoir les repas.\r")
    child.expect("question 4")
    child.expect("flèches ou numéro")
    keys(child, "?")
    child.expect("Référence")
    child.expect("flèches ou numéro")
    keys(child, "<")
    child.expect("question 3")
    child.expect("Écrivez votre réponse")
    keys(child, "\x03")
    child.expect(f"boussole triage --resume {triage_id}")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    resumed = spawn(["triage", "--resume", triage_id, "--plain"], cli_env)
    resumed.expect(f"Reprise de l'analyse {triage_id}")
    resumed.expect("question 3")
    resumed.expect("> ")
    resumed.sendcontrol("c")
    resumed.expect(f"boussole triage --resume {triage_id}")
    resumed.expect(pexpect.EOF)


def test_typed_triage_in_english_to_its_result(cli_env: dict[str, str]) -> None:
    child = spawn(["triage", "--plain", "--lang", "en"], cli_env)
    child.expect("Triage [a-z0-9]+ started")
    for _ in range(len(SCHOOL_MEALS)):
        child.expect(r"· question \d+ · ([A-Z0-9-]+)")
        question = child.match.group(1)
        child.expect("> ")
        child.sendline(typed(CHOICES[question], SCHOOL_MEALS[question]))
    child.expect("Light track")
    child.expect("C5-R3")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
