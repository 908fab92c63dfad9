import random

import numpy as np
import pandas as pd
import pytest

from discourse.model.tree import complete_tree
from discourse.model.view import CommentView, comment_view
from reference.view import plain_view


def _as_lists(view):
    return {"ids": list(view.ids), "parent": view.parent.tolist(), "parent_ids": list(view.parent_ids),
            "depth": view.depth.tolist(), "is_placeholder": view.is_placeholder.tolist(),
            "author": view.author.tolist(), "author_names": list(view.author_names),
            "thread": view.thread.tolist(), "thread_names": list(view.thread_names),
            "subthread": view.subthread.tolist(), "subthread_names": list(view.subthread_names),
            "is_real": view.is_real.tolist()}


def _random_table(seed, n):
    """Threads with replies far from and before their parents, absent parents, missing authors,
    and ids that look like numbers."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        thread = f"t{rng.randrange(3)}"
        earlier = [r for r in rows if r["thread_id"] == thread]
        parent = None
        if earlier and rng.random() < 0.7:
            parent = rng.choice(earlier)["comment_id"]
        elif rng.random() < 0.1:
            parent = f"gone{rng.randrange(4)}{thread}"
        rows.append({"comment_id": str(i) if i % 2 else f"c{i}", "thread_id": thread, "parent_id": parent,
                     "author": None if rng.random() < 0.1 else rng.choice(["Ann", "Bo", "0", "Ann "]),
                     "text": "words"})
    rng.shuffle(rows)  # a parent may come after its reply
    return complete_tree(pd.DataFrame(rows))


@pytest.mark.parametrize("seed", range(6))
def test_the_view_agrees_with_a_plain_lookup_by_string_ids(seed):
    table = _random_table(seed, 60)
    assert _as_lists(comment_view(table)) == plain_view(table)


def test_parents_far_away_are_found_beyond_the_lookup_blocks(monkeypatch):
    from discourse.model import tree
    monkeypatch.setattr(tree, "_PARENT_BLOCK", 4)
    table = _random_table(7, 80)
    assert _as_lists(comment_view(table)) == plain_view(table)


def test_a_placeholder_has_no_author_and_is_not_real():
    table = complete_tree(pd.DataFrame({"comment_id": ["a", "b"], "thread_id": "t", "parent_id": [None, "x"],
                                        "author": ["Ann", "Bo"], "text": "hi"}))
    view = comment_view(table)
    assert list(view.ids) == ["a", "x", "b"]
    assert view.author.tolist() == [0, -1, 1] and view.is_real.tolist() == [True, False, True]
    assert view.parent.tolist() == [-1, -1, 1] and view.depth.tolist() == [1, 1, 2]
    assert list(view.author_of(np.array([2, 1]))) == ["Bo", None]


def test_codes_follow_first_appearance_and_names_keep_the_column_dtype():
    table = complete_tree(pd.DataFrame({"comment_id": ["a", "b", "c"], "thread_id": ["t2", "t1", "t2"],
                                        "parent_id": None, "author": ["Bo", "Ann", "Bo"], "text": "hi"}))
    view = comment_view(table)
    assert view.thread.tolist() == [0, 1, 0] and list(view.thread_names) == ["t2", "t1"]
    assert view.thread_names.dtype == table["thread_id"].dtype
    assert view.subthread_names.dtype == table["subthread_id"].dtype
    assert view.id_index.get_indexer(["c", "a", "zz"]).tolist() == [2, 0, -1]


def test_an_empty_table_gives_an_empty_view():
    table = complete_tree(pd.DataFrame({"comment_id": [], "thread_id": [], "parent_id": [], "author": [],
                                        "text": []}))
    view = comment_view(table)
    assert isinstance(view, CommentView) and len(view) == 0 and view.parent.tolist() == []
    assert view.is_real.tolist() == [] and len(view.author_names) == 0


def test_the_view_is_frozen():
    view = comment_view(_random_table(1, 5))
    with pytest.raises(AttributeError):
        view.parent = None


@pytest.mark.parametrize("module", ["discourse.model.view", "discourse.model.tree", "discourse.model.schema"])
def test_the_docstring_examples_run(module):
    import doctest
    import importlib
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
