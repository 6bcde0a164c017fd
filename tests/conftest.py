"""Shared fixtures: every test works on its own temp copy of a workspace, with a fixed "today"."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from gtm_tui.data import clock
from gtm_tui.data.model import Pilot
from gtm_tui.data.workspace import Workspace
from gtm_tui.sharing.identity import CONFIG_ENV

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


@pytest.fixture(autouse=True)
def config_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own config folder (``GTM_TUI_CONFIG_DIR``): no test reads or writes the real home.

    The first-open question ("who are you?") is switched off there, as its
    documented setting allows, so a test that drives a screen starts on it;
    the tests of that question switch it back on (``ask_who_on_first_open``).
    """
    folder = tmp_path_factory.mktemp("config")
    (folder / "who-am-i.json").write_bytes(orjson.dumps({"ask_on_first_open": False}))
    monkeypatch.setenv(CONFIG_ENV, str(folder))
    return folder


@pytest.fixture
def ask_who_on_first_open(config_dir: Path) -> Path:
    """The config folder as a new machine has it: the first open of a pilot asks who you are."""
    (config_dir / "who-am-i.json").unlink()
    return config_dir


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
