"""Search an output folder (or file) byte by byte for the commenter names of the inputs.

    python scripts/name_leaks.py OUTPUT_FOLDER INPUT... [--format F] [--alias aliases.csv] [--key key.csv]

The names are every author, post author, addressee and ``meta_author_*`` value of the inputs as
read (plus the aliases of an alias file, and the names of a key file).  Each is searched in
every file (the members of zip files such as tables.xlsx, the text chunks of PNGs, the images a
page embeds), read as it is, HTML/XML-unescaped (named and numeric references), URL-decoded and
JSON-unescaped, NFC-normalised (an NFD spelling is found too), in any case, as a whole word (not
inside a longer word: "Ben" in "Benefit" or "random" in "random_state" is no find).  Prints
each find (file, name, form, offset) and "none found" when there is none; exits 1 on a find.
"""

from __future__ import annotations

import argparse
import base64
import html
import io
import json
import re
import struct
import sys
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import unquote_plus

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402

from discourse import read_aliases, read_corpus  # noqa: E402


def original_names(paths: Iterable[str | Path], format: str | None = None) -> set[str]:
    """Every name the inputs give a commenter (authors, post authors, addressees, quoted authors, accounts)."""
    corpus = read_corpus(list(paths), format=format)
    comments = corpus.comments
    names = set(comments["author"].dropna())
    for column in comments.columns:
        if column in ("addressee", "quoted_authors") or str(column).startswith("meta_author_"):
            for value in comments[column].dropna():
                names.update(str(value).split(";") if column == "quoted_authors" else [str(value)])
    if "post_author" in corpus.threads:
        names.update(corpus.threads["post_author"].dropna())
    return {name for name in names if name.strip()}


_WORD = re.compile(r"[^\W_]+")
_INSIDE = re.compile(r"\w")  # a name next to a letter, digit or "_" is part of a longer word ("random_state")
_DATA_URI = re.compile(r"data:[\w/+.-]+;base64,([A-Za-z0-9+/=]+)")
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def _readings(text: str) -> list[str]:
    """The text as it may hide a name: as it is, HTML/XML-unescaped, URL-decoded, JSON-unescaped;
    each NFC-normalised (an NFD name is found too) and case-folded."""
    json_text = _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    json_text = json_text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")  # escaped surrogate pairs
    readings = dict.fromkeys([text, html.unescape(text), unquote_plus(text), json_text, html.unescape(json_text)])
    return [unicodedata.normalize("NFC", reading).casefold() for reading in readings]


def _png_texts(data: bytes) -> Iterator[bytes]:
    """The text chunks of a PNG (tEXt, zTXt, iTXt): the only text a PNG holds; its pixels are the image."""
    at = 8
    while at + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        if kind == b"tEXt" or kind == b"iTXt":
            yield body
        elif kind == b"zTXt":
            yield zlib.decompress(body[body.index(b"\0") + 2:])
        at += 12 + length


def _members(path: Path | str, data: bytes) -> Iterator[tuple[str, str]]:
    """(where, text) of a file: its text, its zip members' texts, its PNG text chunks, the images
    embedded as data URIs (searched as PNGs, their base64 left out of the text)."""
    if data.startswith(b"\x89PNG"):
        for i, chunk in enumerate(_png_texts(data)):
            yield f"{path} (text chunk {i})", chunk.decode("latin-1")
        return
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                yield from _members(f"{path}!{member}", archive.read(member))
        return
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    for i, match in enumerate(_DATA_URI.finditer(text)):
        yield from _members(f"{path} (embedded {i})", base64.b64decode(match.group(1)))
    yield str(path), _DATA_URI.sub("data:", text)


def find_names(target: str | Path, names: Iterable[str]) -> list[tuple[str, str, int]]:
    """(file, name, character offset) of the first find of each name in each file under ``target``.

    A find is the name, case-folded and NFC-normalised, as a whole word (no letter, digit or
    "_" right before or after) in one of the file's :func:`_readings`.
    """
    target = Path(target)
    files = sorted(p for p in target.rglob("*") if p.is_file()) if target.is_dir() else [target]
    by_first: dict[str, list[tuple[str, str, int]]] = {}
    wordless = []
    for name in sorted(set(names)):
        folded = unicodedata.normalize("NFC", name).casefold().strip()
        first = _WORD.search(folded)
        if first is None:
            wordless.append((name, folded))
        elif folded:
            by_first.setdefault(first.group(), []).append((name, folded, first.start()))
    finds = []
    for path in files:
        for where, text in _members(path, path.read_bytes()):
            found: dict[str, int] = {}
            for reading in _readings(text):
                for word in _WORD.finditer(reading):
                    for name, folded, lead in by_first.get(word.group(), ()):
                        start = word.start() - lead
                        end = start + len(folded)
                        if name not in found and start >= 0 and reading.startswith(folded, start) and \
                                not _INSIDE.match(reading[end:end + 1]) and not _INSIDE.match(reading[start - 1:start]):
                            found[name] = start
                for name, folded in wordless:
                    if name not in found and folded in reading:
                        found[name] = reading.index(folded)
            finds += [(where, name, offset) for name, offset in found.items()]
    return finds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", help="the output folder or file to search")
    parser.add_argument("inputs", nargs="+", help="the input files the names come from")
    parser.add_argument("--format")
    parser.add_argument("--alias", help="an alias file: its names are searched too")
    parser.add_argument("--key", help="a pseudonym key: its names are searched too")
    parser.add_argument("--baseline", metavar="DIR",
                        help="outputs of other data (the shipped sample's): a name found in the same file there is "
                             "a word of the page (CSS 'max-width'), reported apart")
    parser.add_argument("--min-length", type=int, default=2, metavar="N",
                        help="search names of at least N characters (default 2: a one-letter name is a letter of "
                             "every file)")
    args = parser.parse_args(argv)
    names = original_names(args.inputs, args.format)
    if args.alias:
        aliases = read_aliases(args.alias)
        names.update(aliases, aliases.values())
    if args.key:
        names.update(pd.read_csv(args.key, dtype=str, keep_default_na=False)["name"])
    short = sorted(n for n in names if len(n.strip()) < args.min_length)
    names = {n for n in names if len(n.strip()) >= args.min_length}
    finds = find_names(args.output, names)
    in_page = set()
    if args.baseline:
        output, baseline = Path(args.output), Path(args.baseline)
        for where, name, _ in finds:
            other = baseline / Path(where.split("!")[0].split(" (")[0]).relative_to(output)
            if other.is_file() and any(n == name for _, n, _ in find_names(other, [name])):
                in_page.add((where, name))
    files = sum(1 for p in Path(args.output).rglob("*") if p.is_file()) if Path(args.output).is_dir() else 1
    print(f"searched {files} files for {len(names)} names"
          + (f"; not searched, shorter than {args.min_length} characters: {', '.join(map(repr, short))}" if short else ""))
    leaks = [(w, n, o) for w, n, o in finds if (w, n) not in in_page]
    for where, name, offset in leaks[:50]:
        print(f"{where}: {name!r} at character {offset}")
    for where, name in sorted(in_page):
        print(f"{where}: {name!r} also in the baseline's file (a word of the page, not of the data)")
    print("none found" if not leaks else f"{len(leaks)} finds")
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main())
