"""Deleted and removed comments: stand-in texts blanked, text_status filled (discourse.model.deleted)."""

import json

import pandas as pd
import pytest

from discourse import read_corpus
from discourse.cli import main
from discourse.model.deleted import mark_text_status
from discourse.model.tree import complete_tree


def _comment(id_, parent, author, body):
    return {"kind": "t1", "data": {"id": id_, "parent_id": parent, "link_id": "t3_p1", "author": author, "body": body,
                                   "created_utc": 1700000000, "replies": ""}}


# An invented Reddit thread: a live comment, one deleted by its author, one removed by moderators,
# one Reddit removed, and a reply to the deleted one.
REDDIT = [
    {"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {"id": "p1", "title": "Post", "author": "op",
                                                                      "num_comments": 5}}]}},
    {"kind": "Listing", "data": {"children": [
        _comment("c1", "t3_p1", "ann", "Hello there"),
        _comment("c2", "t3_p1", "[deleted]", "[deleted]"),
        _comment("c3", "t1_c2", "bo", "Replying to a deleted comment"),
        _comment("c4", "t3_p1", "[deleted]", "[removed]"),
        _comment("c5", "t3_p1", "cy", "[ Removed by Reddit ]"),
        _comment("c6", "t1_gone", "dee", "My parent is not in the page"),
    ]}},
]


@pytest.fixture
def reddit(tmp_path):
    path = tmp_path / "thread.json"
    path.write_text(json.dumps(REDDIT), encoding="utf-8")
    return path


def test_reddit_stand_ins_become_missing_text_with_a_status(reddit):
    comments = read_corpus(reddit).comments.set_index("comment_id")
    assert comments["text_status"].to_dict() == {"c1": "present", "c2": "deleted", "c3": "present",
                                                 "c4": "removed", "c5": "removed", "gone": "missing", "c6": "present"}
    assert comments.loc[["c2", "c4", "c5"], "text"].tolist() == ["", "", ""]
    assert comments.loc["c1", "text"] == "Hello there"
    assert not comments["is_placeholder"][["c2", "c4", "c5"]].any()  # they keep their place as comments
    assert comments.loc["c3", "parent_id"] == "c2"


def test_comments_csv_has_text_status_and_reads_back(reddit, tmp_path):
    out = tmp_path / "out"
    assert main(["analyze", str(reddit), "-o", str(out), "-q"]) == 0
    table = pd.read_csv(out / "comments.csv", dtype=str, keep_default_na=False)
    columns = list(table.columns)
    assert columns.index("text_status") == columns.index("topic_label") + 1  # after the documented ones
    assert "[deleted]" not in (out / "comments.csv").read_text(encoding="utf-8")
    assert "[removed]" not in (out / "comments.csv").read_text(encoding="utf-8")
    again = read_corpus(out / "comments.csv").comments.set_index("comment_id")
    assert again.loc["c2", "text_status"] == "deleted" and again.loc["c4", "text_status"] == "removed"


def test_no_export_names_a_speaker_deleted(reddit, tmp_path):
    corpus_dir = tmp_path / "corpus"
    assert main(["convert", str(reddit), "--to", "convokit", "-o", str(corpus_dir), "-q"]) == 0
    utterances = [json.loads(line) for line in (corpus_dir / "utterances.jsonl").read_text(encoding="utf-8").splitlines()]
    speakers = {u["id"]: u["speaker"] for u in utterances}
    assert "[deleted]" not in set(speakers.values())
    assert speakers["gone"] == "(unknown)" and speakers["c2"] == "(unknown)"
    assert "[deleted]" not in json.loads((corpus_dir / "speakers.json").read_text(encoding="utf-8"))
    meta = {u["id"]: u["meta"] for u in utterances}
    assert meta["c2"]["discourse_text_status"] == "deleted" and "discourse_text_status" not in meta["c1"]
    back = read_corpus(corpus_dir).comments.set_index("comment_id")
    assert back["author"][["c2", "gone"]].isna().all()
    assert back.loc["c4", "text_status"] == "removed"


@pytest.mark.parametrize("text, status", [
    ("[deleted]", "deleted"), (" [Deleted] ", "deleted"), ("(post deleted by author)", "deleted"),
    ("[removed]", "removed"), ("[removed by moderator]", "removed"), ("[ Removed by Reddit ]", "removed"),
    ("[dead]", "removed"), ("[flagged]", "removed"),
    ("[deleted] but I said more", "present"), ("I [removed] it", "present"), ("", "present"),
])
def test_stand_in_texts(text, status):
    table = complete_tree(pd.DataFrame({"comment_id": ["a"], "thread_id": "t", "parent_id": [None],
                                        "author": ["x"], "text": [text]}))
    marked = mark_text_status(table)
    assert marked["text_status"].tolist() == [status]
    assert marked["text"].tolist() == ([""] if status != "present" else [text])


def test_reader_flags_on_empty_texts():
    table = complete_tree(pd.DataFrame({
        "comment_id": ["a", "b", "c", "d"], "thread_id": "t", "parent_id": [None] * 4, "author": [None] * 4,
        "text": ["", "", "", "kept words"], "meta_deleted": [True, False, False, True],
        "meta_removed": [False, True, False, False], "meta_status": [None, None, "flagged", None]}))
    assert mark_text_status(table)["text_status"].tolist() == ["deleted", "removed", "removed", "present"]
