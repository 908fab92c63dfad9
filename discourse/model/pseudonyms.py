"""Pseudonymised corpora: every commenter's name replaced by a stable pseudonym, in the tables and the texts.

A pseudonym is ``user-`` and the first 6 hex digits of HMAC-SHA256(salt, name) ("user-3fa9c2"):
the same name and salt give the same pseudonym in every run, another salt gives others.  Two
names of one corpus whose digits agree get as many more digits as tell them apart.  Without a
salt a random one is drawn (and never written), so the pseudonyms change from run to run.  The
salt is a secret: with it and a guessed name anyone can compute the name's pseudonym.

:func:`pseudonymise` makes one pass over a :class:`~discourse.model.corpus.Corpus` (after
:func:`~discourse.model.names.merge_aliases`), so everything computed from it carries only pseudonyms:

- names: ``author``, ``addressee``, ``quoted_authors``, the threads' ``post_author``; every
  ``meta_author_*`` column (usernames, channel ids, the name as read) becomes its author's pseudonym;
- texts (``text``, the threads' ``title``, every other text column, skip reasons, source paths):
  URLs become ``[url]``, e-mail addresses ``[email]``, and every known name (the authors, the
  aliases merged into them, their account names) the person's pseudonym wherever it stands as
  whole words, in any case, with or without accents, "@name" or "Name:" alike; a name of one
  character only after "@"; the short forms people address a commenter by (the first word of
  a longer name, the part before a comma, the name without "The") when they address someone:
  "@Yves", "Yves:" opening a line, "Yves," opening the comment ("[name]" if several share it).
  A first name in a sentence ("as Yves says") is kept: it names nobody alone.  A name that is an ordinary word ("Will") is replaced wherever
  the word is: privacy before readability;
- comment, thread and subthread ids are kept as read: they join the tables with the source.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import replace
from os import PathLike
from pathlib import Path

import pandas as pd

from ..exceptions import ExportError
from .corpus import Corpus
from .names import NAME_COLUMNS, account_columns, fold

__all__ = ["KEY_HEADER", "PREFIX", "Pseudonyms", "check_key_path", "pseudonym_key", "pseudonymise", "write_key"]

#: What every pseudonym starts with.
PREFIX = "user-"
_DIGITS = 6

_URL = re.compile(r"(?i)\b(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>\"'()\[\]]+")
_EMAIL = re.compile(r"(?i)(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
#: A word: letters and digits with their combining marks (so an NFD "é" stays inside its word).
_WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")  # _WORD of a lower-cased ASCII text, faster
#: What may stand between the words of a name written out: a space, a dot, a hyphen ...
_GAP = re.compile(r"[^\w\n]{1,3}")
#: Scripts written without spaces: names in them are found inside longer runs of letters.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f\uf900-\ufaff]")


def _digest(name: str, salt: str) -> str:
    return hmac.new(salt.encode("utf-8"), name.encode("utf-8"), hashlib.sha256).hexdigest()


def pseudonym_key(names: Iterable[str], salt: str) -> dict[str, str]:
    """``{name: pseudonym}`` for ``names``: distinct names get distinct pseudonyms.

    Parameters
    ----------
    names : iterable of str
        The names (persons) to pseudonymise.
    salt : str
        The secret the pseudonyms are computed with.

    Returns
    -------
    dict
        Each name -> ``user-`` and 6 hex digits of HMAC-SHA256(salt, name), or more digits
        for names whose first 6 agree.

    Examples
    --------
    >>> key = pseudonym_key(["Ann", "Bob"], salt="study-1")
    >>> key == pseudonym_key(["Bob", "Ann"], salt="study-1"), key != pseudonym_key(["Ann", "Bob"], salt="other")
    (True, True)
    >>> all(p.startswith("user-") and len(p) == 11 for p in key.values())
    True
    """
    digests = {name: _digest(name, salt) for name in dict.fromkeys(names)}
    length = {name: _DIGITS for name in digests}
    while True:
        seen: dict[str, list[str]] = {}
        for name, digest in digests.items():
            seen.setdefault(digest[:length[name]], []).append(name)
        clashes = [group for group in seen.values() if len(group) > 1]
        if not clashes:
            return {name: PREFIX + digest[:length[name]] for name, digest in digests.items()}
        for group in clashes:
            for name in group:
                length[name] += 2


class Pseudonyms:
    """The key of a pseudonymised corpus and the rule that masks texts with it.

    ``key`` maps every name replaced (authors, aliases, account names) to its person's
    pseudonym; :meth:`text` masks a text (URLs, e-mail addresses, names).
    """

    def __init__(self, key: Mapping[str, str]) -> None:
        self.key = dict(key)
        self._phrases: dict[tuple[str, ...], str] = {}
        self._folded: dict[tuple[str, ...], str] = {}
        self._addressed: dict[str, str] = {}
        unspaced = {}
        # Longer names first, then in key order: a name's own entry wins over a folding of another.
        for name, pseudonym in sorted(self.key.items(), key=lambda item: -len(item[0])):
            words = tuple(_WORD.findall(name))
            if _UNSPACED.search(name):
                unspaced[name] = pseudonym
            if not words:
                unspaced.setdefault(name, pseudonym)  # no word to look up ("***"): found as written
                continue
            if len("".join(words)) < 2:
                self._addressed.setdefault(words[0].casefold(), pseudonym)
                continue
            self._phrases.setdefault(tuple(w.casefold() for w in words), pseudonym)
            self._folded.setdefault(tuple(fold(w) for w in words), pseudonym)
        # Short forms people address a commenter by (as the mention search does): the first word
        # of a longer name, the part before a comma, the name without a leading "The".
        short: dict[str, set[str]] = {}
        for name, pseudonym in self.key.items():
            words = _WORD.findall(name.split(",", 1)[0])
            if words and words[0].casefold() == "the":
                words = words[1:]
            if len(words) > 1 and tuple(words) != tuple(_WORD.findall(name)):  # "Rev Kev", "DJG Reality"
                self._phrases.setdefault(tuple(w.casefold() for w in words), pseudonym)
                self._folded.setdefault(tuple(fold(w) for w in words), pseudonym)
            if words:
                short.setdefault(words[0].casefold(), set()).add(pseudonym)
        for word, owners in short.items():
            if (word,) not in self._phrases:
                self._addressed.setdefault(word, owners.pop() if len(owners) == 1 else "[name]")
        self._longest = max((len(k) for k in self._phrases), default=0)
        self._firsts = {k[0] for k in self._phrases} | {k[0] for k in self._folded}
        self._starts = self._firsts | set(self._addressed)
        self._unspaced = re.compile("|".join(re.escape(n) for n in sorted(unspaced, key=len, reverse=True)),
                                    re.IGNORECASE) if unspaced else None
        self._unspaced_key = {n.casefold(): p for n, p in unspaced.items()}

    def name(self, name: object) -> object:
        """The pseudonym of ``name`` (a missing value stays missing; an unknown name gets masked as text)."""
        if not isinstance(name, str):
            return name
        return self.key.get(name) or self.text(name)

    def text(self, text: object) -> object:
        """``text`` with URLs, e-mail addresses and every known name masked (missing stays missing).

        Examples
        --------
        >>> Pseudonyms({"Ann Lee": "user-aaaaaa"}).text("@ann lee: see https://x.org/ann or mail a@b.org")
        '@user-aaaaaa: see [url] or mail [email]'
        """
        if not isinstance(text, str) or not text:
            return text
        if "://" in text or "www." in text.lower():  # the scans are slow; most texts have neither
            text = _URL.sub("[url]", text)
        if "@" in text:
            text = _EMAIL.sub("[email]", text)
        if self._unspaced is not None:
            text = self._unspaced.sub(lambda m: self._unspaced_key.get(m.group().casefold(), "[name]"), text)
        return self._names(text) if self._phrases or self._addressed else text

    def _names(self, text: str) -> str:
        # Most texts name nobody: one look at their distinct words skips the word-by-word pass.
        words = set(_ASCII_WORD.findall(text.lower()) if text.isascii() else _WORD.findall(text.casefold()))
        if words.isdisjoint(self._starts) and not any(
                fold(w) in self._firsts for w in words if not w.isascii()):
            return text
        matches = list(_WORD.finditer(text))
        lowered = [m.group().casefold() for m in matches]
        firsts = self._firsts
        out, done, i = [], 0, 0
        while i < len(matches):
            word = lowered[i]
            found = self._at(text, matches, lowered, i) if word in firsts or (
                not word.isascii() and fold(word) in firsts) else None
            if found is None and lowered[i] in self._addressed and _addressing(text, matches[i]):
                found = 1, self._addressed[lowered[i]]
            if found is None:
                i += 1
                continue
            length, pseudonym = found
            out += [text[done:matches[i].start()], pseudonym]
            done, i = matches[i + length - 1].end(), i + length
        return "".join(out) + text[done:] if out else text

    def _at(self, text: str, matches: list[re.Match[str]], lowered: list[str], i: int) -> tuple[int, str] | None:
        """(words, pseudonym) of the longest name starting at word i, or None."""
        for length in range(min(self._longest, len(matches) - i), 0, -1):
            window = matches[i:i + length]
            if any(not _GAP.fullmatch(text[a.end():b.start()]) for a, b in zip(window, window[1:])):
                continue
            words = tuple(lowered[i:i + length])
            pseudonym = self._phrases.get(words) or self._folded.get(
                words if all(map(str.isascii, words)) else tuple(fold(w) for w in words))  # ASCII: folded already
            if pseudonym is not None:
                return length, pseudonym
        return None


_LEAD = " \t>\"“'‘*"  # what may stand before a name that opens a line


def _addressing(text: str, word: re.Match[str]) -> bool:
    """Whether ``word`` addresses someone: "@word", "word:" opening a line, "word," opening the text."""
    start, end = word.start(), word.end()
    if text[start - 1:start] == "@":
        return True
    before = text[text.rfind("\n", 0, start) + 1:start]
    after = text[end:end + 2].lstrip(" ")
    return (not before.strip(_LEAD) and after.startswith(":")) or (not text[:start].strip(_LEAD) and after.startswith(","))


def pseudonymise(corpus: Corpus, *, salt: str | None = None,
                 other_names: Iterable[str] = ()) -> tuple[Corpus, Pseudonyms]:
    """``corpus`` with every commenter name replaced by a pseudonym, in the name columns and the texts.

    Parameters
    ----------
    corpus : Corpus
        Comments as :func:`~discourse.read_corpus` returns them, aliases merged if wanted
        (:func:`~discourse.merge_aliases`): an alias becomes its name's pseudonym.
    salt : str, optional
        The secret of :func:`pseudonym_key`: the same salt gives the same pseudonyms in every
        run.  None draws a random salt (the pseudonyms change from run to run).
    other_names : iterable of str, optional
        Names to mask in the texts too though no comment of ``corpus`` bears them: the authors
        a filter left out (:func:`~discourse.model.filters.filter_corpus`), whom other comments
        may still name.

    Returns
    -------
    (Corpus, Pseudonyms)
        The pseudonymised copy (as the module describes: names, texts, URLs and e-mail
        addresses; ids kept) and its :class:`Pseudonyms`, whose ``key`` maps every name
        replaced to its pseudonym (write it only where the user asks).

    Examples
    --------
    >>> from discourse import read_corpus, SAMPLE
    >>> corpus, pseudonyms = pseudonymise(read_corpus(SAMPLE), salt="study-1")
    >>> sorted(set(corpus.comments["author"].dropna()))[:2]  # doctest: +SKIP
    ['user-0b9f31', 'user-1c7e52']
    >>> bool(corpus.comments["author"].dropna().str.startswith("user-").all())
    True
    """
    salt = secrets.token_hex(16) if salt is None else str(salt)
    comments, threads = corpus.comments, corpus.threads
    person = _persons(corpus)
    for name in other_names:
        if isinstance(name, str) and name:
            person.setdefault(name, name)
    pseudonym_of = pseudonym_key(sorted(set(person.values())), salt)
    pseudonyms = Pseudonyms({name: pseudonym_of[owner] for name, owner in person.items()})
    comments = comments.copy()
    identities = [c for c in comments.columns if str(c).startswith("meta_author_")]
    for column in identities:  # an account of the comment's author: the author's pseudonym
        owners = comments["author"].map(lambda a: pseudonym_of.get(person.get(a, a)) if isinstance(a, str) else None)
        values = comments[column].map(pseudonyms.name)
        comments[column] = owners.where(comments[column].notna() & owners.notna(), values).astype("string") \
            .where(comments[column].notna())
    for column in NAME_COLUMNS:
        if column in comments:
            comments[column] = _names(comments[column], pseudonyms)
    ids = {"comment_id", "parent_id", "thread_id", "subthread_id", "source", *NAME_COLUMNS, *identities}
    for column in comments.columns:
        if column not in ids and _is_text(comments[column]):
            comments[column] = _texts(comments[column], pseudonyms)
    threads = threads.copy()
    if "post_author" in threads:
        threads["post_author"] = _names(threads["post_author"], pseudonyms)
    for column in threads.columns:
        if column not in ("thread_id", "post_author") and _is_text(threads[column]):
            threads[column] = _texts(threads[column], pseudonyms)
    skipped = corpus.skipped.copy()
    for column in skipped.columns:
        if column != "record" and _is_text(skipped[column]):
            skipped[column] = _texts(skipped[column], pseudonyms)
    return replace(corpus, comments=comments, threads=threads, skipped=skipped, aliases={}), pseudonyms


def _persons(corpus: Corpus) -> dict[str, str]:
    """Every name the corpus knows -> the author it names: authors, aliases merged into them,
    their account names; names of no author (a post author who never comments) as themselves."""
    comments = corpus.comments
    person: dict[str, str] = {}
    real = comments[comments["author"].notna()]
    for name in real["author"].tolist():
        person.setdefault(name, name)
    for column in ("addressee", "quoted_authors"):
        if column in comments:
            for value in comments[column].dropna().tolist():
                for name in (str(value).split(";") if column == "quoted_authors" else [str(value)]):
                    if name:
                        person.setdefault(name, name)
    if "post_author" in corpus.threads:
        for name in corpus.threads["post_author"].dropna().tolist():
            person.setdefault(name, name)
    for alias, name in corpus.aliases.items():
        person.setdefault(name, name)
        person.setdefault(alias, person[name])
    for column in [*account_columns(comments), *(["meta_author_as_read"] if "meta_author_as_read" in comments else [])]:
        pairs = real[["author", column]].dropna().drop_duplicates(column)
        for author, value in zip(pairs["author"].tolist(), pairs[column].astype(str).tolist()):
            person.setdefault(value, person.get(author, author))
    return person


def _is_text(column: pd.Series) -> bool:
    return isinstance(column.dtype, pd.StringDtype) or column.dtype == object


def _names(column: pd.Series, pseudonyms: Pseudonyms) -> pd.Series:
    """Each name's pseudonym (``quoted_authors``: each of its ";"-joined names)."""
    def joined(value: object) -> object:
        if not isinstance(value, str):
            return value
        return ";".join(str(pseudonyms.name(v)) if v else v for v in value.split(";"))
    out = column.map(joined if column.name == "quoted_authors" else pseudonyms.name)
    return out.astype(column.dtype) if isinstance(column.dtype, pd.StringDtype) else out


def _texts(column: pd.Series, pseudonyms: Pseudonyms) -> pd.Series:
    out = column.map(pseudonyms.text)
    return out.astype(column.dtype) if isinstance(column.dtype, pd.StringDtype) else out


#: The header of a key file (the first line discourse writes, and checks before writing over one).
KEY_HEADER = "name,pseudonym"


def check_key_path(path: str | PathLike, folder: str | PathLike | None = None) -> Path:
    """Raise :class:`~discourse.exceptions.ExportError` unless the key may be written to ``path``:
    outside the output ``folder`` (the folder is what gets shared), and not over a file that is
    not a key discourse wrote."""
    path = Path(path)
    if folder is not None:
        where, inside = path.resolve(), Path(folder).resolve()
        if where == inside or inside in where.parents:
            raise ExportError(f"{path}: the pseudonym key may not be written inside the output folder {folder}; "
                              "name a file outside it (the folder is what you share)")
    if path.is_dir():
        raise ExportError(f"{path} is a folder; --pseudonym-key names the file the key is written to")
    if path.exists():
        with open(path, encoding="utf-8", errors="replace") as handle:
            first = handle.readline().rstrip("\r\n")
        if first != KEY_HEADER:
            raise ExportError(f"{path} exists and is not a pseudonym key discourse wrote (its first line is not "
                              f"{KEY_HEADER!r}); name a new file")
    return path


def write_key(pseudonyms: Pseudonyms, path: str | PathLike) -> None:
    """Write ``pseudonyms.key`` as a CSV ``name,pseudonym``, sorted by name (see :func:`check_key_path`)."""
    path = check_key_path(path)
    rows = sorted(pseudonyms.key.items())
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        handle.write(KEY_HEADER + "\n")
        writer.writerows(rows)
