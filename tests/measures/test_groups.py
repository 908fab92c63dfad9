"""Communities of the commenter graph described by their members' topics."""

import pandas as pd
import pytest

from discourse.measures.groups import COMMUNITY_COLUMNS, DESCRIBED_SHARE, community_topics
from discourse.topics.find import OTHER_LABEL

TOPICS = pd.DataFrame({"topic_id": [0, 1, 2, 3], "label": ["tram fare", "market stalls", "tram depot", OTHER_LABEL]})


def comments(rows):
    """Rows of (author, subthread topic, own topic or None, is_placeholder)."""
    author, topic, own, placeholder = zip(*rows)
    return pd.DataFrame({"author": pd.array(author, dtype="str"), "topic_id": pd.array(topic, dtype="Int64"),
                         "own_topic_id": pd.array(own, dtype="Int64"), "is_placeholder": placeholder})


def commenters(communities, pagerank=None):
    table = pd.DataFrame({"author": list(communities), "community": pd.array(list(communities.values()), dtype="Int64")})
    if pagerank is not None:
        table["pagerank"] = table["author"].map(pagerank)
    return table


def test_a_community_is_described_by_the_topics_its_members_write_about():
    rows = ([("ann", 0, None, False)] * 5 + [("bob", 0, 1, False)] * 2 + [("bob", 0, None, False)]
            + [("cy", 1, None, False)] * 4 + [("dee", 2, None, False)] + [("cy", 1, None, True)] * 9)
    table = community_topics(comments(rows), commenters({"ann": 0, "bob": 0, "cy": 1, "dee": 1},
                                                        {"ann": 0.1, "bob": 0.3, "cy": 0.2, "dee": 0.2}), TOPICS)
    assert list(table.columns) == COMMUNITY_COLUMNS
    first, second = table.iloc[0], table.iloc[1]
    # 6 of 8 comments on the fare, 2 (a comment's own topic counts) on the market: 25% >= a fifth
    assert (first["community"], first["commenters"], first["comments"]) == (0, 2, 8)
    assert first["topics"] == "tram fare 75%; market stalls 25%"
    assert first["description"] == "tram fare; market stalls" and first["main_topic_label"] == "tram fare"
    assert first["top_commenters"] == "bob; ann"  # by PageRank
    # placeholders do not count; 1 of 5 is exactly a fifth
    assert second["comments"] == 5 and second["topics"] == "market stalls 80%; tram depot 20%"
    assert DESCRIBED_SHARE == 0.2 and second["description"] == "market stalls; tram depot"
    assert second["top_commenters"] == "cy; dee"  # equal PageRank: more comments first


def test_the_other_subthreads_describe_a_community_only_when_nothing_else_does():
    rows = [("ann", 3, None, False)] * 3 + [("ann", 2, None, False), ("bob", 3, None, False)]
    table = community_topics(comments(rows), commenters({"ann": 0, "bob": 1}), TOPICS)
    assert table["topics"].tolist() == [f"{OTHER_LABEL} 75%; tram depot 25%", f"{OTHER_LABEL} 100%"]
    assert table["description"].tolist() == ["tram depot", OTHER_LABEL]
    assert table["main_topic"].tolist() == [2, 3]


def test_ties_and_unknown_topics_and_no_communities():
    rows = [("ann", 7, None, False), ("ann", 1, None, False)]
    table = community_topics(comments(rows), commenters({"ann": 0}), TOPICS)
    # a tie goes to the lower topic id; a topic missing from the table is named by its id
    assert table["topics"].tolist() == ["market stalls 50%; topic 7 50%"]
    none = community_topics(comments(rows), pd.DataFrame({"author": ["ann"]}), TOPICS)
    assert none.empty and list(none.columns) == COMMUNITY_COLUMNS


@pytest.mark.parametrize("shown", [1, 2])
def test_shown_caps_the_topics_listed(shown):
    rows = [("ann", t, None, False) for t in (0, 0, 0, 1, 1, 2)]
    table = community_topics(comments(rows), commenters({"ann": 0}), TOPICS, shown=shown)
    assert len(table.loc[0, "topics"].split("; ")) == shown
    assert len(table.loc[0, "description"].split("; ")) == shown
