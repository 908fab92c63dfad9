"""The whole-table scan for mentions and quotes: every thread of a comments table at once.

Threads are taken a chunk at a time (:func:`thread_chunks`, whole threads in time order), each
chunk's texts tokenised once (:func:`~discourse.network.words.tokenise`) for both searches:

- quotes: :func:`~discourse.network.quotes.quotes_in_chunk` compares the chunk's word runs as arrays;
- mentions: the words that may start a commenter's name, or be one letter off one, are looked
  up as (thread, word) keys in sorted tables (:class:`_Names`), so only the comments that may
  name someone are scanned, each thread's with a :class:`~discourse.network.mentions.NameIndex` of the
  few commenters those comments may name.

The results are those of the plain reading, thread by thread, of :mod:`discourse.network.mentions`
and :mod:`discourse.network.quotes`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from functools import partial
from itertools import chain, groupby
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from .mentions import FUZZY_LETTERS, NameIndex, name_words, one_letter_blurs
from .quotes import own_texts, quotes_in_chunk
from .words import WORD, Vocabulary, case_words, gather, lower_words, nfc, tokenise

if TYPE_CHECKING:
    #: An edge record: (source, target, kind, inferred, comment row, target comment row or -1).
    _Record = tuple[str, str, str, bool, int, int]
    #: (comment positions, thread codes, word ids) of a chunk's picked words.
    _Words = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]

__all__ = ["scan_threads", "thread_chunks", "time_order"]


class _Table:
    """Integer keys, each with a value (several may share a key), sorted for look-ups."""

    def __init__(self, keys: npt.NDArray[np.int64], values: npt.NDArray[np.int64]) -> None:
        order = np.argsort(keys, kind="stable")
        self.keys, self.values = keys[order], values[order]

    def count(self, keys: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """How many entries each of ``keys`` has."""
        return np.searchsorted(self.keys, keys, side="right") - np.searchsorted(self.keys, keys)

    def values_of(self, keys: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """The values of all entries of ``keys``."""
        low, count = np.searchsorted(self.keys, keys), self.count(keys)
        return self.values[np.repeat(low - np.cumsum(count) + count, count) + np.arange(count.sum())]


class _Names:
    """Every thread's commenters, and the words their names may be found by.

    ``vocabulary`` starts with the words that start a name (ids below ``firsts``): texts
    tokenised with it give them the same ids.  A commenter of a thread (a *pair*, numbered in
    thread order, then by first comment) is looked up as ``thread << 32 | author``; a name word
    in a thread as ``thread << 32 | word id``.
    """

    def __init__(self, codes: npt.NDArray[np.int64], authors: Sequence[str]) -> None:
        """``codes``: each comment's thread (-1: leave the comment out); ``authors``: its author."""
        kept = codes >= 0
        author_codes, self.authors = pd.factorize(np.asarray(authors, dtype=object)[kept])
        pairs = pd.unique(codes[kept] << 32 | author_codes)
        pairs = pairs[np.argsort(pairs >> 32, kind="stable")]
        self.pair_threads, self.pair_authors = pairs >> 32, pairs & 0xFFFFFFFF
        firsts, fuzzy, lowered = zip(*map(name_words, self.authors)) if len(self.authors) else ((), (), ())
        self.vocabulary = Vocabulary(list(dict.fromkeys(chain.from_iterable(firsts))))
        self.firsts = len(self.vocabulary)
        self.first_words, self.lowered_words = self._keys(firsts), self._keys(lowered)
        self.pairs = _Table(self.pair_threads << 32 | self.pair_authors, np.arange(len(self.pair_threads)))
        # Blur of a plain one-word name -> its author, or the authors if several (few).
        self._blurred, self._blurred_by_several = {}, {}
        for author, names in enumerate(fuzzy):
            for blurred in chain.from_iterable(map(one_letter_blurs, names)):
                if blurred in self._blurred_by_several:
                    self._blurred_by_several[blurred].append(author)
                elif blurred in self._blurred:
                    self._blurred_by_several[blurred] = [self._blurred.pop(blurred), author]
                else:
                    self._blurred[blurred] = author
        self._near = {}
        self.variants = {}  # name -> its variants, shared by the threads' name indexes

    def _keys(self, words_per_author: Sequence[Sequence[str]]) -> _Table:
        """A table of the name words of each pair's author in the pair's thread -> pair."""
        counts = np.fromiter(map(len, words_per_author), np.int64, len(words_per_author))
        flat = self.vocabulary.ids_of(list(chain.from_iterable(words_per_author))).astype(np.int64)
        per_pair = counts[self.pair_authors]
        keys = (np.repeat(self.pair_threads << 32, per_pair)
                + gather(flat, np.cumsum(counts) - counts, counts, self.pair_authors))
        return _Table(keys, np.repeat(np.arange(len(self.pair_threads)), per_pair))

    def near(self, words: Sequence[str]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """(counts, authors): for each word, the authors with a plain one-word name one letter
        (not the first) off it, or equal to it."""
        found = [self._near_one(w) for w in words]
        counts = np.fromiter(map(len, found), np.int64, len(found))
        return counts, np.fromiter(chain.from_iterable(found), np.int64, int(counts.sum()))

    def _near_one(self, word: str) -> tuple[int, ...]:
        if word not in self._near:
            authors = set()
            for blurred in one_letter_blurs(word) if len(word) >= FUZZY_LETTERS else ():
                if blurred in self._blurred:
                    authors.add(self._blurred[blurred])
                else:
                    authors.update(self._blurred_by_several.get(blurred, ()))
            self._near[word] = tuple(sorted(authors))
        return self._near[word]


def _used_in_lower_case(words: set[str], ascii_use: set[str], texts: Sequence[str]) -> set[str]:
    """Those of the lower-case ``words`` that are whole words of the thread's non-ASCII ``texts``
    (``ascii_use``: those found in its ASCII texts already)."""
    used = words & ascii_use
    for text in texts:
        used.update(words.intersection(WORD.findall(text)))
    return used


class _Chunk:
    """The comments of whole threads (rows, in time order within each thread) and their words.

    Words that may start a name and capitalised words are kept as (comment, thread, word id)
    arrays, for the ASCII texts (the others are always scanned).
    """

    def __init__(self, rows: npt.NDArray[np.int64], texts: Sequence[str], codes: npt.NDArray[np.int64], names: _Names,
                 with_quotes: bool) -> None:
        self.rows, self.threads = rows.tolist(), codes[rows]
        self.texts = [texts[r] for r in self.rows]
        self.own = own_texts(self.texts) if with_quotes else {}
        has_own = np.zeros(len(rows), dtype=bool)
        has_own[list(self.own)] = True
        docs, done = [], 0  # each text, then its own text if it has one
        for i in sorted(self.own):
            docs += self.texts[done:i + 1] + [self.own[i]]
            done = i + 1
        docs += self.texts[done:]
        self.ids, self.starts, capitals = tokenise(docs, names.vocabulary)
        self.is_ascii = np.fromiter(map(str.isascii, self.texts), bool, len(rows))
        text_doc = np.arange(len(rows)) + np.cumsum(has_own) - has_own
        at = gather(np.arange(len(self.ids)), self.starts[:-1], np.diff(self.starts), text_doc)  # the texts' words
        of = np.repeat(np.arange(len(rows)), np.diff(self.starts)[text_doc])
        ascii_at = self.is_ascii[of]
        self.may_start = self._words(at, of, ascii_at & (self.ids[at] < names.firsts))
        self.capital = self._words(at, of, ascii_at & capitals[at])

    def _words(self, at: npt.NDArray[np.int64], of: npt.NDArray[np.int64], picked: npt.NDArray[np.bool_]) -> _Words:
        picked = np.flatnonzero(picked)
        return of[picked], self.threads[of[picked]], self.ids[at[picked]].astype(np.int64)

    def quotes(self) -> dict[int, list[int]]:
        """``{i: [rows it quotes, in source order]}`` (i: a comment of the chunk)."""
        found = quotes_in_chunk(self.texts, self.own, self.ids, self.starts, self.threads)
        return {i: sorted(self.rows[j] for j in quoted) for i, quoted in found.items()}

    def _near(self, names: _Names, comment: npt.NDArray[np.int64], thread: npt.NDArray[np.int64],
              word: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """(comments, pair keys): each capitalised word's comment, once per author :meth:`_Names.near`
        it, with the key of that author in the comment's thread."""
        distinct, inverse = np.unique(word, return_inverse=True)
        counts, authors = names.near([names.vocabulary.words[w] for w in distinct.tolist()])
        picked = gather(authors, np.cumsum(counts) - counts, counts, inverse)
        counts = counts[inverse]
        return np.repeat(comment, counts), np.repeat(thread << 32, counts) | picked

    def naming(self, names: _Names) -> npt.NDArray[np.bool_]:
        """Which comments may name a commenter of their thread: every non-ASCII one, and those
        with a word that starts a name, or a capitalised word one letter off a plain one-word name."""
        found = ~self.is_ascii
        comment, thread, word = self.may_start
        found[comment[names.first_words.count(thread << 32 | word) > 0]] = True
        comment, keys = self._near(names, *self.capital)
        found[comment[names.pairs.count(keys) > 0]] = True
        return found

    def _pairs(self, names: _Names, scanned: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
        """The pairs whose names the ``scanned`` comments may contain: those with a variant
        starting with one of their words, or with a misspelling among their capitalised words."""
        comment, thread, word = self.may_start
        keep = scanned[comment]
        found = [names.first_words.values_of(thread[keep] << 32 | word[keep])]
        comment, keys = self._near(names, *(a[scanned[self.capital[0]]] for a in self.capital))
        found.append(names.pairs.values_of(keys))
        for i in np.flatnonzero(scanned & ~self.is_ascii).tolist():
            text, thread = self.texts[i], int(self.threads[i])
            tokens = WORD.findall(text)
            ids = [names.vocabulary.id[w] for w in set(lower_words(text)).union(t.lower() for t in tokens)
                   if names.vocabulary.id.get(w, names.firsts) < names.firsts]
            found.append(names.first_words.values_of(np.array(ids, dtype=np.int64) | thread << 32))
            counts, authors = names.near([t.lower() for t in tokens if len(t) >= FUZZY_LETTERS and t[0].isupper()])
            found.append(names.pairs.values_of(thread << 32 | authors))
        return np.unique(np.concatenate(found))

    def _lower_case_use(self, names: _Names, threads: npt.NDArray[np.int64]) -> dict[int, set[str]]:
        """``{thread code: lower-case words of capitalised one-word names its ASCII texts use}``,
        for the given ``threads`` (codes)."""
        comment, thread, word = self.may_start
        hit = (names.lowered_words.count(thread << 32 | word) > 0) & np.isin(thread, threads)
        used, words_of = {}, {}
        for i, code, w in zip(comment[hit].tolist(), thread[hit].tolist(), word[hit].tolist()):
            if i not in words_of:
                words_of[i] = set(case_words(self.texts[i]))
            if names.vocabulary.words[w] in words_of[i]:
                used.setdefault(code, set()).add(names.vocabulary.words[w])
        return used

    def name_indexes(self, names: _Names, scanned: npt.NDArray[np.bool_]) -> dict[int, tuple[NameIndex, list[int]]]:
        """``{thread code: (NameIndex, rows to scan in source order)}`` for the threads with
        ``scanned`` comments (a mask) that may name someone.

        A thread's index holds only the commenters whose names those comments may contain:
        every commenter sharing a looked-up variant with them is among them, so it finds what
        the index of all the thread's commenters finds."""
        scanned = scanned & self.naming(names)
        if not scanned.any():
            return {}
        authors = {}
        for pair in self._pairs(names, scanned).tolist():
            authors.setdefault(int(names.pair_threads[pair]), []).append(names.authors[names.pair_authors[pair]])
        use = self._lower_case_use(names, np.unique(self.threads[scanned]))
        non_ascii = {}
        for i in np.flatnonzero(~self.is_ascii).tolist():
            non_ascii.setdefault(int(self.threads[i]), []).append(self.texts[i])
        out = {}
        for i in np.flatnonzero(scanned).tolist():
            code = int(self.threads[i])
            if code not in out:
                used = partial(_used_in_lower_case, ascii_use=use.get(code, set()), texts=non_ascii.get(code, []))
                out[code] = (NameIndex(authors.get(code, []), used, names.variants), [])
            out[code][1].append(self.rows[i])
        for _, rows in out.values():
            rows.sort()
        return out


def time_order(created: pd.Series, codes: npt.NDArray[np.int64], count: int) -> npt.NDArray[np.int64]:
    """Row numbers grouped by thread, by ``created`` within a thread that has every time, else as given."""
    known = created.notna().to_numpy()
    incomplete = np.zeros(count + 1, dtype=bool)  # the extra slot serves code -1 (no thread)
    incomplete[codes[~known]] = True
    times = created.where(~incomplete[codes]).reset_index(drop=True)
    order = pd.DataFrame({"thread": codes, "time": times, "row": np.arange(len(codes))})
    order = order[codes >= 0].sort_values(["thread", "time", "row"])
    return order["row"].to_numpy()


#: Comments compared at once (whole threads only: runs never match across threads).  Every word
#: of a chunk takes a dozen array entries, so chunks bound memory; a million comments in one
#: go took 4 GB.
_CHUNK_COMMENTS = 20_000


def thread_chunks(rows: npt.NDArray[np.int64], codes: npt.NDArray[np.int64]) -> list[npt.NDArray[np.int64]]:
    """``rows`` (grouped by thread) cut at thread boundaries into chunks of about _CHUNK_COMMENTS."""
    if not len(rows):
        return []
    boundaries = np.flatnonzero(np.diff(codes[rows])) + 1
    cuts, last = [], 0
    for boundary in boundaries.tolist():
        if boundary - last >= _CHUNK_COMMENTS:
            cuts.append(boundary)
            last = boundary
    return np.split(rows, cuts)


def scan_threads(comments: pd.DataFrame, kinds: Collection[str], only: Collection[str] | None = None,
                 aliases: Mapping[str, str] | None = None) -> tuple[list[_Record], dict[str, str]]:
    """Mentions and quotes of a comments table, thread by thread.

    ``kinds``: the edge kinds wanted ("mention", "quote" are looked for here).  ``only``: ids
    of the comments whose names to scan (default all); their addressees are always returned.
    Returns (records, addressees): records as ``(source, target, kind, inferred, comment row,
    target comment row)`` tuples (rows of ``comments`` by position, -1 for no target comment),
    per thread its mentions (comments in source order) then its quotes (in time order);
    addressees as ``{comment id: addressee}``.
    Texts and names are compared in Unicode NFC (:func:`~discourse.network.words.nfc`).

    Threads are taken a chunk at a time (:func:`thread_chunks`), each chunk's texts tokenised
    once for both searches.  ``aliases``: ``{alias: name}``; an alias of a thread's commenter is
    looked for as one more name of theirs, and found as them.
    """
    is_real = (~comments["is_placeholder"] & comments["author"].notna()).to_numpy(dtype=bool)
    real = comments[is_real]
    ids, authors, texts = (real[c].tolist() for c in ("comment_id", "author", "text"))
    texts = [text if text.isascii() else nfc(text) for text in texts]  # names and words compared in NFC
    table = ids, authors, texts, np.flatnonzero(is_real).tolist()  # the last: each one's row in ``comments``
    codes, thread_ids = pd.factorize(real["thread_id"])
    codes = codes.astype(np.int64)
    scanned = np.fromiter((only is None or i in only for i in ids), bool, len(ids))
    if not scanned.any() and "quote" not in kinds:
        return [], {}
    order = time_order(real["created_at"], codes, len(thread_ids))
    wanted = np.ones(len(thread_ids) + 1, dtype=bool)
    if "quote" not in kinds:  # only the threads with comments to scan
        wanted[:] = False
        wanted[codes[scanned]] = True
        order = order[wanted[codes[order]]]
    name_codes, name_authors = _with_aliases(np.where(wanted[codes], codes, -1), authors, aliases)
    names = _Names(name_codes, name_authors)
    records, addressees = [], {}
    for rows in thread_chunks(order, codes):
        chunk = _Chunk(rows, texts, codes, names, "quote" in kinds)
        indexes = chunk.name_indexes(names, scanned[rows])
        quoted = chunk.quotes() if "quote" in kinds else {}
        threads = chunk.threads.tolist()
        quoting = {code: list(members) for code, members in groupby(sorted(quoted), key=threads.__getitem__)}
        for code in dict.fromkeys(threads):
            if code in indexes:
                _mention_records(*indexes[code], table, "mention" in kinds, records, addressees, aliases or {})
            for i in quoting.get(code, ()):
                _quote_records(chunk.rows[i], quoted[i], table, records)
    return records, addressees


def _with_aliases(codes: npt.NDArray[np.int64], authors: Sequence[str], aliases: Mapping[str, str] | None
                  ) -> tuple[npt.NDArray[np.int64], Sequence[str]]:
    """``codes`` and ``authors`` with one more (thread, alias) entry for each alias of a thread's commenter."""
    if not aliases:
        return codes, authors
    spoken = {}
    for alias, name in aliases.items():
        spoken.setdefault(name, []).append(alias)
    pairs = dict.fromkeys((code, author) for code, author in zip(codes.tolist(), authors) if author in spoken)
    extra = [(code, alias) for code, author in pairs for alias in spoken[author]]
    if not extra:
        return codes, authors
    return (np.concatenate([codes, np.array([code for code, _ in extra], dtype=np.int64)]),
            [*authors, *(alias for _, alias in extra)])


def _mention_records(index: NameIndex, rows: list[int], table: tuple[list[str], list[str], list[str], list[int]],
                     mentions: bool, records: list[_Record], addressees: dict[str, str],
                     aliases: Mapping[str, str]) -> None:
    """Scan ``rows`` with the thread's name ``index``: their addressees, and (if ``mentions``)
    a record for each commenter they name but their own author, once (an alias as its name)."""
    ids, authors, texts, at = table
    for r in rows:
        named, addressee = index.scan(texts[r])
        if aliases:
            named = [aliases.get(name, name) for name in named]
            addressee = aliases.get(addressee, addressee)
        if addressee is not None:
            addressees[ids[r]] = addressee
        if mentions:
            records.extend((authors[r], target, "mention", True, at[r], -1)
                           for target in dict.fromkeys(named) if target != authors[r])


def _quote_records(row: int, quoted: list[int], table: tuple[list[str], list[str], list[str], list[int]],
                   records: list[_Record]) -> None:
    """Append the records of ``row`` quoting the rows ``quoted``: one per comment, none of oneself."""
    _, authors, _, at = table
    for q in dict.fromkeys(quoted):  # rows are comments: each quoted comment once
        if authors[row] != authors[q]:
            records.append((authors[row], authors[q], "quote", True, at[row], at[q]))
