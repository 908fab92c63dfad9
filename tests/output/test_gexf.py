"""GEXF and GraphML writers: round trips through networkx, escaping, typing, determinism."""

import io
import math
import subprocess
import xml.etree.ElementTree as ET

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from discourse.output.xml import clean_attributes
from discourse.output.gexf import (ExportError, format_gexf, write_gexf,
                            write_graphml)
from shared_data import CHECKER

GEXF_NS = "{http://gexf.net/1.3}"
VIZ_NS = "{http://gexf.net/1.3/viz}"

AWKWARD_NAMES = [
    "Ann Smith", "Tom & Jerry", "<b>bold</b>", 'say "hi"', "it's", "Zoë Ångström", "🦊 fox",
    "  padded  ", "tab\there", "line\nbreak", "a;b", "&amp;", "]]>", "日本語",
]


def awkward_graph(n=50):
    """A reply graph like the pipeline's, with every value kind the writer must handle."""
    names = AWKWARD_NAMES + [f"user{i}" for i in range(n - len(AWKWARD_NAMES))]
    graph = nx.DiGraph()
    rng = np.random.default_rng(7)
    for i, name in enumerate(names):
        graph.add_node(
            name,
            comments=np.int64(i % 7 + 1),                         # numpy int
            pagerank=np.float64(rng.random()),                    # numpy float
            betweenness=float("nan") if i % 5 == 0 else i / 3,    # NaN omitted
            is_post_author=np.bool_(i == 0),                      # numpy bool
            community=int(i % 4),
            score=i if i % 2 else i + 0.5,                        # mixed int/float -> double
            label=f"role {i % 3}",                                # reserved title
            pid=i,                                                # reserved title
            topics=["politics", "sport"] if i % 3 == 0 else ["news"],
            note=None,
        )
    for i in range(n):
        for step in (1, 3):
            u, v = names[i], names[(i + step) % n]
            graph.add_edge(u, v, weight=np.int64(step), kind="reply" if step == 1 else "mention",
                           inferred=bool(step == 3), comment_ids=[f"c{i}", f"c{i + 100}"],
                           delay=np.float32(1.5 * step))
    graph.add_edge("Tom & Jerry", "Tom & Jerry", weight=2, kind="reply", inferred=False,
                   comment_ids=["c999"], delay=0.25)                # self-loop
    graph.graph.update(name="awkward", created=None, threads=np.int64(3))
    return graph


def layout(graph):
    pos = nx.circular_layout(graph)
    return {node: (float(x), float(y)) for node, (x, y) in pos.items()}


def viz_options(graph):
    nodes = list(graph)
    return dict(
        positions=layout(graph),
        sizes={node: 1.0 + i for i, node in enumerate(nodes)},
        colors={node: (i * 5.5, 127.5, 300 - i) for i, node in enumerate(nodes)},
    )


@pytest.fixture
def graph():
    return awkward_graph()


@pytest.fixture
def gexf_file(graph, tmp_path):
    path = tmp_path / "graph.gexf"
    write_gexf(graph, path, **viz_options(graph), title="Awkward <test> & co")
    return path


def parsed(text):
    return ET.fromstring(text.encode("utf-8"))


def test_round_trip_keeps_nodes_edges_and_weights(graph, gexf_file):
    back = nx.read_gexf(gexf_file)
    assert list(back) == list(graph)
    assert isinstance(back, nx.DiGraph)
    assert list(back.edges) == list(graph.edges)
    for u, v, data in graph.edges(data=True):
        assert back.edges[u, v]["weight"] == data["weight"]
    assert back.has_edge("Tom & Jerry", "Tom & Jerry")


@pytest.mark.parametrize("key, expected_type", [
    ("comments", int), ("pagerank", float), ("is_post_author", bool), ("community", int),
    ("score", float), ("topics", str), ("betweenness", float),
])
def test_round_trip_keeps_node_values_and_types(graph, gexf_file, key, expected_type):
    back = nx.read_gexf(gexf_file)
    for node, data in graph.nodes(data=True):
        value = data[key]
        if isinstance(value, float) and math.isnan(value):
            assert key not in back.nodes[node]
            continue
        read = back.nodes[node][key]
        assert type(read) is expected_type
        if isinstance(value, list):
            assert read == ";".join(value)
        else:
            assert read == pytest.approx(value)


@pytest.mark.parametrize("key, expected_type", [
    ("kind", str), ("inferred", bool), ("comment_ids", str), ("delay", float),
])
def test_round_trip_keeps_edge_values_and_types(graph, gexf_file, key, expected_type):
    back = nx.read_gexf(gexf_file)
    for u, v, data in graph.edges(data=True):
        read = back.edges[u, v][key]
        assert type(read) is expected_type
        expected = ";".join(data[key]) if isinstance(data[key], list) else data[key]
        assert read == pytest.approx(expected) if expected_type is float else read == expected


def test_weight_is_the_xml_attribute_not_a_column(gexf_file):
    root = ET.parse(gexf_file).getroot()
    edge_titles = [a.get("title") for a in root.find(f".//{GEXF_NS}attributes[@class='edge']")]
    assert "weight" not in edge_titles
    assert {"kind", "inferred", "comment_ids", "delay"} <= set(edge_titles)
    weights = [e.get("weight") for e in root.iter(f"{GEXF_NS}edge")]
    assert weights[:2] == ["1", "3"]


def test_layout_size_and_colour_are_written(graph, gexf_file):
    back = nx.read_gexf(gexf_file)
    expected = viz_options(graph)
    for node in graph:
        viz = back.nodes[node]["viz"]
        x, y = expected["positions"][node]
        assert (viz["position"]["x"], viz["position"]["y"]) == (x, y)
        assert viz["size"] == expected["sizes"][node]
        r, g, b = expected["colors"][node]
        assert (viz["color"]["r"], viz["color"]["g"], viz["color"]["b"]) == \
            (min(255, math.floor(r + 0.5)), 128, min(255, math.floor(b + 0.5)))


@pytest.mark.parametrize("colour, expected", [
    ((127.5, 0.4, 254.6), ("128", "0", "255")),
    ((126.5, -3, 300), ("127", "0", "255")),
    ((np.float32(10.0), np.int64(20), 30), ("10", "20", "30")),
])
def test_colour_channels_become_integers(colour, expected):
    graph = nx.DiGraph([("a", "b")])
    root = parsed(format_gexf(graph, colors={"a": colour}))
    color = root.find(f".//{VIZ_NS}color")
    assert (color.get("r"), color.get("g"), color.get("b")) == expected
    assert root.find(f".//{GEXF_NS}node[@id='b']/{VIZ_NS}color") is None


@pytest.mark.parametrize("name", AWKWARD_NAMES + ["x" * 300])
def test_awkward_names_survive_as_ids_and_labels(name):
    graph = nx.DiGraph()
    graph.add_edge(name, "other", weight=1)
    text = format_gexf(graph)
    node = parsed(text).find(f".//{GEXF_NS}node")
    assert node.get("id") == name and node.get("label") == name
    back = nx.read_gexf(io.BytesIO(text.encode("utf-8")))
    assert list(back.edges) == [(name, "other")]


def test_node_labels_override_the_name():
    graph = nx.DiGraph([("u1", "u2")])
    root = parsed(format_gexf(graph, node_labels={"u1": "Ann & <Bob>"}))
    labels = {n.get("id"): n.get("label") for n in root.iter(f"{GEXF_NS}node")}
    assert labels == {"u1": "Ann & <Bob>", "u2": "u2"}


def test_nan_and_inf_values_are_omitted_never_written():
    graph = nx.DiGraph()
    graph.add_node("a", score=float("nan"), ratio=1.5)
    graph.add_node("b", score=2.5, ratio=float("inf"))
    graph.add_node("c", score=np.float64("nan"), ratio=None)
    text = format_gexf(graph)
    assert "NaN" not in text and "nan" not in text and "INF" not in text.upper()
    back = nx.read_gexf(io.BytesIO(text.encode("utf-8")))
    assert "score" not in back.nodes["a"] and back.nodes["b"]["score"] == 2.5
    assert "ratio" not in back.nodes["b"] and "ratio" not in back.nodes["c"]


@pytest.mark.parametrize("reserved", ["id", "label", "pid", "start", "end", "viz", "parents",
                                      "spells", "size", "x"])
def test_reserved_titles_are_renamed(reserved):
    graph = nx.DiGraph()
    graph.add_node("a", **{reserved: "v"})
    root = parsed(format_gexf(graph))
    titles = [a.get("title") for a in root.iter(f"{GEXF_NS}attribute")]
    ids = [a.get("id") for a in root.iter(f"{GEXF_NS}attribute")]
    assert titles == [f"attr_{reserved}"] and ids == ["0"]
    back = nx.read_gexf(io.BytesIO(format_gexf(graph).encode("utf-8")))
    assert back.nodes["a"][f"attr_{reserved}"] == "v"


def test_reserved_edge_titles_are_renamed():
    graph = nx.DiGraph()
    graph.add_edge("a", "b", weight=2, id="e-7", label="x")
    root = parsed(format_gexf(graph))
    titles = [a.get("title") for a in root.iter(f"{GEXF_NS}attribute")]
    assert titles == ["attr_id", "attr_label"]
    assert root.find(f".//{GEXF_NS}edge").get("id") == "0"


@pytest.mark.parametrize("values, expected", [
    ([1, 2], "integer"), ([1, 2**40], "long"), ([1, 2.5], "double"), ([True, False], "boolean"),
    ([True, 1], "string"), ([1, "x"], "string"), ([np.int32(1), np.float16(0.5)], "double"),
])
def test_one_type_per_column_from_all_values(values, expected):
    graph = nx.DiGraph()
    for i, value in enumerate(values):
        graph.add_node(f"n{i}", metric=value)
    attribute = parsed(format_gexf(graph)).find(f".//{GEXF_NS}attribute")
    assert attribute.get("type") == expected


def test_booleans_are_written_as_lowercase_literals():
    # graphology-gexf (Gephi Lite) reads only the exact string "true" as true.
    graph = nx.DiGraph()
    graph.add_edge("a", "b", weight=1, inferred=np.bool_(False), mixed="x")
    graph.add_edge("b", "a", weight=1, inferred=True, mixed=True)
    text = format_gexf(graph)
    assert 'value="false"' in text and 'value="true"' in text
    assert "True" not in text and "False" not in text


def test_output_is_byte_identical_for_the_same_graph(tmp_path):
    first, second = tmp_path / "1.gexf", tmp_path / "2.gexf"
    graph = awkward_graph()
    write_gexf(graph, first, **viz_options(graph))
    write_gexf(awkward_graph(), second, **viz_options(awkward_graph()))
    assert first.read_bytes() == second.read_bytes()
    assert b"lastmodifieddate" not in first.read_bytes()


def test_set_values_are_sorted_so_output_is_stable():
    graph = nx.DiGraph()
    graph.add_node("a", tags={"zeta", "alpha", "mid"})
    assert 'value="alpha;mid;zeta"' in format_gexf(graph)


def test_header_declares_gexf_13_and_the_schema():
    root = parsed(format_gexf(nx.DiGraph([("a", "b")]), title="T"))
    assert root.tag == f"{GEXF_NS}gexf" and root.get("version") == "1.3"
    assert root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation") == \
        "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd"
    assert root.find(f"{GEXF_NS}meta/{GEXF_NS}creator").text == "discourse"
    assert root.find(f"{GEXF_NS}meta/{GEXF_NS}description").text.startswith("T. ")
    assert root.find(f"{GEXF_NS}graph").get("defaultedgetype") == "directed"


@pytest.mark.parametrize("version, namespace, version_attr, z", [
    ("1.3", "http://gexf.net/1.3", "1.3", None),
    ("1.2draft", "http://www.gexf.net/1.2draft", "1.2", "0.0"),  # 1.2draft requires z
])
def test_version_sets_namespace_and_position_z(version, namespace, version_attr, z):
    text = format_gexf(nx.DiGraph([("a", "b")]), positions={"a": (1, 2), "b": (3, 4)},
                       version=version)
    root = parsed(text)
    assert root.tag == f"{{{namespace}}}gexf" and root.get("version") == version_attr
    position = root.find(f".//{{{namespace}/viz}}position")
    assert (position.get("x"), position.get("y"), position.get("z")) == ("1.0", "2.0", z)


def test_characters_xml_cannot_carry_are_replaced_in_values():
    graph = nx.DiGraph()
    graph.add_node("a", text="bell\x07 and nul\x00")
    text = format_gexf(graph)
    assert parsed(text).find(f".//{GEXF_NS}attvalue").get("value") == "bell\ufffd and nul\ufffd"
    assert clean_attributes(graph).nodes["a"]["text"] == "bell\ufffd and nul\ufffd"


def test_undirected_graph_is_declared_undirected():
    root = parsed(format_gexf(nx.Graph([("a", "b")])))
    assert root.find(f"{GEXF_NS}graph").get("defaultedgetype") == "undirected"


@pytest.mark.parametrize("weight", [0, -1, float("nan"), "heavy"])
def test_edges_without_a_positive_weight_are_refused(weight):
    graph = nx.DiGraph()
    graph.add_edge("Ann", "Bob", weight=weight)
    with pytest.raises(ValueError, match="'Ann' -> 'Bob'"):
        format_gexf(graph)


@pytest.mark.parametrize("options, message", [
    ({"positions": {"a": (0.0, 1.0)}}, "no position"),
    ({"positions": {"a": (0.0, 1.0), "b": (float("nan"), 0.0)}}, "finite"),
    ({"sizes": {"a": -2.0}}, "size"),
    ({"version": "2.0"}, "version"),
])
def test_bad_layout_options_are_refused(options, message):
    with pytest.raises(ExportError, match=message):
        format_gexf(nx.DiGraph([("a", "b")]), **options)


@pytest.mark.parametrize("nodes", [[""], [1, "1"], ["bell\x07", "bell\\x07"]])
def test_unwritable_node_names_are_refused(nodes):
    graph = nx.DiGraph()
    graph.add_nodes_from(nodes)
    with pytest.raises(ExportError):
        format_gexf(graph)


def test_clean_attributes_leaves_only_plain_values(graph):
    cleaned = clean_attributes(graph)
    plain = (str, int, float, bool)
    for _, data in cleaned.nodes(data=True):
        assert all(type(value) in plain for value in data.values())
        assert "note" not in data
        assert not any(isinstance(v, float) and not math.isfinite(v) for v in data.values())
    first = cleaned.nodes["Ann Smith"]
    assert type(first["comments"]) is int and type(first["is_post_author"]) is bool
    assert first["topics"] == "politics;sport"
    assert cleaned.edges["Ann Smith", "Tom & Jerry"]["comment_ids"] == "c0;c100"
    assert type(graph.nodes["Ann Smith"]["comments"]) is np.int64  # the input is untouched


def test_graphml_round_trip(graph, tmp_path):
    path = tmp_path / "graph.graphml"
    write_graphml(graph, path)
    back = nx.read_graphml(path)
    assert back.graph["name"] == "awkward" and back.graph["threads"] == 3
    assert "created" not in back.graph
    assert list(back) == list(graph)
    assert set(back.edges) == set(graph.edges)
    for node, data in graph.nodes(data=True):
        read = back.nodes[node]
        assert read["comments"] == data["comments"] and type(read["comments"]) is int
        assert read["is_post_author"] is bool(data["is_post_author"])
        assert type(read["score"]) is float and read["score"] == data["score"]
        assert read["topics"] == ";".join(data["topics"])
        assert read["label"] == data["label"]
        assert ("betweenness" in read) is not math.isnan(data["betweenness"])
    for u, v, data in graph.edges(data=True):
        assert back.edges[u, v]["weight"] == data["weight"]
        assert back.edges[u, v]["inferred"] is data["inferred"]


@pytest.mark.skipif(not (CHECKER / "check_gexf").exists()
                    or not (CHECKER / "node_modules").is_dir(),
                    reason="gexf-check tool not installed")
def test_external_checker_accepts_the_file(gexf_file):
    result = subprocess.run([str(CHECKER / "check_gexf"), str(gexf_file), "--expect-layout",
                             "--strict", "--expect-nodes", "50", "--expect-edges", "101"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_start_times_make_a_dynamic_graph_in_utc():
    graph = nx.DiGraph()
    graph.add_edge("Ann", "Bob", weight=1, kind="reply")
    graph.add_node("Cy", comments=1)
    text = format_gexf(graph, node_start={"Ann": "2024-06-01T10:00:00+02:00", "Bob": np.datetime64("2024-06-01T07:30")},
                       edge_start={("Ann", "Bob"): "2024-06-01T08:15:00Z"})
    graph_xml = parsed(text).find(f"{GEXF_NS}graph")
    assert (graph_xml.get("mode"), graph_xml.get("timeformat")) == ("dynamic", "dateTime")
    starts = {n.get("id"): n.get("start") for n in graph_xml.iter(f"{GEXF_NS}node")}
    assert starts == {"Ann": "2024-06-01T08:00:00", "Bob": "2024-06-01T07:30:00", "Cy": None}
    assert graph_xml.find(f".//{GEXF_NS}edge").get("start") == "2024-06-01T08:15:00"
    assert [a.get("mode") for a in graph_xml.iter(f"{GEXF_NS}attributes")] == ["static", "static"]


def test_without_times_the_graph_stays_static():
    text = format_gexf(nx.DiGraph([("a", "b")]))
    assert 'mode="static"' in text and "timeformat" not in text and "start=" not in text


@pytest.mark.parametrize("unit", ["ns", "s"])
def test_start_times_as_arrays_or_dicts_and_both_files_at_once_give_the_same_bytes(tmp_path, monkeypatch, unit):
    import discourse.output.xml
    from discourse.output.gexf import write_gexf_with_timeline
    monkeypatch.setattr(discourse.output.xml, "CHUNK", 7)  # many chunks, shared fields across files
    graph = awkward_graph()
    nodes, edges = list(graph), list(graph.edges)
    rng = np.random.default_rng(3)
    seconds = rng.integers(-10**9, 2 * 10**9, len(nodes) + len(edges))
    times = np.array(pd.to_datetime(seconds, unit="s").as_unit(unit))  # UTC wall times
    times[::5] = np.datetime64("NaT")
    node_times, edge_times = times[:len(nodes)], times[len(nodes):]
    as_dict = lambda keys, values: {k: pd.Timestamp(v, tz="UTC") for k, v in zip(keys, values) if not np.isnat(v)}
    options = viz_options(graph)
    write_gexf(graph, tmp_path / "static.gexf", **options)
    write_gexf(graph, tmp_path / "dicts.gexf", node_start=as_dict(nodes, node_times),
               edge_start=as_dict(edges, edge_times), **options)
    write_gexf_with_timeline(graph, tmp_path / "pair.gexf", tmp_path / "pair_timeline.gexf",
                             node_start=node_times, edge_start=edge_times, **options)
    assert (tmp_path / "pair.gexf").read_bytes() == (tmp_path / "static.gexf").read_bytes()
    assert (tmp_path / "pair_timeline.gexf").read_bytes() == (tmp_path / "dicts.gexf").read_bytes()
    assert b' start="' in (tmp_path / "dicts.gexf").read_bytes()


@pytest.mark.parametrize("unit, low, high", [("ns", -10**18, 10**18), ("ns", -10**12, 10**12), ("s", -10**9, 10**9),
                                             ("ms", 1.7 * 10**12, 1.8 * 10**12), ("s", -10**11, 10**11)])
def test_second_texts_are_numpys_text_of_each_time(unit, low, high):
    from discourse.network.timeline import second_texts
    # 10**5 times: past the size where days and clock times are formatted once each and combined
    times = np.random.default_rng(5).integers(int(low), int(high), 10**5).astype(f"datetime64[{unit}]")
    expected = [f"<{text}>" for text in np.datetime_as_string(times, unit="s").tolist()]
    assert second_texts(times, "<", ">") == expected


def test_a_start_that_is_not_a_time_is_refused():
    with pytest.raises(ExportError, match="start time of 'a'"):
        format_gexf(nx.DiGraph([("a", "b")]), node_start={"a": "soon"})


# The writers format whole columns and write rows in chunks; these pin that to the row-by-row
# meaning: hostile text escaped per value, gaps, chunk edges, and GraphML equal to networkx's.

def sparse_hostile_graph(n=40):
    graph = nx.DiGraph()
    for i in range(n):
        name = f"{AWKWARD_NAMES[i % len(AWKWARD_NAMES)]} #{i}"
        values = {"note": f'{AWKWARD_NAMES[(i + 3) % len(AWKWARD_NAMES)]}\r\x01'} if i % 3 else {}
        if i % 4:
            values["score"] = float("nan") if i % 5 == 0 else i / 7
        graph.add_node(name, **values)  # some nodes have no value at all
    names = list(graph)
    for i in range(n):
        graph.add_edge(names[i], names[(i * 7 + 1) % n], weight=i % 3 + 1,
                       **({"why": "<&>\"'\t\n"} if i % 2 else {"flag": True}))
    return graph


def test_chunk_size_does_not_change_the_bytes(monkeypatch):
    import discourse.output.xml
    graph = sparse_hostile_graph()
    options = dict(positions=layout(graph), node_labels={n: f"<{n}>" for n in list(graph)[::2]},
                   node_start={n: "2024-01-01T00:00:00Z" for n in list(graph)[::3]})
    whole = format_gexf(graph, **options)
    monkeypatch.setattr(discourse.output.xml, "CHUNK", 3)
    assert format_gexf(graph, **options) == whole


@pytest.mark.parametrize("make", [nx.Graph, nx.DiGraph, nx.MultiGraph, nx.MultiDiGraph])
def test_edges_are_read_in_networkx_order(make):
    from discourse.output.xml import edge_lists
    graph = make(nx.gnm_random_graph(60, 300, seed=4, directed=make in (nx.DiGraph, nx.MultiDiGraph)))
    graph.add_edges_from([(3, 3), (5, 2), (2, 5)], kind="extra")  # a self-loop, both directions
    sources, targets, records = edge_lists(graph)
    assert list(zip(sources, targets, records)) == list(graph.edges(data=True))


@pytest.mark.parametrize("failing_call", [1, 5, 40])
def test_a_failed_write_is_raised_not_lost(monkeypatch, failing_call):
    # Rows are written from a second thread; its errors must reach the caller, early or late.
    import discourse.output.xml
    monkeypatch.setattr(discourse.output.xml, "CHUNK", 2)

    class FullDisk(io.BytesIO):
        calls = 0

        def write(self, data):
            self.calls += 1
            if self.calls >= failing_call:
                raise OSError("no space left on device")
            return super().write(data)

    rows = [f"row {i}" for i in range(100)]
    document = ["<rows>\n", (["  <", discourse.output.xml.slices(rows), "/>\n"], len(rows)), "</rows>\n"]
    discourse.output.xml.write_pieces(whole := io.BytesIO(), document)
    assert whole.getvalue().decode().splitlines()[1:3] == ["  <row 0/>", "  <row 1/>"]
    with pytest.raises(OSError, match="no space"):
        discourse.output.xml.write_pieces(FullDisk(), document)


def test_hostile_values_and_gaps_read_back_row_by_row():
    graph = sparse_hostile_graph()
    back = nx.read_gexf(io.BytesIO(format_gexf(graph).encode("utf-8")))
    assert list(back) == list(graph)
    for node, data in graph.nodes(data=True):
        read = back.nodes[node]
        assert read.get("note") == (data["note"].replace("\x01", "\ufffd") if "note" in data else None)
        score = data.get("score")
        assert read.get("score") == (None if score is None or math.isnan(score) else pytest.approx(score))
    for u, v, data in graph.edges(data=True):
        assert back.edges[u, v].get("why") == data.get("why")
    nodes = parsed(format_gexf(graph)).iter(f"{GEXF_NS}node")
    assert any(node.find(f"{GEXF_NS}attvalues") is None for node in nodes)


@pytest.mark.parametrize("make", [awkward_graph, sparse_hostile_graph])
def test_graphml_bytes_equal_networkx(make, tmp_path):
    from discourse.output.graphml import _write_with_networkx
    graph = make()
    graph.graph["note"] = "a\r<b>"
    write_graphml(graph, tmp_path / "fast.graphml")
    _write_with_networkx(graph, tmp_path / "networkx.graphml")
    assert (tmp_path / "fast.graphml").read_bytes() == (tmp_path / "networkx.graphml").read_bytes()


@pytest.mark.parametrize("when", [
    pd.Timestamp("2024-06-01T10:00:00.7+02:00"), pd.Timestamp("1969-12-31T23:59:59.5Z"),
    pd.Timestamp("2024-06-01T07:30:00.999999999"), pd.Timestamp("1900-01-01").as_unit("s"), pd.NaT,
])
def test_timestamps_are_written_as_each_would_be_alone(when):
    from discourse.network.timeline import start_attribute as _start
    # "b" gets the same time as text, which takes the one-at-a-time path
    text = format_gexf(nx.DiGraph([("a", "b")]),
                       node_start={"a": when, "b": None if when is pd.NaT else str(when)})
    assert _start("a", when) in text
    starts = [node.get("start") for node in parsed(text).iter(f"{GEXF_NS}node")]
    assert starts[0] == starts[1]
