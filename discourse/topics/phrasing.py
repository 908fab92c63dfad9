"""Label text from a class's ranked candidates (:func:`discourse.topics.phrases.score`): a noun phrase
of 2-4 words a reader would write, and one distinct label per class of a table.

The best candidate is read as a phrase: a phrase as it is; a word as the phrase it stands in
("Soviet" -> "Soviet Union"), else joined by "and" to the next best term of another word family
("Kuriles and negotiations"); a common word run into a name ("war Finland") is no label.
"""


def _related(a, b, proper):
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


def _overlaps(a, b, phrases):
    for x in a.split(" "):
        for y in b.split(" "):
            # Related words share their first three letters: most pairs end at this test.
            if x[:3] == y[:3] and (_related(x, y, False) or (phrases.display(x)[:1].isupper()
                                                             and phrases.display(y)[:1].isupper())):
                return True
    return False


def _adjective_like(key):
    # Adjectives read badly alone in "X and Y" ("agreement and practical"); -al/-ive nouns
    # ("proposal", "offensive") are a cost accepted: another term is taken instead.
    return len(key) >= 6 and key.endswith(("ous", "ful", "less", "ive", "able", "ible", "al"))


def _name_after_word(display):
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
                 "_prefixes")

    def __init__(self, phrases, keys, weights):
        self.phrases, self.keys, self.weights = phrases, keys, weights
        self._weights = self._longer = self._strong = None
        self._phrases, self._texts, self._words, self._prefixes = {}, {}, {}, {}

    def text(self, key):
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

    def partners(self, phrase):
        """The two best candidates of another word family than ``phrase`` (not adjectives)."""
        found, words = [], self._words
        mine = words.get(phrase) or self._word_set(phrase)
        for key in self.keys:
            if " " not in key and _adjective_like(key):
                continue
            theirs = words.get(key) or self._word_set(key)
            if theirs.isdisjoint(mine) and not self._related_words(key, phrase):
                found.append(key)
                if len(found) == 2:
                    break
        return found

    def overlaps(self, a, b):
        """:func:`_overlaps` for two ranked candidates: candidates sharing a word overlap."""
        words = self._words
        if not (words.get(a) or self._word_set(a)).isdisjoint(words.get(b) or self._word_set(b)):
            return True
        return self._related_words(a, b)

    def _word_set(self, key):
        found = self._words[key] = set(key.split(" ")) if " " in key else {key}
        return found

    def _related_words(self, a, b):
        """:func:`_overlaps` of candidates without a word in common: words sharing no
        three-letter prefix are of no family, so most pairs are decided by comparing sets."""
        prefixes = self._prefixes
        mine, theirs = prefixes.get(a), prefixes.get(b)
        if mine is None:
            mine = prefixes[a] = {word[:3] for word in self._words[a]}
        if theirs is None:
            theirs = prefixes[b] = {word[:3] for word in self._words[b]}
        return not mine.isdisjoint(theirs) and _overlaps(a, b, self.phrases)

    def phrase_for(self, term):
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

    def _best_phrase(self, term):
        if self._weights is None:
            self._weights = dict(zip(self.keys, self.weights))
            self._longer = [key for key in self.keys if " " in key]
            # Words of the ten best candidates, counted before subsumed phrases were dropped.
            self._strong = {word for key in self.keys[:10] for word in key.split(" ")}
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


def label_options(phrases, keys, weights, fallback=(), limit=4):
    """Labels of 2-4 words for one class, best first, each as (text, weight), from its ranked
    candidates' ``keys`` and ``weights`` (:func:`score`).

    The first option reads the best candidate as a phrase; later ones (up to ``limit``) are
    used when an earlier one is taken by another class.  A word is read as the phrase it stands in
    ("Soviet Union", "Taurus missiles"); a word with no such phrase is joined by "and" to the
    next best term of another word family ("Kuriles and negotiations").  ``fallback`` lists
    (display, key) terms from a wider context (the class's topic), used only when the class
    has a single term of its own.
    """
    if not keys:
        return []
    reader, options, seen = _Reader(phrases, keys, weights), [], set()

    def add(text, weight):
        lower = text.lower()
        if lower not in seen:
            seen.add(lower)
            options.append((text, weight))

    # A key is shown with as many words as it has; an option has 2-4 ("X and Y" counts "and").
    for head, weight in zip(keys[:6], weights[:6]):
        phrase = reader.phrase_for(head)
        spaces = phrase.count(" ")
        if spaces:
            text = reader.text(phrase)
            if text is not False:
                add(text, weight)
                if len(options) >= limit:
                    return options
        elif _adjective_like(phrase):
            continue
        if spaces >= 2:
            continue  # a three-word phrase and another term make five words or more
        for partner in reader.partners(phrase):
            if spaces and " " in partner:
                continue  # five words or more
            wider = reader.phrase_for(partner)
            other = wider if not reader.overlaps(wider, phrase) else partner
            if spaces + other.count(" ") <= 1:
                first, second = reader.text(phrase), reader.text(other)
                if first is not False and second is not False:
                    add(f"{first} and {second}", weight)
                    if len(options) >= limit:
                        return options
    if not options:
        head = keys[0]
        for display, key in fallback:
            text = f"{phrases.display(head)} and {display}"
            if not _overlaps(key, head, phrases) and len(text.split()) <= 4:
                options.append((text, weights[0]))
                break
    if not options:
        # A single word and no wider context to place it in.
        options.append((f"about {phrases.display(keys[0])}", weights[0]))
    return options


def assign_distinct(option_lists, tiers=None):
    """Pick one label per class so that no two classes share one (None for no options).

    Classes of a lower tier are served first (subthreads before their branches); within a
    tier, in order of the weight of their best option, so a label goes to the class where its
    phrase weighs most.  A class whose options are all taken gets its best option numbered.
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
            base, n = options[0][0], 2
            while f"{base} {n}".lower() in used:
                n += 1
            chosen[i] = f"{base} {n}"
        used.add(chosen[i].lower())
    return chosen
