"""TAXII authentication by API key: a standalone key's row is read once, and its revocation
still binds at once; a key bound to an account is read every time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from shieldwall.core.errors import AuthError
from shieldwall.core.types import Tier
from shieldwall.gateway import ApiKeys
from shieldwall.gateway.identity import Identities
from shieldwall.intel.auth import TaxiiAuth
from shieldwall.store import open_store


@dataclass
class Env:
    keys: ApiKeys
    identities: Identities
    auth: TaxiiAuth


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    engine = open_store(f"sqlite:///{tmp_path / 'auth.db'}")
    identities = Identities(engine)
    keys = ApiKeys(
        engine,
        users=lambda uid, ceiling: identities.principal(uid, ceiling=ceiling),
        user_active=lambda uid: not identities.get_user(uid).disabled,
    )
    yield Env(keys, identities, TaxiiAuth(keys=keys, passwords=identities, engine=engine))
    engine.dispose()


def test_a_standalone_key_is_read_once_and_its_revocation_binds_at_once(env: Env) -> None:
    principal, secret = env.keys.create(name="feed", tier=Tier.VERIFIED_ORG)
    for header in (f"Bearer {secret}", f"bearer {secret}"):
        assert env.auth.authenticate(header) == principal
    assert env.auth.key_lookups == 1
    env.keys.revoke(principal.id.removeprefix("key:"))
    with pytest.raises(AuthError, match="revoked"):
        env.auth.authenticate(f"Bearer {secret}")


def test_wrong_keys_are_never_remembered(env: Env) -> None:
    _, secret = env.keys.create(name="feed", tier=Tier.VERIFIED_ORG)
    for _ in range(3):
        with pytest.raises(AuthError):
            env.auth.authenticate(f"Bearer {secret}x")
    assert env.auth.key_lookups == 3


def test_a_key_bound_to_an_account_follows_the_account(env: Env) -> None:
    user = env.identities.create_user(email="u@example.org", name="u", password=None)
    _, secret = env.keys.create(name="mine", tier=Tier.VETTED_DEFENDER, user_id=user.id)
    first = env.auth.authenticate(f"Bearer {secret}")
    env.identities.verify_email(env.identities.start_email_verification(user.id))
    second = env.auth.authenticate(f"Bearer {secret}")
    assert (first.tier, second.tier) == (Tier.PUBLIC, Tier.VERIFIED_INDIVIDUAL)
    assert env.auth.key_lookups == 2
