"""What the Checklists screen lists, as rows: runs per stage or per item, my open steps, a stage's steps.

Three ways to look at the same steps, each a flat list of ``ViewRow`` the
screen draws as they come (a header row, then what is under it):

* **Runs** — per stage in process order, the runs under way there (each piece
  in the stage, and the stage's own run carried over from schema 1) with their
  steps; a piece in a stage without a run says so (``r`` starts it). Picking a
  piece shows all its runs, ended ones too, in the order they ran.
* **My open steps** — one person's open steps across every piece, the most
  urgent first.
* **Stage steps** — the steps each stage's runs are copied from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from gtm_tui.checklists.checklist_items import ChecklistFilter, Progress
from gtm_tui.checklists.runs import RunIndex, stage_steps
from gtm_tui.data.model import ChecklistItem, Run, Stage, Step, WorkItem
from gtm_tui.data.order import order_key

VIEWS = ("runs", "mine", "steps")
VIEW_NAMES = {"runs": "Runs", "mine": "My open steps", "steps": "Stage steps"}

STAGE_ROW = "stage:"
RUN_ROW = "run:"
NO_RUN_ROW = "norun:"  # a piece in a stage without a run there
LOOSE_ROW = "loose:"  # steps in no run (a check item an import brought), under their piece or stage


@dataclass(frozen=True)
class ViewRow:
    """One row: a stage header, a run header, a piece without a run, a run's step or a stage step."""

    kind: str  # "stage", "run", "norun", "loose", "step", "stage-step"
    key: str  # the row's key: a record id, or a prefixed one for headers
    record: Stage | Run | WorkItem | ChecklistItem | Step
    item: WorkItem | None = None  # the piece a run or step belongs to
    progress: Progress | None = None


def _run_sort(run: Run, items: dict[str, WorkItem]) -> tuple:
    item = items.get(run.work_item_id or "")
    return (item is not None, (item.title.casefold() if item else ""), run.started_at, run.id)


def _run_rows(run: Run, index: RunIndex, items: dict[str, WorkItem], item_filter: ChecklistFilter,
              today: date) -> list[ViewRow]:
    steps = index.steps_of(run.id)
    matching = [step for step in steps if item_filter.matches(step, today)]
    if item_filter.active and not matching:
        return []
    item = items.get(run.work_item_id or "")
    progress = Progress(sum(1 for step in steps if step.done), len(steps))
    rows = [ViewRow("run", RUN_ROW + run.id, run, item, progress)]
    rows += [ViewRow("step", step.id, step, item) for step in matching]
    return rows


def _loose_rows(stage: Stage, steps: list[ChecklistItem], items: dict[str, WorkItem], item_filter: ChecklistFilter,
                today: date) -> list[ViewRow]:
    """Steps in no run, per piece (or the stage's own), each group under a header row."""
    groups: dict[str, list[ChecklistItem]] = {}
    for step in steps:
        groups.setdefault(step.work_item_id or "", []).append(step)
    rows: list[ViewRow] = []
    for item_id in sorted(groups, key=lambda key: (key != "", items[key].title.casefold() if key in items else "")):
        group = sorted(groups[item_id], key=order_key)
        matching = [step for step in group if item_filter.matches(step, today)]
        if item_filter.active and not matching:
            continue
        progress = Progress(sum(1 for step in group if step.done), len(group))
        rows.append(ViewRow("loose", f"{LOOSE_ROW}{stage.id}:{item_id}", stage, items.get(item_id), progress))
        rows += [ViewRow("step", step.id, step, items.get(item_id)) for step in matching]
    return rows


def runs_rows(stages: Sequence[Stage], work_items: Iterable[WorkItem], index: RunIndex,
              item_filter: ChecklistFilter, today: date, *, picked_item: str | None = None) -> list[ViewRow]:
    """The Runs view: per stage, the runs under way and their steps; or, for a picked piece, all its runs."""
    items = {item.id: item for item in work_items}
    loose: dict[str, list[ChecklistItem]] = {}
    for step in index.loose:
        if picked_item is None or step.work_item_id == picked_item:
            loose.setdefault(step.stage_id, []).append(step)
    if picked_item is not None:
        rows: list[ViewRow] = []
        for run in index.runs_of(picked_item):
            rows += _run_rows(run, index, items, item_filter, today)
        for stage in stages:
            rows += _loose_rows(stage, loose.get(stage.id, []), items, item_filter, today)
        return rows
    open_by_stage: dict[str, list[Run]] = {}
    for run in index.runs.values():
        if run.open:
            open_by_stage.setdefault(run.stage_id, []).append(run)
    with_run = {run.work_item_id for runs in open_by_stage.values() for run in runs if run.work_item_id}
    waiting: dict[str, list[WorkItem]] = {}
    for item in items.values():
        if item.stage_id and item.id not in with_run and item.status != "done":
            waiting.setdefault(item.stage_id, []).append(item)
    result = []
    for stage in stages:
        if item_filter.stage_id and stage.id != item_filter.stage_id:
            continue
        runs = sorted(open_by_stage.get(stage.id, []), key=lambda run: _run_sort(run, items))
        body: list[ViewRow] = []
        done = total = 0
        for run in runs:
            progress = index.progress(run.id)
            done, total = done + progress.done, total + progress.total
            body += _run_rows(run, index, items, item_filter, today)
        for step in loose.get(stage.id, []):
            done, total = done + step.done, total + 1
        body += _loose_rows(stage, loose.get(stage.id, []), items, item_filter, today)
        if not item_filter.active:
            body += [ViewRow("norun", NO_RUN_ROW + item.id, item, item)
                     for item in sorted(waiting.get(stage.id, []), key=lambda i: (i.title.casefold(), i.id))]
        if body or not item_filter.active or item_filter.stage_id == stage.id:
            result.append(ViewRow("stage", STAGE_ROW + stage.id, stage, None, Progress(done, total)))
            result += body
    return result


def my_open_rows(person_id: str | None, work_items: Iterable[WorkItem], index: RunIndex,
                 item_filter: ChecklistFilter, today: date) -> list[ViewRow]:
    """One person's open steps of runs under way, across every piece: overdue first, then by due date."""
    if person_id is None:
        return []
    items = {item.id: item for item in work_items}
    found = [
        step for run_id, steps in index.steps.items() if index.runs[run_id].open
        for step in steps
        if not step.done and step.owner_id == person_id and item_filter.matches(step, today)
    ]
    found += [step for step in index.loose
              if not step.done and step.owner_id == person_id and item_filter.matches(step, today)]
    found.sort(key=lambda step: (step.due is None, step.due or "", order_key(step)))
    return [ViewRow("step", step.id, step, items.get(step.work_item_id or "")) for step in found]


def stage_step_rows(stages: Sequence[Stage], steps: Iterable[Step], stage_id: str | None = None) -> list[ViewRow]:
    """The Stage steps view: every stage (or the one picked) with the steps its runs are copied from."""
    steps = list(steps)
    rows = []
    for stage in stages:
        if stage_id and stage.id != stage_id:
            continue
        own = stage_steps(steps, stage.id)
        rows.append(ViewRow("stage", STAGE_ROW + stage.id, stage, None, Progress(0, len(own))))
        rows += [ViewRow("stage-step", step.id, step) for step in own]
    return rows
