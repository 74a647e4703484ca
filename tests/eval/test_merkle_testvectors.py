"""Our offline verifier against every transparency-dev/merkle test vector."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from shieldwall.core.errors import VerificationError
from shieldwall.ledger import verify

pytestmark = pytest.mark.eval

KINDS = ("inclusion", "consistency", "subtreeinclusion", "subtreeconsistency")


def _b(value: str | None) -> bytes:
    return base64.b64decode(value or "")


def _proof(case: dict[str, Any]) -> list[bytes]:
    return [_b(p) for p in case.get("proof") or []]


def _check(kind: str, case: dict[str, Any]) -> None:
    if kind == "inclusion":
        verify.verify_inclusion(
            index=case["leafIdx"],
            size=case["treeSize"],
            leaf_hash=_b(case["leafHash"]),
            proof=_proof(case),
            root=_b(case["root"]),
        )
    elif kind == "consistency":
        verify.verify_consistency(
            old_size=case["size1"],
            new_size=case["size2"],
            proof=_proof(case),
            old_root=_b(case["root1"]),
            new_root=_b(case["root2"]),
        )
    elif kind == "subtreeinclusion":
        verify.verify_subtree_inclusion(
            index=case["leafIdx"],
            start=case["start"],
            end=case["end"],
            leaf_hash=_b(case["leafHash"]),
            proof=_proof(case),
            root=_b(case["root"]),
        )
    else:
        verify.verify_subtree_consistency(
            start=case["start"],
            end=case["end"],
            size=case["size"],
            proof=_proof(case),
            sub_root=_b(case["root1"]),
            root=_b(case["root2"]),
        )


def _cases(root: Path) -> list[tuple[str, Path]]:
    return [(kind, path) for kind in KINDS for path in sorted((root / kind).rglob("*.json"))]


def test_verifier_agrees_with_every_transparency_dev_vector(shared_data: Path) -> None:
    root = shared_data / "ledger" / "merkle_testvectors" / "testdata"
    cases = _cases(root)
    assert len(cases) == 518, f"expected 518 vectors, found {len(cases)}"
    disagreements = []
    for kind, path in cases:
        case = json.loads(path.read_text())
        try:
            _check(kind, case)
            failed = False
        except VerificationError:
            failed = True
        if failed != case["wantErr"]:
            disagreements.append(f"{path.relative_to(root)}: wantErr={case['wantErr']}")
    assert not disagreements, f"{len(disagreements)} of {len(cases)}:\n" + "\n".join(
        disagreements[:40]
    )
