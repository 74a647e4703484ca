"""Retro-hunt: when indicators arrive, look for them in the logs already stored, and say so.

``intel.retrohunt`` takes the indicators of a collection added after a point (by default, since
the last retro-hunt of that collection by the same principal), turns each STIX pattern into
plain observables, asks ``detect.hunt`` to look for them in the local event store **through the
door, as the principal who asked** (intel does not import detect: the door decides, records
and runs it), and records a STIX sighting for every indicator that was seen, with the count of
matching events and when the first and last happened.

What is hunted:

- only indicators the principal may read: the collection's objects are read through the store's
  TLP 2.0 filter for that principal (a TLP:RED indicator addressed to someone else is never
  turned into a search, nor into a sighting);
- only STIX patterns made of ``=`` (or ``IN``) comparisons joined by ``OR``, over
  ``ipv4-addr:value``, ``ipv6-addr:value``, ``domain-name:value``, ``url:value``,
  ``email-addr:value``, ``file:hashes.*``, ``file:name`` (and the same values reached through
  ``network-traffic:dst_ref`` / ``src_ref``, ``email-message:from_ref`` / ``sender_ref``,
  ``process:image_ref``, ``artifact:hashes``). ``AND``, ``FOLLOWEDBY``, ``NOT``, qualifiers
  (``WITHIN``, ``REPEATS``, ``START``) and other operators need more than one value to be seen
  together, which a search for values cannot tell: such an indicator is skipped, with the
  reason. In an ``OR``, comparisons on other objects are left out (a match of the others is
  still a match) and listed. Revoked indicators and other pattern languages are skipped.

Where it stands is kept per (principal, collection) in the sync state table
(:class:`~shieldwall.intel.sync.SyncState`, direction ``hunt``): the date added of the newest
indicator hunted, in this hub's clock. It moves only after the hunt and the sightings are done,
so a hunt that fails is tried again in full; a re-run with no new indicators hunts nothing.
A sighting's id is derived from the principal, the indicator and what was seen, so hunting the
same events twice (``--since`` an earlier point) does not count them twice.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine

from shieldwall.core.clock import Clock, SystemClock
from shieldwall.core.errors import InputError, InternalError
from shieldwall.core.ports import Door
from shieldwall.core.types import Capability, CapabilityId, InvocationContext, Principal, Tier
from shieldwall.intel.capabilities import readable
from shieldwall.intel.pattern import Comparison, parse_pattern, tokens
from shieldwall.intel.sightings import Sightings
from shieldwall.intel.store import (
    MAX_PAGE,
    Collection,
    Cursor,
    IntelStore,
    Query,
    format_timestamp,
    parse_timestamp,
)
from shieldwall.intel.sync import SyncState

#: ``detect.hunt`` takes this many observables a call (its own limit is 10,000).
HUNT_BATCH: Final = 5000
#: Listed in the result (the counts are always exact).
MAX_LISTED: Final = 1000
HUNT_DIRECTION: Final = "hunt"
_STATE_URL: Final = "shieldwall:retrohunt"
_SIGHTING_NS: Final = uuid.UUID("6f1d2a64-52c1-4f0e-9c43-6a1f0e7b9d21")

#: (object type, property path) -> the plain observable type ``detect.hunt`` knows.
_PATHS: Final[Mapping[tuple[str, tuple[str, ...]], str]] = {
    ("ipv4-addr", ("value",)): "ipv4-addr",
    ("ipv6-addr", ("value",)): "ipv6-addr",
    ("domain-name", ("value",)): "domain-name",
    ("url", ("value",)): "url",
    ("email-addr", ("value",)): "email-addr",
    ("file", ("name",)): "file-name",
    ("process", ("name",)): "file-name",  # STIX 2.0
    ("process", ("image_ref", "name")): "file-name",
    ("email-message", ("from_ref", "value")): "email-addr",
    ("email-message", ("sender_ref", "value")): "email-addr",
    ("network-traffic", ("dst_ref", "value")): "ip",
    ("network-traffic", ("src_ref", "value")): "ip",
}
#: Objects whose ``hashes.ALGO`` is a file's digest.
_HASHED: Final[Mapping[str, tuple[str, ...]]] = {
    "file": ("hashes",),
    "artifact": ("hashes",),
    "process": ("image_ref", "hashes"),
}
#: Tokens a huntable pattern may hold (brackets, names, text values, =, OR, IN lists).
_PLAIN_TOKENS: Final = frozenset(
    {"[", "]", "(", ")", "IDENT", ":", ".", "STRING", "=", "==", "OR", "IN", ",", "*", "INT"}
)
_WHY: Final[Mapping[str, str]] = {
    "AND": "it joins comparisons with AND (values seen together), which a search for single "
    "values cannot tell",
    "FOLLOWEDBY": "it is a sequence (FOLLOWEDBY)",
    "NOT": "it negates a comparison (NOT)",
    "START": "it has a time qualifier (START ... STOP)",
    "STOP": "it has a time qualifier (START ... STOP)",
    "WITHIN": "it has a qualifier (WITHIN)",
    "REPEATS": "it has a qualifier (REPEATS)",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    """What one indicator becomes: plain observables, or why it is not hunted (``reason``);
    ``left_out``: comparisons of an OR that are not hunted (on other objects)."""

    indicator: str
    observables: tuple[dict[str, str], ...] = ()
    reason: str | None = None
    left_out: tuple[str, ...] = ()


def plan(indicator: Mapping[str, Any]) -> Plan:
    """The plain observables of an indicator's STIX pattern (see the module docstring)."""
    iid = str(indicator.get("id", "")).lower()
    if indicator.get("revoked") is True:
        return Plan(indicator=iid, reason="it is revoked")
    kind = indicator.get("pattern_type", "stix")
    if kind != "stix":
        return Plan(indicator=iid, reason=f"its pattern is {kind}; only STIX patterns are hunted")
    pattern = indicator.get("pattern")
    if not isinstance(pattern, str):
        return Plan(indicator=iid, reason="it has no pattern (withheld, or missing)")
    try:
        comparisons = parse_pattern(pattern)
        lexed = tokens(pattern)
    except InputError as err:
        return Plan(indicator=iid, reason=f"its pattern does not parse: {err}")
    for kind, text in lexed:
        if kind in ("EOF", *_PLAIN_TOKENS):
            continue
        why = _WHY.get(kind) or f"it compares with {text!r}, not with '=' or IN"
        return Plan(indicator=iid, reason=why)
    observables: dict[tuple[str, str], dict[str, str]] = {}
    left_out: list[str] = []
    for c in comparisons:
        found = _observable(c)
        if found is None:
            left_out.append(f"{c.object_type}:{'.'.join(c.path)}")
            continue
        observables.setdefault((found["type"], found["value"]), found | {"ref": iid})
    if not observables:
        what = ", ".join(dict.fromkeys(left_out)) or "nothing"
        return Plan(indicator=iid, reason=f"no comparison is on a value detect can hunt ({what})")
    return Plan(
        indicator=iid,
        observables=tuple(observables.values()),
        left_out=tuple(dict.fromkeys(left_out)),
    )


def _observable(c: Comparison) -> dict[str, str] | None:
    if c.op not in ("=", "==", "IN") or c.negated or not c.value:
        return None
    kind = _PATHS.get((c.object_type, c.path))
    if kind == "ip":
        kind = "ipv6-addr" if ":" in c.value else "ipv4-addr"
    if kind is not None:
        return {"type": kind, "value": c.value}
    prefix = _HASHED.get(c.object_type)
    if prefix is not None and len(c.path) == len(prefix) + 1 and c.path[:-1] == prefix:
        return {"type": "file-hash", "value": c.value, "hash_algo": c.path[-1]}
    return None


@dataclass(slots=True, kw_only=True)
class _Seen:
    """One indicator's matches, over its observables (and over hunt batches); times in µs."""

    count: int = 0
    first: int | None = None
    last: int | None = None
    values: list[str] = field(default_factory=list)

    def add(self, obs: Mapping[str, Any]) -> None:
        self.count += int(obs["count"])
        self.values.append(f"{obs['type']} {obs['value']}")
        first, last = _micros(obs.get("first_seen")), _micros(obs.get("last_seen"))
        if first is not None:
            self.first = first if self.first is None else min(self.first, first)
        if last is not None:
            self.last = last if self.last is None else max(self.last, last)


def _micros(text: Any) -> int | None:
    """A time from detect (ISO 8601, ``Z``) in µs; None when there is none."""
    if not isinstance(text, str) or not text:
        return None
    try:
        return parse_timestamp(text.replace("+00:00", "Z"), location="first_seen")
    except InputError:
        return None


def state_key(principal: str, collection: str) -> str:
    return hashlib.sha256(f"retrohunt\n{principal}\n{collection}".encode()).hexdigest()


class RetrohuntRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    collection: str = Field(min_length=1, max_length=200, description="Its title or id.")
    since: str | None = Field(
        default=None,
        max_length=40,
        description="Indicators added after this time (RFC 3339, ...Z); default: since your "
        "last retro-hunt of this collection.",
    )
    all: bool = Field(default=False, description="Every indicator, whenever it was added.")
    level: str = Field(
        default="high",
        pattern=r"^(informational|low|medium|high|critical)$",
        description="The level of the alerts raised.",
    )


class Retrohunt:
    def __init__(self, engine: Engine, *, door: Door | None, clock: Clock | None = None) -> None:
        self._clock = clock or SystemClock()
        self.store = IntelStore(engine, clock=self._clock)
        self.sightings = Sightings(engine, self.store, clock=self._clock)
        self.state = SyncState(engine, clock=self._clock)
        self._door = door

    def indicators(
        self, coll: Collection, who: Principal, *, added_after_us: int | None
    ) -> Iterator[tuple[list[dict[str, Any]], int | None]]:
        """Pages of the newest version of each indicator ``who`` may read, added after the
        point, with each page's last date added."""
        query = Query(
            added_after_us=added_after_us, limit=MAX_PAGE, types=("indicator",), versions=("last",)
        )
        while True:
            page = self.store.page(coll, query, reader=who)
            yield page.objects, page.last_added_us
            if not page.more or page.next is None:
                return
            query = Query(
                added_after_us=added_after_us,
                after=Cursor.parse(page.next),
                limit=MAX_PAGE,
                types=("indicator",),
                versions=("last",),
            )

    def __call__(self, req: RetrohuntRequest, ctx: InvocationContext) -> dict[str, Any]:
        door = self._door
        if door is None:
            raise InternalError(
                "intel.retrohunt has no door to reach detect.hunt through",
                code="intel.retrohunt.no_door",
            )
        who = ctx.principal
        coll = readable(self.store, req.collection, who)
        key = state_key(who.id, coll.id)
        saved = self.state.get(key)
        if req.all:
            since_us = None
        elif req.since is not None:
            since_us = parse_timestamp(req.since, location="since")
        else:
            since_us = parse_timestamp(saved, location="since") if saved else None
        plans: list[Plan] = []
        newest = since_us
        read = 0
        for objects, last in self.indicators(coll, who, added_after_us=since_us):
            read += len(objects)
            plans.extend(plan(obj) for obj in objects)
            if last is not None and (newest is None or last > newest):
                newest = last
        observables = [o for p in plans for o in p.observables]
        hunts = [
            self._hunt(door, observables[i : i + HUNT_BATCH], req.level, who)
            for i in range(0, len(observables), HUNT_BATCH)
        ]
        seen: dict[str, _Seen] = {}
        not_huntable: list[dict[str, Any]] = []
        for result in hunts:
            for obs in result["observables"]:
                if obs["status"] == "hit":
                    seen.setdefault(obs["ref"], _Seen()).add(obs)
                elif obs["status"] == "not_huntable":
                    not_huntable.append(
                        {k: obs[k] for k in ("ref", "type", "value", "reason") if k in obs}
                    )
        now_us = int(ctx.now.timestamp() * 1_000_000)
        sighted = [self._sight(iid, s, who, now_us) for iid, s in sorted(seen.items())]
        watermark = saved
        if newest is not None and (
            saved is None or newest > parse_timestamp(saved, location="since")
        ):
            watermark = format_timestamp(newest)
            self.state.put(
                key,
                url=_STATE_URL,
                remote=who.id[:200],
                local=coll.id,
                added_after=watermark,
                direction=HUNT_DIRECTION,
            )
        skipped = [p for p in plans if p.reason is not None]
        partial = [p for p in plans if p.reason is None and p.left_out]
        return {
            "collection": {"id": coll.id, "title": coll.title},
            "since": format_timestamp(since_us) if since_us is not None else None,
            "watermark": watermark,
            "indicators": read,
            "hunted": sum(1 for p in plans if p.observables),
            "observables": len(observables),
            "skipped_count": len(skipped),
            "skipped": [{"indicator": p.indicator, "reason": p.reason} for p in skipped][
                :MAX_LISTED
            ],
            "partial": [{"indicator": p.indicator, "left_out": list(p.left_out)} for p in partial][
                :MAX_LISTED
            ],
            "not_huntable_count": len(not_huntable),
            "not_huntable": not_huntable[:MAX_LISTED],
            "hunt_runs": [h["run"]["id"] for h in hunts],
            "searched_runs": sorted({r for h in hunts for r in h["run"]["searched_runs"]}),
            "events_searched": max((h["run"]["events_searched"] for h in hunts), default=0),
            "incidents": sum(h["run"]["incidents"] for h in hunts),
            "sighted": sighted,
        }

    @staticmethod
    def _hunt(
        door: Door, observables: Sequence[Mapping[str, str]], level: str, who: Principal
    ) -> dict[str, Any]:
        done = door.invoke("detect.hunt", {"observables": list(observables), "level": level}, who)
        result: dict[str, Any] = done.result
        return result

    def _sight(self, indicator: str, seen: _Seen, who: Principal, now_us: int) -> dict[str, Any]:
        # events without a time (rare: a log line without a date) count as seen now
        first = format_timestamp(seen.first if seen.first is not None else now_us)
        last = format_timestamp(seen.last if seen.last is not None else now_us)
        sid = uuid.uuid5(_SIGHTING_NS, f"{who.id}\n{indicator}\n{seen.count}\n{first}\n{last}")
        body = self.sightings.record(
            indicator_id=indicator,
            count=seen.count,
            first_seen=first,
            last_seen=last,
            by=who,
            sighting_id=f"sighting--{sid}",
            description=f"Retro-hunt: {seen.count} stored event(s) matched "
            + "; ".join(sorted(set(seen.values))[:20]),
        )
        return {
            "indicator": indicator,
            "count": seen.count,
            "first_seen": first,
            "last_seen": last,
            "sighting": body["id"],
            "values": sorted(set(seen.values)),
        }


def retrohunt_capabilities(
    *, engine: Engine, door: Door | None, clock: Clock | None = None
) -> list[Capability[Any]]:
    """``intel.retrohunt``, which reaches ``detect.hunt`` through ``door`` (``runtime.py``
    passes the gateway, as it does to the agent)."""
    return [
        Capability(
            id=CapabilityId("intel.retrohunt"),
            description="Hunt for a collection's new indicators (those you may read) in your "
            "stored logs through detect.hunt; matches become incidents, and each indicator "
            "seen gets a STIX sighting. Default: since your last retro-hunt of it.",
            min_tier=Tier.VERIFIED_INDIVIDUAL,
            input_model=RetrohuntRequest,
            handler=Retrohunt(engine, door=door, clock=clock),
            writes=True,
        )
    ]
