"""The main job end to end on the shipped sample: files written, contracts kept, reproducible."""

import hashlib
import json
import os
import re

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from discourse import (SAMPLE, Corpus, complete_tree, DiscourseError, Options, OptionsError, analyze, analyze_corpus, pipeline, read_corpus,
                       write_outputs)
from discourse.network.graph import EDGE_KINDS
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
        if path.name == "run.json":  # the run's record: its times are the run's own
            continue
        before, again = (re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"T", p.read_bytes())  # the reports' run times
                         for p in (path, tmp_path / "again" / path.name))
        assert hashlib.sha256(before).hexdigest() == hashlib.sha256(again).hexdigest(), path.name


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


def _balanced(events: list[tuple[str, str]]) -> list[str]:
    """The outermost stages of ``events`` in order of their start, checking each ends once after it
    started and stages nest."""
    running, order = [], []
    for stage, event in events:
        if event == "start":
            if not running:
                order.append(stage)
            running.append(stage)
        else:
            assert event == "end" and running and running[-1] == stage, (stage, event, running)
            running.pop()
    assert not running
    return order


def test_analyze_corpus_reports_each_of_its_stages_in_order():
    events = []
    analyze_corpus(read_corpus(SAMPLE), on_stage=lambda stage, event: events.append((stage, event)))
    assert _balanced(events) == list(ANALYSIS_STAGES)
    # the sample is small: its topics are found in this process, inside the "topics" stage
    at = events.index(("topics", "start"))
    assert events[at + 1:at + 4] == [("find_topics", "start"), ("find_topics", "end"), ("topics", "end")]


def _inside(events: list[tuple[str, str]], outer: str) -> list[str]:
    """The stages started while the first ``outer`` stage ran."""
    start, end = events.index((outer, "start")), events.index((outer, "end"))
    return [stage for stage, event in events[start + 1:end] if event == "start"]


def test_expensive_steps_are_reported_as_stages_inside_theirs():
    # The benchmark's sub-timings come from these events alone (nothing of the package is wrapped).
    events = []
    analyze_corpus(read_corpus(SAMPLE), on_stage=lambda stage, event: events.append((stage, event)))
    assert _inside(events, "edge_records") == ["mention/quote scan", "reply records"]
    assert _inside(events, "commenter_metrics") == [
        "node measures", "degrees+reciprocity", "pagerank", "betweenness (exact)", "closeness (exact)", "k-core",
        "hits", "communities", "comment counts"]
    inside = _inside(events, "top_stability")
    assert set(inside) == {"pagerank", "betweenness (exact)", "degrees+reciprocity"} and len(inside) % 3 == 0


@pytest.mark.skipif(not can_fork(), reason="workers are forked on Linux only")
def test_a_worker_reports_its_stage_in_its_own_process(tmp_path):
    log = tmp_path / "events"

    def on_stage(stage: str, event: str) -> None:
        with open(log, "a") as out:
            out.write(f"{os.getpid()}\t{stage}\t{event}\n")

    analyze_corpus(read_corpus(SAMPLE), on_stage=on_stage, alongside_from=0)
    lines = [line.split("\t") for line in log.read_text().splitlines()]
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


@pytest.mark.parametrize("options, message", [
    (dict(n_topics=0), "n_topics must be an integer >= 2 or None; got 0"),
    (dict(n_topics=1), "n_topics must be an integer >= 2 or None; got 1"),
    (dict(n_topics=True), "n_topics must be an integer >= 2 or None; got True"),
    (dict(n_topics="3"), "n_topics must be an integer >= 2 or None; got '3'"),
    (dict(n_topics=3.0), "n_topics must be an integer >= 2 or None; got 3.0"),
    (dict(random_state=-1), "random_state must be a non-negative integer below 2**32; got -1"),
    (dict(random_state=2**32), "random_state must be a non-negative integer below 2**32; got 4294967296"),
    (dict(random_state="x"), "random_state must be a non-negative integer below 2**32; got 'x'"),
    (dict(random_state=None), "random_state must be a non-negative integer below 2**32; got None"),
    (dict(min_branch_comments=0), "min_branch_comments must be an integer >= 1; got 0"),
    (dict(min_branch_comments=2.5), "min_branch_comments must be an integer >= 1; got 2.5"),
    (dict(edge_kinds=("reply", "likes")),
     "edge_kinds must be a non-empty selection of reply, mention, quote, post; got ('reply', 'likes')"),
    (dict(edge_kinds=()), "edge_kinds must be a non-empty selection of reply, mention, quote, post; got ()"),
    (dict(edge_kinds=None), "edge_kinds must be a non-empty selection of reply, mention, quote, post; got None"),
    (dict(edge_kinds=[1]), "edge_kinds must be a non-empty selection of reply, mention, quote, post; got [1]"),
    (dict(post_author_edges="no"), "post_author_edges must be True or False; got 'no'"),
])
def test_options_say_what_they_accept_and_what_they_got(options, message):
    with pytest.raises(OptionsError) as caught:
        Options(**options)
    assert str(caught.value) == message
    assert caught.value.option == next(iter(options))
    assert isinstance(caught.value, DiscourseError) and isinstance(caught.value, ValueError)


def test_options_keep_checked_values_as_plain_python_types():
    options = Options(edge_kinds=["mention", "reply", "mention"], post_author_edges=np.bool_(True),
                      n_topics=np.int64(3), min_branch_comments=1, random_state=2**32 - 1)
    assert options.edge_kinds == ("mention", "reply", "post")
    assert options == Options(edge_kinds=("mention", "reply", "post"), post_author_edges=True, n_topics=3,
                              min_branch_comments=1, random_state=2**32 - 1)
    assert type(options.n_topics) is int and type(options.post_author_edges) is bool
    assert Options(edge_kinds="quote").edge_kinds == ("quote",)
    assert set(EDGE_KINDS) == set(Options(edge_kinds=EDGE_KINDS).edge_kinds)


def test_post_author_edges_reach_the_graph_the_metrics_use():
    """--post-author-edges alone used to reach replies.csv only: the graph had no post edges."""
    comments = pd.DataFrame({"comment_id": ["p1", "c1", "c2", "c3"], "parent_id": [None, None, "c1", None],
                             "thread_id": "t", "author": ["Poe", "Ann", "Bob", "Cy"],
                             "is_post_author": [True, False, False, False],
                             "text": ["the post", "a first view", "a reply", "another view"]})
    corpus = Corpus(comments=complete_tree(comments))
    with_flag = analyze_corpus(corpus, options=Options(post_author_edges=True))
    with_kind = analyze_corpus(corpus, options=Options(edge_kinds=("reply", "post")))
    without = analyze_corpus(corpus, options=Options())
    for analysis in (with_flag, with_kind):
        assert {(a, b) for a, b, kind in analysis.graph.edges(data="kind", default="")
                if "post" in str(kind)} >= {("Ann", "Poe"), ("Cy", "Poe")}
    assert set(without.graph.edges) == {("Bob", "Ann")}


def test_a_capped_topic_count_is_recorded(sample_outputs):
    analysis, _ = sample_outputs
    assert analysis.n_topics_capped is None  # automatic: nothing was capped
    subthreads = int((analysis.subthreads["level"] == 1).sum())
    capped = analyze(options=Options(n_topics=100))
    assert capped.n_topics_capped == len(capped.topics) <= subthreads < 100
    assert "n_topics=100 capped at" in repr(capped)
    exact = analyze(options=Options(n_topics=3))
    assert len(exact.topics) == 3 and exact.n_topics_capped is None


def test_an_analysis_and_a_corpus_fit_on_one_screen(sample_outputs):
    analysis, _ = sample_outputs
    for text in (repr(analysis), repr(analysis.corpus)):
        lines = text.splitlines()
        assert len(lines) <= 25 and max(map(len, lines)) <= 120, text
    text = repr(analysis)
    assert text.startswith("Analysis 'sample_thread': 43 comments (+1 placeholder) in 1 thread, 18 commenters")
    assert analysis.central["author"].iloc[0] in text and analysis.topics["label"].iloc[0] in text
    assert "43 comments" in repr(analysis.corpus)


def test_a_corpus_of_many_threads_still_fits_on_one_screen(tmp_path):
    path = tmp_path / "many.jsonl"
    records = [{"comment_id": f"c{i}", "parent_id": None, "thread_id": f"thread-{i}", "author": f"a{i % 7}",
                "text": "x" * 5000} for i in range(300)]
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    text = repr(read_corpus(path))
    lines = text.splitlines()
    assert lines[0].startswith("Corpus: 300 comments by 7 commenters in 300 thread(s)")
    assert len(lines) <= 7 and max(map(len, lines)) <= 120 and len(text) < 1000, text
