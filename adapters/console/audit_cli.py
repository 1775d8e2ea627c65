"""`boussole audit`: verify the audit log, make the key that signs its checkpoints, sign one.

Exit codes: 0 the log is intact, 1 it was altered (or a checkpoint was refused because it
was), 2 bad input (a key or checkpoint file that is missing or is not one).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from adapters.console.common import LANG, fail, open_cli_app, resolve_lang, stderr
from bot import checkpoints as cp
from bot.audit import Finding, verify
from bot.audit_log import (
    CheckpointRefused,
    LogReport,
    said,
    stored_checkpoints,
    take_checkpoint,
    verify_log,
)
from bot.flow_integrity import verify_flows
from bot.i18n import t

FILE = click.Path(path_type=Path, dir_okay=False)


@click.group()
def audit() -> None:
    """Journal d'audit / audit log."""


@audit.command(name="verify")
@click.option(
    "--checkpoint",
    "checkpoint_files",
    multiple=True,
    type=FILE,
    help="Fichier de points de contrôle (répétable) ; par défaut BOUSSOLE_AUDIT_CHECKPOINT_FILE "
    "/ checkpoint file (repeatable); default: BOUSSOLE_AUDIT_CHECKPOINT_FILE.",
)
@click.option(
    "--public-key",
    "public_keys",
    multiple=True,
    type=FILE,
    help="Clé publique (répétable, après un changement de clé) ; par défaut celle de "
    "BOUSSOLE_AUDIT_KEY_FILE / public key (repeatable, after a key change); default: that of "
    "BOUSSOLE_AUDIT_KEY_FILE.",
)
@click.option("--lang", type=LANG, help="Langue / language.")
def audit_verify(
    checkpoint_files: tuple[Path, ...], public_keys: tuple[Path, ...], lang: str | None
) -> None:
    """Vérifier les chaînes et les points de contrôle signés / verify the hash chains and the
    signed checkpoints (exit 1 if altered)."""
    lang = resolve_lang(lang)
    keys = [_public_key(path, lang) for path in public_keys]
    sources = [found for path in checkpoint_files for found in _read(path, lang)]
    from_database = False
    with open_cli_app(lang) as app, app.store.reading() as tx:
        settings = app.settings
        if not keys and settings.audit_key_file is not None:
            keys = [_private_key(settings.audit_key_file, lang).public_key()]
        configured = settings.audit_checkpoint_file
        if not checkpoint_files and configured is not None and configured.exists():
            sources = _read(configured, lang)
        elif not checkpoint_files and keys:
            sources = stored_checkpoints(tx)
            from_database = bool(sources)
        if sources and not keys:
            fail(t("audit_no_public_key", lang))
        rows, findings = verify(tx)
        versions, flow_findings = verify_flows(tx)
        report = verify_log(tx, sources, keys) if sources else None
    _show_chains(findings, lang)
    for found in flow_findings:
        problem = t(f"audit_flow_{found.problem}", lang)
        click.echo(t("audit_flow_finding", lang, flow=found.flow, problem=problem))
    if not flow_findings:
        click.echo(t("audit_flows_ok", lang, count=versions))
    problems = len(findings) + len(flow_findings)
    if report is None:
        click.echo(t("audit_log_none", lang))
    else:
        problems += _show_log(report, from_database, lang)
    if problems:
        click.echo(t("audit_failed", lang, count=problems, rows=t("audit_rows", lang, count=rows)))
        sys.exit(1)
    click.echo(t("audit_ok", lang, count=rows))


def _show_chains(findings: list[Finding], lang: str) -> None:
    for finding in findings:
        click.echo(
            t(
                "audit_finding",
                lang,
                chain=finding.chain,
                seq=finding.seq,
                id=finding.row_id,
                problem=t(f"audit_{finding.problem}", lang),
            )
        )


def _show_log(report: LogReport, from_database: bool, lang: str) -> int:
    if from_database:
        click.echo(t("audit_log_from_database", lang))
    for finding in report.findings:
        click.echo(said(f"audit_log_{finding.problem}", finding.params, lang))
    if report.checked:
        click.echo(
            t(
                "audit_log_ok",
                lang,
                count=report.checked,
                covered=t("audit_rows", lang, count=report.covered),
                at=report.latest,
            )
        )
    if report.unprotected:
        click.echo(t("audit_log_unprotected", lang, count=report.unprotected))
    return len(report.findings)


@audit.command(name="keygen")
@click.argument("path", type=FILE)
@click.option("--lang", type=LANG, help="Langue / language.")
def audit_keygen(path: Path, lang: str | None) -> None:
    """Créer la clé qui signe les points de contrôle (FICHIER et FICHIER.pub) / create the key
    that signs checkpoints (FILE and FILE.pub)."""
    lang = resolve_lang(lang)
    try:
        public = cp.generate_key(path)
    except cp.AuditKeyError as error:
        fail(t(f"audit_key_{error.problem}", lang, path=error.path, detail=error.detail))
    click.echo(t("audit_keygen_done", lang, private=path, public=public))


@audit.command(name="checkpoint")
@click.option("--lang", type=LANG, help="Langue / language.")
def audit_checkpoint(lang: str | None) -> None:
    """Signer un point de contrôle du journal et l'afficher / sign a checkpoint of the log and
    print it (BOUSSOLE_AUDIT_KEY_FILE, BOUSSOLE_AUDIT_CHECKPOINT_FILE)."""
    lang = resolve_lang(lang)
    with open_cli_app(lang) as app:
        if app.settings.audit_key_file is None:
            fail(t("audit_checkpoint_needs_key", lang))
        key = _private_key(app.settings.audit_key_file, lang)
        file = app.settings.audit_checkpoint_file
        try:
            signed = take_checkpoint(app.store, key, file, only_if_grown=False)
        except CheckpointRefused as refused:
            fail(said(refused.key, refused.params, lang), code=1)
    click.echo(signed.line())
    if file is None:
        stderr.print(said("audit_checkpoint_keep", {"size": signed.tree_size}, lang), markup=False)
    else:
        done = said("audit_checkpoint_done", {"size": signed.tree_size, "file": file}, lang)
        stderr.print(done, markup=False)


def _private_key(path: Path, lang: str) -> Ed25519PrivateKey:
    try:
        return cp.load_private_key(path)
    except cp.AuditKeyError as error:
        fail(t(f"audit_key_{error.problem}", lang, path=error.path, detail=error.detail))


def _public_key(path: Path, lang: str) -> Ed25519PublicKey:
    try:
        return cp.load_public_key(path)
    except cp.AuditKeyError as error:
        fail(t(f"audit_key_{error.problem}", lang, path=error.path, detail=error.detail))


def _read(path: Path, lang: str) -> list[tuple[str, cp.Checkpoint]]:
    try:
        return cp.read_file(path)
    except cp.CheckpointFileError as error:
        if error.line == 0 and not path.exists():
            fail(t("audit_checkpoint_file_missing", lang, path=path))
        if error.line == 0:
            fail(t("audit_checkpoint_file_unreadable", lang, path=path, detail=error.detail))
        fail(
            t(
                "audit_checkpoint_file_invalid",
                lang,
                path=path,
                line=error.line,
                detail=error.detail,
            )
        )
