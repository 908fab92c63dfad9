"""Hostile and broken input through the command line, as a user meets it: one ``error:`` line and a
non-zero exit, or a correct result; never a traceback, a file outside the output folder, or a hang."""

import json
import re

import pandas as pd
import pytest

from discourse.cli import main
from discourse.model.corpus import safe_name
from discourse.readers import _io, read_comments
from shared_data import FIXTURES


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
    (b'<?xml version="1.0"?>\n<!DOCTYPE disqus [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
     b'<disqus xmlns="http://disqus.com"><thread><title>&x;</title></thread></disqus>\n', "refusing it"),
], ids=["empty", "blank", "binary", "latin-1", "external-entity"])
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
HOSTILE_THREADS = {"../../escape": "escape", "/etc/passwd": "etc-passwd", "a/b": "a-b", "a\\b": "a-b-2",
                   "..": "thread", "CON": "CON_", "con": "con_-2", ".hidden": "hidden", "x" * 300: "x" * 60}


def test_per_thread_folders_stay_inside_the_output_folder(tmp_path, capsys):
    records = [{"comment_id": f"{n}-{i}", "parent_id": f"{n}-{i - 1}" if i else None, "thread_id": thread,
                "author": ["Ann", "Bob"][i % 2], "text": "the levee and the pumps"}
               for n, thread in enumerate(HOSTILE_THREADS) for i in range(3)]
    (tmp_path / "in").mkdir()
    path = write_jsonl(tmp_path / "in" / "archive.jsonl", records)
    out = tmp_path / "in" / "out"
    assert main(["analyze", str(path), "--per-thread", "-o", str(out), "-q"]) == 0
    assert capsys.readouterr().err == ""
    assert sorted(p.name for p in out.iterdir()) == sorted([*HOSTILE_THREADS.values(), "index.csv", "index.html"])
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


def counts_in_report(out):
    """(read, written, skipped) as report.md states them, checked to balance."""
    found = re.search(r"Read ([\d,]+) records: ([\d,]+) written as comments and ([\d,]+) skipped \(read = written "
                      r"\+ skipped\)", (out / "report.md").read_text(encoding="utf-8"))
    assert found, "report.md does not say read = written + skipped"
    read, written, skipped = (int(n.replace(",", "")) for n in found.groups())
    assert read == written + skipped
    return read, written, skipped


def analyze(tmp_path, path, *options, out="out"):
    out = tmp_path / out
    code = main(["analyze", str(path), "-o", str(out), "-q", *options])
    return code, out


# -- nobody named -------------------------------------------------------------------------------

NO_AUTHORS = {
    "deleted.jsonl": "".join(json.dumps(r) + "\n" for r in [
        {"comment_id": "a", "author": "[deleted]", "text": "the levee held"},
        {"comment_id": "b", "parent_id": "a", "author": None, "text": "the pumps failed"},
        {"comment_id": "c", "parent_id": "a", "author": "", "text": "the dam"}]),
    "header.csv": "comment_id,parent_id,author,text\n",
    "noname.mbox": "From a Mon Jan  1 00:00:00 2024\nFrom: a@example.com\nSubject: levee\nMessage-ID: <1@x>\n"
                   "Date: Mon, 1 Jan 2024 00:00:00 +0000\n\nthe levee held\n\n"
                   "From b Mon Jan  1 00:00:00 2024\nFrom: b@example.com\nSubject: Re: levee\nMessage-ID: <2@x>\n"
                   "In-Reply-To: <1@x>\nDate: Mon, 1 Jan 2024 01:00:00 +0000\n\nthe pumps failed\n",
    "placeholders.jsonl": json.dumps({"comment_id": "b", "parent_id": "a", "author": None, "text": "",
                                      "is_placeholder": True}) + "\n",
}


@pytest.mark.parametrize("name", NO_AUTHORS)
def test_no_author_anywhere_gives_an_empty_sound_analysis(tmp_path, capsys, name):
    path = tmp_path / name
    path.write_text(NO_AUTHORS[name], encoding="utf-8")
    code, out = analyze(tmp_path, path)
    assert code == 0, capsys.readouterr().err
    commenters = pd.read_csv(out / "commenters.csv")
    assert commenters.empty
    read, written, skipped = counts_in_report(out)
    assert skipped == 0 and written == len(pd.read_csv(out / "comments.csv").query("not is_placeholder"))


# -- patterns in linear time ----------------------------------------------------------------------

#: Runs of every character class the text scans match (marks, quotes, spaces, line breaks, word
#: characters, "@", dashes, apostrophes): each quadratic pattern took minutes on runs this long.
LONG_RUNS = [".", "!?", "\u201e", "\u201c", "\u00ab", "\u2018", '"', ">", " ", "\n", " \n", "x", "@", "-", "'", "_",
             "\u2014", "\u2026", "www.", "a@", "\t"]
RUN = 100_000


def test_long_runs_of_every_character_class_are_analyzed(tmp_path, capsys):
    texts = ["the levee held", *((run * RUN)[:RUN] for run in LONG_RUNS), "x" * RUN + "@b", "pumps failed"]
    records = [{"comment_id": f"c{i}", "parent_id": "c0" if i else None, "author": ["Ann", "Bob", "Cy"][i % 3],
                "text": text} for i, text in enumerate(texts)]
    records.append({"comment_id": "spaced", "parent_id": "c0", "author": "a" + " " * RUN + "b", "text": "hello"})
    path = write_jsonl(tmp_path / "runs.jsonl", records)
    code, out = analyze(tmp_path, path, "--edges", "reply,mention,quote")
    assert code == 0, capsys.readouterr().err
    assert counts_in_report(out) == (len(records), len(records), 0)


def test_the_linear_scans_match_the_patterns_they_replace():
    """The quoted spans, sentence marks and mail addresses found as the original regular
    expressions found them, on random strings over the characters that matter."""
    import random

    from discourse.network.quotes import own_text
    from discourse.topics import phrases, tokens

    quoted = re.compile(r"“[^”]*”|\"[^\"\n]*\"|«[^»]*»|„[^“”]*[“”]|(?<!\w)‘[^‘’\n]{1,400}’(?!\w)|^\s*>.*$", re.M)
    address = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+")
    token = re.compile(r"""([^\W_](?:[\w'\-]*[^\W_])?)|([.!?]+(?=\s|$)|\n)"""
                       r"""|([,;:()\[\]{}"“”«»„…|/\\.!?]|\s[-–—]+\s|[–—]|(?<!\w)'|'(?!\w))""")
    separator, *stand_ins = "\x02\x03\x04\x05"
    no_sentence, _ = tokens._patterns(separator, "".join(stand_ins))
    spelled = str.maketrans(dict(zip(".!?", stand_ins)))
    pieces = list("“”\"«»„‘’> \n\ta.!?@_'-") + ["www.", "http://", "b.c"]
    rng = random.Random(0)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        assert own_text(text) == (quoted.sub("\n", text) if quoted.search(text) else text), text
        assert phrases._URL.sub(" . ", text) == address.sub(" . ", text), text
        assert phrases._TOKEN.findall(text) == token.findall(text), text
        expected = text
        for mark, stand_in in zip(".!?", stand_ins):
            expected = re.sub(re.escape(mark) + rf"(?=[.!?]*[^\s.!?{separator}])", stand_in, expected)
        assert no_sentence.sub(lambda run: run[0].translate(spelled), text) == expected, text


# -- one bad record costs that record ----------------------------------------------------------------

def test_bad_records_and_times_cost_only_themselves(tmp_path, capsys, caplog):
    good = [json.dumps({"comment_id": f"g{i}", "parent_id": "g0" if i else None, "author": ["Ann", "Bob"][i % 2],
                        "text": "the levee held", "created_at": 1_700_000_000 + i}) for i in range(3)]
    blanked = ['{"comment_id": "s", "parent_id": "g0", "author": "Cy", "text": "lone \\ud800 surrogate"}',
               '{"comment_id": "n", "parent_id": "g0", "author": "Cy", "text": "x", "meta_score": NaN}',
               '{"comment_id": "d", "parent_id": "g0", "author": "Cy", "text": "x", "meta_score": ' + "9" * 5000 + "}"]
    times = ["9999-12-31T23:59:59Z", -99_999_999_999, 1_700_000_000_000, "2024-02-30", "0001-01-01"]
    blanked += [json.dumps({"comment_id": f"t{i}", "parent_id": "g0", "author": "Di", "text": "x", "created_at": t})
                for i, t in enumerate(times)]
    skipped = ['{"comment_id": "cut", "text": ', "[1, 2]", '{"comment_id": "nobody"}', "[" * 2000 + "]" * 2000]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(good + blanked + skipped) + "\n", encoding="utf-8")
    code, out = analyze(tmp_path, path)
    err = capsys.readouterr().err
    assert code == 0, err
    assert "more problems like these" in caplog.text and "error" not in err
    assert counts_in_report(out) == (len(good + blanked + skipped), len(good + blanked), len(skipped))
    comments = pd.read_csv(out / "comments.csv", dtype=str, keep_default_na=False)
    assert comments.set_index("comment_id").loc["s", "text"] == "lone \ufffd surrogate"
    assert (comments.set_index("comment_id").loc[[f"t{i}" for i in range(len(times))], "created_at"] == "").all()
    assert analyze(tmp_path, path, "--strict", out="strict")[0] == 1
    line = one_error_line(capsys)
    assert line.startswith(f"error: {path}, line 4: the record holds a lone surrogate")


def test_json_nested_beyond_the_parser_is_said_so(tmp_path, capsys):
    depth = 300  # levels of replies: about 1,800 levels of JSON (written as text: json.dumps recurses)
    opening = ''.join('{"kind": "t1", "data": {"id": "c%d", "author": "Ann", "body": "x", '
                      '"replies": {"kind": "Listing", "data": {"children": [' % level for level in range(depth))
    page = ('[{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {"id": "s", "title": "Deep"}}]}}, '
            '{"kind": "Listing", "data": {"children": [' + opening + "]}}}}" * depth + "]}}]")
    path = tmp_path / "deep.json"
    path.write_text(page, encoding="utf-8")
    assert analyze(tmp_path, path)[0] == 1
    line = one_error_line(capsys)
    assert line.startswith(f"error: {path}") and "nested deeper than 1,024 levels" in line


def test_real_nesting_depths_read(tmp_path, capsys):
    """A Reddit page's 10 levels and a Hacker News thread 300 replies deep (Algolia nests each in children)."""
    story = {"id": 1, "type": "story", "author": "op", "title": "Deep", "story_id": 1, "created_at_i": 1, "children": []}
    children = story["children"]
    for depth in range(300):
        item = {"id": depth + 2, "type": "comment", "author": ["ann", "bob"][depth % 2], "story_id": 1,
                "parent_id": depth + 1, "created_at_i": depth + 2, "text": "the levee", "children": []}
        children.append(item)
        children = item["children"]
    path = tmp_path / "algolia.json"
    path.write_text(json.dumps(story), encoding="utf-8")
    code, out = analyze(tmp_path, path)
    assert code == 0, capsys.readouterr().err
    assert pd.read_csv(out / "comments.csv")["depth"].max() == 300
    assert counts_in_report(out) == (300, 300, 0)


def test_a_firebase_chain_reads_to_its_story(tmp_path, capsys):
    depth = 3000
    items = [{"id": 0, "type": "story", "by": "op", "time": 1, "title": "Deep", "kids": [1], "descendants": depth}]
    items += [{"id": i, "type": "comment", "by": ["ann", "bob", "cy"][i % 3], "time": i + 1, "parent": i - 1,
               "kids": [i + 1], "text": f"point {i}"} for i in range(1, depth + 1)]
    path = tmp_path / "firebase.jsonl"
    path.write_text("".join(json.dumps(item) + "\n" for item in reversed(items)), encoding="utf-8")
    code, out = analyze(tmp_path, path)
    assert code == 0, capsys.readouterr().err
    comments = pd.read_csv(out / "comments.csv", dtype={"thread_id": str})
    assert set(comments["thread_id"]) == {"0"} and comments["depth"].max() == depth
    assert counts_in_report(out) == (depth, depth, 0)


# -- compressed dumps ----------------------------------------------------------------------------------

def dump_lines(first, last, body="the levee held"):
    return "".join(json.dumps({"id": f"c{i}", "parent_id": "t3_s", "link_id": "t3_s", "author": ["ann", "bob"][i % 2],
                               "body": body, "created_utc": 1_700_000_000 + i}) + "\n"
                   for i in range(first, last)).encode()


def test_zst_dumps_read_every_frame_and_a_cut_one_is_truncated(tmp_path, capsys):
    zstandard = pytest.importorskip("zstandard")
    compress = zstandard.ZstdCompressor().compress
    data = compress(dump_lines(0, 5)) + compress(dump_lines(5, 12))
    path = tmp_path / "RC.zst"
    path.write_bytes(data)
    code, out = analyze(tmp_path, path)
    assert code == 0, capsys.readouterr().err
    assert counts_in_report(out) == (12, 12, 0)
    path.write_bytes(data[:-9])
    assert analyze(tmp_path, path, out="cut")[0] == 1
    line = one_error_line(capsys)
    assert line.startswith(f"error: {path}") and "truncated" in line


def test_a_line_over_the_record_limit_is_skipped_with_bounded_reading(tmp_path, capsys, caplog, monkeypatch):
    zstandard = pytest.importorskip("zstandard")
    monkeypatch.setattr(_io, "MAX_RECORD_BYTES", 4096)
    monkeypatch.setattr(_io, "_CHUNK", 1000)  # the long line spans many chunks
    big = dump_lines(99, 100, body="y " * 10_000)
    path = tmp_path / "RC.zst"
    path.write_bytes(zstandard.ZstdCompressor().compress(dump_lines(0, 2) + b"\n" * 50_000 + big + dump_lines(2, 4)))
    code, out = analyze(tmp_path, path)
    err = capsys.readouterr().err
    assert code == 0, err
    assert "line 50003: expected a JSON object" in caplog.text
    assert "more than the 4,096 bytes a record may hold; skipped" in caplog.text
    assert counts_in_report(out) == (5, 4, 1)
    assert analyze(tmp_path, path, "--strict", out="strict")[0] == 1
    assert "line 50003" in one_error_line(capsys)


# -- tables, depth numbers, dates and names --------------------------------------------------------

CSV_ROWS = [("1", "", "Ann", "the levee"), ("2", "1", "Bob", "the pumps"), ("3", "2", "Cy", "the dam")]


@pytest.mark.parametrize("delimiter, encoding", [(";", "utf-8"), ("\t", "utf-8"), (",", "utf-16"), (";", "utf-16")])
def test_csv_with_other_delimiters_and_utf16_is_read(tmp_path, capsys, delimiter, encoding):
    path = tmp_path / "table.csv"
    lines = [delimiter.join(("comment_id", "parent_id", "author", "text"))] + [delimiter.join(r) for r in CSV_ROWS]
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    code, out = analyze(tmp_path, path)
    assert code == 0, capsys.readouterr().err
    assert counts_in_report(out) == (3, 3, 0)
    replies = pd.read_csv(out / "replies.csv")
    assert set(zip(replies["source"], replies["target"])) == {("Bob", "Ann"), ("Cy", "Bob")}


def test_csv_rows_longer_than_the_header_are_an_error_naming_the_line(tmp_path, capsys):
    path = tmp_path / "table.csv"
    path.write_text("comment_id,parent_id,author,text\n" + "".join(",".join(r) + ",x1,x2\n" for r in CSV_ROWS))
    assert analyze(tmp_path, path)[0] == 1
    assert one_error_line(capsys) == f"error: {path}, line 2: expected 4 fields on every line, as the header has; " \
                                     "found 6 on this one"


def test_ids_written_as_floats_read_as_the_same_ids(tmp_path, capsys):
    path = tmp_path / "table.csv"
    path.write_text("comment_id,parent_id,author,text\n1,,Ann,the levee\n2,1.0,Bob,the pumps\n3,2.0,Cy,the dam\n")
    code, out = analyze(tmp_path, path)
    assert code == 0, capsys.readouterr().err
    comments = pd.read_csv(out / "comments.csv", dtype=str, keep_default_na=False)
    assert comments["parent_id"].tolist() == ["", "1", "2"] and not (comments["is_placeholder"] == "True").any()
    assert len(pd.read_csv(out / "replies.csv")) == 2


@pytest.mark.parametrize("fixture, before, after", [
    ("hackernews-item.html", 'indent="0"', 'indent="3000000"'),
    ("hackernews-item.html", 'indent="0"', 'indent="' + "9" * 5000 + '"'),
    ("wordpress-page.html", "depth-1", "depth-3000000"),
], ids=["hn-indent", "hn-indent-5000-digits", "wordpress-depth"])
def test_a_depth_jump_adds_at_most_the_documented_placeholders(tmp_path, capsys, caplog, fixture, before, after):
    from discourse.readers._markup import MAX_MISSING_LEVELS
    page = (FIXTURES / "markup" / fixture).read_text(encoding="utf-8")
    path = tmp_path / fixture
    path.write_text(page.replace(before, after, 1), encoding="utf-8")
    code, out = analyze(tmp_path, path)
    assert code == 0, capsys.readouterr().err
    assert f"below the comment before it; placed {MAX_MISSING_LEVELS} levels below it" in caplog.text
    comments = pd.read_csv(out / "comments.csv")
    original = tmp_path / ("plain-" + fixture)
    original.write_text(page, encoding="utf-8")
    assert main(["analyze", str(original), "-o", str(tmp_path / "plain"), "-q"]) == 0
    plain = pd.read_csv(tmp_path / "plain" / "comments.csv")
    assert comments["is_placeholder"].sum() <= plain["is_placeholder"].sum() + MAX_MISSING_LEVELS
    read, written, _ = counts_in_report(out)
    assert (read, written) == counts_in_report(tmp_path / "plain")[:2]
    assert analyze(tmp_path, path, "--strict", out="strict")[0] == 1
    assert "levels deep" in one_error_line(capsys)


@pytest.mark.parametrize("fixture, field", [("disqus-export.xml", "createdAt"), ("wordpress-export.xml", "wp:comment_date_gmt")])
@pytest.mark.parametrize("date", ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z"])
def test_out_of_range_dates_in_markup_become_missing_times_with_a_note(tmp_path, capsys, caplog, fixture, field, date):
    page = (FIXTURES / "markup" / fixture).read_text(encoding="utf-8")
    assert f"<{field}>" in page, f"{fixture} has no {field}"
    path = tmp_path / fixture
    path.write_text(re.sub(f"<{field}>[^<]*</{field}>", f"<{field}>{date}</{field}>", page), encoding="utf-8")
    code, out = analyze(tmp_path, path)
    assert code == 0, capsys.readouterr().err
    assert "expected a date and time from 1677 to 2262" in caplog.text and "its time left blank" in caplog.text
    comments = pd.read_csv(out / "comments.csv", dtype=str, keep_default_na=False)
    assert (comments["created_at"] == "").sum() >= 1
    counts_in_report(out)


def test_names_are_compared_in_nfc(tmp_path, capsys):
    import unicodedata
    composed, decomposed = unicodedata.normalize("NFC", "José"), unicodedata.normalize("NFD", "José")
    assert composed != decomposed
    path = write_jsonl(tmp_path / "names.jsonl", [
        {"comment_id": "a", "author": composed, "text": "the levee"},
        {"comment_id": "b", "parent_id": "a", "author": "Ann", "text": "the pumps"},
        {"comment_id": "c", "parent_id": "b", "author": decomposed, "text": "the dam"}])
    code, out = analyze(tmp_path, path)
    assert code == 0, capsys.readouterr().err
    assert sorted(pd.read_csv(out / "commenters.csv")["author"]) == ["Ann", composed]
    assert counts_in_report(out) == (3, 3, 0)


# -- inputs nobody listed ------------------------------------------------------------------------------

@pytest.mark.parametrize("content", [
    b"\xef\xbb\xbf" + b'{"comment_id": "a", "author": "Ann", "text": "x"}\r\n{"comment_id": "b", "parent_id": "a", '
    b'"author": "Bob", "text": "y\\u0007\\u001b[31m"}\r\n',
    b'{"comment_id": "a", "author": "Ann", "text": "x"}\n\n\n   \n\t\n{"comment_id": "b", "parent_id": "a", '
    b'"author": "Bob", "text": "\xef\xbb\xbf mid-file mark"}\n',
], ids=["bom-crlf-controls", "blank-lines-inner-bom"])
def test_line_ends_marks_and_control_characters(tmp_path, capsys, content):
    path = tmp_path / "odd.jsonl"
    path.write_bytes(content)
    code, out = analyze(tmp_path, path)
    assert code == 0, capsys.readouterr().err
    assert counts_in_report(out) == (2, 2, 0)


def test_many_tiny_records(tmp_path, capsys):
    n = 20_000
    path = tmp_path / "tiny.jsonl"
    path.write_text("".join('{"comment_id":"%d","parent_id":%s,"author":"u%d","text":"a"}\n'
                            % (i, '"%d"' % (i // 2) if i else "null", i % 50) for i in range(n)))
    code, out = analyze(tmp_path, path)
    assert code == 0, capsys.readouterr().err
    assert counts_in_report(out) == (n, n, 0)


def test_a_comment_text_over_the_limit_in_a_whole_document_format_is_left_out(tmp_path, capsys, caplog, monkeypatch):
    monkeypatch.setattr(_io, "MAX_RECORD_BYTES", 1000)
    page = [{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {"id": "s", "title": "Big"}}]}},
            {"kind": "Listing", "data": {"children": [
                {"kind": "t1", "data": {"id": f"c{i}", "author": f"u{i}", "body": body, "replies": ""}}
                for i, body in enumerate(["the levee", "x" * 5000, "the pumps"])]}}]
    path = tmp_path / "thread.json"
    path.write_text(json.dumps(page), encoding="utf-8")
    code, out = analyze(tmp_path, path)
    assert code == 0, capsys.readouterr().err
    assert f"{path}: comment 'c1' holds 5,000 characters, more than the 1,000 a comment may hold; its text left out" \
        in caplog.text
    comments = pd.read_csv(out / "comments.csv", dtype=str, keep_default_na=False).set_index("comment_id")
    assert comments.loc["c1", "text"] == "" and comments.loc["c0", "text"] == "the levee"
    assert counts_in_report(out) == (3, 3, 0)
    assert analyze(tmp_path, path, "--strict", out="strict")[0] == 1
    assert one_error_line(capsys).endswith("more than the 1,000 a comment may hold")


# -- one bad record costs that record, in every reader ------------------------------------------------

def _utterance(i, **fields):
    return {"id": f"u{i}", "speaker": ["ann", "bob"][i % 2], "conversation_id": "u0", "reply_to": f"u{i - 1}" if i else None,
            "timestamp": 1_700_000_000 + i, "text": "the levee held", **fields}


def _wp(i, **fields):
    return {"id": i, "post": 7, "parent": i - 1 if i > 1 else 0, "author_name": ["Ann", "Bob"][i % 2],
            "date_gmt": "2024-01-01T00:00:0%d" % i, "content": {"rendered": "<p>the levee held</p>"}, **fields}


def _reddit_page(bad):
    comment = lambda i, **data: {"kind": "t1", "data": {"id": f"c{i}", "author": "ann", "body": "the levee",
                                                          "parent_id": "t3_s", "replies": "", **data}}
    return json.dumps([{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {"id": "s", "title": "T"}}]}},
                       {"kind": "Listing", "data": {"children": [comment(1), bad, comment(3)]}}])


def _algolia(bad):
    child = lambda i: {"id": i, "type": "comment", "author": "ann", "story_id": 1, "parent_id": 1, "text": "x",
                       "children": []}
    return json.dumps({"id": 1, "type": "story", "author": "op", "title": "T", "story_id": 1,
                       "children": [child(2), bad, child(4)]})


#: (file name, content, format, reason the bad record is skipped for): three records, the middle one bad.
ONE_BAD_RECORD = {
    "convokit-missing-text": ("utterances.jsonl", "".join(json.dumps(r) + "\n" for r in [
        _utterance(1), {"id": "u2", "speaker": "bob"}, _utterance(3)]), "convokit", "expected a ConvoKit utterance"),
    "convokit-not-json": ("utterances.jsonl", json.dumps(_utterance(1)) + "\n{\"id\": \"u2\", \n" + json.dumps(_utterance(3)) + "\n",
                          "convokit", "not valid JSON"),
    "convokit-empty-id": ("utterances.jsonl", "".join(json.dumps(r) + "\n" for r in [
        _utterance(1), _utterance(2, id=""), _utterance(3)]), "convokit", "an empty 'id'"),
    "wordpress-json-missing-content": ("comments.json", json.dumps([_wp(1), {"id": 2, "post": 7}, _wp(3)]),
                                       "wordpress-json", "expected a comment object with id, post and content"),
    "wordpress-json-wrong-type": ("comments.json", json.dumps([_wp(1), _wp(2, content=[1]), _wp(3)]),
                                  "wordpress-json", "a field has the wrong type"),
    "wordpress-json-not-an-object": ("comments.json", json.dumps([_wp(1), "spam", _wp(3)]),
                                     "wordpress-json", "found a JSON str"),
    "reddit-not-an-item": ("page.json", _reddit_page(["x"]), "reddit", "expected a {'kind'"),
    "reddit-bad-replies": ("page.json", _reddit_page({"kind": "t1", "data": {"id": "c2", "body": "x", "replies": 5}}),
                           "reddit", "expected 'replies' to be a Listing"),
    "hn-algolia-no-id": ("items.json", _algolia({"type": "comment", "text": "x"}), "hackernews-json",
                         "expected a Hacker News item"),
    "hn-algolia-bad-children": ("items.json", _algolia({"id": 3, "type": "comment", "children": 5}),
                                "hackernews-json", "expected 'children' to be a list"),
}


@pytest.mark.parametrize("case", ONE_BAD_RECORD)
def test_one_bad_record_costs_that_record_or_is_an_error_under_strict(tmp_path, caplog, case):
    from discourse.model.corpus import tally
    from discourse.readers import read_corpus
    from discourse.exceptions import FormatError

    name, content, fmt, reason = ONE_BAD_RECORD[case]
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    corpus = read_corpus([path], format=fmt)
    assert f"{path}" in caplog.text and reason in caplog.text and "; skipped" in caplog.text
    read, written, skipped = tally(corpus)
    assert (read, written, skipped) == (3, 2, 1)
    assert reason in corpus.skipped["reason"].iloc[0]
    with pytest.raises(FormatError, match=re.escape(str(path)) + ".*" + re.escape(reason)):
        read_corpus([path], format=fmt, strict=True)


@pytest.mark.parametrize("value, problem", [("NaN", "NaN"), ("1" * 5000, "5,000 digits"),
                                            ('"lone \\ud800"', "lone surrogate")])
def test_a_whole_document_value_strict_json_refuses_costs_that_value(tmp_path, capsys, caplog, value, problem):
    path = tmp_path / "comments.json"
    path.write_text(json.dumps([_wp(1), _wp(2, meta="@V@"), _wp(3)]).replace('"@V@"', value), encoding="utf-8")
    code, out = analyze(tmp_path, path)
    assert code == 0, capsys.readouterr().err
    assert problem in caplog.text and counts_in_report(out) == (3, 3, 0)
    assert analyze(tmp_path, path, "--strict", out="strict")[0] == 1
    assert one_error_line(capsys).startswith(f"error: {path}: the document holds")


def test_a_wordpress_json_file_of_only_bad_records_is_an_error(tmp_path, capsys):
    path = tmp_path / "comments.json"
    path.write_text(json.dumps([{"id": 1, "post": 2}]), encoding="utf-8")
    assert analyze(tmp_path, path, "--format", "wordpress-json")[0] == 1
    assert one_error_line(capsys).startswith(f"error: {path}, record 1: expected a comment object")


# -- convert -o keeps the output rules -------------------------------------------------------------

def _convert_case(tmp_path, monkeypatch):
    (tmp_path / "in").mkdir()
    source = tmp_path / "in" / "thread.jsonl"
    write_jsonl(source, [{"comment_id": "a", "author": "Ann", "text": "the levee held"},
                         {"comment_id": "b", "parent_id": "a", "author": "Bob", "text": "the pumps failed"}])
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return source


@pytest.mark.parametrize("output, to, message", [
    ("in/thread.jsonl", "csv", "in/thread.jsonl is the input in/thread.jsonl; choose another output"),
    ("in", "csv", "in holds the input in/thread.jsonl"),
    (".", "convokit", ". holds the input in/thread.jsonl"),
    ("in", "convokit", "in holds the input in/thread.jsonl"),
    ("notes.txt", "csv", "notes.txt exists; use --force to replace it"),
    ("notes.txt", "convokit", "notes.txt is a file, not a folder"),
    ("nowhere/c.csv", "csv", "the folder nowhere does not exist"),
    ("in/..", "csv", "holds the input"),
])
def test_convert_output_rules(tmp_path, monkeypatch, capsys, output, to, message):
    source = _convert_case(tmp_path, monkeypatch)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert main(["convert", "in/thread.jsonl", "--to", to, "-o", output, "-q"]) == 1
    assert message in one_error_line(capsys)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before  # nothing changed, nothing left
    assert source.is_file()


def test_convert_replaces_a_file_only_with_force_and_through_a_rename(tmp_path, monkeypatch, capsys):
    _convert_case(tmp_path, monkeypatch)
    (tmp_path / "notes.txt").chmod(0o640)
    assert main(["convert", "in/thread.jsonl", "-o", "notes.txt", "--force", "-q"]) == 0
    assert pd.read_csv(tmp_path / "notes.txt")["comment_id"].tolist() == ["a", "b"]
    assert (tmp_path / "notes.txt").stat().st_mode & 0o777 == 0o640  # the file's mode stays
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "notes.txt"]  # no temporary left


def test_convert_to_convokit_rewrites_its_own_corpus_but_not_a_users_folder(tmp_path, monkeypatch, capsys):
    _convert_case(tmp_path, monkeypatch)
    assert main(["convert", "in/thread.jsonl", "--to", "convokit", "-o", "corpus", "-q"]) == 0
    assert main(["convert", "in/thread.jsonl", "--to", "convokit", "-o", "corpus", "-q"]) == 0  # its own: replaced
    assert sorted(p.name for p in (tmp_path / "corpus").iterdir()) == [
        "conversations.json", "corpus.json", "index.json", "speakers.json", "utterances.jsonl"]
    (tmp_path / "user").mkdir()
    (tmp_path / "user" / "notes.txt").write_text("mine\n", encoding="utf-8")
    assert main(["convert", "in/thread.jsonl", "--to", "convokit", "-o", "user", "-q"]) == 1
    assert "user holds files discourse did not write (notes.txt); use --force" in one_error_line(capsys)
    assert main(["convert", "in/thread.jsonl", "--to", "convokit", "-o", "user", "--force", "-q"]) == 0
    assert (tmp_path / "user" / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    assert (tmp_path / "user" / "utterances.jsonl").is_file()
    assert not [p for p in (tmp_path / "user").iterdir() if p.name.startswith(".")]


def test_convert_into_a_read_only_folder_is_one_plain_sentence(tmp_path, monkeypatch, capsys):
    import os

    _convert_case(tmp_path, monkeypatch)
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked").chmod(0o500)
    try:
        if os.access(tmp_path / "locked", os.W_OK):
            pytest.skip("running as a user who may write anywhere (root)")
        assert main(["convert", "in/thread.jsonl", "-o", "locked/c.csv", "-q"]) == 1
        assert one_error_line(capsys) == "error: could not write locked/c.csv: permission denied"
    finally:
        (tmp_path / "locked").chmod(0o700)


def test_convert_on_a_full_disk_is_one_plain_sentence_and_leaves_the_old_file(tmp_path, monkeypatch, capsys):
    import errno

    import discourse.cli

    _convert_case(tmp_path, monkeypatch)
    (tmp_path / "c.csv").write_text("old\n", encoding="utf-8")

    def full(frame, path):
        with open(path, "w") as out:
            out.write("comment_id")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(discourse.cli, "write_csv", full)
    assert main(["convert", "in/thread.jsonl", "-o", "c.csv", "--force", "-q"]) == 1
    assert one_error_line(capsys) == "error: could not write c.csv: the disk is full"
    assert (tmp_path / "c.csv").read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.csv", "in", "notes.txt"]


@pytest.mark.parametrize("date", ["December 31, 9999 at 11:59 pm", "9999-12-31", "0001-01-01 00:00"])
def test_out_of_range_dates_in_a_plain_text_copy_cost_only_that_time(tmp_path, capsys, caplog, date):
    path = tmp_path / "copy.txt"
    path.write_text("Title\n\n3 comments\n\n  Ann says:\n  March 3, 2010 at 4:05 pm\n\n    the levee held\n\n"
                    f"  Bob says:\n  {date}\n\n    the pumps failed\n\n"
                    "  Cy says:\n  March 4, 2010 at 4:05 pm\n\n    the dam\n", encoding="utf-8")
    code, out = analyze(tmp_path, path)
    assert code == 0, capsys.readouterr().err
    assert f"{path}, line 10: comment c2 ('Bob'): expected a date from 1677 to 2262" in caplog.text
    comments = pd.read_csv(out / "comments.csv", dtype=str, keep_default_na=False).set_index("comment_id")
    assert comments.loc["c2", "created_at"] == "" and comments.loc["c1", "created_at"] != ""
    assert counts_in_report(out) == (3, 3, 0)
    assert analyze(tmp_path, path, "--strict", out="strict")[0] == 1
    assert "expected a date from 1677 to 2262" in one_error_line(capsys)


# -- one bad line of one-object-a-line input costs that line, in every format ---------------------------

_T = "2024-01-01T00:00:00Z"


def _status(i, parent, who):
    return {"id": str(i), "in_reply_to_id": parent, "in_reply_to_account_id": None, "content": f"<p>s{i}</p>",
            "account": {"id": who, "acct": who}, "created_at": _T}


def _lemmy(i, path, who):
    return {"comments": [{"comment": {"id": i, "path": path, "post_id": 5, "creator_id": i, "content": f"c{i}",
                                      "published": _T}, "creator": {"name": who, "local": True},
                          "post": {"id": 5, "name": "A post", "creator_id": 9}}]}


def _bluesky(root, reply, who):
    def post(uri, handle, parent=None):
        record = {"text": uri, "createdAt": _T, **({"reply": {"root": {"uri": parent}, "parent": {"uri": parent}}}
                                                    if parent else {})}
        return {"uri": uri, "cid": "c", "author": {"did": f"did:{handle}", "handle": handle}, "record": record}
    view = "app.bsky.feed.defs#threadViewPost"
    return {"thread": {"$type": view, "post": post(root, "ann"),
                       "replies": [{"$type": view, "post": post(reply, who, root), "replies": []}]}}


def _youtube(i):
    comment = {"id": f"c{i}", "snippet": {"videoId": "v1", "authorDisplayName": f"@u{i}", "textOriginal": "hi",
                                          "publishedAt": _T}}
    return {"kind": "youtube#commentThreadListResponse", "items": [
        {"kind": "youtube#commentThread", "id": f"c{i}", "snippet": {"videoId": "v1", "topLevelComment": comment}}]}


def _fourchan(no):
    return {"posts": [{"no": no, "resto": 0, "time": 1_700_000_000, "id": "OP000000", "sub": "Bread", "com": "Best?"},
                      {"no": no + 1, "resto": no, "time": 1_700_000_060, "id": "xYz12345", "com": "Rye"}]}


def _telegram(chat):
    return {"name": "Garden", "type": "private_supergroup", "id": chat, "messages": [
        {"id": 1, "type": "message", "date_unixtime": "1700000000", "from": "Ann", "text": "hi"},
        {"id": 2, "type": "message", "date_unixtime": "1700000060", "from": "Bob", "text": "yo",
         "reply_to_message_id": 1}]}


def _discourse(topic):
    return {"id": topic, "title": "Hello", "post_stream": {"posts": [
        {"id": topic * 10, "post_number": 1, "username": "op", "cooked": "<p>Topic</p>", "created_at": _T},
        {"id": topic * 10 + 1, "post_number": 2, "username": "ann", "cooked": "<p>Hi</p>", "created_at": _T}]}}


def _item(i, parent):
    return {"id": i, "type": "comment", "by": f"u{i % 3}", "time": 1_700_000_000 + i, "parent": parent, "text": f"c{i}"}


def _tweet(i, replied_to=None):
    return {"id": str(i), "text": f"t{i}", "author_id": "a", "conversation_id": "1", "created_at": _T,
            "author": {"id": "a", "username": f"u{i}"},
            **({"referenced_tweets": [{"type": "replied_to", "id": str(replied_to)}]} if replied_to else {})}


#: Each format's records one a line (three or four lines, each a record or holding records).
ONE_A_LINE = {
    "hackernews-json": [{"id": 1, "type": "story", "by": "op", "time": 1_700_000_000, "title": "T", "kids": [2]},
                        _item(2, 1), _item(3, 2), _item(4, 3)],
    "mastodon": [_status(1, None, "ann"), _status(2, "1", "bob"), _status(3, "2", "cy"), _status(4, "1", "di")],
    "lemmy": [_lemmy(1, "0.1", "ann"), _lemmy(2, "0.1.2", "bob"), _lemmy(3, "0.1.3", "cy")],
    "bluesky": [_bluesky(f"at://r{i}", f"at://a{i}", f"u{i}") for i in range(3)],
    "youtube": [_youtube(i) for i in range(3)],
    "4chan": [_fourchan(no) for no in (10, 20, 30)],
    "telegram": [_telegram(chat) for chat in (7, 8, 9)],
    "discourse-forum": [_discourse(topic) for topic in (7, 8, 9)],
    "twitter": [_tweet(1), _tweet(2, 1), _tweet(3, 2)],
    "reddit-dump": [{"id": f"d{i}", "parent_id": "t3_s", "link_id": "t3_s", "author": f"u{i}", "body": "levee",
                     "created_utc": 1_700_000_000 + i} for i in range(3)],
    "jsonl": [{"comment_id": f"c{i}", "parent_id": "c0" if i else None, "author": f"u{i}", "text": "levee"}
              for i in range(3)],
}


def _with_a_cut_line(tmp_path, name, at):
    lines = [json.dumps(record) for record in ONE_A_LINE[name]]
    lines.insert(at, '{"id": 99, "type": ')  # cut short
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ONE_A_LINE)
def test_a_bad_first_line_costs_that_line_too(tmp_path, caplog, name):
    from discourse.model.corpus import tally
    from discourse.readers import read_corpus

    path = _with_a_cut_line(tmp_path, name, 0)
    corpus = read_corpus([path], name)
    assert re.search(r"records\.jsonl, line 1: expected .*; skipped", caplog.text)
    read, written, skipped = tally(corpus)
    assert skipped == 1 and written >= 2 and read == written + skipped


@pytest.mark.parametrize("name", ONE_A_LINE)
def test_one_bad_line_costs_that_line_in_every_one_object_a_line_format(tmp_path, capsys, name):
    at = 1
    path = _with_a_cut_line(tmp_path, name, at)
    code, out = analyze(tmp_path, path, "--format", name)
    assert code == 0, capsys.readouterr().err
    read, written, skipped = counts_in_report(out)
    assert skipped == 1 and written >= 2
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))["counts"]
    assert (record["read"], record["written"], record["skipped"]) == (read, written, skipped)
    assert analyze(tmp_path, path, "--format", name, "--strict", out="strict")[0] == 1
    assert one_error_line(capsys).startswith(f"error: {path}, line {at + 1}: expected ")


@pytest.mark.parametrize("name", ["hackernews-json", "mastodon", "lemmy", "telegram"])
def test_a_file_of_only_bad_lines_is_an_error_naming_the_first(tmp_path, capsys, name):
    path = tmp_path / "records.jsonl"
    path.write_text('{"id": 1, "type": \n{"id": 2, "type": \n', encoding="utf-8")
    assert analyze(tmp_path, path, "--format", name)[0] == 1
    line = one_error_line(capsys)
    assert line.startswith(f"error: {path}, line ") and ("not valid JSON" in line or "invalid JSON" in line)


# -- compressed, special and looping inputs --------------------------------------------------------

def _compressed(kind, data):
    import bz2
    import gzip
    import lzma
    import zipfile
    from io import BytesIO

    if kind == "zip":
        buffer = BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("comments.jsonl", data)
        return buffer.getvalue()
    return {"gzip": lambda: gzip.compress(data, mtime=0), "bzip2": lambda: bz2.compress(data),
            "xz": lambda: lzma.compress(data), "gzip-cut": lambda: gzip.compress(data, mtime=0)[:-12]}[kind]()


@pytest.mark.parametrize("kind, tool", [("gzip", "gunzip -k"), ("gzip-cut", "gunzip -k"), ("bzip2", "bunzip2 -k"),
                                        ("xz", "unxz -k"), ("zip", "unzip")])
@pytest.mark.parametrize("format", [None, "jsonl"])
def test_compressed_inputs_are_an_error_saying_how_to_decompress_them(tmp_path, capsys, kind, tool, format):
    data = "".join(json.dumps({"comment_id": f"c{i}", "parent_id": None, "author": "Ann", "text": "levee"}) + "\n"
                   for i in range(3)).encode()
    path = tmp_path / "comments.jsonl.packed"
    path.write_bytes(_compressed(kind, data))
    assert analyze(tmp_path, path, *(["--format", format] if format else []))[0] == 1
    name = kind.split("-")[0]
    assert one_error_line(capsys) == (f"error: {path}: expected comments as text; found {name}-compressed data: "
                                      f"decompress it first ({tool} comments.jsonl.packed) and read the result")


def test_a_zstandard_file_is_read_as_a_reddit_dump_only(tmp_path, capsys):
    zstandard = pytest.importorskip("zstandard")
    path = tmp_path / "list.mbox.zst"
    path.write_bytes(zstandard.ZstdCompressor().compress(b"From a Mon Jan  1 00:00:00 2024\nFrom: a\n\nhi\n"))
    assert analyze(tmp_path, path, "--format", "mbox")[0] == 1
    assert "found zstandard-compressed data: decompress it first (unzstd list.mbox.zst) and read the result; " \
           "only Reddit comment dumps (reddit-dump) are read compressed" in one_error_line(capsys)


def test_a_pipe_and_a_loop_of_links_are_one_error_line(tmp_path, capsys):
    import os

    fifo = tmp_path / "fifo.jsonl"
    if hasattr(os, "mkfifo"):
        os.mkfifo(fifo)  # reading it would wait for a writer forever
        assert analyze(tmp_path, fifo)[0] == 1
        assert one_error_line(capsys) == f"error: {fifo}: is not a regular file (a pipe, socket or device); " \
                                         "save the comments to a file and read that"
    (tmp_path / "one").symlink_to(tmp_path / "two")
    (tmp_path / "two").symlink_to(tmp_path / "one")
    assert analyze(tmp_path, tmp_path / "one")[0] == 1
    assert one_error_line(capsys) == f"error: {tmp_path / 'one'}: is a symbolic link that leads to no file " \
                                     "(a loop of links, or a missing target)"
    path = write_jsonl(tmp_path / "t.jsonl", [{"comment_id": "a", "author": "Ann", "text": "levee"}])
    assert main(["analyze", str(path), "-o", str(tmp_path / "one"), "-q"]) == 1
    assert one_error_line(capsys).startswith(f"error: {tmp_path / 'one'} is a")


@pytest.mark.parametrize("name, content", [
    ("own.jsonl", '{"comment_id": "a", "text": "hi"}\n{"comment_id": "b", "text": "me", "parent_id": "b"}\n'
                  '{"comment_id": "c", "text": "re", "parent_id": "a"}\n'),
    ("own.csv", "comment_id,parent_id,author,text\na,,ann,hi\nb,b,bob,me\nc,a,cy,re\n"),
])
def test_a_comment_naming_itself_as_its_parent_costs_that_link_not_the_file(tmp_path, name, content):
    """One record's broken link: read as a top-level comment, noted; an error under --strict."""
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.warns(_io.InputWarning, match="comment .b. names itself as its parent; read as a top-level comment"):
        comments = read_comments(path).comments
    assert comments["comment_id"].tolist() == ["a", "b", "c"]
    assert comments["parent_id"].isna().tolist() == [True, True, False] and comments["depth"].tolist() == [1, 1, 2]
    assert main(["analyze", str(path), "--strict", "-q", "-o", str(tmp_path / "out")]) == 1
