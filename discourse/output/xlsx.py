"""tables.xlsx: every table of an analysis as one sheet, for spreadsheet users.

Text is written as text cells, so nothing a commenter wrote (``=HYPERLINK(...)``, ``+1``,
``@bob``) can run as a formula or turn into a number or a link; numbers are numbers, times are
ISO 8601 text as in the CSV files.  What a spreadsheet cannot hold is said here and in README:
a cell holds at most 32,767 characters (longer texts are cut; the CSV has them whole), a sheet
at most 1,048,576 rows (a longer table goes on over further sheets, "comments (2)", ...),
characters XML cannot carry (a lone surrogate) become U+FFFD.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Iterable
from datetime import datetime, timezone

import numpy as np
import pandas as pd

__all__ = ["MAX_CELL", "MAX_ROWS", "write_xlsx"]

#: Excel's limits: characters in a cell, rows in a sheet (the header row included).
MAX_CELL = 32_767
MAX_ROWS = 1_048_576
_SURROGATE = re.compile("[\ud800-\udfff]")


def _texts(values: Iterable[object]) -> list[str | None]:
    cells = []
    for value in values:
        if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
            cells.append(None)
            continue
        text = value if isinstance(value, str) else str(value)
        cells.append(_SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text)
    return cells


def _column(column: pd.Series) -> tuple[str, list]:
    """(cell kind, the column's cells as plain values, None for missing)."""
    dtype = column.dtype
    if pd.api.types.is_bool_dtype(dtype) and not column.isna().any():
        return "boolean", column.astype(bool).tolist()
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        values = column.astype("float64").to_numpy()
        finite = np.isfinite(values)
        return "number", [value if ok else None for value, ok in zip(values.tolist(), finite.tolist())]
    if pd.api.types.is_datetime64_any_dtype(dtype):
        from .write import ISO_SECONDS  # the CSV's layout; write imports this module
        return "string", [None if pd.isna(t) else t.strftime(ISO_SECONDS) for t in column]
    return "string", _texts(column.tolist())


def write_xlsx(tables: Iterable[tuple[str, pd.DataFrame]], path: str | os.PathLike) -> None:
    """Write each (sheet name, table) of ``tables`` as a sheet of the workbook ``path``.

    Parameters
    ----------
    tables : iterable of (str, DataFrame)
        Sheet names (at most 31 characters) and their tables, in sheet order.
    path : str or path
        The .xlsx file to write.

    Examples
    --------
    >>> import pandas as pd
    >>> write_xlsx([("people", pd.DataFrame({"name": ["=1+1"], "n": [2]}))], "t.xlsx")  # doctest: +SKIP
    """
    import xlsxwriter

    workbook = xlsxwriter.Workbook(os.fspath(path), {
        "constant_memory": True,  # rows are flushed as they are written: a million rows stay small
        "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False})
    # A fixed creation date: XlsxWriter stamps it in the document and on every zip entry, so the
    # same tables give the same bytes (the run's own times are in run.json).
    workbook.set_properties({"created": datetime(2000, 1, 1, tzinfo=timezone.utc)})
    try:
        header = workbook.add_format({"bold": True})
        for name, table in tables:
            _write_sheets(workbook, name, table, header)
    finally:
        workbook.close()


def _write_sheets(workbook: object, name: str, table: pd.DataFrame, header: object) -> None:
    columns = [_column(table[c]) for c in table.columns]
    names = [str(c) for c in table.columns]
    per_sheet = MAX_ROWS - 1
    parts = max(1, -(-len(table) // per_sheet))
    for part in range(parts):
        sheet = workbook.add_worksheet(name if part == 0 else f"{name} ({part + 1})"[:31])
        for at, title in enumerate(names):
            sheet.write_string(0, at, title, header)
        sheet.freeze_panes(1, 0)
        writers: list[Callable] = [getattr(sheet, f"write_{kind}") for kind, _ in columns]
        start = part * per_sheet
        for row in range(start, min(len(table), start + per_sheet)):
            line = row - start + 1
            for at, (write, (_, cells)) in enumerate(zip(writers, columns)):
                cell = cells[row]
                if cell is not None:
                    write(line, at, cell)
