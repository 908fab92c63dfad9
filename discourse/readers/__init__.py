"""Readers: one module per source family, each turning a file into a :class:`Corpus`.

``READERS`` lists every format: its reader, a content sniffer used by :func:`detect_format`,
and a one-line description for ``discourse formats``.  Sniffers are tried in the order listed,
most specific first.
"""

from __future__ import annotations

import dataclasses
import logging
import unicodedata
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Callable, NamedTuple

import pandas as pd

from .._runtime.collector import collector_paused
from ..model.corpus import Corpus
from ..model.deleted import mark_text_status
from ..exceptions import DiscourseError, FormatError
from . import _io

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
from ._io import InputWarning, compression_of, encoding_of, note, unix_line_ends
from .disqus import looks_like_disqus, read_disqus
from .hackernews_html import looks_like_hackernews_html, read_hackernews_html
from .wordpress import (looks_like_wordpress, looks_like_wordpress_json, looks_like_wxr, read_wordpress,
                        read_wordpress_json, read_wxr)
from .convokit import looks_like_convokit, read_convokit
from .hackernews_json import looks_like_hackernews_json, read_hackernews_json
from .jsonl import looks_like_jsonl, read_jsonl
from .mbox import looks_like_mbox, read_mbox
from .reddit import looks_like_reddit, looks_like_reddit_dump, read_reddit, read_reddit_dump
from .table import checked_mapping, looks_like_csv, read_csv, table_header
from .text import looks_like_text, read_text
from .stackexchange import looks_like_stackexchange, read_stackexchange, stackexchange_groups
from .discourse_forum import looks_like_discourse_forum, read_discourse_forum
from .bluesky import looks_like_bluesky, read_bluesky
from .fourchan import looks_like_fourchan, read_fourchan
from .lemmy import looks_like_lemmy, read_lemmy
from .mastodon import looks_like_mastodon, read_mastodon
from .telegram import looks_like_telegram, read_telegram
from .twitter import looks_like_twitter, read_twitter
from .youtube import looks_like_youtube, looks_like_ytdlp, read_youtube, read_ytdlp


class Reader(NamedTuple):
    read: Callable[..., Corpus]
    sniff: Callable[[str], bool]
    description: str


READERS = {
    # -- HTML and XML formats --
    "disqus": Reader(read_disqus, looks_like_disqus, "Disqus XML export (<thread> and <post> elements)"),
    "stackexchange": Reader(read_stackexchange, looks_like_stackexchange,
                            "Stack Exchange data dump Posts.xml, alone or with Comments.xml (both files, or their folder)"),
    "wxr": Reader(read_wxr, looks_like_wxr, "WordPress WXR export (XML, one <item> per post with its <wp:comment>s)"),
    "hackernews-html": Reader(read_hackernews_html, looks_like_hackernews_html,
                              "Hacker News item page saved as HTML"),
    "wordpress": Reader(read_wordpress, looks_like_wordpress,
                        "WordPress post page saved as HTML (ol.commentlist of li.comment)"),
    "wordpress-json": Reader(read_wordpress_json, looks_like_wordpress_json,
                             "WordPress REST API comments JSON (/wp-json/wp/v2/comments)"),
    # -- JSON, mail and table formats --
    # -- platform APIs and exports (issue 18) --
    "youtube": Reader(read_youtube, looks_like_youtube,
                      "YouTube Data API v3 commentThreads/comments list responses (a page, pages, or a page a line)"),
    "yt-dlp": Reader(read_ytdlp, looks_like_ytdlp, "yt-dlp .info.json written with --write-comments"),
    "discourse-forum": Reader(read_discourse_forum, looks_like_discourse_forum,
                              "Discourse forum topic JSON (/t/<id>.json and /t/<id>/posts.json pages)"),
    "twitter": Reader(read_twitter, looks_like_twitter,
                      "X/Twitter API v2 JSON Lines as twarc2 writes them (response pages, or flattened tweets)"),
    "mastodon": Reader(read_mastodon, looks_like_mastodon,
                       "Mastodon statuses with their context (/api/v1/statuses/:id and /context)"),
    "bluesky": Reader(read_bluesky, looks_like_bluesky, "Bluesky app.bsky.feed.getPostThread output"),
    "telegram": Reader(read_telegram, looks_like_telegram,
                       "Telegram Desktop JSON export (result.json: a chat, or a full export's chats)"),
    "lemmy": Reader(read_lemmy, looks_like_lemmy, "Lemmy comment list JSON (/api/v3/comment/list)"),
    "4chan": Reader(read_fourchan, looks_like_fourchan, "4chan thread JSON (a.4cdn.org/<board>/thread/<no>.json)"),
    "reddit": Reader(read_reddit, looks_like_reddit,
                     "Reddit thread JSON (a comments page's .json: submission and nested replies)"),
    "reddit-dump": Reader(read_reddit_dump, looks_like_reddit_dump,
                          "Reddit comment dump, one JSON object a line (Pushshift/Arctic Shift; .zst needs zstandard)"),
    "hackernews-json": Reader(read_hackernews_json, looks_like_hackernews_json,
                              "Hacker News items JSON (Algolia with nested children, or Firebase items)"),
    "convokit": Reader(read_convokit, looks_like_convokit, "ConvoKit corpus (its utterances.jsonl)"),
    "mbox": Reader(read_mbox, looks_like_mbox, "mailing-list archive in mbox format, one thread per root message"),
    "jsonl": Reader(read_jsonl, looks_like_jsonl, "JSON Lines with comments.csv's fields or their usual names (id, body, ...; or --columns)"),
    "csv": Reader(read_csv, looks_like_csv,
                  "CSV table: comments.csv's columns, the usual names (id, parent, user, body, ...) or --columns"),
    "text": Reader(read_text, looks_like_text, "plain-text copy of a threaded comment section"),
}

_SNIFF_BYTES = 65536
_log = logging.getLogger("discourse")


def detect_format(path: Path | str) -> str:
    """Name of the format of ``path``, detected from its content."""
    path = Path(path)
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    if not head.strip():
        raise FormatError("expected comments; the file is empty", path=path)
    head = unix_line_ends(head.decode(encoding_of(head[:4]), errors="replace").lstrip("\ufeff"))
    for name, reader in READERS.items():
        if reader.sniff(head):
            return name
    header = table_header(head)
    if header:  # a table whose columns have no usual names: say what it has, and how to read it
        raise FormatError(f"could not tell the format from the content; it looks like a table with columns "
                          f"{', '.join(header)}, none of them a comment id and a text by a usual name: "
                          "read it with --columns FILE_COLUMN=comment_id,FILE_COLUMN=text,... "
                          "(or choose another format with --format)", path=path)
    raise FormatError("could not tell the format from the content; expected one of "
                      f"{', '.join(READERS)} (choose one with --format)", path=path)


def read_comments(path: Path | str | tuple[Path | str, Path | str], format: str | None = None,
                  **options: object) -> Corpus:
    """Read one file into a Corpus, detecting its format unless ``format`` is given.

    Parameters
    ----------
    path : str, path or (path, path)
        A file, a ConvoKit corpus folder (one holding ``utterances.jsonl``), a Stack Exchange
        dump folder, or a Stack Exchange ``Posts.xml`` with its ``Comments.xml``.
    format : str, optional
        A name from :data:`READERS` (``discourse formats`` lists them); detected from the
        content when None.
    **options
        Passed to the format's reader.

    Returns
    -------
    Corpus
        ``comments`` (one schema for every source, :mod:`discourse.model.schema`), ``threads``,
        ``skipped`` (every record read but not kept, with its reason) and ``records``.

    Raises
    ------
    DiscourseError
        The file is missing or a folder, the format unknown or not recognised; a
        :class:`FormatError` names the file, the line or record, what was expected and what was found.

    Examples
    --------
    >>> from discourse import SAMPLE
    >>> corpus = read_comments(SAMPLE)
    >>> len(corpus.comments), corpus.threads["thread_id"].tolist()
    (44, ['sample_thread'])
    """
    if isinstance(path, tuple):  # Posts.xml with its Comments.xml (see stackexchange_groups)
        return READERS["stackexchange"].read(path[0], comments=path[1], **options)
    path = Path(path)
    if path.is_dir() and any(p.name.lower() == "posts.xml" for p in path.iterdir()) and format in (None, "stackexchange"):
        return READERS["stackexchange"].read(path, **options)  # a Stack Exchange dump is a folder too
    if path.is_dir() and (path / "utterances.jsonl").is_file() and format in (None, "convokit"):
        return READERS["convokit"].read(path, **options)  # a ConvoKit corpus is a folder
    if path.is_dir():
        raise DiscourseError(f"{path}: is a folder, not a file (a ConvoKit corpus folder holds utterances.jsonl)")
    if not path.is_file():
        if path.is_symlink():
            raise DiscourseError(f"{path}: is a symbolic link that leads to no file (a loop of links, or a "
                                 "missing target)")
        if path.exists():
            raise DiscourseError(f"{path}: is not a regular file (a pipe, socket or device); save the comments "
                                 "to a file and read that")
        raise DiscourseError(f"{path}: no such file")
    _refuse_compressed(path, format)
    columns = options.pop("columns", None)
    if columns:
        return _read_table(path, format, columns=columns, **options)
    name = format or detect_format(path)
    if name not in READERS:
        raise DiscourseError(f"unknown format {name!r}; expected one of {', '.join(READERS)}")
    return READERS[name].read(path, **options)


def _refuse_compressed(path: Path, format: str | None) -> None:
    """A compressed file is read only as a zstandard Reddit dump; any other is an error saying how to
    decompress it (rather than "could not tell the format" or a byte that is not UTF-8)."""
    with path.open("rb") as handle:
        packed = compression_of(handle.read(8))
    if packed is None or (packed[0] == "zstandard" and format in (None, "reddit-dump")):
        return
    name, tool = packed
    only = "; only Reddit comment dumps (reddit-dump) are read compressed" if name == "zstandard" else ""
    raise FormatError(f"expected comments as text; found {name}-compressed data: decompress it first "
                      f"({tool.replace('FILE', path.name)}) and read the result{only}", path=path)


#: The formats a column mapping (``columns``, ``--columns``) applies to.
TABLE_FORMATS = ("csv", "jsonl")


def table_format(path: Path | str) -> str:
    """The format of a file read with a column mapping: the one detected, else jsonl when its first
    line is a JSON object, csv when it is no JSON (a JSON array is named, to be refused)."""
    try:
        detected = detect_format(path)
    except FormatError:
        detected = None
    if detected is not None and detected not in TABLE_FORMATS:
        return detected  # _read_table says a mapping does not apply to it
    with Path(path).open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    first = head.decode(encoding_of(head[:4]), errors="replace").lstrip("\ufeff").lstrip()
    return detected or ("jsonl" if first.startswith("{") else "JSON (a document, not one object a line)"
                        if first.startswith("[") else "csv")


def _read_table(path: Path, format: str | None, *, columns: dict[str, str], **options: object) -> Corpus:
    """A CSV or JSON Lines table read with a column mapping: JSON Lines when its first line is a
    JSON object, else CSV (other formats have no columns to map)."""
    format = format or table_format(path)
    if format not in TABLE_FORMATS:
        raise DiscourseError(f"{path}: a column mapping (--columns) applies to the table formats "
                             f"{' and '.join(TABLE_FORMATS)}; this file reads as {format}, which needs none")
    return READERS[format].read(path, columns=columns, **options)


def _unique_thread_ids(corpora: list[Corpus]) -> list[Corpus]:
    """Suffix thread ids that two inputs share (two files named alike), keeping ids stable."""
    seen, renamed = set(), []
    for corpus in corpora:
        mapping = {}
        for thread_id in pd.unique(corpus.comments["thread_id"]):
            new, n = thread_id, 1
            while new in seen:
                n += 1
                new = f"{thread_id}-{n}"
            seen.add(new)
            mapping[thread_id] = new
        if any(old != new for old, new in mapping.items()):
            corpus = Corpus(comments=corpus.comments.assign(thread_id=corpus.comments["thread_id"].map(mapping).astype("string")),
                            threads=corpus.threads.assign(thread_id=corpus.threads["thread_id"].map(mapping).astype("string")),
                            skipped=corpus.skipped, records=corpus.records)
        renamed.append(corpus)
    return renamed


def _prefix_ids(comments: pd.DataFrame) -> pd.DataFrame:
    prefix = comments["thread_id"] + "/"
    id_columns = {"comment_id": comments["comment_id"], "parent_id": comments["parent_id"],
                  "subthread_id": comments["subthread_id"]}
    return comments.assign(**{name: prefix + column for name, column in id_columns.items()})


def combine(corpora: Iterable[Corpus]) -> Corpus:
    """One Corpus from several; comment ids are prefixed with their thread id only if they clash."""
    corpora = _unique_thread_ids(list(corpora))
    if len(corpora) == 1:
        return corpora[0]
    all_ids = pd.concat([c.comments["comment_id"] for c in corpora])
    comments = [c.comments for c in corpora]
    if all_ids.duplicated().any():
        comments = [_prefix_ids(frame) for frame in comments]
    counts = [c.records for c in corpora]
    return Corpus(
        comments=pd.concat(comments, ignore_index=True),
        threads=pd.concat([c.threads for c in corpora], ignore_index=True),
        skipped=pd.concat([c.skipped for c in corpora], ignore_index=True),
        records=None if None in counts else sum(counts),
    )


#: How many of an input's problems (skipped records, blanked values) are reported one by one;
#: the rest are counted in one line.
_PROBLEMS_SHOWN = 5


@collector_paused
def read_corpus(paths: Path | str | Iterable[Path | str | tuple[Path | str, Path | str]], format: str | None = None,
                *, strict: bool = False, **options: object) -> Corpus:
    """Read one or more files into one Corpus (see :func:`read_comments`).

    Thread ids two files share get a suffix ("-2"), so every thread stays apart.  A record that
    cannot be read (not JSON, over :data:`~discourse.readers._io.MAX_RECORD_BYTES`) is skipped and
    a value that cannot be (NaN, a time out of range) blanked, each reported as an
    :class:`~discourse.readers._io.InputWarning` (logged: the first few, then a count).

    Parameters
    ----------
    paths : path or iterable of paths
        Input files (or ConvoKit corpus folders).
    format : str, optional
        A name from :data:`READERS`, for every file; detected per file when None.
    strict : bool, default False
        Make the first skipped record or blanked value a FormatError instead.
    columns : dict, optional
        For CSV and JSON Lines tables of one's own: their column (field) names mapped to
        discourse's, ``{"id": "comment_id", "parent": "parent_id", "user": "author", "body": "text"}``
        (any column of :data:`discourse.readers.table.MAPPABLE`, or ``meta_NAME``), as
        ``--columns id=comment_id,...`` does.  CSV headers with the usual names (``id``,
        ``parent``, ``user``, ``body``, ...: :data:`~discourse.readers.table.COMMON_HEADERS`) need none.
    **options
        Passed to each format's reader.

    Returns
    -------
    Corpus
        The comments of every file in one table, with their threads and skipped records.

    Raises
    ------
    DiscourseError
        No paths given, or a file cannot be read (see :func:`read_comments`).

    Examples
    --------
    >>> from discourse import SAMPLE
    >>> corpus = read_corpus([SAMPLE])
    >>> int((~corpus.comments["is_placeholder"]).sum())
    43
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    if not paths:
        raise DiscourseError("no input files given")
    if options.get("columns"):
        options["columns"] = checked_mapping(options["columns"])
    if format in (None, "stackexchange"):
        paths = stackexchange_groups(paths)
    with reported_problems(strict):
        corpus = _without_huge_texts(combine(read_comments(path, format, **options) for path in paths))
        corpus = dataclasses.replace(corpus, comments=mark_text_status(corpus.comments))
    return _names_in_nfc(corpus)


@contextmanager
def reported_problems(strict: bool = False) -> Iterator[None]:
    """Around reading: each record's problem (an :class:`InputWarning`) ends the reading as its
    error under ``strict``; else the problems are logged once the block ends, one by one up to
    ``_PROBLEMS_SHOWN``, then a count (not as Python's warnings, with their source lines)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("error" if strict else "always", InputWarning)
        try:
            yield
        except InputWarning as problem:
            raise problem.error from None
    _report(caught)


def _without_huge_texts(corpus: Corpus) -> Corpus:
    """Comment texts over :data:`~discourse.readers._io.MAX_RECORD_BYTES` characters (a whole-document
    format has no line to skip) left out, each reported; the comment keeps its place in the tree."""
    texts = corpus.comments["text"]
    huge = texts.str.len() > _io.MAX_RECORD_BYTES
    if not huge.any():
        return corpus
    files = dict(zip(corpus.threads["thread_id"], corpus.threads["source_path"]))
    for row in corpus.comments.loc[huge, ["comment_id", "thread_id"]].itertuples():
        note(f"comment {row.comment_id!r} holds {len(texts[row.Index]):,} characters, more than the "
             f"{_io.MAX_RECORD_BYTES:,} a comment may hold", "its text left out", path=files.get(row.thread_id))
    return dataclasses.replace(corpus, comments=corpus.comments.assign(text=texts.where(~huge, "")))


def _names_in_nfc(corpus: Corpus) -> Corpus:
    """Author names in Unicode NFC, so "José" typed as one character or as "e" and an accent is one
    commenter (and one name mentions are matched against); other columns stay as read."""
    names = [corpus.comments["author"], corpus.threads["post_author"]]
    if all(name.isascii() for column in names for name in column.dropna().tolist()):
        return corpus
    def nfc(column: pd.Series) -> pd.Series:
        return column.map(lambda name: unicodedata.normalize("NFC", name), na_action="ignore").astype(column.dtype)
    return dataclasses.replace(corpus, comments=corpus.comments.assign(author=nfc(corpus.comments["author"])),
                               threads=corpus.threads.assign(post_author=nfc(corpus.threads["post_author"])))


def _report(caught: list[warnings.WarningMessage]) -> None:
    """Warn again what reading warned: an input's problems one by one up to ``_PROBLEMS_SHOWN``, then a count."""
    problems = [w for w in caught if issubclass(w.category, InputWarning)]
    for w in caught:
        if not issubclass(w.category, InputWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, source=w.source)
    for problem in problems[:_PROBLEMS_SHOWN]:
        _log.warning("%s", problem.message)
    if len(problems) > _PROBLEMS_SHOWN:
        _log.warning("... and %s more problems like these (skipped records are listed in the report)",
                     f"{len(problems) - _PROBLEMS_SHOWN:,}")
