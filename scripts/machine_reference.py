"""The machine's own scaling, timed beside the stages by ``scripts/benchmark.py``.

A stage's time can grow faster than its work.  At 1e5 comments most of a stage's data fits the
processor's caches; at 1e6 it does not, and each access that misses costs several times more.
To tell that apart from work that grows faster than the input, each size's run also times a few
operations the stages are made of, on as many elements as the corpus has comments.  Their work
is linear (sorting: n log n, a slope of 1.03-1.08 over these sizes), so the slope of their time is
what the memory hierarchy alone does to a linear stage on this machine.
"""

import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = ["OPERATIONS", "reference_times", "reference_table"]


def _operations(n: int) -> dict[str, Callable[[], object]]:
    """{name: call} over n elements, built outside the timed calls."""
    rng = np.random.default_rng(0)
    strings = np.array([f"c{i}" for i in rng.permutation(n)], dtype=object)
    # Names as a comments table holds its authors: n values of a tenth as many distinct ones.
    names = np.array([f"user{i}" for i in range(max(n // 10, 1))], dtype=object)[rng.integers(0, max(n // 10, 1), n)]
    floats = rng.random(n)
    shuffled = rng.permutation(n)
    # A random graph with the corpora's shape: a tenth as many nodes as comments, 0.7 edges per comment.
    nodes = max(n // 10, 2)
    graph = _csr(rng.integers(0, nodes, size=int(0.7 * n)), rng.integers(0, nodes, size=int(0.7 * n)), nodes)
    return {
        "hash n distinct strings (pandas factorize)": lambda: pd.factorize(strings),
        "hash n names, n/10 distinct (pandas factorize)": lambda: pd.factorize(names),
        "stable sort of n floats (numpy argsort)": lambda: np.argsort(floats, kind="stable"),
        "gather n strings in random order (to a list)": lambda: strings[shuffled].tolist(),
        "gather n floats in random order (numpy)": lambda: floats[shuffled],
        "one breadth-first search, n/10 nodes, 0.7n edges (scipy)": lambda: _search(graph),
    }


def _csr(src: np.ndarray, dst: np.ndarray, n: int) -> "sp.csr_matrix":
    import scipy.sparse as sp

    return sp.csr_matrix((np.ones(len(src), dtype=np.int8), (src, dst)), shape=(n, n))


def _search(graph: "sp.csr_matrix") -> np.ndarray:
    from scipy.sparse.csgraph import breadth_first_order

    return breadth_first_order(graph, 0, directed=True, return_predecessors=False)


OPERATIONS = list(_operations(10))


def reference_times(n: int, budget: float = 0.2) -> dict[str, float]:
    """{operation: seconds}, the fastest of repeated calls (at least 3, more while they take
    less than ``budget`` seconds in all): the machine's best, as free of other load as it gets."""
    times = {}
    for name, call in _operations(n).items():
        best, spent, calls = math.inf, 0.0, 0
        while calls < 3 or (spent < budget and calls < 1000):
            start = time.perf_counter()
            call()
            took = time.perf_counter() - start
            best, spent, calls = min(best, took), spent + took, calls + 1
        times[name] = best
    return times


def reference_table(results: dict[int, tuple[list, dict]], sizes: list[int], *,
                    slope: Callable[[list[tuple[int, float]]], float], fmt_slope: Callable[[float], str],
                    size_label: Callable[[int], str]) -> list[str]:
    """Markdown lines: each operation's seconds per size and its slopes (as the stages' table)."""
    measured = {n: results[n][1].get("machine", {}).get("seconds", {}) for n in sizes if n in results}
    if not any(measured.values()):
        return []
    lines = ["### The machine's own scaling", "",
             "Operations the stages are made of, on as many elements as the corpus has comments, each the "
             "fastest of repeated calls, timed in the same process right after the run. Their work is "
             "linear (sorting n log n), so their slopes are what the memory hierarchy alone does to a "
             "linear stage: read a stage's slope against them.", "",
             "| operation | " + " | ".join(f"{size_label(n)} ms" for n in sizes) + " | slope | slope (last 2) |",
             "|---|" + "---:|" * len(sizes) + "---:|---:|"]
    for name in OPERATIONS:
        points = [(n, measured[n][name]) for n in sizes if name in measured.get(n, {})]
        cells = [_milliseconds(measured.get(n, {}).get(name)) for n in sizes]
        lines.append(f"| {name} | " + " | ".join(cells) +
                     f" | {fmt_slope(slope(points))} | {fmt_slope(slope(points[-2:]))} |")
    return lines


def _milliseconds(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds * 1e3:.3g}"
