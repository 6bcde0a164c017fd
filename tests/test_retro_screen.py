"""The review meeting driven by the keyboard: live notes, themes, votes, fixes, follow-up, report."""

from __future__ import annotations

from pathlib import Path

import orjson
from pilot_waits import press_and_wait, type_at_once
from textual.widgets import Input, Markdown, Select

from gtm_tui.app import GtmApp
from gtm_tui.data.model import ActionItem, Feedback, Person, Question, Theme
from gtm_tui.data.workspace import Workspace
from gtm_tui.review.report import build_report
from gtm_tui.screens.dialogs.forms import FormScreen
from gtm_tui.screens.pushed.meeting import MeetingScreen
from gtm_tui.screens.pushed.report import ReportScreen
from gtm_tui.screens.widgets.line_table import LineTable


def table(path: Path, name: str) -> list[dict]:
    return list(orjson.loads(path.read_bytes())[name].values())


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press("space" if char == " " else char)


async def fill_fix_form(pilot, app, owner_id: str, deadline: str) -> None:
    app.screen.query_one("#field-owner", Select).value = owner_id
    app.screen.query_one("#field-deadline", Input).value = deadline
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_live_notes_attach_to_the_current_question_and_are_saved_at_once(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "6", "m")
        assert isinstance(app.screen, MeetingScreen)
        note = app.screen.query_one("#note", Input)
        assert app.screen.focused is note
        await type_text(pilot, "Approver tags saved a day")
        await pilot.press("enter")
        await pilot.pause()
        assert note.value == ""
        await pilot.press("ctrl+n")
        await type_text(pilot, "Legal review came late")
        await pilot.press("enter")
        await pilot.press("enter")  # an empty note is refused, nothing saved
        await pilot.pause()
        questions = Workspace.open(demo_file).all(Question)
        live = {f["text"]: f for f in table(demo_file, "feedback") if f["phase"] == "live"}
        assert set(live) == {"Approver tags saved a day", "Legal review came late"}
        assert live["Approver tags saved a day"]["question_id"] == questions[0].id
        assert live["Legal review came late"]["question_id"] == questions[1].id
        assert live["Legal review came late"]["person_id"] is None
        # The speaker key names who said the next note: typed, by a name's start or initials.
        first = Workspace.open(demo_file).all(Person)[0]
        await type_at_once(pilot, "ctrl+o", *first.name[:3], "enter")
        await type_text(pilot, "Mine")
        await pilot.press("enter")
        await pilot.pause()
        mine = next(f for f in table(demo_file, "feedback") if f["text"] == "Mine")
        assert mine["person_id"] == Workspace.open(demo_file).all(Person)[0].id
        # pageup goes back; escape leaves meeting mode from the input.
        await pilot.press("pageup")
        assert app.screen.question_id == questions[0].id
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, MeetingScreen)


async def test_the_demo_review_by_keyboard_themes_votes_fixes_follow_up(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "6", "m")
        for text in ("Approver answered the same day", "Tagging the approver felt natural"):
            await type_text(pilot, text)
            await pilot.press("enter")
        await pilot.pause()
        # Select both live notes (the last two rows) and make a theme of them.
        await pilot.press("tab")
        notes = app.screen.query_one("#notes", LineTable)
        assert app.screen.focused is notes
        await pilot.pause()
        # The clock is frozen, so both notes have the same stamp: find their rows rather than assume an order.
        live = [f["id"] for f in table(demo_file, "feedback") if f["phase"] == "live"]
        for note_id in live:
            notes.move_cursor(row=notes.get_row_index(note_id))
            await pilot.press("space")
            await pilot.pause()
        assert len(app.screen.selected_notes) == 2
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await type_text(pilot, "One approver works")
        await pilot.press("ctrl+s")
        await pilot.pause()
        theme = next(t for t in table(demo_file, "themes") if t["name"] == "One approver works")
        grouped = [f["text"] for f in table(demo_file, "feedback") if f["theme_id"] == theme["id"]]
        assert sorted(grouped) == ["Approver answered the same day", "Tagging the approver felt natural"]

        # Vote: everyone in the demo has used their 3 dots, so a named dot is refused; the tally is not.
        await pilot.press("tab")
        themes = app.screen.query_one("#themes", LineTable)
        assert app.screen.focused is themes
        themes.move_cursor(row=themes.get_row_index(theme["id"]))
        await pilot.press("plus")
        await pilot.pause()
        assert any("has used all 3 dots" in n.message for n in app._notifications)
        assert next(t for t in table(demo_file, "themes") if t["id"] == theme["id"])["votes"] == {}
        people = Workspace.open(demo_file).all(Person)
        for _ in people:
            await pilot.press("p")
        await pilot.press("plus", "plus")
        await pilot.pause()
        assert next(t for t in table(demo_file, "themes") if t["id"] == theme["id"])["tally"] == 2

        # Make two fixes: the first without an owner is refused and nothing typed is lost.
        themes.move_cursor(row=themes.get_row_index(theme["id"]))
        await pilot.press("f")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-deadline", Input).value = "2026-11-30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "owner" in str(form.query_one("#error-owner").render()).lower()
        assert form.query_one("#field-title", Input).value == "One approver works"
        assert form.query_one("#field-deadline", Input).value == "2026-11-30"
        assert len(table(demo_file, "action_items")) == 3
        form.query_one("#field-deadline", Input).value = ""
        await fill_fix_form(pilot, app, people[0].id, "")
        assert app.screen is form and "deadline" in str(form.query_one("#error-deadline").render()).lower()
        await fill_fix_form(pilot, app, people[0].id, "2026-11-30")
        assert not isinstance(app.screen, FormScreen)
        fix = next(a for a in table(demo_file, "action_items") if a["title"] == "One approver works")
        assert (fix["owner_id"], fix["due"], fix["theme_id"], fix["priority"]) == (
            people[0].id,
            "2026-11-30",
            theme["id"],
            True,
        )

        # A fourth open priority fix is warned about in the form itself: no question stands between the
        # key and the typing, so no "No" can throw a typed fix away.
        themes.move_cursor(row=0)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert "already 3 open priority fixes" in str(app.screen.query_one("#form-notice").render())
        await fill_fix_form(pilot, app, people[1].id, "2026-12-04")
        assert len(table(demo_file, "action_items")) == 5

        # The follow-up check date.
        await pilot.press("ctrl+f")
        await pilot.pause()
        app.screen.query_one("#field-follow_up_date", Input).value = "2026-12-09"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert table(demo_file, "pilot")[0]["follow_up_date"] == "2026-12-09"

        # Back on the Retro screen: the fix's status changes by key.
        await press_and_wait(pilot, "escape", "escape")
        await pilot.pause()
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        actions = app.screen.query_one("#actions", LineTable)
        assert app.screen.focused is actions
        actions.move_cursor(row=actions.get_row_index(fix["id"]))
        await pilot.press("s")
        await pilot.pause()
        assert next(a for a in table(demo_file, "action_items") if a["id"] == fix["id"])["status"] == "in progress"


async def test_questions_can_be_added_reordered_and_feedback_entered(empty_file: Path):
    app = GtmApp(empty_file, Workspace.open(empty_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "6", "a")
        await type_text(pilot, "What should we stop doing?")
        await pilot.press("ctrl+s")
        await pilot.pause()
        questions = Workspace.open(empty_file).all(Question)
        assert [q.text for q in questions][-1] == "What should we stop doing?"
        grid = app.screen.query_one("#questions", LineTable)
        grid.move_cursor(row=4)
        await pilot.press("ctrl+up")
        await pilot.pause()
        assert Workspace.open(empty_file).all(Question)[3].text == "What should we stop doing?"
        # Anonymous feedback on the selected question.
        await pilot.press("b")
        await pilot.pause()
        app.screen.query_one("#field-text").insert("Fewer meetings")
        await pilot.press("ctrl+s")
        await pilot.pause()
        note = Workspace.open(empty_file).all(Feedback)[0]
        assert (note.text, note.person_id, note.phase) == ("Fewer meetings", None, "before")
        assert Workspace.open(empty_file).get(Question, note.question_id).text == "What should we stop doing?"


async def test_report_view_saves_and_copies_the_markdown(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "6", "w")
        assert isinstance(app.screen, ReportScreen)
        # the view shows the report itself (query_one alone raises or returns: it could not fail)
        assert app.screen.query_one("#report", Markdown).source == build_report(Workspace.open(demo_file))
        await pilot.press("s")
        await pilot.pause()
        saved = demo_file.with_name("demo-pilot-report.md")
        assert saved.read_text() == build_report(Workspace.open(demo_file))
        await pilot.press("c")
        assert app.clipboard == saved.read_text()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReportScreen)


async def test_recommendations_are_added_with_a_stage(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "6", "right_square_bracket", "right_square_bracket")
        app.screen.query_one("#recommendations", LineTable).focus()
        await pilot.press("a")
        await pilot.pause()
        stage = Workspace.open(demo_file).all(__import__("gtm_tui.data.model", fromlist=["Stage"]).Stage)[0]
        app.screen.query_one("#field-kind", Select).value = "automation"
        app.screen.query_one("#field-stage", Select).value = stage.id
        await pilot.press("ctrl+s")  # no text yet: refused
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        app.screen.query_one("#field-text").insert("Auto-create the design request")
        await pilot.press("ctrl+s")
        await pilot.pause()
        rec = next(r for r in table(demo_file, "recommendations") if r["text"] == "Auto-create the design request")
        assert (rec["kind"], rec["stage_id"]) == ("automation", stage.id)


def test_open_fixes_show_on_the_overview(demo: Workspace):
    from gtm_tui.overview.summary import sections

    titles = [s.title for s in sections(demo)]
    assert "Priority fixes" in titles
    assert demo.count(ActionItem) == 3 and demo.count(Theme) == 4
