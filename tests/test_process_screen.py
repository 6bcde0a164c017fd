"""The Process screen and the pilot setup form, driven by keys, checked in the saved file."""

from __future__ import annotations

from pathlib import Path

import orjson
from pilot_waits import press_and_wait
from textual.geometry import Region
from textual.widgets import Input, Select, Static

from gtm_tui.app import GtmApp
from gtm_tui.data.model import Person, Stage
from gtm_tui.data.workspace import Workspace
from gtm_tui.screens.dialogs.forms import ConfirmScreen, FormScreen, SegmentSuggester
from gtm_tui.screens.widgets.line_table import LineTable
from gtm_tui.work.baseline import measure_names


def table(path: Path, name: str) -> list[dict]:
    return list(orjson.loads(path.read_bytes())[name].values())


def stages_in_file(path: Path) -> list[str]:
    return [s["name"] for s in sorted(table(path, "stages"), key=lambda s: s["position"])]


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press("space" if char == " " else char)


def shown(widget) -> str:
    """What a widget shows on screen, as plain text (its whole virtual height)."""
    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.virtual_size.height or widget.size.height))
    return "\n".join("".join(segment.text for segment in line) for line in lines)


def error_text(app, field: str) -> str:
    return str(app.screen.query_one(f"#error-{field}", Static).render())


async def test_a_stage_added_by_keys_is_in_the_file_and_the_flowchart(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "2", "a")
        assert isinstance(app.screen, FormScreen)
        await type_text(pilot, "Repurpose for newsletter")
        app.screen.query_one("#field-expected_days", Input).value = "1,5"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert stages_in_file(demo_file)[-1] == "Repurpose for newsletter"
        added = next(s for s in table(demo_file, "stages") if s["name"] == "Repurpose for newsletter")
        assert added["expected_days"] == 1.5 and added["position"] == 9
        assert app.screen.query_one("#stage-table", LineTable).row_count == 10
        await pilot.press("f")
        await pilot.pause()
        chart = shown(app.screen.query_one("#flowchart", Static))
        assert "Repurpose for newsletter" in chart and "10 " in chart


async def test_edit_move_and_delete_a_stage(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "2")
        await pilot.press("down", "down", "e")  # Copywriting
        await pilot.pause()
        app.screen.query_one("#field-name", Input).value = "Copy & headlines"
        app.screen.query_one("#field-expected_days", Input).value = "many"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "not a number" in error_text(app, "expected_days")
        app.screen.query_one("#field-expected_days", Input).value = "4"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert stages_in_file(demo_file)[2] == "Copy & headlines"

        await pilot.press("shift+up")
        await pilot.pause()
        assert stages_in_file(demo_file)[:3] == ["Idea & brief", "Copy & headlines", "Strategy sign-off"]
        await pilot.press("shift+down", "shift+down")
        await pilot.pause()
        assert stages_in_file(demo_file)[2:4] == ["Creative design", "Copy & headlines"]
        assert sorted(s["position"] for s in table(demo_file, "stages")) == list(range(9))

        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert any("deletes handoff" in line for line in app.screen.details)
        await pilot.press("y")
        await pilot.pause()
        assert "Copy & headlines" not in stages_in_file(demo_file)
        names = {s["id"]: s["name"] for s in table(demo_file, "stages")}
        assert all(h["from_stage_id"] in names and h["to_stage_id"] in names for h in table(demo_file, "handoffs"))
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "Copy & headlines" in stages_in_file(demo_file)


async def test_the_first_stage_cannot_move_up(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "2", "shift+up")
        assert stages_in_file(demo_file)[0] == "Idea & brief"


async def test_handoffs_add_refuse_self_and_duplicate_allow_loops_edit_and_delete(workspace: Workspace):
    path = workspace.path
    a, b, c = (workspace.add(Stage(name=n, position=i)) for i, n in enumerate(["Brief", "Write", "Review"]))
    app = GtmApp(path, workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "2", "n")
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#field-from_stage_id", Select).value == a.id  # from the selected stage
        form.query_one("#field-to_stage_id", Select).value = a.id
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "cannot hand off to itself" in error_text(app, "to_stage_id")
        form.query_one("#field-to_stage_id", Select).value = b.id
        form.query_one("#field-what", Input).value = "Signed brief"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [(h["from_stage_id"], h["to_stage_id"], h["what"]) for h in table(path, "handoffs")] == [
            (a.id, b.id, "Signed brief")
        ]

        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#field-to_stage_id", Select).value = b.id
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "already a handoff" in str(app.screen.query_one("#form-error", Static).render())
        # a loop back for rework is fine
        app.screen.query_one("#field-from_stage_id", Select).value = c.id
        app.screen.query_one("#field-what", Input).value = "Copy back for rework"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert len(table(path, "handoffs")) == 2

        await pilot.press("h")
        await pilot.pause()
        handoffs = app.screen.query_one("#handoff-table", LineTable)
        assert handoffs.row_count == 2 and app.focused is handoffs
        assert "loops back" in str(handoffs.get_row_at(1)[2])
        await pilot.press("down", "e")
        await pilot.pause()
        app.screen.query_one("#field-expected_days", Input).value = "2"
        await pilot.press("ctrl+s")
        await pilot.pause()
        loop = next(h for h in table(path, "handoffs") if h["from_stage_id"] == c.id)
        assert loop["expected_days"] == 2
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and "Review → Write" in app.screen.question
        await pilot.press("y")
        await pilot.pause()
        assert len(table(path, "handoffs")) == 1


async def test_pilot_setup_refuses_an_end_before_the_start_and_keeps_what_was_typed(workspace: Workspace):
    path = workspace.path
    review, approval = (
        workspace.add(Stage(name="Review", position=0)),
        workspace.add(Stage(name="Approval", position=1)),
    )
    lead = workspace.add(Person(name="Maya"))
    app = GtmApp(path, workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "1", "s")
        form = app.screen
        assert isinstance(form, FormScreen) and form.form_title == "Pilot setup"
        form.query_one("#field-campaign", Input).value = "Spring newsletter"
        form.query_one("#field-campaign_start", Input).value = "2026-03-01"
        form.query_one("#field-campaign_end", Input).value = "2026-04-15"
        form.query_one("#field-baseline", Input).value = "days from brief to live: 21; feedback cycles: 3"
        form.query_one("#field-focus_from_stage_id", Select).value = review.id
        form.query_one("#field-focus_to_stage_id", Select).value = approval.id
        form.query_one("#field-lead_id", Select).value = lead.id
        form.query_one("#field-channel", Input).value = "#gtm-pilot"
        form.query_one("#field-checkin_weekday", Select).value = 1
        form.query_one("#field-checkin_time", Input).value = "10:00"
        form.query_one("#field-start_date", Input).value = "2026-11-20"
        form.query_one("#field-end_date", Input).value = "2026-11-10"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "must end after it starts (2026-11-20)" in error_text(app, "end_date")
        assert form.query_one("#field-end_date", Input).value == "2026-11-10"
        assert form.query_one("#field-channel", Input).value == "#gtm-pilot"
        assert table(path, "pilot")[0]["channel"] == ""  # nothing saved yet

        form.query_one("#field-end_date", Input).value = "2026-12-18"
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = table(path, "pilot")[0]
        # "feedback cycles" is what the app measures as "feedback cycles per item": stored under that name
        assert saved["baseline"] == {"days from brief to live": 21, "feedback cycles per item": 3}
        assert (saved["focus_from_stage_id"], saved["focus_to_stage_id"], saved["lead_id"]) == (
            review.id,
            approval.id,
            lead.id,
        )
        assert (saved["checkin_weekday"], saved["checkin_time"], saved["end_date"]) == (1, "10:00", "2026-12-18")
        # no handoff joins the focus stages: the app offers to create it
        assert isinstance(app.screen, ConfirmScreen) and "Review → Approval" in app.screen.question
        await pilot.press("y")
        await pilot.pause()
        assert [(h["from_stage_id"], h["to_stage_id"]) for h in table(path, "handoffs")] == [(review.id, approval.id)]
        overview = shown(app.screen.query_one("#overview-sections", Static))
        assert "Set-up checklist" in overview


async def test_pilot_setup_is_in_the_palette_of_the_overview_and_the_process_screen(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Pilot setup" in [c.title for c in app.get_system_commands(app.screen)]
        await press_and_wait(pilot, "2")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Pilot setup", "Add stage", "Add handoff", "Flowchart", "Timeline"} <= set(titles)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await pilot.press("escape")
        await pilot.press("t")
        await pilot.pause()
        assert "27.5 days from decision to live" in shown(app.screen.query_one("#timeline", Static))


async def test_the_baseline_field_offers_the_measures_the_app_computes():
    suggester = SegmentSuggester(measure_names())
    assert await suggester.get_suggestion("days from brief to live: 21; fee") == (
        "days from brief to live: 21; feedback cycles per item: ")
    assert await suggester.get_suggestion("Wait") == "Wait at the focus handoff (days): "
    assert await suggester.get_suggestion("cost per lead: 4") is None
    assert await suggester.get_suggestion("") is None
