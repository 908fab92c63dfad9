"""Progress bars for long runs: one bar per job, advanced stage by stage.

A bar appears only when asked for (the CLI asks when standard error is a terminal and ``--quiet``
is off) and only once a job has run for a couple of seconds, so small inputs stay silent.
"""

import sys
from contextlib import contextmanager

from tqdm import tqdm

#: Seconds a job runs before its bar appears: a sample thread finishes well within it.
SHOW_AFTER = 2.0


@contextmanager
def stages(description, total, *, enabled=False):
    """Yield ``advance(stage)``: call it as each of ``total`` stages starts; the bar names the stage."""
    bar = tqdm(total=total, desc=description, unit="stage", disable=not enabled, delay=SHOW_AFTER,
               file=sys.stderr, leave=False, dynamic_ncols=True,
               bar_format="{desc}: {n_fmt}/{total_fmt} stages [{elapsed}] {postfix}")
    started = False

    def advance(stage):
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
