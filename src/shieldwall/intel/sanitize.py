"""Sanitize intelligence before it leaves an organisation.

An organisation's policy (stored, one per organisation; ``""`` is the hub operator's) names
what is internal to it: DNS suffixes, host names, networks (besides those that are always
private: RFC 1918, loopback, link-local, IPv6 ULA and link-local), usernames, e-mail domains,
and whether every e-mail address is stripped. Names under ``.local``, ``.internal``,
``home.arpa`` and ``localhost`` are always internal too.

``sanitize(objects, policy)`` returns what may leave and the list of changes:

- withheld: an indicator whose pattern carries an internal value; a cyber-observable (its id
  is derived from its values and it has no versions) or a marking definition (immutable) that
  carries one; and, transitively, an object whose required reference points only at withheld
  objects (a relationship's source or target, a sighting's indicator, a report, grouping, note
  or opinion whose ``object_refs`` are all withheld) or that is marked by a withheld marking;
- rewritten: in every other object, an internal value in any string (name, description,
  ``x_`` properties, external reference URLs, extensions, ...) becomes a visible placeholder
  such as ``[internal hostname]`` (a URL on an internal host becomes ``[internal URL]``); a
  dictionary key carrying one is dropped; references to withheld objects are dropped.
  Defanged forms (``10[.]0[.]0[.]1``, ``corp[.]example``, ``a[at]b``, ``hxxp://``) are found.

Versioning (STIX 2.1 section 3.6). A rewritten object is a new version of it, never the same
``id`` + ``modified`` with other content: its ``modified`` moves to the next millisecond
after the original's (STIX timestamps of versions are millisecond-precise) that is not taken by
another version the caller knows of. Removing internal details is a minor change, so the id
stays. The spec lets only an object's creator version it; an organisation that re-shares
another producer's object this way makes the version itself (its ``created_by_ref`` is kept).
Objects that cannot be versioned (observables, marking definitions, anything without
``modified``) are withheld instead of rewritten. Sanitizing twice gives what sanitizing once
gave: placeholders are never matched again, and an unchanged object keeps its version.

A re-share never widens the original marking: with ``explicit_tlp`` (the collection's default
TLP, which unmarked objects inherit), an object with no TLP marking gets that level's TLP 2.0
marking (a new version too; an observable gets it without one, since markings are not among
the values its id is derived from).

Each change names the object, its version, the property path, the rule and the kind of value;
never the value itself, so a change list can be logged and shown.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Engine, select, update
from sqlalchemy import insert as sql_insert

from shieldwall.core.clock import Clock, SystemClock
from shieldwall.core.errors import InputError
from shieldwall.intel.tlp import TLP2_IDS, Tlp, effective_tlp, tlp_of_ref
from shieldwall.intel.validate import SCO_TYPES, format_timestamp, parse_timestamp
from shieldwall.store.schema import intel_sanitize_policy

__all__ = [
    "PLACEHOLDERS",
    "Change",
    "Rule",
    "SanitizePolicies",
    "SanitizePolicy",
    "Sanitized",
    "find_internal",
    "object_tlp",
    "refs_of",
    "sanitize",
]

MAX_ENTRIES = 1000  # per list of a policy
_MAX_ROUNDS = 64  # a string is rescanned until nothing changes; each round shrinks it

ALWAYS_PRIVATE = tuple(
    ipaddress.ip_network(n)
    for n in (
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "::1/128",
        "fe80::/10",
        "fc00::/7",
    )
)
# Names always internal: RFC 6761 localhost, RFC 6762 .local, RFC 8375 home.arpa, and
# .internal (reserved by ICANN for private use). Only names under them (and localhost itself):
# the words "local" and "internal" in a sentence are not host names.
_PRIVATE_SUFFIXES = ("local", "internal", "home.arpa", "localhost")


class Rule(StrEnum):
    PRIVATE_IP = "private-ip"
    INTERNAL_NETWORK = "internal-network"
    PRIVATE_NAME = "private-name"
    INTERNAL_DOMAIN = "internal-domain"
    INTERNAL_HOSTNAME = "internal-hostname"
    INTERNAL_EMAIL = "internal-email-domain"
    ANY_EMAIL = "all-emails"
    USERNAME = "username"
    WITHHELD_REFERENCE = "references-withheld"
    WITHHELD_BY_CALLER = "withheld-by-caller"  # e.g. above the recipient's TLP
    EXPLICIT_TLP = "tlp-made-explicit"
    VERSIONING = "stix-versioning"
    NOT_STIX = "not-a-stix-object"


PLACEHOLDERS = {
    "ip": "[internal IP]",
    "hostname": "[internal hostname]",
    "email": "[internal e-mail address]",
    "any-email": "[e-mail address]",
    "username": "[username]",
    "url": "[internal URL]",
}
_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    """One thing sanitizing did: ``action`` is withheld, replaced, removed, added or
    new-version; ``kind`` the kind of value (ip, hostname, email, username, url, reference,
    marking, version, object), never the value."""

    object_id: str
    version: str | None
    path: str
    rule: Rule
    kind: str
    action: str

    def to_json(self) -> dict[str, Any]:
        return {
            "object_id": self.object_id,
            "version": self.version,
            "path": self.path,
            "rule": str(self.rule),
            "kind": self.kind,
            "action": self.action,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Sanitized:
    objects: list[dict[str, Any]]
    changes: list[Change]
    withheld: frozenset[str]  # ids (lower case) of the objects held back

    def summary(self) -> dict[str, int]:
        return {
            "leaving": len(self.objects),
            "withheld": sum(1 for c in self.changes if c.action == "withheld"),
            "changed": len(
                {(c.object_id, c.version) for c in self.changes if c.action != "withheld"}
            ),
            "changes": len(self.changes),
        }


# -- the policy ----------------------------------------------------------------------------
_NAME = re.compile(r"^(?:[\w](?:[\w-]{0,61}[\w])?)(?:\.[\w](?:[\w-]{0,61}[\w])?)*$")


def _names(values: Iterable[str], what: str) -> tuple[str, ...]:
    out: list[str] = []
    for raw in values:
        name = raw.strip().strip(".").lower()
        if not name or len(name) > 253 or not _NAME.fullmatch(name):
            raise InputError(
                f"{raw!r} is not a DNS name", code="intel.bad_sanitize_policy", location=what
            )
        out.append(name)
    return tuple(sorted(set(out)))


@dataclass(frozen=True, slots=True, kw_only=True)
class SanitizePolicy:
    """What an organisation calls internal (the always-private ranges and names need no
    entry). ``domains`` match the name and every name under it (a one-label suffix such as
    ``corp`` only names under it); ``hostnames`` match exactly."""

    domains: tuple[str, ...] = ()
    hostnames: tuple[str, ...] = ()
    networks: tuple[str, ...] = ()
    usernames: tuple[str, ...] = ()
    email_domains: tuple[str, ...] = ()
    strip_all_emails: bool = False

    @classmethod
    def parse(
        cls,
        *,
        domains: Iterable[str] = (),
        hostnames: Iterable[str] = (),
        networks: Iterable[str] = (),
        usernames: Iterable[str] = (),
        email_domains: Iterable[str] = (),
        strip_all_emails: bool = False,
    ) -> SanitizePolicy:
        """A policy from what a person typed: names lower-cased, networks normalized;
        InputError (with the list as its location) for anything that is not one."""
        lists = {
            "domains": list(domains),
            "hostnames": list(hostnames),
            "networks": list(networks),
            "usernames": list(usernames),
            "email_domains": list(email_domains),
        }
        for what, items in lists.items():
            if len(items) > MAX_ENTRIES:
                raise InputError(
                    f"at most {MAX_ENTRIES} {what}", code="intel.bad_sanitize_policy", location=what
                )
        nets: list[str] = []
        for raw in lists["networks"]:
            try:
                nets.append(str(ipaddress.ip_network(raw.strip(), strict=False)))
            except ValueError as err:
                raise InputError(
                    f"{raw!r} is not an IP network (e.g. 203.0.113.0/24)",
                    code="intel.bad_sanitize_policy",
                    location="networks",
                ) from err
        users: list[str] = []
        for raw in lists["usernames"]:
            name = raw.strip()
            if not name or len(name) > 128 or _PLACEHOLDER.search(name):
                raise InputError(
                    f"{raw!r} is not a username (1 to 128 characters)",
                    code="intel.bad_sanitize_policy",
                    location="usernames",
                )
            users.append(name)
        return cls(
            domains=_names(lists["domains"], "domains"),
            hostnames=_names(lists["hostnames"], "hostnames"),
            networks=tuple(sorted(set(nets))),
            usernames=tuple(sorted(set(users), key=str.lower)),
            email_domains=_names(lists["email_domains"], "email_domains"),
            strip_all_emails=strip_all_emails,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "domains": list(self.domains),
            "hostnames": list(self.hostnames),
            "networks": list(self.networks),
            "usernames": list(self.usernames),
            "email_domains": list(self.email_domains),
            "strip_all_emails": self.strip_all_emails,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SanitizePolicy:
        return cls.parse(
            domains=data.get("domains", ()),
            hostnames=data.get("hostnames", ()),
            networks=data.get("networks", ()),
            usernames=data.get("usernames", ()),
            email_domains=data.get("email_domains", ()),
            strip_all_emails=bool(data.get("strip_all_emails", False)),
        )


class SanitizePolicies:
    """Each organisation's policy in the database (None: the hub operator's)."""

    def __init__(self, engine: Engine, *, clock: Clock | None = None) -> None:
        self._engine = engine
        self._clock = clock or SystemClock()

    def get(self, org: str | None) -> SanitizePolicy:
        with self._engine.connect() as conn:
            raw = conn.execute(
                select(intel_sanitize_policy.c.policy).where(
                    intel_sanitize_policy.c.org_id == (org or "")
                )
            ).scalar()
        return SanitizePolicy() if raw is None else SanitizePolicy.from_json(json.loads(raw))

    def put(self, org: str | None, policy: SanitizePolicy, *, by: str) -> None:
        values = {
            "policy": json.dumps(policy.to_json(), sort_keys=True),
            "updated_by": by,
            "updated_at": self._clock.now(),
        }
        t = intel_sanitize_policy
        with self._engine.begin() as conn:
            done = conn.execute(update(t).where(t.c.org_id == (org or "")).values(**values))
            if not done.rowcount:
                conn.execute(sql_insert(t).values(org_id=org or "", **values))


# -- finding internal values in text --------------------------------------------------------
_DOT = r"(?:\.|\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\))"
_NOT_AFTER_DOT = r"(?<!\[\.\])(?<!\(\.\))(?<!\{\.\})(?<!\[dot\])(?<!\(dot\))"
_LABEL = r"\w(?:[\w-]{0,61}\w)?"
_HOST_BODY = rf"{_LABEL}(?:{_DOT}{_LABEL})*"
_END = rf"(?![\w-])(?!{_DOT}\w)"
_URL = re.compile(r"(?<!\w)(?:hxxps?|[A-Za-z][A-Za-z0-9+.-]{0,15})://[^\s<>\"'`]+", re.I)
_EMAIL = re.compile(
    rf"(?<![\w.%+'-]){_NOT_AFTER_DOT}[\w.%+'-]+(?:@|\[at\]|\(at\)|\[@\])({_HOST_BODY}){_END}",
    re.I,
)
_IPV6 = re.compile(
    r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{1,4})?"
    r"(?:%[\w-]+)?(?:/\d{1,3})?(?![\w:])(?!\.\w)"
)
_IPV4 = re.compile(
    rf"(?<![\d.]){_NOT_AFTER_DOT}(\d{{1,3}}){_DOT}(\d{{1,3}}){_DOT}(\d{{1,3}}){_DOT}(\d{{1,3}})"
    rf"(?:/\d{{1,2}})?(?!\d)(?!{_DOT}\w)",
    re.I,
)
_HOST = re.compile(rf"(?<![\w.-]){_NOT_AFTER_DOT}{_LABEL}(?:{_DOT}{_LABEL})+{_END}", re.I)
_TRAILING = ".,;:!?)]}'\""


def _undefang(text: str) -> str:
    out = text.lower()
    for a, b in (
        ("[.]", "."),
        ("(.)", "."),
        ("{.}", "."),
        ("[dot]", "."),
        ("(dot)", "."),
        ("[at]", "@"),
        ("(at)", "@"),
        ("[@]", "@"),
        ("[:]", ":"),
        ("hxxp", "http"),
    ):
        out = out.replace(a, b)
    return out


Hit = tuple[Rule, str, str]  # (rule, kind, placeholder)
# A scanner's verdict on a match: its replacement and what it was, or None to leave it.
Scan = Callable[[re.Match[str]], "tuple[str, Hit] | None"]


class _Matcher:
    """The compiled form of a policy: which text is internal, and what replaces it."""

    def __init__(self, policy: SanitizePolicy) -> None:
        self.policy = policy
        self.networks = tuple(ipaddress.ip_network(n) for n in policy.networks)
        self.hostnames = frozenset(policy.hostnames)
        self.multi = frozenset(d for d in policy.domains if "." in d)
        self.single = frozenset(d for d in policy.domains if "." not in d)
        self.email_domains = frozenset(policy.email_domains)
        # One-label names (a dotted name is matched by _HOST): the policy's and localhost.
        single = sorted({h for h in policy.hostnames if "." not in h} | {"localhost"}, key=len)
        self.labels = re.compile(
            rf"(?<![\w.-]){_NOT_AFTER_DOT}(?:{'|'.join(re.escape(h) for h in reversed(single))})"
            rf"{_END}",
            re.IGNORECASE,
        )
        self.usernames: re.Pattern[str] | None = None
        if policy.usernames:
            names = sorted(policy.usernames, key=len, reverse=True)
            alternatives = "|".join(re.escape(n) for n in names)
            self.usernames = re.compile(
                rf"(?<![\w.-])(?:{alternatives})(?![\w-])(?!\.\w)", re.IGNORECASE
            )
        self._scanners = self.scanners()
        # Most strings hold nothing any scanner matches: one search says so.
        self._any = re.compile(
            "|".join(f"(?:{p.pattern})" for p, _ in self._scanners), re.IGNORECASE
        )

    # -- what is internal -----------------------------------------------------------------
    def ip_rule(self, text: str) -> Rule | None:
        try:
            address = ipaddress.ip_address(text.split("%", 1)[0])
        except ValueError:
            return None
        candidates: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = [address]
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            candidates.append(address.ipv4_mapped)
        for a in candidates:
            if any(a.version == n.version and a in n for n in ALWAYS_PRIVATE):
                return Rule.PRIVATE_IP
            if any(a.version == n.version and a in n for n in self.networks):
                return Rule.INTERNAL_NETWORK
        return None

    def name_rule(self, name: str) -> Rule | None:
        name = name.strip(".").lower()
        if not name:
            return None
        if name in self.hostnames:
            return Rule.INTERNAL_HOSTNAME
        labels = name.split(".")
        for i in range(len(labels)):
            suffix = ".".join(labels[i:])
            if suffix in self.multi or (i > 0 and suffix in self.single):
                return Rule.INTERNAL_DOMAIN
            if (i > 0 and suffix in _PRIVATE_SUFFIXES) or name == "localhost":
                return Rule.PRIVATE_NAME
        return None

    def host_rule(self, host: str) -> Rule | None:
        host = _undefang(host).strip("[]")
        return self.ip_rule(host) or self.name_rule(host)

    def email_domain_rule(self, domain: str) -> Rule | None:
        domain = _undefang(domain).strip(".")
        labels = domain.split(".")
        if any(".".join(labels[i:]) in self.email_domains for i in range(len(labels))):
            return Rule.INTERNAL_EMAIL
        return self.host_rule(domain)

    # -- scanners: each returns the replacement of a match, or None to leave it ----------------
    def _url(self, m: re.Match[str]) -> tuple[str, Hit] | None:
        url = m.group(0)
        kept = url.rstrip(_TRAILING)
        tail = url[len(kept) :]
        try:
            host = urlsplit(_undefang(kept).replace("hxxp", "http")).hostname
        except ValueError:
            return None
        rule = self.host_rule(host) if host else None
        if rule is None:
            return None
        return PLACEHOLDERS["url"] + tail, (rule, "url", PLACEHOLDERS["url"])

    def _email(self, m: re.Match[str]) -> tuple[str, Hit] | None:
        rule = self.email_domain_rule(m.group(1))
        if rule is not None:
            return PLACEHOLDERS["email"], (rule, "email", PLACEHOLDERS["email"])
        if self.policy.strip_all_emails:
            return PLACEHOLDERS["any-email"], (Rule.ANY_EMAIL, "email", PLACEHOLDERS["any-email"])
        return None

    def _ipv6(self, m: re.Match[str]) -> tuple[str, Hit] | None:
        text = m.group(0)
        core = text.rstrip(":")  # "fe80::1:" at the end of a clause
        for candidate in (text, core):
            rule = self.ip_rule(candidate.split("/", 1)[0])
            if rule is not None:
                tail = text[len(candidate) :]
                return PLACEHOLDERS["ip"] + tail, (rule, "ip", PLACEHOLDERS["ip"])
        return None

    def _ipv4(self, m: re.Match[str]) -> tuple[str, Hit] | None:
        octets = [int(o) for o in m.groups()]
        if any(o > 255 for o in octets):
            return None
        rule = self.ip_rule(".".join(map(str, octets)))
        return None if rule is None else (PLACEHOLDERS["ip"], (rule, "ip", PLACEHOLDERS["ip"]))

    def _host(self, m: re.Match[str]) -> tuple[str, Hit] | None:
        rule = self.name_rule(_undefang(m.group(0)))
        if rule is None:
            return None
        return PLACEHOLDERS["hostname"], (rule, "hostname", PLACEHOLDERS["hostname"])

    def _user(self, _m: re.Match[str]) -> tuple[str, Hit] | None:
        return PLACEHOLDERS["username"], (Rule.USERNAME, "username", PLACEHOLDERS["username"])

    def scanners(self) -> list[tuple[re.Pattern[str], Scan]]:
        """In order: a URL or an e-mail address is replaced whole before its host is seen."""
        found: list[tuple[re.Pattern[str], Scan]] = [
            (_URL, self._url),
            (_EMAIL, self._email),
            (_IPV6, self._ipv6),
            (_IPV4, self._ipv4),
            (_HOST, self._host),
            (self.labels, self._host),
        ]
        if self.usernames is not None:
            found.append((self.usernames, self._user))
        return found

    def clean(self, text: str) -> tuple[str, list[Hit]]:
        """The text with every internal value replaced (placeholders already there are left
        alone), and what was replaced, in order."""
        hits: list[Hit] = []
        if self._any.search(text) is None:
            return text, hits
        for _ in range(_MAX_ROUNDS):
            before = text
            for pattern, replace in self._scanners:
                text = self._apply(text, pattern, replace, hits)
            if text == before:
                return text, hits
        return text, hits  # pragma: no cover - each round shrinks the unreplaced text

    @staticmethod
    def _apply(text: str, pattern: re.Pattern[str], replace: Scan, hits: list[Hit]) -> str:
        if pattern.search(text) is None:  # the common case, at the cost of one search
            return text

        def one(m: re.Match[str]) -> str:
            done = replace(m)
            if done is None:
                return m.group(0)
            hits.append(done[1])
            return done[0]

        parts: list[str] = []
        last = 0
        for p in _PLACEHOLDER.finditer(text):
            parts.append(pattern.sub(one, text[last : p.start()]))
            parts.append(p.group(0))
            last = p.end()
        parts.append(pattern.sub(one, text[last:]))
        return "".join(parts)

    def find(self, text: str) -> list[Hit]:
        return self.clean(text)[1]


@lru_cache(maxsize=64)
def _matcher(policy: SanitizePolicy) -> _Matcher:
    return _Matcher(policy)


def find_internal(text: str, policy: SanitizePolicy) -> list[tuple[str, str]]:
    """(rule, kind) of each internal value in ``text`` (placeholders are not)."""
    return [(str(rule), kind) for rule, kind, _ in _matcher(policy).find(text)]


# -- objects ------------------------------------------------------------------------------
_STRUCTURAL = frozenset(
    {"id", "type", "spec_version", "created", "modified", "object_marking_refs", "pattern"}
)
_REQUIRED_REF = frozenset({"source_ref", "target_ref", "sighting_of_ref", "object_ref"})
_REQUIRED_REFS = {
    "report": "object_refs",
    "grouping": "object_refs",
    "note": "object_refs",
    "opinion": "object_refs",
}
_UNVERSIONED = SCO_TYPES | {"marking-definition"}


def _is_ref_key(key: str) -> bool:
    return not key.startswith("x_") and (key.endswith("_ref") or key.endswith("_refs"))


def _strings(value: Any, path: str) -> Iterable[tuple[str, str]]:
    """(path, text) of every string and dictionary key under ``value``."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for k, v in value.items():
            key = str(k)
            yield path, key
            yield from _strings(v, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{path}[{i}]")


def _marking_refs(obj: Mapping[str, Any]) -> list[str]:
    refs = [r for r in obj.get("object_marking_refs") or [] if isinstance(r, str)]
    granular = obj.get("granular_markings")
    if isinstance(granular, list):
        refs += [
            g["marking_ref"]
            for g in granular
            if isinstance(g, Mapping) and isinstance(g.get("marking_ref"), str)
        ]
    return refs


def object_tlp(obj: Mapping[str, Any], *, default: Tlp) -> Tlp:
    """An object's TLP as the store computes it (the most restrictive of its object-level
    TLP markings; ``default`` when it has none; granular markings are redaction, see
    ``intel.granular``); RED when a marking is malformed."""
    refs = [r for r in obj.get("object_marking_refs") or [] if isinstance(r, str)]
    try:
        return effective_tlp(refs, default=default)
    except InputError:
        return Tlp.RED


def _has_tlp(obj: Mapping[str, Any]) -> bool:
    for ref in _marking_refs(obj):
        try:
            if tlp_of_ref(ref) is not None:
                return True
        except InputError:
            return True  # a malformed or look-alike marking: not ours to second-guess
    return False


def refs_of(obj: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    """(property, id in lower case) of every reference to another object but markings."""
    for key, value in obj.items():
        if not isinstance(key, str) or not _is_ref_key(key) or key == "object_marking_refs":
            continue
        if isinstance(value, str):
            yield key, value.lower()
        elif isinstance(value, list):
            yield from ((key, v.lower()) for v in value if isinstance(v, str))


def _cascades(obj: Mapping[str, Any], withheld: set[str]) -> bool:
    """Whether withholding ``withheld`` must withhold this object too."""
    if any(r.lower() in withheld for r in _marking_refs(obj)):
        return True  # never drop a marking: that would widen the object
    kind = obj.get("type")
    if kind in _UNVERSIONED or "modified" not in obj:
        return any(ref in withheld for _, ref in refs_of(obj))
    for key in _REQUIRED_REF:
        value = obj.get(key)
        if isinstance(value, str) and value.lower() in withheld:
            return True
    required = _REQUIRED_REFS.get(str(kind))
    if kind == "observed-data" and "objects" not in obj:
        required = "object_refs"
    if required is not None:
        refs = obj.get(required)
        if isinstance(refs, list) and refs:
            return all(isinstance(r, str) and r.lower() in withheld for r in refs)
    return False


def _next_version(modified_us: int, taken: set[int]) -> int:
    new = (modified_us // 1000 + 1) * 1000
    while new in taken:
        new += 1000
    taken.add(new)
    return new


def _stamp(micros: int) -> str:
    return format_timestamp(micros)[:-4] + "Z"  # milliseconds: micros is a whole millisecond


Reason = tuple[str, Rule, str]  # (path, rule, kind) of why an object is withheld
Note = Callable[[str, Rule, str, str], None]  # (path, rule, kind, action)
Item = tuple[str, str | None, dict[str, Any]]  # (id, version, object)


def _internal(obj: Mapping[str, Any], m: _Matcher) -> Reason | None:
    """Why this object may not leave at all, if it may not."""
    kind = obj.get("type")
    pattern = obj.get("pattern")
    if kind == "indicator" and isinstance(pattern, str):
        found = m.find(pattern)
        if found:
            return "pattern", found[0][0], found[0][1]
    if kind in _UNVERSIONED or not isinstance(obj.get("modified"), str):
        rest = {k: v for k, v in obj.items() if k not in _STRUCTURAL and not _is_ref_key(k)}
        for path, text in _strings(rest, ""):
            found = m.find(text)
            if found:
                return path, found[0][0], found[0][1]
    return None


def sanitize(
    objects: Sequence[Any],
    policy: SanitizePolicy,
    *,
    explicit_tlp: Tlp | None = None,
    withheld: Iterable[str] = (),
    known_versions: Mapping[str, Iterable[int]] | None = None,
) -> Sanitized:
    """What of ``objects`` may leave under ``policy``, and every change made (module doc).

    ``explicit_tlp``: the TLP unmarked objects inherit where they come from (made explicit).
    ``withheld``: ids the caller holds back for its own reasons (above the recipient's TLP);
    references to them are treated as references to withheld objects. ``known_versions``:
    further ``modified`` values (microseconds) per id that a new version must not take.
    """
    m = _matcher(policy)
    reasons: dict[str, Reason] = {
        w.lower(): ("", Rule.WITHHELD_BY_CALLER, "object") for w in withheld
    }
    known: dict[str, set[int]] = {k.lower(): set(v) for k, v in (known_versions or {}).items()}
    rejected: list[Change] = []
    items: list[Item] = []
    for i, obj in enumerate(objects):
        raw_id = obj.get("id") if isinstance(obj, Mapping) else None
        if not isinstance(obj, Mapping) or not isinstance(raw_id, str) or not raw_id:
            rejected.append(
                Change(
                    object_id=f"[{i}]",
                    version=None,
                    path="",
                    rule=Rule.NOT_STIX,
                    kind="object",
                    action="withheld",
                )
            )
            continue
        oid = raw_id.lower()
        modified = obj.get("modified")
        version = modified if isinstance(modified, str) else None
        items.append((oid, version, dict(obj)))
        if version is not None:
            with suppress(InputError):
                known.setdefault(oid, set()).add(parse_timestamp(version, location="modified"))
    for oid, _, obj in items:
        if oid not in reasons and (why := _internal(obj, m)) is not None:
            reasons[oid] = why
    while True:
        grew = True
        held = set(reasons)
        while grew:  # what must go with the withheld, to a fixed point
            grew = False
            for oid, _, obj in items:
                if oid not in held and _cascades(obj, held):
                    reasons[oid] = ("", Rule.WITHHELD_REFERENCE, "reference")
                    held.add(oid)
                    grew = True
        out, changes, late = _emit(items, reasons, m, explicit_tlp, known)
        if not late:
            break
        reasons.update(late)
    withheld_changes = [
        Change(
            object_id=oid,
            version=version,
            path=reasons[oid][0],
            rule=reasons[oid][1],
            kind=reasons[oid][2],
            action="withheld",
        )
        for oid, version, _ in items
        if oid in reasons
    ]
    return Sanitized(
        objects=out, changes=rejected + withheld_changes + changes, withheld=frozenset(reasons)
    )


def _emit(
    items: list[Item],
    reasons: Mapping[str, Reason],
    m: _Matcher,
    explicit_tlp: Tlp | None,
    known: Mapping[str, set[int]],
) -> tuple[list[dict[str, Any]], list[Change], dict[str, Reason]]:
    """The rewritten objects that leave, their changes, and the objects found unable to
    leave only now (they cannot be versioned)."""
    taken = {k: set(v) for k, v in known.items()}
    held = set(reasons)
    out: list[dict[str, Any]] = []
    changes: list[Change] = []
    late: dict[str, Reason] = {}
    marking = (
        next(k for k, v in TLP2_IDS.items() if v is explicit_tlp)
        if explicit_tlp is not None and explicit_tlp > Tlp.CLEAR
        else None
    )
    for oid, version, obj in items:
        if oid in held:
            continue
        mine: list[Change] = []

        def note(
            path: str,
            rule: Rule,
            kind: str,
            action: str,
            mine: list[Change] = mine,
            oid: str = oid,
            version: str | None = version,
        ) -> None:
            mine.append(
                Change(
                    object_id=oid, version=version, path=path, rule=rule, kind=kind, action=action
                )
            )

        new = _rewrite(obj, m, held, note)
        kind = new.get("type")
        if marking is not None and kind != "marking-definition" and not _has_tlp(new):
            refs = new.get("object_marking_refs")
            new["object_marking_refs"] = [*(refs if isinstance(refs, list) else []), marking]
            note("object_marking_refs", Rule.EXPLICIT_TLP, "marking", "added")
        only_marking = all(c.rule is Rule.EXPLICIT_TLP for c in mine)
        if mine and not (only_marking and kind in SCO_TYPES):
            current: int | None = None
            if kind not in _UNVERSIONED and version is not None:
                try:
                    current = parse_timestamp(version, location="modified")
                except InputError:
                    current = None
            if current is None:
                late[oid] = (mine[0].path, mine[0].rule, mine[0].kind)
                continue
            new["modified"] = _stamp(_next_version(current, taken.setdefault(oid, set())))
            note("modified", Rule.VERSIONING, "version", "new-version")
        changes += mine
        out.append(new)
    return out, changes, late


def _rewrite(obj: Mapping[str, Any], m: _Matcher, held: set[str], note: Note) -> dict[str, Any]:
    new: dict[str, Any] = {}
    for key, value in obj.items():
        if key in _STRUCTURAL:
            new[key] = value
        elif _is_ref_key(key):
            if isinstance(value, str) and value.lower() in held:
                note(key, Rule.WITHHELD_REFERENCE, "reference", "removed")
                continue
            if isinstance(value, list):
                kept = []
                for i, ref in enumerate(value):
                    if isinstance(ref, str) and ref.lower() in held:
                        note(f"{key}[{i}]", Rule.WITHHELD_REFERENCE, "reference", "removed")
                    else:
                        kept.append(ref)
                if value and not kept:
                    continue
                value = kept
            new[key] = value
        elif found := m.find(key):
            note("<key>", found[0][0], found[0][1], "removed")  # the key is the value
        else:
            new[key] = _scrub(value, key, m, note)
    return new


def _scrub(value: Any, path: str, m: _Matcher, note: Note) -> Any:
    if isinstance(value, str):
        text, hits = m.clean(value)
        for rule, kind, _ in hits:
            note(path, rule, kind, "replaced")
        return text
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for k, v in value.items():
            key = str(k)
            if found := m.find(key):
                note(f"{path}.<key>", found[0][0], found[0][1], "removed")
                continue
            out[key] = _scrub(v, f"{path}.{key}", m, note)
        return out
    if isinstance(value, list):
        return [_scrub(v, f"{path}[{i}]", m, note) for i, v in enumerate(value)]
    return value
