"""Node measures of the commenter graph, fast enough for 100k commenters and 500k edges.

The heavy measures run in python-igraph (C) when it is installed, else in networkx (exact and
slow on large graphs); HITS, degrees, reciprocity and modularity are plain numpy/scipy.  What the
measures mean (``A -> B``: A replied to B, weight = number of comments):

- self-loops (self-replies) are left out of every measure;
- ``pagerank``: weighted, damping 0.85, dangling mass spread uniformly, as ``nx.pagerank``;
  igraph's PRPACK solves it exactly, so it equals ``nx.pagerank`` run to convergence
  (``tol=1e-10``); networkx's default ``tol=1e-6`` stops early, up to ~5e-5 away on small graphs;
- ``betweenness``, ``closeness``: directed shortest paths counted in hops (weights are
  interaction counts, not lengths).  Betweenness is normalised by (n-1)(n-2) as networkx does;
  closeness is networkx's *incoming* closeness with the Wasserman-Faust correction for graphs
  that are not strongly connected: (r / (n-1)) * (r / sum of distances from the r commenters
  that can reach the node);
- ``hub``, ``authority``: HITS on the weighted adjacency matrix by power iteration from a
  uniform start (so ties between equivalent parts of a disconnected graph are shared, not broken
  at random), each summing to 1;
- ``k_core``: core number in the undirected graph of partners (two commenters are adjacent if
  either replied to the other);
- ``reciprocity``: 2 |partners both ways| / (|repliers| + |replied to|), as ``nx.reciprocity``;
  0 for a commenter with no edges;
- ``community``: modularity communities of the undirected projection (weights of both
  directions summed), renumbered 0 = largest, ties by first member.

Size.  Up to ``exact_threshold`` nodes (default 5000) everything is exact.  Above it:

- betweenness is the Brandes-Pich estimate from ``pivots`` source nodes drawn uniformly
  (seeded): the dependencies of the sampled sources, scaled by n/k.  It is unbiased and its
  relative error falls as 1/sqrt(k).  Measured by ``scripts/bench_metrics.py`` (k = 500, a
  5000-node graph with heavy-tailed in-degrees): 8 of the exact top 10 in the sampled top 10,
  median relative error 6.7% (90th percentile 16%) over the top 1% of nodes, Spearman 0.96;
- closeness is the Eppstein-Wang estimate from the same pivots: for each node, the share of
  pivots that reach it and their mean distance to it stand in for all commenters' (error of
  the mean distance O(diameter * sqrt(log n / k))).  Measured as above: all 10 of the exact top 10 found, median
  relative error 0.6% (90th percentile 1.2%) over the top 1%, Spearman 0.999;
- communities come from Leiden (modularity objective, 2 iterations) instead of Louvain: the
  same objective, communities guaranteed connected, and 1-3 s where igraph 1.0's Louvain took
  22-215 s on 100k-node random graphs (it is fast on small and well-clustered graphs).

Randomness (pivots, community detection) is seeded by ``random_state``; igraph's random number
generator is set for the call and restored to its default afterwards.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import pandas as pd
import numpy.typing as npt
import scipy.sparse as sp

from .._runtime.stages import StageReporter, unreported
from ..exceptions import DiscourseError
from .pivots import draw_pivots, sampled_betweenness, sampled_closeness
from ..network.graph import graph_arrays

if TYPE_CHECKING:
    from types import ModuleType

    import igraph as ig

__all__ = ["EXACT_THRESHOLD", "PIVOTS", "EdgeArrays", "node_measures", "score_measures", "simple_measures",
           "path_measures", "hits", "communities", "modularity", "renumber", "metric_graph"]

EXACT_THRESHOLD = 5000
PIVOTS = 500


def _igraph(backend: str) -> ModuleType | None:
    if backend not in ("auto", "igraph", "networkx"):
        raise DiscourseError(f"backend must be 'auto', 'igraph' or 'networkx'; got {backend!r}")
    if backend == "networkx":
        return None
    try:
        import igraph
    except ImportError:
        if backend == "igraph":
            raise DiscourseError("backend='igraph' needs python-igraph: pip install python-igraph") from None
        return None
    return igraph


@contextmanager
def _seeded(igraph: ModuleType, seed: int | None) -> Iterator[None]:
    """igraph's RNG seeded for the block, then restored to its default (the random module).

    igraph's bundled OpenMP also runs on one thread in the block: with its default threads,
    PageRank spins for ~0.5 s per call whenever another process holds the second core
    (measured: 1 ms alone or with one thread, 0.4-0.6 s under load).
    """
    from threadpoolctl import threadpool_limits

    igraph.set_random_number_generator(random.Random(seed))
    try:
        with threadpool_limits(limits=1, user_api="openmp"):
            yield
    finally:
        igraph.set_random_number_generator(random)


class EdgeArrays:
    """The graph as integer arrays (node order kept, self-loops dropped)."""

    def __init__(self, graph: nx.Graph) -> None:
        nodes, src, dst, values = graph_arrays(graph, weight=1)
        self._from_codes(nodes, src, dst, values["weight"])

    @classmethod
    def from_edges(cls, nodes: Iterable[Hashable], sources: Sequence[Hashable], targets: Sequence[Hashable],
                   weights: npt.ArrayLike) -> EdgeArrays:
        """Arrays straight from edge lists (each pair at most once), without a networkx graph."""
        arrays = cls.__new__(cls)
        arrays._fill(list(nodes), sources, targets, weights)
        return arrays

    @classmethod
    def from_codes(cls, nodes: list, src: npt.ArrayLike, dst: npt.ArrayLike, weights: npt.ArrayLike) -> EdgeArrays:
        """Arrays from edge endpoints given as positions in ``nodes`` (each pair at most once)."""
        arrays = cls.__new__(cls)
        arrays._from_codes(nodes, src, dst, weights)
        return arrays

    def _from_codes(self, nodes: list, src: npt.ArrayLike, dst: npt.ArrayLike, weights: npt.ArrayLike) -> None:
        self.nodes, self.n, self._undirected, self._igraphs = nodes, len(nodes), None, {}
        src, dst = np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64)
        keep = src != dst
        self.src, self.dst = src[keep], dst[keep]
        self.weight = np.asarray(weights, dtype=float).reshape(-1)[keep]

    def _fill(self, nodes: list, sources: Sequence[Hashable], targets: Sequence[Hashable],
              weights: npt.ArrayLike) -> None:
        self.nodes, self.n, self._undirected, self._igraphs = nodes, len(nodes), None, {}
        index = pd.Index(nodes)
        src = index.get_indexer(pd.Index(list(sources) if isinstance(sources, tuple) else sources)).astype(np.int64)
        dst = index.get_indexer(pd.Index(list(targets) if isinstance(targets, tuple) else targets)).astype(np.int64)
        if (src < 0).any() or (dst < 0).any():
            raise KeyError("an edge names a node that is not in the node list")
        keep = src != dst
        self.src, self.dst = src[keep], dst[keep]
        self.weight = np.asarray(weights, dtype=float).reshape(-1)[keep] if len(src) else np.zeros(0)

    def adjacency(self) -> sp.csr_matrix:
        return sp.csr_matrix((self.weight, (self.src, self.dst)), shape=(self.n, self.n))

    def undirected(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """(low, high, summed weight) of each unordered pair (computed once: k-core, communities
        and modularity all ask)."""
        if self._undirected is None:
            low, high = np.minimum(self.src, self.dst), np.maximum(self.src, self.dst)
            keys, inverse = np.unique(low * max(self.n, 1) + high, return_inverse=True)
            self._undirected = (keys // max(self.n, 1), keys % max(self.n, 1),
                                np.bincount(inverse, weights=self.weight))
        return self._undirected

    def to_igraph(self, igraph: ModuleType, directed: bool = True) -> ig.Graph:
        """The igraph graph (built once per direction: k-core and communities share the undirected one)."""
        if directed not in self._igraphs:
            # Pairs zipped from two lists: three times faster than a 2-D array's tolist() (measured).
            if directed:
                g = igraph.Graph(n=self.n, edges=list(zip(self.src.tolist(), self.dst.tolist())), directed=True)
            else:
                low, high, weight = self.undirected()
                g = igraph.Graph(n=self.n, edges=list(zip(low.tolist(), high.tolist())), directed=False)
                g.es["weight"] = weight.tolist()
            self._igraphs[directed] = g
        return self._igraphs[directed]

    def to_networkx(self, directed: bool = True) -> nx.DiGraph | nx.Graph:
        g = nx.DiGraph() if directed else nx.Graph()
        g.add_nodes_from(range(self.n))
        if directed:
            g.add_weighted_edges_from(zip(self.src.tolist(), self.dst.tolist(), self.weight.tolist()))
        else:
            g.add_weighted_edges_from(zip(*(a.tolist() for a in self.undirected())))
        return g


def metric_graph(graph: nx.Graph) -> nx.Graph:
    """The graph the metrics see: ``graph`` without self-loops (a copy)."""
    out = graph.copy()
    out.remove_edges_from(list(nx.selfloop_edges(out)))
    return out


def hits(arrays: EdgeArrays, *, max_iter: int = 1000, tol: float = 1e-12
         ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """(hubs, authorities) by power iteration from a uniform start, each summing to 1."""
    n = arrays.n
    if n == 0 or len(arrays.src) == 0:
        return np.zeros(n), np.zeros(n)
    a_mat = arrays.adjacency()
    a_t = a_mat.T.tocsr()
    hub = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        auth = a_t @ hub
        auth /= auth.sum()
        new = a_mat @ auth
        new /= new.sum()
        done = np.abs(new - hub).sum() < tol
        hub = new
        if done:
            break
    auth = a_t @ hub
    auth /= auth.sum()
    # Outside the dominant eigenspace scores decay geometrically to ~1e-30, not to 0: call it 0.
    hub[hub < 1e-12], auth[auth < 1e-12] = 0.0, 0.0
    return hub, auth


def simple_measures(arrays: EdgeArrays) -> pd.DataFrame:
    """Weighted degrees, partner counts and reciprocity from the arrays (no library needed)."""
    n = arrays.n
    w_in = np.bincount(arrays.dst, weights=arrays.weight, minlength=n)
    w_out = np.bincount(arrays.src, weights=arrays.weight, minlength=n)
    k_in = np.bincount(arrays.dst, minlength=n)
    k_out = np.bincount(arrays.src, minlength=n)
    low, high, _ = arrays.undirected()
    partners = np.bincount(low, minlength=n) + np.bincount(high, minlength=n)
    mutual = (k_in + k_out) - partners  # a pair present both ways is counted twice in k_in + k_out
    total = k_in + k_out
    reciprocity = np.divide(2.0 * mutual, total, out=np.zeros(n), where=total > 0)
    return pd.DataFrame({"weighted_in_degree": w_in, "weighted_out_degree": w_out, "partners": partners,
                         "reciprocity": reciprocity})


def renumber(membership: npt.ArrayLike, n: int) -> npt.NDArray[np.int64]:
    """Community ids 0 = largest, ties by the first member's position."""
    membership = np.asarray(membership, dtype=np.int64)
    if n == 0:
        return membership
    sizes = np.bincount(membership)
    first = np.full(len(sizes), n)
    np.minimum.at(first, membership, np.arange(n))
    order = sorted(np.unique(membership), key=lambda c: (-sizes[c], first[c]))
    mapping = np.empty(len(sizes), dtype=np.int64)
    mapping[order] = np.arange(len(order))
    return mapping[membership]


def communities(arrays: EdgeArrays, *, random_state: int | None = 0, method: str = "auto",
                exact_threshold: int = EXACT_THRESHOLD, backend: str = "auto") -> tuple[npt.NDArray[np.int64], str]:
    """Community of each node (renumbered); ``method`` "louvain", "leiden" or "auto" (Louvain up
    to ``exact_threshold`` nodes, Leiden above).  Without igraph: networkx Louvain."""
    if method not in ("auto", "louvain", "leiden"):
        raise DiscourseError(f"community method must be 'auto', 'louvain' or 'leiden'; got {method!r}")
    if method == "auto":
        method = "louvain" if arrays.n <= exact_threshold else "leiden"
    igraph = _igraph(backend)
    if igraph is None:
        if method == "leiden":
            method = "louvain"  # networkx has no Leiden; its Louvain optimises the same modularity
        parts = nx.community.louvain_communities(arrays.to_networkx(directed=False), weight="weight",
                                                 seed=random_state)
        membership = np.empty(arrays.n, dtype=np.int64)
        for label, members in enumerate(parts):
            membership[list(members)] = label
    else:
        g = arrays.to_igraph(igraph, directed=False)
        with _seeded(igraph, random_state):
            if method == "louvain":
                found = g.community_multilevel(weights="weight")
            else:
                found = g.community_leiden(objective_function="modularity", weights="weight", n_iterations=2)
        membership = np.asarray(found.membership, dtype=np.int64)
    return renumber(membership, arrays.n), method


def modularity(arrays: EdgeArrays, membership: npt.ArrayLike) -> float:
    """Newman modularity of ``membership`` on the undirected weighted projection (0 if no edges)."""
    low, high, weight = arrays.undirected()
    total = weight.sum()
    if total == 0:
        return 0.0
    membership = np.asarray(membership)
    strength = np.bincount(low, weights=weight, minlength=arrays.n) + np.bincount(high, weights=weight,
                                                                                  minlength=arrays.n)
    inside = np.bincount(membership[low], weights=np.where(membership[low] == membership[high], weight, 0.0))
    degree_sum = np.bincount(membership, weights=strength)
    return float(inside.sum() / total - ((degree_sum / (2 * total)) ** 2).sum())


def path_measures(arrays: EdgeArrays, *, random_state: int | None = 0, exact_threshold: int = EXACT_THRESHOLD,
                  pivots: int = PIVOTS, backend: str = "auto", closeness: bool = True, core: bool = True,
                  report: StageReporter = unreported) -> tuple[pd.DataFrame, bool]:
    """PageRank, betweenness, closeness (zeros if ``closeness`` is False) and k-core (zeros if
    ``core`` is False); returns (DataFrame, sampled: bool).  ``report``: each measure is reported
    as a stage ("pagerank", "betweenness (exact)" or "(pivots)", ...; igraph backend only)."""
    n = arrays.n
    igraph = _igraph(backend)
    if igraph is None:
        g = arrays.to_networkx()
        pagerank = nx.pagerank(g, weight="weight", tol=1e-12, max_iter=10_000) if n else {}
        between = nx.betweenness_centrality(g)
        close = nx.closeness_centrality(g) if closeness else dict.fromkeys(range(n), 0.0)
        core = nx.core_number(arrays.to_networkx(directed=False)) if core else dict.fromkeys(range(n), 0)
        values, sampled = [[d[i] for i in range(n)] for d in (pagerank, between, close, core)], False
    else:
        sampled = n > exact_threshold
        with _seeded(igraph, random_state):
            values = _igraph_path_measures(igraph, arrays, sampled, random_state, pivots, closeness, core, report)
    frame = pd.DataFrame(dict(zip(["pagerank", "betweenness", "closeness", "k_core"],
                                  [np.asarray(v, dtype=float) for v in values])))
    frame["k_core"] = frame["k_core"].astype(np.int64)
    return frame, sampled


def _igraph_path_measures(igraph: ModuleType, arrays: EdgeArrays, sampled: bool, random_state: int | None,
                          pivots: int, closeness: bool, core: bool, report: StageReporter) -> list:
    n = arrays.n
    g = arrays.to_igraph(igraph)
    with report("pagerank"):
        pagerank = g.pagerank(weights=arrays.weight.tolist(), damping=0.85, directed=True) if n else []
    scale = 1.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0
    # Exact measures cost nodes x edges, the pivots' estimates pivots x edges: two stages apart.
    way = "(pivots)" if sampled else "(exact)"
    if sampled:
        chosen = draw_pivots(n, pivots, random_state)
        with report(f"betweenness {way}"):
            between = sampled_betweenness(igraph, arrays, chosen) * (n / len(chosen))
        with report(f"closeness {way}") if closeness else nullcontext():
            close = sampled_closeness(arrays, chosen) if closeness else np.zeros(n)
    else:
        with report(f"betweenness {way}"):
            between = np.asarray(g.betweenness(directed=True)) if n else np.zeros(0)
        close = np.zeros(n)
        if closeness:
            with report(f"closeness {way}"):
                inverse = np.nan_to_num(np.asarray(g.closeness(mode="in"), dtype=float))  # r / sum over reachable
                reached = np.asarray(g.neighborhood_size(order=n, mode="in"), dtype=float) - 1
                close = inverse * reached / (n - 1) if n > 1 else np.zeros(n)
    with report("k-core") if core else nullcontext():
        core = arrays.to_igraph(igraph, directed=False).coreness() if n and core else np.zeros(n)
    return [pagerank, between * scale if n > 2 else np.zeros(n), close, core]


def node_measures(graph: nx.Graph, *, random_state: int | None = 0, exact_threshold: int = EXACT_THRESHOLD,
                  pivots: int = PIVOTS, community_method: str = "auto", backend: str = "auto",
                  report: StageReporter = unreported) -> pd.DataFrame:
    """Every node measure of ``graph`` (see the module docstring), one row per node in order.

    ``attrs`` records how they were computed: backend, sampled, pivots, community_method.
    ``report``: each measure is reported as a stage (see :mod:`discourse._runtime.stages`).
    """
    arrays = EdgeArrays(graph)
    with report("degrees+reciprocity"):
        frame = simple_measures(arrays)
    paths, sampled = path_measures(arrays, random_state=random_state, exact_threshold=exact_threshold,
                                   pivots=pivots, backend=backend, report=report)
    with report("hits"):
        hub, authority = hits(arrays)
    with report("communities"):
        membership, method = communities(arrays, random_state=random_state, method=community_method,
                                         exact_threshold=exact_threshold, backend=backend)
    frame = pd.concat([frame, paths], axis=1).assign(hub=hub, authority=authority, community=membership)
    frame.insert(0, "author", arrays.nodes)
    frame.attrs = {"backend": "networkx" if _igraph(backend) is None else "igraph", "sampled": sampled,
                   "pivots": int(min(pivots, arrays.n)) if sampled else 0, "community_method": method,
                   "modularity": modularity(arrays, membership)}
    return frame


def score_measures(graph: nx.Graph | EdgeArrays, *, random_state: int | None = 0,
                   exact_threshold: int = EXACT_THRESHOLD, pivots: int = PIVOTS, backend: str = "auto",
                   report: StageReporter = unreported) -> pd.DataFrame:
    """Only what the central-commenter score needs (author, pagerank, weighted degrees,
    betweenness, partners): cheaper than :func:`node_measures` for repeated runs.  ``graph``
    may be a networkx graph or :class:`EdgeArrays`; ``report`` as for :func:`node_measures`."""
    arrays = graph if isinstance(graph, EdgeArrays) else EdgeArrays(graph)
    paths, _ = path_measures(arrays, random_state=random_state, exact_threshold=exact_threshold, pivots=pivots,
                             backend=backend, closeness=False, core=False, report=report)
    with report("degrees+reciprocity"):
        simple = simple_measures(arrays)
    frame = pd.concat([simple, paths[["pagerank", "betweenness"]]], axis=1)
    frame.insert(0, "author", arrays.nodes)
    return frame
