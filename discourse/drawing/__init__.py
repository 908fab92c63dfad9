"""Matplotlib figures.  Each function returns a Figure; saving is the exporter's job."""

from .charts import activity_figure, degree_figure, top_commenters_figure
from .common import save_figure
from .network import network_figure
from .subthreads import subthread_figure

__all__ = ["activity_figure", "degree_figure", "network_figure", "save_figure", "subthread_figure", "top_commenters_figure"]
