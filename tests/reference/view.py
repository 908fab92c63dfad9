"""The plain comment view the integer view must agree with: every value looked up by its string
id, one comment at a time, with dicts."""

import pandas as pd


def plain_view(comments):
    """{name: list} of what :class:`discourse.model.view.CommentView` holds, row by row."""
    ids = list(comments["comment_id"])
    row_of = {comment_id: row for row, comment_id in enumerate(ids)}

    def numbered(values):
        codes, names = [], {}
        for value in values:
            if value is None or value is pd.NA or (isinstance(value, float) and value != value):
                codes.append(-1)
            else:
                codes.append(names.setdefault(value, len(names)))
        return codes, list(names)

    author, author_names = numbered(comments["author"])
    thread, thread_names = numbered(comments["thread_id"])
    subthread, subthread_names = numbered(comments["subthread_id"])
    parents = [None if pd.isna(p) else p for p in comments["parent_id"]]
    placeholder = [bool(p) for p in comments["is_placeholder"]]
    return {
        "ids": ids,
        "parent": [-1 if p is None else row_of[p] for p in parents],
        "parent_ids": parents,
        "depth": [int(d) for d in comments["depth"]],
        "is_placeholder": placeholder,
        "author": author, "author_names": author_names,
        "thread": thread, "thread_names": thread_names,
        "subthread": subthread, "subthread_names": subthread_names,
        "is_real": [not p and a >= 0 for p, a in zip(placeholder, author)],
    }
