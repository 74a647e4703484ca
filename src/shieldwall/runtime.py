"""The composition root shared by the CLI and the API: it alone chooses the adapters.

``open_runtime(settings)`` opens (and migrates) the store, loads or creates the ledger key,
registers every capability package's capabilities, and builds the one door with its controls.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine

from shieldwall.ai.agent.capabilities import agent_capabilities
from shieldwall.ai.factory import provider_from_settings
from shieldwall.core.clock import Clock, SystemClock
from shieldwall.core.settings import Settings
from shieldwall.core.types import Capability, Principal, Tier
from shieldwall.detect.capabilities import detect_capabilities
from shieldwall.detect.eventstore import eventstore_capabilities
from shieldwall.detect.results import results_capabilities
from shieldwall.gateway import ApiKeys, CapabilityRegistry, Gateway, Policy
from shieldwall.gateway.capabilities import GatewayServices, gateway_capabilities
from shieldwall.gateway.control import Approvals, KillSwitch, Quotas
from shieldwall.gateway.door import Controls
from shieldwall.gateway.identity import Identities
from shieldwall.gateway.mailer import Mailer, SmtpMailer
from shieldwall.gateway.ownership import AssetClaims, DnsPythonLookup, HttpxFetcher
from shieldwall.gateway.screening import LazyScreener
from shieldwall.gateway.screening_model import LinearScreener
from shieldwall.intel.capabilities import intel_capabilities
from shieldwall.intel.outbound import outbound_capabilities
from shieldwall.intel.retrohunt import retrohunt_capabilities
from shieldwall.ledger import Ledger, load_or_create_signer
from shieldwall.ledger.capabilities import ledger_capabilities
from shieldwall.protect.capabilities import protect_capabilities
from shieldwall.store import open_store
from shieldwall.vuln.capabilities import vuln_capabilities
from shieldwall.vuln.code.capabilities import vuln_code_capabilities


@dataclass(slots=True)
class Runtime:
    settings: Settings
    engine: Engine
    ledger: Ledger
    keys: ApiKeys
    identities: Identities
    assets: AssetClaims
    gateway: Gateway

    def close(self) -> None:
        self.ledger.close()
        self.engine.dispose()


def _mailer(settings: Settings) -> Mailer | None:
    if not settings.smtp_host:
        return None
    return SmtpMailer(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.smtp_from,
        starttls=settings.smtp_starttls,
        username=settings.smtp_username,
        password=settings.smtp_password,
    )


def open_runtime(settings: Settings, *, clock: Clock | None = None) -> Runtime:
    clock = clock or SystemClock()
    settings.home.mkdir(parents=True, exist_ok=True)
    engine = open_store(settings.resolved_database_url())
    signer = load_or_create_signer(settings.ledger_dir, settings.ledger_origin)
    ledger = Ledger(engine, signer, clock=clock)
    base_url = settings.public_url or f"http://{settings.host}:{settings.port}"
    identities = Identities(engine, clock=clock, mailer=_mailer(settings), base_url=base_url)

    def user_principal(user_id: str, ceiling: Tier) -> Principal:
        return identities.principal(user_id, ceiling=ceiling)

    def user_active(user_id: str) -> bool:
        return not identities.get_user(user_id).disabled

    keys = ApiKeys(engine, clock=clock, users=user_principal, user_active=user_active)
    policy = Policy.load(settings.policy_file) if settings.policy_file else Policy.default()
    approvals = Approvals(engine, clock=clock)
    killswitch = KillSwitch(engine, clock=clock)
    dns = DnsPythonLookup(
        settings.ownership_nameservers,
        port=settings.ownership_dns_port,
        timeout=settings.ownership_dns_timeout_s,
    )
    assets = AssetClaims(
        engine,
        ledger,
        txt_lookup=dns,
        fetcher=HttpxFetcher(resolver=dns, timeout=settings.ownership_http_timeout_s),
        admins=identities,
        clock=clock,
        recheck_ttl=timedelta(seconds=settings.ownership_recheck_ttl_s),
    )
    registry = CapabilityRegistry()
    screener = LazyScreener(LinearScreener.load)
    quotas = Quotas(policy.quotas, clock=clock)
    gateway = Gateway(
        registry=registry,
        policy=policy,
        recorder=ledger,
        directory=keys,
        screener=screener,
        clock=clock,
        controls=Controls(
            killswitch=killswitch,
            quotas=quotas,
            approvals=approvals,
            may_approve=identities.can_approve_for,
            scope=assets,
        ),
    )
    services = GatewayServices(
        registry=registry,
        gateway=gateway,
        keys=keys,
        identities=identities,
        approvals=approvals,
        killswitch=killswitch,
        ledger=ledger,
        screener=screener,
        assets=assets,
    )
    capabilities: list[Capability[Any]] = [
        *ledger_capabilities(ledger),
        *gateway_capabilities(services),
        *protect_capabilities(engine=engine, data_dir=settings.home / "protect", clock=clock),
        *detect_capabilities(
            clock=clock,
            home=settings.home,
            engine=engine,
            triage_provider=(
                None
                if settings.ai_provider == "local"
                else lambda: provider_from_settings(settings)
            ),
            rules_root=settings.detect_rules,
        ),
        *results_capabilities(engine, clock=clock),
        *eventstore_capabilities(settings.home),
        *vuln_capabilities(
            engine=engine, clock=clock, osv_url=os.environ.get("SHIELDWALL_OSV_URL") or None
        ),
        *vuln_code_capabilities(settings=settings, engine=engine, clock=clock),
        *intel_capabilities(engine=engine, clock=clock),
        *retrohunt_capabilities(engine=engine, door=gateway, clock=clock),
        *outbound_capabilities(engine=engine, directory=identities, clock=clock),
        *agent_capabilities(
            door=gateway,
            catalog=registry,
            settings=settings,
            clock=clock,
            budget=quotas,
        ),
    ]
    for cap in capabilities:
        registry.register(cap)
    return Runtime(
        settings=settings,
        engine=engine,
        ledger=ledger,
        keys=keys,
        identities=identities,
        assets=assets,
        gateway=gateway,
    )
