"""`shieldwall detect run` as a real process: rules and logs written here, alerts read back as
the JSON lines contract (issue 3, "CLI contract") and the documented exit codes."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from cli_runner import run_cli

SYSMON = "Microsoft-Windows-Sysmon/Operational"
LSASS_ID = "2a9e7b1c-1111-4c3b-9d5e-0f1a2b3c4d5e"
WHOAMI_ID = "2a9e7b1c-2222-4c3b-9d5e-0f1a2b3c4d5e"
SSH_ID = "2a9e7b1c-3333-4c3b-9d5e-0f1a2b3c4d5e"
SPRAY_ID = "2a9e7b1c-4444-4c3b-9d5e-0f1a2b3c4d5e"

RULES = {
    "lsass.yml": f"""\
title: LSASS dump with comsvcs
id: {LSASS_ID}
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
    "whoami.yml": f"""\
title: Whoami run
id: {WHOAMI_ID}
status: test
logsource: {{product: windows, category: process_creation}}
detection:
  selection: {{Image|endswith: '\\whoami.exe'}}
  condition: selection
level: low
tags: [attack.discovery, attack.t1033]
""",
    "linux/ssh_failed.yml": f"""\
title: SSH password failure
id: {SSH_ID}
name: ssh_failed
status: test
logsource: {{product: linux, service: sshd}}
detection:
  keywords: ['Failed password']
  condition: keywords
level: medium
tags: [attack.credential-access, attack.t1110]
""",
    "linux/ssh_spray.yml": f"""\
title: SSH password guessing from one address
id: {SPRAY_ID}
status: test
correlation:
  type: event_count
  rules: [ssh_failed]
  group-by: [source_ip]
  timespan: 5m
  condition: {{gte: 3}}
  generate: true
level: high
tags: [attack.credential-access, attack.t1110.001]
""",
}

WINDOWS_EVENTS = [
    {  # record 1: LSASS dump (Sysmon 1)
        "EventID": 1,
        "Channel": SYSMON,
        "Computer": "WS7.corp.example",
        "TimeCreated": "2024-03-01T12:00:00Z",
        "Image": "C:\\Windows\\System32\\rundll32.exe",
        "CommandLine": "rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 624 l.dmp full",
        "ParentImage": "C:\\Windows\\System32\\cmd.exe",
        "User": "CORP\\eve",
    },
    {  # record 2: whoami in a Security 4688 event (its own field names)
        "EventID": 4688,
        "Channel": "Security",
        "Computer": "WS8.corp.example",
        "TimeCreated": "2024-03-01T12:05:00Z",
        "NewProcessName": "C:\\Windows\\System32\\whoami.exe",
        "ParentProcessName": "C:\\Windows\\System32\\cmd.exe",
        "CommandLine": "whoami /all",
        "SubjectUserName": "eve",
    },
    {  # record 3: nothing to see
        "EventID": 1,
        "Channel": SYSMON,
        "Computer": "WS7.corp.example",
        "TimeCreated": "2024-03-01T12:06:00Z",
        "Image": "C:\\Windows\\System32\\notepad.exe",
        "CommandLine": "notepad.exe",
    },
]

AUTH_LOG = (
    "".join(
        f"Mar  3 10:1{i}:0{i} web1 sshd[12{i}]: Failed password for root from 203.0.113.7 "
        f"port 4{i}22 ssh2\n"
        for i in range(3)
    )
    + "Mar  3 10:20:00 web1 sshd[130]: Accepted publickey for alice from 198.51.100.2 port 1 ssh2\n"
)


def sw(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(home, *args)


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    root = tmp_path / "rules"
    for name, text in RULES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    root = tmp_path / "logs"
    root.mkdir()
    (root / "windows.jsonl").write_text(
        "".join(json.dumps(e) + "\n" for e in WINDOWS_EVENTS), encoding="utf-8"
    )
    (root / "auth.log").write_text(AUTH_LOG, encoding="utf-8")
    return root


def said(result: subprocess.CompletedProcess[str]) -> str:
    """stderr with its line wrapping undone (the summary is wrapped to the terminal width)."""
    return " ".join(result.stderr.split())


def alerts_of(result: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_alerts_as_json_lines(home: Path, rules: Path, logs: Path) -> None:
    result = sw(home, "detect", "run", str(logs), "--rules", str(rules), "--format", "jsonl")
    assert result.returncode == 1, result.stderr
    alerts = alerts_of(result)
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for alert in alerts:
        by_rule.setdefault(alert["rule_id"], []).append(alert)
    assert sorted(by_rule) == sorted([LSASS_ID, WHOAMI_ID, SSH_ID, SPRAY_ID])
    for alert in alerts:
        for key in (
            "rule_id", "rule_title", "level", "techniques", "tactics", "timestamp", "host",
            "source", "fields",
        ):  # fmt: skip
            assert key in alert, (key, alert)
        assert set(alert["source"]) >= {"file", "record"}

    (lsass,) = by_rule[LSASS_ID]
    assert lsass["rule_title"] == "LSASS dump with comsvcs"
    assert lsass["level"] == "high"
    assert lsass["techniques"] == ["T1003.001"]
    assert lsass["tactics"] == ["credential-access"]
    assert lsass["timestamp"].startswith("2024-03-01T12:00:00")
    assert lsass["host"] == "WS7.corp.example"
    assert lsass["source"] == {"file": str(logs / "windows.jsonl"), "record": 1}
    assert lsass["fields"]["Image"] == WINDOWS_EVENTS[0]["Image"]
    assert lsass["fields"]["CommandLine"] == WINDOWS_EVENTS[0]["CommandLine"]

    (whoami,) = by_rule[WHOAMI_ID]  # process_creation reaches Security 4688
    assert whoami["source"]["record"] == 2
    assert whoami["host"] == "WS8.corp.example"
    assert whoami["fields"]["NewProcessName"] == WINDOWS_EVENTS[1]["NewProcessName"]
    assert (whoami["level"], whoami["techniques"]) == ("low", ["T1033"])

    failures = by_rule[SSH_ID]  # generate: true keeps the base rule's alerts
    assert [a["source"] for a in failures] == [
        {"file": str(logs / "auth.log"), "record": n} for n in (1, 2, 3)
    ]
    assert all(a["host"] == "web1" for a in failures)
    (spray,) = by_rule[SPRAY_ID]
    assert spray["kind"] == "correlation"
    assert spray["techniques"] == ["T1110.001"]
    assert [r["record"] for r in spray["related"]] == [1, 2, 3]
    assert spray["group"]["source_ip"] == "203.0.113.7"

    assert "0 rules not loaded" in said(result)
    assert re.search(r"\b6 alerts\b.*\b7 events\b", said(result)), result.stderr


def test_no_alerts_exit_zero(home: Path, rules: Path, tmp_path: Path) -> None:
    quiet = tmp_path / "quiet.jsonl"
    quiet.write_text(json.dumps(WINDOWS_EVENTS[2]) + "\n", encoding="utf-8")
    result = sw(home, "detect", "run", str(quiet), "--rules", str(rules), "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_min_level_filters(home: Path, rules: Path, logs: Path) -> None:
    high = sw(
        home, "detect", "run", str(logs), "--rules", str(rules), "--format", "jsonl",
        "--min-level", "high",
    )  # fmt: skip
    assert high.returncode == 1, high.stderr
    found = alerts_of(high)
    assert sorted(a["rule_id"] for a in found) == sorted([LSASS_ID, SPRAY_ID])
    assert {a["level"] for a in found} == {"high"}

    critical = sw(
        home, "detect", "run", str(logs), "--rules", str(rules), "--format", "jsonl",
        "--min-level", "critical",
    )  # fmt: skip
    assert critical.returncode == 0, critical.stderr
    assert alerts_of(critical) == []

    bogus = sw(home, "detect", "run", str(logs), "--rules", str(rules), "--min-level", "severe")
    assert bogus.returncode == 2
    assert "severe" in bogus.stderr


def test_output_file(home: Path, rules: Path, logs: Path, tmp_path: Path) -> None:
    out = tmp_path / "alerts.jsonl"
    result = sw(
        home, "detect", "run", str(logs / "windows.jsonl"), "--rules", str(rules),
        "--format", "jsonl", "--output", str(out),
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert result.stdout.strip() == ""
    written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(a["rule_id"] for a in written) == sorted([LSASS_ID, WHOAMI_ID])


def test_missing_log_path(home: Path, rules: Path, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-dir" / "Security.evtx"
    result = sw(home, "detect", "run", str(missing), "--rules", str(rules), "--format", "jsonl")
    assert result.returncode == 2
    assert "error[detect.read.not_found]" in result.stderr
    assert str(missing) in result.stderr
    assert result.stdout.strip() == ""


@pytest.mark.parametrize("kind", ["missing", "not_rules"])
def test_bad_rule_source(home: Path, logs: Path, tmp_path: Path, kind: str) -> None:
    if kind == "missing":
        source = tmp_path / "no-such-rules"
        code = "detect.rules.not_found"
    else:
        source = tmp_path / "rules.bin"
        source.write_bytes(b"\x00\x01 not a zip, not a folder")
        code = "detect.rules.bad_source"
    result = sw(home, "detect", "run", str(logs), "--rules", str(source), "--format", "jsonl")
    assert result.returncode == 2
    assert f"error[{code}]" in result.stderr
    assert str(source) in result.stderr


def test_no_rules_given(home: Path, logs: Path) -> None:
    result = run_cli(
        home, "detect", "run", str(logs), "--format", "jsonl", drop_env_prefix="SHIELDWALL_DETECT"
    )
    assert result.returncode == 2
    assert "error[detect.rules.none]" in result.stderr
    assert "--rules" in result.stderr
    assert "SHIELDWALL_DETECT_RULES" in result.stderr


def test_the_operators_rules_are_the_default(home: Path, rules: Path, logs: Path) -> None:
    result = run_cli(
        home, "detect", "run", str(logs), "--format", "jsonl",
        env={"SHIELDWALL_DETECT_RULES": str(rules)},
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert {json.loads(line)["rule_title"] for line in result.stdout.splitlines()}


def test_a_broken_rule_is_listed_and_the_rest_run(home: Path, rules: Path, logs: Path) -> None:
    (rules / "broken.yml").write_text(
        RULES["whoami.yml"].replace("endswith", "endswithh").replace("2222", "5555"),
        encoding="utf-8",
    )
    result = sw(home, "detect", "run", str(logs), "--rules", str(rules), "--format", "jsonl")
    assert result.returncode == 1, result.stderr
    assert LSASS_ID in {a["rule_id"] for a in alerts_of(result)}
    assert re.search(r"\b1 rules? not loaded", said(result)), result.stderr
    assert "rules check" in said(result)
