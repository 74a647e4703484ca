"""Report -> STIX draft: refanging, reading (text, Markdown, HTML, PDF), finding, warninglists,
the draft bundle (held to our intake validator and to the stix2 library), ATT&CK resolution and
the capability through the door. Parsers of untrusted input get hypothesis tests."""

from __future__ import annotations

import base64
import hashlib
import io
import ipaddress
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import pypdf
import pytest
import stix2
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from stix2patterns.validator import validate as oracle_validate

from shieldwall.core.errors import DeniedError, InputError
from shieldwall.core.settings import Settings
from shieldwall.core.types import LOCAL_OWNER, Principal, PrincipalId, PrincipalKind, Tier
from shieldwall.intel.extract import (
    MAX_REPORT_BYTES,
    Catalog,
    Extraction,
    Kind,
    Technique,
    defang,
    draft_bundle,
    draft_id,
    find,
    pattern_of,
    read_document,
    real_domain,
    refang,
    refang_map,
    summary,
)
from shieldwall.intel.pattern import parse_pattern
from shieldwall.intel.tlp import TLP2_IDS, Tlp
from shieldwall.intel.validate import check_object
from shieldwall.intel.warninglists import DEFAULT_LISTS, default_warninglists, read_list
from shieldwall.runtime import Runtime, open_runtime

NOW = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)
SHA256_A = "04f2beba9f685b691dd8a8b451a98eb436719a087fc4daf96a2a4e0bfe5f8bd7"
SHA256_B = "5e585fd3fab5cb85a941179b4df835cef988f0281af9f47878024f539c302df5"
SHA512 = (
    "ad5832756f70e7c38857232b1356dea3284efab074e1e6eeb61b88c81218ec1d"
    "50366c7b4c1d3584dd00376174a50cb2125aeabd42b29198b7f7b8e15672888a"
)
MD5 = "4ed397bbd99e754fc068d7d3fdd22393"
SHA1 = "caa6905b14f699920d390ea3c2ee8dcac1ebd24a"
EMPTY_MD5 = "d41d8cd98f00b204e9800998ecf8427e"

# A made-up report: planted indicators (defanged in several ways) and things that only look
# like indicators (versions, file names, code, timestamps, documentation ranges).
REPORT_MD = f"""# Operation Paper Lantern: phishing against water utilities

TLP:CLEAR. Written for the Shieldwall extraction tests; every value is made up.

## Summary

The actor sent e-mails from billing[@]invoice-portal[.]net with a link to
hxxps://invoice-portal[.]net/pay/index.php?id=42 and, later, hxxp://185.220.101[.]47:8080/gate.
The loader `update.exe` (SHA-256 `{SHA256_A}`,
MD5 {MD5}) beacons to cdn-update{{.}}xyz and to 45[.]9[.]148[.]114.
A second stage (SHA1: {SHA1}) is fetched from
fxp://files.lantern-drop(.)org/s2.bin; its C2 also answers on 2a0d:5600:24:aa::2.
Stage three: {SHA256_B} (SHA-512
{SHA512}).

It exploits CVE-2023-23397 and cve-2024-3400. ATT&CK: T1566.001 (Spearphishing Attachment),
T1059.001, Scheduled Task, and T1071/001 over hxxps://api.lantern-c2[.]com/v2/poll.
Contact: abuse@lantern-c2.com was notified.

## Not indicators

The loader was built with Visual Studio 16.11.2.0 and version 1.2.3.4 of the SDK; Chrome/120.0.0.0
is in its user agent. It reads config.json, drops file.exe and README.md, and calls System.IO.
Internal hosts 10.0.0.5 and 192.168.1.20 were contacted; 192.0.2.10 and 2001:db8::1 are
documentation addresses and fe80::1 is link-local. The empty file {EMPTY_MD5}
was dropped too. Connectivity checks went to microsoft.com and https://www.google.com/.
At 12:30:45 the MAC 00:1a:2b:3c:4d:5e appeared. See example[.]com for nothing.

References: https://attack.mitre.org/techniques/T1566/001/ and https://nvd.nist.gov/vuln/detail/CVE-2023-23397
"""

KEPT = {
    ("url", "https://invoice-portal.net/pay/index.php?id=42"),
    ("url", "http://185.220.101.47:8080/gate"),
    ("url", "ftp://files.lantern-drop.org/s2.bin"),
    ("url", "https://api.lantern-c2.com/v2/poll"),
    ("email-addr", "billing@invoice-portal.net"),
    ("email-addr", "abuse@lantern-c2.com"),
    ("ipv4-addr", "45.9.148.114"),
    ("ipv6-addr", "2a0d:5600:24:aa::2"),
    ("domain-name", "cdn-update.xyz"),
    ("sha256", SHA256_A),
    ("sha256", SHA256_B),
    ("sha512", SHA512),
    ("md5", MD5),
    ("sha1", SHA1),
    ("cve", "CVE-2023-23397"),
    ("cve", "CVE-2024-3400"),
    ("attack-technique", "T1566.001"),
    ("attack-technique", "T1059.001"),
    ("attack-technique", "T1071.001"),
}
DROPPED = {
    ("url", "https://www.google.com/", "top-domains"),
    ("url", "https://attack.mitre.org/techniques/T1566/001/", "reference-sites"),
    ("url", "https://nvd.nist.gov/vuln/detail/CVE-2023-23397", "reference-sites"),
    ("ipv4-addr", "10.0.0.5", "private-ipv4"),
    ("ipv4-addr", "192.168.1.20", "private-ipv4"),
    ("ipv4-addr", "192.0.2.10", "documentation-ip"),
    ("ipv6-addr", "2001:db8::1", "documentation-ip"),
    ("ipv6-addr", "fe80::1", "special-ipv6"),
    ("domain-name", "microsoft.com", "top-domains"),
    ("domain-name", "example.com", "reserved-domains"),
    ("md5", EMPTY_MD5, "trivial-hashes"),
}


def extract_md(text: str = REPORT_MD, catalog: Catalog | None = None) -> Extraction:
    return find(read_document(text.encode(), name="lantern.md"), catalog=catalog)


def by_value(ex: Extraction) -> dict[str, Any]:
    return {h.value: h for h in (*ex.kept, *ex.dropped)}


# -- refanging ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("defanged", "plain"),
    [
        ("hxxp://evil[.]com/a", "http://evil.com/a"),
        ("hxxps[:]//evil(.)com", "https://evil.com"),
        ("hXXps://evil{.}com", "hTTps://evil.com"),
        ("h**p://evil[dot]com", "http://evil.com"),
        ("hxxp[://]evil[.]com", "http://evil.com"),
        ("fxp://files[.]example[.]org", "ftp://files.example.org"),
        ("10[.]0[.]0[.]1", "10.0.0.1"),
        ("user[@]evil[.]com", "user@evil.com"),
        ("user [at] evil [dot] com", "user@evil.com"),
        ("user(at)evil(dot)com", "user@evil.com"),
        ("`example[.]com`", "`example.com`"),
        ("evil\\.com", "evil.com"),
        ("evil\\[.\\]com", "evil.com"),
        ("ev\u200bil.c\u00adom", "evil.com"),
        ("shxxp://x and ahxxp://y", "shxxp://x and ahxxp://y"),  # not a defanged scheme
        ("[.] alone, (.) too", ". alone, . too"),
    ],
)
def test_refang(defanged: str, plain: str) -> None:
    assert refang(defanged) == plain


def test_refang_map_points_back_to_the_original() -> None:
    text = "go to hxxps://evil[.]com/x now"
    ref = refang_map(text)
    assert ref.text == "go to https://evil.com/x now"
    start = ref.text.index("evil.com")
    assert text[ref.origin(start) : ref.origin_end(start + len("evil.com"))] == "evil[.]com"
    assert ref.touched(start, start + 8)
    assert not ref.touched(0, 5)
    assert text[ref.origin(ref.text.index("now")) :] == "now"


@given(st.text(max_size=300))
@example("[.")  # a bracket before a dot: defang gives [[.], whose [.] must still refang
@example("\\.")  # a backslash before a dot: defang gives \[.], not Markdown's \[.\]
@settings(max_examples=400)
def test_refang_of_defang_round_trips(text: str) -> None:
    assume(refang(text) == text)  # text that holds no defanging of its own
    assert refang(defang(text)) == text


@given(
    st.lists(
        st.one_of(
            st.text(max_size=20),
            st.sampled_from(
                ["hxxp", "fxp", "[.]", "(.)", "[dot]", " [at] ", "\\.", "[:]", "\u200b"]
            ),
        ),
        max_size=30,
    ).map("".join)
)
@settings(max_examples=300)
def test_refang_map_agrees_with_refang_and_maps_every_offset(text: str) -> None:
    ref = refang_map(text)
    assert ref.text == refang(text)
    for pos in range(len(ref.text)):
        assert 0 <= ref.origin(pos) <= len(text)
        assert ref.origin(pos) < ref.origin_end(pos + 1) <= len(text)


# -- finding ------------------------------------------------------------------------------------


def test_the_fixture_report_gives_every_planted_value_and_drops_the_benign() -> None:
    ex = extract_md()
    assert {(str(h.kind), h.value) for h in ex.kept} == KEPT
    dropped = {
        (str(h.kind), h.value, h.dropped_by.name if h.dropped_by else "") for h in ex.dropped
    }
    assert dropped == DROPPED
    assert ex.catalog_size is None


def test_locations_are_lines_and_columns_of_the_source_with_its_defanged_text() -> None:
    ex = extract_md()
    lines = REPORT_MD.splitlines()
    for hit in (*ex.kept, *ex.dropped):
        for loc in hit.locations:
            line = lines[loc.line - 1]
            assert loc.page is None
            assert loc.column - 1 < len(line), (hit.value, loc)
    hits = by_value(ex)
    url = hits["https://invoice-portal.net/pay/index.php?id=42"]
    (loc,) = url.locations
    assert lines[loc.line - 1][loc.column - 1 :].startswith("hxxps://invoice-portal[.]net/pay")
    assert "hxxps://invoice-portal[.]net" in loc.snippet  # shown as the report wrote it
    assert url.defanged
    ip = hits["45.9.148.114"]
    assert lines[ip.locations[0].line - 1][ip.locations[0].column - 1 :].startswith("45[.]9[.]")
    cve = hits["CVE-2023-23397"]
    assert cve.occurrences == 2
    assert [loc.line for loc in cve.locations] == [16, 29]
    assert not hits["abuse@lantern-c2.com"].defanged


@pytest.mark.parametrize(
    "text",
    [
        "reads config.json and drops file.exe",
        "see README.md and setup.py",
        "calls System.IO and System.Net.Http",
        "user agent Chrome/120.0.0.0 and Mozilla/5.0",
        "version 1.2.3.4, v2.3.4.5, build 10.0.19041.1, Visual Studio 16.11.2.0",
        "the OID 1.3.6.1.4.1.311 and 01.02.03.04 and 256.1.1.1",
        "at 12:30:45 the MAC 00:1a:2b:3c:4d:5e and std::vector<int> a::b",
        "an id 12345678901234567890123456789012 and a word deadbeefdeadbeefdeadbeefdeadbeef",
        "a 33-hex run 4ed397bbd99e754fc068d7d3fdd22393a",
        "T2000 and T123 and T12345 and CVE-1990-1234",
        "e.g. i.e. etc. U.S. the end.",
    ],
)
def test_things_that_only_look_like_indicators(text: str) -> None:
    ex = extract_md(text)
    assert ex.kept == ()
    assert ex.dropped == ()


def test_a_defanged_file_like_name_is_a_domain() -> None:
    ex = extract_md("payload from evil[.]zip and notes in readme.md")
    assert {h.value for h in ex.kept} == {"evil.zip"}
    assert real_domain("Google.com")
    assert real_domain("EVIL.COM")
    assert not real_domain("System.IO")
    assert not real_domain("co.uk")
    assert real_domain("evil.co.uk")


def test_ids_and_hashes_are_normalized() -> None:
    ex = extract_md(
        f"cve\u20132021\u201344228, attack.t1059.001, T1071/004, {SHA1.upper()} and 2A0D:5600::1"
    )
    assert {(str(h.kind), h.value) for h in ex.kept} == {
        ("cve", "CVE-2021-44228"),
        ("attack-technique", "T1059.001"),
        ("attack-technique", "T1071.004"),
        ("sha1", SHA1),
        ("ipv6-addr", "2a0d:5600::1"),
    }


def test_urls_end_where_the_sentence_does() -> None:
    ex = extract_md(
        "(see hxxps://evil[.]com/a_(b)) and <https://evil.net/x>, "
        "[link](https://evil.org/p?q=1). Or 'http://evil.io/k'!"
    )
    urls = {h.value for h in ex.kept if h.kind is Kind.URL}
    assert urls == {
        "https://evil.com/a_(b)",
        "https://evil.net/x",
        "https://evil.org/p?q=1",
        "http://evil.io/k",
    }
    domains = {h.value for h in ex.kept if h.kind is Kind.DOMAIN}
    assert domains == set()  # a URL's host is not reported again


# -- reading ------------------------------------------------------------------------------------

REPORT_HTML = """<!DOCTYPE html>
<html><head><title>Lantern &amp; friends</title>
<style>.ioc { content: "style-only[.]com"; }</style>
<script>fetch("https://script-only.com/x"); var a = "45.9.148.115";</script>
</head>
<body>
<h1>Lantern</h1>
<p>The loader calls <b>cdn-update</b>[.]xyz<br>and
hxxp://lantern-drop<span>[.]</span>org/s2.bin &#8212; CVE-2023-23397.</p>
<noscript>noscript-only.com</noscript>
<template><p>template-only.com</p></template>
<p>Hash: <code>4ed397bbd99e754fc068d7d3fdd22393</code></p>
</body></html>
"""


def test_html_text_only_with_source_lines_and_no_scripts() -> None:
    doc = read_document(REPORT_HTML.encode(), name="lantern.html")
    assert doc.format == "html"
    assert doc.title == "Lantern & friends"
    ex = find(doc)
    found = {h.value: h for h in ex.kept}
    assert set(found) == {
        "cdn-update.xyz",
        "http://lantern-drop.org/s2.bin",
        "CVE-2023-23397",
        "4ed397bbd99e754fc068d7d3fdd22393",
    }
    assert found["cdn-update.xyz"].locations[0].line == 8
    assert found["http://lantern-drop.org/s2.bin"].locations[0].line == 9
    assert found["4ed397bbd99e754fc068d7d3fdd22393"].locations[0].line == 12
    assert found["4ed397bbd99e754fc068d7d3fdd22393"].locations[0].column == 16


def minimal_pdf(pages: list[list[str]], title: str = "Lantern (PDF)") -> bytes:
    """A small valid PDF written by hand: one Helvetica text line per string."""

    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    kids = [4 + 2 * i for i in range(len(pages))]
    refs = " ".join(f"{k} 0 R" for k in kids)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{refs}] /Count {len(pages)} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for kid, lines in zip(kids, pages, strict=True):
        body = "BT /F1 10 Tf 14 TL 40 800 Td " + " ".join(f"({esc(x)}) Tj T*" for x in lines)
        stream = (body + " ET").encode("latin-1")
        objs.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] /Resources << /Font "
            f"<< /F1 3 0 R >> >> /Contents {kid + 1} 0 R >>".encode()
        )
        objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objs.append(f"<< /Title ({esc(title)}) >>".encode())
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{off:010d} 00000 n \n".encode() for off in offsets)
    out += (
        f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R /Info {len(objs)} 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


PDF_PAGES = [
    ["Paper Lantern, page one", "beacon to cdn-update[.]xyz", f"loader MD5 {MD5}"],
    ["Page two", "C2 45[.]9[.]148[.]114 exploits CVE-2023-23397"],
]


def encrypted(data: bytes, user_password: str) -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdf_pages_and_lines() -> None:
    doc = read_document(minimal_pdf(PDF_PAGES), name="lantern.pdf")
    assert (doc.format, doc.pages, doc.title) == ("pdf", 2, "Lantern (PDF)")
    found = {h.value: h.locations[0] for h in find(doc).kept}
    assert (found["cdn-update.xyz"].page, found["cdn-update.xyz"].line) == (1, 2)
    assert (found[MD5].page, found[MD5].line) == (1, 3)
    assert (found["45.9.148.114"].page, found["45.9.148.114"].line) == (2, 2)
    assert found["CVE-2023-23397"].page == 2


def test_pdf_errors_are_input_errors_with_codes() -> None:
    pdf = minimal_pdf(PDF_PAGES)
    with pytest.raises(InputError) as locked:
        read_document(encrypted(pdf, "secret"), name="locked.pdf")
    assert locked.value.code == "intel.extract.encrypted_pdf"
    # Encrypted with an empty user password (restrictions only): it opens.
    opened = read_document(encrypted(pdf, ""), name="restricted.pdf")
    assert "cdn-update[.]xyz" in opened.text
    with pytest.raises(InputError) as not_pdf:
        read_document(b"just text", name="report.pdf")
    assert not_pdf.value.code == "intel.extract.not_pdf"
    with pytest.raises(InputError) as broken:
        read_document(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n", name="broken.pdf")
    assert broken.value.code == "intel.extract.bad_pdf"
    with pytest.raises(InputError) as big:
        read_document(b" " * (MAX_REPORT_BYTES + 1), name="huge.txt")
    assert big.value.code == "intel.extract.too_large"


def test_a_text_report_that_mentions_a_pdf_header_is_text() -> None:
    doc = read_document(b"Malicious PDFs start with %PDF-1.7 like any other.", name="notes")
    assert doc.format == "text"


@given(st.binary(max_size=3000), st.sampled_from(["r.pdf", "r.html", "r.md", "r.txt", "r"]))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_arbitrary_bytes_never_crash(data: bytes, name: str) -> None:
    try:
        doc = read_document(data, name=name)
    except InputError:
        return
    find(doc)


@given(st.binary(max_size=2000))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_arbitrary_bytes_after_a_pdf_header_are_refused_cleanly(tail: bytes) -> None:
    codes = ("intel.extract.bad_pdf", "intel.extract.encrypted_pdf", "intel.extract.too_large")
    try:
        find(read_document(b"%PDF-1.4\n" + tail, name="r.pdf"))
    except InputError as err:
        code = err.code
    else:
        code = codes[0]
    assert code in codes


@given(
    st.lists(
        st.one_of(
            st.text(max_size=12),
            st.sampled_from(["<p>", "</p>", "<script>", "</script>", "<br/>", "&amp;", "<b"]),
            st.sampled_from(["evil[.]com", "hxxp://x[.]org/a", "10.1.2.3", "&#91;.&#93;"]),
        ),
        max_size=30,
    ).map("".join)
)
@settings(max_examples=200, deadline=None)
def test_arbitrary_html_never_crashes(html: str) -> None:
    find(read_document(html.encode(), name="r.html"))


def _normal(text: str) -> str:
    """Both sides mapped character by character: CVE dashes, ATT&CK's T1071/001, case."""
    return text.lower().translate(str.maketrans({"\u2010": "-", "\u2011": "-", "\u2013": "-"}))


FRAGMENTS = [
    "hxxp", "hxxps://", "fxp://", "[.]", "(.)", "[dot]", " [at] ", "[@]", "[:]", "://", ".", ":",
    "::", "/", "@", "\\.", "\u200b", "evil", "com", "net", "xyz", "example", "10.0.0.1",
    "45.9.148.114", "2a0d:5600::2", "CVE-2021-", "cve\u20132020\u20131234", "T1059", ".001",
    "/002", MD5, SHA1, SHA256_A, "(", ")", " ", "\n", "version ", "Chrome/", "1.2.3.4", "a.b",
]  # fmt: skip


@given(
    st.lists(st.one_of(st.text(max_size=8), st.sampled_from(FRAGMENTS)), max_size=40).map("".join)
)
@settings(max_examples=400, deadline=None)
def test_every_value_found_is_in_the_refanged_input(text: str) -> None:
    ex = extract_md(text)
    haystack = _normal(refang(ex.document.text)).replace("/", ".")
    for hit in (*ex.kept, *ex.dropped):
        assert _normal(hit.value).replace("/", ".") in haystack, hit.value
        assert hit.occurrences >= len(hit.locations) >= 1


def _public_v4(ip: ipaddress.IPv4Address) -> bool:
    return default_warninglists().check("ipv4-addr", str(ip)) is None and not str(ip).endswith(".0")


@given(
    st.lists(st.ip_addresses(v=4).filter(_public_v4), min_size=1, max_size=5),
    st.lists(st.from_regex(r"[a-z]{2,12}\.(com|net|org|xyz|co\.uk)", fullmatch=True), max_size=5),
)
@settings(max_examples=200, deadline=None)
def test_defanged_addresses_and_domains_are_all_found(
    ips: list[ipaddress.IPv4Address], domains: list[str]
) -> None:
    assume(all(default_warninglists().check("domain-name", d) is None for d in domains))
    values = [str(ip) for ip in ips] + domains
    text = "IOCs: " + ", ".join(defang(v) for v in values) + "."
    ex = extract_md(text)
    assert {h.value for h in ex.kept} == set(values)
    assert all(h.defanged for h in ex.kept)


# -- warninglists -------------------------------------------------------------------------------


def test_the_trivial_hashes_list_holds_exactly_the_hashes_of_its_contents() -> None:
    where = resources.files("shieldwall.intel").joinpath("data", "warninglists")
    doc = json.loads(where.joinpath("trivial-hashes.json").read_text(encoding="utf-8"))
    computed = {
        hashlib.new(algo, content.encode("latin-1")).hexdigest()
        for content in doc["contents"]
        for algo in ("md5", "sha1", "sha256", "sha512")
    }
    assert set(doc["list"]) == computed


def test_every_bundled_list_loads_and_names_its_source() -> None:
    for name in DEFAULT_LISTS:
        wl = read_list(name)
        assert wl.name == name
        assert wl.source
        assert wl.description
        assert wl.applies_to
        assert wl.entries or wl.networks


@pytest.mark.parametrize(
    ("kind", "value", "listed"),
    [
        ("ipv4-addr", "172.20.1.1", "private-ipv4"),
        ("ipv4-addr", "172.32.1.1", None),
        ("ipv4-addr", "10.1.0.0/16", "private-ipv4"),  # a network inside a private range
        ("ipv4-addr", "8.0.0.0/4", None),
        ("ipv4-addr", "127.0.0.1", "special-ipv4"),
        ("ipv4-addr", "203.0.113.9", "documentation-ip"),
        ("ipv6-addr", "fd00::1", "special-ipv6"),
        ("ipv6-addr", "3fff::1", "documentation-ip"),
        ("domain-name", "update.microsoft.com", "top-domains"),
        ("domain-name", "microsoft.com.evil.net", None),
        ("domain-name", "notmicrosoft.com", None),
        ("domain-name", "www.example.org", "reserved-domains"),
        ("url", "https://github.com", "top-domains"),
        ("url", "https://github.com/evil/loader/raw/main/a.ps1", None),  # user content stays
        ("url", "https://attack.mitre.org/techniques/T1059/", "reference-sites"),
        ("url", "http://10.0.0.5:8080/x", "private-ipv4"),
        ("url", "http://[fe80::1]/x", "special-ipv6"),
        ("email-addr", "someone@example.com", "reserved-domains"),
        ("email-addr", "evil@gmail.com", None),  # a mailbox of a big provider is an indicator
        ("sha256", SHA256_A, None),
        ("sha1", "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709", "trivial-hashes"),
    ],
)
def test_warninglist_matching(kind: str, value: str, listed: str | None) -> None:
    found = default_warninglists().check(kind, value)
    assert (found.name if found else None) == listed


# -- the draft ----------------------------------------------------------------------------------


def assert_valid(bundle: dict[str, Any]) -> None:
    for obj in bundle["objects"]:
        check_object(obj)  # our intake validator
        if obj["type"] == "indicator":
            assert oracle_validate(obj["pattern"], ret_errs=True, print_errs=False)[0]
    stix2.parse(bundle, allow_custom=False)  # the oracle


def test_the_draft_bundle_is_valid_stix_and_deterministic() -> None:
    ex = extract_md()
    bundle = draft_bundle(ex, now=NOW, tlp=Tlp.GREEN)
    assert_valid(bundle)
    assert bundle == draft_bundle(extract_md(), now=NOW, tlp=Tlp.GREEN)
    later = draft_bundle(extract_md(), now=datetime(2026, 1, 1, tzinfo=UTC), tlp=Tlp.GREEN)
    assert [o["id"] for o in later["objects"]] == [o["id"] for o in bundle["objects"]]
    report, *rest = bundle["objects"]
    assert report["type"] == "report"
    assert report["name"] == "Operation Paper Lantern: phishing against water utilities"
    assert report["published"] == "2025-03-01T12:00:00.000000Z"
    assert report["object_refs"] == [o["id"] for o in rest]
    green = next(k for k, v in TLP2_IDS.items() if v is Tlp.GREEN)
    assert all(o["object_marking_refs"] == [green] for o in bundle["objects"])
    kinds = [o["type"] for o in rest]
    assert kinds.count("indicator") == 14
    assert kinds.count("vulnerability") == 2
    assert kinds.count("attack-pattern") == 3
    for obj in bundle["objects"]:
        assert uuid.UUID(obj["id"].split("--")[1]).version == 5
    patterns = {o["pattern"] for o in rest if o["type"] == "indicator"}
    assert f"[file:hashes.'SHA-256' = '{SHA256_A}']" in patterns
    assert "[ipv4-addr:value = '45.9.148.114']" in patterns
    assert "[email-addr:value = 'billing@invoice-portal.net']" in patterns
    cve = next(o for o in rest if o["type"] == "vulnerability" and o["name"] == "CVE-2024-3400")
    assert cve["external_references"] == [{"source_name": "cve", "external_id": "CVE-2024-3400"}]
    technique = next(o for o in rest if o["type"] == "attack-pattern" and "T1059" in o["name"])
    assert technique["external_references"][0]["external_id"] == "T1059.001"


def test_quotes_in_a_url_are_escaped_in_the_pattern() -> None:
    ex = extract_md("payload at 'hxxp://evil[.]com/it's/x', then")
    bundle = draft_bundle(ex, now=NOW)
    assert_valid(bundle)
    (indicator,) = [o for o in bundle["objects"] if o["type"] == "indicator"]
    assert indicator["pattern"] == "[url:value = 'http://evil.com/it\\'s/x']"
    odd = pattern_of(Kind.URL, "http://evil.com/a\\b'c")
    assert odd == "[url:value = 'http://evil.com/a\\\\b\\'c']"
    assert oracle_validate(odd, ret_errs=True, print_errs=False)[0]
    assert [c.value for c in parse_pattern(odd)] == ["http://evil.com/a\\b'c"]


def test_nothing_kept_means_no_report_object() -> None:
    bundle = draft_bundle(extract_md("only 10.0.0.1 and microsoft.com here"), now=NOW)
    assert bundle["objects"] == []
    assert bundle["type"] == "bundle"


def test_summary_counts_and_says_why_values_were_dropped() -> None:
    ex = extract_md()
    result = summary(ex, draft_bundle(ex, now=NOW))
    assert result["counts"]["url"] == 4
    assert result["counts"]["attack-technique"] == 3
    private = next(d for d in result["dropped"] if d["value"] == "10.0.0.5")
    assert private["warninglist"] == "private-ipv4"
    assert "RFC 1918" in private["reason"]
    assert private["locations"][0]["line"] == 24
    ids = {f["id"] for f in result["found"]}
    assert ids == set(result["bundle"]["objects"][0]["object_refs"])
    assert "Import ATT&CK" in result["attack"]["note"]
    json.dumps(result)  # plain JSON all the way down


# -- ATT&CK -------------------------------------------------------------------------------------


def technique(attack_id: str, name: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "attack-pattern",
        "spec_version": "2.1",
        "id": f"attack-pattern--{uuid.uuid5(uuid.NAMESPACE_DNS, attack_id + name)}",
        "created": "2024-01-01T00:00:00.000Z",
        "modified": "2024-01-01T00:00:00.000Z",
        "name": name,
        "external_references": [{"source_name": "mitre-attack", "external_id": attack_id}],
        "x_mitre_is_subtechnique": "." in attack_id,
        **extra,
    }


ATTACK = [
    technique("T1566", "Phishing"),
    technique("T1566.001", "Spearphishing Attachment"),
    technique("T1059", "Command and Scripting Interpreter"),
    technique("T1059.001", "PowerShell"),
    technique("T1053", "Scheduled Task/Job"),
    technique("T1053.005", "Scheduled Task"),
    technique("T1071", "Application Layer Protocol"),
    technique("T1071.004", "DNS"),
    technique("T1590", "Gather Victim Network Information"),
    technique("T1590.002", "DNS"),
    technique("T1086", "PowerShell", revoked=True),
]


def test_catalog_names() -> None:
    catalog = Catalog.from_objects((None, o) for o in ATTACK)
    assert len(catalog) == 10  # the revoked one is left out
    assert catalog.names["spearphishing attachment"][0].attack_id == "T1566.001"
    assert catalog.names["command and scripting interpreter: powershell"][0].attack_id == (
        "T1059.001"
    )
    assert catalog.names["phishing"][1] is True  # one word: exact case only
    assert "dns" not in catalog.names  # two techniques share it
    assert "powershell" not in catalog.names  # a one-word sub-technique: only as Parent: Name
    text = (
        "Phishing e-mails (phishing is common) used Spearphishing Attachment; then "
        "Command and Scripting Interpreter: PowerShell, scheduled task/job and DNS. T1566.001."
    )
    ex = extract_md(text, catalog=catalog)
    found = {h.value: h for h in ex.kept}
    assert set(found) == {"T1566", "T1566.001", "T1059.001", "T1053"}
    assert found["T1566.001"].occurrences == 2
    assert found["T1566"].occurrences == 1
    assert found["T1566"].technique == Technique(
        attack_id="T1566", name="Phishing", stix_id=ATTACK[0]["id"], collection=None
    )


def test_our_own_drafts_are_no_catalog() -> None:
    draft = technique("T1059.001", "T1059.001")
    draft["id"] = draft_id("attack-pattern", "T1059.001")
    assert len(Catalog.from_objects([(None, draft)])) == 0


# -- through the door ---------------------------------------------------------------------------


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    rt = open_runtime(Settings(home=tmp_path / "home"))
    yield rt
    rt.close()


def test_the_capability_resolves_attack_and_keeps_the_report_out_of_the_ledger(
    runtime: Runtime,
) -> None:
    door = runtime.gateway
    door.invoke(
        "intel.collection.create", {"title": "enterprise-attack", "tlp": "clear"}, LOCAL_OWNER
    )
    added = door.invoke(
        "intel.objects.add", {"collection": "enterprise-attack", "objects": ATTACK}, LOCAL_OWNER
    )
    assert added.result["failure_count"] == 0
    request = {
        "name": "../../reports/lantern.md",
        "content_b64": base64.b64encode(REPORT_MD.encode()).decode(),
        "tlp": "amber",
    }
    before = runtime.ledger.size()
    result = door.invoke("intel.extract", request, LOCAL_OWNER).result
    assert result["document"]["name"] == "lantern.md"
    assert result["attack"]["imported_techniques"] == 10
    techniques = {f["value"]: f for f in result["found"] if f["type"] == "attack-technique"}
    spear = techniques["T1566.001"]
    assert spear["resolved"]
    assert spear["name"] == "Spearphishing Attachment"
    assert spear["id"] == ATTACK[1]["id"]
    assert techniques["T1053.005"]["occurrences"] == 1  # "Scheduled Task", by name
    assert not techniques["T1071.001"]["resolved"]  # not in this small ATT&CK
    bundle = result["bundle"]
    assert_valid(bundle)
    ids = {o["id"] for o in bundle["objects"]}
    assert ATTACK[1]["id"] not in ids  # referred to, not copied
    assert ATTACK[1]["id"] in bundle["objects"][0]["object_refs"]
    assert draft_id("attack-pattern", "T1071.001") in ids
    entries = [e.decode() for e in runtime.ledger.entries(before)]
    assert entries, "the use is recorded"
    decision = json.loads(entries[0])
    assert decision["capability"] == "intel.extract"
    assert decision["request_sha256"]
    for entry in entries:
        assert "invoice-portal" not in entry
        assert "Lantern" not in entry
    # The draft goes into a collection through the existing import capability.
    door.invoke("intel.collection.create", {"title": "drafts"}, LOCAL_OWNER)
    stored = door.invoke(
        "intel.objects.add", {"collection": "drafts", "objects": bundle["objects"]}, LOCAL_OWNER
    ).result
    assert stored["success_count"] == len(bundle["objects"])


def test_the_capability_wants_one_report_and_a_member(runtime: Runtime) -> None:
    door = runtime.gateway
    with pytest.raises(InputError) as neither:
        door.invoke("intel.extract", {"name": "r.txt"}, LOCAL_OWNER)
    assert neither.value.code == "intel.extract.no_report"
    with pytest.raises(InputError) as bad:
        door.invoke("intel.extract", {"name": "r.txt", "content_b64": "%%%"}, LOCAL_OWNER)
    assert bad.value.code == "intel.extract.bad_base64"
    with pytest.raises(InputError):
        door.invoke("intel.extract", {"name": "r.txt", "text": "x", "tlp": "purple"}, LOCAL_OWNER)
    text = door.invoke("intel.extract", {"name": "r.txt", "text": "C2 evil[.]com"}, LOCAL_OWNER)
    assert text.result["counts"] == {"domain-name": 1}
    anonymous = Principal(id=PrincipalId("anon:x"), kind=PrincipalKind.ANONYMOUS, tier=Tier.PUBLIC)
    with pytest.raises(DeniedError):
        door.invoke("intel.extract", {"name": "r.txt", "text": "evil[.]com"}, anonymous)
