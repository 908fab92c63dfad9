"""Stack Exchange data dumps: ``Posts.xml``, alone or with ``Comments.xml`` (and ``Users.xml`` for names).

``Posts.xml`` rows: ``Id``, ``PostTypeId`` (1 question, 2 answer; 3-8 tag wikis, nominations and
other site pages), ``ParentId`` (an answer's question), ``OwnerUserId`` / ``OwnerDisplayName``,
``CreationDate`` (UTC), ``Body`` (HTML), ``Title``.  ``Comments.xml`` rows: ``Id``, ``PostId``,
``UserId`` / ``UserDisplayName``, ``CreationDate``, ``Text`` (plain).

A question is a thread's post (its owner the post author); its answers are top-level comments;
a comment replies to the post it is on (top level on the question, under an answer otherwise);
a comment opening with "@name" of a commenter of the thread is also an inferred reply to them.
Rows that are neither questions nor answers (tag wikis, PostTypeId 4 and 5, and the rest) are
skipped and reported, as are comments on them or on posts the dump lacks.  Authors are the
user's display name from ``Users.xml`` when it is given (a folder holding it), else
``OwnerDisplayName`` where the dump has no user id, else "user<id>" as the site names accounts.
Comment ids are the posts' ids; comments' ids are "c<Id>" (the two tables number apart).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import defusedxml
import defusedxml.ElementTree as SafeET

from ..exceptions import DiscourseError, FormatError
from ._markup import html_to_text
from ._social import add_addressees
from .jsonl import author_or_none, corpus_from_rows

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from ..model.corpus import Corpus

__all__ = ["parse_stackexchange", "read_stackexchange", "looks_like_stackexchange", "stackexchange_groups"]

NAME = "stackexchange"

_SITE_PAGES = {"3": "an orphaned tag wiki", "4": "a tag-wiki excerpt", "5": "a tag wiki", "6": "a moderator nomination",
               "7": "a wiki placeholder", "8": "a privilege wiki"}


def _rows(source: Path | str | BinaryIO, path: Path | str | None, root_tag: str) -> Iterator[dict[str, str]]:
    """Attributes of each ``<row>`` of a dump file (a path or a file object), streamed; refuses DTDs."""
    try:
        for _, element in SafeET.iterparse(source, events=("end",), forbid_dtd=True, forbid_entities=True,
                                           forbid_external=True):
            if element.tag == "row":
                yield dict(element.attrib)
                element.clear()
            elif element.tag != root_tag:
                raise FormatError(f"expected a Stack Exchange <{root_tag}> file of <row .../> elements; found "
                                  f"<{element.tag}>", path=path)
    except defusedxml.DefusedXmlException as exc:
        raise FormatError(f"expected a Stack Exchange dump without a DOCTYPE or entity declarations; found {exc}; "
                          "refusing it", path=path) from None
    except SafeET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise FormatError(f"expected a Stack Exchange dump; the XML is not well-formed: {exc}", path=path,
                          line=line) from None


def _author(user_id: str | None, display_name: str | None, names: dict[str | None, str | None]) -> str | None:
    if user_id not in (None, ""):
        return names.get(user_id) or f"user{user_id}"
    return author_or_none(display_name)


def parse_stackexchange(posts: Path | str | BinaryIO, comments: Path | str | BinaryIO | None = None,
                        users: Path | str | BinaryIO | None = None, *, source_path: Path | str | None = None,
                        comments_path: Path | str | None = None) -> Corpus:
    """Parse ``Posts.xml`` (and ``Comments.xml``, ``Users.xml``) into a :class:`~discourse.model.corpus.Corpus`.

    Each argument is a path or a binary file object of a dump file.

    Examples
    --------
    >>> import io
    >>> posts = io.BytesIO(b'<posts><row Id="1" PostTypeId="1" OwnerUserId="5" Title="Why?" Body="&lt;p&gt;Q&lt;/p&gt;" '
    ...                    b'CreationDate="2015-01-01T00:00:00.000"/><row Id="2" PostTypeId="2" ParentId="1" '
    ...                    b'OwnerDisplayName="ann" Body="&lt;p&gt;A&lt;/p&gt;" CreationDate="2015-01-02T00:00:00.000"/></posts>')
    >>> corpus = parse_stackexchange(posts)
    >>> corpus.comments[["comment_id", "author"]].values.tolist(), corpus.threads["post_author"].tolist()
    ([['2', 'ann']], ['user5'])
    """
    where = str(source_path) if source_path else None
    names = {row.get("Id"): row.get("DisplayName") for row in _rows(users, source_path, "users")} if users else {}
    questions, thread_of, rows, skipped, records, accepted = {}, {}, [], [], 0, set()
    for row in _rows(posts, source_path, "posts"):
        post_id, kind = row.get("Id"), row.get("PostTypeId")
        if not post_id or not kind:
            raise FormatError("expected <row Id=... PostTypeId=...> in Posts.xml; found a row with "
                              f"{', '.join(list(row)[:6]) or 'no attributes'}", path=source_path, record=post_id)
        author = _author(row.get("OwnerUserId"), row.get("OwnerDisplayName"), names)
        if kind == "1":
            if row.get("AcceptedAnswerId"):
                accepted.add(row["AcceptedAnswerId"])
            questions[post_id] = {"thread_id": post_id, "title": row.get("Title"), "url": None,
                                  "post_author": author, "declared_comments": row.get("AnswerCount"),
                                  "source_path": where}
            thread_of[post_id] = post_id
            continue
        records += 1
        if kind != "2":
            skipped.append((where, f"post {post_id}", f"not a question or answer ({_SITE_PAGES.get(kind, f'PostTypeId {kind}')})"))
            continue
        question = row.get("ParentId")
        if not question:
            raise FormatError(f"expected an answer (PostTypeId 2) with a ParentId; post {post_id} has none",
                              path=source_path, record=post_id)
        thread_of[post_id] = question
        rows.append({"comment_id": post_id, "thread_id": question, "parent_id": None, "author": author,
                     "created_at": row.get("CreationDate"), "text": html_to_text(row.get("Body"), path=source_path,
                                                                                 record=post_id),
                     "source": NAME, "meta_score": row.get("Score"), "meta_kind": "answer"})
    if comments is not None:
        where_comments = str(comments_path) if comments_path else where
        for row in _rows(comments, comments_path or source_path, "comments"):
            records += 1
            comment_id, post_id = row.get("Id"), row.get("PostId")
            if not comment_id or not post_id:
                raise FormatError("expected <row Id=... PostId=...> in Comments.xml", path=comments_path,
                                  record=comment_id)
            thread = thread_of.get(post_id)
            if thread is None:
                skipped.append((where_comments, f"comment {comment_id}",
                                f"on post {post_id}, which is not a question or answer of Posts.xml"))
                continue
            rows.append({"comment_id": f"c{comment_id}", "thread_id": thread,
                         "parent_id": None if post_id == thread else post_id,
                         "author": _author(row.get("UserId"), row.get("UserDisplayName"), names),
                         "created_at": row.get("CreationDate"), "text": row.get("Text") or "", "source": NAME,
                         "meta_score": row.get("Score"), "meta_kind": "comment"})
    for row in rows:
        row["meta_accepted"] = row["comment_id"] in accepted
    add_addressees(rows, replies_only=False)
    present = {row["thread_id"] for row in rows}
    threads = [question for thread_id, question in questions.items() if thread_id in present]
    return corpus_from_rows(rows, threads, skipped, source_path, records)


def _dump_file(folder: Path, name: str) -> Path | None:
    """``folder/name`` whatever the case of its name (dumps ship Posts.xml; some tools lower-case it)."""
    for candidate in folder.iterdir():
        if candidate.name.lower() == name.lower() and candidate.is_file():
            return candidate
    return None


def read_stackexchange(path: Path | str, *, comments: Path | str | None = None) -> Corpus:
    """Read a Stack Exchange dump: ``path`` is ``Posts.xml`` (``comments`` its ``Comments.xml``) or their folder.

    A folder's ``Comments.xml`` and ``Users.xml`` are read when present.
    """
    path = Path(path)
    users = None
    if path.is_dir():
        folder = path
        path = _dump_file(folder, "Posts.xml")
        if path is None:
            raise DiscourseError(f"{folder}: expected a Stack Exchange dump folder holding Posts.xml; it has none")
        comments = _dump_file(folder, "Comments.xml")
        users = _dump_file(folder, "Users.xml")
    elif _root_of(path) == "comments":
        raise DiscourseError(f"{path}: Stack Exchange comments need their posts: name Posts.xml and Comments.xml "
                             "together, or their folder")
    return parse_stackexchange(path, comments, users, source_path=path, comments_path=comments)


def _head(path: Path | str) -> str:
    with Path(path).open("rb") as handle:
        return handle.read(4096).decode("utf-8", errors="replace")


def _root_of(path: Path | str) -> str | None:
    match = re.search(r"<(posts|comments|users)[\s>]", _head(path))
    return match.group(1) if match else None


def stackexchange_groups(paths: Iterable[Path | str]) -> list[Path | tuple[Path, Path]]:
    """``paths`` with each ``Comments.xml`` joined to the ``Posts.xml`` given with it (same folder first).

    Returns a list of paths and ``(posts, comments)`` pairs; a comments file whose posts are not
    among ``paths`` stays alone (reading it then says what is missing).
    """
    paths = [Path(p) for p in paths]
    kinds = {p: _root_of(p) if p.is_file() and looks_like_stackexchange(_head(p)) else None for p in paths}
    posts = [p for p in paths if kinds[p] == "posts"]
    pairs = {}
    for comments in (p for p in paths if kinds[p] == "comments"):
        free = [p for p in posts if p not in pairs]
        match = next((p for p in free if p.parent == comments.parent), free[0] if len(free) == 1 else None)
        if match is not None:
            pairs[match] = comments
    joined = set(pairs.values())
    return [(p, pairs[p]) if p in pairs else p for p in paths if p not in joined]


def looks_like_stackexchange(head: str) -> bool:
    """XML whose root is ``<posts>`` (or ``<comments>``) of ``<row Id=... PostTypeId=...>`` (``PostId=``)."""
    return re.search(r"<posts>\s*<row\s[^>]*\bPostTypeId=", head) is not None \
        or re.search(r"<comments>\s*<row\s[^>]*\bPostId=", head) is not None
