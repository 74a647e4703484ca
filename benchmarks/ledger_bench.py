"""Benchmark the durable ledger (``shieldwall.ledger.log.Ledger``) against pymerkle 7.

    python benchmarks/ledger_bench.py [--entries N] [--seconds S] [--threads T] [--quick]

Each side runs in a child process of this script (``--side``), so the peak RSS reported is that
side's own. Both sides append the same entries, as RFC 8785 canonical JSON, so both must reach
the same RFC 6962 root at size N. Before printing a number the parent checks that, and verifies
a sample of each side's proofs: inclusion proofs of both sides with ``shieldwall.ledger.verify``
(pymerkle's are RFC 9162 audit paths with the leaf hash in front), our consistency proofs with
``shieldwall.ledger.verify`` and pymerkle's (not RFC 9162-shaped) with pymerkle's own verifier.
A benchmark that measured broken proofs would fail instead of printing.

Phases, per side, on a fresh SQLite file:

1. fill to N entries in transactions of ``--chunk`` entries (bulk appends/s);
2. at size N, durable appends for S seconds: T threads each calling ``append`` (ours: group
   commit), then one thread alone;
3. inclusion and consistency proofs at size N for random indexes / old sizes, S seconds each;
4. peak RSS of the process (``ru_maxrss``) and the database size on disk.

Results go to stdout as a table and to ``benchmarks/results/ledger.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import rfc8785
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

SIDES = ("shieldwall", "pymerkle")
RESULTS = Path(__file__).resolve().parent / "results" / "ledger.json"
GOAL_SIZE = 1_000_000
GOAL_DURABLE = 20_000.0
GOAL_PROOFS = 10_000.0
GOAL_RSS_MB = 300.0
_INCLUSION_SAMPLES = 400
_CONSISTENCY_SAMPLES = 50
_PYMERKLE_CONSISTENCY_SAMPLES = 3  # each needs pymerkle to recompute a root from every leaf

err = Console(stderr=True)


def stdout_console() -> Console:
    """Wide enough for the table when piped to a file or a log."""
    return Console(width=None if sys.stdout.isatty() else 130)


# -- workload ------------------------------------------------------------------------------------


def entry(i: int) -> dict[str, Any]:
    """The i-th fill entry: deterministic, so both sides build the same tree (~190 bytes)."""
    return {
        "seq": i,
        "kind": "bench.fill",
        "actor": f"user-{i % 997}",
        "digest": hashlib.sha256(i.to_bytes(8, "big")).hexdigest(),
    }


def durable_entry(thread: int, k: int) -> dict[str, Any]:
    return {"seq": k, "kind": "bench.durable", "thread": thread}


def expected_leaf_hash(i: int) -> bytes:
    return hashlib.sha256(b"\x00" + rfc8785.dumps(entry(i))).digest()


def rss_now_mb() -> float:
    import psutil  # type: ignore[import-untyped]

    return float(psutil.Process().memory_info().rss) / 2**20


def rss_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def code_digest() -> dict[str, str]:
    """Short sha256 of every ledger and store module, to tell which code a result measured."""
    import shieldwall.ledger
    import shieldwall.store

    files = sorted(
        f
        for pkg in (shieldwall.ledger, shieldwall.store)
        for f in Path(next(iter(pkg.__path__))).glob("*.py")
    )
    return {
        f"{f.parent.name}/{f.name}": hashlib.sha256(f.read_bytes()).hexdigest()[:12] for f in files
    }


def dir_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.iterdir() if f.is_file()) / 2**20


def fill(append_chunk: Callable[[int, int], object], n: int, chunk: int, label: str) -> float:
    """Append entries [0, n) in chunks; return the seconds it took."""
    columns = (
        TextColumn(f"[bold]{label}[/] fill"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=False) as progress:
        task = progress.add_task("fill", total=n)
        start = time.perf_counter()
        for lo in range(0, n, chunk):
            hi = min(n, lo + chunk)
            append_chunk(lo, hi)
            progress.update(task, completed=hi)
        return time.perf_counter() - start


def concurrent(
    append: Callable[[int, int], object], threads: int, seconds: float
) -> dict[str, Any]:
    """``threads`` threads each appending in a loop for ``seconds``; throughput and latency."""
    barrier = threading.Barrier(threads + 1)
    deadline = [0.0]
    latencies: list[list[float]] = [[] for _ in range(threads)]
    failures: list[BaseException] = []

    def worker(t: int) -> None:
        mine = latencies[t]
        barrier.wait()
        end = deadline[0]
        k = 0
        try:
            while (now := time.perf_counter()) < end:
                append(t, k)
                mine.append(time.perf_counter() - now)
                k += 1
        except BaseException as exc:  # a worker's failure must fail the benchmark
            failures.append(exc)

    pool = [threading.Thread(target=worker, args=(t,), daemon=True) for t in range(threads)]
    for th in pool:
        th.start()
    start = time.perf_counter()
    deadline[0] = start + seconds
    barrier.wait()
    for th in pool:
        th.join()
    elapsed = time.perf_counter() - start
    if failures:
        raise RuntimeError(f"{len(failures)} append threads failed") from failures[0]
    lat = sorted(x for per in latencies for x in per)
    count = len(lat)
    return {
        "threads": threads,
        "count": count,
        "seconds": elapsed,
        "per_s": count / elapsed,
        "p50_ms": 1000 * lat[count // 2] if lat else None,
        "p99_ms": 1000 * lat[min(count - 1, count * 99 // 100)] if lat else None,
    }


def timed(op: Callable[[], object], seconds: float, keep: int) -> tuple[dict[str, Any], list[Any]]:
    """Run ``op`` until ``seconds`` have passed (checked before each call); keep a sample of
    results (the first ``keep``, then every 64th) for the parent to verify."""
    kept: list[Any] = []
    count = 0
    start = time.perf_counter()
    end = start + seconds
    while time.perf_counter() < end:
        result = op()
        if len(kept) < keep and (count < keep // 2 or count % 64 == 0):
            kept.append(result)
        count += 1
    elapsed = time.perf_counter() - start
    return {"count": count, "seconds": elapsed, "per_s": count / elapsed}, kept


# -- the two sides (each runs in its own process) -------------------------------------------------


def side_shieldwall(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    from shieldwall.ledger.log import Ledger
    from shieldwall.ledger.note import Signer
    from shieldwall.store import open_store

    n, s = args.entries, args.seconds
    out: dict[str, Any] = {"label": "shieldwall", "code": code_digest()}
    engine = open_store(f"sqlite:///{workdir}/ledger.db")
    ledger = Ledger(engine, Signer.generate("bench.local/ledger"))
    with engine.connect() as conn:
        out["sqlite"] = {
            "journal_mode": conn.exec_driver_sql("PRAGMA journal_mode").scalar_one(),
            "synchronous": conn.exec_driver_sql("PRAGMA synchronous").scalar_one(),
        }
    out["rss_after_open_mb"] = rss_now_mb()

    def chunk(lo: int, hi: int) -> None:
        ledger.append_many([entry(i) for i in range(lo, hi)])

    secs = fill(chunk, n, args.chunk, "shieldwall")
    out["bulk"] = {"count": n, "seconds": secs, "per_s": n / secs, "chunk": args.chunk}
    t0 = time.perf_counter()
    root = ledger.root(n)
    out["root"] = {"size": n, "hex": root.hex(), "seconds": time.perf_counter() - t0}

    def one(t: int, k: int) -> None:
        ledger.append(durable_entry(t, k))

    err.log(f"shieldwall: durable appends, {args.threads} threads, {s:g} s")
    out["durable"] = concurrent(one, args.threads, s)
    err.log(f"shieldwall: durable appends, 1 thread, {s:g} s")
    out["durable_1"] = concurrent(one, 1, s)
    out["size_after"] = ledger.size()

    rng = random.Random(6962)
    err.log(f"shieldwall: inclusion proofs at size {n:,}, {s:g} s")
    out["inclusion"], proofs = timed(
        lambda: ledger.inclusion_proof(rng.randrange(n), size=n), s, _INCLUSION_SAMPLES
    )
    out["inclusion_samples"] = [
        {
            "index": p.index,
            "size": p.tree_size,
            "leaf_hash": p.leaf_hash.hex(),
            "path": [h.hex() for h in p.path],
        }
        for p in proofs
    ]
    err.log(f"shieldwall: consistency proofs to size {n:,}, {s:g} s")
    if n > 1:
        out["consistency"], cproofs = timed(
            lambda: ledger.consistency_proof(rng.randrange(1, n), n), s, _CONSISTENCY_SAMPLES
        )
        out["consistency_samples"] = [
            {
                "old_size": p.old_size,
                "new_size": p.new_size,
                "old_root": ledger.root(p.old_size).hex(),
                "path": [h.hex() for h in p.path],
            }
            for p in cproofs
        ]
    out["node_cache_entries"] = len(ledger._cache)
    ledger.close()
    engine.dispose()
    out["db_mb"] = dir_mb(workdir)
    return out


def side_pymerkle(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    import pymerkle  # type: ignore[import-untyped]

    n, s = args.entries, args.seconds
    out: dict[str, Any] = {"label": f"pymerkle {pymerkle.__version__}"}
    # sha256 with the 0x00/0x01 prefixes (security mode, its default) is RFC 6962 hashing.
    tree: Any = pymerkle.SqliteTree(str(workdir / "pymerkle.db"), algorithm="sha256")
    if not tree.security or tree.algorithm != "sha256":
        raise RuntimeError("pymerkle is not configured for RFC 6962 hashing")
    if not args.pymerkle_as_shipped:
        # Same durability settings as ours, so the comparison is of code, not of SQLite config.
        tree.con.execute("PRAGMA journal_mode=WAL")
        tree.con.execute("PRAGMA synchronous=FULL")
    out["sqlite"] = {
        "journal_mode": tree.con.execute("PRAGMA journal_mode").fetchone(),
        "synchronous": tree.con.execute("PRAGMA synchronous").fetchone(),
    }
    out["rss_after_open_mb"] = rss_now_mb()

    def chunk(lo: int, hi: int) -> None:
        tree.append_entries([rfc8785.dumps(entry(i)) for i in range(lo, hi)])

    secs = fill(chunk, n, args.chunk, "pymerkle")
    out["bulk"] = {"count": n, "seconds": secs, "per_s": n / secs, "chunk": args.chunk}
    t0 = time.perf_counter()
    root = tree.get_root(n)
    out["root"] = {"size": n, "hex": root.hex(), "seconds": time.perf_counter() - t0}

    def one(t: int, k: int) -> None:
        tree.append_entry(rfc8785.dumps(durable_entry(t, k)))

    # pymerkle 7 serializes every public method on one RLock per tree, so T threads are safe;
    # they just take turns: one commit per append, no batching.
    err.log(f"pymerkle: durable appends, {args.threads} threads (serialized by its lock), {s:g} s")
    out["durable"] = concurrent(one, args.threads, s)
    err.log(f"pymerkle: durable appends, 1 thread, {s:g} s")
    out["durable_1"] = concurrent(one, 1, s)
    out["size_after"] = tree.get_size()

    rng = random.Random(6962)
    err.log(f"pymerkle: inclusion proofs at size {n:,}, capped at {s:g} s")
    out["inclusion"], proofs = timed(
        lambda: tree.prove_inclusion(rng.randrange(n) + 1, n), s, _INCLUSION_SAMPLES
    )
    # pymerkle counts leaves from 1 and puts the leaf hash in front of the RFC 9162 audit path.
    out["inclusion_samples"] = [
        {
            "index": p.index - 1,
            "size": p.size,
            "leaf_hash": p.path[0].hex(),
            "path": [h.hex() for h in p.path[1:]],
        }
        for p in proofs
    ]
    err.log(f"pymerkle: consistency proofs to size {n:,}, capped at {s:g} s")
    if n > 1:
        out["consistency"], cproofs = timed(
            lambda: tree.prove_consistency(rng.randrange(1, n), n),
            s,
            _PYMERKLE_CONSISTENCY_SAMPLES,
        )
        out["consistency_samples"] = [
            {
                "old_size": p.prior_size,
                "new_size": p.size,
                "old_root": tree.get_root(p.prior_size).hex(),
                "proof": p.serialize(),
            }
            for p in cproofs
        ]
    out["cache"] = tree.get_cache_info()._asdict()
    tree.close()
    out["db_mb"] = dir_mb(workdir)
    return out


def run_side(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix=f"ledger-bench-{args.side}-", dir=args.workdir) as d:
        workdir = Path(d)
        run = side_shieldwall if args.side == "shieldwall" else side_pymerkle
        result = run(args, workdir)
    result["rss_peak_mb"] = rss_peak_mb()
    Path(args.result_file).write_text(json.dumps(result))


# -- the parent: run both, check, report ----------------------------------------------------------


def check(name: str, res: dict[str, Any], root_hex: str) -> list[str]:
    """Verify every kept proof of one side; raise on the first bad one."""
    from shieldwall.ledger.verify import verify_consistency, verify_inclusion

    root = bytes.fromhex(root_hex)
    for p in res["inclusion_samples"]:
        leaf = bytes.fromhex(p["leaf_hash"])
        if leaf != expected_leaf_hash(p["index"]):
            raise AssertionError(f"{name}: proof for leaf {p['index']} carries the wrong leaf hash")
        verify_inclusion(
            index=p["index"],
            size=p["size"],
            leaf_hash=leaf,
            proof=[bytes.fromhex(h) for h in p["path"]],
            root=root,
        )
    notes = [f"{name}: {len(res['inclusion_samples'])} inclusion proofs verified (RFC 9162)"]
    samples = res.get("consistency_samples", [])
    if name == "shieldwall":
        for c in samples:
            verify_consistency(
                old_size=c["old_size"],
                new_size=c["new_size"],
                proof=[bytes.fromhex(h) for h in c["path"]],
                old_root=bytes.fromhex(c["old_root"]),
                new_root=root,
            )
        notes.append(f"{name}: {len(samples)} consistency proofs verified (RFC 9162)")
    else:
        import pymerkle

        for c in samples:
            proof = pymerkle.ConsistencyProof.deserialize(c["proof"])
            proof.verify(
                bytes.fromhex(c["old_root"]),
                root,
                prior_size=c["old_size"],
                later_size=c["new_size"],
                algorithm="sha256",
            )
        notes.append(f"{name}: {len(samples)} consistency proofs verified (pymerkle's verifier)")
    return notes


def fmt(x: float | None, digits: int = 0) -> str:
    return "-" if x is None else f"{x:,.{digits}f}"


def ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else a / b


def report(args: argparse.Namespace, results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    ours, anchor = results["shieldwall"], results["pymerkle"]
    if ours["root"]["hex"] != anchor["root"]["hex"]:
        raise AssertionError(
            f"roots differ at size {args.entries}: {ours['root']['hex']} vs {anchor['root']['hex']}"
        )
    checks = [f"same RFC 6962 root at size {args.entries:,}: {ours['root']['hex'][:16]}..."]
    checks += check("shieldwall", ours, ours["root"]["hex"])
    checks += check("pymerkle", anchor, anchor["root"]["hex"])
    if ours["code"] != code_digest():
        checks.append("WARNING: src/shieldwall/ledger or store changed during the run")

    def get(res: dict[str, Any], key: str) -> float | None:
        return res[key]["per_s"] if key in res else None

    t = args.threads
    rows: list[tuple[str, str, float | None, float | None, int]] = [
        ("bulk appends/s", "higher", get(ours, "bulk"), get(anchor, "bulk"), 0),
        (
            f"durable appends/s, {t} threads",
            "higher",
            get(ours, "durable"),
            get(anchor, "durable"),
            0,
        ),
        (
            "durable appends/s, 1 thread",
            "higher",
            get(ours, "durable_1"),
            get(anchor, "durable_1"),
            0,
        ),
        ("inclusion proofs/s", "higher", get(ours, "inclusion"), get(anchor, "inclusion"), 1),
        ("consistency proofs/s", "higher", get(ours, "consistency"), get(anchor, "consistency"), 1),
        ("peak RSS MB", "lower", ours["rss_peak_mb"], anchor["rss_peak_mb"], 0),
        ("database on disk MB", "lower", ours["db_mb"], anchor["db_mb"], 0),
    ]
    out = stdout_console()
    table = Table(title=f"Ledger at {args.entries:,} entries ({args.seconds:g} s per timed phase)")
    table.add_column("metric")
    table.add_column("shieldwall", justify="right")
    table.add_column(anchor["label"], justify="right")
    table.add_column("ratio shieldwall/pymerkle", justify="right")
    table.add_column("better", justify="center")
    for name, better, a, b, digits in rows:
        r = ratio(a, b)
        table.add_row(
            name, fmt(a, digits), fmt(b, digits), "-" if r is None else f"{r:,.2f}x", better
        )
    out.print(table)

    at_goal_size = args.entries >= GOAL_SIZE
    goals_spec = [
        (f"durable appends/s ({t} threads)", ">=", GOAL_DURABLE, get(ours, "durable")),
        ("inclusion proofs/s", ">=", GOAL_PROOFS, get(ours, "inclusion")),
        ("peak RSS MB", "<", GOAL_RSS_MB, ours["rss_peak_mb"]),
    ]
    goals = []
    gtable = Table(title=f"Goals (defined at {GOAL_SIZE:,} entries)")
    for col in ("goal", "shieldwall", "status"):
        gtable.add_column(col, justify="left" if col == "goal" else "right")
    for name, op, target, value in goals_spec:
        ok = value is not None and (value >= target if op == ">=" else value < target)
        status = "PASS" if ok else "MISS"
        if not at_goal_size:
            status += f" (N={args.entries:,}, not indicative)"
        colour = "green" if ok else "red"
        gtable.add_row(f"{name} {op} {target:,.0f}", fmt(value), f"[{colour}]{status}[/]")
        goals.append(
            {
                "goal": f"{name} {op} {target:g}",
                "value": value,
                "pass": ok,
                "at_goal_size": at_goal_size,
            }
        )
    out.print(gtable)

    notes = [
        f"durable: shieldwall p50/p99 latency {fmt(ours['durable']['p50_ms'], 1)}/"
        f"{fmt(ours['durable']['p99_ms'], 1)} ms with {t} threads (group commit); pymerkle "
        f"{fmt(anchor['durable']['p50_ms'], 1)}/{fmt(anchor['durable']['p99_ms'], 1)} ms "
        "(its RLock serializes the threads: one commit per append)",
        f"pymerkle did {anchor['inclusion']['count']} inclusion proofs in "
        f"{anchor['inclusion']['seconds']:.1f} s and "
        f"{anchor.get('consistency', {}).get('count', 0)} consistency proofs in "
        f"{anchor.get('consistency', {}).get('seconds', 0.0):.1f} s (capped at {args.seconds:g} s)",
        "hashing: both sides are RFC 6962 (sha256, 0x00 leaf / 0x01 node prefixes; pymerkle's "
        "security mode); pymerkle counts leaves from 1 and puts the leaf hash first in its "
        "inclusion path; its consistency proofs are not RFC 9162-shaped (rule/subset bits)",
        f"SQLite: shieldwall {ours['sqlite']}, pymerkle {anchor['sqlite']}"
        + (" (as shipped)" if args.pymerkle_as_shipped else " (set to match ours)"),
        "both sides canonicalize the same dicts with RFC 8785 inside the timed loops",
    ]
    for line in checks + notes:
        out.print(f"- {line}", highlight=False, soft_wrap=True)
    return {"goals": goals, "checks": checks, "notes": notes}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--entries", type=int, default=GOAL_SIZE, help="tree size N")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each timed phase")
    parser.add_argument("--threads", type=int, default=64, help="threads for durable appends")
    parser.add_argument("--chunk", type=int, default=10_000, help="entries per bulk transaction")
    parser.add_argument("--quick", action="store_true", help="smoke check: N=20,000, S=2")
    parser.add_argument("--workdir", default=None, help="where the databases go (default: tmp)")
    parser.add_argument(
        "--pymerkle-as-shipped",
        action="store_true",
        help="leave pymerkle's SQLite in its default rollback-journal mode (default: WAL, "
        "synchronous=FULL, the same as ours)",
    )
    parser.add_argument("--side", choices=SIDES, help=argparse.SUPPRESS)
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.entries, args.seconds = 20_000, 2.0
    if args.entries < 1 or args.seconds <= 0 or args.threads < 1 or args.chunk < 1:
        parser.error("--entries, --seconds, --threads and --chunk must be positive")
    if args.side:
        run_side(args)
        return 0

    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="ledger-bench-") as d:
        for side in SIDES:
            result_file = Path(d) / f"{side}.json"
            cmd = [
                sys.executable,
                str(Path(__file__).resolve()),
                "--side", side,
                "--result-file", str(result_file),
                "--entries", str(args.entries),
                "--seconds", str(args.seconds),
                "--threads", str(args.threads),
                "--chunk", str(args.chunk),
            ]  # fmt: skip
            if args.workdir:
                cmd += ["--workdir", args.workdir]
            if args.pymerkle_as_shipped:
                cmd.append("--pymerkle-as-shipped")
            err.rule(f"{side} (child process)")
            subprocess.run(cmd, check=True)
            results[side] = json.loads(result_file.read_text())

    summary = report(args, results)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "benchmark": "ledger",
        "config": {
            k: getattr(args, k)
            for k in ("entries", "seconds", "threads", "chunk", "pymerkle_as_shipped")
        },
        "environment": {
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        **summary,
        "results": {
            side: {k: v for k, v in res.items() if not k.endswith("_samples")}
            for side, res in results.items()
        },
    }
    RESULTS.write_text(json.dumps(doc, indent=2) + "\n")
    stdout_console().print(f"results written to {RESULTS}", highlight=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
