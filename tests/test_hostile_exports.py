"""Hostile text in every export: no escape sequence, no live formula, no corrupt workbook, a clean round trip."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from hostile import HOSTILE, leaks, poison
from icalendar import Calendar
from openpyxl import load_workbook

from gtm_tui.cli.main import main
from gtm_tui.data.model import Person, RaciAssignment, Stage
from gtm_tui.data.workspace import Workspace
from gtm_tui.io import EXPORTERS, exporter, raci_csv
from gtm_tui.io.cells import neutralise, restore, text_cell
from gtm_tui.io.exporting import export
from gtm_tui.io.importing import BadRow, apply_plan, plan_import
from gtm_tui.overview.person_page import person_markdown, person_page
from gtm_tui.raci.matrix import raci_markdown
from gtm_tui.review.report import build_report

FORMULA = '=HYPERLINK("http://evil","x")'


def exported_bytes(workspace: Workspace, fmt: str, tmp_path: Path) -> bytes:
    """Everything an export of ``fmt`` writes, the text inside a workbook's zip included."""
    out = tmp_path / f"out-{fmt}"
    export(workspace, fmt, out)
    files = sorted(path for path in out.rglob("*") if path.is_file()) if out.is_dir() else [out]
    if fmt == "xlsx":
        with zipfile.ZipFile(out) as archive:
            return b"".join(archive.read(name) for name in archive.namelist())
    return b"".join(file.read_bytes() for file in files)


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_no_export_carries_an_escape_sequence(demo_file: Path, tmp_path: Path, fmt: str):
    poison(demo_file)
    written = exported_bytes(Workspace.open(demo_file), fmt, tmp_path).decode("utf-8")
    assert not leaks(written), leaks(written)
    assert "\x1b" not in written and "\x07" not in written and "\x9b" not in written
    assert "Eve" in written  # the hostile records are there, made inert


def test_the_markdown_the_app_copies_is_inert_too(demo_file: Path):
    touched = poison(demo_file)
    workspace = Workspace.open(demo_file)
    page = person_page(workspace, touched["people"])
    for text in (raci_markdown(workspace, "pilot"), person_markdown(page), build_report(workspace)):
        assert not leaks(text) and "52;c;ZWNobyBwd25lZA==␇" in text and "␛" in text


def test_the_report_shows_links_and_html_in_notes_as_text(workspace: Workspace):
    workspace.update(workspace.pilot(), goal="[Click](http://evil) <img src=http://evil/pixel> ![x](http://evil)")
    report = build_report(workspace)
    assert "\\[Click\\](http://evil) \\<img src=http://evil/pixel\\> !\\[x\\](http://evil)" in report


def test_xlsx_of_a_pilot_with_a_control_character_in_its_name_is_a_valid_workbook(demo_file: Path, tmp_path: Path):
    poison(demo_file, {"pilot": ("name",), "people": ("name",)})
    out = tmp_path / "pilot.xlsx"
    assert main(["export", str(demo_file), "-f", "xlsx", "-o", str(out)]) == 0
    book = load_workbook(out)  # corrupt XML would raise here (and in Excel)
    assert book.properties.title.startswith("Eve name␛]52;c;")
    names = [row[1] for row in book["People"].iter_rows(min_row=2, values_only=True)]
    assert any(name.startswith("Eve name␛]52") for name in names)


def test_importing_a_damaged_workbook_says_so_in_one_line(demo_file: Path, empty_file: Path, tmp_path: Path, capsys):
    """A workbook whose document properties hold a raw control character (as older versions wrote them)."""
    good = tmp_path / "good.xlsx"
    export(Workspace.open(demo_file), "xlsx", good)
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "docProps/core.xml":
                data = data.replace(b"<dc:creator>", b"<dc:title>Pi\x1blot</dc:title><dc:creator>")
            target.writestr(name, data)
    with pytest.raises(BadRow, match="is not an Excel workbook"):
        plan_import(Workspace.open(empty_file), bad)
    assert main(["import", str(empty_file), str(bad)]) != 0
    error = capsys.readouterr().err
    assert error.startswith("gtm-tui: ") and "Traceback" not in error and len(error.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "text", [" =1+1", "  @SUM(A1)", "\u3000=1+1", "\xa0+1", "\n=cmd", "＝1+1", "＋1", "－1", "＠SUM(A1)", " ＝1", "﹦1"]
)
def test_formulas_behind_white_space_or_in_full_width_are_caught(text):
    assert neutralise(text) == "'" + text
    assert restore(neutralise(text)) == text
    assert text_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["a = b", "1 + 1", "e-mail", "Q4 ＝ launch", "'"])
def test_text_with_formula_characters_inside_is_left_alone(text):
    assert neutralise(text) == text


def test_raci_csv_neutralises_names_in_its_header_and_rows(workspace: Workspace):
    person = workspace.add(Person(name=FORMULA))
    other = workspace.add(Person(name=" ＝1+1"))
    stage = workspace.add(Stage(name="+SUM(1)"))
    workspace.add(RaciAssignment(stage_id=stage.id, person_id=person.id, role="A"))
    workspace.add(RaciAssignment(stage_id=stage.id, person_id=other.id, role="R"))
    rows = list(csv.reader(io.StringIO(raci_csv.render(workspace))))
    assert sorted(rows[0][1:]) == sorted(["'" + FORMULA, "' ＝1+1"])
    assert rows[1][0] == "'+SUM(1)"
    live = [cell for row in rows for cell in row if cell.lstrip().startswith(("=", "+", "-", "@", "＝"))]
    assert live == []


def test_a_csv_folder_whose_names_begin_with_a_tab_imports_back(workspace: Workspace, empty_file: Path, tmp_path: Path):
    person = workspace.add(Person(name="Alice"))
    stage = workspace.add(Stage(name="Brief"))
    workspace.add(RaciAssignment(stage_id=stage.id, person_id=person.id, role="A"))
    raw = workspace.path.read_text(encoding="utf-8").replace('"Alice"', '"\\tAlice"').replace('"Brief"', '"\\tBrief"')
    workspace.path.write_text(raw, encoding="utf-8")  # as another tool could leave them
    out = tmp_path / "pilot-csv"
    export(Workspace.open(workspace.path), "csv", out)
    target = Workspace.open(empty_file)
    apply_plan(target, plan_import(target, out))
    assert [p.name for p in target.all(Person)] == ["Alice"]
    assert [s.name for s in target.all(Stage)] == ["Brief"]
    assert [(r.role, r.layer) for r in target.all(RaciAssignment)] == [("A", "pilot")]


def test_ics_and_mermaid_stay_valid_with_hostile_names(demo_file: Path):
    poison(demo_file)
    workspace = Workspace.open(demo_file)
    calendar = Calendar.from_ical(exporter("ics").render(workspace))
    summaries = [str(event.get("summary")) for event in calendar.walk("VEVENT")]
    assert any("␛]52;c;" in summary for summary in summaries)
    diagram = exporter("mermaid").render(workspace)
    assert diagram.startswith("%% Eve name␛#93;52#59;c#59;") and "\x1b" not in diagram
    assert all("\n" not in line for line in diagram.splitlines())


def test_an_import_drops_control_characters_before_they_reach_the_file(empty_file: Path, tmp_path: Path):
    """A CSV written by another tool with escape sequences in it: the records land clean."""
    folder = tmp_path / "theirs"
    folder.mkdir()
    with (folder / "people.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["name", "role"], [f"Eve{HOSTILE}"[:60], "writer\x1b[2J"]])
    target = Workspace.open(empty_file)
    apply_plan(target, plan_import(target, folder))
    [person] = Workspace.open(empty_file).all(Person)
    assert person.name.startswith("Eve]52;c;") and person.role == "writer[2J"
    assert not leaks(empty_file.read_text(encoding="utf-8"))
    again = plan_import(Workspace.open(empty_file), folder)  # planned as stored: nothing left to change
    assert again.planned == [] and again.unchanged == 1
