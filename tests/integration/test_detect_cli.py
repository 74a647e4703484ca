"""`shieldwall detect ...` run as a real process, as a user would."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from cli_runner import run_cli

AUTH = (
    "Mar  3 10:15:01 web1 sshd[1234]: Accepted publickey for alice from 203.0.113.7 port 5 ssh2\n"
    "garbage line\n"
)
RULE = """\
title: Whoami
logsource: {product: windows, category: process_creation}
detection:
  selection: {Image|endswith: '\\\\whoami.exe'}
  condition: selection
"""


def sw(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(home, *args)


def test_rules_check_exit_codes(home: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "good.yml").write_text(RULE)
    ok = sw(home, "detect", "rules", "check", str(rules))
    assert ok.returncode == 0, ok.stderr
    assert "1 of 1 loaded" in ok.stdout

    (rules / "broken.yml").write_text(RULE.replace("endswith", "endswithh"))
    some = sw(home, "detect", "rules", "check", str(rules), "--json")
    assert some.returncode == 1, some.stderr
    body = json.loads(some.stdout)
    assert body["loaded"] == 1
    assert body["failures"][0]["path"].endswith("broken.yml")

    text = sw(home, "detect", "rules", "check", str(rules))
    assert "NOT LOADED" in text.stdout
    assert "broken.yml" in text.stdout

    missing = sw(home, "detect", "rules", "check", str(tmp_path / "nope"))
    assert missing.returncode == 2
    assert "error[detect.rules.not_found]" in missing.stderr


def test_events_jsonl_and_table(home: Path, tmp_path: Path) -> None:
    log = tmp_path / "auth.log"
    log.write_text(AUTH)
    out = sw(home, "detect", "events", str(log))
    assert out.returncode == 0, out.stderr
    event = json.loads(out.stdout.splitlines()[0])
    assert event["fields"]["user"] == "alice"
    assert event["source"] == {"file": str(log), "record": 1}
    assert f"skipped {log}:2" in out.stderr

    table = sw(home, "detect", "events", str(log), "--format", "table", "--limit", "1")
    assert table.returncode == 0, table.stderr
    assert "web1" in table.stdout

    missing = sw(home, "detect", "events", str(tmp_path / "nope.log"))
    assert missing.returncode == 2
