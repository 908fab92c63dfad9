"""Write the commenter graph as GEXF (Gephi, Gephi Lite) and GraphML.

The GEXF is written by hand rather than with ``networkx.write_gexf``, which produces files that
fail the official schema and trip Gephi (``z="None"`` positions, ``INF``/``NaN`` values, float
colour channels, ``type="int"``, a wrong ``xsi`` namespace, attributes named ``pid`` or ``label``
taken as structure). Output is deterministic: same graph and options, same bytes.
"""

from __future__ import annotations

import io
import math
from itertools import chain
from operator import itemgetter
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

import numpy as np

from ..exceptions import ExportError
from ..network.timeline import start_texts
from .xml import (attr_escaped, clean_dict,
                      gexf_type, graph_table, names_are_ids, optional_field, plain, plain_columns,
                      quote, slices, text_of, texts_of, write_documents, write_pieces,
                      xml_safe)

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
    from pathlib import Path

    import networkx as nx

    from .xml import Column, Field, GraphTable, Piece, Plain

    #: times of nodes or edges: a datetime64 array (one per row) or a mapping row key -> time
    Starts = np.ndarray | Mapping[Any, object]
    #: an attribute column as described in the head: (attribute id, title, GEXF type)
    Described = tuple[str, str, str]

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


def format_gexf(graph: nx.Graph | GraphTable, **options: Any) -> str:
    """Return ``graph`` as a GEXF document (a ``str``); the options are those of :func:`write_gexf`."""
    out = io.BytesIO()
    write_pieces(out, _gexf_document(graph, **options))
    return out.getvalue().decode("utf-8")


def write_gexf(graph: nx.Graph | GraphTable, path: Path | str, *,
               positions: Mapping[Hashable, Sequence[float]] | None = None,
               sizes: Mapping[Hashable, float] | None = None,
               colors: Mapping[Hashable, Sequence[float]] | None = None,
               node_labels: Mapping[Hashable, object] | None = None, version: str = "1.3",
               title: str | None = None, node_start: Starts | None = None,
               edge_start: Starts | None = None) -> None:
    """Write ``graph`` to ``path`` as a UTF-8 GEXF document that Gephi and Gephi Lite import as is.

    ``graph`` is a networkx graph, or its :class:`~discourse.output.xml.GraphTable` when several
    files are written from one graph (the table is then read from the graph once).

    Node ids are the node names; ``label`` is ``node_labels[node]`` or the name. Edge ``weight``
    becomes the ``weight=`` of the edge; every other attribute becomes a typed column (one
    type per column: integer/long, double, boolean or string). Missing, NaN and infinite values
    are left out. ``positions`` (node -> (x, y)) must cover every node; ``sizes`` (node -> float)
    and ``colors`` (node -> (r, g, b), channels rounded and clamped to 0..255) may be partial.
    ``title`` heads the description in ``<meta>``.

    ``node_start`` (node -> time) and ``edge_start`` ((source, target) -> time), when either is
    given, make the graph dynamic for Gephi's timeline: ``mode="dynamic"``,
    ``timeformat="dateTime"`` and a ``start`` on each node and edge that has a time (UTC,
    ``YYYY-MM-DDTHH:MM:SS``; anything ``pandas.Timestamp`` takes). Either may instead be a numpy
    ``datetime64`` array of UTC times, one per node in ``list(graph)`` order or per edge in
    ``graph.edges`` order, NaT for none (what :class:`discourse.network.timeline.Timeline` holds; no
    lookups per row). Nodes and edges without a time are there for the whole timeline.
    Attribute columns stay static. Raises :class:`ExportError` (a ValueError) for a weight that
    is not a positive number, a missing or non-finite position, a negative size, or node names
    that are empty, collide, or hold characters XML cannot carry; every check runs before the
    file is opened. The document is written a few thousand rows at a time.
    """
    document = _gexf_document(graph, positions=positions, sizes=sizes, colors=colors,
                              node_labels=node_labels, version=version, title=title,
                              node_start=node_start, edge_start=edge_start)
    with open(path, "wb") as out:
        write_pieces(out, document)


def write_gexf_with_timeline(graph: nx.Graph | GraphTable, path: Path | str, timeline_path: Path | str, *,
                             node_start: Starts | None = None, edge_start: Starts | None = None,
                             **options: Any) -> None:
    """:func:`write_gexf` of ``graph`` to ``path``, and to ``timeline_path`` with ``node_start`` and
    ``edge_start``: the same bytes as two calls, but the files are written side by side, so each
    row's values are formatted once for both (the other ``options`` are those of write_gexf)."""
    static, dynamic = _gexf_documents(graph, [(None, None), (node_start, edge_start)], **options)
    with open(path, "wb") as out, open(timeline_path, "wb") as timeline_out:
        write_documents([out, timeline_out], [static, dynamic])


def write_graphml(graph: nx.Graph | GraphTable, path: Path | str) -> None:
    """Write ``graph`` (or its :class:`~discourse.output.xml.GraphTable`) as GraphML with
    :func:`clean_attributes` values, one type per column.

    A column holding ints and floats is written as floats; any other mix as strings, so that
    every GraphML key has exactly one ``attr.type``. See :mod:`discourse.output.graphml`.
    """
    from .graphml import write_graphml as write  # that module builds on this one's helpers
    write(graph, path)


def _gexf_document(graph: nx.Graph | GraphTable, *, node_start: Starts | None = None,
                   edge_start: Starts | None = None, **options: Any) -> list[Piece]:
    """The GEXF document as pieces for :func:`write_pieces`, every value checked already."""
    return _gexf_documents(graph, [(node_start, edge_start)], **options)[0]


def _gexf_documents(graph: nx.Graph | GraphTable, starts: Sequence[tuple[Starts | None, Starts | None]], *,
                    positions: Mapping[Hashable, Sequence[float]] | None = None,
                    sizes: Mapping[Hashable, float] | None = None,
                    colors: Mapping[Hashable, Sequence[float]] | None = None,
                    node_labels: Mapping[Hashable, object] | None = None, version: str = "1.3",
                    title: str | None = None) -> list[list[Piece]]:
    """One GEXF document per (node_start, edge_start) of ``starts``, as pieces for
    :func:`~discourse.output.xml.write_documents`, every value checked already. The documents share
    their common row parts, so that written together each part is formatted once."""
    if version not in _VERSIONS:
        raise ExportError(f"unknown GEXF version {version!r}; use one of {sorted(_VERSIONS)}")
    table = graph_table(graph)
    graph, names, nodes = table.graph, table.names, table.nodes
    if positions is not None:
        missing = [node for node in nodes if node not in positions]
        if missing:
            raise ExportError(f"no position for {len(missing)} node(s), e.g. {missing[:3]}")
    sources, targets, edge_records = table.sources, table.targets, table.edge_records
    node_columns, node_values, node_gaps = _data_columns("node", table.node_records, table.node_columns)
    edge_columns, edge_values, edge_gaps = _data_columns("edge", edge_records, table.edge_columns,
                                                         skip="weight")
    edge_type = "directed" if graph.is_directed() else "undirected"
    head = _head_lines(version, title, (("node", node_columns), ("edge", edge_columns)), len(nodes))

    names_list = list(names.values())
    quoted_ids = attr_escaped(names_list)
    node_head = ['      <node id="', slices(quoted_ids), '" label="',
                 slices(quoted_ids) if node_labels is None else _label_field(nodes, names, node_labels),
                 '"']
    node_starts = [None if node_start is None else _start_field(len(nodes), lambda: nodes, node_start)
                   for node_start, _ in starts]
    node_row = [">\n"]
    node_row += _attvalue_parts(node_columns, node_values, node_gaps)
    if sizes is not None:
        node_row.append(optional_field(_size_texts(nodes, sizes), '        <viz:size value="', '"/>\n'))
    if positions is not None:
        node_row += ["        <viz:position ", slices(_position_texts(nodes, positions, version)),
                     "/>\n"]
    if colors is not None:
        node_row.append(optional_field(_color_texts(nodes, colors), "        <viz:color ", "/>\n"))
    node_row.append("      </node>\n")

    source_texts, target_texts = _edge_ends(table, names_list, quoted_ids)
    weights = _weight_texts(sources, targets, edge_records)
    edge_head = ['      <edge id="', _edge_numbers, '" source="', source_texts, '" target="', target_texts, '"']
    edge_head += [optional_field(weights, ' weight="', '"')] if None in weights else \
        [' weight="', slices(weights), '"']
    edge_starts = [None if edge_start is None else
                   _start_field(len(sources), lambda: list(zip(sources, targets)), edge_start)
                   for _, edge_start in starts]
    edge_row = [">\n"]
    edge_row += _attvalue_parts(edge_columns, edge_values, edge_gaps)
    edge_row.append("      </edge>\n")

    documents = []
    for (node_start, edge_start), node_start_part, edge_start_part in zip(starts, node_starts, edge_starts):
        dynamic = node_start is not None or edge_start is not None
        mode = 'mode="dynamic" timeformat="dateTime"' if dynamic else 'mode="static"'
        node_parts = node_head + [node_start_part] * (node_start_part is not None) + node_row
        edge_parts = edge_head + [edge_start_part] * (edge_start_part is not None) + edge_row
        graph_line = f'  <graph defaultedgetype="{edge_type}" {mode} idtype="string">'
        documents.append(["\n".join(graph_line if line is None else line for line in head),
                          (node_parts, len(nodes)), f'    </nodes>\n    <edges count="{len(sources)}">\n',
                          (edge_parts, len(sources)), "    </edges>\n  </graph>\n</gexf>\n"])
    return documents


def _head_lines(version: str, title: str | None, columns: Iterable[tuple[str, dict[str, Described]]],
                node_count: int) -> list[str | None]:
    """The document's lines up to ``<nodes>``; None stands for the ``<graph>`` line, whose mode
    differs between a static and a dynamic document."""
    gexf_ns, viz_ns, version_attr = _VERSIONS[version]
    description = f"{title}. {_DESCRIPTION}" if title else _DESCRIPTION
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<gexf xmlns="{gexf_ns}" xmlns:viz="{viz_ns}" xmlns:xsi="{_XSI}" '
        f'xsi:schemaLocation="{gexf_ns} {gexf_ns}/gexf.xsd" version="{version_attr}">',
        "  <meta>",
        "    <creator>discourse</creator>",
        f"    <description>{escape(xml_safe(description))}</description>",
        "  </meta>",
        None,
    ]
    for cls, described in columns:
        if described:
            lines.append(f'    <attributes class="{cls}" mode="static">')
            lines += [f'      <attribute id="{column_id}" title={quote(column_title)} '
                      f'type="{gexf_type}"/>'
                      for column_id, column_title, gexf_type in described.values()]
            lines.append("    </attributes>")
    lines.append(f'    <nodes count="{node_count}">\n')
    return lines


def _edge_ends(table: GraphTable, names: list[str], quoted_ids: list[str]) -> tuple[Field, Field]:
    """Fields with the quoted id of each edge's source and target (``quoted_ids``: of ``names``)."""
    if names_are_ids(table.nodes, names, quoted_ids):
        return slices(table.sources), slices(table.targets)
    quoted_id_of = dict(zip(table.nodes, quoted_ids))
    return _mapped(table.sources, quoted_id_of), _mapped(table.targets, quoted_id_of)


def _mapped(keys: Sequence[Hashable], text_of: Mapping[Hashable, str]) -> Field:
    return lambda start, stop: list(map(text_of.__getitem__, keys[start:stop]))


def _edge_numbers(start: int, stop: int) -> list[str]:
    return list(map(str, range(start, stop)))


def _attvalue_parts(columns: dict[str, Described], values: dict[str, list[Plain | None]],
                    gaps: set[str]) -> list[str | Field]:
    """Row parts for the ``<attvalues>`` block: a column with a value in every row is a plain
    field between fixed markup; a column with gaps (its key in ``gaps``) writes its whole line
    or nothing."""
    if not columns:
        return []
    complete = {key for key in columns if key not in gaps}
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


def _block_edge(columns: Sequence[Sequence[Plain | None]], text: str) -> Field:
    return lambda start, stop: [text if any(value is not None for value in row) else ""
                                for row in zip(*(column[start:stop] for column in columns))]


def _value_field(values: list[Plain | None], prefix: str | None = None, suffix: str | None = None) -> Field:
    def field(start: int, stop: int) -> list[str]:
        texts = texts_of(values[start:stop])
        if prefix is None:
            return attr_escaped(texts)
        quoted = iter(attr_escaped([text for text in texts if text is not None]))
        return ["" if text is None else f"{prefix}{next(quoted)}{suffix}" for text in texts]
    return field


def _label_field(nodes: Sequence[Hashable], names: Mapping[Hashable, str],
                 node_labels: Mapping[Hashable, object]) -> Field:
    labels = [node_labels.get(node) for node in nodes]
    texts = [names[node] if label is None else xml_safe(str(label))
             for node, label in zip(nodes, labels)]
    return slices(attr_escaped(texts))


def _size_texts(nodes: Sequence[Hashable], sizes: Mapping[Hashable, float]) -> list[str | None]:
    values = [sizes[node] if node in sizes else _ABSENT for node in nodes]
    given = [value for value in values if value is not _ABSENT]
    if set(map(type, given)) <= {float, np.float64} and all(map(math.isfinite, given)) \
            and min(given, default=0.0) >= 0:
        return [None if value is _ABSENT else repr(float(value)) for value in values]
    return [None if value is _ABSENT else _size(node, value) for node, value in zip(nodes, values)]


def _position_texts(nodes: Sequence[Hashable], positions: Mapping[Hashable, Sequence[float]],
                    version: str) -> list[str]:
    points = [positions[node] for node in nodes]
    z = "" if version == "1.3" else ' z="0.0"'
    coordinates = list(chain.from_iterable(points))
    if set(map(type, points)) <= {tuple} and len(coordinates) == 2 * len(points) \
            and set(map(type, coordinates)) <= {float, np.float64} \
            and all(map(math.isfinite, coordinates)):
        texts = list(map(repr, map(float, coordinates)))
        return [f'x="{x}" y="{y}"{z}' for x, y in zip(texts[::2], texts[1::2])]
    return [_position(node, point, version) for node, point in zip(nodes, points)]


def _color_texts(nodes: Sequence[Hashable], colors: Mapping[Hashable, Sequence[float]]) -> list[str | None]:
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


def _weight_texts(sources: Sequence[Hashable], targets: Sequence[Hashable],
                  records: Sequence[Mapping[Any, Any]]) -> list[str | None]:
    try:  # one C-level pass when every edge has a weight
        weights = given = list(map(itemgetter("weight"), records))
    except KeyError:
        weights = [data.get("weight", _ABSENT) for data in records]
        given = [weight for weight in weights if weight is not _ABSENT]
    kinds = set(map(type, given))
    if kinds <= {int, float} and (float not in kinds or all(map(math.isfinite, given))) \
            and min(given, default=1) > 0:
        if kinds == {int} and given is weights:
            return list(map(str, weights))
        return [None if weight is _ABSENT else repr(weight) if type(weight) is float else str(weight)
                for weight in weights]
    return [None if weight is _ABSENT else _weight(u, v, weight)
            for u, v, weight in zip(sources, targets, weights)]


def _start_field(count: int, rows: Callable[[], list[Any]], starts: Starts) -> Field:
    """A field of `` start="..."`` or "" for each of ``count`` rows (see
    :func:`discourse.network.timeline.start_texts`)."""
    return slices(start_texts(starts, count, rows))


def _data_columns(cls: str, records: Sequence[Mapping[Any, Any]], columns: dict[str, Column] | None,
                  skip: str | None = None) -> tuple[dict[str, Described], dict[str, list[Plain | None]], set[str]]:
    """(columns, values) for attribute dicts ``records`` (``skip``: a key left out), from their
    :func:`~discourse.output.xml.plain_columns` ``columns`` (None: some key is not a string).

    columns: key -> (attribute id, title, GEXF type) in order of first appearance of a value;
    values: key -> the column's :func:`plain` values, one per record, None where there is none;
    gaps: the keys some record has no value for.
    """
    if columns is None:
        # str() can merge keys (1 and "1"); let clean_dict settle such records one by one.
        records = [clean_dict({k: v for k, v in data.items() if skip is None or k != skip})
                   for data in records]
        columns = plain_columns(records)
    elif skip is not None:
        columns = {key: column for key, column in columns.items() if key != skip}
    described, titles = {}, set()
    for number, key in enumerate(sorted(columns, key=lambda key: columns[key].first)):
        title = f"attr_{key}" if key in _RESERVED_TITLES[cls] else key
        while title in titles or title in _RESERVED_TITLES[cls]:
            title = f"{title}_"  # a renamed title may clash with a real column
        titles.add(title)
        column = columns[key]
        gaps = type(None) in column.kinds
        present = [value for value in column.values if value is not None] if gaps else column.values
        described[key] = (str(number), title, gexf_type(present, column.kinds - {type(None)}))
    return (described, {key: columns[key].values for key in described},
            {key for key in described if type(None) in columns[key].kinds})


def _finite(what: str, value: object) -> int | float:
    number = plain(value)
    if isinstance(number, bool) or not isinstance(number, (int, float)) \
            or not math.isfinite(number):
        raise ExportError(f"{what} must be a finite number, got {value!r}")
    return number


def _weight(u: Hashable, v: Hashable, value: object) -> str:
    weight = _finite(f"weight of edge {u!r} -> {v!r}", value)
    if weight <= 0:
        # Gephi deletes zero-weight edges and warns on negative ones.
        raise ExportError(f"edge {u!r} -> {v!r} has weight {weight!r}; weights must be > 0")
    return text_of(weight)


def _size(node: Hashable, value: object) -> str:
    size = _finite(f"size of node {node!r}", value)
    if size < 0:
        raise ExportError(f"node {node!r} has size {size!r}; sizes must be >= 0")
    return repr(float(size))


def _position(node: Hashable, position: Iterable[object], version: str) -> str:
    x, y = (repr(float(_finite(f"position of node {node!r}", c))) for c in position)
    # z became optional only in GEXF 1.3; 1.2draft requires it.
    return f'x="{x}" y="{y}"' + ("" if version == "1.3" else ' z="0.0"')


def _color(node: Hashable, rgb: Iterable[object]) -> str:
    # Gephi parses r/g/b with Integer.parseInt and aborts the whole import on "127.5".
    # floor(x + 0.5) rounds halves up, unlike round(), which rounds 126.5 down to 126.
    channels = (math.floor(_finite(f"colour of node {node!r}", c) + 0.5) for c in rgb)
    return " ".join(f'{name}="{min(255, max(0, c))}"' for name, c in zip("rgb", channels))
