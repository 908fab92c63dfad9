import numpy as np
import pytest

from discourse import words
from discourse.words import lower_words, tokenise

DOCS = ["The levee, the PUMPS and the levee.", "", "Ünïcode Straße and ΣΑΣ words", "levee 42 x_y",
        "   ", "pumps\nlevee", "Straße again", "new words at the end"]


@pytest.mark.parametrize("block", [1, 2, 3, 100])
def test_tokenise_in_blocks_gives_every_doc_its_words(block, monkeypatch):
    monkeypatch.setattr(words, "_BLOCK", block)
    ids, starts, vocabulary = tokenise(DOCS)
    assert [[vocabulary[i] for i in ids[starts[d]:starts[d + 1]]] for d in range(len(DOCS))] == \
        [lower_words(doc) for doc in DOCS]
    assert len(set(vocabulary)) == len(vocabulary)  # one id per word across blocks
    assert vocabulary[:3] == ["the", "levee", "pumps"]  # ids in order of first appearance
    assert ids.dtype == np.uint64 and len(starts) == len(DOCS) + 1


def test_tokenise_nothing():
    ids, starts, vocabulary = tokenise([])
    assert len(ids) == 0 and list(starts) == [0] and vocabulary == []
