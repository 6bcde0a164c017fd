"""Where to find it: links on stages and checklist items, typed one a line, opened or copied."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from pilot_waits import press_and_wait
from test_checklists_screen import find, go_to, open_checklists
from textual.widgets import TextArea

from gtm_tui.app import GtmApp
from gtm_tui.checklists.runs import steps_to_work
from gtm_tui.data.model import Stage, ValidationError
from gtm_tui.data.workspace import Workspace
from gtm_tui.process import links
from gtm_tui.screens.dialogs.forms import FormScreen
from gtm_tui.screens.widgets.line_table import LineTable


def test_links_are_typed_one_a_line_and_read_back_the_same():
    typed = ("Figma: Launch / Design | https://www.figma.com/design/abc\n"
             "Brand kit https://drive.example.com/brand\n"
             "\n"
             "/Shared drives/Marketing/Launch Q4\n"
             "Scheduler queue ~/scheduler/queue.csv\n"
             "Ask Maya: mailto:maya@example.com")
    parsed = links.parse_links(typed)
    assert parsed == [
        {"label": "Figma: Launch / Design", "target": "https://www.figma.com/design/abc"},
        {"label": "Brand kit", "target": "https://drive.example.com/brand"},
        {"label": "", "target": "/Shared drives/Marketing/Launch Q4"},
        {"label": "Scheduler queue", "target": "~/scheduler/queue.csv"},
        {"label": "Ask Maya", "target": "mailto:maya@example.com"},
    ]
    assert links.parse_links(links.format_links(parsed)) == parsed
    assert [links.is_web(link["target"]) for link in parsed] == [True, True, False, False, True]
    assert links.describe(parsed[0]) == "Figma: Launch / Design → https://www.figma.com/design/abc"


@pytest.mark.parametrize("line", ["just words", "Evil | javascript:alert(1)", "Local | file:///etc/passwd",
                                  "Share | smb://server/share"])
def test_a_line_that_is_no_web_address_or_path_is_refused(line: str):
    with pytest.raises(ValidationError) as refused:
        links.parse_links(line)
    assert refused.value.field == "links"


def test_the_model_refuses_a_hostile_link_from_the_file(workspace: Workspace):
    stage = workspace.add(Stage(name="Design"))
    with pytest.raises(ValidationError, match="only web links"):
        workspace.update(stage, links=[{"label": "x", "target": "javascript:alert(1)"}])


def test_a_web_link_opens_with_the_system_opener_without_a_shell(monkeypatch: pytest.MonkeyPatch):
    started = []
    monkeypatch.setattr(links.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(links.sys, "platform", "linux")
    monkeypatch.setattr(links.subprocess, "Popen", lambda args, **kw: started.append((args, kw)))
    links.open_web_link("https://www.figma.com/design/abc?x=1&y=2")
    assert started[0][0] == ["/usr/bin/xdg-open", "https://www.figma.com/design/abc?x=1&y=2"]
    assert "shell" not in started[0][1]
    with pytest.raises(links.OpenError, match="is a path"):
        links.open_web_link("/Shared drives/x")
    monkeypatch.setattr(links.shutil, "which", lambda name: None)
    with pytest.raises(links.OpenError, match="no system opener"):
        links.open_web_link("https://example.com")


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the app asked the system to open (nothing is started)."""
    found: list[str] = []
    monkeypatch.setattr(links, "open_web_link", lambda target: found.append(target))
    import gtm_tui.screens.widgets.links as screen_links

    monkeypatch.setattr(screen_links, "open_web_link", lambda target: found.append(target))
    return found


async def test_checklists_show_open_and_copy_links(demo_file: Path, opened: list[str]):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_checklists(pilot)
        item = find(app.workspace, "All comments in one Figma thread")  # has a link of its own
        go_to(screen, item.id)
        await pilot.pause()
        detail = str(screen.query_one("#checklist-detail").render())
        assert "Where to find it: Review thread → https://www.figma.com/" in detail
        await pilot.press("g")
        await pilot.pause()
        assert opened == [item.links[0]["target"]]
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == item.links[0]["target"]
        # An item without links of its own offers its stage's: Creative design has a URL and a path.
        plain = next(i for i in steps_to_work(app.workspace)
                     if not i.links and app.workspace.get(Stage, i.stage_id).name == "Creative design")
        go_to(screen, plain.id)
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)  # which of the two?
        from textual.widgets import Select

        app.screen.query_one("#field-link", Select).value = 1  # the brand kit folder: a path
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.clipboard == "/Shared drives/Marketing/Brand/Brand kit v3" and len(opened) == 1


async def test_links_are_edited_in_the_item_form_and_saved(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_checklists(pilot)
        item = find(app.workspace, "Deadline checked against the content calendar")
        go_to(screen, item.id)
        await pilot.press("e")
        await pilot.pause()
        area = app.screen.query_one("#field-links", TextArea)
        area.text = "Calendar | https://docs.example.com/calendar\nnot a link"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)  # refused, everything typed kept
        assert "line 2: no web address or path" in str(app.screen.query_one("#error-links").render())
        area.text = "Calendar | https://docs.example.com/calendar"
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = orjson.loads(demo_file.read_bytes())["checklist_items"][item.id]["links"]
        assert saved == [{"label": "Calendar", "target": "https://docs.example.com/calendar"}]


async def test_the_process_screen_opens_a_stages_link(demo_file: Path, opened: list[str]):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "2")
        stage = next(s for s in app.workspace.all(Stage) if s.name == "Creative review")
        table = app.screen.query_one("#stage-table", LineTable)
        table.move_cursor(row=table.get_row_index(stage.id))
        await pilot.pause()
        assert "Figma: Launch / Review" in str(app.screen.query_one("#stage-detail").render())
        await pilot.press("g")
        await pilot.pause()
        assert opened == [stage.links[0]["target"]]
