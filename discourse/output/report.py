"""The insight report: what a reader of the analysis wants to know first.

:func:`report_content` gathers it once (headline figures, findings, tables, data notes) as plain
Python values; :func:`render_markdown` writes ``report.md`` from it and
:func:`discourse.output.report_html.render_html` the self-contained ``report.html``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import pandas as pd

from ..measures.whole_graph import MIN_LINKS_TO_RANK, ranking_is_meaningful
from ..model.corpus import tally

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Sequence

    from ..model.corpus import Corpus
    from ..pipeline import Analysis

MAX_ROWS = 25  # rows per table in the report; the CSV files have them all

IMAGES = {  # file name -> (section, alt text)
    "network.png": ("network", "The commenter network: who replies to whom"),
    "top_commenters.png": ("central", "The most central commenters by four measures"),
    "subthreads.png": ("subthreads", "The subthreads as reply trees, coloured by topic"),
    "activity.png": ("activity", "Comments over time"),
    "degrees.png": ("graph", "How many commenters have each number of partners (degree distribution)"),
}


#: The statistics of graph.csv the report shows, with their words; see discourse.measures.whole_graph.
STATISTICS = [
    ("commenters", "commenters"), ("links", "links (pairs who replied, self-replies excepted)"),
    ("self_replies", "self-replies (left out of the graph and of every measure)"),
    ("isolated_commenters", "commenters with no link"), ("density", "density (links / possible links)"),
    ("weak_components", "weakly connected components"),
    ("largest_weak_share", "share of commenters in the largest one"),
    ("strong_components", "strongly connected components"),
    ("largest_strong_share", "share of commenters in the largest one"),
    ("diameter", "diameter (longest shortest path, largest component, undirected)"),
    ("average_path_length", "average path length (same)"), ("transitivity", "transitivity (undirected)"),
    ("average_clustering", "average clustering coefficient (undirected)"),
    ("reciprocity", "reciprocity (share of links that go both ways)"),
]


def report_title(analysis: Analysis) -> str:
    """The thread's title when the input has exactly one titled thread, else the analysis name."""
    threads = analysis.threads
    if "title" in threads and len(threads) == 1 and threads["title"].notna().any():
        title = str(threads["title"].dropna().iloc[0]).strip()
        if title:
            return title
    return analysis.name


def data_notes(analysis: Analysis) -> list[str]:
    """Plain sentences about gaps in the data: what was read, placeholders, declared vs found, skipped."""
    comments, notes = analysis.comments, []
    placeholders = int(comments["is_placeholder"].sum())
    real = ~comments["is_placeholder"]  # a mask: copying a million rows' every column costs seconds
    thread_sizes = None
    skipped = analysis.corpus.skipped
    counts = tally(analysis.corpus)
    filtered = f", {counts.filtered:,} filtered out" if counts.filtered else ""
    if counts.balanced:
        notes.append(f"Read {counts.read:,} records: {counts.written:,} written as comments{filtered} and "
                     f"{counts.skipped:,} skipped (read = written + skipped"
                     + (" + filtered)." if counts.filtered else ")."))
    else:
        notes.append(f"Read {counts.read:,} records but {counts.written:,} were written as comments{filtered} and "
                     f"{counts.skipped:,} skipped: "
                     f"{counts.read - counts.written - counts.skipped - counts.filtered:,} unaccounted "
                     "for, which is a bug in discourse's reader; please report it.")
    notes += filter_notes(analysis.corpus)
    if placeholders:
        notes.append(f"{placeholders} placeholder comment(s) stand in for parents missing from the input, so "
                     f"comments.csv has {len(comments):,} rows; replies to them are kept, and the missing comments "
                     "have no author or text.")
    for row in analysis.corpus.threads.itertuples():
        reading = getattr(row, "reading_notes", None)  # how a reader understood a copy (plain text)
        if isinstance(reading, str) and reading:
            notes.append(f"Thread {row.thread_id}: {reading}")
        declared = getattr(row, "declared_comments", None)
        if declared is not None and pd.notna(declared):
            if thread_sizes is None:
                thread_sizes = comments["thread_id"][real].value_counts()
                # a comment a filter left out was in the copy: it counts as present here
                thread_sizes = thread_sizes.add(analysis.corpus.filtered["thread_id"].value_counts(), fill_value=0)
            found = int(thread_sizes.get(row.thread_id, 0))
            declared = int(declared)
            if declared > found and _doubtful_layout(row):  # the reader may have misread them: say so
                notes.append(f"Thread {row.thread_id}: the source says {declared} comments; {found} were read "
                             f"({declared - found} fewer; the reader was unsure of this copy's layout, see its note).")
            elif declared > found:
                notes.append(f"Thread {row.thread_id}: the source says {declared} comments; {found} are present "
                             f"({declared - found} not in the copy: deleted, held for moderation or not loaded).")
            elif declared < found:
                notes.append(f"Thread {row.thread_id}: the source says {declared} comments; {found} are present "
                             f"({found - declared} more than the source counts).")
    if len(skipped):
        for reason, count in skipped.groupby("reason", sort=True).size().items():
            notes.append(f"Skipped {count} record(s): {reason}.")
    missing_authors = int(comments["author"][real].isna().sum())
    if missing_authors:
        notes.append(f"{missing_authors} comment(s) have no known author (deleted or anonymous); "
                     "they are not commenters in the graph.")
    inferred = analysis.edges[(analysis.edges["kind"] == "reply") & analysis.edges["inferred"].astype(bool)] \
        if {"kind", "inferred"} <= set(analysis.edges.columns) else analysis.edges.iloc[0:0]
    if len(inferred):
        notes.append(f"{int(inferred['weight'].sum())} reply link(s) are inferred: their parent comment is missing "
                     "and the reply names who it answers (dashed in the network picture; replies.csv "
                     "column inferred).")
    timed = int(comments["created_at"][real].notna().sum()) if "created_at" in comments else 0
    written = int(real.sum())
    if timed == 0:
        notes.append("No comment has a time, so there is no activity chart and no timeline file.")
    elif timed < written:
        notes.append(f"{written - timed} of {written} comments have no time; the activity chart and the "
                     "timeline leave them out.")
    return notes


def filter_notes(corpus: Corpus) -> list[str]:
    """What the filters were and what they left out, reason by reason (README "Filters")."""
    if corpus.filters is None or not corpus.filters.active:
        return []
    notes = [f"Filtered before the analysis with {' '.join(corpus.filters.describe())} (times in UTC): "
             f"{len(corpus.filtered):,} comment(s) left out; a left-out comment with kept replies stays in "
             "the tree as a placeholder without author or text."]
    for reason, count in corpus.filtered.groupby("reason", sort=True).size().items():
        notes.append(f"Filtered out {count:,} comment(s): {reason}.")
    return notes


def _doubtful_layout(row: tuple[Any, ...]) -> bool:
    """True when the reader said it was unsure of a thread's layout (column ``layout_doubtful``)."""
    doubtful = getattr(row, "layout_doubtful", None)
    return isinstance(doubtful, (bool, np.bool_)) and bool(doubtful)


def report_content(analysis: Analysis, images: Collection[str] = ()) -> dict[str, Any]:
    """Everything the report says, as plain values both renderers use."""
    comments, graph = analysis.comments, analysis.graph
    real = comments["author"][~comments["is_placeholder"]]
    level = analysis.subthreads["level"] if "level" in analysis.subthreads else 1
    subthreads = analysis.subthreads[level == 1] if "level" in analysis.subthreads else analysis.subthreads
    links = graph.number_of_edges() - nx.number_of_selfloops(graph)
    ranked = ranking_is_meaningful(graph)
    figures = [(f"{n:,}", label if n == 1 else plural) for n, label, plural in (
        (len(real), "comment", "comments"), (real.nunique(), "commenter", "commenters"),
        (len(analysis.threads), "thread", "threads"), (len(subthreads), "subthread", "subthreads"),
        (links, "link between commenters", "links between commenters"),
        (len(analysis.topics), "topic cluster", "topic clusters"))]
    if analysis.timeline is not None and analysis.timeline.first is not None:
        figures.append((f"{analysis.timeline.first:%Y-%m-%d %H:%M} – {analysis.timeline.last:%Y-%m-%d %H:%M}",
                        "first and last comment (UTC)"))
    return {
        "title": report_title(analysis),
        "name": analysis.name,
        "figures": figures,
        "findings": _findings(analysis, subthreads),
        "central": _central_rows(analysis.central) if ranked else [],
        "ranking_note": "" if ranked else _no_ranking(links),
        "statistics": _statistics_rows(analysis.statistics),
        "paths": _paths_note(analysis.statistics),
        "subthreads": _subthread_rows(subthreads, comments),
        "subthread_count": len(subthreads),
        "topics": _topic_rows(analysis.topics),
        "communities": _community_rows(analysis.communities),
        "community_count": 0 if analysis.communities is None else len(analysis.communities),
        "notes": data_notes(analysis),
        "images": [name for name in images if name in IMAGES and (ranked or name != "top_commenters.png")],
        "edge_kinds": ", ".join(analysis.options.edge_kinds),
        "files": _files(analysis, images),
    }


def _files(analysis: Analysis, images: Collection[str]) -> list[tuple[str, str]]:
    """(name, description) of each file written for ``analysis`` by default (discourse.output.OUTPUT_FILES);
    of the images, those in ``images`` (the ones written)."""
    from .write import OUTPUT_FILES  # write.py renders this report: imported when the report is made

    return [(name, entry.description) for name, entry in OUTPUT_FILES.items()
            if not entry.on_request and entry.when(analysis) and (not name.endswith(".png") or name in images)]


def _no_ranking(links: int) -> str:
    """Why the report ranks nobody: no reply links, or too few."""
    if not links:
        return ("No reply links: nobody answered anyone else, so there is no network to rank commenters by; "
                "the ranking in central_commenters.csv is not meaningful and no ranking or stability claim is made.")
    return (f"Only {_count(links, 'reply link')} between commenters: too few to rank them (at least "
            f"{MIN_LINKS_TO_RANK} are needed), so the ranking in central_commenters.csv is not meaningful and "
            "no ranking or stability claim is made.")


def _count(n: int, one: str, many: str | None = None) -> str:
    """``n`` and the noun, singular or plural: "1 comment", "2 comments"."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _statistics_rows(statistics: pd.DataFrame | None) -> list[tuple[str, str]]:
    if statistics is None or not len(statistics):
        return []
    row = statistics.iloc[0]
    rows = []
    for column, words in STATISTICS:
        if column not in row or pd.isna(row[column]):
            continue
        value = row[column]
        text = f"{value:.1%}" if column.endswith("_share") else f"{value:.3g}" if isinstance(value, float) \
            and not float(value).is_integer() else f"{int(value):,}"
        rows.append((words, text))
    return rows


def _paths_note(statistics: pd.DataFrame | None) -> str:
    if statistics is None or not len(statistics) or "paths" not in statistics:
        return ""
    paths = statistics["paths"].iloc[0]
    return "Paths are exact." if paths == "exact" else f"Paths are {paths}."


def _findings(analysis: Analysis, subthreads: pd.DataFrame) -> list[str]:
    found = []
    central = analysis.central
    if not ranking_is_meaningful(analysis.graph):
        central = central.iloc[0:0]
    if len(central) and {"author", "why"} <= set(central.columns):
        first = central.sort_values("rank").iloc[0] if "rank" in central else central.iloc[0]
        found.append(f"The most central commenter is {first['author']}: {first['why']}.")
    stability = analysis.stability
    if len(stability) and "overlap" in stability and len(central) >= 5:
        worst = int(stability["overlap"].min())
        kept = "all 5" if worst == 5 else f"at least {worst} of the 5"
        found.append(f"The top 5 holds up: leaving out any one subthread keeps {kept} "
                     f"(checked for {len(stability)} subthreads, top5_stability.csv)." if worst >= 4 else
                     f"The top 5 depends on single subthreads: leaving one out can keep as few as {worst} of the 5 "
                     "(top5_stability.csv).")
    if len(subthreads) and "comments" in subthreads:
        biggest = _largest(subthreads, 1).iloc[0]
        label = biggest.get("label")
        label = f" “{label}”" if isinstance(label, str) and label else ""
        found.append(f"The largest subthread is {biggest['subthread_id']}{label}, started by "
                     f"{_name(biggest.get('root_author'))}: {_count(int(biggest['comments']), 'comment')} by "
                     f"{_count(int(biggest.get('participants', 0)), 'person', 'people')}.")
    topics = analysis.topics
    if len(topics) > 1 and "subthreads" in topics:
        top = topics.sort_values(["subthreads", "topic_id"], ascending=[False, True]).iloc[0]
        share = int(top["subthreads"])
        found.append((f"Most subthreads ({share} of {len(subthreads)}) are about “{top['label']}”"
                      if share * 2 > len(subthreads) else
                      f"The commonest topic, “{top['label']}”, covers {share} of {_count(len(subthreads), 'subthread')}")
                     + f"; {len(topics)} topic clusters in all.")
    threads = analysis.threads
    if "modularity" in threads and len(threads) == 1 and pd.notna(threads["modularity"].iloc[0]) \
            and "community" in analysis.commenters and ranking_is_meaningful(analysis.graph):
        sizes = analysis.commenters["community"].value_counts()
        groups = int((sizes > 1).sum())
        found.append(f"{groups} communit{'y' if groups == 1 else 'ies'} of two or more commenters who reply mostly "
                     f"among themselves (modularity {float(threads['modularity'].iloc[0]):.2f}; above 0.3 is a "
                     f"clear split); {_count(int((sizes == 1).sum()), 'commenter stands', 'commenters stand')} alone.")
    if "reciprocity" in threads and len(threads) == 1 and pd.notna(threads["reciprocity"].iloc[0]) \
            and ranking_is_meaningful(analysis.graph):
        found.append(f"{float(threads['reciprocity'].iloc[0]):.0%} of reply links go both ways "
                     "(A replied to B and B to A).")
    return found


def _central_rows(central: pd.DataFrame, limit: int = 10) -> list[tuple[int, str, str]]:
    if not len(central):
        return []
    ordered = central.sort_values("rank") if "rank" in central else central
    return [(int(r["rank"]) if "rank" in r and pd.notna(r["rank"]) else i + 1, _name(r.get("author")), str(r.get("why", "")))
            for i, (_, r) in enumerate(ordered.head(limit).iterrows())]


def _subthread_rows(subthreads: pd.DataFrame, comments: pd.DataFrame, limit: int = MAX_ROWS) -> list[dict[str, Any]]:
    if not len(subthreads):
        return []
    ordered = subthreads if len(subthreads) <= limit else _largest(subthreads, limit)
    text = _texts_of({str(r.get("root_comment_id")) for _, r in ordered.iterrows()}, comments)
    rows = []
    for _, r in ordered.iterrows():
        opening = text.get(str(r.get("root_comment_id")))
        rows.append({
            "id": str(r["subthread_id"]), "author": _name(r.get("root_author")),
            "comments": int(r.get("comments", 0)), "people": int(r.get("participants", 0)),
            "label": _plain(r.get("label")), "topic": _plain(r.get("topic_label")),
            "opening": _excerpt(opening) if isinstance(opening, str) and opening.strip() else "(missing comment)",
        })
    return rows


def _largest(subthreads: pd.DataFrame, count: int) -> pd.DataFrame:
    """The first ``count`` subthreads by comments (most first), then id.

    Only the rows that can be among them are sorted (those with at least the ``count``-th largest
    number of comments): sorting every subthread by its text id took a second at a million
    comments. The sort is stable, so ties come out as a sort of the whole table has them.
    """
    comments = subthreads["comments"]
    if len(subthreads) > count and isinstance(comments.dtype, np.dtype) and comments.dtype.kind in "iu":
        values = comments.to_numpy()
        subthreads = subthreads[values >= np.partition(values, len(values) - count)[len(values) - count]]
    return subthreads.sort_values(["comments", "subthread_id"], ascending=[False, True]).head(count)


def _texts_of(wanted: Collection[str], comments: pd.DataFrame) -> dict[str, Any]:
    """comment id (as text) -> text for the ids in ``wanted``; for a repeated id the last row wins.

    Only the rows asked for are read: a dict of every comment's text costs seconds at a million.
    """
    ids = comments["comment_id"].astype(str)
    rows = ids.isin(wanted).to_numpy(dtype=bool)
    return dict(zip(ids[rows], comments["text"][rows]))


def _topic_rows(topics: pd.DataFrame) -> list[dict[str, str]]:
    rows = []
    for _, r in topics.iterrows():
        terms = [re.sub(r":[0-9.]+$", "", t.strip()) for t in str(r.get("top_terms", "")).split(";") if t.strip()]
        rows.append({"id": _plain(r.get("topic_id")), "label": _plain(r.get("label")),
                     "subthreads": _plain(r.get("subthreads")), "comments": _plain(r.get("comments")),
                     "terms": ", ".join(terms[:6])})
    return rows


def _communities_intro(c: dict[str, Any]) -> str:
    """The sentence above the communities table (both renderers)."""
    shown = len(c["communities"])
    which = f"The {shown} largest of {c['community_count']}" if c["community_count"] > shown else "The"
    return (f"{which} communities of the commenter graph (colours in network.png; all in communities.csv), "
            "each described by the topics its members' comments are on.")


def _community_rows(communities: pd.DataFrame | None, limit: int = 10) -> list[dict[str, str]]:
    """The largest communities (communities.csv is in community order, 0 = largest)."""
    if communities is None:
        return []
    return [{"id": _plain(r.get("community")), "commenters": _plain(r.get("commenters")),
             "comments": _plain(r.get("comments")), "members": _plain(r.get("top_commenters")),
             "description": _plain(r.get("description")), "topics": _plain(r.get("topics"))}
            for _, r in communities.head(limit).iterrows()]


def _name(value: Any) -> str:
    return str(value) if value is not None and not (isinstance(value, float) and value != value) and pd.notna(value) \
        else "(unknown)"


def _plain(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _excerpt(text: str, limit: int = 110) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1].rstrip() + "…"


# --- Markdown -------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def md_escape(text: object) -> str:
    """``text`` as literal Markdown table-cell text: one line, markup characters backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _md_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(md_escape(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def render_markdown(analysis: Analysis, *, images: Collection[str] = ("network.png",),
                    content: dict[str, Any] | None = None) -> str:
    """report.md: headline figures, findings, central commenters and why, subthreads, topics, data notes.

    ``content``: :func:`report_content` of ``analysis`` and ``images`` when the caller has it already
    (gathering it scans every comment, so the Markdown and HTML reports share one).
    """
    c = content if content is not None else report_content(analysis, images)
    shown = set(c["images"])
    lines = [f"# Discourse network: {md_escape(c['title'])}", ""]
    lines += [f"- **{md_escape(value)}** {label}" for value, label in c["figures"]]
    lines += [f"- links are {c['edge_kinds']} links: A → B when A answered B", ""]
    if c["findings"]:
        lines += ["## What stands out", "", *[f"- {md_escape(f)}" for f in c["findings"]], ""]
    if "network.png" in shown:
        lines += ["![The commenter network](network.png)", ""]
    lines += ["Explore the network in a browser: [network.html](network.html) (pan, zoom, search, filters, "
              "each commenter's card and comments).", ""]
    lines += ["## Most central commenters", ""]
    if c["ranking_note"]:
        lines += [md_escape(c["ranking_note"]), ""]
    else:
        lines += ["Ranked by a combined score of PageRank, replies received, betweenness and partners; "
                  "the reason is each commenter's own numbers.", "",
                  _md_table(["rank", "commenter", "why"], [(r, a, w) for r, a, w in c["central"]]), ""]
    if "top_commenters.png" in shown:
        lines += [f"![{IMAGES['top_commenters.png'][1]}](top_commenters.png)", ""]
    lines += ["## Subthreads", ""]
    if c["subthread_count"] > len(c["subthreads"]):
        lines += [f"The {len(c['subthreads'])} largest of {c['subthread_count']} subthreads (all in subthreads.csv).", ""]
    lines += [_md_table(["subthread", "started by", "comments", "people", "label", "topic", "opening words"],
                        [(r["id"], r["author"], r["comments"], r["people"], r["label"], r["topic"], r["opening"])
                         for r in c["subthreads"]]), ""]
    if "subthreads.png" in shown:
        lines += [f"![{IMAGES['subthreads.png'][1]}](subthreads.png)", ""]
    lines += ["## Topics", "", _md_table(["topic", "label", "subthreads", "comments", "top terms"],
                                         [(r["id"], r["label"], r["subthreads"], r["comments"], r["terms"])
                                          for r in c["topics"]]), ""]
    if c["communities"]:
        lines += ["## Communities", "", _communities_intro(c), "",
                  _md_table(["community", "commenters", "comments", "top commenters", "writes about", "topics"],
                            [(r["id"], r["commenters"], r["comments"], r["members"], r["description"], r["topics"])
                             for r in c["communities"]]), ""]
    if "activity.png" in shown:
        lines += ["## Activity over time", "", f"![{IMAGES['activity.png'][1]}](activity.png)", ""]
    if c["statistics"]:
        lines += ["## The whole graph", "", f"As Gephi and NodeXL report them (graph.csv). {c['paths']}", "",
                  _md_table(["statistic", "value"], c["statistics"]), ""]
        if "degrees.png" in shown:
            lines += [f"![{IMAGES['degrees.png'][1]}](degrees.png)", ""]
    lines += ["## Data notes", "", *[f"- {md_escape(note)}" for note in c["notes"]], ""]
    lines += ["## Files", "", *[f"- [`{name}`]({name}): {what}" for name, what in c["files"]], ""]
    return "\n".join(lines)
