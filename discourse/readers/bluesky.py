"""Bluesky: ``app.bsky.feed.getPostThread`` output (``{"thread": threadViewPost}``).

A ``threadViewPost`` holds ``post`` (``uri``, ``author.handle``, ``record.text``,
``record.createdAt``, ``record.reply.parent.uri`` / ``root.uri``), its ``parent`` (the chain of
ancestors) and its nested ``replies``.  ``notFoundPost`` (deleted) and ``blockedPost`` entries
stand where the post was: they become placeholders (a blocked post's author is known only by
its DID, so the placeholder has none).  A file holds one response, a JSON array of them, or one a
line; one thread per root post, posts given twice kept once.

The root post (no ``record.reply``) is the thread's post and its author the post author, not a
comment; its direct replies are top level.  When the response starts below the root (a
``parentHeight`` too small), the root is the post ``record.reply.root.uri`` names and the
highest ancestor the file has hangs under a placeholder for its parent.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..exceptions import FormatError
from ._io import read_text_file
from ._social import json_values, placed_before_replies, placeholder_row, require
from ._records import none_read, one_record
from .jsonl import author_or_none, corpus_from_rows, describe, guarded, malformed

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..model.corpus import Corpus

__all__ = ["parse_bluesky", "read_bluesky", "looks_like_bluesky"]

NAME = "bluesky"

_EXPECTED = "Bluesky getPostThread output (an object with 'thread': a threadViewPost with 'post')"
_VIEW = "app.bsky.feed.defs#threadViewPost"
_MISSING = {"app.bsky.feed.defs#notFoundPost": "not found", "app.bsky.feed.defs#blockedPost": "blocked"}


def _kind(node: dict[str, Any]) -> str | None:
    kind = node.get("$type")
    if kind is None:  # some clients drop $type: tell the kinds apart by their fields
        kind = "app.bsky.feed.defs#notFoundPost" if node.get("notFound") else \
            "app.bsky.feed.defs#blockedPost" if node.get("blocked") else _VIEW if "post" in node else None
    return kind


def _web_url(post: dict[str, Any]) -> str | None:
    handle, uri = (post.get("author") or {}).get("handle"), post.get("uri") or ""
    return f"https://bsky.app/profile/{handle}/post/{uri.rsplit('/', 1)[-1]}" if handle and uri else None


def _reply_refs(post: dict[str, Any]) -> tuple[str | None, str | None]:
    record = post.get("record") if isinstance(post.get("record"), dict) else {}
    reply = record.get("reply") if isinstance(record.get("reply"), dict) else {}
    parent, root = reply.get("parent") or {}, reply.get("root") or {}
    return (_uri(parent.get("uri")) if isinstance(parent, dict) else None), \
        (_uri(root.get("uri")) if isinstance(root, dict) else None)


def _uri(value: object) -> str | None:
    """A post's URI: text, or None for anything else (a list where a URI belongs names no post)."""
    return value if isinstance(value, str) and value else None


@guarded
def parse_bluesky(text_or_lines: str | Iterable[str | bytes], *, source_path: Path | str | None = None) -> Corpus:
    """Parse Bluesky getPostThread output into a :class:`~discourse.model.corpus.Corpus`.

    Examples
    --------
    >>> root = {"uri": "at://did:a/app.bsky.feed.post/1", "author": {"handle": "ann.bsky.social"},
    ...         "record": {"text": "Root", "createdAt": "2024-01-01T00:00:00.000Z"}}
    >>> reply = {"uri": "at://did:b/app.bsky.feed.post/2", "author": {"handle": "bob.bsky.social"},
    ...          "record": {"text": "Hi", "createdAt": "2024-01-01T01:00:00.000Z",
    ...                     "reply": {"parent": {"uri": root["uri"]}, "root": {"uri": root["uri"]}}}}
    >>> import json
    >>> doc = {"thread": {"$type": "app.bsky.feed.defs#threadViewPost", "post": root,
    ...                   "replies": [{"$type": "app.bsky.feed.defs#threadViewPost", "post": reply, "replies": []}]}}
    >>> corpus = parse_bluesky(json.dumps(doc))
    >>> corpus.comments["author"].tolist(), corpus.threads["post_author"].tolist()
    (['bob.bsky.social'], ['ann.bsky.social'])
    """
    where = str(source_path) if source_path else None
    nodes, unread = [], []  # unread: lines of one response a line that are no JSON object (records, skipped)
    for record, response in json_values(text_or_lines, source_path, name="response",
                                        expected="a getPostThread response", documents=_EXPECTED, skipped=unread):
        if not isinstance(response, dict) or not isinstance(response.get("thread"), dict):
            raise FormatError(f"expected {_EXPECTED}; found {describe(response)}", path=source_path, record=record)
        with malformed(source_path, record=record):
            _collect(response["thread"], source_path, record, nodes)
    posts, missing, order, skipped, bad, records = {}, {}, [], [], [], 0
    for node, under, record in nodes:
        with one_record(skipped, source_path, record=record, failures=bad) as reading:  # one bad post costs it
            kind = _kind(node)
            if kind == _VIEW:
                post = require(node.get("post"), dict, "a threadViewPost with a 'post' object", source_path, record)
                uri = post.get("uri")
                if not uri or not isinstance(uri, str):
                    raise FormatError(f"expected a post with a 'uri'; found {describe(post)}", path=source_path,
                                      record=record)
                if uri not in posts:
                    posts[uri] = post
                    order.append(uri)
            elif kind in _MISSING:
                if _uri(node.get("uri")):
                    missing.setdefault(node["uri"], (under, _MISSING[kind]))
            else:
                raise FormatError(f"expected a threadViewPost, notFoundPost or blockedPost; found {describe(node)}",
                                  path=source_path, record=record)
        records += reading.failed
    rows, threads, placeholders = [], {}, {}
    for uri in order:
        post, counted = posts[uri], False
        with one_record(skipped, source_path, record=uri, failures=bad) as reading:
            parent, root = _reply_refs(post)
            author = author_or_none((post.get("author") or {}).get("handle"))
            if parent is None:  # the root: the thread's post
                threads[uri] = {"thread_id": uri, "title": None, "url": _web_url(post), "post_author": author,
                                "declared_comments": post.get("replyCount"), "source_path": where}
                continue
            records, counted = records + 1, True
            thread_id = root or parent
            record = post.get("record") or {}
            rows.append({"comment_id": uri, "thread_id": thread_id, "parent_id": None if parent == thread_id else parent,
                         "author": author, "created_at": record.get("createdAt") or post.get("indexedAt"),
                         "text": str(record.get("text") or ""), "source": NAME, "meta_url": _web_url(post),
                         "meta_likes": post.get("likeCount")})
        records += reading.failed and not counted  # a post skipped before it was counted
    if bad and not rows:
        none_read(bad, source_path)
    thread_of = {row["comment_id"]: row["thread_id"] for row in rows}
    for uri, (under, reason) in missing.items():
        if uri not in posts and under is not None:  # a reply that is gone or hidden: in its place
            thread_id = thread_of.get(under, under)
            placeholders[uri] = {**placeholder_row(uri, thread_id, None if under == thread_id else under, NAME),
                                 "meta_missing": reason}
    for row in rows:  # ancestors the response does not reach, or reaches as notFound/blocked
        parent = row["parent_id"]
        if parent is not None and parent not in posts and parent not in placeholders:
            placeholders[parent] = {**placeholder_row(parent, row["thread_id"], None, NAME),
                                    "meta_missing": missing.get(parent, (None, "not in the response"))[1]}
    ordered = placed_before_replies(rows, placeholders)
    return corpus_from_rows(ordered, list(threads.values()), unread + skipped, source_path, records + len(unread))


def _collect(thread: dict[str, Any], path: Path | str | None, record: str,
             nodes: list[tuple[dict[str, Any], str | None, str]]) -> None:
    """(node, uri it is listed under, record) for the thread's ancestors, itself and its nested replies."""
    chain, node = [], thread
    while isinstance(node, dict):
        chain.append(node)
        node = node.get("parent")
        if node is not None and not isinstance(node, dict):
            raise FormatError(f"expected 'parent' to be a threadViewPost; found {describe(node)}", path=path,
                              record=record)
    for ancestor in reversed(chain[1:]):  # highest first; their own replies are not listed
        nodes.append((ancestor, None, record))
    stack = [(thread, None)]
    while stack:
        node, under = stack.pop()
        require(node, dict, "a threadViewPost, notFoundPost or blockedPost object", path, record)
        nodes.append((node, under, record))
        if _kind(node) == _VIEW:
            replies = require(node.get("replies") or [], list, "'replies' to be a list", path, record)
            post = node.get("post")
            uri = _uri(post.get("uri")) if isinstance(post, dict) else None
            stack.extend((reply, uri) for reply in reversed(replies))


def read_bluesky(path: Path | str) -> Corpus:
    """Read Bluesky getPostThread output from ``path`` (see :func:`parse_bluesky`)."""
    path = Path(path)
    return parse_bluesky(read_text_file(path), source_path=path)


def looks_like_bluesky(head: str) -> bool:
    """JSON with a ``thread`` of Bluesky posts: ``app.bsky.feed`` types or ``at://`` post URIs."""
    text = head.lstrip("\ufeff").lstrip()
    return text[:1] in ("{", "[") and re.search(r'"thread"\s*:', text) is not None and (
        "app.bsky.feed.defs#threadViewPost" in text or re.search(r'"uri"\s*:\s*"at://', text) is not None)
