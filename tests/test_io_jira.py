"""Jira Cloud CSV exports (tests/fixtures/jira-cloud-{en,es}.csv, written from Jira's export columns) into a pilot."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from gtm_tui.data.model import ChecklistItem, Person, Stage, WorkItem
from gtm_tui.io.importing import BadRow, ReadOptions, apply_plan, guess_format, plan_import

FIXTURES = Path(__file__).parent / "fixtures"
MADRID = ReadOptions(tz="Europe/Madrid")


@pytest.mark.parametrize(
    "name, statuses",
    [
        ("jira-cloud-en.csv", ["To Do", "In Review", "In Progress", "Done"]),
        ("jira-cloud-es.csv", ["Tareas por hacer", "En revisión", "En curso", "Listo"]),
    ],
)
def test_an_export_in_english_or_spanish_comes_in_with_sub_tasks_under_their_parents(workspace, name, statuses):
    path = FIXTURES / name
    assert guess_format(path) == "jira"
    assert b"\r\n" in path.read_bytes()  # as Jira writes it
    plan = plan_import(workspace, path, options=MADRID)
    apply_plan(workspace, plan)
    assert [stage.name for stage in workspace.all(Stage)] == statuses  # to do, in progress, done
    items = {item.title: item for item in workspace.all(WorkItem)}
    assert sorted(items) == [
        "MKT-2 Launch blog post",
        "MKT-3 Newsletter #1: spring edit",
        "MKT-4 Landing page hero",
        "MKT-5 Customer story: Harbor Logistics",
    ]  # the epic is a tag, the sub-tasks are steps
    blog = items["MKT-2 Launch blog post"]
    assert (blog.status, blog.done_at, blog.due) == ("done", "2026-03-13T15:00:00+00:00", "2026-03-13")  # 16:00 Madrid
    assert blog.tags == ["blog", "launch", "epic: Spring launch content"]
    assert len(blog.comments) == 2 and blog.comments[0]["at"] == "2026-03-04T10:30:00+00:00"
    # a multi-line cell; its CR LF is stored as a plain line break (no control character reaches the file)
    assert blog.note.startswith("Angle from the product marketing doc.\nLink the lookbook")
    assert workspace.name_of(Person, blog.assignee_id) == "Lea Fischer"
    # created in the first To Do status (inferred), then in Done from its resolution
    assert [
        (workspace.name_of(Stage, v["stage_id"]), v["entered_at"], v.get("inferred", False)) for v in blog.stage_history
    ] == [(statuses[0], "2026-02-02T08:30:00+00:00", True), (statuses[-1], "2026-03-13T15:00:00+00:00", False)]
    steps = sorted(
        (c.text, c.done, c.work_item_id == blog.id, c.stage_id == blog.stage_id) for c in workspace.all(ChecklistItem)
    )
    assert steps == [
        ("MKT-6 Outline approved by the campaign manager", True, True, True),
        ("MKT-7 Lookbook link in the second paragraph", False, True, True),
    ]
    newsletter = items["MKT-3 Newsletter #1: spring edit"]
    assert [(workspace.name_of(Stage, v["stage_id"]), v["entered_at"]) for v in newsletter.stage_history] == [
        (statuses[0], "2026-03-03T07:00:00+00:00"),
        (statuses[1], "2026-03-05T08:00:00+00:00"),
    ]  # status category changed
    summary = plan.summary()
    assert any("no transition history" in line for line in summary)
    assert "2 sub-tasks became checklist items of their parent." in summary
    assert "1 epic became a tag on the issues under them (not work items)." in summary


def _rewritten(path: Path, transform) -> str:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    out = io.StringIO()
    csv.writer(out, **transform(rows)).writerows(rows)
    return out.getvalue()


def test_a_wide_semicolon_export_resaved_by_a_spreadsheet_reads_the_same(workspace, tmp_path):
    def widen(rows):
        for number, row in enumerate(rows):
            row += [f"Custom field (Field {n})" if number == 0 else "" for n in range(300)]
        return {"delimiter": ";", "lineterminator": "\n"}

    path = tmp_path / "wide.csv"
    path.write_text("\ufeff" + _rewritten(FIXTURES / "jira-cloud-en.csv", widen), encoding="utf-8")
    assert guess_format(path) == "jira"
    apply_plan(workspace, plan_import(workspace, path, options=MADRID))
    assert workspace.count(WorkItem) == 4 and workspace.count(ChecklistItem) == 2


def test_a_date_jira_did_not_write_stops_the_import_at_its_line(workspace, tmp_path):
    text = (
        (FIXTURES / "jira-cloud-en.csv")
        .read_text(encoding="utf-8")
        .replace("03/Mar/26 8:00 AM", "31/Foo/26 8:00 AM", 1)
    )
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    before = workspace.path.read_bytes()
    with pytest.raises(BadRow, match=r"bad.csv line \d+: Created: 'Foo' in '31/Foo/26 8:00 AM' is not a month"):
        plan_import(workspace, path, "jira", MADRID)
    assert workspace.path.read_bytes() == before


def test_a_csv_without_jira_columns_is_refused(workspace, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("Name,When\nx,y\n", encoding="utf-8")
    with pytest.raises(BadRow, match="has no 'Issue key' and 'Summary' columns"):
        plan_import(workspace, path, "jira")
