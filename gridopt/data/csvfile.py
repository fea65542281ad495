"""Reading a CSV file into rows of cells: the one CSV reader of gridopt.

Every CSV file gridopt reads goes through :func:`read_csv`: scenario series
(``{csv: load.csv}``, :mod:`gridopt.data.series`), load profiles
(:mod:`gridopt.data.importer`) and plain weather files (:mod:`gridopt.data.weather_file`).
The rules, the most forgiving safe choice of the three readers this one replaced:

Text
    :func:`gridopt.textfile.read_text`: UTF-8 with or without a byte-order mark, UTF-16 with
    one, GBK/GB18030 Chinese text; anything else is refused naming the byte and line.
Comments
    A line whose first non-blank character is ``#`` is a comment and skipped anywhere, but
    still counted, so every row keeps its line number in the file (as an editor or a
    spreadsheet shows it). ``# key: value`` (or ``# key = value``) comments before the first
    content line are returned as options (a weather file's ``# wind_height_m: 70``).
Delimiter
    Comma, semicolon or tab, whichever occurs most often in the first content line (comma
    if none does). Excel on a Chinese or German Windows writes semicolons; "Unicode text"
    tabs. A decimal comma is not read as a decimal point: ``0,5`` is a cell that is not a
    number, reported as such, never two cells or the number 5.
Quotes
    Double quotes as Excel writes them; a quoted field must end on its own line (a field
    running over lines would shift every later line number).
Blank lines
    Blank lines before the first and after the last content line are dropped. Inside the
    data, a blank line is a row of empty cells in a file of one column (an empty cell,
    reported by the reader of the values) and is skipped in a file of several columns (it
    holds no cell of any column; timestamps or the row count still check its hour).
Header
    In :func:`to_table` the first content row is the header unless all its cells are numbers
    (then the file has none and the columns are named A, B, C as in a spreadsheet). A row
    shorter than the header has empty cells at its end. In a CSV file
    (:func:`read_csv_table`) a row with a value beyond the header's last name is an error: it
    does not split as the header does (a decimal comma, ``0,5``, or a delimiter in unquoted
    text) and would be read by position from the wrong cell. (An Excel sheet may hold notes
    to the right of its columns: its cells are typed, nothing is split.)
Missing values
    An empty cell, or one reading ``nan``, ``NA``, ``n/a``, ``#N/A``, ``null``, ``none`` or
    ``-`` (:func:`is_missing`), is a missing value; each reader says so by row and column.

The cells of an Excel sheet (:mod:`gridopt.data.excelfile`) become the same :class:`Table`.
"""

from __future__ import annotations

import csv
import dataclasses
import re
import string
from pathlib import Path

import numpy as np

from gridopt.errors import InputError, Problem
from gridopt.textfile import read_text

MAX_ROWS_LISTED = 5
"""Rows listed one by one for a problem of the file's layout before the rest are counted."""

DELIMITERS = (",", ";", "\t")
"""Delimiters a CSV file may use; the most frequent in its first content line wins."""

NA_TEXT = frozenset({"nan", "na", "n/a", "#n/a", "null", "none", "-"})
"""Cell texts (lower case) that mean a missing value, as spreadsheets and pandas write it."""

_OPTION = re.compile(r"#\s*([A-Za-z_]+)\s*[:=]\s*(.*?)\s*$")


@dataclasses.dataclass
class CsvText:
    """A CSV file as read: its leading ``# key: value`` options and its content rows."""

    label: str
    options: dict[str, str]  # keys in lower case
    rows: list[tuple[int, list[str]]]  # (1-based line in the file, cells) per content line


@dataclasses.dataclass
class Table:
    """Cells of a file as read: one list of raw values per column, and each row's number."""

    label: str
    header_row: int | None  # None: the file has no header
    names: list[str]  # display name of each column (header text, or its letter)
    columns: list[list[object]]
    rows: np.ndarray  # spreadsheet row number of each data row


def read_csv(
    path: str | Path,
    label: str | None = None,
    *,
    empty: str = "the file is empty",
    empty_fix: str = "give a header line and one row per hour",
) -> CsvText:
    """Read the CSV file at ``path`` by the rules of this module; ``label`` names the file in
    messages (default: the path). A file of nothing but white space is the problem
    ``empty`` with the fix ``empty_fix``; a file of comments only has no rows."""
    label = label or str(path)
    text = read_text(path, label)
    if not text.strip():
        raise InputError(Problem(label, empty, fix=empty_fix))
    return parse_csv(text, label)


def parse_csv(text: str, label: str) -> CsvText:
    """The rows of CSV ``text`` (already decoded) of file ``label``, by the rules of this
    module: :func:`read_csv` without reading the file."""
    options: dict[str, str] = {}
    lines_with_content = False
    lines: list[tuple[int, str]] = []
    for i, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("#"):
            m = _OPTION.match(stripped)
            if m and not lines_with_content:
                options[m.group(1).lower()] = m.group(2)
            continue
        lines_with_content = lines_with_content or bool(stripped)
        lines.append((i, line))
    while lines and not lines[0][1].strip():
        lines.pop(0)
    while lines and not lines[-1][1].strip():
        lines.pop()
    head = lines[0][1] if lines else ""
    sep = max(DELIMITERS, key=head.count) if any(c in head for c in DELIMITERS) else ","
    cells = list(csv.reader((line for _, line in lines), delimiter=sep))
    if len(cells) != len(lines):
        raise InputError(
            Problem(
                label,
                "a quoted field runs over several lines",
                fix='check the quotes (") in the file',
            )
        )
    rows = [(i, list(c)) for (i, _), c in zip(lines, cells, strict=True)]
    return CsvText(label, options, _blank_rows_inside(rows))


def read_csv_table(path: str | Path, label: str | None = None, **empty) -> Table:
    """:func:`read_csv`, then :func:`to_table` (header found, columns named); a row with a
    value beyond the header's last name is an error (module docstring)."""
    csv_text = read_csv(path, label, **empty)
    table = to_table(csv_text.label, csv_text.rows)
    if table.header_row is not None:
        at = [r for r, _ in csv_text.rows].index(table.header_row)
        header = csv_text.rows[at][1]
        n_header = max(k + 1 for k, v in enumerate(header) if not is_blank(v))
        _check_row_lengths(table.label, n_header, csv_text.rows[at + 1 :])
    return table


def to_table(label: str, numbered: list[tuple[int, list[object]]]) -> Table:
    """Build a :class:`Table` from (row number, cells) pairs, comments already removed:
    leading and trailing blank rows dropped, the header found (module docstring), short rows
    padded with empty cells."""
    numbered = _blank_rows_inside(list(numbered))
    while numbered and all(is_blank(v) for v in numbered[0][1]):
        numbered.pop(0)
    while numbered and all(is_blank(v) for v in numbered[-1][1]):
        numbered.pop()
    if not numbered:
        raise InputError(
            Problem(
                label,
                "the file has no data",
                fix="give one value per row under a header such as p_mw",
            )
        )
    width = max(len(cells) for _, cells in numbered)
    first = numbered[0][1]
    has_header = not all(is_number(v) for v in first if not is_blank(v))
    names = [column_letter(k) for k in range(width)]
    header_row = None
    if has_header:
        header_row = numbered[0][0]
        for k, v in enumerate(first):
            if not is_blank(v):
                names[k] = str(v).strip()
        numbered = numbered[1:]
        if not numbered:
            raise InputError(
                Problem(
                    label,
                    "the file has a header but no data rows",
                    fix="give one value per row under the header",
                )
            )
    columns = [
        [cells[k] if k < len(cells) else None for _, cells in numbered] for k in range(width)
    ]
    rows = np.array([r for r, _ in numbered], dtype=np.int64)
    return Table(label, header_row, names, columns, rows)


def _check_row_lengths(label: str, n_header: int, numbered: list[tuple[int, list]]) -> None:
    """A data row with a value beyond the last header cell is an error: the row does not
    split as the header does (a decimal comma, ``0,5``, or a delimiter in unquoted text), and
    reading it by position would take the wrong cell."""
    wider = [(r, cells) for r, cells in numbered if any(not is_blank(v) for v in cells[n_header:])]
    problems = [
        Problem(
            f"{label}: row {r}",
            f"has {len(cells)} cells, the header has {n_header}",
            fix="write decimals with '.' (0.5, not 0,5) and put text that holds a delimiter "
            'in quotes ("...")',
        )
        for r, cells in wider[:MAX_ROWS_LISTED]
    ]
    if len(wider) > MAX_ROWS_LISTED:
        more = len(wider) - MAX_ROWS_LISTED
        problems.append(Problem(label, f"and {more} more row{'s' * (more > 1)} like these"))
    if problems:
        raise InputError(problems)


def _blank_rows_inside(numbered: list[tuple[int, list]]) -> list[tuple[int, list]]:
    """The rule for blank rows inside the data (module docstring): kept as empty cells in a
    file of one column, dropped in a file of several."""
    if max((len(cells) for _, cells in numbered), default=0) <= 1:
        return numbered
    return [(i, cells) for i, cells in numbered if not all(is_blank(v) for v in cells)]


def column_letter(k: int) -> str:
    """Spreadsheet column letter of 0-based column k (0 -> A, 26 -> AA)."""
    s = ""
    k += 1
    while k:
        k, r = divmod(k - 1, 26)
        s = string.ascii_uppercase[r] + s
    return s


def is_blank(v: object) -> bool:
    """True for an empty cell: None, NaN or text of white space only."""
    return (
        v is None
        or (isinstance(v, str) and not v.strip())
        or (isinstance(v, float) and np.isnan(v))
    )


def is_missing(v: object) -> bool:
    """True for an empty cell or one that says the value is missing (:data:`NA_TEXT`)."""
    return is_blank(v) or (isinstance(v, str) and v.strip().lower() in NA_TEXT)


def is_number(v: object) -> bool:
    """True for a cell that reads as a number (not a boolean)."""
    if isinstance(v, bool):
        return False
    if isinstance(v, (int, float)):
        return True
    try:
        float(str(v).strip())
    except ValueError:
        return False
    return True
