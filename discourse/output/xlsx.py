"""tables.xlsx: every table of an analysis as one sheet, for spreadsheet users.

Text is written as text cells, so nothing a commenter wrote (``=HYPERLINK(...)``, ``+1``,
``@bob``) can run as a formula or turn into a number or a link; numbers are numbers, times are
ISO 8601 text as in the CSV files.  What a spreadsheet cannot hold is said here and in README:
a cell holds at most 32,767 characters (longer texts are cut; the CSV has them whole), a sheet
at most 1,048,576 rows (a longer table goes on over further sheets, "comments (2)", ...,
each with the header row), characters XML cannot carry (a lone surrogate) become U+FFFD and
control characters Excel's own escapes (``_x0001_``), as Excel writes them.

XlsxWriter writes the workbook: its parts, styles, and each sheet with its bold, frozen header
row.  The rows are then streamed into its sheets, a column at a time: XlsxWriter's per-cell
calls cost 8.5-13 us a cell (three minutes for a million comments), the column-wise cells
about a tenth of that.  Every text cell is an inline string (``t="inlineStr"``), as XlsxWriter's
own constant-memory mode writes them.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone

import numpy as np
import pandas as pd

__all__ = ["MAX_CELL", "MAX_ROWS", "write_xlsx"]

#: Excel's limits: characters in a cell, rows in a sheet (the header row included).
MAX_CELL = 32_767
MAX_ROWS = 1_048_576
#: Rows turned into XML at a time: bounded memory whatever the table's length.
_BATCH = 20_000

#: What a text must have changed before it goes in a cell: XML's special characters, characters
#: XML 1.0 cannot carry (control characters but tab and line feed, U+FFFE/U+FFFF, lone
#: surrogates), and literal "_x0041_" sequences, which Excel would read as its escapes.
_SPECIAL = re.compile("[&<>\x00-\x08\x0b-\x1f\ufffe\uffff\ud800-\udfff]|_x[0-9a-fA-F]{4}_")
_EXCEL_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _cell_text(text: str) -> str:
    """``text`` (at most :data:`MAX_CELL` characters) as a cell's XML: as XlsxWriter escapes it."""
    text = _SURROGATE.sub("\ufffd", text)
    text = _EXCEL_ESCAPE.sub(r"_x005F\1", text)
    text = _CONTROL.sub(lambda match: f"_x{ord(match[0]):04X}_", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _texts(column: pd.Series) -> list[str | None]:
    """Each value as the XML of a text cell's content, None for a missing one.

    The values that need escaping are found by one search over a batch of them joined (a
    search per value was most of the time); only those are changed one by one.
    """
    missing = column.isna().to_numpy()
    texts = list(map(str, column.where(~missing, "").tolist()))
    for first in range(0, len(texts), _BATCH):
        batch = texts[first:first + _BATCH]
        lengths = np.fromiter(map(len, batch), dtype=np.int64, count=len(batch))
        starts = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]])  # where each text starts, joined by "\n"
        found = [match.start() for match in _SPECIAL.finditer("\n".join(batch))]
        for at in set((np.searchsorted(starts, found, side="right") - 1).tolist()) | set(
                (lengths > MAX_CELL).nonzero()[0].tolist()):
            texts[first + at] = _cell_text(batch[at][:MAX_CELL])
    for at in missing.nonzero()[0].tolist():
        texts[at] = None
    return texts


def _numbers(column: pd.Series) -> list[str | None]:
    """Each number as a cell's value text (whole numbers without a point), None for a missing or infinite one."""
    if pd.api.types.is_integer_dtype(column.dtype):
        values = column.astype("float64").to_numpy() if column.hasnans else column.to_numpy()
        if not column.hasnans:
            return [str(value) for value in values.tolist()]
    else:
        values = column.astype("float64").to_numpy()
    finite = np.isfinite(values).tolist()
    return [(str(int(value)) if value.is_integer() and abs(value) < 2 ** 53 else repr(value)) if ok else None
            for value, ok in zip(values.tolist(), finite)]


def _column(column: pd.Series) -> tuple[str, list[str | None]]:
    """(cell kind: "b", "n" or "s"; each cell's value as XML text, None for missing)."""
    dtype = column.dtype
    if pd.api.types.is_bool_dtype(dtype) and not column.isna().any():
        return "b", ["1" if value else "0" for value in column.astype(bool).tolist()]
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        return "n", _numbers(column)
    if pd.api.types.is_datetime64_any_dtype(dtype):
        from .write import _iso_seconds  # the CSV's text for times; write imports this module
        return "s", _texts(_iso_seconds(column))
    return "s", _texts(column)


def _letters(index: int) -> str:
    """The column letters of the 0-based column ``index``: A, ..., Z, AA, ..."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cells(kind: str, letter: str, numbers: list[str], values: list[str | None]) -> list[str]:
    """The XML of one column's cells in rows ``numbers`` (as text), "" for a missing value."""
    if kind == "s":
        return ["" if value is None else f'<c r="{letter}{row}" t="inlineStr"><is><t xml:space="preserve">'
                f'{value}</t></is></c>' for row, value in zip(numbers, values)]
    kind = ' t="b"' if kind == "b" else ""
    return ["" if value is None else f'<c r="{letter}{row}"{kind}><v>{value}</v></c>'
            for row, value in zip(numbers, values)]


def _rows(columns: list[tuple[str, list[str | None]]], start: int, stop: int) -> Iterator[str]:
    """The XML of table rows ``start`` to ``stop`` (0-based), as sheet rows 2, ..., a batch at a time."""
    letters = [_letters(at) for at in range(len(columns))]
    for first in range(start, stop, _BATCH):
        last = min(stop, first + _BATCH)
        numbers = np.arange(first - start + 2, last - start + 2).astype(str).tolist()
        cells = [_cells(kind, letter, numbers, values[first:last])
                 for letter, (kind, values) in zip(letters, columns)]
        opens = [f'<row r="{row}">' for row in numbers]
        yield "".join(map("".join, zip(opens, *cells, ["</row>"] * len(numbers))))


def write_xlsx(tables: Iterable[tuple[str, pd.DataFrame]], path: str | os.PathLike) -> None:
    """Write each (sheet name, table) of ``tables`` as a sheet of the workbook ``path``.

    Parameters
    ----------
    tables : iterable of (str, DataFrame)
        Sheet names (at most 31 characters) and their tables, in sheet order.  A table longer
        than a sheet holds goes on in further sheets named "NAME (2)", ..., each with the header.
    path : str or path
        The .xlsx file to write.

    Examples
    --------
    >>> import pandas as pd
    >>> write_xlsx([("people", pd.DataFrame({"name": ["=1+1"], "n": [2]}))], "t.xlsx")  # doctest: +SKIP
    """
    import xlsxwriter

    frame = io.BytesIO()  # the workbook with header rows only
    workbook = xlsxwriter.Workbook(frame, {
        "constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
        "strings_to_urls": False})
    # A fixed creation date: XlsxWriter stamps it in the document and on every zip entry, so the
    # same tables give the same bytes (the run's own times are in run.json).
    workbook.set_properties({"created": datetime(2000, 1, 1, tzinfo=timezone.utc)})
    parts = []  # each sheet's (columns, first row, row after its last)
    try:
        header = workbook.add_format({"bold": True})
        for name, table in tables:
            columns = [_column(table[c]) for c in table.columns]
            per_sheet = MAX_ROWS - 1
            for part in range(max(1, -(-len(table) // per_sheet))):
                sheet = workbook.add_worksheet(name if part == 0 else f"{name} ({part + 1})"[:31])
                for at, title in enumerate(table.columns):
                    sheet.write_string(0, at, str(title), header)
                sheet.freeze_panes(1, 0)
                parts.append((columns, part * per_sheet, min(len(table), (part + 1) * per_sheet)))
    finally:
        workbook.close()
    _fill(frame, path, parts)


def _fill(frame: io.BytesIO, path: str | os.PathLike,
          parts: list[tuple[list[tuple[str, list[str | None]]], int, int]]) -> None:
    """Copy the workbook ``frame`` (header rows only) to ``path``, each sheet's rows streamed in."""
    with zipfile.ZipFile(frame) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            found = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", info.filename)
            if not found or not parts[int(found[1]) - 1][0]:
                target.writestr(info, data)
                continue
            columns, start, stop = parts[int(found[1]) - 1]
            sheet = data.decode("utf-8")
            corner = f"A1:{_letters(len(columns) - 1)}{stop - start + 1}"
            sheet = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{corner}"/>', sheet, count=1)
            head, tail = sheet.split("</sheetData>", 1)
            entry = zipfile.ZipInfo(info.filename, info.date_time)  # XlsxWriter's fixed time: same bytes
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry._compresslevel = 1  # the rows are most of the time: zlib's fastest level, 20% larger
            with target.open(entry, "w", force_zip64=True) as out:
                out.write(head.encode("utf-8"))
                for rows in _rows(columns, start, stop):
                    out.write(rows.encode("utf-8"))
                out.write(("</sheetData>" + tail).encode("utf-8"))
