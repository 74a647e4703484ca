"""RFC 6962 / RFC 9162 hashing and RFC 8785 canonical JSON for ledger entries."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import rfc8785

from shieldwall.core.errors import InputError, ParseError

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()
MAX_ENTRY_BYTES = 64 * 1024


def leaf_hash(data: bytes) -> bytes:
    """MTH of one entry: SHA-256(0x00 || data) (RFC 6962 section 2.1)."""
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """An interior node: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def canonical_json(value: Any, *, max_bytes: int = MAX_ENTRY_BYTES) -> bytes:
    """The RFC 8785 (JCS) bytes of ``value``; the only form in which entries are stored."""
    try:
        data = bytes(rfc8785.dumps(value))
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
        raise InputError(
            f"this value cannot be written as canonical JSON: {exc}",
            code="ledger.entry_not_json",
            hint="Entries must be JSON objects of strings, numbers, booleans, null, "
            "arrays and objects; integers must fit in 53 bits and floats must be finite.",
        ) from exc
    if len(data) > max_bytes:
        raise InputError(
            f"the entry is {len(data)} bytes of canonical JSON; the limit is {max_bytes}",
            code="ledger.entry_too_large",
            hint="Record a digest of large content, not the content itself.",
        )
    return data


def parse_json_object(text: str, *, source: str = "input") -> dict[str, Any]:
    """Parse untrusted JSON text that must be an object, with a located error."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(
            f"not valid JSON: {exc.msg}",
            code="ledger.bad_json",
            location=f"{source}:{exc.lineno}:{exc.colno}",
            hint='Pass one JSON object, for example --json \'{"k": "v"}\'.',
        ) from exc
    if not isinstance(value, dict):
        raise ParseError(
            f"expected a JSON object, got {type(value).__name__}",
            code="ledger.bad_json",
            location=source,
            hint='Wrap the value in an object, for example {"value": ...}.',
        )
    return value


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
