"""Quotes: which earlier comments of its thread a comment repeats passages of.

A comment's own words (text inside quotation marks or on ">" lines is someone else's) are
indexed, lower-cased without punctuation, as every run of 8 consecutive words and every whole
sentence of 4 to 7 words and 40+ characters.  A later comment of the thread (by
``created_at`` when every comment of the thread has one, else by source order) containing an
indexed passage quotes the passage's first writer.  An article passage quoted by two
commenters sits inside quotation marks in the first one's comment, so it links neither.

:func:`quotes_in_thread` is the plain reading of these rules, one thread at a time.
:func:`quotes_in_chunk` gets the same answer for many threads at once: the word runs of all
threads are compared as integer arrays (hashed, then sorted), short sentences too, so only
the few comments that share words with an earlier one get per-comment work.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from .words import SENTENCE_END, gather, lower_words, nfc, sentences

if TYPE_CHECKING:
    #: A quote finder: the first quoted span (start, end) at or after a position, or None.
    _Finder = Callable[[int], tuple[int, int] | None]

__all__ = ["own_text", "own_texts", "quotes_in_thread", "quotes_in_chunk"]

_QUOTE_RUN, _QUOTE_MIN_WORDS, _QUOTE_CHARS = 8, 4, 40
#: What a comment quotes: the matches, left to right, of
#: ``“[^”]*”|"[^"\n]*"|«[^»]*»|„[^“”]*[“”]|(?<!\w)‘[^‘’\n]{1,400}’(?!\w)|^\s*>.*$`` (multi-line), found by
#: :func:`_quoted_spans` in linear time: that pattern scans to the end of the text from every opening
#: mark without a closing one, and from every line of a run of blank lines (200,000 "„": minutes).
_SINGLE_QUOTED = re.compile(r"(?<!\w)‘[^‘’\n]{1,400}’(?!\w)")
_CLOSERS = {"“": re.compile("”"), "«": re.compile("»"), "„": re.compile("[“”]")}
_STRAIGHT_END = re.compile('["\n]')
_NOT_SPACE = re.compile(r"\S")
_QUOTE_MARKS = "\"“«„‘>"
_MAYBE_QUOTED = re.compile(f"[{_QUOTE_MARKS}]")
# str.lower() is character by character except for the Greek capital sigma, whose lower case
# depends on its neighbours; the quote shortcuts below rely on the former.
_CONTEXT_LOWER = "Σ"


def _grams(words: Sequence[str], n: int) -> Iterator[tuple[str, ...]]:
    return zip(*(words[k:] for k in range(n)))


def _paired(text: str, opener: str) -> _Finder:
    """The finder of ``opener``, anything but its closing marks, then one: the first such span at or
    after a position.  The first closing mark after an opener serves every opener before it."""
    closers, closing, never = _CLOSERS[opener], -1, False

    def find(at: int) -> tuple[int, int] | None:
        nonlocal closing, never
        start = text.find(opener, at)
        if start < 0 or never:
            return None
        if closing <= start:
            close = closers.search(text, start + 1)
            if close is None:  # no closing mark after this opener, so none after any later one
                never = True
                return None
            closing = close.start()
        return start, closing + 1
    return find


def _straight(text: str) -> _Finder:
    r"""The finder of ``"[^"\n]*"``."""
    def find(at: int) -> tuple[int, int] | None:
        while True:
            start = text.find('"', at)
            if start < 0:
                return None
            end = _STRAIGHT_END.search(text, start + 1)
            if end is None:
                return None
            if text[end.start()] == '"':
                return start, end.end()
            at = end.start() + 1
    return find


def _single(text: str) -> _Finder:
    r"""The finder of ``(?<!\w)‘[^‘’\n]{1,400}’(?!\w)`` (bounded: a plain search)."""
    def find(at: int) -> tuple[int, int] | None:
        match = _SINGLE_QUOTED.search(text, at)
        return match.span() if match else None
    return find


def _quote_line(text: str) -> _Finder:
    r"""The finder of ``^\s*>.*$`` (multi-line): from a line start, white space (line breaks too), ">"
    and the rest of its line.  Every line start inside one run of white space meets the same
    character after it, so a run that does not end in ">" is passed by whole."""
    def find(at: int) -> tuple[int, int] | None:
        while True:
            if at and text[at - 1] != "\n":
                at = text.find("\n", at)
                if at < 0:
                    return None
                at += 1
            first = _NOT_SPACE.search(text, at)
            if first is None:
                return None
            if text[first.start()] == ">":
                end = text.find("\n", first.start())
                return at, len(text) if end < 0 else end
            at = text.find("\n", first.start())
            if at < 0:
                return None
            at += 1
    return find


def _quoted_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each quoted span of ``text``, left to right, as the pattern described at
    ``_SINGLE_QUOTED`` finds them: at each step the earliest start, ties to the earlier kind.
    Each kind's next span is kept while it lies ahead, so every character is read a few times."""
    finders = [_paired(text, "“"), _straight(text), _paired(text, "«"), _paired(text, "„"), _single(text),
               _quote_line(text)]
    ahead = [None] * len(finders)
    done = [False] * len(finders)
    at = 0
    while True:
        best = None
        for k, find in enumerate(finders):
            if done[k]:
                continue
            if ahead[k] is None or ahead[k][0] < at:
                ahead[k] = find(at)
                if ahead[k] is None:
                    done[k] = True
                    continue
            if best is None or ahead[k][0] < best[0]:
                best = ahead[k]
        if best is None:
            return
        yield best
        at = best[1]


def own_text(text: str) -> str:
    """The text without what it quotes (quotation marks, ">" lines), each quoted span a line break."""
    if not _MAYBE_QUOTED.search(text):
        return text
    parts, at = [], 0
    for start, end in _quoted_spans(text):
        parts += [text[at:start], "\n"]
        at = end
    if not parts:
        return text
    parts.append(text[at:])
    return "".join(parts)


def own_texts(texts: Sequence[str]) -> dict[int, str]:
    """``{i: own text}`` of the ``texts`` that quote something (:func:`own_text`).

    The texts are searched joined, for each mark in turn, from each text that has it to the next.
    """
    ends = np.cumsum(np.fromiter(map(len, texts), np.int64, len(texts)) + 1).tolist()
    joined, marked = "\n".join(texts), set()
    for mark in _QUOTE_MARKS:
        at = joined.find(mark)
        while at >= 0:
            i = bisect_right(ends, at)
            marked.add(i)
            at = joined.find(mark, ends[i])
    out = {}
    for i in sorted(marked):
        own = own_text(texts[i])
        if own is not texts[i]:
            out[i] = own
    return out


def _short_sentences(text: str) -> Iterator[tuple[str, ...]]:
    """Whole sentences of 4 to 7 words and at least 40 characters, as word tuples."""
    for sentence in SENTENCE_END.split(text):
        if len(sentence) >= _QUOTE_CHARS and sentence.count(" ") < 4 * _QUOTE_RUN:  # cheap filter first
            words = lower_words(sentence)
            if _QUOTE_MIN_WORDS <= len(words) < _QUOTE_RUN and len(" ".join(words)) >= _QUOTE_CHARS:
                yield tuple(words)


class _ShortSentences:
    """Short sentences seen so far in a thread, each with its first writer."""

    def __init__(self) -> None:
        self.by_start = {}  # sentence's first words -> [(sentence, writer)]

    def add(self, text: str, writer: int) -> None:
        for sentence in _short_sentences(text):
            bucket = self.by_start.setdefault(sentence[:_QUOTE_MIN_WORDS], [])
            if all(s != sentence for s, _ in bucket):
                bucket.append((sentence, writer))

    def writers_quoted(self, words: Sequence[str]) -> list[int]:
        """Writers of the sentences that ``words`` (a comment's lower-cased words) contain."""
        if not self.by_start:
            return []
        writers = []
        for key in set(_grams(words, _QUOTE_MIN_WORDS)).intersection(self.by_start):
            for sentence, writer in self.by_start[key]:
                n = len(sentence)
                if any(tuple(words[i:i + n]) == sentence for i in range(len(words) - n + 1)):
                    writers.append(writer)
        return writers


def quotes_in_thread(texts: Sequence[str]) -> dict[int, set[int]]:
    """``{i: {j, ...}}``: the earlier comments j whose passages comment i quotes.

    ``texts`` are one thread's comments in time order, compared in Unicode NFC.  The plain reading
    of the rules, one comment after the other; :func:`_quotes` gets the same answer for many
    threads at once.
    """
    runs, short, out = {}, _ShortSentences(), {}  # run -> its first writer
    for i, text in enumerate(texts):
        text = nfc(text)
        words = lower_words(text)
        grams = set(_grams(words, _QUOTE_RUN))
        quoted = {runs[g] for g in grams.intersection(runs)} | set(short.writers_quoted(words))
        if quoted:
            out[i] = quoted
        own = own_text(text)
        if own is not text:
            grams = set(_grams(lower_words(own), _QUOTE_RUN))
        for g in grams:
            runs.setdefault(g, i)  # the first to write a run owns it
        short.add(own, i)
    return out


# Odd 64-bit multipliers (golden ratio, MurmurHash3/SplitMix64 finalisers) to spread run hashes.
_HASH_STEP, _HASH_THREAD = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F)
_HASH_MIX = np.uint64(0x94D049BB133111EB)


def _run_hashes(words: npt.NDArray[np.uint64], threads: npt.NDArray[np.uint64], n: int) -> npt.NDArray[np.uint64]:
    """64-bit hashes of the (thread, n words) starting at each position; runs past the end are junk."""
    hashes = np.zeros(len(words), dtype=np.uint64)
    for i in range(min(n, len(words))):
        hashes[:len(words) - i] = hashes[:len(words) - i] * _HASH_STEP + words[i:]
    hashes += threads * _HASH_THREAD
    return _mixed(hashes)


def _doubled(hashes: npt.NDArray[np.uint64], n: int) -> npt.NDArray[np.uint64]:
    """Hashes of 2n-word runs from those of the n-word runs."""
    doubled, m = hashes.copy(), max(len(hashes) - n, 0)
    doubled[:m] = doubled[:m] * _HASH_STEP + hashes[n:]
    return _mixed(doubled)


def _mixed(hashes: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    hashes ^= hashes >> np.uint64(31)
    return hashes * _HASH_MIX


#: Runs counted at once in :func:`_maybe_repeated`: a few megabytes of counts each time.
_BUCKET_RUNS = 1 << 16


def _maybe_repeated(hashes: npt.NDArray[np.uint64], kept: npt.NDArray[np.bool_], threads: npt.NDArray[np.uint64]
                    ) -> npt.NDArray[np.bool_]:
    """Those of the ``kept`` runs whose hash shares its top bits with another kept run of the
    thread: all repeated runs, and a few others, found by counting instead of sorting.

    Whole threads are counted together, in blocks of about :data:`_BUCKET_RUNS`, with three
    buckets a run.
    """
    at = np.flatnonzero(kept)
    out = np.zeros(len(hashes), dtype=bool)
    cuts, last = [], 0
    for boundary in (np.flatnonzero(threads[at][1:] != threads[at][:-1]) + 1).tolist():
        if boundary - last >= _BUCKET_RUNS:
            cuts.append(boundary)
            last = boundary
    for block in np.split(at, cuts):
        bits = max((3 * len(block)).bit_length(), 1)
        buckets = (hashes[block] >> np.uint64(64 - bits)).astype(np.intp)
        out[block[np.bincount(buckets, minlength=1 << bits)[buckets] > 1]] = True
    return out


class _Runs:
    """Equal-hash groups of n-word runs, each run an entry: its position and whether it is read
    (in a comment's whole text) and written (in a comment's own words).

    Entries sort by thread, hash, then position; positions follow time, so in a group the
    earlier comment comes first.  Different runs may share a hash: callers either confirm the words or
    only use the groups to narrow a search.
    """

    def __init__(self, hashes: npt.NDArray[np.uint64], read: npt.NDArray[np.bool_], written: npt.NDArray[np.bool_],
                 threads: npt.NDArray[np.uint64]) -> None:
        position_bits = max(int(len(hashes)).bit_length(), 1)
        shift = np.uint64(position_bits + 2)
        kept = np.flatnonzero(read | written)
        flags = read[kept].astype(np.uint64) | written[kept].astype(np.uint64) << np.uint64(1)
        key = hashes[kept] >> shift << shift | kept.astype(np.uint64) << np.uint64(2) | flags
        # Runs of different threads never match: sorting each thread's apart is faster.
        threads = threads[kept]
        cuts = np.flatnonzero(threads[1:] != threads[:-1]) + 1
        for start, end in zip([0, *cuts.tolist()], [*cuts.tolist(), len(key)]):
            key[start:end].sort()
        self.position = (key >> np.uint64(2) & np.uint64((1 << position_bits) - 1)).astype(np.int64)
        self.read, self.written = (key & np.uint64(1)).astype(bool), (key & np.uint64(2)).astype(bool)
        opens = np.ones(len(key), dtype=bool)
        opens[1:] = key[1:] >> shift != key[:-1] >> shift
        opens[cuts] = True
        self.starts = np.flatnonzero(opens)
        self.group = np.cumsum(opens) - 1

    def per_group(self, pick: np.ufunc, values: np.ndarray) -> np.ndarray:
        """``pick`` (np.minimum or np.maximum) of ``values`` (one per entry) over each entry's group."""
        if not len(values):
            return values
        return pick.reduceat(values, self.starts)[self.group]

    def shared(self, size: int) -> npt.NDArray[np.bool_]:
        """Whether each of ``size`` positions has an entry in a group of several."""
        out = np.zeros(size, dtype=bool)
        out[self.position[np.bincount(self.group)[self.group] > 1]] = True
        return out


def _quotes(ids: npt.NDArray[np.uint64], lengths: npt.NDArray[np.int64], texts: Sequence[str], own: dict[int, str],
            thread_of: npt.ArrayLike) -> dict[int, set[int]]:
    """``{i: {j, ...}}``: comment i quotes the earlier comments j; as :func:`quotes_in_thread`.

    Comments in time order within each thread, threads one after the other; ``thread_of``
    numbers each comment's thread, ``own`` is ``{i: own text}`` where a comment quotes others.
    ``ids``: word ids of comment 0's text, of its own text if it has one, of comment 1's...;
    ``lengths``: the number of words of each.  Each n-word run gets a hash; sorting the hashes
    brings equal runs together, and the few runs an earlier comment wrote are confirmed word by
    word.  Short sentences are split out only for comments whose 4-word runs come back later in
    the thread, and looked for only in comments that repeat an earlier comment's 4-word run.
    """
    count = len(texts)
    has_own = np.zeros(count, dtype=bool)
    has_own[list(own)] = True
    comment_of_doc = np.repeat(np.arange(count), 1 + has_own)
    full_doc = np.ones(len(comment_of_doc), dtype=bool)
    full_doc[1:] = comment_of_doc[1:] != comment_of_doc[:-1]  # a comment's second doc: its own words
    doc = np.repeat(np.arange(len(lengths)), lengths)
    doc_end, comment, read = np.cumsum(lengths)[doc], comment_of_doc[doc], full_doc[doc]
    written = ~read | ~has_own[comment]
    thread_of = np.asarray(thread_of, dtype=np.int64)
    threads = thread_of.astype(np.uint64)[comment]
    position = np.arange(len(ids))
    quoted = {}

    def whole(n: int) -> npt.NDArray[np.bool_]:
        return position + n <= doc_end

    # Short sentences: shared hashes only narrow down whose sentences to split and where to look.
    hashes = _run_hashes(ids, threads, _QUOTE_MIN_WORDS)
    kept = _maybe_repeated(hashes, whole(_QUOTE_MIN_WORDS), threads)  # a run met once matters to nobody
    groups = _Runs(hashes, read & kept, written & kept, threads)
    of = comment[groups.position]
    last_read = groups.per_group(np.maximum, np.where(groups.read, of, -1))
    writers = np.zeros(count, dtype=bool)
    writers[of[groups.written & (last_read > of)]] = True
    first_written = groups.per_group(np.minimum, np.where(groups.written & writers[of], of, count))
    readers = np.zeros(count, dtype=bool)
    readers[of[groups.read & (first_written < of)]] = True

    # 8-word runs: each read run against the first writer of its group, confirmed word by word.
    # Two equal runs have equal 4-word halves, so only runs whose halves are shared take part.
    shared = groups.shared(len(ids))
    halves = whole(_QUOTE_RUN)
    m = max(len(ids) - _QUOTE_MIN_WORDS, 0)
    halves[:m] &= shared[:m] & shared[_QUOTE_MIN_WORDS:]
    groups = _Runs(_doubled(hashes, _QUOTE_MIN_WORDS), read & halves, written & halves, threads)
    entries = np.arange(len(groups.position))
    first = groups.per_group(np.minimum, np.where(groups.written, entries, len(entries)))
    reader = np.flatnonzero(groups.read & (first < len(entries)))
    at, by = groups.position[reader], groups.position[first[reader]]
    earlier = comment[by] < comment[at]
    reader, at, by = reader[earlier], at[earlier], by[earlier]
    same = threads[at] == threads[by]
    for k in range(_QUOTE_RUN):
        same &= ids[at + k] == ids[by + k]
    for pair in np.unique(comment[at[same]] * count + comment[by[same]]).tolist():  # a quote spans many runs
        quoted.setdefault(pair // count, set()).add(pair % count)
    for entry in reader[~same].tolist():  # a hash shared by different runs: look through the group
        at = groups.position[entry]
        for other in range(groups.starts[groups.group[entry]], entry):
            by = groups.position[other]
            if groups.written[other] and threads[by] == threads[at] and (
                    ids[by:by + _QUOTE_RUN] == ids[at:at + _QUOTE_RUN]).all():
                if comment[by] < comment[at]:
                    quoted.setdefault(int(comment[at]), set()).add(int(comment[by]))
                break

    # Short sentences: the writers' own words split into sentences, looked for in the readers.
    writer = np.flatnonzero(writers)
    doc, first_word, size = _sentences([own.get(i, texts[i]) for i in writer.tolist()])
    written_doc = (comment_of_doc.searchsorted(writer) + has_own[writer])[doc]
    runs = _SentenceRuns(ids, threads, np.cumsum(lengths)[written_doc] - lengths[written_doc] + first_word, size,
                         writer[doc])
    if not runs.distinct():  # two sentences share a key: the plain way
        return _sentence_quotes(quoted, texts, own, writers, readers, thread_of.tolist())
    for i, j in zip(*runs.found_in(np.flatnonzero(read & readers[comment]), hashes, comment, doc_end)):
        quoted.setdefault(i, set()).add(j)
    return quoted


def _sentence_quotes(quoted: dict[int, set[int]], texts: Sequence[str], own: dict[int, str],
                     writers: npt.NDArray[np.bool_], readers: npt.NDArray[np.bool_], thread_of: list[int]
                     ) -> dict[int, set[int]]:
    """``quoted`` with the short sentences each of the ``readers`` quotes from the ``writers``
    before it, found one comment after the other (as :func:`quotes_in_thread`)."""
    short, thread = None, None
    for i in np.flatnonzero(writers | readers).tolist():
        if thread_of[i] != thread:
            short, thread = _ShortSentences(), thread_of[i]
        if readers[i]:
            quoted.setdefault(i, set()).update(short.writers_quoted(lower_words(texts[i])))
        if writers[i]:
            short.add(own.get(i, texts[i]), i)
    return quoted


def _sentences(docs: Sequence[str]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(doc, first word, words) of each short sentence of ``docs`` (:func:`_short_sentences`),
    words numbered as :func:`~discourse.network.words.lower_words` gives them."""
    doc, first, words, characters, spaces, letters = sentences(docs)
    short = ((characters >= _QUOTE_CHARS) & (spaces < 4 * _QUOTE_RUN) & (words >= _QUOTE_MIN_WORDS)
             & (words < _QUOTE_RUN) & (letters + words - 1 >= _QUOTE_CHARS))
    return doc[short], first[short], words[short]


class _SentenceRuns:
    """Short sentences as runs of word ids: each at ``at`` in ``ids``, ``size`` words long,
    written by comment ``by``; kept once per thread and words, with their first writer."""

    def __init__(self, ids: npt.NDArray[np.uint64], threads: npt.NDArray[np.uint64], at: npt.NDArray[np.int64],
                 size: npt.NDArray[np.int64], by: npt.NDArray[np.int64]) -> None:
        self.ids, self.threads = ids, threads
        key = threads[at] * _HASH_THREAD + size.astype(np.uint64)
        for k in range(_QUOTE_RUN - 1):
            key = key * _HASH_STEP + np.where(k < size, ids[np.minimum(at + k, len(ids) - 1)], 0)
        order = np.lexsort((by, key))
        self.key, self.at, self.size, self.by = key[order], at[order], size[order], by[order]

    def distinct(self) -> bool:
        """Keep each sentence's first writer; False if two different sentences share a key."""
        first = np.ones(len(self.key), dtype=bool)
        first[1:] = self.key[1:] != self.key[:-1]
        same = np.cumsum(first) - 1
        head = np.flatnonzero(first)[same]
        equal = (self.size == self.size[head]) & (self.threads[self.at] == self.threads[self.at[head]])
        for k in range(_QUOTE_RUN - 1):
            equal &= (k >= self.size) | (self.ids[np.minimum(self.at + k, len(self.ids) - 1)]
                                         == self.ids[np.minimum(self.at[head] + k, len(self.ids) - 1)])
        self.at, self.size, self.by = self.at[first], self.size[first], self.by[first]
        return bool(equal.all())

    def found_in(self, positions: npt.NDArray[np.int64], hashes: npt.NDArray[np.uint64], comment: npt.NDArray[np.int64],
                 doc_end: npt.NDArray[np.int64]) -> tuple[list[int], list[int]]:
        """(i, j) pairs: comment i has, from one of ``positions`` on, a sentence comment j wrote before."""
        order = np.argsort(hashes[self.at], kind="stable")
        starts = hashes[self.at][order]
        low = np.searchsorted(starts, hashes[positions])
        count = np.searchsorted(starts, hashes[positions], side="right") - low
        at = np.repeat(positions, count)
        which = order[np.repeat(low - np.cumsum(count) + count, count) + np.arange(count.sum())]
        by, size, start = self.by[which], self.size[which], self.at[which]
        ok = (comment[at] > by) & (at + size <= doc_end[at]) & (self.threads[at] == self.threads[start])
        last = len(self.ids) - 1
        for k in range(_QUOTE_RUN - 1):
            ok &= (k >= size) | (self.ids[np.minimum(at + k, last)] == self.ids[np.minimum(start + k, last)])
        return comment[at[ok]].tolist(), by[ok].tolist()


def quotes_in_chunk(texts: Sequence[str], own: dict[int, str], ids: npt.NDArray[np.uint64],
                    starts: npt.NDArray[np.int64], thread_of: npt.ArrayLike) -> dict[int, set[int]]:
    """``{i: {j, ...}}``: comment i quotes the earlier comments j, for whole threads at once.

    ``texts``: the threads' comments, in time order within each thread, threads one after
    the other (``thread_of`` numbers each comment's thread); ``own``: ``{i: own text}`` of
    the comments that quote (:func:`own_texts`); ``ids``/``starts``: the words of each text,
    then of its own text if it has one, as :func:`~discourse.network.words.tokenise` gives them.
    """
    thread_of = np.asarray(thread_of, dtype=np.int64)
    # Where lower-casing depends on context, sentences' words may not be runs of the text's:
    # those (rare) threads take the plain reading.
    plain = np.isin(thread_of, thread_of[[i for i, t in enumerate(texts) if _CONTEXT_LOWER in t]])
    if not plain.any():
        return _quotes(ids, np.diff(starts), texts, own, thread_of)
    has_own = np.zeros(len(texts), dtype=bool)
    has_own[list(own)] = True
    fast = np.flatnonzero(~plain)
    docs = np.flatnonzero(np.repeat(~plain, 1 + has_own))
    local = {i: k for k, i in enumerate(fast.tolist())}
    quoted = _quotes(gather(ids, starts[:-1], np.diff(starts), docs), np.diff(starts)[docs],
                     [texts[i] for i in fast.tolist()], {local[i]: t for i, t in own.items() if i in local},
                     thread_of[fast])
    out = {int(fast[i]): {int(fast[j]) for j in writers} for i, writers in quoted.items()}
    slow = np.flatnonzero(plain)
    for part in np.split(slow, np.flatnonzero(np.diff(thread_of[slow])) + 1):
        part = part.tolist()
        out.update((part[i], {part[j] for j in writers})
                   for i, writers in quotes_in_thread([texts[k] for k in part]).items())
    return out
