"""Where the app's Export… writes, and what it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from gtm_tui.data.model import ValidationError
from gtm_tui.io.exporting import chosen_path, default_path, export, formats
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
    with pytest.raises(ValidationError, match="path: cannot write"):
        export(demo, "md", folder / "pilot-report.md")
    assert [path.name for path in folder.iterdir()] == ["pilot-report.md"]
