"""Mention and quote detection: the whole-table shortcuts give what the plain reading gives."""

import random
import re
import sys

import numpy as np
import pandas as pd
import pytest

from discourse import mentions
from discourse.mentions import NameIndex, lower_words, quotes_in_thread, scan_threads
from discourse.threads import complete_tree

WORD = re.compile(r"\w+")


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


def test_unicode_facts_the_sentence_shortcut_relies_on():
    # Sentences split at whitespace keep their words as runs of the text's lower-cased words when
    # whitespace is never part of a word nor changed by lower(), and lower() maps each character
    # on its own, except the capital sigma (those threads take the plain reading).
    chars = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000]
    for c in (c for c in chars if c.isspace()):
        assert not WORD.match(c) and c.lower() == c
    for c in (c for c in chars if c.lower() != c and c != mentions._CONTEXT_LOWER):
        for before, after in (("a", "a"), ("A", "B"), (" ", " "), ("Σ", "'")):
            assert (before + c + after).lower() == before.lower() + c.lower() + after.lower()


# -- the plain reading, one thread at a time -------------------------------------------------

def plain_scan(comments, kinds, only=None):
    """Records and addressees as the per-thread reading gives them."""
    records, addressees = [], {}
    real = comments[~comments["is_placeholder"] & comments["author"].notna()]
    for thread_id, thread in real.groupby("thread_id", sort=False):
        texts = thread["text"].tolist()
        vocabulary = set(WORD.findall("\n".join(texts)))
        names = NameIndex(pd.unique(thread["author"]), lambda words: words & vocabulary)
        for comment_id, author, text in zip(thread["comment_id"], thread["author"], texts):
            if only is not None and comment_id not in only:
                continue
            named, addressee = names.scan(text)
            if addressee is not None:
                addressees[comment_id] = addressee
            if "mention" in kinds:
                records.extend((author, target, "mention", True, comment_id, thread_id, "")
                               for target in dict.fromkeys(named) if target != author)
        if "quote" in kinds:
            ordered = thread.assign(_pos=range(len(thread)))
            if ordered["created_at"].notna().all():
                ordered = ordered.sort_values(["created_at", "_pos"], kind="stable")
            rows = ordered[["comment_id", "author", "text", "_pos"]].to_dict("records")
            for i, writers in sorted(quotes_in_thread([r["text"] for r in rows]).items()):
                seen = set()
                for j in sorted(writers, key=lambda j: rows[j]["_pos"]):
                    if rows[j]["comment_id"] not in seen:
                        seen.add(rows[j]["comment_id"])
                        if rows[i]["author"] != rows[j]["author"]:
                            records.append((rows[i]["author"], rows[j]["author"], "quote", True,
                                            rows[i]["comment_id"], thread_id, rows[j]["comment_id"]))
    return records, addressees


AUTHORS = ["The Rev Kev", "Aurelien", "Yves Smith", "eg", "Random", "Who Cares", "Ann", "DJG, Reality Czar",
           "Σοφία", "Zoë Ωmega", "Bertrand", "bertrand"]
WORDS = ("the plan is sound budget numbers random Random Aurelien Aurelian aurelien Aurelieu Rev Kev The Yves "
         "eg Smith who cares Who Cares Ann DJG café İstanbul ΣΟΦΙΑΣ naïve Zoë Bertrand bertrand Bertrant "
         "extraordinary circumstances unprecedentedly happened yesterday I see no peace for Russia to win").split()
SENTENCES = ["Unprecedentedly extraordinary circumstances happened yesterday.",
             "Nobody anticipated such remarkable consequences afterwards!",
             "Extraordinary circumstances demand extraordinary responses?",
             "Parliamentary procedures complicate everything considerably."]
MARKS = [".", ",", ":", "!", "?", "\n", "\n> ", "“", "”", "\"", "@", "‘", "’", "'s", "…", " - "]


def random_threads(seed, threads=6):
    """Comment tables with names, addresses, quotation marks and copied passages."""
    rng = random.Random(seed)
    tables = []
    for t in range(threads):
        rows, texts = [], []
        for i in range(rng.randrange(1, 25)):
            if texts and rng.random() < 0.3:  # copy a passage of an earlier comment
                source = rng.choice(texts) or "empty"
                start = rng.randrange(len(source))
                passage = source[start:start + rng.randrange(20, 120)]
                text = rng.choice(["", "As said: ", "“", "> "]) + passage + rng.choice(["", "”", " indeed."])
            else:
                parts = []
                for _ in range(rng.randrange(0, 40)):
                    parts.append(rng.choice(WORDS) if rng.random() < 0.75 else rng.choice(MARKS))
                    parts.append(" " if rng.random() < 0.8 else "")
                text = "".join(parts)
            if rng.random() < 0.3:  # a short sentence, or a sentence in it
                sentence = rng.choice(SENTENCES)
                if rng.random() < 0.3:
                    sentence = sentence.replace(" ", " " + rng.choice(WORDS) + " ", 1)
                text = rng.choice(["", "“", "Well. ", "So\n"]) + sentence + rng.choice(["", " ", "”", " and more"]) + text
            if rng.random() < 0.2:
                text = rng.choice(AUTHORS) + rng.choice([": ", ", ", " "]) + text
            if rng.random() < 0.1:
                text = "@" + rng.choice(AUTHORS).split()[-1] + " " + text
            texts.append(text)
            parent = rng.choice([None, None, "gone", *[r[0] for r in rows]])
            rows.append((f"t{t}c{i}", parent, rng.choice(AUTHORS + [None]), text))
        table = pd.DataFrame(rows, columns=["comment_id", "parent_id", "author", "text"]).assign(thread_id=f"t{t}")
        if rng.random() < 0.7:
            times = pd.Series(pd.to_datetime([f"2024-01-0{rng.randrange(1, 4)}" for _ in rows], utc=True))
            if rng.random() < 0.3:
                times[rng.randrange(len(rows))] = pd.NaT
            table["created_at"] = times
        tables.append(table)
    table = pd.concat(tables, ignore_index=True)
    table["parent_id"] = [p if p is None or p == "gone" else p for p in table["parent_id"]]
    table.loc[table["parent_id"] == "gone", "parent_id"] = [f"gone{i}" for i in range((table["parent_id"] == "gone").sum())]
    return complete_tree(table)


@pytest.mark.parametrize("seed", range(12))
def test_whole_table_scan_matches_the_plain_reading(seed):
    comments = random_threads(seed)
    for kinds in [("reply", "mention", "quote"), ("quote",), ("mention",)]:
        assert scan_threads(comments, kinds) == plain_scan(comments, kinds)
    only = set(comments["comment_id"][::3])
    assert scan_threads(comments, ("reply",), only) == plain_scan(comments, ("reply",), only)


def test_shared_hashes_of_different_runs_are_sorted_out(monkeypatch):
    # Hashes that all collide put every run of a thread in one group: the words decide.
    monkeypatch.setattr(mentions, "_mixed", lambda hashes: hashes & np.uint64(1))
    for seed in range(4):
        comments = random_threads(100 + seed, threads=3)
        assert scan_threads(comments, ("quote",)) == plain_scan(comments, ("quote",))


def test_quotes_found_in_many_threads_at_once():
    texts = ["I see no peace for Russia to win in this war at all.",
             "Opening. No matter which way I look at it today.",
             "He wrote: i see no peace for Russia to win in this war",      # an 8-word run of 0
             "no matter which way i look at it today, they say",           # a short sentence of 1
             "“I see no peace for Russia to win in this war at all.”"]     # inside quotation marks
    own = {4: mentions._own_text(texts[4])}
    docs = [lower_words(t) for t in texts[:5]] + [lower_words(own[4])]
    ids = pd.factorize(np.array([w for d in docs for w in d], dtype=object))[0].astype(np.uint64)
    lengths = np.array([len(d) for d in docs])  # comment 4's own words follow its text
    found = mentions._quotes(ids, lengths, texts, own, [0, 0, 0, 0, 0])
    assert found == {2: {0}, 3: {1}, 4: {0}} == quotes_in_thread(texts)
    # In two threads, 2 and 4 quote nobody of the other thread; 4 quotes 2 as 2 quoted 0.
    found = mentions._quotes(ids, lengths, texts, own, [0, 0, 1, 1, 1])
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
    assert records == [("Cy", "Bob", "quote", True, "c", "t", "b")] == plain_scan(comments, ("quote",))[0]


def test_tables_without_threads_or_words():
    empty = complete_tree(pd.DataFrame({"comment_id": [], "parent_id": [], "author": [], "text": [],
                                        "thread_id": []}).astype({"comment_id": object}))
    blank = complete_tree(pd.DataFrame({"comment_id": ["a", "b"], "parent_id": [None, "a"], "author": ["Ann", None],
                                        "text": ["", "x"], "thread_id": "t"}))
    for comments in (empty, blank):
        assert scan_threads(comments, ("reply", "mention", "quote")) == ([], {})
