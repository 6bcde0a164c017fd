"""Exports written on a worker thread: the keys stay answered while a big pilot's workbook is written.

At 50,000 records a workbook takes seconds to write (openpyxl, icalendar);
the app must not wait on it. Once the Export… form (or the Report's save)
has checked where the file goes, ``ExportJobs.start`` takes a snapshot of the
pilot on the app's thread (``Workspace.snapshot``: what the user sees at that
moment, whatever they change meanwhile), says at once that the export is
under way (a toast, and the status line until it ends) and writes it in a
Textual thread worker. When the worker ends the app says where the file is,
or why it could not be written, in a toast — never a traceback. Every file
is written atomically, so a failed export leaves the old file (or none),
never half of one.

Quitting while an export runs asks first (``describe`` lists it beside the
unsaved work). However the app ends, Textual cancels its workers; an export
worker sees it at its next look (``io/stopping.py``) and replaces no file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from textual.app import App
from textual.worker import Worker, WorkerState, get_current_worker

from gtm_tui.data.model import ValidationError
from gtm_tui.data.workspace import Workspace
from gtm_tui.io.exporting import LABELS, targets, write_export
from gtm_tui.io.stopping import ExportStopped

GROUP = "export"  # the workers' group: tests and the benchmark wait for it


def offer(app: App, workspace: Workspace, fmt: str, out: Path, *, title: str = "Exported") -> None:
    """Say where the export went; in a browser session also hand its files to the browser as downloads."""
    app.notify(f"{LABELS.get(fmt, fmt)} written to {out}", title=title)
    if app.is_web:
        for path in targets(workspace, fmt, out):
            app.deliver_binary(path, save_filename=path.name)


@dataclass
class ExportJob:
    """One export being written: what, where, from which snapshot."""

    fmt: str
    out: Path
    workspace: Workspace  # the snapshot it writes
    title: str = "Exported"

    def describe(self) -> str:
        return f"the export to {self.out}, still being written (quitting stops it; nothing is written)"


class ExportJobs:
    """The exports this app is writing, each in a thread worker of its own."""

    def __init__(self, app: App, changed: Callable[[], None] = lambda: None) -> None:
        self._app = app
        self._changed = changed  # an export started or ended: the app's status line says which run
        self._jobs: dict[Worker[Path], ExportJob] = {}

    def running(self) -> list[ExportJob]:
        return list(self._jobs.values())

    def describe(self) -> str:
        """For the status line: "exporting pilot.xlsx …" while exports run, else ""."""
        names = ", ".join(job.out.name for job in self._jobs.values())
        return f"exporting {names} …" if names else ""

    def check_free(self, out: Path) -> None:
        """Refuse (``ValidationError``) a second export to a file an export is still writing."""
        if any(job.out == out for job in self._jobs.values()):
            raise ValidationError("path", f"{out} is still being written by an export; wait for it or give "
                                          "another name")

    def start(self, workspace: Workspace, fmt: str, out: Path, *, title: str = "Exported") -> ExportJob:
        """Write ``fmt`` to ``out`` (its target checked) from a snapshot of ``workspace``, off the app's thread."""
        self.check_free(out)
        job = ExportJob(fmt, out, workspace.snapshot(), title)

        def work() -> Path:  # on the worker's thread
            worker = get_current_worker()
            return write_export(job.workspace, fmt, out, stop=lambda: worker.is_cancelled)

        worker = self._app.run_worker(work, name=f"export {fmt} to {out}", group=GROUP, thread=True,
                                      exit_on_error=False)
        self._jobs[worker] = job
        self._changed()
        self._app.notify(f"Writing the {LABELS.get(fmt, fmt)} to {out} … the keys work meanwhile.",
                         title="Exporting")
        return job

    def settled(self, worker: Worker) -> None:
        """A worker changed state (``Worker.StateChanged``): when it is an export that ended, say how it went."""
        job = self._jobs.get(worker)
        if job is None or worker.state not in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            return
        del self._jobs[worker]
        self._changed()
        if worker.state == WorkerState.SUCCESS:
            offer(self._app, job.workspace, job.fmt, job.out, title=job.title)
            return
        error = worker.error
        if worker.state == WorkerState.CANCELLED or isinstance(error, ExportStopped):
            return  # the app is quitting; nothing was written
        if isinstance(error, ValidationError):
            message = f"{error.reason} — nothing was written"
        else:  # a fault of ours: said in words, the old file (if any) left as it was
            message = f"{job.out} could not be written ({type(error).__name__}: {error}); nothing was written"
        self._app.notify(message, title="Not exported", severity="error", timeout=15)
