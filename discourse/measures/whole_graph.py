"""Whole-graph statistics, as Gephi's and NodeXL's overviews give them (graph.csv, the report).

One row: commenters, links (self-replies are not links: they are counted apart, as
``self_replies``), density, weakly and strongly connected components with the share of
commenters in the largest, diameter and average path length, transitivity, average
clustering and reciprocity.

Paths, clustering and transitivity are those of the undirected graph (as NodeXL's geodesics;
Gephi's "undirected" setting), within the largest weakly connected component.  Up to
:data:`EXACT_PATHS` commenters in it they are exact; above, breadth-first searches from
:data:`PATH_SOURCES` seeded random commenters estimate the average path length, and the
diameter is the longest path they met (a lower bound); the ``paths`` column says which.
"""

from __future__ import annotations

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

__all__ = ["EXACT_PATHS", "PATH_SOURCES", "MIN_LINKS_TO_RANK", "graph_statistics", "ranking_is_meaningful",
           "degree_counts"]

EXACT_PATHS = 3_000
PATH_SOURCES = 300
#: Sources whose distances are held at once when estimating paths.
_SOURCE_BLOCK = 20
#: Fewer links than this between commenters, and a ranking of them says nothing.
MIN_LINKS_TO_RANK = 3

COLUMNS = ["commenters", "links", "self_replies", "density", "weak_components", "largest_weak_share",
           "strong_components", "largest_strong_share", "diameter", "average_path_length", "paths",
           "transitivity", "average_clustering", "reciprocity", "isolated_commenters"]


def _links(graph: nx.DiGraph) -> int:
    return graph.number_of_edges() - nx.number_of_selfloops(graph)


def ranking_is_meaningful(graph: nx.DiGraph) -> bool:
    """Whether ``graph`` has enough reply links (:data:`MIN_LINKS_TO_RANK`) for a ranking of commenters.

    Examples
    --------
    >>> import networkx as nx
    >>> ranking_is_meaningful(nx.DiGraph([("a", "b")]))
    False
    """
    return _links(graph) >= MIN_LINKS_TO_RANK


def _igraph(graph: nx.DiGraph) -> ig.Graph:
    nodes = list(graph)
    index = {n: i for i, n in enumerate(nodes)}
    edges = [(index[u], index[v]) for u, v in graph.edges if u != v]
    return ig.Graph(n=len(nodes), edges=edges, directed=True)


def degree_counts(graph: nx.DiGraph) -> pd.DataFrame:
    """(degree, in-degree commenters, out-degree commenters) rows: how many commenters have each
    number of distinct repliers (in) and people replied to (out); self-replies left out."""
    g = _igraph(graph)
    ins, outs = np.array(g.indegree(), dtype=int), np.array(g.outdegree(), dtype=int)
    top = int(max(ins.max(initial=0), outs.max(initial=0)))
    return pd.DataFrame({"degree": np.arange(top + 1), "in_degree": np.bincount(ins, minlength=top + 1),
                         "out_degree": np.bincount(outs, minlength=top + 1)})


def graph_statistics(graph: nx.DiGraph, *, self_replies: int = 0, random_state: int = 0,
                     exact_paths: int = EXACT_PATHS, sources: int = PATH_SOURCES) -> pd.DataFrame:
    """The whole-graph statistics of the commenter ``graph`` as a one-row DataFrame (:data:`COLUMNS`).

    ``self_replies``: how many self-replies the input holds (they are no links, so the graph
    does not know them).

    Examples
    --------
    >>> import networkx as nx
    >>> row = graph_statistics(nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c")])).iloc[0]
    >>> int(row["links"]), float(row["reciprocity"]), int(row["diameter"])
    (3, 0.6666666666666666, 2)
    """
    g = _igraph(graph)
    n, m = g.vcount(), g.ecount()
    row = dict.fromkeys(COLUMNS)
    row.update(commenters=n, links=m, self_replies=int(self_replies), density=m / (n * (n - 1)) if n > 1 else 0.0,
               isolated_commenters=int(sum(1 for d in g.degree() if d == 0)))
    if n:
        weak = g.connected_components(mode="weak")
        strong = g.connected_components(mode="strong")
        row.update(weak_components=len(weak), largest_weak_share=max(weak.sizes()) / n,
                   strong_components=len(strong), largest_strong_share=max(strong.sizes()) / n)
        undirected = g.as_undirected(mode="collapse")
        row["transitivity"] = _number(undirected.transitivity_undirected())
        row["average_clustering"] = _number(undirected.transitivity_avglocal_undirected(mode="zero"))
        row["reciprocity"] = _number(g.reciprocity(ignore_loops=True)) if m else None
        giant = undirected.induced_subgraph(weak[int(np.argmax(weak.sizes()))])
        row.update(_paths(giant, exact_paths, sources, random_state))
    return pd.DataFrame([row], columns=COLUMNS)


def _number(value: float | None) -> float | None:
    return None if value is None or value != value else float(value)


def _paths(giant: ig.Graph, exact_paths: int, sources: int, random_state: int) -> dict[str, int | float | str | None]:
    size = giant.vcount()
    if size < 2:
        return {"diameter": 0, "average_path_length": None, "paths": "exact"}
    if size <= exact_paths:
        return {"diameter": int(giant.diameter(directed=False)),
                "average_path_length": float(giant.average_path_length(directed=False)), "paths": "exact"}
    picked = np.sort(np.random.default_rng(random_state).choice(size, size=min(sources, size), replace=False))
    # A block of sources at a time: all 300 rows at once held a Python list of 28 million ints at
    # 1e6 comments (about 350 MB, while the topics worker holds its own peak).  Integer sums are
    # exact, so the mean is the one of the whole matrix.
    longest, total, count = 0, 0, 0
    for start in range(0, len(picked), _SOURCE_BLOCK):
        block = picked[start:start + _SOURCE_BLOCK].tolist()
        lengths = np.array(giant.distances(source=block), dtype=np.int64)  # connected: every entry finite
        lengths = lengths[lengths > 0]
        if len(lengths):
            longest, total, count = max(longest, int(lengths.max())), total + int(lengths.sum()), count + len(lengths)
    return {"diameter": longest, "average_path_length": float(total / count) if count else float("nan"),
            "paths": f"estimated from {len(picked)} sources (diameter: at least)"}
