"""Platform readers without a real sample (issue 18): Mastodon, Bluesky, Telegram, Lemmy, 4chan, and
Arctic Shift's ``_meta`` fields in Reddit dumps.  The fixtures in tests/fixtures/platforms are
invented from each platform's API documentation (field names as documented, values made up).
"""

import json

import pandas as pd
import pytest

from discourse.model.corpus import tally
from discourse.exceptions import FormatError
from discourse.network.graph import commenter_edges
from discourse.readers import read_comments
from discourse.readers.bluesky import parse_bluesky
from discourse.readers.fourchan import parse_fourchan, poster
from discourse.readers.lemmy import parse_lemmy
from discourse.readers.mastodon import parse_mastodon
from discourse.readers.telegram import message_text, parse_telegram
import shared_data

FIXTURES = shared_data.FIXTURES / "platforms"


def table(name):
    corpus = read_comments(FIXTURES / name)
    return corpus, corpus.comments.set_index("comment_id")


def edge_set(corpus, kinds=("reply", "quote")):
    edges = commenter_edges(corpus.comments, kinds=kinds)
    return set(zip(edges["source"], edges["target"], edges["kind"], edges["inferred"]))


# -- Mastodon ---------------------------------------------------------------------------------------

def test_mastodon_root_is_the_post_replies_nest_and_a_missing_parent_knows_its_author():
    corpus, comments = table("mastodon-context.json")
    root = "110000000000000001"
    assert corpus.threads[["thread_id", "post_author"]].values.tolist() == [[root, "ann"]]
    assert root not in comments.index  # the root status is the thread's post, not a comment
    assert (comments["thread_id"] == root).all()
    assert comments.loc["110000000000000003", "parent_id"] == "110000000000000002"
    assert pd.isna(comments.loc["110000000000000002", "parent_id"])  # answers the root: top level
    missing = comments.loc["110000000000000005"]
    assert missing["is_placeholder"] and missing["author"] == "eve@gone.example"  # from in_reply_to_account_id
    assert comments.loc["110000000000000002", "text"] == "@ann Kale does."
    assert comments.loc["110000000000000003", "text"] == "Kale and leeks, in my garden.\n\nNot chard."
    assert comments.loc["110000000000000004", "is_post_author"]
    assert corpus.skipped["reason"].tolist() == ["a boost (reblog), not a comment"]
    assert tuple(tally(corpus)) == (5, 4, 1)
    assert ("dee@far.example", "eve@gone.example", "reply", False) in edge_set(corpus)


def test_mastodon_statuses_one_a_line_and_several_conversations():
    def status(i, reply_to, who):
        return {"id": str(i), "in_reply_to_id": reply_to, "in_reply_to_account_id": None,
                "account": {"id": who, "acct": who}, "content": f"<p>s{i}</p>", "created_at": "2024-01-01T00:00:00Z"}
    lines = [status(1, None, "a"), status(2, "1", "b"), status(3, None, "c"), status(4, "3", "a"), status(2, "1", "b")]
    corpus = parse_mastodon("\n".join(json.dumps(line) for line in lines))
    assert corpus.comments["thread_id"].tolist() == ["1", "3"]
    assert corpus.threads["post_author"].tolist() == ["a", "c"]
    assert tuple(tally(corpus)) == (2, 2, 0)  # the repeated status is the same status, kept once
    with pytest.raises(FormatError, match="document 1.*expected Mastodon"):
        parse_mastodon('{"id": "1", "content": "no account"}')


# -- Bluesky ----------------------------------------------------------------------------------------

def test_bluesky_nested_replies_and_not_found_or_blocked_posts_as_placeholders():
    corpus, comments = table("bluesky-thread.json")
    root = "at://did:plc:ann/app.bsky.feed.post/3kroot"
    assert corpus.threads[["thread_id", "post_author"]].values.tolist() == [[root, "ann.bsky.social"]]
    bob, cid = "at://did:plc:bob/app.bsky.feed.post/3kb1", "at://did:plc:cid/app.bsky.feed.post/3kc1"
    assert pd.isna(comments.loc[bob, "parent_id"]) and comments.loc[cid, "parent_id"] == bob
    gone = comments.loc["at://did:plc:eve/app.bsky.feed.post/3ke1"]
    blocked = comments.loc["at://did:plc:zed/app.bsky.feed.post/3kz1"]
    assert gone["is_placeholder"] and gone["parent_id"] == bob and gone["meta_missing"] == "not found"
    assert blocked["is_placeholder"] and pd.isna(blocked["parent_id"]) and blocked["meta_missing"] == "blocked"
    assert comments.loc[cid, "meta_url"] == "https://bsky.app/profile/cid.example.org/post/3kc1"
    assert tuple(tally(corpus)) == (3, 3, 0)


def test_bluesky_response_below_the_root_and_a_deleted_ancestor():
    root, mid, low = ("at://did:plc:r/app.bsky.feed.post/r", "at://did:plc:m/app.bsky.feed.post/m",
                      "at://did:plc:l/app.bsky.feed.post/l")
    low_post = {"uri": low, "author": {"handle": "low.test"},
                "record": {"text": "deep", "createdAt": "2024-01-01T02:00:00Z",
                           "reply": {"parent": {"uri": mid}, "root": {"uri": root}}}}
    document = {"thread": {"$type": "app.bsky.feed.defs#threadViewPost", "post": low_post, "replies": [],
                           "parent": {"$type": "app.bsky.feed.defs#notFoundPost", "uri": mid, "notFound": True}}}
    corpus = parse_bluesky(json.dumps(document))
    comments = corpus.comments.set_index("comment_id")
    assert comments.index.tolist() == [mid, low]
    assert comments.loc[mid, "is_placeholder"] and comments.loc[mid, "meta_missing"] == "not found"
    assert (comments["thread_id"] == root).all() and comments.loc[low, "depth"] == 2
    with pytest.raises(FormatError, match="getPostThread"):
        parse_bluesky('{"feed": []}')


# -- Telegram ---------------------------------------------------------------------------------------

def test_telegram_discussion_group_one_thread_per_channel_post():
    corpus, comments = table("telegram-result.json")
    threads = corpus.threads.set_index("thread_id")
    assert threads.loc["1777000002/2", "post_author"] == "Garden Club"
    assert threads.loc["1777000002/2", "title"] == "Seed swap on Saturday!"
    assert comments.loc[["3", "4", "5"], "thread_id"].tolist() == ["1777000002/2"] * 3
    assert pd.isna(comments.loc["3", "parent_id"]) and comments.loc["4", "parent_id"] == "3"
    assert comments.loc["7", "thread_id"] == "1777000002/6"
    assert comments.loc[["8", "9", "11"], "thread_id"].tolist() == ["1777000002"] * 3  # the group's own talk
    assert comments.loc["99", "is_placeholder"] and comments.loc["8", "parent_id"] == "99"
    assert comments.loc["3", "text"] == "Count me in, bringing beans"  # a list of entities, joined
    assert comments.loc["3", "created_at"] == pd.Timestamp(1714557900, unit="s", tz="UTC")  # date_unixtime
    assert "2" not in comments.index and "6" not in comments.index
    assert sorted(corpus.skipped["reason"]) == ["a service message (migrate_from_group)",
                                                "a service message (pin_message)"]
    assert tuple(tally(corpus)) == (9, 7, 2)


def test_telegram_full_export_channel_alone_and_text_shapes():
    chat = {"name": "News", "type": "public_channel", "id": 1, "messages": [
        {"id": 1, "type": "message", "date": "2024-01-01T10:00:00", "from": "News", "from_id": "channel1", "text": "x"}]}
    with pytest.raises(FormatError, match="linked discussion group"):
        parse_telegram(json.dumps(chat))
    group = {"name": "Chat", "type": "private_group", "id": 2, "messages": [
        {"id": 1, "type": "message", "date": "2024-01-01T10:00:00", "from": "Ann", "from_id": "user1", "text": "hi"}]}
    corpus = parse_telegram(json.dumps({"about": "", "chats": {"about": "", "list": [chat, group]}}))
    assert corpus.comments["comment_id"].tolist() == ["2:1"]  # ids numbered per chat: prefixed
    assert corpus.comments["created_at"].tolist() == [pd.Timestamp("2024-01-01T10:00:00Z")]  # no offset: UTC
    assert tuple(tally(corpus)) == (2, 1, 1)
    assert message_text(["a", {"type": "link", "text": "b"}, {"type": "x"}]) == "ab"
    with pytest.raises(FormatError, match="expected a Telegram"):
        parse_telegram('{"messages": 3}')


# -- Lemmy ------------------------------------------------------------------------------------------

def test_lemmy_paths_pages_repeats_and_missing_ancestors():
    corpus, comments = table("lemmy-comments.json")
    assert corpus.threads[["thread_id", "title", "post_author"]].values.tolist() == \
        [["42", "Raised beds: wood or metal?", "ann"]]
    assert comments.loc["503", "parent_id"] == "502" and comments.loc["503", "depth"] == 3
    assert comments.loc["502", "author"] == "bob@lemmy.world"  # another instance's account
    assert comments.loc[["505", "506"], "is_placeholder"].all() and comments.loc["507", "depth"] == 3
    assert comments.loc["508", "meta_deleted"]
    assert comments.loc["501", "is_post_author"] and not comments.loc["504", "is_post_author"]
    assert corpus.skipped["reason"].tolist() == ["comment 504 appears again"]
    assert tuple(tally(corpus)) == (7, 6, 1)
    with pytest.raises(FormatError, match="path to end with its id"):
        parse_lemmy(json.dumps({"comments": [{"comment": {"id": 5, "path": "0.4"}}]}))


# -- 4chan ------------------------------------------------------------------------------------------

def test_fourchan_quote_links_give_parents_and_quote_edges():
    corpus, comments = table("4chan-thread.json")
    assert corpus.threads[["thread_id", "title", "post_author"]].values.tolist() == \
        [["90001", "Overwintering peppers", "ID:OPaa1111"]]
    assert pd.isna(comments.loc["90002", "parent_id"])  # links only the opening post: top level
    assert comments.loc["90004", "parent_id"] == "90003" and comments.loc["90004", "quoted_authors"] == "ID:Bbbb2222"
    assert comments.loc["90003", "author"] == "Pepperfan !Xy9abc"
    assert comments.loc["90004", "is_post_author"]  # the opening poster's id, replying
    assert comments.loc["90005", "is_placeholder"] and comments.loc["90006", "parent_id"] == "90005"
    assert pd.isna(comments.loc["90007", "parent_id"])  # a link into another thread is no reply
    assert comments.loc["90003", "text"] == ">>90002\nHow cool?\n>bright room"
    assert comments.loc["90002", "created_at"] == pd.Timestamp(1717315500, unit="s", tz="UTC")
    assert tuple(tally(corpus)) == (5, 5, 0)
    assert {("ID:OPaa1111", "Pepperfan !Xy9abc", "reply", False),
            ("ID:OPaa1111", "ID:Bbbb2222", "quote", False)} <= edge_set(corpus)


def test_fourchan_posters_and_bad_input():
    assert poster({"name": "Anonymous"}) is None
    assert poster({"name": "Anonymous", "id": "Ab12"}) == "ID:Ab12"
    assert poster({"name": "Anonymous", "trip": "!!tr"}) == "!!tr"
    assert poster({"name": "Bob"}) == "Bob"
    with pytest.raises(FormatError, match="expected a 4chan post"):
        parse_fourchan('{"posts": [{"resto": 0}]}')


# -- Arctic Shift -----------------------------------------------------------------------------------

def test_arctic_shift_meta_fields_kept_as_columns():
    corpus, comments = table("reddit-dump-arcticshift.ndjson")
    assert comments.loc["l1b", "meta_removal_type"] == "deleted" and comments.loc["l1b", "meta_was_deleted_later"]
    assert comments.loc["l1c", "meta_edited"] and not comments.loc["l1a", "meta_edited"]
    assert comments.loc["l1d", "meta_was_initially_deleted"] and comments.loc["l1d", "meta_removal_type"] == "removed"
    assert pd.isna(comments.loc["l1b", "author"])  # "[deleted]" is nobody
    assert tuple(tally(corpus)) == (4, 4, 0)


# -- damaged inputs: every platform fixture, cut and retyped --------------------------------------

_ODD_VALUES = [None, 3, "x", [], {}, [1], {"a": 1}, True, -1.5, "2024-13-45", ""]


def _retyped(value, rng, depth=0):
    """``value`` with one nested field replaced by a value of another JSON type."""
    if isinstance(value, (dict, list)) and value:
        key = rng.choice(list(value)) if isinstance(value, dict) else rng.randrange(len(value))
        if rng.random() < 0.3 or depth > 6:
            value[key] = json.loads(json.dumps(rng.choice(_ODD_VALUES)))  # a fresh copy: no shared lists
        else:
            _retyped(value[key], rng, depth + 1)
    return value


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()))
def test_damaged_platform_files_give_a_corpus_or_a_discourse_error(name, tmp_path):
    import random

    from discourse.exceptions import DiscourseError

    rng = random.Random(name)
    raw = (FIXTURES / name).read_text(encoding="utf-8")
    try:
        documents, one_document = [json.loads(raw)], True
    except ValueError:  # XML, or one JSON document a line
        one_document = False
        documents = None if name.endswith(".xml") else [json.loads(line) for line in raw.splitlines() if line.strip()]
    fmt = name.split(".")[0].rsplit("-", 1)[0]
    for trial in range(40):
        if documents is None or trial % 4 == 0:
            cut = rng.randrange(len(raw))
            content = raw[:cut] + rng.choice(["", "}", "]", '"', "<", "\n{"]) + raw[cut + rng.randrange(30):]
        else:
            copies = json.loads(json.dumps(documents))
            for _ in range(rng.randint(1, 3)):
                _retyped(rng.choice(copies), rng)
            content = json.dumps(copies[0]) if one_document else "".join(json.dumps(d) + "\n" for d in copies)
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        try:
            corpus = read_comments(path, format=fmt)
        except DiscourseError as exc:
            assert str(path) in str(exc)  # names the file
            continue
        assert tally(corpus).balanced, (name, trial)
