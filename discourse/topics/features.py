"""Every comment read once, into integer arrays that serve both the topic features and the labels.

:func:`read_texts` tokenises each text a single time (:mod:`discourse.topics.phrases` rules: the same
tokens, runs, keys and spellings as :func:`discourse.topics.phrases.chunks`) and keeps only arrays over
the corpus's content words: their key and surface ids, whether a word is a tentative capital,
whether another word follows it in its run, and the comment it is in.  From these come the
hashed unigram and bigram counts that topics are clustered on, and the candidate phrases of
every class.

Classes of comments are labelled from these arrays by :mod:`discourse.topics.labels`.

A phrase of ``n`` words is coded as the base-``2**21`` number whose digits are its key ids plus
one, so a phrase's words and sub-phrases are arithmetic (and three digits fit an int64: a
corpus may have up to two million distinct keys).  Arrays are built block by block and kept
as 32-bit ids, so memory stays near a few bytes per word of the corpus.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.utils import murmurhash3_32

from . import phrases as lab
from .tokens import block_matches

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy.typing as npt

_CHUNK = 20_000  # texts tokenised per block: bounds the Python objects alive at once
_WORD, _SENTENCE_END, _CLAUSE_END = 0, 1, 2
BASE = 2 ** 21  # phrase code digits: key id + 1
_SLICE = 1_000_000  # content words whose phrases are coded at once


@dataclass(frozen=True)
class Text:
    """What the corpus's texts say (see the module doc).  Per text ``t``: its content words are
    ``word_bounds[t]:word_bounds[t + 1]`` of the per-word arrays, its candidate phrases (in
    reading order) ``phrase_bounds[t]:phrase_bounds[t + 1]`` of ``phrase``."""

    counts: sparse.csr_matrix  # text x hashed column: unigram and bigram key counts
    keys: list                 # key id -> key
    key_ids: dict              # key -> key id
    surfaces: list             # surface id -> word as written
    case: np.ndarray           # key id -> capitalised minus lower-case occurrences inside sentences
    word_bounds: np.ndarray    # text -> first content word (n_texts + 1)
    spelling: np.ndarray       # per content word: spelling id
    spellings: np.ndarray      # spelling id -> surface id * 4 + tentative * 2 + inner
    key_of_spelling: np.ndarray  # spelling id -> key id
    forms: list                # spelling id -> word forms of its surface: (firm, tentative)
    phrase_bounds: np.ndarray  # text -> first phrase occurrence (n_texts + 1)
    phrase: np.ndarray         # per phrase occurrence: phrase id
    phrases: np.ndarray        # phrase id -> phrase code (sorted)
    frequency: np.ndarray      # phrase id -> count over all texts (see :func:`_frequencies`)

    @property
    def words(self) -> np.ndarray:
        """Content words per text."""
        return np.diff(self.word_bounds).astype(float)


def hash_columns(keys: Sequence[str], n_features: int) -> np.ndarray:
    """Columns scikit-learn's ``HashingVectorizer`` puts ``keys`` in (signed murmurhash, folded)."""
    hashes = np.fromiter((murmurhash3_32(key, 0) for key in keys), dtype=np.int64, count=len(keys))
    return np.where(hashes == -2 ** 31, (2 ** 31 - 1 - (n_features - 1)) % n_features, np.abs(hashes) % n_features)


class _Lookup(dict):
    """A dict that, on a key's first lookup, stores ``first_seen(key)`` for it: one pass over a
    block's matches both finds the new ones, in order of first sight, and maps every one."""

    def __missing__(self, key: str) -> int:
        self[key] = value = self.first_seen(key)
        return value


class _Vocabulary:
    """Ids of distinct tokens (as ``labels._TOKEN.findall`` returns them) and of the strings
    :func:`discourse.topics.tokens.block_matches` finds, of content-word keys, and the hashed columns of keys and of
    bigrams seen so far."""

    def __init__(self, n_features: int) -> None:
        self.tokens, self.match_ids, self.key_ids, self.keys, self.surfaces = {}, _Lookup(), {}, [], []
        self.kind, self.key_of, self.upper, self.inner_upper, self.first_upper = [], [], [], [], []
        self.n_features, self.key_columns = n_features, np.array([], dtype=np.int64)
        self.pair_codes, self.pair_columns = np.array([], dtype=np.int64), np.array([], dtype=np.int64)

    def ids(self, matches: Sequence[str], separator: str, stand_ins: dict[str, str]) -> np.ndarray:
        """Token id of each match of a block (see :func:`discourse.topics.tokens.block_matches`), -1 for the separator.
        A match is the token ``labels._TOKEN`` reads in it alone, except the block's separator
        and stand-ins, forgotten after the block (another may hold them as plain characters)."""
        def meaning(match: str) -> int:
            if match == separator:
                return -1
            if match in stand_ins:
                return self._token_id(("", "", stand_ins[match]))
            return self._token_id(tuple(group or "" for group in lab._TOKEN.match(match).groups()))

        self.match_ids.first_seen = meaning
        ids = np.fromiter(map(self.match_ids.__getitem__, matches), dtype=np.int64, count=len(matches))
        for sentinel in (separator, *stand_ins):
            self.match_ids.pop(sentinel, None)
        if len(self.keys) >= BASE - 1:
            raise ValueError(f"more than {BASE - 2} distinct words: phrase codes cannot hold them")
        if len(self.keys) > len(self.key_columns):
            self.key_columns = np.r_[self.key_columns, hash_columns(self.keys[len(self.key_columns):], self.n_features)]
        return ids

    def _token_id(self, token: tuple[str, str, str]) -> int:
        """Id of a token as ``labels._TOKEN.findall`` gives it: (word, sentence end, clause end);
        a new one's attributes are recorded."""
        if token in self.tokens:
            return self.tokens[token]
        self.tokens[token] = len(self.tokens)
        word, sentence_end, _ = token
        self.surfaces.append(word)
        self.kind.append(_WORD if word else _SENTENCE_END if sentence_end else _CLAUSE_END)
        key = lab._classify(word) if word else None
        self.key_of.append(-1 if key is None else self.key_ids.setdefault(key, len(self.key_ids)))
        if key is not None and self.key_of[-1] == len(self.keys):
            self.keys.append(key)
        self.upper.append(word.isupper())
        self.inner_upper.append(any(c.isupper() for c in word[1:]))
        self.first_upper.append(word[:1].isupper())
        return self.tokens[token]

    def pair_column(self, pairs: np.ndarray) -> np.ndarray:
        """Hashed column of each bigram code (two digits)."""
        new = _unseen(self.pair_codes, np.unique(pairs))
        if len(new):
            columns = hash_columns([self.keys[c // BASE - 1] + " " + self.keys[c % BASE - 1] for c in new.tolist()],
                                   self.n_features)
            at = np.searchsorted(self.pair_codes, new)
            self.pair_codes = np.insert(self.pair_codes, at, new)
            self.pair_columns = np.insert(self.pair_columns, at, columns)
        return self.pair_columns[np.searchsorted(self.pair_codes, pairs)]


def _unseen(known: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """The ``codes`` (sorted, distinct) not in ``known`` (sorted)."""
    at = np.minimum(np.searchsorted(known, codes), max(len(known) - 1, 0))
    return codes[known[at] != codes] if len(known) else codes


def _content_words(token: np.ndarray, lengths: np.ndarray,
                   vocabulary: _Vocabulary) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Content words of one block of texts: key, spelling code, inner, text (block-relative).

    Mirrors :func:`discourse.topics.phrases.chunks`: a sentence starts a text and follows a sentence end
    (punctuation between keeps it open, a stop word closes it); its first word is a tentative
    capital unless it looks like part of a name.
    """
    text = np.repeat(np.arange(len(lengths)), lengths)
    kind = np.asarray(vocabulary.kind, dtype=np.int8)[token]
    key = np.asarray(vocabulary.key_of, dtype=np.int64)[token]
    content = key >= 0
    n = len(token)
    same_next = np.zeros(n, dtype=bool)
    same_next[:-1] = text[1:] == text[:-1]
    inner = content & same_next & np.append(content[1:], False)
    # The last word or sentence end before each token, in the same text, decides whether a
    # sentence is open there.
    marks = np.where(kind != _CLAUSE_END, np.arange(n), -1)
    last = np.empty(n, dtype=np.int64)
    last[:1] = -1
    last[1:] = np.maximum.accumulate(marks)[:-1]
    open_sentence = (last < 0) | (text[np.maximum(last, 0)] != text) | (kind[np.maximum(last, 0)] == _SENTENCE_END)
    first_upper = np.asarray(vocabulary.first_upper, dtype=bool)
    next_upper = np.zeros(n, dtype=bool)
    next_upper[:-1] = first_upper[token[1:]]
    name_like = (np.asarray(vocabulary.upper, dtype=bool)[token] | np.asarray(vocabulary.inner_upper, dtype=bool)[token]
                 | (inner & next_upper))
    tentative = content & open_sentence & ~name_like & first_upper[token]
    spelling = token * 4 + tentative * 2 + inner
    return key[content], spelling[content], inner[content], text[content]


def _hashed_block(vocabulary: _Vocabulary, key: np.ndarray, inner: np.ndarray, text: np.ndarray,
                  n_texts: int) -> sparse.csr_matrix:
    """Text x column counts of one block: unigram keys and bigrams of adjacent words, as
    ``HashingVectorizer`` (``alternate_sign=False``) counts them."""
    at = np.nonzero(inner)[0]
    rows = np.concatenate([text, text[at]])
    pairs = (key[at] + 1) * BASE + key[at + 1] + 1
    columns = np.concatenate([vocabulary.key_columns[key], vocabulary.pair_column(pairs)])
    counts = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, columns)),
                               shape=(n_texts, vocabulary.n_features))
    counts.sum_duplicates()
    return counts


def read_texts(texts: Sequence[str] | np.ndarray, n_features: int) -> Text:
    """Read ``texts`` once into a :class:`Text`."""
    vocabulary, spelling_ids = _Vocabulary(n_features), _Interned()
    keys, spellings, inners, lengths, blocks = [], [], [], [], []
    for start in range(0, len(texts), _CHUNK):
        matches, separator, stand_ins = block_matches(texts[start:start + _CHUNK])
        token = vocabulary.ids(matches, separator, stand_ins)
        del matches
        found_per_text = np.diff(np.r_[-1, np.flatnonzero(token < 0), len(token)]) - 1
        key, spelling, inner, text = _content_words(token[token >= 0], found_per_text, vocabulary)
        blocks.append(_hashed_block(vocabulary, key, inner, text, len(found_per_text)))
        keys.append(key.astype(np.int32))
        spellings.append(spelling_ids.ids(spelling))
        inners.append(inner)
        lengths.append(np.bincount(text, minlength=len(found_per_text)))
    counts = _stack(blocks, n_features)
    key = np.concatenate(keys) if keys else np.array([], dtype=np.int32)
    inner = np.concatenate(inners) if inners else np.array([], dtype=bool)
    word_bounds = np.r_[0, np.cumsum(np.concatenate(lengths) if lengths else [])].astype(np.int64)
    distinct = spelling_ids.codes()
    spelling = np.concatenate(spellings) if spellings else np.array([], dtype=np.int32)
    del keys, inners, spellings
    key_of_spelling = np.asarray(vocabulary.key_of, dtype=np.int64)[distinct // 4]
    firm = (distinct & 2) == 0
    first_upper = np.asarray(vocabulary.first_upper, dtype=bool)[distinct // 4]
    uses = np.bincount(spelling, minlength=len(distinct))
    case = np.bincount(key_of_spelling[firm], weights=(np.where(first_upper, 1, -1) * uses)[firm],
                       minlength=len(vocabulary.keys)).astype(np.int64)
    forms = [_forms(vocabulary.surfaces[code // 4], case[k] > 0)
             for code, k in zip(distinct.tolist(), key_of_spelling.tolist())]
    phrases, phrase, phrase_bounds = _phrase_ids(vocabulary.keys, key, inner, word_bounds)
    del key, inner
    totals = np.asarray(counts.sum(axis=0)).ravel()
    frequency = _frequencies(phrases, totals, vocabulary)
    return Text(counts, vocabulary.keys, vocabulary.key_ids, vocabulary.surfaces, case, word_bounds,
                spelling, distinct, key_of_spelling, forms, phrase_bounds, phrase, phrases, frequency)


class _Interned:
    """Small ids (int32, in order of first sight) for small non-negative codes met block by
    block, looked up in a table indexed by code."""

    def __init__(self) -> None:
        self.id_of, self.count = np.full(0, -1, dtype=np.int32), 0

    def ids(self, codes: np.ndarray) -> np.ndarray:
        if len(codes) and codes.max() >= len(self.id_of):
            self.id_of = np.r_[self.id_of, np.full(2 * codes.max() + 1 - len(self.id_of), -1, dtype=np.int32)]
        new = np.unique(codes[self.id_of[codes] < 0])
        self.id_of[new] = np.arange(self.count, self.count + len(new), dtype=np.int32)
        self.count += len(new)
        return self.id_of[codes]

    def codes(self) -> npt.NDArray[np.int64]:
        """Code of each id."""
        known = np.flatnonzero(self.id_of >= 0)
        return known[np.argsort(self.id_of[known])].astype(np.int64)


def _stack(blocks: list[sparse.csr_matrix], n_features: int) -> sparse.csr_matrix:
    """Blocks of rows as one CSR matrix, each block freed once copied (memory for one copy)."""
    nnz = sum(block.nnz for block in blocks)
    data, indices = np.empty(nnz, dtype=np.float32), np.empty(nnz, dtype=np.int32)
    indptr, rows, at = [np.zeros(1, dtype=np.int64)], 0, 0
    while blocks:
        block = blocks.pop(0)
        block.sort_indices()
        data[at:at + block.nnz], indices[at:at + block.nnz] = block.data, block.indices
        indptr.append(block.indptr[1:].astype(np.int64) + at)
        at, rows = at + block.nnz, rows + block.shape[0]
    return sparse.csr_matrix((data, indices, np.concatenate(indptr)), shape=(rows, n_features))


def _forms(surface: str, capitalised: bool) -> tuple[tuple[str, str, bool], tuple[str, str, bool]]:
    """What :func:`discourse.topics.phrases.word_forms` makes of a key a class writes only as ``surface``:
    when some occurrence is inside a sentence, and when all start sentences."""
    bare = lab._bare(surface)
    unsure = bare if capitalised else bare.lower()
    return (bare, bare, bare != surface), (unsure, unsure, bare != surface)


def _phrase_codes(ends: np.ndarray, key: np.ndarray, inner: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Candidate phrases of 1-3 words in reading order (as :func:`discourse.topics.phrases.read`): each
    word, then the bigram and trigram it starts, each kept when its last word is not verb-like;
    and the number kept per word.  ``key``, ``inner`` may run two words past the slice coded."""
    n = len(key)
    digit = key.astype(np.int64) + 1
    nxt, after = np.append(digit[1:], 0), np.append(digit[2:], [0, 0])[:n]
    ending = ends[key]
    codes = np.stack([digit, digit * BASE + nxt, (digit * BASE + nxt) * BASE + after], axis=1)
    kept = np.stack([ending, inner & np.append(ending[1:], False),
                     inner & np.append(inner[1:], False) & np.append(ending[2:], [False, False])[:n]], axis=1)
    return codes, kept


def _phrase_ids(keys: Sequence[str], key: np.ndarray, inner: np.ndarray,
                word_bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct phrase codes (sorted), each occurrence's phrase id (int32, reading order), and
    where each text's phrases start (from where its words start)."""
    ends = ~np.array([lab._is_verb_like(k) for k in keys] or [False], dtype=bool)
    in_slice, slice_codes = [], []
    phrase_bounds, before = np.zeros(len(word_bounds), dtype=np.int64), 0
    for a in range(0, len(key), _SLICE):
        b = min(a + _SLICE, len(key))
        codes, kept = _phrase_codes(ends, key[a:b + 2], inner[a:b + 2])
        # Numbering by hashing: sorting each slice and searching for every occurrence cost more.
        number, distinct = pd.factorize(codes[:b - a][kept[:b - a]])
        in_slice.append(number.astype(np.int32))
        slice_codes.append(distinct)
        # A text starting at word w has its phrases start after those of words a..w-1.
        after = np.r_[before, before + np.cumsum(kept[:b - a].sum(axis=1))]  # before each word, and after the slice
        starting = np.flatnonzero((word_bounds > a) & (word_bounds <= b))
        phrase_bounds[starting] = after[word_bounds[starting] - a]
        before = after[-1]
    return (*_sorted_ids(in_slice, slice_codes), phrase_bounds)


def _sorted_ids(in_slice: list[np.ndarray], slice_codes: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The distinct codes of all slices (sorted), and each occurrence's index among them (int32)
    from its number among its slice's ``slice_codes``; the slices' numbers are freed as they
    are replaced, so memory holds about one copy of the occurrences."""
    number, overall = pd.factorize(np.concatenate(slice_codes or [np.array([], dtype=np.int64)]))
    order = np.argsort(overall)
    rank = np.empty(len(order), dtype=np.int32)
    rank[order] = np.arange(len(order), dtype=np.int32)
    phrase = np.empty(sum(map(len, in_slice)), dtype=np.int32)
    filled = passed = 0
    while in_slice:
        numbers, codes = in_slice.pop(0), slice_codes.pop(0)
        phrase[filled:filled + len(numbers)] = rank[number[passed:passed + len(codes)]][numbers]
        filled, passed = filled + len(numbers), passed + len(codes)
    return overall[order], phrase


def _frequencies(codes: np.ndarray, totals: np.ndarray, vocabulary: _Vocabulary) -> np.ndarray:
    """Each phrase's count over the corpus from the hashed counts; a trigram's is the smaller of
    its two bigrams' (:mod:`discourse.topics.find` does the same)."""
    def pair_total(pair: np.ndarray) -> np.ndarray:
        return totals[vocabulary.pair_columns[np.searchsorted(vocabulary.pair_codes, pair)]]

    count = n_words(codes)
    found = np.zeros(len(codes))
    one, two, three = count == 1, count == 2, count == 3
    found[one] = totals[vocabulary.key_columns[codes[one] - 1]]
    found[two] = pair_total(codes[two])
    found[three] = np.minimum(pair_total(codes[three] // BASE), pair_total(codes[three] % (BASE * BASE)))
    return found


def n_words(codes: np.ndarray) -> np.ndarray:
    """Number of words of each phrase code."""
    return 1 + (codes >= BASE).astype(int) + (codes >= BASE * BASE).astype(int)


def words(codes: np.ndarray) -> npt.NDArray[np.int64]:
    """Key ids of each phrase code's words in reading order, padded with -1: (n, 3)."""
    count = n_words(codes)
    out = np.full((len(codes), 3), -1, dtype=np.int64)
    rest = np.asarray(codes, dtype=np.int64).copy()
    for place in range(2, -1, -1):
        has = count > place
        out[has, place] = rest[has] % BASE - 1
        rest[has] //= BASE
    return out


def right_aligned_words(codes: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Key ids of each phrase code's words, its last word in column 2, padded with -1 before
    its first: (n, 3).  A missing digit is 0, so the padding needs no test."""
    codes = np.asarray(codes, dtype=np.int64)
    return np.stack([codes // (BASE * BASE) % BASE, codes // BASE % BASE, codes % BASE], axis=1) - 1
