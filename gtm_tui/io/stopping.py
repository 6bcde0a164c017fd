"""Stopping an export half way: the app quits while its worker still builds the file.

The app writes an export on a thread of its own, so the keys stay answered
meanwhile; when the app quits, the export must stop and leave nothing
behind. ``exporting.write_export`` runs the exporter under ``stopping(stop)``;
the exporters call ``stop_point()`` in their long loops (a row, an event, a
file of a pack) and right before a file replaces its target, so a stopped
export raises ``ExportStopped`` there: the temp file is removed and the
target is as it was (never half written). Outside ``stopping`` (the command
line) ``stop_point`` does nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar

STOP_EVERY = 200  # rows or events between two looks in a long loop (a look is a function call)

_STOP: ContextVar[Callable[[], bool] | None] = ContextVar("export_stop", default=None)


class ExportStopped(Exception):
    """The export was stopped before it replaced its file (the app quit): nothing was written."""


@contextlib.contextmanager
def stopping(stop: Callable[[], bool] | None) -> Iterator[None]:
    """Inside, ``stop_point`` raises ``ExportStopped`` once ``stop()`` is true (this thread only)."""
    token = _STOP.set(stop)
    try:
        yield
    finally:
        _STOP.reset(token)


def stop_point() -> None:
    """Raise ``ExportStopped`` when the export running here was asked to stop; else nothing."""
    stop = _STOP.get()
    if stop is not None and stop():
        raise ExportStopped("the export was stopped before its file was written")
