"""The labelling seam: what a labeller is given and what it returns.

:func:`discourse.topics.find.find_topics` first clusters the subthreads, then asks a labeller
for the labels of four kinds of classes, one call per kind: ``"topic"``, ``"subthread"``,
``"branch"`` and ``"thread"``.  A labeller is any callable taking a :class:`LabelRequest` and
returning one :class:`ClassLabel` per class, in the request's order.  ``find_topics`` then
makes the labels distinct within each table (taking a class's next option when its first is
taken) and gives a class with no options the ``"no text"`` or ``"no topic words"`` label.

The default, :class:`PhraseLabeller`, scores candidate noun phrases with class-based TF-IDF
(:mod:`discourse.topics.labels`); :class:`discourse.topics.llm.ChatLabeller` asks a user's
own language-model server.  A labeller of one's own:

>>> import pandas as pd
>>> from discourse.model.tree import complete_tree
>>> from discourse.topics import ClassLabel, find_topics
>>> def first_words(request):
...     return [ClassLabel([" ".join(request.texts[c[0]].split()[:3])] if len(c) else [])
...             for c in request.classes]
>>> table = complete_tree(pd.DataFrame({"comment_id": ["a", "b"], "parent_id": [None, "a"],
...                                      "thread_id": "t", "author": ["A", "B"],
...                                      "text": ["Taurus missiles for Ukraine", "Not yet"]}))
>>> find_topics(table, labeller=first_words).subthreads["label"].tolist()
['Taurus missiles for']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Literal, Sequence

import numpy as np

from ..exceptions import DiscourseError
from .features import Text
from .chatter import chatter_kinds, describe
from .labels import read_classes
from .languages import localise

__all__ = ["ClassLabel", "LabelRequest", "Labeller", "LabellerError", "PhraseLabeller", "KINDS"]

#: The kinds of classes a labeller is asked about, in the order they are asked.
KINDS = ("topic", "subthread", "branch", "thread")

_LABEL_SAMPLE = 2000  # comments a class is read from (evenly spaced), at most


@dataclass(frozen=True)
class ClassLabel:
    """A labeller's answer for one class.

    Parameters
    ----------
    options : list of str
        Labels, best first; later ones are used when an earlier one is taken by another class
        of the same table.  Empty: the class has nothing to label.
    weight : float
        How strongly the best option fits (classes of higher weight choose first).
    top_terms : str
        The weighted terms behind the label, ``"term:weight; ..."`` (may be empty).
    terms : tuple of (str, str)
        The class's best terms as (display, key), offered to narrower classes
        (:attr:`LabelRequest.wider`); may be empty.
    language : str
        ISO 639-1 code of the language the label is in ("" when unknown).
    """

    options: list
    weight: float = 0.0
    top_terms: str = ""
    terms: tuple = ()
    language: str = ""


@dataclass(frozen=True)
class LabelRequest:
    """What a labeller is given for one kind of class.

    Parameters
    ----------
    kind : {"topic", "subthread", "branch", "thread"}
        The kind of classes.
    classes : list of numpy.ndarray
        Each class's comment positions (rows of the comments table, source order, placeholders
        left out).
    texts : numpy.ndarray
        Every comment's text by position ("" for placeholders).
    text : discourse.topics.features.Text
        The same texts read into word ids (candidate phrases, spellings).
    wider : list of ClassLabel or None
        For subthreads and branches, the label of each class's topic; else None.
    languages : list of str
        Each class's language (ISO 639-1 code), as detected for its thread.
    names : frozenset of str
        Lower-case words of the thread's participants' names (never to be used in a label).
    """

    kind: Literal["topic", "subthread", "branch", "thread"]
    classes: list
    texts: np.ndarray
    text: Text
    wider: list | None = None
    languages: list = field(default_factory=list)
    names: frozenset = frozenset()


class LabellerError(DiscourseError):
    """A labeller failed or answered out of protocol (wrong number of labels, server unreachable)."""


#: A labeller: one :class:`ClassLabel` per class of the request, in order.
Labeller = Callable[[LabelRequest], Sequence[ClassLabel]]


class PhraseLabeller:
    """The default labeller: class-based TF-IDF over candidate noun phrases (offline, deterministic).

    Examples
    --------
    >>> from discourse.topics import PhraseLabeller, find_topics
    >>> labeller = PhraseLabeller()   # what find_topics uses when given no labeller
    """

    def __call__(self, request: LabelRequest) -> list[ClassLabel]:
        """Labels of the request's classes (see :func:`discourse.topics.labels.read_classes`)."""
        if not request.classes:
            return []
        words = request.text.words
        average = float(np.mean([words[m].sum() for m in request.classes]))
        groups = [_sample(m) for m in request.classes]
        languages = request.languages or ["en"] * len(groups)
        # Subthreads and branches of jokes, thanks and reactions are described, not given a fake subject.
        kinds = chatter_kinds(groups, request.texts, words) if request.kind in ("subthread", "branch") else None
        reads = read_classes(request.text, groups, average, with_terms=request.kind == "topic",
                             excluded=request.names, subjects=[k is not None for k in kinds] if kinds else None)
        answers = []
        for c, (r, language) in enumerate(zip(reads, languages)):
            weight = r.options[0][1] if r.options else 0.0
            if kinds and kinds[c] is not None:
                subject = localise(r.subject, language) if r.subject else None
                options = list(dict.fromkeys([describe(kinds[c], subject, language), describe(kinds[c], None, language)]))
            elif language == "en":
                options = [text for text, _ in r.options]
            else:
                options = [localise(text, language) for text, _ in r.options]
            answers.append(ClassLabel(options, weight, r.top_terms, tuple(r.terms), language))
        return answers


def _sample(positions: np.ndarray) -> np.ndarray:
    """At most ``_LABEL_SAMPLE`` positions, evenly spaced, in order."""
    if len(positions) <= _LABEL_SAMPLE:
        return positions
    return np.asarray(positions)[np.linspace(0, len(positions) - 1, _LABEL_SAMPLE).round().astype(int)]
