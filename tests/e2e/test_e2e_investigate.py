"""Investigations in a real browser: a vetted defender uploads logs, a real detection run makes
an incident, and from the incident's page the agent investigates it to a report with findings,
evidence links, what was not checked and what to do. The live page follows the run's
server-sent events (its script adds each step as the worker writes it, then shows the report);
without JavaScript the page refreshes itself until the report is there."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from e2e_support import PASSWORD, sign_in, verified_user, write_rules
from live_server import LiveServer
from playwright.sync_api import Browser, expect

from shieldwall.core.types import LOCAL_OWNER
from shieldwall.web.investigate import Investigations
from shieldwall.web.uploads import RULES_ENV

LSASS_TITLE = "LSASS dump with comsvcs"
RULES = {
    "windows/lsass.yml": f"""\
title: {LSASS_TITLE}
id: 2a9e7b1c-1111-4c3b-9d5e-0f1a2b3c4d5e
status: test
logsource: {{product: windows, category: process_creation}}
detection:
  selection:
    Image|endswith: '\\rundll32.exe'
    CommandLine|contains|all: ['comsvcs', 'minidump']
  condition: selection
level: high
tags: [attack.credential-access, attack.t1003.001]
""",
    "windows/whoami.yml": """\
title: Whoami run
id: 2a9e7b1c-2222-4c3b-9d5e-0f1a2b3c4d5e
status: test
logsource: {product: windows, category: process_creation}
detection:
  selection: {Image|endswith: '\\whoami.exe'}
  condition: selection
level: low
tags: [attack.discovery, attack.t1033]
""",
}
SYSMON = "Microsoft-Windows-Sysmon/Operational"
EVENTS = [
    {
        "EventID": 1,
        "Channel": SYSMON,
        "Computer": "WS7.corp.example",
        "TimeCreated": "2024-03-01T11:58:00Z",
        "Image": "C:\\Windows\\System32\\whoami.exe",
        "CommandLine": "whoami /all",
        "User": "CORP\\eve",
    },
    {
        "EventID": 1,
        "Channel": SYSMON,
        "Computer": "WS7.corp.example",
        "TimeCreated": "2024-03-01T12:00:00Z",
        "Image": "C:\\Windows\\System32\\rundll32.exe",
        "CommandLine": "rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 624 l.dmp full",
        "User": "CORP\\eve",
    },
]


@pytest.fixture(autouse=True)
def rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The operator's rules directory (the server is made after this fixture)."""
    root = write_rules(tmp_path / "sigma", RULES)
    monkeypatch.setenv(RULES_ENV, str(root))
    return root


@pytest.fixture
def defender(server: LiveServer) -> str:
    user = verified_user(server, "dee@clinic.example", "Dee")
    server.runtime.gateway.invoke("gateway.users.vet", {"user_id": user}, LOCAL_OWNER)
    return user


def test_an_incident_from_a_detect_run_is_investigated_to_a_report(
    server: LiveServer, defender: str, tab: Any, tmp_path: Path
) -> None:
    logs = tmp_path / "sysmon.jsonl"
    logs.write_text("".join(json.dumps(e) + "\n" for e in EVENTS), encoding="utf-8")
    page = tab.page
    sign_in(tab, server, "dee@clinic.example")
    tab.visit(f"{server.url}/defend/upload")
    page.get_by_label("Log files").set_input_files(str(logs))
    page.get_by_role("button", name="Upload and run").click()
    page.wait_for_url(f"{server.url}/defend?run=*")
    page.get_by_role("link", name=LSASS_TITLE, exact=False).first.click()
    page.wait_for_url(f"{server.url}/defend/incidents/inc_*")
    incident = page.url.rsplit("/", 1)[1]

    page.get_by_role("button", name="Investigate with the agent").click()
    page.wait_for_url(f"{server.url}/investigations/wi_*")
    summary = page.locator("#report-summary")
    expect(summary).to_contain_text(f"Incident {incident}")
    expect(summary).to_contain_text("confidence")
    findings = page.locator("#findings li.finding")
    credential = findings.filter(has_text="A credential-dumping command line")
    expect(credential.locator(".sev")).to_have_text("high")
    expect(credential).to_contain_text("rundll32.exe C:\\Windows\\System32\\comsvcs.dll")
    source = credential.get_by_role("link", name="sysmon.jsonl:2")
    expect(source).to_have_attribute("href", f"/defend/incidents/{incident}#alerts")
    expect(credential.get_by_role("link", name="decision #", exact=False).first).to_have_attribute(
        "href", re.compile(r"^/ledger/entries/\d+$")
    )
    expect(page.locator("#not-checked li").first).to_be_visible()
    expect(page.locator("#actions")).to_contain_text("isolate the host")
    expect(page.locator("#call-table")).to_contain_text("detect.incidents.get")
    expect(page.locator("#steps li").first).to_contain_text("Started with local")
    tab.shot("investigation")

    # Its evidence leads back: the ledger entry of the call, and the incident.
    decision = credential.get_by_role("link", name="decision #", exact=False).first
    index = str(decision.get_attribute("href")).rsplit("/", 1)[1]
    decision.click()
    expect(page.locator("h1")).to_have_text(f"Ledger entry {index}")
    expect(page.locator("main")).to_contain_text("detect.incidents.get")
    page.go_back()
    page.get_by_role("link", name="All investigations").click()
    expect(page.locator("#run-list")).to_contain_text(incident)
    tab.assert_clean()


def _report(server: LiveServer, who: Any) -> dict[str, Any]:
    """A real report of the agent (a question, for this principal)."""
    return dict(
        server.runtime.gateway.invoke(
            "agent.investigate",
            {"question": "is http://dhl-parcel-fee.top/pay safe?"},
            who,
        ).result
    )


def test_the_live_page_follows_the_stream_then_shows_the_report(
    server: LiveServer, tab: Any
) -> None:
    """The worker's steps appear as it writes them (server-sent events), and the report when
    the run ends: here the test plays the worker's part on the store."""
    user = verified_user(server, "ana@clinic.example", "Ana")
    who = server.runtime.identities.principal(user)
    store = Investigations(server.runtime.settings.home / "web" / "investigations")
    run = store.create({"owner": who.id, "question": "is that link safe?"})
    store.update_status(run, state="running")
    store.append_event(run, {"seq": 1, "kind": "started", "text": "Started with local"})
    sign_in(tab, server, "ana@clinic.example")
    tab.visit(f"{server.url}/investigations/{run}")
    page = tab.page
    steps = page.locator("#steps li")
    expect(steps).to_have_count(1)
    expect(page.locator("#investigation-progress")).to_be_visible()
    store.append_event(
        run, {"seq": 2, "kind": "tool_call", "text": "c1: asks protect.url (step 1 of 12)"}
    )
    expect(steps).to_have_count(2)
    expect(steps.nth(1)).to_have_text("c1: asks protect.url (step 1 of 12)")
    expect(page.locator("#investigation-progress")).to_have_attribute("data-state", "running")
    store.update_status(run, state="done", report=_report(server, who))
    expect(page.locator("#report-summary")).to_be_visible()
    expect(page.locator("#investigation-progress")).to_have_count(0)
    expect(page.locator("#findings")).to_contain_text("Link judged")
    expect(steps).to_have_count(2)
    tab.assert_clean()


def test_without_javascript_the_page_refreshes_to_the_report(
    server: LiveServer, browser: Browser
) -> None:
    user = verified_user(server, "ana@clinic.example", "Ana")
    who = server.runtime.identities.principal(user)
    store = Investigations(server.runtime.settings.home / "web" / "investigations")
    run = store.create({"owner": who.id, "question": "is that link safe?"})
    store.update_status(run, state="running")
    context = browser.new_context(java_script_enabled=False)
    try:
        context.set_default_timeout(30_000)
        page = context.new_page()
        page.goto(f"{server.url}/login")
        page.get_by_label("E-mail address").fill("ana@clinic.example")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{server.url}/account")
        page.goto(f"{server.url}/investigations/{run}")
        expect(page.locator("#investigation-progress")).to_be_visible()
        store.update_status(run, state="done", report=_report(server, who))
        expect(page.locator("#report-summary")).to_be_visible()  # after a refresh or two
        expect(page.locator("#findings")).to_contain_text("Link judged")
    finally:
        context.close()
