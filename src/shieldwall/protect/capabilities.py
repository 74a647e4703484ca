"""The protect capabilities: checks anyone may run (tier 0), registry writes for
organisations (tier 2), the hub's brand feed for its members (tier 1) and the pull of a hub's
feed (the local owner only: it fetches a URL and changes what every user of this server sees).
Passwords travel as ``SecretStr``, so the door's request digest covers '**********', not the
password; nothing here logs or stores a checked value."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import Engine

from shieldwall.core.clock import Clock
from shieldwall.core.errors import DeniedError, InputError, NotFoundError
from shieldwall.core.types import (
    AuditMode,
    Capability,
    CapabilityId,
    InvocationContext,
    PrincipalKind,
    Tier,
)
from shieldwall.protect.brand_feed import (
    MAX_FEED_BYTES,
    FeedScreen,
    FeedState,
    FeedStates,
    etag_matches,
    feed_document,
    fetch_feed,
    hub_address,
    parse_feed,
    registry_digest,
)
from shieldwall.protect.brands import (
    BrandEntry,
    BrandRegistry,
    BrandStore,
    DomainError,
    DomainKind,
    bundled_entries,
    normalize_domain,
    parse_brand_csv,
)
from shieldwall.protect.checkup import Answer, checkup_plan
from shieldwall.protect.email import MAX_EMAIL_BYTES, check_email
from shieldwall.protect.live import LiveChecker
from shieldwall.protect.message import MAX_MESSAGE_CHARS, check_message
from shieldwall.protect.password import (
    MAX_PASSWORD_CHARS,
    HttpRangeSource,
    OfflineRangeStore,
    RangeSource,
    check_password,
    import_pwned_file,
)
from shieldwall.protect.textmodel import bundled_model
from shieldwall.protect.url import MAX_URL_CHARS, check_url

MAX_CSV_CHARS = 5 << 20


class ProtectSettings(BaseSettings):
    """``SHIELDWALL_PROTECT_*`` settings, read when the composition root asks for them."""

    model_config = SettingsConfigDict(env_prefix="SHIELDWALL_PROTECT_", extra="ignore")

    range_api_url: str | None = Field(
        default=None,
        description="Base URL of an HIBP-compatible range API, e.g. "
        "https://api.pwnedpasswords.com (requests go to {url}/range/{prefix}). Unset: offline "
        "store only.",
    )
    range_timeout_s: float = Field(default=10.0, gt=0, le=120)
    dns_nameservers: list[str] | None = Field(
        default=None,
        description="DNS servers (IP addresses) for live SPF/DMARC checks of e-mail senders. "
        "Unset: the system's resolver.",
    )
    dns_port: int = Field(default=53, gt=0, lt=65536)
    dns_timeout_s: float = Field(default=5.0, gt=0, le=60)
    trusted_networks: list[str] = Field(
        default_factory=list,
        description="Your own mail relays (CIDRs), skipped when finding the server that handed "
        "a message to your mail system; private and loopback ranges always are.",
    )
    live_for_remote: bool = Field(
        default=False,
        description="Let API and web callers ask for live SPF/DMARC checks (DNS lookups made by "
        "this server). Off: only the local owner (the CLI) may.",
    )
    hub_timeout_s: float = Field(
        default=30.0, gt=0, le=300, description="Deadline of each request to a hub's brand feed."
    )


class UrlRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(min_length=1, max_length=MAX_URL_CHARS)


class MessageRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=MAX_MESSAGE_CHARS)
    sender: str | None = Field(default=None, max_length=320)


class EmailRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    raw: str = Field(
        min_length=1,
        max_length=MAX_EMAIL_BYTES,
        description="The whole message as saved in a .eml file (headers and body).",
    )
    live: bool = Field(
        default=False,
        description="Also check the sender's SPF and DMARC records over DNS (never fetches "
        "anything the message links to).",
    )


class PasswordRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    password: SecretStr = Field(min_length=1, max_length=MAX_PASSWORD_CHARS)
    source: Literal["auto", "api", "offline", "none"] = Field(
        default="auto",
        description="auto: the offline store if one was imported, else the range API if "
        "configured, else strength only.",
    )
    offline_store: str | None = Field(
        default=None, max_length=4096, description="A range store directory (local use only)."
    )


class PasswordImportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    path: str = Field(min_length=1, max_length=4096)


class RangeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    prefix: str = Field(pattern=r"^[0-9A-Fa-f]{5}$")


class CheckupRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mfa: Answer | None = None
    breached: Answer | None = None
    password_manager: Answer | None = None
    updates: Answer | None = None
    recovery: Answer | None = None
    device_lock: Answer | None = None
    backups: Answer | None = None


class BrandsListRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: DomainKind | None = None
    source: str | None = Field(
        default=None,
        pattern=r"^(bundled|org|hub|hub:\S{1,60})$",
        description="bundled, org, hub (every hub) or one hub's source, hub:<host>.",
    )


class BrandsImportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    csv: str = Field(min_length=1, max_length=MAX_CSV_CHARS)
    source: str = Field(default="upload.csv", min_length=1, max_length=255)


class BrandsRemoveRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    domain: str = Field(min_length=1, max_length=300)
    brand: str | None = Field(default=None, min_length=1, max_length=200)
    kind: DomainKind | None = None


class BrandFeedRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    if_none_match: str | None = Field(default=None, max_length=2000)


class BrandsSyncRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(
        min_length=1,
        max_length=2000,
        description="The hub: https://, or http:// to this machine; its base URL or the feed's.",
    )
    key: SecretStr | None = Field(default=None, max_length=500, description="The hub's API key.")


class _Registries:
    """The bundled registry plus the organisation's rows, rebuilt only when those change."""

    def __init__(self, store: BrandStore) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._key: tuple[BrandEntry, ...] | None = None
        self._registry: BrandRegistry | None = None

    def get(self) -> BrandRegistry:
        org = tuple(self._store.entries())
        with self._lock:
            if self._registry is None or org != self._key:
                self._registry = BrandRegistry([*bundled_entries(), *org])
                self._key = org
            return self._registry


def _local_only(ctx: InvocationContext, what: str) -> None:
    if ctx.principal.kind is not PrincipalKind.OWNER:
        raise DeniedError(
            f"{what} names a path on this machine, which only its local owner may do",
            code="protect.local_only",
            hint="Run it with the `shieldwall` command on the machine itself.",
        )


def protect_capabilities(
    *,
    engine: Engine,
    data_dir: Path,
    settings: ProtectSettings | None = None,
    range_transport: httpx.BaseTransport | None = None,
    clock: Clock | None = None,
) -> list[Capability[Any]]:
    """The protect capabilities over one data directory (``data_dir`` holds the offline breach
    range store) and one database (the organisation's brands)."""
    conf = settings if settings is not None else ProtectSettings()
    store = BrandStore(engine, clock=clock)
    registries = _Registries(store)
    default_store = OfflineRangeStore(data_dir / "pwned-ranges")
    feed_states = FeedStates(data_dir / "brand-feeds.json")

    def range_source(req: PasswordRequest, ctx: InvocationContext) -> RangeSource | None:
        if req.offline_store:
            _local_only(ctx, "--offline-store")
            chosen = OfflineRangeStore(Path(req.offline_store))
            chosen.manifest()  # a clear error if it is not a store
            return chosen
        api = (
            HttpRangeSource(
                conf.range_api_url, timeout_s=conf.range_timeout_s, transport=range_transport
            )
            if conf.range_api_url
            else None
        )
        match req.source:
            case "none":
                return None
            case "offline":
                default_store.manifest()
                return default_store
            case "api":
                if api is None:
                    raise InputError(
                        "no breach range API is configured",
                        code="protect.password.no_api",
                        hint="Set SHIELDWALL_PROTECT_RANGE_API_URL.",
                    )
                return api
            case "auto":
                return default_store if default_store.exists() else api

    def url(req: UrlRequest, _ctx: InvocationContext) -> dict[str, Any]:
        return check_url(req.url, registry=registries.get()).to_json()

    def message(req: MessageRequest, _ctx: InvocationContext) -> dict[str, Any]:
        return check_message(
            req.text, registry=registries.get(), sender=req.sender, model=bundled_model("sms")
        ).to_json()

    live_checker: list[LiveChecker] = []

    def live(ctx: InvocationContext) -> LiveChecker:
        if ctx.principal.kind is not PrincipalKind.OWNER and not conf.live_for_remote:
            raise DeniedError(
                "live sender checks make this server query DNS, which its operator has not "
                "allowed for remote callers",
                code="protect.live.remote",
                hint="Check without 'live', or run `shieldwall protect email FILE --live` on "
                "your own computer (operators: SHIELDWALL_PROTECT_LIVE_FOR_REMOTE=true).",
            )
        if not live_checker:
            live_checker.append(
                LiveChecker(
                    nameservers=conf.dns_nameservers,
                    port=conf.dns_port,
                    timeout_s=conf.dns_timeout_s,
                    trusted=conf.trusted_networks,
                )
            )
        return live_checker[0]

    def email(req: EmailRequest, ctx: InvocationContext) -> dict[str, Any]:
        return check_email(
            req.raw,
            registry=registries.get(),
            model=bundled_model(),
            live=live(ctx) if req.live else None,
        ).to_json()

    def password(req: PasswordRequest, ctx: InvocationContext) -> dict[str, Any]:
        return check_password(
            req.password.get_secret_value(), source=range_source(req, ctx)
        ).to_json()

    def password_range(req: RangeRequest, _ctx: InvocationContext) -> dict[str, Any]:
        if not default_store.exists():
            raise InputError(
                "this server has no offline breach range store",
                code="protect.password.no_store",
                hint="Its operator builds one with `shieldwall protect password import FILE`.",
            )
        return {"prefix": req.prefix.upper(), "body": default_store.serve(req.prefix.upper())}

    def password_import(req: PasswordImportRequest, ctx: InvocationContext) -> dict[str, Any]:
        _local_only(ctx, "protect.password.import")
        path = Path(req.path)
        try:
            with path.open(encoding="utf-8", errors="strict", newline="") as fh:
                report = import_pwned_file(fh, default_store.root, source=path.name)
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(
                f"cannot read {path}: {exc}", code="input.unreadable", location=str(path)
            ) from exc
        return {"hashes": report.hashes, "prefixes": report.prefixes, "store": str(report.store)}

    def checkup(req: CheckupRequest, _ctx: InvocationContext) -> dict[str, Any]:
        return checkup_plan(req.model_dump())

    def brands_list(req: BrandsListRequest, _ctx: InvocationContext) -> dict[str, Any]:
        registry = registries.get()
        rows = [
            e.to_json()
            for e in registry.entries
            if (req.kind is None or e.kind is req.kind)
            and (
                req.source is None
                or e.source == req.source
                or (req.source == "hub" and e.source.startswith("hub:"))
            )
        ]
        return {"count": len(rows), "entries": rows}

    def brands_remove(req: BrandsRemoveRequest, _ctx: InvocationContext) -> dict[str, Any]:
        try:
            domain = normalize_domain(req.domain)
        except DomainError as exc:
            raise InputError(str(exc), code="protect.brands.bad_domain", location="domain") from exc
        removed = store.remove(domain, brand=req.brand, kind=req.kind)
        if not removed:
            raise NotFoundError(
                f"your organisation registered no entry for {domain}"
                + (f" under {req.brand!r}" if req.brand else ""),
                code="protect.brands.not_found",
                hint="`shieldwall protect brands list --source org` shows them; entries pulled "
                "from a hub go when the hub removes them.",
            )
        return {"domain": domain, "removed": removed}

    def brands_feed(req: BrandFeedRequest, ctx: InvocationContext) -> dict[str, Any]:
        own = [e for e in store.entries() if e.source == "org"]
        doc = feed_document(own, generated_at=ctx.now)
        same = etag_matches(req.if_none_match, doc["version"])
        out = {"not_modified": same, "version": doc["version"], "count": doc["count"]}
        return out if same else {**out, "feed": doc}

    def brands_sync(req: BrandsSyncRequest, ctx: InvocationContext) -> dict[str, Any]:
        _local_only(ctx, "protect.brands.sync")
        hub = hub_address(req.url)
        rows = store.entries()
        protected = [*bundled_entries(), *(e for e in rows if e.source == "org")]
        # What the hub's entries were judged against: anything else changing re-judges them.
        context = registry_digest(
            [*bundled_entries(), *(e for e in rows if e.source != hub.source)]
        )
        stored = sum(1 for e in rows if e.source == hub.source)
        last = feed_states.get(hub.source)
        fresh = last is not None and (last.url, last.screened_with, last.stored) == (
            hub.url,
            context,
            stored,
        )
        etag = last.version if last is not None and fresh else None
        key = req.key.get_secret_value() if req.key is not None else None
        body = fetch_feed(
            hub, key=key, etag=etag, timeout_s=conf.hub_timeout_s, max_bytes=MAX_FEED_BYTES
        )
        out: dict[str, Any] = {"source": hub.source, "url": hub.url}
        if body is None:
            return {
                **out,
                "status": "not_modified",
                "version": etag,
                "received": 0,
                "accepted": stored,
                "added": 0,
                "removed": 0,
                "stored": stored,
                "rejected": [],
            }
        feed = parse_feed(body)
        screened = FeedScreen(BrandRegistry(protected), source=hub.source).screen(feed.entries)
        added, removed = store.replace_source(hub.source, screened.accepted)
        now_stored = store.count(hub.source)
        feed_states.put(
            hub.source,
            FeedState(
                url=hub.url,
                version=feed.version,
                screened_with=context,
                stored=now_stored,
                synced_at=ctx.now.isoformat(),
            ),
        )
        return {
            **out,
            "status": "updated" if added or removed else "unchanged",
            "version": feed.version,
            "generated_at": feed.generated_at,
            "received": len(feed.entries),
            "accepted": len(screened.accepted),
            "added": added,
            "removed": removed,
            "stored": now_stored,
            "rejected": [r.to_json() for r in screened.rejected],
        }

    def brands_import(req: BrandsImportRequest, ctx: InvocationContext) -> dict[str, Any]:
        entries = parse_brand_csv(req.csv, source=req.source)
        added = store.add(entries, added_by=ctx.principal.id)
        return {"rows": len(entries), "added": added}

    def public(
        cid: str, description: str, model: type[BaseModel], handler: Any, **kw: Any
    ) -> Capability[Any]:
        return Capability(
            id=CapabilityId(cid),
            description=description,
            min_tier=Tier.PUBLIC,
            input_model=model,
            handler=handler,
            **kw,
        )

    return [
        public("protect.url", "Check a link without opening it.", UrlRequest, url),
        public(
            "protect.message",
            "Check a text or chat message (and its links) for scam signs.",
            MessageRequest,
            message,
        ),
        public(
            "protect.email",
            "Check an e-mail (raw .eml): sender, authentication, links, attachments, wording; "
            "with live, the sender's SPF and DMARC over DNS.",
            EmailRequest,
            email,
        ),
        public(
            "protect.password",
            "Check a password against breach data (k-anonymity) and estimate its strength.",
            PasswordRequest,
            password,
            touches_external=True,
        ),
        public(
            "protect.password.range",
            "One k-anonymity range (HIBP format, padded) from this server's offline store.",
            RangeRequest,
            password_range,
            audit=AuditMode.REFUSALS,
        ),
        public(
            "protect.checkup",
            "A prioritized security plan from a short questionnaire.",
            CheckupRequest,
            checkup,
        ),
        public(
            "protect.brands.list",
            "The brand registry: official domains, shorteners and free-mail providers.",
            BrandsListRequest,
            brands_list,
        ),
        Capability(
            id=CapabilityId("protect.brands.import"),
            description="Register an organisation's brands and domains (CSV brand,domain[,kind]).",
            min_tier=Tier.VERIFIED_ORG,
            input_model=BrandsImportRequest,
            handler=brands_import,
            writes=True,
        ),
        Capability(
            id=CapabilityId("protect.brands.remove"),
            description="Remove an organisation's brand entries for a domain.",
            min_tier=Tier.VERIFIED_ORG,
            input_model=BrandsRemoveRequest,
            handler=brands_remove,
            writes=True,
        ),
        Capability(
            id=CapabilityId("protect.brands.feed"),
            description="This hub's own registered brands, as a versioned feed its members "
            "pull (If-None-Match: 304 when unchanged).",
            min_tier=Tier.VERIFIED_INDIVIDUAL,
            input_model=BrandFeedRequest,
            handler=brands_feed,
        ),
        Capability(
            id=CapabilityId("protect.brands.sync"),
            description="Pull a hub's brand feed: its entries replace that hub's previous ones; "
            "look-alikes of bundled or own brands are rejected.",
            min_tier=Tier.VERIFIED_ORG,
            input_model=BrandsSyncRequest,
            handler=brands_sync,
            writes=True,
            touches_external=True,
            secret_fields=("key",),
        ),
        Capability(
            id=CapabilityId("protect.password.import"),
            description="Build the offline breach range store from a Pwned Passwords file.",
            min_tier=Tier.VERIFIED_ORG,
            input_model=PasswordImportRequest,
            handler=password_import,
            writes=True,
        ),
    ]
