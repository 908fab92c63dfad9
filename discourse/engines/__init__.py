"""Engines other than the in-memory default: :mod:`discourse.engines.dask_engine` (``--engine dask``).

The partitioning (:mod:`~discourse.engines.partitions`) and the per-partition work and its
reduction (:mod:`~discourse.engines.reduce`) are plain functions over pandas tables; only
:mod:`~discourse.engines.dask_engine` imports Dask, when it runs.
"""

from .dask_engine import TABLE_FORMATS, DistributedRun, analyze_distributed

__all__ = ["TABLE_FORMATS", "DistributedRun", "analyze_distributed"]
