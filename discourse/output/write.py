"""Write an Analysis to a folder: CSV tables, GEXF/GraphML, images and the report.

Export only writes: every number, layout and graph comes from the Analysis.  :data:`OUTPUT_FILES`
lists the files; :func:`write_outputs` writes them into a staging folder and moves them into place
at the end (:mod:`discourse.output.folder`), so a failed run leaves the previous outputs as they were.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import datetime, timezone
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import numpy as np
import pandas as pd

from .._runtime.worker import Worker
from .._runtime.collector import collector_paused
from ..drawing import fonts
from ..topics.edited import label_table
from ..drawing import (activity_figure, degree_figure, network_figure, save_figure, subthread_figure,  # noqa: F401
                      top_commenters_figure)
from ..drawing.common import shorten
from .. import __version__
from ..exceptions import ExportError
from ..model.corpus import tally
from .folder import MARKER, input_facts, replacing
from .gexf import write_gexf, write_gexf_with_timeline, write_graphml
from .._runtime.progress import stages
from .._runtime.stages import StageHook, StageReporter, stage_reporter
from .report import render_markdown, report_content, report_title
from .report_html import render_html
from .network_html import render_network_html
from ..model.schema import CSV_ORDER
from ..drawing.style import community_colour, gexf_positions, node_sizes, topic_colour, topic_colours
from ..network.timeline import second_texts
from .xlsx import write_xlsx
from .xml import graph_table, write_pieces

if TYPE_CHECKING:
    import numpy.typing as npt
    from pandas.api.extensions import ExtensionDtype

    from ..pipeline import Analysis
    from .xml import Field

__all__ = ["OUTPUT_FILES", "OutputFile", "WriteRun", "Writer", "write_csv", "write_outputs"]

COMMENT_COLUMNS = [*CSV_ORDER, "topic_id", "topic_label", "text_status"]
EDGE_COLUMNS = ["source", "target", "weight", "kind"]
COMMENTER_COLUMNS = ["author", "comments", "replies_received", "replies_given", "pagerank", "betweenness",
                     "community"]
SUBTHREAD_COLUMNS = ["subthread_id", "root_comment_id", "root_author", "comments", "participants", "label",
                     "topic_id", "topic_label"]


def _ordered(frame: pd.DataFrame, first: Iterable[str]) -> pd.DataFrame:
    first = [c for c in first if c in frame.columns]
    return frame[[*first, *[c for c in frame.columns if c not in first]]]


def write_csv(frame: pd.DataFrame, path: str | os.PathLike | BinaryIO) -> None:
    """CSV as pandas reads it back: UTF-8, '\\n' line ends, ISO times, no index; ``path`` may be a
    binary stream (standard output's buffer), written to and left open.

    Every cell holds its value exactly (``@bob`` stays ``@bob``, so the CSVs join with the graph
    files' ids); spreadsheet users open tables.xlsx, where no text runs as a formula.
    The bytes are those of ``DataFrame.to_csv``, written column-wise a few thousand rows at a
    time (pandas' own writer handles one cell at a time, and frames of unusual column kinds).
    """
    if not _writes_like_pandas(frame):
        time_columns = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c].dtype)]
        timed = frame.assign(**{c: _iso_seconds(frame[c]) for c in time_columns})
        timed.to_csv(path, index=False, lineterminator="\n", date_format=ISO_SECONDS)
        return
    parts = [part for _, column in frame.items() for part in (_csv_field(column), ",")][:-1] + ["\n"]
    pieces = [",".join(_csv_cells(list(frame.columns))) + "\n", (parts, len(frame))]
    if hasattr(path, "write"):
        write_pieces(path, pieces)
        return
    with open(path, "wb") as out:
        write_pieces(out, pieces)


#: How times are written (UTC in practice: the comments table keeps them so).
ISO_SECONDS = "%Y-%m-%dT%H:%M:%SZ"
#: What Python's csv writer quotes (QUOTE_MINIMAL, '\\n' line ends): nothing else, not even '\\r'.
_CSV_SPECIAL = ',"\n'


def _writes_like_pandas(frame: pd.DataFrame) -> bool:
    """Whether :func:`_csv_field` writes every column of ``frame`` as ``to_csv`` would.

    A one-column frame is left to pandas (csv quotes a row that is one empty field), and so are
    column kinds other than numbers, booleans, times, text and plain objects (categories...).
    """
    names = frame.columns
    if frame.shape[1] < 2 or not names.is_unique or not all(type(name) is str for name in names):
        return False
    return all(_csv_kind(dtype) is not None for dtype in frame.dtypes)


def _csv_kind(dtype: np.dtype | ExtensionDtype) -> str | None:
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "time"
    if isinstance(dtype, np.dtype):
        return {"i": "int", "u": "int", "b": "int", "f": "float", "O": "object"}.get(dtype.kind)
    if isinstance(dtype, pd.StringDtype):
        return "text"
    if isinstance(dtype, pd.api.extensions.ExtensionDtype) and dtype.kind in "iub":
        return "boxed"  # nullable integers and booleans: pandas boxes them as objects
    return None


def _csv_field(column: pd.Series) -> Field:
    """A row field (see :func:`~discourse.output.xml.write_pieces`) with the cells of ``column`` as
    :func:`write_csv` writes them: text as it is, missing as "", quoted where csv
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

        def floats(start: int, stop: int) -> list[str]:
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
    if kind in ("object", "boxed"):
        other = ~np.fromiter(map(isinstance, cells, repeat(str)), bool, len(cells))  # no text of their own
        cells[other] = [_csv_cell(cell, kind == "object") for cell in cells[other]]
    return lambda start, stop: _csv_cells(cells[start:stop].tolist())


def _int_field(values: np.ndarray) -> Field:
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


def _csv_cell(value: object, dated: bool) -> str:
    """One cell's text as csv writes it; ``dated``: times as ``date_format`` has pandas write them."""
    if dated and isinstance(value, (datetime, pd.Period)) and value is not pd.NaT:
        return value.strftime(ISO_SECONDS)
    return str(value)


def _csv_cells(texts: list[str]) -> list[str]:
    """``texts`` as CSV cells: the ones csv quotes in double quotes (inner quotes doubled).

    The cells are searched as one string, each after a NUL: a check per cell costs more than
    writing it, and most columns have nothing to find.
    """
    joined = "\0" + "\0".join(texts)
    specials = [_all_positions(joined, character) for character in _CSV_SPECIAL if character in joined]
    if not specials:
        return texts
    lengths = np.fromiter(map(len, texts), np.int64, len(texts)) + 1
    nuls = np.cumsum(lengths) - lengths  # where the NUL before each cell sits
    texts = list(texts)
    for row in np.unique(np.searchsorted(nuls, np.concatenate(specials), side="right") - 1).tolist():
        texts[row] = '"' + texts[row].replace('"', '""') + '"'
    return texts


def _all_positions(text: str, character: str) -> npt.NDArray[np.int64]:
    """Every position of ``character`` in ``text`` (str.find runs at memory speed; a regular
    expression with a character class looks at each character in turn)."""
    positions, at = [], text.find(character)
    while at >= 0:
        positions.append(at)
        at = text.find(character, at + 1)
    return np.array(positions, dtype=np.int64)


def _iso_seconds(column: pd.Series) -> pd.Series:
    """A time column as the text ``to_csv`` writes for it with ``date_format=ISO_SECONDS``, missing as NaN.

    numpy formats a million times in a blink; pandas' strftime for this layout takes seconds.
    Like strftime, it shows the wall time in the column's zone and drops fractions of a second.
    """
    wall = (column.dt.tz_localize(None) if column.dt.tz is not None else column).to_numpy()
    missing = column.isna().to_numpy()
    text = np.full(len(wall), np.nan, dtype=object)
    text[~missing] = second_texts(wall[~missing], suffix="Z")  # "...T10:00:00Z"
    return pd.Series(text, index=column.index, dtype=object)


#: From this many comments, the graph files are written by a second process (discourse._runtime.worker).
GRAPHS_ALONGSIDE_FROM = 50_000


@dataclass
class WriteRun:
    """What the writers of one :func:`write_outputs` call share.

    ``names``: the files asked for, in :data:`OUTPUT_FILES` order; ``written``: the files written
    so far; ``memo``: work several writers need (a table, a figure), done once and kept here;
    ``stage(name)``: reports a stage to the caller's hook (see :mod:`discourse._runtime.stages`).
    """

    folder: Path
    names: tuple[str, ...]
    image_format: str = "png"
    stage: StageReporter = field(default_factory=lambda: stage_reporter(None))
    record: dict[str, Any] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)
    memo: dict[str, Any] = field(default_factory=dict)

    def once(self, key: str, make: Callable[[], Any]) -> Any:
        """``make()``, computed at the first call for ``key`` in this run."""
        if key not in self.memo:
            self.memo[key] = make()
        return self.memo[key]


#: A writer: writes ``path`` (a file in the run's folder) from the analysis; returns False when
#: the analysis has nothing for that file (no times: no activity.png), anything else when written.
Writer = Callable[["Analysis", Path, WriteRun], "bool | None"]


@dataclass(frozen=True)
class OutputFile:
    """One file :func:`write_outputs` can write.

    ``write(analysis, path, run)`` writes it (see :data:`Writer`), when ``when(analysis)`` says the
    analysis has something for it (the timeline needs times); ``alongside``: written in a
    second process on big analyses, while the others are written; ``last``: written after every
    other file (it reads them, as the reports read the images); ``on_request``: written only when
    named in ``only`` (or, for SVG images, with ``image_format="svg"``); ``own_stages``: the
    writer reports its own stages (an image: "figure network", "save network.png"), where the
    others are reported as "write NAME".
    """

    name: str
    description: str
    write: Writer
    alongside: bool = False
    last: bool = False
    on_request: bool = False
    own_stages: bool = False
    when: Callable[["Analysis"], bool] = lambda analysis: True


#: Each CSV file's table, its contract columns first.
_TABLES: dict[str, Callable[["Analysis"], pd.DataFrame]] = {
    "comments.csv": lambda a: _ordered(a.comments, COMMENT_COLUMNS),
    "replies.csv": lambda a: _ordered(a.edges, EDGE_COLUMNS),
    "commenters.csv": lambda a: _ordered(a.commenters, COMMENTER_COLUMNS),
    "subthreads.csv": lambda a: _ordered(a.subthreads, SUBTHREAD_COLUMNS),
    "labels.csv": lambda a: label_table(a.subthreads, a.topics, a.threads),
    "threads.csv": lambda a: a.threads, "topics.csv": lambda a: a.topics,
    "central_commenters.csv": lambda a: a.central, "top5_stability.csv": lambda a: a.stability,
    "graph.csv": lambda a: a.statistics, "communities.csv": lambda a: a.communities,
}


def _table(name: str) -> Writer:
    """A writer of the CSV file ``name`` of :data:`_TABLES`."""
    def write(analysis: "Analysis", path: Path, run: WriteRun) -> None:
        write_csv(_TABLES[name](analysis), path)
    return write


#: tables.xlsx's sheets: sheet name -> the CSV file it holds.
SHEETS = {"comments": "comments.csv", "replies": "replies.csv", "commenters": "commenters.csv",
          "subthreads": "subthreads.csv", "threads": "threads.csv", "topics": "topics.csv",
          "central_commenters": "central_commenters.csv", "top5_stability": "top5_stability.csv"}


def _write_workbook(analysis: "Analysis", path: Path, run: WriteRun) -> None:
    """tables.xlsx: the tables of the CSV files (same columns, same order), one sheet each."""
    write_xlsx(((sheet, _TABLES[name](analysis)) for sheet, name in SHEETS.items()), path)


def _graph_look(analysis: "Analysis", run: WriteRun) -> tuple[Any, dict[str, Any]]:
    """The reply graph's table (read once by its three files) and how graph.gexf draws it."""
    def make() -> tuple[Any, dict[str, Any]]:
        authors = analysis.commenters["author"].tolist()  # lists: a string column boxes each item it yields
        pagerank = dict(zip(authors, analysis.commenters["pagerank"].tolist()))
        community = dict(zip(authors, analysis.commenters["community"].tolist()))
        look = dict(positions=gexf_positions(analysis.layout), sizes=node_sizes(pagerank, smallest=4, largest=40),
                    colors={n: community_colour(c) for n, c in community.items()}, title=report_title(analysis))
        return graph_table(analysis.graph), look
    return run.once("graph", make)


def _has_timeline(analysis: "Analysis") -> bool:
    return analysis.timeline is not None and analysis.timeline.has_starts


def _write_graph_gexf(analysis: "Analysis", path: Path, run: WriteRun) -> None:
    table, look = _graph_look(analysis, run)
    timeline = analysis.timeline
    if _has_timeline(analysis) and "graph_timeline.gexf" in run.names:
        # both files in one pass: each row's values are formatted once for the two
        write_gexf_with_timeline(table, path, path.with_name("graph_timeline.gexf"),
                                 node_start=timeline.node_times, edge_start=timeline.edge_times, **look)
        run.memo["graph_timeline.gexf"] = True
    else:
        write_gexf(table, path, **look)


def _write_timeline_gexf(analysis: "Analysis", path: Path, run: WriteRun) -> None:
    if not run.memo.get(path.name):  # not written beside graph.gexf
        table, look = _graph_look(analysis, run)
        write_gexf(table, path, node_start=analysis.timeline.node_times, edge_start=analysis.timeline.edge_times,
                   **look)


def _has_topic_map(analysis: "Analysis") -> bool:
    return analysis.topic_map is not None and analysis.topic_map.graph.number_of_nodes() > 0


def _write_topic_gexf(analysis: "Analysis", path: Path, run: WriteRun) -> None:
    topic_map = analysis.topic_map
    graph = topic_map.graph
    by_size = topic_colours(analysis.topics)  # as in the pictures and network.html
    colours = {n: topic_colour(d.get("topic_id") if d.get("part") == "topic" else d.get("main_topic"), by_size)
               for n, d in graph.nodes(data=True)}
    write_gexf(graph, path, positions=gexf_positions(topic_map.layout),
               sizes=node_sizes(dict(graph.nodes(data="comments", default=0)), smallest=3, largest=40),
               colors=colours, node_labels=topic_map.labels,
               title=f"{report_title(analysis)}: commenters and the topics they write about "
                     "(edge weight = comments)")


def _write_graph_graphml(analysis: "Analysis", path: Path, run: WriteRun) -> None:
    write_graphml(_graph_look(analysis, run)[0], path)


def figures(analysis: "Analysis") -> Iterator[tuple[str, Callable[[], Any]]]:
    """(file stem, a function making its Figure or None) for each image."""
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
    yield "degrees", lambda: degree_figure(analysis.graph, title=f"Degree distribution: {title}")


def _image(stem: str, fmt: str) -> Writer:
    """A writer of image ``stem`` as ``fmt``.  The figure is made once for its PNG and SVG (one
    figure in memory at a time: the PNG's writer saves the SVG too when it is asked for)."""
    def write(analysis: "Analysis", path: Path, run: WriteRun) -> bool:
        if f"{stem}.{fmt}" in run.memo:
            return run.memo[f"{stem}.{fmt}"]
        with fonts.drawing():  # every script the system has a font for; no per-glyph warnings
            with run.stage(f"figure {stem}"):
                figure = dict(figures(analysis))[stem]()
            formats = [f for f in ("png", "svg") if f == fmt or f"{stem}.{f}" in run.names]
            for other in formats:
                run.memo[f"{stem}.{other}"] = figure is not None
                if figure is not None:
                    with run.stage(f"save {stem}.{other}"):
                        save_figure(figure, path.with_name(f"{stem}.{other}"), other)
        if figure is None:
            return False
        run.once("undrawable labels", lambda: _name_undrawable(analysis))
        figure.clear()
        return True
    return write


def _name_undrawable(analysis: "Analysis") -> list[str]:
    """Warn once of the labels and names no font on this system draws (a glyph would be a box)."""
    missing = fonts.undrawable([*analysis.topics["label"], *analysis.subthreads["label"],
                                *analysis.commenters["author"].astype(str)])
    if missing:
        warnings.warn(f"no font on this system draws every character of {len(missing)} label(s) in the images "
                      f"(install fonts-noto-cjk or another font for their script): "
                      + "; ".join(missing[:5]) + ("; ..." if len(missing) > 5 else ""), stacklevel=2)
    return missing


def _undrawable_note(missing: list[str] | None) -> list[str]:
    """The labels and names the images could not draw (:func:`_name_undrawable`), said once in the report."""
    if not missing:
        return []
    return [f"No font on this system draws every character of {len(missing)} label(s) or name(s), shown with "
            "empty boxes in the images (install fonts-noto-cjk or another font for their script): "
            + "; ".join(missing[:10]) + ("; ..." if len(missing) > 10 else "") + "."]


def _report_content(analysis: "Analysis", run: WriteRun) -> tuple[list[str], Any]:
    """The images the reports show (the PNGs written) and what both reports say (gathered once),
    the run's record (what run.json holds) among the data notes."""
    def make() -> tuple[list[str], Any]:
        images = [name for name in run.written if name.endswith(".png")]
        content = report_content(analysis, images)
        content["notes"] = [*content["notes"], *_undrawable_note(run.memo.get("undrawable labels")),
                            *_record_notes(run.record)]
        return images, content
    return run.once("report", make)


def _record_notes(record: dict[str, Any]) -> list[str]:
    """The run's record in plain sentences (the same facts as run.json)."""
    if not record:
        return []
    counts = record["counts"]
    notes = [f"Written by discourse {record['version']} from {record['started']} to {record['finished']} (UTC)"
             + (f" by: {' '.join(record['command'])}" if record.get("command") else "") + ".",
             f"Records read: {counts['read']:,}; comments written: {counts['written']:,}; "
             f"records skipped: {counts['skipped']:,}"
             + (f"; comments filtered out: {counts['filtered']:,}." if counts.get("filtered") else ".")]
    notes += [f"Input {fact['path']}: " + (f"{fact['size']:,} bytes, SHA-256 {fact['sha256']}."
                                           if fact["size"] is not None else "a folder.")
              for fact in record["inputs"]]
    return notes


def _write_record(analysis: "Analysis", path: Path, run: WriteRun) -> None:
    files = [*run.written, path.name]
    path.write_text(json.dumps({**run.record, "files": files}, indent=2, ensure_ascii=False, default=str) + "\n",
                    encoding="utf-8")


def _run_record(analysis: "Analysis", inputs: Sequence[Any], command: Sequence[str] | None,
                started: datetime, redact: Callable[[str], str] | None = None) -> dict[str, Any]:
    """What run.json says about a run but the end time and the files (see README "Output folders");
    ``redact`` masks the command line, the paths and the options' texts (pseudonymised runs)."""
    counts = tally(analysis.corpus)
    options = {name: getattr(analysis.options, name) for name in vars(analysis.options)} \
        if not is_dataclass(analysis.options) else asdict(analysis.options)
    facts = input_facts(inputs)
    if redact is not None:
        command = [redact(str(part)) for part in command] if command else command
        facts = [{**fact, "path": redact(fact["path"])} for fact in facts]
        options = {name: redact(str(value)) if isinstance(value, (str, os.PathLike)) else value
                   for name, value in options.items()}
    return {"tool": "discourse", "version": __version__, "command": list(command) if command else None,
            "options": options, "inputs": facts,
            "counts": {"read": counts.read, "written": counts.written, "skipped": counts.skipped,
                       "filtered": counts.filtered},
            "filters": analysis.corpus.filters.describe() if getattr(analysis.corpus, "filters", None) else [],
            "started": _utc_text(started), "finished": None}


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime(ISO_SECONDS)


def _write_markdown(analysis: "Analysis", path: Path, run: WriteRun) -> None:
    images, content = _report_content(analysis, run)
    path.write_text(render_markdown(analysis, images=images, content=content), encoding="utf-8")


def _write_html(analysis: "Analysis", path: Path, run: WriteRun) -> None:
    images, content = _report_content(analysis, run)
    pngs = {name: (run.folder / name).read_bytes() for name in images}
    path.write_text(render_html(analysis, images=pngs, content=content), encoding="utf-8")


_IMAGES = {"network": "the commenter network: size by the report's ranking score, colour by community, "
                      "the top commenters labelled (the report's top 3 in bold)",
           "top_commenters": "the most central commenters by PageRank, replies received, betweenness and partners",
           "subthreads": "each subthread as a reply tree headed by its label, coloured by topic",
           "activity": "comments over time by topic, and when the top commenters wrote (only with times)",
           "degrees": "the degree distribution: how many commenters have each number of partners"}

#: Every file :func:`write_outputs` writes, in the order it writes them: name -> :class:`OutputFile`.
#: Adding a file is adding one entry; README's "What you get" table lists the same names.
OUTPUT_FILES: dict[str, OutputFile] = {entry.name: entry for entry in [
    OutputFile("comments.csv", "one row per comment or placeholder, in source order", _table("comments.csv")),
    OutputFile("replies.csv", "one row per commenter pair and edge kind", _table("replies.csv")),
    OutputFile("commenters.csv", "one row per commenter: counts, measures, main topic", _table("commenters.csv")),
    OutputFile("subthreads.csv", "one row per subthread and labelled branch", _table("subthreads.csv")),
    OutputFile("labels.csv", "every label (topic, subthread, branch, thread), to edit and give back with --labels",
               _table("labels.csv")),
    OutputFile("threads.csv", "one row per thread", _table("threads.csv")),
    OutputFile("topics.csv", "one row per topic cluster", _table("topics.csv")),
    OutputFile("communities.csv", "one row per commenter community, described by its members' topics",
               _table("communities.csv"), when=lambda a: a.communities is not None),
    OutputFile("central_commenters.csv", "the top commenters with rank, score and why",
               _table("central_commenters.csv")),
    OutputFile("top5_stability.csv", "the top 5 with each subthread left out", _table("top5_stability.csv")),
    OutputFile("tables.xlsx", "every table above as one sheet, for spreadsheets: text stays text, "
               "nothing runs as a formula (a table over 1,048,575 rows goes on in a sheet \"NAME (2)\")",
               _write_workbook, alongside=True),
    OutputFile("graph.gexf", "the commenter graph for Gephi, laid out, every measure as a node attribute",
               _write_graph_gexf, alongside=True),
    OutputFile("graph_timeline.gexf", "the same graph for Gephi's timeline (only with times)",
               _write_timeline_gexf, alongside=True, when=_has_timeline),
    OutputFile("commenter_topics.gexf", "commenters linked to the topics they write about",
               _write_topic_gexf, alongside=True, when=_has_topic_map),
    OutputFile("graph.graphml", "the commenter graph as GraphML", _write_graph_graphml, alongside=True),
    OutputFile("graph.csv", "one row of whole-graph statistics: density, components, paths, clustering",
               _table("graph.csv"), when=lambda a: a.statistics is not None),
    OutputFile("network.html", "the network to explore in a browser: pan, zoom, search, filters, cards",
               lambda analysis, path, run: path.write_text(render_network_html(analysis), encoding="utf-8")),
    *[OutputFile(f"{stem}.{fmt}", description if fmt == "png" else f"{stem}.png as SVG (with --svg)",
                 _image(stem, fmt), on_request=fmt == "svg", own_stages=True)
      for stem, description in _IMAGES.items() for fmt in ("png", "svg")],
    OutputFile("report.md", "the report in Markdown", _write_markdown, last=True),
    OutputFile("report.html", "the report as one self-contained page", _write_html, last=True),
    OutputFile(MARKER, "the run's record: discourse version, command line and options, each input's path, "
               "size and SHA-256, the counts read, written and skipped, start and end times, the files "
               "written; it marks the folder as discourse's", _write_record, last=True),
]}


def _chosen(only: Iterable[str] | None, image_format: str) -> tuple[str, ...]:
    if only is None:
        return tuple(name for name, entry in OUTPUT_FILES.items()
                     if not entry.on_request or (image_format == "svg" and name.endswith(".svg")))
    asked = [*([only] if isinstance(only, str) else only), MARKER]  # the marker always: the folder is discourse's
    unknown = [name for name in asked if name not in OUTPUT_FILES]
    if unknown:
        raise ExportError(f"only must name files of OUTPUT_FILES ({', '.join(OUTPUT_FILES)}); got {unknown}")
    return tuple(name for name in OUTPUT_FILES if name in asked)


def _write_files(analysis: "Analysis", run: WriteRun, names: Iterable[str],
                 advance: Callable[[str], None] = lambda name: None) -> list[str]:
    """Write ``names`` in turn into the run's folder; return those written."""
    written = []
    for name in names:
        advance(name)
        entry = OUTPUT_FILES[name]
        if not entry.when(analysis):
            continue
        with nullcontext() if entry.own_stages else run.stage(f"write {name}"):
            done = entry.write(analysis, run.folder / name, run)
        if done is not False:
            written.append(name)
            run.written.append(name)
    return written


def _write_all(analysis: "Analysis", run: WriteRun, advance: Callable[[str], None],
               alongside_from: int | None) -> None:
    # The graph files take as long as the tables and images together: on a big analysis a
    # forked process writes them meanwhile.
    alongside = [name for name in run.names if OUTPUT_FILES[name].alongside]
    last = [name for name in run.names if OUTPUT_FILES[name].last and name not in alongside]
    rest = [name for name in run.names if name not in alongside and name not in last]
    big = alongside_from is not None and len(analysis.comments) >= alongside_from
    with Worker(_write_files, analysis, run, alongside, enabled=big and bool(alongside)) as graphs:
        _write_files(analysis, run, rest, advance)
        if alongside:
            advance("graph files")
        done = graphs.result()
    run.written[:] = [name for name in run.names if name in {*run.written, *done}]
    run.record["finished"] = _utc_text(datetime.now(timezone.utc))
    _write_files(analysis, run, last, advance)


@collector_paused
def write_outputs(analysis: "Analysis", folder: str | os.PathLike, *, image_format: str = "png",
                  only: Iterable[str] | None = None, force: bool = False, inputs: Sequence[str | os.PathLike] = (),
                  command: Sequence[str] | None = None, started: datetime | None = None,
                  progress: bool = False, on_stage: StageHook | None = None,
                  alongside_from: int | None = GRAPHS_ALONGSIDE_FROM,
                  redact: Callable[[str], str] | None = None) -> list[Path]:
    """Write the output files of ``analysis`` into ``folder``.

    Parameters
    ----------
    analysis : Analysis
        What :func:`discourse.analyze` returned.
    folder : str or path
        The output folder; made when missing.  It must be empty or written by discourse (its
        run.json says so) unless ``force``.  The files are written into a hidden staging folder
        inside it and moved into place at the end, so a failed or interrupted run leaves the
        previous outputs as they were (see :mod:`discourse.output.folder`).
    image_format : {"png", "svg"}
        Images are PNG; ``"svg"`` writes each one as SVG too.
    only : iterable of str, optional
        Names from :data:`OUTPUT_FILES` to write (default: every file but those written only on
        request); run.json is always written.  A file the analysis has nothing for
        (``activity.png`` without times) is left out.
    force : bool
        Write into a folder holding files discourse did not write; they are left alone.
    inputs : sequence of paths
        The files read, recorded in run.json with their size and SHA-256.
    command : sequence of str, optional
        The command line, recorded in run.json.
    started : datetime, optional
        When the run started, recorded in run.json (default: now).
    progress : bool
        Show a bar on standard error for runs longer than a couple of seconds.
    on_stage : callable, optional
        ``on_stage(stage, event)`` is called as each file ("write comments.csv", "figure network",
        "save network.png", ...) starts and ends (see :mod:`discourse._runtime.stages`).
    alongside_from : int or None, default :data:`GRAPHS_ALONGSIDE_FROM`
        From this many comments the graph files are written by a second process while this one
        writes the rest; None writes every file in this process.
    redact : callable, optional
        Masks the texts run.json and the report take from outside the analysis: the command
        line, the inputs' paths, the options' texts (``Pseudonyms.text`` of a pseudonymised run).

    Returns
    -------
    list of Path
        The files written, sorted.

    Raises
    ------
    ExportError
        When ``folder`` may not be written (a file, holds other files, holds an input) or a file
        could not be written (disk full, read-only): one sentence naming the folder.

    Examples
    --------
    >>> from discourse import analyze, write_outputs
    >>> analysis = analyze()                                              # doctest: +SKIP
    >>> write_outputs(analysis, "out", only=["commenters.csv", "graph.gexf"])  # doctest: +SKIP
    [PosixPath('out/commenters.csv'), PosixPath('out/graph.gexf'), PosixPath('out/run.json')]
    """
    if image_format not in ("png", "svg"):
        raise ExportError(f"image_format must be 'png' or 'svg'; got {image_format!r}")
    names = _chosen(only, image_format)
    started = started or datetime.now(timezone.utc)
    with replacing(folder, force=force) as staging:
        record = _run_record(analysis, inputs, command, started, redact)
        run = WriteRun(staging, names, image_format, stage=stage_reporter(on_stage), record=record)
        alongside = any(OUTPUT_FILES[name].alongside for name in names)  # one stage for them all
        total = sum(not OUTPUT_FILES[name].alongside for name in names) + alongside
        with stages(f"writing {Path(folder).name}", total, enabled=progress) as advance:
            _write_all(analysis, run, advance, alongside_from)
    return [Path(folder) / name for name in sorted(run.written)]
