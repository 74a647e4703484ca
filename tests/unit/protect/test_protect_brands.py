"""The brand registry: the bundled list, CSV import (all or nothing), storage per data dir."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shieldwall.core.errors import ParseError
from shieldwall.protect.brands import (
    BrandEntry,
    BrandRegistry,
    BrandStore,
    DomainError,
    DomainKind,
    bundled_entries,
    normalize_domain,
    parse_brand_csv,
)
from shieldwall.store import open_store


def test_bundled_registry_covers_the_usual_targets() -> None:
    reg = BrandRegistry(bundled_entries())
    assert reg.owners("www.paypal.com") == ("PayPal",)
    assert reg.owners("tools.usps.com") == ("USPS",)
    assert reg.owners("paypal.com.evil.xyz") == ()
    assert reg.is_shortener("bit.ly")
    # A brand's own short links lead only to its site: official, not hidden destinations; the
    # most specific entry wins (maps.app.goo.gl under the shortener goo.gl).
    assert reg.owners("a.co") == ("Amazon",)
    assert not reg.is_shortener("a.co")
    assert reg.is_shortener("goo.gl")
    assert not reg.is_shortener("maps.app.goo.gl")
    assert reg.is_shortener("lnkd.in")  # LinkedIn's wrapper leads anywhere
    assert reg.is_freemail("gmail.com")
    assert not reg.is_freemail("paypal.com")
    kinds = {e.kind for e in bundled_entries()}
    assert kinds == set(DomainKind)
    assert len({e.brand for e in bundled_entries() if e.kind is DomainKind.BRAND}) > 150


@pytest.mark.parametrize(
    ("given_", "expected"),
    [
        ("PayPal.COM.", "paypal.com"),
        ("n\u00f6rthwind.de", "xn--nrthwind-n4a.de"),
        ("xn--nrthwind-n4a.de", "xn--nrthwind-n4a.de"),
        ("\u0431\u0430\u043d\u043a.\u0440\u0444", "xn--80ab2al.xn--p1ai"),
    ],
)
def test_domains_are_kept_in_ascii_form(given_: str, expected: str) -> None:
    assert normalize_domain(given_) == expected


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "localhost",
        "https://paypal.com",
        "paypal.com/x",
        "a..b",
        "-a.com",
        "1.2.3.4",
        "xn--zz.com",
        "a b.com",
        "x" * 300 + ".com",
    ],
)
def test_bad_domains_are_refused(bad: str) -> None:
    with pytest.raises(DomainError):
        normalize_domain(bad)


def test_csv_with_header_comments_kinds_and_unicode() -> None:
    text = (
        "# our brands\nbrand,domain,kind\nNorthwind Bank,northwindbank.com\n"
        "Northwind Bank,n\u00f6rthwind.de,brand\nNW Links,nw.link,shortener\n"
        "\nNW Mail,nwmail.example,freemail\nNorthwind Bank,northwindbank.com\n"
    )
    entries = parse_brand_csv(text, source="org.csv")
    assert [(e.brand, e.domain, e.kind) for e in entries] == [
        ("Northwind Bank", "northwindbank.com", DomainKind.BRAND),
        ("Northwind Bank", "xn--nrthwind-n4a.de", DomainKind.BRAND),
        ("NW Links", "nw.link", DomainKind.SHORTENER),
        ("NW Mail", "nwmail.example", DomainKind.FREEMAIL),
    ]


@pytest.mark.parametrize(
    ("text", "where", "code"),
    [
        ("Northwind,northwind.com\nBad,,brand\n", "org.csv:2", "protect.brands.bad_domain"),
        ("a,b.com,c,d\n", "org.csv:1", "protect.brands.bad_row"),
        ("Acme,acme.com,website\n", "org.csv:1", "protect.brands.bad_kind"),
        ("ok,ok.com\n\n\n,acme.com\n", "org.csv:4", "protect.brands.bad_brand"),
        ('ok,ok.com\n"unterminated,acme.com\n', "org.csv:2", "protect.brands.bad_csv"),
    ],
)
def test_bad_rows_name_the_file_and_line(text: str, where: str, code: str) -> None:
    with pytest.raises(ParseError) as err:
        parse_brand_csv(text, source="org.csv")
    assert err.value.location == where
    assert err.value.code == code


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=500))
def test_any_csv_text_parses_or_fails_cleanly(text: str) -> None:
    try:
        entries = parse_brand_csv(text, source="fuzz.csv")
    except ParseError as err:
        where = err.location or ""
        entries = []
    else:
        where = "fuzz.csv:"
    assert where.startswith("fuzz.csv:")
    for e in entries:
        assert normalize_domain(e.domain) == e.domain


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(min_size=0, max_size=20),
            st.from_regex(r"\A[a-z\u00e0-\u00ff0-9\-.]{0,20}\Z"),
            st.sampled_from(["", "brand", "shortener", "freemail", "other"]),
        ),
        max_size=8,
    )
)
def test_row_shaped_csv_parses_or_fails_cleanly(rows: list[tuple[str, str, str]]) -> None:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    where = "rows.csv:"
    try:
        parse_brand_csv(buf.getvalue(), source="rows.csv")
    except ParseError as err:
        where = err.location or ""
    assert where.startswith("rows.csv:")


def test_store_adds_all_rows_once(tmp_path: Path) -> None:
    engine = open_store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    store = BrandStore(engine)
    rows = [
        BrandEntry(brand="Northwind Bank", domain="northwindbank.com"),
        BrandEntry(brand="NW Links", domain="nw.link", kind=DomainKind.SHORTENER),
    ]
    assert store.add(rows, added_by="key:abc") == 2
    assert store.add(rows, added_by="key:abc") == 0
    got = store.entries()
    assert {(e.brand, e.domain, e.kind, e.source) for e in got} == {
        ("Northwind Bank", "northwindbank.com", DomainKind.BRAND, "org"),
        ("NW Links", "nw.link", DomainKind.SHORTENER, "org"),
    }
    reg = BrandRegistry([*bundled_entries(), *got])
    assert reg.owners("login.northwindbank.com") == ("Northwind Bank",)
    assert reg.is_shortener("nw.link")
    engine.dispose()
