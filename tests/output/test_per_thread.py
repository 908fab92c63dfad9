"""Per-thread runs: folders named from titles, index.csv and index.html, tables only for tiny threads;
SVG files that stay well-formed XML whatever the title holds."""

import xml.etree.ElementTree as ET

import pandas as pd

from discourse.cli import main
from discourse.model.corpus import Corpus
from discourse.output.per_thread import MIN_FULL_COMMENTS, thread_folders, write_per_thread
from discourse.output.write import write_outputs
from discourse.pipeline import analyze_corpus
from discourse.readers.table import parse_csv

CSV = """comment_id,parent_id,thread_id,author,created_at,text
a1,,ta,Ann,2024-01-01T10:00:00Z,The bike lane on Main Street needs paint.
a2,a1,ta,Bob,2024-01-01T11:00:00Z,Paint costs money the town does not have.
a3,a2,ta,Ann,2024-01-01T12:00:00Z,Green paint lasts longer than white paint.
a4,a1,ta,Cy,2024-01-01T13:00:00Z,I ride there daily and the paint is gone.
b1,,tb,Dee,2024-01-02T10:00:00Z,Library hours should be longer.
c1,,tc,Eve,2024-01-03T10:00:00Z,The levee needs repairs before spring.
c2,c1,tc,Fay,2024-01-03T11:00:00Z,The state grant may pay for the levee.
c3,c2,tc,Eve,2024-01-03T12:00:00Z,Waiting for the grant is a gamble with the levee.
"""
TITLES = {"ta": "Bike lanes: yes or no?", "tb": "bike LANES yes or no", "tc": "CON\x01"}


def _corpus():
    corpus = parse_csv(CSV)
    threads = corpus.threads.assign(title=corpus.threads["thread_id"].map(TITLES))
    return Corpus(comments=corpus.comments, threads=threads, skipped=corpus.skipped)


def test_folder_names_are_safe_and_unique():
    names = thread_folders({"1": "Bike lanes?", "2": "bike lanes!", "3": "", "4": "a/../b", "5": "NUL",
                            "6": "Bike lanes?", "7": "Ünïcödé ☃ title"})
    assert names == {"1": "Bike-lanes", "2": "bike-lanes-2", "3": "3", "4": "a-..-b", "5": "NUL_",
                     "6": "Bike-lanes-3", "7": "Unicode-title"}
    assert len({n.lower() for n in names.values()}) == len(names)
    assert all("/" not in n and "\\" not in n and n not in (".", "..") for n in names.values())


def test_per_thread_writes_an_index_and_tables_only_for_tiny_threads(tmp_path):
    from discourse.model.corpus import split_threads

    line = write_per_thread(split_threads(_corpus()), tmp_path / "out")
    assert line == (f"3 threads, 8 comments -> {tmp_path / 'out'} (index.html); 1 under {MIN_FULL_COMMENTS} "
                    "comments with the tables only")
    index = pd.read_csv(tmp_path / "out" / "index.csv", keep_default_na=False)
    assert list(index["folder"]) == ["Bike-lanes-yes-or-no", "bike-LANES-yes-or-no-2", "CON_"]
    assert list(index["title"]) == ["Bike lanes: yes or no?", "bike LANES yes or no", "CON\x01"]
    assert list(index["comments"]) == [4, 1, 3] and list(index["outputs"]) == ["full", "tables only", "full"]
    tiny = {p.name for p in (tmp_path / "out" / "bike-LANES-yes-or-no-2").iterdir()}
    assert "comments.csv" in tiny and not {n for n in tiny if not n.endswith(".csv")} - {"run.json"}
    assert (tmp_path / "out" / "Bike-lanes-yes-or-no" / "network.html").is_file()
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert 'href="Bike-lanes-yes-or-no/report.html"' in page and 'href="bike-LANES-yes-or-no-2/"' in page


def test_cli_per_thread_prints_one_summary_line(tmp_path, caplog):
    import logging

    path = tmp_path / "in.csv"
    path.write_text(CSV, encoding="utf-8")
    caplog.set_level(logging.INFO, logger="discourse")
    assert main(["analyze", str(path), "--per-thread", "-o", str(tmp_path / "out")]) == 0
    lines = [r.getMessage() for r in caplog.records if r.name == "discourse" and r.levelno >= logging.INFO]
    assert len(lines) == 1 and lines[0].startswith("3 threads, 8 comments -> ")


def test_svg_stays_well_formed_with_control_characters_in_the_title(tmp_path):
    corpus = _corpus()
    part = Corpus(comments=corpus.comments[corpus.comments["thread_id"] == "tc"].reset_index(drop=True),
                  threads=corpus.threads[corpus.threads["thread_id"] == "tc"].reset_index(drop=True),
                  skipped=corpus.skipped)
    write_outputs(analyze_corpus(part, name="x\x01"), tmp_path / "out", image_format="svg")
    svgs = sorted((tmp_path / "out").glob("*.svg"))
    assert {p.name for p in svgs} >= {"network.svg", "top_commenters.svg"}
    for svg in svgs:
        ET.parse(svg)   # raises on malformed XML
