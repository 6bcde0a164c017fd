"""Every figure of metrics.py against a hand computation: empty data, one item, and a few items."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from gtm_tui.data.model import Handoff, Person, Pilot, Stage, WorkItem
from gtm_tui.data.workspace import Workspace
from gtm_tui.work import metrics
from gtm_tui.work.metrics import PilotRecords
from gtm_tui.work.working_time import DelayRule

# Monday 2 November 2026, 09:00 UTC; "now" is Wednesday 11 November, 09:00.
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=9)

BRIEF = Stage(id="aaaaaaaaaaa1", name="Brief", position=0, expected_days=1)
COPY = Stage(id="aaaaaaaaaaa2", name="Copy", position=1, expected_days=2)
REVIEW = Stage(id="aaaaaaaaaaa3", name="Review", position=2, expected_days=1)
LIVE = Stage(id="aaaaaaaaaaa4", name="Live", position=3, expected_days=None)
STAGES = [BRIEF, COPY, REVIEW, LIVE]
DANA, OMER = "bbbbbbbbbbb1", "bbbbbbbbbbb2"
PILOT = Pilot(name="P", start_date="2026-11-02", focus_from_stage_id=REVIEW.id, focus_to_stage_id=LIVE.id,
              baseline={"Days from brief to live": 10, "feedback cycles per item": 2, "reach": 5000,
                        "items delayed (%)": 0})


def ts(days: float) -> str:
    return (T0 + timedelta(days=days)).isoformat()


def visit(stage: Stage, entered: float, left: float | None) -> dict:
    return {"stage_id": stage.id, "entered_at": ts(entered), "left_at": None if left is None else ts(left)}


# Item A, done: Brief 0-0.5, Copy 0.5-3 (2.5 working days: over the 2 expected, but within the grace of 0.5),
# Review 3-3.5, waited 1.5 d, Live 5 (done at 5).
A = WorkItem(id="ccccccccccc1", title="A", status="done", done_at=ts(5), due="2026-11-08", stage_id=LIVE.id,
             stage_history=[visit(BRIEF, 0, 0.5), visit(COPY, 0.5, 3), visit(REVIEW, 3, 3.5), visit(LIVE, 5, None)],
             feedback_cycles=[{"at": ts(3.2), "note": ""}, {"at": ts(3.3), "note": "x"}],
             clarifications=[{"at": ts(0.2), "note": ""}],
             time_log=[{"at": ts(1), "minutes": 120, "person_id": DANA, "note": ""},
                       {"at": ts(3.25), "minutes": 30, "person_id": OMER, "note": ""}])
# Item B, in progress: Brief 1-2, Copy 2-3, Review 3-4, back to Copy 4-now (5 d so far: Friday 09:00 to Wednesday
# 09:00 is 0.625 + 0 + 0 + 1 + 1 + 0.375 = 3 working days, past 2 + 0.5), waits 0. Due in the past.
B = WorkItem(id="ccccccccccc2", title="B", status="in progress", due="2026-11-10", stage_id=COPY.id,
             stage_history=[visit(BRIEF, 1, 2), visit(COPY, 2, 3), visit(REVIEW, 3, 4), visit(COPY, 4, None)],
             feedback_cycles=[{"at": ts(3.5), "note": ""}],
             time_log=[{"at": ts(2.5), "minutes": 60, "person_id": DANA, "note": ""},
                       {"at": ts(4.5), "minutes": 15, "person_id": None, "note": ""}])
# Item C, not started, nothing logged, due later.
C = WorkItem(id="ccccccccccc3", title="C", due="2026-12-01")

RECORDS = PilotRecords(work_items=[A, B, C], stages=STAGES, pilot=PILOT,
                       handoffs=[Handoff(from_stage_id=REVIEW.id, to_stage_id=LIVE.id, expected_days=1)])
EMPTY = PilotRecords(stages=STAGES, pilot=PILOT)
SINGLE = PilotRecords(work_items=[A], stages=STAGES, pilot=PILOT)


def test_visits_end_at_left_at_at_done_at_or_at_now():
    assert [v.days for v in metrics.visits_of(A, NOW)] == [0.5, 2.5, 0.5, 0.0]
    assert [v.days for v in metrics.visits_of(B, NOW)] == [1, 1, 1, 5]  # the open visit runs to now (day 9)
    assert metrics.visits_of(C, NOW) == []


def test_flags_delayed_past_due_overran_and_by_hand():
    a = metrics.item_flags(A, STAGES, NOW)
    assert (a.delayed, a.rework) == (False, False)  # done before its due date; Copy 2.5 d is within 2 d + 0.5 grace
    assert a.reasons == ()
    b = metrics.item_flags(B, STAGES, NOW)
    assert (b.delayed, b.rework) == (True, True)
    assert b.reasons == ("past due (2026-11-10)", "Copy 3.0 working d > 2 d + grace", "sent back Review → Copy")
    strict = metrics.item_flags(A, STAGES, NOW, DelayRule(percent=0, floor_days=0))
    assert strict.reasons == ("Copy 2.5 working d > 2 d + grace",)  # no grace: any overrun counts
    c = metrics.item_flags(C, STAGES, NOW)
    assert not c.flagged and c.reasons == ()
    marked = metrics.item_flags(C.replace(delayed=True, rework=True), STAGES, NOW)
    assert (marked.delayed, marked.rework) == (True, True)
    assert marked.reasons == ("marked delayed", "marked rework")


def test_due_today_is_not_yet_past_due():
    item = WorkItem(title="D", due=NOW.date().isoformat(), status="in progress")
    assert not metrics.item_flags(item, STAGES, NOW).delayed


def test_stage_times_median_and_mean_per_stage():
    figures = metrics.stage_times(RECORDS, NOW)
    assert list(figures) == [BRIEF.id, COPY.id, REVIEW.id, LIVE.id]
    brief, copy, review, live = figures.values()
    # Brief: A 0.5, B 1 -> median 0.75, mean 0.75, none over 1 d.
    assert (brief.visits, brief.median_days, brief.mean_days, brief.overran, brief.bottleneck) == (
        2,
        0.75,
        0.75,
        0,
        False,
    )
    # Copy: A 2.5, B 1, B again 5 -> median 2.5, mean 8.5/3; 2.5 > 2 so a bottleneck; only B's 3 working days are late.
    assert (copy.visits, copy.median_days, copy.overran, copy.bottleneck) == (3, 2.5, 1, True)
    assert copy.mean_days == pytest.approx(8.5 / 3)
    # Review: A 0.5, B 1 -> 0.75.
    assert (review.median_days, review.mean_days, review.bottleneck) == (0.75, 0.75, False)
    # Live: A's open visit stops at done_at -> 0; no expected days, never a bottleneck.
    assert (live.visits, live.median_days, live.expected_days, live.bottleneck) == (1, 0.0, None, False)


def test_stage_times_empty_and_single_item():
    empty = metrics.stage_times(EMPTY, NOW)
    assert [(f.visits, f.median_days, f.mean_days, f.bottleneck) for f in empty.values()] == [
        (0, None, None, False)
    ] * 4
    single = metrics.stage_times(SINGLE, NOW)
    assert [f.median_days for f in single.values()] == [0.5, 2.5, 0.5, 0.0]
    assert metrics.stage_times(PilotRecords(), NOW) == {}


def test_handoff_waits_with_the_focus_handoff_singled_out():
    waits = metrics.handoff_waits(RECORDS, NOW)
    focus = waits[(REVIEW.id, LIVE.id)]
    # Only A went Review -> Live: left Review at 3.5, entered Live at 5 -> 1.5 d, against 1 d expected.
    assert (focus.waits, focus.median_days, focus.mean_days, focus.max_days) == (1, 1.5, 1.5, 1.5)
    assert focus.focus and focus.expected_days == 1 and focus.over_expected
    # Brief -> Copy: A and B, both 0 d.
    assert (waits[(BRIEF.id, COPY.id)].waits, waits[(BRIEF.id, COPY.id)].median_days) == (2, 0.0)
    # B went back Review -> Copy: a handoff of its own.
    assert waits[(REVIEW.id, COPY.id)].waits == 1
    assert not waits[(BRIEF.id, COPY.id)].focus
    assert metrics.focus_wait(RECORDS) == focus


def test_handoff_waits_empty_keeps_the_mapped_and_focus_handoffs_without_figures():
    waits = metrics.handoff_waits(PilotRecords(stages=STAGES, pilot=PILOT), NOW)
    assert list(waits) == [(REVIEW.id, LIVE.id)]
    assert (waits[(REVIEW.id, LIVE.id)].waits, waits[(REVIEW.id, LIVE.id)].median_days) == (0, None)
    assert metrics.handoff_waits(PilotRecords(), NOW) == {}
    assert metrics.focus_wait(PilotRecords()) is None


def test_waits_of_several_items_take_the_median():
    def item(n: str, wait: float) -> WorkItem:
        return WorkItem(id=f"ddddddddddd{n}", title=n, stage_history=[visit(REVIEW, 0, 1), visit(LIVE, 1 + wait, None)])

    records = PilotRecords(work_items=[item("1", 1), item("2", 4), item("3", 2.5), item("4", 0.5)], stages=STAGES)
    figure = metrics.handoff_waits(records, NOW)[(REVIEW.id, LIVE.id)]
    assert (figure.median_days, figure.mean_days, figure.max_days) == (1.75, 2.0, 4)


def test_per_item_counters_rates_and_delays():
    assert metrics.feedback_cycles_per_item(RECORDS) == 1.0  # (2 + 1 + 0) / 3
    assert metrics.clarifications_per_item(RECORDS) == pytest.approx(1 / 3)
    assert metrics.rework_rate(RECORDS, NOW) == pytest.approx(100 / 3)  # B only
    assert metrics.delayed_count(RECORDS, NOW) == 1  # B (A overran within the grace)
    assert metrics.delayed_share(RECORDS, NOW) == pytest.approx(100 / 3)
    # single item
    assert metrics.feedback_cycles_per_item(SINGLE) == 2
    assert metrics.clarifications_per_item(SINGLE) == 1
    assert metrics.rework_rate(SINGLE, NOW) == 0
    assert metrics.delayed_share(SINGLE, NOW) == 0


def test_per_item_figures_with_no_items_are_none_not_zero():
    assert metrics.feedback_cycles_per_item(EMPTY) is None
    assert metrics.clarifications_per_item(EMPTY) is None
    assert metrics.rework_rate(EMPTY, NOW) is None
    assert metrics.delayed_share(EMPTY, NOW) is None
    assert metrics.delayed_count(EMPTY, NOW) == 0
    assert metrics.days_brief_to_live(EMPTY) is None


def test_days_from_brief_to_live_counts_done_items_only():
    assert metrics.days_brief_to_live(RECORDS) == 5.0  # A: entered Brief at 0, done at 5
    other = A.replace(id="ccccccccccc9", stage_history=[visit(BRIEF, 1, None)], done_at=ts(4))
    assert metrics.days_brief_to_live(PilotRecords(work_items=[A, other, B])) == 4.0  # (5 + 3) / 2


def test_done_per_week_from_the_pilot_start_to_this_week():
    # Pilot starts Monday 2 Nov; A done Saturday 7 Nov; now is in the week of 9 Nov.
    assert metrics.done_per_week(RECORDS, NOW) == [(date(2026, 11, 2), 1), (date(2026, 11, 9), 0)]
    assert metrics.done_per_week(EMPTY, NOW) == [(date(2026, 11, 2), 0), (date(2026, 11, 9), 0)]
    assert metrics.done_per_week(PilotRecords(), NOW) == []
    # without a pilot start, the first done item's week starts the series
    assert metrics.done_per_week(PilotRecords(work_items=[A]), NOW + timedelta(days=7)) == [
        (date(2026, 11, 2), 1), (date(2026, 11, 9), 0), (date(2026, 11, 16), 0)]


def test_time_logged_per_person_and_per_stage():
    assert metrics.minutes_per_person(RECORDS) == {DANA: 180, OMER: 30, None: 15}
    # A: 120 at day 1 (Copy), 30 at day 3.25 (Review); B: 60 at 2.5 (Copy), 15 at 4.5 (back in Copy)
    assert metrics.minutes_per_stage(RECORDS, NOW) == {COPY.id: 195, REVIEW.id: 30}
    assert metrics.minutes_per_person(EMPTY) == {}
    assert metrics.minutes_per_stage(EMPTY, NOW) == {}
    logged_outside = WorkItem(title="E", time_log=[{"at": ts(1), "minutes": 10, "person_id": None, "note": ""}])
    assert metrics.minutes_per_stage(PilotRecords(work_items=[logged_outside]), NOW) == {None: 10}


def test_an_inferred_visit_counts_for_the_span_but_not_for_time_in_stage():
    guessed = WorkItem(title="I", status="done", done_at=ts(8), stage_history=[
        {**visit(BRIEF, 0, 6), "inferred": True}, visit(COPY, 6, None)])
    records = PilotRecords(work_items=[guessed], stages=STAGES)
    assert metrics.stage_times(records, NOW)[BRIEF.id].visits == 0  # six days "in Brief" were only guessed
    assert metrics.stage_times(records, NOW)[COPY.id].median_days == 2
    assert metrics.days_brief_to_live(records) == 8
    assert not metrics.item_flags(guessed, STAGES, NOW).delayed


def test_all_figures_at_once_agree_with_the_single_functions():
    fig = metrics.figures(RECORDS, NOW)
    assert (fig.items, fig.done, fig.flagged, fig.delayed) == (3, 1, 1, 1)
    assert [f.name for f in fig.bottlenecks] == ["Copy"]
    assert fig.focus == metrics.focus_wait(RECORDS)
    assert [item.title for item, _ in metrics.flagged_items(RECORDS, NOW)] == ["B"]
    empty = metrics.figures(PilotRecords(), NOW)
    assert (empty.items, empty.flagged, empty.focus, empty.bottlenecks, empty.rework_rate) == (0, 0, None, [], None)


def test_text_helpers():
    assert metrics.duration_text(0.01) == "under 1 h"
    assert metrics.duration_text(0.5) == "12 h"
    assert metrics.duration_text(3.0417) == "3 d 1 h"
    assert metrics.duration_text(2) == "2 d"
    assert metrics.days_text(None) == "—" and metrics.days_text(2.25) == "2.2 d"


def test_the_overview_section_from_a_workspace(workspace: Workspace):
    assert metrics.metrics_section(workspace).rows == []  # nothing to say without work items
    workspace.add(WorkItem(title="Post", due="2026-11-01"))  # the clock is frozen at 2026-11-18: past due
    rows = {row.label: row for row in metrics.metrics_section(workspace).rows}
    assert rows["Work items"].value == "1 (0 done)"
    assert rows["Flagged"].value == "1 (1 delayed)" and rows["Flagged"].tone == "bad"
    assert rows["Rework rate"].value == "0 %"


def test_a_workspace_and_its_records_give_the_same_figures(demo: Workspace):
    records = metrics.records_of(demo)
    assert metrics.records_of(records) is records
    assert metrics.stage_times(demo, NOW) == metrics.stage_times(records, NOW)
    assert len(records.people) == demo.count(Person)
