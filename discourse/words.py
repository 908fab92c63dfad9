"""Words of comment texts: lower-cased word lists, and all comments' words as integer ids.

A word is what ``\\w+`` finds.  ASCII text, the common case, is split by a byte table (word
bytes kept, lower-cased or not, the rest turned into spaces), several times faster than the
regex.  :func:`tokenise` does a whole table of texts at once for :mod:`discourse.mentions` and
:mod:`discourse.quotes`.
"""

import re
from itertools import chain

import numpy as np
import pandas as pd

WORD = re.compile(r"\w+")
# ASCII text is split into lower-case words by a byte table: word bytes lower-cased, the rest spaces.
_ASCII_WORD_BYTES = bytes(ord(chr(b).lower()) if WORD.match(chr(b)) else 32 for b in range(128)) + bytes(128)
_ASCII_WORD_BYTES_KEEP_CASE = bytes(b if WORD.match(chr(b)) else 32 for b in range(128)) + bytes(128)


def lower_words(text):
    """The words of ``text`` lower-cased, as ``\\w+`` finds them in ``text.lower()``."""
    if text.isascii():  # the common case, several times faster than the regex
        return text.encode("ascii").translate(_ASCII_WORD_BYTES).decode("ascii").split()
    return WORD.findall(text.lower())


def case_words(text):
    """The words of ``text``, as ``\\w+`` finds them."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_WORD_BYTES_KEEP_CASE).decode("ascii").split()
    return WORD.findall(text)


#: Docs tokenised together: bounds the Python word strings alive at once (a million comments
#: hold some 36 million words, several gigabytes as strings) while keeping the work vectorised.
_BLOCK = 10_000


def tokenise(docs):
    """(ids, starts, vocabulary): every doc's :func:`lower_words` as integer word ids, doc d's
    being ``ids[starts[d]:starts[d + 1]]``, and the distinct words in id order.

    Docs are taken in blocks of :data:`_BLOCK`; a word's id is its rank of first appearance.
    """
    index = {}  # word -> id
    id_blocks, count_blocks = [], []
    for first in range(0, len(docs), _BLOCK):
        local, counts, words = _tokenise_block(docs[first:first + _BLOCK])
        to_global = np.fromiter((index.setdefault(word, len(index)) for word in words), np.uint64, len(words))
        id_blocks.append(to_global[local])
        count_blocks.append(counts)
    ids = np.concatenate(id_blocks) if id_blocks else np.zeros(0, dtype=np.uint64)
    counts = np.concatenate(count_blocks) if count_blocks else np.zeros(0, dtype=np.int64)
    return ids, np.r_[0, np.cumsum(counts)], list(index)


def _tokenise_block(docs):
    """(ids, counts, vocabulary) of a list of docs, ids local to it, in doc order.

    The ASCII docs are split all at once: one translation, one split, and their word counts
    from the bytes (a word starts where a word byte follows a space).
    """
    plain = np.fromiter(map(str.isascii, docs), bool, len(docs))
    ascii_docs = [d for d, p in zip(docs, plain) if p]
    data = ("\n".join(ascii_docs) + "\n").encode("ascii").translate(_ASCII_WORD_BYTES)
    words = data.decode("ascii").split()
    spaces = np.frombuffer(data, np.uint8) == 32
    opens = ~spaces
    opens[1:] &= spaces[:-1]
    sizes = np.fromiter(map(len, ascii_docs), np.int64, len(ascii_docs)) + 1
    counts = np.zeros(len(docs), dtype=np.int64)
    counts[plain] = np.diff(np.searchsorted(np.flatnonzero(opens), np.r_[0, np.cumsum(sizes)]))
    others = [lower_words(d) for d, p in zip(docs, plain) if not p]
    counts[~plain] = np.fromiter(map(len, others), np.int64, len(others))
    words.extend(chain.from_iterable(others))
    ids, vocabulary = pd.factorize(np.array(words, dtype=object))
    # The ASCII docs' words come first, then the others': put them back in doc order.
    source = np.zeros(len(docs), dtype=np.int64)
    ascii_counts, other_counts = counts[plain], counts[~plain]
    source[plain] = np.cumsum(ascii_counts) - ascii_counts
    source[~plain] = ascii_counts.sum() + np.cumsum(other_counts) - other_counts
    ids = gather(ids.astype(np.int64), source, counts, np.arange(len(docs)))
    return ids, counts, list(vocabulary)


def gather(ids, starts, counts, docs):
    """The ids of ``docs`` (numbers into ``starts``/``counts``), one doc after the other."""
    picked = counts[docs]
    index = np.repeat(starts[docs] - (np.cumsum(picked) - picked), picked) + np.arange(picked.sum())
    return ids[index]
