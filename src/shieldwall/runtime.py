"""The composition root shared by the CLI and the API: it alone chooses the adapters.

``open_runtime(settings)`` opens (and migrates) the store, loads or creates the ledger key,
registers every capability package's capabilities, and builds the one door.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from shieldwall.core.clock import Clock, SystemClock
from shieldwall.core.settings import Settings
from shieldwall.gateway import ApiKeys, CapabilityRegistry, Gateway, Policy, gateway_capabilities
from shieldwall.ledger import Ledger, load_or_create_signer
from shieldwall.ledger.capabilities import ledger_capabilities
from shieldwall.store import open_store


@dataclass(slots=True)
class Runtime:
    settings: Settings
    engine: Engine
    ledger: Ledger
    keys: ApiKeys
    gateway: Gateway

    def close(self) -> None:
        self.ledger.close()
        self.engine.dispose()


def open_runtime(settings: Settings, *, clock: Clock | None = None) -> Runtime:
    clock = clock or SystemClock()
    settings.home.mkdir(parents=True, exist_ok=True)
    engine = open_store(settings.resolved_database_url())
    signer = load_or_create_signer(settings.ledger_dir, settings.ledger_origin)
    ledger = Ledger(engine, signer, clock=clock)
    keys = ApiKeys(engine, clock=clock)
    registry = CapabilityRegistry()
    for cap in [*ledger_capabilities(ledger), *gateway_capabilities(registry, keys)]:
        registry.register(cap)
    gateway = Gateway(
        registry=registry, policy=Policy.default(), recorder=ledger, directory=keys, clock=clock
    )
    return Runtime(settings=settings, engine=engine, ledger=ledger, keys=keys, gateway=gateway)
