"""Reading input files: text encodings and byte-order marks, with errors that name the file and line.

Inputs are UTF-8, with or without a byte-order mark.  A file that starts with a UTF-16 or UTF-32
byte-order mark (Windows tools write them) is decoded accordingly.  Anything else that is not
valid UTF-8 is refused with the line and byte where decoding failed, rather than read as another
encoding and turned into wrong text; so is a file holding NUL bytes (a binary file, or UTF-16
without a byte-order mark).
"""

from __future__ import annotations

import codecs
import re
import warnings
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator, NamedTuple

from ..exceptions import FormatError

__all__ = ["MAX_RECORD_BYTES", "InputWarning", "Lines", "Oversized", "decode", "decode_line", "encoding_of",
           "note", "numbered_lines", "read_text_file", "strip_bom"]

#: The most bytes one record may hold (a line of JSON Lines or a dump, a JSON value, a comment's
#: text): a longer one is skipped and reported (an error under ``strict``), never read whole.
MAX_RECORD_BYTES = 10 * 1024 * 1024

#: Bytes read at a time when streaming lines.
_CHUNK = 1 << 20
#: White space, line breaks too: what lies between two lines worth reading.
_SPACE = re.compile(rb"\s*+")


class InputWarning(UserWarning):
    """A record skipped, or a value blanked, while reading an input: ``error`` under ``strict``."""

    def __init__(self, message: str, outcome: str, *, path: object = None, line: int | None = None,
                 record: object = None) -> None:
        self.error = FormatError(message, path=path, line=line, record=record)
        super().__init__(f"{self.error}; {outcome}")


def note(message: str, outcome: str = "skipped", *, path: object = None, line: int | None = None,
         record: object = None) -> None:
    """Report a problem of an input (``message``) and what was done about it (``outcome``: "skipped",
    "blanked") as an :class:`InputWarning`; read with ``strict``, the problem is a FormatError."""
    warnings.warn(InputWarning(message, outcome, path=path, line=line, record=record), stacklevel=2)


class Oversized(NamedTuple):
    """A line longer than :data:`MAX_RECORD_BYTES`, passed by unread: its length in bytes."""

    size: int


def _numbered_chunks(handle: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | Oversized]]:
    """(line number, line) of each line of ``handle`` holding more than white space, read a chunk at a
    time: blank lines cost no Python step, and a line over ``limit`` bytes is counted, not kept."""
    number, pending, skipping = 1, b"", 0  # skipping: bytes of an oversized line passed so far
    while True:
        chunk = handle.read(_CHUNK)
        more = bool(chunk)
        if skipping:
            end = chunk.find(b"\n")
            if end < 0 and more:
                skipping += len(chunk)
                continue
            yield number, Oversized(skipping + (end if end >= 0 else 0))
            if end < 0:
                return
            number, chunk, skipping = number + 1, chunk[end + 1:], 0
        if not pending and chunk.isspace():  # a run of blank lines, passed by whole
            number += chunk.count(b"\n")
            continue
        data = pending + chunk
        at, last = 0, len(data)
        while True:
            start = _SPACE.match(data, at).end()
            end = data.find(b"\n", start)
            end = last if end < 0 else end
            if start == last or (end == last and more):  # nothing left, or the line may go on
                break
            number += data.count(b"\n", at, start)
            yield number, (Oversized(end - start) if end - start > limit else data[start:end])
            at = end
        if not more:
            return
        number += data.count(b"\n", at, start)
        pending = data[start:]
        if len(pending) > limit:
            skipping, pending = len(pending), b""


def numbered_lines(lines: "Iterable[str | bytes] | BinaryIO", limit: int | None = None,
                   ) -> Iterator[tuple[int, str | bytes | Oversized]]:
    """(line number, line) of each line holding more than white space; a line longer than ``limit``
    bytes (characters, for text) comes as :class:`Oversized`.  ``lines``: a binary file (read in
    chunks, so memory stays bounded whatever the lines' lengths) or any iterable of lines."""
    limit = MAX_RECORD_BYTES if limit is None else limit
    if isinstance(lines, Lines):
        lines = lines.handle
    if hasattr(lines, "read"):
        yield from _numbered_chunks(lines, limit)
        return
    for number, line in enumerate(lines, start=1):
        if len(line) > limit:
            yield number, Oversized(len(line))
        elif line.strip():
            yield number, line

#: Byte-order marks and the codec that decodes (and drops) them; UTF-32 LE first: it starts like UTF-16 LE.
_BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-32": "UTF-32"}
_HINT = "save the file as UTF-8"


def encoding_of(head: bytes) -> str:
    """The codec for data starting with ``head`` (bytes): from its byte-order mark, else UTF-8."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec
    return "utf-8"


def decode(data: bytes, path: Path | str | None = None, encoding: str | None = None) -> str:
    """Text of ``data`` (bytes), byte-order mark removed; FormatError naming the line if it cannot be decoded.

    ``encoding`` forces a codec; by default the byte-order mark chooses, and UTF-8 without one.
    """
    codec = encoding or encoding_of(data[:4])
    name = _NAMES.get(codecs.lookup(codec).name, codec)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        before = data[:exc.start].decode(codec, errors="replace")
        line = before.count("\n") + 1
        found = data[exc.start:exc.start + 1].hex()
        raise FormatError(f"expected {name} text; byte {exc.start} (0x{found}) is not valid {name} ({_HINT})",
                          path=path, line=line) from None
    except LookupError:
        raise FormatError(f"unknown text encoding {encoding!r}", path=path) from None
    text = text.lstrip("\ufeff")
    nul = text.find("\x00")
    if nul >= 0:
        raise FormatError("expected text; found a NUL byte, so this is a binary file or UTF-16 text without a "
                          f"byte-order mark ({_HINT})", path=path, line=text.count("\n", 0, nul) + 1)
    return text


def read_text_file(path: Path | str, encoding: str | None = None) -> str:
    """The whole text of the file at ``path`` (see :func:`decode`)."""
    path = Path(path)
    return decode(path.read_bytes(), path, encoding)


class Lines:
    """The lines of a file, streamed: bytes lines for UTF-8 (a byte-order mark left for the reader
    to drop from line 1), text lines for a file marked UTF-16 or UTF-32 (decoded whole).

    Use as a context manager; iterating it yields each line with its line ending.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.handle: BinaryIO | list[str] | None = None

    def __enter__(self) -> Lines:
        self.handle = self.path.open("rb")
        codec = encoding_of(self.handle.read(4))
        self.handle.seek(0)
        if codec in ("utf-16", "utf-32"):
            text = decode(self.handle.read(), self.path, codec)
            self.handle.close()
            self.handle = [line for line in re.split(r"(?<=\n)", text) if line]
        return self

    def __exit__(self, *exc: object) -> bool:
        if hasattr(self.handle, "close"):
            self.handle.close()
        return False

    def __iter__(self) -> Iterator[bytes | str]:
        return iter(self.handle)


def strip_bom(line: str | bytes) -> str | bytes:
    """Line 1 without a UTF-8 byte-order mark, whether it is bytes or text."""
    return line.lstrip("\ufeff") if isinstance(line, str) else line[3:] if line.startswith(codecs.BOM_UTF8) else line


def decode_line(raw: str | bytes, path: Path | str | None, number: int) -> str:
    """A bytes line as text; FormatError naming the line and byte if it is not UTF-8."""
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(f"expected UTF-8 text; byte {exc.start + 1} of the line (0x{raw[exc.start:exc.start + 1].hex()}) "
                          f"is not valid UTF-8 ({_HINT})", path=path, line=number) from None
