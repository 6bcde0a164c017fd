"""The past campaign's history read into the pilot's baseline: ``gtm-tui baseline`` and Import… "measure the baseline".

The source (a Trello board, an Asana or Jira export, or an earlier pilot's
own export) is read into a ``History``; its lists, sections or statuses are
mapped onto the pilot's stages — by name, compared without case or spacing,
and by the user's ``--map "Their list=Our stage"`` for the rest (``"Their
list="`` leaves one out on purpose) — and each of its items becomes a
``BaselineItem`` whose visits name the pilot's stages. Visits to a place
mapped to no stage count as waiting between the stages around them (a
"Ready for approval" list is exactly such a wait). The unmapped places are
listed in the summary.

Taking a baseline again replaces the previous one (its items are removed);
``Pilot.baseline_source`` records where it came from: the file, its date
range, the number of items and the mapping. All in one plan: one save, one
undo step, nothing written when anything is wrong.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path

from gtm_tui.data.model import TITLE_MAX, BaselineItem, Stage, as_datetime, now_stamp
from gtm_tui.data.workspace import Workspace
from gtm_tui.io import asana, jira, tables_history, trello
from gtm_tui.io.history import History, fit, local_date, loose, stamp, zone_of
from gtm_tui.io.history_import import stage_history
from gtm_tui.io.importing import BadRow, ImportPlan, PlanBuilder, ReadOptions, guess_format
from gtm_tui.overview.sections import counted

FORMATS = ("trello", "jira", "asana", "csv", "xlsx")
PLACE_WORD = {"trello": "list", "asana": "section", "jira": "status"}


def read_history(path: str | Path, fmt: str | None, options: ReadOptions) -> History:
    """Read any source we measure a baseline from into a ``History``."""
    path = Path(path).expanduser()
    if not path.exists():
        raise BadRow(str(path), "no such file or folder")
    fmt = fmt or guess_format(path)
    if fmt not in FORMATS:
        raise BadRow(str(path), f"cannot measure a baseline from '{fmt}'; use one of {', '.join(FORMATS)}")
    if fmt == "trello":
        return trello.read(path, options)
    if fmt == "asana":
        return asana.read(path, options)
    if fmt == "jira":
        return jira.read(path, options)
    return tables_history.read(path, fmt)


def parse_mapping(lines: Sequence[str] | Mapping[str, str]) -> list[tuple[str, str, str]]:
    """``--map`` lines as ``(their name, our stage name or "", the line)``; several may share one line with ";"."""
    if isinstance(lines, Mapping):
        return [(theirs.strip(), ours.strip(), f"{theirs}={ours}") for theirs, ours in lines.items() if theirs.strip()]
    pairs = []
    for line in lines:
        for part in line.split(";"):
            if not part.strip():
                continue
            theirs, sep, ours = part.rpartition("=")
            if not sep or not theirs.strip():
                raise BadRow(
                    f"--map '{part.strip()}'", 'write it as "Their list=Our stage" (or "Their list=" to leave it out)'
                )
            pairs.append((theirs.strip(), ours.strip(), part.strip()))
    return pairs


def map_places(
    history: History, stages: list[Stage], lines: Sequence[str] | Mapping[str, str]
) -> tuple[dict[str, str], list[str]]:
    """Place key -> stage id, and the names of the places left unmapped (that hold visits)."""
    word = PLACE_WORD.get(history.fmt, "stage")
    by_name = {loose(stage.name): stage for stage in stages}
    mapping: dict[str, str] = {}
    decided: set[str] = set()
    for theirs, ours, line in parse_mapping(lines):
        places = [place for place in history.places if loose(place.name) == loose(theirs)]
        if not places:
            names = ", ".join(f"'{place.name}'" for place in history.places) or "none"
            raise BadRow(
                f"--map '{line}'", f"the {history.label} has no {word} named '{theirs}' (its {word}s: {names})"
            )
        stage = by_name.get(loose(ours)) if ours else None
        if ours and stage is None:
            names = ", ".join(f"'{s.name}'" for s in stages)
            raise BadRow(f"--map '{line}'", f"the pilot has no stage named '{ours}' (its stages: {names})")
        for place in places:
            decided.add(place.key)
            if stage is not None:
                mapping[place.key] = stage.id
    for place in history.places:
        if place.key not in decided and loose(place.name) in by_name:
            mapping[place.key] = by_name[loose(place.name)].id
    visited = {visit.place for item in history.items for visit in item.visits}
    unmapped = [
        place.name
        for place in history.places
        if place.key in visited
        and place.key not in mapping
        and place.key not in decided
        and place.key != history.done_place
    ]
    return mapping, unmapped


def plan_baseline(workspace: Workspace, history: History, options: ReadOptions | None = None) -> ImportPlan:
    """Plan the baseline measured from ``history`` (nothing is written); ``options.mapping`` maps its places."""
    options = options or ReadOptions()
    stages = workspace.all(Stage)
    if not stages:
        raise BadRow(
            history.label, "the pilot has no stages yet to measure against: map the process first (Process, key 2)"
        )
    mapping, unmapped = map_places(history, stages, options.mapping)
    if not mapping:
        names = ", ".join(f"'{place.name}'" for place in history.places) or "none"
        raise BadRow(
            history.label,
            f"none of its {PLACE_WORD.get(history.fmt, 'stage')}s ({names}) is a stage of the pilot; "
            'map them with --map "Their list=Our stage"',
        )
    builder = PlanBuilder(workspace, f"baseline from {history.label}")
    kept: set[str] = set()
    skipped = 0
    for item in history.items:
        visits, _ = stage_history(item, mapping)
        if not visits:
            skipped += 1
            continue
        title, _cut = fit(item.title, TITLE_MAX)
        values = {
            "title": title,
            "due": item.due,
            "stage_id": visits[-1]["stage_id"],
            "status": "done" if item.done else "in progress",
            "done_at": stamp(item.done_at),
            "stage_history": visits,
            "feedback_cycles": list(item.feedback_cycles),
            "clarifications": list(item.clarifications),
        }
        existing = builder.by_source(BaselineItem, item.key)
        record = existing.replace(**values) if existing is not None else BaselineItem(**values, source=item.key)
        kept.add(builder.put(record, item.where).id)
    for old in workspace.all(BaselineItem):
        if old.id not in kept:
            builder.remove(old, f"the earlier baseline's item '{old.title}'")
    taken = [builder.find(BaselineItem, record_id) for record_id in kept]
    moments = [moment for record in taken if record is not None for moment in _moments(record)]
    first, last = (min(moments), max(moments)) if moments else (None, None)
    zone = zone_of(options)
    stage_names = {stage.id: stage.name for stage in stages}
    mapped = {place.name: stage_names[mapping[place.key]] for place in history.places if place.key in mapping}
    source = {
        "label": history.label,
        "file": history.file,
        "format": history.fmt,
        "items": len(kept),
        "first": local_date(first, zone).isoformat() if first else None,
        "last": local_date(last, zone).isoformat() if last else None,
        "until": stamp(last),
        "mapping": mapped,
        "unmapped": unmapped,
        "missing": list(history.missing),
        "taken_at": now_stamp(),
    }
    builder.put(workspace.pilot().replace(baseline_source=source), "the pilot's baseline")
    _notes(builder, history, mapped, unmapped, skipped, source)
    return builder.plan


def _moments(record: BaselineItem) -> Iterator[datetime]:
    for visit in record.stage_history:
        for name in ("entered_at", "left_at"):
            moment = as_datetime(visit.get(name))
            if moment is not None:
                yield moment
    done = as_datetime(record.done_at)
    if done is not None:
        yield done


def _notes(
    builder: PlanBuilder, history: History, mapped: dict[str, str], unmapped: list[str], skipped: int, source: dict
) -> None:
    word = PLACE_WORD.get(history.fmt, "stage")
    span = f", {source['first']} → {source['last']}" if source["first"] else ""
    builder.note(f"Baseline: {counted(source['items'], 'item')}{span}.")
    builder.note("Mapped: " + "; ".join(f"{theirs} → {ours}" for theirs, ours in mapped.items()) + ".")
    if unmapped:
        builder.note(
            f"Not mapped (their time counts as waiting between the stages around them): {', '.join(unmapped)}; "
            f'map one with --map "{unmapped[0]}=Our stage".'
        )
    if skipped:
        builder.note(f"{skipped} item{'s' if skipped != 1 else ''} never reached a mapped {word}: left out.")
    if history.missing:
        builder.note(f"The {history.fmt} export cannot tell: {', '.join(history.missing)}.")
    for note in history.notes:
        builder.note(note)


def plan_baseline_file(
    workspace: Workspace,
    path: str | Path,
    fmt: str | None = None,
    options: ReadOptions | None = None,
) -> ImportPlan:
    """Read ``path`` and plan the baseline from it (the command line's and the dialog's way)."""
    options = options or ReadOptions()
    try:
        return plan_baseline(workspace, read_history(path, fmt, options), options)
    except UnicodeDecodeError:
        raise BadRow(Path(path).name, "is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise BadRow(f"{Path(path).name} line {error.lineno}", f"is not valid JSON ({error.msg})") from None
    except OSError as error:
        raise BadRow(Path(path).name, f"cannot be read: {error.strerror or error}") from None
