"""Snapshot of the import preview (Trello fixture into the demo pilot)."""

from __future__ import annotations

from pathlib import Path

from gtm_tui.app import GtmApp
from gtm_tui.data.workspace import Workspace

BOARD = Path(__file__).parent / "fixtures" / "trello-content-calendar.json"


def test_import_preview(snap_compare, demo_file: Path):
    keys = ["ctrl+p", *"Import", "enter", *str(BOARD), "ctrl+s"]
    assert snap_compare(GtmApp(demo_file, Workspace.open(demo_file)), terminal_size=(120, 40), press=keys)
