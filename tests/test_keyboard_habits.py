"""Keyboard habits, driven by keys and checked in the saved file: the pilot RACI from today's, an activity's A,
where the RACI cursor starts and where enter on a problem goes, recommendations from the palette, Export…'s path
following the format, toasts that wait while a dialog is open, who is ticking, and counts in the right number."""

from __future__ import annotations

from pathlib import Path

import orjson
from pilot_waits import press_and_wait, run_command, until
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select, Static, TabbedContent
from textual.widgets._toast import Toast

from gtm_tui.app import GtmApp
from gtm_tui.checklists.runs import steps_to_work
from gtm_tui.data.model import ActionItem, Person, RaciAssignment, Stage
from gtm_tui.data.workspace import Workspace
from gtm_tui.raci import matrix as raci
from gtm_tui.screens.dialogs.forms import ConfirmScreen, FormScreen
from gtm_tui.screens.main.checklists import ChecklistsScreen
from gtm_tui.screens.main.raci import RaciScreen
from gtm_tui.screens.main.retro import RetroScreen
from gtm_tui.screens.widgets.line_table import LineTable
from gtm_tui.screens.widgets.retro_tables import RecommendationsTable


def roles_in_file(path: Path, layer: str) -> dict[tuple[str, str, str], str]:
    """(stage name, activity, person name) -> role of one layer, as saved."""
    data = orjson.loads(path.read_bytes())
    stages = {s["id"]: s["name"] for s in data["stages"].values()}
    people = {p["id"]: p["name"] for p in data["people"].values()}
    return {
        (stages[a["stage_id"]], a["activity"], people[a["person_id"]]): a["role"]
        for a in data["raci"].values() if a["layer"] == layer
    }


async def type_text(pilot: Pilot, text: str) -> None:
    for char in text:
        await pilot.press("space" if char == " " else char)


async def choose(pilot: Pilot, select: Select, label: str) -> None:
    """Pick ``label`` in the focused dropdown by keys: enter opens it, arrows move, enter picks."""
    assert select.has_focus
    await pilot.press("enter")
    await until(pilot, lambda: select.expanded, "the dropdown to open")
    overlay = select.query_one("SelectOverlay", OptionList)
    prompts = [str(overlay.get_option_at_index(i).prompt) for i in range(overlay.option_count)]
    target, at = prompts.index(label), overlay.highlighted or 0
    for _ in range(abs(target - at)):
        await pilot.press("down" if target > at else "up")
    await pilot.press("enter")
    await until(pilot, lambda: not select.expanded, "the dropdown to close")


async def open_raci(pilot: Pilot) -> tuple[RaciScreen, LineTable]:
    screen = await press_and_wait(pilot, "4")
    assert isinstance(screen, RaciScreen)
    return screen, screen.grid


# -- the pilot RACI from today's --------------------------------------------------------------


async def test_T_starts_the_pilot_raci_as_a_copy_of_todays_after_asking_and_undo_brings_it_back(demo_file: Path):
    today, pilot_before = roles_in_file(demo_file, "today"), roles_in_file(demo_file, "pilot")
    assert today and pilot_before and today != pilot_before
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen, grid = await open_raci(pilot)
        question = await press_and_wait(pilot, "T")
        assert isinstance(question, ConfirmScreen)  # the pilot layer holds roles: asked first
        assert question.question == "Replace the pilot RACI with a copy of today's?"
        assert f"the pilot's {len(pilot_before)} roles go (ctrl+z brings them back)" in question.details
        await press_and_wait(pilot, "n")
        assert roles_in_file(demo_file, "pilot") == pilot_before
        await press_and_wait(pilot, "T", "y")
        assert app.screen is screen
        assert roles_in_file(demo_file, "pilot") == today
        assert roles_in_file(demo_file, "today") == today
        assert screen.shown_layer == "pilot" and not screen.overlay_on
        assert "PILOT" in str(screen.query_one("#raci-status", Static).render())
        # Strategy sign-off has two A today (Aisha and Maya): so has the copy, and the grid shows it.
        assert grid.get_cell_at((1, 1)).plain == today[("Strategy sign-off", "", "Aisha Karimi")]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert roles_in_file(demo_file, "pilot") == pilot_before


async def test_an_empty_pilot_layer_is_copied_at_once_and_the_palette_reaches_it(demo_file: Path):
    workspace = Workspace.open(demo_file)
    with workspace.batch("empty the pilot layer"):
        for record in workspace.all(RaciAssignment):
            if record.layer == "pilot":
                workspace.delete(record)
    today = roles_in_file(demo_file, "today")
    app = GtmApp(demo_file, workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        # From the Overview: the palette switches to the RACI and copies (nothing to lose, so no question).
        screen = await run_command(pilot, "pilot raci from", "Pilot RACI from today's", opens=RaciScreen)
        await until(pilot, lambda: roles_in_file(demo_file, "pilot") == today, "the copy to be saved")
        assert not isinstance(app.screen, ConfirmScreen)
        assert isinstance(screen, RaciScreen) and screen.shown_layer == "pilot"


def test_copy_layer_replaces_the_target_in_one_undo_step(demo: Workspace):
    before = {(r.stage_id, r.activity, r.person_id): r.role for r in demo.all(RaciAssignment) if r.layer == "pilot"}
    today = {(r.stage_id, r.activity, r.person_id): r.role for r in demo.all(RaciAssignment) if r.layer == "today"}
    assert raci.copy_layer(demo, "today", "pilot") == len(today)
    assert {(r.stage_id, r.activity, r.person_id): r.role
            for r in demo.all(RaciAssignment) if r.layer == "pilot"} == today
    assert not raci.layer_is_empty(demo, "pilot")
    demo.undo()
    assert {(r.stage_id, r.activity, r.person_id): r.role
            for r in demo.all(RaciAssignment) if r.layer == "pilot"} == before


# -- a new activity's A, the cursor, problems ---------------------------------------------------


async def test_a_new_activitys_a_is_its_stages_a_and_follows_the_stage_picked(demo_file: Path):
    workspace = Workspace.open(demo_file)
    stages = {stage.name: stage for stage in workspace.all(Stage)}
    people = {person.id: person.name for person in workspace.all(Person)}
    review_a = raci.approver_for(workspace, stages["Creative review"].id, "pilot")
    other, other_a = next((name, a) for name, stage in stages.items()
                          if (a := raci.approver_for(workspace, stage.id, "pilot")) and a != review_a)
    assert review_a
    app = GtmApp(demo_file, workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, grid = await open_raci(pilot)
        grid.move_cursor(row=4, column=7)  # Creative review × Tom Becker, who is not its A
        form = await press_and_wait(pilot, "n")
        assert isinstance(form, FormScreen)
        accountable = form.query_one("#field-accountable", Select)
        assert accountable.value == review_a  # not Tom, not the first person by name
        await choose(pilot, form.query_one("#field-stage", Select), other)
        assert accountable.value == other_a  # the A follows the stage
        await pilot.press("tab")
        await type_text(pilot, "final read")
        await press_and_wait(pilot, "ctrl+s")
        assert app.screen is screen
    assert roles_in_file(demo_file, "pilot")[(other, "final read", people[other_a])] == "A"


async def test_an_a_picked_by_hand_stays_when_the_stage_changes(demo_file: Path):
    workspace = Workspace.open(demo_file)
    tom = next(person for person in workspace.all(Person) if person.name == "Tom Becker")
    app = GtmApp(demo_file, workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, grid = await open_raci(pilot)
        grid.move_cursor(row=4, column=3)
        form = await press_and_wait(pilot, "n")
        await pilot.press("tab", "tab")
        await choose(pilot, form.query_one("#field-accountable", Select), "Tom Becker")
        await pilot.press("shift+tab", "shift+tab")
        await choose(pilot, form.query_one("#field-stage", Select), "Publish")
        assert form.query_one("#field-accountable", Select).value == tom.id
        await pilot.press("tab")
        await type_text(pilot, "schedule posts")
        await press_and_wait(pilot, "ctrl+s")
    assert roles_in_file(demo_file, "pilot")[("Publish", "schedule posts", "Tom Becker")] == "A"


def test_default_accountable_falls_back_to_the_other_layer(demo: Workspace):
    stage = next(s for s in demo.all(Stage) if s.name == "Copywriting")
    pilot_a, today_a = raci.approver_for(demo, stage.id, "pilot"), raci.approver_for(demo, stage.id, "today")
    assert pilot_a and today_a and pilot_a != today_a
    assert raci.default_accountable(demo, "pilot", stage.id) == pilot_a
    with demo.batch("take the stage's pilot roles away"):
        for record in demo.all(RaciAssignment):
            if record.layer == "pilot" and record.stage_id == stage.id and not record.activity:
                demo.delete(record)
    assert raci.default_accountable(demo, "pilot", stage.id) == today_a
    assert raci.default_accountable(demo, "pilot", None) is None


async def test_the_raci_cursor_starts_on_the_first_persons_cell_so_a_letter_works_at_once(demo_file: Path):
    before = roles_in_file(demo_file, "pilot").get(("Idea & brief", "", "Aisha Karimi"))
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen, grid = await open_raci(pilot)
        assert tuple(grid.cursor_coordinate) == (0, 1)
        await pilot.press("i")
        await pilot.pause()
    after = roles_in_file(demo_file, "pilot").get(("Idea & brief", "", "Aisha Karimi"))
    assert after == raci.toggle_role(before, "I") and after != before


async def test_tab_then_enter_on_a_problem_puts_the_focus_on_its_cell(demo_file: Path):
    workspace = Workspace.open(demo_file)
    first = raci.problems(workspace, "pilot")[0]
    assert first.key is not None and first.person_id is not None
    before = raci.Matrix.of(workspace).role("pilot", first.key, first.person_id)
    app = GtmApp(demo_file, workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, grid = await open_raci(pilot)
        side = screen.query_one("#raci-problems", OptionList)
        await pilot.press("tab")
        await until(pilot, lambda: screen.focused is side, "the problem list to take the focus")
        assert side.highlighted == 0  # a line is highlighted from the start: enter has something to act on
        await pilot.press("enter")
        await until(pilot, lambda: screen.focused is grid, "the grid to take the focus")
        rows = [row.key for row in screen._rows]
        people = [person.id for person in screen._people]
        assert tuple(grid.cursor_coordinate) == (rows.index(first.key), people.index(first.person_id) + 1)
        await pilot.press("a")  # the letter acts on the problem's cell
        await pilot.pause()
    saved = raci.Matrix.of(Workspace.open(demo_file)).role("pilot", first.key, first.person_id)
    assert saved == raci.toggle_role(before, "A") and saved != before


# -- recommendations ------------------------------------------------------------------------------


async def test_recommendations_by_palette_and_by_R_then_a_adds_one(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await run_command(pilot, "recommend", "Recommendations", opens=RetroScreen)
        table = screen.query_one("#recommendations", RecommendationsTable)
        await until(pilot, lambda: screen.focused is table, "the recommendations to take the focus")
        assert screen.query_one("#retro-tabs", TabbedContent).active == "tab-decisions"
        form = await press_and_wait(pilot, "a")
        assert isinstance(form, FormScreen) and form.form_title == "Add a recommendation"
        await pilot.press("tab", "tab")
        await type_text(pilot, "One approver per asset")
        await press_and_wait(pilot, "ctrl+s")
        await press_and_wait(pilot, "left_square_bracket", "left_square_bracket")  # back to Feedback
        assert screen.focused is not table
        await press_and_wait(pilot, "R")
        assert screen.focused is table
        assert screen.query_one("#retro-tabs", TabbedContent).active == "tab-decisions"
        titles = [command.title for command in app.get_system_commands(screen)]
        assert "Recommendations" in titles and "Add recommendation" in titles
    saved = [r["text"] for r in orjson.loads(demo_file.read_bytes())["recommendations"].values()]
    assert "One approver per asset" in saved


# -- Export…: the path follows the format ---------------------------------------------------------


async def test_the_export_path_follows_the_format_and_a_typed_name_keeps_its_name(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        form = await run_command(pilot, "Export", "Export…", opens=FormScreen)
        fmt, path = form.query_one("#field-format", Select), form.query_one("#field-path", Input)
        assert path.value == str(demo_file.with_suffix(".xlsx"))
        await choose(pilot, fmt, "Calendar of deadlines and check-ins (.ics)")
        assert path.value == str(demo_file.with_suffix(".ics"))
        await choose(pilot, fmt, "Mermaid flowchart")
        assert path.value == str(demo_file.with_suffix(".mmd"))
        await pilot.press("tab")
        path.value = ""
        await type_text(pilot, "for-leadership.mmd")
        await pilot.press("shift+tab")
        await choose(pilot, fmt, "Calendar of deadlines and check-ins (.ics)")
        assert path.value == "for-leadership.ics"  # the user's name, the format's ending
        await press_and_wait(pilot, "ctrl+s")
        assert not isinstance(app.screen, FormScreen)
        await app.workers.wait_for_complete()  # written in a worker
    assert (demo_file.parent / "for-leadership.ics").read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")
    assert not (demo_file.parent / "for-leadership.mmd").exists()


async def test_export_to_an_existing_calendar_asks_before_replacing_it(demo_file: Path):
    target = demo_file.with_suffix(".ics")
    target.write_text("the team's own calendar", encoding="utf-8")
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        form = await run_command(pilot, "Export", "Export…", opens=FormScreen)
        await choose(pilot, form.query_one("#field-format", Select), "Calendar of deadlines and check-ins (.ics)")
        question = await press_and_wait(pilot, "ctrl+s")
        assert isinstance(question, ConfirmScreen) and question.question == f"Replace {target.name}?"
        await press_and_wait(pilot, "n")
        assert app.screen is form and target.read_text(encoding="utf-8") == "the team's own calendar"
        await press_and_wait(pilot, "ctrl+s", "y")
        assert not isinstance(app.screen, (FormScreen, ConfirmScreen))
        await app.workers.wait_for_complete()
    assert target.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")


# -- toasts and dialogs -------------------------------------------------------------------------------


def shown_toasts(app: GtmApp) -> list[Toast]:
    return [toast for toast in app.screen.query(Toast) if toast.visible and toast.region.area]


async def test_toasts_wait_while_a_dialog_is_open_and_show_when_it_closes(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:  # toasts drawn, as in a terminal
        screen, grid = await open_raci(pilot)
        app.notify("Before the form", timeout=30)
        await until(pilot, lambda: shown_toasts(app), "the first toast to show")
        form = await press_and_wait(pilot, "n")
        assert isinstance(form, FormScreen)
        # A teammate saves twice while the form is open: the reloads are said later, not over the form.
        for name in ("Teammate One", "Teammate Two"):
            Workspace.open(demo_file).add(Person(name=name))
            app._check_for_outside_changes()
            await pilot.pause()
        app.notify("Said during the form", timeout=30)
        await pilot.pause()
        assert shown_toasts(app) == []  # neither the toast from before nor the new ones cover the form
        await type_text(pilot, "x")  # the form still takes keys
        await press_and_wait(pilot, "escape")
        assert app.screen is screen

        def messages() -> list[str]:
            return [str(toast._notification.message) for toast in shown_toasts(app)]

        await until(pilot, lambda: "Said during the form" in messages(), "the held toasts to show")
        assert "Before the form" in messages()
        assert messages().count("Teammate changes: 1 person.") == 1  # the same news twice is said once


def test_a_held_toast_is_kept_once_and_the_hold_keeps_the_latest_few():
    from gtm_tui.screens.toasts import MAX_HELD, HeldToast, ToastHold

    hold = ToastHold()
    for number in range(MAX_HELD + 3):
        hold.keep(HeldToast(f"change {number}"))
    hold.keep(HeldToast(f"change {MAX_HELD + 1}"))
    released = [toast.message for toast in hold.release()]
    assert len(released) == MAX_HELD and released[-1] == f"change {MAX_HELD + 1}"
    assert len(set(released)) == MAX_HELD and hold.release() == []


# -- who is ticking -------------------------------------------------------------------------------------


async def test_the_status_line_says_who_ticks_once_the_question_is_answered(demo_file: Path):
    workspace = Workspace.open(demo_file)
    approval = next(step for step in steps_to_work(workspace) if step.approval and not step.done
                    and step.text.startswith("Final go-live approved"))
    maya = next(person for person in workspace.all(Person) if person.name == "Maya Thornton")
    app = GtmApp(demo_file, workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await press_and_wait(pilot, "3")
        assert isinstance(screen, ChecklistsScreen)
        status = screen.query_one("#checklist-status", Static)
        assert "ticking as each item's owner" in str(status.render())  # nobody said yet
        table = screen.query_one("#checklist", LineTable)
        table.move_cursor(row=table.get_row_index(approval.id))
        question = await press_and_wait(pilot, "space")  # an approval asks who ticks it
        assert isinstance(question, FormScreen)
        await choose(pilot, question.query_one("#field-person", Select), "Maya Thornton")
        await press_and_wait(pilot, "ctrl+s")
        assert app.screen is screen
        await until(pilot, lambda: "ticking as Maya Thornton" in str(status.render()), "the status to say Maya")
        assert "each item's owner" not in str(status.render())
        saved = orjson.loads(demo_file.read_bytes())["checklist_items"][approval.id]
        assert saved["done"] is True and saved["done_by"] == maya.id
        # "Just looking" is an answer too: the status says so, not the line for nobody having said.
        question = await press_and_wait(pilot, "w")
        await choose(pilot, question.query_one("#field-person", Select), "Just looking")
        await press_and_wait(pilot, "ctrl+s")
        await until(pilot, lambda: "just looking: ticks go to each item's owner" in str(status.render()),
                    "the status to say just looking")
        assert "ticking as each item's owner" not in str(status.render())


async def test_just_looking_as_the_first_answer_changes_the_status_line(demo_file: Path):
    workspace = Workspace.open(demo_file)
    ownerless = next(step for step in steps_to_work(workspace) if not step.approval and not step.done)
    workspace.update(ownerless, owner_id=None)
    app = GtmApp(demo_file, workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await press_and_wait(pilot, "3")
        status = screen.query_one("#checklist-status", Static)
        table = screen.query_one("#checklist", LineTable)
        table.move_cursor(row=table.get_row_index(ownerless.id))
        question = await press_and_wait(pilot, "space")  # nobody to fall back on: asks
        assert isinstance(question, FormScreen)
        await choose(pilot, question.query_one("#field-person", Select), "Just looking")
        await press_and_wait(pilot, "ctrl+s")
        await until(pilot, lambda: "just looking" in str(status.render()), "the status to say just looking")
        assert "ticking as each item's owner" not in str(status.render())


# -- counts in the right number ------------------------------------------------------------------------


async def test_headers_say_1_error_and_1_open_priority_fix(empty_file: Path):
    workspace = Workspace.open(empty_file)
    stage = workspace.add(Stage(name="Copywriting"))
    ann = workspace.add(Person(name="Ann Lee"))
    workspace.add(RaciAssignment(layer="pilot", stage_id=stage.id, person_id=ann.id, role="R"))  # no A: 1 error
    workspace.add(ActionItem(title="One approver", owner_id=ann.id, due="2026-12-01", priority=True))
    app = GtmApp(empty_file, workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, grid = await open_raci(pilot)
        assert str(screen.query_one("#raci-side-title", Static).render()) == "Problems (1 error, 0 warnings)"
        retro = await press_and_wait(pilot, "6")
        await press_and_wait(pilot, "right_square_bracket", "right_square_bracket")
        note = str(retro.query_one("#decisions-note", Static).render())
        assert note.startswith("1 open priority fix (2-3 is the aim)")
    rows = {row.label: row.value for row in raci.overview_section(Workspace.open(empty_file)).rows}
    assert rows == {"Today RACI": "2 errors, 1 warning", "Pilot RACI": "1 error",
                    "Pilot changes": "1 cell differs from today"}


def test_the_report_counts_in_the_right_number(demo: Workspace):
    from gtm_tui.review.report import raci_findings

    with demo.batch("clear the RACI"):
        for record in demo.all(RaciAssignment):
            demo.delete(record)
    stage = demo.all(Stage)[0]
    person = demo.all(Person)[0]
    demo.add(RaciAssignment(layer="pilot", stage_id=stage.id, person_id=person.id, role="A/R"))
    assert "The pilot RACI changes 1 cell compared with how the work is done today." in raci_findings(demo)

