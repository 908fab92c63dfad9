"""Quote detection: the whole-table shortcuts give what the plain reading gives."""

import sys

import numpy as np
import pytest
import pandas as pd

from discourse.network import quotes
from discourse.network import scan
from discourse.network.scan import scan_threads
from discourse.network.quotes import quotes_in_thread
from discourse.model.tree import complete_tree
from discourse.network.words import lower_words
from reference.scan import WORD, plain_scan, random_threads


def test_unicode_facts_the_sentence_shortcut_relies_on():
    # Sentences split at whitespace keep their words as runs of the text's lower-cased words when
    # whitespace is never part of a word nor changed by lower(), and lower() maps each character
    # on its own, except the capital sigma (those threads take the plain reading).
    chars = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000]
    for c in (c for c in chars if c.isspace()):
        assert not WORD.match(c) and c.lower() == c
    for c in (c for c in chars if c.lower() != c and c != quotes._CONTEXT_LOWER):
        for before, after in (("a", "a"), ("A", "B"), (" ", " "), ("Σ", "'")):
            assert (before + c + after).lower() == before.lower() + c.lower() + after.lower()


def test_shared_hashes_of_different_runs_are_sorted_out(monkeypatch):
    # Hashes that all collide put every run of a thread in one group: the words decide.
    monkeypatch.setattr(quotes, "_mixed", lambda hashes: hashes & np.uint64(1))
    for seed in range(4):
        comments = random_threads(100 + seed, threads=3)
        assert scan_threads(comments, ("quote",)) == plain_scan(comments, ("quote",))


def test_quotes_found_in_many_threads_at_once():
    texts = ["I see no peace for Russia to win in this war at all.",
             "Opening. No matter which way I look at it today.",
             "He wrote: i see no peace for Russia to win in this war",      # an 8-word run of 0
             "no matter which way i look at it today, they say",           # a short sentence of 1
             "“I see no peace for Russia to win in this war at all.”"]     # inside quotation marks
    own = {4: quotes.own_text(texts[4])}
    docs = [lower_words(t) for t in texts[:5]] + [lower_words(own[4])]
    ids = pd.factorize(np.array([w for d in docs for w in d], dtype=object))[0].astype(np.uint64)
    lengths = np.array([len(d) for d in docs])  # comment 4's own words follow its text
    found = quotes._quotes(ids, lengths, texts, own, [0, 0, 0, 0, 0])
    assert found == {2: {0}, 3: {1}, 4: {0}} == quotes_in_thread(texts)
    # In two threads, 2 and 4 quote nobody of the other thread; 4 quotes 2 as 2 quoted 0.
    found = quotes._quotes(ids, lengths, texts, own, [0, 0, 1, 1, 1])
    assert found == {4: {2}} and quotes_in_thread(texts[2:]) == {2: {0}}


def test_sigma_threads_take_the_plain_reading():
    comments = random_threads(7, threads=2)
    comments.loc[0, "text"] = "ΟΔΥΣΣΕΑΣ wrote this. " + comments.loc[0, "text"]
    for kinds in [("quote",), ("reply", "mention", "quote")]:
        assert scan_threads(comments, kinds) == plain_scan(comments, kinds)


def test_a_short_sentence_quoted_by_the_next_comment():
    comments = complete_tree(pd.DataFrame({
        "comment_id": ["a", "b", "c"], "parent_id": [None, None, None], "author": ["Ann", "Bob", "Cy"],
        "thread_id": "t", "text": ["Filler words only here.", "Unprecedentedly extraordinary circumstances happened yesterday.",
                                   "Well: unprecedentedly extraordinary circumstances happened yesterday!"]}))
    records, _ = scan_threads(comments, ("quote",))
    assert records == [("Cy", "Bob", "quote", True, 2, 1)] == plain_scan(comments, ("quote",))[0]



@pytest.mark.parametrize("chunk", [1, 5, 30])
def test_threads_compared_in_chunks_find_the_same_quotes(chunk, monkeypatch):
    # Chunks end at thread boundaries, whatever their size: a thread is never split.
    comments = random_threads(31, threads=8)
    whole = scan_threads(comments, ("quote",))
    assert whole == plain_scan(comments, ("quote",))
    monkeypatch.setattr(scan, "_CHUNK_COMMENTS", chunk)
    assert scan_threads(comments, ("quote",)) == whole


def test_sentences_sharing_a_key_take_the_plain_way(monkeypatch):
    # Keys of short sentences that all collide: the words tell them apart, and the chunk's
    # sentences are then looked for one comment at a time.
    monkeypatch.setattr(quotes, "_HASH_STEP", np.uint64(0))
    distinct = []
    monkeypatch.setattr(quotes._SentenceRuns, "distinct", lambda self, f=quotes._SentenceRuns.distinct: (
        distinct.append(f(self)) or distinct[-1]))
    two = "Unprecedentedly extraordinary circumstances happened yesterday. Nobody anticipated such remarkable " \
          "consequences afterwards!"
    comments = complete_tree(pd.DataFrame({
        "comment_id": ["a", "b", "c"], "parent_id": [None, "a", None], "author": ["Ann", "Bob", "Cy"],
        "thread_id": "t", "text": [two, "Well, nobody anticipated such remarkable consequences afterwards.",
                                   "So: " + two.lower()]}))
    records, _ = scan_threads(comments, ("quote",))
    assert records == plain_scan(comments, ("quote",))[0] and len(records) == 2 and distinct == [False]
    for seed in range(3):
        comments = random_threads(200 + seed, threads=3)
        assert scan_threads(comments, ("quote",)) == plain_scan(comments, ("quote",))


def test_own_texts_of_many_texts_at_once():
    texts = ["plain", "“quoted” and mine", "> a line\nmine", "", "\"open", "a > b", "«x» ‘yes’ „y“",
             "\x00\"q\""]
    assert quotes.own_texts(texts) == {i: quotes.own_text(t) for i, t in enumerate(texts)
                                       if quotes.own_text(t) is not t}
    assert quotes.own_texts([]) == {}
