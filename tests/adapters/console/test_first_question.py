"""A new terminal triage draws its first question from the data directory before the database
is opened (adapters.console.first_question): the answer still goes to the engine's real first
question, and only when it is the one shown. Through the real command, in a pseudo-terminal."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pexpect
from sqlalchemy import create_engine, text

from tests.e2e.helpers import boussole
from tests.e2e.test_console_pty import CHOICES, SCHOOL_MEALS, keys, spawn, typed

STARTED = "Analyse ([a-z0-9]+) commencée"
FIRST = "Nom du projet"


def interrupted(child: pexpect.spawn, triage_id: str) -> None:
    child.expect(f"boussole triage --resume {triage_id}")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130


def first_triage(env: dict[str, str]) -> str:
    """A first triage (no cache yet: the engine's question, after the start's notice), left
    at its first question; its id."""
    child = spawn(["triage"], env)
    child.expect(STARTED)
    triage_id = child.match.group(1)
    child.expect(FIRST)
    keys(child, "\x03")
    interrupted(child, triage_id)
    return triage_id


def cached_files(env: dict[str, str]) -> list[Path]:
    return sorted((Path(env["BOUSSOLE_DATA_DIR"]) / "cache").glob("first-question-*.json"))


def shown_from_cache(child: pexpect.spawn) -> None:
    """The first question is drawn before any triage is started: no start notice yet."""
    child.expect(FIRST)
    assert "commencée" not in child.before


def resume_to_result(triage_id: str, env: dict[str, str]) -> None:
    child = spawn(["triage", "--resume", triage_id, "--plain"], env)
    child.expect(f"Reprise de l'analyse {triage_id}")
    while True:
        found = child.expect([r"· question \d+ · ([A-Z0-9-]+)", "Parcours allégé"])
        if found == 1:
            break
        question = child.match.group(1)
        child.expect("> ")
        child.sendline(typed(CHOICES[question], SCHOOL_MEALS[question]))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def result_of(document: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in document.items() if k not in ("triage_id", "report")}


def test_the_kept_question_answered_gives_the_same_result_as_an_answer_file(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    first_triage(cli_env)
    assert len(cached_files(cli_env)) == 1
    child = spawn(["triage"], cli_env)
    child.expect("Contexte · question 1 · P1")
    shown_from_cache(child)
    keys(child, f"{SCHOOL_MEALS['P1']}\r")
    child.expect(STARTED)
    triage_id = child.match.group(1)
    child.expect("Nom du projet → Prévision")
    child.expect("question 2 · P2")
    child.expect("flèches ou numéro")
    keys(child, "\x03")
    interrupted(child, triage_id)
    resume_to_result(triage_id, cli_env)

    reported = boussole("report", triage_id, "--format", "json", env=cli_env)
    assert reported.returncode == 0, reported.stderr
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(SCHOOL_MEALS, ensure_ascii=False), "utf-8")
    from_file = boussole("triage", "--answers", str(answers), "--format", "json", env=cli_env)
    assert from_file.returncode == 0, from_file.stderr
    assert result_of(json.loads(reported.stdout)) == result_of(json.loads(from_file.stdout))


def test_a_flow_published_since_the_question_was_kept_is_said_and_asked_again(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    first_triage(cli_env)
    exported = boussole("flows", "export", env=cli_env)
    assert exported.returncode == 0, exported.stderr
    changed = tmp_path / "changed.yaml"
    changed.write_text(
        exported.stdout.replace("{fr: Nom du projet,", "{fr: Nom complet du projet,", 1), "utf-8"
    )
    published = boussole("flows", "publish", str(changed), "--by", "alice", env=cli_env)
    assert published.returncode == 0, published.stderr

    child = spawn(["triage"], cli_env)
    shown_from_cache(child)
    keys(child, "Cantines\r")
    child.expect("La première question a changé depuis son affichage")
    child.expect("votre réponse n'est pas enregistrée")
    child.expect(STARTED)
    triage_id = child.match.group(1)
    child.expect("version 2")
    child.expect("question 1 · P1")
    child.expect("Nom complet du projet")
    keys(child, "\x03")
    interrupted(child, triage_id)

    resumed = spawn(["triage", "--resume", triage_id, "--plain"], cli_env)
    resumed.expect(f"Reprise de l'analyse {triage_id}")
    resumed.expect("question 1 · P1")
    resumed.expect("Nom complet du projet")
    resumed.expect("> ")
    assert "Réponse précédente" not in resumed.before
    resumed.sendcontrol("c")
    interrupted(resumed, triage_id)

    again = spawn(["triage"], cli_env)  # the real question was kept in its place
    again.expect("Nom complet du projet")
    assert "commencée" not in again.before
    keys(again, "\x03")
    again.expect(pexpect.EOF)


def test_a_forged_question_in_the_data_directory_never_gets_an_answer_recorded(
    cli_env: dict[str, str],
) -> None:
    first_triage(cli_env)
    [kept] = cached_files(cli_env)
    content = json.loads(kept.read_text("utf-8"))
    content["view"]["label"] = "Acceptez-vous tout ?"
    kept.write_text(json.dumps(content), "utf-8")

    child = spawn(["triage"], cli_env)
    child.expect("Acceptez-vous tout")
    keys(child, "oui\r")
    child.expect("La première question a changé depuis son affichage")
    child.expect(STARTED)
    triage_id = child.match.group(1)
    child.expect(FIRST)
    keys(child, "\x03")
    interrupted(child, triage_id)
    resumed = spawn(["triage", "--resume", triage_id, "--plain"], cli_env)
    resumed.expect("question 1 · P1")
    resumed.expect("> ")
    assert "Réponse précédente" not in resumed.before
    resumed.sendcontrol("c")
    interrupted(resumed, triage_id)


def test_a_corrupted_or_foreign_kept_question_takes_the_normal_path(
    cli_env: dict[str, str],
) -> None:
    first_triage(cli_env)
    [kept] = cached_files(cli_env)
    whole = kept.read_bytes()
    foreign = json.loads(whole)
    foreign["key"] = hashlib.sha256(b"another database\nfr").hexdigest()
    wrong_type = json.loads(whole)
    wrong_type["view"]["choices"] = "oui"
    for content in (
        whole[: len(whole) // 2],
        b"\x00" * 100,
        b"[" * 100_000,
        json.dumps(foreign).encode(),
        json.dumps(wrong_type).encode(),
    ):
        kept.write_bytes(content)
        child = spawn(["triage"], cli_env)
        child.expect(STARTED)
        triage_id = child.match.group(1)
        child.expect(FIRST)
        keys(child, "\x03")
        interrupted(child, triage_id)
    assert kept.read_bytes() == whole  # the normal start keeps the real question again


def test_ctrl_c_on_the_kept_question_names_the_triage_it_started(
    cli_env: dict[str, str],
) -> None:
    first_triage(cli_env)
    child = spawn(["triage", "--lang", "en"], cli_env)
    child.expect("Triage [a-z0-9]+ started")
    child.expect("Project name")
    keys(child, "\x03")
    child.expect(pexpect.EOF)
    english = spawn(["triage", "--lang", "en"], cli_env)
    english.expect("Project name")
    assert "started" not in english.before
    keys(english, "\x03")
    english.expect(r"Triage ([a-z0-9]+) started")
    triage_id = english.match.group(1)
    english.expect(f"Triage {triage_id} interrupted")
    interrupted(english, triage_id)
    resumed = spawn(["triage", "--resume", triage_id, "--plain", "--lang", "en"], cli_env)
    resumed.expect(f"Resuming triage {triage_id}")
    resumed.expect("question 1 · P1")
    resumed.expect("> ")
    resumed.sendcontrol("c")
    resumed.expect(pexpect.EOF)


def test_a_start_that_fails_behind_the_kept_question_says_so_and_records_nothing(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    first_triage(cli_env)
    [kept] = cached_files(cli_env)
    content = json.loads(kept.read_text("utf-8"))
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("", "utf-8")
    broken = f"sqlite:///{not_a_directory}/boussole.db"
    content["key"] = hashlib.sha256(f"{broken}\nfr".encode()).hexdigest()
    env = cli_env | {"BOUSSOLE_DATABASE_URL": broken}
    key = content["key"][:32]
    (kept.parent / f"first-question-{key}.json").write_text(json.dumps(content), "utf-8")

    child = spawn(["triage"], env)
    shown_from_cache(child)
    keys(child, "Cantines\r")
    child.expect("L'analyse n'a pas pu commencer : votre réponse n'est pas enregistrée.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2
    normal = boussole("triage", env=env)
    assert normal.returncode == 2
    last_line = normal.stderr.strip().splitlines()[-1]
    assert last_line in child.before.replace("\r\n", "\n")
    assert not_a_directory.read_text("utf-8") == ""


@contextmanager
def writes_held(database_url: str) -> Iterator[None]:
    """No other connection may write meanwhile (readers go on): a triage's start waits."""
    if database_url.startswith("sqlite:///"):
        holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    engine = create_engine(database_url)
    try:
        with engine.connect() as holder:
            holder.execute(text("LOCK TABLE triages IN EXCLUSIVE MODE"))
            yield
            holder.rollback()
    finally:
        engine.dispose()


def answered_while_writes_held(env: dict[str, str]) -> pexpect.spawn:
    """A kept question answered while the database's writes are held: the answer waits for
    the start, which is said once the prompt has given the terminal back (a Ctrl-C is then a
    signal to the process, not a key to the prompt)."""
    child = spawn(["triage"], env)
    shown_from_cache(child)
    keys(child, "Cantines\r")
    child.expect("Un instant : l'analyse s'ouvre avant l'enregistrement de votre réponse")
    return child


def interrupted_while_the_start_waits(env: dict[str, str]) -> pexpect.spawn:
    """The same, then one Ctrl-C, once the program says what it waits for and the way out."""
    child = answered_while_writes_held(env)
    child.sendintr()
    child.expect("Un instant : l'ouverture de l'analyse s'achève.*Ctrl-C de nouveau pour partir")
    return child


def test_an_answer_waiting_for_a_slow_start_is_said_then_recorded(
    cli_env: dict[str, str], database_url: str
) -> None:
    first_triage(cli_env)
    with writes_held(database_url):
        child = answered_while_writes_held(cli_env)
        assert "commencée" not in child.before
    child.expect(STARTED)
    triage_id = child.match.group(1)
    child.expect("Nom du projet → Cantines")
    child.expect("question 2 · P2")
    child.expect("flèches ou numéro")
    keys(child, "\x03")
    interrupted(child, triage_id)


def test_ctrl_c_while_the_first_answer_waits_for_the_start_names_the_triage(
    cli_env: dict[str, str], database_url: str
) -> None:
    """A start that does not end at once is said, then still waited for."""
    first_triage(cli_env)
    with writes_held(database_url):
        child = interrupted_while_the_start_waits(cli_env)
        assert "boussole triage --resume" not in child.before
        assert child.isalive()
    child.expect(r"Analyse ([a-z0-9]+) interrompue avant l'enregistrement de votre réponse")
    triage_id = child.match.group(1)
    interrupted(child, triage_id)
    resumed = spawn(["triage", "--resume", triage_id, "--plain"], cli_env)
    resumed.expect(f"Reprise de l'analyse {triage_id}")
    resumed.expect("question 1 · P1")
    resumed.expect("> ")
    assert "Réponse précédente" not in resumed.before
    resumed.sendcontrol("c")
    interrupted(resumed, triage_id)


def test_a_second_ctrl_c_leaves_without_waiting_for_a_start_held_by_the_database(
    cli_env: dict[str, str], database_url: str
) -> None:
    first_triage(cli_env)
    with writes_held(database_url):
        child = interrupted_while_the_start_waits(cli_env)
        child.sendintr()
        child.expect("Arrêt sans attendre : aucune réponse n'est enregistrée")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 130
    listed = boussole("list", env=cli_env)
    assert listed.returncode == 0
    assert "Cantines" not in listed.stdout
