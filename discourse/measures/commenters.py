"""The commenter table: one row per commenter, its columns from a registry of measures.

Each entry of :data:`COMMENTER_MEASURES` is a :class:`CommenterMeasure`: a name, a function
from :class:`MeasureInputs` (the graph, the comments, their integer view, the settings) to a
table of its columns (one row per graph node, in graph order), the columns it promises, and
which of them join the "most central" ranking (:mod:`discourse.measures.ranking`).  A new
measure is one entry::

    from discourse.measures.commenters import COMMENTER_MEASURES, CommenterMeasure, commenter_metrics

    def longest_comment(inputs):
        lengths = inputs.comments["text"].str.len().groupby(inputs.comments["author"]).max()
        return pd.DataFrame({"longest_comment": lengths.reindex(inputs.nodes, fill_value=0).to_numpy()})

    measures = (*COMMENTER_MEASURES, CommenterMeasure("longest comment", longest_comment, ("longest_comment",)))
    table = commenter_metrics(graph, comments, measures=measures)  # its column after the others

Node measures (PageRank, betweenness, closeness, HITS, k-core, communities) are computed by
:mod:`discourse.measures.centrality`, which documents their definitions, the size threshold above
which betweenness and closeness are sampled, and the error of the sampling; the counts come from
the comments table, by integer codes of its view (:mod:`discourse.model.view`).
"""

from dataclasses import dataclass
from typing import Callable, Iterable

import networkx as nx
import numpy as np
import pandas as pd

from . import centrality
from .centrality import EXACT_THRESHOLD, PIVOTS
from .._runtime.stages import StageReporter, unreported
from ..exceptions import DiscourseError
from ..model.view import CommentView, comment_view

__all__ = ["CommenterMeasure", "MeasureInputs", "COMMENTER_MEASURES", "COMMENTER_TABLE_ORDER", "commenter_metrics",
           "commenter_topic_measures"]


def _count(codes: np.ndarray, n: int) -> np.ndarray:
    """How often each of 0..n-1 occurs in ``codes`` (-1, an unknown commenter, is left out)."""
    return np.bincount(codes[codes >= 0], minlength=n)


def _distinct(codes: np.ndarray, other_codes: np.ndarray, n: int) -> np.ndarray:
    """For each of 0..n-1: how many distinct ``other_codes`` occur beside it (-1, missing, left out)."""
    keep = (codes >= 0) & (other_codes >= 0)
    base = int(other_codes.max(initial=0)) + 1
    pairs = pd.unique(codes[keep].astype(np.int64) * base + other_codes[keep])  # hashing, no sort
    return np.bincount(pairs // base, minlength=n)


def _codes(column: pd.Series) -> np.ndarray:
    return pd.factorize(column, use_na_sentinel=True)[0]


def _per_author(comments: pd.DataFrame, nodes: Iterable, view: CommentView | None = None) -> pd.DataFrame:
    """Counts per commenter from the comments table, one row per node of ``nodes`` (in order).

    Integer codes and bincounts rather than string group-bys, from the comments' integer view
    (``view``, built here when None): a million comments take a second.
    """
    view = comment_view(comments) if view is None else view
    index = pd.Index(nodes)
    n = len(index)
    name, node_of_name, real, author = _authors(view, index)
    # Explicit replies (a real comment, its parent's author known), as positions: see explicit_replies.
    parent = view.parent
    reply = np.flatnonzero(real & (parent >= 0))
    reply = reply[name[parent[reply]] >= 0]
    source_name, target_name = name[reply], name[parent[reply]]
    source, target = node_of_name[source_name], node_of_name[target_name]
    selfish = source_name == target_name
    others = ~selfish
    subthread = view.subthread
    top_level = view.depth == 1
    counts = pd.DataFrame({
        "comments": _count(author, n),
        "subthreads_started": _count(np.where(top_level, author, -1), n),
        "subthreads_active": _distinct(author, subthread, n),
        "threads_active": _distinct(author, view.thread, n),
        "replies_given": _count(source[others], n),
        "replies_received": _count(target[others], n),
        "replied_to": _distinct(source[others], target_name[others], n),
        "repliers": _distinct(target[others], source_name[others], n),
        "reply_subthreads": _distinct(target[others], subthread[reply][others], n),
        "self_replies": _count(source[selfish], n),
    }, index=index)
    return counts.astype("int64")


def _authors(view: CommentView, index: pd.Index) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each comment's author name code, the node of each name code, whether the comment is real
    and authored, and its author's node (-1: placeholder, no author or not in ``index``)."""
    name = view.author
    node_of_name = np.append(index.get_indexer(view.author_names), -1)  # name code -1 (no author) -> node -1
    real = view.is_real
    return name, node_of_name, real, np.where(real, node_of_name[name], -1)


def _topics(author: np.ndarray, comments: pd.DataFrame, n: int) -> np.ndarray:
    # nunique-like: comments without a topic are left out
    return _distinct(author, _codes(comments["topic_id"]), n) if "topic_id" in comments.columns else np.zeros(n, int)


def _around(comments: pd.DataFrame, authors: set) -> pd.DataFrame:
    """The comments by ``authors``, their parents and the replies to them: all that their counts need."""
    mine = comments["author"].isin(authors)
    ids = comments.loc[mine, "comment_id"]
    keep = mine | comments["parent_id"].isin(ids) | comments["comment_id"].isin(comments.loc[mine, "parent_id"])
    return comments[keep]


# -- the registry ------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class MeasureInputs:
    """What a commenter measure is computed from."""

    graph: nx.DiGraph
    comments: pd.DataFrame
    view: CommentView           # the comments' integer view
    nodes: pd.Index             # the table's rows: the graph's nodes, in graph order
    settings: dict              # random_state, exact_threshold, pivots, community_method, backend
    report: StageReporter = unreported  # each measure is reported as a stage named after it


@dataclass(frozen=True)
class CommenterMeasure:
    """One entry of the commenter measure registry (:data:`COMMENTER_MEASURES`).

    ``compute(inputs)`` returns a table with exactly ``columns``, one row per node of
    ``inputs.nodes``; its ``attrs`` join the commenter table's.  ``ranking`` pairs each column that
    joins the central-commenter score with the words its explanation uses.  ``with_topics``: the
    measure reads the comments' topic columns, so the analysis computes it once topics are found.
    """

    name: str
    compute: Callable[[MeasureInputs], pd.DataFrame]
    columns: tuple[str, ...]
    ranking: tuple[tuple[str, str], ...] = ()
    with_topics: bool = False


_INTEGER_NODE_MEASURES = ("weighted_in_degree", "weighted_out_degree", "partners", "k_core", "community")


def _node_measures(inputs: MeasureInputs) -> pd.DataFrame:
    """The graph's node measures (:func:`discourse.measures.centrality.node_measures`), counts as integers."""
    measures = centrality.node_measures(inputs.graph, **inputs.settings, report=inputs.report)
    table = measures.drop(columns="author").reset_index(drop=True)
    for column in _INTEGER_NODE_MEASURES:
        table[column] = table[column].round().astype("int64")
    table.attrs = dict(measures.attrs)
    return table


def _comment_counts(inputs: MeasureInputs) -> pd.DataFrame:
    return _per_author(inputs.comments, inputs.nodes, inputs.view).reset_index(drop=True)


def _topic_counts(inputs: MeasureInputs) -> pd.DataFrame:
    author = _authors(inputs.view, inputs.nodes)[3]
    return pd.DataFrame({"topics": _topics(author, inputs.comments, len(inputs.nodes)).astype("int64")})


#: The commenter measures; their columns follow :data:`COMMENTER_TABLE_ORDER`.
COMMENTER_MEASURES = (
    CommenterMeasure("node measures", _node_measures,
                     ("weighted_in_degree", "weighted_out_degree", "partners", "reciprocity", "pagerank",
                      "betweenness", "closeness", "k_core", "hub", "authority", "community"),
                     ranking=(("pagerank", "PageRank"), ("weighted_in_degree", "replies received"),
                              ("betweenness", "betweenness"), ("partners", "partners"))),
    CommenterMeasure("comment counts", _comment_counts,
                     ("comments", "subthreads_started", "subthreads_active", "threads_active", "replies_given",
                      "replies_received", "replied_to", "repliers", "reply_subthreads", "self_replies")),
    CommenterMeasure("topics", _topic_counts, ("topics",), with_topics=True),
)

#: Column order of :func:`commenter_metrics`' table (commenters.csv shows the first ones first);
#: the columns of a measure not listed here follow, in registry order.
COMMENTER_TABLE_ORDER = (
    "author", "comments", "replies_received", "replies_given", "pagerank", "betweenness", "community",
    "subthreads_started", "subthreads_active", "threads_active", "replied_to", "repliers", "reply_subthreads",
    "self_replies", "partners", "weighted_in_degree", "weighted_out_degree", "closeness", "hub", "authority",
    "k_core", "reciprocity", "topics")


def _measure_table(inputs: MeasureInputs, measures: Iterable[CommenterMeasure]) -> pd.DataFrame:
    """The columns of ``measures``, one row per node, ordered by :data:`COMMENTER_TABLE_ORDER`."""
    parts, attrs = [], {}
    for measure in measures:
        with inputs.report(measure.name):
            part = measure.compute(inputs)
        if list(part.columns) != list(measure.columns) or len(part) != len(inputs.nodes):
            raise DiscourseError(f"commenter measure {measure.name!r} must give columns {list(measure.columns)} "
                                 f"for {len(inputs.nodes)} commenters; got {list(part.columns)} for {len(part)} rows")
        parts.append(part.reset_index(drop=True))
        attrs.update(part.attrs)
    table = pd.concat(parts, axis=1) if parts else pd.DataFrame(index=pd.RangeIndex(len(inputs.nodes)))
    listed = [c for c in COMMENTER_TABLE_ORDER if c in table.columns]
    table = table[[*listed, *[c for c in table.columns if c not in listed]]]
    table.attrs = attrs
    return table


def _inputs(graph: nx.DiGraph, comments: pd.DataFrame, view: CommentView | None, settings: dict,
            report: StageReporter = unreported) -> MeasureInputs:
    return MeasureInputs(graph, comments, comment_view(comments) if view is None else view, pd.Index(list(graph)),
                         settings, report)


def commenter_metrics(graph: nx.DiGraph, comments: pd.DataFrame, *, random_state: int = 0,
                      exact_threshold: int = EXACT_THRESHOLD, pivots: int = PIVOTS, community_method: str = "auto",
                      backend: str = "auto", view: CommentView | None = None,
                      measures: Iterable[CommenterMeasure] = COMMENTER_MEASURES, topics: bool = True,
                      report: StageReporter = unreported) -> pd.DataFrame:
    """One row per commenter, in graph node order: ``author`` and the columns of ``measures``
    (default every registered one, :data:`COMMENTER_MEASURES`).

    From the comments table (explicit replies only; inferred replies are edges of the graph,
    not counted here): ``comments``, ``subthreads_started`` (top-level comments),
    ``subthreads_active``, ``threads_active``, ``replies_given``/``replies_received`` (to and
    from others), ``replied_to``/``repliers`` (distinct people), ``reply_subthreads`` (subthreads
    where they were answered), ``self_replies`` (counted here, left out of every graph measure),
    ``topics`` (distinct ``topic_id`` values of their comments; 0 without that column).

    From ``graph`` without self-loops (see :mod:`discourse.measures.centrality`): ``partners``,
    ``weighted_in_degree``, ``weighted_out_degree``, ``pagerank``, ``betweenness``, ``closeness``,
    ``hub``, ``authority``, ``k_core``, ``reciprocity``, ``community`` (0 = largest).
    ``random_state`` seeds sampling and communities; graphs over ``exact_threshold`` nodes get
    betweenness and closeness sampled from ``pivots`` nodes and Leiden communities
    (``community_method``: "auto", "louvain" or "leiden").  ``backend``: "auto" (igraph if
    installed), "igraph" or "networkx" (exact, slow on large graphs).  ``attrs`` records how the
    measures were computed and the modularity of the communities.  ``view``: the comments'
    :func:`~discourse.model.view.comment_view`, if at hand.  ``topics=False`` leaves out the
    measures of topics (``with_topics``), for comments whose topics are not found yet:
    :func:`commenter_topic_measures` gives them later.  ``report``: each measure (and each node
    measure inside "node measures") is reported as a stage (:mod:`discourse._runtime.stages`).
    """
    settings = {"random_state": random_state, "exact_threshold": exact_threshold, "pivots": pivots,
                "community_method": community_method, "backend": backend}
    inputs = _inputs(graph, comments, view, settings, report)
    table = _measure_table(inputs, [m for m in measures if topics or not m.with_topics])
    attrs = table.attrs
    table.insert(0, "author", list(inputs.nodes))
    table["author"] = table["author"].astype(object)  # names, even with no commenter (else float64: joins fail)
    table.attrs = {**attrs, "edge_kinds": graph.graph.get("edge_kinds", "")}
    return table


def commenter_topic_measures(graph: nx.DiGraph, comments: pd.DataFrame, *, view: CommentView | None = None,
                             measures: Iterable[CommenterMeasure] = COMMENTER_MEASURES) -> pd.DataFrame:
    """The columns of the topic measures among ``measures`` (``with_topics``), one row per node of
    ``graph``: what ``commenter_metrics(..., topics=False)`` left out, from comments that now
    have their topic columns."""
    return _measure_table(_inputs(graph, comments, view, {}), [m for m in measures if m.with_topics])
