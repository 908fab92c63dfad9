"""Mention detection, and the whole-table scan: its shortcuts give what the plain reading gives.

The plain reading and random threads both test modules compare on are in scan_reference.py.
"""

import random
import re

import pandas as pd
import pytest

from discourse.network import mentions
from discourse.network.scan import scan_threads
from discourse.model.tree import complete_tree
from discourse.network.words import lower_words
from reference.scan import WORD, plain_scan, random_threads


def test_lower_words_is_the_regex_on_lower_case_text():
    for text in ["", "   ", "Hello, World! it's 2024_x", "e.g. THIS\tand\nthat", "a-b_c d9",
                 "café NAÏVE İstanbul", "ΣΟΦΙΑΣ σοφίας", "“Quoted” — ‘so’", "\x00\x1f\x7f x"]:
        assert lower_words(text) == WORD.findall(text.lower())


def test_capitalised_pattern_finds_what_the_plain_one_finds():
    plain = re.compile(r"(?<!\w)[A-ZÀ-ÖØ-Þ]\w{5,}")
    rng = random.Random(3)
    alphabet = "aAbBzZéÉ_1 .\n'Øß"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 30)))
        assert mentions._CAPITALISED.findall(text) == plain.findall(text)


@pytest.mark.parametrize("seed", range(12))
def test_whole_table_scan_matches_the_plain_reading(seed):
    comments = random_threads(seed)
    for kinds in [("reply", "mention", "quote"), ("quote",), ("mention",)]:
        assert scan_threads(comments, kinds) == plain_scan(comments, kinds)
    only = set(comments["comment_id"][::3])
    assert scan_threads(comments, ("reply",), only) == plain_scan(comments, ("reply",), only)


def test_tables_without_threads_or_words():
    empty = complete_tree(pd.DataFrame({"comment_id": [], "parent_id": [], "author": [], "text": [],
                                        "thread_id": []}).astype({"comment_id": object}))
    blank = complete_tree(pd.DataFrame({"comment_id": ["a", "b"], "parent_id": [None, "a"], "author": ["Ann", None],
                                        "text": ["", "x"], "thread_id": "t"}))
    for comments in (empty, blank):
        assert scan_threads(comments, ("reply", "mention", "quote")) == ([], {})


def test_name_words_are_those_of_the_variants():
    # The whole-table scan finds names by these words; they must be what the variants give.
    rng = random.Random(2)
    parts = ["The", "the", "Rev", "Kev", "DJG", "Reality", "Aurelien", "aurelien", "İstanbul", "Σοφία", "Random",
             "eg", "Yves", "x_y", "anonymous", "ANONYMOUS", "Bertrand", "_"]
    names = ["".join(rng.choice(parts) + rng.choice([" ", "", ",", " , ", "-"]) for _ in range(rng.randrange(1, 5)))
             for _ in range(3000)]
    for name in names:
        variants = mentions._name_variants(name)
        firsts, fuzzy, lowered = mentions.name_words(name)
        assert set(firsts) == {key[0] for key, *_ in variants} and len(firsts) == len(set(firsts))
        assert list(fuzzy) == [key[0] for key, *_, blurs in variants if blurs]
        assert set(lowered) == {tokens[0].lower() for _, _, tokens, plain, _ in variants
                                if plain and len(tokens) == 1 and not tokens[0].islower()}
