"""Our own CSV folder and Excel workbook: export, read back, round trip, all-or-nothing."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gtm_tui.data.model import (
    ActionItem,
    CheckIn,
    ChecklistItem,
    ChecklistTemplate,
    Feedback,
    Handoff,
    Person,
    Pilot,
    Question,
    RaciAssignment,
    Recommendation,
    Run,
    Stage,
    Step,
    Theme,
    WorkItem,
)
from gtm_tui.data.workspace import Workspace
from gtm_tui.io import csv_folder, xlsx
from gtm_tui.io.importing import BadRow, apply_plan, guess_format, plan_import

# Stage steps, runs, check-ins, recommendations and templates too: an export then an import is a full copy
# of the pilot's records.
KINDS = (Person, Stage, Handoff, Step, Run, ChecklistItem, WorkItem, Theme, ActionItem, CheckIn, Recommendation,
         ChecklistTemplate)


def content(workspace: Workspace) -> dict:
    """The records an export carries, compared by content (updated_at restamped on import, ignored)."""
    out: dict = {}
    for kind in KINDS:
        out[kind.TABLE] = {
            r.id: {k: v for k, v in r.to_dict().items() if k != "updated_at"} for r in workspace.all(kind)
        }
    question_text = {q.id: q.text for q in workspace.all(Question)}
    out["questions"] = sorted(question_text.values())
    out["feedback"] = {
        f.id: {
            **{k: v for k, v in f.to_dict().items() if k not in ("updated_at", "question_id")},
            "question": question_text[f.question_id],
        }
        for f in workspace.all(Feedback)
    }
    out["raci"] = sorted((r.layer, r.stage_id, r.activity, r.person_id, r.role) for r in workspace.all(RaciAssignment))
    return out


def fresh(tmp_path: Path, name: str = "empty.json") -> Workspace:
    return Workspace.create(tmp_path / name, Pilot(name="Empty"))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_round_trip_into_an_empty_pilot_gives_the_same_records(demo, tmp_path, fmt):
    out = tmp_path / ("demo-csv" if fmt == "csv" else "demo.xlsx")
    (csv_folder if fmt == "csv" else xlsx).write(demo, out)
    assert guess_format(out) == fmt
    empty = fresh(tmp_path)
    apply_plan(empty, plan_import(empty, out))
    reopened = Workspace.open(empty.path)
    assert content(reopened) == content(demo)
    assert reopened.count(Question) == demo.count(Question)  # matched by text, not doubled


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_importing_again_changes_nothing(demo, tmp_path, fmt):
    out = tmp_path / ("demo-csv" if fmt == "csv" else "demo.xlsx")
    (csv_folder if fmt == "csv" else xlsx).write(demo, out)
    plan = plan_import(demo, out)
    assert plan.planned == []
    assert plan.unchanged > 100


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_teammate_already_there_is_merged_and_every_link_survives(demo, tmp_path, fmt):
    """A person of the same name in the target (another id): rows pointing at the old id follow, and the
    stages' and steps' links (label and target, no id) come through as they were — the file opens again."""
    out = tmp_path / ("demo-csv" if fmt == "csv" else "demo.xlsx")
    (csv_folder if fmt == "csv" else xlsx).write(demo, out)
    target = fresh(tmp_path)
    ann = target.add(Person(name=demo.all(Person)[0].name.upper()))
    apply_plan(target, plan_import(target, out))
    reopened = Workspace.open(target.path)
    assert [s.links for s in reopened.all(Stage)] == [s.links for s in demo.all(Stage)]
    assert any(s.links for s in reopened.all(Stage)) and any(s.links for s in reopened.all(Step))
    assert [s.links for s in reopened.all(Step)] == [s.links for s in demo.all(Step)]
    old_id = demo.all(Person)[0].id
    assert reopened.find(Person, old_id) is None
    assert {s.owner_id for s in reopened.all(Stage)} >= {ann.id}


def test_an_import_that_would_write_what_the_file_refuses_writes_nothing(demo, tmp_path):
    path = tmp_path / "stages.csv"
    link = '[{""target"": ""https://x.test"", ""label"": ""Brief"", ""note"": null}]'
    path.write_text(f'name,links (JSON)\nBrief,"{link}"\n', encoding="utf-8")
    before = demo.path.read_bytes()
    with pytest.raises(BadRow, match=r"stages.csv line 2: links: entry 1: note: None is not text"):
        plan_import(demo, path)
    assert demo.path.read_bytes() == before


def test_an_edited_row_updates_its_record(demo, tmp_path):
    csv_folder.write(demo, tmp_path / "out")
    path = tmp_path / "out" / "stages.csv"
    text = path.read_text(encoding="utf-8-sig").replace("Idea & brief", "Idea and brief")
    path.write_text(text, encoding="utf-8")
    plan = plan_import(demo, tmp_path / "out")
    assert [(p.action, p.changes) for p in plan.planned] == [("update", {"name": "Idea and brief"})]
    apply_plan(demo, plan)
    assert "Idea and brief" in [s.name for s in demo.all(Stage)]


def test_a_row_typed_by_hand_resolves_names(demo, tmp_path):
    """No id, references by name only: a new record pointing at the named ones."""
    path = tmp_path / "work_items.csv"
    stage = demo.all(Stage)[2]
    person = demo.all(Person)[0]
    path.write_text(
        f"title,stage,assignee,status,due\nPodcast teaser,{stage.name},{person.name},not started,2026-12-01\n"
    )
    apply_plan(demo, plan_import(demo, path))
    added = next(w for w in demo.all(WorkItem) if w.title == "Podcast teaser")
    assert (added.stage_id, added.assignee_id, added.due) == (stage.id, person.id, "2026-12-01")


def test_names_typed_in_another_case_or_spacing_find_their_records(demo, tmp_path):
    """As the app compares names ("ann  lee" is "Ann Lee"), so does an import: no "there is no person named"."""
    stage, person = demo.all(Stage)[0], demo.all(Person)[0]
    path = tmp_path / "work_items.csv"
    path.write_text(f"title,stage,assignee\nX,{stage.name.upper()},{'  '.join(person.name.lower().split())}\n")
    apply_plan(demo, plan_import(demo, path))
    added = next(w for w in demo.all(WorkItem) if w.title == "X")
    assert (added.stage_id, added.assignee_id) == (stage.id, person.id)


def test_a_broken_row_imports_nothing_and_names_the_row(demo, tmp_path):
    csv_folder.write(demo, tmp_path / "out")
    path = tmp_path / "out" / "checklist_items.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    due = rows[0].index("due")
    rows[5][due] = "2026-02-30"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    empty = fresh(tmp_path)
    before = empty.path.read_bytes()
    with pytest.raises(BadRow) as caught:
        plan_import(empty, tmp_path / "out")
    assert str(caught.value) == "checklist_items.csv line 6: due: 2026-02-30 is not a real date"
    assert empty.path.read_bytes() == before
    assert empty.count(Person) == 0


def test_an_unknown_name_is_a_bad_row(demo, tmp_path):
    path = tmp_path / "checklist_items.csv"
    path.write_text("text,stage\nCheck the links,Nowhere\n", encoding="utf-8")
    with pytest.raises(BadRow, match=r"checklist_items.csv line 2: stage: there is no stage named 'Nowhere'"):
        plan_import(demo, path)


def test_xlsx_sheets_are_readable(demo, tmp_path):
    xlsx.write(demo, tmp_path / "demo.xlsx")
    book = load_workbook(tmp_path / "demo.xlsx")
    assert book.sheetnames == [
        "Pilot set-up", "Stages", "Handoffs", "Stage steps", "RACI (pilot)", "RACI (today)", "Work items", "Runs",
        "Checklist items", "Feedback", "Action items", "Recommendations", "Check-ins", "People", "Questions", "Themes",
        "Templates", "Baseline items", "Merge conflicts",
    ]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.max_row > 1 or sheet.title == "Merge conflicts"  # the demo has none
        assert sheet.column_dimensions["A"].width >= 8
    items = book["Checklist items"]
    headers = [c.value for c in items[1]]
    due_cells = [row[headers.index("due")] for row in items.iter_rows(min_row=2) if row[headers.index("due")].value]
    assert due_cells and all(type(c.value) is datetime or type(c.value) is date for c in due_cells)
    assert all(c.number_format == "yyyy-mm-dd" for c in due_cells)
    raci = book["RACI (pilot)"]
    people = [p.name for p in demo.all(Person)]
    assert [c.value for c in raci[1]] == ["stage id", "stage", "activity", *people]
    roles = {c.value for row in raci.iter_rows(min_row=2, min_col=4) for c in row} - {None}
    assert roles <= {"R", "A", "C", "I", "A/R"} and "A" in roles


def test_csv_folder_has_every_table(demo, tmp_path):
    csv_folder.write(demo, tmp_path / "out")
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == sorted(f"{key}.csv" for key in (
        "stages", "handoffs", "steps", "raci_pilot", "raci_today", "work_items", "runs", "checklist_items",
        "feedback", "action_items", "recommendations", "checkins", "people", "questions", "themes", "templates",
        "pilot", "baseline_items", "conflicts"))
    with (tmp_path / "out" / "stages.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["name"] for r in rows] == [s.name for s in demo.all(Stage)]
    assert rows[0]["owner"] == demo.name_of(Person, demo.all(Stage)[0].owner_id)


def test_a_raci_cell_with_a_bad_role_names_the_cell(demo, tmp_path):
    csv_folder.write(demo, tmp_path / "out")
    path = tmp_path / "out" / "raci_pilot.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[1][3] = "X"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    with pytest.raises(BadRow, match=rf"raci_pilot.csv line 2, column '{rows[0][3]}': role: must be one of"):
        plan_import(demo, path)


def test_not_a_workbook_is_refused(demo, tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("not a zip")
    with pytest.raises(BadRow, match="fake.xlsx: is not an Excel workbook"):
        plan_import(demo, path)
