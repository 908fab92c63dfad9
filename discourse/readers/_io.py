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
from typing import TYPE_CHECKING, BinaryIO, Iterable, Iterator, NamedTuple

if TYPE_CHECKING:
    import pandas as pd

from ..exceptions import FormatError

__all__ = ["MAX_RECORD_BYTES", "InputWarning", "Lines", "Oversized", "decode", "decode_line", "encoding_of",
           "compression_of", "note", "numbered_lines", "read_text_file", "split_lines", "strip_bom", "unix_line_ends"]

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


def unix_line_ends(text: str) -> str:
    """``text`` with every line end ("\\r\\n", and "\\r" alone as old Mac files end lines) as "\\n"."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


#: The line ends files use: "\\n", "\\r\\n" and "\\r" alone (old Mac); not U+2028, U+2029 or the other
#: breaks ``str.splitlines`` knows, which JSON strings may hold as they are.
_LINE_END = re.compile(r"\r\n|\r|\n")
_LINE_END_BYTES = re.compile(rb"\r\n|\r|\n")


def split_lines(data: str | bytes) -> list[str | bytes]:
    """The lines of ``data`` (text or bytes) without their ends; only "\\n", "\\r\\n" and "\\r" end a line
    (``str.splitlines`` also splits at U+2028 and U+2029, inside a JSON Lines record's strings)."""
    lines = (_LINE_END_BYTES if isinstance(data, bytes) else _LINE_END).split(data)
    return lines[:-1] if lines and not lines[-1] else lines


def _chunks(handle: BinaryIO) -> Iterator[bytes]:
    """The bytes of ``handle`` a chunk at a time, never empty, every line end ("\\r\\n", "\\r") as "\\n"
    (a "\\r" ending a chunk waits for the next: it may be the first half of "\\r\\n")."""
    carry = b""
    while True:
        chunk = handle.read(_CHUNK)
        if not chunk:
            if carry:
                yield b"\n"
            return
        chunk, carry = carry + chunk, b""
        if chunk.endswith(b"\r"):
            chunk, carry = chunk[:-1], b"\r"
        if b"\r" in chunk:
            chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        if chunk:
            yield chunk


def _numbered_chunks(handle: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | Oversized]]:
    """(line number, line) of each line of ``handle`` holding more than white space, read a chunk at a
    time: blank lines cost no Python step, and a line over ``limit`` bytes is counted, not kept."""
    number, pending, skipping = 1, b"", 0  # skipping: bytes of an oversized line passed so far
    chunks = _chunks(handle)
    while True:
        chunk = next(chunks, b"")
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
    if isinstance(lines, (str, bytes)):
        lines = split_lines(lines)
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


#: Compressed data by its first bytes: (magic, what it is, how to decompress it).
_PACKED = [(b"\x1f\x8b", "gzip", "gunzip -k FILE"), (b"BZh", "bzip2", "bunzip2 -k FILE"),
           (b"\xfd7zXZ\x00", "xz", "unxz -k FILE"), (b"(\xb5/\xfd", "zstandard", "unzstd FILE"),
           (b"PK\x03\x04", "zip", "unzip FILE"), (b"7z\xbc\xaf\x27\x1c", "7-Zip", "7z x FILE")]


def compression_of(head: bytes) -> tuple[str, str] | None:
    """(what compressed ``head``, how to decompress it) when the data starts as compressed data does, else None."""
    return next(((name, tool) for magic, name, tool in _PACKED if head.startswith(magic)), None)


def encoding_of(head: bytes) -> str:
    """The codec for data starting with ``head`` (bytes): from its byte-order mark, else UTF-8."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec
    return "utf-8"


def decode(data: bytes, path: Path | str | None = None, encoding: str | None = None) -> str:
    """Text of ``data`` (bytes), byte-order mark removed and every line end "\\n" (see :func:`unix_line_ends`);
    FormatError naming the line if it cannot be decoded.

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
    text = unix_line_ends(text.lstrip("\ufeff"))
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

    def _binary_lines(self) -> Iterator[bytes]:
        """The lines of the binary file, each ending in "\\n" whatever ended it in the file."""
        pieces = []  # the line read so far, in chunks (joined once: a long line is not copied again and again)
        for chunk in _chunks(self.handle):
            lines = chunk.split(b"\n")
            if len(lines) == 1:
                pieces.append(chunk)
                continue
            yield b"".join([*pieces, lines[0], b"\n"])
            yield from (line + b"\n" for line in lines[1:-1])
            pieces = [lines[-1]] if lines[-1] else []
        if pieces:
            yield b"".join(pieces)

    def __exit__(self, *exc: object) -> bool:
        if hasattr(self.handle, "close"):
            self.handle.close()
        return False

    def __iter__(self) -> Iterator[bytes | str]:
        return iter(self.handle) if isinstance(self.handle, list) else self._binary_lines()


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


_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(value: object) -> object:
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {key: _without_surrogates(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_without_surrogates(item) for item in value)
    return value


def table_of(rows: object, *, path: object = None, **options: object) -> "pd.DataFrame":
    """``pandas.DataFrame(rows, **options)`` for a reader's rows (a list of dicts or of rows, or a
    dict of columns).  A lone surrogate (U+D800-U+DFFF: an undecodable byte kept by an email
    parser, say) is no text any UTF-8 file can hold, and pandas' Arrow-backed strings refuse
    it: such characters are made U+FFFD, noted once for the file.  Checked only when pandas
    refuses, so reading pays nothing for it otherwise."""
    import pandas as pd

    try:
        return pd.DataFrame(rows, **options)
    except UnicodeEncodeError:
        note("a text holds a lone surrogate (\\ud800-\\udfff), which no UTF-8 text can hold", "made U+FFFD",
             path=path)
        return pd.DataFrame(_without_surrogates(rows), **options)


def own_parents_blanked(frame: "pd.DataFrame", *, path: object = None,
                        lines: "pd.Series | None" = None) -> "pd.DataFrame":
    """A reader's comments with each comment that names itself as its parent read as a top-level
    comment, noted with its line where known (one record's broken link costs that link, not the
    file; an error under ``strict``).  Other tree problems (a repeated id, a longer cycle) are
    left to :func:`~discourse.model.tree.complete_tree`, which names them."""
    if "parent_id" not in frame or "comment_id" not in frame:
        return frame
    parents, ids = frame["parent_id"].astype(object), frame["comment_id"].astype(object)
    own = (parents.notna() & (parents == ids)).to_numpy(dtype=bool)
    if not own.any():
        return frame
    for position in own.nonzero()[0].tolist():
        line = None if lines is None else int(lines.iloc[position])
        note(f"comment {ids.iloc[position]!r} names itself as its parent", "read as a top-level comment",
             path=path, line=line, record=None if line is not None else f"row {position + 1}")
    frame = frame.copy()
    frame.loc[own, "parent_id"] = None
    return frame
