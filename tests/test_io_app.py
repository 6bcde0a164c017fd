"""Export… and Import… from the palette, and ``gtm-tui import``, driven end to end."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from pilot_waits import run_command
from textual.widgets import Input, Select

from gtm_tui.app import GtmApp
from gtm_tui.cli.main import main
from gtm_tui.data.model import BaselineItem, Stage, WorkItem
from gtm_tui.data.workspace import Workspace
from gtm_tui.io.exporting import SESSION_FOLDER_VARIABLE
from gtm_tui.screens.dialogs.forms import ConfirmScreen, FormScreen

FIXTURES = Path(__file__).parent / "fixtures"


async def palette(pilot, command: str) -> None:
    """Export… or Import… from the palette, as typed; both open a form."""
    await run_command(pilot, command, f"{command}…", opens=FormScreen)


async def test_palette_offers_export_and_import(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)):
        titles = [command.title for command in app.get_system_commands(app.screen)]
    assert "Export…" in titles and "Import…" in titles


async def test_export_writes_the_workbook_next_to_the_workspace(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await palette(pilot, "Export")
        assert isinstance(app.screen, FormScreen)
        assert app.screen.query_one("#field-path", Input).value == str(demo_file.with_suffix(".xlsx"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
        await app.workers.wait_for_complete()  # written in a worker, the keys answered meanwhile
    assert load_workbook(demo_file.with_suffix(".xlsx")).sheetnames[:2] == ["Pilot set-up", "Stages"]


async def test_import_previews_then_writes_only_after_yes(empty_file: Path):
    app = GtmApp(empty_file, Workspace.open(empty_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await palette(pilot, "Import")
        app.screen.query_one("#field-path", Input).value = str(FIXTURES / "trello-content-calendar.json")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "stages: 4 added" in app.screen.details
        assert Workspace.open(empty_file).count(Stage) == 0  # nothing yet
        await pilot.press("n")
        await pilot.pause()
        assert Workspace.open(empty_file).count(Stage) == 0
        await palette(pilot, "Import")
        app.screen.query_one("#field-path", Input).value = str(FIXTURES / "trello-content-calendar.json")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    saved = Workspace.open(empty_file)
    assert [s.name for s in saved.all(Stage)] == ["Ideas", "Writing", "Review", "Scheduled"]
    assert saved.count(WorkItem) == 5


async def test_a_broken_row_keeps_the_form_open_with_the_reason(empty_file: Path):
    app = GtmApp(empty_file, Workspace.open(empty_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await palette(pilot, "Import")
        app.screen.query_one("#field-path", Input).value = str(FIXTURES / "asana-broken-row.csv")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        shown = str(app.screen.query_one("#error-path").render())
        assert "asana-broken-row.csv line 4" in shown and "not a real date" in shown
    assert Workspace.open(empty_file).count(Stage) == 0


def test_cli_import_reports_and_exits(empty_file: Path, capsys):
    before = empty_file.read_bytes()
    assert main(["import", str(empty_file), str(FIXTURES / "asana-broken-row.csv")]) == 1
    assert "asana-broken-row.csv line 4: Due Date: 2026-11-31 is not a real date" in capsys.readouterr().err
    assert empty_file.read_bytes() == before
    assert main(["import", str(empty_file), str(FIXTURES / "asana-content-calendar.csv"), "--from", "asana"]) == 0
    assert "work items: 5 added" in capsys.readouterr().out
    assert main(["import", str(empty_file), str(FIXTURES / "asana-content-calendar.csv")]) == 0
    assert "15 already up to date" in capsys.readouterr().out
    assert Workspace.open(empty_file).count(WorkItem) == 5


def test_cli_export_then_import_round_trip(demo_file: Path, empty_file: Path, tmp_path: Path):
    out = tmp_path / "pilot.xlsx"
    assert main(["export", str(demo_file), "--format", "xlsx", "-o", str(out)]) == 0
    assert main(["export", str(demo_file), "--format", "ics", "-o", str(tmp_path / "pilot.ics")]) == 0
    assert main(["import", str(empty_file), str(out)]) == 0
    assert Workspace.open(empty_file).count(WorkItem) == Workspace.open(demo_file).count(WorkItem)


async def test_the_import_dialog_measures_the_baseline_from_a_past_campaign(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 50)) as pilot:
        await palette(pilot, "Import")
        form = app.screen
        form.query_one("#field-path", Input).value = str(FIXTURES / "trello-spring-launch.json")
        form.query_one("#field-use", Select).value = "baseline"
        form.query_one("#field-mapping", Input).value = "Ideas=Nowhere"
        form.query_one("#field-tz", Input).value = "UTC"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # a mapping to no stage: the form stays, with the reason under the mapping
        assert "the pilot has no stage named 'Nowhere'" in str(form.query_one("#error-mapping").render())
        form.query_one("#field-mapping", Input).value = (
            "Ideas=Idea & brief; Writing=Copywriting; Review=Creative review; Approval=Launch approval; Done=Publish"
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.question == "Measure the baseline from Trello board 'Spring launch'?"
        assert "baseline items: 5 added, 6 removed" in app.screen.details
        assert Workspace.open(demo_file).count(BaselineItem) == 6  # nothing written yet
        await pilot.press("y")
        await pilot.pause()
    saved = Workspace.open(demo_file)
    assert saved.count(BaselineItem) == 5 and saved.pilot().baseline_source["file"] == "trello-spring-launch.json"
    assert saved.count(WorkItem) == 13


async def test_export_asks_before_replacing_a_file_and_never_writes_over_the_workspace(demo_file: Path):
    target = demo_file.with_suffix(".xlsx")
    target.write_text("a teammate's own workbook", encoding="utf-8")
    before = demo_file.read_bytes()
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await palette(pilot, "Export")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and app.screen.question == f"Replace {target.name}?"
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)  # still there, to type another name
        assert target.read_text(encoding="utf-8") == "a teammate's own workbook"
        app.screen.query_one("#field-path", Input).value = str(demo_file)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert "is the workspace itself" in str(app.screen.query_one("#error-path").render())
        assert demo_file.read_bytes() == before
        app.screen.query_one("#field-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not isinstance(app.screen, (FormScreen, ConfirmScreen))
        await app.workers.wait_for_complete()
    assert load_workbook(target).sheetnames[0] == "Pilot set-up"
    assert demo_file.read_bytes() == before


async def test_in_a_browser_session_exports_stay_in_the_owners_folder_and_come_as_downloads(
    demo_file: Path, tmp_path: Path, monkeypatch
):
    shared = tmp_path / "exports"
    shared.mkdir()
    monkeypatch.setenv(SESSION_FOLDER_VARIABLE, str(shared))
    monkeypatch.setattr(GtmApp, "is_web", property(lambda self: True))
    delivered: list[tuple[Path, str]] = []
    monkeypatch.setattr(
        GtmApp, "deliver_binary", lambda self, path, **kw: delivered.append((Path(path), kw["save_filename"]))
    )
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await palette(pilot, "Export")
        path = app.screen.query_one("#field-path", Input)
        assert path.value == str(shared / "demo-pilot.xlsx")
        path.value = str(tmp_path / "outside.xlsx")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert "exports go under" in str(app.screen.query_one("#error-path").render())
        path.value = "../sneaky.xlsx"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        path.value = "for-leadership.xlsx"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
        await app.workers.wait_for_complete()
    assert not (tmp_path / "outside.xlsx").exists() and not (tmp_path / "sneaky.xlsx").exists()
    assert delivered == [(shared / "for-leadership.xlsx", "for-leadership.xlsx")]
    assert load_workbook(shared / "for-leadership.xlsx").sheetnames[0] == "Pilot set-up"


async def test_saving_the_report_asks_before_replacing_it(demo_file: Path):
    report = demo_file.with_name("demo-pilot-report.md")
    report.write_text("last week's report, with my notes", encoding="utf-8")
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6", "w")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert report.read_text(encoding="utf-8") == "last week's report, with my notes"
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await app.workers.wait_for_complete()
    assert report.read_text(encoding="utf-8").startswith("# ")
