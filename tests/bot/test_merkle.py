"""The Merkle tree hash is RFC 9162's: a root nobody else can recompute proves nothing."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from bot.merkle import EMPTY_ROOT, Frontier, leaf_hash, node_hash

# The reference inputs and tree heads published with Certificate Transparency's own tests.
LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657"]
LEAVES.append("606162636465666768696a6b6c6d6e6f")
ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def reference_root(leaves: list[bytes]) -> bytes:
    """RFC 9162 section 2.1.1, word for word: split at the largest power of two below n."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaf_hash(leaves[0])
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return node_hash(reference_root(leaves[:k]), reference_root(leaves[k:]))


def test_roots_match_the_published_tree_heads() -> None:
    tree = Frontier()
    assert tree.root().hex() == ROOTS[0] == EMPTY_ROOT.hex()
    for size, leaf in enumerate(LEAVES, start=1):
        tree.append(leaf_hash(bytes.fromhex(leaf)))
        assert tree.root().hex() == ROOTS[size]


@given(st.lists(st.binary(max_size=8), max_size=70))
def test_every_prefix_root_is_the_recursive_definition(leaves: list[bytes]) -> None:
    tree = Frontier()
    for n, leaf in enumerate(leaves, start=1):
        tree.append(leaf_hash(leaf))
        assert tree.root() == reference_root(leaves[:n])
        assert Frontier(tree.size, tree.nodes).root() == tree.root()
