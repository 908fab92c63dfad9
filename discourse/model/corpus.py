"""What a reader returns: the comments table plus what it learned about threads and skipped records."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

import pandas as pd

if TYPE_CHECKING:
    from .filters import Filters

__all__ = ["Corpus", "Tally", "tally", "THREAD_COLUMNS", "SKIPPED_COLUMNS", "FILTERED_COLUMNS", "empty_threads",
           "empty_skipped", "empty_filtered", "split_threads", "safe_name"]

#: Columns of ``Corpus.threads``: one row per thread (a post, a Reddit submission, a mail root).
THREAD_COLUMNS = ["thread_id", "title", "url", "post_author", "declared_comments", "source_path"]

#: Columns of ``Corpus.skipped``: records that were read but left out, with the reason.
SKIPPED_COLUMNS = ["source_path", "record", "reason"]

#: Columns of ``Corpus.filtered``: comments read but left out by a filter (:mod:`discourse.model.filters`).
FILTERED_COLUMNS = ["thread_id", "comment_id", "reason"]


def empty_threads() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype="Int64" if name == "declared_comments" else "string")
                         for name in THREAD_COLUMNS})


def empty_skipped() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype="string") for name in SKIPPED_COLUMNS})


def empty_filtered() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype="string") for name in FILTERED_COLUMNS})


@dataclass(frozen=True)
class Corpus:
    """Comments read from one or more sources.

    ``comments`` follows :mod:`discourse.model.schema`; ``threads`` has ``THREAD_COLUMNS``
    (``declared_comments`` is the count the source claims, e.g. "85 comments", when it says);
    ``skipped`` lists every record read but not kept, with its reason (spam, pingback, ...);
    ``records`` is how many comment records the reader met in the input (None when unknown):
    every one is either a comment in ``comments``, a row of ``skipped`` or, once
    :func:`~discourse.model.filters.filter_corpus` has run, a row of ``filtered`` (see :func:`tally`);
    ``filters`` are the filters that made ``filtered`` (None when none ran).
    ``aliases`` maps the names :func:`~discourse.model.names.merge_aliases` merged to the names
    kept, so that the mention search still finds them in the texts.
    """

    comments: pd.DataFrame
    threads: pd.DataFrame = field(default_factory=empty_threads)
    skipped: pd.DataFrame = field(default_factory=empty_skipped)
    records: int | None = None
    aliases: dict[str, str] = field(default_factory=dict, repr=False)
    filtered: pd.DataFrame = field(default_factory=empty_filtered)
    filters: Filters | None = None

    def __repr__(self) -> str:
        """One screen: the counts and the first threads' titles (the tables are in the fields)."""
        comments = self.comments
        placeholders = int(comments["is_placeholder"].sum()) if "is_placeholder" in comments else 0
        authors = comments["author"].nunique() if "author" in comments else 0
        line = (f"Corpus: {len(comments) - placeholders:,} comments" + (f" (+{placeholders:,} placeholders)"
                if placeholders else "") + f" by {authors:,} commenters in {len(self.threads):,} thread(s), "
                f"{len(self.skipped):,} skipped" + (f", {len(self.filtered):,} filtered out" if len(self.filtered) else "")
                + ("" if self.records is None else f", {self.records:,} records read"))
        titles = [f"  {str(row.thread_id)[:40]}" + ("" if pd.isna(row.title) else f": {' '.join(str(row.title).split())[:70]}")
                  for row in self.threads.head(5).itertuples()]
        more = [f"  ... and {len(self.threads) - 5:,} more threads"] if len(self.threads) > 5 else []
        return "\n".join([line, *titles, *more])


class _Counts(NamedTuple):
    read: int
    written: int
    skipped: int


class Tally(_Counts):
    """How the records of an input were accounted for: ``read == written + skipped + filtered`` when
    nothing was lost (``filtered``: left out by :func:`~discourse.model.filters.filter_corpus`).

    ``filtered`` is an attribute beside the tuple (read, written, skipped), so a tally still
    compares equal to that tuple.
    """

    def __new__(cls, read: int, written: int, skipped: int, filtered: int = 0) -> Tally:
        counts = super().__new__(cls, read, written, skipped)
        counts.filtered = filtered
        return counts

    def __repr__(self) -> str:
        return (f"Tally(read={self.read}, written={self.written}, skipped={self.skipped}, "
                f"filtered={self.filtered})")

    @property
    def balanced(self) -> bool:
        return self.read == self.written + self.skipped + self.filtered


def tally(corpus: Corpus) -> Tally:
    """Records read, comments written (placeholders are not comments) and records skipped.

    ``read`` is the count the reader made as it met each record (``Corpus.records``); a reader
    that dropped a record without listing it in ``skipped`` gives an unbalanced tally.  When the
    count is unknown (a Corpus built by hand), ``read`` is ``written + skipped + filtered``.
    """
    comments = corpus.comments
    written = int((~comments["is_placeholder"].astype(bool)).sum()) if "is_placeholder" in comments else len(comments)
    skipped, filtered = len(corpus.skipped), len(corpus.filtered)
    read = written + skipped + filtered if corpus.records is None else int(corpus.records)
    return Tally(read, written, skipped, filtered)


def split_threads(corpus: Corpus) -> dict[str, Corpus]:
    """One Corpus per thread, in order of first appearance: ``{thread_id: Corpus}``."""
    parts = {}
    for thread_id, comments in corpus.comments.groupby("thread_id", sort=False):
        parts[thread_id] = Corpus(
            comments=comments.reset_index(drop=True),
            threads=corpus.threads[corpus.threads["thread_id"] == thread_id].reset_index(drop=True),
            skipped=corpus.skipped,  # skipped records carry no thread; every part reports them all
            aliases=corpus.aliases,
            filtered=corpus.filtered[corpus.filtered["thread_id"] == thread_id].reset_index(drop=True),
            filters=corpus.filters,
        )
    return parts


#: Names Windows reserves for devices in every folder: a folder so named cannot be created there.
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.I)


def safe_name(text: object, *, fallback: str = "thread", max_length: int = 80) -> str:
    """A file-name-safe slug: ASCII letters, digits, '-', '_' and '.', never '..', a path or a device name."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_text).strip("-._")[:max_length].strip("-._")
    return (slug + "_" if _RESERVED.match(slug) else slug) or fallback
