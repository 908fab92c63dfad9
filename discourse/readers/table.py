"""Comment tables in CSV: discourse's own comments.csv, or any CSV with a column mapping."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..model.corpus import Corpus, empty_skipped, empty_threads
from ..exceptions import FormatError, OptionsError, SchemaError
from ..model.schema import SOURCE_COLUMNS, restore_formula
from ..model.tree import complete_tree
from ._io import own_parents_blanked, read_text_file

if TYPE_CHECKING:
    from collections.abc import Iterable

NAME = "csv"

#: Columns kept from an input table besides ``meta_*`` ones; analysis columns are recomputed.
_KEPT = list(SOURCE_COLUMNS) + ["is_post_author", "is_placeholder", "text_status"]


def parse_csv(text: str, *, columns: dict[str, str] | None = None, source_path: Path | str | None = None,
              source: str = NAME) -> Corpus:
    """Parse CSV text into a Corpus.

    Parameters
    ----------
    text : str
        The whole table, its first line the header.
    columns : dict, optional
        This table's column names mapped to discourse's (``{"id": "comment_id", "reply_to":
        "parent_id", "user": "author", "body": "text"}``, any of :data:`MAPPABLE`); columns it
        does not map are recognised by their usual names (:data:`COMMON_HEADERS`: ``id``,
        ``parent``, ``user``, ``body``, ``timestamp``, ...), and other columns dropped but
        ``meta_*`` ones.
    source_path : path, optional
        The file read, named in errors; its stem is the thread id of a table without a thread column.
    source : str, default "csv"
        The ``source`` of comments the table does not say the source of.

    Returns
    -------
    Corpus
        The comments (``created_at`` from ISO 8601 text or unix seconds), one thread row per thread.

    Raises
    ------
    FormatError
        Naming the file and line: not a table, a row longer than the header, or no column for
        the comment ids or texts (the message lists the table's own header).

    Examples
    --------
    >>> corpus = parse_csv("id,parent,user,body\\n1,,ann,Hi\\n2,1,bo,Hello\\n", source_path="chat.csv")
    >>> corpus.comments[["comment_id", "parent_id", "author", "thread_id"]].fillna("").values.tolist()
    [['1', '', 'ann', 'chat'], ['2', '1', 'bo', 'chat']]
    >>> parse_csv("key,who,words\\n1,ann,Hi\\n", source_path="chat.csv", columns={"key": "comment_id", "words": "text"}).comments["author"].isna().tolist()
    [True]
    """
    delimiter = _delimiter(text.split("\n", 1)[0], columns)
    columns = checked_mapping(columns)
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
    mapping = header_mapping(frame.columns, columns, path=source_path)
    frame = frame[list(mapping)].rename(columns=mapping)
    _whole_number_ids(frame)
    if "thread_id" not in frame.columns:
        frame["thread_id"] = Path(source_path).stem if source_path else "thread"
    for optional in ("parent_id", "author"):
        if optional not in frame.columns:
            frame[optional] = ""
    if "created_at" in frame:
        frame["created_at"] = _seconds_as_times(frame["created_at"])
    # Every row is a record; rows flagged as placeholders (discourse's own output) stand for absent comments.
    flagged = frame["is_placeholder"].str.strip().str.lower().isin(["true", "1"]) \
        if "is_placeholder" in frame else pd.Series(False, index=frame.index)
    records = int((~flagged).sum())
    frame = frame.copy()
    # a table saved with Windows line ends has them inside multi-line cells too
    frame["text"] = frame["text"].str.replace("\r\n", "\n", regex=False)
    frame["source"] = frame["source"].where(frame["source"] != "", source) if "source" in frame else source
    frame = own_parents_blanked(frame, path=source_path)
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


#: The columns a mapping may name (``--columns HEADER=COLUMN``): a reader's columns and ``meta_*``.
MAPPABLE = tuple(_KEPT)

#: Header names read without a mapping, for each column, in order of preference; compared
#: ignoring case, with spaces, "-" and "." read as "_" ("Comment ID" is comment_id).
COMMON_HEADERS = {
    "comment_id": ("comment_id", "id", "commentid", "message_id", "utterance_id", "post_number"),
    "parent_id": ("parent_id", "parent", "parentid", "reply_to", "in_reply_to", "in_reply_to_id", "reply_to_id",
                  "replyto", "parent_comment_id", "parent_post_number", "reply_to_post_number"),
    "author": ("author", "user", "username", "user_name", "name", "author_name", "screen_name", "commenter",
               "speaker", "display_name", "nickname", "handle", "from"),
    "text": ("text", "body", "message", "content", "comment", "comment_text", "text_original", "text_display",
             "msg"),
    "created_at": ("created_at", "created", "created_utc", "timestamp", "datetime", "date_time", "date", "time",
                   "published", "published_at", "posted", "posted_at", "created_time"),
    "thread_id": ("thread_id", "thread", "threadid", "post_id", "topic_id", "topic", "conversation_id",
                  "link_id", "submission_id", "discussion_id", "video_id", "story_id"),
    "source": ("source",), "is_post_author": ("is_post_author",), "is_placeholder": ("is_placeholder",),
    "text_status": ("text_status",),
}

#: What each required column is called in errors.
_DESCRIBED = {"comment_id": "a comment id column", "text": "a comment text column"}
#: Unix seconds from 1973 to 5138, as a created_utc column holds them.
_UNIX_SECONDS = r"\s*\d{9,11}(\.\d+)?\s*"


def _seconds_as_times(column: pd.Series) -> pd.Series:
    """A time column of unix seconds (and blanks) as UTC times; any other column as it is."""
    given = column.str.strip() != ""
    if not given.any() or not column[given].str.fullmatch(_UNIX_SECONDS).all():
        return column
    return pd.to_datetime(pd.to_numeric(column.where(given)), unit="s", utc=True)


def normal_header(name: object) -> str:
    return re.sub(r"[\s.\-]+", "_", str(name).strip().lower())


def checked_mapping(columns: dict[str, str] | None, *, option: str = "columns") -> dict[str, str]:
    """A column mapping checked: each target one of :data:`MAPPABLE` or ``meta_*``, named once."""
    columns = dict(columns or {})
    for header, target in columns.items():
        if not isinstance(header, str) or not isinstance(target, str) or not header:
            raise OptionsError(f"{option} must map column names to column names; got {columns!r}", option=option)
        if target not in MAPPABLE and not (target.startswith("meta_") and len(target) > 5):
            hint = f" (write FILE_COLUMN=COLUMN: {target}={header}?)" if header in MAPPABLE else ""
            raise OptionsError(f"{option}: {target!r} is not a column discourse reads{hint}; expected one of "
                               f"{', '.join(MAPPABLE)} or meta_NAME", option=option)
    twice = [target for target in set(columns.values()) if list(columns.values()).count(target) > 1]
    if twice:
        raise OptionsError(f"{option}: {', '.join(sorted(twice))} named for more than one column of the table",
                           option=option)
    return columns


def parse_column_mapping(text: str) -> dict[str, str]:
    """``"id=comment_id,body=text"`` (what ``--columns`` takes) as ``{"id": "comment_id", "body": "text"}``.

    Examples
    --------
    >>> parse_column_mapping("id=comment_id, user=author")
    {'id': 'comment_id', 'user': 'author'}
    """
    mapping = {}
    for part in text.split(","):
        if not part.strip():
            continue
        header, equals, target = part.partition("=")
        if not equals or not header.strip() or not target.strip():
            raise OptionsError(f"columns: expected FILE_COLUMN=COLUMN pairs separated by commas "
                               f"(id=comment_id,body=text); got {part.strip()!r}", option="columns")
        mapping[header.strip()] = target.strip()
    if not mapping:
        raise OptionsError("columns: expected FILE_COLUMN=COLUMN pairs (id=comment_id,body=text); got nothing",
                           option="columns")
    return checked_mapping(mapping)


def header_mapping(header: Iterable[str], columns: dict[str, str] | None = None, *,
                   path: Path | str | None = None) -> dict[str, str]:
    """Which of a table's columns fills which of discourse's: the mapping given, then the usual
    names (:data:`COMMON_HEADERS`), then ``meta_*`` columns as they are; other columns are left out.

    Raises FormatError, naming the table's own header, when a mapped column is absent or no
    column holds the comment ids or texts.

    Examples
    --------
    >>> header_mapping(["ID", "Parent", "user", "body", "likes"])
    {'ID': 'comment_id', 'Parent': 'parent_id', 'user': 'author', 'body': 'text'}
    """
    header = [str(name) for name in header]
    columns = checked_mapping(columns)
    absent = [name for name in columns if name not in header]
    has = f"the table has columns {', '.join(header)}"
    if absent:
        raise FormatError(f"{has}; the column mapping (--columns) names {', '.join(absent)}, which it lacks",
                          path=path, line=1)
    mapping = {name: columns[name] for name in header if name in columns}
    normal = {}
    for name in header:
        if name not in columns:
            normal.setdefault(normal_header(name), name)
    for target, names in COMMON_HEADERS.items():
        if target in mapping.values():
            continue
        found = next((normal[name] for name in names if name in normal and normal[name] not in mapping), None)
        if found is not None:
            mapping[found] = target
    for name in header:
        if name not in mapping and name.startswith("meta_") and name not in mapping.values():
            mapping[name] = name
    missing = [target for target in ("comment_id", "text") if target not in mapping.values()]
    if missing:
        what = " and ".join(_DESCRIBED[target] for target in missing)
        usual = "; ".join(f"{target}: {', '.join(COMMON_HEADERS[target])}" for target in missing)
        example = ",".join(f"HEADER={target}" for target in missing)
        raise FormatError(f"{has}; missing {what}: pass --columns {example} (or columns={{...}} to read_corpus) "
                          f"to say which holds it (names read without a mapping, any case: {usual})",
                          path=path, line=1)
    return dict(sorted(mapping.items(), key=lambda item: header.index(item[0])))


#: Field separators a comment table may use, most usual first (spreadsheets in many languages write ";").
_DELIMITERS = (",", ";", "\t", "|")
_WHOLE_NUMBER = re.compile(r"-?\d+(\.0+)?")


def _delimiter(header: str, columns: dict[str, str] | None = None) -> str:
    """The separator of a table with this header line: the first that splits off a column discourse
    reads (a comment id or text column by a usual name, or a mapped name), else the one giving the most fields."""
    wanted = {*COMMON_HEADERS["comment_id"], *COMMON_HEADERS["text"], *map(normal_header, columns or {})}
    fields = {d: [f.strip().strip('"') for f in header.split(d)] for d in _DELIMITERS}
    for delimiter, names in fields.items():
        if len(names) > 1 and wanted & {normal_header(name) for name in names}:
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


def table_header(head: str) -> list[str] | None:
    """The header of what looks like a delimited table (its first lines split into the same two or
    more fields by one of ``_DELIMITERS``, none of the header's empty), else None."""
    lines = [line for line in head.lstrip("\ufeff").splitlines()[:6] if line.strip()]
    if len(lines) < 2:
        return None
    for delimiter in _DELIMITERS:
        try:
            rows = list(csv.reader(io.StringIO("\n".join(lines[:-1] if len(lines) > 2 else lines)),
                                   delimiter=delimiter))
        except csv.Error:
            continue
        width = len(rows[0])
        if width > 1 and all(len(row) == width for row in rows) and all(name.strip() for name in rows[0]):
            return [name.strip() for name in rows[0]]
    return None


def looks_like_csv(head: str) -> bool:
    """A header line naming ``comment_id``, or ``text`` among other fields, or a comment id and a
    text column by their usual names (:data:`COMMON_HEADERS`: ``id,parent,user,body``), split by
    one of ``_DELIMITERS``."""
    first = head.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    for delimiter in _DELIMITERS:
        names = [f.strip().strip('"') for f in first.split(delimiter)]
        if "comment_id" in names or (len(names) > 1 and "text" in names):
            return True
        normal = {normal_header(name) for name in names}
        if len(names) > 1 and normal & set(COMMON_HEADERS["comment_id"]) and normal & set(COMMON_HEADERS["text"]):
            return True
    return False
