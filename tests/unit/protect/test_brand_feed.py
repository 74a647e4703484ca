"""Brand feeds: the document, its parser (hypothesis over arbitrary JSON), the screen that keeps
a hub from making a look-alike of a bundled brand look official, and the atomic replace of one
hub's entries."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from shieldwall.core.errors import DeniedError, InputError, ParseError
from shieldwall.core.settings import Settings
from shieldwall.core.types import ANONYMOUS, Tier
from shieldwall.protect.brand_feed import (
    FEED_FORMAT,
    MAX_SOURCE_LEN,
    FeedScreen,
    FeedState,
    FeedStates,
    Refusal,
    etag_matches,
    feed_digest,
    feed_document,
    hub_address,
    parse_feed,
    shown,
)
from shieldwall.protect.brands import (
    BrandEntry,
    BrandRegistry,
    BrandStore,
    DomainKind,
    bundled_entries,
    data_words,
    normalize_domain,
)
from shieldwall.protect.lookalike import skeleton
from shieldwall.protect.url import parse_url, url_signals
from shieldwall.runtime import open_runtime
from shieldwall.store import open_store

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
# The link check's warnings that a host imitates a brand.
IMITATION = {
    "lookalike_domain",
    "brand_in_domain",
    "brand_in_subdomain",
    "brand_other_ending",
    "homograph",
}
BUNDLED = BrandRegistry(bundled_entries())
SCREEN = FeedScreen(BUNDLED)


def doc_of(entries: list[Any]) -> bytes:
    """A well-formed feed around any entries (the version computed as a hub would)."""
    rows = [
        (e.get("brand"), e.get("domain"), e.get("kind")) if isinstance(e, dict) else (e, None, None)
        for e in entries
    ]
    body = {
        "format": FEED_FORMAT,
        "version": feed_digest(rows),
        "generated_at": "2025-03-01T12:00:00Z",
        "entries": entries,
    }
    return json.dumps(body).encode()


def _key(name: str) -> str:
    return "".join(c for c in skeleton(name) if c.isascii() and c.isalnum())


# -- the document ------------------------------------------------------------------------------


def test_document_round_trips_and_its_version_ignores_order() -> None:
    entries = [
        BrandEntry(brand="Northwind Bank", domain="northwindbank.com"),
        BrandEntry(brand="NW Links", domain="nw.link", kind=DomainKind.SHORTENER),
    ]
    doc = feed_document(entries, generated_at=NOW)
    assert doc["format"] == FEED_FORMAT
    assert doc["generated_at"] == "2025-03-01T12:00:00.000000Z"
    assert doc["count"] == 2
    assert feed_document(reversed(entries), generated_at=NOW)["version"] == doc["version"]
    feed = parse_feed(json.dumps(doc))
    assert feed.version == doc["version"]
    accepted = FeedScreen(BUNDLED, source="hub:h").screen(feed.entries).accepted
    assert [(e.brand, e.domain, e.kind, e.source) for e in accepted] == [
        ("NW Links", "nw.link", DomainKind.SHORTENER, "hub:h"),
        ("Northwind Bank", "northwindbank.com", DomainKind.BRAND, "hub:h"),
    ]
    other = feed_document(entries[:1], generated_at=NOW)["version"]
    assert other != doc["version"]


@pytest.mark.parametrize(
    ("header", "matches"),
    [
        (None, False),
        ("", False),
        ('"{v}"', True),
        ('W/"{v}"', True),
        ('"abc", "{v}"', True),
        ("*", True),
        ('"{v}x"', False),
        ('"abc"', False),
    ],
)
def test_if_none_match(header: str | None, matches: bool) -> None:
    version = "0" * 63 + "1"
    assert etag_matches(header.format(v=version) if header else header, version) is matches


@pytest.mark.parametrize(
    ("body", "where"),
    [
        (b"\xff\xfe not utf-8", "feed"),
        (b"not json", "feed"),
        (b"[" * 100_000 + b"]" * 100_000, "feed"),
        (b"1" * 5000, "feed"),  # an integer too long to convert
        (b"[]", "feed"),
        (b'{"format": "something-else/1"}', "feed.format"),
        (json.dumps({"format": FEED_FORMAT, "version": "x"}).encode(), "feed.version"),
        (
            json.dumps({"format": FEED_FORMAT, "version": "a" * 64, "generated_at": 5}).encode(),
            "feed.generated_at",
        ),
        (
            json.dumps(
                {"format": FEED_FORMAT, "version": "a" * 64, "generated_at": "x", "entries": {}}
            ).encode(),
            "feed.entries",
        ),
        (  # the version does not match the entries: changed on the way
            json.dumps(
                {
                    "format": FEED_FORMAT,
                    "version": "a" * 64,
                    "generated_at": "2025-03-01T12:00:00Z",
                    "entries": [{"brand": "A", "domain": "a.com", "kind": "brand"}],
                }
            ).encode(),
            "feed.version",
        ),
    ],
)
def test_bad_documents_are_refused_whole(body: bytes, where: str) -> None:
    with pytest.raises(ParseError) as err:
        parse_feed(body)
    assert err.value.code == "protect.brands.bad_feed"
    assert err.value.location == where


def test_size_and_count_limits() -> None:
    entries = [{"brand": f"B{i}", "domain": f"b{i}.example", "kind": "brand"} for i in range(30)]
    body = doc_of(entries)
    assert len(parse_feed(body, max_entries=30).entries) == 30
    with pytest.raises(ParseError, match="more than 29"):
        parse_feed(body, max_entries=29)
    with pytest.raises(ParseError, match="larger than 100 bytes"):
        parse_feed(body, max_bytes=100)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode())))
def test_any_body_parses_or_is_refused_cleanly(body: bytes) -> None:
    try:
        feed = parse_feed(body)
    except ParseError as err:
        code = err.code
    else:
        code = "parsed"
        SCREEN.screen(feed.entries)
    assert code in ("parsed", "protect.brands.bad_feed")


# -- the screen --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("brand", "domain", "kind", "code"),
    [
        ("PayPal", "paypa1.com", "brand", "lookalike_domain"),  # the feed says PayPal owns it
        ("Paypal Support", "paypal-support.com", "brand", "lookalike_domain"),
        ("Evil", "paypal.com", "brand", "owned_domain"),  # PayPal's own, given to another
        ("Paypal Support", "paypal.com", "brand", "owned_domain"),
        ("Evil", "paypal.com", "shortener", "owned_domain"),
        ("Evil", "www.paypal.com", "freemail", "owned_domain"),
        ("Evil", "paypa1.com", "freemail", "lookalike_domain"),  # would hide sender checks
        ("Evil", "co.uk", "brand", "public_suffix"),  # every .co.uk name would look official
        ("Evil", "github.io", "shortener", "public_suffix"),
        ("Evil", "bit.ly", "brand", "shared_domain"),
        ("Evil", "gmail.com", "brand", "shared_domain"),
        ("Evil", "paypal.evil.example", "brand", "lookalike_domain"),
        ("Evil", "paypal.com.evil.example", "brand", "lookalike_domain"),
        ("Evil", "paypal.com-login.evil.example", "brand", "lookalike_domain"),
        ("Evil", "gov.uk-x.evil.example", "brand", "lookalike_domain"),  # no brand word in it
        ("Evil", "mail.ru-login.evil.example", "brand", "lookalike_domain"),
        ("Evil", "p\u0430ypal.com", "brand", "lookalike_domain"),  # Cyrillic a
        ("Evil", "xn--pypal-4ve.com", "brand", "lookalike_domain"),
        ("Evil", "arnazon.com", "brand", "lookalike_domain"),
        ("Evil", "wise-abc.top", "brand", "lookalike_domain"),  # an everyday word, cheap ending
        ("P\u0430yPal", "evil.example", "brand", "lookalike_brand"),
        ("Amazon Help", "help-desk.example", "brand", "lookalike_brand"),
        ("Paypal", "payments-now.example", "brand", "lookalike_brand"),
        ("", "a.example", "brand", "bad_brand"),
        ("Bidi \u202e", "a.example", "brand", "bad_brand"),
        ("A", "a.example", "website", "bad_kind"),
        ("A", "https://a.example/", "brand", "bad_domain"),
        ("A", "localhost", "brand", "bad_domain"),
    ],
)
def test_hostile_entries_are_rejected_with_a_reason(
    brand: str, domain: str, kind: str, code: str
) -> None:
    verdict = SCREEN.check({"brand": brand, "domain": domain, "kind": kind})
    assert isinstance(verdict, Refusal)
    assert verdict.code == code
    assert verdict.reason


@pytest.mark.parametrize(
    ("brand", "domain", "kind", "stored"),
    [
        ("Northwind Bank", "northwindbank.com", "brand", "northwindbank.com"),
        ("Springfield Water", "springfieldwater.gov", "brand", "springfieldwater.gov"),
        ("State Water Board", "statewater.ca.gov", "brand", "statewater.ca.gov"),
        ("M\u00fcller", "M\u00fcller.de", "brand", "xn--mller-kva.de"),  # normalised as import does
        ("NW Links", "nw.link", "shortener", "nw.link"),
        ("NW Mail", "nwmail.example", "freemail", "nwmail.example"),
        ("PayPal", "paypal.com", "brand", "paypal.com"),  # its own domain: nothing new
        ("Acme", "acme.github.io", "brand", "acme.github.io"),
    ],
)
def test_ordinary_entries_are_accepted(brand: str, domain: str, kind: str, stored: str) -> None:
    verdict = SCREEN.check({"brand": brand, "domain": domain, "kind": kind})
    assert isinstance(verdict, BrandEntry), verdict
    assert verdict.domain == stored


def test_own_brands_are_protected_too() -> None:
    own = BrandEntry(brand="Northwind Bank", domain="northwindbank.com", source="org")
    screen = FeedScreen(BrandRegistry([*bundled_entries(), own]))
    for entry in (
        {"brand": "Northwind Bank", "domain": "northwind-bank-login.example", "kind": "brand"},
        {"brand": "Evil", "domain": "northwindbank-secure.example", "kind": "brand"},
        {"brand": "Evil", "domain": "northwindbank.com", "kind": "brand"},
    ):
        assert isinstance(screen.check(entry), Refusal), entry
    assert isinstance(
        screen.check({"brand": "Northwind Bank", "domain": "northwindbank.com"}), BrandEntry
    )


def test_rejected_values_are_safe_to_print() -> None:
    screened = SCREEN.screen(
        [{"brand": "Pay\x1b[31mPal", "domain": "x\u202e.com", "kind": 3}, "just a string"]
    )
    assert [r.code for r in screened.rejected] == ["malformed", "malformed"]
    for r in screened.rejected:
        text = r.brand + r.domain + r.kind
        assert "\x1b" not in text
        assert "\u202e" not in text
    assert shown("a" * 500).endswith("…")


LURE = sorted(w for w in data_words("lure_words.txt") if w.isalpha())[:40]
TOKENS = sorted({e.domain.split(".")[0] for e in bundled_entries() if e.kind is DomainKind.BRAND})
DOMAINS = sorted({e.domain for e in bundled_entries() if e.kind is DomainKind.BRAND})
NAMES = sorted({e.brand for e in bundled_entries() if e.kind is DomainKind.BRAND})
SWAPS = {"l": "1", "o": "0", "i": "l", "a": "\u0430", "e": "\u0435", "m": "rn", "s": "5"}


@st.composite
def hostile_domain(draw: st.DrawFn) -> str:
    """A domain built to imitate a bundled brand, or an ordinary one."""
    token = draw(st.sampled_from(TOKENS))
    tld = draw(st.sampled_from(["com", "net", "top", "co.uk", "xyz", "org", "de", "example"]))
    how = draw(st.integers(0, 7))
    if how == 7:  # a brand's whole domain at the start of another
        joint = draw(st.sampled_from([".", "-", "-login."]))
        return f"{draw(st.sampled_from(DOMAINS))}{joint}{draw(st.sampled_from(['x', 'y']))}.{tld}"
    if how == 0:
        i = draw(st.integers(0, len(token) - 1))
        label = token[:i] + SWAPS.get(token[i], token[i] * 2) + token[i + 1 :]
    elif how == 1:
        label = f"{token}-{draw(st.sampled_from(LURE))}"
    elif how == 2:
        label = f"{draw(st.sampled_from(LURE))}{token}{draw(st.integers(0, 99))}"
    elif how == 3:
        return f"{token}.{draw(st.sampled_from(['evil', 'x-y', 'acct']))}.{tld}"
    elif how == 4:
        i = draw(st.integers(0, max(0, len(token) - 2)))
        label = token[:i] + token[i + 1 :]  # a dropped letter
    elif how == 5:
        label = draw(st.from_regex(r"\A[a-z][a-z0-9]{2,14}\Z"))
    else:
        label = token
    return f"{label}.{tld}"


@st.composite
def feed_entry(draw: st.DrawFn) -> Any:
    name = draw(
        st.one_of(
            st.sampled_from(NAMES),
            st.sampled_from(NAMES).map(lambda n: f"{n} {draw(st.sampled_from(LURE))}"),
            st.text(min_size=1, max_size=20),
        )
    )
    domain = draw(st.one_of(hostile_domain(), st.text(max_size=25)))
    kind = draw(st.sampled_from(["brand", "brand", "shortener", "freemail", "Brand", "nope"]))
    return draw(
        st.one_of(
            st.just({"brand": name, "domain": domain, "kind": kind}),
            st.just({"brand": name, "domain": domain}),
            json_values,
        )
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(feed_entry(), max_size=6))
def test_no_feed_makes_a_lookalike_of_a_bundled_brand_look_official(entries: list[Any]) -> None:
    feed = parse_feed(doc_of(entries))
    screened = SCREEN.screen(feed.entries)
    indices = [r.index for r in screened.rejected]
    assert len(set(indices)) == len(indices)
    assert all(0 <= i < len(entries) for i in indices)
    assert len(screened.accepted) + len(indices) <= len(entries)
    for e in screened.accepted:
        assert normalize_domain(e.domain) == e.domain
        assert e.brand.isprintable()
        owners = BUNDLED.owners(e.domain)
        if owners:  # a bundled brand's domain: only that brand, under its own name
            assert e.kind is DomainKind.BRAND
            assert any(_key(e.brand) == _key(o) for o in owners)
            continue
        # What the link check of a bundled-only registry says about the domain: never that it
        # imitates a brand, and the brand name is no bundled brand's.
        signals = {s.signal for s in url_signals(parse_url(f"http://{e.domain}/"), BUNDLED)}
        assert not signals & IMITATION, (e, signals)
        assert _key(e.brand) not in {_key(n) for n in NAMES}, e


# -- the store: one hub's entries replaced at once ---------------------------------------------


@pytest.fixture
def engine(store_url: str) -> Iterator[Engine]:
    made = open_store(store_url)
    yield made
    made.dispose()


def _rows(store: BrandStore) -> set[tuple[str, str, str]]:
    return {(e.source, e.brand, e.domain) for e in store.entries()}


def test_replace_source_is_exact_and_idempotent(engine: Engine) -> None:
    store = BrandStore(engine)
    own = BrandEntry(brand="Own", domain="own.example")
    store.add([own], added_by="owner:local")
    a = BrandEntry(brand="A", domain="a.example")
    b = BrandEntry(brand="B", domain="b.example")
    assert store.replace_source("hub:one", [a, b, own]) == (2, 0)  # 'own' stays the org's
    assert store.replace_source("hub:two", [a]) == (0, 0)  # hub:one holds it already
    assert store.replace_source("hub:one", [a, b]) == (0, 0)  # the same: nothing written
    assert _rows(store) == {
        ("org", "Own", "own.example"),
        ("hub:one", "A", "a.example"),
        ("hub:one", "B", "b.example"),
    }
    assert store.replace_source("hub:one", [b]) == (0, 1)  # removed at the hub
    assert store.replace_source("hub:two", [a]) == (1, 0)
    assert store.count("hub:one") == 1
    # Importing an entry a hub shared makes it the organisation's: the hub cannot take it back.
    assert store.add([b], added_by="owner:local") == 1
    assert store.replace_source("hub:one", []) == (0, 0)
    assert _rows(store) == {
        ("org", "Own", "own.example"),
        ("org", "B", "b.example"),
        ("hub:two", "A", "a.example"),
    }
    assert store.remove("a.example") == 0  # a hub's row goes with that hub's next pull
    assert store.remove("own.example", brand="Other") == 0
    assert store.remove("own.example") == 1
    ordered = [e.source for e in store.entries()]
    assert ordered == sorted(ordered, key=lambda s: s != "org")  # the org's first
    with pytest.raises(ValueError, match="not a hub source"):
        store.replace_source("org", [])


entry_sets = st.sets(
    st.builds(
        lambda n, k: BrandEntry(brand=f"B{n}", domain=f"b{n}.example", kind=k),
        st.integers(0, 8),
        st.sampled_from(list(DomainKind)),
    ),
    max_size=6,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(own=entry_sets, feeds=st.lists(st.tuples(st.sampled_from(["hub:x", "hub:y"]), entry_sets)))
def test_replace_source_never_touches_other_sources(
    tmp_path: Path, own: set[BrandEntry], feeds: list[tuple[str, set[BrandEntry]]]
) -> None:
    engine = open_store(f"sqlite:///{tmp_path / 'feeds.sqlite'}")
    try:
        store = BrandStore(engine)
        store.clear()
        store.add(own, added_by="owner:local")
        org = {e for e in store.entries() if e.source == "org"}
        for source, entries in feeds:
            before = {e for e in store.entries() if e.source not in (source,)}
            store.replace_source(source, entries)
            after = store.entries()
            assert {e for e in after if e.source != source} == before
            held = {(e.brand, e.domain, e.kind) for e in before}
            assert {(e.brand, e.domain, e.kind) for e in after if e.source == source} == {
                (e.brand, e.domain, e.kind) for e in entries
            } - held
            assert store.replace_source(source, entries) == (0, 0)
        assert {e for e in store.entries() if e.source == "org"} == org
    finally:
        engine.dispose()


def test_the_feed_serves_only_the_hubs_own_brands(tmp_path: Path) -> None:
    runtime = open_runtime(Settings(home=tmp_path / "hub"))
    try:
        store = BrandStore(runtime.engine)
        store.add([BrandEntry(brand="Own", domain="own.example")], added_by="owner:local")
        store.replace_source("hub:upstream", [BrandEntry(brand="Far", domain="far.example")])
        member, _ = runtime.keys.create(name="member", tier=Tier.VERIFIED_INDIVIDUAL)
        got = runtime.gateway.invoke("protect.brands.feed", {}, member).result
        assert got["not_modified"] is False
        assert got["feed"]["entries"] == [
            {"brand": "Own", "domain": "own.example", "kind": "brand"}
        ]
        assert parse_feed(json.dumps(got["feed"])).version == got["version"]
        same = runtime.gateway.invoke(
            "protect.brands.feed", {"if_none_match": f'"{got["version"]}"'}, member
        ).result
        assert same == {"not_modified": True, "version": got["version"], "count": 1}
        with pytest.raises(DeniedError):
            runtime.gateway.invoke("protect.brands.feed", {}, ANONYMOUS)
    finally:
        runtime.close()


# -- the member's side -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given_", "url", "source"),
    [
        ("https://hub.example.org", "https://hub.example.org/api/v1/protect/brands/feed", None),
        (
            "https://HUB.example.org:8443/x/api/v1/protect/brands/feed/",
            "https://hub.example.org:8443/x/api/v1/protect/brands/feed",
            "hub:hub.example.org:8443",
        ),
        ("http://127.0.0.1:8123/", "http://127.0.0.1:8123/api/v1/protect/brands/feed", None),
        ("http://[::1]:99", "http://[::1]:99/api/v1/protect/brands/feed", "hub:[::1]:99"),
        ("http://localhost", "http://localhost/api/v1/protect/brands/feed", "hub:localhost"),
    ],
)
def test_hub_addresses(given_: str, url: str, source: str | None) -> None:
    got = hub_address(given_)
    assert got.url == url
    assert got.source == (source or "hub:" + url.split("/")[2])


@pytest.mark.parametrize(
    "bad",
    [
        "http://hub.example.org",  # the key and the feed in the clear
        "http://10.0.0.5/",
        "ftp://hub.example.org",
        "hub.example.org",
        "https://user:secret@hub.example.org",
        "https://",
        "file:///etc/passwd",
    ],
)
def test_other_addresses_are_refused_clearly(bad: str) -> None:
    with pytest.raises(InputError) as err:
        hub_address(bad)
    assert err.value.code == "protect.brands.feed_url"
    assert err.value.hint


def test_long_host_names_still_fit_the_source_column() -> None:
    a = hub_address("https://" + "a" * 60 + ".example.org").source
    b = hub_address("https://" + "a" * 60 + ".example.net").source
    assert len(a) <= MAX_SOURCE_LEN
    assert a != b
    assert a.startswith("hub:")


def test_feed_states_survive_a_damaged_file(tmp_path: Path) -> None:
    path = tmp_path / "protect" / "brand-feeds.json"
    states = FeedStates(path)
    assert states.get("hub:x") is None
    state = FeedState(url="u", version="v", screened_with="s", stored=3, synced_at="t")
    states.put("hub:x", state)
    assert FeedStates(path).get("hub:x") == state
    path.write_text("{not json")
    assert states.get("hub:x") is None
    states.put("hub:y", state)
    assert states.get("hub:y") == state


@pytest.mark.parametrize("domain", ["ttemu.com", "example.com"])
def test_a_bundled_brand_name_with_a_short_word_is_refused_on_another_domain(domain: str) -> None:
    # Found by the property above: the look-alike matcher let 'RBC Royal Bank' through.
    screened = SCREEN.screen([{"brand": "RBC Royal Bank", "domain": domain}])
    assert screened.accepted == ()
    assert [r.code for r in screened.rejected] == ["lookalike_brand"]
    assert "rbc.com" in screened.rejected[0].reason
