"""How metrics look: node sizes, colours and what a picture shows, shared by images and GEXF.

Kept apart from plotting so the GEXF files and the images show a commenter the same way.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

RGB = tuple[int, int, int]

#: Twenty distinct colours, for communities and topics alike: the colour-blind-safe Okabe-Ito
#: seven first, then well-separated hues. Past the twentieth, one neutral grey: "other".
#: network.png, subthreads.png, activity.png, graph.gexf and network.html all read this list.
PALETTE = [
    (0, 114, 178), (230, 159, 0), (0, 158, 115), (204, 121, 167), (86, 180, 233),
    (213, 94, 0), (240, 228, 66), (145, 30, 180), (128, 0, 0), (0, 0, 117),
    (70, 153, 144), (154, 99, 36), (240, 50, 230), (128, 128, 0), (230, 25, 75),
    (220, 190, 255), (255, 216, 177), (170, 255, 195), (188, 239, 69), (0, 70, 50),
]
OTHER_COLOUR = (160, 160, 160)
#: Topics read the same list: a picture colours either communities or topics, never both.
TOPIC_PALETTE = PALETTE
PLACEHOLDER_COLOUR = (200, 200, 200)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value != value


def community_colour(community: Any, n_coloured: int = len(PALETTE)) -> RGB:
    """RGB ints for a community id; communities past the palette share a neutral grey ("other")."""
    if _missing(community) or not 0 <= int(community) < min(n_coloured, len(PALETTE)):
        return OTHER_COLOUR
    return PALETTE[int(community)]


def topic_colours(topics: pd.DataFrame | None) -> dict[int, RGB]:
    """topic id -> RGB ints: the palette goes to the topics with the most comments, in that order
    (ties: lower id first); the rest share the grey "other".  Every picture, network.html and
    commenter_topics.gexf colour topics with this one mapping."""
    if topics is None or not len(topics) or "topic_id" not in topics:
        return {}
    size = topics["comments"] if "comments" in topics else 0
    ordered = topics.assign(_size=size).sort_values(["_size", "topic_id"], ascending=[False, True], kind="stable")
    return {int(t): PALETTE[i] if i < len(PALETTE) else OTHER_COLOUR for i, t in enumerate(ordered["topic_id"])}


def topic_colour(topic: Any, colours: Mapping[int, RGB] | None = None) -> RGB:
    """RGB ints for a topic id: from ``colours`` (:func:`topic_colours`) when given, else by id;
    topics past the palette (and no topic) share the neutral grey "other"."""
    if _missing(topic):
        return OTHER_COLOUR
    if colours is not None:
        return colours.get(int(topic), OTHER_COLOUR)
    if not 0 <= int(topic) < len(TOPIC_PALETTE):
        return OTHER_COLOUR
    return TOPIC_PALETTE[int(topic)]


def hex_colour(rgb: Sequence[int]) -> str:
    """RGB ints as ``#rrggbb`` (for HTML)."""
    return "#%02x%02x%02x" % tuple(int(channel) for channel in rgb)


def rgb01(rgb: Sequence[int]) -> tuple[float, ...]:
    """RGB ints as the 0..1 floats matplotlib takes."""
    return tuple(channel / 255 for channel in rgb)


def node_sizes(values: Mapping[Hashable, float], *, smallest: float = 4.0,
               largest: float = 40.0) -> dict[Hashable, float]:
    """Map a centrality (dict node -> value) onto sizes by square root, so area tracks the value."""
    if not values:
        return {}
    top = max(values.values()) or 1.0
    return {node: smallest + (largest - smallest) * math.sqrt(max(value, 0.0) / top)
            for node, value in values.items()}


def ranking_scores(commenters: pd.DataFrame) -> tuple[dict[str, float], list[str]]:
    """author -> the report's ranking score (:func:`discourse.measures.commenters.rank_commenters`)
    for every commenter, and the authors in ranking order (first = the report's #1)."""
    from ..measures.ranking import SCORE_MEASURES, rank_commenters

    if not len(commenters) or not set(SCORE_MEASURES) <= set(commenters.columns):
        return {}, []
    ranked = rank_commenters(commenters)
    authors = ranked["author"].tolist()
    return dict(zip(authors, ranked["score"].tolist())), authors


def score_sizes(scores: Mapping[Hashable, float], *, smallest: float = 4.0,
                largest: float = 40.0) -> dict[Hashable, float]:
    """Node sizes from ranking scores: the lowest score gets ``smallest``, the highest ``largest``.

    The scores are mean percentile ranks, spread evenly over their range, so the size grows with
    the square of the score's place in it: only the top of the ranking stands out.  Every node
    gets the same middle size when every score ties.
    """
    if not scores:
        return {}
    low, high = min(scores.values()), max(scores.values())
    if high - low < 1e-12:
        middle = (smallest + largest) / 2
        return {node: middle for node in scores}
    return {node: smallest + (largest - smallest) * ((value - low) / (high - low)) ** 2
            for node, value in scores.items()}


def gexf_positions(layout: Mapping[Hashable, tuple[float, float]]) -> dict[Hashable, tuple[float, float]]:
    """A [-1, 1] layout scaled to the units of GEXF node sizes (4..40), so nodes don't overlap in Gephi.

    The span grows with the square root of the node count: about 700 units for 40 nodes.
    """
    scale = 300 + 60 * math.sqrt(max(len(layout), 1))
    return {node: (x * scale, y * scale) for node, (x, y) in layout.items()}


def backbone(graph: nx.DiGraph, ranking: Iterable[Hashable], *, max_nodes: int = 150,
             max_edges: int = 600) -> tuple[list[Hashable], list[tuple[Hashable, Hashable, float]]]:
    """What a picture of a big graph shows: (nodes, edges).

    ``ranking`` is the node order to keep (most central first); the first ``max_nodes`` are
    kept, and among them the ``max_edges`` heaviest edges (self-loops left out), heaviest first.
    Small graphs come back whole.
    """
    nodes = [node for node in ranking if node in graph][:max_nodes]
    keep = set(nodes)
    edges = [(u, v, data.get("weight", 1)) for u, v, data in graph.edges(data=True)
             if u != v and u in keep and v in keep]
    edges.sort(key=lambda e: (-e[2], str(e[0]), str(e[1])))
    return nodes, edges[:max_edges]
