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
* language: the trained classifier of :mod:`shieldwall.protect.textmodel` over subject and body.
"""

from __future__ import annotations

import codecs
import email
import email.policy
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.message import Message
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser

from shieldwall.core.errors import InputError
from shieldwall.protect.brands import BrandRegistry, DomainError, normalize_domain
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


class _Html(HTMLParser):
    """Text, links and forms of an HTML body; scripts and styles are skipped, nothing is run."""

    _SKIP = frozenset({"script", "style", "head", "title", "noscript"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[Link] = []
        self.forms = 0
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


def _sender_signals(p: ParsedEmail, registry: BrandRegistry, claimed: list[str]) -> list[Signal]:
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
                    weight=0.35 if free else 0.15,
                )
            )
    if owners and p.auth.get("dmarc") == "pass" and not registry.is_freemail(domain):
        out.append(
            Signal(
                signal="official_sender",
                detail=f"It was sent from {domain}, an official domain of {owners[0]}, and your "
                "mail server confirmed the sender is genuine (DMARC pass).",
                weight=-0.3,
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


def _link_signals(p: ParsedEmail, registry: BrandRegistry, claimed: list[str]) -> list[Signal]:
    out: list[Signal] = []
    parsed: list[tuple[Link, ParsedUrl]] = []
    for link in p.links:
        url = _link_host(link.href)
        if url is not None:
            parsed.append((link, url))
        if len(parsed) >= MAX_LINKS:
            break
    mismatch = False
    for link, url in parsed:
        if mismatch or not url.host or not _LOOKS_LIKE_LINK.match(link.text):
            continue
        try:
            shown = parse_url(link.text.strip())
        except UrlError:
            continue
        if shown.host and shown.registered_domain != url.registered_domain:
            mismatch = True
            out.append(
                Signal(
                    signal="link_text_mismatch",
                    detail=f"A link shows '{link.text[:80]}' but really goes to "
                    f"{url.registered_domain}.",
                    weight=0.6,
                )
            )
    strongest: dict[str, Signal] = {}
    hosts_seen: set[str] = set()
    for _link, url in parsed:
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
        if not url.host or url.host in hosts_seen:
            continue
        hosts_seen.add(url.host)
        for s in url_signals(url, registry):
            if s.signal == "official_domain":
                continue
            key = f"link.{s.signal}"
            # Newsletters carry many links (tracking, unsubscribe with your address): in an
            # e-mail, a link's structure counts half; a brand imitation counts in full.
            weight = s.weight if s.signal in BRAND_SIGNALS else s.weight * LINK_STRUCTURE_FACTOR
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


def _language_signal(p: ParsedEmail, model: TextModel | None) -> list[Signal]:
    if model is None:
        return []
    prob = model.probability(f"{p.subject}\n{p.text}")
    if prob >= 0.9:
        detail = (
            "Its wording is typical of phishing (requests to sign in, pay, verify or act "
            "quickly), according to a language model trained on real phishing e-mails."
        )
        weight = 0.6
    elif prob >= model.threshold:
        detail = (
            "Parts of its wording resemble phishing e-mails (a language model trained on real "
            "phishing rated it as likely)."
        )
        weight = 0.4
    else:
        return []
    return [Signal(signal="scam_language", detail=detail, weight=weight)]


def email_signals(
    parsed: ParsedEmail, *, registry: BrandRegistry, model: TextModel | None = None
) -> list[Signal]:
    """Every signal of one parsed e-mail."""
    claimed = brands_named(parsed.from_name, registry)
    signals: list[Signal] = []
    signals.extend(_auth_signals(parsed))
    signals.extend(_sender_signals(parsed, registry, claimed))
    signals.extend(_link_signals(parsed, registry, claimed))
    signals.extend(_attachment_signals(parsed))
    signals.extend(_language_signal(parsed, model))
    return signals


def check_email(
    raw: bytes | str,
    *,
    registry: BrandRegistry,
    model: TextModel | None = None,
    max_bytes: int = MAX_EMAIL_BYTES,
    max_depth: int = MAX_DEPTH,
    max_parts: int = MAX_PARTS,
) -> Assessment:
    """The verdict on one raw e-mail (bytes of a .eml file, or its text), with reasons."""
    data = raw.encode("utf-8", errors="surrogateescape") if isinstance(raw, str) else raw
    parsed = parse_email(data, max_bytes=max_bytes, max_depth=max_depth, max_parts=max_parts)
    signals = email_signals(parsed, registry=registry, model=model)
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
            }
        },
    )
