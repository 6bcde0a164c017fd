"""How a workspace sits on disk: one TinyDB JSON file, written safely.

``WorkspaceStorage`` is a TinyDB ``Storage``. It

* writes with orjson, indented and key-sorted, so a git diff of a change shows
  that change alone (records are keyed by their own stable id, not by TinyDB's
  counter, so two copies of a file line up); a save told which tables changed
  re-serialises only those and reuses the bytes of the others (``TableBytes``),
  so a keystroke on a big pilot costs the table it touched, not the whole file;
* writes atomically: a temp file in the same folder, flush, fsync, then
  ``os.replace``, so a crash mid-save leaves the previous file whole; temp
  files a killed save left behind are removed at the next open or failed save;
* follows a symbolic link once: it saves to, locks beside and watches the
  file the link points to, so the link (and the team's file) stay in place;
* refuses to replace a file the user may not write (read-only, or another
  user's that is not shared for writing), since a rename would take it over;
* refuses a file that is not valid JSON, not a gtm-tui workspace, or of a newer
  schema, and never writes to a file it refused; reads only regular files and
  at most ``MAX_FILE_BYTES`` (a pipe or ``/dev/zero`` would hang or never end);
* keeps the parsed content in memory and re-reads it only when the file's
  size or modification time says someone else changed it;
* holds an OS lock (``FILE.lock``) around every read-modify-write, created as
  writable for the group and others as the workspace itself is, and checks it
  still holds that very lock file right before the rename.
"""

from __future__ import annotations

import bisect
import contextlib
import errno
import gc
import os
import re
import socket
import stat
import tempfile
import time
from collections.abc import Callable, Collection, Iterator
from itertools import compress
from operator import is_not
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from tinydb import Storage

from gtm_tui import __version__

if TYPE_CHECKING:
    from filelock import BaseFileLock

SCHEMA = 2
META_TABLE = "meta"
META_KEY = "workspace"
APP_NAME = "gtm-tui"
LOCK_TIMEOUT = 10.0  # seconds; past this a save reports the lock instead of freezing
MAX_FILE_BYTES = 256 * 1024 * 1024  # far beyond a real pilot (50,000 records is ~30 MB); bounds a read
STALE_TEMP_SECONDS = 600  # a temp file from another machine older than this is a dead save's leftover

_DUMP_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE
_INDENT_SORTED = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS


class WorkspaceFileError(Exception):
    """The file cannot be used as a workspace; the message says why in plain words."""


class SaveError(Exception):
    """A change could not be written; the file on disk is as it was before it."""


class LockLost(SaveError):
    """The lock file was deleted or replaced while this save held it; the save must be redone under a new lock."""


def meta_record() -> dict[str, Any]:
    """The meta record written into every workspace."""
    return {"app": APP_NAME, "app_version": __version__, "schema": SCHEMA}


def dump(tables: dict[str, Any]) -> bytes:
    """The bytes of a workspace file: stable, indented, UTF-8, ending in a newline."""
    return orjson.dumps(tables, option=_DUMP_OPTIONS)


class TableBytes:
    """Builds the bytes ``dump`` would, re-serialising only the records that changed since the last call.

    The file is one JSON object of tables; each table's part is the table
    dumped on its own with every line indented two more spaces (JSON strings
    never hold a raw newline, so indenting after each one is exact). A table
    that is the very object dumped last time, and that the caller says did not
    change, is reused whole. Any other table is compared with the one dumped
    last time record by record, by identity: a record that is not the very
    object dumped then (added, replaced, or gone) has its piece of the part
    written anew, in key order, and every other piece is kept as it was.
    Records are never changed in place (the Workspace puts a new dict in a new
    table); a table may be, and is then compared like any other.
    """

    # Past this many changed records of a table, dumping it whole is as quick as patching it.
    PATCH_LIMIT = 64

    def __init__(self) -> None:
        self._parts: dict[str, _TablePart] = {}

    def dump(self, tables: dict[str, Any], changed: Collection[str] | None = None) -> bytes:
        """``dump(tables)``; ``changed`` names the tables that may differ from the last call (None: any)."""
        if not tables:
            return dump(tables)
        kept: dict[str, _TablePart] = {}
        for name in sorted(tables):  # code point order: orjson's key order
            table = tables[name]
            old = self._parts.get(name)
            if old is None or changed is None or name == META_TABLE:
                # the meta record is rewritten in place on every save: always dumped
                kept[name] = _TablePart.whole(name, table)
            elif name not in changed and old.table is table:
                kept[name] = old
            else:
                kept[name] = old.patched(table, self.PATCH_LIMIT) or _TablePart.whole(name, table)
        self._parts = kept
        pieces = [b"{\n"]
        for kept_part in kept.values():
            pieces += kept_part.pieces()
            pieces.append(b",\n")
        pieces[-1] = b"\n}\n"
        return b"".join(pieces)  # one copy of the whole file, not one per concatenation

    def forget(self) -> None:
        self._parts = {}


_TABLE_END = b"\n  }"  # how a table's part ends (a table with records)
_RECORD_START = b'\n    "'  # how each record's piece of it starts: its key, four spaces in; deeper lines have six


def _record_piece(record_id: str, record: Any) -> bytes:
    """A record as it sits in its table's part: its key line and its fields, without the comma after it."""
    body = orjson.dumps(record, option=_INDENT_SORTED).replace(b"\n", b"\n    ")
    return _RECORD_START + orjson.dumps(record_id)[1:] + b": " + body


def _differing(table: dict[str, Any], old: dict[str, Any]) -> list[str]:
    """The keys of ``table`` whose record is not the very object ``old`` held (added or replaced)."""
    keys, known = list(table), list(old)
    if keys[: len(known)] == known:  # the usual: records replaced where they were, new ones after them
        return [*compress(keys, map(is_not, table.values(), old.values())), *keys[len(known) :]]
    return [key for key, record in table.items() if old.get(key) is not record]


class _TablePart:
    """A table as last dumped: the table, which record object each key held then, and the table's bytes.

    The bytes are one piece (as dumped whole) until a record is first patched
    in; from then on ``head``, one piece a record in key order (each but the
    last ending in its comma) and ``_TABLE_END``, so a change costs its own
    records and the file's one join, whatever the table's size.
    """

    __slots__ = ("head", "order", "part", "records", "rows", "table")

    def __init__(self, table: Any, part: bytes = b"") -> None:
        self.table = table
        # a copy, so a table changed in place is still compared with what was dumped
        self.records: dict[str, Any] | None = dict(table) if type(table) is dict else None
        self.part = part
        self.head = b""
        self.rows: list[bytes] | None = None
        self.order: list[str] = []  # the keys of ``rows``, in file (code point) order

    @classmethod
    def whole(cls, name: str, table: Any) -> _TablePart:
        body = orjson.dumps(table, option=_INDENT_SORTED).replace(b"\n", b"\n  ")
        return cls(table, b"  " + orjson.dumps(name) + b": " + body)

    def pieces(self) -> list[bytes]:
        return [self.part] if self.rows is None else [self.head, *self.rows, _TABLE_END]

    def _split(self) -> bool:
        """Cut the part dumped whole into a piece per record; False when it does not cut as expected."""
        if self.rows is not None:
            return True
        cuts = self.part.split(_RECORD_START)
        if self.records is None or len(cuts) != len(self.records) + 1 or not cuts[-1].endswith(_TABLE_END):
            return False
        cuts[-1] = cuts[-1][: -len(_TABLE_END)]
        self.head = cuts[0]
        self.rows = [_RECORD_START + cut for cut in cuts[1:]]
        self.order = sorted(self.records)  # code point order, as orjson sorts keys
        self.part = b""
        return True

    def patched(self, table: Any, limit: int) -> _TablePart | None:
        """This part with the records of ``table`` that differ from the ones dumped written anew, or None
        when the table is best dumped whole (empty before or after, many changes, not a table of records)."""
        old = self.records
        if type(table) is not dict or not table or not old:
            return None
        differ = _differing(table, old)
        added = sum(1 for key in differ if key not in old)
        gone = [key for key in old if key not in table] if len(old) != len(table) - added else []
        if len(differ) + len(gone) > limit or not self._split():
            return None
        assert self.rows is not None
        rows, order = list(self.rows), list(self.order)
        for key in gone:
            at = bisect.bisect_left(order, key)
            del rows[at], order[at]
            if at == len(rows) and rows:  # the last record went: the one before it loses its comma
                rows[-1] = rows[-1][:-1]
        for key in differ:
            piece = _record_piece(key, table[key])
            at = bisect.bisect_left(order, key)
            if at < len(order) and order[at] == key:  # replaced
                rows[at] = piece + b"," if at < len(rows) - 1 else piece
            elif at < len(order):  # added before another
                rows.insert(at, piece + b",")
                order.insert(at, key)
            else:  # added after the last: that one gains a comma
                if rows:
                    rows[-1] += b","
                rows.append(piece)
                order.append(key)
        patched = _TablePart(table)
        patched.head, patched.rows, patched.order = self.head, rows, order
        return patched


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Hold off Python's cyclic garbage collector while a file's records are made.

    Parsing makes a pilot's hundreds of thousands of dicts, lists and strings
    in one go; each few hundred of them started a collection that walked the
    objects made so far again (a third of the parse at 10,000 records). JSON
    makes no reference cycles, so nothing is left for the collector to find.
    """
    if not gc.isenabled():  # already paused by a caller
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def parse(payload: bytes, path: Path | str) -> dict[str, Any]:
    """Parse and vet a workspace file's bytes; raise ``WorkspaceFileError`` with a clear reason."""
    name = Path(path).name
    if not payload.strip():
        raise WorkspaceFileError(f"{name} is empty: it is not a gtm-tui workspace")
    try:
        with collector_paused():
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
            raise WorkspaceFileError(
                f"{name}: table '{table_name}' is damaged (records must be objects); it was left untouched"
            )
    return tables


def read_bytes(path: Path | str) -> bytes:
    """The bytes of a regular file, at most ``MAX_FILE_BYTES``; ``WorkspaceFileError`` says why not.

    Opened without blocking and checked before reading, so a named pipe or a
    device (``/dev/zero``) is refused at once instead of hanging or reading forever.
    """
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise WorkspaceFileError(f"{path} does not exist") from None
    except IsADirectoryError:
        raise WorkspaceFileError(f"{path} is a folder, not a workspace file") from None
    except OSError as error:
        raise WorkspaceFileError(f"{path} cannot be read: {error.strerror or error}") from None
    # Checked before the file object is made: a folder opens on Linux, and os.fdopen would then raise.
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        if stat.S_ISDIR(info.st_mode):
            raise WorkspaceFileError(f"{path} is a folder, not a workspace file")
        raise WorkspaceFileError(
            f"{path} is not a regular file (a pipe or a device); gtm-tui only opens workspace files"
        )
    with os.fdopen(fd, "rb") as handle:
        try:
            # Asked for the size it has (and a byte more, to read on should it have grown since): asking for
            # MAX_FILE_BYTES at once makes Python set that much memory aside first, a millisecond a read.
            size = info.st_size
            payload = handle.read(min(size, MAX_FILE_BYTES) + 1)
            if len(payload) > size:
                payload += handle.read(MAX_FILE_BYTES + 1 - len(payload))
        except OSError as error:
            raise WorkspaceFileError(f"{path} cannot be read: {error.strerror or error}") from None
    if len(payload) > MAX_FILE_BYTES:
        raise WorkspaceFileError(f"{path} is larger than {MAX_FILE_BYTES // 2**20} MB: it is not a gtm-tui workspace")
    return payload


def read_file(path: Path | str) -> dict[str, Any]:
    """Read and vet a workspace file, turning OS errors into a clear message."""
    return parse(read_bytes(path), path)


def real_path(path: str | os.PathLike[str]) -> Path:
    """The file a path names, through any symbolic links: saving there keeps the link (and the shared file) in place."""
    return Path(os.path.realpath(path))


def _may_write(info: os.stat_result) -> bool:
    """Whether the permission bits let this user write the file.

    Root's override aside: a save must not take it over.
    """
    if info.st_uid == os.geteuid():
        return bool(info.st_mode & stat.S_IWUSR)
    if info.st_gid in {os.getegid(), *os.getgroups()}:
        return bool(info.st_mode & stat.S_IWGRP)
    return bool(info.st_mode & stat.S_IWOTH)


def write_refusal(path: Path | str) -> str | None:
    """Why a save must not replace ``path`` (None when it may, or when the file does not exist yet)."""
    path = Path(path)
    try:
        info = os.stat(path)
    except OSError:
        return None
    if _may_write(info):
        return None
    mode = f"mode {stat.S_IMODE(info.st_mode):04o}"
    if info.st_uid != os.geteuid():
        return (f"{path.name} belongs to another user (uid {info.st_uid}, {mode}) and is not shared for writing; "
                "a save would take it over. Ask its owner to make it group-writable (chmod g+w)")
    return f"{path.name} is read-only ({mode}); make it writable (chmod u+w) to save"


_TEMP_MARK = re.compile(r"\.(?P<host>[A-Za-z0-9_-]*)-(?P<pid>\d+)\.[A-Za-z0-9_]+\.tmp$")


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", socket.gethostname())[:40]


def _temp_prefix(path: Path) -> str:
    """Temp files are named ``.NAME.HOST-PID.XXXX.tmp``: who wrote one tells whether it is a dead save's leftover."""
    return f".{path.name}.{_host()}-{os.getpid()}."


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's live process
    return True


def cleanup_temp_files(path: Path | str, *, max_age: float = STALE_TEMP_SECONDS) -> list[Path]:
    """Remove the temp files a killed save left beside ``path``; return what was removed.

    A temp file of ours (``.NAME.*.tmp``) is a leftover when its process on this
    machine is gone, or, written elsewhere (a shared drive), when it is older
    than ``max_age``. A file another live process is writing is never touched.
    """
    path = Path(path)
    return remove_stale_temp_files(path.parent, f".{path.name}.", max_age=max_age)


def remove_stale_temp_files(folder: Path, prefix: str, *, max_age: float = STALE_TEMP_SECONDS) -> list[Path]:
    """``cleanup_temp_files`` for the temp files in ``folder`` whose names start with ``prefix``."""
    removed: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    host, now = _host(), time.time()
    for name in names:
        if not (name.startswith(prefix) and name.endswith(".tmp")):
            continue
        candidate = folder / name
        mark = _TEMP_MARK.search(name)
        if mark and mark["host"] == host:
            stale = int(mark["pid"]) != os.getpid() and not _alive(int(mark["pid"]))
        else:
            try:
                stale = now - candidate.stat().st_mtime > max_age
            except OSError:
                continue
        if stale:
            with contextlib.suppress(OSError):
                candidate.unlink()
                removed.append(candidate)
    return removed


def write_atomically(path: Path | str, payload: bytes, *, before_replace: Callable[[], None] | None = None) -> None:
    """Replace ``path`` with ``payload`` so that a crash at any point leaves either the old or the new file.

    A symbolic link is followed (its target is replaced, the link stays). A
    file the user may not write is refused with ``PermissionError`` before
    anything is written. The new file keeps the old one's mode, group and (where
    allowed) owner. ``before_replace`` runs right before the rename and may
    raise to call it off.
    """
    path = real_path(path)
    folder = path.parent
    refusal = write_refusal(path)
    if refusal:
        raise PermissionError(errno.EACCES, refusal)
    try:
        old = os.stat(path)
    except OSError:
        old = None
    fd, temp_name = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            os.chmod(temp_name, stat.S_IMODE(old.st_mode) if old else 0o644)
        if old is not None and (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
            # Keep the file the team's: its owner where we may (root), else at least its group.
            try:
                os.chown(temp_name, old.st_uid, old.st_gid)
            except OSError:
                with contextlib.suppress(OSError):
                    os.chown(temp_name, -1, old.st_gid)
        if before_replace is not None:
            before_replace()
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


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def schema_of(tables: dict[str, Any]) -> int:
    """The schema number a parsed workspace says it was written in."""
    return int(tables.get(META_TABLE, {}).get(META_KEY, {}).get("schema", SCHEMA))


class WorkspaceStorage(Storage):
    """TinyDB storage for one workspace file (see the module docstring)."""

    def __init__(
        self, path: str | os.PathLike[str], vet: Callable[[dict[str, Any], dict[str, Any] | None], None] | None = None
    ) -> None:
        self.path = real_path(path)
        # ``vet(tables, earlier)`` may refuse what was read (``WorkspaceFileError``) before memory takes it.
        self._vet = vet
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self._lock: BaseFileLock | None = None  # made at the first save (``locked``)
        self.lock_timeout = LOCK_TIMEOUT
        self._lock_depth = 0
        self._lock_identity: tuple[int, int] | None = None  # (device, inode) of the lock file this process holds
        self._tables: dict[str, Any] | None = None
        self._signature: tuple[int, ...] | None = None
        self._payload: bytes | None = None  # the bytes last read or written, to tell a change for sure
        self._bytes = TableBytes()

    # -- TinyDB's Storage interface -------------------------------------------
    def read(self) -> dict[str, Any]:
        """The whole workspace, from memory unless the file changed on disk.

        When the file became unusable (emptied, deleted, a newer version's) the
        last good content stays in memory: the screens keep showing it, and a
        save or ``reload`` says what happened.
        """
        if self._tables is None:
            self._load()
        elif self.changed_on_disk():
            with contextlib.suppress(WorkspaceFileError):
                self._load()
        assert self._tables is not None
        return self._tables

    def reload(self) -> dict[str, Any]:
        """Read the file again now; ``WorkspaceFileError`` (memory untouched) when it cannot be used."""
        self._load()
        assert self._tables is not None
        return self._tables

    def write(self, data: dict[str, Any], changed: Collection[str] | None = None) -> None:
        """Write the whole workspace atomically, under the lock file.

        ``changed`` names the tables that differ from the last read or write
        (the others being the very same objects), so only those are
        serialised again; None (TinyDB's own calls) serialises everything.
        Raises ``LockLost`` (nothing written) when the lock file this save holds
        was deleted or replaced meanwhile: another writer may have got in.
        """
        data.setdefault(META_TABLE, {})[META_KEY] = meta_record()
        payload = self._bytes.dump(data, changed)
        with self.locked():
            write_atomically(self.path, payload, before_replace=self._check_lock)
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
            return read_bytes(self.path) != self._payload
        except WorkspaceFileError:
            return True

    @property
    def tables(self) -> dict[str, Any] | None:
        """What memory holds (None when nothing was read yet), without touching the disk."""
        return self._tables

    def forget(self) -> None:
        """Drop the in-memory copy (after a failed save) so the next read comes from disk."""
        self._bytes.forget()
        self._tables = None
        self._signature = None
        self._payload = None

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the lock file beside the workspace, or raise ``SaveError`` after ``LOCK_TIMEOUT``."""
        # Imported at the first save, not at start-up: filelock's import is some 7 ms of the first frame's
        # wait (python -X importtime), and opening a file to read it takes no lock.
        from filelock import FileLock, Timeout

        if self._lock is None:
            # An OS lock (flock): it is released when the holder's process dies, so a
            # stale lock file left by a crash is simply taken over.
            self._lock = FileLock(str(self.lock_path), timeout=LOCK_TIMEOUT)
        try:
            self._lock.acquire(timeout=self.lock_timeout)
        except Timeout:
            raise SaveError(
                f"{self.path.name} is locked by another gtm-tui (lock file {self.lock_path.name}) "
                f"for more than {self.lock_timeout:g} s; your change was not saved, try again"
            ) from None
        except PermissionError:
            raise SaveError(self._lock_refusal()) from None
        except OSError as error:
            raise SaveError(
                f"cannot take the lock file {self.lock_path.name}: {error.strerror or error}; your change was not saved"
            ) from None
        self._lock_depth += 1
        try:
            if self._lock_depth == 1:
                self._lock_identity = _identity(self.lock_path)
                self._share_lock_file()
            yield
        finally:
            self._lock_depth -= 1
            if self._lock_depth == 0:
                self._lock_identity = None
            self._lock.release()

    def _check_lock(self) -> None:
        """Raise ``LockLost`` unless the lock file beside the workspace is still the one this process locked."""
        if self._lock_identity is None or _identity(self.lock_path) != self._lock_identity:
            raise LockLost(
                f"the lock file {self.lock_path.name} was deleted or replaced during the save; "
                "it is taken again and the save redone"
            )

    def _share_lock_file(self) -> None:
        """Give the lock file the workspace's group and other write bits, so every teammate who may save can lock.

        Only its owner can change it; best effort, the save goes on either way.
        """
        try:
            lock, workspace = os.stat(self.lock_path), os.stat(self.path)
        except OSError:
            return
        shared = stat.S_IMODE(workspace.st_mode) & (stat.S_IRGRP | stat.S_IWGRP | stat.S_IROTH | stat.S_IWOTH)
        wanted = stat.S_IMODE(lock.st_mode) | shared
        if lock.st_uid == os.geteuid() and wanted != stat.S_IMODE(lock.st_mode):
            with contextlib.suppress(OSError):
                os.chmod(self.lock_path, wanted)
                if workspace.st_gid != lock.st_gid:
                    os.chown(self.lock_path, -1, workspace.st_gid)

    def _lock_refusal(self) -> str:
        try:
            info = os.stat(self.lock_path)
        except OSError:
            return (f"cannot create the lock file {self.lock_path.name}: the folder {self.path.parent} is not writable "
                    "for you; your change was not saved")
        return (
            f"the lock file {self.lock_path.name} belongs to another user (uid {info.st_uid}, mode "
            f"{stat.S_IMODE(info.st_mode):04o}) and is not writable for you, so you cannot save: ask them to run "
            f"chmod g+w {self.lock_path.name} (or delete it while no gtm-tui has the file open); "
            "your change was not saved"
        )

    def _load(self) -> None:
        signature = _signature(self.path)
        payload = read_bytes(self.path)
        tables = parse(payload, self.path)
        if self._vet is not None:
            self._vet(tables, self._tables)
        self._tables = tables
        self._signature = signature
        self._payload = payload


class FrozenStorage(WorkspaceStorage):
    """The content of a workspace as it was at one moment: never re-read, never written (``Workspace.snapshot``).

    It shares the tables it was given: a save never changes a table in place
    (it builds the changed tables anew, see ``Workspace._write``), so they stay
    as they were while the app goes on saving. Any save through it is refused.
    """

    def __init__(self, path: str | os.PathLike[str], tables: dict[str, Any]) -> None:
        super().__init__(path)
        # The meta record is the one part a save rewrites in place (``write``): this copy keeps its own.
        self._tables = {**tables, META_TABLE: dict(tables.get(META_TABLE, {}))}

    def read(self) -> dict[str, Any]:
        assert self._tables is not None
        return self._tables

    def reload(self) -> dict[str, Any]:
        return self.read()

    def changed_on_disk(self, *, thorough: bool = False) -> bool:
        return False

    def write(self, data: dict[str, Any], changed: Collection[str] | None = None) -> None:
        raise SaveError(f"a snapshot of {self.path.name} is read-only; nothing was saved")

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Refused: a snapshot takes no lock, since it never saves."""
        raise SaveError(f"a snapshot of {self.path.name} is read-only; nothing was saved")
        yield  # a generator all the same, as contextmanager wants

    def forget(self) -> None:
        """Nothing to forget: the snapshot is what it is."""
