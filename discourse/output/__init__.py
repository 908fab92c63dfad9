"""The files an analysis is written to: :data:`OUTPUT_FILES` lists them, :func:`write_outputs` writes them.

>>> from discourse.output import OUTPUT_FILES
>>> OUTPUT_FILES["graph.gexf"].description      # doctest: +ELLIPSIS
'the commenter graph for Gephi, ...'
"""

from .write import OUTPUT_FILES, OutputFile, WriteRun, write_outputs

__all__ = ["OUTPUT_FILES", "OutputFile", "WriteRun", "write_outputs"]
