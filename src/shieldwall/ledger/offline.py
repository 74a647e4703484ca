"""The offline verifier: a public key, a checkpoint and (optionally) the entries. Nothing else,
no database and no network; this is what anyone outside can run against a published log."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from shieldwall.core.errors import ParseError, VerificationError
from shieldwall.ledger import tree
from shieldwall.ledger.hashing import canonical_json, leaf_hash
from shieldwall.ledger.note import Checkpoint, Verifier, open_checkpoint


@dataclass(frozen=True, slots=True, kw_only=True)
class OfflineReport:
    checkpoint: Checkpoint
    entries_checked: int | None
    extra_entries: int = 0


def _leaf_hashes(lines: Iterable[str], limit: int, counter: list[int]) -> Iterator[bytes]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if counter[0] >= limit:
            counter[1] += 1
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ParseError(
                f"entry line is not JSON: {exc.msg}",
                code="ledger.bad_entries",
                location=f"entries:{number}:{exc.colno}",
                hint="Use the output of `shieldwall ledger entries`, one entry a line.",
            ) from exc
        counter[0] += 1
        yield leaf_hash(canonical_json(value, max_bytes=1 << 30))


def verify_offline(
    *, public_key: str, checkpoint: str, entries: Iterable[str] | None = None
) -> OfflineReport:
    """Raise VerificationError unless the checkpoint is signed by ``public_key`` and, given
    entries (one JSON value a line, in log order), they reproduce the checkpoint's root."""
    verifier = Verifier.parse(public_key)
    cp = open_checkpoint(checkpoint, verifier)
    if entries is None:
        return OfflineReport(checkpoint=cp, entries_checked=None)
    counter = [0, 0]
    size, root = tree.stream_root(_leaf_hashes(entries, cp.size, counter))
    if size < cp.size:
        raise VerificationError(
            f"the checkpoint covers {cp.size} entries; the file has only {size}",
            code="ledger.entries_short",
            hint="Export the entries again with `shieldwall ledger entries --end SIZE`.",
        )
    if root != cp.root:
        raise VerificationError(
            f"the {size} entries do not reproduce the checkpoint's root: the entries or the log "
            "were altered",
            code="ledger.root_mismatch",
            hint="Compare against a fresh export; any changed, missing or reordered entry shows "
            "here.",
        )
    return OfflineReport(checkpoint=cp, entries_checked=size, extra_entries=counter[1])
