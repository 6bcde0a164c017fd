"""Snapshots of the two moments the app exists for, at a laptop's 80x24 and a shared screen's 160x48:
the stand-up (one person's open work) and meeting mode (notes and themes apart, a selected note in full)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_waits import showing

from gtm_tui.app import GtmApp
from gtm_tui.data.workspace import Workspace

SIZES = [(80, 24), (160, 48)]


def _app(path: Path) -> GtmApp:
    return GtmApp(path, Workspace.open(path))


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x48"])
def test_standup(snap_compare, demo_file: Path, size: tuple[int, int]):
    assert snap_compare(_app(demo_file), terminal_size=size, run_before=showing("3", "s", "tab"))


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x48"])
def test_meeting_room(snap_compare, demo_file: Path, size: tuple[int, int]):
    workspace = Workspace.open(demo_file)
    workspace.update(workspace.pilot(), review_phase="group")  # as ^g twice leaves it, without the toasts
    keys = ["6", "m", "ctrl+n", "tab", "down", "space"]
    assert snap_compare(_app(demo_file), terminal_size=size, run_before=showing(*keys))
