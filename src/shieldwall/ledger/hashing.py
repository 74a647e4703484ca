"""RFC 6962 / RFC 9162 hashing and RFC 8785 canonical JSON for ledger entries."""

from __future__ import annotations

import hashlib
import json
import math
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


_MAX_SAFE_INT = 2**53 - 1
_BMP_END = "\U00010000"


def _plain(value: Any) -> bool:
    """True when ``json.dumps(sort_keys=True)`` writes exactly the RFC 8785 bytes: floats only
    where ECMAScript prints them as Python does, integers within 2^53, and keys inside the Basic
    Multilingual Plane (JCS sorts keys by UTF-16 code units, Python by code points; the two
    orders differ only against characters outside the BMP). A hypothesis test holds the two
    paths to the same bytes."""
    if value is None or isinstance(value, (bool, str)):
        return True
    if isinstance(value, int):
        return -_MAX_SAFE_INT <= value <= _MAX_SAFE_INT
    if isinstance(value, float):
        # Python's repr and ECMAScript's shortest form agree on non-integral finite floats in
        # [1e-4, 1e16): both are the shortest round-trip digits in plain decimal notation.
        return math.isfinite(value) and not value.is_integer() and 1e-4 <= abs(value) < 1e16
    if isinstance(value, dict):
        return all(
            isinstance(k, str) and (not k or max(k) < _BMP_END) and _plain(v)
            for k, v in value.items()
        )
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    return False


def _fast_jcs(value: Any) -> bytes | None:
    if not _plain(value):
        return None
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: let the reference implementation refuse
        return None


def canonical_json(value: Any, *, max_bytes: int = MAX_ENTRY_BYTES) -> bytes:
    """The RFC 8785 (JCS) bytes of ``value``; the only form in which entries are stored.

    Plain values (the ledger's own entries are) take a path through the C JSON encoder that is
    three times faster than the pure-Python ``rfc8785`` package and gives the same bytes;
    anything else goes through ``rfc8785``."""
    fast = _fast_jcs(value)
    if fast is not None:
        if len(fast) > max_bytes:
            raise _too_large(len(fast), max_bytes)
        return fast
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
        raise _too_large(len(data), max_bytes)
    return data


def _too_large(size: int, limit: int) -> InputError:
    return InputError(
        f"the entry is {size} bytes of canonical JSON; the limit is {limit}",
        code="ledger.entry_too_large",
        hint="Record a digest of large content, not the content itself.",
    )


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
