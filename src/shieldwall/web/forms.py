"""Parsers of what browsers send: form fields, uploaded files and query strings.

Everything here reads untrusted input; each parser returns a plain value or raises
``InputError`` with the field as its location (hypothesis holds them to that). What a field
means is the capabilities' business: these only turn browser shapes into their requests.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from shieldwall.core.errors import InputError

MAX_NEXT_CHARS = 500
MAX_DECISIONS_PAGE = 100
ANSWERS = ("yes", "no", "unsure")
_CAPABILITY = re.compile(r"^[a-z0-9_]+(?:\.[a-z0-9_]+)*$")
_INDEX = re.compile(r"^[0-9]{1,15}$")


def field_text(
    form: Mapping[str, object], name: str, *, max_chars: int, required: bool = True
) -> str:
    """A text field, stripped of surrounding white space; ``""`` when absent and optional."""
    value = form.get(name)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InputError(f"{name} must be text", code="web.bad_field", location=name)
    value = value.strip()
    if required and not value:
        raise InputError(
            f"{name} is empty", code="web.empty_field", location=name, hint="Fill it in."
        )
    if len(value) > max_chars:
        raise InputError(
            f"{name} has {len(value)} characters; at most {max_chars}",
            code="web.field_too_long",
            location=name,
        )
    return value


def safe_next(value: object) -> str:
    """Where to go after signing in: a path on this site, never another site (``//host``,
    ``/\\host`` and schemes are refused: an open redirect would lend our name to phishing)."""
    if not isinstance(value, str) or not 0 < len(value) <= MAX_NEXT_CHARS:
        return "/"
    if not value.startswith("/") or value.startswith(("//", "/\\")):
        return "/"
    if any(ord(c) < 0x21 or ord(c) == 0x7F or c == "\\" for c in value):
        return "/"
    return value


def checkup_answers(form: Mapping[str, object], questions: tuple[str, ...]) -> dict[str, str]:
    """The checkup's radio buttons: ``{question id: yes|no|unsure}`` for the known questions
    that were answered; anything else in the form is ignored."""
    answers: dict[str, str] = {}
    for qid in questions:
        value = form.get(qid)
        if value is None or value == "":
            continue
        if not isinstance(value, str) or value not in ANSWERS:
            raise InputError(
                f"the answer to {qid} must be yes, no or unsure",
                code="web.bad_answer",
                location=qid,
            )
        answers[qid] = value
    return answers


def decode_upload(data: bytes, *, name: str = "file", max_bytes: int) -> str:
    """An uploaded text file (an .eml) as text: UTF-8 with a BOM dropped; bytes that are not
    UTF-8 become U+FFFD, exactly as the JSON API's raw upload does."""
    if not data.strip():
        raise InputError(
            "the file is empty", code="web.empty_file", location=name, hint="Choose a .eml file."
        )
    if len(data) > max_bytes:
        raise InputError(
            f"the file has {len(data)} bytes; at most {max_bytes}",
            code="web.file_too_large",
            location=name,
        )
    return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")


def parse_index(value: object, *, name: str = "index") -> int:
    """A ledger index typed by a person: decimal digits only."""
    if not isinstance(value, str) or not _INDEX.fullmatch(value.strip()):
        raise InputError(
            "an entry number is a whole number, 0 or more",
            code="web.bad_index",
            location=name,
        )
    return int(value.strip())


@dataclass(frozen=True, slots=True, kw_only=True)
class DecisionQuery:
    capability: str | None
    limit: int
    before: int | None


def decision_query(params: Mapping[str, str]) -> DecisionQuery:
    """The ledger explorer's search: ``capability``, ``limit`` and ``before`` (older than)."""
    capability = (params.get("capability") or "").strip() or None
    if capability is not None and (len(capability) > 100 or not _CAPABILITY.fullmatch(capability)):
        raise InputError(
            f"{capability[:100]!r} is not a capability id (like protect.url)",
            code="web.bad_capability",
            location="capability",
        )
    limit_text = (params.get("limit") or "").strip() or "20"
    if not limit_text.isdigit() or not limit_text.isascii() or len(limit_text) > 4:
        raise InputError("limit must be a whole number", code="web.bad_limit", location="limit")
    limit = min(max(int(limit_text), 1), MAX_DECISIONS_PAGE)
    before_text = (params.get("before") or "").strip()
    before = parse_index(before_text, name="before") if before_text else None
    return DecisionQuery(capability=capability, limit=limit, before=before)


__all__ = [
    "ANSWERS",
    "DecisionQuery",
    "checkup_answers",
    "decision_query",
    "decode_upload",
    "field_text",
    "parse_index",
    "safe_next",
]
