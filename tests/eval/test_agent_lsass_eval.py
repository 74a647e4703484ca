"""The OTRF LSASS campaign (53,698 events: Meterpreter reads LSASS memory), investigated end to
end: as an incident that detect found (local playbook, and a model through the stand-in), and
as raw log evidence. Every cited event source is read back from the dataset itself."""

from __future__ import annotations

import json
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from shieldwall.core.settings import Settings
from shieldwall.core.types import LOCAL_OWNER
from shieldwall.runtime import Runtime, open_runtime

pytestmark = pytest.mark.eval

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))

CAMPAIGN = (
    "detect/logs/json/otrf-security-datasets/datasets/compound/LSASS_campaign_01/"
    "metasploit_logonpasswords_lsass_memory_dump.zip"
)
RULES = "detect/sigma/rules/windows"
PAYLOAD_SHA256 = "e9196b871670af6307902fc4ca09f7cf3c309ae54b28e10d052ed8741090f928"


@pytest.fixture(scope="module")
def campaign(shared_data: Path) -> Path:
    path = shared_data / CAMPAIGN
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    return path


@pytest.fixture(scope="module")
def lines(campaign: Path) -> dict[str, list[bytes]]:
    with zipfile.ZipFile(campaign) as z:
        return {name: z.read(name).splitlines() for name in z.namelist()}


def event_at(lines: dict[str, list[bytes]], source: dict[str, Any]) -> dict[str, Any]:
    """The event a cited source names, read from the dataset (record n is line n)."""
    member = lines[source["member"]]
    assert 1 <= source["record"] <= len(member)
    value = json.loads(member[source["record"] - 1])
    assert isinstance(value, dict)
    return value


def ledger(rt: Runtime) -> list[dict[str, Any]]:
    return [json.loads(b) for b in rt.ledger.entries()]


def check_calls_in_ledger(rt: Runtime, report: dict[str, Any]) -> None:
    entries = ledger(rt)
    for call in report["tool_calls"]:
        if call["decision_index"] is None:
            continue
        decision = entries[call["decision_index"]]
        assert decision["capability"] == call["capability"]
        assert decision["principal"]["id"] == report["principal"]["id"]
    record = entries[report["transcript_record_index"]]
    assert record["body"]["transcript_sha256"] == report["transcript_sha256"]


@pytest.fixture(scope="module")
def incident(
    tmp_path_factory: pytest.TempPathFactory, shared_data: Path, campaign: Path
) -> Iterator[tuple[Runtime, str, Any]]:
    """detect.run over the campaign with the SigmaHQ Windows rules: the top incident."""
    from openai_standin import STANDIN_MODEL, OpenAIStandIn

    with OpenAIStandIn() as standin:
        rt = open_runtime(
            Settings(
                home=tmp_path_factory.mktemp("lsass"),
                ai_base_url=standin.base_url,
                ai_model=STANDIN_MODEL,
                ai_max_retries=0,
            )
        )
        try:
            if rt.gateway.registry.get("detect.run") is None or (
                rt.gateway.registry.get("detect.incidents.get") is None
            ):
                pytest.skip("detect.run and detect.incidents.get are not registered yet")
            run = rt.gateway.invoke(
                "detect.run",
                {
                    "paths": [str(campaign)],
                    "rules": [str(shared_data / RULES)],
                    "min_level": "medium",
                },
                LOCAL_OWNER,
            ).result
            assert run["incidents"], "detect found no incident in the LSASS campaign"
            yield rt, run["incidents"][0]["id"], standin
        finally:
            rt.close()


def test_the_lsass_incident_with_the_local_playbook(
    incident: tuple[Runtime, str, Any], lines: dict[str, list[bytes]]
) -> None:
    rt, incident_id, _standin = incident

    report = rt.gateway.invoke(
        "agent.investigate", {"incident_id": incident_id}, LOCAL_OWNER
    ).result

    assert report["tool_calls"][0]["capability"] == "detect.incidents.get"
    assert report["tool_calls"][0]["status"] == "ok"
    techniques = {t for f in report["findings"] for t in f["techniques"]}
    assert "T1003.001" in techniques
    cited = 0
    for finding in report["findings"]:
        for link in finding["evidence"]:
            for source in link["sources"]:
                event_at(lines, source)  # exists in the dataset
                cited += 1
    assert cited > 0
    credential = [  # OS credential dumping (LSASS, SAM and LSA secrets hives) at high severity
        f
        for f in report["findings"]
        if any(t.startswith("T1003") for t in f["techniques"]) and f["severity"] == "high"
    ]
    assert credential
    assert any("credential" in a["action"].lower() for a in report["recommended_actions"])
    check_calls_in_ledger(rt, report)


def test_the_lsass_incident_with_a_model(
    incident: tuple[Runtime, str, Any], lines: dict[str, list[bytes]]
) -> None:
    from openai_standin import Reply

    rt, incident_id, standin = incident
    loaded = rt.gateway.invoke("detect.incidents.get", {"id": incident_id}, LOCAL_OWNER).result
    lsass = next(a for a in loaded["alerts"] if "T1003.001" in a.get("techniques", []))
    real = lsass["source"]
    fake = {**real, "record": 999_999}
    standin.script(
        Reply(text=json.dumps({"plan": []})),
        Reply(
            text=json.dumps(
                {
                    "summary": "Meterpreter dumped LSASS on MKT01.",
                    "confidence": "high",
                    "findings": [
                        {
                            "title": "LSASS credential dumping",
                            "severity": "critical",
                            "confidence": "high",
                            "techniques": ["T1003.001"],
                            "evidence": [{"call": "c1", "sources": [real, fake]}],
                        }
                    ],
                }
            )
        ),
    )

    report = rt.gateway.invoke(
        "agent.investigate", {"incident_id": incident_id, "provider": "compatible"}, LOCAL_OWNER
    ).result

    assert report["concluded_by"] == "model"
    (finding,) = [f for f in report["findings"] if f["title"] == "LSASS credential dumping"]
    (link,) = finding["evidence"]
    assert link["capability"] == "detect.incidents.get"
    assert [s["record"] for s in link["sources"]] == [real["record"]]
    assert "999999" in finding["note"]
    assert event_at(lines, link["sources"][0])
    # The incident (untrusted log data) reached the model fenced, in a tool message.
    messages = standin.chat_requests[-1].body["messages"]
    holding = [
        m for m in messages if incident_id in (m.get("content") or "") and m["role"] == "tool"
    ]
    assert holding
    assert holding[0]["content"].startswith("<<<DATA-")
    check_calls_in_ledger(rt, report)


def test_the_raw_campaign_logs_with_the_local_playbook(
    tmp_path: Path, campaign: Path, lines: dict[str, list[bytes]]
) -> None:
    rt = open_runtime(Settings(home=tmp_path / "home"))
    try:
        report = rt.gateway.invoke(
            "agent.investigate", {"log_paths": [str(campaign)]}, LOCAL_OWNER
        ).result
        check_calls_in_ledger(rt, report)
    finally:
        rt.close()

    assert report["tool_calls"][0]["capability"] == "detect.events"
    lsass = [f for f in report["findings"] if f["techniques"] == ["T1003.001"]]
    assert lsass
    for finding in lsass:
        assert finding["severity"] == "high"
        assert PAYLOAD_SHA256 in finding["detail"]
        for source in finding["evidence"][0]["sources"]:
            event = event_at(lines, source)
            assert event["EventID"] == 10
            assert event["TargetImage"].lower().endswith("\\lsass.exe")
    assert any(f["confidence"] == "high" for f in lsass)
