"""labels.csv and --labels: a user's edited labels in every table, image and report."""

import pandas as pd
import pytest

from discourse.cli import main
from discourse.exceptions import FormatError
from discourse.topics.edited import read_labels

ROWS = [("a", None, "Ann", "My bees swarmed from the hive; the bee swarm left the hive."),
        ("b", "a", "Bob", "Catch the bee swarm with a box and a frame from the hive."),
        ("c", "b", "Ann", "The bee swarm settled in the box near the hive."),
        ("d", None, "Cid", "My sourdough starter died; the sourdough starter smelled."),
        ("e", "d", "Dee", "Feed the sourdough starter flour and water twice a day."),
        ("f", "e", "Cid", "The sourdough starter bubbles again after feeding flour.")]


@pytest.fixture()
def source(tmp_path):
    path = tmp_path / "thread.jsonl"
    pd.DataFrame([{"comment_id": c, "parent_id": p, "thread_id": "t", "author": a, "text": t}
                  for c, p, a, t in ROWS]).to_json(path, orient="records", lines=True)
    return path


def test_edited_labels_reach_every_table_and_report(source, tmp_path):
    first = tmp_path / "first"
    assert main(["analyze", str(source), "-o", str(first), "-q"]) == 0
    labels = pd.read_csv(first / "labels.csv", dtype=str, keep_default_na=False)
    assert set(labels["kind"]) >= {"topic", "subthread", "thread"}
    subthreads = pd.read_csv(first / "subthreads.csv", dtype=str)
    assert set(labels.loc[labels["kind"] == "subthread", "id"]) == set(subthreads.loc[subthreads["level"] == "1",
                                                                                        "subthread_id"])
    edited = labels.copy()
    edited.loc[(edited["kind"] == "subthread") & (edited["id"] == "a"), "label"] = "Catching a swarm"
    edited.loc[edited["kind"] == "topic", "label"] = [f"Edited topic {i}" for i in range(int((edited["kind"] == "topic").sum()))]
    edited_path = tmp_path / "edited.csv"
    edited.to_csv(edited_path, index=False)
    before = edited_path.read_bytes()
    second = tmp_path / "second"
    assert main(["analyze", str(source), "-o", str(second), "-q", "--labels", str(edited_path)]) == 0
    assert edited_path.read_bytes() == before  # the user's file is never changed
    subthreads = pd.read_csv(second / "subthreads.csv", dtype=str).set_index("subthread_id")
    assert subthreads.loc["a", "label"] == "Catching a swarm"
    assert subthreads["topic_label"].str.startswith("Edited topic").all()
    assert pd.read_csv(second / "topics.csv")["label"].str.startswith("Edited topic").all()
    assert pd.read_csv(second / "comments.csv")["topic_label"].str.startswith("Edited topic").all()
    report = (second / "report.md").read_text(encoding="utf-8")
    assert "Catching a swarm" in report or "Edited topic" in report
    assert pd.read_csv(second / "labels.csv", dtype=str).set_index(["kind", "id"]).loc[("subthread", "a"), "label"] \
        == "Catching a swarm"


def test_a_bad_labels_file_is_one_clear_error(source, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("kind,id,label\nsubthread,a,Fine\nchapter,b,What\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"bad.csv, line 3: kind must be one of"):
        read_labels(bad)
    assert main(["analyze", str(source), "-o", str(tmp_path / "out"), "-q", "--labels", str(bad)]) == 1
    assert "error:" in capsys.readouterr().err
    (tmp_path / "cols.csv").write_text("id,name\n1,x\n", encoding="utf-8")
    with pytest.raises(FormatError, match="columns kind, id, label"):
        read_labels(tmp_path / "cols.csv")
    (tmp_path / "empty.csv").write_text("kind,id,label\ntopic,0,  \n", encoding="utf-8")
    with pytest.raises(FormatError, match="label is empty"):
        read_labels(tmp_path / "empty.csv")


def test_labels_naming_nothing_are_reported_once(source, tmp_path):
    edited = tmp_path / "edited.csv"
    edited.write_text("kind,id,label\nsubthread,nope,X\nsubthread,gone,Y\n", encoding="utf-8")
    with pytest.warns(UserWarning, match="2 edited label"):
        from discourse import analyze
        from discourse.pipeline import Options
        analyze([str(source)], options=Options(labels=str(edited)))
