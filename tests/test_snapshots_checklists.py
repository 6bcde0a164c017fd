"""Snapshots of the Checklists screen and the stand-up mode on the demo pilot (fixed today)."""

from __future__ import annotations

from pathlib import Path

from pilot_waits import showing

from gtm_tui.app import GtmApp
from gtm_tui.data.workspace import Workspace


def test_checklists_screen(snap_compare, demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    assert snap_compare(app, terminal_size=(120, 40), run_before=showing("3", "down", "down", "down", "down"))


def test_standup_mode(snap_compare, demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    assert snap_compare(app, terminal_size=(120, 40), run_before=showing("3", "s", "tab", "space"))
