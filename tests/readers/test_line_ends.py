"""Line ends: "\\r" alone (old Mac), "\\r\\n" (Windows) and a mix of them read as "\\n" does, in every
reader family; U+2028 and U+2029, which JSON strings may hold as they are, end no line."""

import json
import warnings

import pytest

from discourse import SAMPLE
from discourse.readers import read_corpus
from shared_data import FIXTURES

#: A file of each reader family: JSON Lines, mbox, Hacker News and Reddit JSON, dumps, XML, HTML,
#: platform exports, a plain-text copy and a CSV table with a cell of two lines.
FILES = ["data/comments.jsonl", "data/garden-list.mbox", "data/hn-firebase.jsonl", "data/hn-algolia.json",
         "data/reddit-dump.ndjson", "data/reddit-thread.json", "markup/disqus-export.xml",
         "markup/hackernews-item.html", "markup/wordpress-export.xml", "markup/wordpress-page.html",
         "markup/wordpress-comments.json", "platforms/twitter-flattened.jsonl", "platforms/youtube-pages.jsonl",
         "platforms/stackexchange-Posts.xml", "platforms/mastodon-context.json", "platforms/telegram-result.json",
         "sample", "table.csv"]


def _source(tmp_path, name):
    if name == "sample":
        return SAMPLE
    if name == "table.csv":
        path = tmp_path / "table.csv"
        path.write_bytes(b'comment_id,parent_id,author,text\n1,,ann,"two\nlines"\n2,1,bob,hi\n3,2,cy,yo\n')
        return path
    return FIXTURES / name


def _read(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = read_corpus([path])
    return corpus.comments.drop(columns="thread_id").reset_index(drop=True), corpus.records, len(corpus.skipped)


def _mixed(data):
    pieces = data.split(b"\n")
    ends = [b"\r", b"\r\n", b"\n"]
    return b"".join(piece + ends[n % 3] for n, piece in enumerate(pieces[:-1])) + pieces[-1]


@pytest.mark.parametrize("ends", ["cr", "crlf", "mixed"])
@pytest.mark.parametrize("name", FILES)
def test_every_line_end_reads_as_a_line_feed_does(tmp_path, name, ends):
    source = _source(tmp_path, name)
    data = source.read_bytes()
    changed = {"cr": data.replace(b"\n", b"\r"), "crlf": data.replace(b"\n", b"\r\n"), "mixed": _mixed(data)}[ends]
    assert changed != data
    path = tmp_path / "in" / source.name
    path.parent.mkdir()
    path.write_bytes(changed)
    comments, records, skipped = _read(path)
    expected, expected_records, expected_skipped = _read(source)
    assert (records, skipped) == (expected_records, expected_skipped)
    assert comments.equals(expected)


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x0c", "\x1c"])
def test_unicode_line_separators_inside_json_strings_end_no_record(tmp_path, separator):
    text = f"one{separator}two"
    jsonl = tmp_path / "t.jsonl"
    jsonl.write_text("".join(json.dumps({"comment_id": f"c{i}", "parent_id": "c0" if i else None, "author": "Ann",
                                         "text": text}, ensure_ascii=False) + "\n" for i in range(3)), encoding="utf-8")
    items = tmp_path / "items.jsonl"  # Hacker News items a line: read as one text, split into lines
    items.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in [
        {"id": 1, "type": "story", "by": "op", "time": 1_700_000_000, "title": text},
        {"id": 2, "type": "comment", "by": "ann", "time": 1_700_000_001, "parent": 1, "text": text},
        {"id": 3, "type": "comment", "by": "bob", "time": 1_700_000_002, "parent": 2, "text": text}]),
        encoding="utf-8")
    for path, written in ((jsonl, 3), (items, 2)):
        comments, records, skipped = _read(path)
        assert (records, skipped) == (written, 0)
        assert comments["text"].tolist() == [text] * written
