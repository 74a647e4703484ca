"""Version orderings per ecosystem and npm ranges (node-semver itself is the oracle when npm
is installed on this machine)."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shieldwall.vuln.npm_range import NpmRange
from shieldwall.vuln.semver import SemVer
from shieldwall.vuln.versions import (
    ComposerVersion,
    GemVersion,
    InvalidVersionError,
    is_prerelease,
    parse_version,
    php_version_compare,
)


@pytest.mark.parametrize(
    ("a", "b"),
    [  # from RubyGems' own test_gem_version.rb
        ("1.0.a", "1.0"),
        ("1.0.a", "1.0.b"),
        ("1.0.b1", "1.0.b2"),
        ("1.8.a", "1.8.0"),
        ("1.9.1", "1.10"),
        ("0.9", "1.0.pre"),
        ("1.0.0-rc1", "1.0.0"),
        ("5.a", "5.0.0.rc2"),
        ("2.9.b", "2.9"),
    ],
)
def test_gem_order(a: str, b: str) -> None:
    assert GemVersion.parse(a) < GemVersion.parse(b)
    assert not GemVersion.parse(b) < GemVersion.parse(a)


@pytest.mark.parametrize(("a", "b"), [("1.0", "1"), ("1.0.0", "1"), ("1.0.a", "1.a"), ("", "0")])
def test_gem_equal(a: str, b: str) -> None:
    assert GemVersion.parse(a) == GemVersion.parse(b)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [  # PHP's version_compare, as documented and tested in php-src
        ("1.0", "1.0.0", -1),
        ("1.0rc1", "1.0", -1),
        ("1.0", "1.0pl1", -1),
        ("1.0-dev", "1.0-alpha", -1),
        ("1.0-alpha", "1.0-beta", -1),
        ("1.0-beta", "1.0-RC1", -1),
        ("1.0-RC1", "1.0", -1),
        ("1.10", "1.9", 1),
        ("5.2", "5.2", 0),
    ],
)
def test_php_version_compare(a: str, b: str, expected: int) -> None:
    assert php_version_compare(a, b) == expected
    assert php_version_compare(b, a) == -expected


def test_composer_normalizes_before_comparing() -> None:
    c = ComposerVersion.parse
    assert c("v1.2") == c("1.2.0.0")
    assert c("2.0.0-beta1") < c("2.0.0-RC1") < c("2.0.0")
    assert c("1.2.3.4") < c("1.2.3.5")
    with pytest.raises(InvalidVersionError):
        c("dev-main")


def test_go_and_cargo_use_semver() -> None:
    assert parse_version("Go", "v1.2.3") == parse_version("Go", "1.2.3")
    pseudo = parse_version("Go", "v0.0.0-20200101000000-abcdef123456")
    assert pseudo < parse_version("Go", "v0.0.1")
    assert parse_version("Go", "v2.0.0+incompatible") == parse_version("Go", "2.0.0")
    assert parse_version("crates.io", "1.0.0-alpha") < parse_version("crates.io", "1.0.0")
    with pytest.raises(InvalidVersionError):
        parse_version("Maven", "1.0")


def test_prereleases() -> None:
    assert is_prerelease(parse_version("PyPI", "2.8.3rc1"))
    assert not is_prerelease(parse_version("PyPI", "2.8.3.post1"))
    assert is_prerelease(parse_version("RubyGems", "1.0.pre"))
    assert is_prerelease(parse_version("Packagist", "1.0-beta2"))
    assert not is_prerelease(parse_version("npm", "1.0.0"))


_PART = st.integers(0, 12)
_GEM_SEG = st.one_of(_PART.map(str), st.sampled_from(["a", "b", "pre", "rc"]))


@given(st.lists(st.lists(_GEM_SEG, min_size=1, max_size=4).map(".".join), min_size=3, max_size=3))
def test_gem_order_is_a_total_order(texts: list[str]) -> None:
    texts = [t for t in texts if t[0].isdigit()]
    vs = [GemVersion.parse(t) for t in texts]
    for x in vs:
        assert not x < x
        for y in vs:
            assert (x < y) + (y < x) + (x == y) == 1
            for z in vs:
                if x < y and y < z:
                    assert x < z


_COMPOSER = st.builds(
    lambda nums, suffix: ".".join(map(str, nums)) + suffix,
    st.lists(_PART, min_size=1, max_size=4),
    st.sampled_from(["", "-dev", "-alpha1", "-beta2", "-RC1", "-p1", "-stable"]),
)


@given(st.lists(_COMPOSER, min_size=3, max_size=3))
def test_composer_order_is_a_total_order(texts: list[str]) -> None:
    vs = [ComposerVersion.parse(t) for t in texts]
    for x in vs:
        for y in vs:
            assert (x < y) + (y < x) + (x == y) == 1
            for z in vs:
                if x < y and y < z:
                    assert x < z


@given(st.text(max_size=30))
def test_every_ecosystem_refuses_garbage_cleanly(text: str) -> None:
    codes = set()
    for eco in ("PyPI", "npm", "Go", "crates.io", "RubyGems", "Packagist"):
        try:
            parse_version(eco, text)
        except InvalidVersionError as exc:
            codes.add(exc.code)
    assert codes <= {"vuln.version.invalid"}


# -- npm ranges: node-semver as the oracle ---------------------------------------------------

_NPM_SEMVER = [
    Path("/usr/lib/node_modules/npm/node_modules/semver"),
    Path("/usr/local/lib/node_modules/npm/node_modules/semver"),
]


def _random_range(rng: random.Random) -> str:
    def ver(partial: bool = True) -> str:
        n = rng.choice([1, 2, 3, 3, 3]) if partial else 3
        parts = [str(rng.randint(0, 3)) for _ in range(n)]
        if partial and rng.random() < 0.1:
            parts[-1] = rng.choice(["x", "*"])
        text = ".".join(parts)
        if n == 3 and "x" not in text and "*" not in text and rng.random() < 0.15:
            text += "-" + rng.choice(["alpha", "beta.1", "rc.2", "0"])
        return text

    def comp() -> str:
        op = rng.choice(["", "^", "~", ">=", "<=", ">", "<", "="])
        return op + ver()

    sets = []
    for _ in range(rng.choice([1, 1, 2])):
        if rng.random() < 0.15:
            sets.append(f"{ver()} - {ver()}")
        else:
            sets.append(" ".join(comp() for _ in range(rng.choice([1, 1, 2]))))
    return " || ".join(sets)


def _random_version(rng: random.Random) -> str:
    v = ".".join(str(rng.randint(0, 4)) for _ in range(3))
    if rng.random() < 0.2:
        v += "-" + rng.choice(["alpha", "beta.1", "rc.2", "0", "beta.11"])
    return v


def test_npm_ranges_agree_with_node_semver() -> None:
    module = next((p for p in _NPM_SEMVER if p.is_dir()), None)
    node = shutil.which("node")
    if module is None or node is None:
        pytest.skip("node and npm's bundled semver are not installed here")
    rng = random.Random(20261127)  # noqa: S311 - a fixed test corpus, not a secret
    pairs = [(_random_range(rng), _random_version(rng)) for _ in range(3000)]
    script = (
        f"const s=require({json.dumps(str(module))});"
        "const pairs=JSON.parse(require('fs').readFileSync(0,'utf8'));"
        "console.log(JSON.stringify(pairs.map(([r,v])=>{try{return s.satisfies(v,r)}"
        "catch(e){return null}})));"
    )
    done = subprocess.run(
        [node, "-e", script], input=json.dumps(pairs), capture_output=True, text=True, check=True
    )
    expected = json.loads(done.stdout)
    wrong = [
        (r, v, want)
        for (r, v), want in zip(pairs, expected, strict=True)
        if want is not None and NpmRange.parse(r).satisfied_by(SemVer.parse(v)) != want
    ]
    assert wrong == []
