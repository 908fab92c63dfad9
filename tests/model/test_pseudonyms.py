"""Pseudonymised corpora and outputs: no original name survives in any byte written."""

import importlib.util
import json
from pathlib import Path

import pandas as pd
import pytest

from discourse import Corpus, Pseudonyms, complete_tree, merge_aliases, pseudonymise
from discourse.cli import main
from discourse.exceptions import ExportError
from discourse.model import pseudonyms as module
from discourse.model.pseudonyms import KEY_HEADER, check_key_path, pseudonym_key

_SPEC = importlib.util.spec_from_file_location("name_leaks", Path(__file__).parents[2] / "scripts" / "name_leaks.py")
name_leaks = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(name_leaks)


# -- the key -------------------------------------------------------------------------------------

def test_pseudonyms_are_stable_for_a_salt_and_differ_between_salts():
    names = ["Zelda Quarrington", "Órla Ní Bhriain", "x"]
    key = pseudonym_key(names, "s1")
    assert key == pseudonym_key(reversed(names), "s1")
    assert set(key.values()).isdisjoint(pseudonym_key(names, "s2").values())
    assert all(value.startswith("user-") and len(value) == 11 for value in key.values())


def test_names_whose_digits_agree_get_more_digits(monkeypatch):
    monkeypatch.setattr(module, "_digest", lambda name, salt: {"a": "abcdef12", "b": "abcdef34", "c": "99999999"}[name])
    assert pseudonym_key(["a", "b", "c"], "s") == {"a": "user-abcdef12", "b": "user-abcdef34", "c": "user-999999"}


def test_without_a_salt_each_run_draws_another():
    corpus = _corpus()
    first, _ = pseudonymise(corpus)
    second, _ = pseudonymise(corpus)
    assert first.comments["author"].dropna().tolist() != second.comments["author"].dropna().tolist()


# -- texts ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("@Zelda Quarrington thanks", "@Z thanks"),
    ("zelda QUARRINGTON: no", "Z: no"),
    ("As Zelda Quarrington wrote, yes", "As Z wrote, yes"),
    ("Zelda, you said", "Z, you said"),          # the first word addressing, opening the comment
    ("@zelda hi", "@Z hi"),
    ("as Zelda says", "as Zelda says"),          # a first name in a sentence names nobody alone
    ("orla ni bhriain and Órla Ní Bhriain", "O and O"),
    ("O\u0301rla Ni\u0301 Bhriain agrees", "O agrees"),   # NFD
    ("Zelda Quarringtonia is a town", "Zelda Quarringtonia is a town"),
    ("see https://example.org/zelda-quarrington or www.zq.example", "see [url] or [url]"),
    ("write to zelda.q+news@mail.example.org", "write to [email]"),
    ("@x yes, x marks", "@X yes, x marks"),      # a one-letter name only after "@"
    ("@Kim and @kim", "@[name] and @[name]"),    # two Kims: a short form of both
])
def test_names_urls_and_addresses_are_masked_in_texts(text, expected):
    pseudonyms = Pseudonyms({"Zelda Quarrington": "Z", "Órla Ní Bhriain": "O", "x": "X", "Kim Lo": "K1",
                             "Kim Ra": "K2"})
    assert pseudonyms.text(text) == expected


# -- a corpus ------------------------------------------------------------------------------------

def _corpus():
    comments = complete_tree(pd.DataFrame({
        "comment_id": ["1", "2", "3", "4"], "thread_id": "t", "parent_id": [None, "1", "2", "9"],
        "author": ["Zelda Quarrington", "Órla Ní Bhriain", "Zed", "Kwame Mensah"],
        "text": ["Hello all", "@Zelda Quarrington no", "Órla Ní Bhriain: see zelda@example.org", "Zed, hi"],
        "quoted_authors": [None, "Zelda Quarrington", None, None], "addressee": [None, None, None, "Zed"],
        "meta_author_username": ["zq", None, None, "kwame_m"], "meta_subject": ["Re: Zed", None, None, None]}))
    threads = pd.DataFrame({"thread_id": ["t"], "title": ["Ask Zelda Quarrington"], "url": ["https://zq.example/a"],
                            "post_author": ["Zelda Quarrington"]})
    skipped = pd.DataFrame({"source_path": ["zq.csv"], "record": ["7"], "reason": ["spam by Kwame Mensah"]})
    return Corpus(comments, threads=threads, skipped=skipped)


def test_pseudonymise_replaces_names_everywhere_and_keeps_ids():
    corpus = _corpus()
    out, pseudonyms = pseudonymise(corpus, salt="s")
    key = pseudonyms.key
    comments = out.comments
    assert comments.set_index("comment_id").loc[["1", "2", "3", "4"], "author"].tolist() == [
        key["Zelda Quarrington"], key["Órla Ní Bhriain"], key["Zed"], key["Kwame Mensah"]]
    by_id = comments.set_index("comment_id")
    assert by_id.loc["2", "quoted_authors"] == key["Zelda Quarrington"]
    assert by_id.loc["4", "addressee"] == key["Zed"]
    assert by_id.loc["1", "meta_author_username"] == key["Zelda Quarrington"] == key["zq"]
    assert by_id.loc["1", "meta_subject"] == f"Re: {key['Zed']}"
    assert by_id.loc[["2", "3"], "text"].tolist() == [f"@{key['Zelda Quarrington']} no",
                                                       f"{key['Órla Ní Bhriain']}: see [email]"]
    assert out.threads[["title", "url", "post_author"]].values.tolist() == [
        [f"Ask {key['Zelda Quarrington']}", "[url]", key["Zelda Quarrington"]]]
    assert out.skipped["reason"].tolist() == [f"spam by {key['Kwame Mensah']}"]
    assert comments["comment_id"].tolist() == corpus.comments["comment_id"].tolist()
    assert comments["parent_id"].tolist() == corpus.comments["parent_id"].tolist()
    assert corpus.comments["author"].iloc[0] == "Zelda Quarrington"  # the input is left as it was


def test_an_alias_becomes_its_names_pseudonym():
    corpus = merge_aliases(_corpus(), {"Zed": "Zelda Quarrington"})
    out, pseudonyms = pseudonymise(corpus, salt="s")
    assert pseudonyms.key["Zed"] == pseudonyms.key["Zelda Quarrington"]
    assert out.comments["author"].nunique() == 3 and out.aliases == {}
    assert out.comments.set_index("comment_id").loc["4", "text"] == f"{pseudonyms.key['Zed']}, hi"


def test_the_key_is_written_only_where_asked_and_never_into_the_output(tmp_path):
    with pytest.raises(ExportError, match="inside the output folder"):
        check_key_path(tmp_path / "out" / "key.csv", tmp_path / "out")
    other = tmp_path / "notes.csv"
    other.write_text("my notes\n")
    with pytest.raises(ExportError, match="not a pseudonym key"):
        check_key_path(other)
    previous = tmp_path / "key.csv"
    previous.write_text(KEY_HEADER + "\nA,user-1\n")
    assert check_key_path(previous) == previous


# -- every output byte ---------------------------------------------------------------------------

_NAMES = ["Zelda Quarrington", "Órla Ní Bhriain", "Kwame Mensah-Boateng", "jürgen_wexley", "Thandiwe Okonkwo",
          "Ruairí Ó Dálaigh", "Ximena Llorente"]


def _invented(path):
    """A thread of replies among invented commenters who name each other every way people do."""
    rows, texts = [], [
        "What do you all think of the new bus lanes downtown?",
        "@Zelda Quarrington the lanes are fine but the timing of the lights is poor",
        "Órla Ní Bhriain: I disagree, see https://example.org/orla-ni-bhriain/lanes",
        "ZELDA QUARRINGTON and orla ni bhriain both miss the point about cyclists",
        "Mail kwame.mensah@example.org if you want the council's figures on bus lanes",
        "Kwame Mensah-Boateng, thanks. @jürgen_wexley had the same figures on cyclists",
        "As Thandiwe Okonkwo said, the timing of the lights is the real problem downtown",
        "Ruairí Ó Dálaigh wrote about this <b>last year</b> & \"Ximena Llorente\" agreed",
        "R\u0075airi\u0301 O\u0301 Da\u0301laigh (NFD) and ximena llorente: lights and lanes again",
        "@Thandiwe Okonkwo @Kwame Mensah-Boateng the council meets on Tuesday about the lanes",
    ]
    for i, text in enumerate(texts):
        rows.append({"comment_id": f"c{i}", "thread_id": "lanes", "parent_id": None if i == 0 else f"c{(i - 1) // 2}",
                     "author": _NAMES[i % len(_NAMES)], "created_at": f"2024-03-0{1 + i % 9}T10:00:00Z", "text": text,
                     "meta_author_username": _NAMES[i % len(_NAMES)].split()[0].lower() + "99"})
    pd.DataFrame(rows).to_csv(path, index=False)


def test_no_original_name_survives_in_any_output_byte(tmp_path):
    data = tmp_path / "lanes.csv"
    _invented(data)
    key = tmp_path / "key.csv"
    out, convokit, per_thread = tmp_path / "out", tmp_path / "convokit", tmp_path / "per-thread"
    assert main(["analyze", str(data), "--pseudonymise", "--salt", "Zelda Quarrington", "--pseudonym-key",
                 str(key), "-o", str(out), "--edges", "reply,mention,quote", "-q"]) == 0
    assert main(["analyze", str(data), "--pseudonymise", "-o", str(per_thread), "--per-thread", "-q"]) == 0
    assert main(["convert", str(data), "--to", "convokit", "--pseudonymise", "-o", str(convokit), "-q"]) == 0
    names = name_leaks.original_names([data])
    assert set(_NAMES) <= names
    for folder in (out, per_thread, convokit):
        assert name_leaks.find_names(folder, names) == [], folder
    written = {p.name for p in out.iterdir()}
    assert {"comments.csv", "graph.gexf", "graph.graphml", "network.html", "report.html", "tables.xlsx",
            "run.json", "network.png"} <= written
    record = json.loads((out / "run.json").read_text())
    assert "[salt]" in record["command"]  # the salt (here itself a name) is never written
    table = pd.read_csv(key)
    assert set(_NAMES) <= set(table["name"]) and table["pseudonym"].str.startswith("user-").all()
    # the check can fail: the same outputs without pseudonyms hold every name
    plain = tmp_path / "plain"
    assert main(["analyze", str(data), "-o", str(plain), "-q"]) == 0
    assert {name for _, name, _ in name_leaks.find_names(plain, names)} >= set(_NAMES)
