"""write_outputs: the graph files (static, timeline, commenter x topic), the images and SVG on request."""

import hashlib
import json
import re
import pickle
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from discourse import analyze, write_outputs
from discourse.output import write as export
from shared_data import CHECKER, FIXTURES, SEED


DISQUS = FIXTURES / "markup" / "disqus-export.xml"
G = "{http://gexf.net/1.3}"


@pytest.fixture(scope="module")
def timed(tmp_path_factory):
    """The Disqus fixture: comments with times."""
    analysis = analyze(DISQUS)
    folder = tmp_path_factory.mktemp("timed") / "out"
    write_outputs(analysis, folder, image_format="svg")
    return analysis, folder


@pytest.fixture(scope="module")
def seed_outputs(tmp_path_factory):
    if not SEED.is_file():
        pytest.skip("../shared/seeds is not available")
    analysis = analyze(SEED)
    folder = tmp_path_factory.mktemp("seed") / "out"
    write_outputs(analysis, folder)
    return analysis, folder


def test_every_file_is_written(timed):
    _, folder = timed
    names = {p.name for p in folder.iterdir()}
    for stem in ("network", "top_commenters", "subthreads", "activity"):
        assert {f"{stem}.png", f"{stem}.svg"} <= names
    assert {"graph.gexf", "graph_timeline.gexf", "commenter_topics.gexf", "graph.graphml",
            "report.md", "report.html"} <= names


def test_timeline_gexf_starts_each_commenter_at_their_first_comment(timed):
    analysis, folder = timed
    root = ET.parse(folder / "graph_timeline.gexf").getroot()
    graph = root.find(f"{G}graph")
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "dateTime"
    real = analysis.comments[~analysis.comments["is_placeholder"] & analysis.comments["created_at"].notna()]
    first = real.groupby("author")["created_at"].min()
    starts = {n.get("id"): n.get("start") for n in graph.iter(f"{G}node")}
    assert starts == {a: t.strftime("%Y-%m-%dT%H:%M:%S") for a, t in first.items()}
    edges = list(graph.iter(f"{G}edge"))
    assert edges and all(e.get("start") >= starts[e.get("source")] for e in edges)
    assert len(list(graph.iter(f"{G}attributes"))) == 2  # one static block per class: Gephi Lite reads it


def test_static_gexf_stays_static(timed):
    _, folder = timed
    text = (folder / "graph.gexf").read_text(encoding="utf-8")
    assert 'mode="static"' in text and "start=" not in text and "timeformat" not in text


def test_commenter_topic_gexf_links_commenters_to_their_topics(timed):
    analysis, folder = timed
    graph = nx.read_gexf(folder / "commenter_topics.gexf")
    parts = nx.get_node_attributes(graph, "part")
    commenters = {n for n, p in parts.items() if p == "commenter"}
    topics = {n for n, p in parts.items() if p == "topic"}
    real = analysis.comments[~analysis.comments["is_placeholder"] & analysis.comments["author"].notna()]
    assert {graph.nodes[n]["label"] for n in commenters} == set(real["author"])
    assert {graph.nodes[n]["label"] for n in topics} <= set(analysis.topics["label"])
    assert all((u in commenters) != (v in commenters) for u, v in graph.edges)  # bipartite
    assert sum(w for *_, w in graph.edges(data="weight")) == len(real)


def test_graph_files_carry_main_topic_and_metrics(timed):
    analysis, folder = timed
    graph = nx.read_gexf(folder / "graph.gexf")
    table = analysis.commenters.set_index("author")
    for node, data in graph.nodes(data=True):
        assert data["main_topic_label"] == table.at[node, "main_topic_label"]
        assert data["community"] == table.at[node, "community"]
        assert data["viz"]["size"] > 0 and {"x", "y"} <= set(data["viz"]["position"])
    graphml = nx.read_graphml(folder / "graph.graphml")
    assert set(graphml.nodes) == set(graph.nodes)


def test_no_times_no_timeline_and_no_activity(tmp_path):
    write_outputs(analyze(), tmp_path / "sample")
    names = {p.name for p in (tmp_path / "sample").iterdir()}
    assert "graph_timeline.gexf" not in names and "activity.png" not in names
    assert not any(name.endswith(".svg") for name in names)  # SVG only on request


def _timeless(path):
    """A file's bytes with the run's times (in run.json and the reports' data notes) blanked."""
    return re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"T", path.read_bytes())


def test_svg_outputs_are_byte_identical_across_runs(timed, tmp_path):
    analysis, folder = timed
    write_outputs(analysis, tmp_path / "again", image_format="svg")
    for path in sorted(folder.iterdir()):
        again = _timeless(tmp_path / "again" / path.name)
        assert hashlib.sha256(_timeless(path)).digest() == hashlib.sha256(again).digest(), path.name


def test_graph_files_written_by_a_second_process_are_the_same(timed, tmp_path):
    analysis, folder = timed
    write_outputs(analysis, tmp_path / "alongside", image_format="svg", alongside_from=0)
    assert sorted(p.name for p in (tmp_path / "alongside").iterdir()) == sorted(p.name for p in folder.iterdir())
    for path in sorted(folder.iterdir()):
        assert _timeless(tmp_path / "alongside" / path.name) == _timeless(path), path.name


def test_writing_leaves_the_analysis_tables_as_they_were(tmp_path):
    # The CSV writer blanks missing cells in its own copy; for string columns of an unpickled
    # analysis, pandas' to_numpy(copy=True) hands back a view of the column's own values.
    analysis = pickle.loads(pickle.dumps(analyze(DISQUS)))
    names = ["comments", "edges", "commenters", "subthreads", "threads", "topics", "central", "stability"]
    before = {name: getattr(analysis, name).copy(deep=True) for name in names}
    write_outputs(analysis, tmp_path / "out")
    for name in names:
        pd.testing.assert_frame_equal(getattr(analysis, name), before[name], obj=name)


def test_commenters_csv_puts_the_contract_columns_first(timed):
    _, folder = timed
    columns = list(pd.read_csv(folder / "commenters.csv", nrows=0).columns)
    assert columns[:7] == ["author", "comments", "replies_received", "replies_given", "pagerank", "betweenness",
                           "community"]
    assert {"main_topic", "main_topic_label"} <= set(columns)


@pytest.mark.skipif(not (CHECKER / "check_gexf").exists() or not (CHECKER / "node_modules").is_dir(),
                    reason="../shared/tools/gexf-check is not installed")
@pytest.mark.parametrize("name", ["graph.gexf", "commenter_topics.gexf"])
def test_seed_gexf_files_pass_the_checker(seed_outputs, name):
    analysis, folder = seed_outputs
    args = [str(CHECKER / "check_gexf"), str(folder / name), "--expect-layout", "--strict", "--no-java"]
    if name == "graph.gexf":
        args += ["--expect-nodes", "44"]
    result = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_reproduction_script_rebuilds_the_report_table(tmp_path):
    # the shipped sample: the Disqus fixture has one reply link, too few for the report to rank anyone
    folder = tmp_path / "out"
    write_outputs(analyze(), folder)
    script = Path(__file__).resolve().parents[2] / "scripts" / "reproduce_central_table.py"
    result = subprocess.run([sys.executable, str(script), str(folder)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "report.md has the same table: yes" in result.stdout


def test_output_files_list_every_file_written(timed):
    _, folder = timed
    assert {p.name for p in folder.iterdir()} <= set(export.OUTPUT_FILES)
    assert all(entry.description and entry.name == name for name, entry in export.OUTPUT_FILES.items())


def test_only_writes_the_files_named_with_the_same_bytes(timed, tmp_path):
    analysis, folder = timed
    only = ["commenters.csv", "graph_timeline.gexf", "top_commenters.svg", "report.md"]
    written = write_outputs(analysis, tmp_path / "some", only=only)
    assert [p.name for p in written] == sorted([*only, "run.json"])
    for name in only[:3]:
        assert (tmp_path / "some" / name).read_bytes() == (folder / name).read_bytes(), name
    assert "top_commenters.png" not in (tmp_path / "some" / "report.md").read_text(encoding="utf-8")


def test_only_leaves_out_files_the_analysis_has_nothing_for(tmp_path):
    written = write_outputs(analyze(), tmp_path / "out", only=["activity.png", "graph_timeline.gexf", "threads.csv"])
    assert [p.name for p in written] == ["run.json", "threads.csv"]


def test_only_names_unknown_files_in_the_error(tmp_path):
    from discourse.exceptions import ExportError

    with pytest.raises(ExportError, match=r"only must name files of OUTPUT_FILES .*got \['graph.csvv'\]"):
        write_outputs(analyze(), tmp_path / "out", only=["comments.csv", "graph.csvv"])
    assert not (tmp_path / "out").exists()


def test_a_new_output_file_is_one_entry(tmp_path, monkeypatch):
    def write_sizes(analysis, path, run):
        path.write_text(f"{len(analysis.comments)}\n", encoding="utf-8")

    extra = export.OutputFile("sizes.txt", "how many comment rows", write_sizes)
    monkeypatch.setitem(export.OUTPUT_FILES, extra.name, extra)
    write_outputs(analyze(), tmp_path / "out", only=["sizes.txt", "threads.csv"])
    assert (tmp_path / "out" / "sizes.txt").read_text(encoding="utf-8") == "44\n"


def _sheets(path):
    """Each sheet of an .xlsx file as rows of (cell type, text), read with the standard library."""
    import zipfile

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(path) as book:
        workbook = ET.fromstring(book.read("xl/workbook.xml"))
        names = [sheet.get("name") for sheet in workbook.iterfind("m:sheets/m:sheet", ns)]
        sheets = {}
        for number, name in enumerate(names, 1):
            root = ET.fromstring(book.read(f"xl/worksheets/sheet{number}.xml"))
            sheets[name] = [{_column_of(c.get("r")): (c.get("t"), "".join(c.itertext())) for c in row.iterfind("m:c", ns)}
                            for row in root.iterfind("m:sheetData/m:row", ns)]
    return sheets


def _column_of(reference):
    letters = reference.rstrip("0123456789")
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number - 1


def test_tables_xlsx_has_one_sheet_per_table_and_text_never_runs(tmp_path):
    comments = tmp_path / "hostile.jsonl"
    rows = [("a", None, "=HYPERLINK(\"http://x\",\"y\")", "=1+1"), ("b", "a", "@bob", "+1 agreed"),
            ("c", "b", "-zimms-", "-2 pumps"), ("d", "a", "0123", "http://example.com"), ("e", "d", "Ann", "'q")]
    comments.write_text("".join(json.dumps({"comment_id": i, "parent_id": p, "author": a, "text": t}) + "\n"
                                for i, p, a, t in rows), encoding="utf-8")
    analysis = analyze(comments)
    write_outputs(analysis, tmp_path / "out", only=["tables.xlsx", "comments.csv"])
    sheets = _sheets(tmp_path / "out" / "tables.xlsx")
    assert list(sheets) == list(export.SHEETS)
    table = sheets["comments"]
    header = [text for _, text in table[0].values()]
    assert header == list(pd.read_csv(tmp_path / "out" / "comments.csv", nrows=0).columns)
    author, text = header.index("author"), header.index("text")
    assert [row[author] for row in table[1:]] == [("inlineStr", a) for _, _, a, _ in rows]
    assert [row[text] for row in table[1:]] == [("inlineStr", t) for *_, t in rows]
    formulas = [c for sheet in sheets.values() for row in sheet for c in row.values() if c[0] in ("str", "e")]
    assert formulas == []  # no formula cell anywhere
    assert len(sheets["commenters"]) == 1 + len(analysis.commenters)



CONTROL_NAMES = ["Ann\x01", "Ann\x0bLee", "\x1b[31mAnn", "Ann\ufffe", "Bob", "@metacowboy", "-zimms-"]


def test_names_with_control_characters_are_cleaned_in_the_graph_files_and_exact_in_the_tables(tmp_path):
    from discourse.output.xml import clean_name

    path = tmp_path / "names.jsonl"
    path.write_text("".join(json.dumps({"comment_id": f"c{i}", "parent_id": f"c{i - 1}" if i % 4 else None,
                                        "author": CONTROL_NAMES[i % len(CONTROL_NAMES)], "thread_id": "T\x01tle",
                                        "text": f"levee {i} \x1b pumps"}) + "\n" for i in range(21)),
                    encoding="utf-8")
    analysis = analyze(path)
    folder = tmp_path / "out"
    write_outputs(analysis, folder, only=["commenters.csv", "replies.csv", "graph.gexf", "graph.graphml",
                                          "commenter_topics.gexf"])
    for name in ("graph.gexf", "graph.graphml", "commenter_topics.gexf"):
        ET.parse(folder / name)  # well-formed whatever the names hold
    cleaned = {clean_name(name): name for name in CONTROL_NAMES}
    assert cleaned["Ann\\x01"] == "Ann\x01" and cleaned["\\x1b[31mAnn"] == "\x1b[31mAnn" and cleaned["Ann\\ufffe"]
    assert set(nx.read_graphml(folder / "graph.graphml").nodes) == set(cleaned)
    assert set(nx.read_gexf(folder / "graph.gexf").nodes) == set(cleaned)
    commenters = pd.read_csv(folder / "commenters.csv", keep_default_na=False)
    assert set(commenters["author"]) == set(CONTROL_NAMES)  # the tables keep the exact names
    replies = pd.read_csv(folder / "replies.csv", keep_default_na=False)
    graph = nx.read_graphml(folder / "graph.graphml")
    assert {(clean_name(s), clean_name(t)) for s, t in zip(replies["source"], replies["target"])} == set(graph.edges)


@pytest.mark.parametrize("name, cleaned", [("Ann\x01", "Ann\\x01"), ("Cy\ud800", "Cy\\ud800"), ("a\x00b", "a\\x00b"),
                                           ("tab\tok", "tab\tok"), ("Ann", "Ann"), ("\uffff", "\\uffff")])
def test_clean_name_escapes_what_xml_cannot_carry(name, cleaned):
    from discourse.output.xml import clean_name, node_ids

    assert clean_name(name) == cleaned
    assert node_ids(nx.DiGraph([(name, "Bob")])) == {name: cleaned, "Bob": "Bob"}


def test_reproduction_script_runs_on_names_csv_would_have_guarded(tmp_path):
    path = tmp_path / "names.jsonl"
    path.write_text("".join(json.dumps({"comment_id": f"c{i}", "parent_id": f"c{i - 1}" if i % 3 else None,
                                        "author": ["@metacowboy", "-zimms-", "=Ann", "+Bob"][i % 4],
                                        "text": f"levee {i} pumps"}) + "\n" for i in range(24)), encoding="utf-8")
    folder = tmp_path / "out"
    write_outputs(analyze(path), folder, only=["commenters.csv", "central_commenters.csv", "replies.csv",
                                               "graph.graphml", "report.md"])
    script = Path(__file__).resolve().parents[2] / "scripts" / "reproduce_central_table.py"
    result = subprocess.run([sys.executable, str(script), str(folder)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "report.md has the same table: yes" in result.stdout
    graph_ids = set(nx.read_graphml(folder / "graph.graphml").nodes)
    assert set(pd.read_csv(folder / "commenters.csv", keep_default_na=False)["author"]) == graph_ids
