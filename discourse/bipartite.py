"""Who talks about what: commenters' main topics and the commenter x topic graph.

A comment's topic is its own topic (``own_topic_id``, the cluster its text is nearest to) when
the topic model gives one, else its subthread's topic (``topic_id``).
"""

from dataclasses import dataclass, field

import networkx as nx
import pandas as pd

from .layout import commenter_layout

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


def comment_topics(comments):
    """Topic id per comment (own topic when known, else the subthread's), NaN when none."""
    topic = comments["topic_id"] if "topic_id" in comments else pd.Series(float("nan"), index=comments.index)
    if "own_topic_id" in comments:
        topic = comments["own_topic_id"].where(comments["own_topic_id"].notna(), topic)
    return topic


def _authored(comments):
    real = comments[~comments["is_placeholder"].astype(bool) & comments["author"].notna()]
    return real.assign(_topic=comment_topics(real)).dropna(subset=["_topic"]).astype({"_topic": "int64"})


def main_topics(comments, topics):
    """One row per commenter with a topic: ``author, main_topic, main_topic_label, main_topic_share``.

    The main topic is the one most of the commenter's comments are on (ties: the lower topic id);
    the share is the fraction of their comments on it.
    """
    columns = ["author", "main_topic", "main_topic_label", "main_topic_share"]
    real = _authored(comments)
    if real.empty:
        return pd.DataFrame(columns=columns)
    counts = real.groupby(["author", "_topic"], sort=True).size().rename("n").reset_index()
    totals = counts.groupby("author")["n"].transform("sum")
    best = counts.assign(share=counts["n"] / totals).sort_values(["author", "n", "_topic"], ascending=[True, False, True])
    best = best.drop_duplicates("author")
    labels = dict(zip(topics["topic_id"], topics["label"])) if len(topics) else {}
    return pd.DataFrame({"author": best["author"].astype(str).to_numpy(),
                         "main_topic": best["_topic"].astype("int64").to_numpy(),
                         "main_topic_label": [str(labels.get(t, f"topic {t}")) for t in best["_topic"]],
                         "main_topic_share": best["share"].astype(float).to_numpy()}, columns=columns)


def commenter_topic_map(comments, commenters, topics, *, seed=0):
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
    by_author = commenters.set_index("author") if "author" in commenters else pd.DataFrame()
    written = real.groupby("author").size()
    for author, n in written.items():
        node = f"{COMMENTER_PREFIX}{author}"
        data = {"part": "commenter", "comments": int(n)}
        if author in by_author.index:
            for column in ("community", "pagerank", "main_topic", "main_topic_label"):
                if column in by_author.columns and pd.notna(by_author.at[author, column]):
                    data[column] = by_author.at[author, column]
        graph.add_node(node, **data)
        labels[node] = str(author)
    pairs = real.groupby(["author", "_topic"], sort=True).size()
    for (author, topic_id), n in pairs.items():
        graph.add_edge(f"{COMMENTER_PREFIX}{author}", f"{TOPIC_PREFIX}{topic_id}", weight=int(n),
                       share=float(n / written[author]))
    return TopicMap(graph=graph, labels=labels, layout=commenter_layout(graph, seed=seed))
