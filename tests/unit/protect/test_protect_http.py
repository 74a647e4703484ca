"""Protect through the one door: the HTTP routes on the real app, tiers, and the ledger."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from shieldwall.api.app import create_app
from shieldwall.core.errors import DeniedError
from shieldwall.core.settings import Settings
from shieldwall.core.types import ANONYMOUS, LOCAL_OWNER, Tier
from shieldwall.runtime import Runtime, open_runtime

PASSWORD = "Tr0ub4dor&3-shieldwall"


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest().upper()


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    rt = open_runtime(Settings(home=tmp_path / "home"))
    try:
        yield rt
    finally:
        rt.close()


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime)) as c:
        yield c


def ledger_text(runtime: Runtime) -> str:
    return "\n".join(e.decode() for e in runtime.ledger.entries(0, runtime.ledger.size()))


def test_anonymous_url_check(client: TestClient) -> None:
    r = client.post("/api/v1/protect/url", json={"url": "http://paypa1-secure.top/login"})
    assert r.status_code == 200
    body = r.json()
    assert body["verdict"] == "dangerous"
    assert {"signal", "detail", "weight"} == set(body["reasons"][0])
    assert 0 <= body["score"] <= 1
    assert body["advice"]


def test_bad_url_is_problem_json(client: TestClient) -> None:
    r = client.post("/api/v1/protect/url", json={"url": "mailto:someone@example.com"})
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "protect.url.invalid"


def test_message_and_checkup(client: TestClient) -> None:
    r = client.post(
        "/api/v1/protect/message",
        json={
            "text": "USPS: package on hold, pay the fee at usps-fee.top/x",
            "sender": "+15550100",
        },
    )
    assert r.status_code == 200
    assert r.json()["verdict"] == "dangerous"
    r = client.post("/api/v1/protect/checkup", json={"mfa": "no", "backups": "yes"})
    assert r.status_code == 200
    assert r.json()["plan"][0]["id"] == "mfa"


def test_password_never_reaches_the_ledger(
    runtime: Runtime, client: TestClient, tmp_path: Path
) -> None:
    pwned = tmp_path / "pwned.txt"
    pwned.write_text(f"{_sha1(PASSWORD)}:42\n{_sha1('other')}:7\n")
    runtime.gateway.invoke("protect.password.import", {"path": str(pwned)}, LOCAL_OWNER)

    r = client.post("/api/v1/protect/password", json={"password": PASSWORD})
    assert r.status_code == 200
    body = r.json()
    assert body["verdict"] == "dangerous"
    assert body["breach"]["count"] == 42
    assert PASSWORD not in r.text

    text = ledger_text(runtime).upper()
    assert "PROTECT.PASSWORD" in text  # the decision is recorded
    for secret in (
        PASSWORD.upper(),
        _sha1(PASSWORD),
        _sha1(PASSWORD)[5:],
        hashlib.sha256(PASSWORD.encode()).hexdigest().upper(),
        hashlib.sha256(f'{{"password":"{PASSWORD}"}}'.encode()).hexdigest().upper(),
    ):
        assert secret not in text


def test_range_endpoint_serves_the_offline_store(
    runtime: Runtime, client: TestClient, tmp_path: Path
) -> None:
    assert client.get("/api/v1/protect/password/range/ABCDE").status_code == 400
    pwned = tmp_path / "pwned.txt"
    pwned.write_text(f"{_sha1(PASSWORD)}:42\n")
    runtime.gateway.invoke("protect.password.import", {"path": str(pwned)}, LOCAL_OWNER)
    r = client.get(f"/api/v1/protect/password/range/{_sha1(PASSWORD)[:5].lower()}")
    assert r.status_code == 200
    assert f"{_sha1(PASSWORD)[5:]}:42" in r.text.split("\r\n")
    assert client.get("/api/v1/protect/password/range/XYZ12").status_code == 422


def test_paths_on_the_server_are_for_its_local_owner_only(runtime: Runtime, tmp_path: Path) -> None:
    with pytest.raises(DeniedError):
        runtime.gateway.invoke("protect.password.import", {"path": "/etc/passwd"}, ANONYMOUS)
    with pytest.raises(DeniedError):
        runtime.gateway.invoke(
            "protect.password", {"password": "x", "offline_store": str(tmp_path)}, ANONYMOUS
        )


def test_brand_import_needs_an_organisation(runtime: Runtime, client: TestClient) -> None:
    csv_body = "brand,domain,kind\nNorthwind Bank,northwindbank.com\nNW,nw.link,shortener\n"
    r = client.post(
        "/api/v1/protect/brands", content=csv_body, headers={"content-type": "text/csv"}
    )
    assert r.status_code == 403

    _, secret = runtime.keys.create(name="northwind", tier=Tier.VERIFIED_ORG)
    auth = {"authorization": f"Bearer {secret}"}
    bad = client.post(
        "/api/v1/protect/brands",
        content="Northwind Bank,northwindbank.com\nx,not a domain\n",
        headers={**auth, "content-type": "text/csv"},
    )
    assert bad.status_code == 422
    assert bad.json()["location"] == "upload.csv:2"
    assert client.get("/api/v1/protect/brands", params={"source": "org"}).json()["count"] == 0

    ok = client.post(
        "/api/v1/protect/brands", content=csv_body, headers={**auth, "content-type": "text/csv"}
    )
    assert ok.status_code == 201
    assert ok.json() == {"rows": 2, "added": 2}
    again = client.post(
        "/api/v1/protect/brands",
        json={"csv": csv_body, "source": "northwind.csv"},
        headers=auth,
    )
    assert again.json() == {"rows": 2, "added": 0}
    listed = client.get("/api/v1/protect/brands", params={"source": "org"}).json()
    assert listed["count"] == 2

    r = client.post("/api/v1/protect/url", json={"url": "https://northwlndbank.com/login"})
    reasons = {x["signal"]: x["detail"] for x in r.json()["reasons"]}
    assert "'l' in place of the 'i'" in reasons["lookalike_domain"]


LOOKALIKE = (
    "From: Barclays Security <alerts@barclyas-secure.co.uk>\r\n"
    "To: you@example.org\r\nSubject: Unusual sign-in: verify your account\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n\r\n"
    "We noticed an unusual sign-in. Verify your account within 24 hours or it will be "
    "suspended: http://barclyas-secure.co.uk/login\r\n"
)


def test_email_over_http_raw_and_json(client: TestClient, runtime: Runtime) -> None:
    raw = client.post(
        "/api/v1/protect/email",
        content=LOOKALIKE.encode(),
        headers={"content-type": "message/rfc822"},
    )
    assert raw.status_code == 200, raw.text
    assert raw.json()["verdict"] in ("suspicious", "dangerous")
    as_json = client.post("/api/v1/protect/email", json={"raw": LOOKALIKE})
    assert as_json.json()["verdict"] == raw.json()["verdict"]
    bad = client.post(
        "/api/v1/protect/email", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert bad.status_code == 400
    assert bad.headers["content-type"] == "application/problem+json"
    assert "barclyas" not in ledger_text(runtime)  # digests only
