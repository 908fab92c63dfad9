"""Words of comment texts: lower-cased word lists, all comments' words as integer ids, sentences.

A word is what ``\\w+`` finds.  ASCII text, the common case, is split by a byte table (word
bytes kept, lower-cased or not, the rest turned into spaces), several times faster than the
regex.  :func:`tokenise` does a whole table of texts at once, and :func:`sentences` splits many
texts into sentences at once, for :mod:`discourse.network.scan`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from itertools import chain

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["WORD", "SENTENCE_END", "Vocabulary", "nfc", "lower_words", "case_words", "tokenise", "gather", "sentences"]

WORD = re.compile(r"\w+")
# ASCII text is split into lower-case words by a byte table: word bytes lower-cased, the rest spaces.
_ASCII_WORD_BYTES = bytes(ord(chr(b).lower()) if WORD.match(chr(b)) else 32 for b in range(128)) + bytes(128)
_ASCII_WORD_BYTES_KEEP_CASE = bytes(b if WORD.match(chr(b)) else 32 for b in range(128)) + bytes(128)


def nfc(text: str) -> str:
    """``text`` in Unicode NFC, so a name or word typed as "e" and a combining accent is the one
    typed as "é" (readers keep names in NFC, texts as written); ASCII text is returned at once.

    >>> nfc("Jose\u0301") == "Jos\u00e9"
    True
    """
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def lower_words(text: str) -> list[str]:
    """The words of ``text`` lower-cased, as ``\\w+`` finds them in ``text.lower()``."""
    if text.isascii():  # the common case, several times faster than the regex
        return text.encode("ascii").translate(_ASCII_WORD_BYTES).decode("ascii").split()
    return WORD.findall(text.lower())


def case_words(text: str) -> list[str]:
    """The words of ``text``, as ``\\w+`` finds them."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_WORD_BYTES_KEEP_CASE).decode("ascii").split()
    return WORD.findall(text)


#: Docs tokenised together: bounds the memory a block's bytes and arrays take at once.
_BLOCK = 10_000


class Vocabulary:
    """Words and their integer ids, numbered in order of arrival; several :func:`tokenise`
    calls may share one."""

    def __init__(self, words: Sequence[str] = ()) -> None:
        self.id = {}     # word -> id
        self.words = []  # id -> word
        self.ids_of(words)

    def __len__(self) -> int:
        return len(self.words)

    def ids_of(self, words: Sequence[str]) -> npt.NDArray[np.uint64]:
        """The ids of ``words`` (a list) as an array, new words numbered on."""
        known = len(self.words)
        ids = np.fromiter((self.id.setdefault(word, len(self.id)) for word in words), np.uint64, len(words))
        fresh = np.flatnonzero(ids >= known)
        first = np.unique(ids[fresh], return_index=True)[1]  # each new word once, in id order
        self.words.extend(words[p] for p in fresh[first].tolist())
        return ids


def tokenise(docs: Sequence[str], vocabulary: Vocabulary | None = None
             ) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """(ids, starts, capitals): every doc's :func:`lower_words` as integer word ids, doc d's
    being ``ids[starts[d]:starts[d + 1]]``; ``capitals`` tells which words are written with a
    capital A-Z first in an ASCII doc (False in the other docs).

    Ids are those of ``vocabulary`` (a :class:`Vocabulary`, extended with the new words; by
    default a new one): in order of first appearance, a block's ASCII docs before its others.
    Docs are taken in blocks of :data:`_BLOCK`.
    """
    vocabulary = Vocabulary() if vocabulary is None else vocabulary
    id_blocks, count_blocks, capital_blocks = [], [], []
    for first in range(0, len(docs), _BLOCK):
        local, counts, words, capitals = _tokenise_block(docs[first:first + _BLOCK])
        id_blocks.append(vocabulary.ids_of(words)[local])
        count_blocks.append(counts)
        capital_blocks.append(capitals)
    if not id_blocks:
        return np.zeros(0, dtype=np.uint64), np.zeros(1, dtype=np.int64), np.zeros(0, dtype=bool)
    ids, counts = np.concatenate(id_blocks), np.concatenate(count_blocks)
    return ids, np.r_[0, np.cumsum(counts)], np.concatenate(capital_blocks)


def _tokenise_block(docs: Sequence[str]
                    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], list[str], npt.NDArray[np.bool_]]:
    """(ids, counts, vocabulary, capitals) of a list of docs, ids local to it, in doc order.

    Ids are in order of first appearance among the ASCII docs' words, then the other docs'.
    The ASCII docs are split all at once as bytes: no Python string per word, only per
    distinct word (:func:`_ascii_words`).
    """
    plain = np.fromiter(map(str.isascii, docs), bool, len(docs))
    ascii_docs = docs if plain.all() else [d for d, p in zip(docs, plain) if p]
    raw = ("\n".join(ascii_docs) + "\n").encode("ascii")
    ascii_ids, word_starts, vocabulary = _ascii_words(raw.translate(_ASCII_WORD_BYTES))
    capitals = np.frombuffer(raw, np.uint8)[word_starts] - np.uint8(ord("A")) < 26
    sizes = np.fromiter(map(len, ascii_docs), np.int64, len(ascii_docs)) + 1
    counts = np.zeros(len(docs), dtype=np.int64)
    counts[plain] = np.diff(np.searchsorted(word_starts, np.r_[0, np.cumsum(sizes)]))
    if len(ascii_docs) == len(docs):
        return ascii_ids, counts, vocabulary, capitals
    others = [lower_words(d) for d, p in zip(docs, plain) if not p]
    counts[~plain] = np.fromiter(map(len, others), np.int64, len(others))
    if others:  # the ASCII words keep their ids; the others' words are looked up after them
        known = len(vocabulary)
        other_ids, vocabulary = pd.factorize(np.array(vocabulary + list(chain.from_iterable(others)), dtype=object))
        ascii_ids, vocabulary = np.concatenate([ascii_ids, other_ids[known:]]), list(vocabulary)
        capitals = np.concatenate([capitals, np.zeros(len(ascii_ids) - len(capitals), dtype=bool)])
    # The ASCII docs' words come first, then the others': put them back in doc order.
    source = np.zeros(len(docs), dtype=np.int64)
    ascii_counts, other_counts = counts[plain], counts[~plain]
    source[plain] = np.cumsum(ascii_counts) - ascii_counts
    source[~plain] = ascii_counts.sum() + np.cumsum(other_counts) - other_counts
    picked = gather(np.arange(len(ascii_ids)), source, counts, np.arange(len(docs)))
    return ascii_ids[picked], counts, vocabulary, capitals[picked]


#: Words longer than this many bytes are numbered by their bytes whole, not eight bytes a pass.
_READ_EIGHT_AT_A_TIME = 256
#: Bytes of a word's first n bytes in a little-endian 64-bit number: n = 0..8.
_BYTE_MASKS = np.array([(1 << (8 * n)) - 1 for n in range(9)], dtype=np.uint64)


def _ascii_words(data: bytes) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], list[str]]:
    """(ids, starts, vocabulary) of the words of ``data`` (bytes, word bytes among spaces), ids
    in order of first appearance, starts the byte offsets of the words.

    A word is numbered by its bytes read eight at a time as 64-bit numbers: a word of up to 8
    bytes is its number (word bytes are never 0, so lengths differ too); longer words are
    renumbered with each further eight bytes until they end.
    """
    padded = data + bytes(8)
    is_word = (np.frombuffer(padded, np.uint8) != 32).view(np.int8)
    is_word[len(data):] = 0
    edges = np.flatnonzero(np.diff(is_word, prepend=np.int8(0)).view(bool))  # a word's start, then its end
    starts, ends = edges[0::2], edges[1::2]
    lengths = ends - starts
    eight = np.ndarray((len(padded) - 7,), dtype="<u8", buffer=padded, strides=(1,))  # 8 bytes from each offset
    codes = pd.factorize(eight[starts] & _BYTE_MASKS[np.minimum(lengths, 8)])[0]
    longer = np.flatnonzero((lengths > 8) & (lengths <= _READ_EIGHT_AT_A_TIME))
    offset = 8
    while len(longer):
        rest = lengths[longer] - offset
        more = pd.factorize(eight[starts[longer] + offset] & _BYTE_MASKS[np.minimum(rest, 8)])[0]
        pairs = pd.factorize(codes[longer] * (int(more.max()) + 1) + more)[0]
        codes[longer] = int(codes.max()) + 1 + pairs  # numbers no shorter word has
        longer, offset = longer[rest > 8], offset + 8
    huge = np.flatnonzero(lengths > _READ_EIGHT_AT_A_TIME)
    if len(huge):  # numbered by their bytes: eight at a time costs a pass per eight bytes of the longest
        spelled = pd.factorize(np.array([data[s:e] for s, e in zip(starts[huge].tolist(), ends[huge].tolist())],
                                        dtype=object))[0]
        codes[huge] = int(codes.max()) + 1 + spelled
    if offset > 8 or len(huge):
        codes = pd.factorize(codes)[0]
    firsts = np.flatnonzero(np.diff(np.maximum.accumulate(codes), prepend=-1) > 0)
    text = data.decode("ascii")
    vocabulary = [text[s:e] for s, e in zip(starts[firsts].tolist(), ends[firsts].tolist())]
    return codes, starts, vocabulary


def gather(ids: np.ndarray, starts: npt.NDArray[np.int64], counts: npt.NDArray[np.int64],
           docs: npt.NDArray[np.int64]) -> np.ndarray:
    """The ids of ``docs`` (numbers into ``starts``/``counts``), one doc after the other."""
    picked = counts[docs]
    index = np.repeat(starts[docs] - (np.cumsum(picked) - picked), picked) + np.arange(picked.sum())
    return ids[index]


# -- sentences -------------------------------------------------------------------------------

_ENDS = ".!?…"
#: Where a sentence ends: whitespace after ".", "!", "?" or "…", or line breaks.
SENTENCE_END = re.compile(rf"(?<=[{_ENDS}])\s+|\n+")
# Byte classes of ASCII text: whitespace, sentence ends, word bytes.
_ASCII_SPACE = np.array([bool(re.match(r"\s", chr(b))) for b in range(128)] + [False] * 128)
_ASCII_END = np.array([chr(b) in _ENDS for b in range(128)] + [False] * 128)
_ASCII_WORD = np.frombuffer(_ASCII_WORD_BYTES, np.uint8) != 32


def sentences(docs: Sequence[str]) -> tuple[npt.NDArray[np.int64], ...]:
    """(doc, first word, words, characters, spaces, letters) of each sentence of ``docs`` (the
    non-empty pieces ``SENTENCE_END.split`` gives), as arrays.

    ``first word``: the number among :func:`lower_words` of the doc of the sentence's first
    word; ``words``, ``letters``: how many words :func:`lower_words` finds in the sentence and
    their total length; ``characters``, ``spaces``: the sentence's length and number of " ".
    A sentence's words are a run of the doc's wherever lower-casing goes character by
    character: in every text without a capital sigma.
    """
    plain = np.fromiter(map(str.isascii, docs), bool, len(docs))
    found = _ascii_sentences([d for d, p in zip(docs, plain) if p])
    parts = [(np.flatnonzero(plain)[found[0]], *found[1:])]
    others = [(d, *row) for d in np.flatnonzero(~plain).tolist() for row in _plain_sentences(docs[d])]
    if others:
        parts.append(tuple(np.array(values) for values in zip(*others)))
    return tuple(np.concatenate(values).astype(np.int64) for values in zip(*parts))


def _plain_sentences(text: str) -> Iterator[tuple[int, int, int, int, int]]:
    """(first word, words, characters, spaces, letters) of each sentence of ``text``."""
    first = 0
    for sentence in SENTENCE_END.split(text):
        words = lower_words(sentence)
        if sentence:
            yield first, len(words), len(sentence), sentence.count(" "), sum(map(len, words))
        first += len(words)


def _shifted(flags: npt.NDArray[np.bool_], by: int = 1) -> npt.NDArray[np.bool_]:
    """``flags`` moved ``by`` places to the right (left if negative), False coming in."""
    out = np.zeros_like(flags)
    if by > 0:
        out[by:] = flags[:-by]
    else:
        out[:by] = flags[-by:]
    return out


def _ascii_sentences(docs: Sequence[str]) -> tuple[npt.NDArray[np.int64], ...]:
    """:func:`sentences` of ASCII ``docs``, from their bytes.

    A run of whitespace after a sentence end is one separator, else each run of line breaks
    in it is; the docs are joined by a byte that is neither, nor part of a word.
    """
    sizes = np.fromiter(map(len, docs), np.int64, len(docs))
    starts = np.cumsum(sizes + 1) - sizes - 1
    data = np.frombuffer("\x00".join(docs).encode("ascii"), np.uint8)
    space, word = _ASCII_SPACE[data], _ASCII_WORD[data]
    run_starts = space & ~_shifted(space)
    after_end = run_starts & _shifted(_ASCII_END[data])
    run = np.cumsum(run_starts) - 1
    separator = (space & np.r_[after_end[run_starts], False][np.where(space, run, -1)]) | (data == 10)
    piece = ~separator
    piece[starts[1:] - 1] = False  # the joints
    begins = np.flatnonzero(piece & ~_shifted(piece))
    ends = np.flatnonzero(piece & ~_shifted(piece, -1)) + 1

    def counts(flags: npt.NDArray[np.bool_]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        total = np.r_[0, np.cumsum(flags)]
        return total[ends] - total[begins], total

    words, before = counts(word & ~_shifted(word))
    doc = np.searchsorted(starts, begins, side="right") - 1
    return (doc, before[begins] - before[starts[doc]], words, ends - begins, counts(data == 32)[0],
            counts(word)[0])
