"""Aging in stand-up mode: items older than their stage's expected days, oldest first (rule and screen)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pilot_waits import press_and_wait

from gtm_tui.app import GtmApp
from gtm_tui.checklists import standup
from gtm_tui.data.model import ChecklistItem, Person, Stage, WorkItem
from gtm_tui.data.workspace import Workspace
from gtm_tui.screens.pushed.standup import StandupScreen
from gtm_tui.screens.widgets.line_table import LineTable

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)


def stamp(day: str) -> str:
    return f"{day}T10:00:00+00:00"


def test_open_items_older_than_the_stage_allows_oldest_first():
    dana = Person(name="Dana")
    review = Stage(name="Review", expected_days=2)
    loose = Stage(name="Backlog")  # no expected days: never ages
    items = [
        ChecklistItem(stage_id=review.id, text="Five days", owner_id=dana.id, created_at=stamp("2026-11-13")),
        ChecklistItem(stage_id=review.id, text="One day", owner_id=dana.id, created_at=stamp("2026-11-17")),
        ChecklistItem(stage_id=review.id, text="Done long ago", owner_id=dana.id, created_at=stamp("2026-11-01"),
                      done=True),
        ChecklistItem(stage_id=review.id, text="Someone else's", owner_id="x" * 12, created_at=stamp("2026-11-01")),
        ChecklistItem(stage_id=loose.id, text="Backlog", owner_id=dana.id, created_at=stamp("2026-10-01")),
    ]
    work = [
        WorkItem(
            title="Six days in review",
            assignee_id=dana.id,
            stage_id=review.id,
            status="in progress",
            created_at=stamp("2026-10-01"),
            stage_history=[
                {"stage_id": loose.id, "entered_at": stamp("2026-10-01"), "left_at": stamp("2026-11-12")},
                {"stage_id": review.id, "entered_at": stamp("2026-11-12"), "left_at": None},
            ],
        ),
        WorkItem(
            title="Just arrived",
            assignee_id=dana.id,
            stage_id=review.id,
            status="in progress",
            stage_history=[{"stage_id": review.id, "entered_at": stamp("2026-11-17"), "left_at": None}],
        ),
        WorkItem(
            title="Finished",
            assignee_id=dana.id,
            stage_id=review.id,
            status="done",
            stage_history=[{"stage_id": review.id, "entered_at": stamp("2026-11-01"), "left_at": None}],
        ),
    ]
    found = standup.aging_for(dana.id, items, work, [review, loose], NOW)
    assert [(w.kind, w.record.describe(), w.words) for w in found] == [
        ("work", "Six days in review", "waiting 6 d"),  # since entering Review, not since created
        ("item", "Five days", "waiting 5 d"),
    ]
    assert found[0].expected == 2


def test_waiting_under_a_day_is_said_in_hours():
    entry = standup.Waiting("item", ChecklistItem(stage_id="a" * 12, text="x"), "a" * 12, 0.75, 0.5)
    assert entry.words == "waiting 18 h"


async def test_standup_shows_the_waiting_items_first_with_how_long(demo_file: Path):
    ws = Workspace.open(demo_file)
    priya = next(p for p in ws.all(Person) if p.name == "Priya Raman")
    app = GtmApp(demo_file, ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "3", "s")
        screen = app.screen
        assert isinstance(screen, StandupScreen)
        while screen.person.id != priya.id:
            await pilot.press("tab")
        await pilot.pause()
        table = screen.query_one("#standup-items", LineTable)
        keys = [str(k.value) for k in table.rows]
        waiting = standup.aging_for(priya.id, ws.all(ChecklistItem), ws.all(WorkItem), ws.all(Stage), NOW)
        assert waiting and any(w.kind == "work" for w in waiting)
        # Each says how long it has waited, wherever it is listed (due, her turn, or the rest).
        expected_keys = [("work:" if w.kind == "work" else "") + w.record.id for w in waiting]
        shown = {key: str(table.get_row(key)[4]) for key in expected_keys}  # the "Waited" column
        assert [shown[key] for key in expected_keys] == [w.words.removeprefix("waiting ") for w in waiting]
        assert waiting[0].words == "waiting 6 d"  # oldest first: the work item 6 days in Copywriting
        # Under "Everything else open", what waited too long comes first, the longest first.
        if "section:open" in keys:
            rest = [key for key in keys[keys.index("section:open") + 1:] if not key.startswith("section:")]
            aged = [key for key in rest if str(table.get_row(key)[4])]
            assert rest[:len(aged)] == aged == [key for key in expected_keys if key in rest]
        # Every item is listed once (a blocked step may come again under its piece's blockers).
        assert len(keys) == len(set(keys))
