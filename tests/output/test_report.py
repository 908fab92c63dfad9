"""report.md and report.html: every section, the data notes, and input text that cannot inject markup."""

import dataclasses
import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from discourse import analyze
from discourse.model.corpus import Corpus
from discourse.pipeline import analyze_corpus
from discourse.readers.table import parse_csv
from discourse.output.report import _largest, data_notes, md_escape, render_markdown
from discourse.output.report_html import render_html

HOSTILE_CSV = """comment_id,parent_id,thread_id,author,created_at,text
h1,,t,<b>Eve</b>,2024-01-01T10:00:00Z,<script>alert(1)</script> The bike lane on Main Street needs paint.
h2,h1,t,Mallory & Co,2024-01-01T11:00:00Z,"I reply with <img src=x onerror=alert(2)> about the bike lane paint."
h3,h1,t,Ann,2024-01-01T12:30:00Z,Paint the bike lane green like other towns.
h4,h2,t,<b>Eve</b>,2024-01-02T09:00:00Z,Green paint costs more than white paint.
h5,,t,Ann,2024-01-02T10:00:00Z,The library hours should be longer on weekends.
h6,h5,t,Mallory & Co,2024-01-02T10:30:00Z,Weekend library hours would help students.
"""

SECTIONS = ["What stands out", "Most central commenters", "Subthreads", "Topics", "Communities", "The whole graph", "Data notes",
            "Files"]


@pytest.fixture(scope="module")
def hostile():
    corpus = parse_csv(HOSTILE_CSV)
    threads = corpus.threads.assign(title="<i>Hostile</i> thread", declared_comments=pd.array([9], dtype="Int64"))
    skipped = pd.DataFrame({"source_path": ["x.csv", "x.csv"], "record": ["7", "8"], "reason": ["spam", "spam"]})
    return analyze_corpus(Corpus(comments=corpus.comments, threads=threads, skipped=skipped), name="hostile")


@pytest.fixture(scope="module")
def sample():
    return analyze()


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.open, self.sources = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag not in {"meta", "img", "br", "hr", "link", "input"}:
            self.open.append(tag)
        self.sources += [value for name, value in attrs if name in ("src", "href")]

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, (tag, self.open[-3:])
        self.open.pop()


def test_html_escapes_comment_text_and_author_names(hostile):
    page = render_html(hostile, images={})
    assert "<script" not in page and "<img src=x" not in page and "<b>Eve</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the comment text shows as text
    assert "&lt;b&gt;Eve&lt;/b&gt;" in page and "Mallory &amp; Co" in page
    assert "&lt;i&gt;Hostile&lt;/i&gt; thread" in page
    parser = _Tags()
    parser.feed(page)
    assert "script" not in parser.tags and parser.open == []  # well nested, no script element


def test_markdown_escapes_markup_in_input_text(hostile):
    report = render_markdown(hostile, images=[])
    assert "<script>" not in report and "<b>Eve</b>" not in report
    assert r"\<script\>alert(1)\</script\>" in report
    assert md_escape("a|b *c* [d](e) <f>") == r"a\|b \*c\* \[d\](e) \<f\>"


def test_data_notes_add_up_and_name_what_is_missing(hostile):
    notes = data_notes(hostile)
    assert notes[0] == "Read 8 records: 6 written as comments and 2 skipped (read = written + skipped)."
    assert "Thread t: the source says 9 comments; 6 are present (3 not in the copy: deleted, held for " \
           "moderation or not loaded)." in notes
    assert "Skipped 2 record(s): spam." in notes


def test_data_notes_say_when_a_reader_lost_records(hostile):
    lossy = dataclasses.replace(hostile, corpus=dataclasses.replace(hostile.corpus, records=11))
    assert data_notes(lossy)[0] == ("Read 11 records but 6 were written as comments and 2 skipped: 3 unaccounted "
                                    "for, which is a bug in discourse's reader; please report it.")


def test_data_notes_count_placeholders_and_missing_times(sample):
    notes = data_notes(sample)
    real = int((~sample.comments["is_placeholder"]).sum())
    assert notes[0] == f"Read {real} records: {real} written as comments and 0 skipped (read = written + skipped)."
    assert any(n.startswith("1 placeholder comment(s)") and f"comments.csv has {real + 1} rows" in n for n in notes)
    assert "No comment has a time, so there is no activity chart and no timeline file." in notes


@pytest.mark.parametrize("render", ["md", "html"])
def test_report_has_every_section_and_the_central_commenters(sample, render):
    images = {"network.png": b"\x89PNG", "top_commenters.png": b"\x89PNG", "subthreads.png": b"\x89PNG"}
    text = render_markdown(sample, images=list(images)) if render == "md" else render_html(sample, images=images)
    headings = re.findall(r"^## (.+)$", text, re.M) if render == "md" else re.findall(r"<h2>(.+?)</h2>", text)
    assert headings == SECTIONS
    top = sample.central.sort_values("rank").head(10)
    for author, why in zip(top["author"], top["why"]):
        assert author in text and why in text
    level1 = sample.subthreads[sample.subthreads["level"] == 1]
    for label in level1["label"]:
        assert label in text
    for label in sample.topics["label"]:
        assert label in text
    assert "the source says 46 comments; 43 are present" in text


def test_html_is_self_contained_with_images_inlined(sample):
    page = render_html(sample, images={"network.png": b"\x89PNG-bytes", "subthreads.png": b"\x89PNG-more"})
    parser = _Tags()
    parser.feed(page)
    images = [src for src in parser.sources if src.startswith("data:")]
    assert len(images) == 2 and all(src.startswith("data:image/png;base64,") for src in images)
    # links lead only to the files written beside the report, never out
    from discourse.output import OUTPUT_FILES
    assert {src for src in parser.sources if not src.startswith("data:")} <= set(OUTPUT_FILES)
    assert "network.html" in parser.sources
    assert page.count("<img ") == 2 and not {"link", "script", "iframe"} & set(parser.tags)
    assert "url(" not in page and "@import" not in page  # the style fetches nothing either


def test_report_only_shows_images_that_were_written(sample):
    report = render_markdown(sample, images=["network.png"])
    assert "![The commenter network](network.png)" in report
    assert "subthreads.png" not in report and "activity.png" not in report


@pytest.mark.parametrize("count", [1, 3, 25])
def test_largest_subthreads_are_the_head_of_the_full_sort(count):
    # Only the rows that can make the top are sorted; ties on comments (and repeated ids) must
    # still come out in the order a sort of the whole table gives them.
    rng = np.random.default_rng(count)
    n = 2000
    table = pd.DataFrame({"subthread_id": [f"s{i}" for i in rng.integers(0, 1500, n)],
                          "comments": rng.integers(1, 30, n), "row": range(n)})
    expected = table.sort_values(["comments", "subthread_id"], ascending=[False, True]).head(count)
    pd.testing.assert_frame_equal(_largest(table, count), expected)


def test_communities_are_described_by_their_topics():
    analysis = analyze()
    text = render_markdown(analysis)
    section = text.split("## Communities", 1)[1].split("\n## ", 1)[0]
    communities = analysis.communities
    assert communities["commenters"].sum() == analysis.commenters["community"].notna().sum()
    first = communities.iloc[0]
    assert f"| {first['community']} | {first['commenters']} |" in section
    assert first["description"].split("; ")[0] in set(analysis.topics["label"])
    assert first["description"] in section
