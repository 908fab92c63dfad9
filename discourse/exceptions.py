"""The one exception family discourse raises for problems with the user's input or options."""


class DiscourseError(Exception):
    """Base class: anything the CLI reports as one line ``error: ...``."""


class FormatError(DiscourseError):
    """An input file does not follow the format it was read as.

    The message names the file and the line or record, what was expected and what was found.
    """

    def __init__(self, message, *, path=None, line=None, record=None):
        where = []
        if path is not None:
            where.append(str(path))
        if line is not None:
            where.append(f"line {line}")
        if record is not None:
            where.append(f"record {record}")
        self.path, self.line, self.record = path, line, record
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


class SchemaError(DiscourseError):
    """A comments table lacks a column, has a wrong type, or breaks the reply-tree rules."""


class ExportError(DiscourseError, ValueError):
    """A graph or table cannot be written as asked (a non-positive edge weight, a missing position)."""
