"""WordPress comments in three shapes: a saved post page, REST API JSON, and a WXR export.

- page: ``ol.commentlist``/``ol.comment-list`` of ``li.comment`` items whose ``depth-N`` class
  gives the nesting; pingbacks and trackbacks are skipped.
- REST: ``GET /wp-json/wp/v2/comments``: a list of objects with ``id``, ``post``, ``parent``
  (0 = top level), ``author_name``, ``date_gmt`` and ``content.rendered``.
- WXR: an RSS document with one ``<item>`` per post holding its ``<wp:comment>`` elements.

Commenters' e-mail, IP address, user agent and home page are never read.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._markup import (DepthLinker, depth_number, author_or_none, build_corpus, classes, has_class, html_to_text,
                      parse_html, parse_xml, read_source, stand_ins_for_skipped, text_without, utc)
from ..exceptions import FormatError
from ._records import one_record
from .jsonl import describe, guarded, invalid_json, load_document

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    import pandas as pd
    from lxml.html import HtmlElement

    from ..model.corpus import Corpus

NAME = "wordpress"
NAME_JSON = "wordpress-json"
NAME_WXR = "wxr"

_COUNT = re.compile(r"\b(\d[\d,.]*|one|no)\s+(comments?|responses?|replies|thoughts?|reactions?)\b", re.I)
_DEPTH_CLASS = re.compile(r"^depth-([0-9]+)$")
_NUMBER_IN_ID = re.compile(r"(?:^|-)(\d+)$")
_SAYS = re.compile(r"\s*says:?\s*$", re.I)
#: Parts of a comment item that are not what the commenter wrote.
_NOT_BODY = ("children", "comment-meta", "comment-metadata", "comment-author", "reply",
             "comment-awaiting-moderation", "says")


def _declared_count(text: str | None) -> int | None:
    match = _COUNT.search(text or "")
    if match is None:
        return None
    word = match[1].lower()
    return {"one": 1, "no": 0}[word] if word in ("one", "no") else int(re.sub(r"[,.]", "", word))


def _thread(thread_id: str, title: str | None = None, url: str | None = None, post_author: str | None = None,
            declared: int | None = None) -> dict[str, Any]:
    return {"thread_id": thread_id, "title": title, "url": url, "post_author": post_author,
            "declared_comments": declared}


# -- saved post page --------------------------------------------------------------------------

def _own(item: HtmlElement, xpath: str) -> list[HtmlElement]:
    """Elements matching ``xpath`` inside comment ``item`` but not inside one of its replies."""
    return [e for e in item.xpath(xpath) if next(iter(e.xpath("ancestor::li[1]")), None) is item]


def _comment_id(item: HtmlElement, number: int) -> str:
    for element in [item] + _own(item, ".//*[@id]")[:1]:
        match = _NUMBER_IN_ID.search(element.get("id") or "")
        if match:
            return match[1]
    return f"c{number}"


def _depth(item: HtmlElement) -> int:
    for name in classes(item):
        match = _DEPTH_CLASS.match(name)
        if match:
            return depth_number(match[1])
    # No depth-N class (some themes): count the comment items it is nested in.
    return len(item.xpath(f"ancestor::li[{has_class('comment')}]")) + 1


def _time(item: HtmlElement, path: Path | str | None, comment_id: str) -> pd.Timestamp:
    stamps = _own(item, ".//time[@datetime]")
    if stamps:
        return utc(stamps[0].get("datetime"), path=path, record=comment_id)
    links = _own(item, f".//*[{has_class('comment-meta')} or {has_class('comment-metadata')}]//a")
    # Dates written for readers ("March 3, 2010 at 4:05 pm") are in the site's time zone, which
    # the page does not state: they are read as UTC; unreadable ones (other languages) stay missing.
    text = " ".join(links[0].text_content().split()) if links else ""
    return utc(re.sub(r"\s+at\s+", " ", text), strict=False)


def _author(item: HtmlElement) -> str | None:
    names = _own(item, f".//*[{has_class('comment-author')}]//*[{has_class('fn')}]") or \
        _own(item, f".//*[{has_class('comment-author')}]")
    return author_or_none(_SAYS.sub("", names[0].text_content())) if names else None


def _body(item: HtmlElement) -> str:
    for name in ("comment-content", "comment-body"):
        found = _own(item, f".//*[{has_class(name)}]")
        if found:
            return text_without(found[0], *_NOT_BODY)
    return text_without(item, *_NOT_BODY)


def _page_thread(document: HtmlElement, source_path: Path | str | None) -> dict[str, Any]:
    body_classes = " ".join(document.xpath("//body/@class"))
    ids = re.findall(r"\bpostid-(\d+)\b", body_classes) + [
        match[1] for value in document.xpath("//article/@id | //link[@rel='shortlink']/@href")
        for match in [re.search(r"(?:^post-|[?&]p=)(\d+)$", value)] if match]
    thread_id = ids[0] if ids else (Path(source_path).stem if source_path else "post")
    titles = document.xpath(f"//h1[{has_class('entry-title')}]") or document.xpath("//title")
    canonical = document.xpath("//link[@rel='canonical']/@href")
    bylines = document.xpath(f"//*[{has_class('entry-meta')} or {has_class('byline')}]"
                             f"//*[{has_class('author')}]") or document.xpath("//a[@rel='author']")
    headings = document.xpath(f"//*[{has_class('comments-title')}] | //*[@id='comments'][self::h2 or self::h3]"
                              " | //*[@id='comments']//*[self::h2 or self::h3 or self::h4]")
    declared = next((n for n in (_declared_count(h.text_content()) for h in headings) if n is not None), None)
    return _thread(thread_id, " ".join(titles[0].text_content().split()) if titles else None,
                   canonical[0] if canonical else None,
                   author_or_none(bylines[0].text_content()) if bylines else None, declared)


def parse_wordpress(text: str, *, source_path: Path | str | None = None) -> Corpus:
    """Parse a saved WordPress post page into a :class:`~discourse.model.corpus.Corpus`.

    Comment ids are WordPress comment ids (``li#comment-123``); the thread id is the post id
    (from ``body.postid-N``, ``article#post-N`` or the shortlink), else the file's stem.
    ``meta_url`` is the comment's permalink; ``meta_status`` is "awaiting moderation" for a
    comment the page shows only to its author.
    """
    document = parse_html(text, source_path)
    lists = document.xpath(f"//*[self::ol or self::ul][{has_class('commentlist')} or {has_class('comment-list')}]")
    if not lists and not document.xpath(f"//*[@id='comments' or {has_class('comments-area')}]"):
        raise FormatError("expected a WordPress comment list (ol.commentlist or ol.comment-list of "
                          "li.comment items) or a #comments area; found neither", path=source_path)
    thread = _page_thread(document, source_path)
    linker, skipped = DepthLinker(thread["thread_id"], NAME, source_path), []
    items = [item for comment_list in lists for item in comment_list.xpath(
        f".//li[{has_class('comment')} or {has_class('pingback')} or {has_class('trackback')}]")]
    items = list(dict.fromkeys(items))  # an item inside two matched lists is one record
    for number, item in enumerate(items, start=1):
        comment_id = _comment_id(item, number)
        kind = ({"pingback", "trackback"} & classes(item))
        if kind:
            skipped.append({"record": comment_id, "reason": kind.pop()})
            continue
        permalinks = [a.get("href") for a in _own(item, ".//a[contains(@href, '#comment-')]")]
        awaiting = _own(item, f".//*[{has_class('comment-awaiting-moderation')}]")
        linker.add({"comment_id": comment_id, "thread_id": thread["thread_id"], "author": _author(item),
                    "created_at": _time(item, source_path, comment_id), "text": _body(item),
                    "source": NAME, "is_post_author": "bypostauthor" in classes(item),
                    "is_placeholder": False, "meta_url": permalinks[0] if permalinks else None,
                    "meta_status": "awaiting moderation" if awaiting else None}, _depth(item))
    if thread["post_author"] is None:
        thread["post_author"] = next((row["author"] for row in linker.rows if row["is_post_author"]), None)
    return build_corpus(linker.rows, [thread], skipped, source_path, records=len(items))


def read_wordpress(path: Path | str) -> Corpus:
    """Read a saved WordPress post page from ``path`` (see :func:`parse_wordpress`)."""
    return read_source(path, parse_wordpress)


def looks_like_wordpress(head: str) -> bool:
    lowered = head.lower()
    if "<html" not in lowered and "<!doctype html" not in lowered:
        return False
    comment_list = re.search(r"class=[\"'][^\"']*\bcomment-?list\b", lowered) is not None
    return comment_list or "/wp-content/" in lowered or 'content="wordpress' in lowered


# -- REST API JSON ----------------------------------------------------------------------------

#: REST ``status`` values and the reason a comment with it is skipped.
_REST_SKIPPED = {"hold": "unapproved", "unapproved": "unapproved", "spam": "spam", "trash": "trash"}


@guarded
def parse_wordpress_json(text: str | bytes, *, source_path: Path | str | None = None) -> Corpus:
    """Parse WordPress REST API comments (``/wp-json/wp/v2/comments``) into a Corpus.

    Thread ids are post ids; ``meta_url`` is the comment's permalink.  Pingbacks, trackbacks
    and comments not approved (``status`` hold, spam, trash) are skipped.
    """
    try:
        records = load_document(text, source_path)
    except ValueError as exc:
        raise FormatError(f"expected WordPress comments as JSON; found {invalid_json(exc)}", path=source_path,
                          line=getattr(exc, "lineno", None)) from None
    if not isinstance(records, list):
        raise FormatError(f"expected a JSON list of WordPress comment objects; found {describe(records)}",
                          path=source_path)
    rows, threads, skipped, skipped_parents, bad = [], {}, [], {}, []
    for number, record in enumerate(records, start=1):
        with one_record(skipped, source_path, record=number, as_dict=True) as reading:  # one bad comment costs it
            if not isinstance(record, dict) or not {"id", "post", "content"} <= set(record) \
                    or record["id"] in (None, ""):
                raise FormatError(f"expected a comment object with id, post and content; found {describe(record)}",
                                  path=source_path, record=number)
            comment_id, thread_id = str(record["id"]), str(record["post"])
            parent_id = None if str(record.get("parent") or 0) == "0" else str(record["parent"])
            reason = (record.get("type") if record.get("type") in ("pingback", "trackback")
                      else _REST_SKIPPED.get(str(record.get("status", "approved"))))
            if reason:
                skipped.append({"record": comment_id, "reason": reason})
                skipped_parents[comment_id] = parent_id
                continue
            link = record.get("link") or None
            threads.setdefault(thread_id, _thread(thread_id, url=link.split("#", 1)[0] if link else None))
            content = record["content"].get("rendered") if isinstance(record["content"], dict) else record["content"]
            rows.append({"comment_id": comment_id, "thread_id": thread_id, "parent_id": parent_id,
                         "author": author_or_none(record.get("author_name")),
                         "created_at": utc(record.get("date_gmt") or record.get("date"),
                                           path=source_path, record=comment_id),
                         "text": html_to_text(content, path=source_path, record=comment_id), "source": NAME_JSON,
                         "is_post_author": False,
                         "is_placeholder": False, "meta_url": link})
        if reading.failed:
            bad.append(skipped[-1])
    if bad and not rows:  # nothing read: the file is not what it was read as
        raise FormatError(f"{bad[0]['reason']} (and no comment could be read)", path=source_path,
                          record=bad[0]["record"])
    rows = stand_ins_for_skipped(rows, skipped_parents, NAME_JSON)
    return build_corpus(rows, threads.values(), skipped, source_path, records=len(records))


def read_wordpress_json(path: Path | str) -> Corpus:
    """Read WordPress REST API comments JSON from ``path`` (see :func:`parse_wordpress_json`)."""
    return read_source(path, parse_wordpress_json)


def looks_like_wordpress_json(head: str) -> bool:
    return (re.match(r"\s*\[\s*\{", head.lstrip("\ufeff")) is not None
            and '"author_name"' in head and '"date_gmt"' in head and '"rendered"' in head)


# -- WXR export -------------------------------------------------------------------------------

#: ``comment_approved`` values and the reason a comment with it is skipped ("1" is kept).
_WXR_SKIPPED = {"0": "unapproved", "spam": "spam", "trash": "trash", "post-trashed": "trash"}
_EXPECTED_WXR = "a WordPress WXR export (<rss> with <channel>/<item>/<wp:comment> elements)"


def _field(element: Element, name: str) -> str | None:
    value = element.findtext(name)
    return None if value is None or not value.strip() else value.strip()


def _wxr_text(content: str | None, path: Path | str | None = None, record: object = None) -> str:
    """Comment content as stored: HTML where the commenter typed it, otherwise plain lines.

    WordPress adds paragraphs only when displaying (a blank line ends one, a newline breaks a
    line), so the same rule is applied here before converting to plain text.
    """
    paragraphs = re.split(r"\n\s*\n", (content or "").replace("\r\n", "\n").strip())
    return html_to_text("".join("<p>{}</p>".format(p.replace("\n", "<br>")) for p in paragraphs if p.strip()),
                        path=path, record=record)


def _wxr_time(comment: Element, path: Path | str | None, comment_id: str) -> pd.Timestamp | None:
    stamp = _field(comment, "comment_date_gmt")
    if stamp is None or stamp.startswith("0000"):  # pending comments have no GMT date yet
        stamp = _field(comment, "comment_date")
    return None if stamp is None or stamp.startswith("0000") else utc(stamp, path=path, record=comment_id)


def parse_wxr(text: str, *, source_path: Path | str | None = None) -> Corpus:
    """Parse a WordPress WXR export into a Corpus: one thread per post, ids as in WordPress.

    Pingbacks, trackbacks, unapproved, spam and trashed comments are skipped.  A comment is
    the post author's when its ``comment_user_id`` is the id of the post's ``dc:creator``.
    """
    root = parse_xml(text, source_path, expected=_EXPECTED_WXR)
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise FormatError(f"expected {_EXPECTED_WXR}; the root element is <{root.tag}>", path=source_path)
    users = {_field(a, "author_login"): (_field(a, "author_id"), _field(a, "author_display_name"))
             for a in channel.findall("author")}
    rows, threads, skipped, skipped_parents, records = [], [], [], {}, 0
    for number, item in enumerate(channel.findall("item"), start=1):
        thread_id = _field(item, "post_id") or f"item{number}"
        creator = _field(item, "creator")
        author_id, display_name = users.get(creator, (None, creator))
        threads.append(_thread(thread_id, _field(item, "title"), _field(item, "link"), author_or_none(display_name)))
        for comment in item.findall("comment"):
            records += 1
            comment_id = _field(comment, "comment_id")
            if comment_id is None:
                raise FormatError("expected <wp:comment_id> in every <wp:comment>; found none",
                                  path=source_path, record=f"post {thread_id}")
            parent = _field(comment, "comment_parent")
            parent_id = None if parent in (None, "0") else parent
            kind = _field(comment, "comment_type")
            approved = _field(comment, "comment_approved") or "1"
            reason = kind if kind in ("pingback", "trackback") else _WXR_SKIPPED.get(approved)
            if reason:
                skipped.append({"record": comment_id, "reason": reason})
                skipped_parents[comment_id] = parent_id
                continue
            user_id = _field(comment, "comment_user_id")
            rows.append({"comment_id": comment_id, "thread_id": thread_id, "parent_id": parent_id,
                         "author": author_or_none(_field(comment, "comment_author")),
                         "created_at": _wxr_time(comment, source_path, comment_id),
                         "text": _wxr_text(comment.findtext("comment_content"), source_path, comment_id),
                         "source": NAME_WXR,
                         "is_post_author": author_id is not None and user_id == author_id,
                         "is_placeholder": False})
    rows = stand_ins_for_skipped(rows, skipped_parents, NAME_WXR)
    return build_corpus(rows, threads, skipped, source_path, records=records)


def read_wxr(path: Path | str) -> Corpus:
    """Read a WordPress WXR export from ``path`` (see :func:`parse_wxr`)."""
    return read_source(path, parse_wxr)


def looks_like_wxr(head: str) -> bool:
    return "<rss" in head and ("wordpress.org/export" in head or "<wp:" in head)
