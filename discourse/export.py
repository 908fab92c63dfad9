"""Write an Analysis to a folder: CSV tables, GEXF/GraphML, images and the report.

Export only writes: every number, layout and graph comes from the Analysis.  Files are written
into a temporary sibling folder first and moved into place at the end, so a failed run leaves the
previous outputs as they were.
"""

import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from .figures import (activity_figure, network_figure, save_figure, subthread_figure,  # noqa: F401
                      top_commenters_figure)
from .figures.common import shorten
from .gexf import write_gexf, write_graphml
from .progress import stages
from .report import render_markdown, report_title
from .report_html import render_html
from .schema import CSV_ORDER, neutralize_formula
from .style import community_colour, gexf_positions, node_sizes, topic_colour

COMMENT_COLUMNS = [*CSV_ORDER, "topic_id", "topic_label"]
EDGE_COLUMNS = ["source", "target", "weight", "kind"]
COMMENTER_COLUMNS = ["author", "comments", "replies_received", "replies_given", "pagerank", "betweenness",
                     "community"]
SUBTHREAD_COLUMNS = ["subthread_id", "root_comment_id", "root_author", "comments", "participants", "label",
                     "topic_id", "topic_label"]


def _ordered(frame, first):
    first = [c for c in first if c in frame.columns]
    return frame[[*first, *[c for c in frame.columns if c not in first]]]


def write_csv(frame, path):
    """CSV as pandas reads it back: UTF-8, '\\n' line ends, ISO times, no index.

    Text cells that a spreadsheet would run as a formula get a leading apostrophe
    (see :func:`discourse.schema.neutralize_formula`); discourse's CSV reader removes it again.
    """
    text_columns = [c for c in frame.columns if frame[c].dtype == object or isinstance(frame[c].dtype, pd.StringDtype)]
    time_columns = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c].dtype)]
    safe = frame.assign(**{c: _neutralized(frame[c]) for c in text_columns},
                        **{c: _iso_seconds(frame[c]) for c in time_columns})
    safe.to_csv(path, index=False, lineterminator="\n", date_format=ISO_SECONDS)


#: How times are written (UTC in practice: the comments table keeps them so).
ISO_SECONDS = "%Y-%m-%dT%H:%M:%SZ"


def _iso_seconds(column):
    """A time column as the text ``to_csv`` writes for it with ``date_format=ISO_SECONDS``, missing as NaN.

    numpy formats a million times in a blink; pandas' strftime for this layout takes seconds.
    Like strftime, it shows the wall time in the column's zone and drops fractions of a second.
    """
    wall = column.dt.tz_localize(None) if column.dt.tz is not None else column
    text = np.datetime_as_string(wall.to_numpy(), unit="s", timezone="UTC").astype(object)  # "...T10:00:00Z"
    text[column.isna().to_numpy()] = np.nan
    return pd.Series(text, index=column.index, dtype=object)


#: First characters of every text :func:`neutralize_formula` changes (apostrophes may lead the formula).
_FORMULA_STARTS = "'=+-@\t\r"


def _neutralized(column):
    """``column`` with :func:`neutralize_formula` applied to each cell, the cells it leaves alone untouched.

    Only a cell starting with one of ``_FORMULA_STARTS`` can change, so those are found first and
    only they go through the function: a regular expression on every cell of a million-row table
    took longer than writing the file.
    """
    values = column.to_numpy(dtype=object)
    candidates = _starts_with_any(values, _FORMULA_STARTS)
    if not candidates.any():
        return column
    fixed = column.copy()
    fixed.iloc[np.flatnonzero(candidates)] = [neutralize_formula(value) for value in values[candidates]]
    return fixed


def _starts_with_any(values, characters):
    """Boolean array: which cells of an object array are text starting with one of ``characters``.

    Casting to one-character numpy text is the fast way (it keeps the first character of each
    value's text); it can flag a non-text value too (-5 as "-"), which is harmless here, and it
    fails on undecodable bytes, where the slow per-cell check takes over.
    """
    try:
        return np.isin(values.astype("U1"), list(characters))
    except (UnicodeError, TypeError, ValueError):
        starts = set(characters)
        return np.fromiter((isinstance(value, str) and value[:1] in starts for value in values), bool, len(values))


def write_graphs(analysis, folder):
    """graph.gexf (static, laid out), graph_timeline.gexf (when comments have times), commenter_topics.gexf
    (who talks about what) and graph.graphml; returns the file names written."""
    folder = Path(folder)
    pagerank = dict(zip(analysis.commenters["author"], analysis.commenters["pagerank"]))
    community = dict(zip(analysis.commenters["author"], analysis.commenters["community"]))
    look = dict(positions=gexf_positions(analysis.layout), sizes=node_sizes(pagerank, smallest=4, largest=40),
                colors={n: community_colour(c) for n, c in community.items()}, title=report_title(analysis))
    write_gexf(analysis.graph, folder / "graph.gexf", **look)
    written = ["graph.gexf"]
    timeline = analysis.timeline
    if timeline is not None and (timeline.node_start or timeline.edge_start):
        write_gexf(analysis.graph, folder / "graph_timeline.gexf", node_start=timeline.node_start,
                   edge_start=timeline.edge_start, **look)
        written.append("graph_timeline.gexf")
    topic_map = analysis.topic_map
    if topic_map is not None and topic_map.graph.number_of_nodes():
        graph = topic_map.graph
        colours = {n: topic_colour(d.get("topic_id") if d.get("part") == "topic" else d.get("main_topic"))
                   for n, d in graph.nodes(data=True)}
        write_gexf(graph, folder / "commenter_topics.gexf", positions=gexf_positions(topic_map.layout),
                   sizes=node_sizes(dict(graph.nodes(data="comments", default=0)), smallest=3, largest=40),
                   colors=colours, node_labels=topic_map.labels,
                   title=f"{report_title(analysis)}: commenters and the topics they write about "
                         "(edge weight = comments)")
        written.append("commenter_topics.gexf")
    write_graphml(analysis.graph, folder / "graph.graphml")
    written.append("graph.graphml")
    return written


def figures(analysis):
    """(file stem, Figure or None) for each image, built one at a time (a generator: one figure in memory)."""
    title = shorten(report_title(analysis), 80)
    seed = analysis.options.random_state
    yield "network", lambda: network_figure(analysis.graph, analysis.commenters, analysis.layout,
                                            title=f"Who replies to whom: {title}", seed=seed)
    yield "top_commenters", lambda: top_commenters_figure(analysis.central, analysis.commenters,
                                                          title=f"Most central commenters: {title}")
    yield "subthreads", lambda: subthread_figure(analysis.comments, analysis.subthreads, analysis.topics,
                                                 title=f"Subthreads as reply trees: {title}")
    yield "activity", lambda: activity_figure(analysis.comments, analysis.central, analysis.topics,
                                              title=f"Activity over time: {title}")


def _write_all(analysis, folder, image_format, advance):
    advance("tables")
    write_csv(_ordered(analysis.comments, COMMENT_COLUMNS), folder / "comments.csv")
    write_csv(_ordered(analysis.edges, EDGE_COLUMNS), folder / "replies.csv")
    write_csv(_ordered(analysis.commenters, COMMENTER_COLUMNS), folder / "commenters.csv")
    write_csv(_ordered(analysis.subthreads, SUBTHREAD_COLUMNS), folder / "subthreads.csv")
    write_csv(analysis.threads, folder / "threads.csv")
    write_csv(analysis.topics, folder / "topics.csv")
    write_csv(analysis.central, folder / "central_commenters.csv")
    write_csv(analysis.stability, folder / "top5_stability.csv")
    advance("graph files")
    write_graphs(analysis, folder)
    pngs = {}
    for stem, make in figures(analysis):
        advance(f"{stem} image")
        figure = make()
        if figure is None:
            continue
        for fmt in dict.fromkeys(["png", image_format]):
            save_figure(figure, folder / f"{stem}.{fmt}", fmt)
        pngs[f"{stem}.png"] = (folder / f"{stem}.png").read_bytes()
        figure.clear()
    advance("report")
    (folder / "report.md").write_text(render_markdown(analysis, images=list(pngs)), encoding="utf-8")
    (folder / "report.html").write_text(render_html(analysis, images=pngs), encoding="utf-8")


def write_outputs(analysis, folder, *, image_format="png", progress=False):
    """Write every output file of ``analysis`` into ``folder``; return the paths written.

    Images are PNG; ``image_format="svg"`` writes each one as SVG too.  ``progress`` shows a bar on
    standard error for runs longer than a couple of seconds.
    """
    if image_format not in ("png", "svg"):
        raise ValueError(f"image_format must be 'png' or 'svg'; got {image_format!r}")
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        total = 3 + sum(1 for _ in figures(analysis))  # tables, graph files, each image, report
        with stages(f"writing {folder.name}", total, enabled=progress) as advance:
            _write_all(analysis, staging, image_format, advance)
        if folder.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old.", dir=folder.parent))
            folder.rename(retired / folder.name)
            staging.rename(folder)
            shutil.rmtree(retired)
        else:
            staging.rename(folder)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return sorted(folder.iterdir())
