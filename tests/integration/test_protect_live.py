"""Live SPF and DMARC checks of an e-mail's sender against a real DNS server on 127.0.0.1
(dnslib, the ``zone`` fixture): the library, the CLI (`--live`) and the HTTP route."""

from __future__ import annotations

import email.policy
import json
import subprocess
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest
from dns_zone import Zone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli_runner import run_cli
from shieldwall.core.errors import InputError
from shieldwall.protect.brands import BrandRegistry, bundled_entries
from shieldwall.protect.email import check_email, parse_email
from shieldwall.protect.live import LiveChecker
from shieldwall.protect.verdict import Verdict

REGISTRY = BrandRegistry(bundled_entries())


def message(
    *,
    relay_ip: str = "203.0.113.9",
    envelope: str | None = "bounce@mail.northwind-bank.example",
    sender: str = "Northwind Bank <alerts@northwind-bank.example>",
    auth: str | None = None,
) -> bytes:
    lines = [
        "Received: from localhost (localhost [127.0.0.1]) by mail.recipient.example with LMTP",
        "Received: from edge.recipient.example (edge.recipient.example [10.0.0.5]) by "
        "mail.recipient.example with ESMTP",
        f"Received: from out.sender.example (out.sender.example [{relay_ip}]) by "
        "edge.recipient.example with ESMTPS",
        "Received: from forged.example (forged.example [198.51.100.66]) by out.sender.example",
    ]
    if envelope is not None:
        lines.append(f"Return-Path: <{envelope}>")
    if auth is not None:
        lines.append(f"Authentication-Results: mx.recipient.example; {auth}")
    lines += [
        f"From: {sender}",
        "To: alex@recipient.example",
        "Subject: Your statement",
        "Content-Type: text/html; charset=utf-8",
        "",
        '<p>Your statement is ready: <a href="https://phish-site.example.net/login">view it</a>'
        "</p>",
    ]
    return "\r\n".join(lines).encode()


def checker(port: int) -> LiveChecker:
    return LiveChecker(nameservers=["127.0.0.1"], port=port, timeout_s=2.0)


def test_spf_pass_through_include_and_dmarc_pass(zone: tuple[Zone, int]) -> None:
    records, port = zone
    records.txt["mail.northwind-bank.example"] = ["v=spf1 include:_spf.esp.example -all"]
    records.txt["_spf.esp.example"] = ["v=spf1 ip4:203.0.113.0/24 ~all"]
    records.txt["_dmarc.northwind-bank.example"] = ["v=DMARC1; p=reject; rua=mailto:d@x.example"]
    raw = message()
    report = checker(port).check(parse_email(raw).identity)
    assert report.hop is not None
    assert report.hop.ip == "203.0.113.9"  # past the recipient's own relays, not the forged one
    assert report.spf is not None
    assert (report.spf.result, report.spf.identity) == ("pass", "mailfrom")
    assert report.spf.domain == "mail.northwind-bank.example"
    assert report.dmarc is not None
    assert (report.dmarc.result, report.dmarc.policy) == ("pass", "reject")
    assert report.dmarc.aligned == ("spf",)  # relaxed: mail.northwind-bank.example aligns
    result = check_email(raw, registry=REGISTRY, live=checker(port)).to_json()
    assert result["email"]["live"]["spf"]["result"] == "pass"
    found = {r["signal"]: r for r in result["reasons"]}
    assert found["live_spf_pass"]["weight"] == 0
    assert found["live_dmarc_pass"]["weight"] == 0


def test_a_forged_sender_fails_spf_and_a_reject_policy(zone: tuple[Zone, int]) -> None:
    records, port = zone
    records.txt["mail.northwind-bank.example"] = ["v=spf1 ip4:192.0.2.0/24 -all"]
    records.txt["_dmarc.northwind-bank.example"] = ["v=DMARC1; p=reject"]
    a = check_email(message(), registry=REGISTRY, live=checker(port))
    found = {r.signal: r for r in a.reasons}
    assert found["live_spf_fail"].weight == pytest.approx(0.4)
    assert "203.0.113.9" in found["live_spf_fail"].detail
    assert found["live_dmarc_fail"].weight == pytest.approx(0.6)
    assert "reject" in found["live_dmarc_fail"].detail
    assert a.verdict is Verdict.DANGEROUS
    offline = check_email(message(), registry=REGISTRY)
    assert not any(r.signal.startswith("live_") for r in offline.reasons)
    assert offline.score < a.score


def test_what_the_receiver_already_reported_is_not_counted_twice(zone: tuple[Zone, int]) -> None:
    records, port = zone
    records.txt["mail.northwind-bank.example"] = ["v=spf1 -all"]
    records.txt["_dmarc.northwind-bank.example"] = ["v=DMARC1; p=quarantine"]
    raw = message(auth="spf=fail smtp.mailfrom=mail.northwind-bank.example; dmarc=fail")
    with_live = check_email(raw, registry=REGISTRY, live=checker(port))
    found = {r.signal: r for r in with_live.reasons}
    assert found["live_spf_fail"].weight == 0
    assert found["live_dmarc_fail"].weight == 0
    assert with_live.score == pytest.approx(check_email(raw, registry=REGISTRY).score)


def test_dmarc_falls_back_to_the_organisational_domain_and_its_subdomain_policy(
    zone: tuple[Zone, int],
) -> None:
    records, port = zone
    records.txt["mail.northwind-bank.example"] = ["v=spf1 ip4:203.0.113.9 -all"]
    records.txt["_dmarc.northwind-bank.example"] = ["v=DMARC1; p=reject; sp=quarantine"]
    raw = message(sender="Alerts <alerts@notices.northwind-bank.example>")
    report = checker(port).check(parse_email(raw).identity)
    assert report.dmarc is not None
    assert report.dmarc.record_domain == "northwind-bank.example"
    assert report.dmarc.policy == "quarantine"
    assert report.dmarc.result == "pass"


def test_no_records_and_the_from_fallback(zone: tuple[Zone, int]) -> None:
    records, port = zone
    records.a["unrelated.example"] = ["192.0.2.1"]  # the server answers; these names are absent
    raw = message(envelope=None, sender="Shop <hello@tiny-shop.example>")
    a = check_email(raw, registry=REGISTRY, live=checker(port))
    live = a.to_json()["email"]["live"]
    assert (live["spf"]["result"], live["spf"]["identity"]) == ("none", "from")
    assert live["dmarc"]["result"] == "none"
    found = {r.signal: r.weight for r in a.reasons}
    assert found["live_spf_none"] == pytest.approx(0.1)
    assert found["live_dmarc_none"] == pytest.approx(0.05)


def test_a_spf_record_that_names_an_a_record(zone: tuple[Zone, int]) -> None:
    records, port = zone
    records.txt["mail.northwind-bank.example"] = ["v=spf1 a:out.northwind-bank.example -all"]
    records.a["out.northwind-bank.example"] = ["203.0.113.9"]
    report = checker(port).check(parse_email(message()).identity)
    assert report.spf is not None
    assert report.spf.result == "pass"
    records.a["out.northwind-bank.example"] = ["203.0.113.10"]
    report = checker(port).check(parse_email(message()).identity)
    assert report.spf is not None
    assert report.spf.result == "fail"


def test_only_the_senders_dns_is_asked_never_the_links(zone: tuple[Zone, int]) -> None:
    records, port = zone
    records.txt["mail.northwind-bank.example"] = ["v=spf1 -all"]
    check_email(message(), registry=REGISTRY, live=checker(port))
    asked = {name for name, _ in records.queries}
    assert asked
    assert all("northwind-bank.example" in name for name in asked), asked
    assert not any("phish-site" in name for name in asked)


def test_a_dns_server_that_does_not_answer_is_a_temporary_error() -> None:
    silent = LiveChecker(nameservers=["127.0.0.1"], port=9, timeout_s=0.5)
    report = silent.check(parse_email(message()).identity)
    assert report.spf is not None
    assert report.spf.result == "temperror"
    assert report.dmarc is not None
    assert report.dmarc.result == "temperror"


def test_cli_live_flag(home: Path, tmp_path: Path, zone: tuple[Zone, int]) -> None:
    records, port = zone
    records.txt["mail.northwind-bank.example"] = ["v=spf1 ip4:192.0.2.0/24 -all"]
    records.txt["_dmarc.northwind-bank.example"] = ["v=DMARC1; p=reject"]
    eml = tmp_path / "statement.eml"
    eml.write_bytes(message())
    env = {
        "SHIELDWALL_PROTECT_DNS_NAMESERVERS": '["127.0.0.1"]',
        "SHIELDWALL_PROTECT_DNS_PORT": str(port),
        "SHIELDWALL_PROTECT_DNS_TIMEOUT_S": "2",
    }

    def sw(*args: str) -> subprocess.CompletedProcess[str]:
        return run_cli(home, *args, env=env, drop_env_prefix="SHIELDWALL_PROTECT_")

    before = len(records.queries)
    offline = sw("protect", "email", str(eml), "--format", "json")
    assert len(records.queries) == before  # offline by default: no DNS at all
    assert "live" not in json.loads(offline.stdout)["email"]
    live = sw("protect", "email", str(eml), "--live", "--format", "json")
    assert live.returncode == 1, live.stderr
    body = json.loads(live.stdout)
    assert body["email"]["live"]["spf"]["result"] == "fail"
    assert body["email"]["live"]["dmarc"]["policy"] == "reject"
    assert body["verdict"] == "dangerous"
    text = sw("protect", "email", str(eml), "--live")
    assert "Checked now" in text.stdout


def test_http_live_is_refused_to_remote_callers_unless_allowed(
    client: httpx.Client, zone: tuple[Zone, int]
) -> None:
    records, _port = zone
    raw = message().decode()
    refused = client.post("/api/v1/protect/email", json={"raw": raw, "live": True})
    assert refused.status_code == 403, refused.text
    assert refused.json()["code"] == "protect.live.remote"
    query = client.post(
        "/api/v1/protect/email?live=true",
        content=raw,
        headers={"content-type": "message/rfc822"},
    )
    assert query.status_code == 403
    plain = client.post("/api/v1/protect/email", json={"raw": raw})
    assert plain.status_code == 200
    assert "live" not in plain.json()["email"]
    assert records.queries == []


HEADER_VALUES = st.sampled_from(
    [
        "from x ([203.0.113.9]) by mx.example.org",
        "from [::ffff:203.0.113.9] (helo=) by mx",
        "from a (b [999.1.1.1]) by c",
        "from (([[[",
        "by only.example",
        "<>",
        "<@@@>",
        "<bounce@xn--broken-.example>",
        "x@" + "a." * 130 + "example",
        "\u00e9\u00e8@\u00fc.example",
    ]
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    received=st.lists(st.one_of(HEADER_VALUES, st.text(max_size=80)), max_size=4),
    envelope=st.one_of(HEADER_VALUES, st.text(max_size=60)),
    sender=st.one_of(HEADER_VALUES, st.text(max_size=60)),
)
def test_hostile_headers_never_crash_a_live_check(
    zone: tuple[Zone, int], received: list[str], envelope: str, sender: str
) -> None:
    _records, port = zone
    msg = EmailMessage(policy=email.policy.compat32)
    for value in received:
        msg["Received"] = value.replace("\n", " ").replace("\r", " ")
    msg["Return-Path"] = envelope.replace("\n", " ").replace("\r", " ")
    msg["From"] = sender.replace("\n", " ").replace("\r", " ")
    msg["Subject"] = "x"
    msg.set_payload("hello")
    try:
        a = check_email(
            msg.as_bytes(),
            registry=REGISTRY,
            live=LiveChecker(nameservers=["127.0.0.1"], port=port, timeout_s=0.5),
        )
    except InputError:
        return
    assert 0.0 <= a.score <= 1.0
