"""Comment tables in JSON Lines (one JSON object a line), with a column mapping like the CSV reader.

Also home to the small helpers every JSON reader shares: streaming JSON Lines with line numbers
in errors, missing-author spellings, dropping personal fields, and times to UTC.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Callable, NoReturn, TypeVar

import numpy as np
import pandas as pd

from ..model.corpus import THREAD_COLUMNS, Corpus, empty_skipped, empty_threads
from ..exceptions import DiscourseError, FormatError, SchemaError
from ..model.schema import SOURCE_COLUMNS, is_relative_time, parse_times
from ..model.tree import complete_tree
from . import _io
from ._io import (Lines, Oversized, decode_line, note, numbered_lines, own_parents_blanked, split_lines,
                  strip_bom, table_of)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

_Parse = TypeVar("_Parse", bound=Callable[..., Corpus])

try:  # orjson is several times faster on big dumps; json gives the same results
    import orjson

    def loads(data: str | bytes) -> Any:
        return orjson.loads(data)
except ImportError:  # pragma: no cover - orjson is installed where the tests run
    def loads(data: str | bytes) -> Any:
        return json.loads(data)

NAME = "jsonl"

#: Author spellings that mean "nobody we can name": they become missing authors.
MISSING_AUTHORS = {"", "[deleted]", "[removed]"}

#: Field names that hold personal data (e-mail and IP addresses, phone numbers): never copied.
_PERSONAL = re.compile(r"(^|[_\-.])(e-?mail|mail|ip|ip_?addr(ess)?|phone)($|[_\-.])", re.I)

#: Columns kept from a record besides ``meta_*`` ones (as in :mod:`discourse.readers.table`).
_KEPT = list(SOURCE_COLUMNS) + ["is_post_author", "is_placeholder", "text_status"]
_ID_COLUMNS = ("comment_id", "thread_id", "parent_id")


def is_personal(field_name: object) -> bool:
    """True for a field name that holds personal data (``author_email``, ``meta_ip``, ...)."""
    return bool(_PERSONAL.search(str(field_name)))


def author_or_none(value: object) -> str | None:
    """The author name, or None for deleted, removed or absent authors."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    name = str(value).strip()
    return None if name in MISSING_AUTHORS else name


def id_or_none(value: object) -> str | None:
    """An id as a string (JSON numbers included), None when absent."""
    if value is None or value == "":
        return None
    return str(value)


def found(raw: str | bytes, limit: int = 60) -> str:
    """A short quotation of what a malformed line holds, for error messages."""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    raw = raw.strip()
    return repr(raw[:limit] + ("..." if len(raw) > limit else ""))


def describe(value: object) -> str:
    """What a JSON value is, without quoting its content (which may be personal)."""
    if isinstance(value, dict):
        keys = ", ".join(list(map(str, value))[:8])
        return f"an object with keys {keys}" if keys else "an empty object"
    return f"a JSON {type(value).__name__}"


#: orjson's limit on nesting (arrays and objects inside each other); Python's json is no deeper.
JSON_DEPTH_LIMIT = 1024
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def invalid_json(exc: BaseException) -> str:
    """What is wrong with a JSON text, from the parser's error: nesting deeper than the parser
    reads is said so (it is not damage); anything else as the parser puts it."""
    message = str(getattr(exc, "msg", exc))
    if "depth limit" in message or isinstance(exc, RecursionError):
        return f"JSON nested deeper than {JSON_DEPTH_LIMIT:,} levels, more than the parser reads"
    return f"invalid JSON ({message})"


def _clean(value: Any, problems: dict[str, str]) -> Any:
    """``value`` with lone surrogates (which no UTF-8 file can hold) made U+FFFD, noting it."""
    if isinstance(value, str):
        if _LONE_SURROGATE.search(value):
            problems["a lone surrogate (\\ud800-\\udfff)"] = "made U+FFFD"
            return _LONE_SURROGATE.sub("\ufffd", value)
        return value
    if isinstance(value, dict):
        return {_clean(key, problems): _clean(item, problems) for key, item in value.items()}
    if isinstance(value, list):
        return [_clean(item, problems) for item in value]
    return value


def _lenient_loads(raw: str | bytes) -> tuple[Any, dict[str, str]]:
    """A record strict JSON refuses but Python's json reads: NaN and Infinity (blanked), a number
    too long to convert (blanked), lone surrogates (made U+FFFD); with what was changed."""
    problems = {}  # what the record holds -> what was done with it

    def constant(name: str) -> None:
        problems[name] = "blanked"

    def integer(digits: str) -> int | None:
        try:
            return int(digits)
        except ValueError:  # more digits than Python converts
            problems[f"a number of {len(digits):,} digits"] = "blanked"
            return None

    if isinstance(raw, bytes):
        raw = raw.decode("utf-8")
    record = json.loads(raw, parse_constant=constant, parse_int=integer)
    return _clean(record, problems), problems


def load_document(data: str | bytes, path: Path | str | None = None) -> Any:
    """One JSON document (a whole file).  A value strict JSON refuses but Python's json reads (NaN,
    a number too long to convert, a lone surrogate) costs that value (blanked, or U+FFFD; noted),
    not the file; otherwise the parser's ValueError (see :func:`invalid_json`)."""
    try:
        return loads(data)
    except ValueError as exc:
        try:
            document, problems = _lenient_loads(data)
        except (ValueError, RecursionError):
            raise exc from None
    if problems:
        note(f"the document holds {', '.join(sorted(problems))}", " and ".join(sorted(set(problems.values()))),
             path=path)
    return document


def iter_json_lines(lines: Lines | BinaryIO | Iterable[str | bytes], *, path: Path | str | None = None,
                    expected: str | Callable[[], str] = "a JSON object",
                    skipped: list[tuple[str | None, str, str]] | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for each non-blank line.

    ``lines`` is a :class:`~discourse.readers._io.Lines`, a binary file or any iterable of str or
    bytes lines, so a file is streamed, never read whole; bytes must be UTF-8.  A line that is not
    a JSON object (or holds more than :data:`~discourse.readers._io.MAX_RECORD_BYTES`) raises
    FormatError naming it; given a ``skipped`` list, it is appended there as (path, record,
    reason) and reported with :func:`~discourse.readers._io.note` instead.  NaN, over-long numbers
    and lone surrogates cost only that value (blanked, noted).  ``expected`` (what a line should
    hold, for those messages) may be a function, asked when a line is bad: a reader may learn it
    from the lines read so far.
    """
    for number, raw in numbered_lines(lines):
        if number == 1 and not isinstance(raw, Oversized):
            raw = strip_bom(raw)
        if isinstance(raw, Oversized):
            problem = (f"expected {_said(expected)}; found a line of {raw.size:,} bytes, more than the "
                       f"{_io.MAX_RECORD_BYTES:,} bytes a record may hold")
        else:
            try:
                yield number, _record(raw, path, number, expected)
                continue
            except FormatError as exc:
                if skipped is None or exc.line != number:
                    raise
                problem = str(exc).split(": ", 1)[1]
        if skipped is None:
            raise FormatError(problem, path=path, line=number)
        skip_line(skipped, problem, path, number)


def no_record_read(skipped: list[tuple[str | None, str, str]], path: Path | str | None) -> NoReturn:
    """When every line was skipped, the input is not what it was read as: the first line's problem is the error."""
    _, record, reason = skipped[0]
    raise FormatError(f"{reason} (and no line could be read)", path=path, line=int(record.split()[1]))


def skip_line(skipped: list[tuple[str | None, str, str]], problem: str, path: Path | str | None,
              number: int) -> None:
    """List line ``number`` in ``skipped`` (path, record, reason) and report it (see :func:`note`)."""
    note(problem, "skipped", path=path, line=number)
    skipped.append((str(path) if path is not None else None, f"line {number}", problem))


def _said(expected: str | Callable[[], str]) -> str:
    return expected() if callable(expected) else expected


def _record(raw: str | bytes, path: Path | str | None, number: int,
            expected: str | Callable[[], str]) -> dict[str, Any]:
    """The JSON object on one line (see :func:`iter_json_lines`)."""
    try:
        record = loads(raw)  # orjson checks UTF-8 itself: no decoding pass on the hot path
    except ValueError as exc:
        raw = decode_line(raw, path, number)  # raises, naming the byte, if the line is not UTF-8
        try:
            record, problems = _lenient_loads(raw)
        except (ValueError, RecursionError):
            what = invalid_json(exc)
            if not what.startswith("invalid"):
                raise FormatError(f"expected {_said(expected)}; found {what}", path=path, line=number) from None
            raise FormatError(f"expected {_said(expected)}; found {found(raw)}, which is not valid JSON",
                              path=path, line=number) from None
        if problems and isinstance(record, dict):
            note(f"the record holds {', '.join(sorted(problems))}",
                 " and ".join(sorted(set(problems.values()))), path=path, line=number)
    if not isinstance(record, dict):
        raise FormatError(f"expected {_said(expected)}; found {describe(record)}", path=path, line=number)
    return record


@contextmanager
def malformed(path: Path | str | None, *, line: int | None = None, record: object = None) -> Iterator[None]:
    """Turn a record whose values have the wrong JSON type into a FormatError naming it.

    Readers index and convert fields assuming the source's types (text, numbers, objects); a file
    edited or generated wrongly breaks that with a TypeError or the like deep in the conversion.
    """
    try:
        yield
    except DiscourseError:
        raise
    except WRONG_TYPE as exc:
        raise wrong_type(exc, path, line=line, record=record) from None


#: What indexing and converting a field of an unexpected JSON type raises.
WRONG_TYPE = (TypeError, AttributeError, KeyError, IndexError, ValueError, OverflowError)


def wrong_type(exc: BaseException, path: Path | str | None, *, line: int | None = None,
               record: object = None) -> FormatError:
    """The FormatError for a record whose field had the wrong JSON type (see :func:`malformed`)."""
    return FormatError(f"expected a record whose fields have the usual types; a field has the wrong type "
                       f"({type(exc).__name__}: {str(exc)[:80]})", path=path, line=line, record=record)


def guarded(parse: _Parse) -> _Parse:
    """Decorate a ``parse_<format>(data, *, source_path=None, ...)``: what :func:`malformed` does for one
    record, for the whole input (thread records, post-processing), naming the file."""
    @functools.wraps(parse)
    def wrapper(*args: Any, **kwargs: Any) -> Corpus:
        with malformed(kwargs.get("source_path")):
            return parse(*args, **kwargs)
    return wrapper


def json_documents(text_or_lines: str | bytes | Lines | BinaryIO | Iterable[str | bytes], path: Path | str | None,
                   *, expected: str, documents: str,
                   skipped: list[tuple[str | None, str, str]] | None = None) -> list[Any]:
    """The JSON values in the input: one document (object or list), or one object a line.

    ``expected`` names one line's object in errors ("a Hacker News item"), ``documents`` the
    whole ("Hacker News items"): a broken single document (pretty-printed, say) is reported at
    the line where it breaks.  Given a ``skipped`` list, a line of one-object-a-line input that
    is no JSON object costs that line (listed there and reported, see :func:`iter_json_lines`;
    each is a record the reader counts as read); when no line could be read, the first line's
    problem is the error.
    """
    if isinstance(text_or_lines, (str, bytes)):
        try:
            return [load_document(text_or_lines, path)]
        except ValueError as exc:
            error = exc
        lines = split_lines(text_or_lines)
        if not _one_object_a_line(lines):
            raise FormatError(f"expected {documents} as JSON; found {invalid_json(error)}",
                              path=path, line=getattr(error, "lineno", None)) from None
    else:
        lines = text_or_lines
    unread = [] if skipped is not None else None
    values = [record for _, record in iter_json_lines(lines, path=path, expected=expected, skipped=unread)]
    if unread and not values:
        no_record_read(unread, path)
    if unread:
        skipped.extend(unread)
    return values


#: How many of the first lines :func:`_one_object_a_line` looks at.
_LINES_LOOKED_AT = 5


def _one_object_a_line(lines: list[str | bytes]) -> bool:
    """Whether a text that is no JSON document is one object a line: more than one line, the first
    opening an object, and one of the first few a JSON object on its own (so one bad line, the
    first too, does not hide the others)."""
    filled = list(itertools.islice((line for line in lines if line.strip()), _LINES_LOOKED_AT))
    if len(filled) < 2 or not strip_bom(filled[0]).lstrip()[:1] in ("{", b"{"):
        return False
    for line in filled:
        try:
            if isinstance(_lenient_loads(strip_bom(line))[0], dict):
                return True
        except (ValueError, RecursionError):
            continue
    return False


_EARLIEST, _LATEST = pd.Timestamp("1677-09-22", tz="UTC"), pd.Timestamp("2262-04-11", tz="UTC")


#: Kinds of time values: blank, unix seconds (number or digits), date-and-time text, not a time.
_BLANK, _SECONDS, _TEXT, _NOT_A_TIME = range(4)
_SECONDS_TEXT = re.compile(r"\s*-?\d+(\.\d+)?\s*")  # unix seconds also come as text in older dumps


def _time_kind(value: object) -> int:
    if value is None:
        return _BLANK
    if isinstance(value, bool):
        return _NOT_A_TIME
    if isinstance(value, (int, float)):
        return _SECONDS if value == value else _BLANK  # NaN: blank
    if isinstance(value, str):
        if not value or value.isspace():
            return _BLANK
        if _SECONDS_TEXT.fullmatch(value):
            return _SECONDS
        return _NOT_A_TIME if is_relative_time(value) else _TEXT
    return _NOT_A_TIME


#: What every blank, unix-seconds or relative time text matches (and a few texts more): the
#: texts :func:`_time_kind` must look at; any other text is date-and-time text.
_MAYBE_NOT_TEXT = re.compile(r"\s*(-?\d+(\.\d+)?|now|today|yesterday|tomorrow)?\s*", re.I)


def _time_kinds(values: list[object]) -> np.ndarray:
    """:func:`_time_kind` of each value; date-and-time texts (nearly every value of a big file) are
    told apart by one regular expression run from C, the rest one by one."""
    texts = [value if value.__class__ is str else "" for value in values]  # other values: one by one
    kinds = np.full(len(values), _TEXT, dtype=np.int8)
    maybe = np.fromiter(map(bool, map(_MAYBE_NOT_TEXT.fullmatch, texts)), dtype=bool, count=len(texts))
    for position in maybe.nonzero()[0].tolist():
        kinds[position] = _time_kind(values[position])
    return kinds


def to_utc(values: Iterable[object]) -> tuple[pd.Series, np.ndarray]:
    """Times to UTC: numbers are unix seconds, text ISO 8601 or similar; blanks become NaT.

    Returns the times and the positions of the values that are neither, or out of the range
    a nanosecond clock holds (1677 to 2262: 9999-12-31, a millisecond epoch read as seconds):
    those are NaT too.
    """
    series = pd.Series(list(values), dtype=object)
    kind = _time_kinds(series.tolist())
    seconds = pd.to_numeric(series.where(kind == _SECONDS), errors="coerce")
    out = pd.to_datetime(seconds, unit="s", utc=True, errors="coerce")  # beyond year 2262: NaT, then refused
    texts = series.where(kind == _TEXT)
    if (kind == _TEXT).any():
        out = out.where(texts.isna(), parse_times(texts))
    # Times a nanosecond clock cannot hold (before 1677, after 2262) are typos, not times.
    out_of_range = out.notna() & ((out < _EARLIEST) | (out > _LATEST))
    bad = (((kind == _SECONDS) | (kind == _TEXT)) & out.isna()) | (kind == _NOT_A_TIME) | out_of_range
    return out.where(~bad).astype("datetime64[ns, UTC]"), bad.to_numpy().nonzero()[0]


def _count_or_none(value: object) -> int | None:
    """A declared comment count: a whole number a table holds, else None (not a count: "1.5", [], 2**70)."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return int(number) if number == number and number.is_integer() and abs(number) < 2 ** 53 else None


def threads_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """``Corpus.threads`` from a list of dicts keyed by THREAD_COLUMNS."""
    if not rows:
        return empty_threads()
    frame = table_of(rows, columns=THREAD_COLUMNS)
    declared = pd.to_numeric(frame["declared_comments"].map(_count_or_none), errors="coerce")
    frame["declared_comments"] = declared.astype("Int64")
    for name in THREAD_COLUMNS:
        if name != "declared_comments":
            frame[name] = frame[name].astype("string")
    return frame


def add_missing_threads(threads: list[dict[str, Any]], rows: Iterable[dict[str, Any]],
                        source_path: Path | str | None) -> list[dict[str, Any]]:
    """Append an untitled thread row for every thread of ``rows`` that ``threads`` lacks."""
    known = {thread["thread_id"] for thread in threads}
    for row in rows:
        if row["thread_id"] not in known:
            known.add(row["thread_id"])
            threads.append({"thread_id": row["thread_id"], "title": None, "url": None, "post_author": None,
                            "declared_comments": None, "source_path": str(source_path) if source_path else None})
    return threads


def corpus_from_rows(rows: list[dict[str, Any]], threads: list[dict[str, Any]],
                     skipped: list[tuple[str | None, str, str]], source_path: Path | str | None,
                     records: int | None) -> Corpus:
    """The Corpus of a JSON reader: its comment rows and thread dicts, skip records and record count.

    Threads the rows name but ``threads`` lacks are added untitled; a row that does not say
    whether its author wrote the post gets it from its thread's ``post_author``.
    """
    add_missing_threads(threads, rows, source_path)
    post_author = {t["thread_id"]: t["post_author"] for t in threads if t["post_author"]}
    for row in rows:
        if "is_post_author" not in row:
            row["is_post_author"] = row["author"] is not None and row["author"] == post_author.get(row["thread_id"])
    return Corpus(comments=comments_frame(rows, path=source_path), threads=threads_frame(threads),
                  skipped=skipped_frame(skipped), records=records)


def skipped_frame(rows: list[tuple[str | None, str, str]]) -> pd.DataFrame:
    """``Corpus.skipped`` from a list of (source_path, record, reason)."""
    if not rows:
        return empty_skipped()
    return pd.DataFrame(rows, columns=["source_path", "record", "reason"]).astype("string")


def comments_frame(rows: pd.DataFrame | list[dict[str, Any]], *, path: Path | str | None = None) -> pd.DataFrame:
    """complete_tree() of reader rows, with schema problems reported as FormatError on ``path``.

    A row's ``_line`` (its line in the file, when the reader knows it) is used in errors only.
    """
    frame = rows if isinstance(rows, pd.DataFrame) else table_of(rows, path=path)
    if frame.empty:
        raise FormatError("expected at least one comment; found none", path=path)
    lines = frame.pop("_line") if "_line" in frame else None
    if "created_at" in frame:
        times, bad = to_utc(frame["created_at"])
        for position in bad.tolist():  # one record's time costs that time, not the file
            line = None if lines is None else int(lines.iloc[position])
            note(f"comment {frame['comment_id'].iloc[position]!r}: expected a time as unix seconds or ISO 8601 "
                 f"text from 1677 to 2262; found {found(str(frame['created_at'].iloc[position]), 40)}",
                 "its time left blank", path=path, line=line)
        frame["created_at"] = times
    else:
        frame["created_at"] = pd.NaT
    frame = own_parents_blanked(frame, path=path, lines=lines)
    try:
        return complete_tree(frame)
    except SchemaError as exc:
        raise FormatError(str(exc), path=path) from None


def _needed(columns: dict[str, str]) -> tuple[str, str]:
    """The record fields that must be present: whatever the mapping names comment_id and text."""
    return tuple(next((field for field, target in columns.items() if target == wanted), wanted)  # type: ignore
                 for wanted in ("comment_id", "text"))


def _usual_names(record: dict[str, Any], path: Path | str | None) -> dict[str, str]:
    """The mapping of a record's fields by their usual names (:data:`~discourse.readers.table.COMMON_HEADERS`,
    as a CSV header's), or {} when they name no comment id and text."""
    from .table import header_mapping

    try:
        mapping = header_mapping(list(record), path=path)
    except FormatError:
        return {}
    return {field: target for field, target in mapping.items() if field != target}


def _with_usual_name(key: str, columns: dict[str, str]) -> dict[str, str]:
    """``columns`` with ``key`` mapped by its usual name to a column no field fills yet."""
    from .table import COMMON_HEADERS, normal_header

    normal = normal_header(key)
    taken = set(columns.values())
    target = next((target for target, names in COMMON_HEADERS.items() if normal in names and target not in taken),
                  None)
    return {**columns, key: target} if target is not None and target != key else columns


def _kept_name(key: str, columns: dict[str, str]) -> str | None:
    """The column a record field goes to, or None when it is dropped (unknown, or personal data)."""
    name = columns.get(key, key)
    if (name in _KEPT or name.startswith("meta_")) and not is_personal(key) and not is_personal(name):
        return name
    return None


#: JSON values a table cell holds as JSON text.
_NESTED = (dict, list)


@guarded
def parse_jsonl(lines: str | Lines | BinaryIO | Iterable[str | bytes], *, columns: dict[str, str] | None = None,
                source_path: Path | str | None = None, source: str = NAME) -> Corpus:
    """Parse JSON Lines into a Corpus.

    ``columns`` maps the records' field names to discourse's (``{"id": "comment_id",
    "reply_to": "parent_id", "user": "author", "body": "text"}``); by default the columns of
    ``comments.csv`` are expected.  ``created_at`` may be unix seconds or ISO text;
    ``thread_id`` defaults to the file's stem.  Other fields are dropped unless named
    ``meta_*``; personal fields (e-mail, IP) are dropped whatever their name.
    """
    if isinstance(lines, str):
        lines = split_lines(lines)
    usual = not columns  # no mapping given: fields may go by their usual names ("id", "body", ...)
    columns = dict(columns or {})
    id_field, text_field = _needed(columns)
    default_thread = Path(source_path).stem if source_path else "thread"
    # Column lists rather than a dict per row: a million small dicts make Python's garbage
    # collector rescan them again and again, which doubled the reading time.
    data, line_numbers, records, kept_as = {}, [], 0, {}  # kept_as: record field -> column, or None (dropped)

    def expected() -> str:
        return f"a JSON object with {id_field!r} and {text_field!r}"

    placeholder_field = next((k for k, v in columns.items() if v == "is_placeholder"), "is_placeholder")
    number, n, bad, derived = None, 0, [], None  # derived: the mapping learnt from usual names, if any
    try:  # one handler for the whole loop: a context per record costs a tenth of the reading time
        for number, record in iter_json_lines(lines, path=source_path, expected=expected, skipped=bad):
            if usual and (id_field not in record or text_field not in record):
                # A first record without comments.csv's names tells the file's own (as a CSV header
                # would); after a record was read, one that lacks them is just a bad record.
                usual, derived = False, _usual_names(record, source_path) if not n else {}
                if derived:
                    columns = derived
                    id_field, text_field = _needed(columns)
            if derived and any(key not in kept_as for key in record):
                for key in record:  # a field first seen now (a reply's "reply_to") by its usual name too
                    if key not in kept_as and key not in columns:
                        columns = _with_usual_name(key, columns)
            # A record flagged as a placeholder (discourse's own output) stands for an absent comment.
            if id_field not in record or text_field not in record or id_or_none(record[id_field]) is None:
                skip_line(bad, f"expected {expected()}; found {describe(record)}", source_path, number)
                continue
            if placeholder_field not in record or str(record[placeholder_field]).strip().lower() not in ("true", "1"):
                records += 1
            filled = 0
            for key, value in record.items():
                if key not in kept_as:
                    kept_as[key] = _kept_name(key, columns)
                name = kept_as[key]
                if name is None:
                    continue
                column = data.get(name)
                if column is None:
                    column = data[name] = [None] * n
                if isinstance(value, _NESTED):  # inline: a function call per value was a tenth of the loop
                    value = json.dumps(value, ensure_ascii=False)
                if len(column) > n:  # two fields mapped to one column: the later one wins
                    column[n] = value
                else:
                    column.append(value)
                    filled += 1
            n += 1
            if filled < len(data):  # columns this record has no value for
                for column in data.values():
                    if len(column) < n:
                        column.append(None)
            line_numbers.append(number)
    except DiscourseError:
        raise
    except WRONG_TYPE as exc:
        raise wrong_type(exc, source_path, line=number) from None
    if not n and bad:
        no_record_read(bad, source_path)
    if not n:
        raise FormatError("expected at least one comment; found none", path=source_path)
    for name in _ID_COLUMNS:
        data[name] = [id_or_none(value) for value in data.get(name, [None] * n)]
    data["thread_id"] = [value or default_thread for value in data["thread_id"]]
    data["author"] = [author_or_none(value) for value in data.get("author", [None] * n)]
    data["text"] = ["" if value is None else str(value) for value in data["text"]]
    data["source"] = [value or source for value in data.get("source", [None] * n)]
    data["_line"] = line_numbers
    rows = table_of(data, path=source_path) if n else []
    comments = comments_frame(rows, path=source_path)
    threads = threads_frame([{"thread_id": thread_id, "source_path": str(source_path) if source_path else None}
                             for thread_id in pd.unique(comments["thread_id"])])
    return Corpus(comments=comments, threads=threads, skipped=skipped_frame(bad), records=records + len(bad))


def read_jsonl(path: Path | str, *, columns: dict[str, str] | None = None) -> Corpus:
    """Read a JSON Lines comment table from ``path``, streaming it line by line (see :func:`parse_jsonl`)."""
    path = Path(path)
    with Lines(path) as lines:
        return parse_jsonl(lines, columns=columns, source_path=path)


def looks_like_jsonl(head: str) -> bool:
    """A first line that is a JSON object with comments.csv's ``comment_id`` and ``text`` fields,
    or fields that go by their usual names (``id`` and ``body``, ...: :func:`parse_jsonl`).  Tried
    after every platform's own JSON, which such names would also fit."""
    first = head.lstrip("\ufeff").lstrip().split("\n", 1)[0]
    if not first.startswith("{"):
        return False
    if re.search(r'"comment_id"\s*:', first) is not None and re.search(r'"text"\s*:', first) is not None:
        return True
    keys = re.findall(r'"([^"\\]{1,64})"\s*:', first[:65536])  # a field's name: a bounded run, no nesting
    if not _usual_names(dict.fromkeys(keys), None):
        return False
    from . import READERS  # usual names fit many platforms' records too: theirs come first

    return not any(reader.sniff(head) for name, reader in READERS.items() if name not in ("jsonl", "csv", "text"))