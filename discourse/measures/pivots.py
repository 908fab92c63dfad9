"""Pivot sampling for the path measures of large graphs (see :mod:`discourse.measures.centrality`).

Closeness is estimated from breadth-first searches out of the pivots.  All the searches run at
once, a pivot per bit of a row of 64-bit words per node: each level ORs the words of the nodes
reached last along their out-edges, in one numpy pass over those edges.  A million-comment graph
(95k nodes, 700k edges, 500 pivots) takes a fraction of a second, where one igraph search per
pivot, each returning a Python list of n floats, took five.  Reach counts and distance sums are
integers, so the estimate is exactly what per-pivot searches give.

Betweenness needs each pivot's own search (path counts, not bits), which igraph runs.  It runs
on the nodes the pivots reach only, numbered in the order a search from all pivots at once meets
them, so that what one search touches together sits together in memory (see
:func:`sampled_betweenness`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order

if TYPE_CHECKING:
    from types import ModuleType

    from .centrality import EdgeArrays

__all__ = ["draw_pivots", "pivot_distance_sums", "sampled_betweenness", "sampled_closeness", "search_order"]

_PIVOT_BITS = 512  # pivots per search: bounds the memory to 64 bytes per edge
#: Edges per block of a search level: their gathered rows of bits (512 KiB at 512 pivots) stay in
#: a core's cache, where one gather of a whole level's rows (40 MB at a million comments) did
#: not; 4,096-8,192 were fastest (0.23 -> 0.19 s for 500 pivots at 1e6, 14 ms either way at 1e5).
_EDGE_BLOCK = 8192
_BYTE_BITS = np.array([bin(i).count("1") for i in range(256)], dtype=np.int64)  # popcount before numpy 2


def draw_pivots(n: int, k: int, random_state: int | np.random.Generator | None) -> npt.NDArray[np.int64]:
    """``k`` distinct nodes of ``n`` drawn uniformly (seeded), in order."""
    return np.sort(np.random.default_rng(random_state).choice(n, size=min(k, n), replace=False))


def _popcount_rows(words: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:
    """Set bits per row of a 2-D uint64 array."""
    if hasattr(np, "bitwise_count"):  # numpy >= 2
        return np.bitwise_count(words).sum(axis=1, dtype=np.int64)
    return _BYTE_BITS[words.view(np.uint8)].sum(axis=1)


def pivot_distance_sums(arrays: EdgeArrays, pivots: npt.NDArray[np.int64]
                        ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(reach, total) per node: how many pivots other than itself reach it along directed edges,
    and the sum of their hop distances to it (integers: exact whatever the order of the sums)."""
    reach, total = np.zeros(arrays.n, dtype=np.int64), np.zeros(arrays.n, dtype=np.int64)
    by_target = np.argsort(arrays.dst, kind="stable")  # edges grouped by target: reduceat's segments
    src, dst = arrays.src[by_target], arrays.dst[by_target]
    for start in range(0, len(pivots), _PIVOT_BITS):
        _bit_bfs(arrays.n, src, dst, np.asarray(pivots[start:start + _PIVOT_BITS]), reach, total)
    return reach, total


def _bit_bfs(n: int, src: npt.NDArray[np.int64], dst: npt.NDArray[np.int64], pivots: npt.NDArray[np.int64],
             reach: npt.NDArray[np.int64], total: npt.NDArray[np.int64]) -> None:
    """Breadth-first search from all ``pivots`` at once, a pivot per bit: each level ORs the bits
    of the nodes reached last along their out-edges (one numpy pass over those edges), so the
    work is edges x levels x pivots / 64 instead of a search and an n-float Python list per pivot.
    Adds each node's count of newly reaching pivots to ``reach`` and their distance to ``total``."""
    k = len(pivots)
    frontier = np.zeros((n, max(1, -(-k // 64))), dtype=np.uint64)
    frontier[pivots, np.arange(k) // 64] = np.left_shift(np.uint64(1), (np.arange(k) % 64).astype(np.uint64))
    seen = frontier.copy()
    active = np.zeros(n, dtype=bool)
    active[pivots] = True
    distance = 0
    while True:
        edges = np.flatnonzero(active[src])
        if not len(edges):
            return
        distance += 1
        targets = dst[edges]
        starts = np.flatnonzero(np.diff(targets, prepend=-1))  # each target's run of edges
        nodes = targets[starts]
        new = np.empty((len(nodes), frontier.shape[1]), dtype=np.uint64)
        firsts = np.unique(np.searchsorted(starts, np.arange(0, len(edges), _EDGE_BLOCK)))
        firsts = firsts[firsts < len(starts)].tolist()  # the target that opens each block of whole runs
        for first, last in zip(firsts, [*firsts[1:], len(starts)]):
            low, high = starts[first], starts[last] if last < len(starts) else len(edges)
            new[first:last] = np.bitwise_or.reduceat(frontier[src[edges[low:high]]], starts[first:last] - low,
                                                     axis=0) & ~seen[nodes[first:last]]
        count = _popcount_rows(new)
        hit = count > 0
        nodes, new, count = nodes[hit], new[hit], count[hit]
        frontier[active] = 0
        active[:] = False
        frontier[nodes], active[nodes] = new, True
        seen[nodes] |= new
        reach[nodes] += count
        total[nodes] += distance * count


def sampled_closeness(arrays: EdgeArrays, pivots: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """Eppstein-Wang incoming closeness from the pivots (see :mod:`discourse.measures.centrality`)."""
    n = arrays.n
    reach, total = (a.astype(float) for a in pivot_distance_sums(arrays, pivots))
    samples = np.full(n, float(len(pivots)))
    samples[pivots] -= 1  # a pivot does not sample itself
    share = np.divide(reach, samples, out=np.zeros(n), where=samples > 0)
    return np.divide(share * reach, total, out=np.zeros(n), where=total > 0)


def search_order(arrays: EdgeArrays, pivots: npt.NDArray[np.int64]) -> npt.NDArray[np.int32]:
    """The nodes the ``pivots`` reach along directed edges (the pivots included), in the order a
    breadth-first search from all of them at once meets them."""
    n, k = arrays.n, len(pivots)
    # One extra node n with an edge to every pivot: a single search from it is the search from all.
    rows, cols = np.concatenate([arrays.src, np.full(k, n)]), np.concatenate([arrays.dst, pivots])
    graph = sp.csr_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n + 1, n + 1))
    return breadth_first_order(graph, n, directed=True, return_predecessors=False)[1:]


def sampled_betweenness(igraph: ModuleType, arrays: EdgeArrays, pivots: npt.NDArray[np.int64]
                        ) -> npt.NDArray[np.float64]:
    """Each node's dependencies summed over the ``pivots`` as sources (Brandes), by igraph; not
    yet scaled or normalised.

    A node no pivot reaches lies on no pivot's shortest path, so the searches run on the reached
    nodes only (the others' sums are 0 either way), renumbered in :func:`search_order`.  At a
    million comments that is 68k of 95k nodes, and 500 searches take 4.5 s instead of 7.9 s
    (measured): the graph no longer fits the processor's cache, and in this order the nodes a
    search visits together lie together.  The sums equal those on the whole graph in its own
    order up to rounding (1e-15 relative): the same terms, added in another order.
    """
    order = search_order(arrays, pivots)
    code = np.full(arrays.n, -1, dtype=np.int64)
    code[order] = np.arange(len(order))
    reached = code[arrays.src] >= 0  # then its target is reached too
    src, dst = code[arrays.src[reached]], code[arrays.dst[reached]]
    graph = igraph.Graph(n=len(order), edges=list(zip(src.tolist(), dst.tolist())), directed=True)
    between = np.zeros(arrays.n)
    between[order] = graph.betweenness(directed=True, sources=code[pivots].tolist())
    return between
