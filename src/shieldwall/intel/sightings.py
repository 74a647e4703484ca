"""Sightings: a detection that matched a shared indicator becomes a STIX 2.1 sighting, and each
indicator counts its sightings.

A sighting lives in the indicator's collection and is marked at the indicator's TLP (a
sighting never travels wider than what it sighted); it is read under the same rule as the
collection's objects. A sighting id given by the caller makes recording idempotent (a
detection pipeline that retries does not count twice).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, exc, func, insert, or_, select

from shieldwall.core.clock import Clock, SystemClock
from shieldwall.core.errors import InputError, NotFoundError
from shieldwall.core.types import Principal, PrincipalKind
from shieldwall.intel.store import Collection, IntelStore, version_string
from shieldwall.intel.tlp import TLP2_IDS, Tlp, verified
from shieldwall.intel.validate import parse_timestamp
from shieldwall.store.schema import intel_object, intel_sighting

_TLP_ID = {level: mid for mid, level in TLP2_IDS.items()}


@dataclass(frozen=True, slots=True, kw_only=True)
class Tally:
    indicator_id: str
    count: int
    sightings: int
    first_seen: str | None
    last_seen: str | None


class Sightings:
    def __init__(self, engine: Engine, store: IntelStore, *, clock: Clock | None = None) -> None:
        self._engine = engine
        self._store = store
        self._clock = clock or SystemClock()

    def _indicator(self, indicator_id: str, reader: Principal) -> tuple[Collection, int]:
        """The collection of the newest version of this indicator the reader may see, and
        its TLP; NotFoundError otherwise (whether it exists elsewhere is not told)."""
        o = intel_object.c
        for coll in self._store.collections():
            levels = coll.levels_for(reader)
            if coll.tlp not in levels:
                continue
            visible = self._store._visible(levels, reader)
            conds = [
                o.collection_id == coll.id,
                o.object_id == indicator_id.lower(),
                o.type == "indicator",
            ]
            if visible is not None:
                conds.append(visible)
            with self._engine.connect() as conn:
                tlp = conn.execute(
                    select(o.tlp).where(*conds).order_by(o.modified_us.desc()).limit(1)
                ).scalar()
            if tlp is not None:
                return coll, int(tlp)
        raise NotFoundError(f"no indicator {indicator_id!r}", code="intel.no_indicator")

    def record(
        self,
        *,
        indicator_id: str,
        count: int,
        first_seen: str,
        last_seen: str,
        by: Principal,
        sighting_id: str | None = None,
        description: str = "",
    ) -> dict[str, Any]:
        if by.kind is PrincipalKind.ANONYMOUS:
            raise NotFoundError(f"no indicator {indicator_id!r}", code="intel.no_indicator")
        first = parse_timestamp(first_seen, location="first_seen")
        last = parse_timestamp(last_seen, location="last_seen")
        if last < first:
            raise InputError(
                "last_seen is earlier than first_seen",
                code="intel.bad_sighting",
                location="last_seen",
            )
        coll, tlp = self._indicator(indicator_id, by)
        sid = sighting_id or f"sighting--{uuid.uuid4()}"
        if not sid.startswith("sighting--"):
            raise InputError("a sighting id reads sighting--<uuid>", code="intel.bad_sighting")
        try:
            uuid.UUID(sid.removeprefix("sighting--"))
        except ValueError as err:
            raise InputError(
                "a sighting id reads sighting--<uuid>", code="intel.bad_sighting"
            ) from err
        now = version_string(int(self._clock.now().timestamp() * 1_000_000) // 1000 * 1000)
        body: dict[str, Any] = {
            "type": "sighting",
            "spec_version": "2.1",
            "id": sid,
            "created": now,
            "modified": now,
            "sighting_of_ref": indicator_id.lower(),
            "count": count,
            "first_seen": first_seen,
            "last_seen": last_seen,
            "object_marking_refs": [_TLP_ID[Tlp(tlp)]],
        }
        if description:
            body["description"] = description
        try:
            with self._engine.begin() as conn:
                conn.execute(
                    insert(intel_sighting).values(
                        id=sid,
                        collection_id=coll.id,
                        indicator_id=indicator_id.lower(),
                        count=count,
                        first_seen_us=first,
                        last_seen_us=last,
                        created_by=by.id,
                        tlp=tlp,
                        raw=json.dumps(body, separators=(",", ":")),
                    )
                )
        except exc.IntegrityError:
            with self._engine.connect() as conn:
                raw = conn.execute(
                    select(intel_sighting.c.raw).where(
                        intel_sighting.c.id == sid, intel_sighting.c.created_by == by.id
                    )
                ).scalar()
            if raw is None:
                raise InputError(
                    f"the sighting id {sid} is taken", code="intel.sighting_taken"
                ) from None
            stored: dict[str, Any] = json.loads(raw)
            return stored
        return body

    def tally(self, indicator_id: str, *, reader: Principal) -> Tally:
        """How often the indicator was sighted, over the sightings the reader may see."""
        coll, _ = self._indicator(indicator_id, reader)
        s = intel_sighting.c
        levels = coll.levels_for(reader)
        clauses: list[ColumnElement[bool]] = [s.tlp.in_(sorted(int(t) for t in levels))]
        if verified(reader):
            clauses.append(and_(s.created_by == reader.id, s.tlp == int(Tlp.RED)))
        visible = or_(*clauses)
        with self._engine.connect() as conn:
            row = conn.execute(
                select(
                    func.coalesce(func.sum(s.count), 0),
                    func.count(),
                    func.min(s.first_seen_us),
                    func.max(s.last_seen_us),
                ).where(s.collection_id == coll.id, s.indicator_id == indicator_id.lower(), visible)
            ).one()
        total, n, first, last = row
        return Tally(
            indicator_id=indicator_id.lower(),
            count=int(total),
            sightings=int(n),
            first_seen=version_string(first) if first is not None else None,
            last_seen=version_string(last) if last is not None else None,
        )
