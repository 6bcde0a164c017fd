"""The shared file on disk: links, permissions, leftovers of killed saves, the lock, odd files."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from gtm_tui.data import storage
from gtm_tui.data.model import Person
from gtm_tui.data.storage import SaveError, WorkspaceFileError, read_file
from gtm_tui.data.workspace import Workspace

ROOT = os.geteuid() == 0
NOBODY = 65534


def names_in(workspace_file: Path) -> list[str]:
    return [p["name"] for p in read_file(workspace_file)["people"].values()]


# -- a symbolic link ------------------------------------------------------------------


def test_a_symlinked_workspace_keeps_writing_its_target(empty_file: Path, tmp_path: Path):
    link_folder = tmp_path / "elsewhere"
    link_folder.mkdir()
    link = link_folder / "pilot.json"
    link.symlink_to(empty_file)
    workspace = Workspace.open(link)
    workspace.add(Person(name="Ann"))
    workspace.add(Person(name="Bob"))
    assert link.is_symlink() and link.resolve() == empty_file.resolve()
    assert sorted(names_in(empty_file)) == ["Ann", "Bob"]  # the team's file got both saves
    assert (empty_file.parent / "pilot.json.lock").exists()  # locked beside the real file, where teammates lock
    assert not (link_folder / "pilot.json.lock").exists()
    # A teammate saving to the real file is seen through the link.
    Workspace.open(empty_file).add(Person(name="Cy"))
    assert workspace.reload_if_changed()
    assert sorted(p.name for p in workspace.all(Person)) == ["Ann", "Bob", "Cy"]


# -- files the user may not write -----------------------------------------------------


def test_a_read_only_workspace_is_never_replaced(workspace: Workspace):
    before = workspace.path.read_bytes()
    os.chmod(workspace.path, 0o444)
    with pytest.raises(SaveError, match=r"read-only \(mode 0444\)"):
        workspace.add(Person(name="Ann"))
    assert workspace.path.read_bytes() == before
    assert stat.S_IMODE(os.stat(workspace.path).st_mode) == 0o444
    assert workspace.all(Person) == []


@pytest.mark.skipif(not ROOT, reason="making a file another user's needs root")
def test_another_users_file_is_not_taken_over_unless_shared_for_writing(workspace: Workspace):
    os.chown(workspace.path, NOBODY, NOBODY)
    os.chmod(workspace.path, 0o644)
    before = workspace.path.read_bytes()
    with pytest.raises(SaveError, match="belongs to another user"):
        workspace.add(Person(name="Ann"))
    assert workspace.path.read_bytes() == before
    assert os.stat(workspace.path).st_uid == NOBODY
    # Shared for writing: the save goes through and the file stays the other user's.
    os.chmod(workspace.path, 0o666)
    workspace.add(Person(name="Ann"))
    info = os.stat(workspace.path)
    assert (info.st_uid, stat.S_IMODE(info.st_mode)) == (NOBODY, 0o666)
    assert names_in(workspace.path) == ["Ann"]


# -- leftovers of killed saves ----------------------------------------------------------


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_temp_files_of_killed_saves_are_removed_at_open_but_never_a_live_ones(empty_file: Path):
    folder, host = empty_file.parent, storage._host()
    dead = folder / f".pilot.json.{host}-{dead_pid()}.abc123.tmp"
    live = folder / f".pilot.json.{host}-{os.getppid()}.def456.tmp"  # a live process on this machine
    old_style_old = folder / ".pilot.json.k3j4h5.tmp"  # an earlier version's name, from long ago
    old_style_new = folder / ".pilot.json.x8y9z0.tmp"  # ... or being written on another machine right now
    other = folder / ".notes.txt.tmp"
    for path in (dead, live, old_style_old, old_style_new, other):
        path.write_bytes(b"{}")
    long_ago = time.time() - storage.STALE_TEMP_SECONDS - 60
    os.utime(old_style_old, (long_ago, long_ago))
    backups = folder / "pilot-backups"
    backups.mkdir()
    dead_backup = backups / f".pilot.2026-11-18.100000.daily.json.{host}-{dead_pid()}.q1w2e3.tmp"
    dead_backup.write_bytes(b"{}")
    Workspace.open(empty_file)
    assert not dead.exists() and not old_style_old.exists() and not dead_backup.exists()
    assert live.exists() and old_style_new.exists() and other.exists()


def test_a_failed_save_leaves_no_temp_file(workspace: Workspace, monkeypatch):
    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage.os, "replace", fail)
    with pytest.raises(SaveError, match="No space left"):
        workspace.add(Person(name="Ann"))
    assert [name for name in os.listdir(workspace.path.parent) if name.endswith(".tmp")] == []


# -- the lock ---------------------------------------------------------------------------


def test_the_lock_file_is_as_writable_for_the_team_as_the_workspace(workspace: Workspace):
    os.chmod(workspace.path, 0o666)
    workspace.add(Person(name="Ann"))
    assert stat.S_IMODE(os.stat(workspace.storage.lock_path).st_mode) & 0o066 == 0o066


SAVE_AS_NOBODY = textwrap.dedent(
    """
    import os, sys
    import filelock  # a save imports it at its first lock: here first, while this Python's files are readable
    from gtm_tui.data.model import Person
    from gtm_tui.data.storage import SaveError
    from gtm_tui.data.workspace import Workspace
    os.setgroups([]); os.setgid(65534); os.setuid(65534)
    try:
        Workspace.open(sys.argv[1]).add(Person(name=sys.argv[2]))
    except SaveError as error:
        print(error)
        sys.exit(1)
    """
)


@pytest.fixture
def shared_folder():
    """A folder every user can reach and write (pytest's own temp folders are private to their user)."""
    with tempfile.TemporaryDirectory(prefix="gtm-shared-") as name:
        os.chmod(name, 0o777)
        yield Path(name)


@pytest.mark.skipif(not ROOT, reason="saving as a second Unix user needs root to become one")
def test_a_second_unix_user_can_save_when_the_folder_and_file_are_shared(shared_folder: Path):
    folder = shared_folder
    path = folder / "pilot.json"
    workspace = Workspace.create(path)
    os.chmod(path, 0o666)
    workspace.add(Person(name="Ann"))  # the first save creates the lock file as this user
    done = subprocess.run(
        [sys.executable, "-c", SAVE_AS_NOBODY, str(path), "Bob"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(names_in(path)) == ["Ann", "Bob"]
    # A lock file the other user may not write: a clear message, not a bare "Permission denied".
    os.chmod(workspace.storage.lock_path, 0o644)
    done = subprocess.run(
        [sys.executable, "-c", SAVE_AS_NOBODY, str(path), "Cy"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert "lock file pilot.json.lock belongs to another user" in done.stdout and "chmod g+w" in done.stdout


TEAMMATE_SAVES = textwrap.dedent(
    """
    import sys
    from gtm_tui.data.model import Person
    from gtm_tui.data.workspace import Workspace
    Workspace.open(sys.argv[1]).add(Person(name=sys.argv[2]))
    """
)


def test_a_lock_file_deleted_during_a_save_is_taken_again_and_nothing_is_lost(workspace: Workspace, monkeypatch):
    original = workspace._daily_backup
    intruded = []

    def delete_the_lock_and_let_a_teammate_in() -> None:
        original()
        if not intruded:
            intruded.append(True)
            os.unlink(workspace.storage.lock_path)  # e.g. a sync tool or a cleanup script
            # A teammate takes a fresh lock file and saves while this save still thinks it holds the lock.
            subprocess.run(
                [sys.executable, "-c", TEAMMATE_SAVES, str(workspace.path), "Teammate"], check=True, timeout=60
            )

    monkeypatch.setattr(workspace, "_daily_backup", delete_the_lock_and_let_a_teammate_in)
    workspace.add(Person(name="Mine"))
    assert sorted(names_in(workspace.path)) == ["Mine", "Teammate"]
    assert sorted(p.name for p in workspace.all(Person)) == ["Mine", "Teammate"]


def test_a_lock_file_replaced_under_a_held_lock_is_noticed_before_the_rename(workspace: Workspace):
    before = workspace.path.read_bytes()
    with workspace.storage.locked():
        os.unlink(workspace.storage.lock_path)
        workspace.storage.lock_path.write_text("")  # a new lock file someone else may now take
        with pytest.raises(storage.LockLost):
            workspace.storage.write(dict(read_file(workspace.path)))
    assert workspace.path.read_bytes() == before
    assert not [name for name in os.listdir(workspace.path.parent) if name.endswith(".tmp")]


# -- files that are no workspace at all ----------------------------------------------------


def run_check(path: Path) -> subprocess.CompletedProcess:
    def limit_memory() -> None:  # were the read unbounded, fail fast instead of eating the machine
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))

    return subprocess.run([sys.executable, "-m", "gtm_tui.cli", "check", str(path)], capture_output=True, text=True,
                          timeout=30, preexec_fn=limit_memory)


def test_a_named_pipe_is_refused_at_once(tmp_path: Path):
    fifo = tmp_path / "pilot.json"
    os.mkfifo(fifo)
    done = run_check(fifo)
    assert done.returncode == 2
    assert "not a regular file" in done.stderr and "Traceback" not in done.stderr
    with pytest.raises(WorkspaceFileError, match="not a regular file"):
        Workspace.open(fifo)


def test_a_folder_is_refused_in_one_line(tmp_path: Path):
    done = run_check(tmp_path)
    assert done.returncode == 2
    assert "is a folder" in done.stderr and "Traceback" not in done.stderr
    with pytest.raises(WorkspaceFileError, match="is a folder"):
        Workspace.open(tmp_path)


def test_dev_zero_is_refused_at_once():
    done = run_check(Path("/dev/zero"))
    assert done.returncode == 2
    assert "not a regular file" in done.stderr and "Traceback" not in done.stderr


def test_an_oversized_file_is_refused_without_reading_it_all(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(storage, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "pilot.json"
    path.write_bytes(b" " * 5000)
    with pytest.raises(WorkspaceFileError, match="larger than"):
        read_file(path)
