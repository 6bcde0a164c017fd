"""How a workspace sits on disk: one TinyDB JSON file, written safely.

``WorkspaceStorage`` is a TinyDB ``Storage``. It

* writes with orjson, indented and key-sorted, so a git diff of a change shows
  that change alone (records are keyed by their own stable id, not by TinyDB's
  counter, so two copies of a file line up);
* writes atomically: a temp file in the same folder, flush, fsync, then
  ``os.replace``, so a crash mid-save leaves the previous file whole;
* refuses a file that is not valid JSON, not a gtm-tui workspace, or of a newer
  schema, and never writes to a file it refused;
* keeps the parsed content in memory and re-reads it only when the file's
  size or modification time says someone else changed it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any, Iterator

import orjson
from filelock import FileLock, Timeout
from tinydb import Storage

from gtm_tui import __version__

SCHEMA = 2
META_TABLE = "meta"
META_KEY = "workspace"
APP_NAME = "gtm-tui"
LOCK_TIMEOUT = 10.0  # seconds; past this a save reports the lock instead of freezing

_DUMP_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE


class WorkspaceFileError(Exception):
    """The file cannot be used as a workspace; the message says why in plain words."""


class SaveError(Exception):
    """A change could not be written; the file on disk is as it was before it."""


def meta_record() -> dict[str, Any]:
    """The meta record written into every workspace."""
    return {"app": APP_NAME, "app_version": __version__, "schema": SCHEMA}


def dump(tables: dict[str, Any]) -> bytes:
    """The bytes of a workspace file: stable, indented, UTF-8, ending in a newline."""
    return orjson.dumps(tables, option=_DUMP_OPTIONS)


def parse(payload: bytes, path: Path | str) -> dict[str, Any]:
    """Parse and vet a workspace file's bytes; raise ``WorkspaceFileError`` with a clear reason."""
    name = Path(path).name
    if not payload.strip():
        raise WorkspaceFileError(f"{name} is empty: it is not a gtm-tui workspace")
    try:
        tables = orjson.loads(payload)
    except orjson.JSONDecodeError as error:
        raise WorkspaceFileError(f"{name} is not valid JSON ({error}); it was left untouched") from None
    if not isinstance(tables, dict) or not isinstance(tables.get(META_TABLE), dict):
        raise WorkspaceFileError(f"{name} is JSON but not a gtm-tui workspace (no meta record); it was left untouched")
    meta = tables[META_TABLE].get(META_KEY)
    if not isinstance(meta, dict) or meta.get("app") != APP_NAME or not isinstance(meta.get("schema"), int):
        raise WorkspaceFileError(f"{name} is JSON but not a gtm-tui workspace; it was left untouched")
    if meta["schema"] > SCHEMA:
        raise WorkspaceFileError(
            f"{name} was written by a newer gtm-tui (schema {meta['schema']}, "
            f"version {meta.get('app_version', '?')}); this version reads schema {SCHEMA} or older. "
            "Upgrade gtm-tui to open it; the file was left untouched."
        )
    for table_name, table in tables.items():
        if not isinstance(table, dict) or not all(isinstance(doc, dict) for doc in table.values()):
            raise WorkspaceFileError(f"{name}: table '{table_name}' is damaged (records must be objects); it was left untouched")
    return tables


def read_file(path: Path | str) -> dict[str, Any]:
    """Read and vet a workspace file, turning OS errors into a clear message."""
    path = Path(path)
    try:
        payload = path.read_bytes()
    except FileNotFoundError:
        raise WorkspaceFileError(f"{path} does not exist") from None
    except IsADirectoryError:
        raise WorkspaceFileError(f"{path} is a folder, not a workspace file") from None
    except OSError as error:
        raise WorkspaceFileError(f"{path} cannot be read: {error.strerror or error}") from None
    return parse(payload, path)


def write_atomically(path: Path | str, payload: bytes) -> None:
    """Replace ``path`` with ``payload`` so that a crash at any point leaves either the old or the new file."""
    path = Path(path)
    folder = path.parent
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            os.chmod(temp_name, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    # Make the rename itself durable (POSIX); harmless to skip where unsupported.
    with contextlib.suppress(OSError, AttributeError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _signature(path: Path) -> tuple[int, ...] | None:
    """What a cheap ``stat`` says about the file: a new inode means an atomic save replaced it."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino, stat.st_ctime_ns)


def schema_of(tables: dict[str, Any]) -> int:
    """The schema number a parsed workspace says it was written in."""
    return int(tables.get(META_TABLE, {}).get(META_KEY, {}).get("schema", SCHEMA))


class WorkspaceStorage(Storage):
    """TinyDB storage for one workspace file (see the module docstring)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        # An OS lock (flock): it is released when the holder's process dies, so a
        # stale lock file left by a crash is simply taken over.
        self._lock = FileLock(str(self.lock_path), timeout=LOCK_TIMEOUT)
        self.lock_timeout = LOCK_TIMEOUT
        self._tables: dict[str, Any] | None = None
        self._signature: tuple[int, ...] | None = None
        self._payload: bytes | None = None  # the bytes last read or written, to tell a change for sure

    # -- TinyDB's Storage interface -------------------------------------------
    def read(self) -> dict[str, Any]:
        """The whole workspace, from memory unless the file changed on disk."""
        if self._tables is None or self.changed_on_disk():
            self._load()
        assert self._tables is not None
        return self._tables

    def write(self, data: dict[str, Any]) -> None:
        """Write the whole workspace atomically, under the lock file."""
        data.setdefault(META_TABLE, {})[META_KEY] = meta_record()
        payload = dump(data)
        with self.locked():
            write_atomically(self.path, payload)
            self._signature = _signature(self.path)
        self._tables = data
        self._payload = payload

    def close(self) -> None:
        self._tables = None

    # -- beyond TinyDB ----------------------------------------------------------
    def changed_on_disk(self, *, thorough: bool = False) -> bool:
        """True when the file differs from what was last read or written.

        The cheap check compares size, mtime and inode (enough to poll once a
        second); ``thorough`` also compares the bytes, for use under the lock
        right before a save, where two saves in one mtime tick must not be
        mistaken for none.
        """
        if _signature(self.path) != self._signature:
            return True
        if not thorough or self._payload is None:
            return False
        try:
            return self.path.read_bytes() != self._payload
        except OSError:
            return True

    @property
    def tables(self) -> dict[str, Any] | None:
        """What memory holds (None when nothing was read yet), without touching the disk."""
        return self._tables

    def forget(self) -> None:
        """Drop the in-memory copy (after a failed save) so the next read comes from disk."""
        self._tables = None
        self._signature = None
        self._payload = None

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the lock file beside the workspace, or raise ``SaveError`` after ``LOCK_TIMEOUT``."""
        try:
            self._lock.acquire(timeout=self.lock_timeout)
        except Timeout:
            raise SaveError(
                f"{self.path.name} is locked by another gtm-tui (lock file {self.lock_path.name}) "
                f"for more than {self.lock_timeout:g} s; your change was not saved, try again"
            ) from None
        except OSError as error:
            raise SaveError(
                f"cannot take the lock file {self.lock_path.name}: {error.strerror or error}; your change was not saved"
            ) from None
        try:
            yield
        finally:
            self._lock.release()

    def _load(self) -> None:
        signature = _signature(self.path)
        try:
            payload = self.path.read_bytes()
        except OSError:
            read_file(self.path)  # raises the clear message
            raise
        self._tables = parse(payload, self.path)
        self._signature = signature
        self._payload = payload
