"""The flowchart layout: boxes, routes of next / skip / back handoffs, and the painted canvas."""

from __future__ import annotations

from itertools import pairwise

from gtm_tui.data.model import Handoff, Stage
from gtm_tui.process import flowchart


def stages(n: int) -> list[Stage]:
    return [Stage(name=f"Stage {i + 1}", position=i, expected_days=i + 1) for i in range(n)]


def chain(s: list[Stage]) -> list[Handoff]:
    return [Handoff(from_stage_id=a.id, to_stage_id=b.id, expected_days=1) for a, b in pairwise(s)]


def overlaps(a: flowchart.Box, b: flowchart.Box) -> bool:
    return not (a.x + a.width <= b.x or b.x + b.width <= a.x or a.y + a.height <= b.y or b.y + b.height <= a.y)


def test_a_straight_line_stacks_boxes_with_a_down_arrow_between_each():
    s = stages(4)
    lay = flowchart.layout(s, chain(s), width=80)
    assert [b.stage_id for b in lay.boxes] == [x.id for x in s]
    assert all(b.x == 0 for b in lay.boxes)  # no side lanes needed
    assert [r.kind for r in lay.routes] == ["next"] * 3
    for route, (upper, lower) in zip(lay.routes, pairwise(lay.boxes), strict=True):
        (x1, y1), (x2, y2) = route.points
        assert x1 == x2 and y1 == upper.y + upper.height and y2 == lower.y - 1
    lines = flowchart.draw(lay).lines()
    assert sum(line.count("▼") for line in lines) == 3
    assert lines[0].startswith("┌─ 1 ") and "Stage 1" in lines[1] and "· 1 d" in lines[2]
    assert not lay.notes


def test_a_skip_goes_down_a_lane_on_the_right_and_enters_with_a_left_arrow():
    s = stages(4)
    skip = Handoff(from_stage_id=s[0].id, to_stage_id=s[2].id)
    lay = flowchart.layout(s, chain(s) + [skip], width=80)
    route = next(r for r in lay.routes if r.handoff_id == skip.id)
    assert route.kind == "skip"
    box = lay.boxes[0]
    lane_x = route.points[1][0]
    assert lane_x > box.x + box.width  # right of the boxes
    assert route.points[-1] == (box.x + box.width, lay.boxes[2].y + 1)
    canvas = flowchart.draw(lay)
    assert canvas.chars[lay.boxes[2].y + 1][box.x + box.width] == "◀"
    assert canvas.tags[lay.boxes[1].y + 1][lane_x] == "skip"
    assert lay.width <= 80


def test_a_loop_back_is_dashed_on_the_left_and_enters_with_a_right_arrow():
    s = stages(4)
    back = Handoff(from_stage_id=s[3].id, to_stage_id=s[1].id)
    lay = flowchart.layout(s, chain(s) + [back], width=80)
    route = next(r for r in lay.routes if r.handoff_id == back.id)
    assert route.kind == "back"
    x0 = lay.boxes[0].x
    assert x0 > 0 and route.points[1][0] < x0
    canvas = flowchart.draw(lay)
    assert canvas.chars[lay.boxes[1].y + 1][x0 - 1] == "▶"
    lane = route.points[1][0]
    assert canvas.chars[lay.boxes[2].y + 1][lane] == "╎"  # dashed, not a solid │
    assert "╭" in "".join(canvas.chars[lay.boxes[1].y + 1]) and "╰" in "".join(canvas.chars[lay.boxes[3].y + 2])


def test_overlapping_skips_get_their_own_lanes_and_disjoint_ones_share():
    s = stages(6)
    long_skip = Handoff(from_stage_id=s[0].id, to_stage_id=s[4].id)
    inner = Handoff(from_stage_id=s[1].id, to_stage_id=s[3].id)
    later = Handoff(from_stage_id=s[4].id, to_stage_id=s[5].id)
    tail = Handoff(from_stage_id=s[3].id, to_stage_id=s[5].id)
    lay = flowchart.layout(s, [long_skip, inner, later, tail], width=80)
    lanes = {r.handoff_id: r.lane for r in lay.routes}
    assert lanes[inner.id] == 0 and lanes[long_skip.id] == 1  # the shorter span sits nearest
    assert lanes[tail.id] == 0  # leaves box 4 below the row where inner enters it, so they share lane 0
    assert lanes[later.id] == -1  # 5 -> 6 is a plain next arrow


def test_focus_stages_and_their_handoff_are_heavy_and_bottlenecks_marked():
    s = stages(3)
    s[2] = s[2].replace(bottleneck="waits for the freelancer")
    handoffs = chain(s)
    lay = flowchart.layout(s, handoffs, focus=(s[0].id, s[1].id), width=60)
    assert [b.focus for b in lay.boxes] == [True, True, False]
    assert lay.boxes[2].bottleneck
    canvas = flowchart.draw(lay)
    lines = canvas.lines()
    assert lines[0].startswith("┏━ 1 ★ focus")
    assert "⚠ bottleneck" in lines[lay.boxes[2].y]
    focus_route = lay.routes[0]
    x, y = focus_route.points[0]
    assert canvas.chars[y][x] == "┃" and canvas.tags[y][x] == "focus-edge"
    x, y = lay.routes[1].points[0]
    assert canvas.chars[y][x] == "│"


def test_thirty_stages_fit_80_columns_without_overlap_and_grow_downwards():
    s = stages(30)
    handoffs = chain(s) + [
        Handoff(from_stage_id=s[i].id, to_stage_id=s[i + 3].id) for i in range(0, 27, 4)
    ] + [Handoff(from_stage_id=s[i + 2].id, to_stage_id=s[i].id) for i in range(0, 28, 5)]
    lay = flowchart.layout(s, handoffs, width=80)
    assert len(lay.boxes) == 30 and len(lay.routes) == len(handoffs)
    assert lay.width <= 80
    assert all(not overlaps(a, b) for i, a in enumerate(lay.boxes) for b in lay.boxes[i + 1:])
    assert lay.height == lay.boxes[-1].y + lay.boxes[-1].height
    canvas = flowchart.draw(lay)
    assert len(canvas.lines()) == lay.height
    assert all(len(line) <= 80 for line in canvas.lines())
    # every route stays out of every box
    for route in lay.routes:
        for cell in flowchart._segments(route.points):
            assert not any(b.x <= cell[0] < b.x + b.width and b.y <= cell[1] < b.y + b.height for b in lay.boxes)


def test_a_missing_handoff_between_neighbours_is_said_and_long_names_are_cut():
    s = stages(2)
    s[0] = s[0].replace(name="A very long stage name that will never fit in a narrow box at all")
    lay = flowchart.layout(s, [], width=30)
    assert lay.notes and "no handoff" in lay.notes[0].text
    lines = flowchart.draw(lay).lines()
    assert "…" in lines[1] and len(lines[1]) == lay.boxes[0].width


def test_the_demo_flowchart_shows_every_stage_and_handoff(demo):
    from gtm_tui.data.model import Handoff as H
    from gtm_tui.data.model import Stage as S

    lay = flowchart.workspace_layout(demo, 80)
    assert len(lay.boxes) == demo.count(S) and len(lay.routes) == demo.count(H)
    assert {r.kind for r in lay.routes} == {"next", "skip", "back"}
    assert sum(1 for r in lay.routes if r.focus) == 1
    text = "\n".join(flowchart.draw(lay).lines())
    assert "Creative review" in text and "Aisha Karimi · 2 d" in text
