"""Labels of every class of a partition of the comments (every subthread, or every topic) at once.

What :class:`discourse.topics.phrases.Phrases` and :func:`discourse.topics.phrases.score` do for one class is
done here for all classes of a partition with sorts over the integer arrays of
:mod:`discourse.topics.features`: counting each class's candidate phrases, scoring them with
class-based TF-IDF, dropping phrases found only inside a better-ranked longer one, and finding
how each class writes its words.  Python only turns each class's best candidates into labels
(:func:`discourse.topics.phrasing.label_options`).  The labels are the same as reading each class with
:class:`discourse.topics.phrases.Phrases`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from . import phrases as lab
from .phrasing import EVENT_HEADS, handle_like, label_options
from .features import BASE, n_words, right_aligned_words

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy.typing as npt

    from .features import Text

_LOAD = 250_000  # phrase occurrences read per batch of classes: bounds memory (and ran faster than 1e6)
_TOP_TERMS = 8
_COUNTED = 20  # candidates whose counts label_options reads (as discourse.topics.phrasing._USED_RANK)  # candidates in a class's top terms (as discourse.topics.phrases.top_terms)


@dataclass(frozen=True, slots=True)
class Read:
    """What a class's labels need (its phrases are not kept: they would fill memory)."""

    top_terms: str   # "term:weight; ..."
    options: list    # label options, best first: (text, weight)
    terms: list      # the three best candidates: (display, key); empty unless asked for
    subject: str | None = None  # the best candidate of 1-2 words written twice or more, when asked for


def read_classes(text: Text, groups: Sequence[np.ndarray], average_words: float, max_ranked: int = 100,
                 with_terms: bool = False, excluded: frozenset[str] = frozenset(),
                 subjects: Sequence[bool] | None = None) -> list[Read]:
    """A :class:`Read` of each class of ``groups`` (disjoint arrays of text positions, in order),
    scored as :func:`discourse.topics.phrases.score` scores a class against ``average_words`` words per
    class.  ``with_terms``: keep each class's best terms too (offered to narrower classes; a
    million subthreads' would fill memory).  ``excluded``: words no candidate may hold
    (participants' names); user names written as words (:func:`discourse.topics.phrasing.handle_like`)
    are left out too.  ``subjects``: classes whose shared subject is wanted (:attr:`Read.subject`)."""
    n_classes = len(groups)
    if not n_classes:
        return []
    load = _loads(text.phrase_bounds, groups)
    names, subphrases, forms = _Names(text), _subphrases(text), _Forms(text)
    banned = _banned_phrases(text, excluded)
    event_key = np.zeros(len(text.keys) + 1, dtype=bool)  # index -1: no word
    event_key[[text.key_ids[k] for k in EVENT_HEADS if k in text.key_ids]] = True
    reads, first = [], 0
    while first < n_classes:
        last = max(first + 1, int(np.searchsorted(load, (load[first - 1] if first else 0) + _LOAD, side="right")))
        batch = groups[first:last]
        classes, at, texts = _items(text.phrase_bounds, batch)
        phrase, weight, count, docs, bounds = _ranked(text, classes, text.phrase[at], texts, last - first,
                                                      average_words, max_ranked, subphrases, banned)
        del texts
        joinable, event = _flags(text, phrase, count, bounds, event_key)
        classes, at, _ = _items(text.word_bounds, batch)
        spelled = _Spelled(text, classes, text.spelling[at], forms)
        # The top terms of every class at once: their candidates are always shown.
        shown_bounds = np.r_[0, np.cumsum(np.minimum(np.diff(bounds), _TOP_TERMS))]
        top = np.repeat(bounds[:-1] - shown_bounds[:-1], np.diff(shown_bounds)) + np.arange(shown_bounds[-1])
        shown = spelled.show(np.repeat(np.arange(last - first), np.diff(shown_bounds)), text.phrases[phrase[top]])
        top_terms = [f"{display}:{w:.3f}" for display, w in zip(shown, weight[top].tolist())]
        keys, weights = names.of(phrase), weight.tolist()
        # Each class's flagged candidates, from its own first: one search for the whole batch.
        join_at, event_at = np.searchsorted(joinable, bounds).tolist(), np.searchsorted(event, bounds).tolist()
        joinable, event, counts = joinable.tolist(), event.tolist(), count.tolist()
        bounds, shown_bounds = bounds.tolist(), shown_bounds.tolist()
        for c in range(last - first):
            a, b, shown_from, shown_to = bounds[c], bounds[c + 1], shown_bounds[c], shown_bounds[c + 1]
            class_keys, class_shown = keys[a:b], shown[shown_from:shown_to]
            candidates = _Candidates(spelled, c, class_keys, count, docs, a, dict(zip(class_keys, class_shown)),
                                     len(batch[c]))
            reads.append(Read("; ".join(top_terms[shown_from:shown_to]),
                              label_options(candidates, class_keys, weights[a:b],
                                            flagged=([i - a for i in joinable[join_at[c]:join_at[c + 1]]],
                                                     [i - a for i in event[event_at[c]:event_at[c + 1]]]),
                                            key_counts=counts[a:min(b, a + _COUNTED)]),
                              list(zip(class_shown[:3], class_keys[:3])) if with_terms else [],
                              _subject(candidates, class_keys, counts[a:b]) if subjects and subjects[first + c]
                              else None))
        first = last
    return reads


def _subject(candidates: _Candidates, keys: list[str], counts: list[int]) -> str | None:
    """The best candidate of one or two words the class writes at least twice (what its chatter
    shares); a word is read as a repeated two-word phrase holding it ("hard problems")."""
    repeated = [key for key, count in zip(keys[:_COUNTED], counts) if count >= 2 and key.count(" ") <= 1]
    if not repeated:
        return None
    best = repeated[0]
    if " " not in best:
        best = next((key for key in repeated[1:] if best in key.split(" ")), best)
    return candidates.display(best)


class _Candidates:
    """One class's ranked candidates as :func:`discourse.topics.phrasing.label_options` reads them:
    ``counts`` of each (made when first asked for: most classes never ask), and ``display``
    with the class's spelling of each word (``shown``: the top terms, shown already; other
    candidates' words are found when first shown: most candidates never are)."""

    __slots__ = ("_spelled", "_class", "_keys", "_counts", "_docs", "_first", "_count_of", "_docs_of", "_shown",
                 "_forms", "texts")

    def __init__(self, spelled: _Spelled, c: int, keys: list[str], counts: np.ndarray, docs: np.ndarray, first: int,
                 shown: dict[str, str], texts: int) -> None:
        """``keys``: the class's; ``counts``, ``docs``: the batch's (arrays), the class's from
        ``first`` on; ``texts``: the number of texts of the class."""
        self._spelled, self._class, self._keys, self._counts, self._first = spelled, c, keys, counts, first
        self._docs, self._count_of, self._docs_of, self._shown, self._forms = docs, None, None, shown, {}
        self.texts = texts

    @property
    def counts(self) -> dict[str, int]:
        if self._count_of is None:
            self._count_of = dict(zip(self._keys, self._counts[self._first:self._first + len(self._keys)].tolist()))
        return self._count_of

    @property
    def docs(self) -> dict[str, int]:
        """The number of the class's texts holding each candidate."""
        if self._docs_of is None:
            self._docs_of = dict(zip(self._keys, self._docs[self._first:self._first + len(self._keys)].tolist()))
        return self._docs_of

    def display(self, key: str) -> str:
        shown = self._shown.get(key)
        if shown is None:
            forms = self._forms
            for word in key.split(" "):
                if word not in forms:
                    form = self._spelled.form(self._class, word)
                    if form is not None:  # None: a word the class never writes
                        forms[word] = form
            shown = self._shown[key] = lab.show(key, forms)
        return shown


class _Forms:
    """The word forms of each spelling (``text.forms``) as one list, index spelling * 2 + tentative,
    with each form's text at the end of a phrase (``last``) and before another word of one
    (``before``, with the space: :func:`discourse.topics.phrases.show`); index ``pad`` is "", no word."""

    def __init__(self, text: Text) -> None:
        self.forms = [form for pair in text.forms for form in pair]
        self.pad = len(self.forms)
        self.last = np.array([word for word, _, _ in self.forms] + [""], dtype=object)
        self.before = np.array([_before(inside, possessive) for _, inside, possessive in self.forms] + [""],
                               dtype=object)


def _before(inside: str, possessive: bool) -> str:
    """A word's text before the next word of a phrase: a possessive stays one ("Queen's Gambit")."""
    return inside + "'s " if possessive else inside + " "


class _Spelled:
    """How each class of a batch writes each of its words: the class's occurrences of a word
    (its group).  A group that writes the word one way has its form ready (:class:`_Forms`);
    others are counted when first asked for.  Most words asked for are the top terms', shown
    for all classes at once (:meth:`show`): few are asked for one by one (:meth:`form`)."""

    def __init__(self, text: Text, classes: np.ndarray, spellings: np.ndarray, forms: _Forms) -> None:
        self._text, self._forms, self._n_keys = text, forms, len(text.keys)
        group = classes.astype(np.int64) * self._n_keys + text.key_of_spelling[spellings]
        order = np.argsort(group, kind="stable")  # stable: each group in reading order
        group, self._spelling = group[order], spellings[order]
        start = np.flatnonzero(np.r_[True, group[1:] != group[:-1]]) if len(group) else np.array([], dtype=np.int64)
        code = text.spellings[self._spelling]
        surface, tentative = code // 4, (code & 2) > 0
        if len(start):
            one_surface = np.maximum.reduceat(surface, start) == np.minimum.reduceat(surface, start)
            all_tentative = np.logical_and.reduceat(tentative, start)
        else:
            one_surface = all_tentative = start.astype(bool)
        # A group's form: its index in forms.forms (spelling * 2 + all tentative), or -1 - group.
        self._ready = np.where(one_surface, self._spelling[start].astype(np.int64) * 2 + all_tentative,
                               -1 - np.arange(len(start)))
        self._group_of, self._start, self._stop = group[start], start, np.r_[start[1:], len(group)]

    def form(self, c: int, word: str) -> tuple[str, str, bool] | None:
        """How class ``c`` writes ``word`` (:func:`discourse.topics.phrases.word_forms`), None if it never does."""
        key = self._text.key_ids[word]
        g = int(np.searchsorted(self._group_of, c * self._n_keys + key))
        if g == len(self._group_of) or self._group_of[g] != c * self._n_keys + key:
            return None  # the class never writes the word
        ready = int(self._ready[g])
        return self._forms.forms[ready] if ready >= 0 else self._mixed(-1 - ready, word, key)

    def _mixed(self, g: int, word: str, key: int) -> tuple[str, str, bool]:
        text, mixed = self._text, []
        # Counter keeps the spellings in order of first occurrence, as word_forms expects.
        for s, n in Counter(self._spelling[self._start[g]:self._stop[g]].tolist()).items():
            code = int(text.spellings[s])
            mixed.append(((word, text.surfaces[code // 4], bool(code & 2), bool(code & 1)), n))
        return lab.word_forms(mixed, {word: int(text.case[key])})[word]

    def show(self, classes: np.ndarray, codes: np.ndarray) -> list[str]:
        """Each phrase (class, code) of the batch as :func:`discourse.topics.phrases.show` shows it
        with its class's forms (every word of a class's phrase is one the class writes)."""
        digits = right_aligned_words(codes)
        ready = np.full(digits.shape, self._forms.pad, dtype=np.int64)
        word = digits >= 0
        at = np.searchsorted(self._group_of, (classes[:, None] * self._n_keys + digits)[word])
        ready[word] = self._ready[np.minimum(at, len(self._ready) - 1)]
        # Each word's text: before the phrase's next word (columns 0 and 1), or ending it.
        before, last = self._forms.before[np.maximum(ready[:, :2], 0)], self._forms.last[np.maximum(ready[:, 2], 0)]
        mixed = {}
        for i, j in zip(*np.nonzero(ready < 0)):
            g, key = -1 - int(ready[i, j]), int(digits[i, j])
            if g not in mixed:
                mixed[g] = self._mixed(g, self._text.keys[key], key)
            form, inside, possessive = mixed[g]
            if j == 2:
                last[i] = form
            else:
                before[i, j] = _before(inside, possessive)
        return (before[:, 0] + before[:, 1] + last).tolist()


class _Names:
    """Each phrase id's key text ("winter war"), made once per phrase however many classes rank it."""

    def __init__(self, text: Text) -> None:
        self._text, self._names = text, np.full(len(text.phrases), None, dtype=object)
        self._known = np.zeros(len(text.phrases), dtype=bool)
        self._keys = np.array(text.keys + [""], dtype=object)
        self._spaced = np.array([key + " " for key in text.keys] + [""], dtype=object)

    def of(self, ids: np.ndarray) -> list[str]:
        """Key texts of phrase ids, as a list."""
        missing = np.unique(ids[~self._known[ids]])
        if len(missing):
            digits = right_aligned_words(self._text.phrases[missing])  # -1 pads: ""
            self._names[missing] = self._spaced[digits[:, 0]] + self._spaced[digits[:, 1]] + self._keys[digits[:, 2]]
            self._known[missing] = True
        return self._names[ids].tolist()


def _banned_phrases(text: Text, excluded: frozenset[str]) -> np.ndarray | None:
    """Per phrase id: holds a word of ``excluded`` or a user name (no label may hold one)."""
    banned = np.array([key in excluded or handle_like(key) for key in text.keys] + [False], dtype=bool)
    if not banned.any():
        return None
    return banned[right_aligned_words(text.phrases)].any(axis=1)


def _flags(text: Text, phrase: np.ndarray, count: np.ndarray, bounds: np.ndarray,
           event_key: np.ndarray) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Candidates (indices into the batch's ranked lists, sorted) that may be a joining phrase
    (2+ words, all among the class's five best words) and that may name an event (2+ words,
    the last an event noun among the class's ten best words, written 3+ times): see
    :func:`discourse.topics.phrasing.label_options`.  Found for every class at once."""
    n = len(phrase)
    if not n:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    words = right_aligned_words(text.phrases[phrase])
    cls = np.repeat(np.arange(len(bounds) - 1), np.diff(bounds))
    single = words[:, 1] < 0
    before = np.r_[0, np.cumsum(single)]  # unigrams ranked before each candidate, over the batch
    rank = before[:-1] - before[bounds[:-1]][cls]  # ... within its class
    n_keys = len(text.keys) + 1
    pair = cls * n_keys + words[:, 2]
    top5 = np.sort(pair[single & (rank < 5)])
    top10 = single & (rank < 10) & (count >= 3)
    strong = np.sort(pair[top10])

    def among(sorted_pairs: np.ndarray, column: int) -> np.ndarray:
        wanted = cls * n_keys + words[:, column]
        at = np.minimum(np.searchsorted(sorted_pairs, wanted), max(len(sorted_pairs) - 1, 0))
        return (sorted_pairs[at] == wanted) if len(sorted_pairs) else np.zeros(n, dtype=bool)

    many = ~single
    joinable = many & among(top5, 2) & among(top5, 1) & ((words[:, 0] < 0) | among(top5, 0))
    event = many & event_key[words[:, 2]] & among(strong, 2)
    return np.flatnonzero(joinable), np.flatnonzero(event)


def _loads(bounds: np.ndarray, groups: Sequence[np.ndarray]) -> np.ndarray:
    """Phrase occurrences of the classes up to each class (cumulative)."""
    texts = np.concatenate(groups).astype(np.int64)
    sizes = np.r_[0, np.cumsum(bounds[texts + 1] - bounds[texts])]
    return sizes[np.cumsum([len(g) for g in groups])]


def _items(bounds: np.ndarray, groups: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Class (index in ``groups``), index and text of every item of the groups' texts, where
    text ``t``'s items are ``bounds[t]:bounds[t + 1]``; group by group, each in text order."""
    texts = np.concatenate(groups).astype(np.int64) if len(groups) else np.array([], dtype=np.int64)
    sizes = bounds[texts + 1] - bounds[texts]
    ends = np.cumsum(sizes)
    at = np.repeat(bounds[texts] - (ends - sizes), sizes) + np.arange(ends[-1] if len(ends) else 0)
    classes = np.repeat(np.repeat(np.arange(len(groups)), [len(g) for g in groups]), sizes)
    return classes, at, np.repeat(texts, sizes)


def _segments(classes: np.ndarray, items: np.ndarray, n_items: int,
              texts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Distinct (class, item) pairs of aligned arrays, sorted by class then item: class, item,
    count, the index of the first occurrence and the number of distinct ``texts`` it occurs in
    (each class's occurrences come in text order, so a text's are side by side)."""
    pairs = classes.astype(np.int64) * n_items + items
    order = np.argsort(pairs, kind="stable")
    pairs, texts = pairs[order], texts[order]
    if not len(pairs):
        empty = np.array([], dtype=np.int64)
        return empty, items[:0], empty, empty, empty
    new = np.r_[True, pairs[1:] != pairs[:-1]]
    start = np.flatnonzero(new)
    new[1:] |= texts[1:] != texts[:-1]
    first = order[start]
    return (classes[first].astype(np.int64), items[first], np.diff(np.r_[start, len(pairs)]), first,
            np.add.reduceat(new.astype(np.int64), start))


def _ranked(text: Text, classes: np.ndarray, phrases: np.ndarray, texts: np.ndarray, n_classes: int,
            average_words: float, max_ranked: int, subphrases: tuple[np.ndarray, np.ndarray, int],
            banned: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each class's best candidates, as :func:`discourse.topics.phrases.score` ranks them: phrase ids,
    weights, counts and the number of texts holding each, class after class (``bounds``), from
    each phrase occurrence's class, phrase id and text (in reading order)."""
    n_phrases = len(text.phrases)
    cls, phrase, tf, first, docs = _segments(classes, phrases, n_phrases, texts)
    total = np.bincount(cls, weights=tf, minlength=n_classes)
    # In a class of more than 1,000 candidates, those read once are left out.
    large = np.bincount(cls, minlength=n_classes) > 1000
    if large.any():  # most tables have no such class: the second count is spared
        large &= np.bincount(cls[tf >= 2], minlength=n_classes) >= 10
        keep = ~large[cls] | (tf >= 2)
        cls, phrase, tf, first, docs = cls[keep], phrase[keep], tf[keep], first[keep], docs[keep]
    if banned is not None:  # shares stay those of all the class's candidates
        keep = ~banned[phrase]
        cls, phrase, tf, first, docs = cls[keep], phrase[keep], tf[keep], first[keep], docs[keep]
    f = np.maximum(text.frequency[phrase], tf)
    weight = np.round(tf / total[cls] * np.log1p(average_words / f), 12)
    code = text.phrases[phrase]
    keep = ~_covered(text, cls, phrase, code, tf, weight, subphrases)
    cls, phrase, tf, first, weight, code, docs = (cls[keep], phrase[keep], tf[keep], first[keep], weight[keep],
                                                  code[keep], docs[keep])
    order = _rank_order(cls, weight, n_words(code), first)
    # The first max_ranked candidates of each class.
    starts = np.searchsorted(cls, np.arange(n_classes))  # cls[order] is cls: the order keeps classes in place
    kept = order[np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)])) < max_ranked]
    bounds = np.searchsorted(cls[kept], np.arange(n_classes + 1))
    return phrase[kept], weight[kept], tf[kept], docs[kept], bounds


def _rank_order(cls: np.ndarray, weight: np.ndarray, count: np.ndarray, first: np.ndarray) -> npt.NDArray[np.int64]:
    """``np.lexsort((first, -count, -weight, cls))``: class, best weight, most words, read first.

    Weights are rounded to 12 decimals, so ``weight * 1e12`` is an integer: with the word count
    it makes one integer key per class, sorted once over the candidates in order of first
    occurrence (which is class order too: occurrences come class by class).
    """
    if not len(cls):
        return np.array([], dtype=np.int64)
    level = np.rint(weight * 1e12)
    top = float(level.max())
    if (top < 2 ** 50 and np.array_equal(level / 1e12, weight)
            and (int(cls.max()) + 1) * (int(top) + 1) * 3 < 2 ** 62):
        by_first = np.full(int(first.max()) + 1, -1, dtype=np.int64)
        by_first[first] = np.arange(len(first))
        by_first = by_first[by_first >= 0]
        key = (cls[by_first] * (int(top) + 1) + (int(top) - level[by_first].astype(np.int64))) * 3 + 3 - count[by_first]
        return by_first[np.argsort(key, kind="stable")]
    return np.lexsort((first, -count, -weight, cls))


def _subphrases(text: Text) -> tuple[np.ndarray, np.ndarray, int]:
    """Phrase ids of what a phrase may cover (-1 for none): of each key as a phrase of one word
    (not a verb-like word), and of each trigram's first bigram (both found once per call)."""
    ones, twos = np.searchsorted(text.phrases, [BASE, BASE * BASE])
    unigram = np.full(len(text.keys), -1, dtype=np.int64)
    unigram[text.phrases[:ones] - 1] = np.arange(ones)
    pair = text.phrases[twos:] // BASE  # sorted, as the trigrams are
    bigram = np.minimum(np.searchsorted(text.phrases, pair), len(text.phrases) - 1)
    return unigram, np.where(text.phrases[bigram] == pair, bigram, -1), twos


def _covered(text: Text, cls: np.ndarray, phrase: np.ndarray, code: np.ndarray, tf: np.ndarray, weight: np.ndarray,
             subphrases: tuple[np.ndarray, np.ndarray, int]) -> np.ndarray:
    """Candidates found only inside a better-ranked longer phrase of their class (the same
    count): the words of a bigram, the words and first bigram of a trigram (a bigram ending a
    trigram may be the better label: "Keith Kellogg" in "Ukraine Keith Kellogg").

    Candidates are sorted by class, then phrase id.  A phrase covered only by a phrase that
    is itself covered is also covered by what covers that one, so every candidate may cover.
    A longer phrase ranks before a shorter one of the same weight, so it ranks better when it
    weighs at least as much.
    """
    covered = np.zeros(len(cls), dtype=bool)
    if not len(cls):
        return covered
    n_phrases = len(text.phrases)
    keys = cls * n_phrases + phrase  # sorted
    unigrams, bigrams, first_trigram = subphrases
    two = np.flatnonzero((code >= BASE) & (code < BASE * BASE))
    three = np.flatnonzero(code >= BASE * BASE)
    code_two, code_three = code[two], code[three]
    source = np.concatenate([two, two, three, three, three, three])
    sub = np.concatenate([unigrams[code_two // BASE - 1], unigrams[code_two % BASE - 1],
                          unigrams[code_three // (BASE * BASE) - 1], unigrams[code_three // BASE % BASE - 1],
                          unigrams[code_three % BASE - 1], bigrams[phrase[three] - first_trigram]])
    found = sub >= 0
    source, sub = source[found], sub[found]
    wanted = cls[source] * n_phrases + sub
    target = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    hit = (keys[target] == wanted) & (tf[target] == tf[source]) & (weight[source] >= weight[target])
    covered[target[hit]] = True
    return covered
