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
