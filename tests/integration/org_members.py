"""A verified member of a new organisation, with an API key: the set-up several integration
tests share (the real identities and keys of a runtime)."""

from __future__ import annotations

from shieldwall.core.types import LOCAL_OWNER, Principal, Tier
from shieldwall.runtime import Runtime


def org_member(rt: Runtime, *, email: str, name: str, org: str) -> tuple[Principal, str, str]:
    """A user with a confirmed e-mail address, member of a new organisation ``org`` (made by the
    local owner), and a tier-1 API key bound to both: (its principal, the key, the org id)."""
    ids = rt.identities
    user = ids.create_user(email=email, name=name)
    ids.verify_email(ids.start_email_verification(user.id))
    made = ids.create_org(name=org, creator=LOCAL_OWNER)
    ids.add_member(made.id, user.id, "member", by=LOCAL_OWNER)
    principal, secret = rt.keys.create(
        name=name.lower(), tier=Tier.VERIFIED_INDIVIDUAL, user_id=user.id, org_id=made.id
    )
    return principal, secret, made.id
