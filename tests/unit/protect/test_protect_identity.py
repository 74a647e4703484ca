"""Who sent an e-mail by its headers: Received hops in the forms real servers write, the relay
that handed the message over, and the sender's names (envelope, DKIM, list headers)."""

from __future__ import annotations

import email
import email.policy
import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shieldwall.protect.identity import (
    ReceivedHop,
    esp_of_domain,
    last_untrusted_hop,
    org_domain,
    parse_received,
    sender_identity,
)


@pytest.mark.parametrize(
    ("header", "ip", "helo", "reverse", "by"),
    [
        (  # Postfix / Sendmail
            "from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41]) by "
            "mx.example.org with SMTPS id abc; Tue, 1 Oct 2024 10:00:00 +0000",
            "209.85.220.41",
            "mail-sor-f41.google.com",
            "mail-sor-f41.google.com",
            "mx.example.org",
        ),
        (  # Exim
            "from [130.94.123.208] (helo=lists.example.com) by mx08.web.de with esmtp (Exim 4.70)",
            "130.94.123.208",
            "lists.example.com",
            "",
            "mx08.web.de",
        ),
        (  # qmail
            "from unknown (HELO mfrenchw2k) (mfrench42@62.254.163.42 with login) by "
            "smtp.mail.example.com with SMTP; 19 Jul 2002 14:26:07 -0000",
            "62.254.163.42",
            "mfrenchw2k",
            "",
            "smtp.mail.example.com",
        ),
        (  # Exchange / IPv6
            "from DM6PR11MB.namprd11.prod.outlook.com (2603:10b6:5:1c0::15) by "
            "SN6PR.namprd11.prod.outlook.com (2603:10b6:805:1::1) with Microsoft SMTP Server",
            "2603:10b6:5:1c0::15",
            "dm6pr11mb.namprd11.prod.outlook.com",
            "",
            "sn6pr.namprd11.prod.outlook.com",
        ),
        (  # Postfix with a bracketed IPv6 literal
            "from relay.example.net (relay.example.net [IPv6:2001:db8::25]) by mx.example.org",
            "2001:db8::25",
            "relay.example.net",
            "relay.example.net",
            "mx.example.org",
        ),
        (
            "by 2002:a05:6a10:8a4b:b0:5a1:1b2c with SMTP id x; Tue, 1 Oct 2024",
            "",
            "",
            "",
            "2002:a05:6a10:8a4b:b0:5a1:1b2c",
        ),
    ],
)
def test_received_forms(header: str, ip: str, helo: str, reverse: str, by: str) -> None:
    hop = parse_received(header)
    assert (hop.ip, hop.helo, hop.reverse, hop.by) == (ip, helo, reverse, by)


def test_the_ip_of_the_receiving_server_is_not_taken_for_the_client() -> None:
    hop = parse_received("from client.example.net by mx.example.org (10.0.0.5) with ESMTP")
    assert hop.ip == ""


def _hop(ip: str, *, reverse: str = "", by: str = "mx.example.org") -> ReceivedHop:
    return ReceivedHop(ip=ip, helo="h", reverse=reverse, by=by)


def test_last_untrusted_hop_skips_internal_and_the_receivers_own_relays() -> None:
    hops = [
        _hop("", by="mail.example.org"),  # "by ... with SMTP id": no client
        _hop("127.0.0.1", by="mail.example.org"),  # local delivery
        _hop("10.1.2.3", by="mail.example.org"),  # internal relay
        _hop("198.51.100.7", reverse="mx2.example.org", by="mail.example.org"),  # our own MX
        _hop("203.0.113.9", reverse="out.sender.example", by="mx2.example.org"),  # the sender
        _hop("192.0.2.1", reverse="forged.example", by="out.sender.example"),  # may be forged
    ]
    hop = last_untrusted_hop(hops)
    assert hop is not None
    assert hop.ip == "203.0.113.9"
    trusted = [ipaddress.ip_network("203.0.113.0/24")]
    assert last_untrusted_hop(hops, trusted=trusted) == hops[5]
    assert last_untrusted_hop([_hop("10.0.0.1"), _hop("")]) is None


RAW = b"""Received: from out.mailer.example (out.mailer.example [203.0.113.9])
\tby mx.example.org with ESMTPS id 1; Tue, 1 Oct 2024 10:00:00 +0000
Authentication-Results: mx.example.org; spf=pass smtp.mailfrom=bounce.news.example.com;
 dkim=pass header.d=news.example.com header.s=s1; dmarc=pass header.from=example.com
DKIM-Signature: v=1; a=rsa-sha256; d=news.example.com; s=s1; h=from; bh=x; b=y
DKIM-Signature: v=1; a=rsa-sha256; d=sendgrid.net; s=smtpapi; h=from; bh=x; b=y
Return-Path: <bounce-123@bounce.news.example.com>
From: Example News <news@example.com>
List-Unsubscribe: <https://news.example.com/u?id=1>, <mailto:leave@news.example.com>
List-Unsubscribe-Post: List-Unsubscribe=One-Click
List-Id: Example weekly <weekly.news.example.com>
Precedence: bulk
X-SG-EID: abc
Subject: This week

Hello
"""


def test_sender_identity_reads_every_name_and_mark() -> None:
    msg = email.message_from_bytes(RAW, policy=email.policy.default)
    report = str(msg["Authentication-Results"])
    ident = sender_identity(msg, from_address="news@example.com", auth_report=report)
    assert ident.from_org == "example.com"
    assert ident.envelope_domain == "bounce.news.example.com"
    assert ident.envelope_org == "example.com"
    assert ident.dkim_domains == ("news.example.com", "sendgrid.net")
    assert ident.dkim_pass_domains == ("news.example.com",)
    assert ident.dkim_aligned_pass()
    assert ident.unsubscribe_orgs == ("example.com",)
    assert ident.one_click
    assert ident.list_id == "weekly.news.example.com"
    assert ident.precedence == "bulk"
    assert ident.esp == "SendGrid"
    assert ident.bulk
    assert set(ident.agreeing()) == {"envelope", "dkim", "unsubscribe", "list"}
    assert ident.hops[0].ip == "203.0.113.9"


def test_a_plain_message_has_no_bulk_marks_and_nothing_agrees() -> None:
    raw = b"From: a@one.example\nReturn-Path: <x@two.example>\nSubject: hi\n\nhello\n"
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    ident = sender_identity(msg, from_address="a@one.example", auth_report="")
    assert not ident.bulk
    assert ident.agreeing() == ()
    assert not ident.dkim_aligned_pass()
    assert ident.esp == ""


def test_org_domain_and_esp_lookup() -> None:
    assert org_domain("news.example.co.uk") == "example.co.uk"
    assert org_domain("localhost") == ""
    assert org_domain("a.b.example") == "b.example"
    assert esp_of_domain("u123.ct.sendgrid.net", role="click") == "SendGrid"
    assert esp_of_domain("r.us-east-1.awstrack.me", role="send") == ""
    assert esp_of_domain("example.com") == ""


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=600))
def test_arbitrary_received_headers_never_crash(value: str) -> None:
    hop = parse_received(value)
    if hop.ip:
        ipaddress.ip_address(hop.ip)
    assert last_untrusted_hop([hop]) in (None, hop)
