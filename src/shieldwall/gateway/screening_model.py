"""The shipped misuse screener: hashed n-gram features and a linear model, in pure Python.

``LinearScreener.load()`` reads ``models/screening.json.gz`` (package data, trained by
``scripts/train_screening.py``; see ``models/MODEL_CARD.md``) and implements the
:class:`~shieldwall.gateway.screening.Screener` port. No import-time I/O: nothing is read until
``load()`` is called.

Features (training imports :func:`text_features` from here, so both sides tokenize alike):

* a window of at most :data:`MAX_CHARS` characters is NFKC-normalized, case-folded, every digit
  replaced by ``0``, and cut to :data:`MAX_CHARS` again (normalization can lengthen it);
* words are runs of ``\\w`` characters (any script);
* each word gives itself, and its character 3-, 4- and 5-grams padded with one space each side;
  each pair of adjacent words gives a bigram;
* each feature is hashed with CRC-32 into a signed bucket (``h % dim``, sign from bit 31), counted,
  and the counts are scaled by ``1 / sqrt(number of features)``.

The label head gives softmax probabilities over benign / dual_use / malicious. The label is
``malicious`` when its probability reaches the model's threshold, otherwise the likelier of the
other two; the score is the probability of the label given. A text with no word at all (empty,
whitespace, punctuation only) is ``benign`` with score 0.0: there is nothing to judge. For a
label other than benign, a second head names an ATT&CK tactic (its ``x_mitre_shortname``, e.g.
``command-and-control``), or none.

Long text: a text longer than :data:`MAX_CHARS` is screened in consecutive windows of
:data:`MAX_CHARS` characters, at most :data:`MAX_WINDOWS` of them (64,000 characters), and the
most severe window wins (malicious over dual_use over benign, then the higher score), so a
request behind a full window of padding is still screened on its own. (Shorter padding dilutes
instead, as in any bag of n-grams: see the model card.) Characters past the last window are not
screened: cap free-text fields well below it.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import io
import json
import math
import re
import unicodedata
import zlib
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any

from shieldwall.core.errors import InputError, InternalError
from shieldwall.gateway.screening import Screening

__all__ = [
    "FEATURES_VERSION",
    "LABELS",
    "MAX_CHARS",
    "MAX_WINDOWS",
    "MODEL_FORMAT",
    "LinearScreener",
    "normalize",
    "text_features",
    "words",
]

MAX_CHARS = 8000
"""One screening window: 8,000 characters."""
MAX_WINDOWS = 8
"""At most 8 windows (64,000 characters) of one text are screened; the rest is not."""

MODEL_FORMAT = "shieldwall.screening.linear/1"
FEATURES_VERSION = "crc32-w1-w2-c345-sqrtn/1"
LABELS: tuple[str, ...] = ("benign", "dual_use", "malicious")
MODEL_RESOURCE = "screening.json.gz"
MAX_MODEL_BYTES = 16 * 1024 * 1024

_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")
_CHAR_NGRAMS = (3, 4, 5)
_SIGN_BIT = 1 << 31
_CACHE_WORD_CHARS = 40
_CACHE_ENTRIES = 50_000


def normalize(text: str) -> str:
    """The text as the features see it (see the module docstring)."""
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS]).casefold()
    return _DIGIT.sub("0", text)[:MAX_CHARS]


def words(text: str) -> list[str]:
    return _WORD.findall(normalize(text))


def _hash(key: str) -> int:
    # surrogatepass: a Python str may hold lone surrogates, which strict UTF-8 refuses.
    return zlib.crc32(key.encode("utf-8", "surrogatepass"))


def _word_hashes(word: str) -> list[int]:
    padded = f" {word} "
    out = [_hash("w:" + word)]
    for size in _CHAR_NGRAMS:
        out.extend(_hash(padded[i : i + size]) for i in range(len(padded) - size + 1))
    return out


def _bigram_hashes(tokens: Sequence[str]) -> list[int]:
    return [_hash(f"b:{a} {b}") for a, b in pairwise(tokens)]


def text_features(text: str) -> Counter[int]:
    """Raw 32-bit feature hashes of ``text`` with their counts. Training builds its matrix
    from these; each head takes bucket ``h % dim``, negated when bit 31 of ``h`` is set."""
    tokens = words(text)
    counts: Counter[int] = Counter()
    for word in tokens:
        counts.update(_word_hashes(word))
    counts.update(_bigram_hashes(tokens))
    return counts


@dataclass(frozen=True, slots=True)
class _Head:
    """One linear layer over hashed features: int8 weights, feature-major, one scale per class."""

    classes: tuple[str, ...]
    dim: int
    weights: array[int]
    scale: tuple[float, ...]
    bias: tuple[float, ...]

    def raw_sums(self, hashes: Sequence[int]) -> list[int]:
        """Sum of signed int8 weights per class over ``hashes`` (not yet scaled)."""
        k = len(self.classes)
        weights, dim = self.weights, self.dim
        if k == 3:  # the label head, on every request: unrolled
            s0 = s1 = s2 = 0
            for h in hashes:
                base = (h % dim) * 3
                if h & _SIGN_BIT:
                    s0 -= weights[base]
                    s1 -= weights[base + 1]
                    s2 -= weights[base + 2]
                else:
                    s0 += weights[base]
                    s1 += weights[base + 1]
                    s2 += weights[base + 2]
            return [s0, s1, s2]
        sums = [0] * k
        for h in hashes:
            base = (h % dim) * k
            row = weights[base : base + k]
            if h & _SIGN_BIT:
                sums = [a - b for a, b in zip(sums, row, strict=True)]
            else:
                sums = [a + b for a, b in zip(sums, row, strict=True)]
        return sums

    def probabilities(self, sums: Sequence[int], n_features: int) -> list[float]:
        norm = 1.0 / math.sqrt(n_features)
        logits = [b + s * q * norm for b, s, q in zip(self.bias, self.scale, sums, strict=True)]
        top = max(logits)
        exps = [math.exp(v - top) for v in logits]
        total = sum(exps)
        return [e / total for e in exps]


class LinearScreener:
    """The :class:`~shieldwall.gateway.screening.Screener` shipped with Shieldwall.

    Build it with :meth:`load` (the packaged model, or a file) or :meth:`from_bytes`. It keeps a
    bounded per-word cache; ``screen`` is safe to call from several threads.
    """

    def __init__(
        self,
        *,
        label_head: _Head,
        tactic_head: _Head,
        malicious_threshold: float,
        metadata: dict[str, Any],
    ) -> None:
        self._label = label_head
        self._tactic = tactic_head
        self.malicious_threshold = malicious_threshold
        self.metadata = metadata
        self._label_cache: dict[str, tuple[int, list[int]]] = {}
        self._tactic_cache: dict[str, tuple[int, list[int]]] = {}

    @classmethod
    def load(
        cls, path: Path | None = None, *, malicious_threshold: float | None = None
    ) -> LinearScreener:
        """The model in ``path``, or the one packaged in ``shieldwall/gateway/models``.

        ``malicious_threshold`` overrides the model's own (see the model card for the
        recall / false-refusal trade-off at other thresholds)."""
        if path is None:
            resource = resources.files("shieldwall.gateway").joinpath("models", MODEL_RESOURCE)
            source = f"shieldwall/gateway/models/{MODEL_RESOURCE}"
            try:
                data = resource.read_bytes()
            except OSError as exc:
                raise InternalError(
                    f"the packaged screening model is missing: {exc}",
                    code="gateway.screening_model_missing",
                    location=source,
                    hint="Reinstall Shieldwall, or retrain with scripts/train_screening.py.",
                ) from exc
            return cls.from_bytes(data, source=source, malicious_threshold=malicious_threshold)
        try:
            if path.stat().st_size > MAX_MODEL_BYTES:
                raise InputError(
                    f"the screening model file is larger than {MAX_MODEL_BYTES} bytes",
                    code="gateway.bad_screening_model",
                    location=str(path),
                )
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(
                f"cannot read the screening model: {exc.strerror or exc}",
                code="gateway.screening_model_missing",
                location=str(path),
                hint="Point at a file written by scripts/train_screening.py.",
            ) from exc
        return cls.from_bytes(data, source=str(path), malicious_threshold=malicious_threshold)

    @classmethod
    def from_bytes(
        cls,
        data: bytes,
        *,
        source: str = "<bytes>",
        malicious_threshold: float | None = None,
    ) -> LinearScreener:
        """Parse a model file (gzip-compressed JSON, or plain JSON)."""
        try:
            if data[:2] == b"\x1f\x8b":
                with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
                    data = stream.read(MAX_MODEL_BYTES + 1)
                if len(data) > MAX_MODEL_BYTES:
                    raise ValueError(f"it unpacks to more than {MAX_MODEL_BYTES} bytes")
            doc = json.loads(data)
            if not isinstance(doc, dict):
                raise TypeError("the top level is not an object")
            return cls._from_doc(doc, malicious_threshold)
        except (
            OSError,
            EOFError,
            ValueError,
            TypeError,
            KeyError,
            IndexError,
            binascii.Error,
            zlib.error,
        ) as exc:
            raise InputError(
                f"the screening model is corrupt or of another format: {exc}",
                code="gateway.bad_screening_model",
                location=source,
                hint="Retrain it with scripts/train_screening.py, or reinstall Shieldwall.",
            ) from exc

    @classmethod
    def _from_doc(cls, doc: dict[str, Any], threshold: float | None) -> LinearScreener:
        if doc.get("format") != MODEL_FORMAT:
            raise ValueError(f"format is {doc.get('format')!r}, expected {MODEL_FORMAT!r}")
        features = doc["features"]
        if features.get("version") != FEATURES_VERSION or features.get("max_chars") != MAX_CHARS:
            raise ValueError(f"features {features!r} do not match this code ({FEATURES_VERSION})")
        label_head = _parse_head(doc["label_head"])
        if label_head.classes != LABELS:
            raise ValueError(f"label classes are {label_head.classes}, expected {LABELS}")
        tactic_head = _parse_head(doc["tactic_head"])
        if "none" not in tactic_head.classes:
            raise ValueError("the tactic head has no 'none' class")
        if threshold is None:
            threshold = float(doc["thresholds"]["malicious"])
        if not 0.0 < threshold < 1.0:
            raise ValueError(f"the malicious threshold {threshold} is not in (0, 1)")
        metadata = {k: v for k, v in doc.items() if k not in {"label_head", "tactic_head"}}
        return cls(
            label_head=label_head,
            tactic_head=tactic_head,
            malicious_threshold=threshold,
            metadata=metadata,
        )

    def probabilities(self, text: str) -> dict[str, float]:
        """The label head's probability for each label over the first window (no words: all
        0.0)."""
        tokens = words(text)
        if not tokens:
            return dict.fromkeys(LABELS, 0.0)
        n, sums = self._label_sums(tokens)
        return dict(zip(LABELS, self._label.probabilities(sums, n), strict=True))

    def screen(self, text: str) -> Screening:
        """Label, score and tactic for ``text`` (any string; see the module docstring)."""
        if len(text) <= MAX_CHARS:
            return self._screen_window(text)
        end = min(len(text), MAX_CHARS * MAX_WINDOWS)
        windows = (self._screen_window(text[i : i + MAX_CHARS]) for i in range(0, end, MAX_CHARS))
        return max(windows, key=_severity)

    def _screen_window(self, text: str) -> Screening:
        tokens = words(text)
        if not tokens:
            return Screening(label="benign", score=0.0)
        n, sums = self._label_sums(tokens)
        benign, dual_use, malicious = self._label.probabilities(sums, n)
        if malicious >= self.malicious_threshold:
            label, score = "malicious", malicious
        elif dual_use > benign:
            label, score = "dual_use", dual_use
        else:
            return Screening(label="benign", score=benign)
        return Screening(label=label, score=score, tactic=self._tactic_of(tokens))

    def _label_sums(self, tokens: Sequence[str]) -> tuple[int, list[int]]:
        return self._sums(self._label, self._label_cache, tokens)

    def _tactic_of(self, tokens: Sequence[str]) -> str | None:
        n, sums = self._sums(self._tactic, self._tactic_cache, tokens)
        probs = self._tactic.probabilities(sums, n)
        tactic = self._tactic.classes[max(range(len(probs)), key=probs.__getitem__)]
        return None if tactic == "none" else tactic

    @staticmethod
    def _sums(
        head: _Head, cache: dict[str, tuple[int, list[int]]], tokens: Sequence[str]
    ) -> tuple[int, list[int]]:
        """Feature count and raw class sums over ``tokens``: per-word parts come from a bounded
        cache (words repeat across requests), bigrams are hashed each time."""
        n = 0
        sums = [0] * len(head.classes)
        for word in tokens:
            hit = cache.get(word)
            if hit is None:
                hashes = _word_hashes(word)
                hit = (len(hashes), head.raw_sums(hashes))
                if len(word) <= _CACHE_WORD_CHARS:
                    if len(cache) >= _CACHE_ENTRIES:
                        cache.clear()
                    cache[word] = hit
            n += hit[0]
            sums = [a + b for a, b in zip(sums, hit[1], strict=True)]
        bigrams = _bigram_hashes(tokens)
        sums = [a + b for a, b in zip(sums, head.raw_sums(bigrams), strict=True)]
        return n + len(bigrams), sums


_RANK = {label: rank for rank, label in enumerate(LABELS)}


def _severity(screening: Screening) -> tuple[int, float]:
    return _RANK[screening.label], screening.score


def _parse_head(doc: dict[str, Any]) -> _Head:
    classes = tuple(str(c) for c in doc["classes"])
    dim = int(doc["dim"])
    if not classes or len(set(classes)) != len(classes):
        raise ValueError("a head's classes are empty or repeated")
    if dim <= 0 or dim > 1 << 24:
        raise ValueError(f"a head's dim {dim} is out of range")
    weights = array("b")
    weights.frombytes(base64.b64decode(doc["weights"], validate=True))
    if len(weights) != dim * len(classes):
        raise ValueError(f"a head has {len(weights)} weights, expected {dim * len(classes)}")
    scale = tuple(float(v) for v in doc["scale"])
    bias = tuple(float(v) for v in doc["bias"])
    if len(scale) != len(classes) or len(bias) != len(classes):
        raise ValueError("a head's scale or bias does not match its classes")
    if not all(math.isfinite(v) for v in scale + bias):
        raise ValueError("a head's scale or bias is not finite")
    return _Head(classes=classes, dim=dim, weights=weights, scale=scale, bias=bias)
