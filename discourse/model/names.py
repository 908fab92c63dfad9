"""One person, one name: alias files, merging names, and finding likely duplicates to review.

An alias file is a CSV with the columns ``alias`` and ``name`` (more columns are ignored, so
the table :func:`find_aliases` writes can be edited and given back as it is).  Each row says
that two names are one person; rows that share names make one group, named by its row
``name`` that is no row's ``alias``.  :func:`merge_aliases` writes that name wherever a
commenter is named (``author``, ``addressee``, ``quoted_authors``, the threads' ``post_author``)
and keeps the name as read in ``meta_author_as_read``; the corpus remembers the aliases so that
a mention of an alias in a text counts for the merged name.

:func:`find_aliases` proposes pairs by general rules, each with its evidence:

- *case*, *accents*, *punctuation or spacing*: equal once case is folded, accents are removed
  (Unicode NFKD, combining marks dropped) and anything but letters and digits is left out;
- *word order*: the same words in another order ("Smith, John" and "John Smith");
- *initials*: the same last word, first words of which one starts the other ("B." or "Ben" and
  "Benjamin"), any further words of the longer name initials ("Benjamin J. Balter", "Ben Balter");
- *contained*: a name that is a run of words of another ("Ben" in "Ben Balter"); listed alone
  alone only when the short name (of 2 letters or more) is contained in exactly one other name;
- *post author*: the other name wrote the posts of (nearly) every thread the name comments in,
  as a blog's author answering under a short name does (only as support for a name rule);

Evidence in the last two rules ("contained, not unique" and "post author") proposes a pair only
when the pair has other evidence too.
- *same account*: both names carry the same value of a ``meta_author_*`` column (a Disqus
  username, a YouTube channel id, a profile URL or e-mail hash a reader keeps), or one name is
  the other's account name.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import replace
from itertools import combinations
from os import PathLike
from pathlib import Path

import pandas as pd

from ..exceptions import FormatError
from .corpus import Corpus

__all__ = ["ALIAS_COLUMNS", "FOUND_COLUMNS", "NAME_COLUMNS", "account_columns", "find_aliases", "fold",
           "merge_aliases", "read_aliases"]

#: The columns of an alias file.
ALIAS_COLUMNS = ("alias", "name")
#: The columns of :func:`find_aliases`' table.
FOUND_COLUMNS = ("alias", "name", "score", "evidence", "alias_comments", "name_comments")
#: Comment columns that name commenters (``quoted_authors``: several, ";"-joined).
NAME_COLUMNS = ("author", "addressee", "quoted_authors")

#: The weight of each kind of evidence; a pair's score is 1 - the product of (1 - weight).
_WEIGHTS = {"same account": 0.95, "case": 0.9, "accents": 0.9, "punctuation or spacing": 0.85,
            "account name": 0.8, "word order": 0.7, "initials": 0.6, "contained": 0.5,
            "contained, not unique": 0.2, "post author": 0.5}
#: Evidence that proposes a pair only with other evidence.
_SUPPORTING = {"post author", "contained, not unique"}
#: Share of a name's threads the other name must have written for "post author".
_POST_AUTHOR_SHARE = 0.8

_WORD = re.compile(r"[^\W_]+")

#: add(name, other name, kind of evidence, the evidence in words)
_Add = Callable[[str, str, str, str], None]


def fold(name: str) -> str:
    """``name`` without case and accents: NFKD, combining marks dropped, case folded.

    Examples
    --------
    >>> fold("Marc Chéhab")
    'marc chehab'
    """
    decomposed = unicodedata.normalize("NFKD", str(name))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _words(name: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold(name)))


def account_columns(comments: pd.DataFrame) -> list[str]:
    """The ``meta_author_*`` columns of a comments table: values that identify an author's account."""
    return [c for c in comments.columns if str(c).startswith("meta_author_") and c != "meta_author_as_read"]


# -- alias files ---------------------------------------------------------------------------------

def read_aliases(path: str | PathLike) -> dict[str, str]:
    """Read an alias file: ``{alias: name}`` with every name of a group mapped to the group's name.

    Parameters
    ----------
    path : str or path
        A UTF-8 CSV with the columns ``alias`` and ``name`` (others are ignored).

    Returns
    -------
    dict
        Each alias -> the name it merges into (never a chain: ``a -> b -> c`` gives ``a -> c``).

    Raises
    ------
    FormatError
        Naming the file and line: a missing column, an empty cell, or a group of names with no
        single name (two rows' names are both no row's alias, or the rows make a loop).

    Examples
    --------
    >>> import tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> path = os.path.join(folder, "aliases.csv")
    >>> _ = open(path, "w").write("alias,name\\nBen,Ben Balter\\nBenjamin J. Balter,Ben Balter\\n")
    >>> read_aliases(path)
    {'Ben': 'Ben Balter', 'Benjamin J. Balter': 'Ben Balter'}
    """
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [c for c in ALIAS_COLUMNS if c not in header]
            if missing:
                raise FormatError(f"expected an alias file with the columns alias,name; the header is "
                                  f"{','.join(header) or '(empty)'}", path=path, line=1)
            rows = []
            for row in reader:
                alias, name = (row.get(c) for c in ALIAS_COLUMNS)
                alias, name = (" ".join(v.split()) if isinstance(v, str) else "" for v in (alias, name))
                if not alias and not name:
                    continue  # a blank line
                if not alias or not name:
                    raise FormatError(f"expected an alias and a name; found alias {alias!r}, name {name!r}",
                                      path=path, line=reader.line_num)
                rows.append((reader.line_num, alias, name))
    except UnicodeDecodeError as error:
        raise FormatError(f"expected UTF-8 text; byte {error.start} is not", path=path) from None
    return _groups(rows, path)


def _groups(rows: list[tuple[int, str, str]], path: Path | str | None) -> dict[str, str]:
    """{alias: group name} of (line, alias, name) rows; FormatError for a group without one name."""
    parent: dict[str, str] = {}

    def root(name: str) -> str:
        while parent.setdefault(name, name) != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    for _, alias, name in rows:
        parent[root(alias)] = root(name)
    aliases = {alias for _, alias, name in rows if alias != name}
    members: dict[str, list[str]] = defaultdict(list)
    for name in list(parent):
        members[root(name)].append(name)
    lines: dict[str, list[int]] = defaultdict(list)
    for line, alias, name in rows:
        lines[root(alias)].append(line)
    out = {}
    for group, names in members.items():
        heads = sorted({name for _, alias, name in rows if root(name) == group and name not in aliases})
        if len(heads) != 1:
            where = ", ".join(map(str, sorted(lines[group])[:5]))
            found = ("names " + " and ".join(repr(h) for h in heads[:3])) if heads else "a loop (every name is an alias)"
            raise FormatError(f"expected one name for the group {', '.join(map(repr, sorted(names)[:5]))}; "
                              f"lines {where} give {found}", path=path)
        out.update({name: heads[0] for name in names if name != heads[0]})
    return out


def _alias_map(aliases: Mapping[str, str] | str | PathLike) -> dict[str, str]:
    if isinstance(aliases, (str, PathLike)):
        return read_aliases(aliases)
    return _groups([(0, str(a), str(n)) for a, n in dict(aliases).items()], None)


# -- merging -------------------------------------------------------------------------------------

def merge_aliases(corpus: Corpus, aliases: Mapping[str, str] | str | PathLike) -> Corpus:
    """``corpus`` with every alias replaced by its name, wherever a commenter is named.

    Parameters
    ----------
    corpus : Corpus
        Comments as :func:`~discourse.read_corpus` returns them.
    aliases : mapping or path
        ``{alias: name}``, or the path of an alias file (:func:`read_aliases`).

    Returns
    -------
    Corpus
        A copy: ``author``, ``addressee``, ``quoted_authors`` and the threads' ``post_author``
        merged; ``meta_author_as_read`` holds the name as read where it changed; a comment by the
        (merged) author of its thread's post is flagged ``is_post_author``; ``Corpus.aliases``
        holds the aliases in use, so that mentions of an alias count for the merged name.

    Examples
    --------
    >>> from discourse import read_corpus, SAMPLE
    >>> corpus = read_corpus(SAMPLE)
    >>> first, second = corpus.comments["author"].iloc[:2]
    >>> merged = merge_aliases(corpus, {second: first})
    >>> merged.comments["author"].nunique() == corpus.comments["author"].nunique() - 1
    True
    """
    mapping = _alias_map(aliases)
    comments = corpus.comments.copy()
    if not mapping:
        return corpus
    authors = comments["author"]
    merged = authors.map(lambda name: mapping.get(name, name) if isinstance(name, str) else name).astype(authors.dtype)
    changed = merged.ne(authors).fillna(False)
    if changed.any():
        as_read = authors.where(changed)
        comments["meta_author_as_read"] = as_read if "meta_author_as_read" not in comments else \
            comments["meta_author_as_read"].fillna(as_read)
    comments["author"] = merged
    for column in NAME_COLUMNS[1:]:
        if column in comments:
            comments[column] = comments[column].map(lambda value: _merged_names(value, mapping, column))
    threads = corpus.threads.copy()
    if "post_author" in threads:
        threads["post_author"] = threads["post_author"].map(
            lambda name: mapping.get(name, name) if isinstance(name, str) else name).astype(threads["post_author"].dtype)
        owner = comments["thread_id"].map(dict(zip(threads["thread_id"], threads["post_author"])))
        own = (comments["author"] == owner).fillna(False).astype(bool) & ~comments["is_placeholder"].astype(bool)
        comments["is_post_author"] = comments["is_post_author"].astype(bool) | own
    used = {alias: name for alias, name in mapping.items()}
    return replace(corpus, comments=comments, threads=threads, aliases={**corpus.aliases, **used})


def _merged_names(value: object, mapping: Mapping[str, str], column: str) -> object:
    if not isinstance(value, str):
        return value
    if column == "quoted_authors":
        return ";".join(dict.fromkeys(mapping.get(v, v) for v in value.split(";")))
    return mapping.get(value, value)


# -- finding -------------------------------------------------------------------------------------

def find_aliases(corpus: Corpus) -> pd.DataFrame:
    """Pairs of commenter names that may be one person, with a score and the evidence, to review.

    The rules are those of the module's description; every pair has at least one name rule or
    a shared account (thread evidence only supports).  Write the table as CSV, delete the rows
    that are not one person, and give it back as an alias file (``--alias``).

    Parameters
    ----------
    corpus : Corpus
        Comments as :func:`~discourse.read_corpus` returns them.

    Returns
    -------
    pandas.DataFrame
        :data:`FOUND_COLUMNS`: ``alias`` and ``name`` (the name to keep: the one with more
        words, then more letters, then more comments), ``score`` from 0 to 1, ``evidence`` in
        words, and each name's number of comments; by score, highest first, then by names.

    Examples
    --------
    >>> import pandas as pd
    >>> from discourse import Corpus, complete_tree
    >>> comments = complete_tree(pd.DataFrame({"comment_id": ["1", "2", "3"], "thread_id": "t",
    ...     "parent_id": [None, "1", "2"], "author": ["Marc Chehab", "Marc Chehab", "Marc Chéhab"], "text": "hi"}))
    >>> find_aliases(Corpus(comments))[["alias", "name", "evidence"]].values.tolist()
    [['Marc Chéhab', 'Marc Chehab', "accents: 'Marc Chehab' and 'Marc Chéhab' differ only in accents"]]
    """
    comments = corpus.comments
    real = comments[~comments["is_placeholder"].astype(bool) & comments["author"].notna()]
    counts = Counter(real["author"].tolist())
    names = sorted(counts)
    evidence: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)

    def add(a: str, b: str, kind: str, words: str) -> None:
        if a != b:
            evidence[(a, b) if a < b else (b, a)].setdefault(kind, words)

    _spelling(names, add)
    _containment(names, add)
    _initials(names, add)
    _accounts(real, names, add)
    _post_authors(real, corpus.threads, evidence)
    rows = []
    for (a, b), found in evidence.items():
        if set(found) <= _SUPPORTING and len(found) < 2:
            continue
        alias, name = sorted((a, b), key=lambda n: (len(_words(n)), len(n), counts[n], not n.islower(), n))
        score = 1.0
        for kind in found:
            score *= 1 - _WEIGHTS[kind]
        rows.append({"alias": alias, "name": name, "score": round(1 - score, 2),
                     "evidence": "; ".join(found.values()), "alias_comments": counts[alias],
                     "name_comments": counts[name]})
    table = pd.DataFrame(rows, columns=list(FOUND_COLUMNS))
    return table.sort_values(["score", "name", "alias"], ascending=[False, True, True],
                             kind="stable").reset_index(drop=True)


def _spelling(names: list[str], add: _Add) -> None:
    """Case, accents, punctuation or spacing, word order: names equal under a folding."""
    keys = [("case", str.casefold, "differ only in case"),
            ("accents", fold, "differ only in accents"),
            ("punctuation or spacing", lambda n: "".join(_words(n)), "differ only in punctuation or spacing"),
            ("word order", lambda n: " ".join(sorted(_words(n))), "have the same words in another order")]
    done: set[tuple[str, str]] = set()
    for kind, key, words in keys:
        groups: dict[str, list[str]] = defaultdict(list)
        for name in names:
            k = key(name)
            if k:
                groups[k].append(name)
        for members in groups.values():
            for a, b in combinations(members, 2):
                if (a, b) not in done:  # the plainest difference only
                    done.add((a, b))
                    add(a, b, kind, f"{kind}: {a!r} and {b!r} {words}")


def _containment(names: list[str], add: _Add) -> None:
    """"Ben" in "Ben Balter": the short name a run of the other's words (when another name
    holds it too, only support for other evidence)."""
    words = {name: _words(name) for name in names}
    runs: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for name, tokens in words.items():
        for length in range(1, len(tokens)):
            for start in range(len(tokens) - length + 1):
                runs[tokens[start:start + length]].append(name)
    for name, tokens in words.items():
        letters = sum(map(len, tokens))
        holders = sorted(set(runs.get(tokens, ())) - {name}) if letters >= 2 else []
        for holder in holders:
            if len(holders) == 1:
                add(name, holder, "contained", f"contained: {name!r} is a part of {holder!r}, and of no other name")
            else:
                add(name, holder, "contained, not unique",
                    f"contained: {name!r} is a part of {holder!r} (and of {len(holders) - 1} other name"
                    f"{'' if len(holders) == 2 else 's'})")


def _initials(names: list[str], add: _Add) -> None:
    """Same last word; first words of which one starts the other; the longer name's extra words initials."""
    by_last: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
    for name in names:
        tokens = _words(name)
        if len(tokens) >= 2:
            by_last[tokens[-1]].append((name, tokens))
    for members in by_last.values():
        if len(members) > 200:  # a very common last word: comparing all pairs would propose noise
            continue
        for (a, ta), (b, tb) in combinations(members, 2):
            if ta == tb:
                continue
            short, long = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
            first_short, first_long = sorted((short[0], long[0]), key=len)
            if not first_long.startswith(first_short):
                continue
            middle_short, middle_long = short[1:-1], long[1:-1]
            if len(middle_short) > len(middle_long):
                continue
            if any(not l.startswith(s) for s, l in zip(middle_short, middle_long)) or \
                    any(len(t) > 1 for t in middle_long[len(middle_short):]):
                continue
            add(a, b, "initials", f"initials: {a!r} and {b!r} share the last name and their first names "
                                  f"agree ({first_short!r} starts {first_long!r})" if first_short != first_long
                else f"initials: {a!r} and {b!r} share the first and last names; the other words are initials")


def _accounts(real: pd.DataFrame, names: list[str], add: _Add) -> None:
    """Same value of a ``meta_author_*`` column; or one name is the other's account name."""
    compact = defaultdict(list)
    for name in names:
        compact["".join(_words(name))].append(name)
    for column in account_columns(real):
        pairs = real[["author", column]].dropna().drop_duplicates()
        label = column[len("meta_author_"):].replace("_", " ")
        for value, group in pairs.groupby(column, sort=True):
            members = sorted(set(group["author"]))
            for a, b in combinations(members, 2):
                add(a, b, "same account", f"same account: both carry the {label} {value!r}")
            key = "".join(_words(str(value)))
            for owner in members:
                for other in compact.get(key, ()):
                    if other != owner:
                        add(owner, other, "account name", f"account name: {owner!r} has the {label} "
                                                          f"{value!r}, which is {other!r} written together")


def _post_authors(real: pd.DataFrame, threads: pd.DataFrame, evidence: dict[tuple[str, str], dict[str, str]]) -> None:
    """Support a name rule: the other name wrote the posts of the threads this name comments in."""
    if "post_author" not in threads or threads["post_author"].isna().all():
        return
    owner = dict(zip(threads["thread_id"], threads["post_author"]))
    threads_of = real.groupby("author", sort=False)["thread_id"].unique()
    for a, b in list(evidence):  # every pair a name rule proposed (or supports)
        for name, other in ((a, b), (b, a)):
            if name not in threads_of.index:
                continue
            seen = threads_of[name]
            share = sum(owner.get(t) == other for t in seen) / len(seen)
            if share >= _POST_AUTHOR_SHARE:
                evidence[(a, b)].setdefault(
                    "post author", f"post author: {other!r} wrote the posts of "
                                   f"{'all' if share == 1 else f'{share:.0%} of'} the {len(seen)} thread"
                                   f"{'' if len(seen) == 1 else 's'} {name!r} comments in")
