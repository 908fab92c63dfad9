"""One integer view of a completed comments table, built once and read by every stage.

The stages (edge records, the graph, commenter counts, tree measures, the stability check,
topics, branches) all need the same few things of each comment by position: its parent's row,
its author, thread and subthread as integer codes, its depth, whether it is a placeholder.
Each used to derive them again from the string columns (a parent lookup by id is the most
expensive part: hashing a million ids); :func:`comment_view` derives them once.

>>> import pandas as pd
>>> from discourse.model.tree import complete_tree
>>> table = complete_tree(pd.DataFrame({"comment_id": ["a", "b", "c"], "thread_id": "t",
...                                     "parent_id": [None, "a", "x"], "author": ["Ann", "Bo", "Ann"],
...                                     "text": "hi"}))
>>> view = comment_view(table)
>>> view.parent.tolist(), view.author.tolist(), list(view.author_names)
([-1, 0, -1, 2], [0, 1, -1, 0], ['Ann', 'Bo'])
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .tree import parent_positions

__all__ = ["CommentView", "comment_view"]


@dataclass(frozen=True, eq=False)
class CommentView:
    """Integer columns of a completed comments table, one entry per row (positions, not labels).

    Codes number values in order of first appearance (as ``pandas.factorize``), -1 for a missing
    value; ``*_names`` map a code back to its value.
    """

    ids: np.ndarray              # comment_id per row (object)
    id_index: pd.Index           # comment_id -> row
    parent: np.ndarray           # row of the parent, -1 at top level
    depth: np.ndarray            # 1 = top level
    is_placeholder: np.ndarray   # bool
    author: np.ndarray           # code into author_names, -1 without an author (see is_real)
    author_names: np.ndarray     # object
    thread: np.ndarray           # code into thread_names
    thread_names: pd.Index
    subthread: np.ndarray        # code into subthread_names
    subthread_names: pd.Index

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def is_real(self) -> np.ndarray:
        """Comments that are not placeholders and have an author: the ones commenters wrote."""
        return ~self.is_placeholder & (self.author >= 0)

    @property
    def parent_ids(self) -> np.ndarray:
        """The parent's comment id per row (None at top level), from :attr:`parent`."""
        return np.append(self.ids, None)[self.parent]

    def author_of(self, rows: np.ndarray) -> np.ndarray:
        """Author names of ``rows`` (object array, None without an author)."""
        return np.append(self.author_names, None)[self.author[rows]]


def _codes(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Codes of a column's values and the values, in the column's dtype (as ``Series.factorize``
    gives them; factorizing the object array is twice as fast)."""
    codes, names = pd.factorize(column.to_numpy(dtype=object))
    return codes.astype(np.intp, copy=False), pd.Index(names, dtype=column.dtype, name=column.name)


def comment_view(comments: pd.DataFrame) -> CommentView:
    """The :class:`CommentView` of ``comments``, a table whose tree is complete (every parent
    present, ``depth`` and ``subthread_id`` filled), such as :func:`~discourse.model.tree.complete_tree`
    returns or a :class:`~discourse.model.corpus.Corpus` holds.

    Parameters
    ----------
    comments : pandas.DataFrame
        A completed comments table (:mod:`discourse.model.schema`).

    Returns
    -------
    CommentView
        Its rows as integer arrays, in the table's row order.

    Examples
    --------
    >>> from discourse import read_corpus, SAMPLE
    >>> view = comment_view(read_corpus(SAMPLE).comments)
    >>> bool((view.parent < len(view)).all())
    True
    """
    ids = comments["comment_id"].to_numpy(dtype=object)
    parent = parent_positions(ids, comments["parent_id"].to_numpy(dtype=object, na_value=None))
    author, author_names = pd.factorize(comments["author"].to_numpy(dtype=object, na_value=None),
                                        use_na_sentinel=True)
    placeholder = comments["is_placeholder"].to_numpy(dtype=bool)
    thread, thread_names = _codes(comments["thread_id"])
    subthread, subthread_names = _codes(comments["subthread_id"])
    return CommentView(ids=ids, id_index=pd.Index(ids, dtype=object), parent=parent,
                       depth=comments["depth"].to_numpy(), is_placeholder=placeholder,
                       author=author.astype(np.intp, copy=False), author_names=np.asarray(author_names, dtype=object),
                       thread=thread, thread_names=thread_names, subthread=subthread, subthread_names=subthread_names)
