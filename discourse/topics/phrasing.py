"""Label text from a class's ranked candidates (:func:`discourse.topics.phrases.score`): a noun phrase
of 2-4 words a reader would write, and one distinct label per class of a table.

The best candidate is read as a phrase: a phrase as it is; a word as the phrase it stands in
("Soviet" -> "Soviet Union"), else joined by "and" to the next best term of another word family
("Kuriles and negotiations"); a common word run into a name ("war Finland") is no label.
"""

from __future__ import annotations

import itertools
import math
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from typing import Literal, Protocol

    class CandidatePhrases(Protocol):
        """A class's candidates as :func:`label_options` reads them (``labels._Candidates``)."""

        @property
        def counts(self) -> Mapping[str, int]: ...

        @property
        def docs(self) -> Mapping[str, int]: ...  # the number of the class's texts holding each

        texts: int  # the number of texts of the class

        def display(self, key: str) -> str: ...



def _related(a: str, b: str, proper: bool) -> bool:
    """Same word family, judged by a shared prefix: "Europe", "European"; "mile", "mileage".

    Names and their demonyms share less ("Finland", "Finns", "Finnish"): three letters do.
    """
    if a == b:
        return True
    prefix = 0
    for x, y in zip(a, b):
        if x != y:
            break
        prefix += 1
    shorter = min(len(a), len(b))
    return prefix >= 5 or (shorter >= 4 and prefix >= shorter - 1) or (proper and prefix >= 3)


def _overlaps(a: str, b: str, phrases: CandidatePhrases) -> bool:
    for x in a.split(" "):
        for y in b.split(" "):
            # Related words share their first three letters: most pairs end at this test.
            if x[:3] == y[:3] and (_related(x, y, False) or (phrases.display(x)[:1].isupper()
                                                             and phrases.display(y)[:1].isupper())):
                return True
    return False


def _adjective_like(key: str) -> bool:
    # Adjectives read badly alone in "X and Y" ("agreement and practical"); -al/-ive nouns
    # ("proposal", "offensive") are a cost accepted: another term is taken instead.
    return len(key) >= 6 and key.endswith(("ous", "ful", "less", "ive", "able", "ible", "al"))


def _name_after_word(display: str) -> bool:
    """True for "war Finland": a common word before a name is two phrases run together."""
    if " " not in display:
        return False
    words = display.split(" ")
    for a, b in zip(words, words[1:]):
        if a[:1].islower() and b[:1].isupper():
            return True
    return False


class _Reader:
    """Turns one class's ranked candidates into phrases (see :func:`label_options`).  What it
    knows of a candidate is found when first asked for: most classes read only the first few."""

    __slots__ = ("phrases", "keys", "weights", "_weights", "_longer", "_strong", "_phrases", "_texts", "_words",
                 "_prefixes", "_least_docs", "_docs")

    def __init__(self, phrases: CandidatePhrases, keys: list[str], weights: list[float]) -> None:
        self.phrases, self.keys, self.weights = phrases, keys, weights
        self._weights = self._longer = self._strong = self._docs = None
        self._phrases, self._texts, self._words, self._prefixes = {}, {}, {}, {}
        self._least_docs = _least_docs(phrases.texts)

    def docs(self, key: str) -> int:
        """The number of the class's texts holding the candidate."""
        if self._docs is None:
            self._docs = self.phrases.docs
        return self._docs.get(key, 0)

    def in_share(self, key: str) -> bool:
        """Whether the candidate is in a clear share of the class's texts (:func:`_least_docs`);
        False for a class of one text, where every word is in all of them."""
        return self._least_docs is not None and self.docs(key) >= self._least_docs

    def central(self, key: str) -> bool:
        """Whether a term may stand beside another in "X and Y": in a clear share of the class's
        texts (:meth:`in_share`), or any term of a class of one text (its counts decide)."""
        return self._least_docs is None or self.in_share(key)

    def text(self, key: str) -> str | Literal[False]:
        """The key as displayed, or False if it runs a common word into a name (:func:`_name_after_word`)."""
        found = self._texts.get(key)
        if found is None:
            found = self.phrases.display(key)
            # A word is displayed as one word (tokens hold no spaces): only phrases may run together,
            # and only if a word is capitalised.
            if " " in key and not found.islower() and _name_after_word(found):
                found = False
            self._texts[key] = found
        return found

    def weight(self, key: str) -> float:
        """The candidate's weight."""
        if self._weights is None:
            self._ready()
        return self._weights.get(key, 0.0)

    def partners(self, phrase: str, least: float = 0.0) -> list[str]:
        """The two best central candidates (:meth:`central`) of another word family than
        ``phrase`` (not adjectives) among those weighing at least ``least``."""
        found, words = [], self._words
        mine = words.get(phrase) or self._word_set(phrase)
        for key, weight in zip(self.keys, self.weights):
            if weight < least:
                break  # ranked by weight: none after weighs more
            if " " not in key and _adjective_like(key):
                continue
            theirs = words.get(key) or self._word_set(key)
            if theirs.isdisjoint(mine) and not self._related_words(key, phrase) and self.central(key):
                found.append(key)
                if len(found) == 2:
                    break
        return found

    def overlaps(self, a: str, b: str) -> bool:
        """:func:`_overlaps` for two ranked candidates: candidates sharing a word overlap."""
        words = self._words
        if not (words.get(a) or self._word_set(a)).isdisjoint(words.get(b) or self._word_set(b)):
            return True
        return self._related_words(a, b)

    def _word_set(self, key: str) -> set[str]:
        found = self._words[key] = set(key.split(" ")) if " " in key else {key}
        return found

    def _related_words(self, a: str, b: str) -> bool:
        """:func:`_overlaps` of candidates without a word in common: words sharing no
        three-letter prefix are of no family, so most pairs are decided by comparing sets."""
        prefixes = self._prefixes
        mine, theirs = prefixes.get(a), prefixes.get(b)
        if mine is None:
            mine = prefixes[a] = {word[:3] for word in self._words[a]}
        if theirs is None:
            theirs = prefixes[b] = {word[:3] for word in self._words[b]}
        return not mine.isdisjoint(theirs) and _overlaps(a, b, self.phrases)

    def phrase_for(self, term: str) -> str:
        """``term`` if it has 2+ words, else the best phrase around it that is worth it.

        Worth it: weighs at least 0.15 of the word, does not run a common word into a name,
        and occurs more than once ("Soviet Union") or is made of words of the ten best
        candidates ("Taurus missiles").  Ties go to the phrase ending in the word (English
        compounds end in their head: "sourdough starter" over "starter smells"), then the
        shorter.
        """
        if " " in term:
            return term
        found = self._phrases.get(term)
        if found is None:
            found = self._phrases[term] = self._best_phrase(term)
        return found

    def _ready(self) -> None:
        self._weights = dict(zip(self.keys, self.weights))
        self._longer = [key for key in self.keys if " " in key]
        # Words of the ten best candidates, counted before subsumed phrases were dropped.
        self._strong = {word for key in self.keys[:10] for word in key.split(" ")}

    def _best_phrase(self, term: str) -> str:
        if self._weights is None:
            self._ready()
        weights, strong = self._weights, self._strong
        best, best_rank, least = term, None, 0.15 * weights[term]
        for phrase in self._longer:
            if term not in phrase:  # most phrases are ruled out without splitting them
                continue
            words = phrase.split(" ")
            if term not in words:
                continue
            weight = weights[phrase]
            if weight < least or self.text(phrase) is False:
                continue
            if self.phrases.counts[phrase] >= 2 or all(word in strong for word in words):
                rank = (weight, words[-1] == term, -len(words))
                if best_rank is None or rank > best_rank:
                    best, best_rank = phrase, rank
        return best


# Nouns that make a capitalised phrase the name of an event ("Winter War", "Minsk agreement",
# "Cuban Missile Crisis"): a reader heads a discussion of an episode with its name.  English,
# German, French, Spanish, Italian, Portuguese, Dutch and Russian forms (keys: lower case).
EVENT_HEADS = frozenset("""
war crisis revolution treaty agreement accord pact deal summit talk conference election referendum
invasion uprising rebellion massacre scandal affair memorandum protocol act plan doctrine offensive
crash outage recession depression bubble pandemic olympic cup
krieg krise revolution vertrag abkommen gipfel wahl affäre skandal
guerre crise traité accord sommet élection affaire
guerra crisis tratado acuerdo cumbre elección escándalo
guerra crisi trattato accordo vertice elezione scandalo
guerra crise tratado acordo cimeira eleição escândalo
oorlog crisis verdrag akkoord top verkiezing
война кризис революция договор соглашение саммит выборы
""".split())

# Partners and phrases: a second term joins the first ("X and Y") only when it weighs at least
# this share of the first (both central); a phrase around a word stands for it when it weighs at
# least _PHRASE_SHARE of the word, unless an unrelated word nearly as strong (_STRONG_PARTNER)
# makes "X and Y" the better reading.
_TWO_DIGITS = re.compile(r"\d\D*\d")
_PARTNER_SHARE = 0.5
#: The share of a class's texts a term of "X and Y" is in, at least (and in two of them): each
#: of X and Y is central to the text, not a word one comment says in passing.
CENTRAL_SHARE = 1 / 3
_PHRASE_SHARE = 0.5
_STRONG_PARTNER = 0.8


def _least_docs(texts: int) -> int | None:
    """The fewest texts of a class of ``texts`` texts a central term is in (None for one text)."""
    if texts < 2:
        return None
    return max(2, math.ceil(texts * CENTRAL_SHARE - 1e-9))


def handle_like(key: str) -> bool:
    """True for user names and ids written as words: letters with 2+ digits ("beatrizsilva7845",
    "ifh44oe"), not hyphenated names ("Covfefe-19", "F-35")."""
    if len(key) < 5 or "-" in key or not _TWO_DIGITS.search(key):
        return False
    return not key.isdigit()


def _allowed(key: str, excluded: frozenset) -> bool:
    for word in key.split(" "):
        if word in excluded or handle_like(word):
            return False
    return True


def _words_first(keys: list[str], n: int) -> list[str]:
    """The first ``n`` keys of one word (a class ranks up to a hundred candidates: most are never read)."""
    return list(itertools.islice((key for key in keys if " " not in key), n))


def _event_phrase(reader: "_Reader", keys: list, weights: list, phrases: CandidatePhrases,
                  among: list | None = None) -> str | None:
    """The name of an event the class discusses ("Winter War"): a phrase of the class, its words
    capitalised but the last (which the class may write lower-case elsewhere: "war"),
    ending in an event noun (:data:`EVENT_HEADS`) that is one of the class's ten best words and
    written at least three times; the best weighted such phrase.  ``among``: the positions of
    the candidates that may be one, when known (:func:`discourse.topics.labels.read_classes`)."""
    if among is None:
        counts = phrases.counts
        top = {key for key in _words_first(keys, 10) if counts.get(key, 0) >= 3}
        among = [i for i, key in enumerate(keys) if " " in key and key.rsplit(" ", 1)[1] in EVENT_HEADS
                 and key.rsplit(" ", 1)[1] in top]
    best = None
    for i in among:
        key, weight = keys[i], weights[i]
        text = reader.text(key)
        if text is False or not all(word[:1].isupper() for word in text.split(" ")[:-1]):
            continue
        if best is None or weight > best[1]:
            best = (text, weight)
    if best is None:
        return None
    # A name is capitalised throughout ("Winter War"), however the class writes its head alone.
    head, _, last = best[0].rpartition(" ")
    return f"{head} {last[:1].upper()}{last[1:]}"


def _joining_phrase(reader: "_Reader", keys: list, weights: list, among: list | None = None) -> str | None:
    """A phrase made only of the class's five best words, one of them the best or of its family
    ("Ukrainian language" where "Ukraine" ranks first and "language" among them): the most
    specific reading of its central terms."""
    if among is not None and not among:
        return None  # no candidate flagged as one (most classes)
    top = _words_first(keys, 5)
    if len(top) < 2:
        return None
    head, top = top[0], set(top)
    if among is None:
        among = [i for i, key in enumerate(keys) if " " in key and all(word in top for word in key.split(" "))]
    best = None
    for i in among:
        key, weight = keys[i], weights[i]
        if (best is None or weight > best[1]) and any(_related(word, head, False) for word in key.split(" ")):
            text = reader.text(key)
            if text is not False:
                best = (text, weight)
    return best[0] if best else None


_USED_SHARE = 0.5
_USED_RANK = 20
_ALONE_SHARE = 0.8


def _used_phrase(reader: "_Reader", keys: list, weights: list, counts: Sequence[int]) -> str | None:
    """The best phrase of 2+ words the class itself writes more than once and that sets it
    apart: it weighs at least half as much as the class's best candidate, and it holds the
    class's best word (or one of its family), or is in a clear share of the class's texts
    (:meth:`_Reader.in_share`) and in as many as the best word ("status page" beside "green"),
    or weighs nearly as much as the best (:data:`_ALONE_SHARE`) whatever its words.  Such a
    phrase is the subject read in the class's own words, where "X and Y" would join it to a
    second keyword."""
    least, alone = _USED_SHARE * weights[0], _ALONE_SHARE * weights[0]
    central = _words_first(keys, 1)
    widest = reader.docs(central[0]) if central else 0
    for key, weight, count in zip(keys[:_USED_RANK], weights[:_USED_RANK], counts):
        if weight < least:
            break
        if " " not in key or count < 2:
            continue
        if (weight >= alone or any(_related(word, top, False) for word in key.split(" ") for top in central)
                or (reader.in_share(key) and reader.docs(key) >= widest)):
            text = reader.text(key)
            if text is not False:
                return text
    return None


def _pairs(reader: "_Reader", phrase: str, head: str, weight: float, best: float,
           phrases: CandidatePhrases) -> list[tuple[str, float]]:
    """"X and Y" readings of ``phrase`` (read for candidate ``head`` of ``weight``) with each
    partner of another word family, when both are central: each weighs at least
    :data:`_PARTNER_SHARE` of the class's ``best``, each is in a clear share of the class's
    texts (:data:`CENTRAL_SHARE`; :meth:`_Reader.central`) and the partner is written more than
    once when the head is.  At most four words."""
    spaces, least = phrase.count(" "), _PARTNER_SHARE * best
    if spaces >= 2 or weight < least or (not spaces and _adjective_like(phrase)) or not reader.central(head):
        return []
    pairs, counts = [], None
    for partner in reader.partners(phrase, least):
        if spaces and " " in partner:
            continue  # five words or more
        partner_weight = reader.weight(partner)
        counts = phrases.counts if counts is None else counts
        if counts.get(partner, 1) < 2 <= counts.get(head, 1):
            continue  # not central: "X and Y" would put a passing word beside the subject
        wider = reader.phrase_for(partner)
        other = wider if not reader.overlaps(wider, phrase) else partner
        if spaces + other.count(" ") <= 1:
            first, second = reader.text(phrase), reader.text(other)
            if first is not False and second is not False:
                pairs.append((f"{first} and {second}", partner_weight))
    return pairs


def label_options(phrases: CandidatePhrases, keys: list[str], weights: list[float],
                  limit: int = 4, excluded: frozenset[str] = frozenset(),
                  flagged: tuple[list[int], list[int]] | None = None,
                  key_counts: Sequence[int] | None = None) -> list[tuple[str, float]]:
    """Labels of 2-4 words for one class, best first, each as (text, weight), from its ranked
    candidates' ``keys`` and ``weights`` (:func:`score`).

    Candidates holding a word of ``excluded`` (participants' names) or a user name
    (:func:`handle_like`) are left out.  The name of an event the class discusses comes first
    ("Winter War"); then, when the best word stands in no phrase of its own, a phrase made only
    of the class's five best words (:func:`_joining_phrase`: "Ukrainian language") and a phrase
    the class repeats (:func:`_used_phrase`: "status page"); then the best candidates read as
    phrases; later ones (up to ``limit``) are used when an earlier one is taken by another
    class.  A word is read as the phrase it stands in ("Soviet Union", "Taurus missiles"); a
    word with no such phrase is joined by "and" to the next best term of another word family
    only when both are central (:func:`_pairs`: each weighs at least half as much as the
    class's best and, in a class of several texts, each is in a clear share of them:
    "Kuriles and negotiations").  Heads written once, or in one of several texts, are passed
    over when others are not.  A class nothing else reads is labelled with its best word alone.
    """
    if flagged is None and keys and (excluded or any(handle_like(k) for k in keys[:20])):
        kept = [i for i, key in enumerate(keys) if _allowed(key, excluded)]
        keys, weights = [keys[i] for i in kept], [weights[i] for i in kept]
        flagged = key_counts = None
    if not keys:
        return []
    reader, options, seen = _Reader(phrases, keys, weights), [], set()
    # How often the class writes each of its first candidates (``key_counts``, when given, spares
    # the mapping of all its candidates: most classes never need it).
    first = keys[:_USED_RANK]
    if key_counts is None:
        counts = phrases.counts
        key_counts = [counts.get(key, 1) for key in first]

    def add(text: str, weight: float) -> None:
        lower = text.lower()
        if lower not in seen:
            seen.add(lower)
            options.append((text, weight))

    joinable, events = flagged if flagged is not None else (None, None)
    event = _event_phrase(reader, keys, weights, phrases, events)
    if event is not None:
        add(event, weights[0])
    best_phrase = reader.phrase_for(keys[0])
    if best_phrase == keys[0] or reader.weight(best_phrase) < _PHRASE_SHARE * weights[0]:
        # The best word stands in no phrase of its own: a phrase of the best words reads it.
        joining = _joining_phrase(reader, keys, weights, joinable)
        if joining is not None:
            add(joining, weights[0])
        # Or a phrase the class writes again and again: its subject in its own words, where
        # "X and Y" would join the best word to a second keyword.
        used = _used_phrase(reader, keys, weights, key_counts)
        if used is not None:
            add(used, weights[0])
    # A key is shown with as many words as it has; an option has 2-4 ("X and Y" counts "and").
    # Heads the class writes once are passed over when others are written more often, and heads
    # one of its texts writes when others are in several: a phrase read once is a passing
    # remark, and one comment's words are that commenter's, not what the class is about.
    heads = list(zip(keys[:6], weights[:6]))
    if any(count >= 2 for count in key_counts[:6]):
        heads = [(k, w) for k, w, count in zip(keys[:10], weights[:10], key_counts) if count >= 2][:6]
        if phrases.texts >= 2 and any(reader.docs(k) >= 2 for k, _ in heads):
            heads = [(k, w) for k, w in heads if reader.docs(k) >= 2]
    for head, weight in heads:
        phrase = reader.phrase_for(head)
        spaces = phrase.count(" ")
        pairs = None
        if spaces:
            text = reader.text(phrase)
            weak = head != phrase and reader.weight(phrase) < _PHRASE_SHARE * weight
            if weak:
                pairs = _pairs(reader, phrase, head, weight, weights[0], phrases)
                if pairs and pairs[0][1] >= _STRONG_PARTNER * weight:
                    add(pairs[0][0], weight)  # "USA and Rome" over a passing "USA citizens"
            if text is not False:
                add(text, weight)
            if len(options) >= limit:
                return options[:limit]
        # Pairs are found only when wanted: most classes have their options by now.
        for text, _ in (pairs if pairs is not None else _pairs(reader, phrase, head, weight, weights[0], phrases)):
            add(text, weight)
            if len(options) >= limit:
                return options[:limit]
    if not options:
        # No phrase reads the class and no two terms are central to it: its best word alone
        # (a second word it says in passing, or its topic's, would put a subject beside it that
        # it does not have).
        options.append((phrases.display(keys[0]), weights[0]))
    return options


def assign_distinct(option_lists: Sequence[Sequence[tuple[str, float]]],
                    tiers: Sequence[int] | None = None) -> list[str | None]:
    """Pick one label per class so that no two classes share one (None for no options).

    Classes of a lower tier are served first (subthreads before their branches); within a
    tier, in order of the weight of their best option, so a label goes to the class where its
    phrase weighs most.  A class whose options are all taken keeps its best option (it is on the
    same subject as the class holding it: a number would tell the reader nothing).
    """
    tiers = tiers if tiers is not None else [0] * len(option_lists)
    used, chosen = set(), [None] * len(option_lists)
    order = sorted(range(len(option_lists)),
                   key=lambda i: (tiers[i], -(option_lists[i][0][1] if option_lists[i] else 0.0), i))
    for i in order:
        options = option_lists[i]
        if not options:
            continue
        for text, _ in options:
            if text.lower() not in used:
                chosen[i] = text
                break
        else:
            chosen[i] = options[0][0]
        used.add(chosen[i].lower())
    return chosen
