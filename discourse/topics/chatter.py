"""Chatter: subthreads of jokes, thanks and reactions, described for what they are.

A subthread whose comments are mostly short reactions (laughter, thanks, "same", "I second",
an emoji) has no subject a keyword label could name: its best candidate is a passing word
("beautiful bastards").  Such a class is described instead: "jokes about gift cards", "thanks
and reactions", "short reactions", in the thread's language.

A class of at least :data:`_MIN_COMMENTS` comments is chatter when

- its comments say little: the median comment has at most :data:`_MEDIAN_WORDS` content words
  (those :mod:`discourse.topics.phrases` keeps: no stop words, no filler);
- most of them are chatter: at least :data:`_CHATTER_SHARE` are marked (laughter, thanks or a
  reaction word of any language of :data:`~discourse.topics.languages.LANGUAGES`, an emoji or
  an emoticon) or hold at most :data:`_SHORT_WORDS` content words;
- and reactions are what it is made of, not a side remark: at least two comments, and at least
  :data:`_MARKED_SHARE` of them, are marked (a smiley or a wink marks a joke).

Its kind is the most frequent mark (jokes, then thanks, then reactions on ties); the subject of
jokes and reactions is the class's best candidate written at least twice (a subject the chatter
shares), if any.  Only classes that say little are looked at word by word, so the cost stays
with the few short classes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["chatter_kinds", "describe", "KINDS"]

#: Kinds of chatter, in the order ties are broken.
KINDS = ("jokes", "thanks", "reactions")

_MIN_COMMENTS = 3
_MEDIAN_WORDS = 6
_SHORT_WORDS = 2
_CHATTER_SHARE = 0.6
_MARKED_SHARE = 0.2

# Laughter, thanks and reactions in the languages told apart (lower case; words are matched whole).
_WORDS = {
    "jokes": r"""lol+ lo+l lmf?a+o+ rofl+ ha(?:ha)+h? a?ha(?:ha)+ bahaha\w* he(?:he)+ hihi+ xd+ jaja\w* jeje\w* kkk+
                 rsrs\w* mdr+ ptdr+ ahah\w* хаха\w* ахах\w* лол ржу""",
    "thanks": r"""thanks? thx tysm ty thank-you danke dankeschön merci gracias grazie obrigad[oa] valeu bedankt
                  спасибо спс""",
    "reactions": r"""same agreed? seconded second this \+1 rip omg wow whoa yay yikes nice cool congrats
                     exactly indeed genau stimmt krass bravo exacto esatto exato precies точно согласен
                     hey hi hello hallo salut hola ciao oi hoi привет""",
}
_SYMBOLS = {
    "jokes": "😂 🤣 😆 😹 😅 😁 😄 😜 😉 :) :-) ;) ;-) :p :d xp 哈哈 呵呵 嘻嘻 笑死 ｗｗ 草 (笑)",
    "thanks": "🙏 谢谢 感谢 多谢 ありがとう",
    "reactions": "👍 👏 ❤ 😍 😮 😢 😭 🔥 💯 :( <3 顶 赞 同意 すごい",
}
_MARKS = {kind: re.compile(r"(?<![\w'])(?:" + "|".join(_WORDS[kind].split()) + r")(?![\w'])"
                           + "|" + "|".join(re.escape(s) for s in _SYMBOLS[kind].split()), re.IGNORECASE)
          for kind in KINDS}

# Descriptions per language: a kind with a subject ("{}"), and without one.
_WITH = {
    "jokes": {"en": "jokes about {}", "de": "Witze über {}", "fr": "blagues sur {}", "es": "bromas sobre {}",
              "it": "battute su {}", "pt": "piadas sobre {}", "nl": "grappen over {}", "ru": "шутки про {}",
              "zh": "关于{}的玩笑", "ja": "{}の冗談"},
    "reactions": {"en": "reactions to {}", "de": "Reaktionen auf {}", "fr": "réactions à {}",
                  "es": "reacciones a {}", "it": "reazioni a {}", "pt": "reações a {}", "nl": "reacties op {}",
                  "ru": "реакции на {}", "zh": "对{}的反应", "ja": "{}への反応"},
}
_WITHOUT = {
    "jokes": {"en": "jokes and reactions", "de": "Witze und Reaktionen", "fr": "blagues et réactions",
              "es": "bromas y reacciones", "it": "battute e reazioni", "pt": "piadas e reações",
              "nl": "grappen en reacties", "ru": "шутки и реакции", "zh": "玩笑和反应", "ja": "冗談と反応"},
    "thanks": {"en": "thanks and reactions", "de": "Dank und Reaktionen", "fr": "remerciements et réactions",
               "es": "agradecimientos y reacciones", "it": "ringraziamenti e reazioni",
               "pt": "agradecimentos e reações", "nl": "bedankjes en reacties", "ru": "благодарности и реакции",
               "zh": "感谢和反应", "ja": "感謝と反応"},
    "reactions": {"en": "short reactions", "de": "kurze Reaktionen", "fr": "réactions brèves",
                  "es": "reacciones breves", "it": "reazioni brevi", "pt": "reações breves", "nl": "korte reacties",
                  "ru": "короткие реакции", "zh": "简短反应", "ja": "短い反応"},
}


def _marks(text: str) -> str | None:
    """The kind of chatter a comment's text is marked with (the first of :data:`KINDS` found)."""
    for kind in KINDS:
        if _MARKS[kind].search(text):
            return kind
    return None


def chatter_kinds(classes: Sequence[np.ndarray], texts: np.ndarray | Sequence[str],
                  content_words: np.ndarray) -> list[str | None]:
    """The kind of chatter of each class (:data:`KINDS`), None for a class with a subject.

    ``classes``: each class's comment positions; ``texts``: every comment's text by position;
    ``content_words``: every comment's number of content words (see the module docstring).

    Examples
    --------
    >>> import numpy as np
    >>> texts = ["Free cruise to Dubai, really?", "lol", "Haha I second that", "RIP your inbox 😂"]
    >>> chatter_kinds([np.arange(4)], texts, np.array([3, 0, 0, 1]))
    ['jokes']
    """
    found: list[str | None] = [None] * len(classes)
    # Most classes end here: only those that say little are read word by word.
    for c in np.flatnonzero(_medians(classes, content_words) <= _MEDIAN_WORDS).tolist():
        members = classes[c]
        words = content_words[members]
        kinds = [_marks(str(texts[p])) for p in np.asarray(members).tolist()]
        marked = [kind for kind in kinds if kind is not None]
        chatty = sum(kind is not None or n <= _SHORT_WORDS for kind, n in zip(kinds, words.tolist()))
        if len(marked) >= max(2, _MARKED_SHARE * len(members)) and chatty >= _CHATTER_SHARE * len(members):
            found[c] = max(KINDS, key=lambda kind: (marked.count(kind), -KINDS.index(kind)))
    return found


def _medians(classes: Sequence[np.ndarray], values: np.ndarray) -> np.ndarray:
    """The median of ``values`` over each class's positions, as ``np.median`` gives it (the mean
    of the two middle values of an even count); ``inf`` for a class of fewer than
    :data:`_MIN_COMMENTS` positions.  All classes at once: one ``np.median`` per class cost 4
    CPU-seconds for the 100,000 classes of a million comments."""
    sizes = np.fromiter(map(len, classes), dtype=np.int64, count=len(classes))
    medians = np.full(len(classes), np.inf)
    counted = np.flatnonzero(sizes >= _MIN_COMMENTS)
    if not len(counted):
        return medians
    sizes = sizes[counted]
    class_of = np.repeat(np.arange(len(counted)), sizes)
    read = np.asarray(values, dtype=np.float64)[np.concatenate([np.asarray(classes[c], dtype=np.int64)
                                                                for c in counted.tolist()])]
    ordered = read[np.lexsort((read, class_of))]  # each class's values in ascending order
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    medians[counted] = (ordered[starts + (sizes - 1) // 2] + ordered[starts + sizes // 2]) / 2
    return medians


def describe(kind: str, subject: str | None, language: str) -> str:
    """A description of a chatter class in its language ("jokes about gift cards").

    Examples
    --------
    >>> describe("jokes", "gift cards", "en"), describe("thanks", None, "de"), describe("jokes", "代码", "zh")
    ('jokes about gift cards', 'Dank und Reaktionen', '关于代码的玩笑')
    """
    language = language if language in _WITHOUT["jokes"] else "en"
    if subject and kind in _WITH:
        return _WITH[kind][language].format(subject)
    return _WITHOUT[kind][language]
