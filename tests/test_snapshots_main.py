"""Snapshots of the Overview and People screens on the demo pilot at the demo's "today"."""

from __future__ import annotations

from pathlib import Path

from pilot_waits import showing

from gtm_tui.app import GtmApp
from gtm_tui.data.workspace import Workspace


def test_overview(snap_compare, demo_file: Path):
    # The opening "overdue" notification is cleared by switching screens, so press 1.
    app = GtmApp(demo_file, Workspace.open(demo_file))
    assert snap_compare(app, terminal_size=(120, 40), run_before=showing("2", "1"))


def test_people(snap_compare, demo_file: Path):
    assert snap_compare(GtmApp(demo_file, Workspace.open(demo_file)), terminal_size=(120, 40), run_before=showing("7"))
