"""Rebuild the report's "Most central commenters" table from the output files alone.

    python3 scripts/reproduce_central_table.py [OUTPUT_DIR]     # default: output/sample_thread

An example to start your own analyses from: it reads what ``discourse analyze`` wrote with
pandas and networkx only (no discourse import) and

1. prints the table of report.md's "Most central commenters" section, built from
   ``central_commenters.csv``, and checks it against the lines in ``report.md``;
2. recomputes, from ``graph.graphml`` with networkx, two of the measures behind the ranking
   (PageRank and weighted in-degree, the replies received) and compares them with
   ``commenters.csv``;
3. shows one question the report does not answer: who replies to the top commenter most.

Exit status 0 when everything matches, 1 otherwise.
"""

import re
import sys
from pathlib import Path

import networkx as nx
import pandas as pd

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")  # what the report escapes inside a table cell


def cell(value):
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


def central_table(folder, top=10):
    """The report's table as Markdown lines: rank, commenter, why."""
    central = pd.read_csv(folder / "central_commenters.csv", keep_default_na=False)
    central = central.sort_values("rank").head(top)
    lines = ["| rank | commenter | why |", "|---|---|---|"]
    for row in central.itertuples():
        lines.append(f"| {cell(row.rank)} | {cell(row.author)} | {cell(row.why)} |")
    return lines


def check_measures(folder):
    """Recompute PageRank and weighted in-degree with networkx; return the largest differences."""
    graph = nx.read_graphml(folder / "graph.graphml")
    commenters = pd.read_csv(folder / "commenters.csv", keep_default_na=False).set_index("author")
    commenters.index = commenters.index.astype(str)
    metric = nx.DiGraph()  # the metrics leave self-replies out
    metric.add_nodes_from(graph)
    metric.add_weighted_edges_from((u, v, d.get("weight", 1)) for u, v, d in graph.edges(data=True) if u != v)
    pagerank = pd.Series(nx.pagerank(metric, weight="weight", tol=1e-12, max_iter=10_000))
    in_degree = pd.Series(dict(metric.in_degree(weight="weight")))
    return {
        "pagerank": float((pagerank - commenters.loc[pagerank.index, "pagerank"]).abs().max()),
        "weighted_in_degree": float((in_degree - commenters.loc[in_degree.index, "weighted_in_degree"]).abs().max()),
    }


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0] if args else "output/sample_thread")
    ok = True

    table = central_table(folder)
    print("\n".join(table))
    report = (folder / "report.md").read_text(encoding="utf-8").splitlines()
    start = report.index("| rank | commenter | why |")
    same = report[start:start + len(table)] == table
    print(f"\nreport.md has the same table: {'yes' if same else 'NO'}")
    ok &= same

    differences = check_measures(folder)
    for measure, difference in differences.items():
        print(f"{measure}: networkx on graph.graphml vs commenters.csv, largest difference {difference:.2e}")
        ok &= difference < 1e-6

    replies = pd.read_csv(folder / "replies.csv", keep_default_na=False)
    top = pd.read_csv(folder / "central_commenters.csv", keep_default_na=False).sort_values("rank")["author"].iloc[0]
    to_top = replies[(replies["target"] == top) & (replies["kind"] == "reply")]
    by_source = to_top.groupby("source")["weight"].sum().sort_values(ascending=False)
    print(f"\nWho replies to {top} most: " + ", ".join(f"{name} ({int(n)})" for name, n in by_source.head(5).items()))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
