"""Sharing a brand registry: a hub serves its organisation's brands as a feed, a member pulls it.

Hub side: :func:`feed_document` turns the hub's own entries (source ``org``; never the bundled
list, which every member has, nor what the hub pulled from elsewhere) into::

    {"format": "shieldwall.brand-feed/1", "version": "<sha256 hex>", "generated_at": "...Z",
     "count": 2, "entries": [{"brand": "Northwind Bank", "domain": "northwindbank.com",
                              "kind": "brand"}, ...]}

``version`` is a digest of the entries alone (:func:`feed_digest`), so it is also the HTTP
``ETag``, and ``If-None-Match`` with it gets 304 (:func:`etag_matches`).

Member side: :func:`hub_address` accepts only ``https://``, or ``http://`` to this machine;
:func:`fetch_feed` sends the member's key and the last version, refuses redirects, compressed
bodies and bodies over :data:`MAX_FEED_BYTES`; :func:`parse_feed` checks the whole document
(shape, at most :data:`MAX_FEED_ENTRIES` entries, the version matching the entries) before
anything is stored; :class:`FeedScreen` then judges each entry on its own, and the accepted ones
replace the previous entries of that hub in one transaction (``BrandStore.replace_source``).

A hub is trusted with its own brands, not with anyone else's. An entry is rejected, with a
reason, when it could make a look-alike look official or hide a warning sign:

- its domain is a public suffix (``co.uk``, ``github.io``): every name under it would inherit it;
- it makes a link shortener, a free-mail provider or a free hosting service a brand's domain;
- its domain (or a parent) is an official domain of a protected brand -- bundled, or registered
  by this organisation -- and the entry does not name that brand (or is a shortener or free-mail
  kind, which would blunt the checks of that brand's mail and links);
- a label of its domain, or its brand name, is or imitates a protected brand (the same
  look-alike matcher the link check uses; homoglyphs in IDN labels included), and the domain is
  not one of that brand's official domains.

Errors::

    InputError  protect.brands.feed_url    the address is not https://, nor http:// to this host
    ParseError  protect.brands.bad_feed    not a feed (JSON, shape, size, count, version)
    ProviderError protect.brands.hub       the hub did not answer, refused the key, redirected
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import idna

from shieldwall.core.clock import isoformat_z
from shieldwall.core.errors import InputError, ParseError, ProviderError
from shieldwall.protect.brands import (
    HUB_PREFIX,
    MAX_BRAND_LEN,
    BrandEntry,
    BrandRegistry,
    DomainError,
    DomainKind,
    data_table,
    data_words,
    normalize_domain,
)
from shieldwall.protect.lookalike import (
    BrandHit,
    BrandMatcher,
    HitKind,
    describe_difference,
    matcher_for,
    skeleton,
)
from shieldwall.protect.url import public_suffix

FEED_FORMAT = "shieldwall.brand-feed/1"
FEED_PATH = "/api/v1/protect/brands/feed"
MAX_FEED_BYTES = 4 << 20
MAX_FEED_ENTRIES = 10_000
MAX_SOURCE_LEN = 64  # protect_brand.added_by
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_WORD = re.compile(r"[a-z0-9]+")


# -- the document -----------------------------------------------------------------------------


def feed_digest(rows: Iterable[tuple[Any, Any, Any]]) -> str:
    """SHA-256 over the entries as (brand, domain, kind) JSON lines, sorted: independent of
    their order in the document, and computable from whatever JSON values a feed holds."""
    lines = sorted(
        json.dumps(list(row), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        for row in rows
    )
    return hashlib.sha256("\n".join(lines).encode("utf-8", "surrogatepass")).hexdigest()


def feed_document(entries: Iterable[BrandEntry], *, generated_at: datetime) -> dict[str, Any]:
    rows = sorted({(e.brand, e.domain, str(e.kind)) for e in entries})
    return {
        "format": FEED_FORMAT,
        "version": feed_digest(rows),
        "generated_at": isoformat_z(generated_at),
        "count": len(rows),
        "entries": [{"brand": b, "domain": d, "kind": k} for b, d, k in rows],
    }


def etag_matches(header: str | None, version: str) -> bool:
    """Whether an ``If-None-Match`` header names ``version`` (weak or strong), or is ``*``."""
    if not header:
        return False
    for tag in header.split(","):
        tag = tag.strip()
        if tag == "*":
            return True
        if tag.startswith("W/"):
            tag = tag[2:]
        if tag.strip('"') == version:
            return True
    return False


@dataclass(frozen=True, slots=True, kw_only=True)
class Feed:
    version: str
    generated_at: str
    entries: tuple[Any, ...]  # as sent; each is judged by FeedScreen


def _bad_feed(message: str, *, location: str = "feed") -> ParseError:
    return ParseError(
        message,
        code="protect.brands.bad_feed",
        location=location,
        hint="Nothing was changed. Ask the hub's operator; the address should be a Shieldwall "
        f"hub's {FEED_PATH}.",
    )


def parse_feed(
    body: bytes | str,
    *,
    max_bytes: int = MAX_FEED_BYTES,
    max_entries: int = MAX_FEED_ENTRIES,
) -> Feed:
    """The whole document checked before any entry is used; :class:`ParseError` otherwise."""
    raw = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    if len(raw) > max_bytes:
        raise _bad_feed(f"the feed is larger than {max_bytes} bytes")
    try:
        doc = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise _bad_feed(f"the feed is not UTF-8 ({exc.reason})") from exc
    except RecursionError as exc:
        raise _bad_feed("the feed nests too deeply to be a feed") from exc
    except ValueError as exc:  # JSONDecodeError, and integers too long to convert
        raise _bad_feed(f"the feed is not JSON ({str(exc)[:120]})") from exc
    if not isinstance(doc, dict):
        raise _bad_feed("the feed is not a JSON object")
    if doc.get("format") != FEED_FORMAT:
        raise _bad_feed(f"the feed's format is not {FEED_FORMAT!r}", location="feed.format")
    version, generated, entries = doc.get("version"), doc.get("generated_at"), doc.get("entries")
    if not isinstance(version, str) or not _HEX64.match(version):
        raise _bad_feed("the feed's version is not a SHA-256 digest", location="feed.version")
    if not isinstance(generated, str) or len(generated) > 40:
        raise _bad_feed("the feed has no generated_at time", location="feed.generated_at")
    if not isinstance(entries, list):
        raise _bad_feed("the feed has no entries list", location="feed.entries")
    if len(entries) > max_entries:
        raise _bad_feed(
            f"the feed has {len(entries)} entries, more than {max_entries}",
            location="feed.entries",
        )
    rows = [
        (e.get("brand"), e.get("domain"), e.get("kind")) if isinstance(e, dict) else (e, None, None)
        for e in entries
    ]
    try:
        digest = feed_digest(rows)
    except (RecursionError, ValueError) as exc:
        raise _bad_feed("the feed's entries nest too deeply", location="feed.entries") from exc
    if digest != version:
        raise _bad_feed(
            "the feed's version does not match its entries (changed in transit, or not made "
            "by a Shieldwall hub)",
            location="feed.version",
        )
    return Feed(version=version, generated_at=generated, entries=tuple(entries))


# -- judging each entry -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Rejected:
    index: int  # position in the feed's entries
    brand: str  # as sent, made safe to print
    domain: str
    kind: str
    code: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "brand": self.brand,
            "domain": self.domain,
            "kind": self.kind,
            "code": self.code,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Screened:
    accepted: tuple[BrandEntry, ...]
    rejected: tuple[Rejected, ...]


def shown(value: object, *, limit: int = 80) -> str:
    """A value from a feed, safe to print: control and format characters escaped, cut short."""
    try:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=True)[:limit]
    except (RecursionError, ValueError):
        text = f"<{type(value).__name__}>"
    out = "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)
    return out if len(out) <= limit else out[: limit - 1] + "…"


@dataclass(frozen=True, slots=True, kw_only=True)
class Refusal:
    """Why one entry was not accepted."""

    code: str
    reason: str


def _key(name: str) -> str:
    """A brand name as the matcher sees it: look-alike letters folded, only a-z and 0-9."""
    return "".join(_WORD.findall(skeleton(name)))


def _name_label(name: str) -> str:
    """A brand name as one DNS-label-like string: 'PayPal Support' -> 'paypal-support'."""
    return "-".join(_WORD.findall(skeleton(name)))[:253]


class FeedScreen:
    """Judges a hub's entries against the protected registry: the bundled brands and the ones
    this organisation registered itself. Accepted entries carry ``source``."""

    def __init__(self, protected: BrandRegistry, *, source: str = HUB_PREFIX.rstrip(":")) -> None:
        self._registry = protected
        self._source = source
        self._matcher: BrandMatcher = matcher_for(protected)
        self._keys: dict[str, set[str]] = {}
        self._brand_domains: dict[str, BrandEntry] = {}
        # A protected brand's exact name (folded) -> the brand and its official domains: the
        # matcher alone lets short names through ('RBC Royal Bank' on any domain).
        self._names: dict[str, tuple[str, list[str]]] = {}
        for e in protected.entries:
            if e.kind is DomainKind.BRAND:
                self._keys.setdefault(e.brand, set()).add(_key(e.brand))
                self._brand_domains.setdefault(e.domain, e)
                self._names.setdefault(_key(e.brand), (e.brand, []))[1].append(e.domain)

    def screen(self, entries: Sequence[Any]) -> Screened:
        accepted: dict[tuple[str, str, DomainKind], BrandEntry] = {}
        rejected: list[Rejected] = []
        for i, raw in enumerate(entries):
            verdict = self.check(raw)
            if isinstance(verdict, BrandEntry):
                accepted.setdefault((verdict.brand, verdict.domain, verdict.kind), verdict)
                continue
            fields = raw if isinstance(raw, dict) else {"brand": raw}
            rejected.append(
                Rejected(
                    index=i,
                    brand=shown(fields.get("brand", "")),
                    domain=shown(fields.get("domain", "")),
                    kind=shown(fields.get("kind", "")),
                    code=verdict.code,
                    reason=verdict.reason,
                )
            )
        return Screened(accepted=tuple(accepted.values()), rejected=tuple(rejected))

    def check(self, raw: Any) -> BrandEntry | Refusal:
        """One entry, normalised as a CSV import would, or why it is refused."""
        parsed = self._parse(raw)
        if isinstance(parsed, Refusal):
            return parsed
        brand, domain, kind = parsed
        entry = BrandEntry(brand=brand, domain=domain, kind=kind, source=self._source)
        suffix = public_suffix(domain)
        if suffix == domain:
            return Refusal(
                code="public_suffix",
                reason=f"{domain} is a public suffix: anyone can register names under it, and "
                "all of them would look official",
            )
        shared = self._shared(domain) if kind is DomainKind.BRAND else None
        if shared is not None:
            return Refusal(
                code="shared_domain",
                reason=f"{domain} is {shared}; it cannot be one brand's official domain",
            )
        owners = self._registry.owners(domain)
        if owners:
            if kind is DomainKind.BRAND and any(_key(brand) in self._keys[o] for o in owners):
                return entry  # the brand's own domain: nothing new, nothing hidden
            given = (
                f"give it to '{shown(brand)}'" if kind is DomainKind.BRAND else f"mark it {kind}"
            )
            return Refusal(
                code="owned_domain",
                reason=f"{domain} is an official domain of {owners[0]}; a hub cannot {given}",
            )
        inside = self._brand_domain_inside(domain)
        if inside is not None:
            return Refusal(
                code="lookalike_domain",
                reason=f"{domain} starts with {inside.domain}, {inside.brand}'s domain, but "
                f"belongs to someone else",
            )
        cheap = suffix.rsplit(".", 1)[-1] in _suspicious_tlds()
        for label, idn in self._domain_labels(domain, suffix):
            hit = self._significant_hit(label, idn=idn, context=domain, cheap_ending=cheap)
            if hit is not None:
                return Refusal(
                    code="lookalike_domain", reason=self._explain(domain, hit, what="the domain")
                )
        taken = self._names.get(_key(brand))
        if taken is not None:
            owner, official = taken
            return Refusal(
                code="lookalike_brand",
                reason=f"the brand name '{shown(brand)}' names {owner}, and {domain} is not one "
                f"of {owner}'s domains ({', '.join(sorted(official)[:5])})",
            )
        name = _name_label(brand)
        hit = self._significant_hit(name, idn=False, context=name, cheap_ending=False)
        if hit is not None:
            return Refusal(
                code="lookalike_brand",
                reason=self._explain(domain, hit, what=f"the brand name '{shown(brand)}'"),
            )
        return entry

    def _shared(self, domain: str) -> str | None:
        """What kind of shared service ``domain`` (or a parent) is, if any."""
        labels = domain.split(".")
        parents = [".".join(labels[i:]) for i in range(len(labels) - 1)]
        if self._registry.is_shortener(domain):
            return "a link shortener anyone can use"
        if any(self._registry.is_freemail(p) for p in parents):
            return "a free e-mail provider anyone can use"
        if domain in data_words("free_hosting.txt"):
            return "a free hosting service anyone can publish on"
        return None

    @staticmethod
    def _parse(raw: Any) -> tuple[str, str, DomainKind] | Refusal:
        if not isinstance(raw, dict):
            return Refusal(code="malformed", reason="an entry is an object: brand, domain, kind")
        brand, domain, kind = raw.get("brand"), raw.get("domain"), raw.get("kind", "brand")
        if not isinstance(brand, str) or not isinstance(domain, str) or not isinstance(kind, str):
            return Refusal(code="malformed", reason="brand, domain and kind must be strings")
        brand = unicodedata.normalize("NFC", brand.strip())
        if not brand or len(brand) > MAX_BRAND_LEN or not brand.isprintable():
            return Refusal(
                code="bad_brand",
                reason=f"the brand name must be 1 to {MAX_BRAND_LEN} printable characters",
            )
        try:
            parsed_kind = DomainKind(kind.strip().lower() or "brand")
        except ValueError:
            return Refusal(code="bad_kind", reason="kind must be brand, shortener or freemail")
        try:
            ascii_domain = normalize_domain(domain)
        except DomainError as exc:
            return Refusal(code="bad_domain", reason=shown(str(exc), limit=200))
        return brand, ascii_domain, parsed_kind

    def _brand_domain_inside(self, domain: str) -> BrandEntry | None:
        """A protected brand's domain written at the start of another ('paypal.com.evil.org',
        'paypal.com-login.evil.org'), as the link check's subdomain test finds it."""
        labels = domain.split(".")
        for i in range(len(labels)):
            for j in range(i + 1, len(labels)):
                head = ".".join(labels[i:j])
                if head in self._brand_domains:  # 'paypal.com.evil.org'
                    return self._brand_domains[head]
                last = labels[j]  # 'paypal.com-login.evil.org': a domain, then a hyphen
                for cut in (k for k, c in enumerate(last) if c == "-"):
                    start = f"{head}.{last[:cut]}"
                    if start in self._brand_domains:
                        return self._brand_domains[start]
        return None

    @staticmethod
    def _domain_labels(domain: str, suffix: str) -> list[tuple[str, bool]]:
        """The labels left of the public suffix, each as ASCII the matcher reads, and whether it
        was an international (xn--) label."""
        head = domain[: -len(suffix) - 1] if suffix else domain.rsplit(".", 1)[0]
        out: list[tuple[str, bool]] = []
        for label in head.split("."):
            if not label.startswith("xn--"):
                out.append((label, False))
                continue
            try:
                uni = str(idna.decode(label))
            except (idna.IDNAError, UnicodeError, ValueError):
                uni = label
            folded = "".join(c for c in skeleton(uni) if c.isascii() and (c.isalnum() or c == "-"))
            out.append((folded.strip("-"), True))
        return [(label, idn) for label, idn in out if label]

    def _significant_hit(
        self, label: str, *, idn: bool, context: str, cheap_ending: bool
    ) -> BrandHit | None:
        """The first hit a link check would warn about: an everyday-word brand ('target',
        'one') counts only as the whole label, with lure words anywhere in ``context``, or under
        a cheap ending (.top, .xyz); any hit in an international label counts."""
        if not label:
            return None
        m = self._matcher
        for hit in m.hits(label):
            if idn or hit.kind is not HitKind.WHOLE or hit.token.distinctive or cheap_ending:
                return hit
            if hit.seen == label.replace("-", "") or m.lure_in(context, besides=hit.seen):
                return hit
        return None

    def _explain(self, domain: str, hit: BrandHit, *, what: str) -> str:
        tok = hit.token
        official = self._registry.official_domain(tok.brand) or tok.domain
        if hit.kind is HitKind.LOOKALIKE:
            how = f"imitates {tok.brand} ({describe_difference(hit.seen, tok.token)})"
        else:
            how = f"names {tok.brand}"
        return f"{what} {how}, and {domain} is not one of {tok.brand}'s domains ({official})"


@functools.cache
def _suspicious_tlds() -> frozenset[str]:
    return frozenset(row[0] for row in data_table("suspicious_tlds.txt") if row)


# -- the member's side of the wire ------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class HubAddress:
    url: str  # the feed's URL
    source: str  # hub:<host>[:port], the source its entries are kept under


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def hub_address(text: str) -> HubAddress:
    """A hub's address (its base URL or the feed's URL) -> the feed's URL and its source name."""
    hint = (
        "Use the hub's https:// address, e.g. https://hub.example.org; plain http:// is "
        "accepted only for a hub on this machine (127.0.0.1, [::1] or localhost)."
    )
    try:
        url = httpx.URL(text.strip())
        host = url.raw_host.decode("ascii").lower().rstrip(".")
    except (httpx.InvalidURL, UnicodeDecodeError, ValueError) as exc:
        raise InputError(
            f"{shown(text)} is not a URL", code="protect.brands.feed_url", hint=hint
        ) from exc
    if not url.scheme or not host:
        raise InputError(
            f"{shown(text)} is not a full address (scheme and host)",
            code="protect.brands.feed_url",
            hint=hint,
        )
    if url.userinfo:
        raise InputError(
            "the hub's address carries a user name or password",
            code="protect.brands.feed_url",
            hint="Give the hub's API key with --key (or SHIELDWALL_PROTECT_HUB_KEY) instead.",
        )
    if url.scheme == "http" and not _loopback(host):
        raise InputError(
            f"refusing plain http:// to {host}: the key and the feed would travel unencrypted "
            "and could be read or changed on the way",
            code="protect.brands.feed_url",
            hint=hint,
        )
    if url.scheme not in ("http", "https"):
        raise InputError(
            f"{shown(text)} is not an http(s) address", code="protect.brands.feed_url", hint=hint
        )
    path = url.path.rstrip("/")
    if not path.endswith(FEED_PATH):
        path += FEED_PATH
    netloc = f"[{host}]" if ":" in host else host
    if url.port is not None:
        netloc += f":{url.port}"
    source = HUB_PREFIX + netloc
    if len(source) > MAX_SOURCE_LEN:
        tag = hashlib.sha256(netloc.encode()).hexdigest()[:12]
        source = source[: MAX_SOURCE_LEN - 13] + "~" + tag
    return HubAddress(url=str(url.copy_with(path=path, fragment=None)), source=source)


def _hub_error(message: str, *, hint: str | None = None) -> ProviderError:
    return ProviderError(
        message,
        code="protect.brands.hub",
        hint=hint or "Nothing was changed. Check the address and that the hub is up.",
    )


def _problem_detail(response: httpx.Response) -> str:
    try:
        body = json.loads(response.read()[:4096])
    except (ValueError, httpx.HTTPError):
        return ""
    detail = body.get("detail") if isinstance(body, dict) else None
    return f": {shown(detail, limit=200)}" if isinstance(detail, str) else ""


def fetch_feed(
    address: HubAddress,
    *,
    key: str | None,
    etag: str | None,
    timeout_s: float = 30.0,
    max_bytes: int = MAX_FEED_BYTES,
    transport: httpx.BaseTransport | None = None,
) -> bytes | None:
    """The feed's body, or None when the hub answers 304 to ``etag``."""
    headers = {"Accept": "application/json", "Accept-Encoding": "identity"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    if etag:
        headers["If-None-Match"] = f'"{etag}"'
    # A proxy from the environment may carry https (it cannot read it), never plain http.
    trust_env = address.url.startswith("https:")
    try:
        with (
            httpx.Client(
                timeout=timeout_s,
                follow_redirects=False,
                trust_env=trust_env,
                transport=transport,
            ) as client,
            client.stream("GET", address.url, headers=headers) as response,
        ):
            status = response.status_code
            if status == 304 and etag:
                return None
            if response.is_redirect:
                where = shown(response.headers.get("location", ""), limit=200)
                raise _hub_error(
                    f"the hub redirects to {where}",
                    hint="Nothing was changed. Give that address with --from if you trust it.",
                )
            if status in (401, 403):
                raise _hub_error(
                    f"the hub refused the request (HTTP {status}){_problem_detail(response)}",
                    hint="Nothing was changed. Give a key the hub issued to your organisation "
                    "with --key (or SHIELDWALL_PROTECT_HUB_KEY).",
                )
            if status != 200:
                raise _hub_error(f"the hub answered HTTP {status}{_problem_detail(response)}")
            encoding = response.headers.get("content-encoding", "identity").strip().lower()
            if encoding not in ("", "identity"):
                raise _hub_error(f"the hub sent a {shown(encoding)}-encoded body; expected none")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise _bad_feed(f"the feed is larger than {max_bytes} bytes")
            body = bytearray()
            for chunk in response.iter_raw():
                body += chunk
                if len(body) > max_bytes:
                    raise _bad_feed(f"the feed is larger than {max_bytes} bytes")
            return bytes(body)
    except httpx.HTTPError as exc:
        raise _hub_error(f"cannot reach the hub at {address.url}: {type(exc).__name__}") from exc


# -- what the member remembers between pulls --------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedState:
    url: str
    version: str
    screened_with: str  # digest of the protected registry the entries were judged against
    stored: int  # rows kept under the source afterwards
    synced_at: str


class FeedStates:
    """The last version pulled from each hub, in a small JSON file of the data directory. Only
    an optimisation (If-None-Match): without it a pull fetches the whole feed, and writes
    nothing when nothing changed."""

    def __init__(self, path: Path) -> None:
        self._path = path

    def _load(self) -> dict[str, Any]:
        try:
            doc = json.loads(self._path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return doc if isinstance(doc, dict) else {}

    def get(self, source: str) -> FeedState | None:
        item = self._load().get(source)
        if not isinstance(item, dict):
            return None
        try:
            return FeedState(
                url=str(item["url"]),
                version=str(item["version"]),
                screened_with=str(item["screened_with"]),
                stored=int(item["stored"]),
                synced_at=str(item["synced_at"]),
            )
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, source: str, state: FeedState) -> None:
        doc = self._load()
        doc[source] = {
            "url": state.url,
            "version": state.version,
            "screened_with": state.screened_with,
            "stored": state.stored,
            "synced_at": state.synced_at,
        }
        self._path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self._path.parent, prefix=".brand-feeds-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(doc, fh, indent=2, sort_keys=True)
            os.replace(tmp, self._path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def registry_digest(entries: Iterable[BrandEntry]) -> str:
    return feed_digest(sorted({(e.brand, e.domain, str(e.kind)) for e in entries}))
