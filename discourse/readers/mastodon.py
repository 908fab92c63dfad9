"""Mastodon: statuses with their context (``GET /api/v1/statuses/:id`` and ``/context``).

A file holds statuses as the API gives them (``id``, ``in_reply_to_id``,
``in_reply_to_account_id``, ``account.acct``, ``content`` HTML, ``created_at``, ``url``,
``mentions``, ``reblog``): a status, a context (``{"ancestors": [...], "descendants": [...]}``),
an object holding both (``{"status": ..., "context": ...}``), a JSON array of any of these, or
one a line.  Statuses given twice (a status and its context overlap) are kept once.

Each conversation is a thread: its root status (no ``in_reply_to_id``) is the thread's post and
its author the post author, not a comment; direct replies to the root are top level.  A status
whose parent the file lacks hangs under a placeholder that knows its author when the status names
the account it answers (``in_reply_to_account_id`` among the accounts the file shows or mentions);
it stays in its context's conversation (a status given without a context is in a thread named
after the highest missing status).  Boosts (``reblog``) are not comments
and are listed as skipped.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..exceptions import FormatError
from ._io import read_text_file
from ._markup import html_to_text
from ._social import placed_before_replies, placeholder_row, require
from ._records import one_record
from .jsonl import author_or_none, corpus_from_rows, describe, guarded, id_or_none, json_documents

if TYPE_CHECKING:
    from collections.abc import Iterable
    from collections.abc import Iterator

    from ..model.corpus import Corpus

__all__ = ["parse_mastodon", "read_mastodon", "looks_like_mastodon"]

NAME = "mastodon"

_EXPECTED = "Mastodon statuses or a status context (objects with 'id', 'account', 'content'; 'ancestors', 'descendants')"


def _statuses(value: Any, path: Path | str | None, record: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """The status objects in one JSON value (a status, a context, {status, context}, or a list of them)."""
    if isinstance(value, list):
        for index, item in enumerate(value, start=1):
            yield from _statuses(item, path, f"{record}, item {index}")
        return
    require(value, dict, _EXPECTED, path, record)
    if "ancestors" in value or "descendants" in value or "status" in value or "context" in value:
        context = value.get("context") if isinstance(value.get("context"), dict) else value
        status = value.get("status") if isinstance(value.get("status"), dict) else \
            value if "id" in value and "account" in value else None  # a status carrying its context
        lists = {key: require(context.get(key, []), list, f"'{key}' to be a list of statuses", path, record)
                 for key in ("ancestors", "descendants")}
        yield from _statuses(lists["ancestors"], path, f"{record}, ancestors")  # in page order: above, it, below
        if status is not None:
            yield from _statuses({k: v for k, v in status.items() if k not in ("ancestors", "descendants")}, path,
                                 f"{record}, status")
        yield from _statuses(lists["descendants"], path, f"{record}, descendants")
        return
    if "id" not in value or not isinstance(value.get("account"), dict):
        raise FormatError(f"expected {_EXPECTED}; found {describe(value)}", path=path, record=record)
    yield record, value


@guarded
def parse_mastodon(text_or_lines: str | Iterable[str | bytes], *, source_path: Path | str | None = None) -> Corpus:
    """Parse Mastodon statuses and contexts into a :class:`~discourse.model.corpus.Corpus`.

    Examples
    --------
    >>> context = ('{"ancestors": [{"id": "1", "in_reply_to_id": null, "account": {"id": "a", "acct": "ann"},'
    ...            ' "content": "<p>Root</p>", "created_at": "2024-01-01T00:00:00.000Z"}], "descendants": ['
    ...            '{"id": "2", "in_reply_to_id": "1", "account": {"id": "b", "acct": "bob@other.social"},'
    ...            ' "content": "<p>Reply</p>", "created_at": "2024-01-01T01:00:00.000Z"}]}')
    >>> corpus = parse_mastodon(context)
    >>> corpus.comments["author"].tolist(), corpus.threads["post_author"].tolist()
    (['bob@other.social'], ['ann'])
    """
    where = str(source_path) if source_path else None
    statuses, skipped, records, accounts, group_of = {}, [], 0, {}, {}
    unread = []  # lines of one object a line that are no JSON object: records, skipped
    for number, document in enumerate(json_documents(text_or_lines, source_path, expected="a Mastodon status",
                                                     documents=_EXPECTED, skipped=unread), start=1):
        for record, status in _statuses(document, source_path, f"document {number}"):
            group_of.setdefault(str(status.get("id")), number)  # statuses of one context share a conversation
            with one_record(skipped, source_path, record=record) as reading:  # one bad status costs it
                status_id = str(status["id"])
                account = status["account"]
                accounts[str(account.get("id"))] = account.get("acct") or account.get("username")
                for mention in status.get("mentions") or []:
                    if isinstance(mention, dict) and mention.get("id") is not None:
                        accounts.setdefault(str(mention["id"]), mention.get("acct") or mention.get("username"))
                if status_id in statuses:
                    continue  # a status and its context overlap: the same status, not a second record
                statuses[status_id] = status
            records += reading.failed
    parent_of = {status_id: id_or_none(status.get("in_reply_to_id")) for status_id, status in statuses.items()}

    context_root = {}  # document -> its conversation's root status
    for status_id, parent in parent_of.items():
        if parent is None:
            context_root.setdefault(group_of[status_id], status_id)

    def top(status_id: str) -> str:
        """The root of a status's conversation: the highest status; past a missing one, its context's root."""
        seen, start = set(), status_id
        while parent_of.get(status_id) is not None and status_id not in seen:
            seen.add(status_id)
            status_id = parent_of[status_id]
        if status_id not in statuses:  # the chain breaks at a status the file lacks
            return context_root.get(group_of[start], status_id)
        return status_id

    rows, threads, roots = [], {}, set()
    for status_id, status in statuses.items():
        counted = False
        with one_record(skipped, source_path, record=f"status {status_id}") as reading:
            if status.get("reblog"):
                records += 1
                skipped.append((where, f"status {status_id}", "a boost (reblog), not a comment"))
                continue
            thread_id = top(status_id)
            author = author_or_none(accounts.get(str(status["account"].get("id"))))
            if parent_of[status_id] is None:  # the conversation's root: the thread's post
                roots.add(status_id)
                threads[thread_id] = {"thread_id": thread_id, "title": None, "url": status.get("url"),
                                      "post_author": author, "declared_comments": None, "source_path": where}
                continue
            records, counted = records + 1, True
            parent_id = parent_of[status_id]
            rows.append({"comment_id": status_id, "thread_id": thread_id, "parent_id": parent_id, "author": author,
                         "created_at": status.get("created_at"),
                         "text": html_to_text(status.get("content"), path=source_path, record=status_id),
                         "source": NAME, "meta_url": status.get("url"), "meta_visibility": status.get("visibility"),
                         "meta_favourites": status.get("favourites_count")})
        records += reading.failed and not counted  # a status skipped before it was counted
    placeholders = {}
    for row in rows:
        parent_id = row["parent_id"]
        if parent_id in roots:
            row["parent_id"] = None  # answers the post: top level
        elif parent_id not in statuses and parent_id not in placeholders:
            status = statuses[row["comment_id"]]
            placeholders[parent_id] = placeholder_row(parent_id, row["thread_id"], None, NAME, author_or_none(
                accounts.get(str(status.get("in_reply_to_account_id")))))
    rows = placed_before_replies(rows, placeholders)
    return corpus_from_rows(rows, list(threads.values()), unread + skipped, source_path, records + len(unread))


def read_mastodon(path: Path | str) -> Corpus:
    """Read Mastodon statuses and contexts from ``path`` (see :func:`parse_mastodon`)."""
    path = Path(path)
    return parse_mastodon(read_text_file(path), source_path=path)


def looks_like_mastodon(head: str) -> bool:
    """JSON with Mastodon's status fields: ``in_reply_to_account_id`` and an ``account`` with ``acct``."""
    text = head.lstrip("\ufeff").lstrip()
    return text[:1] in ("{", "[") and re.search(r'"in_reply_to_account_id"\s*:', text) is not None \
        and re.search(r'"acct"\s*:', text) is not None
