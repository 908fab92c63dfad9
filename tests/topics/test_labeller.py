"""The labelling seam: find_topics = cluster_subthreads + label_clusters, with a plug-in labeller."""

import pandas as pd
import pytest

from discourse.exceptions import DiscourseError
from discourse.model.tree import complete_tree
from discourse.topics import (ClassLabel, LabellerError, PhraseLabeller, cluster_subthreads, find_topics,
                              label_clusters)


def table(rows, thread="t"):
    return complete_tree(pd.DataFrame([{"comment_id": c, "parent_id": p, "thread_id": thread, "author": a, "text": t}
                                       for c, p, a, t in rows]))


ROWS = [("a", None, "Ann", "My bees swarmed from the hive this morning, the whole bee colony."),
        ("b", "a", "Bob", "Catch the bee swarm in a box with an old frame of brood from the hive."),
        ("c", "b", "Ann", "The swarm went into the box and the bee colony settled."),
        ("g", "c", "Bob", "A settled bee colony in a box needs frames of brood soon."),
        ("d", None, "Cid", "My sourdough starter died again and the sourdough bread was flat."),
        ("e", "d", "Dee", "Feed the sourdough starter flour and water twice a day."),
        ("f", "e", "Cid", "The sourdough starter smells of flour now.")]


def test_the_two_steps_make_what_find_topics_makes():
    comments = table(ROWS)
    whole = find_topics(comments)
    steps = label_clusters(cluster_subthreads(comments))
    for name in ("subthreads", "topics", "comments", "threads"):
        pd.testing.assert_frame_equal(getattr(whole, name), getattr(steps, name))
    default = find_topics(comments, labeller=PhraseLabeller())
    pd.testing.assert_frame_equal(whole.subthreads, default.subthreads)


def test_a_labeller_of_ones_own_labels_every_table_and_labels_stay_distinct():
    asked = []

    def shouting(request):
        asked.append(request.kind)
        assert all(len(c) for c in request.classes)
        return [ClassLabel(["SAME LABEL", f"{request.kind} {i}"], weight=1.0, top_terms="x:1.000")
                for i, _ in enumerate(request.classes)]

    result = find_topics(table(ROWS), labeller=shouting)
    assert asked == ["topic", "subthread", "branch", "thread"]
    level1 = result.subthreads[result.subthreads["level"] == 1]
    # Two subthreads cannot share a label: the second takes its next option.
    assert "SAME LABEL" in set(level1["label"]) and level1["label"].is_unique
    assert result.subthreads["label"].is_unique
    assert result.threads["label"].tolist() == ["SAME LABEL"]
    assert set(result.subthreads["top_terms"]) == {"x:1.000"}


def test_a_class_without_options_gets_the_nothing_to_read_label():
    result = find_topics(table(ROWS), labeller=lambda request: [ClassLabel([]) for _ in request.classes])
    assert set(result.subthreads["label"]) == {"no topic words"}


def test_a_labeller_answering_out_of_protocol_is_named():
    with pytest.raises(LabellerError, match="returned 0 labels for 1 topic classes") as caught:
        find_topics(table(ROWS[:3]), labeller=lambda request: [])
    assert isinstance(caught.value, DiscourseError)
