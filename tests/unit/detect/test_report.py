"""Output formats: JSON lines, CSV timeline, ATT&CK Navigator layer, HTML report, terminal."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from alert_builders import alert, rule
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from shieldwall.detect.alerts import Alert, Level
from shieldwall.detect.attack import load_attack
from shieldwall.detect.incidents import group_alerts
from shieldwall.detect.report import (
    CSV_COLUMNS,
    LAYER_VERSION,
    alerts_table,
    incidents_table,
    navigator_layer,
    render_html,
    timeline_svg,
    write_csv_timeline,
    write_jsonl,
)
from shieldwall.detect.triage import triage_incidents

DUMP = rule(
    "dump",
    title="LSASS Memory Dump",
    level=Level.HIGH,
    tags=("attack.credential-access", "attack.t1003.001"),
)
TOOLS = rule("tools", title="Defender Disabled", level=Level.HIGH, tags=("attack.t1685",))
ENC = rule(
    "enc",
    title="Encoded PowerShell",
    level=Level.MEDIUM,
    tags=("attack.execution", "attack.t1059.001"),
)

HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def _alerts() -> list[Alert]:
    return [
        alert(ENC, 30, user="alice", CommandLine="powershell -enc AAAA"),
        alert(DUMP, 0, user="alice", CommandLine="procdump -ma lsass.exe"),
        alert(DUMP, 10, user="alice", Image="C:\\procdump.exe"),
        alert(TOOLS, None, host="SRV", Started=datetime(2024, 1, 1, tzinfo=UTC), Raw=b"\x01"),
    ]


# -- JSON lines --------------------------------------------------------------------------------


def test_jsonl_writes_one_alert_per_line_with_the_contract_fields() -> None:
    out = io.StringIO()
    assert write_jsonl(_alerts(), out) == 4
    lines = out.getvalue().splitlines()
    assert len(lines) == 4
    records = [json.loads(line) for line in lines]
    contract = {"rule_id", "rule_title", "level", "techniques", "tactics", "timestamp"}
    contract |= {"host", "source", "fields"}
    for record in records:
        assert contract <= record.keys()
        assert set(record["source"]) >= {"file", "record"}
    assert records[1]["techniques"] == ["T1003.001"]
    assert records[1]["tactics"] == ["credential-access"]
    assert records[1]["timestamp"] == "2024-05-01T10:00:00+00:00"
    assert records[3]["timestamp"] is None
    assert records[3]["fields"]["Started"] == "2024-01-01T00:00:00+00:00"
    assert records[3]["fields"]["Raw"] == "01"


def test_jsonl_copes_with_numbers_beyond_64_bits() -> None:
    out = io.StringIO()
    write_jsonl([alert(ENC, 0, Big=2**70, Small=-1)], out)
    assert json.loads(out.getvalue())["fields"] == {"Big": 2**70, "Small": -1}


# -- CSV timeline ------------------------------------------------------------------------------


def test_csv_timeline_is_sorted_with_the_timesketch_columns_first() -> None:
    out = io.StringIO()
    assert write_csv_timeline(_alerts(), out) == 4
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0].keys()) == list(CSV_COLUMNS)
    assert CSV_COLUMNS[:3] == ("datetime", "timestamp_desc", "message")
    assert [r["datetime"] for r in rows] == [
        "2024-05-01T10:00:00Z",
        "2024-05-01T10:10:00Z",
        "2024-05-01T10:30:00Z",
        "",
    ]
    assert rows[0]["timestamp"] == str(
        int(datetime(2024, 5, 1, 10, tzinfo=UTC).timestamp()) * 10**6
    )
    assert rows[0]["message"] == "[high] LSASS Memory Dump on WS01 as alice"
    assert rows[0]["techniques"] == "T1003.001"
    assert json.loads(rows[0]["evidence"]) == {"CommandLine": "procdump -ma lsass.exe"}
    assert rows[3]["host"] == "SRV"
    assert int(rows[0]["source_record"]) > 0


def test_csv_cells_a_spreadsheet_would_run_get_an_apostrophe() -> None:
    evil = rule("evil", title='=HYPERLINK("http://x")', level=Level.LOW)
    out = io.StringIO()
    write_csv_timeline([alert(evil, 0, host="@SUM(1)", user="-2+3", Other="=1")], out)
    (row,) = csv.DictReader(io.StringIO(out.getvalue()))
    assert row["rule_title"] == '\'=HYPERLINK("http://x")'
    assert row["host"] == "'@SUM(1)"
    assert row["user"] == "'-2+3"
    negative = io.StringIO()
    write_csv_timeline([alert(evil, 0, host="-5")], negative)
    assert next(csv.DictReader(io.StringIO(negative.getvalue())))["host"] == "-5"


# -- ATT&CK Navigator --------------------------------------------------------------------------


def test_navigator_layer_scores_techniques_by_alert_count() -> None:
    layer = navigator_layer(_alerts())
    assert layer["versions"] == {"attack": "18", "navigator": "5.2.0", "layer": LAYER_VERSION}
    assert layer["domain"] == "enterprise-attack"
    scored = {t["techniqueID"]: t for t in layer["techniques"] if "score" in t}
    assert {k: v["score"] for k, v in scored.items()} == {
        "T1003.001": 2,
        "T1059.001": 1,
        "T1562.001": 1,  # T1685 written with its ATT&CK 18 id
    }
    assert "LSASS Memory Dump (2)" in scored["T1003.001"]["comment"]
    parents = {t["techniqueID"] for t in layer["techniques"] if "score" not in t}
    assert parents == {"T1003", "T1059", "T1562"}
    assert layer["gradient"]["maxValue"] > layer["gradient"]["minValue"]
    known = {t.id_18 for t in (load_attack().technique(x) for x in scored) if t}
    assert set(scored) == known  # every id exists in ATT&CK 18


def test_navigator_layer_for_v19_keeps_v19_ids() -> None:
    layer = navigator_layer(_alerts(), version="19")
    assert layer["versions"]["attack"] == "19"
    ids = {t["techniqueID"] for t in layer["techniques"] if "score" in t}
    assert "T1685" in ids
    assert "T1562.001" not in ids


def test_navigator_layer_lists_unknown_techniques_in_its_metadata() -> None:
    odd = rule("odd", tags=("attack.t1999",))
    layer = navigator_layer([alert(odd, 0)])
    assert layer["techniques"] == []
    assert {"name": "techniques not in ATT&CK", "value": "T1999"} in layer["metadata"]
    assert layer["gradient"]["maxValue"] == 1


# -- HTML --------------------------------------------------------------------------------------


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    return parser


def _assert_inert(html: str) -> _Elements:
    page = _parse(html)
    names = [tag for tag, _ in page.tags]
    assert "script" not in names
    assert "img" not in names
    assert "iframe" not in names
    for tag, attrs in page.tags:
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        for key in ("src", "href"):
            value = attrs.get(key) or ""
            assert not value.lower().startswith("javascript:"), (tag, attrs)
        if tag == "link":
            pytest.fail("the report must not load external stylesheets")
    assert not any(attrs.get("src") for _, attrs in page.tags), "no external assets"
    return page


def test_html_escapes_everything_that_came_from_logs() -> None:
    hostile_rule = rule("x", title=HOSTILE, level=Level.CRITICAL, tags=("attack.t1059.001",))
    hostile = alert(hostile_rule, 0, host=HOSTILE, user=HOSTILE, CommandLine=HOSTILE)
    triaged = triage_incidents(group_alerts([hostile, *_alerts()]))
    html = render_html(triaged, run={"paths": [HOSTILE]}, title=HOSTILE)
    page = _assert_inert(html)
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert any(HOSTILE in chunk for chunk in page.text)  # shown, as text
    csp = [a for t, a in page.tags if t == "meta" and a.get("http-equiv")]
    assert csp
    assert "default-src 'none'" in (csp[0]["content"] or "")


def test_html_has_a_timeline_a_heatmap_and_every_incident() -> None:
    alerts = _alerts()
    triaged = triage_incidents(group_alerts(alerts))
    generated = datetime(2024, 6, 1, tzinfo=UTC)
    html = render_html(triaged, generated_at=generated, run={"events": 1234})
    page = _assert_inert(html)
    rects = [a for t, a in page.tags if t == "rect"]
    assert len(rects) == 3  # three timed alerts, in separate buckets
    assert "1 alert(s) without a time are not drawn" in html
    columns = [a.get("title") for t, a in page.tags if t == "div" and a.get("class") == "tactic"]
    assert columns[:8] == ["TA0043", "TA0042", "TA0001", "TA0002", "TA0003", "TA0004", "TA0005",
                           "TA0112"]  # fmt: skip
    for incident in triaged:
        assert f'id="{incident.incident.id}"' in html
        assert incident.triage.next_steps[0].split("\u201c")[0][:20] in html
    assert "2024-06-01T00:00:00Z" in html
    assert "events</b>: 1234" in html
    assert "MITRE" in html  # the ATT&CK terms of use travel with the report


def test_timeline_svg_without_times_says_so() -> None:
    assert "No alert has a time." in timeline_svg([alert(ENC, None)])
    assert "No alerts." in timeline_svg([])
    single = timeline_svg([alert(ENC, 0)])
    assert single.count("<rect") == 1


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=60), st.text(max_size=60))
def test_html_stays_inert_whatever_the_logs_contain(title: str, value: str) -> None:
    r = rule("h", title=title, level=Level.HIGH, tags=("attack.t1003.001",))
    triaged = triage_incidents(group_alerts([alert(r, 0, host=value, user=value, Field=value)]))
    _assert_inert(render_html(triaged))


# -- terminal ----------------------------------------------------------------------------------


def test_terminal_tables_print_log_text_literally() -> None:
    markup = rule("m", title="[bold red]not markup[/bold red]", level=Level.HIGH)
    alerts = [alert(markup, 0, host="[link=http://x]h[/link]"), *_alerts()]
    console = Console(record=True, width=200)
    console.print(alerts_table(alerts, limit=3))
    console.print(incidents_table(triage_incidents(group_alerts(alerts))))
    text = console.export_text()
    assert "[bold red]not markup[/bold red]" in text
    assert "[link=http://x]h[/link]" in text
    assert "2 more alerts not shown" in text
    assert "P2" in text
