"""What each partition gives and how the partitions' pieces become the whole corpus's tables.

Per partition (:func:`partition_pieces`), with discourse's own functions unchanged: the
integer view (:func:`~discourse.model.view.comment_view`), the edge records
(:func:`~discourse.network.graph.edge_records`) and the per-commenter comment counts.  Records
are split by a hash of (source, target), so every commenter pair's records meet in one reducer,
which aggregates them with :func:`~discourse.network.graph.aggregate_edges` as the default engine
does on the whole table (:func:`reduce_records`).  The counts are sums, but for the two that
count distinct people across threads (``replied_to``, ``repliers``), which come from the
aggregated explicit replies (:func:`commenter_counts`).

Records are put in the default engine's order before they are aggregated, so the lists of
comment ids read the same: replies, platform quotes and post edges by their comment's position;
mentions and found quotes by their thread's first position, then as the thread's scan found them.
Inferred replies to missing parents come from three passes in the default engine; here they are
ordered by their comment's position, so a pair inferred in several passes may list its comment
ids in another order (the same ids, weight and everything else).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import DiscourseError
from ..measures.commenters import _per_author
from ..model.corpus import Corpus
from ..model.view import comment_view
from ..network.graph import EDGE_KINDS, _sort_codes, aggregate_edges, edge_records
from ..readers import _prefix_ids

__all__ = ["thread_renames", "partition_pieces", "reduce_records", "sorted_edges", "commenter_counts",
           "COUNT_COLUMNS"]

#: The comment counts of :func:`~discourse.measures.commenters.commenter_metrics`, in its order.
COUNT_COLUMNS = ["comments", "subthreads_started", "subthreads_active", "threads_active", "replies_given",
                 "replies_received", "replied_to", "repliers", "reply_subthreads", "self_replies"]
_SUMMED = [c for c in COUNT_COLUMNS if c not in ("replied_to", "repliers")]
#: How the records' texts travel (pyarrow is a dependency of the engine: it writes the Parquet parts).
_TEXT = "string[pyarrow]"
#: Record classes ordered as the mention/quote scan made them (by thread, then scan order).
_SCANNED = {("mention", True), ("quote", True)}


def thread_renames(orders: Mapping[int, Sequence[pd.DataFrame]]) -> dict[int, dict[str, str]]:
    """``{file index: {thread id: new id}}`` for the thread ids an earlier file already has, suffixed
    "-2", "-3", ... as :func:`~discourse.read_corpus` does (files in order, each file's threads in
    order of first row).  ``orders``: each file's partitions' :func:`~.partitions.thread_order` tables."""
    seen, renames = set(), {}
    for index in sorted(orders):
        table = pd.concat(orders[index], ignore_index=True).sort_values("position", kind="stable")
        mapping = {}
        for thread_id in table["thread_id"].tolist():
            new, n = thread_id, 1
            while new in seen:
                n += 1
                new = f"{thread_id}-{n}"
            seen.add(new)
            if new != thread_id:
                mapping[thread_id] = new
        renames[index] = mapping
    return renames


def renamed(corpus: Corpus, mapping: Mapping[str, str], prefix: bool) -> Corpus:
    """The corpus with its threads renamed (:func:`thread_renames`) and, when ``prefix``, its comment
    ids prefixed with their thread id (two inputs share an id), as :func:`~discourse.readers.combine` does."""
    comments, threads = corpus.comments, corpus.threads
    if mapping:
        comments = comments.assign(thread_id=comments["thread_id"].map(lambda t: mapping.get(t, t)).astype("string"))
        threads = threads.assign(thread_id=threads["thread_id"].map(lambda t: mapping.get(t, t)).astype("string"))
    if prefix:
        comments = _prefix_ids(comments)
    return Corpus(comments=comments, threads=threads, skipped=corpus.skipped, records=corpus.records)


def _record_keys(records: pd.DataFrame, position: np.ndarray, thread_first: np.ndarray) -> np.ndarray:
    """Each record's place in the default engine's order within its (kind, inferred) class."""
    rows = records["comment_row"].to_numpy(dtype=np.int64)
    scanned = np.array([(k, i) in _SCANNED for k, i in zip(records["kind"], records["inferred"])], dtype=bool)
    return np.where(scanned, thread_first[rows], position[rows]) if len(rows) else np.zeros(0, dtype=np.int64)


def partition_pieces(corpus: Corpus, position: np.ndarray, *, n_reducers: int,
                     post_author_edges: bool = False) -> tuple[list[pd.DataFrame], pd.DataFrame]:
    """One partition's edge records split into ``n_reducers`` pieces by (source, target), and its
    per-commenter counts (:data:`COUNT_COLUMNS` summed across partitions, ``first``: the position of
    the commenter's first comment, ``post_author``: a comment flagged ``is_post_author``)."""
    comments = corpus.comments
    view = comment_view(comments)
    records = edge_records(comments, post_author_edges=post_author_edges, threads=corpus.threads, view=view,
                           aliases=corpus.aliases)
    thread_first = pd.Series(position).groupby(view.thread).transform("min").to_numpy(dtype=np.int64)
    rows = records["comment_row"].to_numpy(dtype=np.int64)
    targets = records["target_row"].to_numpy(dtype=np.int64)
    def text(values: np.ndarray) -> pd.api.extensions.ExtensionArray:
        return pd.array(values, dtype=_TEXT)  # Arrow strings: a few bytes each, on the way to the reducers

    table = pd.DataFrame({
        "source": text(records["source"].to_numpy(dtype=object)), "target": text(records["target"].to_numpy(dtype=object)),
        "kind": text(records["kind"].to_numpy(dtype=object)), "inferred": records["inferred"].to_numpy(dtype=bool),
        "comment_id": text(view.ids[rows]), "target_comment_id": text(np.append(view.ids, None)[targets]),
        "thread_id": text(np.asarray(view.thread_names, dtype=object)[view.thread[rows]]),
        "key": _record_keys(records, position, thread_first), "seq": np.arange(len(records), dtype=np.int64)})
    pair = pd.util.hash_pandas_object(table[["source", "target"]], index=False).to_numpy() % np.uint64(n_reducers)
    pieces = [table[pair == r].reset_index(drop=True) for r in range(n_reducers)]
    return pieces, _partition_counts(comments, view, position)


def _partition_counts(comments: pd.DataFrame, view: Any, position: np.ndarray) -> pd.DataFrame:
    real = view.is_real
    names = view.author_names
    counts = _per_author(comments, names, view)[_SUMMED]
    first = np.full(len(names), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, view.author[real], position[real])
    flagged = np.zeros(len(names), dtype=bool)
    flagged[view.author[real & comments["is_post_author"].to_numpy(dtype=bool)]] = True
    return counts.assign(first=first, post_author=flagged).rename_axis("author").reset_index()


def reduce_records(pieces: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """The commenter edge table (:func:`~discourse.network.graph.aggregate_edges`) of one reducer's
    records, gathered from every partition: ids are unique across partitions, so the records are
    aggregated over a view of just the comments they name."""
    table = pd.concat([p for p in pieces], ignore_index=True)
    table = table.sort_values(["key", "seq"], kind="stable", ignore_index=True)
    made = table["comment_id"].to_numpy(dtype=object)
    known = table["target_comment_id"].notna().to_numpy()
    answered = table["target_comment_id"].to_numpy(dtype=object, na_value=None)
    codes, ids = pd.factorize(np.concatenate([made, answered[known]]))
    target = np.full(len(table), -1, dtype=np.int64)
    target[known] = codes[len(made):]
    thread = np.empty(len(ids), dtype=object)
    thread[codes[len(made):]] = table["thread_id"].to_numpy(dtype=object)[known]  # a target lies in its thread
    thread[codes[:len(made)]] = table["thread_id"].to_numpy(dtype=object)
    records = pd.DataFrame({name: table[name].to_numpy(dtype=object) for name in ("source", "target", "kind")} | {
                            "inferred": table["inferred"].to_numpy(dtype=bool),
                            "comment_row": codes[:len(made)].astype(np.int64), "target_row": target})
    return aggregate_edges(records, _view(np.asarray(ids, dtype=object), thread))


def _view(ids: np.ndarray, thread: np.ndarray) -> SimpleNamespace:
    """What :func:`~discourse.network.graph.aggregate_edges` reads of a view: ids and threads per row."""
    codes, names = pd.factorize(thread)
    return SimpleNamespace(ids=ids, thread=codes, thread_names=pd.Index(names, dtype=object))


def sorted_edges(parts: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """The reducers' edge tables as one, in :func:`~discourse.network.graph.aggregate_edges`' order
    (kind as :data:`~discourse.network.graph.EDGE_KINDS`, source, target, explicit first)."""
    table = pd.concat(list(parts), ignore_index=True)
    ranks = {k: i for i, k in enumerate(EDGE_KINDS)}
    rank = table["kind"].map(lambda k: ranks.get(k, len(ranks))).to_numpy(dtype=np.int64)
    names = _sort_codes(np.concatenate([table["source"].to_numpy(dtype=object), table["target"].to_numpy(dtype=object)]))
    size = int(names.max(initial=0)) + 1
    key = ((rank * size + names[:len(rank)]) * size + names[len(rank):]) * 2 + table["inferred"].to_numpy(dtype=bool)
    if len(np.unique(key)) != len(key):
        raise DiscourseError("two partitions gave the same commenter edge: a thread was split")  # pragma: no cover
    return table.take(np.argsort(key, kind="stable")).reset_index(drop=True)


def commenter_counts(partials: Iterable[pd.DataFrame], edges: pd.DataFrame) -> pd.DataFrame:
    """Per commenter, in order of first comment: :data:`COUNT_COLUMNS` (summed across partitions,
    ``replied_to``/``repliers`` counted from the explicit replies of ``edges``) and ``post_author``."""
    table = pd.concat(list(partials), ignore_index=True)
    grouped = table.groupby("author", sort=False)
    counts = grouped[_SUMMED].sum().join(grouped["first"].min()).join(grouped["post_author"].any())
    counts = counts.sort_values("first", kind="stable")
    explicit = edges[(edges["kind"] == "reply") & ~edges["inferred"] & (edges["source"] != edges["target"])]
    counts["replied_to"] = explicit.groupby("source").size().reindex(counts.index, fill_value=0).to_numpy()
    counts["repliers"] = explicit.groupby("target").size().reindex(counts.index, fill_value=0).to_numpy()
    return counts[[*COUNT_COLUMNS, "post_author"]].astype({c: "int64" for c in COUNT_COLUMNS})
