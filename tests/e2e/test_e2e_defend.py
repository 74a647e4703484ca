"""The defender dashboard in a real browser: a vetted defender uploads a Sysmon-style JSON lines
file, picks a rule set from the operator's rules directory, watches the run, lands on the run's
incidents with their ATT&CK heatmap, filters them, and opens the incident: triage, timeline,
techniques by name, and the evidence with its source (file:record).

The run goes through the door as ``detect.run_upload``: the upload named by its id, for the
person who uploaded it, with a rule set named under the operator's rules directory.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from e2e_support import sign_in, verified_user, write_rules
from live_server import LiveServer
from playwright.sync_api import expect

from shieldwall.core.types import LOCAL_OWNER
from shieldwall.web.uploads import RULES_ENV, Uploads

SYSMON = "Microsoft-Windows-Sysmon/Operational"
LSASS_TITLE = "LSASS dump with comsvcs"
RULES = {
    "windows/lsass.yml": f"""\
title: {LSASS_TITLE}
id: 2a9e7b1c-1111-4c3b-9d5e-0f1a2b3c4d5e
status: test
description: Dumps the memory of LSASS with comsvcs.dll to read the passwords in it.
logsource: {{product: windows, category: process_creation}}
detection:
  selection:
    Image|endswith: '\\rundll32.exe'
    CommandLine|contains|all: ['comsvcs', 'minidump']
  condition: selection
falsepositives: [Unknown]
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
    "linux/ssh_failed.yml": """\
title: SSH password failure
id: 2a9e7b1c-3333-4c3b-9d5e-0f1a2b3c4d5e
status: test
logsource: {product: linux, service: sshd}
detection:
  keywords: ['Failed password']
  condition: keywords
level: medium
tags: [attack.credential-access, attack.t1110]
""",
}
EVENTS = [
    {  # record 1: whoami on WS7
        "EventID": 1,
        "Channel": SYSMON,
        "Computer": "WS7.corp.example",
        "TimeCreated": "2024-03-01T11:58:00Z",
        "Image": "C:\\Windows\\System32\\whoami.exe",
        "CommandLine": "whoami /all",
        "User": "CORP\\eve",
    },
    {  # record 2: LSASS dumped with comsvcs on WS7, two minutes later
        "EventID": 1,
        "Channel": SYSMON,
        "Computer": "WS7.corp.example",
        "TimeCreated": "2024-03-01T12:00:00Z",
        "Image": "C:\\Windows\\System32\\rundll32.exe",
        "CommandLine": "rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 624 l.dmp full",
        "ParentImage": "C:\\Windows\\System32\\cmd.exe",
        "User": "CORP\\eve",
    },
    {  # record 3: nothing to see
        "EventID": 1,
        "Channel": SYSMON,
        "Computer": "WS7.corp.example",
        "TimeCreated": "2024-03-01T12:06:00Z",
        "Image": "C:\\Windows\\System32\\notepad.exe",
        "CommandLine": "notepad.exe",
    },
    {  # record 4: whoami on another machine, an hour later: an incident of its own
        "EventID": 1,
        "Channel": SYSMON,
        "Computer": "WS9.corp.example",
        "TimeCreated": "2024-03-01T13:30:00Z",
        "Image": "C:\\Windows\\System32\\whoami.exe",
        "CommandLine": "whoami",
        "User": "CORP\\bob",
    },
]


# -- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The operator's rules directory (the server is made after this fixture)."""
    root = write_rules(tmp_path / "sigma", RULES)
    monkeypatch.setenv(RULES_ENV, str(root))
    return root


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    path = tmp_path / "sysmon.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in EVENTS), encoding="utf-8")
    return path


@pytest.fixture
def defender(server: LiveServer) -> str:
    """A vetted defender (tier 3) with an account on the server."""
    user = verified_user(server, "dee@clinic.example", "Dee")
    server.runtime.gateway.invoke("gateway.users.vet", {"user_id": user}, LOCAL_OWNER)
    return user


# -- the test ------------------------------------------------------------------------------------


def test_log_upload_ends_in_an_incident_page(
    server: LiveServer, defender: str, logs: Path, tab: Any
) -> None:
    page = tab.page
    sign_in(tab, server, "dee@clinic.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Defend").click()
    expect(page.locator("#no-incidents")).to_be_visible()
    page.get_by_role("navigation", name="Defend").get_by_role("link", name="Upload logs").click()
    page.wait_for_url(f"{server.url}/defend/upload")
    expect(page.locator("#no-rules")).to_have_count(0)
    expect(page.get_by_label("Rule set").locator("option")).to_have_text(
        ["all rules", "linux", "windows"]
    )
    page.get_by_label("Log files").set_input_files(str(logs))
    page.get_by_label("Rule set").select_option(label="windows")
    page.get_by_role("button", name="Upload and run").click()

    # The status page, then (by itself) the run's incidents.
    page.wait_for_url(f"{server.url}/defend?run=*")
    summary = page.locator("#run-summary")
    expect(summary).to_contain_text("Run finished: 2 incidents")
    expect(summary).to_contain_text("4 events read from 1 file")
    rows = page.locator("#incidents tbody tr")
    expect(rows).to_have_count(2)
    top = rows.first
    expect(top).to_contain_text(LSASS_TITLE)
    expect(top).to_contain_text("WS7.corp.example")
    expect(top).to_contain_text("T1003.001")
    heat = page.locator("#heatmap .matrix")
    expect(heat).to_contain_text("Credential Access")
    expect(heat.locator(".tech", has_text="T1003.001")).to_contain_text("LSASS Memory")
    expect(heat.locator(".tech", has_text="T1033").locator(".n")).to_have_text("2")  # both
    tab.shot("defend")

    # Filters: by level, and back; by host.
    page.get_by_label("Lowest level").select_option("high")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(LSASS_TITLE)
    page.get_by_role("link", name="Clear filters").click()
    expect(rows).to_have_count(2)
    rows.nth(1).get_by_role("link", name="WS9.corp.example", exact=True).click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Whoami run")
    page.get_by_role("link", name="Clear filters").click()

    # The incident.
    page.get_by_role("link", name=LSASS_TITLE, exact=False).first.click()
    page.wait_for_url(f"{server.url}/defend/incidents/inc_*")
    expect(page.locator("#incident-title")).to_contain_text(LSASS_TITLE)
    triage = page.locator("#triage")
    expect(triage.locator(".prio")).to_have_text("P2")  # high: two rules, two tactics
    expect(triage).to_contain_text("What happened")
    expect(triage.locator("ol.next-steps li").first).to_be_visible()
    expect(page.locator("#techniques")).to_contain_text("OS Credential Dumping: LSASS Memory")
    expect(page.locator("#techniques")).to_contain_text("System Owner/User Discovery")
    expect(page.locator("#timeline svg rect")).to_have_count(2)  # two alerts, two bars
    alerts = page.locator("#alert-table tbody tr")
    expect(alerts).to_have_count(2)
    lsass = alerts.filter(has_text=LSASS_TITLE)
    expect(lsass).to_contain_text("comsvcs.dll, MiniDump 624")
    expect(lsass.locator("code.source")).to_have_text("sysmon.jsonl:2")
    expect(alerts.filter(has_text="Whoami run").locator("code.source")).to_have_text(
        "sysmon.jsonl:1"
    )
    tab.shot("incident")
    tab.assert_clean()

    # The uploaded logs are gone from the server; what was uploaded is on record.
    uploads = server.runtime.settings.home / "web" / "uploads"
    (folder,) = [p for p in uploads.iterdir() if p.name.startswith("up_")]
    assert not (folder / "files").exists()
    manifest = json.loads((folder / "upload.json").read_text())
    assert manifest["files"][0]["name"] == "sysmon.jsonl"
    assert manifest["files"][0]["bytes"] == logs.stat().st_size


def test_the_upload_page_says_what_is_missing(
    server: LiveServer, tab: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A verified (tier 1) user may look but not upload; with no rules directory the page
    says how to configure one."""
    verified_user(server, "tia@clinic.example", "Tia")
    sign_in(tab, server, "tia@clinic.example")
    monkeypatch.delenv(RULES_ENV)
    tab.visit(f"{server.url}/defend/upload")
    expect(tab.page.locator("#needs-tier")).to_contain_text("You are tier 1")
    expect(tab.page.locator("#no-rules")).to_contain_text(f"{RULES_ENV}=")
    expect(tab.page.get_by_role("button", name="Upload and run")).to_have_count(0)
    tab.visit(f"{server.url}/defend")
    expect(tab.page.locator("#no-incidents")).to_be_visible()
    tab.assert_clean()


def test_the_status_page_follows_the_run_by_itself(
    server: LiveServer, defender: str, tab: Any
) -> None:
    """The page's script shows the progress the worker writes, and moves on when the run
    ends (here: refused, as detect.run refuses a web account)."""
    store = Uploads(server.runtime.settings.home / "web" / "uploads")
    upload_id = store.create()
    owner = server.runtime.identities.principal(defender).id
    files = [{"name": f"{n}.log", "bytes": 100, "sha256": "0" * 64} for n in (1, 2)]
    store.write_manifest(upload_id, {"owner": owner, "files": files, "capability": "detect.run"})
    store.update_status(upload_id, state="running")
    sign_in(tab, server, "dee@clinic.example")
    tab.visit(f"{server.url}/defend/uploads/{upload_id}")
    page = tab.page
    text = page.locator("#progress-text")
    expect(text).to_have_text("0 of 2 files read · 0 events")
    store.update_status(upload_id, files_done=1, bytes_done=100, events_read=42)
    expect(text).to_have_text("1 of 2 files read · 42 events")
    expect(page.locator("#progress-bar")).to_have_js_property("value", 100)
    store.update_status(
        upload_id,
        state="failed",
        error={
            "code": "detect.local_only",
            "title": "Refused by policy",
            "message": "detect.run reads paths on this machine, which only its local owner may do",
            "hint": "Run it with the `shieldwall` command on the machine itself.",
            "ledger_index": None,
        },
    )
    failed = page.locator("#upload-failed")
    expect(failed).to_contain_text("which only its local owner may do")
    expect(page.locator("#upload-progress")).to_have_count(0)
    tab.assert_clean()
