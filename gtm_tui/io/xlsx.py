"""The pilot as one Excel workbook — a sheet a table — and back.

Each sheet has a bold, filled, frozen header row and an auto-filter, columns
wide enough to read, dates as real date cells (so the spreadsheet can sort and
filter them), yes/no as booleans. The RACI matrix gets a sheet per layer with
people as columns. Text cells are passed through ``cells.text_cell``: no formula
runs, and no control character makes the workbook one Excel calls corrupt.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from gtm_tui.data.safe_text import visible
from gtm_tui.data.storage import write_atomically
from gtm_tui.data.workspace import Workspace
from gtm_tui.io.cells import text_cell
from gtm_tui.io.importing import BadRow, ImportPlan, ReadOptions
from gtm_tui.io.stopping import STOP_EVERY, stop_point
from gtm_tui.io.tables import BY_TITLE, EXPORT_ORDER, RaciTable, Table, table_rows
from gtm_tui.io.tables_import import Sheet, plan_tables

OPTIONS: tuple[str, ...] = ()  # our own sheets say everything themselves
SUFFIX = ".xlsx"
DATE_FORMAT = "yyyy-mm-dd"
STAMP_FORMAT = "yyyy-mm-dd hh:mm"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="305496")
MAX_WIDTH = 60
# One of each, shared by every cell that has it: openpyxl finds a cell's style in the workbook's list by
# comparing it, so a new equal object per cell cost seconds on a big pilot.
HEADER_ALIGNMENT = Alignment(vertical="center")
LONG_TEXT_ALIGNMENT = Alignment(wrap_text=True, vertical="top")
ROLE_ALIGNMENT = Alignment(horizontal="center")


def _widths(table: Table | RaciTable, headers: list[str]) -> list[int]:
    if isinstance(table, RaciTable):
        return [13, 24, 24, *(max(8, min(len(h) + 2, 20)) for h in headers[3:])]
    return [max(column.width, len(column.header) + 2) for column in table.columns]


def _fill_sheet(sheet: Any, table: Table | RaciTable, headers: list[str], rows: list[list[Any]]) -> None:
    sheet.append([text_cell(header) for header in headers])
    for number, row in enumerate(rows):
        if number % STOP_EVERY == 0:
            stop_point()
        sheet.append([text_cell(value) for value in row])
    for cell in sheet[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGNMENT
    for index, width in enumerate(_widths(table, headers), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width, MAX_WIDTH)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime):
                cell.number_format = STAMP_FORMAT
            elif isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
            elif isinstance(cell.value, str) and len(cell.value) > 40:
                cell.alignment = LONG_TEXT_ALIGNMENT
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions
    if isinstance(table, RaciTable):
        for row in sheet.iter_rows(min_row=2, min_col=4):
            for cell in row:
                cell.alignment = ROLE_ALIGNMENT


def build_workbook(workspace: Workspace) -> Workbook:
    """The workbook in memory (tests and ``write`` use it)."""
    workbook = Workbook()
    if workbook.active is not None:  # the empty sheet a new workbook starts with
        workbook.remove(workbook.active)
    for table in EXPORT_ORDER:
        headers, rows = table_rows(workspace, table)
        _fill_sheet(workbook.create_sheet(table.title), table, headers, rows)
    workbook.properties.title = visible(workspace.pilot().name)  # XML refuses control characters here too
    workbook.properties.creator = "gtm-tui"
    return workbook


class _StoppableBuffer(io.BytesIO):
    """The workbook's bytes in memory; a stopped export stops while openpyxl is still writing them."""

    def write(self, data: Any) -> int:
        stop_point()
        return super().write(data)


def write(workspace: Workspace, out: Path, **_options: Any) -> None:
    """Write the workbook to ``out`` in one rename (a crash or a stop never leaves half a workbook)."""
    buffer = _StoppableBuffer()
    build_workbook(workspace).save(buffer)
    write_atomically(out, buffer.getvalue(), before_replace=stop_point)


# What a damaged or foreign workbook raises while it is opened or read: a zip or XML that does not parse
# (an XML ParseError is a SyntaxError, lxml's too), a part that is missing or holds what openpyxl cannot use.
UNREADABLE = (InvalidFileException, BadZipFile, SyntaxError, KeyError, ValueError, TypeError, OSError)


def _unreadable(path: Path, error: Exception) -> BadRow:
    return BadRow(path.name, f"is not an Excel workbook (.xlsx) gtm-tui can read ({type(error).__name__}: {error})")


def read_sheets(path: Path) -> list[Sheet]:
    """The sheets of a workbook written by ``write`` (others are ignored)."""
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except UNREADABLE as error:
        raise _unreadable(path, error) from None
    try:
        return _sheets(path, workbook)
    except BadRow:
        raise
    except UNREADABLE as error:
        raise _unreadable(path, error) from None
    finally:
        workbook.close()


def _sheets(path: Path, workbook: Any) -> list[Sheet]:
    """Our sheets in ``workbook``: each one's header and its non-empty rows."""
    sheets = []
    for worksheet in workbook.worksheets:
        table = BY_TITLE.get(worksheet.title.casefold())
        if table is None:
            continue
        rows = worksheet.iter_rows(values_only=True)
        headers = ["" if h is None else str(h).strip() for h in next(rows, ())]
        label = f"sheet '{worksheet.title}'"
        found = []
        for number, cells in enumerate(rows, start=2):
            if any(c is not None and str(c).strip() for c in cells):
                found.append((f"{label} row {number}", list(cells)))
        sheets.append(Sheet(table, label, headers, found))
    if not sheets:
        raise BadRow(path.name, "has none of gtm-tui's sheets (People, Stages, …)")
    return sheets


def plan(workspace: Workspace, path: Path, options: ReadOptions | None = None) -> ImportPlan:
    """Plan the import of a workbook written by ``write``."""
    return plan_tables(workspace, read_sheets(path), path.name)
