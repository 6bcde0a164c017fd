"""``gtm-tui import --from raci|retro`` and the app's Import dialog with its preview, driven end to end."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Select, Static

from gtm_tui.app import GtmApp
from gtm_tui.cli.main import main
from gtm_tui.data.model import ActionItem, Feedback, RaciAssignment, Stage
from gtm_tui.data.workspace import Workspace
from gtm_tui.raci.matrix import matrix_table
from gtm_tui.screens.dialogs.forms import FormScreen
from gtm_tui.screens.dialogs.import_preview import ImportPreviewScreen

FIXTURES = Path(__file__).parent / "fixtures"


def test_cli_imports_a_raci_into_the_layer_asked_and_reports_how_it_read_it(demo_file: Path, capsys):
    before = demo_file.read_bytes()
    source = FIXTURES / "raci" / "people-across.csv"
    args = ["import", str(demo_file), str(source), "--from", "raci", "--layer", "pilot"]
    assert main([*args, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Would import RACI matrix people-across.csv (pilot layer)")
    assert "D9 (Creative review × Priya Raman) 'CI': read as C: a cell holds one role, so I was dropped" in out
    assert "F10 (Legal check × Legal): 'S' is RASCI's Support" in out
    assert "RACI problems after the import (pilot layer)" in out
    assert demo_file.read_bytes() == before  # a dry run writes nothing
    assert main([*args, "--map", "Legal check=Launch approval / legal check"]) == 0
    assert "Imported RACI matrix" in capsys.readouterr().out
    saved = Workspace.open(demo_file)
    header, rows = matrix_table(saved, "pilot")
    row = next(r for r in rows if r[0] == "Launch approval / legal check")
    assert row[header.index("Priya Raman")] == "A/R"


def test_cli_refuses_clearly_and_writes_nothing(demo_file: Path, tmp_path: Path, capsys):
    before = demo_file.read_bytes()
    notes = tmp_path / "notes.csv"
    notes.write_text("Activity,Owner\nWrite the brief,Maya\n", encoding="utf-8")
    assert main(["import", str(demo_file), str(notes), "--from", "raci"]) == 1
    assert "nothing imported — notes.csv: holds no RACI codes" in capsys.readouterr().err
    assert main(["import", str(demo_file), str(FIXTURES / "trello-content-calendar.json"), "--layer", "pilot"]) == 1
    assert "--layer does not apply to a trello import" in capsys.readouterr().err
    assert demo_file.read_bytes() == before


def test_cli_imports_retro_notes_guessing_the_format(demo_file: Path, capsys):
    before = Workspace.open(demo_file).count(Feedback)
    assert main(["import", str(demo_file), str(FIXTURES / "retro" / "campaign-retro.md")]) == 0
    out = capsys.readouterr().out
    assert "feedback notes: 11 added" in out and "action items: 5 added" in out
    assert "What went well → question 1 'Which workflow steps sped up your work?'" in out
    assert Workspace.open(demo_file).count(Feedback) == before + 11


async def _open_import(pilot, app: GtmApp, path: Path, fmt: str | None = None, layer: str | None = None) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    for char in "Import":
        await pilot.press(char)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, FormScreen)
    app.screen.query_one("#field-path", Input).value = str(path)
    if fmt:
        app.screen.query_one("#field-format", Select).value = fmt
    if layer:
        app.screen.query_one("#field-layer", Select).value = layer
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_import_dialog_previews_the_grid_as_understood_then_writes_on_yes(empty_file: Path):
    app = GtmApp(empty_file, Workspace.open(empty_file))
    async with app.run_test(size=(140, 50)) as pilot:
        await _open_import(pilot, app, FIXTURES / "raci" / "people-across.csv", "raci", "pilot")
        screen = app.screen
        assert isinstance(screen, ImportPreviewScreen)
        shown = "\n".join(str(static.render()) for static in screen.query(Static))
        assert "activities down, people across" in shown
        assert "'RA': read as A/R" in shown and "'S' is RASCI's Support" in shown
        assert "RACI problems after the import (pilot layer)" in shown
        grid = screen.query_one("#preview-grid", DataTable)
        assert grid.row_count == 6
        assert [str(cell) for cell in grid.get_row_at(4)] == ["Legal check", "I", "", "A/R*", "", "?"]
        assert Workspace.open(empty_file).count(RaciAssignment) == 0  # nothing yet
        # Change where "Legal check" goes: onto a new stage is what it does now; leave it out instead.
        mapping = screen.query_one("#preview-mapping", DataTable)
        mapping.move_cursor(row=4)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        app.screen.query_one("#field-target", Select).value = "skip"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert screen.query_one("#preview-grid", DataTable).row_count == 5
        assert "Legal check → left out" in "\n".join(
            f"{line.source} → {line.becomes}" for line in screen.plan.mapping)
        await pilot.press("y")
        await pilot.pause()
        assert not isinstance(app.screen, ImportPreviewScreen)
    saved = Workspace.open(empty_file)
    assert "Legal check" not in {s.name for s in saved.all(Stage)}
    assert saved.count(RaciAssignment) == 18
    assert {a.layer for a in saved.all(RaciAssignment)} == {"pilot"}


async def test_leaving_the_preview_writes_nothing_and_ctrl_z_undoes_an_import(demo_file: Path):
    before = Workspace.open(demo_file).count(ActionItem)
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(140, 50)) as pilot:
        await _open_import(pilot, app, FIXTURES / "retro" / "board.csv")
        assert isinstance(app.screen, ImportPreviewScreen)
        await pilot.press("n")
        await pilot.pause()
        assert Workspace.open(demo_file).count(ActionItem) == before
        await _open_import(pilot, app, FIXTURES / "retro" / "board.csv")
        await pilot.press("y")
        await pilot.pause()
        assert Workspace.open(demo_file).count(ActionItem) == before + 3
        await pilot.press("ctrl+z")
        await pilot.pause()
    assert Workspace.open(demo_file).count(ActionItem) == before


async def test_import_dialog_gives_each_format_the_options_it_uses(empty_file: Path):
    """One form for every import: a time zone (for boards) does not stop a RACI import; its mapping reaches it."""
    app = GtmApp(empty_file, Workspace.open(empty_file))
    async with app.run_test(size=(140, 50)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        for char in "Import":
            await pilot.press(char)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-path", Input).value = str(FIXTURES / "raci" / "people-across.csv")
        form.query_one("#field-tz", Input).value = "UTC"
        form.query_one("#field-mapping", Input).value = "Legal check=skip; Nowhere=skip"
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ImportPreviewScreen)
        assert screen.plan.options.tz is None  # the time zone was not the RACI's to take
        assert "Legal check → left out" in [f"{line.source} → {line.becomes}" for line in screen.plan.mapping]
        assert screen.query_one("#preview-grid", DataTable).row_count == 5
