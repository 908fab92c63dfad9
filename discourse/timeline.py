"""When each commenter and each link first appears, for Gephi's timeline.

Only comments with a ``created_at`` count.  A commenter starts at their first comment; a link
A -> B at the first comment behind it (its ``comment_ids``), and never before A or B starts
(an inferred reply from a placeholder has no time of its own; it starts when both ends exist).

The work is done on integer times in numpy arrays: boxing a million times as Timestamps and
looking them up one edge at a time took longer than everything else here together.
"""

from dataclasses import dataclass, field
from itertools import chain, compress, repeat
from operator import methodcaller

import numpy as np
import pandas as pd

#: An integer time that means "no time": NaT's own integer, below every real time.
_NO_TIME = np.iinfo(np.int64).min


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
    starts = times.groupby(timed["author"].astype(str)).min()
    names = starts.index.tolist()
    start_of = dict(zip(names, starts.array))  # the array boxes Timestamps in bulk; to_dict one by one
    node_start = {node: start_of[str(node)] for node in graph if str(node) in start_of}
    edge_start = _edge_starts(comments, graph, dict(zip(names, _integer_times(starts.array).tolist())))
    return Timeline(node_start=node_start, edge_start=edge_start, first=times.min(), last=times.max())


def _edge_starts(comments, graph, start_time):
    """(u, v) -> the latest of: the first comment behind the edge, u's start, v's start (those known).

    ``start_time`` maps a commenter's name to their start as an integer time.
    """
    if not graph.number_of_edges():
        return {}
    sources, targets, behind = _edge_lists(graph)
    stamps = pd.to_datetime(comments["created_at"], utc=True).array
    comment_time = _integer_times(stamps)
    # The last row wins for a repeated comment id, as a dict built from the rows would.
    ids = pd.Index(comments["comment_id"].astype(str))
    if not ids.is_unique:
        keep = ~ids.duplicated(keep="last")
        ids, comment_time = ids[keep], comment_time[keep]

    edge, cited = _cited_ids(behind)
    row = ids.get_indexer(cited)
    edge, when = edge[row >= 0], comment_time[row[row >= 0]]
    edge, when = edge[when != _NO_TIME], when[when != _NO_TIME]
    earliest = np.full(len(behind), np.iinfo(np.int64).max)
    np.minimum.at(earliest, edge, when)
    first = np.full(len(behind), _NO_TIME)
    first[edge] = earliest[edge]

    nodes = list(graph)
    node_time = np.fromiter((start_time.get(str(node), _NO_TIME) for node in nodes), np.int64, len(nodes))
    node_index = _object_index(nodes)
    start = np.maximum(first, np.maximum(node_time[node_index.get_indexer(_object_index(sources))],
                                         node_time[node_index.get_indexer(_object_index(targets))]))
    has_start = start != _NO_TIME
    unit = np.datetime_data(stamps.dtype.base)[0]
    boxed = pd.DatetimeIndex(start[has_start].view(f"datetime64[{unit}]")).tz_localize(stamps.tz)
    return dict(zip(compress(zip(sources, targets), has_start.tolist()), boxed))


def _edge_lists(graph):
    """Sources, targets and ``comment_ids`` of the edges, in ``graph.edges`` order."""
    if not graph.is_directed() or graph.is_multigraph():
        sources, targets, behind = zip(*graph.edges(data="comment_ids", default=""))
        return list(sources), list(targets), list(behind)
    # Walking the adjacency one node at a time skips building a 3-tuple per edge.
    sources, targets, behind = [], [], []
    get_ids = methodcaller("get", "comment_ids", "")
    for source, neighbours in graph.adjacency():  # plain dicts: iterating them stays in C
        sources.extend(repeat(source, len(neighbours)))
        targets.extend(neighbours)
        behind.extend(map(get_ids, neighbours.values()))
    return sources, targets, behind


def _cited_ids(values):
    """The comment ids in each edge's ``comment_ids``, flattened: (edge position array, id list)."""
    if all(isinstance(value, str) for value in values):
        # One join and one split in C instead of a split per edge; edge i owns count(";") + 1 parts.
        parts = ";".join(values).split(";")
        edge = np.repeat(np.arange(len(values)), np.fromiter(map(str.count, values, repeat(";")), np.int64,
                                                              len(values)) + 1)
        named = np.fromiter(map(bool, parts), bool, len(parts))
        return edge[named], list(compress(parts, named.tolist()))
    found = [_ids(value) for value in values]
    return np.repeat(np.arange(len(values)), [len(ids) for ids in found]), list(chain.from_iterable(found))


def _object_index(values):
    """An Index of arbitrary hashable values (tuples stay values, not MultiIndex levels)."""
    return pd.Index(values, dtype=object, tupleize_cols=False)


def _integer_times(stamps):
    """UTC times (a tz-aware DatetimeArray) as int64 in their own unit; NaT as ``_NO_TIME``."""
    return np.asarray(stamps.tz_localize(None)).view(np.int64)


def _ids(value):
    if isinstance(value, str):
        return [part for part in value.split(";") if part]
    if isinstance(value, (list, tuple, set)):
        return [str(part) for part in value]
    return []
