"""Shieldwall's e-mail checker beside SpamAssassin on the same held-out e-mails: precision,
recall, F1, false-positive rate and milliseconds per message, with the ratio.

    .venv/bin/python benchmarks/protect_spamassassin_bench.py            # the whole test split
    .venv/bin/python benchmarks/protect_spamassassin_bench.py --n 300    # a seeded sample
    .venv/bin/python benchmarks/protect_spamassassin_bench.py --cli-sample 20

Data: ../shared/data/protect/email.zip, test rows of split_80_20_seed1234.json (the rows no
model here was trained on), read from the zip and handed to both checkers in memory (nothing is
copied to disk). SpamAssassin (Debian package ``spamassassin``) runs offline, local tests only,
as ``spamassassin -L`` does: network tests, Bayes and auto-learning are off and its home is a
throw-away folder, so it learns nothing between messages. Two SpamAssassin timings:

* batch: one Perl process (Mail::SpamAssassin with ``local_tests_only``), rules compiled once,
  each message's parse+check timed: the fair per-message cost, like spamd;
* cli: ``spamassassin -L -t`` started once per message (``--cli-sample`` messages), which is
  what a person running the command pays.

SpamAssassin calls a message spam at its default threshold (5.0); Shieldwall flags anything not
'safe'. Not part of `make test`: it needs SpamAssassin and takes minutes; it says so and stops
when ``spamassassin`` is missing.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import defaultdict
from pathlib import Path

from shieldwall.core.errors import InputError
from shieldwall.protect.brands import BrandRegistry, bundled_entries
from shieldwall.protect.email import check_email
from shieldwall.protect.textmodel import bundled_model

REPO = Path(__file__).resolve().parents[1]

PERL_BATCH = r"""
use strict;
use warnings;
use Mail::SpamAssassin;
use Time::HiRes qw(time);
my $home = $ENV{SW_SA_HOME};
my $sa = Mail::SpamAssassin->new({
    local_tests_only => 1,
    userstate_dir => $home,
    user_dir => $home,
    userprefs_filename => "$home/user_prefs",
    dont_copy_prefs => 1,
    post_config_text => "use_bayes 0\nbayes_auto_learn 0\n",
});
$sa->compile_now(0);
$| = 1;
binmode STDIN;
# each message on stdin: a line "<index> <length>", then <length> raw bytes
while (my $head = <STDIN>) {
    chomp $head;
    my ($path, $length) = split / /, $head;
    my $raw = '';
    read(STDIN, $raw, $length) == $length or die "short message $path";
    my $t = time;
    my $msg = $sa->parse($raw);
    my $status = $sa->check($msg);
    my $dt = time - $t;
    printf "%s\t%d\t%.2f\t%.6f\n", $path, ($status->is_spam ? 1 : 0), $status->get_score, $dt;
    $status->finish;
    $msg->finish;
}
"""


def _rates(c: dict[str, int]) -> tuple[float, float, float, float]:
    tp, fp, fn, tn = c["tp"], c["fp"], c["fn"], c["tn"]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f1, (fp / (fp + tn) if fp + tn else 0.0)


def _count(rows: list[dict[str, object]], flagged: dict[str, bool]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0, "tn": 0})
    for row in rows:
        path = str(row["path"])
        hit = flagged[path]
        key = ("tp" if hit else "fn") if row["label"] else ("fp" if hit else "tn")
        for group in (str(row["source"]), "pooled"):
            counts[group][key] += 1
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--data",
        type=Path,
        default=Path(os.environ.get("SHIELDWALL_SHARED_DATA", REPO.parent / "shared" / "data")),
    )
    ap.add_argument("--n", type=int, default=0, help="a seeded sample (0: every test e-mail)")
    ap.add_argument("--cli-sample", type=int, default=20, help="messages for the cli timing")
    args = ap.parse_args()

    sa = shutil.which("spamassassin")
    perl = shutil.which("perl")
    if sa is None or perl is None:
        print(
            "SKIPPED: spamassassin is not installed (Debian: apt-get install spamassassin); "
            "nothing to compare against."
        )
        return
    root = args.data / "protect"
    rows = [
        r
        for r in json.loads((root / "split_80_20_seed1234.json").read_text())
        if r["split"] == "test"
    ]
    if args.n:
        rows = random.Random(1234).sample(rows, min(args.n, len(rows)))
    registry = BrandRegistry(bundled_entries())
    model = bundled_model()
    with tempfile.TemporaryDirectory(prefix="sw-sa-") as tmp:
        folder = Path(tmp)
        sa_home = folder / "sa-home"
        sa_home.mkdir()
        messages: list[bytes] = []
        ours: dict[str, bool] = {}
        our_times: list[float] = []
        with zipfile.ZipFile(root / "email.zip") as zf:
            for row in rows:
                raw = zf.read(str(row["path"]))
                messages.append(raw)
                start = time.perf_counter()
                flagged = False
                with contextlib.suppress(InputError):
                    flagged = check_email(raw, registry=registry, model=model).flagged
                our_times.append(time.perf_counter() - start)
                ours[str(row["path"])] = flagged

        env = {**os.environ, "HOME": str(sa_home), "SW_SA_HOME": str(sa_home)}
        script = folder / "batch.pl"
        script.write_text(PERL_BATCH)
        paths = [str(row["path"]) for row in rows]
        print(f"SpamAssassin batch run over {len(rows)} e-mails ...", file=sys.stderr)
        started = time.perf_counter()
        proc = subprocess.run(
            [perl, str(script)],
            input=b"".join(b"%d %d\n" % (i, len(m)) + m for i, m in enumerate(messages)),
            capture_output=True,
            env=env,
            timeout=6 * 3600,
            check=False,
        )
        wall = time.perf_counter() - started
        theirs: dict[str, bool] = {}
        sa_times: list[float] = []
        for line in proc.stdout.decode("utf-8", "replace").splitlines():
            parts = line.split("\t")
            if len(parts) == 4 and parts[0].isdigit() and int(parts[0]) < len(paths):
                theirs[paths[int(parts[0])]] = parts[1] == "1"
                sa_times.append(float(parts[3]))
        if len(theirs) != len(rows):
            print(proc.stderr.decode("utf-8", "replace")[-2000:], file=sys.stderr)
            raise SystemExit(f"SpamAssassin answered for {len(theirs)} of {len(rows)} e-mails")

        cli_times: list[float] = []
        for raw in messages[: args.cli_sample]:
            start = time.perf_counter()
            subprocess.run(
                [sa, "-L", "-t"],
                input=raw,
                capture_output=True,
                env=env,
                timeout=300,
                check=False,
            )
            cli_times.append(time.perf_counter() - start)

    version = subprocess.run([sa, "--version"], capture_output=True, text=True, check=False)
    print(f"\n{version.stdout.splitlines()[0] if version.stdout else 'SpamAssassin'}")
    print(f"held-out e-mails: {len(rows)} (test split)\n")
    print(f"{'source':<26}{'checker':<14}{'n':>6}{'prec':>8}{'recall':>8}{'F1':>8}{'FPR':>8}")
    our_counts, their_counts = _count(rows, ours), _count(rows, theirs)
    for group in sorted(our_counts):
        for name, counts in (("shieldwall", our_counts), ("spamassassin", their_counts)):
            c = counts[group]
            p, r, f1, fpr = _rates(c)
            print(
                f"{group:<26}{name:<14}{sum(c.values()):>6}{p:>8.3f}{r:>8.3f}{f1:>8.3f}{fpr:>8.3f}"
            )
    ours_ms = 1000 * sum(our_times) / len(our_times)
    batch_ms = 1000 * sum(sa_times) / len(sa_times)
    print(f"\n{'ms per e-mail':<40}{'mean':>10}")
    print(f"{'shieldwall protect email (in-process)':<40}{ours_ms:>10.2f}")
    print(f"{'spamassassin -L, batch (rules once)':<40}{batch_ms:>10.2f}")
    if cli_times:
        cli_ms = 1000 * sum(cli_times) / len(cli_times)
        print(f"{'spamassassin -L -t, one process each':<40}{cli_ms:>10.2f}  (n={len(cli_times)})")
    print(
        f"\nratio: shieldwall is {batch_ms / ours_ms:.1f}x faster per e-mail than SpamAssassin's "
        f"batch check (SpamAssassin batch wall time {wall:.0f} s incl. rule compilation)"
    )
    p_ours = _rates(our_counts["pooled"])
    p_sa = _rates(their_counts["pooled"])
    print(
        f"pooled F1 {p_ours[2]:.3f} vs {p_sa[2]:.3f}; false positives {p_ours[3]:.2%} vs "
        f"{p_sa[3]:.2%}"
    )


if __name__ == "__main__":
    main()
