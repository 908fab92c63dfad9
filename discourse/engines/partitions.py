"""Partitions of whole threads, and each partition read as :func:`~discourse.read_corpus` reads a file.

A thread never splits: every reply, mention and quote, every placeholder, depth and subthread
lies inside one thread, so a partition of whole threads can run discourse's own functions
unchanged.  Two kinds of partition:

- a file read whole by its reader (every format; threads never span files, since
  :func:`~discourse.read_corpus` keeps two files' threads apart);
- a *bucket* of one big JSON Lines file: the file is streamed once, line by line, and each line
  appended to one of N bucket files by a stable hash of its ``thread_id``
  (:func:`route_lines`), with the line's number in the file beside it.  A bucket is then read by
  the JSON Lines parser with the lines at their original numbers (a skipped line, a warning, an
  error name the input file and its line), so it reads exactly as its lines would in the file.

Each comment gets a *position*: where the default engine's comments table has it (the file's
order, then its rows; for a bucket, twice the line number, a placeholder one less than its first
reply's).  Positions order the commenters (by first comment) and the edge records as the
default engine does, so the graph and its measures are the same.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
import zlib
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import DiscourseError
from ..model.corpus import Corpus
from ..model.deleted import mark_text_status
from ..readers import _io, read_comments, detect_format
from ..readers import _names_in_nfc, _report, _without_huge_texts
from ..readers._io import InputWarning, encoding_of
from ..readers.jsonl import loads, parse_jsonl

__all__ = ["Partition", "plan_partitions", "route_lines", "read_partition", "POSITION_STRIDE"]

#: Positions of file ``f`` start at ``f * POSITION_STRIDE`` (2**40: a trillion rows a file).
POSITION_STRIDE = 2 ** 40


@dataclass(frozen=True)
class Partition:
    """One partition: a whole file (``lines`` None), or a bucket of one (its lines file and numbers)."""

    file_index: int
    path: str                      # the input file, as given
    format: str | None
    bucket: int = -1
    lines: str | None = None       # the bucket's lines (bytes, one record a line)
    numbers: str | None = None     # the bucket's line numbers in ``path`` (.npy, int64)


def _thread_key(raw: bytes, field: str) -> bytes:
    """The bytes a line's thread is hashed by: its ``field`` value as text (b"" when absent or unreadable:
    those lines all go to one bucket, where the reader meets them as it would in the file)."""
    try:
        record = loads(raw)
    except ValueError:
        return b""
    if not isinstance(record, dict):
        return b""
    value = record.get(field)
    return b"" if value is None else str(value).strip().encode("utf-8", "surrogatepass")


def route_lines(path: str | Path, n_buckets: int, folder: str | Path, *, thread_field: str = "thread_id",
                file_index: int = 0, format: str | None = "jsonl") -> list[Partition]:
    """Stream ``path`` once and split its lines into ``n_buckets`` files in ``folder`` by a stable
    hash (CRC-32) of each line's ``thread_field``; returns the non-empty buckets as partitions.

    Never holds the file: lines are appended to buffered bucket files as they are read, and only
    each line's number (8 bytes) is kept until the end.  Blank lines are left out (the reader
    skips them too).  A line longer than :data:`~discourse.readers._io.MAX_RECORD_BYTES` goes to
    bucket 0 unparsed, for the reader to report.
    """
    folder = Path(folder)
    handles = [open(folder / f"bucket-{file_index}-{b:05d}.jsonl", "wb", buffering=1 << 20) for b in range(n_buckets)]
    numbers = [array("q") for _ in range(n_buckets)]  # 8 bytes a line
    try:
        with open(path, "rb") as source:
            for number, raw in enumerate(source, start=1):
                if not raw.strip():
                    continue
                if number == 1:
                    raw = _io.strip_bom(raw)
                if len(raw) > _io.MAX_RECORD_BYTES:
                    bucket = 0
                else:
                    bucket = zlib.crc32(_thread_key(raw, thread_field)) % n_buckets
                handles[bucket].write(raw if raw.endswith(b"\n") else raw + b"\n")
                numbers[bucket].append(number)
    finally:
        for handle in handles:
            handle.close()
    partitions = []
    for bucket, found in enumerate(numbers):
        lines = folder / f"bucket-{file_index}-{bucket:05d}.jsonl"
        if not found:
            lines.unlink()
            continue
        where = folder / f"bucket-{file_index}-{bucket:05d}.npy"
        np.save(where, np.frombuffer(found, dtype=np.int64))
        partitions.append(Partition(file_index, str(path), format, bucket, str(lines), str(where)))
    return partitions


def _bucketable(path: Path, format: str | None, columns: dict[str, str] | None) -> bool:
    """Whether ``path`` is streamed into buckets: a UTF-8 JSON Lines table (other formats and
    encodings are read whole, as one partition)."""
    if not path.is_file():
        return False
    with path.open("rb") as handle:
        head = handle.read(4)
    if encoding_of(head) != "utf-8" or head.startswith(b"\xef\xbb\xbf"):
        return False
    try:
        name = format or detect_format(path)
    except DiscourseError:
        return False
    return name == "jsonl"


#: A big JSON Lines file gets at least one bucket per this many bytes (about 200,000 comments of
#: the synthetic corpora), so a partition's tables stay a few hundred MB whatever the file's size.
BUCKET_BYTES = 64 * 2 ** 20


def plan_partitions(paths: list[str | Path], folder: str | Path, *, n_buckets: int, format: str | None = None,
                    columns: dict[str, str] | None = None, bucket_from: int = 0) -> list[Partition]:
    """The partitions of ``paths``: each JSON Lines file of at least ``bucket_from`` bytes streamed
    into ``n_buckets`` buckets in ``folder`` (:func:`route_lines`; more for a file over
    ``n_buckets`` x :data:`BUCKET_BYTES`), every other file one partition."""
    partitions = []
    for index, path in enumerate(paths):
        path = Path(path)
        if n_buckets > 1 and _bucketable(path, format, columns) and path.stat().st_size >= bucket_from:
            field = next((name for name, target in (columns or {}).items() if target == "thread_id"), "thread_id")
            n = max(n_buckets, math.ceil(path.stat().st_size / BUCKET_BYTES))
            partitions += route_lines(path, n, folder, thread_field=field, file_index=index)
        else:
            partitions.append(Partition(index, str(path), format))
    return partitions


def _padded(lines: str, numbers: np.ndarray) -> Iterator[bytes]:
    """The bucket's lines at their line numbers in the input: blank lines fill the gaps (the
    reader numbers lines as it meets them and passes blank ones by)."""
    previous = 0
    with open(lines, "rb") as handle:
        for number, raw in zip(numbers.tolist(), handle):
            yield from repeat(b"", number - previous - 1)
            previous = number
            yield raw


def _bucket_corpus(partition: Partition, columns: dict[str, str] | None) -> tuple[Corpus, np.ndarray]:
    """A bucket read by the JSON Lines parser at its lines' numbers; and each row's position."""
    numbers = np.load(partition.numbers)
    corpus = parse_jsonl(_padded(partition.lines, numbers), columns=columns, source_path=Path(partition.path))
    skipped_lines = {int(r.split()[1]) for r in corpus.skipped["record"].dropna() if str(r).startswith("line ")}
    kept = numbers[~np.isin(numbers, list(skipped_lines))] if skipped_lines else numbers
    placeholder = corpus.comments["is_placeholder"].to_numpy(dtype=bool)
    if (~placeholder).sum() != len(kept):  # the parser keeps one row per line it does not skip
        raise DiscourseError(f"{partition.path}: bucket {partition.bucket} read {(~placeholder).sum()} comments "
                             f"from {len(kept)} lines; the partition cannot be placed")
    position = np.empty(len(placeholder), dtype=np.int64)
    position[~placeholder] = 2 * kept
    # A placeholder stands just before its first reply, which is the next real row.
    after = np.minimum(np.searchsorted(np.flatnonzero(~placeholder), np.flatnonzero(placeholder)), len(kept) - 1)
    position[placeholder] = 2 * kept[after] - 1
    return corpus, position


def read_partition(partition: Partition, *, strict: bool = False, columns: dict[str, str] | None = None,
                   **options: Any) -> tuple[Corpus, np.ndarray]:
    """The partition's :class:`Corpus`, read as :func:`~discourse.read_corpus` reads one file
    (huge texts left out, text status marked, names in NFC, problems warned), and each comment's
    position (int64, see the module docstring)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("error" if strict else "always", InputWarning)
        try:
            if partition.lines is None:
                corpus = read_comments(partition.path, partition.format, columns=columns, **options)
                position = 2 * np.arange(len(corpus.comments), dtype=np.int64)
            else:
                corpus, position = _bucket_corpus(partition, columns)
            corpus = _without_huge_texts(corpus)
            corpus = dataclasses.replace(corpus, comments=mark_text_status(corpus.comments))
        except InputWarning as problem:
            raise problem.error from None
    _report(caught)
    return _names_in_nfc(corpus), position + partition.file_index * POSITION_STRIDE


def id_hashes(ids: pd.Series) -> np.ndarray:
    """64-bit hashes of comment ids, to find an id two partitions share without gathering the ids."""
    return pd.util.hash_array(ids.to_numpy(dtype=object)).astype(np.uint64)


def thread_order(comments: pd.DataFrame, position: np.ndarray) -> pd.DataFrame:
    """Each thread id with the position of its first row (threads as a file's reader lists them)."""
    frame = pd.DataFrame({"thread_id": comments["thread_id"].to_numpy(dtype=object), "position": position})
    return frame.groupby("thread_id", sort=False)["position"].min().reset_index()

