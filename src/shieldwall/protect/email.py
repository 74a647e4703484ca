"""Checking an e-mail (a raw ``.eml`` message) the way an analyst would, offline.

The message is parsed with the standard library (``email.policy.default``) under a size, a
nesting-depth and a part-count limit; nothing in it is executed, rendered or fetched. HTML is
read with :class:`html.parser.HTMLParser` only to collect its text, its links and its forms;
archives are only listed (names), never extracted.

Signals, each a :class:`~shieldwall.protect.verdict.Signal` in plain words:

* authentication as the receiving server reported it (the topmost ``Authentication-Results``,
  ``Received-SPF``, ``ARC-Authentication-Results``): SPF, DKIM, DMARC failures;
* the sender: display name vs. address (an address or a brand in the name that the address
  does not match), Reply-To and Return-Path on other domains, free-mail senders that claim a
  brand, look-alike sender domains (the brand checks of :mod:`shieldwall.protect.url`);
* links: the visible text of a link against where it really goes, the link checks of
  :mod:`shieldwall.protect.url`, a brand claimed by the message with links elsewhere;
* attachments: dangerous file types, archives holding them, HTML attachments with password forms;
* content tricks: words broken up with invisible characters, a body of only pictures and links,
  the hacker's extortion letter;
* language: the trained classifier of :mod:`shieldwall.protect.textmodel` over subject and body.
  When it finds the wording plain (nothing asked, nothing urgent), the shape of the links and a
  reply address elsewhere count less (a ``plain_wording`` note says so); look-alike domains,
  disguised links, authentication, attachments and content tricks always count in full.

Bulk and transactional mail (:mod:`shieldwall.protect.identity`): click-tracking links on the
sender's own domain (or a mailing list's, when its bounce and unsubscribe addresses agree) and
unsubscribe links that carry your address are explained, not held against the message; a known
mailing service's click counter counts half. A ``bulk_mail`` note (weight 0) says which marks
were seen. These marks never lower the score: phishing carries them too (measured: a reassurance
for a consistent sender identity cost more recall than it saved false positives).

With a :class:`~shieldwall.protect.live.LiveChecker`, the sender's SPF and DMARC are also
checked over DNS (``--live``; nothing the message links to is fetched).
"""

from __future__ import annotations

import codecs
import email
import email.policy
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.message import Message
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote

from shieldwall.core.errors import InputError
from shieldwall.protect.brands import BrandRegistry, DomainError, normalize_domain
from shieldwall.protect.identity import (
    SenderIdentity,
    esp_of_domain,
    org_domain,
    sender_identity,
)
from shieldwall.protect.live import LiveChecker, LiveReport, live_signals
from shieldwall.protect.message import brands_named, extract_links
from shieldwall.protect.textmodel import TextModel
from shieldwall.protect.url import (
    BRAND_SIGNALS,
    ParsedUrl,
    UrlError,
    parse_url,
    url_signals,
)
from shieldwall.protect.verdict import Assessment, Signal, Verdict, assess

MAX_EMAIL_BYTES = 10 << 20
MAX_DEPTH = 10
MAX_PARTS = 200
MAX_LINKS = 40
MAX_TEXT_CHARS = 200_000
MAX_ARCHIVE_NAMES = 1000
LINK_STRUCTURE_FACTOR = 0.5
# Probabilities of the language model at which its signal weighs 0.6 and 0.4 (0.3 from the
# model's own threshold): chosen on the train split with cross-validated probabilities.
LANGUAGE_STRONG = 0.9
LANGUAGE_LIKELY = 0.75
# Below this probability the language model finds the wording plain (no request to sign in, pay
# or hurry): link shapes (tracking, shorteners, long or odd addresses) and a reply address
# elsewhere then count PLAIN_WORDING_FACTOR of their weight. Brand imitation, disguised links,
# authentication, attachments and content tricks always count in full. Chosen on the train split
# with cross-validated model probabilities (see models/MODEL_CARD.md).
PLAIN_WORDING_BELOW = 0.05
PLAIN_WORDING_FACTOR = 0.3

DANGEROUS_TYPES: dict[str, str] = {
    "html": "a web page that can show a fake sign-in form",
    "htm": "a web page that can show a fake sign-in form",
    "shtml": "a web page that can show a fake sign-in form",
    "svg": "an image file that can carry a script or a fake sign-in page",
    "iso": "a disk image, used to slip malware past filters",
    "img": "a disk image, used to slip malware past filters",
    "vhd": "a disk image, used to slip malware past filters",
    "lnk": "a Windows shortcut that can run a program",
    "js": "a script that runs when opened",
    "jse": "a script that runs when opened",
    "vbs": "a script that runs when opened",
    "vbe": "a script that runs when opened",
    "wsf": "a script that runs when opened",
    "hta": "a script that runs when opened",
    "ps1": "a script that runs when opened",
    "bat": "a script that runs when opened",
    "cmd": "a script that runs when opened",
    "exe": "a program",
    "scr": "a program",
    "msi": "a program installer",
    "com": "a program",
    "pif": "a program",
    "jar": "a program",
    "docm": "an Office document with macros (programs inside the document)",
    "xlsm": "an Office document with macros (programs inside the document)",
    "pptm": "an Office document with macros (programs inside the document)",
    "dotm": "an Office document with macros (programs inside the document)",
    "xlam": "an Office document with macros (programs inside the document)",
    "one": "a OneNote file, recently used to deliver malware",
}
ARCHIVES = frozenset({"zip", "rar", "7z", "gz", "tgz", "tar", "cab", "ace", "arj"})

ADVICE: dict[Verdict, tuple[str, ...]] = {
    Verdict.SAFE: (
        "No warning signs found. If the e-mail asks for money, a password or a code, still "
        "check with the sender another way before you act.",
    ),
    Verdict.SUSPICIOUS: (
        "Do not click its links or open its attachments until you have checked it.",
        "If it claims to come from a company you use, go to that company's site or app yourself "
        "instead of using the e-mail.",
    ),
    Verdict.DANGEROUS: (
        "This looks like phishing: do not click its links, open its attachments or reply.",
        "Report it with your mail program's 'report phishing' button, then delete it.",
        "If you already entered a password after opening it, change that password now (and "
        "anywhere you reused it) and turn on two-step verification.",
    ),
}

_AUTH = re.compile(r"\b(spf|dkim|dmarc|arc)\s*=\s*([a-z]+)", re.IGNORECASE)
_FROM_DOMAIN = re.compile(r"header\.from\s*=\s*([^\s;]+)", re.IGNORECASE)
_ADDRESS_IN_NAME = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LOOKS_LIKE_LINK = re.compile(r"(?i)^\s*(?:https?://|www\.)?[\w-]+(?:\.[\w-]+)+[^\s]*\s*$")
_UNSUBSCRIBE_TEXT = re.compile(
    r"(?i)unsubscri|opt[- ]?out|(manage|update|change|edit) (your |my )?(e-?mail )?"
    r"(preferences|subscriptions?|settings)|abmelden|abbestellen|d[ée]sabonner|d[ée]sinscri|"
    r"darse de baja|cancelar (la )?suscrip|descadastr"
)
_UNSUBSCRIBE_PATH = re.compile(
    r"(?i)unsubscri|opt[-_]?out|/remove\b|preferences|manage[-_]?subscription|abmelden|desabonn"
)
# A link to the sender's own domain: its shape (sign-in words, your address in it, a redirect)
# is the sender's business; brand imitation, hosting and endings still count.
SENDER_EXPLAINED = frozenset(
    {"credential_path", "email_in_url", "embedded_url", "long_url", "unusual_port"}
)
# An unsubscribe link carries your address by design.
UNSUBSCRIBE_EXPLAINED = frozenset({"email_in_url", "credential_path"})


class EmailError(InputError):
    """A message that cannot be checked (too large, too deeply nested, too many parts)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Link:
    href: str
    text: str  # the visible text ('' for a link in plain text)


@dataclass(frozen=True, slots=True, kw_only=True)
class Attachment:
    filename: str
    content_type: str
    size: int
    inner_names: tuple[str, ...] = ()  # names inside an archive (zip only)
    password_form: bool = False  # an HTML attachment with a password field


@dataclass(frozen=True, slots=True, kw_only=True)
class ParsedEmail:
    subject: str
    from_name: str
    from_address: str
    from_domain: str  # normalised ASCII, '' when missing or invalid
    reply_to: tuple[str, ...]
    return_path: str
    auth: dict[str, str]  # method -> result, from the topmost report
    auth_from_domain: str  # header.from as the receiving server saw it
    text: str  # plain text of the body (HTML converted)
    links: tuple[Link, ...]
    attachments: tuple[Attachment, ...]
    parts: int
    html_forms: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)
    identity: SenderIdentity = field(default_factory=SenderIdentity)
    images: int = 0  # <img> tags in HTML bodies


class _Html(HTMLParser):
    """Text, links and forms of an HTML body; scripts and styles are skipped, nothing is run."""

    _SKIP = frozenset({"script", "style", "head", "title", "noscript"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[Link] = []
        self.forms = 0
        self.images = 0
        self.password_fields = 0
        self._skip = 0
        self._href: str | None = None
        self._anchor: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag in self._SKIP:
            self._skip += 1
        elif tag == "a" and a.get("href"):
            self._href, self._anchor = a["href"].strip(), []
        elif tag == "form":
            self.forms += 1
        elif tag == "img":
            self.images += 1
        elif tag == "input" and a.get("type", "").lower() == "password":
            self.password_fields += 1
        elif tag in {"br", "p", "div", "tr", "li", "td", "h1", "h2", "h3"}:
            self.text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag == "a" and self._href is not None:
            if len(self.links) < MAX_LINKS * 4:
                self.links.append(
                    Link(href=self._href, text=" ".join("".join(self._anchor).split()))
                )
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.text.append(data)
        if self._href is not None:
            self._anchor.append(data)


def _html(source: str) -> _Html:
    parser = _Html()
    try:
        parser.feed(source[:MAX_TEXT_CHARS])
        parser.close()
    except (AssertionError, ValueError, IndexError):  # a malformed tag: keep what was read
        pass
    return parser


def _header(msg: Message, name: str) -> str:
    try:
        value = msg.get(name)
    except Exception:
        value = None
    if value is None:
        return ""
    try:
        return " ".join(str(value).split())
    except Exception:
        return ""


def _headers(msg: Message, name: str) -> list[str]:
    try:
        values = msg.get_all(name) or []
    except Exception:
        return []
    out = []
    for v in values:
        try:
            text = str(v)
        except Exception:  # a header the stdlib cannot render: skip it
            text = ""
        if text:
            out.append(" ".join(text.split()))
    return out


def _domain_of(address: str) -> str:
    _, _, host = address.rpartition("@")
    host = host.strip().strip(">").strip()
    if not host:
        return ""
    try:
        return normalize_domain(host)
    except (DomainError, ValueError):
        return ""


def _payload(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:
        return b""
    return data if isinstance(data, bytes) else b""


def _decode(data: bytes, charset: str | None) -> str:
    name = (charset or "utf-8").strip().strip('"') or "utf-8"
    try:
        codecs.lookup(name)
    except (LookupError, ValueError):
        name = "latin-1"
    try:
        return data[:MAX_TEXT_CHARS].decode(name, errors="replace")
    except Exception:
        return data[:MAX_TEXT_CHARS].decode("latin-1")


def _walk(msg: Message, *, max_depth: int, max_parts: int) -> list[Message]:
    """Every leaf part, depth first; :class:`EmailError` past the limits."""
    leaves: list[Message] = []
    count = 0
    stack: list[tuple[Message, int]] = [(msg, 0)]
    while stack:
        part, depth = stack.pop()
        count += 1
        if count > max_parts:
            raise EmailError(
                f"the message has more than {max_parts} parts",
                code="protect.email.too_many_parts",
                hint="Real e-mails have a handful of parts; this one may be built to overload "
                "checkers. Do not open it.",
            )
        if depth > max_depth:
            raise EmailError(
                f"the message nests parts more than {max_depth} levels deep",
                code="protect.email.too_deep",
                hint="Real e-mails are not nested this deep; this one may be built to overload "
                "checkers. Do not open it.",
            )
        payload = part.get_payload() if part.is_multipart() else None
        if isinstance(payload, list):
            stack.extend((p, depth + 1) for p in reversed(payload) if isinstance(p, Message))
        else:
            leaves.append(part)
    return leaves


def _filename(part: Message) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:
        name = ""
    return " ".join(str(name).split())[:255]


def _ext(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _zip_names(data: bytes) -> tuple[str, ...]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return tuple(i.filename for i in zf.infolist()[:MAX_ARCHIVE_NAMES])
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError):
        return ()
    except Exception:
        return ()


def parse_email(
    raw: bytes,
    *,
    max_bytes: int = MAX_EMAIL_BYTES,
    max_depth: int = MAX_DEPTH,
    max_parts: int = MAX_PARTS,
) -> ParsedEmail:
    """Parse a raw message (bytes as stored in a .eml file); :class:`EmailError` if it is empty,
    larger than ``max_bytes``, nested deeper than ``max_depth`` or has more than ``max_parts``."""
    if len(raw) > max_bytes:
        raise EmailError(
            f"the message is larger than {max_bytes // (1 << 20)} MiB",
            code="protect.email.too_large",
            hint="Check the message without its large attachments.",
        )
    if not raw.strip():
        raise EmailError("the message is empty", code="protect.email.empty")
    # A cheap bound before parsing: every part needs a boundary line.
    if raw.count(b"\n--") > max_parts * 2 + 2:
        raise EmailError(
            f"the message has more than {max_parts} parts",
            code="protect.email.too_many_parts",
            hint="Real e-mails have a handful of parts; this one may be built to overload "
            "checkers. Do not open it.",
        )
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
    except RecursionError as exc:
        raise EmailError(
            f"the message nests parts more than {max_depth} levels deep",
            code="protect.email.too_deep",
        ) from exc
    except Exception as exc:
        raise EmailError(
            f"the message cannot be parsed: {type(exc).__name__}", code="protect.email.invalid"
        ) from exc
    leaves = _walk(msg, max_depth=max_depth, max_parts=max_parts)
    if not any(_header(msg, h) for h in ("From", "Subject", "To", "Date", "Received")) and not any(
        k for k, _ in _raw_items(msg)
    ):
        raise EmailError(
            "this does not look like an e-mail (no headers)",
            code="protect.email.invalid",
            hint="Save the message as .eml ('Download message' or 'Show original') and "
            "check that file.",
        )

    from_raw = _header(msg, "From")
    name, address = parseaddr(from_raw)
    reply_to = tuple(a for _, a in _safe_getaddresses(_headers(msg, "Reply-To")) if "@" in a)
    _, return_path = parseaddr(_header(msg, "Return-Path"))

    auth: dict[str, str] = {}
    auth_from = ""
    reports = _headers(msg, "Authentication-Results")
    if reports:
        top = reports[0]
        for method, result in _AUTH.findall(top):
            auth.setdefault(method.lower(), result.lower())
        m = _FROM_DOMAIN.search(top)
        auth_from = m.group(1).strip().lower() if m else ""
    for header in _headers(msg, "ARC-Authentication-Results")[:1]:
        for method, result in _AUTH.findall(header):
            auth.setdefault(method.lower(), result.lower())
    spf_header = _headers(msg, "Received-SPF")
    if spf_header and "spf" not in auth:
        word = spf_header[0].split(" ", 1)[0].lower().strip("();")
        if word:
            auth["spf"] = word

    texts: list[str] = []
    links: list[Link] = []
    attachments: list[Attachment] = []
    forms = 0
    images = 0
    for part in leaves:
        ctype = part.get_content_type()
        fname = _filename(part)
        try:
            disposition = (part.get_content_disposition() or "").lower()
        except Exception:
            disposition = ""
        is_body = not fname and disposition != "attachment" and ctype.startswith("text/")
        data = _payload(part)
        if is_body:
            charset = part.get_content_charset()
            body = _decode(data, charset)
            if ctype == "text/html":
                h = _html(body)
                texts.append("".join(h.text))
                links.extend(h.links)
                forms += h.forms
                images += h.images
            else:
                texts.append(body)
                links.extend(Link(href=u, text="") for u in extract_links(body, limit=MAX_LINKS))
            continue
        if not fname and not data:
            continue
        inner: tuple[str, ...] = ()
        pw = False
        ext = _ext(fname)
        if ext == "zip" or ctype in {"application/zip", "application/x-zip-compressed"}:
            inner = _zip_names(data)
        if ext in {"html", "htm", "shtml", "svg"} or ctype == "text/html":
            h = _html(_decode(data, part.get_content_charset()))
            pw = h.password_fields > 0
        attachments.append(
            Attachment(
                filename=fname or f"(unnamed {ctype})",
                content_type=ctype,
                size=len(data),
                inner_names=inner,
                password_form=pw,
            )
        )
    text = "\n".join(texts)[:MAX_TEXT_CHARS]
    identity = sender_identity(msg, from_address=address, auth_report=reports[0] if reports else "")
    return ParsedEmail(
        subject=_header(msg, "Subject")[:1000],
        from_name=name.strip()[:200],
        from_address=address.strip()[:320],
        from_domain=_domain_of(address),
        reply_to=reply_to[:5],
        return_path=return_path.strip()[:320],
        auth=auth,
        auth_from_domain=auth_from,
        text=text,
        links=tuple(links),
        attachments=tuple(attachments),
        parts=len(leaves),
        html_forms=forms,
        identity=identity,
        images=images,
    )


def _raw_items(msg: Message) -> list[tuple[str, object]]:
    try:
        return list(msg.raw_items())
    except Exception:
        return []


def _safe_getaddresses(values: Iterable[str]) -> list[tuple[str, str]]:
    try:
        return getaddresses(list(values))
    except Exception:
        return []


def _registered(host: str) -> str:
    try:
        return parse_url(f"http://{host}/").registered_domain
    except UrlError:
        return host


def _auth_signals(p: ParsedEmail) -> list[Signal]:
    out: list[Signal] = []
    dmarc, spf, dkim = p.auth.get("dmarc"), p.auth.get("spf"), p.auth.get("dkim")
    sender = p.from_domain or "the sender's domain"
    if dmarc == "fail":
        out.append(
            Signal(
                signal="auth_dmarc_fail",
                detail=f"Your mail server reports that this message failed the check (DMARC) "
                f"that proves it really comes from {sender}: the sender is probably forged.",
                weight=0.6,
            )
        )
    if spf in {"fail", "softfail"}:
        out.append(
            Signal(
                signal="auth_spf_fail",
                detail=f"Your mail server reports that the computer that sent it is not allowed "
                f"to send mail for {(p.return_path and _domain_of(p.return_path)) or sender} "
                f"(SPF {spf}).",
                weight=0.4 if spf == "fail" else 0.25,
            )
        )
    if dkim == "fail":
        out.append(
            Signal(
                signal="auth_dkim_fail",
                detail="Your mail server reports that the message's digital signature (DKIM) "
                "does not match: it was forged or changed on the way.",
                weight=0.35,
            )
        )
    return out


def _sender_signals(
    p: ParsedEmail, registry: BrandRegistry, claimed: list[str], *, plain: bool = False
) -> list[Signal]:
    out: list[Signal] = []
    domain = p.from_domain
    if not p.from_address:
        out.append(
            Signal(
                signal="sender_missing",
                detail="The message has no sender address.",
                weight=0.2,
            )
        )
        return out
    shown = _ADDRESS_IN_NAME.search(p.from_name)
    if shown and _domain_of(shown.group(0)) and _domain_of(shown.group(0)) != domain:
        out.append(
            Signal(
                signal="display_name_address",
                detail=f"The sender's name shows the address {shown.group(0)}, but the message "
                f"really comes from {p.from_address}.",
                weight=0.55,
            )
        )
    owners = registry.owners(domain) if domain else ()
    for brand in claimed:
        if brand in owners:
            continue
        official = registry.official_domain(brand) or "its own domain"
        if registry.is_freemail(domain):
            detail = (
                f"The message says it is from {brand}, but it was sent from a free "
                f"{domain} address that anyone can create ({brand} uses {official})."
            )
        else:
            detail = (
                f"The message says it is from {brand}, but it was sent from {domain or '?'}, "
                f"which is not a {brand} domain ({brand} uses {official})."
            )
        out.append(Signal(signal="sender_brand_mismatch", detail=detail, weight=0.55))
        break
    if domain:
        try:
            sender_url = parse_url(f"http://{domain}/")
        except UrlError:
            sender_url = None
        if sender_url is not None:
            out.extend(
                Signal(
                    signal=f"sender.{s.signal}",
                    detail=f"Sender address: {s.detail}",
                    weight=s.weight,
                )
                for s in url_signals(sender_url, registry)
                if s.signal in BRAND_SIGNALS
            )
    sender_reg = _registered(domain) if domain else ""
    for addr in p.reply_to[:1]:
        rdom = _domain_of(addr)
        if rdom and sender_reg and _registered(rdom) != sender_reg:
            free = registry.is_freemail(rdom)
            out.append(
                Signal(
                    signal="reply_to_elsewhere",
                    detail=f"Replies go to {addr}, not to the sender's domain {domain}"
                    + (" - a free address anyone can create." if free else "."),
                    weight=(0.35 if free else 0.15) * (PLAIN_WORDING_FACTOR if plain else 1.0),
                )
            )
    if owners and p.auth.get("dmarc") == "pass" and not registry.is_freemail(domain):
        out.append(
            Signal(
                signal="official_sender",
                detail=f"It was sent from {domain}, an official domain of {owners[0]}, and your "
                "mail server confirmed the sender is genuine (DMARC pass).",
                # Strong: the receiving server proved the brand's own domain sent it. What
                # is left is abuse of the brand's own services (a fake invoice sent through
                # them), which wording alone cannot tell apart.
                weight=-0.5,
            )
        )
    return out


def _link_host(href: str) -> ParsedUrl | None:
    if not href or href.startswith(("mailto:", "tel:", "#", "cid:")):
        return None
    try:
        url = parse_url(href)
    except UrlError:
        return None
    return url


def _own_orgs(p: ParsedEmail, registry: BrandRegistry) -> frozenset[str]:
    """Organisational domains that are the sender's own: the From domain's (unless anyone can
    get an address there) and those of DKIM signatures the receiving server verified."""
    ident = p.identity
    own = set()
    if ident.from_org and not registry.is_freemail(ident.from_domain):
        own.add(ident.from_org)
    if ident.dkim_aligned_pass():
        own.add(ident.from_org)
    # A mailing list whose bounce address and unsubscribe address or list name agree: its
    # archive and options links are the list's own.
    list_orgs = {*ident.unsubscribe_orgs, *([org_domain(ident.list_id)] if ident.list_id else [])}
    if ident.envelope_org and ident.envelope_org in list_orgs:
        own.add(ident.envelope_org)
    return frozenset(own)


def _unsubscribe_hrefs(p: ParsedEmail) -> frozenset[str]:
    """Links that unsubscribe or manage the subscription, by any of their texts or their path."""
    found = {u.strip() for u in p.identity.unsubscribe}
    for link in p.links:
        if _UNSUBSCRIBE_TEXT.search(link.text) or _UNSUBSCRIBE_PATH.search(
            unquote(link.href.split("#", 1)[0])
        ):
            found.add(link.href.strip())
    return frozenset(found)


def _text_mismatch(
    link: Link, url: ParsedUrl, p: ParsedEmail, registry: BrandRegistry, own: frozenset[str]
) -> Signal | None:
    """The visible text of a link names one site and the link goes to another."""
    if not url.host or not _LOOKS_LIKE_LINK.match(link.text):
        return None
    try:
        shown = parse_url(link.text.strip())
    except UrlError:
        return None
    if not shown.host or shown.registered_domain == url.registered_domain:
        return None
    real = url.registered_domain
    shown_brands = registry.owners(shown.host)
    sender_brands = registry.owners(p.from_domain) if p.from_domain else ()
    borrowed = bool(shown_brands) and not set(shown_brands) & set(sender_brands)
    text = link.text[:80]
    if real in own and not borrowed:
        return Signal(
            signal="link_text_tracking",
            detail=f"A link shows '{text}' but first goes to {real}, the sender's own domain: "
            "newsletters count clicks this way.",
            weight=0.1,
        )
    esp = esp_of_domain(url.host, role="click")
    if esp and not borrowed:
        return Signal(
            signal="link_text_tracking",
            detail=f"A link shows '{text}' but goes through {real}, the click counter of the "
            f"mailing service {esp}: where it ends up is hidden until you click.",
            weight=0.3,
        )
    return Signal(
        signal="link_text_mismatch",
        detail=f"A link shows '{text}' but really goes to {real}.",
        weight=0.6,
    )


def _link_signals(
    p: ParsedEmail, registry: BrandRegistry, claimed: list[str], *, plain: bool = False
) -> list[Signal]:
    out: list[Signal] = []
    parsed: list[tuple[Link, ParsedUrl]] = []
    seen_hrefs: set[str] = set()
    for link in p.links:
        url = _link_host(link.href)
        if url is not None:
            parsed.append((link, url))
        if len(parsed) >= MAX_LINKS:
            break
    own = _own_orgs(p, registry)
    unsubscribe = _unsubscribe_hrefs(p)
    structure = LINK_STRUCTURE_FACTOR * (PLAIN_WORDING_FACTOR if plain else 1.0)
    mismatch: Signal | None = None
    for link, url in parsed:
        found = _text_mismatch(link, url, p, registry, own)
        if found is not None and (mismatch is None or found.weight > mismatch.weight):
            mismatch = found
    if mismatch is not None:
        out.append(mismatch)
    strongest: dict[str, Signal] = {}
    for link, url in parsed:
        if url.scheme in {"javascript", "data", "vbscript"}:
            strongest.setdefault(
                "link.script",
                Signal(
                    signal="link.script",
                    detail="A link runs code in the browser instead of opening a page.",
                    weight=0.5,
                ),
            )
            continue
        if not url.host or url.text in seen_hrefs:
            continue
        seen_hrefs.add(url.text)
        explained: frozenset[str] = frozenset()
        if url.registered_domain in own:
            explained = SENDER_EXPLAINED
        elif link.href.strip() in unsubscribe:
            explained = UNSUBSCRIBE_EXPLAINED
        for s in url_signals(url, registry):
            if s.signal == "official_domain" or s.signal in explained:
                continue
            key = f"link.{s.signal}"
            # Newsletters carry many links (tracking, unsubscribe with your address): in an
            # e-mail, a link's structure counts half (less when the wording is plain); a brand
            # imitation counts in full.
            weight = s.weight if s.signal in BRAND_SIGNALS else s.weight * structure
            if key not in strongest or strongest[key].weight < weight:
                strongest[key] = Signal(
                    signal=key, detail=f"Link to {url.registered_domain}: {s.detail}", weight=weight
                )
    out.extend(strongest.values())
    hosts = [u for _, u in parsed if u.host]
    for brand in claimed[:1]:
        elsewhere = [u for u in hosts if brand not in registry.owners(u.host)]
        if hosts and len(elsewhere) == len(hosts):
            target = elsewhere[0].registered_domain
            out.append(
                Signal(
                    signal="brand_link_mismatch",
                    detail=f"The message is about {brand}, but none of its links go to a {brand} "
                    f"site (they go to {target}"
                    + (" and others" if len({u.registered_domain for u in elsewhere}) > 1 else "")
                    + ").",
                    weight=0.45,
                )
            )
    return out


def _bulk_signals(p: ParsedEmail, registry: BrandRegistry) -> list[Signal]:
    """A note (no weight) on the marks of bulk mail, so a reader knows why tracking and
    unsubscribe links were not held against it."""
    ident = p.identity
    if not ident.bulk and not ident.esp:
        return []
    marks: list[str] = []
    if ident.unsubscribe:
        where = ", ".join(ident.unsubscribe_orgs[:2]) or "an address"
        own = ident.from_org and ident.from_org in ident.unsubscribe_orgs
        marks.append(
            f"an unsubscribe address ({where}"
            + (", the sender's own domain" if own else "")
            + ")"
            + (" with one-click unsubscribe" if ident.one_click else "")
        )
    if ident.list_id:
        marks.append(f"a mailing-list name ({ident.list_id[:80]})")
    if ident.precedence and not ident.unsubscribe and not ident.list_id:
        marks.append(f"a '{ident.precedence}' mail label")
    if ident.esp:
        marks.append(f"the mailing service {ident.esp}")
    agree = [a for a in ident.agreeing() if a in {"envelope", "dkim"}]
    detail = (
        "It is bulk mail (a newsletter, mailing list or automated notice): it carries "
        + "; ".join(marks)
        + "."
    )
    if agree and not registry.is_freemail(ident.from_domain):
        names = " and ".join(
            "envelope sender" if a == "envelope" else "DKIM signature" for a in agree
        )
        detail += (
            f" Its {names} name{'s' if len(agree) == 1 else ''} the same organisation as its "
            f"From address ({ident.from_org})."
        )
    detail += " Scammers can add these marks too; they only explain tracking and unsubscribe links."
    return [Signal(signal="bulk_mail", detail=detail, weight=0.0)]


def _attachment_signals(p: ParsedEmail) -> list[Signal]:
    out: list[Signal] = []
    for a in p.attachments[:MAX_PARTS]:
        ext = _ext(a.filename)
        if a.password_form:
            out.append(
                Signal(
                    signal="attachment_password_form",
                    detail=f"The attachment {a.filename} is a web page with a password box: "
                    "opening it shows a fake sign-in page that sends your password to the "
                    "scammer.",
                    weight=0.85,
                )
            )
        elif ext in DANGEROUS_TYPES:
            out.append(
                Signal(
                    signal="dangerous_attachment",
                    detail=f"The attachment {a.filename} is {DANGEROUS_TYPES[ext]}. Do not open "
                    "it.",
                    weight=0.6 if ext in {"html", "htm", "shtml", "svg"} else 0.7,
                )
            )
        inner = [n for n in a.inner_names if _ext(n) in DANGEROUS_TYPES]
        if inner:
            out.append(
                Signal(
                    signal="archive_dangerous",
                    detail=f"The archive {a.filename} contains {inner[0][:80]}, which is "
                    f"{DANGEROUS_TYPES[_ext(inner[0])]}. Do not open it.",
                    weight=0.75,
                )
            )
        parts = a.filename.lower().rsplit(".", 2)
        decoy = len(parts) == 3 and parts[1] in {"pdf", "doc", "docx", "xls", "xlsx", "jpg", "png"}
        if decoy and (ext in DANGEROUS_TYPES or ext in ARCHIVES):
            out.append(
                Signal(
                    signal="double_extension",
                    detail=f"The attachment {a.filename} pretends to be a .{parts[1]} file "
                    f"but is really a .{ext} file.",
                    weight=0.6,
                )
            )
    return out


_INVISIBLE_IN_WORD = re.compile(r"[A-Za-z][\u00ad\u034f\u200b-\u200f\u2060-\u2064\ufeff]+[A-Za-z]")
_EXTORTION = re.compile(
    r"(?is)\b(i\s+(have\s+)?(hacked|infected|gained (full )?access to|got access to|accessed)"
    r"\s+(your|you)\b|(installed|injected|placed)\s+(a\s+|my\s+)?(private\s+)?(malware|virus|"
    r"trojan|spyware|backdoor)|i\s+(have\s+)?recorded\s+you|your (device|computer|system|phone) "
    r"(was|has been) (hacked|infected|compromised))"
)
_EXTORTION_PAY = re.compile(r"(?i)\b(bitcoin|btc|crypto\w*|wallet|usdt)\b")
_WORD = re.compile(r"[^\W\d_]+")


_AFTER_LATIN = re.compile(r"(?<=[A-Za-z])[^\x00-\u036f]")


def _foreign_marks_in_words(text: str) -> int:
    """Combining marks from other scripts stuck on Latin letters ('Aܿcܿcܿoܿuܿnܿt')."""
    if text.isascii():
        return 0
    return sum(
        1
        for m in _AFTER_LATIN.finditer(text[:MAX_TEXT_CHARS])
        if unicodedata.category(m[0]) == "Mn"
    )


def _content_signals(p: ParsedEmail) -> list[Signal]:
    """Tricks in the message's own text: words broken up with invisible characters, a body that
    is only pictures and links, a hacker's extortion letter."""
    out: list[Signal] = []
    text = f"{p.subject}\n{p.text}"
    if _INVISIBLE_IN_WORD.search(text) or _foreign_marks_in_words(text) >= 3:
        out.append(
            Signal(
                signal="obfuscated_text",
                detail="Words in it are broken up with invisible characters or stray marks, so "
                "that they read normally to you but not to spam filters. Real senders have no "
                "reason to do that.",
                weight=0.5,
            )
        )
    words = len(_WORD.findall(p.text))
    if words < 10 and p.images and p.links:
        out.append(
            Signal(
                signal="image_only",
                detail="The message is almost only pictures and links, with hardly any text: "
                "a way to hide what it says from filters.",
                weight=0.25,
            )
        )
    if _EXTORTION.search(text) and _EXTORTION_PAY.search(text):
        out.append(
            Signal(
                signal="extortion",
                detail="It claims the sender hacked your device or recorded you and demands "
                "payment in crypto. This is a mass-mailed bluff: do not pay or reply.",
                weight=0.7,
            )
        )
    return out


def _language_signal(prob: float | None, model: TextModel | None) -> list[Signal]:
    if prob is None or model is None:
        return []
    if prob >= LANGUAGE_STRONG:
        detail = (
            "Its wording is typical of phishing (requests to sign in, pay, verify or act "
            "quickly), according to a language model trained on real phishing e-mails."
        )
        weight = 0.6
    elif prob >= LANGUAGE_LIKELY:
        detail = (
            "Parts of its wording resemble phishing e-mails (a language model trained on real "
            "phishing rated it as likely)."
        )
        weight = 0.4
    elif prob >= model.threshold:
        detail = (
            "Some of its wording resembles phishing e-mails; on its own that is not enough to "
            "worry about (marketing mail often reads this way)."
        )
        weight = 0.3
    else:
        return []
    return [Signal(signal="scam_language", detail=detail, weight=weight)]


def _claimed_brands(p: ParsedEmail, registry: BrandRegistry) -> list[str]:
    """Brands the From name claims to be. A name that also names the sender's own domain
    ('Lockergnome Apple Core' from lockergnome.com) is that organisation writing about a brand,
    not posing as it."""
    claimed = brands_named(p.from_name, registry)
    org = p.identity.from_org
    if not claimed or not org or registry.is_freemail(p.from_domain):
        return claimed
    own = org.split(".", 1)[0].replace("-", "")
    words = {w for w in re.findall(r"[a-z0-9]+", p.from_name.lower()) if len(w) >= 4}
    squeezed = re.sub(r"[^a-z0-9]", "", p.from_name.lower())
    if len(own) >= 4 and (own in words or own in squeezed) and not registry.owners(org):
        return [b for b in claimed if b.lower().replace(" ", "") in own]
    return claimed


def email_signals(
    parsed: ParsedEmail, *, registry: BrandRegistry, model: TextModel | None = None
) -> list[Signal]:
    """Every signal of one parsed e-mail."""
    claimed = _claimed_brands(parsed, registry)
    prob = None if model is None else model.probability(f"{parsed.subject}\n{parsed.text}")
    plain = prob is not None and prob < PLAIN_WORDING_BELOW
    signals: list[Signal] = []
    signals.extend(_auth_signals(parsed))
    signals.extend(_sender_signals(parsed, registry, claimed, plain=plain))
    signals.extend(_link_signals(parsed, registry, claimed, plain=plain))
    signals.extend(_bulk_signals(parsed, registry))
    signals.extend(_attachment_signals(parsed))
    signals.extend(_content_signals(parsed))
    signals.extend(_language_signal(prob, model))
    if plain and any(s.signal in _PLAIN_DISCOUNTED or _is_link_structure(s) for s in signals):
        signals.append(
            Signal(
                signal="plain_wording",
                detail="Its wording asks for nothing unusual (no sign-in, payment or rush, "
                "according to the language model), so the shape of its links and a reply "
                "address elsewhere count for less. Look-alike addresses and disguised links "
                "still count in full.",
                weight=0.0,
            )
        )
    return signals


_PLAIN_DISCOUNTED = frozenset({"reply_to_elsewhere"})


def _is_link_structure(s: Signal) -> bool:
    name = s.signal.removeprefix("link.")
    return s.signal.startswith("link.") and name not in BRAND_SIGNALS and name != "script"


def check_email(
    raw: bytes | str,
    *,
    registry: BrandRegistry,
    model: TextModel | None = None,
    live: LiveChecker | None = None,
    max_bytes: int = MAX_EMAIL_BYTES,
    max_depth: int = MAX_DEPTH,
    max_parts: int = MAX_PARTS,
) -> Assessment:
    """The verdict on one raw e-mail (bytes of a .eml file, or its text), with reasons.

    With ``live``, the sender's SPF and DMARC records are also checked over DNS (and only DNS:
    nothing the message links to is ever fetched)."""
    data = raw.encode("utf-8", errors="surrogateescape") if isinstance(raw, str) else raw
    parsed = parse_email(data, max_bytes=max_bytes, max_depth=max_depth, max_parts=max_parts)
    signals = email_signals(parsed, registry=registry, model=model)
    live_report: LiveReport | None = None
    if live is not None:
        live_report = live.check(parsed.identity)
        signals.extend(
            live_signals(
                live_report, ident=parsed.identity, reported=parsed.auth, registry=registry
            )
        )
        signals.extend(_live_official(parsed, live_report, registry, signals))
    extra_advice: list[str] = []
    if any(s.signal in {"sender_brand_mismatch", "brand_link_mismatch"} for s in signals):
        extra_advice.append(
            "To reach the company it names, type its address yourself or use its app."
        )
    if any("attachment" in s.signal or s.signal == "archive_dangerous" for s in signals):
        extra_advice.append("Do not open the attachment, even to 'have a look'.")
    return assess(
        signals,
        advice=ADVICE,
        extra_advice=extra_advice,
        extra={
            "email": {
                "from": parsed.from_address,
                "from_domain": parsed.from_domain,
                "subject": parsed.subject[:200],
                "links": len(parsed.links),
                "attachments": [a.filename for a in parsed.attachments][:20],
                "authentication": parsed.auth,
                "sender": _sender_json(parsed),
                **({"live": live_report.to_json()} if live_report is not None else {}),
            }
        },
    )


def _sender_json(p: ParsedEmail) -> dict[str, Any]:
    ident = p.identity
    return {
        "organisation": ident.from_org,
        "envelope_domain": ident.envelope_domain,
        "dkim_domains": list(ident.dkim_domains),
        "agreeing": list(ident.agreeing()),
        "bulk": ident.bulk,
        "unsubscribe": bool(ident.unsubscribe),
        "one_click_unsubscribe": ident.one_click,
        "list_id": ident.list_id,
        "service": ident.esp,
    }


def _live_official(
    p: ParsedEmail, report: LiveReport, registry: BrandRegistry, signals: list[Signal]
) -> list[Signal]:
    """The official-sender reassurance from a live DMARC pass, when the receiving server's
    report did not already give it."""
    check = report.dmarc
    domain = p.from_domain
    if check is None or check.result != "pass" or not domain or registry.is_freemail(domain):
        return []
    owners = registry.owners(domain)
    if not owners or any(s.signal == "official_sender" for s in signals):
        return []
    return [
        Signal(
            signal="official_sender",
            detail=f"It was sent from {domain}, an official domain of {owners[0]}, and a live "
            "check confirmed the sender is genuine (DMARC pass).",
            weight=-0.5,
        )
    ]
