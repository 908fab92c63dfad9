"""Node positions, computed once and shared by the images and the GEXF files.

``commenter_layout`` lays a graph out the way a reader wants to see it: each connected group of
commenters drawn on its own with a force-directed layout, and the groups packed side by side
(largest first, then the small groups and the commenters nobody replied to), so small groups
neither drift to the edge of the picture nor crowd the centre.

The cost stays bounded on any graph: at most ``core_limit`` nodes (the most connected ones)
get the force-directed layout, whose cost grows with the square of their number; every other
node is placed next to a neighbour already placed (breadth-first from the core) or, when it has
none, on a grid below.  100k commenters take a few seconds.

``tree_rows`` orders the comments of a reply tree as an outline (root at the left, replies
below their parent, one row per comment) for the subthread figure.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

if TYPE_CHECKING:
    from collections.abc import Hashable, Mapping, Sequence

    import networkx as nx

ASPECT = 1.45          # width / height the packing aims for (the network figure's drawing area)
SPACING = 1.0          # typical distance between neighbouring nodes before scaling to [-1, 1]


def commenter_layout(graph: nx.Graph, *, seed: int = 0, core_limit: int = 400,
                     iterations: int = 150) -> dict[Hashable, tuple[float, float]]:
    """Seeded positions in [-1, 1] x [-1, 1] (aspect kept), one ``(x, y)`` per node of ``graph``.

    Edge directions are ignored; weights (``weight``, default 1) pull harder, on a log scale.
    Same graph and seed, same positions.
    """
    nodes = list(graph.nodes)
    n = len(nodes)
    if n == 0:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    rows, cols, weights = [], [], []
    for u, v, w in graph.edges(data="weight", default=1):
        if u != v:
            rows.append(index[u])
            cols.append(index[v])
            weights.append(float(w) if w is not None and w == w and w > 0 else 1.0)
    adjacency = _undirected(n, rows, cols, weights)
    positions = layout_arrays(adjacency, seed=seed, core_limit=core_limit, iterations=iterations)
    return {node: (float(positions[i, 0]), float(positions[i, 1])) for i, node in enumerate(nodes)}


def layout_arrays(adjacency: sparse.csr_matrix, *, seed: int = 0, core_limit: int = 400,
                  iterations: int = 150) -> np.ndarray:
    """:func:`commenter_layout` on a symmetric sparse weight matrix; returns an (n, 2) array."""
    n = adjacency.shape[0]
    rng = np.random.default_rng(seed)
    strength = np.asarray(adjacency.sum(axis=1)).ravel()
    order = np.lexsort((np.arange(n), -strength))  # most connected first, ties in node order
    core = np.sort(order[:core_limit])
    positions = np.full((n, 2), np.nan)
    positions[core] = _packed(adjacency[core][:, core], rng, iterations)
    if len(core) < n:
        _place_rest(adjacency, positions, core, rng)
    return _normalised(positions)


def fruchterman_reingold(weights: np.ndarray, *, rng: np.random.Generator, iterations: int = 150) -> np.ndarray:
    """Fruchterman-Reingold positions for one connected graph given as a dense weight matrix.

    Vectorised with numpy (memory and time grow with the square of the node count, so callers
    keep it to a few hundred nodes).  Returns an (n, 2) array centred on 0.
    """
    n = len(weights)
    if n == 1:
        return np.zeros((1, 2))
    attraction = np.log1p(weights)  # a pair that exchanged 20 replies should not collapse into one point
    pos = rng.random((n, 2))
    k = math.sqrt(1.0 / n)
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        dx = pos[:, 0, None] - pos[None, :, 0]
        dy = pos[:, 1, None] - pos[None, :, 1]
        squared = dx * dx + dy * dy
        np.clip(squared, 1e-4, None, out=squared)
        force = k * k / squared - attraction * np.sqrt(squared) / k
        shift = np.column_stack(((force * dx).sum(axis=1), (force * dy).sum(axis=1)))
        length = np.sqrt((shift ** 2).sum(axis=1))
        np.clip(length, 0.01, None, out=length)
        pos += shift * (temperature / length)[:, None]
        temperature -= cooling
    return pos - pos.mean(axis=0)


def skyline_pack(sizes: Sequence[tuple[float, float]], *, aspect: float = ASPECT,
                 gap: float = 0.6) -> list[tuple[float, float]]:
    """Bottom-left skyline packing of boxes (width, height); returns their lower-left corners.

    Boxes are placed in the order given (callers sort them largest first) into a strip whose
    width makes the packing about ``aspect`` times wider than tall; y grows downwards.
    """
    padded = [(w + gap, h + gap) for w, h in sizes]
    area = sum(w * h for w, h in padded)
    width = max(max((w for w, _ in padded), default=1.0), math.sqrt(area * aspect))
    skyline = [[0.0, width, 0.0]]  # segments: x, width, height reached
    corners = []
    for w, h in padded:
        best = None
        for i, (x, _, _) in enumerate(skyline):
            if x + w > width + 1e-9:
                break
            top, reach, j = 0.0, x, i
            while reach < x + w - 1e-9 and j < len(skyline):
                top = max(top, skyline[j][2])
                reach = skyline[j][0] + skyline[j][1]
                j += 1
            if best is None or (top + h, x) < (best[0] + h, best[1]):
                best = (top, x)
        top, x = best
        corners.append((x, top))
        _raise_skyline(skyline, x, w, top + h)
    return corners


def tree_rows(parents: Mapping[str, str | None]) -> list[tuple[str, int]]:
    """Outline order of a reply tree: ``parents`` maps comment -> parent (None for a root).

    Returns ``[(comment, depth), ...]`` with depth 0 for roots, each comment right after its
    parent's earlier replies (source order kept among siblings).
    """
    children, roots = {}, []
    for comment, parent in parents.items():
        if parent is None or parent not in parents:
            roots.append(comment)
        else:
            children.setdefault(parent, []).append(comment)
    rows, stack = [], [(root, 0) for root in reversed(roots)]
    while stack:
        comment, depth = stack.pop()
        rows.append((comment, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(comment, [])))
    return rows


def _undirected(n: int, rows: Sequence[int], cols: Sequence[int], weights: Sequence[float]) -> sparse.csr_matrix:
    matrix = sparse.coo_matrix((weights, (rows, cols)), shape=(n, n)).tocsr()
    return (matrix + matrix.T).tocsr()


def _packed(adjacency: sparse.csr_matrix, rng: np.random.Generator, iterations: int) -> np.ndarray:
    """Each connected component laid out alone, then the components packed; (m, 2) array."""
    m = adjacency.shape[0]
    count, labels = csgraph.connected_components(adjacency, directed=False)
    members = [np.flatnonzero(labels == c) for c in range(count)]
    members.sort(key=lambda idx: (-len(idx), idx[0]))
    shapes, boxes = [], []
    for idx in members:
        if len(idx) == 1:
            local = np.zeros((1, 2))
        else:
            local = fruchterman_reingold(adjacency[idx][:, idx].toarray(), rng=rng, iterations=iterations)
            radius = np.sqrt((local ** 2).sum(axis=1)).max() or 1.0
            target = SPACING * (0.5 if len(idx) == 2 else 0.62 * math.sqrt(len(idx)))
            local = local * (target / radius)
        low, high = local.min(axis=0), local.max(axis=0)
        shapes.append(local - low)
        boxes.append(tuple(np.maximum(high - low, 0.0)))
    corners = skyline_pack(boxes)
    out = np.zeros((m, 2))
    for idx, local, (x, top), (_, h) in zip(members, shapes, corners, boxes):
        out[idx, 0] = local[:, 0] + x
        out[idx, 1] = -(top + h) + local[:, 1]  # skyline y grows downwards; flip so the largest is on top
    return out


def _place_rest(adjacency: sparse.csr_matrix, positions: np.ndarray, core: np.ndarray,
                rng: np.random.Generator) -> None:
    """Nodes outside the core: beside a placed neighbour, breadth-first; the unreachable on a grid."""
    n = adjacency.shape[0]
    source = n  # one virtual node linked to every core node, so one BFS reaches from all of them
    link = sparse.coo_matrix((np.ones(len(core)), (np.full(len(core), source), core)), shape=(n + 1, n + 1))
    extended = sparse.bmat([[adjacency, None], [None, sparse.csr_matrix((1, 1))]]).tocsr() + link.tocsr()
    order, predecessors = csgraph.breadth_first_order(extended, source, directed=False, return_predecessors=True)
    placed = positions[core]
    span = max(np.ptp(placed[:, 0]), np.ptp(placed[:, 1]), SPACING)
    step = 0.15 * span / math.sqrt(len(core))
    todo = [node for node in order[1:] if np.isnan(positions[node, 0])]
    angles = rng.uniform(0, 2 * math.pi, len(todo))
    radii = step * rng.uniform(0.4, 1.0, len(todo))
    for node, angle, radius in zip(todo, angles, radii):
        x, y = positions[predecessors[node]]
        positions[node] = (x + radius * math.cos(angle), y + radius * math.sin(angle))
    unreached = np.flatnonzero(np.isnan(positions[:, 0]))
    if len(unreached):
        low, high = np.nanmin(positions, axis=0), np.nanmax(positions, axis=0)
        width = max(high[0] - low[0], SPACING)
        columns = max(1, int(math.ceil(math.sqrt(len(unreached) * ASPECT * 4))))
        pitch = width / columns
        i = np.arange(len(unreached))
        positions[unreached, 0] = low[0] + pitch * (i % columns)
        positions[unreached, 1] = low[1] - SPACING - pitch * (i // columns)


def _raise_skyline(skyline: list[list[float]], x: float, w: float, height: float) -> None:
    end = x + w
    updated = []
    for sx, sw, sh in skyline:
        s_end = sx + sw
        if s_end <= x + 1e-12 or sx >= end - 1e-12:
            updated.append([sx, sw, sh])
            continue
        if sx < x:
            updated.append([sx, x - sx, sh])
        if s_end > end:
            updated.append([end, s_end - end, sh])
    updated.append([x, w, height])
    updated.sort(key=lambda s: s[0])
    merged = []
    for segment in updated:
        if merged and abs(merged[-1][2] - segment[2]) < 1e-12 and abs(merged[-1][0] + merged[-1][1] - segment[0]) < 1e-9:
            merged[-1][1] += segment[1]
        else:
            merged.append(segment)
    skyline[:] = merged


def _normalised(positions: np.ndarray) -> np.ndarray:
    """Centre on 0 and scale so the larger extent spans [-1, 1] (the aspect ratio is kept)."""
    low, high = positions.min(axis=0), positions.max(axis=0)
    centre = (low + high) / 2
    half = max((high - low).max() / 2, 1e-9)
    return (positions - centre) / half

