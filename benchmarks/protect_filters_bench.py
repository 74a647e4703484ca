"""Shieldwall's e-mail checker beside SpamAssassin and Rspamd on the same held-out e-mails:
precision, recall, F1, false-positive rate and milliseconds per message, with the ratios.

    .venv/bin/python benchmarks/protect_filters_bench.py            # the whole test split
    .venv/bin/python benchmarks/protect_filters_bench.py --n 300    # a seeded sample
    .venv/bin/python benchmarks/protect_filters_bench.py --cli-sample 20
    .venv/bin/python benchmarks/protect_filters_bench.py --no-spamassassin  # Rspamd only

Data: ../shared/data/protect/email.zip, test rows of split_80_20_seed1234.json (the rows no
model here was trained on), read from the zip and handed to every checker in memory (nothing is
copied to disk). Both others are Debian's packages, run offline:

* SpamAssassin (``spamassassin``) as ``spamassassin -L`` runs: local tests only, Bayes and
  auto-learning off, a throw-away home (tests/eval/sa_batch.py). Two timings: batch,
  one Perl process with the rules compiled once, each message's parse+check timed (the fair
  per-message cost, like spamd); cli, ``spamassassin -L -t`` started once per message
  (``--cli-sample`` messages), what a person running the command pays. Spam at its default
  threshold, 5.0.
* Rspamd (``rspamd``): its daemon started by this script on a free port of 127.0.0.1 with the
  stock rules and thresholds, the modules that need the network or Redis off (which and why:
  tests/eval/rspamd_server.py), each message POSTed to ``/checkv2`` one at a time. Two timings:
  the HTTP round trip a client pays, and rspamd's own ``time_real``. Spam when its action is
  ``add header``, ``rewrite subject`` or ``reject`` (score >= 6; ``greylist`` is a deferral).

Shieldwall flags anything not 'safe'. Besides each checker at its own threshold, the "at equal
false positives" lines move one checker's threshold (over its own scores) to allow no more
false positives than the other has, and give the recall it then reaches.

Not part of `make test`: it takes minutes; a checker that is not installed is skipped with a
message (Debian: apt-get install spamassassin rspamd), and with neither there is nothing to do.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from shieldwall.core.errors import InputError
from shieldwall.protect.brands import BrandRegistry, bundled_entries
from shieldwall.protect.email import check_email
from shieldwall.protect.textmodel import bundled_model

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "eval"))
from mail_scores import rates, recall_at  # noqa: E402
from rspamd_server import rspamd_binary, rspamd_version, running_rspamd  # noqa: E402
from sa_batch import (  # noqa: E402
    run_spamassassin_batch,
    sa_env,
    spamassassin_binary,
    spamassassin_version,
)


@dataclass(slots=True, kw_only=True)
class _Column:
    name: str
    version: str
    flagged: list[bool] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    timings: list[tuple[str, float, int]] = field(default_factory=list)  # label, ms, n


def _rates(c: dict[str, int]) -> tuple[float, float, float, float]:
    r = rates(c)
    return r["precision"], r["recall"], r["f1"], r["fpr"]


def _count(rows: list[dict[str, object]], flagged: list[bool]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0, "tn": 0})
    for row, hit in zip(rows, flagged, strict=True):
        key = ("tp" if hit else "fn") if row["label"] else ("fp" if hit else "tn")
        for group in (str(row["source"]), "pooled"):
            counts[group][key] += 1
    return counts


def _ours(rows: list[dict[str, object]], messages: list[bytes]) -> _Column:
    registry = BrandRegistry(bundled_entries())
    model = bundled_model()
    col = _Column(name="shieldwall", version="shieldwall protect email")
    for raw in messages:
        start = time.perf_counter()
        flagged, score = False, -1.0  # a message the checker refuses counts as not flagged
        with contextlib.suppress(InputError):
            verdict = check_email(raw, registry=registry, model=model)
            flagged, score = verdict.flagged, verdict.score
        col.seconds.append(time.perf_counter() - start)
        col.flagged.append(flagged)
        col.scores.append(score)
    col.timings.append(("shieldwall protect email (in-process)", _ms(col.seconds), len(rows)))
    return col


def _spamassassin(messages: list[bytes], folder: Path, cli_sample: int) -> _Column:
    col = _Column(name="spamassassin", version=spamassassin_version())
    print(f"SpamAssassin batch run over {len(messages)} e-mails ...", file=sys.stderr)
    started = time.perf_counter()
    for v in run_spamassassin_batch(messages, folder):
        col.flagged.append(v.flagged)
        col.scores.append(v.score)
        col.seconds.append(v.seconds)
    wall = time.perf_counter() - started
    col.timings.append(("spamassassin -L, batch (rules once)", _ms(col.seconds), len(messages)))
    sa = spamassassin_binary()
    assert sa is not None
    cli: list[float] = []
    for raw in messages[:cli_sample]:
        start = time.perf_counter()
        subprocess.run(
            [sa, "-L", "-t"],
            input=raw,
            capture_output=True,
            env=sa_env(folder),
            timeout=300,
            check=False,
        )
        cli.append(time.perf_counter() - start)
    if cli:
        col.timings.append(("spamassassin -L -t, one process each", _ms(cli), len(cli)))
    print(f"SpamAssassin batch wall time {wall:.0f} s incl. rule compilation", file=sys.stderr)
    return col


def _rspamd(messages: list[bytes], folder: Path) -> _Column:
    col = _Column(name="rspamd", version=rspamd_version())
    print(f"Rspamd: starting, then {len(messages)} e-mails over /checkv2 ...", file=sys.stderr)
    started = time.perf_counter()
    server_seconds: list[float] = []
    with running_rspamd(folder) as server:
        ready = time.perf_counter() - started
        before = server.dns_queries
        for raw in messages:
            v = server.check(raw)
            col.flagged.append(v.flagged)
            col.scores.append(v.score)
            col.seconds.append(v.seconds)
            server_seconds.append(v.server_seconds)
        lookups = server.dns_queries - before
    col.timings.append(("rspamd /checkv2, HTTP round trip", _ms(col.seconds), len(messages)))
    col.timings.append(("rspamd /checkv2, its own time_real", _ms(server_seconds), len(messages)))
    print(
        f"Rspamd ready in {ready:.0f} s (rules compiled for Hyperscan); DNS look-ups while "
        f"scanning: {lookups}",
        file=sys.stderr,
    )
    return col


def _ms(seconds: list[float]) -> float:
    return 1000 * sum(seconds) / len(seconds) if seconds else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--data",
        type=Path,
        default=Path(os.environ.get("SHIELDWALL_SHARED_DATA", REPO.parent / "shared" / "data")),
    )
    ap.add_argument("--n", type=int, default=0, help="a seeded sample (0: every test e-mail)")
    ap.add_argument("--cli-sample", type=int, default=20, help="messages for the cli timing")
    ap.add_argument("--no-spamassassin", action="store_true", help="leave SpamAssassin out")
    ap.add_argument("--no-rspamd", action="store_true", help="leave Rspamd out")
    args = ap.parse_args()

    with_sa = not args.no_spamassassin and spamassassin_binary() is not None
    with_rspamd = not args.no_rspamd and rspamd_binary() is not None
    if not args.no_spamassassin and not with_sa:
        print("SKIPPED SpamAssassin: not installed (Debian: apt-get install spamassassin)")
    if not args.no_rspamd and not with_rspamd:
        print("SKIPPED Rspamd: not installed (Debian: apt-get install rspamd)")
    if not with_sa and not with_rspamd:
        print("SKIPPED: neither SpamAssassin nor Rspamd to compare against.")
        return

    root = args.data / "protect"
    rows = [
        r
        for r in json.loads((root / "split_80_20_seed1234.json").read_text())
        if r["split"] == "test"
    ]
    if args.n:
        rows = random.Random(1234).sample(rows, min(args.n, len(rows)))
    with zipfile.ZipFile(root / "email.zip") as zf:
        messages = [zf.read(str(row["path"])) for row in rows]
    labels = [int(row["label"]) for row in rows]

    columns = [_ours(rows, messages)]
    with tempfile.TemporaryDirectory(prefix="sw-spam-bench-") as tmp:
        if with_sa:
            (Path(tmp) / "sa").mkdir()
            columns.append(_spamassassin(messages, Path(tmp) / "sa", args.cli_sample))
        if with_rspamd:
            (Path(tmp) / "rspamd").mkdir()
            columns.append(_rspamd(messages, Path(tmp) / "rspamd"))

    print()
    for col in columns[1:]:
        print(col.version)
    print(f"held-out e-mails: {len(rows)} (test split)\n")
    print(f"{'source':<26}{'checker':<14}{'n':>6}{'prec':>8}{'recall':>8}{'F1':>8}{'FPR':>8}")
    counts = {col.name: _count(rows, col.flagged) for col in columns}
    for group in sorted(counts["shieldwall"]):
        for col in columns:
            c = counts[col.name][group]
            p, r, f1, fpr = _rates(c)
            print(
                f"{group:<26}{col.name:<14}{sum(c.values()):>6}{p:>8.3f}{r:>8.3f}{f1:>8.3f}"
                f"{fpr:>8.3f}"
            )

    print(f"\n{'ms per e-mail':<42}{'mean':>10}{'n':>7}")
    for col in columns:
        for label, ms, n in col.timings:
            print(f"{label:<42}{ms:>10.2f}{n:>7}")

    ours = columns[0]
    p_ours = _rates(counts["shieldwall"]["pooled"])
    print(f"\npooled: {'checker':<14}{'prec':>8}{'recall':>8}{'F1':>8}{'FP rate':>9}{'ms':>8}")
    for col in columns:
        p, r, f1, fpr = _rates(counts[col.name]["pooled"])
        print(
            f"        {col.name:<14}{p:>8.3f}{r:>8.3f}{f1:>8.3f}{fpr:>9.2%}{_ms(col.seconds):>8.2f}"
        )
    for col in columns[1:]:
        theirs = _rates(counts[col.name]["pooled"])
        their_fp = counts[col.name]["pooled"]["fp"]
        our_fp = counts["shieldwall"]["pooled"]["fp"]
        print(
            f"\nratio vs {col.name}: F1 {p_ours[2]:.3f} vs {theirs[2]:.3f} "
            f"({p_ours[2] / theirs[2] if theirs[2] else float('inf'):.2f}x); false positives "
            f"{p_ours[3]:.2%} vs {theirs[3]:.2%}; {col.name} takes "
            f"{_ms(col.seconds) / _ms(ours.seconds):.2f}x shieldwall's time per e-mail"
        )
        print(
            f"at equal false positives: at {col.name}'s {their_fp} false positives shieldwall "
            f"recalls {recall_at(ours.scores, labels, their_fp):.3f} (it: {theirs[1]:.3f}); "
            f"at shieldwall's {our_fp}, {col.name} recalls "
            f"{recall_at(col.scores, labels, our_fp):.3f} (shieldwall: {p_ours[1]:.3f})"
        )


if __name__ == "__main__":
    main()
