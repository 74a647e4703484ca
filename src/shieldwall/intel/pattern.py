"""STIX 2.1 patterning: a small hand-written parser that checks a pattern's syntax and lists
its comparisons.

It follows the OASIS grammar (STIXPattern.g4, STIX 2.1 part 9) and the extra checks of the
reference validator (no qualifier of one kind twice on one observation, well-formed hash
values). The ``stix2-patterns`` ANTLR validator is its oracle in the tests; this one is about
fifteen times faster, which matters on the intake path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shieldwall.core.errors import InputError

MAX_PATTERN = 64 * 1024
MAX_DEPTH = 64

# The grammar's WS: ASCII blanks, NEL, NBSP and the Unicode space separators it lists.
_WS = "\t\n\r\x0b\x0c\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000 "
_B64 = "[A-Za-z0-9+/]"
_TOKENS: list[tuple[str, str]] = [
    ("WS", f"[{_WS}]+"),
    ("COMMENT", r"/\*.*?\*/"),
    ("LINE_COMMENT", r"//[^\r\n]*"),
    (
        "TIMESTAMP",
        r"t'[0-9]{4}-(?:0[1-9]|1[012])-(?:0[1-9]|[12][0-9]|3[01])T(?:[01][0-9]|2[0-3])"
        r":[0-5][0-9]:(?:[0-5][0-9]|60)(?:\.[0-9]+)?Z'",
    ),
    ("HEX", r"h'(?:[0-9A-Fa-f]{2})*'"),
    ("BINARY", rf"b'(?:{_B64}{{4}})*(?:{_B64}{{4}}|{_B64}{{3}}=|{_B64}{{2}}==)'"),
    ("STRING", r"'(?:[^'\\]|\\'|\\\\)*'"),
    ("FLOAT", r"[+-]?[0-9]*\.[0-9]+"),
    ("INT", r"[+-]?(?:0|[1-9][0-9]*)"),
    ("IDENT", r"[a-zA-Z_][a-zA-Z0-9_-]*"),
    ("OP", r"==|!=|<>|<=|>=|=|<|>"),
    ("PUNCT", r"[:.,()\[\]*]"),
]
_LEX = re.compile("|".join(f"(?P<{name}>{rx})" for name, rx in _TOKENS), re.DOTALL)
_KEYWORDS = frozenset(
    {
        "AND", "OR", "NOT", "FOLLOWEDBY", "LIKE", "MATCHES", "ISSUPERSET", "ISSUBSET",
        "EXISTS", "LAST", "IN", "START", "STOP", "SECONDS", "WITHIN", "REPEATS", "TIMES",
    }
)  # fmt: skip
_ORDERABLE = frozenset({"INT", "FLOAT", "STRING", "BINARY", "HEX", "TIMESTAMP"})
# Hash values by algorithm, as the reference validator checks them (MD6 keeps its odd form).
_HASHES = {
    "MD5": r"^[a-fA-F0-9]{32}$",
    "MD6": r"^[a-fA-F0-9]{32}|[a-fA-F0-9]{40}|[a-fA-F0-9]{56}|    [a-fA-F0-9]{64}|"
    r"[a-fA-F0-9]{96}|[a-fA-F0-9]{128}$",
    "RIPEMD160": r"^[a-fA-F0-9]{40}$",
    "SHA1": r"^[a-fA-F0-9]{40}$",
    "SHA224": r"^[a-fA-F0-9]{56}$",
    "SHA256": r"^[a-fA-F0-9]{64}$",
    "SHA384": r"^[a-fA-F0-9]{96}$",
    "SHA512": r"^[a-fA-F0-9]{128}$",
    "SHA3224": r"^[a-fA-F0-9]{56}$",
    "SHA3256": r"^[a-fA-F0-9]{64}$",
    "SHA3384": r"^[a-fA-F0-9]{96}$",
    "SHA3512": r"^[a-fA-F0-9]{128}$",
    "SSDEEP": r"^[a-zA-Z0-9/+:.]{1,128}$",
    "WHIRLPOOL": r"^[a-fA-F0-9]{128}$",
}
_HASH_RX = {k: re.compile(v) for k, v in _HASHES.items()}


@dataclass(frozen=True, slots=True, kw_only=True)
class Comparison:
    """One comparison of a pattern: ``object_type:path op value`` (value as written, unquoted
    for strings)."""

    object_type: str
    path: tuple[str, ...]
    op: str
    value: str
    negated: bool = False


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str
    text: str
    at: int


def _bad(message: str, at: int) -> InputError:
    return InputError(
        f"the STIX pattern is not valid: {message}",
        code="intel.bad_pattern",
        location=f"pattern:{at}",
        hint="See STIX 2.1 part 9 (patterning); e.g. [ipv4-addr:value = '198.51.100.1']",
    )


def tokens(text: str) -> list[tuple[str, str]]:
    """The pattern's tokens as (kind, text), ending with ("EOF", ""): what a caller needs to
    tell which operators a pattern uses (the retro-hunt hunts only = and IN). InputError when
    the text does not lex."""
    return [(t.kind, t.text) for t in _lex(text)]


def _lex(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    pos = 0
    n = len(text)
    while pos < n:
        m = _LEX.match(text, pos)
        if m is None or m.end() == pos:
            raise _bad(f"unexpected character {text[pos]!r}", pos)
        kind = m.lastgroup or ""
        if kind not in ("WS", "COMMENT", "LINE_COMMENT"):
            word = m.group()
            if kind == "IDENT" and word in _KEYWORDS:
                kind = word
            elif kind == "IDENT" and word in ("true", "false"):
                kind = "BOOL"
            elif kind in ("OP", "PUNCT"):
                kind = word
            out.append(_Tok(kind, word, pos))
        pos = m.end()
    out.append(_Tok("EOF", "", n))
    return out


def _unquote(text: str) -> str:
    return text[1:-1].replace("\\'", "'").replace("\\\\", "\\")


class _Parser:
    def __init__(self, tokens: list[_Tok]) -> None:
        self.toks = tokens
        self.i = 0
        self.depth = 0
        self.found: list[Comparison] = []

    @property
    def tok(self) -> _Tok:
        return self.toks[self.i]

    def take(self, *kinds: str) -> _Tok:
        tok = self.tok
        if tok.kind not in kinds:
            want = " or ".join(kinds)
            raise _bad(f"expected {want}, found {tok.text or 'the end'!r}", tok.at)
        self.i += 1
        return tok

    def nest(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _bad("nested too deeply", self.tok.at)

    # pattern := observations EOF
    def pattern(self) -> list[Comparison]:
        self.observations()
        self.take("EOF")
        return self.found

    def observations(self) -> None:
        self.obs_or()
        while self.tok.kind == "FOLLOWEDBY":
            self.i += 1
            self.obs_or()

    def obs_or(self) -> None:
        self.obs_and()
        while self.tok.kind == "OR":
            self.i += 1
            self.obs_and()

    def obs_and(self) -> None:
        self.observation()
        while self.tok.kind == "AND":
            self.i += 1
            self.observation()

    def observation(self) -> None:
        self.nest()
        simple = self.tok.kind == "["
        if simple:
            self.i += 1
            self.comparison()
            self.take("]")
        else:
            self.take("(", "[")
            self.observations()
            self.take(")")
        seen: set[str] = set()
        while self.tok.kind in ("START", "WITHIN", "REPEATS"):
            kind = self.tok.kind
            if simple and kind in seen:
                raise _bad(f"a second {kind} qualifier on one observation", self.tok.at)
            seen.add(kind)
            self.i += 1
            if kind == "START":
                self.take("TIMESTAMP")
                self.take("STOP")
                self.take("TIMESTAMP")
            elif kind == "WITHIN":
                num = self.take("INT", "FLOAT")
                if num.text.startswith("-"):
                    raise _bad("WITHIN needs a positive number", num.at)
                self.take("SECONDS")
            else:
                num = self.take("INT")
                if num.text.startswith("-"):
                    raise _bad("REPEATS needs a positive integer", num.at)
                self.take("TIMES")
        self.depth -= 1

    def comparison(self) -> None:
        self.cmp_and()
        while self.tok.kind == "OR":
            self.i += 1
            self.cmp_and()

    def cmp_and(self) -> None:
        self.prop_test()
        while self.tok.kind == "AND":
            self.i += 1
            self.prop_test()

    def prop_test(self) -> None:
        tok = self.tok
        if tok.kind == "(":
            self.nest()
            self.i += 1
            self.comparison()
            self.take(")")
            self.depth -= 1
            return
        if tok.kind == "EXISTS":
            self.i += 1
            kind, path = self.object_path()
            self.found.append(Comparison(object_type=kind, path=path, op="EXISTS", value=""))
            return
        kind, path = self.object_path()
        negated = self.tok.kind == "NOT"
        if negated:
            self.i += 1
        op = self.tok
        if op.kind in ("=", "==", "!=", "<>"):
            self.i += 1
            value = self.take(*_ORDERABLE, "BOOL")
        elif op.kind in ("<", "<=", ">", ">="):
            self.i += 1
            value = self.take(*_ORDERABLE)
        elif op.kind == "IN":
            self.i += 1
            self.take("(")
            items: list[str] = []
            if self.tok.kind != ")":
                items.append(self.take(*_ORDERABLE, "BOOL").text)
                while self.tok.kind == ",":
                    self.i += 1
                    items.append(self.take(*_ORDERABLE, "BOOL").text)
            self.take(")")
            # The reference validator checks a hash against the set's text: never a hash.
            self._check_hash(path, "(" + ",".join(items) + ")", op.at)
            for item in items:
                self._record(kind, path, "IN", item, negated)
            return
        elif op.kind in ("LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET"):
            self.i += 1
            value = self.take("STRING")
        else:
            raise _bad(f"expected a comparison operator, found {op.text or 'the end'!r}", op.at)
        self._check_hash(path, value.text, value.at)
        self._record(kind, path, op.kind, value.text, negated)

    @staticmethod
    def _check_hash(path: tuple[str, ...], raw: str, at: int) -> None:
        """As the reference validator: a value compared with ``hashes.ALGO`` must look like
        that algorithm's hash (whatever the operator)."""
        if "hashes" not in path or path[-1] == "*":
            return
        rx = _HASH_RX.get(path[-1].upper().replace("-", "").replace("'", ""))
        if rx is not None and not rx.match(raw.replace("'", "")):
            raise _bad(f"{raw} is not a valid {path[-1]} hash", at)

    def _record(self, kind: str, path: tuple[str, ...], op: str, raw: str, negated: bool) -> None:
        value = _unquote(raw) if raw.startswith("'") else raw
        self.found.append(
            Comparison(object_type=kind, path=path, op=op, value=value, negated=negated)
        )

    def object_path(self) -> tuple[str, tuple[str, ...]]:
        kind = self.take("IDENT").text
        self.take(":")
        first = self.take("IDENT", "STRING")
        if first.kind == "IDENT" and "-" in first.text:
            raise _bad(f"{first.text!r}: a property name has no hyphen (quote it)", first.at)
        path = [_unquote(first.text) if first.kind == "STRING" else first.text]
        while self.tok.kind in (".", "["):
            if self.tok.kind == ".":
                self.i += 1
                step = self.take("IDENT", "STRING")
                if step.kind == "IDENT" and "-" in step.text:
                    raise _bad(f"{step.text!r}: a property name has no hyphen", step.at)
                path.append(_unquote(step.text) if step.kind == "STRING" else step.text)
            else:
                self.i += 1
                index = self.take("INT", "*")
                if index.text.startswith("-"):
                    raise _bad("a list index cannot be negative", index.at)
                path.append(index.text)
                self.take("]")
        return kind, tuple(path)


def parse_pattern(text: str) -> list[Comparison]:
    """The comparisons of a valid STIX 2.1 pattern; InputError (with the offset) otherwise."""
    if len(text) > MAX_PATTERN:
        raise _bad(f"longer than {MAX_PATTERN} characters", 0)
    # As the reference validator: the first character past any "(" and spaces must be "[".
    head = next((c for c in text if c != "(" and not c.isspace()), "")
    if head != "[":
        raise _bad("the pattern must start with an observation in square brackets", 0)
    return _Parser(_lex(text)).pattern()


def observable_values(comparisons: list[Comparison]) -> set[str]:
    """The observable values a pattern asserts equal (``=`` / ``IN``, not negated), normalized
    for lookup: lower-cased."""
    return {
        c.value.lower()
        for c in comparisons
        if c.op in ("=", "==", "IN") and not c.negated and c.value and len(c.value) <= 512
    }
