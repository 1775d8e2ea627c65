"""The Merkle tree hash of RFC 9162 (Certificate Transparency 2.0), section 2.1.1.

A checkpoint signs the root of this tree over every audit row in log order: the root changes
if any row is edited, removed, added before the end or moved, so one signature protects the
whole history up to that size. Leaves and nodes are hashed with different prefixes, so that a
node can never pass for a leaf (second-preimage attacks on the tree shape).
"""

from __future__ import annotations

import hashlib

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


class Frontier:
    """The roots of the perfect subtrees that make up a tree of `size` leaves, largest first
    (at most log2(size) hashes): enough to append leaves and compute the root, without
    keeping the leaves. RFC 9162 splits a tree at the largest power of two below its size,
    so its root is these subtree roots folded from the right."""

    def __init__(self, size: int = 0, nodes: list[bytes] | None = None) -> None:
        nodes = nodes or []
        if size < 0 or len(nodes) != size.bit_count():
            raise ValueError(f"a tree of {size} leaves has {size.bit_count()} subtree roots")
        self.size = size
        self.nodes = list(nodes)

    def append(self, leaf: bytes) -> None:
        """Add a leaf hash; equal-sized subtrees merge like the carries of a binary counter."""
        node, size = leaf, self.size
        while size & 1:
            node = node_hash(self.nodes.pop(), node)
            size >>= 1
        self.nodes.append(node)
        self.size += 1

    def root(self) -> bytes:
        if not self.nodes:
            return EMPTY_ROOT
        root = self.nodes[-1]
        for node in reversed(self.nodes[:-1]):
            root = node_hash(node, root)
        return root
