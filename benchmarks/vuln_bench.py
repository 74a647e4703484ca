"""Vuln benchmark: the 150-package requirements scan, offline, side by side with pip-audit
pointed at a stand-in OSV server on 127.0.0.1 serving the same advisories.

    .venv/bin/python benchmarks/vuln_bench.py [--runs 10] [--pip-audit-runs 3]

Shieldwall: the scan itself (read + parse + lookup + match; the export already imported), and
one whole `shieldwall vuln scan` process (interpreter start-up included). pip-audit (when it is
installed: `pip install -e .[bench]`): `pip-audit -r FILE --no-deps --disable-pip -s osv
--osv-url http://127.0.0.1:PORT/v1/query` against the stand-in (tests/unit/vuln/osv_standin.py),
which matches a version by the records' enumerated `versions`. Findings are compared as
(package, advisory) pairs, an advisory matching when ids or aliases overlap.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from shieldwall.store import open_store
from shieldwall.vuln.inventory import parse_manifest, read_manifest
from shieldwall.vuln.osv import AdvisoryDB, scan_inventory

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("SHIELDWALL_SHARED_DATA", ROOT.parent / "shared/data"))
sys.path.insert(0, str(ROOT / "tests" / "unit" / "vuln"))
from osv_standin import records_from_zip, serve_osv  # noqa: E402


class _Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def _pairs(deps: list[dict[str, Any]], id_key: str = "id") -> set[tuple[str, frozenset[str]]]:
    return {
        (canonicalize_name(d["name"]), frozenset({v[id_key], *v.get("aliases", [])}))
        for d in deps
        for v in d.get("vulns", [])
    }


def _same(
    ours: set[tuple[str, frozenset[str]]], theirs: set[tuple[str, frozenset[str]]]
) -> tuple[int, int]:
    """(their findings we miss, our findings they lack), matching by overlapping names."""
    missing = sum(1 for n, ids in theirs if not any(n == m and ids & o for m, o in ours))
    extra = sum(1 for n, ids in ours if not any(n == m and ids & t for m, t in theirs))
    return missing, extra


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--pip-audit-runs", type=int, default=3)
    args = ap.parse_args()
    reqs = DATA / "vuln/lockfiles/requirements-vuln-150.txt"
    export = DATA / "vuln/osv/PyPI.zip"
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        db = AdvisoryDB(open_store(f"sqlite:///{home}.db"), clock=_Clock())
        t0 = time.perf_counter()
        db.import_zip(export)
        print(f"import PyPI.zip (2,661 records): {time.perf_counter() - t0:.2f} s")
        times, cpu = [], []
        result: dict[str, Any] = {}
        for _ in range(args.runs):
            t0, c0 = time.perf_counter(), time.process_time()
            result = scan_inventory(parse_manifest(*read_manifest(reqs)), db)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        s = result["summary"]
        ours_median = statistics.median(times)
        print(
            f"shieldwall scan, 150 packages offline: median {ours_median:.3f} s, "
            f"min {min(times):.3f} s, max {max(times):.3f} s over {args.runs} runs "
            f"(CPU median {statistics.median(cpu):.3f} s, os.getloadavg {os.getloadavg()[0]:.1f}); "
            f"{s['vulns']} findings in {s['vulnerable']} packages (goal <= 0.5 s)"
        )
        env = {
            **os.environ,
            "SHIELDWALL_HOME": str(home),
            "SHIELDWALL_DATABASE_URL": f"sqlite:///{home}.db",
        }
        t0 = time.perf_counter()
        _ = subprocess.run(
            [
                sys.executable,
                "-m",
                "shieldwall",
                "vuln",
                "scan",
                str(reqs),
                "--offline",
                "--format",
                "json",
            ],
            capture_output=True,
            env=env,
            check=False,
        )
        process = time.perf_counter() - t0
        print(f"shieldwall vuln scan as a whole process (start-up included): {process:.2f} s")

        pip_audit = shutil.which("pip-audit", path=str(Path(sys.executable).parent))
        if pip_audit is None:
            print("pip-audit is not installed in this venv (pip install -e .[bench]); not timed.")
            return
        with serve_osv(records_from_zip(export)) as (url, _state):
            cmd = [
                pip_audit,
                "-r",
                str(reqs),
                "--no-deps",
                "--disable-pip",
                "-s",
                "osv",
                "--osv-url",
                f"{url}/v1/query",
                "-f",
                "json",
                "--progress-spinner",
                "off",
                "--cache-dir",
                str(Path(tmp) / "pip-audit-cache"),
            ]
            theirs_times = []
            out = ""
            for _ in range(args.pip_audit_runs):
                t0 = time.perf_counter()
                done = subprocess.run(cmd, capture_output=True, text=True, check=False)
                theirs_times.append(time.perf_counter() - t0)
                out = done.stdout
        theirs_median = statistics.median(theirs_times)
        try:
            theirs = json.loads(out)["dependencies"]
        except (ValueError, KeyError):
            print(f"pip-audit gave no JSON: {out[:300]!r}")
            return
        missing, extra = _same(_pairs(result["dependencies"]), _pairs(theirs))
        total = sum(len(d.get("vulns", [])) for d in theirs)
        print(
            f"pip-audit against the stand-in OSV server on 127.0.0.1: median {theirs_median:.2f} s "
            f"over {args.pip_audit_runs} runs; {total} findings"
        )
        print(
            f"ratio shieldwall/pip-audit (scan): {ours_median / theirs_median:.3f} "
            f"({theirs_median / ours_median:.0f}x faster); whole processes: "
            f"{process / theirs_median:.2f}; findings: {missing} of pip-audit's missing from ours, "
            f"{extra} of ours not in pip-audit's"
        )


if __name__ == "__main__":
    main()
