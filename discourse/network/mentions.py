"""Mentions: which commenters of a thread a comment names.

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

Quoted passages are found as :mod:`discourse.network.quotes` describes; :func:`discourse.network.scan.scan_threads`
finds both for a whole comments table at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING

from .words import WORD, lower_words, nfc

if TYPE_CHECKING:
    #: A variant of a name: (lower-cased tokens, rank, tokens, may be plain, blurs); see :func:`_name_variants`.
    _Variant = tuple[tuple[str, ...], int, tuple[str, ...], bool, tuple[str, ...]]

__all__ = ["NameIndex", "name_words", "one_letter_blurs", "FUZZY_LETTERS"]

_MIN_PLAIN_LETTERS, FUZZY_LETTERS = 4, 6
_LEAD = " \t>\"“'‘*"  # what may precede an address at the start of a line
# Capitalised words of 6+ letters (candidates for misspelt names).  The look-behind comes after
# the capital so the pattern opens with a character set, which `re` scans for quickly.
_CAPITALISED = re.compile(rf"[A-ZÀ-ÖØ-Þ](?<!\w.)\w{{{FUZZY_LETTERS - 1},}}")

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

def one_letter_blurs(word: str) -> list[str]:
    """``word`` with each letter but the first in turn replaced by "?"."""
    return [word[:j] + "?" + word[j + 1:] for j in range(1, len(word))]


def _name_variants(name: str) -> list[_Variant]:
    """(lower-cased tokens, rank, tokens, may be plain, blurs) of each variant of ``name``.

    "May be plain": the variant may be found written out, if the thread does not use it in
    lower case (:meth:`NameIndex.plain`); "blurs": its misspellings' :func:`one_letter_blurs` if it may
    be plain and is one word of 6+ letters.
    """
    out = []
    for tokens, rank in _variants(name):
        key = tuple(t.lower() for t in tokens)
        plain = rank < 2 and NameIndex._maybe_plain(tokens)
        blurs = tuple(one_letter_blurs(key[0])) if plain and len(key) == 1 and len(key[0]) >= FUZZY_LETTERS else ()
        out.append((key, rank, tokens, plain, blurs))
    return out


def _variants(name: str) -> list[tuple[tuple[str, ...], int]]:
    """(tokens, rank) pairs: rank 0 = full name, 1 = "The"/comma variant, 2 = first word (of
    the name in NFC, as texts are read)."""
    name = nfc(name)
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

    def __init__(self, authors: Iterable[str], used_in_lower_case: Callable[[set[str]], Collection[str]],
                 variants: dict[str, list[_Variant]] | None = None) -> None:
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
    def plain(self) -> set[tuple[str, ...]]:
        """Keys of the names found written out, not only addressed."""
        candidates = {k: entry[2] for k, entry in self.entries.items() if entry[3]}
        lowered = self._used_in_lower_case({t[0].lower() for t in candidates.values()
                                            if len(t) == 1 and not t[0].islower()})
        return {k for k, tokens in candidates.items()
                if len(tokens) > 1 or tokens[0].islower() or tokens[0].lower() not in lowered}

    @cached_property
    def fuzzy(self) -> dict[str, str]:
        """One-letter blurs ("aur?lien") of the plain single-word names of 6+ letters -> author."""
        fuzzy = {}
        for key in self.plain:
            author, *_, blurs = self.entries[key]
            for blurred in blurs:
                fuzzy[blurred] = None if blurred in fuzzy else author
        return {k: v for k, v in fuzzy.items() if v is not None}

    @staticmethod
    def _maybe_plain(tokens: Sequence[str]) -> bool:
        """Long enough and not a common word (the thread's lower-case use is checked apart)."""
        if sum(len(t) for t in tokens) < _MIN_PLAIN_LETTERS:
            return False
        return len(tokens) > 1 or tokens[0].lower() not in _COMMON_WORDS

    def _exact(self, text: str, matches: list[re.Match[str]], i: int) -> tuple[int, str, bool] | None:
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

    def _fuzzy(self, word: str) -> str | None:
        """A one-letter misspelling ("Aurelian") of a plain single-word name, or None."""
        if len(word) < FUZZY_LETTERS or not word[0].isupper():
            return None
        fuzzy = self.fuzzy
        for blurred in one_letter_blurs(word.lower()):
            author = fuzzy.get(blurred)
            if author is not None:
                return author
        return None

    def scan(self, text: str, words: Collection[str] | None = None) -> tuple[list[str], str | None]:
        """Return (named authors in text order, addressee or None) for one comment.

        ``words``: ``lower_words(text)`` if already at hand.  Names are compared in Unicode NFC:
        "@Jose\u0301" names "José".
        """
        if not self.entries:
            return [], None
        if not text.isascii():
            text, words = nfc(text), None
        if self.firsts.isdisjoint(lower_words(text) if words is None else words) and not (
                self.fuzzy and any(self._fuzzy(w) for w in _CAPITALISED.findall(text))):
            return [], None  # most comments name nobody: skip the token-by-token scan
        matches = list(WORD.finditer(text))
        tokens, firsts, fuzzy = [m.group() for m in matches], self.firsts, bool(self.fuzzy)
        # Only a name's first word or a capitalised word may start a find: go from one to the next.
        starts = [i for i, word in enumerate(tokens) if word.lower() in firsts
                  or (fuzzy and len(word) >= FUZZY_LETTERS and word[0].isupper())]
        named, addressee, after = [], None, 0
        for i in starts:
            if i < after:  # inside a name found already
                continue
            word = tokens[i]
            found = self._exact(text, matches, i) if word.lower() in firsts else None
            if found is not None:
                length, author, addressing = found
                named.append(author)
                start = matches[i].start()
                if addressing and addressee is None and not text[:start].strip(_LEAD + "@"):
                    addressee = author
                after = i + length
                continue
            if fuzzy:
                author = self._fuzzy(word)
                if author is not None:
                    named.append(author)
        return named, addressee


def name_words(name: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Of a name's variants, in lower case: (words that start one, plain one-word names of 6+
    letters, capitalised one-word names that would be ordinary if the thread used them in lower
    case), as :func:`_name_variants` gives them.  Taken from all variants, before a thread's
    index drops some: what may matter."""
    name = nfc(name)
    tokens = WORD.findall(name)
    if len(tokens) == 1 and "," not in name and tokens[0].lower() != "the":  # most names: one variant
        first = tokens[0].lower()
        plain = NameIndex._maybe_plain(tokens)
        return (first,), (first,) if plain and len(first) >= FUZZY_LETTERS else (), \
            (first,) if plain and not tokens[0].islower() else ()
    if len(tokens) > 1 and "," not in name and tokens[0].lower() != "the":  # the full name, its first word
        return (tokens[0].lower(),), (), ()
    firsts, fuzzy, lowered = {}, [], {}
    for tokens, rank in _variants(name):
        first = tokens[0].lower()
        firsts[first] = None
        if rank < 2 and len(tokens) == 1 and NameIndex._maybe_plain(tokens):
            if len(first) >= FUZZY_LETTERS:
                fuzzy.append(first)
            if not tokens[0].islower():
                lowered[first] = None
    return tuple(firsts), tuple(fuzzy), tuple(lowered)
