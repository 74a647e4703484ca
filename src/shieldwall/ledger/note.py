"""C2SP signed notes and tlog checkpoints, with Ed25519 keys.

Formats (https://c2sp.org/signed-note, https://c2sp.org/tlog-checkpoint), compatible with Go's
``golang.org/x/mod/sumdb/note``:

- key ID: the first 4 bytes of SHA-256(name || 0x0A || 0x01 || public key)
- verifier key: ``<name>+<key ID hex>+<base64(0x01 || public key)>``
- signing key file: ``PRIVATE+KEY+<name>+<key ID hex>+<base64(0x01 || seed)>``
- note: text ending in a newline, a blank line, then lines ``— <name> <base64(key ID || sig)>``
- checkpoint text: origin, decimal tree size, base64 root hash, optional extension lines.

The signed bytes are kept as the exact text received (never re-serialized before checking).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from shieldwall.core.errors import InputError, VerificationError

ED25519 = 0x01
SIG_PREFIX = "\u2014 "
MAX_NOTE_BYTES = 1 << 20
MAX_SIGNATURES = 100


def _bad_note(message: str, *, code: str = "ledger.bad_checkpoint") -> VerificationError:
    return VerificationError(
        message,
        code=code,
        hint="A checkpoint is the exact text printed by `shieldwall ledger checkpoint` or "
        "served at /api/v1/ledger/checkpoint; pass the file unchanged.",
    )


def _check_name(name: str) -> None:
    if not name or "+" in name or any(c.isspace() for c in name):
        raise InputError(
            f"{name!r} cannot name a signing key",
            code="ledger.bad_key_name",
            hint="A key name is the log origin, like example.org/ledger: no spaces, no '+'.",
        )


def key_id(name: str, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([ED25519]) + public_key).digest()[:4]


@dataclass(frozen=True, slots=True)
class Verifier:
    """A public key that checks signatures in notes, identified by name and key ID."""

    name: str
    key_hash: bytes
    public_key: bytes

    @classmethod
    def parse(cls, text: str) -> Verifier:
        """Parse a verifier key ``<name>+<hex id>+<base64>``."""
        parts = text.strip().split("+", 2)
        if len(parts) != 3:
            raise _bad_note(
                "a verifier key has three parts joined by '+': name, key ID, key",
                code="ledger.bad_public_key",
            )
        name, hex_id, b64 = parts
        try:
            raw = base64.b64decode(b64, validate=True)
            key_hash = bytes.fromhex(hex_id)
        except (binascii.Error, ValueError) as exc:
            raise _bad_note(
                f"the verifier key is not valid: {exc}", code="ledger.bad_public_key"
            ) from exc
        if len(key_hash) != 4 or len(raw) != 33 or raw[0] != ED25519:
            raise _bad_note(
                "the verifier key is not an Ed25519 note key", code="ledger.bad_public_key"
            )
        if key_id(name, raw[1:]) != key_hash:
            raise _bad_note(
                "the verifier key's ID does not match its name and key",
                code="ledger.bad_public_key",
            )
        return cls(name=name, key_hash=key_hash, public_key=raw[1:])

    def encode(self) -> str:
        key = base64.b64encode(bytes([ED25519]) + self.public_key).decode()
        return f"{self.name}+{self.key_hash.hex()}+{key}"

    def verify(self, message: bytes, signature: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except InvalidSignature:
            return False
        return True


class Signer:
    """An Ed25519 note signer. The seed never leaves this object except through ``encode``."""

    def __init__(self, name: str, seed: bytes) -> None:
        _check_name(name)
        self.name = name
        self._key = Ed25519PrivateKey.from_private_bytes(seed)
        public = self._key.public_key().public_bytes_raw()
        self.verifier = Verifier(name=name, key_hash=key_id(name, public), public_key=public)

    @classmethod
    def generate(cls, name: str) -> Signer:
        return cls(name, Ed25519PrivateKey.generate().private_bytes_raw())

    @classmethod
    def parse(cls, text: str) -> Signer:
        parts = text.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise InputError(
                "not a note signing key",
                code="ledger.bad_signing_key",
                hint="The key file is PRIVATE+KEY+<name>+<id>+<key>.",
            )
        raw = base64.b64decode(parts[4])
        if len(raw) != 33 or raw[0] != ED25519:
            raise InputError("not an Ed25519 signing key", code="ledger.bad_signing_key")
        signer = cls(parts[2], raw[1:])
        if signer.verifier.key_hash.hex() != parts[3]:
            raise InputError(
                "the signing key's ID does not match it", code="ledger.bad_signing_key"
            )
        return signer

    def encode(self) -> str:
        seed = self._key.private_bytes_raw()
        b64 = base64.b64encode(bytes([ED25519]) + seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.verifier.key_hash.hex()}+{b64}"

    def sign_note(self, text: str) -> str:
        """Sign ``text`` (must end in a newline and hold no blank line) as a note."""
        if not text.endswith("\n") or "\n\n" in text:
            raise InputError(
                "a note's text must end with one newline and hold no blank line",
                code="ledger.bad_note",
            )
        sig = self._key.sign(text.encode())
        line = base64.b64encode(self.verifier.key_hash + sig).decode()
        return f"{text}\n{SIG_PREFIX}{self.name} {line}\n"


def open_note(note: str | bytes, verifier: Verifier) -> str:
    """Return the note's text if ``verifier`` signed it; raise otherwise."""
    raw = note.encode() if isinstance(note, str) else note
    if len(raw) > MAX_NOTE_BYTES:
        raise _bad_note(f"the note is {len(raw)} bytes; notes are at most {MAX_NOTE_BYTES}")
    try:
        text_all = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _bad_note(f"the note is not UTF-8 (byte {exc.start})") from exc
    split = text_all.rfind("\n\n")
    if split < 0:
        raise _bad_note("the note has no signature block (a blank line, then signatures)")
    text, sigs = text_all[: split + 1], text_all[split + 2 :]
    if not sigs.endswith("\n"):
        raise _bad_note("the note's last signature line is truncated")
    lines = sigs[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise _bad_note(f"the note has {len(lines)} signatures; at most {MAX_SIGNATURES}")
    for number, line in enumerate(lines, start=1):
        if not line.startswith(SIG_PREFIX):
            raise _bad_note(f"signature line {number} does not start with '— '")
        name, _, b64 = line[len(SIG_PREFIX) :].partition(" ")
        try:
            blob = base64.b64decode(b64, validate=True)
        except binascii.Error as exc:
            raise _bad_note(f"signature line {number} is not base64") from exc
        if not name or len(blob) < 5:
            raise _bad_note(f"signature line {number} is malformed")
        if name == verifier.name and blob[:4] == verifier.key_hash:
            if verifier.verify(text.encode(), blob[4:]):
                return text
            raise _bad_note(
                f"the signature by {name} does not verify: the checkpoint was altered or forged",
                code="ledger.bad_signature",
            )
    raise _bad_note(
        f"the note carries no signature by {verifier.name}+{verifier.key_hash.hex()}",
        code="ledger.unknown_signer",
    )


@dataclass(frozen=True, slots=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def text(self) -> str:
        lines = [
            self.origin,
            str(self.size),
            base64.b64encode(self.root).decode(),
            *self.extensions,
        ]
        return "\n".join(lines) + "\n"

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        if not text.endswith("\n"):
            raise _bad_note("the checkpoint text does not end with a newline")
        lines = text[:-1].split("\n")
        if len(lines) < 3:
            raise _bad_note("a checkpoint has an origin, a size and a root hash line")
        origin, size_s, root_s, *ext = lines
        if not size_s.isdigit() or (size_s.startswith("0") and size_s != "0"):
            raise _bad_note(f"the tree size {size_s!r} is not a decimal number")
        try:
            root = base64.b64decode(root_s, validate=True)
        except binascii.Error as exc:
            raise _bad_note("the root hash is not base64") from exc
        if len(root) != 32 or not origin:
            raise _bad_note("the checkpoint has no origin or a root hash that is not 32 bytes")
        if any(not e for e in ext):
            raise _bad_note("the checkpoint has an empty extension line")
        return cls(origin=origin, size=int(size_s), root=root, extensions=tuple(ext))


def open_checkpoint(note: str | bytes, verifier: Verifier) -> Checkpoint:
    """Verify a signed checkpoint and return it; its origin must be the verifier's name."""
    cp = Checkpoint.parse(open_note(note, verifier))
    if cp.origin != verifier.name:
        raise _bad_note(f"the checkpoint's origin {cp.origin!r} is not the key's {verifier.name!r}")
    return cp


def load_or_create_signer(directory: Path, origin: str | None) -> Signer:
    """The log's signing key, generated on first start and kept (mode 0600) in ``directory``."""
    path = directory / "signing.key"
    if path.exists():
        signer = Signer.parse(path.read_text())
        if origin and origin != signer.name:
            raise InputError(
                f"the ledger key belongs to origin {signer.name!r}, not {origin!r}",
                code="ledger.origin_mismatch",
                hint="A log's origin cannot change; unset SHIELDWALL_LEDGER_ORIGIN or use a new "
                "data directory.",
            )
        return signer
    directory.mkdir(parents=True, exist_ok=True)
    name = origin or f"shieldwall.local/ledger/{os.urandom(4).hex()}"
    signer = Signer.generate(name)
    tmp = directory / f".signing.key.{os.getpid()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(signer.encode() + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    try:
        os.link(tmp, path)  # fails if another process created the key first: use theirs
    except FileExistsError:
        return Signer.parse(path.read_text())
    finally:
        tmp.unlink()
    (directory / "signing.pub").write_text(signer.verifier.encode() + "\n")
    return signer
