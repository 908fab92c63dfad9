"""Whole-graph statistics against networkx's own, exact and estimated paths, the ranking threshold."""

import networkx as nx
import pytest

from discourse.measures.whole_graph import degree_counts, graph_statistics, ranking_is_meaningful


def _graph():
    graph = nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c"), ("c", "a"), ("d", "e"), ("f", "f")])
    graph.add_node("g")
    return graph


def test_statistics_match_networkx():
    graph = _graph()
    row = graph_statistics(graph, self_replies=3).iloc[0]
    plain = graph.copy()
    plain.remove_edges_from(list(nx.selfloop_edges(plain)))
    assert row["commenters"] == 7 and row["links"] == 5 and row["self_replies"] == 3
    assert row["density"] == pytest.approx(5 / 42)
    assert row["weak_components"] == nx.number_weakly_connected_components(plain) == 4
    assert row["largest_weak_share"] == pytest.approx(3 / 7)
    assert row["strong_components"] == nx.number_strongly_connected_components(plain)
    assert row["largest_strong_share"] == pytest.approx(3 / 7)
    assert row["reciprocity"] == pytest.approx(nx.reciprocity(plain))
    undirected = plain.to_undirected()
    assert row["transitivity"] == pytest.approx(nx.transitivity(undirected))
    assert row["average_clustering"] == pytest.approx(nx.average_clustering(undirected))
    giant = undirected.subgraph(max(nx.connected_components(undirected), key=len))
    assert row["diameter"] == nx.diameter(giant)
    assert row["average_path_length"] == pytest.approx(nx.average_shortest_path_length(giant))
    assert row["paths"] == "exact" and row["isolated_commenters"] == 2   # f (only a self-reply) and g


def test_paths_above_the_exact_size_are_estimated_and_say_so():
    graph = nx.DiGraph(nx.path_graph(60))
    exact = graph_statistics(graph).iloc[0]
    estimated = graph_statistics(graph, exact_paths=10, sources=20).iloc[0]
    assert exact["diameter"] == 59 and exact["paths"] == "exact"
    assert estimated["paths"].startswith("estimated from 20 sources")
    assert 30 <= estimated["diameter"] <= 59                   # a lower bound
    assert estimated["average_path_length"] == pytest.approx(exact["average_path_length"], rel=0.35)
    assert graph_statistics(graph, exact_paths=10, sources=20).equals(graph_statistics(graph, exact_paths=10,
                                                                                       sources=20))


def test_empty_and_linkless_graphs():
    assert graph_statistics(nx.DiGraph()).iloc[0]["commenters"] == 0
    row = graph_statistics(nx.DiGraph([("a", "a")])).iloc[0]
    assert row["links"] == 0 and row["density"] == 0.0
    assert not ranking_is_meaningful(nx.DiGraph([("a", "b"), ("b", "c"), ("c", "c")]))
    assert ranking_is_meaningful(nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a")]))


def test_degree_counts_leave_self_replies_out():
    counts = degree_counts(_graph()).set_index("degree")
    assert counts["in_degree"].sum() == counts["out_degree"].sum() == 7
    assert counts.loc[0, "in_degree"] == 3       # d (nobody replied), f (only to itself), g
    assert counts.loc[2, "in_degree"] == 1       # a: from b and c
