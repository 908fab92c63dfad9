"""The comments table: one row per comment, the same columns whatever the source format.

Readers fill the source columns; :func:`discourse.model.tree.complete_tree` derives the others.
``validate_comments`` checks a table and coerces it to the documented dtypes, raising
:class:`SchemaError` with the offending row named.
"""

from __future__ import annotations

import operator
import re
from typing import TypeVar

import numpy as np
import pandas as pd

from ..exceptions import SchemaError

_T = TypeVar("_T")

__all__ = ["SOURCE_COLUMNS", "DERIVED_COLUMNS", "COLUMNS", "CSV_ORDER", "REQUIRED", "validate_comments",
           "check_links", "coerce_column", "parse_times", "is_relative_time", "neutralize_formula",
           "restore_formula"]

# Spreadsheets run a cell starting with one of these as a formula (CSV injection).
_FORMULA = re.compile(r"^'*[=+\-@\t\r]")
_NEUTRALIZED = re.compile(r"^'+[=+\-@\t\r]")


#: Words pandas reads as the moment of reading: a comment's time is never the time of the run.
_RELATIVE_TIME = re.compile(r"^\s*(now|today|yesterday|tomorrow)\s*$", re.I)


def is_relative_time(value: object) -> bool:
    """True for "now", "today" and the like, which date parsers turn into the current time."""
    return isinstance(value, str) and _RELATIVE_TIME.match(value) is not None


def parse_times(texts: pd.Series) -> pd.Series:
    """Date-and-time texts to UTC (NaT where unreadable): ISO 8601 parsed fast, other layouts guessed."""
    parsed = pd.to_datetime(texts, utc=True, format="ISO8601", errors="coerce")
    retry = texts.notna() & parsed.isna()
    if retry.any():  # "Tue, 5 Mar 2024 10:00", "03/05/2024 10:00", ...: pandas guesses each one
        parsed = parsed.where(~retry, pd.to_datetime(texts.where(retry), utc=True, format="mixed", errors="coerce"))
    return parsed


def neutralize_formula(value: _T) -> _T | str:
    """Prefix an apostrophe to text a spreadsheet would run as a formula; other values pass."""
    return "'" + value if isinstance(value, str) and _FORMULA.match(value) else value


def restore_formula(value: _T) -> _T | str:
    """Undo :func:`neutralize_formula` (exactly: the pair round-trips every string)."""
    return value[1:] if isinstance(value, str) and _NEUTRALIZED.match(value) else value

#: Columns every reader fills, with their pandas dtypes.
SOURCE_COLUMNS = {
    "comment_id": "string",
    "thread_id": "string",
    "parent_id": "string",
    "author": "string",
    "created_at": "datetime64[ns, UTC]",
    "text": "string",
    "source": "string",
}

#: Columns derived from the reply tree.
DERIVED_COLUMNS = {
    "depth": "int64",
    "subthread_id": "string",
    "is_post_author": "bool",
    "is_placeholder": "bool",
}

COLUMNS = {**SOURCE_COLUMNS, **DERIVED_COLUMNS}

#: Column order of comments.csv; extra columns (``meta_*``, topics) follow.
CSV_ORDER = [
    "comment_id", "parent_id", "thread_id", "subthread_id", "author", "is_post_author",
    "is_placeholder", "depth", "created_at", "text",
]

REQUIRED = ["comment_id", "thread_id", "parent_id", "author", "text"]


def coerce_column(df: pd.DataFrame, name: str, dtype: str) -> pd.Series:
    """Column ``name`` of ``df`` converted to ``dtype``; SchemaError naming the row if a value can't be."""
    column = df[name]
    if dtype == "string":
        # Empty strings mean "absent" in CSV; keep one spelling of absence.
        values = column if isinstance(column.dtype, pd.StringDtype) else column.astype("string")
        # isspace stops at the first visible character; strip would copy every text.  Two maps of
        # C functions rather than a Python test per value (a tenth of reading a big file).
        texts = values.to_numpy(dtype=object, na_value="missing")
        blank = np.fromiter(map(operator.not_, texts), dtype=bool, count=len(texts)) | np.fromiter(
            map(str.isspace, texts), dtype=bool, count=len(texts))
        return values.mask(blank) if blank.any() else values
    if dtype == "bool":
        if column.dtype == bool:
            return column
        text = column.astype("string").str.strip().str.lower()
        mapping = {"true": True, "1": True, "false": False, "0": False}
        bad = text.notna() & ~text.isin(list(mapping))
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0])
            raise SchemaError(
                f"column {name!r} must hold true/false; row {row + 1} "
                f"(comment {df['comment_id'].iloc[row]!r}) holds {column.iloc[row]!r}"
            )
        return text.map(mapping).fillna(False).astype(bool)
    if dtype == "int64":
        numbers = pd.to_numeric(column, errors="coerce")
        bad = numbers.isna() | (numbers != numbers.round())
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0])
            raise SchemaError(
                f"column {name!r} must hold whole numbers; row {row + 1} "
                f"(comment {df['comment_id'].iloc[row]!r}) holds {column.iloc[row]!r}"
            )
        return numbers.astype("int64")
    if dtype.startswith("datetime64"):
        if isinstance(column.dtype, pd.DatetimeTZDtype):
            return column.dt.tz_convert("UTC").astype(dtype)
        try:
            if column.map(is_relative_time).any():
                raise ValueError("a relative time")
            parsed = parse_times(column)
            unread = parsed.isna() & column.notna()
            if unread.any() and (column[unread].astype("string").str.strip() != "").any():
                raise ValueError("not a date and time")
            return parsed.astype(dtype)
        except (ValueError, TypeError, OverflowError):
            row = _first_bad_time(column)
            raise SchemaError(
                f"column {name!r} must hold dates and times; row {row + 1} "
                f"(comment {df['comment_id'].iloc[row]!r}) holds {str(column.iloc[row])[:40]!r}"
            ) from None
    raise AssertionError(f"unknown dtype {dtype}")  # pragma: no cover - table above is fixed


def _first_bad_time(column: pd.Series) -> int:
    """Position of the first value of ``column`` that is not a date and time (blanks are fine)."""
    for position, value in enumerate(column):
        if value is None or (isinstance(value, float) and value != value) or not str(value).strip():
            continue
        if is_relative_time(value):
            return position
        try:
            pd.to_datetime([value], utc=True, format="mixed").astype("datetime64[ns, UTC]")
        except (ValueError, TypeError, OverflowError):
            return position
    return 0


def validate_comments(df: pd.DataFrame, *, derived: bool = True) -> pd.DataFrame:
    """Check a comments table and return a copy with every known column at its dtype.

    Parameters
    ----------
    df : pandas.DataFrame
        A comments table: at least the :data:`REQUIRED` columns, and with ``derived`` the
        :data:`DERIVED_COLUMNS` too.
    derived : bool
        False checks only the columns a reader fills (before :func:`~discourse.model.tree.complete_tree`).

    Returns
    -------
    pandas.DataFrame
        A copy with every column of :data:`COLUMNS` at its dtype, empty text as "", the index reset.

    Raises
    ------
    SchemaError
        Naming the column and row when something is missing or malformed.

    Examples
    --------
    >>> import pandas as pd
    >>> table = validate_comments(pd.DataFrame({"comment_id": ["a"], "thread_id": ["t"], "parent_id": [None],
    ...                                         "author": ["Ann"], "text": ["hi"]}), derived=False)
    >>> str(table["created_at"].dtype)
    'datetime64[ns, UTC]'
    >>> validate_comments(table)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    discourse.exceptions.SchemaError: comments table lacks column(s) depth, subthread_id, ...; it has ...
    """
    if not isinstance(df, pd.DataFrame):
        raise SchemaError(f"expected a pandas DataFrame of comments; got {type(df).__name__}")
    wanted = COLUMNS if derived else SOURCE_COLUMNS
    missing = [name for name in REQUIRED if name not in df.columns]
    if derived:
        missing += [name for name in DERIVED_COLUMNS if name not in df.columns]
    if missing:
        raise SchemaError(
            f"comments table lacks column(s) {', '.join(missing)}; it has {', '.join(map(str, df.columns))}"
        )
    out = df.copy()
    for name in ("created_at", "source"):
        if name not in out.columns:
            out[name] = pd.Series(pd.NA, index=out.index, dtype=SOURCE_COLUMNS[name])
    for name, dtype in wanted.items():
        out[name] = coerce_column(out, name, dtype)
    out["text"] = out["text"].fillna("")
    return check_links(out, derived=derived)


def check_links(out: pd.DataFrame, *, derived: bool = True) -> pd.DataFrame:
    """The checks of :func:`validate_comments` on a table whose columns already have their dtypes:
    ids present and unique, no self-parents; with ``derived``, every parent present and depth >= 1."""
    ids = out["comment_id"]
    if ids.isna().any():
        row = int(ids.isna().to_numpy().nonzero()[0][0])
        raise SchemaError(f"comment_id is empty in row {row + 1}; every comment needs an id")
    if out["thread_id"].isna().any():
        row = int(out["thread_id"].isna().to_numpy().nonzero()[0][0])
        raise SchemaError(f"thread_id is empty in row {row + 1} (comment {ids.iloc[row]!r})")
    duplicated = ids.duplicated()
    if duplicated.any():
        row = int(duplicated.to_numpy().nonzero()[0][0])
        raise SchemaError(f"comment_id {ids.iloc[row]!r} appears more than once (again in row {row + 1})")
    self_parent = out["parent_id"] == ids
    if self_parent.fillna(False).any():
        row = int(self_parent.fillna(False).to_numpy().nonzero()[0][0])
        raise SchemaError(f"comment {ids.iloc[row]!r} (row {row + 1}) names itself as its parent")
    if derived:
        dangling = out["parent_id"].notna() & ~out["parent_id"].isin(ids)
        if dangling.any():
            row = int(dangling.to_numpy().nonzero()[0][0])
            raise SchemaError(
                f"comment {ids.iloc[row]!r} (row {row + 1}) replies to {out['parent_id'].iloc[row]!r}, "
                "which is not in the table; complete the tree with discourse.model.tree.complete_tree"
            )
        if (out["depth"] < 1).any():
            row = int((out["depth"] < 1).to_numpy().nonzero()[0][0])
            raise SchemaError(f"depth must be >= 1; row {row + 1} (comment {ids.iloc[row]!r}) has {out['depth'].iloc[row]}")
    return out.reset_index(drop=True)
