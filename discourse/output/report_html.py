"""report.html: the report as one self-contained page (images inlined, no scripts, no links out
but to the files written beside it).

A figure wider than the page is shown shrunk; a click on it (a checkbox, no script) shows it at
full size, scrolling sideways.

Every piece of text from the input (titles, names, labels, comment text) goes through
``html.escape``, so a comment reading ``<script>...`` shows as text.
"""

from __future__ import annotations

import base64
from html import escape
from typing import TYPE_CHECKING, Any

from .report import IMAGES, _communities_intro, report_content

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Mapping, Sequence

    from ..pipeline import Analysis

STYLE = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1d1d1d; max-width: 1180px;
       margin: 2em auto; padding: 0 1.2em; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; margin-top: 1.8em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
.sub { color: #666; margin-top: 0; }
.figures { display: flex; flex-wrap: wrap; gap: 0.8em; margin: 1.2em 0; padding: 0; list-style: none; }
.figures li { background: #f4f6f8; border-radius: 6px; padding: 0.5em 0.9em; }
.figures b { display: block; font-size: 1.35em; }
.figures span { color: #555; font-size: 0.9em; }
table { border-collapse: collapse; width: 100%; font-size: 0.92em; margin: 0.6em 0 1em; }
th, td { text-align: left; vertical-align: top; padding: 0.35em 0.6em; border-bottom: 1px solid #e4e4e4; }
th { background: #f4f6f8; }
td.num { text-align: right; white-space: nowrap; }
td.quote { color: #555; font-style: italic; }
img { max-width: 100%; height: auto; border: 1px solid #eee; box-sizing: border-box; vertical-align: top; }
figure { margin: 1em 0; overflow-x: auto; }
.zoom { display: none; }
.zoom + label img { cursor: zoom-in; }
.zoom:checked + label img { max-width: none; cursor: zoom-out; }
.explore { font-size: 1.05em; }
figcaption { color: #666; font-size: 0.9em; }
code { background: #f4f6f8; padding: 0 0.25em; border-radius: 3px; }
"""


def render_html(analysis: Analysis, *, images: Mapping[str, bytes] | None = None,
                content: dict[str, Any] | None = None) -> str:
    """The report as HTML text; ``images`` maps a file name (e.g. ``network.png``) to its PNG bytes.

    ``content``: :func:`~discourse.output.report.report_content` of ``analysis`` and these images, when the
    caller has it already (the Markdown report uses the same).
    """
    images = images or {}
    c = content if content is not None else report_content(analysis, list(images))
    e = _e
    parts = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Discourse network: {e(c['title'])}</title>", f"<style>{STYLE}</style>", "</head>", "<body>",
        f"<h1>Discourse network: {e(c['title'])}</h1>",
        f'<p class="sub">Analysis <code>{e(c["name"])}</code>; links are {e(c["edge_kinds"])} links: '
        "an arrow A → B means A answered B.</p>",
        '<ul class="figures">',
        *[f"<li><b>{e(value)}</b><span>{e(label)}</span></li>" for value, label in c["figures"]],
        "</ul>",
    ]
    if c["findings"]:
        parts += ["<h2>What stands out</h2>", "<ul>", *[f"<li>{e(f)}</li>" for f in c["findings"]], "</ul>"]
    parts += _image(images, "network.png")
    parts += ['<p class="explore">Explore the network in a browser: <a href="network.html">network.html</a> '
              "(pan, zoom, search, filters, each commenter's card and comments).</p>"]
    parts += ["<h2>Most central commenters</h2>"]
    if c["ranking_note"]:
        parts += [f"<p>{e(c['ranking_note'])}</p>"]
    else:
        parts += ["<p>Ranked by a combined score of PageRank, replies received, betweenness and partners; "
                  "the reason is each commenter's own numbers.</p>",
                  _table(["rank", "commenter", "why"], [(r, a, w) for r, a, w in c["central"]], numeric={0})]
    if "top_commenters.png" in c["images"]:  # not when the ranking means nothing
        parts += _image(images, "top_commenters.png")
    parts += ["<h2>Subthreads</h2>"]
    if c["subthread_count"] > len(c["subthreads"]):
        parts.append(f"<p>The {len(c['subthreads'])} largest of {c['subthread_count']} subthreads "
                     "(all of them in <code>subthreads.csv</code>).</p>")
    parts.append(_table(["subthread", "started by", "comments", "people", "label", "topic", "opening words"],
                        [(r["id"], r["author"], r["comments"], r["people"], r["label"], r["topic"], r["opening"])
                         for r in c["subthreads"]], numeric={2, 3}, quote={6}))
    parts += _image(images, "subthreads.png")
    parts += ["<h2>Topics</h2>",
              _table(["topic", "label", "subthreads", "comments", "top terms"],
                     [(r["id"], r["label"], r["subthreads"], r["comments"], r["terms"]) for r in c["topics"]],
                     numeric={0, 2, 3})]
    if c["communities"]:
        parts += ["<h2>Communities</h2>", f"<p>{_e(_communities_intro(c))}</p>",
                  _table(["community", "commenters", "comments", "top commenters", "writes about", "topics"],
                         [(r["id"], r["commenters"], r["comments"], r["members"], r["description"], r["topics"])
                          for r in c["communities"]], numeric={0, 1, 2})]
    if "activity.png" in images:
        parts += ["<h2>Activity over time</h2>", *_image(images, "activity.png")]
    if c["statistics"]:
        parts += ["<h2>The whole graph</h2>",
                  f"<p>As Gephi and NodeXL report them (<code>graph.csv</code>). {e(c['paths'])}</p>",
                  _table(["statistic", "value"], c["statistics"], numeric={1}), *_image(images, "degrees.png")]
    parts += ["<h2>Data notes</h2>", "<ul>", *[f"<li>{e(note)}</li>" for note in c["notes"]], "</ul>"]
    parts += ["<h2>Files</h2>", "<ul>",
              *[f'<li><a href="{e(name)}"><code>{e(name)}</code></a>: {e(what)}</li>' for name, what in c["files"]],
              "</ul>",
              "</body>", "</html>", ""]
    return "\n".join(parts)


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _table(header: Sequence[str], rows: Iterable[Sequence[Any]], *, numeric: Collection[int] = (),
           quote: Collection[int] = ()) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            cls = ' class="num"' if i in numeric else ' class="quote"' if i in quote else ""
            cells.append(f"<td{cls}>{_e(cell)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _image(images: Mapping[str, bytes], name: str) -> list[str]:
    if name not in images:
        return []
    data = base64.b64encode(images[name]).decode("ascii")
    alt = IMAGES[name][1]
    toggle = "zoom-" + name.replace(".", "-")
    return ["<figure>", f'<input type="checkbox" class="zoom" id="{toggle}"><label for="{toggle}" '
            'title="click: full size">', f'<img src="data:image/png;base64,{data}" alt="{_e(alt)}"></label>',
            f'<figcaption>{_e(alt)} (<a href="{_e(name)}"><code>{_e(name)}</code></a>; click the picture '
            "for full size)</figcaption>", "</figure>"]
