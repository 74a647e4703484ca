"""Proof of asset ownership, ACME-style (RFC 8555 §8).

A principal claims a domain for an owner (its organisation, or itself). The claim gets a fresh
random token, bound to the claiming account by a *key authorization*::

    token "." base64url(SHA-256(account id))          (unpadded, as in RFC 8555 §8.1)

which the claimant publishes in one of two places:

- ``dns``: a TXT record at ``_shieldwall-challenge.<domain>`` (like dns-01, RFC 8555 §8.4);
- ``http``: the body of ``http://<domain>/.well-known/shieldwall-challenge/<token>`` (§8.3).

Because the account is in the published value, a challenge published for one account cannot be
presented by another. IP ranges are proven by an admin's attestation.

``verify`` checks the challenge and writes the evidence to the ledger; ``in_scope`` finds the
verified claim that covers a target and checks it again, live, before a capability may touch
the target (a positive check is cached for ``recheck_ttl``, five minutes by default). A record
that has gone away between claim and use is refused, and the refusal is recorded.

Network access goes through ports, so that tests use real local servers instead of mocks::

    DnsTxtLookup, AddressResolver   DnsPythonLookup: fixed nameservers, no cache, timeouts set
    ChallengeFetcher                HttpxFetcher: no proxies, no redirect to another host,
                                    4 KiB, SSRF guard on every resolved address

Errors::

    InputError          a malformed domain, CIDR or key authorization; a method the kind cannot use
    └── NotFoundError   no such claim (gateway.no_claim)
    DeniedError         another account presents the claim (gateway.claim_wrong_account); the
                        claim expired (gateway.claim_expired) or was revoked
                        (gateway.claim_revoked); the target is not proven (gateway.out_of_scope);
                        an attestation by someone who is not an admin (gateway.not_admin)
    VerificationError   the challenge does not prove the claim (gateway.ownership_unproven). The
                        adapters raise it too when a challenge cannot be looked up or fetched
                        (gateway.dns_unavailable, gateway.http_unavailable) or the SSRF guard
                        refuses an address (gateway.ssrf_refused).
"""

from __future__ import annotations

import base64
import builtins
import hashlib
import ipaddress
import re
import secrets
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, TypeVar, assert_never

import dns.exception
import dns.name
import dns.rdatatype
import dns.rdtypes.txtbase
import dns.resolver
import httpx
import idna
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.engine import Row

from shieldwall.core.clock import Clock, IdFactory, RandomIds, SystemClock, isoformat_z
from shieldwall.core.errors import (
    DeniedError,
    InputError,
    NotFoundError,
    VerificationError,
)
from shieldwall.store.schema import asset_claim

if TYPE_CHECKING:
    from shieldwall.gateway.door import Recorder

IPAddress: TypeAlias = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork: TypeAlias = ipaddress.IPv4Network | ipaddress.IPv6Network
Target: TypeAlias = str | IPAddress

CHALLENGE_LABEL = "_shieldwall-challenge"
WELL_KNOWN_PREFIX = "/.well-known/shieldwall-challenge/"
DEFAULT_RECHECK_TTL = timedelta(minutes=5)
DEFAULT_PENDING_TTL = timedelta(days=7)

# The widest ranges an attestation may cover; anything wider is almost surely a typo.
_MIN_PREFIX = {4: 8, 6: 32}
_MAX_INPUT = 1024
_MAX_OBSERVED_VALUES = 16
_MAX_OBSERVED_CHARS = 255
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", re.ASCII)
_NUMERIC_LABEL = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)", re.ASCII)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,128}", re.ASCII)
_THUMBPRINT = re.compile(r"[A-Za-z0-9_-]{43}", re.ASCII)


class AssetKind(StrEnum):
    DOMAIN = "domain"
    IP_RANGE = "ip_range"


class ProofMethod(StrEnum):
    DNS = "dns"
    HTTP = "http"
    ATTESTATION = "attestation"


class ClaimStatus(StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    FAILED = "failed"
    REVOKED = "revoked"


# -- untrusted text: domains, ranges, targets, key authorizations -------------------------------


def normalize_domain(value: str) -> str:
    """The canonical form of a domain to claim: IDNA A-labels, lower case, no trailing dot.

    Refuses wildcards, IP literals, single labels and anything that is not a host name, with an
    ``InputError`` (code ``gateway.bad_domain``).
    """

    def bad(why: str) -> InputError:
        shown = value if len(value) <= 80 else value[:77] + "..."
        return InputError(
            f"{shown!r} is not a domain that can be claimed: {why}",
            code="gateway.bad_domain",
            hint="Give a host name such as example.com or shop.example.com: no scheme, port, "
            "path, wildcard or IP address.",
        )

    if not isinstance(value, str):
        raise bad("it is not text")
    text = value.strip()
    if not text:
        raise bad("it is empty")
    if len(text) > _MAX_INPUT:
        raise bad("it is too long")
    if "*" in text:
        raise bad("wildcards cannot be claimed; claim the parent domain, which covers subdomains")
    if _ip_literal(text) is not None:
        raise bad("it is an IP address; IP ranges are attested by an admin")
    try:
        encoded = idna.encode(text, uts46=True, std3_rules=True, transitional=False)
    except (UnicodeError, ValueError) as exc:
        raise bad(str(exc) or type(exc).__name__) from exc
    name = encoded.decode("ascii").lower().removesuffix(".")
    if not name or len(name) > 253:
        raise bad("a domain has 1 to 253 characters")
    labels = name.split(".")
    if len(labels) < 2:
        raise bad("a domain has at least two labels")
    if not all(_LABEL.fullmatch(label) for label in labels):
        raise bad("each label is letters, digits and inner hyphens, 1 to 63 of them")
    if _NUMERIC_LABEL.fullmatch(labels[-1]) or _ip_literal(name) is not None:
        raise bad("it reads as an IP address; IP ranges are attested by an admin")
    return name


def normalize_cidr(value: str) -> str:
    """The canonical form of an IP range (``10.0.0.0/8``, ``2001:db8::/32``; one address is a
    /32 or /128). Host bits must be zero. ``InputError`` (code ``gateway.bad_range``) otherwise.
    """

    def bad(why: str) -> InputError:
        shown = value if len(value) <= 80 else value[:77] + "..."
        return InputError(
            f"{shown!r} is not an IP range: {why}",
            code="gateway.bad_range",
            hint="Give a CIDR block such as 192.0.2.0/24 or 2001:db8::/48.",
        )

    if not isinstance(value, str):
        raise bad("it is not text")
    text = value.strip()
    if not text or len(text) > 100:
        raise bad("a range has 1 to 100 characters")
    if "%" in text:
        raise bad("scoped addresses are not ranges")
    try:
        network = ipaddress.ip_network(text, strict=True)
    except ValueError as exc:
        raise bad(str(exc)) from exc
    if network.prefixlen < _MIN_PREFIX[network.version]:
        raise bad(f"it is wider than /{_MIN_PREFIX[network.version]}, which is refused")
    return str(network)


def normalize_target(value: str) -> Target:
    """What a capability wants to touch: an IP address, or a host name (normalized)."""
    if isinstance(value, str):
        address = _ip_literal(value.strip())
        if address is not None:
            return address
    return normalize_domain(value)


@dataclass(frozen=True, slots=True, kw_only=True)
class KeyAuthorization:
    """``token "." thumbprint``: what a challenge publishes."""

    token: str
    thumbprint: str

    def __str__(self) -> str:
        return f"{self.token}.{self.thumbprint}"


def account_thumbprint(account_id: str) -> str:
    """base64url (unpadded) of the SHA-256 of the account id: binds a token to one account."""
    digest = hashlib.sha256(account_id.encode("utf-8")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def key_authorization(token: str, account_id: str) -> str:
    return f"{token}.{account_thumbprint(account_id)}"


def parse_key_authorization(text: str) -> KeyAuthorization:
    """Split a published value into token and thumbprint; ``InputError`` if it is not one."""
    bad = InputError(
        "the value is not a key authorization (token.thumbprint, base64url)",
        code="gateway.bad_key_authorization",
        hint="Publish the key authorization exactly as the claim gives it.",
    )
    if not isinstance(text, str) or len(text) > 200:
        raise bad
    token, dot, thumbprint = text.strip().partition(".")
    if not dot or not _TOKEN.fullmatch(token) or not _THUMBPRINT.fullmatch(thumbprint):
        raise bad
    return KeyAuthorization(token=token, thumbprint=thumbprint)


def _ip_literal(text: str) -> IPAddress | None:
    candidate = text[1:-1] if text.startswith("[") and text.endswith("]") else text
    if "%" in candidate:  # a scope id: never a public address
        return None
    try:
        return ipaddress.ip_address(candidate)
    except ValueError:
        return None


# -- the claim -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class AssetClaim:
    id: str
    owner_id: str
    account_id: str  # the principal the token is bound to
    kind: AssetKind
    value: str  # a normalized domain or CIDR
    method: ProofMethod
    token: str
    status: ClaimStatus
    created_at: datetime
    verified_at: datetime | None = None
    checked_at: datetime | None = None
    evidence_index: int | None = None  # the ledger entry of the newest evidence that proved it

    @property
    def key_authorization(self) -> str:
        return key_authorization(self.token, self.account_id)

    @property
    def dns_name(self) -> str:
        return f"{CHALLENGE_LABEL}.{self.value}"

    @property
    def http_url(self) -> str:
        return f"http://{self.value}{WELL_KNOWN_PREFIX}{self.token}"

    def covers(self, target: Target) -> bool:
        """Whether ``target`` (normalized) is this asset or inside it."""
        if isinstance(target, str):
            return self.kind is AssetKind.DOMAIN and (
                target == self.value or target.endswith("." + self.value)
            )
        if self.kind is not AssetKind.IP_RANGE:
            return False
        network = ipaddress.ip_network(self.value)
        return network.version == target.version and target in network


# -- ports and their adapters -------------------------------------------------------------------


class DnsTxtLookup(Protocol):
    def txt(self, name: str) -> tuple[str, ...]:
        """The TXT values at ``name`` (each record's strings joined); ``()`` when none exist.

        Raises ``VerificationError`` when the name cannot be looked up (timeout, SERVFAIL).
        """
        ...


class AddressResolver(Protocol):
    def addresses(self, host: str) -> tuple[str, ...]:
        """The A and AAAA addresses of ``host``; ``()`` when it has none."""
        ...


class ChallengeFetcher(Protocol):
    def fetch(self, domain: str, token: str) -> bytes:
        """The body of ``http://<domain>/.well-known/shieldwall-challenge/<token>``.

        Raises ``VerificationError`` when it cannot be fetched, or may not be (SSRF guard).
        """
        ...


class AdminDirectory(Protocol):
    def is_admin(self, principal_id: str, owner_id: str) -> bool:
        """Whether ``principal_id`` may attest assets for ``owner_id``."""
        ...


class DnsPythonLookup:
    """TXT and address lookups with dnspython against fixed nameservers.

    ``Resolver(configure=False)``: no system configuration, no search list, no cache, so each
    check asks afresh. ``port`` exists for tests that run a DNS server on 127.0.0.1.
    """

    def __init__(self, nameservers: Sequence[str], *, port: int = 53, timeout: float = 3.0) -> None:
        if not nameservers:
            raise InputError("at least one nameserver is needed", code="gateway.bad_nameserver")
        for server in nameservers:
            if _ip_literal(server) is None:
                raise InputError(
                    f"nameserver {server!r} is not an IP address",
                    code="gateway.bad_nameserver",
                    hint="Name nameservers by address, e.g. 1.1.1.1 or 2606:4700:4700::1111.",
                )
        if not 0 < port < 65536 or not 0 < timeout <= 60:
            raise InputError("the DNS port or timeout is out of range", code="gateway.bad_dns")
        self._nameservers = tuple(nameservers)
        self._port = port
        self._timeout = timeout

    def _resolver(self) -> dns.resolver.Resolver:
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = list(self._nameservers)
        resolver.port = self._port
        resolver.timeout = self._timeout
        resolver.lifetime = self._timeout
        return resolver

    def _query(self, name: str, rdtype: dns.rdatatype.RdataType) -> dns.resolver.Answer | None:
        try:
            return self._resolver().resolve(
                dns.name.from_text(name), rdtype, search=False, raise_on_no_answer=False
            )
        except dns.resolver.NXDOMAIN:
            return None
        except dns.exception.DNSException as exc:
            raise VerificationError(
                f"the DNS lookup of {name} ({rdtype.name}) failed: {type(exc).__name__}",
                code="gateway.dns_unavailable",
                hint="Check that the domain's nameservers answer, then verify again.",
            ) from exc

    def txt(self, name: str) -> tuple[str, ...]:
        answer = self._query(name, dns.rdatatype.TXT)
        if answer is None:
            return ()
        return tuple(
            b"".join(rdata.strings).decode("utf-8", errors="replace")
            for rdata in answer
            if isinstance(rdata, dns.rdtypes.txtbase.TXTBase)
        )

    def addresses(self, host: str) -> tuple[str, ...]:
        found: builtins.list[str] = []
        for rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA):
            answer = self._query(host, rdtype)
            if answer is not None:
                found.extend(str(rdata.address) for rdata in answer if rdata.rdtype == rdtype)
        return tuple(found)


def _refused_address(address: IPAddress) -> str | None:
    """Why the SSRF guard refuses ``address``, or None for a public unicast address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    checks = (
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("unspecified", address.is_unspecified),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
        ("non-global", not address.is_global),
    )
    return next((name for name, hit in checks if hit), None)


class HttpxFetcher:
    """Fetches HTTP challenges with httpx, defensively.

    Every address the host resolves to must be public unicast (no private, loopback,
    link-local, multicast or reserved address), unless it falls in ``allow_private``; the
    request then goes to that checked address, so a second DNS answer cannot swap it. Redirects
    are followed only on the same host and scheme; bodies over ``max_bytes`` are refused; the
    whole fetch has a deadline of ``timeout`` seconds. No proxy from the environment is used.

    ``port`` is for tests only (a server on 127.0.0.1); production must use 80, as RFC 8555
    §8.3 does.
    """

    def __init__(
        self,
        *,
        resolver: AddressResolver,
        timeout: float = 5.0,
        max_bytes: int = 4096,
        allow_private: Iterable[str] = (),
        port: int = 80,
        max_redirects: int = 3,
    ) -> None:
        if not 0 < timeout <= 60 or not 0 < max_bytes <= 1 << 20 or not 0 < port < 65536:
            raise InputError(
                "the HTTP timeout, size or port is out of range", code="gateway.bad_http"
            )
        self._resolver = resolver
        self._timeout = timeout
        self._max_bytes = max_bytes
        try:
            self._allow = tuple(ipaddress.ip_network(net, strict=False) for net in allow_private)
        except ValueError as exc:
            raise InputError(
                f"allow_private holds something that is not a network: {exc}",
                code="gateway.bad_http",
            ) from exc
        self._port = port
        self._max_redirects = max_redirects

    def fetch(self, domain: str, token: str) -> bytes:
        address = self._checked_address(domain)
        netloc = domain if self._port == 80 else f"{domain}:{self._port}"
        url = httpx.URL(f"http://{netloc}{WELL_KNOWN_PREFIX}{token}")
        deadline = time.monotonic() + self._timeout
        try:
            with httpx.Client(
                timeout=httpx.Timeout(self._timeout), follow_redirects=False, trust_env=False
            ) as client:
                for _ in range(self._max_redirects + 1):
                    headers = {"Host": netloc, "Accept-Encoding": "identity"}
                    with client.stream(
                        "GET", url.copy_with(host=str(address)), headers=headers
                    ) as response:
                        if response.is_redirect:
                            url = self._same_host_redirect(url, domain, response)
                            continue
                        if response.status_code != 200:
                            raise _http_error(f"{url} answered HTTP {response.status_code}")
                        return self._read(url, response, deadline)
        except httpx.HTTPError as exc:
            raise _http_error(f"cannot fetch {url}: {type(exc).__name__}") from exc
        except (httpx.InvalidURL, ValueError) as exc:
            raise _http_error(f"cannot fetch {url}: {exc}") from exc
        raise _http_error(f"{url} redirects more than {self._max_redirects} times")

    def _checked_address(self, host: str) -> IPAddress:
        literal = _ip_literal(host)
        if literal is not None:
            candidates: builtins.list[IPAddress] = [literal]
        else:
            try:
                candidates = [ipaddress.ip_address(a) for a in self._resolver.addresses(host)]
            except ValueError as exc:
                raise _http_error(f"{host} resolves to something that is not an address") from exc
        if not candidates:
            raise _http_error(f"{host} has no A or AAAA record")
        for address in candidates:
            allowed = any(address.version == net.version and address in net for net in self._allow)
            why = None if allowed else _refused_address(address)
            if why is not None:
                raise VerificationError(
                    f"{host} resolves to {address}, a {why} address: refused before connecting "
                    "(SSRF guard)",
                    code="gateway.ssrf_refused",
                    hint="HTTP challenges are fetched only from public addresses. Use the DNS "
                    "challenge for hosts on private networks.",
                    details={"host": host, "address": str(address)},
                )
        return candidates[0]

    def _same_host_redirect(
        self, url: httpx.URL, domain: str, response: httpx.Response
    ) -> httpx.URL:
        location = response.headers.get("location", "")
        target = url.join(location)
        host = target.raw_host.decode("ascii", errors="replace").lower()
        if target.scheme != "http" or host != domain or (target.port or 80) != self._port:
            raise _http_error(
                f"{url} redirects to {target.scheme}://{host}: a redirect to another host or "
                "scheme is refused"
            )
        return target

    def _read(self, url: httpx.URL, response: httpx.Response, deadline: float) -> bytes:
        too_big = _http_error(f"{url} answered more than {self._max_bytes} bytes")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self._max_bytes:
            raise too_big
        body = bytearray()
        for chunk in response.iter_raw():
            body += chunk
            if len(body) > self._max_bytes:
                raise too_big
            if time.monotonic() > deadline:
                raise _http_error(f"{url} took longer than {self._timeout} s")
        return bytes(body)


def _http_error(message: str) -> VerificationError:
    return VerificationError(
        message,
        code="gateway.http_unavailable",
        hint="Serve the key authorization with status 200 over plain HTTP on port 80, without "
        "redirecting to another host.",
    )


# -- the service ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class _Check:
    ok: bool
    observed: Any
    reason: str | None = None  # a machine-readable reason code when not ok
    message: str = ""


_E = TypeVar("_E", bound=StrEnum)


def _enum(kind: type[_E], value: _E | str, what: str) -> _E:
    try:
        return kind(value)
    except ValueError as exc:
        allowed = ", ".join(member.value for member in kind)
        raise InputError(
            f"{what} must be one of {allowed}, not {value!r}", code=f"gateway.bad_{what}"
        ) from exc


def _id(value: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 64:
        raise InputError(f"{what} must be 1 to 64 characters", code=f"gateway.bad_{what}")
    return value


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; every one Shieldwall stores is UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _utc_or_none(moment: datetime | None) -> datetime | None:
    return None if moment is None else _utc(moment)


def _row_claim(row: Row[Any]) -> AssetClaim:
    return AssetClaim(
        id=row.id,
        owner_id=row.owner_id,
        account_id=row.account_id,
        kind=AssetKind(row.kind),
        value=row.value,
        method=ProofMethod(row.method),
        token=row.token,
        status=ClaimStatus(row.status),
        created_at=_utc(row.created_at),
        verified_at=_utc_or_none(row.verified_at),
        checked_at=_utc_or_none(row.checked_at),
        evidence_index=row.evidence_index,
    )


def _how_to_prove(claim: AssetClaim) -> str:
    match claim.method:
        case ProofMethod.DNS:
            return (
                f"Publish a TXT record at {claim.dns_name} with the value "
                f"{claim.key_authorization}, then verify claim {claim.id} again."
            )
        case ProofMethod.HTTP:
            return (
                f"Serve {claim.key_authorization} as the body of {claim.http_url} (HTTP 200, "
                f"port 80), then verify claim {claim.id} again."
            )
        case ProofMethod.ATTESTATION:
            return "An admin of the owner attests the range again."
        case unreachable:
            assert_never(unreachable)


class AssetClaims:
    """Claims of asset ownership, their challenges, and the scope check before use."""

    def __init__(
        self,
        engine: Engine,
        recorder: Recorder,
        *,
        txt_lookup: DnsTxtLookup,
        fetcher: ChallengeFetcher,
        admins: AdminDirectory | None = None,
        clock: Clock | None = None,
        ids: IdFactory | None = None,
        recheck_ttl: timedelta = DEFAULT_RECHECK_TTL,
        pending_ttl: timedelta = DEFAULT_PENDING_TTL,
    ) -> None:
        self._engine = engine
        self._recorder = recorder
        self._txt = txt_lookup
        self._fetcher = fetcher
        self._admins = admins
        self._clock = clock or SystemClock()
        self._ids = ids or RandomIds()
        self._recheck_ttl = recheck_ttl
        self._pending_ttl = pending_ttl
        self._fresh: dict[str, datetime] = {}  # claim id -> until when a passed check holds
        self._lock = threading.Lock()

    # -- claiming and verifying ------------------------------------------------------------------

    def claim(
        self,
        *,
        owner_id: str,
        account_id: str,
        kind: AssetKind | str,
        value: str,
        method: ProofMethod | str,
    ) -> AssetClaim:
        """A pending claim with a fresh token bound to ``account_id``; publish its
        ``key_authorization`` at ``dns_name`` or ``http_url``, then ``verify`` it."""
        owner_id = _id(owner_id, "owner")
        account_id = _id(account_id, "account")
        kind = _enum(AssetKind, kind, "kind")
        method = _enum(ProofMethod, method, "method")
        if kind is AssetKind.IP_RANGE:
            raise InputError(
                "an IP range is proven by an admin's attestation, not by a challenge",
                code="gateway.bad_method",
                hint="Ask an admin of the organisation to attest the range.",
            )
        if method is ProofMethod.ATTESTATION:
            raise InputError(
                "a domain is proven by a DNS or an HTTP challenge, not by attestation",
                code="gateway.bad_method",
                hint="Use method dns (a TXT record) or http (a file under /.well-known/).",
            )
        claim = AssetClaim(
            id=self._ids.new_id("claim"),
            owner_id=owner_id,
            account_id=account_id,
            kind=kind,
            value=normalize_domain(value),
            method=method,
            token=secrets.token_urlsafe(32),
            status=ClaimStatus.PENDING,
            created_at=self._clock.now(),
        )
        self._insert(claim)
        return claim

    def verify(self, claim_id: str, account_id: str) -> AssetClaim:
        """Check the claim's challenge now. Returns the verified claim, or raises (and records
        why): ``DeniedError`` for another account, an expired or revoked claim;
        ``VerificationError`` when the challenge is not there."""
        claim = self.get(claim_id)
        now = self._clock.now()
        if claim.account_id != account_id:
            index = self._record(
                claim,
                _Check(ok=False, observed=None, reason="account_mismatch"),
                stage="verify",
                account=account_id,
            )
            raise DeniedError(
                f"claim {claim.id} was made by another account: its challenge is bound to that "
                f"account and cannot be presented by {account_id}",
                code="gateway.claim_wrong_account",
                hint=f"Make your own claim on {claim.value}; it gets a token bound to you.",
                details={"claim": claim.id, "ledger_index": index},
            )
        if claim.status is ClaimStatus.REVOKED:
            raise DeniedError(
                f"claim {claim.id} was revoked",
                code="gateway.claim_revoked",
                hint=f"Make a new claim on {claim.value}.",
            )
        if claim.method is ProofMethod.ATTESTATION:
            return claim
        if claim.verified_at is None and now >= claim.created_at + self._pending_ttl:
            index = self._record(
                claim,
                _Check(ok=False, observed=None, reason="expired"),
                stage="verify",
                account=account_id,
            )
            self._update(claim.id, status=ClaimStatus.FAILED, checked_at=now)
            raise DeniedError(
                f"the challenge of claim {claim.id} expired on "
                f"{isoformat_z(claim.created_at + self._pending_ttl)}",
                code="gateway.claim_expired",
                hint=f"Make a new claim on {claim.value}; a challenge lives "
                f"{self._pending_ttl.days} days.",
                details={"claim": claim.id, "ledger_index": index},
            )
        check = self._check(claim)
        index = self._record(claim, check, stage="verify", account=account_id)
        if not check.ok:
            self._update(claim.id, status=ClaimStatus.FAILED, checked_at=now)
            self._forget(claim.id)
            raise VerificationError(
                check.message,
                code="gateway.ownership_unproven",
                hint=_how_to_prove(claim),
                details={"claim": claim.id, "reason": check.reason, "ledger_index": index},
            )
        proven = replace(
            claim,
            status=ClaimStatus.VERIFIED,
            verified_at=now,
            checked_at=now,
            evidence_index=index,
        )
        self._update(
            claim.id,
            status=proven.status,
            verified_at=now,
            checked_at=now,
            evidence_index=index,
        )
        self._remember(claim.id, now)
        return proven

    def attest(
        self,
        *,
        owner_id: str,
        value: str,
        attested_by: str,
        kind: AssetKind | str = AssetKind.IP_RANGE,
    ) -> AssetClaim:
        """An admin's attestation that ``owner_id`` holds the IP range ``value``: a verified
        claim at once, with the attestation as its evidence."""
        owner_id = _id(owner_id, "owner")
        attested_by = _id(attested_by, "account")
        if _enum(AssetKind, kind, "kind") is not AssetKind.IP_RANGE:
            raise InputError(
                "domains are proven by a DNS or HTTP challenge; attestation is for IP ranges",
                code="gateway.bad_method",
                hint="Claim the domain with method dns or http.",
            )
        network = normalize_cidr(value)
        if self._admins is None or not self._admins.is_admin(attested_by, owner_id):
            index = self._recorder.append(
                {
                    "kind": "asset_evidence",
                    "v": 1,
                    "ts": isoformat_z(self._clock.now()),
                    "claim": None,
                    "owner": owner_id,
                    "asset": network,
                    "asset_kind": AssetKind.IP_RANGE.value,
                    "method": ProofMethod.ATTESTATION.value,
                    "stage": "attest",
                    "account": attested_by,
                    "observed": None,
                    "result": "failed",
                    "reason": "not_admin",
                }
            )
            raise DeniedError(
                f"{attested_by} is not an admin of {owner_id} and cannot attest its IP ranges",
                code="gateway.not_admin",
                hint="Ask an admin of the organisation to attest the range.",
                details={"ledger_index": index},
            )
        now = self._clock.now()
        claim = AssetClaim(
            id=self._ids.new_id("claim"),
            owner_id=owner_id,
            account_id=attested_by,
            kind=AssetKind.IP_RANGE,
            value=network,
            method=ProofMethod.ATTESTATION,
            token=secrets.token_urlsafe(32),
            status=ClaimStatus.VERIFIED,
            created_at=now,
            verified_at=now,
            checked_at=now,
        )
        index = self._record(
            claim,
            _Check(ok=True, observed={"attested_by": attested_by}),
            stage="attest",
            account=attested_by,
        )
        claim = replace(claim, evidence_index=index)
        self._insert(claim)
        return claim

    def revoke(self, claim_id: str, *, by: str | None = None) -> AssetClaim:
        """Withdraw a claim at once: it no longer puts anything in scope."""
        claim = self.get(claim_id)
        if claim.status is ClaimStatus.REVOKED:
            raise NotFoundError(
                f"claim {claim_id} is already revoked",
                code="gateway.no_claim",
                hint="List the owner's claims to see the live ones.",
            )
        self._recorder.append(
            {
                "kind": "asset_revocation",
                "v": 1,
                "ts": isoformat_z(self._clock.now()),
                "claim": claim.id,
                "owner": claim.owner_id,
                "asset": claim.value,
                "by": by,
            }
        )
        self._update(claim.id, status=ClaimStatus.REVOKED)
        self._forget(claim.id)
        return replace(claim, status=ClaimStatus.REVOKED)

    # -- scope -----------------------------------------------------------------------------------

    def in_scope(self, owner_ids: Iterable[str], target: str, account_id: str) -> AssetClaim:
        """The verified claim of one of ``owner_ids`` that covers ``target`` (the claimed
        domain or a subdomain of it, or an address in an attested range), re-checked live
        unless a check passed within ``recheck_ttl``. A failed re-check is recorded.

        Raises ``DeniedError`` (code ``gateway.out_of_scope``) naming the asset that is not
        proven and how to prove it. ``account_id`` is who asks; it goes into the evidence. A
        claim whose re-check fails stays verified but unusable: it serves again as soon as the
        record is back, and every use until then is refused (fail closed, never cached).
        """
        owners = tuple(sorted({o for o in owner_ids if isinstance(o, str) and o}))
        normalized = normalize_target(target)
        candidates = self._covering(owners, normalized) if owners else []
        if not candidates:
            raise self._out_of_scope(normalized, owners, "no verified claim covers it", ())
        now = self._clock.now()
        failed: builtins.list[tuple[AssetClaim, _Check, int]] = []
        for claim in candidates:
            if claim.method is ProofMethod.ATTESTATION or self._is_fresh(claim.id, now):
                return claim
            check = self._check(claim)
            index = self._record(
                claim, check, stage="use", account=account_id, target=str(normalized)
            )
            if check.ok:
                self._update(claim.id, checked_at=now, evidence_index=index)
                self._remember(claim.id, now)
                return replace(claim, checked_at=now, evidence_index=index)
            self._update(claim.id, checked_at=now)
            failed.append((claim, check, index))
        claim, check, _ = failed[0]
        raise self._out_of_scope(
            normalized,
            owners,
            f"the claim on {claim.value} no longer checks out: {check.message}",
            failed,
        )

    def _out_of_scope(
        self,
        target: Target,
        owners: Sequence[str],
        why: str,
        failed: Sequence[tuple[AssetClaim, _Check, int]],
    ) -> DeniedError:
        if isinstance(target, str):
            hint = (
                f"Prove {target} (or a parent domain) first: claim it, then publish the key "
                f"authorization as a TXT record at {CHALLENGE_LABEL}.<domain> or at "
                f"http://<domain>{WELL_KNOWN_PREFIX}<token>, and verify the claim."
            )
            if failed:
                hint = _how_to_prove(failed[0][0])
        else:
            hint = f"Ask an admin of your organisation to attest a range holding {target}."
        return DeniedError(
            f"{target} is not a proven asset of {', '.join(owners) or 'anyone'}: {why}",
            code="gateway.out_of_scope",
            hint=hint,
            details={
                "target": str(target),
                "claims": [claim.id for claim, _, _ in failed],
                "reasons": [check.reason for _, check, _ in failed],
                "ledger_indexes": [index for _, _, index in failed],
            },
        )

    def _covering(self, owners: Sequence[str], target: Target) -> builtins.list[AssetClaim]:
        query = select(asset_claim).where(
            asset_claim.c.owner_id.in_(owners),
            asset_claim.c.status == ClaimStatus.VERIFIED.value,
        )
        if isinstance(target, str):
            labels = target.split(".")
            suffixes = [".".join(labels[i:]) for i in range(len(labels) - 1)]
            query = query.where(
                asset_claim.c.kind == AssetKind.DOMAIN.value, asset_claim.c.value.in_(suffixes)
            )
        else:
            query = query.where(asset_claim.c.kind == AssetKind.IP_RANGE.value)
        with self._engine.connect() as conn:
            rows = conn.execute(query.order_by(asset_claim.c.created_at)).all()
        claims = [c for c in map(_row_claim, rows) if c.covers(target)]

        def specificity(claim: AssetClaim) -> int:
            if claim.kind is AssetKind.DOMAIN:
                return claim.value.count(".")
            return ipaddress.ip_network(claim.value).prefixlen

        return sorted(claims, key=specificity, reverse=True)

    # -- checks, evidence, cache -----------------------------------------------------------------

    def _check(self, claim: AssetClaim) -> _Check:
        expected = claim.key_authorization
        match claim.method:
            case ProofMethod.DNS:
                try:
                    values = self._txt.txt(claim.dns_name)
                except VerificationError as err:
                    return _Check(ok=False, observed=None, reason=err.code, message=err.message)
                observed = [v[:_MAX_OBSERVED_CHARS] for v in values[:_MAX_OBSERVED_VALUES]]
                if expected in values:
                    return _Check(ok=True, observed=observed)
                if not values:
                    return _Check(
                        ok=False,
                        observed=observed,
                        reason="record_missing",
                        message=f"there is no TXT record at {claim.dns_name}",
                    )
                return self._mismatch(claim, values, observed, f"TXT record at {claim.dns_name}")
            case ProofMethod.HTTP:
                try:
                    body = self._fetcher.fetch(claim.value, claim.token)
                except VerificationError as err:
                    return _Check(ok=False, observed=None, reason=err.code, message=err.message)
                digest = "sha256:" + hashlib.sha256(body).hexdigest()
                text = body.decode("utf-8", errors="replace").strip()
                if text == expected:
                    return _Check(ok=True, observed=digest)
                return self._mismatch(claim, (text,), digest, f"body of {claim.http_url}")
            case ProofMethod.ATTESTATION:
                return _Check(ok=True, observed={"attested_by": claim.account_id})
            case unreachable:
                assert_never(unreachable)

    @staticmethod
    def _mismatch(claim: AssetClaim, values: Sequence[str], observed: Any, where: str) -> _Check:
        for value in values:
            try:
                published = parse_key_authorization(value)
            except InputError:
                continue
            if published.token == claim.token:
                return _Check(
                    ok=False,
                    observed=observed,
                    reason="other_account",
                    message=f"the {where} carries this claim's token bound to another account; "
                    "a challenge cannot be presented for a different account",
                )
        return _Check(
            ok=False,
            observed=observed,
            reason="wrong_value",
            message=f"no {where} holds this claim's key authorization",
        )

    def _record(
        self,
        claim: AssetClaim,
        check: _Check,
        *,
        stage: str,
        account: str,
        target: str | None = None,
    ) -> int:
        entry: dict[str, Any] = {
            "kind": "asset_evidence",
            "v": 1,
            "ts": isoformat_z(self._clock.now()),
            "claim": claim.id,
            "owner": claim.owner_id,
            "asset": claim.value,
            "asset_kind": claim.kind.value,
            "method": claim.method.value,
            "stage": stage,
            "account": account,
            "observed": check.observed,
            "result": "verified" if check.ok else "failed",
            "reason": check.reason,
        }
        if target is not None:
            entry["target"] = target
        return self._recorder.append(entry)

    def _is_fresh(self, claim_id: str, now: datetime) -> bool:
        with self._lock:
            until = self._fresh.get(claim_id)
            return until is not None and now < until

    def _remember(self, claim_id: str, now: datetime) -> None:
        with self._lock:
            self._fresh[claim_id] = now + self._recheck_ttl

    def _forget(self, claim_id: str) -> None:
        with self._lock:
            self._fresh.pop(claim_id, None)

    # -- storage ---------------------------------------------------------------------------------

    def _insert(self, claim: AssetClaim) -> None:
        with self._engine.begin() as conn:
            conn.execute(
                insert(asset_claim).values(
                    id=claim.id,
                    owner_id=claim.owner_id,
                    kind=claim.kind.value,
                    value=claim.value,
                    method=claim.method.value,
                    token=claim.token,
                    account_id=claim.account_id,
                    status=claim.status.value,
                    created_at=claim.created_at,
                    verified_at=claim.verified_at,
                    checked_at=claim.checked_at,
                    evidence_index=claim.evidence_index,
                )
            )

    def _update(self, claim_id: str, **values: Any) -> None:
        plain = {k: v.value if isinstance(v, StrEnum) else v for k, v in values.items()}
        with self._engine.begin() as conn:
            conn.execute(update(asset_claim).where(asset_claim.c.id == claim_id).values(**plain))

    def get(self, claim_id: str) -> AssetClaim:
        with self._engine.connect() as conn:
            row = conn.execute(select(asset_claim).where(asset_claim.c.id == claim_id)).first()
        if row is None:
            raise NotFoundError(
                f"there is no claim {claim_id!r}",
                code="gateway.no_claim",
                hint="List the owner's claims to find its id.",
            )
        return _row_claim(row)

    def list(self, owner_id: str) -> builtins.list[AssetClaim]:
        """Every claim of ``owner_id``, oldest first, whatever its status."""
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(asset_claim)
                .where(asset_claim.c.owner_id == owner_id)
                .order_by(asset_claim.c.created_at, asset_claim.c.id)
            ).all()
        return [_row_claim(row) for row in rows]


__all__ = [
    "CHALLENGE_LABEL",
    "DEFAULT_PENDING_TTL",
    "DEFAULT_RECHECK_TTL",
    "WELL_KNOWN_PREFIX",
    "AddressResolver",
    "AdminDirectory",
    "AssetClaim",
    "AssetClaims",
    "AssetKind",
    "ChallengeFetcher",
    "ClaimStatus",
    "DnsPythonLookup",
    "DnsTxtLookup",
    "HttpxFetcher",
    "KeyAuthorization",
    "ProofMethod",
    "Target",
    "account_thumbprint",
    "key_authorization",
    "normalize_cidr",
    "normalize_domain",
    "normalize_target",
    "parse_key_authorization",
]
