"""What the Overview says about a pilot, as plain rows (no UI)."""

from __future__ import annotations

from collections.abc import Callable

from gtm_tui.checklists.reminders import reminders_section
from gtm_tui.data.model import (
    WEEKDAYS,
    ActionItem,
    ChecklistItem,
    Feedback,
    Handoff,
    Person,
    RaciAssignment,
    Run,
    Stage,
    Step,
    Theme,
    WorkItem,
)
from gtm_tui.data.workspace import Workspace
from gtm_tui.overview.sections import MISSING, Row, Section, counted
from gtm_tui.process.setup import setup_section
from gtm_tui.raci.matrix import overview_section as raci_section
from gtm_tui.review.retro import review_section
from gtm_tui.sharing.conflicts import conflicts_section
from gtm_tui.work.metrics import metrics_section


def _period(start: str | None, end: str | None) -> str:
    if not start and not end:
        return MISSING
    return f"{start or '?'} → {end or '?'}"


def focus_handoff(workspace: Workspace) -> str:
    """The two focus stages, "A → B", or a hint that they are not chosen yet."""
    pilot = workspace.pilot()
    if not pilot.focus_from_stage_id or not pilot.focus_to_stage_id:
        return MISSING
    return (
        f"{workspace.name_of(Stage, pilot.focus_from_stage_id)} → {workspace.name_of(Stage, pilot.focus_to_stage_id)}"
    )


def checkin_rhythm(workspace: Workspace) -> str:
    pilot = workspace.pilot()
    if pilot.checkin_weekday is None:
        return MISSING
    zone = f" ({pilot.time_zone})" if pilot.time_zone else ""
    return f"every {WEEKDAYS[pilot.checkin_weekday]}" + (
        f" at {pilot.checkin_time}{zone}" if pilot.checkin_time else ""
    )


def pilot_facts(workspace: Workspace) -> list[tuple[str, str]]:
    """(label, value) rows describing the pilot's scope and set-up."""
    pilot = workspace.pilot()
    typed = ", ".join(f"{name}: {figure:g}" for name, figure in pilot.baseline.items())
    measured = pilot.baseline_source
    if measured:
        source = measured.get('file') or measured.get('label')
        typed = f"measured from {source} ({counted(measured.get('items', 0), 'item')})" + (
            f"; typed {typed}" if typed else "")
    baseline = typed or MISSING
    return [
        ("Pilot", pilot.name),
        ("Status", pilot.status),
        ("Campaign", pilot.campaign or MISSING),
        ("Campaign period", _period(pilot.campaign_start, pilot.campaign_end)),
        ("Baseline", baseline),
        ("Goal", pilot.goal or MISSING),
        ("Focus handoff", focus_handoff(workspace)),
        ("Pilot lead", workspace.name_of(Person, pilot.lead_id, MISSING)),
        ("Channel", pilot.channel or MISSING),
        ("Check-ins", checkin_rhythm(workspace)),
        ("Pilot dates", _period(pilot.start_date, pilot.end_date)),
        ("Follow-up check", pilot.follow_up_date or MISSING),
    ]


def counts_line(workspace: Workspace) -> str:
    """One line counting what the file holds."""
    items = workspace.all(ChecklistItem)
    done = sum(1 for item in items if item.done)
    parts = [
        counted(workspace.count(Person), "person", "people"),
        counted(workspace.count(Stage), "stage"),
        counted(workspace.count(Handoff), "handoff"),
        counted(workspace.count(Step), "stage step"),
        f"{counted(workspace.count(Run), 'run')} ({done}/{counted(len(items), 'step')} done)",
        counted(workspace.count(WorkItem), "work item"),
        counted(workspace.count(RaciAssignment), "RACI role"),
        counted(workspace.count(Feedback), "feedback note"),
        counted(workspace.count(Theme), "theme"),
        counted(workspace.count(ActionItem), "action item"),
    ]
    return " · ".join(parts)


def pilot_section(workspace: Workspace) -> Section:
    return Section(
        "The pilot", [Row(label, value, "muted" if value == MISSING else "") for label, value in pilot_facts(workspace)]
    )


def counts_section(workspace: Workspace) -> Section:
    return Section("In this file", [Row(counts_line(workspace))])


# The Overview shows these sections in order. A feature adds its own section by
# writing a function (workspace -> Section) in its core module and listing it here.
# What needs someone's attention comes first; the pilot's settled facts after.
SECTIONS: list[Callable[[Workspace], Section]] = [
    conflicts_section,  # merged changes waiting for a person's choice
    setup_section,  # a new pilot's next steps; one line once they are all done
    reminders_section,
    review_section,
    metrics_section,
    raci_section,
    pilot_section,
    counts_section,
]


def sections(workspace: Workspace) -> list[Section]:
    """Every non-empty section of the Overview, in order."""
    return [section for make in SECTIONS if (section := make(workspace)).rows]
