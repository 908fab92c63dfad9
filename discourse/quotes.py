"""Quotes: which earlier comments of its thread a comment repeats passages of.

A comment's own words (text inside quotation marks or on ">" lines is someone else's) are
indexed, lower-cased without punctuation, as every run of 8 consecutive words and every whole
sentence of 4 to 7 words and 40+ characters.  A later comment of the thread (by
``created_at`` when every comment of the thread has one, else by source order) containing an
indexed passage quotes the passage's first writer.  An article passage quoted by two
commenters sits inside quotation marks in the first one's comment, so it links neither.

:func:`quotes_in_thread` is the plain reading of these rules, one thread at a time.
:func:`quotes_by_thread` gets the same answer for a whole comments table at once: the word
runs of all threads are compared as integer arrays (hashed, then sorted), so only the few
comments that share words with an earlier one get per-comment Python work.
"""

import re
from itertools import chain

import numpy as np
import pandas as pd

from .words import gather, lower_words

_QUOTE_RUN, _QUOTE_MIN_WORDS, _QUOTE_CHARS = 8, 4, 40
_QUOTED_SPAN = re.compile(r"“[^”]*”|\"[^\"\n]*\"|«[^»]*»|„[^“”]*[“”]|(?<!\w)‘[^‘’\n]{1,400}’(?!\w)|^\s*>.*$",
                          re.M)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
_MAYBE_QUOTED = re.compile("[\"“«„‘>]")
# str.lower() is character by character except for the Greek capital sigma, whose lower case
# depends on its neighbours; the quote shortcuts below rely on the former.
_CONTEXT_LOWER = "Σ"


def _grams(words, n):
    return zip(*(words[k:] for k in range(n)))


def own_text(text):
    """The text without what it quotes (quotation marks, ">" lines)."""
    if _MAYBE_QUOTED.search(text) and _QUOTED_SPAN.search(text):
        return _QUOTED_SPAN.sub("\n", text)
    return text


def _short_sentences(text):
    """Whole sentences of 4 to 7 words and at least 40 characters, as word tuples."""
    for sentence in _SENTENCE_END.split(text):
        if len(sentence) >= _QUOTE_CHARS and sentence.count(" ") < 4 * _QUOTE_RUN:  # cheap filter first
            words = lower_words(sentence)
            if _QUOTE_MIN_WORDS <= len(words) < _QUOTE_RUN and len(" ".join(words)) >= _QUOTE_CHARS:
                yield tuple(words)


class _ShortSentences:
    """Short sentences seen so far in a thread, each with its first writer."""

    def __init__(self):
        self.by_start = {}  # sentence's first words -> [(sentence, writer)]

    def add(self, text, writer):
        for sentence in _short_sentences(text):
            bucket = self.by_start.setdefault(sentence[:_QUOTE_MIN_WORDS], [])
            if all(s != sentence for s, _ in bucket):
                bucket.append((sentence, writer))

    def writers_quoted(self, words):
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


def quotes_in_thread(texts):
    """``{i: {j, ...}}``: the earlier comments j whose passages comment i quotes.

    ``texts`` are one thread's comments in time order.  The plain reading of the rules, one
    comment after the other; :func:`_quotes` gets the same answer for many threads at once.
    """
    runs, short, out = {}, _ShortSentences(), {}  # run -> its first writer
    for i, text in enumerate(texts):
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


def _run_hashes(words, threads, n):
    """64-bit hashes of the (thread, n words) starting at each position; runs past the end are junk."""
    hashes = np.zeros(len(words), dtype=np.uint64)
    for i in range(min(n, len(words))):
        hashes[:len(words) - i] = hashes[:len(words) - i] * _HASH_STEP + words[i:]
    hashes += threads * _HASH_THREAD
    return _mixed(hashes)


def _doubled(hashes, n):
    """Hashes of 2n-word runs from those of the n-word runs."""
    doubled, m = hashes.copy(), max(len(hashes) - n, 0)
    doubled[:m] = doubled[:m] * _HASH_STEP + hashes[n:]
    return _mixed(doubled)


def _mixed(hashes):
    hashes ^= hashes >> np.uint64(31)
    return hashes * _HASH_MIX


class _Runs:
    """Equal-hash groups of n-word runs, each run an entry: its position and whether it is read
    (in a comment's whole text) and written (in a comment's own words).

    Entries sort by thread, hash, then position; positions follow time, so in a group the
    earlier comment comes first.  Different runs may share a hash: callers either confirm the words or
    only use the groups to narrow a search.
    """

    def __init__(self, hashes, read, written, threads):
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

    def per_group(self, pick, values):
        """``pick`` (np.minimum or np.maximum) of ``values`` (one per entry) over each entry's group."""
        if not len(values):
            return values
        return pick.reduceat(values, self.starts)[self.group]

    def shared(self, size):
        """Whether each of ``size`` positions has an entry in a group of several."""
        out = np.zeros(size, dtype=bool)
        out[self.position[np.bincount(self.group)[self.group] > 1]] = True
        return out


def _quotes(ids, lengths, texts, own, thread_of):
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
    comment_of_doc = np.fromiter(chain.from_iterable((i, i) if i in own else (i,) for i in range(count)), np.int64)
    full_doc = np.ones(len(comment_of_doc), dtype=bool)
    full_doc[np.flatnonzero(np.diff(comment_of_doc, prepend=-1) == 0)] = False  # a comment's second: its own words
    doc = np.repeat(np.arange(len(lengths)), lengths)
    doc_end, comment, read = np.cumsum(lengths)[doc], comment_of_doc[doc], full_doc[doc]
    written = ~read | ~np.isin(comment, np.fromiter(own, np.int64, len(own)))
    threads = np.asarray(thread_of, dtype=np.uint64)[comment]
    position = np.arange(len(ids))
    quoted = {}

    def whole(n):
        return position + n <= doc_end

    # Short sentences: shared hashes only narrow down whose sentences to split and where to look.
    hashes = _run_hashes(ids, threads, _QUOTE_MIN_WORDS)
    groups = _Runs(hashes, read & whole(_QUOTE_MIN_WORDS), written & whole(_QUOTE_MIN_WORDS), threads)
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
    for i, j in zip(comment[at[same]].tolist(), comment[by[same]].tolist()):
        quoted.setdefault(i, set()).add(j)
    for entry in reader[~same].tolist():  # a hash shared by different runs: look through the group
        at = groups.position[entry]
        for other in range(groups.starts[groups.group[entry]], entry):
            by = groups.position[other]
            if groups.written[other] and threads[by] == threads[at] and (
                    ids[by:by + _QUOTE_RUN] == ids[at:at + _QUOTE_RUN]).all():
                if comment[by] < comment[at]:
                    quoted.setdefault(int(comment[at]), set()).add(int(comment[by]))
                break

    short, thread = None, None
    for i in np.flatnonzero(writers | readers).tolist():
        if thread_of[i] != thread:
            short, thread = _ShortSentences(), thread_of[i]
        if readers[i]:
            quoted.setdefault(i, set()).update(short.writers_quoted(lower_words(texts[i])))
        if writers[i]:
            short.add(own.get(i, texts[i]), i)
    return quoted


def _time_order(created, codes, count):
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


def _thread_chunks(rows, codes):
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


def quotes_by_thread(texts, own, ids, starts, created, codes, count):
    """Per thread code, [(row, rows it quotes)] with the quoting rows in time order.

    ``own``: ``{row: (own text, its doc number)}`` for rows quoting others; ``ids``/``starts``
    as :func:`~discourse.words.tokenise` gives them for the texts then those own texts.
    """
    order = _time_order(created, codes, count)
    thread_of = codes[order]
    # Where lower-casing depends on context, sentences' words may not be runs of the text's:
    # those (rare) threads take the plain reading.
    plain = np.zeros(count, dtype=bool)
    marked = codes[[i for i, t in enumerate(texts) if _CONTEXT_LOWER in t]]
    plain[marked[marked >= 0]] = True
    lengths = np.diff(starts)
    found = {}
    for fast in _thread_chunks(order[~plain[thread_of]], codes):
        fast = fast.tolist()
        docs = np.fromiter(chain.from_iterable((r, own[r][1]) if r in own else (r,) for r in fast), np.int64)
        quoted = _quotes(gather(ids, starts[:-1], lengths, docs), lengths[docs], [texts[r] for r in fast],
                         {i: own[r][0] for i, r in enumerate(fast) if r in own}, codes[fast].tolist())
        found.update((fast[i], [fast[j] for j in writers]) for i, writers in quoted.items())
    for rows in np.split(order, np.flatnonzero(np.diff(thread_of)) + 1):
        if len(rows) and plain[codes[rows[0]]]:
            rows = rows.tolist()
            found.update((rows[i], [rows[j] for j in writers])
                         for i, writers in quotes_in_thread([texts[r] for r in rows]).items())
    position = np.empty(len(codes), dtype=np.int64)
    position[order] = np.arange(len(order))
    position, codes = position.tolist(), codes.tolist()
    out = {}
    for row in sorted(found, key=position.__getitem__):
        out.setdefault(codes[row], []).append((row, sorted(found[row])))
    return out
