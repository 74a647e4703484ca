"""Which events a rule's logsource reaches, and under which field names.

Windows events come as the readers make them (channel, event id, the EVTX field names); Linux
and web events are read by the real readers from small files written here, so the test checks
the logsources the readers and the engine agree on -- not a hand-made copy of them.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from shieldwall.detect.engine import CompileReport, Engine, Selection, compile_rules
from shieldwall.detect.events import Event, EventSource, LogFormat
from shieldwall.detect.logsources import SECURITY_4688_FIELDS, targets
from shieldwall.detect.readers import ReadReport, read_paths
from shieldwall.detect.readers.windows import windows_logsource
from shieldwall.detect.sigma import load_rules

SYSMON = "Microsoft-Windows-Sysmon/Operational"
T0 = datetime(2024, 3, 3, 10, 0, tzinfo=UTC)
WHOAMI = r"C:\Windows\System32\whoami.exe"
WINWORD = r"C:\Program Files\Microsoft Office\WINWORD.EXE"


def rule(logsource: str, detection: str, *, title: str = "Rule", rule_id: str = "") -> str:
    body = textwrap.indent(textwrap.dedent(detection).strip("\n"), "  ")
    head = f"title: {title}\n" + (f"id: {rule_id}\n" if rule_id else "")
    return f"{head}logsource: {{{logsource}}}\ndetection:\n{body}\nlevel: medium\n"


def compile_docs(tmp_path: Path, *docs: str) -> tuple[Engine, CompileReport]:
    root = tmp_path / f"rules{sum(1 for _ in tmp_path.iterdir())}"
    root.mkdir()
    for index, doc in enumerate(docs):
        (root / f"rule_{index}.yml").write_text(doc, encoding="utf-8")
    load = load_rules(root)
    assert load.failures == [], load.failures
    engine, report = compile_rules(load, Selection())
    assert report.failures == [], report.failures
    return engine, report


def windows(channel: str, event_id: int, fields: Mapping[str, Any] | None = None) -> Event:
    full: dict[str, Any] = {"EventID": event_id, "Channel": channel, "Computer": "WS1"}
    full.update(fields or {})
    return Event(
        timestamp=T0,
        host="WS1",
        format=LogFormat.EVTX,
        logsource=windows_logsource(channel),
        source=EventSource(file="x.evtx", record=1),
        channel=channel,
        event_id=event_id,
        fields=full,
    )


def titles(engine: Engine, event: Event) -> set[str]:
    return {a.rule.title for a in engine.match(event)}


# ---------------------------------------------------------------------------------------------
# Windows: process_creation is Sysmon 1 and Security 4688 (in Sysmon's field names)

PROCESS_RULE = rule(
    "product: windows, category: process_creation",
    r"""
    selection:
      Image|endswith: '\whoami.exe'
      ParentImage|endswith: '\winword.exe'
    condition: selection
    """,
    title="Office spawns whoami",
)


def test_process_creation_covers_sysmon_1(tmp_path: Path) -> None:
    engine, _ = compile_docs(tmp_path, PROCESS_RULE)
    fields = {"Image": WHOAMI, "ParentImage": WINWORD}
    assert titles(engine, windows(SYSMON, 1, fields)) == {"Office spawns whoami"}
    # the same fields in another Sysmon event are not a process creation
    assert titles(engine, windows(SYSMON, 3, fields)) == set()
    assert titles(engine, windows(SYSMON, 1, {"Image": WHOAMI})) == set()


def test_process_creation_covers_security_4688_with_its_field_names(tmp_path: Path) -> None:
    engine, _ = compile_docs(tmp_path, PROCESS_RULE)
    event = windows(
        "Security",
        4688,
        {
            "NewProcessName": WHOAMI,
            "ParentProcessName": WINWORD,
            "CommandLine": "whoami /all",
            "SubjectUserName": "alice",
        },
    )
    (alert,) = engine.match(event)
    assert alert.fields["NewProcessName"] == WHOAMI
    assert alert.fields["ParentProcessName"] == WINWORD
    # 4688's own names only: Sysmon's names in a 4688 event are not what 4688 writes
    assert titles(engine, windows("Security", 4624, dict(event.fields))) == set()


def test_the_4688_mapping_is_sysmons_names_to_4688s() -> None:
    found, why = targets("windows", "process_creation", None)
    assert why is None
    by_channel = {t.channel: t for t in found}
    assert by_channel["security"].event_ids == frozenset({4688})
    assert by_channel["security"].fields["Image"] == "NewProcessName"
    assert by_channel["security"].fields["ParentImage"] == "ParentProcessName"
    assert by_channel[SYSMON.lower()].event_ids == frozenset({1})
    assert dict(by_channel[SYSMON.lower()].fields) == {}
    assert SECURITY_4688_FIELDS["Image"] == "NewProcessName"


def test_filter_field_names_follow_the_4688_mapping(tmp_path: Path) -> None:
    """A filter (meta rule) written in Sysmon's names also filters 4688 events."""
    whoami = rule(
        "product: windows, category: process_creation",
        r"selection: {Image|endswith: '\whoami.exe'}" + "\ncondition: selection",
        title="whoami",
    )
    office_filter = r"""title: Office may run whoami
logsource: {product: windows, category: process_creation}
filter:
  rules: any
  selection:
    ParentImage|endswith: '\winword.exe'
  condition: not selection
"""
    engine, _ = compile_docs(tmp_path, whoami, office_filter)
    sysmon = windows(SYSMON, 1, {"Image": WHOAMI, "ParentImage": WINWORD})
    security = windows("Security", 4688, {"NewProcessName": WHOAMI, "ParentProcessName": WINWORD})
    assert engine.match(sysmon) == []
    assert engine.match(security) == []
    assert titles(engine, windows("Security", 4688, {"NewProcessName": WHOAMI})) == {"whoami"}
    assert titles(engine, windows(SYSMON, 1, {"Image": WHOAMI})) == {"whoami"}


@pytest.mark.parametrize(
    ("category", "event_id", "other_id"),
    [
        ("network_connection", 3, 1),
        ("image_load", 7, 3),
        ("process_access", 10, 8),
        ("file_event", 11, 23),
        ("registry_set", 13, 12),
        ("registry_event", 14, 11),
        ("dns_query", 22, 3),
        ("pipe_created", 18, 19),
    ],
)
def test_sysmon_categories_reach_their_event_ids(
    tmp_path: Path, category: str, event_id: int, other_id: int
) -> None:
    doc = rule(
        f"product: windows, category: {category}",
        "selection: {Computer: WS1}\ncondition: selection",
        title=category,
    )
    engine, _ = compile_docs(tmp_path, doc)
    assert titles(engine, windows(SYSMON, event_id)) == {category}
    assert titles(engine, windows(SYSMON, other_id)) == set()
    assert engine.candidates(windows(SYSMON, other_id)) == 0


@pytest.mark.parametrize(
    ("service", "channel"),
    [
        ("security", "Security"),
        ("system", "System"),
        ("application", "Application"),
        ("sysmon", SYSMON),
        ("powershell", "Microsoft-Windows-PowerShell/Operational"),
        ("powershell", "PowerShellCore/Operational"),
        ("taskscheduler", "Microsoft-Windows-TaskScheduler/Operational"),
        ("windefend", "Microsoft-Windows-Windows Defender/Operational"),
        ("wmi", "Microsoft-Windows-WMI-Activity/Operational"),
    ],
)
def test_windows_services_map_to_channels(tmp_path: Path, service: str, channel: str) -> None:
    doc = rule(
        f"product: windows, service: {service}",
        "selection: {Computer: WS1}\ncondition: selection",
        title=service,
    )
    engine, _ = compile_docs(tmp_path, doc)
    assert titles(engine, windows(channel, 4242)) == {service}
    assert titles(engine, windows(channel.upper(), 1)) == {service}  # channels ignore case
    other = "Application" if channel != "Application" else "System"
    assert titles(engine, windows(other, 4242)) == set()


@pytest.mark.parametrize(
    ("category", "channel", "event_id", "other_id"),
    [
        ("ps_script", "Microsoft-Windows-PowerShell/Operational", 4104, 4103),
        ("ps_module", "Microsoft-Windows-PowerShell/Operational", 4103, 4104),
        ("ps_classic_start", "Windows PowerShell", 400, 600),
    ],
)
def test_powershell_categories(
    tmp_path: Path, category: str, channel: str, event_id: int, other_id: int
) -> None:
    doc = rule(
        f"product: windows, category: {category}",
        "selection: {Computer: WS1}\ncondition: selection",
        title=category,
    )
    engine, _ = compile_docs(tmp_path, doc)
    assert titles(engine, windows(channel, event_id)) == {category}
    assert titles(engine, windows(channel, other_id)) == set()
    assert titles(engine, windows(SYSMON, event_id)) == set()


def test_product_windows_alone_reaches_every_channel(tmp_path: Path) -> None:
    doc = rule("product: windows", "selection: {Computer: WS1}\ncondition: selection", title="any")
    engine, _ = compile_docs(tmp_path, doc)
    for channel, event_id in (("Security", 4624), (SYSMON, 1), ("Some/Custom", 7)):
        assert titles(engine, windows(channel, event_id)) == {"any"}


def test_unknown_windows_category_and_service_are_reported(tmp_path: Path) -> None:
    category_id = "a7e0c1d2-0000-4000-8000-000000000001"
    service_id = "a7e0c1d2-0000-4000-8000-000000000002"
    engine, report = compile_docs(
        tmp_path,
        rule(
            "product: windows, category: quantum_tunnel",
            "selection: {Computer: WS1}\ncondition: selection",
            rule_id=category_id,
        ),
        rule(
            "product: windows, service: no-such-service",
            "selection: {Computer: WS1}\ncondition: selection",
            rule_id=service_id,
        ),
    )
    assert engine.rules == []
    reasons = {rid: why for why, ids in report.unreachable.items() for rid in ids}
    assert "quantum_tunnel" in reasons[category_id]
    assert "no-such-service" in reasons[service_id]
    assert sum(report.to_json()["no_mapping"].values()) == 2


def test_rules_for_products_no_reader_produces_are_reported(tmp_path: Path) -> None:
    """CompileReport.unreachable: "rules that compiled but that no reader's events can reach
    (e.g. product: azure)" -- listed, not kept silently."""
    azure_id = "a7e0c1d2-0000-4000-8000-000000000003"
    _, report = compile_docs(
        tmp_path,
        rule(
            "product: azure, service: signinlogs",
            "selection: {ResultType: 50126}\ncondition: selection",
            rule_id=azure_id,
        ),
    )
    assert any(azure_id in ids for ids in report.unreachable.values())


# ---------------------------------------------------------------------------------------------
# Linux auth logs and web server logs, read by the real readers

AUTH_LOG = """\
Mar  3 10:15:01 web1 sshd[1234]: Failed password for root from 203.0.113.7 port 5 ssh2
Mar  3 10:15:03 web1 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/sh
Mar  3 10:16:00 web1 CRON[99]: pam_unix(cron:session): session opened for user root by (uid=0)
"""


def read(path: Path, text: str) -> list[Event]:
    path.write_text(text, encoding="utf-8")
    report = ReadReport()
    events = list(read_paths([path], report=report))
    assert report.skipped == 0
    return events


def linux_rule(service: str | None, title: str) -> str:
    logsource = "product: linux" + (f", service: {service}" if service else "")
    return rule(logsource, "keywords: ['root']\ncondition: keywords", title=title)


@pytest.fixture
def auth_events(tmp_path: Path) -> list[Event]:
    sshd, sudo, cron = read(tmp_path / "auth.log", AUTH_LOG)
    assert (sshd.logsource.service, sudo.logsource.service) == ("sshd", "sudo")
    return [sshd, sudo, cron]


def test_sshd_line_is_sshd_and_auth(tmp_path: Path, auth_events: list[Event]) -> None:
    engine, _ = compile_docs(
        tmp_path,
        linux_rule("sshd", "sshd"),
        linux_rule("auth", "auth"),
        linux_rule("sudo", "sudo"),
        linux_rule(None, "linux"),
    )
    sshd, sudo, _ = auth_events
    assert titles(engine, sshd) == {"sshd", "auth", "linux"}
    assert titles(engine, sudo) == {"sudo", "auth", "linux"}


def test_every_auth_log_line_is_auth(tmp_path: Path, auth_events: list[Event]) -> None:
    """The reader puts every line of auth.log in ``service: auth`` (a cron session line
    included); the engine must agree with the reader's logsource."""
    engine, _ = compile_docs(tmp_path, linux_rule("auth", "auth"))
    assert [bool(engine.match(e)) for e in auth_events] == [True, True, True]


def test_auth_lines_are_also_syslog(tmp_path: Path, auth_events: list[Event]) -> None:
    """events.LogSource: "an sshd line of auth.log is ``sshd``, and also ``auth`` and
    ``syslog``" -- the rules of ``service: syslog`` see it too."""
    engine, _ = compile_docs(tmp_path, linux_rule("syslog", "syslog"))
    assert [bool(engine.match(e)) for e in auth_events] == [True, True, True]
    for event in auth_events:
        assert event.logsource.matches(product="linux", service="syslog")


def test_linux_rules_do_not_reach_windows_events(tmp_path: Path) -> None:
    engine, _ = compile_docs(tmp_path, linux_rule(None, "linux"), linux_rule("auth", "auth"))
    assert titles(engine, windows("Security", 4625, {"TargetUserName": "root"})) == set()


ACCESS_LOG = (
    '203.0.113.5 - - [03/Mar/2024:10:15:01 +0000] "GET /item.php?id=1%20UNION%20SELECT%20pw '
    'HTTP/1.1" 200 512 "-" "sqlmap/1.7"\n'
    '198.51.100.2 - - [03/Mar/2024:10:15:02 +0000] "GET /index.html HTTP/1.1" 200 1024 "-" '
    '"Mozilla/5.0"\n'
)


def test_webserver_category(tmp_path: Path) -> None:
    events = read(tmp_path / "access.log", ACCESS_LOG)
    engine, _ = compile_docs(
        tmp_path,
        rule(
            "category: webserver",
            """
            selection:
              cs-uri-query|contains: 'union%20select'
              sc-status: 200
            condition: selection
            """,
            title="SQL injection",
        ),
        rule(
            "category: webserver",
            "selection: {cs-user-agent|startswith: 'sqlmap'}\ncondition: selection",
            title="sqlmap",
        ),
        rule(
            "product: windows, category: process_creation",
            "selection: {CommandLine|contains: 'union'}\ncondition: selection",
            title="windows",
        ),
    )
    attack, benign = events
    assert titles(engine, attack) == {"SQL injection", "sqlmap"}
    assert titles(engine, benign) == set()
    (alert,) = [a for a in engine.match(attack) if a.rule.title == "SQL injection"]
    assert alert.fields["c-ip"] == "203.0.113.5"
    assert alert.source.record == 1
