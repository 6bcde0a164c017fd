"""The review meeting as it runs in a room: its phases, whose notes each screen shows, who speaks — no UI.

A retro runs write → group → vote → decide (as Parabol runs one). The phase is kept
on the pilot in the shared file, so every screen on the file shows the same one:
while the team writes, each screen shows only the notes written on it or by the
person at its keyboard (the others' stay hidden until the phase moves on: the
reveal); then the notes are grouped into themes, each person gives their own dots
from their own screen, and the team decides the fixes. A phase may have a timer:
the moment it ends is stored with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from gtm_tui.data.model import REVIEW_PHASES, Feedback, Pilot, ValidationError, as_datetime

PHASES: tuple[str, ...] = REVIEW_PHASES
PHASE_WORDS = {
    "write": "each person writes; the others' notes stay hidden until the reveal",
    "group": "notes shown to all: gather them into themes",
    "vote": "each person gives their own dots",
    "decide": "agree 2-3 priority fixes with owners and deadlines",
}
MAX_TIMER_MINUTES = 120


def phase_of(pilot: Pilot) -> str:
    """The meeting's phase ("" before it starts: nothing is hidden)."""
    return pilot.review_phase if pilot.review_phase in PHASES else ""


def next_phase(current: str, step: int = 1) -> str:
    """The phase after (``step`` 1) or before (-1) ``current``; not started goes to "write"; the ends stay."""
    if current not in PHASES:
        return PHASES[0] if step > 0 else ""
    index = PHASES.index(current) + step
    return "" if index < 0 else PHASES[min(index, len(PHASES) - 1)]


def phase_changes(current: str, step: int) -> dict[str, object]:
    """What to store on the pilot to move the phase by ``step``: the new phase, and no timer running."""
    return {"review_phase": next_phase(current, step), "phase_ends_at": None}


def timer_changes(minutes_typed: str, now: datetime) -> dict[str, object]:
    """What to store for a phase timer of the typed minutes (empty or 0 stops it)."""
    text = (minutes_typed or "").strip()
    if text in ("", "0"):
        return {"phase_ends_at": None}
    if not text.isdigit() or not 0 < int(text) <= MAX_TIMER_MINUTES:
        raise ValidationError("minutes", f"type whole minutes from 1 to {MAX_TIMER_MINUTES} (0 stops the timer)")
    ends = now + timedelta(minutes=int(text))
    return {"phase_ends_at": ends.replace(microsecond=0).isoformat()}


def seconds_left(pilot: Pilot, now: datetime) -> int | None:
    """Seconds until the phase's timer ends (negative once over), or None without a timer."""
    ends = as_datetime(pilot.phase_ends_at)
    return None if ends is None else int((ends - now).total_seconds())


def is_private(phase: str) -> bool:
    """Whether notes are hidden from the other screens (the write phase, until the reveal)."""
    return phase == "write"


@dataclass(frozen=True)
class Shown:
    """The notes a screen shows, and how many it hides (for the line that says so)."""

    notes: list[Feedback]
    hidden: int
    hidden_writers: int  # how many people (anonymous counted as one) wrote the hidden notes


def notes_shown(notes: Iterable[Feedback], phase: str, me: str | None, written_here: set[str]) -> Shown:
    """The notes this screen may show: all of them, or in the private write phase only its own.

    Its own: written on this screen (``written_here``, anonymous ones too: they stay anonymous
    and are seen only where they were typed) or by the person at this keyboard (``me``).
    """
    notes = list(notes)
    if not is_private(phase):
        return Shown(notes, 0, 0)
    mine = [n for n in notes if n.id in written_here or (me is not None and n.person_id == me)]
    kept = {n.id for n in mine}
    hidden = [n for n in notes if n.id not in kept]
    return Shown(mine, len(hidden), len({n.person_id for n in hidden}))
