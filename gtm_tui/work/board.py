"""The board: one column per stage, a card per piece of work — what a content team looks at every day.

A card says what the piece is, who has it, how far its run in this stage is
(``4/6``), how long it has been in the stage and its flags: delayed, rework,
about to miss its live date, blocked. A column counts its pieces (its WIP)
and the board can be narrowed to one person or one flag. Pieces in no stage
yet wait in a first column, "Not started". Everything here is pure and built
in one pass over the records, so a board of hundreds of pieces is quick to
rebuild; the widget draws only the columns and cards that fit on screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from gtm_tui.checklists.checklist_items import Progress
from gtm_tui.checklists.runs import RunIndex
from gtm_tui.data.model import Stage, WorkItem, as_datetime
from gtm_tui.process.planning import WorkCalendar, at_risk
from gtm_tui.work.metrics import Flags

NOT_STARTED = ""  # the column key of pieces in no stage yet

# Flags a card can carry: key -> (badge, words). The filter offers them in this order.
FLAGS: dict[str, tuple[str, str]] = {
    "delayed": ("D", "delayed"),
    "rework": ("R", "rework"),
    "at risk": ("L", "about to miss its live date"),
    "blocked": ("⚑", "a step is blocked"),
    "overdue": ("!", "a step is overdue"),
}


@dataclass(frozen=True)
class Card:
    """One piece on the board."""

    item: WorkItem
    progress: Progress | None  # its current run's steps; None: no run in this stage
    days_in_stage: float | None
    flags: tuple[str, ...] = ()  # keys of FLAGS
    risk: str | None = None  # why it is about to miss its live date

    @property
    def badges(self) -> str:
        return "".join(FLAGS[flag][0] for flag in self.flags)


@dataclass(frozen=True)
class Column:
    """One stage (or "Not started") and its cards, oldest in the stage first."""

    key: str  # the stage id, or NOT_STARTED
    title: str
    cards: tuple[Card, ...]
    expected_days: float | None = None

    @property
    def wip(self) -> int:
        """The pieces in the stage that are not done."""
        return sum(1 for card in self.cards if card.item.status != "done")


@dataclass(frozen=True)
class BoardFilter:
    """What the board shows: one person's pieces, pieces with one flag, or everything."""

    person_id: str | None = None
    flag: str | None = None

    @property
    def active(self) -> bool:
        return bool(self.person_id or self.flag)

    def matches(self, card: Card) -> bool:
        if self.person_id and card.item.assignee_id != self.person_id:
            return False
        return not self.flag or self.flag in card.flags


@dataclass
class Board:
    """The columns in process order, and where each piece is (column, row)."""

    columns: list[Column] = field(default_factory=list)

    def find(self, item_id: str) -> tuple[int, int] | None:
        for x, column in enumerate(self.columns):
            for y, card in enumerate(column.cards):
                if card.item.id == item_id:
                    return x, y
        return None


def days_in_stage(item: WorkItem, now: datetime) -> float | None:
    """How long the piece has been in its current stage (its open visit), in days."""
    for visit in reversed(item.stage_history):
        if visit.get("stage_id") == item.stage_id and not visit.get("left_at"):
            entered = as_datetime(visit.get("entered_at"))
            return None if entered is None else max(0.0, (now - entered).total_seconds() / 86400)
    return None


def age_text(days: float | None) -> str:
    """"3d", "5h", or "" when unknown."""
    if days is None:
        return ""
    return f"{int(days)}d" if days >= 1 else f"{int(days * 24)}h"


def card_for(item: WorkItem, index: RunIndex, flags: Flags | None, stages: Sequence[Stage],
             calendar: WorkCalendar, now: datetime, live_stage_id: str | None = None) -> Card:
    """The card of one piece: its current run's progress, its age in the stage and its flags."""
    today = now.date()
    run = index.current(item)
    steps = index.steps_of(run.id) if run else []
    found: list[str] = []
    if flags is not None and flags.delayed:
        found.append("delayed")
    if flags is not None and flags.rework:
        found.append("rework")
    risk = at_risk(item, stages, calendar, today, live_stage_id)
    if risk:
        found.append("at risk")
    if any(step.blocked and not step.done for step in steps):
        found.append("blocked")
    if any(not step.done and step.due and step.due < today.isoformat() for step in steps):
        found.append("overdue")
    progress = index.progress(run.id) if run else None
    return Card(item, progress, days_in_stage(item, now), tuple(found), risk)


def build_board(stages: Sequence[Stage], items: Iterable[WorkItem], index: RunIndex, flags: Mapping[str, Flags],
                calendar: WorkCalendar, now: datetime, board_filter: BoardFilter | None = None,
                live_stage_id: str | None = None) -> Board:
    """The board: "Not started" (when any piece is) then a column per stage, each card filtered."""
    board_filter = board_filter or BoardFilter()
    by_stage: dict[str, list[Card]] = {stage.id: [] for stage in stages}
    waiting: list[Card] = []
    for item in items:
        card = card_for(item, index, flags.get(item.id), stages, calendar, now, live_stage_id)
        if not board_filter.matches(card):
            continue
        if item.stage_id in by_stage:
            by_stage[item.stage_id].append(card)
        else:
            waiting.append(card)
    columns = []
    if waiting:
        columns.append(Column(NOT_STARTED, "Not started", tuple(sorted(waiting, key=_waiting_order))))
    for stage in stages:
        cards = sorted(by_stage[stage.id], key=_card_order)
        columns.append(Column(stage.id, stage.name, tuple(cards), stage.expected_days))
    return Board(columns)


def _card_order(card: Card) -> tuple:
    """Open pieces first, the longest in the stage on top; done pieces last."""
    return (card.item.status == "done", -(card.days_in_stage or 0.0), card.item.title.casefold(), card.item.id)


def _waiting_order(card: Card) -> tuple:
    return (card.item.due or "9999", card.item.title.casefold(), card.item.id)


def flag_words(card: Card) -> str:
    """The card's flags in words, for the detail line."""
    words = [FLAGS[flag][1] for flag in card.flags]
    if card.risk:
        words = [card.risk if flag == FLAGS["at risk"][1] else flag for flag in words]
    return "; ".join(words)

