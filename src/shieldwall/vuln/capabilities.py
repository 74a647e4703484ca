"""The vuln capabilities (dependencies; code analysis registers its own).

``vuln.scan`` and ``vuln.fix`` take the manifests' text (and the files they include) in the
request and return JSON, so they need no filesystem access and tier 1 is enough: the CLI reads
and writes the files, the HTTP API takes an uploaded file. Every scan and fix plan is stored;
``vuln.scans.list`` and ``vuln.scans.get`` read them back, each principal its own.
``vuln.db.import`` reads local zip files, so it is tier 3 and refuses any principal but the
local owner; ``vuln.db.status`` is tier 1.

Advisories come from the local database, or from the OSV API when the request is not offline
and ``SHIELDWALL_OSV_URL`` is configured (the composition root passes it in).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine

from shieldwall.core.clock import Clock, IdFactory, RandomIds
from shieldwall.core.errors import DeniedError, InputError, ParseError
from shieldwall.core.types import Capability, CapabilityId, InvocationContext, PrincipalKind, Tier
from shieldwall.vuln.fix import fix_inventory
from shieldwall.vuln.history import ScanHistory
from shieldwall.vuln.inventory import MAX_FILE_BYTES, MAX_FILES, Inventory, parse_manifest
from shieldwall.vuln.osv import AdvisoryDB, AdvisorySource, scan_inventory
from shieldwall.vuln.osv_api import OsvApi


class ImportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    paths: list[str] = Field(min_length=1, max_length=50, description="OSV export zips.")


class StatusRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ScanRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    roots: list[str] = Field(
        min_length=1, max_length=MAX_FILES, description="The manifests to scan (keys of files)."
    )
    files: dict[str, str] = Field(
        min_length=1,
        max_length=MAX_FILES,
        description="File name -> text: the manifests and the files they include (-r/-c).",
    )
    offline: bool = Field(default=True, description="Use only the local advisory database.")


class FixRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    root: str = Field(min_length=1, max_length=4096, description="The manifest to fix.")
    files: dict[str, str] = Field(
        min_length=1,
        max_length=MAX_FILES,
        description="File name -> text: the manifest, the files it includes, and the "
        "pyproject.toml or package.json beside a lockfile.",
    )
    offline: bool = Field(default=True, description="Use only the local advisory database.")


class HistoryRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    limit: int = Field(default=50, ge=1, le=500)


class ShowRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1, max_length=64)


def merge_scans(results: list[dict[str, Any]], source: str) -> dict[str, Any]:
    """One scan result from several (one per manifest), in the same contract."""
    if len(results) == 1:
        return results[0]
    summary = {k: sum(r["summary"][k] for r in results) for k in results[0]["summary"]}
    out: dict[str, Any] = {
        "source": source,
        "format": "+".join(sorted({r.get("format", "") for r in results})),
        "advisories": results[0].get("advisories", ""),
        "dependencies": [d for r in results for d in r["dependencies"]],
        "errors": [e for r in results for e in r["errors"]],
        "warnings": sorted({w for r in results for w in r["warnings"]}),
        "summary": summary,
    }
    if "scanned_at" in results[0]:
        out["scanned_at"] = min(r["scanned_at"] for r in results)
    return out


def _check_sizes(files: dict[str, str]) -> None:
    for name, text in files.items():
        if len(text) > MAX_FILE_BYTES:
            raise InputError(f"{name} is too large", code="vuln.inventory.too_large")


class VulnService:
    def __init__(
        self,
        engine: Engine,
        *,
        clock: Clock,
        osv_url: str | None = None,
        ids: IdFactory | None = None,
    ) -> None:
        self.db = AdvisoryDB(engine, clock=clock)
        self.history = ScanHistory(engine, clock=clock, ids=ids or RandomIds())
        self._osv_url = osv_url
        self._api: OsvApi | None = None

    def source(self, *, offline: bool) -> AdvisorySource:
        if offline or not self._osv_url:
            return self.db
        if self._api is None:
            self._api = OsvApi(self._osv_url)
        return self._api

    def db_import(self, req: ImportRequest, ctx: InvocationContext) -> dict[str, Any]:
        if ctx.principal.kind is not PrincipalKind.OWNER:
            raise DeniedError(
                "vuln.db.import reads paths on this machine, which only its local owner may do",
                code="vuln.local_only",
                hint="Run it with the `shieldwall` command on the machine itself.",
            )
        return {"imports": [self.db.import_zip(Path(p)).to_json() for p in req.paths]}

    def db_status(self, _req: StatusRequest, _ctx: InvocationContext) -> dict[str, Any]:
        return {"ecosystems": self.db.status(), "osv_api": self._osv_url}

    def scan(self, req: ScanRequest, ctx: InvocationContext) -> dict[str, Any]:
        _check_sizes(req.files)
        source = self.source(offline=req.offline)
        results: list[dict[str, Any]] = []
        parse_errors: list[dict[str, Any]] = []
        for root in req.roots:
            try:
                inventory = parse_manifest(root, req.files)
            except ParseError as exc:
                if len(req.roots) == 1:
                    raise
                parse_errors.append(
                    {"code": exc.code, "message": exc.message, "location": exc.location or root}
                )
                continue
            results.append(scan_inventory(inventory, source))
        if not results:
            results.append(scan_inventory(Inventory(source=req.roots[0]), source))
        merged = merge_scans(results, ", ".join(req.roots))
        merged["errors"] = parse_errors + merged["errors"]
        merged["scanned_at"] = ctx.now.isoformat()
        merged["scan_id"] = self.history.record("scan", ctx.principal, merged)
        if not req.offline and not self._osv_url:
            merged["warnings"] = [
                "SHIELDWALL_OSV_URL is not set: the local advisory database was used",
                *merged["warnings"],
            ]
        return merged

    def fix(self, req: FixRequest, ctx: InvocationContext) -> dict[str, Any]:
        _check_sizes(req.files)
        result = fix_inventory(req.root, req.files, self.source(offline=req.offline))
        result["scan_id"] = self.history.record("fix", ctx.principal, result)
        return result

    def list_scans(self, req: HistoryRequest, ctx: InvocationContext) -> dict[str, Any]:
        return {"scans": self.history.list(ctx.principal, limit=req.limit)}

    def show_scan(self, req: ShowRequest, ctx: InvocationContext) -> dict[str, Any]:
        return self.history.get(ctx.principal, req.id)


def vuln_capabilities(
    *, engine: Engine, clock: Clock, osv_url: str | None = None
) -> list[Capability[Any]]:
    svc = VulnService(engine, clock=clock, osv_url=osv_url)
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
            description="Find known-vulnerable dependencies in manifests, lockfiles or SBOMs "
            "given as text, against the local OSV database (or the OSV API when configured).",
            min_tier=Tier.VERIFIED_INDIVIDUAL,
            input_model=ScanRequest,
            handler=svc.scan,
            touches_external=osv_url is not None,
        ),
        Capability(
            id=CapabilityId("vuln.fix"),
            description="Plan the smallest upgrade that clears every advisory of each "
            "vulnerable dependency and return the rewritten manifest or lockfile, its diff and "
            "a scan of the result.",
            min_tier=Tier.VERIFIED_INDIVIDUAL,
            input_model=FixRequest,
            handler=svc.fix,
            touches_external=osv_url is not None,
        ),
        Capability(
            id=CapabilityId("vuln.scans.list"),
            description="Your stored scans and fix plans, newest first.",
            min_tier=Tier.VERIFIED_INDIVIDUAL,
            input_model=HistoryRequest,
            handler=svc.list_scans,
        ),
        Capability(
            id=CapabilityId("vuln.scans.get"),
            description="One stored scan or fix plan of yours, with its full result.",
            min_tier=Tier.VERIFIED_INDIVIDUAL,
            input_model=ShowRequest,
            handler=svc.show_scan,
        ),
    ]
