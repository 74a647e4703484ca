"""Look-alikes of brand names: exact mentions, misspellings, keyboard slips, look-alike
characters, and letters from other alphabets.

Explanations are for people: :func:`describe_difference` says "the '1' in place of the 'l'
(they look alike)" rather than "edit distance 1".
"""

from __future__ import annotations

import functools
import re
import unicodedata
import weakref
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein, Levenshtein

from shieldwall.protect.brands import BrandRegistry, BrandToken, data_table, data_words

VISUAL_PAIRS = frozenset(
    frozenset(p)
    for p in ("1l", "1i", "0o", "il", "5s", "3e", "4a", "8b", "9g", "6b", "2z", "7t", "uv", "qg")
)
MULTI_CHAR = (("rn", "m"), ("vv", "w"), ("cl", "d"), ("nn", "m"), ("ii", "u"))
_DIGIT_LOOKALIKE = str.maketrans({"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "8": "b"})
_SPLIT = re.compile(r"[-_]+")


@functools.cache
def confusables() -> dict[str, str]:
    """Character -> the Latin letter it imitates (data/confusables.txt)."""
    table: dict[str, str] = {}
    for row in data_table("confusables.txt"):
        if len(row) >= 2 and row[0].startswith("U+"):
            table[chr(int(row[0][2:], 16))] = row[1]
    return table


@functools.cache
def keyboard_neighbours() -> dict[str, frozenset[str]]:
    return {row[0]: frozenset(row[1:]) for row in data_table("keyboard_qwerty.txt")}


def skeleton(text: str) -> str:
    """Map look-alike characters to the Latin letters they imitate (Cyrillic 'a' -> 'a')."""
    table = confusables()
    out: list[str] = []
    for ch in unicodedata.normalize("NFKC", text).casefold():
        if ch in table:
            out.append(table[ch])
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(table.get(base, base))
    return "".join(out)


def script_of(ch: str) -> str:
    """LATIN, CYRILLIC, GREEK, ARMENIAN, COMMON (digits, punctuation) or OTHER."""
    if ch.isascii():
        return "LATIN" if ch.isalpha() else "COMMON"
    try:
        first = unicodedata.name(ch).split()[0]
    except ValueError:
        return "OTHER"
    return first if first in {"LATIN", "CYRILLIC", "GREEK", "ARMENIAN"} else "OTHER"


def describe_difference(seen: str, target: str) -> str:
    """In plain words, how ``seen`` differs from ``target``."""
    for fake, real in MULTI_CHAR:
        if fake in seen and seen.replace(fake, real) == target:
            return f"note the '{fake}', which looks like '{real}'"
    if len(seen) == len(target):
        diffs = [i for i, (a, b) in enumerate(zip(seen, target, strict=True)) if a != b]
        if len(diffs) == 2 and diffs[1] == diffs[0] + 1:
            i = diffs[0]
            if seen[i] == target[i + 1] and seen[i + 1] == target[i]:
                return f"note the letters '{target[i : i + 2]}' swapped to '{seen[i : i + 2]}'"
    parts: list[str] = []
    for op in Levenshtein.editops(seen, target):
        if op.tag == "replace":
            a, b = seen[op.src_pos], target[op.dest_pos]
            text = f"the '{a}' in place of the '{b}'"
            if frozenset((a, b)) in VISUAL_PAIRS:
                text += " (they look alike)"
            elif a in keyboard_neighbours().get(b, frozenset()):
                text += " (next to each other on a keyboard)"
        elif op.tag == "delete":
            text = f"the extra '{seen[op.src_pos]}'"
        else:
            text = f"the missing '{target[op.dest_pos]}'"
        if text not in parts:
            parts.append(text)
    return "note " + " and ".join(parts) if parts else "it is spelled differently"


def _visual_swap(seen: str, target: str) -> bool:
    return len(seen) == len(target) and all(
        a == b or frozenset((a, b)) in VISUAL_PAIRS for a, b in zip(seen, target, strict=True)
    )


class HitKind(StrEnum):
    WHOLE = "whole"  # the brand as a word: paypal-login, uspsdelivery, my-usps1
    EMBEDDED = "embedded"  # a long brand name inside other text: outlookiniciarsesion
    LOOKALIKE = "lookalike"  # a misspelling: paypa1, arnazon, netfiix


@dataclass(frozen=True, slots=True, kw_only=True)
class BrandHit:
    token: BrandToken
    kind: HitKind
    seen: str  # the piece of the name that matched


@functools.cache
def common_words() -> frozenset[str]:
    """Everyday English words and names (zxcvbn's frequency lists, less its password list): a
    name that is a real word ('apply', 'model') is not taken for a misspelt brand."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-untyped]

    lists = ("english_wikipedia", "us_tv_and_film", "surnames", "female_names", "male_names")
    return frozenset(w for name in lists for w in FREQUENCY_LISTS.get(name, ()))


def _plausible_slip(seen: str, target: str) -> bool:
    """Is ``seen`` a typo-squatter's version of ``target``: look-alike or neighbouring keys for
    a changed letter, a doubled, dropped or swapped letter; not a plural or another word."""
    if seen in common_words():
        return False
    if len(seen) == len(target) + 1 and seen.startswith(target) and len(target) < 7:
        return False  # chaser, apples: an ending added to a short name
    for op in Levenshtein.editops(seen, target):
        if op.tag == "replace":
            a, b = seen[op.src_pos], target[op.dest_pos]
            if frozenset((a, b)) not in VISUAL_PAIRS and a not in keyboard_neighbours().get(
                b, frozenset()
            ):
                diffs = [i for i, (x, y) in enumerate(zip(seen, target, strict=False)) if x != y]
                swapped = (
                    len(seen) == len(target)
                    and len(diffs) == 2
                    and seen[diffs[0]] == target[diffs[1]]
                    and seen[diffs[1]] == target[diffs[0]]
                )
                if not swapped:
                    return False
    return True


class BrandMatcher:
    """A registry's brand names, prepared for fast look-ups in host names."""

    def __init__(self, registry: BrandRegistry) -> None:
        self.lure = data_words("lure_words.txt")
        self.tokens: dict[str, BrandToken] = {
            t.token: t for t in registry.tokens if len(t.token) >= 2 and t.token not in self.lure
        }
        self._long_lure = tuple(sorted((w for w in self.lure if len(w) >= 4), key=len))
        plain = [w.replace("-", "") for w in self.lure]
        self._fillers = frozenset(plain) | frozenset(a + b for a in plain for b in plain)
        self._fuzzy = tuple(t for t, v in self.tokens.items() if v.distinctive and len(t) >= 5)
        self._scan = tuple((t, v) for t, v in self.tokens.items() if len(t) >= 4)

    def _filler(self, text: str) -> bool:
        """Text a phisher glues to a brand: nothing, digits, or one or two lure words with
        digits after them ('secure', 'securelogin2')."""
        core = text.rstrip("0123456789")
        return not core or core in self._fillers

    def lure_in(self, text: str, *, besides: str = "") -> list[str]:
        """Lure words in a host name, not counting ``besides`` (the brand already found)."""
        rest = text.replace(besides, " ") if besides else text
        parts = [p for p in re.split(r"[-_. ]+", rest) if p]
        found = [p for p in parts if p in self.lure]
        found += [w for w in self._long_lure if w not in found and any(w in p for p in parts)]
        return found

    def hits(self, label: str) -> list[BrandHit]:
        """Brand names in one DNS label, exactly or as look-alikes; one hit per brand."""
        if label.startswith("xn--"):
            return []
        parts = [p for p in _SPLIT.split(label) if p]
        pieces = list(dict.fromkeys([*parts, "".join(parts)]))
        hits: dict[str, BrandHit] = {}
        for piece in pieces:
            tok = self.tokens.get(piece)
            if tok is not None:
                hits.setdefault(tok.brand, BrandHit(token=tok, kind=HitKind.WHOLE, seen=piece))
                continue
            for bt, tok in self._scan:
                start = piece.find(bt)
                if start == -1:
                    continue
                before, after = piece[:start], piece[start + len(bt) :]
                if self._filler(before) and self._filler(after):
                    kind = HitKind.WHOLE
                elif len(bt) >= 7 and tok.distinctive:
                    kind = HitKind.EMBEDDED
                else:
                    continue
                hits.setdefault(tok.brand, BrandHit(token=tok, kind=kind, seen=bt))
        for cand in self._candidates(pieces):
            hit = self._lookalike(cand)
            if hit is not None:
                hits.setdefault(hit.token.brand, hit)
        return list(hits.values())

    def _candidates(self, pieces: list[str]) -> set[str]:
        """Each piece, and each piece less a lure word or digits before or after it."""
        out: set[str] = set()
        for piece in pieces:
            out.add(piece)
            for i in range(1, len(piece)):
                head, tail = piece[:i], piece[i:]
                if self._filler(tail):
                    out.add(head)
                if self._filler(head):
                    out.add(tail)
        return {c for c in out if len(c) >= 4 and c not in self.tokens and c not in self.lure}

    def _lookalike(self, cand: str) -> BrandHit | None:
        folded = cand
        for fake, real in MULTI_CHAR:
            folded = folded.replace(fake, real)
        for alt in (folded, cand.translate(_DIGIT_LOOKALIKE)):
            tok = self.tokens.get(alt)
            if tok is not None and tok.distinctive and alt != cand:
                return BrandHit(token=tok, kind=HitKind.LOOKALIKE, seen=cand)
        best: tuple[int, int, str] | None = None
        for choice, dist, _ in process.extract(
            cand, self._fuzzy, scorer=DamerauLevenshtein.distance, score_cutoff=2, limit=None
        ):
            if dist == 0 or (dist == 2 and len(choice) < 10):
                continue
            if len(cand) < len(choice) and len(cand) < 6:
                continue  # a dropped letter in a short name is too often another word
            if not _plausible_slip(cand, choice):
                continue
            rank = (int(dist), 0 if _visual_swap(cand, choice) else 1, choice)
            best = rank if best is None or rank < best else best
        if best is None:
            return None
        return BrandHit(token=self.tokens[best[2]], kind=HitKind.LOOKALIKE, seen=cand)


_MATCHERS: weakref.WeakKeyDictionary[BrandRegistry, BrandMatcher] = weakref.WeakKeyDictionary()


def matcher_for(registry: BrandRegistry) -> BrandMatcher:
    m = _MATCHERS.get(registry)
    if m is None:
        m = _MATCHERS[registry] = BrandMatcher(registry)
    return m
