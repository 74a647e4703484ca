"""Push: send a local collection's new objects to a collection of an allowed peer.

What leaves, page by page in our date-added order (``date_added`` is strictly increasing per
collection, so objects added in one request never share one and none is skipped):

1. every version the pushing principal may read past the watermark: our last date added
   already sent to this (peer, remote collection), kept in the sync state like a pull's;
2. less the objects above the peer's maximum TLP (and every AMBER+STRICT and RED object,
   whatever the peer's maximum), counted;
3. sanitized by the owning organisation's policy (``intel.sanitize``): internal values
   replaced or their objects withheld, references to anything held back removed, and the
   collection's TLP written on unmarked objects so that a re-share never widens it;
4. sent with taxii2-client's ``add_objects`` (one envelope per page), waiting on the status
   resource; each object the peer refused is reported with its message.

The watermark moves only after the peer answered for a page: an interrupted push loses
nothing and a second run sends nothing new (idempotent). Objects the peer refused are reported
and not retried (a rerun would meet the same refusal).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import quote

import requests
from sqlalchemy import Engine, func, select
from taxii2client.common import _HTTPConnection  # type: ignore[import-untyped]
from taxii2client.exceptions import TAXIIServiceException  # type: ignore[import-untyped]
from taxii2client.v21 import Collection as TaxiiCollection  # type: ignore[import-untyped]

from shieldwall.core.errors import InputError, ProviderError
from shieldwall.core.types import Principal
from shieldwall.intel.granular import redact
from shieldwall.intel.peers import Peer
from shieldwall.intel.sanitize import (
    Change,
    Rule,
    Sanitized,
    SanitizePolicy,
    object_tlp,
    refs_of,
    sanitize,
)
from shieldwall.intel.store import MAX_PAGE, Collection, Cursor, IntelStore, Query
from shieldwall.intel.sync import SyncState
from shieldwall.intel.tlp import Tlp
from shieldwall.intel.validate import format_timestamp, parse_timestamp
from shieldwall.store.schema import intel_object

MAX_REPORTED = 200  # failures and changes listed in a result (all are counted)


@dataclass(frozen=True, slots=True, kw_only=True)
class AddStatus:
    """What a peer's status resource says about one envelope."""

    status: str
    success_count: int
    failures: tuple[tuple[str, str], ...]  # (object id, the peer's message)
    pending_count: int


class Sink(Protocol):
    """Where pushed objects go (a TAXII collection; tests may give another)."""

    def add(self, objects: Sequence[Mapping[str, Any]]) -> AddStatus: ...


class _Session(requests.Session):
    """A requests session with a timeout on every request and no redirects: a push goes to
    the approved API root and nowhere a redirect points."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.max_redirects = 0
        self._timeout = timeout

    def request(
        self, method: str, url: str | bytes, *args: Any, **kwargs: Any
    ) -> requests.Response:
        kwargs.setdefault("timeout", self._timeout)
        return super().request(method, url, *args, **kwargs)


class TaxiiSink:
    """One collection of a TAXII 2.1 API root, written with taxii2-client (Bearer key or HTTP
    Basic); ``add`` posts an envelope and waits on the status resource up to ``wait``
    seconds."""

    def __init__(
        self,
        api_root: str,
        collection_id: str,
        *,
        token: str | None = None,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
        wait: float = 60.0,
        poll: float = 1.0,
    ) -> None:
        self.url = f"{api_root.rstrip('/')}/collections/{quote(collection_id, safe='')}/"
        conn = _HTTPConnection(version="2.1")
        conn.session.close()
        session = _Session(timeout)
        if token:
            session.headers["Authorization"] = f"Bearer {token}"
        elif username is not None and password is not None:
            session.auth = (username, password)
        conn.session = session
        self._conn = conn
        self._collection = TaxiiCollection(self.url, conn=conn)
        self._wait = wait
        self._poll = poll

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> TaxiiSink:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def add(self, objects: Sequence[Mapping[str, Any]]) -> AddStatus:
        try:
            status = self._collection.add_objects(
                {"objects": list(objects)},
                wait_for_completion=True,
                poll_interval=self._poll,
                timeout=self._wait,
            )
        except requests.HTTPError as err:
            code = err.response.status_code if err.response is not None else "?"
            text = err.response.text[:300] if err.response is not None else ""
            raise ProviderError(
                f"the peer answered {code} for {self.url}: {text}", code="intel.peer"
            ) from err
        except requests.TooManyRedirects as err:
            raise ProviderError(
                f"the peer redirected {self.url}; a push follows no redirect",
                code="intel.peer",
                hint="Allow the API root it redirects to as the peer's URL instead.",
            ) from err
        except (requests.RequestException, TAXIIServiceException, ValueError, KeyError) as err:
            raise ProviderError(f"the push to {self.url} failed: {err}", code="intel.peer") from err
        failures = tuple(
            (str(f.get("id", "?")), str(f.get("message", "")))
            for f in status.failures
            if isinstance(f, Mapping)
        )
        return AddStatus(
            status=str(status.status),
            success_count=int(status.success_count or 0),
            failures=failures,
            pending_count=int(status.pending_count or 0),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Outgoing:
    """What would leave for one page: the sanitized objects, and how many were above the
    recipient's TLP."""

    sanitized: Sanitized
    above_tlp: int


def _ceiling(max_tlp: Tlp | None) -> Tlp:
    """The most restrictive TLP that may leave the organisation at all (AMBER: never
    AMBER+STRICT or RED), lowered to the recipient's maximum."""
    return Tlp.AMBER if max_tlp is None else min(max_tlp, Tlp.AMBER)


def outgoing(
    store: IntelStore,
    collection: Collection,
    objects: Sequence[dict[str, Any]],
    policy: SanitizePolicy,
    *,
    reader: Principal,
    max_tlp: Tlp | None,
) -> Outgoing:
    """Filter ``objects`` (of ``collection``) by the recipient's TLP and sanitize them.

    ``max_tlp`` None: no recipient ceiling (an export for the reader themself): only the
    policy applies. References to objects outside ``objects`` are checked against the
    collection: a reference to something that would be held back is removed too."""
    ceiling = _ceiling(max_tlp) if max_tlp is not None else None
    above: set[str] = set()
    if ceiling is not None:
        # Granular TLP markings above the ceiling: the marked properties stay home (the
        # store's redaction for a reader cleared up to the ceiling), or the whole object
        # when it cannot lose them; then the object-level TLP decides.
        limit = ceiling
        served: list[dict[str, Any]] = []
        for o in objects:
            copy = redact(o, cleared=lambda level: level <= limit)
            if copy is None or object_tlp(o, default=collection.tlp) > limit:
                above.add(str(o.get("id", "")).lower())
            served.append(o if copy is None else copy)
        objects = served
    inside = {str(o.get("id", "")).lower() for o in objects}
    outside = sorted({ref for o in objects for _, ref in refs_of(o)} - inside)
    context: list[dict[str, Any]] = []
    for start in range(0, len(outside), 500):
        page = store.page(
            collection,
            Query(ids=tuple(outside[start : start + 500]), limit=MAX_PAGE, versions=("last",)),
            reader=reader,
        )
        context += page.objects
    held_outside: set[str] = set()
    if context:
        context_above = {
            str(o.get("id", "")).lower()
            for o in context
            if ceiling is not None and object_tlp(o, default=collection.tlp) > ceiling
        }
        held_outside = set(sanitize(context, policy, withheld=context_above).withheld)
    done = sanitize(objects, policy, explicit_tlp=collection.tlp, withheld=above | held_outside)
    bumped = sorted({c.object_id for c in done.changes if c.action == "new-version"})
    if bumped:  # a new version must not take the timestamp of one the collection holds
        known = _versions(store, collection, bumped, reader=reader)
        new = {
            (str(o["id"]).lower(), parse_timestamp(o["modified"], location="modified"))
            for o in done.objects
            if str(o.get("id", "")).lower() in known
        }
        if any(stamp in known[oid] for oid, stamp in new):
            done = sanitize(
                objects,
                policy,
                explicit_tlp=collection.tlp,
                withheld=above | held_outside,
                known_versions=known,
            )
    return Outgoing(sanitized=done, above_tlp=sum(1 for o in objects if _id(o) in above))


def _id(obj: Mapping[str, Any]) -> str:
    return str(obj.get("id", "")).lower()


def _versions(
    store: IntelStore, collection: Collection, ids: Sequence[str], *, reader: Principal
) -> dict[str, set[int]]:
    """Every version (``modified``, in microseconds) the reader sees of these objects."""
    found: dict[str, set[int]] = {}
    for start in range(0, len(ids), 500):
        chunk = tuple(ids[start : start + 500])
        after: Cursor | None = None
        while True:
            page = store.page(
                collection,
                Query(ids=chunk, limit=MAX_PAGE, versions=("all",), after=after),
                reader=reader,
            )
            for o in page.objects:
                if isinstance(o.get("modified"), str):
                    found.setdefault(_id(o), set()).add(
                        parse_timestamp(o["modified"], location="modified")
                    )
            if not page.more or page.next is None:
                break
            after = Cursor.parse(page.next)
    return found


@dataclass(slots=True, kw_only=True)
class PushResult:
    pages: int = 0
    read: int = 0  # object versions read past the watermark
    sent: int = 0
    accepted: int = 0
    failed: int = 0
    pending: int = 0
    above_tlp: int = 0
    withheld: int = 0  # by the sanitize policy, and what referred only to held-back objects
    changed: int = 0  # sent as a sanitized new version
    failures: list[tuple[str, str]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    watermark: str | None = None
    remaining: int = 0
    more: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "read": self.read,
            "sent": self.sent,
            "accepted": self.accepted,
            "failed": self.failed,
            "pending": self.pending,
            "above_tlp": self.above_tlp,
            "withheld": self.withheld,
            "changed": self.changed,
            "failures": [{"id": i, "message": m} for i, m in self.failures[:MAX_REPORTED]],
            "changes": [c.to_json() for c in self.changes[:MAX_REPORTED]],
            "changes_total": len(self.changes),
            "watermark": self.watermark,
            "remaining": self.remaining,
            "more": self.more,
        }


def push_key(url: str, remote: str, local: str) -> str:
    return hashlib.sha256(f"push\n{url}\n{remote}\n{local}".encode()).hexdigest()


def remaining(engine: Engine, collection: Collection, after_us: int | None, by: Principal) -> int:
    """About how many object versions past ``after_us`` a push by ``by`` still has to read
    (for a progress bar: by the TLP levels ``by`` reads in the collection)."""
    o = intel_object.c
    levels = sorted(int(t) for t in collection.levels_for(by))
    conds = [o.collection_id == collection.id, o.tlp.in_(levels)]
    if after_us is not None:
        conds.append(o.date_added_us > after_us)
    with engine.connect() as conn:
        n: int = conn.execute(
            select(func.count()).select_from(intel_object).where(*conds)
        ).scalar_one()
    return n


def push(
    store: IntelStore,
    state: SyncState,
    sink: Sink,
    *,
    peer: Peer,
    remote: str,
    collection: Collection,
    policy: SanitizePolicy,
    by: Principal,
    engine: Engine,
    page_size: int = 500,
    max_pages: int | None = None,
) -> PushResult:
    """Push what is new in ``collection`` to ``remote`` of ``peer`` (module doc)."""
    if not 1 <= page_size <= MAX_PAGE:
        raise InputError(f"page_size is 1 to {MAX_PAGE}", code="intel.bad_parameter")
    key = push_key(peer.api_root, remote, collection.id)
    saved = state.get(key)
    after_us = parse_timestamp(saved, location="watermark") if saved else None
    result = PushResult(watermark=saved)
    while max_pages is None or result.pages < max_pages:
        page = store.page(
            collection,
            Query(added_after_us=after_us, limit=page_size, versions=("all",)),
            reader=by,
        )
        if page.last_added_us is None:
            break
        result.pages += 1
        result.read += len(page.objects)
        out = outgoing(store, collection, page.objects, policy, reader=by, max_tlp=peer.max_tlp)
        done = out.sanitized
        result.above_tlp += out.above_tlp
        result.withheld += sum(
            1
            for c in done.changes
            if c.action == "withheld" and c.rule is not Rule.WITHHELD_BY_CALLER
        )
        result.changed += len(
            {(c.object_id, c.version) for c in done.changes if c.action == "new-version"}
        )
        result.changes += [c for c in done.changes if c.rule is not Rule.WITHHELD_BY_CALLER]
        if done.objects:
            status = sink.add(done.objects)
            result.sent += len(done.objects)
            result.accepted += status.success_count
            result.failed += len(status.failures)
            result.pending += status.pending_count
            result.failures += list(status.failures)
        after_us = page.last_added_us
        result.watermark = format_timestamp(after_us)
        state.put(
            key,
            url=peer.api_root,
            remote=remote,
            local=collection.id,
            added_after=result.watermark,
            direction="push",
        )
        result.more = page.more
        if not page.more:
            break
    result.remaining = remaining(engine, collection, after_us, by) if result.more else 0
    return result


def count_by_rule(changes: Iterable[Change]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for c in changes:
        counts[str(c.rule)] = counts.get(str(c.rule), 0) + 1
    return counts
