"""Export → import is a full copy: every table the file holds comes back, through the workbook and the CSV folder.

The demo pilot (a temp copy) gets what it lacks first — a work item with tags,
a description and comments, a merge conflict, a formula typed as a goal — so
every field is exercised. Compared after the round trip, record by record,
field by field, ignoring only what must differ:

- ``updated_at`` of every record: it says when the record was last written to
  *this* file, and the import writes it now (the Workspace stamps each write);
- the pilot's ``id`` and ``created_at``: a file has one pilot, made with the
  file; the import updates it, it never adds a second one;
- the review questions' ``id`` and ``created_at``: a new file asks the method's
  questions already, the import matches them by their text (no doubles) and
  points the feedback at them;
- a RACI role's ``id`` and ``created_at``: the matrix is the team's whiteboard,
  a person in a column and the role in the cell — a cell has no room for an
  id, so a role is matched by layer, stage, activity and person;
- ``meta``: not a record but the file's own (app, version, schema), written by
  the storage layer of the file it is in.
"""

from __future__ import annotations

import json
import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from gtm_tui.data.model import (
    RECORD_KINDS,
    Conflict,
    Feedback,
    Person,
    Pilot,
    Question,
    RaciAssignment,
    Stage,
    WorkItem,
)
from gtm_tui.data.storage import META_TABLE
from gtm_tui.data.workspace import Workspace
from gtm_tui.io import csv_folder, xlsx
from gtm_tui.io.cells import restore
from gtm_tui.io.importing import BadRow, apply_plan, plan_import
from gtm_tui.io.tables import EXPORT_ORDER, READ_ONLY_KINDS, RaciTable, Table

FORMULA = '=HYPERLINK("http://evil","x")'
# Fields that must differ after a round trip into a new file (see the module's docstring), per table; "*" all.
DIFFER = {"*": {"updated_at"}, "pilot": {"id", "created_at"}, "questions": {"id", "created_at"},
          "raci": {"id", "created_at"}}


def enrich(workspace: Workspace) -> None:
    """What the demo lacks, so every column is exercised: a formula, tags, comments, a conflict, a weekend."""
    stage = workspace.all(Stage)[1]
    person = workspace.all(Person)[0]
    workspace.update(workspace.pilot(), goal=FORMULA + "\nand a second line", working_days=[0, 1, 2, 3, 4, 5, 6])
    workspace.add(WorkItem(
        title="-1 day webinar", stage_id=stage.id, assignee_id=person.id, tags=["webinar", "=SUM(1)"],
        note="From the brief:\n@everyone please read", status="in progress", start_date="2026-11-02",
        comments=[{"at": "2026-11-03T09:30:00+00:00", "author": person.name, "text": "+1 from me"}],
        stage_history=[{"stage_id": stage.id, "entered_at": "2026-11-02T09:00:00+00:00", "left_at": None}],
    ))
    workspace.add(Conflict(table="stages", record_id=stage.id, field="name", kept=stage.name, losing=None,
                           sides="ours ← theirs", when="2026-11-10T08:00:00+00:00"))
    workspace.add(Conflict(table="work_items", record_id="0123456789ab", field="", kept=0, losing=False,
                           sides="theirs ← ours", when="2026-11-11T08:00:00+00:00"))


def records(workspace: Workspace) -> dict[str, Any]:
    """Every table of the file, as comparable content (see ``DIFFER``)."""
    questions = {q.id: q.text for q in workspace.all(Question)}
    out: dict[str, Any] = {}
    for kind in RECORD_KINDS:
        ignored = DIFFER["*"] | DIFFER.get(kind.TABLE, set())
        rows = []
        for record in workspace.all(kind):
            row = {k: v for k, v in record.to_dict().items() if k not in ignored}
            if isinstance(record, Feedback):
                row["question_id"] = questions[record.question_id]
            rows.append(row)
        key = "id" if "id" not in ignored else None
        out[kind.TABLE] = (
            {row[key]: row for row in rows} if key else sorted(rows, key=lambda row: json.dumps(row, sort_keys=True))
        )
    return out


def tables_in(path: Path) -> set[str]:
    return set(json.loads(path.read_text(encoding="utf-8"))) - {META_TABLE}


@pytest.fixture
def full(demo: Workspace) -> Workspace:
    enrich(demo)
    return Workspace.open(demo.path)


def export_to(workspace: Workspace, tmp_path: Path, fmt: str) -> Path:
    out = tmp_path / ("pilot-csv" if fmt == "csv" else "pilot.xlsx")
    (csv_folder if fmt == "csv" else xlsx).write(workspace, out)
    return out


def import_into_new(tmp_path: Path, source: Path) -> Workspace:
    target = Workspace.create(tmp_path / "copy.json", Pilot(name="New pilot"))
    apply_plan(target, plan_import(target, source))
    return Workspace.open(target.path)


def test_the_comparison_covers_every_table_the_file_holds(full: Workspace):
    assert tables_in(full.path) == {kind.TABLE for kind in RECORD_KINDS}
    content = records(full)
    assert all(content[table] for table in tables_in(full.path)), [t for t in content if not content[t]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_into_a_new_file_is_a_full_copy(full: Workspace, tmp_path: Path, fmt: str):
    copy = import_into_new(tmp_path, export_to(full, tmp_path, fmt))
    assert records(copy) == records(full)
    assert copy.count(Pilot) == 1
    assert tables_in(copy.path) == tables_in(full.path)


def test_every_field_of_every_record_has_a_column_the_import_reads():
    carried: dict[type, set[str]] = {}
    for table in EXPORT_ORDER:
        if isinstance(table, Table):
            fields = {column.field for column in table.columns if column.kind not in READ_ONLY_KINDS}
            carried.setdefault(table.kind, set()).update(fields)
    missing = {kind.TABLE: set(kind.field_names()) - carried.get(kind, set()) for kind in RECORD_KINDS}
    missing[RaciAssignment.TABLE] -= {"layer", "stage_id", "activity", "person_id", "role"}  # the matrix
    missing[RaciAssignment.TABLE] -= DIFFER["raci"] | DIFFER["*"]
    assert any(isinstance(table, RaciTable) for table in EXPORT_ORDER)
    assert {table: fields for table, fields in missing.items() if fields} == {}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_importing_the_pilot_set_up_updates_the_one_pilot(full: Workspace, tmp_path: Path, fmt: str):
    out = export_to(full, tmp_path, fmt)
    target = Workspace.create(tmp_path / "copy.json", Pilot(name="New pilot", channel="#old"))
    own_id = target.pilot().id
    for _ in range(2):  # a second import finds it up to date
        apply_plan(target, plan_import(target, out))
    [pilot] = Workspace.open(target.path).all(Pilot)
    assert pilot.id == own_id
    assert (pilot.name, pilot.channel, pilot.goal) == (full.pilot().name, "#gtm-pilot", full.pilot().goal)
    assert pilot.working_days == [0, 1, 2, 3, 4, 5, 6]
    assert plan_import(target, out).planned == []


def test_the_pilot_sheet_is_one_row(full: Workspace, tmp_path: Path):
    out = export_to(full, tmp_path, "csv")
    path = out / "pilot.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    path.write_text("".join(lines) + "".join(lines[1:]), encoding="utf-8")
    with pytest.raises(BadRow, match=r"pilot.csv line \d+: the pilot set-up is one row"):
        plan_import(full, path)


def test_a_pilot_sheet_reads_as_a_person_wrote_it(full: Workspace, tmp_path: Path):
    """Weekday and working week in words, a time, names for the lead and the focus stages; no ids needed."""
    stages = full.all(Stage)
    lead = full.all(Person)[2]
    path = tmp_path / "pilot.csv"
    path.write_text(
        "name,check-in weekday,check-in time,working week,pilot lead,focus from stage,focus to stage\n"
        f"Spring pilot,thursday,9.30,Sun–Thu,{lead.name},{stages[0].name},{stages[1].name}\n",
        encoding="utf-8",
    )
    apply_plan(full, plan_import(full, path))
    pilot = Workspace.open(full.path).pilot()
    assert (pilot.name, pilot.checkin_weekday, pilot.checkin_time, pilot.working_days) == (
        "Spring pilot", 3, "09:30", [0, 1, 2, 3, 6])
    assert (pilot.lead_id, pilot.focus_from_stage_id, pilot.focus_to_stage_id) == (lead.id, stages[0].id, stages[1].id)
    assert pilot.live_stage_id == full.pilot().live_stage_id  # a column the sheet leaves out is left as it was
    path.write_text("name,check-in weekday\nSpring pilot,Funday\n", encoding="utf-8")
    with pytest.raises(BadRow, match="pilot.csv line 2: check-in weekday: 'Funday' is not a weekday"):
        plan_import(full, path)


def test_exports_neutralise_formulas_in_the_new_tables(full: Workspace, tmp_path: Path):
    book = load_workbook(export_to(full, tmp_path, "xlsx"))
    pilot = book["Pilot set-up"]
    cells = dict(zip([c.value for c in pilot[1]], pilot[2], strict=True))
    assert cells["goal"].value.startswith("'" + FORMULA) and cells["goal"].data_type == "s"
    items = book["Work items"]
    headers = [c.value for c in items[1]]
    rows = items.iter_rows(min_row=2, values_only=True)
    row = next(r for r in rows if r[headers.index("title")] == "'-1 day webinar")
    assert row[headers.index("description")] == "From the brief:\n@everyone please read"  # no formula: as typed
    assert row[headers.index("tags (JSON)")] == '["webinar", "=SUM(1)"]'
    live = [
        cell.value for sheet in book.worksheets for line in sheet.iter_rows() for cell in line
        if isinstance(cell.value, str) and restore(cell.value) == cell.value
        and cell.value.lstrip().startswith(("=", "+", "-", "@"))
    ]
    assert live == []


def as_a_spreadsheet_app_saves_it(path: Path) -> None:
    """Dates as Excel dates (serial numbers read back as date and time), numbers as floats, empty cells None."""
    book = load_workbook(path)
    for sheet in book.worksheets:
        for line in sheet.iter_rows(min_row=2):
            for cell in line:
                if cell.value == "":
                    cell.value = None
    book.save(path)
    # openpyxl writes 3.0 as <v>3</v>; an app that keeps its doubles writes 3.0, which reads back as a float.
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            if name.startswith("xl/worksheets/"):
                data = re.sub(rb'(<c [^>]*t="n"[^>]*><v>-?\d+)(</v>)', rb"\1.0\2", data)
            target.writestr(name, data)
    check = load_workbook(path, read_only=True, data_only=True)
    values = [v for s in check.worksheets for line in s.iter_rows(min_row=2, values_only=True) for v in line]
    assert any(type(v) is float and v.is_integer() for v in values) and any(type(v) is datetime for v in values)
    assert not any(v == "" or type(v) is date or type(v) is int for v in values)


def test_a_workbook_saved_again_by_a_spreadsheet_app_still_imports_in_full(full: Workspace, tmp_path: Path):
    out = export_to(full, tmp_path, "xlsx")
    as_a_spreadsheet_app_saves_it(out)
    assert records(import_into_new(tmp_path, out)) == records(full)


def test_a_time_a_spreadsheet_read_as_a_time_imports(full: Workspace, tmp_path: Path):
    out = export_to(full, tmp_path, "xlsx")
    book = load_workbook(out)
    sheet = book["Pilot set-up"]
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=headers.index("check-in time") + 1).value = datetime(1899, 12, 30, 8, 15).time()
    book.save(out)
    apply_plan(full, plan_import(full, out))
    assert Workspace.open(full.path).pilot().checkin_time == "08:15"
