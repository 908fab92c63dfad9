"""Editable labels: ``labels.csv`` (every label of an analysis, one a row) and a user's edited copy
applied to a new analysis (``discourse analyze ... --labels edited.csv``).

A row is ``kind`` (``topic``, ``subthread``, ``branch`` or ``thread``), ``id`` (the topic id,
subthread id or thread id), ``label`` and, for reference, ``top_terms``.  Edit ``label`` and
give the file back: every table, image and report of the new analysis uses the edited labels
(a topic's label is also each subthread's and comment's ``topic_label``).  Rows may be left
out; rows naming nothing in the analysis are reported in one warning.
"""

from __future__ import annotations

import csv
import os
import warnings
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..exceptions import FormatError
from .find import Topics

if TYPE_CHECKING:
    from collections.abc import Iterable

    import numpy.typing as npt

__all__ = ["LABEL_COLUMNS", "KINDS", "label_table", "read_labels", "apply_labels"]

LABEL_COLUMNS = ["kind", "id", "label", "top_terms"]
KINDS = ("topic", "subthread", "branch", "thread")


def label_table(subthreads: pd.DataFrame, topics: pd.DataFrame, threads: pd.DataFrame) -> pd.DataFrame:
    """Every label of an analysis, one a row (topics, subthreads, branches, threads).

    Examples
    --------
    >>> import pandas as pd
    >>> from discourse.model.tree import complete_tree
    >>> from discourse.topics import find_topics
    >>> table = complete_tree(pd.DataFrame({"comment_id": ["a"], "parent_id": [None], "thread_id": "t",
    ...                                      "author": ["A"], "text": ["Should Germany send Taurus missiles?"]}))
    >>> found = find_topics(table)
    >>> label_table(found.subthreads, found.topics, found.threads)[["kind", "id", "label"]].values.tolist()
    [['topic', '0', 'Taurus missiles'], ['subthread', 'a', 'Taurus missiles'], ['thread', 't', 'Taurus missiles']]
    """
    def rows(kind: str, ids: npt.ArrayLike, labels: npt.ArrayLike, terms: npt.ArrayLike) -> pd.DataFrame:
        return pd.DataFrame({"kind": kind, "id": pd.Series(ids, dtype=object).astype(str).to_numpy(),
                             "label": np.asarray(labels, dtype=object), "top_terms": np.asarray(terms, dtype=object)})

    level = subthreads["level"].to_numpy() if "level" in subthreads else np.ones(len(subthreads), dtype=int)
    empty = [""] * len(threads)
    parts = [rows("topic", topics["topic_id"], topics["label"], topics.get("top_terms", [""] * len(topics))),
             *[rows(kind, subthreads["subthread_id"][level == lv], subthreads["label"][level == lv],
                    subthreads["top_terms"][level == lv] if "top_terms" in subthreads else [""] * int((level == lv).sum()))
               for kind, lv in (("subthread", 1), ("branch", 2))],
             rows("thread", threads["thread_id"], threads["label"], empty)]
    return pd.concat(parts, ignore_index=True)[LABEL_COLUMNS]


def read_labels(path: str | os.PathLike) -> pd.DataFrame:
    """An edited ``labels.csv``: its ``kind``, ``id`` and ``label`` columns, values as written.

    Raises
    ------
    discourse.exceptions.FormatError
        A missing column, an unknown kind or an empty label, naming the file and line.
    """
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in ("kind", "id", "label") if c not in (reader.fieldnames or [])]
            if missing:
                raise FormatError(f"expected a labels.csv with columns kind, id, label; found "
                                  f"{', '.join(reader.fieldnames or []) or 'no header'}", path=path, line=1)
            rows = []
            for line, row in enumerate(reader, start=2):
                kind, label = (row["kind"] or "").strip(), row["label"]
                if kind not in KINDS:
                    raise FormatError(f"kind must be one of {', '.join(KINDS)}; found {kind!r}", path=path, line=line)
                if label is None or not label.strip():
                    raise FormatError(f"label is empty for {kind} {row['id']!r}", path=path, line=line)
                rows.append((kind, row["id"], label))
    except UnicodeDecodeError as exc:
        raise FormatError(f"expected UTF-8 text; found a byte that is not ({exc.reason})", path=path) from None
    return pd.DataFrame(rows, columns=["kind", "id", "label"], dtype=object)


def apply_labels(topics: Topics, edited: pd.DataFrame) -> Topics:
    """``topics`` with the labels of ``edited`` (from :func:`read_labels`) in every table.

    Examples
    --------
    >>> import pandas as pd
    >>> from discourse.model.tree import complete_tree
    >>> from discourse.topics import find_topics
    >>> table = complete_tree(pd.DataFrame({"comment_id": ["a"], "parent_id": [None], "thread_id": "t",
    ...                                      "author": ["A"], "text": ["Should Germany send Taurus missiles?"]}))
    >>> edited = pd.DataFrame({"kind": ["topic"], "id": ["0"], "label": ["German weapons"]})
    >>> apply_labels(find_topics(table), edited).subthreads["topic_label"].tolist()
    ['German weapons']
    """
    chosen = {(kind, str(id_)): label for kind, id_, label in edited[["kind", "id", "label"]].itertuples(index=False)}
    used = set()

    def relabel(kind: str, ids: pd.Series, labels: Iterable[str]) -> list[str]:
        out = []
        for id_, label in zip(ids.astype(str), labels):
            key = (kind, id_)
            if key in chosen:
                used.add(key)
                label = chosen[key]
            out.append(label)
        return out

    topic_labels = relabel("topic", topics.topics["topic_id"], topics.topics["label"])
    by_topic = dict(zip(topics.topics["topic_id"].astype(int), topic_labels))
    subthreads = topics.subthreads.copy()
    level = subthreads["level"].to_numpy()
    labels = subthreads["label"].to_numpy(dtype=object).copy()
    for kind, lv in (("subthread", 1), ("branch", 2)):
        at = level == lv
        labels[at] = relabel(kind, subthreads["subthread_id"][at], labels[at])
    subthreads["label"] = labels
    subthreads["topic_label"] = subthreads["topic_id"].map(by_topic)
    comments = topics.comments.copy()
    comments["topic_label"] = comments["topic_id"].map(by_topic)
    comments["own_topic_label"] = comments["own_topic_id"].map(by_topic)
    threads = topics.threads.copy()
    threads["label"] = relabel("thread", threads["thread_id"], threads["label"])
    unknown = [f"{kind} {id_}" for kind, id_ in chosen if (kind, id_) not in used]
    if unknown:
        warnings.warn(f"{len(unknown)} edited label(s) name nothing in this analysis: "
                      + ", ".join(unknown[:5]) + (", ..." if len(unknown) > 5 else ""), stacklevel=2)
    return replace(topics, subthreads=subthreads, topics=topics.topics.assign(label=topic_labels),
                   comments=comments, threads=threads)
