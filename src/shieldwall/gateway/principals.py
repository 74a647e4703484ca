"""API keys: the principals of the HTTP API. Only a SHA-256 of each secret is stored.

A key reads ``swk_<id>_<secret>``: the id finds the row, the secret (32 random bytes) is
compared by digest in constant time. A fast hash is right here because the secret is random
and long; passwords, which are not, get argon2 in the identity work.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, insert, select, update

from shieldwall.core.clock import Clock, SystemClock
from shieldwall.core.errors import AuthError, InputError, NotFoundError
from shieldwall.core.types import Principal, PrincipalId, PrincipalKind, Tier
from shieldwall.store.schema import api_key

_PREFIX = "swk_"


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiKeyInfo:
    id: str
    name: str
    tier: Tier
    created_at: datetime
    revoked_at: datetime | None


def _principal(key_id: str, name: str, tier: int) -> Principal:
    return Principal(
        id=PrincipalId(f"key:{key_id}"), kind=PrincipalKind.API_KEY, tier=Tier(tier), name=name
    )


UserResolver = Callable[[str, Tier], Principal]


class ApiKeys:
    """API keys, standalone (a service with a fixed tier) or bound to a user account, whose
    tier is then recomputed at every request (capped by the key's own tier)."""

    def __init__(
        self,
        engine: Engine,
        *,
        clock: Clock | None = None,
        users: UserResolver | None = None,
        user_active: Callable[[str], bool] | None = None,
    ) -> None:
        self._engine = engine
        self._clock = clock or SystemClock()
        self._users = users
        self._user_active = user_active
        # The door asks on every call whether the principal is still live; the answer lives a
        # second (a revocation in this process binds at once, in another within that second).
        self._live: dict[str, tuple[float, bool]] = {}

    def create(
        self, *, name: str, tier: Tier, user_id: str | None = None, org_id: str | None = None
    ) -> tuple[Principal, str]:
        """A new key; the secret is returned once and never stored."""
        if not name.strip() or len(name) > 200:
            raise InputError("a key needs a name of 1 to 200 characters", code="gateway.bad_name")
        key_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        with self._engine.begin() as conn:
            conn.execute(
                insert(api_key).values(
                    id=key_id,
                    name=name,
                    tier=int(tier),
                    secret_sha256=hashlib.sha256(secret.encode()).digest(),
                    created_at=self._clock.now(),
                    revoked_at=None,
                    user_id=user_id,
                    org_id=org_id,
                )
            )
        principal = _principal(key_id, name, tier)
        if user_id is not None and self._users is not None:
            principal = self._users(user_id, tier)
        return principal, f"{_PREFIX}{key_id}_{secret}"

    def authenticate(self, token: str) -> Principal:
        """The principal a presented key stands for; AuthError when it is not a live key."""
        bad = AuthError(
            "the API key is not valid",
            code="auth.invalid_key",
            hint="Send 'Authorization: Bearer swk_…' with a key from "
            "`shieldwall gateway key create`.",
        )
        if not token.startswith(_PREFIX) or token.count("_") < 2:
            raise bad
        key_id, _, secret = token[len(_PREFIX) :].partition("_")
        with self._engine.connect() as conn:
            row = conn.execute(select(api_key).where(api_key.c.id == key_id)).first()
        digest = hashlib.sha256(secret.encode()).digest()
        if row is None or not hmac.compare_digest(bytes(row.secret_sha256), digest):
            raise bad
        if row.revoked_at is not None:
            raise AuthError(
                "this API key was revoked",
                code="auth.revoked_key",
                hint="Ask the operator for a new key.",
            )
        if row.user_id is not None and self._users is not None:
            return self._users(row.user_id, Tier(row.tier))
        return _principal(row.id, row.name, row.tier)

    def is_active(self, principal: Principal) -> bool:
        if principal.kind is not PrincipalKind.API_KEY:
            return True
        now = time.monotonic()
        cached = self._live.get(principal.id)
        if cached is not None and now - cached[0] < 1.0:
            return cached[1]
        live = self._is_active(principal)
        if len(self._live) > 100_000:
            self._live.clear()
        self._live[principal.id] = (now, live)
        return live

    def _is_active(self, principal: Principal) -> bool:
        if principal.user is not None:
            return self._user_active is None or self._user_active(principal.user)
        key_id = principal.id.removeprefix("key:")
        with self._engine.connect() as conn:
            revoked = conn.execute(
                select(api_key.c.revoked_at).where(api_key.c.id == key_id)
            ).first()
        return revoked is not None and revoked[0] is None

    def revoke(self, key_id: str) -> None:
        self._live.clear()
        with self._engine.begin() as conn:
            done = conn.execute(
                update(api_key)
                .where(api_key.c.id == key_id, api_key.c.revoked_at.is_(None))
                .values(revoked_at=self._clock.now())
            ).rowcount
        if not done:
            raise NotFoundError(
                f"no live API key {key_id!r}",
                code="gateway.no_key",
                hint="`shieldwall gateway key list` shows the keys.",
            )

    def revoke_token(self, token: str) -> str:
        """Revoke the key ``token`` is (signing out): holding the key is the authority to end
        it. Returns its id; a wrong or already revoked key is an AuthError."""
        self.authenticate(token)
        key_id = token[len(_PREFIX) :].partition("_")[0]
        self.revoke(key_id)
        return key_id

    def list(self) -> list[ApiKeyInfo]:
        with self._engine.connect() as conn:
            rows = conn.execute(select(api_key).order_by(api_key.c.created_at)).all()
        return [
            ApiKeyInfo(
                id=r.id,
                name=r.name,
                tier=Tier(r.tier),
                created_at=r.created_at,
                revoked_at=r.revoked_at,
            )
            for r in rows
        ]
