"""Telling a RACI matrix from retro notes (and from our own tables) by looking inside the file.

``importing.guess_format`` asks here when the extension does not settle it:
a Markdown page, a CSV that is none of our tables and no Asana export, a
workbook without our sheets. Only a look: a file that cannot be read is left
for the importer to refuse with its reason.
"""

from __future__ import annotations

from pathlib import Path

from gtm_tui.io.grids import (
    MARKDOWN_SUFFIXES,
    XLSX_SUFFIXES,
    GridError,
    read_csv_grid,
    read_markdown_tables,
    read_text,
    read_xlsx_grids,
    sheet_titles,
)
from gtm_tui.io.raci_layout import LayoutError, understand
from gtm_tui.io.retro_sources import retro_header, sniff_retro_text
from gtm_tui.io.tables import BY_KEY, BY_TITLE


def _holds_raci(grids: list) -> bool:
    for grid in grids:
        try:
            if understand(grid).readable:
                return True
        except LayoutError:
            continue
    return False


def sniff(path: Path) -> str | None:
    """"raci", "retro", or None when the file looks like neither, is one of our own tables, or cannot be read."""
    suffix = path.suffix.lower()
    if suffix == ".csv" and path.stem in BY_KEY:
        return None
    try:
        if suffix in MARKDOWN_SUFFIXES:
            text, _ = read_text(path)
            if _holds_raci(read_markdown_tables(text)):
                return "raci"
            return "retro" if sniff_retro_text(text) else None
        if suffix in XLSX_SUFFIXES:
            titles = [title.casefold() for title in sheet_titles(path)]
            if any(title in BY_TITLE for title in titles if "raci" not in title):
                return None  # our own workbook: its sheet titles say so without reading a cell
            grids = read_xlsx_grids(path)
            if _holds_raci(grids):
                return "raci"
            return "retro" if grids and retro_header(grids[0]) else None
        grid = read_csv_grid(path)
    except (GridError, OSError):
        return None
    if retro_header(grid) and not _holds_raci([grid]):
        return "retro"
    return "raci" if _holds_raci([grid]) else None
