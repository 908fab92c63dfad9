import hashlib
import textwrap
from textwrap import dedent

import pandas as pd
import pytest

from discourse.exceptions import FormatError
from discourse.readers import detect_format, read_corpus
from discourse.readers.text import parse_text


def thread(body):
    """A minimal post around a comment section given as an indented block."""
    comments = textwrap.indent(dedent(body).strip("\n"), "  ")  # top level is indented two spaces
    return "Post title\n\nArticle text.\n\n3 comments\n\n" + comments + "\n\nLeave a Reply\nName *\n"


def shape(corpus):
    """(depth, author or '?' for a placeholder, parent's author or '-') for every row, in order."""
    df = corpus.comments
    author_of = dict(zip(df["comment_id"], df["author"].fillna("?")))
    return [(row.depth, "?" if row.is_placeholder else row.author,
             "-" if pd.isna(row.parent_id) else author_of[row.parent_id])
            for row in df.itertuples()]


def test_nested_replies_follow_indentation():
    text = thread("""
          1. Ann

            First.

            Reply
            1. Bob

              Second.

              Reply
              1. Cid

                Third.

                Reply
            2. Dee

              Fourth.

              Reply
          2. Eve

            Fifth.

            Reply
    """)
    assert shape(parse_text(text)) == [
        (1, "Ann", "-"), (2, "Bob", "Ann"), (3, "Cid", "Bob"), (2, "Dee", "Ann"), (1, "Eve", "-")]


def test_depth_jump_inserts_a_chain_of_placeholders():
    text = thread("""
          1. Ann

            Top.

            Reply
            1. Bob

              Reply to Ann.

              Reply
                  1. Cid

                    Two levels are missing above me.

                    Reply
    """)
    corpus = parse_text(text)
    assert shape(corpus) == [(1, "Ann", "-"), (2, "Bob", "Ann"), (3, "?", "Bob"), (4, "?", "?"), (5, "Cid", "?")]
    placeholders = corpus.comments[corpus.comments["is_placeholder"]]
    assert placeholders["author"].isna().all() and (placeholders["text"] == "").all()


@pytest.mark.parametrize("depth", [2, 3])
def test_numbering_restart_means_a_missing_parent(depth):
    def comment(level, number, name):
        pad = "  " * level
        return f"{pad}{number}. {name}\n\n{pad}  Words of {name}.\n\n{pad}  Reply\n"

    rows = [comment(1, 1, "Root")] if depth == 3 else []
    rows += [comment(depth - 1, 1, "Ann"), comment(depth, 1, "Bob"), comment(depth, 2, "Cid"),
             comment(depth, 1, "Dee")]  # Dee's list starts again at 1: her parent is missing
    shown = shape(parse_text("Title\n\n4 comments\n\n" + "".join(rows) + "\nLeave a Reply\n"))
    assert shown[-2:] == [(depth - 1, "?", "Root" if depth == 3 else "-"), (depth, "Dee", "?")]
    assert shown[-4:-2] == [(depth, "Bob", "Ann"), (depth, "Cid", "Ann")]


def test_top_level_numbering_restart_adds_no_placeholder():
    text = thread("""
          1. Ann

            One.

            Reply
          1. Bob

            The next page of comments starts again at 1.

            Reply
    """)
    assert shape(parse_text(text)) == [(1, "Ann", "-"), (1, "Bob", "-")]


def test_body_lines_that_look_like_comments_stay_in_the_body():
    text = thread("""
          1. Ann

            My plan:
            1. fix the pumps
            2. repair the levee

            “a quoted sentence from someone”
            https://example.org/page

            Reply
            1. Bob

              Numbered list where a reply header could stand:

              1. first

              Reply
    """)
    corpus = parse_text(text)
    assert shape(corpus) == [(1, "Ann", "-"), (2, "Bob", "Ann")]
    ann, bob = corpus.comments["text"]
    assert ann == ("My plan:\n1. fix the pumps\n2. repair the levee\n\n"
                   "“a quoted sentence from someone”\nhttps://example.org/page")
    assert bob.endswith("\n\n1. first")


def test_a_body_line_reading_reply_does_not_end_the_comment():
    text = thread("""
          1. Ann

            Reply
            to this, anyone?

            Reply
    """)
    assert parse_text(text).comments["text"].tolist() == ["Reply\nto this, anyone?"]


def test_post_author_badge_is_removed_and_recorded():
    text = thread("""
          1. Dana Post author

            Welcome.

            Reply
            1. Bob

              Thanks.

              Reply
              1. Dana Post author

                You're welcome.

                Reply
    """)
    corpus = parse_text(text)
    assert corpus.comments["author"].tolist() == ["Dana", "Bob", "Dana"]
    assert corpus.comments["is_post_author"].tolist() == [True, False, True]
    assert corpus.threads.loc[0, "post_author"] == "Dana"


def test_declared_count_and_title_are_kept():
    corpus = parse_text(thread("""
          1. Ann

            Only one of three.

            Reply
    """), thread_id="t1")
    row = corpus.threads.iloc[0]
    assert (row["thread_id"], row["title"], row["declared_comments"]) == ("t1", "Post title", 3)
    assert len(corpus.comments) == 1


def test_missing_reply_line_before_a_sibling_is_tolerated():
    text = thread("""
          1. Ann

            The copy lost my Reply line.
          2. Bob

            Fine.

            Reply
    """)
    assert shape(parse_text(text)) == [(1, "Ann", "-"), (1, "Bob", "-")]


def test_windows_line_endings_and_bom_read_the_same():
    text = thread("""
          1. Ann

            Hello.

            Reply
    """)
    assert shape(parse_text("\ufeff" + text.replace("\n", "\r\n"))) == shape(parse_text(text))


@pytest.mark.parametrize("bad, doubt", [
    ("   2. Bob\n\n      odd indentation\n\n      Reply\n", "line 12 ('Bob') is indented between two levels"),
    ("stray words\n", "line 12 ('stray words') stands between comments"),
    ("  x\n", "line 12 ('x') stands between comments"),
])
def test_doubtful_lines_are_named_in_the_notes(bad, doubt):
    text = "Title\n\nArticle\n\n3 comments\n\n  1. Ann\n\n    Hi.\n\n    Reply\n" + bad
    corpus = parse_text(text, source_path="thread.txt")
    assert corpus.comments["text"].iloc[0] == "Hi."  # the odd line is not glued to Ann's comment
    row = corpus.threads.iloc[0]
    assert doubt in row["reading_notes"] and bool(row["layout_doubtful"])


def test_text_without_a_comment_list_is_refused():
    with pytest.raises(FormatError, match="expected a comment list"):
        parse_text("Just an article.\n\nNo comments here.\n", source_path="a.txt")


# The reference thread: a real page copied as plain text (../shared; skipped when absent).
# Depth of every row in source order; "p" marks a placeholder.
SEED_DEPTHS = ("1 2 3 4 2 3p 4p 5 2 1 2 3 3 3 2 1p 2 1 2 3 2 3 2 2 1 2 2 3 1 2 3 4 4 2 3 4 5p 6 1 2 3p 4 4 "
               "1 1 1 2 2 1 2 3 2 2 2 1 1 2 1 1 2 1 2 3 2 1 2 1 1 1 2 3 1")
SEED_AUTHORS_SHA256 = "0921c31436234eed0d99f5dd40474f818299c2f369c47a1520e33b7cc404e57a"


def test_seed_tree_is_rebuilt_exactly(seed_path):
    corpus = read_corpus(seed_path)
    df = corpus.comments
    real = df[~df["is_placeholder"]]
    assert (len(real), real["author"].nunique(), int((real["depth"] == 1).sum())) == (67, 44, 20)
    assert int(df["is_placeholder"].sum()) == 5
    depths = " ".join(f"{d}{'p' if p else ''}" for d, p in zip(df["depth"], df["is_placeholder"]))
    assert depths == SEED_DEPTHS
    # Each row's parent is the nearest earlier row one level up: with the depths above, this pins the tree.
    for position, row in enumerate(df.itertuples()):
        if row.depth == 1:
            assert pd.isna(row.parent_id)
        else:
            above = df.iloc[:position]
            assert row.parent_id == above[above["depth"] == row.depth - 1]["comment_id"].iloc[-1]
    authors = "\n".join(df["author"].fillna("?"))
    assert hashlib.sha256(authors.encode()).hexdigest() == SEED_AUTHORS_SHA256
    assert df.loc[df["is_post_author"], "author"].unique().tolist() == ["Yves Smith"]
    assert int(df["is_post_author"].sum()) == 3
    assert corpus.threads.loc[0, "declared_comments"] == 85
    # The reply answering a missing comment by The Rev Kev hangs under a placeholder, not under anyone else.
    rev_kev_reply = df[df["text"].str.startswith("Rev Kev: He came out")]
    parent = df.set_index("comment_id").loc[rev_kev_reply["parent_id"].iloc[0]]
    assert bool(parent["is_placeholder"]) and pd.isna(parent["author"])


def test_seed_format_is_detected(seed_path):
    assert detect_format(seed_path) == "text"
