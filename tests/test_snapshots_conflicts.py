"""Snapshot of the Conflicts screen after a merge left a field conflict and a kept deleted record."""

from __future__ import annotations

from pathlib import Path

from pilot_waits import press_and_wait, settle, started, wait_for_screen
from test_conflicts_screen import make_conflicts

from gtm_tui.app import GtmApp
from gtm_tui.data.workspace import Workspace
from gtm_tui.screens.pushed.conflicts import ConflictsScreen


def test_conflicts_screen(snap_compare, demo_file: Path):
    make_conflicts(demo_file)

    async def open_conflicts(pilot) -> None:
        await started(pilot)
        await press_and_wait(pilot, "1")  # clears the start-up reminder toast: see test_snapshots_io
        pilot.app.action_conflicts()
        await wait_for_screen(pilot, ConflictsScreen)
        await settle(pilot)

    assert snap_compare(
        GtmApp(demo_file, Workspace.open(demo_file)), terminal_size=(120, 40), run_before=open_conflicts
    )
