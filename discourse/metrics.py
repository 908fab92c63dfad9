"""Metrics of commenters, subthreads and threads, and the ranking of central commenters.

Node measures (PageRank, betweenness, closeness, HITS, k-core, communities) are computed by
:mod:`discourse.centrality`, which documents their definitions, the size threshold above
which betweenness and closeness are sampled, and the error of the sampling.  This module adds
counts from the comments table and the measures of the reply *tree*:

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

from .graph import build_graph, commenter_edges

from . import centrality
from .centrality import EXACT_THRESHOLD, PIVOTS, EdgeArrays

__all__ = ["commenter_metrics", "subthread_metrics", "thread_metrics", "central_commenters", "explicit_replies"]


def explicit_replies(comments):
    """One row per explicit reply (both comments real, both authors known), self-replies included.

    Columns: comment_id, source, target, thread_id, subthread_id.
    """
    real = comments[~comments["is_placeholder"] & comments["author"].notna() & comments["parent_id"].notna()]
    parents = comments.set_index("comment_id")
    parent_author = parents["author"].reindex(real["parent_id"]).to_numpy()
    parent_real = ~parents["is_placeholder"].reindex(real["parent_id"]).to_numpy(dtype=bool)
    keep = parent_real & ~pd.isna(parent_author)
    return pd.DataFrame({"comment_id": real["comment_id"].to_numpy()[keep], "source": real["author"].to_numpy()[keep],
                         "target": parent_author[keep], "thread_id": real["thread_id"].to_numpy()[keep],
                         "subthread_id": real["subthread_id"].to_numpy()[keep]})


def _count(codes, n):
    """How often each of 0..n-1 occurs in ``codes`` (-1, an unknown commenter, is left out)."""
    return np.bincount(codes[codes >= 0], minlength=n)


def _distinct(codes, others, n):
    """For each of 0..n-1: how many distinct ``others`` values occur beside it (missing ones left out)."""
    other_codes = pd.factorize(others, use_na_sentinel=True)[0]
    keep = (codes >= 0) & (other_codes >= 0)
    base = int(other_codes.max(initial=0)) + 1
    pairs = pd.unique(codes[keep].astype(np.int64) * base + other_codes[keep])  # hashing, no sort
    return np.bincount(pairs // base, minlength=n)


def _per_author(comments, nodes):
    """Counts per commenter from the comments table, one row per node of ``nodes`` (in order).

    Integer codes and bincounts rather than string group-bys: a million comments take a second.
    """
    index = pd.Index(nodes)
    n = len(index)
    real = (~comments["is_placeholder"] & comments["author"].notna()).to_numpy()
    author = index.get_indexer(comments["author"])
    author = np.where(real, author, -1)
    replies = explicit_replies(comments)
    source, target = index.get_indexer(replies["source"]), index.get_indexer(replies["target"])
    selfish = (replies["source"] == replies["target"]).to_numpy()
    others = ~selfish
    top_level = comments["depth"].to_numpy() == 1
    counts = pd.DataFrame({
        "comments": _count(author, n),
        "subthreads_started": _count(np.where(top_level, author, -1), n),
        "subthreads_active": _distinct(author, comments["subthread_id"], n),
        "threads_active": _distinct(author, comments["thread_id"], n),
        "replies_given": _count(source[others], n),
        "replies_received": _count(target[others], n),
        "replied_to": _distinct(source[others], replies["target"][others], n),
        "repliers": _distinct(target[others], replies["source"][others], n),
        "reply_subthreads": _distinct(target[others], replies["subthread_id"][others], n),
        "self_replies": _count(source[selfish], n),
        # nunique-like: comments without a topic are left out
        "topics": _distinct(author, comments["topic_id"], n) if "topic_id" in comments.columns else np.zeros(n, int),
    }, index=index)
    return counts.astype("int64")


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
                      community_method="auto", backend="auto"):
    """One row per commenter, in graph node order.

    From the comments table (explicit replies only; inferred replies are edges of the graph,
    not counted here): ``comments``, ``subthreads_started`` (top-level comments),
    ``subthreads_active``, ``threads_active``, ``replies_given``/``replies_received`` (to and
    from others), ``replied_to``/``repliers`` (distinct people), ``reply_subthreads`` (subthreads
    where they were answered), ``self_replies`` (counted here, left out of every graph measure),
    ``topics`` (distinct ``topic_id`` values of their comments; 0 without that column).

    From ``graph`` without self-loops (see :mod:`discourse.centrality`): ``partners``,
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
    counts = _per_author(comments, measures["author"]).reset_index(drop=True)
    table = pd.concat([measures[["author"]], counts, measures.drop(columns="author")], axis=1)[COMMENTER_COLUMNS]
    for column in ("weighted_in_degree", "weighted_out_degree", "partners", "k_core", "community"):
        table[column] = table[column].round().astype("int64")
    table.attrs = {**measures.attrs, "edge_kinds": graph.graph.get("edge_kinds", "")}
    return table


# -- tree measures -----------------------------------------------------------------------------

def _by_level(depth):
    """Positions grouped by depth, deepest level first: one array step per level, not per comment."""
    order = np.argsort(-depth, kind="stable")
    cuts = np.flatnonzero(np.diff(depth[order])) + 1
    return np.split(order, cuts)


def _tree_arrays(comments):
    """Subtree sizes, and per comment the longest alternating exchange ending there: its length,
    and (as codes into the returned author names, -1 for none) who started it and who answered."""
    ids = comments["comment_id"].to_numpy(dtype=object)
    parent = pd.Index(ids).get_indexer(comments["parent_id"].to_numpy(dtype=object, na_value=None))
    depth = comments["depth"].to_numpy()
    levels = _by_level(depth) if len(ids) else []
    size = np.ones(len(ids), dtype=np.int64)
    for at in levels:  # deepest first: a comment's subtree is complete before it is added to its parent's
        at = at[parent[at] >= 0]
        np.add.at(size, parent[at], size[at])
    author, names = pd.factorize(comments["author"].to_numpy(dtype=object, na_value=None), use_na_sentinel=True)
    author = np.where(comments["is_placeholder"].to_numpy(dtype=bool), -1, author)
    run = np.ones(len(ids), dtype=np.int64)
    start, other = np.full(len(ids), -1), np.full(len(ids), -1)
    for at in reversed(levels):  # top level first: a parent's exchange is known before its replies'
        p = parent[at]
        answered = np.where(p >= 0, author[np.maximum(p, 0)], -1)
        me = author[at]
        valid = (p >= 0) & (me >= 0) & (answered >= 0) & (answered != me)
        goes_on = valid & (run[np.maximum(p, 0)] >= 2) & (other[np.maximum(p, 0)] == me)
        run[at] = np.where(goes_on, run[np.maximum(p, 0)] + 1, np.where(valid, 2, 1))
        start[at] = np.where(goes_on, start[np.maximum(p, 0)], np.where(valid, answered, -1))
        other[at] = np.where(valid, answered, -1)
    return size, run, start, author, other, np.asarray(names, dtype=object)


def _exchange_between(start, author, other, names):
    """"A <-> B" for exchanges (A spoke first), "" where there is none."""
    return ["" if s < 0 else f"{names[s]} <-> {names[a] if s != a else names[o]}"
            for s, a, o in zip(start, author, other)]


def _edge_rows(comments, graph):
    """(source, target, share of weight, comment_id) per comment behind each non-loop edge."""
    if graph is None:
        replies = explicit_replies(comments)
        replies = replies[replies["source"] != replies["target"]]
        return replies[["source", "target", "comment_id"]].assign(weight=1.0)
    edges = [(u, v, float(data.get("weight", 1)), str(data.get("comment_ids", "")))
             for u, v, data in graph.edges(data=True) if u != v]
    frame = pd.DataFrame(edges, columns=["source", "target", "weight", "comment_id"])
    frame["comment_id"] = frame["comment_id"].str.split(";")
    frame = frame.explode("comment_id", ignore_index=True)
    frame = frame[frame["comment_id"].notna() & (frame["comment_id"] != "")]
    shares = frame.groupby(["source", "target"], sort=False)["comment_id"].transform("size")
    return frame.assign(weight=frame["weight"] / shares)[["source", "target", "weight", "comment_id"]].reset_index(
        drop=True)


def _reciprocity(edges, key):
    """Share of distinct (source, target) pairs per ``key`` group whose reverse also occurs."""
    pairs = edges[[key, "source", "target"]].drop_duplicates()
    if pairs.empty:
        return pd.Series(dtype=float)
    reverse = pairs.rename(columns={"source": "target", "target": "source"}).assign(_mutual=True)
    flagged = pairs.merge(reverse, on=[key, "source", "target"], how="left")
    return flagged["_mutual"].notna().groupby(flagged[key], sort=False).mean()


def _h_index(levels, max_depth):
    """Per group: the largest h with at least d comments on every level d <= h.

    ``levels`` has one row per (group, depth) with its count; a tree's levels are contiguous,
    so h is one less than the first level holding fewer comments than its number.
    """
    short = levels[levels["count"] < levels["depth"]].groupby(level=0, sort=False)["depth"].min() - 1
    return short.reindex(max_depth.index).fillna(max_depth).astype("int64")


def _group_measures(comments, key, graph, with_post_root):
    """The tree measures of every group (subthread or thread), vectorised over groups."""
    comments = comments.reset_index(drop=True)  # positions and labels must agree below
    size, run, start, author, other, names = _tree_arrays(comments)
    columns = list(dict.fromkeys([key, "thread_id", "author", "depth", "is_placeholder"]))
    frame = comments[columns].assign(_size=size, _run=run)
    groups = frame.groupby(key, sort=False)
    real = frame[~frame["is_placeholder"]].groupby(key, sort=False)
    table = pd.DataFrame({"thread_id": groups["thread_id"].first(), "comments": real.size(),
                          "placeholders": groups["is_placeholder"].sum(), "participants": real["author"].nunique(),
                          "max_depth": groups["depth"].max()})
    levels = frame.groupby([key, "depth"], sort=False).size().rename("count").reset_index(level=1)
    table["width"] = levels.groupby(level=0, sort=False)["count"].max()
    table["h_index"] = _h_index(levels, table["max_depth"])
    n = groups.size() + (1 if with_post_root else 0)
    # Wiener index of a tree: each edge (comment -> parent) separates size from n - size nodes;
    # a subthread's root has no parent edge, and its term is 0 anyway (size = n).
    edge_side = frame["_size"] * (frame[key].map(n) - frame["_size"])
    pairs = n * (n - 1) / 2
    table["structural_virality"] = (edge_side.groupby(frame[key], sort=False).sum() / pairs).where(n > 1, 0.0)
    edges = _edge_rows(comments, graph).merge(comments[["comment_id", key]], on="comment_id")
    table["reciprocity"] = _reciprocity(edges, key).reindex(table.index).fillna(0.0)
    chosen = groups["_run"].idxmax().to_numpy()  # idxmax: first maximum in source order
    best = frame.loc[chosen]
    longest = pd.Series(best["_run"].to_numpy(), index=best[key].to_numpy())
    table["longest_exchange"] = longest.where(longest >= 2, 0)
    between = _exchange_between(start[chosen], author[chosen], other[chosen], names)
    table["longest_exchange_between"] = pd.Series(between, index=best[key].to_numpy()).where(
        longest >= 2, "")
    table = table.fillna({"comments": 0, "participants": 0}).astype({"comments": "int64", "participants": "int64",
                                                                      "placeholders": "int64"})
    if key == "thread_id":
        table = table.drop(columns="thread_id")
    return table.rename_axis(key).reset_index(), edges


def subthread_metrics(comments, graph=None):
    """One row per subthread (source order): subthread_id, thread_id, root_comment_id,
    root_author, comments (real), placeholders, participants, max_depth, width, h_index,
    structural_virality, reciprocity, longest_exchange, longest_exchange_between.

    Reciprocity uses the edges of ``graph`` whose comments lie in the subthread (so it follows
    the graph's edge kinds), or the explicit replies when ``graph`` is None.
    """
    table, _ = _group_measures(comments, "subthread_id", graph, with_post_root=False)
    if table.empty:
        return table.reindex(columns=[*table.columns[:2], "root_comment_id", "root_author", *table.columns[2:]])
    by_id = comments.set_index("comment_id")
    table.insert(2, "root_comment_id", table["subthread_id"])
    table.insert(3, "root_author", by_id["author"].reindex(table["subthread_id"]).to_numpy())
    return table


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
    table, edges = _group_measures(comments, "thread_id", graph, with_post_root=True)
    if table.empty:
        return table.reindex(columns=["thread_id", "subthreads", *table.columns[1:], "modularity"])
    table.insert(1, "subthreads", comments.groupby("thread_id", sort=False)["subthread_id"].nunique()
                 .reindex(table["thread_id"]).to_numpy())
    labels = dict(graph.nodes(data="community"))
    if any(v is None for v in labels.values()):
        membership, _ = centrality.communities(EdgeArrays(graph), random_state=random_state,
                                               method=community_method, exact_threshold=exact_threshold)
        labels = dict(zip(graph, membership))
    table["modularity"] = table["thread_id"].map(_modularity_by_group(edges, labels, "thread_id")).astype(float)
    return table


def _modularity_by_group(edges, labels, key):
    """Newman modularity of ``labels`` on each group's undirected projection, vectorised.

    Every term is a sum of edge weights (both directions of a pair add up in the projection),
    so per group: Q = (weight inside communities) / m - sum over communities of (strength / 2m)^2.
    """
    if edges.empty:
        return pd.Series(dtype=float)
    frame = pd.DataFrame({key: edges[key].to_numpy(), "w": edges["weight"].to_numpy(dtype=float),
                          "cs": edges["source"].map(labels).to_numpy(), "ct": edges["target"].map(labels).to_numpy()})
    total = frame.groupby(key, sort=False)["w"].sum()
    inside = frame["w"].where(frame["cs"] == frame["ct"], 0.0).groupby(frame[key], sort=False).sum()
    ends = pd.concat([frame[[key, "w"]].assign(c=frame["cs"]), frame[[key, "w"]].assign(c=frame["ct"])])
    strength = ends.groupby([key, "c"], sort=False)["w"].sum()
    share = strength / (2 * total.reindex(strength.index.get_level_values(0)).to_numpy())
    return inside / total - (share ** 2).groupby(level=0, sort=False).sum()


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
