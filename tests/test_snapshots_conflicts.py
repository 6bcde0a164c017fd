"""Snapshot of the Conflicts screen after a merge left a field conflict and a kept deleted record."""

from __future__ import annotations

from pathlib import Path

from test_conflicts_screen import make_conflicts

from gtm_tui.app import GtmApp
from gtm_tui.data.workspace import Workspace


def test_conflicts_screen(snap_compare, demo_file: Path):
    make_conflicts(demo_file)

    async def open_conflicts(pilot) -> None:
        pilot.app.action_conflicts()
        await pilot.pause()

    assert snap_compare(
        GtmApp(demo_file, Workspace.open(demo_file)), terminal_size=(120, 40), run_before=open_conflicts
    )
