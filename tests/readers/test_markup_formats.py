"""Readers for HTML and XML comment formats: WordPress (page, REST JSON, WXR), Disqus, Hacker News pages.

Fixtures under tests/fixtures/markup are invented; the real samples in ../shared/samples are
read in place (tests skip when they are absent) and never printed.
"""

import re


import pandas as pd
import pytest

from discourse.model.corpus import tally
from discourse.exceptions import FormatError
from discourse.readers import READERS, detect_format, read_comments
from discourse.readers._markup import html_to_text
from discourse.readers.disqus import parse_disqus
from discourse.readers.hackernews_html import parse_hackernews_html
from discourse.readers.wordpress import parse_wordpress, parse_wordpress_json, parse_wxr
import shared_data
from shared_data import sample

FIXTURES = shared_data.FIXTURES / "markup"
MY_FORMATS = ["disqus", "wxr", "hackernews-html", "wordpress", "wordpress-json"]
FIXTURE_FORMATS = {
    "disqus-export.xml": "disqus",
    "wordpress-export.xml": "wxr",
    "hackernews-item.html": "hackernews-html",
    "wordpress-page.html": "wordpress",
    "wordpress-comments.json": "wordpress-json",
}


def read_fixture(name):
    return read_comments(FIXTURES / name)


def real(corpus):
    return corpus.comments[~corpus.comments["is_placeholder"]]


def row(corpus, comment_id):
    rows = corpus.comments[corpus.comments["comment_id"] == comment_id]
    assert len(rows) == 1, f"expected one row for comment {comment_id!r}"
    return rows.iloc[0]


def shape(corpus):
    """(id, parent, author or None, depth, is_placeholder, is_post_author) of every row, in order."""
    return [(r.comment_id, None if pd.isna(r.parent_id) else r.parent_id,
             None if pd.isna(r.author) else r.author, r.depth, r.is_placeholder, r.is_post_author)
            for r in corpus.comments.itertuples()]


# -- format detection -------------------------------------------------------------------------

@pytest.mark.parametrize("name, expected", FIXTURE_FORMATS.items())
def test_detect_format_names_each_fixture(name, expected):
    assert detect_format(FIXTURES / name) == expected


@pytest.mark.parametrize("fmt", MY_FORMATS)
@pytest.mark.parametrize("name", FIXTURE_FORMATS)
def test_each_sniffer_claims_only_its_own_fixture(fmt, name):
    head = (FIXTURES / name).read_text(encoding="utf-8")
    assert READERS[fmt].sniff(head) == (FIXTURE_FORMATS[name] == fmt)


TEXT_THREAD = "Post title\n\nArticle.\n\n2 comments\n\n  1. Ann\n\n    Hello.\n\n    Reply\n\nLeave a Reply\n"
CSV_TABLE = "comment_id,parent_id,author,text\n1,,Ann,Hello\n2,1,Bob,<p>Hi</p>\n"


@pytest.mark.parametrize("fmt", MY_FORMATS)
@pytest.mark.parametrize("content, owner", [(TEXT_THREAD, "text"), (CSV_TABLE, "csv")])
def test_sniffers_leave_text_and_csv_alone(tmp_path, fmt, content, owner):
    assert not READERS[fmt].sniff(content)
    path = tmp_path / "input.dat"
    path.write_text(content, encoding="utf-8")
    assert detect_format(path) == owner


def test_sniffers_leave_the_plain_text_seed_alone(seed_path):
    head = seed_path.read_text(encoding="utf-8")[:65536]
    assert [fmt for fmt in MY_FORMATS if READERS[fmt].sniff(head)] == []


@pytest.mark.parametrize("name", ["reddit-thread-fjn0j9.json", "reddit-dump-sample.ndjson"])
def test_sniffers_leave_other_real_samples_alone(name):
    head = sample(name).read_bytes()[:65536].decode("utf-8", errors="replace")
    assert [fmt for fmt in MY_FORMATS if READERS[fmt].sniff(head)] == []


#: Each fixture's records, counted independently of the readers: how often a record's opening occurs.
FIXTURE_RECORDS = {"disqus-export.xml": r"<post\b", "wordpress-export.xml": r"<wp:comment>",
                   "hackernews-item.html": r'class="comment"', "wordpress-page.html": r"<li ",
                   "wordpress-comments.json": r'"author_name"'}


@pytest.mark.parametrize("name", FIXTURE_FORMATS)
def test_every_record_read_is_written_or_skipped(name):
    counts = tally(read_fixture(name))
    assert counts.read == len(re.findall(FIXTURE_RECORDS[name], (FIXTURES / name).read_text(encoding="utf-8")))
    assert counts.balanced, counts


# -- trees, placeholders, skipped records -----------------------------------------------------

EXPECTED_SHAPES = {
    "wordpress-page.html": [
        ("101", None, "Alice Gardener", 1, False, False),
        ("102", "101", "Pat Poster", 2, False, True),
        ("42:missing1", "102", None, 3, True, False),  # depth-4 reply right under a depth-2 one
        ("104", "42:missing1", "Quinn Late", 4, False, False),
        ("105", None, None, 1, False, False),  # "Anonymous" is no one's name
    ],
    "wordpress-comments.json": [
        ("201", None, "Robin Reader", 1, False, False),
        ("202", "201", "Sam Site", 2, False, False),
        ("203", None, None, 1, True, False),  # the spam comment's place, empty
        ("204", "203", "Tess Tidy", 2, False, False),
        ("205", None, None, 1, False, False),
    ],
    "wordpress-export.xml": [
        ("31", None, "Ken Compost", 1, False, False),
        ("32", "31", "Olive Owner", 2, False, True),
        ("35", "31", None, 2, True, False),  # spam, kept in place as a placeholder for its reply
        ("36", "35", "Ken Compost", 3, False, False),
    ],
    "disqus-export.xml": [
        ("9001", None, "Eli Early", 1, False, False),
        ("9002", "9001", "Dana Host", 2, False, True),
        ("9003", "9002", None, 3, True, False),  # spam
        ("9004", "9003", "Fay Friend", 4, False, False),
        ("9005", None, None, 1, False, False),  # deleted: kept without author
        ("8999", None, None, 1, True, False),  # parent absent from the export
        ("9006", "8999", "Hal Hanging", 2, False, False),
    ],
    "hackernews-item.html": [
        ("900101", None, "ada", 1, False, False),
        ("900102", "900101", "maker", 2, False, True),
        ("900100:missing1", "900102", None, 3, True, False),  # indent jumps from 1 to 3
        ("900103", "900100:missing1", "bo", 4, False, False),
        ("900104", None, None, 1, False, False),  # [deleted]
        ("900105", "900104", "cy", 2, False, False),
    ],
}


@pytest.mark.parametrize("name, expected", EXPECTED_SHAPES.items())
def test_reply_tree_with_placeholders_and_post_author(name, expected):
    assert shape(read_fixture(name)) == expected


@pytest.mark.parametrize("name, expected", [
    ("wordpress-page.html", [("103", "pingback")]),
    ("wordpress-comments.json", [("203", "spam")]),
    ("wordpress-export.xml", [("33", "pingback"), ("34", "unapproved"), ("35", "spam")]),
    ("disqus-export.xml", [("9003", "spam")]),
    ("hackernews-item.html", []),
])
def test_skipped_records_are_listed_with_their_reason(name, expected):
    corpus = read_fixture(name)
    assert list(zip(corpus.skipped["record"], corpus.skipped["reason"])) == expected
    assert (corpus.skipped["source_path"] == str(FIXTURES / name)).all()


@pytest.mark.parametrize("name, expected", [
    ("wordpress-page.html", [("42", "Why Gardens Need Paths",
                              "https://blog.example.org/2021/05/why-gardens-need-paths/", "Pat Poster", 5)]),
    ("wordpress-comments.json", [("7", None, "https://site.example.com/a-post/", None, None),
                                 ("9", None, "https://site.example.com/b-post/", None, None)]),
    # the "About" page has no comments, so no thread
    ("wordpress-export.xml", [("11", "On Composting", "https://invented.example.org/on-composting/",
                               "Olive Owner", None)]),
    # thread 5002 has no posts
    ("disqus-export.xml", [("5001", "First & Foremost's Day", "https://invented.example.org/posts/first/",
                            "Dana Host", None)]),
    ("hackernews-item.html", [("900100", "Show HN: An invented gadget",
                               "https://news.ycombinator.com/item?id=900100", "maker", 5)]),
])
def test_threads_table(name, expected):
    threads = read_fixture(name).threads
    found = [tuple(None if pd.isna(v) else v for v in r) for r in
             threads[["thread_id", "title", "url", "post_author", "declared_comments"]].itertuples(index=False)]
    assert found == expected
    assert set(read_fixture(name).comments["thread_id"]) == set(threads["thread_id"])


# -- field contents ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, comment_id, text", [
    ("wordpress-page.html", "101",
     "Gravel paths & stepping stones\nboth work.\n\nSecond paragraph, wrapped in the source."),
    ("wordpress-comments.json", "201", "First & foremost.\n\nSecond paragraph."),
    ("wordpress-export.xml", "31", "Worms help a lot.\nEspecially in spring.\n\nReally & truly."),
    ("disqus-export.xml", "9001", 'Lovely post.\nReally.\n\nSecond "para".'),
    ("hackernews-item.html", "900101", "Nice work & good docs.\n\nHow does it handle cold starts?"),
])
def test_html_bodies_become_plain_text(name, comment_id, text):
    assert row(read_fixture(name), comment_id)["text"] == text


@pytest.mark.parametrize("name, comment_id, utc_time", [
    ("wordpress-page.html", "101", "2021-05-03 12:05:00"),  # written as 14:05+02:00
    ("wordpress-comments.json", "201", "2022-02-01 10:00:00"),  # date_gmt, not the local date
    ("wordpress-export.xml", "31", "2020-06-01 08:00:00"),
    ("disqus-export.xml", "9002", "2015-01-03 11:00:00"),
    ("hackernews-item.html", "900103", "2023-04-05 12:00:00"),
])
def test_times_are_utc(name, comment_id, utc_time):
    corpus = read_fixture(name)
    assert str(corpus.comments["created_at"].dt.tz) == "UTC"
    assert row(corpus, comment_id)["created_at"] == pd.Timestamp(utc_time, tz="UTC")


@pytest.mark.parametrize("name, comment_id, text, status", [
    ("disqus-export.xml", "9005", "I take it back.", "deleted"),
    ("hackernews-item.html", "900104", "[deleted]", "deleted"),
])
def test_deleted_comments_are_kept_without_author(name, comment_id, text, status):
    comment = row(read_fixture(name), comment_id)
    assert pd.isna(comment["author"]) and comment["text"] == text and comment["meta_status"] == status


@pytest.mark.parametrize("name", FIXTURE_FORMATS)
def test_no_placeholder_names_and_source_is_the_reader(name):
    corpus = read_fixture(name)
    assert not set(corpus.comments["author"].dropna().str.lower()) & {"anonymous", "[deleted]", "guest", ""}
    assert set(corpus.comments["source"]) == {FIXTURE_FORMATS[name]}


PERSONAL = ["@example", "mailto:", "192.0.2.", "198.51.100.", "203.0.113.", "robin.example.net",
            "ken.example.net", "avatar.example.org", "x.example"]


@pytest.mark.parametrize("name", FIXTURE_FORMATS)
def test_personal_fields_never_reach_the_outputs(name):
    corpus = read_fixture(name)
    for table in (corpus.comments, corpus.threads, corpus.skipped):
        assert not [c for c in table.columns
                    if set(c.lower().split("_")) & {"email", "mail", "ip", "agent"} or "author_url" in c]
        cells = [str(value) for value in table.to_numpy().ravel()]
        assert not [token for token in PERSONAL if any(token in cell for cell in cells)]


def test_wordpress_classic_theme_layout():
    page = """<html><head><title>Old Post | Old Blog</title></head><body>
    <h3 id="comments">2 Responses to &#8220;Old Post&#8221;</h3>
    <ol class="commentlist">
    <li class="comment depth-1" id="li-comment-7"><div id="comment-7">
      <div class="comment-author vcard"><cite class="fn"><a href="http://vera.example/" class="url">Vera Old</a></cite>
        <span class="says">says:</span></div>
      <div class="comment-meta commentmetadata">
        <a href="http://old.example/post/#comment-7">March 3, 2010 at 4:05 pm</a></div>
      <div class="comment-body"><p>Classic layout.</p></div>
      <div class="reply"><a class="comment-reply-link" href="#">Reply</a></div></div>
      <ul class="children"><li class="comment depth-2" id="li-comment-8"><div id="comment-8">
        <div class="comment-author vcard"><cite class="fn">Walt Reply says:</cite></div>
        <div class="comment-meta commentmetadata"><a href="#comment-8">3. M&auml;rz 2010 um 17:00</a></div>
        <div class="comment-body"><p>Nested.</p>
          <em class="comment-awaiting-moderation">Your comment is awaiting moderation.</em></div></div></li></ul>
    </li></ol></body></html>"""
    corpus = parse_wordpress(page, source_path="old-post.html")
    assert shape(corpus) == [("7", None, "Vera Old", 1, False, False), ("8", "7", "Walt Reply", 2, False, False)]
    assert corpus.comments["text"].tolist() == ["Classic layout.", "Nested."]
    assert corpus.comments["created_at"].iloc[0] == pd.Timestamp("2010-03-03 16:05", tz="UTC")
    assert pd.isna(corpus.comments["created_at"].iloc[1])  # a date in German is not guessed
    assert corpus.comments["meta_status"].tolist()[1] == "awaiting moderation"
    assert corpus.threads["thread_id"].tolist() == ["old-post"]
    assert corpus.threads["declared_comments"].tolist() == [2]


def test_wordpress_page_without_depth_classes_nests_by_markup():
    item = '<li class="comment" id="comment-{}"><div class="comment-author"><span class="fn">{}</span></div>' \
           '<div class="comment-content"><p>{}</p></div>{}</li>'
    page = ('<html><body><ol class="commentlist">'
            + item.format(1, "Ann", "Top.", '<ol class="children">' + item.format(2, "Bob", "Under Ann.", "") + "</ol>")
            + item.format(3, "Cy", "Top again.", "") + "</ol></body></html>")
    assert shape(parse_wordpress(page)) == [("1", None, "Ann", 1, False, False), ("2", "1", "Bob", 2, False, False),
                                            ("3", None, "Cy", 1, False, False)]


def test_hackernews_older_layout_uses_spacer_width():
    comment = ('<tr><td><table><tr><td><img src="s.gif" height="1" width="{width}"></td>'
               '<td class="default"><div><span class="comhead"><a href="user?id={user}">{user}</a> {age} ago | '
               '<a href="item?id={id}">link</a></span></div><br><span class="comment"><font>{text}</font></span>'
               '<p><font size="1"><u><a href="reply?id={id}">reply</a></u></font></p></td></tr></table></td></tr>')
    page = ('<html><head><title>Ask HN: Invented question | Hacker News</title></head><body><table>'
            '<tr><td class="title"><a href="item?id=70">Ask HN: Invented question</a></td></tr>'
            '<tr><td class="subtext"><span id="score_70">3 points</span> by <a href="user?id=asker">asker</a> '
            '| <a href="item?id=70">3 comments</a></td></tr></table><table>'
            + comment.format(width=0, user="amy", age="2 hours", id=71, text="Top.<p>Second para.</p>")
            + comment.format(width=80, user="asker", age="1 hour", id=72, text="Two levels down.")
            + comment.format(width=40, user="ben", age="5 minutes", id=73, text="One level down.")
            + "</table></body></html>")
    corpus = parse_hackernews_html(page)
    assert shape(corpus) == [("71", None, "amy", 1, False, False), ("70:missing1", "71", None, 2, True, False),
                             ("72", "70:missing1", "asker", 3, False, True), ("73", "71", "ben", 2, False, False)]
    assert real(corpus)["text"].tolist() == ["Top.\n\nSecond para.", "Two levels down.", "One level down."]
    assert real(corpus)["meta_age"].tolist() == ["2 hours ago", "1 hour ago", "5 minutes ago"]
    assert real(corpus)["created_at"].isna().all()  # relative ages give no absolute time
    assert corpus.threads[["thread_id", "declared_comments"]].values.tolist() == [["70", 3]]


@pytest.mark.parametrize("fragment, text", [
    ("<p>a &amp; b</p><p>c&nbsp;d &lt;e&gt;</p>", "a & b\n\nc d <e>"),  # no-break spaces become spaces
    ("one<br>two<br/><br>three", "one\ntwo\nthree"),
    ("  lots   of\n   space  ", "lots of space"),
    ("<div>x<script>var hidden = 1;</script></div><blockquote>quoted</blockquote>tail", "x\n\nquoted\n\ntail"),
    ("<ul><li>first</li><li>second</li></ul>", "first\nsecond"),
    ("", ""),
])
def test_html_to_text(fragment, text):
    assert html_to_text(fragment) == text


# -- unsafe and malformed input ---------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE {root} [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<{root}><title>&lol3;</title></{root}>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE {root} [<!ENTITY secret SYSTEM "file://{secret}">]>
<{root}><title>&secret;</title></{root}>
"""


@pytest.mark.parametrize("parse, root", [(parse_disqus, "disqus"), (parse_wxr, "rss")])
@pytest.mark.parametrize("template", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"])
def test_entity_declarations_are_refused(tmp_path, parse, root, template):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    with pytest.raises(FormatError, match="DOCTYPE") as caught:
        parse(template.format(root=root, secret=secret), source_path="evil.xml")
    assert "evil.xml" in str(caught.value) and "TOP-SECRET-VALUE" not in str(caught.value)


def test_undeclared_disqus_prefix_is_read():
    text = """<?xml version="1.0" encoding="utf-8"?>
    <disqus xmlns="http://disqus.com">
      <thread dsq:id="1"><link>https://e.example/p/</link><title>P</title></thread>
      <post dsq:id="2"><message><![CDATA[<p>hi</p>]]></message><createdAt>2015-01-01T00:00:00Z</createdAt>
        <isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>Ann</name></author><thread dsq:id="1" /></post>
      <post dsq:id="3"><message>yo</message><createdAt>2015-01-01T01:00:00Z</createdAt>
        <isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>Bob</name></author>
        <thread dsq:id="1" /><parent dsq:id="2" /></post>
    </disqus>"""
    corpus = parse_disqus(text)
    assert shape(corpus) == [("2", None, "Ann", 1, False, False), ("3", "2", "Bob", 2, False, False)]
    assert corpus.threads["title"].tolist() == ["P"]


def test_undeclared_wordpress_prefixes_are_read():
    text = """<?xml version="1.0" encoding="UTF-8"?>
    <rss version="2.0"><channel><item><title>T</title><link>https://e.example/t/</link>
      <dc:creator>admin</dc:creator><wp:post_id>5</wp:post_id>
      <wp:comment><wp:comment_id>8</wp:comment_id><wp:comment_author>Ann</wp:comment_author>
        <wp:comment_date_gmt>2019-01-01 00:00:00</wp:comment_date_gmt><wp:comment_content>Hi</wp:comment_content>
        <wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent></wp:comment>
    </item></channel></rss>"""
    corpus = parse_wxr(text)
    assert shape(corpus) == [("8", None, "Ann", 1, False, False)]
    assert corpus.threads["thread_id"].tolist() == ["5"]


@pytest.mark.parametrize("fmt, content, where", [
    ("disqus", '<?xml version="1.0"?>\n<disqus xmlns="http://disqus.com">\n<post>\n', "line 4"),
    ("wxr", '<?xml version="1.0"?>\n<rss><channel><item></channel></rss>\n', "line 2"),
    ("disqus", '<?xml version="1.0"?>\n<rss><channel/></rss>\n', "root element is <rss>"),
    ("wxr", '<?xml version="1.0"?>\n<disqus/>\n', "root element is <disqus>"),
    ("wordpress", "<html><body><p>No comments here.</p></body></html>", "ol.commentlist"),
    ("hackernews-html", "<html><body><span class='comhead'>x</span></body></html>", "item id"),
    ("wordpress-json", '[{"id": 1, "post": 2,\n "content": ', "line 2"),
    ("wordpress-json", '{"id": 1}', "JSON list"),
    ("wordpress-json", '[{"id": 1, "post": 2}]', "record 1"),
])
def test_malformed_input_names_the_file(tmp_path, fmt, content, where):
    path = tmp_path / "broken.input"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FormatError) as caught:
        read_comments(path, format=fmt)
    assert str(path) in str(caught.value) and where in str(caught.value)


def test_parent_cycle_is_a_format_error():
    # Comments whose parents form a cycle cannot be placed in a tree: an error, not a hang.
    cycle = ('[{"id": 1, "post": 3, "parent": 2, "author_name": "A", "date_gmt": "2020-01-01T00:00:00", '
             '"content": {"rendered": "a"}}, {"id": 2, "post": 3, "parent": 1, "author_name": "B", '
             '"date_gmt": "2020-01-01T00:00:00", "content": {"rendered": "b"}}]')
    with pytest.raises(FormatError, match="cycle"):
        parse_wordpress_json(cycle, source_path="loop.json")


# -- real samples (third-party; read in place) ------------------------------------------------

def test_disqus_sample_counts():
    path = sample("disqus-export-benbalter.xml")
    assert detect_format(path) == "disqus"
    corpus = read_comments(path)
    comments = real(corpus)
    assert len(comments) == 1112
    assert corpus.skipped["reason"].value_counts().to_dict() == {"spam": 33}
    assert len(corpus.threads) == 81 and corpus.comments["thread_id"].nunique() == 81
    deleted = comments[comments["meta_status"] == "deleted"]
    assert len(deleted) == 15 and deleted["author"].isna().all()
    # One reply answers a spam post: the spam post's place is kept empty, at its depth.
    assert corpus.comments["is_placeholder"].sum() == 1
    assert comments["depth"].max() == 9


def test_disqus_sample_depth_with_spam_is_the_documented_nine():
    text = sample("disqus-export-benbalter.xml").read_text(encoding="utf-8")
    corpus = parse_disqus(text.replace("<isSpam>true</isSpam>", "<isSpam>false</isSpam>"))
    assert len(real(corpus)) == 1145 and corpus.comments["depth"].max() == 9


def test_hackernews_sample_counts():
    path = sample("hn-item-page-aws-outage.html")
    assert detect_format(path) == "hackernews-html"
    corpus = read_comments(path)
    comments = real(corpus)
    assert len(comments) == 45 and not corpus.comments["is_placeholder"].any()
    assert (comments["depth"] == 1).sum() == 11
    assert comments["depth"].max() == 5
    assert corpus.threads[["title", "declared_comments"]].values.tolist() == [["AWS outage summary", 45]]
    assert comments["author"].notna().all() and (comments["text"].str.len() > 0).all()
