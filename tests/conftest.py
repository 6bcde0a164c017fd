"""Shared fixtures: every test works on its own temp copy of a workspace, with a fixed "today"."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from gtm_tui.data import clock
from gtm_tui.data.model import Pilot
from gtm_tui.data.workspace import Workspace

SAMPLE_DATA = Path(__file__).resolve().parent.parent / "sample_data"
DEMO_FILE = SAMPLE_DATA / "demo-pilot.json"
# The demo pilot's "today": the snapshots and hand computations are made for it.
FIXED_NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fixed_clock():
    """Freeze the clock at the demo's "today" for every test; let it run again after."""
    clock.freeze(FIXED_NOW)
    yield FIXED_NOW
    clock.freeze(None)


@pytest.fixture
def empty_file(tmp_path: Path) -> Path:
    """A new, empty workspace file in a temp folder."""
    path = tmp_path / "pilot.json"
    Workspace.create(path, Pilot(name="Test pilot"))
    return path


@pytest.fixture
def workspace(empty_file: Path) -> Workspace:
    return Workspace.open(empty_file)


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    """A temp copy of the demo pilot (sample_data/ is never touched in place)."""
    path = tmp_path / "demo-pilot.json"
    shutil.copy(DEMO_FILE, path)
    return path


@pytest.fixture
def demo(demo_file: Path) -> Workspace:
    return Workspace.open(demo_file)
