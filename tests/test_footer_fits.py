"""The footer shows what matters on a laptop: a screen's own main keys whole at 80 columns, help, undo and redo
beside them at 120; the keys left out of it are still in help (?) and the palette."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pilot_waits import press_and_wait, settle
from rich.console import Console
from textual.pilot import Pilot

from gtm_tui.app import GtmApp, _ours
from gtm_tui.data.workspace import Workspace
from gtm_tui.screens.pushed.help import HelpScreen


async def keys_in_view(pilot: Pilot) -> list[str]:
    """The footer's keys drawn whole, left of the palette's key, as "key description"."""
    await settle(pilot)
    screen = pilot.app.screen
    palette = screen.query_one(".-command-palette")
    shown = []
    for key in screen.query("FooterKey"):
        if key is palette or key.region.width == 0 or key.region.right > palette.region.x:
            continue
        shown.append(f"{key.key_display} {key.description}".strip())
    return shown


WHOLE_AT_80 = {
    ("3",): ["space Tick / untick", "s Stand-up mode", "a Add step", "e Edit"],
    ("3", "s"): ["tab Next person", "space Tick / untick", "b Blocker", "e End stand-up"],
    ("6", "m"): ["^g Next phase", "^n", "^b", "^t Theme from selected"],
    ("4",): ["t Today/pilot", "T Pilot RACI from today's"],
    ("6",): ["a Add question", "e Edit question", "m Meeting mode", "A My answers"],
}


@pytest.mark.parametrize("keys", list(WHOLE_AT_80))
async def test_a_screens_main_keys_show_whole_at_80_columns(demo_file: Path, keys: tuple[str, ...]):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(80, 24)) as pilot:
        await press_and_wait(pilot, *keys)
        shown = await keys_in_view(pilot)
        for key in WHOLE_AT_80[keys]:
            assert key in shown, (key, shown)


async def test_help_and_undo_show_beside_the_stand_ups_keys_at_120_columns(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 30)) as pilot:
        await press_and_wait(pilot, "3", "s")
        shown = await keys_in_view(pilot)
        assert {"j Jump to a person", "? Help", "^z Undo"} <= set(shown), shown


async def test_the_raci_role_keys_are_one_entry_and_T_is_in_the_footer(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(80, 24)) as pilot:
        await press_and_wait(pilot, "4")
        shown = await keys_in_view(pilot)
        assert shown[:4] == ["r", "a", "c", "i"]  # "raci Set role": the group's keys, then its label
        assert "T Pilot RACI from today's" in shown


@pytest.mark.parametrize("screen_key", list("123456789"))
async def test_help_undo_and_redo_show_beside_every_main_screens_keys_at_120_columns(demo_file: Path,
                                                                                     screen_key: str):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 30)) as pilot:
        await press_and_wait(pilot, screen_key)
        shown = await keys_in_view(pilot)
        assert {"? Help", "^z Undo", "^y Redo"} <= set(shown), shown


@pytest.mark.parametrize("keys", [("3", "s"), ("6", "m"), ("3",), ("4",), ("5",), ("6",), ("2",)])
async def test_keys_left_out_of_the_footer_are_in_help_and_the_palette(demo_file: Path, keys: tuple[str, ...]):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await press_and_wait(pilot, *keys)
        hidden = {active.binding.description for active in screen.active_bindings.values()
                  if not active.binding.show and active.binding.description and _ours(active.node, active.binding)}
        assert hidden  # each of these screens keeps some keys out of its footer
        titles = {command.title for command in app.get_system_commands(screen)}
        help_screen = await press_and_wait(pilot, "f1")  # ? is a character in the meeting's note field
        assert isinstance(help_screen, HelpScreen)
        in_help = {description for _, keys_of in help_screen.sections for _, description in keys_of}
        assert hidden <= in_help, hidden - in_help
        assert hidden <= titles, hidden - titles


@pytest.mark.parametrize("keys", [("1",), ("2",), ("3",), ("3", "s"), ("4",), ("5",), ("6",), ("6", "m"), ("7",),
                                  ("7", "p"), ("8",), ("9",)])
async def test_help_lists_every_key_of_the_screen_and_of_its_other_panes(demo_file: Path, keys: tuple[str, ...]):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await press_and_wait(pilot, *keys)
        in_focus = set(screen.focused.ancestors_with_self) if screen.focused else set()
        expected = set()
        for node in [screen, *screen.query("*")]:
            if node is not screen and node not in in_focus and not getattr(node, "HELP_TITLE", ""):
                continue
            for _key, binding in node._bindings:
                if binding.description and _ours(node, binding) and app._check_action_state(binding.action, node):
                    expected.add((binding.key_display or app.get_key_display(binding), binding.description))
        help_screen = await press_and_wait(pilot, "f1")
        assert isinstance(help_screen, HelpScreen)
        assert help_screen.sections[0][0] == screen.SCREEN_NAME  # the screen's own keys, under its name
        listed = [(key.split(), description) for _, rows in help_screen.sections for key, description in rows]
        missing = {(key, description) for key, description in expected
                   if not any(description == said and key in shown for shown, said in listed)}
        assert not missing


async def test_help_in_the_meeting_names_the_keys_of_the_notes_and_themes_while_a_note_is_typed(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(80, 24)) as pilot:
        await press_and_wait(pilot, "6", "m")
        help_screen = await press_and_wait(pilot, "f1")
        assert isinstance(help_screen, HelpScreen)
        sections = dict(help_screen.sections)
        assert ("space", "Select note") in sections["In the notes"]
        assert ("+", "Give a dot") in sections["In the themes"]
        assert ("pgdn ^n", "Next question") in sections["Meeting"]


async def test_help_draws_every_sections_descriptions_in_one_column(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(80, 60)) as pilot:
        await press_and_wait(pilot, "6", "m")
        await press_and_wait(pilot, "f1")
        await settle(pilot)
        console = Console(width=80, file=io.StringIO(), record=True)
        console.print(app.screen._compositor.render_update(full=True))
        lines = console.export_text().splitlines()
        columns = {line.index(words) for words in ("Previous question", "Select note", "Give a dot", "Scroll Up")
                   for line in lines if words in line}
        assert len(columns) == 1, columns
