"""The plan builder every import shares: removals, the indexes kept in step, and options where they apply."""

from __future__ import annotations

from pathlib import Path

import pytest

from gtm_tui.data.model import Person
from gtm_tui.data.workspace import Workspace
from gtm_tui.io.importing import BadRow, PlanBuilder, ReadOptions, applicable, apply_plan, plan_import

FIXTURES = Path(__file__).parent / "fixtures"


def test_a_removal_then_the_same_record_again_is_an_update_not_both(workspace: Workspace):
    maya = workspace.add(Person(name="Maya"))
    builder = PlanBuilder(workspace, "test")
    builder.remove(maya, "gone from the file")
    assert builder.by_name(Person, "maya") is None and builder.find(Person, maya.id) is None
    assert [(p.action, p.record.name) for p in builder.plan.planned] == [("remove", "Maya")]
    builder.put(maya.replace(role="Writer"), "back in the file")
    assert [(p.action, p.changes) for p in builder.plan.planned] == [("update", {"role": "Writer"})]
    assert builder.by_name(Person, "Maya").role == "Writer"


def test_removing_a_record_planned_in_the_same_import_just_leaves_it_out(workspace: Workspace):
    builder = PlanBuilder(workspace, "test")
    tom = builder.put(Person(name="Tom"), "line 2")
    builder.remove(tom, "line 3")
    assert builder.plan.planned == [] and builder.by_name(Person, "Tom") is None
    assert builder.plan.summary() == ["nothing to import"]


def test_removals_are_written_first_so_a_new_record_may_take_the_name_of_one_going(workspace: Workspace):
    old = workspace.add(Person(name="Maya", role="Copy"))
    builder = PlanBuilder(workspace, "test")
    builder.put(Person(name="Lukas"), "line 1")  # planned before the removal: written after it all the same
    builder.remove(old, "left out")
    builder.put(Person(name="Maya", role="Design"), "line 2")  # no clash: the old Maya is going
    assert builder.plan.summary() == ["people: 2 added, 1 removed"]
    apply_plan(workspace, builder.plan)
    assert sorted((p.name, p.role) for p in workspace.all(Person)) == [("Lukas", ""), ("Maya", "Design")]


def test_an_option_reaches_only_an_importer_that_uses_it(workspace: Workspace):
    raci = FIXTURES / "raci" / "list.csv"
    with pytest.raises(BadRow, match="--tz does not apply to a raci import"):
        plan_import(workspace, raci, "raci", ReadOptions(tz="UTC"))
    with pytest.raises(BadRow, match="--include-archived does not apply to an asana import"):
        plan_import(workspace, FIXTURES / "asana-content-calendar.csv", None, ReadOptions(include_archived=True))
    everything = ReadOptions(tz="UTC", done_list="Done", layer="pilot", sheet="", mapping=["Publish=skip"])
    assert applicable(raci, None, everything) == ReadOptions(layer="pilot", mapping=["Publish=skip"])
    trello = FIXTURES / "trello-content-calendar.json"
    assert applicable(trello, None, everything) == ReadOptions(tz="UTC", done_list="Done")
    assert ReadOptions(layer="today", mapping=[], include_archived=False).given() == ["layer"]
