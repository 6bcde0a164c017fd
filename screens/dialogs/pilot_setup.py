"""Pilot setup: the form for steps 1–2 of the method (scope, baseline, focus, team set-up, rhythm, dates).

Reached from the Overview (key s), the Process screen (key p) and the command
palette. The rules are in ``gtm_tui.setup``; after saving, a campaign outside
the last 6–12 months is warned about, and when no handoff joins the two focus
stages the form offers to create it.
"""

from __future__ import annotations

from typing import Any

from gtm_tui.data import clock
from gtm_tui.data.model import CONCLUSIONS, PILOT_STATUSES, Handoff, Person, Pilot, Stage
from gtm_tui.process import setup
from gtm_tui.screens.dialogs.forms import ConfirmScreen, FormField, FormScreen
from gtm_tui.screens.main.base import MainScreen, choices_of


def pilot_fields(pilot: Pilot, stages: list[Stage], people: list[Person]) -> list[FormField]:
    """The set-up form, pre-filled with what the pilot holds now."""
    stage_choices = choices_of(stages)
    return [
        FormField("name", "Pilot name", pilot.name, required=True),
        FormField("campaign", "Campaign", pilot.campaign, hint="a campaign from the last 6–12 months"),
        FormField("campaign_start", "Campaign start", pilot.campaign_start or "", hint="YYYY-MM-DD"),
        FormField("campaign_end", "Campaign end", pilot.campaign_end or "", hint="YYYY-MM-DD"),
        FormField(
            "baseline",
            "Baseline figures",
            setup.format_baseline(pilot.baseline),
            hint=setup.BASELINE_HINT,
            suggestions=setup.measure_names(),
        ),
        FormField("goal", "Goal", pilot.goal, kind="long"),
        FormField(
            "focus_from_stage_id", "Focus: from stage", pilot.focus_from_stage_id, kind="choice", choices=stage_choices
        ),
        FormField(
            "focus_to_stage_id", "Focus: to stage", pilot.focus_to_stage_id, kind="choice", choices=stage_choices
        ),
        FormField("lead_id", "Pilot lead", pilot.lead_id, kind="choice", choices=choices_of(people)),
        FormField("channel", "Channel", pilot.channel, hint="e.g. #gtm-pilot"),
        FormField(
            "checkin_weekday", "Check-in weekday", pilot.checkin_weekday, kind="choice", choices=setup.WEEKDAY_CHOICES
        ),
        FormField("checkin_time", "Check-in time", pilot.checkin_time or "", hint="HH:MM"),
        FormField(
            "time_zone",
            "Time zone",
            pilot.time_zone,
            hint=f"of the check-in, e.g. Europe/Berlin; empty: this machine's ({clock.machine_time_zone()})",
        ),
        FormField("start_date", "Pilot start", pilot.start_date or "", hint="YYYY-MM-DD"),
        FormField("end_date", "Pilot end", pilot.end_date or "", hint="YYYY-MM-DD, after the start"),
        FormField(
            "status", "Status", pilot.status, kind="choice", choices=[(s, s) for s in PILOT_STATUSES], required=True
        ),
        FormField("follow_up_date", "Follow-up check", pilot.follow_up_date or "", hint="YYYY-MM-DD"),
        FormField(
            "conclusion",
            "Lead's conclusion",
            pilot.conclusion or None,
            kind="choice",
            choices=[(c.capitalize(), c) for c in CONCLUSIONS],
            hint="shown first in the report",
        ),
        FormField("conclusion_note", "Conclusion (words)", pilot.conclusion_note, kind="long"),
        FormField(
            "working_days",
            "Working week",
            setup.format_working_week(pilot.working_days),
            required=True,
            hint="e.g. Mon–Fri, or Sun–Thu; delays are counted in working days",
        ),
        FormField(
            "delay_grace_percent",
            "Delay grace (%)",
            f"{pilot.delay_grace_percent:g}",
            hint="how far past a stage's expected days a visit may run (default 25)",
        ),
        FormField(
            "delay_grace_days",
            "… at least (days)",
            f"{pilot.delay_grace_days:g}",
            hint="the smallest grace, in working days (default 0.5)",
        ),
        FormField(
            "days_off",
            "Days off",
            setup.format_days_off(pilot.days_off),
            hint="YYYY-MM-DD, separated by commas: holidays; plans and due dates skip them",
        ),
        FormField(
            "live_stage_id",
            "Live at the end of",
            pilot.live_stage_id,
            kind="choice",
            choices=stage_choices,
            hint="the stage a piece is live after (empty: the last stage); plans aim at it",
        ),
    ]


def open_pilot_setup(screen: MainScreen) -> None:
    """Show the set-up form over ``screen``; save through the workspace; then warn or offer the focus handoff."""
    workspace = screen.workspace
    stages, people = workspace.all(Stage), workspace.all(Person)
    opened = workspace.pilot()  # as the form shows it: a field left alone keeps a teammate's newer value

    def submit(values: dict[str, Any]) -> Pilot:
        changes = setup.pilot_changes(values, [s.id for s in stages], [p.id for p in people])
        return workspace.update(opened, **changes)

    def done(pilot: Pilot | None) -> None:
        if not pilot:
            return
        screen.notify("Pilot set-up saved.")
        warning = setup.campaign_warning(pilot.campaign_start, pilot.campaign_end, clock.today())
        if warning:
            screen.notify(warning.capitalize() + ".", title="Campaign period", severity="warning", timeout=8)
        offer_focus_handoff(screen)

    screen.app.push_screen(FormScreen("Pilot setup", pilot_fields(opened, stages, people), submit), done)


def offer_focus_handoff(screen: MainScreen) -> None:
    """When no handoff joins the two focus stages, ask whether to create it."""
    workspace = screen.workspace
    missing = setup.missing_focus_handoff(workspace)
    if missing is None:
        return
    source, target = (workspace.name_of(Stage, stage_id) for stage_id in missing)

    def answer(create: bool | None) -> None:
        if create and screen.attempt(lambda: workspace.add(Handoff(from_stage_id=missing[0], to_stage_id=missing[1]))):
            screen.notify(f"Added the handoff {source} → {target}. Say what is handed over on the Process screen (2).")

    screen.app.push_screen(
        ConfirmScreen(
            f"No handoff joins the focus stages {source} → {target}. Create it?",
            ["the pilot tests this handoff; the flowchart and the metrics need it mapped"],
            yes="Create handoff",
        ),
        answer,
    )
