"""Reddit: a thread's JSON (the ``.json`` of a comments page) and comment dumps (one JSON object a line).

Thread JSON is ``[submission listing, comment listing]``; each comment (kind ``t1``) nests its
replies in ``replies`` ("" when it has none).  ``more`` stubs stand for comments the page did not
load: they are not comments, so each is listed in ``Corpus.skipped`` with its count.

Dumps (Pushshift, Arctic Shift) hold comments of many submissions, thread = ``link_id``; a reply
whose parent is not in the file gets a placeholder parent.  ``.zst`` dumps need ``zstandard``.
Arctic Shift's ``_meta`` (``removal_type``, ``was_deleted_later``, ``was_initially_deleted``,
``is_edited``) is kept as ``meta_*`` columns.
Bodies are Markdown with ``&amp; &lt; &gt;`` escaped; they are unescaped, not rendered.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from ..exceptions import DiscourseError, FormatError
from ._io import Lines, read_text_file, split_lines
from ._records import one_record
from .jsonl import (author_or_none, corpus_from_rows, describe, guarded, invalid_json, iter_json_lines,
                    load_document, no_record_read, skip_line)

if TYPE_CHECKING:
    from collections.abc import Iterable

    import zstandard

    from ..model.corpus import Corpus

NAME = "reddit"
DUMP_NAME = "reddit-dump"

_SITE = "https://www.reddit.com"
#: The zstandard magic number 28 B5 2F FD as detect_format decodes it (invalid UTF-8 -> U+FFFD).
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_ZSTD_MAGIC_AS_TEXT = _ZSTD_MAGIC.decode("utf-8", errors="replace")


def _strip_kind(fullname: object) -> str | None:
    """'t1_abc' -> 'abc'; ids without a kind prefix are kept as they are."""
    if not fullname:
        return None
    return re.sub(r"^t\d_", "", str(fullname))


def _comment_row(data: dict[str, Any], source: str, thread_id: str | None = None) -> dict[str, Any]:
    parent = data.get("parent_id")
    row = {
        "comment_id": str(data["id"]),
        "thread_id": thread_id or _strip_kind(data.get("link_id")),
        # A top-level comment replies to the submission (t3_), which is the thread, not a comment.
        "parent_id": None if not parent or str(parent).startswith("t3_") else _strip_kind(parent),
        "author": author_or_none(data.get("author")),
        "created_at": data.get("created_utc"),
        "text": html.unescape(data.get("body") or ""),
        "source": source,
        "meta_score": data.get("score"),
        "meta_subreddit": data.get("subreddit"),
        "meta_url": _SITE + str(data["permalink"]) if data.get("permalink") else None,
    }
    if "is_submitter" in data:
        row["is_post_author"] = bool(data["is_submitter"])
    meta = data.get("_meta")
    if isinstance(meta, dict):  # Arctic Shift: what became of the comment after it was archived
        row["meta_removal_type"] = meta.get("removal_type")
        row["meta_was_deleted_later"] = bool(meta.get("was_deleted_later"))
        row["meta_was_initially_deleted"] = bool(meta.get("was_initially_deleted"))
        row["meta_edited"] = bool(meta.get("is_edited", data.get("edited")))
    return row


def _thread_row(data: dict[str, Any], source_path: Path | str | None) -> dict[str, Any]:
    return {
        "thread_id": str(data["id"]),
        "title": html.unescape(str(data.get("title") or "")) or None,
        "url": _SITE + str(data["permalink"]) if data.get("permalink") else data.get("url"),
        "post_author": author_or_none(data.get("author")),
        "declared_comments": data.get("num_comments"),
        "source_path": str(source_path) if source_path else None,
    }


def _listings(document: Any, path: Path | str | None) -> list[dict[str, Any]]:
    """The listings of a thread document, checked: a list of ``{"kind": "Listing", ...}``."""
    listings = document if isinstance(document, list) else [document]
    for index, listing in enumerate(listings, start=1):
        if not (isinstance(listing, dict) and listing.get("kind") == "Listing"
                and isinstance(listing.get("data"), dict) and isinstance(listing["data"].get("children"), list)):
            raise FormatError("expected Reddit thread JSON: a list [submission listing, comment listing] of "
                              f"{{'kind': 'Listing', 'data': {{'children': [...]}}}}; found {describe(listing)}",
                              path=path, record=f"listing {index}")
    return listings


@guarded
def parse_reddit(text: str | bytes, *, source_path: Path | str | None = None) -> Corpus:
    """Parse a Reddit thread's JSON (text or bytes) into a :class:`~discourse.model.corpus.Corpus`."""
    try:
        document = load_document(text, source_path)
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        raise FormatError(f"expected Reddit thread JSON; found {invalid_json(exc)}", path=source_path,
                          line=line) from None
    listings = _listings(document, source_path)
    threads, rows, skipped = [], [], []
    stack = []
    for listing in listings:
        for child in listing["data"]["children"]:
            if isinstance(child, dict) and child.get("kind") == "t3":
                if not isinstance(child.get("data"), dict) or "id" not in child["data"]:
                    raise FormatError(f"expected a t3 submission with 'id' and 'title'; found {describe(child)}",
                                      path=source_path, record="submission")
                threads.append(_thread_row(child["data"], source_path))
            else:
                stack.append(child)
    thread_id = threads[0]["thread_id"] if threads else None
    stack.reverse()  # a stack, so reversed to walk the comments in page order
    records = 0
    while stack:
        child = stack.pop()
        records += 1
        # One bad comment costs it (and the replies it holds), not the thread.
        with one_record(skipped, source_path, record=f"after comment {len(rows)}"):
            data = child.get("data") if isinstance(child, dict) else None
            if not isinstance(data, dict) or "kind" not in child:
                raise FormatError(f"expected a {{'kind': ..., 'data': {{...}}}} item; found {describe(child)}",
                                  path=source_path, record=f"after comment {len(rows)}")
            kind = child["kind"]
            record = data.get("name") or data.get("id") or f"after comment {len(rows)}"
            if kind == "more":
                count = data.get("count") or 0
                skipped.append((str(source_path) if source_path else None, record,
                                f"more stub: {count} comment{'s' if count != 1 else ''} not loaded"))
                continue
            if kind != "t1":
                skipped.append((str(source_path) if source_path else None, record, f"not a comment (kind {kind!r})"))
                continue
            if "id" not in data:
                raise FormatError(f"expected a t1 comment with 'id' and 'body'; found {describe(data)}",
                                  path=source_path, record=record)
            row, replies = _comment_row(data, NAME, thread_id), data.get("replies")
            if isinstance(replies, (dict, list)) and replies:
                replies = [child for listing in _listings(replies, source_path) for child in listing["data"]["children"]]
            elif replies not in (None, "", [], {}):
                raise FormatError(f"expected 'replies' to be a Listing or \"\"; found {describe(replies)}",
                                  path=source_path, record=record)
            rows.append(row)
            stack.extend(reversed(replies or []))
    return corpus_from_rows(rows, threads, skipped, source_path, records)


def read_reddit(path: Path | str) -> Corpus:
    """Read a Reddit thread's JSON from ``path``."""
    path = Path(path)
    return parse_reddit(read_text_file(path), source_path=path)


def looks_like_reddit(head: str) -> bool:
    text = head.lstrip("\ufeff").lstrip()
    return text[:1] in ("[", "{") and re.search(r'"kind"\s*:\s*"Listing"', head) is not None \
        and re.search(r'"kind"\s*:\s*"t[13]"', head) is not None


@guarded
def parse_reddit_dump(lines: str | bytes | Lines | BinaryIO | Iterable[str | bytes], *,
                      source_path: Path | str | None = None) -> Corpus:
    """Parse a comment dump (an iterable of lines, or text) into a Corpus.

    Lines that are submissions (``title`` but no ``body``) fill the threads table; a comment
    seen twice is kept once and the repeat is listed as skipped.
    """
    if isinstance(lines, (str, bytes)):
        lines = split_lines(lines)
    where = str(source_path) if source_path else None
    rows, submissions, skipped, seen, records = [], {}, [], set(), 0
    expected = "a JSON object with 'id', 'parent_id', 'link_id' and 'body'"
    bad = []  # lines that are no JSON object: records, skipped
    for number, record in iter_json_lines(lines, path=source_path, expected=expected, skipped=bad):
        counted = False
        with one_record(skipped, source_path, line=number) as reading:
            if "body" not in record and "title" in record and "id" in record:
                submissions[str(record["id"])] = _thread_row(record, source_path)  # a thread, not a comment record
                continue
            if "id" not in record or "link_id" not in record or "body" not in record:
                skip_line(bad, f"expected {expected}; found {describe(record)}", source_path, number)
                continue
            records, counted = records + 1, True
            if str(record["id"]) in seen:
                skipped.append((where, f"line {number}", f"comment {record['id']} appears again"))
                continue
            seen.add(str(record["id"]))
            rows.append({**_comment_row(record, DUMP_NAME), "_line": number})
        records += reading.failed and not counted  # a line skipped before it was counted
    if bad and not rows and not skipped:
        no_record_read(bad, source_path)
    return corpus_from_rows(rows, list(submissions.values()), bad + skipped, source_path, records + len(bad))


_SKIPPABLE_FRAMES = range(0x184D2A50, 0x184D2A60)


def _zstd_end(path: Path) -> int:
    """Where the last zstandard frame of ``path`` should end, walked from its frame and block headers
    (a few bytes each, so the whole file is not read); FormatError "truncated" when the file ends
    before it.  Decompressing stops quietly at the end of whatever data there is, so a dump cut
    short would otherwise read as a complete, smaller one."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        at = 0
        while at < size:
            handle.seek(at)
            head = handle.read(18)
            magic = int.from_bytes(head[:4], "little")
            if magic in _SKIPPABLE_FRAMES and len(head) >= 8:
                at += 8 + int.from_bytes(head[4:8], "little")
                continue
            if magic != 0xFD2FB528 or len(head) < 5:
                raise FormatError(f"expected zstandard frames; found other data at byte {at:,}", path=path)
            descriptor = head[4]
            single_segment = descriptor >> 5 & 1
            content_size = (1 if single_segment else 0, 2, 4, 8)[descriptor >> 6]
            at += 5 + (0 if single_segment else 1) + (0, 1, 2, 4)[descriptor & 3] + content_size
            last = False
            while not last:
                handle.seek(at)
                block = handle.read(3)
                if len(block) < 3:
                    break
                header = int.from_bytes(block, "little")
                last, kind, length = header & 1, header >> 1 & 3, header >> 3
                at += 3 + (1 if kind == 1 else length)
            at += 4 * (descriptor >> 2 & 1)  # the content checksum
            if not last or at > size:
                raise FormatError(f"expected zstandard-compressed JSON lines; the compressed data is truncated "
                                  f"(the file ends at byte {size:,}, inside a frame that runs to byte {at:,})",
                                  path=path)
    return at


def _open_zstd(path: Path) -> zstandard.ZstdDecompressionReader:
    try:
        import zstandard  # optional: only .zst dumps need it
    except ImportError:
        raise DiscourseError(f"{path}: reading .zst dumps needs the zstandard package "
                             "(pip install zstandard), or decompress the file first") from None
    _zstd_end(path)
    handle = path.open("rb")
    # Pushshift and Arctic Shift dumps are compressed with a long window; the default limit refuses them.
    # Read as it is decompressed, a chunk at a time (see numbered_lines): a line of a gigabyte is passed by.
    return zstandard.ZstdDecompressor(max_window_size=2 ** 31).stream_reader(handle, closefd=True,
                                                                             read_across_frames=True)


def read_reddit_dump(path: Path | str) -> Corpus:
    """Read a comment dump from ``path`` (zstandard-compressed is decompressed on the fly), line by line.

    A line over :data:`~discourse.readers._io.MAX_RECORD_BYTES` (decompressed) is skipped and
    reported, never held whole; a compressed file cut short is an error that says "truncated".
    """
    path = Path(path)
    with path.open("rb") as handle:
        compressed = handle.read(4) == _ZSTD_MAGIC
    if not compressed:
        with Lines(path) as lines:
            return parse_reddit_dump(lines, source_path=path)
    handle = _open_zstd(path)  # says what to install if zstandard is missing
    import zstandard
    try:
        with handle as lines:
            return parse_reddit_dump(lines, source_path=path)
    except zstandard.ZstdError as exc:
        raise FormatError(f"expected zstandard-compressed JSON lines; the compressed data is damaged ({exc})",
                          path=path) from None


def looks_like_reddit_dump(head: str) -> bool:
    """A first line that is a Reddit comment object, or zstandard-compressed data (how dumps ship)."""
    if head.startswith(_ZSTD_MAGIC_AS_TEXT):
        return True
    first = head.lstrip("\ufeff").lstrip().split("\n", 1)[0]
    return first.startswith("{") and all(re.search(f'"{key}"\\s*:', first) for key in ("link_id", "parent_id", "body"))
