"""The Trello board fixture (tests/fixtures, written from Trello's JSON export) into an empty pilot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gtm_tui.data.model import ChecklistItem, Person, Stage, WorkItem
from gtm_tui.io.importing import BadRow, apply_plan, guess_format, plan_import

BOARD = Path(__file__).parent / "fixtures" / "trello-content-calendar.json"


def test_board_becomes_stages_work_items_checklists_and_people(workspace):
    assert guess_format(BOARD) == "trello"
    apply_plan(workspace, plan_import(workspace, BOARD))
    assert [s.name for s in workspace.all(Stage)] == [
        "Ideas",
        "Writing",
        "Review",
        "Scheduled",
    ]  # list order, archived list left out
    assert sorted(p.name for p in workspace.all(Person)) == ["Lea Fischer", "Priya Nair", "Sam Ortiz"]
    items = {w.title: w for w in workspace.all(WorkItem)}
    assert sorted(items) == sorted([
        "Blog: 5 ways to read your churn dashboard", "Newsletter #3: launch recap", "LinkedIn carousel: dashboard tips",
        "Customer story: Harbor Logistics", "Webinar follow-up post",
    ])  # archived card and the card in the archived list skipped
    blog = items["Blog: 5 ways to read your churn dashboard"]
    assert workspace.name_of(Stage, blog.stage_id) == "Writing"
    assert workspace.name_of(Person, blog.assignee_id) == "Priya Nair"
    assert blog.due == "2026-11-24"
    assert blog.source == "trello:6543a1f0c2b7e90012a1c301"
    assert items["LinkedIn carousel: dashboard tips"].status == "done"
    newsletter = items["Newsletter #3: launch recap"]
    assert workspace.name_of(Person, newsletter.assignee_id) == "Sam Ortiz"  # the first member
    checks = {c.text: c for c in workspace.all(ChecklistItem)}
    assert sorted(checks) == sorted([
        "Outline approved by the campaign manager", "Screenshots from the new dashboard",
        "=Meta description under 155 characters", "Test send to the team", "Links carry UTM parameters",
    ])
    screenshots = checks["Screenshots from the new dashboard"]
    assert workspace.name_of(Stage, screenshots.stage_id) == "Writing"
    assert (screenshots.due, screenshots.done) == ("2026-11-21", False)
    assert workspace.name_of(Person, screenshots.owner_id) == "Lea Fischer"
    assert checks["Outline approved by the campaign manager"].done
    assert [c.position for c in workspace.all(ChecklistItem) if c.stage_id == blog.stage_id] == [0, 1, 2]


def test_reimport_updates_rather_than_duplicates(workspace, tmp_path):
    apply_plan(workspace, plan_import(workspace, BOARD))
    counts = (
        workspace.count(Stage),
        workspace.count(WorkItem),
        workspace.count(ChecklistItem),
        workspace.count(Person),
    )
    assert plan_import(workspace, BOARD).planned == []
    board = json.loads(BOARD.read_text())
    board["cards"][0]["name"] = "Blog: 6 ways to read your churn dashboard"
    board["checklists"][0]["checkItems"][1]["state"] = "complete"
    changed = tmp_path / "board.json"
    changed.write_text(json.dumps(board))
    plan = plan_import(workspace, changed)
    # the card, and its three checklist lines whose note names the card (one of them now ticked)
    assert [p.action for p in plan.planned] == ["update"] * 4
    apply_plan(workspace, plan)
    assert (
        workspace.count(Stage),
        workspace.count(WorkItem),
        workspace.count(ChecklistItem),
        workspace.count(Person),
    ) == counts
    assert "Blog: 6 ways to read your churn dashboard" in [w.title for w in workspace.all(WorkItem)]
    assert next(c for c in workspace.all(ChecklistItem) if c.text.startswith("Screenshots")).done


def test_a_member_already_on_the_team_is_that_person(workspace):
    dana = workspace.add(Person(name="Sam Ortiz", role="Campaign manager"))
    apply_plan(workspace, plan_import(workspace, BOARD))
    assert workspace.count(Person) == 3
    assert workspace.get(Person, dana.id).source == "trello:6543a1f0c2b7e90012a1a002"
    assert workspace.get(Person, dana.id).role == "Campaign manager"


def test_a_bad_card_imports_nothing(workspace, tmp_path):
    board = json.loads(BOARD.read_text())
    board["cards"][1]["due"] = "next tuesday"
    path = tmp_path / "board.json"
    path.write_text(json.dumps(board))
    before = workspace.path.read_bytes()
    with pytest.raises(BadRow, match="Trello card 'Newsletter #3: launch recap': due: 'next tuesday' is not a date"):
        plan_import(workspace, path)
    assert workspace.path.read_bytes() == before


def test_json_that_is_not_a_board_is_refused(workspace, tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"tasks": []}')
    with pytest.raises(BadRow, match="is not a Trello board export"):
        plan_import(workspace, path)
    path.write_text('{"lists": [')
    with pytest.raises(BadRow, match=r"other.json line 1: is not valid JSON"):
        plan_import(workspace, path)
