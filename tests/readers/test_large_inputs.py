"""The vectorised paths that keep a million comments fast give what the plain per-cell code gave.

Each test keeps a short, obviously right version of the old per-row code as the reference and
feeds both the awkward cases the fast code treats specially (cells that are not text, repeated
ids, times without a zone or at a coarser unit, edges with no time of their own, ties).
"""

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from discourse.topics.topic_map import COMMENTER_PREFIX, TOPIC_PREFIX, commenter_topic_map
from discourse.output.write import write_csv
from discourse.drawing import subthread_figure
from discourse.drawing.layout import commenter_layout
from discourse.network.timeline import first_times

# --- write_csv ----------------------------------------------------------------------------------


def _reference_csv(frame, path):
    """The plain writer: every cell as it is, times formatted by pandas."""
    frame.to_csv(path, index=False, lineterminator="\n", date_format="%Y-%m-%dT%H:%M:%SZ")


AWKWARD_TEXT = ["=SUM(A1)", "+1", "-2 pumps", "@bob", "\tindent", "\rreturn", "'=already", "''+twice",
                "'plain quote", "plain", "", "a,b", 'say "hi"', "multi\nline", "ünïcode", "-", "'", None]


@pytest.mark.parametrize("dtype", ["str", "string", object])
def test_write_csv_matches_the_per_cell_writer(tmp_path, dtype):
    n = len(AWKWARD_TEXT)
    times = pd.Series(pd.to_datetime(
        ["1969-12-31T23:59:59.5", "2024-01-02T03:04:05.999999999", None, "1677-09-22T00:12:43.145224193",
         "2262-04-10T23:47:16.854775807", "2024-06-01T00:00:00"] * 3, utc=True, format="ISO8601")[:n])
    frame = pd.DataFrame({
        "text": pd.Series(AWKWARD_TEXT, dtype=dtype),
        "mixed": pd.Series([-5, 3.5, float("nan"), None, b"=bytes", b"\xff\xfe", ["=list"], "=x", 7, True,
                            "+y", pd.NA, "@z", 0, -0.5, "ok", "-", ""], dtype=object),
        "utc": times,
        "paris": times.dt.tz_convert("Europe/Paris"),
        "naive": times.dt.tz_localize(None),
        "seconds": times.dt.as_unit("s"),
        "count": range(n),
        "share": np.linspace(-1, 1, n),
        "flag": [True, False] * (n // 2),
    })
    _reference_csv(frame, tmp_path / "expected.csv")
    write_csv(frame, tmp_path / "written.csv")
    assert (tmp_path / "written.csv").read_bytes() == (tmp_path / "expected.csv").read_bytes()


def test_write_csv_leaves_a_frame_without_formula_cells_alone(tmp_path):
    frame = pd.DataFrame({"text": ["a", "b", None], "when": pd.to_datetime([None, None, None], utc=True)})
    _reference_csv(frame, tmp_path / "expected.csv")
    write_csv(frame, tmp_path / "written.csv")
    assert (tmp_path / "written.csv").read_bytes() == (tmp_path / "expected.csv").read_bytes()


def test_write_csv_does_not_change_the_callers_frame(tmp_path):
    frame = pd.DataFrame({"text": ["=a", "b", "-c"]})
    write_csv(frame, tmp_path / "written.csv")
    assert frame["text"].tolist() == ["=a", "b", "-c"]
    assert (tmp_path / "written.csv").read_text(encoding="utf-8") == "text\n=a\nb\n-c\n"


# --- first_times --------------------------------------------------------------------------------


def _reference_first_times(comments, graph):
    """The per-edge version: a dict of every comment's time, each edge's ids looked up one by one."""
    timed = comments[comments["created_at"].notna() & comments["author"].notna()]
    times = pd.to_datetime(timed["created_at"], utc=True)
    node_start = times.groupby(timed["author"].astype(str)).min()
    node_start = {node: node_start[str(node)] for node in graph if str(node) in node_start.index}
    when = dict(zip(comments["comment_id"].astype(str), pd.to_datetime(comments["created_at"], utc=True)))
    edge_start = {}
    for u, v, ids in graph.edges(data="comment_ids", default=""):
        parts = [p for p in ids.split(";") if p] if isinstance(ids, str) else \
            [str(p) for p in ids] if isinstance(ids, (list, tuple, set)) else []
        found = [t for t in (when.get(i) for i in parts) if t is not None and pd.notna(t)]
        bounds = [t for t in (min(found) if found else None, node_start.get(u), node_start.get(v)) if t is not None]
        if bounds:
            edge_start[(u, v)] = max(bounds)
    return node_start, edge_start


def _timeline_case(unit="ns"):
    comments = pd.DataFrame({
        "comment_id": ["c1", "c2", "c3", "c4", "c5", "c6", "c6", "c7"],
        "author": ["ann", "bob", "ann", "cy", None, "dee", "dee", "eve"],
        "created_at": pd.to_datetime(["2024-01-03", "2024-01-01", "2024-01-02", None, "2023-12-01",
                                      "2024-02-01", "2024-02-05", None], utc=True).as_unit(unit),
    })
    graph = nx.DiGraph()
    graph.add_nodes_from(["ann", "bob", "cy", "dee", "eve", "ghost"])
    graph.add_edge("bob", "ann", comment_ids="c2;c1")        # the earlier comment, after both start
    graph.add_edge("ann", "bob", comment_ids="c3")            # before bob starts: bob's start
    graph.add_edge("cy", "ann", comment_ids="c4")             # a comment without a time
    graph.add_edge("dee", "ann", comment_ids="c6;;missing")   # a repeated id (the last row counts), an unknown id
    graph.add_edge("eve", "ghost", comment_ids="c7")          # no time anywhere: no start
    graph.add_edge("ann", "cy", comment_ids=["c5", "c1"])     # ids as a list; c5 has no author but a time
    graph.add_edge("bob", "dee")                              # no comment_ids
    graph.add_edge("ann", "ann", comment_ids="c1")            # a self-loop
    return comments, graph


@pytest.mark.parametrize("unit", ["ns", "s"])
def test_first_times_match_the_per_edge_lookup(unit):
    comments, graph = _timeline_case(unit)
    timeline = first_times(comments, graph)
    node_start, edge_start = _reference_first_times(comments, graph)
    assert timeline.node_start == node_start and list(timeline.node_start) == list(node_start)
    assert timeline.edge_start == edge_start and list(timeline.edge_start) == list(edge_start)
    assert ("eve", "ghost") not in timeline.edge_start
    assert timeline.edge_start[("dee", "ann")] == pd.Timestamp("2024-02-05", tz="UTC")
    for stamp in [*timeline.node_start.values(), *timeline.edge_start.values()]:
        assert isinstance(stamp, pd.Timestamp) and stamp.tz is not None and stamp.unit == unit


def test_first_times_on_an_undirected_graph_and_without_edges():
    comments, graph = _timeline_case()
    undirected = nx.Graph(graph)
    assert first_times(comments, undirected).edge_start == _reference_first_times(comments, undirected)[1]
    assert first_times(comments, nx.empty_graph(["ann"], nx.DiGraph)).edge_start == {}


# --- commenter_topic_map ------------------------------------------------------------------------


def _topic_case():
    rng = np.random.default_rng(3)
    n = 400
    authors = [f"user{i % 37}" for i in rng.integers(0, 1000, n)]
    comments = pd.DataFrame({
        "author": pd.Series(authors, dtype="str").where(rng.random(n) > 0.05, None),
        "is_placeholder": rng.random(n) < 0.05,
        "topic_id": rng.integers(0, 5, n),
        "own_topic_id": pd.Series(rng.integers(0, 5, n), dtype="Int64").where(rng.random(n) > 0.3, pd.NA),
    })
    names = sorted(set(authors))
    commenters = pd.DataFrame({
        "author": pd.Series(names[:-3], dtype="str"),  # a few writers missing from the table
        "community": rng.integers(0, 4, len(names) - 3),
        "pagerank": np.where(rng.random(len(names) - 3) < 0.2, np.nan, rng.random(len(names) - 3)),
        "main_topic": pd.Series(rng.integers(0, 5, len(names) - 3), dtype="Int64").where(
            rng.random(len(names) - 3) > 0.2, pd.NA),
        "main_topic_label": pd.Series([f"label {i}" for i in range(len(names) - 3)], dtype="str"),
    })
    topics = pd.DataFrame({"topic_id": range(4), "label": [f"t{i}" for i in range(4)], "top_terms": "a, b"})
    return comments, commenters, topics


def test_commenter_topic_map_matches_the_per_commenter_build():
    comments, commenters, topics = _topic_case()
    topic_map = commenter_topic_map(comments, commenters, topics, seed=4)
    graph = topic_map.graph
    assert topic_map.layout == commenter_layout(graph, seed=4)  # the layout is that of the graph
    by_author = commenters.set_index("author")
    real = comments[~comments["is_placeholder"] & comments["author"].notna()]
    topic = real["own_topic_id"].astype("float").where(real["own_topic_id"].notna(), real["topic_id"])
    written = real.groupby("author").size()
    commenter_nodes = [n for n in graph if n.startswith(COMMENTER_PREFIX)]
    assert commenter_nodes == [f"{COMMENTER_PREFIX}{a}" for a in written.index]
    for author, n in written.items():
        data = graph.nodes[f"{COMMENTER_PREFIX}{author}"]
        expected = {"part": "commenter", "comments": int(n)}
        if author in by_author.index:
            for column in ("community", "pagerank", "main_topic", "main_topic_label"):
                if pd.notna(by_author.at[author, column]):
                    expected[column] = by_author.at[author, column]
        assert data == expected
        assert {k: type(v) for k, v in data.items()} == {k: type(v) for k, v in expected.items()}
        assert topic_map.labels[f"{COMMENTER_PREFIX}{author}"] == author
    pairs = real.assign(_topic=topic.astype("int64")).groupby(["author", "_topic"]).size()
    edges = {(u, v) if u.startswith(COMMENTER_PREFIX) else (v, u): d for u, v, d in graph.edges(data=True)}
    assert edges == {(f"{COMMENTER_PREFIX}{a}", f"{TOPIC_PREFIX}{t}"):
                     {"weight": int(n), "share": float(n / written[a])} for (a, t), n in pairs.items()}
    assert all(type(d["weight"]) is int and type(d["share"]) is float for d in edges.values())


def test_commenter_topic_map_of_nothing_is_empty():
    comments, commenters, topics = _topic_case()
    topic_map = commenter_topic_map(comments.iloc[:0], commenters, topics)
    assert topic_map.graph.number_of_nodes() == 0 and topic_map.layout == {}


# --- subthread_figure ---------------------------------------------------------------------------


def _reference_selection(sizes, max_rows, rows_per_column=42, gap=0.7):
    """The block-by-block choice: cut long subthreads, then the largest (ties: thread order) that fit."""
    limits = [int(rows_per_column - 2 - gap) if 1 + s + gap > rows_per_column else s for s in sizes]
    heights = [1 + min(s, lim) + (1 if lim < s else 0) + gap for s, lim in zip(sizes, limits)]
    if sum(heights) <= max_rows:
        return list(range(len(sizes)))
    chosen, used = [], 0
    for i in sorted(range(len(sizes)), key=lambda i: (-sizes[i], i)):
        if used + heights[i] > max_rows:
            break
        chosen.append(i)
        used += heights[i]
    return sorted(chosen)


@pytest.mark.parametrize("max_rows", [10, 40, 97.3, 168, 190, 205, 10_000])  # 190, 205: a cut between ties
def test_subthread_figure_chooses_the_blocks_the_per_block_loop_chose(max_rows):
    sizes = [3, 1, 60, 3, 7, 45, 1, 2, 7, 12, 3, 41, 40]  # ties, and subthreads longer than a column
    rows = []
    for s, size in enumerate(sizes):
        for k in range(size):
            rows.append({"comment_id": f"s{s}c{k}", "parent_id": None if k == 0 else f"s{s}c0",
                         "subthread_id": f"s{s}", "author": f"a{k % 5}", "is_placeholder": k == 1 and s == 2,
                         "topic_id": s % 3})
    comments = pd.DataFrame(rows)
    subthreads = pd.DataFrame({"subthread_id": [f"s{s}" for s in range(len(sizes))], "level": 1,
                               "label": [f"label {s}" for s in range(len(sizes))], "topic_id": 0})
    topics = pd.DataFrame({"topic_id": [0, 1, 2], "label": ["x", "y", "z"]})
    figure = subthread_figure(comments, subthreads, topics, max_rows=max_rows)
    assert figure.discourse_blocks == [f"s{i}" for i in _reference_selection(sizes, max_rows)]
    texts = " ".join(t.get_text() for t in figure.texts)
    assert f"of {len(sizes)} subthreads" in texts or f"{len(sizes)} subthreads" in texts
    assert "long subthreads show their first rows" in texts
    assert math.isfinite(figure.get_figheight())
