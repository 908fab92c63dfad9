"""Plain values, column-wise formatting and chunked row writing shared by the GEXF and GraphML writers.

A graph file is mostly rows (one per node or edge) built from a few fixed strings and one value per
column. Values are checked and formatted a whole column at a time, and rows are joined and written
:data:`CHUNK` at a time, so that a million-comment graph is written in about a second and never
sits in memory as one string.
"""

from __future__ import annotations

import math
import numbers
import re
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import chain, filterfalse, repeat
from operator import is_, itemgetter
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from ..exceptions import ExportError

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
    from types import TracebackType
    from typing import BinaryIO

    import networkx as nx

    #: a value as written: what :func:`plain` returns
    Plain = str | int | float | bool
    #: one part of a row that differs from row to row: row range (start, stop) -> that part's text per row
    Field = Callable[[int, int], Sequence[str]]
    #: a document piece: text written as it is, or (row parts, row count)
    Piece = str | tuple[Sequence[str | Field], int]

_INT32 = range(-2**31, 2**31)  # GEXF "integer" is a Java int; larger values need "long"
NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Without these, an XML parser folds tabs and newlines inside attribute values into spaces.
_ATTR_ENTITIES = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}
_ATTR_SPECIAL = re.compile('[&<>"\n\r\t]')
# Rows are formatted and written this many at a time, so a big graph never sits in memory as text.
CHUNK = 4096
_PENDING = 8  # chunks encoded but not yet written (a few MB each at most)
BOOL_TEXT = {True: "true", False: "false"}
_PLAIN_TYPES = {int, bool, float, str}
#: numpy scalar type -> the plain type :func:`plain` turns it into (through ``.item()``)
_NUMPY_SCALARS = {**dict.fromkeys([np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
                                   np.uint64], int), np.float32: float, np.float64: float, np.bool_: bool}


def clean_attributes(graph: nx.Graph) -> nx.Graph:
    """Return a copy of ``graph`` whose graph, node and edge attributes are plain Python values.

    numpy scalars become ``int``/``float``/``bool``/``str``; lists, tuples and arrays become one
    string joined with ``;`` (sets sorted first, so the order is stable); other objects become
    ``str``. None, NaN and infinite values are dropped. Characters XML cannot hold are replaced
    by U+FFFD. Nodes and structure are unchanged.
    """
    copy = graph.__class__(**clean_dict(graph.graph))
    copy.add_nodes_from((node, clean_dict(data)) for node, data in graph.nodes(data=True))
    edges = graph.edges(keys=True, data=True) if graph.is_multigraph() else graph.edges(data=True)
    copy.add_edges_from((*ends, clean_dict(data)) for *ends, data in edges)
    return copy


def write_pieces(out: BinaryIO, pieces: Iterable[Piece]) -> None:
    """Write strings as they are and (row parts, row count) as rows, :data:`CHUNK` rows at a time,
    UTF-8 encoded into the binary stream ``out``.

    A row is the concatenation of its parts: strings are the same in every row, and a field
    (a function of a row range) gives that part for each row of the range. A chunk is then one
    ``str.join`` over the parts interleaved, with no per-row work left in Python. Encoding here
    rather than through a text stream: a text stream's write costs five times the encoding.
    """
    write_documents([out], [pieces])


def write_documents(outs: Sequence[BinaryIO], documents: Sequence[Iterable[Piece]]) -> None:
    """:func:`write_pieces` of each document into its stream, the documents side by side.

    The documents must line up: piece for piece, a string or rows of the same count. A field
    object that several documents share is called once per chunk for all of them. The bytes go
    to the streams from a second thread, so that formatting goes on while the disk catches up.
    """
    with _BackgroundWriter() as write:
        for pieces in zip(*documents, strict=True):
            if all(isinstance(piece, str) for piece in pieces):
                for out, piece in zip(outs, pieces):
                    write(out, piece)
                continue
            counts = {piece[1] for piece in pieces if not isinstance(piece, str)}
            if len(counts) != 1 or any(isinstance(piece, str) for piece in pieces):
                raise ValueError("the documents do not line up: rows of different counts, or rows and text")
            count = counts.pop()
            layouts = [_merged(parts) for parts, _ in pieces]
            for start in range(0, count, CHUNK):
                stop = min(start + CHUNK, count)
                done = {}  # id of a field -> its texts for this chunk
                for out, parts in zip(outs, layouts):
                    columns = []
                    for part in parts:
                        if not callable(part):
                            columns.append(repeat(part))
                            continue
                        if id(part) not in done:
                            done[id(part)] = part(start, stop)
                        columns.append(done[id(part)])
                    write(out, "".join(chain.from_iterable(zip(*columns))))


class _BackgroundWriter:
    """``write(out, text)``: ``text`` UTF-8 encoded into the binary stream ``out`` by one worker
    thread, in order, with at most :data:`_PENDING` writes waiting (a bound on the memory held).

    A million-comment graph file is written faster than the disk takes it; writing in the
    formatting thread then leaves the disk idle while formatting and the processor idle while
    writing. Errors of a write surface at a later ``write`` or on leaving the ``with`` block.
    """

    def __enter__(self) -> Callable[[BinaryIO, str], None]:
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._pending = deque()
        return self._write

    def _write(self, out: BinaryIO, text: str) -> None:
        self._pending.append(self._pool.submit(out.write, text.encode("utf-8")))
        if len(self._pending) > _PENDING:
            self._pending.popleft().result()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> bool:
        try:
            while self._pending and kind is None:  # after an error, the rest is not written
                self._pending.popleft().result()
        finally:
            self._pool.shutdown(cancel_futures=True)
        return False


def _merged(parts: Iterable[str | Field]) -> list[str | Field]:
    """Row parts with adjacent fixed strings joined, so there is one fixed part between fields."""
    merged = []
    for part in parts:
        if not callable(part) and merged and not callable(merged[-1]):
            merged[-1] += part
        else:
            merged.append(part)
    return merged


def edge_lists(graph: nx.Graph) -> tuple[list[Hashable], list[Hashable], list[dict[Any, Any]]]:
    """Sources, targets and attribute dicts of the edges, in ``graph.edges`` order."""
    if not graph.is_directed() and not graph.is_multigraph():
        # As networkx lists them: each node's neighbours not listed before (filtered in C).
        sources, targets, records, seen = [], [], [], set()
        for source, neighbours in graph.adjacency():
            new = list(filterfalse(seen.__contains__, neighbours))
            sources.extend(repeat(source, len(new)))
            targets.extend(new)
            records.extend(map(neighbours.__getitem__, new))
            seen.add(source)
        return sources, targets, records
    if graph.is_multigraph():
        sources, targets, records = [], [], []
        for u, v, data in graph.edges(data=True):
            sources.append(u)
            targets.append(v)
            records.append(data)
        return sources, targets, records
    # Walking the adjacency one node at a time skips building a 3-tuple per edge.
    sources, targets, records = [], [], []
    for source, neighbours in graph.adjacency():
        sources.extend(repeat(source, len(neighbours)))
        targets.extend(neighbours)
        records.extend(neighbours.values())
    return sources, targets, records


@dataclass(frozen=True, eq=False)
class Column:
    """One attribute as written: its :func:`plain` value per record (None where there is none)."""

    values: list
    kinds: set  # the values' types, NoneType among them when some record has no value
    first: tuple  # (record, position of the key in that record) of the first value


@dataclass(frozen=True, eq=False)
class GraphTable:
    """What the graph writers read from a graph, pulled out once (several files can share it).

    ``nodes`` in graph order with their XML ``names``; ``sources``, ``targets`` and
    ``edge_records`` in ``graph.edges`` order; ``node_keys`` and ``edge_keys``: every attribute
    key in order of first appearance; ``node_columns`` and ``edge_columns``: key ->
    :class:`Column` for every key with a value, or None when some key is not a string (the
    writers then settle each record on its own).
    """

    graph: object
    names: dict
    node_records: list
    sources: list
    targets: list
    edge_records: list
    node_keys: list
    edge_keys: list
    node_columns: dict | None
    edge_columns: dict | None

    @property
    def nodes(self) -> list[Hashable]:
        return list(self.names)


def graph_table(graph: nx.Graph | GraphTable) -> GraphTable:
    """The :class:`GraphTable` of ``graph`` (a GraphTable comes back as it is)."""
    if isinstance(graph, GraphTable):
        return graph
    names = node_ids(graph)
    node_records = [data for _, data in graph.nodes(data=True)]
    sources, targets, edge_records = edge_lists(graph)
    node_keys, edge_keys = list(record_keys(node_records)), list(record_keys(edge_records))
    return GraphTable(graph, names, node_records, sources, targets, edge_records, node_keys, edge_keys,
                      plain_columns(node_records, node_keys), plain_columns(edge_records, edge_keys))


def plain_columns(records: Sequence[Mapping[Any, Any]],
                  keys: Sequence[Hashable] | None = None) -> dict[str, Column] | None:
    """key -> :class:`Column` for the keys of attribute dicts ``records`` that have a value, in
    order of first appearance of the key (``keys``: all of them, if known); None when some key is
    not a string."""
    keys = list(record_keys(records)) if keys is None else keys
    if not all(type(key) is str for key in keys):
        return None
    columns = {}
    for key, raw in zip(keys, raw_columns(keys, records)):
        kinds = set(map(type, raw))
        values = plain_column(raw, kinds)
        if values is not raw:  # values were dropped or replaced: their types may differ
            kinds = set(map(type, values))
        if kinds == {type(None)}:
            continue
        row = next(row for row, value in enumerate(values) if value is not None) \
            if type(None) in kinds else 0
        columns[key] = Column(values, kinds, (row, list(records[row]).index(key)))
    return columns


def record_keys(records: Iterable[Mapping[Any, Any]]) -> dict[Hashable, None]:
    """The keys of attribute dicts ``records`` in order of first appearance, as a dict (values None).

    Most records share one key layout, so the distinct layouts are found first and only they are
    walked key by key.
    """
    return dict.fromkeys(chain.from_iterable(dict.fromkeys(map(tuple, records))))


def slices(texts: Sequence[str]) -> Field:
    return lambda start, stop: texts[start:stop]


def optional_field(texts: Sequence[str | None], prefix: str, suffix: str) -> Field:
    """prefix + text + suffix for rows with a text, "" for rows whose text is None."""
    return lambda start, stop: ["" if text is None else f"{prefix}{text}{suffix}"
                                for text in texts[start:stop]]


def texts_of(values: list[Plain | None]) -> list[str | None]:
    """:func:`text_of` of each plain value (None stays None), a whole column at a time."""
    kinds = set(map(type, values))
    if kinds == {int}:
        return list(map(str, values))
    if kinds == {float}:
        return list(map(repr, values))
    if kinds == {str}:
        return values
    if kinds == {bool}:
        return list(map(BOOL_TEXT.__getitem__, values))
    return [None if value is None else text_of(value) for value in values]


def attr_escaped(texts: list[str]) -> list[str]:
    """What :func:`quote` puts between the quotes, for a list of texts without NUL characters.

    The texts are escaped as one string joined by NUL (which no written text holds: names and
    values went through the XML character check), so a column costs a few ``str.replace``.
    """
    joined = "\0".join(texts)
    if _ATTR_SPECIAL.search(joined) is None:
        return texts
    return escape(joined, _ATTR_ENTITIES).split("\0")


def plain(value: object) -> Plain | None:
    """``value`` as str/int/float/bool, or None when there is nothing to write."""
    kind = type(value)  # the common plain types first, with the same results as below
    if kind is str:
        return xml_safe(value)
    if kind is int or kind is bool:
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    if isinstance(value, (list, tuple, set, frozenset, np.ndarray)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else list(value)
        parts = (plain(item) for item in items)
        return ";".join(text_of(part) for part in parts if part is not None)
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, (bool, str)):
        return xml_safe(value) if isinstance(value, str) else value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        value = float(value)
        return value if math.isfinite(value) else None
    try:
        if pd.isna(value):  # None, pd.NA, pd.NaT
            return None
    except (TypeError, ValueError):
        pass
    return xml_safe(str(value))


def plain_column(values: list[Any], kinds: Iterable[type] | None = None) -> list[Plain | None]:
    """:func:`plain` of every value of a column, with whole-column checks for plain types.

    ``kinds``: ``set(map(type, values))`` when the caller has it already. Returns ``values``
    itself when every value is plain already.
    """
    kinds = set(map(type, values)) if kinds is None else set(kinds)
    gaps = type(None) in kinds
    kinds.discard(type(None))
    if not kinds <= _PLAIN_TYPES:
        if not kinds <= _PLAIN_TYPES | set(_NUMPY_SCALARS):
            return list(map(plain, values))
        # numpy scalars (a pandas column's values) become what plain makes them, one C call each
        values = [value if value is None or type(value) in _PLAIN_TYPES else _NUMPY_SCALARS[type(value)](value)
                  for value in values]
        kinds = {_NUMPY_SCALARS.get(kind, kind) for kind in kinds}
    if float in kinds:
        floats = values if kinds == {float} and not gaps else [value for value in values if type(value) is float]
        if not all(map(math.isfinite, floats)):
            values = [None if type(value) is float and not math.isfinite(value) else value
                      for value in values]
    if str in kinds:
        strings = values if kinds == {str} and not gaps else [value for value in values if type(value) is str]
        if NOT_XML_CHAR.search("".join(strings)):
            values = [xml_safe(value) if type(value) is str else value for value in values]
    return values


def clean_dict(data: Mapping[Any, object]) -> dict[str, Plain]:
    pairs = ((str(key), plain(value)) for key, value in data.items())
    return {key: value for key, value in pairs if value is not None}


def gexf_type(values: Sequence[Plain | None], kinds: set[type] | None = None) -> str:
    """The one GEXF type that holds every value of a column (``kinds``: their types, if known)."""
    kinds = set(map(type, values)) if kinds is None else kinds
    if kinds == {bool}:
        return "boolean"
    if kinds == {int}:
        return "integer" if min(values) in _INT32 and max(values) in _INT32 else "long"
    if kinds <= {int, float}:
        return "double"
    return "string"


def raw_columns(keys: Iterable[Hashable], records: Sequence[Mapping[Any, Any]]) -> list[list[Any]]:
    """The value of each key in each record (None where a record lacks the key), column by column."""
    columns = []
    for key in keys:
        try:  # one C-level pass when every record holds the key
            columns.append(list(map(itemgetter(key), records)))
        except KeyError:
            columns.append([data.get(key) for data in records])
    return columns


def text_of(value: Plain) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def node_ids(graph: nx.Graph) -> dict[Hashable, str]:
    """Node -> XML id: its name, with each character XML 1.0 cannot carry written as an escape
    (``Ann\x01`` -> ``Ann\\x01``, see :func:`clean_name`); refusing names Gephi would drop or merge."""
    ids = dict(zip(graph, map(str, graph)))
    names = list(ids.values())
    if "" in names:
        raise ExportError("a node has an empty name: Gephi skips nodes without an id")
    if NOT_XML_CHAR.search("".join(names)):
        ids = {node: clean_name(name) for node, name in ids.items()}
        names = list(ids.values())
    if len(set(names)) < len(names):
        raise ExportError("two nodes have the same name once written as text (e.g. 1 and '1', or "
                          "'Ann\\x01' and 'Ann' with a control character)")
    return ids


def clean_name(name: str) -> str:
    """``name`` with each character XML 1.0 cannot carry (control characters, U+FFFE, lone
    surrogates) written as a Python-style escape: ``\\x1b[31mAnn``; other names as they are."""
    return NOT_XML_CHAR.sub(_escape_character, name)


def _escape_character(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def names_are_ids(nodes: Sequence[Hashable], names: list[str], quoted: list[str]) -> bool:
    """Whether each node is a ``str`` that is its own quoted id (``quoted`` is :func:`attr_escaped`
    of the ``names`` list, unchanged), so edge ends can be written without a lookup per edge."""
    return quoted is names and all(type(node) is str for node in nodes) and all(map(is_, nodes, names))


def xml_safe(text: str) -> str:
    return NOT_XML_CHAR.sub("\ufffd", text)


def quote(text: str) -> str:
    """``text`` as a double-quoted XML attribute value."""
    return f'"{escape(text, _ATTR_ENTITIES)}"'
