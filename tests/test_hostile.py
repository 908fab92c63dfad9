"""Hostile and broken input through the command line, as a user meets it: one ``error:`` line and a
non-zero exit, or a correct result; never a traceback, a file outside the output folder, or a hang."""

import json

import pandas as pd
import pytest

from discourse.cli import main
from discourse.model.corpus import safe_name


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


def one_error_line(capsys):
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: "), err
    assert "Traceback" not in err[0]
    return err[0]


@pytest.mark.parametrize("content, message", [
    (b"", "expected comments; the file is empty"),
    (b"   \n\n", "expected comments; the file is empty"),
    (bytes(range(256)) * 4, "could not tell the format"),
    ("Title\n\n1 comments\n\n  1. Jos\xe9\n\n    Hi.\n\n    Reply\n".encode("latin-1"),
     "line 5: expected UTF-8 text; byte 27 (0xe9) is not valid UTF-8"),
    (b'{"comment_id": "a", "text": "hi"}\n{"comment_id": "b", "text": \n', "line 2: expected"),
    (b'<?xml version="1.0"?>\n<!DOCTYPE disqus [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
     b'<disqus xmlns="http://disqus.com"><thread><title>&x;</title></thread></disqus>\n', "refusing it"),
], ids=["empty", "blank", "binary", "latin-1", "truncated-jsonl", "external-entity"])
def test_bad_files_give_one_error_line_naming_the_file(tmp_path, capsys, content, message):
    path = tmp_path / "input.dat"
    path.write_bytes(content)
    assert main(["analyze", str(path), "-o", str(tmp_path / "out")]) == 1
    line = one_error_line(capsys)
    assert line.startswith(f"error: {path}") and message in line
    assert not (tmp_path / "out").exists()


def test_a_folder_is_not_taken_for_a_file(tmp_path, capsys):
    assert main(["analyze", str(tmp_path), "-o", str(tmp_path / "out")]) == 1
    assert "is a folder, not a file" in one_error_line(capsys)


def test_parent_cycles_are_an_error_naming_the_comments(tmp_path, capsys):
    path = write_jsonl(tmp_path / "cycle.jsonl", [
        {"comment_id": "a", "parent_id": "b", "author": "Ann", "text": "x"},
        {"comment_id": "b", "parent_id": "a", "author": "Bob", "text": "y"},
    ])
    assert main(["analyze", str(path), "-o", str(tmp_path / "out")]) == 1
    line = one_error_line(capsys)
    assert line.endswith("cycle.jsonl: reply cycle: a -> b -> a; a comment cannot descend from itself")


#: Thread titles a scraped archive may carry, and the folder each must become inside the output folder.
HOSTILE_THREADS = {"../../escape": "escape", "/etc/passwd": "etc-passwd", "a/b": "a-b", "a\\b": "a-b_",
                   "..": "thread", "CON": "CON_", "con": "con__", ".hidden": "hidden", "x" * 300: "x" * 80}


def test_per_thread_folders_stay_inside_the_output_folder(tmp_path, capsys):
    records = [{"comment_id": f"{n}-{i}", "parent_id": f"{n}-{i - 1}" if i else None, "thread_id": thread,
                "author": ["Ann", "Bob"][i % 2], "text": "the levee and the pumps"}
               for n, thread in enumerate(HOSTILE_THREADS) for i in range(3)]
    (tmp_path / "in").mkdir()
    path = write_jsonl(tmp_path / "in" / "archive.jsonl", records)
    out = tmp_path / "in" / "out"
    assert main(["analyze", str(path), "--per-thread", "-o", str(out), "-q"]) == 0
    assert capsys.readouterr().err == ""
    assert sorted(p.name for p in out.iterdir()) == sorted(HOSTILE_THREADS.values())
    assert sorted(p.name for p in (tmp_path / "in").iterdir()) == ["archive.jsonl", "out"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]
    for thread, folder in HOSTILE_THREADS.items():
        comments = pd.read_csv(out / folder / "comments.csv", dtype=str, keep_default_na=False)
        assert set(comments["thread_id"]) == {thread}  # the folder holds that thread, named in full inside


@pytest.mark.parametrize("title, slug", [("Ünïcode Thread!", "Unicode-Thread"), ("", "thread"), ("nul.txt", "nul.txt_"),
                                         ("COM1", "COM1_"), ("console", "console"), ("a..b", "a..b")])
def test_safe_name(title, slug):
    assert safe_name(title) == slug


def test_a_reply_chain_ten_thousand_deep_is_analyzed_end_to_end(tmp_path):
    depth = 10_000
    path = write_jsonl(tmp_path / "deep.jsonl", [
        {"comment_id": f"c{i}", "parent_id": f"c{i - 1}" if i else None, "author": ["Ann", "Bob", "Cy"][i % 3],
         "text": f"point {i} on the levee"} for i in range(depth)])
    assert main(["analyze", str(path), "-o", str(tmp_path / "out"), "-q"]) == 0
    comments = pd.read_csv(tmp_path / "out" / "comments.csv")
    assert len(comments) == depth and comments["depth"].max() == depth
    replies = pd.read_csv(tmp_path / "out" / "replies.csv")
    reply_weights = replies[replies["kind"] == "reply"].set_index(["source", "target"])["weight"]
    # Bob answers Ann, Cy answers Bob, Ann answers Cy, each a third of the 9,999 replies.
    assert reply_weights.to_dict() == {("Bob", "Ann"): 3333, ("Cy", "Bob"): 3333, ("Ann", "Cy"): 3333}
