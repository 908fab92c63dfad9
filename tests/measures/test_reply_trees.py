"""Reply-tree arrays: linear whatever the depth, and what the plain reading gives."""

import json
import random
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from discourse.cli import main
from discourse.measures import reply_trees
from discourse.model.tree import climb
from reference.reply_trees import plain_tree_arrays


def random_forest(rng, n):
    """(parent, depth): chains, bushes and a mix, rows shuffled so parents may come after replies."""
    parent, depth = [-1] * n, [1] * n
    shape = rng.choice(["chain", "bush", "mixed"])
    for i in range(1, n):
        if rng.random() < 0.05:
            continue  # a new subthread
        if shape == "chain" or (shape == "mixed" and rng.random() < 0.7):
            parent[i] = i - 1
        else:
            parent[i] = rng.randrange(i)
        depth[i] = depth[parent[i]] + 1
    order = list(range(n))
    rng.shuffle(order)
    row = {old: new for new, old in enumerate(order)}
    return ([row[parent[old]] if parent[old] >= 0 else -1 for old in order], [depth[old] for old in order])


@pytest.mark.parametrize("narrow", [1, 3, 64])
@pytest.mark.parametrize("seed", range(6))
def test_tree_arrays_are_those_of_the_plain_reading(seed, narrow, monkeypatch):
    # narrow=1 takes every level as one array step, 64 nearly all comment by comment, 3 a mix of both
    monkeypatch.setattr(reply_trees, "_NARROW_LEVEL", narrow)
    rng = random.Random(seed)
    for _ in range(40):
        n = rng.randrange(0, 200)
        parent, depth = random_forest(rng, n)
        authors = [rng.randrange(-1, rng.randrange(1, 4)) for _ in range(n)]  # few authors: long exchanges
        placeholder = [rng.random() < 0.1 for _ in range(n)]
        view = SimpleNamespace(parent=np.array(parent, dtype=np.intp), depth=np.array(depth, dtype=np.int64),
                               author=np.array(authors, dtype=np.intp), is_placeholder=np.array(placeholder, dtype=bool))
        got = reply_trees._tree_arrays(view)
        assert [a.tolist() for a in got] == [list(a) for a in plain_tree_arrays(parent, authors, placeholder)]


def test_climb_stops_where_up_is_false_or_at_the_top():
    parent = np.array([-1, 0, 1, 2, 3, -1, 5])
    top, steps = climb(parent, np.array([True, True, True, False, True, True, True]))
    assert top.tolist() == [0, 0, 0, 3, 3, 5, 5] and steps.tolist() == [0, 1, 2, 0, 1, 0, 1]
    top, steps = climb(np.zeros(0, dtype=np.intp), np.zeros(0, dtype=bool))
    assert top.tolist() == [] and steps.tolist() == []


def test_a_deep_firebase_chain_of_two_people_is_one_long_exchange(tmp_path):
    # ann and bob answer each other 3,000 replies deep: one subthread, a path of 3,000 comments.
    depth = 3000
    items = [{"id": 0, "type": "story", "by": "op", "time": 1, "title": "Deep", "kids": [1], "descendants": depth}]
    items += [{"id": i, "type": "comment", "by": ["ann", "bob"][i % 2], "time": i + 1, "parent": i - 1,
               "kids": [i + 1] if i < depth else [], "text": f"point {i} about the levee"} for i in range(1, depth + 1)]
    path = tmp_path / "chain.jsonl"
    path.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")
    assert main(["analyze", str(path), "-o", str(tmp_path / "out"), "-q"]) == 0
    subthreads = pd.read_csv(tmp_path / "out" / "subthreads.csv")
    top = subthreads[subthreads["level"] == 1].iloc[0]
    assert (top["comments"], top["participants"], top["max_depth"], top["width"]) == (depth, 2, depth, 1)
    assert top["longest_exchange"] == depth and top["longest_exchange_between"] == "bob <-> ann"
    # A path of n comments: Wiener index n(n^2 - 1)/6 over n(n - 1)/2 pairs = (n + 1)/3.
    assert top["structural_virality"] == pytest.approx((depth + 1) / 3)
    branch = subthreads[subthreads["level"] == 2]
    assert branch["root_comment_id"].tolist() == [2] and branch["comments"].tolist() == [depth - 1]
    replies = pd.read_csv(tmp_path / "out" / "replies.csv")
    weights = replies[replies["kind"] == "reply"].set_index(["source", "target"])["weight"].to_dict()
    assert weights == {("ann", "bob"): depth // 2, ("bob", "ann"): depth // 2 - 1}
    commenters = pd.read_csv(tmp_path / "out" / "commenters.csv").set_index("author")
    assert commenters.loc[["ann", "bob"], "comments"].tolist() == [depth // 2, depth // 2]


def test_group_metrics_and_timeline_are_the_same_from_records_as_from_the_graphs_comment_ids():
    """The pipeline hands the edge records on (the comments behind each edge as rows); a graph
    alone gives them through its comment_ids: both ways give the same tables and timeline."""
    from discourse import read_corpus
    from discourse.measures.groups import group_metrics
    from discourse.model.view import comment_view
    from discourse.network.graph import aggregate_edges, build_graph, edge_records
    from discourse.network.timeline import first_times
    from shared_data import SEED
    if not SEED.exists():
        pytest.skip("../shared is not here")
    comments = read_corpus(SEED).comments
    view = comment_view(comments)
    records = edge_records(comments, view=view)
    graph = build_graph(comments, aggregate_edges(records, view), edge_kinds=("reply", "mention", "quote"),
                        include_self_loops=False)
    from_records = group_metrics(comments, graph, view=view, records=records)
    from_graph = group_metrics(comments, graph, view=view)
    for mine, theirs in zip(from_records, from_graph):
        pd.testing.assert_frame_equal(mine, theirs)
    assert from_records[1]["reciprocity"].notna().any()
    assert first_times(comments, graph, records) == first_times(comments, graph)
