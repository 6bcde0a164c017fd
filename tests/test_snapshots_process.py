"""Snapshots of the Process screen on the demo pilot: the stages list and the flowchart."""

from __future__ import annotations

from pathlib import Path

from pilot_waits import showing

from gtm_tui.app import GtmApp
from gtm_tui.data.workspace import Workspace


def test_process_screen_stages(snap_compare, demo_file: Path):
    assert snap_compare(GtmApp(demo_file, Workspace.open(demo_file)), terminal_size=(120, 40), run_before=showing("2"))


def test_process_screen_flowchart(snap_compare, demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    assert snap_compare(app, terminal_size=(120, 40), run_before=showing("2", "f"))
