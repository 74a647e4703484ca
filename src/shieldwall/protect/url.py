"""Checking a link without opening it.

The address is parsed the way a browser would (userinfo before the last ``@`` is dropped,
backslashes count as slashes, numeric hosts are IP addresses), its registered domain is found
with the Public Suffix List (tldextract's bundled snapshot: no network, no cache on disk), and
each warning sign becomes a :class:`~shieldwall.protect.verdict.Signal` in plain words. The link
is never fetched.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote

import idna
import tldextract

from shieldwall.core.errors import InputError
from shieldwall.protect.brands import BrandRegistry, DomainKind, data_table, data_words
from shieldwall.protect.lookalike import (
    BrandMatcher,
    HitKind,
    describe_difference,
    matcher_for,
    script_of,
    skeleton,
)
from shieldwall.protect.verdict import Assessment, Signal, Verdict, assess

MAX_URL_CHARS = 16_384
LONG_URL_CHARS = 200
LONG_HOST_CHARS = 50

WEB_SCHEMES = frozenset({"http", "https", "ftp", "ws", "wss"})
SCRIPT_SCHEMES = frozenset({"javascript", "data", "vbscript", "blob", "file"})
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_ASCII_HOST = re.compile(r"^[a-z0-9_\-]+(?:\.[a-z0-9_\-]+)*$")
_CREDENTIAL_WORDS = re.compile(
    r"(?<![a-z])(log[-_]?in|log[-_]?on|sign[-_]?in|signon|verify|verification|validate|"
    r"account|update|secure|password|passwd|webscr|banking|confirm|unlock|wallet|billing|"
    r"authenticate|auth|recover|suspend|ssn|credential|2fa|otp|kyc)",
    re.IGNORECASE,
)
_EMBEDDED_URL = re.compile(r"(https?:|https?%3a|www\.)", re.IGNORECASE)
_EMAIL = re.compile(r"[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}", re.IGNORECASE)
_HACKED_SITE = re.compile(  # a page (not an uploaded file) inside a CMS's own folders
    r"/wp-(?:content|includes|admin)/(?!uploads/[^?#]*\.(?:pdf|jpe?g|png|gif|webp|docx?|xlsx?|"
    r"pptx?|mp[34]|zip)(?:[?#]|$))[^?#]*(?:\.(?:php|html?|aspx?)|/)(?:[?#]|$)"
    r"|/\.well-known/[^?#]+\.(?:php|html?)",
    re.IGNORECASE,
)

ADVICE: dict[Verdict, tuple[str, ...]] = {
    Verdict.SAFE: (
        "No warning signs in the address itself. That is not a guarantee: a real site can be "
        "hacked, so still never type a password into a page you reached from a message.",
    ),
    Verdict.SUSPICIOUS: (
        "Do not enter passwords, codes or card details on this site.",
        "If it claims to come from a company you use, open that company's app or type its "
        "address yourself instead of using this link.",
    ),
    Verdict.DANGEROUS: (
        "Do not open this link.",
        "If you already opened it and typed a password, change that password now (and anywhere "
        "you reused it) and turn on two-step verification.",
        "Report it: use your mail or messaging app's 'report phishing / junk' option.",
    ),
}


class UrlError(InputError):
    """Text that is not a web address."""


def _bad(text: str, why: str) -> UrlError:
    shown = text if len(text) <= 80 else text[:77] + "..."
    return UrlError(
        f"{shown!r} is not a web address: {why}",
        code="protect.url.invalid",
        hint="Paste the whole link, for example https://example.com/page.",
    )


@functools.cache
def _extractor() -> tldextract.TLDExtract:
    # suffix_list_urls=() and cache_dir=None: the snapshot bundled with tldextract, no network,
    # nothing written to disk.
    return tldextract.TLDExtract(
        cache_dir=None,
        suffix_list_urls=(),
        fallback_to_snapshot=True,
        include_psl_private_domains=True,
    )


def public_suffix(host: str) -> str:
    """The Public Suffix List entry ``host`` ends with ('co.uk', 'github.io'); '' if none."""
    return str(_extractor()(host).suffix)


@dataclass(frozen=True, slots=True, kw_only=True)
class ParsedUrl:
    text: str  # what was given, trimmed
    scheme: str
    scheme_added: bool
    userinfo: str | None
    host: str  # ASCII: lower case, punycode, or the IP address
    host_unicode: str
    port: int | None
    path: str  # path, query and fragment, as given
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address | None
    subdomain: str
    label: str  # the registrable label: 'paypal' in www.paypal.co.uk
    suffix: str  # the public suffix: 'co.uk'; '' when unknown
    private_suffix: bool  # a PSL private suffix: anyone can make a site under it
    idn_error: bool = False

    @property
    def registered_domain(self) -> str:
        if self.ip is not None or not self.suffix:
            return self.host
        return f"{self.label}.{self.suffix}"


def _refang(text: str) -> str:
    out = re.sub(r"^hxxp", "http", text, flags=re.IGNORECASE)
    out = re.sub(r"^(https?)//", r"\1://", out, flags=re.IGNORECASE)
    for a, b in (("[.]", "."), ("(.)", "."), ("{.}", "."), ("[:]", ":"), ("[dot]", ".")):
        out = out.replace(a, b)
    return out


def _parse_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """WHATWG IPv4 parsing: decimal, 0x hex and 0-octal parts, 1 to 4 of them."""
    parts = host.split(".")
    if parts and parts[-1] == "":
        parts.pop()
    if not parts or len(parts) > 4:
        return None
    numbers: list[int] = []
    for part in parts:
        if not part:
            return None
        try:
            if part.lower().startswith("0x"):
                numbers.append(int(part[2:] or "0", 16))
            elif len(part) > 1 and part.startswith("0"):
                numbers.append(int(part, 8))
            else:
                if not part.isascii() or not part.isdigit():
                    return None
                numbers.append(int(part))
        except ValueError:
            return None
    if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        return None
    value = numbers[-1]
    for i, n in enumerate(numbers[:-1]):
        value += n * 256 ** (3 - i)
    return ipaddress.IPv4Address(value)


def parse_url(text: str) -> ParsedUrl:
    """Parse ``text`` like a browser's address bar would; :class:`UrlError` if it is not a web
    address (``javascript:`` and ``data:`` links are parsed with an empty host)."""
    raw = text.strip().strip("<>\"'")
    if not raw:
        raise _bad(text, "it is empty")
    if len(raw) > MAX_URL_CHARS:
        raise _bad(text, f"it is longer than {MAX_URL_CHARS} characters")
    raw = re.sub(r"[\t\r\n]", "", _refang(raw))
    match = _SCHEME.match(raw)
    scheme_added = False
    scheme = match.group(1).lower() if match else ""
    if scheme in SCRIPT_SCHEMES:
        return ParsedUrl(
            text=raw,
            scheme=scheme,
            scheme_added=False,
            userinfo=None,
            host="",
            host_unicode="",
            port=None,
            path=raw[len(scheme) + 1 :],
            ip=None,
            subdomain="",
            label="",
            suffix="",
            private_suffix=False,
        )
    if scheme not in WEB_SCHEMES:
        if (
            match
            and "." not in scheme
            and not raw[len(scheme) + 1 :].strip("/").split("/")[0].isdigit()
        ):
            raise _bad(text, f"'{scheme}:' links are not web links")
        scheme, rest, scheme_added = "http", raw.lstrip("/\\"), True
    else:
        rest = raw[len(scheme) + 1 :]
    rest = rest.replace("\\", "/").lstrip("/")
    end = len(rest)
    for sep in "/?#":
        pos = rest.find(sep)
        if pos != -1:
            end = min(end, pos)
    authority, path = rest[:end], rest[end:]
    userinfo: str | None = None
    if "@" in authority:
        userinfo, _, authority = authority.rpartition("@")
    host, port = _split_port(text, authority)
    host = unquote(host).strip().rstrip(".")
    if not host:
        raise _bad(text, "it has no host name")
    if any(c.isspace() or (unicodedata.category(c) == "Cc") for c in host):
        raise _bad(text, "the host name contains spaces or control characters")

    ip: ipaddress.IPv4Address | ipaddress.IPv6Address | None = None
    if host.startswith("["):
        try:
            ip = ipaddress.IPv6Address(host.strip("[]").split("%")[0])
        except ValueError as exc:
            raise _bad(text, "the address in [brackets] is not an IPv6 address") from exc
        ascii_host = str(ip)
    else:
        ip = _parse_ipv4(host)
        ascii_host = str(ip) if ip is not None else ""
    idn_error = False
    if ip is None:
        ascii_host, idn_error = _to_ascii(text, host)
        if "." not in ascii_host:
            raise _bad(text, f"{host!r} is not a full domain name (no dot)")
        if len(ascii_host) > 253 or any(len(lab) > 63 for lab in ascii_host.split(".")):
            raise _bad(text, "the host name is too long")
    host_unicode = ascii_host if ip is not None else _to_unicode(ascii_host)
    sub, label, suffix, private = "", ascii_host, "", False
    if ip is None:
        ext = _extractor()(ascii_host)
        sub, label, suffix, private = ext.subdomain, ext.domain, ext.suffix, ext.is_private
        if not suffix:  # not under any public suffix: call the last label the suffix
            labels = ascii_host.split(".")
            sub, label = ".".join(labels[:-2]), labels[-2]
    return ParsedUrl(
        text=raw,
        scheme=scheme,
        scheme_added=scheme_added,
        userinfo=userinfo,
        host=ascii_host,
        host_unicode=host_unicode,
        port=port,
        path=path,
        ip=ip,
        subdomain=sub,
        label=label,
        suffix=suffix,
        private_suffix=private,
        idn_error=idn_error,
    )


def _split_port(text: str, authority: str) -> tuple[str, int | None]:
    if authority.startswith("["):
        close = authority.find("]")
        if close == -1:
            raise _bad(text, "an IPv6 address is missing its ']'")
        host, rest = authority[: close + 1], authority[close + 1 :]
        if rest and not rest.startswith(":"):
            raise _bad(text, "unexpected text after the IPv6 address")
        port_text = rest[1:]
    else:
        host, sep, port_text = authority.rpartition(":")
        if not sep:
            host, port_text = authority, ""
    if not port_text:
        return host, None
    if not port_text.isascii() or not port_text.isdigit() or int(port_text) > 65535:
        raise _bad(text, f"the port {port_text[:20]!r} is not a number from 0 to 65535")
    return host, int(port_text)


def _to_ascii(text: str, host: str) -> tuple[str, bool]:
    lowered = host.lower()
    if lowered.isascii() and _ASCII_HOST.match(lowered) and "xn--" not in lowered:
        if any(not lab for lab in lowered.split(".")):
            raise _bad(text, "the host name has an empty part ('..')")
        return lowered, False
    try:
        return idna.encode(host, uts46=True, transitional=False).decode("ascii"), False
    except (idna.IDNAError, UnicodeError, ValueError) as exc:
        if lowered.isascii() and _ASCII_HOST.match(lowered):
            if any(not lab for lab in lowered.split(".")):
                raise _bad(text, "the host name has an empty part ('..')") from exc
            return lowered, True  # a malformed xn-- label: keep it, flag it
        raise _bad(text, "the host name has characters a browser will not accept") from exc


def _to_unicode(ascii_host: str) -> str:
    if "xn--" not in ascii_host:
        return ascii_host
    try:
        return str(idna.decode(ascii_host))
    except (idna.IDNAError, UnicodeError, ValueError):
        return ascii_host


@functools.cache
def _tld_levels() -> dict[str, str]:
    return {row[0]: row[1] for row in data_table("suspicious_tlds.txt") if len(row) >= 2}


def _on_free_hosting(host: str) -> str | None:
    hosting = data_words("free_hosting.txt")
    labels = host.split(".")
    for i in range(len(labels) - 1):
        suffix = ".".join(labels[i:])
        if suffix in hosting:
            return suffix
    return None


_CC_SECOND_LEVEL = frozenset({"co", "com", "net", "org", "gov", "ac", "or", "ne", "go", "gob"})


def _country_ending(suffix: str) -> bool:
    """'de', 'co.uk', 'com.au': a country's own ending (where big brands register their name)."""
    labels = suffix.split(".")
    if len(labels[-1]) != 2:
        return False
    return len(labels) == 1 or (len(labels) == 2 and labels[0] in _CC_SECOND_LEVEL)


# -- the check ----------------------------------------------------------------------------------


def url_signals(url: ParsedUrl, registry: BrandRegistry) -> list[Signal]:
    """Every warning sign (and reassurance) in one parsed address."""
    if not url.host:
        return [
            Signal(
                signal="script_link",
                detail=f"This is a '{url.scheme}:' link: it runs code or shows content built into "
                "the link itself instead of opening a website. Real messages do not send these.",
                weight=0.9,
            )
        ]
    m = matcher_for(registry)
    out: list[Signal] = []
    host, shown, registered = url.host, url.host_unicode, url.registered_domain

    if url.ip is not None:
        where = " inside a private or local network" if url.ip.is_private else ""
        out.append(
            Signal(
                signal="ip_host",
                detail=f"The link goes to a bare internet address ({host}){where} instead of a "
                "name. Real companies use names like example.com; scam pages are often reached "
                "by number.",
                weight=0.6,
            )
        )

    if url.userinfo is not None:
        fake = unquote(url.userinfo)[:60]
        looks_like_site = "." in fake or bool(m.hits(fake.lower().split(".")[0]))
        out.append(
            Signal(
                signal="at_sign_trick",
                detail=f"Everything before the '@' in this link ('{fake}') is ignored: the "
                f"browser actually goes to {shown}.",
                weight=0.75 if looks_like_site else 0.45,
            )
        )

    hosting = _on_free_hosting(host) if url.ip is None else None
    user_content = url.private_suffix or hosting is not None
    brand_owned = registry.owners(host) if url.ip is None else ()
    owners = () if user_content else brand_owned
    if owners:
        out.append(
            Signal(
                signal="official_domain",
                detail=f"{registered} is an official domain of {', '.join(owners)}.",
                weight=-0.85,
            )
        )
    if user_content:
        service = hosting or url.suffix
        out.append(
            Signal(
                signal="shared_hosting",
                detail=f"This page is hosted on {service}, where anyone can publish a page or "
                "form for free; companies rarely ask you to sign in on pages hosted there.",
                weight=0.2,
            )
        )

    out.extend(_idn_signals(url, m))

    if url.ip is None and registry.is_shortener(host) and url.path.strip("/?#"):
        out.append(
            Signal(
                signal="shortener",
                detail=f"{registered} is a link shortener: the real destination is hidden until "
                "you open it.",
                weight=0.4,
            )
        )

    tld = url.suffix.rsplit(".", 1)[-1] if url.suffix else ""
    if url.ip is None and not url.suffix:
        out.append(
            Signal(
                signal="unknown_tld",
                detail=f"The address ends in '.{host.rsplit('.', 1)[-1]}', which is not a public "
                "domain ending: it only works inside some private networks, or not at all.",
                weight=0.35,
            )
        )
    elif tld and not owners:
        level = _tld_levels().get(tld)
        if level is not None:
            out.append(
                Signal(
                    signal="suspicious_tld",
                    detail=f"The address ends in '.{tld}', an ending that is "
                    + ("mostly used by scams" if level == "high" else "often abused")
                    + " because names there are cheap and barely checked.",
                    weight=0.3 if level == "high" else 0.1,
                )
            )

    if not brand_owned and url.ip is None:
        out.extend(_brand_signals(url, m, registry))
    out.extend(_structure_signals(url, m, official=bool(owners)))
    return out


def _idn_signals(url: ParsedUrl, m: BrandMatcher) -> list[Signal]:
    if url.idn_error:
        return [
            Signal(
                signal="bad_idn",
                detail=f"The name {url.host} contains a broken international-name part "
                "('xn--...') that browsers refuse or show oddly.",
                weight=0.4,
            )
        ]
    if "xn--" not in url.host:
        return []
    worst: Signal | None = None
    for uni in url.host_unicode.split("."):
        if uni.isascii():
            continue
        scripts = {script_of(c) for c in uni if c.isalpha()}
        skel = skeleton(uni)
        target = m.tokens.get(skel.replace("-", ""))
        if target is not None and skel != uni:
            fakes = sorted({c for c in uni if not c.isascii() and skeleton(c) != c})
            chars = ", ".join(f"'{c}' ({script_of(c).title()})" for c in fakes[:3])
            return [
                Signal(
                    signal="homograph",
                    detail=f"The address looks like {target.domain} ({target.brand}), but "
                    f"{chars} only looks like a Latin letter. The real address is {url.host}.",
                    weight=0.9,
                )
            ]
        if "LATIN" in scripts and scripts - {"LATIN", "COMMON"}:
            worst = Signal(
                signal="mixed_scripts",
                detail=f"The name {url.host_unicode} mixes Latin letters with look-alike letters "
                f"from another alphabet, a trick to imitate a familiar name. The real address "
                f"is {url.host}.",
                weight=0.6,
            )
        elif worst is None:
            worst = Signal(
                signal="idn",
                detail=f"The address uses international letters ({url.host_unicode}, written "
                f"{url.host} underneath). That is normal for some local sites, and also a way "
                "to imitate a familiar name.",
                weight=0.15,
            )
    return [worst] if worst is not None else []


def _brand_signals(url: ParsedUrl, m: BrandMatcher, registry: BrandRegistry) -> list[Signal]:
    out: list[Signal] = []
    registered = url.registered_domain
    seen_brands: set[str] = set()
    bad_ending = url.suffix.rsplit(".", 1)[-1] in _tld_levels()

    for hit in m.hits(url.label):
        tok = hit.token
        official = registry.official_domain(tok.brand) or tok.domain
        lure = m.lure_in(url.label, besides=hit.seen) or bad_ending
        seen_brands.add(tok.brand)
        if hit.kind is HitKind.LOOKALIKE:
            out.append(
                Signal(
                    signal="lookalike_domain",
                    detail=f"The address {registered} looks like {official} ({tok.brand}) but is "
                    f"not: {describe_difference(hit.seen, tok.token)}.",
                    weight=0.8,
                )
            )
            continue
        own_name = hit.seen == url.label == official.split(".")[0].replace("-", "")
        if own_name and _country_ending(url.suffix) and not bad_ending:
            # the brand's own name under a country ending: google.co.in, walmart.ca
            out.append(
                Signal(
                    signal="brand_other_ending",
                    detail=f"{registered} is {tok.brand}'s name under a country ending; big "
                    f"companies usually own those, but it is not in the list of {tok.brand}'s "
                    f"domains ({official}).",
                    weight=0.1,
                )
            )
            continue
        if hit.kind is HitKind.EMBEDDED:
            weight = 0.6 if lure else 0.3
        elif tok.distinctive:
            weight = 0.7 if lure else 0.45
        elif lure:
            weight = 0.5
        else:
            seen_brands.discard(tok.brand)
            continue
        out.append(
            Signal(
                signal="brand_in_domain",
                detail=f"The address mentions {tok.brand}, but {registered} is not one of "
                f"{tok.brand}'s domains ({tok.brand} uses {official}). Anyone can register "
                "a name that contains a brand.",
                weight=weight,
            )
        )

    if url.subdomain:
        out.extend(_subdomain_signals(url, m, registry, seen_brands))

    if not seen_brands and url.path:
        brand = _brand_in_path(url.path, m)
        if brand is not None:
            out.append(
                Signal(
                    signal="brand_in_path",
                    detail=f"The page's address mentions {brand}, on a site ({registered}) that "
                    f"does not belong to {brand}.",
                    weight=0.3,
                )
            )

    if not seen_brands:
        words = m.lure_in(url.label)
        if len(words) >= 2:
            out.append(
                Signal(
                    signal="lure_words_domain",
                    detail=f"The name {registered} is made of words scams use to look official ("
                    + ", ".join(words[:3])
                    + ").",
                    weight=0.3,
                )
            )
    return out


def _subdomain_signals(
    url: ParsedUrl, m: BrandMatcher, registry: BrandRegistry, seen_brands: set[str]
) -> list[Signal]:
    out: list[Signal] = []
    registered = url.registered_domain
    dotted, dashed = f".{url.subdomain}.", f".{url.host}"
    for e in registry.entries:
        if e.kind is not DomainKind.BRAND or e.brand in seen_brands:
            continue
        if f".{e.domain}." in dotted or f".{e.domain}-" in dashed:
            out.append(
                Signal(
                    signal="brand_in_subdomain",
                    detail=f"The link starts with {e.domain}, but the site it really goes to is "
                    f"{registered}: everything to the left of {registered} is chosen by whoever "
                    f"owns {registered}.",
                    weight=0.75,
                )
            )
            seen_brands.add(e.brand)
            break
    for sub_label in url.subdomain.split("."):
        for hit in m.hits(sub_label):
            tok = hit.token
            if tok.brand in seen_brands:
                continue
            lure = bool(m.lure_in(url.host, besides=hit.seen))
            if hit.kind is HitKind.LOOKALIKE and not lure:
                # A near-miss of a brand word in front of an unrelated site is mostly an
                # ordinary word ('static.flickr.com' vs gstatic, 'qmail.example.com' vs gmail):
                # the names on the left are the site owner's own, and imitation there needs
                # the brand itself or a lure word ('paypa1-login.example.com') to mean much.
                continue
            if hit.kind is HitKind.LOOKALIKE:
                weight = 0.5
                what = f"imitates {tok.brand} ({describe_difference(hit.seen, tok.token)})"
            elif tok.distinctive and hit.kind is HitKind.WHOLE:
                weight = 0.55 if lure else 0.3
                what = f"mentions {tok.brand}"
            elif lure:
                weight = 0.35
                what = f"mentions {tok.brand}"
            else:
                continue
            seen_brands.add(tok.brand)
            official = registry.official_domain(tok.brand) or tok.domain
            out.append(
                Signal(
                    signal="brand_in_subdomain",
                    detail=f"The address {what} at its start, but the site is {registered}, "
                    f"which does not belong to {tok.brand} ({tok.brand} uses {official}).",
                    weight=weight,
                )
            )
    return out


def _brand_in_path(path: str, m: BrandMatcher) -> str | None:
    """A brand as a folder or file name ('/paypal/login.php'), not inside an article's title."""
    clean = unquote(path.split("#", 1)[0].split("?", 1)[0]).lower()
    for segment in clean.split("/"):
        words = [w for w in re.split(r"[^a-z0-9]+", segment) if w]
        if not words or len(words) > 3:
            continue
        for word in words:
            tok = m.tokens.get(word)
            if tok is not None and tok.distinctive:
                return tok.brand
    return None


def _structure_signals(url: ParsedUrl, m: BrandMatcher, *, official: bool) -> list[Signal]:
    out: list[Signal] = []
    path = unquote(url.path)
    if not official:
        found = sorted({w.lower() for w in _CREDENTIAL_WORDS.findall(path)})
        if found:
            out.append(
                Signal(
                    signal="credential_path",
                    detail="The page's address has words used by sign-in and payment pages ("
                    + ", ".join(found[:4])
                    + ") - normal on a real company's site, a warning sign anywhere else.",
                    weight=0.2,
                )
            )
        if _EMAIL.search(path):
            out.append(
                Signal(
                    signal="email_in_url",
                    detail="The link carries an e-mail address. Phishing links often fill in "
                    "the victim's address so the fake sign-in page looks personal.",
                    weight=0.45,
                )
            )
        if _HACKED_SITE.search(path):
            out.append(
                Signal(
                    signal="hacked_site_path",
                    detail="The page sits inside a website's software folders (such as "
                    "wp-content), where scam pages are hidden on hacked sites.",
                    weight=0.35,
                )
            )
    depth = len([s for s in url.subdomain.split(".") if s]) if url.subdomain else 0
    if depth >= 3:
        out.append(
            Signal(
                signal="many_subdomains",
                detail=f"The name has {depth} parts before the real domain, a way to push the "
                "real domain out of view on a phone screen.",
                weight=0.3 if depth >= 4 else 0.15,
            )
        )
    if len(url.host) > LONG_HOST_CHARS:
        out.append(
            Signal(
                signal="long_host",
                detail=f"The site name is unusually long ({len(url.host)} characters).",
                weight=0.15,
            )
        )
    if len(url.text) > LONG_URL_CHARS:
        out.append(
            Signal(
                signal="long_url",
                detail=f"The link is very long ({len(url.text)} characters), which can hide "
                "where it goes.",
                weight=0.1,
            )
        )
    if not url.label.startswith("xn--") and url.label.count("-") >= 3:
        out.append(
            Signal(
                signal="many_hyphens",
                detail=f"The name '{url.label}' strings many words together with hyphens, "
                "common in throw-away scam domains.",
                weight=0.2,
            )
        )
    if url.port is not None and url.port not in (80, 443):
        out.append(
            Signal(
                signal="unusual_port",
                detail=f"The link uses an unusual port (:{url.port}), rare for real websites.",
                weight=0.2,
            )
        )
    if _EMBEDDED_URL.search(url.path):
        out.append(
            Signal(
                signal="embedded_url",
                detail="The link carries another web address inside it, as redirect tricks do.",
                weight=0.1,
            )
        )
    return out


BRAND_SIGNALS = frozenset(
    {"brand_in_domain", "lookalike_domain", "homograph", "brand_in_subdomain", "mixed_scripts"}
)


def check_url(text: str, *, registry: BrandRegistry) -> Assessment:
    """The verdict on one link, with reasons and advice. Never fetches it."""
    url = parse_url(text)
    signals = url_signals(url, registry)
    extra_advice: list[str] = []
    if any(s.signal == "shortener" for s in signals):
        extra_advice.append("Ask the sender what the short link is for before opening it.")
    if any(s.signal in BRAND_SIGNALS for s in signals):
        extra_advice.append(
            "To reach the company it names, type its address yourself or use its app."
        )
    return assess(
        signals,
        advice=ADVICE,
        extra_advice=extra_advice,
        extra={
            "url": {
                "host": url.host,
                "host_unicode": url.host_unicode,
                "registered_domain": url.registered_domain,
            }
        },
    )
