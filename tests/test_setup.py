"""Pilot set-up rules: baseline figures, the campaign window, the form's values, the set-up checklist."""

from __future__ import annotations

from datetime import date

import pytest

from gtm_tui.data.model import Handoff, Person, Stage, ValidationError
from gtm_tui.data.workspace import Workspace
from gtm_tui.overview import summary as overview
from gtm_tui.process import setup

TODAY = date(2026, 11, 18)


def test_baseline_figures_are_read_from_name_number_pairs():
    assert setup.parse_baseline("days from brief to live: 21; feedback cycles: 3") == {
        "days from brief to live": 21, "feedback cycles per item": 3}  # the measure's own name, so it is compared
    assert setup.parse_baseline("items delayed (%) = 40\nratio: 0,5\n\n") == {"items delayed (%)": 40, "ratio": 0.5}
    assert setup.parse_baseline("  ") == {}
    text = setup.format_baseline({"days from brief to live": 21, "cycles": 3.4})
    assert setup.parse_baseline(text) == {"days from brief to live": 21, "cycles": 3.4}


@pytest.mark.parametrize("typed, says", [
    ("days from brief to live 21", "needs a name and a number"),
    ("days: many", "'many' in 'days: many' is not a number"),
    (": 4", "needs a name"),
    ("days: 2; Days: 3", "'Days' is given twice"),
])
def test_bad_baseline_figures_are_explained(typed, says):
    with pytest.raises(ValidationError) as error:
        setup.parse_baseline(typed)
    assert error.value.field == "baseline" and says in error.value.reason


def test_the_campaign_should_be_a_finished_one_from_the_last_6_to_12_months():
    assert setup.campaign_warning("2026-03-01", "2026-05-01", TODAY) is None
    assert setup.campaign_warning(None, None, TODAY) is None
    assert "has not ended yet" in setup.campaign_warning("2026-10-01", "2026-12-01", TODAY)
    assert "ended about 23 months ago" in setup.campaign_warning("2024-11-01", "2024-12-01", TODAY)


def form(**changes) -> dict:
    values = {
        "name": "Spring pilot",
        "campaign": "Newsletter Q2",
        "campaign_start": "2026-04-01",
        "campaign_end": "2026-05-15",
        "baseline": "days from brief to live: 21",
        "goal": "Faster",
        "focus_from_stage_id": "a" * 12,
        "focus_to_stage_id": "b" * 12,
        "lead_id": "c" * 12,
        "channel": "#gtm-pilot",
        "checkin_weekday": 1,
        "checkin_time": "10:00",
        "start_date": "2026-11-01",
        "end_date": "2026-12-01",
        "status": "running",
        "follow_up_date": "",
    }
    return {**values, **changes}


def changes(**typed) -> dict:
    return setup.pilot_changes(form(**typed), ["a" * 12, "b" * 12], ["c" * 12])


def test_a_good_form_becomes_pilot_fields():
    result = changes(checkin_time="9.30")
    assert result["baseline"] == {"days from brief to live": 21}
    assert result["checkin_time"] == "09:30" and result["follow_up_date"] is None
    assert result["focus_from_stage_id"] == "a" * 12 and result["status"] == "running"


@pytest.mark.parametrize("typed, field, says", [
    ({"end_date": "2026-10-01"}, "end_date", "must end after it starts (2026-11-01)"),
    ({"end_date": "2026-11-01"}, "end_date", "must end after it starts"),
    ({"start_date": "1 Nov"}, "start_date", "not a date"),
    ({"campaign_end": "2026-03-01"}, "campaign_end", "cannot end before it starts"),
    ({"focus_to_stage_id": "a" * 12}, "focus_to_stage_id", "must be different stages"),
    ({"focus_to_stage_id": None}, "focus_to_stage_id", "pick both focus stages"),
    ({"focus_from_stage_id": "d" * 12}, "focus_from_stage_id", "no longer exists"),
    ({"name": "  "}, "name", "needs a name"),
    ({"checkin_time": "25:00"}, "checkin_time", "not a time"),
    ({"baseline": "cycles three"}, "baseline", "needs a name and a number"),
])
def test_the_form_refuses_bad_values_naming_the_field(typed, field, says):
    with pytest.raises(ValidationError) as error:
        changes(**typed)
    assert error.value.field == field and says in error.value.reason


def test_the_focus_handoff_is_missing_until_a_handoff_joins_the_focus_stages(workspace: Workspace):
    a, b = workspace.add(Stage(name="Review", position=0)), workspace.add(Stage(name="Approval", position=1))
    assert setup.missing_focus_handoff(workspace) is None  # no focus chosen yet
    workspace.update(workspace.pilot(), focus_from_stage_id=a.id, focus_to_stage_id=b.id)
    assert setup.missing_focus_handoff(workspace) == (a.id, b.id)
    workspace.add(Handoff(from_stage_id=b.id, to_stage_id=a.id))  # the wrong way round does not count
    assert setup.missing_focus_handoff(workspace) == (a.id, b.id)
    workspace.add(Handoff(from_stage_id=a.id, to_stage_id=b.id))
    assert setup.missing_focus_handoff(workspace) is None


def test_a_new_pilot_gets_every_set_up_step_as_missing(workspace: Workspace):
    steps = setup.setup_steps(workspace, TODAY)
    assert not any(step.done for step in steps)
    assert all(step.todo for step in steps)
    section = setup.setup_section(workspace)
    assert section.title == "Set-up checklist"
    assert section.rows[0].label == f"0 of {len(steps)} set-up steps done"
    assert "○ Pilot lead" in [row.label for row in section.rows]


def test_the_demo_pilot_is_fully_set_up(demo: Workspace):
    steps = setup.setup_steps(demo, TODAY)
    assert [step.label for step in steps if not step.done] == []
    section = setup.setup_section(demo)
    assert section.rows == [overview.Row("14 of 14 set-up steps done", "steps 1–2 of the method", "good")]


def test_a_stage_without_owner_and_an_old_campaign_show_up(demo: Workspace):
    stage = demo.all(Stage)[2]
    demo.update(stage, owner_id=None)
    demo.update(demo.pilot(), campaign_start="2024-01-01", campaign_end="2024-02-01")
    rows = {row.label: row for row in setup.setup_section(demo).rows}
    assert "Copywriting" in rows["○ Every stage has an owner and expected days"].value
    assert "months ago" in rows["⚠ Campaign picked"].value


def test_the_checklist_is_on_the_overview(workspace: Workspace):
    workspace.add(Person(name="Dana"))
    assert "Set-up checklist" in [section.title for section in overview.sections(workspace)]


def test_moving_a_stage_renumbers_the_process_in_one_undo_step(workspace: Workspace):
    from gtm_tui.data import order
    from gtm_tui.process import stages as stage_rules

    for name, position in (("A", 0), ("B", 5), ("C", 5)):  # a tie, as a merge may leave it
        workspace.add(Stage(name=name, position=position))
    before = workspace.all(Stage)
    assert order.moved_positions(before, before[0].id, -1) == {}
    assert stage_rules.move_stage(workspace, before[2], -1)
    assert [s.name for s in workspace.all(Stage)] == [before[0].name, before[2].name, before[1].name]
    assert [s.position for s in workspace.all(Stage)] == [0, 1, 2]
    assert not stage_rules.move_stage(workspace, workspace.all(Stage)[-1], 1)
    workspace.undo()
    assert [s.name for s in workspace.all(Stage)] == [s.name for s in before]
    assert order.next_position(workspace.all(Stage)) == 6


def test_days_off_and_the_live_stage_come_from_the_setup_form():
    from gtm_tui.data.model import ValidationError
    from gtm_tui.process.setup import parse_days_off, pilot_changes

    assert parse_days_off("2026-12-25, 2026-12-24\n2026-12-25") == ["2026-12-24", "2026-12-25"]
    changes = pilot_changes({"name": "P", "days_off": "2026-12-24", "live_stage_id": "s2"}, ["s1", "s2"], [])
    assert changes["days_off"] == ["2026-12-24"] and changes["live_stage_id"] == "s2"
    with pytest.raises(ValidationError, match="days off: 2026-02-30 is not a real date"):
        pilot_changes({"name": "P", "days_off": "2026-02-30"}, [], [])
