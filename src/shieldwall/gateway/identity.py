"""Users, organisations and roles, and the tier each user has earned.

Tiers are derived from verified facts, never stored as a number someone could edit:

- 0 public: an account whose e-mail is not verified (or no account at all);
- 1 verified individual: a verified e-mail address;
- 2 verified organisation: a member of an organisation that a hub admin approved and that has
  proven at least one domain (an ``asset_claim`` in status ``verified``);
- 3 vetted defender: a verified individual whom a hub admin vetted (invited and vouched for).

Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106); e-mail tokens are
random, single-use, expire, and only their SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Engine, and_, exc, insert, select, update

from shieldwall.core.clock import Clock, SystemClock
from shieldwall.core.errors import AuthError, DeniedError, InputError, NotFoundError
from shieldwall.core.types import OrgId, Principal, PrincipalId, PrincipalKind, Tier
from shieldwall.gateway.mailer import Mailer
from shieldwall.store.schema import asset_claim, email_token, membership, org, user

Role = Literal["member", "approver", "admin"]
ROLES: tuple[Role, ...] = ("member", "approver", "admin")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s.]{2,63}$")
TOKEN_TTL = timedelta(hours=24)


@dataclass(frozen=True, slots=True, kw_only=True)
class User:
    id: str
    email: str
    name: str
    email_verified: bool
    vetted: bool
    hub_admin: bool
    disabled: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class OrgInfo:
    id: str
    name: str
    approved: bool
    verified_domains: tuple[str, ...]


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


class Identities:
    def __init__(
        self,
        engine: Engine,
        *,
        clock: Clock | None = None,
        mailer: Mailer | None = None,
        base_url: str = "http://127.0.0.1:8000",
    ) -> None:
        self._engine = engine
        self._clock = clock or SystemClock()
        self._mailer = mailer
        self._base_url = base_url.rstrip("/")
        self._hasher = PasswordHasher()

    # -- users ----------------------------------------------------------------------------------

    def create_user(
        self, *, email: str, name: str, password: str | None = None, hub_admin: bool = False
    ) -> User:
        email = email.strip().lower()
        if not _EMAIL.match(email):
            raise InputError(f"{email!r} is not an e-mail address", code="gateway.bad_email")
        if not name.strip() or len(name) > 200:
            raise InputError("a user needs a name of 1 to 200 characters", code="gateway.bad_name")
        if password is not None and len(password) < 12:
            raise InputError(
                "a password needs at least 12 characters",
                code="gateway.weak_password",
                hint="Use a passphrase of several words, or an API key instead.",
            )
        user_id = f"u{secrets.token_hex(6)}"
        try:
            with self._engine.begin() as conn:
                conn.execute(
                    insert(user).values(
                        id=user_id,
                        email=email,
                        name=name.strip(),
                        password_hash=self._hasher.hash(password) if password else None,
                        email_verified_at=None,
                        created_at=self._clock.now(),
                        disabled_at=None,
                        vetted_at=None,
                        vetted_by=None,
                        hub_admin=hub_admin,
                    )
                )
        except exc.IntegrityError as err:
            raise InputError(
                f"there is already an account for {email}", code="gateway.email_taken"
            ) from err
        return self.get_user(user_id)

    def get_user(self, user_id: str) -> User:
        with self._engine.connect() as conn:
            row = conn.execute(select(user).where(user.c.id == user_id)).first()
        if row is None:
            raise NotFoundError(f"there is no user {user_id!r}", code="gateway.no_user")
        return User(
            id=row.id,
            email=row.email,
            name=row.name,
            email_verified=row.email_verified_at is not None,
            vetted=row.vetted_at is not None,
            hub_admin=bool(row.hub_admin),
            disabled=row.disabled_at is not None,
        )

    def find_user(self, email: str) -> User:
        with self._engine.connect() as conn:
            uid = conn.execute(
                select(user.c.id).where(user.c.email == email.strip().lower())
            ).scalar()
        if uid is None:
            raise NotFoundError(f"there is no account for {email}", code="gateway.no_user")
        return self.get_user(uid)

    def start_email_verification(self, user_id: str) -> str:
        """Issue a single-use token and mail it (when a mailer is configured); returns it."""
        account = self.get_user(user_id)
        token = secrets.token_hex(24)  # hex: never starts with "-", which a CLI reads as a flag
        with self._engine.begin() as conn:
            conn.execute(
                insert(email_token).values(
                    token_sha256=_digest(token),
                    user_id=user_id,
                    expires_at=self._clock.now() + TOKEN_TTL,
                    used_at=None,
                )
            )
        if self._mailer is not None:
            self._mailer.send(
                to=account.email,
                subject="Verify your Shieldwall account",
                body=f"Hello {account.name},\n\nconfirm this address with\n\n"
                f"    shieldwall gateway user verify-email {token}\n\nor open "
                f"{self._base_url}/api/v1/gateway/verify-email?token={token}\n\n"
                "The token works once and expires in 24 hours.\n",
            )
        return token

    def verify_email(self, token: str) -> User:
        now = self._clock.now()
        with self._engine.begin() as conn:
            row = conn.execute(
                select(email_token).where(email_token.c.token_sha256 == _digest(token))
            ).first()
            if row is None or row.used_at is not None or _aware(row.expires_at) < now:
                raise AuthError(
                    "this verification link is unknown, used or expired",
                    code="gateway.bad_token",
                    hint="Ask for a new one with `shieldwall gateway user verify-email --resend`.",
                )
            conn.execute(
                update(email_token)
                .where(email_token.c.token_sha256 == row.token_sha256)
                .values(used_at=now)
            )
            conn.execute(update(user).where(user.c.id == row.user_id).values(email_verified_at=now))
        return self.get_user(row.user_id)

    def check_password(self, email: str, password: str) -> User:
        bad = AuthError("the e-mail or password is wrong", code="auth.bad_password")
        with self._engine.connect() as conn:
            row = conn.execute(
                select(user.c.id, user.c.password_hash).where(user.c.email == email.strip().lower())
            ).first()
        if row is None or row.password_hash is None:
            self._hasher.hash("timing-equalizer")  # same cost whether or not the user exists
            raise bad
        try:
            self._hasher.verify(row.password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError) as err:
            raise bad from err
        return self.get_user(row.id)

    def vet(self, user_id: str, *, by: Principal) -> User:
        self._require_hub_admin(by)
        with self._engine.begin() as conn:
            conn.execute(
                update(user)
                .where(user.c.id == user_id)
                .values(vetted_at=self._clock.now(), vetted_by=by.id)
            )
        return self.get_user(user_id)

    def disable_user(self, user_id: str) -> None:
        with self._engine.begin() as conn:
            conn.execute(
                update(user).where(user.c.id == user_id).values(disabled_at=self._clock.now())
            )

    # -- organisations --------------------------------------------------------------------------

    def create_org(self, *, name: str, creator: Principal) -> OrgInfo:
        if not name.strip() or len(name) > 200:
            raise InputError(
                "an organisation needs a name of 1 to 200 characters", code="gateway.bad_name"
            )
        org_id = f"o{secrets.token_hex(6)}"
        now = self._clock.now()
        try:
            with self._engine.begin() as conn:
                conn.execute(
                    insert(org).values(
                        id=org_id, name=name.strip(), created_by=creator.id, created_at=now
                    )
                )
                if creator.user:
                    conn.execute(
                        insert(membership).values(
                            user_id=creator.user, org_id=org_id, role="admin", created_at=now
                        )
                    )
        except exc.IntegrityError as err:
            raise InputError(
                f"an organisation named {name!r} exists", code="gateway.org_taken"
            ) from err
        return self.get_org(org_id)

    def get_org(self, org_id: str) -> OrgInfo:
        with self._engine.connect() as conn:
            row = conn.execute(select(org).where(org.c.id == org_id)).first()
            domains = (
                conn.execute(
                    select(asset_claim.c.value).where(
                        and_(
                            asset_claim.c.owner_id == org_id,
                            asset_claim.c.status == "verified",
                            asset_claim.c.kind == "domain",
                        )
                    )
                )
                .scalars()
                .all()
            )
        if row is None:
            raise NotFoundError(f"there is no organisation {org_id!r}", code="gateway.no_org")
        return OrgInfo(
            id=row.id,
            name=row.name,
            approved=row.approved_at is not None,
            verified_domains=tuple(sorted(domains)),
        )

    def approve_org(self, org_id: str, *, by: Principal) -> OrgInfo:
        self._require_hub_admin(by)
        self.get_org(org_id)
        with self._engine.begin() as conn:
            conn.execute(
                update(org)
                .where(org.c.id == org_id)
                .values(approved_at=self._clock.now(), approved_by=by.id)
            )
        return self.get_org(org_id)

    def add_member(self, org_id: str, user_id: str, role: Role, *, by: Principal) -> None:
        if role not in ROLES:
            raise InputError(f"role must be one of {', '.join(ROLES)}", code="gateway.bad_role")
        if not self._is_hub_admin(by) and self.role(by.user or "", org_id) != "admin":
            raise DeniedError(
                "only the organisation's admins can add members", code="gateway.not_org_admin"
            )
        self.get_user(user_id)
        with self._engine.begin() as conn:
            conn.execute(
                insert(membership).values(
                    user_id=user_id, org_id=org_id, role=role, created_at=self._clock.now()
                )
            )

    def role(self, user_id: str, org_id: str) -> Role | None:
        with self._engine.connect() as conn:
            found = conn.execute(
                select(membership.c.role).where(
                    and_(membership.c.user_id == user_id, membership.c.org_id == org_id)
                )
            ).scalar()
        return cast(Role, found) if found in ROLES else None

    def primary_org(self, user_id: str) -> str | None:
        with self._engine.connect() as conn:
            return conn.execute(
                select(membership.c.org_id)
                .where(membership.c.user_id == user_id)
                .order_by(membership.c.created_at)
            ).scalar()

    # -- tiers ----------------------------------------------------------------------------------

    def tier_of(self, user_id: str) -> Tier:
        account = self.get_user(user_id)
        if account.disabled or not account.email_verified:
            return Tier.PUBLIC
        if account.vetted:
            return Tier.VETTED_DEFENDER
        org_id = self.primary_org(user_id)
        if org_id is not None:
            info = self.get_org(org_id)
            if info.approved and info.verified_domains:
                return Tier.VERIFIED_ORG
        return Tier.VERIFIED_INDIVIDUAL

    def principal(self, user_id: str, *, ceiling: Tier = Tier.VETTED_DEFENDER) -> Principal:
        account = self.get_user(user_id)
        org_id = self.primary_org(user_id)
        return Principal(
            id=PrincipalId(f"user:{user_id}"),
            kind=PrincipalKind.API_KEY,
            tier=min(self.tier_of(user_id), ceiling),
            name=account.name,
            org=OrgId(org_id) if org_id else None,
            user=user_id,
        )

    def _is_hub_admin(self, who: Principal) -> bool:
        if who.kind is PrincipalKind.OWNER:
            return True
        return bool(who.user) and self.get_user(who.user or "").hub_admin

    def _require_hub_admin(self, who: Principal) -> None:
        if not self._is_hub_admin(who):
            raise DeniedError("only a hub admin can do this", code="gateway.not_hub_admin")

    def is_admin(self, principal_id: str, owner_id: str) -> bool:
        """Ownership's AdminDirectory: may this principal act for ``owner_id``'s assets?"""
        if principal_id == "owner:local":
            return True
        user_id = principal_id.removeprefix("user:")
        if user_id == principal_id:
            return principal_id == owner_id
        with self._engine.connect() as conn:
            hub = conn.execute(select(user.c.hub_admin).where(user.c.id == user_id)).scalar()
        return bool(hub) or self.role(user_id, owner_id) == "admin"

    def can_approve_for(self, approver: Principal, org_id: str | None) -> bool:
        if self._is_hub_admin(approver):
            return True
        if org_id is None or not approver.user:
            return False
        return self.role(approver.user, org_id) in ("approver", "admin")


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes for timezone-aware columns; they were written as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
