from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shieldwall.core.errors import ParseError
from shieldwall.vuln.inventory import (
    NOT_PINNED,
    Ecosystem,
    parse_manifest,
    parse_package_lock,
    parse_requirements,
)

REQS = """\
# a comment
Django==3.1.9 \\
    --hash=sha256:0123abcd
requests[socks,security]==2.25.0 ; python_version >= "3.6"  # trailing comment
flask>=2.0
-r more/dev.txt
-c constraints.txt
--index-url https://pypi.org/simple
urllib3
-e ./local
"""


def _files() -> dict[str, str]:
    return {
        "req.txt": REQS,
        "more/dev.txt": "Pillow==8.0.0\n-r ../req.txt\n",
        "constraints.txt": "urllib3==1.26.4\nnotrequired==1.0\n",
    }


def test_requirements_pins_hashes_extras_markers_includes() -> None:
    inv = parse_requirements("req.txt", _files())
    by = {d.name: d for d in inv.dependencies}
    assert by["django"].version == "3.1.9"
    assert by["django"].location == "req.txt:2"
    assert by["django"].purl == "pkg:pypi/django@3.1.9"
    assert by["requests"].version == "2.25.0"
    assert by["requests"].marker == 'python_version >= "3.6"'
    assert by["pillow"].location == "more/dev.txt:1"
    assert by["urllib3"].version == "1.26.4"  # pinned by the constraints file
    assert "notrequired" not in by  # constraints do not add requirements
    assert by["flask"].version is None
    assert by["flask"].skip_reason == NOT_PINNED
    assert by["./local"].skip_reason == "an editable install, cannot be checked"
    assert inv.files == ["req.txt", "more/dev.txt", "constraints.txt"]


def test_unpinned_requirements_are_reported_not_dropped() -> None:
    inv = parse_requirements("r.txt", {"r.txt": "a\nb>=1\nc==1.*\nd==2\n"})
    assert [(d.name, d.skip_reason) for d in inv.skipped] == [
        ("a", NOT_PINNED),
        ("b", NOT_PINNED),
        ("c", NOT_PINNED),
    ]
    assert [d.name for d in inv.checkable] == ["d"]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("ok==1\nthis is not a requirement==\n", "r.txt:2"),
        ("ok==1 --hash=nothex\n", "r.txt:1"),
        ("--bogus-option x\n", "r.txt:1"),
        ("ok==1\n-r missing.txt\n", "r.txt:2"),
    ],
)
def test_malformed_requirements_give_file_and_line(text: str, where: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_requirements("r.txt", {"r.txt": text})
    assert info.value.location == where


LOCK_V3 = {
    "name": "x",
    "lockfileVersion": 3,
    "packages": {
        "": {"name": "x", "dependencies": {"lodash": "4.17.11"}},
        "node_modules/lodash": {"version": "4.17.11"},
        "node_modules/@babel/core": {"version": "7.0.0"},
        "node_modules/a/node_modules/lodash": {"version": "4.17.20"},
        "node_modules/alias": {"name": "real", "version": "1.0.0"},
        "node_modules/ws": {"link": True, "resolved": "packages/ws"},
        "node_modules/gitdep": {"version": "git+https://example.org/x.git#abc"},
    },
}


def test_package_lock_v3() -> None:
    inv = parse_package_lock("package-lock.json", json.dumps(LOCK_V3, indent=1))
    got = {(d.name, d.version) for d in inv.dependencies}
    assert got == {
        ("lodash", "4.17.11"),
        ("@babel/core", "7.0.0"),
        ("lodash", "4.17.20"),
        ("real", "1.0.0"),
        ("gitdep", None),
    }
    babel = next(d for d in inv.dependencies if d.name == "@babel/core")
    assert babel.purl == "pkg:npm/%40babel/core@7.0.0"
    assert babel.ecosystem is Ecosystem.NPM


def test_package_lock_v1_nested() -> None:
    doc = {
        "lockfileVersion": 1,
        "dependencies": {
            "a": {"version": "1.0.0", "dependencies": {"b": {"version": "2.0.0"}}},
            "c": {"version": "npm:d@3.0.0"},
        },
    }
    inv = parse_manifest("package-lock.json", {"package-lock.json": json.dumps(doc)})
    assert {(d.name, d.version) for d in inv.dependencies} == {
        ("a", "1.0.0"),
        ("b", "2.0.0"),
        ("d", "3.0.0"),
    }


def test_package_lock_errors_have_lines() -> None:
    with pytest.raises(ParseError) as info:
        parse_package_lock("p.json", '{\n "lockfileVersion": 3,\n "packages": {\n  "x": ]\n}')
    assert info.value.location == "p.json:4"
    with pytest.raises(ParseError) as info:
        parse_package_lock("p.json", '{"lockfileVersion": 3,\n"packages": {"node_modules/a": {}}}')
    assert info.value.location == "p.json:2"


def _error_location(parse: Callable[[], object]) -> str | None:
    """None when it parses; the error's location (never None) when it raises ParseError."""
    try:
        parse()
    except ParseError as exc:
        return exc.location or "<no location>"
    return None


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_requirements_parser_never_crashes(text: str) -> None:
    where = _error_location(lambda: parse_requirements("r.txt", {"r.txt": text}))
    assert where is None or where.startswith("r.txt:")


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=10),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(
                    st.sampled_from(
                        ["lockfileVersion", "packages", "dependencies", "version", "node_modules/a"]
                    )
                    | st.text(max_size=8),
                    inner,
                    max_size=4,
                )
            ),
            max_leaves=20,
        ).map(json.dumps),
    )
)
def test_package_lock_parser_never_crashes(text: str) -> None:
    where = _error_location(lambda: parse_package_lock("p.json", text))
    assert where is None or where.startswith("p.json:")
