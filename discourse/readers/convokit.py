"""ConvoKit corpora: read a corpus folder's ``utterances.jsonl``, and write a corpus folder.

ConvoKit's format (convokit.cornell.edu, "Data Format"): ``utterances.jsonl`` holds one
utterance a line with ``id, speaker, conversation_id, reply_to, timestamp, text`` and optional
``meta``; ``speakers.json`` and ``conversations.json`` map ids to ``{"meta": ..., "vectors": [...]}``;
``corpus.json`` holds corpus metadata and ``index.json`` the type of every metadata field.

A conversation's id is the id of its first utterance.  In comment-section corpora (ConvoKit's
Reddit corpora) that root utterance is the post, not a comment: by default it becomes the
thread's row (``post_author``, title from ``conversations.json``) and its replies are top-level
comments.  ``root_is_post=False`` keeps roots as comments (dialogue corpora).  Corpora written
here mark each root with ``meta.discourse_post`` so they read back to the same tree.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..model.corpus import Corpus
from ..exceptions import DiscourseError, FormatError
from ._io import Lines, read_text_file, split_lines
from ._records import one_record
from .jsonl import (author_or_none, comments_frame, describe, guarded, id_or_none, is_personal, iter_json_lines,
                    no_record_read, skipped_frame, threads_frame)

if TYPE_CHECKING:
    from collections.abc import Iterable

NAME = "convokit"

# ConvoKit needs a speaker id; this one (no platform allows its brackets in a user name) reads back
# as "no author".  Not "[deleted]": a placeholder or an anonymous comment was deleted by nobody.
_UNNAMED_SPEAKER = "(unknown)"
_EXPECTED = "a ConvoKit utterance: a JSON object with 'id', 'speaker', 'conversation_id', 'reply_to' and 'text'"


def _speaker(value: object) -> str | None:
    """The author a speaker id names: none for discourse's own unnamed speaker or a platform's "[deleted]"."""
    return None if value == _UNNAMED_SPEAKER else author_or_none(value)


def _utterance_row(number: int, record: dict[str, Any], path: Path | str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    if "id" not in record or "text" not in record:
        raise FormatError(f"expected {_EXPECTED}; found {describe(record)}", path=path, line=number)
    if id_or_none(record["id"]) is None:
        raise FormatError(f"expected {_EXPECTED}; found an empty 'id'", path=path, line=number)
    meta = record.get("meta") if isinstance(record.get("meta"), dict) else {}
    row = {"comment_id": str(record["id"]),
           # Older corpora say "user" and "root"; some Reddit corpora say "reply-to".
           "author": _speaker(record.get("speaker", record.get("user"))),
           "thread_id": id_or_none(record.get("conversation_id", record.get("root"))),
           "parent_id": id_or_none(record.get("reply_to", record.get("reply-to"))),
           "created_at": record.get("timestamp"), "text": "" if record["text"] is None else str(record["text"]),
           "source": NAME, "is_placeholder": bool(meta.get("discourse_placeholder", False)),
           "is_post_author": meta.get("discourse_is_post_author")}
    if "discourse_text_status" in meta:
        row["text_status"] = meta["discourse_text_status"]
    for key, value in meta.items():
        if not str(key).startswith("discourse_") and not is_personal(key):
            row[f"meta_{key}"] = json.dumps(value) if isinstance(value, (dict, list)) else value
    return row, meta


@guarded
def parse_convokit(lines: str | bytes | Lines | Iterable[str | bytes], *, conversations: dict[str, Any] | None = None,
                   root_is_post: bool = True, source_path: Path | str | None = None) -> Corpus:
    """Parse ``utterances.jsonl`` lines into a Corpus.

    ``conversations`` is the content of ``conversations.json`` (titles, urls), when known.
    """
    if isinstance(lines, (str, bytes)):
        lines = split_lines(lines)
    conversations = conversations or {}
    rows, posts, starters, marked, records, skipped = [], {}, {}, False, 0, []
    for number, record in iter_json_lines(lines, path=source_path, expected=_EXPECTED, skipped=skipped):
        with one_record(skipped, source_path, line=number):  # one bad utterance costs it, not the corpus
            row, meta = _utterance_row(number, record, source_path)
            row["_line"] = number
            row["thread_id"] = row["thread_id"] or row["comment_id"]
            if row["parent_id"] is None and row["comment_id"] == row["thread_id"]:
                starters[row["thread_id"]] = row
                marked = marked or "discourse_post" in meta
                if meta.get("discourse_post", root_is_post):
                    posts[row["comment_id"]] = row  # the post: its thread's row, not a comment record
                    continue
            records += not row["is_placeholder"]  # a placeholder stands for an absent comment
            rows.append(row)
    if not rows and not posts and skipped:
        no_record_read(skipped, source_path)
    where = str(source_path) if source_path else None
    threads = {}
    for row in rows:
        if row["parent_id"] in posts:
            row["parent_id"] = None  # a reply to the post is a top-level comment
        starter = starters.get(row["thread_id"])
        if row["is_post_author"] is None:
            # Corpora written here flag post authors; in others the conversation's starter is the post author.
            row["is_post_author"] = not marked and starter is not None and row["author"] is not None \
                and row["author"] == starter["author"]
        if row["thread_id"] not in threads:
            data = conversations.get(row["thread_id"]) or {}
            meta = data.get("meta", data) if isinstance(data, dict) else {}
            meta = meta if isinstance(meta, dict) else {}
            post = posts.get(row["thread_id"])
            threads[row["thread_id"]] = {
                "thread_id": row["thread_id"], "title": meta.get("title") or (post["text"] or None if post else None),
                "url": meta.get("url"), "post_author": starter["author"] if starter else None,
                "declared_comments": meta.get("declared_comments"), "source_path": where}
    return Corpus(comments=comments_frame(rows, path=source_path), threads=threads_frame(list(threads.values())),
                  skipped=skipped_frame(skipped), records=records + len(skipped))


def read_convokit(path: Path | str, *, root_is_post: bool = True) -> Corpus:
    """Read a ConvoKit corpus from its folder or its ``utterances.jsonl``, line by line."""
    path = Path(path)
    folder = path if path.is_dir() else path.parent
    utterances = folder / "utterances.jsonl" if path.is_dir() else path
    if not utterances.is_file():
        raise DiscourseError(f"{folder}: not a ConvoKit corpus folder; expected utterances.jsonl in it")
    conversations = {}
    if (folder / "conversations.json").is_file():
        where = folder / "conversations.json"
        try:
            conversations = json.loads(read_text_file(where))
        except ValueError as exc:
            raise FormatError(f"expected a JSON object of conversations; {exc}", path=where) from None
        if not isinstance(conversations, dict):
            raise FormatError(f"expected a JSON object of conversations; found {describe(conversations)}",
                              path=where)
    with Lines(utterances) as lines:
        return parse_convokit(lines, conversations=conversations, root_is_post=root_is_post, source_path=utterances)


def looks_like_convokit(head: str) -> bool:
    first = head.lstrip("\ufeff").lstrip().split("\n", 1)[0]
    keys = ('"id"', '"text"', '"timestamp"')
    return first.startswith("{") and all(key in first for key in keys) \
        and ('"speaker"' in first or '"user"' in first) and ('"conversation_id"' in first or '"root"' in first)


# -- writing ---------------------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    """A table cell as a JSON value: NA -> None, numpy scalars -> Python ones."""
    if value is None or (not isinstance(value, (list, dict)) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _without_none(meta: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in meta.items() if value is not None}


def _whole_numbers(column: pd.Series) -> bool:
    """A float column whose values are whole numbers: floats only because missing values forced it."""
    if not pd.api.types.is_float_dtype(column):
        return False
    present = column.dropna()
    return (present == present.round()).all()


def _index_of(records: Iterable[dict[str, Any]]) -> dict[str, list[str]]:
    """ConvoKit's metadata index: every field's type as ``["<class 'str'>"]``."""
    index = {}
    for meta in records:
        for key, value in meta.items():
            index.setdefault(key, [str(type(value))])
    return index


def _timestamp(value: pd.Timestamp) -> int | float | None:
    if pd.isna(value):
        return None
    seconds = value.timestamp()
    return int(seconds) if seconds == int(seconds) else seconds


def write_convokit(corpus: Corpus | pd.DataFrame, folder: Path | str) -> Path:
    """Write ``corpus`` (a Corpus or a comments table) as a ConvoKit corpus folder; returns the folder.

    Each thread whose id is not a comment's gets a root utterance standing for the post (speaker
    = post author, text = title), so every conversation has one root as ConvoKit expects;
    placeholders are written too, so that no utterance replies to one that does not exist.
    """
    comments = corpus.comments if isinstance(corpus, Corpus) else corpus
    threads = corpus.threads if isinstance(corpus, Corpus) else pd.DataFrame(columns=["thread_id"])
    thread_info = {row["thread_id"]: row for row in threads.to_dict("records")}
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    comment_ids = set(comments["comment_id"])
    meta_columns = [name for name in comments.columns if name.startswith("meta_") and not is_personal(name)]
    comments = comments.astype({name: "Int64" for name in meta_columns if _whole_numbers(comments[name])})
    utterances, conversations = [], {}
    for thread_id in pd.unique(comments["thread_id"]):
        info = thread_info.get(thread_id, {})
        title, url, post_author = (_plain(info.get(key)) for key in ("title", "url", "post_author"))
        conversations[thread_id] = {"meta": _without_none({"title": title, "url": url,
                                                           "declared_comments": _plain(info.get("declared_comments"))}),
                                    "vectors": []}
        if thread_id not in comment_ids:
            utterances.append({"id": thread_id, "speaker": post_author or _UNNAMED_SPEAKER,
                               "conversation_id": thread_id, "reply_to": None, "timestamp": None, "text": title or "",
                               "meta": {"discourse_post": True}, "vectors": []})
    for row in comments.to_dict("records"):
        thread_id, parent = row["thread_id"], _plain(row["parent_id"])
        meta = _without_none({name[len("meta_"):]: _plain(row[name]) for name in meta_columns})
        if parent is None and row["comment_id"] == thread_id:
            meta["discourse_post"] = False  # this thread's root is a real comment (a mail thread's first message)
        if row["is_placeholder"]:
            meta["discourse_placeholder"] = True
        if row["is_post_author"]:
            meta["discourse_is_post_author"] = True
        if row.get("text_status") not in (None, "present") and not pd.isna(row.get("text_status")):
            meta["discourse_text_status"] = row["text_status"]  # why the text is empty
        if parent is not None:
            reply_to = parent
        elif thread_id in comment_ids:
            reply_to = None  # the thread is rooted at a comment: ConvoKit's own convention
        else:
            reply_to = thread_id  # a top-level comment answers the post's utterance
        utterances.append({"id": row["comment_id"], "speaker": _plain(row["author"]) or _UNNAMED_SPEAKER,
                           "conversation_id": thread_id, "reply_to": reply_to,
                           "timestamp": _timestamp(row["created_at"]), "text": _plain(row["text"]) or "",
                           "meta": meta, "vectors": []})
    with (folder / "utterances.jsonl").open("w", encoding="utf-8") as handle:
        for utterance in utterances:
            handle.write(json.dumps(utterance, ensure_ascii=False, default=str) + "\n")
    speakers = {utterance["speaker"]: {"meta": {}, "vectors": []} for utterance in utterances}
    overall = {"generator": "discourse", "num_utterances": len(utterances), "num_conversations": len(conversations)}
    index = {"utterances-index": _index_of(u["meta"] for u in utterances), "speakers-index": {},
             "conversations-index": _index_of(c["meta"] for c in conversations.values()),
             "overall-index": _index_of([overall]), "vectors": [], "version": 1}
    for name, content in (("speakers.json", speakers), ("conversations.json", conversations),
                          ("corpus.json", overall), ("index.json", index)):
        (folder / name).write_text(json.dumps(content, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return folder
