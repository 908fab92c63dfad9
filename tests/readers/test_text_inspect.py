"""``discourse inspect FILE``: the format, a copy's layout and the first comments as read, for every format."""

import pytest

from discourse.cli import main
from discourse.pipeline import SAMPLE
from discourse.readers.inspection import inspect_file


def test_inspect_shows_the_layout_and_the_first_comments_of_a_copy(capsys):
    assert main(["inspect", str(SAMPLE), "-n", "3"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "sample_thread.txt: format text (plain-text copy of a threaded comment section)"
    assert "  layout: numbered 'k. Name', 2-space indentation, 'Reply' lines" in out
    rows = out[out.index(next(line for line in out if line.startswith("first 3 of"))) + 2:]
    assert len(rows) == 3
    assert rows[0].split()[:3] == ["1", "1", "bikebrad"] and rows[0].split()[3] == "-"


def test_inspect_a_flat_copy_says_nesting_is_not_visible(tmp_path):
    path = tmp_path / "flat.txt"
    path.write_text("2 comments\n\nAnn says:\nApril 19, 2025 at 3:01 pm\n\nHi.\n\nReply\n\n"
                    "Bob says:\nApril 19, 2025 at 3:05 pm\n\nHello.\n\nReply\n", encoding="utf-8")
    text = inspect_file(path)
    assert "no indentation" in text and "Nesting is not visible" in text
    assert "2025-04-19 15:05" in text


@pytest.mark.parametrize("content, name, fmt", [
    ('{"comment_id": "a", "thread_id": "t", "parent_id": null, "author": "Ann", "text": "hi"}\n'
     '{"comment_id": "b", "thread_id": "t", "parent_id": "a", "author": "Bob", "text": "yo"}\n', "c.jsonl", "jsonl"),
    ("comment_id,thread_id,parent_id,author,text\na,t,,Ann,hi\nb,t,a,Bob,yo\n", "c.csv", "csv"),
])
def test_inspect_reads_every_format(tmp_path, content, name, fmt):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    text = inspect_file(path)
    assert text.startswith(f"{name}: format {fmt} ")
    assert "Bob" in text and "Ann" in text.split("Bob")[1]  # Bob replies to Ann


def test_inspect_a_missing_file_is_one_error_line(capsys):
    assert main(["inspect", "no-such-file.txt"]) == 1
    assert capsys.readouterr().err.strip() == "error: no-such-file.txt: no such file"


def test_inspect_reports_skipped_records_as_analyze_does(tmp_path, capsys, caplog):
    """Each skipped line once, as one line naming the file and line (logged as analyze logs it),
    not Python's warning text with the reader's source line."""
    path = tmp_path / "mixed.jsonl"
    path.write_text('{"comment_id": "a", "text": "x", "author": "z"}\nnot json\n', encoding="utf-8")
    assert main(["inspect", str(path)]) == 0
    captured = capsys.readouterr()
    assert [r.getMessage() for r in caplog.records] == [
        f"{path}, line 2: expected a JSON object with 'comment_id' and 'text'; found 'not json', which is not "
        "valid JSON; skipped"]
    assert "InputWarning" not in captured.err + caplog.text and "1 comments, 1 skipped" in captured.out
