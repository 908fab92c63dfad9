"""Discourse forums: a topic's JSON (``/t/<id>.json``) and its pages (``/t/<id>/posts.json``).

Both hold ``post_stream.posts``: ``id``, ``post_number``, ``reply_to_post_number``, ``username``,
``cooked`` (HTML), ``created_at``, ``topic_id``, ``post_type``.  Post 1 opens the topic: it is the
thread's post and its author the post author, not a comment.  A post whose
``reply_to_post_number`` is empty or 1 answers the topic (top level); one answering a post the
file lacks hangs under a placeholder that knows its author when the post says
(``reply_to_user``).  A file may hold one page, a JSON array of pages, or a page a line; pages of
one topic merge into one thread, a post given twice is kept once (the repeat listed as skipped).
Small-action posts (``post_type`` 3: "closed the topic", "split this topic") are not comments and
are listed as skipped.  Quote boxes (``<aside class="quote" data-username=...>``) become quote
edges to the quoted author.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..exceptions import FormatError
from ._io import read_text_file
from ._markup import html_to_text
from ._social import json_values, placeholder_row, require
from ._records import none_read, one_record
from .jsonl import author_or_none, corpus_from_rows, describe, guarded, id_or_none

if TYPE_CHECKING:
    from ..model.corpus import Corpus
    from collections.abc import Iterable, Iterator

__all__ = ["parse_discourse_forum", "read_discourse_forum", "looks_like_discourse_forum"]

NAME = "discourse-forum"

_EXPECTED = "Discourse topic JSON (an object with 'post_stream': {'posts': [...]})"
_QUOTE_BOX = re.compile(r'<aside[^>]*class="[^"]*\bquote\b[^"]*"[^>]*>', re.I)
_QUOTED_USER = re.compile(r'data-username="([^"]+)"')
_POST_TYPES = {1: "regular", 2: "moderator action", 3: "small action", 4: "whisper"}


def _quoted(cooked: str | None, author: str | None) -> str | None:
    names = [m.group(1) for box in _QUOTE_BOX.finditer(cooked or "") for m in [_QUOTED_USER.search(box.group(0))] if m]
    names = [name for name in dict.fromkeys(names) if name != author]
    return ";".join(names) or None


def _pages(values: Iterable[tuple[str, Any]], path: Path | str | None,
           ) -> Iterator[tuple[str, dict[str, Any], list[Any]]]:
    for record, page in values:
        stream = page.get("post_stream") if isinstance(page, dict) else None
        if not isinstance(stream, dict) or not isinstance(stream.get("posts"), list):
            raise FormatError(f"expected {_EXPECTED}; found {describe(page)}", path=path, record=record)
        yield record, page, stream["posts"]


@guarded
def parse_discourse_forum(text_or_lines: str | Iterable[str | bytes], *, source_path: Path | str | None = None) -> Corpus:
    """Parse Discourse topic JSON (one or several pages) into a :class:`~discourse.model.corpus.Corpus`.

    Comment ids are the posts' ``id``; thread ids the topic ids.

    Examples
    --------
    >>> page = ('{"id": 7, "title": "Hello", "post_stream": {"posts": ['
    ...         '{"id": 70, "post_number": 1, "username": "op", "cooked": "<p>Topic</p>", "created_at": "2024-01-01T00:00:00Z"},'
    ...         '{"id": 71, "post_number": 2, "reply_to_post_number": null, "username": "ann", "cooked": "<p>Hi</p>",'
    ...         ' "created_at": "2024-01-01T01:00:00Z"}]}}')
    >>> corpus = parse_discourse_forum(page)
    >>> corpus.comments["author"].tolist(), corpus.threads["post_author"].tolist()
    (['ann'], ['op'])
    """
    where = str(source_path) if source_path else None
    topics, posts, skipped, records, bad = {}, {}, [], 0, []
    unread = []  # lines of one page a line that are no JSON object: records, skipped
    for page, document, page_posts in _pages(json_values(text_or_lines, source_path, name="page",
                                                         expected="a Discourse page", documents=_EXPECTED,
                                                         skipped=unread), source_path):
        page_topic = id_or_none(document.get("id"))
        if page_topic is not None:
            details = document.get("details") if isinstance(document.get("details"), dict) else {}
            creator = details.get("created_by") if isinstance(details.get("created_by"), dict) else {}
            topic = topics.setdefault(page_topic, {})
            for key, value in (("title", document.get("title")), ("slug", document.get("slug")),
                               ("creator", creator.get("username")), ("posts_count", document.get("posts_count"))):
                if topic.get(key) is None:
                    topic[key] = value
        for index, post in enumerate(page_posts, start=1):
            record, counted = f"{page}, post {index}", False
            with one_record(skipped, source_path, record=record, failures=bad) as reading:  # one bad post costs it
                require(post, dict, "a Discourse post object", source_path, record)
                if "post_number" not in post:
                    raise FormatError(f"expected a Discourse post with 'post_number' and 'cooked'; found "
                                      f"{describe(post)}", path=source_path, record=record)
                topic_id = id_or_none(post.get("topic_id")) or page_topic or (
                    Path(source_path).stem if source_path else "topic")
                topic = topics.setdefault(topic_id, {})
                if topic.get("slug") is None:
                    topic["slug"] = post.get("topic_slug")
                number = int(post["post_number"])
                if number != 1:
                    records, counted = records + 1, True
                key = (topic_id, number)
                if key in posts:
                    if number != 1:
                        skipped.append((where, f"topic {topic_id}, post {number}",
                                        f"post {number} of topic {topic_id} appears again (pages overlap)"))
                    continue
                posts[key] = post
            records += reading.failed and not counted  # a post skipped before it was counted
    rows, threads = [], []
    rank = {topic_id: n for n, topic_id in enumerate(topics)}
    for (topic_id, number), post in sorted(posts.items(), key=lambda item: (rank[item[0][0]], item[0][1])):
        with one_record(skipped, source_path, record=f"topic {topic_id}, post {number}", failures=bad):
            if number == 1:
                topics[topic_id]["opener"] = post
                continue
            post_type = post.get("post_type", 1)
            if post_type == 3:
                skipped.append((where, f"topic {topic_id}, post {number}", "not a comment (a small-action post)"))
                continue
            parent_number = post.get("reply_to_post_number")
            parent_id = None
            if parent_number not in (None, "", 1, "1"):
                parent = posts.get((topic_id, int(parent_number)))
                parent_id = str(parent["id"]) if parent is not None and "id" in parent else f"{topic_id}#{parent_number}"
                if parent is None:
                    user = post.get("reply_to_user") if isinstance(post.get("reply_to_user"), dict) else {}
                    rows.append(placeholder_row(parent_id, topic_id, None, NAME,
                                                author_or_none(user.get("username"))))
            author = author_or_none(post.get("username"))
            rows.append({"comment_id": str(post.get("id", f"{topic_id}#{number}")), "thread_id": topic_id,
                         "parent_id": parent_id, "author": author, "created_at": post.get("created_at"),
                         "text": html_to_text(post.get("cooked"), path=source_path, record=f"post {number}"),
                         "source": NAME, "quoted_authors": _quoted(post.get("cooked"), author),
                         "meta_post_number": number, "meta_post_type": _POST_TYPES.get(post_type, str(post_type)),
                         "meta_deleted": bool(post.get("deleted_at") or post.get("user_deleted")),
                         "meta_likes": next((a.get("count") for a in post.get("actions_summary") or []
                                             if isinstance(a, dict) and a.get("id") == 2), None)})
    if bad and not rows:
        none_read(bad, source_path)
    _drop_duplicate_placeholders(rows)
    for topic_id, topic in topics.items():
        opener = topic.get("opener") or {}
        slug = topic.get("slug") if isinstance(topic.get("slug"), str) else None
        threads.append({"thread_id": topic_id, "title": topic.get("title") or (slug.replace("-", " ") if slug else None),
                        "url": None,  # pages carry no host name
                        "post_author": author_or_none(opener.get("username") or topic.get("creator")),
                        "declared_comments": (topic["posts_count"] - 1) if isinstance(topic.get("posts_count"), int)
                        else None, "source_path": where})
    present = {row["thread_id"] for row in rows}
    return corpus_from_rows(rows, [t for t in threads if t["thread_id"] in present], unread + skipped, source_path,
                            records + len(unread))


def _drop_duplicate_placeholders(rows: list[dict[str, Any]]) -> None:
    """Keep one placeholder per absent post (several replies may answer it)."""
    seen, kept = set(), []
    for row in rows:
        if row.get("is_placeholder"):
            if row["comment_id"] in seen:
                continue
            seen.add(row["comment_id"])
        kept.append(row)
    rows[:] = kept


def read_discourse_forum(path: Path | str) -> Corpus:
    """Read Discourse topic JSON from ``path`` (see :func:`parse_discourse_forum`)."""
    path = Path(path)
    return parse_discourse_forum(read_text_file(path), source_path=path)


def looks_like_discourse_forum(head: str) -> bool:
    """JSON with a ``post_stream`` whose posts have ``post_number`` and ``cooked``."""
    text = head.lstrip("\ufeff").lstrip()
    return text[:1] in ("{", "[") and re.search(r'"post_stream"\s*:', text) is not None \
        and re.search(r'"post_number"\s*:', text) is not None and re.search(r'"cooked"\s*:', text) is not None
