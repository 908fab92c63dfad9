"""Who talks about what: commenters' main topics and the commenter x topic graph.

A comment's topic is its own topic (``own_topic_id``, the cluster its text is nearest to) when
the topic model gives one, else its subthread's topic (``topic_id``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse

from ..drawing.layout import layout_arrays

if TYPE_CHECKING:
    from collections.abc import Hashable, Sequence

    from pandas.api.extensions import ExtensionArray

COMMENTER_PREFIX, TOPIC_PREFIX = "commenter:", "topic:"


@dataclass(frozen=True)
class TopicMap:
    """The commenter x topic graph and its layout.

    ``graph`` is an undirected ``networkx.Graph``: node ``"commenter:<name>"`` (``part`` =
    ``"commenter"``) linked to node ``"topic:<id>"`` (``part`` = ``"topic"``), edge ``weight``
    = how many of the commenter's comments are on the topic, ``share`` = that count over all
    of the commenter's comments.  ``labels`` maps each node to what it shows (the name or the
    topic label); ``layout`` maps it to (x, y) in [-1, 1].
    """

    graph: nx.Graph
    labels: dict = field(default_factory=dict)
    layout: dict = field(default_factory=dict)


def comment_topics(comments: pd.DataFrame) -> pd.Series:
    """Topic id per comment (own topic when known, else the subthread's), NaN when none."""
    topic = comments["topic_id"] if "topic_id" in comments else pd.Series(float("nan"), index=comments.index)
    if "own_topic_id" in comments:
        topic = comments["own_topic_id"].where(comments["own_topic_id"].notna(), topic)
    return topic


def _authored(comments: pd.DataFrame) -> pd.DataFrame:
    """``author`` and ``_topic`` (int) of the real comments with an author and a topic, in table order.

    Only the columns the topic counts read are taken: a copy of every column (texts included)
    of a million rows cost more than the counting."""
    real = comments.loc[~comments["is_placeholder"].astype(bool) & comments["author"].notna(),
                        [c for c in ("author", "topic_id", "own_topic_id") if c in comments]]
    topic = comment_topics(real)
    has = topic.notna().to_numpy()
    return pd.DataFrame({"author": real["author"].to_numpy()[has], "_topic": topic.to_numpy()[has].astype("int64")},
                        index=real.index[has])


def main_topics(comments: pd.DataFrame, topics: pd.DataFrame) -> pd.DataFrame:
    """One row per commenter with a topic: ``author, main_topic, main_topic_label, main_topic_share``.

    The main topic is the one most of the commenter's comments are on (ties: the lower topic id);
    the share is the fraction of their comments on it.
    """
    columns = ["author", "main_topic", "main_topic_label", "main_topic_share"]
    real = _authored(comments)
    if real.empty:
        return pd.DataFrame(columns=columns)
    # Counted on integer codes (authors numbered in name order, as a sorted group-by has them).
    author, names = pd.factorize(real["author"].to_numpy(dtype=object), sort=True)
    topic, topic_ids = pd.factorize(real["_topic"].to_numpy(), sort=True)
    pairs, n = np.unique(author * len(topic_ids) + topic, return_counts=True)
    pair_author, pair_topic = pairs // len(topic_ids), pairs % len(topic_ids)
    totals = np.bincount(pair_author, weights=n)
    order = np.lexsort((pair_topic, -n, pair_author))  # per author: most comments, then the lower topic
    best = order[np.diff(pair_author[order], prepend=-1) != 0]
    main = topic_ids[pair_topic[best]].astype("int64")
    labels = dict(zip(topics["topic_id"], topics["label"])) if len(topics) else {}
    return pd.DataFrame({"author": list(map(str, np.asarray(names, dtype=object)[pair_author[best]])),
                         "main_topic": main,
                         "main_topic_label": [str(labels.get(t, f"topic {t}")) for t in main.tolist()],
                         "main_topic_share": n[best] / totals[pair_author[best]]}, columns=columns)


def commenter_topic_map(comments: pd.DataFrame, commenters: pd.DataFrame, topics: pd.DataFrame, *,
                        seed: int = 0) -> TopicMap:
    """The :class:`TopicMap` of ``comments`` (commenters and topic clusters found by ``analyze``)."""
    real = _authored(comments)
    graph, labels = nx.Graph(), {}
    topic_rows = topics.set_index("topic_id") if len(topics) else pd.DataFrame()
    counts = real.groupby("_topic").size()
    for topic_id, n in counts.items():
        node = f"{TOPIC_PREFIX}{topic_id}"
        row = topic_rows.loc[topic_id] if topic_id in topic_rows.index else {}
        label = str(row.get("label", f"topic {topic_id}"))
        graph.add_node(node, part="topic", topic_id=int(topic_id), topic_label=label,
                       top_terms=str(row.get("top_terms", "")), comments=int(n))
        labels[node] = label
    # Grouping by integer codes is several times faster than by the names; sort=True keeps name order.
    codes, names = pd.factorize(real["author"], sort=True)
    authors = names.tolist()
    written = np.bincount(codes, minlength=len(authors))
    nodes = [f"{COMMENTER_PREFIX}{author}" for author in authors]
    graph.add_nodes_from(zip(nodes, _commenter_attributes(authors, written.tolist(), commenters)))
    labels.update(zip(nodes, map(str, authors)))
    pairs = pd.DataFrame({"author": codes, "topic": real["_topic"].to_numpy()}).groupby(
        ["author", "topic"], sort=True).size()
    pair_author = pairs.index.get_level_values("author").to_numpy()
    weight = pairs.to_numpy()
    topic_nodes = [f"{TOPIC_PREFIX}{topic_id}" for topic_id in pairs.index.get_level_values("topic").tolist()]
    graph.add_edges_from((nodes[author], topic, {"weight": n, "share": share})
                         for author, topic, n, share in zip(pair_author.tolist(), topic_nodes, weight.tolist(),
                                                            (weight / written[pair_author]).tolist()))
    layout = _layout(graph, len(counts), pair_author, topic_nodes, weight, seed)
    return TopicMap(graph=graph, labels=labels, layout=layout)


def _layout(graph: nx.Graph, topic_count: int, pair_author: np.ndarray, pair_topic_node: Sequence[str],
            weight: np.ndarray, seed: int) -> dict[str, tuple[float, float]]:
    """``commenter_layout(graph, seed=seed)``, with its weight matrix built from the pair arrays.

    Same matrix, so the same positions, without walking half a million networkx edges: the
    ``topic_count`` topic nodes come first, then the commenters in ``pair_author`` code order.
    """
    nodes = list(graph)
    if not nodes:
        return {}
    position = {node: i for i, node in enumerate(nodes[:topic_count])}
    cols = np.fromiter((position[node] for node in pair_topic_node), np.int64, len(pair_topic_node))
    matrix = sparse.coo_matrix((weight.astype(float), (pair_author + topic_count, cols)),
                               shape=(len(nodes), len(nodes))).tocsr()
    positions = layout_arrays((matrix + matrix.T).tocsr(), seed=seed)
    return {node: (x, y) for node, (x, y) in zip(nodes, positions.tolist())}


def _commenter_attributes(authors: Sequence[Hashable], written: Sequence[int],
                          commenters: pd.DataFrame) -> list[dict[str, Any]]:
    """Node attributes per author: ``part``, ``comments`` and the known values of the commenters table.

    Values are taken from the column's own array (numpy or pandas scalars, as ``DataFrame.at`` gives)
    with one index lookup for all authors instead of one per author and column.
    """
    attributes = [{"part": "commenter", "comments": n} for n in written]
    if "author" not in commenters:
        return attributes
    by_author = commenters.drop_duplicates("author").set_index("author")
    row = by_author.index.get_indexer(authors)
    for column in ("community", "pagerank", "main_topic", "main_topic_label"):
        if column not in by_author.columns:
            continue
        values = _cells(by_author[column])
        present = by_author[column].notna().to_numpy()
        for data, at in zip(attributes, row.tolist()):
            if at >= 0 and present[at]:
                data[column] = values[at]
    return attributes


def _cells(column: pd.Series) -> np.ndarray | ExtensionArray:
    """The column's values as ``DataFrame.at`` gives them (numpy scalars, str, pandas scalars).

    A numpy or string column converts in one step; other extension arrays (Int64, times) are
    indexed one cell at a time, as ``at`` does.
    """
    numpy_kind = isinstance(column.dtype, np.dtype) and column.dtype.kind not in "mM"
    return column.to_numpy() if numpy_kind or isinstance(column.dtype, pd.StringDtype) else column.array
