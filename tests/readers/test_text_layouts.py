"""Plain-text copies in every layout people make (issue 16, layouts a-f) read back as written.

Property tests render random reply trees in each layout and read back the same tree, authors,
texts, times and counts; inline fixtures pin one layout or decoration each; the seed and the
shipped sample are re-rendered in layouts b-e and must read back exactly.
"""

import re

import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from discourse.model.corpus import tally
from discourse.readers import detect_format, read_comments, read_corpus
from discourse.readers.text import MAX_JUMP, parse_text
from discourse.readers.text_layout import decoration, split_lines
from test_round_trips import SETTINGS, trees, written
from text_render import minute, render

LAYOUT_EXAMPLES = settings(max_examples=12, **SETTINGS)

#: layout name -> (render options, whether nesting shows, whether times show)
LAYOUTS = {
    "a: numbered, Reply": (dict(), True, False),
    "b: numbered, no Reply": (dict(reply=False), True, False),
    "c: tabs, CRLF": (dict(indent="\t", line_end="\r\n"), True, False),
    "c: 4 spaces, CR, trailing spaces": (dict(indent="    ", line_end="\r", trailing="  "), True, False),
    "c: tab and 4 spaces mixed": (dict(indent=["\t", "    "]), True, False),
    "c: non-breaking spaces": (dict(indent="\u00a0\u00a0"), True, False),
    "d: says + date, Reply": (dict(numbered=False, says=True, dated=True, indent="    ", top=False), True, True),
    "d: numbered says + date": (dict(says=True, dated=True), True, True),
    "d: says + date, no Reply": (dict(numbered=False, says=True, dated=True, reply=False, indent="\t"), True, True),
    "e: flat, says + date": (dict(numbered=False, says=True, dated=True, flat=True), False, True),
    "e: flat, numbered, Reply": (dict(flat=True), False, False),
    "f: WordPress.com decorations": (dict(numbered=False, says=True, dated=True, decorations=(
        "Like", "Liked by 2 people", "Loading...")), True, True),
    "f: vote counts, Report, Log in": (dict(reply=False, decorations=("+3", "Report", "Log in to Reply")), True, False),
}


def _plausible(tree, options):
    """The tree with the few bodies a layout cannot tell from its structure made tellable.

    A comment ending with a word the layout also prints ("Reply", "Like", "+3") is ambiguous; an
    undated, Reply-less layout cannot show an empty comment; a flat copy without dates tells comments
    apart by their "Reply" lines, so a body's own "Reply" line followed by "k. Name" would read as two.
    These are documented limits of reading text, not what the reader is tested on here.
    """
    out = []
    for comment in tree:
        paragraphs = [list(p) for p in comment["paragraphs"]]
        if paragraphs and decoration(" ".join(paragraphs[-1][-1].split()).lower()):
            paragraphs[-1][-1] += " indeed"
        if not paragraphs and not options.get("dated") and not options.get("reply", True):
            paragraphs = [["Just this."]]
        if options.get("flat") and not options.get("dated"):
            paragraphs = [[line + " indeed" if decoration(" ".join(line.split()).lower()) else line for line in p]
                          for p in paragraphs]
        out.append({**comment, "paragraphs": paragraphs})
    return out


def _text_of(comment):
    return "\n\n".join("\n".join(p) for p in comment["paragraphs"])


def check_layout(tree, options, nesting, timed):
    content = render(tree, **options)
    with written(content, "thread.txt") as path:
        assert detect_format(path) == "text"
        corpus = read_comments(path)
    df = corpus.comments
    assert not df["is_placeholder"].any()
    position = {cid: i for i, cid in enumerate(df["comment_id"])}
    parents = [None if pd.isna(p) else position[p] for p in df["parent_id"]]
    assert parents == ([c["parent"] for c in tree] if nesting else [None] * len(tree))
    assert df["author"].tolist() == [c["author"] for c in tree]
    assert df["text"].tolist() == [_text_of(c) for c in tree]
    if timed:
        assert df["created_at"].tolist() == [pd.Timestamp(minute(c["time"]), unit="s", tz="UTC") for c in tree]
    else:
        assert df["created_at"].isna().all()
    counts = tally(corpus)
    assert (counts.read, counts.written, counts.skipped) == (len(tree), len(tree), 0)
    assert corpus.threads.loc[0, "declared_comments"] == len(tree)
    return corpus


@pytest.mark.parametrize("layout", LAYOUTS)
@LAYOUT_EXAMPLES
@given(tree=trees(max_comments=20, max_depth=6))
def test_random_trees_read_back_in_every_layout(layout, tree):
    options, nesting, timed = LAYOUTS[layout]
    # A word a comment may end with ("Like", "+3") is the site's only when several comments show it.
    assume(len(tree) >= 2 or not options.get("decorations"))
    check_layout(_plausible(tree, options), options, nesting, timed)


@LAYOUT_EXAMPLES
@given(tree=trees(max_comments=12, max_depth=4), post_author=st.sampled_from(["Ann", "Bob Smith", "李雷"]))
def test_post_author_badge_in_the_says_layout(tree, post_author):
    options = dict(numbered=False, says=True, dated=True)
    tree = _plausible(tree, options)
    with written(render(tree, post_author=post_author, **options), "thread.txt") as path:
        corpus = read_comments(path)
    assert corpus.comments["author"].tolist() == [c["author"] for c in tree]
    assert corpus.comments["is_post_author"].tolist() == [c["author"] == post_author for c in tree]


# -- the seed and the shipped sample in layouts b-e --------------------------------------------------------

def _as_tree(corpus):
    """The corpus as a tree of real comments (placeholders kept as rows: they are part of the shape)."""
    df = corpus.comments
    return list(zip(df["depth"], df["author"].fillna("?"), df["text"], df["is_placeholder"]))


def _DATE(count):
    """The date line _rewrite gives the count-th comment."""
    return f"April {1 + count % 28}, 2025 at {1 + count % 12}:{count % 60:02d} pm"


def _date_of(count):
    return pd.Timestamp(2025, 4, 1 + count % 28, 12 + (1 + count % 12) % 12, count % 60, tz="UTC")


def _rewrite(text, layout, author_lines=()):
    """The seed's own lines re-laid: b drops Reply lines; c re-indents with tabs, CRLF and trailing spaces;
    d turns 'k. Name' into 'k. Name says:' and a date line; e drops all indentation."""
    lines = text.split("\n")
    out, number, count = [], re.compile(r"^( *)(\d+)\. (.*)$"), 0
    in_comments = False
    for at, line in enumerate(lines, start=1):
        if re.match(r"^\d+ comments$", line):
            in_comments = True
        stripped = line.lstrip(" ")
        pad = len(line) - len(stripped)
        if not in_comments:
            out.append(line)
        elif layout == "b" and stripped == "Reply":
            continue
        elif layout == "c":
            out.append("\t" * (pad // 2) + stripped + "  ")
        elif layout in ("d", "e-dated") and at in author_lines:
            match = number.match(line)
            count += 1
            pad_text = "" if layout == "e-dated" else match[1]
            out.append(f"{pad_text}{match[2]}. {match[3]} says:")  # numbers kept: they show the seed's gaps
            out.append(f"{pad_text}{_DATE(count)}")
        elif layout in ("e", "e-dated"):
            out.append(stripped)
        else:
            out.append(line)
    return ("\r\n" if layout == "c" else "\n").join(out)


def _shared_or_sample(name, seed_path=None):
    from discourse.pipeline import SAMPLE
    return seed_path if name == "seed" else SAMPLE


@pytest.mark.parametrize("layout", ["b", "c", "d"])
@pytest.mark.parametrize("source", ["seed", "sample"])
def test_seed_and_sample_read_back_exactly_in_layouts_b_to_d(source, layout, request):
    path = request.getfixturevalue("seed_path") if source == "seed" else _shared_or_sample("sample")
    original = read_corpus(path)
    text = path.read_text(encoding="utf-8")
    authors = set(original.comments["meta_line"].dropna().astype(int))
    rewritten = parse_text(_rewrite(text, layout, authors))
    assert _as_tree(rewritten) == _as_tree(original)
    assert rewritten.threads.loc[0, "declared_comments"] == original.threads.loc[0, "declared_comments"]
    if layout == "d":
        real = rewritten.comments[~rewritten.comments["is_placeholder"]]
        assert real["created_at"].tolist() == [_date_of(n) for n in range(1, len(real) + 1)]
        assert "numbered 'k. Name says:' with dates" in rewritten.threads.loc[0, "layout"]


@pytest.mark.parametrize("source", ["seed", "sample"])
def test_seed_and_sample_without_indentation_read_every_comment_and_no_parent(source, request):
    path = request.getfixturevalue("seed_path") if source == "seed" else _shared_or_sample("sample")
    original = read_corpus(path).comments
    original = original[~original["is_placeholder"]]
    authors = set(read_corpus(path).comments["meta_line"].dropna().astype(int))
    for layout in ("e", "e-dated"):
        flat = parse_text(_rewrite(path.read_text(encoding="utf-8"), layout, authors))
        df = flat.comments
        assert df["author"].tolist() == original["author"].tolist()
        assert df["text"].tolist() == original["text"].tolist()
        assert df["parent_id"].isna().all() and (df["depth"] == 1).all() and not df["is_placeholder"].any()
        assert "Nesting is not visible" in flat.threads.loc[0, "reading_notes"]
        times = [_date_of(n) for n in range(1, len(df) + 1)] if layout == "e-dated" else [pd.NaT] * len(df)
        assert df["created_at"].tolist() == times


# -- one fixture per layout and decoration -----------------------------------------------------------------

WORDPRESS = """\
3 thoughts on “Hello world!”

    Ann says:
    April 19, 2025 at 3:01 pm

    First!

    Reply
        Bob says:
        19 April 2025 at 15:05 (Edit)

        Second.

        Reply
    Cid says:
    2025-04-19 15:07

    Third.

    Reply

Leave a Reply Cancel reply
"""


def shape(corpus):
    df = corpus.comments
    author_of = dict(zip(df["comment_id"], df["author"].fillna("?")))
    return [(row.depth, "?" if row.is_placeholder else row.author,
             "-" if pd.isna(row.parent_id) else author_of[row.parent_id]) for row in df.itertuples()]


def test_wordpress_default_layout_reads_names_dates_and_nesting():
    corpus = parse_text(WORDPRESS)
    assert shape(corpus) == [(1, "Ann", "-"), (2, "Bob", "Ann"), (1, "Cid", "-")]
    assert corpus.comments["text"].tolist() == ["First!", "Second.", "Third."]
    assert corpus.comments["created_at"].dt.strftime("%Y-%m-%d %H:%M").tolist() == [
        "2025-04-19 15:01", "2025-04-19 15:05", "2025-04-19 15:07"]
    row = corpus.threads.iloc[0]
    assert (row["title"], row["declared_comments"]) == ("Hello world!", 3)
    assert row["layout"].startswith("'Name says:' with dates, 4-space indentation, no numbering, 'Reply' lines")
    assert corpus.comments["meta_date"].iloc[1] == "19 April 2025 at 15:05 (Edit)"


@pytest.mark.parametrize("date, expected", [
    ("April 19, 2025 at 3:01 pm", "2025-04-19 15:01"), ("19 April 2025 at 15:01", "2025-04-19 15:01"),
    ("2025-04-19 15:01", "2025-04-19 15:01"), ("2025-04-19T15:01:30Z", "2025-04-19 15:01"),
    ("Apr 19, 2025 at 12:05 AM", "2025-04-19 00:05"), ("Saturday, April 19, 2025 at 3:01 PM", "2025-04-19 15:01"),
    ("19/04/2025 at 15:01", "2025-04-19 15:01"), ("April 19th, 2025 @ 3:01 p.m.", "2025-04-19 15:01"),
    ("3:01 pm on April 19, 2025", "2025-04-19 15:01"), ("19. April 2025 um 15:01", "2025-04-19 15:01"), ("sometime in spring", None),
    ("April 19, 2025", "2025-04-19 00:00"), ("2 years ago", "NaT"),
])
def test_date_forms(date, expected):
    text = f"2 comments\n\nAnn says:\n{date}\n\nHello.\n\nReply\n\nBob says:\n{date}\n\nHi.\n\nReply\n"
    corpus = parse_text(text)
    if expected is None:  # not a date: the comments still read (they follow "Reply" lines), with no time
        assert corpus.comments["author"].tolist() == ["Ann", "Bob"]
        assert corpus.comments["text"].str.startswith(date).all() and corpus.comments["created_at"].isna().all()
        return
    assert corpus.comments["author"].tolist() == ["Ann", "Bob"]
    assert corpus.comments["created_at"].dt.strftime("%Y-%m-%d %H:%M").fillna("NaT").tolist() == [expected] * 2


def test_numeric_dates_day_first_when_a_day_tells():
    text = ("2 comments\n\nAnn says:\n04/05/2025 10:00\n\nA.\n\nReply\n\nBob says:\n25/05/2025 10:00\n\nB.\n\nReply\n")
    times = parse_text(text).comments["created_at"].dt.strftime("%m-%d").tolist()
    assert times == ["05-04", "05-25"]


def test_flat_copy_reads_every_comment_at_top_level_and_says_why():
    text = ("3 comments\n\nAnn says:\nApril 19, 2025 at 3:01 pm\n\nTop.\n\nReply\n\nBob says:\n"
            "April 19, 2025 at 3:02 pm\n\nA reply, but the copy lost its indentation.\n\nReply\n\nLeave a Reply\n")
    corpus = parse_text(text)
    assert shape(corpus) == [(1, "Ann", "-"), (1, "Bob", "-")]
    assert "Nesting is not visible" in corpus.threads.loc[0, "reading_notes"]
    assert "no indentation" in corpus.threads.loc[0, "layout"]


@pytest.mark.parametrize("extra, kind", [
    ("Like", "Like"), ("Loading...", "Loading..."), ("Report", "Report"), ("Edit", "Edit"), ("12", "vote counts"),
    ("▲ 5 ▼", "vote counts"), ("Log in to Reply", "Log in to Reply"), ("Liked by 3 people", "Liked by"),
    ("Ann's avatar", "avatar"), ("Avatar of Bob", "avatar"), ("Show more replies", "more replies"),
])
def test_each_decoration_is_removed_and_reported(extra, kind):
    comment = "  {n}. {name}\n\n    {text}\n\n    {extra}\n\n    Reply\n\n"
    text = "Title\n\n2 comments\n\n" + "".join(comment.format(n=n, name=name, text=f"Words of {name}.", extra=extra)
                                            for n, name in ((1, "Ann"), (2, "Bob"))) + "Leave a Reply\n"
    corpus = parse_text(text)
    assert corpus.comments["text"].tolist() == ["Words of Ann.", "Words of Bob."]
    assert kind in corpus.threads.loc[0, "layout"]


@pytest.mark.parametrize("header", ["85 thoughts on “Title”", "85 Responses to “Title”", "85 Comments",
                                    "Comments (85)", "85 replies"])
def test_count_line_forms(header):
    text = f"Title\n\n{header}\n\n  1. Ann\n\n    Hi.\n\n    Reply\n\nComments are closed.\n"
    corpus = parse_text(text)
    assert corpus.threads.loc[0, "declared_comments"] == 85
    assert corpus.comments["text"].tolist() == ["Hi."]


def test_a_comment_ending_in_a_decoration_word_keeps_it_when_others_do_not_show_it():
    text = ("3 comments\n\n  1. Ann\n\n    I say\n    Like\n\n    Reply\n  2. Bob\n\n    Fine.\n\n    Reply\n"
            "  3. Cid\n\n    +1\n\n    Reply\n")
    assert parse_text(text).comments["text"].tolist() == ["I say\nLike", "Fine.", "+1"]


def test_level_jump_adds_at_most_max_jump_placeholders_and_says_so():
    text = "2 comments\n\n  1. Ann\n\n    Top.\n\n" + " " * 200 + "1. Bob\n\n" + " " * 202 + "Deep.\n"
    corpus = parse_text(text)
    df = corpus.comments
    assert int(df["is_placeholder"].sum()) == MAX_JUMP
    assert df.loc[df["author"] == "Bob", "depth"].item() == MAX_JUMP + 2
    assert f"at most {MAX_JUMP} placeholders" in corpus.threads.loc[0, "reading_notes"]


def test_many_level_jumps_stay_bounded():
    """A file of nothing but level jumps: placeholders grow with the comments, not with the indentation."""
    rows = ["2 comments", ""]
    for i in range(3000):
        rows += ["  1. Ann", "", "    Top.", ""] + [" " * 400 + "1. Bob", "", " " * 402 + "Deep.", ""]
    corpus = parse_text("\n".join(rows))
    placeholders = int(corpus.comments["is_placeholder"].sum())
    assert placeholders <= 1000 + MAX_JUMP + 3000


@pytest.mark.parametrize("count", ["9" * 5000, str(2**63 + 1), "1" + "0" * 30])
def test_absurd_declared_counts_read_as_no_count(count):
    corpus = parse_text(f"Title\n\n{count} comments\n\n  1. Ann\n\n    Hi.\n\n    Reply\n")
    assert pd.isna(corpus.threads.loc[0, "declared_comments"])
    assert corpus.comments["text"].tolist() == ["Hi."]


def test_deleted_author_is_no_author():
    text = "2 comments\n\n  1. [deleted]\n\n    gone\n\n    Reply\n    1. Bob\n\n      Hi.\n\n      Reply\n"
    corpus = parse_text(text)
    assert corpus.comments["author"].isna().tolist() == [True, False]


def test_sentence_shaped_author_line_is_named_as_doubtful():
    text = ("2 comments\n\n  1. Ann\n\n    Hi.\n\n    Reply\n    1. I think the council should simply vote on it now!\n\n"
            "      Really.\n\n      Reply\n")
    corpus = parse_text(text)
    assert "reads like a sentence" in corpus.threads.loc[0, "reading_notes"]


@pytest.mark.parametrize("run", [" " * 100_000, "." * 100_000, "1" * 100_000, "a " * 50_000, "\t" * 100_000,
                                 "„" * 100_000, "1. " * 30_000, "April " * 20_000, "says: " * 20_000,
                                 "Reply " * 20_000, "\u00a0" * 100_000])
def test_long_runs_read_in_linear_time(run):
    """Every pattern sees each long run once; a quadratic one would take minutes here (not timed: a
    wrong result or a hang is the failure)."""
    text = f"2 comments\n\n  1. Ann\n\n    {run}\n\n    Reply\n  2. {run}x\n\n    {run} comments\n\n    Reply\n"
    corpus = parse_text(text)
    assert len(corpus.comments) >= 1
    lines = split_lines(run + "\n" + run)
    assert len(lines) == 2


# -- copies nobody listed: Blogger, Disqus ----------------------------------------------------------------

BLOGGER_CLASSIC = """\
My blog post

3 comments:

Ann said...

First comment here.

April 19, 2025 at 3:01 PM

Delete

Bob said...

Second comment.

April 19, 2025 at 4:15 PM

Delete

Post a Comment
"""


def test_blogger_classic_layout_with_the_date_after_the_body():
    corpus = parse_text(BLOGGER_CLASSIC)
    df = corpus.comments
    assert df["author"].tolist() == ["Ann", "Bob"] and df["parent_id"].isna().all()
    assert df["text"].tolist() == ["First comment here.", "Second comment."]
    assert df["created_at"].dt.strftime("%H:%M").tolist() == ["15:01", "16:15"]
    assert "dates after the body" in corpus.threads.loc[0, "layout"]
    assert corpus.threads.loc[0, "declared_comments"] == 3


DISQUS_COPY = """\
Some post

3 Comments

Ann
•
3 years ago

I think the pumps come first.

5
•
Reply
•
Share ›

Bob
Ann
•
3 years ago

Agreed.

2
•
Reply
•
Share ›

Cid
•
2 years ago

Nobody asked about the library.

•
Reply
•
Share ›
"""


def test_disqus_copy_names_whom_a_reply_answers_without_inventing_a_parent():
    corpus = parse_text(DISQUS_COPY)
    df = corpus.comments
    assert df["author"].tolist() == ["Ann", "Bob", "Cid"]
    assert df["text"].tolist() == ["I think the pumps come first.", "Agreed.", "Nobody asked about the library."]
    assert df["parent_id"].isna().all()
    assert df["addressee"].tolist()[1] == "Ann" and df["addressee"].isna().tolist() == [True, False, True]
    assert "relative dates" in corpus.threads.loc[0, "layout"]
