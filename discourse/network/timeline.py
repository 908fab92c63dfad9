"""When each commenter and each link first appears, for Gephi's timeline.

Only comments with a ``created_at`` count.  A commenter starts at their first comment; a link
A -> B at the first comment behind it (its ``comment_ids``), and never before A or B starts
(an inferred reply from a placeholder has no time of its own; it starts when both ends exist).

The work is done on integer times in numpy arrays, and the result stays in arrays: boxing a
million times as Timestamps and looking them up one edge at a time took longer than everything
else here together.  The module also writes times as text, as the GEXF and CSV files show them.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import compress
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from ..exceptions import ExportError
from .graph import edge_comment_ids, edge_comment_rows, graph_arrays

__all__ = ["Timeline", "first_times", "second_texts", "start_texts", "start_attribute"]

#: An integer time that means "no time": NaT's own integer, below every real time.
_NO_TIME = np.iinfo(np.int64).min


def _no_times() -> np.ndarray:
    return np.array([], dtype="datetime64[ns]")


@dataclass(frozen=True)
class Timeline:
    """First-appearance times of the nodes and edges of the graph they were computed for.

    ``node_times``: one time per node in ``list(graph)`` order; ``edge_times``: one per edge in
    ``graph.edges`` order (``nodes``, ``sources`` and ``targets`` name them).  Both are numpy
    ``datetime64`` arrays of UTC wall times in the comments' time unit, NaT where there is no
    time.  ``node_start`` and ``edge_start`` give the same as dicts of UTC Timestamps.
    """

    nodes: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    targets: list = field(default_factory=list)
    node_times: np.ndarray = field(default_factory=_no_times)
    edge_times: np.ndarray = field(default_factory=_no_times)
    first: object = None  # earliest and latest comment time
    last: object = None

    @property
    def node_start(self) -> dict:
        """commenter -> UTC Timestamp, for the commenters with a time."""
        return _boxed(self.nodes, self.node_times, self._zone)

    @property
    def edge_start(self) -> dict:
        """(source, target) -> UTC Timestamp, for the edges with a time."""
        return _boxed(zip(self.sources, self.targets), self.edge_times, self._zone)

    @property
    def _zone(self) -> Any:
        return getattr(self.first, "tz", None) or "UTC"

    def __eq__(self, other: object) -> bool:  # arrays compare as a whole, NaT equal to NaT
        if not isinstance(other, Timeline):
            return NotImplemented
        return (self.nodes, self.sources, self.targets, self.first, self.last) == \
            (other.nodes, other.sources, other.targets, other.first, other.last) and \
            all(mine.dtype == theirs.dtype and np.array_equal(mine.view(np.int64), theirs.view(np.int64))
                for mine, theirs in ((self.node_times, other.node_times), (self.edge_times, other.edge_times)))

    @property
    def has_starts(self) -> bool:
        """Whether any node or edge has a time (else a timeline file would show nothing)."""
        return bool((~np.isnat(self.node_times)).any() or (~np.isnat(self.edge_times)).any())


def _boxed(keys: Iterable, times: np.ndarray, zone: Any) -> dict:
    has = ~np.isnat(times)
    stamps = pd.DatetimeIndex(times[has]).tz_localize(zone)
    return dict(zip(compress(keys, has.tolist()), stamps))


def first_times(comments: pd.DataFrame, graph: nx.Graph, records: pd.DataFrame | None = None) -> "Timeline | None":
    """The :class:`Timeline` of ``graph``'s nodes and edges, or None when no comment has a time.

    ``records``: the :func:`~discourse.network.graph.edge_records` of ``comments`` the graph was
    built from, if at hand; the comments behind each edge are then their rows, rather than the
    ids its ``comment_ids`` attribute lists."""
    if "created_at" not in comments:
        return None
    timed_rows = (comments["created_at"].notna() & comments["author"].notna()).to_numpy(dtype=bool)
    if not timed_rows.any():
        return None
    stamps = pd.to_datetime(comments["created_at"], utc=True).array
    if pd.api.types.is_datetime64_any_dtype(comments["created_at"].dtype):
        times = stamps[timed_rows]  # converting the whole column or its rows gives the same times
    else:  # text is parsed as before: a format guessed from the timed rows alone
        times = pd.to_datetime(comments["created_at"][timed_rows], utc=True).array
    nodes = list(graph)
    node_time = _node_starts(nodes, comments["author"][timed_rows], _integer_times(times))
    sources, targets, edge_time = _edge_starts(comments, graph, nodes, node_time, stamps, records)
    return Timeline(nodes=nodes, sources=sources, targets=targets, node_times=_as_times(node_time, times),
                    edge_times=_as_times(edge_time, stamps), first=times.min(), last=times.max())


def _as_times(integers: np.ndarray, stamps: Any) -> np.ndarray:
    """Integer times as a datetime64 array in the unit of ``stamps`` (a DatetimeArray)."""
    return integers.view(f"datetime64[{np.datetime_data(stamps.dtype.base)[0]}]")


def _node_starts(nodes: list, authors: pd.Series, times: np.ndarray) -> np.ndarray:
    """Each node's first comment time (by the author's name as text), ``_NO_TIME`` for none."""
    codes, names = pd.factorize(authors.astype(str))
    earliest = np.full(len(names), np.iinfo(np.int64).max)
    np.minimum.at(earliest, codes, times)
    row = pd.Index(names, dtype=object).get_indexer([str(node) for node in nodes])
    node_time = np.full(len(nodes), _NO_TIME)
    node_time[row >= 0] = earliest[row[row >= 0]]
    return node_time


def _edge_starts(comments: pd.DataFrame, graph: nx.Graph, nodes: list, node_time: np.ndarray,
                 stamps: Any, records: pd.DataFrame | None) -> tuple[list, list, np.ndarray]:
    """Sources, targets and start of each edge: the latest of the first comment behind the edge,
    the source's start and the target's start (those known), as integer times."""
    if not graph.number_of_edges():
        return [], [], np.array([], dtype=np.int64)
    if records is None:
        nodes, source_at, target_at, values = graph_arrays(graph, comment_ids="")
        edge, cited = edge_comment_ids(values["comment_ids"])
        row = _last_rows(comments["comment_id"].astype(str).to_numpy(dtype=object), cited)
    else:
        nodes, source_at, target_at, _ = graph_arrays(graph)
        edge, row = edge_comment_rows(nodes, source_at, target_at, records,
                                      graph.graph.get("edge_kinds", "reply").split(";"))
    comment_time = _integer_times(stamps)
    edge, when = edge[row >= 0], comment_time[row[row >= 0]]
    edge, when = edge[when != _NO_TIME], when[when != _NO_TIME]
    earliest = np.full(len(source_at), np.iinfo(np.int64).max)
    np.minimum.at(earliest, edge, when)
    first = np.full(len(source_at), _NO_TIME)
    first[edge] = earliest[edge]
    start = np.maximum(first, np.maximum(node_time[source_at], node_time[target_at]))
    return [nodes[i] for i in source_at.tolist()], [nodes[i] for i in target_at.tolist()], start


def _last_rows(ids: np.ndarray, wanted: list) -> np.ndarray:
    """For each of the ``wanted`` ids, the last row of ``ids`` holding it (the last row wins for a
    repeated id, as a dict built from the rows would), -1 for none; one hash pass over both."""
    codes, uniques = pd.factorize(np.concatenate([ids, np.array(wanted, dtype=object)]))
    last = np.full(len(uniques) + 1, -1, dtype=np.int64)  # the extra slot: missing ids (code -1)
    np.maximum.at(last, codes[:len(ids)], np.arange(len(ids)))
    last[-1] = -1
    return last[codes[len(ids):]]


def _integer_times(stamps: Any) -> np.ndarray:
    """UTC times (a tz-aware DatetimeArray) as int64 in their own unit; NaT as ``_NO_TIME``."""
    return np.asarray(stamps.tz_localize(None)).view(np.int64)


# --- Times as text: GEXF start times, CSV times --------------------------------------------------

#: Two-digit texts of 0..59, for the clock part of second texts.
_TWO_DIGITS = [f"{number:02d}" for number in range(60)]


def second_texts(times: np.ndarray, prefix: str = "", suffix: str = "") -> list[str]:
    """prefix + ``YYYY-MM-DDTHH:MM:SS`` + suffix for each time of a datetime64 array without NaT,
    the text ``numpy.datetime_as_string(times, unit="s")`` gives (floored to the second).

    numpy formats a time in about half a microsecond; here each day and each second of the day
    is formatted once and a time's text is put together from the two.
    """
    seconds = times.astype("datetime64[s]").view(np.int64)
    days = np.floor_divide(seconds, 86400)
    first, last = (int(days.min()), int(days.max())) if len(days) else (0, -1)
    if len(times) < 86400 or last - first > 100_000:  # small, or centuries apart: numpy it is
        return [f"{prefix}{text}{suffix}" for text in np.datetime_as_string(times, unit="s").tolist()]
    day_texts = np.datetime_as_string(np.arange(first, last + 1).astype("datetime64[D]")).tolist()
    clock_texts = [f"{hour}:{minute}:{second}" for hour in _TWO_DIGITS[:24] for minute in _TWO_DIGITS
                   for second in _TWO_DIGITS]
    return [f"{prefix}{day_texts[day]}T{clock_texts[clock]}{suffix}"
            for day, clock in zip((days - first).tolist(), (seconds - days * 86400).tolist())]


#: Nanoseconds per unit of the datetime64 units numpy formats exactly as Timestamps would be.
_NANOSECONDS = {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}


def start_texts(starts: np.ndarray | Mapping, count: int, rows: Callable[[], list]) -> list[str]:
    """`` start="..."`` (UTC, to the second) or "" for each of ``count`` rows.

    ``starts`` is a datetime64 array with a time (or NaT) per row, or a mapping row key -> time
    (anything ``pandas.Timestamp`` takes; ``rows()`` gives the keys, asked for only then).
    Timestamps are formatted by numpy as a column; anything else by :func:`start_attribute`.
    """
    if isinstance(starts, np.ndarray):
        return _array_start_texts(starts, count)
    keys = rows()
    values = [starts.get(key) for key in keys]
    try:
        # .value counts nanoseconds in UTC for aware times and the wall clock for naive ones,
        # exactly what start_attribute formats (after tz_convert("UTC")); numpy floors to the second.
        stamps = [value.value if type(value) is pd.Timestamp else start_attribute(key, value)
                  for key, value in zip(keys, values)]
    except OverflowError:  # a non-nanosecond Timestamp outside 1677..2262
        return [start_attribute(key, value) for key, value in zip(keys, values)]
    where = [row for row, stamp in enumerate(stamps) if type(stamp) is int]
    if where:
        times = np.array([stamps[row] for row in where], dtype="datetime64[ns]")
        for row, text in zip(where, second_texts(times, ' start="', '"')):
            stamps[row] = text
    return stamps


def _array_start_texts(times: np.ndarray, count: int) -> list[str]:
    """:func:`start_texts` of a datetime64 array: the text the same times as Timestamps get."""
    if times.dtype.kind != "M" or len(times) != count:
        raise ExportError(f"start times must be a datetime64 array with one time per row ({count}); "
                          f"got {len(times)} of type {times.dtype}")
    has = ~np.isnat(times)
    texts = np.full(count, "", dtype=object)
    given = times[has]
    unit = np.datetime_data(times.dtype)[0]
    if len(given) and unit in _NANOSECONDS and \
            pd.Timestamp.min.value <= int(given.view(np.int64).min()) * _NANOSECONDS[unit] and \
            int(given.view(np.int64).max()) * _NANOSECONDS[unit] <= pd.Timestamp.max.value:
        texts[has] = second_texts(given, ' start="', '"')
    elif len(given):  # outside the nanosecond range, or an unusual unit: as a Timestamp would be
        texts[has] = [start_attribute(None, pd.Timestamp(time)) for time in given]
    return texts.tolist()


def start_attribute(what: Any, value: Any) -> str:
    """`` start="..."`` for a time (UTC, second precision), or "" when there is none."""
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise ExportError(f"start time of {what!r} is not a time: {value!r}") from exc
    stamp = stamp.tz_convert("UTC") if stamp.tzinfo is not None else stamp
    return f' start="{stamp.strftime("%Y-%m-%dT%H:%M:%S")}"'
