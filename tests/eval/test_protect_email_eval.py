"""The e-mail checker (every signal together: authentication, sender, links, attachments, the
masked e-mail text model) on the test split of ../shared/data/protect/split_80_20_seed1234.json.

The text model was trained on the train split only (scripts/train_protect_text.py, commercial
newsletters weighted 10x). The language thresholds, the plain-wording discount of link shapes,
the hard_ham weight, the bulk-mail handling and the content signals were chosen on the train
split with 5-fold cross-validated model probabilities (train: F1 0.986, false positives 0.72%),
then measured here once. A message the checker refuses (InputError) counts as not flagged.
Thresholds are the figures measured when this test was written, less a small margin. Issue 7's
goal (F1 >= 0.97 at <= 1% false positives) is met on this split: F1 0.991, 0.74% false positives
(8 of 1,074; 12 before this model and the plain-wording discount, 24 before the bulk-mail work);
hard_ham (commercial newsletters) is still 12%, and on held-out sources the goal is not met (see
models/MODEL_CARD.md).
"""

from __future__ import annotations

import json
import zipfile
from collections import defaultdict
from pathlib import Path

import pytest
from mail_scores import rates

from shieldwall.core.errors import InputError
from shieldwall.protect.brands import BrandRegistry, bundled_entries
from shieldwall.protect.email import check_email
from shieldwall.protect.textmodel import bundled_model

pytestmark = pytest.mark.eval


def test_email_checker_on_the_fixed_split(shared_data: Path) -> None:
    root = shared_data / "protect"
    rows = [
        r
        for r in json.loads((root / "split_80_20_seed1234.json").read_text())
        if r["split"] == "test"
    ]
    registry = BrandRegistry(bundled_entries())
    model = bundled_model()
    assert model is not None
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0, "tn": 0})
    with zipfile.ZipFile(root / "email.zip") as zf:
        for row in rows:
            try:
                flagged = check_email(zf.read(row["path"]), registry=registry, model=model).flagged
            except InputError:
                flagged = False
            key = ("tp" if flagged else "fn") if row["label"] else ("fp" if flagged else "tn")
            for group in (row["source"], "pooled"):
                counts[group][key] += 1
    print(f"\n{'source':<26}{'n':>6}{'prec':>8}{'recall':>8}{'F1':>8}{'FPR':>8}")
    for group, c in sorted(counts.items()):
        r = rates(c)
        print(
            f"{group:<26}{sum(c.values()):>6}{r['precision']:>8.3f}{r['recall']:>8.3f}"
            f"{r['f1']:>8.3f}{r['fpr']:>8.3f}"
        )
    pooled = rates(counts["pooled"])
    assert pooled["f1"] >= 0.985  # measured 0.991 (0.987 before, 0.983 before the bulk work)
    assert pooled["recall"] >= 0.984  # measured 0.990
    assert pooled["fpr"] <= 0.0095  # measured 0.0074, 8 of 1,074 (0.0112 before; goal 0.01)
    assert rates(counts["nazario_2005"])["recall"] >= 0.98  # same era as the ham: 0.995
    assert rates(counts["phishing_pot"])["recall"] >= 0.98  # measured 0.989
    assert rates(counts["spamassassin_hard_ham_1"])["fpr"] <= 0.18  # measured 0.12 (was 0.20)
    for ham in ("csdmc2010", "spamassassin_easy_ham_1", "spamassassin_easy_ham_2"):
        assert rates(counts[ham])["fpr"] <= 0.012  # measured 0.004 / 0.000 / 0.004
