"""The main job end to end on the shipped sample: files written, contracts kept, reproducible."""

import hashlib
import os

import networkx as nx
import pandas as pd
import pytest

from discourse import SAMPLE, analyze, analyze_corpus, pipeline, read_corpus, write_outputs
from discourse._runtime.worker import can_fork
from discourse.pipeline import ANALYSIS_STAGES

CONTRACT = {
    "comments.csv": ["comment_id", "parent_id", "thread_id", "subthread_id", "author", "is_post_author",
                     "is_placeholder", "depth", "created_at", "text", "topic_id", "topic_label"],
    "replies.csv": ["source", "target", "weight", "kind"],
    "commenters.csv": ["author", "comments", "replies_received", "replies_given", "pagerank", "betweenness",
                       "community"],
    "subthreads.csv": ["subthread_id", "root_comment_id", "root_author", "comments", "participants", "label",
                       "topic_id", "topic_label"],
    "topics.csv": ["topic_id", "label", "top_terms", "subthreads"],
}


@pytest.fixture(scope="module")
def sample_outputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("out") / "sample"
    analysis = analyze()
    write_outputs(analysis, folder)
    return analysis, folder


def test_every_output_file_is_written(sample_outputs):
    _, folder = sample_outputs
    names = {path.name for path in folder.iterdir()}
    assert set(CONTRACT) | {"graph.gexf", "network.png", "report.md"} <= names
    assert (folder / "network.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_csv_contract_columns_come_first(sample_outputs, name):
    _, folder = sample_outputs
    columns = list(pd.read_csv(folder / name, nrows=0).columns)
    assert columns[:len(CONTRACT[name])] == CONTRACT[name]


def test_comments_csv_keeps_source_order_and_every_comment(sample_outputs):
    analysis, folder = sample_outputs
    table = pd.read_csv(folder / "comments.csv", dtype=str, keep_default_na=False)
    source = read_corpus(SAMPLE).comments
    assert table["comment_id"].tolist() == source["comment_id"].tolist()
    assert (table.loc[table["parent_id"] == "", "depth"] == "1").all()
    assert table["topic_label"].ne("").all()


def test_comments_csv_reads_back_as_input(sample_outputs):
    analysis, folder = sample_outputs
    again = read_corpus(folder / "comments.csv").comments
    original = analysis.comments
    for column in ("comment_id", "parent_id", "author", "depth", "subthread_id", "is_placeholder", "is_post_author", "text"):
        assert again[column].tolist() == original[column].tolist(), column


def test_replies_are_the_tree_read_from_the_sample(sample_outputs):
    analysis, folder = sample_outputs
    replies = pd.read_csv(folder / "replies.csv")
    explicit = replies[(replies["kind"] == "reply") & ~replies["inferred"]]
    comments = analysis.comments.set_index("comment_id")
    expected = {}
    for row in analysis.comments.itertuples():
        if pd.notna(row.parent_id) and pd.notna(row.author):
            parent_author = comments.loc[row.parent_id, "author"]
            if pd.notna(parent_author):
                expected[(row.author, parent_author)] = expected.get((row.author, parent_author), 0) + 1
    assert dict(zip(zip(explicit["source"], explicit["target"]), explicit["weight"])) == expected


def test_gexf_reads_back_with_every_commenter(sample_outputs):
    analysis, folder = sample_outputs
    graph = nx.read_gexf(folder / "graph.gexf")
    assert graph.number_of_nodes() == analysis.commenters.shape[0] == 18


def test_outputs_are_byte_identical_across_runs(sample_outputs, tmp_path):
    _, folder = sample_outputs
    write_outputs(analyze(), tmp_path / "again")
    for path in sorted(folder.iterdir()):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert digest == hashlib.sha256((tmp_path / "again" / path.name).read_bytes()).hexdigest(), path.name


def test_report_states_the_data_notes(sample_outputs):
    _, folder = sample_outputs
    report = (folder / "report.md").read_text(encoding="utf-8")
    assert "the source says 46 comments; 43 are present" in report
    assert "1 placeholder comment(s)" in report
    assert "![The commenter network](network.png)" in report


def test_a_failed_run_leaves_previous_outputs_intact(sample_outputs, tmp_path, monkeypatch):
    analysis, _ = sample_outputs
    folder = tmp_path / "kept"
    write_outputs(analysis, folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("discourse.output.write.render_markdown", broken)
    with pytest.raises(RuntimeError):
        write_outputs(analysis, folder)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept"]


def _balanced(events):
    """The stages of ``events`` in order of their start, checking each ends once after it started
    and stages nest."""
    running, order = [], []
    for stage, event in events:
        if event == "start":
            running.append(stage)
            order.append(stage)
        else:
            assert event == "end" and running and running[-1] == stage, (stage, event, running)
            running.pop()
    assert not running
    return order


def test_analyze_corpus_reports_each_of_its_stages_in_order():
    events = []
    analyze_corpus(read_corpus(SAMPLE), on_stage=lambda stage, event: events.append((stage, event)))
    order = _balanced(events)
    assert [s for s in order if s != "find_topics"] == list(ANALYSIS_STAGES)
    # the sample is small: its topics are found in this process, inside the "topics" stage
    at = events.index(("topics", "start"))
    assert events[at + 1:at + 4] == [("find_topics", "start"), ("find_topics", "end"), ("topics", "end")]


@pytest.mark.skipif(not can_fork(), reason="workers are forked on Linux only")
def test_a_worker_reports_its_stage_in_its_own_process(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "ALONGSIDE_FROM", 0)
    log = tmp_path / "events"

    def on_stage(stage, event):
        with open(log, "a") as out:
            out.write(f"{os.getpid()} {stage} {event}\n")

    analyze_corpus(read_corpus(SAMPLE), on_stage=on_stage)
    lines = [line.split() for line in log.read_text().splitlines()]
    here = [(stage, event) for pid, stage, event in lines if int(pid) == os.getpid()]
    there = [(stage, event) for pid, stage, event in lines if int(pid) != os.getpid()]
    assert _balanced(here) == list(ANALYSIS_STAGES)
    assert there == [("find_topics", "start"), ("find_topics", "end")]


def test_write_outputs_reports_every_file_it_writes(sample_outputs, tmp_path):
    analysis, _ = sample_outputs
    events = []
    written = write_outputs(analysis, tmp_path / "out", on_stage=lambda stage, event: events.append((stage, event)))
    order = _balanced(events)
    named = {stage.split(" ", 1)[1] for stage in order if stage.startswith(("write ", "save "))}
    files = {path.name for path in written}
    assert named <= files
    # graph_timeline.gexf is written with graph.gexf, in the same pass over the graph
    assert files - named <= {"graph_timeline.gexf"}
    assert {f"figure {name.removesuffix('.png')}" for name in files if name.endswith(".png")} <= set(order)
