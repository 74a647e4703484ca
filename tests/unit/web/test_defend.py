"""The defender's dashboard on the real app (real runtime, real store, real files): the incident
list with its filters, pages and heatmap, one incident with its evidence, and log upload — who
may, what the form accepts, where the files go, and what the page says when detect refuses.
Plus the parsers of what browsers send (hypothesis holds them to raising only InputError)."""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from shieldwall.api.app import create_app
from shieldwall.core.errors import InputError, StoreError, ThrottledError
from shieldwall.core.settings import Settings
from shieldwall.core.types import LOCAL_OWNER, Principal
from shieldwall.detect.alerts import Alert, Level, RuleInfo, attack_from_tags
from shieldwall.detect.events import EventSource
from shieldwall.detect.incidents import group_alerts
from shieldwall.detect.repository import DetectRepository
from shieldwall.detect.results import IncidentsRequest
from shieldwall.detect.triage import triage_incidents
from shieldwall.runtime import Runtime, open_runtime
from shieldwall.web import defend, uploads
from shieldwall.web.base import CSP, templates
from shieldwall.web.defend import (
    FRAGMENT_CSP,
    IncidentFilters,
    alert_from_json,
    incident_filters,
    incident_view,
)
from shieldwall.web.uploads import (
    RULES_ENV,
    UploadRunner,
    Uploads,
    find_rule_set,
    rule_sets,
    safe_name,
)

PASSWORD = "a long enough passphrase"
T0 = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)


# -- helpers -----------------------------------------------------------------------------------


def _rule(rule_id: str, title: str, level: Level, *tags: str) -> RuleInfo:
    techniques, tactics = attack_from_tags(tags)
    return RuleInfo(
        id=rule_id,
        title=title,
        level=level,
        status="test",
        tags=tags,
        techniques=techniques,
        tactics=tactics,
        falsepositives=("Backup software",),
    )


DUMP = _rule(
    "dump", "LSASS memory dumped", Level.HIGH, "attack.credential-access", "attack.t1003.001"
)
ENC = _rule("enc", "Encoded PowerShell", Level.MEDIUM, "attack.execution", "attack.t1059.001")
WHO = _rule("who", "Whoami run", Level.LOW, "attack.discovery", "attack.t1033")


def _alert(
    rule: RuleInfo,
    minutes: int,
    host: str,
    record: int,
    *,
    file: str = "/logs/Security.evtx",
    **fields: Any,
) -> Alert:
    return Alert(
        rule=rule,
        timestamp=T0 + timedelta(minutes=minutes),
        host=host,
        user=f"user-of-{host.lower()}",
        source=EventSource(file=file, record=record),
        fields=fields,
    )


def _user(runtime: Runtime, email: str, *, vetted: bool = False) -> Principal:
    gate = runtime.gateway
    made = gate.invoke(
        "gateway.users.create", {"email": email, "name": "Nia", "password": PASSWORD}, LOCAL_OWNER
    ).result
    token = runtime.identities.start_email_verification(made["user_id"])
    gate.invoke("gateway.users.verify_email", {"token": token}, LOCAL_OWNER)
    if vetted:
        gate.invoke("gateway.users.vet", {"user_id": made["user_id"]}, LOCAL_OWNER)
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


def _seed(runtime: Runtime, owner: Principal, alerts: list[Alert]) -> tuple[str, list[Any]]:
    """Store incidents of ``alerts`` for ``owner`` as a detection run stores them."""
    triaged = triage_incidents(group_alerts(alerts))
    repo = DetectRepository(runtime.engine)
    run = repo.start_run(owner=owner.id, owner_org=owner.org, paths=["/logs"])
    repo.save_incidents(run.id, triaged, owner=owner.id, owner_org=owner.org)
    repo.finish_run(run.id, events=100, alerts=len(alerts), incidents=len(triaged))
    return run.id, triaged


def _rows(html: str) -> list[str]:
    return re.findall(r'<a href="/defend/incidents/(inc_[0-9a-f]{24})">', html)


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


@pytest.fixture
def rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "sigma"
    (root / "windows").mkdir(parents=True)
    (root / "windows" / "whoami.yml").write_text(
        "title: Whoami run\nid: 2a9e7b1c-2222-4c3b-9d5e-0f1a2b3c4d5e\nstatus: test\n"
        "logsource: {product: windows, category: process_creation}\n"
        "detection: {selection: {Image|endswith: 'whoami.exe'}, condition: selection}\n"
        "level: low\n",
        encoding="utf-8",
    )
    (root / "linux").mkdir()
    (root / ".git").mkdir()
    (root / "README.md").write_text("not a rule set\n")
    (root / "web.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    monkeypatch.setenv(RULES_ENV, str(root))
    return root


# -- the parsers ---------------------------------------------------------------------------------


def test_incident_filters_read_the_query_string() -> None:
    got = incident_filters(
        {"level": "HIGH", "host": " ws01 ", "technique": "t1003", "priority": "p2", "run": "run_1"}
    )
    assert got == IncidentFilters(
        level="high", host="ws01", technique="T1003", priority="P2", run="run_1"
    )
    assert got.payload(limit=5, paged=False) == {
        "limit": 5,
        "min_level": "high",
        "host": "ws01",
        "technique": "T1003",
        "priority": "P2",
        "run_id": "run_1",
    }
    assert incident_filters({}) == IncidentFilters()
    assert not incident_filters({}).narrowed
    assert incident_filters({"upload": "../x"}).upload == ""  # ignored, not an error
    for name, value in (
        ("level", "severe"),
        ("technique", "T10"),
        ("technique", "T1003.1"),
        ("priority", "P5"),
        ("run", "a/b"),
        ("cursor", "not a cursor!"),
        ("host", "ws\n01"),
        ("host", "h" * 256),
    ):
        with pytest.raises(InputError) as caught:
            incident_filters({name: value})
        assert caught.value.location == name


def test_a_filters_query_string_starts_a_new_filter_at_page_one() -> None:
    filters = IncidentFilters(level="high", cursor="abc", run="run_1")
    assert filters.query(host="ws 1", cursor="") == "level=high&host=ws+1&run=run_1"
    assert filters.payload(limit=25, paged=True)["cursor"] == "abc"
    assert "cursor" not in filters.payload(limit=25, paged=False)


@given(
    st.dictionaries(
        st.sampled_from(
            ["level", "host", "technique", "priority", "run", "cursor", "upload", "other"]
        ),
        st.text(max_size=300),
    )
)
def test_accepted_filters_make_a_request_detect_accepts(params: dict[str, str]) -> None:
    try:
        filters = incident_filters(params)
    except InputError as err:
        bad = err.location
    else:
        IncidentsRequest.model_validate(filters.payload(limit=25, paged=True))
        return
    assert bad in params


def test_an_alert_read_back_from_json_is_the_alert() -> None:
    plain = _alert(DUMP, 3, "WS01", 7, CommandLine="procdump -ma lsass.exe", Pid=624)
    zipped = Alert(
        rule=RuleInfo(id="spray", title="Spray", level=Level.CRITICAL, kind="correlation"),
        timestamp=datetime(2024, 5, 1, 12, 0, tzinfo=UTC),
        host=None,
        source=EventSource(file="/l/a.zip", record=3, member="auth.log"),
        related=(EventSource(file="/l/a.zip", record=1, member="auth.log"),),
        group={"source_ip": "203.0.113.7", "count": 3},
    )
    for alert in (plain, zipped):
        assert alert_from_json(alert.to_json()).to_json() == alert.to_json()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)


@given(
    st.dictionaries(
        st.sampled_from(
            [
                "rule_id",
                "rule_title",
                "level",
                "status",
                "techniques",
                "tactics",
                "timestamp",
                "host",
                "user",
                "source",
                "fields",
                "kind",
                "related",
                "group",
            ]
        ),
        json_values,
    )
)
def test_any_alert_json_is_read_leniently(data: dict[str, Any]) -> None:
    alert = alert_from_json(data)
    assert isinstance(alert.rule.level, Level)
    alert.to_json()


def test_safe_names_stay_in_their_folder() -> None:
    taken: set[str] = set()
    assert safe_name("../../etc/passwd", taken) == "passwd"
    assert safe_name("C:\\logs\\Security.evtx", taken) == "Security.evtx"
    assert safe_name("security.EVTX", taken) == "security-2.EVTX"  # one folder, any case
    assert safe_name(".bashrc", taken) == "bashrc"
    assert safe_name("..", taken) == "log"
    assert safe_name("auth log (1).txt", taken) == "auth_log_1_.txt"
    assert safe_name("x" * 300, set()) == "x" * 100


@given(st.lists(st.text(max_size=120), max_size=8))
def test_safe_names_are_plain_and_unique(names: list[str]) -> None:
    taken: set[str] = set()
    made = [safe_name(n, taken) for n in names]
    assert len({m.lower() for m in made}) == len(made)
    for name in made:
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name), name
        assert name not in (".", "..")


def test_rule_sets_are_the_operators_folders(rules: Path) -> None:
    found = rule_sets(rules)
    assert [(s.name, s.label) for s in found] == [
        ("", "all rules"),
        ("linux", "linux"),
        ("web.zip", "web.zip"),
        ("windows", "windows"),
    ]
    assert find_rule_set(rules, "windows").path == rules / "windows"
    assert find_rule_set(rules, "").path == rules
    for name in ("../sigma", ".git", "README.md", "windows/", "nope"):
        with pytest.raises(InputError) as caught:
            find_rule_set(rules, name)
        assert caught.value.code == "detect.bad_ruleset"
    with pytest.raises(InputError) as unset:
        find_rule_set(None, "")
    assert RULES_ENV in (unset.value.hint or "")
    with pytest.raises(StoreError):
        rule_sets(rules / "missing")
    assert [s.label for s in rule_sets(rules / "web.zip")] == ["all rules in web.zip"]


def test_upload_paths_read_as_the_names_uploaded(tmp_path: Path) -> None:
    store = Uploads(tmp_path / "uploads")
    upload_id = store.create()
    inside = f"{store.files_dir(upload_id)}/auth.log:12"
    assert store.display(inside) == "auth.log:12"
    assert store.display(f"(evidence: {inside}) and more") == "(evidence: auth.log:12) and more"
    assert store.display("/var/log/auth.log:3") == "/var/log/auth.log:3"
    assert (store.root / upload_id).stat().st_mode & 0o777 == 0o700


def test_a_busy_runner_refuses_more(runtime: Runtime, tmp_path: Path) -> None:
    store = Uploads(tmp_path / "uploads")
    upload_id = store.create()
    runner = UploadRunner(store, runtime.gateway, max_pending=0)
    with pytest.raises(ThrottledError):
        runner.submit(upload_id, "detect.run", {}, LOCAL_OWNER)


# -- the incident pages --------------------------------------------------------------------------


def test_anonymous_visitors_are_asked_to_sign_in(runtime: Runtime, client: TestClient) -> None:
    client.get("/")
    before = runtime.ledger.size()
    page = client.get("/defend")
    assert page.status_code == 200
    assert 'id="sign-in"' in page.text
    assert page.headers["content-security-policy"] == CSP  # no report fragments on it
    assert runtime.ledger.size() == before  # nothing was asked of the door
    for path in ("/defend/upload", "/defend/incidents/inc_" + "0" * 24, "/defend/uploads/x"):
        gone = client.get(path, follow_redirects=False)
        assert gone.status_code == 303, path
        assert gone.headers["location"].startswith("/login?next=/defend")


def test_incidents_are_listed_filtered_and_paged(
    runtime: Runtime, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana = _user(runtime, "ana@clinic.example")
    ben = _user(runtime, "ben@clinic.example")
    _, mine = _seed(
        runtime,
        ana,
        [
            _alert(DUMP, 0, "WS01", 1, CommandLine="procdump -ma lsass.exe"),
            _alert(ENC, 2, "WS01", 2, CommandLine="powershell -enc AAAA"),
            _alert(ENC, 0, "WS02", 3),
            _alert(WHO, 0, "SRV01", 4),
        ],
    )
    _, theirs = _seed(runtime, ben, [_alert(DUMP, 0, "BEN01", 1)])
    _sign_in(client, "ana@clinic.example")

    page = client.get("/defend")
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == FRAGMENT_CSP
    assert _rows(page.text) == [t.incident.id for t in mine]  # highest score first
    assert theirs[0].incident.id not in page.text
    assert 'class="matrix"' in page.text
    assert 'title="T1003.001 OS Credential Dumping: LSASS Memory: 1 incident(s)"' in page.text
    assert 'title="T1059.001 Command and Scripting Interpreter: PowerShell: 2 incident(s)"' in (
        page.text
    )

    def ids(**params: str) -> list[str]:
        got = client.get("/defend", params=params)
        assert got.status_code == 200, got.text
        return sorted(_rows(got.text))

    def having(*hosts: str) -> list[str]:
        return sorted(t.incident.id for t in mine if set(t.incident.hosts) & set(hosts))

    assert ids(level="high") == having("WS01")
    assert ids(level="medium") == having("WS01", "WS02")
    assert ids(host="srv01") == having("SRV01")
    assert ids(technique="t1003") == having("WS01")  # a parent matches its sub-techniques
    assert ids(technique="T1059.001") == having("WS01", "WS02")
    (srv,) = [t for t in mine if t.incident.hosts == ("SRV01",)]
    assert ids(priority=str(srv.triage.priority), host="SRV01") == having("SRV01")
    others = {"P1", "P2", "P3", "P4"} - {str(srv.triage.priority)}
    assert all(ids(priority=p, host="SRV01") == [] for p in others)
    assert ids(technique="T1566") == []

    bad = client.get("/defend", params={"technique": "lsass"})
    assert bad.status_code == 200  # the page still shows, with the problem on top
    assert "is not an ATT&amp;CK technique id" in bad.text

    monkeypatch.setattr(defend, "PAGE", 2)
    first = client.get("/defend")
    more = re.search(r'<a href="/defend\?([^"]+)" id="next-page">', first.text)
    assert more, "no next page"
    second = client.get("/defend?" + more.group(1).replace("&amp;", "&"))
    assert _rows(first.text) + _rows(second.text) == [t.incident.id for t in mine]
    assert 'id="next-page"' not in second.text
    assert "First page" in second.text


def test_the_incident_page_shows_triage_timeline_and_evidence(
    runtime: Runtime, client: TestClient
) -> None:
    ana = _user(runtime, "ana@clinic.example")
    _user(runtime, "ben@clinic.example")
    uploaded = runtime.settings.home / "web" / "uploads" / ("up_" + "a" * 24) / "files"
    _, triaged = _seed(
        runtime,
        ana,
        [
            _alert(DUMP, 0, "WS01", 1, CommandLine="procdump -ma lsass.exe <b>x</b>"),
            _alert(ENC, 2, "WS01", 7, file=f"{uploaded}/sysmon.jsonl", CommandLine="pwsh -enc"),
        ],
    )
    top = triaged[0]
    _sign_in(client, "ana@clinic.example")
    page = client.get(f"/defend/incidents/{top.incident.id}")
    assert page.status_code == 200, page.text
    assert page.headers["content-security-policy"] == FRAGMENT_CSP
    html = page.text
    assert top.incident.title in html
    assert top.triage.summary.split(" ")[0] in html
    assert f'<span class="prio prio-{top.triage.priority}">' in html
    assert html.count("<li>", html.index('class="next-steps"')) >= len(top.triage.next_steps)
    assert "OS Credential Dumping: LSASS Memory" in html
    assert "Command and Scripting Interpreter: PowerShell" in html
    assert "<svg" in html
    assert 'aria-label="Alerts per level over time"' in html
    assert "procdump -ma lsass.exe &lt;b&gt;x&lt;/b&gt;" in html  # evidence, escaped
    assert '<code class="source">/logs/Security.evtx:1</code>' in html
    assert '<code class="source">sysmon.jsonl:7</code>' in html  # an upload, by its name
    assert str(uploaded) not in html  # the server's upload folder is never shown

    _sign_in(client, "ben@clinic.example")
    theirs = client.get(f"/defend/incidents/{top.incident.id}")
    assert theirs.status_code == 404
    assert client.get("/defend/incidents/inc_nope").status_code == 404


# -- upload --------------------------------------------------------------------------------------


def _post_upload(
    client: TestClient, files: list[tuple[str, bytes]], **data: str
) -> Any:  # an httpx.Response
    token = _csrf(client.get("/defend/upload").text)
    return client.post(
        "/defend/upload",
        data={"csrf_token": token, **data},
        files=[("logs", (name, body, "application/octet-stream")) for name, body in files],
        follow_redirects=False,
    )


def _uploads_root(runtime: Runtime) -> Path:
    return runtime.settings.home / "web" / "uploads"


def _staged(runtime: Runtime) -> list[Path]:
    root = _uploads_root(runtime)
    return sorted(root.iterdir()) if root.exists() else []


def test_the_upload_page_says_how_to_configure_rules(
    runtime: Runtime, client: TestClient, monkeypatch: pytest.MonkeyPatch, rules: Path
) -> None:
    _user(runtime, "dee@clinic.example", vetted=True)
    _sign_in(client, "dee@clinic.example")
    page = client.get("/defend/upload").text
    assert 'id="no-rules"' not in page
    assert re.findall(r'<option value="([^"]*)">', page)[:4] == ["", "linux", "web.zip", "windows"]
    assert str(rules) not in page  # the operator's path stays on the server
    monkeypatch.delenv(RULES_ENV)
    unset = client.get("/defend/upload").text
    assert 'id="no-rules"' in unset
    assert f"{RULES_ENV}=/srv/sigma/rules shieldwall serve" in unset
    assert 'id="upload-form"' not in unset


def test_uploading_needs_a_vetted_defender(
    runtime: Runtime, client: TestClient, rules: Path
) -> None:
    _user(runtime, "tia@clinic.example")
    _sign_in(client, "tia@clinic.example")
    page = client.get("/defend/upload")
    assert 'id="needs-tier"' in page.text
    assert 'id="upload-form"' not in page.text
    refused = _post_upload(client, [("a.log", b"x\n")], ruleset="windows")
    assert refused.status_code == 403
    assert "needs a vetted defender (tier 3); you are tier 1" in refused.text
    assert _staged(runtime) == []


def test_an_upload_runs_through_the_door_as_its_uploader(
    runtime: Runtime, client: TestClient, rules: Path
) -> None:
    dee = _user(runtime, "dee@clinic.example", vetted=True)
    _sign_in(client, "dee@clinic.example")
    body = b'{"EventID": 1, "Image": "C:\\\\Windows\\\\whoami.exe"}\n'
    sent = _post_upload(client, [("../sysmon.jsonl", body)], ruleset="windows", min_level="low")
    assert sent.status_code == 303, sent.text
    status_url = sent.headers["location"]
    assert re.fullmatch(r"/defend/uploads/up_[0-9a-f]{24}", status_url)

    deadline = time.monotonic() + 60
    state = client.get(status_url + "/status").json()
    while state["state"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.05)
        state = client.get(status_url + "/status").json()
    assert state["state"] == "done", client.get(status_url + "/status").text
    assert state["files"] == 1
    assert state["bytes"] == len(body)

    page = client.get(status_url)
    assert page.status_code == 200
    assert 'id="upload-failed"' not in page.text
    assert 'id="upload-progress"' not in page.text

    (folder,) = _staged(runtime)
    assert not (folder / "files").exists()  # the logs are gone once the run ended
    manifest = json.loads((folder / "upload.json").read_text())
    assert manifest["owner"] == dee.id
    assert manifest["files"] == [
        {"name": "sysmon.jsonl", "bytes": len(body), "sha256": hashlib.sha256(body).hexdigest()}
    ]
    assert manifest["ruleset"] == "windows"
    assert manifest["min_level"] == "low"
    decisions = [json.loads(e) for e in runtime.ledger.entries()]
    runs = [e for e in decisions if e.get("capability") == "detect.run_upload"]
    assert runs
    assert runs[-1]["principal"]["id"] == dee.id  # asked as the uploader, not as the owner

    _user(runtime, "eve@clinic.example", vetted=True)
    _sign_in(client, "eve@clinic.example")
    assert client.get(status_url).status_code == 404  # another's upload does not exist
    assert client.get(status_url + "/status").status_code == 404


def test_the_upload_form_is_checked_before_anything_runs(
    runtime: Runtime, client: TestClient, rules: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _user(runtime, "dee@clinic.example", vetted=True)
    _sign_in(client, "dee@clinic.example")
    no_csrf = client.post(
        "/defend/upload", data={"ruleset": ""}, files=[("logs", ("a.log", b"x\n"))]
    )
    assert no_csrf.status_code == 403
    cases = [
        ([], {"ruleset": ""}, "no file was chosen"),
        ([("a.log", b"x\n")], {"ruleset": "../sigma"}, "there is no rule set"),
        ([("a.log", b"x\n")], {"ruleset": "", "min_level": "loud"}, "not one of the choices"),
        ([("a.log", b"x\n")], {"ruleset": "", "window_minutes": "0"}, "whole number of minutes"),
        ([("a.log", b"")], {"ruleset": ""}, "a.log is empty"),
        (
            [(f"{n}.log", b"x\n") for n in range(uploads.MAX_FILES + 1)],
            {"ruleset": ""},
            "Too many files",
        ),
    ]
    for files, data, said in cases:
        got = _post_upload(client, files, **data)
        assert got.status_code == 400, (data, got.status_code)
        assert said in got.text, (said, got.text[-2000:])
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 1000)
    monkeypatch.setattr(defend, "MAX_UPLOAD_BYTES", 1000)
    big = _post_upload(client, [("a.log", b"x" * 600), ("b.log", b"y" * 600)], ruleset="")
    assert big.status_code == 400
    assert "larger than" in big.text
    assert _staged(runtime) == []  # nothing is left of a refused upload


def test_a_running_upload_shows_its_progress(runtime: Runtime, client: TestClient) -> None:
    dee = _user(runtime, "dee@clinic.example", vetted=True)
    store = Uploads(_uploads_root(runtime))
    upload_id = store.create()
    store.write_manifest(
        upload_id,
        {"owner": dee.id, "files": [{"name": "a.log", "bytes": 10, "sha256": "0" * 64}] * 2},
    )
    store.update_status(upload_id, state="running", files_done=1, bytes_done=10, events_read=5)
    _sign_in(client, "dee@clinic.example")
    page = client.get(f"/defend/uploads/{upload_id}")
    assert page.status_code == 200
    assert f'data-status-url="/defend/uploads/{upload_id}/status"' in page.text
    assert "1 of 2 files read · 5 events" in page.text
    assert '<script src="/static/defend.js" defer></script>' in page.text
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page.text
    assert client.get(f"/defend/uploads/{upload_id}/status").json() == {
        "state": "running",
        "files": 2,
        "bytes": 20,
        "files_done": 1,
        "bytes_done": 10,
        "events_read": 5,
    }
    assert client.get("/static/defend.js").status_code == 200
    assert client.get("/static/defend.css").status_code == 200


def test_a_finished_upload_goes_to_its_incidents(runtime: Runtime, client: TestClient) -> None:
    dee = _user(runtime, "dee@clinic.example", vetted=True)
    run_id, triaged = _seed(runtime, dee, [_alert(WHO, 0, "WS05", 1)])
    _seed(runtime, dee, [_alert(DUMP, 0, "WS06", 1)])  # another run: not listed
    store = Uploads(_uploads_root(runtime))
    upload_id = store.create()
    store.write_manifest(upload_id, {"owner": dee.id, "files": []})
    store.update_status(
        upload_id,
        state="done",
        run_id=run_id,
        events=12,
        files_read=1,
        alerts=1,
        incidents=1,
        rules_loaded=3,
        rules_failed=1,
        rule_failures=["broken.yml:2: mapping values are not allowed here"],
        read_errors=[{"code": "x", "message": "bad line", "location": "auth.log:4"}],
        files_failed=0,
        lines_skipped=1,
    )
    _sign_in(client, "dee@clinic.example")
    done = client.get(f"/defend/uploads/{upload_id}", follow_redirects=False)
    assert done.status_code == 303
    assert done.headers["location"] == f"/defend?run={run_id}&upload={upload_id}"
    page = client.get(done.headers["location"])
    assert 'id="run-summary"' in page.text
    assert "Run finished: 1 incident</h2>" in page.text
    assert "12 events read from 1 file;" in page.text
    assert "broken.yml:2: mapping values are not allowed here" in page.text
    assert "<code>auth.log:4</code> bad line" in page.text
    assert _rows(page.text) == [triaged[0].incident.id]


def _shaped(*keys: str) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(st.sampled_from(keys), json_values)


ALERT_KEYS = (
    "rule_id",
    "rule_title",
    "level",
    "status",
    "techniques",
    "tactics",
    "timestamp",
    "host",
    "user",
    "source",
    "fields",
    "kind",
    "related",
    "group",
    "id",
)
incident_json = st.fixed_dictionaries(
    {},
    optional={
        "id": json_values,
        "title": json_values,
        "level": json_values,
        "score": json_values,
        "priority": json_values,
        "first_seen": json_values,
        "last_seen": json_values,
        "hosts": json_values,
        "users": json_values,
        "run_id": json_values,
        "techniques": json_values | st.lists(st.sampled_from(["T1003.001", "T9999", "x"])),
        "tactics": json_values | st.lists(st.sampled_from(["discovery", "stealth", "x"])),
        "alert_count": json_values,
        "rules": json_values | st.lists(_shaped("id", "title", "level", "status", "alerts")),
        "alerts": json_values | st.lists(_shaped(*ALERT_KEYS), max_size=3),
        "triage": json_values
        | _shaped(
            "priority",
            "priority_meaning",
            "summary",
            "why_it_matters",
            "next_steps",
            "provider",
            "model",
            "fallback",
        ),
    },
)


@given(incident_json)
def test_any_incident_json_makes_a_page(data: dict[str, Any]) -> None:
    view = incident_view(data, Uploads(Path("/nonexistent/uploads")))
    assert isinstance(view["alerts"], list)
    assert str(view["timeline"]).startswith(("<svg", "<p"))
    html = (
        templates()
        .get_template("incident.html")
        .render(
            inc=view,
            request_path="/",
            visitor=None,
            signed_in=False,
            nav=(),
            csrf_field="csrf_token",
            csrf_token="t",
        )
    )
    assert 'id="incident-title"' in html
