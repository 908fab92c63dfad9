"""4chan: thread JSON from the read-only API (``a.4cdn.org/<board>/thread/<no>.json``: ``{"posts": [...]}``).

Posts have ``no``, ``resto`` (0 for the opening post, else the thread's number), ``time`` (unix
seconds), ``name``, ``trip``, ``id`` (the per-thread poster id on boards that show one), ``sub``
(subject) and ``com`` (HTML).  The opening post is the thread's post, its poster the post author.
Replies are not threaded by the API: a reply's parent is the first post it links to with a
``>>12345`` quote link (``<a href="#p12345" class="quotelink">``) within the thread; a link to the
opening post, or none, makes it top level; each further post it links to is a quote edge to that
post's author (``quoted_authors``).  A link to a post the thread no longer holds (deleted) gives
a placeholder; links into other threads are not replies.

Posters: the tripcode when given ("name !trip"), else the per-thread id ("ID:Ab12Cd34") where
the board shows ids, else a chosen name; "Anonymous" with neither is no known author.  A file
holds one thread, a JSON array of threads, or one a line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..exceptions import FormatError
from ._io import read_text_file
from ._markup import html_to_text
from ._social import json_values, placed_before_replies, placeholder_row, require
from ._records import none_read, one_record
from .jsonl import author_or_none, corpus_from_rows, describe, guarded

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..model.corpus import Corpus

__all__ = ["parse_fourchan", "read_fourchan", "looks_like_fourchan"]

NAME = "4chan"

_EXPECTED = "4chan thread JSON (an object with 'posts': [{'no', 'resto', 'com', ...}])"
_QUOTE_LINK = re.compile(r'<a\s[^>]*href="#p(\d+)"[^>]*>', re.I)


def poster(post: dict[str, Any]) -> str | None:
    """The name a 4chan post is known by in its thread (see the module docstring), or None."""
    name = author_or_none(post.get("name"))
    if name == "Anonymous":
        name = None
    if post.get("trip"):
        return f"{name or ''} {post['trip']}".strip()
    if post.get("id") and post["id"] != "Heaven":  # "Heaven" marks a deleted poster's id
        return f"ID:{post['id']}"
    return name


@guarded
def parse_fourchan(text_or_lines: str | Iterable[str | bytes], *, source_path: Path | str | None = None) -> Corpus:
    """Parse 4chan thread JSON into a :class:`~discourse.model.corpus.Corpus`.

    Examples
    --------
    >>> thread = ('{"posts": [{"no": 1, "resto": 0, "time": 1700000000, "name": "Anonymous", "id": "OPid0000",'
    ...           ' "sub": "Bread", "com": "Best bread?"}, {"no": 2, "resto": 1, "time": 1700000060, "id": "xYz12345",'
    ...           ' "com": "<a href=\\\\"#p1\\\\" class=\\\\"quotelink\\\\">&gt;&gt;1</a><br>Rye"}]}')
    >>> corpus = parse_fourchan(thread)
    >>> corpus.comments[["comment_id", "parent_id", "author", "text"]].values.tolist()
    [['2', None, 'ID:xYz12345', '>>1\\nRye']]
    """
    where = str(source_path) if source_path else None
    rows, threads, skipped, records = [], [], [], 0
    unread = []  # lines of one thread a line that are no JSON object: records, skipped
    for record, thread in json_values(text_or_lines, source_path, name="thread", expected="a 4chan thread",
                                      documents=_EXPECTED, skipped=unread):
        if not isinstance(thread, dict) or not isinstance(thread.get("posts"), list):
            raise FormatError(f"expected {_EXPECTED}; found {describe(thread)}", path=source_path, record=record)
        records += _thread(thread["posts"], rows, threads, skipped, where, source_path, record)
    if skipped and not rows:
        none_read(skipped, source_path)
    return corpus_from_rows(rows, threads, unread + skipped, source_path, records + len(unread))


def _thread(posts: list[dict[str, Any]], rows: list[dict[str, Any]], threads: list[dict[str, Any]],
            skipped: list[tuple[str | None, str, str]], where: str | None, path: Path | str | None, record: str) -> int:
    """Add one thread's rows; returns how many reply records it met."""
    kept, unread = [], 0
    for index, post in enumerate(posts, start=1):
        with one_record(skipped, path, record=f"{record}, post {index}") as reading:  # a post without 'no' costs it
            require(post, dict, "a 4chan post object", path, f"{record}, post {index}")
            if "no" not in post:
                raise FormatError(f"expected a 4chan post with 'no' and 'resto'; found {describe(post)}", path=path,
                                  record=f"{record}, post {index}")
            kept.append(post)
        unread += reading.failed
    posts = kept
    opening = next((post for post in posts if not post.get("resto")), None)
    thread_id = str(opening["no"]) if opening else str(posts[0].get("resto")) if posts else None
    if thread_id is None:
        return unread
    numbers = {str(post["no"]) for post in posts}
    author_of = {str(post["no"]): poster(post) for post in posts}
    if opening is not None:
        threads.append({"thread_id": thread_id, "title": html_to_text(opening.get("sub")) or None, "url": None,
                        "post_author": author_of[thread_id], "declared_comments": opening.get("replies"),
                        "source_path": where})
    placeholders, records, seen = {}, 0, set()
    start = len(rows)
    for post in posts:
        number = str(post["no"])
        if post is opening:
            continue
        records += 1
        with one_record(skipped, path, record=f"post {number}"):  # one bad post costs it, not the thread
            if number in seen:
                skipped.append((where, f"post {number}", f"post {number} appears again"))
                continue
            links = [link for link in dict.fromkeys(_QUOTE_LINK.findall(post.get("com") or "")) if link != number]
            parent = links[0] if links else None
            quoted = [author_of.get(link) for link in links[1:]]
            row = {"comment_id": number, "thread_id": thread_id,
                         "parent_id": None if parent in (None, thread_id) else parent, "author": author_of[number],
                         "created_at": post.get("time"),
                         "text": html_to_text(post.get("com"), path=path, record=f"post {number}"), "source": NAME,
                         "quoted_authors": ";".join(dict.fromkeys(q for q in quoted if q)) or None,
                         "meta_subject": post.get("sub"), "meta_file": (post.get("filename") or "") + (post.get("ext") or "")
                         or None, "meta_country": post.get("country")}
            if parent is not None and parent not in numbers and parent not in placeholders:
                placeholders[parent] = {**placeholder_row(parent, thread_id, None, NAME), "meta_missing": "deleted"}
            seen.add(number)
            rows.append(row)
    rows[start:] = placed_before_replies(rows[start:], placeholders)
    return records + unread


def read_fourchan(path: Path | str) -> Corpus:
    """Read 4chan thread JSON from ``path`` (see :func:`parse_fourchan`)."""
    path = Path(path)
    return parse_fourchan(read_text_file(path), source_path=path)


def looks_like_fourchan(head: str) -> bool:
    """JSON ``posts`` with 4chan's ``no`` and ``resto`` fields."""
    text = head.lstrip("\ufeff").lstrip()
    return text[:1] in ("{", "[") and re.search(r'"posts"\s*:\s*\[', text) is not None \
        and re.search(r'"no"\s*:\s*\d', text) is not None and re.search(r'"resto"\s*:\s*\d', text) is not None
