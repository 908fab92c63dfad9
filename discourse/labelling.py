"""Labels of every class of a partition of the comments (every subthread, or every topic) at once.

What :class:`discourse.labels.Phrases` and :func:`discourse.labels.score` do for one class is
done here for all classes of a partition with sorts over the integer arrays of
:mod:`discourse.reading`: counting each class's candidate phrases, scoring them with
class-based TF-IDF, dropping phrases found only inside a better-ranked longer one, and finding
how each class writes its words.  Python only turns each class's best candidates into labels
(:func:`discourse.labels.label_options`).  The labels are the same as reading each class with
:class:`discourse.labels.Phrases`.
"""

from dataclasses import dataclass

import numpy as np

from . import labels as lab
from .reading import BASE, n_words, words

_LOAD = 1_000_000  # phrase occurrences read per batch of classes: bounds memory


@dataclass(frozen=True)
class Read:
    """What a class's labels need (its phrases are not kept: they would fill memory)."""

    top_terms: str   # "term:weight; ..."
    options: list    # label options, best first: (text, weight)
    terms: list      # the three best candidates: (display, key)


class _Candidates:
    """One class's ranked candidates as :func:`discourse.labels.label_options` reads them:
    ``counts`` of each, and ``display`` with the class's spelling of each word (each word's
    form is found when first shown: most candidates never are)."""

    def __init__(self, text, spelled, c, counts):
        self.counts, self._text, self._spelled, self._shown, self._forms = counts, text, spelled, {}, {}
        first, last = spelled[-1][c], spelled[-1][c + 1]
        self._groups = dict(zip(spelled[0][first:last].tolist(), range(first, last)))

    def display(self, key):
        if key not in self._shown:
            for word in key.split(" "):
                if word not in self._forms:
                    self._forms[word] = self._form(word)
            self._shown[key] = lab.show(key, self._forms)
        return self._shown[key]

    def _form(self, word):
        """How the class writes ``word`` (:func:`discourse.labels.word_forms`)."""
        text = self._text
        _, start, stop, one_surface, all_tentative, spelling, count, _ = self._spelled
        g = self._groups[text.key_ids[word]]
        if one_surface[g]:
            return text.forms[spelling[start[g]]][int(all_tentative[g])]
        mixed = []
        for s, n in zip(spelling[start[g]:stop[g]].tolist(), count[start[g]:stop[g]].tolist()):
            code = int(text.spellings[s])
            mixed.append(((word, text.surfaces[code // 4], bool(code & 2), bool(code & 1)), n))
        return lab.word_forms(mixed, {word: int(text.case[text.key_ids[word]])})[word]


def read_classes(text, groups, average_words, fallbacks=None, max_ranked=60):
    """A :class:`Read` of each class of ``groups`` (disjoint arrays of text positions, in order),
    scored as :func:`discourse.labels.score` scores a class against ``average_words`` words per
    class; ``fallbacks`` are each class's wider terms for :func:`discourse.labels.label_options`."""
    n_classes = len(groups)
    sizes = np.diff(text.phrase_bounds)
    load = np.cumsum([int(sizes[g].sum()) for g in groups])
    reads, first = [], 0
    while first < n_classes:
        last = max(first + 1, int(np.searchsorted(load, (load[first - 1] if first else 0) + _LOAD, side="right")))
        batch = groups[first:last]
        classes, at = _items(text.phrase_bounds, batch)
        code, weight, count, bounds = _ranked(text, classes, text.phrase[at], last - first, average_words, max_ranked)
        classes, at = _items(text.word_bounds, batch)
        spelled = _spelled(text, classes, text.spelling[at], last - first)
        names, weights, counts = _names(text, code), weight.tolist(), count.tolist()
        for c in range(last - first):
            at = slice(bounds[c], bounds[c + 1])
            ranked = list(zip(names[at], weights[at]))
            candidates = _Candidates(text, spelled, c, dict(zip(names[at], counts[at])))
            fallback = fallbacks[first + c] if fallbacks is not None else ()
            reads.append(Read(lab.top_terms(candidates, ranked), lab.label_options(candidates, ranked, fallback),
                              [(candidates.display(key), key) for key, _ in ranked[:3]]))
        first = last
    return reads


def _items(bounds, groups):
    """Class (index in ``groups``) and index of every item of the groups' texts, where text
    ``t``'s items are ``bounds[t]:bounds[t + 1]``; group by group, each in text order."""
    texts = np.concatenate(groups).astype(np.int64) if len(groups) else np.array([], dtype=np.int64)
    sizes = bounds[texts + 1] - bounds[texts]
    ends = np.cumsum(sizes)
    at = np.repeat(bounds[texts] - (ends - sizes), sizes) + np.arange(ends[-1] if len(ends) else 0)
    return np.repeat(np.repeat(np.arange(len(groups)), [len(g) for g in groups]), sizes), at


def _segments(classes, items, n_items):
    """Distinct (class, item) pairs of two aligned arrays, sorted by class then item: class,
    item, count and the index of the first occurrence."""
    pairs = classes.astype(np.int64) * n_items + items
    order = np.argsort(pairs, kind="stable")
    pairs = pairs[order]
    start = np.flatnonzero(np.r_[True, pairs[1:] != pairs[:-1]]) if len(pairs) else np.array([], dtype=np.int64)
    return pairs[start] // n_items, pairs[start] % n_items, np.diff(np.r_[start, len(pairs)]), order[start]


def _ranked(text, classes, phrases, n_classes, average_words, max_ranked):
    """Each class's best candidates, as :func:`discourse.labels.score` ranks them: phrase codes,
    weights and counts, class after class (``bounds``), from each phrase occurrence's class and
    phrase id (in reading order)."""
    n_phrases = len(text.phrases)
    cls, phrase, tf, first = _segments(classes, phrases, n_phrases)
    total = np.bincount(cls, weights=tf, minlength=n_classes)
    # In a class of more than 1,000 candidates, those read once are left out.
    large = (np.bincount(cls, minlength=n_classes) > 1000) & (np.bincount(cls[tf >= 2], minlength=n_classes) >= 10)
    keep = ~large[cls] | (tf >= 2)
    cls, phrase, tf, first = cls[keep], phrase[keep], tf[keep], first[keep]
    f = np.maximum(text.frequency[phrase], tf)
    weight = np.round(tf / total[cls] * np.log1p(average_words / f), 12)
    code = text.phrases[phrase]
    order = np.lexsort((first, -n_words(code), -weight, cls))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    covered = _covered(text, cls * n_phrases + phrase, code, tf, rank)
    # The first max_ranked candidates of each class that no better-ranked phrase covers.
    kept = order[~covered[order]]
    starts = np.searchsorted(cls[kept], np.arange(n_classes))
    kept = kept[np.arange(len(kept)) - np.repeat(starts, np.diff(np.r_[starts, len(kept)])) < max_ranked]
    bounds = np.searchsorted(cls[kept], np.arange(n_classes + 1))
    return code[kept], weight[kept], tf[kept], bounds


def _covered(text, keys, code, tf, rank):
    """Candidates found only inside a better-ranked longer phrase of their class (the same
    count): the words of a bigram, the words and first bigram of a trigram (a bigram ending a
    trigram may be the better label: "Keith Kellogg" in "Ukraine Keith Kellogg").

    ``keys`` (class * phrases + phrase id) are sorted.  A phrase covered only by a phrase that
    is itself covered is also covered by what covers that one, so every candidate may cover.
    """
    covered = np.zeros(len(keys), dtype=bool)
    if not len(keys):
        return covered
    base = BASE
    spelled = words(code) + 1
    count = n_words(code)
    inside = [spelled[:, 0], spelled[:, 1], np.where(count == 3, spelled[:, 2], 0),
              np.where(count == 3, code // base, 0)]
    longer = np.nonzero(count >= 2)[0]
    source = np.tile(longer, len(inside))
    sub = np.concatenate([part[longer] for part in inside])
    source, sub = source[sub > 0], sub[sub > 0]
    phrase = np.minimum(np.searchsorted(text.phrases, sub), len(text.phrases) - 1)
    known = text.phrases[phrase] == sub
    source, phrase = source[known], phrase[known]
    wanted = keys[source] - keys[source] % len(text.phrases) + phrase
    target = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    hit = (keys[target] == wanted) & (tf[target] == tf[source]) & (rank[source] < rank[target])
    covered[target[hit]] = True
    return covered


def _names(text, codes):
    """Each phrase code as its key text ("winter war")."""
    distinct, inverse = np.unique(codes, return_inverse=True)
    keys = text.keys
    shown = np.array([" ".join(keys[w] for w in row if w >= 0) for row in words(distinct).tolist()] or [""],
                     dtype=object)
    return shown[inverse.ravel()].tolist()


def _spelled(text, classes, spellings, n_classes):
    """Each class's spellings of each key: groups of spellings (class, key, first occurrence
    order), with the one form when the group writes the word one way."""
    cls, spelling, count, first = _segments(classes, spellings, len(text.spellings))
    key = text.key_of_spelling[spelling]
    order = np.lexsort((first, key, cls))
    cls, key, spelling, count = cls[order], key[order], spelling[order], count[order]
    start = np.flatnonzero(np.r_[True, (cls[1:] != cls[:-1]) | (key[1:] != key[:-1])]) if len(cls) else cls
    surface = text.spellings[spelling] // 4
    tentative = (text.spellings[spelling] & 2) > 0
    one_surface = (np.maximum.reduceat(surface, start) == np.minimum.reduceat(surface, start)) if len(start) else start
    all_tentative = np.logical_and.reduceat(tentative, start) if len(start) else start
    class_bounds = np.searchsorted(cls[start], np.arange(n_classes + 1))
    return key[start], start, np.r_[start[1:], len(cls)], one_surface, all_tentative, spelling, count, class_bounds
