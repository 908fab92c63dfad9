"""Write the commenter graph as GEXF (Gephi, Gephi Lite) and GraphML.

The GEXF is written by hand rather than with ``networkx.write_gexf``, which produces files that
fail the official schema and trip Gephi (``z="None"`` positions, ``INF``/``NaN`` values, float
colour channels, ``type="int"``, a wrong ``xsi`` namespace, attributes named ``pid`` or ``label``
taken as structure). Output is deterministic: same graph and options, same bytes.
"""

import math
import numbers
import re
from pathlib import Path
from xml.sax.saxutils import escape

import networkx as nx
import numpy as np
import pandas as pd

from .exceptions import ExportError

_XSI = "http://www.w3.org/2001/XMLSchema-instance"
# version argument -> (gexf namespace, viz namespace, value of version=)
_VERSIONS = {
    "1.3": ("http://gexf.net/1.3", "http://gexf.net/1.3/viz", "1.3"),
    "1.2draft": ("http://www.gexf.net/1.2draft", "http://www.gexf.net/1.2draft/viz", "1.2"),
}
_DESCRIPTION = "Commenter reply graph written by discourse: an edge A -> B means A replied to B."

# Attribute titles that some reader takes as structure instead of data: networkx.read_gexf
# (label, pid, viz, spells, start, end, id, networkx_key...) and graphology-gexf, which flattens
# label and viz:* into the same attribute dict (x, y, size, color...), so a column with such a
# title would overwrite the layout or be overwritten by it.
_RESERVED_TITLES = {
    "node": {"id", "label", "pid", "start", "end", "viz", "parents", "spells", "slices",
             "x", "y", "z", "size", "color", "shape", "thickness"},
    "edge": {"id", "label", "weight", "start", "end", "spells", "slices", "networkx_key",
             "color", "shape", "thickness"},
}
_INT32 = range(-2**31, 2**31)  # GEXF "integer" is a Java int; larger values need "long"
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Without these, an XML parser folds tabs and newlines inside attribute values into spaces.
_ATTR_ENTITIES = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


def clean_attributes(graph):
    """Return a copy of ``graph`` whose graph, node and edge attributes are plain Python values.

    numpy scalars become ``int``/``float``/``bool``/``str``; lists, tuples and arrays become one
    string joined with ``;`` (sets sorted first, so the order is stable); other objects become
    ``str``. None, NaN and infinite values are dropped. Characters XML cannot hold are replaced
    by U+FFFD. Nodes and structure are unchanged.
    """
    copy = graph.__class__(**_clean_dict(graph.graph))
    copy.add_nodes_from((node, _clean_dict(data)) for node, data in graph.nodes(data=True))
    edges = graph.edges(keys=True, data=True) if graph.is_multigraph() else graph.edges(data=True)
    copy.add_edges_from((*ends, _clean_dict(data)) for *ends, data in edges)
    return copy


def format_gexf(graph, *, positions=None, sizes=None, colors=None, node_labels=None,
                version="1.3", title=None, node_start=None, edge_start=None):
    """Return ``graph`` as a GEXF document (a ``str``) that Gephi and Gephi Lite import as is.

    Node ids are the node names; ``label`` is ``node_labels[node]`` or the name. Edge ``weight``
    becomes the ``weight=`` of the edge; every other attribute becomes a typed column (one
    type per column: integer/long, double, boolean or string). Missing, NaN and infinite values
    are left out. ``positions`` (node -> (x, y)) must cover every node; ``sizes`` (node -> float)
    and ``colors`` (node -> (r, g, b), channels rounded and clamped to 0..255) may be partial.
    ``title`` heads the description in ``<meta>``.

    ``node_start`` (node -> time) and ``edge_start`` ((source, target) -> time), when either is
    given, make the graph dynamic for Gephi's timeline: ``mode="dynamic"``,
    ``timeformat="dateTime"`` and a ``start`` on each node and edge that has a time (UTC,
    ``YYYY-MM-DDTHH:MM:SS``; anything ``pandas.Timestamp`` takes). Nodes and edges without a
    time are there for the whole timeline. Attribute columns stay static. Raises :class:`ExportError` (a ValueError)
    for a weight that is not a positive number, a missing or non-finite position, a negative
    size, or node names that are empty, collide, or hold characters XML cannot carry.
    """
    if version not in _VERSIONS:
        raise ExportError(f"unknown GEXF version {version!r}; use one of {sorted(_VERSIONS)}")
    gexf_ns, viz_ns, version_attr = _VERSIONS[version]
    node_ids = _node_ids(graph)
    if positions is not None:
        missing = [node for node in graph if node not in positions]
        if missing:
            raise ExportError(f"no position for {len(missing)} node(s), e.g. {missing[:3]}")
    node_data = [_clean_dict(data) for _, data in graph.nodes(data=True)]
    edge_data = [_clean_dict({k: v for k, v in data.items() if k != "weight"})
                 for *_, data in graph.edges(data=True)]
    node_columns = _columns("node", node_data)
    edge_columns = _columns("edge", edge_data)
    description = f"{title}. {_DESCRIPTION}" if title else _DESCRIPTION
    edge_type = "directed" if graph.is_directed() else "undirected"
    dynamic = node_start is not None or edge_start is not None
    mode = 'mode="dynamic" timeformat="dateTime"' if dynamic else 'mode="static"'

    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<gexf xmlns="{gexf_ns}" xmlns:viz="{viz_ns}" xmlns:xsi="{_XSI}" '
        f'xsi:schemaLocation="{gexf_ns} {gexf_ns}/gexf.xsd" version="{version_attr}">',
        "  <meta>",
        "    <creator>discourse</creator>",
        f"    <description>{escape(_xml_safe(description))}</description>",
        "  </meta>",
        f'  <graph defaultedgetype="{edge_type}" {mode} idtype="string">',
    ]
    for cls, columns in (("node", node_columns), ("edge", edge_columns)):
        if columns:
            lines.append(f'    <attributes class="{cls}" mode="static">')
            lines += [f'      <attribute id="{column_id}" title={_quote(column_title)} '
                      f'type="{gexf_type}"/>'
                      for column_id, column_title, gexf_type in columns.values()]
            lines.append("    </attributes>")

    lines.append(f'    <nodes count="{len(node_ids)}">')
    for (node, node_id), data in zip(node_ids.items(), node_data):
        label = (node_labels or {}).get(node)
        label = node_id if label is None else _xml_safe(str(label))
        start = _start(node, (node_start or {}).get(node))
        lines.append(f"      <node id={_quote(node_id)} label={_quote(label)}{start}>")
        lines += _attvalues(data, node_columns)
        if sizes is not None and node in sizes:
            lines.append(f'        <viz:size value="{_size(node, sizes[node])}"/>')
        if positions is not None:
            lines.append(f"        <viz:position {_position(node, positions[node], version)}/>")
        if colors is not None and node in colors:
            lines.append(f"        <viz:color {_color(node, colors[node])}/>")
        lines.append("      </node>")
    lines.append("    </nodes>")

    lines.append(f'    <edges count="{graph.number_of_edges()}">')
    for edge_id, ((u, v, raw), data) in enumerate(zip(graph.edges(data=True), edge_data)):
        weight = f' weight="{_weight(u, v, raw["weight"])}"' if "weight" in raw else ""
        start = _start((u, v), (edge_start or {}).get((u, v)))
        lines.append(f'      <edge id="{edge_id}" source={_quote(node_ids[u])} '
                     f"target={_quote(node_ids[v])}{weight}{start}>")
        lines += _attvalues(data, edge_columns)
        lines.append("      </edge>")
    lines += ["    </edges>", "  </graph>", "</gexf>", ""]
    return "\n".join(lines)


def write_gexf(graph, path, **kwargs):
    """Write :func:`format_gexf` of ``graph`` (same keyword options) to ``path`` as UTF-8."""
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write(format_gexf(graph, **kwargs))


def write_graphml(graph, path):
    """Write ``graph`` as GraphML with :func:`clean_attributes` values, one type per column.

    A column holding ints and floats is written as floats; any other mix as strings, so that
    every GraphML key has exactly one ``attr.type``.
    """
    _node_ids(graph)  # same name checks as GEXF: GraphML ids are the names too
    cleaned = clean_attributes(graph)
    for records in ([d for _, d in cleaned.nodes(data=True)],
                    [d for *_, d in cleaned.edges(data=True)]):
        _unify_column_types(records)
    nx.write_graphml(cleaned, Path(path), encoding="utf-8", infer_numeric_types=False)

def _plain(value):
    """``value`` as str/int/float/bool, or None when there is nothing to write."""
    if isinstance(value, (list, tuple, set, frozenset, np.ndarray)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else list(value)
        parts = (_plain(item) for item in items)
        return ";".join(_text(part) for part in parts if part is not None)
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, (bool, str)):
        return _xml_safe(value) if isinstance(value, str) else value
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
    return _xml_safe(str(value))


def _clean_dict(data):
    plain = ((str(key), _plain(value)) for key, value in data.items())
    return {key: value for key, value in plain if value is not None}


def _gexf_type(values):
    """The one GEXF type that holds every value of a column."""
    kinds = {type(value) for value in values}
    if kinds == {bool}:
        return "boolean"
    if kinds == {int}:
        return "integer" if all(value in _INT32 for value in values) else "long"
    if kinds <= {int, float}:
        return "double"
    return "string"


def _columns(cls, records):
    """Column key -> (attribute id, title, GEXF type), in order of first appearance."""
    values = {}
    for data in records:
        for key, value in data.items():
            values.setdefault(key, []).append(value)
    columns, titles = {}, set()
    for number, (key, column_values) in enumerate(values.items()):
        title = f"attr_{key}" if key in _RESERVED_TITLES[cls] else key
        while title in titles or title in _RESERVED_TITLES[cls]:
            title = f"{title}_"  # a renamed title may clash with a real column
        titles.add(title)
        columns[key] = (str(number), title, _gexf_type(column_values))
    return columns


def _unify_column_types(records):
    """Coerce each column of ``records`` (dicts, changed in place) to one Python type."""
    for key in dict.fromkeys(key for data in records for key in data):
        holders = [data for data in records if key in data]
        convert = {"double": float, "string": _text}.get(_gexf_type([d[key] for d in holders]))
        for data in holders if convert else ():
            data[key] = convert(data[key])


def _text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def _attvalues(data, columns):
    if not data:
        return []
    return ["        <attvalues>",
            *(f'          <attvalue for="{column_id}" value={_quote(_text(data[key]))}/>'
              for key, (column_id, _, _) in columns.items() if key in data),
            "        </attvalues>"]

def _node_ids(graph):
    """Node -> XML id (its name), refusing names Gephi would drop, merge or not parse."""
    ids = {}
    for node in graph:
        name = str(node)
        if not name:
            raise ExportError("a node has an empty name: Gephi skips nodes without an id")
        if _NOT_XML_CHAR.search(name):
            raise ExportError(f"node name {name!r} holds characters XML 1.0 cannot carry")
        ids[node] = name
    if len(set(ids.values())) < len(ids):
        raise ExportError("two nodes have the same name once written as text (e.g. 1 and '1')")
    return ids


def _finite(what, value):
    number = _plain(value)
    if isinstance(number, bool) or not isinstance(number, (int, float)) \
            or not math.isfinite(number):
        raise ExportError(f"{what} must be a finite number, got {value!r}")
    return number


def _weight(u, v, value):
    weight = _finite(f"weight of edge {u!r} -> {v!r}", value)
    if weight <= 0:
        # Gephi deletes zero-weight edges and warns on negative ones.
        raise ExportError(f"edge {u!r} -> {v!r} has weight {weight!r}; weights must be > 0")
    return _text(weight)


def _size(node, value):
    size = _finite(f"size of node {node!r}", value)
    if size < 0:
        raise ExportError(f"node {node!r} has size {size!r}; sizes must be >= 0")
    return repr(float(size))


def _position(node, position, version):
    x, y = (repr(float(_finite(f"position of node {node!r}", c))) for c in position)
    # z became optional only in GEXF 1.3; 1.2draft requires it.
    return f'x="{x}" y="{y}"' + ("" if version == "1.3" else ' z="0.0"')


def _color(node, rgb):
    # Gephi parses r/g/b with Integer.parseInt and aborts the whole import on "127.5".
    # floor(x + 0.5) rounds halves up, unlike round(), which rounds 126.5 down to 126.
    channels = (math.floor(_finite(f"colour of node {node!r}", c) + 0.5) for c in rgb)
    return " ".join(f'{name}="{min(255, max(0, c))}"' for name, c in zip("rgb", channels))

def _start(what, value):
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


def _xml_safe(text):
    return _NOT_XML_CHAR.sub("\ufffd", text)


def _quote(text):
    """``text`` as a double-quoted XML attribute value."""
    return f'"{escape(text, _ATTR_ENTITIES)}"'
