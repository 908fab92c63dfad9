"""Labels a reader would write: no participants' names, no user names, no "about X", no numbered
duplicates, "X and Y" only when both are central, named events first."""

import re

import pandas as pd

from discourse.model.tree import complete_tree
from discourse.topics import find_topics
from discourse.topics import phrasing
from discourse.topics.find import participant_words


def table(rows, thread="t"):
    return complete_tree(pd.DataFrame([{"comment_id": c, "parent_id": p, "thread_id": thread, "author": a, "text": t}
                                       for c, p, a, t in rows]))


def labels(result):
    return result.subthreads["label"].tolist() + result.topics["label"].tolist() + result.threads["label"].tolist()


def test_participants_names_never_label_in_any_case_or_spelling():
    rows = [("a", None, "Wolfy_Packy", "Packy, your router firmware update bricked the router again."),
            ("b", "a", "DJG, Reality Czar", "Wolfy packy is right: router firmware from that vendor is junk."),
            ("c", "b", "Wolfy_Packy", "Reality czar, the router firmware rollback worked, thanks Czar."),
            ("d", "c", "BigNekkers", "WOLFY PACKY and CZAR both: flash the router firmware twice, BIGNEKKERS says."),
            ("e", None, "BigNekkers", "Bignekkers here again: a guy named Scott phoned about my bank card."),
            ("f", "e", "Wolfy_Packy", "Scott from the bank card desk? Scott wanted the bank card number."),
            ("g", "f", "BigNekkers", "Scott hung up when I asked Scott for the bank card branch.")]
    result = find_topics(table(rows))
    forbidden = re.compile(r"\b(wolfy|packy|djg|reality|czar|bignekkers|scott)\b", re.IGNORECASE)
    assert not [label for label in labels(result) if forbidden.search(label)]
    found = participant_words(pd.Series(["Wolfy_Packy", "DJG, Reality Czar", "BigNekkers", "ElectronicFerret"]),
                              pd.Series(["a guy named Scott"]).to_numpy(dtype=object))
    assert {"packy", "wolfy_packy", "reality", "czar", "bignekkers", "electronicferret", "scott"} <= found
    # The parts of a name run together are common words: "robotic ferret" stays a label.
    assert "ferret" not in found and "big" not in found


def test_user_names_written_as_words_never_label():
    assert phrasing.handle_like("beatrizsilva7845") and phrasing.handle_like("ifh44oe")
    assert not phrasing.handle_like("covfefe-19") and not phrasing.handle_like("f-35")
    assert not phrasing.handle_like("1940s") is None and not phrasing.handle_like("20000")
    rows = [("a", None, "A", "Ask user7845x7 about the scam: user7845x7 got a fake gift card too."),
            ("b", "a", "B", "user7845x7 says the fake gift card came from a scam site."),
            ("c", "b", "C", "Fake gift card scams again; user7845x7 should report the scam site.")]
    assert not [label for label in labels(find_topics(table(rows))) if "7845" in label]


def test_a_named_event_the_subthread_discusses_heads_its_label():
    rows = [("a", None, "A", "Finland lost Karelia in the war. At the end of the Winter War, Finland signed."),
            ("b", "a", "B", "Finland fought the war alone; the war cost Finland dearly."),
            ("c", "b", "C", "The war showed Finland could hold. Finland kept its independence after the war."),
            ("d", None, "D", "Sourdough starter needs flour daily; my sourdough starter is sluggish."),
            ("e", "d", "E", "Feed the sourdough starter warm water and rye flour.")]
    result = find_topics(table(rows))
    assert result.subthreads["label"].iloc[0] == "Winter War"


def test_no_numbered_duplicates_and_no_about_x():
    rows = []
    for i in range(6):  # six one-comment subthreads saying the same thing
        rows.append((f"r{i}", None, f"U{i}", "Robotic ferret! I want a robotic ferret."))
    rows += [("s", None, "S", "Yii"), ("t", "s", "T", "Yii")]
    result = find_topics(table(rows))
    found = labels(result)
    assert not [label for label in found if re.search(r" \d+$", label)]
    assert not [label for label in found if label.lower().startswith("about ")]


def test_x_and_y_only_when_both_are_central():
    # One text: the counts decide.  "luck" is written once beside a subject written six times:
    # no "bank and luck".
    written = _Written({"bank": 6, "luck": 1, "phone": 5, "card": 4})
    options = [text for text, _ in phrasing.label_options(written, ["bank", "luck", "phone"], [0.3, 0.18, 0.16])]
    assert "bank and luck" not in options and "bank and phone" in options
    # A second term weighing less than half the first is no partner.
    options = [text for text, _ in phrasing.label_options(written, ["bank", "card"], [0.3, 0.1])]
    assert options == ["bank"]


def test_x_and_y_of_several_texts_only_when_each_is_in_a_clear_share_of_them():
    keys, weights = ["bank", "phone", "card"], [0.3, 0.25, 0.2]
    counts = {"bank": 6, "phone": 5, "card": 4}

    def first(docs, texts):
        return phrasing.label_options(_Written(counts, docs, texts), keys, weights)[0][0]

    # Nine texts: a term in three of them (a third) is central; in two, it is one exchange's.
    assert first({"bank": 5, "phone": 3, "card": 3}, 9) == "bank and phone"
    assert first({"bank": 5, "phone": 2, "card": 3}, 9) == "bank and card"
    assert first({"bank": 5, "phone": 2, "card": 2}, 9) == "bank"
    assert first({"bank": 2, "phone": 5, "card": 5}, 9) == "phone and card"  # the head too
    # Two or three texts: both terms in two of them, whatever the share.
    assert first({"bank": 2, "phone": 2, "card": 1}, 3) == "bank and phone"
    assert first({"bank": 2, "phone": 1, "card": 1}, 3) == "bank"
    assert first({"bank": 1, "phone": 1, "card": 1}, 2) == "bank"
    # The same weights and counts in one text: central by the counts.
    assert first({"bank": 1, "phone": 1, "card": 1}, 1) == "bank and phone"


class _Written:
    """A class's candidates with their counts (and the texts holding each, of ``texts``),
    displayed as their keys."""

    def __init__(self, counts, docs=None, texts=1):
        self.counts, self.docs, self.texts = counts, counts if docs is None else docs, texts

    def display(self, key):
        return key


def test_a_phrase_the_class_repeats_reads_it_better_than_x_and_y():
    # "harbour" stands in no phrase of its own; "harbourmaster office", written three times,
    # holds a word of its family (and not only the class's best words: no phrase of those reads it).
    keys = ["harbour", "crane", "strike", "union", "wage", "harbourmaster office"]
    weights = [0.3, 0.25, 0.2, 0.19, 0.185, 0.18]
    counts = {"harbour": 6, "crane": 5, "strike": 4, "union": 4, "wage": 4, "harbourmaster office": 3}
    assert phrasing.label_options(_Written(counts), keys, weights)[0][0] == "harbourmaster office"
    # Written once, the same phrase is a passing remark: the two central words are the label.
    once = {**counts, "harbourmaster office": 1}
    assert phrasing.label_options(_Written(once), keys, weights)[0][0] == "harbour and crane"
    # A repeated phrase without the best word (nor one of its family) and weighing much less is no label ...
    keys[5] = "night shift"
    counts = {**counts, "night shift": 3}
    assert phrasing.label_options(_Written(counts), keys, weights)[0][0] == "harbour and crane"
    # ... unless it weighs nearly as much as the best word: then it sets the class apart.
    assert phrasing.label_options(_Written(counts), keys, [0.3, 0.28, 0.27, 0.26, 0.255, 0.25, 0.05])[0][0] == "night shift"
    # ... or it is in as many of the class's texts as the best word, and in a clear share of them.
    docs = {"harbour": 3, "crane": 3, "strike": 3, "union": 3, "wage": 3, "night shift": 3}
    assert phrasing.label_options(_Written(counts, docs, 8), keys, weights)[0][0] == "night shift"
    assert phrasing.label_options(_Written(counts, {**docs, "night shift": 2}, 8), keys, weights)[0][0] == "harbour and crane"


def test_heads_one_text_writes_are_passed_over_when_others_are_in_several():
    # "run state" is written twice, both times by one comment of seven; "design" is in three.
    keys, weights = ["design", "test", "run state"], [0.083, 0.078, 0.058]
    counts = {"design": 4, "test": 3, "run state": 2}
    assert phrasing.label_options(_Written(counts, {"design": 3, "test": 1, "run state": 1}, 7),
                                  keys, weights)[0][0] == "design"
    assert phrasing.label_options(_Written(counts, {"design": 3, "test": 1, "run state": 2}, 7),
                                  keys, weights)[0][0] == "run state"


def test_counts_given_by_position_give_the_same_options():
    written = _Written({"harbour": 6, "crane": 5, "harbour crane": 3, "strike": 4, "dock": 1})
    keys, weights = ["harbour", "crane", "strike", "harbour crane", "dock"], [0.3, 0.25, 0.2, 0.18, 0.1]
    assert (phrasing.label_options(written, keys, weights)
            == phrasing.label_options(written, keys, weights, key_counts=[written.counts[k] for k in keys]))
