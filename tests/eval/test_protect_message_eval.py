"""The text-message checker (smishing patterns, links, and the SMS scam-language model for English
texts) on ../shared/data/protect/sms/smish_dt.

SmishTank (real 2021-23 smishing reports) is held out of every training: recall only. UCI SMS
Spam Collection, Mendeley smishing and ExAIS are scored on their test part only (the same salted
SHA-256 80/20 split as scripts/train_protect_text.py); their 'spam' labels include promotions,
and ExAIS 'ham' includes carrier promotions, so their recall and false positives mean less than
SmishTank's. Thresholds are the figures measured when this test was written, less a margin.
Issue 7's goal (SmishTank recall >= 0.90 at <= 1% false positives) is NOT reached: 0.816
(0.785 before: the SMS model now reads each link as words describing it - the URL checks'
findings and its shape - and was retrained with C=10; scam wording with a phone number to call
counts like a link; three patterns were added: not-you charges, failed payments or cut-offs,
unclaimed money). ExAIS false positives rose 0.041 -> 0.055. Link words learnt from the text
messages alone reached 0.873 but flagged 17 of the 30 hand-written legitimate texts with links in
tests/unit/protect/test_protect_message.py (3 now, 10 before): see MODEL_CARD.md.
"""

from __future__ import annotations

import csv
import hashlib
from collections import defaultdict
from pathlib import Path

import pytest

from shieldwall.core.errors import InputError
from shieldwall.protect.brands import BrandRegistry, bundled_entries
from shieldwall.protect.message import MAX_MESSAGE_CHARS, check_message
from shieldwall.protect.textmodel import TextModel, bundled_model

pytestmark = pytest.mark.eval
csv.field_size_limit(1 << 24)


def _test_part(text: str) -> bool:
    return hashlib.sha256(b"protect-sms-split:" + text.encode()).digest()[0] < 52


def _rows(root: Path) -> list[tuple[str, bool, str]]:
    rows: list[tuple[str, bool, str]] = []
    with (root / "UCI_SMSSpamCollection").open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            label, _, text = line.rstrip("\n").partition("\t")
            if text:
                rows.append((text, label == "spam", "uci"))
    with (root / "Mendeley_Dataset_5971.csv").open(encoding="utf-8", errors="replace") as fh:
        rows.extend(
            (r["TEXT"], r["LABEL"].lower() != "ham", "mendeley")
            for r in csv.DictReader(fh)
            if r.get("TEXT")
        )
    with (root / "cleaned_all_ExAIS_SPAM_Dataset.csv").open(
        encoding="utf-8", errors="replace"
    ) as fh:
        rows.extend(
            (r["Message"].strip(), r["Label"].upper() == "SPAM", "exais")
            for r in csv.DictReader(fh)
            if r.get("Message", "").strip()
        )
    seen: set[str] = set()
    out: list[tuple[str, bool, str]] = []
    for text, label, source in rows:
        if text not in seen:
            seen.add(text)
            if _test_part(text):
                out.append((text, label, source))
    with (root / "smishtank.csv").open(encoding="utf-8", errors="replace") as fh:
        for r in csv.DictReader(fh):
            text = (r.get("MainText") or r.get("Fulltext") or "").strip()
            if text and text not in seen:
                seen.add(text)
                out.append((text, True, "smishtank"))
    return out


def _score(rows: list[tuple[str, bool, str]], model: TextModel | None) -> dict[str, dict[str, int]]:
    registry = BrandRegistry(bundled_entries())
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0, "tn": 0})
    for text, scam, source in rows:
        try:
            flagged = check_message(
                text[:MAX_MESSAGE_CHARS], registry=registry, model=model
            ).flagged
        except InputError:
            flagged = False
        key = ("tp" if flagged else "fn") if scam else ("fp" if flagged else "tn")
        counts[source][key] += 1
    return counts


def _recall(c: dict[str, int]) -> float:
    return c["tp"] / (c["tp"] + c["fn"])


def _fpr(c: dict[str, int]) -> float:
    return c["fp"] / (c["fp"] + c["tn"])


def test_message_checker_on_smishing_sets(shared_data: Path) -> None:
    rows = _rows(shared_data / "protect" / "sms" / "smish_dt")
    model = bundled_model("sms")
    assert model is not None
    with_model, rules_only = _score(rows, model), _score(rows, None)
    print(f"\n{'source':<12}{'n':>6}  {'recall':>14}  {'FPR':>14}   (rules only -> with model)")
    for source in sorted(with_model):
        a, b = rules_only[source], with_model[source]
        recall = f"{_recall(a):.3f}->{_recall(b):.3f}"
        fpr = f"{_fpr(a):.3f}->{_fpr(b):.3f}" if a["fp"] + a["tn"] else "-"
        print(f"{source:<12}{sum(b.values()):>6}  {recall:>14}  {fpr:>14}")
    assert _recall(rules_only["smishtank"]) >= 0.52  # measured 0.543
    assert _recall(with_model["smishtank"]) >= 0.79  # measured 0.816 (goal 0.90: not reached)
    assert _fpr(with_model["uci"]) <= 0.008  # measured 0.003
    assert _fpr(with_model["mendeley"]) <= 0.02  # measured 0.008
    assert _fpr(with_model["exais"]) <= 0.07  # measured 0.055 (carrier promotions; 0.041 before)
    assert _recall(with_model["mendeley"]) >= 0.86  # smishing and spam together: 0.882
