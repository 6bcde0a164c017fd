"""Snapshot of the import preview (Trello fixture into the demo pilot)."""

from __future__ import annotations

from pathlib import Path

from pilot_waits import run_command, wait_for_screen

from gtm_tui.app import GtmApp
from gtm_tui.data.workspace import Workspace
from gtm_tui.screens.dialogs.forms import ConfirmScreen, FormScreen

BOARD = Path(__file__).parent / "fixtures" / "trello-content-calendar.json"


def test_import_preview(snap_compare, demo_file: Path):
    async def preview_the_board(pilot) -> None:
        await run_command(pilot, "Import", "Import…", opens=FormScreen)
        await pilot.press(*str(BOARD), "ctrl+s")
        await wait_for_screen(pilot, ConfirmScreen)

    assert snap_compare(GtmApp(demo_file, Workspace.open(demo_file)), terminal_size=(120, 40),
                        run_before=preview_the_board)
