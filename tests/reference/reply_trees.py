"""The plain reading of the reply-tree arrays :func:`discourse.measures.reply_trees._tree_arrays`
computes: one comment at a time, walking up the parent links."""


def plain_tree_arrays(parent, author, is_placeholder):
    """(size, run, start, author, other) as lists: subtree sizes, and per comment the longest
    alternating exchange ending there (its length, who started it, whom the comment answered)."""
    n = len(parent)
    author = [-1 if is_placeholder[i] else author[i] for i in range(n)]
    size = [1] * n
    for i in range(n):  # every comment counts once in the subtree of each of its ancestors
        above = parent[i]
        while above >= 0:
            size[above] += 1
            above = parent[above]

    def exchange(i):  # (run, start, other) of comment i, from its parent's
        p = parent[i]
        answered = author[p] if p >= 0 else -1
        if p < 0 or author[i] < 0 or answered < 0 or answered == author[i]:
            return 1, -1, -1
        run_p, start_p, other_p = exchange_of[p]
        if run_p >= 2 and other_p == author[i]:
            return run_p + 1, start_p, answered
        return 2, answered, answered

    exchange_of = {}
    for i in sorted(range(n), key=lambda i: _depth(parent, i)):  # parents first
        exchange_of[i] = exchange(i)
    run, start, other = ([exchange_of[i][k] for i in range(n)] for k in range(3))
    return size, run, start, author, other


def _depth(parent, i):
    depth = 0
    while parent[i] >= 0:
        i, depth = parent[i], depth + 1
    return depth
