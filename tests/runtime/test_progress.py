import multiprocessing

import pytest

import discourse._runtime.progress
from discourse.cli import main
from discourse._runtime.progress import StageBar, stages
from discourse._runtime.worker import can_fork


def test_an_enabled_bar_names_each_stage_and_counts_them(capsys, monkeypatch):
    monkeypatch.setattr(discourse._runtime.progress, "SHOW_AFTER", 0)
    with stages("analyzing x", 2, enabled=True) as advance:
        advance("topics")
        advance("edges")
    err = capsys.readouterr().err
    assert "analyzing x: 0/2 stages" in err and "topics" in err
    assert "analyzing x: 1/2 stages" in err and "edges" in err


def test_a_disabled_bar_writes_nothing(capsys, monkeypatch):
    monkeypatch.setattr(discourse._runtime.progress, "SHOW_AFTER", 0)
    with stages("analyzing x", 2, enabled=False) as advance:
        advance("topics")
    assert capsys.readouterr().err == ""


def test_the_cli_shows_no_bar_when_stderr_is_not_a_terminal(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(discourse._runtime.progress, "SHOW_AFTER", 0)
    assert main(["analyze", "-o", str(tmp_path / "out")]) == 0
    assert "stages" not in capsys.readouterr().err


def test_the_cli_shows_bars_on_a_terminal_unless_quiet(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(discourse._runtime.progress, "SHOW_AFTER", 0)
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    assert main(["analyze", "-o", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "reading" in err and "analyzing sample_thread" in err and "top stability" in err
    assert "writing out" in err and "network.png" in err
    assert main(["analyze", "-o", str(tmp_path / "out"), "--quiet"]) == 0
    assert capsys.readouterr().err == ""


def test_a_stage_bar_counts_its_stages_as_they_end_and_names_the_one_running(capsys, monkeypatch):
    monkeypatch.setattr(discourse._runtime.progress, "SHOW_AFTER", 0)
    with StageBar("analyzing x", ["build_graph", "top_stability"], enabled=True) as bar:
        bar("build_graph", "start")
        bar("find_topics", "start")  # not one of its stages: no count, no name
        bar("find_topics", "end")
        err = capsys.readouterr().err
        assert "analyzing x: 0/2 stages" in err and "build graph" in err and "find" not in err
        bar("build_graph", "end")
        bar("top_stability", "start")
        err = capsys.readouterr().err
        assert "analyzing x: 1/2 stages" in err and "top stability" in err and "2/2" not in err


@pytest.mark.skipif(not can_fork(), reason="workers are forked on Linux only")
def test_a_stage_bar_ignores_calls_from_a_worker_process(capfd, monkeypatch):
    monkeypatch.setattr(discourse._runtime.progress, "SHOW_AFTER", 0)
    with StageBar("analyzing x", ["topics"], enabled=True) as bar:
        capfd.readouterr()
        child = multiprocessing.get_context("fork").Process(target=bar, args=("topics", "start"))
        child.start()
        child.join()
        assert child.exitcode == 0
        assert "topics" not in capfd.readouterr().err
        bar("topics", "start")
        assert "topics" in capfd.readouterr().err
