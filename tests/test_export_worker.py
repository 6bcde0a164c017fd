"""Exports written off the app's thread: keys answered meanwhile, a snapshot of the pilot, stopped whole on quit.

The worker is held at a gate the test opens, so "while the export runs" is
a fact of the test, not a race with the machine's speed.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pilot_waits import run_command, until, wait_for_screen
from textual.widgets import Input, Select
from textual.worker import WorkerState

from gtm_tui.app import GtmApp
from gtm_tui.data.model import Person, Stage, ValidationError
from gtm_tui.data.workspace import SaveError, Workspace
from gtm_tui.io import exporter
from gtm_tui.io.exporting import export, write_export
from gtm_tui.io.stopping import ExportStopped, stop_point
from gtm_tui.screens import export_jobs
from gtm_tui.screens.dialogs.forms import ConfirmScreen, FormScreen
from gtm_tui.screens.main.process import ProcessScreen

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from generate import write_workspace  # noqa: E402

GATE_SECONDS = 30  # far beyond any run; reached only when the test itself is broken


def leftovers(folder: Path) -> list[str]:
    """Temp files an atomic write would leave behind had it not cleaned up."""
    return sorted(path.name for path in folder.rglob("*") if path.name.endswith(".tmp"))


# -- the core: a snapshot, and stopping ------------------------------------------------------------


def test_a_snapshot_keeps_the_pilot_as_it_was_while_the_workspace_changes(demo: Workspace):
    people = [person.name for person in demo.all(Person)]
    snapshot = demo.snapshot()
    demo.add(Person(name="Zoe Later"))
    demo.update(demo.all(Stage)[0], name="Renamed meanwhile")
    assert [person.name for person in snapshot.all(Person)] == people
    assert "Renamed meanwhile" not in [stage.name for stage in snapshot.all(Stage)]
    assert "Zoe Later" in [person.name for person in demo.all(Person)]
    with pytest.raises(SaveError, match="read-only"):
        snapshot.add(Person(name="Never saved"))
    assert "Never saved" not in [person.name for person in Workspace.open(demo.path).all(Person)]


def test_an_export_of_a_snapshot_is_the_pilot_at_that_moment(demo: Workspace, tmp_path: Path):
    snapshot = demo.snapshot()
    demo.add(Person(name="Zoe Later"))
    write_export(snapshot, "md", tmp_path / "then.md")
    export(Workspace.open(demo.path), "md", tmp_path / "now.md")
    assert "Zoe Later" not in (tmp_path / "then.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "ics", "handover", "md", "html"])
def test_a_stopped_export_leaves_the_old_file_and_no_temp_file(demo: Workspace, tmp_path: Path, fmt: str):
    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / ("pack" if fmt in ("csv", "handover") else f"pilot.{fmt}")
    export(demo, fmt, out)  # last week's export, to be kept whole
    before = {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}
    demo.add(Person(name="Zoe Later"))
    counted: list[bool] = []  # how often this export looks whether to stop (a dry run elsewhere)
    write_export(demo, fmt, tmp_path / out.name, stop=lambda: counted.append(False) or False)
    looks = 0

    def stop_half_way() -> bool:  # half way through the rows, events or files; a text at its one look
        nonlocal looks
        looks += 1
        return looks >= max(1, len(counted) // 2)

    with pytest.raises(ExportStopped):
        write_export(demo, fmt, out, stop=stop_half_way)
    assert {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()} == before
    assert leftovers(folder) == []


def test_outside_an_export_nothing_stops():
    stop_point()  # the command line's export: no stop was asked for, nothing raised


# -- the app: keys answered while an export is written -------------------------------------------


@pytest.fixture
def big_file(tmp_path: Path) -> Path:
    path = tmp_path / "big-pilot.json"
    write_workspace(path, 2000, seed=3)
    return path


class Gate:
    """Holds the export's worker before it writes, until the test opens it; says when the worker is done."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.open = threading.Event()
        self.waiting = threading.Event()
        self.done = threading.Event()
        real = export_jobs.write_export

        def held(*args, **kwargs):
            try:
                self.waiting.set()
                assert self.open.wait(GATE_SECONDS), "the test never opened the gate"
                return real(*args, **kwargs)
            finally:
                self.done.set()

        monkeypatch.setattr(export_jobs, "write_export", held)


async def start_export(pilot, fmt: str | None = None) -> None:
    """Export… from the palette, in ``fmt`` (default: the workbook), to the path the form proposes."""
    form = await run_command(pilot, "Export", "Export…", opens=FormScreen)
    if fmt is not None:
        form.query_one("#field-format", Select).value = fmt
        await until(pilot, lambda: form.query_one("#field-path", Input).value.endswith(
            exporter(fmt).SUFFIX), "the path to follow the format")
    await pilot.press("ctrl+s")


def export_workers(app: GtmApp) -> list:
    return [worker for worker in app.workers if worker.group == export_jobs.GROUP]


async def test_keys_are_answered_while_a_big_export_is_written(big_file: Path, monkeypatch):
    gate = Gate(monkeypatch)
    target = big_file.with_suffix(".xlsx")
    app = GtmApp(big_file, Workspace.open(big_file))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await start_export(pilot)
        await until(pilot, gate.waiting.is_set, "the export's worker to start")
        assert not isinstance(app.screen, FormScreen)  # the form closed at once
        await until(pilot, lambda: any(n.title == "Exporting" and str(target) in n.message
                                       for n in app._notifications), "the toast saying it is under way")
        assert app.sub_title.endswith(f" · exporting {target.name} …")
        [worker] = export_workers(app)
        # A key while the export is being written: the Process screen shows, the export still runs.
        await pilot.press("2")
        await wait_for_screen(pilot, ProcessScreen)
        assert worker.state == WorkerState.RUNNING and not target.exists()
        gate.open.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert worker.state == WorkerState.SUCCESS
        assert any(n.title == "Exported" and n.message == f"Excel workbook (.xlsx) written to {target}"
                   for n in app._notifications)
        assert "exporting" not in app.sub_title
    assert load_workbook(target).sheetnames[0] == "Pilot set-up"


async def test_the_export_is_of_the_pilot_when_it_started(demo_file: Path, monkeypatch):
    gate = Gate(monkeypatch)
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await start_export(pilot, "md")
        await until(pilot, gate.waiting.is_set, "the export's worker to start")
        app.workspace.add(Person(name="Zoe Later"))  # a change while the export waits to be written
        gate.open.set()
        await app.workers.wait_for_complete()
    report = demo_file.with_name("demo-pilot-report.md").read_text(encoding="utf-8")
    assert report.startswith("# ") and "Zoe Later" not in report


async def test_quitting_while_an_export_runs_asks_then_writes_nothing(demo_file: Path, monkeypatch):
    gate = Gate(monkeypatch)
    target = demo_file.with_suffix(".xlsx")
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await start_export(pilot)
        await until(pilot, gate.waiting.is_set, "the export's worker to start")
        await pilot.press("q")
        question = await wait_for_screen(pilot, ConfirmScreen)
        assert any(str(target) in line and "still being written" in line for line in question.details)
        await pilot.press("y")
        await until(pilot, lambda: not app.is_running, "the app to quit")
    gate.open.set()  # the worker's thread goes on after the app is gone: it must stop before writing
    assert gate.done.wait(GATE_SECONDS)
    assert not target.exists() and leftovers(demo_file.parent) == []


async def test_a_failed_export_says_why_in_words_and_the_app_goes_on(demo_file: Path, monkeypatch):
    def broken(*_args, **_kwargs):
        raise KeyError("stage_id")  # a fault of ours, met while writing

    monkeypatch.setattr(export_jobs, "write_export", broken)
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await start_export(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        [said] = [n for n in app._notifications if n.title == "Not exported"]
        assert "could not be written" in said.message and "nothing was written" in said.message
        assert "Traceback" not in said.message
        await pilot.press("2")
        await wait_for_screen(pilot, ProcessScreen)  # the app still takes keys
    assert not demo_file.with_suffix(".xlsx").exists()


async def test_a_write_refused_by_the_disk_is_said_in_words(demo_file: Path, monkeypatch):
    def refused(_workspace, _fmt, out, **_kwargs):
        raise ValidationError("path", f"cannot write {out}: No space left on device")

    monkeypatch.setattr(export_jobs, "write_export", refused)
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await start_export(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        [said] = [n for n in app._notifications if n.title == "Not exported"]
        assert said.message == (f"cannot write {demo_file.with_suffix('.xlsx')}: No space left on device"
                                " — nothing was written")


async def test_a_second_export_to_the_same_file_waits_for_the_first(demo_file: Path, monkeypatch):
    gate = Gate(monkeypatch)
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await start_export(pilot)
        await until(pilot, gate.waiting.is_set, "the export's worker to start")
        await start_export(pilot)
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert "still being written" in str(app.screen.query_one("#error-path").render())
        gate.open.set()
        await app.workers.wait_for_complete()
    assert load_workbook(demo_file.with_suffix(".xlsx")).sheetnames[0] == "Pilot set-up"
