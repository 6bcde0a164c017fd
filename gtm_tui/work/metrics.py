"""How work moves during the pilot: flags and figures, as pure functions over records and a given ``now``.

Rules (the README says the same in the user's words):

- A *visit* is one stay of an item in a stage. Its length runs from
  ``entered_at`` to ``left_at``; an open visit runs to ``now``, except on a done
  item, where it stops at ``done_at``.
- The *wait* at a handoff is the gap between leaving one stage and entering the
  next one in the item's history (0 when the next stage was entered at once).
- An item is *delayed* when it is past its due date and not done, or was done
  after it, when one of
  its visits ran over the stage's expected days by more than the pilot's grace
  (counted in working days, see ``working_time``), or when a person marked it
  so. It needs *rework* when a visit goes back to an earlier stage (lower
  position) than the one before it, or when a person marked it so.
- A visit an import could only infer (``"inferred": true``: the source did not
  say which stage the item was in) counts for the item's span (brief to live)
  but not for time in that stage, and is never late.
- Figures "per item" and rates are over every work item in the file.

The same functions measure the pilot's work items and the past campaign's
baseline items (``work.baseline``). Nothing here imports Textual;
``stage_times`` and ``handoff_waits`` are also what the flowchart shows.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import TypeVar

from gtm_tui.data import clock
from gtm_tui.data.model import BaselineItem, Handoff, Person, Pilot, Stage, WorkItem, as_date, as_datetime
from gtm_tui.data.workspace import Workspace
from gtm_tui.overview.sections import Row, Section
from gtm_tui.work.working_time import DelayRule, rule_of

DAY_SECONDS = 86400.0
_T = TypeVar("_T")


@dataclass(frozen=True)
class PilotRecords:
    """The records the figures are computed from (a workspace, or records built by hand in a test).

    ``stays`` is the index the figures read instead of re-reading every
    item's history: each work item's stays, which a workspace keeps per item
    and recomputes only for the items a change touched. The visits (stays
    with a length, which needs "now") and the flags are computed once per
    "now" and shared by every figure.
    """

    work_items: list[WorkItem] = field(default_factory=list)
    stages: list[Stage] = field(default_factory=list)
    handoffs: list[Handoff] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    pilot: Pilot | None = None
    # The past campaign's work, read from its board (see work.baseline); measured apart from the pilot's.
    baseline_items: list[WorkItem] = field(default_factory=list)
    stays: Mapping[str, tuple[Stay, ...]] | None = field(default=None, repr=False, compare=False)
    # Each item's visits and flags as of a minute, kept across changes (a workspace's ``lasting`` cache):
    # an entry counts only while its item is the very record it was computed from.
    per_item: dict[tuple[str, str], tuple[object, object, object]] | None = field(
        default=None, repr=False, compare=False)
    item_waits: Mapping[str, list[tuple[str, str, float]]] | None = field(default=None, repr=False, compare=False)
    # The latest "now" and what was computed for it: several figures read the same visits and flags.
    at: dict[str, tuple[datetime, object]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def rule(self) -> DelayRule:
        """The pilot's delay rule (working week and grace)."""
        return rule_of(self.pilot)

    def as_of(self, what: str, now: datetime, compute: Callable[[], _T]) -> _T:
        """``compute()`` for ``now``, kept until it is asked for another moment."""
        kept = self.at.get(what)
        if kept is None or kept[0] != now:
            kept = self.at[what] = (now, compute())
        return kept[1]  # type: ignore[return-value]

    def visits(self, now: datetime) -> dict[str, list[Visit]]:
        """Every work item's visits, by item id, as of ``now``."""
        def compute() -> dict[str, list[Visit]]:
            stays = self.stays or {}
            return {item.id: self.of_item("visits", item, now, lambda item: visits_of(item, now, stays.get(item.id)))
                    for item in self.work_items}

        return self.as_of("visits", now, compute)

    def of_item(self, what: str, item: WorkItem, context: object, compute: Callable[[WorkItem], _T]) -> _T:
        """``compute(item)``, or what it gave for this very item in the same ``context`` before."""
        if self.per_item is None:
            return compute(item)
        kept = self.per_item.get((what, item.id))
        if kept is not None and kept[0] is item and kept[1] == context:
            return kept[2]  # type: ignore[return-value]
        value = compute(item)
        self.per_item[(what, item.id)] = (item, context, value)
        return value

    def visits_by_stage(self, now: datetime) -> dict[str, list[Visit]]:
        """Every work item's visits as of ``now``, grouped by stage id, in the items' order."""
        def compute() -> dict[str, list[Visit]]:
            grouped: dict[str, list[Visit]] = {}
            for visits in self.visits(now).values():
                for visit in visits:
                    grouped.setdefault(visit.stage_id, []).append(visit)
            return grouped

        return self.as_of("by stage", now, compute)


Source = Workspace | PilotRecords


def records_of(source: Source) -> PilotRecords:
    """The records of a workspace (kept until its next change), or ``source`` itself when it is ``PilotRecords``."""
    if isinstance(source, PilotRecords):
        return source
    return source.memo("metrics records", lambda: PilotRecords(
        work_items=source.all(WorkItem),
        stages=source.all(Stage),
        handoffs=source.all(Handoff),
        people=source.all(Person),
        pilot=source.pilot(),
        baseline_items=source.all(BaselineItem),
        stays=source.derived(WorkItem, stays_of),
        item_waits=source.derived(WorkItem, _item_waits),
        per_item=source.lasting("metrics per item", dict),
    ))


def this_minute(now: datetime) -> datetime:
    """``now`` to the minute: the moment the screens measure at, so that keystrokes within a minute
    reuse every unchanged item's visits and flags (a figure in days does not move within a minute)."""
    return now.replace(second=0, microsecond=0)


def _days(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / DAY_SECONDS


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _mean(values: list[float]) -> float | None:
    return statistics.fmean(values) if values else None


# --------------------------------------------------------------------------
# Visits


@dataclass(frozen=True)
class Stay:
    """One stay of an item in a stage as its history holds it: how long it lasts needs "now" while it is open."""

    stage_id: str
    entered: datetime
    left: datetime | None  # None: still there
    inferred: bool = False


@dataclass(frozen=True)
class Visit:
    """One stay of an item in a stage, with its length in days."""

    item_id: str
    stage_id: str
    entered: datetime
    left: datetime | None  # None: still there
    days: float
    end: datetime | None = None  # where its length was measured to (left, done, or now)
    inferred: bool = False  # the source did not say which stage; not counted as time in this stage


def stays_of(item: WorkItem) -> tuple[Stay, ...]:
    """The item's stage history, parsed once (a workspace keeps it per item: ``Workspace.derived``)."""
    stays = []
    for entry in item.stage_history:
        entered = as_datetime(entry.get("entered_at"))
        if entered is not None:
            left = as_datetime(entry.get("left_at"))
            stays.append(Stay(entry["stage_id"], entered, left, bool(entry.get("inferred"))))
    return tuple(stays)


def visits_of(item: WorkItem, now: datetime, stays: Iterable[Stay] | None = None) -> list[Visit]:
    """The item's stage history as visits; an open visit ends at ``done_at`` (done items) or ``now``.

    ``stays`` is the item's ``stays_of`` when it is already at hand.
    """
    done_at = as_datetime(item.done_at) if item.status == "done" else None
    visits = []
    for stay in stays_of(item) if stays is None else stays:
        end = max(stay.entered, stay.left or done_at or now)
        days = _days(stay.entered, end)
        visits.append(Visit(item.id, stay.stage_id, stay.entered, stay.left, days, end, stay.inferred))
    return visits


# --------------------------------------------------------------------------
# Flags


@dataclass(frozen=True)
class Flags:
    """Why an item stands out. ``reasons`` say it in words, for the flagged list."""

    delayed: bool = False
    rework: bool = False
    reasons: tuple[str, ...] = ()

    @property
    def flagged(self) -> bool:
        return self.delayed or self.rework


def item_flags(
    item: WorkItem, stages: Iterable[Stage] | Mapping[str, Stage], now: datetime, rule: DelayRule | None = None,
    visits: list[Visit] | None = None,
) -> Flags:
    """The automatic and hand-set flags of one item (``stages`` as a list, or already by id).

    ``rule`` is the pilot's delay rule (working week and grace); the defaults without it.
    ``visits`` are the item's visits as of ``now`` when already at hand.
    """
    by_id = stages if isinstance(stages, Mapping) else {stage.id: stage for stage in stages}
    rule = rule or DelayRule()
    reasons: list[str] = []
    delayed = rework = False
    due = as_date(item.due)
    finished = as_datetime(item.done_at) if item.status == "done" else None
    done_on = finished.date() if finished is not None else None
    if due is not None and item.status != "done" and due < now.date():
        delayed = True
        reasons.append(f"past due ({item.due})")
    elif due is not None and done_on is not None and done_on > due:
        delayed = True  # finished late is still late: it stays delayed once done
        reasons.append(f"done {done_on.isoformat()} after due {item.due}")
    for visit in visits_of(item, now) if visits is None else visits:
        stage = by_id.get(visit.stage_id)
        if stage is None or stage.expected_days is None or visit.inferred or visit.end is None:
            continue
        worked = rule.working_days(visit.entered, visit.end)
        if worked > rule.allowed_days(stage.expected_days):
            delayed = True
            reasons.append(f"{stage.name} {worked:.1f} working d > {stage.expected_days:g} d + grace")
    if item.delayed:
        delayed = True
        reasons.append("marked delayed")
    previous: Stage | None = None
    for entry in item.stage_history:
        stage = by_id.get(entry.get("stage_id") or "")
        if stage is None:
            continue
        if previous is not None and stage.position < previous.position:
            rework = True
            reasons.append(f"sent back {previous.name} → {stage.name}")
        previous = stage
    if item.rework:
        rework = True
        reasons.append("marked rework")
    return Flags(delayed, rework, tuple(reasons))


def all_flags(source: Source, now: datetime) -> dict[str, Flags]:
    """Flags of every item, by item id."""
    records = records_of(source)

    def compute() -> dict[str, Flags]:
        by_id = {stage.id: stage for stage in records.stages}
        rule, visits = records.rule, records.visits(now)
        # An item's flags are kept until it, the stages' expectations or the rule change (or "now" does).
        context = (now, rule, tuple((s.id, s.name, s.position, s.expected_days) for s in records.stages))

        def flags_of(item: WorkItem) -> Flags:
            return item_flags(item, by_id, now, rule, visits[item.id])

        return {item.id: records.of_item("flags", item, context, flags_of) for item in records.work_items}

    return records.as_of("flags", now, compute)


def flagged_items(source: Source, now: datetime) -> list[tuple[WorkItem, Flags]]:
    """The items that are delayed or need rework, in the file's order."""
    records = records_of(source)
    flags = all_flags(records, now)
    return [(item, flags[item.id]) for item in records.work_items if flags[item.id].flagged]


# --------------------------------------------------------------------------
# Time in stage and waits at handoffs


@dataclass(frozen=True)
class StageFigure:
    """Time in one stage over every visit: median and mean days against the expected days."""

    stage_id: str
    name: str
    expected_days: float | None
    visits: int
    median_days: float | None
    mean_days: float | None
    overran: int  # visits late by the pilot's delay rule (over expected plus grace, in working days)

    @property
    def bottleneck(self) -> bool:
        """The typical visit (the median) took longer than the stage should."""
        return self.median_days is not None and self.expected_days is not None and self.median_days > self.expected_days


def stage_times(source: Source, now: datetime) -> dict[str, StageFigure]:
    """Every stage, in process order, with its time-in-stage figures (None when no item visited it)."""
    records = records_of(source)
    rule = records.rule
    lengths: dict[str, list[float]] = {stage.id: [] for stage in records.stages}
    late: dict[str, int] = dict.fromkeys(lengths, 0)
    expected = {stage.id: stage.expected_days for stage in records.stages}
    visits = records.visits(now)
    context = (now, rule, tuple(expected.items()))

    def measured(item: WorkItem) -> list[tuple[str, float, bool]]:
        """The item's visits that count for their stage: (stage id, days, late)."""
        return [(v.stage_id, v.days, rule.is_late(v.entered, v.end or v.entered, expected[v.stage_id]))
                for v in visits[item.id] if v.stage_id in expected and not v.inferred]

    for item in records.work_items:
        for stage_id, days, is_late in records.of_item("stage lengths", item, context, measured):
            lengths[stage_id].append(days)
            late[stage_id] += is_late
    figures = {}
    for stage in sorted(records.stages, key=lambda s: (s.position, s.name.casefold())):
        stage_days = lengths[stage.id]
        figures[stage.id] = StageFigure(
            stage.id, stage.name, stage.expected_days, len(stage_days), _median(stage_days), _mean(stage_days),
            late[stage.id],
        )
    return figures


@dataclass(frozen=True)
class WaitFigure:
    """The wait between leaving ``from_stage_id`` and entering ``to_stage_id``, over every item that went that way."""

    from_stage_id: str
    to_stage_id: str
    waits: int
    median_days: float | None
    mean_days: float | None
    max_days: float | None
    expected_days: float | None = None  # the handoff's own expectation, when mapped
    focus: bool = False

    @property
    def over_expected(self) -> bool:
        return self.median_days is not None and self.expected_days is not None and self.median_days > self.expected_days


def _item_waits(item: WorkItem) -> list[tuple[str, str, float]]:
    out = []
    history = item.stage_history
    for before, after in pairwise(history):
        left, entered = as_datetime(before.get("left_at")), as_datetime(after.get("entered_at"))
        if left is not None and entered is not None:
            out.append((before["stage_id"], after["stage_id"], max(0.0, _days(left, entered))))
    return out


def handoff_waits(source: Source, now: datetime | None = None) -> dict[tuple[str, str], WaitFigure]:
    """Every handoff work went through or that the map names, keyed (from stage id, to stage id).

    ``now`` is accepted for symmetry with ``stage_times``; a wait needs both
    ends, so it does not depend on it.
    """
    records = records_of(source)
    pilot = records.pilot
    focus = (pilot.focus_from_stage_id, pilot.focus_to_stage_id) if pilot else (None, None)
    waits: dict[tuple[str, str], list[float]] = {}
    for handoff in records.handoffs:
        waits.setdefault((handoff.from_stage_id, handoff.to_stage_id), [])
    if focus[0] and focus[1]:
        waits.setdefault((focus[0], focus[1]), [])
    known = {stage.id for stage in records.stages}
    item_waits = records.item_waits or {}
    for item in records.work_items:
        found = item_waits.get(item.id)
        for source_id, target_id, days in _item_waits(item) if found is None else found:
            if source_id != target_id and source_id in known and target_id in known:
                waits.setdefault((source_id, target_id), []).append(days)
    expected = {(h.from_stage_id, h.to_stage_id): h.expected_days for h in records.handoffs}
    position = {stage.id: stage.position for stage in records.stages}
    keys = sorted(waits, key=lambda k: (position.get(k[0], 0), position.get(k[1], 0)))
    return {
        key: WaitFigure(key[0], key[1], len(waits[key]), _median(waits[key]), _mean(waits[key]),
                        max(waits[key]) if waits[key] else None, expected.get(key), key == focus)
        for key in keys
    }


def focus_wait(source: Source, now: datetime | None = None) -> WaitFigure | None:
    """The wait at the pilot's focus handoff, or None when the focus stages are not chosen."""
    for figure in handoff_waits(source, now).values():
        if figure.focus:
            return figure
    return None


# --------------------------------------------------------------------------
# Per-item figures


def feedback_cycles_per_item(source: Source) -> float | None:
    items = records_of(source).work_items
    return _mean([len(item.feedback_cycles) for item in items])


def clarifications_per_item(source: Source) -> float | None:
    items = records_of(source).work_items
    return _mean([len(item.clarifications) for item in items])


def rework_rate(source: Source, now: datetime) -> float | None:
    """Per cent of items that needed rework (None with no items)."""
    flags = list(all_flags(source, now).values())
    return 100.0 * sum(f.rework for f in flags) / len(flags) if flags else None


def delayed_count(source: Source, now: datetime) -> int:
    return sum(f.delayed for f in all_flags(source, now).values())


def delayed_share(source: Source, now: datetime) -> float | None:
    """Per cent of items delayed (None with no items)."""
    flags = list(all_flags(source, now).values())
    return 100.0 * sum(f.delayed for f in flags) / len(flags) if flags else None


def days_brief_to_live(source: Source) -> float | None:
    """Mean days from entering the first stage to done, over done items."""
    days = []
    for item in records_of(source).work_items:
        done = as_datetime(item.done_at)
        if item.status != "done" or done is None or not item.stage_history:
            continue
        first = as_datetime(item.stage_history[0].get("entered_at"))
        if first is not None:
            days.append(max(0.0, _days(first, done)))
    return _mean(days)


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def done_per_week(source: Source, now: datetime) -> list[tuple[date, int]]:
    """(Monday, items done that week) from the pilot's first week (or the first done item) to this week."""
    records = records_of(source)
    done_days = [
        finished.date()
        for item in records.work_items
        if item.status == "done" and (finished := as_datetime(item.done_at)) is not None
    ]
    starts = list(done_days)
    pilot_start = as_date(records.pilot.start_date) if records.pilot is not None else None
    if pilot_start is not None:
        starts.append(pilot_start)
    if not starts:
        return []
    first, last = _week_start(min(starts)), _week_start(max([now.date(), *done_days]))
    done = Counter(_week_start(day) for day in done_days)
    weeks = []
    week = first
    while week <= last:
        weeks.append((week, done[week]))
        week += timedelta(days=7)
    return weeks


def _stage_at(visits: list[Visit], moment: datetime, now: datetime) -> str | None:
    for visit in reversed(visits):
        end = visit.left or now
        if visit.entered <= moment <= end:
            return visit.stage_id
    return None


def minutes_per_person(source: Source) -> dict[str | None, float]:
    """Minutes logged, by person id (None: nobody named), biggest first."""
    totals: dict[str | None, float] = {}
    for item in records_of(source).work_items:
        for entry in item.time_log:
            totals[entry.get("person_id")] = totals.get(entry.get("person_id"), 0) + (entry.get("minutes") or 0)
    return dict(sorted(totals.items(), key=lambda kv: -kv[1]))


def minutes_per_stage(source: Source, now: datetime) -> dict[str | None, float]:
    """Minutes logged, by the stage the item was in when it was logged (None: in no stage then)."""
    totals: dict[str | None, float] = {}
    records = records_of(source)
    visits = records.visits(now)

    def logged(item: WorkItem) -> list[tuple[str | None, float]]:
        found = []
        for entry in item.time_log:
            moment = as_datetime(entry.get("at"))
            found.append((_stage_at(visits[item.id], moment, now) if moment else None, entry.get("minutes") or 0))
        return found

    for item in records.work_items:
        if item.time_log:
            for stage_id, minutes in records.of_item("minutes per stage", item, now, logged):
                totals[stage_id] = totals.get(stage_id, 0) + minutes
    return totals


# --------------------------------------------------------------------------
# Everything at once, for the screen and the Overview


@dataclass(frozen=True)
class Figures:
    items: int
    done: int
    flags: dict[str, Flags]
    stages: dict[str, StageFigure]
    waits: dict[tuple[str, str], WaitFigure]
    focus: WaitFigure | None
    feedback_per_item: float | None
    clarifications_per_item: float | None
    rework_rate: float | None
    delayed: int
    delayed_share: float | None
    brief_to_live: float | None
    done_per_week: list[tuple[date, int]]
    minutes_per_person: dict[str | None, float]
    minutes_per_stage: dict[str | None, float]
    rule: DelayRule

    @property
    def flagged(self) -> int:
        return sum(f.flagged for f in self.flags.values())

    @property
    def bottlenecks(self) -> list[StageFigure]:
        return [figure for figure in self.stages.values() if figure.bottleneck]


def figures(source: Source, now: datetime) -> Figures:
    """Every figure of the Metrics screen, computed once from the same records."""
    records = records_of(source)
    waits = handoff_waits(records, now)
    return Figures(
        items=len(records.work_items),
        done=sum(1 for item in records.work_items if item.status == "done"),
        flags=all_flags(records, now),
        stages=stage_times(records, now),
        waits=waits,
        focus=next((w for w in waits.values() if w.focus), None),
        feedback_per_item=feedback_cycles_per_item(records),
        clarifications_per_item=clarifications_per_item(records),
        rework_rate=rework_rate(records, now),
        delayed=delayed_count(records, now),
        delayed_share=delayed_share(records, now),
        brief_to_live=days_brief_to_live(records),
        done_per_week=done_per_week(records, now),
        minutes_per_person=minutes_per_person(records),
        minutes_per_stage=minutes_per_stage(records, now),
        rule=records.rule,
    )


def days_text(days: float | None) -> str:
    """Days for a person to read: "2.5 d", or "—" when there is no figure."""
    return "—" if days is None else f"{days:.1f} d"


def duration_text(days: float) -> str:
    """A stay in words a person reads at a glance: "3 d 1 h", "20 h", "under 1 h"."""
    hours = round(days * 24)
    if hours < 1:
        return "under 1 h"
    whole, rest = divmod(hours, 24)
    if not whole:
        return f"{rest} h"
    return f"{whole} d" + (f" {rest} h" if rest else "")


def number_text(value: float | None, digits: int = 1, suffix: str = "") -> str:
    return "—" if value is None else f"{value:.{digits}f}{suffix}"


def metrics_section(workspace: Workspace) -> Section:
    """The Overview's headline figures and how many items are flagged."""
    if not workspace.count(WorkItem):
        return Section("How work moves", [])
    fig = figures(workspace, this_minute(clock.now()))
    rows = [
        Row("Work items", f"{fig.items} ({fig.done} done)"),
        Row("Flagged", f"{fig.flagged} ({fig.delayed} delayed)", "bad" if fig.flagged else "good"),
        Row("Rework rate", number_text(fig.rework_rate, 0, " %")),
        Row("Feedback cycles per item", number_text(fig.feedback_per_item)),
        Row("Clarification requests per item", number_text(fig.clarifications_per_item)),
        Row("Days from brief to live", days_text(fig.brief_to_live)),
    ]
    if fig.focus is not None:
        rows.append(Row("Wait at the focus handoff", f"median {days_text(fig.focus.median_days)}",
                        "warning" if fig.focus.over_expected else ""))
    if fig.bottlenecks:
        rows.append(Row("Bottlenecks", ", ".join(f.name for f in fig.bottlenecks), "warning"))
    return Section("How work moves", rows)
