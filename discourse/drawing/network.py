"""The commenter network: who replies to whom, sized by the report's ranking score, coloured by community."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from .layout import commenter_layout
from ..measures.whole_graph import ranking_is_meaningful
from .style import backbone, community_colour, ranking_scores, rgb01, score_sizes
from .common import LabelPlacer, header, new_figure, shorten

if TYPE_CHECKING:
    from collections.abc import Hashable, Iterable, Mapping, Sequence

    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

LABEL_ALL = 30        # graphs this small get every node labelled
LABELLED = 20         # otherwise the top commenters of the report's ranking get labels
BOLD = 3              # the report's top 3 are labelled in bold
MAX_NODES, MAX_EDGES = 150, 600
LONE_COLOUR = (225, 225, 225)  # commenters without a link: no community to show


def network_figure(graph: nx.DiGraph, commenters: pd.DataFrame, layout: Mapping[Hashable, tuple[float, float]], *,
                   title: str | None = None, labelled: int = LABELLED, label_all: int = LABEL_ALL,
                   max_nodes: int = MAX_NODES, max_edges: int = MAX_EDGES, seed: int = 0) -> Figure:
    """The commenter network as a matplotlib Figure.

    Node area follows the report's ranking score (:func:`discourse.drawing.style.ranking_scores`),
    the report's top :data:`BOLD` are labelled in bold, colour is the community, arrows A -> B mean
    A replied to B (dashed: an inferred reply), line width the number of replies.  Every commenter
    is labelled when there are at most ``label_all``, else the ``labelled`` top of the ranking;
    labels sit beside their node (or are tied to it by a leader line) and never overlap.  A graph
    with more than ``max_nodes`` commenters is drawn as its backbone: the top ``max_nodes`` of the
    ranking and the ``max_edges`` heaviest links among them, laid out afresh (``layout`` covers
    the whole graph and is used as is otherwise).  With no reply links, or too few to rank
    (:func:`discourse.measures.whole_graph.ranking_is_meaningful`), every node has one size,
    nobody is bold, and the picture says so.
    """
    scores, ranking = ranking_scores(commenters)
    ranking = [n for n in ranking if n in graph] + sorted((n for n in graph if n not in scores), key=str)
    ranked = ranking_is_meaningful(graph)
    nodes, edges = backbone(graph, ranking, max_nodes=max_nodes, max_edges=max_edges)
    whole = len(nodes) == graph.number_of_nodes()
    if not whole:  # the backbone: its own layout, and commenters without a drawn link left out
        # Built node by node in ranking order: networkx's edge_subgraph iterates a set of nodes
        # when it keeps less than half the graph, so its order (and the layout) would change
        # with Python's per-process string hashing.
        linked = {u for u, _, _ in edges} | {v for _, v, _ in edges}
        nodes = [n for n in nodes if n in linked]
        shown = nx.DiGraph()
        shown.add_nodes_from(nodes)
        shown.add_weighted_edges_from(edges)
        layout = commenter_layout(shown, seed=seed)
    community = _column(commenters, "community")

    figure = new_figure(13, 8.6)
    heading = title or "Who replies to whom"
    total_edges = sum(1 for u, v in graph.edges if u != v)
    people = _count(graph.number_of_nodes(), "commenter")
    if not total_edges:
        subtitle = f"{people}, no reply links: nobody answered anyone else, so nobody is ranked."
    elif not ranked:
        subtitle = (f"{people}, {_count(total_edges, 'link')}: too few reply links to rank anyone; "
                    "every node has the same size.")
    elif whole:
        subtitle = (f"{people}, {_count(total_edges, 'link')}.  Node size: the report's ranking score "
                    f"(PageRank, replies received, betweenness, partners); bold: the report's top {BOLD}.  "
                    "Colour: community.")
    else:
        subtitle = (f"Backbone: {len(nodes)} of the {max_nodes} highest-ranked of {people} (the report's ranking) "
                    f"and the {len(edges)} strongest links among them ({total_edges:,} links in all); "
                    "commenters without a link among them are left out.")
    header(figure, heading, subtitle)
    ax = figure.add_axes([0.01, 0.02, 0.70, 0.88])
    legend_ax = figure.add_axes([0.725, 0.02, 0.265, 0.88])
    ax.set_axis_off()
    legend_ax.set_axis_off()
    if not nodes:
        ax.text(0.5, 0.5, "no commenters", ha="center", va="center", transform=ax.transAxes, color="#777777")
        return figure

    largest = 30 if len(nodes) <= 60 else 22  # marker diameter in points: smaller when many are drawn
    shown_scores = {n: scores.get(n, 0.0) if ranked else 0.0 for n in nodes}
    sizes = score_sizes(shown_scores, smallest=5 if len(nodes) <= 60 else 4, largest=largest)
    if not ranked:
        sizes = dict.fromkeys(nodes, 9.0)
    xy = np.array([layout[n] for n in nodes], dtype=float)
    _set_equal_limits(ax, xy, margin_px=40)
    points_to_px = figure.dpi / 72
    radius_px = {n: sizes[n] * points_to_px / 2 + 1 for n in nodes}

    _draw_edges(ax, graph, layout, edges, sizes)
    order = sorted(range(len(nodes)), key=lambda i: sizes[nodes[i]])  # big nodes on top
    alone = _unlinked(graph, nodes, edges)
    colour = {n: rgb01(LONE_COLOUR if n in alone else community_colour(community.get(n))) for n in nodes}
    ax.scatter(xy[order, 0], xy[order, 1], s=[sizes[nodes[i]] ** 2 for i in order],
               c=[colour[nodes[i]] for i in order],
               edgecolors="#333333", linewidths=0.6, zorder=3)

    discs = [(*ax.transData.transform(layout[n]), radius_px[n]) for n in nodes]
    lines = [(ax.transData.transform(layout[u]), ax.transData.transform(layout[v])) for u, v, _ in edges]
    placer = LabelPlacer(ax, discs, lines=lines)
    if not total_edges:  # said on the picture itself, where no label goes
        notice = ax.text(0.5, 0.995, "no reply links", transform=ax.transAxes, ha="center", va="top", fontsize=16,
                         color="#888888", zorder=7)
        placer.reserve(notice)
    to_label = nodes if len(nodes) <= label_all else nodes[:labelled]
    bold = set(ranking[:BOLD]) if ranked else set()
    figure.discourse_label_names = []
    for rank, name in enumerate(to_label):
        text = placer.add(*layout[name], radius_px[name], shorten(name, 28), fontsize=9,
                          fontweight="bold" if name in bold else "normal", important=rank < 5,
                          bbox=dict(boxstyle="round,pad=0.12", fc="white", ec="none", alpha=0.8))
        if text is not None:
            figure.discourse_label_names.append(name)
    figure.discourse_labels = placer.placed  # for tests: the label Text artists, their anchors and names
    figure.discourse_anchors = placer.anchors
    _legend(legend_ax, community, nodes, ranking, shown_scores, sizes, edges, graph, alone,
            labelled=len(placer.placed), whole=whole, ranked=ranked, bold=len(bold))
    return figure


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _column(commenters: pd.DataFrame, name: str) -> dict[Any, Any]:
    if name not in commenters or "author" not in commenters:
        return {}
    return dict(zip(commenters["author"], commenters[name]))


def _set_equal_limits(ax: Axes, xy: np.ndarray, *, margin_px: float) -> None:
    """Limits with the same scale on both axes, the drawing centred and ``margin_px`` kept free."""
    box = ax.get_window_extent(ax.figure.canvas.get_renderer())
    width_px, height_px = box.width - 2 * margin_px, box.height - 2 * margin_px
    low, high = xy.min(axis=0), xy.max(axis=0)
    span = np.maximum(high - low, 1e-6)
    scale = min(width_px / span[0], height_px / span[1])  # pixels per data unit
    centre = (low + high) / 2
    half_w, half_h = box.width / 2 / scale, box.height / 2 / scale
    ax.set_xlim(centre[0] - half_w, centre[0] + half_w)
    ax.set_ylim(centre[1] - half_h, centre[1] + half_h)


def _draw_edges(ax: Axes, graph: nx.DiGraph, layout: Mapping[Hashable, tuple[float, float]],
                edges: Sequence[tuple[Hashable, Hashable, float]], sizes: Mapping[Hashable, float]) -> None:
    from matplotlib.patches import FancyArrowPatch

    top = max((w for *_, w in edges), default=1)
    dense = len(edges) > 150  # many links: thinner and lighter, so the strongest still stand out
    alpha, thin = (0.45, 0.6) if dense else (0.75, 1.0)
    for u, v, weight in edges:
        data = graph.get_edge_data(u, v) or {}
        inferred = _inferred(data)
        width = thin * (0.7 + 2.3 * math.log1p(weight - 1) / math.log1p(max(top - 1, 1)) if top > 1 else 0.9)
        mutual = graph.has_edge(v, u)
        ax.add_patch(FancyArrowPatch(
            layout[u], layout[v], arrowstyle="-|>", mutation_scale=7 + width * 1.5,
            shrinkA=sizes[u] / 2 + 1, shrinkB=sizes[v] / 2 + 1.5, linewidth=width,
            linestyle=(0, (3, 2)) if inferred else "-", color="#8a8a8a", alpha=alpha,
            connectionstyle=f"arc3,rad={0.18 if mutual else 0.06}", zorder=2))


def _unlinked(graph: nx.DiGraph, nodes: Iterable[Hashable],
              edges: Iterable[tuple[Hashable, Hashable, float]]) -> set[Hashable]:
    """Drawn commenters with no drawn link (nobody replied to them and they replied to nobody shown)."""
    linked = {u for u, _, _ in edges} | {v for _, v, _ in edges}
    return {n for n in nodes if n not in linked}


def _legend(ax: Axes, community: Mapping[Hashable, Any], nodes: Sequence[Hashable], ranking: Sequence[Hashable],
            scores: Mapping[Hashable, float], sizes: Mapping[Hashable, float],
            edges: Sequence[tuple[Hashable, Hashable, float]], graph: nx.DiGraph, alone: set[Hashable], *,
            labelled: int, whole: bool, ranked: bool, bold: int) -> None:
    import textwrap

    from matplotlib.lines import Line2D

    handles = []
    shown = {n for n in nodes if n in community and n not in alone}
    groups = {}
    for name in ranking:
        if name in shown:
            groups.setdefault(community[name], []).append(name)
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), _sortable(item[0])))
    listed = 9

    def wrapped(text: str) -> str:  # full names, wrapped to the panel's width: a legend is never cut
        return "\n".join(textwrap.wrap(text, width=40, break_long_words=True, subsequent_indent="  "))

    for cid, members in ordered[:listed]:
        names = ", ".join(members[:2]) + (f" and {len(members) - 2} more" if len(members) > 2 else "")
        handles.append(Line2D([], [], marker="o", linestyle="", markersize=9, markeredgecolor="#333333",
                              markeredgewidth=0.5, markerfacecolor=rgb01(community_colour(cid)),
                              label=wrapped(f"{len(members)} in community {cid}: {names}")))
    if len(ordered) > listed:
        rest = sum(len(m) for _, m in ordered[listed:])
        handles.append(Line2D([], [], marker="o", linestyle="", markersize=9, markeredgecolor="#333333",
                              markeredgewidth=0.5, markerfacecolor=rgb01(community_colour(None)),
                              label=wrapped(f"{rest} in {len(ordered) - listed} smaller communities")))
    if alone:
        handles.append(Line2D([], [], marker="o", linestyle="", markersize=9, markeredgecolor="#333333",
                              markeredgewidth=0.5, markerfacecolor=rgb01(LONE_COLOUR),
                              label=f"{_count(len(alone), 'commenter')} with no reply link"))
    title = "Communities (groups who reply\nmostly to each other)"
    legend = ax.legend(handles=handles, loc="upper left", fontsize=8.5, frameon=False, title=title,
                       title_fontsize=9.5, alignment="left", borderaxespad=0, handletextpad=0.4)
    ax.add_artist(legend)

    _key(ax, sizes, ranked=ranked, bold=bold,
         inferred=any(_inferred(graph.get_edge_data(u, v) or {}) for u, v, _ in edges))
    which = "every commenter" if labelled == len(nodes) else \
        f"the top {labelled} of the report's ranking" if ranked else f"{labelled} commenters"
    note = (f"Labelled: {which}."
            + ("" if whole else f"\n{graph.number_of_nodes() - len(nodes):,} less central commenters not drawn."))
    renderer = ax.figure.canvas.get_renderer()
    below = ax.transAxes.inverted().transform((0, legend.get_window_extent(renderer).y0))[1]
    ax.text(0, below - 0.03, note, transform=ax.transAxes, fontsize=8.5, color="#555555", va="top")


def _key(ax: Axes, sizes: Mapping[Hashable, float], *, ranked: bool, bold: int, inferred: bool) -> None:
    """How to read the picture, drawn at the bottom of the legend panel with the figure's own marks."""
    from matplotlib.patches import FancyArrowPatch

    inch = 1 / (ax.get_position().height * ax.figure.get_figheight())  # axes fraction per inch
    big, small = max(sizes.values()), min(sizes.values())
    if ranked:
        rows = [("circle", big, "the report's #1 (highest ranking score)"),
                ("circle", small, "lowest ranking score"), ("bold", 0, f"bold name: the report's top {bold}")]
    else:
        rows = [("circle", big, "one size for all: too few links to rank")]
    rows += [("arrow", 0.9, "A → B: A replied to B"), ("arrow", 3.0, "thicker: more replies")]
    if inferred:
        rows.append(("dashed", 0.9, "dashed: inferred reply (parent missing)"))
    y = 0.02
    for kind, value, text in reversed(rows):
        step = max(0.3, value / 72 + 0.12) if kind == "circle" else 0.3
        middle = y + step / 2 * inch
        if kind == "circle":
            ax.scatter([0.07], [middle], s=value ** 2, facecolors="white", edgecolors="#333333", linewidths=0.6,
                       transform=ax.transAxes, clip_on=False)
        elif kind == "bold":
            ax.text(0.07, middle, "Name", transform=ax.transAxes, fontsize=8.5, fontweight="bold", va="center",
                    ha="center")
        else:
            ax.add_patch(FancyArrowPatch((0.0, middle), (0.14, middle), transform=ax.transAxes, arrowstyle="-|>",
                                         mutation_scale=7 + value * 1.5, linewidth=value, color="#8a8a8a",
                                         linestyle=(0, (3, 2)) if kind == "dashed" else "-", clip_on=False))
        ax.text(0.2, middle, text, transform=ax.transAxes, fontsize=8.5, va="center")
        y += step * inch
    ax.text(0, y + 0.08 * inch, "Reading the picture", transform=ax.transAxes, fontsize=9.5, va="bottom")


def _inferred(data: Mapping[str, Any]) -> bool:
    """True when every comment behind the edge is an inferred reply."""
    if "inferred_weight" in data:
        return data["inferred_weight"] >= data.get("weight", 1) > 0
    return bool(data.get("inferred", False))


def _sortable(value: Any) -> tuple[int, float | str]:
    try:
        return (0, float(value))
    except (TypeError, ValueError):
        return (1, str(value))
