"""A hub shares its brand registry with a member: two real Shieldwall servers on 127.0.0.1, the
real `shieldwall` command, and a hostile hub (a plain HTTP server) that tries to make
look-alikes of bundled brands look official."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from live_server import LiveServer

from cli_runner import run_cli
from shieldwall.api.app import create_app
from shieldwall.core.errors import DeniedError, ParseError, ProviderError
from shieldwall.core.settings import Settings
from shieldwall.core.types import LOCAL_OWNER, Tier
from shieldwall.protect.brand_feed import FEED_FORMAT, feed_digest
from shieldwall.runtime import open_runtime

HUB_CSV = "brand,domain,kind\nNorthwind Bank,northwindbank.com\nNorthwind Bank,n\u00f6rthwind.de\n"
PHISH_EML = """From: Northwind Bank <alerts@northwind-bank-alerts.com>
To: you@example.org
Subject: Your statement is ready
Date: Mon, 3 Mar 2025 10:00:00 +0000
Message-ID: <1@northwind-bank-alerts.com>
Content-Type: text/plain; charset=utf-8

Dear customer, your statement is ready: https://northwindbank.com.statements-online.net/view
Regards, Northwind Bank
"""


@contextmanager
def serve(home: Path) -> Iterator[LiveServer]:
    runtime = open_runtime(Settings(home=home))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    config = uvicorn.Config(create_app(runtime), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "the server did not start"
        assert thread.is_alive(), "the server stopped"
        time.sleep(0.02)
    try:
        yield LiveServer(url=f"http://127.0.0.1:{port}", runtime=runtime)
    finally:
        srv.should_exit = True
        thread.join(timeout=20)
        runtime.close()


def sw(home: Path, *args: str, key: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {"SHIELDWALL_PROTECT_HUB_KEY": key} if key else None
    return run_cli(home, *args, env=env, drop_env_prefix="SHIELDWALL_")


def check(member: LiveServer, what: str, value: str) -> dict[str, Any]:
    """The member server's own check of a link or an e-mail, over HTTP."""
    if what == "url":
        r = httpx.post(f"{member.url}/api/v1/protect/url", json={"url": value}, timeout=30)
    else:
        r = httpx.post(
            f"{member.url}/api/v1/protect/email",
            content=value.encode(),
            headers={"content-type": "message/rfc822"},
            timeout=30,
        )
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def check_url(member: LiveServer, url: str) -> dict[str, Any]:
    return check(member, "url", url)


def hub_rows(member: LiveServer, source: str) -> list[str]:
    r = httpx.get(f"{member.url}/api/v1/protect/brands", params={"source": source}, timeout=30)
    assert r.status_code == 200, r.text
    return [e["domain"] for e in r.json()["entries"]]


def signals(result: dict[str, Any]) -> set[str]:
    return {r["signal"] for r in result["reasons"]}


def test_a_member_is_protected_by_its_hubs_brands(tmp_path: Path) -> None:
    hub_home, member_home = tmp_path / "hub", tmp_path / "member"
    with serve(hub_home) as hub, serve(member_home) as member:
        csv = tmp_path / "ours.csv"
        csv.write_text(HUB_CSV, encoding="utf-8")
        imported = sw(hub_home, "protect", "brands", "import", str(csv))
        assert imported.returncode == 0, imported.stderr
        _, key = hub.runtime.keys.create(name="member org", tier=Tier.VERIFIED_INDIVIDUAL)

        # Before: the member has never heard of Northwind Bank.
        before = check_url(member, "http://n0rthwindbank.com/login")
        assert "lookalike_domain" not in signals(before)
        mail_before = check(member, "email", PHISH_EML)
        assert not {"sender_brand_mismatch", "sender.brand_in_domain"} & signals(mail_before)

        # The feed: members only (a key), JSON with a version that is also the ETag.
        feed_url = f"{hub.url}/api/v1/protect/brands/feed"
        anonymous = httpx.get(feed_url, timeout=30)
        assert anonymous.status_code == 403
        assert anonymous.headers["content-type"].startswith("application/problem+json")
        auth = {"Authorization": f"Bearer {key}"}
        feed = httpx.get(feed_url, headers=auth, timeout=30)
        assert feed.status_code == 200
        doc = feed.json()
        assert doc["format"] == FEED_FORMAT
        assert feed.headers["etag"] == f'"{doc["version"]}"'
        assert {(e["brand"], e["domain"]) for e in doc["entries"]} == {
            ("Northwind Bank", "northwindbank.com"),
            ("Northwind Bank", "xn--nrthwind-n4a.de"),
        }  # the hub's own entries, not the bundled list
        again = httpx.get(feed_url, headers={**auth, "If-None-Match": feed.headers["etag"]})
        assert again.status_code == 304
        assert again.content == b""

        # The member pulls it with the real command.
        synced = sw(member_home, "protect", "brands", "sync", "--from", hub.url, "--key", key)
        assert synced.returncode == 0, synced.stdout + synced.stderr
        source = "hub:" + hub.url.removeprefix("http://")
        assert f"{source}: 2 entries received, 2 accepted (2 added, 0 removed), 0 rejected" in (
            synced.stdout
        )
        listed = sw(member_home, "protect", "brands", "list", "--source", "hub")
        assert listed.returncode == 0, listed.stderr
        assert f"brand     {source} Northwind Bank" in listed.stdout
        assert "xn--nrthwind-n4a.de (n\u00f6rthwind.de)" in listed.stdout
        assert "2 entries" in listed.stdout
        assert hub_rows(member, source) == ["northwindbank.com", "xn--nrthwind-n4a.de"]

        # After: the member's own checks know the hub's brand.
        after = check_url(member, "http://n0rthwindbank.com/login")
        assert "lookalike_domain" in signals(after)
        assert after["verdict"] != "safe"
        assert any("Northwind Bank" in r["detail"] for r in after["reasons"])
        assert check_url(member, "https://northwindbank.com/")["verdict"] == "safe"
        mail = check(member, "email", PHISH_EML)
        assert mail["verdict"] == "dangerous"
        assert "sender_brand_mismatch" in signals(mail)

        # Pulling again: the hub answers 304, nothing changes (the key from the environment).
        same = sw(member_home, "protect", "brands", "sync", "--from", hub.url, key=key)
        assert same.returncode == 0, same.stderr
        assert "not modified since the last pull" in same.stdout

        # The hub removes a brand: the next pull removes it at the member.
        removed = sw(hub_home, "protect", "brands", "remove", "n\u00f6rthwind.de")
        assert removed.returncode == 0, removed.stderr
        assert "1 entries for xn--nrthwind-n4a.de removed" in removed.stdout
        third = sw(member_home, "protect", "brands", "sync", "--from", hub.url, key=key)
        assert third.returncode == 0, third.stderr
        assert "1 entries received, 1 accepted (0 added, 1 removed)" in third.stdout
        assert hub_rows(member, source) == ["northwindbank.com"]

        # A wrong key: refused by the hub, nothing lost at the member.
        with pytest.raises(ProviderError, match=r"refused the request \(HTTP 401\)"):
            member.runtime.gateway.invoke(
                "protect.brands.sync", {"url": hub.url, "key": "swk_no_no"}, LOCAL_OWNER
            )
        assert check_url(member, "http://n0rthwindbank.com/login")["verdict"] != "safe"

        # Only the member's local owner may pull: an API key, even tier 3, is refused.
        principal, _ = member.runtime.keys.create(name="admin", tier=Tier.VETTED_DEFENDER)
        with pytest.raises(DeniedError):
            member.runtime.gateway.invoke(
                "protect.brands.sync", {"url": hub.url, "key": key}, principal
            )


class HostileHub:
    """A plain HTTP server that answers whatever the test sets, and remembers what it was asked."""

    def __init__(self) -> None:
        self.status = 200
        self.body = b""
        self.headers: dict[str, str] = {}
        self.seen: list[dict[str, str]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.seen.append({k.lower(): v for k, v in self.headers.items()})
                self.send_response(outer.status)
                for k, v in outer.headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(outer.body)))
                self.end_headers()
                self.wfile.write(outer.body)

            def log_message(self, *_: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def feed(self, entries: list[Any], *, version: str | None = None) -> None:
        rows = [(e.get("brand"), e.get("domain"), e.get("kind")) for e in entries]
        self.status, self.headers = 200, {"Content-Type": "application/json"}
        self.body = json.dumps(
            {
                "format": FEED_FORMAT,
                "version": version or feed_digest(rows),
                "generated_at": "2025-03-01T12:00:00Z",
                "entries": entries,
            }
        ).encode()


@pytest.fixture
def hostile() -> Iterator[HostileHub]:
    hub = HostileHub()
    thread = threading.Thread(target=hub.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hub
    finally:
        hub.server.shutdown()
        hub.server.server_close()
        thread.join(timeout=10)


def test_a_hostile_hub_cannot_make_lookalikes_look_official(
    tmp_path: Path, hostile: HostileHub
) -> None:
    home = tmp_path / "member"
    hostile.feed(
        [
            {"brand": "PayPal", "domain": "paypa1.com", "kind": "brand"},
            {"brand": "Paypal Support", "domain": "paypal-support.com", "kind": "brand"},
            {"brand": "Evil", "domain": "paypal.com", "kind": "freemail"},
            {"brand": "Evil", "domain": "bit.ly", "kind": "brand"},
            {"brand": "Evil", "domain": "co.uk", "kind": "brand"},
            {"brand": "Pay\x1b[2JPal", "domain": "x.example", "kind": "brand"},
            {"brand": "Contoso Clinic", "domain": "contosoclinic.example", "kind": "brand"},
        ]
    )
    synced = sw(home, "protect", "brands", "sync", "--from", hostile.url, "--key", "k-1")
    assert synced.returncode == 1, synced.stdout + synced.stderr  # rejections are findings
    out = synced.stdout
    assert "7 entries received, 1 accepted (1 added, 0 removed), 6 rejected" in out
    assert "rejected #0: 'PayPal' paypa1.com (brand): the domain imitates PayPal" in out
    assert "rejected #1: 'Paypal Support' paypal-support.com (brand): the domain names PayPal" in (
        out
    )
    assert "paypal.com is an official domain of PayPal; a hub cannot mark it freemail" in out
    assert "bit.ly is a link shortener" in out
    assert "co.uk is a public suffix" in out
    assert "\x1b" not in out
    assert hostile.seen[-1]["authorization"] == "Bearer k-1"
    assert "if-none-match" not in hostile.seen[-1]

    # The look-alikes are still dangerous at the member; the hub's own brand is known.
    runtime = open_runtime(Settings(home=home))
    try:

        def ask(capability: str, request: dict[str, Any]) -> Any:
            return runtime.gateway.invoke(capability, request, LOCAL_OWNER).result

        def pulled() -> list[str]:
            return [e["domain"] for e in ask("protect.brands.list", {"source": "hub"})["entries"]]

        for link in ("http://paypa1.com/signin", "http://paypal-support.com/login"):
            result = ask("protect.url", {"url": link})
            assert result["verdict"] == "dangerous", (link, result)
            assert "official_domain" not in signals(result)
        assert pulled() == ["contosoclinic.example"]

        # Broken feeds change nothing: a version that does not match its entries, not JSON, too
        # big, a redirect.
        sync = {"url": hostile.url}
        hostile.feed([{"brand": "B", "domain": "b.example", "kind": "brand"}], version="a" * 64)
        with pytest.raises(ParseError, match="does not match its entries"):
            ask("protect.brands.sync", sync)
        assert "if-none-match" in hostile.seen[-1]  # it sent the version it holds
        hostile.body = b"<html>not a feed</html>"
        with pytest.raises(ParseError, match="not JSON"):
            ask("protect.brands.sync", sync)
        hostile.body = b" " * (5 << 20)
        with pytest.raises(ParseError, match="larger than"):
            ask("protect.brands.sync", sync)
        hostile.status, hostile.headers, hostile.body = (
            302,
            {"Location": "http://evil.example/"},
            b"",
        )
        with pytest.raises(ProviderError, match=re.escape("redirects to http://evil.example/")):
            ask("protect.brands.sync", sync)
        assert pulled() == ["contosoclinic.example"]

        # An empty feed is a valid one: the hub removed everything.
        hostile.feed([])
        emptied = ask("protect.brands.sync", sync)
        assert (emptied["accepted"], emptied["removed"], emptied["stored"]) == (0, 1, 0)
        assert pulled() == []
    finally:
        runtime.close()


def test_plain_http_to_another_host_is_refused(tmp_path: Path) -> None:
    refused = sw(tmp_path / "m", "protect", "brands", "sync", "--from", "http://hub.example.org")
    assert refused.returncode == 2
    assert "error[protect.brands.feed_url]" in refused.stderr
    assert "only for a hub on this machine" in refused.stderr
