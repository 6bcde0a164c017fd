"""The pilot as a folder of CSV files — one file a table — and back.

For the spreadsheet people who want plain files: UTF-8 (with a byte-order
mark, so Excel opens accents and emoji right), a header row, dates as
``YYYY-MM-DD``, yes/no for booleans; each file written atomically. Every text cell is passed through
``cells.text_cell`` so a note starting with ``=`` stays a note and an escape
sequence in a name is written as visible text.

Import reads such a folder (or one of its files alone) back; see
``tables_import`` for how rows become records.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from gtm_tui.data.storage import write_atomically
from gtm_tui.data.workspace import Workspace
from gtm_tui.io.cells import text_cell
from gtm_tui.io.importing import BadRow, ImportPlan, ReadOptions, read_csv_rows
from gtm_tui.io.stopping import stop_point
from gtm_tui.io.tables import BY_KEY, EXPORT_ORDER, table_rows
from gtm_tui.io.tables_import import Sheet, plan_tables

OPTIONS: tuple[str, ...] = ()  # our own tables say everything themselves
SUFFIX = "-csv"  # a folder: pilot.json exports to pilot-csv/ beside it


def csv_cell(value: Any) -> str:
    """A cell as CSV text: ISO dates, UTC stamps, yes/no, numbers as typed, neutralised text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return str(value)
    return text_cell(str(value))


def files(_workspace: Workspace, out: Path) -> list[Path]:
    """The files ``write`` puts in the folder ``out``: one a table."""
    return [Path(out) / f"{table.key}.csv" for table in EXPORT_ORDER]


def write(workspace: Workspace, out: Path, **_options: Any) -> None:
    """Write every table as ``out/<table>.csv`` (the folder is created; files of the same names are replaced)."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OSError(f"{out} is a file; a CSV export needs a folder")
    texts = {}
    for table in EXPORT_ORDER:  # every file made before any is written: a stop leaves the folder as it was
        stop_point()
        headers, rows = table_rows(workspace, table)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([text_cell(header) for header in headers])
        writer.writerows([csv_cell(value) for value in row] for row in rows)
        texts[f"{table.key}.csv"] = buffer.getvalue()
    stop_point()
    out.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():  # each file in one rename: never a half-written table
        write_atomically(out / name, text.encode("utf-8-sig"))


def read_sheets(path: Path) -> list[Sheet]:
    """The tables in a folder of our CSV files, or the one table a single file holds."""
    files = sorted(path.glob("*.csv")) if path.is_dir() else [path]
    sheets = []
    for file in files:
        table = BY_KEY.get(file.stem)
        if table is None:
            if path.is_dir():
                continue  # someone's notes.csv beside ours
            raise BadRow(file.name, f"is not one of gtm-tui's tables ({', '.join(BY_KEY)}.csv)")
        headers, rows = read_csv_rows(file)
        sheets.append(Sheet(table, file.name, headers, [(f"{file.name} line {line}", cells) for line, cells in rows]))
    if not sheets:
        raise BadRow(path.name, "holds none of gtm-tui's tables (people.csv, stages.csv, …)")
    return sheets


def plan(workspace: Workspace, path: Path, options: ReadOptions | None = None) -> ImportPlan:
    """Plan the import of a CSV folder (or file) written by ``write``."""
    return plan_tables(workspace, read_sheets(path), path.name)
