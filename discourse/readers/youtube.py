"""YouTube: Data API v3 ``commentThreads`` and ``comments`` list responses, and yt-dlp's ``.info.json``.

- API (``part=snippet,replies``): a page is ``{"kind": "youtube#commentThreadListResponse",
  "items": [...]}``; each thread item holds ``snippet.topLevelComment`` and up to five
  ``replies.comments`` with ``snippet.parentId``; ``comments.list`` pages hold the replies of one
  thread (``youtube#commentListResponse``).  A file is one page, a JSON array of pages, or one
  page a line; pages may overlap (a comment seen again is listed as skipped).
- yt-dlp (``--write-comments``): one video's info dict with ``comments``: ``id``, ``parent``
  ("root" for a top-level comment), ``author``, ``text``, ``timestamp``, ``author_is_uploader``.

One thread per video (``videoId``); the video is the thread's post and the channel owner its
author: comments from the video's channel (``authorChannelId`` equal to the thread's
``channelId``, or yt-dlp's ``author_is_uploader``) are marked ``is_post_author``.  YouTube keeps
replies one level deep, so a reply opening with "@name" of a commenter of the thread is also an
inferred reply to that commenter (``addressee``), as YouTube Data Tools rebuilds its chains.
Texts are ``textOriginal`` (plain), or ``textDisplay`` HTML made plain.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..exceptions import FormatError
from ._io import read_text_file
from ._markup import html_to_text
from ._social import add_addressees, json_values, require
from ._records import none_read, one_record
from .jsonl import author_or_none, corpus_from_rows, describe, guarded, id_or_none, json_documents

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from ..model.corpus import Corpus

__all__ = ["parse_youtube", "read_youtube", "looks_like_youtube", "parse_ytdlp", "read_ytdlp", "looks_like_ytdlp"]

NAME = "youtube"
YTDLP_NAME = "yt-dlp"

_WATCH = "https://www.youtube.com/watch?v="
_EXPECTED = "YouTube Data API commentThreads or comments list responses (objects with 'kind' and 'items')"


def _snippet(comment: Any, path: Path | str | None, record: str) -> dict[str, Any]:
    require(comment, dict, "a youtube#comment object", path, record)
    return require(comment.get("snippet"), dict, "a youtube#comment with a 'snippet' object", path,
                   comment.get("id", record))


def _comment_row(comment: Any, video_id: str | None, parent_id: str | None, path: Path | str | None,
                 record: str) -> dict[str, Any]:
    snippet = _snippet(comment, path, record)
    if "id" not in comment:
        raise FormatError(f"expected a youtube#comment with an 'id'; found {describe(comment)}", path=path, record=record)
    text = snippet.get("textOriginal")
    if text is None:
        text = html_to_text(snippet.get("textDisplay"), path=path, record=str(comment["id"]))
    channel = snippet.get("authorChannelId")
    return {"comment_id": str(comment["id"]), "thread_id": id_or_none(snippet.get("videoId")) or video_id,
            "parent_id": parent_id if parent_id is not None else snippet.get("parentId"),
            "author": author_or_none(snippet.get("authorDisplayName")), "created_at": snippet.get("publishedAt"),
            "text": str(text), "source": NAME, "meta_likes": snippet.get("likeCount"),
            "meta_author_channel_id": channel.get("value") if isinstance(channel, dict) else channel,
            "_channel": snippet.get("channelId")}


def _items(values: Iterable[tuple[str, Any]], path: Path | str | None) -> Iterator[tuple[str, Any]]:
    """(page label, item) of every page's ``items``; a bare item or a list of items is a page too."""
    for page, value in values:
        pages = value if isinstance(value, list) else [value]  # a page a line may itself be a list
        for index, one in enumerate(pages, start=1):
            label = f"{page}.{index}" if isinstance(value, list) else page
            require(one, dict, _EXPECTED, path, label)
            if "items" in one:
                yield from ((label, item) for item in require(one["items"], list, "'items' to be a list", path, label))
            elif str(one.get("kind", "")).startswith("youtube#comment"):
                yield label, one
            else:
                raise FormatError(f"expected {_EXPECTED}; found {describe(one)}", path=path, record=label)


@guarded
def parse_youtube(text_or_lines: str | Iterable[str | bytes], *, source_path: Path | str | None = None) -> Corpus:
    """Parse YouTube Data API comment list responses into a :class:`~discourse.model.corpus.Corpus`.

    Examples
    --------
    >>> page = ('{"kind": "youtube#commentThreadListResponse", "items": [{"kind": "youtube#commentThread", '
    ...         '"snippet": {"videoId": "v1", "topLevelComment": {"id": "c1", "snippet": {"videoId": "v1", '
    ...         '"authorDisplayName": "@ann", "textOriginal": "hi", "publishedAt": "2024-01-01T00:00:00Z"}}}}]}')
    >>> parse_youtube(page).comments[["comment_id", "thread_id", "author"]].values.tolist()
    [['c1', 'v1', '@ann']]
    """
    where = str(source_path) if source_path else None
    default_video = Path(source_path).stem if source_path else "video"
    rows, skipped, seen, records, declared, owners, bad = [], [], set(), 0, {}, {}, []

    def add(row: dict[str, Any], record: str) -> None:
        nonlocal records
        records += 1
        if row["comment_id"] in seen:
            skipped.append((where, record, f"comment {row['comment_id']} appears again"))
            return
        seen.add(row["comment_id"])
        rows.append(row)

    thread_of = {}  # top-level comment id -> video id, for replies (comments.list) that do not say
    unread = []  # lines of one page a line that are no JSON object: records, skipped
    for page, item in _items(json_values(text_or_lines, source_path, name="page", expected="a YouTube API response page",
                                         documents=_EXPECTED, skipped=unread), source_path):
        record = f"{page}, item {item.get('id', '?') if isinstance(item, dict) else '?'}"
        with one_record(skipped, source_path, record=record, failures=bad) as reading:  # one bad item costs it
            kind = item.get("kind", "youtube#commentThread" if "snippet" in item and isinstance(
                item["snippet"], dict) and "topLevelComment" in item["snippet"] else "youtube#comment")
            if kind == "youtube#commentThread":
                snippet = require(item.get("snippet"), dict, "a commentThread with a 'snippet'", source_path, record)
                video = id_or_none(snippet.get("videoId")) or default_video
                if snippet.get("channelId"):
                    owners.setdefault(video, snippet["channelId"])
                top = _comment_row(snippet.get("topLevelComment"), video, None, source_path, record)
                top["parent_id"] = None
                thread_of[top["comment_id"]] = top["thread_id"]
                add(top, record)
                if snippet.get("totalReplyCount") is not None:
                    declared[top["thread_id"]] = declared.get(top["thread_id"], 0) + 1 + int(snippet["totalReplyCount"])
                replies = (item.get("replies") or {}).get("comments") or []
                for reply in require(replies, list, "'replies.comments' to be a list", source_path, record):
                    add(_comment_row(reply, top["thread_id"], top["comment_id"], source_path, record), record)
            elif kind == "youtube#comment":
                row = _comment_row(item, None, None, source_path, record)
                row["thread_id"] = row["thread_id"] or thread_of.get(row["parent_id"]) or default_video
                if row["parent_id"] is None:
                    thread_of[row["comment_id"]] = row["thread_id"]
                add(row, record)
            else:
                records += 1
                skipped.append((where, record, f"not a comment (kind {kind!r})"))
        records += reading.failed
    if bad and not rows:
        none_read(bad, source_path)
    for row in rows:  # replies listed before their thread's top comment (pages in any order)
        if row["thread_id"] == default_video and row["parent_id"] in thread_of:
            row["thread_id"] = thread_of[row["parent_id"]]
        channel = row.pop("_channel")
        if channel:
            owners.setdefault(row["thread_id"], channel)
    return _youtube_corpus(rows, owners, declared, unread + skipped, source_path, records + len(unread), titles={})


def _youtube_corpus(rows: list[dict[str, Any]], owners: dict[str, str], declared: dict[str, int | None],
                    skipped: list[tuple[str | None, str, str]], source_path: Path | str | None, records: int, *,
                    titles: dict[str, str | None], post_authors: dict[str, str] | None = None) -> Corpus:
    """Mark the channel owner's comments, find who replies address, and build the Corpus."""
    post_authors = dict(post_authors or {})
    for row in rows:
        owner = owners.get(row["thread_id"])
        if "is_post_author" not in row:
            row["is_post_author"] = owner is not None and row.get("meta_author_channel_id") == owner
        if row["is_post_author"] and row["author"]:
            post_authors.setdefault(row["thread_id"], row["author"])
    add_addressees(rows)
    threads = [{"thread_id": video, "title": titles.get(video), "url": _WATCH + video,
                "post_author": post_authors.get(video), "declared_comments": declared.get(video),
                "source_path": str(source_path) if source_path else None}
               for video in dict.fromkeys(row["thread_id"] for row in rows)]
    return corpus_from_rows(rows, threads, skipped, source_path, records)


def read_youtube(path: Path | str) -> Corpus:
    """Read YouTube Data API comment list responses from ``path`` (see :func:`parse_youtube`)."""
    path = Path(path)
    return parse_youtube(read_text_file(path), source_path=path)


def looks_like_youtube(head: str) -> bool:
    """JSON naming a YouTube comment kind (``youtube#commentThread...``, ``youtube#comment...``)."""
    text = head.lstrip("\ufeff").lstrip()
    return text[:1] in ("{", "[") and re.search(r'"kind"\s*:\s*"youtube#comment', head) is not None


@guarded
def parse_ytdlp(text: str | bytes, *, source_path: Path | str | None = None) -> Corpus:
    """Parse a yt-dlp ``.info.json`` written with ``--write-comments`` into a Corpus."""
    info = require(json_documents(text, source_path, expected="a yt-dlp info dict",
                                  documents="a yt-dlp .info.json")[0], dict, "a yt-dlp info dict (a JSON object)",
                   source_path)
    comments = info.get("comments")
    if not isinstance(comments, list):
        raise FormatError("expected a yt-dlp .info.json written with --write-comments; it has no 'comments' list",
                          path=source_path)
    video = str(info.get("id") or (Path(source_path).stem if source_path else "video"))
    where = str(source_path) if source_path else None
    rows, skipped, seen, bad = [], [], set(), []
    for number, comment in enumerate(comments, start=1):
        record = f"comment {number}"
        with one_record(skipped, source_path, record=record, failures=bad):  # one bad comment costs it
            require(comment, dict, "a yt-dlp comment object", source_path, record)
            if "id" not in comment:
                raise FormatError(f"expected a yt-dlp comment with 'id' and 'text'; found {describe(comment)}",
                                  path=source_path, record=record)
            comment_id = str(comment["id"])
            if comment_id in seen:
                skipped.append((where, record, f"comment {comment_id} appears again"))
                continue
            seen.add(comment_id)
            parent = comment.get("parent")
            rows.append({"comment_id": comment_id, "thread_id": video,
                         "parent_id": None if parent in (None, "", "root") else str(parent),
                         "author": author_or_none(comment.get("author")), "created_at": comment.get("timestamp"),
                         "text": str(comment.get("text") or ""), "source": YTDLP_NAME,
                         "is_post_author": bool(comment.get("author_is_uploader")),
                         "meta_likes": comment.get("like_count"), "meta_author_channel_id": comment.get("author_id"),
                         "meta_pinned": bool(comment.get("is_pinned"))})
    if bad and not rows:
        none_read(bad, source_path)
    uploader = author_or_none(info.get("uploader") or info.get("channel"))
    return _youtube_corpus(rows, {}, {video: info.get("comment_count")}, skipped, source_path, len(comments),
                           titles={video: info.get("title")}, post_authors={video: uploader} if uploader else None)


def read_ytdlp(path: Path | str) -> Corpus:
    """Read a yt-dlp ``.info.json`` from ``path`` (see :func:`parse_ytdlp`)."""
    path = Path(path)
    return parse_ytdlp(read_text_file(path), source_path=path)


def looks_like_ytdlp(head: str) -> bool:
    """A JSON object with yt-dlp's info-dict fields (its ``formats`` list or ``extractor_key``)."""
    text = head.lstrip("\ufeff").lstrip()
    if not text.startswith("{"):
        return False
    return re.search(r'"extractor_key"\s*:', text) is not None or (
        re.search(r'"format_id"\s*:', text) is not None and re.search(r'"formats"\s*:', text) is not None) or (
        re.search(r'"comments"\s*:\s*\[', text) is not None and re.search(r'"author_is_uploader"\s*:', text) is not None)
