"""Filters before the analysis (discourse.model.filters): each filter, the tree kept whole, the tally."""

import json
import logging
import re

import pandas as pd
import pytest

from discourse import Filters, filter_corpus, read_corpus
from discourse.cli import main
from discourse.exceptions import DiscourseError, OptionsError
from discourse.model.corpus import split_threads, tally
from discourse.model.filters import BOT_ACCOUNTS, filter_comments, parse_moment
from discourse.model.tree import complete_tree

# Two threads, invented: t1 has a bot comment with a human reply under it, t2 is small.
TABLE = """comment_id,thread_id,parent_id,author,created_at,text
a,t1,,ann,2024-01-01T10:00:00Z,Opening words about bicycles
b,t1,a,AutoModerator,2024-01-01T11:00:00Z,Please read the rules.
c,t1,b,bo,2024-01-02T09:00:00Z,Which rules do you mean?
d,t1,a,cy,2024-01-03T23:30:00Z,Late reply about bicycles
e,t1,,bo,,An undated comment
f,t2,,dee,2024-01-02T12:00:00Z,Other thread
g,t2,f,ann,2024-01-02T13:00:00Z,A reply in the other thread
"""


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "threads.csv"
    path.write_text(TABLE, encoding="utf-8")
    return path


def _kept(corpus):
    real = corpus.comments[~corpus.comments["is_placeholder"]]
    return sorted(real["comment_id"])


def _balanced(corpus):
    counts = tally(corpus)
    assert counts.read == 7 and counts.read == counts.written + counts.skipped + counts.filtered, counts
    assert counts.filtered == len(corpus.filtered)
    return counts


def test_no_filter_returns_the_corpus_itself(table):
    corpus = read_corpus(table)
    assert filter_corpus(corpus, None) is corpus
    assert filter_corpus(corpus, Filters()) is corpus


def test_thread_keeps_only_the_threads_named(table):
    corpus = filter_corpus(read_corpus(table), Filters(threads=["t2"]))
    assert _kept(corpus) == ["f", "g"]
    assert corpus.threads["thread_id"].tolist() == ["t2"]
    assert _balanced(corpus).filtered == 5
    assert set(corpus.filtered["reason"]) == {"in a thread not chosen with --thread"}


def test_an_unknown_thread_is_an_error_listing_the_threads(table):
    with pytest.raises(OptionsError, match=r"no thread 't9' in the input; it has t1, t2"):
        filter_corpus(read_corpus(table), Filters(threads=["t9"]))


def test_excluding_an_author_keeps_replies_to_them_under_a_placeholder(table):
    corpus = filter_corpus(read_corpus(table), Filters(exclude_authors=["AutoModerator"]))
    comments = corpus.comments.set_index("comment_id")
    assert _kept(corpus) == ["a", "c", "d", "e", "f", "g"]
    assert comments.loc["b", "is_placeholder"] and pd.isna(comments.loc["b", "author"])
    assert comments.loc["b", "text"] == "" and pd.isna(comments.loc["b", "created_at"])
    assert comments.loc["b", "text_status"] == "filtered"
    assert comments.loc["c", "parent_id"] == "b" and comments.loc["c", "depth"] == 3  # the tree as it was
    assert "AutoModerator" not in set(corpus.comments["author"].dropna())
    assert _balanced(corpus).filtered == 1


def test_a_left_out_leaf_is_removed(table):
    corpus = filter_corpus(read_corpus(table), Filters(exclude_authors=["cy"]))
    assert "d" not in set(corpus.comments["comment_id"])
    assert _balanced(corpus).filtered == 1


def test_exclude_authors_reads_a_file_of_names(table, tmp_path):
    names = tmp_path / "names.txt"
    names.write_text("# bots and others\nAutoModerator\n\ncy\n", encoding="utf-8")
    corpus = filter_corpus(read_corpus(table), Filters(exclude_authors=["@" + str(names), "dee"]))
    assert corpus.filters.exclude_authors == ("AutoModerator", "cy", "dee")
    assert _kept(corpus) == ["a", "c", "e", "g"]  # f (dee) stays as g's placeholder parent
    assert _balanced(corpus).filtered == 3


def test_a_missing_names_file_is_an_options_error(tmp_path):
    with pytest.raises(OptionsError, match="no such file"):
        Filters(exclude_authors=["@" + str(tmp_path / "none.txt")])


def test_exclude_bots_uses_the_lists_of_every_source_for_a_table(table):
    corpus = filter_corpus(read_corpus(table), Filters(exclude_bots=True))
    assert _kept(corpus) == ["a", "c", "d", "e", "f", "g"]
    assert set(corpus.filtered["reason"]) == {"written by a bot or system account (--exclude-bots)"}


def test_exclude_bots_keeps_to_the_source_list():
    comments = complete_tree(pd.DataFrame({
        "comment_id": ["1", "2", "3"], "thread_id": "t", "parent_id": [None, None, None],
        "author": ["system", "AutoModerator", "Community"], "text": ["a", "b", "c"],
        "source": ["discourse-forum", "discourse-forum", "stackexchange"]}))
    from discourse.model.filters import by_bot
    assert by_bot(comments).tolist() == [False, True, False]  # AutoModerator is a Reddit bot only
    assert "AutoModerator" in BOT_ACCOUNTS["reddit"] and "[deleted]" not in BOT_ACCOUNTS["reddit"]


def test_since_and_until_are_utc_and_until_a_date_keeps_the_whole_day(table):
    corpus = filter_corpus(read_corpus(table), Filters(since="2024-01-02", until="2024-01-03"))
    assert _kept(corpus) == ["c", "d", "f", "g"]  # d at 23:30 on the 3rd is kept; e has no time
    reasons = corpus.filtered.set_index("comment_id")["reason"]
    assert reasons["e"] == "has no time, so it is not known to be within --since/--until"
    assert reasons["b"] == "written before --since 2024-01-02T00:00:00Z"
    assert _balanced(corpus).filtered == 3


def test_an_offset_is_honoured():
    assert parse_moment("2024-01-02T01:00+02:00") == pd.Timestamp("2024-01-01T23:00Z")
    assert parse_moment("2024-01-02T01:00") == pd.Timestamp("2024-01-02T01:00Z")


@pytest.mark.parametrize("value", ["yesterday", "02/01/2024", "2024-13-01", "", "2024-01-01 junk"])
def test_a_time_that_is_not_iso_is_an_options_error(value):
    with pytest.raises(OptionsError, match="since must be an ISO 8601 date"):
        Filters(since=value)


def test_until_before_since_is_an_error():
    with pytest.raises(OptionsError, match="before since"):
        Filters(since="2024-02-01", until="2024-01-01")


def test_min_comments_counts_after_the_other_filters(table):
    assert _kept(filter_corpus(read_corpus(table), Filters(min_comments=3))) == ["a", "b", "c", "d", "e"]
    corpus = filter_corpus(read_corpus(table), Filters(min_comments=2, exclude_authors=["dee"]))
    assert _kept(corpus) == ["a", "b", "c", "d", "e"]  # t2 has one comment left: gone
    assert set(corpus.threads["thread_id"]) == {"t1"}
    assert _balanced(corpus).filtered == 2


def test_filters_leaving_nothing_is_an_error_that_says_why(table):
    with pytest.raises(DiscourseError, match=r"leave no comment of the 7 read \(6 comments: written before --since "
                       r"2030-01-01T00:00:00Z; 1 comment: has no time, so it is not known"):
        filter_corpus(read_corpus(table), Filters(since="2030-01-01"))
    with pytest.raises(DiscourseError, match=r"of the 7 read \(7 comments: in a thread of fewer than 50 comments"):
        filter_corpus(read_corpus(table), Filters(min_comments=50))


def test_an_excluded_post_author_is_no_post_author_any_more(table):
    corpus = read_corpus(table)
    corpus = type(corpus)(comments=corpus.comments, threads=corpus.threads.assign(post_author="ann"),
                          skipped=corpus.skipped, records=corpus.records)
    assert filter_corpus(corpus, Filters(exclude_authors=["ann"])).threads["post_author"].isna().all()


def test_placeholders_only_left_out_comments_needed_are_removed():
    comments = complete_tree(pd.DataFrame({"comment_id": ["b", "c"], "thread_id": "t", "parent_id": ["gone", None],
                                           "author": ["Bot", "Ann"], "text": ["x", "y"]}))
    kept = filter_comments(comments, comments["author"] != "Bot")
    assert kept["comment_id"].tolist() == ["c"]


def test_split_threads_carries_each_threads_filtered_rows(table):
    corpus = filter_corpus(read_corpus(table), Filters(exclude_authors=["AutoModerator", "dee"]))
    parts = split_threads(corpus)
    assert [len(part.filtered) for part in parts.values()] == [1, 1]
    for part in parts.values():
        counts = tally(part)
        assert counts.read == counts.written + counts.skipped + counts.filtered


def test_describe_names_the_flags():
    filters = Filters(threads=["t1"], since="2024-01-01", until="2024-01-31T12:00+01:00", min_comments=2,
                      exclude_authors=["x"], exclude_bots=True)
    assert filters.describe() == ["--thread t1", "--exclude-author x", "--exclude-bots",
                                  "--since 2024-01-01T00:00:00Z", "--until 2024-01-31T11:00:00Z", "--min-comments 2"]


# -- the command line ----------------------------------------------------------------------------

_COUNTS = re.compile(r"read (\d+) records: (\d+) comments written, (\d+) skipped, (\d+) filtered out")


def _convert(table, tmp_path, caplog, *flags):
    out = tmp_path / "out.csv"
    caplog.set_level(logging.INFO, logger="discourse")
    caplog.clear()
    assert main(["convert", str(table), "-o", str(out), *flags]) == 0
    read, written, skipped, filtered = map(int, _COUNTS.search(caplog.text).groups())
    assert read == written + skipped + filtered == 7
    rows = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert written == int((rows["is_placeholder"] == "False").sum())
    return rows, filtered


@pytest.mark.parametrize("flags, kept, filtered", [
    (["--thread", "t2"], ["f", "g"], 5),
    (["--thread", "t1", "--thread", "t2"], ["a", "b", "c", "d", "e", "f", "g"], 0),
    (["--exclude-author", "AutoModerator"], ["a", "c", "d", "e", "f", "g"], 1),
    (["--exclude-bots"], ["a", "c", "d", "e", "f", "g"], 1),
    (["--since", "2024-01-02"], ["c", "d", "f", "g"], 3),
    (["--until", "2024-01-01T10:30"], ["a"], 6),
    (["--min-comments", "3"], ["a", "b", "c", "d", "e"], 2),
])
def test_each_filter_on_the_command_line(table, tmp_path, caplog, flags, kept, filtered):
    rows, counted = _convert(table, tmp_path, caplog, *flags)
    assert sorted(rows.loc[rows["is_placeholder"] == "False", "comment_id"]) == kept
    assert counted == filtered


def test_exclude_author_from_a_file_on_the_command_line(table, tmp_path, caplog):
    names = tmp_path / "bots.txt"
    names.write_text("AutoModerator\ncy\n", encoding="utf-8")
    rows, filtered = _convert(table, tmp_path, caplog, "--exclude-author", f"@{names}")
    assert filtered == 2 and not rows["author"].isin(["AutoModerator", "cy"]).any()


@pytest.mark.parametrize("flags, message", [
    (["--thread", "nope"], "error: --thread: no thread 'nope' in the input; it has t1, t2"),
    (["--since", "last week"], "error: --since: must be an ISO 8601 date"),
    (["--min-comments", "0"], "error: --min-comments: must be an integer >= 1"),
    (["--exclude-author", "@missing.txt"], "error: --exclude-author: missing.txt: no such file"),
])
def test_a_bad_filter_is_one_error_line(table, tmp_path, capsys, flags, message):
    assert main(["convert", str(table), "-o", str(tmp_path / "x.csv"), *flags]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(message) and "\n" not in err and "Traceback" not in err


def test_analyze_states_the_filters_in_run_json_and_the_report(table, tmp_path):
    out = tmp_path / "out"
    assert main(["analyze", str(table), "-o", str(out), "-q", "--exclude-bots", "--since", "2024-01-01",
                 "--exclude-author", "dee"]) == 0
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert record["counts"] == {"read": 7, "written": 4, "skipped": 0, "filtered": 3}
    assert record["filters"] == ["--exclude-author dee", "--exclude-bots", "--since 2024-01-01T00:00:00Z"]
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "4 written as comments, 3 filtered out and 0 skipped (read = written + skipped + filtered)" in report
    assert "Filtered out 1 comment(s): written by a bot or system account (--exclude-bots)." in report
    assert "has no time, so it is not known to be within --since/--until" in report
    commenters = pd.read_csv(out / "commenters.csv")
    assert not commenters["author"].isin(["AutoModerator", "dee"]).any()
    comments = pd.read_csv(out / "comments.csv", dtype=str, keep_default_na=False)
    assert (comments.loc[comments["comment_id"].isin(["b", "f"]), "text_status"] == "filtered").all()


def test_names_are_compared_in_nfc(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("id,user,body\n1,Jos\u00e9,hola\n2,ann,hi\n", encoding="utf-8")
    corpus = filter_corpus(read_corpus(path), Filters(exclude_authors=["Jose\u0301"]))  # typed decomposed
    assert _kept(corpus) == ["2"]


def test_a_pseudonymised_run_withholds_the_excluded_names(table, tmp_path):
    out = tmp_path / "out"
    assert main(["analyze", str(table), "-o", str(out), "-q", "--pseudonymise", "--salt", "s",
                 "--exclude-author", "AutoModerator", "--exclude-author=cy"]) == 0
    record = (out / "run.json").read_text(encoding="utf-8")
    assert "AutoModerator" not in record and '"cy"' not in record
    assert json.loads(record)["filters"] == ["--exclude-author [excluded author 1]", "--exclude-author [excluded author 2]"]
    assert "AutoModerator" not in (out / "report.md").read_text(encoding="utf-8")


def test_a_pseudonymised_run_masks_left_out_authors_named_by_others(tmp_path):
    """Filtered authors are no commenters any more, but the comments kept may still name them."""
    path = tmp_path / "named.csv"
    path.write_text("id,parent,user,body\n1,,Quentin Marsh,Which tyres for winter?\n"
                    "2,1,ann,Studded tyres; Quentin Marsh asked the same last year.\n"
                    "3,2,bob,@Quentin agreed with ann on studded tyres.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["analyze", str(path), "-o", str(out), "-q", "--pseudonymise", "--salt", "s",
                 "--exclude-author", "Quentin Marsh"]) == 0
    leaks = [f.name for f in out.rglob("*") if f.is_file() and b"Quentin" in f.read_bytes()]
    assert leaks == []
