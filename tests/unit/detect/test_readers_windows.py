"""Windows events from every JSON shape leave with the EVTX reader's field names."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shieldwall.core.errors import ParseError
from shieldwall.detect.events import EventSource, LogFormat
from shieldwall.detect.eventstore import fields_json
from shieldwall.detect.readers import ReadReport
from shieldwall.detect.readers.evtx import event_from_record
from shieldwall.detect.readers.jsonl import event_from_object, read_json
from shieldwall.detect.readers.windows import CHANNEL_SERVICES, windows_logsource

SYSMON = "Microsoft-Windows-Sysmon/Operational"
IMAGE = "C:\\Windows\\System32\\cmd.exe"
COMMAND = 'cmd.exe /c "whoami /all"'
PARENT = "C:\\Windows\\explorer.exe"
WHEN = "2024-05-01T10:20:30.123456Z"

#: What every shape below must give (the EVTX reader's names and values).
EXPECTED = {
    "EventID": 1,
    "Channel": SYSMON,
    "Computer": "ws1.corp.example",
    "Provider_Name": "Microsoft-Windows-Sysmon",
    "Image": IMAGE,
    "CommandLine": COMMAND,
    "ParentImage": PARENT,
    "User": "CORP\\alice",
}

# As the evtx package renders a record (records_json): #attributes / #text.
EVTX_JSON: dict[str, Any] = {
    "Event": {
        "#attributes": {"xmlns": "http://schemas.microsoft.com/win/2004/08/events/event"},
        "System": {
            "Provider": {
                "#attributes": {
                    "Name": "Microsoft-Windows-Sysmon",
                    "Guid": "5770385F-C22A-43E0-BF4C-06F5698FFBD9",
                }
            },
            "EventID": 1,
            "Version": 5,
            "Level": 4,
            "TimeCreated": {"#attributes": {"SystemTime": WHEN}},
            "EventRecordID": 42,
            "Correlation": None,
            "Execution": {"#attributes": {"ProcessID": 3208, "ThreadID": 1724}},
            "Channel": SYSMON,
            "Computer": "ws1.corp.example",
            "Security": {"#attributes": {"UserID": "S-1-5-18"}},
        },
        "EventData": {
            "RuleName": "-",
            "Image": IMAGE,
            "CommandLine": COMMAND,
            "ParentImage": PARENT,
            "User": "CORP\\alice",
            "ProcessId": 4242,
        },
    }
}

# The same event converted from XML by xmltodict: @attributes, Data as a list of named items.
XMLTODICT: dict[str, Any] = {
    "Event": {
        "@xmlns": "http://schemas.microsoft.com/win/2004/08/events/event",
        "System": {
            "Provider": {"@Name": "Microsoft-Windows-Sysmon", "@Guid": "{5770385F}"},
            "EventID": "1",
            "TimeCreated": {"@SystemTime": WHEN},
            "Channel": SYSMON,
            "Computer": "ws1.corp.example",
            "Security": {"@UserID": "S-1-5-18"},
        },
        "EventData": {
            "Data": [
                {"@Name": "Image", "#text": IMAGE},
                {"@Name": "CommandLine", "#text": COMMAND},
                {"@Name": "ParentImage", "#text": PARENT},
                {"@Name": "User", "#text": "CORP\\alice"},
                {"@Name": "Hashes"},
            ]
        },
    }
}

# Winlogbeat 8 (ECS): winlog.* with the event data nested, event_id as a string.
WINLOGBEAT: dict[str, Any] = {
    "@timestamp": WHEN,
    "host": {"name": "ws1.corp.example", "os": {"family": "windows"}},
    "event": {"code": "1", "provider": "Microsoft-Windows-Sysmon", "kind": "event"},
    "winlog": {
        "event_id": "1",
        "channel": SYSMON,
        "computer_name": "ws1.corp.example",
        "provider_name": "Microsoft-Windows-Sysmon",
        "provider_guid": "{5770385f-c22a-43e0-bf4c-06f5698ffbd9}",
        "record_id": 42,
        "process": {"pid": 3208, "thread": {"id": 1724}},
        "user": {"identifier": "S-1-5-18", "name": "SYSTEM"},
        "api": "wineventlog",
        "event_data": {
            "Image": IMAGE,
            "CommandLine": COMMAND,
            "ParentImage": PARENT,
            "User": "CORP\\alice",
        },
    },
    "message": "Process Create",
}

# Winlogbeat 6: the same names at the top level.
WINLOGBEAT6: dict[str, Any] = {
    "@timestamp": WHEN,
    "event_id": 1,
    "log_name": SYSMON,
    "computer_name": "ws1.corp.example",
    "source_name": "Microsoft-Windows-Sysmon",
    "record_number": "42",
    "event_data": {
        "Image": IMAGE,
        "CommandLine": COMMAND,
        "ParentImage": PARENT,
        "User": "CORP\\alice",
    },
}

# Flat, as NXLog and the OTRF Security-Datasets write it.
OTRF: dict[str, Any] = {
    "SourceName": "Microsoft-Windows-Sysmon",
    "Channel": SYSMON,
    "Hostname": "ws1.corp.example",
    "EventID": 1,
    "@timestamp": WHEN,
    "Image": IMAGE,
    "CommandLine": COMMAND,
    "ParentImage": PARENT,
    "User": "CORP\\alice",
    "tags": ["mordorDataset"],
}

# Microsoft Sentinel WindowsEvent: EventData as JSON text.
SENTINEL_JSON: dict[str, Any] = {
    "TimeGenerated": WHEN,
    "Provider": "Microsoft-Windows-Sysmon",
    "Channel": SYSMON,
    "Computer": "ws1.corp.example",
    "EventID": 1,
    "EventData": json.dumps(
        {"Image": IMAGE, "CommandLine": COMMAND, "ParentImage": PARENT, "User": "CORP\\alice"}
    ),
    "Type": "WindowsEvent",
}

# Microsoft Sentinel SecurityEvent: EventData as XML text.
SENTINEL_XML: dict[str, Any] = {
    "TimeGenerated": WHEN,
    "EventSourceName": "Microsoft-Windows-Sysmon",
    "Channel": SYSMON,
    "Computer": "ws1.corp.example",
    "EventID": 1,
    "EventData": (
        '<EventData xmlns="http://schemas.microsoft.com/win/2004/08/events/event">\r\n'
        f'  <Data Name="Image">{IMAGE}</Data>\r\n'
        '  <Data Name="CommandLine">cmd.exe /c &quot;whoami /all&quot;</Data>\r\n'
        f'  <Data Name="ParentImage">{PARENT}</Data>\r\n'
        '  <Data Name="User">CORP\\alice</Data>\r\n'
        '  <Data Name="Empty" />\r\n'
        "</EventData>"
    ),
    "Type": "SecurityEvent",
}

SOURCE = EventSource(file="t.json", record=1)


def _evtx_record(doc: dict[str, Any]) -> dict[str, Any]:
    return {"event_record_id": 42, "timestamp": WHEN, "data": json.dumps(doc)}


SHAPES = {
    "evtx_dump": EVTX_JSON,
    "xmltodict": XMLTODICT,
    "winlogbeat": WINLOGBEAT,
    "winlogbeat6": WINLOGBEAT6,
    "otrf": OTRF,
    "sentinel_json": SENTINEL_JSON,
    "sentinel_xml": SENTINEL_XML,
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_shape_has_the_evtx_field_names(shape: str) -> None:
    event = event_from_object(json.loads(json.dumps(SHAPES[shape])), source=SOURCE)
    assert {k: event.fields.get(k) for k in EXPECTED} == EXPECTED
    assert event.channel == SYSMON
    assert event.event_id == 1
    assert event.host == "ws1.corp.example"
    assert event.logsource.product == "windows"
    assert event.logsource.service == "sysmon"
    assert event.format is LogFormat.JSON
    assert event.timestamp is not None
    assert event.timestamp.isoformat() == "2024-05-01T10:20:30.123456+00:00"


def test_evtx_record_fields_as_sigma_names_them() -> None:
    event = event_from_record(_evtx_record(EVTX_JSON), source=SOURCE)
    assert event.format is LogFormat.EVTX
    assert {k: event.fields.get(k) for k in EXPECTED} == EXPECTED
    fields = event.fields
    assert fields["Provider_Guid"] == "5770385F-C22A-43E0-BF4C-06F5698FFBD9"
    assert fields["Security_UserID"] == "S-1-5-18"
    assert (fields["ProcessID"], fields["ThreadID"]) == (3208, 1724)  # Execution
    assert fields["ProcessId"] == 4242  # EventData keeps its own
    assert fields["TimeCreated"] == WHEN
    assert fields["EventRecordID"] == 42
    assert "Correlation" not in fields  # a null element is left out


def test_winlogbeat_keeps_other_ecs_fields_and_drops_the_nested_copies() -> None:
    event = event_from_object(json.loads(json.dumps(WINLOGBEAT)), source=SOURCE)
    fields = event.fields
    assert not any(k.startswith("winlog.event_data.") for k in fields)
    assert fields["winlog.api"] == "wineventlog"
    assert fields["host.os.family"] == "windows"
    assert fields["EventRecordID"] == 42
    assert fields["Security_UserID"] == "S-1-5-18"
    assert fields["ProcessID"] == 3208


def test_winlogbeat_sysmon_module_fields_come_back_from_ecs() -> None:
    """The Winlogbeat Sysmon module moves event data into ECS: the Sysmon names return."""
    doc = {
        "@timestamp": WHEN,
        "winlog": {"event_id": 3, "channel": SYSMON, "computer_name": "ws1", "event_data": {}},
        "process": {"executable": IMAGE, "pid": 7},
        "destination": {"ip": "203.0.113.5", "port": 443},
        "source": {"ip": "10.0.0.8"},
    }
    fields = event_from_object(doc, source=SOURCE).fields
    assert fields["Image"] == IMAGE
    assert fields["DestinationIp"] == "203.0.113.5"
    assert fields["DestinationPort"] == 443
    assert fields["SourceIp"] == "10.0.0.8"
    security = {**doc, "winlog": {**doc["winlog"], "channel": "Security"}}
    assert "Image" not in event_from_object(security, source=SOURCE).fields


def test_user_data_and_unnamed_data_and_event_id_qualifiers() -> None:
    doc = {
        "Event": {
            "System": {
                "EventID": {"#attributes": {"Qualifiers": 16384}, "#text": 7045},
                "Channel": "System",
                "Computer": "srv",
            },
            "UserData": {
                "LogFileCleared": {
                    "#attributes": {"xmlns": "http://manifests.microsoft.com/win/2004/08"},
                    "SubjectUserName": "bob",
                    "SubjectDomainName": "CORP",
                }
            },
            "EventData": {"Data": {"#text": ["first", "second"]}, "Binary": "00FF"},
        }
    }
    event = event_from_object(doc, source=SOURCE)
    assert event.event_id == 7045
    assert event.fields["EventID_Qualifiers"] == 16384
    assert event.fields["SubjectUserName"] == "bob"
    assert event.fields["Data"] == ["first", "second"]
    assert event.fields["Binary"] == "00FF"
    assert event.logsource.service == "system"


def test_flat_json_keeps_its_own_names_beside_the_evtx_ones() -> None:
    fields = event_from_object(dict(OTRF), source=SOURCE).fields
    assert fields["Hostname"] == fields["Computer"] == "ws1.corp.example"
    assert fields["SourceName"] == fields["Provider_Name"]
    assert fields["tags"] == ["mordorDataset"]


def test_security_events_of_the_otrf_style() -> None:
    doc = {
        "Channel": "Security",
        "SourceName": "Microsoft-Windows-Security-Auditing",
        "Hostname": "dc1",
        "EventID": 4624,
        "TimeCreated": "2020-10-19 03:30:41.150",
        "SubjectUserName": "DC1$",
        "TargetUserName": "alice",
        "LogonType": "3",
    }
    event = event_from_object(doc, source=SOURCE)
    assert (event.channel, event.event_id, event.host) == ("Security", 4624, "dc1")
    assert event.logsource.service == "security"
    assert event.fields["TargetUserName"] == "alice"
    assert event.timestamp is not None
    assert event.timestamp.isoformat() == "2020-10-19T03:30:41.150000+00:00"


def test_channels_map_to_the_sigma_services_of_pysigma() -> None:
    from sigma.pipelines.common import windows_logsource_mapping

    for service, channels in windows_logsource_mapping.items():
        for channel in [channels] if isinstance(channels, str) else channels:
            found = CHANNEL_SERVICES.get(channel.lower())
            # pySigma keeps legacy aliases (ldap_debug, microsoft-servicebus-client) too.
            assert found == service or windows_logsource_mapping.get(found) == channels
    assert windows_logsource("Microsoft-Windows-PowerShell/Operational").service == "powershell"
    assert windows_logsource("Some-Vendor/Operational").service is None
    assert windows_logsource(None).product == "windows"


def test_evtx_dump_output_several_documents_one_after_another() -> None:
    one = json.dumps(EVTX_JSON, indent=2)
    data = (one + "\n" + one + "\n").encode()
    report = ReadReport()
    events = list(read_json(io.BytesIO(data), name="dump.json", report=report))
    assert [e.source.record for e in events] == [1, 2]
    assert all(e.fields["Image"] == IMAGE for e in events)


def test_a_broken_document_is_a_parse_error_at_its_line_and_column() -> None:
    one = json.dumps(EVTX_JSON, indent=2)
    broken = one + "\n" + one.replace('"Channel"', '"Channel" "oops"', 1)
    report = ReadReport()
    events = []
    with pytest.raises(ParseError) as info:
        events.extend(read_json(io.BytesIO(broken.encode()), name="dump.json", report=report))
    assert len(events) == 1  # the events before the damage were read
    line = one.count("\n") + 2 + one.split('"Channel"', 1)[0].count("\n")
    assert (info.value.location or "").startswith(f"dump.json:{line}:")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=6), c, max_size=4),
    max_leaves=20,
)
SHAPE_KEYS = st.sampled_from(
    ["Event", "System", "EventData", "UserData", "Data", "#text", "#attributes", "@Name",
     "winlog", "event_data", "event_id", "log_name", "EventID", "Channel", "Hostname",
     "Provider", "EventSourceName", "TimeCreated", "Computer", "Name"]
)  # fmt: skip
shaped = st.recursive(
    json_values,
    lambda c: st.dictionaries(SHAPE_KEYS, c, max_size=5),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(SHAPE_KEYS, shaped, max_size=6))
def test_any_windows_like_object_becomes_an_event(obj: dict[str, Any]) -> None:
    event = event_from_object(obj, source=SOURCE)
    assert event.event_id is None or isinstance(event.event_id, int)
    assert event.channel is None or isinstance(event.channel, str)
    json.dumps(event.to_json(), default=str)  # serializable for the alerts
    fields_json(event.fields)  # and for the event store


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(SHAPE_KEYS, shaped, max_size=6))
def test_any_record_shape_through_the_evtx_converter(obj: dict[str, Any]) -> None:
    event = event_from_record(_evtx_record(obj), source=SOURCE)
    assert event.format is LogFormat.EVTX
