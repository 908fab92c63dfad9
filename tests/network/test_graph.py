"""Commenter edges (reply, mention, quote, post) and the graph built from them."""

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from discourse import read_corpus
from discourse.exceptions import DiscourseError
from discourse.network.graph import EDGE_TABLE_COLUMNS, build_graph, commenter_edges, inferred_authors
from discourse.model.tree import complete_tree
from shared_data import SEED


def comments_of(rows, thread_id="t", created=None, placeholders=()):
    """A completed comments table from (comment_id, parent_id, author, text) rows."""
    table = pd.DataFrame(rows, columns=["comment_id", "parent_id", "author", "text"]).assign(thread_id=thread_id)
    table["is_placeholder"] = table["comment_id"].isin(placeholders)
    if created is not None:
        table["created_at"] = pd.to_datetime(created, utc=True)
    return complete_tree(table)


def edge_set(edges, kind, inferred=None):
    rows = edges[edges["kind"] == kind]
    if inferred is not None:
        rows = rows[rows["inferred"] == inferred]
    return {(r.source, r.target): r.weight for r in rows.itertuples()}


# -- replies -------------------------------------------------------------------------------------

REPLIES = [
    ("a1", None, "Ann", "Opening remarks about the budget."),
    ("b1", "a1", "Bob", "I disagree."),
    ("a2", "b1", "Ann", "Why?"),
    ("c1", "a1", "Cy", "Agreed."),
    ("b2", "a1", "Bob", "Also, the numbers."),
    ("a3", "a2", "Ann", "Answering myself."),
]


def test_reply_edges_weights_ids_and_order():
    edges = commenter_edges(comments_of(REPLIES), kinds=("reply",))
    assert list(edges.columns) == EDGE_TABLE_COLUMNS
    rows = [(r.source, r.target, r.weight, r.comment_ids, r.target_comment_ids) for r in edges.itertuples()]
    assert rows == [
        ("Ann", "Ann", 1, "a3", "a2"),         # self-reply kept, counted
        ("Ann", "Bob", 1, "a2", "b1"),
        ("Bob", "Ann", 2, "b1;b2", "a1"),
        ("Cy", "Ann", 1, "c1", "a1"),
    ]
    assert not edges["inferred"].any()
    assert set(edges["thread_ids"]) == {"t"}


def test_no_reply_edge_to_a_placeholder_without_an_addressee():
    comments = comments_of([("a1", None, "Ann", "Hi"), ("b1", "gone", "Bob", "Indeed so."),
                            ("c1", "gone", "Cy", "I see it differently.")])
    assert comments["is_placeholder"].sum() == 1
    edges = commenter_edges(comments)
    assert edges.empty
    assert inferred_authors(comments) == {}


def test_addressed_missing_parent_gives_inferred_replies_only():
    comments = comments_of([
        ("a1", None, "Ann", "The plan is sound."),
        ("b1", "a1", "The Rev Kev", "It is not."),
        ("gone", "a1", None, ""),                                    # a missing reply to Ann
        ("c1", "gone", "Cy", "Rev Kev: He came out and said so."),
        ("d1", "gone", "Dee", "Another answer to the same missing comment."),
    ], placeholders=["gone"])
    edges = commenter_edges(comments, kinds=("reply",))
    assert edge_set(edges, "reply", inferred=False) == {("The Rev Kev", "Ann"): 1}
    inferred = edges[edges["inferred"]]
    assert {(r.source, r.target, r.comment_ids) for r in inferred.itertuples()} == {
        ("Cy", "The Rev Kev", "c1"), ("Dee", "The Rev Kev", "d1"),
        ("The Rev Kev", "Ann", "gone"),  # the missing comment itself answered Ann
    }
    assert inferred_authors(comments) == {"gone": "The Rev Kev"}


def test_conflicting_addressees_infer_only_each_addressing_reply():
    comments = comments_of([
        ("a1", None, "Ann", "Start."), ("b1", "a1", "Bob", "Reply."),
        ("c1", "gone", "Cy", "Ann: no."), ("d1", "gone", "Dee", "@Bob yes."), ("e1", "gone", "Eve", "Hmm."),
    ])
    edges = commenter_edges(comments, kinds=("reply",))
    assert edge_set(edges, "reply", inferred=True) == {("Cy", "Ann"): 1, ("Dee", "Bob"): 1}
    assert inferred_authors(comments) == {}


# -- mentions ------------------------------------------------------------------------------------

def mentions(rows):
    return edge_set(commenter_edges(comments_of(rows), kinds=("mention",)), "mention")


def test_mentions_by_address_and_by_name_with_variants():
    found = mentions([
        ("k1", None, "The Rev Kev", "Opening."),
        ("y1", None, "Yves Smith", "Post-like note."),
        ("u1", None, "Aurelien", "A long essay."),
        ("m1", None, "Mike", "As Rev Kev said, and Aurelien's point stands."),   # 'The' dropped, possessive
        ("m2", None, "Mike", "Yves: thanks for this."),                          # first name, addressed
        ("m3", None, "Mike", "Yves might disagree."),                            # first name, not addressed
        ("m4", None, "Mike", "Aurelian predicted it."),                          # one-letter misspelling
    ])
    assert found == {("Mike", "The Rev Kev"): 1, ("Mike", "Aurelien"): 2, ("Mike", "Yves Smith"): 1}


def test_short_and_common_word_names_only_when_addressed():
    found = mentions([
        ("e1", None, "eg", "First."), ("r1", None, "Random", "Second."), ("w1", None, "Who Cares", "Third."),
        ("n1", None, "Nick", "Fourth."), ("t1", None, "Truth", "Fifth."), ("g1", None, "Grace", "Sixth."),
        ("x5", None, "Xan", "Grace is overrated, and by the grace of luck we got here."),  # used in lower case
        ("x1", None, "Xan", "e.g. this, eg that; a random walk; who cares anyway. Nickel prices rose."),
        ("x0", None, "Xan", "Truth is, nobody knows."),                   # a common word, capitalised
        ("x2", None, "Xan", "eg: you are right"),
        ("x3", None, "Xan", "I agree with @random here"),
        ("x4", None, "Xan", "As Who Cares wrote, and Nick too."),
    ])
    assert found == {("Xan", "eg"): 1, ("Xan", "Random"): 1, ("Xan", "Who Cares"): 1, ("Xan", "Nick"): 1}


def test_mentions_are_per_thread_and_never_of_oneself():
    comments = pd.concat([
        comments_of([("a1", None, "Anselm", "Hello."), ("b1", None, "Bertrand", "Anselm is right. Bertrand here.")],
                    thread_id="t1"),
        comments_of([("c1", None, "Cyprian", "Anselm would know.")], thread_id="t2"),
    ], ignore_index=True)
    edges = commenter_edges(comments, kinds=("mention",))
    assert edge_set(edges, "mention") == {("Bertrand", "Anselm"): 1}
    assert edges["inferred"].all()


# -- quotes --------------------------------------------------------------------------------------

SENTENCE = "No matter which way I look, I see no peace for Russia to win."


def test_quote_of_an_earlier_sentence_and_of_a_fragment():
    edges = commenter_edges(comments_of([
        ("t1", None, "timbers", SENTENCE + " The Europeans are insane."),
        ("m1", "t1", "Michaelmas", "timbers: " + SENTENCE.upper() + "\n\nSure."),  # case and prefix ignored
        ("k1", None, "Kev", "Elsewhere: I see no peace for Russia to win, they said, again."),  # 8-word run
        ("s1", None, "Sam", "Short one here."),
    ]))
    assert edge_set(edges, "quote") == {("Michaelmas", "timbers"): 1, ("Kev", "timbers"): 1}
    quote = edges[(edges["kind"] == "quote") & (edges["source"] == "Michaelmas")].iloc[0]
    assert quote["target_comment_ids"] == "t1" and quote["inferred"]
    assert edge_set(edges, "mention") == {("Michaelmas", "timbers"): 1}
    assert edge_set(edges, "reply") == {("Michaelmas", "timbers"): 1}


def test_quoting_the_article_links_nobody_and_short_sentences_need_40_characters():
    article = "“it’s extremely cheeky to demand territory you have not yet taken”"
    edges = commenter_edges(comments_of([
        ("v1", None, "vao", article + "\n\nBut that would not be new."),
        ("w1", None, "Wes", "Indeed " + article.strip("“”") + " is what they said."),
        ("x1", None, "Xia", "Unprecedentedly extraordinary circumstances happened yesterday."),  # 5 words, 61 chars
        ("y1", None, "Yan", "Well: unprecedentedly extraordinary circumstances happened yesterday!"),
        ("z1", None, "Zed", "It was a fine day."),
        ("q1", None, "Quo", "it was a fine day."),   # 5 words but < 40 characters: not a quote
    ]), kinds=("quote",))
    assert edge_set(edges, "quote") == {("Yan", "Xia"): 1}


def test_quote_direction_follows_time_when_every_comment_has_one():
    rows = [("a1", None, "Ann", SENTENCE), ("b1", None, "Bob", "He wrote: " + SENTENCE)]
    by_source = commenter_edges(comments_of(rows), kinds=("quote",))
    by_time = commenter_edges(comments_of(rows, created=["2024-01-02", "2024-01-01"]), kinds=("quote",))
    assert edge_set(by_source, "quote") == {("Bob", "Ann"): 1}
    assert edge_set(by_time, "quote") == {("Ann", "Bob"): 1}


# -- post edges and options ----------------------------------------------------------------------

def test_post_author_edges_only_when_asked():
    comments = comments_of(REPLIES + [("p1", None, "Poe", "Author's own top-level note.")])
    assert "post" not in set(commenter_edges(comments)["kind"])
    edges = commenter_edges(comments, post_author_edges=True, threads={"t": "Poe"})
    assert edge_set(edges, "post") == {("Ann", "Poe"): 1}
    flagged = comments.assign(is_post_author=comments["author"] == "Poe")
    assert edge_set(commenter_edges(flagged, post_author_edges=True), "post") == {("Ann", "Poe"): 1}


def test_unknown_kind_is_refused():
    with pytest.raises(DiscourseError, match="kinds must be"):
        commenter_edges(comments_of(REPLIES), kinds=("replies",))
    with pytest.raises(DiscourseError, match="edge_kinds must be"):
        build_graph(comments_of(REPLIES), commenter_edges(comments_of(REPLIES)), edge_kinds=("bogus",))


# -- graph ---------------------------------------------------------------------------------------

GRAPH_ROWS = REPLIES + [("d1", None, "Dee", "@Bob is wrong about the budget entirely."), ("e1", "d1", "Bob", "No.")]


def test_graph_nodes_in_first_comment_order_with_counts():
    comments = comments_of(GRAPH_ROWS)
    graph = build_graph(comments, commenter_edges(comments))
    assert list(graph.nodes(data="comments")) == [("Ann", 3), ("Bob", 3), ("Cy", 1), ("Dee", 1)]
    assert graph.graph["edge_kinds"] == "reply"
    assert graph.has_edge("Ann", "Ann")  # self-loop kept for users, left out of the metrics
    assert not graph.has_edge("Dee", "Bob")  # a mention only: not a reply-graph edge


def test_graph_aggregates_chosen_kinds():
    comments = comments_of(GRAPH_ROWS)
    edges = commenter_edges(comments)
    graph = build_graph(comments, edges, edge_kinds=("reply", "mention"), include_self_loops=False)
    assert not graph.has_edge("Ann", "Ann")
    mention_only = graph["Dee"]["Bob"]
    assert mention_only == {"weight": 1, "kind": "mention", "inferred": True, "inferred_weight": 1,
                            "reply_weight": 0, "mention_weight": 1, "comment_ids": "d1", "thread_ids": "t"}
    both = build_graph(comments, edges.assign(kind=edges["kind"].replace("mention", "reply")),
                       edge_kinds=("reply",))
    assert both["Dee"]["Bob"]["inferred"]  # all contributing rows inferred
    assert graph["Bob"]["Ann"]["weight"] == 2 and graph["Bob"]["Ann"]["kind"] == "reply"
    assert not graph["Bob"]["Ann"]["inferred"]


def test_graph_reply_and_mention_of_the_same_pair():
    comments = comments_of([("a1", None, "Anselm", "Start."), ("b1", "a1", "Bertrand", "Anselm: no.")])
    graph = build_graph(comments, commenter_edges(comments), edge_kinds=("reply", "mention"))
    data = graph["Bertrand"]["Anselm"]
    assert (data["weight"], data["kind"], data["inferred"], data["comment_ids"]) == (2, "reply;mention", False, "b1")
    explicit_only = build_graph(comments, commenter_edges(comments), edge_kinds=("mention",), include_inferred=False)
    assert explicit_only.number_of_edges() == 0


# -- the seed thread -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed():
    if not SEED.is_file():
        pytest.skip("../shared/seeds is not available")
    comments = read_corpus(SEED).comments
    return comments, commenter_edges(comments)


def test_seed_explicit_replies_are_exactly_the_tree(seed):
    comments, edges = seed
    real = comments[~comments["is_placeholder"]].set_index("comment_id")
    expected = {}
    for child in real.itertuples():
        if not pd.isna(child.parent_id) and child.parent_id in real.index:
            pair = (child.author, real.at[child.parent_id, "author"])
            expected[pair] = expected.get(pair, 0) + 1
    explicit = edge_set(edges, "reply", inferred=False)
    assert explicit == expected
    assert len(explicit) == 42 and sum(explicit.values()) == 42
    placeholders = set(comments.loc[comments["is_placeholder"], "comment_id"])
    explicit_rows = edges[(edges["kind"] == "reply") & ~edges["inferred"]]
    assert not set(";".join(explicit_rows["target_comment_ids"]).split(";")) & placeholders
    graph = build_graph(comments, edges)
    assert graph.number_of_nodes() == 44


def test_seed_inferred_reply_to_the_rev_kev(seed):
    _, edges = seed
    row = edges[(edges["kind"] == "reply") & (edges["source"] == "Michaelmas") & (edges["target"] == "The Rev Kev")]
    assert len(row) == 1
    assert bool(row["inferred"].iloc[0]) and row["comment_ids"].iloc[0] == "c37"
    assert row["target_comment_ids"].iloc[0] == "missing5"


def test_seed_mentions_and_quotes(seed):
    _, edges = seed
    assert {("Michaelmas", "timbers"), ("Michaelmas", "The Rev Kev")} <= set(edge_set(edges, "mention"))
    quotes = edge_set(edges, "quote")
    assert ("Michaelmas", "timbers") in quotes and ("Mikel", "Aurelien") in quotes
    assert not any(target == "vao" or source == "vao" for source, target in quotes)
    for name in ("eg", "hk", "tim"):  # short names: nobody addresses them, so no mention
        assert name not in {target for _, target in edge_set(edges, "mention")}


def test_seed_edges_are_deterministic(seed):
    comments, edges = seed
    pd.testing.assert_frame_equal(edges, commenter_edges(comments))


def test_seed_graph_is_what_add_edges_from_builds(seed):
    # The adjacency is filled node by node: each node's successors and predecessors must come
    # in the order networkx gives when the pairs are added one by one, in order of first row.
    comments, edges = seed
    kinds = ("quote", "reply", "mention")
    graph = build_graph(comments, edges, edge_kinds=kinds)
    rank = edges["kind"].map({"reply": 0, "mention": 1, "quote": 2})
    chosen = edges[rank.notna()].assign(_rank=rank).sort_values("_rank", kind="stable")
    pairs = list(dict.fromkeys(zip(chosen["source"], chosen["target"])))
    reference = nx.DiGraph(**graph.graph)
    reference.add_nodes_from(graph.nodes(data=True))
    reference.add_edges_from((u, v, graph[u][v]) for u, v in pairs)
    assert len(pairs) == graph.number_of_edges() > 40
    for view in ("succ", "pred"):
        assert [list(getattr(graph, view)[n].items()) for n in graph] == \
            [list(getattr(reference, view)[n].items()) for n in reference]


def test_graph_keeps_the_invariants_add_edges_from_keeps():
    # build_graph writes networkx's adjacency dicts itself (twice as fast as add_edges_from at
    # 1e5 and 1e6 edges, measured): one attribute dict per edge shared by succ and pred, and
    # networkx's cache of backend conversions cleared, as add_edges_from leaves them.
    import numpy as np
    from discourse.network.graph import _add_edges
    comments = comments_of(REPLIES)
    graph = build_graph(comments, commenter_edges(comments))
    assert graph.number_of_edges() > 2
    for u, v, data in graph.edges(data=True):
        assert graph.pred[v][u] is data
    fresh = nx.DiGraph()
    fresh.add_nodes_from(["a", "b"])
    fresh.__networkx_cache__["backends"] = {"stale": True}
    _add_edges(fresh, (np.array(["a"], dtype=object), np.array(["b"], dtype=object)), (np.array([0]), np.array([1])),
               {"weight": [3]})
    assert fresh.__networkx_cache__ == {} and dict(fresh.adj) == {"a": {"b": {"weight": 3}}, "b": {}}
    assert fresh.pred["b"]["a"] is fresh["a"]["b"] and list(fresh.in_edges("b")) == [("a", "b")]


@pytest.mark.parametrize("kind", [nx.DiGraph, nx.MultiDiGraph, nx.Graph])
def test_graph_arrays_follow_graph_edges_order_for_every_kind_of_graph(kind):
    from discourse.network.graph import graph_arrays
    graph = kind()
    graph.add_nodes_from(["z", ("t", 1), "a"])
    graph.add_edge("a", "z", weight=2, comment_ids="c1;c2")
    graph.add_edge("z", ("t", 1))
    graph.add_edge("a", "a", weight=5)
    nodes, source, target, values = graph_arrays(graph, weight=1, comment_ids="")
    assert nodes == list(graph)
    assert [(nodes[s], nodes[t]) for s, t in zip(source, target)] == [(u, v) for u, v in graph.edges()]
    assert values["weight"] == [d.get("weight", 1) for *_, d in graph.edges(data=True)]
    assert values["comment_ids"] == [d.get("comment_ids", "") for *_, d in graph.edges(data=True)]
    assert source.dtype == target.dtype == np.int64


def test_graph_arrays_of_a_graph_whose_adjacency_order_was_edited():
    from discourse.network.graph import graph_arrays
    graph = nx.DiGraph([("a", "b"), ("b", "c")])
    graph._adj = dict(reversed(list(graph._adj.items())))  # networkx keeps _succ and _adj one dict
    nodes, source, target, _ = graph_arrays(graph)
    assert sorted((nodes[s], nodes[t]) for s, t in zip(source, target)) == [("a", "b"), ("b", "c")]


def test_edge_records_name_comments_by_their_rows():
    from discourse.network.graph import RECORD_COLUMNS, edge_records

    comments = comments_of([
        ("a1", None, "Ann", "The levee held through the storm although the pumps failed at noon."),
        ("gone", "a1", None, ""),
        ("c1", "gone", "Cy", "@Ann: no. The levee held through the storm although the pumps failed at noon."),
        ("b1", "a1", "Bob", "Cy, you are wrong."),
    ], placeholders=["gone"])
    records = edge_records(comments)
    assert list(records.columns) == RECORD_COLUMNS
    assert records["comment_row"].dtype == np.int64 and records["target_row"].dtype == np.int64
    ids = comments["comment_id"].tolist()
    found = {(r.source, r.target, r.kind, r.inferred, ids[r.comment_row], ids[r.target_row] if r.target_row >= 0 else None)
             for r in records.itertuples()}
    assert found == {
        ("Bob", "Ann", "reply", False, "b1", "a1"),       # an explicit reply: the comment answered
        ("Cy", "Ann", "reply", True, "c1", "gone"),       # addressing a missing comment's author
        ("Cy", "Ann", "mention", True, "c1", None),       # (the missing comment, Ann's, answering Ann: no edge)
        ("Bob", "Cy", "mention", True, "b1", None),
        ("Cy", "Ann", "quote", True, "c1", "a1"),         # the comment quoted
    }


@pytest.mark.parametrize("kinds", [("reply",), ("reply", "mention", "quote"), ("mention", "quote", "post")])
def test_edge_comment_rows_list_what_the_graphs_comment_ids_list(kinds):
    """The integer rows behind each edge, taken from the records, are the comments its joined
    ``comment_ids`` text names, in the same order (seed thread: replies, inferred replies from
    placeholders, mentions, quotes; post edges from flagged comments)."""
    from discourse.model.view import comment_view
    from discourse.network.graph import (aggregate_edges, edge_comment_ids, edge_comment_rows, edge_records,
                                         graph_arrays)
    if not SEED.exists():
        pytest.skip("../shared is not here")
    comments = read_corpus(SEED).comments
    view = comment_view(comments)
    records = edge_records(comments, post_author_edges=True, view=view)
    graph = build_graph(comments, aggregate_edges(records, view), edge_kinds=kinds)
    nodes, source, target, values = graph_arrays(graph, comment_ids="")
    edge, rows = edge_comment_rows(nodes, source, target, records, kinds)
    listed_edge, ids = edge_comment_ids(values["comment_ids"])
    assert len(rows) > 0 and rows.dtype == np.int64
    assert edge.tolist() == listed_edge.tolist()
    assert view.ids[rows].tolist() == ids


def test_edge_comment_ids_read_texts_lists_and_other_values():
    from discourse.network.graph import edge_comment_ids
    edge, ids = edge_comment_ids(["c1;c2", "", "c3"])
    assert edge.tolist() == [0, 0, 2] and ids == ["c1", "c2", "c3"]
    edge, ids = edge_comment_ids([["c1", 7], None, 5, float("nan"), "a;;b"])
    assert edge.tolist() == [0, 0, 2, 4, 4] and ids == ["c1", "7", "5", "a", "b"]


def test_edge_comment_rows_order_kinds_and_inferred_as_the_graph_lists_them():
    """Records in any order: each edge's rows come as build_graph lists its comment ids (reply
    before mention before quote, explicit before inferred, then record order), each row once."""
    from discourse.model.view import comment_view
    from discourse.network.graph import aggregate_edges, edge_comment_ids, edge_comment_rows, graph_arrays
    comments = comments_of([("c0", None, "Ann", "x"), ("c1", None, "Ann", "y"), ("c2", None, "Ann", "z"),
                            ("c3", None, "Ann", "w"), ("c4", None, "Bob", "v")])
    view = comment_view(comments)
    records = pd.DataFrame({"source": ["Ann", "Ann", "Ann", "Ann", "Ann", "Bob", "Ann"],
                            "target": ["Bob", "Bob", "Bob", "Bob", "Bob", "Ann", "Bob"],
                            "kind": ["quote", "mention", "reply", "reply", "reply", "reply", "reply"],
                            "inferred": [True, True, True, False, False, False, False],
                            "comment_row": [3, 2, 1, 0, 0, 4, 2], "target_row": [-1] * 7})
    kinds = ("reply", "mention", "quote")
    graph = build_graph(comments, aggregate_edges(records, view), edge_kinds=kinds)
    nodes, source, target, values = graph_arrays(graph, comment_ids="")
    edge, rows = edge_comment_rows(nodes, source, target, records, kinds)
    listed_edge, ids = edge_comment_ids(values["comment_ids"])
    assert [(nodes[source[e]], view.ids[r]) for e, r in zip(edge, rows)] == \
        [("Ann", "c0"), ("Ann", "c2"), ("Ann", "c1"), ("Ann", "c3"), ("Bob", "c4")]
    assert edge.tolist() == listed_edge.tolist() and view.ids[rows].tolist() == ids
    edge, rows = edge_comment_rows(nodes, source, target, records, ("reply",))  # only the reply records
    assert view.ids[rows].tolist() == ["c0", "c2", "c1", "c4"]
