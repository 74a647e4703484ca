"""`shieldwall vuln code` and `shieldwall vuln patch` as real processes, with the local
provider and with the compatible provider against the OpenAI stand-in (scripted answers)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from openai_standin import STANDIN_MODEL, OpenAIStandIn, Reply

from cli_runner import run_cli

APP = """import yaml


def load(text):
    return yaml.load(text, Loader=yaml.FullLoader)
"""
TESTS = """from app import load


def test_load():
    assert load("a: 1") == {"a": 1}
"""
FIX = """Here is the fix.

```diff
--- a/app.py
+++ b/app.py
@@ -4,2 +4,2 @@
 def load(text):
-    return yaml.load(text, Loader=yaml.FullLoader)
+    return yaml.safe_load(text)
```
"""


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / "tests").mkdir(parents=True)
    (root / "app.py").write_text(APP)
    (root / "tests" / "test_app.py").write_text(TESTS)
    return root


def _yaml_finding(home: Path, root: Path) -> str:
    done = run_cli(home, "vuln", "code", str(root), "--format", "json", "--analyser", "bandit")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    return str(next(f["id"] for f in report["findings"] if f["rule"] == "bandit.B506"))


def test_code_reports_findings_json_and_sarif_with_exit_codes(home: Path, tmp_path: Path) -> None:
    root = _project(tmp_path)
    done = run_cli(home, "vuln", "code", str(root), "--format", "json", "--analyser", "bandit")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    (finding,) = report["findings"]
    assert finding["cwe"] == ["CWE-20"]
    assert finding["location"] == {
        "file": "app.py", "line": 5, "column": 12, "end_line": 5, "end_column": 51
    }  # fmt: skip
    assert "bandit 1." in done.stderr
    sarif_file = tmp_path / "out.sarif"
    done = run_cli(
        home, "vuln", "code", str(root), "--format", "sarif", "--output", str(sarif_file),
        "--analyser", "bandit",
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    log = json.loads(sarif_file.read_text())
    assert log["runs"][0]["results"][0]["partialFingerprints"]["shieldwall/v1"]
    (root / "app.py").write_text("def load(text):\n    return text\n")
    clean = run_cli(home, "vuln", "code", str(root), "--analyser", "bandit")
    assert clean.returncode == 0, clean.stderr
    assert "0 findings" in clean.stderr


def test_an_analyser_that_cannot_run_is_an_error_not_a_clean_scan(
    home: Path, tmp_path: Path
) -> None:
    root = _project(tmp_path)
    (root / "app.py").write_text("x = 1\n")
    done = run_cli(
        home, "vuln", "code", str(root), env={"SHIELDWALL_SEMGREP": str(tmp_path / "no-semgrep")}
    )
    assert done.returncode == 2, done.stderr
    assert "error: semgrep unavailable: Semgrep was not found" in done.stderr


def test_patch_with_the_local_provider_is_validated_and_written(home: Path, tmp_path: Path) -> None:
    root = _project(tmp_path)
    finding = _yaml_finding(home, root)
    done = run_cli(home, "vuln", "patch", str(root), "--finding", finding, "--analyser", "bandit")
    assert done.returncode == 0, done.stderr + done.stdout
    assert "validated (written)" in done.stdout
    assert "found 1, patched 1, validated 1; 1 written." in done.stderr
    assert "yaml.safe_load(text)" in (root / "app.py").read_text()


def test_patch_with_a_compatible_model_server(home: Path, tmp_path: Path) -> None:
    root = _project(tmp_path)
    finding = _yaml_finding(home, root)
    with OpenAIStandIn() as standin:
        standin.script(Reply(text=FIX))
        done = run_cli(
            home, "vuln", "patch", str(root), "--finding", finding, "--provider", "compatible",
            "--analyser", "bandit", "--format", "json",
            "--test-command", f"{sys.executable} -m pytest -q -p no:cacheprovider",
            env={
                "SHIELDWALL_AI_BASE_URL": standin.base_url,
                "SHIELDWALL_AI_MODEL": STANDIN_MODEL,
                "SHIELDWALL_AI_MAX_RETRIES": "0",
            },
        )  # fmt: skip
        asked = standin.chat_requests
    assert done.returncode == 0, done.stderr + done.stdout
    result = json.loads(done.stdout)
    assert result["summary"] == {"found": 1, "patched": 1, "validated": 1, "written": 1}
    assert result["results"][0]["attempts"][0]["provider"] == "compatible"
    (request,) = asked
    system, user = request.body["messages"]
    assert system["content"].startswith("shieldwall-task: code-patch")
    assert json.loads(user["content"])["finding"]["id"] == finding
    assert "yaml.safe_load(text)" in (root / "app.py").read_text()


def test_a_model_patch_that_breaks_the_tests_is_not_kept(home: Path, tmp_path: Path) -> None:
    root = _project(tmp_path)
    finding = _yaml_finding(home, root)
    breaking = FIX.replace("yaml.safe_load(text)", "None")
    with OpenAIStandIn() as standin:
        standin.script(Reply(text=breaking))
        done = run_cli(
            home, "vuln", "patch", str(root), "--finding", finding, "--provider", "compatible",
            "--analyser", "bandit", "--attempts", "1",
            env={"SHIELDWALL_AI_BASE_URL": standin.base_url, "SHIELDWALL_AI_MODEL": STANDIN_MODEL,
                 "SHIELDWALL_AI_MAX_RETRIES": "0"},
        )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "not_patched" in done.stdout
    assert "the tests fail with the patch" in done.stdout
    assert (root / "app.py").read_text() == APP
