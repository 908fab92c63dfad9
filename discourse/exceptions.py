"""The one exception family discourse raises for problems with the user's input or options."""

from os import PathLike

__all__ = ["DiscourseError", "ExportError", "FormatError", "OptionsError", "SchemaError"]


class DiscourseError(Exception):
    """Base class: anything the CLI reports as one line ``error: ...``."""


class FormatError(DiscourseError):
    """An input file does not follow the format it was read as.

    The message names the file and the line or record, what was expected and what was found.
    """

    def __init__(self, message: str, *, path: str | PathLike | None = None, line: int | None = None,
                 record: int | str | None = None) -> None:
        where = []
        if path is not None:
            where.append(str(path))
        if line is not None:
            where.append(f"line {line}")
        if record is not None:
            where.append(f"record {record}")
        self.path, self.line, self.record = path, line, record
        self.problem = message  # the message without the place: what a skipped record's reason says
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


class SchemaError(DiscourseError):
    """A comments table lacks a column, has a wrong type, or breaks the reply-tree rules."""


class OptionsError(DiscourseError, ValueError):
    """An analysis option has a value the analysis cannot take (see :class:`discourse.Options`).

    The message names the option, what it accepts and what it got, in scikit-learn's manner
    ("n_topics must be an integer >= 2 or None; got 0"); a ValueError too, as scikit-learn's are.
    ``option`` is the option's name (the CLI shows its flag).
    """

    def __init__(self, message: str, *, option: str | None = None) -> None:
        self.option = option
        super().__init__(message)


class ExportError(DiscourseError, ValueError):
    """A graph or table cannot be written as asked (a non-positive edge weight, a missing position)."""
