"""Small things found while measuring (issue: fast where people wait), each pinned by a test that failed before."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pilot_waits import press_and_wait
from rich.cells import cell_len
from textual import events
from textual.widgets import Input, Static

from gtm_tui.app import GtmApp
from gtm_tui.data.model import (
    RECORD_KINDS,
    Conflict,
    Handoff,
    Person,
    RaciAssignment,
    Stage,
    ValidationError,
    WorkItem,
)
from gtm_tui.data.workspace import Workspace
from gtm_tui.io import mermaid
from gtm_tui.overview import summary
from gtm_tui.overview.sections import counted
from gtm_tui.process import flowchart
from gtm_tui.screens.pushed.standup import StandupScreen


async def test_q_then_another_key_at_once_quits_without_a_crash(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6", "right_square_bracket", "right_square_bracket")  # Retro › Decisions
        await pilot.pause()
        for key in ("q", "u"):  # typed together, as the terminal delivers them: u opens a form while quitting
            event = events.Key(key, key)
            event.set_sender(app)
            app._driver.send_message(event)
        await pilot.pause()
    assert app.return_code in (None, 0)


def test_a_case_or_spacing_variant_of_a_name_is_the_same_person(workspace: Workspace):
    workspace.add(Person(name="Ann Lee"))
    for variant in ("ann  lee", " ANN LEE ", "Ann\tLee"):
        with pytest.raises(ValidationError, match="already on the team"):
            workspace.add(Person(name=variant))
    workspace.add(Stage(name="Copy  writing"))
    with pytest.raises(ValidationError, match="already exists"):
        workspace.add(Stage(name="copy writing"))
    assert [p.name for p in workspace.all(Person)] == ["Ann Lee"]


def test_counts_say_one_thing_and_many_things():
    assert (counted(1, "error"), counted(2, "error"), counted(0, "warning")) == ("1 error", "2 errors", "0 warnings")
    assert (counted(1, "person", "people"), counted(3, "person", "people")) == ("1 person", "3 people")


async def test_the_raci_problems_header_counts_in_the_right_number(empty_file: Path):
    workspace = Workspace.open(empty_file)
    stage = workspace.add(Stage(name="Copy"))
    ann = workspace.add(Person(name="Ann"))
    workspace.add(RaciAssignment(layer="pilot", stage_id=stage.id, person_id=ann.id, role="R"))  # no A: one error
    app = GtmApp(empty_file, workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        title = str(app.screen.query_one("#raci-side-title", Static).render())
        assert "1 error," in title and "1 errors" not in title


async def test_undo_says_what_was_undone_in_words(empty_file: Path):
    workspace = Workspace.open(empty_file)
    stage = workspace.add(Stage(name="Copywriting"))
    maya = workspace.add(Person(name="Maya"))
    role = workspace.add(RaciAssignment(layer="pilot", stage_id=stage.id, person_id=maya.id, role="R"))
    workspace.update(role, role="A")
    app = GtmApp(empty_file, workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+z")
        await pilot.pause()
        messages = [str(n.message) for n in app._notifications]
        assert messages == ["Undone: change Maya's R on Copywriting (pilot RACI) to A"]
        assert role.id not in messages[0]


def test_flowchart_boxes_keep_their_borders_with_double_width_names():
    stages = [Stage(name="コピーライティングとデザインの最終確認", position=0, owner_id=None, expected_days=2),
              Stage(name="公開", position=1)]
    handoff = Handoff(from_stage_id=stages[0].id, to_stage_id=stages[1].id, what="最終原稿とデザインファイル")
    layout = flowchart.layout(stages, [handoff], owners={}, width=40)
    box = layout.boxes[0]
    lines = flowchart.draw(layout).lines()
    for line in lines[box.y: box.y + 4]:  # the first box: top border, name, detail, bottom border
        assert cell_len(line) == box.x + box.width, line  # its right border in the same column on every row
        assert line.endswith(("┐", "│", "┘")), line
    assert all(cell_len(line) <= layout.width for line in lines)


def test_a_stage_named_like_a_mermaid_direction_keeps_its_node(workspace: Workspace):
    for name in ("direction LR", "Direction tb", "Set direction RL now"):
        workspace.add(Stage(name=name, position=workspace.count(Stage)))
    text = mermaid.render(workspace)
    nodes = [line for line in text.splitlines() if line.strip().startswith("s_")]
    assert len(nodes) == 3
    for line in nodes:  # the label reads the same, but the lexer no longer sees the word it acts on
        assert not re.search(r"direction\s+(TB|BT|LR|RL|TD)", line, re.IGNORECASE), line
        assert re.search(r"#(100|68);irection", line), line


@pytest.mark.parametrize("key, name", [("3", "ChecklistsScreen"), ("5", "MetricsScreen"), ("6", "RetroScreen"),
                                       ("8", "BoardScreen"), ("9", "CalendarScreen")])
async def test_a_screen_is_drawn_once_on_its_first_visit(demo_file: Path, monkeypatch: pytest.MonkeyPatch,
                                                         key: str, name: str):
    from gtm_tui.screens.main.base import MainScreen

    drawn: list[str] = []
    original = MainScreen._show_revision

    def counting(screen: MainScreen) -> None:
        drawn.append(type(screen).__name__)
        original(screen)

    monkeypatch.setattr(MainScreen, "_show_revision", counting)
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(key)
        await pilot.pause()
        assert type(app.screen).__name__ == name
    assert drawn.count(name) == 1  # Textual calls every class's on_mount: calling the base's again drew twice


def one_of_each(path: Path) -> Workspace:
    """A pilot with one of everything the headers count: one person, stage, step, run, item, role, note …"""
    workspace = Workspace.open(path)
    ann = workspace.add(Person(name="Ann"))
    stage = workspace.add(Stage(name="Copy", owner_id=ann.id))
    workspace.add(RaciAssignment(layer="today", stage_id=stage.id, person_id=ann.id, role="R"))
    return workspace


def test_the_overview_counts_one_of_each_in_the_singular(empty_file: Path):
    workspace = one_of_each(empty_file)
    line = summary.counts_line(workspace)
    assert line.startswith("1 person · 1 stage · 0 handoffs") and "1 RACI role" in line
    assert "1 people" not in line and "1 stages" not in line and "1 RACI roles" not in line


async def test_the_metrics_headline_counts_one_item_in_the_singular(empty_file: Path):
    workspace = one_of_each(empty_file)
    workspace.add(WorkItem(title="Launch post", stage_id=workspace.all(Stage)[0].id))
    app = GtmApp(empty_file, workspace)
    async with app.run_test(size=(160, 40)) as pilot:
        await press_and_wait(pilot, "5")
        headline = str(app.screen.query_one("#metrics-headline", Static).render())
        assert "1 item, 0 done" in headline and "1 items" not in headline


async def test_the_raci_overlay_says_one_cell_differs(empty_file: Path):
    workspace = one_of_each(empty_file)
    role = workspace.all(RaciAssignment)[0]
    workspace.add(RaciAssignment(layer="pilot", stage_id=role.stage_id, person_id=role.person_id, role="A"))
    app = GtmApp(empty_file, workspace)
    async with app.run_test(size=(160, 40)) as pilot:
        await press_and_wait(pilot, "4", "o")
        status = str(app.screen.query_one("#raci-status", Static).render())
        assert "1 cell differs" in status and "1 cells" not in status


async def test_ending_a_stand_up_counts_one_person_and_one_blocker_in_the_singular(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "3", "s")
        assert isinstance(app.screen, StandupScreen)
        await press_and_wait(pilot, "b")
        app.screen.query_one("#field-note", Input).value = "Waiting for the files"
        await press_and_wait(pilot, "ctrl+s")
        app.clear_notifications()
        await press_and_wait(pilot, "e")
        said = [str(n.message).splitlines()[0] for n in app._notifications]
        assert said == ["Check-in saved: 1 person, 0 ticked, 1 blocker."]


def test_every_kind_of_record_is_undone_in_words(demo: Workspace):
    """What the undo toast says names the record by what it is ("delete stage 'Copywriting'"), never by its id."""
    stage = demo.all(Stage)[0]
    demo.add(Conflict(table="stages", record_id=stage.id, field="name", kept=stage.name, sides="ours ← theirs"))
    assert all(demo.all(kind) for kind in RECORD_KINDS)  # the demo (and the conflict) has every kind
    demo.update(demo.pilot(), name="Renamed")
    undone = [demo.undo()]
    for kind in RECORD_KINDS[1:]:  # the pilot is never deleted: it was edited above
        record = demo.all(kind)[-1]
        demo.delete(record)
        undone.append(demo.undo())
    for change_set, kind in zip(undone, RECORD_KINDS, strict=True):
        assert change_set is not None
        ids = {change.id for change in change_set.changes}
        words = change_set.description
        label = "RACI" if kind is RaciAssignment else kind.LABEL  # a role is said as "Lena's R on … (pilot RACI)"
        assert label in words and not any(record_id in words for record_id in ids), (kind.TABLE, words)
