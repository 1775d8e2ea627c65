"""Unbounded reads (issue #12, defect 8): answer, flow and directory files are read as at most
the size limit and one byte, whatever they are (/dev/zero, /dev/urandom, a pipe that never
ends), and hostile answer files (deep, an alias bomb, a 5,000-digit number) are refused like
malformed ones: exit 2 with one line naming the file and the problem, never "Erreur interne"."""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path

import pytest

from bot.answer_file import AnswerFileError, read_answer_file
from bot.directory import load_directory
from flows.limits import MAX_FLOW_BYTES
from flows.problems import FlowError
from tests.e2e.helpers import boussole
from tests.security import hostile

LIMIT = f"{MAX_FLOW_BYTES}"


def refusal(path: Path, lang: str = "fr") -> str:
    with pytest.raises(AnswerFileError) as raised:
        read_answer_file(path, lang)
    (line,) = raised.value.lines
    assert line.startswith(f"{path}: ")
    return line


def test_dev_zero_answers_is_refused_naming_the_limit(cli_env: dict[str, str]) -> None:
    french = boussole("triage", "--answers", "/dev/zero", env=cli_env)
    assert french.returncode == 2, french.stderr
    assert f"dépasse la limite de {LIMIT} octets" in french.stderr
    english = boussole("triage", "--answers", "/dev/zero", "--lang", "en", env=cli_env)
    assert english.returncode == 2, english.stderr
    assert f"over the limit of {LIMIT} bytes" in english.stderr
    assert "Erreur interne" not in french.stderr + english.stderr


def test_dev_zero_flows_check_is_refused_naming_the_limit(cli_env: dict[str, str]) -> None:
    done = boussole("flows", "check", "/dev/zero", "--lang", "en", env=cli_env)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"/dev/zero: file refused: it is over the limit of {LIMIT}")


def test_dev_urandom_answers_is_refused_naming_the_limit() -> None:
    assert LIMIT in refusal(Path("/dev/urandom"), "en")


def test_fifo_that_never_ends_is_read_only_to_the_limit(tmp_path: Path) -> None:
    """A writer that never stops: the reader takes the limit and one byte, then closes, and
    the writer learns it (EPIPE) having written no more than that and what the pipe holds."""
    fifo = tmp_path / "answers.yaml"
    os.mkfifo(fifo)
    written = 0
    chunk = b"P1: x\n" * 1024

    def write_forever() -> None:
        nonlocal written
        with fifo.open("wb", buffering=0) as pipe:
            capacity = fcntl.fcntl(pipe.fileno(), fcntl.F_GETPIPE_SZ)
            try:
                while written < 50 * MAX_FLOW_BYTES:
                    written += pipe.write(chunk)
            except BrokenPipeError:
                pass
            else:
                raise AssertionError("the reader read on and on")
        assert written <= MAX_FLOW_BYTES + 1 + capacity + len(chunk)

    writer = threading.Thread(target=write_forever)
    writer.start()
    try:
        assert f"{MAX_FLOW_BYTES} bytes" in refusal(fifo, "en")
    finally:
        writer.join(timeout=60)  # a safety net, not a timing
    assert not writer.is_alive() and written > MAX_FLOW_BYTES


def test_a_file_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_bytes(b"P1: x\n" + b"#" * (MAX_FLOW_BYTES - 6))
    assert read_answer_file(path, "fr") == {"P1": "x"}
    path.write_bytes(path.read_bytes() + b"#")
    assert LIMIT in refusal(path)


def test_deep_nesting_json_answer_file_is_refused(tmp_path: Path, cli_env: dict[str, str]) -> None:
    path = tmp_path / "answers.json"
    path.write_bytes(hostile.deep_json_answers(100_000))
    assert "ligne 1 : le document a plus de 64 niveaux d'imbrication" in refusal(path)
    done = boussole("triage", "--answers", str(path), "--lang", "en", env=cli_env)
    assert done.returncode == 2, done.stderr
    assert "file refused, line 1: the document is nested more than 64 levels" in done.stderr


def test_deep_nesting_yaml_answer_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_bytes(b"P1: " + hostile.deep_brackets(100_000))
    assert "line 1: the document is nested more than 64 levels" in refusal(path, "en")
    path.write_bytes(hostile.deep_block_sequences(100))
    assert "line 65: the document is nested" in refusal(path, "en")


def test_alias_bomb_answer_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    lines = ["l0: &l0 [oui]"]
    lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 10)]
    path.write_text("\n".join(lines), "utf-8")
    assert "more than 30000 values, each alias counted" in refusal(path, "en")


def test_tags_in_an_answer_file_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text("P1: !!python/object/apply:os.system [id]\n", "utf-8")
    assert "line 1: YAML tags (!!python/object/apply:os.system)" in refusal(path, "en")


@pytest.mark.parametrize("name", ["answers.json", "answers.yaml"])
def test_a_5000_digit_number_in_an_answer_file_is_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text('{"C4-Q5": ' + "1" * 5_000 + "}", "utf-8")
    assert "4300 digits" in refusal(path, "en")


def test_hostile_flow_files_get_checker_lines_not_an_internal_error(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    """`flows check` prints the problem as `FILE:LINE: error:` (exit 1, the flow has errors);
    the commands that load a flow to use it refuse it with exit 2 (contracts/cli.md)."""
    path = tmp_path / "bomb.yaml"
    path.write_bytes(hostile.alias_bomb())
    checked = boussole("flows", "check", str(path), env=cli_env)
    assert checked.returncode == 1, checked.stderr
    (line,) = checked.stdout.splitlines()
    assert line.startswith(f"{path}:") and ": error: le document contient plus de" in line
    deep = tmp_path / "deep.yaml"
    deep.write_bytes(hostile.deep_brackets(100_000))
    published = boussole("flows", "publish", str(deep), "--by", "x", env=cli_env)
    assert published.returncode == 2, published.stderr
    assert f"{deep}:1: error: le document a plus de 64 niveaux" in published.stdout
    assert "Erreur interne" not in checked.stderr + published.stderr


def test_the_directory_file_is_read_only_to_the_limit() -> None:
    with pytest.raises(FlowError) as raised:
        load_directory(Path("/dev/zero"))
    assert "over 1 MB" in str(raised.value)
