"""The worker process that finds topics alongside the graph work: same results, errors come back."""

import os
import signal
import time

import pandas as pd
import pytest

from discourse import pipeline
from discourse._runtime.worker import Worker, can_fork
from discourse.exceptions import SchemaError

pytestmark = pytest.mark.skipif(not can_fork(), reason="workers are forked on Linux only")


def _fail(message):
    raise SchemaError(message)


def _die():
    os.kill(os.getpid(), signal.SIGKILL)


def _worker_pid():
    return os.getpid()


def test_the_worker_runs_in_another_process_and_reports_itself():
    with Worker(_worker_pid) as worker:
        assert worker.result() != os.getpid()
    assert worker.seconds >= 0 and worker.peak_mb > 0
    inline = Worker(_worker_pid, enabled=False)
    assert inline.result() == os.getpid() and inline.seconds is None


def test_an_error_in_the_worker_is_raised_in_the_caller():
    with Worker(_fail, "comments.csv, line 3: expected a comment id, found nothing") as worker:
        with pytest.raises(SchemaError, match="line 3: expected a comment id") as raised:
            worker.result()
    assert "_fail" in str(raised.value.__cause__)  # the worker's traceback comes along


def test_a_worker_that_dies_gives_a_clear_error():
    with Worker(_die) as worker:
        with pytest.raises(Exception, match="stopped without a result"):
            worker.result()


def test_leaving_the_block_stops_a_running_worker():
    with Worker(time.sleep, 60) as worker:
        process = worker._process
        assert process.is_alive()
    assert not process.is_alive()


def test_analysis_with_and_without_the_worker_is_the_same():
    corpus = pipeline.read_corpus(pipeline.SAMPLE)
    inline = pipeline.analyze_corpus(corpus, name="sample_thread", alongside_from=None)
    alongside = pipeline.analyze_corpus(corpus, name="sample_thread", alongside_from=0)
    for name in ("comments", "edges", "commenters", "subthreads", "threads", "topics", "central", "stability"):
        pd.testing.assert_frame_equal(getattr(inline, name), getattr(alongside, name), check_exact=True)
    assert list(inline.graph.nodes(data=True)) == list(alongside.graph.nodes(data=True))
    assert list(inline.graph.edges(data=True)) == list(alongside.graph.edges(data=True))
    assert inline.layout == alongside.layout
