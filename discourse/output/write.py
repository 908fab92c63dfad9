"""Write an Analysis to a folder: CSV tables, GEXF/GraphML, images and the report.

Export only writes: every number, layout and graph comes from the Analysis.  Files are written
into a temporary sibling folder first and moved into place at the end, so a failed run leaves the
previous outputs as they were.
"""

import re
import shutil
import tempfile
from datetime import datetime
from itertools import repeat
from pathlib import Path

import numpy as np
import pandas as pd

from .._runtime.worker import Worker
from .._runtime.collector import collector_paused
from ..drawing import (activity_figure, network_figure, save_figure, subthread_figure,  # noqa: F401
                      top_commenters_figure)
from ..drawing.common import shorten
from .gexf import write_gexf, write_gexf_with_timeline, write_graphml
from .._runtime.progress import stages
from .._runtime.stages import StageHook, StageReporter, stage_reporter
from .report import render_markdown, report_content, report_title
from .report_html import render_html
from ..model.schema import CSV_ORDER, neutralize_formula
from ..drawing.style import community_colour, gexf_positions, node_sizes, topic_colour
from ..network.timeline import second_texts
from .xml import graph_table, write_pieces

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
    (see :func:`discourse.model.schema.neutralize_formula`); discourse's CSV reader removes it again.
    The bytes are those of ``DataFrame.to_csv``, written column-wise a few thousand rows at a
    time (pandas' own writer handles one cell at a time, and frames of unusual column kinds).
    """
    if not _writes_like_pandas(frame):
        text_columns = [c for c in frame.columns if _is_text(frame[c].dtype)]
        time_columns = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c].dtype)]
        safe = frame.assign(**{c: _neutralized(frame[c]) for c in text_columns},
                            **{c: _iso_seconds(frame[c]) for c in time_columns})
        safe.to_csv(path, index=False, lineterminator="\n", date_format=ISO_SECONDS)
        return
    parts = [part for _, column in frame.items() for part in (_csv_field(column), ",")][:-1] + ["\n"]
    with open(path, "wb") as out:
        write_pieces(out, [",".join(_csv_cells(list(frame.columns))) + "\n", (parts, len(frame))])


#: How times are written (UTC in practice: the comments table keeps them so).
ISO_SECONDS = "%Y-%m-%dT%H:%M:%SZ"
#: A text :func:`neutralize_formula` changes starts with one of these (apostrophes may lead the formula).
_FORMULA_STARTS = "'=+-@\t\r"
_FORMULA_START = re.compile(f"\0[{re.escape(_FORMULA_STARTS)}]")  # a cell's start, see _csv_cells
#: What Python's csv writer quotes (QUOTE_MINIMAL, '\\n' line ends): nothing else, not even '\\r'.
_CSV_SPECIAL = ',"\n'


def _is_text(dtype):
    return dtype == object or isinstance(dtype, pd.StringDtype)


def _writes_like_pandas(frame):
    """Whether :func:`_csv_field` writes every column of ``frame`` as ``to_csv`` would.

    A one-column frame is left to pandas (csv quotes a row that is one empty field), and so are
    column kinds other than numbers, booleans, times, text and plain objects (categories...).
    """
    names = frame.columns
    if frame.shape[1] < 2 or not names.is_unique or not all(type(name) is str for name in names):
        return False
    return all(_csv_kind(dtype) is not None for dtype in frame.dtypes)


def _csv_kind(dtype):
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "time"
    if isinstance(dtype, np.dtype):
        return {"i": "int", "u": "int", "b": "int", "f": "float", "O": "object"}.get(dtype.kind)
    if isinstance(dtype, pd.StringDtype):
        return "text"
    if isinstance(dtype, pd.api.extensions.ExtensionDtype) and dtype.kind in "iub":
        return "boxed"  # nullable integers and booleans: pandas boxes them as objects
    return None


def _csv_field(column):
    """A row field (see :func:`~discourse.output.xml.write_pieces`) with the cells of ``column`` as
    :func:`write_csv` writes them: formulas neutralized in text, missing as "", quoted where csv
    quotes."""
    kind = _csv_kind(column.dtype)
    if kind == "int":  # pandas hands csv Python ints and bools: their str()
        values = column.to_numpy()
        return _int_field(values)
    if kind == "float":  # pandas formats floats with numpy, missing as ""
        values = column.to_numpy()
        # numpy's text of a float64 is Python's repr, which is faster to get one by one
        texts_of = (lambda block: list(map(repr, block.tolist()))) if values.dtype == np.float64 \
            else (lambda block: block.astype(str).tolist())

        def floats(start, stop):
            block = values[start:stop]
            texts = texts_of(block)
            for row in np.flatnonzero(np.isnan(block)).tolist():
                texts[row] = ""
            return texts
        return floats
    # The rest reaches csv as objects: text as it is, missing as "", anything else as str().
    # np.array copies: to_numpy(copy=True) can hand back a view of a string column's own values
    cells = np.array((_iso_seconds(column) if kind == "time" else column).to_numpy(dtype=object), dtype=object)
    cells[column.isna().to_numpy(dtype=bool)] = ""
    kept = None  # cells that are no text of their own, never neutralized
    if kind in ("object", "boxed"):
        kept = ~np.fromiter(map(isinstance, cells, repeat(str)), bool, len(cells))
        cells[kept] = [_csv_cell(cell, kind == "object") for cell in cells[kept]]
    formulas = _is_text(column.dtype)
    return lambda start, stop: _csv_cells(cells[start:stop].tolist(), formulas,
                                          None if kept is None else kept[start:stop])


def _int_field(values):
    """The str() of each int or bool of a numpy array, a row range at a time. Most such columns
    hold a few small numbers (depths, flags, topic ids): their texts are looked up, not made."""
    if values.dtype == bool:
        texts = ["False", "True"]
        return lambda start, stop: list(map(texts.__getitem__, values[start:stop].tolist()))
    low, high = (int(values.min()), int(values.max())) if len(values) else (0, 0)
    if high - low > 100_000:
        return lambda start, stop: list(map(str, values[start:stop].tolist()))
    texts = [str(number) for number in range(low, high + 1)]
    return lambda start, stop: list(map(texts.__getitem__, (values[start:stop].astype(np.int64) - low).tolist()))


def _csv_cell(value, dated):
    """One cell's text as csv writes it; ``dated``: times as ``date_format`` has pandas write them."""
    if dated and isinstance(value, (datetime, pd.Period)) and value is not pd.NaT:
        return value.strftime(ISO_SECONDS)
    return str(value)


def _csv_cells(texts, formulas=False, kept=None):
    """``texts`` as CSV cells: with ``formulas``, the ones :func:`neutralize_formula` changes
    changed (except where ``kept``); the ones csv quotes in double quotes (inner quotes doubled).

    The cells are searched as one string, each after a NUL: a check per cell costs more than
    writing it, and most columns have nothing to find.
    """
    joined = "\0" + "\0".join(texts)
    found = [match.start() for match in _FORMULA_START.finditer(joined)] if formulas else []
    specials = [_all_positions(joined, character) for character in _CSV_SPECIAL if character in joined]
    if not found and not specials:
        return texts
    lengths = np.fromiter(map(len, texts), np.int64, len(texts)) + 1
    nuls = np.cumsum(lengths) - lengths  # where the NUL before each cell sits
    texts = list(texts)
    for row in np.unique(np.searchsorted(nuls, found, side="right") - 1).tolist():
        if kept is None or not kept[row]:
            texts[row] = neutralize_formula(texts[row])
    quoted = np.unique(np.searchsorted(nuls, np.concatenate(specials), side="right") - 1) if specials else []
    for row in quoted:
        texts[row] = '"' + texts[row].replace('"', '""') + '"'
    return texts


def _all_positions(text, character):
    """Every position of ``character`` in ``text`` (str.find runs at memory speed; a regular
    expression with a character class looks at each character in turn)."""
    positions, at = [], text.find(character)
    while at >= 0:
        positions.append(at)
        at = text.find(character, at + 1)
    return np.array(positions, dtype=np.int64)


def _iso_seconds(column):
    """A time column as the text ``to_csv`` writes for it with ``date_format=ISO_SECONDS``, missing as NaN.

    numpy formats a million times in a blink; pandas' strftime for this layout takes seconds.
    Like strftime, it shows the wall time in the column's zone and drops fractions of a second.
    """
    wall = (column.dt.tz_localize(None) if column.dt.tz is not None else column).to_numpy()
    missing = column.isna().to_numpy()
    text = np.full(len(wall), np.nan, dtype=object)
    text[~missing] = second_texts(wall[~missing], suffix="Z")  # "...T10:00:00Z"
    return pd.Series(text, index=column.index, dtype=object)


def _neutralized(column):
    """``column`` with :func:`neutralize_formula` applied to each text cell (for pandas' writer)."""
    values = column.to_numpy(dtype=object)
    text = np.fromiter(map(isinstance, values, repeat(str)), bool, len(values))
    changed = [neutralize_formula(value) for value in values[text]]
    if all(new is old for new, old in zip(changed, values[text])):
        return column
    fixed = column.copy()
    fixed.iloc[np.flatnonzero(text)] = changed
    return fixed


def write_graphs(analysis, folder, stage: StageReporter = stage_reporter(None)):
    """graph.gexf (static, laid out), graph_timeline.gexf (when comments have times), commenter_topics.gexf
    (who talks about what) and graph.graphml; returns the file names written.  ``stage(name)``
    reports each file (see :mod:`discourse._runtime.stages`)."""
    folder = Path(folder)
    authors = analysis.commenters["author"].tolist()  # lists: a string column boxes each item it yields
    pagerank = dict(zip(authors, analysis.commenters["pagerank"].tolist()))
    community = dict(zip(authors, analysis.commenters["community"].tolist()))
    look = dict(positions=gexf_positions(analysis.layout), sizes=node_sizes(pagerank, smallest=4, largest=40),
                colors={n: community_colour(c) for n, c in community.items()}, title=report_title(analysis))
    table = graph_table(analysis.graph)  # the three files of the reply graph read it once
    timeline = analysis.timeline
    if timeline is not None and timeline.has_starts:
        with stage("write graph.gexf"):
            write_gexf_with_timeline(table, folder / "graph.gexf", folder / "graph_timeline.gexf",
                                     node_start=timeline.node_times, edge_start=timeline.edge_times, **look)
        written = ["graph.gexf", "graph_timeline.gexf"]
    else:
        with stage("write graph.gexf"):
            write_gexf(table, folder / "graph.gexf", **look)
        written = ["graph.gexf"]
    topic_map = analysis.topic_map
    if topic_map is not None and topic_map.graph.number_of_nodes():
        graph = topic_map.graph
        colours = {n: topic_colour(d.get("topic_id") if d.get("part") == "topic" else d.get("main_topic"))
                   for n, d in graph.nodes(data=True)}
        with stage("write commenter_topics.gexf"):
            write_gexf(graph, folder / "commenter_topics.gexf", positions=gexf_positions(topic_map.layout),
                       sizes=node_sizes(dict(graph.nodes(data="comments", default=0)), smallest=3, largest=40),
                       colors=colours, node_labels=topic_map.labels,
                       title=f"{report_title(analysis)}: commenters and the topics they write about "
                             "(edge weight = comments)")
        written.append("commenter_topics.gexf")
    with stage("write graph.graphml"):
        write_graphml(table, folder / "graph.graphml")
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


#: From this many comments, the graph files are written by a second process (discourse._runtime.worker).
GRAPHS_ALONGSIDE_FROM = 50_000


def _write_all(analysis, folder, image_format, advance, stage):
    # The graph files take as long as the tables and images together: on a big analysis a
    # forked process writes them meanwhile.
    with Worker(write_graphs, analysis, folder, stage, enabled=len(analysis.comments) >= GRAPHS_ALONGSIDE_FROM) as graphs:
        advance("tables")
        _write_tables(analysis, folder, stage)
        pngs = _write_images(analysis, folder, image_format, advance, stage)
        advance("graph files")
        graphs.result()
    advance("report")
    _write_reports(analysis, folder, pngs, stage)


def _write_tables(analysis, folder, stage):
    def write(frame, name):
        with stage(f"write {name}"):
            write_csv(frame, folder / name)

    write(_ordered(analysis.comments, COMMENT_COLUMNS), "comments.csv")
    write(_ordered(analysis.edges, EDGE_COLUMNS), "replies.csv")
    write(_ordered(analysis.commenters, COMMENTER_COLUMNS), "commenters.csv")
    write(_ordered(analysis.subthreads, SUBTHREAD_COLUMNS), "subthreads.csv")
    write(analysis.threads, "threads.csv")
    write(analysis.topics, "topics.csv")
    write(analysis.central, "central_commenters.csv")
    write(analysis.stability, "top5_stability.csv")


def _write_images(analysis, folder, image_format, advance, stage):
    """Each figure as PNG (and ``image_format``); returns file name -> PNG bytes."""
    pngs = {}
    for stem, make in figures(analysis):
        advance(f"{stem} image")
        with stage(f"figure {stem}"):
            figure = make()
        if figure is None:
            continue
        for fmt in dict.fromkeys(["png", image_format]):
            with stage(f"save {stem}.{fmt}"):
                save_figure(figure, folder / f"{stem}.{fmt}", fmt)
        pngs[f"{stem}.png"] = (folder / f"{stem}.png").read_bytes()
        figure.clear()
    return pngs


def _write_reports(analysis, folder, pngs, stage):
    """report.md and report.html; ``pngs``: file name -> PNG bytes of the images written."""
    content = report_content(analysis, list(pngs))  # both reports say the same; gather it once
    with stage("write report.md"):
        (folder / "report.md").write_text(render_markdown(analysis, images=list(pngs), content=content),
                                          encoding="utf-8")
    with stage("write report.html"):
        (folder / "report.html").write_text(render_html(analysis, images=pngs, content=content), encoding="utf-8")


@collector_paused
def write_outputs(analysis, folder, *, image_format="png", progress=False, on_stage: StageHook | None = None):
    """Write every output file of ``analysis`` into ``folder``; return the paths written.

    Images are PNG; ``image_format="svg"`` writes each one as SVG too.  ``progress`` shows a bar on
    standard error for runs longer than a couple of seconds.  ``on_stage(stage, event)`` is called
    as each file ("write comments.csv", "figure network", "save network.png", ...) starts and
    ends (see :mod:`discourse._runtime.stages`).
    """
    if image_format not in ("png", "svg"):
        raise ValueError(f"image_format must be 'png' or 'svg'; got {image_format!r}")
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        total = 3 + sum(1 for _ in figures(analysis))  # tables, graph files, each image, report
        with stages(f"writing {folder.name}", total, enabled=progress) as advance:
            _write_all(analysis, staging, image_format, advance, stage_reporter(on_stage))
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
