import numpy as np
import pandas as pd
import pytest

from discourse.model import tree as threads
from discourse.exceptions import SchemaError
from discourse.model.tree import complete_tree, parent_positions


def table(ids, parents, **extra):
    return pd.DataFrame({"comment_id": ids, "thread_id": "t", "parent_id": parents,
                         "author": [f"user{i}" for i in range(len(ids))], "text": "words", **extra})


def test_absent_parent_becomes_a_placeholder_before_its_first_reply():
    done = complete_tree(table(["a", "b", "c"], [None, "x", "x"]))
    assert done["comment_id"].tolist() == ["a", "x", "b", "c"]
    x = done.set_index("comment_id").loc["x"]
    assert bool(x["is_placeholder"]) and pd.isna(x["author"]) and x["depth"] == 1
    assert done["subthread_id"].tolist() == ["a", "x", "x", "x"]


def test_depth_and_subthread_follow_parents():
    done = complete_tree(table(["a", "b", "c", "d"], [None, "a", "b", None]))
    assert done["depth"].tolist() == [1, 2, 3, 1]
    assert done["subthread_id"].tolist() == ["a", "a", "a", "d"]


@pytest.mark.parametrize("ids, parents, message", [
    (["a", "b"], ["b", "a"], "reply cycle: "),
    (["a"], ["a"], "names itself as its parent"),
    (["a", "a"], [None, None], "appears more than once"),
])
def test_broken_trees_are_refused(ids, parents, message):
    with pytest.raises(SchemaError, match=message):
        complete_tree(table(ids, parents))


def test_a_chain_ten_thousand_levels_deep_needs_no_recursion():
    n = 10_000
    ids = [f"c{i}" for i in range(n)]
    done = complete_tree(table(ids, [None, *ids[:-1]]))
    assert done["depth"].iloc[-1] == n and (done["subthread_id"] == "c0").all()


def test_flags_read_as_text_are_parsed_not_cast():
    done = complete_tree(table(["a", "b"], [None, "a"], is_placeholder=["False", "True"],
                               is_post_author=["true", "0"]))
    assert done["is_placeholder"].tolist() == [False, True]
    assert done["is_post_author"].tolist() == [True, False]


def test_branch_ids_name_the_depth_two_ancestor_even_when_children_come_first():
    from discourse.model.tree import branch_ids

    # Replies listed before their parents, as some exports do.
    done = complete_tree(table(["d", "c", "b", "a", "e"], ["c", "b", "a", None, "a"]))
    branches = dict(zip(done["comment_id"], branch_ids(done)))
    assert pd.isna(branches["a"])
    assert (branches["b"], branches["c"], branches["d"], branches["e"]) == ("b", "b", "b", "e")


@pytest.mark.parametrize("ids, parents, expected", [
    ([], [], []),
    (["a", "b", "c"], [None, "a", "a"], [-1, 0, 0]),
    (["a", "b", "c"], [None, "zz", pd.NA], [-1, -1, -1]),     # absent and missing parents
    (["a", "b", "c", "d"], ["d", None, "b", "a"], [3, -1, 1, 0]),  # a parent below its reply
])
def test_parent_positions_give_each_parents_row(ids, parents, expected):
    assert parent_positions(ids, parents).tolist() == expected


@pytest.mark.parametrize("block, shuffled", [(1, False), (2, False), (3, False), (8192, False), (1, True), (3, True)])
def test_parent_positions_equal_one_lookup_of_all_ids_whatever_the_blocks(monkeypatch, block, shuffled):
    # Parents near their replies, far above them (many blocks), below them, absent and missing:
    # the blocks only change where an id is looked up first, never the answer.
    rng = np.random.default_rng(block)
    ids = np.array([f"c{i}" for i in rng.permutation(400)], dtype=object)
    parents = np.array([ids[max(0, i - int(rng.integers(1, 4)))] if i % 5 else None for i in range(400)], dtype=object)
    parents[::7] = ids[rng.integers(0, 400, size=len(parents[::7]))]
    parents[::11] = "absent"
    if shuffled:  # rows in no order: most parents far from their replies, so one table is used
        rows = rng.permutation(len(ids))
        ids, parents = ids[rows], parents[rows]
    monkeypatch.setattr(threads, "_PARENT_BLOCK", block)
    expected = pd.Index(ids).get_indexer(parents)
    assert (parent_positions(ids, parents) == expected).all()
