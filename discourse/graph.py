"""The commenter graph: who replied to, mentioned or quoted whom, and the comments behind it.

:func:`commenter_edges` lists typed edges ``A -> B``, one row per (source, target, kind,
inferred), with the weight (number of comments) and the comments behind each;
:func:`build_graph` aggregates the chosen kinds into the ``networkx.DiGraph`` users receive.

Edge kinds (:data:`EDGE_KINDS`, also the sort order of the edge table):

- ``reply``: A's comment has B's comment as its parent (``inferred=False``).  A reply to a
  placeholder (or to a comment with no known author) is never attached to anyone explicitly.
  If the replies to such a missing parent *address* someone by name and all name the same
  participant X, the missing comment is taken to be X's: every reply to it becomes an
  ``inferred=True`` reply to X, and the missing comment an inferred reply from X to its own
  parent's author.  If they name different people, each addressing reply is an inferred reply
  to its own addressee; replies nobody addresses give no edge.
- ``mention``: A's comment names B, a commenter of the same thread (``inferred=True``).
- ``quote``: A's comment repeats words of B's earlier comment in the thread (``inferred=True``).
- ``post``: A's top-level comment answers the post's author B (only with ``post_author_edges``).

A self-reply is kept as a ``reply`` row with source == target (counted; the metrics leave it
out); self-mentions and self-quotes are dropped.

Names are matched against the commenters of the same thread:

- variants of a name: the name; without a leading "The" ("Rev Kev" for "The Rev Kev"); the
  part before a comma ("DJG" for "DJG, Reality Czar"); for names of several words, the first
  word ("Yves" for "Yves Smith").  A variant two commenters share at the same rank is dropped.
- *addressing*: "@Name" anywhere, "Name:" at the start of a line, "Name," opening the comment;
  case-insensitive, any variant however short ("eg:", "@hk").  A reply's *addressee* (used
  for missing parents) is the name opening the comment in one of these forms.
- *naming in the text*: the full name or its "The"/comma variant, on whole words (a possessive
  "'s" is fine), if it has at least 4 letters and is not an ordinary word: a one-word name in
  a short list of common English words, or capitalised but also used in lower case in the
  thread ("Random" when someone writes "random"), is ordinary.  Capitalised words of the name
  must be capitalised in the text ("Who Cares" is not "who cares").  A one-letter misspelling
  (one substituted letter, not the first) of a one-word name of 6+ letters also counts
  ("Aurelian" for "Aurelien").  So short names ("eg", "hk", "tim") and first names are found
  only when addressed: precision over recall.

Quotes: a comment's own words (text inside quotation marks or on ">" lines is someone else's)
are indexed, lower-cased without punctuation, as every run of 8 consecutive words and every
whole sentence of 4 to 7 words and 40+ characters.  A later comment of the thread (by
``created_at`` when every comment of the thread has one, else by source order) containing an
indexed passage quotes the passage's first writer.  An article passage quoted by two
commenters sits inside quotation marks in the first one's comment, so it links neither.
"""

import re
from collections import defaultdict
from itertools import groupby

import networkx as nx
import numpy as np
import pandas as pd

from .exceptions import DiscourseError

#: Edge kinds, in the order the edge table is sorted.
EDGE_KINDS = ("reply", "mention", "quote", "post")

EDGE_COLUMNS = ["source", "target", "kind", "weight", "inferred", "comment_ids", "thread_ids",
                "target_comment_ids"]
RECORD_COLUMNS = ["source", "target", "kind", "inferred", "comment_id", "thread_id", "target_comment_id"]

_WORD = re.compile(r"\w+")
_MIN_PLAIN_LETTERS, _FUZZY_LETTERS = 4, 6
_LEAD = " \t>\"“'‘*"  # what may precede an address at the start of a line
_CAPITALISED = re.compile(rf"(?<!\w)[A-ZÀ-ÖØ-Þ]\w{{{_FUZZY_LETTERS - 1},}}")  # candidates for misspelt names
_QUOTE_RUN, _QUOTE_MIN_WORDS, _QUOTE_CHARS = 8, 4, 40
_QUOTED_SPAN = re.compile(r"“[^”]*”|\"[^\"\n]*\"|«[^»]*»|„[^“”]*[“”]|(?<!\w)‘[^‘’\n]{1,400}’(?!\w)|^\s*>.*$",
                          re.M)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
_MAYBE_QUOTED = re.compile("[\"“«„‘>]")

# Ordinary words people also use as handles; a name equal to one of these is found only when
# addressed.  Kept short on purpose: the thread's own lower-case vocabulary catches the rest.
_COMMON_WORDS = frozenset("""
about actually after again agree also always another answer anon anonymous anything bad before
case cares citizen common commenter could cynic edit everyone everything exactly fact facts false
first freedom good great guest here history home hope human indeed just last left less liberty
life logic love lurker many maybe media might mine money more much must never news nobody none
note nothing observer only other patriot peace people perhaps person place point power question
random reader reality really realist reason right safety sense shall should skeptic some someone
something still sure taxpayer thanks that their them there they thing things this time times
today tomorrow true truth update user very voter well what when where which while whoever will
with without work world would yesterday your yours
""".split())


def _check_kinds(kinds, what):
    kinds = (kinds,) if isinstance(kinds, str) else tuple(kinds)
    unknown = [k for k in kinds if k not in EDGE_KINDS]
    if unknown or not kinds:
        raise DiscourseError(f"{what} must be a non-empty selection of {', '.join(EDGE_KINDS)}; got {list(kinds)!r}")
    return kinds


# -- names ---------------------------------------------------------------------------------

def _variants(name):
    """(tokens, rank) pairs: rank 0 = full name, 1 = "The"/comma variant, 2 = first word."""
    tokens = _WORD.findall(name)
    if not tokens:
        return []
    out = [(tuple(tokens), 0)]
    rest = tokens[1:] if tokens[0].lower() == "the" and len(tokens) > 1 else tokens
    if rest != tokens:
        out.append((tuple(rest), 1))
    if "," in name:
        before = _WORD.findall(name.split(",", 1)[0])
        if before and len(before) < len(tokens):
            out.append((tuple(before), 1))
    if len(rest) > 1:
        out.append(((rest[0],), 2))
    return out


class _NameIndex:
    """The commenters of one thread, looked up by lower-cased token tuples."""

    def __init__(self, authors, texts):
        vocabulary = set(_WORD.findall("\n".join(texts)))  # case kept: "random" in it means lower case
        best = {}
        for author in authors:
            for tokens, rank in _variants(author):
                key = tuple(t.lower() for t in tokens)
                held = best.get(key)
                if held is None or rank < held[1]:
                    best[key] = (author, rank, tokens)
                elif rank == held[1] and held[0] != author:
                    best[key] = (None, rank, tokens)  # ambiguous at the same rank: nobody
        self.entries = {k: v for k, v in best.items() if v[0] is not None}
        self.max_len = max((len(k) for k in self.entries), default=0)
        self.firsts = {k[0] for k in self.entries}
        self.plain = {k for k, (_, rank, tokens) in self.entries.items()
                      if rank < 2 and self._plain_ok(tokens, vocabulary)}
        fuzzy = {}
        for key in self.plain:
            if len(key) == 1 and len(key[0]) >= _FUZZY_LETTERS:
                for j in range(1, len(key[0])):
                    blurred = key[0][:j] + "?" + key[0][j + 1:]
                    fuzzy[blurred] = None if blurred in fuzzy else self.entries[key][0]
        self.fuzzy = {k: v for k, v in fuzzy.items() if v is not None}

    @staticmethod
    def _plain_ok(tokens, vocabulary):
        if sum(len(t) for t in tokens) < _MIN_PLAIN_LETTERS:
            return False
        if len(tokens) == 1:
            word = tokens[0]
            if word.lower() in _COMMON_WORDS:
                return False
            if not word.islower() and word.lower() in vocabulary:
                return False
        return True

    def _exact(self, text, matches, i):
        """(length, author, addressing) of the longest name starting at token i, or None."""
        for length in range(min(self.max_len, len(matches) - i), 0, -1):
            window = matches[i:i + length]
            if any("\n" in text[a.end():b.start()] or b.start() - a.end() > 3 for a, b in zip(window, window[1:])):
                continue
            key = tuple(m.group().lower() for m in window)
            entry = self.entries.get(key)
            if entry is None:
                continue
            author, _, tokens = entry
            start, end = window[0].start(), window[-1].end()
            before = text[text.rfind("\n", 0, start) + 1:start]
            after = text[end:end + 2].lstrip(" ")
            addressing = (before.endswith("@") or (not before.strip(_LEAD) and after.startswith(":"))
                          or (not text[:start].strip(_LEAD) and after.startswith(",")))
            plain = key in self.plain and all(not n[0].isupper() or m.group()[0].isupper()
                                              for n, m in zip(tokens, window))
            if addressing or plain:
                return length, author, addressing
        return None

    def _fuzzy(self, word):
        """A one-letter misspelling ("Aurelian") of a plain single-word name, or None."""
        if len(word) < _FUZZY_LETTERS or not word[0].isupper():
            return None
        low = word.lower()
        for j in range(1, len(low)):
            author = self.fuzzy.get(low[:j] + "?" + low[j + 1:])
            if author is not None:
                return author
        return None

    def scan(self, text):
        """Return (named authors in text order, addressee or None) for one comment."""
        if not self.entries:
            return [], None
        if self.firsts.isdisjoint(_WORD.findall(text.lower())) and not (
                self.fuzzy and any(self._fuzzy(w) for w in _CAPITALISED.findall(text))):
            return [], None  # most comments name nobody: skip the token-by-token scan
        matches = list(_WORD.finditer(text))
        named, addressee, i = [], None, 0
        while i < len(matches):
            word = matches[i].group()
            found = self._exact(text, matches, i) if word.lower() in self.firsts else None
            if found is not None:
                length, author, addressing = found
                named.append(author)
                start = matches[i].start()
                if addressing and addressee is None and not text[:start].strip(_LEAD + "@"):
                    addressee = author
                i += length
                continue
            if self.fuzzy:
                author = self._fuzzy(word)
                if author is not None:
                    named.append(author)
            i += 1
        return named, addressee


# -- quotes --------------------------------------------------------------------------------

def _norm_words(text):
    return _WORD.findall(text.lower())


def _grams(words, n):
    return zip(*(words[k:] for k in range(n)))


def _short_sentences(text):
    """Whole sentences of 4 to 7 words and at least 40 characters, as word tuples."""
    for sentence in _SENTENCE_END.split(text):
        if len(sentence) >= _QUOTE_CHARS and sentence.count(" ") < 4 * _QUOTE_RUN:  # cheap filter first
            words = _norm_words(sentence)
            if _QUOTE_MIN_WORDS <= len(words) < _QUOTE_RUN and len(" ".join(words)) >= _QUOTE_CHARS:
                yield tuple(words)


def _quotes_in_thread(rows):
    """Yield (quoting row, quoted row) for one thread's rows, given in time order.

    Set operations do the per-word work in C: a comment's 8-word runs are one set, matched
    against, then merged into, the index of runs seen so far.
    """
    runs, short = {}, {}  # passage -> its first writer; short sentences are keyed by first words
    run_keys, short_keys = set(), set()  # set & set walks the smaller set; set & dict walks the dict
    for row in rows:
        text = row["text"]
        words = _norm_words(text)
        grams = set(_grams(words, _QUOTE_RUN))
        owners = [runs[g] for g in grams & run_keys]
        for key in (set(_grams(words, _QUOTE_MIN_WORDS)) & short_keys if short_keys else ()):
            for sentence, owner in short[key]:
                n = len(sentence)
                if any(tuple(words[i:i + n]) == sentence for i in range(len(words) - n + 1)):
                    owners.append(owner)
        seen = set()
        for owner in sorted(owners, key=lambda o: o["_pos"]):
            if owner["comment_id"] not in seen:
                seen.add(owner["comment_id"])
                yield row, owner
        own = text
        if _MAYBE_QUOTED.search(text) and _QUOTED_SPAN.search(text):
            own = _QUOTED_SPAN.sub("\n", text)
            grams = set(_grams(_norm_words(own), _QUOTE_RUN))
        new = grams - run_keys  # the first to write a run owns it
        runs.update(dict.fromkeys(new, row))
        run_keys |= new
        for sentence in _short_sentences(own):
            short_keys.add(sentence[:_QUOTE_MIN_WORDS])
            bucket = short.setdefault(sentence[:_QUOTE_MIN_WORDS], [])
            if all(s != sentence for s, _ in bucket):
                bucket.append((sentence, row))


def _time_order(thread):
    thread = thread.assign(_pos=range(len(thread)))
    if thread["created_at"].notna().all():
        return thread.sort_values(["created_at", "_pos"], kind="stable")
    return thread


# -- edges ---------------------------------------------------------------------------------

def _post_authors(comments, threads):
    if threads is None:
        flagged = comments[comments["is_post_author"] & comments["author"].notna()]
        return dict(zip(flagged["thread_id"], flagged["author"]))
    if isinstance(threads, pd.DataFrame):
        known = threads[threads["post_author"].notna()]
        return dict(zip(known["thread_id"], known["post_author"]))
    return dict(threads)


def _record(records, source, target, kind, inferred, comment_id, thread_id, target_id=""):
    records.append((source, target, kind, inferred, comment_id, thread_id, target_id))


def _reply_records(comments, addressees, records):
    by_id = comments.set_index("comment_id")
    real = comments[~comments["is_placeholder"] & comments["author"].notna() & comments["parent_id"].notna()]
    parents = by_id.reindex(real["parent_id"])
    known = (~parents["is_placeholder"] & parents["author"].notna()).to_numpy()
    records.extend(zip(real["author"].to_numpy()[known].tolist(), parents["author"].to_numpy()[known].tolist(),
                       ["reply"] * int(known.sum()), [False] * int(known.sum()),
                       *(real[c].to_numpy()[known].tolist() for c in ("comment_id", "thread_id", "parent_id"))))
    missing = defaultdict(list)  # parent id without a known author -> its replies
    for comment_id, author, thread_id, parent_id in zip(*(real[c].to_numpy()[~known].tolist()
                                                          for c in ("comment_id", "author", "thread_id", "parent_id"))):
        missing[parent_id].append((comment_id, author, thread_id))
    guessed = {}
    for parent_id, replies in missing.items():
        named = {addressees.get(r[0]) for r in replies} - {None}
        if len(named) == 1:
            guessed[parent_id] = named.pop()
        for comment_id, author, thread_id in replies:
            target = guessed.get(parent_id) or addressees.get(comment_id)
            if target is not None and target != author:
                _record(records, author, target, "reply", True, comment_id, thread_id, parent_id)
    for parent_id, author in guessed.items():
        grand = by_id.at[parent_id, "parent_id"]
        if pd.isna(grand) or by_id.at[grand, "is_placeholder"]:
            continue
        target = by_id.at[grand, "author"]
        if not pd.isna(target) and target != author:
            _record(records, author, target, "reply", True, parent_id, by_id.at[parent_id, "thread_id"], grand)
    return guessed


def _orphans(comments):
    """Ids of comments whose parent is a placeholder or has no known author."""
    parents = comments.set_index("comment_id").reindex(comments["parent_id"].dropna())
    unknown = parents["is_placeholder"].to_numpy() | parents["author"].isna().to_numpy()
    return set(comments.loc[comments["parent_id"].isin(parents.index[unknown]), "comment_id"])


def _scan_threads(comments, kinds, records):
    """Mentions and quotes per thread; returns {comment id: addressee}.

    Without mentions, only replies to missing parents are scanned (their addressee is all the
    reply inference needs), which keeps reply-only graphs of large corpora cheap.
    """
    addressees = {}
    real = comments[~comments["is_placeholder"] & comments["author"].notna()]
    scan = None if "mention" in kinds else (_orphans(comments) if "reply" in kinds else set())
    for thread_id, thread in real.groupby("thread_id", sort=False):
        rows = zip(thread["comment_id"].tolist(), thread["author"].tolist(), thread["text"].tolist())
        rows = [row for row in rows if scan is None or row[0] in scan]
        names = _NameIndex(pd.unique(thread["author"]), thread["text"].tolist()) if rows else None
        for comment_id, author, text in rows:
            named, addressee = names.scan(text)
            if addressee is not None:
                addressees[comment_id] = addressee
            if "mention" in kinds:
                for target in dict.fromkeys(named):
                    if target != author:
                        _record(records, author, target, "mention", True, comment_id, thread_id)
        if "quote" in kinds:
            ordered = _time_order(thread)[["comment_id", "author", "text", "_pos"]].to_dict("records")
            for row, owner in _quotes_in_thread(ordered):
                if row["author"] != owner["author"]:
                    _record(records, row["author"], owner["author"], "quote", True,
                            row["comment_id"], thread_id, owner["comment_id"])
    return addressees


def _join(values):
    return ";".join(dict.fromkeys(v for v in values if v))


def edge_records(comments, *, kinds=("reply", "mention", "quote"), post_author_edges=False, threads=None):
    """The unaggregated edges: one row per comment and edge it makes (:data:`RECORD_COLUMNS`).

    Options as :func:`commenter_edges`.  Useful to drop some comments' edges and re-aggregate
    without detecting mentions and quotes again.
    """
    kinds = _check_kinds(kinds, "kinds")
    records = []
    addressees = _scan_threads(comments, kinds, records)
    if "reply" in kinds:
        _reply_records(comments, addressees, records)
    if post_author_edges:
        owners = _post_authors(comments, threads)
        top = comments[(comments["depth"] == 1) & ~comments["is_placeholder"] & comments["author"].notna()]
        for row in top.itertuples(index=False):
            owner = owners.get(row.thread_id)
            if owner is not None and not pd.isna(owner) and owner != row.author:
                _record(records, row.author, owner, "post", False, row.comment_id, row.thread_id)
    return pd.DataFrame(records, columns=RECORD_COLUMNS)


def aggregate_edges(records):
    """:func:`commenter_edges`' table from :func:`edge_records`' rows."""
    key = ["_rank", "source", "target", "inferred"]
    frame = records.assign(_rank=records["kind"].map({k: i for i, k in enumerate(EDGE_KINDS)}))
    frame = frame.sort_values(key, kind="stable").reset_index(drop=True)  # stable: ids stay in source order
    starts = ~frame.duplicated(key).to_numpy()
    group = np.cumsum(starts) - 1
    columns = {"source": "source", "target": "target", "kind": "kind", "inferred": "inferred",
               "comment_ids": "comment_id", "thread_ids": "thread_id", "target_comment_ids": "target_comment_id"}
    out = {name: frame[column].to_numpy()[starts].tolist() for name, column in columns.items()}
    out["weight"] = [1] * len(out["source"])
    many = np.bincount(group)[group] > 1 if len(frame) else np.zeros(0, dtype=bool)
    # Edges made by several comments (the minority) get their ids joined in Python.
    rows = zip(group[many].tolist(), *(frame[c].to_numpy()[many].tolist() for c in ("comment_id", "thread_id",
                                                                                   "target_comment_id")))
    for g, members in groupby(rows, key=lambda r: r[0]):
        members = list(members)
        ids = list(dict.fromkeys(r[1] for r in members))  # quoting two of B's comments counts once
        out["weight"][g], out["comment_ids"][g] = len(ids), ";".join(ids)
        out["thread_ids"][g], out["target_comment_ids"][g] = _join(r[2] for r in members), _join(r[3] for r in members)
    edges = pd.DataFrame(out, columns=EDGE_COLUMNS)
    return edges.astype({**{c: "string" for c in EDGE_COLUMNS}, "weight": "int64", "inferred": "bool"})


def commenter_edges(comments, *, kinds=("reply", "mention", "quote"), post_author_edges=False, threads=None):
    """Typed commenter edges of a comments table (see the module docstring for each kind).

    ``kinds``: which kinds to look for (default reply, mention, quote).  ``post_author_edges``
    (default False) adds ``post`` edges from each top-level comment to the post's author, taken
    from ``threads`` (``Corpus.threads`` or a ``{thread_id: author}`` mapping) or, by default,
    from comments flagged ``is_post_author``.

    Returns one row per (source, target, kind, inferred) with columns :data:`EDGE_COLUMNS`:
    ``weight`` = number of comments, ``comment_ids`` = the comments making the edge (for an
    inferred reply from a placeholder, the placeholder's id), ``target_comment_ids`` = the
    comments answered or quoted, ``thread_ids``; ";"-joined in source order.  Rows are sorted
    by kind (:data:`EDGE_KINDS` order), source, target, then explicit before inferred.
    """
    return aggregate_edges(edge_records(comments, kinds=kinds, post_author_edges=post_author_edges,
                                        threads=threads))


def inferred_authors(comments):
    """``{placeholder id: inferred author}`` for missing parents whose replies address one person."""
    addressees = _scan_threads(comments, ("reply",), [])
    return _reply_records(comments, addressees, [])


# -- graph ---------------------------------------------------------------------------------

def commenters(comments):
    """Commenters (known authors of real comments) in order of first comment, with counts."""
    real = comments.loc[~comments["is_placeholder"] & comments["author"].notna(), "author"]
    return real.value_counts(sort=False).reindex(pd.unique(real))


def build_graph(comments, edges, *, edge_kinds=("reply",), include_self_loops=True, include_inferred=True):
    """The commenter graph over the chosen edge kinds, as a ``networkx.DiGraph``.

    Nodes: every commenter in order of first comment, with ``comments`` (int) and
    ``is_post_author`` (bool); a post author who never commented appears, with 0 comments, only
    if a chosen edge reaches them.  ``edge_kinds`` (default replies only) selects the rows of
    ``edges``; ``include_inferred`` (default True) keeps inferred rows; ``include_self_loops``
    (default True) keeps self-replies (the metrics drop them).  Each edge carries ``weight`` (sum),
    ``kind`` (";"-joined kinds present), ``inferred`` (True only if every contributing row is),
    ``inferred_weight``, ``<kind>_weight`` for each chosen kind, ``comment_ids`` and
    ``thread_ids`` (";"-joined).  ``graph.graph["edge_kinds"]`` records the selection.
    """
    edge_kinds = _check_kinds(edge_kinds, "edge_kinds")
    counts = commenters(comments)
    flagged = set(comments.loc[comments["is_post_author"] & comments["author"].notna(), "author"])
    graph = nx.DiGraph(edge_kinds=";".join(edge_kinds))
    graph.add_nodes_from((a, {"comments": int(n), "is_post_author": a in flagged}) for a, n in counts.items())
    chosen = edges[edges["kind"].isin(edge_kinds)]
    if not include_inferred:
        chosen = chosen[~chosen["inferred"]]
    if not include_self_loops:
        chosen = chosen[chosen["source"] != chosen["target"]]
    rank = {k: i for i, k in enumerate(EDGE_KINDS)}
    chosen = chosen.assign(_rank=chosen["kind"].map(rank)).sort_values("_rank", kind="stable")
    group = chosen.groupby(["source", "target"], sort=False).ngroup().to_numpy()
    count = int(group.max()) + 1 if len(group) else 0
    first = np.full(count, len(group))
    np.minimum.at(first, group, np.arange(len(group)))
    weight = chosen["weight"].to_numpy(dtype=np.int64)
    inferred = chosen["inferred"].to_numpy(dtype=bool)
    kinds = chosen["kind"].to_numpy()

    def total(values):
        return np.bincount(group, weights=values, minlength=count).astype(np.int64).tolist()

    data = {"weight": total(weight), "inferred": (np.bincount(group, weights=~inferred, minlength=count) == 0).tolist(),
            "inferred_weight": total(weight * inferred),
            **{f"{k}_weight": total(weight * (kinds == k)) for k in edge_kinds}}
    for name, column in (("kind", "kind"), ("comment_ids", "comment_ids"), ("thread_ids", "thread_ids")):
        data[name] = chosen[column].to_numpy()[first].tolist()
    repeated = np.bincount(group, minlength=count)[group] > 1  # pairs made by several rows: join their texts
    texts = chosen[["kind", "comment_ids", "thread_ids"]][repeated].assign(_group=group[repeated])
    for g, rows in texts.groupby("_group", sort=False):
        data["kind"][g] = ";".join(dict.fromkeys(rows["kind"]))
        data["comment_ids"][g] = _join(";".join(rows["comment_ids"]).split(";"))
        data["thread_ids"][g] = _join(";".join(rows["thread_ids"]).split(";"))
    sources, targets = chosen["source"].to_numpy()[first].tolist(), chosen["target"].to_numpy()[first].tolist()
    for node in dict.fromkeys(sources + targets):
        if node not in graph:  # a post author who never commented
            graph.add_node(node, comments=0, is_post_author=True)
    keys = list(data)
    graph.add_edges_from((u, v, dict(zip(keys, row))) for u, v, *row in zip(sources, targets, *data.values()))
    return graph
