"""Signing in and out with a gateway account in a real browser, and what a stale or forged
session gets."""

from __future__ import annotations

from typing import Any

from e2e_support import PASSWORD, sign_in, verified_user
from live_server import LiveServer
from playwright.sync_api import expect


def test_login_and_logout(server: LiveServer, tab: Any) -> None:
    user_id = verified_user(server, "nia@clinic.example", "Nia Okafor")
    page = tab.page

    tab.visit(f"{server.url}/account")  # not signed in: sent to the sign-in page, and back
    expect(page).to_have_url(f"{server.url}/login?next=/account")
    page.get_by_label("E-mail address").fill("nia@clinic.example")
    page.get_by_label("Password").fill("not the password at all")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("the e-mail address or the password")
    # The refused sign-in answers 401, which the browser reports; nothing else went wrong.
    assert [e for e in tab.errors if "status of 401" not in e] == []
    tab.errors.clear()

    sign_in(tab, server, "nia@clinic.example")
    expect(page.locator("h1")).to_have_text("My account")
    expect(page.locator("main")).to_contain_text(f"user:{user_id}")
    expect(page.locator("main")).to_contain_text("1 — verified individual")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Approvals")).to_be_visible()
    cookie = next(c for c in page.context.cookies() if c["name"] == "sw_session")
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Lax"
    assert PASSWORD not in cookie["value"]
    assert "swk_" not in cookie["value"]
    tab.shot("account")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    tab.visit(f"{server.url}/approvals")
    expect(page).to_have_url(f"{server.url}/login?next=/approvals")
    tab.assert_clean()


def test_a_changed_cookie_is_no_session(server: LiveServer, tab: Any) -> None:
    verified_user(server, "ola@clinic.example", "Ola")
    sign_in(tab, server, "ola@clinic.example")
    context = tab.page.context
    cookie = next(c for c in context.cookies() if c["name"] == "sw_session")
    value = cookie["value"]
    flipped = value[:-2] + ("A" if value[-2] != "A" else "B") + value[-1]
    context.add_cookies([{**cookie, "value": flipped}])
    tab.visit(f"{server.url}/account")
    expect(tab.page).to_have_url(f"{server.url}/login?next=/account")
    tab.assert_clean()
