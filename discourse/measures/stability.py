"""How stable the most central commenters are: the top 5 again with each subthread left out.

A ranking that changes when one subthread is dropped rests on that subthread; one that holds
says something about the whole discussion.  The ranking is :func:`discourse.measures.ranking.central_commenters`'
score; this module recomputes it for each left-out subthread from edges detected once.
"""

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from . import centrality
from .centrality import EXACT_THRESHOLD, PIVOTS, EdgeArrays
from ..network.graph import chosen_edges, edge_records
from .ranking import rank_commenters
from ..model.view import CommentView, comment_view

__all__ = ["top_stability", "STABILITY_PIVOTS"]


#: Betweenness pivots of the stability check above the exact threshold: each left-out subthread
#: recomputes the ranking, and the full ranking is recomputed the same way, so the overlaps
#: compare like with like (the estimator's noise is the same in both) at a fifth of the cost.
STABILITY_PIVOTS = 100


class _Edges:
    """Edge records as integer codes, deduplicated as :func:`build_graph` aggregates them, so
    leaving a subthread out is a mask over arrays rather than a filter over text columns.

    Names and kinds are hashed once, comments are the records' rows; filters and deduplication then
    work on the codes, which stand for the texts one to one."""

    def __init__(self, records: pd.DataFrame, view: CommentView, edge_kinds: tuple[str, ...],
                 include_inferred: bool) -> None:
        n_records = len(records)
        ends, end_names = pd.factorize(np.concatenate([records["source"].to_numpy(dtype=object),
                                                       records["target"].to_numpy(dtype=object)]))
        source, target = ends[:n_records], ends[n_records:]
        kind, _ = pd.factorize(records["kind"])
        chosen = chosen_edges(records, edge_kinds, include_inferred=include_inferred, include_self_loops=False)
        self.ids = ids = view.id_index
        made = records["comment_row"].to_numpy(dtype=np.int64)  # rows of the view's comments
        chosen = np.flatnonzero(chosen)
        unique = ~pd.DataFrame({"s": source[chosen], "t": target[chosen], "k": kind[chosen],
                                "c": made[chosen]}).duplicated().to_numpy()
        chosen = chosen[unique]
        real = view.is_real
        # Commenters in order of first comment, then anyone else an edge names (a post's author).
        author, author_names = view.author, view.author_names
        first = author_names[pd.unique(author[real])] if real.any() else author_names[:0]
        end_order = pd.unique(np.concatenate([source[chosen], target[chosen]]))
        others = end_names[end_order]
        self.names = np.asarray(list(first) + list(others[~pd.Index(others).isin(first)]), dtype=object)
        index = pd.Index(self.names)
        node_of_end = index.get_indexer(end_names)
        self.src, self.dst = node_of_end[source[chosen]], node_of_end[target[chosen]]
        self.subthread, self.subthread_ids = view.subthread, view.subthread_names
        quoted = records["target_row"].to_numpy(dtype=np.int64)[chosen]
        made = made[chosen]
        found = (made >= 0) & (made < len(ids))
        self.made_in = np.where(found, self.subthread[np.where(found, made, 0)], -1)
        self.quoted_in = np.where(quoted >= 0, self.subthread[np.maximum(quoted, 0)], -1)
        node_of_author = np.append(index.get_indexer(author_names), -1)  # author code -1 (none) -> -1
        self.author = np.where(real, node_of_author[author], -1)
        self.comments_by = np.bincount(self.author[self.author >= 0], minlength=len(self.names))
        self.n_real = int(real.sum())

    def ranking_without(self, left_out: int, top: int, random_state: int, options: dict) -> list:
        """The top authors with subthread ``left_out`` (a code; -1 for none) removed."""
        in_it = (self.subthread == left_out) & (self.author >= 0)
        there = np.bincount(self.author[in_it], minlength=len(self.names))
        gone = (there > 0) & (there == self.comments_by)  # commenters who wrote only there
        keep = ~gone[self.src] & ~gone[self.dst]
        if left_out >= 0:  # -1 also marks records whose comment lies in no subthread: not a subthread to match
            keep &= (self.made_in != left_out) & (self.quoted_in != left_out)
        src, dst = self.src[keep], self.dst[keep]
        staying = self.author[(self.author >= 0) & ~in_it]
        nodes = pd.unique(staying)
        extra = pd.unique(np.concatenate([src, dst]))
        nodes = np.concatenate([nodes, extra[~np.isin(extra, nodes)]]).astype(np.int64)
        local = np.full(len(self.names), -1)
        local[nodes] = np.arange(len(nodes))
        pairs, unique_pairs = pd.factorize(local[src].astype(np.int64) * len(nodes) + local[dst])
        weights = np.bincount(pairs, minlength=len(unique_pairs)).astype(float)
        arrays = EdgeArrays.from_codes(list(self.names[nodes]), unique_pairs // max(len(nodes), 1),
                                       unique_pairs % max(len(nodes), 1), weights)
        measures = centrality.score_measures(arrays, random_state=random_state, **options)
        return rank_commenters(measures)["author"].head(top).tolist()


def top_stability(comments: pd.DataFrame, *, top: int = 5, edge_kinds: Iterable[str] = ("reply",),
                  post_author_edges: bool = False, threads: pd.DataFrame | Mapping | None = None,
                  include_inferred: bool = True, random_state: int = 0, max_subthreads: int | str | None = "auto",
                  metrics: pd.DataFrame | None = None, records: pd.DataFrame | None = None,
                  view: CommentView | None = None, **options: Any) -> pd.DataFrame:
    """How the top ``top`` of :func:`central_commenters` changes when each subthread is left out.

    One row per subthread left out (source order): subthread_id, thread_id, root_author,
    comments (real comments left out), top (";"-joined, in rank order), overlap (how many of
    the full top remain), jaccard, dropped and entered (";"-joined).  ``attrs`` holds
    ``full_top``, ``mean_overlap``, ``subthreads_tried`` and ``subthreads``.

    Edges are detected once; leaving a subthread out drops the edges its comments make, the
    quotes of its comments, and the commenters who wrote only there.  Each row recomputes the
    four score measures, so ``max_subthreads`` bounds the work: "auto" (default) tries every
    subthread while subthreads x comments <= 500,000, else the largest subthreads within that
    budget (at least 3); an int tries the largest that many; None tries all.  ``metrics``: the
    :func:`commenter_metrics` table of the same comments and options, if at hand, saves
    recomputing the full ranking (used only while every measure is exact: above the exact
    threshold betweenness is estimated from :data:`STABILITY_PIVOTS` pivots, the full ranking
    included).  ``records``: :func:`discourse.network.graph.edge_records` of the same comments, options
    and at least the kinds of ``edge_kinds`` (the rows of other kinds are left out), if at hand,
    saves detecting the edges again; ``view``: the comments' :func:`~discourse.model.view.comment_view`.
    Other keywords (``exact_threshold``, ``pivots``,
    ``backend``, ``report``: each measure reported as a stage) go to the measures.
    """
    comments = comments.reset_index(drop=True)
    edge_kinds = tuple(edge_kinds)
    kinds = tuple(k for k in edge_kinds if k != "post") or ("reply",)
    view = comment_view(comments) if view is None else view
    if records is None:
        records = edge_records(comments, kinds=kinds, post_author_edges=post_author_edges, threads=threads, view=view)
    edges = _Edges(records, view, edge_kinds, include_inferred)
    sampled = len(edges.names) > options.get("exact_threshold", EXACT_THRESHOLD)
    if sampled:
        options = {**options, "pivots": min(options.get("pivots", PIVOTS), STABILITY_PIVOTS)}
    settings = (top, random_state, options)
    full = rank_commenters(metrics)["author"].head(top).tolist() if metrics is not None and not sampled else \
        edges.ranking_without(-1, *settings)
    sizes = np.bincount(edges.subthread[edges.author >= 0], minlength=len(edges.subthread_ids))
    order = np.arange(len(edges.subthread_ids))  # codes follow first appearance: source order
    if max_subthreads == "auto":
        max_subthreads = max(3, 500_000 // max(len(comments), 1))
    if max_subthreads is not None and max_subthreads < len(order):
        largest = np.argsort(-sizes, kind="stable")[:max_subthreads]
        order = np.sort(largest)
    rows = []
    for code in order:
        subthread = edges.subthread_ids[code]
        found = edges.ranking_without(code, *settings)
        shared = set(found) & set(full)
        root = edges.ids.get_loc(subthread)
        rows.append({"subthread_id": subthread, "thread_id": comments["thread_id"].iat[root],
                     "root_author": comments["author"].iat[root], "comments": int(sizes[code]),
                     "top": ";".join(found), "overlap": len(shared),
                     "jaccard": len(shared) / len(set(found) | set(full)) if found or full else 1.0,
                     "dropped": ";".join(a for a in full if a not in shared),
                     "entered": ";".join(a for a in found if a not in shared)})
    table = pd.DataFrame(rows, columns=["subthread_id", "thread_id", "root_author", "comments", "top", "overlap",
                                        "jaccard", "dropped", "entered"])
    table.attrs = {"full_top": full, "mean_overlap": float(table["overlap"].mean()) if rows else float(len(full)),
                   "subthreads_tried": len(rows), "subthreads": len(edges.subthread_ids),
                   "pivots": options["pivots"] if sampled else 0}
    return table
