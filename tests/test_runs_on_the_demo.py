"""The issue's walk-through on the demo: a new post in Copywriting gets its run, is ticked and moved on."""

from __future__ import annotations

from pathlib import Path

import orjson
from textual.widgets import Input, Select

from gtm_tui.app import GtmApp
from gtm_tui.data.model import Person, Stage
from gtm_tui.data.workspace import Workspace
from gtm_tui.screens.dialogs.forms import FormScreen
from gtm_tui.screens.dialogs.whoami import set_session_person
from gtm_tui.screens.main.checklists import RUN_ROW, ChecklistsScreen


def saved(path: Path) -> dict:
    return orjson.loads(path.read_bytes())


async def test_a_new_post_in_copywriting_is_ticked_through_and_moved_on(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        workspace = app.workspace
        stages = {s.name: s for s in workspace.all(Stage)}
        people = {p.name: p for p in workspace.all(Person)}
        # Add the post on the Metrics screen, in Copywriting.
        await pilot.press("5", "a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-title", Input).value = "LinkedIn post: dashboard tips"
        form.query_one("#field-stage_id", Select).value = stages["Copywriting"].id
        await pilot.press("ctrl+s")
        await pilot.pause()
        post = next(w for w in saved(demo_file)["work_items"].values() if w["title"] == "LinkedIn post: dashboard tips")
        assert post["assignee_id"] == people["Priya Raman"].id  # Copywriting's R
        [run] = [r for r in saved(demo_file)["runs"].values() if r["work_item_id"] == post["id"]]
        steps = sorted((s for s in saved(demo_file)["checklist_items"].values() if s["run_id"] == run["id"]),
                       key=lambda s: s["position"])
        stage_steps = [s for s in saved(demo_file)["steps"].values() if s["stage_id"] == stages["Copywriting"].id]
        assert len(steps) == len(stage_steps) == 5 and all(s["due"] for s in steps)
        approval = next(s for s in steps if s["approval"])
        assert approval["owner_id"] == people["Daniel Okafor"].id  # Copywriting's A
        assert {s["owner_id"] for s in steps if not s["approval"]} == {people["Priya Raman"].id}

        # Tick them all on the Checklists screen, the post picked.
        await pilot.press("3")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChecklistsScreen)
        screen.pick_item(post["id"])
        await pilot.pause()
        set_session_person(app, people["Priya Raman"].id)
        for step in steps:
            screen.select(step["id"])
            await pilot.press("space")
            await pilot.pause()
        assert saved(demo_file)["checklist_items"][approval["id"]]["done"] is False  # Priya is not the A
        assert any("Only Daniel Okafor, accountable for Copywriting" in n.message for n in app._notifications)
        await pilot.press("right_square_bracket")  # refused: the approval is open
        await pilot.pause()
        assert saved(demo_file)["work_items"][post["id"]]["stage_id"] == stages["Copywriting"].id
        set_session_person(app, people["Daniel Okafor"].id)
        screen.select(approval["id"])
        await pilot.press("space")
        await pilot.pause()
        assert all(saved(demo_file)["checklist_items"][s["id"]]["done"] for s in steps)

        # Every step done: the move key takes it on at once, and its next run starts.
        screen.select(RUN_ROW + run["id"])
        await pilot.press("right_square_bracket")
        await pilot.pause()
        after = saved(demo_file)
        assert after["work_items"][post["id"]]["stage_id"] == stages["Creative design"].id
        runs = [r for r in after["runs"].values() if r["work_item_id"] == post["id"]]
        assert len(runs) == 2 and after["runs"][run["id"]]["ended_at"] is not None
        design = next(r for r in runs if r["ended_at"] is None)
        assert design["stage_id"] == stages["Creative design"].id
        assert (RUN_ROW + design["id"]) in screen._rows
