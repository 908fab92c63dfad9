"""When each commenter and each link first appears, for Gephi's timeline.

Only comments with a ``created_at`` count.  A commenter starts at their first comment; a link
A -> B at the first comment behind it (its ``comment_ids``), and never before A or B starts
(an inferred reply from a placeholder has no time of its own; it starts when both ends exist).
"""

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class Timeline:
    """``node_start``: commenter -> UTC Timestamp; ``edge_start``: (source, target) -> UTC Timestamp."""

    node_start: dict = field(default_factory=dict)
    edge_start: dict = field(default_factory=dict)
    first: object = None  # earliest and latest comment time
    last: object = None


def first_times(comments, graph):
    """The :class:`Timeline` of ``graph``'s nodes and edges, or None when no comment has a time."""
    if "created_at" not in comments:
        return None
    timed = comments[comments["created_at"].notna() & comments["author"].notna()]
    if timed.empty:
        return None
    times = pd.to_datetime(timed["created_at"], utc=True)
    node_start = times.groupby(timed["author"].astype(str)).min()
    node_start = {node: node_start[str(node)] for node in graph if str(node) in node_start.index}
    when = dict(zip(comments["comment_id"].astype(str), pd.to_datetime(comments["created_at"], utc=True)))
    edge_start = {}
    for u, v, ids in graph.edges(data="comment_ids", default=""):
        found = [t for t in (when.get(i) for i in _ids(ids)) if t is not None and pd.notna(t)]
        bounds = [t for t in (min(found) if found else None, node_start.get(u), node_start.get(v)) if t is not None]
        if bounds:
            edge_start[(u, v)] = max(bounds)
    return Timeline(node_start=node_start, edge_start=edge_start, first=times.min(), last=times.max())


def _ids(value):
    if isinstance(value, str):
        return [part for part in value.split(";") if part]
    if isinstance(value, (list, tuple, set)):
        return [str(part) for part in value]
    return []
