"""gtm-tui as a git merge driver, in a real repository: different records merge, the same field is one conflict."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import DataTable

from gtm_tui.app import GtmApp
from gtm_tui.data import clock
from gtm_tui.data.check import problems
from gtm_tui.data.model import Conflict, Person
from gtm_tui.data.storage import read_file
from gtm_tui.data.workspace import Workspace
from gtm_tui.screens.pushed.conflicts import ConflictsScreen

DEMO = Path(__file__).resolve().parent.parent / "sample_data" / "demo-pilot.json"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=check)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding the demo pilot, with the merge driver set up as the README says."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "test@example.com")
    git(repo, "config", "user.name", "Test")
    git(repo, "config", "commit.gpgsign", "false")
    git(repo, "config", "merge.gtm-tui.name", "gtm-tui workspace merge")
    driver = f"{shlex.quote(sys.executable)} -m gtm_tui.cli merge %O %A %B"
    git(repo, "config", "merge.gtm-tui.driver", driver)
    (repo / ".gitattributes").write_text("pilot.json merge=gtm-tui\n")
    (repo / ".gitignore").write_text("*.lock\npilot-backups/\n")
    shutil.copy(DEMO, repo / "pilot.json")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "the demo pilot")
    return repo


def people(repo: Path) -> list[Person]:
    return Workspace.open(repo / "pilot.json").all(Person)


def edit_on_branch(repo: Path, branch: str, person_index: int, minutes: int, **changes) -> None:
    """Check out ``branch`` (creating it from main), change one person through the Workspace, commit."""
    existing = git(repo, "branch", "--list", branch).stdout.strip()
    git(repo, "checkout", "-q", *([] if existing else ["-b"]), branch)
    clock.freeze(clock.now() + timedelta(minutes=minutes))
    workspace = Workspace.open(repo / "pilot.json")
    workspace.update(workspace.all(Person)[person_index], **changes)
    git(repo, "commit", "-q", "-am", f"edit on {branch}")


def test_branches_editing_different_records_merge_cleanly(repo: Path):
    edit_on_branch(repo, "dana", 0, 5, role="Campaign lead")
    edit_on_branch(repo, "main", 1, 10, team="Brand")
    merged = git(repo, "merge", "--no-edit", "dana", check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert "merged cleanly" in merged.stderr or "merged cleanly" in merged.stdout
    found = people(repo)
    assert found[0].role == "Campaign lead" and found[1].team == "Brand"
    tables = read_file(repo / "pilot.json")
    assert problems(tables) == [] and tables["conflicts"] == {}
    assert git(repo, "status", "--porcelain", "pilot.json").stdout == ""  # committed by the merge


async def test_branches_editing_the_same_field_report_one_conflict_the_app_lists(repo: Path):
    edit_on_branch(repo, "dana", 0, 5, role="Role from Dana")
    edit_on_branch(repo, "main", 0, 10, role="Role from main")  # later: it wins
    merged = git(repo, "merge", "--no-edit", "dana", check=False)
    assert merged.returncode != 0  # git stops so a person looks
    assert "1 conflict" in merged.stdout + merged.stderr
    path = repo / "pilot.json"
    tables = read_file(path)  # no <<<<<<< markers: a sound workspace
    assert problems(tables) == []
    person = people(repo)[0]
    assert person.role == "Role from main"
    [conflict] = Workspace.open(path).all(Conflict)
    assert (conflict.record_id, conflict.field, conflict.kept, conflict.losing) == (
        person.id,
        "role",
        "Role from main",
        "Role from Dana",
    )

    app = GtmApp(path, Workspace.open(path))
    async with app.run_test(size=(120, 40)) as pilot:
        app.action_conflicts()
        await pilot.pause()
        assert isinstance(app.screen, ConflictsScreen)
        table = app.screen.query_one("#conflicts", DataTable)
        assert table.row_count == 1
        assert "Role from Dana" in str(table.get_row_at(0)[3])
        await pilot.press("o")  # take Dana's value
        await pilot.pause()
        assert table.row_count == 0
    assert people(repo)[0].role == "Role from Dana"
    assert Workspace.open(path).all(Conflict) == []
    git(repo, "add", "pilot.json")
    assert git(repo, "commit", "-q", "--no-edit", check=False).returncode == 0
