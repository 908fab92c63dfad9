"""Commenter, subthread and thread metrics; ranking; stability.  Hand-computed values on tiny
tables, an independent implementation (networkx; python-igraph) on generated graphs, the seed."""

import random

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import discourse.measures.stability as stability_module

from discourse import read_corpus
from discourse.measures import centrality
from discourse.measures import pivots
from discourse.measures.centrality import EdgeArrays, metric_graph, node_measures
from discourse.exceptions import DiscourseError
from discourse.network.graph import build_graph, commenter_edges, edge_records
from discourse.measures.commenters import commenter_metrics
from discourse.measures.groups import group_metrics, subthread_metrics, thread_metrics
from discourse.measures.ranking import SCORE_MEASURES, central_commenters
from discourse.measures.stability import top_stability
from discourse.model.tree import complete_tree
from shared_data import SEED


def comments_of(rows, thread_id="t", placeholders=()):
    table = pd.DataFrame(rows, columns=["comment_id", "parent_id", "author", "text"]).assign(thread_id=thread_id)
    table["is_placeholder"] = table["comment_id"].isin(placeholders)
    return complete_tree(table)


# Subthread r: A and B alternate five times; C answers A then himself; D answers A.  Subthread s: E alone.
#   r(A) ─ x1(B) ─ x2(A) ─ x3(B) ─ x4(A)
#        ├ y1(C) ─ y2(C)
#        └ z1(D)
#   s(E)
TREE = [("r", None, "A", "Root."), ("x1", "r", "B", "b"), ("x2", "x1", "A", "a"), ("x3", "x2", "B", "b"),
        ("x4", "x3", "A", "a"), ("y1", "r", "C", "c"), ("y2", "y1", "C", "c again"), ("z1", "r", "D", "d"),
        ("s", None, "E", "Alone.")]


@pytest.fixture(scope="module")
def tree():
    comments = comments_of(TREE)
    graph = build_graph(comments, commenter_edges(comments))
    return comments, graph


# -- tree measures (hand-computed) ---------------------------------------------------------------

def test_subthread_measures_by_hand(tree):
    comments, graph = tree
    table = subthread_metrics(comments, graph).set_index("subthread_id")
    r = table.loc["r"]
    # levels 1..5 hold 1, 3, 2, 1, 1 comments: width 3, h-index 2 (level 3 has 2 < 3)
    assert (r["comments"], r["participants"], r["max_depth"], r["width"], r["h_index"]) == (8, 4, 5, 3, 2)
    # subtree sizes below the root: x1 4, x2 3, x3 2, x4 1, y1 2, y2 1, z1 1; sum of s(8-s) = 76 over 28 pairs
    assert r["structural_virality"] == pytest.approx(76 / 28)
    # pairs B->A, A->B, C->A, D->A (C->C is a self-loop): 2 of 4 reciprocated
    assert r["reciprocity"] == pytest.approx(0.5)
    assert (r["longest_exchange"], r["longest_exchange_between"]) == (5, "A <-> B")
    assert r["root_author"] == "A" and r["root_comment_id"] == "r"
    s = table.loc["s"]
    assert (s["comments"], s["max_depth"], s["width"], s["h_index"], s["structural_virality"],
            s["longest_exchange"], s["longest_exchange_between"], s["reciprocity"]) == (1, 1, 1, 1, 0.0, 0, "", 0.0)
    assert list(table.index) == ["r", "s"]


def test_structural_virality_matches_mean_tree_distance(tree):
    comments, _ = tree
    part = comments[comments["subthread_id"] == "r"]
    tree_graph = nx.Graph(list(zip(part["comment_id"], part["parent_id"]))[1:])
    expected = nx.average_shortest_path_length(tree_graph)
    assert subthread_metrics(comments).set_index("subthread_id").at["r", "structural_virality"] == pytest.approx(expected)


def test_thread_measures_by_hand(tree):
    comments, graph = tree
    row = thread_metrics(comments, graph).iloc[0]
    # with the post as root: 10 nodes, sizes r 8, x1 4, x2 3, x3 2, x4 1, y1 2, y2 1, z1 1, s 1 -> 129 / 45
    assert row["structural_virality"] == pytest.approx(129 / 45)
    assert (row["subthreads"], row["comments"], row["participants"], row["width"], row["h_index"]) == (2, 9, 5, 3, 2)
    assert (row["longest_exchange"], row["reciprocity"]) == (5, pytest.approx(0.5))
    # communities on the undirected projection, compared with networkx's modularity of the same partition
    membership = commenter_metrics(graph, comments).set_index("author")["community"]
    projection = nx.Graph()
    for u, v, w in metric_graph(graph).edges(data="weight"):
        projection.add_edge(u, v, weight=projection.get_edge_data(u, v, {"weight": 0})["weight"] + w)
    parts = [set(group.index) & set(projection) for _, group in membership.groupby(membership)]
    assert row["modularity"] == pytest.approx(nx.community.modularity(projection, [p for p in parts if p]))


def test_threads_get_their_own_rows_and_modularity(tree):
    first, _ = tree
    second = comments_of([("p", None, "A", "x"), ("q", "p", "F", "y"), ("u", "q", "A", "z")], thread_id="u")
    comments = pd.concat([first, second], ignore_index=True)
    graph = build_graph(comments, commenter_edges(comments))
    table = thread_metrics(comments, graph).set_index("thread_id")
    assert list(table.index) == ["t", "u"]
    assert (table.at["u", "comments"], table.at["u", "participants"], table.at["u", "longest_exchange"]) == (3, 2, 3)
    labels = commenter_metrics(graph, comments).set_index("author")["community"]
    sub = nx.Graph([("A", "F")])
    sub["A"]["F"]["weight"] = 2  # F -> A and A -> F, one comment each
    parts = [set(group.index) & {"A", "F"} for _, group in labels.groupby(labels)]
    assert table.at["u", "modularity"] == pytest.approx(nx.community.modularity(sub, [p for p in parts if p]))
    assert len(subthread_metrics(comments, graph)) == 3


def test_h_index_needs_every_level_up_to_h():
    # levels hold 1, 1, 3 comments: level 3 has 3 comments, but level 2 fails first, so h = 1
    comments = comments_of([("r", None, "A", "x"), ("a", "r", "B", "y"), ("b1", "a", "C", "z"),
                            ("b2", "a", "D", "z"), ("b3", "a", "E", "z")])
    row = subthread_metrics(comments).iloc[0]
    assert (row["h_index"], row["width"], row["max_depth"]) == (1, 3, 3)


def test_thread_metrics_without_a_graph_uses_explicit_replies(tree):
    comments, graph = tree
    alone = thread_metrics(comments).drop(columns="modularity")
    pd.testing.assert_frame_equal(alone, thread_metrics(comments, graph).drop(columns="modularity"))


def test_a_third_person_starts_a_new_exchange():
    comments = comments_of([("r", None, "A", "x"), ("b", "r", "B", "y"), ("c", "b", "C", "z"), ("d", "c", "B", "w")])
    row = subthread_metrics(comments).iloc[0]
    assert (row["longest_exchange"], row["longest_exchange_between"]) == (3, "B <-> C")


def test_placeholders_count_in_structure_not_in_people():
    comments = comments_of([("r", None, "A", "x"), ("gone", "r", None, ""), ("c", "gone", "B", "y")],
                           placeholders=["gone"])
    row = subthread_metrics(comments).iloc[0]
    assert (row["comments"], row["placeholders"], row["participants"], row["max_depth"]) == (2, 1, 2, 3)
    assert row["longest_exchange"] == 0  # a placeholder breaks the chain


def random_forest(seed, n=60):
    """Comments of three threads with random parents, authors, placeholders and source order."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        parent = None if i == 0 or rng.random() < 0.25 else f"c{rng.randrange(i)}"
        rows.append((f"c{i}", parent, f"a{rng.randrange(8)}" if rng.random() > 0.05 else None, "x"))
    rng.shuffle(rows)
    table = comments_of(rows, placeholders=[r[0] for r in rows if rng.random() < 0.1])
    threads = {root: f"t{rng.randrange(3)}" for root in table["subthread_id"]}
    return table.assign(thread_id=table["subthread_id"].map(threads).astype(str))


def reciprocity_by_hand(graph, comments, key):
    """Per group: the share of its distinct (source, target) pairs whose reverse it also holds."""
    group_of = dict(zip(comments["comment_id"], comments[key]))
    pairs = {}
    for u, v, ids in graph.edges(data="comment_ids"):
        for comment in filter(None, ids.split(";")):
            if u != v and comment in group_of:
                pairs.setdefault(group_of[comment], set()).add((u, v))
    return {g: sum((v, u) in held for u, v in held) / len(held) for g, held in pairs.items()}


def one_way_replies():
    """D -> Z in one subthread, Z -> D (and one-way replies to B) in the other: no pair is
    reciprocated within a subthread, both are within the thread."""
    return comments_of([("r1", None, "Z", "x"), ("r2", None, "B", "x"), ("u", "r2", "C", "x"), ("d", "r2", "D", "x"),
                        ("w", "d", "Z", "x"), ("x", "r1", "D", "x")])


@pytest.mark.parametrize("seed", [*range(6), "one-way"])
def test_reciprocity_counts_reversed_pairs_within_the_same_group_only(seed):
    comments = one_way_replies() if seed == "one-way" else random_forest(seed)
    graph = build_graph(comments, commenter_edges(comments))
    for table, key in zip(group_metrics(comments, graph), ("subthread_id", "thread_id")):
        expected = reciprocity_by_hand(graph, comments, key)
        found = dict(zip(table[key], table["reciprocity"]))
        assert found == {g: expected.get(g, 0.0) for g in found}


def test_group_metrics_equals_the_two_tables(tree):
    comments, graph = tree
    # a thread whose second subthread holds nothing but a placeholder
    lone = comments_of([("p", None, "A", "x"), ("q", "p", "F", "y"), ("gone", None, None, "")], thread_id="u",
                       placeholders=["gone"])
    for table in (comments, random_forest(7), pd.concat([comments, lone], ignore_index=True)):
        graph = build_graph(table, commenter_edges(table))
        subthreads, threads = group_metrics(table, graph)
        pd.testing.assert_frame_equal(subthreads, subthread_metrics(table, graph), check_exact=True)
        pd.testing.assert_frame_equal(threads, thread_metrics(table, graph), check_exact=True)
    # every measure stays on its subthread's row, whatever order the rows come in
    columns = ["comments", "placeholders", "participants", "max_depth", "width", "h_index", "longest_exchange"]
    found = subthreads.set_index("subthread_id").loc[["r", "s", "p", "gone"], columns]
    assert found.to_numpy().tolist() == [[8, 0, 4, 5, 3, 2, 5], [1, 0, 1, 1, 1, 1, 0], [2, 0, 2, 2, 1, 1, 2],
                                         [0, 1, 0, 1, 1, 1, 0]]



def test_groups_keep_source_order_when_some_begin_or_consist_with_placeholders():
    # Subthread "z" opens with a deleted comment and gets its first real one only after subthread
    # "b" began; subthread "only" and thread "w" hold nothing but a deleted comment.  Sorting the
    # ids would put "b" first and "w" last.
    first = comments_of([("z", None, None, ""), ("b", None, "B", "x"), ("z1", "z", "A", "y"),
                         ("only", None, None, "")], thread_id="w", placeholders=["z", "only"])
    first = first.assign(thread_id=["w", "a", "w", "a"])
    graph = build_graph(first, commenter_edges(first))
    subthreads, threads = group_metrics(first, graph)
    assert subthreads["subthread_id"].tolist() == ["z", "b", "only"]
    assert subthreads[["comments", "participants", "placeholders"]].to_numpy().tolist() == [[1, 1, 1], [1, 1, 0],
                                                                                           [0, 0, 1]]
    assert threads["thread_id"].tolist() == ["w", "a"]
    assert threads[["subthreads", "comments", "placeholders"]].to_numpy().tolist() == [[1, 1, 1], [2, 1, 1]]


# -- commenter metrics (hand-computed) -----------------------------------------------------------

def test_commenter_counts_by_hand(tree):
    comments, graph = tree
    table = commenter_metrics(graph, comments.assign(topic_id=[0, 0, 1, 1, 2, 0, 0, 1, pd.NA])).set_index("author")
    a, c, e = table.loc["A"], table.loc["C"], table.loc["E"]
    assert (a["comments"], a["subthreads_started"], a["replies_given"], a["replies_received"]) == (3, 1, 2, 4)
    assert (a["repliers"], a["partners"], a["weighted_in_degree"], a["weighted_out_degree"]) == (3, 3, 4, 2)
    assert a["reciprocity"] == pytest.approx(2 * 1 / (3 + 1))  # B both ways; C, D only in
    assert a["topics"] == 3
    assert (c["self_replies"], c["replies_given"], c["weighted_out_degree"], c["partners"]) == (1, 1, 1, 1)
    assert (e["partners"], e["k_core"], e["pagerank"] > 0, e["topics"]) == (0, 0, True, 0)
    assert list(table.index) == ["A", "B", "C", "D", "E"]
    assert table["k_core"].to_dict() == {"A": 1, "B": 1, "C": 1, "D": 1, "E": 0}


def test_topics_is_zero_without_topic_column(tree):
    comments, graph = tree
    assert (commenter_metrics(graph, comments)["topics"] == 0).all()


def digraph(edges, nodes=()):
    graph = nx.DiGraph()
    graph.add_nodes_from(nodes)
    graph.add_weighted_edges_from((u, v, 1) for u, v in edges)
    return graph


def needs_igraph(backend="igraph"):
    """python-igraph is a dependency; if it is missing, only the networkx fallback is tested."""
    if backend == "igraph":
        pytest.importorskip("igraph")


@pytest.mark.parametrize("backend", ["igraph", "networkx"])
def test_node_measures_by_hand(backend):
    needs_igraph(backend)
    # path A -> B -> C: B is on the only A..C path; C is reached by A (2 hops) and B (1 hop)
    path = node_measures(digraph([("A", "B"), ("B", "C")]), backend=backend).set_index("author")
    assert path["betweenness"].to_dict() == pytest.approx({"A": 0, "B": 1 / ((3 - 1) * (3 - 2)), "C": 0})
    assert path["closeness"].to_dict() == pytest.approx({"A": 0, "B": (1 / 2) * (1 / 1), "C": (2 / 2) * (2 / 3)})
    # two nodes A -> B, B dangling: pA = 0.075 + 0.425 pB, pA + pB = 1
    pair = node_measures(digraph([("A", "B")]), backend=backend).set_index("author")
    assert pair.at["A", "pagerank"] == pytest.approx(0.5 / 1.425, abs=1e-9)
    # A -> B, C -> B: B the only authority, A and C equal hubs
    star = node_measures(digraph([("A", "B"), ("C", "B")]), backend=backend).set_index("author")
    assert star["authority"].to_dict() == pytest.approx({"A": 0, "B": 1, "C": 0})
    assert star["hub"].to_dict() == pytest.approx({"A": 0.5, "B": 0, "C": 0.5})
    # a weaker star outside the dominant eigenvector decays to ~1e-300 by power iteration: reported as 0
    two = node_measures(digraph([("A", "B"), ("C", "B"), ("D", "B"), ("E", "F")]), backend=backend).set_index("author")
    assert two.at["F", "authority"] == 0.0 and two.at["E", "hub"] == 0.0
    # triangle with a tail and an isolated node: cores 2, 2, 2, 1, 0
    tri = node_measures(digraph([("A", "B"), ("B", "C"), ("C", "A"), ("A", "C"), ("D", "A")], nodes="ABCDE"),
                        backend=backend).set_index("author")
    assert tri["k_core"].to_dict() == {"A": 2, "B": 2, "C": 2, "D": 1, "E": 0}
    # A: in {C, D}, out {B, C}: one mutual partner -> 2*1/(2+2)
    assert tri["reciprocity"].to_dict() == pytest.approx({"A": 0.5, "B": 0, "C": 2 / 3, "D": 0, "E": 0})


def test_self_loops_are_left_out_of_measures():
    with_loop = digraph([("A", "B"), ("B", "B"), ("B", "C")])
    a = node_measures(with_loop)
    b = node_measures(digraph([("A", "B"), ("B", "C")]))
    pd.testing.assert_frame_equal(a.drop(columns="community"), b.drop(columns="community"))


def test_modularity_by_hand():
    two_triangles = nx.DiGraph([(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3)])
    nx.set_edge_attributes(two_triangles, 1, "weight")
    arrays = EdgeArrays(two_triangles)
    assert centrality.modularity(arrays, [0, 0, 0, 1, 1, 1]) == pytest.approx(2 * (3 / 6 - (6 / 12) ** 2))
    assert centrality.modularity(arrays, [0] * 6) == pytest.approx(0.0)


@pytest.mark.parametrize("method", ["louvain", "leiden"])
def test_communities_find_cliques_deterministically_and_renumber(method):
    needs_igraph("igraph" if method == "leiden" else "networkx")
    graph = nx.DiGraph()
    graph.add_node("lonely")
    small = [(a, b) for a in "xyz" for b in "xyz" if a != b]
    big = [(a, b) for a in "ABCD" for b in "ABCD" if a != b]
    graph.add_weighted_edges_from((u, v, 1) for u, v in small + big + [("z", "A")])
    arrays = EdgeArrays(graph)
    random.seed(123)
    expected_next = random.random()
    random.seed(123)
    first, used = centrality.communities(arrays, random_state=7, method=method)
    assert random.random() == expected_next  # the global random module was not consumed or reseeded
    second, _ = centrality.communities(arrays, random_state=7, method=method)
    assert used == method and list(first) == list(second)
    labels = dict(zip(arrays.nodes, first))
    assert {labels[n] for n in "ABCD"} == {0} and {labels[n] for n in "xyz"} == {1} and labels["lonely"] == 2


def test_bad_options_are_refused(tree):
    comments, graph = tree
    with pytest.raises(DiscourseError, match="backend"):
        commenter_metrics(graph, comments, backend="graph-tool")
    with pytest.raises(DiscourseError, match="community method"):
        commenter_metrics(graph, comments, community_method="infomap")


# -- generated graphs against independent implementations ----------------------------------------

def random_digraph(seed, n=80, m=320):
    rng = np.random.default_rng(seed)
    graph = nx.gnm_random_graph(n, m, seed=seed, directed=True)
    graph.add_nodes_from(range(n, n + 3))  # isolated commenters
    for u, v in graph.edges:
        graph[u][v]["weight"] = int(rng.integers(1, 4))
    return graph


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_measures_match_networkx_on_generated_graphs(seed):
    needs_igraph()
    graph = random_digraph(seed)
    ours = node_measures(graph, backend="igraph").set_index("author")
    assert ours["pagerank"].to_dict() == pytest.approx(nx.pagerank(graph, weight="weight", tol=1e-12), abs=1e-9)
    assert ours["betweenness"].to_dict() == pytest.approx(nx.betweenness_centrality(graph), abs=1e-12)
    assert ours["closeness"].to_dict() == pytest.approx(nx.closeness_centrality(graph), abs=1e-12)
    assert ours["k_core"].to_dict() == nx.core_number(nx.Graph(graph))
    connected = [node for node in graph if graph.degree(node) > 0]  # nx.reciprocity refuses isolated nodes
    assert ours.loc[connected, "reciprocity"].to_dict() == pytest.approx(nx.reciprocity(graph, connected))
    strong = graph.subgraph(max(nx.strongly_connected_components(graph), key=len))
    hubs, authorities = nx.hits(strong, max_iter=1000, tol=1e-12)
    mine = node_measures(strong).set_index("author")
    assert mine["hub"].to_dict() == pytest.approx(hubs, abs=1e-7)
    assert mine["authority"].to_dict() == pytest.approx(authorities, abs=1e-7)


@pytest.mark.parametrize("seed", [3, 4])
def test_igraph_and_networkx_backends_agree(seed):
    needs_igraph()
    graph = random_digraph(seed, n=60, m=200)
    a = node_measures(graph, backend="igraph").drop(columns="community")
    b = node_measures(graph, backend="networkx").drop(columns="community")
    pd.testing.assert_frame_equal(a, b, atol=1e-8, rtol=0)


@pytest.mark.filterwarnings("ignore:More than 30% of hub or authority scores")  # igraph's caution, not an error
def test_hits_against_igraph():
    igraph = pytest.importorskip("igraph")
    graph = random_digraph(5)
    strong = nx.DiGraph(graph.subgraph(max(nx.strongly_connected_components(graph), key=len)))
    arrays = EdgeArrays(strong)
    hub, authority = centrality.hits(arrays)
    g = igraph.Graph(n=arrays.n, edges=list(zip(arrays.src.tolist(), arrays.dst.tolist())), directed=True)
    ref_hub = np.array(g.hub_score(weights=arrays.weight.tolist()))
    ref_auth = np.array(g.authority_score(weights=arrays.weight.tolist()))
    np.testing.assert_allclose(hub, ref_hub / ref_hub.sum(), atol=1e-7)
    np.testing.assert_allclose(authority, ref_auth / ref_auth.sum(), atol=1e-7)


def test_sampling_with_every_node_as_pivot_is_exact_and_sampling_is_seeded():
    needs_igraph()
    graph = random_digraph(6, n=150, m=600)
    exact = node_measures(graph).set_index("author")
    everyone = node_measures(graph, exact_threshold=10, pivots=10_000)
    assert everyone.attrs["sampled"] and not exact.attrs["sampled"]
    everyone = everyone.set_index("author")
    assert everyone["betweenness"].to_dict() == pytest.approx(exact["betweenness"].to_dict(), abs=1e-12)
    assert everyone["closeness"].to_dict() == pytest.approx(exact["closeness"].to_dict(), abs=1e-12)
    few = node_measures(graph, exact_threshold=10, pivots=40, random_state=1)
    again = node_measures(graph, exact_threshold=10, pivots=40, random_state=1)
    pd.testing.assert_frame_equal(few, again)
    assert few.attrs["pivots"] == 40 and few.attrs["community_method"] == "leiden"
    assert not np.allclose(few["betweenness"], everyone["betweenness"].to_numpy())
    # the estimate is unbiased: averaged over seeds it approaches the exact value
    mean = np.mean([node_measures(graph, exact_threshold=10, pivots=40, random_state=s)["betweenness"]
                    for s in range(20)], axis=0)
    top = exact["betweenness"].to_numpy().argsort()[-5:]
    np.testing.assert_allclose(mean[top], exact["betweenness"].to_numpy()[top], rtol=0.15)


@pytest.mark.parametrize("block", [1, 7, 8192])  # a level's edges in blocks of whole runs: never split a target's
def test_sampled_closeness_sums_every_pivots_hop_distances(monkeypatch, block):
    monkeypatch.setattr(pivots, "_EDGE_BLOCK", block)
    graph = nx.gnm_random_graph(700, 1400, seed=5, directed=True)
    arrays = EdgeArrays(graph)
    chosen = pivots.draw_pivots(arrays.n, 600, 3)  # more than one 512-pivot search, not a multiple of 64
    reach, total = np.zeros(arrays.n), np.zeros(arrays.n)
    for pivot in chosen.tolist():
        for node, hops in nx.single_source_shortest_path_length(graph, pivot).items():
            if hops:
                reach[node] += 1
                total[node] += hops
    np.testing.assert_array_equal(pivots.pivot_distance_sums(arrays, chosen), (reach, total))
    words = np.random.default_rng(0).integers(0, 2**63, size=(50, 3)).astype(np.uint64)
    counts = [[bin(int(w)).count("1") for w in row] for row in words]
    monkeypatch.delattr(np, "bitwise_count", raising=False)  # numpy < 2
    np.testing.assert_array_equal(pivots._popcount_rows(words), np.sum(counts, axis=1))



def test_sampled_betweenness_searches_only_what_the_pivots_reach():
    needs_igraph()
    import igraph

    # sparse enough that most nodes are out of the pivots' reach, with a hub so paths branch
    graph = nx.gnm_random_graph(400, 420, seed=2, directed=True)
    graph.add_edges_from((i, 0) for i in range(1, 400, 7))
    graph.add_edges_from((0, i) for i in range(3, 400, 11))
    arrays = EdgeArrays(graph)
    chosen = pivots.draw_pivots(arrays.n, 12, 4)
    order = pivots.search_order(arrays, chosen)
    reached = set(chosen.tolist()).union(*(nx.descendants(graph, p) for p in chosen.tolist()))
    assert sorted(order.tolist()) == sorted(reached) and 50 < len(order) < 350
    hops = nx.multi_source_dijkstra_path_length(graph, set(chosen.tolist()))
    assert [hops[v] for v in order.tolist()] == sorted(hops[v] for v in order.tolist())
    whole = igraph.Graph(n=arrays.n, edges=list(zip(arrays.src.tolist(), arrays.dst.tolist())), directed=True)
    expected = np.asarray(whole.betweenness(directed=True, sources=chosen.tolist()))
    found = pivots.sampled_betweenness(igraph, arrays, chosen)
    np.testing.assert_allclose(found, expected, rtol=1e-12, atol=1e-12)
    assert expected.max() > 1 and not found[np.setdiff1d(np.arange(arrays.n), order)].any()


# -- ranking and stability -----------------------------------------------------------------------

def test_central_commenters_combination_and_why(tree):
    comments, graph = tree
    metrics = commenter_metrics(graph, comments)
    table = central_commenters(metrics, comments, top=3)
    assert list(table["rank"]) == [1, 2, 3] and table.at[0, "author"] == "A"
    expected = np.mean([metrics[m].rank(pct=True) for m in SCORE_MEASURES], axis=0)
    by_author = dict(zip(metrics["author"], expected))
    assert table["score"].tolist() == pytest.approx([by_author[a] for a in table["author"]])
    assert table["score"].is_monotonic_decreasing
    why = table.at[0, "why"]
    assert why.startswith("received 4 replies from 3 people across 1 subthread; interacted with 3 people; "
                          "wrote 3 comments in 1 subthread, starting 1")
    assert "1st by PageRank" in why
    empty = central_commenters(metrics.iloc[0:0], comments)
    assert empty.empty and "why" in empty.columns


def test_top_stability_leaves_each_subthread_out(tree):
    comments, graph = tree
    table = top_stability(comments, top=2)
    given = top_stability(comments, top=2, metrics=commenter_metrics(graph, comments))
    pd.testing.assert_frame_equal(given, table)
    assert list(table["subthread_id"]) == ["r", "s"]
    full = table.attrs["full_top"]
    assert full[0] == "A" and len(full) == 2
    without_r = table.set_index("subthread_id").loc["r"]
    assert without_r["top"] == "E" and without_r["overlap"] == 0 and without_r["jaccard"] == 0
    assert without_r["comments"] == 8 and without_r["dropped"] == ";".join(full)
    without_s = table.set_index("subthread_id").loc["s"]
    assert without_s["top"] == ";".join(full) and without_s["overlap"] == 2 and without_s["jaccard"] == 1.0
    assert top_stability(comments, top=2, max_subthreads=1)["subthread_id"].tolist() == ["r"]


def test_top_stability_takes_the_edge_records_at_hand(seed):
    comments, graph, metrics = seed
    records = edge_records(comments)  # every kind: the reply rows are the ones used
    for options in ({}, {"exact_threshold": 10}):
        alone = top_stability(comments, metrics=metrics, **options)
        given = top_stability(comments, metrics=metrics, records=records, **options)
        pd.testing.assert_frame_equal(given, alone, check_exact=True)
        assert given.attrs == alone.attrs


def test_top_stability_above_the_exact_threshold_ranks_the_full_graph_with_the_same_sampling(tree, monkeypatch):
    comments, graph = tree
    calls = []
    real = stability_module.centrality.score_measures
    monkeypatch.setattr(stability_module.centrality, "score_measures",
                        lambda arrays, **kw: calls.append((arrays.n, kw.get("pivots"))) or real(arrays, **kw))
    # A metrics table computed otherwise (here: exact) must not stand in for the sampled full ranking.
    table = top_stability(comments, top=2, exact_threshold=3, pivots=500,
                          metrics=commenter_metrics(graph, comments))
    assert table.attrs["pivots"] == stability_module.STABILITY_PIVOTS
    assert [p for _, p in calls] == [stability_module.STABILITY_PIVOTS] * (1 + len(table))
    assert calls[0][0] == graph.number_of_nodes()  # the first ranking is the full graph's
    assert top_stability(comments, top=2).attrs["pivots"] == 0  # exact below the threshold


# -- the seed thread -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed():
    if not SEED.is_file():
        pytest.skip("../shared/seeds is not available")
    comments = read_corpus(SEED).comments
    graph = build_graph(comments, commenter_edges(comments))
    return comments, graph, commenter_metrics(graph, comments)


def test_seed_the_rev_kev_receives_most_replies_and_ranks_first(seed):
    comments, _, metrics = seed
    top = metrics.sort_values("replies_received", ascending=False).iloc[0]
    assert top["author"] == "The Rev Kev" and top["replies_received"] == 7
    assert (metrics["replies_received"] < 7).sum() == len(metrics) - 1
    central = central_commenters(metrics, comments, top=5)
    assert central.at[0, "author"] == "The Rev Kev"
    assert central.at[0, "why"].startswith("received 7 replies from 7 people across 4 subthreads")


def test_seed_pagerank_equals_networkx(seed):
    _, graph, metrics = seed
    reference = nx.pagerank(metric_graph(graph), weight="weight", tol=1e-10)
    assert dict(zip(metrics["author"], metrics["pagerank"])) == pytest.approx(reference, abs=1e-6)
    assert metrics["pagerank"].sum() == pytest.approx(1.0)


def test_seed_metrics_are_deterministic(seed):
    comments, graph, metrics = seed
    pd.testing.assert_frame_equal(metrics, commenter_metrics(graph, comments))
    assert metrics["community"].min() == 0
    sizes = metrics["community"].value_counts()
    assert sizes.index[0] == 0 and sizes.is_monotonic_decreasing
    pd.testing.assert_frame_equal(subthread_metrics(comments, graph), subthread_metrics(comments, graph))
    first, second = top_stability(comments), top_stability(comments)
    pd.testing.assert_frame_equal(first, second)
    assert first.attrs["full_top"][0] == "The Rev Kev" and len(first) == comments["subthread_id"].nunique()


def test_seed_central_counts_equal_commenter_counts(seed):
    comments, _, metrics = seed
    central = central_commenters(metrics, comments, top=8).set_index("author")
    counts = ["replies_received", "comments"]
    pd.testing.assert_frame_equal(central[counts], metrics.set_index("author").loc[central.index, counts])


def test_seed_thread_row(seed):
    comments, graph, _ = seed
    row = thread_metrics(comments, graph).iloc[0]
    assert (row["comments"], row["placeholders"], row["participants"], row["subthreads"]) == (67, 5, 44, 21)
    assert 0 < row["modularity"] < 1
