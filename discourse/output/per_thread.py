"""Per-thread runs: one folder per thread, named from its title, and an index of them all.

:func:`thread_folders` names the folders (safe on every OS, unique even where case does not
count); :func:`write_index` writes ``index.csv`` and ``index.html`` (title, counts, label and a
link per thread).  Threads under :data:`MIN_FULL_COMMENTS` comments get the tables only: their
pictures, graphs and report would say nothing.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..model.corpus import safe_name
from .write import OUTPUT_FILES, write_csv, write_outputs

if TYPE_CHECKING:
    from collections.abc import Hashable, Mapping, Sequence

    from ..model.corpus import Corpus
    from ..pipeline import Analysis, Options

__all__ = ["MIN_FULL_COMMENTS", "INDEX_COLUMNS", "thread_folders", "thread_title", "index_row", "write_index", "summary_line",
           "write_per_thread"]

MIN_FULL_COMMENTS = 3
INDEX_COLUMNS = ["thread_id", "title", "comments", "commenters", "links", "label", "outputs", "folder"]
_MAX_FOLDER = 60


def thread_title(corpus: Corpus, thread_id: object) -> str:
    """The thread's title when the input gives one, else its id."""
    threads = corpus.threads
    if "title" in threads and len(threads):
        titles = threads["title"].dropna().astype(str).str.strip()
        titles = titles[titles != ""]
        if len(titles):
            return titles.iloc[0]
    return str(thread_id)


def thread_folders(titles: Mapping[Hashable, str]) -> dict[Hashable, str]:
    """``{thread_id: title}`` -> ``{thread_id: folder name}``: a slug of the title (ASCII, no path,
    no device name, at most 60 characters), the thread id where the title gives none, and a
    ``-2``, ``-3``... where two would be the same ignoring case (as on macOS and Windows).

    Examples
    --------
    >>> thread_folders({"a": "Bike lanes?", "b": "bike  lanes!", "c": "CON", "d": "../.."})
    {'a': 'Bike-lanes', 'b': 'bike-lanes-2', 'c': 'CON_', 'd': 'd'}
    """
    folders, taken = {}, set()
    for thread_id, title in titles.items():
        base = safe_name(title, fallback="", max_length=_MAX_FOLDER) or safe_name(thread_id, max_length=_MAX_FOLDER)
        name, number = base, 1
        while name.lower() in taken:
            number += 1
            name = f"{base}-{number}"
        taken.add(name.lower())
        folders[thread_id] = name
    return folders


def index_row(analysis: Analysis, thread_id: object, title: str, folder: str, *, full: bool) -> dict[str, Any]:
    """One index row for the analysis of one thread, written to ``folder`` (full outputs or tables only)."""
    comments = analysis.comments[~analysis.comments["is_placeholder"]]
    graph = analysis.graph
    label = ""
    topics = analysis.topics
    if len(topics) and "label" in topics:
        order = topics.sort_values(["comments", "topic_id"], ascending=[False, True]) if "comments" in topics else topics
        label = str(order["label"].iloc[0])
    return {"thread_id": str(thread_id), "title": title, "comments": len(comments),
            "commenters": int(comments["author"].nunique()),
            "links": graph.number_of_edges() - sum(1 for u, v in graph.edges if u == v), "label": label,
            "outputs": "full" if full else "tables only", "folder": folder}


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def write_index(rows: Sequence[Mapping[str, Any]], folder: Path | str) -> list[Path]:
    """index.csv and index.html in ``folder`` for the per-thread ``rows`` (:func:`index_row`)."""
    folder = Path(folder)
    table = pd.DataFrame(rows, columns=INDEX_COLUMNS)
    write_csv(table, folder / "index.csv")
    lines = []
    for row in rows:
        target = f"{row['folder']}/report.html" if row["outputs"] == "full" else f"{row['folder']}/"
        lines.append(f'<tr><td><a href="{escape(target)}">{escape(row["title"])}</a></td>'
                     f'<td class="num">{row["comments"]:,}</td><td class="num">{row["commenters"]:,}</td>'
                     f'<td class="num">{row["links"]:,}</td><td>{escape(row["label"])}</td>'
                     f'<td>{escape(row["outputs"])}</td></tr>')
    total = sum(r["comments"] for r in rows)
    small = sum(1 for r in rows if r["outputs"] != "full")
    page = "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">', "<title>Threads</title>",
        "<style>body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;max-width:1180px;margin:2em auto;"
        "padding:0 1.2em}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3em .6em;"
        "border-bottom:1px solid #e4e4e4;vertical-align:top}th{background:#f4f6f8}td.num{text-align:right}</style>",
        "</head><body>", "<h1>Threads</h1>",
        f"<p>{_count(len(rows), 'thread')}, {_count(total, 'comment')}; each links to its report"
        + (f". {_count(small, 'thread')} under {MIN_FULL_COMMENTS} comments "
           f"{'has' if small == 1 else 'have'} the tables only" if small else "") + " (index.csv).</p>",
        "<table><thead><tr><th>thread</th><th>comments</th><th>commenters</th><th>links</th><th>label</th>"
        "<th>outputs</th></tr></thead><tbody>", *lines, "</tbody></table>", "</body></html>", ""])
    (folder / "index.html").write_text(page, encoding="utf-8")
    return [folder / "index.csv", folder / "index.html"]


def summary_line(rows: Sequence[Mapping[str, Any]], folder: Path | str) -> str:
    """The one line a per-thread run prints."""
    comments = sum(r["comments"] for r in rows)
    small = sum(1 for r in rows if r["outputs"] != "full")
    return (f"{_count(len(rows), 'thread')}, {_count(comments, 'comment')} -> {folder} (index.html)"
            + (f"; {small} under {MIN_FULL_COMMENTS} comments with the tables only" if small else ""))


def write_per_thread(parts: Mapping[Hashable, Corpus], folder: Path | str, *, options: Options | None = None,
                     image_format: str = "png", progress: bool = False, **write_options: Any) -> str:
    """Analyse each thread of ``parts`` (``{thread_id: Corpus}``) on its own and write it to its
    folder inside ``folder``, then the index; returns the one summary line to print."""
    from ..pipeline import analyze_corpus

    folder = Path(folder)
    titles = {thread_id: thread_title(part, thread_id) for thread_id, part in parts.items()}
    names = thread_folders(titles)
    rows = []
    for thread_id, part in parts.items():
        analysis = analyze_corpus(part, name=str(thread_id), options=options, progress=progress)
        full = int((~analysis.comments["is_placeholder"]).sum()) >= MIN_FULL_COMMENTS
        target = folder / names[thread_id]
        tables = [name for name in OUTPUT_FILES if name.endswith(".csv")]
        write_outputs(analysis, target, image_format=image_format, progress=progress,
                      only=None if full else tables, **write_options)
        rows.append(index_row(analysis, thread_id, titles[thread_id], names[thread_id], full=full))
    folder.mkdir(parents=True, exist_ok=True)
    write_index(rows, folder)
    return summary_line(rows, folder)
