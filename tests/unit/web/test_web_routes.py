"""The pages on the real app (real runtime, real store): forms refuse a missing or foreign
CSRF token, a changed cookie is no session, cookies are HttpOnly, Lax and (over https) Secure,
and every page carries the one content security policy."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from shieldwall.api.app import create_app
from shieldwall.core.settings import Settings
from shieldwall.core.types import LOCAL_OWNER
from shieldwall.runtime import Runtime, open_runtime
from shieldwall.web.base import CSP, TEMPLATES
from shieldwall.web.sessions import COOKIE

PASSWORD = "a long enough passphrase"
REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    rt = open_runtime(Settings(home=tmp_path / "home"))
    try:
        yield rt
    finally:
        rt.close()


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime), base_url="https://testserver") as c:
        yield c


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def _user(runtime: Runtime, email: str) -> str:
    gate = runtime.gateway
    made = gate.invoke(
        "gateway.users.create", {"email": email, "name": "Nia", "password": PASSWORD}, LOCAL_OWNER
    ).result
    token = runtime.identities.start_email_verification(made["user_id"])
    gate.invoke("gateway.users.verify_email", {"token": token}, LOCAL_OWNER)
    return str(made["user_id"])


def _sign_in(client: TestClient, email: str) -> str:
    """Sign in by the form; the Set-Cookie header of the answer."""
    token = _csrf(client.get("/login").text)
    done = client.post(
        "/login",
        data={"csrf_token": token, "email": email, "password": PASSWORD, "next": "/approvals"},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    assert done.headers["location"] == "/approvals"
    return str(done.headers["set-cookie"])


def test_a_form_without_the_sessions_token_is_refused(client: TestClient) -> None:
    token = _csrf(client.get("/check").text)
    ok = client.post("/check/url", data={"csrf_token": token, "url": "https://example.org/"})
    assert ok.status_code == 200
    for data in ({"url": "https://example.org/"}, {"csrf_token": token + "x", "url": "x"}):
        refused = client.post("/check/url", data=data)
        assert refused.status_code == 403
        assert refused.headers["content-type"].startswith("text/html")
        assert "did not come from this site" in refused.text


def test_a_token_from_another_browser_is_refused(runtime: Runtime) -> None:
    app = create_app(runtime)
    with TestClient(app) as one, TestClient(app) as two:
        token = _csrf(one.get("/check").text)
        two.get("/check")
        assert two.post("/check/url", data={"csrf_token": token, "url": "x.org"}).status_code == 403


def test_sign_in_cookie_flags_and_tampering(runtime: Runtime, client: TestClient) -> None:
    user = _user(runtime, "nia@clinic.example")
    header = _sign_in(client, "nia@clinic.example").lower()
    assert header.startswith(f"{COOKIE}=")
    assert "httponly" in header
    assert "samesite=lax" in header
    assert "secure" in header
    cookie = client.cookies.get(COOKIE)
    assert cookie
    page = client.get("/account")
    assert page.status_code == 200
    assert f"user:{user}" in page.text

    client.cookies.clear()
    client.cookies.set(COOKIE, cookie[:-3] + ("AAA" if not cookie.endswith("AAA") else "BBB"))
    forged = client.get("/account", follow_redirects=False)
    assert forged.status_code == 303
    assert forged.headers["location"] == "/login?next=/account"
    client.cookies.clear()
    client.cookies.set(COOKIE, cookie)  # the same way, unchanged: still signed in
    assert client.get("/account", follow_redirects=False).status_code == 200


def test_the_session_cookie_is_set_on_first_visit_with_its_flags(runtime: Runtime) -> None:
    with TestClient(create_app(runtime), base_url="https://testserver") as c:
        header = c.get("/").headers["set-cookie"].lower()
    assert header.startswith(f"{COOKIE}=")
    assert "httponly" in header
    assert "samesite=lax" in header
    assert "secure" in header
    with TestClient(create_app(runtime)) as plain:  # http: not Secure, or it would not come back
        assert "secure" not in plain.get("/").headers["set-cookie"].lower()


def test_signing_out_ends_the_session_and_voids_old_tokens(
    runtime: Runtime, client: TestClient
) -> None:
    _user(runtime, "ola@clinic.example")
    _sign_in(client, "ola@clinic.example")
    copied = client.cookies.get(COOKIE)  # as a thief, or a shared computer, would keep it
    assert copied
    token = _csrf(client.get("/account").text)
    out = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/account", follow_redirects=False).status_code == 303
    again = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert again.status_code == 403
    # The session's key was revoked, not only dropped from the browser: the copy opens nothing.
    client.cookies.clear()
    client.cookies.set(COOKIE, copied)
    stale = client.get("/account", follow_redirects=False)
    assert stale.status_code == 303
    assert stale.headers["location"] == "/login?next=/account"
    (key,) = [k for k in runtime.keys.list() if k.name == "web session"]
    assert key.revoked_at is not None


def test_a_wrong_password_is_refused_without_saying_which(
    runtime: Runtime, client: TestClient
) -> None:
    _user(runtime, "kai@clinic.example")
    token = _csrf(client.get("/login").text)
    for email in ("kai@clinic.example", "nobody@clinic.example"):
        bad = client.post(
            "/login", data={"csrf_token": token, "email": email, "password": "wrong wrong wrong"}
        )
        assert bad.status_code == 401
        assert "the e-mail address or the password is not right" in bad.text
        assert client.cookies.get(COOKIE) is not None


def test_a_redirect_after_sign_in_stays_on_this_site(runtime: Runtime, client: TestClient) -> None:
    _user(runtime, "lee@clinic.example")
    token = _csrf(client.get("/login").text)
    done = client.post(
        "/login",
        data={
            "csrf_token": token,
            "email": "lee@clinic.example",
            "password": PASSWORD,
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert done.headers["location"] == "/account"


def test_pages_carry_the_policy_and_templates_have_no_inline_script(client: TestClient) -> None:
    for path in ("/", "/check", "/ledger", "/hub", "/defend", "/login", "/password"):
        page = client.get(path)
        assert page.headers["content-security-policy"] == CSP
        assert page.headers["x-frame-options"] == "DENY"
    for template in TEMPLATES.glob("*.html"):
        for tag in re.findall(r"<script[^>]*>", template.read_text()):
            assert "src=" in tag or 'type="application/json"' in tag, (template.name, tag)


def test_errors_on_pages_are_html_and_api_errors_stay_problem_json(client: TestClient) -> None:
    page = client.get("/ledger/entries/999999")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "there is no entry 999999" in page.text
    api = client.get("/api/v1/ledger/entries/999999")
    assert api.headers["content-type"] == "application/problem+json"


def test_an_oversized_form_is_refused_before_it_is_read(client: TestClient) -> None:
    token = _csrf(client.get("/check").text)
    big = client.post("/check/message", data={"csrf_token": token, "text": "x" * (600 << 10)})
    assert big.status_code == 400
    assert "at most" in big.text


def test_static_files_are_a_fixed_set(client: TestClient) -> None:
    assert client.get("/static/site.css").headers["content-type"].startswith("text/css")
    for name in ("../pages.py", "..%2Fpages.py", "base.py", "site.css.map", "SITE.CSS"):
        assert client.get(f"/static/{name}").status_code == 404


def test_a_held_note_can_be_rejected_and_then_never_runs(tmp_path: Path) -> None:
    policy = json.loads((REPO / "src/shieldwall/gateway/default_policy.json").read_text())
    policy["rules"].append({"capability": "ledger.append", "effect": "hold"})
    (tmp_path / "policy.json").write_text(json.dumps(policy))
    rt = open_runtime(Settings(home=tmp_path / "home", policy_file=tmp_path / "policy.json"))
    try:
        ana, ben = _user(rt, "ana@clinic.example"), _user(rt, "ben@clinic.example")
        org = rt.gateway.invoke("gateway.orgs.create", {"name": "Clinic"}, LOCAL_OWNER).result
        for user, role in ((ana, "member"), (ben, "approver")):
            rt.gateway.invoke(
                "gateway.orgs.add_member",
                {"org_id": org["org_id"], "user_id": user, "role": role},
                LOCAL_OWNER,
            )
        app = create_app(rt)
        with TestClient(app) as asker, TestClient(app) as approver:
            _sign_in(asker, "ana@clinic.example")
            token = _csrf(asker.get("/ledger").text)
            held = asker.post("/ledger/notes", data={"csrf_token": token, "note": "open port 22"})
            assert held.status_code == 202
            approval = re.search(r'id="held-id">([^<]+)<', held.text)
            assert approval
            _sign_in(approver, "ben@clinic.example")
            page = approver.get("/approvals")
            assert f'id="approval-{approval.group(1)}"' in page.text
            done = approver.post(
                f"/approvals/{approval.group(1)}/reject",
                data={"csrf_token": _csrf(page.text), "reason": "no ticket"},
            )
            assert done.status_code == 200
            assert f"Request <code>{approval.group(1)}</code> rejected" in done.text
            bogus = approver.post(
                f"/approvals/{approval.group(1)}/maybe", data={"csrf_token": _csrf(page.text)}
            )
            assert bogus.status_code == 404
        entries = [json.loads(e) for e in rt.ledger.entries()]
        assert not [e for e in entries if e.get("kind") == "record"]
        assert [e["answer"] for e in entries if e.get("kind") == "approval"] == ["reject"]
    finally:
        rt.close()


def test_a_form_sent_after_the_session_ended_comes_back_to_its_page(client: TestClient) -> None:
    token = _csrf(client.get("/check").text)
    late = client.post(
        "/org/claims", data={"csrf_token": token, "domain": "x.org"}, follow_redirects=False
    )
    assert late.status_code == 303
    assert late.headers["location"] == "/login?next=/org"
