"""Chatter (jokes, thanks, reactions with no subject) is described for what it is, in the
thread's language; subthreads with a subject keep their subject, however short their comments."""

import numpy as np
import pandas as pd

from discourse.model.tree import complete_tree
from discourse.topics import find_topics
from discourse.topics.chatter import chatter_kinds, describe


def table(rows, thread="t"):
    return complete_tree(pd.DataFrame([{"comment_id": c, "parent_id": p, "thread_id": thread, "author": a, "text": t}
                                       for c, p, a, t in rows]))


def labels_by_root(rows, thread="t"):
    result = find_topics(table(rows, thread))
    level1 = result.subthreads[result.subthreads["level"] == 1]
    return dict(zip(level1["subthread_id"], level1["label"]))


TOPICAL = [("s1", None, "Ann", "My sourdough starter needs rye flour and warm water every single morning."),
           ("s2", "s1", "Bob", "A sourdough starter kept in the fridge needs rye flour only once a week."),
           ("s3", "s2", "Cid", "Rye flour makes the sourdough starter rise faster than plain wheat flour.")]


def test_jokes_are_described_with_the_subject_they_share():
    rows = TOPICAL + [("j1", None, "Dee", "Free cruise prize won! The cruise ship leaves from the moon harbour."),
                      ("j2", "j1", "Eve", "lol"),
                      ("j3", "j2", "Fay", "Hahaha a cruise prize from the moon 😂"),
                      ("j4", "j3", "Gus", "same"),
                      ("j5", "j4", "Hal", "I second that lmao")]
    found = labels_by_root(rows)
    assert found["j1"] == "jokes about cruise prize"
    assert "sourdough" in found["s1"].lower() or "rye" in found["s1"].lower()


def test_thanks_and_reactions_without_a_shared_subject():
    rows = TOPICAL + [("k1", None, "Dee", "Uploaded the slides from yesterday's meetup."),
                      ("k2", "k1", "Eve", "Thanks!"),
                      ("k3", "k1", "Fay", "thank you so much"),
                      ("k4", "k1", "Gus", "Thanks a lot 🙏"),
                      ("k5", "k1", "Hal", "wow")]
    assert labels_by_root(rows)["k1"] == "thanks and reactions"


def test_short_comments_with_a_subject_and_no_reactions_are_not_chatter():
    # Short questions and answers about one subject: no laughter, thanks or reaction word.
    rows = TOPICAL + [("q1", None, "Dee", "Someone phoned saying my router firmware was infected, should I pay?"),
                      ("q2", "q1", "Eve", "Never pay a caller."),
                      ("q3", "q2", "Fay", "Which router?"),
                      ("q4", "q3", "Dee", "A cheap one."),
                      ("q5", "q4", "Gus", "Flash the router firmware yourself, the caller was a scammer.")]
    label = labels_by_root(rows)["q1"]
    assert "router" in label.lower() or "firmware" in label.lower() or "caller" in label.lower()
    # One joke among long comments is a side remark, not chatter.
    rows = TOPICAL + [("r1", None, "Dee", "Ranked choice voting lets each voter order every candidate on the ballot."),
                      ("r2", "r1", "Eve", "Ranked choice voting counts second preferences when a candidate drops out lol"),
                      ("r3", "r2", "Fay", "Several cities adopted ranked choice voting after long ballot campaigns.")]
    assert "ranked" in labels_by_root(rows)["r1"].lower() or "voting" in labels_by_root(rows)["r1"].lower()


def test_chatter_is_described_in_the_thread_language():
    rows = [("g1", None, "Anna", "Die Deutsche Bahn hat wieder Verspätung, der Regionalzug fiel komplett aus."),
            ("g2", "g1", "Bernd", "Die Verspätung der Deutschen Bahn kostet mich jeden Morgen eine Stunde."),
            ("g3", "g2", "Clara", "Der Regionalzug hatte gestern zwanzig Minuten Verspätung."),
            ("h1", None, "Dieter", "Ich habe die Fotos vom Stammtisch hochgeladen."),
            ("h2", "h1", "Erika", "Danke!"),
            ("h3", "h1", "Frank", "Dankeschön 🙏"),
            ("h4", "h1", "Gerd", "danke dir"),
            ("h5", "h1", "Hanna", "genau")]
    assert labels_by_root(rows, "de")["h1"] == "Dank und Reaktionen"
    assert describe("jokes", "代码", "zh") == "关于代码的玩笑" and describe("reactions", None, "fr") == "réactions brèves"


def test_chatter_kinds_read_only_classes_that_say_little():
    class Texts(list):
        def __getitem__(self, position):
            read.add(position)
            return list.__getitem__(self, position)

    read = set()
    texts = Texts(["lol", "haha", "same 😂", "A long comment on tax law."] * 2)
    words = np.array([0, 0, 0, 12] * 2)
    classes = [np.array([0, 1, 2]), np.array([3, 7, 3 + 4]), np.array([4, 5])]
    assert chatter_kinds(classes, texts, words) == ["jokes", None, None]
    assert read == {0, 1, 2}  # the class of long comments and the class of two are never read


def test_medians_of_every_class_at_once_are_numpys():
    from discourse.topics.chatter import _medians

    rng = np.random.RandomState(0)
    values = rng.randint(0, 12, 400).astype(float)
    # Classes of every size around the least counted (3): odd and even counts, repeated values,
    # positions out of order, and empty classes.
    classes = [rng.choice(400, size=k, replace=False) for k in rng.randint(0, 9, 300)] + [np.array([], dtype=int)]
    found = _medians(classes, values)
    assert found.tolist() == [np.median(values[c]) if len(c) >= 3 else np.inf for c in classes]
    assert _medians([np.array([0, 1])], values).tolist() == [np.inf] and not len(_medians([], values))
