"""Snapshots of the RACI screen (pilot grid, today's layer with its problems, the overlay) and a person's page."""

from __future__ import annotations

from pathlib import Path

from pilot_waits import showing

from gtm_tui.app import GtmApp
from gtm_tui.data.workspace import Workspace


def test_raci_pilot_grid(snap_compare, demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    assert snap_compare(app, terminal_size=(120, 40), run_before=showing("4", "j", "j", "j", "j", "l"))


def test_raci_today_layer_flags_two_a(snap_compare, demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    assert snap_compare(app, terminal_size=(120, 40), run_before=showing("4", "t"))


def test_raci_overlay(snap_compare, demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    assert snap_compare(app, terminal_size=(120, 40), run_before=showing("4", "o"))


def test_person_page(snap_compare, demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    assert snap_compare(app, terminal_size=(120, 40), run_before=showing("4", "l", "p"))
