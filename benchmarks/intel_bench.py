"""Intel benchmark: a 100-object TAXII page over HTTP at 1k, 10k and 1M objects, Shieldwall side
by side with medallion (the OASIS reference TAXII 2.1 server, memory backend), single-object
GETs, and validated intake.

    .venv/bin/python benchmarks/intel_bench.py [--sizes 1000,10000,1000000] [--requests 2000]
                                               [--medallion-timeout 60]

Each server runs as its own process on 127.0.0.1 (`shieldwall serve`, `medallion`); one
client, then ``--clients`` clients (threads, one keep-alive HTTP/1.1 connection each), ask for
100-object pages: the first page, and pages deep in the collection (``added_after`` at random
points), and single objects by id, through Shieldwall's full door (authentication by API key,
policy, ledger record of the decision and of the outcome). Each answer is checked (status 200,
the number of objects). The clients speak HTTP with the standard library's ``http.client`` and
read bodies with orjson: on this 2-core machine the client shares the CPU with the server, and
httpx cost 0.58 ms of CPU a request (``http.client``: 0.11 ms), which the server then lacked.
Besides requests/s and latency, each row gives the server's own CPU time per request (psutil),
which other work on the machine disturbs less. medallion (installed with
`pip install -e .[bench]`) gets the same objects in its data file and the same client; a request
that does not answer within ``--medallion-timeout`` seconds is reported as such and medallion
is not run at larger sizes.
"""

from __future__ import annotations

import argparse
import base64
import gc
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import orjson
import psutil

from shieldwall.core.settings import Settings
from shieldwall.core.types import LOCAL_OWNER, Tier
from shieldwall.intel.store import IntelStore
from shieldwall.runtime import open_runtime

TAXII = "application/taxii+json;version=2.1"
PAGE = 100


def indicator(n: int) -> dict[str, Any]:
    return {
        "type": "indicator",
        "spec_version": "2.1",
        "id": f"indicator--{uuid.UUID(int=n + 1, version=4)}",
        "created": "2024-01-01T00:00:00.000Z",
        "modified": "2024-01-01T00:00:00.000Z",
        "name": f"bench {n}",
        "pattern": f"[ipv4-addr:value = '10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}']",
        "pattern_type": "stix",
        "valid_from": "2024-01-01T00:00:00Z",
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, headers: dict[str, str], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, headers=headers, timeout=5).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


@contextmanager
def process(
    args: list[str], env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(
        args,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Client:
    """One keep-alive HTTP/1.1 connection (``http.client``); it reconnects when the server
    closes the connection (medallion's server does after each answer)."""

    def __init__(self, base: str, headers: dict[str, str], timeout: float) -> None:
        parts = urlsplit(base)
        self._conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
        self._headers = headers
        self.timeout = timeout

    def get(self, path: str, params: dict[str, str]) -> tuple[int, bytes]:
        target = f"{path}?{urlencode(params)}" if params else path
        self._conn.request("GET", target, headers=self._headers)
        response = self._conn.getresponse()
        return response.status, response.read()

    def close(self) -> None:
        self._conn.close()


def measure(
    make_client: Callable[[], Client],
    path: str | list[str],
    params_list: list[dict[str, str]],
    clients: int = 1,
    expect: int = PAGE,
    server_pid: int | None = None,
) -> dict[str, Any]:
    """Send the requests from ``clients`` threads (one keep-alive connection each); ``path`` is
    one path, or one per request. ``server_pid``: report the server's CPU time per request."""
    paths = path if isinstance(path, list) else [path] * len(params_list)
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def worker(share: list[tuple[str, dict[str, str]]]) -> None:
        client = make_client()
        try:
            for target, params in share:
                t = time.perf_counter()
                try:
                    status, body = client.get(target, params)
                except TimeoutError:
                    errors.append(f"no answer within {client.timeout:.0f} s")
                    return
                spent = time.perf_counter() - t
                if status != 200:
                    errors.append(f"HTTP {status}: {body[:200]!r}")
                    return
                got = len(orjson.loads(body).get("objects", []))
                if got != expect:
                    errors.append(f"a page held {got} objects, not {expect}")
                    return
                with lock:
                    times.append(spent)
        finally:
            client.close()

    server = psutil.Process(server_pid) if server_pid is not None else None
    cpu_before = sum(server.cpu_times()[:2]) if server is not None else 0.0
    started = time.perf_counter()
    work = list(zip(paths, params_list, strict=True))
    threads = [threading.Thread(target=worker, args=(work[i::clients],)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    if errors or not times:
        return {"error": errors[0] if errors else "no request completed"}
    times.sort()
    result = {
        "requests": len(times),
        "clients": clients,
        "req_s": len(times) / wall,
        "p50_ms": statistics.median(times) * 1000,
        "p99_ms": times[min(len(times) - 1, int(len(times) * 0.99))] * 1000,
    }
    if server is not None:
        result["server_cpu_ms"] = (sum(server.cpu_times()[:2]) - cpu_before) / len(times) * 1000
    return result


def page_params(stamps: list[str], count: int, rng: random.Random) -> list[dict[str, str]]:
    """Half first pages, half pages at random depths (added_after a random object's date)."""
    out: list[dict[str, str]] = []
    for i in range(count):
        params = {"limit": str(PAGE)}
        if i % 2 and stamps:
            params["added_after"] = stamps[rng.randrange(0, len(stamps))]
        out.append(params)
    return out


def bench_shieldwall(size: int, requests: int, work: Path, clients: int) -> dict[str, Any]:
    home = work / f"sw-{size}"
    runtime = open_runtime(Settings(home=home))
    store = IntelStore(runtime.engine)
    coll = store.create_collection(
        title="bench",
        description="",
        owner_org=None,
        created_by=LOCAL_OWNER.id,
        tlp=0,  # type: ignore[arg-type]
    )
    started = time.perf_counter()
    for start in range(0, size, 5000):
        batch = [indicator(n) for n in range(start, min(size, start + 5000))]
        ok, bad = store.add(coll, batch, added_by=LOCAL_OWNER)
        if bad or len(ok) != len(batch):
            raise RuntimeError(f"intake refused objects: {bad[:1]}")
    intake = size / (time.perf_counter() - started)
    _, secret = runtime.keys.create(name="bench", tier=Tier.VETTED_DEFENDER)
    runtime.close()
    port = free_port()
    headers = {"Accept": TAXII, "Authorization": f"Bearer {secret}"}
    base = f"http://127.0.0.1:{port}/taxii2/api/collections/{coll.id}/"
    path = f"/taxii2/api/collections/{coll.id}/"
    with process(
        [sys.executable, "-m", "shieldwall", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env={"SHIELDWALL_HOME": str(home)},
    ) as server:
        wait_for(base, headers)
        with httpx.Client(headers=headers) as client:
            stamps: list[str] = []
            manifest = client.get(f"{base}manifest/", params={"limit": "1000"}, timeout=60)
            stamps = [r["date_added"] for r in manifest.json()["objects"]]
            last = manifest.headers.get("X-TAXII-Date-Added-Last")
            # Dates deep in the collection too: a manifest page from the middle.
            mid = client.get(
                f"{base}manifest/",
                params={"limit": "1000", "added_after": stamps[len(stamps) // 2]},
                timeout=60,
            )
            stamps = sorted({*stamps, *(r["date_added"] for r in mid.json().get("objects", []))})
            stamps = stamps[: size - PAGE]  # every page full: a page short of the end
            assert last
            rng = random.Random(size)

            def make() -> Client:
                return Client(base, headers, 60)

            measure(make, f"{path}objects/", page_params(stamps, 20, rng))  # warm up
            # This process loaded the collection through a runtime of its own: its full garbage
            # collections (60 ms and more) would stall the client threads and be counted as
            # the server's latency.
            gc.collect()
            gc.freeze()
            result = {
                f"c{n}": measure(
                    make,
                    f"{path}objects/",
                    page_params(stamps, requests, rng),
                    clients=n,
                    server_pid=server.pid,
                )
                for n in (1, clients)
            }
            ids = [r["id"] for r in manifest.json()["objects"]]
            one = [f"{path}objects/{ids[rng.randrange(len(ids))]}/" for _ in range(requests)]
            for n in (1, clients):
                result[f"one_c{n}"] = measure(
                    make, one, [{}] * requests, clients=n, expect=1, server_pid=server.pid
                )
    return {**result, "intake_obj_s": intake}


def bench_medallion(size: int, requests: int, work: Path, timeout: float) -> dict[str, Any]:
    try:
        import medallion  # noqa: F401
    except ImportError:
        return {"error": "medallion is not installed (pip install -e .[bench])"}
    cid = str(uuid.uuid4())
    objects = [indicator(n) for n in range(size)]
    manifest = [
        {
            "id": o["id"],
            "date_added": f"2024-01-01T00:00:{(n // 1000) % 60:02d}.{n % 1000:03d}000Z",
            "version": o["modified"],
            "media_type": "application/stix+json;version=2.1",
        }
        for n, o in enumerate(objects)
    ]
    data = {
        "/discovery": {
            "title": "bench",
            "default": "http://127.0.0.1/api1/",
            "api_roots": ["http://127.0.0.1/api1/"],
        },
        "api1": {
            "information": {
                "title": "api1",
                "versions": [TAXII],
                "max_content_length": 100_000_000,
            },
            "status": [],
            "collections": [
                {
                    "id": cid,
                    "title": "bench",
                    "can_read": True,
                    "can_write": True,
                    "media_types": ["application/stix+json;version=2.1"],
                    "objects": objects,
                    "manifest": manifest,
                }
            ],
        },
    }
    data_file = work / f"medallion-{size}.json"
    data_file.write_text(json.dumps(data))
    config = work / f"medallion-{size}.conf"
    config.write_text(
        json.dumps(
            {
                "backend": {
                    "module": "medallion.backends.memory_backend",
                    "module_class": "MemoryBackend",
                    "filename": str(data_file),
                },
                "users": {"bench": "bench"},
                "taxii": {"max_page_size": PAGE},
            }
        )
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}/api1/collections/{cid}/"
    with (
        process(
            [
                sys.executable,
                "-c",
                "from medallion.scripts.run import main; main()",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                str(config),
            ]
        ) as server,
        httpx.Client(headers={"Accept": TAXII}, auth=("bench", "bench")) as client,
    ):
        deadline = time.monotonic() + 120
        while True:
            try:
                client.get(f"http://127.0.0.1:{port}/taxii2/", timeout=5)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    return {"error": "medallion did not start"}
                time.sleep(0.3)
        stamps = [m["date_added"] for m in manifest][: size - PAGE]
        rng = random.Random(size)
        basic = base64.b64encode(b"bench:bench").decode()
        headers = {"Accept": TAXII, "Authorization": f"Basic {basic}"}
        return {
            "c1": measure(
                lambda: Client(base, headers, timeout),
                f"/api1/collections/{cid}/objects/",
                page_params(stamps, requests, rng),
                server_pid=server.pid,
            )
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,1000000")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--medallion-requests", type=int, default=3)
    parser.add_argument("--medallion-timeout", type=float, default=60.0)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
    medallion_failed = False
    with tempfile.TemporaryDirectory(prefix="intel-bench-") as tmp:
        work = Path(tmp)
        for size in sizes:
            ours = bench_shieldwall(size, args.requests, work, args.clients)
            theirs: dict[str, Any] = {"c1": {"error": "not run: it failed at a smaller size"}}
            if not medallion_failed:
                theirs = bench_medallion(
                    size, args.medallion_requests, work, args.medallion_timeout
                )
                medallion_failed = "error" in theirs.get("c1", theirs)
            rows.append((size, ours, theirs))
            print(f"{size}: shieldwall {ours}\n{size}: medallion {theirs}", flush=True)
    print()
    print(
        "100-object pages over HTTP on 127.0.0.1 (req/s, p50/p99 ms, server CPU ms a request); "
        f"one client, and {args.clients} clients for Shieldwall"
    )
    head = (
        f"{'objects':>8} | {'ours 1 client':>29} | {f'ours {args.clients} clients':>29} | "
        f"{'medallion 1 client':>29} | {'ratio (1 client)':>16} | intake obj/s"
    )
    print(head)
    print("-" * len(head))

    def cell(r: dict[str, Any]) -> str:
        if "error" in r:
            return f"{r['error'][:29]:>29}"
        cpu = r.get("server_cpu_ms")
        return (
            f"{r['req_s']:>8.1f} {r['p50_ms']:>6.1f} {r['p99_ms']:>6.1f} "
            f"{f'{cpu:.2f}' if cpu is not None else '':>6}"
        )

    singles: list[str] = []
    for size, ours, theirs in rows:
        singles.append(f"{size:>8} | {cell(ours['one_c1'])} | {cell(ours[f'one_c{args.clients}'])}")
        med = theirs.get("c1", theirs)
        one = ours["c1"]
        many = ours[f"c{args.clients}"]
        ratio = "n/a"
        if "error" not in med and "error" not in one:
            ratio = f"{one['req_s'] / med['req_s']:.0f}x"
        print(
            f"{size:>8} | {cell(one)} | {cell(many)} | {cell(med)} | {ratio:>16} | "
            f"{ours['intake_obj_s']:.0f}"
        )
    print()
    print(
        "Single-object GETs (req/s, p50/p99 ms, server CPU ms a request), Shieldwall; "
        f"one client and {args.clients}"
    )
    print(f"{'objects':>8} | {'1 client':>29} | {f'{args.clients} clients':>29}")
    print("\n".join(singles))


if __name__ == "__main__":
    main()
