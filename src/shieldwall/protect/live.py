"""Live sender checks over DNS, only when the user asks (``--live``; offline by default).

* SPF (RFC 7208, evaluated by pyspf): may the relay that handed the message to the recipient's
  mail system (:func:`~shieldwall.protect.identity.last_untrusted_hop`) send mail for the
  envelope sender's domain (``Return-Path``; the HELO name for bounces; the From address when
  the message has no ``Return-Path``, which is said in the result)?
* DMARC (RFC 7489; the record parsed and evaluated by the ``dmarc`` library): the policy the
  From domain's owner publishes (``_dmarc.<domain>``, else ``_dmarc.<organisational domain>``),
  and whether the message passes it with the SPF result above or a DKIM signature that the
  recipient's server reported as verified (DKIM signatures are not re-verified here: a saved
  message's body is often changed on the way).

Only DNS is used: TXT records, and the A/AAAA/MX/PTR lookups the sender's SPF record itself asks
for (at most 10, as RFC 7208 section 4.6.4 says). Nothing from the message is fetched: no link,
no image. The lookups do tell the sender's DNS servers that the message is being checked again
(an SPF record can spell the sender address and the relay into the names it asks for), as the
recipient's server already did when the message arrived.
"""

from __future__ import annotations

import contextlib
import contextvars
import ipaddress
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import dns.exception
import dns.name
import dns.rdatatype
import dns.resolver

from shieldwall.core.errors import InputError
from shieldwall.protect.brands import BrandRegistry
from shieldwall.protect.identity import (
    IPNetwork,
    ReceivedHop,
    SenderIdentity,
    last_untrusted_hop,
    org_domain,
)
from shieldwall.protect.verdict import Signal

MAX_TXT_CHARS = 4096
SPF_RESULTS = frozenset({"pass", "fail", "softfail", "neutral", "none", "permerror", "temperror"})

_RESOLVER: contextvars.ContextVar[dns.resolver.Resolver | None] = contextvars.ContextVar(
    "shieldwall_protect_spf_resolver", default=None
)
_INSTALL = threading.Lock()
_installed = False


@dataclass(frozen=True, slots=True, kw_only=True)
class SpfCheck:
    domain: str  # whose record was evaluated
    identity: str  # mailfrom, helo, or from (no envelope sender in the message)
    ip: str
    result: str  # one of SPF_RESULTS
    explanation: str

    def to_json(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "identity": self.identity,
            "ip": self.ip,
            "result": self.result,
            "explanation": self.explanation,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class DmarcCheck:
    domain: str  # the From domain
    record_domain: str  # where the record was found ('' when none)
    record: str
    policy: str  # none, quarantine or reject ('' when there is no record)
    pct: int
    result: str  # pass, fail, none (no record), permerror (a broken record), temperror
    aligned: tuple[str, ...] = ()  # which checks passed aligned with From: spf, dkim

    def to_json(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "record_domain": self.record_domain,
            "record": self.record,
            "policy": self.policy,
            "pct": self.pct,
            "result": self.result,
            "aligned": list(self.aligned),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class LiveReport:
    hop: ReceivedHop | None
    spf: SpfCheck | None
    dmarc: DmarcCheck | None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        return {
            "relay": None
            if self.hop is None
            else {"ip": self.hop.ip, "helo": self.hop.helo, "reverse": self.hop.reverse},
            "spf": None if self.spf is None else self.spf.to_json(),
            "dmarc": None if self.dmarc is None else self.dmarc.to_json(),
            "notes": list(self.notes),
        }


def _answers(name: str, qtype: str, timeout: float) -> list[tuple[tuple[str, str], Any]]:
    """pyspf's DNSLookup contract, answered by the resolver of the check under way."""
    import spf  # type: ignore[import-untyped]

    resolver = _RESOLVER.get()
    if resolver is None:  # only reachable if pyspf is used outside LiveChecker
        raise spf.TempError("DNS: no resolver configured for this check")
    if qtype == "SPF":  # the SPF record type was retired by RFC 7208
        return []
    try:
        rdtype = dns.rdatatype.from_text(qtype)
        answer = resolver.resolve(
            dns.name.from_text(name),
            rdtype,
            search=False,
            raise_on_no_answer=False,
            lifetime=min(float(timeout), float(resolver.lifetime)),
        )
    except dns.resolver.NXDOMAIN:
        return []
    except (dns.exception.DNSException, ValueError) as exc:
        raise spf.TempError(f"DNS {type(exc).__name__}") from exc
    out: list[tuple[tuple[str, str], Any]] = []
    if answer.rrset is None:
        return out
    for rdata in answer.rrset:
        if qtype in {"A", "AAAA"}:
            out.append(((name, qtype), rdata.address))
        elif qtype == "MX":
            out.append(((name, qtype), (rdata.preference, rdata.exchange)))
        elif qtype == "PTR":
            out.append(((name, qtype), rdata.target.to_text(True)))
        elif qtype == "TXT":
            out.append(((name, qtype), list(rdata.strings)))
    return out


def _install() -> None:
    """Point pyspf's DNS at :func:`_answers` (once; each check sets its resolver in a context
    variable, so concurrent checks with different resolvers do not mix)."""
    global _installed
    with _INSTALL:
        if _installed:
            return
        import spf

        def lookup(
            name: str, qtype: str, strict: bool = True, timeout: float = 20
        ) -> list[tuple[tuple[str, str], Any]]:
            return _answers(name, qtype, timeout)

        spf.DNSLookup = lookup
        _installed = True


class _Psl:
    """The organisational-domain lookup the dmarc library asks for (``get_public_suffix`` is its
    name for it), answered from tldextract's bundled Public Suffix List."""

    @staticmethod
    def get_public_suffix(domain: str) -> str:
        return org_domain(domain) or domain


class LiveChecker:
    """SPF and DMARC checks over DNS against ``nameservers`` (``None``: the system's resolver,
    read when a check runs). ``trusted`` networks are the recipient's own relays, skipped when
    finding the relay that handed the message over."""

    def __init__(
        self,
        *,
        nameservers: Sequence[str] | None = None,
        port: int = 53,
        timeout_s: float = 5.0,
        trusted: Sequence[str] = (),
    ) -> None:
        if not 0 < port < 65536 or not 0 < timeout_s <= 60:
            raise InputError("the DNS port or timeout is out of range", code="protect.live.dns")
        for server in nameservers or ():
            try:
                ipaddress.ip_address(server)
            except ValueError:
                raise InputError(
                    f"nameserver {server!r} is not an IP address",
                    code="protect.live.nameserver",
                    hint="Name nameservers by address, e.g. 192.0.2.53.",
                ) from None
        try:
            self._trusted: tuple[IPNetwork, ...] = tuple(
                ipaddress.ip_network(t, strict=False) for t in trusted
            )
        except ValueError as exc:
            raise InputError(
                f"a trusted network is not a network: {exc}", code="protect.live.trusted"
            ) from exc
        self._nameservers = tuple(nameservers) if nameservers else None
        self._port = port
        self._timeout = timeout_s

    def _resolver(self) -> dns.resolver.Resolver:
        if self._nameservers is None:
            resolver = dns.resolver.Resolver()
        else:
            resolver = dns.resolver.Resolver(configure=False)
            resolver.nameservers = list(self._nameservers)
            resolver.port = self._port
        resolver.timeout = self._timeout
        resolver.lifetime = self._timeout
        resolver.cache = None
        return resolver

    def check(self, ident: SenderIdentity) -> LiveReport:
        """SPF of the envelope domain against the handing-over relay, and the From domain's
        DMARC policy evaluated with that SPF result and the reported DKIM passes."""
        try:
            resolver = self._resolver()
        except dns.exception.DNSException as exc:
            return LiveReport(
                hop=None,
                spf=None,
                dmarc=None,
                notes=(f"No DNS resolver is available here ({type(exc).__name__}).",),
            )
        notes: list[str] = []
        hop = last_untrusted_hop(ident.hops, trusted=self._trusted)
        token = _RESOLVER.set(resolver)
        try:
            spf_check = self._spf(ident, hop, notes)
            dmarc_check = self._dmarc(ident, spf_check, resolver, notes)
        finally:
            _RESOLVER.reset(token)
        return LiveReport(hop=hop, spf=spf_check, dmarc=dmarc_check, notes=tuple(notes))

    def _spf(
        self, ident: SenderIdentity, hop: ReceivedHop | None, notes: list[str]
    ) -> SpfCheck | None:
        if hop is None:
            notes.append(
                "SPF was not checked: the Received headers name no relay outside the "
                "recipient's own mail system."
            )
            return None
        if ident.envelope_domain:
            domain, identity, sender = ident.envelope_domain, "mailfrom", ident.envelope
        elif ident.from_domain:
            domain, identity, sender = ident.from_domain, "from", f"postmaster@{ident.from_domain}"
        elif hop.helo and "." in hop.helo:
            domain, identity, sender = hop.helo, "helo", ""
        else:
            notes.append("SPF was not checked: the message names no sender domain.")
            return None
        _install()
        import spf

        try:
            query = spf.query(
                i=hop.ip,
                s=sender,
                h=hop.helo or domain,
                timeout=self._timeout,
                querytime=min(20.0, self._timeout * 4),
            )
            result, _code, explanation = query.check()
        except Exception as exc:  # pyspf raises its own and some plain errors
            result, explanation = "temperror", f"{type(exc).__name__}"
        result = str(result).lower()
        if result not in SPF_RESULTS:
            result = "permerror" if result in {"unknown", "error"} else "temperror"
        return SpfCheck(
            domain=domain,
            identity=identity,
            ip=hop.ip,
            result=result,
            explanation=str(explanation)[:300],
        )

    def _txt(self, resolver: dns.resolver.Resolver, name: str) -> list[str] | None:
        """TXT strings at ``name``; [] when it does not exist; None when DNS failed."""
        try:
            answer = resolver.resolve(
                dns.name.from_text(name), dns.rdatatype.TXT, search=False, raise_on_no_answer=False
            )
        except dns.resolver.NXDOMAIN:
            return []
        except (dns.exception.DNSException, ValueError):
            return None
        if answer.rrset is None:
            return []
        return [
            b"".join(r.strings).decode("utf-8", errors="replace")[:MAX_TXT_CHARS]
            for r in answer.rrset
        ]

    def _dmarc(
        self,
        ident: SenderIdentity,
        spf_check: SpfCheck | None,
        resolver: dns.resolver.Resolver,
        notes: list[str],
    ) -> DmarcCheck | None:
        domain = ident.from_domain
        if not domain:
            return None
        org = ident.from_org or domain
        record_domain, records = domain, self._txt(resolver, f"_dmarc.{domain}")
        dmarc_records = [r for r in records or [] if r.strip().lower().startswith("v=dmarc1")]
        if records is not None and not dmarc_records and org != domain:
            record_domain, records = org, self._txt(resolver, f"_dmarc.{org}")
            dmarc_records = [r for r in records or [] if r.strip().lower().startswith("v=dmarc1")]
        if records is None:
            return DmarcCheck(
                domain=domain, record_domain="", record="", policy="", pct=0, result="temperror"
            )
        if len(dmarc_records) != 1:
            if len(dmarc_records) > 1:
                notes.append(f"{record_domain} publishes more than one DMARC record: none applies.")
            return DmarcCheck(
                domain=domain, record_domain="", record="", policy="", pct=0, result="none"
            )
        record = dmarc_records[0]
        return _evaluate_dmarc(
            record=record,
            domain=domain,
            record_domain=record_domain,
            spf_check=spf_check,
            dkim_pass=ident.dkim_pass_domains,
        )


def _evaluate_dmarc(
    *,
    record: str,
    domain: str,
    record_domain: str,
    spf_check: SpfCheck | None,
    dkim_pass: Sequence[str],
) -> DmarcCheck:
    import dmarc  # type: ignore[import-untyped]

    fallback = record_domain if record_domain != domain else None
    try:
        policy = dmarc.DMARCPolicy(
            record=record,
            domain=domain,
            org_domain=fallback,
            publicsuffix=_Psl(),
            strict=False,
        )
    except dmarc.Error:
        return DmarcCheck(
            domain=domain,
            record_domain=record_domain,
            record=record[:500],
            policy="",
            pct=0,
            result="permerror",
        )
    results: list[Any] = []
    if spf_check is not None and spf_check.identity == "mailfrom":
        results.append(dmarc.SPF(spf_check.domain, dmarc.SPFResult(spf_check.result)))
    results.extend(dmarc.DKIM(d, dmarc.DKIMResult.PASS) for d in dkim_pass)
    with contextlib.suppress(dmarc.PolicyError):  # a failing message: the result says so
        policy.verify(auth_results=results)
    aligned = tuple(
        kind
        for kind, items in (
            ("spf", [r for r in results if isinstance(r, dmarc.SPF)]),
            ("dkim", [r for r in results if isinstance(r, dmarc.DKIM)]),
        )
        if any(policy.isaligned(r) for r in items)
    )
    p = policy.policy
    disposition = p.sp if fallback and p.sp.value else p.p
    result = policy.result.result.value if policy.result is not None else "fail"
    return DmarcCheck(
        domain=domain,
        record_domain=record_domain,
        record=record[:500],
        policy=str(disposition.value or "none"),
        pct=int(p.pct),
        result=str(result),
        aligned=aligned,
    )


def live_signals(
    report: LiveReport, *, ident: SenderIdentity, reported: dict[str, str], registry: BrandRegistry
) -> list[Signal]:
    """Signals from a live check. Where the recipient's server already reported the same
    failure (``reported``: its Authentication-Results), the live result is a note, not a second
    count of the same evidence."""
    out: list[Signal] = []
    spf_check, dmarc_check = report.spf, report.dmarc
    if spf_check is not None:
        whose = {
            "mailfrom": f"the envelope sender's domain {spf_check.domain}",
            "from": f"the From domain {spf_check.domain} (the message has no envelope sender)",
            "helo": f"the relay's own name {spf_check.domain}",
        }[spf_check.identity]
        where = f"the server at {spf_check.ip}"
        counted = reported.get("spf") not in {"fail", "softfail"}
        match spf_check.result:
            case "fail" | "softfail":
                out.append(
                    Signal(
                        signal="live_spf_fail",
                        detail=f"Checked now: {whose} does not allow {where}, which handed this "
                        f"message over, to send its mail (SPF {spf_check.result}).",
                        weight=(0.4 if spf_check.result == "fail" else 0.25) if counted else 0.0,
                    )
                )
            case "pass":
                out.append(
                    Signal(
                        signal="live_spf_pass",
                        detail=f"Checked now: {whose} allows {where} to send its mail (SPF "
                        "pass). That proves the domain, not that the domain is honest.",
                        weight=0.0,
                    )
                )
            case "none":
                out.append(
                    Signal(
                        signal="live_spf_none",
                        detail=f"Checked now: {whose} publishes no SPF record, so any server "
                        "can send mail in its name.",
                        weight=0.1,
                    )
                )
            case _:
                out.append(
                    Signal(
                        signal="live_spf_error",
                        detail=f"Checked now: the SPF record of {spf_check.domain} could not be "
                        f"evaluated (SPF {spf_check.result}).",
                        weight=0.0,
                    )
                )
    if dmarc_check is not None:
        domain = dmarc_check.domain
        counted = reported.get("dmarc") != "fail"
        if dmarc_check.result == "fail":
            strict = dmarc_check.policy in {"reject", "quarantine"}
            action = {"reject": "reject", "quarantine": "treat as spam"}.get(
                dmarc_check.policy, "only report"
            )
            out.append(
                Signal(
                    signal="live_dmarc_fail",
                    detail=f"Checked now: the owner of {domain} asks mail servers to {action} "
                    f"messages that fail its checks (DMARC p={dmarc_check.policy}), and this "
                    "one fails them: neither its SPF nor a verified DKIM signature matches "
                    f"{domain}. The sender is probably forged.",
                    weight=(0.6 if strict else 0.25) if counted else 0.0,
                )
            )
        elif dmarc_check.result == "pass":
            owners = registry.owners(domain)
            out.append(
                Signal(
                    signal="live_dmarc_pass",
                    detail=f"Checked now: the message passes the checks the owner of {domain} "
                    f"publishes (DMARC, by {' and '.join(dmarc_check.aligned).upper()})"
                    + (f"; {domain} is an official domain of {owners[0]}." if owners else ".")
                    + " That proves who sent it, not that they are honest.",
                    weight=0.0,
                )
            )
        elif dmarc_check.result == "none":
            brands = registry.owners(domain)
            out.append(
                Signal(
                    signal="live_dmarc_none",
                    detail=f"Checked now: {domain} publishes no DMARC policy, so mail servers "
                    "are not told to refuse forged mail in its name"
                    + (f" - unusual for {brands[0]}." if brands else "."),
                    weight=0.15 if brands else 0.05,
                )
            )
        elif dmarc_check.result in {"temperror", "permerror"}:
            out.append(
                Signal(
                    signal="live_dmarc_error",
                    detail=f"Checked now: the DMARC policy of {domain} could not be read "
                    f"({dmarc_check.result}).",
                    weight=0.0,
                )
            )
    if not ident.hops and spf_check is None:
        out.append(
            Signal(
                signal="live_no_relay",
                detail="The message has no Received headers, so its sending server cannot be "
                "checked (was it saved with all its headers?).",
                weight=0.0,
            )
        )
    return out
