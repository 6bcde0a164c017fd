"""The demo pilot: deterministic, valid, wired together, and the committed sample file up to date."""

from __future__ import annotations

import itertools
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from gtm_tui.data import check, demo
from gtm_tui.data.demo import DEMO_TODAY, build_demo, dangling_references, write_demo
from gtm_tui.data.model import (
    KIND_BY_TABLE,
    CheckIn,
    ChecklistItem,
    Pilot,
    RaciAssignment,
    Stage,
    WorkItem,
)
from gtm_tui.data.storage import META_KEY, META_TABLE, dump
from gtm_tui.data.workspace import Workspace

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "demo-pilot.json"


def _records(tables, kind):
    return [kind.from_dict(data) for data in tables[kind.TABLE].values()]


def _without_version(tables):
    tables = json.loads(json.dumps(tables))
    tables[META_TABLE][META_KEY].pop("app_version", None)
    return tables


def test_same_today_gives_identical_bytes():
    assert dump(build_demo(DEMO_TODAY)) == dump(build_demo(DEMO_TODAY))


def test_another_today_moves_dates_not_ids():
    later = build_demo(DEMO_TODAY + timedelta(days=30))
    assert {t: set(r) for t, r in later.items()} == {t: set(r) for t, r in build_demo(DEMO_TODAY).items()}
    pilot = _records(later, Pilot)[0]
    assert pilot.start_date == (DEMO_TODAY + timedelta(days=2)).isoformat()


@pytest.mark.parametrize("offset", range(7))  # every weekday, since check-ins fall on the Tuesdays before today
def test_every_record_validates_and_every_reference_resolves(offset):
    tables = build_demo(DEMO_TODAY + timedelta(days=offset))
    for table, kind in KIND_BY_TABLE.items():
        for record_id, data in tables[table].items():
            record = kind.from_dict(data)
            record.validate()
            assert record.id == record_id
            assert record.created_at and record.updated_at
    # What `gtm-tui check` finds (dangling references, duplicates, more than one pilot),
    # not the builder's own guard, which refuses dangling references only.
    assert check.problems(tables) == []


def test_the_builder_refuses_a_reference_to_a_missing_record(monkeypatch):
    """The guard at the end of build_demo fires: a typo in the demo tables never ships."""
    add_pilot = demo._add_pilot

    def add_pilot_with_a_typo(b):
        add_pilot(b)
        pilot = next(iter(b.tables[Pilot.TABLE].values()))
        pilot["lead_id"] = "0123456789ab"

    monkeypatch.setattr(demo, "_add_pilot", add_pilot_with_a_typo)
    with pytest.raises(ValueError, match="lead_id -> people 0123456789ab"):
        build_demo(DEMO_TODAY)


def test_dangling_references_names_each_one_blockers_included():
    tables = build_demo(DEMO_TODAY)
    item_id = next(iter(tables[ChecklistItem.TABLE]))
    stage_id = tables[ChecklistItem.TABLE][item_id]["stage_id"]
    del tables[Stage.TABLE][stage_id]
    blocked = next(c for c in tables[CheckIn.TABLE].values() if c["blockers"])
    blocked["blockers"][0]["item_id"] = "ba5eba11c0de"
    found = dangling_references(tables)
    assert f"checklist_items {item_id}: stage_id -> stages {stage_id}" in found
    assert f"checkins {blocked['id']}: blocker -> ba5eba11c0de" in found


def test_written_file_opens_with_every_record(tmp_path):
    tables = build_demo(DEMO_TODAY)
    workspace = write_demo(tmp_path / "demo.json", DEMO_TODAY)
    for table, kind in KIND_BY_TABLE.items():
        assert workspace.count(kind) == len(tables[table]), table
    for kind in KIND_BY_TABLE.values():
        for record in workspace.all(kind):
            for field_name, table, ref_id in record.references():
                assert workspace.find(KIND_BY_TABLE[table], ref_id) is not None, (record, field_name)
    reopened = Workspace.open(tmp_path / "demo.json")
    assert reopened.pilot().name == "Q4 product launch workflow pilot"


def test_pilot_layer_raci_has_one_accountable_and_a_responsible_per_stage():
    tables = build_demo(DEMO_TODAY)
    rows = [r for r in _records(tables, RaciAssignment) if r.layer == "pilot" and not r.activity]
    for stage in _records(tables, Stage):
        roles = [r.role for r in rows if r.stage_id == stage.id]
        assert sum(role in ("A", "A/R") for role in roles) == 1, stage.name
        assert any(role in ("R", "A/R") for role in roles), stage.name


def test_today_layer_shows_the_problems_the_pilot_fixes():
    tables = build_demo(DEMO_TODAY)
    pilot = _records(tables, Pilot)[0]
    today_rows = [r for r in _records(tables, RaciAssignment) if r.layer == "today" and not r.activity]
    focus_roles = [r.role for r in today_rows if r.stage_id == pilot.focus_from_stage_id]
    assert not any(role in ("A", "A/R") for role in focus_roles)
    stages = _records(tables, Stage)
    assert any(sum(r.role in ("A", "A/R") for r in today_rows if r.stage_id == s.id) > 1 for s in stages)


def test_work_items_tell_a_consistent_story():
    tables = build_demo(DEMO_TODAY)
    position = {s.id: s.position for s in _records(tables, Stage)}
    items = _records(tables, WorkItem)
    reworked = 0
    for item in items:
        history = item.stage_history
        if not history:
            assert item.stage_id is None
            continue
        assert history[-1]["stage_id"] == item.stage_id and history[-1]["left_at"] is None
        assert all(visit["left_at"] for visit in history[:-1])
        stamps = [s for visit in history for s in (visit["entered_at"], visit["left_at"]) if s]
        assert stamps == sorted(stamps), item.title
        assert (item.done_at is not None) == (item.status == "done")
        went_back = any(position[b["stage_id"]] < position[a["stage_id"]] for a, b in itertools.pairwise(history))
        assert went_back == item.rework, item.title
        reworked += went_back
    assert reworked >= 2
    assert sum(item.status == "done" for item in items) >= 3
    today = DEMO_TODAY.isoformat()
    assert any(item.status != "done" and item.due < today for item in items)


def test_checkins_are_past_tuesdays_with_resolvable_blockers():
    tables = build_demo(DEMO_TODAY)
    checkins = _records(tables, CheckIn)
    assert len(checkins) == 3
    for checkin in checkins:
        day = date.fromisoformat(checkin.date)
        assert day.weekday() == 1 and day < DEMO_TODAY
        for blocker in checkin.blockers:
            assert blocker["item_id"] in tables[ChecklistItem.TABLE] or blocker["item_id"] in tables[WorkItem.TABLE]


def test_committed_sample_matches_the_builder():
    """Fails after a schema or demo change until `python sample_data/make_demo.py` is run and committed."""
    committed = json.loads(SAMPLE.read_text(encoding="utf-8"))
    assert _without_version(committed) == _without_version(build_demo(DEMO_TODAY))


def test_every_visit_is_a_run_whose_steps_follow_the_rules_a_run_the_app_starts_follows(demo: Workspace):
    from gtm_tui.checklists.runs import RunIndex, step_due, step_owner
    from gtm_tui.data.model import Run, Step
    from gtm_tui.process.planning import calendar_of
    from gtm_tui.raci.raci_work import stage_owners

    workspace = demo
    calendar = calendar_of(workspace.pilot())
    index = RunIndex.of(workspace.all(Run), workspace.all(ChecklistItem))
    steps = {step.id: step for step in workspace.all(Step)}
    for item in workspace.all(WorkItem):
        runs = index.runs_of(item.id)
        assert [run.stage_id for run in runs] == [visit["stage_id"] for visit in item.stage_history]
        assert [run.open for run in runs] == [visit["left_at"] is None for visit in item.stage_history]
        for run in runs:
            stage = workspace.get(Stage, run.stage_id)
            owners = stage_owners(workspace, stage.id)
            entered = date.fromisoformat(run.started_at[:10])
            for copy in index.steps_of(run.id):
                step = steps[copy.step_id]
                assert copy.owner_id == step_owner(step, owners)
                assert copy.due == step_due(step, stage, entered, calendar).isoformat()


def test_the_runs_under_way_have_done_open_and_overdue_steps_and_check_ins_point_at_them(demo: Workspace):
    from gtm_tui.checklists.runs import RunIndex
    from gtm_tui.data.model import Run

    workspace = demo
    index = RunIndex.of(workspace.all(Run), workspace.all(ChecklistItem))
    today = DEMO_TODAY.isoformat()
    live = [step for run in index.runs.values() if run.open for step in index.steps_of(run.id)]
    done = sum(step.done for step in live)
    overdue = sum(1 for step in live if not step.done and step.due and step.due < today)
    waiting = sum(1 for step in live if not step.done and step.due and step.due >= today)
    assert done >= 15 and overdue >= 10 and waiting >= 5
    assert any(run.rework for run in index.runs.values())
    blocked = [step for step in live if step.blocked]
    assert {step.text[:11] for step in blocked} == {"Claims such", "Source file"}
    pointed = {b["item_id"] for c in workspace.all(CheckIn) for b in c.blockers}
    assert {step.id for step in blocked} <= pointed
