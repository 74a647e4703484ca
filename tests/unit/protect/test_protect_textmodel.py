"""The scam-language model: masking removes the corpus artefacts, the shipped model loads, scores
in pure Python, and fast."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from shieldwall.core.errors import InternalError
from shieldwall.protect.textmodel import TextModel, bundled_model, features, mask


def test_mask_hides_era_and_addresses() -> None:
    text = (
        "Sent Tue, 27 Aug 2002 10:14:03 to phishing@pot and zzzz@spamassassin.taint.org, "
        "see http://xent.com/mailman or example.org, call 555 0100 on 12/03/2024."
    )
    masked = mask(text)
    for leak in ("2002", "2024", "phishing@pot", "taint", "xent", "10:14", "555", "Aug"):
        assert leak not in masked
    for token in ("emailtok", "urltok", "domtok", "datetok", "timetok", "numtok"):
        assert token in masked


def test_mask_folds_typography() -> None:
    assert mask("\u201cVerify\u201d \u2014 now\u200b\U0001f512") == mask('"Verify" - now')


def test_features_are_words_pairs_and_char_grams() -> None:
    feats = set(features("verify your account"))
    assert {"verify", "verify your", "# ver", "#ify "} <= feats


def test_bundled_model_scores() -> None:
    model = bundled_model()
    assert model is not None
    scam = model.probability(
        "Your account has been suspended. Verify your password within 24 hours or it will be "
        "closed. Click here to log in and confirm your billing details."
    )
    chat = model.probability("Are we still on for lunch tomorrow? I can bring the slides.")
    assert scam > 0.5 > chat


def test_a_damaged_model_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "m.json.gz"
    bad.write_bytes(gzip.compress(json.dumps({"format": "other"}).encode()))
    with pytest.raises(InternalError) as err:
        TextModel.load(bad)
    assert err.value.code == "protect.textmodel.format"


def test_one_model_per_kind_of_text() -> None:
    email_model, sms_model = bundled_model("email"), bundled_model("sms")
    assert email_model is not None
    assert sms_model is not None
    assert email_model.meta["kind"] == "email"
    assert sms_model.meta["kind"] == "sms"
    assert bundled_model() is email_model
    text = "URGENT: your parcel is held, pay the customs fee now to release it"
    assert sms_model.probability(text) > 0.5
