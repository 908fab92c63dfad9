"""One's own tables: the usual CSV headers without a mapping, --columns for CSV and JSON Lines,
errors naming the file's own header; convert -o - to standard output."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from discourse import read_corpus
from discourse.cli import main
from discourse.exceptions import DiscourseError, FormatError, OptionsError
from discourse.readers import detect_format
from discourse.readers.table import header_mapping, parse_column_mapping

OWN = "id,parent,user,body\n1,,ann,Is this thing on?\n2,1,bo,Yes it is.\n3,2,ann,Great thanks\n4,,cy,Another topic\n"
ODD = "key,reply,who,words\n1,,ann,Is this thing on?\n2,1,bo,Yes it is.\n"
ODD_MAP = {"key": "comment_id", "reply": "parent_id", "who": "author", "words": "text"}


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _tree(corpus):
    c = corpus.comments
    return list(zip(c["comment_id"], c["parent_id"].fillna("-"), c["author"].fillna("-"), c["thread_id"]))


def test_id_parent_user_body_is_detected_and_read_without_a_mapping(tmp_path):
    path = _write(tmp_path, "comments.csv", OWN)
    assert detect_format(path) == "csv"
    corpus = read_corpus(path)
    assert _tree(corpus) == [("1", "-", "ann", "comments"), ("2", "1", "bo", "comments"),
                             ("3", "2", "ann", "comments"), ("4", "-", "cy", "comments")]
    assert corpus.comments["text"].tolist()[1] == "Yes it is."


def test_the_same_table_with_an_explicit_mapping_reads_the_same(tmp_path):
    path = _write(tmp_path, "comments.csv", OWN)
    mapped = read_corpus(path, columns={"id": "comment_id", "parent": "parent_id", "user": "author", "body": "text"})
    assert _tree(mapped) == _tree(read_corpus(path))


def test_other_names_need_columns_and_the_error_names_the_files_header(tmp_path):
    path = _write(tmp_path, "mine.csv", ODD)
    with pytest.raises(FormatError) as error:
        read_corpus(path, format="csv")
    message = str(error.value)
    assert message.startswith(f"{path}, line 1: the table has columns key, reply, who, words; missing a comment id "
                              "column and a comment text column: pass --columns HEADER=comment_id,HEADER=text")
    # schema names appear only as what to map to, never as columns of the file
    assert "has columns key, reply, who, words;" in message and "thread_id" not in message
    assert _tree(read_corpus(path, columns=ODD_MAP)) == [("1", "-", "ann", "mine"), ("2", "1", "bo", "mine")]


def test_only_the_text_column_missing_is_named_alone(tmp_path):
    path = _write(tmp_path, "mine.csv", "id,user,words\n1,ann,hi\n")
    with pytest.raises(FormatError, match="has columns id, user, words; missing a comment text column: "
                                          "pass --columns HEADER=text"):
        read_corpus(path, format="csv")


def test_a_mapped_column_the_header_lacks_is_named(tmp_path):
    path = _write(tmp_path, "mine.csv", ODD)
    with pytest.raises(FormatError, match="has columns key, reply, who, words; the column mapping .* names nope"):
        read_corpus(path, columns={"nope": "comment_id", "words": "text"})


@pytest.mark.parametrize("header, expected", [
    (["Comment ID", "In-Reply-To", "Username", "Message", "Timestamp", "Post ID"],
     {"Comment ID": "comment_id", "In-Reply-To": "parent_id", "Username": "author", "Message": "text",
      "Timestamp": "created_at", "Post ID": "thread_id"}),
    (["id", "comment_id", "text", "body"], {"comment_id": "comment_id", "text": "text"}),  # the schema name wins
    (["id", "name", "content", "meta_score", "likes"],
     {"id": "comment_id", "name": "author", "content": "text", "meta_score": "meta_score"}),
])
def test_usual_headers(header, expected):
    assert header_mapping(header) == expected


def test_a_mapping_overrides_the_usual_names():
    assert header_mapping(["id", "body", "summary"], {"summary": "text"}) == {"id": "comment_id", "summary": "text"}


def test_unix_seconds_in_a_time_column_are_read(tmp_path):
    path = _write(tmp_path, "t.csv", "id,body,created_utc\n1,hi,1700000000\n2,yo,\n")
    times = read_corpus(path).comments["created_at"]
    assert times.iloc[0] == pd.Timestamp("2023-11-14T22:13:20Z") and pd.isna(times.iloc[1])


def test_semicolon_tables_with_usual_names(tmp_path):
    path = _write(tmp_path, "t.csv", "id;parent;user;body\n1;;ann;hi, there\n2;1;bo;yes\n")
    assert detect_format(path) == "csv"
    assert read_corpus(path).comments["text"].tolist() == ["hi, there", "yes"]


def test_json_lines_with_a_mapping(tmp_path):
    path = _write(tmp_path, "mine.jsonl", '{"key": 1, "who": "ann", "words": "Hi"}\n'
                                          '{"key": 2, "reply": 1, "who": "bo", "words": "Hello"}\n')
    assert _tree(read_corpus(path, columns=ODD_MAP)) == [("1", "-", "ann", "mine"), ("2", "1", "bo", "mine")]


REDDIT = ('[{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {"id": "p1", "title": "T"}}]}}, '
          '{"kind": "Listing", "data": {"children": [{"kind": "t1", "data": {"id": "c1", "parent_id": "t3_p1", '
          '"link_id": "t3_p1", "author": "ann", "body": "hi", "replies": ""}}]}}]')


@pytest.mark.parametrize("text, reads_as", [(REDDIT, "reddit"), ('[{"kind": "Listing"}]', "JSON")])
def test_a_mapping_for_a_file_that_is_no_table_is_refused(tmp_path, text, reads_as):
    path = _write(tmp_path, "t.json", text)
    with pytest.raises(DiscourseError, match=f"applies to the table formats csv and jsonl; this file reads as {reads_as}"):
        read_corpus(path, columns={"id": "comment_id"})


@pytest.mark.parametrize("text, message", [
    ("id", "expected FILE_COLUMN=COLUMN pairs"),
    ("id=txt", "'txt' is not a column discourse reads"),
    ("comment_id=id", r"write FILE_COLUMN=COLUMN: id=comment_id\?"),
    ("a=text,b=text", "text named for more than one column"),
])
def test_bad_mappings(text, message):
    with pytest.raises(OptionsError, match=message):
        parse_column_mapping(text)


def test_columns_on_the_command_line(tmp_path, capsys):
    path = _write(tmp_path, "mine.csv", ODD)
    assert main(["analyze", str(path), "-o", str(tmp_path / "no")]) == 1
    assert "could not tell the format" in capsys.readouterr().err
    out = tmp_path / "c.csv"
    assert main(["convert", str(path), "--columns", "key=comment_id,reply=parent_id,who=author,words=text",
                 "-o", str(out), "-q"]) == 0
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert table[["comment_id", "parent_id", "author"]].values.tolist() == [["1", "", "ann"], ["2", "1", "bo"]]
    assert main(["inspect", str(path), "--columns", "key=comment_id,words=text"]) == 0
    assert "Is this thing on?" in capsys.readouterr().out


def test_convert_to_standard_output_writes_no_file_named_dash(tmp_path):
    path = _write(tmp_path, "comments.csv", OWN)
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-m", "discourse", "convert", str(path), "-o", "-"], cwd=tmp_path,
                          capture_output=True, env={"PYTHONPATH": str(root), "PATH": ""}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "-").exists()
    lines = done.stdout.decode("utf-8").splitlines()
    assert lines[0].startswith("comment_id,") and len(lines) == 5
    assert "read 4 records: 4 comments written, 0 skipped, 0 filtered out" in done.stderr.decode()
    assert "comment_id," not in done.stderr.decode()  # the table goes to stdout only


def test_convokit_to_standard_output_is_refused(tmp_path, capsys):
    path = _write(tmp_path, "comments.csv", OWN)
    assert main(["convert", str(path), "--to", "convokit", "-o", "-"]) == 1
    assert "standard output takes only --to csv" in capsys.readouterr().err
    assert not (tmp_path / "-").exists() and not Path("-").exists()


def test_a_table_without_usual_names_says_what_it_has(tmp_path):
    path = _write(tmp_path, "mine.csv", ODD)
    with pytest.raises(FormatError, match="looks like a table with columns key, reply, who, words, none of them"):
        detect_format(path)
    with pytest.raises(FormatError, match="expected one of"):  # not a table: the formats are listed
        detect_format(_write(tmp_path, "x.txt", "just some words\n"))


def test_json_lines_with_the_usual_names_are_detected_and_read_as_a_csv_header_would_be(tmp_path):
    """`id`/`message`/`user` read as comment_id/text/author; a `reply_to` first seen in the second
    record is the parent; a later record lacking the id is skipped with its line, not the file."""
    path = tmp_path / "export.jsonl"
    path.write_text('{"id": "1", "message": "Trams again?", "user": "ann", "likes": 3}\n'
                    '{"id": "2", "message": "Yes, trams.", "user": "bob", "reply_to": "1"}\n'
                    '{"message": "no id here", "user": "cy"}\n', encoding="utf-8")
    from discourse.readers import detect_format
    assert detect_format(path) == "jsonl"
    corpus = read_corpus(path)
    assert corpus.skipped["record"].tolist() == ["line 3"]
    assert corpus.skipped["reason"].str.startswith("expected a JSON object with 'id' and 'message'").all()
    comments = corpus.comments
    assert comments["comment_id"].tolist() == ["1", "2"] and comments["author"].tolist() == ["ann", "bob"]
    assert comments["parent_id"].tolist()[1] == "1" and comments["text"].tolist() == ["Trams again?", "Yes, trams."]
    assert "likes" not in comments and corpus.records == 3 and len(corpus.skipped) == 1


def test_json_lines_a_bad_record_after_comments_csv_names_does_not_change_the_mapping(tmp_path):
    path = tmp_path / "own.jsonl"
    path.write_text('{"comment_id": "a", "text": "x", "author": "z"}\n{"id": "b", "body": "y"}\n'
                    '{"comment_id": "c", "text": "w", "author": "q"}\n', encoding="utf-8")
    corpus = read_corpus(path)
    assert corpus.comments["comment_id"].tolist() == ["a", "c"] and corpus.skipped["record"].tolist() == ["line 2"]
    assert corpus.skipped["reason"].str.startswith("expected a JSON object with 'comment_id' and 'text'").all()
