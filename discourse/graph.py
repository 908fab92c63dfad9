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
- ``quote``: A's comment repeats words of B's earlier comment in the thread (``inferred=True``).
- ``post``: A's top-level comment answers the post's author B (only with ``post_author_edges``).

A self-reply is kept as a ``reply`` row with source == target (counted; the metrics leave it
out); self-mentions and self-quotes are dropped.

Names are recognised as :mod:`discourse.mentions` describes (a name or one of its variants,
"Rev Kev" for "The Rev Kev", addressed or written out) and quoted passages as
:mod:`discourse.quotes` does (a sentence or an 8-word run of an earlier comment of the thread).
"""

from collections import defaultdict
from itertools import groupby

import networkx as nx
import numpy as np
import pandas as pd

from .exceptions import DiscourseError
from .mentions import scan_threads

#: Edge kinds, in the order the edge table is sorted.
EDGE_KINDS = ("reply", "mention", "quote", "post")

EDGE_COLUMNS = ["source", "target", "kind", "weight", "inferred", "comment_ids", "thread_ids",
                "target_comment_ids"]
RECORD_COLUMNS = ["source", "target", "kind", "inferred", "comment_id", "thread_id", "target_comment_id"]


def _check_kinds(kinds, what):
    kinds = (kinds,) if isinstance(kinds, str) else tuple(kinds)
    unknown = [k for k in kinds if k not in EDGE_KINDS]
    if unknown or not kinds:
        raise DiscourseError(f"{what} must be a non-empty selection of {', '.join(EDGE_KINDS)}; got {list(kinds)!r}")
    return kinds


# -- edges ---------------------------------------------------------------------------------

def _post_authors(comments, threads):
    if threads is None:
        flagged = comments[comments["is_post_author"] & comments["author"].notna()]
        return dict(zip(flagged["thread_id"], flagged["author"]))
    if isinstance(threads, pd.DataFrame):
        known = threads[threads["post_author"].notna()]
        return dict(zip(known["thread_id"], known["post_author"]))
    return dict(threads)


def _record(records, source, target, kind, inferred, comment_id, thread_id, target_id=""):
    records.append((source, target, kind, inferred, comment_id, thread_id, target_id))


def _reply_records(comments, addressees, records):
    by_id = comments.set_index("comment_id")
    real = comments[~comments["is_placeholder"] & comments["author"].notna() & comments["parent_id"].notna()]
    parents = by_id.reindex(real["parent_id"])
    known = (~parents["is_placeholder"] & parents["author"].notna()).to_numpy()
    records.extend(zip(real["author"].to_numpy()[known].tolist(), parents["author"].to_numpy()[known].tolist(),
                       ["reply"] * int(known.sum()), [False] * int(known.sum()),
                       *(real[c].to_numpy()[known].tolist() for c in ("comment_id", "thread_id", "parent_id"))))
    missing = defaultdict(list)  # parent id without a known author -> its replies
    for comment_id, author, thread_id, parent_id in zip(*(real[c].to_numpy()[~known].tolist()
                                                          for c in ("comment_id", "author", "thread_id", "parent_id"))):
        missing[parent_id].append((comment_id, author, thread_id))
    guessed = {}
    for parent_id, replies in missing.items():
        named = {addressees.get(r[0]) for r in replies} - {None}
        if len(named) == 1:
            guessed[parent_id] = named.pop()
        for comment_id, author, thread_id in replies:
            target = guessed.get(parent_id) or addressees.get(comment_id)
            if target is not None and target != author:
                _record(records, author, target, "reply", True, comment_id, thread_id, parent_id)
    for parent_id, author in guessed.items():
        grand = by_id.at[parent_id, "parent_id"]
        if pd.isna(grand) or by_id.at[grand, "is_placeholder"]:
            continue
        target = by_id.at[grand, "author"]
        if not pd.isna(target) and target != author:
            _record(records, author, target, "reply", True, parent_id, by_id.at[parent_id, "thread_id"], grand)
    return guessed


def _orphans(comments):
    """Ids of comments whose parent is a placeholder or has no known author."""
    parents = comments.set_index("comment_id").reindex(comments["parent_id"].dropna())
    unknown = parents["is_placeholder"].to_numpy() | parents["author"].isna().to_numpy()
    return set(comments.loc[comments["parent_id"].isin(parents.index[unknown]), "comment_id"])


def _scan_threads(comments, kinds, records):
    """Mentions and quotes per thread; returns {comment id: addressee}.

    Without mentions, only replies to missing parents are scanned (their addressee is all the
    reply inference needs), which keeps reply-only graphs of large corpora cheap.
    """
    only = None if "mention" in kinds else (_orphans(comments) if "reply" in kinds else set())
    found, addressees = scan_threads(comments, kinds, only)
    records.extend(found)
    return addressees


def _join(values):
    return ";".join(dict.fromkeys(v for v in values if v))


def edge_records(comments, *, kinds=("reply", "mention", "quote"), post_author_edges=False, threads=None):
    """The unaggregated edges: one row per comment and edge it makes (:data:`RECORD_COLUMNS`).

    Options as :func:`commenter_edges`.  Useful to drop some comments' edges and re-aggregate
    without detecting mentions and quotes again.
    """
    kinds = _check_kinds(kinds, "kinds")
    records = []
    addressees = _scan_threads(comments, kinds, records)
    if "reply" in kinds:
        _reply_records(comments, addressees, records)
    if post_author_edges:
        owners = _post_authors(comments, threads)
        top = comments[(comments["depth"] == 1) & ~comments["is_placeholder"] & comments["author"].notna()]
        for row in top.itertuples(index=False):
            owner = owners.get(row.thread_id)
            if owner is not None and not pd.isna(owner) and owner != row.author:
                _record(records, row.author, owner, "post", False, row.comment_id, row.thread_id)
    return pd.DataFrame(records, columns=RECORD_COLUMNS)


def aggregate_edges(records):
    """:func:`commenter_edges`' table from :func:`edge_records`' rows."""
    key = ["_rank", "source", "target", "inferred"]
    frame = records.assign(_rank=records["kind"].map({k: i for i, k in enumerate(EDGE_KINDS)}))
    frame = frame.sort_values(key, kind="stable").reset_index(drop=True)  # stable: ids stay in source order
    starts = ~frame.duplicated(key).to_numpy()
    group = np.cumsum(starts) - 1
    columns = {"source": "source", "target": "target", "kind": "kind", "inferred": "inferred",
               "comment_ids": "comment_id", "thread_ids": "thread_id", "target_comment_ids": "target_comment_id"}
    out = {name: frame[column].to_numpy()[starts].tolist() for name, column in columns.items()}
    out["weight"] = [1] * len(out["source"])
    many = np.bincount(group)[group] > 1 if len(frame) else np.zeros(0, dtype=bool)
    # Edges made by several comments (the minority) get their ids joined in Python.
    rows = zip(group[many].tolist(), *(frame[c].to_numpy()[many].tolist() for c in ("comment_id", "thread_id",
                                                                                   "target_comment_id")))
    for g, members in groupby(rows, key=lambda r: r[0]):
        members = list(members)
        ids = list(dict.fromkeys(r[1] for r in members))  # quoting two of B's comments counts once
        out["weight"][g], out["comment_ids"][g] = len(ids), ";".join(ids)
        out["thread_ids"][g], out["target_comment_ids"][g] = _join(r[2] for r in members), _join(r[3] for r in members)
    edges = pd.DataFrame(out, columns=EDGE_COLUMNS)
    return edges.astype({**{c: "string" for c in EDGE_COLUMNS}, "weight": "int64", "inferred": "bool"})


def commenter_edges(comments, *, kinds=("reply", "mention", "quote"), post_author_edges=False, threads=None):
    """Typed commenter edges of a comments table (see the module docstring for each kind).

    ``kinds``: which kinds to look for (default reply, mention, quote).  ``post_author_edges``
    (default False) adds ``post`` edges from each top-level comment to the post's author, taken
    from ``threads`` (``Corpus.threads`` or a ``{thread_id: author}`` mapping) or, by default,
    from comments flagged ``is_post_author``.

    Returns one row per (source, target, kind, inferred) with columns :data:`EDGE_COLUMNS`:
    ``weight`` = number of comments, ``comment_ids`` = the comments making the edge (for an
    inferred reply from a placeholder, the placeholder's id), ``target_comment_ids`` = the
    comments answered or quoted, ``thread_ids``; ";"-joined in source order.  Rows are sorted
    by kind (:data:`EDGE_KINDS` order), source, target, then explicit before inferred.
    """
    return aggregate_edges(edge_records(comments, kinds=kinds, post_author_edges=post_author_edges,
                                        threads=threads))


def inferred_authors(comments):
    """``{placeholder id: inferred author}`` for missing parents whose replies address one person."""
    addressees = _scan_threads(comments, ("reply",), [])
    return _reply_records(comments, addressees, [])


# -- graph ---------------------------------------------------------------------------------

def commenters(comments):
    """Commenters (known authors of real comments) in order of first comment, with counts."""
    real = comments.loc[~comments["is_placeholder"] & comments["author"].notna(), "author"]
    return real.value_counts(sort=False).reindex(pd.unique(real))


def build_graph(comments, edges, *, edge_kinds=("reply",), include_self_loops=True, include_inferred=True):
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
    counts = commenters(comments)
    flagged = set(comments.loc[comments["is_post_author"] & comments["author"].notna(), "author"])
    graph = nx.DiGraph(edge_kinds=";".join(edge_kinds))
    graph.add_nodes_from((a, {"comments": int(n), "is_post_author": a in flagged}) for a, n in counts.items())
    chosen = edges[edges["kind"].isin(edge_kinds)]
    if not include_inferred:
        chosen = chosen[~chosen["inferred"]]
    if not include_self_loops:
        chosen = chosen[chosen["source"] != chosen["target"]]
    rank = {k: i for i, k in enumerate(EDGE_KINDS)}
    chosen = chosen.assign(_rank=chosen["kind"].map(rank)).sort_values("_rank", kind="stable")
    group = chosen.groupby(["source", "target"], sort=False).ngroup().to_numpy()
    count = int(group.max()) + 1 if len(group) else 0
    first = np.full(count, len(group))
    np.minimum.at(first, group, np.arange(len(group)))
    weight = chosen["weight"].to_numpy(dtype=np.int64)
    inferred = chosen["inferred"].to_numpy(dtype=bool)
    kinds = chosen["kind"].to_numpy()

    def total(values):
        return np.bincount(group, weights=values, minlength=count).astype(np.int64).tolist()

    data = {"weight": total(weight), "inferred": (np.bincount(group, weights=~inferred, minlength=count) == 0).tolist(),
            "inferred_weight": total(weight * inferred),
            **{f"{k}_weight": total(weight * (kinds == k)) for k in edge_kinds}}
    for name, column in (("kind", "kind"), ("comment_ids", "comment_ids"), ("thread_ids", "thread_ids")):
        data[name] = chosen[column].to_numpy()[first].tolist()
    repeated = np.bincount(group, minlength=count)[group] > 1  # pairs made by several rows: join their texts
    texts = chosen[["kind", "comment_ids", "thread_ids"]][repeated].assign(_group=group[repeated])
    for g, rows in texts.groupby("_group", sort=False):
        data["kind"][g] = ";".join(dict.fromkeys(rows["kind"]))
        data["comment_ids"][g] = _join(";".join(rows["comment_ids"]).split(";"))
        data["thread_ids"][g] = _join(";".join(rows["thread_ids"]).split(";"))
    sources, targets = chosen["source"].to_numpy()[first].tolist(), chosen["target"].to_numpy()[first].tolist()
    for node in dict.fromkeys(sources + targets):
        if node not in graph:  # a post author who never commented
            graph.add_node(node, comments=0, is_post_author=True)
    keys = list(data)
    graph.add_edges_from((u, v, dict(zip(keys, row))) for u, v, *row in zip(sources, targets, *data.values()))
    return graph
