"""`boussole flows …`: check, list, show, export, diff, diagram, simulate and publish flows.

The command line is run by an operator with access to the server: `--by` is recorded in the
version and the audit log (as `cli/` and a pseudonym, see bot.actors), not checked; role
checks apply to chat commands.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import click
from rich.text import Text

from adapters.console.common import LANG, fail, open_cli_app, resolve_lang, stderr, terminal
from adapters.console.listing import FORMAT_OPTION, Column, emit
from bot.actors import shown
from bot.app import App
from bot.events import Actor
from bot.i18n import pick, t
from bot.publishing import PublishRefused, publish, simulate
from bot.versions import BUNDLED_PUBLISHER, PublishedFlow
from flows.compiled import CompiledFlow
from flows.documents import FileTooLarge, read_limited
from flows.loader import CheckResult, check_source

CHECK_FAILED = 1
UNREADABLE = 2


@click.group()
def flows() -> None:
    """Grilles de questions / question flows."""


def _read(file: Path, lang: str) -> bytes:
    """At most the size limit and one byte: /dev/zero or an endless pipe is refused (exit 2)."""
    try:
        return read_limited(file)
    except FileTooLarge as error:
        fail(f"{file}: {t('file_too_large', lang, limit=error.limit)}")
    except OSError as error:
        fail(f"{file}: {t('file_unreadable', lang, reason=error.strerror or error)}")


def _print_problems(result: CheckResult, lang: str) -> None:
    for problem in result.problems:
        click.echo(problem.render(lang))


def _checked(file: Path, lang: str, exit_code: int) -> CompiledFlow:
    """A flow without errors, or its problems printed and exit with `exit_code`."""
    result = check_source(_read(file, lang), str(file))
    _print_problems(result, lang)
    if result.flow is None:
        sys.exit(exit_code)
    return result.flow


@flows.command(name="check")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--lang", type=LANG, help="Langue / language.")
def check(file: Path, lang: str | None) -> None:
    """Vérifier un fichier de grille / check a flow file."""
    lang = resolve_lang(lang)
    result = check_source(_read(file, lang), str(file))
    _print_problems(result, lang)
    if result.flow is None:
        sys.exit(CHECK_FAILED)
    flow = result.flow
    click.echo(t("flow_ok", lang, file=file, questions=len(flow.questions), rules=len(flow.rules)))
    if result.coverage is not None:
        click.echo(result.coverage.summary(lang))


def _version(app: App, number: int | None, lang: str) -> PublishedFlow:
    with app.store.reading() as tx:
        if number is None:
            return app.catalog.latest(tx)
        record = tx.version_number(app.catalog.default_flow_id, number)
        if record is None:
            fail(t("version_unknown", lang, version=number))
        return app.catalog.get(tx, record.id)


@flows.command(name="list")
@FORMAT_OPTION
@click.option("--lang", type=LANG, help="Langue / language.")
def list_versions(output: str, lang: str | None) -> None:
    """Versions publiées / published versions."""
    lang = resolve_lang(lang)
    with open_cli_app(lang) as app, app.store.reading() as tx:
        records = [(r, shown(tx, r.published_by)) for r in tx.versions_of()]
    columns = [
        Column("flow", t("column_flow", lang), whole=True),
        Column("version", t("column_version", lang)),
        Column("sha256", "sha256", whole=True),
        Column("published_by", t("column_published_by", lang)),
        Column("published_at", t("column_published_at", lang)),
        Column("note", t("column_note", lang)),
    ]
    rows = [
        (
            {
                "flow": r.flow_id,
                "version": r.version,
                "sha256": r.sha256,
                "published_by": by,
                "published_at": r.published_at.isoformat(timespec="seconds"),
                "note": r.note,
            },
            [
                r.flow_id,
                str(r.version),
                r.sha256[:12],
                t("bundled_publisher", lang) if r.published_by == BUNDLED_PUBLISHER else by,
                r.published_at.strftime("%Y-%m-%d %H:%M"),
                t("bundled_note", lang) if r.published_by == BUNDLED_PUBLISHER else r.note,
            ],
        )
        for r, by in records
    ]
    emit(output, columns, rows)


@flows.command()
@click.option("--version", "number", type=int, help="Numéro de version / version number.")
@click.option("--lang", type=LANG, help="Langue / language.")
def show(number: int | None, lang: str | None) -> None:
    """Résumé d'une version / summary of a version."""
    lang = resolve_lang(lang)
    with open_cli_app(lang) as app:
        published = _version(app, number, lang)
        with app.store.reading() as tx:
            by = shown(tx, published.record.published_by)
    flow, record = published.flow, published.record
    console = terminal()
    console.print(t("flow_version", lang, flow=flow.id, version=record.version, sha=record.sha256))
    console.print(f"{by} · {record.published_at:%Y-%m-%d %H:%M} · {record.note}")
    for section in flow.spec.sections:
        questions = ", ".join(q.id for q in section.questions) or "—"
        rules = ", ".join(r.id for r in section.rules) or "—"
        console.print(
            Text.assemble(
                (section.id, "bold"),
                f" {pick(section.title, lang)}\n",
                f"  {t('question', lang)}: {questions}\n  {t('rule', lang)}: {rules}",
            )
        )


@flows.command()
@click.option("--version", "number", type=int, help="Numéro de version / version number.")
def export(number: int | None) -> None:
    """Le fichier publié, octet pour octet / the published file, byte for byte."""
    lang = resolve_lang(None)
    with open_cli_app(lang) as app:
        published = _version(app, number, lang)
    sys.stdout.buffer.write(published.flow.source)


@flows.command()
@click.argument("first", type=int)
@click.argument("second", type=int)
def diff(first: int, second: int) -> None:
    """Différences entre deux versions / differences between two versions."""
    lang = resolve_lang(None)
    with open_cli_app(lang) as app:
        a, b = _version(app, first, lang), _version(app, second, lang)
    lines = difflib.unified_diff(
        a.flow.source.decode("utf-8").splitlines(keepends=True),
        b.flow.source.decode("utf-8").splitlines(keepends=True),
        fromfile=f"{a.flow.id} v{first}",
        tofile=f"{b.flow.id} v{second}",
    )
    sys.stdout.writelines(lines)


@flows.command()
@click.argument("file", type=click.Path(path_type=Path), required=False)
@click.option("--version", "number", type=int, help="Une version publiée / a published version.")
@click.option(
    "--format",
    "output",
    type=click.Choice(["mermaid", "svg", "png"]),
    default="mermaid",
    show_default=True,
)
@click.option("-o", "--output-file", "out", type=click.Path(path_type=Path))
@click.option("--lang", type=LANG, help="Langue / language.")
def diagram(
    file: Path | None, number: int | None, output: str, out: Path | None, lang: str | None
) -> None:
    """Diagramme Mermaid de la grille / Mermaid diagram of the flow."""
    from flows.diagram import DiagramToolMissing, mermaid, render

    lang = resolve_lang(lang)
    if file is not None:
        flow = _checked(file, lang, UNREADABLE)
    else:
        with open_cli_app(lang) as app:
            flow = _version(app, number, lang).flow
    text = mermaid(flow, lang)
    if output != "mermaid":
        try:
            render(text, output, out or Path(f"{flow.id}.{output}"))
        except DiagramToolMissing as missing:
            fail(f"{missing.message(lang)}\n{t('diagram_not_written', lang)}", UNREADABLE)
        return
    if out is None:
        click.echo(text)
    else:
        try:
            out.write_text(text, "utf-8")
        except OSError as error:
            fail(f"{out}: {t('file_unwritable', lang, reason=error.strerror or error)}")


@flows.command(name="simulate")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--cases",
    type=click.Path(path_type=Path, file_okay=False),
    help="Dossier de fichiers de réponses / folder of answer files.",
)
@click.option("--lang", type=LANG, help="Langue / language.")
def simulate_command(file: Path, cases: Path | None, lang: str | None) -> None:
    """Rejouer les analyses passées sur une grille candidate / dry run of a candidate flow."""
    lang = resolve_lang(lang)
    candidate = _checked(file, lang, UNREADABLE)
    with open_cli_app(lang) as app:
        simulation = simulate(app, candidate, cases)
    for problem in simulation.problems:
        stderr.print(problem)
    for replayed in simulation.replays:
        click.echo(replayed.line(lang))
    if simulation.needing_answers:
        click.echo(t("simulation_new_answers", lang))
        for replayed in simulation.needing_answers:
            click.echo(replayed.missing_line(lang))
    click.echo(simulation.summary(lang))


@flows.command(name="publish")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--by", "by", required=True, help="Qui publie / who publishes.")
@click.option("--note", default="", help="Une ligne de note / a one-line note.")
@click.option(
    "--accept-changes",
    is_flag=True,
    help="Publier même si des orientations passées changent / publish anyway.",
)
@click.option("--new-flow", is_flag=True, help="Une nouvelle grille / a new flow id.")
@click.option(
    "--cases",
    type=click.Path(path_type=Path, file_okay=False),
    help="Dossier de fichiers de réponses / folder of answer files.",
)
@click.option("--lang", type=LANG, help="Langue / language.")
def publish_command(
    file: Path,
    by: str,
    note: str,
    accept_changes: bool,
    new_flow: bool,
    cases: Path | None,
    lang: str | None,
) -> None:
    """Publier une nouvelle version / publish a new version."""
    lang = resolve_lang(lang)
    candidate = _checked(file, lang, UNREADABLE)
    with open_cli_app(lang) as app:
        simulation = simulate(app, candidate, cases)
        click.echo(simulation.summary(lang))
        try:
            record = publish(
                app,
                candidate,
                Actor("cli", by),
                note.splitlines()[0] if note else "",
                simulation,
                accept_changes,
                new_flow,
                lang,
            )
        except PublishRefused as refusal:
            fail("\n".join(refusal.lines))
    click.echo(
        t("published", lang, flow=record.flow_id, version=record.version, sha=record.sha256[:12])
    )
