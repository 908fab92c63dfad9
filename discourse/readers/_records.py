"""One record's problem costs that record, not the file.

Readers index and convert each record's fields assuming the source's types; a record edited or
generated wrongly (an id that is a list, a missing field, text that is a number) raises deep in
that conversion.  :class:`one_record` wraps the reading of one record: such a problem skips it,
listed in ``Corpus.skipped`` with its reason and reported (an error when read with ``strict``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..exceptions import DiscourseError, FormatError
from ._io import note
from .jsonl import WRONG_TYPE

__all__ = ["one_record"]


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
                 line: int | None = None, as_dict: bool = False) -> None:
        self.skipped, self.path, self.record, self.line, self.as_dict = skipped, path, record, line, as_dict
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
        self.failed = True
        return True
