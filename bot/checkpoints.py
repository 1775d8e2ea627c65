"""Signed checkpoints of the audit log, and the Ed25519 keys that sign them.

A checkpoint says "the audit log of origin O had N rows, whose Merkle tree hash is R, at time
T", signed with a key kept outside the database. Whoever holds a copy can later prove that
the first N rows are unchanged: someone with write access to the database but not the key
can neither make old rows match a checkpoint again nor sign a checkpoint of their own.

The signed text is a C2SP checkpoint body (origin, size, base64 root hash, one line each)
with the timestamp and the key id as extension lines, so that no field of a checkpoint can
change without breaking its signature; the checkpoint is kept as one JSON line, which a log
collector, a file or a chat message carries unchanged.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

LOG_MARKER = "audit checkpoint "
"""What precedes the JSON of a checkpoint in a text log line, so that lines picked out of the
logs (grep) can be verified as they are."""
LOG_FIELD = "audit_checkpoint"
"""The field that holds the checkpoint in a JSON log line."""
_FIELDS = ("origin", "tree_size", "root_hash", "timestamp", "key_id", "signature")
_TAIL = 64 * 1024


class AuditKeyError(Exception):
    """A key file is absent, unreadable or not an Ed25519 key; `problem` names the catalog
    message (audit_key_<problem>)."""

    def __init__(self, problem: str, path: Path, detail: str = "") -> None:
        super().__init__(f"{path}: {problem} {detail}".strip())
        self.problem = problem
        self.path = path
        self.detail = detail


class CheckpointFileError(Exception):
    """A checkpoint file is absent, or one of its lines is not a checkpoint (line 0: the
    file itself)."""

    def __init__(self, path: Path, line: int, detail: str) -> None:
        super().__init__(f"{path}:{line}: {detail}")
        self.path = path
        self.line = line
        self.detail = detail


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    tree_size: int
    root_hash: bytes
    timestamp: str
    key_id: str
    signature: bytes

    def to_json(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "tree_size": self.tree_size,
            "root_hash": self.root_hash.hex(),
            "timestamp": self.timestamp,
            "key_id": self.key_id,
            "signature": base64.b64encode(self.signature).decode(),
        }

    def line(self) -> str:
        return json.dumps(self.to_json(), separators=(",", ":"))

    def signed_text(self) -> bytes:
        return signed_text(self.origin, self.tree_size, self.root_hash, self.timestamp, self.key_id)

    def signed_by(self, key: Ed25519PublicKey) -> bool:
        try:
            key.verify(self.signature, self.signed_text())
        except InvalidSignature:
            return False
        return True


def signed_text(origin: str, tree_size: int, root_hash: bytes, timestamp: str, key: str) -> bytes:
    root = base64.b64encode(root_hash).decode()
    return f"{origin}\n{tree_size}\n{root}\n{timestamp}\nkey {key}\n".encode()


def sign(key: Ed25519PrivateKey, origin: str, tree_size: int, root_hash: bytes) -> Checkpoint:
    if "\n" in origin:
        raise ValueError("an origin is one line")
    timestamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    signer = key_id(key.public_key())
    signature = key.sign(signed_text(origin, tree_size, root_hash, timestamp, signer))
    return Checkpoint(origin, tree_size, root_hash, timestamp, signer, signature)


def key_id(key: Ed25519PublicKey) -> str:
    """Names the key in a checkpoint, so that a verifier holding several keys (after a
    rotation) knows which one to try, and a finding can say which key signed."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def generate_key(path: Path) -> Path:
    """Write a new private key to `path` (mode 0600) and its public key beside it (`.pub`);
    never overwrite either: checkpoints signed with a lost key can no longer be checked."""
    public_path = path.with_name(path.name + ".pub")
    for existing in (path, public_path):
        if existing.exists():
            raise AuditKeyError("exists", existing)
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    try:
        _write_new(path, private_pem, 0o600)
        _write_new(public_path, public_pem, 0o644)
    except FileExistsError as error:
        raise AuditKeyError("exists", Path(error.filename or path)) from None
    except OSError as error:
        raise AuditKeyError("unreadable", path, error.strerror or str(error)) from None
    return public_path


def _write_new(path: Path, data: bytes, mode: int) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)


def load_private_key(path: Path) -> Ed25519PrivateKey:
    key = _load(path, serialization.load_pem_private_key, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise AuditKeyError("invalid", path, type(key).__name__)
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """A public key file, or a private key file (whose public half is then used)."""
    data = _read_key_file(path)
    if b"PRIVATE KEY" in data:
        return load_private_key(path).public_key()
    key = _load(path, serialization.load_pem_public_key)
    if not isinstance(key, Ed25519PublicKey):
        raise AuditKeyError("invalid", path, type(key).__name__)
    return key


def _read_key_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise AuditKeyError("missing", path) from None
    except OSError as error:
        raise AuditKeyError("unreadable", path, error.strerror or str(error)) from None


def _load(path: Path, loader: Any, **options: Any) -> Any:
    data = _read_key_file(path)
    try:
        return loader(data, **options)
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        raise AuditKeyError("invalid", path, str(error).splitlines()[0]) from None


def parse(text: str) -> Checkpoint | None:
    """One line: a checkpoint as `boussole audit checkpoint` writes it, or a log line that
    carries one; None for a blank line. Raises ValueError saying what is wrong."""
    text = text.strip()
    if not text:
        return None
    if not text.startswith("{"):
        if LOG_MARKER not in text:
            raise ValueError("no checkpoint on this line")
        text = text.split(LOG_MARKER, 1)[1]
    try:
        found = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON ({error.msg})") from None
    if isinstance(found, dict) and isinstance(found.get(LOG_FIELD), dict):
        found = found[LOG_FIELD]
    return _from_json(found)


def _from_json(found: Any) -> Checkpoint:
    if not isinstance(found, dict):
        raise ValueError("not a JSON object")
    missing = [name for name in _FIELDS if name not in found]
    if missing:
        raise ValueError("missing " + ", ".join(missing))
    origin, size = found["origin"], found["tree_size"]
    timestamp, key = found["timestamp"], found["key_id"]
    if not isinstance(origin, str) or "\n" in origin:
        raise ValueError("origin must be one line of text")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise ValueError("tree_size must be a whole number")
    if not all(isinstance(v, str) and "\n" not in v for v in (timestamp, key)):
        raise ValueError("timestamp and key_id must be one line of text")
    try:
        root = bytes.fromhex(found["root_hash"])
        signature = base64.b64decode(found["signature"], validate=True)
    except (TypeError, ValueError, binascii.Error):
        raise ValueError("root_hash must be hexadecimal and signature base64") from None
    if len(root) != 32 or len(signature) != 64:
        raise ValueError("root_hash must be 32 bytes and signature 64")
    return Checkpoint(origin, size, root, timestamp, key, signature)


def read_file(path: Path) -> list[tuple[str, Checkpoint]]:
    """(`path:line`, checkpoint) for every checkpoint in the file, in file order."""
    try:
        lines = path.read_text("utf-8").splitlines()
    except FileNotFoundError:
        raise CheckpointFileError(path, 0, "not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise CheckpointFileError(path, 0, str(error)) from None
    found: list[tuple[str, Checkpoint]] = []
    for number, text in enumerate(lines, start=1):
        try:
            checkpoint = parse(text)
        except ValueError as error:
            raise CheckpointFileError(path, number, str(error)) from None
        if checkpoint is not None:
            found.append((f"{path}:{number}", checkpoint))
    return found


def last_in_file(path: Path) -> Checkpoint | None:
    """The file's last checkpoint, reading only its end (the file grows for years); None if
    there is no file or no readable checkpoint at its end."""
    try:
        with path.open("rb") as file:
            file.seek(max(0, file.seek(0, os.SEEK_END) - _TAIL))
            tail = file.read().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return None
    for text in reversed(tail.splitlines()):
        try:
            checkpoint = parse(text)
        except ValueError:
            return None
        if checkpoint is not None:
            return checkpoint
    return None


def append(path: Path, checkpoint: Checkpoint) -> None:
    """One line per checkpoint, flushed to disk before anyone is told it exists."""
    with path.open("a", encoding="utf-8") as file:
        file.write(checkpoint.line() + "\n")
        file.flush()
        os.fsync(file.fileno())
