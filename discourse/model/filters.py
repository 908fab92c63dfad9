"""Filters applied to a comments table before the analysis: threads, times, authors, bots, thread size.

Every filter is a plain function over the comments DataFrame returning a mask of the comments it
keeps; :func:`filter_comments` applies a mask so that the tree stays whole, and
:func:`filter_corpus` runs the filters a :class:`Filters` names, one after the other, recording each
comment left out in ``Corpus.filtered`` with the reason (read = written + skipped + filtered).

What leaving a comment out means for the tree: a comment none of whose replies is kept is
removed; a comment with a kept reply stays in its place as a placeholder (no author, no text, no
time, no ``meta_*`` values), so that every kept reply still replies to a comment, as a reply to a
deleted comment does.  A placeholder has no commenter: replies to it make no link to anyone, so an
excluded author is in no table, graph or image.  A placeholder that only kept left-out comments
in the tree is removed with them.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from numbers import Integral
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import DiscourseError, OptionsError
from .corpus import FILTERED_COLUMNS, Corpus

__all__ = ["BOT_ACCOUNTS", "Filters", "filter_corpus", "filter_comments", "by_thread", "by_author", "by_bot",
           "by_time", "by_thread_size", "parse_moment", "read_names"]

_REDDIT_BOTS = ("AutoModerator", "BotDefense", "RemindMeBot", "RepostSleuthBot", "SaveVideo", "savevideobot",
                "sneakpeekbot", "WikiTextBot", "WikiSummarizerBot", "totesmessenger", "haikusbot", "LinkifyBot",
                "FatFingerHelperBot", "B0tRank", "GifReversingBot", "stabbot", "vredditshare", "VredditDownloader",
                "TweetPoster", "timezone_bot", "nice-scores", "Reddit-Book-Bot", "auddbot", "MAGIC_EYE_BOT",
                "converter-bot", "WikiMobileLinkBot", "image_linker_bot")

#: Accounts ``--exclude-bots`` leaves out, by the ``source`` of a comment (its reader's name).
#: Tables of unknown origin (``csv``, ``jsonl``, ``convokit``, plain-text copies) are checked against
#: every list.  Names are compared exactly, as in commenters.csv.  "[deleted]" is
#: not here: it is no account but the placeholder of a deleted one (read as a missing author).
BOT_ACCOUNTS: dict[str, tuple[str, ...]] = {
    "reddit": _REDDIT_BOTS,
    "reddit-dump": _REDDIT_BOTS,
    # Discourse's own accounts: "system" posts topic notices, "discobot" is the narrative bot.
    "discourse-forum": ("system", "discobot"),
    # The Community user (id -1) owns wiki edits and bumps; named "user-1" without Users.xml.
    "stackexchange": ("Community", "user-1"),
    "lemmy": ("AutoTLDR", "LemmyTLDR"),
    "telegram": ("Telegram", "Channel_Bot", "GroupAnonymousBot"),
}
_ANY_SOURCE = ("csv", "jsonl", "convokit", "text")

_DATE_ONLY = re.compile(r"\s*\d{4}-\d{2}-\d{2}\s*")
_HAS_OFFSET = re.compile(r"(Z|[+-]\d{2}:?\d{2})\s*$", re.I)


def parse_moment(value: object, *, end_of_day: bool = False, option: str = "since") -> pd.Timestamp:
    """An ISO 8601 date or date and time as a UTC Timestamp; UTC when it names no offset.

    A date alone is the start of that day, or with ``end_of_day`` its last nanosecond (so
    ``until="2024-01-31"`` keeps the whole of 31 January).

    Examples
    --------
    >>> parse_moment("2024-01-31", end_of_day=True)
    Timestamp('2024-01-31 23:59:59.999999999+0000', tz='UTC')
    >>> parse_moment("2024-01-31T10:00+02:00")
    Timestamp('2024-01-31 08:00:00+0000', tz='UTC')
    """
    if isinstance(value, pd.Timestamp) or hasattr(value, "isoformat"):
        moment = pd.Timestamp(value)
        return moment.tz_localize("UTC") if moment.tzinfo is None else moment.tz_convert("UTC")
    text = str(value)
    try:
        moment = pd.Timestamp(text.strip())
        if not re.match(r"\s*\d{4}-\d{2}-\d{2}([ T]\d{2}(:\d{2}(:\d{2}(\.\d+)?)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$",
                        text, re.I):
            raise ValueError("not ISO 8601")
    except (ValueError, TypeError, OverflowError):
        raise OptionsError(f"{option} must be an ISO 8601 date or date and time (2024-01-31, 2024-01-31T18:00, "
                           f"2024-01-31T18:00+01:00); got {text!r}", option=option) from None
    moment = moment.tz_localize("UTC") if moment.tzinfo is None else moment.tz_convert("UTC")
    if end_of_day and _DATE_ONLY.fullmatch(text):
        moment += pd.Timedelta(days=1) - pd.Timedelta(1, "ns")
    return moment


def read_names(values: Iterable[str], *, option: str = "exclude_authors") -> tuple[str, ...]:
    """Author names, each given as itself or as ``@FILE``: a UTF-8 file of one name a line
    (blank lines and lines starting with ``#`` ignored; a name is never trimmed but of its line end).
    Names are compared in Unicode NFC, as read_corpus gives authors."""
    names = []
    for value in values:
        if isinstance(value, str) and value.startswith("@") and len(value) > 1:
            path = Path(value[1:])
            try:
                text = path.read_text(encoding="utf-8-sig")
            except FileNotFoundError:
                raise OptionsError(f"{option}: {path}: no such file (a name starting with @ is read as a file "
                                   "of names, one a line)", option=option) from None
            except (OSError, UnicodeDecodeError) as exc:
                raise OptionsError(f"{option}: {path}: cannot be read as UTF-8 text ({exc})", option=option) from None
            names += [line.rstrip("\r") for line in text.split("\n")
                      if line.strip() and not line.lstrip().startswith("#")]
        elif not isinstance(value, str) or not value:
            raise OptionsError(f"{option} must be author names; got {value!r}", option=option)
        else:
            names.append(value)
    return tuple(dict.fromkeys(unicodedata.normalize("NFC", name) for name in names))


@dataclass(frozen=True)
class Filters:
    """Which comments the analysis keeps (README "Filters"); the default keeps them all.

    Checked on construction: a value no filter can take raises
    :class:`~discourse.exceptions.OptionsError` naming the option.

    Parameters
    ----------
    threads : sequence of str, default ()
        Keep only these threads (their ``thread_id``); every thread when empty.
    since, until : str, datetime or None
        Keep comments written from ``since`` and up to ``until`` (both included), ISO 8601 dates or
        dates and times, UTC unless they name an offset; a date alone as ``until`` includes that
        whole day.  With either one, comments without a time are left out too (nothing says when
        they were written).
    min_comments : int >= 1 or None
        Keep only threads holding at least this many comments (counted after the other filters).
    exclude_authors : sequence of str, default ()
        Leave out these authors' comments (exact names, as in commenters.csv); ``@FILE`` reads the
        names from a file, one a line.
    exclude_bots : bool, default False
        Leave out the comments of the source's well-known bot and system accounts
        (:data:`BOT_ACCOUNTS`).

    Examples
    --------
    >>> Filters(since="2024-01-01", exclude_authors=["AutoModerator"]).describe()
    ['--exclude-author AutoModerator', '--since 2024-01-01T00:00:00Z']
    >>> Filters(min_comments=0)
    Traceback (most recent call last):
    ...
    discourse.exceptions.OptionsError: min_comments must be an integer >= 1 or None; got 0
    """

    threads: tuple[str, ...] = ()
    since: Any = None
    until: Any = None
    min_comments: int | None = None
    exclude_authors: tuple[str, ...] = field(default=())
    exclude_bots: bool = False

    def __post_init__(self) -> None:
        threads = (self.threads,) if isinstance(self.threads, str) else tuple(self.threads)
        if not all(isinstance(thread, str) and thread for thread in threads):
            raise OptionsError(f"threads must be thread ids; got {self.threads!r}", option="threads")
        authors = (self.exclude_authors,) if isinstance(self.exclude_authors, str) else self.exclude_authors
        since = None if self.since is None else parse_moment(self.since, option="since")
        until = None if self.until is None else parse_moment(self.until, end_of_day=True, option="until")
        if since is not None and until is not None and until < since:
            raise OptionsError(f"until ({until.isoformat()}) is before since ({since.isoformat()})", option="until")
        if self.min_comments is not None and (isinstance(self.min_comments, bool) or not isinstance(
                self.min_comments, Integral) or self.min_comments < 1):
            raise OptionsError(f"min_comments must be an integer >= 1 or None; got {self.min_comments!r}",
                               option="min_comments")
        if not isinstance(self.exclude_bots, (bool, np.bool_)):
            raise OptionsError(f"exclude_bots must be True or False; got {self.exclude_bots!r}", option="exclude_bots")
        for name, value in (("threads", tuple(dict.fromkeys(threads))), ("since", since), ("until", until),
                            ("min_comments", None if self.min_comments is None else int(self.min_comments)),
                            ("exclude_authors", read_names(authors)), ("exclude_bots", bool(self.exclude_bots))):
            object.__setattr__(self, name, value)

    @property
    def active(self) -> bool:
        """True when some filter would leave comments out."""
        return bool(self.threads or self.since is not None or self.until is not None or self.min_comments
                    or self.exclude_authors or self.exclude_bots)

    def describe(self) -> list[str]:
        """The filters as the command-line options that set them, one a filter, for notes and run.json."""
        described = [f"--thread {thread}" for thread in self.threads]
        described += [f"--exclude-author {name}" for name in self.exclude_authors]
        if self.exclude_bots:
            described.append("--exclude-bots")
        for flag, moment in (("--since", self.since), ("--until", self.until)):
            if moment is not None:
                described.append(f"{flag} {_iso(moment)}")
        if self.min_comments:
            described.append(f"--min-comments {self.min_comments}")
        return described


def _iso(moment: pd.Timestamp) -> str:
    """A UTC moment as ISO 8601 text, to the nanosecond only when it has them."""
    text = moment.tz_convert("UTC").isoformat()
    return text.replace("+00:00", "Z")


# -- the filters: each a mask of the comments it keeps ---------------------------------------------

def by_thread(comments: pd.DataFrame, threads: Iterable[str]) -> pd.Series:
    """Comments of these threads; OptionsError naming a thread the table lacks."""
    threads = list(threads)
    present = pd.unique(comments["thread_id"].dropna())
    unknown = [thread for thread in threads if thread not in set(present)]
    if unknown:
        shown = ", ".join(map(str, present[:10])) + (f", ... ({len(present):,} threads)" if len(present) > 10 else "")
        raise OptionsError(f"threads: no thread {', '.join(map(repr, unknown))} in the input; it has {shown}",
                           option="threads")
    return comments["thread_id"].isin(threads)


def by_author(comments: pd.DataFrame, names: Iterable[str]) -> pd.Series:
    """Comments not written by one of ``names`` (exact names)."""
    return ~comments["author"].isin(list(names)).fillna(False).astype(bool)


def _bots_of(source: object) -> tuple[str, ...]:
    """The bot accounts of comments from ``source``: every list for a table of unknown origin."""
    if not isinstance(source, str) or not source or source in _ANY_SOURCE:
        return tuple(dict.fromkeys(name for names in BOT_ACCOUNTS.values() for name in names))
    return BOT_ACCOUNTS.get(source, ())


def by_bot(comments: pd.DataFrame) -> pd.Series:
    """Comments not written by a bot or system account of their source (:data:`BOT_ACCOUNTS`)."""
    keep = pd.Series(True, index=comments.index)
    sources = comments["source"] if "source" in comments else pd.Series(pd.NA, index=comments.index)
    for source, rows in comments.groupby(sources.fillna(""), sort=False).groups.items():
        bots = _bots_of(source)
        if bots:
            keep[rows] = ~comments.loc[rows, "author"].isin(bots).fillna(False).astype(bool)
    return keep


def by_time(comments: pd.DataFrame, since: pd.Timestamp | None, until: pd.Timestamp | None) -> pd.Series:
    """Comments written from ``since`` to ``until`` (both included); untimed ones are not."""
    times = comments["created_at"]
    keep = times.notna()
    if since is not None:
        keep &= times >= since
    if until is not None:
        keep &= times <= until
    return keep.fillna(False).astype(bool)


def by_thread_size(comments: pd.DataFrame, minimum: int) -> pd.Series:
    """Comments of threads holding at least ``minimum`` comments (placeholders not counted)."""
    real = ~comments["is_placeholder"].astype(bool)
    sizes = comments.loc[real, "thread_id"].value_counts()
    return comments["thread_id"].map(sizes).fillna(0).ge(minimum).astype(bool)


# -- applying them -------------------------------------------------------------------------------

def filter_comments(comments: pd.DataFrame, keep: pd.Series) -> pd.DataFrame:
    """The comments ``keep`` marks, the tree kept whole (see the module's notes).

    Parameters
    ----------
    comments : pandas.DataFrame
        A complete comments table (:func:`~discourse.model.tree.complete_tree`).
    keep : pandas.Series of bool
        True for each comment to keep; a placeholder's value is ignored (it stays while it has a kept reply).

    Returns
    -------
    pandas.DataFrame
        The kept comments, left-out comments with kept replies as placeholders, in the input's
        order; depth and subthread ids unchanged (every kept comment keeps its ancestors).

    Examples
    --------
    >>> import pandas as pd
    >>> from discourse.model.tree import complete_tree
    >>> table = complete_tree(pd.DataFrame({"comment_id": ["a", "b", "c"], "thread_id": "t",
    ...                                     "parent_id": [None, "a", None], "author": ["Bot", "Ann", "Bot"],
    ...                                     "text": ["x", "y", "z"]}))
    >>> kept = filter_comments(table, table["author"] != "Bot")
    >>> kept["comment_id"].tolist(), kept["is_placeholder"].tolist(), kept["author"].isna().tolist()
    (['a', 'b'], [True, False], [True, False])
    """
    placeholder = comments["is_placeholder"].to_numpy(dtype=bool)
    keep = keep.to_numpy(dtype=bool) & ~placeholder
    ids = comments["comment_id"].to_numpy(dtype=object)
    position = dict(zip(ids, range(len(ids))))
    parents = comments["parent_id"].to_numpy(dtype=object, na_value=None)
    parent_at = np.fromiter((position.get(parent, -1) if parent is not None else -1 for parent in parents),
                            dtype=np.int64, count=len(ids))
    needed = keep.copy()
    for start in np.nonzero(keep)[0]:  # walk up from each kept comment until a marked ancestor
        at = parent_at[start]
        while at >= 0 and not needed[at]:
            needed[at] = True
            at = parent_at[at]
    out = comments[needed].reset_index(drop=True)
    blank = (needed & ~keep & ~placeholder)[needed]  # left out, but a kept reply needs it in the tree
    if blank.any():
        emptied = {name: _blanked(out[name], blank) for name in out.columns
                   if name in _PERSONAL_COLUMNS or name.startswith("meta_")}
        out = out.assign(**emptied, is_placeholder=out["is_placeholder"] | blank,
                         is_post_author=out["is_post_author"] & ~blank, text=out["text"].where(~blank, ""))
        if "text_status" in out:
            out["text_status"] = out["text_status"].where(~blank, "filtered")
    return out


#: Columns a left-out comment kept as a placeholder loses: who wrote it, whom it answers, when.
_PERSONAL_COLUMNS = ("author", "created_at", "addressee", "quoted_authors")


def _blanked(column: pd.Series, rows: np.ndarray) -> pd.Series:
    """``column`` with ``rows`` missing (a bool column becomes a nullable one to hold the gap)."""
    if column.dtype == bool:
        column = column.astype("boolean")
    return column.mask(pd.Series(rows, index=column.index))


def _without_names(comments: pd.DataFrame, names: set[str]) -> pd.DataFrame:
    """No trace of ``names`` as a commenter: a placeholder's known author, an addressee and a quoted
    author of theirs blanked, so the excluded make no node of the graph."""
    changed = {}
    if comments["author"].isin(names).any():  # a placeholder whose author the platform named
        changed["author"] = comments["author"].mask(comments["author"].isin(names))
    if "addressee" in comments and comments["addressee"].isin(names).any():
        changed["addressee"] = comments["addressee"].mask(comments["addressee"].isin(names))
    if "quoted_authors" in comments and comments["quoted_authors"].notna().any():
        quoted = comments["quoted_authors"].map(
            lambda text: ";".join(n for n in text.split(";") if n not in names) or None
            if isinstance(text, str) else text)
        changed["quoted_authors"] = quoted.astype(comments["quoted_authors"].dtype)
    return comments.assign(**changed) if changed else comments


def filter_corpus(corpus: Corpus, filters: Filters | None) -> Corpus:
    """The corpus with the comments ``filters`` leave out removed (or made placeholders), each
    listed in ``Corpus.filtered`` with its reason.

    The filters run in this order, each on what the one before kept: threads, excluded authors,
    bots, times, thread size; a comment is listed with the reason of the first that left it out.
    Threads left without a comment are dropped from ``Corpus.threads``, and an excluded author
    stops being a thread's post author.

    Parameters
    ----------
    corpus : Corpus
        As :func:`~discourse.read_corpus` returns it.
    filters : Filters or None
        What to leave out; None (or no filter set) returns ``corpus`` itself.

    Returns
    -------
    Corpus
        ``filtered`` (thread_id, comment_id, reason) and ``filters`` set; ``records`` unchanged,
        so read = written + skipped + filtered.

    Raises
    ------
    OptionsError
        A thread named that the corpus lacks.
    DiscourseError
        The filters leave no comment.

    Examples
    --------
    >>> from discourse import SAMPLE, read_corpus
    >>> corpus = filter_corpus(read_corpus(SAMPLE), Filters(exclude_authors=["Marta K."]))
    >>> corpus.filtered["reason"].value_counts().to_dict()
    {'written by an excluded author (--exclude-author)': 5}
    """
    if filters is None or not filters.active:
        return corpus
    comments = corpus.comments
    real = ~comments["is_placeholder"].astype(bool)
    reasons = pd.Series(pd.NA, index=comments.index, dtype="string")

    def leave_out(keep: pd.Series, reason: str) -> None:
        reasons[real & reasons.isna() & ~keep] = reason

    if filters.threads:
        leave_out(by_thread(comments, filters.threads), "in a thread not chosen with --thread")
    if filters.exclude_authors:
        leave_out(by_author(comments, filters.exclude_authors), "written by an excluded author (--exclude-author)")
    if filters.exclude_bots:
        leave_out(by_bot(comments), "written by a bot or system account (--exclude-bots)")
    if filters.since is not None or filters.until is not None:
        timed = comments["created_at"].notna()
        leave_out(timed, "has no time, so it is not known to be within --since/--until")
        if filters.since is not None:
            leave_out(by_time(comments, filters.since, None), f"written before --since {_iso(filters.since)}")
        if filters.until is not None:
            leave_out(by_time(comments, None, filters.until), f"written after --until {_iso(filters.until)}")
    if filters.min_comments:
        so_far = comments.assign(is_placeholder=comments["is_placeholder"] | reasons.notna())
        leave_out(by_thread_size(so_far, filters.min_comments),
                  f"in a thread of fewer than {filters.min_comments} comments (--min-comments)")
    out = reasons.notna()
    if out[real].all():
        why = "; ".join(f"{n:,} {'comment' if n == 1 else 'comments'}: {reason}"
                        for reason, n in reasons[real].value_counts(sort=True).items())
        raise DiscourseError(f"the filters ({' '.join(filters.describe())}) leave no comment of the "
                             f"{int(real.sum()):,} read ({why})")
    kept = filter_comments(comments, ~out)
    excluded = set(filters.exclude_authors)
    if filters.exclude_bots:
        excluded |= {name for source in pd.unique(comments["source"].fillna("")) for name in _bots_of(source)}
    if excluded:
        kept = _without_names(kept, excluded)
    filtered = pd.DataFrame({"thread_id": comments.loc[out, "thread_id"], "comment_id": comments.loc[out, "comment_id"],
                             "reason": reasons[out]}, columns=FILTERED_COLUMNS).astype("string")
    threads = corpus.threads[corpus.threads["thread_id"].isin(set(kept["thread_id"]))]
    if excluded and "post_author" in threads:
        threads = threads.assign(post_author=threads["post_author"].mask(threads["post_author"].isin(excluded)))
    return dataclasses.replace(corpus, comments=kept, threads=threads.reset_index(drop=True),
                               filtered=pd.concat([corpus.filtered, filtered], ignore_index=True),
                               filters=filters)
