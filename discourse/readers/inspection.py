"""What discourse made of an input file, in a few lines a user can check at a glance.

``discourse inspect FILE`` prints :func:`inspect_file`: the detected format (and, for plain-text
copies, the inferred layout and its notes), the counts, and the first comments as read with
their author, depth, parent and time.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd

from ..exceptions import DiscourseError
from ..model.corpus import tally
from . import READERS, detect_format, read_comments, reported_problems, table_format

__all__ = ["inspect_file"]

_EXCERPT = 48
_THREADS = 5  # threads described one by one; the rest are counted


def _cell(value: object, width: int) -> str:
    text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def inspect_file(path: Path | str, format: str | None = None, first: int = 10, *,
                 columns: dict[str, str] | None = None) -> str:
    """A plain-text summary of how ``path`` reads: format, layout, counts and the first comments.

    Parameters
    ----------
    path : str or Path
        The input file (or ConvoKit folder).
    format : str, optional
        The format to read it as (default: detected from the content).
    first : int
        How many comments (placeholders included) to list.
    columns : dict, optional
        A CSV or JSON Lines table's column mapping (see :func:`~discourse.read_corpus`).

    Returns
    -------
    str
        Lines ready to print.

    Examples
    --------
    >>> from discourse.pipeline import SAMPLE
    >>> print(inspect_file(SAMPLE, first=2).splitlines()[0])  # doctest: +ELLIPSIS
    sample_thread.txt: format text (plain-text copy of a threaded comment section)
    """
    path = Path(path)
    if not path.exists():
        raise DiscourseError(f"{path}: no such file")
    name = format or ("convokit" if path.is_dir() else table_format(path) if columns else detect_format(path))
    with reported_problems():
        corpus = read_comments(path, format=name, columns=columns)
    out = [f"{path.name}: format {name} ({READERS[name].description})"]
    threads = corpus.threads
    for row in threads.head(_THREADS).itertuples():
        title = _cell(getattr(row, "title", None), 70)
        out.append(f"thread {row.thread_id}" + (f": {title}" if title else ""))
        layout = getattr(row, "layout", None)
        if isinstance(layout, str):
            out.append(f"  layout: {layout}")
        notes = getattr(row, "reading_notes", None)
        if isinstance(notes, str):
            restated = f"Read as a plain-text copy; layout: {layout}."  # the notes' first sentence
            rest = notes[len(restated):].strip() if notes.startswith(restated) else notes
            if rest:
                out += textwrap.wrap(rest, 100, initial_indent="  notes: ", subsequent_indent="         ")
        declared = getattr(row, "declared_comments", None)
        if declared is not None and pd.notna(declared):
            out.append(f"  the source says {int(declared):,} comments")
    if len(threads) > _THREADS:
        out.append(f"... and {len(threads) - _THREADS:,} more threads")
    counts = tally(corpus)
    comments = corpus.comments
    placeholders = int(comments["is_placeholder"].sum())
    out.append(f"read {counts.read:,} records: {counts.written:,} comments, {counts.skipped:,} skipped, "
               f"{placeholders:,} placeholders for missing parents; "
               f"{int(comments['created_at'].notna().sum()):,} with a time")
    shown = comments.head(first)
    author_of = dict(zip(comments["comment_id"], comments["author"]))
    placeholder = set(comments["comment_id"][comments["is_placeholder"]])
    out.append(f"first {len(shown)} of {len(comments):,} rows:")
    out.append(f"  {'#':>3}  {'depth':>5}  {'author':24}  {'replies to':24}  {'time (UTC)':16}  text")
    for position, row in enumerate(shown.itertuples(), start=1):
        author = "(placeholder)" if row.is_placeholder else _cell(row.author, 24) or "(no author)"
        if pd.isna(row.parent_id):
            parent = "-"
        elif row.parent_id in placeholder:
            parent = "(placeholder)"
        else:
            parent = _cell(author_of.get(row.parent_id), 24) or "(no author)"
        time = "" if pd.isna(row.created_at) else f"{row.created_at:%Y-%m-%d %H:%M}"
        out.append(f"  {position:>3}  {row.depth:>5}  {author:24}  {parent:24}  {time:16}  {_cell(row.text, _EXCERPT)}")
    return "\n".join(out)
