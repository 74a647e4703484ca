"""The transcript of an investigation: every model turn and every tool call, in order.

It is evidence, so it is hashed: :meth:`Transcript.canonical` is compact JSON with sorted keys
(UTF-8), and its SHA-256 goes into the ledger (the ``agent.transcript`` record and the outcome
of ``agent.investigate``). Each entry that went through the door carries the ledger indexes of
its decision and outcome, whose entries hold the digests of the request and result; a model
turn carries the digest of the exact prompt sent. Anyone holding the transcript file can check
it against the ledger.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from shieldwall.core.types import Principal


def canonical_bytes(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode("utf-8")


def digest(value: Any) -> str:
    return hashlib.sha256(canonical_bytes(value)).hexdigest()


class Transcript:
    def __init__(self, *, investigation: str, principal: Principal, started: str) -> None:
        self.head: dict[str, Any] = {
            "investigation": investigation,
            "principal": {
                "id": principal.id,
                "kind": str(principal.kind),
                "tier": int(principal.tier),
            },
            "started": started,
            "format": "shieldwall.agent.transcript/1",
        }
        self.entries: list[dict[str, Any]] = []

    def add(self, kind: str, data: Mapping[str, Any]) -> int:
        """Append one entry; return its sequence number (from 1)."""
        seq = len(self.entries) + 1
        self.entries.append({"seq": seq, "type": kind, **dict(data)})
        return seq

    def to_json(self) -> dict[str, Any]:
        return {**self.head, "entries": list(self.entries)}

    def canonical(self) -> bytes:
        return canonical_bytes(self.to_json())

    def sha256(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()
