"""The stage hook: how ``analyze_corpus`` and ``write_outputs`` tell an observer where they are.

An observer is any callable ``on_stage(stage, event)``: ``stage`` names a step ("build_graph",
"write comments.csv", ...), ``event`` is ``"start"`` or ``"end"``.  A stage that raises gets no
``"end"``: the error goes on to the caller.  Stages may nest (``find_topics`` inside ``topics``
when the topics are found in this process; a measure inside the stage that computes it:
"pagerank" inside "commenter_metrics" and again inside "top_stability").  Functions that do
such steps take the reporter (``report=``, from :func:`stage_reporter`) rather than the hook.
A stage run in a worker process (:mod:`discourse._runtime.worker`) calls the observer in that
process, a fork of the caller's, so an observer that keeps state sees those calls in its own
copy (compare ``os.getpid()``).

The progress bars (:class:`discourse._runtime.progress.StageBar`) are one observer and the
benchmark's timers (``scripts/benchmark.py``) another:

>>> seen = []
>>> with stage_reporter(lambda stage, event: seen.append((stage, event)))("build_graph"):
...     pass
>>> seen
[('build_graph', 'start'), ('build_graph', 'end')]
"""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from functools import wraps
from typing import Any, TypeVar

__all__ = ["StageHook", "StageReporter", "combined", "reported", "stage_reporter", "unreported"]

#: ``on_stage(stage, event)``, event ``"start"`` or ``"end"``.
StageHook = Callable[[str, str], None]
#: ``report(stage)``: a context manager that calls the hook as ``stage`` starts and ends.
StageReporter = Callable[[str], AbstractContextManager[None]]

_Result = TypeVar("_Result")


def unreported(stage: str) -> AbstractContextManager[None]:
    """The reporter that tells no one (the default of functions that take a ``report``)."""
    return nullcontext()


def stage_reporter(on_stage: StageHook | None) -> StageReporter:
    """``report(stage)``: a context manager calling ``on_stage(stage, "start")`` on entry and
    ``on_stage(stage, "end")`` when its block finished (nothing at all when ``on_stage`` is None)."""
    if on_stage is None:
        return unreported

    @contextmanager
    def report(stage: str) -> Iterator[None]:
        on_stage(stage, "start")
        yield
        on_stage(stage, "end")

    return report


def reported(function: Callable[..., _Result], stage: str,
             on_stage: StageHook | None) -> Callable[..., _Result]:
    """``function`` reported as ``stage`` wherever it runs (for a function handed to a worker)."""
    if on_stage is None:
        return function
    report = stage_reporter(on_stage)

    @wraps(function)
    def run(*args: Any, **kwargs: Any) -> _Result:
        with report(stage):
            return function(*args, **kwargs)

    return run


def combined(*hooks: StageHook | None) -> StageHook | None:
    """One hook calling each of ``hooks`` that is not None, in turn (None if none is left)."""
    present = [hook for hook in hooks if hook is not None]
    if len(present) < 2:
        return present[0] if present else None

    def each(stage: str, event: str) -> None:
        for hook in present:
            hook(stage, event)

    return each
