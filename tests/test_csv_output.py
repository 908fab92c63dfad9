import csv

import pandas as pd
import pytest

from discourse.export import write_csv
from discourse.readers import read_corpus
from discourse.schema import neutralize_formula, restore_formula


@pytest.mark.parametrize("value, written", [
    ("=HYPERLINK(\"http://example.com\")", "'=HYPERLINK(\"http://example.com\")"),
    ("+1", "'+1"), ("-2 pumps", "'-2 pumps"), ("@everyone", "'@everyone"), ("\tindent", "'\tindent"),
    ("'=already", "''=already"), ("plain text", "plain text"), ("'quoted", "'quoted"), ("", ""),
])
def test_formula_cells_are_neutralized_and_restored(value, written):
    assert neutralize_formula(value) == written
    assert restore_formula(written) == value


def test_comments_csv_is_safe_in_a_spreadsheet_and_reads_back(tmp_path):
    table = pd.DataFrame({"comment_id": ["a", "b"], "thread_id": "t", "parent_id": [None, "a"],
                          "author": ["=cmd|' /C calc'!A0", "@bob"], "text": ["-1 to this", "+1 agreed"]})
    path = tmp_path / "comments.csv"
    write_csv(table, path)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert [r["author"] for r in rows] == ["'=cmd|' /C calc'!A0", "'@bob"]
    assert [r["text"] for r in rows] == ["'-1 to this", "'+1 agreed"]
    back = read_corpus(path).comments
    assert back["author"].tolist() == ["=cmd|' /C calc'!A0", "@bob"]
    assert back["text"].tolist() == ["-1 to this", "+1 agreed"]
