"""Topics of subthreads: clusters of subthreads on one subject, with labels a reader would write.

Features.  Every comment is read once (:mod:`discourse.topics.features`) into unigram and bigram keys
(:mod:`discourse.topics.phrases`: stop words, conversational filler and numbers removed, bigrams only
between adjacent content words) hashed into ``2**22`` columns, so memory grows with the
comments, not with a vocabulary; the same reading gives the candidate phrases of labels.
Summing rows gives subthread vectors, the root's words counted ``ROOT_WEIGHT`` times (a
top-level comment sets what its replies are about); of the columns found in at least two
subthreads (when there are three or more), the ``max_features`` found in most are kept and
weighted with sublinear TF and ``log((1 + n) / df)`` (:func:`_idf`: a word every subthread uses
weighs next to nothing).

Clusters.  Subthreads with at least ``_MIN_EVIDENCE`` kept words are grouped by average-
linkage agglomerative clustering on cosine distance, cut where they are no longer alike enough
to be on one subject (:mod:`discourse.topics.clustering` has the details, and what happens
above ``EXACT_LIMIT`` subthreads); ``n_topics`` cuts the tree into that many instead.  Without
``n_topics`` (or a user's ``clusterer``) the count follows from three rules:

- a topic holds at least ``MIN_TOPIC_COMMENTS`` comments (when any cluster does): the
  subthreads of a smaller cluster are placed as the short ones are;
- a shorter subthread joins the topic whose centroid is nearest when its cosine similarity,
  discounted by the few words it rests on (``kept / (kept + _MIN_EVIDENCE)``), exceeds
  ``JOIN_SIMILARITY``; a subthread long enough for a heading that joins none has a topic of its
  own;
- the rest (short subthreads on no topic's subject, and texts of no topic words: "lol") are
  the *other subthreads*, one topic labelled :data:`OTHER_LABEL`, the last; nothing is placed
  in it by its words (no comment's own topic, no branch's topic).

With ``n_topics``, shorter subthreads join the nearest topic and no other topic is made; with
a ``clusterer``, a subthread sharing no kept word with any topic forms its own.

Labels.  Subthreads, branches, topics and threads are labelled with class-based TF-IDF over
candidate phrases (:mod:`discourse.topics.phrases`; every class of a table at once, :mod:`discourse.topics.labels`),
with each phrase's frequency over all classes taken from the hashed counts (a trigram's from
the rarer of its two bigrams).  A topic's options are then ordered by how many of its
subthreads use them (:func:`_covering`), so its label covers its members.  Labels are distinct
within each table (branches yield to subthreads).  A class of more than 2,000 comments is read from that many, evenly
spaced.

Per comment.  A comment's own topic is the topic whose centroid is nearest its vector
(cosine).  A comment with fewer than ``_MIN_EVIDENCE`` kept words says too little to be
placed: it takes the own topic of its nearest ancestor that could be placed (a short
"Agreed" is about what it answers), else its subthread's topic; placeholders take their
subthread's topic.  A subthread's ``drift`` is the share of its comments whose own topic is
not the subthread's (for a branch: not the branch's, the topic nearest its text).

Nothing to read.  A subthread whose comments have no text (only a placeholder, or empty
bodies) is labelled ``"no text"`` (``"no topic words"`` when its text has only stop words)
and joins the topic of the nearest subthread before it in the same thread (after it when
none is before); with the other subthreads at hand, one with text of no topic words joins them.  These two labels are the only ones that may repeat.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.preprocessing import normalize

from . import phrases as lab
from .clustering import cluster_centres, cluster_rows, external_clusters, membership
from .labeller import ClassLabel, LabelRequest, Labeller, LabellerError, PhraseLabeller
from .phrasing import assign_distinct
from .features import Text, hash_columns, read_texts
from .languages import LANGUAGES, prepare, thread_languages
from ..model.schema import validate_comments
from ..model.tree import climb
from ..model.view import CommentView, comment_view

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Literal

__all__ = ["find_topics", "cluster_subthreads", "label_clusters", "Topics", "Clusters",
           "SUBTHREAD_COLUMNS", "TOPIC_COLUMNS", "COMMENT_COLUMNS", "THREAD_COLUMNS", "N_FEATURES"]

N_FEATURES = 2 ** 22
_MIN_EVIDENCE = 5
#: A subthread's root counts this many times in its vector.
ROOT_WEIGHT = 2.0
#: The fewest comments of an automatic topic (the readers' threshold for a subthread with a heading).
MIN_TOPIC_COMMENTS = 3
#: The least cosine similarity at which a short subthread joins a topic (else: the other subthreads).
JOIN_SIMILARITY = 0.15
_COVER_SAMPLE, _COVER_COMMENTS = 50, 200
#: The label of the topic of the other subthreads.
OTHER_LABEL = "other short subthreads"
_NEAREST_ROWS = 50_000

SUBTHREAD_COLUMNS = ["subthread_id", "level", "parent_subthread_id", "thread_id", "label",
                     "top_terms", "topic_id", "topic_label", "drift"]
TOPIC_COLUMNS = ["topic_id", "label", "top_terms", "subthreads", "comments"]
COMMENT_COLUMNS = ["comment_id", "topic_id", "topic_label", "own_topic_id", "own_topic_label", "drifts"]
THREAD_COLUMNS = ["thread_id", "label"]


@dataclass(frozen=True)
class Topics:
    """Result of :func:`find_topics` (see the module docstring for the method).

    ``subthreads``: level-1 rows (one per subthread, source order), then the level-2 branch
    rows, grouped by parent in source order; ``topics``: one row per topic, in order of first
    appearance; ``comments``: one row per input comment, same order; ``threads``: a label per
    thread.
    """

    subthreads: pd.DataFrame
    topics: pd.DataFrame
    comments: pd.DataFrame
    threads: pd.DataFrame


@dataclass(frozen=True)
class Clusters:
    """Result of :func:`cluster_subthreads`: the topic of every subthread, branch and comment,
    and what labelling them needs (positions are rows of the comments table).

    ``members``: each subthread's real comments; ``topic_of``: each subthread's topic;
    ``own``: each comment's own topic; ``branch_roots``/``branch_members``/``branch_topic``: the
    level-2 branches; ``text``: the texts read into word ids (:mod:`discourse.topics.features`);
    ``languages``: each thread's (:mod:`discourse.topics.languages`); ``other_topic``: the topic
    of the short subthreads on no topic's subject (the last; -1 when there is none).
    """

    table: pd.DataFrame
    tree: "_Tree"
    text: Text
    sub_ids: np.ndarray
    sub_codes: np.ndarray
    sub_thread: np.ndarray
    has_text: np.ndarray
    members: list
    topic_of: np.ndarray
    own: np.ndarray
    branch_roots: np.ndarray
    branch_members: list
    branch_topic: np.ndarray
    languages: list  # per thread (codes of tree.thread_ids): ISO 639-1
    other_topic: int = -1  # the topic of the other subthreads (:data:`OTHER_LABEL`), -1: none

    @property
    def n_topics(self) -> int:
        """Number of topics found."""
        return int(self.topic_of.max()) + 1


def find_topics(comments: pd.DataFrame, *, n_topics: int | None = None, min_branch_comments: int = 3,
                max_features: int = 50_000, random_state: int = 0, vectorizer: Any = None, clusterer: Any = None,
                labeller: Labeller | None = None, check_input: bool = True,
                view: CommentView | None = None) -> Topics:
    """Cluster subthreads by topic; label subthreads, branches, topics, threads and comments.

    The two steps are :func:`cluster_subthreads` and :func:`label_clusters`.

    Parameters
    ----------
    comments : pandas.DataFrame
        A comments table (:mod:`discourse.model.schema`).
    n_topics : int, optional
        The number of topics (otherwise as many as the subthreads' subjects: see the module docstring).
    min_branch_comments : int
        A branch (a reply to a top-level comment with all its replies) of at least this many
        comments gets a level-2 row.
    max_features : int
        Cap on the clustering vocabulary.
    random_state : int
        Seed: the result is deterministic for a given input and seed.
    vectorizer : object, optional
        ``fit_transform``/``transform`` on lists of texts (e.g. a wrapped embedding model):
        replaces the TF-IDF vectors used to cluster subthreads and place comments.
    clusterer : object, optional
        ``fit_predict`` (e.g. ``KMeans(8)``): replaces the clustering and ``n_topics``.
    labeller : callable, optional
        Labels each kind of class (:mod:`discourse.topics.labeller` has the protocol); by
        default :class:`~discourse.topics.labeller.PhraseLabeller`, offline and deterministic.
    check_input : bool
        False skips :func:`~discourse.model.schema.validate_comments` (2 s a million comments):
        only for a table it returned, such as a :class:`~discourse.model.corpus.Corpus`'s.
    view : CommentView, optional
        The comments' :func:`~discourse.model.view.comment_view`, if at hand (built here otherwise).

    Returns
    -------
    Topics
        Subthread, topic, comment and thread tables.

    Examples
    --------
    >>> import pandas as pd
    >>> from discourse.model.tree import complete_tree
    >>> from discourse.topics import find_topics
    >>> table = complete_tree(pd.DataFrame({
    ...     "comment_id": ["a", "b", "c", "d"], "parent_id": [None, "a", None, "c"], "thread_id": "t",
    ...     "author": ["Ann", "Bob", "Cid", "Dee"],
    ...     "text": ["Should Germany send Taurus missiles?", "Taurus missiles would reach the bridge.",
    ...              "The Winter War ended in 1940.", "The Winter War cost Finland Karelia."]}))
    >>> find_topics(table).subthreads["label"].tolist()
    ['Taurus missiles', 'Winter War']
    """
    table = validate_comments(comments) if check_input else comments
    if table.empty:
        return _empty()
    clusters = cluster_subthreads(table, n_topics=n_topics, min_branch_comments=min_branch_comments,
                                  max_features=max_features, random_state=random_state, vectorizer=vectorizer,
                                  clusterer=clusterer, check_input=False, view=view)
    return label_clusters(clusters, labeller=labeller)


def cluster_subthreads(comments: pd.DataFrame, *, n_topics: int | None = None, min_branch_comments: int = 3,
                       max_features: int = 50_000, random_state: int = 0, vectorizer: Any = None,
                       clusterer: Any = None, check_input: bool = True,
                       view: CommentView | None = None) -> Clusters:
    """The clustering step of :func:`find_topics` (same parameters): the topic of every
    subthread, branch and comment, with no labels yet.

    Parameters
    ----------
    comments : pandas.DataFrame
        A non-empty comments table; the other parameters are :func:`find_topics`'s.

    Returns
    -------
    Clusters
        What :func:`label_clusters` labels.

    Examples
    --------
    >>> import pandas as pd
    >>> from discourse.model.tree import complete_tree
    >>> from discourse.topics import cluster_subthreads
    >>> table = complete_tree(pd.DataFrame({"comment_id": ["a", "b"], "parent_id": [None, "a"],
    ...                                      "thread_id": "t", "author": ["A", "B"],
    ...                                      "text": ["Sourdough starter smells sour", "Feed the sourdough starter"]}))
    >>> cluster_subthreads(table).n_topics
    1
    """
    table = validate_comments(comments) if check_input else comments
    tree = _Tree(table, comment_view(table) if view is None else view)
    real, texts = ~tree.placeholder, tree.texts
    languages = thread_languages(texts, tree.thread_codes, len(tree.thread_ids))
    text = read_texts(_in_language(texts, tree.thread_codes, languages), N_FEATURES)
    sub_codes, sub_ids = pd.factorize(table["subthread_id"].to_numpy(dtype=object))
    n_sub = len(sub_ids)
    sub_thread = pd.Series(tree.threads).groupby(sub_codes, sort=True).first().to_numpy()
    has_text = real & (pd.Series(texts, dtype=object).str.strip().str.len().to_numpy() > 0)
    members = _groups(sub_codes[real], np.nonzero(real)[0], n_sub)
    branch_roots, branch_members = tree.branches(min_branch_comments)
    topic_of, own, branch_topic, other = _place(
        text.counts, texts, tree, sub_codes, sub_thread, np.bincount(sub_codes, weights=has_text, minlength=n_sub) > 0,
        members, branch_roots, branch_members,
        max_features=max_features, n_topics=n_topics, vectorizer=vectorizer, clusterer=clusterer,
        random_state=random_state)
    # The labels need the words, not the counts: freed here (the vectors went with _place).
    return Clusters(table, tree, replace(text, counts=None), np.asarray(sub_ids, dtype=object), sub_codes, sub_thread,
                    has_text, members, topic_of, own, branch_roots, branch_members, branch_topic, languages, other)


def _in_language(texts: np.ndarray, thread_codes: np.ndarray, languages: list[str]) -> list[str]:
    """The texts as read: those of a thread in another language than English made ready for it
    (:func:`discourse.topics.languages.prepare`)."""
    read = list(texts)
    for language in sorted(set(languages) - {"en"}):
        threads = np.flatnonzero(np.asarray(languages) == language)
        at = np.flatnonzero(np.isin(thread_codes, threads))
        for position, prepared in zip(at.tolist(), prepare(texts[at], language)):
            read[position] = prepared
    return read


def label_clusters(clusters: Clusters, *, labeller: Labeller | None = None) -> Topics:
    """The labelling step of :func:`find_topics`: labels of every topic, subthread, branch and
    thread by ``labeller`` (default :class:`~discourse.topics.labeller.PhraseLabeller`), made
    distinct within each table, and the result tables.

    Parameters
    ----------
    clusters : Clusters
        From :func:`cluster_subthreads`.
    labeller : callable, optional
        See :mod:`discourse.topics.labeller`.

    Returns
    -------
    Topics

    Examples
    --------
    >>> import pandas as pd
    >>> from discourse.model.tree import complete_tree
    >>> from discourse.topics import ClassLabel, cluster_subthreads, label_clusters
    >>> table = complete_tree(pd.DataFrame({"comment_id": ["a"], "parent_id": [None], "thread_id": "t",
    ...                                      "author": ["A"], "text": ["Bees swarmed from the hive"]}))
    >>> label_clusters(cluster_subthreads(table), labeller=lambda r: [ClassLabel(["bees"])] * len(r.classes)).topics["label"].tolist()
    ['bees']
    """
    c = clusters
    labeller = labeller if labeller is not None else PhraseLabeller()
    table, tree, topic_of, members = c.table, c.tree, c.topic_of, c.members
    n_sub, n_found, n_branches = len(members), c.n_topics, len(c.branch_roots)
    sub_has_text = np.bincount(c.sub_codes, weights=c.has_text, minlength=n_sub) > 0
    subthread_topic = topic_of[c.sub_codes]

    names = participant_words(table["author"], tree.texts)
    thread_language = np.asarray(c.languages, dtype=object)
    sub_language = thread_language[pd.Index(tree.thread_ids).get_indexer(c.sub_thread)]
    topic_language = [_majority(sub_language[topic_of == t]) for t in range(n_found)]
    branch_language = list(thread_language[tree.thread_codes[c.branch_roots]])

    def ask(kind: Literal["topic", "subthread", "branch", "thread"], classes: list[np.ndarray],
            wider: list[ClassLabel] | None = None) -> list[ClassLabel]:
        languages = {"topic": topic_language, "subthread": list(sub_language), "branch": branch_language,
                     "thread": list(thread_language)}[kind]
        request = LabelRequest(kind, classes, tree.texts, c.text, wider, languages=languages, names=names)
        answers = list(labeller(request)) if classes else []
        if len(answers) != len(classes):
            raise LabellerError(f"the labeller returned {len(answers)} labels for {len(classes)} {kind} classes")
        return answers

    topic_members = [np.sort(np.concatenate([members[s] for s in np.nonzero(topic_of == t)[0]]))
                     for t in range(n_found)]
    topic_read = ask("topic", topic_members)
    thread_subs = _groups(pd.Index(tree.thread_ids).get_indexer(c.sub_thread), np.arange(n_sub), len(tree.thread_ids))
    thread_members = [np.sort(np.concatenate([members[s] for s in subs])) if len(subs) else np.array([], int)
                      for subs in thread_subs]
    unit_read = (ask("subthread", members, [topic_read[t] for t in topic_of])
                 + ask("branch", c.branch_members, [topic_read[t] for t in c.branch_topic]))
    topic_read = _covering(topic_read, topic_of, members, tree.texts, unit_read[:n_sub])
    if c.other_topic >= 0:
        topic_read[c.other_topic] = replace(topic_read[c.other_topic], options=[OTHER_LABEL])
    topic_labels = _distinct(topic_read, [_nothing(sub_has_text[topic_of == t].any()) for t in range(n_found)])
    thread_read = ask("thread", thread_members)
    unit_labels = _distinct(unit_read, [_nothing(h) for h in sub_has_text] + [lab.NO_TOPIC_WORDS] * n_branches,
                            tiers=[1] * n_sub + [2] * n_branches)

    own = c.own
    unit_topic = np.concatenate([topic_of, c.branch_topic])
    unit_members = list(members) + list(c.branch_members)
    drift = _drift(own, unit_members, unit_topic)
    subthreads = pd.DataFrame({
        "subthread_id": pd.array(list(c.sub_ids) + [tree.ids[r] for r in c.branch_roots], dtype="string"),
        "level": np.array([1] * n_sub + [2] * n_branches, dtype="int64"),
        "parent_subthread_id": pd.array([pd.NA] * n_sub + table["subthread_id"].to_numpy(dtype=object)[c.branch_roots].tolist(),
                                        dtype="string"),
        "thread_id": pd.array(list(c.sub_thread) + [tree.threads[r] for r in c.branch_roots], dtype="string"),
        "label": unit_labels,
        "top_terms": [r.top_terms for r in unit_read],
        "topic_id": unit_topic.astype("int64"),
        "topic_label": [topic_labels[t] for t in unit_topic],
        "drift": np.asarray(drift, dtype=float),
    })
    topics = pd.DataFrame({
        "topic_id": np.arange(n_found, dtype="int64"),
        "label": topic_labels,
        "top_terms": [r.top_terms for r in topic_read],
        "subthreads": np.bincount(topic_of, minlength=n_found).astype("int64"),
        "comments": np.array([len(m) for m in topic_members], dtype="int64"),
    })
    real = ~tree.placeholder
    comments_out = pd.DataFrame({
        "comment_id": table["comment_id"].to_numpy(),
        "topic_id": subthread_topic.astype("int64"),
        "topic_label": np.asarray(topic_labels, dtype=object)[subthread_topic],
        "own_topic_id": own.astype("int64"),
        "own_topic_label": np.asarray(topic_labels, dtype=object)[own],
        "drifts": (own != subthread_topic) & real,
    })
    thread_has_text = np.bincount(tree.thread_codes, weights=c.has_text, minlength=len(tree.thread_ids)) > 0
    threads_out = pd.DataFrame({
        "thread_id": pd.array(list(tree.thread_ids), dtype="string"),
        "label": _distinct(thread_read, [_nothing(h) for h in thread_has_text]),
    })
    return Topics(subthreads, topics, comments_out, threads_out)


def _covering(answers: list[ClassLabel], topic_of: np.ndarray, members: list[np.ndarray],
              texts: np.ndarray, subthreads: list[ClassLabel]) -> list[ClassLabel]:
    """The topics' labels with the options that most of a topic's subthreads use put first.

    A topic's best phrase by TF-IDF may come from one loud member ("life problems" over a topic
    holding "Taurus missiles"); a label reads right when it covers the topic's subthreads.  An
    option's cover is the number of comments of the topic's subthreads whose text holds it (for
    "X and Y": both X and Y, so a pair never covers more than its parts), counted over the ``_COVER_SAMPLE`` largest subthreads,
    each read from at most ``_COVER_COMMENTS`` comments; options keep their order among equal
    covers.  The best label of each of those subthreads is a candidate too, after the topic's own
    ("Taurus missiles" for a topic that the labeller reads as "life and problems").  Options of
    one word come after those of more, each in order of cover.
    """
    covered = list(answers)
    for t in np.flatnonzero(np.bincount(topic_of) > 1).tolist():
        subs = np.flatnonzero(topic_of == t)
        subs = subs[np.argsort([-len(members[s]) for s in subs], kind="stable")[:_COVER_SAMPLE]]
        options = list(dict.fromkeys([*answers[t].options, *(subthreads[s].options[0] for s in subs
                                                              if subthreads[s].options)]))
        answer = replace(answers[t], options=options)
        if len(options) < 2:
            continue
        read = ["\n".join(texts[members[s][:_COVER_COMMENTS]]).lower() for s in subs]
        weight = [len(members[s]) for s in subs]
        cover = [sum(w for w, text in zip(weight, read) if all(part in text for part in _parts(option)))
                 for option in answer.options]
        # A lone word comes after the phrases: it covers more texts only by being more common.
        order = np.lexsort((-np.asarray(cover), [" " not in option for option in answer.options]))
        covered[t] = replace(answer, options=[answer.options[i] for i in order])
    return covered


def _parts(option: str) -> list[str]:
    """The phrases a label joins with "and" (itself when it joins none), lower case."""
    return [part for part in option.lower().split(" and ") if part]


def _drift(own: np.ndarray, members: list[np.ndarray], topic: np.ndarray) -> np.ndarray:
    """Share of each class's comments whose own topic is not the class's ``topic`` (0 for none)."""
    sizes = np.array([len(m) for m in members], dtype=np.int64)
    if not sizes.sum():
        return np.zeros(len(members))
    unit = np.repeat(np.arange(len(members)), sizes)
    off = np.bincount(unit, weights=own[np.concatenate(members)] != topic[unit], minlength=len(members))
    return np.where(sizes > 0, off / np.maximum(sizes, 1), 0.0)


def _place(counts: sparse.csr_matrix, texts: np.ndarray, tree: _Tree, sub_codes: np.ndarray, sub_thread: np.ndarray,
           sub_has_text: np.ndarray, members: list[np.ndarray], branch_roots: np.ndarray, branch_members: list[np.ndarray], *,
           max_features: int, n_topics: int | None, vectorizer: Any, clusterer: Any,
           random_state: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Topic of each subthread, own topic of each comment, topic of each branch (see the module
    docstring), from the texts' hashed ``counts``, and the topic of the other subthreads (-1: none)."""
    n_sub = len(members)
    # The root's words count twice: a top-level comment sets what its replies are about.
    weight = np.where(tree.depth == 1, ROOT_WEIGHT, 1.0).astype(np.float32)
    sub_counts = sparse.csr_matrix((weight, (sub_codes, np.arange(len(sub_codes)))),
                                   shape=(n_sub, len(sub_codes))) @ counts
    columns = _select_columns(sub_counts, max_features)
    kept_counts = counts[:, columns]
    if vectorizer is not None:
        sub_vectors = normalize(vectorizer.fit_transform(["\n".join(texts[members[s]]) for s in range(n_sub)]))
        comment_vectors = normalize(vectorizer.transform(list(texts)))
    elif len(columns):
        idf = _idf(sub_counts[:, columns])
        sub_vectors, comment_vectors = _tfidf(sub_counts[:, columns], idf), _tfidf(kept_counts, idf)
    else:  # no words at all: nothing to cluster on
        sub_vectors, comment_vectors = sparse.csr_matrix((n_sub, 1)), sparse.csr_matrix((len(texts), 1))
    kept_terms = np.asarray(kept_counts.sum(axis=1)).ravel()
    del kept_counts
    sizes = np.array([len(m) for m in members], dtype=float)
    topic_of, other = _subthread_topics(sub_vectors, np.diff(sub_counts.indptr) > 0, sub_has_text,
                                        np.bincount(sub_codes, weights=kept_terms, minlength=n_sub), sizes,
                                        sub_thread, n_topics, clusterer, random_state)
    n_found = int(topic_of.max()) + 1
    centres = cluster_centres(sub_vectors, topic_of, n_found)
    if other >= 0:
        # The other subthreads share no subject: nothing is placed in them by its words.
        centres[other] = 0.0

    best, nearest = _nearest(comment_vectors, centres)
    evidence = (kept_terms >= _MIN_EVIDENCE) & (best > 0) & ~tree.placeholder
    subthread_topic = topic_of[sub_codes]
    own = tree.own_topics(evidence, nearest, subthread_topic)

    in_branch = _indicator(branch_members, len(texts))
    branch_similarity = np.asarray((in_branch @ comment_vectors) @ centres.T).reshape(len(branch_roots), n_found)
    placed = (in_branch @ kept_terms >= _MIN_EVIDENCE) & (branch_similarity.max(axis=1, initial=0) > 0)
    branch_topic = np.where(placed, branch_similarity.argmax(axis=1), subthread_topic[branch_roots]).astype(int)
    return topic_of, own, branch_topic, other


_NAME_PART = re.compile(r"[^\W_]+")
# A capitalised word after "named" names a person ("a guy named Scott").
_NAMED = re.compile(r"named ([A-Z][a-z]+)\b")


def participant_words(authors: pd.Series, texts: np.ndarray) -> frozenset:
    """Keys (:func:`discourse.topics.phrases.fold`) of every word of the participants' names, in
    any case or spelling ("DJG, Reality Czar": djg, reality, czar; "Wolfy_Packy": wolfy, packy,
    wolfy_packy; "BigNekkers": bignekkers, not "big"), and of people named in the texts
    ("a guy named Scott")."""
    names = np.asarray(pd.unique(authors.dropna().astype(str)), dtype=object).tolist()
    joined = "\n".join(names)
    # Parts of a name written apart ("Polar Socialist", "Wolfy_Packy") are names; the parts of one
    # run together ("ElectronicFerret") are common words ("ferret"): only the whole is a name.
    found = set(_NAME_PART.findall(joined.lower()))
    found.update(name.lower() for name in names)
    found.update("".join(_NAME_PART.findall(name)).lower() for name in names if not name.isalnum())
    # Text by text: the texts joined would be a second copy of the corpus (four bytes a
    # character when one text is not Latin-1), and few texts say "named ".
    for text in texts:
        if "named " in text:
            found.update(name.lower() for name in _NAMED.findall(text))
    return frozenset(found) | frozenset(lab.fold(word) for word in found)


def _empty() -> Topics:
    def frame(columns: Iterable[str]) -> pd.DataFrame:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    return Topics(frame(SUBTHREAD_COLUMNS), frame(TOPIC_COLUMNS), frame(COMMENT_COLUMNS), frame(THREAD_COLUMNS))


def _majority(languages: np.ndarray) -> str:
    """The most frequent language (ties: the first in :data:`~discourse.topics.languages.LANGUAGES`)."""
    if not len(languages):
        return "en"
    values, counts = np.unique(languages.astype(str), return_counts=True)
    return min(zip(-counts, [LANGUAGES.index(v) if v in LANGUAGES else 99 for v in values], values))[2]


def _nothing(has_text: bool) -> str:
    return lab.NO_TOPIC_WORDS if has_text else lab.NO_TEXT


def _distinct(answers: list[ClassLabel], fallbacks: list[str], tiers: list[int] | None = None) -> list[str]:
    """One distinct label per class; classes without candidates get their fallback label."""
    chosen = assign_distinct([[(text, a.weight) for text in a.options] for a in answers], tiers)
    return [label if label is not None else fallback for label, fallback in zip(chosen, fallbacks)]


def _groups(codes: np.ndarray, positions: np.ndarray, n_groups: int) -> list[np.ndarray]:
    """Positions split by code: a list of ``n_groups`` arrays, each in source order."""
    if n_groups == 0:
        return []
    order = np.argsort(codes, kind="stable")
    return np.split(positions[order], np.searchsorted(codes[order], np.arange(1, n_groups)))


# -- features ---------------------------------------------------------------------------------

def _columns(keys: Sequence[str]) -> np.ndarray:
    """Columns the hashed counts put ``keys`` in (scikit-learn's signed murmurhash, folded)."""
    return hash_columns(keys, N_FEATURES)


def _indicator(groups: Sequence[np.ndarray], n_columns: int) -> sparse.csr_matrix:
    """Sparse group x comment indicator from lists of positions."""
    sizes = [len(g) for g in groups]
    rows = np.repeat(np.arange(len(groups)), sizes)
    columns = np.concatenate(groups) if groups else np.array([], dtype=int)
    return sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, columns)),
                             shape=(len(groups), n_columns))


def _select_columns(counts: sparse.csr_matrix, max_features: int) -> np.ndarray:
    """Columns used for clustering: in >= 2 rows when there are 3+ rows, the most frequent."""
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    candidates = np.nonzero(df >= (2 if counts.shape[0] >= 3 else 1))[0]
    # A stable sort keeps column order among equal frequencies: the choice is deterministic.
    return np.sort(candidates[np.argsort(-df[candidates], kind="stable")[:max_features]])


def _nearest(vectors: np.ndarray | sparse.spmatrix, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's highest similarity to a centre, and that centre.  Sparse rows are taken in
    blocks: a dense comments x topics matrix would not fit at a million comments."""
    rows = _NEAREST_ROWS if sparse.issparse(vectors) else max(vectors.shape[0], 1)
    best, nearest = np.zeros(vectors.shape[0]), np.zeros(vectors.shape[0], dtype=int)
    for start in range(0, vectors.shape[0], rows):
        similarity = np.asarray(vectors[start:start + rows] @ centres.T)
        best[start:start + rows], nearest[start:start + rows] = similarity.max(axis=1), similarity.argmax(axis=1)
    return best, nearest


def _idf(sub_counts: sparse.csr_matrix) -> np.ndarray:
    """Inverse document frequency of each column over the subthreads, ``log((1 + n) / df)``.

    A word every subthread uses tells none of them apart: it weighs next to nothing
    (``log(1 + 1/n)``; scikit-learn's smoothed idf adds 1 and so kept "Ukraine" or "Trump"
    weighing half as much as a word two subthreads share), yet subthreads that use nothing else
    (a moderator's notice posted again and again) still have a direction to be alike in.
    """
    n = sub_counts.shape[0]
    df = np.maximum(np.bincount(sub_counts.indices, minlength=sub_counts.shape[1]), 1)
    return np.log((1.0 + n) / df)


def _tfidf(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Sublinear TF-IDF rows, L2-normalised (as ``TfidfTransformer(sublinear_tf=True)`` with ``idf``),
    in 32-bit floats as the counts are: 64-bit vectors doubled the cost of the LSA and k-means
    of a large corpus and the memory of a million comments' vectors, for digits no cut reads."""
    weighted = counts.astype(np.float32)
    weighted.data = ((1.0 + np.log(weighted.data, dtype=np.float64)) * idf[weighted.indices]).astype(np.float32)
    weighted.eliminate_zeros()
    return normalize(weighted)


def _subthread_topics(vectors: np.ndarray | sparse.spmatrix, has_terms: np.ndarray, has_text: np.ndarray,
                      kept: np.ndarray, sizes: np.ndarray, sub_thread: np.ndarray, n_topics: int | None, clusterer: Any,
                      random_state: int) -> tuple[np.ndarray, int]:
    """Topic of every subthread (ids from 0 in order of first appearance, the other subthreads'
    last) and the other subthreads' topic (-1: none); see the module docstring."""
    norms = np.asarray(abs(vectors).sum(axis=1)).ravel()
    has_vector = has_terms & (norms > 0)
    automatic = n_topics is None and clusterer is None
    clustered = np.nonzero(has_vector & (kept >= _MIN_EVIDENCE))[0]
    if not len(clustered):
        clustered = np.nonzero(has_vector)[0]
    topic_of = np.full(len(has_terms), -1)
    if len(clustered):
        found = (external_clusters(clusterer, vectors[clustered]) if clusterer is not None
                 else cluster_rows(vectors[clustered], n_topics, random_state))
        if automatic:
            # A topic holds at least MIN_TOPIC_COMMENTS comments (when any cluster does): the
            # subthreads of a smaller cluster are placed as short ones are, below.
            held = np.bincount(found, weights=sizes[clustered])
            if (held >= MIN_TOPIC_COMMENTS).any():
                found = np.where(held[found] >= MIN_TOPIC_COMMENTS, found, -1)
        topic_of[clustered] = found
        short = np.nonzero(has_vector & (topic_of < 0))[0]
        if len(short):
            ids, codes = np.unique(topic_of[topic_of >= 0], return_inverse=True)
            centres = cluster_centres(vectors[topic_of >= 0], codes, len(ids))
            similarity = np.asarray(vectors[short] @ centres.T)
            best = np.maximum(similarity.max(axis=1), 0)
            if automatic:
                # Automatic topics take in only a subthread plainly on their subject: one or two
                # shared words make any short text alike, so the likeness is discounted by how
                # few words it rests on (half at _MIN_EVIDENCE words).
                enough = best * kept[short] / (kept[short] + _MIN_EVIDENCE) > JOIN_SIMILARITY
            else:
                enough = best > 0
            topic_of[short] = np.where(enough, ids[similarity.argmax(axis=1)], -1)
    if automatic:
        # A subthread long enough for a heading but of too few shared words to be clustered has
        # a topic of its own when no topic is plainly its subject.
        alone = np.nonzero(has_vector & (topic_of < 0) & (sizes >= MIN_TOPIC_COMMENTS))[0]
        topic_of[alone] = topic_of.max(initial=-1) + 1 + np.arange(len(alone))
    other = -1
    if automatic and sizes[topic_of >= 0].sum() >= MIN_TOPIC_COMMENTS:
        # Words shared with no topic, or a text of no topic words ("lol"): the other subthreads,
        # one topic that claims no subject.
        lonely = np.nonzero((has_terms | has_text) & (topic_of < 0))[0]
        if len(lonely):
            other = topic_of[lonely] = topic_of.max(initial=-1) + 1
    elif n_topics is None or not len(clustered):
        # Words shared with no topic make a topic of their own (with n_topics, the neighbour's).
        lonely = np.nonzero(has_terms & (topic_of < 0))[0]
        topic_of[lonely] = topic_of.max(initial=-1) + 1 + np.arange(len(lonely))
    if (topic_of < 0).all():
        topic_of[:] = 0
    elif (topic_of < 0).any():
        # Nothing to read: the topic of the nearest subthread before, else after, in the thread.
        frame = pd.DataFrame({"topic": np.where(topic_of >= 0, topic_of, np.nan), "thread": sub_thread})
        before = frame.groupby("thread", sort=False)["topic"].ffill()
        after = frame.groupby("thread", sort=False)["topic"].bfill()
        topic_of = before.fillna(after).fillna(topic_of[topic_of >= 0][0]).to_numpy().astype(int)
    if other < 0 or not (topic_of == other).any():
        return pd.factorize(topic_of)[0], -1
    # First-appearance order, the other subthreads last.
    codes, uniques = pd.factorize(np.where(topic_of == other, -1, topic_of))
    last = int(np.flatnonzero(uniques == -1)[0])
    order = np.r_[np.delete(np.arange(len(uniques)), last), last]
    return np.argsort(order)[codes], len(uniques) - 1


class _Tree:
    """Positions of parents, depth and threads of the comments (from their integer ``view``),
    and walks over the tree."""

    def __init__(self, table: pd.DataFrame, view: CommentView) -> None:
        self.ids, self.parent, self.depth, self.placeholder = view.ids, view.parent, view.depth, view.is_placeholder
        self.texts = np.where(self.placeholder, "", table["text"].fillna("").to_numpy(dtype=object))
        self.threads = table["thread_id"].to_numpy(dtype=object)
        self.thread_codes, self.thread_ids = view.thread, view.thread_names

    def _down(self, values: np.ndarray, update: np.ndarray) -> np.ndarray:
        """``values`` where the rows marked in ``update`` (below the top level) take their
        parent's, filled from the top: the value of the nearest ancestor not marked (one
        :func:`~discourse.model.tree.climb`, not one pass over all rows per level)."""
        return values[climb(self.parent, update & (self.depth >= 2))[0]]

    def own_topics(self, evidence: np.ndarray, nearest: np.ndarray, subthread_topic: np.ndarray) -> np.ndarray:
        """Nearest topic where there is evidence, else the closest placed ancestor's."""
        own = self._down(np.where(evidence, nearest, subthread_topic), ~evidence)
        return np.where(self.placeholder, subthread_topic, own)

    def branches(self, min_comments: int) -> tuple[np.ndarray, list[np.ndarray]]:
        """Positions of depth-2 comments whose branch holds >= min_comments real comments,
        and the positions of each branch's real comments (source order)."""
        root = self._down(np.where(self.depth == 2, np.arange(len(self.ids)), -1), self.depth > 2)
        inside = (root >= 0) & ~self.placeholder
        sizes = np.bincount(root[inside], minlength=len(self.ids))
        roots = np.nonzero((self.depth == 2) & (sizes >= max(1, min_comments)))[0]
        code = np.full(len(self.ids), -1)
        code[roots] = np.arange(len(roots))
        wanted = inside & (code[np.maximum(root, 0)] >= 0)
        return roots, _groups(code[root[wanted]], np.nonzero(wanted)[0], len(roots))
