"""The scam-language classifier: masked text, hashed word and character n-grams, a linear model,
scored in pure Python.

``TextModel.load()`` reads ``models/protect_email_text.json.gz`` (or, with ``kind="sms"``,
``protect_sms_text.json.gz``): package data trained by ``scripts/train_protect_text.py``, each on
its own kind of text; see ``models/MODEL_CARD.md``. Nothing is read at import time.

The training corpus has artefacts that give the label away (the legitimate mail is from
2002-2010, the phishing from 2022-2026; the phishing recipients were anonymised to one address,
the legitimate senders rewritten to another), so :func:`mask` runs before any feature is made,
here and in training alike:

* typography is folded (NFKC, curly quotes and dashes to ASCII, invisible format characters and
  emoji dropped), because modern mail is typeset and 2002 mail is plain ASCII;
* web addresses, e-mail addresses, bare domain names, dates, times, weekday and month names,
  years and every other number become placeholder words (``urltok``, ``emailtok``, ...).

Features (:func:`features`): words (runs of letters, lower case, at most 24 characters) and
adjacent word pairs of the first :data:`MAX_CHARS` characters of the masked text, plus the
character 4-grams of each distinct word padded with a space; each feature is hashed with CRC-32
into one of ``dim`` signed buckets, present/absent, scaled by ``1/sqrt(count)``.
"""

from __future__ import annotations

import base64
import binascii
import functools
import gzip
import itertools
import json
import math
import re
import unicodedata
import zlib
from array import array
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from shieldwall.core.errors import InternalError

__all__ = [
    "FEATURES_VERSION",
    "MAX_CHARS",
    "MODEL_FORMAT",
    "TextModel",
    "features",
    "mask",
]

MODEL_FORMAT = "shieldwall.protect.text.linear/1"
FEATURES_VERSION = "mask1-crc32-w1-w2-c4-sqrtn/1"
MODEL_RESOURCES = {"email": "protect_email_text.json.gz", "sms": "protect_sms_text.json.gz"}
MODEL_RESOURCE = MODEL_RESOURCES["email"]
MAX_CHARS = 4000
MAX_MODEL_BYTES = 8 * 1024 * 1024

_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2022": " ",
        "\u00a0": " ",
    }
)
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|"
    r"sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_MASKS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?i)\b(?:https?|ftp|hxxps?)://\S+|\bwww\.\S+"), " urltok "),
    (re.compile(r"\S+@\S+"), " emailtok "),
    (re.compile(r"(?i)\b(?:[a-z0-9][a-z0-9-]*\.)+(?:[a-z]{2,6})\b(?:/\S*)?"), " domtok "),
    (re.compile(r"\b\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}\b"), " datetok "),
    (re.compile(r"(?i)\b\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]\.?m\.?)?"), " timetok "),
    (
        re.compile(
            r"(?i)\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
            r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?=,))\b,?"
        ),
        " daytok ",
    ),
    (
        re.compile(rf"(?i)\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:{_MONTHS})\.?(?=\s+\d|,\s*\d)"),
        " monthtok ",
    ),
    (
        re.compile(
            r"(?i)\b(?:january|february|march|april|june|july|august|september|"
            r"october|november|december)\b"
        ),
        " monthtok ",
    ),
    (re.compile(r"\b(?:19|20)\d{2}\b"), " yeartok "),
    (re.compile(r"\d+(?:[.,]\d+)*"), " numtok "),
)
_WORD = re.compile(r"[^\W\d_]{1,24}")


def mask(text: str) -> str:
    """``text`` with the corpus artefacts replaced by placeholder words (see the module doc)."""
    folded = unicodedata.normalize("NFKC", text[: MAX_CHARS * 3]).translate(_FOLD)
    folded = "".join(
        ch for ch in folded if unicodedata.category(ch) not in {"Cf", "So", "Sk", "Co", "Cs"}
    )
    for pattern, token in _MASKS:
        folded = pattern.sub(token, folded)
    return folded


def features(text: str) -> list[str]:
    """The feature names of already-masked ``text`` (distinct, unordered)."""
    words = [w.lower() for w in _WORD.findall(text[:MAX_CHARS])]
    feats: set[str] = set()
    for w in words:
        feats.add(w)
    for a, b in itertools.pairwise(words):
        feats.add(f"{a} {b}")
    for w in set(words):
        padded = f" {w} "
        for i in range(len(padded) - 3):
            feats.add("#" + padded[i : i + 4])
    return list(feats)


def hashed(names: list[str], dim: int) -> list[tuple[int, float]]:
    """Signed hashed buckets of feature names, each ``+-1/sqrt(len(names))``, summed per bucket."""
    if not names:
        return []
    scale = 1.0 / math.sqrt(len(names))
    out: dict[int, float] = {}
    for name in names:
        h = zlib.crc32(name.encode("utf-8"))
        idx = h % dim
        out[idx] = out.get(idx, 0.0) + (scale if h & 0x80000000 else -scale)
    return list(out.items())


@dataclass(frozen=True, slots=True)
class TextModel:
    """A linear model over :func:`hashed` features: ``probability(text)`` of scam language."""

    dim: int
    weights: array[float]
    bias: float
    threshold: float
    meta: dict[str, Any]

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> TextModel:
        if doc.get("format") != MODEL_FORMAT or doc.get("features") != FEATURES_VERSION:
            raise InternalError(
                "the scam-language model file has an unknown format",
                code="protect.textmodel.format",
                hint="Retrain it with scripts/train_protect_text.py.",
            )
        try:
            dim = int(doc["dim"])
            raw = base64.b64decode(doc["weights_i16"], validate=True)
            q = array("h")
            q.frombytes(raw)
            scale = float(doc["scale"])
            weights = array("d", (v * scale for v in q))
            if len(weights) != dim:
                raise ValueError("weights do not match dim")
            return cls(
                dim=dim,
                weights=weights,
                bias=float(doc["bias"]),
                threshold=float(doc["threshold"]),
                meta=dict(doc.get("meta", {})),
            )
        except (KeyError, TypeError, ValueError, binascii.Error) as exc:
            raise InternalError(
                f"the scam-language model file is damaged: {exc}",
                code="protect.textmodel.damaged",
            ) from exc

    @classmethod
    def load(
        cls, path: Path | None = None, *, kind: Literal["email", "sms"] = "email"
    ) -> TextModel:
        """The bundled model of ``kind`` (or the one at ``path``)."""
        if path is None:
            blob = resources.files("shieldwall.protect").joinpath("models", MODEL_RESOURCES[kind])
            data = blob.read_bytes()
        else:
            data = path.read_bytes()
        if len(data) > MAX_MODEL_BYTES:
            raise InternalError("the scam-language model file is too large", code="protect.model")
        return cls.from_json(json.loads(gzip.decompress(data)))

    def logit(self, text: str) -> float:
        w = self.weights
        return self.bias + sum(w[i] * v for i, v in hashed(features(mask(text)), self.dim))

    def probability(self, text: str) -> float:
        """The probability that ``text`` is scam language, in [0, 1]."""
        z = max(-30.0, min(30.0, self.logit(text)))
        return 1.0 / (1.0 + math.exp(-z))


def bundled_model(kind: Literal["email", "sms"] = "email") -> TextModel | None:
    """The shipped model of ``kind``, loaded once; ``None`` when the package has no such file."""
    return _bundled(kind)


@functools.cache
def _bundled(kind: Literal["email", "sms"]) -> TextModel | None:
    try:
        return TextModel.load(kind=kind)
    except FileNotFoundError:
        return None
