"""``--engine dask``: the analysis over partitions of whole threads on a Dask cluster.

The plan (README "Performance / Beyond one machine"):

1. *Partitions* (:mod:`discourse.engines.partitions`): each input file, or each bucket of a big
   JSON Lines file streamed by a hash of its thread id; read on the workers by discourse's readers.
2. *Per partition* (:mod:`discourse.engines.reduce`): the integer view, the edge records and the
   comment counts, by discourse's own functions; the comments table written by the worker, as
   partitioned Parquet (``comments.part-NNNNN.parquet``) or CSV, so no process holds every text.
3. *Reduce*: records meet by commenter pair and are aggregated into the commenter edge list; the
   counts are summed.
4. *One node* (the driver): the graph (:func:`~discourse.network.graph.build_graph`) and its node
   measures (:mod:`discourse.measures.centrality`), the commenter table, and through the default
   engine's writers the files made of them alone (:data:`GRAPH_FILES`: graph.gexf, graph.graphml,
   graph.csv, central_commenters.csv, network.png of the backbone, top_commenters.png, degrees.png).

The in-memory engine (:func:`discourse.analyze_corpus`) is unchanged and stays the default.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from .. import __version__
from ..exceptions import DiscourseError, FormatError
from ..measures.commenters import COMMENTER_MEASURES, CommenterMeasure, MeasureInputs, commenter_metrics
from ..network.graph import build_graph
from ..output.folder import MARKER, input_facts, replacing
from ..pipeline import _set_node_attributes
from ..output.write import ISO_SECONDS, write_csv, write_outputs
from .partitions import Partition, id_hashes, plan_partitions, read_partition, thread_order
from .reduce import COUNT_COLUMNS, commenter_counts, partition_pieces, reduce_records, renamed, sorted_edges, \
    thread_renames

__all__ = ["DistributedRun", "analyze_distributed", "TABLE_FORMATS"]

#: How the tables are written: partitioned Parquet (the default) or CSV.
TABLE_FORMATS = ("parquet", "csv")
#: The default engine's files made from the graph and the commenter table alone, written by its writers.
GRAPH_FILES = ("central_commenters.csv", "graph.gexf", "graph.graphml", "graph.csv", "network.png",
               "top_commenters.png", "degrees.png")
#: Rows per part file of the edge and commenter tables.
_ROWS_PER_PART = 1_000_000
_log = logging.getLogger("discourse")


@dataclass
class DistributedRun:
    """What an ``--engine dask`` run found and wrote.

    ``edges`` (replies), ``commenters`` and ``graph`` are the driver's; the comments stay in the
    files written (``files``).  ``stages``: seconds per stage, in order;
    ``partition_seconds``: the seconds of each step inside the partitions, summed over them.  ``counts``: records
    read, comments written, records skipped (as run.json).
    """

    edges: pd.DataFrame
    commenters: pd.DataFrame
    graph: nx.DiGraph
    files: list[str]
    counts: dict[str, int]
    partitions: int
    stages: dict[str, float] = field(default_factory=dict)
    partition_seconds: dict[str, float] = field(default_factory=dict)


@contextmanager
def _client(scheduler: str | None, workers: int | None, processes: bool) -> Iterator[Any]:
    """A ``distributed.Client``: of the cluster at ``scheduler``, else of a new local cluster."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise DiscourseError('--engine dask needs Dask: pip install "discourse[dask]"') from None
    # Dask logs each worker's start and stop: only its warnings and errors reach discourse's log.
    for logger in list(logging.root.manager.loggerDict):
        if logger.split(".")[0] in ("distributed", "bokeh", "tornado"):
            logging.getLogger(logger).setLevel(logging.WARNING)
    if scheduler is not None:
        with Client(scheduler) as client:
            yield client
        return
    n = workers or max(1, (os.cpu_count() or 1))
    # The dashboard on any free port: None does not turn it off (dask/distributed#8136), and the
    # default port warns when another cluster has it.
    with LocalCluster(n_workers=n, threads_per_worker=1, processes=processes, dashboard_address=":0",
                      silence_logs=logging.CRITICAL) as cluster, Client(cluster) as client:
        yield client


class _Stages:
    """Seconds per stage, logged as each ends."""

    def __init__(self, log: Callable[[str], None]) -> None:
        self.seconds: dict[str, float] = {}
        self._log = log

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.seconds[name] = time.perf_counter() - start
        self._log(f"  {name}: {self.seconds[name]:.1f} s")


def _read_and_work(partition: Partition, number: int, mapping: dict[str, str], prefix: bool, folder: str,
                   table_format: str, n_reducers: int, post_author_edges: bool, strict: bool,
                   columns: dict[str, str] | None) -> dict[str, Any]:
    """One partition's share: read, its comments written, its edge record pieces and counts
    returned, with what the driver needs to keep files' threads and ids apart, and the seconds
    of each step (the per-partition costs a cluster's run time is projected from)."""
    start = time.perf_counter()
    corpus, position = read_partition(partition, strict=strict, columns=columns)
    summary = {"threads": thread_order(corpus.comments, position), "ids": id_hashes(corpus.comments["comment_id"])}
    read = time.perf_counter()
    corpus = renamed(corpus, mapping, prefix)
    pieces, counts = partition_pieces(corpus, position, n_reducers=n_reducers, post_author_edges=post_author_edges)
    edges = time.perf_counter()
    name = f"comments.part-{number:05d}.{table_format}"
    _write_table(corpus.comments, Path(folder) / name, table_format)
    comments = corpus.comments
    return {"pieces": pieces, "counts": counts, "file": name, "summary": summary,
            "threads": corpus.threads.drop(columns=[c for c in ("source_path",) if c in corpus.threads]),
            "written": int((~comments["is_placeholder"]).sum()), "skipped": len(corpus.skipped),
            "records": corpus.records, "skipped_table": corpus.skipped, "rows": len(comments),
            "seconds": {"read": read - start, "edges and counts": edges - read,
                        "write comments": time.perf_counter() - edges}}


def _piece(work: dict[str, Any], r: int) -> pd.DataFrame:
    return work["pieces"][r]


def _small(work: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in work.items() if k != "pieces"}


def _write_table(frame: pd.DataFrame, path: Path, table_format: str) -> None:
    if table_format == "csv":
        write_csv(frame, path)
    else:
        frame.to_parquet(path, index=False)


def _write_parts(frame: pd.DataFrame, folder: Path, stem: str, table_format: str) -> list[str]:
    """``frame`` as ``stem.part-NNNNN.FORMAT`` files of at most :data:`_ROWS_PER_PART` rows (one at least)."""
    names = []
    for number, start in enumerate(range(0, max(len(frame), 1), _ROWS_PER_PART)):
        name = f"{stem}.part-{number:05d}.{table_format}"
        _write_table(frame.iloc[start:start + _ROWS_PER_PART], folder / name, table_format)
        names.append(name)
    return names


def _kept_apart(smalls: list[dict[str, Any]], partitions: list[Partition]) -> tuple[dict[int, dict[str, str]], bool]:
    """The thread renames of each file and whether ids are prefixed (see :func:`_check_ids`)."""
    orders: dict[int, list[pd.DataFrame]] = {}
    for partition, small in zip(partitions, smalls):
        orders.setdefault(partition.file_index, []).append(small["summary"]["threads"])
    return thread_renames(orders), _check_ids([s["summary"] for s in smalls], partitions)


def _check_ids(summaries: list[dict[str, Any]], partitions: list[Partition]) -> bool:
    """Whether comment ids must be prefixed with their thread (two files share one, as
    :func:`~discourse.readers.combine` decides); an id two buckets of one file share is that file's error."""
    hashes = np.concatenate([s["ids"] for s in summaries]) if summaries else np.zeros(0, np.uint64)
    owner = np.concatenate([np.full(len(s["ids"]), p.file_index) for s, p in zip(summaries, partitions)]) \
        if summaries else np.zeros(0, int)
    order = np.argsort(hashes, kind="stable")
    same = np.flatnonzero(hashes[order][1:] == hashes[order][:-1])
    if not len(same):
        return False
    inside = same[owner[order][same] == owner[order][same + 1]]
    if len(inside):  # one file's comments: complete_tree's error, for the file
        path = partitions[[p.file_index for p in partitions].index(int(owner[order][inside[0]]))].path
        raise FormatError("a comment_id appears more than once in the file (in two of its threads); "
                          "every comment needs its own id", path=path)
    return len({p.file_index for p in partitions}) > 1


def analyze_distributed(paths: Sequence[str | os.PathLike], folder: str | os.PathLike, *, options: Any,
                        name: str, scheduler: str | None = None, workers: int | None = None,
                        partitions_per_worker: int = 4, table_format: str = "parquet", processes: bool = True,
                        format: str | None = None, columns: dict[str, str] | None = None, strict: bool = False,
                        force: bool = False, command: Sequence[str] | None = None,
                        started: datetime | None = None, bucket_from: int = 0,
                        log: Callable[[str], None] = _log.info) -> DistributedRun:
    """Analyse ``paths`` on a Dask cluster and write the tables, the graph files (:data:`GRAPH_FILES`)
    and run.json into ``folder``.

    Parameters
    ----------
    paths : sequence of paths
        Input files, as :func:`~discourse.read_corpus` takes them.
    folder : path
        The output folder; its rules are the default engine's (:func:`~discourse.output.folder.replacing`).
    options : Options
        The analysis choices (``edge_kinds``, ``post_author_edges``, ``random_state``).
    name : str
        The analysis's name (the GEXF's title).
    scheduler : str, optional
        The address of a running Dask scheduler (``tcp://host:8786``); a local cluster when None.
    workers : int, optional
        Worker processes of the local cluster (default: one a core).
    partitions_per_worker : int, default 4
        Buckets a big JSON Lines file is split into, per worker.
    table_format : {"parquet", "csv"}
        How the comments, replies and commenters tables are written, in part files.
    processes : bool, default True
        Local workers as processes (False: threads of this process, for tests).
    bucket_from : int, default 0
        JSON Lines files from this many bytes are split into buckets; smaller ones are one partition.

    Returns
    -------
    DistributedRun
        The edge and commenter tables, the graph, the files written and the time of each stage.

    Examples
    --------
    >>> run = analyze_distributed(["big.jsonl"], "out/big", options=Options(), name="big")  # doctest: +SKIP
    """
    if table_format not in TABLE_FORMATS:
        raise DiscourseError(f"table format must be one of {', '.join(TABLE_FORMATS)}; got {table_format!r}")
    started = started or datetime.now(timezone.utc)
    paths = [str(p) for p in paths]
    stage = _Stages(log)
    with replacing(folder, force=force) as staging:
        with ExitStack() as cluster:  # closed before the driver's work
            with stage("start cluster"):
                client = cluster.enter_context(_client(scheduler, workers, processes))
            n_workers = max(1, len(client.scheduler_info().get("workers", {})) or (workers or 1))
            n_buckets = max(1, n_workers * partitions_per_worker)
            n_reducers = max(1, n_workers)
            with tempfile.TemporaryDirectory(prefix=".buckets-", dir=staging) as buckets:
                with stage("partition"):
                    partitions = plan_partitions(paths, buckets, n_buckets=n_buckets, format=format, columns=columns,
                                                 bucket_from=bucket_from)
                with stage("read, edges and counts"):
                    def submit(number: int, mapping: dict[str, str], prefix: bool) -> Any:
                        return client.submit(_read_and_work, partitions[number], number, mapping, prefix, str(staging),
                                             table_format, n_reducers, options.post_author_edges, strict, columns,
                                             pure=False)

                    # Threads and ids two files share are known once every partition is read: the
                    # partitions are read and worked at once, and those of a file that shares any are
                    # done again with the threads renamed or the ids prefixed (as read_corpus does).
                    works = [submit(number, {}, False) for number in range(len(partitions))]
                    smalls = client.gather(client.map(_small, works))
                    renames, prefix = _kept_apart(smalls, partitions)
                    again = [n for n, p in enumerate(partitions) if prefix or renames[p.file_index]]
                    for number in again:
                        works[number] = submit(number, renames[partitions[number].file_index], prefix)
                    if again:
                        for number, small in zip(again, client.gather([client.submit(_small, works[n]) for n in again])):
                            smalls[number] = small
                with stage("reduce edges"):
                    pieces = [[client.submit(_piece, work, r) for work in works] for r in range(n_reducers)]
                    parts = client.gather([client.submit(reduce_records, column) for column in pieces])
                    del pieces, works
        with stage("aggregate"):
            edges = sorted_edges(parts)
            counts = commenter_counts([s["counts"] for s in smalls], edges)
        with stage("graph"):
            graph = _graph(counts, edges, options)
        with stage("measures"):
            commenters = _commenters(graph, counts, options)
            _set_node_attributes(graph, commenters)  # as the default engine's node_attributes stage
        with stage("write"):
            files = [s["file"] for s in smalls]
            files += _write_parts(edges, staging, "replies", table_format)
            files += _write_parts(commenters, staging, "commenters", table_format)
            threads = pd.concat([s["threads"] for s in smalls], ignore_index=True)
            files += _write_parts(threads, staging, "threads", table_format)
            skipped = pd.concat([s["skipped_table"] for s in smalls], ignore_index=True)
            if len(skipped):
                files += _write_parts(skipped, staging, "skipped", table_format)
        with stage("graph files and images"):
            analysis = _driver_analysis(name, graph, edges, commenters, threads, skipped, options)
            with tempfile.TemporaryDirectory(prefix=".graph-", dir=staging) as made:
                for path in write_outputs(analysis, Path(made) / "out", only=GRAPH_FILES):
                    if path.name != MARKER:
                        os.replace(path, staging / path.name)
                        files.append(path.name)
        partition_seconds = {step: round(sum(s["seconds"][step] for s in smalls), 3) for step in smalls[0]["seconds"]} \
            if smalls else {}
        total = {"read": sum(s["records"] if s["records"] is not None else s["written"] + s["skipped"]
                             for s in smalls),
                 "written": sum(s["written"] for s in smalls), "skipped": sum(s["skipped"] for s in smalls),
                 "filtered": 0}
        record = {"tool": "discourse", "version": __version__, "command": list(command) if command else None,
                  "options": asdict(options), "inputs": input_facts(paths), "counts": total, "filters": [],
                  "started": started.astimezone(timezone.utc).strftime(ISO_SECONDS),
                  "finished": datetime.now(timezone.utc).strftime(ISO_SECONDS),
                  "engine": {"name": "dask", "partitions": len(partitions), "workers": n_workers,
                             "scheduler": scheduler, "stages": {k: round(v, 3) for k, v in stage.seconds.items()},
                             "partition_seconds": partition_seconds},
                  "files": sorted(files, key=lambda n: (not n.startswith("comments."), n)) + [MARKER]}
        (staging / MARKER).write_text(json.dumps(record, indent=2, ensure_ascii=False, default=str) + "\n",
                                      encoding="utf-8")
    return DistributedRun(edges=edges, commenters=commenters, graph=graph, files=record["files"], counts=total,
                          partitions=len(partitions), stages=stage.seconds, partition_seconds=partition_seconds)


def _driver_analysis(name: str, graph: nx.DiGraph, edges: pd.DataFrame, commenters: pd.DataFrame,
                     threads: pd.DataFrame, skipped: pd.DataFrame, options: Any) -> Any:
    """An :class:`~discourse.pipeline.Analysis` of what the driver holds (no comments, no topics), for
    the default engine's writers of the graph files, the central commenters and the images."""
    from ..drawing.layout import commenter_layout
    from ..measures.ranking import central_commenters
    from ..measures.whole_graph import graph_statistics
    from ..model.corpus import Corpus
    from ..model.schema import COLUMNS
    from ..pipeline import Analysis
    from ..topics.find import SUBTHREAD_COLUMNS, TOPIC_COLUMNS

    comments = pd.DataFrame({c: pd.Series([], dtype=d) for c, d in COLUMNS.items()})
    corpus = Corpus(comments=comments, threads=threads, skipped=skipped)
    statistics = graph_statistics(graph, self_replies=int(commenters["self_replies"].sum()),
                                  random_state=options.random_state)
    layout = commenter_layout(graph, seed=options.random_state)
    # The default engine's commenter table reaches central_commenters through merges, which drop
    # its attrs (the edge kinds the "why" words name): the same words here.
    unranked = commenters.copy()
    unranked.attrs = {}
    central = central_commenters(unranked, comments)
    return Analysis(name=name, corpus=corpus, comments=comments, edges=edges, graph=graph, commenters=commenters,
                    subthreads=pd.DataFrame(columns=SUBTHREAD_COLUMNS), threads=threads,
                    topics=pd.DataFrame(columns=TOPIC_COLUMNS),
                    central=central, stability=pd.DataFrame(), layout=layout, options=options,
                    statistics=statistics)


def _graph(counts: pd.DataFrame, edges: pd.DataFrame, options: Any) -> nx.DiGraph:
    """:func:`~discourse.network.graph.build_graph` over one row per commenter (in order of first
    comment, as the comments table would give them), each node's ``comments`` then set to its count."""
    writers = counts[counts["comments"] > 0]
    stand_in = pd.DataFrame({"author": writers.index.to_numpy(dtype=object), "is_placeholder": False,
                             "is_post_author": writers["post_author"].to_numpy(dtype=bool)})
    graph = build_graph(stand_in, edges, edge_kinds=options.edge_kinds, include_self_loops=False)
    for author, n in zip(writers.index.tolist(), writers["comments"].tolist()):
        graph.nodes[author]["comments"] = int(n)
    return graph


def _commenters(graph: nx.DiGraph, counts: pd.DataFrame, options: Any) -> pd.DataFrame:
    """:func:`~discourse.measures.commenters.commenter_metrics` with the node measures computed here
    and the comment counts the partitions summed."""
    def summed(inputs: MeasureInputs) -> pd.DataFrame:
        return counts.reindex(inputs.nodes, fill_value=0)[COUNT_COLUMNS].reset_index(drop=True).astype("int64")

    node_measures = next(m for m in COMMENTER_MEASURES if m.name == "node measures")
    counted = next(m for m in COMMENTER_MEASURES if m.name == "comment counts")
    measures = (node_measures, CommenterMeasure(counted.name, summed, counted.columns, counted.ranking))
    stand_in = pd.DataFrame({"comment_id": pd.Series([], dtype="string"), "thread_id": pd.Series([], dtype="string"),
                             "parent_id": pd.Series([], dtype="string"), "author": pd.Series([], dtype="string"),
                             "subthread_id": pd.Series([], dtype="string"), "depth": np.zeros(0, int),
                             "is_placeholder": np.zeros(0, bool)})
    return commenter_metrics(graph, stand_in, random_state=options.random_state, measures=measures, topics=False)
