"""Pure Merkle-tree arithmetic: which stored nodes make up a range, a root, or a proof.

A node is named by ``(level, index)``: it covers leaves ``[index << level, (index + 1) << level)``.
Only *perfect* nodes (all leaves present) are ever stored; a proof may also need an *ephemeral*
node on the right border of the tree, which is the hash of a range of perfect nodes folded from
the right. Proof generation is therefore a plan (a list of items, each a node or a range) that
the storage layer fills with one batched read. Verification lives in ``verify.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from shieldwall.ledger.hashing import EMPTY_ROOT, node_hash

NodeId = tuple[int, int]  # (level, index)


def range_nodes(start: int, end: int) -> list[NodeId]:
    """The perfect nodes that exactly cover ``[start, end)``, left to right (a compact range)."""
    if not 0 <= start <= end:
        raise ValueError(f"bad range [{start}, {end})")
    nodes: list[NodeId] = []
    while start < end:
        align = (start & -start).bit_length() - 1 if start else 63
        level = min(align, (end - start).bit_length() - 1)
        nodes.append((level, start >> level))
        start += 1 << level
    return nodes


def fold_right(hashes: Sequence[bytes]) -> bytes:
    """The hash of a range from its compact-range node hashes (RFC 6962's MTH on a border)."""
    if not hashes:
        return EMPTY_ROOT
    acc = hashes[-1]
    for h in reversed(hashes[:-1]):
        acc = node_hash(h, acc)
    return acc


Item = tuple[NodeId, ...]
"""One element of a proof: one stored perfect node, or the nodes of a range on the right
border whose hash is folded from them (an ephemeral node)."""


def _path_items(level: int, index: int, size: int) -> list[Item]:
    """Audit path from node ``(level, index)`` to the root of a tree of ``size`` leaves.

    The same shape serves inclusion proofs (level 0) and consistency proofs (the node that
    ends at the old size). Ordered from the node upwards, as RFC 9162 sends it. Below the
    level where the paths to ``index`` and to the last leaf meet, every sibling is a perfect
    node except possibly the topmost, which may be an ephemeral range on the right border.
    """
    last = (size - 1) >> level
    inner = (index ^ last).bit_length()
    items: list[Item] = [((level + i, (index >> i) ^ 1),) for i in range(inner - 1)]
    if inner:
        lvl = level + inner - 1
        sibling = (index >> (inner - 1)) ^ 1
        start = sibling << lvl
        end = min(start + (1 << lvl), size)
        items.append(
            ((lvl, sibling),) if end - start == 1 << lvl else tuple(range_nodes(start, end))
        )
    rest = index >> inner
    lvl = level + inner
    while rest:
        if rest & 1:
            items.append(((lvl, rest - 1),))
        rest >>= 1
        lvl += 1
    return items


def inclusion_plan(index: int, size: int) -> list[Item]:
    if not 0 <= index < size:
        raise ValueError(f"index {index} is outside a tree of size {size}")
    return _path_items(0, index, size)


def consistency_plan(old_size: int, new_size: int) -> list[Item]:
    """RFC 9162 section 2.1.4 consistency proof between two sizes, ``0 < old <= new``."""
    if not 0 < old_size <= new_size:
        raise ValueError(f"no consistency proof from size {old_size} to {new_size}")
    if old_size == new_size:
        return []
    level = (old_size & -old_size).bit_length() - 1
    index = (old_size - 1) >> level
    items = _path_items(level, index, new_size)
    if index != 0:  # old_size is not a power of two: the seed node is part of the proof
        items.insert(0, ((level, index),))
    return items


def root_plan(size: int) -> list[NodeId]:
    return range_nodes(0, size)


def needed_nodes(items: Iterable[Item]) -> set[NodeId]:
    return {n for item in items for n in item}


def materialize(items: Sequence[Item], lookup: Callable[[NodeId], bytes]) -> list[bytes]:
    out = []
    for item in items:
        if len(item) == 1:  # the common case: a stored perfect node
            out.append(lookup(item[0]))
        else:
            out.append(fold_right([lookup(n) for n in item]))
    return out


def stream_root(leaf_hashes: Iterable[bytes]) -> tuple[int, bytes]:
    """Size and root of the tree over ``leaf_hashes``, in O(log n) memory."""
    edge: list[tuple[int, bytes]] = []
    size = 0
    for h in leaf_hashes:
        level = 0
        while edge and edge[-1][0] == level:
            h = node_hash(edge.pop()[1], h)
            level += 1
        edge.append((level, h))
        size += 1
    return size, fold_right([h for _, h in edge])
