"""What a reader returns: the comments table plus what it learned about threads and skipped records."""

from dataclasses import dataclass, field

import pandas as pd

#: Columns of ``Corpus.threads``: one row per thread (a post, a Reddit submission, a mail root).
THREAD_COLUMNS = ["thread_id", "title", "url", "post_author", "declared_comments", "source_path"]

#: Columns of ``Corpus.skipped``: records that were read but left out, with the reason.
SKIPPED_COLUMNS = ["source_path", "record", "reason"]


def empty_threads():
    return pd.DataFrame({name: pd.Series(dtype="Int64" if name == "declared_comments" else "string")
                         for name in THREAD_COLUMNS})


def empty_skipped():
    return pd.DataFrame({name: pd.Series(dtype="string") for name in SKIPPED_COLUMNS})


@dataclass(frozen=True)
class Corpus:
    """Comments read from one or more sources.

    ``comments`` follows :mod:`discourse.schema`; ``threads`` has ``THREAD_COLUMNS``
    (``declared_comments`` is the count the source claims, e.g. "85 comments", when it says);
    ``skipped`` lists every record read but not kept, with its reason (spam, pingback, ...).
    """

    comments: pd.DataFrame
    threads: pd.DataFrame = field(default_factory=empty_threads)
    skipped: pd.DataFrame = field(default_factory=empty_skipped)
