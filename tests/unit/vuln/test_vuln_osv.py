from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
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
