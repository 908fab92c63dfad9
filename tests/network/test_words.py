import random
import re

import numpy as np
import pytest

from discourse.network import words
from discourse.network.words import SENTENCE_END, Vocabulary, case_words, lower_words, sentences, tokenise

DOCS = ["The levee, the PUMPS and the levee.", "", "Ünïcode Straße and ΣΑΣ words", "levee 42 x_y",
        "   ", "pumps\nlevee", "Straße again", "new words at the end", "Extraordinarily long-winded words: "
        "abcdefgh abcdefghi abcdefghij abcdefghijklmnopqrstuvwxyz0123 abcdefghijklmnopq"]


@pytest.mark.parametrize("block", [1, 2, 3, 100])
def test_tokenise_in_blocks_gives_every_doc_its_words(block, monkeypatch):
    monkeypatch.setattr(words, "_BLOCK", block)
    vocabulary = Vocabulary()
    ids, starts, capitals = tokenise(DOCS, vocabulary)
    vocabulary = vocabulary.words
    assert [[vocabulary[i] for i in ids[starts[d]:starts[d + 1]]] for d in range(len(DOCS))] == \
        [lower_words(doc) for doc in DOCS]
    assert len(set(vocabulary)) == len(vocabulary)  # one id per word across blocks
    assert vocabulary[:3] == ["the", "levee", "pumps"]  # ids in order of first appearance
    assert ids.dtype == np.uint64 and len(starts) == len(DOCS) + 1
    assert list(capitals) == [word[0].isupper() if doc.isascii() else False
                              for doc in DOCS for word in (case_words(doc) if doc.isascii() else lower_words(doc))]


def test_tokenise_calls_sharing_a_vocabulary_agree():
    vocabulary = Vocabulary(["pumps", "levee"])
    first, _, _ = tokenise(DOCS[:2], vocabulary)
    second, _, _ = tokenise(DOCS[3:6], vocabulary)
    assert vocabulary.words[:2] == ["pumps", "levee"]
    assert [vocabulary.words[i] for i in second] == lower_words(" ".join(DOCS[3:6]))
    assert vocabulary.id["levee"] == 1 and first[1] == second[0] == 1


def test_tokenise_nothing():
    ids, starts, capitals = tokenise([])
    assert len(ids) == len(capitals) == 0 and list(starts) == [0]


def test_sentences_are_the_pieces_of_the_split():
    # ASCII docs are split as bytes, the others piece by piece: both as SENTENCE_END.split does.
    rng = random.Random(1)
    pieces = ["word", "Longer", "extraordinary", "a", "I", "x_y", "42", ".", "!", "?", "…", " ", "  ", "\n",
              "\n\n", " \n ", "\t", "\r", "\x0b", "\x1c", "\x00", ",", "é", "“", " " * 20]
    for _ in range(300):
        docs = ["".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randrange(0, 30)))
                for _ in range(rng.randrange(0, 6))]
        docs = [d.encode("ascii", "ignore").decode() if rng.random() < 0.5 else d for d in docs]
        found = [[] for _ in docs]
        for doc, first, count, characters, spaces, letters in zip(*(a.tolist() for a in sentences(docs))):
            found[doc].append((lower_words(docs[doc])[first:first + count], characters, spaces, letters))
        assert found == [[(lower_words(s), len(s), s.count(" "), len("".join(lower_words(s))))
                          for s in SENTENCE_END.split(doc) if s] for doc in docs]


def test_ascii_byte_classes_are_the_patterns():
    for b in range(128):
        c = chr(b)
        assert words._ASCII_SPACE[b] == bool(re.match(r"\s", c))
        assert words._ASCII_WORD[b] == bool(re.match(r"\w", c))
