"""Snapshot of the import preview (Trello fixture into the demo pilot)."""

from __future__ import annotations

from pathlib import Path

from pilot_waits import press_and_wait, run_command, settle, started, wait_for_screen

from gtm_tui.app import GtmApp
from gtm_tui.data.workspace import Workspace
from gtm_tui.screens.dialogs.forms import ConfirmScreen, FormScreen

BOARD = Path(__file__).parent / "fixtures" / "trello-content-calendar.json"


def test_import_preview(snap_compare, demo_file: Path):
    async def preview_the_board(pilot) -> None:
        # 1 clears the start-up reminder toast, once start-up has raised it: it lasts 10 s of wall-clock
        # time, so whether it would still be in the picture depends on how busy the machine is.
        await started(pilot)
        await press_and_wait(pilot, "1")
        await run_command(pilot, "Import", "Import…", opens=FormScreen)
        await pilot.press(*str(BOARD), "ctrl+s")
        await wait_for_screen(pilot, ConfirmScreen)
        await settle(pilot)

    assert snap_compare(GtmApp(demo_file, Workspace.open(demo_file)), terminal_size=(120, 40),
                        run_before=preview_the_board)
