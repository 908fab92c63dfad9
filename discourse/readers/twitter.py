"""X/Twitter API v2 as twarc2 writes it: response pages a line, or flattened tweets a line.

- Pages (``twarc2 search``, ``conversation``, ``timeline``): ``{"data": [tweets], "includes":
  {"users": [...], "tweets": [...]}, "meta": ..., "__twarc": ...}``.
- Flattened (``twarc2 flatten``): one tweet a line, its ``author`` expanded in place and its
  ``referenced_tweets`` carrying the referenced tweets' fields.

The tweets in ``data`` (or the flattened lines) are the comments: thread = ``conversation_id``;
parent = the ``replied_to`` entry of ``referenced_tweets``; authors are handles (``username``)
from ``includes.users``.  A parent present only in ``includes.tweets`` becomes a placeholder that
knows its author, so the reply to it is an explicit edge; a parent found nowhere gets a
placeholder whose author is ``in_reply_to_user_id``'s handle when the file names that user.
A ``quoted`` tweet becomes a quote edge to its author (``quoted_authors``).  Retweets are kept as
the tweets they are (``meta_kind`` "retweeted").  The conversation's first tweet, when the file
has it, gives the thread's post author.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from ..exceptions import FormatError
from ._io import Lines, split_lines
from ._social import placeholder_row, require
from ._records import none_read, one_record
from .jsonl import author_or_none, corpus_from_rows, describe, guarded, iter_json_lines

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..model.corpus import Corpus

__all__ = ["parse_twitter", "read_twitter", "looks_like_twitter"]

NAME = "twitter"

_EXPECTED = "twarc2 output: an API v2 response page ('data', 'includes') or a flattened tweet ('id', 'text') a line"
_STATUS = "https://twitter.com/i/status/"


def _referenced(tweet: dict[str, Any], kind: str) -> dict[str, Any] | None:
    for reference in tweet.get("referenced_tweets") or []:
        if isinstance(reference, dict) and reference.get("type") == kind and reference.get("id") is not None:
            return reference
    return None


def _collect(record: dict[str, Any], number: int, path: Path | str | None, data: list[tuple[int, Any]],
             users: dict[str, dict[str, Any]], included: dict[str, dict[str, Any]]) -> None:
    """File one line's tweets and users: ``data`` gets (line, tweet), the others id -> object."""
    if "data" in record:
        tweets = record["data"]
        tweets = [tweets] if isinstance(tweets, dict) else require(tweets, list, "'data' to be a list of tweets",
                                                                   path, f"line {number}")
        includes = record.get("includes") if isinstance(record.get("includes"), dict) else {}
        for user in includes.get("users") or []:
            if isinstance(user, dict) and user.get("id") is not None:
                users[str(user["id"])] = user
        for tweet in includes.get("tweets") or []:
            if isinstance(tweet, dict) and tweet.get("id") is not None:
                included.setdefault(str(tweet["id"]), tweet)
        data.extend((number, tweet) for tweet in tweets)
    elif "id" in record and "text" in record:  # flattened: expansions inline
        for key in ("author", "in_reply_to_user"):
            if isinstance(record.get(key), dict) and record[key].get("id") is not None:
                users[str(record[key]["id"])] = record[key]
        for reference in record.get("referenced_tweets") or []:
            if isinstance(reference, dict) and reference.get("id") is not None and "text" in reference:
                included.setdefault(str(reference["id"]), reference)
                if isinstance(reference.get("author"), dict) and reference["author"].get("id") is not None:
                    users[str(reference["author"]["id"])] = reference["author"]
        data.append((number, record))
    elif "errors" in record and len(record) <= 3:
        return  # a page holding only API errors (deleted or protected tweets): nothing to read
    else:
        raise FormatError(f"expected {_EXPECTED}; found {describe(record)}", path=path, line=number)


@guarded
def parse_twitter(lines: str | bytes | Lines | BinaryIO | Iterable[str | bytes], *,
                  source_path: Path | str | None = None) -> Corpus:
    """Parse twarc2 JSON Lines (pages or flattened tweets) into a :class:`~discourse.model.corpus.Corpus`.

    Examples
    --------
    >>> page = ('{"data": [{"id": "2", "conversation_id": "1", "author_id": "u2", "text": "@ann yes",'
    ...         ' "created_at": "2021-04-08T19:34:16.000Z", "referenced_tweets": [{"type": "replied_to", "id": "1"}]}],'
    ...         ' "includes": {"users": [{"id": "u1", "username": "ann"}, {"id": "u2", "username": "bob"}],'
    ...         ' "tweets": [{"id": "1", "conversation_id": "1", "author_id": "u1", "text": "hi"}]}}')
    >>> parse_twitter(page).comments[["comment_id", "parent_id", "author", "is_placeholder"]].values.tolist()
    [['1', None, 'ann', True], ['2', '1', 'bob', False]]
    """
    if isinstance(lines, (str, bytes)):
        lines = split_lines(lines)
    where = str(source_path) if source_path else None
    data, users, included, skipped, bad = [], {}, {}, [], []
    for number, record in iter_json_lines(lines, path=source_path, expected=_EXPECTED, skipped=skipped):
        with one_record(skipped, source_path, line=number, failures=bad):  # one bad line costs it, not the file
            _collect(record, number, source_path, data, users, included)
    unread = len(skipped)  # lines that are no JSON object, or whose page could not be read

    def handle(user_id: object) -> str | None:
        user = users.get(str(user_id)) if user_id is not None else None
        return author_or_none(user.get("username")) if user else None

    rows, seen, placed, roots = [], set(), set(), {}
    in_data = {str(tweet["id"]) for _, tweet in data if isinstance(tweet, dict) and tweet.get("id") is not None}
    for number, tweet in data:
        with one_record(skipped, source_path, line=number, failures=bad):  # one bad tweet costs it
            require(tweet, dict, "a tweet object", source_path, f"line {number}")
            if tweet.get("id") is None:
                raise FormatError(f"expected a tweet with 'id' and 'text'; found {describe(tweet)}",
                                  path=source_path, line=number)
            tweet_id = str(tweet["id"])
            if tweet_id in seen:
                skipped.append((where, f"line {number}", f"tweet {tweet_id} appears again"))
                continue
            seen.add(tweet_id)
            thread_id = str(tweet.get("conversation_id") or tweet_id)
            parent = _referenced(tweet, "replied_to")
            parent_id = str(parent["id"]) if parent else None
            author = handle(tweet.get("author_id")) or author_or_none(tweet.get("author_id"))
            if parent_id is not None and parent_id not in in_data and parent_id not in placed:
                placed.add(parent_id)
                known = included.get(parent_id)
                above = _referenced(known, "replied_to") if known else None
                rows.append({**placeholder_row(parent_id, thread_id, str(above["id"]) if above else None, NAME,
                                               handle(known.get("author_id")) if known else
                                               handle(tweet.get("in_reply_to_user_id"))),
                             "_line": number})
            quoted = _referenced(tweet, "quoted")
            quoted_tweet = (included.get(str(quoted["id"])) or {}) if quoted else {}
            kind = next((r.get("type") for r in tweet.get("referenced_tweets") or [] if isinstance(r, dict)), None)
            metrics = tweet.get("public_metrics") if isinstance(tweet.get("public_metrics"), dict) else {}
            rows.append({"comment_id": tweet_id, "thread_id": thread_id, "parent_id": parent_id, "author": author,
                         "created_at": tweet.get("created_at"), "text": str(tweet.get("text") or ""), "source": NAME,
                         "quoted_authors": handle(quoted_tweet.get("author_id")) if quoted else None,
                         "meta_kind": kind or "tweet", "meta_lang": tweet.get("lang"),
                         "meta_likes": metrics.get("like_count"), "meta_url": _STATUS + tweet_id, "_line": number})
            roots.setdefault(thread_id, None)
    if skipped and not rows:
        none_read(bad or skipped, source_path)
    _placeholders_in_their_parents_thread(rows)
    threads, by_id = [], {str(tweet.get("id")): tweet for _, tweet in reversed(data) if isinstance(tweet, dict)}  # the first copy wins
    for thread_id in roots:
        root = by_id.get(thread_id) or included.get(thread_id)
        threads.append({"thread_id": thread_id, "title": None, "url": _STATUS + thread_id,
                        "post_author": handle(root.get("author_id")) if root else None,
                        "declared_comments": None, "source_path": where})
    return corpus_from_rows(rows, threads, skipped, source_path, len(data) + unread)


def _placeholders_in_their_parents_thread(rows: list[dict[str, Any]]) -> None:
    """A chain of placeholders (an included tweet answering another) stays in its reply's thread."""
    thread_of = {row["comment_id"]: row["thread_id"] for row in rows}
    for row in rows:
        if row.get("is_placeholder") and row["parent_id"] and thread_of.get(row["parent_id"], row["thread_id"]) \
                != row["thread_id"]:
            row["parent_id"] = None


def read_twitter(path: Path | str) -> Corpus:
    """Read twarc2 output from ``path``, line by line (see :func:`parse_twitter`)."""
    path = Path(path)
    with Lines(path) as lines:
        return parse_twitter(lines, source_path=path)


def looks_like_twitter(head: str) -> bool:
    """A first line that is an API v2 page (``data`` of tweets) or a flattened tweet: ``author_id`` with ``text``."""
    first = head.lstrip("\ufeff").lstrip().split("\n", 1)[0]
    return first.startswith("{") and re.search(r'"author_id"\s*:', first) is not None \
        and re.search(r'"text"\s*:', first) is not None \
        and re.search(r'"(data|conversation_id|__twarc)"\s*:', first) is not None
