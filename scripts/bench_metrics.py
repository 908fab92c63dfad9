"""Benchmark the reply network and its metrics at scale (a script, not a test).

    python scripts/bench_metrics.py                  # 100k commenters, ~500k edges
    python scripts/bench_metrics.py --nodes 20000 --edges 100000 --skip-corpus

Part 1 times each node measure on a random directed graph with heavy-tailed in-degrees
(``--nodes``/``--edges``).  Part 2 generates a synthetic corpus of threads (commenters in
overlapping interest groups, replies to recent or random earlier comments, some "@name"
addressing and copied sentences) of about the same size and times every public function.
Part 3 measures the error of the sampled betweenness and closeness against the exact values
on a graph of ``--accuracy-nodes`` nodes.  Prints one line per step, wall and CPU time.
"""

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from discourse.measures import centrality  # noqa: E402
from discourse.network.graph import build_graph, commenter_edges  # noqa: E402
from discourse.measures.commenters import commenter_metrics  # noqa: E402
from discourse.measures.groups import subthread_metrics, thread_metrics  # noqa: E402
from discourse.measures.ranking import central_commenters  # noqa: E402
from discourse.measures.stability import top_stability  # noqa: E402
from discourse.model.tree import complete_tree  # noqa: E402


class Timer:
    def __init__(self) -> None:
        self.rows = []

    def __call__(self, label: str, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        start, cpu = time.perf_counter(), time.process_time()
        result = func(*args, **kwargs)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        self.rows.append((label, seconds))
        # CPU time beside wall time: on a shared machine the wall clock also counts other jobs.
        print(f"{label:<52} {seconds:8.2f} s wall {cpu:8.2f} s cpu", flush=True)
        return result


def random_graph(n: int, m: int, seed: int = 0) -> nx.DiGraph:
    """Directed graph: uniform sources, Pareto-weighted targets, integer weights 1-3."""
    rng = np.random.default_rng(seed)
    popularity = rng.pareto(1.5, n) + 1
    src = rng.integers(0, n, int(m * 1.1))
    dst = rng.choice(n, size=len(src), p=popularity / popularity.sum())
    pairs = np.unique(np.column_stack([src, dst])[src != dst], axis=0)[:m]
    graph = nx.DiGraph()
    graph.add_nodes_from(range(n))
    graph.add_weighted_edges_from((int(u), int(v), int(w)) for (u, v), w in
                                  zip(pairs, rng.integers(1, 4, len(pairs))))
    return graph


def synthetic_comments(n_authors: int, n_comments: int, seed: int = 0, thread_size: int = 300,
                       groups: int = 400) -> pd.DataFrame:
    """A comments table of many threads; see the module docstring."""
    rng = np.random.default_rng(seed)
    vocabulary = np.array([f"w{i}" for i in range(5000)])
    activity = rng.pareto(1.2, n_authors) + 1
    group_of = rng.integers(0, groups, n_authors)
    members = [np.flatnonzero(group_of == g) for g in range(groups)]
    names = np.array([f"user{i:06d}" for i in range(n_authors)])
    rows, made, thread = [], 0, 0
    while made < n_comments:
        k = int(min(max(rng.geometric(1 / thread_size), 2), n_comments - made + 1))
        pool = members[rng.integers(groups)]
        local = rng.random(k) < 0.7
        weights = activity[pool] / activity[pool].sum()
        authors = np.where(local, rng.choice(pool, size=k, p=weights),
                           rng.choice(n_authors, size=k, p=activity / activity.sum()))
        index = np.arange(k)
        recent = np.maximum(index - rng.geometric(0.3, k), 0)
        anywhere = (rng.random(k) * index).astype(int)
        parent = np.where(rng.random(k) < 0.6, recent, anywhere)
        parent[(rng.random(k) < 0.1) | (index == 0)] = -1
        texts = [" ".join(rng.choice(vocabulary, 25)) for _ in range(k)]
        for i in range(k):
            p = parent[i]
            if p >= 0 and rng.random() < 0.05:
                texts[i] = f"@{names[authors[p]]} " + texts[i]
            if p >= 0 and rng.random() < 0.05:
                texts[i] += " " + " ".join(texts[p].split()[2:12]) + "."
            rows.append((f"t{thread}_{i}", f"t{thread}", f"t{thread}_{p}" if p >= 0 else None,
                         names[authors[i]], texts[i]))
        made += k
        thread += 1
    table = pd.DataFrame(rows, columns=["comment_id", "thread_id", "parent_id", "author", "text"])
    return complete_tree(table.assign(created_at=pd.NaT, source="synthetic"))


def accuracy(n_nodes: int, pivots: int, seed: int = 0) -> None:
    graph = random_graph(n_nodes, n_nodes * 5, seed=seed)
    arrays = centrality.EdgeArrays(graph)
    exact, _ = centrality.path_measures(arrays, exact_threshold=n_nodes + 1)
    sampled, _ = centrality.path_measures(arrays, exact_threshold=0, pivots=pivots, random_state=seed)
    for measure in ("betweenness", "closeness"):
        true, guess = exact[measure].to_numpy(), sampled[measure].to_numpy()
        top10 = len(set(np.argsort(-true)[:10]) & set(np.argsort(-guess)[:10]))
        heavy = true >= np.quantile(true, 0.99)
        relative = np.abs(guess[heavy] - true[heavy]) / true[heavy]
        print(f"{measure:<12} n={n_nodes} pivots={pivots}: top-10 overlap {top10}/10, "
              f"top 1% median relative error {np.median(relative):.1%}, 90th percentile {np.quantile(relative, 0.9):.1%}, "
              f"Spearman {pd.Series(true).corr(pd.Series(guess), method='spearman'):.3f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--edges", type=int, default=500_000)
    parser.add_argument("--comments", type=int, default=650_000, help="comments in the synthetic corpus")
    parser.add_argument("--accuracy-nodes", type=int, default=5000)
    parser.add_argument("--skip-corpus", action="store_true")
    args = parser.parse_args(argv)
    timer = Timer()

    print(f"-- part 1: random graph, {args.nodes} nodes, {args.edges} edges")
    graph = timer("generate graph", random_graph, args.nodes, args.edges)
    arrays = timer("graph -> arrays", centrality.EdgeArrays, graph)
    timer("degrees, partners, reciprocity", centrality.simple_measures, arrays)
    timer("pagerank + betweenness + closeness + k-core", centrality.path_measures, arrays)
    timer("  betweenness+k-core only (no closeness)", centrality.path_measures, arrays, closeness=False)
    timer("hits", centrality.hits, arrays)
    timer("communities (auto: Leiden above threshold)", centrality.communities, arrays)
    timer("node_measures (all of the above)", centrality.node_measures, graph)

    if not args.skip_corpus:
        print(f"-- part 2: synthetic corpus, {args.nodes} commenters, ~{args.comments} comments")
        comments = timer("generate corpus (complete_tree included)", synthetic_comments, args.nodes, args.comments)
        edges = timer("commenter_edges (reply only)", commenter_edges, comments, kinds=("reply",))
        timer("commenter_edges (reply, mention, quote)", commenter_edges, comments)
        graph = timer("build_graph", build_graph, comments, edges)
        print(f"   corpus: {len(comments)} comments, {comments['thread_id'].nunique()} threads, "
              f"{graph.number_of_nodes()} commenters, {graph.number_of_edges()} edges")
        metrics = timer("commenter_metrics", commenter_metrics, graph, comments)
        print(f"   how: {metrics.attrs}")
        timer("subthread_metrics", subthread_metrics, comments, graph)
        timer("thread_metrics", thread_metrics, comments, graph)
        timer("central_commenters", central_commenters, metrics, comments)
        stability = timer("top_stability (max_subthreads='auto', metrics given)", top_stability, comments,
                          metrics=metrics)
        print(f"   left out {stability.attrs['subthreads_tried']} of {stability.attrs['subthreads']} subthreads")

    print(f"-- part 3: sampling error on {args.accuracy_nodes} nodes")
    accuracy(args.accuracy_nodes, centrality.PIVOTS)
    print(f"total {sum(s for _, s in timer.rows):.1f} s")


if __name__ == "__main__":
    main()
