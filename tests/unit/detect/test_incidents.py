"""Alerts grouped into incidents (same host or user within a window) and the noise controls."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from alert_builders import T0, alert, rule
from hypothesis import given, settings
from hypothesis import strategies as st

from shieldwall.core.errors import InputError
from shieldwall.detect.alerts import Alert, Level
from shieldwall.detect.incidents import (
    DEFAULT_WINDOW,
    LEVEL_WEIGHT,
    AllowEntry,
    NoiseFilter,
    NoiseStats,
    alert_id,
    group_alerts,
    utc,
)

EXEC = rule("exec", level=Level.MEDIUM, tags=("attack.execution", "attack.t1059.001"))
DUMP = rule("dump", level=Level.HIGH, tags=("attack.credential-access", "attack.t1003.001"))
CLEAR = rule("clear", level=Level.HIGH, tags=("attack.defense-impairment", "attack.t1685.005"))
PLAIN = rule("plain", level=Level.LOW)


def _ids(incidents: list) -> list[set[str]]:
    return [{alert_id(a) for a in inc.alerts} for inc in incidents]


def test_alerts_on_one_host_within_the_window_are_one_incident() -> None:
    alerts = [alert(EXEC, 0), alert(DUMP, 10), alert(CLEAR, 29)]
    (incident,) = group_alerts(alerts)
    assert len(incident.alerts) == 3
    assert incident.hosts == ("WS01",)
    assert incident.first_seen == T0
    assert incident.last_seen == T0 + timedelta(minutes=29)


def test_a_gap_longer_than_the_window_starts_a_new_incident() -> None:
    early, late = alert(EXEC, 0), alert(EXEC, 31)
    incidents = group_alerts([early, late])
    assert len(incidents) == 2
    assert sorted(map(len, _ids(incidents))) == [1, 1]


def test_activity_chains_while_each_gap_is_within_the_window() -> None:
    chain = [alert(EXEC, m) for m in (0, 25, 50, 75, 100)]
    (incident,) = group_alerts(chain)
    assert len(incident.alerts) == 5
    assert incident.last_seen - incident.first_seen == timedelta(minutes=100)


def test_the_window_is_configurable() -> None:
    alerts = [alert(EXEC, 0), alert(EXEC, 10)]
    assert len(group_alerts(alerts, window=timedelta(minutes=5))) == 2
    assert len(group_alerts(alerts, window=timedelta(minutes=10))) == 1
    assert timedelta(minutes=30) == DEFAULT_WINDOW
    with pytest.raises(InputError):
        group_alerts(alerts, window=timedelta(minutes=-1))


def test_the_same_user_links_hosts_but_service_accounts_do_not() -> None:
    a = alert(EXEC, 0, host="WS01", user="CORP\\alice")
    b = alert(DUMP, 5, host="SRV02", user="corp\\ALICE")
    (incident,) = group_alerts([a, b])
    assert set(incident.hosts) == {"WS01", "SRV02"}
    assert incident.users == ("CORP\\alice",)

    c = alert(EXEC, 0, host="WS01", user="NT AUTHORITY\\SYSTEM")
    d = alert(DUMP, 5, host="SRV02", user="nt authority\\system")
    assert len(group_alerts([c, d])) == 2
    e = alert(EXEC, 0, host="web1", user="root")
    f = alert(EXEC, 1, host="web2", user="root")
    assert len(group_alerts([e, f])) == 2


def test_different_hosts_and_users_stay_apart() -> None:
    a = alert(EXEC, 0, host="WS01", user="alice")
    b = alert(EXEC, 1, host="WS02", user="bob")
    assert len(group_alerts([a, b])) == 2


def test_alerts_without_a_time_are_grouped_by_host() -> None:
    untimed = [alert(EXEC, None, host="WS01"), alert(DUMP, None, host="ws01")]
    untimed.append(alert(EXEC, None, host="WS02"))
    timed = alert(EXEC, 0, host="WS01")
    incidents = group_alerts([*untimed, timed])
    assert len(incidents) == 3
    by_size = sorted(incidents, key=lambda i: len(i.alerts))
    assert len(by_size[-1].alerts) == 2
    assert by_size[-1].first_seen is None
    assert by_size[-1].last_seen is None
    assert {a.timestamp is None for a in by_size[-1].alerts} == {True}


def test_an_incident_id_depends_on_its_alerts_only() -> None:
    alerts = [alert(EXEC, m, record=100 + m) for m in range(0, 40, 10)]
    alerts.append(alert(DUMP, 200, host="SRV9", record=999))
    first = group_alerts(alerts)
    shuffled = alerts[:]
    random.Random(7).shuffle(shuffled)  # noqa: S311 - a fixed shuffle, not a secret
    second = group_alerts(shuffled)
    assert [i.id for i in first] == [i.id for i in second]
    assert len({i.id for i in first}) == 2
    changed = group_alerts([*alerts[:-1], alert(DUMP, 200, host="SRV9", record=1000)])
    assert {i.id for i in changed} != {i.id for i in first}
    assert first[0].id.startswith("inc_")


def test_level_score_techniques_and_tactics_of_an_incident() -> None:
    alerts = [alert(EXEC, 0), alert(EXEC, 1), alert(DUMP, 2), alert(CLEAR, 3)]
    (incident,) = group_alerts(alerts)
    assert incident.level is Level.HIGH
    assert incident.techniques == ("T1003.001", "T1059.001", "T1685.005")
    assert incident.tactics == ("execution", "defense-impairment", "credential-access")
    assert incident.score == LEVEL_WEIGHT[Level.HIGH] * 3 * 3
    assert [(rc.rule.id, rc.alerts) for rc in incident.rules] == [
        ("clear", 1),
        ("dump", 1),
        ("exec", 2),
    ]
    assert "on WS01" in incident.title


def test_scores_rank_incidents_and_grow_with_rules_and_techniques() -> None:
    small = [alert(PLAIN, 0, host="A")]
    big = [alert(EXEC, 0, host="B"), alert(DUMP, 1, host="B")]
    incidents = group_alerts([*small, *big])
    assert [i.hosts for i in incidents] == [("B",), ("A",)]
    assert incidents[0].score > incidents[1].score
    assert incidents[1].score == LEVEL_WEIGHT[Level.LOW] * 1 * 1


def test_old_and_v19_technique_ids_count_as_one_technique() -> None:
    old = rule("old", tags=("attack.defense-evasion", "attack.t1562.001"))
    new = rule("new", tags=("attack.defense-impairment", "attack.t1685"))
    (incident,) = group_alerts([alert(old, 0), alert(new, 1)])
    assert incident.techniques == ("T1685",)
    assert incident.tactics == ("stealth", "defense-impairment")


def test_tactics_come_from_techniques_when_a_rule_names_none() -> None:
    untagged = rule("t-only", tags=("attack.t1003.001",))
    (incident,) = group_alerts([alert(untagged, 0)])
    assert incident.tactics == ("credential-access",)


def test_naive_and_aware_times_are_the_same_utc_time() -> None:
    aware = alert(EXEC, 0)
    naive = Alert(
        rule=EXEC,
        timestamp=T0.replace(tzinfo=None) + timedelta(minutes=1),
        host="WS01",
        source=aware.source,
        fields={},
    )
    (incident,) = group_alerts([aware, naive])
    assert incident.last_seen == T0 + timedelta(minutes=1)
    assert utc(naive.timestamp) == incident.last_seen


def test_incident_json_has_summary_and_alerts() -> None:
    (incident,) = group_alerts([alert(DUMP, 0, user="alice", CommandLine="procdump -ma lsass")])
    body = incident.to_json()
    assert body["id"] == incident.id
    assert body["level"] == "high"
    assert body["alert_count"] == 1
    assert body["alerts"][0]["fields"] == {"CommandLine": "procdump -ma lsass"}
    assert body["alerts"][0]["id"] == alert_id(incident.alerts[0])
    assert "alerts" not in incident.summary_json()


# -- noise control ---------------------------------------------------------------------------


def test_min_level_status_and_excluded_rules_drop_alerts() -> None:
    experimental = rule("exp", level=Level.HIGH, status="experimental")
    alerts = [alert(PLAIN, 0), alert(EXEC, 0), alert(DUMP, 0), alert(experimental, 0)]
    stats = NoiseStats()
    kept = list(NoiseFilter(min_level=Level.MEDIUM).apply(alerts, stats))
    assert [a.rule.id for a in kept] == ["exec", "dump", "exp"]
    assert (stats.kept, stats.dropped) == (3, 1)
    only_test = NoiseFilter(statuses=frozenset({"test", "stable"}))
    assert [a.rule.id for a in only_test.apply(alerts)] == ["plain", "exec", "dump"]
    excluded = NoiseFilter(exclude_rules=frozenset({"dump"}))
    assert "dump" not in [a.rule.id for a in excluded.apply(alerts)]


def test_an_allow_entry_suppresses_alerts_matching_all_its_conditions() -> None:
    backup = alert(EXEC, 0, user="svc_backup", Image="C:\\Tools\\Backup.exe")
    other_user = alert(EXEC, 0, user="alice", Image="C:\\Tools\\Backup.exe")
    other_image = alert(EXEC, 0, user="svc_backup", Image="C:\\Temp\\evil.exe")
    entry = AllowEntry.parse("Image=*\\backup.exe; user=SVC_BACKUP")
    quiet = NoiseFilter(allow=(entry,))
    assert [quiet.keeps(a) for a in (backup, other_user, other_image)] == [False, True, True]
    assert str(entry) == "Image=*\\backup.exe;user=SVC_BACKUP"


def test_allow_entries_match_rule_host_level_and_list_values() -> None:
    a = alert(DUMP, 0, host="LAB-07", Hashes=["MD5=AAA", "SHA256=BBB"])
    assert AllowEntry.parse("rule_id=dump").matches(a)
    assert AllowEntry.parse(f"rule={DUMP.title}").matches(a)
    assert AllowEntry.parse("host=lab-*").matches(a)
    assert AllowEntry.parse("level=high").matches(a)
    assert AllowEntry.parse("Hashes=sha256=bbb").matches(a)
    assert not AllowEntry.parse("Hashes=sha256=ccc").matches(a)
    assert not AllowEntry.parse("Missing=x").matches(a)


@pytest.mark.parametrize("spec", ["", ";", "no-equals-sign", "=value", "a=1;broken"])
def test_a_malformed_allow_entry_is_refused_with_a_hint(spec: str) -> None:
    with pytest.raises(InputError) as err:
        AllowEntry.parse(spec)
    assert err.value.code == "detect.bad_allow"


# -- properties ------------------------------------------------------------------------------

_HOSTS = ["WS01", "WS02", "SRV", None]
_USERS = ["alice", "bob", "SYSTEM", None]


@st.composite
def _alerts(draw: st.DrawFn) -> list[Alert]:
    n = draw(st.integers(min_value=0, max_value=40))
    out = []
    for i in range(n):
        minutes = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=600)))
        out.append(
            alert(
                draw(st.sampled_from([EXEC, DUMP, CLEAR, PLAIN])),
                minutes,
                host=draw(st.sampled_from(_HOSTS)),
                user=draw(st.sampled_from(_USERS)),
                record=i + 1,
            )
        )
    return out


@settings(max_examples=150, deadline=None)
@given(_alerts(), st.integers(min_value=0, max_value=120))
def test_grouping_partitions_the_alerts_and_keeps_close_host_activity_together(
    alerts: list[Alert], window_minutes: int
) -> None:
    window = timedelta(minutes=window_minutes)
    incidents = group_alerts(alerts, window=window)
    where = {}
    for n, incident in enumerate(incidents):
        for a in incident.alerts:
            assert alert_id(a) not in where, "an alert is in two incidents"
            where[alert_id(a)] = n
    assert len(where) == len(alerts)
    timed = [a for a in alerts if a.timestamp is not None]
    for a in timed:
        for b in timed:
            same_host = a.host is not None and a.host.lower() == (b.host or "").lower()
            if same_host and abs(a.timestamp - b.timestamp) <= window:
                assert where[alert_id(a)] == where[alert_id(b)]
    for incident in incidents:
        times = [a.timestamp for a in incident.alerts if a.timestamp is not None]
        assert times == sorted(times)
        assert incident.score >= LEVEL_WEIGHT[incident.level]
