"""Issue 7's side by side: the e-mail checker, Rspamd and (when installed) SpamAssassin on the
same held-out e-mails, the test split of ../shared/data/protect/split_80_20_seed1234.json.

Rspamd is Debian's ``rspamd`` daemon, started by the fixture on a free port of 127.0.0.1 with
its stock rules and thresholds, offline (the modules that need the network or Redis are off:
tests/eval/rspamd_server.py says which and why), each e-mail POSTed to ``/checkv2``; flagged
means its action is ``add header``, ``rewrite subject`` or ``reject``. SpamAssassin runs as
``spamassassin -L`` (tests/eval/sa_batch.py), spam at 5.0. Skipped when rspamd is not
installed (.ci/run installs both). Speed is in benchmarks/protect_filters_bench.py.

Measured (2,065 e-mails): ours F1 0.991 at 0.74% false positives (0.987 at 1.12% before the
newsletter-weighted e-mail model),
SpamAssassin 4.0.1 F1 0.418 at 2.05%, Rspamd 3.4 F1 0.392 (recall 0.245) at 0.65%. Rspamd run
offline flags few e-mails at all, so its false-positive rate is LOWER than ours: the issue's
"not above theirs" holds for SpamAssassin only. What is asserted against Rspamd instead: at no
more false positives than Rspamd has, our recall is higher (measured 0.969 vs 0.245).
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from mail_scores import rates, recall_at
from rspamd_server import RspamdServer, rspamd_binary, rspamd_version, running_rspamd
from sa_batch import run_spamassassin_batch, spamassassin_binary, spamassassin_version

from shieldwall.core.errors import InputError
from shieldwall.protect.brands import BrandRegistry, bundled_entries
from shieldwall.protect.email import check_email
from shieldwall.protect.textmodel import bundled_model

pytestmark = [pytest.mark.eval, pytest.mark.timeout(1800)]


@dataclass(frozen=True, slots=True, kw_only=True)
class _Scored:
    name: str
    flagged: list[bool]
    scores: list[float]

    def counts(self, labels: Sequence[int]) -> dict[str, int]:
        c = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
        for hit, label in zip(self.flagged, labels, strict=True):
            c[("tp" if hit else "fn") if label else ("fp" if hit else "tn")] += 1
        return c

    def rates(self, labels: Sequence[int]) -> dict[str, float]:
        return rates(self.counts(labels))

    def recall_at(self, labels: Sequence[int], false_positives: int) -> float:
        """The recall of ``score > t`` for the lowest t flagging at most that many ham."""
        return recall_at(self.scores, labels, false_positives)


@pytest.fixture(scope="module")
def test_split(shared_data: Path) -> tuple[list[dict[str, Any]], list[bytes]]:
    root = shared_data / "protect"
    rows = [
        r
        for r in json.loads((root / "split_80_20_seed1234.json").read_text())
        if r["split"] == "test"
    ]
    with zipfile.ZipFile(root / "email.zip") as zf:
        return rows, [zf.read(str(r["path"])) for r in rows]


@pytest.fixture(scope="module")
def rspamd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RspamdServer]:
    if rspamd_binary() is None:
        pytest.skip("rspamd is not installed (Debian: apt-get install rspamd; .ci/run does)")
    with running_rspamd(tmp_path_factory.mktemp("rspamd")) as server:
        yield server


def _ours(messages: list[bytes]) -> _Scored:
    registry = BrandRegistry(bundled_entries())
    model = bundled_model()
    assert model is not None
    flagged: list[bool] = []
    scores: list[float] = []
    for raw in messages:
        try:
            verdict = check_email(raw, registry=registry, model=model)
        except InputError:  # refused: not flagged, and below every score
            flagged.append(False)
            scores.append(-1.0)
            continue
        flagged.append(verdict.flagged)
        scores.append(verdict.score)
    return _Scored(name="shieldwall", flagged=flagged, scores=scores)


def test_email_checker_beside_rspamd_and_spamassassin(
    rspamd: RspamdServer,  # first: skips before the e-mails are read when rspamd is missing
    test_split: tuple[list[dict[str, Any]], list[bytes]],
    tmp_path: Path,
) -> None:
    rows, messages = test_split
    labels = [int(r["label"]) for r in rows]
    ours = _ours(messages)

    before = rspamd.dns_queries
    verdicts = [rspamd.check(raw) for raw in messages]
    # offline for real: no module looked anything up while scanning (rspamd_server.py)
    assert rspamd.dns_queries == before
    theirs = [
        _Scored(
            name="rspamd",
            flagged=[v.flagged for v in verdicts],
            scores=[v.score for v in verdicts],
        )
    ]
    versions = [rspamd_version()]
    if spamassassin_binary() is not None:
        sa = run_spamassassin_batch(messages, tmp_path)
        theirs.append(
            _Scored(
                name="spamassassin",
                flagged=[v.flagged for v in sa],
                scores=[v.score for v in sa],
            )
        )
        versions.append(spamassassin_version())

    print(f"\n{len(rows)} held-out e-mails; {', '.join(versions)}")
    print(f"{'checker':<14}{'prec':>8}{'recall':>8}{'F1':>8}{'FP rate':>9}{'FP':>6}")
    for checker in (ours, *theirs):
        r, c = checker.rates(labels), checker.counts(labels)
        print(
            f"{checker.name:<14}{r['precision']:>8.3f}{r['recall']:>8.3f}{r['f1']:>8.3f}"
            f"{r['fpr']:>9.2%}{c['fp']:>6}"
        )
    mine = ours.rates(labels)
    for other in theirs:
        their_fp = other.counts(labels)["fp"]
        print(
            f"at {other.name}'s {their_fp} false positives: shieldwall recalls "
            f"{ours.recall_at(labels, their_fp):.3f}, {other.name} "
            f"{other.rates(labels)['recall']:.3f}"
        )

    for other in theirs:
        rated = other.rates(labels)
        assert mine["f1"] > rated["f1"], other.name  # 0.991 vs Rspamd 0.392, SpamAssassin 0.418
        # at an operating point with no more false positives than theirs, we catch more:
        # measured 0.969 vs Rspamd's 0.245, 0.994 vs SpamAssassin's 0.270
        their_fp = other.counts(labels)["fp"]
        assert ours.recall_at(labels, their_fp) > rated["recall"], other.name
        if other.name == "spamassassin":
            assert mine["fpr"] <= rated["fpr"]  # measured 0.74% vs 2.05%
        # NOT asserted for Rspamd, because it is not true: offline it flags 0.65% of ham
        # (7 of 1,074) against our 0.74% (8), at a quarter of our recall.
