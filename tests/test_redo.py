"""Redo beside undo: what was undone comes back until a new change is made; both say what in words."""

from __future__ import annotations

from pathlib import Path

import orjson
from pilot_waits import press_and_wait, run_command, until

from gtm_tui.app import GtmApp
from gtm_tui.data.model import Conflict, Person, RaciAssignment, Stage, WorkItem
from gtm_tui.data.workspace import Workspace
from gtm_tui.raci import matrix
from gtm_tui.screens.pushed.help import HelpScreen
from gtm_tui.sharing import conflicts


def names_in_file(path: Path) -> list[str]:
    return sorted(person["name"] for person in orjson.loads(path.read_bytes())["people"].values())


# --------------------------------------------------------------------------
# The Workspace


def test_redo_makes_again_what_undo_reverted_in_order(workspace: Workspace):
    ann = workspace.add(Person(name="Ann"))
    workspace.update(ann, role="Writer")
    workspace.add(Person(name="Bo"))
    assert workspace.redo() is None  # nothing undone yet
    assert workspace.undo().words == "Undone: add person 'Bo'"
    assert workspace.undo().words == "Undone: edit person 'Ann'"
    assert [p.name for p in workspace.all(Person)] == ["Ann"] and workspace.get(Person, ann.id).role == ""
    assert workspace.redo().words == "Redone: edit person 'Ann'"
    assert workspace.get(Person, ann.id).role == "Writer"
    assert workspace.redo().words == "Redone: add person 'Bo'"
    assert [p.name for p in workspace.all(Person)] == ["Ann", "Bo"]
    assert workspace.redo() is None
    assert names_in_file(workspace.path) == ["Ann", "Bo"]
    assert workspace.undo().words == "Undone: add person 'Bo'"  # a redo is an undo step again


def test_a_new_change_ends_what_can_be_redone(workspace: Workspace):
    workspace.add(Person(name="Ann"))
    workspace.undo()
    workspace.add(Person(name="Cleo"))  # a new change after the undo
    assert workspace.redo() is None
    assert names_in_file(workspace.path) == ["Cleo"]


def test_a_redone_delete_and_its_consequences_come_back_as_one_step(workspace: Workspace):
    stage = workspace.add(Stage(name="Copywriting"))
    lena = workspace.add(Person(name="Lena"))
    workspace.add(RaciAssignment(stage_id=stage.id, person_id=lena.id, role="R"))
    workspace.delete(lena)  # her R on Copywriting goes too
    workspace.undo()
    assert workspace.count(RaciAssignment) == 1
    again = workspace.redo()
    assert again is not None and again.words == "Redone: delete person 'Lena'"
    assert workspace.count(RaciAssignment) == 0 and workspace.find(Person, lena.id) is None


def test_redo_keeps_a_teammates_change_to_another_field(empty_file: Path):
    mine, theirs = Workspace.open(empty_file), Workspace.open(empty_file)
    ann = mine.add(Person(name="Ann"))
    mine.update(ann, role="Writer")
    mine.undo()
    theirs.reload_if_changed()
    theirs.update(theirs.get(Person, ann.id), team="Marketing")
    mine.redo()
    [saved] = orjson.loads(empty_file.read_bytes())["people"].values()
    assert (saved["role"], saved["team"]) == ("Writer", "Marketing")


def test_undo_and_redo_of_a_raci_role_say_whose_role_where_never_an_id(workspace: Workspace):
    stage = workspace.add(Stage(name="Copywriting"))
    lena = workspace.add(Person(name="Lena"))
    role = workspace.add(RaciAssignment(stage_id=stage.id, person_id=lena.id, role="R"))
    undone = workspace.undo()
    assert undone is not None and undone.words == "Undone: add Lena's R on Copywriting (pilot RACI)"
    assert role.id not in undone.words and stage.id not in undone.words
    assert workspace.redo().words == "Redone: add Lena's R on Copywriting (pilot RACI)"


# --------------------------------------------------------------------------
# In the app: the keys, the toasts, the footer, help and the palette


def toasts(app: GtmApp) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


async def test_ctrl_y_and_ctrl_shift_z_redo_and_say_what(empty_file: Path):
    workspace = Workspace.open(empty_file)
    workspace.add(Person(name="Ann"))
    workspace.add(Person(name="Bo"))
    app = GtmApp(empty_file, workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "7")
        await pilot.press("ctrl+z")
        await pilot.press("ctrl+z")
        await until(pilot, lambda: names_in_file(empty_file) == [], "both undos")
        assert toasts(app) == ["Undone: add person 'Bo'", "Undone: add person 'Ann'"]
        await pilot.press("ctrl+y")
        await until(pilot, lambda: names_in_file(empty_file) == ["Ann"], "the redo by ctrl+y")
        await pilot.press("ctrl+shift+z")
        await until(pilot, lambda: names_in_file(empty_file) == ["Ann", "Bo"], "the redo by ctrl+shift+z")
        assert toasts(app)[-2:] == ["Redone: add person 'Ann'", "Redone: add person 'Bo'"]
        await until(pilot, lambda: app.screen.query_one("#people").row_count == 2, "the list to show both")
        await pilot.press("ctrl+y")
        await until(pilot, lambda: toasts(app)[-1] == "Nothing to redo.", "the answer")


async def test_a_change_after_an_undo_leaves_nothing_to_redo(empty_file: Path):
    workspace = Workspace.open(empty_file)
    workspace.add(Person(name="Ann"))
    app = GtmApp(empty_file, workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "7", "ctrl+z")
        await until(pilot, lambda: names_in_file(empty_file) == [], "the undo")
        await press_and_wait(pilot, "a")
        for char in "Cleo":
            await pilot.press(char)
        await press_and_wait(pilot, "ctrl+s")
        await until(pilot, lambda: names_in_file(empty_file) == ["Cleo"], "Cleo saved")
        await pilot.press("ctrl+y")
        await until(pilot, lambda: toasts(app)[-1] == "Nothing to redo.", "the answer")
        assert names_in_file(empty_file) == ["Cleo"]


async def test_redo_is_in_the_footer_help_and_palette(empty_file: Path):
    workspace = Workspace.open(empty_file)
    workspace.add(Person(name="Ann"))
    app = GtmApp(empty_file, workspace)
    async with app.run_test(size=(300, 40)) as pilot:  # wide enough for every key of the footer
        await press_and_wait(pilot, "7")
        await until(pilot, lambda: "redo" in {key.action for key in app.screen.query("FooterKey")}, "the footer")
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Undo", "Redo"} <= titles
        help_screen = await press_and_wait(pilot, "question_mark")
        assert isinstance(help_screen, HelpScreen)
        everywhere = dict(help_screen.sections)["Everywhere"]
        assert ("^y shift+^z", "Redo") in everywhere and ("^z", "Undo") in everywhere
        await press_and_wait(pilot, "escape", "ctrl+z")
        await until(pilot, lambda: names_in_file(empty_file) == [], "the undo")
        await run_command(pilot, "Redo", "Redo", type(app.screen))
        await until(pilot, lambda: names_in_file(empty_file) == ["Ann"], "the redo from the palette")


def test_undo_of_an_activity_or_a_settled_conflict_names_them_in_words(workspace: Workspace):
    stage = workspace.add(Stage(name="Copywriting"))
    lena = workspace.add(Person(name="Lena"))
    key = matrix.add_activity(workspace, "pilot", stage.id, "Approve copy", lena.id)
    key = matrix.rename_activity(workspace, key, "Approve the copy")
    matrix.remove_activity(workspace, key)
    assert workspace.undo().words == "Undone: remove activity 'Approve the copy' of Copywriting"
    assert workspace.undo().words == "Undone: rename activity 'Approve copy' of Copywriting to 'Approve the copy'"

    item = workspace.add(WorkItem(title="Launch post"))
    conflict = workspace.add(Conflict(table="work_items", record_id=item.id, field="title", kept="Launch post",
                                      losing="Launch blog post", sides="ours ← theirs"))
    assert workspace.describe(conflict) == "merge conflict over title of work item 'Launch post'"
    conflicts.take_other(workspace, conflict)
    undone = workspace.undo()
    assert undone.words == "Undone: take the other side's title of work item 'Launch post'"
    assert item.id not in undone.words and conflict.id not in undone.words
