"""Hacker News items as JSON: the Algolia items API and the official Firebase API.

- Algolia (``/api/v1/items/<id>``): one story whose comments nest in ``children``; each item has
  ``id, author, created_at_i, text, parent_id, story_id, type``.
- Firebase (``/v0/item/<id>.json``): flat items ``id, by, kids, parent, time, text, type,
  deleted, dead``, given as a JSON list or one item a line; a story's ``descendants`` is the
  count of comments it declares.

A file may hold several stories; the thread id is the story id.  Comment bodies are HTML
(``<p>``, ``<a>``, ``<i>``, ``<pre>``, entities) and become plain text.  Deleted comments keep
their place in the tree with no author and no text (``meta_deleted``); dead (flagged) comments
are kept and marked ``meta_dead``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..exceptions import FormatError
from ._io import read_text_file
from ._records import one_record
from .jsonl import author_or_none, corpus_from_rows, describe, guarded, id_or_none, json_documents

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..model.corpus import Corpus

NAME = "hackernews-json"

_ITEM_PAGE = "https://news.ycombinator.com/item?id="
_STORY_TYPES = {"story", "job", "poll"}


class _PlainText(HTMLParser):
    """Collects the text of an HTML fragment: paragraphs become blank lines, links their address."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts, self.href, self.link_start = [], None, 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p" and self.parts:
            self.parts.append("\n\n")
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "a":
            self.href, self.link_start = dict(attrs).get("href"), len(self.parts)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.href:
            shown = "".join(self.parts[self.link_start:])
            # HN shortens long link texts to "https://example.com/long/pa..."; the address is whole.
            if shown.endswith("...") and self.href.startswith(shown[:-3]):
                self.parts[self.link_start:] = [self.href]
            self.href = None
        elif tag == "pre":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


_BLANK_LINES = re.compile(r"\n{3,}")


def html_to_text(fragment: str | None) -> str:
    """Plain text of an HTML comment body, entities decoded."""
    if not fragment:
        return ""
    if "<" not in fragment and "&" not in fragment:  # no markup: what the parser would give, without it
        text = fragment.replace("\r\n", "\n")
        return (_BLANK_LINES.sub("\n\n", text) if "\n\n\n" in text else text).strip()
    parser = _PlainText()
    parser.feed(fragment)
    parser.close()
    text = "".join(parser.parts).replace("\r\n", "\n")
    return _BLANK_LINES.sub("\n\n", text).strip()


def _thread_row(item: dict[str, Any], author_key: str, source_path: Path | str | None) -> dict[str, Any]:
    return {"thread_id": str(item["id"]), "title": item.get("title"), "url": _ITEM_PAGE + str(item["id"]),
            "post_author": author_or_none(item.get(author_key)), "declared_comments": item.get("descendants"),
            "source_path": str(source_path) if source_path else None}


def _comment_row(item: dict[str, Any], *, author_key: str, time_value: object, thread_id: str,
                 parent_id: str | None) -> dict[str, Any]:
    return {"comment_id": str(item["id"]), "thread_id": thread_id, "parent_id": parent_id,
            "author": author_or_none(item.get(author_key)), "created_at": time_value,
            "text": html_to_text(item.get("text")), "source": NAME,
            "meta_points": item.get("points", item.get("score")),
            "meta_deleted": bool(item.get("deleted")), "meta_dead": bool(item.get("dead")),
            "meta_url": _ITEM_PAGE + str(item["id"])}


def _check_item(item: object, path: Path | str | None, record: str) -> None:
    if not isinstance(item, dict) or "id" not in item:
        raise FormatError(f"expected a Hacker News item: a JSON object with 'id' and 'type'; found {describe(item)}",
                          path=path, record=record)


def _from_algolia(root: dict[str, Any], rows: list[dict[str, Any]], threads: list[dict[str, Any]],
                  skipped: list[tuple[str | None, str, str]], path: Path | str | None) -> int:
    """Flatten one Algolia item tree, root first, children in order; returns how many comment records it met."""
    stack, story, records = [(root, None)], None, 0
    while stack:
        item, parent = stack.pop()
        place = str(item["id"]) if isinstance(item, dict) and "id" in item else \
            f"child of {parent}" if parent else "top level"
        counted = False
        with one_record(skipped, path, record=place) as reading:  # one bad item costs it (and its children)
            _check_item(item, path, place)
            children = item.get("children") or []
            if not isinstance(children, list):
                raise FormatError(f"expected 'children' to be a list of items; found {describe(children)}",
                                  path=path, record=place)
            kind = item.get("type", "comment")
            if kind in _STORY_TYPES and parent is None:
                story = item
                threads.append(_thread_row(item, "author", path))  # the thread, not a comment record
            elif kind == "comment":
                records, counted = records + 1, True
                thread_id = id_or_none(item.get("story_id")) or (str(story["id"]) if story else None) \
                    or id_or_none(item.get("parent_id")) or str(item["id"])
                parent_id = id_or_none(item.get("parent_id", parent))
                rows.append(_comment_row(item, author_key="author", thread_id=thread_id,
                                         time_value=item.get("created_at_i", item.get("created_at")),
                                         parent_id=None if parent_id == thread_id else parent_id))
            else:
                records, counted = records + 1, True
                skipped.append((str(path) if path else None, place, f"not a comment (type {kind!r})"))
            stack.extend((child, place) for child in reversed(children))
        records += reading.failed and not counted  # an item skipped before it was counted
    return records


def _from_firebase(items: list[dict[str, Any]], rows: list[dict[str, Any]], threads: list[dict[str, Any]],
                   skipped: list[tuple[str | None, str, str]], path: Path | str | None) -> int:
    """Firebase items are flat: the thread is found by walking up ``parent`` links."""
    by_id, records, tops, good = {}, 0, {}, []
    for index, item in enumerate(items, start=1):
        with one_record(skipped, path, record=f"item {index}") as reading:
            _check_item(item, path, f"item {index}")
            by_id[str(item["id"])] = item
            good.append(item)
        records += reading.failed
    for item in good:
        with one_record(skipped, path, record=str(item["id"])) as reading:  # one bad item costs it
            records += _firebase_item(item, by_id, rows, threads, skipped, path, tops)
        records += reading.failed
    return records


def _top_of(item_id: str, by_id: dict[str, dict[str, Any]], tops: dict[str, str]) -> str:
    """The story above comment ``item_id``, or the highest ancestor the file lacks, by ``parent`` links.

    Every comment met on the way up is remembered in ``tops``, so a chain is walked once, not
    once per comment in it (a 5,000-deep chain took 8.6 s, quadratic in its depth).
    """
    path, top, seen = [], item_id, set()
    while top in by_id and by_id[top].get("type", "comment") == "comment" and top not in seen:
        if top in tops:
            top = tops[top]
            break
        seen.add(top)
        path.append(top)
        above = id_or_none(by_id[top].get("parent"))
        if above is None:
            break
        top = above
    for comment_id in path:
        tops[comment_id] = top
    return top


def _firebase_item(item: dict[str, Any], by_id: dict[str, dict[str, Any]], rows: list[dict[str, Any]],
                   threads: list[dict[str, Any]], skipped: list[tuple[str | None, str, str]],
                   path: Path | str | None, tops: dict[str, str]) -> int:
    """Add one Firebase item to rows, threads or skipped; returns 1 for a comment record, 0 for a story."""
    kind = item.get("type", "comment")
    if kind in _STORY_TYPES:
        threads.append(_thread_row(item, "by", path))  # the thread, not a comment record
        return 0
    if kind != "comment":
        skipped.append((str(path) if path else None, str(item["id"]), f"not a comment (type {kind!r})"))
        return 1
    parent_id = id_or_none(item.get("parent"))
    top = _top_of(str(item["id"]), by_id, tops)
    # ``top`` is the story, or the highest ancestor the file lacks (it becomes a placeholder).
    is_story = top in by_id and by_id[top].get("type") in _STORY_TYPES
    rows.append(_comment_row(item, author_key="by", time_value=item.get("time"), thread_id=top,
                             parent_id=None if is_story and parent_id == top else parent_id))
    return 1


@guarded
def parse_hackernews_json(text_or_lines: str | Iterable[str | bytes], *, source_path: Path | str | None = None) -> Corpus:
    """Parse Algolia or Firebase Hacker News items into a :class:`~discourse.model.corpus.Corpus`."""
    items, unread = [], []  # unread: lines of one item a line that are no JSON object (records, skipped)
    for document in json_documents(text_or_lines, source_path, expected="a Hacker News item",
                                   documents="Hacker News items", skipped=unread):
        items.extend(document if isinstance(document, list) else [document])
    rows, threads, skipped, records = [], [], [], 0
    firebase = [item for item in items if not (isinstance(item, dict) and "children" in item)]
    for item in items:
        if isinstance(item, dict) and "children" in item:
            records += _from_algolia(item, rows, threads, skipped, source_path)
    if firebase:
        records += _from_firebase(firebase, rows, threads, skipped, source_path)
    return corpus_from_rows(rows, threads, unread + skipped, source_path, records + len(unread))


def read_hackernews_json(path: Path | str) -> Corpus:
    """Read Hacker News items from ``path`` (a JSON document, or one item a line)."""
    path = Path(path)
    return parse_hackernews_json(read_text_file(path), source_path=path)


def looks_like_hackernews_json(head: str) -> bool:
    """JSON with Algolia's ``story_id`` and ``children``, or Firebase's ``type``, ``time`` and ``by``/``parent``."""
    text = head.lstrip("\ufeff").lstrip()
    if text[:1] not in ("{", "["):
        return False
    algolia = all(re.search(f'"{key}"\\s*:', text) for key in ("children", "story_id"))
    firebase = re.search(r'"type"\s*:\s*"(story|comment|job|poll)"', text) is not None \
        and re.search(r'"(by|kids|parent)"\s*:', text) is not None and re.search(r'"time"\s*:', text) is not None
    return algolia or firebase
