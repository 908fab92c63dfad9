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
from .model.names import find_aliases, merge_aliases, read_aliases
from .model.pseudonyms import Pseudonyms, pseudonymise
from .model.filters import Filters, filter_corpus

__all__ = [
    "Analysis", "Corpus", "DiscourseError", "ExportError", "Filters", "FormatError", "Options", "OptionsError",
    "READERS", "Pseudonyms", "SAMPLE", "SchemaError",
    "analyze", "analyze_corpus", "complete_tree", "detect_format", "filter_corpus", "find_aliases", "merge_aliases",
    "pseudonymise", "read_aliases", "read_comments", "read_corpus", "validate_comments", "write_outputs",
]
