"""A person's page gathers their roles, checklist lines, action items and work items."""

from __future__ import annotations

import pytest

from gtm_tui.data.model import ActionItem, ChecklistItem, Person, RaciAssignment, Stage, WorkItem
from gtm_tui.data.workspace import RecordNotFound, Workspace
from gtm_tui.overview.person_page import person_markdown, person_page


def test_page_lists_roles_in_both_layers_and_owned_items_by_due_date(workspace: Workspace):
    dana = workspace.add(Person(name="Dana", role="Writer"))
    omar = workspace.add(Person(name="Omar"))
    brief = workspace.add(Stage(name="Brief", position=0))
    launch = workspace.add(Stage(name="Launch", position=1))
    workspace.add(RaciAssignment(layer="today", stage_id=brief.id, person_id=dana.id, role="C"))
    workspace.add(RaciAssignment(layer="pilot", stage_id=brief.id, person_id=dana.id, role="A/R"))
    workspace.add(RaciAssignment(layer="pilot", stage_id=launch.id, person_id=omar.id, role="A/R"))
    workspace.add(ChecklistItem(stage_id=launch.id, text="Links checked", owner_id=dana.id, due="2026-11-20"))
    workspace.add(ChecklistItem(stage_id=brief.id, text="Audience named", owner_id=dana.id, due="2026-11-10"))
    workspace.add(ChecklistItem(stage_id=brief.id, text="Old line", owner_id=dana.id, done=True))
    workspace.add(ChecklistItem(stage_id=brief.id, text="Omar's line", owner_id=omar.id))
    workspace.add(ActionItem(title="Fix the review inbox", owner_id=dana.id, due="2026-12-01"))
    workspace.add(WorkItem(title="Launch post", assignee_id=dana.id, stage_id=launch.id, status="in progress"))

    page = person_page(workspace, dana.id)
    assert [(r.row, r.today, r.pilot) for r in page.roles] == [("Brief", "C", "A/R")]
    assert [(c.text, c.overdue) for c in page.checklist] == [
        ("Audience named", True),  # due 2026-11-10, today is 2026-11-18
        ("Links checked", False),
        ("Old line", False),
    ]
    assert [(a.text, a.due) for a in page.actions] == [("Fix the review inbox", "2026-12-01")]
    assert [(w.where, w.text, w.status) for w in page.work] == [("Launch", "Launch post", "in progress")]
    assert page.summary() == "In the pilot: Accountable on 1 row, Responsible on 1; 4 open items, 1 overdue"

    markdown = person_markdown(page)
    assert markdown.startswith("# Dana — Writer")
    assert "| Brief | C | A/R |" in markdown
    assert "- [ ] Brief: Audience named (due 2026-11-10, OVERDUE)" in markdown
    assert "- [x] Brief: Old line" in markdown


def test_demo_page_of_the_campaign_manager(demo: Workspace):
    daniel = next(p for p in demo.all(Person) if p.name == "Daniel Okafor")
    page = person_page(demo, daniel.id)
    by_row = {line.row: (line.today, line.pilot) for line in page.roles}
    assert by_row["Creative review"] == ("C", "A")
    assert by_row["Measure"] == ("R", "A/R")
    assert any(line.focus for line in page.roles)
    assert page.checklist and all(line.where for line in page.checklist)


def test_a_deleted_person_has_no_page(workspace: Workspace):
    with pytest.raises(RecordNotFound):
        person_page(workspace, "0123456789ab")
