"""Round trips for the platform formats (issue 18): a random reply tree written the way each
platform's API or export writes it, read back to the same parents, authors, texts and times.

Trees come from :mod:`test_round_trips`; formats that keep replies shallow (YouTube: one level,
Stack Exchange: answers and their comments) get trees at most two levels deep.
"""

import html
import json
from xml.sax.saxutils import quoteattr

import pandas as pd
from hypothesis import given, settings

from discourse.model.corpus import tally
from discourse.readers import detect_format, read_comments
from test_round_trips import SETTINGS, T0, children, html_paragraphs, iso, read_tree, text_of, trees, written


#: Fewer examples than the older formats' round trips: each example here is read in nine formats.
ROUND_TRIP = settings(max_examples=15, **SETTINGS)


def _html(comment):
    return html_paragraphs(comment)


def render_youtube(tree):
    """commentThreads pages of two threads each, as a JSON array of pages."""
    def comment(i, parent=None):
        c = tree[i]
        snippet = {"videoId": "vid1", "textDisplay": _html(c), "textOriginal": text_of(c),
                   "authorDisplayName": c["author"], "authorChannelId": {"value": f"UC{i}"},
                   "likeCount": 0, "publishedAt": iso(c["time"]), "updatedAt": iso(c["time"])}
        if parent is not None:
            snippet["parentId"] = f"t{parent}"
        return {"kind": "youtube#comment", "id": f"t{i}" if parent is None else f"t{parent}.r{i}", "snippet": snippet}
    items = [{"kind": "youtube#commentThread", "id": f"t{i}",
              "snippet": {"channelId": "UCowner", "videoId": "vid1", "topLevelComment": comment(i),
                          "totalReplyCount": len(children(tree, i)), "canReply": True, "isPublic": True},
              "replies": {"comments": [comment(k, i) for k in children(tree, i)]}}
             for i in children(tree, None)]
    pages = [{"kind": "youtube#commentThreadListResponse", "pageInfo": {"resultsPerPage": 2},
              "items": items[start:start + 2]} for start in range(0, len(items), 2)]
    return json.dumps(pages, ensure_ascii=False, indent=1)


def render_ytdlp(tree):
    comments = [{"id": f"c{i}" if c["parent"] is None else f"c{c['parent']}.{i}",
                 "parent": "root" if c["parent"] is None else f"c{c['parent']}", "text": text_of(c),
                 "author": c["author"], "author_id": f"UC{i}", "timestamp": c["time"], "like_count": 1,
                 "author_is_uploader": False} for i, c in enumerate(tree)]
    return json.dumps({"id": "vid1", "title": "A video", "formats": [{"format_id": "18", "ext": "mp4"}],
                       "uploader": "Channel", "channel_id": "UCowner", "extractor": "youtube",
                       "extractor_key": "Youtube", "webpage_url": "https://www.youtube.com/watch?v=vid1",
                       "comment_count": len(tree), "comments": comments}, ensure_ascii=False, indent=1)


def render_discourse(tree):
    """A topic JSON page (post 1 and the first half) and a posts.json page (overlapping the first)."""
    posts = [{"id": 500, "post_number": 1, "reply_to_post_number": None, "username": "op", "topic_id": 9,
              "cooked": "<p>The topic</p>", "created_at": iso(T0), "post_type": 1}]
    posts += [{"id": 501 + i, "post_number": i + 2, "topic_id": 9, "username": c["author"], "post_type": 1,
               "reply_to_post_number": None if c["parent"] is None else c["parent"] + 2, "cooked": _html(c),
               "created_at": iso(c["time"]), "actions_summary": []} for i, c in enumerate(tree)]
    half = len(posts) // 2 + 1
    first = {"id": 9, "title": "A topic", "slug": "a-topic", "posts_count": len(posts),
             "post_stream": {"posts": posts[:half], "stream": [p["id"] for p in posts]}, "details": {}}
    second = {"id": 9, "post_stream": {"posts": posts[max(half - 1, 1):]}}
    return "\n".join(json.dumps(page, ensure_ascii=False) for page in (first, second)) + "\n"


def _attribute(value):
    return quoteattr(value, {"\n": "&#xA;", "\r": "&#xD;", "\t": "&#x9;"})


def render_stackexchange(tree):
    """Posts.xml: the question, answers (top level) and, as answers of PostTypeId 2, nothing deeper:
    comments are in Comments.xml, so this renders both, joined as the folder a dump unpacks to."""
    stamp = "%Y-%m-%dT%H:%M:%S.000"
    posts = ['<?xml version="1.0" encoding="utf-8"?>', "<posts>",
             f'  <row Id="1" PostTypeId="1" CreationDate="2015-01-01T00:00:00.000" OwnerUserId="7" Title="Q?" '
             f'Body={_attribute("<p>question</p>")} />']
    comments = ['<?xml version="1.0" encoding="utf-8"?>', "<comments>"]
    for i, c in enumerate(tree):
        when = pd.Timestamp(c["time"], unit="s").strftime(stamp)
        if c["parent"] is None:
            posts.append(f'  <row Id="{10 + i}" PostTypeId="2" ParentId="1" CreationDate="{when}" '
                         f'OwnerDisplayName={_attribute(c["author"])} Body={_attribute(_html(c))} />')
        else:
            comments.append(f'  <row Id="{10 + i}" PostId="{10 + c["parent"]}" Text={_attribute(text_of(c))} '
                            f'CreationDate="{when}" UserDisplayName={_attribute(c["author"])} />')
    return "\n".join(posts + ["</posts>", ""]), "\n".join(comments + ["</comments>", ""])


def render_twitter(tree):
    """One twarc2 page a line, two tweets a page; users in includes."""
    names = {a: f"u{n}" for n, a in enumerate(dict.fromkeys(c["author"] for c in tree))}

    def tweet(i):
        c, root = tree[i], i
        while tree[root]["parent"] is not None:
            root = tree[root]["parent"]
        out = {"id": str(1000 + i), "conversation_id": str(1000 + root), "author_id": names[c["author"]],
               "text": text_of(c), "created_at": iso(c["time"])[:-1] + ".000Z", "lang": "en",
               "public_metrics": {"like_count": 0}}
        if c["parent"] is not None:
            out["referenced_tweets"] = [{"type": "replied_to", "id": str(1000 + c["parent"])}]
        return out
    users = [{"id": uid, "username": author, "name": author} for author, uid in names.items()]
    lines = [json.dumps({"data": [tweet(i) for i in range(start, min(start + 2, len(tree)))],
                         "includes": {"users": users}, "meta": {"result_count": 2}}, ensure_ascii=False)
             for start in range(0, len(tree), 2)]
    return "\n".join(lines) + "\n"


def render_mastodon(tree):
    """A status's context (``ancestors``: the root, ``descendants``: the replies) as the API returns it."""
    accounts = {a: {"id": str(n), "username": f"u{n}", "acct": a} for n, a in enumerate(dict.fromkeys(c["author"] for c in tree))}
    root = {"id": "100", "in_reply_to_id": None, "in_reply_to_account_id": None, "account": {"id": "op", "acct": "op"},
            "content": "<p>A post</p>", "created_at": iso(T0), "reblog": None, "visibility": "public"}
    descendants = [{"id": str(101 + i), "in_reply_to_id": "100" if c["parent"] is None else str(101 + c["parent"]),
                    "in_reply_to_account_id": "op" if c["parent"] is None else accounts[tree[c["parent"]]["author"]]["id"],
                    "account": accounts[c["author"]], "content": _html(c), "created_at": iso(c["time"])[:-1] + ".000Z",
                    "reblog": None, "visibility": "public", "mentions": []} for i, c in enumerate(tree)]
    return json.dumps({"ancestors": [root], "descendants": descendants}, ensure_ascii=False, indent=1)


def render_bluesky(tree):
    root_uri = "at://did:plc:op/app.bsky.feed.post/root"

    def uri(i):
        return f"at://did:plc:u{i}/app.bsky.feed.post/p{i}"

    def view(i):
        c = tree[i]
        parent = root_uri if c["parent"] is None else uri(c["parent"])
        post = {"uri": uri(i), "cid": f"bafy{i}", "author": {"did": f"did:plc:u{i}", "handle": c["author"]},
                "record": {"$type": "app.bsky.feed.post", "text": text_of(c), "createdAt": iso(c["time"])[:-1] + ".000Z",
                           "reply": {"parent": {"uri": parent}, "root": {"uri": root_uri}}}}
        return {"$type": "app.bsky.feed.defs#threadViewPost", "post": post, "replies": [view(k) for k in children(tree, i)]}
    root = {"uri": root_uri, "cid": "bafyroot", "author": {"did": "did:plc:op", "handle": "op.bsky.social"},
            "record": {"$type": "app.bsky.feed.post", "text": "A post", "createdAt": iso(T0)}}
    return json.dumps({"thread": {"$type": "app.bsky.feed.defs#threadViewPost", "post": root,
                                  "replies": [view(i) for i in children(tree, None)]}}, ensure_ascii=False, indent=1)


def render_telegram(tree):
    """A group's export; every other message's text as Telegram's list of entities."""
    messages = [{"id": 1, "type": "service", "date": "2020-09-13T12:00:00", "date_unixtime": str(T0), "actor": "op",
                 "actor_id": "user1", "action": "create_group", "title": "Group", "members": [], "text": ""}]
    for i, c in enumerate(tree):
        text = text_of(c)
        message = {"id": 10 + i, "type": "message", "date": "2020-09-13T12:00:00", "date_unixtime": str(c["time"]),
                   "from": c["author"], "from_id": f"user{100 + i}",
                   "text": [text[:3], {"type": "bold", "text": text[3:]}] if i % 2 and len(text) > 3 else text}
        if c["parent"] is not None:
            message["reply_to_message_id"] = 10 + c["parent"]
        messages.append(message)
    return json.dumps({"name": "Group", "type": "private_supergroup", "id": 4242, "messages": messages},
                      ensure_ascii=False, indent=1)


def render_lemmy(tree):
    def path(i):
        chain = [i]
        while tree[chain[-1]]["parent"] is not None:
            chain.append(tree[chain[-1]]["parent"])
        return "0." + ".".join(str(700 + k) for k in reversed(chain))
    views = [{"comment": {"id": 700 + i, "creator_id": 10 + i, "post_id": 3, "content": text_of(c), "path": path(i),
                          "published": iso(c["time"])[:-1] + ".000000", "deleted": False, "removed": False},
              "creator": {"id": 10 + i, "name": c["author"], "local": True, "actor_id": "https://lemmy.example/u/x"},
              "post": {"id": 3, "name": "A post", "creator_id": 1}, "counts": {"score": 1, "child_count": 0}}
             for i, c in enumerate(tree)]
    return json.dumps({"comments": views}, ensure_ascii=False)


def _fourchan_lines(c):
    return [line for p in c["paragraphs"] for line in p]


def render_fourchan(tree):
    posts = [{"no": 5000, "resto": 0, "time": T0, "name": "Anonymous", "sub": "A thread", "com": "The post"}]
    for i, c in enumerate(tree):
        link = f'<a href="#p{5001 + c["parent"]}" class="quotelink">&gt;&gt;{5001 + c["parent"]}</a>' \
            if c["parent"] is not None else ""
        lines = [html.escape(line, quote=False) for line in _fourchan_lines(c)]
        posts.append({"no": 5001 + i, "resto": 5000, "time": c["time"], "name": c["author"],
                      "com": "<br>".join(([link] if link else []) + lines)})
    return json.dumps({"posts": posts}, ensure_ascii=False)


def _fourchan_text(tree, i):
    c = tree[i]
    return "\n".join(([f">>{5001 + c['parent']}"] if c["parent"] is not None else []) + _fourchan_lines(c))


#: format -> (renderer, file name, deepest level the format keeps, text as the format keeps it)
FORMATS = {
    "youtube": (render_youtube, "comments.json", 2, None),
    "yt-dlp": (render_ytdlp, "vid1.info.json", 2, None),
    "discourse-forum": (render_discourse, "topic.json", 8, None),
    "twitter": (render_twitter, "tweets.jsonl", 8, None),
    "mastodon": (render_mastodon, "context.json", 8, None),
    "bluesky": (render_bluesky, "thread.json", 8, None),
    "telegram": (render_telegram, "result.json", 8, None),
    "lemmy": (render_lemmy, "comments.json", 8, None),
    "4chan": (render_fourchan, "thread.json", 8, _fourchan_text),  # <br> lines: paragraphs are not kept
}


def check(fmt, tree):
    render, name, _, text = FORMATS[fmt]
    with written(render(tree), name) as path:
        assert detect_format(path) == fmt
        corpus = read_comments(path)
    texts = [text(tree, i) if text else text_of(c) for i, c in enumerate(tree)]
    assert read_tree(corpus) == [(c["parent"], c["author"], t) for c, t in zip(tree, texts)], fmt
    assert corpus.comments["created_at"].tolist() == [pd.Timestamp(c["time"], unit="s", tz="UTC") for c in tree], fmt
    counts = tally(corpus)
    assert counts.balanced and counts.written == len(tree), fmt
    # Overlapping pages list their repeated posts; the Telegram group's creation is a service message.
    assert set(corpus.skipped["reason"].str.contains("appears again|a service message")) <= {True}, fmt
    return corpus


@ROUND_TRIP
@given(tree=trees(max_comments=30, max_depth=2))
def test_shallow_trees_read_back_in_every_platform_format(tree):
    for fmt in FORMATS:
        check(fmt, tree)


@ROUND_TRIP
@given(tree=trees(max_comments=30, max_depth=6))
def test_deep_trees_read_back_in_the_formats_that_nest(tree):
    for fmt, (_, _, deepest, _) in FORMATS.items():
        if deepest > 2:
            check(fmt, tree)


@ROUND_TRIP
@given(tree=trees(max_comments=30, max_depth=2))
def test_stackexchange_posts_and_comments_read_back(tree):
    posts, comments = render_stackexchange(tree)
    with written(posts, "Posts.xml") as posts_path:
        (posts_path.parent / "Comments.xml").write_text(comments, encoding="utf-8")
        assert detect_format(posts_path) == "stackexchange"
        if any(c["parent"] is not None for c in tree):
            assert detect_format(posts_path.parent / "Comments.xml") == "stackexchange"
        corpus = read_comments(posts_path.parent)  # the folder: Posts.xml with its Comments.xml
    # Comments come after the answers in the table (Posts.xml is read first).
    order = [i for i, c in enumerate(tree) if c["parent"] is None] + [i for i, c in enumerate(tree) if c["parent"] is not None]
    position = {old: new for new, old in enumerate(order)}
    expected = [(None if tree[i]["parent"] is None else position[tree[i]["parent"]], tree[i]["author"],
                 text_of(tree[i])) for i in order]
    assert read_tree(corpus) == expected
    assert corpus.comments["created_at"].tolist() == [pd.Timestamp(tree[i]["time"], unit="s", tz="UTC") for i in order]
    assert corpus.threads["post_author"].tolist() == ["user7"]
    counts = tally(corpus)
    assert (counts.read, counts.written, counts.skipped) == (len(tree), len(tree), 0)


def test_html_escapes_survive_in_discourse_cooked_text():
    tree = [{"depth": 1, "parent": None, "author": "Ann", "paragraphs": [["Tom & Jerry <3 <b>not bold</b>"]],
             "time": T0}]
    corpus = check("discourse-forum", tree)
    assert corpus.comments["text"].tolist() == ["Tom & Jerry <3 <b>not bold</b>"]
    assert html.escape("<b>") not in corpus.comments["text"].iloc[0]
