"""Who is calling the TAXII server: an API key (``Bearer``, or as the password of HTTP Basic)
or an account's e-mail and password (HTTP Basic).

A password is checked against the gateway's argon2id hash once; the success is then
remembered for ``ttl`` seconds under an HMAC-SHA256 (a per-process random key) of the e-mail,
the password *and the stored hash*, so that:

- the cache holds no password and no unsalted hash of one (a memory dump gives nothing a
  guesser can test offline without the process key);
- a changed password (a new hash, with a new salt) no longer matches any entry, at once;
- a disabled account is refused at once (its row is read on every request; that read is a
  primary-key lookup, some microseconds, where argon2 costs tens of milliseconds);
- failures are never cached (each wrong guess pays the full argon2 cost).

API keys need no slow hash: their secret is random and long, so one SHA-256 is the check. The
key's row is still a database read, so the principal of a *standalone* key (one not bound to an
account) is remembered for ``ttl`` seconds under an HMAC of the key: such a row never changes
except by revocation, and revocation is checked on every use anyway (``is_active``, which the
door asks too; a revocation in this process binds at once). A key bound to an account follows
the account's tier and organisation, so it is looked up every time.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

from sqlalchemy import Engine, select

from shieldwall.core.errors import AuthError
from shieldwall.core.http import bearer_token
from shieldwall.core.types import Principal
from shieldwall.store.schema import user

KEY_PREFIX = "swk_"


class KeyAuthenticator(Protocol):
    """The gateway's ``ApiKeys``."""

    def authenticate(self, token: str) -> Principal: ...

    def is_active(self, principal: Principal) -> bool: ...


class PasswordDirectory(Protocol):
    """The gateway's ``Identities``: argon2id verification and the principal of an account."""

    def check_password(self, email: str, password: str) -> object: ...

    def principal(self, user_id: str) -> Principal: ...


def _bad() -> AuthError:
    return AuthError(
        "the credentials are not valid",
        code="auth.invalid_credentials",
        hint="Use your e-mail and password, or an API key, with HTTP Basic or Bearer.",
    )


class TaxiiAuth:
    def __init__(
        self,
        *,
        keys: KeyAuthenticator,
        passwords: PasswordDirectory,
        engine: Engine,
        ttl: float = 60.0,
        max_entries: int = 10_000,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._keys = keys
        self._passwords = passwords
        self._engine = engine
        self._ttl = ttl
        self._max = max_entries
        self._now = monotonic
        self._secret = secrets.token_bytes(32)
        self._cache: OrderedDict[bytes, tuple[float, str]] = OrderedDict()
        self._key_cache: OrderedDict[bytes, tuple[float, Principal]] = OrderedDict()
        self._lock = threading.Lock()
        self.verifications = 0  # argon2 checks done (for tests and metrics)
        self.key_lookups = 0  # API key rows read (for tests and metrics)

    def authenticate(self, header: str) -> Principal:
        """The principal of an ``Authorization`` header value; AuthError when invalid."""
        scheme, _, credentials = header.strip().partition(" ")
        credentials = credentials.strip()
        if scheme.lower() == "bearer" and credentials:
            return self._key(credentials)
        if scheme.lower() != "basic" or not credentials:
            raise AuthError(
                "use 'Authorization: Bearer <key>' or HTTP Basic", code="auth.bad_header"
            )
        try:
            decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as err:
            raise _bad() from err
        username, sep, password = decoded.partition(":")
        if not sep or len(decoded) > 1024:
            raise _bad()
        if password.startswith(KEY_PREFIX):
            return self._key(password)
        return self._password(username.strip().lower(), password)

    def cached(self, header: str) -> Principal | None:
        """The principal of a ``Bearer`` API key remembered from an earlier request (still
        active), or None: then ``authenticate`` must run, which may read the database or run
        argon2. Cheap enough for an event loop; ``authenticate`` is for a worker thread."""
        token = bearer_token(header)
        if token is None:
            return None
        return self._cached_key(hmac.new(self._secret, token.encode(), hashlib.sha256).digest())

    def _cached_key(self, tag: bytes) -> Principal | None:
        now = self._now()
        with self._lock:
            hit = self._key_cache.get(tag)
        if hit is not None and hit[0] > now and self._keys.is_active(hit[1]):
            return hit[1]
        return None

    def _key(self, token: str) -> Principal:
        tag = hmac.new(self._secret, token.encode(), hashlib.sha256).digest()
        now = self._now()
        hit = self._cached_key(tag)
        if hit is not None:
            return hit
        self.key_lookups += 1
        principal = self._keys.authenticate(token)  # raises for a revoked or unknown key
        if principal.user is None:
            with self._lock:
                self._key_cache[tag] = (now + self._ttl, principal)
                while len(self._key_cache) > self._max:
                    self._key_cache.popitem(last=False)
        return principal

    def _password(self, email: str, password: str) -> Principal:
        with self._engine.connect() as conn:
            row = conn.execute(
                select(user.c.id, user.c.password_hash, user.c.disabled_at).where(
                    user.c.email == email
                )
            ).first()
        if row is not None and row.disabled_at is not None:
            raise _bad()
        stored = row.password_hash if row is not None else None
        key = hmac.new(
            self._secret,
            b"\0".join([email.encode(), (stored or "").encode(), password.encode()]),
            hashlib.sha256,
        ).digest()
        now = self._now()
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None and hit[0] > now and row is not None:
                self._cache.move_to_end(key)
                return self._passwords.principal(hit[1])
            if hit is not None:
                del self._cache[key]
        self.verifications += 1
        try:
            account = self._passwords.check_password(email, password)  # argon2id
        except AuthError as err:
            raise _bad() from err
        user_id = str(getattr(account, "id", ""))
        if row is None or user_id != row.id:
            raise _bad()
        with self._lock:
            self._cache[key] = (now + self._ttl, user_id)
            while len(self._cache) > self._max:
                self._cache.popitem(last=False)
        return self._passwords.principal(user_id)
