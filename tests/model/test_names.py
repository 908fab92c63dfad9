"""Alias files, merging names, and the pairs `discourse aliases` proposes."""

import networkx as nx
import pandas as pd
import pytest

from discourse import Corpus, complete_tree, find_aliases, merge_aliases, read_aliases, read_corpus
from discourse.cli import main
from discourse.exceptions import FormatError
from discourse.model.names import FOUND_COLUMNS, fold
from discourse.model.view import comment_view
from discourse.network.graph import aggregate_edges, build_graph, edge_records
from shared_data import sample


def _corpus(authors, texts=None, threads=None, **columns):
    n = len(authors)
    comments = complete_tree(pd.DataFrame({
        "comment_id": [str(i) for i in range(n)], "thread_id": threads or ["t"] * n,
        "parent_id": [None] + [str(i - 1) for i in range(1, n)], "author": authors,
        "text": texts or ["hello"] * n, **columns}))
    return Corpus(comments)


def _write(tmp_path, text, name="aliases.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- alias files ---------------------------------------------------------------------------------

def test_read_aliases_resolves_groups_and_chains(tmp_path):
    path = _write(tmp_path, "\ufeffalias,name,score\nBen,Ben Balter,0.6\n\n Ben  Balter ,Benjamin J. Balter,0.8\n"
                            "Marc Chéhab,Marc Chehab,1\n")
    assert read_aliases(path) == {"Ben": "Benjamin J. Balter", "Ben Balter": "Benjamin J. Balter",
                                  "Marc Chéhab": "Marc Chehab"}


@pytest.mark.parametrize("text, words", [
    ("name,who\nA,B\n", "the header is name,who"),
    ("alias,name\nA,\n", "line 2"),
    ("alias,name\nA,B\nA,C\n", "names 'B' and 'C'"),
    ("alias,name\nA,B\nB,A\n", "a loop"),
    ("", "the header is (empty)"),
])
def test_read_aliases_errors_name_the_file_and_what_is_wrong(tmp_path, text, words):
    path = _write(tmp_path, text)
    with pytest.raises(FormatError, match=str(path)) as error:
        read_aliases(path)
    assert words in str(error.value)


def test_read_aliases_rejects_bytes_that_are_not_utf8(tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_bytes(b"alias,name\nMarc Ch\xe9hab,Marc\n")
    with pytest.raises(FormatError, match="UTF-8"):
        read_aliases(path)


# -- merging -------------------------------------------------------------------------------------

def test_merge_aliases_renames_every_name_column_and_keeps_the_name_as_read():
    corpus = _corpus(["Ben Balter", "Ann", "Ben", None],
                     quoted_authors=[None, "Ben;Ann", None, None], addressee=[None, "Ben", None, None])
    corpus = Corpus(corpus.comments, threads=pd.DataFrame({"thread_id": ["t"], "post_author": ["Ben"]}))
    merged = merge_aliases(corpus, {"Ben": "Ben Balter"})
    comments = merged.comments
    assert comments["author"].tolist()[:3] == ["Ben Balter", "Ann", "Ben Balter"]
    assert pd.isna(comments["author"].iloc[3])
    assert comments["quoted_authors"].iloc[1] == "Ben Balter;Ann"
    assert comments["addressee"].iloc[1] == "Ben Balter"
    assert merged.threads["post_author"].tolist() == ["Ben Balter"]
    assert comments["is_post_author"].tolist()[:3] == [True, False, True]
    assert comments["meta_author_as_read"].tolist()[2] == "Ben" and comments["meta_author_as_read"].isna().sum() == 3
    assert merged.aliases == {"Ben": "Ben Balter"}
    assert corpus.comments["author"].tolist()[2] == "Ben"  # the input is left as it was


def test_a_mention_of_an_alias_counts_for_the_merged_name():
    corpus = _corpus(["Benjamin Balter", "Ann", "Cyd"],
                     texts=["a post about gardens", "I agree with Benny Balter here", "@benny yes"])
    merged = merge_aliases(corpus, {"Benny Balter": "Benjamin Balter", "benny": "Benjamin Balter"})
    records = edge_records(merged.comments, aliases=merged.aliases)
    mentions = records[records["kind"] == "mention"]
    assert sorted(zip(mentions["source"], mentions["target"])) == [("Ann", "Benjamin Balter"),
                                                                   ("Cyd", "Benjamin Balter")]
    plain = edge_records(merged.comments)
    assert "Benjamin Balter" not in set(plain.loc[plain["kind"] == "mention", "target"])


# -- finding -------------------------------------------------------------------------------------

def _pairs(table):
    return {frozenset((row.alias, row.name)): row for row in table.itertuples()}


def test_find_aliases_applies_each_rule_with_its_evidence():
    names = ["Marc Chehab", "Marc Chéhab", "ann lee", "Ann Lee", "Jo-Anne Smith", "JoAnne Smith",
             "Smith, Kai", "Kai Smith", "Benjamin J. Balter", "Ben Balter", "Zed", "Zed Quorra",
             "Pat", "Pat Ng", "Pat Oyelaran", "Rui", "rui_costa"]
    table = find_aliases(_corpus(names, meta_author_username=[None] * 15 + [None, "RuiCosta"]))
    assert list(table.columns) == list(FOUND_COLUMNS)
    pairs = _pairs(table)
    expected = {("Marc Chehab", "Marc Chéhab"): "accents", ("ann lee", "Ann Lee"): "case",
                ("Jo-Anne Smith", "JoAnne Smith"): "punctuation or spacing", ("Smith, Kai", "Kai Smith"): "word order",
                ("Benjamin J. Balter", "Ben Balter"): "initials", ("Zed", "Zed Quorra"): "contained"}
    for pair, kind in expected.items():
        assert pairs[frozenset(pair)].evidence.startswith(kind + ":"), (pair, pairs[frozenset(pair)].evidence)
    # "Pat" is in two names: no pair on that alone
    assert frozenset(("Pat", "Pat Ng")) not in pairs and frozenset(("Pat", "Pat Oyelaran")) not in pairs
    assert table["score"].is_monotonic_decreasing
    assert table["score"].between(0, 1).all()
    # the name kept is the fuller one
    assert pairs[frozenset(("Zed", "Zed Quorra"))].name == "Zed Quorra"


def test_find_aliases_uses_accounts_and_post_authors():
    authors = ["Ann Ode", "Ann", "Bo", "Ann", "Ann Oden", "Cy", "Cy Ray"]
    corpus = _corpus(authors, threads=["t1", "t1", "t1", "t1", "t2", "t2", "t2"],
                     meta_author_username=["annode", None, "bo1", None, "annode", None, None])
    corpus = Corpus(corpus.comments, threads=pd.DataFrame({"thread_id": ["t1", "t2"], "post_author": ["Ann Ode", "Zo"]}))
    pairs = _pairs(find_aliases(corpus))
    assert "same account" in pairs[frozenset(("Ann Ode", "Ann Oden"))].evidence
    # "Ann" is in "Ann Ode" and "Ann Oden" (not unique), but "Ann Ode" wrote the post of Ann's thread
    ann = pairs[frozenset(("Ann", "Ann Ode"))]
    assert "post author" in ann.evidence and "not unique" not in ann.evidence or "other name" in ann.evidence
    assert frozenset(("Ann", "Ann Oden")) not in pairs
    assert frozenset(("Cy", "Cy Ray")) in pairs  # unique containment


def test_find_aliases_on_nothing_to_compare():
    assert find_aliases(_corpus([None, "...", "Ann"])).empty
    assert fold("ÅNGSTRÖM") == "angstrom"


def test_aliases_command_writes_a_csv_to_stdout_and_to_a_file(tmp_path, capsys):
    table = tmp_path / "comments.csv"
    _corpus(["Marc Chehab", "Marc Chéhab"]).comments.to_csv(table, index=False)
    assert main(["aliases", str(table), "-q"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == ",".join(FOUND_COLUMNS) and "Marc Chehab,Marc Chéhab" in out  # a tie: by name
    assert main(["aliases", str(table), "-o", str(tmp_path / "found.csv"), "-q"]) == 0
    assert read_aliases(tmp_path / "found.csv") == {"Marc Chehab": "Marc Chéhab"}


def test_aliases_command_never_replaces_a_reviewed_file_or_an_input(tmp_path, capsys):
    table = tmp_path / "comments.csv"
    _corpus(["Marc Chehab", "Marc Chéhab"]).comments.to_csv(table, index=False)
    reviewed = tmp_path / "aliases.csv"
    reviewed.write_text("alias,name\nMarc Chehab,Marc Chéhab\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["aliases", str(table), "-o", str(reviewed), "-q"]) == 1
    assert "exists; use --force" in capsys.readouterr().err
    assert reviewed.read_text(encoding="utf-8") == "alias,name\nMarc Chehab,Marc Chéhab\n"
    before = table.read_bytes()
    assert main(["aliases", str(table), "-o", str(table), "-q", "--force"]) == 1
    assert table.read_bytes() == before
    assert main(["aliases", str(table), "-o", str(reviewed), "-q", "--force"]) == 0
    assert reviewed.read_text(encoding="utf-8").startswith(",".join(FOUND_COLUMNS))
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_the_disqus_sample_ben_and_marc():
    corpus = read_corpus(sample("disqus-export-benbalter.xml"))
    table = find_aliases(corpus)
    pairs = _pairs(table)
    for pair in [("Ben", "Ben Balter"), ("Ben Balter", "Benjamin J. Balter"), ("Marc Chehab", "Marc Chéhab")]:
        assert frozenset(pair) in pairs
    bens = table[table["alias"].str.startswith("Ben") & table["name"].str.contains("Balter")]
    merged = merge_aliases(corpus, dict(zip(bens["alias"], bens["name"])))
    authors = merged.comments["author"]
    balters = {a for a in authors.dropna() if a in ("Ben", "Ben Balter", "Benjamin J. Balter")}
    assert len(balters) == 1
    (ben,) = balters
    assert (authors == ben).sum() == sum((corpus.comments["author"] == a).sum()
                                         for a in ("Ben", "Ben Balter", "Benjamin J. Balter"))
    view = comment_view(merged.comments)
    records = edge_records(merged.comments, aliases=merged.aliases, view=view)
    graph = build_graph(merged.comments, aggregate_edges(records, view))
    pagerank = nx.pagerank(graph)
    assert max(pagerank, key=pagerank.get) == ben


def test_convert_merges_aliases_and_a_bad_alias_file_is_one_error_line(tmp_path, capsys):
    table = tmp_path / "comments.csv"
    _corpus(["Marc Chehab", "Ann", "Marc Chéhab"]).comments.to_csv(table, index=False)
    aliases = _write(tmp_path, "alias,name\nMarc Chéhab,Marc Chehab\n")
    out = tmp_path / "merged.csv"
    assert main(["convert", str(table), "--alias", str(aliases), "-o", str(out), "-q"]) == 0
    merged = pd.read_csv(out)
    assert merged["author"].dropna().tolist() == ["Marc Chehab", "Ann", "Marc Chehab"]
    assert merged["meta_author_as_read"].dropna().tolist() == ["Marc Chéhab"]
    bad = _write(tmp_path, "who,name\nA,B\n", "bad.csv")
    assert main(["analyze", str(table), "--alias", str(bad), "-o", str(tmp_path / "o"), "-q"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("error: ") and "bad.csv" in error and error.count("\n") == 1
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())  # refused before any work
