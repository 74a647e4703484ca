"""Is a password in breach data, and how strong is it?

The breach check is the k-anonymity range protocol of Pwned Passwords: the password is hashed
with SHA-1, only the first 5 hex digits of the hash leave the machine (with ``Add-Padding: true``
so the answer's size says nothing either), and the returned suffixes are compared here. The range
source is either an HIBP-compatible range API or an offline store built from a downloaded Pwned
Passwords file (``shieldwall protect password import``), which this module can also serve.

The password itself is never logged, stored or returned; only its strength estimate (zxcvbn) and
the breach count are.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Protocol

import httpx

from shieldwall import __version__
from shieldwall.core.errors import ExitCode, InputError, ParseError, ShieldwallError
from shieldwall.protect.verdict import Assessment, Signal, Verdict, assess

PREFIX_LEN = 5
SUFFIX_LEN = 35
MAX_PASSWORD_CHARS = 1024
STRENGTH_CHARS = 72  # zxcvbn refuses longer input (and slows down near it); the tail adds little
MAX_RANGE_BYTES = 4 << 20
MANIFEST = "MANIFEST.json"
STORE_FORMAT = "shieldwall-pwned-ranges"
_PREFIX = re.compile(r"^[0-9A-F]{5}$")
_RANGE_LINE = re.compile(r"^([0-9A-F]{35}):(\d{1,12})$")
_PWNED_LINE = re.compile(r"^([0-9A-Fa-f]{40})(?::(\d{1,12}))?$")

ADVICE: dict[Verdict, tuple[str, ...]] = {
    Verdict.SAFE: (
        "Keep it unique: use this password for one account only, and keep it in a password "
        "manager.",
    ),
    Verdict.SUSPICIOUS: (
        "Choose a longer one: four or more random words, or let a password manager make one.",
        "Turn on two-step verification for the accounts that use it.",
    ),
    Verdict.DANGEROUS: (
        "Stop using this password. Change it now on every account where you used it, starting "
        "with your e-mail.",
        "Use a password manager so that each account gets its own strong password.",
        "Turn on two-step verification, so a leaked password alone cannot open your account.",
    ),
}


@dataclass(eq=False)
class RangeServiceError(ShieldwallError):
    """The breach range service could not be reached or answered nonsense."""

    code: str = "protect.password.range"
    http_status: ClassVar[int] = 502
    exit_code: ClassVar[ExitCode] = ExitCode.INTERNAL
    title: ClassVar[str] = "Breach range service unavailable"


def sha1_hex(password: str) -> str:
    return hashlib.sha1(password.encode("utf-8"), usedforsecurity=False).hexdigest().upper()


class RangeSource(Protocol):
    """Where the suffixes for a 5-hex-digit prefix come from."""

    @property
    def name(self) -> str: ...

    def suffixes(self, prefix: str) -> Mapping[str, int]:
        """``{SUFFIX (35 upper-case hex): count}``; padding rows (count 0) may be present."""
        ...


def parse_range(text: str, *, source: str) -> dict[str, int]:
    """An HIBP range body: ``SUFFIX:COUNT`` lines (CRLF or LF)."""
    out: dict[str, int] = {}
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = _RANGE_LINE.match(line.upper())
        if match is None:
            raise RangeServiceError(
                f"the range answer has a malformed line {lineno}",
                code="protect.password.bad_range",
                location=f"{source}:{lineno}",
            )
        out[match.group(1)] = max(out.get(match.group(1), 0), int(match.group(2)))
    return out


class HttpRangeSource:
    """An HIBP-compatible range API: ``GET {base_url}/range/{prefix}`` with padding on."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout_s: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._timeout = timeout_s
        self._transport = transport

    @property
    def name(self) -> str:
        return f"range API {self.base_url}"

    def suffixes(self, prefix: str) -> Mapping[str, int]:
        if not _PREFIX.match(prefix):
            raise InputError("a range prefix is 5 hex digits", code="protect.password.bad_prefix")
        url = f"{self.base_url}/range/{prefix}"
        headers = {"Add-Padding": "true", "User-Agent": f"shieldwall/{__version__}"}
        try:
            with httpx.Client(
                timeout=self._timeout, transport=self._transport, follow_redirects=False
            ) as client:
                response = client.get(url, headers=headers)
        except httpx.HTTPError as exc:
            raise RangeServiceError(
                f"cannot reach the breach range service at {self.base_url}: {type(exc).__name__}",
                code="protect.password.range_unreachable",
                hint="Check the URL (SHIELDWALL_PROTECT_RANGE_API_URL) and the network, or use "
                "an offline store (`shieldwall protect password import`).",
            ) from exc
        if response.status_code != 200:
            raise RangeServiceError(
                f"the breach range service answered HTTP {response.status_code}",
                code="protect.password.range_status",
            )
        if len(response.content) > MAX_RANGE_BYTES:
            raise RangeServiceError(
                "the breach range answer is too large", code="protect.password.range_too_large"
            )
        return parse_range(response.text, source=url)


class OfflineRangeStore:
    """Range files under a directory: ``ABC/ABCDE.txt`` holds ``SUFFIX:COUNT`` lines."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def name(self) -> str:
        return f"offline store {self.root}"

    def exists(self) -> bool:
        return (self.root / MANIFEST).is_file()

    def manifest(self) -> dict[str, Any]:
        try:
            data = json.loads((self.root / MANIFEST).read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(
                f"{self.root} is not a breach range store",
                code="protect.password.no_store",
                hint="Build one with `shieldwall protect password import FILE`.",
            ) from exc
        if not isinstance(data, dict) or data.get("format") != STORE_FORMAT:
            raise InputError(
                f"{self.root} is not a breach range store", code="protect.password.no_store"
            )
        return data

    def _path(self, prefix: str) -> Path:
        return self.root / prefix[:3] / f"{prefix}.txt"

    def suffixes(self, prefix: str) -> Mapping[str, int]:
        if not _PREFIX.match(prefix):
            raise InputError("a range prefix is 5 hex digits", code="protect.password.bad_prefix")
        self.manifest()
        path = self._path(prefix)
        if not path.is_file():
            return {}
        try:
            text = path.read_text("ascii")
        except (OSError, UnicodeDecodeError) as exc:
            raise RangeServiceError(
                f"cannot read {path}: {exc}", code="protect.password.store_unreadable"
            ) from exc
        return parse_range(text, source=str(path))

    def serve(self, prefix: str, *, pad_to: int = 800) -> str:
        """The range as an HIBP-format body, padded with random count-0 rows to ``pad_to``."""
        rows = dict(self.suffixes(prefix))
        while len(rows) < pad_to:
            rows.setdefault(secrets.token_hex(18)[:SUFFIX_LEN].upper(), 0)
        return "".join(f"{s}:{c}\r\n" for s, c in sorted(rows.items()))


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportReport:
    hashes: int
    prefixes: int
    store: Path


def import_pwned_file(
    lines: Iterable[str],
    root: Path,
    *,
    source: str,
    flush_every: int = 200_000,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Build an offline range store at ``root`` from Pwned-Passwords lines (``SHA1[:COUNT]``).

    All or nothing: it is built beside ``root`` and swapped in only when every line parsed; the
    first bad line raises :class:`ParseError` at ``source:line`` and leaves ``root`` as it was.
    """
    root.parent.mkdir(parents=True, exist_ok=True)
    tmp = root.parent / f".{root.name}.import-{secrets.token_hex(4)}"
    tmp.mkdir()
    buffered: dict[str, list[str]] = {}
    pending = 0
    total = 0
    try:
        for lineno, raw in enumerate(lines, start=1):
            line = raw.strip()
            if not line:
                continue
            match = _PWNED_LINE.match(line)
            if match is None:
                raise ParseError(
                    "expected a SHA-1 hash (40 hex digits), optionally ':' and a count",
                    code="protect.password.bad_line",
                    location=f"{source}:{lineno}",
                    hint="Use the 'SHA-1, ordered by hash' Pwned Passwords download.",
                )
            digest = match.group(1).upper()
            count = match.group(2) or "1"
            buffered.setdefault(digest[:PREFIX_LEN], []).append(f"{digest[PREFIX_LEN:]}:{count}")
            pending += 1
            total += 1
            if pending >= flush_every:
                _flush(tmp, buffered)
                buffered, pending = {}, 0
                if progress is not None:
                    progress(total)
        _flush(tmp, buffered)
        prefixes = _finish(tmp)
        (tmp / MANIFEST).write_text(
            json.dumps(
                {"format": STORE_FORMAT, "version": 1, "hashes": total, "source": source},
                indent=2,
            ),
            "utf-8",
        )
        _swap(tmp, root)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return ImportReport(hashes=total, prefixes=prefixes, store=root)


def _flush(tmp: Path, buffered: dict[str, list[str]]) -> None:
    for prefix, rows in buffered.items():
        folder = tmp / prefix[:3]
        folder.mkdir(exist_ok=True)
        with (folder / f"{prefix}.txt").open("a", encoding="ascii") as fh:
            fh.write("\n".join(rows) + "\n")


def _finish(tmp: Path) -> int:
    """Sort each range file and merge duplicate suffixes (keeping the larger count)."""
    files = 0
    for path in tmp.glob("*/*.txt"):
        merged: dict[str, int] = {}
        for line in path.read_text("ascii").splitlines():
            suffix, _, count = line.partition(":")
            merged[suffix] = max(merged.get(suffix, 0), int(count))
        path.write_text("".join(f"{s}:{c}\n" for s, c in sorted(merged.items())), "ascii")
        files += 1
    return files


def _swap(tmp: Path, root: Path) -> None:
    old = root.parent / f".{root.name}.old-{secrets.token_hex(4)}"
    if root.exists():
        os.replace(root, old)
    os.replace(tmp, root)
    shutil.rmtree(old, ignore_errors=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class Strength:
    score: int  # zxcvbn's 0 (too guessable) .. 4 (very unguessable)
    guesses_log10: float
    crack_time: str  # offline attack on a slow hash, in words
    warning: str
    suggestions: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "guesses_log10": round(self.guesses_log10, 2),
            "crack_time_offline": self.crack_time,
            "warning": self.warning,
            "suggestions": list(self.suggestions),
        }


def estimate_strength(password: str) -> Strength:
    from zxcvbn import zxcvbn  # type: ignore[import-untyped]

    result = zxcvbn(password[:STRENGTH_CHARS])
    feedback = result.get("feedback") or {}
    return Strength(
        score=int(result["score"]),
        guesses_log10=float(result["guesses_log10"]),
        crack_time=str(result["crack_times_display"]["offline_slow_hashing_1e4_per_second"]),
        warning=str(feedback.get("warning") or ""),
        suggestions=tuple(str(s) for s in feedback.get("suggestions") or ()),
    )


_STRENGTH_SIGNALS: dict[int, tuple[float, str]] = {
    0: (0.6, "This password is very easy to guess: a computer would find it almost at once."),
    1: (0.45, "This password is weak: an attacker with a leaked password file finds it quickly."),
    2: (
        0.2,
        "This password is only fair: long enough for casual guessing, not for a determined "
        "attacker with a leaked password file.",
    ),
}


def check_password(password: str, *, source: RangeSource | None) -> Assessment:
    """Breach count (k-anonymity: only 5 hex digits leave) and strength; never the password."""
    if not password:
        raise InputError("the password is empty", code="protect.password.empty")
    if len(password) > MAX_PASSWORD_CHARS:
        raise InputError(
            f"the password is longer than {MAX_PASSWORD_CHARS} characters",
            code="protect.password.too_long",
        )
    signals: list[Signal] = []
    breach: dict[str, Any] = {"checked": False, "count": None, "source": None}
    if source is not None:
        digest = sha1_hex(password)
        rows = source.suffixes(digest[:PREFIX_LEN])
        count = int(rows.get(digest[PREFIX_LEN:], 0))
        breach = {"checked": True, "count": count, "source": source.name}
        if count > 0:
            signals.append(
                Signal(
                    signal="breached",
                    detail=f"This password appears {count:,} time{'s' if count != 1 else ''} in "
                    "known data breaches. Criminals try these first, on every site.",
                    weight=0.95,
                )
            )
        else:
            signals.append(
                Signal(
                    signal="not_in_breaches",
                    detail="This password was not found in the breach data checked.",
                    weight=0.0,
                )
            )
    else:
        signals.append(
            Signal(
                signal="breach_not_checked",
                detail="Breach data was not checked: no range service or offline store is set up.",
                weight=0.0,
            )
        )
    strength = estimate_strength(password)
    weight_detail = _STRENGTH_SIGNALS.get(strength.score)
    if weight_detail is not None:
        weight, detail = weight_detail
        if strength.warning:
            detail += f" ({strength.warning.rstrip('.')}.)"
        signals.append(Signal(signal="weak_password", detail=detail, weight=weight))
    else:
        signals.append(
            Signal(
                signal="strong_password",
                detail="It is hard to guess: cracking it from a leaked, well-protected password "
                f"file would take {strength.crack_time}.",
                weight=0.0,
            )
        )
    return assess(
        signals,
        advice=ADVICE,
        extra_advice=strength.suggestions,
        extra={"breach": breach, "strength": strength.to_json()},
    )
