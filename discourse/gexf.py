"""Write the commenter graph as GEXF (Gephi, Gephi Lite) and GraphML.

The GEXF is written by hand rather than with ``networkx.write_gexf``, which produces files that
fail the official schema and trip Gephi (``z="None"`` positions, ``INF``/``NaN`` values, float
colour channels, ``type="int"``, a wrong ``xsi`` namespace, attributes named ``pid`` or ``label``
taken as structure). Output is deterministic: same graph and options, same bytes.
"""

import io
import math
from itertools import chain
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from .exceptions import ExportError
from .xmlrows import (attr_escaped, clean_attributes, clean_dict,  # noqa: F401 (clean_attributes)
                      gexf_type, node_ids, optional_field, plain, plain_column, quote,
                      raw_columns, slices, text_of, texts_of, write_pieces, xml_safe)

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
_ABSENT = object()  # marks "no such key", where None is a value the old checks must see


def format_gexf(graph, **options):
    """Return ``graph`` as a GEXF document (a ``str``); the options are those of :func:`write_gexf`."""
    document = _gexf_document(graph, **options)
    out = io.StringIO()
    write_pieces(out, document)
    return out.getvalue()


def write_gexf(graph, path, *, positions=None, sizes=None, colors=None, node_labels=None,
               version="1.3", title=None, node_start=None, edge_start=None):
    """Write ``graph`` to ``path`` as a UTF-8 GEXF document that Gephi and Gephi Lite import as is.

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
    size, or node names that are empty, collide, or hold characters XML cannot carry; every check
    runs before the file is opened. The document is written a few thousand rows at a time.
    """
    document = _gexf_document(graph, positions=positions, sizes=sizes, colors=colors,
                              node_labels=node_labels, version=version, title=title,
                              node_start=node_start, edge_start=edge_start)
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        write_pieces(out, document)


def write_graphml(graph, path):
    """Write ``graph`` as GraphML with :func:`clean_attributes` values, one type per column.

    A column holding ints and floats is written as floats; any other mix as strings, so that
    every GraphML key has exactly one ``attr.type``. See :mod:`discourse.graphml`.
    """
    from .graphml import write_graphml as write  # that module builds on this one's helpers
    write(graph, path)


def _gexf_document(graph, *, positions=None, sizes=None, colors=None, node_labels=None,
                   version="1.3", title=None, node_start=None, edge_start=None):
    """The GEXF document as pieces for :func:`write_pieces`, every value checked already."""
    if version not in _VERSIONS:
        raise ExportError(f"unknown GEXF version {version!r}; use one of {sorted(_VERSIONS)}")
    gexf_ns, viz_ns, version_attr = _VERSIONS[version]
    names = node_ids(graph)
    nodes = list(names)
    if positions is not None:
        missing = [node for node in nodes if node not in positions]
        if missing:
            raise ExportError(f"no position for {len(missing)} node(s), e.g. {missing[:3]}")
    sources, targets, edge_records = [], [], []
    for u, v, data in graph.edges(data=True):
        sources.append(u)
        targets.append(v)
        edge_records.append(data)
    node_columns, node_values = _data_columns("node", [data for _, data in graph.nodes(data=True)])
    edge_columns, edge_values = _data_columns("edge", edge_records, skip="weight")
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
        f"    <description>{escape(xml_safe(description))}</description>",
        "  </meta>",
        f'  <graph defaultedgetype="{edge_type}" {mode} idtype="string">',
    ]
    for cls, columns in (("node", node_columns), ("edge", edge_columns)):
        if columns:
            lines.append(f'    <attributes class="{cls}" mode="static">')
            lines += [f'      <attribute id="{column_id}" title={quote(column_title)} '
                      f'type="{gexf_type}"/>'
                      for column_id, column_title, gexf_type in columns.values()]
            lines.append("    </attributes>")
    lines.append(f'    <nodes count="{len(nodes)}">\n')

    quoted_ids = attr_escaped(list(names.values()))
    node_row = ['      <node id="', slices(quoted_ids), '" label="',
                slices(quoted_ids) if node_labels is None else _label_field(nodes, names, node_labels),
                '"']
    if node_start is not None:
        node_row.append(_start_field(nodes, nodes, node_start))
    node_row.append(">\n")
    node_row += _attvalue_parts(node_columns, node_values)
    if sizes is not None:
        node_row.append(optional_field(_size_texts(nodes, sizes), '        <viz:size value="', '"/>\n'))
    if positions is not None:
        node_row += ["        <viz:position ", slices(_position_texts(nodes, positions, version)),
                     "/>\n"]
    if colors is not None:
        node_row.append(optional_field(_color_texts(nodes, colors), "        <viz:color ", "/>\n"))
    node_row.append("      </node>\n")

    quoted_id_of = dict(zip(nodes, quoted_ids))
    edge_row = ['      <edge id="', _edge_numbers, '" source="',
                _mapped(sources, quoted_id_of), '" target="', _mapped(targets, quoted_id_of), '"',
                optional_field(_weight_texts(sources, targets, edge_records), ' weight="', '"')]
    if edge_start is not None:
        edge_row.append(_start_field(list(zip(sources, targets)), list(zip(sources, targets)),
                                     edge_start))
    edge_row.append(">\n")
    edge_row += _attvalue_parts(edge_columns, edge_values)
    edge_row.append("      </edge>\n")

    return ["\n".join(lines), (node_row, len(nodes)),
            f'    </nodes>\n    <edges count="{len(sources)}">\n', (edge_row, len(sources)),
            "    </edges>\n  </graph>\n</gexf>\n"]


def _mapped(keys, text_of):
    return lambda start, stop: list(map(text_of.__getitem__, keys[start:stop]))


def _edge_numbers(start, stop):
    return list(map(str, range(start, stop)))


def _attvalue_parts(columns, values):
    """Row parts for the ``<attvalues>`` block: a column with a value in every row is a plain
    field between fixed markup; a column with gaps writes its whole line or nothing."""
    if not columns:
        return []
    complete = {key for key in columns if None not in values[key]}
    parts = []
    for key, (column_id, _, _) in columns.items():
        prefix = f'          <attvalue for="{column_id}" value="'
        if key in complete:
            parts += [prefix, _value_field(values[key]), '"/>\n']
        else:
            parts.append(_value_field(values[key], prefix, '"/>\n'))
    if complete:
        return ["        <attvalues>\n", *parts, "        </attvalues>\n"]
    # With gaps everywhere, a row may have no value at all, and then no <attvalues> either.
    gapped = list(values.values())
    return [_block_edge(gapped, "        <attvalues>\n"), *parts,
            _block_edge(gapped, "        </attvalues>\n")]


def _block_edge(columns, text):
    return lambda start, stop: [text if any(value is not None for value in row) else ""
                                for row in zip(*(column[start:stop] for column in columns))]


def _value_field(values, prefix=None, suffix=None):
    def field(start, stop):
        texts = texts_of(values[start:stop])
        if prefix is None:
            return attr_escaped(texts)
        quoted = iter(attr_escaped([text for text in texts if text is not None]))
        return ["" if text is None else f"{prefix}{next(quoted)}{suffix}" for text in texts]
    return field


def _label_field(nodes, names, node_labels):
    labels = [node_labels.get(node) for node in nodes]
    texts = [names[node] if label is None else xml_safe(str(label))
             for node, label in zip(nodes, labels)]
    return slices(attr_escaped(texts))


def _size_texts(nodes, sizes):
    values = [sizes[node] if node in sizes else _ABSENT for node in nodes]
    given = [value for value in values if value is not _ABSENT]
    if set(map(type, given)) <= {float, np.float64} and all(map(math.isfinite, given)) \
            and min(given, default=0.0) >= 0:
        return [None if value is _ABSENT else repr(float(value)) for value in values]
    return [None if value is _ABSENT else _size(node, value) for node, value in zip(nodes, values)]


def _position_texts(nodes, positions, version):
    points = [positions[node] for node in nodes]
    z = "" if version == "1.3" else ' z="0.0"'
    coordinates = list(chain.from_iterable(points))
    if set(map(type, points)) <= {tuple} and len(coordinates) == 2 * len(points) \
            and set(map(type, coordinates)) <= {float, np.float64} \
            and all(map(math.isfinite, coordinates)):
        texts = list(map(repr, map(float, coordinates)))
        return [f'x="{x}" y="{y}"{z}' for x, y in zip(texts[::2], texts[1::2])]
    return [_position(node, point, version) for node, point in zip(nodes, points)]


def _color_texts(nodes, colors):
    # Most nodes share a handful of palette colours; equal channels of equal types give the
    # same text, so each distinct colour is checked and formatted once.
    done, texts = {}, []
    for node in nodes:
        if node not in colors:
            texts.append(None)
            continue
        rgb = colors[node]
        key = (rgb, tuple(map(type, rgb))) if type(rgb) is tuple else None
        try:
            text = done[key] if key is not None else _color(node, rgb)
        except KeyError:
            text = done[key] = _color(node, rgb)
        except TypeError:  # unhashable channels
            text = _color(node, rgb)
        texts.append(text)
    return texts


def _weight_texts(sources, targets, records):
    weights = [data.get("weight", _ABSENT) for data in records]
    given = [weight for weight in weights if weight is not _ABSENT]
    kinds = set(map(type, given))
    if kinds <= {int, float} and (float not in kinds or all(map(math.isfinite, given))) \
            and min(given, default=1) > 0:
        return [None if weight is _ABSENT else repr(weight) if type(weight) is float else str(weight)
                for weight in weights]
    return [None if weight is _ABSENT else _weight(u, v, weight)
            for u, v, weight in zip(sources, targets, weights)]


def _start_field(keys, whats, starts):
    """`` start="..."`` or "" per row. Timestamps are kept as nanoseconds and formatted by numpy
    a chunk at a time; anything else goes through :func:`_start` once, here."""
    values = [starts.get(key) for key in keys]
    try:
        stamps = [value.value if type(value) is pd.Timestamp else _start(what, value)
                  for what, value in zip(whats, values)]
    except OverflowError:  # a non-nanosecond Timestamp outside 1677..2262
        stamps = [_start(what, value) for what, value in zip(whats, values)]

    def field(start, stop):
        texts = stamps[start:stop]
        # .value counts nanoseconds in UTC for aware times and the wall clock for naive ones,
        # exactly what _start formats (after tz_convert("UTC")); numpy floors to the second.
        where = [row for row, stamp in enumerate(texts) if type(stamp) is int]
        if where:
            seconds = np.datetime_as_string(np.array([texts[row] for row in where],
                                                     dtype="datetime64[ns]"), unit="s")
            for row, text in zip(where, seconds.tolist()):
                texts[row] = f' start="{text}"'
        return texts
    return field


def _data_columns(cls, records, skip=None):
    """(columns, values) for attribute dicts ``records`` (``skip``: a key left out).

    columns: key -> (attribute id, title, GEXF type) in order of first appearance of a value;
    values: key -> the column's :func:`plain` values, one per record, None where there is none.
    """
    keys = dict.fromkeys(chain.from_iterable(records))
    if skip is not None:
        keys.pop(skip, None)
    if not all(type(key) is str for key in keys):
        # str() can merge keys (1 and "1"); let clean_dict settle such records one by one.
        records = [clean_dict({k: v for k, v in data.items() if skip is None or k != skip})
                   for data in records]
        return _data_columns(cls, records)
    values, first = {}, {}
    for key, column in zip(keys, raw_columns(list(keys), records)):
        column = plain_column(column)
        row = next((row for row, value in enumerate(column) if value is not None), None)
        if row is not None:
            values[key] = column
            first[key] = (row, list(records[row]).index(key))
    columns, titles = {}, set()
    for number, key in enumerate(sorted(values, key=first.__getitem__)):
        title = f"attr_{key}" if key in _RESERVED_TITLES[cls] else key
        while title in titles or title in _RESERVED_TITLES[cls]:
            title = f"{title}_"  # a renamed title may clash with a real column
        titles.add(title)
        columns[key] = (str(number), title, gexf_type([v for v in values[key] if v is not None]))
    return columns, {key: values[key] for key in columns}


def _finite(what, value):
    number = plain(value)
    if isinstance(number, bool) or not isinstance(number, (int, float)) \
            or not math.isfinite(number):
        raise ExportError(f"{what} must be a finite number, got {value!r}")
    return number


def _weight(u, v, value):
    weight = _finite(f"weight of edge {u!r} -> {v!r}", value)
    if weight <= 0:
        # Gephi deletes zero-weight edges and warns on negative ones.
        raise ExportError(f"edge {u!r} -> {v!r} has weight {weight!r}; weights must be > 0")
    return text_of(weight)


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


