"""Protect yourself (pillar 5): check an e-mail, a link, a text message or a password offline
and in plain words; a personal security checkup; the registry of brands and their real domains."""

from shieldwall.protect.brands import (
    BrandEntry,
    BrandRegistry,
    BrandStore,
    DomainKind,
    bundled_entries,
    normalize_domain,
    parse_brand_csv,
)
from shieldwall.protect.capabilities import ProtectSettings, protect_capabilities
from shieldwall.protect.checkup import Answer, checkup_plan
from shieldwall.protect.email import EmailError, ParsedEmail, check_email, parse_email
from shieldwall.protect.identity import SenderIdentity, last_untrusted_hop, sender_identity
from shieldwall.protect.live import LiveChecker, LiveReport
from shieldwall.protect.message import check_message, extract_links
from shieldwall.protect.password import (
    HttpRangeSource,
    OfflineRangeStore,
    RangeServiceError,
    RangeSource,
    check_password,
    estimate_strength,
    import_pwned_file,
    sha1_hex,
)
from shieldwall.protect.textmodel import TextModel
from shieldwall.protect.url import ParsedUrl, UrlError, check_url, parse_url
from shieldwall.protect.verdict import Assessment, Signal, Verdict

__all__ = [
    "Answer",
    "Assessment",
    "BrandEntry",
    "BrandRegistry",
    "BrandStore",
    "DomainKind",
    "EmailError",
    "HttpRangeSource",
    "LiveChecker",
    "LiveReport",
    "OfflineRangeStore",
    "ParsedEmail",
    "ParsedUrl",
    "ProtectSettings",
    "RangeServiceError",
    "RangeSource",
    "SenderIdentity",
    "Signal",
    "TextModel",
    "UrlError",
    "Verdict",
    "bundled_entries",
    "check_email",
    "check_message",
    "check_password",
    "check_url",
    "checkup_plan",
    "estimate_strength",
    "extract_links",
    "import_pwned_file",
    "last_untrusted_hop",
    "normalize_domain",
    "parse_brand_csv",
    "parse_email",
    "parse_url",
    "protect_capabilities",
    "sender_identity",
    "sha1_hex",
]
