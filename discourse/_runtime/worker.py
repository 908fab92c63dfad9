"""One function run in a worker process while the caller goes on: both cores of a small machine.

``analyze`` finds topics (text work) in a worker while it builds and measures the commenter graph
(graph work); neither needs the other's result until the end.  ``write_outputs`` writes the graph
files in a worker while it writes the tables and images.

The worker is forked, so it shares the caller's memory (the comments table is not copied or
pickled) and needs no ``if __name__ == "__main__"`` guard in the user's script, which ``spawn``
would.  Fork is used only on Linux: macOS's system libraries are not safe to use after a fork, so
there (and on Windows) the function simply runs in the caller.  The worker uses one BLAS/OpenMP
thread: the caller keeps the other core, and an OpenMP thread pool inherited across a fork would
hang at its first parallel region.

A worker ends with its caller, however the caller ends: leaving the ``with`` block (an error,
Ctrl-C, the SIGTERM the CLI turns into an exception) stops it, and on Linux the kernel kills it
when the caller dies without a word (SIGKILL, a crash): ``prctl(PR_SET_PDEATHSIG)``.  The
worker itself takes SIGINT and SIGTERM as their default, ending at once: its result is of no use
to anyone once its caller is being stopped.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import resource
import signal
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

from threadpoolctl import threadpool_limits

from ..exceptions import DiscourseError

__all__ = ["Worker", "can_fork"]

_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def can_fork() -> bool:
    """Whether a worker can be forked here (Linux only; see the module docstring)."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _end_with(parent: int) -> None:
    """In the worker: die with the caller ``parent`` (see the module docstring)."""
    try:
        for kind in (signal.SIGINT, signal.SIGTERM):
            signal.signal(kind, signal.SIG_DFL)
    except ValueError:  # forked from a thread other than the main one: its handlers are Python's defaults
        pass
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl: the caller's with block still stops the worker
        pass
    if os.getppid() != parent:  # the caller died before prctl took hold
        os._exit(1)


def _run(connection: Any, parent: int, function: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    """Worker side: the result (or the exception) with the worker's seconds and peak memory."""
    _end_with(parent)
    start = time.perf_counter()
    try:
        with threadpool_limits(limits=1):
            value = function(*args, **kwargs)
        outcome = ("ok", value)
    except BaseException as error:  # noqa: BLE001 - every failure goes back to the caller
        outcome = ("error", (error, traceback.format_exc()))
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    try:
        connection.send((*outcome, seconds, peak_mb))
    except Exception as error:  # the result could not be pickled: say what instead
        connection.send(("error", (DiscourseError(f"the worker's result could not be sent back: {error}"),
                                   traceback.format_exc()), seconds, peak_mb))
    finally:
        connection.close()


class Worker:
    """``function(*args, **kwargs)``, computed in a worker process when ``enabled`` and
    :func:`can_fork`, else by :meth:`result` itself.  Use as a context manager: leaving it stops a worker still running.

    After :meth:`result`, ``seconds`` and ``peak_mb`` say what the worker took (None inline).
    """

    def __init__(self, function: Callable[..., Any], *args: Any, enabled: bool = True, **kwargs: Any) -> None:
        self._call = (function, args, kwargs)
        self._process = self._connection = None
        self.seconds = self.peak_mb = None
        if enabled and can_fork():
            context = multiprocessing.get_context("fork")
            self._connection, child = context.Pipe(duplex=False)
            self._process = context.Process(target=_run, args=(child, os.getpid(), function, args, kwargs),
                                            daemon=True)
            self._process.start()
            child.close()

    def result(self) -> Any:
        function, args, kwargs = self._call
        if self._process is None:
            return function(*args, **kwargs)
        try:
            status, value, self.seconds, self.peak_mb = self._connection.recv()
        except EOFError:
            self._process.join()
            raise DiscourseError(f"the worker computing {function.__name__} stopped without a result "
                                 f"(exit code {self._process.exitcode}; out of memory?)") from None
        finally:
            self._connection.close()
        self._process.join()
        if status == "error":
            error, trace = value
            error.__cause__ = _WorkerTraceback(trace)
            raise error
        return value

    def close(self) -> None:
        if self._process is not None and self._process.is_alive():
            self._process.terminate()
            self._process.join()

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc: object) -> bool:
        self.close()
        return False


class _WorkerTraceback(Exception):
    """The traceback of an error raised in the worker, shown as the cause of the re-raised error."""

    def __str__(self) -> str:
        return "\n" + self.args[0]
