"""Snapshot of the RACI import preview: the grid as understood, the mapping, what was interpreted (demo pilot)."""

from __future__ import annotations

from pathlib import Path

from pilot_waits import press_and_wait, run_command, settle, started, wait_for_screen

from gtm_tui.app import GtmApp
from gtm_tui.data.workspace import Workspace
from gtm_tui.screens.dialogs.forms import FormScreen
from gtm_tui.screens.dialogs.import_preview import ImportPreviewScreen

MATRIX = Path(__file__).parent / "fixtures" / "raci" / "people-across.csv"


def test_raci_import_preview(snap_compare, demo_file: Path):
    async def preview_the_matrix(pilot) -> None:
        # 1 clears the start-up reminder toast, once raised (10 s of wall-clock time: in the picture or not by chance).
        await started(pilot)
        await press_and_wait(pilot, "1")
        await run_command(pilot, "Import", "Import…", opens=FormScreen)
        await pilot.press(*str(MATRIX), "ctrl+s")  # the format is guessed from the file
        await wait_for_screen(pilot, ImportPreviewScreen)
        await settle(pilot)

    assert snap_compare(GtmApp(demo_file, Workspace.open(demo_file)), terminal_size=(120, 40),
                        run_before=preview_the_matrix)
