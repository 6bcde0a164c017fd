"""State flows the Textual way: the app's reactives drive the screens, the title and the status line.

A change redraws the screen the user sees at once (also under a dialog); a
hidden screen redraws once, when it is shown again. Who is ticking and whether
the last change (and today's backup) reached the disk are reactives on the app.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pilot_waits import press_and_wait
from textual.widgets import Input

from gtm_tui.app import GtmApp
from gtm_tui.data import clock
from gtm_tui.data.model import Person
from gtm_tui.data.workspace import ChangeSet, Workspace
from gtm_tui.screens.app_state import Revision, SaveState, app_state, is_shown
from gtm_tui.screens.dialogs.forms import FormScreen
from gtm_tui.screens.dialogs.whoami import session_person, set_session_person
from gtm_tui.screens.main.base import MainScreen
from gtm_tui.screens.main.overview import OverviewScreen
from gtm_tui.screens.main.people import PeopleScreen
from gtm_tui.screens.main.retro import RetroScreen
from gtm_tui.screens.pushed.meeting import MeetingScreen
from gtm_tui.screens.pushed.person_page import PersonPageScreen
from gtm_tui.screens.widgets.line_table import LineTable


def count_redraws(screen: MainScreen, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the screen's redraws from now on (the list grows by one per redraw)."""
    redraws: list[int] = []
    redraw = screen.refresh_view

    def counted() -> None:
        redraws.append(1)
        redraw()

    monkeypatch.setattr(screen, "refresh_view", counted)
    return redraws


def messages(app: GtmApp) -> list[str]:
    return [notification.message for notification in app._notifications]


def test_a_revision_counts_the_changes_and_keeps_the_last():
    added, renamed = ChangeSet("add Ann", ()), ChangeSet("rename the pilot", ())
    first = Revision().after(added)
    assert (first.number, first.change_set) == (1, added)
    assert (first.after(renamed).number, first.after(renamed).change_set) == (2, renamed)


def test_the_save_state_says_saved_not_saved_and_a_missing_backup():
    assert SaveState().describe() == "✓ saved"
    assert SaveState(error="disk full").describe() == "⚠ NOT SAVED: disk full"
    assert not SaveState(error="disk full").saved
    assert SaveState(backup_error="could not back up p.json: denied").describe() == "✓ saved · ⚠ no backup today"


async def test_a_change_redraws_the_screen_the_user_sees_at_once(empty_file: Path, monkeypatch: pytest.MonkeyPatch):
    app = GtmApp(empty_file, Workspace.open(empty_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "7")
        people = app.screen
        assert isinstance(people, PeopleScreen)
        redraws = count_redraws(people, monkeypatch)
        before = app.revision.number
        app.workspace.add(Person(name="Ann"))
        # At once, not at the next message: a screen may select the new row right after its change.
        assert len(redraws) == 1
        assert people.query_one("#people", LineTable).row_count == 1
        assert app.revision.number == before + 1
        assert app.revision.change_set is not None and app.revision.change_set.description.startswith("add")


async def test_the_screen_under_a_dialog_redraws_at_once(empty_file: Path):
    app = GtmApp(empty_file, Workspace.open(empty_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "7", "a")
        form = app.screen
        assert isinstance(form, FormScreen)
        people = app.screen_stack[-2]
        assert isinstance(people, PeopleScreen) and is_shown(people) and is_shown(form)
        app.workspace.add(Person(name="Teammate"))
        assert people.query_one("#people", LineTable).row_count == 1
        assert app.screen is form


async def test_a_screen_under_a_pushed_screen_redraws_when_shown_again(
    demo_file: Path, monkeypatch: pytest.MonkeyPatch, fixed_clock: datetime
):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "6", "m")
        meeting = app.screen
        assert isinstance(meeting, MeetingScreen)
        retro = app.screen_stack[-2]
        assert isinstance(retro, RetroScreen)
        assert retro.is_current and not is_shown(retro)  # Textual counts it current; the user sees Meeting only
        retro_redraws, meeting_redraws = count_redraws(retro, monkeypatch), count_redraws(meeting, monkeypatch)
        notes = meeting.query_one("#notes", LineTable)
        listed = notes.row_count
        for seconds, text in enumerate(("First note", "Second note"), start=1):
            clock.freeze(fixed_clock + timedelta(seconds=seconds))  # typed a second apart
            meeting.query_one("#note", Input).value = text
            await pilot.press("enter")
            await pilot.pause()
        # each note is drawn where it is typed, as a row of its own: the meeting view is not drawn again
        assert [str(notes.get_row_at(row)[-1]) for row in (listed, listed + 1)] == ["First note", "Second note"]
        assert meeting_redraws == []
        assert retro_redraws == []  # the hidden Retro screen did no work per note
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is retro
        assert len(retro_redraws) == 1  # one redraw, when shown again


async def test_a_screen_of_another_mode_redraws_when_gone_back_to(empty_file: Path, monkeypatch: pytest.MonkeyPatch):
    app = GtmApp(empty_file, Workspace.open(empty_file))
    async with app.run_test(size=(120, 40)) as pilot:
        overview = app.screen
        assert isinstance(overview, OverviewScreen)
        await press_and_wait(pilot, "7")
        redraws = count_redraws(overview, monkeypatch)
        for name in ("Ann", "Bo"):
            app.workspace.add(Person(name=name))
        assert redraws == []
        await press_and_wait(pilot, "1")
        assert app.screen is overview and len(redraws) == 1
        await press_and_wait(pilot, "7", "1")  # nothing changed in between: no redraw
        assert len(redraws) == 1


async def test_the_person_page_follows_the_workspace_and_the_people_screen_catches_up(
    empty_file: Path, monkeypatch: pytest.MonkeyPatch
):
    Workspace.open(empty_file).add(Person(name="Ann", role="Writer"))
    app = GtmApp(empty_file, Workspace.open(empty_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "7", "p")
        page = app.screen
        assert isinstance(page, PersonPageScreen)
        people = app.screen_stack[-2]
        assert isinstance(people, PeopleScreen)
        redraws = count_redraws(people, monkeypatch)
        ann = app.workspace.all(Person)[0]
        app.workspace.update(ann, role="Editor")
        assert page.page is not None and page.page.person.role == "Editor"  # what the page shows
        assert redraws == []
        await pilot.press("escape")
        await pilot.pause()
        assert len(redraws) == 1
        assert people.selected().role == "Editor"


async def test_a_teammates_save_redraws_and_is_said(empty_file: Path):
    app = GtmApp(empty_file, Workspace.open(empty_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "7")
        Workspace.open(empty_file).add(Person(name="Teammate"))
        app._check_for_outside_changes()  # what the reload timer does every second
        await pilot.pause()
        assert app.screen.query_one("#people", LineTable).row_count == 1
        assert app.revision.change_set is not None and app.revision.change_set.external
        assert "Teammate changes: 1 person." in messages(app)


async def test_who_is_ticking_is_a_reactive_the_title_and_checklists_follow(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "3")
        status = app.screen.query_one("#checklist-status")
        assert "ticking as each item's owner" in str(status.render())
        assert app.sub_title == f"{demo_file.name} · ✓ saved"
        maya = next(p for p in app.workspace.all(Person) if p.name == "Maya Thornton")
        set_session_person(app, maya.id)
        await pilot.pause()
        assert app.session_person == maya.id == session_person(app) == app_state(app).session_person
        assert app.sub_title == f"{demo_file.name} · ✓ saved · you are Maya Thornton"
        assert "ticking as Maya Thornton" in str(status.render())
        set_session_person(app, None)  # just looking
        await pilot.pause()
        assert app.sub_title == f"{demo_file.name} · ✓ saved · just looking"
        assert "just looking: ticks go to each item's owner" in str(status.render())


async def test_the_status_line_follows_the_save_state(empty_file: Path):
    app = GtmApp(empty_file, Workspace.open(empty_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "7")
        app.show_save_error("locked by another gtm-tui")
        assert app.save_state == SaveState(error="locked by another gtm-tui")
        assert app.sub_title == f"{empty_file.name} · ⚠ NOT SAVED: locked by another gtm-tui"
        app.workspace.add(Person(name="Ann"))  # the next change that reaches the file clears it
        assert app.save_state.saved
        assert app.sub_title == f"{empty_file.name} · ✓ saved"
        app.workspace.update(app.workspace.pilot(), name="Renamed pilot")
        assert app.title == "Renamed pilot"


async def test_a_failed_backup_is_said_once_with_the_reason(empty_file: Path):
    # A file where the backups folder should be: the daily backup cannot be written.
    (empty_file.parent / "pilot-backups").write_text("not a folder")
    app = GtmApp(empty_file, Workspace.open(empty_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "7")
        for name in ("Ann", "Bo", "Cy"):
            await pilot.press("a")
            await pilot.pause()
            app.screen.query_one("#field-name", Input).value = name
            await pilot.press("ctrl+s")
            await pilot.pause()
        assert [p.name for p in Workspace.open(empty_file).all(Person)] == ["Ann", "Bo", "Cy"]  # saves went on
        told = [message for message in messages(app) if "could not back up" in message]
        assert len(told) == 1
        assert told[0].startswith(f"could not back up {empty_file.name}: ")  # with the reason
        assert app.save_state.backup_error and app.save_state.saved
        assert app.sub_title == f"{empty_file.name} · ✓ saved · ⚠ no backup today"
