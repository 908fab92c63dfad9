"""Compare ``--engine dask`` with the default engine, table by table (a script, never a test).

    python3 scripts/compare_engines.py FILE [FILE ...] [--workers 2] [--edges reply,mention,quote]
    python3 scripts/compare_engines.py --samples            # the shipped sample, the seed, ../shared/samples
    python3 scripts/compare_engines.py /work/cmp/corpus-1e5.jsonl

Each input is analysed alone by both engines through the public API: ``discourse.analyze_corpus``
(the default, in memory) and ``discourse.engines.analyze_distributed`` on a local cluster of
``--workers`` processes, into a temporary folder.  Then, for each table the dask engine writes:

- replies (the edge table): every column, row by row, in order;
- commenters: every column the dask engine computes (the topic columns are the default's only),
  row by row, in graph order; floats compared exactly;
- comments: the part files read back and sorted by comment_id, against the default's table
  (its topic columns left out), every column;
- threads: the same thread ids; the graph: the same nodes in the same order, the same edges;
- central_commenters.csv, graph.csv and the images made of the graph alone (network.png,
  top_commenters.png, degrees.png): byte by byte against the default's (written by write_outputs).
  graph.gexf and graph.graphml are not compared: the default's nodes carry topic attributes too.

It prints one line a table and input: "identical", or what differs.  Exit status 1 when any differs.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import discourse  # noqa: E402
from discourse.engines import analyze_distributed  # noqa: E402

SHARED = HERE.parent.parent / "shared"
#: Files both engines write from the graph and the commenter table alone: compared byte by byte.
SAME_FILES = ["central_commenters.csv", "graph.csv", "network.png", "top_commenters.png", "degrees.png"]


def _differences(name: str, got: pd.DataFrame, want: pd.DataFrame) -> list[str]:
    """What differs between two tables (empty when identical, values and order)."""
    if list(got.columns) != list(want.columns):
        return [f"{name}: columns {list(got.columns)} vs {list(want.columns)}"]
    if len(got) != len(want):
        return [f"{name}: {len(got)} rows vs {len(want)}"]
    out = []
    for column in got.columns:
        a, b = got[column].reset_index(drop=True), want[column].reset_index(drop=True)
        same = (a.astype(object).where(a.notna(), None) == b.astype(object).where(b.notna(), None)) | (a.isna() & b.isna())
        if not bool(same.all()):
            row = int((~same).to_numpy().nonzero()[0][0])
            out.append(f"{name}.{column}: {int((~same).sum())} rows differ (first: row {row}: "
                       f"{a.iloc[row]!r} vs {b.iloc[row]!r})")
    return out


def compare(path: Path, workers: int, options: discourse.Options) -> list[str]:
    """Analyse ``path`` with both engines; one line per table (and the times)."""
    start = time.perf_counter()
    default = discourse.analyze_corpus(discourse.read_corpus([path]), name=path.stem, options=options)
    default_seconds = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out"
        start = time.perf_counter()
        run = analyze_distributed([path], out, options=options, name=path.stem, workers=workers,
                                  log=lambda message: None)
        dask_seconds = time.perf_counter() - start
        parts = sorted(out.glob("comments.part-*.parquet"))
        comments = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
        threads = pd.concat([pd.read_parquet(p) for p in sorted(out.glob("threads.part-*.parquet"))])
        mine = Path(folder) / "default"
        discourse.write_outputs(default, mine, only=SAME_FILES)
        files = {name: (out / name).read_bytes() == (mine / name).read_bytes() for name in SAME_FILES
                 if (mine / name).is_file()}
    lines = [f"{path.name}: default {default_seconds:.1f} s, dask {dask_seconds:.1f} s ({run.partitions} partitions, "
             f"{workers} workers); {run.counts['written']:,} comments, {len(run.edges):,} edges, "
             f"{len(run.commenters):,} commenters"]
    checks = {
        "replies": _differences("replies", run.edges, default.edges),
        "commenters": _differences("commenters", run.commenters, default.commenters[list(run.commenters.columns)]),
        "comments": _differences("comments", comments.sort_values("comment_id", ignore_index=True),
                                 default.corpus.comments.sort_values("comment_id", ignore_index=True)
                                 [list(comments.columns)]),
        "threads": [] if sorted(threads["thread_id"]) == sorted(default.corpus.threads["thread_id"])
        else ["threads: other thread ids"],
        "graph": [] if list(run.graph) == list(default.graph) and list(run.graph.edges) == list(default.graph.edges)
        else ["graph: other nodes or edges, or another order"],
    }
    checks.update({name: [] if same else [f"{name}: other bytes"] for name, same in files.items()})
    for table, found in checks.items():
        lines.append(f"  {table}: " + ("identical" if not found else "; ".join(found)))
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--samples", action="store_true",
                        help="the shipped sample, the seed thread and every file of ../shared/samples")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--edges", default="reply", help="edge kinds, comma-separated (default: reply)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    paths = list(args.files)
    if args.samples:
        paths += [discourse.SAMPLE, SHARED / "seeds" / "000_9b6dda7c95758cef.txt"]
        paths += sorted(p for p in (SHARED / "samples").iterdir() if p.suffix != ".md")
    options = discourse.Options(edge_kinds=tuple(args.edges.split(",")))
    failed = False
    for path in paths:
        lines = compare(path, args.workers, options)
        failed |= any(not line.endswith("identical") for line in lines[1:])
        print("\n".join(lines), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
