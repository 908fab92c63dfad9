"""Helpers the platform readers share (YouTube, Stack Exchange, X, Mastodon, Bluesky, Telegram, Lemmy,
4chan, Discourse forums): who a reply addresses with a leading "@name", and small row builders.

Not a format of its own.  Two columns of the comments table come from here, read by
:func:`discourse.network.graph.edge_records`:

- ``addressee``: the commenter a comment addresses with a leading "@name" (or "+name", as old
  YouTube replies wrote it), when that name is a commenter of the same thread.  Platforms that
  keep replies one level deep (YouTube) or hang comments under a post (Stack Exchange) name the
  person answered this way; the graph makes it an inferred reply to them, beside the explicit
  reply to the parent.
- ``quoted_authors``: ";"-joined authors of the comments a comment quotes by the platform's own
  means (a quote tweet, a 4chan ">>123" link beyond the first, a Discourse quote box): explicit
  quote edges.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..exceptions import FormatError
from .jsonl import describe, json_documents

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from pathlib import Path

__all__ = ["add_addressees", "json_values", "placeholder_row", "placed_before_replies", "require"]

_LEADING_ADDRESS = re.compile(r"\s*[@+](?=\S)")
_NAME_END = re.compile(r"[\w.\-]")


def _key(name: str) -> str:
    """How an "@name" is matched: case-folded, without a leading "@" and without spaces (Stack
    Exchange pings "@JohnSmith" for "John Smith")."""
    return "".join(name.lstrip("@").split()).casefold()


def _addressee(text: str, names: dict[str, str], lengths: Iterable[int], exclude: str | None) -> str | None:
    """The commenter named by a leading "@name" in ``text``, the longest name that fits, or None.

    ``names`` maps match keys (:func:`_key`) to names, ``lengths`` lists their lengths longest
    first: one dictionary look-up per length, however many commenters the thread has.
    """
    start = _LEADING_ADDRESS.match(text)
    if start is None:
        return None
    rest = text[start.end():start.end() + 200]
    squeezed, positions = [], []  # the text without spaces, and where each kept character came from
    for position, character in enumerate(rest):
        if not character.isspace():
            squeezed.append(character.casefold())
            positions.append(position)
    squeezed = "".join(squeezed)
    for length in lengths:
        name = names.get(squeezed[:length]) if length <= len(squeezed) else None
        if name is None or name == exclude:
            continue
        end = positions[length - 1] + 1
        if end < len(rest) and _NAME_END.match(rest[end]) and rest[end] != ".":  # "@Ann." is Ann
            continue  # "@Annabel" is not Ann
        return name
    return None


def add_addressees(rows: list[dict[str, Any]], *, replies_only: bool = True) -> list[dict[str, Any]]:
    """Set ``addressee`` on rows whose text opens with "@name" of a commenter of the same thread.

    ``rows`` are reader row dicts (``thread_id``, ``author``, ``text``, ``parent_id``); changed in
    place and returned.  ``replies_only`` leaves top-level comments alone (on YouTube a top-level
    "@name" often names a creator, not a commenter answered).
    """
    by_thread = {}
    for row in rows:
        if row.get("author") and not row.get("is_placeholder"):
            by_thread.setdefault(row["thread_id"], {})[_key(row["author"])] = row["author"]
    lengths = {thread_id: sorted({len(key) for key in names if key}, reverse=True)
               for thread_id, names in by_thread.items()}
    for row in rows:
        if row.get("is_placeholder") or (replies_only and not row.get("parent_id")):
            continue
        found = _addressee(row.get("text") or "", by_thread.get(row["thread_id"], {}),
                           lengths.get(row["thread_id"], ()), row.get("author"))
        if found is not None:
            row["addressee"] = found
    return rows


def json_values(text_or_lines: str | bytes | Iterable[str | bytes], path: Path | str | None, *, name: str,
                expected: str, documents: str,
                skipped: list[tuple[str | None, str, str]] | None = None) -> Iterator[tuple[str, Any]]:
    """(record label, value) for each value in the input: each document, and each item of a document
    that is a JSON array ("page 2", "page 1.3").  ``name`` labels records ("page"); ``expected`` and
    ``documents`` name one value and the whole in errors, ``skipped`` takes the lines of one-object-
    a-line input that are no JSON object (see :func:`~discourse.readers.jsonl.json_documents`)."""
    for number, document in enumerate(json_documents(text_or_lines, path, expected=expected, documents=documents,
                                                     skipped=skipped), start=1):
        if isinstance(document, list):
            yield from ((f"{name} {number}.{index}", value) for index, value in enumerate(document, start=1))
        else:
            yield f"{name} {number}", document


def placeholder_row(comment_id: str, thread_id: str, parent_id: str | None, source: str,
                    author: str | None = None) -> dict[str, Any]:
    """A placeholder for a comment the file does not hold; ``author`` when the platform names it."""
    return {"comment_id": comment_id, "thread_id": thread_id, "parent_id": parent_id, "author": author,
            "created_at": None, "text": "", "source": source, "is_placeholder": True, "is_post_author": False}


def placed_before_replies(rows: Iterable[dict[str, Any]],
                          placeholders: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` with each placeholder of ``placeholders`` (``{comment id: row}``) just before its first reply
    (a placeholder under another placeholder just after it)."""
    out, done = [], set()

    def place(key: str | None) -> None:
        chain = []
        while key in placeholders and key not in done:
            done.add(key)
            chain.append(placeholders[key])
            key = placeholders[key]["parent_id"]
        out.extend(reversed(chain))

    for row in rows:
        place(row.get("parent_id"))
        out.append(row)
    for key in placeholders:
        place(key)
    return out


def require(value: Any, kind: type | tuple[type, ...], what: str, path: Path | str | None,
            record: object = None) -> Any:
    """``value`` if it is of ``kind`` (a type or tuple of types), else FormatError saying ``what`` was expected."""
    if not isinstance(value, kind):
        raise FormatError(f"expected {what}; found {describe(value)}", path=path, record=record)
    return value
