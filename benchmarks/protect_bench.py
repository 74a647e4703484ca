"""E-mails per second for `shieldwall protect email` (the checker in-process, one core) on a
sample of ../shared/data/protect/email.zip. The side-by-side with SpamAssassin (quality and
speed on the held-out e-mails) is benchmarks/protect_filters_bench.py.

    .venv/bin/python benchmarks/protect_bench.py [--n 400]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import time
import zipfile
from pathlib import Path

from shieldwall.core.errors import InputError
from shieldwall.protect.brands import BrandRegistry, bundled_entries
from shieldwall.protect.email import check_email
from shieldwall.protect.textmodel import bundled_model

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument(
        "--data",
        type=Path,
        default=Path(os.environ.get("SHIELDWALL_SHARED_DATA", REPO.parent / "shared" / "data")),
    )
    args = ap.parse_args()
    with zipfile.ZipFile(args.data / "protect" / "email.zip") as zf:
        names = sorted(n for n in zf.namelist() if n.endswith(".eml"))
        sample = [zf.read(n) for n in random.Random(1234).sample(names, min(args.n, len(names)))]
    registry = BrandRegistry(bundled_entries())
    model = bundled_model()
    check_email(sample[0], registry=registry, model=model)  # warm caches
    times = []
    for raw in sample:
        t = time.perf_counter()
        with contextlib.suppress(InputError):  # refusals count too
            check_email(raw, registry=registry, model=model)
        times.append(time.perf_counter() - t)
    times.sort()
    total = sum(times)
    ours = total / len(times)
    print(f"{'checker':<28}{'e-mails':>8}{'e-mails/s':>11}{'ms mean':>9}{'ms p50':>8}{'ms p95':>8}")
    print(
        f"{'shieldwall protect email':<28}{len(times):>8}{len(times) / total:>11.1f}"
        f"{ours * 1000:>9.2f}{times[len(times) // 2] * 1000:>8.2f}"
        f"{times[int(len(times) * 0.95)] * 1000:>8.2f}"
    )
    print(
        f"goal < 20 ms per e-mail: {'met' if ours < 0.020 else 'MISSED'}; SpamAssassin side by "
        "side: benchmarks/protect_filters_bench.py"
    )


if __name__ == "__main__":
    main()
