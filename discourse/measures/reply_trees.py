"""The reply-tree measures behind :func:`discourse.measures.groups.subthread_metrics` and
:func:`discourse.measures.groups.thread_metrics` (their docstrings and :mod:`discourse.measures.groups` define them).

Both tables group the same per-comment arrays (subtree sizes, alternating exchanges) and the same
graph edges (one row per comment behind an edge), so :func:`tree_inputs` computes those once and
:func:`group_measures` groups them by subthread or by thread.  Groups, commenters and comments are
integer codes: a million comments take a few seconds, not tens of seconds of string hashing.
"""

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from ..network.graph import edge_comment_ids, edge_comment_rows, graph_arrays
from ..model.tree import climb
from ..model.view import CommentView, comment_view

__all__ = ["TreeInputs", "explicit_replies", "tree_inputs", "group_measures", "distinct_per_group", "modularity_by_group"]


@dataclass(frozen=True)
class TreeInputs:
    """What both group tables need, computed once per (comments, graph)."""

    comments: pd.DataFrame  # index reset: positions and labels agree
    view: CommentView       # the comments' integer view
    size: np.ndarray        # subtree size per comment
    run: np.ndarray         # longest alternating exchange ending at each comment
    start: np.ndarray       # who started that exchange (author code, -1 for none)
    author: np.ndarray      # author code per comment, -1 for placeholders and unknown authors
    other: np.ndarray       # whom the comment answered in the exchange (-1 for none)
    names: np.ndarray       # author code -> name
    edge_at: np.ndarray     # per comment behind a graph edge: its position in ``comments``
    edge_source: np.ndarray  # the edge's endpoints as codes into ``nodes``
    edge_target: np.ndarray
    edge_weight: np.ndarray  # the edge's weight shared equally among its comments
    nodes: list             # node code -> node
    id_index: pd.Index      # comment_id -> position in ``comments``


def explicit_replies(comments: pd.DataFrame) -> pd.DataFrame:
    """One row per explicit reply (a real comment answering a comment whose author is known: a real
    one, or a placeholder whose author the platform names), self-replies included.

    Columns: comment_id, source, target, thread_id, subthread_id.
    """
    real = comments[~comments["is_placeholder"] & comments["author"].notna() & comments["parent_id"].notna()]
    parents = comments.set_index("comment_id")
    parent_author = parents["author"].reindex(real["parent_id"]).to_numpy()
    keep = ~pd.isna(parent_author)
    return pd.DataFrame({"comment_id": real["comment_id"].to_numpy()[keep], "source": real["author"].to_numpy()[keep],
                         "target": parent_author[keep], "thread_id": real["thread_id"].to_numpy()[keep],
                         "subthread_id": real["subthread_id"].to_numpy()[keep]})


#: Levels narrower than this are summed comment by comment: a per-level array step costs
#: microseconds, so a 100,000-deep chain of one comment per level took seconds that way.
_NARROW_LEVEL = 64


def _subtree_sizes(depth: np.ndarray, parent: np.ndarray) -> np.ndarray:
    """Number of comments in each comment's subtree (itself included), deepest level first so a
    comment's subtree is complete before it is added to its parent's: wide levels one array step
    each, runs of narrow levels one pass of plain Python over their comments (linear in the
    comments whatever the depth)."""
    n = len(depth)
    size = np.ones(n, dtype=np.int64)
    if not n:
        return size
    order = np.argsort(-depth, kind="stable")
    bounds = np.flatnonzero(np.diff(depth[order], prepend=depth[order[0]] + 1, append=depth[order[-1]] - 1))
    narrow = np.diff(bounds) < _NARROW_LEVEL
    runs = np.flatnonzero(np.diff(narrow, prepend=~narrow[0], append=~narrow[-1]))  # levels alike in width
    for low, high in zip(runs[:-1].tolist(), runs[1:].tolist()):
        at = order[bounds[low]:bounds[high]]
        if narrow[low]:  # comment by comment over the run of narrow levels, deepest first
            at = at[parent[at] >= 0]
            rows, parents = at.tolist(), parent[at].tolist()
            sizes = dict(zip(parents, size[parent[at]].tolist()))  # the sizes the run reads and adds to
            sizes.update(zip(rows, size[at].tolist()))
            for row, above in zip(rows, parents):
                sizes[above] += sizes[row]
            size[list(sizes)] = list(sizes.values())
        else:
            for level in range(low, high):
                rows = order[bounds[level]:bounds[level + 1]]
                rows = rows[parent[rows] >= 0]
                np.add.at(size, parent[rows], size[rows])
    return size


def _exchanges(parent: np.ndarray, author: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(run, start, other) per comment: the length of the longest alternating exchange ending
    there, who started it and whom the comment answered (author codes, -1 for none).

    A comment answering someone else (*valid*) goes on its parent's exchange when the parent was
    valid too and answered this comment's author; the exchange's length and first speaker follow
    from the chain of such links above it, found by pointer jumping (log of the longest chain
    array steps, not one per level)."""
    has_parent = parent >= 0
    above = np.maximum(parent, 0)
    answered = np.where(has_parent, author[above], -1)
    valid = has_parent & (author >= 0) & (answered >= 0) & (answered != author)
    other = np.where(valid, answered, -1)
    top, steps = climb(parent, valid & valid[above] & (other[above] == author))
    run = np.where(valid, 2 + steps, 1)
    start = np.where(valid, answered[top], -1)
    return run, start, other


def _tree_arrays(view: CommentView) -> tuple[np.ndarray, ...]:
    """Subtree sizes, and per comment the longest alternating exchange ending there: its length,
    and (as codes into the view's author names, -1 for none) who started it and who answered;
    the author codes with placeholders as -1."""
    author = np.where(view.is_placeholder, -1, view.author)
    run, start, other = _exchanges(view.parent, author)
    return _subtree_sizes(view.depth, view.parent), run, start, author, other


def _edge_comments(graph: nx.Graph | None, comments: pd.DataFrame, view: CommentView,
                   records: pd.DataFrame | None) -> tuple:
    """(at, source, target, weight, nodes): one row per comment behind each non-loop edge that lies
    in ``comments``, the edge's weight shared equally among its listed comments; the explicit
    replies (weight 1) when ``graph`` is None.  With the graph's edge ``records`` the comments are
    their rows; else they are read from the edges' ``comment_ids``."""
    if graph is None:
        replies = explicit_replies(comments)
        replies = replies[replies["source"] != replies["target"]]
        ends, nodes = pd.factorize(pd.concat([replies["source"], replies["target"]], ignore_index=True))
        at = view.id_index.get_indexer(replies["comment_id"])
        found = at >= 0
        half = len(replies)
        return (at[found], ends[:half][found], ends[half:][found], np.ones(int(found.sum())), list(nodes))
    if records is None:
        nodes, source, target, values = graph_arrays(graph, weight=1, comment_ids="")
        edge, ids = edge_comment_ids(values["comment_ids"])
        at = view.id_index.get_indexer(ids) if len(ids) else np.zeros(0, dtype=np.int64)
    else:
        nodes, source, target, values = graph_arrays(graph, weight=1)
        edge, at = edge_comment_rows(nodes, source, target, records, graph.graph.get("edge_kinds", "reply").split(";"))
    weight = np.asarray(values["weight"], dtype=float).reshape(-1)
    loop = (source == target)[edge]
    edge, at = edge[~loop], at[~loop]
    # A comment's share of its edge's weight: one over the comments listed for that node pair.
    pair = source[edge] * max(len(nodes), 1) + target[edge]
    pair_code, _ = pd.factorize(pair)
    shares = np.bincount(pair_code)[pair_code]
    found = at >= 0
    edge = edge[found]
    return at[found], source[edge], target[edge], weight[edge] / shares[found], nodes


def tree_inputs(comments: pd.DataFrame, graph: nx.Graph | None, view: CommentView | None = None,
                records: pd.DataFrame | None = None) -> TreeInputs:
    """The per-comment arrays and edge rows of :class:`TreeInputs` for ``comments`` and ``graph``
    (None: the explicit replies stand for the edges); ``view``: the comments'
    :func:`~discourse.model.view.comment_view`, if at hand; ``records``: the
    :func:`~discourse.network.graph.edge_records` the graph was built from, if at hand (the
    comments behind its edges are then their rows, not read back from the graph)."""
    comments = comments.reset_index(drop=True)
    view = comment_view(comments) if view is None else view
    size, run, start, author, other = _tree_arrays(view)
    at, source, target, weight, nodes = _edge_comments(graph, comments, view, records)
    return TreeInputs(comments, view, size, run, start, author, other, view.author_names, at, source, target,
                      weight, nodes, view.id_index)


# -- grouping ----------------------------------------------------------------------------------

def _first(codes: np.ndarray, n_groups: int, mask: np.ndarray) -> np.ndarray:
    """Per group: the first position among rows where ``mask`` holds, -1 for none."""
    rows = np.flatnonzero(mask & (codes >= 0))
    first = np.full(n_groups, len(codes), dtype=np.int64)
    np.minimum.at(first, codes[rows], rows)
    return np.where(first < len(codes), first, -1)


def distinct_per_group(codes: np.ndarray, values: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group: how many distinct ``values`` (>= 0) occur in its rows (codes >= 0)."""
    keep = (codes >= 0) & (values >= 0)
    base = int(values.max(initial=0)) + 1
    pairs = pd.unique(codes[keep].astype(np.int64) * base + values[keep])
    return np.bincount(pairs // base, minlength=n_groups)


def _levels(codes: np.ndarray, depth: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """(width, h-index) per group from the comment count of each (group, depth) level.

    h is one less than the shallowest level holding fewer comments than its number, else the
    deepest level (a tree's levels are contiguous)."""
    keep = codes >= 0
    low = int(depth.min(initial=0))
    span = int(depth.max(initial=0)) - low + 1
    level_keys, counts = np.unique(codes[keep].astype(np.int64) * span + (depth[keep] - low), return_counts=True)
    group, level = level_keys // span, level_keys % span + low
    width = np.zeros(n_groups, dtype=np.int64)
    np.maximum.at(width, group, counts)
    short = np.full(n_groups, np.iinfo(np.int64).max)
    thin = counts < level
    np.minimum.at(short, group[thin], level[thin])
    return width, short


def _reciprocity(codes: np.ndarray, at: np.ndarray, source: np.ndarray, target: np.ndarray, n_groups: int,
                 n_nodes: int) -> np.ndarray:
    """Per group: share of its distinct (source, target) pairs whose reverse also occurs there;
    NaN for a group without edges."""
    group = codes[at]
    keep = group >= 0
    group, source, target = group[keep].astype(np.int64), source[keep], target[keep]
    base = max(n_nodes, 1)
    pair_code, pairs = pd.factorize(source * base + target)
    triples = pd.unique(group * max(len(pairs), 1) + pair_code)
    group, pair_code = triples // max(len(pairs), 1), triples % max(len(pairs), 1)
    reverse = pd.Index(pairs).get_indexer((pairs % base) * base + pairs // base)[pair_code]
    mutual = (reverse >= 0) & (pd.Index(triples).get_indexer(group * max(len(pairs), 1) + reverse) >= 0)
    total = np.bincount(group, minlength=n_groups)
    both = np.bincount(group, weights=mutual, minlength=n_groups)
    return np.divide(both, total, out=np.full(n_groups, np.nan), where=total > 0)


def _longest_exchange(codes: np.ndarray, run: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group: the first comment (source order) ending one of its longest exchanges."""
    keep = codes >= 0
    best = np.zeros(n_groups, dtype=run.dtype)
    np.maximum.at(best, codes[keep], run[keep])
    return _first(codes, n_groups, keep & (run == best[np.maximum(codes, 0)]))


def _exchange_between(start: np.ndarray, author: np.ndarray, other: np.ndarray, names: np.ndarray) -> list[str]:
    """"A <-> B" for exchanges (A spoke first), "" where there is none."""
    return ["" if s < 0 else f"{names[s]} <-> {names[a] if s != a else names[o]}"
            for s, a, o in zip(start, author, other)]


def group_measures(inputs: TreeInputs, key: str, with_post_root: bool) -> tuple[pd.DataFrame, np.ndarray]:
    """(table, codes): the tree measures of every group (subthread or thread), one row per group
    code, and the group code of each comment (-1 for none).

    Groups come in order of first appearance (source order), those without a real comment (only
    placeholders) included, with 0 comments and participants."""
    comments, view = inputs.comments, inputs.view
    codes, labels = (view.thread, view.thread_names) if key == "thread_id" else (view.subthread, view.subthread_names)
    labels = labels.rename(key)
    n_groups = len(labels)
    real = ~view.is_placeholder
    has_real = _first(codes, n_groups, real) >= 0
    depth = view.depth
    max_depth = np.full(n_groups, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(max_depth, codes[codes >= 0], depth[codes >= 0])
    columns = {}
    if key != "thread_id":
        columns["thread_id"] = pd.Series(comments["thread_id"].array.take(
            _first(codes, n_groups, comments["thread_id"].notna().to_numpy()), allow_fill=True), index=labels)
    columns.update({
        "comments": pd.Series(np.bincount(codes[real & (codes >= 0)], minlength=n_groups), index=labels),
        "placeholders": pd.Series(np.bincount(codes[~real & (codes >= 0)], minlength=n_groups), index=labels),
        "participants": pd.Series(np.where(has_real, distinct_per_group(codes, inputs.author, n_groups), 0),
                                  index=labels),
        "max_depth": pd.Series(max_depth.astype(depth.dtype), index=labels)})
    table = pd.DataFrame(columns)
    width, short = _levels(codes, depth, n_groups)
    table["width"] = width
    table["h_index"] = np.where(short < np.iinfo(np.int64).max, short - 1, max_depth)
    n = np.bincount(codes[codes >= 0], minlength=n_groups) + (1 if with_post_root else 0)
    # Wiener index of a tree: each edge (comment -> parent) separates size from n - size nodes;
    # a subthread's root has no parent edge, and its term is 0 anyway (size = n).  Integer sums:
    # exact in any order.
    inside = codes >= 0
    edge_side = inputs.size[inside] * (n[codes[inside]] - inputs.size[inside])
    wiener = np.bincount(codes[inside], weights=edge_side, minlength=n_groups)
    pairs = n * (n - 1) / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        table["structural_virality"] = np.where(n > 1, wiener / pairs, 0.0)
    reciprocity = _reciprocity(codes, inputs.edge_at, inputs.edge_source, inputs.edge_target, n_groups,
                               len(inputs.nodes))
    table["reciprocity"] = np.nan_to_num(reciprocity, nan=0.0)
    chosen = _longest_exchange(codes, inputs.run, n_groups)
    longest = inputs.run[chosen]
    table["longest_exchange"] = np.where(longest >= 2, longest, 0)
    between = _exchange_between(inputs.start[chosen], inputs.author[chosen], inputs.other[chosen], inputs.names)
    table["longest_exchange_between"] = pd.Series(between, index=table.index).where(longest >= 2, "")
    table = table.astype({"comments": "int64", "participants": "int64", "placeholders": "int64"})
    return table.rename_axis(key).reset_index(), codes


def modularity_by_group(inputs: TreeInputs, codes: np.ndarray, communities: pd.Series, n_groups: int) -> np.ndarray:
    """Newman modularity of ``communities`` (a Series: community per node code) on each group's
    undirected projection of its edge rows, NaN for a group without edges.

    Every term is a sum of edge weights (both directions of a pair add up in the projection),
    so per group: Q = (weight inside communities) / m - sum over communities of (strength / 2m)^2.
    The sums are pandas group-by sums over the edge rows in order, so every float comes out the
    same whatever the group labels are."""
    group = codes[inputs.edge_at]
    keep = group >= 0
    result = np.full(n_groups, np.nan)
    if not keep.any():
        return result
    frame = pd.DataFrame({"g": group[keep], "w": inputs.edge_weight[keep],
                          "cs": communities.take(inputs.edge_source[keep]).to_numpy(),
                          "ct": communities.take(inputs.edge_target[keep]).to_numpy()})
    total = frame.groupby("g", sort=False)["w"].sum()
    inside = frame["w"].where(frame["cs"] == frame["ct"], 0.0).groupby(frame["g"], sort=False).sum()
    ends = pd.concat([frame[["g", "w"]].assign(c=frame["cs"]), frame[["g", "w"]].assign(c=frame["ct"])])
    strength = ends.groupby(["g", "c"], sort=False)["w"].sum()
    share = strength / (2 * total.reindex(strength.index.get_level_values(0)).to_numpy())
    found = inside / total - (share ** 2).groupby(level=0, sort=False).sum()
    result[found.index.to_numpy()] = found.to_numpy()
    return result
