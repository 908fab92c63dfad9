"""Seeded synthetic comment corpora for benchmarks, written as JSON Lines (not a test).

    python scripts/synthetic.py 100000 /tmp/corpus-1e5.jsonl [--seed 0]

Each line has ``comments.csv``'s field names (comment_id, parent_id, thread_id, author,
created_at as ISO 8601 UTC, text), so ``discourse.read_corpus(path)`` reads it as ``jsonl``.

The model (every random choice comes from one ``numpy`` generator seeded with ``--seed``, so
the same size and seed give the same bytes):

- **Threads.**  Thread sizes are log-normal (median 60 comments, sigma 1.1, clipped to
  5..5000), drawn until they add up to the requested number of comments; the last thread
  takes the remainder.  Each thread has a subject: one of ``N_SUBJECTS`` (10) topic
  vocabularies.  Threads start at random times over 2024 and their comments follow at
  exponential intervals (mean 4 minutes).
- **Reply trees (preferential attachment).**  Comments arrive in order.  A comment is
  top-level with probability 0.25 (always for the first one); otherwise it replies to an
  earlier comment of the thread chosen with probability proportional to 1 + the number of
  replies that comment already has (Price's model): lively comments attract more replies,
  so subthread sizes and reply counts are heavy-tailed and trees get deep.
- **Commenters (heavy-tailed).**  A population of ``0.1 n`` commenters (at least 50) with
  Zipf weights ``1 / rank^0.85``, split round-robin into ``N_SUBJECTS`` interest groups.  A
  comment's author is drawn from the group of its subthread's subject with probability 0.7,
  else from everyone (both by Zipf weight); a reply drawn as its parent's author is redrawn
  once (self-replies stay rare but possible).  At 1e6 comments this gives about 95k distinct
  commenters (the most active writes about 1.3% of all comments, 12% write one comment) and a reply graph of about half a million edges, heavy-tailed in degree and with
  community structure from the interest groups.
- **Text (topic signal).**  Each subject has its own vocabulary of 30-60 pseudo-words
  (syllable strings, disjoint between subjects and from English stop words).  A subthread
  keeps its thread's subject with probability 0.8, else takes another (drift).  A comment has
  10-60 words: about 45% from its subject's vocabulary (Zipf within it), 5% from a random other
  subject, the rest shared English filler (Zipf); about one word in ten ends a sentence.  A reply opens with ``@Parent,`` 5% of the time
  (a mention), and quotes an 8-12 word run of its parent on a ``>`` line 3% of the time.
- **Names.**  Commenter names are one or two capitalised pseudo-words from a syllable set
  disjoint from the vocabularies, numbered when needed to be unique.
"""

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np

try:
    import orjson

    def _dumps(obj: dict) -> bytes:
        return orjson.dumps(obj)
except ImportError:  # pragma: no cover
    import json

    def _dumps(obj: dict) -> bytes:
        return json.dumps(obj, ensure_ascii=False).encode()

N_SUBJECTS = 10
P_TOP_LEVEL = 0.25
P_IN_GROUP = 0.7
P_SUBJECT_DRIFT = 0.2
P_MENTION, P_QUOTE = 0.05, 0.03
ZIPF_EXPONENT = 0.85
POPULATION_SHARE = 0.1

FILLER = ("i think that the problem is really just what people say about this and it was not so clear "
          "to me but yes we know they will do it again if you ask well maybe there are some good points "
          "here though honestly nobody can be sure when it comes to things like these so let us see what "
          "happens next time anyway thanks for sharing").split()
_VOCAB_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
_NAME_SYLLABLES = [c + v for c in ("ch", "sh", "th", "qu", "x", "w", "y", "j", "h") for v in ("a", "o", "e", "i", "u", "ay", "ee")]


def _vocabularies(rng: np.random.Generator) -> list[list[str]]:
    words = set()
    while len(words) < N_SUBJECTS * 60:
        words.add("".join(rng.choice(_VOCAB_SYLLABLES, size=int(rng.integers(2, 4)))))
    words = sorted(words)
    rng.shuffle(words)
    sizes = rng.integers(30, 61, N_SUBJECTS)
    starts = np.concatenate([[0], np.cumsum(sizes)])
    return [words[starts[i]:starts[i + 1]] for i in range(N_SUBJECTS)]


def _names(rng: np.random.Generator, count: int) -> list[str]:
    names, seen = [], set()
    while len(names) < count:
        words = ["".join(rng.choice(_NAME_SYLLABLES, size=int(rng.integers(2, 4)))).capitalize()
                 for _ in range(int(rng.integers(1, 3)))]
        name = " ".join(words)
        if name in seen:
            name = f"{name}{len(names)}"
        seen.add(name)
        names.append(name)
    return names


def _thread_sizes(rng: np.random.Generator, n: int) -> list[int]:
    sizes = []
    total = 0
    while total < n:
        size = int(np.clip(round(rng.lognormal(np.log(60), 1.1)), 5, 5000))
        size = min(size, n - total)
        sizes.append(size)
        total += size
    return sizes


def _zipf_cdf(k: int, s: float) -> np.ndarray:
    weights = 1.0 / np.arange(1, k + 1) ** s
    return np.cumsum(weights / weights.sum())


def _draw(rng: np.random.Generator, cdf: np.ndarray, size: int) -> np.ndarray:
    return np.minimum(np.searchsorted(cdf, rng.random(size)), len(cdf) - 1)


def generate(n: int, seed: int = 0) -> Iterator[dict]:
    """Yield comment dicts (see the module docstring); exactly ``n`` of them."""
    rng = np.random.default_rng(seed)
    vocab = _vocabularies(rng)
    width = max(len(v) for v in vocab)
    table = np.array([[v[r % len(v)] for r in range(width)] for v in vocab], dtype=object)  # subject x rank
    vocab_len = np.array([len(v) for v in vocab])
    filler = np.array(FILLER, dtype=object)
    population = max(50, int(POPULATION_SHARE * n))
    names = np.array(_names(rng, population), dtype=object)
    group_size = population // N_SUBJECTS
    everyone_cdf, group_cdf = _zipf_cdf(population, ZIPF_EXPONENT), _zipf_cdf(group_size, ZIPF_EXPONENT)
    word_cdf, filler_cdf = _zipf_cdf(width, 1.0), _zipf_cdf(len(FILLER), 0.8)
    start_2024 = np.datetime64("2024-01-01T00:00:00", "s").astype(np.int64)
    year = 366 * 86400

    def authors_for(subjects: np.ndarray) -> np.ndarray:
        m = len(subjects)
        grouped = subjects + N_SUBJECTS * _draw(rng, group_cdf, m)  # group g = rank % N_SUBJECTS
        return np.where(rng.random(m) < P_IN_GROUP, grouped, _draw(rng, everyone_cdf, m))

    cid = 0
    for t, size in enumerate(_thread_sizes(rng, n)):
        thread_id = f"t{t}"
        thread_subject = int(rng.integers(N_SUBJECTS))
        # -- tree: Price's preferential attachment within the thread
        top_draw, pick_draw = rng.random(size), rng.random(size)
        drift = np.where(rng.random(size) < P_SUBJECT_DRIFT, rng.integers(0, N_SUBJECTS, size), thread_subject)
        parent = np.full(size, -1, dtype=np.int64)
        subject = np.empty(size, dtype=np.int64)
        urn = []  # positions, each once plus once per reply received
        for k in range(size):
            if k == 0 or top_draw[k] < P_TOP_LEVEL:
                subject[k] = drift[k]
            else:
                p = urn[int(pick_draw[k] * len(urn))]
                parent[k], subject[k] = p, subject[p]
                urn.append(p)
            urn.append(k)
        # -- authors: Zipf, mostly from the subject's interest group; self-replies redrawn once
        author = authors_for(subject)
        replies = np.nonzero(parent >= 0)[0]
        same = replies[author[replies] == author[parent[replies]]]
        author[same] = authors_for(subject[same])
        # -- text: subject words, other-subject words and filler
        lengths = rng.integers(10, 61, size)
        total = int(lengths.sum())
        word_subject = np.repeat(subject, lengths)
        kind = rng.random(total)
        other = rng.integers(0, N_SUBJECTS, total)
        rank = _draw(rng, word_cdf, total)
        own_word = table[word_subject, rank % vocab_len[word_subject]]
        other_word = table[other, rank % vocab_len[other]]
        words = np.where(kind < 0.45, own_word, np.where(kind < 0.50, other_word, filler[_draw(rng, filler_cdf, total)]))
        stops = rng.random(total) < 0.1
        words = np.where(stops, words + ".", words)
        bounds = np.cumsum(lengths)[:-1]
        texts = [" ".join(chunk) + "." for chunk in np.split(words, bounds)]
        extra = rng.random(size)
        for k in replies:
            p = parent[k]
            if extra[k] < P_MENTION:
                texts[k] = f"@{names[author[p]]}, {texts[k]}"
            elif extra[k] < P_MENTION + P_QUOTE:
                parent_words = texts[p].split()
                if len(parent_words) >= 12:
                    a = int(extra[k] * 1e6) % (len(parent_words) - 11)
                    texts[k] = "> " + " ".join(parent_words[a:a + 8 + int(extra[k] * 1e4) % 5]) + "\n" + texts[k]
        # -- times: thread start over 2024, exponential gaps (mean 4 minutes)
        clock = start_2024 + int(rng.random() * year) + np.cumsum(rng.exponential(240.0, size)).astype(np.int64)
        stamps = np.datetime_as_string(clock.astype("datetime64[s]"), unit="s")
        ids = [f"c{cid + k}" for k in range(size)]
        for k in range(size):
            p = parent[k]
            yield {"comment_id": ids[k], "parent_id": ids[p] if p >= 0 else None, "thread_id": thread_id,
                   "author": names[author[k]], "created_at": stamps[k] + "Z", "text": texts[k]}
        cid += size


def write_corpus(n: int, path: str | Path, seed: int = 0) -> Path:
    """Write ``generate(n, seed)`` to ``path`` as JSON Lines; return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".part")
    with open(tmp, "wb") as out:
        buffer = []
        for record in generate(n, seed):
            buffer.append(_dumps(record))
            if len(buffer) >= 10000:
                out.write(b"\n".join(buffer) + b"\n")
                buffer = []
        if buffer:
            out.write(b"\n".join(buffer) + b"\n")
    tmp.replace(path)
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=lambda s: int(float(s)))
    parser.add_argument("path")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    write_corpus(args.n, args.path, args.seed)
    print(args.path, file=sys.stderr)


if __name__ == "__main__":
    main()
