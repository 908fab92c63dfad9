"""Write the commenter graph as GraphML, the bytes ``networkx.write_graphml`` (lxml) would write.

networkx builds an element per node, edge and value and needs minutes and gigabytes for a
million-comment graph; this writer makes the same document column by column and writes it a few
thousand rows at a time. Graphs it does not cover the same way (multigraphs, graph attributes
networkx treats as structure, keys that are not strings or not XML-safe) still go through networkx.
"""

from __future__ import annotations

import re
from collections import deque
from itertools import count, groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

import networkx as nx

from .xml import (NOT_XML_CHAR, attr_escaped, clean_attributes, clean_dict, gexf_type,
                      graph_table, names_are_ids, slices, text_of, write_pieces)

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence

    from .xml import Column, Field, GraphTable, Piece, Plain

    #: (scope, attribute name) -> (GraphML key id, attr.type)
    KeyIds = dict[tuple[str, str], tuple[str, str]]

_HEADER = ("<?xml version='1.0' encoding='utf-8'?>\n"
           '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
           'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">')
# networkx's type names: the last Python type it lists for a GraphML type wins.
_GRAPHML_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}
_STRUCTURE_KEYS = {"id", "node_default", "edge_default"}  # graph attributes networkx reads itself
_TEXT_ENTITIES = {"\r": "&#13;"}  # libxml2 keeps tabs and newlines in text, but not carriage returns
_TEXT_SPECIAL = re.compile("[&<>\r]")
_PYTHON_BOOL_TEXT = {True: "True", False: "False"}  # str() of a bool, as networkx writes it


def write_graphml(graph: nx.Graph | GraphTable, path: Path | str) -> None:
    """Write ``graph`` (a networkx graph or its :class:`~discourse.output.xml.GraphTable`) as GraphML
    with :func:`~discourse.output.xml.clean_attributes` values, one type per column.

    A column holding ints and floats is written as floats; any other mix as strings, so that
    every GraphML key has exactly one ``attr.type``.
    """
    table = graph_table(graph)  # same name checks as GEXF: GraphML ids are the names too
    graph, names = table.graph, table.names
    graph_data = clean_dict(graph.graph)
    keys = [*graph_data, *table.node_keys, *table.edge_keys]
    if graph.is_multigraph() or not names or _STRUCTURE_KEYS & set(graph_data) \
            or not all(type(key) is str for key in keys) or NOT_XML_CHAR.search("".join(keys)):
        _write_with_networkx(graph, path)
        return

    sources, targets = table.sources, table.targets
    key_ids = {}  # (scope, name) -> key id, numbered in networkx's order of first use
    for name, value in graph_data.items():
        key_ids[("graph", name)] = (f"d{len(key_ids)}", _GRAPHML_TYPES[type(value)])
    node_columns, node_gaps = _unified_columns("node", table.node_columns, key_ids)
    edge_columns, edge_gaps = _unified_columns("edge", table.edge_columns, key_ids)
    declarations = [f'<key id="{key_id}" for="{scope}" attr.name="{_attr(name)}" attr.type="{kind}"/>\n'
                    for (scope, name), (key_id, kind) in reversed(key_ids.items())]
    graph_values = "".join(f'<data key="{key_ids[("graph", name)][0]}">{_text_escaped(str(value))}</data>\n'
                           for name, value in graph_data.items())
    edge_type = "directed" if graph.is_directed() else "undirected"
    names_list = list(names.values())
    quoted = attr_escaped(names_list)
    if names_are_ids(table.nodes, names_list, quoted):
        source_texts, target_texts = (lambda at: _rows_of(sources, at)), (lambda at: _rows_of(targets, at))
    else:
        quoted_of = dict(zip(names, quoted))
        source_texts, target_texts = (lambda at: _mapped(sources, at, quoted_of)), \
            (lambda at: _mapped(targets, at, quoted_of))
    pieces = [_HEADER, *declarations, f'<graph edgedefault="{edge_type}">{graph_values}']
    pieces += _element_rows(table.node_records, node_columns, node_gaps, key_ids, "node",
                            lambda at: ['<node id="', _rows_of(quoted, at)])
    pieces += _element_rows(table.edge_records, edge_columns, edge_gaps, key_ids, "edge",
                            lambda at: ['<edge source="', source_texts(at), '" target="', target_texts(at)])
    pieces.append("</graph></graphml>")
    with open(path, "wb") as out:
        write_pieces(out, pieces)


def _rows_of(texts: Sequence[str], at: int) -> Field:
    """A field giving ``texts`` for rows counted from ``at``."""
    return lambda start, stop: texts[at + start:at + stop]


def _mapped(keys: Sequence[Hashable], at: int, text_of: Mapping[Hashable, str]) -> Field:
    """A field giving ``text_of[key]`` for the ``keys`` of rows counted from ``at``."""
    return lambda start, stop: list(map(text_of.__getitem__, keys[at + start:at + stop]))


def _write_with_networkx(graph: nx.Graph, path: Path | str) -> None:
    cleaned = clean_attributes(graph)
    for records in ([d for _, d in cleaned.nodes(data=True)],
                    [d for *_, d in cleaned.edges(data=True)]):
        _unify_column_types(records)
    nx.write_graphml(cleaned, Path(path), encoding="utf-8", infer_numeric_types=False)


def _unified_columns(scope: str, columns: dict[str, Column],
                     key_ids: KeyIds) -> tuple[dict[str, list[Plain | None]], set[str]]:
    """(key -> the column's plain values coerced to one type, the keys with gaps), from
    :func:`~discourse.output.xml.plain_columns` ``columns``; registers each key in ``key_ids`` in
    order of the first record that has a value for it."""
    unified, gaps = {}, set()
    for key in sorted(columns, key=lambda key: columns[key].first):
        column = columns[key]
        values, kinds = column.values, column.kinds - {type(None)}
        if type(None) in column.kinds:
            gaps.add(key)
        present = [value for value in values if value is not None] if key in gaps else values
        kind = {"double": float, "string": str}.get(gexf_type(present, kinds)) or next(iter(kinds))
        if kinds != {kind}:
            convert = float if kind is float else text_of
            values = [None if value is None else convert(value) for value in values]
        unified[key] = values
        key_ids[(scope, key)] = (f"d{len(key_ids)}", _GRAPHML_TYPES[kind])
    return unified, gaps


def _element_rows(records: Sequence[Mapping[Any, Any]], columns: dict[str, list[Plain | None]], gaps: set[str],
                  key_ids: KeyIds, tag: str, start_parts: Callable[[int], list[str | Field]]) -> list[Piece]:
    """Row pieces for nodes or edges; records with the same keys in the same order share a row
    layout (each record lists its values in its own key order, as networkx does).

    ``start_parts(at)``: the parts that open a row, for rows counted from record ``at``. Values
    become text a chunk at a time, as the rows are written.
    """
    pieces, start = [], 0
    for signature, run in groupby(map(tuple, records)):
        stop = start + _length(run)
        parts = start_parts(start)
        present = [key for key in signature if key in columns]
        complete = [key for key in present if key not in gaps or None not in columns[key][start:stop]]
        value_parts = []
        for key in present:
            prefix = f'  <data key="{key_ids[(tag, key)][0]}">'
            if key in complete:
                value_parts += [prefix, _data_field(columns[key], start), "</data>\n"]
            else:
                value_parts.append(_data_field(columns[key], start, prefix, "</data>\n"))
        if complete:
            parts += ['">\n', *value_parts, f"</{tag}>\n"]
        elif present:
            values = [columns[key][start:stop] for key in present]
            filled = [any(value is not None for value in row) for row in zip(*values)]
            parts += [slices(['">\n' if full else '"/>\n' for full in filled]), *value_parts,
                      slices([f"</{tag}>\n" if full else "" for full in filled])]
        else:
            parts.append('"/>\n')
        pieces.append((parts, stop - start))
        start = stop
    return pieces


def _length(items: Iterable[object]) -> int:
    """How many items an iterator yields (zip runs the count in C, without keeping the items)."""
    counter = count()
    deque(zip(items, counter), maxlen=0)
    return next(counter)


def _data_field(column: list[Plain | None], at: int, prefix: str | None = None,
                suffix: str | None = None) -> Field:
    """A field giving the element text of ``column``'s values for rows counted from ``at``:
    bare when every row has a value, else prefix + text + suffix, or "" for a row without one."""
    def field(start: int, stop: int) -> list[str]:
        texts = _data_texts(column[at + start:at + stop])
        if prefix is None:
            return texts
        return ["" if text is None else f"{prefix}{text}{suffix}" for text in texts]
    return field


def _data_texts(values: list[Plain | None]) -> list[str | None]:
    """``str`` of each value (None stays None), escaped for element text, the values at once."""
    kinds = set(map(type, values))
    if kinds == {str}:
        texts = values
    elif kinds == {int} or kinds == {float}:
        texts = list(map(str, values))
    elif kinds == {bool}:
        texts = list(map(_PYTHON_BOOL_TEXT.__getitem__, values))
    else:
        texts = [None if value is None else str(value) for value in values]
    given = texts if type(None) not in kinds else [text for text in texts if text is not None]
    joined = "\0".join(given)
    if _TEXT_SPECIAL.search(joined) is None:
        return texts
    escaped = iter(escape(joined, _TEXT_ENTITIES).split("\0"))
    return [None if text is None else next(escaped) for text in texts]


def _text_escaped(text: str) -> str:
    return escape(text, _TEXT_ENTITIES)


def _attr(text: str) -> str:
    return attr_escaped([text])[0]


def _unify_column_types(records: list[dict[str, Any]]) -> None:
    """Coerce each column of ``records`` (dicts, changed in place) to one Python type."""
    for key in dict.fromkeys(key for data in records for key in data):
        holders = [data for data in records if key in data]
        convert = {"double": float, "string": text_of}.get(gexf_type([d[key] for d in holders]))
        for data in holders if convert else ():
            data[key] = convert(data[key])
