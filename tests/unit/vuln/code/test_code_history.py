"""Code analyses are kept like dependency scans: `vuln history` / vuln.scans.get read them back,
each principal its own."""

from __future__ import annotations

from pathlib import Path

from shieldwall.core.settings import Settings
from shieldwall.core.types import LOCAL_OWNER
from shieldwall.runtime import open_runtime

VULNERABLE = "import yaml\n\n\ndef load(text):\n    return yaml.load(text)\n"


def test_a_code_analysis_is_stored_and_read_back(tmp_path: Path) -> None:
    runtime = open_runtime(Settings(home=tmp_path / "home"))
    try:
        result = runtime.gateway.invoke(
            "vuln.code", {"files": {"app.py": VULNERABLE}, "analysers": ["bandit"]}, LOCAL_OWNER
        ).result
        assert result["findings"], result
        stored = runtime.gateway.invoke(
            "vuln.scans.get", {"id": result["scan_id"]}, LOCAL_OWNER
        ).result
        assert stored["kind"] == "code"
        assert stored["result"]["findings"] == result["findings"]
        listed = runtime.gateway.invoke("vuln.scans.list", {}, LOCAL_OWNER).result
        assert result["scan_id"] in {s["id"] for s in listed["scans"]}
    finally:
        runtime.close()
