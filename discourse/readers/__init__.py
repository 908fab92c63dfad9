"""Readers: one module per source family, each turning a file into a :class:`Corpus`.

``READERS`` lists every format: its reader, a content sniffer used by :func:`detect_format`,
and a one-line description for ``discourse formats``.  Sniffers are tried in the order listed,
most specific first.
"""

from pathlib import Path
from typing import Callable, NamedTuple

import pandas as pd

from ..corpus import Corpus
from ..exceptions import DiscourseError, FormatError
from .table import looks_like_csv, read_csv
from .text import looks_like_text, read_text


class Reader(NamedTuple):
    read: Callable
    sniff: Callable[[str], bool]
    description: str


READERS = {
    # -- HTML and XML formats --
    # -- JSON, mail and table formats --
    "csv": Reader(read_csv, looks_like_csv, "CSV table with comments.csv's columns (discourse's own output)"),
    "text": Reader(read_text, looks_like_text, "plain-text copy of a threaded comment section"),
}

_SNIFF_BYTES = 65536


def detect_format(path):
    """Name of the format of ``path``, detected from its content."""
    path = Path(path)
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES).decode("utf-8", errors="replace")
    for name, reader in READERS.items():
        if reader.sniff(head):
            return name
    raise FormatError("could not tell the format from the content; expected one of "
                      f"{', '.join(READERS)} (choose one with --format)", path=path)


def read_comments(path, format=None, **options):
    """Read one file into a Corpus, detecting its format unless ``format`` is given."""
    path = Path(path)
    if not path.is_file():
        raise DiscourseError(f"{path}: no such file")
    name = format or detect_format(path)
    if name not in READERS:
        raise DiscourseError(f"unknown format {name!r}; expected one of {', '.join(READERS)}")
    return READERS[name].read(path, **options)


def _unique_thread_ids(corpora):
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
                            skipped=corpus.skipped)
        renamed.append(corpus)
    return renamed


def _prefix_ids(comments):
    prefix = comments["thread_id"] + "/"
    id_columns = {"comment_id": comments["comment_id"], "parent_id": comments["parent_id"],
                  "subthread_id": comments["subthread_id"]}
    return comments.assign(**{name: prefix + column for name, column in id_columns.items()})


def combine(corpora):
    """One Corpus from several; comment ids are prefixed with their thread id only if they clash."""
    corpora = _unique_thread_ids(list(corpora))
    if len(corpora) == 1:
        return corpora[0]
    all_ids = pd.concat([c.comments["comment_id"] for c in corpora])
    comments = [c.comments for c in corpora]
    if all_ids.duplicated().any():
        comments = [_prefix_ids(frame) for frame in comments]
    return Corpus(
        comments=pd.concat(comments, ignore_index=True),
        threads=pd.concat([c.threads for c in corpora], ignore_index=True),
        skipped=pd.concat([c.skipped for c in corpora], ignore_index=True),
    )


def read_corpus(paths, format=None, **options):
    """Read one or more files into one Corpus (see :func:`read_comments`)."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    if not paths:
        raise DiscourseError("no input files given")
    return combine(read_comments(path, format, **options) for path in paths)
