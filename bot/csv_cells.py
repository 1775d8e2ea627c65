"""Cells of a CSV file that a spreadsheet shows as text, never runs.

A project's name and its descriptions are typed by agents, and the register's CSV goes to
anyone who downloads it: a cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage
return is read by Excel and LibreOffice as a formula (`=HYPERLINK(...)` sends the sheet's
cells away; older versions ran commands). As OWASP recommends, such a cell is written with a
leading apostrophe, which the spreadsheet shows as text and does not display.
"""

from __future__ import annotations

from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: Any) -> Any:
    """`value`, or its text behind an apostrophe when a spreadsheet would run it."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value
