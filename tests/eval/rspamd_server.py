"""Debian's rspamd, started offline on 127.0.0.1 for the e-mail evaluation and benchmark, and
scanned over its own HTTP protocol (``POST /checkv2`` on the normal worker).

``running_rspamd(folder)`` writes a throw-away configuration under ``folder`` that includes the
package's stock one (``/etc/rspamd``: every rule, score and action threshold as shipped), runs
one normal worker on a free port of 127.0.0.1 (no controller, no proxy, no fuzzy storage),
waits until it answers ``/ping`` and its regular expressions are compiled for Hyperscan, and
stops it on exit. Nothing is written outside ``folder``; the package's own service (port 11333)
is neither used nor touched.

Offline, like ``spamassassin -L``. Turned off, each because it needs the network or Redis:

* ``rbl`` (every DNS block- and allow-list: Spamhaus, SURBL/URIBL, DNSWL, e-mail and URL lists),
  ``spf``, ``dkim``, ``dmarc``, ``arc`` (live DNS look-ups of the sender's records),
  ``whitelist`` (acts on SPF/DKIM/DMARC results), ``asn`` (DNS), ``fuzzy_check`` (UDP to
  rspamd.com's hash storage), ``once_received`` (PTR look-ups), and ``phishing``'s PhishTank
  and OpenPhish feeds (a DNS look-up per link; its local checks stay on): without a resolver
  they time out on every message (2 s each) and add ``*_FAIL``/``DNSFAIL`` symbols instead of
  a verdict;
* ``hfilter``'s HELO, hostname and envelope-from checks: they resolve host names, and they
  judge the SMTP session (``HFILTER_HOSTNAME_UNKNOWN``, 2.5 points, on every message handed
  over without one), which a stored e-mail does not have; its URL and recipient checks stay on;
* Bayes, neural networks, reputation, greylisting, rate limits, replies, history and the URL
  redirector need Redis, which is not configured, so rspamd leaves them off by itself (Bayes
  would also need training; SpamAssassin's runs with Bayes off too).

Maps that rspamd fetches over HTTPS (free-mail and disposable domains, redirectors, a MIME type
list, allow-lists) cannot load: the resolver is a stand-in on 127.0.0.1 that answers every
query ``REFUSED`` at once and counts it, so no packet leaves the machine and a look-up that is
still made shows in ``RspamdServer.dns_queries``.

One rule is scored 0: ``DATE_IN_PAST`` (1 point) compares the ``Date`` header with today's
clock, so on a corpus whose ham is from 2002-2010 it scores the corpus's age, not the mail
(SpamAssassin's date rules compare ``Date`` with the ``Received`` times instead).

What counts as flagged: rspamd's action. ``add header``, ``rewrite subject`` and ``reject``
mark a message as spam (score >= 6 with the stock thresholds, ``X-Spam: Yes``), the analogue of
SpamAssassin's 5.0; ``greylist`` (>= 4) is only a temporary deferral and ``no action`` lets it
through, so both count as not flagged.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

SPAM_ACTIONS = frozenset({"add header", "rewrite subject", "reject"})

_MAIN_CONF = """\
.include "$CONFDIR/common.conf"
options {{
    pidfile = "$RUNDIR/rspamd.pid";
    .include "$CONFDIR/options.inc"
    .include(try=true; priority=1,duplicate=merge) "$LOCAL_CONFDIR/local.d/options.inc"
}}
logging {{
    type = "file";
    filename = "$LOGDIR/rspamd.log";
    level = "info";
}}
worker "normal" {{
    bind_socket = "127.0.0.1:{port}";
    count = 1;
    .include "$CONFDIR/worker-normal.inc"
}}
"""

# local.d/<module>.conf files, merged into the stock module configuration (why: the docstring).
_OPTIONS = 'dns {{ nameserver = ["127.0.0.1:{dns_port}"]; timeout = 0.5s; retransmits = 1; }}\n'
_LOCAL_D = {
    "rbl.conf": "enabled = false;\n",
    "surbl.conf": "enabled = false;\n",
    "emails.conf": "enabled = false;\n",
    "spf.conf": "enabled = false;\n",
    "dkim.conf": "enabled = false;\n",
    "dmarc.conf": "enabled = false;\n",
    "arc.conf": "enabled = false;\n",
    "whitelist.conf": "enabled = false;\n",
    "asn.conf": "enabled = false;\n",
    "fuzzy_check.conf": "enabled = false;\n",
    "once_received.conf": "enabled = false;\n",
    "mx_check.conf": "enabled = false;\n",
    "rspamd_update.conf": "enabled = false;\n",
    "phishing.conf": "phishtank_enabled = false;\nopenphish_enabled = false;\n",
    "hfilter.conf": "helo_enabled = false;\nhostname_enabled = false;\nfrom_enabled = false;\n",
    "headers_group.conf": 'symbols { "DATE_IN_PAST" { weight = 0.0; } }\n',
}


@dataclass(frozen=True, slots=True, kw_only=True)
class RspamdVerdict:
    action: str
    score: float
    symbols: tuple[str, ...]
    seconds: float  # the HTTP round trip on 127.0.0.1, as a client pays it
    server_seconds: float  # rspamd's own time for the message (``time_real``)

    @property
    def flagged(self) -> bool:
        return self.action in SPAM_ACTIONS


class _RefusingResolver:
    """A DNS server on 127.0.0.1 that answers every query REFUSED at once, and counts them."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = int(self.sock.getsockname()[1])
        self.queries = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                data, peer = self.sock.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            if len(data) < 12:
                continue
            self.queries += 1
            end = 12
            while end < len(data) and data[end] != 0:
                end += data[end] + 1
            question = data[12 : end + 5]
            flags = bytes([0x80 | (data[2] & 0x79), 0x05])  # QR, opcode and RD kept; REFUSED
            with contextlib.suppress(OSError):
                self.sock.sendto(data[:2] + flags + b"\x00\x01" + b"\x00" * 6 + question, peer)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()


class RspamdServer:
    def __init__(self, url: str, resolver: _RefusingResolver, log: Path) -> None:
        self.url = url
        self.log = log
        self._resolver = resolver
        self._client = httpx.Client(base_url=url, timeout=60.0)

    @property
    def dns_queries(self) -> int:
        return self._resolver.queries

    def check(self, raw: bytes) -> RspamdVerdict:
        started = time.perf_counter()
        response = self._client.post("/checkv2", content=raw)
        seconds = time.perf_counter() - started
        response.raise_for_status()
        body = response.json()
        return RspamdVerdict(
            action=str(body["action"]),
            score=float(body["score"]),
            symbols=tuple(sorted(body.get("symbols", {}))),
            seconds=seconds,
            server_seconds=float(body.get("time_real", seconds)),
        )

    def close(self) -> None:
        self._client.close()


def rspamd_binary() -> str | None:
    return shutil.which("rspamd")


def rspamd_version() -> str:
    binary = rspamd_binary()
    if binary is None:
        return "rspamd (not installed)"
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False)
    line = out.stdout.strip().splitlines()[0] if out.stdout.strip() else "rspamd"
    return line.replace("Rspamd daemon version", "rspamd").strip()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _write_config(folder: Path, *, port: int, dns_port: int) -> dict[str, Path]:
    dirs = {name: folder / name for name in ("conf", "db", "run", "log")}
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    local_d = dirs["conf"] / "local.d"
    local_d.mkdir(exist_ok=True)
    for name, text in _LOCAL_D.items():
        (local_d / name).write_text(text)
    (local_d / "options.inc").write_text(_OPTIONS.format(dns_port=dns_port))
    (folder / "rspamd.conf").write_text(_MAIN_CONF.format(port=port))
    return dirs


@contextlib.contextmanager
def running_rspamd(folder: Path, *, start_timeout: float = 240.0) -> Iterator[RspamdServer]:
    """rspamd on a free port of 127.0.0.1, configured as the module docstring says."""
    binary = rspamd_binary()
    if binary is None:
        raise FileNotFoundError("rspamd is not installed (Debian: apt-get install rspamd)")
    resolver = _RefusingResolver()
    port = _free_port()
    dirs = _write_config(folder, port=port, dns_port=resolver.port)
    log = dirs["log"] / "rspamd.log"
    variables = {
        "CONFDIR": "/etc/rspamd",
        "LOCAL_CONFDIR": str(dirs["conf"]),
        "DBDIR": str(dirs["db"]),
        "RUNDIR": str(dirs["run"]),
        "LOGDIR": str(dirs["log"]),
    }
    args = [binary, "-f", "-i", "-c", str(folder / "rspamd.conf")]
    for name, value in variables.items():
        args += ["--var", f"{name}={value}"]
    with (folder / "stdout.txt").open("wb") as out:
        # -f: stay in the foreground, so this process is rspamd's main process; -i: allow the
        # workers to run as the current user (root in CI) instead of switching to _rspamd.
        proc = subprocess.Popen(
            args, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, cwd=folder
        )
    server = RspamdServer(f"http://127.0.0.1:{port}", resolver, log)
    try:
        _wait_ready(proc, server, folder, deadline=time.monotonic() + start_timeout)
        yield server
    finally:
        server.close()
        _stop(proc)
        resolver.close()


def _wait_ready(
    proc: subprocess.Popen[bytes], server: RspamdServer, folder: Path, *, deadline: float
) -> None:
    """Wait for /ping, then for the worker to load its Hyperscan database (until then rspamd
    matches with PCRE, which is slower and would not be its normal speed)."""
    answering = False
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            output = (folder / "stdout.txt").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"rspamd exited with {proc.returncode}: {output}")
        if not answering:
            with contextlib.suppress(httpx.HTTPError):
                answering = httpx.get(f"{server.url}/ping", timeout=2.0).text.strip() == "pong"
        if answering:
            text = server.log.read_text(errors="replace") if server.log.exists() else ""
            if "rspamd_worker_hyperscan_ready" in text or "hyperscan is disabled" in text:
                return
        time.sleep(0.5)
    if not answering:
        raise TimeoutError(f"rspamd did not answer on {server.url} (log: {server.log})")
    # answering without Hyperscan (a CPU without it): scan anyway, with PCRE


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # its own session: rspamd and its workers
            proc.wait(timeout=10)
