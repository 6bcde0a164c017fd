"""Anonymous feedback keeps no author at all, and named feedback is said to be visible to the whole file."""

from __future__ import annotations

from pathlib import Path

import orjson
from pilot_waits import press_and_wait, type_at_once
from textual.widgets import Select, Static

from gtm_tui.app import GtmApp
from gtm_tui.data.model import Feedback, Question
from gtm_tui.data.workspace import Workspace
from gtm_tui.screens.dialogs.forms import FormScreen
from gtm_tui.screens.pushed.meeting import NAMED_FEEDBACK_NOTICE, MeetingScreen

NOTICE = ("Named feedback is visible to everyone who has this file. "
          "Choose 'anonymous' to leave your name out entirely.")


def feedback(path: Path) -> list[dict]:
    return list(orjson.loads(path.read_bytes())["feedback"].values())


# person_id is the only field about who; position is the note's place among those typed in the same second.
NOTE_FIELDS = {"id", "created_at", "updated_at", "question_id", "person_id", "text", "phase", "theme_id", "position"}


def test_a_feedback_note_has_no_field_that_could_name_its_author():
    # person_id is the only field about who: an anonymous note (None) carries nothing else.
    stored = Feedback(question_id="a" * 12, text="Too many approvers").to_dict()
    assert set(stored) == NOTE_FIELDS
    assert stored["person_id"] is None


def test_the_notice_says_it_plainly():
    assert NAMED_FEEDBACK_NOTICE == NOTICE


async def test_meeting_mode_shows_the_notice_and_saves_anonymous_notes_without_author(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "6", "m")
        assert isinstance(app.screen, MeetingScreen)
        assert NOTICE in str(app.screen.query_one("#meeting-privacy", Static).render())
        await type_at_once(pilot, "ctrl+o", *"Ma", "enter")  # a named speaker first ...
        assert app.screen.speaker() is not None
        await type_at_once(pilot, "ctrl+o", "enter")  # ... then nobody: anonymous
        assert app.screen.speaker() is None
        for char in "quiet":
            await pilot.press(char)
        await pilot.press("enter")
        await pilot.pause()
    note = next(f for f in feedback(demo_file) if f["text"] == "quiet")
    assert note["person_id"] is None
    assert set(note) == NOTE_FIELDS


async def test_retro_feedback_form_says_who_can_read_named_feedback_and_offers_anonymous(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "6", "b")
        form = app.screen
        assert isinstance(form, FormScreen)
        hints = [str(s.render()) for s in form.query(".field-hint").results(Static)]
        assert any(NOTICE in hint for hint in hints)
        assert form.query_one("#field-person", Select).value == "anonymous"
        form.query_one("#field-text").insert("The tracker was never up to date")
        await pilot.press("ctrl+s")
        await pilot.pause()
    note = next(f for f in feedback(demo_file) if f["text"] == "The tracker was never up to date")
    assert note["person_id"] is None and note["phase"] == "before"
    assert note["question_id"] in {q.id for q in Workspace.open(demo_file).all(Question)}
