"""Live reload: a teammate's save is noticed, summed up, and nothing on screen or half-typed is lost."""

from __future__ import annotations

from pathlib import Path

from pilot_waits import press_and_wait
from textual.widgets import Input

from gtm_tui.app import GtmApp
from gtm_tui.data.model import Person
from gtm_tui.data.workspace import ChangeSet, Workspace
from gtm_tui.screens.dialogs.forms import FormScreen
from gtm_tui.screens.widgets.line_table import LineTable


def test_a_reload_tells_listeners_what_the_teammate_changed(empty_file: Path):
    mine, theirs = Workspace.open(empty_file), Workspace.open(empty_file)
    heard: list[ChangeSet] = []
    mine.subscribe(heard.append)
    with theirs.batch("two people"):
        theirs.add(Person(name="Ann"))
        theirs.add(Person(name="Bo"))
    assert mine.reload_if_changed() is True
    assert [(c.external, c.description) for c in heard] == [(True, "Teammate changes: 2 people.")]
    assert {change.after["name"] for change in heard[0].changes} == {"Ann", "Bo"}


def test_saving_on_top_of_a_teammates_change_keeps_it_and_says_so(empty_file: Path):
    mine, theirs = Workspace.open(empty_file), Workspace.open(empty_file)
    mine.all(Person)
    heard: list[ChangeSet] = []
    mine.subscribe(heard.append)
    theirs.add(Person(name="Ann"))
    mine.add(Person(name="Bo"))
    assert [p.name for p in Workspace.open(empty_file).all(Person)] == ["Ann", "Bo"]
    assert [p.name for p in mine.all(Person)] == ["Ann", "Bo"]
    assert heard[0].external and heard[0].description == "Teammate changes: 1 person."


def test_a_form_opened_before_a_teammates_edit_does_not_undo_it(empty_file: Path, fixed_clock):
    from datetime import timedelta

    from gtm_tui.data import clock

    mine, theirs = Workspace.open(empty_file), Workspace.open(empty_file)
    ann = mine.add(Person(name="Ann", role="Writer", contact="ann@old"))
    clock.freeze(fixed_clock + timedelta(minutes=1))
    theirs.update(theirs.get(Person, ann.id), contact="ann@new")  # the teammate fixes the contact
    clock.freeze(fixed_clock + timedelta(minutes=2))
    # My form was filled from the record as it was; I only changed the role.
    mine.update(ann, name="Ann", role="Senior writer", contact="ann@old")
    stored = Workspace.open(empty_file).get(Person, ann.id)
    assert (stored.role, stored.contact) == ("Senior writer", "ann@new")


def _messages(app: GtmApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def test_the_app_reloads_keeps_the_cursor_and_says_what_changed(empty_file: Path):
    setup = Workspace.open(empty_file)
    for name in ("Ann", "Bo", "Cy"):
        setup.add(Person(name=name))
    app = GtmApp(empty_file, Workspace.open(empty_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "7", "down")
        assert app.screen.selected().name == "Bo"
        teammate = Workspace.open(empty_file)
        teammate.add(Person(name="Aaron"))  # sorts first: Bo moves down a row
        teammate.update(teammate.find(Person, app.screen.selected_id()), role="Designer")
        app._check_for_outside_changes()
        await pilot.pause()
        assert app.screen.query_one("#people", LineTable).row_count == 4
        assert app.screen.selected().name == "Bo"
        assert app.screen.selected().role == "Designer"
        assert "Teammate changes: 2 people." in _messages(app)


async def test_a_reload_while_a_form_is_open_keeps_the_form_and_what_was_typed(empty_file: Path):
    app = GtmApp(empty_file, Workspace.open(empty_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "7", "a")
        assert isinstance(app.screen, FormScreen)
        for key in "Dana":
            await pilot.press(key)
        Workspace.open(empty_file).add(Person(name="Teammate"))
        app._check_for_outside_changes()
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert app.screen.query_one("#field-name", Input).value == "Dana"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
        assert [p.name for p in Workspace.open(empty_file).all(Person)] == ["Dana", "Teammate"]
        assert app.screen.query_one("#people", LineTable).row_count == 2
