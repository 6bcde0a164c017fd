"""Synthetic workspaces for the benchmark: a pilot that has grown for months, from a seed.

``generate(records, seed)`` returns the tables of a workspace holding about
``records`` records in the proportions a real pilot ends up with: a team and a
process that grow slowly (with the square root of the size), five steps a
stage, RACI cells in both layers, work items with their stage history, time
log and feedback cycles, a run of each item's last stages with its steps,
feedback notes, themes, action items, check-ins and recommendations that grow
with it. At 200 records it looks like the demo pilot
(171 records). Every reference points at a record that exists, so
``gtm-tui check`` finds nothing wrong with the file.

The records are built with ``gtm_tui.model`` and written with
``gtm_tui.storage.dump`` directly: adding 50,000 records one by one through
``Workspace.add`` would save the file 50,000 times.

    python benchmarks/generate.py 10000 /tmp/pilot-10k.json [--seed 7]
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from gtm_tui.data.model import (
    RECORD_KINDS,
    REVIEW_QUESTIONS,
    ActionItem,
    CheckIn,
    ChecklistItem,
    ChecklistTemplate,
    Feedback,
    Handoff,
    Person,
    Pilot,
    Question,
    RaciAssignment,
    Recommendation,
    Record,
    Run,
    Stage,
    Step,
    Theme,
    WorkItem,
)
from gtm_tui.data.storage import META_KEY, META_TABLE, dump, meta_record

TODAY = date(2026, 11, 18)  # the demo's today, so dates look like the demo's

# Share of the records left after the team, the process and the questions.
WEIGHTS: dict[type[Record], float] = {
    ChecklistItem: 0.40,  # the steps of the runs: about five a run
    Run: 0.08,  # a piece's runs of its last stages (the one under way, the one before)
    RaciAssignment: 0.20,
    WorkItem: 0.05,
    Feedback: 0.14,
    Theme: 0.03,
    ActionItem: 0.04,
    CheckIn: 0.03,
    Recommendation: 0.03,
}
STEPS_PER_STAGE = 5

FIRST = ("Maya", "Daniel", "Priya", "Lukas", "Sofia", "Tom", "Aisha", "Noah", "Elena", "Omar", "Hana", "Jonas",
         "Lea", "Ravi", "Ines", "Marek", "Yuki", "Chloe", "Samir", "Greta")
LAST = ("Thornton", "Okafor", "Raman", "Brenner", "Alvarez", "Becker", "Karimi", "Novak", "Lindqvist", "Haddad",
        "Sato", "Moreau", "Fischer", "Costa", "Walsh", "Ivanova", "Mensah", "Kowalski", "Nakamura", "Duarte")
ROLES = ("Marketing lead", "Campaign manager", "Content writer", "Designer", "Social media manager",
         "Web developer / site builder", "Product marketing manager", "SEO specialist", "Video editor", "Analyst")
TEAMS = ("Marketing", "Content", "Web", "Product marketing", "External")
STAGE_NAMES = ("Idea & brief", "Strategy sign-off", "Copywriting", "Creative design", "Creative review",
               "Launch approval", "Build & upload", "Publish", "Measure", "Legal check", "Translation",
               "Video edit", "SEO pass", "Paid boost", "Newsletter slot")
ACTIVITIES = ("Draft", "Review", "Sign-off", "Hand over", "Brief check", "Asset export", "Link check", "Scheduling")
CHECK_LINES = ("Brief names audience, goal, channel and deadline", "Final copy pasted into the Figma file",
               "Alt text written for every image", "UTM parameters on every link", "Product claims cleared by PMM",
               "Approver tagged in #gtm-pilot", "Image sizes match the channel spec", "Publishing slot booked")
TITLES = ("Launch blog post", "LinkedIn carousel", "Customer story", "Webinar landing page", "Release e-mail",
          "YouTube explainer", "Partner one-pager", "Pricing page update", "Newsletter feature", "Case study PDF")
NOTES = ("Waiting for the final screenshots", "Which version is final?", "Tone too formal for social",
         "Needs a shorter headline", "Legal asked for a disclaimer", "Thumbnail unreadable on mobile")
FEEDBACK_LINES = ("The checklist stopped the back-and-forth about image sizes",
                  "I still did not know who gives the final yes on launch copy",
                  "Tagging the approver in the channel saved a day", "Too many places to leave review comments",
                  "The RACI made it clear I am only informed on build", "Fix the Friday design request gap")


def _stamp(day: date, hour: int, minute: int = 0) -> str:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC).isoformat()


class _Builder:
    """Holds the seeded random source and the tables being filled."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.tables: dict[str, dict[str, dict[str, Any]]] = {kind.TABLE: {} for kind in RECORD_KINDS}

    def new_id(self) -> str:
        return f"{self.rng.getrandbits(48):012x}"

    def day(self, back: int = 180) -> date:
        return TODAY - timedelta(days=self.rng.randint(0, back))

    def moment(self, back: int = 180) -> str:
        return _stamp(self.day(back), self.rng.randint(8, 18), self.rng.choice((0, 15, 30, 45)))

    def put(self, record: Record) -> Record:
        stamp = record.created_at or self.moment()
        record.created_at = stamp
        record.updated_at = record.updated_at or stamp
        self.tables[record.TABLE][record.id] = record.to_dict()
        return record


def counts(records: int) -> dict[type[Record], int]:
    """How many records of each kind a workspace of about ``records`` records holds."""
    people = max(7, round(math.sqrt(records) / 2))
    stages = max(9, round(math.sqrt(records) / 3))
    fixed = {
        Pilot: 1,
        Person: people,
        Stage: stages,
        Handoff: stages + stages // 8 + 1,
        Question: len(REVIEW_QUESTIONS),
        ChecklistTemplate: max(2, records // 2000),
        Step: stages * STEPS_PER_STAGE,
    }
    rest = max(0, records - sum(fixed.values()))
    return {**fixed, **{kind: max(1, round(rest * share)) for kind, share in WEIGHTS.items()}}


def generate(records: int, seed: int = 1) -> dict[str, Any]:
    """The tables of a sound workspace of about ``records`` records (meta record included)."""
    how_many = counts(records)
    b = _Builder(seed)
    rng = b.rng

    people = []
    for index in range(how_many[Person]):
        name = f"{FIRST[index % len(FIRST)]} {LAST[(index * 7 + index // len(FIRST)) % len(LAST)]}"
        if index >= len(FIRST) * len(LAST) // 2:
            name += f" {index}"
        people.append(b.put(Person(
            id=b.new_id(), name=name, role=rng.choice(ROLES), team=rng.choice(TEAMS),
            contact=f"{name.split()[0].lower()}.{index}@example.com", external=rng.random() < 0.15,
        )))
    person_ids = [p.id for p in people]

    stages = []
    for index in range(how_many[Stage]):
        base = STAGE_NAMES[index % len(STAGE_NAMES)]
        name = base if index < len(STAGE_NAMES) else f"{base} ({index // len(STAGE_NAMES) + 1})"
        stages.append(b.put(Stage(
            id=b.new_id(), name=name, position=index, owner_id=rng.choice(person_ids),
            expected_days=rng.choice((0.5, 1, 2, 3, 5)), prerequisites="Approved brief and final copy",
            bottleneck=rng.choice(("", "", "Reviews sit until someone moves them on")),
            today_note="Requests arrive in Slack DMs and e-mail",
        )))
    stage_ids = [s.id for s in stages]

    pairs = {(stage_ids[i], stage_ids[i + 1]) for i in range(len(stage_ids) - 1)}
    while len(pairs) < how_many[Handoff]:
        a, c = rng.sample(stage_ids, 2)
        pairs.add((a, c))
    for source, target in sorted(pairs, key=lambda pair: (stage_ids.index(pair[0]), stage_ids.index(pair[1]))):
        b.put(Handoff(id=b.new_id(), from_stage_id=source, to_stage_id=target,
                      what="Final files in the shared folder", expected_days=rng.choice((0.5, 1, 2))))

    question_ids = [b.put(Question(id=b.new_id(), text=text, position=i)).id for i, text in enumerate(REVIEW_QUESTIONS)]

    for index in range(how_many[ChecklistTemplate]):
        b.put(ChecklistTemplate(id=b.new_id(), name=f"Template {index + 1}", items=rng.sample(CHECK_LINES, 4)))

    stage_steps: dict[str, list[Step]] = {}
    for stage_id in stage_ids:
        lines = rng.sample(CHECK_LINES, STEPS_PER_STAGE)
        stage_steps[stage_id] = [b.put(Step(
            id=b.new_id(), stage_id=stage_id, text=line, position=position, approval=position == STEPS_PER_STAGE - 1,
            owner_role="A" if position == STEPS_PER_STAGE - 1 else "R",
            offset_days=rng.choice((None, None, 0, 1, 2)))) for position, line in enumerate(lines)]  # type: ignore[misc]

    _add_raci(b, how_many[RaciAssignment], stage_ids, person_ids)

    work_ids = []
    for index in range(how_many[WorkItem]):
        start = b.day(150)
        visits, entered = [], start
        path_start = rng.randrange(len(stage_ids))
        for step in range(rng.randint(1, 6)):
            left = entered + timedelta(days=rng.randint(1, 4))
            visits.append({"stage_id": stage_ids[(path_start + step) % len(stage_ids)],
                           "entered_at": _stamp(entered, 10), "left_at": _stamp(left, 10)})
            entered = left
        status = rng.choice(("not started", "in progress", "in progress", "blocked", "done", "done"))
        if status != "done":
            visits[-1]["left_at"] = None
        work_ids.append(
            b.put(
                WorkItem(
                    id=b.new_id(),
                    title=f"{rng.choice(TITLES)} #{index + 1}",
                    assignee_id=rng.choice(person_ids),
                    due=(start + timedelta(days=rng.randint(5, 30))).isoformat(),
                    stage_id=visits[-1]["stage_id"],
                    status=status,
                    stage_history=visits,
                    time_log=[
                        {
                            "at": b.moment(150),
                            "minutes": rng.choice((15, 30, 60, 90)),
                            "person_id": rng.choice(person_ids),
                            "note": "Drafting",
                        }
                        for _ in range(rng.randint(0, 4))
                    ],
                    feedback_cycles=[
                        {"at": b.moment(150), "note": rng.choice(NOTES)} for _ in range(rng.randint(0, 2))
                    ],
                    clarifications=[{"at": b.moment(150), "note": rng.choice(NOTES)} for _ in range(rng.randint(0, 2))],
                    rework=rng.random() < 0.15,
                    delayed=rng.random() < 0.2,
                    done_at=visits[-1]["left_at"] if status == "done" else None,
                    created_at=_stamp(start, 9),
                )
            ).id
        )

    _add_runs(b, how_many[Run], how_many[ChecklistItem], stage_steps, person_ids)

    theme_ids = []
    for index in range(how_many[Theme]):
        voters = rng.sample(person_ids, min(len(person_ids), rng.randint(0, 5)))
        theme_ids.append(b.put(Theme(id=b.new_id(), name=f"Theme {index + 1}: {rng.choice(NOTES)}",
                                     votes={p: rng.randint(1, 3) for p in voters}, tally=rng.randint(0, 4))).id)
    for _ in range(how_many[Feedback]):
        b.put(Feedback(id=b.new_id(), question_id=rng.choice(question_ids),
                       person_id=rng.choice(person_ids) if rng.random() < 0.8 else None,
                       text=rng.choice(FEEDBACK_LINES), phase=rng.choice(("before", "before", "live")),
                       theme_id=rng.choice(theme_ids) if theme_ids and rng.random() < 0.6 else None))
    for index in range(how_many[ActionItem]):
        b.put(
            ActionItem(
                id=b.new_id(),
                title=f"Fix {index + 1}: {rng.choice(NOTES).lower()}",
                owner_id=rng.choice(person_ids),
                due=(TODAY + timedelta(days=rng.randint(-20, 30))).isoformat(),
                status=rng.choice(("open", "in progress", "done", "dropped")),
                priority=rng.random() < 0.3,
                theme_id=rng.choice(theme_ids) if theme_ids else None,
                links=[{"table": "stages", "id": rng.choice(stage_ids)}],
            )
        )
    for index in range(how_many[CheckIn]):
        b.put(
            CheckIn(
                id=b.new_id(),
                date=(TODAY - timedelta(days=index)).isoformat(),
                attendee_ids=rng.sample(person_ids, min(len(person_ids), 5)),
                notes="Went through the checklists",
                blockers=[
                    {
                        "person_id": rng.choice(person_ids),
                        "item_id": rng.choice(work_ids) if work_ids else None,
                        "note": rng.choice(NOTES),
                    }
                    for _ in range(rng.randint(0, 2))
                ],
            )
        )
    for _ in range(how_many[Recommendation]):
        b.put(Recommendation(id=b.new_id(), text="Merge review and approval into one step",
                             kind=rng.choice(("simplify", "coordination", "automation", "other")),
                             stage_id=rng.choice(stage_ids)))

    pilot = Pilot(id=b.new_id(), name="Northwind Analytics — grown pilot", campaign="Insights 3.0 launch",
                  campaign_start="2026-03-02", campaign_end="2026-04-30", baseline={"days to live": 12},
                  goal="Content live in 7 days", focus_from_stage_id=stage_ids[4], focus_to_stage_id=stage_ids[5],
                  lead_id=person_ids[0], channel="#gtm-pilot", checkin_weekday=1, checkin_time="10:00",
                  start_date="2026-10-19", end_date="2026-11-27", status="running")
    b.put(pilot)
    b.tables[META_TABLE] = {META_KEY: meta_record()}
    return b.tables


def _add_runs(b: _Builder, runs: int, steps: int, stage_steps: dict[str, list[Step]], person_ids: list[str]) -> None:
    """A run for each piece's last visits (the one under way open), with copies of the stage's steps.

    Steps of an ended run are mostly done; the run under way has some done,
    some open and some overdue, a few blocked.
    """
    rng = b.rng
    items = [WorkItem.from_dict(data) for data in b.tables[WorkItem.TABLE].values()]
    made_runs = made_steps = 0
    for item in items:
        for visit in item.stage_history[-2:]:
            if made_runs >= runs or made_steps >= steps:
                return
            ended = visit["left_at"]
            run = b.put(Run(id=b.new_id(), work_item_id=item.id, stage_id=visit["stage_id"],
                            started_at=visit["entered_at"], ended_at=ended, created_at=visit["entered_at"]))
            made_runs += 1
            entered = date.fromisoformat(visit["entered_at"][:10])
            for step in stage_steps[visit["stage_id"]]:
                done = rng.random() < (0.9 if ended else 0.45)
                due = entered + timedelta(days=rng.randint(0, 5))
                b.put(ChecklistItem(
                    id=b.new_id(), stage_id=run.stage_id, run_id=run.id, work_item_id=item.id, step_id=step.id,
                    text=step.text, position=step.position, owner_id=rng.choice(person_ids), due=due.isoformat(),
                    done=done, done_by=rng.choice(person_ids) if done else None,
                    done_at=_stamp(due, rng.randint(8, 18)) if done else None, approval=step.approval,
                    blocked=rng.choice(NOTES) if not done and rng.random() < 0.05 else "",
                    created_at=visit["entered_at"]))
                made_steps += 1


def _add_raci(b: _Builder, budget: int, stage_ids: list[str], person_ids: list[str]) -> None:
    """Fill RACI cells in both layers: per stage and activity, one A, one or two R, some C and I."""
    rng = b.rng
    per_cell = min(len(person_ids), 5)
    cells = max(1, math.ceil(budget / (2 * len(stage_ids) * per_cell)))
    added = 0
    for cell in range(cells):
        activity = "" if cell == 0 else f"{ACTIVITIES[(cell - 1) % len(ACTIVITIES)]}" + (
            f" {cell // len(ACTIVITIES) + 1}" if cell > len(ACTIVITIES) else "")
        for layer in ("pilot", "today"):
            for stage_id in stage_ids:
                chosen = rng.sample(person_ids, per_cell)
                roles = ["A", "R"] + [rng.choice(("R", "C", "C", "I", "I")) for _ in chosen[2:]]
                if layer == "today" and rng.random() < 0.2:
                    roles[0] = "R"  # today's RACI has holes: no A here
                for person_id, role in zip(chosen, roles, strict=True):
                    if added >= budget:
                        return
                    b.put(RaciAssignment(id=b.new_id(), layer=layer, stage_id=stage_id, activity=activity,
                                         person_id=person_id, role=role))
                    added += 1


def record_count(tables: dict[str, Any]) -> int:
    """Records in ``tables``, the meta record aside."""
    return sum(len(table) for name, table in tables.items() if name != META_TABLE)


def write_workspace(path: str | Path, records: int, seed: int = 1) -> int:
    """Write a generated workspace to ``path``; return how many records it holds."""
    tables = generate(records, seed)
    Path(path).write_bytes(dump(tables))
    return record_count(tables)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic gtm-tui workspace of about N records.")
    parser.add_argument("records", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    written = write_workspace(args.out, args.records, args.seed)
    print(f"{args.out}: {written} records", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
