"""--engine dask against the default engine, on a two-worker local cluster (threads: fast) and small
invented inputs: the same edge table, the same commenter table, the same comments."""

import json
import logging
import random

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("distributed")
pytest.importorskip("pyarrow")

import discourse  # noqa: E402
from discourse.cli import main  # noqa: E402
from discourse.engines import analyze_distributed  # noqa: E402
from discourse.engines.partitions import route_lines  # noqa: E402
from discourse.engines.reduce import thread_renames  # noqa: E402
from discourse.exceptions import DiscourseError  # noqa: E402

NAMES = ["Ann", "Bo", "Cy", "Dee", "Eve Long", "Fay", "Gus", "Hal", "Ivy", "Jo"]
WORDS = "coffee beans roast grind water kettle pour filter taste bitter sweet acid milk cup brew".split()


def _thread_lines(n_threads: int, n_comments: int, seed: int, prefix: str = "") -> list[dict]:
    """Comments of ``n_threads`` threads, interleaved in the file (a thread's lines are not together),
    with replies, mentions ("@Bo"), quotes of earlier sentences, self-replies, absent parents
    (placeholders) and post authors."""
    rng = random.Random(seed)
    made = {t: [] for t in range(n_threads)}
    rows = []
    for i in range(n_comments):
        t = rng.randrange(n_threads)
        author = rng.choice(NAMES[: 4 + t % 6])
        earlier = made[t]
        parent = rng.choice(earlier)["comment_id"] if earlier and rng.random() < 0.7 else None
        if parent is None and rng.random() < 0.08:
            parent = f"{prefix}gone{t}-{i % 3}"  # a parent nobody has: a placeholder
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 12)))
        text = f"{words}."
        if earlier and rng.random() < 0.3:
            text = f"@{rng.choice(earlier)['author']} {text}"
        if earlier and rng.random() < 0.15:
            text = f"{text} {rng.choice(earlier)['text']}"  # repeats an earlier comment: a quote
        row = {"comment_id": f"{prefix}c{i}", "parent_id": parent, "thread_id": f"t{t}", "author": author,
               "created_at": f"2024-01-{1 + t % 28:02d}T{(i // 60) % 24:02d}:{i % 60:02d}:00Z", "text": text,
               "is_post_author": rng.random() < 0.05}
        earlier.append(row)
        rows.append(row)
    return rows


def _write(path, rows, bad_lines=()):
    lines = [json.dumps(r) for r in rows]
    for at, text in bad_lines:
        lines.insert(at, text)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _dask(paths, folder, options=None, **kwargs):
    return analyze_distributed(paths, folder, options=options or discourse.Options(), name="test", workers=2,
                               processes=False, partitions_per_worker=2, log=lambda message: None, **kwargs)


def _default(paths, options=None):
    return discourse.analyze_corpus(discourse.read_corpus(paths), options=options, alongside_from=None)


def _same_tables(run, analysis, folder):
    pd.testing.assert_frame_equal(run.edges.reset_index(drop=True), analysis.edges.reset_index(drop=True))
    expected = analysis.commenters[list(run.commenters.columns)].reset_index(drop=True)
    pd.testing.assert_frame_equal(run.commenters.reset_index(drop=True), expected, check_dtype=False)
    parts = sorted(folder.glob("comments.part-*.parquet"))
    comments = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
    default = analysis.corpus.comments
    key = "comment_id"
    got = comments.sort_values(key, ignore_index=True)
    want = default.sort_values(key, ignore_index=True)[list(comments.columns)]
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert list(run.graph.edges) == list(analysis.graph.edges)
    assert list(run.graph) == list(analysis.graph)
    default = folder.parent / "default"
    discourse.write_outputs(analysis, default, only=["central_commenters.csv", "graph.csv"])
    for name in ("central_commenters.csv", "graph.csv"):
        assert (folder / name).read_bytes() == (default / name).read_bytes(), name


@pytest.mark.parametrize("kinds", [("reply",), ("reply", "mention", "quote")])
def test_buckets_of_one_file_give_the_default_tables(tmp_path, kinds):
    path = _write(tmp_path / "talk.jsonl", _thread_lines(12, 400, seed=3))
    options = discourse.Options(edge_kinds=kinds, post_author_edges=True)
    run = _dask([path], tmp_path / "out", options)
    assert run.partitions > 1  # the file was split into buckets
    _same_tables(run, _default([path], options), tmp_path / "out")


def test_skipped_lines_are_named_by_their_line_in_the_file(tmp_path):
    path = _write(tmp_path / "talk.jsonl", _thread_lines(6, 120, seed=5),
                  bad_lines=[(3, "not json at all"), (40, '{"comment_id": "x9"}'), (77, "")])
    run = _dask([path], tmp_path / "out")
    analysis = _default([path])
    _same_tables(run, analysis, tmp_path / "out")
    skipped = pd.read_parquet(tmp_path / "out" / "skipped.part-00000.parquet")
    want = analysis.corpus.skipped
    assert sorted(skipped["record"]) == sorted(want["record"]) == ["line 4", "line 41"]
    assert set(skipped["source_path"]) == {str(path)}
    counts = discourse.model.corpus.tally(analysis.corpus)
    assert run.counts == {"read": counts.read, "written": counts.written, "skipped": counts.skipped, "filtered": 0}


def test_files_sharing_thread_and_comment_ids_are_kept_apart_as_read_corpus_does(tmp_path):
    rows = _thread_lines(5, 150, seed=8)
    first = _write(tmp_path / "a.jsonl", rows)
    second = _write(tmp_path / "b.jsonl", _thread_lines(4, 90, seed=9))  # ids c0..: shared with a.jsonl
    third = tmp_path / "c.txt"
    third.write_text(discourse.SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    paths = [first, second, third]
    run = _dask(paths, tmp_path / "out")
    analysis = _default(paths)
    _same_tables(run, analysis, tmp_path / "out")
    threads = pd.read_parquet(tmp_path / "out" / "threads.part-00000.parquet")
    assert sorted(threads["thread_id"]) == sorted(analysis.corpus.threads["thread_id"])


def test_an_id_two_threads_of_one_file_share_is_an_error_as_in_the_default(tmp_path):
    rows = _thread_lines(8, 60, seed=1)
    twin = next(r for r in rows if r["thread_id"] != rows[0]["thread_id"])
    twin["comment_id"] = rows[0]["comment_id"]
    path = _write(tmp_path / "twins.jsonl", rows)
    with pytest.raises(DiscourseError, match="more than once"):
        discourse.read_corpus([path])
    with pytest.raises(DiscourseError, match="twins.jsonl.*more than once"):
        _dask([path], tmp_path / "out")
    assert not (tmp_path / "out" / "run.json").exists()


def test_the_output_folder_keeps_the_default_rules(tmp_path):
    path = _write(tmp_path / "talk.jsonl", _thread_lines(6, 100, seed=2))
    out = tmp_path / "out"
    run = _dask([path], out)
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert record["tool"] == "discourse" and record["engine"]["name"] == "dask"
    assert sorted(record["files"]) == sorted(p.name for p in out.iterdir()) == sorted(run.files)
    (out / "notes.txt").write_text("mine", encoding="utf-8")  # discourse's folder: a user's file is kept
    _dask([path], out, table_format="csv")
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not list(out.glob("*.parquet"))  # the previous run's files, not written this time, are gone
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no staging or bucket folder left
    csv = pd.read_csv(out / "replies.part-00000.csv")
    assert len(csv) == len(run.edges)
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine", encoding="utf-8")  # not discourse's: only with force
    with pytest.raises(DiscourseError, match="did not write"):
        _dask([path], other)
    assert sorted(p.name for p in other.iterdir()) == ["notes.txt"]


def test_route_lines_keeps_each_thread_in_one_bucket_with_its_line_numbers(tmp_path):
    rows = _thread_lines(9, 200, seed=4)
    path = _write(tmp_path / "talk.jsonl", rows, bad_lines=[(10, ""), (20, "garbage")])
    parts = route_lines(path, 4, tmp_path, thread_field="thread_id")
    seen, numbers = {}, []
    for part in parts:
        lines = open(part.lines, "rb").read().splitlines()
        found = np.load(part.numbers).tolist()
        assert len(lines) == len(found)
        numbers += found
        for line in lines:
            if line.startswith(b"{"):
                assert seen.setdefault(json.loads(line)["thread_id"], part.bucket) == part.bucket
    file_lines = path.read_bytes().splitlines()
    assert sorted(numbers) == [n for n, line in enumerate(file_lines, start=1) if line.strip()]


def test_thread_renames_number_repeats_as_read_corpus_does():
    orders = {0: [pd.DataFrame({"thread_id": ["t1", "t0"], "position": [5, 1]})],
              1: [pd.DataFrame({"thread_id": ["t0"], "position": [9]}), pd.DataFrame({"thread_id": ["t2"],
                                                                                     "position": [3]})],
              2: [pd.DataFrame({"thread_id": ["t0", "t0-2"], "position": [0, 4]})]}
    assert thread_renames(orders) == {0: {}, 1: {"t0": "t0-2"}, 2: {"t0": "t0-3", "t0-2": "t0-2-2"}}


def test_cli_flags_of_the_engine_are_checked_before_any_work(tmp_path, capsys):
    assert main(["analyze", "--workers", "2", "-o", str(tmp_path / "a")]) == 1
    assert "--workers applies to --engine dask" in capsys.readouterr().err
    assert main(["analyze", "--engine", "dask", "--svg", "-o", str(tmp_path / "b")]) == 1
    assert "does not take --svg" in capsys.readouterr().err
    assert main(["analyze", "--engine", "dask", "--workers", "0", "-o", str(tmp_path / "c")]) == 1
    assert "--workers must be an integer >= 1" in capsys.readouterr().err
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_cli_runs_the_engine_and_says_a_bad_input_in_one_line(tmp_path, capsys, caplog):
    caplog.set_level(logging.INFO, logger="discourse")
    path = _write(tmp_path / "talk.jsonl", _thread_lines(4, 60, seed=6))
    out = tmp_path / "out"
    assert main(["analyze", str(path), "--engine", "dask", "--workers", "1", "--tables", "csv", "-o", str(out)]) == 0
    assert any(m.startswith("60 comments by") and m.endswith(f"-> {out}") for m in caplog.messages)
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert record["command"][-4:] == ["--tables", "csv", "-o", str(out)]
    assert record["counts"]["written"] == 60 and (out / "graph.gexf").is_file()
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"comment_id": "a", "text": "hi", "parent_id": "b", "thread_id": "t"}\n'
                   '{"comment_id": "b", "text": "me", "parent_id": "a", "thread_id": "t"}\n', encoding="utf-8")
    assert main(["analyze", str(bad), "--engine", "dask", "--workers", "1", "-o", str(tmp_path / "bad")]) == 1
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1].startswith(f"error: {bad}: reply cycle: ")
    assert "Traceback" not in err
