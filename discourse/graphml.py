"""Write the commenter graph as GraphML, the bytes ``networkx.write_graphml`` (lxml) would write.

networkx builds an element per node, edge and value and needs minutes and gigabytes for a
million-comment graph; this writer makes the same document column by column and writes it a few
thousand rows at a time. Graphs it does not cover the same way (multigraphs, graph attributes
networkx treats as structure, keys that are not strings or not XML-safe) still go through networkx.
"""

from itertools import groupby
from pathlib import Path
from xml.sax.saxutils import escape

import networkx as nx

from .xmlrows import (NOT_XML_CHAR, attr_escaped, clean_attributes, clean_dict, gexf_type,
                      node_ids, optional_field, plain_column, raw_columns, slices, text_of,
                      write_pieces)

_HEADER = ("<?xml version='1.0' encoding='utf-8'?>\n"
           '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
           'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">')
# networkx's type names: the last Python type it lists for a GraphML type wins.
_GRAPHML_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}
_STRUCTURE_KEYS = {"id", "node_default", "edge_default"}  # graph attributes networkx reads itself
_TEXT_ENTITIES = {"\r": "&#13;"}  # libxml2 keeps tabs and newlines in text, but not carriage returns


def write_graphml(graph, path):
    """Write ``graph`` as GraphML with :func:`~discourse.xmlrows.clean_attributes` values, one type
    per column.

    A column holding ints and floats is written as floats; any other mix as strings, so that
    every GraphML key has exactly one ``attr.type``.
    """
    names = node_ids(graph)  # same name checks as GEXF: GraphML ids are the names too
    graph_data = clean_dict(graph.graph)
    node_records = [data for _, data in graph.nodes(data=True)]
    sources, targets, edge_records = [], [], []
    if not graph.is_multigraph():
        for u, v, data in graph.edges(data=True):
            sources.append(u)
            targets.append(v)
            edge_records.append(data)
    keys = [*graph_data, *_keys(node_records), *_keys(edge_records)]
    if graph.is_multigraph() or not names or _STRUCTURE_KEYS & set(graph_data) \
            or not all(type(key) is str for key in keys) or NOT_XML_CHAR.search("".join(keys)):
        _write_with_networkx(graph, path)
        return

    key_ids = {}  # (scope, name) -> key id, numbered in networkx's order of first use
    for name, value in graph_data.items():
        key_ids[("graph", name)] = (f"d{len(key_ids)}", _GRAPHML_TYPES[type(value)])
    node_columns = _unified_columns("node", node_records, key_ids)
    edge_columns = _unified_columns("edge", edge_records, key_ids)
    declarations = [f'<key id="{key_id}" for="{scope}" attr.name="{_attr(name)}" attr.type="{kind}"/>\n'
                    for (scope, name), (key_id, kind) in reversed(key_ids.items())]
    graph_values = "".join(f'<data key="{key_ids[("graph", name)][0]}">{_text_escaped(str(value))}</data>\n'
                           for name, value in graph_data.items())
    edge_type = "directed" if graph.is_directed() else "undirected"
    quoted = attr_escaped(list(names.values()))
    quoted_of = dict(zip(names, quoted))
    pieces = [_HEADER, *declarations, f'<graph edgedefault="{edge_type}">{graph_values}']
    pieces += _element_rows(node_records, node_columns, key_ids, "node",
                            lambda rows: ['<node id="', slices(quoted[rows.start:rows.stop])])
    pieces += _element_rows(edge_records, edge_columns, key_ids, "edge",
                            lambda rows: ['<edge source="', slices([quoted_of[u] for u in sources[rows]]),
                                          '" target="', slices([quoted_of[v] for v in targets[rows]])])
    pieces.append("</graph></graphml>")
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        write_pieces(out, pieces)


def _write_with_networkx(graph, path):
    cleaned = clean_attributes(graph)
    for records in ([d for _, d in cleaned.nodes(data=True)],
                    [d for *_, d in cleaned.edges(data=True)]):
        _unify_column_types(records)
    nx.write_graphml(cleaned, Path(path), encoding="utf-8", infer_numeric_types=False)


def _keys(records):
    return list(dict.fromkeys(key for data in records for key in data))


def _unified_columns(scope, records, key_ids):
    """key -> the column's plain values (None where there is none), coerced to one type, and
    registers each key in ``key_ids`` in order of the first record that has a value for it."""
    columns, first = {}, {}
    for key, column in zip(keys := _keys(records), raw_columns(keys, records)):
        column = plain_column(column)
        present = [value for value in column if value is not None]
        if not present:
            continue
        convert = {"double": float, "string": text_of}.get(gexf_type(present))
        if convert:
            column = [None if value is None else convert(value) for value in column]
        row = next(row for row, value in enumerate(column) if value is not None)
        columns[key] = column
        first[key] = (row, list(records[row]).index(key))
    for key in sorted(columns, key=first.__getitem__):
        kind = next(type(value) for value in columns[key] if value is not None)
        key_ids[(scope, key)] = (f"d{len(key_ids)}", _GRAPHML_TYPES[kind])
    return columns


def _element_rows(records, columns, key_ids, tag, start_parts):
    """Row pieces for nodes or edges; records with the same keys in the same order share a row
    layout (each record lists its values in its own key order, as networkx does)."""
    pieces, start = [], 0
    for signature, run in groupby(map(tuple, records)):
        stop = start + sum(1 for _ in run)
        rows = slice(start, stop)
        parts = start_parts(rows)
        present = [key for key in signature if key in columns]
        values = {key: columns[key][rows] for key in present}
        complete = [key for key in present if None not in values[key]]
        value_parts = []
        for key in present:
            prefix = f'  <data key="{key_ids[(tag, key)][0]}">'
            texts = _data_texts(values[key])
            if key in complete:
                value_parts += [prefix, slices(texts), "</data>\n"]
            else:
                value_parts.append(optional_field(texts, prefix, "</data>\n"))
        if complete:
            parts += ['">\n', *value_parts, f"</{tag}>\n"]
        elif present:
            filled = [any(value is not None for value in row) for row in zip(*values.values())]
            parts += [slices(['">\n' if full else '"/>\n' for full in filled]), *value_parts,
                      slices([f"</{tag}>\n" if full else "" for full in filled])]
        else:
            parts.append('"/>\n')
        pieces.append((parts, stop - start))
        start = stop
    return pieces


def _data_texts(values):
    """``str`` of each value (None stays None), escaped for element text, the column at once."""
    texts = [None if value is None else str(value) for value in values]
    given = [text for text in texts if text is not None]
    escaped = iter(escape("\0".join(given), _TEXT_ENTITIES).split("\0")) if given else iter(())
    return [None if text is None else next(escaped) for text in texts]


def _text_escaped(text):
    return escape(text, _TEXT_ENTITIES)


def _attr(text):
    return attr_escaped([text])[0]


def _unify_column_types(records):
    """Coerce each column of ``records`` (dicts, changed in place) to one Python type."""
    for key in dict.fromkeys(key for data in records for key in data):
        holders = [data for data in records if key in data]
        convert = {"double": float, "string": text_of}.get(gexf_type([d[key] for d in holders]))
        for data in holders if convert else ():
            data[key] = convert(data[key])
