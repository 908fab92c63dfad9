"""The registry of commenter measures: a new measure is one entry, none is dropped silently."""

import numpy as np
import pandas as pd
import pytest

from discourse import analyze_corpus, read_corpus, SAMPLE
from discourse.exceptions import DiscourseError
from discourse.measures.commenters import (COMMENTER_MEASURES, COMMENTER_TABLE_ORDER, CommenterMeasure,
                                           commenter_metrics, commenter_topic_measures)
from discourse.measures.ranking import SCORE_MEASURES, central_commenters
from discourse.model.tree import complete_tree
from discourse.network.graph import build_graph, commenter_edges

ROWS = [("r", None, "Ann", "Root words here."), ("a", "r", "Bo", "A reply."), ("b", "a", "Ann", "Back to you."),
        ("c", "r", "Cy", "Another reply, longer than the rest of them."), ("s", None, "Bo", "Alone.")]


@pytest.fixture(scope="module")
def small():
    comments = complete_tree(pd.DataFrame(ROWS, columns=["comment_id", "parent_id", "author", "text"])
                             .assign(thread_id="t"))
    return comments, build_graph(comments, commenter_edges(comments))


def _longest(inputs):
    lengths = inputs.comments["text"].str.len().groupby(inputs.comments["author"]).max()
    return pd.DataFrame({"longest_comment": lengths.reindex(inputs.nodes, fill_value=0).to_numpy()})


def test_every_registered_column_is_in_the_table_in_the_promised_order(small):
    table = commenter_metrics(*reversed(small))
    registered = {c for m in COMMENTER_MEASURES for c in m.columns}
    assert list(table.columns) == list(COMMENTER_TABLE_ORDER)
    assert set(table.columns) == registered | {"author"}


def test_a_new_measure_is_one_entry_and_its_columns_follow_the_others(small):
    comments, graph = small
    measures = (*COMMENTER_MEASURES, CommenterMeasure("longest comment", _longest, ("longest_comment",)))
    table = commenter_metrics(graph, comments, measures=measures)
    assert list(table.columns) == [*COMMENTER_TABLE_ORDER, "longest_comment"]
    assert dict(zip(table["author"], table["longest_comment"])) == {"Ann": 16, "Bo": 8, "Cy": 44}
    plain = commenter_metrics(graph, comments)
    pd.testing.assert_frame_equal(table.drop(columns="longest_comment"), plain)


def test_a_measure_that_breaks_its_promise_is_named(small):
    comments, graph = small
    wrong = CommenterMeasure("longest comment", _longest, ("longest",))
    with pytest.raises(DiscourseError, match="'longest comment' must give columns \\['longest'\\]"):
        commenter_metrics(graph, comments, measures=(*COMMENTER_MEASURES, wrong))
    short = CommenterMeasure("short", lambda inputs: pd.DataFrame({"x": [1]}), ("x",))
    with pytest.raises(DiscourseError, match="for 3 commenters; got \\['x'\\] for 1 rows"):
        commenter_metrics(graph, comments, measures=(short,))


def test_the_ranking_is_the_registered_ranking_columns_in_order():
    assert SCORE_MEASURES == {"pagerank": "PageRank", "weighted_in_degree": "replies received",
                              "betweenness": "betweenness", "partners": "partners"}
    assert list(SCORE_MEASURES) == [c for m in COMMENTER_MEASURES for c, _ in m.ranking]


def test_topic_measures_wait_for_the_topics_and_are_computed_once(small):
    comments, graph = small
    early = commenter_metrics(graph, comments, topics=False)
    assert "topics" not in early.columns
    with_topics = comments.assign(topic_id=[0, 1, 1, 0, 0])
    late = commenter_topic_measures(graph, with_topics)
    assert list(late.columns) == ["topics"] and late["topics"].tolist() == [2, 2, 1]  # Ann, Bo, Cy
    combined = early.assign(**{c: late[c].to_numpy() for c in late})
    pd.testing.assert_frame_equal(combined, commenter_metrics(graph, with_topics), check_like=False)


def test_central_commenters_read_the_counts_of_the_table_or_count_them(small):
    comments, graph = small
    metrics = commenter_metrics(graph, comments)
    from_table = central_commenters(metrics, comments)
    counted = central_commenters(metrics.drop(columns=["repliers", "reply_subthreads"]), comments)
    pd.testing.assert_frame_equal(from_table, counted)
    assert from_table["author"].tolist()[0] == "Ann"


def test_an_analysis_looks_parents_up_once(monkeypatch):
    from discourse.model import tree, view
    corpus = read_corpus(SAMPLE)
    calls = []

    def counted(original):
        def lookup(ids, parents):
            calls.append(len(ids))
            return original(ids, parents)
        return lookup
    monkeypatch.setattr(view, "parent_positions", counted(view.parent_positions))
    monkeypatch.setattr(tree, "parent_positions", counted(tree.parent_positions))
    analysis = analyze_corpus(corpus)
    assert calls == [len(corpus.comments)] and np.all(analysis.commenters["topics"] >= 1)
