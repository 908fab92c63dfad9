"""discourse: turn online comment sections into discourse networks.

>>> from discourse import analyze, write_outputs
>>> analysis = analyze("thread.txt")            # doctest: +SKIP
>>> write_outputs(analysis, "output/thread")    # doctest: +SKIP
"""

__version__ = "0.1.0"

from .model.corpus import Corpus
from .exceptions import DiscourseError, ExportError, FormatError, OptionsError, SchemaError
from .output.write import write_outputs
from .pipeline import SAMPLE, Analysis, Options, analyze, analyze_corpus
from .readers import READERS, detect_format, read_comments, read_corpus
from .model.schema import validate_comments
from .model.tree import complete_tree

__all__ = [
    "Analysis", "Corpus", "DiscourseError", "ExportError", "FormatError", "Options", "OptionsError", "READERS",
    "SAMPLE", "SchemaError",
    "analyze", "analyze_corpus", "complete_tree", "detect_format", "read_comments", "read_corpus",
    "validate_comments", "write_outputs",
]
