"""The verifiers take untrusted proofs: anything at all must end in a clean VerificationError."""

from __future__ import annotations

import contextlib

from hypothesis import given
from hypothesis import strategies as st

from shieldwall.core.errors import VerificationError
from shieldwall.ledger import verify

HASHES = st.lists(st.binary(min_size=0, max_size=40), max_size=70)
SIZE = st.integers(0, 2**64)


@given(
    index=SIZE, size=SIZE, leaf=st.binary(max_size=40), proof=HASHES, root=st.binary(max_size=40)
)
def test_inclusion_never_crashes(
    index: int, size: int, leaf: bytes, proof: list[bytes], root: bytes
) -> None:
    with contextlib.suppress(VerificationError):
        verify.verify_inclusion(index=index, size=size, leaf_hash=leaf, proof=proof, root=root)


@given(old=SIZE, new=SIZE, proof=HASHES, r1=st.binary(max_size=40), r2=st.binary(max_size=40))
def test_consistency_never_crashes(
    old: int, new: int, proof: list[bytes], r1: bytes, r2: bytes
) -> None:
    with contextlib.suppress(VerificationError):
        verify.verify_consistency(old_size=old, new_size=new, proof=proof, old_root=r1, new_root=r2)


@given(
    start=SIZE,
    end=SIZE,
    size=SIZE,
    index=SIZE,
    proof=HASHES,
    r1=st.binary(max_size=40),
    r2=st.binary(max_size=40),
)
def test_subtree_proofs_never_crash(
    start: int, end: int, size: int, index: int, proof: list[bytes], r1: bytes, r2: bytes
) -> None:
    with contextlib.suppress(VerificationError):
        verify.verify_subtree_consistency(
            start=start, end=end, size=size, proof=proof, sub_root=r1, root=r2
        )
    with contextlib.suppress(VerificationError):
        verify.verify_subtree_inclusion(
            index=index, start=start, end=end, leaf_hash=r1, proof=proof, root=r2
        )
