from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shieldwall.core.errors import InputError
from shieldwall.store import open_store
from shieldwall.vuln.inventory import parse_manifest
from shieldwall.vuln.osv import AdvisoryDB, Range, parse_record, range_affects, scan_inventory
from shieldwall.vuln.semver import SemVer


class FakeClock:
    def now(self) -> datetime:
        return datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def rec(rid: str, name: str, eco: str = "PyPI", **extra: Any) -> dict[str, Any]:
    affected = {"package": {"ecosystem": eco, "name": name}}
    affected.update(extra.pop("affected", {}))
    return {"id": rid, "modified": "2024-01-01T00:00:00Z", "affected": [affected], **extra}


def events(*pairs: tuple[str, str]) -> dict[str, Any]:
    return {"ranges": [{"type": "ECOSYSTEM", "events": [{k: v} for k, v in pairs]}]}


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("0.9", True),
        ("1.0", False),  # fixed
        ("1.5", True),  # re-introduced
        ("2.0", True),  # last_affected is inclusive
        ("2.0.1", False),
        ("1.5rc1", False),  # PEP 440: 1.5rc1 < 1.5
    ],
)
def test_pep440_range(version: str, expected: bool) -> None:
    from packaging.version import Version

    rng = Range(
        type="ECOSYSTEM",
        events=(
            ("introduced", "0"),
            ("fixed", "1.0"),
            ("introduced", "1.5"),
            ("last_affected", "2.0"),
        ),
    )
    assert range_affects("PyPI", rng, Version(version)).affected is expected


def test_limit_caps_the_range() -> None:
    rng = Range(type="SEMVER", events=(("introduced", "0"), ("limit", "2.0.0")))
    assert range_affects("npm", rng, SemVer.parse("1.9.9")).affected
    assert not range_affects("npm", rng, SemVer.parse("2.0.0")).affected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("1.0.0-alpha", "1.0.0-alpha.1"),
        ("1.0.0-alpha.1", "1.0.0-alpha.beta"),
        ("1.0.0-beta.2", "1.0.0-beta.11"),
        ("1.0.0-rc.1", "1.0.0"),
        ("1.9.0", "1.10.0"),
    ],
)
def test_semver_precedence(a: str, b: str) -> None:
    assert SemVer.parse(a) < SemVer.parse(b)


@given(st.tuples(*[st.integers(0, 50)] * 3), st.tuples(*[st.integers(0, 50)] * 3))
def test_semver_orders_like_tuples(x: tuple[int, int, int], y: tuple[int, int, int]) -> None:
    sx, sy = SemVer.parse("{}.{}.{}".format(*x)), SemVer.parse("{}.{}.{}".format(*y))
    assert (sx < sy) == (x < y)
    assert (sx == sy) == (x == y)


def _zip(path: Path, records: list[dict[str, Any]], extra: dict[str, str] | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for r in records:
            zf.writestr(f"{r['id']}.json", json.dumps(r))
        for name, text in (extra or {}).items():
            zf.writestr(name, text)
    return path


@pytest.fixture
def db(tmp_path: Path) -> AdvisoryDB:
    return AdvisoryDB(open_store(f"sqlite:///{tmp_path / 'sw.db'}"), clock=FakeClock())


def test_import_and_scan_merges_aliases_and_skips_withdrawn(db: AdvisoryDB, tmp_path: Path) -> None:
    records = [
        rec(
            "PYSEC-1",
            "Foo_Bar",
            aliases=["CVE-1"],
            affected=events(("introduced", "0"), ("fixed", "2.0")),
        ),
        rec(
            "PYSEC-2",
            "foo-bar",
            aliases=["CVE-1"],
            affected=events(("introduced", "1.0"), ("fixed", "1.9")),
        ),
        rec(
            "PYSEC-3",
            "foo.bar",
            withdrawn="2024-02-01T00:00:00Z",
            affected=events(("introduced", "0")),
        ),
        rec("PYSEC-4", "foo-bar", affected={"versions": ["1.5.0"]}),  # 1.5 == 1.5.0 in PEP 440
        rec("PYSEC-5", "other", affected=events(("introduced", "0"))),
    ]
    report = db.import_zip(
        _zip(tmp_path / "PyPI.zip", records, {"bad.json": "{not json", "noid.json": "{}"})
    )
    assert (report.ecosystem, report.records, report.withdrawn, report.failed) == ("PyPI", 5, 1, 2)
    [status] = db.status()
    assert status["records"] == 5
    assert status["imported_at"] == "2026-01-02T03:04:05+00:00"
    inv = parse_manifest("r.txt", {"r.txt": "FOO.bar==1.5\nclean==1.0\n"})
    result = scan_inventory(inv, db)
    foo = result["dependencies"][0]
    assert [(v["id"], v["aliases"], v["fixed_in"]) for v in foo["vulns"]] == [
        ("PYSEC-1", ["CVE-1", "PYSEC-2"], ["1.9", "2.0"]),
        ("PYSEC-4", [], []),
    ]
    assert result["dependencies"][1]["vulns"] == []
    assert result["errors"] == []


def test_scan_with_an_empty_database_is_an_error(db: AdvisoryDB) -> None:
    inv = parse_manifest("r.txt", {"r.txt": "foo==1.0\n"})
    with pytest.raises(InputError) as info:
        scan_inventory(inv, db)
    assert info.value.code == "vuln.db.empty"


def test_unparseable_range_falls_back_to_versions_and_warns(db: AdvisoryDB, tmp_path: Path) -> None:
    bad = rec(
        "PYSEC-9",
        "foo",
        affected={**events(("introduced", "0"), ("fixed", "0.2.0-n653")), "versions": ["0.1"]},
    )
    db.import_zip(_zip(tmp_path / "PyPI.zip", [bad]))
    result = scan_inventory(parse_manifest("r.txt", {"r.txt": "foo==0.1\n"}), db)
    assert [v["id"] for v in result["dependencies"][0]["vulns"]] == ["PYSEC-9"]
    assert len(result["warnings"]) == 1
    assert "PYSEC-9" in result["warnings"][0]


def test_a_version_that_cannot_be_ordered_is_an_error_not_a_pass(
    db: AdvisoryDB, tmp_path: Path
) -> None:
    db.import_zip(
        _zip(tmp_path / "PyPI.zip", [rec("PYSEC-1", "foo", affected=events(("introduced", "0")))])
    )
    result = scan_inventory(parse_manifest("r.txt", {"r.txt": "foo===weird-1\n"}), db)
    assert result["errors"][0]["location"] == "r.txt:1"


def test_parse_record_rejects_malformed_events() -> None:
    from shieldwall.vuln.osv import AdvisoryFormatError

    doc = rec(
        "X", "foo", affected={"ranges": [{"type": "ECOSYSTEM", "events": [{"a": "1", "b": "2"}]}]}
    )
    with pytest.raises(AdvisoryFormatError):
        parse_record(doc)


_RECORDISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "modified",
                    "withdrawn",
                    "aliases",
                    "affected",
                    "package",
                    "ecosystem",
                    "name",
                    "ranges",
                    "type",
                    "events",
                    "introduced",
                    "fixed",
                    "versions",
                    "severity",
                    "database_specific",
                    "references",
                    "cwe_ids",
                    "summary",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=25,
)


_AFFECTED = st.fixed_dictionaries(
    {
        "package": st.fixed_dictionaries(
            {"ecosystem": st.sampled_from(["PyPI", "npm"]), "name": st.text(min_size=1, max_size=5)}
        )
    },
    optional={
        "ranges": st.one_of(
            _RECORDISH,
            st.lists(
                st.fixed_dictionaries(
                    {"type": st.sampled_from(["ECOSYSTEM", "SEMVER", "GIT", "X"])},
                    optional={
                        "events": st.one_of(
                            _RECORDISH,
                            st.lists(
                                st.dictionaries(
                                    st.sampled_from(
                                        ["introduced", "fixed", "last_affected", "limit", "x"]
                                    ),
                                    st.one_of(st.text(max_size=6), st.integers()),
                                    max_size=2,
                                ),
                                max_size=4,
                            ),
                        )
                    },
                ),
                max_size=3,
            ),
        ),
        "versions": _RECORDISH,
    },
)
_RECORD = st.one_of(
    _RECORDISH,
    st.fixed_dictionaries(
        {"id": st.text(min_size=1, max_size=8), "modified": st.text(max_size=8)},
        optional={
            "affected": st.one_of(
                _RECORDISH, st.lists(st.one_of(_AFFECTED, _RECORDISH), max_size=3)
            ),
            "withdrawn": _RECORDISH,
            "aliases": _RECORDISH,
            "severity": st.one_of(
                _RECORDISH,
                st.lists(
                    st.dictionaries(st.sampled_from(["type", "score"]), _RECORDISH), max_size=2
                ),
            ),
            "references": _RECORDISH,
            "database_specific": _RECORDISH,
            "summary": _RECORDISH,
            "details": _RECORDISH,
            "published": _RECORDISH,
        },
    ),
)


@settings(max_examples=500, deadline=None)
@given(_RECORD, st.sampled_from(["0.1", "1.0.0", "2.0"]))
def test_parse_record_refuses_malformed_records_cleanly(doc: object, version: str) -> None:
    from shieldwall.vuln.osv import AdvisoryFormatError

    try:
        adv = parse_record(doc)
    except AdvisoryFormatError as exc:
        assert exc.code == "vuln.osv.record"  # noqa: PT017 - the property holds for each example
        return
    assert adv.id
    _ = (adv.score, adv.level)  # never raises on a parsed record
    from shieldwall.vuln.inventory import Dependency, Ecosystem
    from shieldwall.vuln.osv import match_advisory, parse_version

    for a in adv.affected:  # and matching a parsed record never crashes either
        eco = Ecosystem(a.ecosystem)
        dep = Dependency(name=a.name, version=version, ecosystem=eco, location="r.txt:1")
        semver = version if version.count(".") == 2 else version + ".0"
        match_advisory(
            adv, dep, parse_version(str(eco), semver if eco is Ecosystem.NPM else version)
        )
