"""The transparency ledger (pillar 4): an RFC 6962 Merkle log with C2SP signed checkpoints."""

from shieldwall.ledger.hashing import canonical_json, leaf_hash, node_hash
from shieldwall.ledger.log import ConsistencyProof, InclusionProof, Ledger
from shieldwall.ledger.note import Checkpoint, Signer, Verifier, load_or_create_signer
from shieldwall.ledger.offline import OfflineReport, verify_offline
from shieldwall.ledger.verify import (
    verify_consistency,
    verify_inclusion,
    verify_subtree_consistency,
    verify_subtree_inclusion,
)

__all__ = [
    "Checkpoint",
    "ConsistencyProof",
    "InclusionProof",
    "Ledger",
    "OfflineReport",
    "Signer",
    "Verifier",
    "canonical_json",
    "leaf_hash",
    "load_or_create_signer",
    "node_hash",
    "verify_consistency",
    "verify_inclusion",
    "verify_offline",
    "verify_subtree_consistency",
    "verify_subtree_inclusion",
]
