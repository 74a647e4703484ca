"""Peer sync: pull a collection from another TAXII 2.1 server into a local collection.

A pull asks for ``added_after`` the last ``X-TAXII-Date-Added-Last`` the peer sent, minus one
tick of the precision the peer writes dates in (a second, a millisecond, a microsecond): a peer
may later add objects that share that date, and ``added_after`` is exclusive. It follows
``next`` until ``more`` is false. Re-fetched objects are versions the store
already has, which it skips: a pull is idempotent, and an interrupted pull loses nothing (the
state moves only after a page is stored). Only an allowed peer (``intel.peers``) is pulled
from; a push, the other direction, is ``intel.push``, and keeps its state in the same table.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
from sqlalchemy import Engine, select, update
from sqlalchemy import insert as sql_insert

from shieldwall.core.clock import Clock, SystemClock
from shieldwall.core.errors import InputError, ProviderError
from shieldwall.core.types import Principal
from shieldwall.intel.store import Collection, IntelStore
from shieldwall.intel.validate import format_timestamp, parse_timestamp
from shieldwall.store.schema import intel_sync

TAXII = "application/taxii+json;version=2.1"
MAX_PAGES = 100_000


@dataclass(frozen=True, slots=True, kw_only=True)
class PullResult:
    pages: int
    received: int
    stored_new: int
    rejected: int
    added_after: str | None


class TaxiiPeer:
    """A TAXII 2.1 client for one API root (Bearer key or HTTP Basic)."""

    def __init__(
        self,
        api_root: str,
        *,
        token: str | None = None,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        parts = urlsplit(api_root)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InputError(
                f"{api_root!r} is not an http(s) URL of a TAXII API root",
                code="intel.bad_peer",
                hint="e.g. https://hub.example/taxii2/api/",
            )
        self.root = api_root.rstrip("/") + "/"
        headers = {"Accept": TAXII}
        auth: httpx.Auth | None = None
        if token:
            headers["Authorization"] = f"Bearer {token}"
        elif username is not None and password is not None:
            auth = httpx.BasicAuth(username, password)
        self._http = httpx.Client(
            headers=headers,
            auth=auth,
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> TaxiiPeer:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _get(self, url: str, params: dict[str, str]) -> httpx.Response:
        try:
            response = self._http.get(url, params=params)
        except httpx.HTTPError as err:
            raise ProviderError(
                f"the peer {self.root} did not answer: {err}", code="intel.peer"
            ) from err
        if response.status_code != 200:
            raise ProviderError(
                f"the peer answered {response.status_code} for {url}: {response.text[:300]}",
                code="intel.peer",
            )
        return response

    def pages(
        self, collection: str, *, added_after: str | None, limit: int = 1000
    ) -> Iterator[tuple[list[Any], str | None]]:
        """(objects, X-TAXII-Date-Added-Last) per page, following ``next``."""
        url = f"{self.root}collections/{quote(collection, safe='')}/objects/"
        params: dict[str, str] = {"limit": str(limit)}
        if added_after:
            params["added_after"] = added_after
        for _ in range(MAX_PAGES):
            response = self._get(url, params)
            try:
                body = response.json()
            except ValueError as err:
                raise ProviderError(
                    "the peer sent a page that is not JSON", code="intel.peer"
                ) from err
            if not isinstance(body, dict):
                raise ProviderError(
                    "the peer sent a page that is not an envelope", code="intel.peer"
                )
            objects = body.get("objects", [])
            if not isinstance(objects, list):
                raise ProviderError("the peer's envelope has no objects list", code="intel.peer")
            yield objects, response.headers.get("X-TAXII-Date-Added-Last")
            nxt = body.get("next")
            if not body.get("more") or not isinstance(nxt, str) or not nxt:
                return
            params = {"limit": str(limit), "next": nxt}
            if added_after:
                params["added_after"] = added_after


def tick_us(stamp: str) -> int:
    """The resolution, in microseconds, of a timestamp as written (at least 1 µs)."""
    _, dot, frac = stamp.rstrip("Z").partition(".")
    digits = len(frac) if dot else 0
    tick: int = 10 ** max(0, 6 - digits)
    return tick


def sync_key(url: str, remote: str, local: str) -> str:
    return hashlib.sha256(f"{url}\n{remote}\n{local}".encode()).hexdigest()


class SyncState:
    def __init__(self, engine: Engine, *, clock: Clock | None = None) -> None:
        self._engine = engine
        self._clock = clock or SystemClock()

    def peers(self) -> list[dict[str, object]]:
        """Every pull and push this hub has made: peer URL, remote and local collection, the
        direction, and where it stands (the last date added seen or sent)."""
        c = intel_sync.c
        with self._engine.connect() as conn:
            rows = conn.execute(select(intel_sync).order_by(c.updated_at.desc())).all()
        return [
            {
                "url": r.url,
                "remote_collection": r.remote_collection,
                "local_collection": r.local_collection,
                "added_after": r.added_after,
                "direction": r.direction,
                "updated_at": r.updated_at.isoformat() if r.updated_at else None,
            }
            for r in rows
        ]

    def get(self, key: str) -> str | None:
        with self._engine.connect() as conn:
            value: str | None = conn.execute(
                select(intel_sync.c.added_after).where(intel_sync.c.id == key)
            ).scalar()
        return value

    def put(
        self,
        key: str,
        *,
        url: str,
        remote: str,
        local: str,
        added_after: str,
        direction: str = "pull",
    ) -> None:
        """Where a sync stands: for a pull, the peer's last date added; for a push
        (``direction="push"``), the last date added of ours that was sent."""
        values = {"added_after": added_after, "updated_at": self._clock.now()}
        with self._engine.begin() as conn:
            done = conn.execute(
                update(intel_sync).where(intel_sync.c.id == key).values(**values)
            ).rowcount
            if not done:
                conn.execute(
                    sql_insert(intel_sync).values(
                        id=key,
                        url=url,
                        remote_collection=remote,
                        local_collection=local,
                        direction=direction,
                        **values,
                    )
                )


def pull(
    store: IntelStore,
    state: SyncState,
    peer: TaxiiPeer,
    *,
    remote: str,
    into: Collection,
    by: Principal,
    page_size: int = 1000,
) -> PullResult:
    key = sync_key(peer.root, remote, into.id)
    saved = state.get(key)
    added_after = None
    if saved:
        added_after = format_timestamp(
            max(0, parse_timestamp(saved, location="added_after") - tick_us(saved))
        )
    pages = received = stored = rejected = 0
    newest = saved
    for objects, last in peer.pages(remote, added_after=added_after, limit=page_size):
        pages += 1
        received += len(objects)
        before = store.count(into)
        _, failures = store.add(into, objects, added_by=by)
        stored += store.count(into) - before
        rejected += len(failures)
        if last and (
            newest is None
            or parse_timestamp(last, location="X-TAXII-Date-Added-Last")
            > parse_timestamp(newest, location="added_after")
        ):
            newest = last
            state.put(key, url=peer.root, remote=remote, local=into.id, added_after=last)
    return PullResult(
        pages=pages, received=received, stored_new=stored, rejected=rejected, added_after=newest
    )
