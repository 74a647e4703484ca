"""Password checks: the k-anonymity range protocol against a real HTTP server on 127.0.0.1, the
offline range store, strength, and that the password never leaves or lands anywhere."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shieldwall.core.errors import InputError, ParseError
from shieldwall.protect.password import (
    HttpRangeSource,
    OfflineRangeStore,
    RangeServiceError,
    check_password,
    estimate_strength,
    import_pwned_file,
    sha1_hex,
)
from shieldwall.protect.verdict import Verdict

PASSWORD = "Tr0ub4dor&3-shieldwall"
BREACHED = {PASSWORD: 3861, "password123": 2_254_650}


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest().upper()


@dataclass
class RangeServer:
    url: str
    requests: list[dict[str, str]] = field(default_factory=list)
    status: int = 200
    delay_s: float = 0.0


@pytest.fixture
def range_server() -> Iterator[RangeServer]:
    """A stand-in for the Pwned Passwords range API that records everything it receives."""
    table: dict[str, list[str]] = {}
    for pw, count in BREACHED.items():
        digest = sha1(pw)
        table.setdefault(digest[:5], []).append(f"{digest[5:]}:{count}")
    state = RangeServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("latin-1") if length else ""
            state.requests.append(
                {"path": self.path, "headers": str(dict(self.headers)), "body": body}
            )
            time.sleep(state.delay_s)
            if state.status != 200:
                self.send_response(state.status)
                self.end_headers()
                return
            prefix = self.path.rsplit("/", 1)[-1].upper()
            rows = list(table.get(prefix, []))
            if self.headers.get("Add-Padding", "").lower() == "true":
                rows += [f"{i:035X}:0" for i in range(800)]
            payload = "\r\n".join(rows).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *_args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, *_args: object) -> None:
            pass  # a client that timed out on purpose closed the socket

    server = Server(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def test_sha1_matches_the_pwned_passwords_form() -> None:
    assert sha1_hex("password") == "5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8"


def test_only_five_hex_digits_leave_and_padding_is_asked_for(range_server: RangeServer) -> None:
    source = HttpRangeSource(range_server.url, timeout_s=5)
    result = check_password(PASSWORD, source=source).to_json()
    assert result["verdict"] == "dangerous"
    assert result["breach"] == {"checked": True, "count": 3861, "source": source.name}
    assert "3,861 times" in result["reasons"][0]["detail"]

    digest = sha1(PASSWORD)
    assert len(range_server.requests) == 1
    request = range_server.requests[0]
    assert request["path"] == f"/range/{digest[:5]}"
    assert "'Add-Padding': 'true'" in request["headers"]
    seen = " ".join(request.values()).upper()
    for secret in (PASSWORD.upper(), digest, digest[5:], digest[4:], sha1_hex(PASSWORD)[5:]):
        assert secret not in seen
    sha256 = hashlib.sha256(PASSWORD.encode()).hexdigest().upper()
    assert sha256 not in seen
    assert PASSWORD not in str(result)


def test_a_password_not_in_the_range(range_server: RangeServer) -> None:
    result = check_password(
        "a rather long passphrase nobody uses 7", source=HttpRangeSource(range_server.url)
    )
    assert result.verdict is Verdict.SAFE
    assert result.extra["breach"]["count"] == 0
    assert "not_in_breaches" in {r.signal for r in result.reasons}


def test_service_errors_are_ours(range_server: RangeServer) -> None:
    range_server.status = 503
    with pytest.raises(RangeServiceError) as err:
        check_password(PASSWORD, source=HttpRangeSource(range_server.url))
    assert err.value.code == "protect.password.range_status"
    range_server.status, range_server.delay_s = 200, 1.0
    with pytest.raises(RangeServiceError) as err:
        check_password(PASSWORD, source=HttpRangeSource(range_server.url, timeout_s=0.2))
    assert err.value.code == "protect.password.range_unreachable"


def test_unreachable_service() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(RangeServiceError):
        HttpRangeSource(f"http://127.0.0.1:{port}", timeout_s=1).suffixes("ABCDE")


def _pwned_lines(passwords: dict[str, int]) -> list[str]:
    return [f"{sha1(pw)}:{count}" for pw, count in sorted(passwords.items())]


def test_offline_store_import_lookup_and_serving(tmp_path: Path) -> None:
    extra = {f"filler-{i}": i + 1 for i in range(200)}
    lines = _pwned_lines({**BREACHED, **extra})
    lines.insert(3, lines[3].lower())  # duplicates and lower case are accepted
    report = import_pwned_file(lines, tmp_path / "ranges", source="pwned.txt", flush_every=7)
    assert report.hashes == len(lines)
    store = OfflineRangeStore(tmp_path / "ranges")
    assert store.exists()
    assert check_password(PASSWORD, source=store).extra["breach"]["count"] == 3861
    assert check_password("not in there at all 99", source=store).extra["breach"]["count"] == 0

    body = store.serve(sha1(PASSWORD)[:5])
    rows = body.split("\r\n")[:-1]
    assert len(rows) >= 800
    assert f"{sha1(PASSWORD)[5:]}:3861" in rows
    assert all(len(r.split(":")[0]) == 35 for r in rows)


def test_a_bad_line_imports_nothing_and_keeps_the_old_store(tmp_path: Path) -> None:
    root = tmp_path / "ranges"
    import_pwned_file(_pwned_lines(BREACHED), root, source="good.txt")
    bad = [*_pwned_lines({"x": 1, "y": 2}), "not-a-hash:12", *_pwned_lines({"z": 3})]
    with pytest.raises(ParseError) as err:
        import_pwned_file(bad, root, source="bad.txt")
    assert err.value.location == "bad.txt:3"
    store = OfflineRangeStore(root)
    assert store.manifest()["source"] == "good.txt"
    assert check_password(PASSWORD, source=store).extra["breach"]["count"] == 3861
    assert [p.name for p in tmp_path.iterdir()] == ["ranges"]  # no temporary left behind


def test_a_directory_that_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        OfflineRangeStore(tmp_path).suffixes("ABCDE")
    assert err.value.code == "protect.password.no_store"


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.text(max_size=60), max_size=12))
def test_any_lines_import_or_fail_cleanly(tmp_path: Path, lines: list[str]) -> None:
    root = tmp_path / "fuzz"
    try:
        report = import_pwned_file(lines, root, source="fuzz.txt")
    except ParseError as err:
        where = err.location or ""
        assert where.startswith("fuzz.txt:")
        assert not (tmp_path / "fuzz").exists() or OfflineRangeStore(root).exists()
        return
    assert report.hashes == sum(1 for ln in lines if ln.strip())


def test_strength_estimates() -> None:
    assert estimate_strength("password").score == 0
    assert estimate_strength("correct horse battery staple galaxy").score == 4
    weak = check_password("letmein", source=None)
    assert weak.verdict is not Verdict.SAFE
    assert "breach_not_checked" in {r.signal for r in weak.reasons}
    assert check_password("x" * 1024, source=None).extra["strength"]["score"] >= 0


def test_empty_and_overlong_passwords_are_input_errors() -> None:
    with pytest.raises(InputError):
        check_password("", source=None)
    with pytest.raises(InputError):
        check_password("x" * 1025, source=None)
