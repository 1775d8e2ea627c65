"""Listings of the `boussole` command: a table for people, or `--format json` for scripts.

A rich table squeezes its columns to the terminal's width (80 when piped) and would cut ids
short; JSON keeps every value whole, with ids and outcome names as the contract spells them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import click

from adapters.console.common import terminal

FORMAT_OPTION = click.option(
    "--format",
    "output",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Tableau ou JSON pour les scripts / table, or JSON for scripts.",
)


@dataclass(frozen=True)
class Column:
    key: str
    """The JSON field."""
    header: str
    """The table's header, in the reader's language."""
    whole: bool = False
    """Never cut nor wrapped (ids a reader copies)."""


def emit(
    output: str,
    columns: Sequence[Column],
    rows: Sequence[tuple[dict[str, Any], Sequence[str]]],
    title: str | None = None,
) -> None:
    """Each row is its JSON record and the cells a person reads, in the columns' order."""
    if output == "json":
        click.echo(json.dumps([record for record, _ in rows], ensure_ascii=False, indent=2))
        return
    from rich.table import Table  # not for a triage, which imports this module for its option

    table = Table(title=title)
    for column in columns:
        table.add_column(column.header, no_wrap=column.whole)
    for _, cells in rows:
        table.add_row(*cells)
    terminal().print(table)
