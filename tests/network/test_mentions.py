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


def nfd(text):
    import unicodedata
    return unicodedata.normalize("NFD", text)


@pytest.mark.parametrize("author_form, text_form", [("NFC", "NFD"), ("NFD", "NFC"), ("NFD", "NFD")])
def test_names_and_quotes_are_compared_in_nfc(author_form, text_form):
    import unicodedata
    from discourse.network.graph import commenter_edges

    def form(kind, text):
        return unicodedata.normalize(kind, text)

    jose, zoe = form(author_form, "José Núñez"), form(author_form, "Zoë")
    passage = "the levee at Río Piedras held through the storm although the pumps failed"
    comments = complete_tree(pd.DataFrame({
        "comment_id": ["a", "b", "c", "d"], "parent_id": [None, "a", "b", None], "thread_id": "t",
        "author": [jose, zoe, "Ann", "Ann"],
        "text": [form("NFC", f"I think {passage}."), form(text_form, "@José Núñez not quite"),
                 form(text_form, "Zoë: agreed, and José Núñez said so"),
                 form(text_form, f"As someone wrote, “{passage}”.")]}))
    edges = commenter_edges(comments, kinds=("mention", "quote"))
    found = set(zip(edges["source"], edges["target"], edges["kind"], edges["comment_ids"]))
    assert found == {(zoe, jose, "mention", "b"), ("Ann", zoe, "mention", "c"), ("Ann", jose, "mention", "c"),
                     ("Ann", jose, "quote", "d")}
    assert scan_threads(comments, ("mention", "quote")) == plain_scan(comments, ("mention", "quote"))


def test_an_nfd_address_names_the_addressee_of_a_reply_to_a_missing_comment():
    from discourse.network.graph import commenter_edges

    comments = complete_tree(pd.DataFrame({
        "comment_id": ["a", "b", "c"], "parent_id": [None, "gone", "gone"], "thread_id": "t",
        "author": ["Jos\u00e9", "Ann", "Bo"], "text": ["first", "@Jose\u0301 yes", "Jose\u0301, no"]}))
    edges = commenter_edges(comments, kinds=("reply",))
    assert set(zip(edges["source"], edges["target"], edges["inferred"])) == {("Ann", "Jos\u00e9", True),
                                                                           ("Bo", "Jos\u00e9", True)}


def test_nfc_leaves_text_already_in_nfc_as_it_is():
    from discourse.network.words import nfc

    for text in ["", "plain", "Jos\u00e9", "Σοφία", "\u212b"]:  # Angstrom sign: NFC changes it
        assert nfc(text) == __import__("unicodedata").normalize("NFC", text)
    same = "Jos\u00e9 " * 3
    assert nfc(same) is same
