"""Reading input files: text encodings and byte-order marks, with errors that name the file and line.

Inputs are UTF-8, with or without a byte-order mark.  A file that starts with a UTF-16 or UTF-32
byte-order mark (Windows tools write them) is decoded accordingly.  Anything else that is not
valid UTF-8 is refused with the line and byte where decoding failed, rather than read as another
encoding and turned into wrong text; so is a file holding NUL bytes (a binary file, or UTF-16
without a byte-order mark).
"""

import codecs
import re
from pathlib import Path

from ..exceptions import FormatError

#: Byte-order marks and the codec that decodes (and drops) them; UTF-32 LE first: it starts like UTF-16 LE.
_BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-32": "UTF-32"}
_HINT = "save the file as UTF-8"


def encoding_of(head):
    """The codec for data starting with ``head`` (bytes): from its byte-order mark, else UTF-8."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec
    return "utf-8"


def decode(data, path=None, encoding=None):
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


def read_text_file(path, encoding=None):
    """The whole text of the file at ``path`` (see :func:`decode`)."""
    path = Path(path)
    return decode(path.read_bytes(), path, encoding)


class Lines:
    """The lines of a file, streamed: bytes lines for UTF-8 (a byte-order mark left for the reader
    to drop from line 1), text lines for a file marked UTF-16 or UTF-32 (decoded whole).

    Use as a context manager; iterating it yields each line with its line ending.
    """

    def __init__(self, path):
        self.path = Path(path)
        self.handle = None

    def __enter__(self):
        self.handle = self.path.open("rb")
        codec = encoding_of(self.handle.read(4))
        self.handle.seek(0)
        if codec in ("utf-16", "utf-32"):
            text = decode(self.handle.read(), self.path, codec)
            self.handle.close()
            self.handle = [line for line in re.split(r"(?<=\n)", text) if line]
        return self

    def __exit__(self, *exc):
        if hasattr(self.handle, "close"):
            self.handle.close()
        return False

    def __iter__(self):
        return iter(self.handle)


def strip_bom(line):
    """Line 1 without a UTF-8 byte-order mark, whether it is bytes or text."""
    return line.lstrip("\ufeff") if isinstance(line, str) else line[3:] if line.startswith(codecs.BOM_UTF8) else line


def decode_line(raw, path, number):
    """A bytes line as text; FormatError naming the line and byte if it is not UTF-8."""
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(f"expected UTF-8 text; byte {exc.start + 1} of the line (0x{raw[exc.start:exc.start + 1].hex()}) "
                          f"is not valid UTF-8 ({_HINT})", path=path, line=number) from None
