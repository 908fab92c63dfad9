"""Benchmark of discourse.topics.find.find_topics on synthetic comment sections (not a test).

Generates N comments from 30 distinct topic vocabularies (pseudo-words, so no topic shares
a content word with another, mixed with English filler), in subthreads of 1-9 comments (one
reply in ten drifts to another topic) and threads of 50 subthreads, then times find_topics
(wall and CPU seconds), reports memory (the process's peak resident size, and with
--tracemalloc the peak traced by Python, which slows the run) and how well the known topics
were recovered (NMI over subthreads).

    python scripts/bench_topics.py                 # 1e4 and 1e5 comments
    python scripts/bench_topics.py 10000 1000000   # chosen sizes
"""

import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sklearn.metrics import normalized_mutual_info_score  # noqa: E402

from discourse.model.tree import complete_tree  # noqa: E402
from discourse.topics.find import find_topics  # noqa: E402

N_SUBJECTS = 30
FILLER = ("i think that the problem is really just what people say about this and it was "
          "not so clear to me but yes we know they will do it again if you ask").split()


def _vocabularies(rng: np.random.Generator) -> list[list[str]]:
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
    words = set()
    while len(words) < N_SUBJECTS * 60:
        words.add("".join(rng.choice(syllables, size=rng.integers(2, 4))))
    words = sorted(words)
    rng.shuffle(words)
    return [words[i * 60:(i + 1) * 60] for i in range(N_SUBJECTS)]


def synthetic(n: int, seed: int = 0) -> tuple[pd.DataFrame, dict[str, int]]:
    """Comments table of ``n`` comments; returns (comments, subject of each subthread)."""
    rng = np.random.default_rng(seed)
    vocab = _vocabularies(rng)
    rows, subject = [], {}
    subthread, thread = 0, 0
    while len(rows) < n:
        topic = int(rng.integers(N_SUBJECTS))
        size = min(int(rng.integers(1, 10)), n - len(rows))
        root = f"c{len(rows)}"
        subject[root] = topic
        ids = []
        for k in range(size):
            # One reply in ten drifts to another subject.
            own = topic if k == 0 or rng.random() > 0.1 else int(rng.integers(N_SUBJECTS))
            length = int(rng.integers(8, 40))
            content = rng.choice(vocab[own][:20] if rng.random() < 0.7 else vocab[own], size=length)
            filler = rng.choice(FILLER, size=length // 2)
            words = np.concatenate([content, filler])
            rng.shuffle(words)
            cid = f"c{len(rows)}"
            parent = None if k == 0 else ids[int(rng.integers(len(ids)))]
            rows.append((cid, parent, f"t{thread}", f"u{int(rng.integers(5000))}", " ".join(words) + "."))
            ids.append(cid)
        subthread += 1
        if subthread % 50 == 0:
            thread += 1
    frame = pd.DataFrame(rows, columns=["comment_id", "parent_id", "thread_id", "author", "text"])
    return complete_tree(frame), subject


def _rss_mib() -> float:
    """Current resident size in MiB (Linux), else the peak so far."""
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize() / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(n: int, traced: bool = False) -> None:
    comments, subject = synthetic(n)
    before = _rss_mib()
    if traced:
        tracemalloc.start()
    wall, cpu = time.perf_counter(), time.process_time()
    result = find_topics(comments)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if traced else float("nan")
    if traced:
        tracemalloc.stop()
    level1 = result.subthreads[result.subthreads["level"] == 1]
    nmi = normalized_mutual_info_score(level1["subthread_id"].map(subject), level1["topic_id"])
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{n:>9,} comments {len(level1):>7,} subthreads {len(result.subthreads) - len(level1):>7,} branches  "
          f"{wall:7.1f} s wall {cpu:7.1f} s CPU  RSS before {before:6.0f} MiB, peak {max_rss:6.0f} MiB  "
          f"traced peak {peak:6.0f} MiB  topics {len(result.topics):>3}  NMI {nmi:.3f}  "
          f"e.g. {'; '.join(result.topics['label'].head(3))}", flush=True)


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if a != "--tracemalloc"]
    sizes = [int(float(a)) for a in arguments] or [10_000, 100_000]
    for size in sizes:
        run(size, traced="--tracemalloc" in sys.argv)
