"""Plain-text copies of threaded comment sections (a page's comments copied from a browser).

The reader infers the copy's layout from the whole file, then reads every comment with it:

- author lines: numbered ``k. Name`` (as Firefox copies an ordered list), ``Name says:`` (the
  WordPress default themes), either one with a date line after it, or a bare ``Name`` followed by
  a date line; ``Post author`` after a name is the site's badge for the post's author;
- nesting: by indentation in any unit (2 or 4 spaces, tabs, tabs and spaces mixed; a tab is one
  level), non-breaking spaces counted as spaces; a copy with no indentation at all shows no
  nesting, and then every comment is read as top level, with a note saying so;
- dates: ``April 19, 2025 at 3:01 pm``, ``19 April 2025 at 15:01``, ``2025-04-19 15:01``,
  ``04/19/2025 3:01 PM`` and the like become ``created_at`` (UTC: a copy does not say its zone);
- decorations: ``Reply``, ``Log in to Reply``, ``Like``, ``Loading...``, ``Report``, ``Edit``,
  vote counts, avatars' alt text, ``N thoughts on “Title”``, ``Comments are closed.``,
  ``Leave a Reply``; a word a comment may also end with ("Reply", "Like", "+1") is removed only
  where most comments of the copy show it, and once per comment.

Copies lose comments (deleted, held for moderation, on another page).  A reply whose nesting
jumps more than one level, or whose list numbering restarts at 1 after a sibling list at its
level, hangs under ancestors the copy does not show: placeholders stand in for them, so no
reply is ever attached to the wrong person.  One jump adds at most :data:`MAX_JUMP` placeholders.

What was inferred is on the threads table (columns ``layout`` and ``reading_notes``) and in the
report's data notes; a line whose role is doubtful is named there rather than guessed silently.
"""

from collections import Counter
from pathlib import Path

import pandas as pd

from ..exceptions import DiscourseError, FormatError
from ..model.corpus import Corpus, empty_skipped
from ..model.tree import complete_tree
from ._io import note, read_text_file, table_of
from .text_layout import (GAP_DECORATIONS, AuthorLine, MISSING_AUTHORS, Layout, Line, author_line, date_order, declared_count,
                          decoration, is_ambiguous, is_date, is_section_end, looks_like_sentence, plain_name,
                          read_date, split_lines)

__all__ = ["parse_text", "read_text", "looks_like_text", "MAX_JUMP"]

NAME = "text"
#: The most placeholders one level jump may add: a reply indented 50 levels below its parent hangs
#: under a chain of 20 placeholders (nested comment sections rarely go past 10 levels).
MAX_JUMP = 20
#: Past this many placeholders in one file, each further jump adds one (still never a wrong parent).
_PLACEHOLDER_BUDGET = 1000
_REPLY_KINDS = {"Reply", "Log in to Reply"}
_NOTED_LINES = 5  # doubtful lines named one by one in the notes; the rest are counted


class _Copy:
    """The lines of a copy with the indexes the reader looks things up by."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.next = [len(lines)] * (len(lines) + 1)  # next non-blank line after i
        following = len(lines)
        for i in range(len(lines) - 1, -1, -1):
            self.next[i] = following
            if lines[i].text:
                following = i
        self.first = following  # the first non-blank line
        self.previous = [-1] * len(lines)
        preceding = -1
        for i, line in enumerate(lines):
            self.previous[i] = preceding
            if line.text:
                preceding = i
        self.unit = 1

    def width(self, index: int) -> int:
        line = self.lines[index]
        return line.tabs * self.unit + line.spaces

    def date_after(self, index: int, end: int) -> int | None:
        """Index of the date line just after ``index`` (skipping avatar and badge lines), or None."""
        at = self.next[index]
        for _ in range(3):
            if at >= end:
                return None
            line = self.lines[at]
            if is_date(line):
                return at
            if decoration(line.key) not in ("avatar", "Share", "Edit") and line.key not in ("post author", "author"):
                return None
            at = self.next[at]
        return None


def _section_start(copy: _Copy) -> tuple[int, int | None, bool, str | None]:
    """(first line of the comments, declared count, whether a count line was seen, title it names)."""
    for index, line in enumerate(copy.lines):
        is_count, count = declared_count(line)
        if not is_count:
            continue
        following = copy.next[index]
        for _ in range(4):  # "Comments are closed." or an avatar may stand between the count and a comment
            if following >= len(copy.lines):
                break
            candidate = copy.lines[following]
            if author_line(candidate) or (plain_name(candidate) and copy.date_after(following, len(copy.lines))):
                title = None
                for mark in ("“", '"', "«"):
                    if mark in line.text:
                        title = line.text[line.text.index(mark) + 1:].rstrip("”\"» ").strip() or None
                        break
                return index + 1, count, True, title
            if not decoration(candidate.key):
                break
            following = copy.next[following]
    return 0, None, False, None


def _unit_and_label(copy: _Copy, start: int) -> tuple[int, str, bool]:
    """Spaces per level, a name for the indentation, and whether the copy is flat (no indentation)."""
    content = [line for line in copy.lines[start:] if line.text]
    spaced = {line.spaces for line in content if line.spaces}  # distinct widths: one long body weighs as one line
    tabbed = any(line.tabs for line in content)
    unit = 1
    for candidate in (8, 4, 3, 2):
        if spaced and sum(1 for width in spaced if width % candidate == 0) >= 0.75 * len(spaced):
            unit = candidate
            break
    indented = sum(1 for line in content if line.tabs or line.spaces)
    flat = indented <= 0.02 * len(content)
    if flat:
        return max(unit, 1), "none", True
    if tabbed and spaced:
        return unit, f"tab and {unit}-space", False
    return unit, ("tab" if tabbed else f"{unit}-space"), False


class _Candidate:
    __slots__ = ("index", "shape", "date", "addressee")

    def __init__(self, index: int, shape: AuthorLine, date: int | None, addressee: str | None = None) -> None:
        self.index, self.shape, self.date, self.addressee = index, shape, date, addressee


def _with_addressee(copy: _Copy, candidate: _Candidate, start: int) -> _Candidate:
    """Disqus's copy puts the replier's name on the line above the name it answers ("Bob", "Ann", "•",
    "3 years ago"): when a name line stands right above a dated name line, at a comment's start, the
    upper one is the author and the lower one whom the comment answers."""
    above = candidate.index - 1
    if above < start or not copy.lines[above].text or copy.width(above) != copy.width(candidate.index):
        return candidate
    before = copy.previous[above]
    if before >= start and decoration(copy.lines[before].key) is None and not is_date(copy.lines[before]):
        return candidate
    name = plain_name(copy.lines[above])
    if name is None or author_line(copy.lines[above]) is not None:
        return candidate
    return _Candidate(above, name, candidate.date, addressee=candidate.shape.name)


def _author_lines(copy: _Copy, start: int, flat: bool, notes: list) -> tuple[list[_Candidate], bool]:
    """The author lines of the copy and whether its layout is dated."""
    lines, end = copy.lines, len(copy.lines)
    shaped, dated_plain = [], []
    for index in range(start, end):
        line = lines[index]
        if not line.key:
            continue
        shape = author_line(line)
        date = copy.date_after(index, end) if (shape or not is_date(line)) else None
        if shape is not None:
            shaped.append(_Candidate(index, shape, date))
        elif date is not None:
            name = plain_name(line)
            if name is not None:
                dated_plain.append(_with_addressee(copy, _Candidate(index, name, date), start))
    taken = {c.index for c in dated_plain}
    dated = [c for c in shaped if c.date is not None and c.index not in taken] + dated_plain
    if dated:
        undated = sum(1 for c in shaped if c.date is None and _confirmed_undated(copy, c, flat, start))
        if len(dated) >= undated:
            chosen = sorted(dated, key=lambda c: c.index)
            # A date line is the comment's own: a body line shaped like an author just before it is not.
            return [c for c in chosen if not any(o.date == c.index for o in chosen)], True
    chosen = [c for c in shaped if _confirmed_undated(copy, c, flat, start)]
    if flat and not chosen:
        # Neither dates nor "Reply" lines mark the comments: numbered name-like lines are the best guess.
        chosen = [c for c in shaped if c.shape.number is not None and not looks_like_sentence(c.shape.name)]
        if chosen:
            notes.append("the copy has no indentation, no dates and no 'Reply' lines: every numbered line that reads "
                         "like a name ('k. Name') is taken for an author line, so a numbered list in a comment "
                         "may have been read as comments")
    return chosen, False


def _confirmed_undated(copy: _Copy, candidate: _Candidate, flat: bool, start: int) -> bool:
    """An undated author line: its body is indented deeper, or (flat copies) it follows a "Reply" line."""
    index = candidate.index
    following = copy.next[index]
    if following >= len(copy.lines):
        return False
    if not flat:
        return copy.width(following) > copy.width(index)
    previous = copy.previous[index]
    if previous < start:
        return True
    before = copy.lines[previous]
    return decoration(before.key) in _REPLY_KINDS or (
        candidate.shape.says and (decoration(before.key) is not None or is_date(before) is not None))


def _section_end(copy: _Copy, last_author: int, top_width: int) -> int:
    """Index of the line that ends the comment section ("Leave a Reply"), or the end of the file."""
    ends = [i for i in range(last_author + 1, len(copy.lines)) if is_section_end(copy.lines[i])]
    if top_width > 0:
        ends = [i for i in ends if copy.width(i) < top_width]
        return ends[0] if ends else len(copy.lines)
    return ends[-1] if ends else len(copy.lines)


def _body_floor(copy: _Copy, candidate: _Candidate, dated: bool) -> int:
    """The least indentation of the comment's own lines: less indented lines stand outside it.

    Undated author lines were told by their body being indented deeper, so that depth is the floor.
    """
    width = copy.width(candidate.index)
    if dated:
        return width
    following = copy.next[candidate.index]
    return max(width + 1, copy.width(following)) if following < len(copy.lines) else width + 1


def _tail_run(copy: _Copy, start: int, stop: int, floor: int) -> list[str]:
    """Decoration kinds of the lines ending ``[start, stop)``, last first, up to the first text line."""
    kinds, at = [], stop - 1
    while at >= start:
        line = copy.lines[at]
        if line.text and copy.width(at) >= floor:
            kind = decoration(line.key)
            if kind is None:
                break
            kinds.append(kind)
        at -= 1
    return kinds


def _read_block(copy: _Copy, candidate: _Candidate, stop: int, layout: Layout, removable: set,
                seen: Counter, doubts: list) -> tuple[str, pd.Timestamp | None, str | None]:
    """(body text, time, raw date text) of the comment whose author line is ``candidate``."""
    lines = copy.lines
    floor = 0 if not layout.nesting_visible else _body_floor(copy, candidate, layout.dated)
    begin, time, date_text = candidate.index + 1, None, None
    if candidate.date is not None and candidate.date < stop:
        date_line = lines[candidate.date]
        date_text = date_line.text
        time = read_date(date_line, layout.date_order)
        begin = candidate.date + 1
        for at in range(candidate.index + 1, candidate.date):  # an avatar or badge line before the date
            if lines[at].text:
                seen[decoration(lines[at].key) or "badge"] += 1
    # Decorations right after the head: "(Edit)", an avatar.
    at = copy.next[begin - 1]
    while at < stop and decoration(lines[at].key) in ("Edit", "avatar"):
        seen[decoration(lines[at].key)] += 1
        begin = at + 1
        at = copy.next[at]
    end = stop
    if layout.reply_lines:
        for at in range(stop - 1, begin - 1, -1):
            if lines[at].text and decoration(lines[at].key) in _REPLY_KINDS and copy.width(at) >= floor:
                for after in range(at + 1, stop):  # what stands between this "Reply" and the next comment
                    _outside(copy, after, seen, doubts)
                seen[decoration(lines[at].key)] += 1
                end = at
                break
    used = set()
    while True:  # strip the comment's own decorations, last first, each kind once
        at = end - 1
        while at >= begin and (not lines[at].text or copy.width(at) < floor):  # outside lines: see below
            at -= 1
        if at < begin:
            break
        kind = decoration(lines[at].key)
        if kind is None or kind in used or (is_ambiguous(kind) and kind not in removable):
            break
        if kind == "Reply" and layout.reply_lines:
            break  # the comment's "Reply" is taken above: another one is its own words
        used.add(kind)
        seen[kind] += 1
        end = at
    if layout.trailing_dates and candidate.date is None:
        at = end - 1
        while at >= begin and not lines[at].text:
            at -= 1
        if at >= begin and is_date(lines[at]):
            time, date_text, end = read_date(lines[at], layout.date_order), lines[at].text, at
    body = []
    for at in range(begin, end):
        line = lines[at]
        if line.text and copy.width(at) < floor:
            _outside(copy, at, seen, doubts)
            continue
        body.append(at)
    while body and not lines[body[-1]].text:
        body.pop()
    while body and not lines[body[0]].text:
        body.pop(0)
    if not body:
        return "", time, date_text
    indent = min(copy.width(at) for at in body if lines[at].text)
    return "\n".join(" " * (copy.width(at) - indent) + lines[at].text if lines[at].text else "" for at in body), \
        time, date_text


def _outside(copy: _Copy, index: int, seen: Counter, doubts: list) -> None:
    """A line between comments: a decoration is counted, anything else is named in the notes."""
    line = copy.lines[index]
    if not line.text:
        return
    kind = decoration(line.key)
    if kind is not None:
        seen[kind] += 1
    elif not is_section_end(line):
        doubts.append(f"line {index + 1} ({line.text[:40]!r}) stands between comments and was read as no comment's text")


class _TreeBuilder:
    """Turns (depth, list number) of each author line into parent links, adding placeholders."""

    def __init__(self, numbered: bool) -> None:
        self.rows, self.open_by_depth, self.last_number = [], [], {}
        self.placeholders = self.capped = 0
        self.numbered = numbered

    def _placeholder(self, parent: str | None, line: int) -> str:
        self.placeholders += 1
        row = {"comment_id": f"missing{self.placeholders}", "parent_id": parent, "author": None,
               "text": "", "is_placeholder": True, "is_post_author": False, "meta_line": line}
        self.rows.append(row)
        return row["comment_id"]

    def add(self, comment_id: str, depth: int, number: int | None, row: dict) -> None:
        line = row["meta_line"]
        if len(self.open_by_depth) < depth - 1:
            # Nesting jumps: the levels in between are missing from the copy.
            missing = depth - 1 - len(self.open_by_depth)
            allowed = min(missing, MAX_JUMP if self.placeholders < _PLACEHOLDER_BUDGET else 1)
            self.capped += allowed < missing
            for _ in range(allowed):
                parent = self.open_by_depth[-1] if self.open_by_depth else None
                self.open_by_depth.append(self._placeholder(parent, line))
            depth = len(self.open_by_depth) + 1
        else:
            del self.open_by_depth[depth - 1:]
        parent = self.open_by_depth[-1] if depth > 1 else None
        previous = self.last_number.get(parent)
        if self.numbered and depth > 1 and number is not None and previous is not None and number <= previous:
            # A new sibling list at this level: its parent is a missing sibling of `parent`.
            grandparent = self.open_by_depth[-2] if depth > 2 else None
            parent = self._placeholder(grandparent, line)
            self.open_by_depth[-1] = parent
        self.last_number[parent] = number
        self.rows.append({**row, "comment_id": comment_id, "parent_id": parent})
        self.open_by_depth.append(comment_id)


def _last_text(copy: _Copy, start: int, stop: int) -> int | None:
    """Index of the last line of ``[start, stop)`` that is neither blank nor a decoration."""
    for at in range(stop - 1, start - 1, -1):
        if copy.lines[at].text and decoration(copy.lines[at].key) is None:
            return at
    return None


def _removable_decorations(copy: _Copy, authors: list[_Candidate], stops: list[int], dated: bool,
                           flat: bool) -> tuple[bool, set]:
    """Whether most comments end with a "Reply" line, and which ambiguous decorations most comments show."""
    runs = [set(_tail_run(copy, a.index + 1, stop, 0 if flat else _body_floor(copy, a, dated)))
            for a, stop in zip(authors, stops)]
    half = len(runs) / 2
    counts = Counter(kind for run in runs for kind in run)
    reply = sum(1 for run in runs if run & _REPLY_KINDS) >= half
    # One comment ending in "+1" is its own words; the same word ending most of several comments is the site's.
    return reply, {kind for kind, n in counts.items() if is_ambiguous(kind) and n >= max(half, 2)}


#: The times a nanosecond clock (pandas' datetime64[ns]) holds.
_EARLIEST, _LATEST = pd.Timestamp.min.tz_localize("UTC"), pd.Timestamp.max.tz_localize("UTC")


def parse_text(text: str, *, thread_id: str = "thread", source_path: str | Path | None = None) -> Corpus:
    """Parse a plain-text comment section into a :class:`~discourse.model.corpus.Corpus`.

    Comment ids are ``c1, c2, ...`` in source order; placeholders are ``missing1, ...``.
    ``meta_line`` holds each comment's line number in the text (1-based); ``meta_date`` the date
    as the copy wrote it, when it has dates.  The threads table's ``layout`` says what was inferred.

    Parameters
    ----------
    text : str
        The copied page.
    thread_id : str
        Id of the thread in the tables.
    source_path : str or Path, optional
        Named in errors.

    Returns
    -------
    Corpus

    Examples
    --------
    >>> corpus = parse_text("2 comments\\n\\n  1. Ann\\n\\n    Hi.\\n\\n    Reply\\n    1. Bob\\n\\n      Hello.\\n")
    >>> corpus.comments[["author", "depth"]].values.tolist()
    [['Ann', 1], ['Bob', 2]]
    """
    copy = _Copy(split_lines(text))
    start, declared, counted, count_title = _section_start(copy)
    notes, doubts = [], []
    copy.unit, indentation, flat = _unit_and_label(copy, start)
    authors, dated = _author_lines(copy, start, flat, notes)
    if not authors:
        raise FormatError(
            "expected a comment list: author lines such as '1. Name' (nested by indentation, the body "
            "indented deeper) or 'Name says:' followed by a date line; found none", path=source_path)
    top_width = min(copy.width(a.index) for a in authors)
    end = _section_end(copy, authors[-1].index, top_width)
    authors = [a for a in authors if a.index < end]
    stops = [a.index for a in authors[1:]] + [end]
    reply_lines, removable = _removable_decorations(copy, authors, stops, dated, flat)
    layout = Layout(numbered=sum(a.shape.number is not None for a in authors) > len(authors) / 2,
                    says=sum(a.shape.says for a in authors) > len(authors) / 2, dated=dated,
                    reply_lines=reply_lines, indentation=indentation, nesting_visible=not flat)
    if not dated:
        endings = [_last_text(copy, a.index + 1, stop) for a, stop in zip(authors, stops)]
        trailing = [at for at in endings if at is not None and is_date(copy.lines[at]) not in (None, "relative")]
        layout.trailing_dates = len(trailing) > len(authors) / 2
        if layout.trailing_dates:
            layout.date_order = date_order([copy.lines[at] for at in trailing])
    if dated:
        layout.date_order = date_order([copy.lines[a.date] for a in authors if a.date is not None])
        kinds = Counter(is_date(copy.lines[a.date]) for a in authors if a.date is not None)
        layout.relative_dates = kinds.get("relative", 0) > len(authors) / 2
    header = [line.text.strip() for line in copy.lines[:max(start - 1, 0) if counted else authors[0].index]]
    title = next((line for line in header if line), None) or count_title
    builder, post_author, seen = _TreeBuilder(layout.numbered), None, Counter()
    for found, (candidate, stop) in enumerate(zip(authors, stops), start=1):
        body, time, date_text = _read_block(copy, candidate, stop, layout, removable, seen, doubts)
        if time is not None and not _EARLIEST <= time <= _LATEST:  # 9999-12-31: a typo, not a time
            note(f"comment c{found} ({candidate.shape.name[:40]!r}): expected a date from 1677 to 2262; found "
                 f"{str(date_text)[:40]!r}", "its time left blank", path=source_path, line=candidate.index + 1)
            time = None
        shape, width = candidate.shape, copy.width(candidate.index)
        if flat:
            depth = 1
        else:
            depth, off = divmod(width - top_width, copy.unit)
            depth += 1
            if off:
                doubts.append(f"line {candidate.index + 1} ({shape.name[:40]!r}) is indented between two levels; "
                              f"read at level {depth}")
        if looks_like_sentence(shape.name):
            doubts.append(f"line {candidate.index + 1} ({copy.lines[candidate.index].text[:40]!r}) was read as an "
                          "author line, though it reads like a sentence")
        name = None if shape.name.lower() in MISSING_AUTHORS else shape.name
        post_author = name if shape.is_post_author and name else post_author
        row = {"author": name, "text": body, "is_placeholder": False, "is_post_author": shape.is_post_author,
               "meta_line": candidate.index + 1, "created_at": time}
        if dated or layout.trailing_dates:
            row["meta_date"] = date_text
        if candidate.addressee is not None:
            row["addressee"] = candidate.addressee
        if flat:
            builder.rows.append({**row, "comment_id": f"c{found}", "parent_id": None})
        else:
            builder.add(f"c{found}", depth, shape.number, row)
    layout.decorations = sorted(kind for kind in seen if kind not in _REPLY_KINDS - {"Log in to Reply"}
                                and kind != "badge")
    columns = ["comment_id", "parent_id", "author", "text", "is_placeholder", "is_post_author", "meta_line",
               "created_at"] + (["meta_date"] if dated or layout.trailing_dates else []) + (
                  ["addressee"] if any(a.addressee is not None for a in authors) else [])
    comments = table_of(builder.rows, path=source_path, columns=columns)
    comments["created_at"] = pd.to_datetime(comments["created_at"], utc=True)
    if post_author is not None:
        comments["is_post_author"] = comments["is_post_author"] | (comments["author"] == post_author)
    comments.insert(1, "thread_id", thread_id)
    comments["source"] = NAME
    guesses = list(notes)
    notes = _notes(layout, notes, doubts, builder, authors, seen, counted and declared is None, copy)
    threads = table_of([{
        "thread_id": thread_id, "title": title, "url": None, "post_author": post_author,
        "declared_comments": declared, "source_path": None if source_path is None else str(source_path),
        "layout": layout.describe(), "reading_notes": " ".join(notes) or None,
        "layout_doubtful": bool(doubts or guesses),
    }]).astype({"declared_comments": "Int64"})
    return Corpus(comments=complete_tree(comments), threads=threads, skipped=empty_skipped(),
                  records=len(authors))


def _notes(layout: Layout, notes: list[str], doubts: list[str], builder: _TreeBuilder, authors: list[_Candidate],
           seen: Counter, implausible_count: bool, copy: _Copy) -> list[str]:
    """The sentences of the data note about how the copy was read."""
    sentences = [f"Read as a plain-text copy; layout: {layout.describe()}."]
    if not layout.nesting_visible:
        restarts = sum(1 for a, b in zip(authors, authors[1:])
                       if a.shape.number is not None and b.shape.number is not None and b.shape.number <= a.shape.number)
        hint = (f" (its list numbering restarts {restarts} times, so some of these comments are replies)"
                if restarts and layout.numbered else "")
        sentences.append("Nesting is not visible: no line of the comment section is indented, so every comment "
                         f"is read as top level and no reply link is made{hint}.")
    if (layout.dated or layout.trailing_dates) and not layout.relative_dates:
        sentences.append("Times are as the page showed them, read as UTC (a copy does not say its time zone).")
        if layout.date_order is not None and not layout.date_order.certain and any(
                is_date(copy.lines[a.date]) == "numeric" for a in authors if a.date is not None):
            sentences.append("Numeric dates such as 04/05/2025 are read month first: the copy does not tell.")
    if builder.capped:
        sentences.append(f"{builder.capped} reply(ies) are indented more than {MAX_JUMP} levels below the comment "
                         f"above: each jump adds at most {MAX_JUMP} placeholders, and the reply hangs under the deepest.")
    gaps = sum(seen[kind] for kind in GAP_DECORATIONS)
    if gaps:
        sentences.append(f"The copy shows {gaps} 'Show more replies' or comment-page link(s): comments folded "
                         "away or on other pages are not in the copy.")
    if implausible_count:
        sentences.append("The comment count line holds an implausible number; it is read as no count.")
    for note in notes:
        sentences.append(note[0].upper() + note[1:] + ".")
    if doubts:
        shown = "; ".join(doubts[:_NOTED_LINES])
        more = f"; and {len(doubts) - _NOTED_LINES} more" if len(doubts) > _NOTED_LINES else ""
        sentences.append(f"Doubtful: {shown}{more}.")
    return sentences


def read_text(path: str | Path, *, thread_id: str | None = None, encoding: str | None = None) -> Corpus:
    """Read a plain-text comment section from ``path``; the thread id defaults to the file's stem.

    The text is UTF-8 (or UTF-16 with a byte-order mark) unless ``encoding`` names another codec.
    """
    path = Path(path)
    text = read_text_file(path, encoding)
    return parse_text(text, thread_id=thread_id or path.stem, source_path=path)


def looks_like_text(head: str) -> bool:
    """Content sniffing for format detection: a comment list this reader can read."""
    try:
        parse_text(head)
    except DiscourseError:
        return False
    return True
