"""Benchmark the one door, ``Gateway.invoke``, end to end, against Cedar (cedarpy) deciding alone.

    python benchmarks/gateway_bench.py [--seconds S] [--threads T] [--calls N]

Ours does everything a real call does: the kill switch and principal checks, request
validation, misuse screening (the shipped model, when it is installed), policy, the quota count,
a durable ledger append of the decision, the handler, and the append of the outcome. A
capability that only reads (the default) has its outcome group-committed with the next commit;
one that declares ``writes`` waits for a second commit: both are measured.
Cedar (the anchor the issue names) only evaluates a policy over pre-parsed policies and
entities, with no screening, no quota and no ledger: the ratio says what our whole door costs
next to a policy engine's bare decision.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict
from rich.console import Console
from rich.table import Table

from shieldwall.core.errors import ShieldwallError
from shieldwall.core.settings import Settings
from shieldwall.core.types import Capability, CapabilityId, InvocationContext, Tier
from shieldwall.runtime import open_runtime

TEXT = "Check our mail server for the log4shell vulnerability and summarise the findings."


class ScanRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str


def _scan(req: ScanRequest, ctx: InvocationContext) -> dict[str, Any]:
    return {"ok": True, "chars": len(req.text)}


def measure(call: Callable[[], object], *, seconds: float, threads: int) -> dict[str, float]:
    """Calls/s and latency percentiles of ``call`` from ``threads`` threads for ``seconds``."""
    latencies: list[list[float]] = [[] for _ in range(threads)]
    stop = time.perf_counter() + seconds

    def worker(slot: int) -> None:
        mine = latencies[slot]
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            call()
            mine.append(time.perf_counter() - t0)

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    flat = sorted(x for xs in latencies for x in xs)
    return {
        "calls": len(flat),
        "per_s": len(flat) / elapsed,
        "p50_ms": statistics.median(flat) * 1000,
        "p99_ms": flat[min(len(flat) - 1, int(len(flat) * 0.99))] * 1000,
    }


def ours(
    seconds: float, threads: int, *, writes: bool = False
) -> tuple[dict[str, dict[str, float]], str]:
    """``writes``: the capability declares that it writes, so its outcome entry is awaited
    (two commits per call) instead of group-committed with the next decision (the decision is
    durable before the handler either way)."""
    work = Path(tempfile.mkdtemp(prefix="sw-gw-bench-"))
    policy = json.loads(
        (Path(__file__).parents[1] / "src/shieldwall/gateway/default_policy.json").read_text()
    )
    policy["rules"].append({"capability": "bench.*", "effect": "allow"})
    policy["quotas"] = [{"capability": "*", "per_minute": 10**9}]  # counted, never binding
    (work / "policy.json").write_text(json.dumps(policy))
    runtime = open_runtime(Settings(home=work / "home", policy_file=work / "policy.json"))
    runtime.gateway.registry.register(
        Capability(
            id=CapabilityId("bench.scan"),
            description="bench",
            min_tier=Tier(1),
            input_model=ScanRequest,
            handler=_scan,
            free_text_fields=("text",),
            writes=writes,
        )
    )
    screening = "none installed"
    try:
        from shieldwall.gateway.screening_model import LinearScreener

        runtime.gateway._screener = LinearScreener.load()
        screening = "shipped model"
    except (ImportError, ShieldwallError) as exc:
        screening = f"none ({type(exc).__name__})"
    principal, _ = runtime.keys.create(name="bench", tier=Tier.VERIFIED_ORG)
    request = {"text": TEXT}

    def call() -> object:
        return runtime.gateway.invoke("bench.scan", request, principal)

    call()
    try:
        return {
            "serial": measure(call, seconds=seconds, threads=1),
            "concurrent": measure(call, seconds=seconds, threads=threads),
        }, screening
    finally:
        runtime.close()


CEDAR_POLICY = """
permit(principal, action == Action::"invoke", resource)
when { principal.tier >= resource.min_tier };
forbid(principal, action, resource) when { context.screening == "malicious" };
forbid(principal, action, resource) when { resource.disabled };
"""


def cedar(seconds: float, threads: int) -> dict[str, dict[str, float]]:
    import cedarpy

    policies = cedarpy.PolicySet.from_str(CEDAR_POLICY)
    entities = cedarpy.Entities.from_json_str(
        json.dumps(
            [
                {
                    "uid": {"type": "Principal", "id": "key:bench"},
                    "attrs": {"tier": 2},
                    "parents": [],
                },
                {
                    "uid": {"type": "Capability", "id": "bench.scan"},
                    "attrs": {"min_tier": 1, "disabled": False},
                    "parents": [],
                },
            ]
        )
    )
    request = {
        "principal": 'Principal::"key:bench"',
        "action": 'Action::"invoke"',
        "resource": 'Capability::"bench.scan"',
        "context": {"screening": "benign"},
    }

    def call() -> object:
        result = cedarpy.is_authorized(request, policies, entities)
        assert result.allowed
        return result

    call()
    return {
        "serial": measure(call, seconds=seconds, threads=1),
        "concurrent": measure(call, seconds=seconds, threads=threads),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=16)
    args = parser.parse_args()
    console = Console()
    with console.status("shieldwall: Gateway.invoke end to end, a capability that reads…"):
        mine, screening = ours(args.seconds, args.threads)
    with console.status("shieldwall: Gateway.invoke end to end, a capability that writes…"):
        writes, _ = ours(args.seconds, args.threads, writes=True)
    with console.status("cedarpy: is_authorized alone…"):
        theirs = cedar(args.seconds, args.threads)
    table = Table(
        title=f"One decision: Gateway.invoke end to end vs cedarpy alone "
        f"({args.seconds:g} s a row; screening: {screening})"
    )
    for col in ("", "shieldwall, reads", "shieldwall, writes", "cedarpy", "ratio (reads)"):
        table.add_column(col, justify="right" if col else "left")
    for mode in ("serial", "concurrent"):
        label = "1 thread" if mode == "serial" else f"{args.threads} threads"
        for key, unit in (("per_s", "decisions/s"), ("p50_ms", "p50 ms"), ("p99_ms", "p99 ms")):
            a, w, b = mine[mode][key], writes[mode][key], theirs[mode][key]
            table.add_row(
                f"{unit}, {label}", f"{a:,.2f}", f"{w:,.2f}", f"{b:,.2f}", f"{a / b:.2f}x"
            )
    console.print(table)
    best = max(mine["serial"]["per_s"], mine["concurrent"]["per_s"])
    console.print(
        f"goal >= 2,000 decisions/s: {'PASS' if best >= 2000 else 'MISS'} "
        f"({best:,.0f}); goal p99 < 2 ms (1 thread): "
        f"{'PASS' if mine['serial']['p99_ms'] < 2 else 'MISS'} "
        f"({mine['serial']['p99_ms']:.2f} ms; a capability that writes, two commits: "
        f"{writes['serial']['p99_ms']:.2f} ms)"
    )


if __name__ == "__main__":
    main()
