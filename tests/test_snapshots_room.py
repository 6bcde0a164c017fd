"""Snapshots of the two moments the app exists for, at a laptop's 80x24 and a shared screen's 160x48:
the stand-up (one person's open work, and the round-up) and meeting mode (notes and themes apart, a
selected note in full)."""

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


def test_standup_round_up(snap_compare, demo_file: Path):
    # Two ticks for the first person, one for the next, then back past the first: one line a person.
    keys = ["3", "s", "space", "space", "tab", "space", "shift+tab", "shift+tab"]
    assert snap_compare(_app(demo_file), terminal_size=(80, 24), run_before=showing(*keys))


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x48"])
def test_meeting_room(snap_compare, demo_file: Path, size: tuple[int, int]):
    workspace = Workspace.open(demo_file)
    workspace.update(workspace.pilot(), review_phase="group")  # as ^g twice leaves it, without the toasts
    keys = ["6", "m", "ctrl+n", "tab", "down", "space"]
    assert snap_compare(_app(demo_file), terminal_size=size, run_before=showing(*keys))
