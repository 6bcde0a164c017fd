"""Where the app's Export… writes, and what it refuses."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gtm_tui.cli.main import main
from gtm_tui.data.backups import folder_for
from gtm_tui.data.model import Pilot, ValidationError
from gtm_tui.data.workspace import Workspace
from gtm_tui.io.exporting import (
    SESSION_FOLDER_VARIABLE,
    WouldReplace,
    chosen_path,
    default_path,
    export,
    formats,
    session_folder,
)
from gtm_tui.review.report import build_report


def test_defaults_sit_next_to_the_workspace():
    workspace = Path("/shared/pilot.json")
    assert default_path(workspace, "xlsx") == Path("/shared/pilot.xlsx")
    assert default_path(workspace, "ics") == Path("/shared/pilot.ics")
    assert default_path(workspace, "csv") == Path("/shared/pilot-csv")


def test_the_path_follows_the_format_until_someone_types_one():
    workspace = Path("/shared/pilot.json")
    assert chosen_path(workspace, "ics", "/shared/pilot.xlsx") == Path("/shared/pilot.ics")
    assert chosen_path(workspace, "ics", "") == Path("/shared/pilot.ics")
    assert chosen_path(workspace, "ics", "deadlines.ics") == Path("/shared/deadlines.ics")
    assert chosen_path(workspace, "ics", "/tmp/x.ics") == Path("/tmp/x.ics")


def test_our_formats_come_first():
    assert [name for _, name in formats()][:3] == ["xlsx", "csv", "ics"]


def test_a_missing_folder_is_explained(demo, tmp_path):
    with pytest.raises(ValidationError, match="path: folder .* does not exist"):
        export(demo, "xlsx", tmp_path / "nowhere" / "pilot.xlsx")
    assert export(demo, "ics", tmp_path / "pilot.ics").read_text().startswith("BEGIN:VCALENDAR")


def test_the_report_has_one_name_and_is_the_markdown_export(demo, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    assert default_path(Path("/shared/pilot.json"), "md") == Path("/shared/pilot-report.md")
    out = export(demo, "md", default_path(folder / "pilot.json", "md"))
    assert out == folder / "pilot-report.md"
    assert out.read_text(encoding="utf-8") == build_report(demo)
    assert [path.name for path in folder.iterdir()] == ["pilot-report.md"]  # no temp file left behind


def test_a_text_export_over_a_folder_is_refused_and_leaves_no_temp_file(demo, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "pilot-report.md").mkdir()
    with pytest.raises(ValidationError, match="path: .* is a folder; give a file name"):
        export(demo, "md", folder / "pilot-report.md")
    assert [path.name for path in folder.iterdir()] == ["pilot-report.md"]


# -- what an export may write over -------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "xlsx", "ics", "mermaid", "raci-csv"])
def test_an_export_never_writes_over_the_workspace(demo, fmt):
    before = demo.path.read_bytes()
    with pytest.raises(ValidationError, match="is the workspace itself"):
        export(demo, fmt, demo.path, replace=True)
    assert demo.path.read_bytes() == before


def test_nor_through_a_link_or_over_its_lock_temp_files_or_backups(demo, tmp_path):
    before = demo.path.read_bytes()
    link = tmp_path / "report.md"
    link.symlink_to(demo.path)
    hard = tmp_path / "hard.md"
    os.link(demo.path, hard)
    backups = folder_for(demo.path)
    backups.mkdir(exist_ok=True)
    refused = [
        (link, "is the workspace itself"),
        (hard, "is the workspace itself"),
        (demo.path.with_name(demo.path.name + ".lock"), "lock"),
        (demo.path.with_name(f".{demo.path.name}.abc123.tmp"), "lock or a save in progress"),
        (backups / "pilot.2026-11-18.100000.daily.json", "backups"),
    ]
    for path, reason in refused:
        with pytest.raises(ValidationError, match=reason):
            export(demo, "md", path, replace=True)
    with pytest.raises(ValidationError, match="backups"):
        export(demo, "csv", backups, replace=True)
    assert demo.path.read_bytes() == before and link.is_symlink()


def test_a_csv_folder_beside_a_workspace_named_like_one_of_its_files_is_refused(tmp_path):
    path = tmp_path / "people.csv"
    Workspace.create(path, Pilot(name="Odd name"))
    with pytest.raises(ValidationError, match="is the workspace itself"):
        export(Workspace.open(path), "csv", tmp_path, replace=True)


def test_an_existing_file_is_replaced_only_when_asked(demo, tmp_path):
    out = tmp_path / "report.md"
    out.write_text("my own notes", encoding="utf-8")
    with pytest.raises(WouldReplace) as question:
        export(demo, "md", out)
    assert question.value.existing == [out] and "already exists" in str(question.value)
    assert out.read_text(encoding="utf-8") == "my own notes"
    export(demo, "md", out, replace=True)
    assert out.read_text(encoding="utf-8").startswith("# ")


def test_a_csv_folder_asks_when_one_of_its_files_exists(demo, tmp_path):
    out = tmp_path / "tables"
    out.mkdir()
    export(demo, "csv", out)  # an empty folder: nothing to replace
    with pytest.raises(WouldReplace) as question:
        export(demo, "csv", out)
    assert len(question.value.existing) == len(list(out.glob("*.csv")))


def test_in_a_browser_session_exports_stay_under_the_chosen_folder(demo, tmp_path):
    shared = tmp_path / "exports"
    shared.mkdir()
    with pytest.raises(ValidationError, match="exports go under"):
        export(demo, "md", tmp_path / "elsewhere.md", under=shared)
    with pytest.raises(ValidationError, match="exports go under"):
        export(demo, "md", shared / ".." / "escape.md", under=shared)
    assert export(demo, "md", shared / "report.md", under=shared).is_file()
    assert not (tmp_path / "elsewhere.md").exists() and not (tmp_path / "escape.md").exists()


def test_the_session_folder_is_the_owners_choice_else_the_workspaces(monkeypatch, tmp_path):
    workspace = tmp_path / "pilot.json"
    monkeypatch.delenv(SESSION_FOLDER_VARIABLE, raising=False)
    assert session_folder(workspace, in_browser=False) is None
    assert session_folder(workspace, in_browser=True) == tmp_path.resolve()
    monkeypatch.setenv(SESSION_FOLDER_VARIABLE, str(tmp_path / "chosen"))
    assert session_folder(workspace, in_browser=True) == tmp_path / "chosen"


def test_the_cli_refuses_to_overwrite_the_workspace_and_asks_for_force(demo_file, tmp_path, capsys):
    before = demo_file.read_bytes()
    assert main(["export", str(demo_file), "-f", "md", "-o", str(demo_file)]) != 0
    assert main(["export", str(demo_file), "-f", "md", "-o", str(demo_file), "--force"]) != 0
    assert demo_file.read_bytes() == before
    assert "is the workspace itself" in capsys.readouterr().err
    out = tmp_path / "report.md"
    out.write_text("keep me", encoding="utf-8")
    assert main(["export", str(demo_file), "-f", "md", "-o", str(out)]) == 1
    assert "already exists" in capsys.readouterr().err and out.read_text(encoding="utf-8") == "keep me"
    assert main(["export", str(demo_file), "-f", "md", "-o", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8").startswith("# ")
