"""The pilot against its baseline: typed figures matched to measures, measured ones preferred, per stage and handoff."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_metrics import BRIEF, COPY, EMPTY, LIVE, NOW, PILOT, RECORDS, REVIEW, STAGES, A, B, ts, visit

from gtm_tui.data.model import BaselineItem, ChecklistItem, Pilot, WorkItem
from gtm_tui.process import setup
from gtm_tui.work import baseline, metrics
from gtm_tui.work.metrics import PilotRecords


def test_typed_figures_are_matched_to_the_measures_or_kept_as_typed():
    rows = {c.measure: c for c in baseline.compare(RECORDS, NOW).measures}
    brief = rows["days from brief to live"]  # typed as "Days from brief to live": matched whatever the case
    # One item done: its 5 days against the baseline's 10 is no "-50 %".
    assert (brief.baseline, brief.pilot, brief.origin, brief.change_percent) == (10, 5.0, "typed", None)
    assert brief.pilot_items == 1 and baseline.change_text(brief) == "1 item — too few to compare"
    feedback = rows["feedback cycles per item"]  # three items: compared
    assert (feedback.pilot, feedback.change_percent) == (1.0, -50.0)
    reach = rows["reach"]
    assert (reach.measured, reach.pilot, reach.origin, baseline.change_text(reach)) == (
        False,
        None,
        "typed, not measured",
        "—",
    )
    delayed = rows["items delayed (%)"]  # baseline 0: no percentage change can be said
    assert delayed.pilot == pytest.approx(100 / 3) and delayed.change_percent is None
    assert baseline.change_text(delayed) == "—"
    empty = {c.measure: c for c in baseline.compare(EMPTY, NOW).measures}
    assert baseline.change_text(empty["days from brief to live"]) == "no data yet"
    assert baseline.compare(PilotRecords(), NOW).measures == []


def test_a_figure_on_three_items_or_more_is_compared_in_per_cent():
    comparison = baseline.Comparison("days from brief to live", 10.0, 5.0, baseline.TYPED, pilot_items=3)
    assert (comparison.change_percent, baseline.change_text(comparison)) == (-50.0, "-50 %")
    assert baseline.change_of(0.0, 21.0, items=1) == "1 item — too few to compare"
    assert baseline.change_of(0.0, 21.0, items=2) == "2 items — too few to compare"


def test_an_item_done_after_its_due_date_stays_delayed():
    due = (NOW - timedelta(days=4)).date()
    item = WorkItem(title="Late post", stage_id=LIVE.id, status="done", due=due.isoformat(), done_at=ts(7),
                    stage_history=[visit(LIVE, 6, None)])
    on_time = item.replace(done_at=ts(1))
    late = metrics.item_flags(item, STAGES, NOW)
    assert late.delayed and any(reason.endswith(f"after due {due}") for reason in late.reasons)
    assert not metrics.item_flags(on_time, STAGES, NOW).delayed


def test_the_forms_example_is_measured_now():
    """ "feedback cycles: 3", the set-up form's own example, used to be silently "not measured"."""
    typed = setup.parse_baseline(setup.BASELINE_EXAMPLE.replace("feedback cycles per item", "feedback cycles"))
    assert typed == {"days from brief to live": 21, "feedback cycles per item": 3}
    assert all(baseline.canonical(name) for name in typed)
    assert baseline.canonical("Wait at the focus handoff") == baseline.FOCUS_WAIT
    assert baseline.canonical("cost per lead") is None


def test_a_measured_baseline_is_measured_by_the_pilots_own_code():
    # The past campaign: A and B again, a month earlier, as baseline items.
    month = timedelta(days=30)
    past = [BaselineItem(**{**item.to_dict(), "id": f"ddddddddddd{n}"}) for n, item in enumerate((A, B))]
    records = PilotRecords(
        work_items=[A],
        stages=STAGES,
        pilot=PILOT.replace(
            baseline_source={
                "label": "Trello board 'Old'",
                "file": "old.json",
                "items": 2,
                "first": "2026-11-02",
                "last": "2026-11-11",
                "until": NOW.isoformat(),
                "missing": ["feedback cycles per item"],
            }
        ),
        baseline_items=past,
    )
    against = baseline.compare(records, NOW + month)
    assert against.measured == metrics.figures(PilotRecords(work_items=past, stages=STAGES, pilot=records.pilot), NOW)
    rows = {c.measure: c for c in against.measures}
    assert rows["days from brief to live"].origin == "measured"  # measured wins over the typed 10
    assert rows["days from brief to live"].baseline == 5.0
    assert rows["feedback cycles per item"].origin == "typed"  # the source cannot tell it: the typed figure stands
    assert rows["rework rate (%)"].baseline == 50.0
    by_stage = {s.name: s for s in against.stages}
    assert by_stage["Copy"].baseline.median_days == 2.5 and by_stage["Copy"].baseline.visits == 3
    assert by_stage["Copy"].pilot.median_days == 2.5
    focus = next(w for w in against.waits if w.focus)
    assert (focus.from_stage_id, focus.to_stage_id) == (REVIEW.id, LIVE.id)
    assert focus.baseline.median_days == 1.5  # A waited 1.5 d between Review and Live
    assert against.source.text() == "Trello board 'Old' (old.json), 2026-11-02 → 2026-11-11, 2 items"
    assert baseline.change_of(2.0, 4.0) == "-50 %" and baseline.change_of(None, 4.0) == "—"
    assert BRIEF.id in {s.stage_id for s in against.stages} and COPY.id in {s.stage_id for s in against.stages}
    assert visit and ts


def test_an_older_file_without_the_new_fields_reads_with_their_defaults():
    pilot = Pilot.from_dict({"id": "aaaaaaaaaaaa", "name": "Old pilot", "baseline": {"reach": 5}})
    assert (pilot.working_days, pilot.delay_grace_percent, pilot.delay_grace_days, pilot.baseline_source) == (
        [0, 1, 2, 3, 4], 25, 0.5, {})
    item = WorkItem.from_dict({"id": "bbbbbbbbbbbb", "title": "Old item"})
    assert (item.tags, item.note, item.comments) == ([], "", [])
    assert ChecklistItem.from_dict({"id": "cccccccccccc", "stage_id": "dddddddddddd", "text": "x"}).work_item_id is None
    pilot.validate()
    item.validate()
