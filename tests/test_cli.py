import subprocess
import sys

import pandas as pd
import pytest

from discourse.cli import build_parser, main


def test_analyze_writes_outputs(tmp_path, capsys):
    assert main(["analyze", "-o", str(tmp_path / "out"), "--quiet"]) == 0
    assert (tmp_path / "out" / "comments.csv").is_file()
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("args, message", [
    (["analyze", "no-such-file.txt"], "error: no-such-file.txt: no such file"),
    (["analyze", "{bad}", "--format", "text"], "error: {bad}: no such file"),
])
def test_bad_input_prints_one_error_line(args, message, capsys):
    assert main(args) == 1
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [message]


def test_unreadable_content_names_the_file_and_line(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    # (a stray line in a copy is now read and named in the notes; bytes that are not UTF-8 still fail)
    bad.write_bytes(b"Title\n\n2 comments\n\n  1. Ann\n\n    Hi.\n\n    Reply\n stray \xff\n")
    assert main(["analyze", str(bad), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"error: {bad}, line 10: expected")
    assert not (tmp_path / "out").exists()


def test_verbose_shows_the_traceback(capsys):
    assert main(["analyze", "missing.txt", "--verbose"]) == 1
    assert "Traceback" in capsys.readouterr().err


def test_convert_writes_a_comments_table(tmp_path):
    from discourse import SAMPLE

    assert main(["convert", str(SAMPLE), "-o", str(tmp_path / "c.csv"), "-q"]) == 0
    table = pd.read_csv(tmp_path / "c.csv")
    assert len(table) == 44 and table["is_placeholder"].sum() == 1


def test_every_command_has_help_with_an_example():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    for name, sub in commands.items():
        assert sub.description, name
        assert "Example" in (sub.epilog or ""), name


def test_module_entry_point_runs():
    result = subprocess.run([sys.executable, "-m", "discourse", "formats"], capture_output=True, text=True, check=True)
    assert "text" in result.stdout and "csv" in result.stdout


def test_convert_to_convokit_reads_back_as_the_same_tree(tmp_path):
    from discourse import SAMPLE, read_corpus

    assert main(["convert", str(SAMPLE), "--to", "convokit", "-o", str(tmp_path / "corpus"), "-q"]) == 0
    assert (tmp_path / "corpus" / "utterances.jsonl").is_file()
    back, original = read_corpus(tmp_path / "corpus").comments, read_corpus(SAMPLE).comments
    real = ~original["is_placeholder"]
    assert sorted(back.loc[~back["is_placeholder"], "author"]) == sorted(original.loc[real, "author"])
    assert sorted(back["depth"]) == sorted(original["depth"])


@pytest.mark.parametrize("flags, message", [
    (["--seed", "-1"], "error: --seed: random_state must be a non-negative integer below 2**32; got -1\n"),
    (["--topics", "0"], "error: --topics: n_topics must be an integer >= 2 or None; got 0\n"),
    (["--min-branch", "0"], "error: --min-branch: min_branch_comments must be an integer >= 1; got 0\n"),
])
def test_bad_options_print_what_they_accept(flags, message, tmp_path, capsys):
    assert main(["analyze", "-o", str(tmp_path / "out"), *flags]) == 1
    assert capsys.readouterr().err == message
    assert not (tmp_path / "out").exists()


def test_more_topics_than_the_subthreads_hold_is_said_in_the_summary(tmp_path, caplog):
    import json
    import logging

    caplog.set_level(logging.INFO, logger="discourse")
    path = tmp_path / "small.jsonl"
    path.write_text("".join(json.dumps({"comment_id": f"c{i}", "parent_id": None if i % 3 == 0 else f"c{i - 1}",
                                        "author": "ABC"[i % 3], "text": f"levee pumps {i}"}) + "\n" for i in range(12)),
                    encoding="utf-8")
    assert main(["analyze", str(path), "-o", str(tmp_path / "out"), "--topics", "100"]) == 0
    topics = len(pd.read_csv(tmp_path / "out" / "topics.csv"))
    assert topics < 100
    assert f"note: 100 topics were asked for; the subthreads held {topics}" in caplog.messages
