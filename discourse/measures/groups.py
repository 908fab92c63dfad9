"""Measures of subthreads, threads and commenter communities: the shape of each reply tree, who
answered whom in it, and what each community writes about (:func:`community_topics`).

The measures are computed in :mod:`discourse.measures.reply_trees`, once for both the subthread
and the thread table by :func:`group_metrics`:

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

import networkx as nx
import numpy as np
import pandas as pd

from . import centrality
from . import reply_trees as trees
from .centrality import EXACT_THRESHOLD, EdgeArrays
from ..model.view import CommentView
from ..network.graph import build_graph, commenter_edges
from ..topics.find import OTHER_LABEL
from ..topics.topic_map import comment_topics

__all__ = ["subthread_metrics", "thread_metrics", "group_metrics", "community_topics", "COMMUNITY_COLUMNS"]

#: Topics listed per community in :func:`community_topics`.
COMMUNITY_TOPICS = 3
#: The share of a community's comments a topic needs to be in its description (besides the first).
DESCRIBED_SHARE = 0.2
COMMUNITY_COLUMNS = ["community", "commenters", "comments", "top_commenters", "topics", "main_topic",
                     "main_topic_label", "description"]


def _subthread_table(inputs: trees.TreeInputs) -> pd.DataFrame:
    table, _ = trees.group_measures(inputs, "subthread_id", with_post_root=False)
    if table.empty:
        return table.reindex(columns=[*table.columns[:2], "root_comment_id", "root_author", *table.columns[2:]])
    root = inputs.id_index.get_indexer(table["subthread_id"])
    table.insert(2, "root_comment_id", table["subthread_id"])
    table.insert(3, "root_author", inputs.comments["author"].array.take(root, allow_fill=True).to_numpy())
    return table


def _thread_table(inputs: trees.TreeInputs, graph: nx.Graph, random_state: int, exact_threshold: int,
                  community_method: str) -> pd.DataFrame:
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


def subthread_metrics(comments: pd.DataFrame, graph: nx.Graph | None = None) -> pd.DataFrame:
    """One row per subthread (source order): subthread_id, thread_id, root_comment_id,
    root_author, comments (real), placeholders, participants, max_depth, width, h_index,
    structural_virality, reciprocity, longest_exchange, longest_exchange_between.

    Reciprocity uses the edges of ``graph`` whose comments lie in the subthread (so it follows
    the graph's edge kinds), or the explicit replies when ``graph`` is None.
    """
    return _subthread_table(trees.tree_inputs(comments, graph))


def thread_metrics(comments: pd.DataFrame, graph: nx.Graph | None = None, *, random_state: int = 0,
                   exact_threshold: int = EXACT_THRESHOLD, community_method: str = "auto") -> pd.DataFrame:
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


def group_metrics(comments: pd.DataFrame, graph: nx.Graph | None = None, *, random_state: int = 0,
                  exact_threshold: int = EXACT_THRESHOLD, community_method: str = "auto",
                  view: CommentView | None = None, records: pd.DataFrame | None = None
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(:func:`subthread_metrics`, :func:`thread_metrics`) of the same comments and graph, from one
    pass over the reply tree and the graph's edges (the two share all of it but the grouping).

    ``view`` and ``records`` (the comments' :func:`~discourse.model.view.comment_view` and the
    :func:`~discourse.network.graph.edge_records` the graph was built from), when given, spare
    rebuilding the one and reading the comments behind the edges back from the graph."""
    if graph is None:
        return (subthread_metrics(comments), thread_metrics(comments, random_state=random_state,
                                                            exact_threshold=exact_threshold,
                                                            community_method=community_method))
    inputs = trees.tree_inputs(comments, graph, view, records)
    return _subthread_table(inputs), _thread_table(inputs, graph, random_state, exact_threshold, community_method)


def community_topics(comments: pd.DataFrame, commenters: pd.DataFrame, topics: pd.DataFrame, *,
                     shown: int = COMMUNITY_TOPICS) -> pd.DataFrame:
    """One row per commenter community, described by what its members write about (as NodeXL
    names groups by their top words).

    Columns: ``community`` (as in commenters.csv, 0 = largest), ``commenters``, ``comments`` (their
    real comments), ``top_commenters`` (up to three, by PageRank, then comments, then name),
    ``topics`` (the ``shown`` topics most of the members' comments are on, "label 45%", by share),
    ``main_topic``, ``main_topic_label`` and ``description``: the labels of the topics that hold
    at least a fifth of the community's comments (at least the first), joined by "; ".  A
    comment's topic is its own topic (:func:`discourse.topics.topic_map.comment_topics`); the
    topic of the other subthreads is shown but describes a community only when nothing else does.

    Parameters
    ----------
    comments : pandas.DataFrame
        The comments with their ``topic_id``/``own_topic_id`` (as ``analyze`` merges them).
    commenters : pandas.DataFrame
        commenters.csv's rows: ``author``, ``community`` and (if present) ``pagerank``.
    topics : pandas.DataFrame
        topics.csv's rows: ``topic_id``, ``label``.
    shown : int
        Topics listed per community.

    Returns
    -------
    pandas.DataFrame
        Communities in order of their number (empty, with the columns, when there are none).

    Examples
    --------
    >>> import pandas as pd
    >>> comments = pd.DataFrame({"author": ["a", "b", "b", "c"], "is_placeholder": False,
    ...                          "topic_id": [0, 0, 1, 1], "own_topic_id": [0, 0, 1, 1]})
    >>> commenters = pd.DataFrame({"author": ["a", "b", "c"], "community": [0, 0, 1]})
    >>> topics = pd.DataFrame({"topic_id": [0, 1], "label": ["Winter War", "Taurus missiles"]})
    >>> community_topics(comments, commenters, topics)["description"].tolist()
    ['Winter War; Taurus missiles', 'Taurus missiles']
    """
    columns = COMMUNITY_COLUMNS
    if "community" not in commenters or commenters["community"].isna().all() or "author" not in comments:
        return pd.DataFrame(columns=columns)
    members = commenters.loc[commenters["community"].notna()]
    community_of = dict(zip(members["author"], members["community"].astype("int64")))
    real = comments.loc[~comments["is_placeholder"].astype(bool) & comments["author"].notna()]
    topic = comment_topics(real)
    frame = pd.DataFrame({"community": real["author"].map(community_of).to_numpy(),
                          "topic": topic.to_numpy()}).dropna()
    frame = frame.astype({"community": "int64", "topic": "int64"})
    labels = dict(zip(topics["topic_id"], topics["label"].astype(str))) if len(topics) else {}
    counts = frame.groupby(["community", "topic"], sort=True).size()
    pagerank = members["pagerank"] if "pagerank" in members else pd.Series(0.0, index=members.index)
    written = real["author"].value_counts()
    ranked = members.assign(_pagerank=pagerank.fillna(0.0).to_numpy(),
                            _written=members["author"].map(written).fillna(0).to_numpy())
    ranked = ranked.sort_values(["community", "_pagerank", "_written", "author"],
                                ascending=[True, False, False, True], kind="stable")
    rows = []
    for community, group in ranked.groupby("community", sort=True):
        community = int(community)
        on = counts.loc[community] if community in counts.index.get_level_values(0) else pd.Series(dtype="int64")
        # most comments first; ties: the lower topic id
        on = on.iloc[np.lexsort((on.index.to_numpy(), -on.to_numpy()))] if len(on) else on
        total = int(on.sum())
        shares = [(int(t), labels.get(int(t), f"topic {int(t)}"), n / total) for t, n in on.items()]
        subject = [s for s in shares if s[1] != OTHER_LABEL] or shares
        described = [label for i, (_, label, share) in enumerate(subject) if i == 0 or share >= DESCRIBED_SHARE]
        rows.append({
            "community": community, "commenters": len(group), "comments": total,
            "top_commenters": "; ".join(group["author"].astype(str).head(3)),
            "topics": "; ".join(f"{label} {share:.0%}" for _, label, share in shares[:shown]),
            "main_topic": subject[0][0] if subject else pd.NA,
            "main_topic_label": subject[0][1] if subject else "",
            "description": "; ".join(described[:shown]),
        })
    table = pd.DataFrame(rows, columns=columns)
    return table.astype({"community": "int64", "commenters": "int64", "comments": "int64", "main_topic": "Int64"})
