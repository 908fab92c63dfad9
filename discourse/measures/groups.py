"""Measures of subthreads and threads: the shape of each reply tree and who answered whom in it.

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
import pandas as pd

from . import centrality
from . import reply_trees as trees
from .centrality import EXACT_THRESHOLD, EdgeArrays
from ..model.view import CommentView
from ..network.graph import build_graph, commenter_edges

__all__ = ["subthread_metrics", "thread_metrics", "group_metrics"]


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
                  view: CommentView | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(:func:`subthread_metrics`, :func:`thread_metrics`) of the same comments and graph, from one
    pass over the reply tree and the graph's edges (the two share all of it but the grouping)."""
    if graph is None:
        return (subthread_metrics(comments), thread_metrics(comments, random_state=random_state,
                                                            exact_threshold=exact_threshold,
                                                            community_method=community_method))
    inputs = trees.tree_inputs(comments, graph, view)
    return _subthread_table(inputs), _thread_table(inputs, graph, random_state, exact_threshold, community_method)
