"""Who sent an e-mail, according to its own headers.

* :class:`SenderIdentity`: the organisational domains the message names (``From``, the envelope
  sender in ``Return-Path``, ``Sender``, each ``DKIM-Signature``'s ``d=``, the
  ``List-Unsubscribe`` targets, ``List-Id``), the marks of bulk and transactional mail
  (``List-Unsubscribe`` and RFC 8058 one-click unsubscribe, ``List-Id``, ``Precedence: bulk``,
  a known e-mail service provider), and which of them agree with ``From``.
* :class:`ReceivedHop` and :func:`last_untrusted_hop`: the relay that handed the message to the
  recipient's own mail system, read from the ``Received`` headers top down, the way
  SpamAssassin's trusted-networks walk does; its address is what SPF is evaluated against.

Nothing here is proof: every header below the receiving server's own can be forged. The facts
explain warning signs that legitimate bulk mail always shows (click-tracking links on the
sender's own domain, an unsubscribe link that carries your address) and tell the live checks of
:mod:`shieldwall.protect.live` which domain to ask about which address. They never vouch for a
message on their own: phishers send from consistent domains of their own, through the same
bulk-mail services, with the same unsubscribe headers.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email.message import Message
from email.utils import parseaddr

from shieldwall.protect.brands import DomainError, data_table, normalize_domain
from shieldwall.protect.url import UrlError, parse_url

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

MAX_RECEIVED = 30
MAX_DKIM = 10
MAX_UNSUBSCRIBE = 5

_ANGLE = re.compile(r"<([^<>]{1,2000})>")
_DKIM_D = re.compile(r"(?:^|;)\s*d\s*=\s*([^;\s]+)", re.IGNORECASE)
_AR_DKIM_PASS = re.compile(
    r"\bdkim\s*=\s*pass\b[^;]*?\bheader\.(?:d|i)\s*=\s*@?([^\s;()]+)", re.IGNORECASE
)
_LIST_ID = re.compile(r"<([^<>\s]{1,255})>")
_BY = re.compile(r"\bby\s+([^\s;()]+)", re.IGNORECASE)
_FROM = re.compile(r"^\s*from\s+([^\s;()]+)", re.IGNORECASE)
_HELO = re.compile(r"\((?:[^()]*\s)?helo[=\s]+([^\s;()]+)", re.IGNORECASE)
_BRACKETED = re.compile(r"\[(?:ipv6:)?([0-9a-f.:]{2,45})\]", re.IGNORECASE)
_PAREN_IP = re.compile(r"\((?:[^()]*?[\s@])?((?:\d{1,3}\.){3}\d{1,3}|[0-9a-f:]*:[0-9a-f:.]+)[\s)]")
_REVERSE_NAME = re.compile(r"\(([a-z0-9][a-z0-9.-]*\.[a-z]{2,63})\.?\s+\[", re.IGNORECASE)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReceivedHop:
    """One ``Received`` header: the client that connected (``ip``, the ``helo`` name it gave,
    the ``reverse`` name the receiving server looked up) and the server that received (``by``)."""

    ip: str  # '' when the header records no address
    helo: str
    reverse: str
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SenderIdentity:
    """The sender's names as the headers give them; domains are lower-case ASCII."""

    from_domain: str = ""
    from_org: str = ""
    envelope: str = ""  # Return-Path: the envelope sender (SMTP MAIL FROM); '' for bounces
    envelope_domain: str = ""
    envelope_org: str = ""
    sender_org: str = ""  # the Sender: header
    dkim_domains: tuple[str, ...] = ()  # d= of each DKIM-Signature
    dkim_pass_domains: tuple[str, ...] = ()  # dkim=pass header.d= in the receiver's report
    unsubscribe: tuple[str, ...] = ()  # List-Unsubscribe targets (mailto: and web addresses)
    unsubscribe_orgs: tuple[str, ...] = ()
    one_click: bool = False  # RFC 8058 List-Unsubscribe-Post: List-Unsubscribe=One-Click
    list_id: str = ""
    precedence: str = ""  # bulk, list or junk
    esp: str = ""  # a known e-mail service provider the headers name
    hops: tuple[ReceivedHop, ...] = ()  # newest (top) first

    @property
    def bulk(self) -> bool:
        """Bulk or list mail by its own declaration (unsubscribe, list id or precedence)."""
        return bool(self.unsubscribe or self.list_id or self.precedence)

    def agreeing(self) -> tuple[str, ...]:
        """Which of the other names share the organisational domain of ``From``."""
        org = self.from_org
        if not org:
            return ()
        found = []
        if self.envelope_org == org:
            found.append("envelope")
        if self.sender_org == org:
            found.append("sender")
        if org in {_org(d) for d in self.dkim_domains}:
            found.append("dkim")
        if org in self.unsubscribe_orgs:
            found.append("unsubscribe")
        if self.list_id and _org(self.list_id) == org:
            found.append("list")
        return tuple(found)

    def dkim_aligned_pass(self) -> bool:
        """The receiving server verified a DKIM signature of the From organisation."""
        return bool(self.from_org) and self.from_org in {_org(d) for d in self.dkim_pass_domains}


def _org(domain: str) -> str:
    """The registered (organisational) domain by the Public Suffix List; '' if none."""
    host = domain.strip().strip(".").lower()
    if not host or "." not in host:
        return ""
    try:
        url = parse_url(f"http://{host}/")
    except UrlError:
        return ""
    if url.ip is not None:
        return ""
    if not url.suffix:
        # The Public Suffix List's implicit rule "*": an unlisted ending is a public suffix
        # of one label (RFC 7489's organisational domain of a.b.example is b.example).
        return ".".join(url.host.split(".")[-2:])
    return url.registered_domain


def org_domain(domain: str) -> str:
    """The organisational domain of ``domain`` ('news.example.co.uk' -> 'example.co.uk')."""
    return _org(domain)


def _domain(text: str) -> str:
    try:
        return normalize_domain(text.strip().strip("<>").strip())
    except (DomainError, ValueError):
        return ""


def address_domain(address: str) -> str:
    """The normalised domain of an e-mail address, '' when it has none."""
    _, _, host = address.rpartition("@")
    return _domain(host) if host else ""


def _values(msg: Message, name: str, limit: int) -> list[str]:
    try:
        raw = msg.get_all(name) or []
    except Exception:
        return []
    out: list[str] = []
    for value in raw[:limit]:
        try:
            text = " ".join(str(value).split())
        except Exception:  # a header the stdlib cannot render: skip it
            text = ""
        if text:
            out.append(text[:4000])
    return out


@functools.cache
def _esp_table() -> tuple[tuple[str, str, str], ...]:
    """(domain, provider, role) rows of ``data/esp.txt``."""
    return tuple((r[0].lower(), r[1], r[2]) for r in data_table("esp.txt") if len(r) >= 3)


def esp_of_domain(domain: str, *, role: str | None = None) -> str:
    """The e-mail service provider whose infrastructure ``domain`` is ('' if none known).

    ``role`` narrows to ``send`` (envelope, DKIM, relays) or ``click`` (click-tracking links).
    """
    host = domain.lower().rstrip(".")
    for esp_domain, name, esp_role in _esp_table():
        if role is not None and role not in esp_role.split(","):
            continue
        if host == esp_domain or host.endswith("." + esp_domain):
            return name
    return ""


_ESP_HEADERS: tuple[tuple[str, str], ...] = (
    ("X-SG-EID", "SendGrid"),
    ("X-SES-Outgoing", "Amazon SES"),
    ("X-Mailgun-Sid", "Mailgun"),
    ("X-MC-User", "Mailchimp"),
    ("X-Mandrill-User", "Mailchimp (Mandrill)"),
    ("X-PM-Message-Id", "Postmark"),
    ("X-Mailjet-Campaign", "Mailjet"),
    ("X-CSA-Complaints", ""),  # certified senders: not an ESP, only noted
)


def _esp(msg: Message, identity_domains: Iterable[str], hops: Sequence[ReceivedHop]) -> str:
    for header, name in _ESP_HEADERS:
        if name and _values(msg, header, 1):
            return name
    for domain in identity_domains:
        name = esp_of_domain(domain, role="send") if domain else ""
        if name:
            return name
    for hop in hops[:5]:
        for host in (hop.reverse, hop.by):
            name = esp_of_domain(host, role="send") if host else ""
            if name:
                return name
    return ""


def _unsubscribe(value: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    targets: list[str] = []
    orgs: list[str] = []
    for raw in _ANGLE.findall(value)[:MAX_UNSUBSCRIBE]:
        target = raw.strip()
        if target.lower().startswith("mailto:"):
            address = target[7:].split("?", 1)[0]
            org = _org(address_domain(address))
        else:
            try:
                url = parse_url(target)
            except UrlError:
                continue
            if url.scheme not in {"http", "https"} or not url.host:
                continue
            org = _org(url.host)
        targets.append(target[:500])
        if org and org not in orgs:
            orgs.append(org)
    return tuple(targets), tuple(orgs)


def parse_received(value: str) -> ReceivedHop:
    """One ``Received`` header value -> the hop it records (fields '' when missing).

    Understands the common forms: ``from helo (reverse [ip])`` (Postfix, Sendmail),
    ``from [ip] (helo=name)`` (Exim), ``from unknown (HELO name) (user@ip)`` (qmail),
    ``from name (ip)`` (Exchange, qmail); only the part before ``by`` names the client.
    """
    text = " ".join(value.split())[:2000]
    by_match = _BY.search(text)
    client = text[: by_match.start()] if by_match else text
    by = by_match.group(1).strip(".").lower() if by_match else ""
    if not _FROM.match(client):
        return ReceivedHop(ip="", helo="", reverse="", by=by)
    first = _FROM.match(client)
    helo = first.group(1).strip("[]").lower() if first else ""
    explicit = _HELO.search(client)
    if explicit:
        helo = explicit.group(1).strip("[]").lower()
    reverse = ""
    rev = _REVERSE_NAME.search(client)
    if rev:
        reverse = rev.group(1).lower().rstrip(".")
    ip = ""
    for candidate in [*_BRACKETED.findall(client), *_PAREN_IP.findall(client)]:
        parsed = _ip(candidate)
        if parsed is not None:
            ip = str(parsed)
            break
    if not ip:
        parsed = _ip(helo)
        if parsed is not None:
            ip = str(parsed)
    return ReceivedHop(ip=ip, helo=helo[:255], reverse=reverse[:255], by=by[:255])


def _ip(text: str) -> IPAddress | None:
    try:
        address = ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


# Addresses a mail system's own relays use: RFC 1918, shared (CGNAT), loopback, link-local,
# unique-local IPv6. (Python's ``is_private`` also counts the documentation ranges, which real
# relays never use and tests do.)
_INTERNAL_NETS: tuple[IPNetwork, ...] = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "::/128",
        "::1/128",
        "fc00::/7",
        "fe80::/10",
    )
)


def _internal(address: IPAddress) -> bool:
    return any(address in net for net in _INTERNAL_NETS)


def last_untrusted_hop(
    hops: Sequence[ReceivedHop], *, trusted: Sequence[IPNetwork] = ()
) -> ReceivedHop | None:
    """The relay that handed the message to the recipient's mail system.

    Walks the ``Received`` headers from the top (written by the recipient's own servers, so
    trustworthy) down, past hops whose client is internal (private, loopback, link-local or
    reserved addresses, or in ``trusted``) or, by the reverse name the recipient's server looked
    up, in the same organisation as the server that received the message first; the first other
    client with an address is the answer. Headers below it may be forged and are not read.
    """
    receiver_org = ""
    for hop in hops[:MAX_RECEIVED]:
        if not receiver_org and hop.by:
            receiver_org = _org(hop.by)
        if not hop.ip:
            continue
        address = _ip(hop.ip)
        if address is None:
            continue
        if _internal(address) or any(address in net for net in trusted):
            continue
        if receiver_org and hop.reverse and _org(hop.reverse) == receiver_org:
            continue  # the recipient's provider relaying between its own servers
        return hop
    return None


def sender_identity(msg: Message, *, from_address: str, auth_report: str) -> SenderIdentity:
    """The :class:`SenderIdentity` of a parsed message; ``auth_report`` is the topmost
    ``Authentication-Results`` header ('' if none)."""
    from_domain = address_domain(from_address)
    _, envelope = parseaddr(" ".join(_values(msg, "Return-Path", 1)))
    envelope_domain = address_domain(envelope)
    _, sender = parseaddr(" ".join(_values(msg, "Sender", 1)))
    dkim: list[str] = []
    for value in _values(msg, "DKIM-Signature", MAX_DKIM):
        m = _DKIM_D.search(value)
        d = _domain(m.group(1)) if m else ""
        if d and d not in dkim:
            dkim.append(d)
    passed: list[str] = []
    for raw in _AR_DKIM_PASS.findall(auth_report):
        d = _domain(raw.rpartition("@")[2])
        if d and d not in passed:
            passed.append(d)
    unsubscribe, unsubscribe_orgs = _unsubscribe(" ".join(_values(msg, "List-Unsubscribe", 2)))
    post = " ".join(_values(msg, "List-Unsubscribe-Post", 1)).lower().replace(" ", "")
    list_id_match = _LIST_ID.search(" ".join(_values(msg, "List-Id", 1)))
    list_id = list_id_match.group(1).lower() if list_id_match else ""
    precedence = " ".join(_values(msg, "Precedence", 1)).strip().lower()
    hops = tuple(parse_received(v) for v in _values(msg, "Received", MAX_RECEIVED))
    esp = _esp(msg, [envelope_domain, *dkim], hops)
    return SenderIdentity(
        from_domain=from_domain,
        from_org=_org(from_domain),
        envelope=envelope.strip()[:320] if envelope_domain else "",
        envelope_domain=envelope_domain,
        envelope_org=_org(envelope_domain),
        sender_org=_org(address_domain(sender)),
        dkim_domains=tuple(dkim),
        dkim_pass_domains=tuple(passed),
        unsubscribe=unsubscribe,
        unsubscribe_orgs=unsubscribe_orgs,
        one_click="list-unsubscribe=one-click" in post and bool(unsubscribe),
        list_id=list_id[:255],
        precedence=precedence if precedence in {"bulk", "list", "junk"} else "",
        esp=esp,
        hops=hops,
    )
