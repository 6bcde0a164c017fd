"""Snapshot of the RACI import preview: the grid as understood, the mapping, what was interpreted (demo pilot)."""

from __future__ import annotations

from pathlib import Path

from gtm_tui.app import GtmApp
from gtm_tui.data.workspace import Workspace

MATRIX = Path(__file__).parent / "fixtures" / "raci" / "people-across.csv"


def test_raci_import_preview(snap_compare, demo_file: Path):
    keys = ["ctrl+p", *"Import", "enter", *str(MATRIX), "ctrl+s"]  # the format is guessed from the file
    assert snap_compare(GtmApp(demo_file, Workspace.open(demo_file)), terminal_size=(120, 40), press=keys)
