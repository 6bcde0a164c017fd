"""Snapshots of the Metrics screen on the demo pilot: the work items tab and the figures tab."""

from __future__ import annotations

from pathlib import Path

from pilot_waits import showing

from gtm_tui.app import GtmApp
from gtm_tui.data.workspace import Workspace


def test_metrics_work_items(snap_compare, demo_file: Path):
    # the cursor on the rework item "LinkedIn carousel" (6th row) so the details show its visits and flags
    keys = ["5", "down", "down", "down", "down", "down"]
    app = GtmApp(demo_file, Workspace.open(demo_file))
    assert snap_compare(app, terminal_size=(120, 40), run_before=showing(*keys))


def test_metrics_figures(snap_compare, demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    assert snap_compare(app, terminal_size=(120, 40), run_before=showing("5", "v"))
