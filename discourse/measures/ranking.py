"""The ranking of central commenters, each with the reason in plain words.

The score combines the measures of :data:`SCORE_MEASURES`: the registered commenter measures
(:data:`discourse.measures.commenters.COMMENTER_MEASURES`) that join the ranking.
"""

import pandas as pd

from .commenters import COMMENTER_MEASURES, _around, _per_author

__all__ = ["SCORE_MEASURES", "rank_commenters", "central_commenters"]


#: Columns combined into the centrality score, with the words the explanation uses for them:
#: those of every registered measure that joins the ranking, in registry order.
SCORE_MEASURES = {column: words for measure in COMMENTER_MEASURES for column, words in measure.ranking}


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _why(row: pd.Series, standings: list[tuple[str, int]], edge_kinds: str) -> str:
    received = row["replies_received"]
    parts = [f"received {_plural(received, 'reply', 'replies')} from {_plural(row['repliers'], 'person', 'people')} "
             f"across {_plural(row['reply_subthreads'], 'subthread')}" if received else "received no replies"]
    extra = int(round(row["weighted_in_degree"])) - received
    if extra > 0:
        parts[0] += (f" (and {_plural(extra, 'inferred reply', 'inferred replies')})" if edge_kinds == "reply" else
                     f" (and {extra} inferred replies, mentions or quotes)")
    parts += [f"interacted with {_plural(row['partners'], 'person', 'people')}",
              f"wrote {_plural(row['comments'], 'comment')} in {_plural(row['subthreads_active'], 'subthread')}"
              + (f", starting {row['subthreads_started']}" if row["subthreads_started"] else "")]
    by_rank = {}
    for label, rank in standings:
        by_rank.setdefault(rank, []).append(label)
    if by_rank:
        parts.append(", ".join(f"{_ordinal(rank)} by " + (" and ".join(labels) if len(labels) < 3 else
                                                         ", ".join(labels[:-1]) + " and " + labels[-1])
                               for rank, labels in sorted(by_rank.items())))
    return "; ".join(parts)


#: The counts the explanation (``why``) and the table of :func:`central_commenters` show.
_WHY_COUNTS = ("comments", "subthreads_started", "subthreads_active", "replies_received", "repliers",
               "reply_subthreads")


def rank_commenters(measures: pd.DataFrame) -> pd.DataFrame:
    """Score (mean percentile rank over :data:`SCORE_MEASURES`) and order, all commenters."""
    table = measures[["author", *SCORE_MEASURES]].reset_index(drop=True)
    for measure in SCORE_MEASURES:
        table[f"score_{measure}"] = table[measure].rank(pct=True, method="average")
    table["score"] = table[[f"score_{m}" for m in SCORE_MEASURES]].mean(axis=1)
    table["_order"] = range(len(table))
    return table.sort_values(["score", "pagerank", "weighted_in_degree", "_order"],
                             ascending=[False, False, False, True], kind="stable")


def central_commenters(metrics: pd.DataFrame, comments: pd.DataFrame, *, top: int = 10) -> pd.DataFrame:
    """The ``top`` most central commenters, ranked, each with a plain-words ``why``.

    The score combines four views of centrality (:data:`SCORE_MEASURES`): PageRank (attention
    from attended people), weighted in-degree (replies received), betweenness (bridging) and
    partners (reach).  Each commenter's score is the mean of their percentile ranks on the four
    (``rank(pct=True)``, ties averaged), in (0, 1]; percentile ranks keep one heavy-tailed
    measure from dominating.  Ties go to higher PageRank, then more replies received, then
    earlier first comment.  Columns: rank, author, score, one ``score_<measure>`` per measure
    (its percentile rank), the four measures, replies_received, comments, why.  ``why`` states
    replies received (from how many people, across how many subthreads), partners, comments,
    and the measures on which the commenter is in the top 3.
    """
    columns = ["rank", "author", "score", *[f"score_{m}" for m in SCORE_MEASURES], *SCORE_MEASURES,
               "replies_received", "comments", "why"]
    if metrics.empty:
        return pd.DataFrame(columns=columns)
    places = {m: metrics[m].rank(ascending=False, method="min").astype(int).to_numpy() for m in SCORE_MEASURES}
    ranked = rank_commenters(metrics).head(top)
    if set(_WHY_COUNTS) <= set(metrics.columns):  # a commenter_metrics table has them already
        counts = metrics[list(_WHY_COUNTS)].iloc[ranked["_order"].to_numpy()].reset_index(drop=True)
    else:
        counts = _per_author(_around(comments, set(ranked["author"])), ranked["author"]).reset_index(drop=True)
    ranked = pd.concat([ranked.reset_index(drop=True), counts], axis=1)
    kinds = metrics.attrs.get("edge_kinds", "")
    ranked["why"] = [_why(row, [(label, int(places[m][row["_order"]])) for m, label in SCORE_MEASURES.items()
                                if places[m][row["_order"]] <= 3 and row[m] > 0], kinds)
                     for _, row in ranked.iterrows()]
    ranked["rank"] = range(1, len(ranked) + 1)
    return ranked[columns]
