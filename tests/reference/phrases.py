"""Reference implementation of c-TF-IDF label candidates for one class, read the slow, plain way.

:mod:`discourse.topics.labels` computes the same for every class of a partition at once from
integer arrays; tests check it against this one.
"""

from collections import Counter

import numpy as np

from discourse.topics.phrases import _is_verb_like, chunks, show, word_forms


def read(text):
    """What :class:`Phrases` keeps of one text: its phrase keys and its (key, spelling) pairs."""
    grams, spellings = [], []
    for run in chunks(text):
        spellings.extend(run)
        keys = [token[0] for token in run]
        ends = [not _is_verb_like(key) for key in keys]
        n = len(keys)
        for i in range(n):
            if ends[i]:
                grams.append(keys[i])
            if i + 1 < n and ends[i + 1]:
                grams.append(keys[i] + " " + keys[i + 1])
            if i + 2 < n and ends[i + 2]:
                grams.append(keys[i] + " " + keys[i + 1] + " " + keys[i + 2])
    return grams, spellings


class Phrases:
    """Candidate phrases of one class (a subthread, branch, topic or thread).

    ``counts`` maps each 1-3-word phrase key to its number of occurrences, in order of first
    occurrence; ``docs`` to the number of texts holding it; ``texts`` is the number of texts;
    ``display`` renders a key as written.  Built from texts, or from what :func:`read` returned
    for each text (so a comment read once serves several classes).
    """

    def __init__(self, texts=(), parts=(), case=None):
        self.counts, self.docs, self._spellings, self._case = Counter(), Counter(), Counter(), case or {}
        self._words, self._shown, self.texts = None, {}, 0
        for grams, spellings in [*parts, *map(read, texts)]:
            self.counts.update(grams)
            self.docs.update(set(grams))
            self._spellings.update(spellings)
            self.texts += 1

    def display(self, key):
        """The phrase as written (see :func:`show`)."""
        if key not in self._shown:
            if self._words is None:
                self._words = word_forms(self._spellings.items(), self._case)
            self._shown[key] = show(key, self._words)
        return self._shown[key]


def score(phrases, frequency, average_words, max_ranked=100):
    """Candidates of ``phrases`` ranked by c-TF-IDF, best first: list of (key, weight).

    ``frequency(keys)`` returns each key's count over all classes.  Weights are the share of
    the class's candidates times ``log(1 + average_words / f)``.  Ties go to longer phrases,
    then to the phrase read first.  A phrase found only inside a better-ranked longer phrase
    is dropped ("winter" when every "winter" is in "winter war"), except a bigram that ends
    it, which may be the better label ("Keith Kellogg" in "Ukraine Keith Kellogg").  Only
    the first ``max_ranked`` are returned: labels and top terms never read further.  In a
    class of more than 1,000 candidates, those read once are left out: a phrase read once
    does not name what a large class is about.
    """
    keys = list(phrases.counts)
    if not keys:
        return []
    tf = np.fromiter(phrases.counts.values(), dtype=float, count=len(keys))
    total = tf.sum()
    if len(keys) > 1000 and (tf >= 2).sum() >= 10:
        keep = np.nonzero(tf >= 2)[0]
        keys, tf = [keys[i] for i in keep], tf[keep]
    f = np.maximum(np.asarray(frequency(keys), dtype=float), tf)
    weights = np.round(tf / total * np.log1p(average_words / f), 12)
    n_words = np.fromiter((key.count(" ") for key in keys), dtype=int, count=len(keys))
    order = np.lexsort((np.arange(len(keys)), -n_words, -weights))
    ranked, covered = [], set()  # covered: (sub-phrase, count) of phrases already ranked
    for i in order:
        key, count = keys[i], tf[i]
        if (key, count) in covered:
            continue
        ranked.append((key, float(weights[i])))
        if len(ranked) >= max_ranked:
            break
        words = key.split(" ")
        for n in range(1, len(words)):
            for start in range(len(words) - n + 1):
                # A bigram ending a trigram is kept: "Keith Kellogg" in "Ukraine Keith Kellogg".
                if not (n == 2 and start == 1):
                    covered.add((" ".join(words[start:start + n]), count))
    return ranked


def top_terms(phrases, ranked, n=8):
    """``"term:weight; term:weight"`` for the first ``n`` ranked candidates."""
    return "; ".join(f"{phrases.display(key)}:{weight:.3f}" for key, weight in ranked[:n])
