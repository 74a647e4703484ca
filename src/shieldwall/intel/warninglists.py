"""Warninglists: values that look like indicators but are not (private and documentation
address ranges, reserved and well-known domains, hashes of trivial files).

Shaped after MISP's warninglists (github.com/MISP/misp-warninglists): each list has a name, a
description, a type (``cidr``, ``hostname``, ``string``) and the kinds of value it applies to.
The lists themselves are our own, small and chosen by hand: the JSON files under
``data/warninglists/`` each say in their ``source`` where their values come from. They are read
on first use (never at import).

Matching: ``cidr`` holds a network (an address, or a whole CIDR value inside a listed range);
``hostname`` holds a name and its subdomains; ``string`` holds the value itself,
case-insensitively. A URL is checked by its host; a list with ``"url_match": "bare"`` (the
top-domains list) drops a URL only when it has no path or query, since the user content of a
big provider (a repository file, a shared document) can be the indicator.
"""

from __future__ import annotations

import functools
import ipaddress
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
# Checked in this order: the most specific reason first.
DEFAULT_LISTS = (
    "private-ipv4",
    "special-ipv4",
    "special-ipv6",
    "documentation-ip",
    "reserved-domains",
    "reference-sites",
    "top-domains",
    "trivial-hashes",
)


class ListType(StrEnum):
    CIDR = "cidr"
    HOSTNAME = "hostname"
    STRING = "string"


@dataclass(frozen=True, slots=True, kw_only=True)
class Warninglist:
    name: str
    description: str
    source: str
    type: ListType
    applies_to: frozenset[str]
    entries: frozenset[str] = frozenset()
    networks: tuple[IpNetwork, ...] = ()
    bare_urls_only: bool = False

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> Warninglist:
        kind = ListType(doc["type"])
        values = [str(v).strip().lower() for v in doc["list"]]
        return cls(
            name=str(doc["name"]),
            description=str(doc["description"]),
            source=str(doc.get("source", "")),
            type=kind,
            applies_to=frozenset(doc["applies_to"]),
            entries=frozenset(values) if kind is not ListType.CIDR else frozenset(),
            networks=(
                tuple(ipaddress.ip_network(v, strict=True) for v in values)
                if kind is ListType.CIDR
                else ()
            ),
            bare_urls_only=doc.get("url_match") == "bare",
        )

    def matches(self, value: str) -> bool:
        """Whether a plain value (an address or network, a host name, a hash) is listed."""
        text = value.strip().lower()
        match self.type:
            case ListType.CIDR:
                net = _network(text)
                if isinstance(net, ipaddress.IPv4Network):
                    return any(
                        isinstance(n, ipaddress.IPv4Network) and net.subnet_of(n)
                        for n in self.networks
                    )
                if isinstance(net, ipaddress.IPv6Network):
                    return any(
                        isinstance(n, ipaddress.IPv6Network) and net.subnet_of(n)
                        for n in self.networks
                    )
                return False
            case ListType.HOSTNAME:
                host = text.rstrip(".")
                return any(host == e or host.endswith("." + e) for e in self.entries)
            case ListType.STRING:
                return text in self.entries


def _network(text: str) -> IpNetwork | None:
    try:
        return ipaddress.ip_network(text.strip("[]"), strict=False)
    except ValueError:
        return None


class Warninglists:
    """An ordered set of lists; ``check`` names the first that holds a value."""

    def __init__(self, lists: Iterable[Warninglist]) -> None:
        self.lists = tuple(lists)

    def check(self, kind: str, value: str) -> Warninglist | None:
        """The first list that drops this value of this kind (a STIX type, or md5, sha1,
        sha256, sha512), or None to keep it."""
        plain = value
        bare = False
        if kind == "url":
            try:
                parts = urlsplit(value)
                host = parts.hostname or ""
            except ValueError:
                return None
            plain = host
            bare = parts.path in ("", "/") and not parts.query
        elif kind == "email-addr":
            plain = value.rpartition("@")[2]
        for wl in self.lists:
            if kind not in wl.applies_to or (kind == "url" and wl.bare_urls_only and not bare):
                continue
            if kind == "url" and (wl.type is ListType.CIDR) != (_network(plain) is not None):
                continue
            if wl.matches(plain):
                return wl
        return None

    def names(self) -> list[str]:
        return [wl.name for wl in self.lists]


def read_list(name: str) -> Warninglist:
    """One bundled list by name."""
    path = resources.files("shieldwall.intel").joinpath("data", "warninglists", f"{name}.json")
    return Warninglist.from_json(json.loads(path.read_text(encoding="utf-8")))


@functools.cache
def default_warninglists() -> Warninglists:
    """The bundled lists, in ``DEFAULT_LISTS`` order (read once, on first use)."""
    return Warninglists(read_list(name) for name in DEFAULT_LISTS)
