"""The stand-up and the meeting on a laptop's 80x24: a text longer than its box says so with "…", never stops
mid-sentence; a form's long title wraps instead of running under the border."""

from __future__ import annotations

from pathlib import Path

from pilot_waits import press_and_wait, settle, type_at_once, until
from textual.widgets import Label, Static

from gtm_tui.app import GtmApp
from gtm_tui.data.model import Feedback, Question
from gtm_tui.data.workspace import Workspace
from gtm_tui.screens.dialogs.forms import FormScreen

LONG_NOTE = ("The brief template asked for the audience, the goal, the channel and the deadline, so nobody had to "
             "chase the campaign manager for them; the copy checklist then told me the format and the word count "
             "up front, and the design review found the files where the checklist said they would be, which "
             "saved the afternoon we used to lose every week to looking for the latest version.")


def text_of(widget: Static) -> str:
    return str(widget.render())


async def test_the_stand_up_detail_ends_in_an_ellipsis_when_it_is_cut_and_is_whole_when_it_fits(demo_file: Path):
    for size, cut in (((80, 24), True), ((160, 48), False)):
        app = GtmApp(demo_file, Workspace.open(demo_file))
        async with app.run_test(size=size) as pilot:
            await press_and_wait(pilot, "3", "s")
            await settle(pilot)
            detail = text_of(app.screen.query_one("#standup-detail", Static))
            assert "Waiting for legal since last" in detail
            assert detail.endswith("…") is cut, (size, detail)
            assert ("Thursday" in detail) is not cut


async def test_a_long_note_in_the_meeting_ends_in_an_ellipsis_and_the_edit_form_has_all_of_it(empty_file: Path):
    workspace = Workspace.open(empty_file)
    question = workspace.all(Question)[0]  # a new pilot's first review question: the meeting opens on it
    workspace.add(Feedback(question_id=question.id, text=LONG_NOTE))
    app = GtmApp(empty_file, workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await press_and_wait(pilot, "6", "m")
        full = app.screen.query_one("#note-full", Static)
        await until(pilot, lambda: text_of(full).endswith("…"), "the note cut with an ellipsis")
        assert text_of(full).startswith("The brief template asked")
        await press_and_wait(pilot, "tab")
        form = await press_and_wait(pilot, "e")
        assert isinstance(form, FormScreen)
        assert form.values()["text"] == LONG_NOTE
    app = GtmApp(empty_file, Workspace.open(empty_file))
    async with app.run_test(size=(160, 48)) as pilot:
        await press_and_wait(pilot, "6", "m")
        full = app.screen.query_one("#note-full", Static)
        await until(pilot, lambda: "latest version." in text_of(full), "the whole note on a wide screen")
        assert not text_of(full).endswith("…")


async def test_a_long_form_title_wraps_inside_the_form(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(80, 24)) as pilot:
        await press_and_wait(pilot, "3", "s")
        form = await press_and_wait(pilot, "b")
        assert isinstance(form, FormScreen)
        title = form.query_one("#form-title", Label)
        await settle(pilot)
        assert len(form.form_title) > title.content_region.width  # longer than one line of the form
        assert title.content_region.height >= 2
        assert title.region.right <= form.query_one("#form").region.right
        await type_at_once(pilot, "escape")
