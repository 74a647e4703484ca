"""Sigma correlation rules (specification v2.x): event_count, value_count, temporal,
temporal_ordered, the metric types (value_sum, value_avg, value_percentile, value_median),
``generate``, aliases, chains of correlations, and correlations that cannot run.

Base rules and correlations are YAML documents (one multi-document file, or a file each) loaded
with ``load_rules``; events go through ``Engine.match`` and the correlations fire in
``Engine.finish``. Times are chosen so that a tumbling (fixed-bucket) window and a sliding one
give different answers where the specification asks for a sliding one.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from shieldwall.detect.alerts import Alert, Level
from shieldwall.detect.engine import CompileReport, Engine, Selection, compile_rules
from shieldwall.detect.events import Event, EventSource, LogFormat
from shieldwall.detect.readers.windows import windows_logsource
from shieldwall.detect.sigma import load_rules

T0 = datetime(2024, 4, 2, 9, 0, tzinfo=UTC)
SYSMON = "Microsoft-Windows-Sysmon/Operational"

FAILED_ID = "6a0c5a52-1d1e-4f11-9a1e-000000000001"
OK_ID = "6a0c5a52-1d1e-4f11-9a1e-000000000002"
RECON_A_ID = "6a0c5a52-1d1e-4f11-9a1e-00000000000a"
RECON_B_ID = "6a0c5a52-1d1e-4f11-9a1e-00000000000b"
RECON_C_ID = "6a0c5a52-1d1e-4f11-9a1e-00000000000c"
CORR_ID = "9f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a00"

BASE_RULES = f"""\
title: Failed logon
id: {FAILED_ID}
name: failed_logon
status: test
logsource: {{product: windows, service: security}}
detection:
  selection: {{EventID: 4625}}
  condition: selection
level: low
---
title: Successful logon
id: {OK_ID}
name: successful_logon
status: test
logsource: {{product: windows, service: security}}
detection:
  selection: {{EventID: 4624}}
  condition: selection
level: informational
---
title: Recon whoami
id: {RECON_A_ID}
name: recon_a
logsource: {{product: windows, category: process_creation}}
detection:
  selection: {{Image|endswith: '\\whoami.exe'}}
  condition: selection
level: low
---
title: Recon net user
id: {RECON_B_ID}
name: recon_b
logsource: {{product: windows, category: process_creation}}
detection:
  selection: {{Image|endswith: '\\net.exe', CommandLine|contains: ' user'}}
  condition: selection
level: low
---
title: Recon systeminfo
id: {RECON_C_ID}
name: recon_c
logsource: {{product: windows, category: process_creation}}
detection:
  selection: {{Image|endswith: '\\systeminfo.exe'}}
  condition: selection
level: low
"""


def correlation(body: str, *, title: str = "Correlation", level: str = "high", **top: Any) -> str:
    """A correlation document; ``body`` is the inside of its ``correlation:`` map."""
    head = [f"title: {title}", f"id: {top.pop('rule_id', CORR_ID)}"]
    head += [f"{k}: {v}" for k, v in top.items()]
    inner = textwrap.indent(textwrap.dedent(body).strip("\n"), "  ")
    return "\n".join([*head, f"correlation:\n{inner}", f"level: {level}"]) + "\n"


def compile_docs(
    tmp_path: Path, *docs: str, selection: Selection | None = None, clean: bool = True
) -> tuple[Engine, CompileReport]:
    root = tmp_path / f"rules{sum(1 for _ in tmp_path.iterdir())}"
    root.mkdir()
    (root / "base.yml").write_text(BASE_RULES, encoding="utf-8")
    for index, doc in enumerate(docs):
        (root / f"correlation_{index}.yml").write_text(doc, encoding="utf-8")
    load = load_rules(root)
    assert load.failures == [], load.failures
    engine, report = compile_rules(load, selection or Selection())
    if clean:
        assert report.failures == [], report.failures
    return engine, report


_records = iter(range(1, 1_000_000))


def logon(
    event_id: int, minute: float, *, host: str = "WS1", user: str = "alice", **fields: Any
) -> Event:
    at = T0 + timedelta(minutes=minute)
    full: dict[str, Any] = {
        "EventID": event_id,
        "Channel": "Security",
        "Computer": host,
        "TargetUserName": user,
        "IpAddress": "203.0.113.9",
        "TimeCreated": at.isoformat(),
        **fields,
    }
    return Event(
        timestamp=at,
        host=host,
        format=LogFormat.EVTX,
        logsource=windows_logsource("Security"),
        source=EventSource(file="Security.evtx", record=next(_records)),
        channel="Security",
        event_id=event_id,
        fields=full,
    )


def process(image: str, minute: float, *, host: str = "WS1", command_line: str = "") -> Event:
    at = T0 + timedelta(minutes=minute)
    return Event(
        timestamp=at,
        host=host,
        format=LogFormat.EVTX,
        logsource=windows_logsource(SYSMON),
        source=EventSource(file="Sysmon.evtx", record=next(_records)),
        channel=SYSMON,
        event_id=1,
        fields={
            "EventID": 1,
            "Channel": SYSMON,
            "Computer": host,
            "Image": image,
            "CommandLine": command_line or image,
            "User": "CORP\\alice",
        },
    )


WHOAMI = r"C:\Windows\System32\whoami.exe"
NET = r"C:\Windows\System32\net.exe"
SYSTEMINFO = r"C:\Windows\System32\systeminfo.exe"


def run(engine: Engine, events: Sequence[Event]) -> tuple[list[Alert], list[Alert]]:
    """(alerts of the single events, alerts of the correlations)."""
    single = [alert for event in events for alert in engine.match(event)]
    return single, engine.finish()


def fired(engine: Engine, events: Sequence[Event]) -> list[Alert]:
    return [a for a in run(engine, events)[1] if a.rule.id == CORR_ID]


# ---------------------------------------------------------------------------------------------
# event_count

EVENT_COUNT = correlation(
    """
    type: event_count
    rules: [failed_logon]
    group-by: [Computer]
    timespan: 5m
    condition: {gte: 3}
    """,
    title="Password guessing on one host",
    tags="[attack.credential-access, attack.t1110]",
)


def test_event_count_fires_inside_the_window(tmp_path: Path) -> None:
    engine, _ = compile_docs(tmp_path, EVENT_COUNT)
    events = [logon(4625, m) for m in (0, 1, 2)]
    single, correlated = run(engine, events)
    # generate defaults to false: the base rule does not alert on its own
    assert single == []
    (alert,) = correlated
    assert alert.rule.id == CORR_ID
    assert alert.rule.kind == "correlation"
    assert alert.level is Level.HIGH
    assert alert.rule.techniques == ("T1110",)
    assert alert.timestamp == events[-1].timestamp
    assert alert.host == "WS1"
    assert alert.related == tuple(e.source for e in events)
    assert alert.group["value"] == 3
    assert str(alert.group["Computer"]).lower() == "ws1"
    body = alert.to_json()
    assert body["kind"] == "correlation"
    assert [r["record"] for r in body["related"]] == [e.source.record for e in events]


@pytest.mark.parametrize(
    "minutes",
    [
        (0, 4, 8),  # every pair is inside 5 minutes, never three
        (0, 10, 20),
        (0, 1),
    ],
)
def test_event_count_spread_wider_than_the_window_does_not_fire(
    tmp_path: Path, minutes: tuple[int, ...]
) -> None:
    engine, _ = compile_docs(tmp_path, EVENT_COUNT)
    assert fired(engine, [logon(4625, m) for m in minutes]) == []


def test_event_count_window_slides(tmp_path: Path) -> None:
    """4:00, 6:00 and 7:00 are inside one 5-minute span, though no 5-minute bucket starting at
    a multiple of 5 minutes holds all three."""
    engine, _ = compile_docs(tmp_path, EVENT_COUNT)
    (alert,) = fired(engine, [logon(4625, m) for m in (0, 4, 6, 7)])
    assert alert.timestamp == T0 + timedelta(minutes=7)
    assert alert.group["value"] == 3


def test_event_count_groups_apart(tmp_path: Path) -> None:
    engine, _ = compile_docs(tmp_path, EVENT_COUNT)
    events = [logon(4625, 0, host="WS1"), logon(4625, 1, host="WS2"), logon(4625, 2, host="WS1")]
    assert fired(engine, events) == []
    engine, _ = compile_docs(tmp_path, EVENT_COUNT)
    events += [logon(4625, 3, host="ws1")]  # host names compare case-insensitively
    (alert,) = fired(engine, events)
    assert str(alert.group["Computer"]).lower() == "ws1"


def test_event_count_events_out_of_order(tmp_path: Path) -> None:
    engine, _ = compile_docs(tmp_path, EVENT_COUNT)
    assert len(fired(engine, [logon(4625, m) for m in (2, 30, 0, 1)])) == 1


def test_event_count_two_bursts_make_two_alerts(tmp_path: Path) -> None:
    engine, _ = compile_docs(tmp_path, EVENT_COUNT)
    events = [logon(4625, m) for m in (0, 1, 2, 60, 61, 62)]
    alerts = fired(engine, events)
    assert [a.timestamp for a in alerts] == [T0 + timedelta(minutes=m) for m in (2, 62)]


def test_event_count_only_counts_matching_events(tmp_path: Path) -> None:
    engine, _ = compile_docs(tmp_path, EVENT_COUNT)
    events = [logon(4625, 0), logon(4624, 1), logon(4624, 1.5), logon(4625, 2)]
    assert fired(engine, events) == []


def test_event_count_greater_than(tmp_path: Path) -> None:
    doc = EVENT_COUNT.replace("{gte: 3}", "{gt: 3}")
    engine, _ = compile_docs(tmp_path, doc)
    assert fired(engine, [logon(4625, m) for m in (0, 1, 2)]) == []
    engine, _ = compile_docs(tmp_path, doc)
    assert len(fired(engine, [logon(4625, m) for m in (0, 1, 2, 3)])) == 1


# ---------------------------------------------------------------------------------------------
# generate

GENERATE = EVENT_COUNT.replace("timespan: 5m", "timespan: 5m\n  generate: true")


def test_generate_true_keeps_the_base_rule_alerts(tmp_path: Path) -> None:
    engine, _ = compile_docs(tmp_path, GENERATE)
    single, correlated = run(engine, [logon(4625, m) for m in (0, 1, 2)])
    assert [a.rule.id for a in single] == [FAILED_ID] * 3
    assert [a.rule.id for a in correlated] == [CORR_ID]


def test_generate_false_is_per_rule(tmp_path: Path) -> None:
    """Rules a correlation does not use alert as usual."""
    engine, _ = compile_docs(tmp_path, EVENT_COUNT)
    single, _ = run(engine, [logon(4624, 0), process(WHOAMI, 1)])
    assert sorted(a.rule.id for a in single) == sorted([OK_ID, RECON_A_ID])


def test_base_rule_below_min_level_still_feeds_its_correlation(tmp_path: Path) -> None:
    engine, _ = compile_docs(tmp_path, GENERATE, selection=Selection(min_level=Level.HIGH))
    single, correlated = run(engine, [logon(4625, m) for m in (0, 1, 2)])
    assert single == []  # the low base rule is below --min-level, generate or not
    assert [a.rule.id for a in correlated] == [CORR_ID]


@pytest.mark.parametrize(
    "selection",
    [Selection(exclude=frozenset({CORR_ID})), Selection(statuses=frozenset({"test"}))],
    ids=["correlation_excluded", "correlation_status_not_selected"],
)
def test_base_rule_alerts_when_its_correlation_does_not_run(
    tmp_path: Path, selection: Selection
) -> None:
    """generate: false hides a rule's alerts because its correlation reports them; when that
    correlation is left out of the run, the rule must alert on its own again (else its
    matches are dropped silently)."""
    engine, _ = compile_docs(tmp_path, EVENT_COUNT, selection=selection)
    single, correlated = run(engine, [logon(4625, m) for m in (0, 1, 2)])
    assert correlated == []
    assert [a.rule.id for a in single] == [FAILED_ID] * 3


# ---------------------------------------------------------------------------------------------
# value_count

VALUE_COUNT = correlation(
    """
    type: value_count
    rules: [failed_logon]
    group-by: [IpAddress]
    timespan: 10m
    condition: {field: TargetUserName, gte: 3}
    """,
    title="Password spraying from one address",
)


def test_value_count_counts_distinct_values(tmp_path: Path) -> None:
    engine, _ = compile_docs(tmp_path, VALUE_COUNT)
    events = [logon(4625, m, user=u) for m, u in ((0, "alice"), (1, "bob"), (2, "carol"))]
    (alert,) = fired(engine, events)
    assert alert.group["value"] == 3
    assert alert.group["IpAddress"] == "203.0.113.9"


def test_value_count_same_value_repeated_does_not_fire(tmp_path: Path) -> None:
    engine, _ = compile_docs(tmp_path, VALUE_COUNT)
    assert fired(engine, [logon(4625, m, user="alice") for m in range(6)]) == []


def test_value_count_per_group(tmp_path: Path) -> None:
    engine, _ = compile_docs(tmp_path, VALUE_COUNT)
    events = [
        logon(4625, 0, user="alice", IpAddress="198.51.100.1"),
        logon(4625, 1, user="bob", IpAddress="198.51.100.2"),
        logon(4625, 2, user="carol", IpAddress="198.51.100.1"),
    ]
    assert fired(engine, events) == []


def test_value_count_outside_the_window_does_not_fire(tmp_path: Path) -> None:
    engine, _ = compile_docs(tmp_path, VALUE_COUNT)
    events = [logon(4625, m, user=u) for m, u in ((0, "alice"), (8, "bob"), (16, "carol"))]
    assert fired(engine, events) == []


def test_value_count_of_a_list_field(tmp_path: Path) -> None:
    """JSON input holds arrays (ECS ``related.user``, CloudTrail resources): counting their
    values must not break the run."""
    doc = VALUE_COUNT.replace("field: TargetUserName", "field: Accounts")
    engine, _ = compile_docs(tmp_path, doc)
    events = [
        logon(4625, 0, Accounts=["alice", "bob"]),
        logon(4625, 1, Accounts=["carol"]),
        logon(4625, 2, Accounts=["dave", "erin"]),
    ]
    assert len(fired(engine, events)) == 1


# ---------------------------------------------------------------------------------------------
# temporal and temporal_ordered

TEMPORAL = correlation(
    """
    type: temporal
    rules: [recon_a, recon_b]
    group-by: [Computer]
    timespan: 5m
    """,
    title="Reconnaissance burst",
)


@pytest.mark.parametrize("order", [(WHOAMI, NET), (NET, WHOAMI)], ids=["a_then_b", "b_then_a"])
def test_temporal_in_any_order(tmp_path: Path, order: tuple[str, str]) -> None:
    engine, _ = compile_docs(tmp_path, TEMPORAL)
    events = [
        process(order[0], 0, command_line="x user"),
        process(order[1], 2, command_line="x user"),
    ]
    (alert,) = fired(engine, events)
    assert alert.group["rules"] == sorted([RECON_A_ID, RECON_B_ID])


@pytest.mark.parametrize(
    "events",
    [
        [(WHOAMI, 0, "WS1"), (WHOAMI, 1, "WS1")],  # only one of the two rules
        [(WHOAMI, 0, "WS1"), (NET, 30, "WS1")],  # too far apart
        [(WHOAMI, 0, "WS1"), (NET, 1, "WS2")],  # different hosts
    ],
    ids=["one_rule", "too_far_apart", "other_host"],
)
def test_temporal_does_not_fire(tmp_path: Path, events: list[tuple[str, int, str]]) -> None:
    engine, _ = compile_docs(tmp_path, TEMPORAL)
    batch = [process(i, m, host=h, command_line="net user") for i, m, h in events]
    assert fired(engine, batch) == []


def test_temporal_count_condition_is_the_number_of_rules_seen(tmp_path: Path) -> None:
    """Spec: for temporal, the condition "specifie[s] the count of different event types
    (Sigma rules matching) in the given time frame" -- two of three rules satisfy gte 2."""
    doc = correlation(
        """
        type: temporal
        rules: [recon_a, recon_b, recon_c]
        group-by: [Computer]
        timespan: 5m
        condition: {gte: 2}
        """
    )
    engine, _ = compile_docs(tmp_path, doc)
    assert len(fired(engine, [process(WHOAMI, 0), process(SYSTEMINFO, 1)])) == 1
    engine, _ = compile_docs(tmp_path, doc)
    assert fired(engine, [process(WHOAMI, 0), process(WHOAMI, 1)]) == []


def test_temporal_without_condition_needs_every_rule(tmp_path: Path) -> None:
    doc = TEMPORAL.replace("[recon_a, recon_b]", "[recon_a, recon_b, recon_c]")
    engine, _ = compile_docs(tmp_path, doc)
    assert fired(engine, [process(WHOAMI, 0), process(SYSTEMINFO, 1)]) == []
    engine, _ = compile_docs(tmp_path, doc)
    three = [process(WHOAMI, 0), process(SYSTEMINFO, 1), process(NET, 2, command_line="net user")]
    assert len(fired(engine, three)) == 1


def test_temporal_with_a_boolean_condition(tmp_path: Path) -> None:
    doc = correlation(
        """
        type: temporal
        rules: [recon_a, recon_b, recon_c]
        group-by: [Computer]
        timespan: 5m
        condition: recon_a and (recon_b or recon_c)
        """
    )
    cases = [
        ([process(WHOAMI, 0), process(SYSTEMINFO, 1)], 1),
        ([process(WHOAMI, 0), process(WHOAMI, 1)], 0),
        ([process(SYSTEMINFO, 0), process(NET, 1, command_line="net user")], 0),
    ]
    for events, count in cases:
        engine, _ = compile_docs(tmp_path, doc)
        assert len(fired(engine, events)) == count


def test_temporal_boolean_condition_without_a_rules_list(tmp_path: Path) -> None:
    """pySigma 2 takes the rules from an extended condition when ``rules`` is left out."""
    doc = correlation(
        """
        type: temporal
        group-by: [Computer]
        timespan: 5m
        condition: recon_a and recon_c
        """
    )
    engine, _ = compile_docs(tmp_path, doc)
    single, correlated = run(engine, [process(WHOAMI, 0), process(SYSTEMINFO, 1)])
    assert single == []
    assert [a.rule.id for a in correlated] == [CORR_ID]


TEMPORAL_ORDERED = correlation(
    """
    type: temporal_ordered
    rules: [failed_logon, successful_logon]
    group-by: [TargetUserName]
    timespan: 10m
    """,
    title="Failed then successful logon",
)


def test_temporal_ordered_in_order_fires(tmp_path: Path) -> None:
    engine, _ = compile_docs(tmp_path, TEMPORAL_ORDERED)
    (alert,) = fired(engine, [logon(4625, 0), logon(4624, 3)])
    assert alert.timestamp == T0 + timedelta(minutes=3)
    assert str(alert.group["TargetUserName"]).lower() == "alice"


def test_temporal_ordered_out_of_order_does_not_fire(tmp_path: Path) -> None:
    engine, _ = compile_docs(tmp_path, TEMPORAL_ORDERED)
    assert fired(engine, [logon(4624, 0), logon(4625, 3)]) == []


def test_temporal_ordered_per_group_and_window(tmp_path: Path) -> None:
    engine, _ = compile_docs(tmp_path, TEMPORAL_ORDERED)
    events = [logon(4625, 0, user="alice"), logon(4624, 1, user="bob"), logon(4624, 30)]
    assert fired(engine, events) == []


def test_failed_logins_followed_by_successful_login(tmp_path: Path) -> None:
    """The spec's example: a correlation of a correlation ("many failed logins" followed by a
    successful login of the same user)."""
    many = correlation(
        """
        type: event_count
        rules: [failed_logon]
        group-by: [TargetUserName]
        timespan: 10m
        condition: {gte: 3}
        """,
        title="Many failed logins",
        rule_id="9f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a01",
        name="many_failed_logins",
    )
    then_ok = correlation(
        """
        type: temporal_ordered
        rules: [many_failed_logins, successful_logon]
        group-by: [TargetUserName]
        timespan: 1h
        """,
        title="Brute force then success",
        level="critical",
    )
    engine, _ = compile_docs(tmp_path, many, then_ok)
    events = [logon(4625, m) for m in (0, 1, 2)] + [logon(4624, 20)]
    alerts = run(engine, events)[1]
    assert sorted(a.rule.title for a in alerts) == [
        "Brute force then success",
        "Many failed logins",
    ]
    final = next(a for a in alerts if a.rule.id == CORR_ID)
    assert final.level is Level.CRITICAL
    assert final.timestamp == T0 + timedelta(minutes=20)

    engine, _ = compile_docs(tmp_path, many, then_ok)
    success_first = [logon(4624, 0)] + [logon(4625, m) for m in (1, 2, 3)]
    assert fired(engine, success_first) == []


def test_a_chain_of_three_correlations_in_any_document_order(tmp_path: Path) -> None:
    """A correlation of a correlation of a correlation: each must run after the one it reads,
    whatever order the documents come in (here the outermost first)."""
    outer = correlation(
        """
        type: event_count
        rules: [brute_then_success]
        group-by: [TargetUserName]
        timespan: 1h
        condition: {gte: 1}
        """,
        title="Outer",
    )
    middle = correlation(
        """
        type: temporal_ordered
        rules: [many_failed_logins, successful_logon]
        group-by: [TargetUserName]
        timespan: 1h
        """,
        title="Middle",
        rule_id="9f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a02",
        name="brute_then_success",
    )
    inner = correlation(
        """
        type: event_count
        rules: [failed_logon]
        group-by: [TargetUserName]
        timespan: 10m
        condition: {gte: 3}
        """,
        title="Inner",
        rule_id="9f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a03",
        name="many_failed_logins",
    )
    engine, _ = compile_docs(tmp_path, "---\n".join([outer, middle, inner]))
    events = [logon(4625, m) for m in (0, 1, 2)] + [logon(4624, 20)]
    assert sorted(a.rule.title for a in run(engine, events)[1]) == ["Inner", "Middle", "Outer"]


def test_correlation_refers_to_a_rule_by_id(tmp_path: Path) -> None:
    engine, _ = compile_docs(tmp_path, EVENT_COUNT.replace("[failed_logon]", f"[{FAILED_ID}]"))
    single, correlated = run(engine, [logon(4625, m) for m in (0, 1, 2)])
    assert single == []
    assert [a.rule.id for a in correlated] == [CORR_ID]


# ---------------------------------------------------------------------------------------------
# metric correlations (value_sum, value_avg, value_percentile, value_median)


def metric(kind: str, condition: str) -> str:
    return correlation(
        f"""
        type: {kind}
        rules: [successful_logon]
        group-by: [TargetUserName]
        timespan: 1h
        condition: {condition}
        """,
        title=f"Metric {kind}",
    )


def transfers(values: Sequence[Any], *, user: str = "alice", step: int = 5) -> list[Event]:
    return [logon(4624, i * step, user=user, Bytes=v) for i, v in enumerate(values)]


@pytest.mark.parametrize(
    ("kind", "condition", "values", "expected"),
    [
        ("value_sum", "{field: Bytes, gte: 1000}", [600, 500], True),
        ("value_sum", "{field: Bytes, gte: 1000}", [600, 300], False),
        ("value_sum", "{field: Bytes, gte: 1000}", ["600", "500"], True),  # numbers as text
        ("value_sum", "{field: Bytes, gte: 1000}", [600, "n/a", 500], True),
        ("value_avg", "{field: Bytes, gte: 100}", [10, 20, 400], True),
        ("value_avg", "{field: Bytes, gte: 100}", [10, 20, 30], False),
        ("value_median", "{field: Bytes, gte: 20}", [10, 20, 30], True),
        ("value_median", "{field: Bytes, gte: 20}", [10, 10, 30], False),
        ("value_percentile", "{field: Bytes, percentile: 90, gte: 50}", [1, 90, 95, 99], True),
        ("value_percentile", "{field: Bytes, percentile: 10, gte: 50}", [1, 90, 95, 99], False),
    ],
)
def test_metric_correlations(
    tmp_path: Path, kind: str, condition: str, values: list[Any], expected: bool
) -> None:
    engine, _ = compile_docs(tmp_path, metric(kind, condition))
    assert bool(fired(engine, transfers(values))) is expected


def test_value_sum_per_group_and_window(tmp_path: Path) -> None:
    doc = metric("value_sum", "{field: Bytes, gte: 1000}")
    engine, _ = compile_docs(tmp_path, doc)
    apart = transfers([600], user="alice") + transfers([500], user="bob")
    assert fired(engine, apart) == []
    engine, _ = compile_docs(tmp_path, doc)
    late = transfers([600, 500], step=90)  # 90 minutes apart, the window is 1 hour
    assert fired(engine, late) == []
    engine, _ = compile_docs(tmp_path, doc)
    (alert,) = fired(engine, transfers([600, 500]))
    assert alert.group["value"] == 1100


def test_group_by_uses_the_rule_field_names_on_security_4688(tmp_path: Path) -> None:
    """A process_creation rule reads Security 4688 in Sysmon's field names (User is
    SubjectUserName there); grouping its matches by User must not lump every 4688 event
    into one group."""
    doc = correlation(
        """
        type: event_count
        rules: [recon_a]
        group-by: [User]
        timespan: 5m
        condition: {gte: 2}
        """
    )

    def whoami_4688(user: str, minute: float) -> Event:
        at = T0 + timedelta(minutes=minute)
        return Event(
            timestamp=at,
            host="WS1",
            format=LogFormat.EVTX,
            logsource=windows_logsource("Security"),
            source=EventSource(file="Security.evtx", record=next(_records)),
            channel="Security",
            event_id=4688,
            fields={
                "EventID": 4688,
                "Channel": "Security",
                "Computer": "WS1",
                "NewProcessName": WHOAMI,
                "SubjectUserName": user,
            },
        )

    engine, _ = compile_docs(tmp_path, doc)
    assert fired(engine, [whoami_4688("alice", 0), whoami_4688("bob", 1)]) == []
    engine, _ = compile_docs(tmp_path, doc)
    (alert,) = fired(engine, [whoami_4688("alice", 0), whoami_4688("alice", 1)])
    assert str(alert.group["User"]).lower() == "alice"


# ---------------------------------------------------------------------------------------------
# aliases


def test_aliases_group_different_fields(tmp_path: Path) -> None:
    """Spec "Field Name Aliases": one address is IpAddress in a failed logon and SourceIp in
    a process's network connection; the alias groups them together."""
    doc = correlation(
        """
        type: temporal
        rules: [failed_logon, recon_a]
        group-by: [remote]
        timespan: 10m
        aliases:
          remote:
            failed_logon: IpAddress
            recon_a: SourceIp
        """
    )
    engine, _ = compile_docs(tmp_path, doc)

    def whoami_from(ip: str, minute: float) -> Event:
        event = process(WHOAMI, minute)
        return replace(event, fields={**event.fields, "SourceIp": ip})

    (alert,) = fired(
        engine, [logon(4625, 0, IpAddress="198.51.100.4"), whoami_from("198.51.100.4", 2)]
    )
    assert alert.group["remote"] == "198.51.100.4"
    engine, _ = compile_docs(tmp_path, doc)
    other = [logon(4625, 0, IpAddress="198.51.100.4"), whoami_from("198.51.100.5", 2)]
    assert fired(engine, other) == []


# ---------------------------------------------------------------------------------------------
# correlations that cannot run


def test_correlation_of_a_missing_rule_is_a_failure_with_its_reason(tmp_path: Path) -> None:
    doc = correlation(
        """
        type: event_count
        rules: [failed_logon, no_such_rule]
        group-by: [Computer]
        timespan: 5m
        condition: {gte: 3}
        """
    )
    engine, report = compile_docs(tmp_path, doc, clean=False)
    assert engine.correlation_count == 0
    (failure,) = report.failures
    assert "no_such_rule" in failure.reason
    assert failure.path.endswith("correlation_0.yml")
    # the rule it names that does exist keeps working on its own
    single, correlated = run(engine, [logon(4625, m) for m in (0, 1, 2)])
    assert correlated == []
    assert [a.rule.id for a in single] == [FAILED_ID] * 3


def test_correlation_of_a_rule_no_reader_can_reach(tmp_path: Path) -> None:
    unreachable = correlation(
        """
        type: event_count
        rules: [cloud_rule]
        group-by: [user]
        timespan: 5m
        condition: {gte: 2}
        """
    )
    cloud = """\
title: A rule for a log this engine has no mapping for
name: cloud_rule
logsource: {product: windows, category: no_such_category}
detection:
  selection: {EventID: 1}
  condition: selection
"""
    engine, report = compile_docs(tmp_path, unreachable, cloud, clean=False)
    assert engine.correlation_count == 0
    assert any("cloud_rule" in f.reason for f in report.failures)
    assert any("no_such_category" in why for why in report.unreachable)


def test_correlation_selection_by_level(tmp_path: Path) -> None:
    engine, report = compile_docs(
        tmp_path,
        EVENT_COUNT.replace("level: high", "level: low"),
        selection=Selection(min_level=Level.MEDIUM),
    )
    assert engine.correlation_count == 0
    assert report.selected_out >= 1
