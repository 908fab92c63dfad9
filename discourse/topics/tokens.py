"""Tokens of many texts read in one regular-expression pass (for :mod:`discourse.topics.features`).

``labels._TOKEN.findall`` on each text gives tuples, which cost more to make, hash and free than
the matching itself.  Here a block of texts is joined by a separator character none of them
holds, which no token takes in or reaches across, and read in a single ``findall``: the same
tokens as text by text (read_texts: 40 -> 23 CPU-seconds for a million comments, measured).
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from . import phrases as lab

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = ["block_matches"]


def _without_addresses(text: str) -> str:
    """``labels._URL.sub(" . ", text)``; the pattern backtracks at every character, and most
    comments hold no web or mail address, so those are passed by."""
    if "://" in text or "www." in text or "@" in text:
        return lab._URL.sub(" . ", text)
    return text


def block_matches(texts: Iterable[str]) -> tuple[list[str], str, dict[str, str]]:
    """Every token of ``texts`` as a plain string, the separator between texts (a match of its
    own) and the stand-ins for ".", "!", "?" that end no sentence (stand-in -> mark).

    A run of marks ends a sentence when a space or the text's end
    (the separator) follows; the other runs are spelled with stand-ins, so that every match
    reads on its own as in its text."""
    texts = [str(text) for text in texts]
    separator, *stand_ins = _unused_characters(texts, 4)
    joined = separator.join(texts).translate(lab._APOSTROPHES)
    if "://" in joined or "www." in joined or "@" in joined:
        joined = separator.join(map(_without_addresses, joined.split(separator)))
    no_sentence, token = _patterns(separator, "".join(stand_ins))
    spelled = str.maketrans(dict(zip(".!?", stand_ins)))
    joined = no_sentence.sub(lambda run: run[0].translate(spelled), joined)
    return token.findall(joined), separator, dict(zip(stand_ins, ".!?"))


def _unused_characters(texts: Sequence[str], n: int) -> list[str]:
    """The first ``n`` characters no text holds among those that are neither word characters
    nor white space (no token takes them in, none is split by them)."""
    whole = "".join(texts)
    codes = itertools.chain(range(0x20), range(0x7F, 0xA0), range(0xE000, 0xF900), range(0xF0000, 0x10FFFE))
    free = (c for c in map(chr, codes) if c not in whole and not re.match(r"[\w\s]", c))
    unused = list(itertools.islice(free, n))
    if len(unused) < n:
        raise ValueError("the texts hold every character that could separate them")
    return unused


@lru_cache(maxsize=16)
def _patterns(separator: str, stand_ins: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Runs of marks (".", "!", "?") that end no sentence; and ``labels._TOKEN`` without groups
    for a block where every mark left ends a sentence, and the stand-ins and the separator are
    tokens of their own."""
    # Whole runs of marks, each read once from its first mark (a look-ahead over the rest of the
    # run from every mark was quadratic: 200,000 dots took minutes).  The pattern starts with the
    # mark itself, the look-behind after it: a pattern opening with a character set is searched
    # for by that set, one opening with a look-behind is tried at every character (5x slower).
    no_sentence = re.compile(rf"[.!?](?<![.!?]{{2}})[.!?]*+(?=[^\s.!?{separator}])")
    token = re.compile(r"""[^\W_](?:[\w'\-]*[^\W_])?|[.!?]+|\n"""
                       rf"""|[,;:()\[\]{{}}"“”«»„…|/\\{stand_ins}{separator}]|\s[-–—]+\s|[–—]|(?<!\w)'|'(?!\w)""")
    return no_sentence, token
