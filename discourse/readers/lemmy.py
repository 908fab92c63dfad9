"""Lemmy: comment lists from the API (``GET /api/v3/comment/list``: ``{"comments": [CommentView]}``).

A ``CommentView`` holds ``comment`` (``id``, ``creator_id``, ``post_id``, ``content`` Markdown,
``published``, ``path``, ``deleted``, ``removed``, ``ap_id``), ``creator`` (``name``,
``actor_id``, ``local``), ``post`` (``id``, ``name`` = the title, ``creator_id``, ``ap_id``) and
``counts`` (``score``, ``child_count``).  ``path`` "0.12.34" gives the ancestry: 34's parent is
12; "0.34" is a top-level comment.  A file holds one response, a JSON array of responses (or of
comment views), or one a line; a comment given twice is kept once and the repeat listed as
skipped; an ancestor the file lacks becomes a placeholder.

One thread per post (the post is the thread's post); comments by the post's creator are marked
as the post author's.  Authors are ``name``, with the instance for accounts of other instances
("ann@lemmy.world").  Deleted and removed comments keep their place, flagged ``meta_deleted`` /
``meta_removed``.  Times without an offset (Lemmy before 0.19) are UTC.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse
from typing import TYPE_CHECKING, Any

from ..exceptions import FormatError
from ._io import read_text_file
from ._social import json_values, placed_before_replies, placeholder_row, require
from ._records import none_read, one_record
from .jsonl import author_or_none, corpus_from_rows, describe, guarded, id_or_none

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from ..model.corpus import Corpus

__all__ = ["parse_lemmy", "read_lemmy", "looks_like_lemmy"]

NAME = "lemmy"

_EXPECTED = "Lemmy comment list JSON ({'comments': [{'comment': {'id', 'path', ...}, 'creator': ..., 'post': ...}]})"


def _author(creator: object) -> str | None:
    if not isinstance(creator, dict):
        return None
    name = author_or_none(creator.get("name"))
    host = urlparse(creator.get("actor_id") or "").hostname
    if name and creator.get("local") is False and host:
        return f"{name}@{host}"
    return name


def _views(values: Iterable[tuple[str, Any]], path: Path | str | None) -> Iterator[tuple[str, dict[str, Any]]]:
    for record, value in values:
        if isinstance(value, dict) and isinstance(value.get("comments"), list):
            yield from ((f"{record}, comment {k}", view) for k, view in enumerate(value["comments"], start=1))
        elif isinstance(value, dict) and isinstance(value.get("comment"), dict):
            yield record, value
        else:
            raise FormatError(f"expected {_EXPECTED}; found {describe(value)}", path=path, record=record)


@guarded
def parse_lemmy(text_or_lines: str | Iterable[str | bytes], *, source_path: Path | str | None = None) -> Corpus:
    """Parse Lemmy comment list responses into a :class:`~discourse.model.corpus.Corpus`.

    Examples
    --------
    >>> view = lambda i, path, who: {"comment": {"id": i, "path": path, "post_id": 5, "creator_id": i,
    ...     "content": f"c{i}", "published": "2024-01-01T00:00:00Z"}, "creator": {"name": who, "local": True},
    ...     "post": {"id": 5, "name": "A post", "creator_id": 9}}
    >>> import json
    >>> corpus = parse_lemmy(json.dumps({"comments": [view(1, "0.1", "ann"), view(2, "0.1.2", "bob")]}))
    >>> corpus.comments[["comment_id", "parent_id"]].values.tolist()
    [['1', None], ['2', '1']]
    """
    where = str(source_path) if source_path else None
    rows, threads, skipped, seen, records, post_creators = [], {}, [], set(), 0, {}
    unread = []  # lines of one object a line that are no JSON object: records, skipped
    views = list(_views(json_values(text_or_lines, source_path, name="document", expected="a Lemmy comment list",
                                    documents=_EXPECTED, skipped=unread), source_path))
    bad = []
    for record, view in views:
        records += 1
        with one_record(skipped, source_path, record=record, failures=bad):  # one bad comment costs it, not the file
            comment = require(view.get("comment"), dict, "a comment view with a 'comment' object", source_path, record)
            post = view.get("post") if isinstance(view.get("post"), dict) else {}
            comment_id = id_or_none(comment.get("id"))
            if comment_id is None or "path" not in comment:
                raise FormatError(f"expected a Lemmy comment with 'id' and 'path'; found {describe(comment)}",
                                  path=source_path, record=record)
            if comment_id in seen:
                skipped.append((where, record, f"comment {comment_id} appears again"))
                continue
            ancestry = [part for part in str(comment["path"]).split(".") if part not in ("", "0")]
            if not ancestry or ancestry[-1] != comment_id:
                raise FormatError(f"expected comment {comment_id}'s path to end with its id (\"0.12.{comment_id}\"); "
                                  f"found {str(comment['path'])[:40]!r}", path=source_path, record=record)
            seen.add(comment_id)
            thread_id = id_or_none(comment.get("post_id")) or id_or_none(post.get("id")) or "post"
            if thread_id not in threads:
                threads[thread_id] = {"thread_id": thread_id, "title": post.get("name"),
                                      "url": post.get("ap_id") or post.get("url"), "post_author": None,
                                      "declared_comments": None, "source_path": where}
                post_creators[thread_id] = id_or_none(post.get("creator_id"))
            author = _author(view.get("creator"))
            is_op = post_creators[thread_id] is not None and id_or_none(comment.get("creator_id")) == post_creators[thread_id]
            if is_op and author and threads[thread_id]["post_author"] is None:
                threads[thread_id]["post_author"] = author
            counts = view.get("counts") if isinstance(view.get("counts"), dict) else {}
            rows.append({"comment_id": comment_id, "thread_id": thread_id,
                         "parent_id": ancestry[-2] if len(ancestry) > 1 else None, "author": author,
                         "created_at": comment.get("published"), "text": str(comment.get("content") or ""),
                         "source": NAME, "is_post_author": is_op, "meta_score": counts.get("score"),
                         "meta_deleted": bool(comment.get("deleted")), "meta_removed": bool(comment.get("removed")),
                         "meta_url": comment.get("ap_id"), "_ancestry": ancestry})
    if bad and not rows:
        none_read(bad, source_path)
    _chain_missing_ancestors(rows)
    return corpus_from_rows(rows, list(threads.values()), unread + skipped, source_path, records + len(unread))


def _chain_missing_ancestors(rows: list[dict[str, Any]]) -> None:
    """A comment whose parent is missing: its placeholder parent hangs under the next ancestor the path names,
    so depth stays as Lemmy has it."""
    present = {row["comment_id"] for row in rows}
    placeholders = {}
    for row in rows:
        ancestry = row.pop("_ancestry")
        for depth in range(len(ancestry) - 2, -1, -1):
            missing = ancestry[depth]
            if missing in present or missing in placeholders:
                break
            placeholders[missing] = placeholder_row(missing, row["thread_id"], ancestry[depth - 1] if depth else None,
                                                    NAME)
    rows[:] = placed_before_replies(rows, placeholders)


def read_lemmy(path: Path | str) -> Corpus:
    """Read Lemmy comment list JSON from ``path`` (see :func:`parse_lemmy`)."""
    path = Path(path)
    return parse_lemmy(read_text_file(path), source_path=path)


def looks_like_lemmy(head: str) -> bool:
    """JSON of Lemmy comment views: a ``comment`` with a ``path`` like "0.12" and a ``creator``."""
    text = head.lstrip("\ufeff").lstrip()
    return text[:1] in ("{", "[") and re.search(r'"path"\s*:\s*"0(\.\d+)+"', text) is not None \
        and re.search(r'"creator"\s*:', text) is not None
