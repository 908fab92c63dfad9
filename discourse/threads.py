"""Reply-tree helpers: placeholders for absent parents, depth, subthreads, subthread documents.

A *subthread* is a top-level comment with all its replies; its id is the top-level comment's id.
"""

import pandas as pd

from .exceptions import SchemaError
from .schema import coerce_column, validate_comments


def _placeholder_rows(comments):
    """One placeholder per parent id that is referenced but absent, placed before its first reply."""
    known = set(comments["comment_id"])
    absent = comments["parent_id"].notna() & ~comments["parent_id"].isin(known)
    if not absent.any():
        return None
    first_reply = comments[absent].drop_duplicates("parent_id")
    rows = pd.DataFrame({
        "comment_id": first_reply["parent_id"].to_numpy(),
        "thread_id": first_reply["thread_id"].to_numpy(),
        "parent_id": pd.NA,
        "author": pd.NA,
        "created_at": pd.NaT,
        "text": "",
        "source": first_reply["source"].to_numpy() if "source" in first_reply else pd.NA,
        "is_placeholder": True,
        "is_post_author": False,
    })
    # Fractional positions put each placeholder just before the reply that revealed it.
    rows["_order"] = first_reply["_order"].to_numpy() - 0.5
    return rows


def _depths_and_roots(ids, parents):
    """Depth (1 = top level) and root id of every comment, without recursion.

    Raises SchemaError on a parent cycle.
    """
    parent_of = dict(zip(ids, parents))
    depth, root = {}, {}
    for start in ids:
        if start in depth:
            continue
        path, on_path, node = [], set(), start
        while node is not None and node not in depth:
            if node in on_path:
                cycle = path[path.index(node):] + [node]
                raise SchemaError("reply cycle: " + " -> ".join(map(str, cycle)) + "; a comment cannot descend from itself")
            path.append(node)
            on_path.add(node)
            node = parent_of.get(node)
        base_depth, base_root = (depth[node], root[node]) if node is not None else (0, path[-1])
        for offset, member in enumerate(reversed(path), start=1):
            depth[member] = base_depth + offset
            root[member] = base_root
    return [depth[i] for i in ids], [root[i] for i in ids]


def complete_tree(comments):
    """Return the comments table with its tree completed and derived columns filled.

    - a parent id that no comment has becomes a placeholder comment (``is_placeholder``, no
      author), top level, placed just before its first reply;
    - ``depth`` and ``subthread_id`` are computed from the parent links;
    - ``is_post_author`` and ``is_placeholder`` default to False where a reader did not set them.

    Raises :class:`SchemaError` for duplicate ids, self-parents and reply cycles.
    """
    table = validate_comments(comments, derived=False)
    for flag in ("is_placeholder", "is_post_author"):
        if flag not in table.columns:
            table[flag] = False
        table[flag] = coerce_column(table, flag, "bool")
    table["_order"] = range(len(table))
    placeholders = _placeholder_rows(table)
    if placeholders is not None:
        table = pd.concat([table, placeholders.astype({"parent_id": "string", "author": "string"})],
                          ignore_index=True)
        table = table.sort_values("_order", kind="stable").reset_index(drop=True)
    table = table.drop(columns="_order")
    ids = table["comment_id"].tolist()
    parents = [None if pd.isna(p) else p for p in table["parent_id"].tolist()]
    table["depth"], table["subthread_id"] = _depths_and_roots(ids, parents)
    return validate_comments(table)


def subthread_documents(comments, *, by="subthread_id"):
    """Text of each subthread (or other grouping column) joined in source order.

    Returns a Series indexed by the group id, in order of first appearance.
    """
    real = comments[~comments["is_placeholder"]]
    grouped = real.groupby(by, sort=False)["text"].agg(lambda texts: "\n".join(t for t in texts if t))
    order = pd.unique(comments[by])
    return grouped.reindex([g for g in order if g in grouped.index]).fillna("")


def branch_ids(comments):
    """Id of each comment's depth-2 ancestor (itself at depth 2; missing at top level).

    A *branch* is a reply to a top-level comment with all its replies.  Parents are always one
    level up, so visiting comments by depth sees every parent before its children: one pass.
    """
    order = comments["depth"].to_numpy().argsort(kind="stable")
    ids, parents, depths = (comments[c].to_numpy()[order] for c in ("comment_id", "parent_id", "depth"))
    branch_of = {}
    for comment_id, parent_id, depth in zip(ids, parents, depths):
        if depth >= 2:
            branch_of[comment_id] = comment_id if depth == 2 else branch_of[parent_id]
    return comments["comment_id"].map(branch_of).astype("string")
