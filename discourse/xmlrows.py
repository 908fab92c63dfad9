"""Plain values, column-wise formatting and chunked row writing shared by the GEXF and GraphML writers.

A graph file is mostly rows (one per node or edge) built from a few fixed strings and one value per
column. Values are checked and formatted a whole column at a time, and rows are joined and written
:data:`CHUNK` at a time, so that a million-comment graph is written in about a second and never
sits in memory as one string.
"""

import math
import numbers
import re
from itertools import chain, repeat
from operator import itemgetter
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from .exceptions import ExportError

_INT32 = range(-2**31, 2**31)  # GEXF "integer" is a Java int; larger values need "long"
NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Without these, an XML parser folds tabs and newlines inside attribute values into spaces.
_ATTR_ENTITIES = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}
_ATTR_SPECIAL = re.compile('[&<>"\n\r\t]')
# Rows are formatted and written this many at a time, so a big graph never sits in memory as text.
CHUNK = 4096
BOOL_TEXT = {True: "true", False: "false"}


def clean_attributes(graph):
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


def write_pieces(out, pieces):
    """Write strings as they are and (row parts, row count) as rows, :data:`CHUNK` rows at a time.

    A row is the concatenation of its parts: strings are the same in every row, and a field
    (a function of a row range) gives that part for each row of the range. A chunk is then one
    ``str.join`` over the parts interleaved, with no per-row work left in Python.
    """
    for piece in pieces:
        if isinstance(piece, str):
            out.write(piece)
            continue
        parts, count = piece
        merged = []  # adjacent fixed strings as one, so there is one fixed part between fields
        for part in parts:
            if not callable(part) and merged and not callable(merged[-1]):
                merged[-1] += part
            else:
                merged.append(part)
        for start in range(0, count, CHUNK):
            stop = min(start + CHUNK, count)
            columns = [part(start, stop) if callable(part) else repeat(part) for part in merged]
            out.write("".join(chain.from_iterable(zip(*columns))))


def slices(texts):
    return lambda start, stop: texts[start:stop]


def optional_field(texts, prefix, suffix):
    """prefix + text + suffix for rows with a text, "" for rows whose text is None."""
    return lambda start, stop: ["" if text is None else f"{prefix}{text}{suffix}"
                                for text in texts[start:stop]]


def texts_of(values):
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


def attr_escaped(texts):
    """What :func:`quote` puts between the quotes, for a list of texts without NUL characters.

    The texts are escaped as one string joined by NUL (which no written text holds: names and
    values went through the XML character check), so a column costs a few ``str.replace``.
    """
    joined = "\0".join(texts)
    if _ATTR_SPECIAL.search(joined) is None:
        return texts
    return escape(joined, _ATTR_ENTITIES).split("\0")


def plain(value):
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


def plain_column(values):
    """:func:`plain` of every value of a column, with whole-column checks for plain types."""
    kinds = set(map(type, values))
    kinds.discard(type(None))
    if not kinds <= {int, bool, float, str}:
        return list(map(plain, values))
    if float in kinds:
        floats = values if kinds == {float} and None not in values \
            else [value for value in values if type(value) is float]
        if not all(map(math.isfinite, floats)):
            values = [None if type(value) is float and not math.isfinite(value) else value
                      for value in values]
    if str in kinds and NOT_XML_CHAR.search("".join([value for value in values if type(value) is str])):
        values = [xml_safe(value) if type(value) is str else value for value in values]
    return values


def clean_dict(data):
    pairs = ((str(key), plain(value)) for key, value in data.items())
    return {key: value for key, value in pairs if value is not None}


def gexf_type(values):
    """The one GEXF type that holds every value of a column."""
    kinds = set(map(type, values))
    if kinds == {bool}:
        return "boolean"
    if kinds == {int}:
        return "integer" if min(values) in _INT32 and max(values) in _INT32 else "long"
    if kinds <= {int, float}:
        return "double"
    return "string"


def raw_columns(keys, records):
    """The value of each key in each record (None where a record lacks the key), column by column."""
    columns = []
    for key in keys:
        try:  # one C-level pass when every record holds the key
            columns.append(list(map(itemgetter(key), records)))
        except KeyError:
            columns.append([data.get(key) for data in records])
    return columns


def text_of(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def node_ids(graph):
    """Node -> XML id (its name), refusing names Gephi would drop, merge or not parse."""
    ids = dict(zip(graph, map(str, graph)))
    names = list(ids.values())
    if "" in names or NOT_XML_CHAR.search("".join(names)):
        for node, name in ids.items():  # find the first bad name, for the message
            if not name:
                raise ExportError("a node has an empty name: Gephi skips nodes without an id")
            if NOT_XML_CHAR.search(name):
                raise ExportError(f"node name {name!r} holds characters XML 1.0 cannot carry")
    if len(set(names)) < len(names):
        raise ExportError("two nodes have the same name once written as text (e.g. 1 and '1')")
    return ids


def xml_safe(text):
    return NOT_XML_CHAR.sub("\ufffd", text)


def quote(text):
    """``text`` as a double-quoted XML attribute value."""
    return f'"{escape(text, _ATTR_ENTITIES)}"'
