"""Indicators in untrusted text: URLs, domains, IP addresses, file hashes, e-mail addresses, CVE
ids and ATT&CK technique ids.

Found by regular expressions over a bounded prefix of the text (nothing is evaluated or
fetched), refanged first (``hxxp://``, ``evil[.]com``, ``a[@]b``), validated (addresses must
parse, hashes must be hex of the right length), deduplicated in order of first appearance and
bounded per kind. Domains need a known top-level domain that is not also a file extension, so
``lsass.exe`` and ``ntdll.dll`` are not domains. Private, loopback and reserved addresses are
kept but marked ``private``: they say where something happened, not who the attacker is.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final
from urllib.parse import urlsplit

MAX_SCAN_CHARS: Final = 2_000_000
DEFAULT_PER_KIND: Final = 50


class IndicatorKind(StrEnum):
    URL = "url"
    DOMAIN = "domain"
    IPV4 = "ipv4"
    IPV6 = "ipv6"
    MD5 = "md5"
    SHA1 = "sha1"
    SHA256 = "sha256"
    EMAIL = "email"
    CVE = "cve"
    TECHNIQUE = "technique"


HASH_KINDS: Final = (IndicatorKind.MD5, IndicatorKind.SHA1, IndicatorKind.SHA256)
NETWORK_KINDS: Final = (
    IndicatorKind.URL,
    IndicatorKind.DOMAIN,
    IndicatorKind.IPV4,
    IndicatorKind.IPV6,
    IndicatorKind.EMAIL,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Indicator:
    kind: IndicatorKind
    value: str
    private: bool = False

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": str(self.kind), "value": self.value}
        if self.private:
            out["private"] = True
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Indicators:
    items: tuple[Indicator, ...] = ()
    #: How many more of each kind were found than were kept.
    dropped: Mapping[str, int] = field(default_factory=dict)
    #: Characters of input not read (over ``max_chars``).
    skipped_chars: int = 0

    def of(self, *kinds: IndicatorKind, public_only: bool = False) -> tuple[Indicator, ...]:
        return tuple(i for i in self.items if i.kind in kinds and not (public_only and i.private))

    def values(self, *kinds: IndicatorKind) -> tuple[str, ...]:
        return tuple(i.value for i in self.of(*kinds))

    def to_json(self) -> dict[str, Any]:
        return {
            "items": [i.to_json() for i in self.items],
            "dropped": dict(self.dropped),
            "skipped_chars": self.skipped_chars,
        }


# fmt: off
_GENERIC_TLDS: Final = frozenset({
    "com", "net", "org", "info", "biz", "edu", "gov", "mil", "int", "io", "ai", "app", "dev",
    "xyz", "top", "online", "site", "club", "shop", "store", "live", "tech", "cloud", "link",
    "click", "icu", "buzz", "work", "support", "services", "email", "host", "website", "space",
    "fun", "win", "bid", "loan", "download", "stream", "review", "party", "trade", "date",
    "racing", "science", "men", "cam", "monster", "rest", "today", "world", "news", "media",
    "digital", "network", "systems", "solutions", "company", "center", "zip", "mov", "onion",
    "page", "web", "blog", "pro", "name", "mobi", "asia", "tel", "travel", "jobs", "cat",
    "coop", "aero", "museum", "lat", "vip", "ltd", "group", "global", "agency", "bank",
})
# Two-letter country codes that are also common file extensions or log tokens.
_NOT_CCTLDS: Final = frozenset({
    "py", "sh", "js", "cs", "rs", "md", "ps", "gz", "so", "ts", "pl", "rb", "hs", "ml", "lo",
    "mo", "db", "do",
})
_FILE_EXTENSIONS: Final = frozenset({
    "exe", "dll", "sys", "bat", "cmd", "ps1", "psm1", "vbs", "js", "jar", "msi", "scr", "cpl",
    "ocx", "drv", "txt", "log", "json", "xml", "yml", "yaml", "ini", "cfg", "conf", "tmp",
    "dat", "bin", "lnk", "evtx", "etl", "csv", "html", "htm", "php", "asp", "aspx", "jsp",
    "py", "sh", "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "png", "jpg", "gif",
    "local", "lan", "internal", "corp", "home", "localdomain",
})
# fmt: on

_REFANG: Final = (
    (re.compile(r"\bhxxp(s?)(?=://|\[:\]//)", re.IGNORECASE), r"http\1"),
    (re.compile(r"\[(?:\.|dot)\]|\((?:\.|dot)\)|\{\.\}", re.IGNORECASE), "."),
    (re.compile(r"\[:\]"), ":"),
    (re.compile(r"\[(?:@|at)\]", re.IGNORECASE), "@"),
)
_URL: Final = re.compile(r"\b(?:https?|ftp)://[^\s<>\"'`{}|\\^\[\]]{1,2048}", re.IGNORECASE)
_URL_TRAIL: Final = ".,;:!?)]}'\""
_EMAIL: Final = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}"
    r"[A-Za-z0-9])?\.){1,10}[A-Za-z]{2,24})\b"
)
_DOMAIN: Final = re.compile(
    r"(?<![\w@.-])((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,10}([A-Za-z]{2,24}))"
    r"(?![\w-]|\.[A-Za-z0-9])"
)
_IPV4: Final = re.compile(r"(?<![\w.])(\d{1,3}(?:\.\d{1,3}){3})(?![\w]|\.\d)")
_IPV6: Final = re.compile(r"(?<![\w:.])((?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4})(?![\w:.])")
_HASH: Final = re.compile(
    r"(?<![0-9A-Za-z])([0-9A-Fa-f]{64}|[0-9A-Fa-f]{40}|[0-9A-Fa-f]{32})(?![0-9A-Za-z])"
)
_CVE: Final = re.compile(r"\bCVE-(\d{4})-(\d{4,7})\b", re.IGNORECASE)
_TECHNIQUE: Final = re.compile(r"(?<![A-Za-z0-9])[Tt](\d{4})(?:\.(\d{3}))?(?![0-9])")
_HASH_KIND: Final = {32: IndicatorKind.MD5, 40: IndicatorKind.SHA1, 64: IndicatorKind.SHA256}


def refang(text: str) -> str:
    """Undo the usual defanging so that ``hxxp://evil[.]com`` reads ``http://evil.com``."""
    for pattern, replacement in _REFANG:
        text = pattern.sub(replacement, text)
    return text


def _is_domain(name: str) -> bool:
    labels = name.lower().split(".")
    if len(labels) < 2 or len(name) > 253:
        return False
    tld = labels[-1]
    if tld in _FILE_EXTENSIONS:
        return False
    if len(tld) == 2:
        return tld not in _NOT_CCTLDS
    return tld in _GENERIC_TLDS


def _ip_private(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return bool(
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def _host_is_private(host: str) -> bool:
    try:
        return _ip_private(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return not _is_domain(host)


class _Collector:
    def __init__(self, per_kind: int) -> None:
        self.per_kind = per_kind
        self.seen: set[tuple[IndicatorKind, str]] = set()
        self.items: list[Indicator] = []
        self.counts: dict[IndicatorKind, int] = {}
        self.dropped: dict[str, int] = {}

    def add(self, kind: IndicatorKind, value: str, *, private: bool = False) -> None:
        key = (kind, value.lower() if kind is not IndicatorKind.URL else value)
        if key in self.seen:
            return
        self.seen.add(key)
        if self.counts.get(kind, 0) >= self.per_kind:
            self.dropped[str(kind)] = self.dropped.get(str(kind), 0) + 1
            return
        self.counts[kind] = self.counts.get(kind, 0) + 1
        self.items.append(Indicator(kind=kind, value=value, private=private))


def _scan(text: str, out: _Collector) -> None:
    text = refang(text)
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_URL_TRAIL)
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            continue
        if not host:
            continue
        private = _host_is_private(host)
        out.add(IndicatorKind.URL, url, private=private)
        if _is_domain(host):
            out.add(IndicatorKind.DOMAIN, host.lower(), private=False)
    for match in _EMAIL.finditer(text):
        if _is_domain(match.group(1)):
            out.add(IndicatorKind.EMAIL, match.group(0).lower())
            out.add(IndicatorKind.DOMAIN, match.group(1).lower())
    for match in _DOMAIN.finditer(text):
        name = match.group(1)
        if _is_domain(name):
            out.add(IndicatorKind.DOMAIN, name.lower())
    for match in _IPV4.finditer(text):
        try:
            v4 = ipaddress.IPv4Address(match.group(1))
        except ValueError:
            continue
        out.add(IndicatorKind.IPV4, str(v4), private=_ip_private(v4))
    for match in _IPV6.finditer(text):
        candidate = match.group(1)
        if candidate.count(":") < 2 or not any(c.isalnum() for c in candidate):
            continue
        try:
            v6 = ipaddress.IPv6Address(candidate)
        except ValueError:
            continue
        out.add(IndicatorKind.IPV6, v6.compressed, private=_ip_private(v6))
    for match in _HASH.finditer(text):
        digest = match.group(1)
        if len(set(digest.lower())) < 4:  # 000...0 and ffff...f are placeholders, not files
            continue
        out.add(_HASH_KIND[len(digest)], digest.lower())
    for match in _CVE.finditer(text):
        out.add(IndicatorKind.CVE, f"CVE-{match.group(1)}-{match.group(2)}")
    for match in _TECHNIQUE.finditer(text):
        sub = f".{match.group(2)}" if match.group(2) else ""
        out.add(IndicatorKind.TECHNIQUE, f"T{match.group(1)}{sub}")


def extract(
    texts: Iterable[str],
    *,
    per_kind: int = DEFAULT_PER_KIND,
    max_chars: int = MAX_SCAN_CHARS,
) -> Indicators:
    """The indicators in ``texts`` (at most ``max_chars`` of them in all are read)."""
    out = _Collector(per_kind)
    budget = max_chars
    skipped = 0
    for text in texts:
        if budget <= 0:
            skipped += len(text)
            continue
        chunk = text[:budget]
        budget -= len(chunk)
        skipped += len(text) - len(chunk)
        _scan(chunk, out)
    return Indicators(items=tuple(out.items), dropped=out.dropped, skipped_chars=skipped)


_SKIP_KEY: Final = re.compile(r"(?:_sha256|digest|checksum|guid|_id|^id)$", re.IGNORECASE)


def strings_in(value: Any, *, max_items: int = 200_000, skip: Sequence[str] = ()) -> Iterator[str]:
    """Every string inside a JSON value, depth first. Values of keys that name our own digests
    and identifiers (``request_sha256``, ``*_id``, ``...Guid``) are skipped: they are ours, not
    indicators."""
    stack: list[Any] = [value]
    seen = 0
    while stack and seen < max_items:
        item = stack.pop()
        seen += 1
        if isinstance(item, str):
            yield item
        elif isinstance(item, Mapping):
            for key, child in reversed(list(item.items())):
                if isinstance(key, str) and (_SKIP_KEY.search(key) or key in skip):
                    continue
                stack.append(child)
        elif isinstance(item, list | tuple):
            stack.extend(reversed(item))
