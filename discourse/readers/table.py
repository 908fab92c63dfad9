"""Comment tables in CSV: discourse's own comments.csv, or any CSV with a column mapping."""

from __future__ import annotations

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


def parse_csv(text: str, *, columns: dict[str, str] | None = None, source_path: Path | str | None = None,
              source: str = NAME) -> Corpus:
    """Parse CSV text into a Corpus.

    ``columns`` maps this table's column names to discourse's (``{"id": "comment_id",
    "reply_to": "parent_id", "user": "author", "body": "text"}``); by default the columns of
    ``comments.csv`` are expected.  ``thread_id`` defaults to the file's stem when absent.
    """
    delimiter = _delimiter(text.split("\n", 1)[0], columns)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=delimiter)
    except pd.errors.EmptyDataError:
        raise FormatError("expected CSV with a header row; found no columns", path=source_path, line=1) from None
    except (pd.errors.ParserError, csv.Error) as exc:
        line = re.search(r"\bline (\d+)", str(exc))
        raise FormatError(f"expected CSV with a header row and the same number of fields on every line; "
                          f"{' '.join(str(exc).split())}", path=source_path,
                          line=int(line[1]) if line else None) from None
    if not isinstance(frame.index, pd.RangeIndex):  # pandas took the extra leading fields for an index
        raise FormatError(f"expected {len(frame.columns)} fields on every line, as the header has; "
                          f"found {_first_long_row(text, delimiter, len(frame.columns))}", path=source_path,
                          line=_first_long_row(text, delimiter, len(frame.columns), line=True))
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
    _whole_number_ids(frame)
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


#: Field separators a comment table may use, most usual first (spreadsheets in many languages write ";").
_DELIMITERS = (",", ";", "\t", "|")
_WHOLE_NUMBER = re.compile(r"-?\d+(\.0+)?")


def _delimiter(header: str, columns: dict[str, str] | None = None) -> str:
    """The separator of a table with this header line: the first that splits off a column discourse
    reads (``comment_id``, ``text`` or a mapped name), else the one giving the most fields."""
    wanted = {"comment_id", "text", *(columns or {})}
    fields = {d: [f.strip().strip('"') for f in header.split(d)] for d in _DELIMITERS}
    for delimiter, names in fields.items():
        if wanted & set(names):
            return delimiter
    return max(_DELIMITERS, key=lambda d: len(fields[d]))


def _first_long_row(text: str, delimiter: str, width: int, line: bool = False) -> int | str | None:
    """The first row with more than ``width`` fields: its line number, or what it holds."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    for row in reader:
        if len(row) > width:
            return reader.line_num if line else f"{len(row)} on this one"
    return None if line else "more on some line"


def _whole_number_ids(frame: pd.DataFrame) -> None:
    """Ids written by pandas as floats ("2", "1.0": a parent column with blanks is a float column)
    read as the integers they are, in the id and parent columns alike, so replies still find
    their parents; only when every id of both columns is a whole number."""
    names = [name for name in ("comment_id", "parent_id") if name in frame]
    values = pd.concat([frame[name] for name in names]) if names else pd.Series(dtype=str)
    values = values[values != ""]
    if not len(values) or not values.str.contains(".", regex=False).any() \
            or not values.str.fullmatch(_WHOLE_NUMBER.pattern).all():
        return
    for name in names:
        frame[name] = frame[name].str.replace(r"\.0+$", "", regex=True)


def read_csv(path: Path | str, *, columns: dict[str, str] | None = None) -> Corpus:
    """Read a CSV comment table from ``path`` (see :func:`parse_csv`)."""
    path = Path(path)
    return parse_csv(read_text_file(path), columns=columns, source_path=path)


def looks_like_csv(head: str) -> bool:
    """A header line naming ``comment_id``, or ``text`` among other fields, split by one of ``_DELIMITERS``."""
    first = head.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    for delimiter in _DELIMITERS:
        names = [f.strip().strip('"') for f in first.split(delimiter)]
        if "comment_id" in names or (len(names) > 1 and "text" in names):
            return True
    return False
