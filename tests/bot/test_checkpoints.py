"""Checkpoint lines and key files come from outside (files, logs, an auditor's copy): any
line is read as a checkpoint or refused with a reason, and any change to a signed line
breaks its signature."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from bot import checkpoints as cp

KEY = Ed25519PrivateKey.generate()
SIGNED = cp.sign(KEY, "boussole-audit/0123456789abcdef", 1234, bytes(range(32)))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(st.text())
def test_any_line_is_a_checkpoint_or_refused_with_a_reason(line: str) -> None:
    try:
        cp.parse(line)
    except ValueError as error:
        assert str(error)


@given(st.dictionaries(st.sampled_from([*cp.Checkpoint.__dataclass_fields__]), JSON_VALUES))
def test_any_json_object_is_a_checkpoint_or_refused_with_a_reason(fields: dict) -> None:
    try:
        cp.parse(json.dumps(fields))
    except ValueError as error:
        assert str(error)


@given(st.integers(0, 10**12), st.binary(min_size=32, max_size=32), st.text(min_size=1))
def test_a_signed_checkpoint_reads_back_and_verifies(size: int, root: bytes, name: str) -> None:
    origin = name.replace("\n", " ").replace("\r", " ")
    signed = cp.sign(KEY, origin, size, root)
    assert cp.parse(signed.line()) == signed
    assert cp.parse(f"2026-01-01 INFO bot.audit_log: {cp.LOG_MARKER}{signed.line()}") == signed
    assert signed.signed_by(KEY.public_key())


@given(st.data())
def test_changing_any_character_of_a_signed_line_breaks_it(data: st.DataObject) -> None:
    line = SIGNED.line()
    at = data.draw(st.integers(0, len(line) - 1))
    replacement = data.draw(st.sampled_from(string.printable).filter(lambda c: c != line[at]))
    try:
        changed = cp.parse(line[:at] + replacement + line[at + 1 :])
    except ValueError:
        return
    assert changed in (SIGNED, None) or not changed.signed_by(KEY.public_key())


def test_keygen_writes_a_private_key_only_its_owner_reads_and_never_overwrites(
    tmp_path: Path,
) -> None:
    private = tmp_path / "audit.key"
    public = cp.generate_key(private)
    assert private.stat().st_mode & 0o777 == 0o600
    assert cp.load_public_key(public) == cp.load_private_key(private).public_key()
    assert cp.load_public_key(private) == cp.load_public_key(public)
    before = private.read_bytes()
    with pytest.raises(cp.AuditKeyError) as refused:
        cp.generate_key(private)
    assert refused.value.problem == "exists" and private.read_bytes() == before


def test_a_key_that_is_not_ed25519_is_refused_with_a_reason(tmp_path: Path) -> None:
    other = tmp_path / "ec.pem"
    other.write_bytes(
        generate_private_key(SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a key", "utf-8")
    for path, problem in ((other, "invalid"), (garbage, "invalid"), (tmp_path / "no", "missing")):
        with pytest.raises(cp.AuditKeyError) as refused:
            cp.load_private_key(path)
        assert refused.value.problem == problem
