"""Matplotlib figures (kept as the module name older code imports; the figures live in ``figures/``)."""

from .figures import *  # noqa: F401,F403
from .figures import __all__  # noqa: F401
