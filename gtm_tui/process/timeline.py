"""The process timeline: expected days per stage on a day scale, the longest path, actual durations.

A stage starts when the latest of the handoffs into it arrives (its earliest
start), so the bars show the process as a schedule; the **longest path**
through the forward handoffs is what "from decision to live" really takes when
the process is not a straight line. Loops back for rework are left out of both:
they are the exception the pilot measures, not the plan. Where work items carry
a ``stage_history``, the median of the actual days spent in each stage is shown
beside the expected figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from gtm_tui.data import clock
from gtm_tui.data.model import Handoff, Stage, WorkItem
from gtm_tui.work.metrics import PilotRecords, StageFigure, stage_times


def _days(value: float | None) -> float:
    return float(value or 0)


def forward_handoffs(stages: Sequence[Stage], handoffs: Sequence[Handoff]) -> list[Handoff]:
    """The handoffs that move work forward in the process order (loops back are left out)."""
    index = {stage.id: i for i, stage in enumerate(stages)}
    return [
        h for h in handoffs
        if h.from_stage_id in index and h.to_stage_id in index and index[h.to_stage_id] > index[h.from_stage_id]
    ]


def is_straight_line(stages: Sequence[Stage], handoffs: Sequence[Handoff]) -> bool:
    """True when each stage hands off to the next one only (no skips), so every stage is on the way to live."""
    forward = {(h.from_stage_id, h.to_stage_id) for h in forward_handoffs(stages, handoffs)}
    chain = {(a.id, b.id) for a, b in pairwise(stages)}
    return forward == chain


@dataclass(frozen=True)
class LongestPath:
    """The chain of stages that takes longest; ``total`` = stage days + handoff days along it."""

    stage_ids: tuple[str, ...]
    stage_days: float
    handoff_days: float

    @property
    def total(self) -> float:
        return self.stage_days + self.handoff_days


def longest_path(stages: Sequence[Stage], handoffs: Sequence[Handoff]) -> LongestPath:
    """The longest path through the forward handoffs, weighting stages and handoffs by their expected days.

    With no handoffs mapped yet the stages are taken as a straight line in
    their order. Stages are visited in process order, which is a topological
    order of the forward handoffs, so one pass is enough.
    """
    if not stages:
        return LongestPath((), 0.0, 0.0)
    forward = forward_handoffs(stages, handoffs)
    if not forward:
        if handoffs:  # only loops back: every stage stands alone; the longest is the longest stage
            longest = max(stages, key=lambda s: _days(s.expected_days))
            return LongestPath((longest.id,), _days(longest.expected_days), 0.0)
        return LongestPath(tuple(s.id for s in stages), sum(_days(s.expected_days) for s in stages), 0.0)
    into: dict[str, list[Handoff]] = {}
    for h in forward:
        into.setdefault(h.to_stage_id, []).append(h)
    # best[id] = (days up to the end of this stage, stage days, handoff days, previous stage id)
    best: dict[str, tuple[float, float, float, str | None]] = {}
    for stage in stages:
        own = _days(stage.expected_days)
        choice: tuple[float, float, float, str | None] = (own, own, 0.0, None)
        for h in into.get(stage.id, []):
            total, stage_days, handoff_days, _ = best[h.from_stage_id]
            candidate = (
                total + _days(h.expected_days) + own,
                stage_days + own,
                handoff_days + _days(h.expected_days),
                h.from_stage_id,
            )
            if candidate[0] > choice[0]:
                choice = candidate
        best[stage.id] = choice
    end = max(stages, key=lambda s: (best[s.id][0], -stages.index(s)))
    _, stage_days, handoff_days, previous = best[end.id]
    chain = [end.id]
    while previous is not None:
        chain.append(previous)
        previous = best[previous][3]
    return LongestPath(tuple(reversed(chain)), stage_days, handoff_days)


def earliest_starts(stages: Sequence[Stage], handoffs: Sequence[Handoff]) -> dict[str, float]:
    """The day each stage can start: when the latest forward handoff into it arrives (0 with none).

    With no handoffs mapped the stages follow each other in order.
    """
    forward = forward_handoffs(stages, handoffs)
    starts: dict[str, float] = {}
    if not forward and not handoffs:
        day = 0.0
        for stage in stages:
            starts[stage.id] = day
            day += _days(stage.expected_days)
        return starts
    into: dict[str, list[Handoff]] = {}
    for h in forward:
        into.setdefault(h.to_stage_id, []).append(h)
    by_id = {stage.id: stage for stage in stages}
    for stage in stages:
        starts[stage.id] = max(
            (starts[h.from_stage_id] + _days(by_id[h.from_stage_id].expected_days) + _days(h.expected_days)
             for h in into.get(stage.id, [])),
            default=0.0,
        )
    return starts


@dataclass(frozen=True)
class Actual:
    """What work items really spent in a stage: median days over ``count`` finished visits."""

    median_days: float
    count: int


def actual_durations(stages: Sequence[Stage], work_items: Sequence[WorkItem], now: datetime,
                     figures: Mapping[str, StageFigure] | None = None) -> dict[str, Actual]:
    """Median days per stage over the work items' visits, as the Metrics screen counts them (one definition).

    ``figures``: the workspace's ``metrics.stage_times`` when at hand (read from its index).
    """
    if figures is None:
        figures = stage_times(PilotRecords(work_items=list(work_items), stages=list(stages)), now)
    return {
        stage_id: Actual(round(figure.median_days, 1), figure.visits)
        for stage_id, figure in figures.items()
        if figure.median_days is not None
    }


@dataclass(frozen=True)
class TimelineRow:
    stage_id: str
    number: int
    name: str
    start: float
    expected: float | None
    actual: Actual | None
    on_path: bool


@dataclass(frozen=True)
class Timeline:
    rows: list[TimelineRow]
    path: LongestPath
    straight: bool
    span: float  # the last day any stage ends

    def summary(self, names: dict[str, str]) -> str:
        """One sentence: total days from decision to live, and the longest path when it is not a straight line."""
        if not self.rows:
            return "No stages yet."
        total = f"{self.path.total:g} days from decision to live"
        detail = f" ({self.path.stage_days:g} in stages + {self.path.handoff_days:g} in handoffs)"
        if self.straight:
            return f"{total}{detail}, one stage after the other."
        chain = " → ".join(names.get(i, "?") for i in self.path.stage_ids)
        return f"{total}{detail} along the longest path: {chain}."


def build(
    stages: Sequence[Stage],
    handoffs: Sequence[Handoff],
    work_items: Sequence[WorkItem] = (),
    now: datetime | None = None,
    stage_figures: Mapping[str, StageFigure] | None = None,
) -> Timeline:
    """The timeline of a process: one row a stage with its start, expected and actual days."""
    path = longest_path(stages, handoffs)
    starts = earliest_starts(stages, handoffs)
    actuals = actual_durations(stages, work_items, now or clock.now(), stage_figures) if work_items else {}
    on_path = set(path.stage_ids)
    rows = [
        TimelineRow(s.id, i + 1, s.name, starts.get(s.id, 0.0), s.expected_days, actuals.get(s.id), s.id in on_path)
        for i, s in enumerate(stages)
    ]
    span = max((row.start + _days(row.expected) for row in rows), default=0.0)
    return Timeline(rows, path, is_straight_line(stages, handoffs), span)


def bar(start: float, days: float, span: float, width: int) -> tuple[int, int]:
    """Where a bar sits on a ``width``-cell day scale of ``span`` days: (first cell, cells).

    At least one cell when days > 0.
    """
    if span <= 0 or width <= 0:
        return (0, 0)
    first = min(width - 1, int(round(start / span * width)))
    cells = int(round(days / span * width))
    if days > 0:
        cells = max(1, cells)
    return (first, min(cells, width - first))


def scale(span: float, width: int) -> str:
    """A day ruler for ``width`` cells: a tick and the day number every few days."""
    if span <= 0 or width <= 0:
        return ""
    step = next((s for s in (1, 2, 5, 7, 10, 14, 28, 30, 60, 90) if s / span * width >= 5), 180)
    ruler = [" "] * (width + 6)
    day = 0
    while day <= span:
        cell = min(width - 1, int(round(day / span * width)))
        for offset, char in enumerate(f"|{day}"):
            if cell + offset < len(ruler):
                ruler[cell + offset] = char
        day += step
    return "".join(ruler).rstrip()
