"""An earlier pilot's own export (our CSV folder or Excel workbook) read as a ``History``, to measure a baseline.

Last quarter's pilot is a fine baseline for this one: its Stages and Work
items tables hold every visit (the "stage history (JSON)" column), the done
times, due dates, feedback cycles and clarification requests — the figures a
board in Trello or Jira cannot give.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gtm_tui.data.model import ValidationError, as_datetime
from gtm_tui.io import csv_folder, xlsx
from gtm_tui.io.history import History, Item, Place, Visit
from gtm_tui.io.importing import BadRow
from gtm_tui.io.tables import STAGES, WORK_ITEMS, Table, import_value
from gtm_tui.io.tables_import import Sheet

PREFIX = "gtm-tui:"


def _rows(sheet: Sheet, table: Table) -> list[tuple[str, dict[str, Any]]]:
    """Each row as ``{field: value}`` for the columns the file has (read-only columns skipped)."""
    index = {header.strip().casefold(): i for i, header in enumerate(sheet.headers)}
    out = []
    for where, cells in sheet.rows:
        values: dict[str, Any] = {}
        try:
            for column in table.columns:
                position = index.get(column.header.casefold())
                if position is None or column.kind in ("name", "count", "minutes"):
                    continue
                values[column.field] = import_value(cells[position] if position < len(cells) else None, column)
        except ValidationError as error:
            raise BadRow(where, str(error)) from None
        out.append((where, values))
    return out


def read(path: Path, fmt: str) -> History:
    """The stages and work items of our own export at ``path`` (``fmt`` "csv" or "xlsx")."""
    sheets = (xlsx if fmt == "xlsx" else csv_folder).read_sheets(path)
    found = {sheet.table.key: sheet for sheet in sheets}
    if "work_items" not in found or "stages" not in found:
        raise BadRow(
            path.name,
            "needs gtm-tui's Stages and Work items tables (stages.csv and work_items.csv) to measure a baseline",
        )
    history = History(f"gtm-tui export {path.name}", path.name, fmt)
    stages = sorted(_rows(found["stages"], STAGES), key=lambda row: row[1].get("position") or 0)
    history.places = [
        Place(PREFIX + str(values.get("id")), str(values.get("name") or values.get("id"))) for _, values in stages
    ]
    for where, values in _rows(found["work_items"], WORK_ITEMS):
        visits = []
        for entry in values.get("stage_history") or []:
            entered = as_datetime(entry.get("entered_at")) if isinstance(entry, dict) else None
            if entered is None:
                continue
            visits.append(
                Visit(
                    PREFIX + str(entry.get("stage_id")),
                    entered,
                    as_datetime(entry.get("left_at")),
                    bool(entry.get("inferred")),
                )
            )
        done_at = as_datetime(values.get("done_at")) if values.get("status") == "done" else None
        title = str(values.get("title") or "").strip() or where
        history.items.append(
            Item(
                PREFIX + str(values.get("id") or where),
                title,
                where,
                place=PREFIX + str(values.get("stage_id")) if values.get("stage_id") else None,
                visits=visits,
                done_at=done_at,
                due=values.get("due"),
                feedback_cycles=list(values.get("feedback_cycles") or []),
                clarifications=list(values.get("clarifications") or []),
            )
        )
    return history
