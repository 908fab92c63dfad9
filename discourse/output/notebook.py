"""Jupyter views of an Analysis: a short HTML summary, and network.html inline.

``Analysis._repr_html_`` calls :func:`analysis_html`; ``Analysis.show_network()`` returns
:class:`InlineNetwork`, which Jupyter shows as the interactive page in a sandboxed frame (the
page is the frame's ``srcdoc``: nothing is written, nothing is fetched).
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..pipeline import Analysis

__all__ = ["InlineNetwork", "analysis_html"]


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def analysis_html(analysis: Analysis, *, top: int = 5, labels: int = 8) -> str:
    """A notebook's view of ``analysis``: headline counts, the top commenters and why, the largest
    subthreads' labels."""
    from ..measures.whole_graph import ranking_is_meaningful

    comments = analysis.comments[~analysis.comments["is_placeholder"]]
    graph = analysis.graph
    links = graph.number_of_edges() - sum(1 for u, v in graph.edges if u == v)
    parts = [f"<h3>discourse analysis <code>{escape(str(analysis.name))}</code></h3>",
             f"<p>{_count(len(comments), 'comment')} by {_count(int(comments['author'].nunique()), 'commenter')} in "
             f"{_count(len(analysis.threads), 'thread')}; {_count(links, 'link')} between commenters; "
             f"{_count(len(analysis.topics), 'topic cluster')}.</p>"]
    central = analysis.central.sort_values("rank") if "rank" in analysis.central else analysis.central
    if not ranking_is_meaningful(graph):
        parts.append("<p>Too few reply links to rank commenters.</p>")
    elif len(central):
        rows = "".join(f"<tr><td>{int(r['rank'])}</td><td>{escape(str(r['author']))}</td><td>{escape(str(r['why']))}"
                       "</td></tr>" for _, r in central.head(top).iterrows())
        parts.append("<table><thead><tr><th>rank</th><th>commenter</th><th>why</th></tr></thead>"
                     f"<tbody>{rows}</tbody></table>")
    subthreads = analysis.subthreads
    if len(subthreads) and "label" in subthreads:
        top_level = subthreads[subthreads["level"] == 1] if "level" in subthreads else subthreads
        largest = top_level.sort_values(["comments", "subthread_id"], ascending=[False, True]).head(labels)
        items = "".join(f"<li>{escape(str(r['label']))} ({_count(int(r['comments']), 'comment')})</li>"
                        for _, r in largest.iterrows() if isinstance(r["label"], str))
        parts.append(f"<p>Largest subthreads:</p><ul>{items}</ul>")
    parts.append("<p><code>analysis.show_network()</code>: the interactive network.</p>")
    return "\n".join(parts)


class InlineNetwork:
    """network.html of an analysis, shown inline by Jupyter (``_repr_html_``)."""

    def __init__(self, page: str, height: int = 640):
        self.page, self.height = page, height

    def _repr_html_(self) -> str:
        return (f'<iframe sandbox="allow-scripts" style="width:100%;height:{int(self.height)}px;border:1px solid #ddd" '
                f'srcdoc="{escape(self.page, quote=True)}"></iframe>')
