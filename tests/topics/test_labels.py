"""Reading the corpus once (discourse.topics.features) and labelling whole partitions (discourse.topics.labels)
give what reading each text and each class on its own (discourse.topics.phrases) gives."""

import random
from collections import Counter

import numpy as np
import pytest
from sklearn.feature_extraction.text import HashingVectorizer

from discourse.topics import labels as labelling
from discourse.topics import phrases as labels
from reference import phrases as reference_phrases
from discourse.topics import phrasing
from discourse.topics import features as reading
from discourse.topics import tokens as tokenising

N_FEATURES = 2 ** 20

TEXTS = [
    "At the end of the Winter War Karelia was lost. The Winter War ended in March.",
    "Taurus missiles! Germany's Taurus missiles would reach the Kerch bridge... maybe",
    "US aid and the U.S. Congress; the EU's minerals deal (see https://example.org/deal) is new.",
    "the queen's gambit, Queen's Gambit Declined - a chess opening — with Caro-Kann ideas",
    "",
    "   ",
    "I think so.",
    "Finns' saunas. Finnish saunas? Finland's sauna culture is rejected by nobody",
    "'quoted' words and 'apostrophes' in Ukraine Keith Kellogg talks with Keith Kellogg",
    "Sourdough starter died\nFeed the sourdough starter flour. Sourdough starter smells sour",
    "email me at someone@example.com or visit www.example.com today about the tax bill",
    "1999 2000 numbers 42 and hive frames, brood frames, varroa mites; bees swarm.",
]

# Texts whose edges and marks decide tokens: reading.py reads texts joined in blocks, so
# a text's end must still end a sentence, and nothing may reach from one text into the next.
EDGE_TEXTS = [
    "'Tis the end.", "ends with an apostrophe'", "'", ".", "", "  ", "\n", "Dots at the end...", "x.", "US.",
    "e.g. Apple Pie. 3.5 Moon Rocks?!Next Thing", "Mark?)Then Words", 'He said "Stop."And Went',
    "Wait!!!Really. Stop .Start", "first - second -", "- third — Fourth", "-", "ends in a dash -",
    "— starts with a dash", "line\nNext Line\n", "Tab\tSeparated.\tNext", "Control\x00Char.\x00Start",
    "Private \ue000 Use.\ue001Here!\ue002", "\x01\x02\x03", "mail x@y.org.And More www.site.com/Page. Next",
    "https://a.b/c?d=e!Go Home", "Queen’s ‘Gambit’ `Opening´ and Finns' saunas", "rock'n'roll isn't 'quoted",
    "under_score words_ here", "Ünïcode Ärger. Öl Heizung", "a .", "Stop.\u2028Next Line\u00a0.",
    "Visit www.example.com", "Next Text", "Words then", "x@y.org Mail",
]


def phrase_names(text, ids):
    return [" ".join(text.keys[w] for w in row if w >= 0) for row in reading.words(text.phrases[ids]).tolist()]


def reference_keys(text):
    """Unigram and bigram keys of a text, as the topic features count them."""
    terms = []
    for run in labels.chunks(text):
        keys = [token[0] for token in run]
        terms += keys + [a + " " + b for a, b in zip(keys, keys[1:])]
    return terms


def reference_case(texts):
    case = Counter()
    for text in texts:
        for run in labels.chunks(text):
            for key, surface, tentative, _ in run:
                if not tentative:
                    case[key] += 1 if surface[:1].isupper() else -1
    return case


def random_texts(n, seed, vocabulary=400):
    """Texts of invented words with capitals, possessives, plurals, stop words and punctuation."""
    rng = random.Random(seed)
    words = ["".join(rng.choice("bcdfglmnprstv") + rng.choice("aeiou") for _ in range(rng.randint(2, 4)))
             for _ in range(vocabulary)]
    filler = ["the", "and", "of", "I", "think", "really", ".", ",", "!", "?", ";", "-", "\n", "wanted", "US"]
    out = []
    for _ in range(n):
        tokens = []
        for _ in range(rng.randint(0, 40)):
            if rng.random() < 0.3:
                tokens.append(rng.choice(filler))
                continue
            word = rng.choice(words[:rng.choice([20, vocabulary])])
            shape = rng.random()
            word = (word.capitalize() if shape < 0.2 else word.upper() if shape < 0.25 else word + "'s"
                    if shape < 0.3 else word + "s" if shape < 0.4 else word + "ed" if shape < 0.45 else word)
            tokens.append(word)
        out.append(" ".join(tokens))
    return out


@pytest.fixture(scope="module", params=["examples", "random", "small blocks", "edge cases"])
def corpus(request):
    texts = {"examples": TEXTS, "edge cases": EDGE_TEXTS * 2}.get(request.param) or random_texts(300, 1)
    if request.param not in ("small blocks", "edge cases"):
        return texts, reading.read_texts(texts, N_FEATURES)
    # Texts and words read in many blocks give what one block gives.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reading, "_CHUNK", 7)
        patch.setattr(reading, "_SLICE", 50)
        return texts, reading.read_texts(texts, N_FEATURES)


def test_one_reading_gives_the_features_of_the_reference_tokeniser(corpus):
    texts, text = corpus
    expected = HashingVectorizer(analyzer=reference_keys, n_features=N_FEATURES, alternate_sign=False, norm=None,
                                 dtype=np.float32).transform(texts)
    assert (text.counts != expected).nnz == 0
    assert text.words.tolist() == [sum(len(run) for run in labels.chunks(t)) for t in texts]
    case = reference_case(texts)
    assert {k: int(c) for k, c in zip(text.keys, text.case) if c} == {k: c for k, c in case.items() if c}


def test_one_reading_gives_each_texts_phrases_and_spellings_in_reading_order(corpus):
    texts, text = corpus
    for t, body in enumerate(texts):
        grams, spellings = reference_phrases.read(body)
        ids = text.phrase[text.phrase_bounds[t]:text.phrase_bounds[t + 1]]
        assert phrase_names(text, ids) == grams
        codes = text.spellings[text.spelling[text.word_bounds[t]:text.word_bounds[t + 1]]].tolist()
        assert [(text.keys[text.key_of_spelling[text.spelling[text.word_bounds[t] + i]]], text.surfaces[c // 4],
                 bool(c & 2), bool(c & 1)) for i, c in enumerate(codes)] == spellings


@pytest.mark.parametrize("block", [1, 3, 20_000])
def test_texts_read_in_blocks_are_tokenised_as_each_on_its_own(block):
    texts = EDGE_TEXTS + TEXTS + random_texts(50, 2)
    expected = [labels._TOKEN.findall(labels._URL.sub(" . ", text.translate(labels._APOSTROPHES))) for text in texts]
    vocabulary, found = reading._Vocabulary(N_FEATURES), []
    for start in range(0, len(texts), block):
        ids = vocabulary.ids(*tokenising.block_matches(texts[start:start + block]))  # -1 between texts
        found += [text[text >= 0].tolist() for text in np.split(ids, np.flatnonzero(ids < 0))]
    tokens = list(vocabulary.tokens)
    assert [[tokens[token] for token in text] for text in found] == expected
    assert tokens == list(dict.fromkeys(token for text in expected for token in text))  # ids in order of first sight


def test_phrase_frequencies_come_from_the_hashed_counts(corpus):
    _, text = corpus
    totals = np.asarray(text.counts.sum(axis=0)).ravel()
    for name, found in zip(phrase_names(text, np.arange(len(text.phrases))), text.frequency):
        words = name.split(" ")
        pairs = [name] if len(words) < 3 else [" ".join(words[:2]), " ".join(words[1:])]
        assert found == min(totals[reading.hash_columns(pairs, N_FEATURES)])


def test_phrase_codes_decode_to_their_words():
    codes = np.array([5, 3 * reading.BASE + 7, (1 * reading.BASE + 2) * reading.BASE + 9])
    assert reading.n_words(codes).tolist() == [1, 2, 3]
    assert reading.words(codes).tolist() == [[4, -1, -1], [2, 6, -1], [0, 1, 8]]


def test_hash_columns_are_scikit_learns():
    keys = ["winter war", "u.s.", "taurus", "queen's gambit"]
    expected = HashingVectorizer(analyzer=lambda k: [k], n_features=N_FEATURES, alternate_sign=False).transform(keys)
    assert reading.hash_columns(keys, N_FEATURES).tolist() == expected.indices.tolist()


def reference_reads(texts, groups, average):
    """Each class read on its own, the way labels are defined."""
    corpus = reading.read_texts(texts, N_FEATURES)
    totals = np.asarray(corpus.counts.sum(axis=0)).ravel()

    def frequency(keys):
        out = []
        for key in keys:
            words = key.split(" ")
            pairs = [key] if len(words) < 3 else [" ".join(words[:2]), " ".join(words[1:])]
            out.append(min(totals[reading.hash_columns(pairs, N_FEATURES)]))
        return np.array(out)

    case = reference_case(texts)
    reads = []
    for c, group in enumerate(groups):
        phrases = reference_phrases.Phrases([texts[p] for p in group], case=case)
        ranked = reference_phrases.score(phrases, frequency, average)
        reads.append(labelling.Read(reference_phrases.top_terms(phrases, ranked),
                                    phrasing.label_options(phrases, [k for k, _ in ranked], [w for _, w in ranked]),
                                    [(phrases.display(k), k) for k, _ in ranked[:3]]))
    return corpus, reads


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_partition_is_labelled_as_each_class_on_its_own(seed, monkeypatch):
    texts = TEXTS + random_texts(400, seed)
    rng = np.random.RandomState(seed)
    order = rng.permutation(len(texts))
    cuts = np.sort(rng.choice(np.arange(1, len(texts)), size=40, replace=False))
    # Some texts in no class; classes of one text, of many, and empty ones.
    groups = [np.sort(g) for g in np.split(order[:-20], cuts[cuts < len(texts) - 20])] + [np.array([], dtype=int)]
    corpus, expected = reference_reads(texts, groups, 37.5)
    monkeypatch.setattr(labelling, "_LOAD", 500)  # many batches of classes
    assert labelling.read_classes(corpus, groups, 37.5, with_terms=True) == expected
    # Without terms (the narrowest classes: their terms are no one's) the rest is the same.
    lean = labelling.read_classes(corpus, groups, 37.5)
    assert [(r.top_terms, r.options, r.terms) for r in lean] == [(r.top_terms, r.options, []) for r in expected]


def test_texts_holding_each_candidate_are_counted_per_class():
    rng = np.random.RandomState(5)
    classes = np.sort(rng.randint(0, 7, 600))
    texts = np.concatenate([np.sort(rng.randint(0, 40, (classes == c).sum())) for c in range(7)])
    items = rng.randint(0, 9, 600)
    cls, item, count, first, docs = labelling._segments(classes, items, 9, texts)
    for c, i, n, d in zip(cls, item, count, docs):
        at = (classes == c) & (items == i)
        assert n == at.sum() and d == len(np.unique(texts[at]))
    assert (classes[first] == cls).all() and (items[first] == item).all()


def test_a_word_nothing_central_stands_beside_is_labelled_alone():
    # One text each: "pogoda" is written twice and nothing else is; no word of another class
    # (its topic's) is joined to it.
    texts = ["Pogoda came. Pogoda left in the sleet.", "Pogrom in the pogrom."]
    groups = [np.array([0]), np.array([1])]
    corpus, expected = reference_reads(texts, groups, 3.0)
    assert [r.options for r in expected] == [[("pogoda", expected[0].options[0][1])],
                                             [("pogrom", expected[1].options[0][1])]]
    assert labelling.read_classes(corpus, groups, 3.0, with_terms=True) == expected


@pytest.mark.parametrize("rounded", [True, False])
def test_candidates_are_ranked_by_class_weight_words_and_first_reading(rounded):
    rng = np.random.RandomState(4)
    n = 5000
    cls = np.sort(rng.randint(0, 300, n))
    weight = rng.choice([0.5, 0.25, 1 / 3, 0.1, 2.0], n) * rng.choice([1.0, 1.0 + 1e-9], n)
    weight = np.round(weight, 12) if rounded else weight  # not rounded: the plain sort
    count = rng.randint(1, 4, n)
    first = np.arange(n) * 3
    for c in np.unique(cls):  # each class's first readings in any order, after the class before
        at = np.flatnonzero(cls == c)
        first[at] = rng.permutation(first[at])
    expected = np.lexsort((first, -count, -weight, cls))
    assert labelling._rank_order(cls, weight, count, first).tolist() == expected.tolist()


def test_a_large_class_leaves_out_phrases_read_once():
    texts = random_texts(600, 3, vocabulary=3000)
    groups = [np.arange(len(texts)), np.array([], dtype=int)]
    corpus, expected = reference_reads(texts, groups, 1000.0)
    assert sum(1 for _ in reference_phrases.Phrases(texts).counts) > 1000  # the rule applies
    assert labelling.read_classes(corpus, groups, 1000.0, with_terms=True) == expected


def test_phrases_inside_a_better_ranked_phrase_are_not_ranked():
    texts = ["The Winter War began.", "After the Winter War, Karelia.", "Ukraine Keith Kellogg met them."]
    corpus = reading.read_texts(texts, N_FEATURES)
    (read,) = labelling.read_classes(corpus, [np.arange(3)], 5.0)
    terms = [term.split(":")[0] for term in read.top_terms.split("; ")]
    assert "Winter War" in terms and "Winter" not in terms and "War" not in terms
    assert "Keith Kellogg" in terms and "Keith" not in terms


class _Written:
    """A class's candidates as label_options reads them: each key as the class writes it."""

    def __init__(self, shown):
        self.shown, self.counts = shown, dict.fromkeys(shown, 1)
        self.docs, self.texts = self.counts, 1  # one text: central terms are decided by their weights

    def display(self, key):
        return self.shown.get(key, key)


@pytest.mark.parametrize("keys, expected", [
    # "war Finland" runs a common word into a name; "practical" reads badly alone; "Kurile" is of the Kuriles' family.
    (["war finland", "kuriles", "practical", "kurile", "negotiations", "winter war", "europe", "european"],
     ["Kuriles and negotiations", "Kurile and negotiations", "negotiations and Kuriles", "winter war",
      "winter war and Kuriles", "winter war and Kurile"]),
    # Three letters in common ("kurgan") make no family of a name and a common word.
    (["war finland", "kuriles", "practical", "kurile", "kurgan", "negotiations", "winter war"],
     ["Kuriles and kurgan", "Kurile and kurgan", "kurgan and Kuriles", "negotiations and Kuriles"]),
    # Names sharing three letters are of one family ("Finns", "Finland"); "Europe" and "European" share five.
    (["finns", "practical", "finland", "europe", "european", "winter war", "soviet union"],
     ["Finns and Europe", "Finns and European", "Finland and Europe", "Finland and European", "Europe and Finns",
      "Europe and Finland"]),
    # A phrase is never joined to one sharing a word with it ("winter war and war Finland").
    (["winter war", "war finland", "soviet union", "finns"],
     ["winter war", "winter war and Finns", "Soviet Union", "Finns and winter war", "Finns and Soviet Union"]),
])
def test_label_options_read_phrases_and_join_words_of_other_families(keys, expected):
    written = _Written({"war finland": "war Finland", "kuriles": "Kuriles", "kurile": "Kurile", "finns": "Finns",
                        "finland": "Finland", "europe": "Europe", "european": "European",
                        "soviet union": "Soviet Union"})
    weights = [1 - i / 10 for i in range(len(keys))]
    options = phrasing.label_options(written, keys, weights, limit=6)
    assert [text for text, _ in options] == expected
