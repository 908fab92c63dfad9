"""Disqus XML exports: ``<thread dsq:id>`` elements, then ``<post dsq:id>`` elements.

Each post names its thread (``<thread dsq:id=...>``) and, for a reply, its parent
(``<parent dsq:id=...>``).  Spam posts are left out and listed in ``skipped``; a reply to one
hangs under a placeholder in the spam post's place.  Deleted posts are kept without their
author, their text as the export has it.  E-mail and IP addresses are never read.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from ._markup import author_or_none, build_corpus, html_to_text, parse_xml, read_source, stand_ins_for_skipped, utc
from ..exceptions import FormatError

if TYPE_CHECKING:
    from pathlib import Path
    from xml.etree.ElementTree import Element

    from ..model.corpus import Corpus

NAME = "disqus"

_EXPECTED = "a Disqus XML export (<disqus> with <thread> and <post> elements)"


def _text(element: Element, name: str) -> str | None:
    child = element.find(name)
    return None if child is None or child.text is None else child.text.strip()


def _flag(element: Element, name: str) -> bool:
    return (_text(element, name) or "").lower() == "true"


def _ref(element: Element, name: str) -> str | None:
    """The ``dsq:id`` of a ``<thread>``/``<parent>`` reference child, if any."""
    child = element.find(name)
    return None if child is None else child.get("id")


def _threads(root: Element, path: Path | str | None) -> dict[str, dict[str, Any]]:
    threads = {}
    for number, element in enumerate(root.findall("thread"), start=1):
        thread_id = element.get("id")
        if not thread_id:
            raise FormatError("expected a dsq:id attribute on <thread>; found none", path=path, record=number)
        title = _text(element, "title")
        # Disqus stores titles HTML-escaped inside the XML ("It&amp;#039s"): the title it shows is
        # the unescaped text, as a comment's message is its HTML read as text.
        threads[thread_id] = {"thread_id": thread_id, "title": None if title is None else html.unescape(title),
                              "url": _text(element, "link"),
                              "post_author": author_or_none(_text(element, "author/name")),
                              "declared_comments": None}
    return threads


def parse_disqus(text: str, *, source_path: Path | str | None = None) -> Corpus:
    """Parse a Disqus XML export into a :class:`~discourse.model.corpus.Corpus`.

    Comment ids are Disqus post ids; thread ids are Disqus thread ids.  ``meta_status`` is
    "deleted" for deleted posts.  ``is_post_author`` marks posts whose author has the name of
    the thread's author (Disqus flags no moderator in exports).
    """
    root = parse_xml(text, source_path, expected=_EXPECTED)
    if root.tag != "disqus":
        raise FormatError(f"expected {_EXPECTED}; the root element is <{root.tag}>", path=source_path)
    threads = _threads(root, source_path)
    rows, skipped, skipped_parents = [], [], {}
    posts = root.findall("post")
    for number, post in enumerate(posts, start=1):
        post_id, thread_id = post.get("id"), _ref(post, "thread")
        if not post_id or not thread_id:
            raise FormatError("expected <post dsq:id=...> with a <thread dsq:id=...> child; found "
                              f"post id {post_id!r}, thread {thread_id!r}", path=source_path, record=number)
        parent_id = _ref(post, "parent")
        if _flag(post, "isSpam"):
            skipped.append({"record": post_id, "reason": "spam"})
            skipped_parents[post_id] = parent_id
            continue
        deleted = _flag(post, "isDeleted")
        author = None if deleted else author_or_none(_text(post, "author/name"))
        thread = threads.setdefault(thread_id, {"thread_id": thread_id, "title": None, "url": None,
                                                "post_author": None, "declared_comments": None})
        rows.append({
            "comment_id": post_id, "thread_id": thread_id, "parent_id": parent_id, "author": author,
            "created_at": utc(_text(post, "createdAt"), path=source_path, record=post_id),
            "text": html_to_text(_text(post, "message"), path=source_path, record=post_id), "source": NAME,
            "is_post_author": author is not None and author == thread.get("post_author"),
            "is_placeholder": False,
            "meta_status": "deleted" if deleted else None,
            # the account name, evidence that two names are one person (discourse aliases)
            "meta_author_username": None if deleted else _text(post, "author/username"),
        })
    rows = stand_ins_for_skipped(rows, skipped_parents, NAME)
    return build_corpus(rows, threads.values(), skipped, source_path, records=len(posts))


def read_disqus(path: Path | str) -> Corpus:
    """Read a Disqus XML export from ``path`` (see :func:`parse_disqus`)."""
    return read_source(path, parse_disqus)


def looks_like_disqus(head: str) -> bool:
    return re.search(r"<disqus[\s>]", head) is not None and ("<post" in head or "<thread" in head)
