"""RACI matrices from the files teams already have: every layout, every source, our own exports back unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from gtm_tui.data.model import Person, Pilot, RaciAssignment, Stage
from gtm_tui.data.workspace import Workspace
from gtm_tui.io import raci_csv, xlsx
from gtm_tui.io.grids import pick_delimiter, read_csv_grid, read_markdown_tables, split_row
from gtm_tui.io.import_report import ReviewedPlan
from gtm_tui.io.importing import BadRow, ReadOptions, apply_plan, guess_format, plan_import
from gtm_tui.raci.matrix import matrix_table

RACI = Path(__file__).parent / "fixtures" / "raci"


def raci_plan(workspace: Workspace, path: Path, **options) -> ReviewedPlan:
    plan = plan_import(workspace, path, "raci", ReadOptions(**options))
    assert isinstance(plan, ReviewedPlan)
    return plan


def counts(plan: ReviewedPlan) -> dict[str, tuple[int, int, int]]:
    return {label: (added, updated, removed) for label, added, updated, removed in plan.counts()}


def cells(workspace: Workspace, layer: str = "today") -> dict[tuple[str, str], str]:
    """(row label, person name) -> role, as the RACI screen would show them."""
    header, rows = matrix_table(workspace, layer)
    return {(row[0], name): role for row in rows for name, role in zip(header[1:], row[1:], strict=False) if role}


# -- layouts ---------------------------------------------------------------------------


def test_people_across_with_legend_spacer_notes_and_codes_to_interpret(demo: Workspace):
    plan = raci_plan(demo, RACI / "people-across.csv")
    assert "people-across, detected" in plan.read_as[0]
    assert counts(plan) == {"stage": (1, 0, 0), "person": (2, 0, 0), "RACI role": (12, 4, 1)}
    interpreted = "\n".join(plan.interpreted)
    assert "C7 (Creative design × Daniel Okafor) 'R/A': read as A/R" in interpreted
    assert "B9 (Creative review × Maya Thornton) 'Accountable': read as A" in interpreted
    assert "D9 (Creative review × Priya Raman) 'CI': read as C: a cell holds one role, so I was dropped" in interpreted
    assert "D10 (Legal check × Priya Raman) 'RA': read as A/R" in interpreted
    assert "'Design team' is added as a team" in interpreted
    assert plan.unreadable == ["F10 (Legal check × Legal): 'S' is RASCI's Support, not a RACI role; write C or R"]
    skipped = "\n".join(plan.skipped)
    assert "row 1: above the header" in skipped and "legend above the header skipped: row 2" in skipped
    assert "empty rows skipped: row 8" in skipped and "notes below the table skipped: row 12" in skipped
    assert any(line.startswith("error: Creative design") or "Strategy sign-off" in line for line in plan.problems)
    apply_plan(demo, plan)
    found = cells(demo)
    assert found[("Creative design", "Daniel Okafor")] == "A/R"
    assert ("Creative design", "Maya Thornton") not in found  # the file leaves it empty: cleared
    assert found[("Legal check", "Priya Raman")] == "A/R"
    assert ("Legal check", "Legal") not in found  # 'S' was not guessed
    team = next(p for p in demo.all(Person) if p.name == "Design team")
    assert (team.role, team.team) == ("team", "Design team")


def test_section_rows_become_stages_with_their_activities(workspace: Workspace):
    plan = raci_plan(workspace, RACI / "sections-semicolon.csv")
    assert "cells separated by semicolons" in plan.read_as
    apply_plan(workspace, plan)
    assert [s.name for s in workspace.all(Stage)] == ["PLANNING", "CONTENT", "LAUNCH"]
    found = cells(workspace)
    assert found[("PLANNING / Write the brief", "Marketing lead")] == "A"
    assert found[("LAUNCH / Go live", "Web developer")] == "R"
    assert len(found) == 19
    roles = {p.name: p.role for p in workspace.all(Person)}
    assert roles["Campaign manager"] == "Campaign manager"  # a role title, marked as one


def test_transposed_letters_across_with_names_all_and_qualifiers(workspace: Workspace):
    plan = raci_plan(workspace, RACI / "transposed.csv")
    assert "letters-across, detected" in plan.read_as[0]
    apply_plan(workspace, plan)
    found = cells(workspace)
    assert found[("Campaign brief", "Aisha Karimi")] == "C"
    assert found[("Campaign brief", "Sofia Alvarez")] == "I"  # "All" in Informed: everyone the row does not name
    assert found[("Campaign brief", "Daniel Okafor")] == "R"  # named under R: "All" does not lower it
    assert found[("Landing page copy", "Legal")] == "C"  # "Legal (if claims are made)"
    assert found[("Social posts", "Sofia Alvarez")] == "R"  # "Sofia Alvarez + Priya Raman"
    assert found[("Launch report", "Daniel Okafor")] == "A/R"  # under R and under A
    assert ("Social posts", "Aisha Karimi") in found and found[("Social posts", "Aisha Karimi")] == "I"
    assert len(workspace.all(Person)) == 7
    assert any("named under R and A: read as A/R" in line for line in plan.interpreted)


def test_people_down(workspace: Workspace):
    plan = raci_plan(workspace, RACI / "roles-down.csv")
    assert "people-down, detected" in plan.read_as[0]
    apply_plan(workspace, plan)
    stages = [s.name for s in workspace.all(Stage)]
    assert stages == ["Write brief", "Draft copy", "Design visuals", "Review", "Publish"]
    found = cells(workspace)
    assert found[("Design visuals", "Lukas Brenner")] == "R"
    assert found[("Publish", "Tom Becker")] == "R"
    assert len(found) == 16


def test_single_role_sheet_takes_the_person_from_the_file_name(workspace: Workspace):
    plan = raci_plan(workspace, RACI / "copywriter.csv")
    assert "single-role, detected" in plan.read_as[0]
    apply_plan(workspace, plan)
    assert cells(workspace) == {("Write the brief", "Copywriter"): "C", ("Draft the copy", "Copywriter"): "R",
                                ("Proofread", "Copywriter"): "A/R", ("Publish", "Copywriter"): "I"}


def test_first_column_filled_down_and_numbering_left_out(workspace: Workspace):
    plan = raci_plan(workspace, RACI / "phases-fill-down.tsv")
    assert "cells separated by tabs" in plan.read_as
    assert any("filled down" in line for line in plan.interpreted)
    apply_plan(workspace, plan)
    assert [s.name for s in workspace.all(Stage)] == ["Plan", "Create", "Launch"]
    found = cells(workspace)
    assert found[("Plan / Write the brief", "Priya Raman")] == "C"
    assert found[("Launch / Publish", "Daniel Okafor")] == "A/R"
    assert len(found) == 13


def test_one_row_a_role_list(workspace: Workspace):
    plan = raci_plan(workspace, RACI / "list.csv")
    assert "list, detected" in plan.read_as[0]
    apply_plan(workspace, plan)
    assert cells(workspace) == {
        ("Write the brief", "Maya Thornton"): "A", ("Write the brief", "Daniel Okafor"): "R",
        ("Draft the copy", "Priya Raman"): "R", ("Draft the copy", "Daniel Okafor"): "A",
        ("Draft the copy", "Maya Thornton"): "I",
    }


def test_markdown_with_a_legend_table_ragged_pipes_tabs_and_escaped_pipes(workspace: Workspace):
    plan = raci_plan(workspace, RACI / "wiki.md")
    assert "table 2 (line 14)" in plan.read_as[0]
    assert any("table 1 (line 5)" in line for line in plan.skipped)  # the legend table
    apply_plan(workspace, plan)
    found = cells(workspace)
    assert found[("Planning / Budget sign-off", "Maya Thornton")] == "A/R"  # "A / R" with trailing spaces
    assert found[("Planning / Campaign brief", "Priya Raman")] == "C"  # a tab around the cell
    assert found[("Production / Copy | headlines", "Legal | Compliance")] == "C"  # escaped pipes
    assert found[("Production / Fact check", "Legal | Compliance")] == "R"  # "R/C", no closing pipe
    assert any("'R/C': read as R" in line for line in plan.interpreted)


def test_markdown_roles_as_columns_with_combined_codes_and_a_legend_after(workspace: Workspace):
    plan = raci_plan(workspace, RACI / "project-roles.md")
    apply_plan(workspace, plan)
    found = cells(workspace)
    assert found[("Schedule / Gantt chart", "Marketing Lead")] == "A/R"  # not split: no such stage
    assert found[("Campaign brief", "Campaign Manager")] == "C"  # "C / I"
    assert len(found) == 33
    assert {p.role for p in workspace.all(Person) if p.name == "Agency"} == {"team"}


# -- workbooks -------------------------------------------------------------------------


def _workbook(path: Path) -> Path:
    """Three sheets: notes; a RACI not at A1 under a title, with merged section rows; a transposed one."""
    book = Workbook()
    notes = book.active
    notes.title = "Read me"
    notes["A1"] = "How we work: see the RACI sheet"
    grid = book.create_sheet("Content RACI")
    grid["B2"] = "Content RACI — Q3"
    grid.append([])
    rows = [
        ["Activity", "Maya Thornton", "Daniel Okafor", "Priya Raman"],
        ["Planning"],
        ["Write the brief", "A", "R", "C"],
        ["Approve the budget", "A/R", "C", None],
        ["Production"],
        ["Draft the copy", "I", "A", "R"],
        ["Proofread", None, "Accountable", "RA"],
    ]
    for offset, row in enumerate(rows):
        for column, value in enumerate(row):
            grid.cell(row=4 + offset, column=3 + column, value=value)
    grid.merge_cells("C5:F5")
    grid.merge_cells("C8:F8")
    other = book.create_sheet("Transposed")
    for row in (["Task", "R", "A", "C", "I"],
                ["Publish", "Tom Becker", "Daniel Okafor", "Sofia Alvarez", "Maya Thornton"],
                ["Measure", "Daniel Okafor", "Maya Thornton", None, "All"]):
        other.append(row)
    book.save(path)
    return path


def test_workbook_grid_not_at_a1_with_merged_section_rows(workspace: Workspace, tmp_path: Path):
    path = _workbook(tmp_path / "raci.xlsx")
    assert guess_format(path) == "raci"
    plan = raci_plan(workspace, path)
    assert plan.read_as[0].startswith("sheet 'Content RACI'")
    assert "header row 4, codes in D5:F10" in plan.read_as[0]
    assert any("sheet 'Transposed' also holds a RACI grid" in line for line in plan.skipped)
    apply_plan(workspace, plan)
    found = cells(workspace)
    assert found[("Planning / Write the brief", "Daniel Okafor")] == "R"
    assert found[("Production / Proofread", "Priya Raman")] == "A/R"
    assert found[("Production / Proofread", "Daniel Okafor")] == "A"
    assert len(found) == 10


def test_workbook_sheet_by_name_and_unknown_sheet_refused(workspace: Workspace, tmp_path: Path):
    path = _workbook(tmp_path / "raci.xlsx")
    plan = raci_plan(workspace, path, sheet="transposed")
    assert "letters-across" in plan.read_as[0]
    apply_plan(workspace, plan)
    assert cells(workspace)[("Measure", "Sofia Alvarez")] == "I"
    with pytest.raises(BadRow, match="has no sheet named 'Budget'.*sheet 'Read me', sheet 'Content RACI'"):
        raci_plan(workspace, path, sheet="Budget")


def test_layout_can_be_forced(workspace: Workspace):
    plan = raci_plan(workspace, RACI / "roles-down.csv", layout="people-across")
    assert "people-across, as asked" in plan.read_as[0]
    apply_plan(workspace, plan)
    assert {s.name for s in workspace.all(Stage)} == {"Maya Thornton", "Daniel Okafor", "Priya Raman", "Lukas Brenner",
                                                      "Tom Becker"}
    with pytest.raises(BadRow, match="no row with R / A / C / I"):
        raci_plan(workspace, RACI / "roles-down.csv", layout="letters-across")


# -- our own exports back, unchanged -----------------------------------------------------


@pytest.mark.parametrize("layer", ["pilot", "today"])
def test_our_raci_csv_round_trips_into_an_empty_pilot(demo: Workspace, workspace: Workspace, tmp_path: Path,
                                                      layer: str):
    source = tmp_path / f"raci-{layer}.csv"
    source.write_text(raci_csv.render(demo, layer), encoding="utf-8")
    plan = raci_plan(workspace, source, layer=layer)
    assert plan.unreadable == [] and plan.interpreted == []
    apply_plan(workspace, plan)
    assert matrix_table(workspace, layer) == matrix_table(demo, layer)
    assert raci_csv.render(workspace, layer) == raci_csv.render(demo, layer)
    again = raci_plan(workspace, source, layer=layer)
    assert again.planned == [] and again.unchanged == workspace.count(RaciAssignment) + workspace.count(Stage) + \
        len(list(workspace.all(Person)))


@pytest.mark.parametrize("layer", ["pilot", "today"])
def test_our_workbook_raci_sheet_round_trips_into_an_empty_pilot(demo: Workspace, workspace: Workspace, tmp_path: Path,
                                                                layer: str):
    source = tmp_path / "pilot.xlsx"
    xlsx.write(demo, source)
    plan = raci_plan(workspace, source, layer=layer)
    assert plan.read_as[0].startswith(f"sheet 'RACI ({layer})'")
    apply_plan(workspace, plan)
    assert matrix_table(workspace, layer) == matrix_table(demo, layer)
    assert [s.name for s in workspace.all(Stage)] == [s.name for s in demo.all(Stage)]


def test_importing_our_pilot_layer_into_the_demo_changes_nothing(demo: Workspace, tmp_path: Path):
    source = tmp_path / "raci.csv"
    source.write_text(raci_csv.render(demo, "pilot"), encoding="utf-8")
    plan = raci_plan(demo, source, layer="pilot")
    assert plan.planned == []
    assert plan.summary()[-1].endswith("already up to date")


# -- mapping, refusals, all or nothing -----------------------------------------------------


def test_mapping_puts_rows_on_existing_stages(demo: Workspace):
    before = demo.count(Stage)
    plan = raci_plan(demo, RACI / "people-across.csv", mapping=["Legal check=Launch approval / legal check"])
    line = next(line for line in plan.mapping if line.source == "Legal check")
    assert line.becomes == "activity 'legal check' of stage 'Launch approval'"
    assert ("stage 'Launch approval'", "Launch approval") in line.choices
    apply_plan(demo, plan)
    assert demo.count(Stage) == before
    assert cells(demo)[("Launch approval / legal check", "Priya Raman")] == "A/R"
    skipped = raci_plan(demo, RACI / "people-across.csv", mapping={"Publish": "skip"})
    assert next(line.becomes for line in skipped.mapping if line.source == "Publish") == "left out"


@pytest.mark.parametrize("content, reason", [
    ("Activity,Owner\nWrite brief,Maya\n", "holds no RACI codes"),
    ("", "is empty"),
    ("R,A\nC,I\n", "no header row above them"),
])
def test_a_file_without_a_matrix_is_refused_with_the_reason(workspace: Workspace, tmp_path: Path, content: str,
                                                             reason: str):
    path = tmp_path / "notes.csv"
    path.write_text(content, encoding="utf-8")
    before = workspace.path.read_bytes()
    with pytest.raises(BadRow, match=reason):
        raci_plan(workspace, path)
    assert workspace.path.read_bytes() == before


def test_options_are_checked(workspace: Workspace):
    with pytest.raises(BadRow, match="--layer: must be one of today, pilot"):
        raci_plan(workspace, RACI / "list.csv", layer="tomorrow")
    with pytest.raises(BadRow, match="--sheet does not apply to a trello import"):
        plan_import(workspace, Path(__file__).parent / "fixtures" / "trello-content-calendar.json", "trello",
                    ReadOptions(sheet="x"))
    with pytest.raises(BadRow, match="'Publish' is not NAME=TARGET"):
        raci_plan(workspace, RACI / "list.csv", mapping=["Publish"])


def test_a_refused_record_writes_nothing(workspace: Workspace, tmp_path: Path):
    path = tmp_path / "long.csv"
    path.write_text("Activity,Maya\nWrite the brief,A\nDraft,R\n", encoding="utf-8")
    plan = raci_plan(workspace, path)
    workspace.add(Person(name="maya"))  # a teammate adds the same name in between
    before = workspace.path.read_bytes()
    with pytest.raises(BadRow, match="already on the team"):
        apply_plan(workspace, plan)
    assert workspace.path.read_bytes() == before
    assert workspace.count(RaciAssignment) == 0


def test_one_undo_step_takes_the_whole_import_back(workspace: Workspace):
    apply_plan(workspace, raci_plan(workspace, RACI / "transposed.csv"))
    assert workspace.count(RaciAssignment) == 21
    workspace.undo()
    assert (workspace.count(RaciAssignment), workspace.count(Person), workspace.count(Stage)) == (0, 0, 0)


# -- reading files ---------------------------------------------------------------------


@pytest.mark.parametrize("text, delimiter", [
    ("a,b,c\n1,2,3\n", ","), ("a;b;c\n1;2;3\n", ";"), ("a\tb\tc\n1\t2\t3\n", "\t"), ("a|b|c\n1|2|3\n", "|"),
    ("sep=;\na;b\n", ";"), ('"x, y";b;c\n1;2;3\n', ";"),
])
def test_delimiters(text: str, delimiter: str):
    assert pick_delimiter(text) == delimiter


def test_csv_in_windows_1252_and_utf16(tmp_path: Path):
    path = tmp_path / "raci.csv"
    path.write_bytes("Tâche;Zoë\nBrief;R\n".encode("cp1252"))
    grid = read_csv_grid(path)
    assert grid.rows == [["Tâche", "Zoë"], ["Brief", "R"]]
    assert "read as Windows-1252 (it is not UTF-8)" in grid.notes
    path.write_bytes("Task\tZoë\nBrief\tA\n".encode("utf-16"))
    assert read_csv_grid(path).rows == [["Task", "Zoë"], ["Brief", "A"]]


def test_markdown_table_reader():
    assert split_row("| a | b \\| c | `x|y` |") == ["a", "b | c", "`x|y`"]
    assert split_row("a | b") == ["a", "b"]
    text = "Intro\n\n```\n| not | a table |\n|---|---|\n```\n\n### RACI\n| A | B |\n|---|---|\n| 1 |\n| 2 | 3 | 4 |\n"
    [grid] = read_markdown_tables(text)
    assert grid.heading == "RACI"
    assert grid.rows == [["A", "B", ""], ["1", "", ""], ["2", "3", "4"]]
    assert grid.lines == [9, 11, 12]
    assert grid.address(2, 1) == "line 12, column 2"


def test_guessing_the_format(tmp_path: Path):
    assert guess_format(RACI / "wiki.md") == "raci"
    assert guess_format(RACI / "people-across.csv") == "raci"
    assert guess_format(RACI / "phases-fill-down.tsv") == "raci"
    retro = Path(__file__).parent / "fixtures" / "retro"
    assert guess_format(retro / "campaign-retro.md") == "retro"
    assert guess_format(retro / "board.csv") == "retro"
    assert guess_format(retro / "parabol.csv") == "retro"
    odd = tmp_path / "notes.md"
    odd.write_text("just some words\n", encoding="utf-8")
    with pytest.raises(BadRow, match="cannot tell its format"):
        guess_format(odd)


def test_an_empty_pilot_gets_new_people_and_stages_in_file_order(empty_file: Path):
    workspace = Workspace.open(empty_file)
    apply_plan(workspace, raci_plan(workspace, RACI / "people-across.csv"))
    assert [s.name for s in workspace.all(Stage)] == ["Idea & brief", "Copywriting", "Creative design",
                                                     "Creative review", "Legal check", "Publish"]
    assert workspace.pilot() == Workspace.open(empty_file).pilot()
    assert Workspace.open(empty_file).count(RaciAssignment) == 20


def test_pilot_record_untouched(workspace: Workspace):
    pilot = workspace.pilot()
    apply_plan(workspace, raci_plan(workspace, RACI / "list.csv"))
    assert workspace.pilot() == pilot
    assert isinstance(pilot, Pilot)


def test_description_column_key_value_rows_and_totals_row_are_left_out(workspace: Workspace, tmp_path: Path):
    path = tmp_path / "template.csv"
    path.write_text("Project Name:,Website relaunch,,,\nProject Manager:,Jane Doe,,,\n,,,,\n"
                    "Task,What,PM,Dev,QA\nRequirements,Gather and write down needs,A,C,I\n"
                    "Build,Write the code,I,A/R,C\nTest,Run the tests,I,C,A/R\nTotal R,,0,1,1\n", encoding="utf-8")
    plan = raci_plan(workspace, path)
    skipped = "\n".join(plan.skipped)
    assert "row 1, row 2: above the header (row 4)" in skipped
    assert "column B 'What' not read" in skipped
    assert "rows of numbers (totals) skipped: row 8 'Total R'" in skipped
    apply_plan(workspace, plan)
    assert [s.name for s in workspace.all(Stage)] == ["Requirements", "Build", "Test"]
    assert workspace.count(RaciAssignment) == 9


def test_names_that_look_like_formulas_or_hold_escapes_round_trip_safely(workspace: Workspace, empty_file: Path,
                                                                          tmp_path: Path):
    ops = workspace.add(Person(name="=Ops team"))
    lead = workspace.add(Person(name="@lead"))
    stage = workspace.add(Stage(name="+Growth / paid", position=0))
    workspace.add(RaciAssignment(layer="today", stage_id=stage.id, person_id=ops.id, role="A/R"))
    workspace.add(RaciAssignment(layer="today", stage_id=stage.id, person_id=lead.id, role="C"))
    exported = raci_csv.render(workspace, "today")
    assert exported.splitlines()[0] == "stage,'=Ops team,'@lead"  # a spreadsheet shows text, runs nothing
    source = tmp_path / "today.csv"
    source.write_text(exported, encoding="utf-8")
    other = Workspace.create(tmp_path / "other.json", Pilot(name="Other"))
    apply_plan(other, raci_plan(other, source))
    assert matrix_table(other, "today") == matrix_table(workspace, "today")
    hostile = tmp_path / "hostile.csv"
    hostile.write_text("Activity,\x1b[31mEve\x07\nBrief,R\n", encoding="utf-8")
    apply_plan(other, raci_plan(other, hostile))
    assert "Eve" in {p.name.replace("[31m", "") for p in other.all(Person)}
    assert not any("\x1b" in p.name or "\x07" in p.name for p in other.all(Person))


def test_stage_names_with_a_slash_split_at_the_longest_known_stage(workspace: Workspace, tmp_path: Path):
    path = tmp_path / "raci.csv"
    path.write_text("stage / activity,Ana\nBuild / upload,A/R\nBuild / upload / test the links,R\n"
                    "Schedule / Gantt chart,A\n", encoding="utf-8")
    apply_plan(workspace, raci_plan(workspace, path))
    assert [s.name for s in workspace.all(Stage)] == ["Build / upload", "Schedule / Gantt chart"]
    assert cells(workspace)[("Build / upload / test the links", "Ana")] == "R"
