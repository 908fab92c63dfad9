"""network.html: the commenter network to explore in a browser, as one self-contained file.

The page is the project's own small canvas script (``discourse/data/network.js``, shipped as
package data) with the graph embedded as JSON: it works offline and asks nothing of the
network (its Content-Security-Policy forbids any request).  Commenters sit at the positions of
graph.gexf, coloured as there (:mod:`discourse.drawing.style`), sized by the report's ranking
score.  Above :data:`MAX_NODES` commenters or :data:`MAX_EDGES` links the page shows the
backbone (the highest-ranked commenters and the heaviest links among them) and says so.
"""

from __future__ import annotations

import json
from html import escape
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..drawing.style import (OTHER_COLOUR, PALETTE, community_colour, gexf_positions, hex_colour, ranking_scores,
                             score_sizes, topic_colour, topic_colours)
from .report import report_title

if TYPE_CHECKING:
    from collections.abc import Collection, Mapping

    from ..pipeline import Analysis

__all__ = ["MAX_NODES", "MAX_EDGES", "network_data", "render_network_html"]

MAX_NODES = 5_000
MAX_EDGES = 20_000
COMMENTS_PER_COMMENTER = 40   # comments listed on a commenter's click; the rest are counted
EXCERPT = 280                 # characters of each comment's text
BOLD = 3                      # the report's top commenters drawn bold, as in network.png
CARD_MEASURES = [("comments", "comments"), ("replies_received", "replies received"),
                 ("replies_given", "replies given"), ("partners", "partners"), ("self_replies", "self-replies"),
                 ("pagerank", "PageRank"), ("betweenness", "betweenness")]


def _plain(value: Any) -> Any:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return round(value, 6) if isinstance(value, float) else value


def _text(value: Any) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def network_data(analysis: Analysis, *, max_nodes: int = MAX_NODES, max_edges: int = MAX_EDGES) -> dict[str, Any]:
    """What network.html shows, as plain JSON-ready values.

    Keys: ``title``, ``nodes`` (name, x, y, r, community, topic, rank, bold, card), ``edges``
    ([source, target, weight, kind, inferred] by node position), ``kinds`` (each edge kind
    and whether the measures use it), ``communities``, ``topics``, ``subthreads``, ``comments``
    (per node position: [subthread id, text, replying to]), ``backbone`` (a sentence, or "").
    """
    commenters = analysis.commenters
    scores, order = ranking_scores(commenters)
    graph = analysis.graph
    order = [name for name in order if name in graph] + sorted((n for n in graph if n not in scores), key=str)
    measured = set(analysis.options.edge_kinds)
    kept = order[:max_nodes]
    position = {name: i for i, name in enumerate(kept)}
    edges = _shown_links(analysis.edges, position)
    pairs = {}  # one link per pair and kind, as in the graph: inferred when every comment behind it is
    for source, target, kind, weight, inferred in zip(*_columns(edges, "source", "target", "kind", "weight",
                                                                         "inferred")):
        if source in position and target in position:
            key = (position[source], position[target], str(kind))
            total, all_inferred = pairs.get(key, (0, True))
            pairs[key] = (total + int(weight), all_inferred and bool(inferred))
    rows = [(a, b, weight, kind, inferred) for (a, b, kind), (weight, inferred) in pairs.items()]
    rows.sort(key=lambda r: (r[3] not in measured, -r[2], r[0], r[1], r[3]))
    shown_edges = rows[:max_edges]
    backbone = ""
    if len(kept) < len(order) or len(shown_edges) < len(rows):
        backbone = (f"Backbone: the {len(kept):,} highest-ranked of {len(order):,} commenters and the "
                    f"{len(shown_edges):,} heaviest of their {len(rows):,} links are shown (the full graph is in "
                    "graph.gexf).")

    table = commenters.set_index("author") if "author" in commenters else pd.DataFrame()
    xy = gexf_positions({n: analysis.layout[n] for n in kept if n in analysis.layout})
    sizes = score_sizes({n: scores.get(n, 0.0) for n in kept}, smallest=8, largest=40)
    central = analysis.central.sort_values("rank") if "rank" in analysis.central else analysis.central
    why = dict(zip(central["author"], central["why"])) if len(central) else {}
    report_rank = dict(zip(central["author"], central["rank"])) if "rank" in central else {}
    partners = _top_partners(edges, measured, position)
    topic_labels = dict(zip(analysis.topics["topic_id"].tolist(), analysis.topics["label"].tolist())) \
        if len(analysis.topics) else {}
    main = _main_topics(analysis.comments, position, topic_labels)
    # Column by column rather than a row lookup per commenter (a pandas row per node cost most of the page).
    present = [name in table.index for name in kept] if len(table.columns) else [False] * len(kept)
    known = table.reindex([name for name, here in zip(kept, present) if here])
    values = {column: iter([_plain(v) for v in known[column].tolist()])
              for column in {"community", "main_topic", *(c for c, _ in CARD_MEASURES)} if column in known}
    nodes = []
    for i, (name, here) in enumerate(zip(kept, present)):
        row = {column: next(column_values) for column, column_values in values.items()} if here else {}
        x, y = xy.get(name, (0.0, 0.0))
        card = {"measures": [[label, row[column]] for column, label in CARD_MEASURES
                             if row.get(column) is not None],
                "why": _text(why.get(name)), "report_rank": _plain(report_rank.get(name)),
                "topics": main.get(i, []), "partners": partners.get(i, [])}
        nodes.append({"name": str(name), "x": round(float(x), 2), "y": round(-float(y), 2),  # canvas y grows down
                      "r": round(sizes.get(name, 4) / 2, 2), "community": row.get("community"),
                      "topic": row.get("main_topic"),
                      "rank": i + 1, "bold": bool(report_rank.get(name, BOLD + 1) <= BOLD), "card": card})
    communities = sorted({n["community"] for n in nodes if n["community"] is not None})
    sizes_of = pd.Series([n["community"] for n in nodes]).value_counts().to_dict()
    colours = topic_colours(analysis.topics)
    kinds = sorted({r[3] for r in rows}, key=lambda k: (k not in measured, k))
    return {
        "title": report_title(analysis),
        "nodes": nodes,
        "edges": [list(r) for r in shown_edges],
        "kinds": [[kind, kind in measured] for kind in kinds],
        "communities": [[c, hex_colour(community_colour(c)), int(sizes_of.get(c, 0))] for c in communities],
        "topics": [[t, _text(label), hex_colour(topic_colour(t, colours))] for t, label in topic_labels.items()],
        "other_colour": hex_colour(OTHER_COLOUR), "palette": [hex_colour(c) for c in PALETTE],
        "subthreads": _subthreads(analysis.subthreads),
        "comments": _comments(analysis.comments, position),
        "backbone": backbone,
        "ranking_meaningful": _meaningful(analysis),
    }


def _columns(frame: pd.DataFrame, *names: str) -> list[np.ndarray]:
    """``frame``'s columns as numpy arrays to iterate (strings as Python objects): iterating
    pandas' Arrow-backed strings costs a Python call per value, most of this page's time."""
    return [frame[name].to_numpy(dtype=object) if frame[name].dtype == object or
            isinstance(frame[name].dtype, pd.StringDtype) else frame[name].to_numpy() for name in names]


def _among(frame: pd.DataFrame, column: str, names: Collection[Any]) -> np.ndarray:
    """Whether each row's ``column`` is one of ``names`` (a hash lookup, not pandas' per-name
    Arrow conversion of ``names``)."""
    return pd.Index(_columns(frame, column)[0], dtype=object).isin(list(names))


def _shown_links(edges: pd.DataFrame, position: Mapping[str, int]) -> pd.DataFrame:
    """The edge rows between two different commenters shown (``position``): only those links
    matter here, the rest are counted nowhere."""
    if not len(edges):
        return edges
    return edges[(edges["source"] != edges["target"]).to_numpy(dtype=bool) & _among(edges, "source", position)
                 & _among(edges, "target", position)]


def _meaningful(analysis: Analysis) -> bool:
    from ..measures.whole_graph import ranking_is_meaningful

    return ranking_is_meaningful(analysis.graph)


def _top_partners(edges: pd.DataFrame, measured: Collection[str], position: Mapping[str, int],
                  count: int = 3) -> dict[int, list[list[Any]]]:
    """node position -> [[name, links both ways]] of its ``count`` heaviest partners (measured kinds)."""
    if not len(edges):
        return {}
    chosen = edges[_among(edges, "kind", measured)]
    totals = {}
    for source, target, weight in zip(*_columns(chosen, "source", "target", "weight")):
        if source in position and target in position:
            for a, b in ((source, target), (target, source)):
                mine = totals.setdefault(position[a], {})
                mine[b] = mine.get(b, 0) + int(weight)
    return {node: [[str(name), weight] for name, weight in sorted(mine.items(), key=lambda kv: (-kv[1], str(kv[0])))
                   [:count]] for node, mine in totals.items()}


def _main_topics(comments: pd.DataFrame, position: Mapping[str, int], labels: Mapping[Any, str],
                 count: int = 3) -> dict[int, list[list[Any]]]:
    """node position -> [[topic label, comments]] of the topics the commenter writes most about."""
    if "topic_id" not in comments:
        return {}
    real = comments[~comments["is_placeholder"].to_numpy(dtype=bool) & _among(comments, "author", position)
                    & comments["topic_id"].notna().to_numpy()]
    counts = real.groupby(["author", "topic_id"]).size().reset_index(name="n")
    counts = counts.sort_values(["author", "n", "topic_id"], ascending=[True, False, True], kind="stable")
    out = {}
    for author, topic, n in zip(*_columns(counts, "author", "topic_id", "n")):
        mine = out.setdefault(position[author], [])
        if len(mine) < count:
            mine.append([_text(labels.get(topic, f"topic {topic}")), int(n)])
    return out


def _subthreads(subthreads: pd.DataFrame) -> dict[str, list[Any]]:
    if not len(subthreads):
        return {}
    top = subthreads[subthreads["level"] == 1] if "level" in subthreads else subthreads
    return {str(s): [_text(label), _text(author), int(n)] for s, label, author, n in zip(
        top["subthread_id"], top["label"] if "label" in top else [""] * len(top),
        top["root_author"], top["comments"])}


def _comments(comments: pd.DataFrame, position: Mapping[str, int]) -> dict[str, dict[str, Any]]:
    """node position -> [[subthread id, excerpt, the author replied to]], at most COMMENTS_PER_COMMENTER
    each, plus the count left out as a last number."""
    real = comments[~comments["is_placeholder"].to_numpy(dtype=bool) & _among(comments, "author", position)]
    total = {position[author]: n for author, n in real["author"].value_counts().items()}
    listed = real[real.groupby("author", sort=False).cumcount().to_numpy() < COMMENTS_PER_COMMENTER]
    parents = listed["parent_id"]
    author_of = pd.Series(comments["author"].to_numpy(), index=comments["comment_id"].astype(str))
    replied_to = author_of.reindex(parents.astype(str).to_numpy()).tolist()
    out = {}
    for author, subthread, text, parent, parent_author in zip(*_columns(listed, "author", "subthread_id", "text",
                                                                       "parent_id"), replied_to):
        flat = " ".join(_text(text).split())
        excerpt = flat if len(flat) <= EXCERPT else flat[:EXCERPT - 1].rstrip() + "…"
        out.setdefault(position[author], []).append(
            [str(subthread), excerpt, _text(parent_author) if _text(parent) else ""])
    return {str(node): {"list": mine, "more": total[node] - len(mine)} for node, mine in out.items()}


def _json_for_html(value: Any) -> str:
    """JSON text that cannot end the <script> element it sits in, nor break a JavaScript line."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def render_network_html(analysis: Analysis, *, max_nodes: int = MAX_NODES, max_edges: int = MAX_EDGES) -> str:
    """network.html as text: one file, no request (see the module docstring).

    Examples
    --------
    >>> from discourse import analyze
    >>> page = render_network_html(analyze())
    >>> "<canvas" in page and "http" not in page.split("<script", 1)[1]
    True
    """
    data = network_data(analysis, max_nodes=max_nodes, max_edges=max_edges)
    script = resources.files("discourse").joinpath("data/network.js").read_text(encoding="utf-8")
    style = resources.files("discourse").joinpath("data/network.css").read_text(encoding="utf-8")
    title = escape(f"Commenter network: {data['title']}")
    policy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>", f"<style>{style}</style>", "</head>", "<body>",
        '<div id="side">',
        f"<h1>{title}</h1>",
        '<p id="summary"></p><p id="backbone"></p>',
        '<label>Find a commenter <input id="search" type="search" list="names" autocomplete="off"'
        ' placeholder="name"></label><datalist id="names"></datalist><p id="found"></p>',
        '<label>Colour by <select id="colour"><option value="community">community</option>'
        '<option value="topic">main topic</option></select></label>',
        '<label>Community <select id="community"><option value="">all</option></select></label>',
        '<label>Topic <select id="topic"><option value="">all</option></select></label>',
        '<fieldset id="kinds"><legend>Links</legend></fieldset>',
        '<div id="key"></div>',
        '<p class="help">Drag to pan, scroll (or + and −) to zoom, hover a commenter for their card, '
        "click one to list their comments. Size: the report's ranking score; bold: the report's top "
        f"{BOLD}.</p>",
        '<div id="buttons"><button id="zoomin" title="zoom in">+</button>'
        '<button id="zoomout" title="zoom out">−</button><button id="reset">fit</button></div>',
        '<div id="comments"></div>',
        "</div>",
        '<canvas id="network"></canvas>', '<div id="card" hidden></div>',
        f'<script id="graph-data" type="application/json">{_json_for_html(data)}</script>',
        f"<script>{script}</script>", "</body>", "</html>", ""])
