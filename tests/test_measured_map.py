"""The map shows what was measured: flowchart labels and the Mermaid export with median times and waits."""

from __future__ import annotations

import re
from itertools import pairwise

from test_mermaid import check_valid

from gtm_tui.data.model import Handoff, Person, Stage, WorkItem
from gtm_tui.data.workspace import Workspace
from gtm_tui.io import mermaid
from gtm_tui.process import flowchart


def visit(stage: Stage, entered: str, left: str | None) -> dict:
    return {"stage_id": stage.id, "entered_at": f"2026-11-{entered}:00:00+00:00",
            "left_at": f"2026-11-{left}:00:00+00:00" if left else None}


def small(workspace: Workspace) -> tuple[list[Stage], list[Handoff]]:
    """Three stages (expected 1 d, 2 d, 1 d) and two handoffs (expected 1 d each), two items measured by hand.

    Item A: stage 1 from the 2nd 10h to the 3rd 10h (1 d), waits 2 d, stage 2 from the 5th 10h to the 6th 10h (1 d),
    waits 0, stage 3 the 6th 10h to the 7th 10h (1 d). Item B: stage 1 the 2nd 10h to the 5th 10h (3 d), waits 4 d,
    stage 2 the 9th 10h to the 10th 10h (1 d). Medians: stage 1 = 2 d (over 1 d), stage 2 = 1 d, stage 3 = 1 d;
    wait 1→2 = 3 d (over 1 d), wait 2→3 = 0 d.
    """
    maya = workspace.add(Person(name="Maya"))
    tom = workspace.add(Person(name="Tom"))
    s = [workspace.add(Stage(name=name, position=i, expected_days=days, owner_id=owner.id))
         for i, (name, days, owner) in enumerate((("Brief", 1, maya), ("Design", 2, tom), ("Publish", 1, maya)))]
    h = [
        workspace.add(Handoff(from_stage_id=a.id, to_stage_id=b.id, expected_days=1, what="files"))
        for a, b in pairwise(s)
    ]
    workspace.add(WorkItem(title="A", status="done", done_at="2026-11-07T10:00:00+00:00", stage_history=[
        visit(s[0], "02T10", "03T10"), visit(s[1], "05T10", "06T10"), visit(s[2], "06T10", "07T10")]))
    workspace.add(WorkItem(title="B", status="in progress", stage_history=[
        visit(s[0], "02T10", "05T10"), visit(s[1], "09T10", "10T10")]))
    return s, h


def test_flowchart_boxes_and_arrows_carry_the_measured_medians_and_the_over_flag(workspace: Workspace):
    s, h = small(workspace)
    lay = flowchart.workspace_layout(workspace, 80)
    boxes = {box.stage_id: box for box in lay.boxes}
    assert (boxes[s[0].id].measured, boxes[s[0].id].over) == ("took 2.0 d ▲", True)
    assert (boxes[s[1].id].measured, boxes[s[1].id].over) == ("took 1.0 d", False)
    routes = {route.handoff_id: route for route in lay.routes}
    assert (routes[h[0].id].wait, routes[h[0].id].over) == ("wait 3.0 d ▲", True)
    assert routes[h[0].id].label == "wait 3.0 d ▲ · 1 d expected · files"
    assert (routes[h[1].id].wait, routes[h[1].id].over) == ("wait 0.0 d", False)
    canvas = flowchart.draw(lay)
    lines = canvas.lines()
    assert "Maya · 1 d · took 2.0 d ▲" in lines[2]
    # the over-expected figures are tagged "over" for the screen to colour; the others "measured"/"label"
    row = lines[2]
    assert canvas.tags[2][row.index("took")] == "over"
    assert canvas.tags[8][lines[8].index("took")] == "measured"
    assert canvas.tags[4][lines[4].index("wait")] == "over"
    assert canvas.tags[10][lines[10].index("wait")] == "label"


def test_without_measurements_the_map_shows_only_what_is_expected():
    s = [Stage(name="A", position=0, expected_days=1), Stage(name="B", position=1, expected_days=1)]
    lay = flowchart.layout(s, [Handoff(from_stage_id=s[0].id, to_stage_id=s[1].id, expected_days=1)])
    assert lay.routes[0].label == "1 d" and not lay.routes[0].wait and not lay.boxes[0].measured


def test_skip_and_loop_back_waits_sit_on_the_source_box_border(workspace: Workspace):
    s, _ = small(workspace)
    skip = workspace.add(Handoff(from_stage_id=s[0].id, to_stage_id=s[2].id))
    back = workspace.add(Handoff(from_stage_id=s[2].id, to_stage_id=s[1].id))
    workspace.add(WorkItem(title="C", stage_history=[visit(s[0], "01T10", "02T10"), visit(s[2], "03T10", "04T10"),
                                                     visit(s[1], "04T10", None)]))
    lay = flowchart.workspace_layout(workspace, 80)
    routes = {route.handoff_id: route for route in lay.routes}
    assert routes[skip.id].wait == "wait 1.0 d" and routes[back.id].wait == "wait 0.0 d"
    notes = {note.text.strip(): note for note in lay.notes}
    assert notes["↷3 wait 1.0 d"].y == lay.box_of(s[0].id).y + 3
    assert notes["↶2 wait 0.0 d"].y == lay.box_of(s[2].id).y + 3
    text = "\n".join(flowchart.draw(lay).lines())
    assert "↷3 wait 1.0 d" in text and "↶2 wait 0.0 d" in text


def test_mermaid_edges_carry_waits_with_linkstyle_and_the_over_class(workspace: Workspace):
    s, h = small(workspace)
    text = mermaid.render(workspace)
    nodes, edges = check_valid(text)
    assert len(nodes) == 3 and len(edges) == 2
    assert f'    s_{s[0].id} -->|"files · 1 d · wait 3.0 d"| s_{s[1].id}' in text
    assert f'    s_{s[1].id} -->|"files · 1 d · wait 0.0 d"| s_{s[2].id}' in text
    assert "linkStyle 0 stroke:#d33" in text and "linkStyle 1 " not in text
    assert "classDef over " in text and f"    class s_{s[0].id} over" in text
    assert "Brief<br/>Maya · 1 d · took 2.0 d" in text


def check_lanes(text: str) -> dict[str, list[str]]:
    """Subgraphs open and close in pairs, each node is defined once inside one lane; returns lane -> nodes."""
    lanes: dict[str, list[str]] = {}
    current = None
    outside = []
    for line in text.splitlines()[2:]:
        if m := re.match(r'^    subgraph (lane_\w+)\["[^"]*"\]$', line):
            assert current is None
            current = m[1]
            lanes[current] = []
        elif line == "    end":
            assert current is not None
            current = None
        elif current is not None:
            m = re.match(r'^        (s_[0-9a-f]{12})\["[^"]*"\]$', line)
            assert m, line
            lanes[current].append(m[1])
        else:
            outside.append(line)
    assert current is None
    check_valid("\n".join(text.splitlines()[:2] + [
        "    " + line.strip() for line in text.splitlines()[2:] if not line.strip().startswith(("subgraph", "end"))
    ]))
    return lanes


def test_mermaid_lanes_draw_one_subgraph_per_stage_owner(workspace: Workspace):
    s, _ = small(workspace)
    loose = workspace.add(Stage(name="Loose end", position=3))
    lanes = check_lanes(mermaid.render(workspace, lanes=True))
    maya, tom = s[0].owner_id, s[1].owner_id
    assert lanes == {f"lane_{maya}": [f"s_{s[0].id}", f"s_{s[2].id}"], f"lane_{tom}": [f"s_{s[1].id}"],
                     "lane_none": [f"s_{loose.id}"]}
    assert '["Maya"]' in mermaid.render(workspace, lanes=True) and '["no owner"]' in mermaid.render(
        workspace, lanes=True
    )


def test_the_demo_marks_the_slow_focus_handoff(demo: Workspace):
    text = mermaid.render(demo, lanes=True)
    pilot = demo.pilot()
    lanes = check_lanes(text)
    assert sum(len(v) for v in lanes.values()) == demo.count(Stage)
    edges = [line for line in text.splitlines() if re.match(r"^    s_\w+ (-->|-\.->)", line)]
    focus_line = next(
        i
        for i, line in enumerate(edges)
        if line.startswith(f"    s_{pilot.focus_from_stage_id} -->") and line.endswith(f"s_{pilot.focus_to_stage_id}")
    )
    assert f"linkStyle {focus_line} stroke:#d33,stroke-width:4px" in text
    lay = flowchart.workspace_layout(demo, 80)
    focus_route = next(r for r in lay.routes if r.focus)
    assert focus_route.over and focus_route.wait.endswith("▲")
