"""Figures and layout: what each image shows, labels that never overlap, bounded work on big graphs."""

import math
import os
import subprocess
import sys
import time


import networkx as nx
import numpy as np
import pandas as pd
import pytest

from discourse import analyze
from discourse.drawing import (activity_figure, network_figure, save_figure, subthread_figure,
                               top_commenters_figure)
from discourse.drawing.common import LabelPlacer, boxes_overlap, new_figure
from discourse.drawing.layout import commenter_layout, skyline_pack, tree_rows
from discourse.drawing.style import backbone
from shared_data import FIXTURES, SEED


DISQUS = FIXTURES / "markup" / "disqus-export.xml"


@pytest.fixture(scope="module")
def sample():
    return analyze()


@pytest.fixture(scope="module")
def seed():
    if not SEED.is_file():
        pytest.skip("../shared/seeds is not available")
    return analyze(SEED)


def _labels(figure):
    return figure.discourse_labels


def _renderer(figure):
    return figure.canvas.get_renderer()


def _disc_hits(figure, analysis):
    """Labels whose text box covers the centre of a node other than its own."""
    ax = figure.axes[0]
    centres = {name: ax.transData.transform(analysis.layout[name]) for name in analysis.graph}
    hits = []
    for text in _labels(figure):
        box = text.get_window_extent(_renderer(figure))
        for name, (x, y) in centres.items():
            if box.contains(x, y):
                hits.append((text.get_text(), name))
    return hits


# --- the network --------------------------------------------------------------------------------

def test_small_network_labels_every_commenter_without_overlap(sample):
    figure = network_figure(sample.graph, sample.commenters, sample.layout)
    labels = _labels(figure)
    assert sorted(t.get_text() for t in labels) == sorted(sample.graph.nodes)  # 18 <= 30: all labelled
    assert boxes_overlap(labels, _renderer(figure)) == []
    assert _disc_hits(figure, sample) == []
    legend_ax = figure.axes[1]
    texts = [t.get_text() for legend in legend_ax.findobj(match=lambda a: type(a).__name__ == "Legend")
             for t in legend.get_texts()] + [t.get_text() for t in legend_ax.texts]
    assert any(t.startswith("6 in community 0: bikebrad") for t in texts)
    assert "A → B: A replied to B" in texts


def test_seed_network_labels_the_top_commenters_without_overlap(seed):
    figure = network_figure(seed.graph, seed.commenters, seed.layout)
    labels = [t.get_text() for t in _labels(figure)]
    top = list(seed.central.sort_values("rank")["author"].head(10))
    assert labels[:10] == top  # 44 commenters: the top 20 of the report's own ranking, every one placed
    assert len(labels) == 20
    assert boxes_overlap(_labels(figure), _renderer(figure)) == []
    assert _disc_hits(figure, seed) == []


def test_labels_sit_beside_their_node(sample):
    figure = network_figure(sample.graph, sample.commenters, sample.layout)
    ax = figure.axes[0]
    for text in _labels(figure):
        node = ax.transData.transform(sample.layout[text.get_text()])
        box = text.get_window_extent(_renderer(figure))
        gap = math.hypot(max(box.x0 - node[0], 0, node[0] - box.x1), max(box.y0 - node[1], 0, node[1] - box.y1))
        assert gap < 40, text.get_text()  # pixels: next to the node, not somewhere else


def test_labels_are_anchored_on_their_node(seed, sample):
    for analysis in (seed, sample):
        figure = network_figure(analysis.graph, analysis.commenters, analysis.layout)
        ax = figure.axes[0]
        names = figure.discourse_label_names
        assert len(names) == len(figure.discourse_anchors) == len(_labels(figure))
        renderer = _renderer(figure)
        centres = {n: ax.transData.transform(analysis.layout[n]) for n in analysis.graph}
        for name, text, (anchor, centre, radius) in zip(names, _labels(figure), figure.discourse_anchors):
            assert np.allclose(centre, centres[name])
            assert math.dist(anchor, centre) <= radius, name      # the anchor lies within the node's disc
            box = text.get_window_extent(renderer)
            leader = math.hypot(max(box.x0 - centre[0], 0, centre[0] - box.x1),
                                max(box.y0 - centre[1], 0, centre[1] - box.y1)) > radius + 6
            if not leader:  # a label beside a node is beside its own node: no other is nearer
                own = math.hypot(max(box.x0 - centre[0], 0, centre[0] - box.x1),
                                 max(box.y0 - centre[1], 0, centre[1] - box.y1))
                for other, (x, y) in centres.items():
                    if other != name:
                        gap = math.hypot(max(box.x0 - x, 0, x - box.x1), max(box.y0 - y, 0, y - box.y1))
                        assert gap >= own - 25 or gap > 12, (name, other)


def test_sizes_and_bold_follow_the_report_ranking(seed):
    figure = network_figure(seed.graph, seed.commenters, seed.layout)
    top = list(seed.central.sort_values("rank")["author"])
    bold = [t.get_text() for t in _labels(figure) if t.get_fontweight() == "bold"]
    assert sorted(bold) == sorted(top[:3])
    texts = [t.get_text() for t in figure.axes[1].texts]
    assert "bold name: the report's top 3" in texts and "the report's #1 (highest ranking score)" in texts
    scatter = figure.axes[0].collections[0]
    order = np.argsort(scatter.get_sizes())
    biggest = scatter.get_offsets()[order[-1]]
    assert np.allclose(biggest, seed.layout[top[0]])           # the report's #1 is the biggest node
    legend = [t.get_text() for t in figure.axes[1].get_legend().get_texts()] if figure.axes[1].get_legend() else \
        [t.get_text() for leg in figure.axes[1].findobj(match=lambda a: type(a).__name__ == "Legend")
         for t in leg.get_texts()]
    joined = " ".join(" ".join(line.split()) for line in legend)
    assert "…" not in joined                                            # wrapped, never cut
    assert all(len(row) <= 44 for line in legend for row in line.split("\n"))
    assert "Polar Socialist" in joined or "Samuel Conner" in joined      # full names, not "Polar Soc…"


def test_no_reply_links_says_so_and_ranks_nobody():
    from discourse.pipeline import analyze_corpus
    from discourse.readers.table import parse_csv

    rows = "\n".join(f"c{i},,t{i},person {i},2024-01-0{1 + i % 9}T10:00:00Z,A lone comment number {i}."
                      for i in range(6))
    analysis = analyze_corpus(parse_csv("comment_id,parent_id,thread_id,author,created_at,text\n" + rows))
    figure = network_figure(analysis.graph, analysis.commenters, analysis.layout)
    assert "no reply links" in [t.get_text() for t in figure.axes[0].texts]
    assert len(set(figure.axes[0].collections[0].get_sizes())) == 1
    assert not [t for t in _labels(figure) if t.get_fontweight() == "bold"]
    assert "one size for all: too few links to rank" in [t.get_text() for t in figure.axes[1].texts]


def test_palette_is_twenty_distinct_colours_then_other():
    from discourse.drawing.style import OTHER_COLOUR, PALETTE, community_colour, topic_colour

    assert len(PALETTE) == 20 and len(set(PALETTE)) == 20 and OTHER_COLOUR not in PALETTE
    distances = [math.dist(a, b) for i, a in enumerate(PALETTE) for b in PALETTE[i + 1:]]
    assert min(distances) > 40
    assert [community_colour(i) for i in range(20)] == [topic_colour(i) for i in range(20)] == PALETTE
    assert community_colour(20) == topic_colour(25) == community_colour(None) == OTHER_COLOUR


def _big_graph(n=3000, seed=1):
    graph = nx.DiGraph(nx.barabasi_albert_graph(n, 2, seed=seed))
    graph = nx.relabel_nodes(graph, {i: f"user{i}" for i in graph})
    rng = np.random.default_rng(seed)
    for u, v in graph.edges:
        graph[u][v]["weight"] = int(rng.integers(1, 5))
    pagerank = nx.pagerank(graph)
    commenters = pd.DataFrame({"author": list(pagerank), "pagerank": list(pagerank.values())})
    commenters["weighted_in_degree"] = [graph.in_degree(n, weight="weight") for n in commenters["author"]]
    commenters["partners"] = [len(set(graph.predecessors(n)) | set(graph.successors(n))) for n in commenters["author"]]
    commenters["betweenness"] = 0.0
    commenters["community"] = [i % 12 for i in range(len(commenters))]
    return graph, commenters


def test_big_network_is_drawn_as_a_bounded_backbone():
    graph, commenters = _big_graph()
    layout = commenter_layout(graph)
    started = time.perf_counter()
    figure = network_figure(graph, commenters, layout, max_nodes=150, max_edges=600)
    figure.canvas.draw()
    assert time.perf_counter() - started < 30
    ax = figure.axes[0]
    drawn_nodes = sum(len(c.get_offsets()) for c in ax.collections)
    arrows = [p for p in ax.patches if type(p).__name__ == "FancyArrowPatch"]
    assert 0 < drawn_nodes <= 150
    assert 0 < len(arrows) <= 600
    assert "Backbone" in " ".join(t.get_text() for t in figure.texts)
    assert len(_labels(figure)) == 20


def test_backbone_keeps_the_top_nodes_and_heaviest_edges():
    graph, commenters = _big_graph(400)
    ranking = list(commenters.sort_values("pagerank", ascending=False)["author"])
    nodes, edges = backbone(graph, ranking, max_nodes=50, max_edges=40)
    assert nodes == ranking[:50]
    assert len(edges) == 40 and all(u in nodes and v in nodes for u, v, _ in edges)
    weights = [w for *_, w in edges]
    assert weights == sorted(weights, reverse=True)
    inside = sorted((d["weight"] for u, v, d in graph.edges(data=True) if u in nodes and v in nodes), reverse=True)
    assert weights == inside[:40]


def test_label_placer_drops_a_label_rather_than_overlap():
    figure = new_figure(3, 2)
    ax = figure.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    placer = LabelPlacer(ax, [])
    placed = [placer.add(0.5, 0.5, 3, f"a long label number {i}", fontsize=10) for i in range(40)]
    kept = [t for t in placed if t is not None]
    assert 0 < len(kept) < 40
    assert boxes_overlap(kept, figure.canvas.get_renderer()) == []


# --- subthreads, top commenters, activity -------------------------------------------------------

def test_subthread_figure_draws_every_subthread_with_its_label(sample):
    figure = subthread_figure(sample.comments, sample.subthreads, sample.topics)
    level1 = sample.subthreads[sample.subthreads["level"] == 1]
    assert figure.discourse_blocks == list(level1["subthread_id"])
    texts = {t.get_text() for ax in figure.axes for t in ax.texts}
    assert set(level1["label"]) <= texts
    authors = set(sample.comments["author"].dropna())
    assert authors <= texts  # one row per comment, named
    assert "(missing comment)" in texts  # the sample's placeholder


def test_subthread_figure_keeps_the_largest_when_rows_run_out(sample):
    figure = subthread_figure(sample.comments, sample.subthreads, sample.topics, max_rows=20)
    level1 = sample.subthreads[sample.subthreads["level"] == 1]
    sizes = dict(zip(level1["subthread_id"], level1["comments"]))
    drawn = figure.discourse_blocks
    assert 0 < len(drawn) < len(level1)
    assert sorted(sizes[s] for s in drawn) == sorted(sizes.values())[-len(drawn):]  # exactly the largest
    assert drawn == [s for s in level1["subthread_id"] if s in drawn]  # in thread order
    assert f"The {len(drawn)} largest of {len(level1)} subthreads" in " ".join(t.get_text() for t in figure.texts)


def test_tree_rows_put_replies_under_their_parent_in_source_order():
    parents = {"a": None, "b": "a", "c": "b", "d": "a", "e": None, "f": "missing"}
    assert tree_rows(parents) == [("a", 0), ("b", 1), ("c", 2), ("d", 1), ("e", 0), ("f", 0)]


def test_top_commenters_figure_has_one_panel_per_measure_in_rank_order(sample):
    figure = top_commenters_figure(sample.central, sample.commenters, top=8)
    panels = figure.discourse_panels
    assert [ax.get_title(loc="left").strip() for ax in panels] == [
        "PageRank", "replies received", "betweenness", "people interacted with"]
    names = [t.get_text().split(". ", 1)[1] for t in panels[0].get_yticklabels()]
    assert names == list(sample.central.sort_values("rank")["author"].head(8))
    bars = [p.get_width() for p in panels[1].patches]
    received = sample.commenters.set_index("author").loc[names, "replies_received"]
    assert bars == [float(v) for v in received]


def test_activity_figure_needs_times(sample):
    assert activity_figure(sample.comments, sample.central, sample.topics) is None
    timed = analyze(DISQUS)
    figure = activity_figure(timed.comments, timed.central, timed.topics)
    bars = figure.discourse_axes[0].patches
    real = timed.comments[~timed.comments["is_placeholder"] & timed.comments["created_at"].notna()]
    assert sum(p.get_height() for p in bars) == len(real)


# --- saving -------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_saved_images_are_byte_identical_and_undated(sample, tmp_path, fmt):
    for name in ("a", "b"):
        figure = top_commenters_figure(sample.central, sample.commenters)
        save_figure(figure, tmp_path / f"{name}.{fmt}")
    first, second = (tmp_path / f"a.{fmt}").read_bytes(), (tmp_path / f"b.{fmt}").read_bytes()
    assert first == second
    if fmt == "svg":
        assert b"<dc:date>" not in first and b"Matplotlib v" not in first
    else:
        assert b"Software" not in first[:2000]


# --- layout -------------------------------------------------------------------------------------

def test_layout_is_seeded_bounded_and_separates_components(seed):
    layout = commenter_layout(seed.graph, seed=0)
    assert layout == commenter_layout(seed.graph, seed=0)
    xy = np.array(list(layout.values()))
    assert np.abs(xy).max() <= 1 + 1e-9
    boxes = []
    for component in nx.weakly_connected_components(seed.graph):
        points = np.array([layout[n] for n in component])
        boxes.append((*points.min(axis=0), *points.max(axis=0)))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1]  # packed side by side


def test_layout_of_a_large_graph_stays_fast():
    graph = nx.barabasi_albert_graph(30_000, 2, seed=3)
    started = time.perf_counter()
    layout = commenter_layout(graph)
    assert time.perf_counter() - started < 20
    assert len(layout) == 30_000 and all(map(math.isfinite, (c for xy in layout.values() for c in xy)))


def test_skyline_packing_never_overlaps():
    rng = np.random.default_rng(0)
    sizes = [tuple(rng.uniform(0.5, 4, 2)) for _ in range(40)]
    corners = skyline_pack(sizes, gap=0.0)
    rects = [(x, y, x + w, y + h) for (x, y), (w, h) in zip(corners, sizes)]
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            assert a[2] <= b[0] + 1e-9 or b[2] <= a[0] + 1e-9 or a[3] <= b[1] + 1e-9 or b[3] <= a[1] + 1e-9


_BACKBONE_SCRIPT = """
import hashlib, io, networkx as nx, numpy as np, pandas as pd
from discourse.drawing import network_figure
from discourse.drawing.layout import commenter_layout
rng = np.random.default_rng(0)
names = [f"user{i}" for i in range(400)]
g = nx.DiGraph()
for _ in range(1500):
    u, v = rng.choice(400, 2, replace=False)
    g.add_edge(names[u], names[v], weight=int(rng.integers(1, 4)))
pr = nx.pagerank(g)
table = pd.DataFrame({"author": list(pr), "pagerank": list(pr.values()), "community": 0})
figure = network_figure(g, table, commenter_layout(g), title="t", seed=0)
buffer = io.BytesIO()
figure.savefig(buffer, format="png", metadata={"Software": None})
print(hashlib.sha256(buffer.getvalue()).hexdigest())
"""


def test_backbone_picture_is_the_same_whatever_python_hash_seed():
    # A big graph's picture is a backbone; building it must not depend on set order (string hashing).
    digests = {subprocess.run([sys.executable, "-c", _BACKBONE_SCRIPT], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(digests) == 1


def test_degree_figure_counts_every_commenter(sample):
    from discourse.drawing import degree_figure

    figure = degree_figure(sample.graph)
    lines = figure.axes[0].get_lines()
    assert [line.get_label() for line in lines] == ["in-degree (distinct repliers)", "out-degree (distinct people replied to)"]
    for line in lines:
        assert sum(line.get_ydata()) == sample.graph.number_of_nodes()
    empty = degree_figure(nx.DiGraph([("a", "a")]))
    assert "no reply links: every commenter has degree 0" in [t.get_text() for t in empty.axes[0].texts]
