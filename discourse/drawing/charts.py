"""Bar and time charts: the top commenters by several measures, and activity over time."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..topics.topic_map import comment_topics
from .style import OTHER_COLOUR, community_colour, rgb01, topic_colour, topic_colours
from .common import header, new_figure, shorten

if TYPE_CHECKING:
    from collections.abc import Iterable

    import networkx as nx
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.ticker import Locator

MEASURES = [
    ("pagerank", "PageRank", "attention received"),
    ("replies_received", "replies received", "comments answering them"),
    ("betweenness", "betweenness", "bridging between others"),
    ("partners", "people interacted with", "replied to or by"),
]


def top_commenters_figure(central: pd.DataFrame | None, commenters: pd.DataFrame, *, top: int = 15,
                          title: str | None = None) -> Figure:
    """Horizontal bars, one panel per measure, for the ``top`` commenters of the central ranking.

    Rows keep the ranking's order (``central``: rank, author; commenters' table as fallback), so a
    commenter's bars can be compared across panels; bar colour is the commenter's community.
    """
    names = _top_names(central, commenters, top)
    measures = [m for m in MEASURES if m[0] in commenters]
    table = commenters.set_index("author") if "author" in commenters else pd.DataFrame()
    figure = new_figure(13, 1.55 + 0.32 * max(len(names), 3))
    used = header(figure, title or "Most central commenters",
                  "Ranked by the combined score (central_commenters.csv); each panel shows one measure.  "
                  "Bar colour: community.")
    if not names or not measures:
        figure.text(0.5, 0.5, "no commenters", ha="center", va="center", color="#777777")
        return figure
    height = figure.get_figheight()
    left, gap = 0.165, 0.012
    width = (0.985 - left - gap * (len(measures) - 1)) / len(measures)
    bottom, top_edge = 0.25 / height, 1 - (used + 0.35) / height
    y = np.arange(len(names))
    colours = [rgb01(community_colour(table.at[n, "community"] if n in table.index and "community" in table else None))
               for n in names]
    figure.discourse_panels = []
    for i, (column, label, meaning) in enumerate(measures):
        ax = figure.add_axes([left + i * (width + gap), bottom, width, top_edge - bottom])
        values = np.array([float(table.at[n, column]) if n in table.index and pd.notna(table.at[n, column]) else 0.0
                           for n in names])
        ax.barh(y, values, color=colours, edgecolor="#333333", linewidth=0.4, height=0.7)
        ax.set_ylim(len(names) - 0.5, -0.5)
        peak = values.max() if len(values) and values.max() > 0 else 1.0
        ax.set_xlim(0, peak * 1.32)
        for yi, value in zip(y, values):
            ax.text(value + peak * 0.02, yi, _number(value, column), va="center", fontsize=8, color="#333333")
        ax.set_title(f"{label}\n", fontsize=10, fontweight="bold", loc="left", pad=2)
        ax.text(0, 1.005, meaning, transform=ax.transAxes, fontsize=8, color="#666666", va="bottom")
        ax.set_yticks(y)
        ax.set_yticklabels([f"{k + 1}. {shorten(n, 22)}" for k, n in enumerate(names)] if i == 0 else [], fontsize=9)
        ax.tick_params(axis="y", length=0)
        ax.tick_params(axis="x", labelsize=7.5, colors="#666666")
        ax.xaxis.set_major_locator(_locator(integer=column not in ("pagerank", "betweenness")))
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.grid(axis="x", color="#e6e6e6", linewidth=0.6)
        ax.set_axisbelow(True)
        figure.discourse_panels.append(ax)
    return figure


def activity_figure(comments: pd.DataFrame, central: pd.DataFrame | None, topics: pd.DataFrame, *, top: int = 8,
                    title: str | None = None) -> Figure | None:
    """Comments over time: stacked by topic, and each top commenter's comments on one line.

    Returns None when fewer than two comments have a time (``created_at``).  The bin (hour, day,
    week or month) is chosen from the time span so there are at most about 80 bins.
    """
    if "created_at" not in comments:
        return None
    # Only the columns drawn: copying every column of a million comments costs more than drawing.
    wanted = [c for c in ("created_at", "author", "topic_id", "own_topic_id") if c in comments]
    real = comments.loc[~comments["is_placeholder"] & comments["created_at"].notna(), wanted]
    if len(real) < 2 or _all_equal(real["created_at"]):
        return None
    times = pd.to_datetime(real["created_at"], utc=True).dt.tz_convert(None)
    topic = comment_topics(real)
    freq, unit = _bin(times.max() - times.min())
    bins = times.dt.floor(freq) if freq in ("h", "D") else times.dt.to_period(freq).dt.start_time
    labels = dict(zip(topics["topic_id"], topics["label"])) if len(topics) else {}
    # Passed as one-array lists, as crosstab wraps them itself: a bare Series is first scanned item
    # by item for nesting, boxing a Timestamp per comment.
    counts = pd.crosstab([bins], [topic.fillna(-1).astype(int)]).sort_index()
    biggest = counts.sum().sort_values(ascending=False, kind="mergesort")
    colours = topic_colours(topics)
    keep = [t for t in biggest.index if t >= 0 and topic_colour(t, colours) != OTHER_COLOUR][:7]
    names = _with_comments(_top_names(central, pd.DataFrame(), top), real["author"])

    figure = new_figure(13, 5.6 + 0.26 * len(names))
    first, last = times.min(), times.max()
    used = header(figure, title or "Activity over time",
                  f"{len(real):,} comments with a time, {first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M} UTC.  "
                  f"Top: comments per {unit}, by topic.  Bottom: each dot is a comment by one of the top commenters.")
    height = figure.get_figheight()
    top_edge = 1 - (used + 0.15) / height
    bottom = 0.4 / height
    split = bottom + (0.26 * len(names) + 0.25) / height if names else bottom
    ax = figure.add_axes([0.15, split + (0.75 / height if names else 0), 0.64,
                          top_edge - split - (0.75 / height if names else 0)])
    width = _bar_width(freq)
    base = np.zeros(len(counts))
    x = counts.index.to_pydatetime()
    for t in keep:
        ax.bar(x, counts[t].to_numpy(), width=width, bottom=base, align="edge", color=rgb01(topic_colour(t, colours)),
               edgecolor="white", linewidth=0.3, label=_wrapped(labels.get(t, f"topic {t}"), 30))
        base += counts[t].to_numpy()
    other = counts.drop(columns=keep).sum(axis=1).to_numpy()
    if other.any():
        ax.bar(x, other, width=width, bottom=base, align="edge", color=rgb01(topic_colour(None)), edgecolor="white",
               linewidth=0.3, label="other topics / none")
    ax.set_ylabel(f"comments per {unit}", fontsize=9)
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8.5, frameon=False, title="Topic",
              title_fontsize=9, alignment="left")
    _style_time_axis(ax)
    figure.discourse_axes = [ax]
    if names:
        lower = figure.add_axes([0.15, bottom, 0.64, split - bottom])
        named = pd.Index(pd.unique(np.array(names, dtype=object)))
        author_at = named.get_indexer(real["author"])  # one pass, not a comparison per name
        colour_of, other = {t: rgb01(topic_colour(t, colours)) for t in keep}, rgb01(topic_colour(None))
        for row, name in enumerate(names):
            mine = author_at == named.get_loc(name)
            lower.scatter(times[mine], np.full(int(mine.sum()), row), s=16,
                          c=[colour_of.get(t, other) for t in topic[mine].fillna(-1).astype(int)],
                          edgecolors="#333333", linewidths=0.3, zorder=3)
        lower.set_yticks(range(len(names)))
        lower.set_yticklabels([shorten(n, 22) for n in names], fontsize=8.5)
        lower.set_ylim(len(names) - 0.5, -0.5)
        lower.set_xlim(ax.get_xlim())
        lower.grid(axis="y", color="#eeeeee", linewidth=0.6)
        lower.tick_params(axis="y", length=0)
        _style_time_axis(lower)
        lower.set_title("When the most central commenters wrote", fontsize=9.5, loc="left")
        figure.discourse_axes.append(lower)
    return figure


def _top_names(central: pd.DataFrame | None, commenters: pd.DataFrame, top: int) -> list[str]:
    if central is not None and len(central) and "author" in central:
        ordered = central.sort_values("rank", kind="mergesort") if "rank" in central else central
        return [str(n) for n in ordered["author"].head(top)]
    if len(commenters) and "pagerank" in commenters:
        ranked = commenters.sort_values(["pagerank", "author"], ascending=[False, True], kind="mergesort")
        return [str(n) for n in ranked["author"].head(top)]
    return []


def _all_equal(times: pd.Series) -> bool:
    """Whether every value of a column without gaps is the same (min == max for times)."""
    if pd.api.types.is_datetime64_any_dtype(times.dtype):
        return times.min() == times.max()
    return times.nunique() < 2


def _with_comments(names: Iterable[str], authors: pd.Series) -> list[str]:
    """The ``names`` that occur among ``authors``, in order (one pass over the column, not one per name)."""
    present = set(authors[authors.isin(names)].dropna().unique())
    return [name for name in names if name in present]


def _number(value: float, column: str) -> str:
    if column in ("pagerank", "betweenness"):
        return f"{value:.3f}"
    return f"{int(round(value)):,}"


def _wrapped(text: object, width: int) -> str:
    """``text`` on lines of at most ``width`` characters: a legend shows whole labels, never cut ones."""
    import textwrap

    return "\n".join(textwrap.wrap(str(text), width=width, break_long_words=True)) or str(text)


def _locator(integer: bool) -> Locator:
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(nbins=3, integer=integer)


def _bin(span: pd.Timedelta) -> tuple[str, str]:
    """(pandas frequency, unit word) giving at most about 80 bins over ``span``."""
    hours = span / pd.Timedelta(hours=1)
    if hours <= 80:
        return "h", "hour"
    if hours <= 80 * 24:
        return "D", "day"
    if hours <= 80 * 24 * 7:
        return "W", "week"
    return "M", "month"


def _bar_width(freq: str) -> float:
    return {"h": 1 / 24, "D": 1.0, "W": 7.0, "M": 30.0}[freq] * 0.92


def _style_time_axis(ax: Axes) -> None:
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.tick_params(labelsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def degree_figure(graph: nx.DiGraph, *, title: str | None = None) -> Figure:
    """The degree distribution: how many commenters have each number of repliers (in) and of people
    they replied to (out), self-replies left out; log-log axes when degrees spread past 20."""
    from ..measures.whole_graph import degree_counts

    counts = degree_counts(graph)
    figure = new_figure(13, 4.6)
    used = header(figure, title or "Degree distribution",
                  "How many commenters (vertical) have each degree (horizontal): in = distinct people who replied "
                  "to them, out = distinct people they replied to.  Self-replies left out.")
    height = figure.get_figheight()
    ax = figure.add_axes([0.06, 0.13, 0.92, 1 - (used + 0.3) / height - 0.13])
    if not len(counts) or counts["degree"].max() == 0:  # no links (self-replies are none)
        ax.set_axis_off()
        ax.text(0.5, 0.5, "no reply links: every commenter has degree 0", ha="center", va="center",
                transform=ax.transAxes, color="#777777")
        return figure
    wide = counts["degree"].max() > 20
    for column, label, colour, marker in (("in_degree", "in-degree (distinct repliers)", (0, 114, 178), "o"),
                                          ("out_degree", "out-degree (distinct people replied to)",
                                           (213, 94, 0), "s")):
        shown = counts[(counts[column] > 0) & (counts["degree"] > 0)] if wide else counts  # log axes: no zeros
        ax.plot(shown["degree"], shown[column], marker=marker, linestyle="-" if not wide else "none",
                color=rgb01(colour), label=label, markersize=5, linewidth=1)
    if wide:
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("degree (log scale; degree 0 left out)", fontsize=9)
        ax.set_ylabel("commenters (log scale)", fontsize=9)
    else:
        ax.set_xlabel("degree", fontsize=9)
        ax.set_ylabel("commenters", fontsize=9)
        ax.xaxis.set_major_locator(_locator(integer=True))
        ax.yaxis.set_major_locator(_locator(integer=True))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=8)
    # Inside the axes: degree counts fall to the right, so the upper right corner is empty.
    ax.legend(loc="upper right", fontsize=8.5, frameon=False)
    return figure
