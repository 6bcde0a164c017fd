"""The process flowchart: from stages and handoffs to boxes, edge routes and a character canvas.

The layout is vertical: one box a stage, top to bottom in process order, so it
reads at 80 columns and simply grows (and scrolls) for 30+ stages. Handoffs are
drawn so their kind shows at a glance, even without colour:

- **next** (to the following stage): a straight arrow down between the boxes;
- **skip** (forward past one or more stages): routed in a lane on the right,
  entering the target with ``◀``;
- **back** (a loop back for rework): routed in a dashed, rounded lane on the
  left, entering the target with ``▶``.

The focus stages get heavy borders and their handoff a heavy line; bottleneck
stages are marked ``⚠`` in the border. Everything here is pure: the screen only
maps the cell tags of ``draw`` to colours.

The map also shows what was measured (``metrics.stage_times`` and
``metrics.handoff_waits``, passed in as ``stage_figures`` and ``waits``): a
stage's box says its median time in stage beside the expected days, a "next"
arrow's label and a note on the source box's bottom border (skips ``↷``, loops
back ``↶``) give each handoff's median wait. Figures over what was expected
are tagged "over" (drawn red) and carry ``▲``, so they show without colour too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise

from rich.cells import cell_len

from gtm_tui.data import clock
from gtm_tui.data.model import Handoff, Person, Stage
from gtm_tui.data.workspace import Workspace
from gtm_tui.work import metrics
from gtm_tui.work.metrics import StageFigure, WaitFigure

BOX_HEIGHT = 4  # top border, name, owner · days, bottom border
GAP = 2  # rows between boxes: the "next" arrow and its label
MIN_BOX_WIDTH = 22
MAX_BOX_WIDTH = 48

# direction bits of a line through a cell
N, E, S, W = 1, 2, 4, 8

LIGHT = {
    E | W: "─", N | S: "│", E: "─", W: "─", N: "│", S: "│",
    E | S: "┌", W | S: "┐", N | E: "└", N | W: "┘",
    N | S | E: "├", N | S | W: "┤", E | W | S: "┬", E | W | N: "┴", N | E | S | W: "┼",
}
HEAVY = {
    E | W: "━", N | S: "┃", E: "━", W: "━", N: "┃", S: "┃",
    E | S: "┏", W | S: "┓", N | E: "┗", N | W: "┛",
    N | S | E: "┣", N | S | W: "┫", E | W | S: "┳", E | W | N: "┻", N | E | S | W: "╋",
}
# A back loop: dashed straight lines and rounded corners (junctions stay light).
DASHED = {
    **LIGHT,
    E | W: "╌",
    N | S: "╎",
    E: "╌",
    W: "╌",
    N: "╎",
    S: "╎",
    E | S: "╭",
    W | S: "╮",
    N | E: "╰",
    N | W: "╯",
}
ARROWS = {(0, 1): "▼", (0, -1): "▲", (1, 0): "▶", (-1, 0): "◀"}


def edge_kind(from_index: int, to_index: int) -> str:
    """"next", "skip" or "back", from the two stages' places in the process."""
    if to_index == from_index + 1:
        return "next"
    return "skip" if to_index > from_index else "back"


@dataclass(frozen=True)
class Box:
    """A stage's box: top-left corner (``x``, ``y``), size, and the text inside."""

    stage_id: str
    number: int
    x: int
    y: int
    width: int
    name: str
    detail: str  # "owner · N d"
    focus: bool = False
    bottleneck: bool = False
    height: int = BOX_HEIGHT
    measured: str = ""  # "took 3.1 d", the median time in stage; "" when nothing was measured
    over: bool = False  # the median took longer than expected


@dataclass(frozen=True)
class Route:
    """A handoff drawn as an orthogonal polyline; the last point carries the arrowhead."""

    handoff_id: str
    kind: str  # next, skip, back
    points: tuple[tuple[int, int], ...]
    focus: bool = False
    label: str = ""  # shown beside a "next" arrow
    label_at: tuple[int, int] | None = None
    lane: int = -1  # side lane for skip/back routes, 0 = nearest the boxes
    wait: str = ""  # "wait 0.5 d", the measured median wait; "" when no item went this way
    over: bool = False  # the median wait is over the handoff's expected days


@dataclass(frozen=True)
class Note:
    """Text placed on the canvas (gap labels, e.g. a missing handoff)."""

    x: int
    y: int
    text: str
    tag: str = "label"


@dataclass
class Layout:
    width: int
    height: int
    boxes: list[Box] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def box_of(self, stage_id: str) -> Box:
        return next(box for box in self.boxes if box.stage_id == stage_id)


def _days(value: float | None) -> str:
    return "? d" if value is None else f"{value:g} d"


def measured_text(days: float | None, over: bool, verb: str) -> str:
    """"took 3.1 d ▲" / "wait 0.5 d": a measured median for the map; "" when there is none."""
    if days is None:
        return ""
    return f"{verb} {days:.1f} d" + (" ▲" if over else "")


def _assign_lanes(spans: list[tuple[int, int]]) -> list[int]:
    """Give every vertical span a lane so no two overlapping spans share one; short spans sit nearest."""
    lanes: list[list[tuple[int, int]]] = []
    result = [0] * len(spans)
    for index in sorted(range(len(spans)), key=lambda i: (spans[i][1] - spans[i][0], spans[i][0])):
        low, high = spans[index]
        for lane, taken in enumerate(lanes):
            if all(high < a or low > b for a, b in taken):
                taken.append((low, high))
                result[index] = lane
                break
        else:
            lanes.append([(low, high)])
            result[index] = len(lanes) - 1
    return result


def layout(
    stages: Sequence[Stage],
    handoffs: Sequence[Handoff],
    *,
    owners: Mapping[str, str] | None = None,
    focus: tuple[str | None, str | None] = (None, None),
    width: int = 80,
    stage_figures: Mapping[str, StageFigure] | None = None,
    waits: Mapping[tuple[str, str], WaitFigure] | None = None,
) -> Layout:
    """Place ``stages`` (in process order) and route ``handoffs`` to fit ``width`` columns if it can.

    ``stage_figures`` and ``waits`` (from ``metrics``) add the measured figures
    to the boxes and handoffs; without them the map shows only what is expected.
    """
    owners = owners or {}
    stage_figures = stage_figures or {}
    waits = waits or {}
    index = {stage.id: i for i, stage in enumerate(stages)}
    joined = [h for h in handoffs if h.from_stage_id in index and h.to_stage_id in index]
    kinds = {h.id: edge_kind(index[h.from_stage_id], index[h.to_stage_id]) for h in joined}
    focus_pair = (focus[0], focus[1]) if focus[0] and focus[1] else None

    def top(i: int) -> int:
        return i * (BOX_HEIGHT + GAP)

    # Side lanes for skips (right) and back loops (left): spans are the rows they run between.
    side = {"skip": [h for h in joined if kinds[h.id] == "skip"], "back": [h for h in joined if kinds[h.id] == "back"]}
    lanes: dict[str, int] = {}
    for group in side.values():
        spans = []
        for h in group:
            out_row, in_row = top(index[h.from_stage_id]) + 2, top(index[h.to_stage_id]) + 1
            spans.append((min(out_row, in_row), max(out_row, in_row)))
        for h, lane in zip(group, _assign_lanes(spans), strict=True):
            lanes[h.id] = lane
    left_lanes = 1 + max((lanes[h.id] for h in side["back"]), default=-1)
    right_lanes = 1 + max((lanes[h.id] for h in side["skip"]), default=-1)
    x0 = 2 * left_lanes + 1 if left_lanes else 0
    right_room = 2 * right_lanes + 1 if right_lanes else 0
    box_width = max(MIN_BOX_WIDTH, min(MAX_BOX_WIDTH, width - x0 - right_room))

    result = Layout(width=x0 + box_width + right_room, height=max(0, top(len(stages)) - GAP))
    focus_ids = set(focus_pair or ())
    for i, stage in enumerate(stages):
        owner = owners.get(stage.owner_id or "", "no owner")
        figure = stage_figures.get(stage.id)
        over = bool(figure and figure.bottleneck)
        result.boxes.append(Box(
            stage_id=stage.id, number=i + 1, x=x0, y=top(i), width=box_width, name=stage.name,
            detail=f"{owner} · {_days(stage.expected_days)}", focus=stage.id in focus_ids,
            bottleneck=bool(stage.bottleneck.strip()),
            measured=measured_text(figure.median_days if figure else None, over, "took"), over=over,
        ))

    centre = x0 + min(6, box_width // 2)  # the "next" arrow, leaving room for its label
    right_edge = x0 + box_width  # first column right of a box
    side_notes: dict[int, list[tuple[str, bool]]] = {}  # source stage index -> skip/back waits
    for h in joined:
        i, j = index[h.from_stage_id], index[h.to_stage_id]
        kind = kinds[h.id]
        is_focus = focus_pair == (h.from_stage_id, h.to_stage_id)
        measured = waits.get((h.from_stage_id, h.to_stage_id))
        over = bool(measured and measured.over_expected)
        wait = measured_text(measured.median_days if measured else None, over, "wait")
        if kind == "next":
            y = top(i) + BOX_HEIGHT
            label = " · ".join(
                part for part in (wait, _days(h.expected_days) + (" expected" if wait else ""), h.what) if part
            )
            room = right_edge - (centre + 2)
            label = _fit(label, room)
            result.routes.append(
                Route(
                    h.id,
                    kind,
                    ((centre, y), (centre, y + GAP - 1)),
                    is_focus,
                    label,
                    (centre + 2, y),
                    wait=wait,
                    over=over,
                )
            )
        elif kind == "skip":
            lane_x = right_edge + 1 + 2 * lanes[h.id]
            out_y, in_y = top(i) + 2, top(j) + 1
            points = ((right_edge, out_y), (lane_x, out_y), (lane_x, in_y), (right_edge, in_y))
            result.routes.append(Route(h.id, kind, points, is_focus, lane=lanes[h.id], wait=wait, over=over))
        else:
            lane_x = x0 - 2 - 2 * lanes[h.id]
            out_y, in_y = top(i) + 2, top(j) + 1
            points = ((x0 - 1, out_y), (lane_x, out_y), (lane_x, in_y), (x0 - 1, in_y))
            result.routes.append(Route(h.id, kind, points, is_focus, lane=lanes[h.id], wait=wait, over=over))
        if kind != "next" and wait:
            side_notes.setdefault(i, []).append((f" {'↷' if kind == 'skip' else '↶'}{j + 1} {wait} ", over))
    for i, notes in sorted(side_notes.items()):
        x, room = x0 + 2, box_width - 4  # along the source box's bottom border
        for text, over in notes:
            if cell_len(text) > room:
                break
            result.notes.append(Note(x, top(i) + BOX_HEIGHT - 1, text, "over" if over else "label"))
            x, room = x + cell_len(text), room - cell_len(text)

    linked = {(h.from_stage_id, h.to_stage_id) for h in joined}
    for i in range(len(stages) - 1):
        if (stages[i].id, stages[i + 1].id) not in linked:
            result.notes.append(Note(centre + 2, top(i) + BOX_HEIGHT, "no handoff mapped to the next stage", "muted"))
    return result


@dataclass
class Canvas:
    """Characters and a tag per cell; the screen turns tags into colours."""

    width: int
    height: int
    chars: list[list[str]] = field(init=False)
    tags: list[list[str]] = field(init=False)

    def __post_init__(self) -> None:
        self.chars = [[" "] * self.width for _ in range(self.height)]
        self.tags = [[""] * self.width for _ in range(self.height)]

    def put(self, x: int, y: int, text: str, tag: str) -> None:
        """Write ``text`` from column ``x``, measured in terminal cells: a double-width (CJK) character
        takes two cells, the second one holding "" so a row always joins to the canvas width."""
        if not 0 <= y < self.height:
            return
        row, tags = self.chars[y], self.tags[y]
        column = x
        for char in text:
            width = cell_len(char)
            if width == 0:
                continue  # a combining mark has no cell of its own
            if 0 <= column and column + width <= self.width:
                if row[column] == "" and column > 0:
                    row[column - 1] = " "  # the left half of a wide character is overwritten
                if column + width < self.width and row[column + width] == "":
                    row[column + width] = " "  # so is the right half of one starting here
                row[column], tags[column] = char, tag
                for extra in range(1, width):
                    row[column + extra], tags[column + extra] = "", tag
            column += width

    def lines(self) -> list[str]:
        return ["".join(row).rstrip() for row in self.chars]

    def runs(self, y: int) -> list[tuple[str, str]]:
        """Row ``y`` as (text, tag) runs, for painting."""
        out: list[tuple[str, str]] = []
        for char, tag in zip(self.chars[y], self.tags[y], strict=True):
            if out and out[-1][1] == tag:
                out[-1] = (out[-1][0] + char, tag)
            else:
                out.append((char, tag))
        return out


def _fit(text: str, room: int) -> str:
    """``text`` in at most ``room`` terminal cells, cut with an ellipsis (a CJK character is two cells)."""
    if cell_len(text) <= room:
        return text
    kept, used = [], 0
    for char in text:
        width = cell_len(char)
        if used + width > room - 1:
            break
        kept.append(char)
        used += width
    return "".join(kept) + "…" if room > 0 else ""


def _draw_box(canvas: Canvas, box: Box, selected: bool = False) -> None:
    chars = HEAVY if box.focus else LIGHT
    tag = "focus" if box.focus else "bottleneck" if box.bottleneck else "box"
    inner = box.width - 2
    marks = f" {box.number} " + ("★ focus " if box.focus else "") + ("⚠ bottleneck " if box.bottleneck else "")
    top = chars[E | S] + chars[E | W] + _fit(marks, inner - 1)
    canvas.put(box.x, box.y, top + chars[E | W] * (box.width - 1 - cell_len(top)) + chars[W | S], tag)
    name_tag = "selected" if selected else "title"
    for row, (text, text_tag) in enumerate(((box.name, name_tag), (box.detail, "detail")), start=1):
        canvas.put(box.x, box.y + row, chars[N | S], tag)
        canvas.put(box.x + 1, box.y + row, " " * inner, "")
        canvas.put(box.x + 2, box.y + row, _fit(text, inner - 2), text_tag)
        canvas.put(box.x + box.width - 1, box.y + row, chars[N | S], tag)
    if box.measured:  # after the expected days, on the detail row, when it fits
        detail = cell_len(_fit(box.detail, inner - 2))
        measured = f" · {box.measured}"
        if cell_len(measured) <= inner - 2 - detail:
            canvas.put(box.x + 2 + detail, box.y + 2, measured, "over" if box.over else "measured")
    canvas.put(box.x, box.y + 3, chars[N | E] + chars[E | W] * inner + chars[N | W], tag)


def _segments(points: tuple[tuple[int, int], ...]) -> dict[tuple[int, int], int]:
    """Every cell along the polyline with the directions the line takes through it."""
    masks: dict[tuple[int, int], int] = {}
    for (x1, y1), (x2, y2) in pairwise(points):
        dx = (x2 > x1) - (x2 < x1)
        dy = (y2 > y1) - (y2 < y1)
        forward = {(1, 0): E, (-1, 0): W, (0, 1): S, (0, -1): N}[(dx, dy)]
        backward = {E: W, W: E, N: S, S: N}[forward]
        x, y = x1, y1
        while (x, y) != (x2, y2):
            masks[(x, y)] = masks.get((x, y), 0) | forward
            x, y = x + dx, y + dy
            masks[(x, y)] = masks.get((x, y), 0) | backward
    return masks


def draw(layout: Layout, selected: str | None = None) -> Canvas:
    """Paint ``layout`` into characters: boxes, routed lines with junctions and arrowheads, labels.

    The name of the ``selected`` stage is tagged "selected" so the screen can show the cursor.
    """
    canvas = Canvas(layout.width, layout.height)
    for box in layout.boxes:
        _draw_box(canvas, box, box.stage_id == selected)
    masks: dict[tuple[int, int], int] = {}
    styles: dict[tuple[int, int], set[str]] = {}
    focus_cells: set[tuple[int, int]] = set()
    heads: list[tuple[tuple[int, int], str, str]] = []
    for route in layout.routes:
        for cell, mask in _segments(route.points).items():
            masks[cell] = masks.get(cell, 0) | mask
            styles.setdefault(cell, set()).add(route.kind)
            if route.focus:
                focus_cells.add(cell)
        (xa, ya), (xb, yb) = route.points[-2], route.points[-1]
        direction = ((xb > xa) - (xb < xa), (yb > ya) - (yb < ya))
        heads.append((route.points[-1], ARROWS[direction], "focus-edge" if route.focus else route.kind))
    for (x, y), mask in masks.items():
        kinds = styles[(x, y)]
        if (x, y) in focus_cells:
            char, tag = HEAVY.get(mask, "┼"), "focus-edge"
        elif kinds == {"back"}:
            char, tag = DASHED.get(mask, "┼"), "back"
        else:
            char, tag = LIGHT.get(mask, "┼"), "skip" if "skip" in kinds else sorted(kinds)[0]
        canvas.put(x, y, char, tag)
    for (x, y), char, tag in heads:
        canvas.put(x, y, char, tag)
    for route in layout.routes:
        if route.label and route.label_at:
            tag = "over" if route.over else "focus-edge" if route.focus else "label"
            canvas.put(route.label_at[0], route.label_at[1], route.label, tag)
    for note in layout.notes:
        canvas.put(note.x, note.y, note.text, note.tag)
    return canvas


LEGEND = ("▼ next stage   ─◀ skips ahead (right)   ╌▶ loops back for rework (left)   ━ focus handoff   ⚠ bottleneck   "
          "took / wait = measured median (↷ skip, ↶ loop back)   ▲ over expected")


def workspace_layout(workspace: Workspace, width: int, now: datetime | None = None) -> Layout:
    """The flowchart of a workspace's stages and handoffs, ``width`` columns wide when it fits."""
    pilot = workspace.pilot()
    owners = {person.id: person.name for person in workspace.all(Person)}
    now = now or clock.now()
    return layout(
        workspace.all(Stage), workspace.all(Handoff), owners=owners,
        focus=(pilot.focus_from_stage_id, pilot.focus_to_stage_id), width=width,
        stage_figures=metrics.stage_times(workspace, now), waits=metrics.handoff_waits(workspace, now),
    )
