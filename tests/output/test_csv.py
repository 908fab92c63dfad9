import csv

import numpy as np
import pandas as pd
import pytest

from discourse.output.write import write_csv
from discourse.readers import read_corpus
from discourse.model.schema import neutralize_formula, restore_formula


@pytest.mark.parametrize("value, written", [
    ("=HYPERLINK(\"http://example.com\")", "'=HYPERLINK(\"http://example.com\")"),
    ("+1", "'+1"), ("-2 pumps", "'-2 pumps"), ("@everyone", "'@everyone"), ("\tindent", "'\tindent"),
    ("'=already", "''=already"), ("plain text", "plain text"), ("'quoted", "'quoted"), ("", ""),
])
def test_formula_cells_are_neutralized_and_restored(value, written):
    assert neutralize_formula(value) == written
    assert restore_formula(written) == value


def test_csv_cells_hold_exactly_the_values_and_read_back(tmp_path):
    table = pd.DataFrame({"comment_id": ["a", "b", "c"], "thread_id": "t", "parent_id": [None, "a", "a"],
                          "author": ["=cmd|' /C calc'!A0", "@bob", "-zimms-"], "text": ["-1 to this", "+1 agreed", "'q"]})
    path = tmp_path / "comments.csv"
    write_csv(table, path)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert [r["author"] for r in rows] == ["=cmd|' /C calc'!A0", "@bob", "-zimms-"]
    assert [r["text"] for r in rows] == ["-1 to this", "+1 agreed", "'q"]
    back = read_corpus(path).comments
    assert back["author"].tolist() == ["=cmd|' /C calc'!A0", "@bob", "-zimms-"]
    assert back["text"].tolist() == ["-1 to this", "+1 agreed", "'q"]


def test_older_apostrophe_guarded_csvs_read_back_as_their_values(tmp_path):
    # What discourse wrote before its CSVs held exact values: every formula-like cell guarded.
    path = tmp_path / "comments.csv"
    path.write_text("comment_id,thread_id,parent_id,author,text\n"
                    "a,t,,'@metacowboy,'-1 to this\nb,t,a,'-zimms-,''=already\nc,t,a,Ann,plain\n", encoding="utf-8")
    back = read_corpus(path).comments
    assert back["author"].tolist() == ["@metacowboy", "-zimms-", "Ann"]
    assert back["text"].tolist() == ["-1 to this", "'=already", "plain"]
    assert back["parent_id"].tolist()[1:] == ["a", "a"]


def _pandas_csv(frame, path):
    """What write_csv promises: pandas' own writer, times formatted, every other value as it is."""
    times = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c].dtype)]
    frame.assign(**{c: frame[c].dt.strftime("%Y-%m-%dT%H:%M:%SZ") for c in times}
                 ).to_csv(path, index=False, lineterminator="\n", date_format="%Y-%m-%dT%H:%M:%SZ")


def test_column_wise_csv_has_the_bytes_of_pandas_writer(tmp_path):
    # Over 10k rows: several chunks, a day/clock time table, quoting and formulas at chunk edges.
    rng = np.random.default_rng(11)
    n = 100_000
    pool = np.array(["", "a", "a,b", 'say "hi"', "line\nbreak", "cr\rhere", "=SUM(A1)", "+1", "-x", "@y",
                     "\tt", "'q", "ünï", "🦊", " sp ", "nul\0in", "x" * 40, "a\r\nb", '"', ",", "\n", "plain"],
                    dtype=object)
    gaps = rng.random(n) < 0.2
    text = pd.Series(pool[rng.integers(0, len(pool), n)], dtype=object).mask(gaps)
    frame = pd.DataFrame({
        "str": text.astype("str"), "string": text.astype("string"), "object": text,
        "mixed": pd.Series([[1], -2.5, None, -7, True, b"b", "=t"] * (n // 7) + [None] * (n % 7), dtype=object),
        "count": rng.integers(-3, 200, n), "big": rng.integers(-2**62, 2**62, n),
        "share": np.where(rng.random(n) < 0.1, np.nan, rng.normal(0, 1e5, n)),
        "flag": rng.random(n) < 0.5, "maybe": pd.array(rng.integers(0, 9, n), dtype="Int64"),
        "when": pd.to_datetime(rng.integers(-10**9, 2 * 10**9, n), unit="s", utc=True).where(~gaps),
    })
    frame.loc[gaps, "maybe"] = pd.NA
    _pandas_csv(frame, tmp_path / "expected.csv")
    write_csv(frame, tmp_path / "written.csv")
    assert (tmp_path / "written.csv").read_bytes() == (tmp_path / "expected.csv").read_bytes()
