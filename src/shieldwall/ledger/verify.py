"""Offline verification of RFC 9162 inclusion and consistency proofs, and of the subtree
proofs of draft-ietf-plants-merkle-tree-certs. Each verifier returns ``None`` or raises
:class:`VerificationError`; none returns a bool that a caller could forget to check.

Written from RFC 9162 section 2.1.3.2 / 2.1.4.2 and checked against every test vector of
transparency-dev/merkle (tests/eval). The split of a proof into an *inner* part (siblings on
both sides, below where the paths to ``index`` and ``size - 1`` meet) and a *border* part (left
siblings only) is the one transparency-dev uses.
"""

from __future__ import annotations

from collections.abc import Sequence

from shieldwall.core.errors import VerificationError
from shieldwall.ledger.hashing import EMPTY_ROOT, HASH_SIZE, node_hash


def _fail(message: str, code: str = "ledger.proof_invalid") -> VerificationError:
    return VerificationError(
        message,
        code=code,
        hint="The proof does not match this root: the log may have been altered, or the proof, "
        "root or sizes belong to different trees. Fetch them again from the same log.",
    )


def _check_hash(value: bytes, what: str) -> None:
    if len(value) != HASH_SIZE:
        raise _fail(f"{what} is {len(value)} bytes; a SHA-256 hash is {HASH_SIZE}")


def _check_proof(proof: Sequence[bytes]) -> None:
    for i, h in enumerate(proof):
        _check_hash(h, f"proof[{i}]")


def _match(computed: bytes, expected: bytes, what: str) -> None:
    if computed != expected:
        raise _fail(f"{what}: computed {computed.hex()}, expected {expected.hex()}")


def _decompose(index: int, size: int) -> tuple[int, int]:
    inner = (index ^ (size - 1)).bit_length()
    border = bin(index >> inner).count("1")
    return inner, border


def _chain_inner(seed: bytes, proof: Sequence[bytes], index: int) -> bytes:
    for i, h in enumerate(proof):
        seed = node_hash(seed, h) if (index >> i) & 1 == 0 else node_hash(h, seed)
    return seed


def _chain_inner_right(seed: bytes, proof: Sequence[bytes], index: int) -> bytes:
    for i, h in enumerate(proof):
        if (index >> i) & 1:
            seed = node_hash(h, seed)
    return seed


def _chain_border_right(seed: bytes, proof: Sequence[bytes]) -> bytes:
    for h in proof:
        seed = node_hash(h, seed)
    return seed


def root_from_inclusion_proof(
    index: int, size: int, leaf_hash: bytes, proof: Sequence[bytes]
) -> bytes:
    if not 0 <= index < size:
        raise _fail(f"leaf index {index} is outside a tree of size {size}", "ledger.out_of_range")
    _check_hash(leaf_hash, "leaf hash")
    _check_proof(proof)
    inner, border = _decompose(index, size)
    if len(proof) != inner + border:
        raise _fail(
            f"the proof has {len(proof)} hashes; index {index} in size {size} needs "
            f"{inner + border}"
        )
    res = _chain_inner(leaf_hash, proof[:inner], index)
    return _chain_border_right(res, proof[inner:])


def verify_inclusion(
    *, index: int, size: int, leaf_hash: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """Raise unless ``proof`` shows leaf ``index`` with ``leaf_hash`` in the tree ``root``."""
    _check_hash(root, "root")
    computed = root_from_inclusion_proof(index, size, leaf_hash, proof)
    _match(computed, root, f"inclusion of leaf {index} in size {size}")


def _subtree_valid(start: int, end: int) -> None:
    if not 0 <= start < end:
        raise _fail(
            f"[{start}, {end}) is not a subtree: it must be non-empty", "ledger.bad_subtree"
        )
    width = end - start
    ceil = 1 << (width - 1).bit_length()
    if start % ceil:
        raise _fail(
            f"[{start}, {end}) is not a subtree: start must be a multiple of {ceil}",
            "ledger.bad_subtree",
        )


def verify_subtree_inclusion(
    *, index: int, start: int, end: int, leaf_hash: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    _subtree_valid(start, end)
    if not start <= index < end:
        raise _fail(f"leaf {index} is outside the subtree [{start}, {end})", "ledger.out_of_range")
    _check_hash(root, "subtree root")
    computed = root_from_inclusion_proof(index - start, end - start, leaf_hash, proof)
    _match(computed, root, f"inclusion of leaf {index} in subtree [{start}, {end})")


def _root_from_subtree_consistency(
    start: int, end: int, size: int, proof: Sequence[bytes], sub_root: bytes
) -> bytes:
    if end == size:
        level = ((end - 1) ^ start).bit_length()
        index = start >> level
        want = bin(index).count("1")
        if len(proof) != want:
            raise _fail(f"the proof has {len(proof)} hashes; {want} expected")
        return _chain_border_right(sub_root, proof)

    fork_level, border = _decompose(end - 1, size)
    shift = ((end - start) & -(end - start)).bit_length() - 1
    inner = fork_level - shift
    perfect = (end - start) == 1 << shift
    seed, p_start = (sub_root, 0) if perfect else (proof[0], 1)
    if len(proof) != p_start + inner + border:
        raise _fail(f"the proof has {len(proof)} hashes; {p_start + inner + border} expected")
    rest = proof[p_start:]
    mask = (end - 1) >> shift
    if not perfect:
        height = ((end - 1) ^ start).bit_length()
        fork = ((end - 1) ^ (size - 1)).bit_length()
        sub_inner = min(height, fork) - shift
        sub_border = max(0, border - bin((end - 1) >> height).count("1"))
        hash1 = _chain_inner_right(seed, rest[:sub_inner], mask)
        hash1 = _chain_border_right(hash1, rest[inner : inner + sub_border])
        _match(hash1, sub_root, f"the subtree [{start}, {end}) root")
    hash2 = _chain_inner(seed, rest[:inner], mask)
    return _chain_border_right(hash2, rest[inner:])


def verify_consistency(
    *, old_size: int, new_size: int, proof: Sequence[bytes], old_root: bytes, new_root: bytes
) -> None:
    """Raise unless the tree ``new_root`` of ``new_size`` extends ``old_root`` of ``old_size``."""
    _check_proof(proof)
    if new_size < old_size:
        raise _fail(
            f"the new size {new_size} is smaller than the old size {old_size}",
            "ledger.out_of_range",
        )
    if old_size == 0:
        raise _fail("a consistency proof from an empty tree proves nothing", "ledger.out_of_range")
    if old_size == new_size:
        if proof:
            raise _fail("equal sizes need an empty proof")
        _match(old_root, new_root, f"roots at the same size {old_size}")
        return
    if not proof:
        raise _fail("the proof is empty")
    computed = _root_from_subtree_consistency(0, old_size, new_size, proof, old_root)
    _match(computed, new_root, f"consistency from size {old_size} to {new_size}")


def verify_subtree_consistency(
    *, start: int, end: int, size: int, proof: Sequence[bytes], sub_root: bytes, root: bytes
) -> None:
    _check_proof(proof)
    if start == end:  # an empty subtree is consistent with any tree, shown by no proof at all
        if start > size or proof or sub_root != EMPTY_ROOT:
            raise _fail(
                f"the empty subtree [{start}, {end}) needs an empty proof and the empty root",
                "ledger.bad_subtree",
            )
        return
    _subtree_valid(start, end)
    if size < end:
        raise _fail(
            f"the tree size {size} is smaller than the subtree end {end}", "ledger.out_of_range"
        )
    if start == 0 and end == size:
        if proof:
            raise _fail("a subtree that is the whole tree needs an empty proof")
        _match(sub_root, root, "the subtree that is the whole tree")
        return
    if not proof:
        raise _fail("the proof is empty")
    computed = _root_from_subtree_consistency(start, end, size, proof, sub_root)
    _match(computed, root, f"consistency of subtree [{start}, {end}) with size {size}")
