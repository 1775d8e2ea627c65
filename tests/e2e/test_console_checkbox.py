"""Ticking boxes in the terminal ends in the reader's language, not questionary's English."""

from __future__ import annotations

import pexpect

from tests.e2e.test_console_pty import keys, spawn

DOWN = "\x1b[B"


def test_several_boxes_are_summed_up_in_french(cli_env: dict[str, str]) -> None:
    child = spawn(["triage"], cli_env)
    child.expect("Écrivez votre réponse")
    keys(child, "Cantines\r")
    child.expect("flèches ou numéro")
    keys(child, "1\r")
    child.expect("Écrivez votre réponse")
    keys(child, "Prévoir les repas.\r")
    for _ in ("DI1", "C1-Q1"):
        child.expect("flèches ou numéro")
        keys(child, "2\r")
    child.expect("Entrée pour valider")
    keys(child, " " + DOWN + " \r")
    child.expect("✓")
    closing = child.before
    child.expect("Santé,")
    child.expect("Origine")
    child.expect("flèches ou numéro")
    keys(child, "\x03")
    child.expect(pexpect.EOF)
    assert "selections" not in closing and "done" not in closing
