"""The commenter graph: who replied to, mentioned or quoted whom, and the comments behind it.

:func:`commenter_edges` lists typed edges ``A -> B``, one row per (source, target, kind,
inferred), with the weight (number of comments) and the comments behind each;
:func:`build_graph` aggregates the chosen kinds into the ``networkx.DiGraph`` users receive.

Edge kinds (:data:`EDGE_KINDS`, also the sort order of the edge table):

- ``reply``: A's comment has B's comment as its parent (``inferred=False``).  A reply to a
  placeholder (or to a comment with no known author) is never attached to anyone explicitly.
  If the replies to such a missing parent *address* someone by name and all name the same
  participant X, the missing comment is taken to be X's: every reply to it becomes an
  ``inferred=True`` reply to X, and the missing comment an inferred reply from X to its own
  parent's author.  If they name different people, each addressing reply is an inferred reply
  to its own addressee; replies nobody addresses give no edge.
- ``mention``: A's comment names B, a commenter of the same thread (``inferred=True``).
- ``quote``: A's comment repeats words of B's earlier comment in the thread (``inferred=True``),
  or quotes it by the platform's own means (a quote tweet, a 4chan quote link: the reader's
  ``quoted_authors`` column, ``inferred=False``).
- A reply whose reader names its ``addressee`` (YouTube's "@name" under a one-level thread) is
  also an ``inferred=True`` reply to that commenter, beside its explicit reply.
- ``post``: A's top-level comment answers the post's author B (only with ``post_author_edges``).

A self-reply is kept as a ``reply`` row with source == target (counted; the metrics leave it
out); self-mentions and self-quotes are dropped.

Names are recognised as :mod:`discourse.network.mentions` describes (a name or one of its variants,
"Rev Kev" for "The Rev Kev", addressed or written out) and quoted passages as
:mod:`discourse.network.quotes` does (a sentence or an 8-word run of an earlier comment of the thread).
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any
from itertools import chain, compress, groupby, repeat

import networkx as nx
import numpy as np
import pandas as pd

from .._runtime.stages import StageReporter, unreported
from ..exceptions import DiscourseError
from .scan import scan_threads
from ..model.view import CommentView, comment_view

__all__ = ["EDGE_KINDS", "EDGE_TABLE_COLUMNS", "RECORD_COLUMNS", "edge_records", "aggregate_edges",
           "commenter_edges", "inferred_authors", "chosen_edges", "build_graph", "graph_arrays", "edge_comment_rows",
           "edge_comment_ids"]

#: Edge kinds, in the order the edge table is sorted.
EDGE_KINDS = ("reply", "mention", "quote", "post")

EDGE_TABLE_COLUMNS = ["source", "target", "kind", "weight", "inferred", "comment_ids", "thread_ids",
                "target_comment_ids"]
#: Columns of :func:`edge_records`: the comments behind an edge are rows of the comments table
#: (positions, as the :class:`~discourse.model.view.CommentView` numbers them), -1 for no target.
RECORD_COLUMNS = ["source", "target", "kind", "inferred", "comment_row", "target_row"]


def _check_kinds(kinds: str | Iterable[str], what: str) -> tuple[str, ...]:
    kinds = (kinds,) if isinstance(kinds, str) else tuple(kinds)
    unknown = [k for k in kinds if k not in EDGE_KINDS]
    if unknown or not kinds:
        raise DiscourseError(f"{what} must be a non-empty selection of {', '.join(EDGE_KINDS)}; got {list(kinds)!r}")
    return kinds


# -- edges ---------------------------------------------------------------------------------

def _post_authors(comments: pd.DataFrame, threads: pd.DataFrame | Mapping | None) -> dict:
    """Each thread's post author: the threads table's where it names one, else a flagged commenter's."""
    if threads is not None and not isinstance(threads, pd.DataFrame):
        return dict(threads)
    flagged = comments[comments["is_post_author"] & comments["author"].notna()]
    owners = dict(zip(flagged["thread_id"], flagged["author"]))
    if threads is not None and "post_author" in threads:
        known = threads[threads["post_author"].notna()]
        owners.update(zip(known["thread_id"], known["post_author"]))
    return owners


class _Records:
    """Edge records (:data:`RECORD_COLUMNS`) in the order they are made, kept as columns."""

    def __init__(self) -> None:
        self.columns = [[] for _ in RECORD_COLUMNS]

    def append(self, row: tuple) -> None:
        for column, value in zip(self.columns, row):
            column.append(value)

    def extend(self, rows: Iterable[tuple]) -> None:
        for row in rows:
            self.append(row)

    def extend_columns(self, *columns: list) -> None:
        for column, values in zip(self.columns, columns):
            column.extend(values)

    def frame(self) -> pd.DataFrame:
        columns = dict(zip(RECORD_COLUMNS, self.columns))
        for name in ("comment_row", "target_row"):
            columns[name] = np.asarray(columns[name], dtype=np.int64)
        columns["inferred"] = np.asarray(columns["inferred"], dtype=bool)
        return pd.DataFrame(columns, columns=RECORD_COLUMNS)


def _record(records: _Records, source: str, target: str, kind: str, inferred: bool, comment_row: int,
            target_row: int = -1) -> None:
    records.append((source, target, kind, inferred, comment_row, target_row))


def _reply_records(view: CommentView, addressees: dict, records: _Records) -> dict:
    """Explicit reply records, then the inferred replies to parents without a known author;
    returns ``{placeholder id: inferred author}``.  A placeholder whose author the platform names
    (a tweet only in twarc2's includes) is answered explicitly."""
    unknown = view.author < 0
    parent, ids = view.parent, view.ids
    authors = view.author_of(np.arange(len(view)))
    real = np.flatnonzero(~unknown & ~view.is_placeholder & (parent >= 0))
    known = ~unknown[parent[real]]
    rows, parents = real[known], parent[real[known]]
    records.extend_columns(authors[rows].tolist(), authors[parents].tolist(), ["reply"] * len(rows),
                           [False] * len(rows), rows.tolist(), parents.tolist())
    missing = defaultdict(list)  # parent row without a known author -> its replies
    rows = real[~known]
    for row, comment_id, author, parent_row in zip(rows.tolist(), *(a[rows].tolist() for a in (ids, authors, parent))):
        missing[parent_row].append((row, comment_id, author))
    guessed = {}
    for parent_row, replies in missing.items():
        parent_id = ids[parent_row]
        named = {addressees.get(r[1]) for r in replies} - {None}
        if len(named) == 1:
            guessed[parent_id] = named.pop()
        for row, comment_id, author in replies:
            target = guessed.get(parent_id) or addressees.get(comment_id)
            if target is not None and target != author:
                _record(records, author, target, "reply", True, row, parent_row)
    for row in missing:  # the missing comment itself: an inferred reply from its author to its parent's
        author = guessed.get(ids[row])
        grand = parent[row]
        if author is None or grand < 0 or view.is_placeholder[grand]:
            continue
        target = authors[grand]
        if target is not None and target != author:
            _record(records, author, target, "reply", True, row, grand)
    return guessed


def _declared(comments: pd.DataFrame, column: str) -> dict:
    """``{comment id: value}`` of a column a platform reader fills (``addressee``), for real comments."""
    if column not in comments:
        return {}
    chosen = comments[comments[column].notna() & ~comments["is_placeholder"] & comments["author"].notna()]
    return dict(zip(chosen["comment_id"], chosen[column]))


def _addressed_records(view: CommentView, declared: dict, records: _Records) -> None:
    """Inferred replies to the commenter a reply addresses by "@name" (the reader's ``addressee``),
    beside its explicit reply: YouTube keeps replies one level deep, so "@Bob" under Ann's comment
    answers Bob.  Replies to missing parents get theirs in :func:`_reply_records`."""
    if not declared:
        return
    names = np.append(view.author_names, None)
    for comment_id, target in declared.items():
        row = view.id_index.get_loc(comment_id)
        parent, author = view.parent[row], names[view.author[row]]
        if parent >= 0 and view.author[parent] < 0:
            continue  # an orphan: already inferred from its addressee
        if target != author and (parent < 0 or names[view.author[parent]] != target):
            _record(records, author, target, "reply", True, row)


def _quoted_records(comments: pd.DataFrame, records: _Records) -> None:
    """Quote edges a platform states (a quote tweet, a 4chan quote link): the reader's ``quoted_authors``."""
    if "quoted_authors" not in comments:
        return
    chosen = (comments["quoted_authors"].notna() & ~comments["is_placeholder"] & comments["author"].notna()).to_numpy()
    for row, author, quoted in zip(np.flatnonzero(chosen).tolist(), comments["author"][chosen],
                                   comments["quoted_authors"][chosen]):
        for target in dict.fromkeys(quoted.split(";")):  # the reader's list of names, not comment ids
            if target and target != author:
                _record(records, author, target, "quote", False, row)


def _orphans(view: CommentView) -> set:
    """Ids of comments whose parent has no known author (a placeholder the platform names no author for)."""
    parent = view.parent
    return set(view.ids[(parent >= 0) & (view.author[np.maximum(parent, 0)] < 0)].tolist())


def _scan_threads(comments: pd.DataFrame, kinds: tuple[str, ...], records: _Records, view: CommentView,
                  aliases: Mapping[str, str] | None = None) -> dict:
    """Mentions and quotes per thread; returns {comment id: addressee}.

    Without mentions, only replies to missing parents are scanned (their addressee is all the
    reply inference needs), which keeps reply-only graphs of large corpora cheap.
    """
    only = None if "mention" in kinds else (_orphans(view) if "reply" in kinds else set())
    found, addressees = scan_threads(comments, kinds, only, aliases=aliases)
    records.extend(found)
    return addressees


def _join(values: Iterable[str]) -> str:
    """Distinct non-empty ``values`` in order, ";"-joined: how a table or a graph file shows a list."""
    return ";".join(dict.fromkeys(v for v in values if v))


def edge_records(comments: pd.DataFrame, *, kinds: Iterable[str] = ("reply", "mention", "quote"),
                 post_author_edges: bool = False, threads: pd.DataFrame | Mapping | None = None,
                 view: CommentView | None = None, report: StageReporter = unreported,
                 aliases: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The unaggregated edges: one row per comment and edge it makes (:data:`RECORD_COLUMNS`),
    the comments as integer rows of ``comments`` (``comment_row``; ``target_row`` the comment
    answered or quoted, -1 for none).

    Options as :func:`commenter_edges`; ``view``: the :func:`~discourse.model.view.comment_view`
    of ``comments``, if at hand; ``report``: the scan and the reply records are reported as
    stages (:mod:`discourse._runtime.stages`).  Useful to drop some comments' edges and re-aggregate without
    detecting mentions and quotes again.  ``aliases``: ``{alias: name}`` of names merged into
    the authors (``Corpus.aliases``): a mention of an alias counts for its name.
    """
    kinds = _check_kinds(kinds, "kinds")
    view = comment_view(comments) if view is None else view
    records = _Records()
    with report("mention/quote scan"):
        addressees = _scan_threads(comments, kinds, records, view, aliases)
    if "reply" in kinds:
        declared = _declared(comments, "addressee")
        with report("reply records"):
            _reply_records(view, {**addressees, **declared} if declared else addressees, records)
        _addressed_records(view, declared, records)
    if "quote" in kinds:
        _quoted_records(comments, records)
    if post_author_edges:
        owners = _post_authors(comments, threads)
        top = ((comments["depth"] == 1) & ~comments["is_placeholder"] & comments["author"].notna()).to_numpy()
        for row, author, thread_id in zip(np.flatnonzero(top).tolist(), comments["author"][top],
                                          comments["thread_id"][top]):
            owner = owners.get(thread_id)
            if owner is not None and not pd.isna(owner) and owner != author:
                _record(records, author, owner, "post", False, row)
    return records.frame()


def _sort_codes(column: np.ndarray) -> np.ndarray:
    """Codes numbering the values of ``column`` in sorted order, missing values last (as sort_values)."""
    codes = pd.factorize(column, sort=True)[0]
    return np.where(codes < 0, codes.max(initial=0) + 1, codes)


def aggregate_edges(records: pd.DataFrame, view: CommentView) -> pd.DataFrame:
    """:func:`commenter_edges`' table from :func:`edge_records`' rows; ``view``: the
    :func:`~discourse.model.view.comment_view` of the comments they were found in, whose ids
    the table shows for the records' comment rows."""
    kind_codes, kinds = pd.factorize(records["kind"])
    ranks = {k: i for i, k in enumerate(EDGE_KINDS)}
    rank = np.array([ranks.get(k, len(ranks)) for k in kinds] + [len(ranks)], dtype=np.int64)[kind_codes]
    inferred = records["inferred"].to_numpy(dtype=bool)
    names = _sort_codes(np.concatenate([records["source"].to_numpy(dtype=object),
                                        records["target"].to_numpy(dtype=object)]))
    size = int(names.max(initial=0)) + 1
    key = ((rank * size + names[:len(rank)]) * size + names[len(rank):]) * 2 + inferred  # in sort order
    order = np.argsort(key, kind="stable")  # stable: comments stay in source order
    starts = np.ones(len(order), dtype=bool)
    starts[1:] = key[order][1:] != key[order][:-1]
    group = np.cumsum(starts) - 1
    made, target = records["comment_row"].to_numpy(dtype=np.int64), records["target_row"].to_numpy(dtype=np.int64)
    ids = np.append(view.ids, "")  # row -1 (no target comment): ""
    thread_of = np.asarray(view.thread_names, dtype=object)[view.thread]
    first = order[starts]
    out = {name: records[name].to_numpy(dtype=object)[first] for name in ("source", "target", "kind")}
    out["inferred"] = inferred[first]
    out["weight"] = np.ones(len(first), dtype=np.int64)
    out["comment_ids"], out["thread_ids"], out["target_comment_ids"] = ids[made[first]], thread_of[made[first]], \
        ids[target[first]]
    many = np.flatnonzero(np.bincount(group)[group] > 1) if len(order) else np.zeros(0, dtype=np.int64)
    # Edges made by several comments (the minority) get their lists shown in Python.
    for g, members in groupby(zip(group[many].tolist(), made[order[many]].tolist(), target[order[many]].tolist()),
                              key=lambda member: member[0]):
        members = list(members)
        rows = list(dict.fromkeys(m[1] for m in members))  # quoting two of B's comments counts once
        out["weight"][g], out["comment_ids"][g] = len(rows), ";".join(ids[rows].tolist())
        out["thread_ids"][g] = _join(thread_of[rows].tolist())
        out["target_comment_ids"][g] = _join(ids[[m[2] for m in members]].tolist())
    return pd.DataFrame({c: out[c] if c in ("weight", "inferred") else pd.array(out[c], dtype="string")
                         for c in EDGE_TABLE_COLUMNS}, copy=False)


def commenter_edges(comments: pd.DataFrame, *, kinds: Iterable[str] = ("reply", "mention", "quote"),
                    post_author_edges: bool = False, threads: pd.DataFrame | Mapping | None = None) -> pd.DataFrame:
    """Typed commenter edges of a comments table (see the module docstring for each kind).

    ``kinds``: which kinds to look for (default reply, mention, quote).  ``post_author_edges``
    (default False) adds ``post`` edges from each top-level comment to the post's author, taken
    from ``threads`` (``Corpus.threads`` or a ``{thread_id: author}`` mapping) or, by default,
    from comments flagged ``is_post_author``.

    Returns one row per (source, target, kind, inferred) with columns :data:`EDGE_TABLE_COLUMNS`:
    ``weight`` = number of comments, ``comment_ids`` = the comments making the edge (for an
    inferred reply from a placeholder, the placeholder's id), ``target_comment_ids`` = the
    comments answered or quoted, ``thread_ids``; ";"-joined in source order.  Rows are sorted
    by kind (:data:`EDGE_KINDS` order), source, target, then explicit before inferred.
    """
    view = comment_view(comments)
    return aggregate_edges(edge_records(comments, kinds=kinds, post_author_edges=post_author_edges,
                                        threads=threads, view=view), view)


def inferred_authors(comments: pd.DataFrame, view: CommentView | None = None) -> dict:
    """``{placeholder id: inferred author}`` for missing parents whose replies address one person."""
    view = comment_view(comments) if view is None else view
    addressees = _scan_threads(comments, ("reply",), _Records(), view)
    return _reply_records(view, addressees, _Records())


# -- graph ---------------------------------------------------------------------------------

def graph_arrays(graph: nx.Graph, **defaults: Any) -> tuple[list, np.ndarray, np.ndarray, dict[str, list]]:
    """(nodes, source codes, target codes, {attribute: values}) of every edge of ``graph`` in
    ``graph.edges`` order: ``nodes`` is ``list(graph)``, the codes are positions in it (int64),
    each attribute read with ``defaults[attribute]`` where an edge lacks it.

    The one way the package turns a graph back into arrays.  For a DiGraph, comprehensions over
    networkx's adjacency dicts and C-level ``dict.get`` (reading ``_adj``, what ``graph.edges``
    iterates; the public views add a Python call per edge): a million edges in well under a second.
    """
    if graph.is_directed() and not graph.is_multigraph():
        adjacency = graph._adj
        nodes = list(graph)
        position = {node: i for i, node in enumerate(nodes)}
        keys = list(adjacency)  # the nodes again, in the same order unless the graph was edited by hand
        at = np.arange(len(nodes), dtype=np.int64) if keys == nodes else \
            np.fromiter(map(position.__getitem__, keys), dtype=np.int64, count=len(keys))
        source = np.repeat(at, [len(targets) for targets in adjacency.values()])
        target = [v for targets in adjacency.values() for v in targets]
        target = np.fromiter(map(position.__getitem__, target), dtype=np.int64, count=len(target))
        data = [d for targets in adjacency.values() for d in targets.values()]
    else:
        nodes = list(graph)
        position = {node: i for i, node in enumerate(nodes)}
        edges = list(graph.edges(data=True))
        source = np.fromiter((position[u] for u, _, _ in edges), dtype=np.int64, count=len(edges))
        target = np.fromiter((position[v] for _, v, _ in edges), dtype=np.int64, count=len(edges))
        data = [d for _, _, d in edges]
    values = {name: list(map(dict.get, data, repeat(name), repeat(default))) for name, default in defaults.items()}
    return nodes, source, target, values


def edge_comment_rows(nodes: list, source: np.ndarray, target: np.ndarray, records: pd.DataFrame,
                      edge_kinds: Iterable[str] = ("reply",)) -> tuple[np.ndarray, np.ndarray]:
    """The comments behind each edge of a graph as integer rows: (edge positions, comment rows),
    one entry per comment behind an edge.

    ``nodes``, ``source`` and ``target`` are :func:`graph_arrays` of the graph (edges in
    ``graph.edges`` order); ``records`` are the :func:`edge_records` it was built from over
    ``edge_kinds``, as :func:`build_graph` selects them.  Each edge's comments come in the order
    its ``comment_ids`` attribute lists them (by kind, inferred, then record order), each once;
    no text is joined or split.  For a graph made without its records, :func:`edge_comment_ids`
    reads the attribute instead.
    """
    chosen = np.flatnonzero(chosen_edges(records, tuple(edge_kinds)))
    index = pd.Index(nodes, dtype=object)
    size = len(nodes) + 1
    starts = index.get_indexer(records["source"].to_numpy(dtype=object)[chosen])
    ends = index.get_indexer(records["target"].to_numpy(dtype=object)[chosen])
    edge = pd.Index(source * size + target).get_indexer(starts * size + ends)
    found = (starts >= 0) & (ends >= 0) & (edge >= 0)
    chosen, edge = chosen[found], edge[found]
    kind_codes, kinds = pd.factorize(records["kind"].to_numpy(dtype=object)[chosen])
    rank = np.array([EDGE_KINDS.index(k) if k in EDGE_KINDS else len(EDGE_KINDS) for k in kinds] + [0],
                    dtype=np.int64)[kind_codes]
    inferred = records["inferred"].to_numpy(dtype=bool)[chosen]
    order = np.lexsort((chosen, inferred, rank, edge))
    edge, rows = edge[order], records["comment_row"].to_numpy(dtype=np.int64)[chosen[order]]
    first = ~pd.Index(edge * (int(rows.max(initial=0)) + 1) + rows).duplicated(keep="first")
    return edge[first], rows[first]


def edge_comment_ids(comment_ids: list) -> tuple[np.ndarray, list]:
    """The comment ids each edge's ``comment_ids`` attribute lists (";"-joined text as
    :func:`build_graph` writes it, or a list), flattened: (edge positions, ids), for graphs made
    without their edge records (else :func:`edge_comment_rows`)."""
    try:
        joined = ";".join(comment_ids)  # one join and one split in C instead of a split per edge
    except TypeError:  # ids given as lists, or missing
        found = [_split_ids(value) for value in comment_ids]
        return np.repeat(np.arange(len(comment_ids)), [len(ids) for ids in found]), list(chain.from_iterable(found))
    parts = joined.split(";")
    # A part belongs to the edge whose text it starts in (texts and parts are found by their lengths).
    edge_ends = np.cumsum(np.fromiter(map(len, comment_ids), np.int64, len(comment_ids)) + 1)
    part_lengths = np.fromiter(map(len, parts), np.int64, len(parts))
    part_starts = np.cumsum(part_lengths + 1) - (part_lengths + 1)
    edge = np.searchsorted(edge_ends, part_starts, side="right")
    named = part_lengths > 0
    return edge[named], list(compress(parts, named.tolist()))


def _split_ids(value: Any) -> list[str]:
    """One edge's listed ids: a ";"-joined text, a list of ids, or one id of another type."""
    if isinstance(value, str):
        return [part for part in value.split(";") if part]
    if isinstance(value, (list, tuple, set)):
        return [str(part) for part in value]
    return [] if value is None or value != value else [part for part in str(value).split(";") if part]


def _commenter_counts(comments: pd.DataFrame) -> tuple[list, list]:
    """(commenters, their numbers of comments) as lists: :func:`commenters` without the Series."""
    real = comments.loc[~comments["is_placeholder"] & comments["author"].notna(), "author"]
    codes, authors = pd.factorize(real.to_numpy(dtype=object))  # numbered in order of first comment
    return authors.tolist(), np.bincount(codes, minlength=len(authors)).tolist()


def _add_edges(graph: nx.DiGraph, ends: tuple[np.ndarray, np.ndarray], codes: tuple[np.ndarray, np.ndarray],
               data: dict[str, list]) -> None:
    """Add edges ``ends[0][i] -> ends[1][i]`` (object arrays of nodes already in ``graph``, each
    pair once; ``codes`` number the nodes), with attributes ``{name: values[i] for name, values
    in data.items()}``.

    Written straight into networkx's adjacency dicts (``_succ``/``_pred``, the one private
    shortcut of the package), each node's filled in one ``update`` in edge order: the graph
    ``add_edges_from`` gives (tests/network/test_graph.py pins that), in half its time, since
    ``add_edges_from`` checks both ends and copies the attributes of each edge.  Measured
    (scripts-free, same process, alternating, 2 shared cores): 69,003 edges 0.72 s against
    1.15 s, 691,641 edges 9.9 s against 20.0 s.  networkx's cache of backend conversions is
    then cleared, as ``add_edges_from`` does, the way networkx documents for direct changes.
    """
    if not len(ends[0]):
        return
    attributes = np.empty(len(ends[0]), dtype=object)
    attributes[:] = list(map(dict, map(zip, repeat(list(data)), zip(*data.values()))))
    for adjacency, side in ((graph._succ, 0), (graph._pred, 1)):
        order = np.argsort(codes[side], kind="stable")
        starts = np.flatnonzero(np.diff(codes[side][order], prepend=-1))
        others, attached = ends[1 - side][order].tolist(), attributes[order].tolist()
        nodes, bounds = ends[side][order[starts]].tolist(), [*starts.tolist(), len(order)]
        for node, start, end in zip(nodes, bounds, bounds[1:]):
            adjacency[node].update(zip(others[start:end], attached[start:end]))
    cache = getattr(graph, "__networkx_cache__", None)
    if cache:
        cache.clear()


def chosen_edges(table: pd.DataFrame, edge_kinds: Iterable[str], *, include_inferred: bool = True,
                 include_self_loops: bool = True) -> np.ndarray:
    """Which rows of an edge table (:func:`commenter_edges`) or of edge records (:func:`edge_records`)
    a graph over ``edge_kinds`` is made of: the selection of :func:`build_graph`, also used by the
    stability check.  Returns a boolean array, one entry per row."""
    codes, kinds = pd.factorize(table["kind"])
    chosen = np.isin(np.append(np.asarray(kinds, dtype=object), None), edge_kinds)[codes]
    if not include_inferred:
        chosen = chosen & ~table["inferred"].to_numpy(dtype=bool)
    if not include_self_loops:
        chosen = chosen & (table["source"] != table["target"]).to_numpy(dtype=bool)
    return chosen


def _chosen_rows(edges: pd.DataFrame, edge_kinds: tuple[str, ...], include_inferred: bool,
                 include_self_loops: bool) -> np.ndarray:
    """Numbers of the rows of ``edges`` to aggregate, by kind (:data:`EDGE_KINDS` order), then as given."""
    codes, kinds = pd.factorize(edges["kind"])
    rows = np.flatnonzero(chosen_edges(edges, edge_kinds, include_inferred=include_inferred,
                                       include_self_loops=include_self_loops))
    rank = np.array([EDGE_KINDS.index(k) if k in EDGE_KINDS else len(EDGE_KINDS) for k in kinds] + [0])[codes[rows]]
    return rows[np.argsort(rank, kind="stable")]


def build_graph(comments: pd.DataFrame, edges: pd.DataFrame, *, edge_kinds: Iterable[str] = ("reply",),
                include_self_loops: bool = True, include_inferred: bool = True) -> nx.DiGraph:
    """The commenter graph over the chosen edge kinds, as a ``networkx.DiGraph``.

    Nodes: every commenter in order of first comment, with ``comments`` (int) and
    ``is_post_author`` (bool); a post author who never commented appears, with 0 comments, only
    if a chosen edge reaches them.  ``edge_kinds`` (default replies only) selects the rows of
    ``edges``; ``include_inferred`` (default True) keeps inferred rows; ``include_self_loops``
    (default True) keeps self-replies (the metrics drop them).  Each edge carries ``weight`` (sum),
    ``kind`` (";"-joined kinds present), ``inferred`` (True only if every contributing row is),
    ``inferred_weight``, ``<kind>_weight`` for each chosen kind, ``comment_ids`` and
    ``thread_ids`` (";"-joined).  ``graph.graph["edge_kinds"]`` records the selection.
    """
    edge_kinds = _check_kinds(edge_kinds, "edge_kinds")
    authors, counts = _commenter_counts(comments)
    flagged = set(comments.loc[comments["is_post_author"] & comments["author"].notna(), "author"])
    graph = nx.DiGraph(edge_kinds=";".join(edge_kinds))
    graph.add_nodes_from((a, {"comments": n, "is_post_author": a in flagged}) for a, n in zip(authors, counts))
    rows = _chosen_rows(edges, edge_kinds, include_inferred, include_self_loops)

    def column(name: str, dtype: Any = object) -> np.ndarray:
        return edges[name].to_numpy(dtype=dtype)[rows]

    # Nodes numbered in order of first appearance as a source, then as a target; pairs in order of first row.
    codes, nodes = pd.factorize(np.concatenate([column("source"), column("target")]))
    source, target = codes[:len(rows)], codes[len(rows):]
    group = pd.factorize(source * (len(nodes) + 1) + target)[0]
    count = int(group.max()) + 1 if len(group) else 0
    first = np.flatnonzero(np.diff(np.maximum.accumulate(group), prepend=-1) > 0)
    weight, inferred, kinds = column("weight", np.int64), column("inferred", bool), column("kind")

    def total(values: np.ndarray) -> list:
        return np.bincount(group, weights=values, minlength=count).astype(np.int64).tolist()

    data = {"weight": total(weight), "inferred": (np.bincount(group, weights=~inferred, minlength=count) == 0).tolist(),
            "inferred_weight": total(weight * inferred),
            **{f"{k}_weight": total(weight * (kinds == k)) for k in edge_kinds}}
    texts = {"kind": kinds, "comment_ids": column("comment_ids"), "thread_ids": column("thread_ids")}
    for name, values in texts.items():
        data[name] = values[first].tolist()
    repeated = np.flatnonzero(np.bincount(group, minlength=count)[group] > 1)  # pairs made by several rows
    repeated = repeated[np.argsort(group[repeated], kind="stable")]  # each pair's rows together, in order
    for g, members in groupby(zip(group[repeated].tolist(), *(v[repeated].tolist() for v in texts.values())),
                              key=lambda member: member[0]):
        members = list(members)
        data["kind"][g] = ";".join(dict.fromkeys(m[1] for m in members))
        data["comment_ids"][g] = _join(";".join(m[2] for m in members).split(";"))
        data["thread_ids"][g] = _join(";".join(m[3] for m in members).split(";"))
    nodes = np.asarray(nodes, dtype=object)
    for node in nodes[~pd.Index(nodes).isin(authors)].tolist():  # a post author who never commented
        graph.add_node(node, comments=0, is_post_author=True)
    _add_edges(graph, (nodes[source[first]], nodes[target[first]]), (source[first], target[first]), data)
    return graph
