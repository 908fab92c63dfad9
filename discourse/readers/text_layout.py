"""What a plain-text copy of a comment section is made of: lines, author lines, dates, decorations.

:mod:`discourse.readers.text` reads a copy with these pieces; this module only recognises them.
Every pattern here is matched against one line with its whitespace collapsed and its length
bounded (``_SHORT``), and none nests quantifiers over the same characters, so matching stays
linear in the length of the file whatever a line holds.
"""

import re
from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd

__all__ = ["Line", "split_lines", "AuthorLine", "author_line", "is_date", "read_date", "DateOrder",
           "declared_count", "decoration", "is_section_end", "Layout", "MAX_DECLARED", "MISSING_AUTHORS"]

#: Characters that indent a line: copies carry tabs, spaces and the non-breaking spaces HTML uses.
_INDENT = " \t\u00a0\u2007\u202f\u3000"
#: Lines longer than this are never an author line, a date, a count or a decoration: they are text.
_SHORT = 200
#: The largest comment count a page can plausibly declare; a longer number is read as no count.
MAX_DECLARED = 10**9
#: Author names that mean "no author", as in the other readers.
MISSING_AUTHORS = {"[deleted]", "[removed]", "deleted", "[deleted user]"}


class Line(NamedTuple):
    """One line of the copy: its indentation (tabs and spaces) and its content, trimmed and collapsed."""

    tabs: int
    spaces: int
    text: str      # the content with trailing whitespace removed (inner spacing kept: it is comment text)
    key: str       # the content lowercased with its whitespace collapsed, "" when too long to be structure


def split_lines(text: str) -> list[Line]:
    """The lines of ``text`` (any of CRLF, CR, LF line ends; a byte-order mark dropped)."""
    lines = []
    for raw in text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        content = raw.lstrip(_INDENT)
        lead = raw[:len(raw) - len(content)]
        tabs = lead.count("\t")
        content = content.rstrip(_INDENT + "\u200b")
        key = " ".join(content.split()).lower() if len(content) <= _SHORT else ""
        lines.append(Line(tabs, len(lead) - tabs, content, key))
    return lines


# -- author lines -------------------------------------------------------------------------------------

_NUMBERED = re.compile(r"(?P<number>\d{1,6})[.)] (?P<rest>\S.*)")
_BADGES = (" (post author)", " post author", " (author)")
_SAYS = (" says:", " said:", " said...", " said…", " says")


class AuthorLine(NamedTuple):
    number: int | None      # the list number, when the line is numbered
    name: str               # the name as written, badge and "says:" removed
    says: bool              # the line ends in "says:" (or "said:")
    is_post_author: bool    # the line carries the site's "Post author" badge


def author_line(line: Line) -> AuthorLine | None:
    """The parts of ``line`` if it has the shape of an author line (``k. Name``, ``Name says:``), else None.

    Whether it *is* one depends on what follows it, which :mod:`discourse.readers.text` decides.
    """
    if not line.key:
        return None
    text = " ".join(line.text.split())
    match = _NUMBERED.fullmatch(text)
    number = int(match["number"]) if match else None
    rest = match["rest"] if match else text
    says = False
    for suffix in _SAYS:
        if rest.lower().endswith(suffix):
            rest, says = rest[:-len(suffix)].rstrip(), True
            break
    badge = False
    for suffix in _BADGES:
        if rest.lower().endswith(suffix):
            rest, badge = rest[:-len(suffix)].rstrip(), True
            break
    if not rest or (number is None and not says):
        return None
    return AuthorLine(number, rest, says, badge)


def plain_name(line: Line) -> AuthorLine | None:
    """``line`` as a bare name (for layouts where a date line follows the name): short, no sentence end."""
    text = " ".join(line.text.split())
    if not text or len(text) > 60 or len(text.split()) > 6 or text[-1] in ".!?,;:\"”)" or decoration(line.key):
        return None
    badge = False
    for suffix in _BADGES:
        if text.lower().endswith(suffix):
            text, badge = text[:-len(suffix)].rstrip(), True
            break
    return AuthorLine(None, text, False, badge) if text else None


def looks_like_sentence(name: str) -> bool:
    """True when an author name reads more like a sentence than a name (worth a note, not a refusal)."""
    words = name.split()
    return len(words) > 6 or name[-1:] in "!?" or (name.endswith(".") and len(words) >= 4)


# -- dates -----------------------------------------------------------------------------------------------

_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
           "oct": 10, "nov": 11, "dec": 12}
_MONTH = (r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th|\.)?"
_TIME = r"(?P<hour>\d{1,2})[:.h](?P<minute>\d{2})(?::(?P<second>\d{2}))?(?: ?(?P<ampm>[ap])\.?m\.?)?"
_AT = r"(?:,? (?:at|um|à|a las|alle|om|@|-|–|—|·|•|\|) |, | |t)"
_ZONE = r"(?: ?(?:z|utc|gmt|[+-]\d{2}:?\d{2}))?"
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,? )?(?:on )?"
_DATES = {
    "month-day-year": rf"{_MONTH} {_DAY},? (?P<year>\d{{4}})",
    "day-month-year": rf"{_DAY} (?:of )?{_MONTH},? (?P<year>\d{{4}})",
    "year-month-day": r"(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})",
    "numeric": r"(?P<first>\d{1,2})[/.-](?P<second_part>\d{1,2})[/.-](?P<year>\d{4})",
}
_DATE_LINES = {name: re.compile(rf"{_WEEKDAY}{date}(?:{_AT}{_TIME})?{_ZONE}") for name, date in _DATES.items()}
_TIME_FIRST = re.compile(rf"{_TIME}{_ZONE},? (?:on )?(?P<rest>.+)")
_RELATIVE = re.compile(r"(?:about |over |almost )?(?:\d{1,4}|an?|one) (?:second|sec|minute|min|hour|hr|day|week|month"
                       r"|year|yr)s? ago|just now|yesterday|today")
_DATE_SUFFIXES = (" (edit)", " edit", " | edit", " said:", " says:", " | reply", " reply", " ·", " •", " |")


class DateOrder(NamedTuple):
    """How numeric dates (``04/05/2025``) are read in one file: day first or month first."""

    day_first: bool
    certain: bool


def _date_key(key: str) -> str:
    for suffix in _DATE_SUFFIXES:
        if key.endswith(suffix):
            key = key[:-len(suffix)]
    return key.strip()


def _date_match(key: str) -> tuple[str | None, object]:
    key = _date_key(key)
    if not key or len(key) > 80:
        return None, None
    time_first = _TIME_FIRST.fullmatch(key)  # "3:01 pm, April 19, 2025"
    for name, pattern in _DATE_LINES.items():
        match = pattern.fullmatch(key)
        if match:
            return name, match
        if time_first:
            inner = pattern.fullmatch(time_first["rest"])
            if inner:
                return name, (inner, time_first)
    if _RELATIVE.fullmatch(key):
        return "relative", None
    return None, None


def is_date(line: Line) -> str | None:
    """The kind of date ``line`` is ("month-day-year", ..., "relative"), or None if it is not a date line."""
    return _date_match(line.key)[0] if line.key else None


def date_order(lines: list[Line]) -> DateOrder:
    """Whether this file's numeric dates put the day first: told by a part above 12, else month first."""
    day_first = month_first = False
    for line in lines:
        name, match = _date_match(line.key) if line.key else (None, None)
        if name == "numeric":
            match = match[0] if isinstance(match, tuple) else match
            day_first |= int(match["first"]) > 12
            month_first |= int(match["second_part"]) > 12
    return DateOrder(day_first and not month_first, day_first != month_first)


def read_date(line: Line, order: DateOrder) -> pd.Timestamp | None:
    """The time a date line gives, in UTC (the page's zone is unknown), or None (relative or impossible)."""
    name, match = _date_match(line.key)
    if match is None:
        return None
    date, clock = (match if isinstance(match, tuple) else (match, match))
    if name == "numeric":
        first, second = int(date["first"]), int(date["second_part"])
        day, month = (first, second) if order.day_first else (second, first)
    else:
        day = int(date["day"])
        month_text = date["month"]
        month = int(month_text) if month_text.isdigit() else _MONTHS[month_text[:3]]
    hour = minute = second_of = 0
    if clock["hour"] is not None:
        hour, minute = int(clock["hour"]), int(clock["minute"])
        second_of = int(clock["second"] or 0)
        if clock["ampm"]:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if clock["ampm"] == "p" else 0)
    try:
        stamp = pd.Timestamp(year=int(date["year"]), month=month, day=day, hour=hour, minute=minute,
                             second=second_of, tz="UTC")
    except (ValueError, OverflowError):
        return None
    return stamp


# -- counts, decorations, the section's end -------------------------------------------------------------

_COUNT = re.compile(r"(?:(?P<count>\d[\d,. ]{0,30}|one|no) (?P<what>comments?|responses?|replies|repl(?:y|ies)"
                    r"|thoughts?|discussions?)(?: (?:on|to|for|so far|add yours)\b.*)?|comments \((?P<paren>\d[\d,.]{0,30})\))",
                    re.I)
_LONG_COUNT = re.compile(r"\d[\d,.]* (?:comments?|responses?|replies|thoughts?)\b", re.I)


def declared_count(line: Line) -> tuple[bool, int | None]:
    """(is a count line, the count) for lines like "85 comments", "One thought on “Title”", "Comments (85)".

    A count of more digits than any page holds (say 5,000 of them) is a count line with no count.
    """
    if not line.key:  # too long to be structure, unless it is a count of absurdly many digits
        return (line.text[:1].isdigit() and _LONG_COUNT.match(line.text) is not None), None
    match = _COUNT.fullmatch(line.key.rstrip(":"))  # Blogger writes "3 comments:"
    if not match:
        return False, None
    word = (match["count"] or match["paren"]).lower()
    number = {"one": 1, "no": 0}.get(word)
    if number is None:
        digits = re.sub(r"[^\d]", "", word)
        if len(digits) > 10:
            return True, None
        number = int(digits)
    return True, number if number <= MAX_DECLARED else None


#: Decoration kinds: pattern over the collapsed lowercase line.  "Ambiguous" kinds are also words a
#: comment may end with, so they are removed only where the layout shows them on most comments.
_DECORATIONS = {
    "Reply": (re.compile(r"reply(?: ↓| →|↓)?|↳ reply|reply to this comment"), True),
    "Log in to Reply": (re.compile(r"log ?in to reply|login to reply|sign in to reply"), False),
    "Like": (re.compile(r"like|likes?|👍"), True),
    "Liked by": (re.compile(r"(?:like ?)?liked by \d{1,9} (?:people|person|others?)|(?:like ?)?liked by .{1,60} and \d{1,9} others?"
                            r"|be the first to like this\.?|like this:?|like loading\.{3}|like loading…"), False),
    "Loading...": (re.compile(r"loading\.{3}|loading…|loading"), False),
    "Report": (re.compile(r"report|report comment|report this comment|flag"), True),
    "Edit": (re.compile(r"edit|\(edit\)|delete|edit \| delete|\(delete\)"), True),
    "vote counts": (re.compile(r"[+\-−]?\d{1,7}|\d{1,7} (?:points?|votes?|likes?)|[▲↑^] ?\d{1,7} ?[▼↓]?|vote up|vote down"
                               r"|upvote|downvote|\d{1,7} ?[▲↑] ?\d{1,7} ?[▼↓]"), True),
    "avatar": (re.compile(r"(?:\S{1,40} ){0,4}(?:avatar|gravatar)|(?:avatar|gravatar|photo|picture) (?:of|for) .{1,60}"
                          r"|profile (?:picture|image|photo)|user (?:avatar|image|icon)"), False),
    "Share": (re.compile(r"share|share ›|share this:?|permalink|•|·"), False),
    "more replies": (re.compile(r"(?:show|view|load|see) (?:\d{1,9} )?(?:more )?(?:replies|repl(?:y|ies)|comments?)"
                                r"|(?:show|hide) replies|\d{1,9} (?:more )?replies|continue this thread|load more"),
                     False),
    "Replies heading": (re.compile(r"replies|responses"), False),
    "Comments are closed.": (re.compile(r"comments are closed\.?|comments? (?:is|are) closed\.?"), False),
    "Cancel reply": (re.compile(r"cancel reply|leave a reply cancel reply"), False),
    "comment navigation": (re.compile(r"comment navigation|← older comments|older comments|newer comments →"
                                      r"|newer comments|« older comments|newer comments »"), False),
}
#: Decorations that say comments are not in the copy (replies folded away, more pages of comments).
GAP_DECORATIONS = {"more replies", "comment navigation"}


def decoration(key: str) -> str | None:
    """The decoration kind of a line (its collapsed lowercase content), or None."""
    if not key:
        return None
    for kind, (pattern, _) in _DECORATIONS.items():
        if pattern.fullmatch(key):
            return kind
    return None


def is_ambiguous(kind: str) -> bool:
    """True for decorations that are also words a comment may end with ("Reply", "Like", "+1")."""
    return _DECORATIONS[kind][1]


_SECTION_END = re.compile(r"leave a (?:reply|comment)(?: cancel reply)?|post a comment|add (?:a )?comment|write a comment"
                          r"|join the discussion|comments are closed\.?")


def is_section_end(line: Line) -> bool:
    """True for "Leave a Reply" and the other lines that end a comment section."""
    return bool(line.key) and _SECTION_END.fullmatch(line.key) is not None


# -- the layout -------------------------------------------------------------------------------------------

@dataclass
class Layout:
    """What the reader inferred about a copy: how authors are written, indentation, dates, decorations."""

    numbered: bool = False
    says: bool = False
    dated: bool = False
    trailing_dates: bool = False       # the date line follows the body (Blogger's classic layout)
    relative_dates: bool = False
    reply_lines: bool = False
    indentation: str = "none"          # "2-space", "4-space", "tab", "tab and 4-space", "none"
    nesting_visible: bool = True
    decorations: list[str] = field(default_factory=list)
    date_order: DateOrder | None = None

    def describe(self) -> str:
        """One phrase, e.g. "'Name says:' with dates, 4-space indentation, no numbering, 'Reply' lines"."""
        if self.says:
            author = "numbered 'k. Name says:'" if self.numbered else "'Name says:'"
        elif self.numbered:
            author = "numbered 'k. Name'"
        else:
            author = "'Name' lines"
        parts = [author + (" with dates" if self.dated else " with dates after the body" if self.trailing_dates else "")]
        if self.relative_dates:
            parts.append("relative dates ('3 years ago', not read as times)")
        parts.append(f"{self.indentation} indentation" if self.indentation != "none" else "no indentation")
        if not self.numbered:
            parts.append("no numbering")
        parts.append("'Reply' lines" if self.reply_lines else "no 'Reply' lines")
        if self.decorations:
            parts.append("decorations: " + ", ".join(self.decorations))
        return ", ".join(parts)
