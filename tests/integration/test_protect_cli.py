"""`shieldwall protect ...` run as a real process, as a user would."""

from __future__ import annotations

import hashlib
import json
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from cli_runner import run_cli

PASSWORD = "Tr0ub4dor&3-shieldwall"


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest().upper()


def sw(
    home: Path,
    *args: str,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    return run_cli(home, *args, env=env, stdin=stdin or "", drop_env_prefix="SHIELDWALL_PROTECT_")


def test_url_exit_codes_and_json(home: Path) -> None:
    bad = sw(home, "protect", "url", "http://paypa1-secure.top/login")
    assert bad.returncode == 1, bad.stderr
    assert "DANGEROUS" in bad.stdout
    assert "'1' in place of the 'l'" in bad.stdout

    good = sw(home, "protect", "url", "https://www.paypal.com/", "--format", "json")
    assert good.returncode == 0, good.stderr
    body = json.loads(good.stdout)
    assert body["verdict"] == "safe"
    assert set(body) >= {"verdict", "score", "reasons", "advice"}

    nonsense = sw(home, "protect", "url", "not a link")
    assert nonsense.returncode == 2
    assert "error[protect.url.invalid]" in nonsense.stderr


def test_message(home: Path) -> None:
    scam = sw(
        home,
        "protect",
        "message",
        "USPS: your package is on hold. Pay the redelivery fee at usps-fee.top/x",
        "--sender",
        "+1 555 0100",
        "--format",
        "json",
    )
    assert scam.returncode == 1, scam.stderr
    assert json.loads(scam.stdout)["verdict"] == "dangerous"
    fine = sw(home, "protect", "message", "See you at 6 for dinner!")
    assert fine.returncode == 0
    assert "SAFE" in fine.stdout
    assert sw(home, "protect", "message", "   ").returncode == 2


def test_password_with_an_offline_store(home: Path, tmp_path: Path) -> None:
    pwned = tmp_path / "pwned.txt"
    pwned.write_text(f"{_sha1(PASSWORD)}:3861\n{_sha1('another one')}:2\n")
    imported = sw(home, "protect", "password", "import", str(pwned))
    assert imported.returncode == 0, imported.stderr
    assert "Imported 2 hashes" in imported.stdout

    hit = sw(home, "protect", "password", "--format", "json", stdin=PASSWORD + "\n")
    assert hit.returncode == 1, hit.stderr
    body = json.loads(hit.stdout)
    assert body["breach"]["count"] == 3861
    assert body["verdict"] == "dangerous"
    assert PASSWORD not in hit.stdout + hit.stderr

    store = home / "protect" / "pwned-ranges"
    miss = sw(
        home,
        "protect",
        "password",
        "--offline-store",
        str(store),
        stdin="correct horse battery staple galaxy\n",
    )
    assert miss.returncode == 0, miss.stdout + miss.stderr
    assert "not found in the breach data" in miss.stdout

    bad = tmp_path / "bad.txt"
    bad.write_text(f"{_sha1('x')}:1\nnot a hash\n")
    failed = sw(home, "protect", "password", "import", str(bad))
    assert failed.returncode == 2
    assert "bad.txt:2" in failed.stderr
    assert sw(home, "protect", "password", stdin="\n").returncode == 2

    ledger = sw(home, "ledger", "entries")
    assert ledger.returncode == 0
    assert PASSWORD not in ledger.stdout
    assert _sha1(PASSWORD)[5:] not in ledger.stdout.upper()


@pytest.fixture
def range_api() -> Iterator[tuple[str, list[str]]]:
    seen: list[str] = []
    digest = _sha1(PASSWORD)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(f"{self.path} {dict(self.headers)}")
            rows = [f"{digest[5:]}:99"] if self.path.endswith(digest[:5]) else []
            rows += [f"{i:035X}:0" for i in range(100)]
            payload = "\r\n".join(rows).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def test_password_against_a_range_api(home: Path, range_api: tuple[str, list[str]]) -> None:
    url, seen = range_api
    env = {"SHIELDWALL_PROTECT_RANGE_API_URL": url}
    hit = sw(home, "protect", "password", "--format", "json", stdin=PASSWORD + "\n", env=env)
    assert hit.returncode == 1, hit.stderr
    assert json.loads(hit.stdout)["breach"]["count"] == 99
    assert len(seen) == 1
    assert seen[0].startswith(f"/range/{_sha1(PASSWORD)[:5]} ")
    assert "'Add-Padding': 'true'" in seen[0]
    assert PASSWORD not in seen[0]
    assert _sha1(PASSWORD)[5:] not in seen[0].upper()


def test_checkup(home: Path) -> None:
    plan = sw(home, "protect", "checkup", "--mfa", "no", "--updates", "yes", "--format", "json")
    assert plan.returncode == 0, plan.stderr
    body = json.loads(plan.stdout)
    assert body["plan"][0]["id"] == "mfa"
    assert "updates" not in [s["id"] for s in body["plan"]]
    text = sw(home, "protect", "checkup", "--no-interactive")
    assert text.returncode == 0
    assert "1. Turn on two-step verification" in text.stdout
    asked = sw(
        home, "protect", "checkup", "--interactive", stdin="yes\nyes\nyes\nyes\nyes\nyes\nyes\n"
    )
    assert asked.returncode == 0
    assert "basics covered" in asked.stdout


def test_brands_import_and_list(home: Path, tmp_path: Path) -> None:
    good = tmp_path / "brands.csv"
    good.write_text(
        "brand,domain,kind\nNorthwind Bank,northwindbank.com\n"
        "Northwind Bank,n\u00f6rthwind.de,brand\nNW Links,nw.link,shortener\n",
        encoding="utf-8",
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("Contoso,contoso.com\nContoso,,brand\n")

    failed = sw(home, "protect", "brands", "import", str(bad))
    assert failed.returncode == 2
    assert f"{bad}:2" in failed.stderr
    empty = sw(home, "protect", "brands", "list", "--source", "org")
    assert empty.returncode == 0
    assert "0 entries" in empty.stdout

    ok = sw(home, "protect", "brands", "import", str(good))
    assert ok.returncode == 0, ok.stderr
    assert "3 rows read, 3 new entries added" in ok.stdout
    listed = sw(home, "protect", "brands", "list", "--source", "org")
    assert "xn--nrthwind-n4a.de (n\u00f6rthwind.de)" in listed.stdout
    assert "3 entries" in listed.stdout
    bundled = sw(home, "protect", "brands", "list", "--kind", "shortener", "--format", "json")
    assert any(e["domain"] == "bit.ly" for e in json.loads(bundled.stdout)["entries"])

    lookalike = sw(home, "protect", "url", "https://northwlndbank.com/login")
    assert lookalike.returncode == 1
    assert "northwindbank.com" in lookalike.stdout


PHISH_EML = (
    "From: Barclays <alerts@barclyas-secure.top>\n"
    "To: alex@example.org\n"
    "Subject: Your account is suspended\n"
    "Authentication-Results: mx.example.org; spf=fail; dkim=fail; dmarc=fail\n"
    "Content-Type: text/html; charset=utf-8\n\n"
    '<p>Verify your password now: <a href="http://barclyas-secure.top/login">'
    "https://www.barclays.co.uk/login</a></p>\n"
)


def test_email(home: Path, tmp_path: Path) -> None:
    eml = tmp_path / "phish.eml"
    eml.write_text(PHISH_EML)
    bad = sw(home, "protect", "email", str(eml), "--format", "json")
    assert bad.returncode == 1, bad.stderr
    body = json.loads(bad.stdout)
    assert body["verdict"] == "dangerous"
    assert {"auth_dmarc_fail", "link_text_mismatch"} <= {r["signal"] for r in body["reasons"]}

    fine = tmp_path / "fine.eml"
    fine.write_text(
        "From: Sam <sam@example.org>\nTo: alex@example.org\nSubject: lunch\n\n"
        "Are we still on for lunch tomorrow?\n"
    )
    ok = sw(home, "protect", "email", str(fine))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "SAFE" in ok.stdout

    missing = sw(home, "protect", "email", str(tmp_path / "nope.eml"))
    assert missing.returncode == 2
    empty = tmp_path / "empty.eml"
    empty.write_text("  \n")
    assert sw(home, "protect", "email", str(empty)).returncode == 2
