"""Detect readers and event store: events per CPU-second and peak memory, per format.

    .venv/bin/python benchmarks/detect_read_bench.py [--passes 3] [--only NAME ...]

Each scenario runs in its own child process, so its peak RSS (``ru_maxrss``) is its own. CPU
time is the process's (all threads: the Rust EVTX parser's too), so "events per CPU-second" is
what the goal of the detect issue counts. Inputs come from ``../shared/data/detect/logs``:

- evtx: EVTX-ATTACK-SAMPLES, 277 files, 8,255 records (``--passes`` times, for stable timing);
  also with the Rust parser's threads left to the library (``evtx-threads-auto``);
- otrf-lsass: the OTRF LSASS campaign, one zipped JSON-lines file of 53,698 Windows events;
  ``otrf-lsass-x3-gz`` is the same events three times in one gzip (memory must not grow);
- syslog, web-access, iis-w3c, auditd, cloudtrail: the small real files replicated into larger
  ones (loghub OpenSSH + Linux, the Tomcat access log, the IIS tunnelling log, OTRF's Linux
  audit logs, OTRF's CloudTrail records as ``{"Records": [...]}`` gzip files) so the timing is
  not all start-up;
- store-write: the LSASS events read, then read again and written to the event store (Parquet):
  the difference is the cost of writing, per event; then three queries, timed.

Writes ``benchmarks/results/detect_read.json`` (git-ignored).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

DATA = Path(os.environ.get("SHIELDWALL_SHARED_DATA", Path(__file__).parents[2] / "shared/data"))
LOGS = DATA / "detect/logs"
EVTX_DIR = LOGS / "evtx/evtx-attack-samples"
OTRF = LOGS / "json/otrf-security-datasets/datasets"
LSASS = OTRF / "compound/LSASS_campaign_01/metasploit_logonpasswords_lsass_memory_dump.zip"
AWS = OTRF / "atomic/aws/collection/ec2_proxy_s3_exfiltration.zip"
RESULTS = Path(__file__).parent / "results/detect_read.json"


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _replicate(sources: list[Path], target: Path, *, lines: int) -> None:
    """``target``: the sources' lines, repeated until there are about ``lines`` of them."""
    text = b"".join(p.read_bytes().rstrip(b"\n") + b"\n" for p in sources)
    count = max(1, text.count(b"\n"))
    with target.open("wb") as out:
        for _ in range(max(1, lines // count)):
            out.write(text)


def _prepare(work: Path) -> dict[str, list[Path]]:
    """Inputs built once by the parent (not timed)."""
    syslog = work / "syslog.log"
    _replicate(
        [LOGS / "syslog/loghub/OpenSSH/OpenSSH_2k.log", LOGS / "syslog/loghub/Linux/Linux_2k.log"],
        syslog,
        lines=200_000,
    )
    access = work / "access.log"
    _replicate(
        [LOGS / "weblogs/web_attack_and_isp_webshell_localhost_access_log.txt"],
        access,
        lines=200_000,
    )
    iis = work / "iis.log"
    _replicate([LOGS / "weblogs/Tunna_rdp_tunnel_IIS.log"], iis, lines=200_000)
    audit_src = work / "audit-src.log"
    with audit_src.open("wb") as out:
        for name in (
            "discovery/host/sh_arp_cache.zip",
            "defense_evasion/host/sh_binary_padding_dd.zip",
        ):
            with zipfile.ZipFile(OTRF / "atomic/linux" / name) as zf:
                for member in zf.namelist():
                    out.write(zf.read(member).rstrip(b"\n") + b"\n")
    audit = work / "audit.log"
    _replicate([audit_src], audit, lines=200_000)
    trail_dir = work / "cloudtrail"
    trail_dir.mkdir()
    with zipfile.ZipFile(AWS) as zf:
        records = [
            json.loads(line)
            for name in zf.namelist()
            for line in zf.read(name).splitlines()
            if line.strip()
        ]
    for index in range(200):  # 200 files as CloudTrail writes them: one gzipped document each
        doc = json.dumps({"Records": records}).encode()
        (trail_dir / f"trail-{index:03d}.json.gz").write_bytes(gzip.compress(doc, 1))
    big = work / "lsass-x3.json.gz"
    with zipfile.ZipFile(LSASS) as zf:
        member = zf.namelist()[0]
        with gzip.open(big, "wb", compresslevel=1) as out:
            for _ in range(3):
                with zf.open(member) as src:
                    while chunk := src.read(1 << 20):
                        out.write(chunk)
    return {
        "syslog": [syslog],
        "web-access": [access],
        "iis-w3c": [iis],
        "auditd": [audit],
        "cloudtrail": [trail_dir],
        "otrf-lsass-x3-gz": [big],
    }


# ---------------------------------------------------------------------------------------------
# Child side


def _timed(events: Callable[[], Iterator[Any]]) -> tuple[int, float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    count = sum(1 for _ in events())
    return count, time.process_time() - cpu, time.perf_counter() - wall


def _child(name: str, paths: list[Path], passes: int) -> dict[str, Any]:
    from shieldwall.detect.readers import ReadReport, expand_paths, read_evtx, read_paths

    report = ReadReport()
    if name == "evtx-threads-auto":
        files = [str(p) for p in expand_paths(paths) if p.suffix.lower() == ".evtx"]

        def events() -> Iterator[Any]:
            for _ in range(passes):
                for f in files:
                    yield from read_evtx(f, name=f, report=report, threads=0)

    elif name == "evtx":

        def events() -> Iterator[Any]:
            for _ in range(passes):
                yield from read_paths(paths, report=report)

    elif name == "store-write":
        return _store_write(paths)
    else:

        def events() -> Iterator[Any]:
            yield from read_paths(paths, report=report)

    count, cpu, wall = _timed(events)
    return {
        "events": count,
        "cpu_s": cpu,
        "wall_s": wall,
        "events_per_cpu_s": count / cpu if cpu else 0.0,
        "peak_rss_mb": _maxrss_mb(),
        "skipped": report.skipped,
        "failed_files": report.failed_files,
    }


def _store_write(paths: list[Path]) -> dict[str, Any]:
    from shieldwall.detect.eventstore import EventQuery, EventStore, EventWriter
    from shieldwall.detect.readers import ReadReport, read_paths

    count, read_cpu, _ = _timed(lambda: read_paths(paths, report=ReadReport()))
    with tempfile.TemporaryDirectory() as home:
        cpu = time.process_time()
        with EventWriter(Path(home), "bench") as writer:
            for event in read_paths(paths, report=ReadReport()):
                writer.add(event)
        both_cpu = time.process_time() - cpu
        write_rss = _maxrss_mb()
        size = sum(p.stat().st_size for p in Path(home).rglob("*.parquet"))
        store = EventStore(Path(home))
        queries = {
            "event_id=10 and TargetImage contains lsass": EventQuery(
                run_id="bench", event_ids=(10,), contains={"TargetImage": "lsass"}, limit=100
            ),
            "Image equals (common column)": EventQuery(
                run_id="bench", equals={"Image": r"C:\Windows\System32\svchost.exe"}, limit=100
            ),
            "full text 'mimikatz', newest first": EventQuery(
                run_id="bench", text="mimikatz", newest_first=True, limit=100
            ),
        }
        timings = {}
        for label, query in queries.items():
            wall = time.perf_counter()
            page = store.query(query)
            timings[label] = {
                "ms": (time.perf_counter() - wall) * 1000,
                "returned": len(page.events),
            }
    write_cpu = both_cpu - read_cpu
    return {
        "events": count,
        "cpu_s": both_cpu,
        "read_cpu_s": read_cpu,
        "write_us_per_event": write_cpu / count * 1e6 if count else 0.0,
        "events_per_cpu_s": count / both_cpu if both_cpu else 0.0,
        "parquet_mb": size / 1e6,
        "peak_rss_mb": write_rss,
        "peak_rss_after_queries_mb": _maxrss_mb(),
        "queries": timings,
    }


# ---------------------------------------------------------------------------------------------
# Parent side


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--passes", type=int, default=3, help="passes over the EVTX samples")
    ap.add_argument("--only", nargs="*", default=None, help="scenario names to run")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--paths", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        out = _child(args.child, [Path(p) for p in args.paths], args.passes)
        print(json.dumps(out))
        return
    if not LOGS.is_dir():
        sys.exit(f"no benchmark data at {LOGS} (set SHIELDWALL_SHARED_DATA)")
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        built = _prepare(Path(tmp))
        scenarios: dict[str, list[Path]] = {
            "evtx": [EVTX_DIR],
            "evtx-threads-auto": [EVTX_DIR],
            "otrf-lsass": [LSASS],
            **built,
            "store-write": [LSASS],
        }
        for name, paths in scenarios.items():
            if args.only and name not in args.only:
                continue
            cmd = [sys.executable, __file__, "--child", name, "--passes", str(args.passes)]
            done = subprocess.run(
                [*cmd, "--paths", *map(str, paths)], capture_output=True, text=True, check=True
            )
            results[name] = json.loads(done.stdout.strip().splitlines()[-1])
            _print(name, results[name])
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2))
    print(f"\nwritten {RESULTS}")


def _print(name: str, r: dict[str, Any]) -> None:
    line = (
        f"{name:18} {r['events']:>9,} events  {r['events_per_cpu_s']:>9,.0f} events/CPU-s  "
        f"peak RSS {r['peak_rss_mb']:6.1f} MB"
    )
    if "write_us_per_event" in r:
        line += (
            f"  write {r['write_us_per_event']:.1f} us/event (read+write), "
            f"{r['parquet_mb']:.1f} MB Parquet"
        )
    print(line, flush=True)
    if "peak_rss_after_queries_mb" in r:
        print(
            f"{'':18} peak RSS after the queries (DuckDB): {r['peak_rss_after_queries_mb']:.1f} MB"
        )
    for label, q in r.get("queries", {}).items():
        print(f"{'':18} query {label}: {q['ms']:.0f} ms, {q['returned']} events")


if __name__ == "__main__":
    main()
