"""End-to-end benchmark of ``discourse analyze`` on synthetic corpora (a script, never a test).

    python3 scripts/benchmark.py --sizes 1e3,1e4,1e5 [--baseline] [--repeat 3] [--out docs/benchmark.md]
    python3 scripts/benchmark.py --sizes 1e5 --profile          # cProfile of every stage, top functions

For each size, a seeded corpus is generated once by ``scripts/synthetic.py`` (the model is
documented there: many threads, preferential-attachment reply trees, Zipf commenters, topic
vocabularies) into ``--corpus-dir`` as JSON Lines, then analysed in a fresh subprocess that runs
what the CLI runs: ``read_corpus``, ``analyze_corpus`` and ``write_outputs``.  Every stage
``analyze_corpus`` and ``write_outputs`` report to their ``on_stage`` hook (``edge_records``,
``build_graph``, ``commenter_metrics``, ..., ``write comments.csv``, ``figure network``, ``save
network.png``, ...; discourse/_runtime/stages.py) is timed as a stage of its own, so the stages
follow the pipeline as it is.  A stage reported inside another is a sub-stage of it, from the
same hook: the mention/quote scan and reply records of ``edge_records``, each commenter measure
of ``commenter_metrics`` (node measures, comment counts) and each node measure (degrees and
reciprocity, PageRank, betweenness, closeness, k-core, HITS, communities; the score measures
again inside ``top_stability``), ``find_topics`` inside ``topics``.  Nothing of discourse is
wrapped or replaced.  Betweenness and closeness are exact up to 5,000 commenters (work: nodes x
edges) and estimated from pivots above (pivots x edges): each way is a stage of its own, so no
slope spans both.  What the stages leave out is reported as "untimed glue".  The package is copied once
per run (``code-HASH`` in ``--corpus-dir``) and every size imports that copy, so edits to the
working tree during a long run do not mix versions.  ``--repeat N`` runs each size N times,
round by round over the sizes (so a drift in the machine's speed touches every size alike), each
in a fresh process (``result-SIZE-runI.jsonl``), and combines them into ``result-SIZE.jsonl``:
every time (stage, sub-stage, glue, machine reference) the fastest run's, as ``timeit`` does for
deterministic work, every peak the highest.  ``--alone`` starts no worker
processes (topics and graph files in turn), so each stage is timed with the machine to itself:
its own scaling, apart from what another process on the other core does to the shared cache.

Wall time is ``time.perf_counter``; memory is the process's peak resident set size
(``getrusage().ru_maxrss``) after each stage, so the stage that raises it is the one that needed
the memory (no tracemalloc: it slows Python code several-fold). From 50,000 comments discourse
forks workers (topics alongside the graph work, graph files alongside the tables and images), which
share the parent's pages: the run's memory is the peak of the summed PSS of all its processes,
sampled every ``PSS_INTERVAL`` seconds from /proc. A stage over ``--stage-timeout`` is interrupted
(SIGALRM) and reported as ``>``, which ends that size's run.

Scaling: for each stage, the least-squares slope of log(time) against log(comments) over all
sizes, and the slope between the two largest sizes (what extrapolation should use: at small
sizes fixed costs flatten the curve).  Each size's run then times a few operations the stages
are made of (hashing strings, sorting, gathers, a breadth-first search) on as many elements as
the corpus has comments: their work is linear, so their slopes show what the memory hierarchy
alone does to a linear stage on this machine (``scripts/machine_reference.py``).

``--baseline`` also runs, in its own subprocess per size, a naive pipeline built from library
defaults: ``pandas.read_json``; a networkx reply tree; networkx for every measure (PageRank,
exact betweenness and closeness, HITS, core number, Louvain); scikit-learn ``TfidfVectorizer``
(unigrams and bigrams, full vocabulary) with ``KMeans``; ``DataFrame.to_csv``;
``networkx.write_gexf``/``write_graphml``; ``spring_layout`` and ``nx.draw`` of the whole top-500
subgraph.  A stage over ``--baseline-cap`` seconds is stopped, and skipped at larger sizes; its
time there is estimated (exact betweenness/closeness: timed on a sample of sources and scaled,
others: extrapolated with the slope of the last two sizes measured) and marked ``~``.
"""

import argparse
import cProfile
import hashlib
import io
import json
import math
import os
import pstats
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from machine_reference import reference_table, reference_times  # noqa: E402 - needs HERE on the path


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class StageTimeout(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise StageTimeout()


def size_label(n: int) -> str:
    exponent = math.log10(n)
    return f"1e{int(round(exponent))}" if abs(exponent - round(exponent)) < 1e-9 else str(n)


# ---------------------------------------------------------------------------------------------
# Recorder: top-level stages and the sub-stages reported inside them, from discourse's stage hook

class Recorder:
    """The benchmark's timers, as an observer of discourse's stage hook (``on_stage`` of
    ``analyze_corpus`` and ``write_outputs``, see discourse/_runtime/stages.py): a stage reported
    outside any other is a top-level stage (timed, profiled, stopped after ``timeout`` seconds),
    a stage reported inside one adds its time to that stage's sub-timing of the same name."""

    def __init__(self, out_path: str | Path, label: str, profile_dir: str | Path | None = None,
                 profile_only: set[str] | None = None, until: str | None = None, timeout: float | None = None) -> None:
        self.out = open(out_path, "a", buffering=1)
        self.until = until
        self.profile_only = profile_only
        self.label = label
        self.timeout = timeout
        self.stage = None
        self.sub = {}
        self.profile_dir = profile_dir
        self.pid = os.getpid()
        self._start = self._profiler = None
        self._nested = {}  # stage reported inside the running one -> its start

    def emit(self, record: dict) -> None:
        self.out.write(json.dumps(record) + "\n")

    def __call__(self, stage: str, event: str) -> None:
        if event == "start":
            if self.stage is None:
                self.begin(stage)
            else:
                self._nested[stage] = time.perf_counter()
                self.sub.setdefault(stage, 0.0)  # sub-rows in the order the stages start
        elif event == "end":
            if stage == self.stage:
                self.finish()
            elif stage in self._nested:
                self.add(stage, time.perf_counter() - self._nested.pop(stage))

    def add(self, sub: str, seconds: float) -> None:
        """``seconds`` more in the running stage's sub-timing ``sub`` (nothing outside a stage)."""
        if self.stage is not None:
            self.sub[sub] = self.sub.get(sub, 0.0) + seconds

    def begin(self, name: str) -> None:
        self.stage, self.sub, self._nested = name, {}, {}
        self._profiler = cProfile.Profile() if self.profile_dir and (
            self.profile_only is None or name in self.profile_only) else None
        if self.timeout:
            signal.alarm(int(self.timeout))
        self._start = time.perf_counter()
        if self._profiler:
            self._profiler.enable()

    def _stop(self) -> tuple[str, float]:
        seconds = time.perf_counter() - self._start
        signal.alarm(0)
        if self._profiler:
            self._profiler.disable()
        name, self.stage = self.stage, None
        return name, seconds

    def finish(self) -> None:
        name, seconds = self._stop()
        if self._profiler:
            self._dump(self._profiler, name, seconds)
        record = {"stage": name, "seconds": seconds, "peak_mb": peak_mb(), "rss_mb": rss_mb(), "sub": self.sub}
        if os.getpid() != self.pid:  # a stage analyze_corpus runs in its worker process (forked)
            record["worker"] = True
        self.emit(record)
        subs = ", ".join(f"{k} {v:.2f}" for k, v in self.sub.items())
        log(f"[{self.label}] {name:<28} {seconds:9.3f} s  peak {record['peak_mb']:8.0f} MB" + (f"  ({subs})" if subs else ""))
        if name == self.until:
            self.emit({"meta": "stopped", "after": name})
            log(f"[{self.label}] stopping after {name} (--until)")
            sys.exit(0)

    def interrupted(self) -> None:
        """Record the running stage as stopped at the timeout."""
        if self.stage is None:
            return
        name, seconds = self._stop()
        self.emit({"stage": name, "seconds": seconds, "timeout": True, "peak_mb": peak_mb(), "rss_mb": rss_mb(),
                   "sub": self.sub})
        log(f"[{self.label}] {name}: TIMEOUT after {seconds:.1f} s")
        if self._profiler:
            self._dump(self._profiler, name, seconds, " (stopped)")

    def run(self, name: str, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run ``func`` as the top-level stage ``name``; returns its result (raises StageTimeout after recording)."""
        self.begin(name)
        try:
            result = func(*args, **kwargs)
        except StageTimeout:
            self.interrupted()
            raise
        self.finish()
        return result

    def _dump(self, profiler: cProfile.Profile, name: str, seconds: float, note: str = "") -> None:
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text)
        stats.sort_stats("cumulative").print_stats(25)
        stats.sort_stats("tottime").print_stats(15)
        safe = name.replace("/", "_").replace(" ", "_")
        (Path(self.profile_dir) / f"{safe}.txt").write_text(f"{name}: {seconds:.2f} s{note}\n{text.getvalue()}")


# ---------------------------------------------------------------------------------------------
# discourse, stage by stage: the real analyze_corpus and write_outputs, every call they make timed

def run_discourse(path: str | Path, out_path: str | Path, label: str, stage_timeout: float,
                  profile_dir: str | Path | None = None, profile_only: set[str] | None = None,
                  until: str | None = None, alone: bool = False) -> None:
    """Run ``read_corpus``, ``analyze_corpus`` and ``write_outputs`` as the CLI does, each stage
    they report to their ``on_stage`` hook timed as a row of its own (so the stages follow the
    pipeline as it is), and the stages reported inside them (each measure, the mention/quote
    scan, ...) as its sub-timings.  ``alone``: no worker processes (topics and graph
    files in turn), so no stage shares the machine with another."""
    import matplotlib

    matplotlib.use("Agg")

    import discourse

    rec = Recorder(out_path, label, profile_dir, profile_only, until, timeout=stage_timeout)
    rec.emit({"meta": "code", "discourse": str(Path(discourse.__file__).parent)})
    # With alone, no worker processes: every stage in turn, in this process.
    workers = {"alongside_from": None} if alone else {}
    options = discourse.Options()
    rec.emit({"meta": "start", "size": label, "path": str(path)})
    corpus = rec.run("read_corpus", discourse.read_corpus, path)
    rec.emit({"meta": "corpus", "comments": int((~corpus.comments["is_placeholder"]).sum()),
              "commenters": int(corpus.comments["author"].nunique()), "threads": len(corpus.threads)})
    start = time.perf_counter()
    try:
        analysis = discourse.analyze_corpus(corpus, name=Path(path).stem, options=options, on_stage=rec, **workers)
    except StageTimeout:  # a stage past the timeout ends the size's run
        rec.interrupted()
        return
    rec.emit({"meta": "analyze_corpus", "seconds": time.perf_counter() - start})
    rec.emit({"meta": "graph", "nodes": analysis.graph.number_of_nodes(), "edges": analysis.graph.number_of_edges(),
              "edge_rows": len(analysis.edges)})
    folder = Path(tempfile.mkdtemp(prefix=f"discourse-bench-{label}-")) / "out"
    start = time.perf_counter()
    try:
        discourse.write_outputs(analysis, folder, on_stage=rec, **workers)
    except StageTimeout:
        rec.interrupted()
        shutil.rmtree(folder.parent)
        return
    rec.emit({"meta": "write_outputs", "seconds": time.perf_counter() - start})
    rec.emit({"meta": "files", "bytes": {p.name: p.stat().st_size for p in folder.iterdir()}})
    shutil.rmtree(folder.parent)
    rec.emit({"meta": "machine", "seconds": reference_times(len(corpus.comments))})
    rec.emit({"meta": "done", "peak_mb": peak_mb()})


def run_dask(path: str | Path, out_path: str | Path, label: str, workers: int | None) -> None:
    """``discourse analyze --engine dask`` through its API (``analyze_distributed``) on a local
    cluster of ``workers`` processes, every output written into a temporary folder; each stage
    the engine times is a row, the partitions' own steps (summed over partitions) its sub-timings."""
    import discourse
    from discourse.engines import analyze_distributed

    rec = Recorder(out_path, label)
    rec.emit({"meta": "code", "discourse": str(Path(discourse.__file__).parent)})
    rec.emit({"meta": "start", "size": label, "path": str(path), "engine": "dask", "workers": workers})
    folder = Path(tempfile.mkdtemp(prefix=f"discourse-bench-dask-{label}-")) / "out"
    start = time.perf_counter()
    try:
        run = analyze_distributed([path], folder, options=discourse.Options(), name=Path(path).stem, workers=workers,
                                  log=lambda line: log(f"[{label}] {line.strip()}"))
        rec.emit({"meta": "files", "bytes": {p.name: p.stat().st_size for p in folder.iterdir()}})
    finally:
        shutil.rmtree(folder.parent)
    for name, seconds in run.stages.items():
        sub = run.partition_seconds if name.startswith("read") else {}
        rec.emit({"stage": name, "seconds": seconds, "peak_mb": peak_mb(), "rss_mb": rss_mb(), "sub": sub})
    rec.emit({"meta": "corpus", "comments": run.counts["written"], "commenters": len(run.commenters),
              "partitions": run.partitions})
    rec.emit({"meta": "graph", "nodes": run.graph.number_of_nodes(), "edges": run.graph.number_of_edges(),
              "edge_rows": len(run.edges)})
    rec.emit({"meta": "analyze_distributed", "seconds": time.perf_counter() - start})
    rec.emit({"meta": "done", "peak_mb": peak_mb()})


def dask_table(results: dict[int, tuple[list[dict], dict[str, dict]]], sizes: list[int]) -> str:
    """The dask engine's runs: end to end, peak memory of all processes, each stage."""
    names = list(dict.fromkeys(r["stage"] for n in sizes for r in results[n][0]))
    head = ["comments", "partitions", "commenters", "graph edges", "end to end", "peak PSS (all processes)", *names]
    rows = ["| " + " | ".join(head) + " |", "|" + "---:|" * len(head)]
    for n in sizes:
        stages, meta = results[n]
        seconds = {r["stage"]: r["seconds"] for r in stages}
        corpus, graph = meta.get("corpus", {}), meta.get("graph", {})
        total = meta.get("analyze_distributed", {}).get("seconds")
        pss = meta.get("memory", {}).get("pss_peak_mb")
        rows.append("| " + " | ".join([f"{corpus.get('comments', n):,}", str(corpus.get("partitions", "")),
                                       f"{corpus.get('commenters', 0):,}", f"{graph.get('edges', 0):,}",
                                       fmt_s(total), f"{pss:,.0f} MB" if pss else "",
                                       *[fmt_s(seconds.get(name)) for name in names]]) + " |")
    subs = {n: next((r["sub"] for r in results[n][0] if r.get("sub")), {}) for n in sizes}
    lines = [f"- {size_label(n)}: inside the partitions (seconds summed over them): "
             + ", ".join(f"{k} {v:.1f} s" for k, v in sub.items()) for n, sub in subs.items() if sub]
    return "\n".join(rows + [""] + lines) + "\n"


# ---------------------------------------------------------------------------------------------
# The naive baseline: library defaults throughout

NAIVE_STAGES = ["read", "tree", "graph", "pagerank", "betweenness", "closeness", "hits", "k-core", "communities",
                "topics", "write csv", "write gexf", "write graphml", "figure (top-500)"]


def run_naive(path: str | Path, out_path: str | Path, label: str, cap: float, skip: set[str],
              previous: dict[str, list[tuple[int, float]]]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import networkx as nx
    import numpy as np
    import pandas as pd
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    out = open(out_path, "a", buffering=1)
    state = {}
    n_comments = None

    def emit(record: dict) -> None:
        out.write(json.dumps(record) + "\n")

    def stage(name: str, func: Callable[[], Any], estimate: Callable[[], float] | None = None) -> Any:
        if name in skip:
            est = estimate() if estimate else _extrapolate(previous.get(name), n_comments)
            emit({"stage": name, "seconds": est, "estimated": True, "peak_mb": peak_mb()})
            log(f"[naive {label}] {name:<20} ~{est:9.1f} s (estimated, not run)")
            return None
        if estimate is not None:
            est = estimate()
            if est > cap:
                emit({"stage": name, "seconds": est, "estimated": True, "peak_mb": peak_mb()})
                log(f"[naive {label}] {name:<20} ~{est:9.1f} s (sampled estimate over the {cap:.0f} s cap, not run)")
                return None
        signal.alarm(int(cap))
        start = time.perf_counter()
        try:
            result = func()
        except StageTimeout:
            seconds = time.perf_counter() - start
            emit({"stage": name, "seconds": seconds, "timeout": True, "peak_mb": peak_mb()})
            log(f"[naive {label}] {name:<20} >{seconds:9.1f} s (stopped at the cap)")
            return None
        finally:
            signal.alarm(0)
        seconds = time.perf_counter() - start
        emit({"stage": name, "seconds": seconds, "peak_mb": peak_mb()})
        log(f"[naive {label}] {name:<20} {seconds:10.3f} s  peak {peak_mb():8.0f} MB")
        return result

    df = stage("read", lambda: pd.read_json(path, lines=True, dtype={"comment_id": str, "parent_id": str,
                                                                     "thread_id": str}))
    n_comments = len(df)

    def tree() -> nx.DiGraph:
        t = nx.DiGraph()
        t.add_nodes_from(df["comment_id"])
        replies = df[df["parent_id"].notna()]
        t.add_edges_from(zip(replies["parent_id"], replies["comment_id"]))
        root = {}
        for top in df.loc[df["parent_id"].isna(), "comment_id"]:
            root[top] = top
            for d in nx.descendants(t, top):
                root[d] = top
        depth = {}
        for top in df.loc[df["parent_id"].isna(), "comment_id"]:
            depth.update({k: v + 1 for k, v in nx.single_source_shortest_path_length(t, top).items()})
        df["subthread_id"] = df["comment_id"].map(root)
        df["depth"] = df["comment_id"].map(depth)

    stage("tree", tree)

    def build() -> nx.DiGraph:
        parents = df.set_index("comment_id")["author"]
        replies = df[df["parent_id"].notna()].assign(target=lambda d: d["parent_id"].map(parents))
        weights = replies.groupby(["author", "target"]).size().reset_index(name="weight")
        g = nx.DiGraph()
        g.add_nodes_from(df["author"].dropna().unique())
        g.add_weighted_edges_from(weights.itertuples(index=False, name=None))
        g.remove_edges_from(list(nx.selfloop_edges(g)))
        return g

    g = stage("graph", build)
    state["n"] = g.number_of_nodes()
    emit({"meta": "graph", "nodes": g.number_of_nodes(), "edges": g.number_of_edges()})
    measures = {}
    measures["pagerank"] = stage("pagerank", lambda: nx.pagerank(g, weight="weight"))

    def sampled_betweenness() -> float:
        k = min(g.number_of_nodes(), 50)
        start = time.perf_counter()
        nx.betweenness_centrality(g, k=k, seed=0)
        return (time.perf_counter() - start) * g.number_of_nodes() / k

    def sampled_closeness() -> float:
        # nx.closeness_centrality(g) reverses g once, then runs one BFS per node: time 50 BFS runs
        reverse = g.reverse()
        nodes = list(reverse)[:: max(1, reverse.number_of_nodes() // 50)][:50]
        start = time.perf_counter()
        for u in nodes:
            nx.single_source_shortest_path_length(reverse, u)
        return (time.perf_counter() - start) * reverse.number_of_nodes() / max(len(nodes), 1)

    measures["betweenness"] = stage("betweenness", lambda: nx.betweenness_centrality(g), sampled_betweenness)
    measures["closeness"] = stage("closeness", lambda: nx.closeness_centrality(g), sampled_closeness)
    hubs = stage("hits", lambda: nx.hits(g))
    if hubs is not None:
        measures["hub"], measures["authority"] = hubs
    measures["k_core"] = stage("k-core", lambda: nx.core_number(g.to_undirected()))
    parts = stage("communities", lambda: nx.community.louvain_communities(g.to_undirected(), weight="weight", seed=0))
    if parts is not None:
        measures["community"] = {n: i for i, part in enumerate(parts) for n in part}

    def topics() -> tuple[Any, Any]:
        docs = df.groupby("subthread_id", sort=False)["text"].agg(" ".join)
        vectorizer = TfidfVectorizer(ngram_range=(1, 2))
        x = vectorizer.fit_transform(docs)
        km = KMeans(n_clusters=10, random_state=0).fit(x)
        per_comment = km.predict(vectorizer.transform(df["text"]))
        return km.labels_, per_comment

    stage("topics", topics)
    for name, values in measures.items():
        if values is not None:
            nx.set_node_attributes(g, values, name)
    folder = Path(tempfile.mkdtemp(prefix=f"discourse-naive-{label}-"))

    def csvs() -> None:
        df.to_csv(folder / "comments.csv", index=False)
        nx.to_pandas_edgelist(g).to_csv(folder / "replies.csv", index=False)
        pd.DataFrame.from_dict(dict(g.nodes(data=True)), orient="index").to_csv(folder / "commenters.csv")

    stage("write csv", csvs)
    stage("write gexf", lambda: nx.write_gexf(g, folder / "graph.gexf"))
    stage("write graphml", lambda: nx.write_graphml(g, folder / "graph.graphml"))

    def figure() -> None:
        pr = measures.get("pagerank") or {n: 1 for n in g}
        top = sorted(g, key=lambda n: -pr[n])[:500]
        sub = g.subgraph(top)
        pos = nx.spring_layout(sub, seed=0)
        fig, ax = plt.subplots(figsize=(11, 8.5), dpi=110)
        nx.draw(sub, pos, ax=ax, node_size=[3000 * pr[n] / max(pr.values()) + 5 for n in sub], with_labels=False)
        nx.draw_networkx_labels(sub, pos, labels={n: n for n in top[:15]}, ax=ax)
        fig.savefig(folder / "network.png")
        plt.close(fig)

    stage("figure (top-500)", figure)
    for p in folder.iterdir():
        p.unlink()
    folder.rmdir()
    emit({"meta": "done", "peak_mb": peak_mb()})


def _extrapolate(points: list[tuple[int, float]] | None, n: int) -> float:
    """Time at ``n`` from earlier (n, seconds) points: slope of the last two, else linear."""
    points = sorted(points or [])
    if not points:
        return float("nan")
    if len(points) == 1:
        (n0, t0), slope = points[0], 1.0
    else:
        (n1, t1), (n0, t0) = points[-2], points[-1]
        slope = max(1.0, math.log(t0 / t1) / math.log(n0 / n1)) if t0 > 0 and t1 > 0 else 1.0
    return t0 * (n / n0) ** slope


# ---------------------------------------------------------------------------------------------
# Driver

def read_records(path: str | Path) -> tuple[list[dict], dict[str, dict]]:
    stages, meta = [], {}
    if not Path(path).exists():
        return stages, meta
    for line in Path(path).read_text().splitlines():
        record = json.loads(line)
        if "meta" in record:
            meta[record["meta"]] = record
        else:
            stages.append(record)
    return stages, meta


def glue_seconds(stages: list[dict], meta: dict[str, dict]) -> float | None:
    """Seconds ``analyze_corpus`` and ``write_outputs`` spent outside the stages timed in the main
    process (None if not recorded); a combined result (``--repeat``) holds its fastest run's."""
    if "glue" in meta:
        return meta["glue"]["seconds"]
    if "analyze_corpus" not in meta or "write_outputs" not in meta:
        return None
    staged = sum(r["seconds"] for r in stages if r["stage"] != "read_corpus" and not r.get("worker"))
    return meta["analyze_corpus"]["seconds"] + meta["write_outputs"]["seconds"] - staged


def combine_runs(paths: list[Path], out_path: Path) -> None:
    """Write one result from the result files of repeated runs of a size: each stage's and
    sub-stage's seconds the fastest run's, each peak the highest, a stage marked ``worker`` or
    ``timeout`` if it was in any run; likewise the meta timings (the glue: its fastest run's), the
    machine's reference operations and the summed PSS.  "done" only if every run finished."""
    runs = [read_records(path) for path in paths]
    stages = {}  # (stage, occurrence in its run) -> combined record, in the order first seen
    for records, _ in runs:
        occurrences = {}
        for record in records:
            occurrences[record["stage"]] = occurrences.get(record["stage"], 0) + 1
            key = (record["stage"], occurrences[record["stage"]])
            if key not in stages:
                stages[key] = dict(record, sub=dict(record.get("sub", {})))
                continue
            into = stages[key]
            into["seconds"] = min(into["seconds"], record["seconds"])
            for field in ("peak_mb", "rss_mb"):
                if field in record:
                    into[field] = max(into.get(field, 0.0), record[field])
            for flag in ("worker", "timeout"):
                if record.get(flag):
                    into[flag] = True
            for name, seconds in record.get("sub", {}).items():
                into["sub"][name] = min(into["sub"].get(name, seconds), seconds)
    metas = [meta for _, meta in runs]
    meta = {}
    for run in metas:  # code, start, corpus, graph, files, ...: the same in every run; the first kept
        for name, record in run.items():
            meta.setdefault(name, record)
    for name in ("analyze_corpus", "write_outputs"):
        if name in meta:
            meta[name] = {"meta": name, "seconds": min(m[name]["seconds"] for m in metas if name in m)}
    machine = [m["machine"]["seconds"] for m in metas if "machine" in m]
    if machine:
        meta["machine"] = {"meta": "machine", "seconds": {op: min(t[op] for t in machine if op in t)
                                                          for op in machine[0]}}
    if "memory" in meta:
        meta["memory"] = {"meta": "memory",
                          "pss_peak_mb": max(m["memory"]["pss_peak_mb"] for m in metas if "memory" in m)}
    meta.pop("done", None)
    if all("done" in m for m in metas):
        meta["done"] = {"meta": "done", "peak_mb": max(m["done"]["peak_mb"] for m in metas)}
    glue = [g for g in (glue_seconds(*run) for run in runs) if g is not None]
    if glue:
        meta["glue"] = {"meta": "glue", "seconds": min(glue)}
    meta["runs"] = {"meta": "runs", "count": len(paths), "files": [Path(path).name for path in paths]}
    with open(out_path, "w") as out:
        for record in [*stages.values(), *meta.values()]:
            out.write(json.dumps(record) + "\n")


def snapshot_code(folder: Path) -> tuple[Path, str]:
    """Copy the discourse package into ``folder``/code-HASH once, so every size of a run imports the
    same code even while someone edits the working tree; returns (directory, short hash)."""
    digest = hashlib.sha1()
    for path in sorted((ROOT / "discourse").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    short = digest.hexdigest()[:10]
    target = Path(folder) / f"code-{short}"
    if not (target / "discourse").exists():
        shutil.copytree(ROOT / "discourse", target / "discourse", ignore=shutil.ignore_patterns("__pycache__"))
    return target, short


def ensure_corpus(n: int, folder: Path, seed: int) -> Path:
    import synthetic

    path = Path(folder) / f"synthetic-{size_label(n)}-seed{seed}.jsonl"
    if not path.exists():
        log(f"generating {path} ...")
        start = time.perf_counter()
        synthetic.write_corpus(n, path, seed)
        log(f"  {time.perf_counter() - start:.1f} s, {path.stat().st_size / 2**20:.0f} MB")
    return path


def spawn(args: list[str], timeout: float) -> float | None:
    """Run this script with ``args`` in a child process; return the peak summed PSS (MB) of the
    child and its descendants (see :func:`tree_pss_mb`), or None when it was stopped."""
    command = [sys.executable, str(Path(__file__).resolve()), *args]
    process = subprocess.Popen(command)
    deadline, peak = time.monotonic() + timeout, 0.0
    while process.poll() is None:
        if time.monotonic() > deadline:
            process.kill()
            process.wait()
            log(f"worker exceeded {timeout} s and was stopped: {' '.join(args)}")
            return None
        peak = max(peak, tree_pss_mb(process.pid))
        time.sleep(PSS_INTERVAL)
    return peak


#: Seconds between two memory samples of a run's processes (reading smaps_rollup walks the page
#: tables: more often would slow the run measured).
PSS_INTERVAL = 0.5


def tree_pss_mb(pid: int) -> float:
    """Summed PSS (proportional set size) of ``pid`` and its descendants in MB: a forked worker's
    pages shared with its parent count once, split between them.  0 where /proc has no smaps_rollup."""
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo += [int(child) for child in children.read().split()]
            with open(f"/proc/{current}/smaps_rollup") as rollup:
                total += next((int(line.split()[1]) / 1024 for line in rollup if line.startswith("Pss:")), 0.0)
        except OSError:  # the process ended meanwhile, or no /proc (not Linux)
            continue
    return total


def slope(points: list[tuple[int, float]]) -> float:
    """Least-squares slope of log(seconds) on log(n), over points with seconds > 0."""
    pts = [(math.log(n), math.log(s)) for n, s in points if s and s > 0 and not math.isnan(s)]
    if len(pts) < 2:
        return float("nan")
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sxx if sxx else float("nan")


def fmt_s(seconds: float | None, flag: str = "") -> str:
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return "–"
    text = f"{seconds:.3f}" if seconds < 1 else f"{seconds:.2f}" if seconds < 100 else f"{seconds:.0f}"
    return {"timeout": f">{text}", "estimated": f"~{text}"}.get(flag, text)


def fmt_rate(n: int, seconds: float | None) -> str:
    if not seconds or seconds <= 0:
        return "–"
    rate = n / seconds
    return f"{rate / 1e6:.1f}M" if rate >= 1e6 else f"{rate / 1e3:.0f}k" if rate >= 1e3 else f"{rate:.0f}"


def fmt_slope(value: float | None) -> str:
    return "–" if value is None or math.isnan(value) else f"{value:.2f}"


def tables(results: dict[int, tuple[list[dict], dict[str, dict]]], naive: dict[int, tuple[list[dict], dict[str, dict]]], sizes: list[int]) -> str:
    """Markdown tables: per stage time/throughput/peak memory per size and slopes; baseline ratios."""
    rows = []   # (name, is_sub)
    seen = set()
    for n in sizes:
        for record in results.get(n, ([], {}))[0]:
            if record["stage"] not in seen:
                seen.add(record["stage"])
                rows.append((record["stage"], None))
            for sub in record.get("sub", {}):
                key = (record["stage"], sub)
                if key not in seen:
                    seen.add(key)
                    rows.append(key)
    # keep sub-rows right after their stage
    ordered = []
    for name, sub in rows:
        if sub is None:
            ordered.append((name, None))
            ordered += [(s, t) for s, t in rows if s == name and t is not None]

    def lookup(n: int, name: str, sub: str | None) -> tuple[float | None, str, float | None]:
        for record in results.get(n, ([], {}))[0]:
            if record["stage"] == name:
                if sub is None:
                    return record["seconds"], ("timeout" if record.get("timeout") else ""), record["peak_mb"]
                if sub in record.get("sub", {}):
                    return record["sub"][sub], "", None
        return None, "", None

    def worker_stage(n: int, name: str) -> bool:
        return any(r["stage"] == name and r.get("worker") for r in results.get(n, ([], {}))[0])

    lines = []
    head = "| stage | " + " | ".join(f"{size_label(n)} s | {size_label(n)} c/s" for n in sizes) + \
           " | slope | slope (last 2) |"
    lines += ["### Wall time and comments per second per stage", "", head,
              "|---|" + "---:|---:|" * len(sizes) + "---:|---:|"]
    totals = {n: 0.0 for n in sizes}
    for name, sub in ordered:
        cells, points = [], []
        for n in sizes:
            seconds, flag, _ = lookup(n, name, sub)
            cells += [fmt_s(seconds, flag), fmt_rate(n, seconds) if sub is None and not flag else ""]
            if seconds is not None and not flag:
                points.append((n, seconds))
            if sub is None and seconds is not None and not worker_stage(n, name):
                totals[n] += seconds
        last2 = slope(points[-2:]) if len(points) >= 2 else float("nan")
        label = f"  ↳ {sub}" if sub else name + (" (worker process, alongside)" if any(
            worker_stage(n, name) for n in sizes) else "")
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {fmt_slope(slope(points))} | {fmt_slope(last2)} |")
    def complete(n: int) -> bool:
        return n in results and results[n][1].get("done") and not any(r.get("timeout") for r in results[n][0])

    glue_cells, glue_points = [], []
    for n in sizes:
        glue = glue_seconds(*results.get(n, ([], {})))
        if glue is not None:
            totals[n] += glue
            glue_cells += [fmt_s(glue), ""]
            glue_points.append((n, glue))
        else:
            glue_cells += ["–", ""]
    lines.append("| (untimed glue in analyze_corpus and write_outputs) | " + " | ".join(glue_cells) +
                 f" | {fmt_slope(slope(glue_points))} | {fmt_slope(slope(glue_points[-2:]))} |")

    total_points = [(n, totals[n]) for n in sizes if complete(n)]
    cells = []
    for n in sizes:
        done = complete(n)
        cells += [("" if done else ">") + fmt_s(totals[n]) if n in results else "–",
                  fmt_rate(n, totals[n]) if done else ""]
    lines.append("| **end to end** | " + " | ".join(cells) +
                 f" | {fmt_slope(slope(total_points))} | {fmt_slope(slope(total_points[-2:]))} |")

    lines += ["", "### Peak resident memory (MB) after each stage", "",
              "| stage | " + " | ".join(size_label(n) for n in sizes) + " |", "|---|" + "---:|" * len(sizes)]
    for name, sub in ordered:
        if sub is not None:
            continue
        cells = []
        for n in sizes:
            _, _, peak = lookup(n, name, None)
            cells.append("–" if peak is None else f"{peak:.0f}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    summed = [results.get(n, ([], {}))[1].get("memory", {}).get("pss_peak_mb") for n in sizes]
    lines.append(f"| **all processes** (peak of their summed PSS, sampled every {PSS_INTERVAL} s) | "
                 + " | ".join("–" if pss is None else f"{pss:.0f}" for pss in summed) + " |")

    lines += ["", "### Corpora", "", "| size | comments | commenters | threads | graph nodes | graph edges | edge rows |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for n in sizes:
        meta = results.get(n, ([], {}))[1]
        c, g = meta.get("corpus", {}), meta.get("graph", {})
        lines.append(f"| {size_label(n)} | {c.get('comments', '–')} | {c.get('commenters', '–')} | "
                     f"{c.get('threads', '–')} | {g.get('nodes', '–')} | {g.get('edges', '–')} | "
                     f"{g.get('edge_rows', '–')} |")
    reference = reference_table(results, sizes, slope=slope, fmt_slope=fmt_slope, size_label=size_label)
    lines += [""] + reference if reference else []

    if naive:
        mapping = {  # naive stage -> our stages (top-level or "stage/sub")
            "read": ["read_corpus"], "tree": ["read_corpus/tree"], "graph": ["edge_records", "aggregate_edges", "build_graph"],
            "pagerank": ["commenter_metrics/pagerank"],
            "betweenness": ["commenter_metrics/betweenness (exact)|commenter_metrics/betweenness (pivots)"],
            "closeness": ["commenter_metrics/closeness (exact)|commenter_metrics/closeness (pivots)"],
            "hits": ["commenter_metrics/hits"],
            "k-core": ["commenter_metrics/k-core"], "communities": ["commenter_metrics/communities"],
            "topics": ["find_topics"],
            "write csv": ["write comments.csv", "write replies.csv", "write commenters.csv"],
            "write gexf": ["write graph.gexf"], "write graphml": ["write graph.graphml"],
            "figure (top-500)": ["commenter_layout", "figure network", "save network.png"],
        }

        def ours(n: int, keys: list[str]) -> float | None:
            total = 0.0
            for key in keys:  # "a|b": whichever of a and b ran
                found = [lookup(n, name, sub or None)[0] for name, _, sub in (k.partition("/") for k in key.split("|"))]
                if all(seconds is None for seconds in found):
                    return None
                total += sum(seconds for seconds in found if seconds is not None)
            if keys == ["read_corpus"]:  # our read includes the tree; compare read without it
                tree, _, _ = lookup(n, "read_corpus", "tree")
                total -= tree or 0.0
            return total

        lines += ["", "### Naive baseline (library defaults) against discourse", "",
                  "`~` estimated (not run: sampled sources scaled to all, or extrapolated), `>` stopped at the cap.",
                  "", "| stage | " + " | ".join(f"{size_label(n)} naive s | {size_label(n)} ours s | ratio"
                                                for n in sizes) + " |",
                  "|---|" + "---:|---:|---:|" * len(sizes)]
        naive_total = {n: 0.0 for n in sizes}
        ours_total = {n: 0.0 for n in sizes}
        for stage_name in NAIVE_STAGES:
            cells = []
            for n in sizes:
                records = naive.get(n, ([], {}))[0]
                record = next((r for r in records if r["stage"] == stage_name), None)
                mine = ours(n, mapping[stage_name])
                if record is None:
                    cells += ["–", fmt_s(mine), "–"]
                    continue
                flag = "estimated" if record.get("estimated") else "timeout" if record.get("timeout") else ""
                naive_total[n] += record["seconds"]
                ours_total[n] += mine or 0.0
                ratio = record["seconds"] / mine if mine else float("nan")
                cells += [fmt_s(record["seconds"], flag), fmt_s(mine),
                          "–" if math.isnan(ratio) else ("~" if flag else "") + f"{ratio:.1f}×"]
            lines.append(f"| {stage_name} | " + " | ".join(cells) + " |")
        cells = []
        for n in sizes:
            if n in naive:
                cells += [fmt_s(naive_total[n]), fmt_s(ours_total[n]),
                          f"{naive_total[n] / ours_total[n]:.1f}×" if ours_total[n] else "–"]
            else:
                cells += ["–", "–", "–"]
        lines.append("| **sum of compared stages** | " + " | ".join(cells) + " |")
    return "\n".join(lines)


READING = """How to read the tables. Each row is one stage `analyze_corpus` or `write_outputs` reports (in call
order), timed on its own; indented rows are the steps it reports inside it through the same hook
(each measure, the mention/quote scan, ...), in the order they start; steps nest, so `node
measures` holds the measures listed after it up to `comment counts`. Betweenness and
closeness are exact up to 5,000 commenters, with work nodes x edges (a slope near 2, on small
graphs only), and estimated from 500 pivots above, with work pivots x edges: the `(exact)` and
`(pivots)` rows keep the two apart. `>` marks a stage
stopped at the stage timeout (which ended that size's run), so its rate and slope are
left out. From 50,000 comments `find_topics` runs in a worker process alongside the graph stages
(`edge_records` to `branch_ids`), and `topics` is the time the main process then waits for
it; the graph files are written by a second process while the main one writes the tables and
images. A worker's own stages are marked and not added to the end-to-end time, which is the main
process's. Slopes are least-squares slopes of log(time) on log(comments): 1 is linear; the
last-two-sizes slope is the one to extrapolate with, since fixed costs flatten small sizes; the
machine's own slopes for linear operations (last table) are the yardstick for it. Peak
memory is each process's high-water mark after the stage, so the stage where it jumps is the one
that needed it; the last row is what the run as a whole held at its peak (shared pages counted
once). The machine is shared: the load average in the header says how many other processes competed
for its 2 cores, and numbers can be ~2x off under load. With `--repeat N` in the header, each time is
the fastest of N runs, each in a fresh process, and each peak the highest of them.
"""

ALONE = """With `--alone` in the header there are no worker processes: the topics and the graph files
are found and written in turn by the main process, so every stage is timed with the machine to
itself. Its slopes are the stages' own; the end-to-end time is longer than the CLI's.
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1e3,1e4,1e5",
                        help="comma-separated comment counts, up to 1e7 (default 1e3,1e4,1e5)")
    parser.add_argument("--engine", choices=["memory", "dask"], default="memory",
                        help="dask: time discourse analyze --engine dask (a local cluster, --workers processes)")
    parser.add_argument("--workers", type=int, help="with --engine dask: the local cluster's workers (default: one a core)")
    parser.add_argument("--baseline", action="store_true", help="also run the naive library-defaults pipeline")
    parser.add_argument("--out", help="write the Markdown tables to this file")
    parser.add_argument("--corpus-dir", default=os.path.join(tempfile.gettempdir(), "discourse-bench"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--stage-timeout", type=float, default=600, help="seconds before a stage is stopped")
    parser.add_argument("--size-timeout", type=float, default=3600, help="seconds before a size's run is stopped")
    parser.add_argument("--baseline-cap", type=float, default=120, help="seconds before a naive stage is stopped")
    parser.add_argument("--profile", action="store_true",
                        help="instead of timing, cProfile every stage; top functions into --corpus-dir/profile-SIZE/")
    parser.add_argument("--worker", choices=["discourse", "naive"], help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--label", help=argparse.SUPPRESS)
    parser.add_argument("--skip", default="", help=argparse.SUPPRESS)
    parser.add_argument("--previous", default="{}", help=argparse.SUPPRESS)
    parser.add_argument("--profile-dir", help=argparse.SUPPRESS)
    parser.add_argument("--profile-stages", default="",
                        help="with --profile: only these stages (comma-separated names as in the table)")
    parser.add_argument("--code", help=argparse.SUPPRESS)
    parser.add_argument("--until", help="stop each size's run after this stage (e.g. read_corpus)")
    parser.add_argument("--alone", action="store_true",
                        help="no worker processes: topics and graph files in turn, so each stage is timed with the "
                             "machine to itself (its own scaling; end to end is then longer than the CLI's)")
    parser.add_argument("--code-snapshot", help="reuse this code snapshot folder (code-HASH in --corpus-dir)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run discourse N times per size, each in a fresh process; times the fastest, peaks "
                             "the highest (runs in result-SIZE-runI.jsonl, combined in result-SIZE.jsonl)")
    parser.add_argument("--report-only", action="store_true",
                        help="rebuild the tables from the result files of the last run in --corpus-dir")
    args = parser.parse_args(argv)
    if args.repeat < 1 or (args.repeat > 1 and args.profile):
        parser.error("--repeat needs N >= 1, and N = 1 with --profile")
    if args.code:
        sys.path.insert(0, args.code)
    signal.signal(signal.SIGALRM, _alarm)

    if args.worker == "discourse" and args.engine == "dask":
        run_dask(args.path, args.result, args.label, args.workers)
        return
    if args.worker == "discourse":
        only = set(filter(None, args.profile_stages.split(","))) or None
        run_discourse(args.path, args.result, args.label, args.stage_timeout, args.profile_dir, only, args.until,
                      args.alone)
        return
    if args.worker == "naive":
        previous = {k: [tuple(p) for p in v] for k, v in json.loads(args.previous).items()}
        run_naive(args.path, args.result, args.label, args.baseline_cap, set(filter(None, args.skip.split("|"))),
                  previous)
        return

    sizes = sorted(int(float(s)) for s in args.sizes.split(","))
    folder = Path(args.corpus_dir)
    folder.mkdir(parents=True, exist_ok=True)
    if args.code_snapshot:
        code = Path(args.code_snapshot)
        code_hash = code.name.replace("code-", "")
    else:
        code, code_hash = (None, "") if args.report_only else snapshot_code(folder)
    if code:
        log(f"discourse code snapshot {code_hash} in {code}")
    results, naive = {}, {}
    if args.report_only:
        for n in sizes:
            results[n] = read_records(result_path(folder, n, args.profile, args.engine))
            code_dir = results[n][1].get("code", {}).get("discourse", "")
            code_hash = Path(code_dir).parent.name.replace("code-", "") or code_hash
            if args.baseline:
                naive[n] = read_records(folder / f"naive-{size_label(n)}.jsonl")
    else:
        paths = {n: ensure_corpus(n, folder, args.seed) for n in sizes}
        results = run_sizes(args, sizes, paths, folder, code)
        if args.baseline:
            naive = run_baselines(args, sizes, paths, folder)
    text = dask_table(results, sizes) if args.engine == "dask" else tables(results, naive, sizes)
    repeat = max([1] + [meta.get("runs", {}).get("count", 1) for _, meta in results.values()])
    header = (f"Synthetic corpora (scripts/synthetic.py, seed {args.seed}); {os.cpu_count()} CPUs; "
              f"load average at the end {os.getloadavg()[0]:.1f}; Python {sys.version.split()[0]}; "
              f"discourse sources {code_hash}.  `python3 scripts/benchmark.py --sizes "
              f"{args.sizes}{' --engine dask' if args.engine == 'dask' else ''}{' --baseline' if args.baseline else ''}{f' --repeat {repeat}' if repeat > 1 else ''}"
              f"{' --alone' if args.alone else ''}`\n")
    print(header + "\n" + text)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        reading = READING + (ALONE if args.alone else "")
        Path(args.out).write_text("# Benchmark\n\n" + header + "\n" + reading + "\n" + text + "\n", encoding="utf-8")
        log(f"wrote {args.out}")


def result_path(folder: Path, n: int, profile: bool = False, engine: str = "memory") -> Path:
    """The result file of size ``n``'s run (its runs' fastest times with ``--repeat``)."""
    return folder / f"result-{size_label(n)}{'-dask' if engine == 'dask' else ''}{'-profile' if profile else ''}.jsonl"


def run_sizes(args: argparse.Namespace, sizes: list[int], paths: dict[int, Path], folder: Path,
              code: Path) -> dict[int, tuple[list[dict], dict[str, dict]]]:
    """{size: records} of discourse's runs.  With ``--repeat N`` the runs go round by round over
    the sizes (1e3, 1e4, ..., then again), so a drift in the machine's speed during the benchmark
    touches every size alike rather than the sizes timed last; each size's runs are then combined."""
    runs, extra = {}, []
    for n in sizes:
        label = size_label(n)
        result = result_path(folder, n, args.profile, args.engine)
        result.unlink(missing_ok=True)
        runs[n] = [result] if args.repeat == 1 else [folder / f"result-{label}-run{i}.jsonl"
                                                     for i in range(1, args.repeat + 1)]
        if args.engine == "dask" and args.repeat > 1:
            runs[n] = [run.with_name(run.name.replace(label, f"{label}-dask")) for run in runs[n]]
    for i in range(args.repeat):
        for n in sizes:
            label, run = size_label(n), runs[n][i]
            if args.profile:
                profile_dir = folder / f"profile-{label}"
                profile_dir.mkdir(exist_ok=True)
                extra = ["--profile-dir", str(profile_dir), "--profile-stages", args.profile_stages]
            run.unlink(missing_ok=True)
            of = f", run {i + 1} of {args.repeat}" if args.repeat > 1 else ""
            log(f"== discourse, {label} comments{of} ==")
            engine = ["--engine", "dask", *(["--workers", str(args.workers)] if args.workers else [])] \
                if args.engine == "dask" else []
            pss = spawn(["--worker", "discourse", *engine, "--path", str(paths[n]), "--result", str(run), "--label", label,
                         "--stage-timeout", str(args.stage_timeout), "--code", str(code), *extra,
                         *(["--until", args.until] if args.until else []), *(["--alone"] if args.alone else [])],
                        args.size_timeout)
            if pss:
                with open(run, "a") as out:
                    out.write(json.dumps({"meta": "memory", "pss_peak_mb": pss}) + "\n")
    results = {}
    for n in sizes:
        label, result = size_label(n), result_path(folder, n, args.profile, args.engine)
        if args.repeat > 1:
            combine_runs(runs[n], result)
            log(f"{label}: the fastest of {args.repeat} runs per stage in {result}")
        results[n] = read_records(result)
        if not results[n][1].get("done"):
            log(f"{label}: the run did not finish (see the last stage above)")
    return results


def run_baselines(args: argparse.Namespace, sizes: list[int], paths: dict[int, Path],
                  folder: Path) -> dict[int, tuple[list[dict], dict[str, dict]]]:
    """{size: records} of the naive pipeline, smallest size first: a stage stopped at the cap is
    skipped (and estimated) at the larger sizes."""
    naive, skip, previous = {}, set(), {}
    for n in sizes:
        label = size_label(n)
        naive_result = folder / f"naive-{label}.jsonl"
        naive_result.unlink(missing_ok=True)
        log(f"== naive baseline, {label} comments ==")
        spawn(["--worker", "naive", "--path", str(paths[n]), "--result", str(naive_result), "--label", label,
               "--baseline-cap", str(args.baseline_cap), "--skip", "|".join(sorted(skip)),
               "--previous", json.dumps(previous)], args.size_timeout)
        naive[n] = read_records(naive_result)
        for record in naive[n][0]:
            if record.get("timeout") or record.get("estimated"):
                skip.add(record["stage"])
            if not record.get("estimated") and not record.get("timeout"):
                previous.setdefault(record["stage"], []).append((n, record["seconds"]))
    return naive


if __name__ == "__main__":
    main()
