"""Small helpers of the browser tests: accounts made through the door, signing in by the form,
and intel to look at."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from live_server import LiveServer

from shieldwall.core.types import LOCAL_OWNER, Principal

PASSWORD = "correct horse battery staple"
TLP_GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
TLP_CLEAR = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"
TLP_AMBER = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"


def verified_user(server: LiveServer, email: str, name: str) -> str:
    """An account with a confirmed e-mail address (tier 1), made as a visitor would: sign-up
    through the door, then the token from the (unsent) mail."""
    gate = server.runtime.gateway
    made = gate.invoke(
        "gateway.users.create", {"email": email, "name": name, "password": PASSWORD}, LOCAL_OWNER
    ).result
    token = server.runtime.identities.start_email_verification(made["user_id"])
    gate.invoke("gateway.users.verify_email", {"token": token}, LOCAL_OWNER)
    return str(made["user_id"])


def sign_in(tab: Any, server: LiveServer, email: str, password: str = PASSWORD) -> None:
    page = tab.page
    tab.visit(f"{server.url}/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{server.url}/account")


def stix_indicator(n: int, marking: str) -> dict[str, Any]:
    return {
        "type": "indicator",
        "spec_version": "2.1",
        "id": f"indicator--{n:08d}-0000-4000-8000-000000000000",
        "created": "2026-11-20T10:00:00.000Z",
        "modified": "2026-11-20T10:00:00.000Z",
        "name": f"Phishing domain {n}",
        "pattern": f"[domain-name:value = 'paypa{n}-secure.top']",
        "pattern_type": "stix",
        "valid_from": "2026-11-20T10:00:00Z",
        "object_marking_refs": [marking],
    }


def shared_intel(server: LiveServer, member: Principal | None = None) -> str:
    """A TLP:CLEAR collection with a CLEAR, a GREEN and an AMBER indicator, owned by the
    organisation of ``member`` (who adds the objects) or the hub's own; returns its id."""
    owner_org = member.org if member is not None else None
    gate = server.runtime.gateway
    coll = gate.invoke(
        "intel.collection.create",
        {
            "title": "Phishing seen by members",
            "description": "Look-alike domains reported this week.",
            "tlp": "clear",
            "owner_org": owner_org,
        },
        LOCAL_OWNER,
    ).result
    marks = (TLP_CLEAR, TLP_GREEN, TLP_AMBER)
    gate.invoke(
        "intel.objects.add",
        {
            "collection": coll["id"],
            "objects": [stix_indicator(n, mark) for n, mark in enumerate(marks, start=1)],
        },
        member or LOCAL_OWNER,
    )
    return str(coll["id"])


def write_rules(root: Path, rules: Mapping[str, str]) -> Path:
    """Sigma rule files (relative name -> text) under ``root``: an operator's rules directory."""
    for name, text in rules.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root
