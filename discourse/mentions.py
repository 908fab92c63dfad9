"""Mentions: which commenters of a thread a comment names; for a whole table, quotes too.

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

Quoted passages are found as :mod:`discourse.quotes` describes.

:func:`scan_threads` finds both for a whole comments table at once: words are found once per
comment (:func:`~discourse.words.tokenise`) and compared as integer arrays, so only the few
comments that share words with an earlier one get per-comment Python work.
"""

import re
from functools import cached_property, partial
from itertools import chain

import numpy as np
import pandas as pd

from .quotes import own_text, quotes_by_thread
from .words import WORD, case_words, gather, lower_words, tokenise

_MIN_PLAIN_LETTERS, _FUZZY_LETTERS = 4, 6
_LEAD = " \t>\"“'‘*"  # what may precede an address at the start of a line
# Capitalised words of 6+ letters (candidates for misspelt names).  The look-behind comes after
# the capital so the pattern opens with a character set, which `re` scans for quickly.
_CAPITALISED = re.compile(rf"[A-ZÀ-ÖØ-Þ](?<!\w.)\w{{{_FUZZY_LETTERS - 1},}}")

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
    tokens = WORD.findall(name)
    if not tokens:
        return []
    out = [(tuple(tokens), 0)]
    rest = tokens[1:] if tokens[0].lower() == "the" and len(tokens) > 1 else tokens
    if rest != tokens:
        out.append((tuple(rest), 1))
    if "," in name:
        before = WORD.findall(name.split(",", 1)[0])
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
        matches = list(WORD.finditer(text))
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


# -- all threads ---------------------------------------------------------------------------

def _by_thread(rows, codes, count):
    """``rows`` (numbers of rows with thread code ``codes``) split per thread code, order kept."""
    if not count:
        return []
    rows = rows[codes[rows] >= 0]
    rows = rows[np.argsort(codes[rows], kind="stable")]
    return np.split(rows, np.cumsum(np.bincount(codes[rows], minlength=count))[:-1])


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
                + gather(flat, starts, counts, self.pair_authors))

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
        used, words_of = {}, {}
        for at, row in zip(*(a.tolist() for a in self._words_with(self._keys(words)))):
            word = self.vocabulary[self.ids[at]]
            if row not in words_of:
                words_of[row] = set(case_words(self.texts[row]))
            if word in words_of[row]:
                used.setdefault(int(self.codes[row]), set()).add(word)
        return used


def _used_in_lower_case(words, ascii_use, texts):
    """Those of the lower-case ``words`` that are whole words of the thread's ``texts``
    (``ascii_use``: those found in its ASCII texts already)."""
    used = words & ascii_use
    for text in texts:
        if not text.isascii():
            used.update(words.intersection(WORD.findall(text)))
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
            own_words = own_text(text)
            if own_words is not text:
                own[row] = (own_words, len(texts) + len(own))
    word_ids, starts, vocabulary = tokenise(texts + [text for text, _ in own.values()])
    quotes = {}
    if "quote" in kinds:
        quotes = quotes_by_thread(texts, own, word_ids, starts, real["created_at"], codes, len(thread_ids))
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
