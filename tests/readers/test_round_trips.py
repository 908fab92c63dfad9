"""Property-based tests: random reply trees written in every input format read back to the same tree,
and corrupted inputs give a valid Corpus or a DiscourseError naming the file, never anything else.

A tree is a list of comments in page order (pre-order), each with its depth, author and text; a
comment's parent is the nearest earlier comment one level up.  Each renderer writes such a tree
the way the format's source would (escaping as the source escapes), so reading it back must give
the same parents, authors, texts and, where the format carries them, times.
"""

import html
import json
import re
import shutil
import tempfile
from contextlib import contextmanager
from datetime import datetime, timezone
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import default as email_policy
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import pandas as pd
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from discourse.model.corpus import tally
from discourse.exceptions import DiscourseError
from discourse.output.write import write_csv
from discourse.readers import detect_format, read_comments
from discourse.readers.mbox import redact
from discourse.model.schema import validate_comments

SETTINGS = dict(deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow,
                                                                       HealthCheck.data_too_large])
ROUND_TRIP = settings(max_examples=40, **SETTINGS)
CORRUPTION = settings(max_examples=15, **SETTINGS)
DAMAGE = settings(max_examples=300, **SETTINGS)

T0 = 1_600_000_000  # times are unix seconds from here

# -- random reply trees -----------------------------------------------------------------------------

#: Author names: unicode, digits, dots, commas, and names a spreadsheet would run as a formula.
AUTHORS = ["Ann", "Bob Smith", "José Ñúñez", "李雷", "J.R. Tolkien", "Smith, John", "user123", "dr. no", "42",
           "Ann-Marie O'Neil", "Zoë 2.0", "=SUM(A1:A2)", "+Plus", "-dash", "Mr. T.", "Ø. Ørsted", "Дмитрий"]

#: Body lines each format must keep as they are: list items, "Reply", URLs, quotes, markup-like text.
LINES = ["1. fix the pumps", "2. repair the levee", "10. tenth point", "Reply", "reply", "Leave a Reply",
         "https://example.org/a?b=1&c=2#frag", "“a quoted sentence,” she said", "> quoted line",
         '"straight quotes"', "Tom & Jerry <3 <b>not bold</b> &amp; &copy", "=HYPERLINK(\"http://x\")", "+1",
         "-1 disagree", "@Ann yes", "3 comments", "From here on, it is fine", "Ünïcödé 李雷 😀", "Post author",
         "k. Name", "  1. Bob"]

_WORD_CHARS = st.characters(categories=["L", "N", "P", "S"], exclude_characters="\x00")
free_line = st.text(_WORD_CHARS | st.just(" "), min_size=1, max_size=40).map(lambda s: " ".join(s.split())).filter(bool)
line = st.one_of(st.sampled_from(LINES).map(str.strip), st.sampled_from(LINES).map(str.strip), free_line)
paragraph = st.lists(line, min_size=1, max_size=3)
body = st.lists(paragraph, min_size=0, max_size=3).map(lambda ps: [p for p in ps if p])


@st.composite
def trees(draw, max_comments=60, max_depth=8):
    """A reply tree: [{"depth", "author", "paragraphs", "time"}] in page order, parents implied by depth."""
    n = draw(st.integers(1, max_comments))
    comments, depth = [], 0
    for i in range(n):
        depth = draw(st.integers(1, min(depth + 1, max_depth)))
        comments.append({"depth": depth, "author": draw(st.sampled_from(AUTHORS)),
                         "paragraphs": draw(body), "time": T0 + 60 * i + draw(st.integers(0, 59))})
    parents, open_by_depth = [], []
    for comment in comments:
        del open_by_depth[comment["depth"] - 1:]
        parents.append(open_by_depth[-1] if open_by_depth else None)
        open_by_depth.append(len(parents) - 1)
    for comment, parent in zip(comments, parents):
        comment["parent"] = parent
    return comments


def text_of(comment):
    return "\n\n".join("\n".join(p) for p in comment["paragraphs"])


def children(tree, index):
    return [i for i, c in enumerate(tree) if c["parent"] == index]


def iso(seconds):
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def html_paragraphs(comment):
    """The body as a site would render it: <p> per paragraph, <br> between lines, text escaped."""
    return "".join("<p>" + "<br>\n".join(html.escape(line, quote=False) for line in p) + "</p>\n"
                   for p in comment["paragraphs"])


# -- renderers: tree -> file content (str or bytes), one per format ---------------------------------

def render_text(tree, post_author=None):
    """The plain-text layout: 'k. Name' indented two spaces a level, body one level deeper, 'Reply'."""
    out = ["A Post About Things", "", "Some article text, then the comments.", "", f"{len(tree)} comments", ""]
    numbers = {}
    for i, comment in enumerate(tree):
        numbers[comment["parent"]] = numbers.get(comment["parent"], 0) + 1
        pad = "  " * comment["depth"]
        badge = " Post author" if comment["author"] == post_author else ""
        out += [f"{pad}{numbers[comment['parent']]}. {comment['author']}{badge}", ""]
        for p in comment["paragraphs"]:
            out += [pad + "  " + line for line in p] + [""]
        out += [pad + "  Reply", ""]
    return "\n".join(out + ["Leave a Reply", "Your email address will not be published.", ""])


def _rows(tree):
    return [{"comment_id": f"c{i + 1}", "parent_id": None if c["parent"] is None else f"c{c['parent'] + 1}",
             "thread_id": "t1", "author": c["author"], "created_at": iso(c["time"]), "text": text_of(c)}
            for i, c in enumerate(tree)]


def render_jsonl(tree):
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in _rows(tree))


def render_csv(tree):
    path = Path(tempfile.mkdtemp()) / "c.csv"
    try:
        write_csv(pd.DataFrame(_rows(tree)), path)  # discourse's own writer, formula cells neutralized
        return path.read_bytes()
    finally:
        shutil.rmtree(path.parent)


def _reddit_comment(tree, i):
    c = tree[i]
    kids = children(tree, i)
    return {"kind": "t1", "data": {
        "id": f"r{i + 1}", "name": f"t1_r{i + 1}", "link_id": "t3_abc",
        "parent_id": "t3_abc" if c["parent"] is None else f"t1_r{c['parent'] + 1}", "author": c["author"],
        "body": text_of(c).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"),
        "created_utc": float(c["time"]), "score": 1, "permalink": f"/r/x/comments/abc/t/r{i + 1}/",
        "replies": {"kind": "Listing", "data": {"children": [_reddit_comment(tree, k) for k in kids]}} if kids else ""}}


def render_reddit(tree):
    submission = {"kind": "t3", "data": {"id": "abc", "title": "A post", "author": "op", "num_comments": len(tree),
                                         "permalink": "/r/x/comments/abc/t/"}}
    return json.dumps([{"kind": "Listing", "data": {"children": [submission]}},
                       {"kind": "Listing", "data": {"children": [_reddit_comment(tree, i) for i in children(tree, None)]}}],
                      ensure_ascii=False, indent=1)


def render_reddit_dump(tree):
    rows = []
    for i, c in enumerate(tree):
        rows.append({"id": f"r{i + 1}", "link_id": "t3_abc",
                     "parent_id": "t3_abc" if c["parent"] is None else f"t1_r{c['parent'] + 1}", "author": c["author"],
                     "body": text_of(c).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"),
                     "created_utc": c["time"], "subreddit": "x"})
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def _hn_html(comment):
    return "<p>".join("<br>".join(html.escape(line, quote=False) for line in p) for p in comment["paragraphs"])


def _algolia(tree, i):
    c = tree[i]
    return {"id": 1000 + i, "type": "comment", "author": c["author"], "created_at_i": c["time"],
            "text": _hn_html(c), "parent_id": 999 if c["parent"] is None else 1000 + c["parent"], "story_id": 999,
            "children": [_algolia(tree, k) for k in children(tree, i)]}


def render_hn_algolia(tree):
    return json.dumps({"id": 999, "type": "story", "author": "op", "title": "A story", "created_at_i": T0,
                       "story_id": 999, "children": [_algolia(tree, i) for i in children(tree, None)]}, indent=1)


def render_hn_firebase(tree):
    items = [{"id": 999, "type": "story", "by": "op", "time": T0, "title": "A story", "descendants": len(tree),
              "kids": [1000 + i for i in children(tree, None)]}]
    items += [{"id": 1000 + i, "type": "comment", "by": c["author"], "time": c["time"], "text": _hn_html(c),
               "parent": 999 if c["parent"] is None else 1000 + c["parent"], "kids": [1000 + k for k in children(tree, i)]}
              for i, c in enumerate(tree)]
    return "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items)


def render_disqus(tree):
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">',
           '<thread dsq:id="77"><link>https://e.example/p/</link><title>A post</title></thread>']
    for i, c in enumerate(tree):
        parent = "" if c["parent"] is None else f'<parent dsq:id="{500 + c["parent"]}"/>'
        out.append(f'<post dsq:id="{500 + i}"><id/><message><![CDATA[{html_paragraphs(c)}]]></message>'
                   f"<createdAt>{iso(c['time'])}</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>"
                   f"<author><email>a{i}@example.org</email><name>{xml_escape(c['author'])}</name></author>"
                   f'<ipAddress>10.0.0.1</ipAddress><thread dsq:id="77"/>{parent}</post>')
    return "\n".join(out + ["</disqus>", ""])


def render_wxr(tree):
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" '
           'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Blog</title>',
           "<wp:author><wp:author_id>1</wp:author_id><wp:author_login>op</wp:author_login>"
           "<wp:author_display_name>Op</wp:author_display_name></wp:author>",
           "<item><title>A post</title><link>https://e.example/p/</link><dc:creator>op</dc:creator>"
           "<wp:post_id>5</wp:post_id>"]
    for i, c in enumerate(tree):
        # WordPress stores what the commenter typed: paragraphs apart by a blank line; typed '<' is escaped.
        content = "\n\n".join("\n".join(html.escape(line, quote=False) for line in p) for p in c["paragraphs"])
        stamp = datetime.fromtimestamp(c["time"], timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
        out.append(f"<wp:comment><wp:comment_id>{10 + i}</wp:comment_id>"
                   f"<wp:comment_author>{xml_escape(c['author'])}</wp:comment_author>"
                   f"<wp:comment_author_email>a@example.org</wp:comment_author_email>"
                   f"<wp:comment_date_gmt>{stamp}</wp:comment_date_gmt>"
                   f"<wp:comment_content>{xml_escape(content)}</wp:comment_content>"
                   f"<wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type>"
                   f"<wp:comment_parent>{0 if c['parent'] is None else 10 + c['parent']}</wp:comment_parent>"
                   f"<wp:comment_user_id>0</wp:comment_user_id></wp:comment>")
    return "\n".join(out + ["</item></channel></rss>", ""])


def render_wordpress_json(tree):
    return json.dumps([{"id": 10 + i, "post": 5, "parent": 0 if c["parent"] is None else 10 + c["parent"],
                        "author_name": c["author"], "date_gmt": iso(c["time"])[:-1], "status": "approved",
                        "type": "comment", "link": f"https://e.example/p/#comment-{10 + i}",
                        "content": {"rendered": html_paragraphs(c)}} for i, c in enumerate(tree)],
                      ensure_ascii=False, indent=1)


def _wordpress_item(tree, i):
    c = tree[i]
    kids = children(tree, i)
    nested = ('<ol class="children">' + "".join(_wordpress_item(tree, k) for k in kids) + "</ol>") if kids else ""
    return (f'<li class="comment even depth-{c["depth"]}" id="comment-{10 + i}">'
            f'<article id="div-comment-{10 + i}" class="comment-body"><footer class="comment-meta">'
            f'<div class="comment-author vcard"><b class="fn">{html.escape(c["author"])}</b> '
            f'<span class="says">says:</span></div><div class="comment-metadata">'
            f'<a href="https://e.example/p/#comment-{10 + i}"><time datetime="{iso(c["time"])}">a day</time></a>'
            f'</div></footer><div class="comment-content">{html_paragraphs(c)}</div>'
            f'<div class="reply"><a class="comment-reply-link" href="#">Reply</a></div></article>{nested}</li>')


def render_wordpress(tree):
    items = "".join(_wordpress_item(tree, i) for i in children(tree, None))
    return ('<!DOCTYPE html><html><head><title>A post</title></head><body class="post-template postid-5">'
            '<h1 class="entry-title">A post</h1><div id="comments" class="comments-area">'
            f'<h2 class="comments-title">{len(tree)} thoughts</h2><ol class="comment-list">{items}</ol></div>'
            "</body></html>")


def render_hn_html(tree):
    rows = []
    for i, c in enumerate(tree):
        rows.append(f'<tr class="athing comtr" id="{1000 + i}"><td><table><tr>'
                    f'<td class="ind" indent="{c["depth"] - 1}"></td><td class="default">'
                    f'<div><span class="comhead"><a href="user?id=x" class="hnuser">{html.escape(c["author"])}</a> '
                    f'<span class="age" title="{iso(c["time"])[:-1]} {c["time"]}"><a href="item?id={1000 + i}">1 hour ago</a>'
                    f'</span></span></div><div class="comment"><div class="commtext c00">{_hn_html(c)}</div>'
                    f'<div class="reply"><p><font size="1"><u><a href="reply?id={1000 + i}">reply</a></u></font></p>'
                    "</div></div></td></tr></table></td></tr>")
    return ('<html lang="en"><head><title>A story | Hacker News</title></head><body><center><table>'
            '<tr class="athing" id="999"><td class="title"><span class="titleline"><a href="https://e.example">'
            'A story</a></span></td></tr><tr><td class="subtext"><span class="subline">'
            '<a href="user?id=op" class="hnuser">op</a> <a href="item?id=999">'
            f'{len(tree)} comments</a></span></td></tr></table><table class="comment-tree">{"".join(rows)}</table>'
            "</center></body></html>")


def render_mbox(tree):
    out = []
    for i, c in enumerate(tree):
        message = EmailMessage(policy=email_policy)
        message["From"] = Address(display_name=c["author"], addr_spec=f"user{i}@example.org")
        message["Subject"] = "Re: the plan" if c["parent"] is not None else "The plan"
        message["Date"] = format_datetime(datetime.fromtimestamp(c["time"], timezone.utc))
        message["Message-ID"] = f"<m{i}@example.org>"
        if c["parent"] is not None:
            message["In-Reply-To"] = f"<m{c['parent']}@example.org>"
        message.set_content(text_of(c) + "\n")
        raw = message.as_bytes(policy=email_policy.clone(linesep="\n"))
        # mboxrd: a body line starting with "From " (after any '>') gets one more '>'.
        raw = re.sub(rb"(?m)^(>*From )", rb">\1", raw)
        out.append(b"From user@example.org Thu Jan  1 00:00:00 2020\n" + raw.rstrip(b"\n") + b"\n\n")
    return b"".join(out)


def render_convokit(tree):
    rows = [{"id": "post", "speaker": "op", "conversation_id": "post", "reply_to": None, "timestamp": T0,
             "text": "A post", "meta": {}}]
    rows += [{"id": f"u{i}", "speaker": c["author"], "conversation_id": "post",
              "reply_to": "post" if c["parent"] is None else f"u{c['parent']}", "timestamp": c["time"],
              "text": text_of(c), "meta": {}} for i, c in enumerate(tree)]
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


#: format -> (renderer, file name, whether the format carries times, text as the format keeps it)
def _same(text):
    return text


FORMATS = {
    "text": (render_text, "thread.txt", False, _same),
    "jsonl": (render_jsonl, "comments.jsonl", True, _same),
    "csv": (render_csv, "comments.csv", True, _same),
    "reddit": (render_reddit, "thread.json", True, _same),
    "reddit-dump": (render_reddit_dump, "dump.ndjson", True, _same),
    "hackernews-json": (render_hn_algolia, "hn.json", True, _same),
    "hackernews-firebase": (render_hn_firebase, "hn.jsonl", True, _same),
    "hackernews-html": (render_hn_html, "item.html", True, _same),
    "disqus": (render_disqus, "export.xml", True, _same),
    "wxr": (render_wxr, "export.wxr", True, _same),
    "wordpress-json": (render_wordpress_json, "comments.json", True, _same),
    "wordpress": (render_wordpress, "page.html", True, _same),
    "mbox": (render_mbox, "list.mbox", True, redact),
    "convokit": (render_convokit, "utterances.jsonl", True, _same),
}
DETECTED = {"hackernews-firebase": "hackernews-json"}


@contextmanager
def written(content, name):
    folder = Path(tempfile.mkdtemp(prefix="discourse-prop-"))
    try:
        path = folder / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        yield path
    finally:
        shutil.rmtree(folder)


def expected_tree(tree, fmt):
    keep = FORMATS[fmt][3]
    authors = [c["author"] for c in tree]
    if fmt == "mbox":  # only a display name is kept; one that holds an address is no name at all
        authors = [None if "@" in a else a for a in authors]
    return [(c["parent"], a, keep(text_of(c))) for c, a in zip(tree, authors)]


def read_tree(corpus):
    """[(parent position, author, text)] of a corpus read back; placeholders are not expected."""
    df = corpus.comments
    assert not df["is_placeholder"].any()
    position = {cid: i for i, cid in enumerate(df["comment_id"])}
    return [(None if pd.isna(p) else position[p], None if pd.isna(a) else a, t)
            for p, a, t in zip(df["parent_id"], df["author"], df["text"])]


# -- round trips ------------------------------------------------------------------------------------

def _comment(depth, parent, author, *paragraphs):
    return {"depth": depth, "parent": parent, "author": author, "paragraphs": [list(p) for p in paragraphs],
            "time": T0}


def check_round_trip(fmt, tree):
    render, name, has_times, _ = FORMATS[fmt]
    with written(render(tree), name) as path:
        assert detect_format(path) == DETECTED.get(fmt, fmt)
        corpus = read_comments(path)
    assert read_tree(corpus) == expected_tree(tree, fmt), fmt
    if has_times:
        times = [pd.Timestamp(c["time"], unit="s", tz="UTC") for c in tree]
        assert corpus.comments["created_at"].tolist() == times, fmt
    counts = tally(corpus)
    assert (counts.read, counts.written, counts.skipped) == (len(tree), len(tree), 0), fmt


# One tree, every format: drawing trees costs more than reading them.
@ROUND_TRIP
@given(tree=trees())
@example(tree=[_comment(1, None, "Ann", ["x", "Reply"], ["Leave a Reply", "more"]), _comment(1, None, "Bob", ["y"])])
@example(tree=[_comment(1, None, "Ann"), _comment(2, 0, "Bob", ["1. first"]), _comment(1, None, "Cid", ["Reply"])])
def test_random_trees_read_back_as_written_in_every_format(tree):
    for fmt in FORMATS:
        check_round_trip(fmt, tree)


@ROUND_TRIP
@given(tree=trees(max_comments=12, max_depth=4), post_author=st.sampled_from(AUTHORS))
def test_post_author_badge_marks_every_comment_of_that_author(tree, post_author):
    with written(render_text(tree, post_author=post_author), "thread.txt") as path:
        corpus = read_comments(path)
    assert read_tree(corpus) == expected_tree(tree, "text")
    assert corpus.comments["is_post_author"].tolist() == [c["author"] == post_author for c in tree]


# -- corrupted inputs -------------------------------------------------------------------------------

READER_OF = {"hackernews-firebase": "hackernews-json"}


def _crlf(data):
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


#: Changes that keep the content: the same tree must be read.
BENIGN = {
    "utf-8 BOM": lambda data: b"\xef\xbb\xbf" + data,
    "utf-16 with BOM": lambda data: data.decode("utf-8").encode("utf-16"),
    "utf-16-be with BOM": lambda data: b"\xfe\xff" + data.decode("utf-8").encode("utf-16-be"),
    "CRLF line ends": _crlf,
}


def as_bytes(content):
    return content.encode("utf-8") if isinstance(content, str) else content


@CORRUPTION
@given(tree=trees(max_comments=10, max_depth=5))
@example(tree=[_comment(1, None, "Ann", ["a", "b"], ["c"])])
def test_byte_order_marks_and_line_ends_change_nothing(tree):
    for fmt, (render, name, _, _) in FORMATS.items():
        for change, apply in BENIGN.items():
            with written(apply(as_bytes(render(tree))), name) as path:
                assert detect_format(path) == DETECTED.get(fmt, fmt), (fmt, change)
                corpus = read_comments(path)
            assert read_tree(corpus) == expected_tree(tree, fmt), (fmt, change)
            assert tally(corpus).balanced


@st.composite
def corruptions(draw, data):
    """(description, damaged bytes): truncation, re-indented line, garbage bytes, a wrong encoding."""
    kind = draw(st.sampled_from(["truncate", "reindent", "garbage", "latin-1", "utf-16 without BOM", "cp1252"]))
    if kind == "truncate":
        at = draw(st.integers(0, len(data)))
        return f"truncated at byte {at}", data[:at]
    if kind == "reindent":
        lines = data.split(b"\n")
        index = draw(st.integers(0, len(lines) - 1))
        spaces = draw(st.integers(0, 12))
        lines[index] = b" " * spaces + lines[index].lstrip(b" ")
        return f"line {index + 1} indented {spaces}", b"\n".join(lines)
    if kind == "garbage":
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.integers(0, len(data)))
            data = data[:at] + draw(st.binary(min_size=1, max_size=6)) + data[at:]
        return "garbage inserted", data
    text = data.decode("utf-8", errors="replace")
    codec = {"latin-1": "latin-1", "utf-16 without BOM": "utf-16-le", "cp1252": "cp1252"}[kind]
    return kind, text.encode(codec, errors="replace")


def haystack(data):
    """Every reading of the input a reader may legitimately produce text from: raw, entity-decoded
    (twice: WXR escapes HTML inside XML), JSON string literals, CSV with quotes undoubled."""
    raw = data.decode("utf-8", errors="replace")
    for bom, codec in ((b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            raw = data.decode(codec, errors="replace")
    parts = [raw, raw.replace('""', '"'), html.unescape(raw), html.unescape(html.unescape(raw))]
    for literal in re.finditer(r'"(?:[^"\\\n]|\\.)*"', raw):
        try:
            value = json.loads(literal.group())
        except ValueError:
            continue
        parts += [value, html.unescape(value)]
    return " ".join(" ".join(part.split()) for part in parts)


def check_sound(corpus, data, fmt):
    """A corpus read from damaged input: a valid tree, every record accounted for, nothing invented."""
    comments = validate_comments(corpus.comments)
    assert tally(corpus).balanced
    placeholders = comments[comments["is_placeholder"]]
    assert placeholders["author"].isna().all() and (placeholders["text"] == "").all()
    if fmt == "mbox":  # bodies may be quoted-printable or base64: not comparable with the raw bytes
        return
    hay = haystack(data)
    real = comments[~comments["is_placeholder"]]
    for author in real["author"].dropna():
        assert " ".join(author.split()) in hay, author
    for text in real["text"]:
        for text_line in text.split("\n"):
            needle = " ".join(text_line.split())
            assert needle in hay, needle


@DAMAGE
@given(tree=trees(max_comments=8, max_depth=4), fmt=st.sampled_from(sorted(FORMATS)), forced=st.booleans(),
       data=st.data())
def test_damaged_input_gives_a_sound_corpus_or_an_error_naming_the_file(tree, fmt, forced, data):
    render, name, _, _ = FORMATS[fmt]
    what, damaged = data.draw(corruptions(as_bytes(render(tree))), label="corruption")
    with written(damaged, name) as path:
        try:
            corpus = read_comments(path, format=READER_OF.get(fmt, fmt) if forced else None)
        except DiscourseError as error:
            event(f"error: {type(error).__name__}")
            assert str(path) in str(error), (what, str(error))
            return
    event(f"read: {what.split()[0]}")
    check_sound(corpus, damaged, fmt)


# -- JSON with values of the wrong type ----------------------------------------------------------------

JSON_FORMATS = ["jsonl", "reddit", "reddit-dump", "hackernews-json", "hackernews-firebase", "wordpress-json",
                "convokit"]
json_values = st.recursive(st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False)
                           | st.text(max_size=8) | st.sampled_from(["", "0", "t3_x", "t1_x", "[deleted]", "now"]),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                           max_leaves=5)


def _containers(value, path=()):
    """Every (path, container) in a JSON value."""
    if isinstance(value, (dict, list)):
        yield path, value
        for key, child in (value.items() if isinstance(value, dict) else enumerate(value)):
            yield from _containers(child, path + (key,))


@st.composite
def retyped(draw, documents):
    """The documents with one value somewhere replaced by a random JSON value (or a key removed)."""
    documents = json.loads(json.dumps(documents))
    places = [(path, container) for path, container in _containers(documents) if container]
    path, container = draw(st.sampled_from(places))
    key = draw(st.sampled_from(sorted(container) if isinstance(container, dict) else list(range(len(container)))))
    if isinstance(container, dict) and draw(st.booleans()):
        del container[key]
        return f"removed {path + (key,)}", documents
    container[key] = draw(json_values)
    return f"replaced {path + (key,)}", documents


def _as_documents(fmt, content):
    lines = content.splitlines()
    if fmt in ("reddit", "hackernews-json", "wordpress-json"):
        return json.loads(content), lambda doc: json.dumps(doc)
    return [json.loads(line) for line in lines], lambda docs: "".join(json.dumps(d) + "\n" for d in docs)


@DAMAGE
@given(tree=trees(max_comments=6, max_depth=3), fmt=st.sampled_from(JSON_FORMATS), data=st.data())
def test_json_values_of_the_wrong_type_give_a_sound_corpus_or_an_error(tree, fmt, data):
    render, name, _, _ = FORMATS[fmt]
    documents, dump = _as_documents(fmt, render(tree))
    what, changed = data.draw(retyped(documents), label="change")
    damaged = dump(changed).encode("utf-8")
    with written(damaged, name) as path:
        try:
            corpus = read_comments(path, format=READER_OF.get(fmt, fmt))
        except DiscourseError as error:
            assert str(path) in str(error), (what, str(error))
            return
    validate_comments(corpus.comments)
    assert tally(corpus).balanced
