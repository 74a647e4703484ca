"""Investigations from the web on the real app (real runtime, a real detection run, the agent
through the real door): started from an incident's page, followed as server-sent events, ending
in a report with findings, evidence links, what was not checked and what to do; a proposal
waits for an approver; refusals are shown at once; runs are their starter's own. Plus the
views of the agent's answers (hypothesis holds them to being lenient)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from shieldwall.ai.agent.progress import EventKind, ProgressEvent
from shieldwall.api.app import create_app
from shieldwall.core.errors import InputError, ThrottledError
from shieldwall.core.settings import Settings
from shieldwall.core.types import LOCAL_OWNER, Principal
from shieldwall.runtime import Runtime, open_runtime
from shieldwall.web.investigate import (
    InvestigationRunner,
    Investigations,
    event_line,
    investigation_request,
    report_view,
    step_text,
)
from shieldwall.web.uploads import RULES_ENV, Uploads

PASSWORD = "a long enough passphrase"
LSASS = """\
title: LSASS dump with comsvcs
id: 2a9e7b1c-1111-4c3b-9d5e-0f1a2b3c4d5e
status: test
logsource: {product: windows, category: process_creation}
detection:
  selection:
    Image|endswith: '\\rundll32.exe'
    CommandLine|contains|all: ['comsvcs', 'minidump']
  condition: selection
level: high
tags: [attack.credential-access, attack.t1003.001]
"""
EVENTS = [
    {
        "EventID": 1,
        "Channel": "Microsoft-Windows-Sysmon/Operational",
        "Computer": "WS7.corp.example",
        "TimeCreated": "2024-03-01T12:00:00Z",
        "Image": "C:\\Windows\\System32\\rundll32.exe",
        "CommandLine": "rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 624 l.dmp full",
        "User": "CORP\\eve",
    }
]
MAIL = """\
From: "PayPal" <service@paypa1-secure.com>
To: ana@clinic.example
Subject: Your account is limited

Confirm your details at http://paypa1-secure.com/login?id=3 or your account will be closed.
"""


def _user(runtime: Runtime, email: str, *, vetted: bool = False, org: str | None = None) -> Any:
    gate = runtime.gateway
    made = gate.invoke(
        "gateway.users.create", {"email": email, "name": "Nia", "password": PASSWORD}, LOCAL_OWNER
    ).result
    token = runtime.identities.start_email_verification(made["user_id"])
    gate.invoke("gateway.users.verify_email", {"token": token}, LOCAL_OWNER)
    if vetted:
        gate.invoke("gateway.users.vet", {"user_id": made["user_id"]}, LOCAL_OWNER)
    if org is not None:
        gate.invoke(
            "gateway.orgs.add_member",
            {"org_id": org, "user_id": made["user_id"], "role": "member"},
            LOCAL_OWNER,
        )
    return runtime.identities.principal(made["user_id"])


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def _sign_in(client: TestClient, email: str) -> None:
    token = _csrf(client.get("/login").text)
    done = client.post(
        "/login",
        data={"csrf_token": token, "email": email, "password": PASSWORD},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text


def _incident(runtime: Runtime, who: Principal, rules: Path) -> str:
    """An incident found by a real detection run over an upload of ``who``."""
    uploads = Uploads(runtime.settings.home / "web" / "uploads")
    upload = uploads.create()
    (uploads.files_dir(upload) / "sysmon.jsonl").write_text(
        "".join(json.dumps(e) + "\n" for e in EVENTS), encoding="utf-8"
    )
    uploads.write_manifest(upload, {"owner": who.id, "files": []})
    done = runtime.gateway.invoke("detect.run_upload", {"upload": upload}, who).result
    (incident,) = done["incidents"]
    return str(incident["id"])


def _finished(client: TestClient, url: str) -> str:
    """The run's page once the run has ended (the worker thread runs it meanwhile)."""
    deadline = time.monotonic() + 120
    while True:
        page = client.get(url)
        if 'id="investigation-progress"' not in page.text or time.monotonic() > deadline:
            return page.text
        time.sleep(0.1)


def _events(body: str) -> list[tuple[str, dict[str, Any], str | None]]:
    out: list[tuple[str, dict[str, Any], str | None]] = []
    for block in body.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.split("\n") if ": " in line)
        if "event" in fields:
            out.append((fields["event"], json.loads(fields["data"]), fields.get("id")))
    return out


@pytest.fixture
def rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "sigma"
    root.mkdir()
    (root / "lsass.yml").write_text(LSASS, encoding="utf-8")
    monkeypatch.setenv(RULES_ENV, str(root))
    return root


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


# -- the pages -----------------------------------------------------------------------------------


def test_an_incident_is_investigated_from_its_page_to_the_report(
    runtime: Runtime, client: TestClient, rules: Path
) -> None:
    dee = _user(runtime, "dee@clinic.example", vetted=True)
    incident = _incident(runtime, dee, rules)
    _sign_in(client, "dee@clinic.example")
    page = client.get(f"/defend/incidents/{incident}")
    form = page.text.split('id="investigate-form"')[1].split("</form>")[0]
    assert f'name="incident_id" value="{incident}"' in form
    assert "Investigate with the agent" in form

    started = client.post(
        "/investigations",
        data={"csrf_token": _csrf(page.text), "incident_id": incident},
        follow_redirects=False,
    )
    assert started.status_code == 303, started.text
    url = started.headers["location"]
    assert re.fullmatch(r"/investigations/wi_[0-9a-f]{24}", url)
    html = _finished(client, url)

    assert 'id="report-summary"' in html
    assert f"Incident {incident}: LSASS dump with comsvcs on WS7.corp.example" in html
    findings = html.split('id="findings"')[1].split("</section>")[0]
    assert "A credential-dumping command line" in findings
    assert "high confidence" in findings
    assert f'<a href="/defend/incidents/{incident}#alerts"><code>sysmon.jsonl:1</code></a>' in (
        findings
    )  # the upload's directory is cut out of the source
    assert re.search(r'href="/ledger/entries/\d+">decision #\d+</a>', findings)
    assert '<a href="/defend?technique=T1003.001">T1003.001</a>' in findings
    assert "What was not checked" in html
    actions = html.split('id="actions"')[1].split("</section>")[0]
    assert "isolate the host" in actions
    calls = html.split('id="call-table"')[1].split("</table>")[0]
    assert "detect.incidents.get" in calls
    steps = re.findall(r'<li data-seq="(\d+)" data-kind="([a-z_]+)">', html)
    assert steps[0] == ("1", "started")
    assert [int(s) for s, _ in steps] == sorted(int(s) for s, _ in steps)
    assert "investigate.js" not in html  # nothing left to follow

    listed = client.get("/investigations")
    assert incident in listed.text
    assert '<span class="status status-verified">done</span>' in listed.text

    # The stream of a run that ended: every step in order, then the end.
    run_id = url.rsplit("/", 1)[1]
    stream = client.get(f"/investigations/{run_id}/events")
    assert stream.headers["content-type"].startswith("text/event-stream")
    events = _events(stream.text)
    assert events[0][0] == "started"
    assert events[-1] == ("end", {"state": "done"}, None)
    assert events[-2][0] == "report"
    ids = [int(i) for _k, _d, i in events if i is not None]
    assert ids == list(range(1, len(ids) + 1))
    assert all(d["text"] for _k, d, i in events if i is not None)
    later = _events(
        client.get(f"/investigations/{run_id}/events", headers={"Last-Event-ID": "2"}).text
    )
    assert [int(i) for _k, _d, i in later if i is not None] == ids[2:]

    # Another person: the run does not exist for them.
    client.cookies.clear()
    _user(runtime, "ben@clinic.example")
    _sign_in(client, "ben@clinic.example")
    assert client.get(url).status_code == 404
    assert client.get(f"/investigations/{run_id}/events").status_code == 404
    assert incident not in client.get("/investigations").text


def test_a_proposal_waits_for_an_approver(runtime: Runtime, client: TestClient) -> None:
    org = runtime.gateway.invoke("gateway.orgs.create", {"name": "Clinic"}, LOCAL_OWNER).result
    _user(runtime, "ana@clinic.example", org=org["org_id"])
    coll = runtime.gateway.invoke(
        "intel.collection.create",
        {"title": "clinic-iocs", "owner_org": org["org_id"], "tlp": "amber"},
        LOCAL_OWNER,
    ).result
    _sign_in(client, "ana@clinic.example")
    page = client.get("/investigations")
    assert f'<option value="{coll["id"]}">clinic-iocs</option>' in page.text
    started = client.post(
        "/investigations",
        data={
            "csrf_token": _csrf(page.text),
            "question": "Is this mail phishing?",
            "evidence": MAIL,
            "share_to": coll["id"],
        },
        follow_redirects=False,
    )
    assert started.status_code == 303, started.text
    html = _finished(client, started.headers["location"])
    pending = html.split('id="pending"')[1].split("</section>")[0]
    approval = re.search(r'href="/approvals#approval-([a-z0-9_]+)"', pending)
    assert approval, pending
    assert "intel.objects.add" in pending
    assert '<a href="/approvals">Approvals</a>' in pending
    listed = runtime.gateway.invoke("gateway.approvals.list", {"status": "pending"}, LOCAL_OWNER)
    assert approval.group(1) in {a["id"] for a in listed.result}
    assert "Is this mail phishing?" in client.get("/investigations").text


def test_refusals_and_bad_forms_are_shown_at_once(
    runtime: Runtime, client: TestClient, rules: Path
) -> None:
    # An account whose e-mail is not confirmed is tier 0: the door refuses agent.investigate.
    runtime.gateway.invoke(
        "gateway.users.create",
        {"email": "new@clinic.example", "name": "New", "password": PASSWORD},
        LOCAL_OWNER,
    )
    _sign_in(client, "new@clinic.example")
    page = client.get("/investigations")
    token = _csrf(page.text)
    refused = client.post("/investigations", data={"csrf_token": token, "question": "Anything?"})
    assert refused.status_code == 403
    assert 'id="investigation-failed"' in refused.text
    assert 'role="alert"' in refused.text
    assert client.post("/investigations", data={"question": "x"}).status_code == 403  # no token
    empty = client.post("/investigations", data={"csrf_token": token})
    assert empty.status_code == 400
    assert "say what to investigate" in empty.text
    bad = client.post("/investigations", data={"csrf_token": token, "incident_id": "../x"})
    assert bad.status_code == 400
    assert "that is not an incident id" in bad.text

    client.cookies.clear()
    late = client.post("/investigations", data={"incident_id": "x"}, follow_redirects=False)
    assert late.headers["location"] == "/login?next=/investigations"
    anonymous = client.get("/investigations")
    assert 'id="sign-in"' in anonymous.text
    assert client.get("/investigations/wi_000000000000000000000000").status_code == 200  # login
    assert "Log in" in client.get("/investigations/wi_000000000000000000000000").text


def test_an_incident_someone_else_owns_is_not_found_by_the_agent(
    runtime: Runtime, client: TestClient, rules: Path
) -> None:
    dee = _user(runtime, "dee@clinic.example", vetted=True)
    incident = _incident(runtime, dee, rules)
    _user(runtime, "ben@clinic.example")
    _sign_in(client, "ben@clinic.example")
    token = _csrf(client.get("/investigations").text)
    started = client.post("/investigations", data={"csrf_token": token, "incident_id": incident})
    html = _finished(client, str(started.url)) if started.history else started.text
    assert "there is no incident" in html
    assert "LSASS" not in html
    assert "comsvcs" not in html


# -- the store and the runner ----------------------------------------------------------------


def test_a_busy_runner_refuses_more(runtime: Runtime, tmp_path: Path) -> None:
    store = Investigations(tmp_path / "runs")
    runner = InvestigationRunner(store, runtime.gateway, max_pending=0)
    with pytest.raises(ThrottledError):
        runner.submit(store.create({"owner": "user:a"}), {"question": "x"}, LOCAL_OWNER)


def test_runs_belong_to_their_starter_and_half_written_lines_wait(tmp_path: Path) -> None:
    store = Investigations(tmp_path / "runs")
    run = store.create({"owner": "user:a", "question": "q"})
    store.append_event(run, {"seq": 1, "kind": "started", "text": "Started"})
    with (tmp_path / "runs" / run / "events.jsonl").open("a") as out:
        out.write('{"seq": 2, "kind": "no')  # a line still being written
    assert [e["seq"] for e in store.events(run, owner="user:a")] == [1]
    assert store.events(run, owner="user:a", after=1) == []
    with pytest.raises(Exception, match="no such investigation"):
        store.events(run, owner="user:b")
    with pytest.raises(Exception, match="no such investigation"):
        store.manifest("wi_../../etc", owner="user:a")
    assert [r["id"] for r in store.runs(owner="user:a")] == [run]
    assert store.runs(owner="user:b") == []


def test_each_step_reads_as_a_sentence() -> None:
    call = ProgressEvent(
        kind=EventKind.TOOL_RESULT,
        investigation="inv_1",
        seq=3,
        data={
            "call": "c1",
            "capability": "detect.incidents.get",
            "status": "ok",
            "decision_index": 9,
        },
    )
    assert event_line(call) == {
        "seq": 3,
        "kind": "tool_result",
        "text": "c1: detect.incidents.get answered ok (ledger #9)",
    }
    report = ProgressEvent(kind=EventKind.REPORT, investigation="i", seq=9, data={"report": {}})
    assert event_line(report)["text"] == "The report is written"
    assert step_text("plan", {"steps": [{"check": "intel", "value": "2 indicators"}]}) == (
        "Plan: intel (2 indicators)"
    )


def test_what_a_form_asks_for() -> None:
    assert investigation_request({"incident_id": "inc_" + "a" * 24}) == (
        {"incident_id": "inc_" + "a" * 24},
        {"incident_id": "inc_" + "a" * 24},
    )
    payload, about = investigation_request({"evidence": "text", "share_to": "iocs"})
    assert payload == {"evidence": [{"name": "pasted.txt", "text": "text"}], "share_to": "iocs"}
    assert about["question"] == "the evidence pasted"
    for bad in ({}, {"incident_id": "inc_1"}, {"question": "x" * 5000}):
        with pytest.raises(InputError):
            investigation_request(bad)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=25,
)
report_keys = st.sampled_from(
    [
        "subject",
        "findings",
        "proposals",
        "tool_calls",
        "budget",
        "not_checked",
        "recommended_actions",
        "guard",
        "summary",
        "transcript_record_index",
    ]
)


@given(st.dictionaries(report_keys, json_values), st.text(max_size=12), json_values)
@settings(max_examples=300)
def test_any_report_and_step_make_a_page(report: dict[str, Any], kind: str, data: Any) -> None:
    report_view(report, Uploads(Path("/nonexistent/uploads")))
    assert isinstance(step_text(kind, data if isinstance(data, dict) else {}), str)


@given(
    st.dictionaries(
        st.sampled_from(["incident_id", "question", "evidence", "share_to"]),
        st.one_of(st.text(max_size=50), st.binary(max_size=5)),
    )
)
def test_any_form_is_a_request_or_an_input_error(form: dict[str, Any]) -> None:
    try:
        payload, _about = investigation_request(form)
    except InputError:
        return
    assert payload
