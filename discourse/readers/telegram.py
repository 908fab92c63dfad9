"""Telegram Desktop's JSON export (``result.json``): one chat, or a full export's ``chats.list``.

A chat is ``{"name", "type", "id", "messages": [...]}``; a message has ``id``, ``type``
("message" or "service"), ``date`` (the exporting computer's local time) and ``date_unixtime``
(UTC seconds, exports since 2021), ``from``, ``from_id``, ``text`` (a string, or a list of
strings and ``{"type", "text"}`` entities), ``reply_to_message_id``.  Service messages (joins,
pins, calls) are not comments and are listed as skipped; a reply to a message the export lacks
hangs under a placeholder.

A group is one thread.  A channel's linked discussion group carries each channel post as an
automatic forward from the channel (``from_id`` "channel..."); there each channel post opens a
thread of its own, the post being the thread's post and the channel its author, and the
comments under it (replies, and replies to replies) its comments; the group's other messages
form the group's own thread.  A channel export alone holds posts but not their comments: its
posts are listed as skipped, saying so.  Times: ``date_unixtime`` when present; else ``date``,
read as UTC because the export does not say its offset.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..exceptions import FormatError
from ._io import read_text_file
from ._social import require
from ._records import none_read, one_record
from .jsonl import author_or_none, corpus_from_rows, describe, guarded, id_or_none, json_documents

if TYPE_CHECKING:
    from ..model.corpus import Corpus

__all__ = ["parse_telegram", "read_telegram", "looks_like_telegram"]

NAME = "telegram"

_EXPECTED = "a Telegram Desktop export (result.json: a chat with 'messages', or 'chats': {'list': [...]})"
_CHANNELS = {"public_channel", "private_channel"}


def message_text(value: str | list[Any] | None) -> str:
    """Plain text of a message's ``text``: a string, or a list of strings and entity objects."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(part if isinstance(part, str) else str(part.get("text", "")) if isinstance(part, dict) else ""
                       for part in value)
    raise TypeError(f"a message text must be a string or a list, not {type(value).__name__}")


def _chats(document: Any, path: Path | str | None) -> list[dict[str, Any]]:
    if isinstance(document, dict) and isinstance(document.get("chats"), dict):
        chats = require(document["chats"].get("list"), list, "'chats.list' to be a list of chats", path)
        return [chat for chat in chats if isinstance(chat, dict) and "messages" in chat]
    if isinstance(document, dict) and isinstance(document.get("messages"), list):
        return [document]
    raise FormatError(f"expected {_EXPECTED}; found {describe(document)}", path=path)


def _time(message: dict[str, Any]) -> object:
    unix = message.get("date_unixtime")
    return unix if unix not in (None, "") else message.get("date")


def _chat_rows(chat: dict[str, Any], prefix: str, where: str | None, path: Path | str | None,
               ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[tuple[str | None, str, str]], int]:
    """Rows, thread dicts, skip records and the record count of one chat."""
    chat_id = str(chat.get("id", "chat"))
    group_thread = f"{prefix}{chat_id}"
    messages = require(chat["messages"], list, "'messages' to be a list", path, f"chat {chat_id}")
    is_channel = isinstance(chat.get("type"), str) and chat["type"] in _CHANNELS
    by_id, rows, skipped, records = {}, [], [], 0
    good = []
    for number, message in enumerate(messages, start=1):
        with one_record(skipped, path, record=f"chat {chat_id}, message {number}") as reading:  # costs the message
            require(message, dict, "a message object", path, f"chat {chat_id}, message {number}")
            if message.get("id") is not None:
                by_id[str(message["id"])] = message
            good.append((number, message))
        records += reading.failed

    def opener(message_id: str | None) -> str | None:
        """The channel post a message's reply chain leads to, or None."""
        seen = set()
        while message_id is not None and message_id not in seen:
            seen.add(message_id)
            message = by_id.get(message_id)
            if message is None:
                return None
            if str(message.get("from_id", "")).startswith("channel") and message.get("reply_to_message_id") is None:
                return message_id
            message_id = id_or_none(message.get("reply_to_message_id"))
        return None

    threads = {}
    for number, message in good:
        record, counted = f"chat {chat_id}, message {message.get('id', number)}", False
        with one_record(skipped, path, record=record) as reading:  # one bad message costs it, not the chat
            message_id = id_or_none(message.get("id"))
            if message_id is None:
                raise FormatError(f"expected a message with 'id' and 'type'; found {describe(message)}",
                                  path=path, record=record)
            if message.get("type", "message") != "message":
                records += 1
                skipped.append((where, record, f"a service message ({message.get('action', 'no action')})"))
                continue
            if is_channel:
                records += 1
                skipped.append((where, record, "a channel post (its comments are in the linked discussion group's "
                                               "export)"))
                continue
            post = opener(message_id)
            text = message_text(message.get("text"))
            if post == message_id:  # a channel post forwarded into its discussion group: a thread's post
                threads[f"{prefix}{chat_id}/{message_id}"] = {
                    "thread_id": f"{prefix}{chat_id}/{message_id}", "title": text.split("\n", 1)[0][:120] or None,
                    "url": None, "post_author": author_or_none(message.get("from")), "declared_comments": None,
                    "source_path": where}
                continue
            records, counted = records + 1, True
            parent = id_or_none(message.get("reply_to_message_id"))
            thread_id = f"{prefix}{chat_id}/{post}" if post is not None else group_thread
            rows.append({"comment_id": f"{prefix}{message_id}", "thread_id": thread_id,
                         "parent_id": None if parent is None or parent == post else f"{prefix}{parent}",
                         "author": author_or_none(message.get("from")), "created_at": _time(message), "text": text,
                         "source": NAME, "meta_forwarded_from": message.get("forwarded_from"),
                         "meta_edited": bool(message.get("edited"))})
        records += reading.failed and not counted  # a message skipped before it was counted
    if any(row["thread_id"] == group_thread for row in rows):
        threads[group_thread] = {"thread_id": group_thread, "title": chat.get("name"), "url": None, "post_author": None,
                                 "declared_comments": None, "source_path": where}
    return rows, list(threads.values()), skipped, records


@guarded
def parse_telegram(text: str | bytes, *, source_path: Path | str | None = None) -> Corpus:
    """Parse a Telegram Desktop JSON export into a :class:`~discourse.model.corpus.Corpus`.

    Examples
    --------
    >>> chat = ('{"name": "Garden", "type": "private_supergroup", "id": 7, "messages": ['
    ...         '{"id": 1, "type": "message", "date_unixtime": "1700000000", "from": "Ann", "text": "hi"},'
    ...         '{"id": 2, "type": "message", "date_unixtime": "1700000060", "from": "Bob",'
    ...         ' "text": ["see ", {"type": "link", "text": "x.org"}], "reply_to_message_id": 1}]}')
    >>> parse_telegram(chat).comments[["comment_id", "parent_id", "text"]].values.tolist()
    [['1', None, 'hi'], ['2', '1', 'see x.org']]
    """
    where = str(source_path) if source_path else None
    unread, chats = [], []  # unread: lines of one chat a line that are no chat (records, skipped)
    for number, document in enumerate(json_documents(text, source_path, expected="a Telegram chat",
                                                     documents=_EXPECTED, skipped=unread), start=1):
        with one_record(unread, source_path, record=f"document {number}"):
            chats += _chats(document, source_path)
    if unread and not chats:
        none_read(unread, source_path)
    rows, threads, skipped, records = [], [], [], 0
    for chat in chats:
        prefix = f"{chat.get('id')}:" if len(chats) > 1 else ""  # message ids are numbered per chat
        more = _chat_rows(chat, prefix, where, source_path)
        rows += more[0]
        threads += more[1]
        skipped += more[2]
        records += more[3]
    if not rows and skipped:
        reasons = {reason for _, _, reason in skipped}
        raise FormatError(f"expected messages to read; all {len(skipped)} are skipped ({'; '.join(sorted(reasons))})",
                          path=source_path)
    return corpus_from_rows(rows, threads, unread + skipped, source_path, records + len(unread))


def read_telegram(path: Path | str) -> Corpus:
    """Read a Telegram Desktop ``result.json`` from ``path`` (see :func:`parse_telegram`)."""
    path = Path(path)
    return parse_telegram(read_text_file(path), source_path=path)


def looks_like_telegram(head: str) -> bool:
    """A JSON object with a chat's ``messages`` whose entries have Telegram's ``from_id`` or ``date_unixtime``."""
    text = head.lstrip("\ufeff").lstrip()
    return text.startswith("{") and re.search(r'"messages"\s*:\s*\[', text) is not None and (
        re.search(r'"date_unixtime"\s*:', text) is not None or re.search(r'"from_id"\s*:\s*"(user|channel)', text)
        is not None)
