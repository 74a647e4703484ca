"""Retro-hunt over the event store: where each kind of observable is found, exact vs subdomain vs
token matches, what cannot be hunted and why, who may search which run, and that no value, how
odd it be, crashes a hunt or matches anything but itself (hypothesis)."""

from __future__ import annotations

import ipaddress
import string
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from shieldwall.core.errors import InputError, NotFoundError
from shieldwall.core.types import (
    LOCAL_OWNER,
    CapabilityId,
    Decision,
    DecisionKind,
    InvocationContext,
    OrgId,
    Principal,
    PrincipalId,
    PrincipalKind,
    Tier,
)
from shieldwall.detect.events import Event, EventSource, LogFormat, LogSource
from shieldwall.detect.eventstore import EventWriter
from shieldwall.detect.hunt import (
    Hunter,
    HuntRequest,
    HuntScope,
    HuntService,
    Observable,
    ObservableResult,
    ObservableType,
    hunt_lines,
    lookup_keys,
    parse_indicator,
)
from shieldwall.detect.repository import DetectRepository, IncidentQuery, visible_to
from shieldwall.store import open_store

T0 = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
SYSMON = LogSource(product="windows", service="sysmon")
WEB = LogSource(category="webserver")
SSHD = LogSource(product="linux", service="sshd")
TRAIL = LogSource(product="aws", service="cloudtrail")
SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
MD5 = "098f6bcd4621d373cade4e832627b4f6"

ALICE = Principal(
    id=PrincipalId("key:alice"),
    kind=PrincipalKind.API_KEY,
    tier=Tier.VERIFIED_INDIVIDUAL,
    org=OrgId("org:clinic"),
)
COLLEAGUE = Principal(
    id=PrincipalId("key:carol"),
    kind=PrincipalKind.API_KEY,
    tier=Tier.VERIFIED_INDIVIDUAL,
    org=OrgId("org:clinic"),
)
BOB = Principal(
    id=PrincipalId("key:bob"),
    kind=PrincipalKind.API_KEY,
    tier=Tier.VERIFIED_INDIVIDUAL,
    org=OrgId("org:other"),
)


def event(
    n: int,
    fields: Mapping[str, Any],
    *,
    logsource: LogSource = SYSMON,
    fmt: LogFormat = LogFormat.JSON,
    file: str = "logs/sysmon.jsonl",
    host: str = "ws7",
    at: datetime | None = None,
) -> Event:
    return Event(
        timestamp=at or T0 + timedelta(minutes=n),
        host=host,
        format=fmt,
        logsource=logsource,
        source=EventSource(file=file, record=n),
        fields=dict(fields),
    )


WINDOWS = [
    event(1, {"EventID": 3, "Image": "C:\\Tools\\nc.exe", "DestinationIp": "203.0.113.7"}),
    event(2, {"EventID": 22, "QueryName": "CDN.Evil.Example", "Image": "C:\\x\\chrome.exe"}),
    event(3, {"EventID": 22, "QueryName": "notevil.example"}),
    event(
        4,
        {
            "EventID": 1,
            "Image": "C:\\Temp\\Mimikatz.EXE",
            "Hashes": f"MD5={MD5.upper()},"
            f"SHA256={SHA256.upper()},IMPHASH=00112233445566778899AABBCCDDEEFF",
        },
    ),
    event(
        5,
        {
            "EventID": 22,
            "QueryName": "evil.example.",
            "QueryResults": "type:  5 cdn.evil.example;::ffff:198.51.100.3;",
        },
    ),
    event(6, {"EventID": 3, "DestinationIp": "2001:db8::1", "SourceIp": "10.0.0.5"}),
]
WEB_LOG = [
    event(
        1,
        {
            "c-ip": "192.0.2.44",
            "cs-uri": "/login",
            "cs-referer": "https://Evil.Example:8443/phish?a=1",
            "_raw": "192.0.2.44 - - GET /login",
        },
        logsource=WEB,
        fmt=LogFormat.WEB_ACCESS,
        file="logs/access.log",
        host="web1",
    ),
]
SYSLOG = [
    event(
        1,
        {
            "program": "sshd",
            "source_ip": "192.0.2.44",
            "user": "root",
            "_raw": "Mar 3 web1 sshd[1]: Failed password for root from 192.0.2.44 port 22",
        },
        logsource=SSHD,
        fmt=LogFormat.SYSLOG,
        file="logs/auth.log",
        host="web1",
    ),
    event(
        2,
        {
            "program": "cron",
            "_raw": "Mar 3 web1 cron[9]: fetched http://evil.example/x.sh "
            f"(sha256 {SHA256}) for ops@evil.example",
        },
        logsource=SSHD,
        fmt=LogFormat.SYSLOG,
        file="logs/auth.log",
        host="web1",
    ),
]
CLOUDTRAIL = [
    event(
        1,
        {"eventName": "ConsoleLogin", "sourceIPAddress": "198.51.100.9"},
        logsource=TRAIL,
        fmt=LogFormat.CLOUDTRAIL,
        file="logs/trail.json",
        host="111",
    ),
]


def write_run(home: Path, run_id: str, events: list[Event], **meta: Any) -> None:
    with EventWriter(home, run_id, batch_rows=2, **meta) as writer:
        writer.add_many(events)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    root = tmp_path / "home"
    write_run(root, "run_win", WINDOWS, owner="key:alice", owner_org="org:clinic")
    write_run(root, "run_web", WEB_LOG + SYSLOG + CLOUDTRAIL, owner="key:bob")
    return root


def obs(kind: str, value: str, ref: str | None = None) -> Observable:
    return Observable(type=ObservableType(kind), value=value, ref=ref or f"ref:{kind}:{value}")


def hunt(
    home: Path,
    *observables: Observable,
    runs: tuple[str, ...] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> tuple[ObservableResult, ...]:
    hunter = Hunter(home)
    scope = HuntScope(
        runs=runs if runs is not None else tuple(hunter.readable_runs(LOCAL_OWNER)),
        start=start,
        end=end,
    )
    return hunter.search(list(observables), scope, cap=100).results


def where(result: ObservableResult) -> list[tuple[str, int | None, str, str]]:
    return [(e.file, e.record, e.field, e.match) for e in result.events]


# -- where each kind of value is found ---------------------------------------------------------


def test_each_kind_of_value_is_found_where_the_readers_put_it(home: Path) -> None:
    ip, dom, v6, mapped, sha, md5, name, web_ip, trail, url = hunt(
        home,
        obs("ipv4-addr", "203.0.113.7"),
        obs("domain-name", "evil.example"),
        obs("ipv6-addr", "2001:0DB8:0:0:0:0:0:1"),
        obs("ipv4-addr", "198.51.100.3"),
        obs("file-hash", SHA256),
        obs("file-hash", MD5.upper()),
        obs("file-name", "mimikatz.exe"),
        obs("ipv4-addr", "192.0.2.44"),
        obs("ipv4-addr", "198.51.100.9"),
        obs("url", "https://evil.example:8443/phish?a=1"),
    )
    assert where(ip) == [("logs/sysmon.jsonl", 1, "DestinationIp", "exact")]
    assert ip.count == 1
    assert ip.first_seen == T0 + timedelta(minutes=1)
    # a subdomain, the domain itself (trailing dot), a URL's host, words of a syslog line
    found = {(e.file, e.record): e.match for e in dom.events}
    assert found[("logs/sysmon.jsonl", 2)] == "subdomain"
    assert found[("logs/sysmon.jsonl", 5)] == "exact"
    assert found[("logs/auth.log", 2)] == "token"
    assert found[("logs/access.log", 1)] == "exact"  # the referer's host, port aside
    assert ("logs/sysmon.jsonl", 3) not in found  # notevil.example is another domain
    assert dom.count == 4
    assert where(v6) == [("logs/sysmon.jsonl", 6, "DestinationIp", "exact")]
    assert where(mapped) == [("logs/sysmon.jsonl", 5, "QueryResults", "exact")]
    assert {(e.record, e.field) for e in sha.events} == {(4, "Hashes"), (2, "_raw")}
    assert where(md5) == [("logs/sysmon.jsonl", 4, "Hashes", "exact")]
    assert where(name) == [("logs/sysmon.jsonl", 4, "Image", "exact")]
    assert {(e.file, e.field) for e in web_ip.events} == {
        ("logs/access.log", "c-ip"),
        ("logs/auth.log", "source_ip"),  # the structured field wins over the line's words
    }
    assert where(trail) == [("logs/trail.json", 1, "sourceIPAddress", "exact")]
    assert where(url) == [("logs/access.log", 1, "cs-referer", "exact")]


def test_a_value_is_never_a_prefix_a_substring_or_a_parent(home: Path) -> None:
    results = hunt(
        home,
        obs("ipv4-addr", "203.0.113.70"),  # 203.0.113.7 is there, not this
        obs("ipv4-addr", "3.0.113.7"),
        obs("domain-name", "vil.example"),
        obs("domain-name", "cdn.evil.example.com"),
        obs("file-hash", SHA256[:-1] + "0"),
        obs("file-name", "katz.exe"),
        obs("url", "https://evil.example:8443/phish"),
    )
    assert [r.status for r in results] == ["miss"] * 7


def test_a_top_level_domain_never_matches_every_name_under_it(home: Path) -> None:
    (tld,) = hunt(home, obs("domain-name", "example"))
    assert tld.status == "not_huntable"
    assert "two labels" in (tld.reason or "")


# -- what cannot be hunted ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "why"),
    [
        ("ipv4-addr", "10.0.0.0/8", "range"),
        ("ipv4-addr", "2001:db8::1", "IPv6"),
        ("ipv6-addr", "not an address", "not an IPv6"),
        ("file-hash", "3:abc:def", "hex"),
        ("file-hash", "abc", "hex"),
        ("email-addr", "no-at-sign", "e-mail"),
        ("domain-name", "1.2.3.4", "number"),
        ("domain-name", "a b.example", "domain"),
        ("url", "x" * 3000, "longer"),
        ("url", "a\x00b", "control"),
        ("file-name", "C:\\Windows\\", "file name"),
    ],
)
def test_values_that_are_not_of_their_type_are_reported(kind: str, value: str, why: str) -> None:
    keys = lookup_keys(obs(kind, value))
    assert keys.keys == ()
    assert why in (keys.reason or "")


def test_a_single_address_range_and_mapped_forms_are_single_addresses() -> None:
    assert lookup_keys(obs("ipv4-addr", "203.0.113.7/32")).keys == ("ip:203.0.113.7",)
    assert lookup_keys(obs("ipv6-addr", "::ffff:203.0.113.7")).keys == (
        "ip:203.0.113.7",
        "ip:::ffff:cb00:7107",
        "ip:0000:0000:0000:0000:0000:ffff:cb00:7107",
        "ip:0:0:0:0:0:ffff:cb00:7107",
    )
    v6 = lookup_keys(obs("ipv6-addr", "2001:DB8::1")).keys
    assert v6 == (
        "ip:2001:db8::1",
        "ip:2001:0db8:0000:0000:0000:0000:0000:0001",
        "ip:2001:db8:0:0:0:0:0:1",
    )


def test_what_no_stored_event_could_hold_is_not_huntable_here(tmp_path: Path) -> None:
    plain = [event(n, {"c-ip": "192.0.2.1", "cs-uri": "/", "sc-status": 200}, logsource=WEB)
             for n in (1, 2)]  # fmt: skip
    write_run(tmp_path, "run_w", plain)
    hash_, mail, ip, name, url = hunt(
        tmp_path,
        obs("file-hash", SHA256),
        obs("email-addr", "a@b.example"),
        obs("ipv4-addr", "192.0.2.99"),
        obs("file-name", "nc.exe"),
        obs("url", "http://evil.example/"),
    )
    assert hash_.status == "not_huntable"
    assert "file hashes" in (hash_.reason or "")
    assert mail.status == "not_huntable"
    assert "e-mail" in (mail.reason or "")
    assert name.status == "not_huntable"
    assert "paths" in (name.reason or "")
    assert url.status == "not_huntable"
    assert "URLs" in (url.reason or "")
    assert ip.status == "miss"  # web logs hold client addresses: looked for, not seen
    # a line-based log keeps its line (_raw): addresses, hashes and e-mail may be in its words
    write_run(tmp_path, "run_l", SYSLOG)
    hash_, mail, name = hunt(
        tmp_path, obs("file-hash", MD5), obs("email-addr", "a@b.example"), obs("file-name", "x")
    )
    assert (hash_.status, mail.status, name.status) == ("miss", "miss", "not_huntable")


def test_with_no_stored_events_nothing_is_huntable(tmp_path: Path) -> None:
    (result,) = hunt(tmp_path, obs("ipv4-addr", "192.0.2.1"), runs=())
    assert result.status == "not_huntable"
    assert "no stored events" in (result.reason or "")


# -- scope: runs, time, duplicates, caps -------------------------------------------------------


def test_a_log_stored_by_two_runs_counts_once(home: Path) -> None:
    write_run(home, "run_again", WINDOWS[:1], owner="key:alice")
    (ip,) = hunt(home, obs("ipv4-addr", "203.0.113.7"))
    assert ip.count == 1
    assert ip.events[0].run_id in ("run_win", "run_again")


def test_time_range_and_named_runs(home: Path) -> None:
    (inside,) = hunt(
        home, obs("domain-name", "evil.example"), runs=("run_win",),
        start=T0 + timedelta(minutes=3), end=T0 + timedelta(minutes=6),
    )  # fmt: skip
    assert [e.record for e in inside.events] == [5]
    (before,) = hunt(home, obs("domain-name", "evil.example"), end=T0 - timedelta(days=1))
    assert before.status == "not_huntable"
    assert before.reason == "no stored events in the time range"


def test_the_events_listed_are_capped_but_the_count_is_exact(tmp_path: Path) -> None:
    many = [event(n, {"DestinationIp": "203.0.113.7"}) for n in range(1, 31)]
    write_run(tmp_path, "run_many", many)
    hunter = Hunter(tmp_path)
    (result,) = hunter.search(
        [obs("ipv4-addr", "203.0.113.7")], HuntScope(runs=("run_many",)), cap=5
    ).results
    assert result.count == 30
    assert [e.record for e in result.events] == [1, 2, 3, 4, 5]
    assert result.first_seen == T0 + timedelta(minutes=1)
    assert result.last_seen == T0 + timedelta(minutes=30)
    assert result.to_json()["events_truncated"] is True


def test_a_principal_searches_only_the_runs_it_may_read(home: Path) -> None:
    hunter = Hunter(home)
    assert hunter.readable_runs(LOCAL_OWNER) == ["run_web", "run_win"]
    assert hunter.readable_runs(ALICE) == ["run_win"]
    assert hunter.readable_runs(COLLEAGUE) == ["run_win"]  # the organisation's run
    assert hunter.readable_runs(BOB) == ["run_web"]
    for run in ("run_win", "run_nope"):  # not theirs, or not there: the same answer
        with pytest.raises(NotFoundError) as caught:
            hunter.readable_runs(BOB, [run])
        assert caught.value.code == "detect.events.no_run"


# -- the capability: incidents stored, visible to whom ran it -----------------------------------


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = open_store(f"sqlite:///{tmp_path / 'sw.db'}")
    yield engine
    engine.dispose()


def _ctx(who: Principal) -> InvocationContext:
    return InvocationContext(
        principal=who,
        capability=CapabilityId("detect.hunt"),
        decision=Decision(kind=DecisionKind.ALLOW, reasons=()),
        decision_index=None,
        now=T0,
    )


def test_hits_become_stored_incidents_whose_rule_is_the_indicator(
    home: Path, engine: Engine
) -> None:
    repo = DetectRepository(engine)
    service = HuntService(Hunter(home), repo)
    request = HuntRequest.model_validate(
        {
            "observables": [
                {"type": "ipv4-addr", "value": "203.0.113.7", "ref": "indicator--a"},
                {"type": "domain-name", "value": "evil.example", "ref": "indicator--b"},
                {"type": "url", "value": "http://nowhere.example/", "ref": "indicator--c"},
            ]
        }
    )
    result = service(request, _ctx(ALICE))
    run = result["run"]
    assert run["searched_runs"] == ["run_win"]  # Bob's run is not Alice's to search
    assert (run["hit"], run["miss"], run["not_huntable"]) == (2, 0, 1)
    assert run["events_searched"] == len(WINDOWS)
    page = repo.list_incidents(IncidentQuery(run_id=run["id"]), viewer=visible_to(ALICE))
    rules = {r["id"] for inc in page.incidents for r in inc["rules"]}
    assert rules == {"indicator--a", "indicator--b"}
    # the same host within 30 minutes: one incident, one "rule" per indicator
    (incident,) = page.incidents
    assert incident["title"].startswith("Shared indicator seen: ")
    assert incident["title"].endswith("(+1 more rule) on ws7")
    titles = {r["title"] for r in incident["rules"]}
    assert titles == {
        "Shared indicator seen: 203.0.113.7",
        "Shared indicator seen: evil.example",
    }
    one = repo.get_incident(page.incidents[0]["id"], viewer=visible_to(ALICE))
    alert = one["alerts"][0]
    assert alert["kind"] == "indicator"
    assert alert["fields"]["indicator"] in ("indicator--a", "indicator--b")
    assert alert["source"]["file"] == "logs/sysmon.jsonl"
    # another organisation sees none of it
    other = repo.list_incidents(IncidentQuery(run_id=run["id"]), viewer=visible_to(BOB))
    assert other.incidents == []
    stored = repo.get_run(run["id"])
    assert (stored.status, stored.incidents) == ("done", run["incidents"])
    text = "\n".join(hunt_lines(result))
    assert "HIT ipv4-addr 203.0.113.7" in text
    assert "not huntable here url" in text


def test_a_rerun_over_the_same_events_updates_the_same_incidents(
    home: Path, engine: Engine
) -> None:
    repo = DetectRepository(engine)
    service = HuntService(Hunter(home), repo)
    request = HuntRequest.model_validate(
        {"observables": [{"type": "ipv4-addr", "value": "203.0.113.7", "ref": "indicator--a"}]}
    )
    first = service(request, _ctx(LOCAL_OWNER))["incidents"]
    second = service(request, _ctx(LOCAL_OWNER))["incidents"]
    assert [i["id"] for i in first] == [i["id"] for i in second]
    every = repo.list_incidents(IncidentQuery(), viewer=visible_to(LOCAL_OWNER))
    assert len(every.incidents) == 1


def test_bad_requests_are_input_errors(home: Path, engine: Engine) -> None:
    service = HuntService(Hunter(home), DetectRepository(engine))
    one = [{"type": "ipv4-addr", "value": "203.0.113.7"}]
    with pytest.raises(InputError):
        service(HuntRequest(observables=one, run_ids=["../etc"]), _ctx(LOCAL_OWNER))  # type: ignore[arg-type]
    with pytest.raises(InputError):
        service(
            HuntRequest.model_validate(
                {"observables": one, "start": "2024-05-02T00:00:00Z", "end": "2024-05-01T00:00:00Z"}
            ),
            _ctx(LOCAL_OWNER),
        )
    with pytest.raises(NotFoundError):
        service(HuntRequest.model_validate({"observables": one, "run_ids": ["run_web"]}),
                _ctx(ALICE))  # fmt: skip


def test_parse_indicator() -> None:
    assert parse_indicator("url:http://x.example/a:b") == {
        "type": "url",
        "value": "http://x.example/a:b",
    }
    for bad in ("203.0.113.7", "ip:1.2.3.4", "domain-name:"):
        with pytest.raises(InputError):
            parse_indicator(bad)


# -- hypothesis: no value crashes a hunt or injects; a value matches only itself ---------------


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tiny")
    write_run(root, "run_t", WINDOWS + SYSLOG + WEB_LOG)
    return root


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from([str(t) for t in ObservableType]),
    value=st.text(min_size=1, max_size=80),
)
def test_no_value_crashes_a_hunt(tiny: Path, kind: str, value: str) -> None:
    (result,) = hunt(tiny, obs(kind, value))
    assert result.status in ("hit", "miss", "not_huntable")
    if result.status == "not_huntable":
        assert result.reason


ODD = string.ascii_letters + string.digits + "%_*?'\";-.[]()$"


@settings(max_examples=40, deadline=None)
@given(middle=st.text(alphabet=ODD, min_size=1, max_size=20))
def test_a_value_with_wildcards_or_quotes_matches_only_itself(
    tmp_path_factory: pytest.TempPathFactory, middle: str
) -> None:
    value = f"a{middle}z"
    decoys = {
        value.replace("%", "Q").replace("_", "Q").replace("*", "Q").replace("?", "Q"),
        value.replace("'", "Q").replace('"', "Q").replace("\\", "Q"),
        value + "tail",
        "head" + value,
        value[:-1],
    } - {value}
    root = tmp_path_factory.mktemp("odd")
    events = [event(1, {"url": value, "Image": f"C:\\dir\\{value}"})]
    events += [
        event(n, {"url": d, "Image": f"C:\\dir\\{d}"}) for n, d in enumerate(sorted(decoys), 2)
    ]
    write_run(root, "run_odd", events)
    url, name = hunt(root, obs("url", value), obs("file-name", value))
    assert url.status == "hit"
    assert [e.record for e in url.events] == [1]
    assert name.status == "hit"
    assert [e.record for e in name.events] == [1]


@settings(max_examples=40, deadline=None)
@given(addr=st.ip_addresses())
def test_every_address_is_found_however_it_is_written(
    tmp_path_factory: pytest.TempPathFactory, addr: ipaddress.IPv4Address | ipaddress.IPv6Address
) -> None:
    root = tmp_path_factory.mktemp("addr")
    written = [str(addr), str(addr).upper()]
    if isinstance(addr, ipaddress.IPv6Address):
        written.append(addr.exploded)
    else:
        written.append(f"::ffff:{addr}")
    write_run(root, "run_a", [event(n, {"DestinationIp": w}) for n, w in enumerate(written, 1)])
    kind = "ipv4-addr" if addr.version == 4 else "ipv6-addr"
    (result,) = hunt(root, obs(kind, str(addr)))
    assert result.count == len(written), (written, result)
