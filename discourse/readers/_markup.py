"""Helpers shared by the HTML and XML readers: safe parsing, HTML to plain text, tree building.

Not a format of its own; :mod:`wordpress`, :mod:`disqus` and :mod:`hackernews_html` use it.
"""

from __future__ import annotations

import re
from copy import deepcopy
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import defusedxml
import defusedxml.ElementTree as SafeET
import lxml.etree
import lxml.html
import pandas as pd

from ..model.corpus import SKIPPED_COLUMNS, THREAD_COLUMNS, Corpus
from ..exceptions import FormatError, SchemaError
from ..model.schema import is_relative_time
from ..model.tree import complete_tree
from ._io import note, own_parents_blanked, read_text_file, table_of

if TYPE_CHECKING:
    from collections.abc import Iterable
    from xml.etree.ElementTree import Element

#: Names sites show instead of a person; they mean "no known author", not a commenter so named.
_NO_AUTHOR = {"", "anonymous", "guest", "[deleted]", "[removed]", "deleted", "unknown"}


def author_or_none(name: object) -> str | None:
    """A display name with whitespace collapsed, or None for a missing or anonymous author."""
    if name is None:
        return None
    name = " ".join(str(name).split())
    return None if name.lower() in _NO_AUTHOR else name


def has_class(name: str) -> str:
    """XPath predicate matching elements whose class attribute contains the word ``name``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def classes(element: lxml.html.HtmlElement) -> set[str]:
    return set((element.get("class") or "").split())


# -- HTML -------------------------------------------------------------------------------------

_PARAGRAPH_TAGS = {"p", "div", "blockquote", "pre", "ul", "ol", "dl", "table", "h1", "h2", "h3",
                   "h4", "h5", "h6", "hr", "article", "section", "header", "footer", "figure"}
_LINE_TAGS = {"br", "li", "tr", "dt", "dd"}
_INVISIBLE_TAGS = {"script", "style", "noscript", "template", "head", "title"}
_PARAGRAPH, _LINE = object(), object()


def _marker(tag: str | None) -> object | None:
    return _PARAGRAPH if tag in _PARAGRAPH_TAGS else _LINE if tag in _LINE_TAGS else None


def _pieces(root: lxml.html.HtmlElement, out: list[object]) -> None:
    """Flatten an element into text runs and break markers, in document order (not the root's tail).

    Iterative, so markup nested thousands of levels deep needs no recursion.
    """
    stack = [(root, False)]
    while stack:
        element, closing = stack.pop()
        tag = element.tag.lower() if isinstance(element.tag, str) else None  # comments have no str tag
        if closing:
            if _marker(tag) is _PARAGRAPH:
                out.append(_PARAGRAPH)
        elif tag is not None and tag not in _INVISIBLE_TAGS:
            marker = _marker(tag)
            if marker is not None:
                out.append(marker)
            if element.text:
                out.append(element.text)
            stack.append((element, True))
            stack.extend((child, False) for child in reversed(element))
            continue
        if element is not root and element.tail:
            out.append(element.tail)


#: libxml2 stops building the tree below this many nested elements (with its "huge" option; 256
#: without), silently dropping the rest of the page: such input is refused instead.
_MAX_NESTING = 2048


def _html_parser() -> lxml.html.HTMLParser:
    """A fresh lxml HTML parser: no network, deep nesting allowed up to libxml2's hard limit."""
    return lxml.html.HTMLParser(huge_tree=True, no_network=True)


def _check_depth(parser: lxml.html.HTMLParser, path: Path | str | None, record: object = None) -> None:
    for entry in parser.error_log:
        if "Excessive depth" in entry.message:
            raise FormatError(f"expected HTML nested at most {_MAX_NESTING} elements deep; found deeper nesting "
                              "(around here), which would lose the rest of the page; refusing it",
                              path=path, line=entry.line if record is None else None, record=record)


def html_to_text(source: lxml.html.HtmlElement | str | None, *, path: Path | str | None = None,
                 record: object = None) -> str:
    """Plain text of an HTML element or fragment string: paragraphs separated by a blank line.

    Whitespace inside a line, no-break spaces included, is collapsed as a browser does (saved
    pages are often re-indented by formatters, and source newlines carry no meaning in HTML); ``<br>`` and
    list items end a line, block elements a paragraph.  Entities are decoded by the parser.
    ``path`` and ``record`` name the fragment's place in errors (markup nested too deep to read).
    """
    if source is None:
        return ""
    if isinstance(source, (int, float)):  # a number where HTML belongs (a JSON field of the wrong type)
        source = str(source)
    if isinstance(source, str):
        if not source.strip():
            return ""
        parser = _html_parser()
        source = lxml.html.fragment_fromstring(source, create_parent="div", parser=parser)
        _check_depth(parser, path, record)
    pieces = []
    _pieces(source, pieces)  # the text after the element is not part of it
    paragraphs, lines, line = [], [], []

    def end_line() -> None:
        text = " ".join("".join(line).split())
        if text:
            lines.append(text)
        line.clear()

    for piece in pieces:
        if piece is _PARAGRAPH or piece is _LINE:
            end_line()
            if piece is _PARAGRAPH and lines:
                paragraphs.append("\n".join(lines))
                lines.clear()
        else:
            line.append(piece)
    end_line()
    if lines:
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def text_without(element: lxml.html.HtmlElement, *class_names: str) -> str:
    """Plain text of ``element`` minus descendants having any of ``class_names``."""
    copy = deepcopy(element)
    for name in class_names:
        for unwanted in copy.xpath(f".//*[{has_class(name)}]"):
            unwanted.drop_tree()  # keeps the text that follows the dropped element
    return html_to_text(copy)


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def parse_html(text: str, path: Path | str | None) -> lxml.html.HtmlElement:
    """An lxml.html document; lxml's HTML parser neither fetches nor expands external entities."""
    # lxml refuses str input that carries an encoding declaration (saved XHTML pages do).
    text = _XML_DECLARATION.sub("", text.lstrip("\ufeff"), count=1)
    parser = _html_parser()
    try:
        document = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise FormatError(f"expected an HTML page; {exc}", path=path) from None
    _check_depth(parser, path)
    return document


# -- XML --------------------------------------------------------------------------------------

_USED_PREFIX = re.compile(r"</?([A-Za-z_][\w.-]*):[A-Za-z_]|\s([A-Za-z_][\w.-]*):[A-Za-z_][\w.-]*\s*=\s*[\"']")
_DECLARED_PREFIX = re.compile(r"xmlns:([A-Za-z_][\w.-]*)\s*=")
_ROOT_START = re.compile(r"<(?![?!])[^\s/>]+")


def _declare_missing_prefixes(text: str) -> str:
    """Declare, on the root element, namespace prefixes the document uses but never declares.

    Real exports (hand-edited WXR, some Disqus dumps) write ``wp:comment`` or ``dsq:id`` without
    ``xmlns:wp``; a conforming parser stops at the first one.  Elements are looked up by local
    name afterwards, so any URI will do: each missing prefix gets a placeholder URN.
    """
    used = {a or b for a, b in _USED_PREFIX.findall(text)}
    missing = sorted(used - set(_DECLARED_PREFIX.findall(text)) - {"xml", "xmlns"})
    root = _ROOT_START.search(text)
    if not missing or root is None:
        return text
    declarations = "".join(f' xmlns:{prefix}="urn:discourse:undeclared:{prefix}"' for prefix in missing)
    return text[:root.end()] + declarations + text[root.end():]


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1] if name.startswith("{") else name


def parse_xml(text: str, path: Path | str | None, *, expected: str) -> Element:
    """Root element of untrusted XML with namespaces stripped from tags and attributes.

    defusedxml refuses any DOCTYPE, so entity bombs and external entities never expand.
    ``expected`` names the format in error messages.
    """
    text = _declare_missing_prefixes(text.lstrip("\ufeff"))
    try:
        root = SafeET.fromstring(text, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden as exc:
        raise FormatError(f"expected {expected} without a DOCTYPE; found <!DOCTYPE {exc.name} ...>, whose "
                          "entities could expand without bound or read other files; refusing it", path=path) from None
    except defusedxml.DefusedXmlException as exc:
        raise FormatError(f"expected {expected} without entity declarations or external references; "
                          f"found {exc}; refusing it", path=path) from None
    except SafeET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise FormatError(f"expected {expected}; the XML is not well-formed: {exc}", path=path, line=line) from None
    for element in root.iter():
        element.tag = _local(element.tag)
        if any(key.startswith("{") for key in element.attrib):
            attributes = {_local(key): value for key, value in element.attrib.items()}
            element.attrib.clear()
            element.attrib.update(attributes)
    return root


# -- building the corpus ----------------------------------------------------------------------

def utc(value: object, *, path: Path | str | None = None, record: object = None,
        strict: bool = True) -> pd.Timestamp:
    """A tz-aware UTC timestamp; naive times are taken as UTC.  Empty values give NaT.

    ``strict``: an unreadable value (a machine-written field) is reported with
    :func:`~discourse.readers._io.note` (an error when the corpus is read strictly); otherwise
    it silently gives NaT (dates written for people, in any language).  A time outside what a
    nanosecond clock holds (9999-12-31, 0001-01-01) is always reported, and NaT.
    """
    if value is None or not str(value).strip():
        return pd.NaT
    try:
        if is_relative_time(str(value)):
            raise ValueError("a relative time")  # pandas would read the moment of the run
        stamp = pd.Timestamp(str(value).strip())
    except (ValueError, TypeError, OverflowError):
        if strict:
            note(f"expected a date and time; found {str(value)[:40]!r}", "its time left blank",
                 path=path, record=record)
        return pd.NaT
    if stamp is pd.NaT:
        return stamp
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    if not _EARLIEST <= stamp <= _LATEST:
        note(f"expected a date and time from 1677 to 2262; found {str(value)[:40]!r}", "its time left blank",
             path=path, record=record)
        return pd.NaT
    return stamp


#: The times a nanosecond clock (pandas' datetime64[ns]) holds.
_EARLIEST, _LATEST = pd.Timestamp.min.tz_localize("UTC"), pd.Timestamp.max.tz_localize("UTC")


def placeholder(comment_id: str, thread_id: str, parent_id: str | None, source: str) -> dict[str, Any]:
    return {"comment_id": comment_id, "thread_id": thread_id, "parent_id": parent_id, "author": None,
            "created_at": pd.NaT, "text": "", "source": source, "is_placeholder": True,
            "is_post_author": False}


#: The most levels a comment may lie below the comment before it on a page: each is a placeholder
#: for a comment the page does not show.  A deeper jump is taken as this one, and reported.
MAX_MISSING_LEVELS = 100


def depth_number(digits: str) -> int:
    """ASCII digits as a depth; more than nine of them (no page nests that deep, and thousands
    of digits are more than ``int`` converts) as a billion, which :class:`DepthLinker` caps."""
    return int(digits) if len(digits) <= 9 else 10 ** 9


class DepthLinker:
    """Parent links from the nesting depth of comments listed in page order.

    A comment ``k`` levels deeper than the one before it hangs under ancestors the page does
    not show: placeholders stand in for them, so no reply is attached to the wrong person.
    """

    def __init__(self, thread_id: str, source: str, path: Path | str | None = None) -> None:
        self.thread_id, self.source, self.path = thread_id, source, path
        self.open_by_depth, self.placeholders, self.rows = [], 0, []

    def add(self, row: dict[str, Any], depth: int) -> None:
        """Append ``row`` (a comment dict) at ``depth`` (1 = top level), setting its parent.

        A jump of more than :data:`MAX_MISSING_LEVELS` levels (``indent="3000000"``) is taken as
        that many, and reported: the number written must not make millions of rows.
        """
        missing = depth - 1 - len(self.open_by_depth)
        if missing > MAX_MISSING_LEVELS:
            note(f"comment {row['comment_id']!r} is {depth:,} levels deep, {missing:,} below the comment before it",
                 f"placed {MAX_MISSING_LEVELS} levels below it", path=self.path, record=row["comment_id"])
            depth = len(self.open_by_depth) + 1 + MAX_MISSING_LEVELS
        del self.open_by_depth[max(depth - 1, 0):]
        while len(self.open_by_depth) < depth - 1:
            self.placeholders += 1
            parent = self.open_by_depth[-1] if self.open_by_depth else None
            missing = f"{self.thread_id}:missing{self.placeholders}"
            self.rows.append(placeholder(missing, self.thread_id, parent, self.source))
            self.open_by_depth.append(missing)
        self.rows.append({**row, "parent_id": self.open_by_depth[-1] if self.open_by_depth else None})
        self.open_by_depth.append(row["comment_id"])


def stand_ins_for_skipped(rows: Iterable[dict[str, Any]], skipped_parents: dict[str, str | None],
                          source: str) -> list[dict[str, Any]]:
    """Rows with a placeholder, in the skipped record's place, for every skipped parent of a kept reply.

    ``skipped_parents`` maps the id of a record left out (spam, unapproved) to its own parent, so
    the placeholder keeps the reply at its true depth without carrying the record's content.
    """
    out, placed = [], set()
    for row in rows:
        chain, parent = [], row["parent_id"]
        while parent in skipped_parents and parent not in placed:
            chain.append(parent)
            placed.add(parent)
            parent = skipped_parents[parent]
        for comment_id in reversed(chain):
            out.append(placeholder(comment_id, row["thread_id"], skipped_parents[comment_id], source))
        out.append(row)
    return out


def build_corpus(rows: list[dict[str, Any]], threads: Iterable[dict[str, Any]], skipped: Iterable[dict[str, Any]],
                 source_path: Path | str | None, *, records: int | None = None) -> Corpus:
    """Corpus from comment dicts, thread dicts (kept only if they hold comments) and skip records.

    ``records`` is how many comment records the reader met (see :func:`discourse.model.corpus.tally`).
    """
    path = None if source_path is None else str(source_path)
    comments = table_of(rows, path=path, columns=list(dict.fromkeys(
        ["comment_id", "thread_id", "parent_id", "author", "created_at", "text", "source",
         "is_post_author", "is_placeholder"] + [key for row in rows for key in row])))
    comments["created_at"] = pd.to_datetime(comments["created_at"], utc=True)
    comments = own_parents_blanked(comments, path=path)
    try:
        comments = complete_tree(comments)
    except SchemaError as exc:
        raise FormatError(str(exc), path=source_path) from None
    present = set(comments["thread_id"])
    thread_frame = table_of([{**thread, "source_path": path} for thread in threads
                                 if thread["thread_id"] in present], columns=THREAD_COLUMNS)
    thread_frame = thread_frame.astype({name: "Int64" if name == "declared_comments" else "string"
                                        for name in THREAD_COLUMNS})
    skipped_frame = pd.DataFrame([{**record, "source_path": path} for record in skipped],
                                 columns=SKIPPED_COLUMNS).astype("string")
    return Corpus(comments=comments, threads=thread_frame, skipped=skipped_frame, records=records)


def read_source(path: Path | str, parse: Callable[..., Corpus], **options: object) -> Corpus:
    """Decode ``path`` (UTF-8, or UTF-16 with a byte-order mark) and hand its text to ``parse``; errors name the file."""
    path = Path(path)
    return parse(read_text_file(path), source_path=path, **options)
