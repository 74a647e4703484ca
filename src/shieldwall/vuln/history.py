"""Stored scans and fix plans (table ``vuln_scan``): each run's result, readable later by the
principal who ran it (the local owner reads every one)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine, insert, select

from shieldwall.core.clock import Clock, IdFactory
from shieldwall.core.errors import NotFoundError
from shieldwall.core.types import Principal, PrincipalKind
from shieldwall.store.schema import vuln_scan

MAX_STORED_CHARS = 16 * 1024 * 1024


class ScanHistory:
    def __init__(self, engine: Engine, *, clock: Clock, ids: IdFactory) -> None:
        self._engine = engine
        self._clock = clock
        self._ids = ids

    def record(self, kind: str, principal: Principal, result: dict[str, Any]) -> str:
        """Store ``result`` (a scan or a fix plan); returns its id."""
        scan_id = self._ids.new_id("vs")[:32]
        summary = result.get("summary") or result.get("before") or {}
        text = json.dumps(result)
        if len(text) > MAX_STORED_CHARS:
            text = json.dumps({"truncated": True, "summary": summary})
        with self._engine.begin() as conn:
            conn.execute(
                insert(vuln_scan),
                {
                    "id": scan_id,
                    "owner": principal.id,
                    "owner_org": principal.org,
                    "kind": kind,
                    "source": str(result.get("source", ""))[:4000],
                    "advisories": str(result.get("advisories", "")),
                    "created_at": self._clock.now(),
                    "dependencies": int(summary.get("dependencies", 0)),
                    "vulnerable": int(summary.get("vulnerable", 0)),
                    "vulns": int(summary.get("vulns", 0)),
                    "errors": len(result.get("errors", [])),
                    "result": text,
                },
            )
        return scan_id

    def _visible(self, principal: Principal) -> Any:
        if principal.kind is PrincipalKind.OWNER:
            return vuln_scan.c.owner == vuln_scan.c.owner  # everything
        return vuln_scan.c.owner == principal.id

    def list(self, principal: Principal, *, limit: int = 50) -> list[dict[str, Any]]:
        cols = [c for c in vuln_scan.c if c.name != "result"]
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(*cols)
                .where(self._visible(principal))
                .order_by(vuln_scan.c.created_at.desc(), vuln_scan.c.id)
                .limit(limit)
            ).all()
        return [{**row._asdict(), "created_at": row.created_at.isoformat()} for row in rows]

    def get(self, principal: Principal, scan_id: str) -> dict[str, Any]:
        with self._engine.connect() as conn:
            row = conn.execute(
                select(vuln_scan).where(vuln_scan.c.id == scan_id, self._visible(principal))
            ).first()
        if row is None:
            raise NotFoundError(
                f"no stored scan {scan_id[:40]!r} of yours",
                code="vuln.scan.not_found",
                hint="List yours with `shieldwall vuln history`.",
            )
        return {
            "id": row.id,
            "kind": row.kind,
            "created_at": row.created_at.isoformat(),
            "result": json.loads(row.result),
        }
