import numpy as np
import pandas as pd
import pytest

from discourse.topics.topic_map import main_topics


def comments(rows):
    """Rows of (author, topic_id, own_topic_id, is_placeholder)."""
    authors, topic, own, placeholder = zip(*rows)
    return pd.DataFrame({"comment_id": [f"c{i}" for i in range(len(rows))], "author": pd.array(authors, dtype="str"),
                         "topic_id": pd.array(topic, dtype="Int64"), "own_topic_id": pd.array(own, dtype="Int64"),
                         "is_placeholder": placeholder})


TOPICS = pd.DataFrame({"topic_id": [1, 2, 3], "label": ["bike lanes", "helmets", "e-bikes"]})


@pytest.mark.parametrize("rows, expected", [
    # most comments win; the share is over the commenter's comments that have a topic
    ([("ann", 2, None, False), ("ann", 1, None, False), ("ann", 1, None, False)], [("ann", 1, "bike lanes", 2 / 3)]),
    # a tie goes to the lower topic id, whatever came first
    ([("bob", 3, None, False), ("bob", 2, None, False)], [("bob", 2, "helmets", 0.5)]),
    # a comment's own topic outranks its subthread's; no topic, no author and placeholders do not count
    ([("cy", 1, 3, False), ("cy", 1, 3, False), ("cy", 1, None, False), ("cy", None, None, False),
      (None, 1, None, False), ("cy", 1, None, True), ("cy", 1, None, True)], [("cy", 3, "e-bikes", 2 / 3)]),
    # rows in name order; a topic missing from the topics table is named by its id
    ([("zoe", 7, None, False), ("al", 2, None, False)], [("al", 2, "helmets", 1.0), ("zoe", 7, "topic 7", 1.0)]),
])
def test_main_topic_is_the_topic_most_of_a_commenters_comments_are_on(rows, expected):
    table = main_topics(comments(rows), TOPICS)
    assert list(table.columns) == ["author", "main_topic", "main_topic_label", "main_topic_share"]
    assert [tuple(row) for row in table[["author", "main_topic", "main_topic_label"]].itertuples(index=False)] == \
        [row[:3] for row in expected]
    np.testing.assert_allclose(table["main_topic_share"], [row[3] for row in expected])
    assert table["main_topic"].dtype == np.int64


def test_no_topics_give_an_empty_table_with_the_columns():
    table = main_topics(comments([("ann", None, None, False)]), TOPICS)
    assert table.empty and list(table.columns) == ["author", "main_topic", "main_topic_label", "main_topic_share"]
