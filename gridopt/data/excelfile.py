"""Reading one sheet of an Excel workbook (.xlsx, .xlsm) into a :class:`~gridopt.data.csvfile.Table`.

The sheet's rows are numbered as Excel shows them; rows whose first cell is text starting with
``#`` are comments and skipped (still counted), as in a CSV file; the header, blank rows and
column names follow :func:`gridopt.data.csvfile.to_table`.
"""

from __future__ import annotations

from pathlib import Path

from gridopt.data.csvfile import Table, to_table
from gridopt.errors import InputError, Problem


def read_excel_table(path: Path, label: str, sheet: str | None) -> Table:
    """The cells of sheet ``sheet`` (default: the first) of the workbook at ``path``; the
    table's label is ``label [sheet name]``. Raises :class:`InputError` for a damaged or
    non-Excel file, an unknown sheet name or an unreadable sheet."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or non-Excel file
        raise InputError(
            Problem(
                label,
                f"cannot read the file as an Excel workbook ({type(exc).__name__}: {exc})",
                fix="open it in Excel or WPS and save it again as .xlsx, or export it as .csv",
            )
        ) from None
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise InputError(
                Problem(
                    f"{label}: sheet",
                    "no sheet of that name",
                    sheet,
                    "use one of: " + ", ".join(wb.sheetnames),
                )
            )
        ws = wb[sheet] if sheet is not None else wb.worksheets[0]
        label = f"{label} [{ws.title}]"
        try:
            numbered = [
                (r, list(cells))
                for r, cells in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1)
                if not (cells and isinstance(cells[0], str) and cells[0].lstrip().startswith("#"))
            ]
        except Exception as exc:
            raise InputError(
                Problem(
                    label,
                    f"cannot read the sheet ({type(exc).__name__}: {exc})",
                    fix="save the workbook again as .xlsx, or export the sheet as .csv",
                )
            ) from None
    finally:
        wb.close()
    return to_table(label, numbered)
