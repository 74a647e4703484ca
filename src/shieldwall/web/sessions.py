"""Stateless web sessions: one sealed cookie and a CSRF token bound to it.

The cookie holds a session id, when it was issued and, once signed in, the API key that
``gateway.users.login`` returned, sealed with AES-256-GCM under a key derived from this
server's session secret (``<home>/web/session.key``, made on first use). Sealed rather than
only signed: the key inside is never readable from the cookie, so a copied cookie is worth a
session of at most ``max_age_s``, not a key for the API. Any change to the cookie fails the
AEAD tag and reads as "no session"; nothing about a session is stored on the server, so no
table (and no migration) is needed, and every worker that shares the data directory accepts
the same cookies.

CSRF: every POST form carries ``csrf_token`` = HMAC-SHA256(csrf key, session id). The
session id changes at sign-in and sign-out, so a token seen before either is worthless after.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from shieldwall.core.clock import Clock, SystemClock
from shieldwall.core.errors import DeniedError, StoreError

COOKIE = "sw_session"
CSRF_FIELD = "csrf_token"
MAX_AGE_S = 8 * 3600
MAX_COOKIE_CHARS = 4096
_KEY_FILE = "session.key"
_AAD = b"shieldwall-web-session-v1"
_NONCE = 12
_SKEW_S = 300
_SID = re.compile(r"^[A-Za-z0-9_-]{22,64}$")
_KEY = re.compile(r"^swk_[A-Za-z0-9_-]{1,200}$")


@dataclass(frozen=True, slots=True, kw_only=True)
class WebSession:
    """One browser's session: anonymous until ``key`` holds the API key of a sign-in."""

    sid: str
    issued_at: int  # seconds since the epoch
    key: str | None = field(default=None, repr=False)
    name: str = ""

    @property
    def signed_in(self) -> bool:
        return self.key is not None


def _derive(secret: bytes, label: bytes) -> bytes:
    return hmac.new(secret, b"shieldwall-web/" + label, hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SessionCodec:
    """Seals and opens session cookies and makes and checks CSRF tokens."""

    def __init__(
        self, secret: bytes, *, max_age_s: int = MAX_AGE_S, clock: Clock | None = None
    ) -> None:
        if len(secret) < 32:
            raise ValueError("a session secret has at least 32 bytes")
        self._aead = AESGCM(_derive(secret, b"session"))
        self._csrf_key = _derive(secret, b"csrf")
        self._max_age_s = max_age_s
        self._clock = clock or SystemClock()

    @property
    def max_age_s(self) -> int:
        return self._max_age_s

    def _now(self) -> int:
        return int(self._clock.now().timestamp())

    def new(self, *, key: str | None = None, name: str = "") -> WebSession:
        """A fresh session (a new id: call it at sign-in and sign-out)."""
        return WebSession(sid=secrets.token_urlsafe(24), issued_at=self._now(), key=key, name=name)

    def encode(self, session: WebSession) -> str:
        body = json.dumps(
            {
                "v": 1,
                "sid": session.sid,
                "iat": session.issued_at,
                "key": session.key,
                "name": session.name,
            },
            separators=(",", ":"),
        ).encode()
        nonce = os.urandom(_NONCE)
        return _b64(nonce + self._aead.encrypt(nonce, body, _AAD))

    def decode(self, value: str | None) -> WebSession | None:
        """The session in a cookie, or None when it is absent, altered, foreign or expired."""
        if not value or len(value) > MAX_COOKIE_CHARS or not value.isascii():
            return None
        try:
            raw = _unb64(value)
        except (binascii.Error, ValueError):
            return None
        if len(raw) < _NONCE + 16:
            return None
        try:
            body = self._aead.decrypt(raw[:_NONCE], raw[_NONCE:], _AAD)
            data = json.loads(body)
        except (InvalidTag, ValueError):
            return None
        session = _session_from(data)
        if session is None:
            return None
        age = self._now() - session.issued_at
        if age > self._max_age_s or age < -_SKEW_S:
            return None
        return session

    def csrf_token(self, session: WebSession) -> str:
        return _b64(hmac.new(self._csrf_key, session.sid.encode(), hashlib.sha256).digest())

    def check_csrf(self, session: WebSession, token: str | None) -> None:
        """Return if ``token`` is this session's CSRF token; raise DeniedError otherwise."""
        expected = self.csrf_token(session)
        if not token or not hmac.compare_digest(token.encode(), expected.encode()):
            raise DeniedError(
                "this form is stale or did not come from this site",
                code="web.csrf",
                hint="Reload the page and send the form again.",
            )


def _session_from(data: Any) -> WebSession | None:
    if not isinstance(data, dict) or data.get("v") != 1:
        return None
    sid, iat, key, name = data.get("sid"), data.get("iat"), data.get("key"), data.get("name")
    if not isinstance(sid, str) or not _SID.fullmatch(sid):
        return None
    if not isinstance(iat, int) or isinstance(iat, bool):
        return None
    if key is not None and (not isinstance(key, str) or not _KEY.fullmatch(key)):
        return None
    if not isinstance(name, str) or len(name) > 200:
        return None
    return WebSession(sid=sid, issued_at=iat, key=key, name=name)


def load_or_create_secret(directory: Path) -> bytes:
    """This server's session secret: 32 random bytes kept (hex) in ``directory/session.key``,
    made once with mode 0600; concurrent first starts agree on one file."""
    path = directory / _KEY_FILE
    try:
        directory.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            # Written whole beside it, then linked into place: a reader never sees half a file,
            # and when two processes race, the first link wins and both use its secret.
            tmp = directory / f".{_KEY_FILE}.{secrets.token_hex(4)}"
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(secrets.token_hex(32) + "\n")
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
            finally:
                tmp.unlink()
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreError(
            f"cannot read or create the web session secret {path}: {exc}",
            code="web.secret_unreadable",
            hint="Check that the data directory is writable by the server.",
        ) from exc
    try:
        secret = bytes.fromhex(text)
    except ValueError:
        secret = b""
    if len(secret) < 32:
        raise StoreError(
            f"the web session secret {path} is not 64 hex digits",
            code="web.bad_secret",
            hint="Delete the file; the server makes a new one (everyone is signed out).",
        )
    return secret


__all__ = [
    "COOKIE",
    "CSRF_FIELD",
    "MAX_AGE_S",
    "SessionCodec",
    "WebSession",
    "load_or_create_secret",
]
