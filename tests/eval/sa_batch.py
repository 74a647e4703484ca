"""Debian's SpamAssassin over many e-mails in one Perl process, for the e-mail evaluation and
benchmark.

Offline, as ``spamassassin -L`` runs: ``local_tests_only`` (no DNS block-lists, no Razor/Pyzor,
no SPF/DKIM look-ups), Bayes and auto-learning off, and its home a throw-away folder, so it
learns nothing between messages. Mail::SpamAssassin compiles its rules once; each message's
parse+check is timed by Perl itself (the fair per-message cost, like spamd). A message is spam
at SpamAssassin's default threshold (5.0), its own ``is_spam``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

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


@dataclass(frozen=True, slots=True, kw_only=True)
class SpamAssassinVerdict:
    flagged: bool
    score: float
    seconds: float  # parse + check, timed inside the Perl process


def spamassassin_binary() -> str | None:
    """The ``spamassassin`` command, when it and Perl are installed."""
    sa = shutil.which("spamassassin")
    return sa if sa is not None and shutil.which("perl") is not None else None


def spamassassin_version() -> str:
    sa = spamassassin_binary()
    if sa is None:
        return "SpamAssassin (not installed)"
    out = subprocess.run([sa, "--version"], capture_output=True, text=True, check=False)
    return out.stdout.splitlines()[0].strip() if out.stdout.strip() else "SpamAssassin"


def sa_env(folder: Path) -> dict[str, str]:
    """The environment for any SpamAssassin run: its home (and state) under ``folder``."""
    home = folder / "sa-home"
    home.mkdir(parents=True, exist_ok=True)
    return {**os.environ, "HOME": str(home), "SW_SA_HOME": str(home)}


def run_spamassassin_batch(
    messages: Sequence[bytes], folder: Path, *, timeout: float = 6 * 3600
) -> list[SpamAssassinVerdict]:
    """One verdict per message, in order. Raises RuntimeError when SpamAssassin does not answer
    for every message."""
    perl = shutil.which("perl")
    if perl is None or spamassassin_binary() is None:
        raise FileNotFoundError(
            "spamassassin is not installed (Debian: apt-get install spamassassin)"
        )
    script = folder / "batch.pl"
    script.write_text(PERL_BATCH)
    proc = subprocess.run(
        [perl, str(script)],
        input=b"".join(b"%d %d\n" % (i, len(m)) + m for i, m in enumerate(messages)),
        capture_output=True,
        env=sa_env(folder),
        timeout=timeout,
        check=False,
    )
    verdicts: dict[int, SpamAssassinVerdict] = {}
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        parts = line.split("\t")
        if len(parts) == 4 and parts[0].isdigit() and int(parts[0]) < len(messages):
            verdicts[int(parts[0])] = SpamAssassinVerdict(
                flagged=parts[1] == "1", score=float(parts[2]), seconds=float(parts[3])
            )
    if len(verdicts) != len(messages):
        tail = proc.stderr.decode("utf-8", "replace")[-2000:]
        raise RuntimeError(
            f"SpamAssassin answered for {len(verdicts)} of {len(messages)} e-mails: {tail}"
        )
    return [verdicts[i] for i in range(len(messages))]
