"""Threads in other languages: detected offline, read with their stop words (Chinese and
Japanese segmented), labelled in their language."""

import re

import pandas as pd
import pytest

from discourse.model.tree import complete_tree
from discourse.topics import find_topics
from discourse.topics.languages import detect_language, localise, prepare

# Invented threads: a German one on two subjects, a Chinese one on two subjects.
GERMAN = [
    ("d1", None, "Anna", "Die Bundesregierung will keine Taurus Marschflugkörper an die Ukraine liefern."),
    ("d2", "d1", "Bernd", "Die Taurus Marschflugkörper haben eine große Reichweite, deshalb zögert Berlin."),
    ("d3", "d2", "Anna", "Ohne Taurus Marschflugkörper fehlt der Ukraine eine wichtige Waffe."),
    ("d4", "d3", "Clara", "Ich finde, die Lieferung der Taurus Marschflugkörper ist längst überfällig."),
    ("d5", None, "Dieter", "Die Deutsche Bahn hat schon wieder Verspätung, der Regionalzug fiel aus."),
    ("d6", "d5", "Erika", "Die Verspätung der Deutschen Bahn kostet mich jeden Morgen eine Stunde."),
    ("d7", "d6", "Dieter", "Der Regionalzug hatte gestern zwanzig Minuten Verspätung, danke Bahn."),
    ("d8", "d7", "Bernd", "Bei der Bahn ist Verspätung leider normal, der Regionalzug ist oft voll."),
]
CHINESE = [
    ("z1", None, "小王", "请问能分享一下python代码吗？我手头有几百篇文献要处理。"),
    ("z2", "z1", "老李", "文献处理可以用python代码，先把文献转换成文本。"),
    ("z3", "z2", "小王", "谢谢！文献太多了，python代码能批量处理文献吗？"),
    ("z4", "z3", "阿明", "可以的，python代码批量处理文献很方便。"),
    ("z5", None, "阿明", "机器学习模型的训练数据应该怎么准备？"),
    ("z6", "z5", "老李", "训练数据要先清洗，机器学习模型对训练数据很敏感。"),
    ("z7", "z6", "小王", "机器学习模型需要大量训练数据，数据标注也很重要。"),
    ("z8", "z7", "阿明", "哈哈，训练数据的标注确实最花时间，机器学习模型才能学好。"),
]


def table(rows, thread):
    return pd.DataFrame([{"comment_id": c, "parent_id": p, "thread_id": thread, "author": a, "text": t}
                         for c, p, a, t in rows])


@pytest.fixture(scope="module")
def result():
    return find_topics(complete_tree(pd.concat([table(GERMAN, "de"), table(CHINESE, "zh")], ignore_index=True)))


def test_each_thread_is_read_in_its_own_language():
    assert detect_language(" ".join(t for *_, t in GERMAN)) == "de"
    assert detect_language(" ".join(t for *_, t in CHINESE)) == "zh"
    assert detect_language("これは日本語の文章です。東京の天気は晴れです。") == "ja"
    assert detect_language("The Winter War ended in 1940 and Finland kept its independence.") == "en"
    assert detect_language("") == "en"


def test_labels_are_in_the_thread_language(result):
    rows = result.subthreads[result.subthreads["level"] == 1].set_index("subthread_id")["label"]
    cjk = re.compile(r"[\u4e00-\u9fff]")
    assert "Taurus" in rows["d1"] or "Marschflugkörper" in rows["d1"]
    assert "Bahn" in rows["d5"] or "Verspätung" in rows["d5"] or "Regionalzug" in rows["d5"]
    # German stop words and filler never label ("die", "der", "danke").
    assert not [label for label in rows[["d1", "d5"]] if re.search(r"\b(die|der|danke|ich)\b", label, re.I)]
    # Chinese labels are Chinese words, not sentences, and hold no filler ("请问", "谢谢", "哈哈").
    for sub in ("z1", "z5"):
        assert cjk.search(rows[sub]) and len(rows[sub]) <= 12 and " " not in rows[sub]
        assert not re.search("请问|谢谢|哈哈|一下", rows[sub])
    assert "文献" in rows["z1"] or "代码" in rows["z1"]
    assert "训练" in rows["z5"] or "机器" in rows["z5"] or "模型" in rows["z5"]
    # The two threads never share a topic.
    topics = result.subthreads.set_index("subthread_id")["topic_id"]
    assert not set(topics[["d1", "d5"]]) & set(topics[["z1", "z5"]])


def test_texts_are_made_ready_for_their_language():
    assert prepare(["Die Bahn ist zu spät."], "de") == ["the Bahn the the spät."]
    assert prepare(["Winter War"], "en") == ["Winter War"]
    assert prepare(["机器学习，很重要。"], "zh")[0].startswith("机器 学习 ,")
    assert localise("Bahn and Verspätung", "de") == "Bahn und Verspätung"
    assert localise("Bahn and Verspätung", "fr") == "Bahn et Verspätung"


def test_images_draw_chinese_labels_when_the_system_has_a_font():
    import warnings

    from discourse.drawing import fonts
    from discourse.drawing.common import new_figure, save_figure

    if len(fonts.families()) == 1:
        pytest.skip("no CJK font on this system (Debian: fonts-noto-cjk)")
    labels = ["处理文献", "训练数据", "東京の天気", "Taurus Marschflugkörper"]
    assert fonts.undrawable(labels) == []
    with warnings.catch_warnings(record=True) as caught, fonts.drawing():
        warnings.simplefilter("always")
        figure = new_figure(3, 1)
        for i, label in enumerate(labels):
            figure.text(0.1, 0.2 * i, label)
        import io
        save_figure(figure, io.BytesIO(), "png")
    assert not [w for w in caught if "Glyph" in str(w.message)]


def test_labels_no_font_draws_are_named_once():
    from discourse.drawing import fonts

    # A private-use character no font holds, twice: named once.
    assert fonts.undrawable(["ok label", "\ue000 label", "\ue000 label"]) == ["\ue000 label"]


def test_a_thread_language_is_told_from_a_bounded_sample_of_its_texts():
    import numpy as np

    from discourse.topics.languages import thread_languages

    class Counted:
        """Texts by position that count which positions were read."""

        def __init__(self, texts):
            self.texts, self.read = texts, set()

        def __getitem__(self, position):
            self.read.add(position)
            return self.texts[position]

        def __len__(self):
            return len(self.texts)

    german = "Die Bundesregierung liefert keine Taurus Marschflugkörper an die Ukraine, sagt der Kanzler."
    english = "The Winter War ended in 1940 and Finland kept its independence after that war."
    # Two interleaved threads of 5,000 comments each, and a thread of short texts that needs more.
    texts = [german, english] * 5000 + ["ja"] * 400
    codes = np.array([0, 1] * 5000 + [2] * 400)
    counted = Counted(texts)
    assert thread_languages(counted, codes, 4) == ["de", "en", "en", "en"]
    assert len(counted.read) < 400  # a few texts per thread, not ten thousand
    assert max(p for p in counted.read if codes[p] < 2) < 40  # each thread's first texts


def test_labels_no_font_draws_are_said_once_in_the_report_and_on_stderr(tmp_path):
    import json
    import warnings

    from discourse import analyze, write_outputs

    # A commenter whose name holds a private-use character no font has.
    rows = [{"comment_id": "a", "parent_id": None, "thread_id": "t", "author": "Ann\ue000",
             "text": "Sourdough starter needs rye flour every day."},
            {"comment_id": "b", "parent_id": "a", "thread_id": "t", "author": "Bob",
             "text": "My sourdough starter smells of rye flour."},
            {"comment_id": "c", "parent_id": "b", "thread_id": "t", "author": "Ann\ue000",
             "text": "Feed the sourdough starter twice."}]
    source = tmp_path / "thread.jsonl"
    source.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        write_outputs(analyze(source), tmp_path / "out", only=["network.png", "subthreads.png", "report.md"])
    said = [w for w in caught if "no font on this system" in str(w.message).lower()]
    assert len(said) == 1 and "Ann\ue000" in str(said[0].message)
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    notes = [line for line in report.splitlines() if "No font on this system draws" in line]
    assert len(notes) == 1 and "Ann" in notes[0]
