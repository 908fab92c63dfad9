"""Mentions and quotes: which commenters of a thread a comment names or repeats.

Names are matched against the commenters of the same thread:

- variants of a name: the name; without a leading "The" ("Rev Kev" for "The Rev Kev"); the
  part before a comma ("DJG" for "DJG, Reality Czar"); for names of several words, the first
  word ("Yves" for "Yves Smith").  A variant two commenters share at the same rank is dropped.
- *addressing*: "@Name" anywhere, "Name:" at the start of a line, "Name," opening the comment;
  case-insensitive, any variant however short ("eg:", "@hk").  A reply's *addressee* (used
  for missing parents) is the name opening the comment in one of these forms.
- *naming in the text*: the full name or its "The"/comma variant, on whole words (a possessive
  "'s" is fine), if it has at least 4 letters and is not an ordinary word: a one-word name in
  a short list of common English words, or capitalised but also used in lower case in the
  thread ("Random" when someone writes "random"), is ordinary.  Capitalised words of the name
  must be capitalised in the text ("Who Cares" is not "who cares").  A one-letter misspelling
  (one substituted letter, not the first) of a one-word name of 6+ letters also counts
  ("Aurelian" for "Aurelien").  So short names ("eg", "hk", "tim") and first names are found
  only when addressed: precision over recall.

Quotes: a comment's own words (text inside quotation marks or on ">" lines is someone else's)
are indexed, lower-cased without punctuation, as every run of 8 consecutive words and every
whole sentence of 4 to 7 words and 40+ characters.  A later comment of the thread (by
``created_at`` when every comment of the thread has one, else by source order) containing an
indexed passage quotes the passage's first writer.  An article passage quoted by two
commenters sits inside quotation marks in the first one's comment, so it links neither.

:func:`scan_threads` does both for a whole comments table at once: words are found once per
comment and the word runs of all threads are compared as integer arrays, so only the few
comments that share words with an earlier one get per-comment Python work.
"""

import re
from functools import cached_property, partial
from itertools import chain

import numpy as np
import pandas as pd

_WORD = re.compile(r"\w+")
_MIN_PLAIN_LETTERS, _FUZZY_LETTERS = 4, 6
_LEAD = " \t>\"“'‘*"  # what may precede an address at the start of a line
# Capitalised words of 6+ letters (candidates for misspelt names).  The look-behind comes after
# the capital so the pattern opens with a character set, which `re` scans for quickly.
_CAPITALISED = re.compile(rf"[A-ZÀ-ÖØ-Þ](?<!\w.)\w{{{_FUZZY_LETTERS - 1},}}")
_QUOTE_RUN, _QUOTE_MIN_WORDS, _QUOTE_CHARS = 8, 4, 40
_QUOTED_SPAN = re.compile(r"“[^”]*”|\"[^\"\n]*\"|«[^»]*»|„[^“”]*[“”]|(?<!\w)‘[^‘’\n]{1,400}’(?!\w)|^\s*>.*$",
                          re.M)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
_MAYBE_QUOTED = re.compile("[\"“«„‘>]")
# ASCII text is split into lower-case words by a byte table: word bytes lower-cased, the rest spaces.
_ASCII_WORD_BYTES = bytes(ord(chr(b).lower()) if _WORD.match(chr(b)) else 32 for b in range(128)) + bytes(128)
_ASCII_WORD_BYTES_KEEP_CASE = bytes(b if _WORD.match(chr(b)) else 32 for b in range(128)) + bytes(128)
# str.lower() is character by character except for the Greek capital sigma, whose lower case
# depends on its neighbours; the quote shortcuts below rely on the former.
_CONTEXT_LOWER = "Σ"

# Ordinary words people also use as handles; a name equal to one of these is found only when
# addressed.  Kept short on purpose: the thread's own lower-case vocabulary catches the rest.
_COMMON_WORDS = frozenset("""
about actually after again agree also always another answer anon anonymous anything bad before
case cares citizen common commenter could cynic edit everyone everything exactly fact facts false
first freedom good great guest here history home hope human indeed just last left less liberty
life logic love lurker many maybe media might mine money more much must never news nobody none
note nothing observer only other patriot peace people perhaps person place point power question
random reader reality really realist reason right safety sense shall should skeptic some someone
something still sure taxpayer thanks that their them there they thing things this time times
today tomorrow true truth update user very voter well what when where which while whoever will
with without work world would yesterday your yours
""".split())


def lower_words(text):
    """The words of ``text`` lower-cased, as ``\\w+`` finds them in ``text.lower()``."""
    if text.isascii():  # the common case, several times faster than the regex
        return text.encode("ascii").translate(_ASCII_WORD_BYTES).decode("ascii").split()
    return _WORD.findall(text.lower())


# -- names ---------------------------------------------------------------------------------

def _blurs(word):
    """``word`` with each letter but the first in turn replaced by "?"."""
    return [word[:j] + "?" + word[j + 1:] for j in range(1, len(word))]


def _name_variants(name):
    """(lower-cased tokens, rank, tokens, may be plain, blurs) of each variant of ``name``.

    "May be plain": the variant may be found written out, if the thread does not use it in
    lower case (:meth:`NameIndex.plain`); "blurs": its misspellings' :func:`_blurs` if it may
    be plain and is one word of 6+ letters.
    """
    out = []
    for tokens, rank in _variants(name):
        key = tuple(t.lower() for t in tokens)
        plain = rank < 2 and NameIndex._maybe_plain(tokens)
        blurs = tuple(_blurs(key[0])) if plain and len(key) == 1 and len(key[0]) >= _FUZZY_LETTERS else ()
        out.append((key, rank, tokens, plain, blurs))
    return out


def _variants(name):
    """(tokens, rank) pairs: rank 0 = full name, 1 = "The"/comma variant, 2 = first word."""
    tokens = _WORD.findall(name)
    if not tokens:
        return []
    out = [(tuple(tokens), 0)]
    rest = tokens[1:] if tokens[0].lower() == "the" and len(tokens) > 1 else tokens
    if rest != tokens:
        out.append((tuple(rest), 1))
    if "," in name:
        before = _WORD.findall(name.split(",", 1)[0])
        if before and len(before) < len(tokens):
            out.append((tuple(before), 1))
    if len(rest) > 1:
        out.append(((rest[0],), 2))
    return out


class NameIndex:
    """The commenters of one thread, looked up by lower-cased token tuples.

    ``used_in_lower_case(words)`` answers which of the given lower-case words the thread uses
    as whole words (a capitalised one-word name also used so is an ordinary word).
    ``variants``: a cache of each name's :func:`_name_variants`, shared by threads.
    """

    def __init__(self, authors, used_in_lower_case, variants=None):
        variants = {} if variants is None else variants
        best = {}
        for author in authors:
            if author not in variants:
                variants[author] = _name_variants(author)
            for variant in variants[author]:
                key, rank = variant[0], variant[1]
                held = best.get(key)
                if held is None or rank < held[1]:
                    best[key] = (author, *variant[1:])
                elif rank == held[1] and held[0] != author:
                    best[key] = (None, rank)  # ambiguous at the same rank: nobody
        self.entries = {k: v for k, v in best.items() if v[0] is not None}
        self.max_len = max((len(k) for k in self.entries), default=0)
        self.firsts = {k[0] for k in self.entries}
        self._used_in_lower_case = used_in_lower_case

    @cached_property
    def plain(self):
        """Keys of the names found written out, not only addressed."""
        candidates = {k: entry[2] for k, entry in self.entries.items() if entry[3]}
        lowered = self._used_in_lower_case({t[0].lower() for t in candidates.values()
                                            if len(t) == 1 and not t[0].islower()})
        return {k for k, tokens in candidates.items()
                if len(tokens) > 1 or tokens[0].islower() or tokens[0].lower() not in lowered}

    @cached_property
    def fuzzy(self):
        """One-letter blurs ("aur?lien") of the plain single-word names of 6+ letters -> author."""
        fuzzy = {}
        for key in self.plain:
            author, *_, blurs = self.entries[key]
            for blurred in blurs:
                fuzzy[blurred] = None if blurred in fuzzy else author
        return {k: v for k, v in fuzzy.items() if v is not None}

    @staticmethod
    def _maybe_plain(tokens):
        """Long enough and not a common word (the thread's lower-case use is checked apart)."""
        if sum(len(t) for t in tokens) < _MIN_PLAIN_LETTERS:
            return False
        return len(tokens) > 1 or tokens[0].lower() not in _COMMON_WORDS

    def _exact(self, text, matches, i):
        """(length, author, addressing) of the longest name starting at token i, or None."""
        for length in range(min(self.max_len, len(matches) - i), 0, -1):
            window = matches[i:i + length]
            if any("\n" in text[a.end():b.start()] or b.start() - a.end() > 3 for a, b in zip(window, window[1:])):
                continue
            key = tuple(m.group().lower() for m in window)
            entry = self.entries.get(key)
            if entry is None:
                continue
            author, tokens = entry[0], entry[2]
            start, end = window[0].start(), window[-1].end()
            before = text[text.rfind("\n", 0, start) + 1:start]
            after = text[end:end + 2].lstrip(" ")
            addressing = (before.endswith("@") or (not before.strip(_LEAD) and after.startswith(":"))
                          or (not text[:start].strip(_LEAD) and after.startswith(",")))
            plain = key in self.plain and all(not n[0].isupper() or m.group()[0].isupper()
                                              for n, m in zip(tokens, window))
            if addressing or plain:
                return length, author, addressing
        return None

    def _fuzzy(self, word):
        """A one-letter misspelling ("Aurelian") of a plain single-word name, or None."""
        if len(word) < _FUZZY_LETTERS or not word[0].isupper():
            return None
        fuzzy = self.fuzzy
        for blurred in _blurs(word.lower()):
            author = fuzzy.get(blurred)
            if author is not None:
                return author
        return None

    def scan(self, text, words=None):
        """Return (named authors in text order, addressee or None) for one comment.

        ``words``: ``lower_words(text)`` if already at hand.
        """
        if not self.entries:
            return [], None
        if self.firsts.isdisjoint(lower_words(text) if words is None else words) and not (
                self.fuzzy and any(self._fuzzy(w) for w in _CAPITALISED.findall(text))):
            return [], None  # most comments name nobody: skip the token-by-token scan
        matches = list(_WORD.finditer(text))
        named, addressee, i = [], None, 0
        while i < len(matches):
            word = matches[i].group()
            found = self._exact(text, matches, i) if word.lower() in self.firsts else None
            if found is not None:
                length, author, addressing = found
                named.append(author)
                start = matches[i].start()
                if addressing and addressee is None and not text[:start].strip(_LEAD + "@"):
                    addressee = author
                i += length
                continue
            if self.fuzzy:
                author = self._fuzzy(word)
                if author is not None:
                    named.append(author)
            i += 1
        return named, addressee


# -- quotes --------------------------------------------------------------------------------

def _grams(words, n):
    return zip(*(words[k:] for k in range(n)))


def _own_text(text):
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
        own = _own_text(text)
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


# -- all threads ---------------------------------------------------------------------------

def _tokenise(docs):
    """(ids, starts, vocabulary): every doc's :func:`lower_words` as integer word ids, doc d's
    being ``ids[starts[d]:starts[d + 1]]``, and the distinct words in id order.

    The ASCII docs are split all at once: one translation, one split, and their word counts
    from the bytes (a word starts where a word byte follows a space).
    """
    plain = np.fromiter(map(str.isascii, docs), bool, len(docs))
    ascii_docs = [d for d, p in zip(docs, plain) if p]
    data = ("\n".join(ascii_docs) + "\n").encode("ascii").translate(_ASCII_WORD_BYTES)
    words = data.decode("ascii").split()
    spaces = np.frombuffer(data, np.uint8) == 32
    opens = ~spaces
    opens[1:] &= spaces[:-1]
    sizes = np.fromiter(map(len, ascii_docs), np.int64, len(ascii_docs)) + 1
    counts = np.zeros(len(docs), dtype=np.int64)
    counts[plain] = np.diff(np.searchsorted(np.flatnonzero(opens), np.r_[0, np.cumsum(sizes)]))
    others = [lower_words(d) for d, p in zip(docs, plain) if not p]
    counts[~plain] = np.fromiter(map(len, others), np.int64, len(others))
    words.extend(chain.from_iterable(others))
    ids, vocabulary = pd.factorize(np.array(words, dtype=object))
    # The ASCII docs' words come first, then the others': put them back in doc order.
    source = np.zeros(len(docs), dtype=np.int64)
    ascii_counts, other_counts = counts[plain], counts[~plain]
    source[plain] = np.cumsum(ascii_counts) - ascii_counts
    source[~plain] = ascii_counts.sum() + np.cumsum(other_counts) - other_counts
    ids = _gather(ids.astype(np.uint64), source, counts, np.arange(len(docs)))
    return ids, np.r_[0, np.cumsum(counts)], list(vocabulary)


def _gather(ids, starts, counts, docs):
    """The ids of ``docs`` (numbers into ``starts``/``counts``), one doc after the other."""
    picked = counts[docs]
    index = np.repeat(starts[docs] - (np.cumsum(picked) - picked), picked) + np.arange(picked.sum())
    return ids[index]


def _by_thread(rows, codes, count):
    """``rows`` (numbers of rows with thread code ``codes``) split per thread code, order kept."""
    if not count:
        return []
    rows = rows[codes[rows] >= 0]
    rows = rows[np.argsort(codes[rows], kind="stable")]
    return np.split(rows, np.cumsum(np.bincount(codes[rows], minlength=count))[:-1])


def _time_order(created, codes, count):
    """Row numbers grouped by thread, by ``created`` within a thread that has every time, else as given."""
    known = created.notna().to_numpy()
    incomplete = np.zeros(count + 1, dtype=bool)  # the extra slot serves code -1 (no thread)
    incomplete[codes[~known]] = True
    times = created.where(~incomplete[codes]).reset_index(drop=True)
    order = pd.DataFrame({"thread": codes, "time": times, "row": np.arange(len(codes))})
    order = order[codes >= 0].sort_values(["thread", "time", "row"])
    return order["row"].to_numpy()


def _quotes_by_thread(texts, own, ids, starts, created, codes, count):
    """Per thread code, [(row, rows it quotes)] with the quoting rows in time order.

    ``own``: ``{row: (own text, its doc number)}`` for rows quoting others; ``ids``/``starts``
    as :func:`_tokenise` gives them for the texts then those own texts.
    """
    order = _time_order(created, codes, count)
    thread_of = codes[order]
    # Where lower-casing depends on context, sentences' words may not be runs of the text's:
    # those (rare) threads take the plain reading.
    plain = np.zeros(count, dtype=bool)
    marked = codes[[i for i, t in enumerate(texts) if _CONTEXT_LOWER in t]]
    plain[marked[marked >= 0]] = True
    fast = order[~plain[thread_of]].tolist()
    docs = np.fromiter(chain.from_iterable((r, own[r][1]) if r in own else (r,) for r in fast), np.int64)
    lengths = np.diff(starts)
    quoted = _quotes(_gather(ids, starts[:-1], lengths, docs), lengths[docs], [texts[r] for r in fast],
                     {i: own[r][0] for i, r in enumerate(fast) if r in own}, codes[fast].tolist())
    found = {fast[i]: [fast[j] for j in writers] for i, writers in quoted.items()}
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


def _case_words(text):
    """The words of ``text``, as ``\\w+`` finds them."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_WORD_BYTES_KEEP_CASE).decode("ascii").split()
    return _WORD.findall(text)


def _name_words(variants):
    """Of a name's variants: (lower-case words that start one, plain one-word names of 6+
    letters, capitalised one-word names that would be ordinary if the thread used them in lower case).

    Taken from all variants, before the thread's index drops some: what may matter."""
    firsts = {key[0] for key, *_ in variants}
    return (firsts, [key[0] for key, *_, blurs in variants if blurs],
            {tokens[0].lower() for key, _, tokens, plain, _ in variants
             if plain and len(tokens) == 1 and not tokens[0].islower()})


class _Corpus:
    """Every comment's words as ids, with what is needed to skip most comments' name scans.

    Name words are looked up as keys ``thread code * len(vocabulary) + word id``.
    """

    def __init__(self, texts, codes, authors, ids, starts, vocabulary, variants):
        self.texts, self.codes, self.ids, self.vocabulary = texts, codes, ids, vocabulary
        self.is_ascii = np.fromiter(map(str.isascii, texts), bool, len(texts))
        self.row_of_word = np.repeat(np.arange(len(texts)), np.diff(starts[:len(texts) + 1]))
        pairs = pd.DataFrame({"thread": codes, "author": authors}).drop_duplicates()
        self.pair_threads = pairs["thread"].to_numpy(dtype=np.int64)
        self.pair_authors, self.authors = pd.factorize(pairs["author"])
        for author in self.authors:
            if author not in variants:
                variants[author] = _name_variants(author)
        self.name_words = [_name_words(variants[a]) for a in self.authors]
        self.word_id = dict(zip(vocabulary, range(len(vocabulary))))

    def _keys(self, words_per_author):
        """The keys of each author's word ids (lists) in each thread the author writes in."""
        counts = np.fromiter(map(len, words_per_author), np.int64, len(words_per_author))
        flat = np.fromiter(chain.from_iterable(words_per_author), np.int64, int(counts.sum()))
        starts = np.cumsum(counts) - counts
        return (np.repeat(self.pair_threads * len(self.vocabulary), counts[self.pair_authors])
                + _gather(flat, starts, counts, self.pair_authors))

    def _words_with(self, keys):
        """(word positions, rows) of ASCII texts' words whose key is in ``keys``."""
        size = len(self.vocabulary)
        wanted = np.zeros(size + 1, dtype=bool)
        wanted[keys % max(size, 1)] = True
        at = np.flatnonzero(wanted[self.ids[:len(self.row_of_word)].astype(np.int64)])
        rows = self.row_of_word[at]
        at, rows = at[self.is_ascii[rows]], rows[self.is_ascii[rows]]
        hit = pd.Index(np.unique(keys)).get_indexer(self.codes[rows] * size + self.ids[at].astype(np.int64)) >= 0
        return at[hit], rows[hit]

    def naming_rows(self):
        """Rows whose text may name one of its thread's commenters (all non-ASCII texts among them)."""
        blurs = {}  # "?"-blurred word -> ids of the vocabulary's words blurring to it
        if any(fuzzy for _, fuzzy, _ in self.name_words):
            for w, word in enumerate(self.vocabulary):
                if len(word) >= _FUZZY_LETTERS:
                    for blurred in _blurs(word):
                        blurs.setdefault(blurred, []).append(w)
        words = [[self.word_id[w] for w in firsts if w in self.word_id]
                 + list(chain.from_iterable(blurs.get(b, ()) for name in fuzzy for b in _blurs(name)))
                 for firsts, fuzzy, _ in self.name_words]
        rows = np.zeros(len(self.texts), dtype=bool)
        rows[self._words_with(self._keys(words))[1]] = True
        return rows | ~self.is_ascii

    def lower_case_use(self):
        """``{thread code: lower-case words of capitalised one-word names its ASCII texts use}``."""
        words = [[self.word_id[w] for w in lowered if w in self.word_id] for _, _, lowered in self.name_words]
        used, case_words = {}, {}
        for at, row in zip(*(a.tolist() for a in self._words_with(self._keys(words)))):
            word = self.vocabulary[self.ids[at]]
            if row not in case_words:
                case_words[row] = set(_case_words(self.texts[row]))
            if word in case_words[row]:
                used.setdefault(int(self.codes[row]), set()).add(word)
        return used


def _used_in_lower_case(words, ascii_use, texts):
    """Those of the lower-case ``words`` that are whole words of the thread's ``texts``
    (``ascii_use``: those found in its ASCII texts already)."""
    used = words & ascii_use
    for text in texts:
        if not text.isascii():
            used.update(words.intersection(_WORD.findall(text)))
    return used


def scan_threads(comments, kinds, only=None):
    """Mentions and quotes of a comments table, thread by thread.

    ``kinds``: the edge kinds wanted ("mention", "quote" are looked for here).  ``only``: ids
    of the comments whose names to scan (default all); their addressees are always returned.
    Returns (records, addressees): records as ``(source, target, kind, inferred, comment_id,
    thread_id, target_comment_id)`` tuples, per thread its mentions (comments in source
    order) then its quotes (in time order); addressees as ``{comment id: addressee}``.
    """
    real = comments[~comments["is_placeholder"] & comments["author"].notna()]
    ids, authors, texts = (real[c].tolist() for c in ("comment_id", "author", "text"))
    codes, thread_ids = pd.factorize(real["thread_id"])
    codes = codes.astype(np.int64)
    scanned = np.fromiter((only is None or i in only for i in ids), bool, len(ids))
    if not scanned.any() and "quote" not in kinds:
        return [], {}
    own = {}
    if "quote" in kinds:
        for row, text in enumerate(texts):
            own_text = _own_text(text)
            if own_text is not text:
                own[row] = (own_text, len(texts) + len(own))
    word_ids, starts, vocabulary = _tokenise(texts + [text for text, _ in own.values()])
    quotes = {}
    if "quote" in kinds:
        quotes = _quotes_by_thread(texts, own, word_ids, starts, real["created_at"], codes, len(thread_ids))
    variants = {}  # name -> its variants, shared by the threads' name indexes
    corpus = _Corpus(texts, codes, authors, word_ids, starts, vocabulary, variants)
    scanned &= corpus.naming_rows()
    ascii_use = corpus.lower_case_use()
    records, addressees = [], {}
    threads = _by_thread(np.arange(len(texts)), codes, len(thread_ids))
    for code, rows in enumerate(threads):
        thread_id = thread_ids[code]
        rows = rows.tolist()
        names = None
        for r in rows:
            if not scanned[r]:
                continue
            if names is None:
                used = partial(_used_in_lower_case, ascii_use=ascii_use.get(code, set()),
                               texts=[texts[r] for r in rows])
                names = NameIndex(dict.fromkeys(authors[r] for r in rows), used, variants)
            named, addressee = names.scan(texts[r])
            if addressee is not None:
                addressees[ids[r]] = addressee
            if "mention" in kinds:
                records.extend((authors[r], target, "mention", True, ids[r], thread_id, "")
                               for target in dict.fromkeys(named) if target != authors[r])
        for r, quoted in quotes.get(code, ()):
            seen = set()
            for q in quoted:
                if ids[q] not in seen:
                    seen.add(ids[q])
                    if authors[r] != authors[q]:
                        records.append((authors[r], authors[q], "quote", True, ids[r], thread_id, ids[q]))
    return records, addressees
