"""Comment tables in CSV: discourse's own comments.csv, or any CSV with a column mapping."""

import csv
import io
import re
from pathlib import Path

import pandas as pd

from ..model.corpus import Corpus, empty_skipped, empty_threads
from ..exceptions import FormatError, SchemaError
from ..model.schema import SOURCE_COLUMNS, restore_formula
from ..model.tree import complete_tree
from ._io import read_text_file

NAME = "csv"

#: Columns kept from an input table besides ``meta_*`` ones; analysis columns are recomputed.
_KEPT = list(SOURCE_COLUMNS) + ["is_post_author", "is_placeholder"]


def parse_csv(text, *, columns=None, source_path=None, source=NAME):
    """Parse CSV text into a Corpus.

    ``columns`` maps this table's column names to discourse's (``{"id": "comment_id",
    "reply_to": "parent_id", "user": "author", "body": "text"}``); by default the columns of
    ``comments.csv`` are expected.  ``thread_id`` defaults to the file's stem when absent.
    """
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError:
        raise FormatError("expected CSV with a header row; found no columns", path=source_path, line=1) from None
    except (pd.errors.ParserError, csv.Error) as exc:
        line = re.search(r"\bline (\d+)", str(exc))
        raise FormatError(f"expected CSV with a header row and the same number of fields on every line; "
                          f"{' '.join(str(exc).split())}", path=source_path,
                          line=int(line[1]) if line else None) from None
    # discourse's older CSVs guarded every cell a spreadsheet would run with an apostrophe; a table
    # holding an unguarded one ("@bob", "-1") is not such a file and is read exactly as it is.
    if not frame.apply(lambda column: column.str.match(r"[=+\-@\t\r]")).to_numpy().any():
        frame = frame.map(restore_formula)
    if "text" in frame:  # a table saved with Windows line ends has them inside multi-line cells too
        frame["text"] = frame["text"].str.replace("\r\n", "\n", regex=False)
    if columns:
        absent = [name for name in columns if name not in frame.columns]
        if absent:
            raise FormatError(f"the column mapping names {', '.join(absent)}, which the header lacks; "
                              f"it has {', '.join(frame.columns)}", path=source_path, line=1)
        frame = frame.rename(columns=columns)
    if "thread_id" not in frame.columns:
        frame["thread_id"] = Path(source_path).stem if source_path else "thread"
    for optional in ("parent_id", "author"):
        if optional not in frame.columns:
            frame[optional] = ""
    needed = [name for name in ("comment_id", "text") if name not in frame.columns]
    if needed:
        raise FormatError(f"expected columns comment_id and text (or a column mapping); "
                          f"the header has {', '.join(frame.columns)}", path=source_path, line=1)
    # Every row is a record; rows flagged as placeholders (discourse's own output) stand for absent comments.
    flagged = frame["is_placeholder"].str.strip().str.lower().isin(["true", "1"]) \
        if "is_placeholder" in frame else pd.Series(False, index=frame.index)
    records = int((~flagged).sum())
    kept = [name for name in frame.columns if name in _KEPT or name.startswith("meta_")]
    frame = frame[kept].copy()
    frame["source"] = frame["source"].where(frame["source"] != "", source) if "source" in frame else source
    try:
        comments = complete_tree(frame)
    except SchemaError as exc:
        raise FormatError(str(exc), path=source_path) from None
    threads = empty_threads()
    thread_ids = pd.unique(comments["thread_id"])
    threads = pd.concat([threads, pd.DataFrame({"thread_id": thread_ids,
                                                "source_path": str(source_path) if source_path else None})],
                        ignore_index=True)
    return Corpus(comments=comments, threads=threads, skipped=empty_skipped(), records=records)


def read_csv(path, *, columns=None):
    """Read a CSV comment table from ``path`` (see :func:`parse_csv`)."""
    path = Path(path)
    return parse_csv(read_text_file(path), columns=columns, source_path=path)


def looks_like_csv(head):
    first = head.lstrip("\ufeff").split("\n", 1)[0]
    return "comment_id" in first.split(",") or ("," in first and "text" in first.split(","))
