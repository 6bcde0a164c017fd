"""Snapshots of the Board and the Calendar on the demo pilot (fixed today), small and large terminals."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_waits import showing

from gtm_tui.app import GtmApp
from gtm_tui.data.workspace import Workspace

SIZES = {"80x24": (80, 24), "160x48": (160, 48)}


@pytest.mark.parametrize("size", SIZES)
def test_board(snap_compare, demo_file: Path, size: str):
    # Two stages to the right: the columns scroll to keep the cursor's column in view.
    app = GtmApp(demo_file, Workspace.open(demo_file))
    assert snap_compare(app, terminal_size=SIZES[size], run_before=showing("8", "right", "right", "right", "down"))


@pytest.mark.parametrize("size", SIZES)
def test_calendar_week(snap_compare, demo_file: Path, size: str):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    assert snap_compare(app, terminal_size=SIZES[size], run_before=showing("9", "left", "left"))


@pytest.mark.parametrize("size", SIZES)
def test_calendar_month(snap_compare, demo_file: Path, size: str):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    assert snap_compare(app, terminal_size=SIZES[size], run_before=showing("9", "m"))
