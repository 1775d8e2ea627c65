"""The `boussole` command. Exit codes follow contracts/cli.md: 0 done, 2 invalid input or
settings (nothing written), 1 an unexpected internal error."""

from __future__ import annotations

import contextlib
import errno
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console

from adapters.console.common import (
    INTERNAL,
    LANG,
    console_actor,
    fail,
    open_cli_app,
    resolve_lang,
    stderr,
    terminal,
)
from adapters.console.help import ReaderGroup, reader_lang, speak_the_readers_language
from adapters.console.lazy import LazyCommands
from adapters.console.listing import FORMAT_OPTION, Column, emit
from adapters.console.prompts import ArrowPrompter, LinePrompter, Prompter
from bot.i18n import t
from bot.settings import SettingsError

if TYPE_CHECKING:
    from adapters.server import Platform, ServeOptions


@click.group(cls=ReaderGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="boussole-ia")
def cli() -> None:
    """Boussole : analyse des projets d'IA selon la doctrine de Nantes Métropole.
    / Triage of AI projects under the Nantes Métropole AI doctrine."""


@cli.command()
@click.option(
    "--answers",
    "answers_file",
    type=click.Path(path_type=Path),
    help="Fichier de réponses YAML ou JSON / YAML or JSON answer file.",
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Avec --answers / with --answers.",
)
@click.option(
    "--lang", type=LANG, help="Langue, français par défaut / language, French by default."
)
@click.option(
    "--resume", "resume_id", metavar="ID", help="Reprendre une analyse / resume a triage."
)
@click.option(
    "--plain",
    is_flag=True,
    help="Réponses tapées plutôt que flèches / typed answers instead of arrow keys.",
)
def triage(
    answers_file: Path | None, output: str, lang: str | None, resume_id: str | None, plain: bool
) -> None:
    """Mener une analyse dans le terminal / run a triage in the terminal."""
    lang = resolve_lang(lang)
    if answers_file is not None:
        if resume_id:
            fail(f"--resume, --answers: {t('usage_answers_resume', lang)}")
        _triage_from_file(answers_file, output, lang)
        return
    console = terminal()
    prompter = _prompter(plain, console)
    if resume_id is None and isinstance(prompter, ArrowPrompter):
        from adapters.console.first_question import triage_from_cache

        early = triage_from_cache(lang, prompter, console)
        if early is not None:
            sys.exit(early)
    sys.exit(_triage_in_terminal(lang, resume_id, prompter, console))


def _triage_in_terminal(
    lang: str, resume_id: str | None, prompter: Prompter, console: Console
) -> int:
    """A triage whose first question comes from the engine; a new one's is kept for the next
    (adapters.console.first_question)."""
    from adapters.console.first_question import remember
    from adapters.console.interactive import go_on, run_interactive
    from bot.events import StartTriage

    actor = console_actor()
    with open_cli_app(lang) as app:
        if resume_id is not None:
            return run_interactive(app.engine, actor, lang, resume_id, prompter, console)
        effects = app.engine.handle(StartTriage(actor, lang))
        remember(app.settings, lang, effects)
        return go_on(app.engine, actor, lang, effects, prompter, console)


@cli.command()
@click.argument("triage_id", metavar="ID")
@click.option("--lang", type=LANG, help="Langue / language.")
def cancel(triage_id: str, lang: str | None) -> None:
    """Annuler une analyse en cours / cancel a triage in progress."""
    from adapters.console.render import show_effect
    from bot import effects as fx
    from bot import events as ev

    lang = resolve_lang(lang)
    with open_cli_app(lang) as app:
        effects = app.engine.handle(ev.Cancel(console_actor(), lang, triage_id=triage_id))
    console = terminal()
    for effect in effects:
        if isinstance(effect, fx.Info | fx.Error):
            show_effect(console, effect, lang)
    sys.exit(0 if "cancelled" in fx.codes(effects) else 2)


def _prompter(plain: bool, console: Console) -> Prompter:
    if not plain and sys.stdin.isatty() and sys.stdout.isatty():
        return ArrowPrompter()
    return LinePrompter(console)


def _triage_from_file(path: Path, output: str, lang: str) -> None:
    from adapters.console.render import show_result
    from bot.answer_file import AnswerFileError, read_answer_file, validate_answers

    try:
        data = read_answer_file(path, lang)
    except AnswerFileError as error:
        fail("\n".join(error.lines))
    with open_cli_app(lang) as app:
        with app.store.reading() as tx:
            published = app.catalog.latest(tx)
        try:
            valid = validate_answers(published.flow, data, app.engine.choices, lang, str(path))
        except AnswerFileError as error:
            fail("\n".join(error.lines))
        view = app.engine.submit(console_actor(), lang, published, valid.answers, valid.ignored)
    if output == "json":
        click.echo(json.dumps(view.document(), ensure_ascii=False, indent=2))
    else:
        show_result(terminal(), view, lang)


@cli.command()
@click.argument("triage_id", metavar="ID")
@click.option(
    "--answers",
    "answers_file",
    type=click.Path(path_type=Path),
    help="Les réponses à changer (YAML/JSON) / the answers to change.",
)
@click.option(
    "--ask",
    "reask",
    multiple=True,
    metavar="QUESTION",
    help="Reposer cette question (répétable) / ask this question again (repeatable).",
)
@click.option("--lang", type=LANG, help="Langue / language.")
@click.option("--plain", is_flag=True, help="Réponses tapées / typed answers.")
def retriage(
    triage_id: str, answers_file: Path | None, reask: tuple[str, ...], lang: str | None, plain: bool
) -> None:
    """Refaire une analyse terminée en changeant des réponses / re-triage a finished one."""
    from adapters.console.interactive import run_interactive
    from bot.answer_file import AnswerFileError, read_answer_file
    from bot.events import ChangeAnswers

    lang = resolve_lang(lang)
    if answers_file is None and not reask:
        fail(t("retriage_how", lang))
    changes: dict[str, object] = {}
    if answers_file is not None:
        try:
            read = read_answer_file(answers_file, lang)
        except AnswerFileError as error:
            fail("\n".join(error.lines))
        if not isinstance(read, dict):
            fail(f"{answers_file}: {t('file_not_mapping', lang)}")
        changes = {str(k): v for k, v in read.items()}
    console = terminal()
    with open_cli_app(lang) as app:
        event = ChangeAnswers(
            console_actor(), lang, triage_id=triage_id, answers=changes, reask=reask
        )
        code = run_interactive(
            app.engine, console_actor(), lang, None, _prompter(plain, console), console, first=event
        )
    sys.exit(code)


LIST_LIMIT = 50
"""The most recent triages `list` shows (as many as it always has)."""


@cli.command(name="list")
@FORMAT_OPTION
@click.option("--lang", type=LANG, help="Langue / language.")
def list_triages(output: str, lang: str | None) -> None:
    """Lister vos analyses / list your triages."""
    from bot.listings import my_triages

    lang = resolve_lang(lang)
    with open_cli_app(lang) as app:
        triages = my_triages(app, console_actor(), lang, LIST_LIMIT)
    if not triages and output == "table":
        terminal().print(t("list_empty", lang))
        return
    columns = [
        Column("id", t("column_id", lang), whole=True),
        Column("project", t("column_project", lang)),
        Column("status", t("column_status", lang)),
        Column("outcome", t("orientation", lang)),
        Column("updated_at", t("column_updated", lang)),
    ]
    rows = [
        (
            {
                "id": row.id,
                "project": row.project,
                "status": row.status,
                "outcome": row.outcome,
                "updated_at": row.updated_at.isoformat(timespec="seconds"),
            },
            [
                row.id,
                row.project,
                t(f"status_{row.status}", lang),
                row.outcome_label,
                row.updated_at.strftime("%Y-%m-%d %H:%M"),
            ],
        )
        for row in triages
    ]
    emit(output, columns, rows, title=t("list_title", lang))


@cli.command()
@click.argument("triage_id", metavar="ID")
@click.option(
    "--format",
    "output",
    type=click.Choice(["md", "html", "pdf", "json"]),
    default="md",
    show_default=True,
)
@click.option(
    "-o",
    "--output-file",
    "out",
    type=click.Path(path_type=Path),
    help="Fichier de sortie / output file (PDF: report-ID.pdf by default).",
)
@click.option("--lang", type=LANG, help="Langue / language.")
def report(triage_id: str, output: str, out: Path | None, lang: str | None) -> None:
    """Rapport d'une analyse terminée / report of a finished triage."""
    from bot import effects as fx
    from bot.report import markdown_report
    from bot.report_facts import report_header
    from bot.report_html import html_report
    from bot.report_pdf import pdf_report
    from bot.visibility import visible_result

    lang = resolve_lang(lang)
    with open_cli_app(lang) as app:
        found = visible_result(app, console_actor(), triage_id, lang)
    if isinstance(found, fx.Error):
        in_progress = found.code == "result_in_progress"
        fail(t("report_in_progress", lang, id=triage_id) if in_progress else found.text)
    view = found.view
    header = report_header(view, found.record, found.review, found.revised_by)
    if output == "pdf":
        target = out or Path(f"report-{triage_id}.pdf")
        _write(target, pdf_report(view, header, lang), lang)
        click.echo(str(target))
        return
    if output == "json":
        document = view.document() | {"report": header.document()}
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    elif output == "html":
        text = html_report(view, header, lang)
    else:
        text = markdown_report(view, header, lang)
    if out is None:
        click.echo(text, nl=False)
    else:
        _write(out, text.encode("utf-8"), lang)


def _write(target: Path, content: bytes, lang: str) -> None:
    """A file that cannot be written where asked is the reader's to fix (exit 2, saying why),
    not an internal error."""
    try:
        target.write_bytes(content)
    except OSError as error:
        fail(f"{target}: {t('file_unwritable', lang, reason=error.strerror or error)}")


def _platforms(lang: str, options: ServeOptions) -> list[Platform]:
    """Every platform whose settings are complete; one line for each one skipped."""
    from adapters.server import PLATFORM_MODULES, load_platform, missing_module

    platforms = []
    for name in PLATFORM_MODULES:
        platform = load_platform(name)
        try:
            missing = platform.missing_setting(options)
        except SettingsError as error:
            fail(t("setting_invalid", lang, name=error.name, detail=error.explained(lang)))
        if missing:
            stderr.print(t("platform_skipped", lang, platform=name, setting=missing))
            continue
        module = missing_module(platform)
        if module is not None:
            fail(
                t(
                    "platform_extra_missing",
                    lang,
                    platform=name,
                    module=module,
                    extra=platform.extra,
                )
            )
        platforms.append(platform)
    if not platforms:
        fail(t("no_platform", lang))
    return platforms


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option(
    "--slack-socket-mode",
    is_flag=True,
    help="Slack en Socket Mode (SLACK_APP_TOKEN) / Slack over Socket Mode.",
)
@click.option("--lang", type=LANG, help="Langue des messages / language of messages.")
def serve(host: str, port: int, slack_socket_mode: bool, lang: str | None) -> None:
    """Serveur Slack, Teams et Matrix / Slack, Teams and Matrix server."""
    from aiohttp import web
    from aiohttp.log import access_logger

    from adapters.server import ServeOptions, build_server
    from bot.logs import configure_logging

    lang = resolve_lang(lang)
    options = ServeOptions(host=host, port=port, slack_socket_mode=slack_socket_mode)
    platforms = _platforms(lang, options)
    with open_cli_app(lang) as app, _refused_at_start(lang), _listening(host, port, lang):
        configure_logging(app.settings.log_format)
        web.run_app(
            build_server(app, platforms, options),
            host=host,
            port=port,
            print=lambda line: stderr.print(line),
            access_log=access_logger if app.settings.access_log else None,
        )


@contextlib.contextmanager
def _refused_at_start(lang: str) -> Iterator[None]:
    """A platform that cannot start with its settings (a homeserver that does not answer, a
    token it refuses) names the setting, as a missing one does, and stops with exit 2."""
    try:
        yield
    except SettingsError as error:
        fail(t("setting_invalid", lang, name=error.name, detail=error.explained(lang)))


@contextlib.contextmanager
def _listening(host: str, port: int, lang: str) -> Iterator[None]:
    """A port taken, reserved or on an address this machine does not have is the deployer's
    to fix (exit 2, naming it), not an internal error."""
    try:
        yield
    except OSError as error:
        if error.errno not in (errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL):
            raise
        reason = t(f"listen_{errno.errorcode[error.errno].lower()}", lang)
        fail(t("listen_refused", lang, host=host, port=port, reason=reason))


@cli.command()
@click.option("--lang", type=LANG, help="Langue des messages / language of messages.")
def worker(lang: str | None) -> None:
    """Envoi des notifications et tâches périodiques, sans serveur HTTP / notifications and
    periodic duties, without an HTTP server."""
    import asyncio

    from adapters.server import ServeOptions, run_worker
    from bot.logs import configure_logging

    lang = resolve_lang(lang)
    options = ServeOptions()
    platforms = _platforms(lang, options)
    with open_cli_app(lang) as app, _refused_at_start(lang):
        configure_logging(app.settings.log_format)
        asyncio.run(run_worker(app, platforms, options))


speak_the_readers_language(cli)
cli.commands = LazyCommands(
    cli.commands,
    {
        "flows": "adapters.console.flows_cli:flows",
        "directory": "adapters.console.directory_cli:directory",
        "admins": "adapters.console.directory_cli:admins",
        "teams": "adapters.console.teams_cli:teams",
        "slack": "adapters.console.slack_cli:slack",
        "audit": "adapters.console.audit_cli:audit",
        "export": "adapters.console.records_cli:export",
        "privacy": "adapters.console.records_cli:privacy",
        "outbox": "adapters.console.records_cli:outbox",
        "stats": "adapters.console.records_cli:stats",
        "register": "adapters.console.register_cli:register",
        "review": "adapters.console.review_cli:review",
    },
    speak_the_readers_language,
)
"""The administration groups, imported when a command line names one (adapters.console.lazy)."""


def main() -> None:
    """Entry point: any error not foreseen above is an internal error (exit 1), never a
    traceback mixed into the output a script reads."""
    try:
        cli(standalone_mode=True)
    except SystemExit:
        raise
    except Exception as error:  # the last resort of the command line
        detail = f"{type(error).__name__}: {error}"
        fail(t("internal_error", reader_lang(sys.argv[1:]), detail=detail), INTERNAL)
