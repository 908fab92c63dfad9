"""Metrics of commenters, subthreads and threads, and the ranking of central commenters.

Node measures (PageRank, betweenness, closeness, HITS, k-core, communities) are computed by
:mod:`discourse.measures.centrality`, which documents their definitions, the size threshold above
which betweenness and closeness are sampled, and the error of the sampling.  This module adds
counts from the comments table and the measures of the reply *tree* (computed in
:mod:`discourse.measures.reply_trees`, once for both the subthread and the thread table by :func:`group_metrics`):

- ``max_depth``: deepest level (1 = top-level comment); ``width``: most comments on one level;
  placeholders count, since the comments they stand for existed;
- ``h_index`` (Gomez, Kaltenbrunner & Lopez, WWW 2008): the largest h such that every level
  1..h holds at least h comments (a subthread's root is level 1);
- ``structural_virality`` (Goel et al. 2016): mean distance between all pairs of comments in the
  tree, 0 for a single comment; a thread's tree includes the post as its root;
- ``reciprocity``: share of directed commenter pairs in the group that also occur reversed;
- ``longest_exchange``: most comments in a chain of replies alternating between two people
  (A, B, A, ...), 0 if nobody answered anybody; ``longest_exchange_between`` is "A <-> B",
  A being who spoke first.  Ties go to the chain that ends first in source order.
"""

import numpy as np
import pandas as pd

from ..network.graph import build_graph, commenter_edges

from . import centrality
from . import reply_trees as trees
from .reply_trees import explicit_replies
from .centrality import EXACT_THRESHOLD, PIVOTS, EdgeArrays
from ..model.view import comment_view

__all__ = ["commenter_metrics", "subthread_metrics", "thread_metrics", "group_metrics", "central_commenters",
           "explicit_replies"]


def _count(codes, n):
    """How often each of 0..n-1 occurs in ``codes`` (-1, an unknown commenter, is left out)."""
    return np.bincount(codes[codes >= 0], minlength=n)


def _distinct(codes, other_codes, n):
    """For each of 0..n-1: how many distinct ``other_codes`` occur beside it (-1, missing, left out)."""
    keep = (codes >= 0) & (other_codes >= 0)
    base = int(other_codes.max(initial=0)) + 1
    pairs = pd.unique(codes[keep].astype(np.int64) * base + other_codes[keep])  # hashing, no sort
    return np.bincount(pairs // base, minlength=n)


def _codes(column):
    return pd.factorize(column, use_na_sentinel=True)[0]


def _per_author(comments, nodes, view=None):
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
        # nunique-like: comments without a topic are left out
        "topics": _topics(author, comments, n),
    }, index=index)
    return counts.astype("int64")


def _authors(view, index):
    """Each comment's author name code, the node of each name code, whether the comment is real
    and authored, and its author's node (-1: placeholder, no author or not in ``index``)."""
    name = view.author
    node_of_name = np.append(index.get_indexer(view.author_names), -1)  # name code -1 (no author) -> node -1
    real = view.is_real
    return name, node_of_name, real, np.where(real, node_of_name[name], -1)


def _topics(author, comments, n):
    # nunique-like: comments without a topic are left out
    return _distinct(author, _codes(comments["topic_id"]), n) if "topic_id" in comments.columns else np.zeros(n, int)


def topics_per_commenter(comments, nodes, view=None):
    """The ``topics`` column of :func:`commenter_metrics` alone: how many distinct ``topic_id``
    values the comments of each of ``nodes`` have (for topics found after the measures)."""
    view = comment_view(comments) if view is None else view
    index = pd.Index(nodes)
    return _topics(_authors(view, index)[3], comments, len(index)).astype("int64")


#: Columns of :func:`commenter_metrics`, the ones commenters.csv promises first.
COMMENTER_COLUMNS = [
    "author", "comments", "replies_received", "replies_given", "pagerank", "betweenness", "community",
    "subthreads_started", "subthreads_active", "threads_active", "replied_to", "repliers", "reply_subthreads",
    "self_replies", "partners", "weighted_in_degree", "weighted_out_degree", "closeness", "hub", "authority",
    "k_core", "reciprocity", "topics"]


def _around(comments, authors):
    """The comments by ``authors``, their parents and the replies to them: all that their counts need."""
    mine = comments["author"].isin(authors)
    ids = comments.loc[mine, "comment_id"]
    keep = mine | comments["parent_id"].isin(ids) | comments["comment_id"].isin(comments.loc[mine, "parent_id"])
    return comments[keep]


def commenter_metrics(graph, comments, *, random_state=0, exact_threshold=EXACT_THRESHOLD, pivots=PIVOTS,
                      community_method="auto", backend="auto", view=None):
    """One row per commenter, in graph node order.

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
    measures were computed and the modularity of the communities.
    """
    measures = centrality.node_measures(graph, random_state=random_state, exact_threshold=exact_threshold,
                                        pivots=pivots, community_method=community_method, backend=backend)
    counts = _per_author(comments, measures["author"], view).reset_index(drop=True)
    table = pd.concat([measures[["author"]], counts, measures.drop(columns="author")], axis=1)[COMMENTER_COLUMNS]
    table["author"] = table["author"].astype(object)  # names, even with no commenter (else float64: joins fail)
    for column in ("weighted_in_degree", "weighted_out_degree", "partners", "k_core", "community"):
        table[column] = table[column].round().astype("int64")
    table.attrs = {**measures.attrs, "edge_kinds": graph.graph.get("edge_kinds", "")}
    return table


# -- tree measures (computed in discourse.measures.reply_trees) -----------------------------------------------

def _subthread_table(inputs):
    table, _ = trees.group_measures(inputs, "subthread_id", with_post_root=False)
    if table.empty:
        return table.reindex(columns=[*table.columns[:2], "root_comment_id", "root_author", *table.columns[2:]])
    root = inputs.id_index.get_indexer(table["subthread_id"])
    table.insert(2, "root_comment_id", table["subthread_id"])
    table.insert(3, "root_author", inputs.comments["author"].array.take(root, allow_fill=True).to_numpy())
    return table


def _thread_table(inputs, graph, random_state, exact_threshold, community_method):
    table, codes = trees.group_measures(inputs, "thread_id", with_post_root=True)
    if table.empty:
        return table.reindex(columns=["thread_id", "subthreads", *table.columns[1:], "modularity"])
    table.insert(1, "subthreads", trees.distinct_per_group(codes, inputs.view.subthread, len(table)))
    labels = dict(graph.nodes(data="community"))
    if any(v is None for v in labels.values()):
        membership, _ = centrality.communities(EdgeArrays(graph), random_state=random_state,
                                               method=community_method, exact_threshold=exact_threshold)
        labels = dict(zip(graph, membership))
    communities = pd.Series(inputs.nodes, dtype=object).map(labels)
    table["modularity"] = trees.modularity_by_group(inputs, codes, communities, len(table))
    return table


def subthread_metrics(comments, graph=None):
    """One row per subthread (source order): subthread_id, thread_id, root_comment_id,
    root_author, comments (real), placeholders, participants, max_depth, width, h_index,
    structural_virality, reciprocity, longest_exchange, longest_exchange_between.

    Reciprocity uses the edges of ``graph`` whose comments lie in the subthread (so it follows
    the graph's edge kinds), or the explicit replies when ``graph`` is None.
    """
    return _subthread_table(trees.tree_inputs(comments, graph))


def thread_metrics(comments, graph=None, *, random_state=0, exact_threshold=EXACT_THRESHOLD,
                   community_method="auto"):
    """One row per thread: thread_id, subthreads, the measures of :func:`subthread_metrics` over
    the whole thread (its tree rooted at the post), and ``modularity``.

    Modularity is that of the commenter communities (the graph's ``community`` node attribute
    if every node has one, else found as :func:`commenter_metrics` finds them) on the thread's
    part of the graph: the edges whose comments lie in the thread, each weighted by the share of
    its comments there.  NaN when the thread has no edge.
    """
    if graph is None:
        graph = build_graph(comments, commenter_edges(comments, kinds=("reply",)))
    return _thread_table(trees.tree_inputs(comments, graph), graph, random_state, exact_threshold, community_method)


def group_metrics(comments, graph=None, *, random_state=0, exact_threshold=EXACT_THRESHOLD, community_method="auto",
                  view=None):
    """(:func:`subthread_metrics`, :func:`thread_metrics`) of the same comments and graph, from one
    pass over the reply tree and the graph's edges (the two share all of it but the grouping)."""
    if graph is None:
        return (subthread_metrics(comments), thread_metrics(comments, random_state=random_state,
                                                            exact_threshold=exact_threshold,
                                                            community_method=community_method))
    inputs = trees.tree_inputs(comments, graph, view)
    return _subthread_table(inputs), _thread_table(inputs, graph, random_state, exact_threshold, community_method)


# -- ranking -----------------------------------------------------------------------------------

#: Measures combined into the centrality score, with the words the explanation uses for them.
SCORE_MEASURES = {"pagerank": "PageRank", "weighted_in_degree": "replies received",
                  "betweenness": "betweenness", "partners": "partners"}


def _plural(n, one, many=None):
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _ordinal(n):
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _why(row, standings, edge_kinds):
    received = row["replies_received"]
    parts = [f"received {_plural(received, 'reply', 'replies')} from {_plural(row['repliers'], 'person', 'people')} "
             f"across {_plural(row['reply_subthreads'], 'subthread')}" if received else "received no replies"]
    extra = int(round(row["weighted_in_degree"])) - received
    if extra > 0:
        parts[0] += (f" (and {_plural(extra, 'inferred reply', 'inferred replies')})" if edge_kinds == "reply" else
                     f" (and {extra} inferred replies, mentions or quotes)")
    parts += [f"interacted with {_plural(row['partners'], 'person', 'people')}",
              f"wrote {_plural(row['comments'], 'comment')} in {_plural(row['subthreads_active'], 'subthread')}"
              + (f", starting {row['subthreads_started']}" if row["subthreads_started"] else "")]
    by_rank = {}
    for label, rank in standings:
        by_rank.setdefault(rank, []).append(label)
    if by_rank:
        parts.append(", ".join(f"{_ordinal(rank)} by " + (" and ".join(labels) if len(labels) < 3 else
                                                         ", ".join(labels[:-1]) + " and " + labels[-1])
                               for rank, labels in sorted(by_rank.items())))
    return "; ".join(parts)


def rank_commenters(measures):
    """Score (mean percentile rank over :data:`SCORE_MEASURES`) and order, all commenters."""
    table = measures[["author", *SCORE_MEASURES]].reset_index(drop=True)
    for measure in SCORE_MEASURES:
        table[f"score_{measure}"] = table[measure].rank(pct=True, method="average")
    table["score"] = table[[f"score_{m}" for m in SCORE_MEASURES]].mean(axis=1)
    table["_order"] = range(len(table))
    return table.sort_values(["score", "pagerank", "weighted_in_degree", "_order"],
                             ascending=[False, False, False, True], kind="stable")


def central_commenters(metrics, comments, *, top=10):
    """The ``top`` most central commenters, ranked, each with a plain-words ``why``.

    The score combines four views of centrality (:data:`SCORE_MEASURES`): PageRank (attention
    from attended people), weighted in-degree (replies received), betweenness (bridging) and
    partners (reach).  Each commenter's score is the mean of their percentile ranks on the four
    (``rank(pct=True)``, ties averaged), in (0, 1]; percentile ranks keep one heavy-tailed
    measure from dominating.  Ties go to higher PageRank, then more replies received, then
    earlier first comment.  Columns: rank, author, score, one ``score_<measure>`` per measure
    (its percentile rank), the four measures, replies_received, comments, why.  ``why`` states
    replies received (from how many people, across how many subthreads), partners, comments,
    and the measures on which the commenter is in the top 3.
    """
    columns = ["rank", "author", "score", *[f"score_{m}" for m in SCORE_MEASURES], *SCORE_MEASURES,
               "replies_received", "comments", "why"]
    if metrics.empty:
        return pd.DataFrame(columns=columns)
    places = {m: metrics[m].rank(ascending=False, method="min").astype(int).to_numpy() for m in SCORE_MEASURES}
    ranked = rank_commenters(metrics).head(top)
    counts = _per_author(_around(comments, set(ranked["author"])), ranked["author"]).reset_index(drop=True)
    ranked = pd.concat([ranked.reset_index(drop=True), counts], axis=1)
    kinds = metrics.attrs.get("edge_kinds", "")
    ranked["why"] = [_why(row, [(label, int(places[m][row["_order"]])) for m, label in SCORE_MEASURES.items()
                                if places[m][row["_order"]] <= 3 and row[m] > 0], kinds)
                     for _, row in ranked.iterrows()]
    ranked["rank"] = range(1, len(ranked) + 1)
    return ranked[columns]
