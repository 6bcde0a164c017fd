"""Snapshots of the review: the Retro screen, meeting mode with a live note and a selection, the report view."""

from __future__ import annotations

from pathlib import Path

from pilot_waits import showing

from gtm_tui.app import GtmApp
from gtm_tui.data.workspace import Workspace


def _app(path: Path) -> GtmApp:
    return GtmApp(path, Workspace.open(path))


def test_retro_screen(snap_compare, demo_file: Path):
    assert snap_compare(_app(demo_file), terminal_size=(120, 40), run_before=showing("6"))


def test_retro_decisions_pane(snap_compare, demo_file: Path):
    keys = ["6", "right_square_bracket", "right_square_bracket"]
    assert snap_compare(_app(demo_file), terminal_size=(120, 40), run_before=showing(*keys))


def test_meeting_mode(snap_compare, demo_file: Path):
    keys = ["6", "m", "ctrl+n", *"Late", "enter", "tab", "space"]
    assert snap_compare(_app(demo_file), terminal_size=(120, 40), run_before=showing(*keys))


def test_report_view(snap_compare, demo_file: Path):
    assert snap_compare(_app(demo_file), terminal_size=(120, 40), run_before=showing("6", "w"))
