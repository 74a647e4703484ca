"""The vuln capabilities.

``vuln.scan`` takes the manifest's text (and the files it includes) in the request, so it needs
no filesystem access and tier 1 is enough; ``vuln.db.import`` reads local zip files, so it is
tier 3 and refuses any principal but the local owner; ``vuln.db.status`` is tier 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine

from shieldwall.core.clock import Clock
from shieldwall.core.errors import DeniedError, InputError
from shieldwall.core.types import Capability, CapabilityId, InvocationContext, PrincipalKind, Tier
from shieldwall.vuln.inventory import MAX_FILE_BYTES, MAX_FILES, parse_manifest
from shieldwall.vuln.osv import AdvisoryDB, scan_inventory


class ImportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    paths: list[str] = Field(min_length=1, max_length=50, description="OSV export zips.")


class StatusRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ScanRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    root: str = Field(min_length=1, max_length=4096, description="The manifest's file name.")
    files: dict[str, str] = Field(
        min_length=1,
        max_length=MAX_FILES,
        description="File name -> text: the manifest and the files it includes (-r/-c).",
    )
    offline: bool = Field(default=True, description="Use only the local advisory database.")


class VulnService:
    def __init__(self, engine: Engine, *, clock: Clock) -> None:
        self.db = AdvisoryDB(engine, clock=clock)

    def db_import(self, req: ImportRequest, ctx: InvocationContext) -> dict[str, Any]:
        if ctx.principal.kind is not PrincipalKind.OWNER:
            raise DeniedError(
                "vuln.db.import reads paths on this machine, which only its local owner may do",
                code="vuln.local_only",
                hint="Run it with the `shieldwall` command on the machine itself.",
            )
        return {"imports": [self.db.import_zip(Path(p)).to_json() for p in req.paths]}

    def db_status(self, _req: StatusRequest, _ctx: InvocationContext) -> dict[str, Any]:
        return {"ecosystems": self.db.status()}

    def scan(self, req: ScanRequest, _ctx: InvocationContext) -> dict[str, Any]:
        if not req.offline:
            raise InputError(
                "online lookups (the OSV API) are not available yet",
                code="vuln.scan.online",
                hint="Run with --offline against an imported database.",
            )
        for name, text in req.files.items():
            if len(text) > MAX_FILE_BYTES:
                raise InputError(f"{name} is too large", code="vuln.inventory.too_large")
        return scan_inventory(parse_manifest(req.root, req.files), self.db)


def vuln_capabilities(*, engine: Engine, clock: Clock) -> list[Capability[Any]]:
    svc = VulnService(engine, clock=clock)
    return [
        Capability(
            id=CapabilityId("vuln.db.import"),
            description="Import OSV per-ecosystem zip exports into the local advisory database "
            "(replacing that ecosystem's records). Tier 3: it reads local paths.",
            min_tier=Tier.VETTED_DEFENDER,
            input_model=ImportRequest,
            handler=svc.db_import,
            writes=True,
        ),
        Capability(
            id=CapabilityId("vuln.db.status"),
            description="Advisory counts per ecosystem and when each was imported.",
            min_tier=Tier.VERIFIED_INDIVIDUAL,
            input_model=StatusRequest,
            handler=svc.db_status,
        ),
        Capability(
            id=CapabilityId("vuln.scan"),
            description="Find known-vulnerable dependencies in a requirements file or "
            "package-lock.json given as text, against the local OSV database.",
            min_tier=Tier.VERIFIED_INDIVIDUAL,
            input_model=ScanRequest,
            handler=svc.scan,
        ),
    ]
