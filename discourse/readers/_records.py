"""One record's problem costs that record, not the file.

Readers index and convert each record's fields assuming the source's types; a record edited or
generated wrongly (an id that is a list, a missing field, text that is a number) raises deep in
that conversion.  :class:`one_record` wraps the reading of one record: such a problem skips it,
listed in ``Corpus.skipped`` with its reason and reported (an error when read with ``strict``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

from ..exceptions import DiscourseError, FormatError
from ._io import note
from .jsonl import WRONG_TYPE

__all__ = ["none_read", "one_record"]


class one_record:  # noqa: N801 - used as a context manager, like contextlib's
    """Context for reading one record; a problem with it skips it (see the module's description).

    Parameters
    ----------
    skipped : list
        The reader's skip records: (path, record, reason) tuples, or ``{"record", "reason"}``
        dicts when ``as_dict`` (the markup readers' shape).
    path : path, optional
        The input, named in the report.
    record, line : optional
        Where the record is: its id or position, or its line.
    failures : list, optional
        Where each skip this makes is also listed (see :func:`none_read`).

    Attributes
    ----------
    failed : bool
        Whether the record was skipped; a reader that counts records as it meets them adds it.

    Examples
    --------
    >>> skipped = []
    >>> with one_record(skipped, None, record="item 2") as reading:
    ...     str(["not", "an", "object"]["id"])
    >>> reading.failed, skipped[0][1]
    (True, 'item 2')
    """

    def __init__(self, skipped: list[Any], path: Path | str | None, *, record: object = None,
                 line: int | None = None, as_dict: bool = False, failures: list[Any] | None = None) -> None:
        self.skipped, self.path, self.record, self.line, self.as_dict = skipped, path, record, line, as_dict
        self.failures = failures
        self.failed = False

    def __enter__(self) -> one_record:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: object) -> bool:
        if error is None:
            return False
        if isinstance(error, FormatError):
            reason = error.problem
        elif isinstance(error, WRONG_TYPE) and not isinstance(error, DiscourseError):
            reason = (f"expected a record whose fields have the usual types; a field has the wrong type "
                      f"({type(error).__name__}: {str(error)[:80]})")
        else:
            return False
        note(reason, "skipped", path=self.path, line=self.line, record=self.record)  # raises under strict
        label = f"line {self.line}" if self.line is not None else str(self.record)
        if self.as_dict:
            self.skipped.append({"record": label, "reason": reason})
        else:
            self.skipped.append((None if self.path is None else str(self.path), label, reason))
        if self.failures is not None:
            self.failures.append(self.skipped[-1])
        self.failed = True
        return True


def none_read(failures: list[Any], path: Path | str | None) -> NoReturn:
    """Every record was skipped for a problem (see ``one_record(failures=...)``): the input is not what
    it was read as, so the first problem is the error, naming its record."""
    first = failures[0]
    label, reason = (first["record"], first["reason"]) if isinstance(first, dict) else first[1:]
    line = int(label.split()[1]) if label.startswith("line ") and label.split()[1].isdigit() else None
    raise FormatError(f"{reason} (and no comment could be read)", path=path, line=line,
                      record=None if line is not None else label)
