"""Plain-text copies of threaded comment sections (a WordPress page copied from a browser).

Layout::

    Post title
    <article paragraphs>
    85 comments
      1. Name                      <- author line, indented two spaces per nesting level
        body line                  <- body, one level deeper than its author line
        Reply                      <- ends the comment
        1. Other Name Post author  <- a reply; "Post author" is the site's badge
          ...
    Leave a Reply                  <- ends the section

Copies lose comments (deleted, held for moderation, on another page).  A reply whose nesting
jumps more than one level, or whose list numbering restarts at 1 after a sibling list at its
level, hangs under ancestors the copy does not show: placeholders stand in for them, so no
reply is ever attached to the wrong person.
"""

import re
from pathlib import Path

import pandas as pd

from ..model.corpus import Corpus, empty_skipped
from ..exceptions import FormatError
from ..model.tree import complete_tree
from ._io import read_text_file

NAME = "text"

_AUTHOR = re.compile(r"^(?P<indent> *)(?P<number>\d+)\.[ \t]+(?P<name>\S.*?)\s*$")
_COUNT = re.compile(r"^\s*(?P<count>\d[\d,.]*|one|no)\s+(comments?|responses?|replies|thoughts?)\b.*$", re.I)
_SECTION_END = re.compile(r"^\s*leave a (reply|comment)\s*$", re.I)
_BADGE = re.compile(r"\s+post\s+author$", re.I)
_REPLY = "Reply"


def _indent(line):
    return len(line) - len(line.lstrip(" "))


def _is_section_end(line):
    """"Leave a Reply" ends the section only outside every comment (indented less than a top-level one):
    a commenter may write those words in a body."""
    return _SECTION_END.match(line) is not None and _indent(line) < 2


def _next_content(lines, start):
    """Index of the first non-blank line at or after ``start`` (len(lines) if none)."""
    while start < len(lines) and not lines[start].strip():
        start += 1
    return start


def _is_author_line(lines, index):
    """An author line is ``k. Name`` at an even indentation whose next content is indented deeper.

    The look-ahead is what tells a reply's author line from a numbered list inside a body:
    list items are followed by items at the same indentation, comments by their own body.
    """
    if index >= len(lines):
        return False
    match = _AUTHOR.match(lines[index])
    if not match or len(match["indent"]) == 0 or len(match["indent"]) % 2:
        return False
    following = _next_content(lines, index + 1)
    return following < len(lines) and _indent(lines[following]) >= len(match["indent"]) + 2


def _ends_comment(lines, index, body_indent):
    """True if ``lines[index]`` is the comment's closing "Reply" line."""
    line = lines[index]
    if line.strip() != _REPLY or _indent(line) != body_indent:
        return False
    following = _next_content(lines, index + 1)
    return following == len(lines) or _is_section_end(lines[following]) or _is_author_line(lines, following)


def _find_comment_list(lines, path):
    """Index of the "N comments" line and the count it declares."""
    for index, line in enumerate(lines):
        match = _COUNT.match(line)
        if match and _is_author_line(lines, _next_content(lines, index + 1)):
            word = match["count"].lower()
            count = {"one": 1, "no": 0}.get(word)
            return index, count if count is not None else int(re.sub(r"[,.]", "", word))
    for index in range(len(lines)):
        match = _AUTHOR.match(lines[index])
        if match and match["indent"] == "  " and match["number"] == "1" and _is_author_line(lines, index):
            return index - 1, None
    raise FormatError(
        "expected a comment list: an 'N comments' line followed by author lines '  1. Name' "
        "(indented two spaces per level); found none", path=path)


def _body(lines, body_indent):
    text = [line[body_indent:] if not line[:body_indent].strip() else line.strip() for line in lines]
    while text and not text[-1].strip():
        text.pop()
    while text and not text[0].strip():
        text.pop(0)
    return "\n".join(line.rstrip() for line in text)


class _TreeBuilder:
    """Turns (depth, list number) of each author line into parent links, adding placeholders."""

    def __init__(self):
        self.rows, self.open_by_depth, self.last_number = [], [], {}
        self.placeholders = 0

    def _placeholder(self, parent, line):
        self.placeholders += 1
        row = {"comment_id": f"missing{self.placeholders}", "parent_id": parent, "author": None,
               "text": "", "is_placeholder": True, "is_post_author": False, "meta_line": line}
        self.rows.append(row)
        return row["comment_id"]

    def add(self, comment_id, depth, number, row):
        line = row["meta_line"]
        if len(self.open_by_depth) < depth - 1:
            # Nesting jumps: the levels in between are missing from the copy.
            while len(self.open_by_depth) < depth - 1:
                parent = self.open_by_depth[-1] if self.open_by_depth else None
                self.open_by_depth.append(self._placeholder(parent, line))
        else:
            del self.open_by_depth[depth - 1:]
        parent = self.open_by_depth[-1] if depth > 1 else None
        previous = self.last_number.get(parent)
        if depth > 1 and previous is not None and number <= previous:
            # A new sibling list at this level: its parent is a missing sibling of `parent`.
            grandparent = self.open_by_depth[-2] if depth > 2 else None
            parent = self._placeholder(grandparent, line)
            self.open_by_depth[-1] = parent
        self.last_number[parent] = number
        self.rows.append({**row, "comment_id": comment_id, "parent_id": parent})
        self.open_by_depth.append(comment_id)


def parse_text(text, *, thread_id="thread", source_path=None):
    """Parse a plain-text comment section into a :class:`~discourse.model.corpus.Corpus`.

    Comment ids are ``c1, c2, ...`` in source order; placeholders are ``missing1, ...``.
    ``meta_line`` holds each comment's line number in the text (1-based).
    """
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ").split("\n")
    count_index, declared = _find_comment_list(lines, source_path)
    header = [line.strip() for line in lines[:max(count_index, 0)]]
    title = next((line for line in header if line), None)
    builder, post_author = _TreeBuilder(), None
    index, found = _next_content(lines, count_index + 1), 0
    while index < len(lines) and not _is_section_end(lines[index]):
        if not _is_author_line(lines, index):
            raise FormatError(
                f"expected a comment's author line 'k. Name' indented by two spaces per level; "
                f"found {lines[index].strip()[:60]!r} indented {_indent(lines[index])} spaces",
                path=source_path, line=index + 1)
        match = _AUTHOR.match(lines[index])
        depth, body_indent = len(match["indent"]) // 2, len(match["indent"]) + 2
        name, is_post_author = _BADGE.sub("", match["name"]), bool(_BADGE.search(match["name"]))
        post_author = name if is_post_author else post_author
        start = end = index + 1
        while end < len(lines) and not _ends_comment(lines, end, body_indent):
            if lines[end].strip() and _indent(lines[end]) < body_indent:
                if _is_author_line(lines, end) or _is_section_end(lines[end]):
                    break  # the copy lost this comment's "Reply" line
                raise FormatError(
                    f"expected the body of {name}'s comment (line {index + 1}) indented {body_indent} spaces, "
                    f"or its 'Reply' line; found {lines[end].strip()[:60]!r} indented {_indent(lines[end])} spaces",
                    path=source_path, line=end + 1)
            end += 1
        found += 1
        builder.add(f"c{found}", depth, int(match["number"]), {
            "author": name, "text": _body(lines[start:end], body_indent), "is_placeholder": False,
            "is_post_author": is_post_author, "meta_line": index + 1})
        index = _next_content(lines, end + 1 if end < len(lines) and lines[end].strip() == _REPLY else end)
    comments = pd.DataFrame(builder.rows, columns=[
        "comment_id", "parent_id", "author", "text", "is_placeholder", "is_post_author", "meta_line"])
    if post_author is not None:
        comments["is_post_author"] = comments["is_post_author"] | (comments["author"] == post_author)
    comments.insert(1, "thread_id", thread_id)
    comments["created_at"] = pd.NaT
    comments["source"] = NAME
    threads = pd.DataFrame([{
        "thread_id": thread_id, "title": title, "url": None, "post_author": post_author,
        "declared_comments": declared, "source_path": None if source_path is None else str(source_path),
    }]).astype({"declared_comments": "Int64"})
    return Corpus(comments=complete_tree(comments), threads=threads, skipped=empty_skipped(), records=found)


def read_text(path, *, thread_id=None, encoding=None):
    """Read a plain-text comment section from ``path``; the thread id defaults to the file's stem.

    The text is UTF-8 (or UTF-16 with a byte-order mark) unless ``encoding`` names another codec.
    """
    path = Path(path)
    text = read_text_file(path, encoding)
    return parse_text(text, thread_id=thread_id or path.stem, source_path=path)


def looks_like_text(head):
    """Content sniffing for format detection: an 'N comments' line followed by an author line."""
    lines = head.splitlines()
    try:
        _find_comment_list(lines, None)
    except FormatError:
        return False
    return True
