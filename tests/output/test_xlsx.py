"""tables.xlsx's writer: text cells that never run, numbers as numbers, Excel's limits, same bytes."""

import zipfile
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd

from discourse.output import xlsx
from discourse.output.xlsx import MAX_CELL, write_xlsx

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def _book(path):
    """{sheet name: (dimension, [[(reference, type, value), ...] per row])}, read with the standard library."""
    with zipfile.ZipFile(path) as book:
        names = [s.get("name") for s in ET.fromstring(book.read("xl/workbook.xml")).iterfind("m:sheets/m:sheet", _NS)]
        sheets = {}
        for number, name in enumerate(names, 1):
            root = ET.fromstring(book.read(f"xl/worksheets/sheet{number}.xml"))
            rows = [[(c.get("r"), c.get("t"), "".join(c.itertext())) for c in row.iterfind("m:c", _NS)]
                    for row in root.iterfind("m:sheetData/m:row", _NS)]
            sheets[name] = (root.find("m:dimension", _NS).get("ref"), rows)
    return sheets


TABLE = pd.DataFrame({
    "text": ["=1+1", "@bob", "-2 pumps", "a\x01b", "_x0041_", "x" * (MAX_CELL + 10), None, "<b>&amp;</b>"],
    "count": [1, 2, 3, 4, 5, 6, 7, 8],
    "share": [1.5, np.nan, np.inf, 1e-5, 2.0, 3.0, -0.0, 0.25],
    "flag": [True, False, True, True, False, False, True, False],
    "when": pd.to_datetime(["2024-01-01T10:00:00Z", None, None, None, None, None, None, "1999-01-01T00:00:00Z"],
                           utc=True),
    "maybe": pd.array([1, None, 3, 4, 5, 6, 7, 8], dtype="Int64")})


def test_cells_keep_their_kind_and_text_never_runs(tmp_path):
    write_xlsx([("t", TABLE)], tmp_path / "t.xlsx")
    dimension, rows = _book(tmp_path / "t.xlsx")["t"]
    assert dimension == "A1:F9" and len(rows) == 9
    assert [value for _, _, value in rows[0]] == list(TABLE.columns)
    first = {reference: (kind, value) for reference, kind, value in rows[1]}
    assert first == {"A2": ("inlineStr", "=1+1"), "B2": (None, "1"), "C2": (None, "1.5"), "D2": ("b", "1"),
                     "E2": ("inlineStr", "2024-01-01T10:00:00Z"), "F2": (None, "1")}
    assert [reference for reference, _, _ in rows[2]] == ["A3", "B3", "D3"]  # missing and infinite: no cell
    texts = [row[0][2] for row in rows[1:] if row[0][0].startswith("A")]
    assert texts[:5] == ["=1+1", "@bob", "-2 pumps", "a_x0001_b", "_x005F_x0041_"]  # Excel's own escapes
    assert texts[5] == "x" * MAX_CELL and texts[6] == "<b>&amp;</b>"
    assert all(kind in (None, "b", "inlineStr") for row in rows for _, kind, _ in row)  # no formula, no shared
    assert rows[7][:2] == [("B8", None, "7"), ("C8", None, "0")]  # no text: no cell A8


def test_a_table_longer_than_a_sheet_goes_on_in_further_sheets(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_ROWS", 4)  # three rows and the header a sheet
    write_xlsx([("comments", TABLE), ("empty", TABLE.iloc[:0]), ("none", pd.DataFrame())], tmp_path / "t.xlsx")
    book = _book(tmp_path / "t.xlsx")
    assert list(book) == ["comments", "comments (2)", "comments (3)", "empty", "none"]
    assert [book[name][0] for name in book] == ["A1:F4", "A1:F4", "A1:F3", "A1:F1", "A1"]
    for name in ["comments", "comments (2)", "comments (3)", "empty"]:
        assert [value for _, _, value in book[name][1][0]] == list(TABLE.columns)  # each with the header
    counts = [value for name in ["comments", "comments (2)", "comments (3)"] for row in book[name][1][1:]
              for reference, _, value in row if reference.startswith("B")]
    assert counts == [str(n) for n in TABLE["count"]]  # every row once, in order


def test_the_same_tables_give_the_same_bytes(tmp_path):
    write_xlsx([("t", TABLE)], tmp_path / "a.xlsx")
    write_xlsx([("t", TABLE)], tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
