"""Progress bars for long runs: one bar per job, advanced stage by stage.

A bar appears only when asked for (the CLI asks when standard error is a terminal and ``--quiet``
is off) and only once a job has run for a couple of seconds, so small inputs stay silent.
:class:`StageBar` is an observer of the stage hook (:mod:`discourse._runtime.stages`);
:func:`stages` drives one by hand.
"""

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from types import TracebackType

from tqdm import tqdm

__all__ = ["SHOW_AFTER", "StageBar", "stages"]

#: Seconds a job runs before its bar appears: a sample thread finishes well within it.
SHOW_AFTER = 2.0


class StageBar:
    """A bar counting the ``stages`` of a job, as an ``on_stage(stage, event)`` observer.

    It counts a stage when it ends and names the stage running.  Stages it was not given
    (nested ones) and calls from another process (a worker's) leave it as it is.  Use it as a
    context manager: leaving it closes the bar.
    """

    def __init__(self, description: str, stages: Iterable[str], *, enabled: bool = False) -> None:
        self._stages = set(stages)
        self._pid = os.getpid()
        self._bar = _bar(description, len(self._stages), enabled)

    def __call__(self, stage: str, event: str) -> None:
        if stage not in self._stages or os.getpid() != self._pid:
            return
        if event == "start":
            self._bar.set_postfix_str(stage.replace("_", " "))
        elif event == "end":
            self._bar.update()

    def close(self) -> None:
        self._bar.close()

    def __enter__(self) -> "StageBar":
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


@contextmanager
def stages(description: str, total: int, *, enabled: bool = False) -> Iterator[Callable[[str], None]]:
    """Yield ``advance(stage)``: call it as each of ``total`` stages starts; the bar names the stage."""
    bar = _bar(description, total, enabled)
    started = False

    def advance(stage: str) -> None:
        nonlocal started
        if started:
            bar.update()
        started = True
        bar.set_postfix_str(stage)

    try:
        yield advance
        if started:
            bar.update()
    finally:
        bar.close()


def _bar(description: str, total: int, enabled: bool) -> tqdm:
    return tqdm(total=total, desc=description, unit="stage", disable=not enabled, delay=SHOW_AFTER,
                file=sys.stderr, leave=False, dynamic_ncols=True,
                bar_format="{desc}: {n_fmt}/{total_fmt} stages [{elapsed}] {postfix}")
