"""The pilot against the campaign it sets out to beat: the baseline, typed or measured, beside the pilot's figures.

Step 1 of the method picks a campaign from the last 6–12 months "with clear
performance figures". There are two ways to give them:

- **typed** in Pilot setup (``Pilot.baseline``, "days from brief to live: 21");
  a name the app measures is compared with the pilot's figure, any other name
  is kept and shown as "typed, not measured";
- **measured** from the campaign's own board (``gtm-tui baseline``, or Import…
  "measure the baseline"): its work comes in as ``BaselineItem`` records, kept
  apart from the pilot's work items, with their visits mapped onto the pilot's
  stages, and ``metrics.figures`` — the very code that measures the pilot —
  measures them. ``Pilot.baseline_source`` says where they came from.

Where both give a figure for the same measure, the measured one is shown.
The comparison is made per measure, per stage (median days) and per handoff
(median wait), the focus handoff included.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gtm_tui.data import clock
from gtm_tui.data.model import as_datetime
from gtm_tui.work.metrics import Figures, PilotRecords, Source, StageFigure, WaitFigure, figures, records_of

# The measures the app computes, in the order they are shown; a typed name is matched to them loosely.
BRIEF_TO_LIVE = "days from brief to live"
FEEDBACK = "feedback cycles per item"
CLARIFICATIONS = "clarification requests per item"
DELAYED = "items delayed (%)"
REWORK = "rework rate (%)"
FOCUS_WAIT = "wait at the focus handoff (days)"

MEASURES: dict[str, Callable[[Figures], float | None]] = {
    BRIEF_TO_LIVE: lambda fig: fig.brief_to_live,
    FEEDBACK: lambda fig: fig.feedback_per_item,
    CLARIFICATIONS: lambda fig: fig.clarifications_per_item,
    DELAYED: lambda fig: fig.delayed_share,
    REWORK: lambda fig: fig.rework_rate,
    FOCUS_WAIT: lambda fig: fig.focus.median_days if fig.focus is not None else None,
}
# How many of the pilot's items (or handoffs) a measure is built on: under MIN_ITEMS it is not compared.
ITEMS_BEHIND: dict[str, Callable[[Figures], int]] = {
    BRIEF_TO_LIVE: lambda fig: fig.done,
    FOCUS_WAIT: lambda fig: fig.focus.waits if fig.focus is not None else 0,
}
MIN_ITEMS = 3  # one item done in minutes against a campaign's 21 days is no "-100 %"


def items_behind(measure: str, fig: Figures) -> int:
    """How many items (done items, waits at the handoff) the pilot's figure for ``measure`` is built on."""
    count = ITEMS_BEHIND.get(measure)
    return count(fig) if count is not None else fig.items


def too_few_text(items: int) -> str:
    """"1 item — too few to compare"."""
    return f"{items} item{'' if items == 1 else 's'} — too few to compare"


# Other ways people write the same measure (compared without case, spaces or "%"/"(days)").
ALIASES: dict[str, str] = {
    "brief to live": BRIEF_TO_LIVE,
    "days brief to live": BRIEF_TO_LIVE,
    "days from brief to live": BRIEF_TO_LIVE,
    "time to live": BRIEF_TO_LIVE,
    "feedback cycles": FEEDBACK,
    "feedback cycles per item": FEEDBACK,
    "feedback rounds": FEEDBACK,
    "clarifications": CLARIFICATIONS,
    "clarifications per item": CLARIFICATIONS,
    "clarification requests": CLARIFICATIONS,
    "clarification requests per item": CLARIFICATIONS,
    "items delayed": DELAYED,
    "delayed": DELAYED,
    "delayed items": DELAYED,
    "delayed share": DELAYED,
    "rework rate": REWORK,
    "rework": REWORK,
    "items needing rework": REWORK,
    "wait at the focus handoff": FOCUS_WAIT,
    "focus wait": FOCUS_WAIT,
    "focus handoff wait": FOCUS_WAIT,
}
MEASURED, TYPED, TYPED_ONLY = "measured", "typed", "typed, not measured"


def _loose(name: str) -> str:
    name = name.casefold().replace("(%)", "").replace("(days)", "").replace("%", "")
    return " ".join(name.replace("_", " ").split())


def canonical(name: str) -> str | None:
    """The measure the app computes that ``name`` means, or None when it computes none by that name."""
    return ALIASES.get(_loose(name))


@dataclass(frozen=True)
class Comparison:
    """One measure: the baseline's figure and where it came from, against the pilot's."""

    measure: str
    baseline: float | None
    pilot: float | None
    origin: str  # MEASURED, TYPED or TYPED_ONLY (a typed name the app cannot measure)
    pilot_items: int | None = None  # how many items the pilot's figure is built on (None: not counted)

    @property
    def measured(self) -> bool:
        """Whether the app computes this measure for the pilot."""
        return self.origin != TYPED_ONLY

    @property
    def too_few(self) -> bool:
        """Whether the pilot's figure rests on too few items to be compared with the baseline."""
        return self.pilot is not None and self.pilot_items is not None and self.pilot_items < MIN_ITEMS

    @property
    def change_percent(self) -> float | None:
        if self.pilot is None or self.baseline is None or not self.measured or self.baseline == 0 or self.too_few:
            return None
        return 100.0 * (self.pilot - self.baseline) / self.baseline


def change_text(comparison: Comparison) -> str:
    """ "-23 %" / "+5 %", "no data yet", or "—" (no change can be said; a typed, unmeasured figure has none)."""
    if not comparison.measured:
        return "—"
    if comparison.too_few:
        return too_few_text(comparison.pilot_items or 0)
    change = comparison.change_percent
    if change is None:
        return "no data yet" if comparison.pilot is None else "—"
    return f"{change:+.0f} %"


@dataclass(frozen=True)
class StageComparison:
    """Time in one stage: the pilot's visits against the baseline's (None: the baseline has no such stage)."""

    stage_id: str
    name: str
    pilot: StageFigure
    baseline: StageFigure | None


@dataclass(frozen=True)
class WaitComparison:
    """The wait at one handoff, pilot and baseline (either may be None where no item went that way)."""

    from_stage_id: str
    to_stage_id: str
    pilot: WaitFigure | None
    baseline: WaitFigure | None
    focus: bool


@dataclass(frozen=True)
class BaselineSource:
    """Where the measured baseline came from, as ``Pilot.baseline_source`` records it."""

    label: str  # "Trello board 'Spring launch'"
    file: str
    first: str | None  # the first day of its history
    last: str | None  # the last day: its figures are taken as of then
    items: int
    unmapped: list[str]
    missing: list[str]  # measures the source cannot tell (feedback cycles, clarifications …)
    notes: list[str]

    @classmethod
    def of(cls, recorded: dict[str, Any]) -> BaselineSource | None:
        if not recorded:
            return None
        return cls(
            str(recorded.get("label") or recorded.get("file") or "a past campaign"),
            str(recorded.get("file") or ""),
            recorded.get("first"),
            recorded.get("last"),
            int(recorded.get("items") or 0),
            list(recorded.get("unmapped") or []),
            list(recorded.get("missing") or []),
            list(recorded.get("notes") or []),
        )

    def text(self) -> str:
        """One line: "Trello board 'X' (x.json), 2025-03-02 → 2025-04-28, 42 items"."""
        where = f"{self.label} ({self.file})" if self.file and self.file not in self.label else self.label
        span = f", {self.first} → {self.last}" if self.first and self.last else ""
        return f"{where}{span}, {self.items} item{'s' if self.items != 1 else ''}"


@dataclass(frozen=True)
class Against:
    """The pilot beside its baseline: headline measures, per stage, per handoff, and where the baseline came from."""

    measures: list[Comparison]
    stages: list[StageComparison]
    waits: list[WaitComparison]
    source: BaselineSource | None
    measured: Figures | None  # the baseline's own figures (None without baseline items)

    @property
    def empty(self) -> bool:
        return not self.measures and self.measured is None


def baseline_until(records: PilotRecords) -> datetime:
    """The moment the baseline is measured at: the last day its source recorded (its open work stops there)."""
    recorded = records.pilot.baseline_source.get("until") if records.pilot is not None else None
    moment = as_datetime(recorded) if isinstance(recorded, str) and recorded else None
    if moment is not None:
        return moment
    stamps = [
        as_datetime(stamp)
        for item in records.baseline_items
        for stamp in [item.done_at, *(v.get(k) for v in item.stage_history for k in ("entered_at", "left_at"))]
        if stamp
    ]
    return max((s for s in stamps if s is not None), default=clock.now())


def measure_baseline(source: Source) -> Figures | None:
    """The baseline items measured by the pilot's own figures code, on the pilot's stages and delay rule."""
    records = records_of(source)
    if not records.baseline_items:
        return None
    past = PilotRecords(
        work_items=records.baseline_items,
        stages=records.stages,
        handoffs=records.handoffs,
        people=records.people,
        pilot=records.pilot,
    )
    return figures(past, baseline_until(records))


def compare(source: Source, now: datetime, pilot_figures: Figures | None = None) -> Against:
    """The pilot's figures (computed now, or as given) beside the measured and typed baseline."""
    records = records_of(source)
    fig = pilot_figures or figures(records, now)
    measured = measure_baseline(records)
    pilot = records.pilot
    recorded = pilot.baseline_source if pilot is not None else {}
    baseline_source = BaselineSource.of(recorded) if measured is not None else None
    missing = set(baseline_source.missing) if baseline_source else set()
    typed = dict(pilot.baseline) if pilot is not None else {}
    typed_known = {canonical(name): value for name, value in typed.items() if canonical(name)}
    comparisons = []
    for measure, compute in MEASURES.items():
        value = compute(measured) if measured is not None and measure not in missing else None
        behind = items_behind(measure, fig)
        if value is not None:
            comparisons.append(Comparison(measure, value, compute(fig), MEASURED, behind))
        elif measure in typed_known:
            comparisons.append(Comparison(measure, typed_known[measure], compute(fig), TYPED, behind))
    comparisons += [Comparison(name, value, None, TYPED_ONLY) for name, value in typed.items() if not canonical(name)]
    stages = [
        StageComparison(stage_id, figure.name, figure, measured.stages.get(stage_id) if measured else None)
        for stage_id, figure in fig.stages.items()
    ]
    return Against(comparisons, stages, _waits(fig, measured), baseline_source, measured)


def _waits(fig: Figures, measured: Figures | None) -> list[WaitComparison]:
    """Every handoff either side went through, the focus handoff always, in the pilot's order."""
    past = measured.waits if measured is not None else {}
    keys = [key for key, wait in fig.waits.items() if wait.waits or wait.focus or (past.get(key) and past[key].waits)]
    keys += [key for key, wait in past.items() if wait.waits and key not in fig.waits]
    out = []
    for key in keys:
        now_wait, then_wait = fig.waits.get(key), past.get(key)
        focus = bool((now_wait and now_wait.focus) or (then_wait and then_wait.focus))
        out.append(
            WaitComparison(key[0], key[1], now_wait, then_wait if then_wait and then_wait.waits else None, focus)
        )
    return out


def change_of(pilot: float | None, baseline: float | None, items: int | None = None) -> str:
    """The change from baseline to pilot in per cent ("-23 %"), or "—" when either is missing or the baseline is 0;
    a pilot figure built on fewer than MIN_ITEMS ``items`` says so instead."""
    if pilot is None or baseline is None or baseline == 0:
        return "—"
    if items is not None and items < MIN_ITEMS:
        return too_few_text(items)
    return f"{100.0 * (pilot - baseline) / baseline:+.0f} %"


def measure_names() -> list[str]:
    """The measures a typed baseline can name, as the set-up form offers them."""
    return list(MEASURES)
