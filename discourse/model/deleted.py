"""Deleted and removed comments: the platforms' stand-in texts become missing text with a ``text_status``.

Reddit shows "[deleted]" for a comment its author deleted and "[removed]" for one moderators or
Reddit removed; these are no one's words, so they would otherwise be counted, topic-labelled and
quoted as if written.  :func:`mark_text_status` blanks such texts and says why in ``text_status``:

- ``present``: the text as written (possibly empty);
- ``deleted``: deleted by its author ("[deleted]", Discourse's "(post deleted by author)", or a
  reader's ``meta_deleted`` / ``meta_status`` flag on an empty text);
- ``removed``: removed by moderators or the platform ("[removed]", "[removed by moderator]",
  "[ Removed by Reddit ]", Hacker News's "[dead]" and "[flagged]", a ``meta_removed`` or
  ``meta_dead`` flag on an empty text);
- ``missing``: a placeholder for a parent absent from the input;
- ``filtered``: a comment a filter left out, kept as a placeholder for its replies
  (:mod:`discourse.model.filters`).

A status already in the table (discourse's own comments.csv read back) is kept.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = ["TEXT_STATUSES", "DELETED_TEXTS", "REMOVED_TEXTS", "mark_text_status"]

#: The values of ``text_status``.
TEXT_STATUSES = ("present", "deleted", "removed", "missing", "filtered")

#: Texts platforms show for a comment its author deleted (compared lower-case, spaces collapsed).
DELETED_TEXTS = frozenset({"[deleted]", "[deleted by user]", "(post deleted by author)", "[comment deleted]"})

#: Texts platforms show for a comment moderators or the platform removed.
REMOVED_TEXTS = frozenset({"[removed]", "[removed by moderator]", "[removed by reddit]", "[dead]", "[flagged]",
                           "[removed by reddit on copyright notice]", "[comment removed by moderator]"})

#: Readers' flags that say why a comment has no text, with the status each means.
_FLAGS = {"meta_deleted": "deleted", "meta_removed": "removed", "meta_dead": "removed"}
_STATUS_WORDS = {"deleted": "deleted", "removed": "removed", "dead": "removed", "flagged": "removed"}
_SPACES = re.compile(r"\s+")


def _normalised(text: str) -> str:
    """"[ Removed by Reddit ]" and "[removed by reddit]" alike: lower case, spaces collapsed and
    none just inside the brackets."""
    text = _SPACES.sub(" ", text.strip().lower())
    return text.replace("[ ", "[").replace(" ]", "]").replace("( ", "(").replace(" )", ")")


def _is_true(column: pd.Series) -> np.ndarray:
    return column.astype("string").str.strip().str.lower().isin(["true", "1"]).to_numpy(dtype=bool)


def mark_text_status(comments: pd.DataFrame) -> pd.DataFrame:
    """The comments with platforms' "[deleted]"-like texts blanked and ``text_status`` filled.

    Parameters
    ----------
    comments : pandas.DataFrame
        A complete comments table (:func:`~discourse.model.tree.complete_tree`).

    Returns
    -------
    pandas.DataFrame
        A copy with ``text`` empty where it was a stand-in and a ``text_status`` column (string,
        one of :data:`TEXT_STATUSES`); values a ``text_status`` column already held are kept.

    Examples
    --------
    >>> import pandas as pd
    >>> from discourse.model.tree import complete_tree
    >>> table = complete_tree(pd.DataFrame({"comment_id": ["a", "b", "c"], "thread_id": "t",
    ...                                     "parent_id": [None, "a", "x"], "author": ["Ann", None, None],
    ...                                     "text": ["Hi", "[deleted]", "[ Removed by Reddit ]"]}))
    >>> marked = mark_text_status(table)
    >>> marked["text_status"].tolist(), marked["text"].tolist()
    (['present', 'deleted', 'missing', 'removed'], ['Hi', '', '', ''])
    """
    texts = comments["text"].fillna("")
    # Only short texts can be stand-ins: skip normalising every long comment of a big table.
    short = texts.str.len().to_numpy() <= 64
    status = np.full(len(comments), "present", dtype=object)
    if short.any():
        normal = texts[short].map(_normalised)
        positions = np.nonzero(short)[0]
        status[positions[normal.isin(DELETED_TEXTS).to_numpy()]] = "deleted"
        status[positions[normal.isin(REMOVED_TEXTS).to_numpy()]] = "removed"
    stand_in = status != "present"
    empty = (texts.str.strip() == "").to_numpy() | stand_in
    for name, meaning in _FLAGS.items():
        if name in comments:
            status[empty & (status == "present") & _is_true(comments[name])] = meaning
    if "meta_status" in comments:
        words = comments["meta_status"].astype("string").str.strip().str.lower().map(_STATUS_WORDS)
        flagged = empty & (status == "present") & words.notna().to_numpy()
        status[flagged] = words.to_numpy(dtype=object)[flagged]
    status[comments["is_placeholder"].to_numpy(dtype=bool)] = "missing"
    marked = pd.Series(status, index=comments.index, dtype="string")
    if "text_status" in comments:  # a table discourse wrote says it already
        given = comments["text_status"].astype("string").str.strip().str.lower()
        marked = given.where(given.isin(TEXT_STATUSES), marked)
    return comments.assign(text=texts.where(~pd.Series(stand_in, index=comments.index), ""),
                           text_status=marked)
