"""Platform readers (issue 18): YouTube, yt-dlp, Discourse forums, Stack Exchange, X/Twitter (twarc2).

Counts on the real samples in ../shared/samples were measured independently (see its README);
the fixtures in tests/fixtures/platforms and inline here are invented from the platforms' API
documentation.  No personal field of a sample is printed.
"""

import json

import pandas as pd
import pytest

from discourse.model.corpus import tally
from discourse.exceptions import DiscourseError, FormatError
from discourse.network.graph import commenter_edges
from discourse.readers import READERS, detect_format, read_comments, read_corpus
from discourse.readers.discourse_forum import parse_discourse_forum
from discourse.readers.stackexchange import parse_stackexchange
from discourse.readers.twitter import parse_twitter
from discourse.readers.youtube import parse_youtube, parse_ytdlp
import shared_data
from shared_data import sample

FIXTURES = shared_data.FIXTURES / "platforms"


def real(corpus):
    return corpus.comments[~corpus.comments["is_placeholder"]]


# -- the real samples: counts measured independently ---------------------------------------------

def test_youtube_sample_141_comments_100_top_level_41_replies_one_thread():
    corpus = read_comments(sample("youtube-commentthreads-CeAvbVpBWR4.json"))
    comments = real(corpus)
    assert len(comments) == 141
    assert (comments["depth"] == 1).sum() == 100 and (comments["depth"] == 2).sum() == 41
    assert comments["thread_id"].nunique() == 1 and len(corpus.threads) == 1
    assert corpus.threads["declared_comments"].tolist() == [142]  # totalReplyCount: one reply not carried
    assert tuple(tally(corpus)) == (141, 141, 0)
    assert comments["created_at"].dt.tz is not None and comments["created_at"].notna().all()


def test_discourse_sample_post_1_is_the_topic_and_19_comments_8_top_level():
    corpus = read_comments(sample("discourse-topic-2144-posts1-21.json"))
    comments = real(corpus)
    assert len(comments) == 19 and (comments["depth"] == 1).sum() == 8
    assert corpus.threads["thread_id"].tolist() == ["2144"]
    assert corpus.threads["post_author"].notna().all()
    assert "20089" not in set(comments["comment_id"])  # post 1's id: the topic, not a comment
    assert comments["depth"].max() == 5
    assert tuple(tally(corpus)) == (19, 19, 0)


def test_stackexchange_sample_327_answers_in_212_threads_tag_wikis_skipped():
    corpus = read_comments(sample("stackexchange-coffee-2015-Posts.xml"))
    comments = real(corpus)
    assert len(comments) == 327 and (comments["depth"] == 1).all()
    assert comments["thread_id"].nunique() == 212 and len(corpus.threads) == 212
    assert corpus.threads["title"].notna().all() and corpus.threads["post_author"].notna().all()
    assert len(corpus.skipped) == 40 and corpus.skipped["reason"].str.contains("tag.wiki").all()
    assert tuple(tally(corpus)) == (367, 327, 40)


def test_twarc2_sample_100_tweets_in_97_conversations():
    corpus = read_comments(sample("twarc2-search-noflat.jsonl"))
    comments = real(corpus)
    assert len(comments) == 100 and comments["thread_id"].nunique() == 97
    replies = comments[comments["parent_id"].notna()]
    assert len(replies) == 31
    parents = corpus.comments.set_index("comment_id").loc[replies["parent_id"]]
    assert parents["is_placeholder"].sum() == 30  # one parent is in data, 30 only in includes.tweets
    assert parents["author"].notna().all()  # placeholders from includes know their authors
    edges = commenter_edges(corpus.comments, kinds=("reply",))
    assert edges.loc[~edges["inferred"], "weight"].sum() == 31  # every reply an explicit edge
    assert tuple(tally(corpus)) == (100, 100, 0)


# -- detection: every sample and every fixture, each read as its own format ------------------------

SAMPLE_FORMATS = {
    "reddit-thread-fjn0j9.json": "reddit", "reddit-dump-sample.ndjson": "reddit-dump",
    "disqus-export-benbalter.xml": "disqus", "hn-item-page-aws-outage.html": "hackernews-html",
    "youtube-commentthreads-CeAvbVpBWR4.json": "youtube", "discourse-topic-2144-posts1-21.json": "discourse-forum",
    "stackexchange-coffee-2015-Posts.xml": "stackexchange", "twarc2-search-noflat.jsonl": "twitter",
}

#: Fixture files of other tests that are not comment files (ConvoKit's side files, topic corpora).
NOT_COMMENTS = {"conversations.json", "corpus.json", "index.json", "speakers.json", "one_subject.json"}
FIXTURE_FORMATS = {
    "data/comments.jsonl": "jsonl", "data/custom-fields.jsonl": "jsonl", "data/convokit-corpus/utterances.jsonl": "convokit",
    "data/garden-list.mbox": "mbox", "data/hn-algolia.json": "hackernews-json", "data/hn-firebase.jsonl": "hackernews-json",
    "data/reddit-dump.ndjson": "reddit-dump", "data/reddit-thread.json": "reddit",
    "markup/disqus-export.xml": "disqus", "markup/hackernews-item.html": "hackernews-html",
    "markup/wordpress-comments.json": "wordpress-json", "markup/wordpress-export.xml": "wxr",
    "markup/wordpress-page.html": "wordpress",
}


def _platform_fixtures():
    return {f"platforms/{p.relative_to(FIXTURES)}": p.name.split(".")[0].rsplit("-", 1)[0]
            for p in sorted(FIXTURES.rglob("*")) if p.is_file()}


def test_every_shared_sample_is_detected_as_its_format():
    if not shared_data.SAMPLES.is_dir():
        pytest.skip("../shared/samples is not available")
    found = {p.name: detect_format(p) for p in sorted(shared_data.SAMPLES.iterdir())
             if p.is_file() and p.suffix != ".md"}
    assert {name: fmt for name, fmt in found.items() if name in SAMPLE_FORMATS} == SAMPLE_FORMATS
    unknown = set(found) - set(SAMPLE_FORMATS)
    assert all(found[name] in READERS for name in unknown)


def test_every_fixture_is_detected_as_its_format():
    expected = {**FIXTURE_FORMATS, **_platform_fixtures()}
    root = shared_data.FIXTURES
    files = {str(p.relative_to(root)): p for p in sorted(root.rglob("*")) if p.is_file() and p.name not in NOT_COMMENTS}
    assert set(files) == set(expected), "a fixture without an expected format"
    assert {name: detect_format(path) for name, path in files.items()} == expected
    for name in NOT_COMMENTS:
        for path in root.rglob(name):
            with pytest.raises(FormatError):
                detect_format(path)


def test_platform_fixtures_cover_every_new_format_and_read_balanced():
    for name, fmt in _platform_fixtures().items():
        corpus = read_comments(shared_data.FIXTURES / name)
        assert tally(corpus).balanced, name
        assert corpus.comments["created_at"].dt.tz is not None, name
        assert set(corpus.comments.loc[~corpus.comments["is_placeholder"], "source"]) == {fmt}, name


# -- YouTube ----------------------------------------------------------------------------------------

def _yt_comment(comment_id, author, text, *, parent=None, channel="UCx", when="2024-05-01T10:00:00Z"):
    snippet = {"videoId": "v1", "textOriginal": text, "textDisplay": text, "authorDisplayName": author,
               "authorChannelId": {"value": channel}, "publishedAt": when, "likeCount": 2}
    if parent:
        snippet["parentId"] = parent
    return {"kind": "youtube#comment", "id": comment_id, "snippet": snippet}


def _yt_thread(top, replies, total=None):
    return {"kind": "youtube#commentThread", "id": top["id"],
            "snippet": {"channelId": "UCowner", "videoId": "v1", "topLevelComment": top,
                        "totalReplyCount": len(replies) if total is None else total},
            "replies": {"comments": replies}}


def test_youtube_at_name_replies_are_inferred_replies_keeping_the_explicit_parent():
    page = {"kind": "youtube#commentThreadListResponse", "items": [_yt_thread(
        _yt_comment("a", "@ann", "first"),
        [_yt_comment("a.1", "@bob", "no", parent="a", channel="UCbob"),
         _yt_comment("a.2", "@cid", "@bob you are wrong", parent="a", channel="UCcid"),
         _yt_comment("a.3", "@owner", "@ann thanks!", parent="a", channel="UCowner"),
         _yt_comment("a.4", "@dan", "@bobby? @bob", parent="a", channel="UCdan")])]}
    corpus = parse_youtube(json.dumps(page))
    comments = corpus.comments.set_index("comment_id")
    assert comments.loc["a.2", "addressee"] == "@bob" and comments.loc["a.2", "parent_id"] == "a"
    assert pd.isna(comments.loc["a.4", "addressee"])  # "@bobby" is nobody here
    assert comments.loc["a.3", "addressee"] == "@ann"  # the parent's own author: no edge beyond the explicit one
    assert comments["is_post_author"].tolist() == [False, False, False, True, False]
    assert corpus.threads["post_author"].tolist() == ["@owner"]
    edges = commenter_edges(corpus.comments, kinds=("reply",))
    pairs = {(s, t, i) for s, t, i in zip(edges["source"], edges["target"], edges["inferred"])}
    assert ("@cid", "@ann", False) in pairs and ("@cid", "@bob", True) in pairs
    assert not any(s == "@owner" and i for s, _, i in pairs)


def test_youtube_pages_as_json_lines_with_a_comments_list_page_and_repeats():
    threads_page = {"kind": "youtube#commentThreadListResponse", "nextPageToken": "x",
                    "items": [_yt_thread(_yt_comment("a", "Ann", "top"), [_yt_comment("a.1", "Bob", "r", parent="a")],
                                         total=3)]}
    replies_page = {"kind": "youtube#commentListResponse",
                    "items": [_yt_comment("a.1", "Bob", "r", parent="a"), _yt_comment("a.2", "Cid", "r2", parent="a"),
                              _yt_comment("b.1", "Dan", "orphan", parent="b")]}
    corpus = parse_youtube("\n".join(json.dumps(p) for p in (threads_page, replies_page)))
    comments = corpus.comments
    assert comments["comment_id"].tolist() == ["a", "a.1", "a.2", "b", "b.1"]
    assert comments.set_index("comment_id").loc["b", "is_placeholder"]  # the parent outside the file
    assert comments["thread_id"].unique().tolist() == ["v1"]
    assert corpus.skipped["reason"].tolist() == ["comment a.1 appears again"]
    assert tuple(tally(corpus)) == (5, 4, 1)


def test_youtube_errors_name_the_record():
    with pytest.raises(FormatError, match=r"page 1.*expected YouTube"):
        parse_youtube('{"kind": "youtube#videoListResponse", "foo": []}')
    with pytest.raises(FormatError, match=r"snippet"):
        parse_youtube('{"kind": "youtube#commentListResponse", "items": [{"kind": "youtube#comment", "id": "x"}]}')


def test_ytdlp_comments_root_parents_and_uploader():
    info = {"id": "v9", "title": "A video", "uploader": "Chan", "extractor_key": "Youtube", "comments": [
        {"id": "c1", "parent": "root", "author": "@ann", "text": "hi", "timestamp": 1700000000},
        {"id": "c1.r", "parent": "c1", "author": "@chan", "text": "@ann welcome", "timestamp": 1700000100,
         "author_is_uploader": True},
        {"id": "c2.r", "parent": "c2", "author": "@bob", "text": "orphan", "timestamp": 1700000200}]}
    corpus = parse_ytdlp(json.dumps(info))
    comments = corpus.comments
    assert comments["comment_id"].tolist() == ["c1", "c1.r", "c2", "c2.r"]
    assert comments["is_placeholder"].tolist() == [False, False, True, False]
    assert comments["is_post_author"].tolist() == [False, True, False, False]
    assert corpus.threads[["thread_id", "title", "post_author"]].values.tolist() == [["v9", "A video", "Chan"]]
    assert comments["created_at"].iloc[0] == pd.Timestamp(1700000000, unit="s", tz="UTC")
    with pytest.raises(FormatError, match="write-comments"):
        parse_ytdlp('{"id": "v9", "extractor_key": "Youtube"}')


# -- Discourse forums -------------------------------------------------------------------------------

def _post(number, username, reply_to=None, **extra):
    return {"id": 100 + number, "post_number": number, "reply_to_post_number": reply_to, "username": username,
            "cooked": f"<p>post {number}</p>", "created_at": f"2024-02-0{min(number, 9)}T08:00:00.000Z",
            "topic_id": 5, "post_type": 1, **extra}


def test_discourse_pages_merge_placeholders_know_their_author_and_small_actions_are_skipped():
    first = {"id": 5, "title": "Hello", "posts_count": 9, "post_stream": {"posts": [
        _post(1, "op"), _post(2, "ann"), _post(3, "bob", 1), _post(4, "ann", 2)]}}
    later = {"id": 5, "post_stream": {"posts": [
        _post(4, "ann", 2), _post(6, "cid", 5, reply_to_user={"username": "dan"}),
        _post(7, "system", None, post_type=3, cooked=""), _post(8, "op", 6,
                                                                cooked='<aside class="quote" data-username="cid" '
                                                                       'data-post="6"><blockquote>x</blockquote>'
                                                                       '</aside><p>yes</p>')]}}
    corpus = parse_discourse_forum(json.dumps([first, later]))
    comments = corpus.comments.set_index("comment_id")
    assert comments.index.tolist() == ["102", "103", "104", "5#5", "106", "108"]
    assert comments.loc["5#5", "is_placeholder"] and comments.loc["5#5", "author"] == "dan"
    assert pd.isna(comments.loc["103", "parent_id"])  # reply to post 1: top level
    assert comments.loc["104", "parent_id"] == "102" and comments.loc["108", "quoted_authors"] == "cid"
    assert comments.loc["108", "is_post_author"]
    assert corpus.threads[["thread_id", "title", "post_author", "declared_comments"]].values.tolist() == \
        [["5", "Hello", "op", 8]]
    assert sorted(corpus.skipped["reason"]) == ["not a comment (a small-action post)",
                                                "post 4 of topic 5 appears again (pages overlap)"]
    assert tuple(tally(corpus)) == (7, 5, 2)
    edges = commenter_edges(corpus.comments, kinds=("reply", "quote"))
    assert {("cid", "dan", "reply", False), ("op", "cid", "quote", False)} <= set(
        zip(edges["source"], edges["target"], edges["kind"], edges["inferred"]))


def test_discourse_rejects_json_without_a_post_stream():
    with pytest.raises(FormatError, match="post_stream"):
        parse_discourse_forum('{"topic_list": {"topics": []}}')


# -- Stack Exchange ---------------------------------------------------------------------------------

POSTS = b"""<?xml version="1.0" encoding="utf-8"?>
<posts>
  <row Id="1" PostTypeId="1" AcceptedAnswerId="3" CreationDate="2015-01-27T20:09:32.720" OwnerUserId="4" Title="Beans?" Body="&lt;p&gt;How?&lt;/p&gt;" AnswerCount="2" />
  <row Id="2" PostTypeId="2" ParentId="1" CreationDate="2015-01-27T21:00:00.000" OwnerDisplayName="Guest Ann" Body="&lt;p&gt;Freeze&lt;/p&gt;" />
  <row Id="3" PostTypeId="2" ParentId="1" CreationDate="2015-01-27T22:00:00.000" OwnerUserId="9" Body="&lt;p&gt;Jar&lt;/p&gt;" />
  <row Id="4" PostTypeId="4" CreationDate="2015-01-27T22:00:00.000" OwnerUserId="-1" Body="excerpt" />
  <row Id="5" PostTypeId="2" ParentId="77" CreationDate="2015-01-28T22:00:00.000" OwnerUserId="9" Body="&lt;p&gt;lost&lt;/p&gt;" />
</posts>
"""
COMMENTS = b"""<?xml version="1.0" encoding="utf-8"?>
<comments>
  <row Id="1" PostId="1" Score="0" Text="Which beans?" CreationDate="2015-01-27T20:30:00.000" UserId="9" />
  <row Id="2" PostId="3" Score="1" Text="@GuestAnn freezing ruins them" CreationDate="2015-01-27T23:00:00.000" UserId="4" />
  <row Id="3" PostId="4" Score="0" Text="on a wiki" CreationDate="2015-01-27T23:00:00.000" UserId="4" />
  <row Id="4" PostId="99" Score="0" Text="on a post not in the dump" CreationDate="2015-01-27T23:00:00.000" UserDisplayName="x" />
</comments>
"""
USERS = b"""<?xml version="1.0" encoding="utf-8"?>
<users>
  <row Id="4" DisplayName="Asker" />
  <row Id="9" DisplayName="Expert" />
</users>
"""


def test_stackexchange_answers_top_level_comments_under_their_post_and_at_names():
    import io
    corpus = parse_stackexchange(io.BytesIO(POSTS), io.BytesIO(COMMENTS))
    comments = corpus.comments.set_index("comment_id")
    assert comments.index.tolist() == ["2", "3", "5", "c1", "c2"]
    assert comments["thread_id"].tolist() == ["1", "1", "77", "1", "1"]
    assert comments["parent_id"].isna().tolist() == [True, True, True, True, False]
    assert comments.loc["c2", "parent_id"] == "3" and comments.loc["c2", "addressee"] == "Guest Ann"
    assert comments.loc["2", "author"] == "Guest Ann" and comments.loc["3", "author"] == "user9"
    assert comments["meta_accepted"].tolist() == [False, True, False, False, False]
    assert corpus.threads["thread_id"].tolist() == ["1", "77"]
    assert corpus.threads["title"].isna().tolist() == [False, True]  # thread 77: its question is not in the dump
    assert corpus.skipped["reason"].str.contains("tag-wiki").sum() == 1
    assert corpus.skipped["reason"].str.contains("which is not a question or answer").sum() == 2
    assert tuple(tally(corpus)) == (8, 5, 3)
    edges = commenter_edges(corpus.comments, kinds=("reply",))
    assert ("user4", "Guest Ann", True) in set(zip(edges["source"], edges["target"], edges["inferred"]))


def test_stackexchange_folder_or_both_files_and_users_names(tmp_path):
    folder = tmp_path / "coffee.stackexchange.com"
    folder.mkdir()
    (folder / "Posts.xml").write_bytes(POSTS)
    (folder / "Comments.xml").write_bytes(COMMENTS)
    alone = read_comments(folder / "Posts.xml")
    assert len(real(alone)) == 3
    both = read_corpus([folder / "Posts.xml", folder / "Comments.xml"])
    assert len(real(both)) == 5
    with pytest.raises(DiscourseError, match="name Posts.xml and Comments.xml together"):
        read_corpus([folder / "Comments.xml"])
    (folder / "Users.xml").write_bytes(USERS)
    named = read_comments(folder)
    assert named.threads["post_author"].iloc[0] == "Asker"
    assert set(real(named)["author"]) == {"Guest Ann", "Expert", "Asker"}


def test_stackexchange_refuses_a_doctype():
    import io
    with pytest.raises(FormatError, match="DOCTYPE"):
        parse_stackexchange(io.BytesIO(b'<?xml version="1.0"?><!DOCTYPE posts [<!ENTITY a "b">]><posts/>'))


# -- X / Twitter ------------------------------------------------------------------------------------

def test_twitter_flattened_tweets_quotes_and_placeholders_that_know_their_author():
    users = {"u1": {"id": "u1", "username": "ann"}, "u2": {"id": "u2", "username": "bob"},
             "u3": {"id": "u3", "username": "cid"}}
    lines = [
        {"id": "11", "conversation_id": "10", "author_id": "u2", "author": users["u2"], "text": "@ann no",
         "created_at": "2021-04-08T19:00:00.000Z", "in_reply_to_user_id": "u1",
         "referenced_tweets": [{"type": "replied_to", "id": "10", "author_id": "u1", "author": users["u1"],
                                "text": "root", "conversation_id": "10"}], "__twarc": {}},
        {"id": "12", "conversation_id": "10", "author_id": "u3", "author": users["u3"], "text": "see this",
         "created_at": "2021-04-08T19:05:00.000Z", "in_reply_to_user_id": "u2",
         "referenced_tweets": [{"type": "replied_to", "id": "11"},
                               {"type": "quoted", "id": "50", "author_id": "u1", "text": "old",
                                "author": users["u1"]}], "__twarc": {}},
        {"id": "13", "conversation_id": "20", "author_id": "u1", "author": users["u1"], "text": "elsewhere",
         "created_at": "2021-04-08T20:00:00+02:00", "in_reply_to_user_id": "u3",
         "referenced_tweets": [{"type": "replied_to", "id": "21"}], "__twarc": {}},
    ]
    corpus = parse_twitter("\n".join(json.dumps(line) for line in lines))
    comments = corpus.comments.set_index("comment_id")
    assert comments.index.tolist() == ["10", "11", "12", "21", "13"]
    assert comments.loc["10", "is_placeholder"] and comments.loc["10", "author"] == "ann"
    assert comments.loc["21", "is_placeholder"] and comments.loc["21", "author"] == "cid"  # from in_reply_to_user_id
    assert comments.loc["12", "quoted_authors"] == "ann"
    assert comments.loc["13", "created_at"] == pd.Timestamp("2021-04-08T18:00:00Z")
    assert corpus.threads.set_index("thread_id").loc["10", "post_author"] == "ann"
    edges = commenter_edges(corpus.comments, kinds=("reply", "quote"))
    assert set(zip(edges["source"], edges["target"], edges["kind"], edges["inferred"])) == {
        ("bob", "ann", "reply", False), ("cid", "bob", "reply", False), ("ann", "cid", "reply", False),
        ("cid", "ann", "quote", False)}
    assert tuple(tally(corpus)) == (3, 3, 0)


def test_twitter_repeats_and_error_pages():
    page = {"data": [{"id": "1", "author_id": "u1", "text": "a", "conversation_id": "1",
                      "created_at": "2021-01-01T00:00:00.000Z"}], "includes": {"users": [{"id": "u1", "username": "x"}]}}
    text = "\n".join([json.dumps(page), json.dumps(page), json.dumps({"errors": [{"title": "Not Found Error"}]})])
    corpus = parse_twitter(text)
    assert tuple(tally(corpus)) == (2, 1, 1)
    with pytest.warns(UserWarning, match="line 2: expected twarc2"):  # one bad line costs that line
        corpus = parse_twitter(json.dumps(page) + "\n" + json.dumps({"foo": 1}))
    assert tuple(tally(corpus)) == (2, 1, 1) and corpus.skipped["record"].tolist() == ["line 2"]
    with pytest.raises(FormatError, match="line 1: expected twarc2"):  # no line read: the first problem
        parse_twitter(json.dumps({"foo": 1}))
