"""How metrics look: node sizes, colours and what a picture shows, shared by images and GEXF.

Kept apart from plotting so the GEXF files and the images show a commenter the same way.
"""

import math

# Colour-blind-safe qualitative palette (Okabe-Ito, then Tableau 10 for more communities).
PALETTE = [
    (0, 114, 178), (230, 159, 0), (0, 158, 115), (204, 121, 167), (86, 180, 233),
    (213, 94, 0), (240, 228, 66), (78, 121, 167), (242, 142, 43), (89, 161, 79),
    (183, 154, 32), (176, 122, 161), (156, 117, 95), (118, 183, 178),
]
OTHER_COLOUR = (160, 160, 160)
# Topics get their own palette (Tableau 10), so a topic colour is not read as a community.
TOPIC_PALETTE = [
    (78, 121, 167), (242, 142, 43), (225, 87, 89), (118, 183, 178), (89, 161, 79),
    (237, 201, 72), (176, 122, 161), (255, 157, 167), (156, 117, 95), (23, 190, 207),
]
PLACEHOLDER_COLOUR = (200, 200, 200)


def _missing(value):
    return value is None or (isinstance(value, float) and math.isnan(value)) or value != value


def community_colour(community, n_coloured=len(PALETTE)):
    """RGB ints for a community id; communities past the palette share a neutral grey."""
    if _missing(community) or community >= n_coloured:
        return OTHER_COLOUR
    return PALETTE[int(community)]


def topic_colour(topic):
    """RGB ints for a topic id; topics past the palette share a neutral grey."""
    if _missing(topic) or not 0 <= int(topic) < len(TOPIC_PALETTE):
        return OTHER_COLOUR
    return TOPIC_PALETTE[int(topic)]


def rgb01(rgb):
    """RGB ints as the 0..1 floats matplotlib takes."""
    return tuple(channel / 255 for channel in rgb)


def node_sizes(values, *, smallest=4.0, largest=40.0):
    """Map a centrality (dict node -> value) onto sizes by square root, so area tracks the value."""
    if not values:
        return {}
    top = max(values.values()) or 1.0
    return {node: smallest + (largest - smallest) * math.sqrt(max(value, 0.0) / top)
            for node, value in values.items()}


def gexf_positions(layout):
    """A [-1, 1] layout scaled to the units of GEXF node sizes (4..40), so nodes don't overlap in Gephi.

    The span grows with the square root of the node count: about 700 units for 40 nodes.
    """
    scale = 300 + 60 * math.sqrt(max(len(layout), 1))
    return {node: (x * scale, y * scale) for node, (x, y) in layout.items()}


def backbone(graph, ranking, *, max_nodes=150, max_edges=600):
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
