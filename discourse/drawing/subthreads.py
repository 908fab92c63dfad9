"""The subthreads as reply trees: one block per top-level comment, replies indented under their parent."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..topics.topic_map import comment_topics
from .layout import tree_rows
from .style import PLACEHOLDER_COLOUR, rgb01, topic_colour, topic_colours
from .common import header, new_figure, shorten

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from .style import RGB

ROW = 0.16          # inches per row
INDENT = 0.2        # inches per reply level
COLUMN_WIDTH = 4.4  # inches
ROWS_PER_COLUMN = 42
MAX_COLUMNS = 4
GAP = 0.7           # rows between blocks


def subthread_figure(comments: pd.DataFrame, subthreads: pd.DataFrame, topics: pd.DataFrame, *,
                     title: str | None = None, max_rows: int = ROWS_PER_COLUMN * MAX_COLUMNS) -> Figure:
    """Every subthread as a small reply tree (root at the left, depth to the right), coloured by topic.

    Each block is headed by the subthread's label and size; each row is a comment with its
    author, indented one step per reply level; branch labels follow the comment that starts the
    branch.  Over ``max_rows`` rows in all, the largest subthreads are shown (in thread order)
    and the figure says how many were left out.  Returns a matplotlib Figure.
    """
    sizes = _subthread_sizes(comments)
    chosen, limits, cut = _select(sizes, max_rows)
    shown = _blocks(sizes, chosen, limits, subthreads)
    _fill_rows(shown, comments, subthreads)
    total_rows = sum(_height(b) for b in shown)
    columns = max(1, min(MAX_COLUMNS, math.ceil(total_rows / ROWS_PER_COLUMN)))
    per_column = _split(shown, columns)
    rows = max([sum(_height(b) for b in col) for col in per_column] + [4])
    width = max(9.0, COLUMN_WIDTH * columns + 0.3)
    bottom_in = 0.15

    n_comments = int((~comments["is_placeholder"]).sum()) if len(comments) else 0
    subtitle = (f"{len(sizes)} subthreads (a top-level comment and its replies), {n_comments} comments.  "
                "One row per comment, replies indented under their parent.  Dot colour: the comment's topic.")
    if len(shown) < len(sizes) or cut:
        kept = sum(min(b["size"], b["limit"]) for b in shown)
        subtitle = (f"The {len(shown)} largest of {len(sizes):,} subthreads ({kept:,} of {n_comments:,} "
                    f"comments{'; long subthreads show their first rows' if cut else ''}).  "
                    "One row per comment, replies indented under their parent.  Dot colour: the comment's topic.")
    import textwrap

    colours = topic_colours(topics)
    entries = _legend_entries(shown, topics, colours)
    ncol, legend_rows = _legend_shape(entries, width)
    top_in = 0.56 + 0.19 * len(textwrap.wrap(subtitle, width=max(40, int(width * 12)))) + 0.3 + 0.2 * legend_rows
    figure = new_figure(width, top_in + bottom_in + rows * ROW)
    used = header(figure, title or "Subthreads as reply trees", subtitle)
    _topic_legend(figure, entries, used, ncol)
    height = figure.get_figheight()
    for index, column in enumerate(per_column):
        ax = figure.add_axes([(0.15 + index * COLUMN_WIDTH) / width, bottom_in / height,
                              (COLUMN_WIDTH - 0.15) / width, rows * ROW / height])
        ax.set_xlim(0, COLUMN_WIDTH - 0.15)
        ax.set_ylim(rows, 0)
        ax.set_axis_off()
        y = 0.0
        for block in column:
            _draw_block(ax, block, y, colours)
            y += _height(block)
    if not len(sizes):
        figure.text(0.5, 0.5, "no comments", ha="center", va="center", color="#777777")
    figure.discourse_blocks = [b["id"] for b in shown]  # for tests: the subthreads drawn
    return figure


def _subthread_sizes(comments: pd.DataFrame) -> pd.DataFrame:
    """One row per subthread (thread order): ``id``, ``size`` (rows), ``comments`` (real ones), ``people``.

    Plain integer codes and arrays: with a million comments, pandas lookups or a dict per
    subthread cost seconds, and only the few subthreads drawn need more than these counts.
    """
    if comments.empty:
        return pd.DataFrame({"id": [], "size": [], "comments": [], "people": []})
    codes, ids = pd.factorize(comments["subthread_id"])  # thread order: first appearance
    real = ~comments["is_placeholder"].to_numpy(dtype=bool) & (codes >= 0)
    people = comments.loc[real, "author"].groupby(codes[real]).nunique()
    return pd.DataFrame({"id": ids, "size": np.bincount(codes[codes >= 0], minlength=len(ids)),
                         "comments": np.bincount(codes[real], minlength=len(ids)),
                         "people": people.reindex(range(len(ids)), fill_value=0).to_numpy()})


def _blocks(sizes: pd.DataFrame, chosen: np.ndarray, limits: np.ndarray,
            subthreads: pd.DataFrame) -> list[dict[str, Any]]:
    """One dict per chosen subthread (thread order) with its size and heading; rows are filled in later."""
    level = subthreads["level"] if "level" in subthreads else pd.Series(1, index=subthreads.index)
    heads = subthreads[level == 1].set_index("subthread_id") if len(subthreads) else pd.DataFrame()
    labels = dict(zip(heads.index.tolist(), heads["label"].tolist())) if "label" in heads else {}
    topics = dict(zip(heads.index.tolist(), heads["topic_id"].tolist())) if "topic_id" in heads else {}
    picked = sizes.iloc[chosen]
    return [{"id": sub_id, "size": size, "limit": limit, "rows": [],
             "label": _text(labels.get(sub_id)) or f"subthread {sub_id}", "topic": topics.get(sub_id),
             "comments": written, "people": people}
            for sub_id, size, limit, written, people in zip(picked["id"].tolist(), picked["size"].tolist(),
                                                             limits[chosen].tolist(), picked["comments"].tolist(),
                                                             picked["people"].tolist())]


def _fill_rows(blocks: list[dict[str, Any]], comments: pd.DataFrame, subthreads: pd.DataFrame) -> None:
    """Each block's rows: (comment record, depth) in outline order, for the blocks to draw only."""
    wanted = {b["id"] for b in blocks}
    table = comments[comments["subthread_id"].isin(wanted)]
    table = table.assign(shown_topic=comment_topics(table))
    level = subthreads["level"] if "level" in subthreads else pd.Series(1, index=subthreads.index)
    branches = dict(zip(subthreads.loc[level == 2, "subthread_id"], subthreads.loc[level == 2, "label"])) \
        if "label" in subthreads else {}
    members = {}
    for record in table.itertuples(index=False):
        members.setdefault(record.subthread_id, []).append(record)
    for block in blocks:
        records = {str(r.comment_id): r for r in members.get(block["id"], [])}
        parents = {cid: (str(r.parent_id) if pd.notna(r.parent_id) and str(r.parent_id) in records else None)
                   for cid, r in records.items()}
        block["rows"] = [(records[cid], depth) for cid, depth in tree_rows(parents)]
        block["branches"] = branches


def _select(sizes: pd.DataFrame, max_rows: float) -> tuple[np.ndarray, np.ndarray, bool]:
    """Positions of the subthreads to draw (thread order), each one's row limit, and whether any was cut short.

    A subthread longer than a column shows its first rows; the largest subthreads are taken
    while they fit in ``max_rows``.
    """
    size = sizes["size"].to_numpy(dtype=np.int64)
    limits = size.copy()
    long = 1 + size + GAP > ROWS_PER_COLUMN  # _height of a block shown in full
    limits[long] = int(ROWS_PER_COLUMN - 2 - GAP)
    heights = _heights(size, limits)
    # cumsum adds in order, one float at a time, as the sum over the blocks always did.
    if not len(size) or np.cumsum(heights)[-1] <= max_rows:
        return np.arange(len(size)), limits, bool(long.any())
    largest = np.lexsort((np.arange(len(size)), -size))
    fits = np.cumsum(heights[largest]) <= max_rows  # exactly the largest ones, so the figure can say so
    taken = len(fits) if fits.all() else int(np.argmin(fits))  # up to the first that does not fit
    return np.sort(largest[:taken]), limits, bool(long.any())


def _heights(size: np.ndarray, limits: np.ndarray) -> np.ndarray:
    """:func:`_height` of many blocks at once."""
    shown = np.minimum(size, limits)
    return 1 + shown + (shown < size) + GAP


def _height(block: Mapping[str, Any]) -> float:
    shown = min(block["size"], block["limit"])
    return 1 + shown + (1 if shown < block["size"] else 0) + GAP


def _split(blocks: Sequence[dict[str, Any]], columns: int) -> list[list[dict[str, Any]]]:
    """Blocks into ``columns`` runs of about equal height, thread order kept."""
    total = sum(_height(b) for b in blocks)
    target = total / columns
    out, start = [[] for _ in range(columns)], 0.0
    for block in blocks:
        middle = start + _height(block) / 2
        out[min(columns - 1, int(middle // target))].append(block)
        start += _height(block)
    return [column for column in out if column] or [[]]


def _draw_block(ax: Axes, block: Mapping[str, Any], y: float, colours: Mapping[int, RGB]) -> None:
    from matplotlib.collections import LineCollection

    colour = rgb01(topic_colour(block["topic"], colours))
    right = ax.get_xlim()[1]
    detail = f"{block['id']} · {block['comments']} comment{'s' * (block['comments'] != 1)}, {block['people']} " \
             f"{'people' if block['people'] != 1 else 'person'}"
    ax.text(right, y + 0.55, detail, fontsize=7.5, color="#666666", ha="right", va="center")
    ax.text(0.02, y + 0.55, shorten(block["label"], 38), fontsize=8.5, fontweight="bold", va="center", ha="left")
    rows = block["rows"][:block["limit"]]
    ax.plot([0.02, 0.02], [y + 1.1, y + 1 + len(rows) - 0.1], color=colour, linewidth=2.5, solid_capstyle="butt")
    where, segments, dots, faces, hollow = {}, [], [], [], []
    renderer = ax.figure.canvas.get_renderer()
    for i, (record, depth) in enumerate(rows):
        cy = y + 1.5 + i
        cx = 0.16 + depth * INDENT
        where[str(record.comment_id)] = (cx, cy)
        parent = str(record.parent_id) if pd.notna(record.parent_id) else None
        if parent in where:
            px, py = where[parent]
            segments.append([(px, py), (px, cy), (cx, cy)])
        placeholder = bool(record.is_placeholder)
        if placeholder:
            hollow.append((cx, cy))
        else:
            dots.append((cx, cy))
            faces.append(rgb01(PLACEHOLDER_COLOUR) if pd.isna(record.shown_topic) else rgb01(topic_colour(record.shown_topic, colours)))
        name = "(missing comment)" if placeholder else shorten(record.author if pd.notna(record.author) else "(no author)", 24)
        text = ax.text(cx + 0.09, cy, name, fontsize=7.5, va="center", ha="left",
                       color="#888888" if placeholder else "#111111", style="italic" if placeholder else "normal")
        extra = []
        if not placeholder and bool(getattr(record, "is_post_author", False)):
            extra.append("post author")
        branch = block["branches"].get(str(record.comment_id)) if depth > 0 else None
        if branch and isinstance(branch, str):
            extra.append(f"branch: {branch}")
        if extra:
            end = ax.transData.inverted().transform((text.get_window_extent(renderer).x1, 0))[0]
            room = int((right - end) / 0.055)
            if room > 8:
                ax.text(end + 0.05, cy, shorten(" · ".join(extra), room), fontsize=7, va="center", ha="left",
                        color="#666666", style="italic")
    ax.add_collection(LineCollection(segments, colors="#b0b0b0", linewidths=0.7, zorder=1))
    if dots:
        ax.scatter(*zip(*dots), s=26, c=faces, edgecolors="#333333", linewidths=0.5, zorder=3)
    if hollow:
        ax.scatter(*zip(*hollow), s=26, c="white", edgecolors="#999999", linewidths=0.5, zorder=3)
    hidden = len(block["rows"]) - len(rows)
    if hidden:
        ax.text(0.16, y + 1.5 + len(rows), f"… {hidden:,} more comments not shown", fontsize=7.5,
                color="#666666", style="italic", va="center")


#: Characters per inch of legend text at 8.5 pt (DejaVu Sans, generous), and each entry's marker and gap.
_CHARS_PER_INCH = 13.0
_ENTRY_EXTRA = 0.55


def _legend_entries(blocks: Sequence[Mapping[str, Any]], topics: pd.DataFrame,
                    colours: Mapping[int, RGB]) -> list[tuple[RGB, str]]:
    """(colour, label) for each topic among the comments shown, most comments first: the first
    twenty by their own colour, the rest as one "other topics" entry (they share its grey)."""
    from .style import OTHER_COLOUR, PALETTE

    used = {}
    for block in blocks:
        for record, _ in block["rows"][:block["limit"]]:
            if not record.is_placeholder and pd.notna(record.shown_topic):
                used[int(record.shown_topic)] = used.get(int(record.shown_topic), 0) + 1
    labels = dict(zip(topics["topic_id"], topics["label"])) if len(topics) else {}
    ordered = sorted(used.items(), key=lambda item: (-item[1], item[0]))
    coloured = [(t, n) for t, n in ordered if topic_colour(t, colours) != OTHER_COLOUR][:len(PALETTE)]
    rest = [(t, n) for t, n in ordered if (t, n) not in coloured]
    entries = [(topic_colour(t, colours), f"{labels.get(t, f'topic {t}')} ({n})") for t, n in coloured]
    if rest:
        entries.append((OTHER_COLOUR, f"{len(rest)} other topics ({sum(n for _, n in rest)})"))
    return entries


def _legend_shape(entries: Sequence[tuple[RGB, str]], width: float) -> tuple[int, int]:
    """(columns, rows) of the topic legend so that it fits ``width`` inches, whole labels kept."""
    if not entries:
        return 1, 0
    widest = max(len(label) for _, label in entries) / _CHARS_PER_INCH + _ENTRY_EXTRA
    ncol = max(1, min(len(entries), int((width - 0.3) // widest)))
    return ncol, math.ceil(len(entries) / ncol)


def _topic_legend(figure: Figure, entries: Sequence[tuple[RGB, str]], top: float, ncol: int) -> None:
    from matplotlib.lines import Line2D

    if not entries:
        return
    handles = [Line2D([], [], marker="o", linestyle="", markersize=7, markeredgecolor="#333333", markeredgewidth=0.5,
                      markerfacecolor=rgb01(colour), label=label) for colour, label in entries]
    height = figure.get_figheight()
    figure.discourse_legend = figure.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(0.008, 1 - top / height), ncol=ncol, fontsize=8.5,
        frameon=False, title="Topics (comments shown)", title_fontsize=8.5, alignment="left", columnspacing=1.4,
        handletextpad=0.3)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None
