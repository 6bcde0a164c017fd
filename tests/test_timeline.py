"""The timeline: longest path, earliest starts, bars on a day scale, actual durations."""

from __future__ import annotations

from gtm_tui.data.model import Handoff, Stage, WorkItem
from gtm_tui.process import timeline


def stages(*days: float | None) -> list[Stage]:
    return [Stage(name=f"S{i + 1}", position=i, expected_days=d) for i, d in enumerate(days)]


def h(a: Stage, b: Stage, days: float | None = None) -> Handoff:
    return Handoff(from_stage_id=a.id, to_stage_id=b.id, expected_days=days)


def test_a_straight_line_adds_up_every_stage_and_handoff():
    s = stages(2, 3, 1)
    path = timeline.longest_path(s, [h(s[0], s[1], 0.5), h(s[1], s[2], 1)])
    assert path.stage_ids == tuple(x.id for x in s)
    assert (path.stage_days, path.handoff_days, path.total) == (6, 1.5, 7.5)
    assert timeline.is_straight_line(s, [h(s[0], s[1]), h(s[1], s[2])])


def test_no_handoffs_means_the_stages_in_order():
    s = stages(2, None, 4)
    assert timeline.longest_path(s, []).total == 6
    assert timeline.earliest_starts(s, []) == {s[0].id: 0, s[1].id: 2, s[2].id: 2}


def test_a_skip_does_not_shorten_the_longest_path_but_a_longer_branch_wins():
    s = stages(1, 5, 1, 1)
    handoffs = [h(s[0], s[1]), h(s[1], s[2]), h(s[2], s[3]), h(s[0], s[2], 1)]
    path = timeline.longest_path(s, handoffs)
    assert path.stage_ids == (s[0].id, s[1].id, s[2].id, s[3].id) and path.total == 8
    assert not timeline.is_straight_line(s, handoffs)
    # when the skipped stage is short and the skip handoff itself is slow, the skip is the longest way
    s2 = stages(1, 1, 1)
    path2 = timeline.longest_path(s2, [h(s2[0], s2[1]), h(s2[1], s2[2]), h(s2[0], s2[2], 4)])
    assert path2.stage_ids == (s2[0].id, s2[2].id) and path2.total == 6


def test_loops_back_are_left_out_of_the_path_and_the_schedule():
    s = stages(1, 2, 3)
    handoffs = [h(s[0], s[1]), h(s[1], s[2]), h(s[2], s[0], 10)]
    assert timeline.longest_path(s, handoffs).total == 6
    assert timeline.earliest_starts(s, handoffs) == {s[0].id: 0, s[1].id: 1, s[2].id: 3}


def test_a_stage_starts_when_the_latest_handoff_into_it_arrives():
    s = stages(1, 4, 2, 1)
    handoffs = [h(s[0], s[1]), h(s[0], s[2], 0.5), h(s[1], s[3]), h(s[2], s[3], 1)]
    starts = timeline.earliest_starts(s, handoffs)
    assert starts == {s[0].id: 0, s[1].id: 1, s[2].id: 1.5, s[3].id: 5}


def test_bars_and_the_scale_sit_on_the_same_cells():
    assert timeline.bar(0, 10, 20, 40) == (0, 20)
    assert timeline.bar(10, 10, 20, 40) == (20, 20)
    assert timeline.bar(19.9, 0.1, 20, 40) == (39, 1)  # a short stage still shows
    assert timeline.bar(0, 0, 20, 40) == (0, 0)
    ruler = timeline.scale(20, 40)
    assert ruler.startswith("|0") and ruler[20:23] == "|10"


def test_actual_median_days_come_from_the_stage_history():
    s = stages(2, 1)
    def visit(stage: Stage, entered: str, left: str | None) -> dict:
        return {"stage_id": stage.id, "entered_at": entered, "left_at": left}
    items = [
        WorkItem(title="a", stage_history=[visit(s[0], "2026-11-01T09:00:00+00:00", "2026-11-02T09:00:00+00:00"),
                                           visit(s[1], "2026-11-02T09:00:00+00:00", "2026-11-05T09:00:00+00:00")]),
        WorkItem(title="b", stage_history=[visit(s[0], "2026-11-01T09:00:00+00:00", "2026-11-04T09:00:00+00:00")]),
        WorkItem(title="c", stage_history=[visit(s[0], "2026-11-01T09:00:00+00:00", "2026-11-06T09:00:00+00:00")]),
    ]
    line = timeline.build(s, [h(s[0], s[1])], items)
    first, second = line.rows
    assert first.actual == timeline.Actual(3.0, 3) and second.actual == timeline.Actual(3.0, 1)
    assert first.expected == 2 and second.start == 2
    assert line.span == 3 and line.straight
    assert "3 days from decision to live" in line.summary({x.id: x.name for x in s})


def test_the_demo_timeline_names_the_longest_path(demo):
    from gtm_tui.data.model import Handoff as H
    from gtm_tui.data.model import Stage as S
    from gtm_tui.data.model import WorkItem as W

    line = timeline.build(demo.all(S), demo.all(H), demo.all(W))
    assert not line.straight  # the demo has a skip
    assert line.path.total == 27.5
    assert all(row.actual is not None for row in line.rows)
    names = {s.id: s.name for s in demo.all(S)}
    assert "along the longest path: Idea & brief → Strategy sign-off → Copywriting" in line.summary(names)
