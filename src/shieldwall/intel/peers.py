"""The peer allow-list: the only TAXII servers this hub pulls from or pushes to.

An operator (a hub admin) approves a peer by name and API root, with the directions allowed
(pull, push) and the most restrictive TLP a push may send it (CLEAR, GREEN or AMBER; GREEN
by default). TLP:AMBER+STRICT never leaves its owner organisation and TLP:RED never leaves
its named people, so neither is ever pushed. A pull or a push names a peer (or its API root)
and is refused unless the list allows that direction to exactly that root: intelligence goes
to, and comes from, only where an operator said.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from sqlalchemy import Engine, delete, exc, select, update
from sqlalchemy import insert as sql_insert

from shieldwall.core.clock import Clock, SystemClock
from shieldwall.core.errors import DeniedError, InputError
from shieldwall.intel.tlp import Tlp
from shieldwall.store.schema import intel_peer

Direction = Literal["pull", "push"]
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_.")


@dataclass(frozen=True, slots=True, kw_only=True)
class Peer:
    name: str
    api_root: str
    can_pull: bool
    can_push: bool
    max_tlp: Tlp
    added_by: str
    added_at: datetime

    def allows(self, direction: Direction) -> bool:
        return self.can_pull if direction == "pull" else self.can_push

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "api_root": self.api_root,
            "pull": self.can_pull,
            "push": self.can_push,
            "max_tlp": self.max_tlp.label,
            "added_by": self.added_by,
            "added_at": self.added_at.isoformat(),
        }


def normalize_api_root(url: str) -> str:
    """A TAXII API root as this list keeps it: scheme and host in lower case, no default
    port, a path that ends in ``/``; no credentials, query or fragment."""
    bad = InputError(
        f"{url!r} is not an http(s) URL of a TAXII API root",
        code="intel.bad_peer",
        hint="e.g. https://hub.example/taxii2/api/",
    )
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as err:
        raise bad from err
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise bad
    if parts.username is not None or parts.password is not None:
        raise InputError(
            "a peer's URL may not carry credentials",
            code="intel.bad_peer",
            hint="Give the key with --token-env, or --user and --password-env.",
        )
    if parts.query or parts.fragment:
        raise bad
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != (443 if scheme == "https" else 80):
        host = f"{host}:{port}"
    path = parts.path or "/"
    if not path.endswith("/"):
        path += "/"
    return f"{scheme}://{host}{path}"


def _row(r: Any) -> Peer:
    added = r.added_at if r.added_at.tzinfo else r.added_at.replace(tzinfo=UTC)
    return Peer(
        name=r.name,
        api_root=r.api_root,
        can_pull=bool(r.can_pull),
        can_push=bool(r.can_push),
        max_tlp=Tlp(r.max_tlp),
        added_by=r.added_by,
        added_at=added,
    )


class Peers:
    def __init__(self, engine: Engine, *, clock: Clock | None = None) -> None:
        self._engine = engine
        self._clock = clock or SystemClock()

    def add(
        self,
        *,
        name: str,
        url: str,
        pull: bool,
        push: bool,
        max_tlp: Tlp = Tlp.GREEN,
        by: str,
    ) -> Peer:
        """Allow a peer (or change what an allowed one may do: same name)."""
        name = name.strip().lower()
        if not name or len(name) > 64 or not set(name) <= _NAME_CHARS:
            raise InputError(
                f"{name!r} is not a peer name (1 to 64 of a-z, 0-9, '-', '_', '.')",
                code="intel.bad_peer",
            )
        if not pull and not push:
            raise InputError(
                "a peer needs at least one direction", code="intel.bad_peer", hint="--pull, --push"
            )
        if max_tlp > Tlp.AMBER:
            raise InputError(
                f"TLP:{max_tlp.label.upper()} is never pushed to a peer: AMBER+STRICT stays in "
                "its owner organisation and RED with the people it names",
                code="intel.bad_peer",
                hint="Use clear, green or amber.",
            )
        values = {
            "api_root": normalize_api_root(url),
            "can_pull": pull,
            "can_push": push,
            "max_tlp": int(max_tlp),
            "added_by": by,
            "added_at": self._clock.now(),
        }
        try:
            with self._engine.begin() as conn:
                done = conn.execute(
                    update(intel_peer).where(intel_peer.c.name == name).values(**values)
                ).rowcount
                if not done:
                    conn.execute(sql_insert(intel_peer).values(name=name, **values))
        except exc.IntegrityError as err:
            raise InputError(
                f"another peer has the API root {values['api_root']}",
                code="intel.peer_taken",
                hint="Change or remove that peer instead (`shieldwall intel peer list`).",
            ) from err
        found = self.find(name)
        if found is None:  # pragma: no cover - removed between the write and the read
            raise InputError(f"the peer {name} was removed meanwhile", code="intel.no_peer")
        return found

    def remove(self, name: str) -> bool:
        with self._engine.begin() as conn:
            gone = conn.execute(
                delete(intel_peer).where(intel_peer.c.name == name.strip().lower())
            ).rowcount
        return bool(gone)

    def list(self) -> list[Peer]:
        with self._engine.connect() as conn:
            rows = conn.execute(select(intel_peer).order_by(intel_peer.c.name)).all()
        return [_row(r) for r in rows]

    def find(self, name_or_url: str) -> Peer | None:
        """The peer by name, or by API root (compared normalized)."""
        key = name_or_url.strip()
        root: str | None = None
        if "://" in key:
            try:
                root = normalize_api_root(key)
            except InputError:
                return None
        c = intel_peer.c
        cond = c.api_root == root if root is not None else c.name == key.lower()
        with self._engine.connect() as conn:
            row = conn.execute(select(intel_peer).where(cond)).first()
        return None if row is None else _row(row)

    def require(self, name_or_url: str, direction: Direction) -> Peer:
        """The allowed peer, or DeniedError: nothing is pulled from or pushed to a server an
        operator did not approve for that direction."""
        peer = self.find(name_or_url)
        if peer is None:
            raise DeniedError(
                f"{name_or_url} is not an allowed peer of this hub",
                code="intel.peer_not_allowed",
                hint=f"A hub admin approves peers: add it with `shieldwall intel peer add NAME "
                f"URL --{direction}`.",
            )
        if not peer.allows(direction):
            raise DeniedError(
                f"the peer {peer.name} is not allowed to be {direction}ed "
                f"{'from' if direction == 'pull' else 'to'}",
                code="intel.peer_direction",
                hint=f"A hub admin allows it with `shieldwall intel peer add {peer.name} "
                f"{peer.api_root} --{direction}`.",
            )
        return peer
