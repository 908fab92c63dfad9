"""Hacker News item pages saved from a browser.

Two layouts are read.  Current pages have one ``tr.athing.comtr`` row per comment, with a
``td.ind`` whose ``indent`` attribute is the nesting level (0 = top level), ``a.hnuser``,
``span.age[title]`` (the time in UTC) and ``div.commtext``.  Older pages nest a table per
comment: its first cell holds a spacer image 40 pixels wide per level, then ``span.comhead``
(author, "3 hours ago", a link to ``item?id=N``) and ``span.comment``.  Comment rows hold no
parent id: parents follow from the nesting, with placeholders where a level is missing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ._markup import (DepthLinker, author_or_none, build_corpus, depth_number, has_class, parse_html, read_source,
                      text_without, utc)
from ..exceptions import FormatError

if TYPE_CHECKING:
    from pathlib import Path

    from lxml.html import HtmlElement

    from ..model.corpus import Corpus

NAME = "hackernews-html"

_ITEM_URL = "https://news.ycombinator.com/item?id={}"
_ITEM_LINK = re.compile(r"item\?id=(\d+)")
_INDENT_PIXELS = 40
#: Text HN shows in place of a removed comment's body.
_REMOVED = {"[deleted]": "deleted", "[dead]": "dead", "[flagged]": "flagged"}


def _comment_heads(document: HtmlElement) -> list[tuple[HtmlElement, str | None]]:
    """(row, id) of every comment in page order, for either layout."""
    rows = document.xpath(f"//tr[{has_class('athing')} and {has_class('comtr')}]")
    if rows:
        return [(row, row.get("id")) for row in rows]
    heads = []
    for comhead in document.xpath(f"//td[{has_class('default')}]//span[{has_class('comhead')}]"):
        row = comhead.xpath("ancestor::tr[1]")[0]
        ids = _ITEM_LINK.findall(" ".join(comhead.xpath(".//a/@href"))) or \
            re.findall(r"^up_(\d+)$", " ".join(row.xpath(".//a/@id")), re.M)
        heads.append((row, ids[0] if ids else None))
    return heads


def _depth(row: HtmlElement, comment_id: str, path: Path | str | None) -> int:
    indent = row.xpath(f".//td[{has_class('ind')}]")
    if indent and indent[0].get("indent", "").isascii() and indent[0].get("indent", "").isdigit():
        return depth_number(indent[0].get("indent")) + 1
    cell = indent[0] if indent else row.xpath("./td[1]")[0]
    widths = cell.xpath(".//img/@width")
    if not widths or not widths[0].strip().isascii() or not widths[0].strip().isdigit():
        raise FormatError("expected the comment's indent (td.ind[indent] or a spacer image with a "
                          f"width); found {widths[:1] or 'none'}", path=path, record=comment_id)
    return depth_number(widths[0].strip()) // _INDENT_PIXELS + 1


def _age(row: HtmlElement) -> tuple[str | None, str | None]:
    """(UTC time or None, age as shown).  Current pages put the time in ``span.age[title]``;
    older ones show only "3 hours ago", relative to a save time the page does not record."""
    ages = row.xpath(f".//span[{has_class('age')}]")
    if ages:
        title = ages[0].get("title", "").split()
        return (title[0] if title else None), " ".join(ages[0].text_content().split()) or None
    heads = row.xpath(f".//span[{has_class('comhead')}]")
    shown = re.search(r"\d+\s+\w+\s+ago", heads[0].text_content()) if heads else None
    return None, " ".join(shown[0].split()) if shown else None


def _comment(row: HtmlElement, comment_id: str, thread: dict[str, Any], path: Path | str | None) -> dict[str, Any]:
    users = row.xpath(f".//a[{has_class('hnuser')}]"
                      f" | .//span[{has_class('comhead')}]//a[starts-with(@href, 'user?id=')]")
    author = author_or_none(users[0].text_content()) if users else None
    bodies = row.xpath(f".//*[{has_class('commtext')}] | .//span[{has_class('comment')}]")
    for reply in row.xpath(".//a[starts-with(@href, 'reply?')]"):
        reply.drop_tree()  # the "reply" link is page furniture, wherever the parser put it
    text = text_without(bodies[0], "reply") if bodies else ""
    stamp, age = _age(row)
    status = _REMOVED.get(text.strip()) or (None if author else "deleted")
    return {"comment_id": comment_id, "thread_id": thread["thread_id"], "author": author,
            "created_at": utc(stamp, path=path, record=comment_id), "text": text, "source": NAME,
            "is_post_author": author is not None and author == thread["post_author"],
            "is_placeholder": False, "meta_url": _ITEM_URL.format(comment_id),
            "meta_age": age, "meta_status": status}


def _item_id(document: HtmlElement) -> str | None:
    """The story's id: from its subtext links, its own row, or its score's element id."""
    for href in document.xpath(f"//td[{has_class('subtext')}]//a/@href | //span[{has_class('subline')}]//a/@href"):
        match = _ITEM_LINK.search(href)
        if match:
            return match[1]
    story = document.xpath(f"//tr[{has_class('athing')} and not({has_class('comtr')})]/@id")
    scores = document.xpath("//span[starts-with(@id, 'score_')]/@id")
    return story[0] if story else scores[0][len("score_"):] if scores else None


def _item(document: HtmlElement, source_path: Path | str | None) -> dict[str, Any]:
    """The story: id, title, URL on HN, submitter and declared comment count."""
    item_id = _item_id(document)
    if item_id is None:
        raise FormatError("expected a Hacker News item page (a subtext line linking item?id=N); "
                          "found no item id", path=source_path)
    titles = document.xpath(f"//*[{has_class('titleline')}]/a | //td[{has_class('title')}]/a")
    page_title = re.sub(r"\s*\|\s*Hacker News\s*$", "", " ".join((document.findtext(".//title") or "").split()))
    subtext = document.xpath(f"//td[{has_class('subtext')}] | //span[{has_class('subline')}]")
    submitter = document.xpath(f"//td[{has_class('subtext')}]//a[starts-with(@href, 'user?id=')]"
                               f" | //span[{has_class('subline')}]//a[{has_class('hnuser')}]")
    count = re.search(r"(\d+)\s+comments?", subtext[0].text_content()) if subtext else None
    return {"thread_id": item_id,
            "title": " ".join(titles[0].text_content().split()) if titles else page_title or None,
            "url": _ITEM_URL.format(item_id),
            "post_author": author_or_none(submitter[0].text_content()) if submitter else None,
            "declared_comments": int(count[1]) if count else None}


def parse_hackernews_html(text: str, *, source_path: Path | str | None = None) -> Corpus:
    """Parse a saved Hacker News item page into a :class:`~discourse.model.corpus.Corpus`.

    Comment and thread ids are HN item ids.  ``meta_url`` links each comment on HN,
    ``meta_age`` is the age the page showed ("3 hours ago"), ``meta_status`` is "deleted",
    "dead" or "flagged" for comments HN shows as such (kept, without author where it is hidden).
    """
    document = parse_html(text, source_path)
    thread = _item(document, source_path)
    linker = DepthLinker(thread["thread_id"], NAME, source_path)
    heads = _comment_heads(document)
    for number, (row, comment_id) in enumerate(heads, start=1):
        if comment_id is None:
            raise FormatError("expected each comment to link its own item?id=N; found none",
                              path=source_path, record=number)
        linker.add(_comment(row, comment_id, thread, source_path), _depth(row, comment_id, source_path))
    return build_corpus(linker.rows, [thread], [], source_path, records=len(heads))


def read_hackernews_html(path: Path | str) -> Corpus:
    """Read a saved Hacker News item page from ``path`` (see :func:`parse_hackernews_html`)."""
    return read_source(path, parse_hackernews_html)


def looks_like_hackernews_html(head: str) -> bool:
    lowered = head.lower()
    return ("<html" in lowered and "hacker news" in lowered
            and ("comhead" in lowered or "athing comtr" in lowered))
