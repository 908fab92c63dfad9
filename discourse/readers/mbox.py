"""Mailing-list archives in mbox format: one thread per root message.

A message's parent is its ``In-Reply-To``, else the last id in ``References``; the thread id is
the root message's ``Message-ID`` and its subject is the thread's title.  A reply to a message
the archive lacks gets a placeholder parent, which then roots the thread.

Only the display name of ``From`` is kept.  E-mail addresses never reach the outputs: a sender
without a display name (or whose display name is an address) has no author, and addresses in
bodies (attribution lines such as "On Monday, Ann <ann@...> wrote:") are replaced by
``[address removed]``.  Bodies are the first text/plain part, decoded; quoted lines are kept.
"""

from __future__ import annotations

import re
from datetime import timezone
from email import policy
from email.header import decode_header, make_header
from email.headerregistry import Address
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..model.corpus import Corpus
from ..exceptions import FormatError
from ._io import Lines, split_lines, strip_bom
from .hackernews_json import html_to_text
from .jsonl import author_or_none, comments_frame, found, skipped_frame, threads_frame

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from email.message import EmailMessage

NAME = "mbox"

_LOCAL, _DOMAIN = r"[\w.!#$%&'*+/=?^`{|}~-]+", r"[\w-]+(?:\.[\w-]+)+"
#: An address, or an archive's "ann at example.org" spelling of one inside <...> or (...).
_ADDRESS = re.compile(rf"{_LOCAL}@{_DOMAIN}|(?<=[<(]){_LOCAL}\s+at\s+{_DOMAIN}(?=[>)])", re.I)
_SPELT_ADDRESS = re.compile(rf"^{_LOCAL}\s+at\s+{_DOMAIN}$", re.I)
_MESSAGE_ID = re.compile(r"<([^<>\s]+)>")
_SUBJECT_PREFIX = re.compile(r"^\s*((re|fwd?|aw|sv)\s*(\[\d+\])?\s*:\s*)+", re.I)
_REDACTED = "[address removed]"


def _split(lines: Iterable[str | bytes], path: Path | str | None) -> Iterator[tuple[int, bytes]]:
    """Yield (line number of the 'From ' separator, message bytes) from mbox lines."""
    message, start, previous_blank = [], None, True
    for number, line in enumerate(lines, start=1):
        if number == 1:
            line = strip_bom(line)
        if isinstance(line, str):
            line = line.encode("utf-8", errors="surrogateescape")
        if line.startswith(b"From ") and previous_blank:
            if start is not None:
                yield start, b"".join(message)
            message, start = [], number
        elif start is None:
            if line.strip():
                raise FormatError(f"expected an mbox archive starting with a 'From ' separator line; "
                                  f"found {found(line)}", path=path, line=number)
        else:
            # mboxrd escapes body lines starting with "From " as ">From "; undo one level.
            message.append(line[1:] if re.match(rb"^>+From ", line) else line)
        previous_blank = not line.strip()
    if start is not None:
        yield start, b"".join(message)


def _ids(header: object) -> list[str]:
    return _MESSAGE_ID.findall(str(header or ""))


def _raw(message: EmailMessage, name: str) -> str | None:
    """A header's value as written, unparsed: the email package's parsers fail on some malformed headers."""
    return next((str(value) for key, value in message.raw_items() if key.lower() == name.lower()), None)


def _subject(message: EmailMessage) -> str:
    try:
        return str(message["Subject"] or "")
    except Exception:  # a Subject too malformed to decode: as written
        return _raw(message, "Subject") or ""


def _display_name(message: EmailMessage) -> str | None:
    """The sender's display name, or None: an address is never returned, not even part of one."""
    try:
        addresses = message["From"].addresses if message["From"] is not None else ()
    except Exception:  # a From header too malformed for the parser
        addresses = ()
    names = [address.display_name for address in addresses if isinstance(address, Address) and address.display_name]
    if not names:
        # Archives write "ann at example.org (Ann Lee)"; only the older parser reads the comment as the name.
        raw = next((value for key, value in message.raw_items() if key.lower() == "from"), "")
        try:
            raw = str(make_header(decode_header(raw)))
        except (UnicodeError, LookupError, ValueError):
            pass
        names = [name for name, _ in getaddresses([raw])]
    name = (names[0] if names else "").strip().strip('"').strip()
    if not name or "@" in name or _SPELT_ADDRESS.match(name):
        return None
    return author_or_none(name)


def _body(message: EmailMessage) -> str:
    """The first text/plain part, decoded; an HTML-only message is turned into plain text."""
    try:
        part = message.get_body(preferencelist=("plain",)) or message.get_body(preferencelist=("html",))
    except Exception:  # MIME headers too malformed for the email package: the body as written
        payload = message.get_payload()
        return redact(payload.replace("\r\n", "\n").strip("\n")) if isinstance(payload, str) else ""
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, ValueError, AssertionError):  # unknown or wrong charset, bad encoding
        content = (part.get_payload(decode=True) or b"").decode("utf-8", errors="replace")
    if not isinstance(content, str):
        content = ""
    if part.get_content_subtype() == "html":
        content = html_to_text(content)
    return redact(content.replace("\r\n", "\n").strip("\n"))


def redact(text: str) -> str:
    """Replace e-mail addresses (also "<ann at example.org>" as archives spell them) by a marker."""
    return _ADDRESS.sub(_REDACTED, text)


def _date(message: EmailMessage) -> float | None:
    try:
        when = parsedate_to_datetime(" ".join((_raw(message, "Date") or "").split()))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if not 1678 <= when.year <= 2261:  # a mistyped year: no time rather than no archive
        return None
    # A date without a zone is taken as UTC rather than dropped.
    return (when if when.tzinfo else when.replace(tzinfo=timezone.utc)).timestamp()


def parse_mbox(data: str | bytes | Iterable[str | bytes], *, source_path: Path | str | None = None) -> Corpus:
    """Parse an mbox archive (bytes, text, or an iterable of lines) into a Corpus."""
    if isinstance(data, (str, bytes)):
        data = [line + (b"\n" if isinstance(data, bytes) else "\n") for line in split_lines(data)]
    parser = BytesParser(policy=policy.default)
    where = str(source_path) if source_path else None
    rows, skipped, seen, records = [], [], set(), 0
    for number, raw in _split(data, source_path):
        records += 1
        message = parser.parsebytes(raw)
        ids = _ids(_raw(message, "Message-ID"))
        comment_id = ids[0] if ids else f"message-line-{number}"
        if comment_id in seen:
            skipped.append((where, f"line {number}", f"Message-ID {comment_id} appears again"))
            continue
        seen.add(comment_id)
        parents = _ids(_raw(message, "In-Reply-To")) or _ids(_raw(message, "References"))[-1:]
        rows.append({"comment_id": comment_id, "parent_id": parents[-1] if parents else None,
                     "author": _display_name(message), "created_at": _date(message),
                     "text": _body(message), "source": NAME, "meta_subject": redact(_subject(message)),
                     "meta_line": number})
    if not rows:
        raise FormatError("expected an mbox archive with at least one message; found none", path=source_path)
    known = {row["comment_id"]: row for row in rows}
    for row in rows:
        if row["parent_id"] == row["comment_id"]:
            row["parent_id"] = None  # a message naming itself as parent is a root, not a cycle
    threads = {}
    for row in rows:
        node, path_seen = row, set()
        while node["parent_id"] in known and node["comment_id"] not in path_seen:
            path_seen.add(node["comment_id"])
            node = known[node["parent_id"]]
        # The root is the highest message in the archive, or the absent message it replies to.
        row["thread_id"] = node["parent_id"] or node["comment_id"]
        if row["thread_id"] not in threads:
            subject = node["meta_subject"]
            if node["parent_id"] is not None:  # the root is absent: its subject is the reply's without "Re:"
                subject = _SUBJECT_PREFIX.sub("", subject)
            threads[row["thread_id"]] = {"thread_id": row["thread_id"], "title": subject or None, "url": None,
                                         "post_author": node["author"] if node["parent_id"] is None else None,
                                         "declared_comments": None, "source_path": where}
    for row in rows:
        post_author = threads[row["thread_id"]]["post_author"]
        row["is_post_author"] = row["author"] is not None and row["author"] == post_author
    return Corpus(comments=comments_frame(rows, path=source_path), threads=threads_frame(list(threads.values())),
                  skipped=skipped_frame(skipped), records=records)


def read_mbox(path: Path | str) -> Corpus:
    """Read an mbox archive from ``path``, message by message."""
    path = Path(path)
    with Lines(path) as lines:
        return parse_mbox(lines, source_path=path)


def looks_like_mbox(head: str) -> bool:
    """A 'From ' separator line followed by mail headers."""
    text = head.lstrip("\ufeff")
    return text.startswith("From ") and re.search(r"^(Message-ID|From|Date|Subject):", text, re.M | re.I) is not None
