"""Retro-hunt: look for plain observables in the stored events of earlier runs, raise incidents.

A peer shares an indicator today; the connection it names may have happened last week. A hunt
takes plain observables (an address, a domain, a URL, a file hash, an e-mail address, a file
name; each with the caller's ``ref``, e.g. the STIX indicator id), looks for them in the event
store (:mod:`shieldwall.detect.eventstore`) of every run the caller may read (or those named,
within a time range), and stores what it finds as a run of its own: each matching event is an
alert whose "rule" is the indicator (``ref`` as its id, the value in its title, kind
``indicator``), grouped into triaged incidents like a detection run's, so the incident list, the
web dashboard and the agent see them.

Where an observable is looked for (the readers' field names, :mod:`shieldwall.detect.events`):

===========  ====================================================================================
addresses    Sysmon/Security ``DestinationIp``, ``SourceIp``, ``IpAddress``, ``SourceAddress``,
             ``DestAddress``; web ``c-ip``, ``s-ip``; syslog ``source_ip``, ``pam_rhost``; auditd
             ``addr``; CloudTrail ``sourceIPAddress``; ECS ``source.ip`` ...; Zeek/Suricata
             ``id.orig_h``, ``src_ip`` ...; inside ``QueryResults``; the host of URL fields
domains      ``QueryName``, ``DestinationHostname``, ``SourceHostname``, ``cs-host``, ``r-dns``,
             ECS ``dns.question.name``, ``url.domain`` ...; the host of URL fields
URLs         ``cs-referer``, ``c-uri``, ECS ``url.full`` / ``url.original``, ``url``
file hashes  inside Sysmon ``Hashes`` (``SHA256=...,MD5=...``) and ``Hash``; ECS ``file.hash.*``,
             ``process.hash.*``; ``md5`` / ``sha1`` / ``sha256`` ...
e-mail       ECS ``email.from.address`` / ``email.to.address``, ``sender``, ``recipient``,
             ``cs-username`` ...
file names   the last part of ``Image``, ``ParentImage``, ``TargetFilename``, ``ImageLoaded``,
             ``NewProcessName``, auditd ``exe``, ECS ``process.executable`` ...
any          the words of the original line (``_raw``: syslog, auditd, access logs) or of
             ``message``: addresses, domains, hashes and e-mail addresses written in free text
===========  ====================================================================================

Matching: addresses, domains, hashes, e-mail addresses and file names compare without regard to
case; a URL does too (its trailing ``/`` aside). A domain also matches its subdomains
(``evil.example`` matches ``cdn.evil.example``: hosts under a malicious domain are the
attacker's as a rule, and DNS-tunnelling and DGA traffic only ever shows subdomains); each event
says whether it matched ``exact``, as a ``subdomain``, or as a ``token`` (a word of free text).
A domain to hunt has two labels or more (a bare ``example`` would match a whole top-level
domain). An IPv6 address matches written compressed, in full, or in full without leading zeros;
an IPv4 address also as ``::ffff:a.b.c.d``; an address range (CIDR) is not hunted. A value is
never a pattern: ``%``, ``_``, ``*`` and quotes are ordinary characters.

The SQL is constant text: the observables, the field names, the run files and the time range
are bound parameters (lists), and each value is turned into lookup keys (``ip:``, ``dom:``,
``url:``, ``hash:``, ``mail:``, ``file:`` + the normalised value) on both sides, so matching is
one hash join in DuckDB, whatever the number of observables. An event found in two runs (a log
read twice) counts once.

An observable that no searched event could hold (a file hash when only web access logs are
stored) is reported ``not_huntable`` with the reason, as is a value that is not one of its type
(an IPv4 range, a non-hex hash); both are values, not errors.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field

from shieldwall.core.errors import InputError, NotFoundError, StoreError
from shieldwall.core.lazy import LazyModule
from shieldwall.core.types import InvocationContext, Principal, PrincipalKind
from shieldwall.detect.alerts import Alert, Level, RuleInfo
from shieldwall.detect.events import EventSource
from shieldwall.detect.eventstore import RUN_ID_PATTERN, EventStore, run_dir
from shieldwall.detect.incidents import DEFAULT_WINDOW, group_alerts
from shieldwall.detect.repository import DetectRepository
from shieldwall.detect.triage import triage_incidents

if TYPE_CHECKING:
    import duckdb
else:  # imported on first use
    duckdb = LazyModule("duckdb")

MAX_OBSERVABLES: Final = 10_000
DEFAULT_EVENTS_SHOWN: Final = 100
MAX_EVENTS_SHOWN: Final = 1000
MAX_VALUE: Final = 2048
_CONTEXT_CHARS: Final = 1000


class ObservableType(StrEnum):
    IPV4 = "ipv4-addr"
    IPV6 = "ipv6-addr"
    DOMAIN = "domain-name"
    URL = "url"
    FILE_HASH = "file-hash"
    EMAIL = "email-addr"
    FILE_NAME = "file-name"


class Kind(StrEnum):
    """How a field's value becomes lookup keys (the SQL macros below)."""

    IP = "ip"  # one address
    HOST = "host"  # a host name or address (a port or brackets stripped)
    URL = "url"  # a whole URL
    URL_HOST = "urlhost"  # the host of a URL
    HASHES = "hashes"  # text holding hex digests (Sysmon's ``SHA256=...,MD5=...``)
    PATH = "path"  # a file path: its last part
    EMAIL = "email"  # text holding e-mail addresses
    LIST = "list"  # a list of addresses / names (``QueryResults``, JSON lists)
    TEXT = "text"  # free text: its words


#: Which key prefixes (observable categories) each kind of field can produce.
KIND_CATEGORIES: Final[Mapping[Kind, frozenset[str]]] = {
    Kind.IP: frozenset({"ip"}),
    Kind.HOST: frozenset({"ip", "dom"}),
    Kind.URL: frozenset({"url"}),
    Kind.URL_HOST: frozenset({"ip", "dom"}),
    Kind.HASHES: frozenset({"hash"}),
    Kind.PATH: frozenset({"file"}),
    Kind.EMAIL: frozenset({"mail"}),
    Kind.LIST: frozenset({"ip", "dom", "hash"}),
    Kind.TEXT: frozenset({"ip", "dom", "hash", "mail"}),
}

_CATEGORY: Final[Mapping[ObservableType, str]] = {
    ObservableType.IPV4: "ip",
    ObservableType.IPV6: "ip",
    ObservableType.DOMAIN: "dom",
    ObservableType.URL: "url",
    ObservableType.FILE_HASH: "hash",
    ObservableType.EMAIL: "mail",
    ObservableType.FILE_NAME: "file",
}

_SOURCES: Final[Mapping[str, str]] = {
    "ip": "addresses (network, logon, web, auth, CloudTrail events)",
    "dom": "host names (DNS queries, network connections, web or proxy hosts, URLs)",
    "url": "URLs (referers, proxy or ECS url fields)",
    "hash": "file hashes (Sysmon Hashes, ECS hash fields)",
    "mail": "e-mail addresses (mail or ECS email fields, free text)",
    "file": "file and process paths (process, file and image-load events)",
}

#: (field name, kind), in the order a match is reported when one event matches in several.
HUNT_FIELDS: Final[tuple[tuple[str, Kind], ...]] = (
    # addresses
    ("DestinationIp", Kind.IP), ("SourceIp", Kind.IP), ("IpAddress", Kind.HOST),
    ("SourceAddress", Kind.IP), ("DestAddress", Kind.IP), ("ClientAddress", Kind.HOST),
    ("c-ip", Kind.IP), ("s-ip", Kind.IP), ("source_ip", Kind.HOST), ("pam_rhost", Kind.HOST),
    ("rhost", Kind.HOST), ("addr", Kind.HOST), ("sourceIPAddress", Kind.HOST),
    ("source.ip", Kind.IP), ("destination.ip", Kind.IP), ("client.ip", Kind.IP),
    ("server.ip", Kind.IP), ("id.orig_h", Kind.IP), ("id.resp_h", Kind.IP), ("src_ip", Kind.IP),
    ("dest_ip", Kind.IP), ("dst_ip", Kind.IP), ("QueryResults", Kind.LIST),
    ("related.ip", Kind.LIST),
    # host names
    ("QueryName", Kind.HOST), ("DestinationHostname", Kind.HOST),
    ("SourceHostname", Kind.HOST), ("TargetServerName", Kind.HOST), ("cs-host", Kind.HOST),
    ("r-dns", Kind.HOST), ("dns.question.name", Kind.HOST), ("url.domain", Kind.HOST),
    ("destination.domain", Kind.HOST), ("server.domain", Kind.HOST), ("query", Kind.HOST),
    ("rrname", Kind.HOST), ("related.hosts", Kind.LIST),
    # URLs
    ("cs-referer", Kind.URL), ("c-uri", Kind.URL), ("url.full", Kind.URL),
    ("url.original", Kind.URL), ("url", Kind.URL), ("cs-referer", Kind.URL_HOST),
    ("c-uri", Kind.URL_HOST), ("url.full", Kind.URL_HOST), ("url.original", Kind.URL_HOST),
    ("url", Kind.URL_HOST),
    # hashes
    ("Hashes", Kind.HASHES), ("Hash", Kind.HASHES), ("file.hash.md5", Kind.HASHES),
    ("file.hash.sha1", Kind.HASHES), ("file.hash.sha256", Kind.HASHES),
    ("file.hash.sha512", Kind.HASHES), ("process.hash.md5", Kind.HASHES),
    ("process.hash.sha1", Kind.HASHES), ("process.hash.sha256", Kind.HASHES),
    ("hash.md5", Kind.HASHES), ("hash.sha1", Kind.HASHES), ("hash.sha256", Kind.HASHES),
    ("md5", Kind.HASHES), ("sha1", Kind.HASHES), ("sha256", Kind.HASHES),
    ("sha512", Kind.HASHES), ("related.hash", Kind.LIST),
    # e-mail
    ("email.from.address", Kind.EMAIL), ("email.to.address", Kind.EMAIL),
    ("email.sender.address", Kind.EMAIL), ("sender", Kind.EMAIL), ("recipient", Kind.EMAIL),
    ("SenderAddress", Kind.EMAIL), ("RecipientAddress", Kind.EMAIL),
    ("user.email", Kind.EMAIL), ("cs-username", Kind.EMAIL),
    # file names
    ("Image", Kind.PATH), ("ParentImage", Kind.PATH), ("TargetFilename", Kind.PATH),
    ("ImageLoaded", Kind.PATH), ("OriginalFileName", Kind.PATH), ("NewProcessName", Kind.PATH),
    ("ParentProcessName", Kind.PATH), ("ProcessName", Kind.PATH), ("exe", Kind.PATH),
    ("process.executable", Kind.PATH), ("process.name", Kind.PATH),
    ("process.parent.executable", Kind.PATH), ("file.path", Kind.PATH),
    ("file.name", Kind.PATH),
    # free text: the original line (syslog, auditd, access logs), a message
    ("_raw", Kind.TEXT), ("message", Kind.TEXT),
)  # fmt: skip

#: Fields of a matching event copied into its alert (besides the one that matched).
_CONTEXT_FIELDS: Final = (
    "EventID", "Image", "CommandLine", "ParentImage", "User", "QueryName", "DestinationIp",
    "DestinationPort", "DestinationHostname", "SourceIp", "TargetFilename", "Hashes",
    "IpAddress", "TargetUserName", "c-ip", "cs-method", "cs-uri", "cs-host", "cs-referer",
    "sc-status", "program", "source_ip", "user", "eventName", "eventSource", "sourceIPAddress",
    "userIdentity.arn",
)  # fmt: skip
_USER_FIELDS: Final = (
    "User", "TargetUserName", "SubjectUserName", "user", "cs-username", "userIdentity.arn",
    "user.name",
)  # fmt: skip

# The SQL (constant text; every value is a bound parameter), one DuckDB connection per hunt.
# Each event's candidate values (the fields above, then its free text) are cut into tokens
# (one row each: the words of text, the items of a list, the digests of ``Hashes``, the host of
# a URL), each token gets a class and a normal form, and each normal form one lookup key
# (a host: one per parent domain too); the keys are joined with the observables' keys. One row
# per (observable, event) is kept: an exact match before a subdomain, then the first field in
# HUNT_FIELDS order; the first ``$cap`` events of each observable are returned, with the count
# and time span of all. Only (file, row) travels through the tokens and keys; the hits are
# joined back to their events at the end. (Computed columns are re-projected with
# ``unnest([...])``: DuckDB would otherwise inline a CTE's expression at every use.)
_MACROS: Final = (
    # a host: lower case, no trailing dot, no [brackets] or :port
    r"""CREATE MACRO sw_host(v) AS rtrim(regexp_replace(regexp_replace(
        rtrim(trim(v), '.'), '^\[([^\]]*)\](:[0-9]+)?$', '\1'), '^([^:]+):[0-9]*$', '\1'), '.')""",
    r"""CREATE MACRO sw_unmap(v) AS
        regexp_replace(v, '^::ffff:([0-9]+\.[0-9]+\.[0-9]+\.[0-9]+)$', '\1')""",
    r"""CREATE MACRO sw_is_hash(t) AS len(t) IN (32, 40, 56, 64, 96, 128)
        AND regexp_full_match(t, '[0-9a-f]+')""",
    # a host's keys: itself as an address, itself and each parent of two labels or more as
    # a domain (a.b.example: a.b.example, b.example); ``labels``: its labels, split once
    r"""CREATE MACRO sw_host_keys(n, labels) AS list_concat(['ip:' || sw_unmap(n)],
        ['dom:' || array_to_string(labels[i:], '.')
         for i in range(1, greatest(len(labels), 2))])""",
    r"""CREATE MACRO sw_url_host(v) AS regexp_extract(
        lower(trim(v)), '^[a-z][a-z0-9+.-]*://(?:[^/?#@]*@)?(\[[^\]/]*\]|[^/?#:]*)', 1)""",
    r"""CREATE MACRO sw_tokens(kind, v) AS CASE kind
        WHEN 'urlhost' THEN [sw_url_host(v)]
        WHEN 'hashes' THEN regexp_split_to_array(lower(v), '[^0-9a-z]+')
        WHEN 'email' THEN regexp_extract_all(lower(v), '[^\s<>",;:()\[\]]+@[^\s<>",;:()\[\]]+')
        WHEN 'list' THEN regexp_split_to_array(lower(v), '[\s;,|"\[\]]+')
        WHEN 'text' THEN regexp_extract_all(lower(v),
            '[0-9a-z:][0-9a-z_%+-]*[.@:][0-9a-z._@:%+-]*|\b[0-9a-f]{32,128}\b')
        ELSE [lower(trim(v))] END""",
    r"""CREATE MACRO sw_class(kind, t) AS CASE
        WHEN kind = 'ip' THEN 'ip'
        WHEN kind IN ('host', 'urlhost') THEN 'host'
        WHEN kind = 'url' THEN 'url'
        WHEN kind = 'path' THEN 'file'
        WHEN kind = 'email' THEN 'mail'
        WHEN sw_is_hash(t) THEN 'hash'
        WHEN kind IN ('hashes', 'list') THEN CASE WHEN kind = 'list' THEN 'host' END
        WHEN contains(t, '@') THEN 'mail'
        WHEN contains(t, '.') THEN 'host'
        WHEN contains(t, ':') AND regexp_full_match(t, '[0-9a-f]*:[0-9a-f:]*:[0-9a-f]*')
            THEN 'ip'
        END""",
    r"""CREATE MACRO sw_normal(c, t) AS CASE c
        WHEN 'host' THEN sw_host(t)
        WHEN 'ip' THEN sw_unmap(sw_host(t))
        WHEN 'url' THEN rtrim(t, '/')
        WHEN 'file' THEN regexp_extract(t, '[^\\/]*$', 0)
        WHEN 'mail' THEN rtrim(t, '.:')
        ELSE t END""",
)
_WHEN: Final = """
    ($start::TIMESTAMPTZ IS NULL OR timestamp >= $start::TIMESTAMPTZ)
    AND ($end::TIMESTAMPTZ IS NULL OR timestamp < $end::TIMESTAMPTZ)
"""
_VALUES: Final = f"""
    SELECT filename AS part, file_row_number AS rn,
        json_extract_string(fields, $paths::VARCHAR[]) AS vals
    FROM read_parquet($files::VARCHAR[], filename = true, file_row_number = true)
    WHERE {_WHEN}
"""  # noqa: S608 - constant text
_HUNT_SQL: Final = f"""
WITH ev AS ({_VALUES}),
fv AS (
    SELECT part, rn,
        unnest($names::VARCHAR[]) AS field,
        unnest($kinds::VARCHAR[]) AS kind,
        unnest(range(len($names::VARCHAR[]))) AS prio,
        unnest(vals) AS value
    FROM ev
),
tok AS (
    SELECT *, unnest(sw_tokens(kind, value)) AS t FROM fv WHERE value IS NOT NULL AND value <> ''
),
cls AS (SELECT *, unnest([sw_class(kind, t)]) AS c FROM tok WHERE t <> ''),
norm AS (SELECT *, unnest([sw_normal(c, t)]) AS n FROM cls WHERE c IS NOT NULL),
labelled AS (
    SELECT *, unnest([CASE WHEN c = 'host' THEN string_split(n, '.') END]) AS labels
    FROM norm WHERE n <> ''
),
keyed AS (
    SELECT part, rn, field, prio, value, n,
        unnest(CASE WHEN c = 'host' THEN sw_host_keys(n, labels) ELSE [c || ':' || n] END) AS key
    FROM labelled
),
needles AS (SELECT unnest($keys::VARCHAR[]) AS key, unnest($obs::INTEGER[]) AS obs),
hit AS (SELECT keyed.*, needles.obs FROM keyed JOIN needles USING (key)),
located AS (
    SELECT hit.*, e.source_file, e.source_member, e.source_record, e.timestamp, e.host, e.fields
    FROM hit JOIN read_parquet($files::VARCHAR[], filename = true, file_row_number = true) e
        ON e.filename = hit.part AND e.file_row_number = hit.rn
),
one AS (
    SELECT DISTINCT ON (obs, source_file, source_member, source_record, timestamp) *
    FROM located
    ORDER BY obs, source_file, source_member, source_record, timestamp,
        starts_with(key, 'dom:') AND key <> 'dom:' || n, prio, part
)
SELECT obs, part, source_file, source_member, source_record, timestamp, host, field, value,
    key, fields,
    count(*) OVER w AS total, min(timestamp) OVER w AS first, max(timestamp) OVER w AS last
FROM one
WINDOW w AS (PARTITION BY obs)
QUALIFY row_number() OVER (PARTITION BY obs ORDER BY timestamp NULLS LAST, source_file,
    source_member NULLS FIRST, source_record, part) <= $cap
ORDER BY obs, timestamp NULLS LAST, source_file, source_member NULLS FIRST, source_record
"""  # noqa: S608 - constant text: every value above is a bound parameter
_PRESENT_SQL: Final = f"""
WITH ev AS ({_VALUES}),
fv AS (
    SELECT unnest($kinds::VARCHAR[]) AS kind, unnest(vals) AS value
    FROM ev
)
SELECT DISTINCT kind FROM fv WHERE value IS NOT NULL AND value <> ''
"""  # noqa: S608 - constant text: every value above is a bound parameter
_COUNT_SQL: Final = f"""
SELECT count(*) FROM read_parquet($files::VARCHAR[]) WHERE {_WHEN}
"""  # noqa: S608 - constant text


# ---------------------------------------------------------------------------------------------
# Observables


@dataclass(frozen=True, slots=True, kw_only=True)
class Observable:
    """A plain value to hunt for, with the caller's id for it (``ref``)."""

    type: ObservableType
    value: str
    ref: str
    hash_algo: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": str(self.type), "value": self.value, "ref": self.ref}
        if self.hash_algo:
            out["hash_algo"] = self.hash_algo
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Keys:
    """The lookup keys of one observable (``category:normalised value``), or why there are
    none (``reason``)."""

    keys: tuple[str, ...] = ()
    reason: str | None = None


_DOMAIN = re.compile(r"^(?:[\w-]{1,63}\.)+[\w-]{1,63}$", re.UNICODE)
_HEX = re.compile(r"^[0-9a-f]+$")
_HASH_LENGTHS: Final = frozenset({32, 40, 56, 64, 96, 128})
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TEXT_FIELDS: Final = frozenset({"_raw", "message"})


def default_ref(kind: ObservableType, value: str) -> str:
    digest = hashlib.sha256(f"{kind}\x1f{value}".encode("utf-8", "surrogatepass")).hexdigest()
    return f"ioc--{digest[:32]}"


def lookup_keys(obs: Observable) -> Keys:
    """The keys an event value must produce to match ``obs`` (see the macros), or the reason
    it cannot be hunted. Never raises for any value."""
    value = obs.value.strip()
    if not value:
        return Keys(reason="the value is empty")
    if len(value) > MAX_VALUE:
        return Keys(reason=f"the value is longer than {MAX_VALUE} characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return Keys(reason="the value is not valid Unicode text")
    if _CONTROL.search(value):
        return Keys(reason="the value holds control characters")
    match obs.type:
        case ObservableType.IPV4 | ObservableType.IPV6:
            return _ip_keys(obs.type, value)
        case ObservableType.DOMAIN:
            return _domain_keys(value)
        case ObservableType.URL:
            return Keys(keys=(f"url:{value.lower().rstrip('/')}",))
        case ObservableType.FILE_HASH:
            digest = value.lower()
            if not _HEX.match(digest) or len(digest) not in _HASH_LENGTHS:
                return Keys(
                    reason="only hex digests (MD5, SHA-1, SHA-224, SHA-256, SHA-384, SHA-512) "
                    "are hunted"
                )
            return Keys(keys=(f"hash:{digest}",))
        case ObservableType.EMAIL:
            local, at, domain = value.lower().rpartition("@")
            if not at or not local or not domain or any(c.isspace() for c in value):
                return Keys(reason="not an e-mail address")
            return Keys(keys=(f"mail:{value.lower()}",))
        case ObservableType.FILE_NAME:
            name = re.split(r"[\\/]", value)[-1].strip().lower()
            if not name:
                return Keys(reason="no file name (the value ends with a path separator)")
            return Keys(keys=(f"file:{name}",))


def _ip_keys(kind: ObservableType, value: str) -> Keys:
    text = value.strip("[]")
    try:
        net = ipaddress.ip_network(text, strict=False) if "/" in text else None
        addr = net.network_address if net is not None else ipaddress.ip_address(text)
    except ValueError:
        return Keys(reason=f"not an {'IPv4' if kind is ObservableType.IPV4 else 'IPv6'} address")
    if net is not None and net.num_addresses > 1:
        return Keys(reason="an address range (CIDR): only single addresses are hunted")
    if (kind is ObservableType.IPV4) != (addr.version == 4):
        return Keys(reason=f"an IPv{addr.version} address given as {kind}")
    if isinstance(addr, ipaddress.IPv6Address):
        unpadded = ":".join(f"{int(part, 16):x}" for part in addr.exploded.split(":"))
        forms = (addr.ipv4_mapped, addr.compressed, addr.exploded, unpadded)
        return Keys(keys=tuple(dict.fromkeys(f"ip:{form}" for form in forms if form)))
    return Keys(keys=(f"ip:{addr}",))


def _domain_keys(value: str) -> Keys:
    name = value.lower().rstrip(".")
    if name.startswith("*."):  # a wildcard names the domain and its subdomains: so do we
        name = name[2:]
    if not _DOMAIN.match(name) or len(name) > 253:
        return Keys(reason="not a domain name of two labels or more")
    if name.rsplit(".", 1)[-1].isdigit():
        return Keys(reason="not a domain name (it ends with a number)")
    keys = [f"dom:{name}"]
    try:
        ascii_name = name.encode("idna").decode("ascii")
    except UnicodeError:
        ascii_name = name
    if ascii_name != name:
        keys.append(f"dom:{ascii_name}")
    return Keys(keys=tuple(keys))


# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True, slots=True, kw_only=True)
class Sighting:
    """One event an observable was found in."""

    run_id: str
    file: str
    member: str | None
    record: int | None
    timestamp: datetime | None
    host: str | None
    field: str
    value: str
    match: str  # exact | subdomain | token (found among the words of free text)
    fields: Mapping[str, Any]  # the event's, for the alert's context

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "run_id": self.run_id,
            "file": self.file,
            "record": self.record,
            "timestamp": _iso(self.timestamp),
            "host": self.host,
            "field": self.field,
            "value": self.value[:_CONTEXT_CHARS],
            "match": self.match,
        }
        if self.member:
            out["member"] = self.member
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class ObservableResult:
    observable: Observable
    status: Literal["hit", "miss", "not_huntable"]
    reason: str | None = None
    count: int = 0
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    events: tuple[Sighting, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out = self.observable.to_json() | {"status": self.status}
        if self.reason:
            out["reason"] = self.reason
        if self.status == "hit":
            out |= {
                "count": self.count,
                "first_seen": _iso(self.first_seen),
                "last_seen": _iso(self.last_seen),
                "events": [e.to_json() for e in self.events],
                "events_truncated": self.count > len(self.events),
            }
        return out


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    at = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return at.isoformat().replace("+00:00", "Z")


# ---------------------------------------------------------------------------------------------
# The search


@dataclass(frozen=True, slots=True, kw_only=True)
class HuntScope:
    """Which stored events a hunt reads: these runs (their Parquet files), in this time range."""

    runs: tuple[str, ...]
    start: datetime | None = None
    end: datetime | None = None  # exclusive


@dataclass(frozen=True, slots=True, kw_only=True)
class Search:
    """What the event store said: each observable's result, and how many events were read."""

    results: tuple[ObservableResult, ...]
    events_searched: int


def may_read_run(meta: Mapping[str, Any], who: Principal) -> bool:
    """The event store's rule: the local owner reads every run; others their own and their
    organisation's."""
    if who.kind is PrincipalKind.OWNER:
        return True
    owner = meta.get("owner")
    if owner is not None and owner == who.id:
        return True
    org = meta.get("owner_org")
    return org is not None and who.org is not None and org == who.org


class Hunter:
    """Searches the event store of ``home`` for observables (one DuckDB scan per hunt)."""

    def __init__(self, home: Path, *, memory_limit: str = "1GB", threads: int = 2) -> None:
        self.store = EventStore(home)
        self.home = home
        self._config: dict[str, str | bool | int | float | list[str]] = {
            "memory_limit": memory_limit,
            "threads": threads,
        }

    def readable_runs(self, who: Principal, wanted: Sequence[str] = ()) -> list[str]:
        """The runs with stored events ``who`` may read: all of them, or those named (a named
        run that does not exist or is not theirs is NotFoundError, without telling which)."""
        if wanted:
            runs = list(dict.fromkeys(wanted))
            for run_id in runs:
                try:
                    readable = may_read_run(self.store.meta(run_id), who)
                except NotFoundError:
                    readable = False
                if not readable:  # not "denied": whether the run exists is not shown
                    raise NotFoundError(
                        f"no stored events for run {run_id!r}",
                        code="detect.events.no_run",
                        hint="Name runs made with the event store on (`detect run` prints "
                        "their ids), or none to search every run you may read.",
                    )
            return runs
        out = []
        for run_id in self.store.runs():
            try:
                meta = self.store.meta(run_id)
            except (NotFoundError, StoreError):
                continue  # a run being written, or a damaged one: not this hunt's to read
            if may_read_run(meta, who):
                out.append(run_id)
        return out

    def search(self, observables: Sequence[Observable], scope: HuntScope, *, cap: int) -> Search:
        keyed = [lookup_keys(o) for o in observables]
        files = {
            str(path): run_id
            for run_id in scope.runs
            for path in sorted(run_dir(self.home, run_id).glob("events-*.parquet"))
        }
        if not files:
            return Search(
                results=tuple(
                    ObservableResult(
                        observable=o,
                        status="not_huntable",
                        reason=k.reason or "no stored events to search (run `detect run` first)",
                    )
                    for o, k in zip(observables, keyed, strict=True)
                ),
                events_searched=0,
            )
        names = [name for name, _ in HUNT_FIELDS]
        base: dict[str, Any] = {
            "files": list(files),
            "start": _aware(scope.start),
            "end": _aware(scope.end),
        }
        shape = base | {
            "paths": [f'$."{name}"' for name in names],
            "kinds": [str(kind) for _, kind in HUNT_FIELDS],
        }
        needle_keys: list[str] = []
        needle_obs: list[int] = []
        for index, k in enumerate(keyed):
            for key in k.keys:
                needle_keys.append(key)
                needle_obs.append(index)
        rows: list[tuple[Any, ...]] = []
        present: set[str] = set()
        with self._connect() as con:
            events = int(self._run(con, _COUNT_SQL, base)[0][0])
            if needle_keys:
                rows = self._run(
                    con,
                    _HUNT_SQL,
                    shape
                    | {
                        "names": names,
                        "keys": needle_keys,
                        "obs": needle_obs,
                        "cap": cap,
                    },
                )
            found = {int(r[0]) for r in rows}
            if any(k.keys and i not in found for i, k in enumerate(keyed)):
                for (kind,) in self._run(con, _PRESENT_SQL, shape):
                    present |= KIND_CATEGORIES[Kind(kind)]
        by_obs: dict[int, list[tuple[Any, ...]]] = {}
        for row in rows:
            by_obs.setdefault(int(row[0]), []).append(row)
        results = []
        for index, (obs, k) in enumerate(zip(observables, keyed, strict=True)):
            category = _CATEGORY[obs.type]
            hits = by_obs.get(index)
            if hits:
                first = hits[0]
                results.append(
                    ObservableResult(
                        observable=obs,
                        status="hit",
                        count=int(first[11]),
                        first_seen=_utc(first[12]),
                        last_seen=_utc(first[13]),
                        events=tuple(_sighting(row, files) for row in hits),
                    )
                )
            elif k.reason is not None:
                results.append(
                    ObservableResult(observable=obs, status="not_huntable", reason=k.reason)
                )
            elif category not in present:
                results.append(
                    ObservableResult(
                        observable=obs,
                        status="not_huntable",
                        reason=f"no searched event holds {_SOURCES[category]}"
                        if events
                        else "no stored events in the time range",
                    )
                )
            else:
                results.append(ObservableResult(observable=obs, status="miss"))
        return Search(results=tuple(results), events_searched=events)

    def _connect(self) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(":memory:", config=self._config)
        try:
            for macro in _MACROS:
                con.execute(macro)
        except duckdb.Error as exc:
            con.close()
            raise StoreError(
                f"the event store cannot be searched: {exc}", code="detect.hunt.engine"
            ) from exc
        return con

    @staticmethod
    def _run(
        con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any]
    ) -> list[tuple[Any, ...]]:
        try:
            return con.execute(sql, dict(params)).fetchall()
        except duckdb.Error as exc:
            raise StoreError(
                f"the event store cannot be read: {exc}",
                code="detect.events.read",
                hint="The run's Parquet files may be damaged; re-run the detection.",
            ) from exc


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _utc(value: Any) -> datetime | None:
    return value.astimezone(UTC) if isinstance(value, datetime) else None


def _sighting(row: tuple[Any, ...], files: Mapping[str, str]) -> Sighting:
    (_, part, source_file, member, record, stamp, host, name, value, key, fields_text) = row[:11]
    if name in _TEXT_FIELDS:
        how = "token"  # among the words of free text
    elif key.startswith("dom:") and _host_of(str(value)) != key[4:]:
        how = "subdomain"
    else:
        how = "exact"
    try:
        fields = orjson.loads(fields_text) if fields_text else {}
    except orjson.JSONDecodeError:
        fields = {}
    return Sighting(
        run_id=files.get(str(part), Path(str(part)).parent.name),
        file=str(source_file),
        member=member,
        record=record,
        timestamp=_utc(stamp),
        host=host,
        field=str(name),
        value=str(value),
        match=how,
        fields=fields if isinstance(fields, dict) else {},
    )


def _host_of(value: str) -> str:
    """The host a field value names, as the SQL macros read it (for exact vs subdomain)."""
    text = value.strip().lower()
    m = re.match(r"^[a-z][a-z0-9+.-]*://(?:[^/?#@]*@)?(\[[^\]/]*\]|[^/?#:]*)", text)
    if m:
        text = m.group(1)
    text = text.rstrip(".")
    text = re.sub(r"^\[([^\]]*)\](:[0-9]+)?$", r"\1", text)
    return re.sub(r"^([^:]+):[0-9]+$", r"\1", text)


# ---------------------------------------------------------------------------------------------
# The capability


ObservableTypeName = Literal[
    "ipv4-addr", "ipv6-addr", "domain-name", "url", "file-hash", "email-addr", "file-name"
]
LevelName = Literal["informational", "low", "medium", "high", "critical"]


class ObservableIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: ObservableTypeName
    value: str = Field(min_length=1, max_length=MAX_VALUE)
    hash_algo: str | None = Field(default=None, max_length=32, description="e.g. SHA-256.")
    ref: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="Your id for it (e.g. the STIX indicator id); it names the alerts' rule.",
    )


class HuntRequest(BaseModel):
    """``detect.hunt``: observables to look for in stored events."""

    model_config = ConfigDict(extra="forbid")
    observables: list[ObservableIn] = Field(min_length=1, max_length=MAX_OBSERVABLES)
    run_ids: list[str] = Field(
        default_factory=list,
        max_length=1000,
        description="Runs to search (default: every run with stored events you may read).",
    )
    start: datetime | None = Field(default=None, description="Events at or after this time.")
    end: datetime | None = Field(default=None, description="Events before this time.")
    level: LevelName = Field(default="high", description="The level of the alerts raised.")
    max_events: int = Field(
        default=DEFAULT_EVENTS_SHOWN,
        ge=1,
        le=MAX_EVENTS_SHOWN,
        description="Events listed (and stored as alerts) per observable; counts are exact.",
    )


_RUN_ID = re.compile(RUN_ID_PATTERN)


@dataclass(frozen=True, slots=True)
class HuntService:
    """``detect.hunt``: search, then store what was found as a run with triaged incidents."""

    hunter: Hunter
    repository: DetectRepository

    def __call__(self, req: HuntRequest, ctx: InvocationContext) -> dict[str, Any]:
        for run_id in req.run_ids:
            if not _RUN_ID.match(run_id):
                raise InputError(
                    f"not a run id: {run_id!r}",
                    code="detect.events.bad_run_id",
                    location="run_ids",
                    hint="A run id is letters, digits, '_', '.' and '-' (as `detect run` "
                    "prints it).",
                )
        start, end = _aware(req.start), _aware(req.end)
        if start is not None and end is not None and end <= start:
            raise InputError(
                "the time range is empty (end is not after start)",
                code="detect.hunt.bad_range",
                location="end",
            )
        who = ctx.principal
        observables = [
            Observable(
                type=ObservableType(o.type),
                value=o.value,
                ref=o.ref or default_ref(ObservableType(o.type), o.value),
                hash_algo=o.hash_algo,
            )
            for o in req.observables
        ]
        runs = self.hunter.readable_runs(who, req.run_ids)
        scope = HuntScope(runs=tuple(runs), start=start, end=end)
        record = self.repository.start_run(
            owner=who.id,
            owner_org=who.org,
            paths=[f"hunt:{run_id}" for run_id in runs],
            rules_loaded=len(observables),
        )
        try:
            search = self.hunter.search(observables, scope, cap=req.max_events)
            alerts = [
                _alert(result, sighting, Level.parse(req.level))
                for result in search.results
                for sighting in result.events
            ]
            incidents = group_alerts(alerts, window=DEFAULT_WINDOW)
            triaged = triage_incidents(incidents)
            self.repository.save_incidents(record.id, triaged, owner=who.id, owner_org=who.org)
        except Exception as exc:
            self.repository.finish_run(
                record.id, events=0, alerts=0, incidents=0, status="failed", error=str(exc)
            )
            raise
        self.repository.finish_run(
            record.id,
            events=search.events_searched,
            alerts=len(alerts),
            incidents=len(triaged),
            rules_failed=sum(r.status == "not_huntable" for r in search.results),
        )
        counts = {
            status: sum(r.status == status for r in search.results)
            for status in ("hit", "miss", "not_huntable")
        }
        return {
            "run": {
                "id": record.id,
                "searched_runs": list(runs),
                "events_searched": search.events_searched,
                "start": _iso(start),
                "end": _iso(end),
                "observables": len(observables),
                **counts,
                "alerts": len(alerts),
                "incidents": len(triaged),
            },
            "observables": [r.to_json() for r in search.results],
            "incidents": [t.to_json(with_alerts=False) for t in triaged],
        }


def _alert(result: ObservableResult, sighting: Sighting, level: Level) -> Alert:
    obs = result.observable
    shown = obs.value if len(obs.value) <= 200 else obs.value[:199] + "…"
    rule = RuleInfo(
        id=obs.ref,
        title=f"Shared indicator seen: {shown}",
        level=level,
        status="stable",
        description=f"A retro-hunt found the {obs.type} {shown} of the shared indicator "
        f"{obs.ref} in this event's {sighting.field} ({sighting.match} match).",
        falsepositives=(
            "An indicator can be stale, or name a shared service (a CDN, a cloud provider, a "
            "public resolver) that benign traffic reaches too.",
        ),
        kind="indicator",
    )
    fields: dict[str, Any] = {
        "indicator": obs.ref,
        "observable_type": str(obs.type),
        "observable": obs.value,
        "matched_field": sighting.field,
        "match": sighting.match,
    }
    event = sighting.fields
    if sighting.field not in _TEXT_FIELDS:
        fields[sighting.field] = _clip(sighting.value)
    for name in _CONTEXT_FIELDS:
        value = event.get(name)
        if value not in (None, "") and name not in fields:
            fields[name] = _clip(value)
    if sighting.field in _TEXT_FIELDS:
        fields[sighting.field] = _clip(sighting.value)
    user = next((str(event[n]) for n in _USER_FIELDS if event.get(n) not in (None, "")), None)
    return Alert(
        rule=rule,
        timestamp=sighting.timestamp,
        host=sighting.host,
        user=user,
        source=EventSource(
            file=sighting.file, member=sighting.member, record=int(sighting.record or 0)
        ),
        fields=fields,
    )


def _clip(value: Any) -> Any:
    if isinstance(value, str) and len(value) > _CONTEXT_CHARS:
        return value[: _CONTEXT_CHARS - 1] + "…"
    return value


def parse_indicator(text: str) -> dict[str, str]:
    """``TYPE:VALUE`` (the CLI's ``--indicator``) as an observable's JSON."""
    kind, sep, value = text.partition(":")
    kind = kind.strip().lower()
    types = [str(t) for t in ObservableType]
    if not sep or kind not in types or not value.strip():
        raise InputError(
            f"{text!r} is not TYPE:VALUE",
            code="detect.hunt.bad_indicator",
            location="--indicator",
            hint=f"TYPE is one of {', '.join(types)}; e.g. ipv4-addr:203.0.113.7 or "
            "domain-name:evil.example",
        )
    return {"type": kind, "value": value.strip()}


def hunt_lines(result: Mapping[str, Any]) -> list[str]:
    """``detect.hunt``'s result as lines for a person: each observable, then the totals."""
    lines: list[str] = []
    for obs in result["observables"]:
        what = f"{obs['type']} {obs['value']}"
        if obs["status"] == "hit":
            span = f"{obs['first_seen'] or '?'} .. {obs['last_seen'] or '?'}"
            lines.append(f"HIT {what}: {obs['count']} event(s), {span} ({obs['ref']})")
            for event in obs["events"][:5]:
                where = event["file"] + (f"!{event['member']}" if event.get("member") else "")
                lines.append(
                    f"    {event['timestamp'] or '-'} {event['host'] or '-'} {where}:"
                    f"{event['record']} {event['field']}={event['value'][:120]}"
                    f" [{event['match']}, run {event['run_id']}]"
                )
            if obs["count"] > 5:
                lines.append(f"    ... and {obs['count'] - 5} more")
        elif obs["status"] == "miss":
            lines.append(f"not seen {what}")
        else:
            lines.append(f"not huntable here {what}: {obs['reason']}")
    run = result["run"]
    lines.append(
        f"{run['hit']} of {run['observables']} found, {run['miss']} not seen, "
        f"{run['not_huntable']} not huntable here; {run['events_searched']:,} events in "
        f"{len(run['searched_runs'])} run(s) searched; {run['incidents']} incident(s) stored "
        f"(hunt run {run['id']})."
    )
    return lines
