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
    class Written:
        counts = {"bank": 6, "luck": 1, "phone": 5, "card": 4}

        def display(self, key):
            return key

    # "luck" is written once beside a subject written six times: no "bank and luck".
    options = [text for text, _ in phrasing.label_options(Written(), ["bank", "luck", "phone"], [0.3, 0.18, 0.16])]
    assert "bank and luck" not in options and "bank and phone" in options
    # A second term weighing less than half the first is no partner.
    options = [text for text, _ in phrasing.label_options(Written(), ["bank", "card"], [0.3, 0.1])]
    assert options == ["bank"]


class _Written:
    """A class's candidates with their counts, displayed as their keys."""

    def __init__(self, counts):
        self.counts = counts

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


def test_counts_given_by_position_give_the_same_options():
    written = _Written({"harbour": 6, "crane": 5, "harbour crane": 3, "strike": 4, "dock": 1})
    keys, weights = ["harbour", "crane", "strike", "harbour crane", "dock"], [0.3, 0.25, 0.2, 0.18, 0.1]
    assert (phrasing.label_options(written, keys, weights)
            == phrasing.label_options(written, keys, weights, key_counts=[written.counts[k] for k in keys]))
