"""The cyclic garbage collector is paused while discourse reads, analyses and writes, and left as
the caller had it afterwards, whatever happens."""

import gc

import pytest

import discourse.readers as readers
from discourse import SAMPLE, pipeline, read_corpus, write_outputs
from discourse.output import write as export
from discourse._runtime.collector import collector_paused
from discourse.exceptions import DiscourseError


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


def test_the_collector_is_off_inside_and_on_again_after(collector_on):
    inside = []

    @collector_paused
    def outer():
        inside.append(gc.isenabled())
        inner()
        inside.append(gc.isenabled())  # the nested call did not turn it back on
        return "done"

    @collector_paused
    def inner():
        inside.append(gc.isenabled())

    assert outer() == "done" and inside == [False, False, False] and gc.isenabled()


def test_an_error_turns_the_collector_back_on_and_a_caller_may_keep_it_off(collector_on):
    @collector_paused
    def fail():
        raise DiscourseError("bad input")

    with pytest.raises(DiscourseError, match="bad input"):
        fail()
    assert gc.isenabled()
    gc.disable()
    collector_paused(lambda: None)()
    assert not gc.isenabled()


def test_reading_analysing_and_writing_run_with_the_collector_off(collector_on, monkeypatch, tmp_path):
    states = {}

    def spy(module, name):
        original = getattr(module, name)

        def recorded(*args, **kwargs):
            states[name] = gc.isenabled()
            return original(*args, **kwargs)
        monkeypatch.setattr(module, name, recorded)

    spy(readers, "combine")
    spy(pipeline, "build_graph")
    spy(export, "render_markdown")
    corpus = read_corpus(SAMPLE)
    assert gc.isenabled()
    write_outputs(pipeline.analyze_corpus(corpus), tmp_path / "out")
    assert states == {"combine": False, "build_graph": False, "render_markdown": False} and gc.isenabled()
