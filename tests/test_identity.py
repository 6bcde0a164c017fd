"""Who I am, per machine: kept in the config folder by the pilot's id, asked on first open, recorded on ticks."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest
from test_checklists_screen import go_to, items_in_file, open_checklists
from textual.widgets import Select

from gtm_tui.app import GtmApp
from gtm_tui.checklists.runs import steps_to_work
from gtm_tui.cli.main import main
from gtm_tui.data.model import Person, Pilot
from gtm_tui.data.workspace import Workspace
from gtm_tui.screens.dialogs.forms import FormScreen
from gtm_tui.sharing.identity import (
    CONFIG_ENV,
    Identity,
    IdentityError,
    IdentityStore,
    config_dir,
    who_am_i,
    workspace_key,
)


def two_pilots(tmp_path: Path) -> tuple[Workspace, Workspace]:
    first = Workspace.create(tmp_path / "launch.json", Pilot(name="Launch"))
    second = Workspace.create(tmp_path / "newsletter.json", Pilot(name="Newsletter"))
    return first, second


def test_the_config_folder_is_overridable_and_every_test_has_its_own(config_dir: Path):
    assert config_dir == Path(__import__("os").environ[CONFIG_ENV])
    assert IdentityStore().path == config_dir / "who-am-i.json"
    assert Path.home() not in config_dir.parents or "pytest" in str(config_dir)


def test_two_workspaces_keep_two_names(tmp_path: Path):
    first, second = two_pilots(tmp_path)
    ana = first.add(Person(name="Ana"))
    ben = second.add(Person(name="Ben"))
    store = IdentityStore()
    assert store.recorded(workspace_key(first)) is None
    store.remember(workspace_key(first), ana.id, name="Ana")
    store.remember(workspace_key(second), ben.id, name="Ben")
    assert who_am_i(first, store) == Identity(ana.id)
    assert who_am_i(second, store) == Identity(ben.id)
    # A new store on the same folder (the next run of the app) reads the same answers.
    assert IdentityStore(store.folder).recorded(workspace_key(second)) == Identity(ben.id)
    # The shared files never hold the answer.
    for workspace in (first, second):
        assert b"who-am-i" not in workspace.path.read_bytes() and ana.id not in str(
            orjson.loads(second.path.read_bytes()).get("meta")
        )


def test_the_answer_follows_the_pilot_to_a_copy_of_the_file(tmp_path: Path, demo_file: Path):
    workspace = Workspace.open(demo_file)
    maya = next(p for p in workspace.all(Person) if p.name == "Maya Thornton")
    store = IdentityStore()
    store.remember(workspace_key(workspace), maya.id)
    copy = tmp_path / "elsewhere" / "copy.json"
    copy.parent.mkdir()
    shutil.copy(demo_file, copy)
    assert who_am_i(Workspace.open(copy), store) == Identity(maya.id)


def test_just_looking_and_a_deleted_person(tmp_path: Path):
    first, _ = two_pilots(tmp_path)
    ana = first.add(Person(name="Ana"))
    store = IdentityStore()
    store.remember(workspace_key(first), None)
    assert who_am_i(first, store) == Identity(None) and Identity(None).looking
    store.remember(workspace_key(first), ana.id)
    first.delete(ana)
    assert who_am_i(first, store) is None  # asked again rather than ticking as nobody


def test_an_unreadable_store_counts_as_never_told_and_a_read_only_one_says_why(tmp_path: Path):
    first, _ = two_pilots(tmp_path)
    folder = tmp_path / "cfg"
    folder.mkdir()
    (folder / "who-am-i.json").write_text("{not json", encoding="utf-8")
    store = IdentityStore(folder)
    assert store.recorded(workspace_key(first)) is None and store.ask_on_first_open
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(IdentityError, match="could not keep who you are"):
        IdentityStore(blocker / "sub").remember(workspace_key(first), None)


def test_config_dir_defaults_to_the_platforms_folder(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(CONFIG_ENV)
    assert config_dir().name == "gtm-tui"


def test_whoami_command_reads_and_sets(demo_file: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["whoami", str(demo_file)]) == 0
    assert "has not said who it is" in capsys.readouterr().out
    assert main(["whoami", str(demo_file), "maya  THORNTON"]) == 0
    assert "You are Maya Thornton in Q4 product launch workflow pilot" in capsys.readouterr().out
    assert main(["whoami", str(demo_file)]) == 0
    assert "You are Maya Thornton" in capsys.readouterr().out
    assert main(["whoami", str(demo_file), "Nobody Here"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("gtm-tui: nobody called 'Nobody Here'") and "Maya Thornton" in err and err.count("\n") == 1
    assert main(["whoami", str(demo_file), "--looking"]) == 0
    assert "Just looking" in capsys.readouterr().out
    before = demo_file.read_bytes()
    assert main(["whoami", str(demo_file), "Maya Thornton"]) == 0
    assert demo_file.read_bytes() == before  # never the shared file


def test_whoami_command_refuses_a_broken_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert main(["whoami", str(broken)]) == 2
    assert "not valid JSON" in capsys.readouterr().err


async def answer_who(pilot, app: GtmApp, name: str | None) -> None:
    """Answer the open "who are you?" form: a name, or escape (None)."""
    assert isinstance(app.screen, FormScreen)
    if name is None:
        await pilot.press("escape")
    else:
        person = next(p for p in app.workspace.all(Person) if p.name == name)
        app.screen.query_one("#field-person", Select).value = person.id
        await pilot.press("ctrl+s")
    await pilot.pause()


async def test_first_open_asks_remembers_and_ticks_carry_the_name(demo_file: Path, ask_who_on_first_open: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, FormScreen) and "Who are you in Q4 product launch" in app.screen.form_title
        await answer_who(pilot, app, "Maya Thornton")
        assert app.sub_title.endswith("· you are Maya Thornton")
    # Quit, open again: the app knows who this is and asks nothing.
    again = GtmApp(demo_file, Workspace.open(demo_file))
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not isinstance(again.screen, FormScreen)
        assert again.sub_title.endswith("· you are Maya Thornton")
        screen = await open_checklists(pilot)
        maya = next(p for p in again.workspace.all(Person) if p.name == "Maya Thornton")
        # An open step of a run under way that someone else owns.
        item = next(
            s for s in steps_to_work(again.workspace) if not s.done and not s.approval and s.owner_id != maya.id
        )
        go_to(screen, item.id)
        await pilot.press("space")
        await pilot.pause()
        assert items_in_file(demo_file)[item.id]["done_by"] == maya.id


async def test_escape_on_first_open_is_just_looking_and_w_changes_it(demo_file: Path, ask_who_on_first_open: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await answer_who(pilot, app, None)
        assert app.looking and app.session_person is None and app.sub_title.endswith("· just looking")
        await pilot.press("w")  # on the Overview
        await pilot.pause()
        await answer_who(pilot, app, "Tom Becker")
        assert app.sub_title.endswith("· you are Tom Becker") and not app.looking
    store = IdentityStore()
    workspace = Workspace.open(demo_file)
    assert workspace.find(Person, store.recorded(workspace_key(workspace)).person_id).name == "Tom Becker"


async def test_a_pilot_with_nobody_yet_does_not_ask(empty_file: Path, ask_who_on_first_open: Path):
    app = GtmApp(empty_file, Workspace.open(empty_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
