"""Readers for JSON, mail and table formats: Reddit, Hacker News JSON, mbox, JSON Lines, ConvoKit.

Fixtures under tests/fixtures/data are invented.  The real samples in ../shared/samples are
third-party: they are only read (tests skip when absent) and no personal field is printed.
"""

import json
import re
import sys
from pathlib import Path

import pandas as pd
import pytest

from discourse.model.corpus import SKIPPED_COLUMNS, THREAD_COLUMNS, tally
from discourse.exceptions import DiscourseError, FormatError
from discourse.readers import READERS, detect_format, read_comments, read_corpus
from discourse.readers.convokit import parse_convokit, read_convokit, write_convokit
from discourse.readers.hackernews_json import parse_hackernews_json, read_hackernews_json
from discourse.readers.jsonl import parse_jsonl, read_jsonl
from discourse.readers.mbox import parse_mbox, read_mbox
from discourse.readers.reddit import parse_reddit_dump, read_reddit, read_reddit_dump
from discourse.model.schema import validate_comments
import shared_data
from shared_data import sample

FIXTURES = shared_data.FIXTURES / "data"

#: Each fixture, the format detect_format must pick, and the ``source`` its comments carry.
FIXTURE_FORMATS = {
    "reddit-thread.json": ("reddit", "reddit"),
    "reddit-dump.ndjson": ("reddit-dump", "reddit-dump"),
    "hn-algolia.json": ("hackernews-json", "hackernews-json"),
    "hn-firebase.jsonl": ("hackernews-json", "hackernews-json"),
    "garden-list.mbox": ("mbox", "mbox"),
    "comments.jsonl": ("jsonl", "jsonl"),
    "convokit-corpus/utterances.jsonl": ("convokit", "convokit"),
}
MY_FORMATS = ["reddit", "reddit-dump", "hackernews-json", "convokit", "mbox", "jsonl"]
TREE = ["comment_id", "parent_id", "thread_id", "author", "created_at", "text", "depth", "subthread_id",
        "is_post_author", "is_placeholder"]


def links(corpus):
    """{comment id: (parent id or None, depth)} of a corpus."""
    df = corpus.comments
    return {row.comment_id: (None if pd.isna(row.parent_id) else row.parent_id, row.depth) for row in df.itertuples()}


def row(corpus, comment_id):
    return corpus.comments.set_index("comment_id").loc[comment_id]


def utc(text):
    return pd.Timestamp(text, tz="UTC")


def write_broken(tmp_path, fixture, line_number, replacement):
    """A copy of ``fixture`` with one line replaced; returns its path."""
    lines = (FIXTURES / fixture).read_text(encoding="utf-8").splitlines()
    lines[line_number - 1] = replacement
    path = tmp_path / Path(fixture).name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# -- real samples ----------------------------------------------------------------------------------

def test_reddit_thread_sample_matches_the_documented_counts():
    corpus = read_reddit(sample("reddit-thread-fjn0j9.json"))
    df = corpus.comments
    assert len(df) == 114 and not df["is_placeholder"].any()
    # README's "96 authors" counts "[deleted]" as one of them: 95 named people + the deleted ones.
    assert df["author"].nunique() == 95
    assert df["author"].isna().sum() == 2
    assert df["author"].nunique() + (1 if df["author"].isna().any() else 0) == 96
    assert df["depth"].max() == 6
    assert corpus.skipped.empty  # this page loaded every comment: no "more" stubs
    assert corpus.threads["thread_id"].tolist() == ["fjn0j9"]
    assert corpus.threads["declared_comments"].tolist() == [168]
    assert (df["thread_id"] == "fjn0j9").all()


def test_reddit_dump_sample_matches_the_documented_counts():
    corpus = read_reddit_dump(sample("reddit-dump-sample.ndjson"))
    df = corpus.comments
    real = df[~df["is_placeholder"]]
    assert len(real) == 27
    assert real["thread_id"].nunique() == 27 and len(corpus.threads) == 27
    assert not real["parent_id"].isin(real["comment_id"]).any()  # no parent is in the file
    assert df["is_placeholder"].sum() == 9  # the replies' absent parents
    assert real["author"].isna().sum() == 5  # "[deleted]" authors are missing, not a commenter
    assert not df["author"].isin(["[deleted]", "[removed]"]).any()


@pytest.mark.parametrize("name", ["disqus-export-benbalter.xml", "hn-item-page-aws-outage.html"])
def test_no_data_sniffer_claims_the_html_and_xml_samples(name):
    head = sample(name).read_bytes()[:65536].decode("utf-8", errors="replace")
    assert [fmt for fmt in MY_FORMATS if READERS[fmt].sniff(head)] == []


# -- every fixture ---------------------------------------------------------------------------------

@pytest.mark.parametrize("fixture", FIXTURE_FORMATS)
def test_detect_format_picks_the_fixture_format(fixture):
    assert detect_format(FIXTURES / fixture) == FIXTURE_FORMATS[fixture][0]


@pytest.mark.parametrize("fixture", FIXTURE_FORMATS)
def test_only_the_fixture_own_sniffer_claims_it(fixture):
    head = (FIXTURES / fixture).read_bytes()[:65536].decode("utf-8", errors="replace")
    assert [fmt for fmt in MY_FORMATS if READERS[fmt].sniff(head)] == [FIXTURE_FORMATS[fixture][0]]


CSV_HEAD = "comment_id,parent_id,thread_id,author,created_at,text\nc1,,t,Ann,2024-01-01T00:00:00Z,Hello\n"
TEXT_HEAD = "Post title\n\nArticle.\n\n2 comments\n\n  1. Ann\n\n    Hello.\n\n    Reply\nLeave a Reply\n"


@pytest.mark.parametrize("head", [CSV_HEAD, TEXT_HEAD], ids=["csv", "text"])
def test_data_sniffers_leave_csv_and_text_alone(head, tmp_path):
    assert [fmt for fmt in MY_FORMATS if READERS[fmt].sniff(head)] == []
    path = tmp_path / "input"
    path.write_text(head, encoding="utf-8")
    assert detect_format(path) in ("csv", "text")


@pytest.mark.parametrize("fixture", FIXTURE_FORMATS)
def test_every_reader_returns_a_valid_corpus(fixture):
    corpus = read_comments(FIXTURES / fixture)
    validate_comments(corpus.comments)
    assert (corpus.comments["source"] == FIXTURE_FORMATS[fixture][1]).all()
    assert str(corpus.comments["created_at"].dtype) == "datetime64[ns, UTC]"
    assert list(corpus.threads.columns) == THREAD_COLUMNS
    assert list(corpus.skipped.columns) == SKIPPED_COLUMNS
    assert set(corpus.comments["thread_id"]) == set(corpus.threads["thread_id"])
    assert not corpus.comments["author"].isin(["[deleted]", "[removed]"]).any()


#: Records in each fixture, counted by hand: every one must come out as a comment or a skipped row.
FIXTURE_RECORDS = {"reddit-thread.json": 7, "reddit-dump.ndjson": 5, "hn-algolia.json": 5, "hn-firebase.jsonl": 7,
                   "garden-list.mbox": 8, "comments.jsonl": 4, "convokit-corpus/utterances.jsonl": 5}


@pytest.mark.parametrize("fixture", FIXTURE_FORMATS)
def test_every_record_read_is_written_or_skipped(fixture):
    counts = tally(read_comments(FIXTURES / fixture))
    assert counts.read == FIXTURE_RECORDS[fixture]
    assert counts.balanced, counts


#: Independent record counts of the real samples: how often each record's opening occurs in the raw file.
SAMPLE_RECORDS = {"disqus-export-benbalter.xml": rb"<post\b", "hn-item-page-aws-outage.html": rb'class="comment"',
                  "reddit-thread-fjn0j9.json": rb'"kind": *"(t1|more)"', "reddit-dump-sample.ndjson": rb"^\{"}


@pytest.mark.parametrize("name", SAMPLE_RECORDS)
def test_every_record_of_the_real_samples_is_written_or_skipped(name):
    path = sample(name)
    counts = tally(read_comments(path))
    assert counts.read == len(re.findall(SAMPLE_RECORDS[name], path.read_bytes(), re.M))
    assert counts.balanced, counts


# -- Reddit thread JSON ----------------------------------------------------------------------------

def test_reddit_thread_nesting_and_post():
    corpus = read_reddit(FIXTURES / "reddit-thread.json")
    assert links(corpus) == {"c1aaaa": (None, 1), "c2bbbb": ("c1aaaa", 2), "c3cccc": ("c2bbbb", 3),
                             "c4dddd": (None, 1), "c5eeee": (None, 1)}
    thread = corpus.threads.iloc[0]
    assert (thread["thread_id"], thread["title"], thread["post_author"], thread["declared_comments"]) == \
        ("qq1abc", "Which bread keeps longest & why?", "loafwright", 19)
    assert corpus.comments.loc[corpus.comments["is_post_author"], "comment_id"].tolist() == ["c2bbbb"]


def test_reddit_more_stubs_are_skipped_with_their_counts():
    corpus = read_reddit(FIXTURES / "reddit-thread.json")
    assert corpus.skipped["record"].tolist() == ["t1_c9zzzz", "t1_c8xxxx"]
    assert corpus.skipped["reason"].tolist() == ["more stub: 12 comments not loaded",
                                                 "more stub: 3 comments not loaded"]
    assert not corpus.comments["comment_id"].isin(["c9zzzz", "c8xxxx"]).any()


def test_reddit_deleted_and_removed_comments_are_kept_as_given():
    corpus = read_reddit(FIXTURES / "reddit-thread.json")
    deleted, removed = row(corpus, "c3cccc"), row(corpus, "c4dddd")
    assert pd.isna(deleted["author"]) and deleted["text"] == "[deleted]"
    assert removed["author"] == "oven_mitt" and removed["text"] == "[removed]"


def test_reddit_entities_and_times():
    corpus = read_reddit(FIXTURES / "reddit-thread.json")
    assert row(corpus, "c1aaaa")["text"] == "Rye. It stays moist > a week."
    assert row(corpus, "c1aaaa")["created_at"] == utc("2023-11-14 22:15:00")
    assert row(corpus, "c1aaaa")["meta_score"] == 10


def test_reddit_thread_errors_name_the_file(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[{"kind": "Listing", "data": {"children": []}}, {"kind": "t1"}]', encoding="utf-8")
    with pytest.raises(FormatError, match=r"broken\.json, record listing 2: expected Reddit thread JSON"):
        read_reddit(path)
    path.write_text('[{"kind": "Listing",\n "data": }]', encoding="utf-8")
    with pytest.raises(FormatError, match=r"broken\.json, line 2: expected Reddit thread JSON"):
        read_reddit(path)


# -- Reddit dumps ----------------------------------------------------------------------------------

def test_reddit_dump_keeps_each_thread_and_adds_placeholders():
    corpus = read_reddit_dump(FIXTURES / "reddit-dump.ndjson")
    df = corpus.comments.set_index("comment_id")
    assert df["thread_id"].to_dict() == {"d1aaaa": "link01", "d2bbbb": "link01", "gone99": "link01",
                                         "d3cccc": "link01", "d4dddd": "link02", "d5eeee": "link02"}
    assert df.loc["gone99", "is_placeholder"] and pd.isna(df.loc["gone99", "author"])
    assert df.loc["d3cccc", "parent_id"] == "gone99" and df.loc["d3cccc", "depth"] == 2
    assert pd.isna(df.loc["d2bbbb", "author"]) and df.loc["d2bbbb", "text"] == "[removed]"
    assert df.loc["d5eeee", "text"] == "Agreed & seconded."
    assert corpus.threads["thread_id"].tolist() == ["link01", "link02"]


def test_reddit_dump_times_from_numbers_and_digit_strings():
    df = read_reddit_dump(FIXTURES / "reddit-dump.ndjson").comments.set_index("comment_id")
    assert df.loc["d3cccc", "created_at"] == utc("2024-03-09 16:02:00")  # "1710000120" as text
    assert df.loc["d4dddd", "created_at"] == utc("2024-03-09 17:00:00.5")


def test_reddit_dump_is_streamed_from_any_iterable_of_lines():
    lines = (FIXTURES / "reddit-dump.ndjson").read_bytes().splitlines()
    streamed = parse_reddit_dump(iter(lines))
    assert len(streamed.comments) == 6


def test_reddit_dump_reads_zstandard_files(tmp_path):
    zstandard = pytest.importorskip("zstandard")
    path = tmp_path / "RC_sample.ndjson.zst"
    path.write_bytes(zstandard.ZstdCompressor().compress((FIXTURES / "reddit-dump.ndjson").read_bytes()))
    assert detect_format(path) == "reddit-dump"
    plain = read_reddit_dump(FIXTURES / "reddit-dump.ndjson").comments
    pd.testing.assert_frame_equal(read_comments(path).comments[TREE], plain[TREE])


def test_reddit_dump_zst_without_zstandard_says_what_to_install(tmp_path, monkeypatch):
    path = tmp_path / "RC_sample.ndjson.zst"
    path.write_bytes(b"\x28\xb5\x2f\xfd")
    monkeypatch.setitem(sys.modules, "zstandard", None)  # import now fails
    with pytest.raises(DiscourseError, match="zstandard"):
        read_reddit_dump(path)


@pytest.mark.parametrize("bad_line, message", [
    ('{"id": "d3cccc", "parent_id": ', r"line 3: expected a JSON object with 'id'.*not valid JSON"),
    ('["a", "list"]', r"line 3: expected a JSON object with 'id'.*found a JSON list"),
    ('{"id": "d3cccc", "link_id": "t3_link01"}', r"line 3: expected .*'body'; found an object with keys id, link_id"),
])
def test_reddit_dump_malformed_line_names_file_and_line(tmp_path, caplog, bad_line, message):
    path = write_broken(tmp_path, "reddit-dump.ndjson", 3, bad_line)
    assert_skipped_or_strict_error(path, r"reddit-dump\.ndjson, " + message, caplog)


def assert_skipped_or_strict_error(path, message, caplog, skipped=1):
    """One bad record is skipped and reported (read = written + skipped); under strict it is the error."""
    caplog.clear()
    corpus = read_corpus(path)
    assert any(re.search(message + "; skipped$", record.getMessage()) for record in caplog.records), caplog.text
    counts = tally(corpus)
    assert counts.skipped == skipped and counts.balanced and counts.written > 0, counts
    with pytest.raises(FormatError, match=message + "$"):
        read_corpus(path, strict=True)


def test_reddit_dump_repeated_comment_is_skipped():
    lines = (FIXTURES / "reddit-dump.ndjson").read_text(encoding="utf-8").splitlines()
    corpus = parse_reddit_dump(lines + [lines[0]])
    assert len(corpus.comments) == 6
    assert corpus.skipped["reason"].tolist() == ["comment d1aaaa appears again"]


# -- Hacker News JSON ------------------------------------------------------------------------------

def test_hn_algolia_nesting_html_and_deleted():
    corpus = read_hackernews_json(FIXTURES / "hn-algolia.json")
    assert links(corpus) == {"9002": (None, 1), "9003": ("9002", 2), "9004": ("9003", 3), "9005": ("9004", 4),
                             "9006": (None, 1)}
    assert row(corpus, "9002")["text"] == "Why would a kettle need Wi-Fi?\n\nSerious question 'though' & all."
    # HN shortens long link texts; the full address is kept.
    assert row(corpus, "9003")["text"] == "See https://example.com/kettle/why-it-tweets-explained > it's a joke."
    assert row(corpus, "9005")["text"] == 'print("boil")'
    assert not corpus.comments["text"].str.contains(r"<[a-z/]|&#?\w+;", regex=True).any()
    assert pd.isna(row(corpus, "9004")["author"]) and row(corpus, "9004")["text"] == ""
    assert corpus.comments.loc[corpus.comments["is_post_author"], "comment_id"].tolist() == ["9003"]
    assert row(corpus, "9002")["created_at"] == utc("2021-05-04 10:05:00")
    assert corpus.threads[["thread_id", "title", "post_author"]].values.tolist() == \
        [["9001", "Show HN: A kettle that tweets", "quillpen"]]


def test_hn_firebase_threads_deleted_dead_and_absent_parents():
    corpus = read_hackernews_json(FIXTURES / "hn-firebase.jsonl")
    df = corpus.comments.set_index("comment_id")
    assert links(corpus) == {"7002": (None, 1), "7003": ("7002", 2), "7005": ("7003", 3), "7004": (None, 1),
                             "8002": (None, 1), "6501": (None, 1), "6502": ("6501", 2)}
    assert df["thread_id"].to_dict() == {"7002": "7001", "7003": "7001", "7005": "7001", "7004": "7001",
                                         "8002": "8001", "6501": "6501", "6502": "6501"}
    assert df.loc["6501", "is_placeholder"] and not df.loc["6502", "is_placeholder"]
    assert pd.isna(df.loc["7003", "author"]) and df.loc["7003", "meta_deleted"]
    assert df.loc["7004", "meta_dead"] and df.loc["7004", "text"] == "Buy lamps"
    assert df.loc["7002", "text"] == "The one at the end of the pier/jetty."
    assert df.loc["7005", "is_post_author"] and not df.loc["7002", "is_post_author"]
    threads = corpus.threads.set_index("thread_id")
    assert threads["declared_comments"].fillna(-1).to_dict() == {"7001": 4, "8001": 1, "6501": -1}
    assert corpus.skipped["reason"].tolist() == ["not a comment (type 'pollopt')"]


def test_hn_json_errors_name_file_and_line_or_record(tmp_path):
    path = write_broken(tmp_path, "hn-firebase.jsonl", 4, '{"by": "harborlight", "parent": 7003')
    with pytest.warns(UserWarning, match=r"hn-firebase\.jsonl, line 4: expected a Hacker News item.*; skipped"):
        corpus = read_hackernews_json(path)  # one bad line costs that line
    assert corpus.skipped["record"].tolist()[:1] == ["line 4"] and tuple(tally(corpus))[0] == tuple(
        tally(read_hackernews_json(FIXTURES / "hn-firebase.jsonl")))[0]
    with pytest.raises(FormatError, match=r"hn-firebase\.jsonl, line 4: expected a Hacker News item"):
        read_corpus([path], strict=True)
    text = '[{"id": 1, "type": "story"}, {"id": 2, "type": "comment", "by": "ann", "parent": 1}, {"by": "x", "parent": 1}]'
    with pytest.warns(UserWarning, match=r"record item 3: expected a Hacker News item.*keys by, parent; skipped"):
        corpus = parse_hackernews_json(text)  # one bad item costs that item
    assert corpus.comments["comment_id"].tolist() == ["2"] and corpus.skipped["record"].tolist() == ["item 3"]
    assert tuple(tally(corpus)) == (2, 1, 1)
    (tmp_path / "items.json").write_text(text, encoding="utf-8")
    with pytest.raises(FormatError, match=r"items\.json, record item 3: expected a Hacker News item"):
        read_corpus([tmp_path / "items.json"], format="hackernews-json", strict=True)


# -- mbox ------------------------------------------------------------------------------------------

MBOX = FIXTURES / "garden-list.mbox"
#: Every address in the mbox fixture's headers and bodies; none may reach any output.
ADDRESSES = ["ada.quill@example.org", "basil@example.net", "zoe@example.org", "chard@example.com",
             "dill@example.com", "garden@lists.example.net", "ada.quill at example.org"]


def test_mbox_threads_from_in_reply_to_then_references():
    corpus = read_mbox(MBOX)
    assert links(corpus) == {
        "root-1@lists.example.net": (None, 1), "reply-2@mail.example.net": ("root-1@lists.example.net", 2),
        "reply-3@example.org": ("reply-2@mail.example.net", 3),  # References only
        "reply-4@example.com": ("root-1@lists.example.net", 2), "reply-5@example.com": ("reply-2@mail.example.net", 3),
        "lost-9@lists.example.net": (None, 1), "reply-6@lists.example.net": ("lost-9@lists.example.net", 2),
        "root-2@lists.example.net": (None, 1)}
    assert row(corpus, "lost-9@lists.example.net")["is_placeholder"]
    threads = corpus.threads.set_index("thread_id")
    assert threads["title"].to_dict() == {"root-1@lists.example.net": "[garden] When to plant garlic?",
                                          "lost-9@lists.example.net": "[garden] Compost smells",
                                          "root-2@lists.example.net": "Seed swap"}
    assert corpus.comments.groupby("thread_id").size().to_dict() == {
        "root-1@lists.example.net": 5, "lost-9@lists.example.net": 2, "root-2@lists.example.net": 1}
    assert corpus.skipped["reason"].tolist() == ["Message-ID reply-2@mail.example.net appears again"]


def test_mbox_authors_are_display_names_only():
    authors = read_mbox(MBOX).comments.set_index("comment_id")["author"].fillna("-")
    assert authors.to_dict() == {
        "root-1@lists.example.net": "Ada Quill", "reply-2@mail.example.net": "Basil Thorn",
        "reply-3@example.org": "Zoë Fern", "reply-4@example.com": "-", "reply-5@example.com": "-",
        "lost-9@lists.example.net": "-", "reply-6@lists.example.net": "Ada Quill",
        "root-2@lists.example.net": "Basil Thorn"}


def test_mbox_no_email_address_reaches_any_output():
    fixture = MBOX.read_text(encoding="utf-8")
    assert all(address in fixture for address in ADDRESSES)
    corpus = read_mbox(MBOX)
    for frame in (corpus.comments, corpus.threads, corpus.skipped):
        cells = frame.to_csv(index=False)
        assert [address for address in ADDRESSES if address in cells] == []
    assert "[address removed]" in row(corpus, "reply-2@mail.example.net")["text"]


def test_mbox_bodies_and_times():
    corpus = read_mbox(MBOX)
    reply = row(corpus, "reply-2@mail.example.net")
    assert "> When should I plant garlic?" in reply["text"]  # quoted lines kept
    assert "café" in reply["text"]  # quoted-printable decoded
    assert row(corpus, "reply-3@example.org")["text"] == "Only references here, no In-Reply-To."
    assert "\nFrom the seed bank, with love." in row(corpus, "root-2@lists.example.net")["text"]
    assert row(corpus, "root-1@lists.example.net")["created_at"] == utc("2025-03-04 07:15")  # +0200
    assert reply["created_at"] == utc("2025-03-04 15:00")  # -0500
    assert row(corpus, "root-2@lists.example.net")["created_at"] == utc("2025-03-05 12:00")  # no zone: UTC
    assert corpus.comments.loc[corpus.comments["is_post_author"], "comment_id"].tolist() == \
        ["root-1@lists.example.net", "root-2@lists.example.net"]


def test_mbox_without_separator_names_file_and_line(tmp_path):
    path = tmp_path / "list.mbox"
    path.write_text("\nSubject: no separator\n\nbody\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"list\.mbox, line 2: expected an mbox archive starting with a 'From '"):
        read_mbox(path)
    assert len(parse_mbox(MBOX.read_bytes()).comments) == 8


# -- generic JSON Lines ----------------------------------------------------------------------------

def test_jsonl_default_columns():
    corpus = read_jsonl(FIXTURES / "comments.jsonl")
    df = corpus.comments.set_index("comment_id")
    assert links(corpus) == {"k1": (None, 1), "k2": ("k1", 2), "k0": (None, 1), "k3": ("k0", 2), "s1": (None, 1)}
    assert df["thread_id"].to_dict() == {"k1": "kites", "k2": "kites", "k0": "kites", "k3": "kites", "s1": "sails"}
    assert df.loc["k0", "is_placeholder"] and pd.isna(df.loc["k3", "author"])
    assert df.loc["k1", "created_at"] == utc("2024-06-01 08:00")  # +02:00
    assert df.loc["k2", "created_at"] == utc("2024-06-01 08:00")  # unix seconds
    assert df.loc["k1", "meta_likes"] == 3
    assert not any("mail" in name for name in df.columns)
    assert "@" not in corpus.comments.to_csv(index=False)


def test_jsonl_column_mapping():
    mapping = {"id": "comment_id", "reply_to": "parent_id", "user": "author", "posted": "created_at", "body": "text"}
    corpus = read_jsonl(FIXTURES / "custom-fields.jsonl", columns=mapping)
    assert links(corpus) == {"1": (None, 1), "2": ("1", 2)}
    assert corpus.comments["thread_id"].tolist() == ["custom-fields", "custom-fields"]
    assert corpus.comments["author"].tolist() == ["Mara", "Tomas"]
    assert "203.0.113.7" not in corpus.comments.to_csv(index=False)
    assert read_comments(FIXTURES / "custom-fields.jsonl", "jsonl", columns=mapping).comments.equals(corpus.comments)
    # These are the usual names: without the mapping the file reads the same, ints and the ip field included
    assert read_jsonl(FIXTURES / "custom-fields.jsonl").comments.equals(corpus.comments)


@pytest.mark.parametrize("text, message", [
    ('{"comment_id": "a", "text": "ok"}\n{"comment_id": "b"}\n', r"line 2: expected a JSON object with 'comment_id' "
                                                                r"and 'text'; found an object with keys comment_id"),
    ('{"comment_id": "a", "text": "ok"}\nnot json\n', r"line 2: expected .*found 'not json', which is not valid JSON"),
])
def test_jsonl_malformed_record_names_file_and_line(tmp_path, caplog, text, message):
    path = tmp_path / "broken.jsonl"
    path.write_text(text, encoding="utf-8")
    assert_skipped_or_strict_error(path, r"broken\.jsonl, " + message, caplog)


def test_jsonl_unreadable_time_is_blanked_with_a_note(tmp_path, caplog):
    path = tmp_path / "broken.jsonl"
    path.write_text('{"comment_id": "a", "text": "ok"}\n{"comment_id": "b", "text": "ok", "created_at": "someday"}\n',
                    encoding="utf-8")
    message = r"broken\.jsonl, line 2: comment 'b': expected a time .*'someday'"
    corpus = read_corpus(path)
    assert re.search(message + "; its time left blank$", caplog.text.strip()), caplog.text
    assert len(corpus.comments) == 2 and corpus.comments["created_at"].isna().all() and tally(corpus).balanced
    with pytest.raises(FormatError, match=message + "$"):
        read_corpus(path, strict=True)


def test_jsonl_mapping_names_the_expected_fields():
    with pytest.raises(FormatError, match=r"line 1: expected a JSON object with 'id' and 'body'"):
        parse_jsonl(['{"id": 1, "text": "x"}'], columns={"id": "comment_id", "body": "text"})


# -- ConvoKit --------------------------------------------------------------------------------------

CONVOKIT = FIXTURES / "convokit-corpus"


def test_convokit_roots_are_posts_and_replies_to_them_top_level():
    corpus = read_convokit(CONVOKIT)
    assert links(corpus) == {"u1": (None, 1), "u2": ("u1", 2), "u3": ("u2", 3), "u9": (None, 1), "u4": ("u9", 2),
                             "u5": (None, 1)}
    assert corpus.threads[["thread_id", "title", "post_author"]].values.tolist() == [
        ["p1", "Which beehive design?", "keeper"], ["p2", "Smoke or no smoke?", "queenbee"]]
    df = corpus.comments.set_index("comment_id")
    assert pd.isna(df.loc["u3", "author"]) and df.loc["u9", "is_placeholder"]
    assert df.loc["u2", "is_post_author"] and not df.loc["u1", "is_post_author"]
    assert df.loc["u1", "created_at"] == utc("2022-04-15 05:21:00")
    assert df.loc["u1", "meta_score"] == 2
    assert read_convokit(CONVOKIT / "utterances.jsonl").comments.equals(corpus.comments)


def test_convokit_roots_can_stay_comments():
    corpus = read_convokit(CONVOKIT, root_is_post=False)
    assert links(corpus)["p1"] == (None, 1) and links(corpus)["u1"] == ("p1", 2)


def test_convokit_malformed_utterance_names_file_and_line(tmp_path):
    path = write_broken(tmp_path, "convokit-corpus/utterances.jsonl", 3, '{"id": "u2", "speaker": "keeper"}')
    with pytest.warns(UserWarning, match=r"utterances\.jsonl, line 3: expected a ConvoKit utterance.*keys id, spea"):
        corpus = read_convokit(path)  # one bad utterance costs that utterance
    assert corpus.skipped["record"].tolist() == ["line 3"]
    assert tally(corpus).read == tally(corpus).written + tally(corpus).skipped
    with pytest.raises(FormatError, match=r"utterances\.jsonl, line 3: expected a ConvoKit utterance.*keys id, spea"):
        read_corpus([path.parent], strict=True)
    with pytest.raises(DiscourseError, match="expected utterances.jsonl"):
        read_convokit(tmp_path / "nowhere")


def check_convokit_folder(folder):
    """The rules of ConvoKit's documented format that its loader relies on."""
    assert sorted(p.name for p in folder.iterdir()) == [
        "conversations.json", "corpus.json", "index.json", "speakers.json", "utterances.jsonl"]
    utterances = [json.loads(line) for line in (folder / "utterances.jsonl").read_text(encoding="utf-8").splitlines()]
    required = {"id", "speaker", "conversation_id", "reply_to", "timestamp", "text", "meta"}
    assert all(required <= set(u) for u in utterances)
    by_id = {u["id"]: u for u in utterances}
    assert len(by_id) == len(utterances)
    for u in utterances:
        if u["reply_to"] is not None:  # replies stay inside their conversation
            assert by_id[u["reply_to"]]["conversation_id"] == u["conversation_id"]
    roots = {}
    for u in utterances:
        if u["reply_to"] is None:
            roots.setdefault(u["conversation_id"], []).append(u["id"])
    # One root per conversation, whose id is the conversation's id.
    assert all(ids == [conversation] for conversation, ids in roots.items())
    assert set(roots) == {u["conversation_id"] for u in utterances}
    speakers = json.loads((folder / "speakers.json").read_text(encoding="utf-8"))
    assert {u["speaker"] for u in utterances} == set(speakers)
    conversations = json.loads((folder / "conversations.json").read_text(encoding="utf-8"))
    assert set(conversations) == set(roots)
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    assert {"utterances-index", "speakers-index", "conversations-index", "overall-index", "version"} <= set(index)
    assert isinstance(json.loads((folder / "corpus.json").read_text(encoding="utf-8")), dict)


@pytest.mark.parametrize("fixture", FIXTURE_FORMATS)
def test_convokit_write_then_read_gives_the_same_tree(fixture, tmp_path):
    corpus = read_comments(FIXTURES / fixture)
    folder = write_convokit(corpus, tmp_path / "corpus")
    check_convokit_folder(folder)
    back = read_convokit(folder)
    pd.testing.assert_frame_equal(back.comments[TREE], corpus.comments[TREE], check_dtype=False)
    columns = ["thread_id", "title", "url", "post_author", "declared_comments"]
    pd.testing.assert_frame_equal(back.threads[columns], corpus.threads[columns], check_dtype=False)
    for name in [c for c in corpus.comments.columns if c.startswith("meta_") and corpus.comments[c].notna().any()]:
        pd.testing.assert_series_equal(back.comments[name], corpus.comments[name], check_dtype=False)


def test_convokit_writer_drops_personal_meta(tmp_path):
    corpus = read_jsonl(FIXTURES / "comments.jsonl")
    comments = corpus.comments.assign(meta_author_email="skye@example.org", meta_ip="203.0.113.7")
    write_convokit(comments, tmp_path / "corpus")
    written = "".join(path.read_text(encoding="utf-8") for path in (tmp_path / "corpus").iterdir())
    assert "skye@example.org" not in written and "203.0.113.7" not in written
    assert '"likes": 3' in written


def test_convokit_parse_accepts_older_key_names():
    lines = ['{"id": "a", "user": "Ann", "root": "a", "reply-to": null, "timestamp": 0, "text": "post"}',
             '{"id": "b", "user": "Bo", "root": "a", "reply-to": "a", "timestamp": 60, "text": "reply"}']
    corpus = parse_convokit(lines)
    assert links(corpus) == {"b": (None, 1)}
    assert corpus.threads["post_author"].tolist() == ["Ann"]


def test_jsonl_records_with_different_fields_keep_each_value_in_its_row():
    lines = ['{"comment_id": 1, "body": "a", "meta_score": 5}',
             '{"comment_id": 2, "body": "b", "text": "B"}',  # two fields for one column: the later wins
             '{"comment_id": 3, "body": "c", "meta_flair": "x"}']
    df = parse_jsonl(lines, columns={"body": "text"}).comments
    assert df["text"].tolist() == ["a", "B", "c"]
    assert df["meta_score"].tolist()[0] == 5 and pd.isna(df["meta_score"].tolist()[1:]).all()
    assert pd.isna(df["meta_flair"].tolist()[:2]).all() and df["meta_flair"].tolist()[2] == "x"


def test_hn_text_without_markup_reads_as_the_html_parser_reads_it():
    """Texts with no "<" or "&" skip the HTML parser (most of the reading time of a 100,000-item file)."""
    import random

    from discourse.readers import hackernews_json

    pieces = ["a", " ", "\n", "\r\n", "\r", "x y", "\t", "é", "\n\n\n", ";", '"', "\u2028"]
    rng = random.Random(0)
    for _ in range(5_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        parser = hackernews_json._PlainText()
        parser.feed(text)
        parser.close()
        parsed = hackernews_json._BLANK_LINES.sub("\n\n", "".join(parser.parts).replace("\r\n", "\n")).strip()
        assert hackernews_json.html_to_text(text) == parsed, repr(text)


def test_undecodable_header_bytes_of_an_mbox_become_replacement_characters(tmp_path):
    """An email parser keeps a byte that is not UTF-8 as a lone surrogate; pandas' Arrow-backed
    strings refuse those (with pyarrow installed the whole file failed): U+FFFD, noted."""
    path = tmp_path / "list.mbox"
    path.write_bytes(b"From a@b Mon Jan  1 00:00:00 2024\nFrom: An\xffn <a@b>\nSubject: h\xffi\n"
                     b"Message-ID: <1@x>\n\nbad byte \xff here\n")
    corpus = read_corpus(path)
    assert corpus.comments["author"].tolist() == ["An\ufffdn"] and corpus.threads["title"].tolist() == ["h\ufffdi"]
    assert "\ufffd" in corpus.comments["text"].iloc[0]
