"""Proof plans against the RFC 6962 definitions, written out naively here as the reference."""

from __future__ import annotations

import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from shieldwall.ledger import tree
from shieldwall.ledger.hashing import EMPTY_ROOT, leaf_hash, node_hash
from shieldwall.ledger.verify import verify_consistency, verify_inclusion


def mth(leaves: list[bytes]) -> bytes:
    """RFC 6962 section 2.1, literally."""
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return leaf_hash(leaves[0])
    k = 1 << ((n - 1).bit_length() - 1)
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


def path(m: int, leaves: list[bytes]) -> list[bytes]:
    """RFC 6962 section 2.1.1 PATH(m, D[n])."""
    n = len(leaves)
    if n == 1:
        return []
    k = 1 << ((n - 1).bit_length() - 1)
    if m < k:
        return [*path(m, leaves[:k]), mth(leaves[k:])]
    return [*path(m - k, leaves[k:]), mth(leaves[:k])]


def subproof(m: int, leaves: list[bytes], b: bool) -> list[bytes]:
    """RFC 6962 section 2.1.2 SUBPROOF(m, D[n], b)."""
    n = len(leaves)
    if m == n:
        return [] if b else [mth(leaves)]
    k = 1 << ((n - 1).bit_length() - 1)
    if m <= k:
        return [*subproof(m, leaves[:k], b), mth(leaves[k:])]
    return [*subproof(m - k, leaves[k:], False), mth(leaves[:k])]


def all_nodes(leaves: list[bytes]) -> dict[tuple[int, int], bytes]:
    nodes = {(0, i): leaf_hash(d) for i, d in enumerate(leaves)}
    level = 0
    while True:
        width = len(leaves) >> (level + 1)
        if width == 0:
            return nodes
        for i in range(width):
            nodes[(level + 1, i)] = node_hash(nodes[(level, 2 * i)], nodes[(level, 2 * i + 1)])
        level += 1


LEAVES = st.lists(st.binary(max_size=8), min_size=1, max_size=70)


@settings(max_examples=150, deadline=None)
@given(leaves=LEAVES, data=st.data())
def test_inclusion_plan_equals_rfc6962_path(leaves: list[bytes], data: st.DataObject) -> None:
    nodes = all_nodes(leaves)
    n = len(leaves)
    m = data.draw(st.integers(0, n - 1))
    proof = tree.materialize(tree.inclusion_plan(m, n), nodes.__getitem__)
    assert proof == path(m, leaves)
    verify_inclusion(index=m, size=n, leaf_hash=leaf_hash(leaves[m]), proof=proof, root=mth(leaves))


@settings(max_examples=150, deadline=None)
@given(leaves=LEAVES, data=st.data())
def test_consistency_plan_equals_rfc6962_proof(leaves: list[bytes], data: st.DataObject) -> None:
    nodes = all_nodes(leaves)
    n = len(leaves)
    m = data.draw(st.integers(1, n))
    proof = tree.materialize(tree.consistency_plan(m, n), nodes.__getitem__)
    assert proof == (subproof(m, leaves, True) if m < n else [])
    verify_consistency(
        old_size=m, new_size=n, proof=proof, old_root=mth(leaves[:m]), new_root=mth(leaves)
    )


@given(leaves=st.lists(st.binary(max_size=4), max_size=70))
def test_stream_root_and_root_plan_match_mth(leaves: list[bytes]) -> None:
    size, root = tree.stream_root(leaf_hash(d) for d in leaves)
    assert size == len(leaves)
    assert root == mth(leaves)
    nodes = all_nodes(leaves)
    assert tree.fold_right([nodes[n] for n in tree.root_plan(len(leaves))]) == root


def test_empty_tree_root_is_sha256_of_nothing() -> None:
    assert tree.stream_root([]) == (0, EMPTY_ROOT)


@given(start=st.integers(0, 1 << 20), width=st.integers(0, 1 << 20))
def test_range_nodes_cover_exactly(start: int, width: int) -> None:
    covered = []
    for level, index in tree.range_nodes(start, start + width):
        assert index << level >= start
        covered.append((index << level, (index + 1) << level))
    pos = start
    for a, b in covered:
        assert a == pos
        pos = b
    assert pos == start + width
