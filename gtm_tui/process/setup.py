"""Setting the pilot up (steps 1–2 of the method): the rules of the set-up form and the set-up checklist.

Step 1 picks a familiar campaign from the last 6–12 months, its baseline
figures and a goal, maps the process and narrows the scope to the two stages
whose handoff is hardest, with the new RACI roles laid over them. Step 2 names
the team, a pilot lead, a channel and a check-in rhythm. ``pilot_changes``
turns what was typed in the set-up form into Pilot fields (or a
``ValidationError`` naming the field); ``setup_steps`` says what is still
missing, for the Overview's "Set-up checklist".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from gtm_tui.data import clock
from gtm_tui.data.model import (
    CONCLUSIONS,
    PILOT_STATUSES,
    WEEKDAYS,
    Handoff,
    Person,
    Pilot,
    RaciAssignment,
    Stage,
    ValidationError,
    as_date,
    parse_date,
    parse_number,
    parse_time,
)
from gtm_tui.data.workspace import Workspace
from gtm_tui.overview.sections import Row, Section
from gtm_tui.work.baseline import canonical, measure_names
from gtm_tui.work.working_time import parse_working_week, week_text

OLDEST_CAMPAIGN_DAYS = 366  # "from the last 6–12 months"
BASELINE_EXAMPLE = "days from brief to live: 21; feedback cycles per item: 3"
BASELINE_HINT = f"e.g. {BASELINE_EXAMPLE}. Measured: {', '.join(measure_names())}"


# --------------------------------------------------------------------------
# Baseline figures: "name: number; name: number"


def parse_baseline(text: str | None) -> dict[str, float]:
    """Read baseline figures typed as ``name: number`` pairs separated by ``;`` or new lines.

    A name the app measures, written another way ("feedback cycles"), is stored
    under the measure's own name ("feedback cycles per item"), so the pilot's
    figure is compared with it; any other name is kept as typed.
    """
    figures: dict[str, float] = {}
    for part in re.split(r"[;\n]", text or ""):
        part = part.strip()
        if not part:
            continue
        name, sep, figure = part.rpartition(":")
        if not sep:
            name, sep, figure = part.rpartition("=")
        name, figure = name.strip(), figure.strip()
        if not sep or not name or not figure:
            raise ValidationError("baseline", f"'{part}' needs a name and a number, like '{BASELINE_EXAMPLE}'")
        try:
            value = parse_number(figure, "baseline", minimum=None)
        except ValidationError:
            raise ValidationError("baseline", f"'{figure}' in '{part}' is not a number") from None
        name = canonical(name) or name
        if name.casefold() in {known.casefold() for known in figures}:
            raise ValidationError("baseline", f"'{name}' is given twice")
        figures[name] = value  # type: ignore[assignment]
    return figures


def format_baseline(figures: dict[str, float]) -> str:
    """Baseline figures as they are typed in the form."""
    return "; ".join(f"{name}: {figure:g}" for name, figure in figures.items())


# --------------------------------------------------------------------------
# The working week ("Mon-Fri", "Mon, Tue, Thu", "Sun-Thu": work.working_time reads it) and days off


def parse_days_off(text: str | None) -> list[str]:
    """Days off typed as dates separated by commas, spaces or new lines; in order, each once."""
    days = {parse_date(part, "days_off") for part in re.split(r"[,;\s]+", text or "") if part.strip()}
    return sorted(day for day in days if day)


def format_days_off(days: list[str]) -> str:
    return ", ".join(days)


def format_working_week(days: list[int]) -> str:
    return week_text(frozenset(days))


# --------------------------------------------------------------------------
# The campaign period


def campaign_warning(start: str | None, end: str | None, today: date) -> str | None:
    """A warning when the campaign is not a finished one from the last 6–12 months; None when it is fine."""
    last = as_date(end) or as_date(start)
    if last is None:
        return None
    if last > today:
        return "the campaign has not ended yet; pick a finished campaign with clear performance figures"
    if (today - last).days > OLDEST_CAMPAIGN_DAYS:
        months = (today - last).days // 30
        return (
            f"the campaign ended about {months} months ago; a campaign from the last 6–12 months is remembered better"
        )
    return None


# --------------------------------------------------------------------------
# The set-up form


def _choice(value: Any, allowed: Iterable[str], field: str, what: str) -> str | None:
    if value in (None, ""):
        return None
    if value not in set(allowed):
        raise ValidationError(field, f"that {what} no longer exists; pick another")
    return value


def pilot_changes(values: dict[str, Any], stage_ids: Iterable[str], person_ids: Iterable[str]) -> dict[str, Any]:
    """The Pilot fields from what was typed in the set-up form; ``ValidationError`` names the field at fault."""
    name = (values.get("name") or "").strip()
    if not name:
        raise ValidationError("name", "the pilot needs a name")
    stage_ids = list(stage_ids)
    changes: dict[str, Any] = {
        "name": name,
        "campaign": (values.get("campaign") or "").strip(),
        "campaign_start": parse_date(values.get("campaign_start"), "campaign_start"),
        "campaign_end": parse_date(values.get("campaign_end"), "campaign_end"),
        "baseline": parse_baseline(values.get("baseline")),
        "goal": (values.get("goal") or "").strip(),
        "focus_from_stage_id": _choice(values.get("focus_from_stage_id"), stage_ids, "focus_from_stage_id", "stage"),
        "focus_to_stage_id": _choice(values.get("focus_to_stage_id"), stage_ids, "focus_to_stage_id", "stage"),
        "lead_id": _choice(values.get("lead_id"), person_ids, "lead_id", "person"),
        "channel": (values.get("channel") or "").strip(),
        "checkin_weekday": values.get("checkin_weekday"),
        "checkin_time": parse_time(values.get("checkin_time"), "checkin_time"),
        "start_date": parse_date(values.get("start_date"), "start_date"),
        "end_date": parse_date(values.get("end_date"), "end_date"),
        "status": values.get("status") or "planning",
        "follow_up_date": parse_date(values.get("follow_up_date"), "follow_up_date"),
    }
    if "time_zone" in values:
        zone = (values.get("time_zone") or "").strip()
        if zone and not clock.is_time_zone(zone):
            raise ValidationError(
                "time_zone", f"'{zone}' is not a time zone; use a name like Europe/Berlin (empty: this machine's)"
            )
        changes["time_zone"] = zone
    if "conclusion" in values:
        changes["conclusion"] = values.get("conclusion") or ""
        if changes["conclusion"] not in ("", *CONCLUSIONS):
            raise ValidationError("conclusion", f"must be one of {', '.join(CONCLUSIONS)}")
        changes["conclusion_note"] = (values.get("conclusion_note") or "").strip()
    if "working_days" in values:  # the delay rule: the working week and the grace
        changes["working_days"] = parse_working_week(values.get("working_days"))
        for name, default in (("delay_grace_percent", 25), ("delay_grace_days", 0.5)):
            number = parse_number(values.get(name), name)
            changes[name] = default if number is None else number
    if "days_off" in values:  # plans and due dates in working days skip them
        changes["days_off"] = parse_days_off(values.get("days_off"))
    if "live_stage_id" in values:
        changes["live_stage_id"] = _choice(values.get("live_stage_id"), stage_ids, "live_stage_id", "stage")
    if changes["checkin_weekday"] not in (None, *range(7)):
        raise ValidationError("checkin_weekday", "pick a weekday")
    if changes["status"] not in PILOT_STATUSES:
        raise ValidationError("status", f"must be one of {', '.join(PILOT_STATUSES)}")
    if changes["campaign_start"] and changes["campaign_end"] and changes["campaign_end"] < changes["campaign_start"]:
        raise ValidationError("campaign_end", f"the campaign cannot end before it starts ({changes['campaign_start']})")
    if changes["start_date"] and changes["end_date"] and changes["end_date"] <= changes["start_date"]:
        raise ValidationError("end_date", f"the pilot must end after it starts ({changes['start_date']})")
    if (changes["focus_from_stage_id"] or changes["focus_to_stage_id"]) and not (
        changes["focus_from_stage_id"] and changes["focus_to_stage_id"]
    ):
        missing = "focus_to_stage_id" if changes["focus_from_stage_id"] else "focus_from_stage_id"
        raise ValidationError(missing, "pick both focus stages (the handoff between them is what the pilot tests)")
    if changes["focus_from_stage_id"] and changes["focus_from_stage_id"] == changes["focus_to_stage_id"]:
        raise ValidationError("focus_to_stage_id", "the two focus stages must be different stages")
    return changes


def missing_focus_handoff(workspace: Workspace) -> tuple[str, str] | None:
    """The focus stages (from, to) when no handoff joins them yet; None when one does or none are chosen."""
    pilot = workspace.pilot()
    pair = (pilot.focus_from_stage_id, pilot.focus_to_stage_id)
    if not pair[0] or not pair[1]:
        return None
    joined = any((h.from_stage_id, h.to_stage_id) == pair for h in workspace.all(Handoff))
    return None if joined else (pair[0], pair[1])


# --------------------------------------------------------------------------
# The set-up checklist on the Overview


@dataclass(frozen=True)
class Step:
    """One thing steps 1–2 of the method need; ``todo`` says how to get it done."""

    label: str
    done: bool
    todo: str = ""
    warning: str = ""


def setup_steps(workspace: Workspace, today: date) -> list[Step]:
    """What a new pilot lead still has to set up, in the order the method takes it."""
    pilot: Pilot = workspace.pilot()
    stages = workspace.all(Stage)
    handoffs = workspace.all(Handoff)
    form = "in Pilot setup (s on the Overview)"
    unowned = [s.name for s in stages if not s.owner_id or s.expected_days is None]
    focus = [pilot.focus_from_stage_id, pilot.focus_to_stage_id]
    pilot_raci = {(r.stage_id) for r in workspace.all(RaciAssignment) if r.layer == "pilot"}
    linked = {h.from_stage_id for h in handoffs} | {h.to_stage_id for h in handoffs}
    loose = [s.name for s in stages if s.id not in linked] if len(stages) > 1 else []
    return [
        Step(
            "Campaign picked",
            bool(pilot.campaign and (pilot.campaign_start or pilot.campaign_end)),
            f"name a campaign from the last 6–12 months and its period {form}",
            campaign_warning(pilot.campaign_start, pilot.campaign_end, today) or "",
        ),
        Step("Baseline figures", bool(pilot.baseline), f"add the campaign's figures, e.g. '{BASELINE_EXAMPLE}'"),
        Step("Goal", bool(pilot.goal.strip()), f"say what the pilot should improve {form}"),
        Step("Process mapped", len(stages) >= 2, "add the stages from decision to live (Process, key 2, a)"),
        Step(
            "Every stage has an owner and expected days",
            bool(stages) and not unowned,
            "edit " + ", ".join(unowned[:3]) + ("…" if len(unowned) > 3 else "") if unowned else "add stages first",
        ),
        Step(
            "Handoffs mapped",
            bool(handoffs) and not loose,
            ("no handoff touches " + ", ".join(loose[:3]) + ("…" if len(loose) > 3 else ""))
            if loose
            else "add where work changes hands (Process, key 2, n)",
        ),
        Step("Focus stages chosen", all(focus), f"pick the two stages whose handoff is hardest {form}"),
        Step(
            "Focus handoff mapped",
            all(focus) and missing_focus_handoff(workspace) is None,
            "add the handoff between the focus stages (Process, key 2, n)",
        ),
        Step(
            "Pilot RACI laid over the focus stages",
            all(focus) and all(f in pilot_raci for f in focus),
            "give the focus stages their pilot roles (RACI, key 4)",
        ),
        Step(
            "Team of two or more", workspace.count(Person) >= 2, "invite people who know the campaign (People, key 7)"
        ),
        Step("Pilot lead", bool(pilot.lead_id), f"name who schedules check-ins and collects feedback {form}"),
        Step("Channel", bool(pilot.channel.strip()), f"set up a channel, e.g. '#gtm-pilot', {form}"),
        Step(
            "Check-in rhythm",
            pilot.checkin_weekday is not None and bool(pilot.checkin_time),
            f"pick a weekday and time {form}",
        ),
        Step("Pilot dates", bool(pilot.start_date and pilot.end_date), f"set the start and end {form}"),
    ]


def setup_section(workspace: Workspace) -> Section:
    """The Overview's "Set-up checklist": what is done, and what is still missing with how to do it."""
    steps = setup_steps(workspace, clock.today())
    done = sum(1 for step in steps if step.done)
    rows = [
        Row(
            f"{done} of {len(steps)} set-up steps done", "steps 1–2 of the method", "good" if done == len(steps) else ""
        )
    ]
    for step in steps:
        if not step.done:
            rows.append(Row(f"○ {step.label}", step.todo, "warning"))
        elif step.warning:
            rows.append(Row(f"⚠ {step.label}", step.warning, "warning"))
    return Section("Set-up checklist", rows)


WEEKDAY_CHOICES = [(name, number) for number, name in enumerate(WEEKDAYS)]
