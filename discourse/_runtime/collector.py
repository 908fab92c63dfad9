"""Python's cyclic garbage collector, paused while a table is read, analysed or written.

A million comments make millions of container objects (networkx's node and edge attribute
dicts, rows being parsed, ...) that live until the run ends.  Every full collection walks all of
them, and the collector starts one each time their number has grown by a quarter: about ten
walks of a growing heap per stage that builds one, none of which frees anything, since the
pipeline makes no reference cycles that outlive a call.  Measured on the 1e6 benchmark corpus:
paused, ``discourse analyze`` ran in 99-101 s instead of 104-106 s (7 CPU-seconds less), with
the same peak memory and byte-identical outputs.  A forked worker inherits the pause, which also
keeps the collector from writing to the pages it shares with its parent.
"""

import gc
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

__all__ = ["collector_paused"]

_Params = ParamSpec("_Params")
_Result = TypeVar("_Result")


def collector_paused(function: Callable[_Params, _Result]) -> Callable[_Params, _Result]:
    """``function`` run with the cyclic collector off, then on again if it was on before (so
    calls nest, and a caller that turned it off keeps it off)."""

    @wraps(function)
    def paused(*args: _Params.args, **kwargs: _Params.kwargs) -> _Result:
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()

    return paused
