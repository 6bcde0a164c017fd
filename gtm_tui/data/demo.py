"""The demo pilot behind ``gtm-tui --demo``: a realistic, deterministic example workspace.

Northwind Analytics, a B2B software company, launched "Insights 3.0" some
months ago and felt the launch content was slow to go live. Its marketing team
now pilots a new way of working on the Q4 content around the launch, following
the method in ``docs/product.md``: a mapped process of nine stages, a checklist
for every stage, RACI in two layers (how it works today, how the pilot wants
it), four weeks of measured work items, feedback for the review, themes,
priority fixes, recommendations and weekly check-ins.

Everything is placed relative to ``today`` and every id comes from a seeded
``random.Random``, so the same ``today`` always gives byte-identical tables:
snapshot tests and the committed ``sample_data/demo-pilot.json`` stay stable,
and a schema change shows up as a diff of that file.

The data sits in literal tables near the top; the functions below them only
turn keys ("writer", "review") into ids and offsets (days before ``today``)
into dates and timestamps.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from gtm_tui.data import clock
from gtm_tui.data.demo_runs import build_runs
from gtm_tui.data.model import (
    KIND_BY_TABLE,
    RECORD_KINDS,
    REVIEW_QUESTIONS,
    STEP_OWNER_ROLES,
    ActionItem,
    BaselineItem,
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
    Stage,
    Step,
    Theme,
    WorkItem,
)
from gtm_tui.data.references import missing_references
from gtm_tui.data.storage import META_KEY, META_TABLE, meta_record
from gtm_tui.data.workspace import Workspace

# The "today" of the committed sample file and of the screen snapshots (a Wednesday).
DEMO_TODAY = date(2026, 11, 18)

# Fixed, so ids do not change between runs; unrelated to ``today`` on purpose.
_SEED = 3_0_2026

# A moment is (days relative to today, "HH:MM"); negative days are in the past.
Moment = tuple[int, str]


# --------------------------------------------------------------------------
# The team

class PersonSpec(NamedTuple):
    key: str
    name: str
    role: str
    team: str
    contact: str
    external: bool = False


PEOPLE = (
    PersonSpec("lead", "Maya Thornton", "Marketing lead", "Marketing", "maya.thornton@northwind-analytics.com"),
    PersonSpec("campaign", "Daniel Okafor", "Campaign manager", "Marketing", "daniel.okafor@northwind-analytics.com"),
    PersonSpec("writer", "Priya Raman", "Content writer", "Content", "@priya.writes"),
    PersonSpec("designer", "Lukas Brenner", "Designer (freelance)", "External", "lukas@brenner.studio", external=True),
    PersonSpec("social", "Sofia Alvarez", "Social media manager", "Marketing", "@sofia.social"),
    PersonSpec("webdev", "Tom Becker", "Web developer / site builder", "Web", "tom.becker@northwind-analytics.com"),
    PersonSpec("pmm", "Aisha Karimi", "Product marketing manager", "Product marketing",
               "aisha.karimi@northwind-analytics.com"),
)


# --------------------------------------------------------------------------
# The process: from "we decide on a piece of content" to "it is live"

class StageSpec(NamedTuple):
    key: str
    name: str
    owner: str
    expected_days: float
    prerequisites: str
    today_note: str
    bottleneck: str = ""


STAGES = (
    StageSpec(
        "idea", "Idea & brief", "campaign", 2,
        "Launch messaging doc from product marketing; a free slot in the content calendar",
        "Requests arrive in Slack DMs and the Monday meeting; briefs are half-filled Google Docs",
    ),
    StageSpec(
        "strategy", "Strategy sign-off", "lead", 1,
        "A brief with audience, goal, channel, deadline and owner",
        "Signed off in the weekly marketing meeting, or in passing in Slack",
    ),
    StageSpec(
        "copy", "Copywriting", "writer", 3,
        "Approved brief; product messaging and proof points from product marketing",
        "The writer chases product marketing for feature details; drafts live in Google Docs",
    ),
    StageSpec(
        "design", "Creative design", "designer", 3,
        "Final or near-final copy, brand kit v3, image sizes per channel",
        "Requests reach the freelancer by e-mail, often without the final copy",
        bottleneck="The freelancer works Mondays and Thursdays; requests sent on Friday wait until Monday",
    ),
    StageSpec(
        "review", "Creative review", "pmm", 2,
        "Copy and visuals together in one Figma file",
        "Four people comment in Slack, Figma and e-mail; the writer merges contradicting comments",
        bottleneck="Comments come from several people in three places; "
                   "finished reviews sit until someone moves them on",
    ),
    StageSpec(
        "approval", "Launch approval", "lead", 1,
        "Reviewed copy and creative, final links, product claims cleared",
        "The lead approves whatever reaches her inbox; nobody tells her an item is ready",
        bottleneck="Nobody is sure who gives the final yes, so items wait until the lead notices them",
    ),
    StageSpec(
        "build", "Build & upload", "webdev", 2,
        "Approved final files, UTM links, alt text",
        "The developer picks files from e-mail threads and asks which version is final",
    ),
    StageSpec(
        "publish", "Publish", "social", 1,
        "Uploaded asset and a slot in the content calendar",
        "Posts go out when the social media manager has a moment; no fixed days",
    ),
    StageSpec(
        "measure", "Measure", "campaign", 7,
        "Live link with UTM parameters; analytics events firing",
        "Numbers are looked at only when leadership asks",
    ),
)

# The team's days off, in days from today (the holidays); the demo week is Monday to Friday.
DAYS_OFF = (36, 37, 43)

# The hardest handoff, the one the pilot is testing.
FOCUS = ("review", "approval")


class HandoffSpec(NamedTuple):
    source: str
    target: str
    what: str
    expected_days: float
    note: str = ""


HANDOFFS = (
    HandoffSpec("idea", "strategy", "Completed brief in the campaign tracker", 0.5),
    HandoffSpec("strategy", "copy", "Signed-off brief with messaging and proof points", 0.5),
    HandoffSpec("copy", "design", "Final copy and a design request in the Figma board", 1),
    HandoffSpec("design", "review", "Figma file with copy and visuals, reviewers tagged", 0.5),
    HandoffSpec(
        "review", "approval", "Reviewed files in 'Ready for approval', approver tagged in #gtm-pilot", 1,
        note="Today nobody passes reviewed work on; the pilot makes the move explicit",
    ),
    HandoffSpec("approval", "build", "Approved final files in 'Ready to publish'", 0.5),
    HandoffSpec("build", "publish", "Preview link and the scheduled slot", 0.5),
    HandoffSpec("publish", "measure", "Live link with UTM parameters", 1),
    # A skip: visuals built from product screenshots need no new copy.
    HandoffSpec("strategy", "design", "Signed-off brief for screenshot-based visuals", 1,
                note="Skips copywriting when the visual needs no new text"),
    # A loop back: the rework the pilot wants to see less of.
    HandoffSpec("review", "copy", "Copy sent back for rework", 1,
                note="Rework loop; every use is counted as a feedback cycle"),
)


# --------------------------------------------------------------------------
# RACI: who is Responsible, Accountable, Consulted, Informed, per stage

# The pilot layer: exactly one A and at least one R on every stage.
RACI_PILOT: dict[str, dict[str, str]] = {
    "idea": {"campaign": "A/R", "pmm": "C", "lead": "I", "writer": "I"},
    "strategy": {"lead": "A", "campaign": "R", "pmm": "C"},
    "copy": {"writer": "R", "campaign": "A", "pmm": "C", "designer": "I"},
    "design": {"designer": "R", "campaign": "A", "writer": "C"},
    "review": {"pmm": "R", "campaign": "A", "writer": "C", "designer": "C", "lead": "I"},
    "approval": {"lead": "A", "campaign": "R", "pmm": "C", "webdev": "I", "social": "I"},
    "build": {"webdev": "R", "campaign": "A", "designer": "C"},
    "publish": {"social": "R", "campaign": "A", "webdev": "C", "lead": "I"},
    "measure": {"campaign": "A/R", "social": "R", "lead": "I", "pmm": "I"},
}

# How it works today, as mapped with the team: the problems are real ones the
# RACI screen should flag (two A on strategy sign-off, no A on the focus stage
# Creative review, no A on Measure).
RACI_TODAY: dict[str, dict[str, str]] = {
    "idea": {"campaign": "R", "lead": "A"},
    "strategy": {"lead": "A", "pmm": "A", "campaign": "R"},
    "copy": {"writer": "R", "lead": "A", "pmm": "C", "campaign": "C"},
    "design": {"designer": "R", "lead": "A"},
    "review": {"pmm": "R", "lead": "R", "campaign": "C", "writer": "C", "designer": "I"},
    "approval": {"lead": "A/R", "pmm": "C"},
    "build": {"webdev": "A/R", "campaign": "I"},
    "publish": {"social": "A/R"},
    "measure": {"campaign": "R"},
}

# A finer row inside a stage: approving the copy is PMM's call in the pilot.
RACI_ACTIVITIES = (
    ("pilot", "review", "approve copy", {"pmm": "A", "writer": "R", "campaign": "C"}),
)


# --------------------------------------------------------------------------
# Stage steps: precise lines every piece goes through, not "write a post"

class StepSpec(NamedTuple):
    text: str
    owner: str = "R"  # "R" / "A": the stage's R or A (pilot RACI) when a run starts; else a person's key
    approval: bool = False
    offset: float | None = None  # working days after entering the stage; None: the stage's expected days
    links: str = ""  # where to find it: a key of LINKS


# Where to find it: the tools each stage works in (stage key or step links key -> (label, URL or path)).
LINKS: dict[str, tuple[tuple[str, str], ...]] = {
    "idea": (("Brief template", "https://docs.google.com/document/d/northwind-brief-template"),
             ("Content calendar", "https://docs.google.com/spreadsheets/d/northwind-content-calendar")),
    "design": (("Figma: Launch / Design", "https://www.figma.com/design/northwind-insights-launch?node=design"),
               ("Brand kit v3", "/Shared drives/Marketing/Brand/Brand kit v3")),
    "review": (("Figma: Launch / Review", "https://www.figma.com/design/northwind-insights-launch?node=review"),),
    "publish": (("Scheduler: launch queue", "https://app.buffer.com/northwind/queue"),),
    "design_sources": (("Design sources folder", "/Shared drives/Marketing/Launch Q4/Design sources"),),
    "review_window": (("Review thread", "https://www.figma.com/design/northwind-insights-launch?node=review&comments=1"),),
    # ... and the stage steps' own (a key of STEPS' ``links``)
    "tracker": (("Campaign tracker: Q4 launch", "https://tracker.northwind-analytics.com/q4-launch"),),
    "design_requests": (("Figma: design requests", "https://www.figma.com/design/northwind-insights-launch?node=requests"),),
    "brand": (("Brand kit v3", "/Shared drives/Marketing/Brand/Brand kit v3"),),
    "ready_for_approval": (("Ready for approval", "/Shared drives/Marketing/Launch Q4/Ready for approval"),),
    "ready_to_publish": (("Ready to publish", "/Shared drives/Marketing/Launch Q4/Ready to publish"),),
}


def _links(key: str) -> list[dict[str, str]]:
    return [{"label": label, "target": target} for label, target in LINKS.get(key, ())]


STEPS: dict[str, tuple[StepSpec, ...]] = {
    "idea": (
        StepSpec("Request logged in the campaign tracker and linked to the launch plan (no requests by DM)", offset=0,
                 links="tracker"),
        StepSpec("Brief names audience, goal, channel, deadline and owner"),
        StepSpec("Product messaging and proof points attached by product marketing", "pmm"),
        StepSpec("Deadline checked against the content calendar"),
    ),
    "strategy": (
        StepSpec("Brief fits the Insights 3.0 launch story and Q4 priorities", "A"),
        StepSpec("Channel mix agreed (blog, newsletter, LinkedIn, landing page)", "A"),
        StepSpec("Brief signed off by the marketing lead", "A", approval=True),
        StepSpec("Sign-off recorded in the tracker with the date"),
    ),
    # The seed's "post" lines: where the idea comes from, the format, what the
    # text must include, who approves, where the graphic is made ...
    "copy": (
        StepSpec("Where the idea comes from: the signed-off brief in the tracker (link it)", offset=0),
        StepSpec("Format: blog 900-1,200 words / LinkedIn post up to 1,300 characters / newsletter block 120 words",
                 offset=1),
        StepSpec("Text must include: headline, one key message, a proof point from PMM, a CTA with a UTM link"),
        StepSpec("Who approves: PMM checks product facts, the campaign manager approves tone "
                 "(comments in the doc only)", "A", approval=True),
        StepSpec("Where the graphic is made: a request in the Figma design board with the final copy attached",
                 links="design_requests"),
    ),
    "design": (
        StepSpec("Brand kit v3 and Insights 3.0 screenshots taken from the shared folder", offset=0,
                 links="brand"),
        StepSpec("Sizes per channel: LinkedIn 1200x1200, blog header 1600x900, newsletter 600 px wide"),
        StepSpec("Alt text written for every image", "writer"),
        StepSpec("Source files saved to Launch/Insights 3.0/Design, not on a laptop",
                 links="design_sources"),
    ),
    "review": (
        StepSpec("All comments in one Figma thread within 48 hours", offset=2, links="review_window"),
        StepSpec("Product claims checked against the release notes"),
        StepSpec("Brand and tone check", "A"),
        StepSpec("One consolidated list of changes sent to the writer and the designer", "A"),
        StepSpec("Reviewed files moved to 'Ready for approval' and the approver tagged in #gtm-pilot", "A",
                 links="ready_for_approval"),
    ),
    "approval": (
        StepSpec("Final go-live approved by the marketing lead", "A", approval=True),
        StepSpec("Claims such as '3x faster dashboards' cleared with legal", "pmm"),
        StepSpec("Final links and UTM parameters checked"),
        StepSpec("Launch date and time confirmed with sales and support", "A"),
    ),
    "build": (
        StepSpec("Final files taken from the 'Ready to publish' folder only", offset=0,
                 links="ready_to_publish"),
        StepSpec("Page built in the CMS with meta title, description and social image"),
        StepSpec("Forms and tracking tested (UTM links, analytics events)"),
        StepSpec("Preview link shared in #gtm-pilot for a last look"),
    ),
    # ... and the rest of them: which days it goes out, how it reaches the uploader.
    "publish": (
        StepSpec("Which days it is published: LinkedIn Tue and Thu 10:00, newsletter Wed 08:00, blog Mon", offset=0),
        StepSpec("How it reaches the person who uploads it: copy and image in 'Ready to publish' plus the tracker "
                 "link in #gtm-pilot", "A"),
        StepSpec("Scheduled in the social scheduler with the first comment and hashtags"),
        StepSpec("Sales told in #sales-updates with the live link"),
    ),
    "measure": (
        StepSpec("Numbers after 7 days (visits, sign-ups, click-through) logged in the pilot sheet"),
        StepSpec("Time spent, feedback cycles and clarifications logged for the item", offset=2),
        StepSpec("What worked shared at the weekly check-in", "lead"),
    ),
}

TEMPLATES = (
    ("Webinar promo", (
        "Webinar title, date and speaker confirmed",
        "Registration page live with UTM links",
        "Three promo posts scheduled: two weeks, one week and one day before",
        "Reminder e-mail to registrants 24 hours before",
        "Recording and slides sent to attendees within 48 hours",
    )),
    ("Customer story", (
        "Customer approved the quotes in writing",
        "Permission to use the customer's logo on file",
        "Figures checked with the account manager",
        "Story published on the blog and shared by the customer",
    )),
)


# --------------------------------------------------------------------------
# Work items: four weeks of real launch content moving through the stages

class Visit(NamedTuple):
    """A stay in a stage; ``left`` only where it differs from the next visit's entry (a wait between stages)."""

    stage: str
    entered: Moment
    left: Moment | None = None


class Log(NamedTuple):
    at: Moment
    minutes: int
    person: str
    note: str


class WorkSpec(NamedTuple):
    key: str
    title: str
    assignee: str
    due: int
    status: str
    visits: tuple[Visit, ...] = ()
    time_log: tuple[Log, ...] = ()
    feedback: tuple[tuple[Moment, str], ...] = ()
    clarifications: tuple[tuple[Moment, str], ...] = ()
    delayed: bool = False
    rework: bool = False


def V(stage: str, day: int, hhmm: str, left_day: int | None = None, left_hhmm: str = "") -> Visit:
    """A visit, written short; give ``left_day``/``left_hhmm`` when the work then waited for the next stage."""
    return Visit(stage, (day, hhmm), (left_day, left_hhmm) if left_day is not None else None)


# Creative review -> Launch approval waits 2-5 days on almost every item (the
# handoff expects 1): that is the bottleneck the pilot is testing.
WORK_ITEMS = (
    WorkSpec(
        "blog", "Launch blog post: Insights 3.0 is here", "writer", -14, "done",
        visits=(V("idea", -28, "09:30"), V("strategy", -27, "11:00"), V("copy", -26, "10:00"),
                V("design", -22, "16:00"), V("review", -20, "12:00", -19, "15:00"), V("approval", -16, "10:00"),
                V("build", -15, "17:00"), V("publish", -14, "12:00"), V("measure", -13, "10:00")),
        time_log=(Log((-26, "14:00"), 180, "writer", "First draft"),
                  Log((-23, "10:00"), 90, "writer", "Rewrite after PMM comments"),
                  Log((-21, "11:00"), 150, "designer", "Header image and inline graphics"),
                  Log((-19, "14:00"), 45, "pmm", "Product accuracy review"),
                  Log((-15, "16:00"), 120, "webdev", "Built the post in the CMS"),
                  Log((-14, "11:00"), 20, "social", "Scheduled promo posts")),
        feedback=(((-23, "09:40"), "PMM: feature names are from the beta"),
                  ((-19, "14:30"), "Campaign manager: intro too technical")),
        clarifications=(((-26, "11:00"), "Which customers may we name?"),
                        ((-23, "15:00"), "Is the '3x faster' claim approved?")),
    ),
    WorkSpec(
        "press", "Press release: Northwind launches Insights 3.0", "pmm", -15, "done",
        visits=(V("idea", -28, "10:00"), V("strategy", -28, "15:00"), V("copy", -27, "09:00"),
                V("design", -23, "10:00"), V("review", -22, "10:00", -21, "12:00"), V("approval", -19, "09:00"),
                V("build", -16, "14:00"), V("publish", -15, "09:00"), V("measure", -15, "10:00")),
        time_log=(Log((-27, "13:00"), 240, "pmm", "Draft and executive quotes"),
                  Log((-23, "11:00"), 30, "designer", "Header image"),
                  Log((-19, "10:00"), 30, "lead", "Final read"),
                  Log((-16, "15:00"), 40, "webdev", "Newsroom page")),
        feedback=(((-22, "16:00"), "Leadership rewrote the CEO quote"),),
        clarifications=(((-27, "10:00"), "What is the embargo time?"),),
    ),
    WorkSpec(
        "hero", "Landing page hero", "designer", -12, "done",
        # Screenshot-based: takes the skip from strategy sign-off straight to design.
        visits=(V("idea", -27, "14:00"), V("strategy", -26, "09:00"), V("design", -26, "15:00"),
                V("review", -21, "10:00", -20, "16:00"), V("approval", -16, "14:00"), V("build", -15, "10:00"),
                V("publish", -13, "09:00"), V("measure", -13, "11:00")),
        time_log=(Log((-23, "09:00"), 300, "designer", "Three hero variants"),
                  Log((-20, "11:00"), 30, "pmm", "Review"),
                  Log((-16, "15:00"), 20, "lead", "Approval"),
                  Log((-14, "10:00"), 180, "webdev", "Build and responsive checks")),
        feedback=(((-21, "15:00"), "Variant B chosen; swap in the new dashboard screenshot"),
                  ((-20, "12:00"), "Headline contrast too low")),
        clarifications=(((-26, "16:00"), "Which screenshot shows the new dashboard?"),),
    ),
    WorkSpec(
        "news2", "Newsletter #2: launch announcement", "campaign", -9, "done",
        visits=(V("idea", -21, "09:00"), V("strategy", -20, "10:00"), V("copy", -19, "11:00"),
                V("design", -16, "10:00"), V("review", -14, "11:00", -13, "17:00"), V("approval", -9, "10:00"),
                V("build", -8, "11:00"), V("publish", -8, "16:00"), V("measure", -7, "08:00")),
        time_log=(Log((-21, "10:00"), 60, "campaign", "Brief and segment"),
                  Log((-19, "14:00"), 150, "writer", "Copy"),
                  Log((-16, "11:00"), 90, "designer", "Banner"),
                  Log((-14, "15:00"), 40, "pmm", "Review"),
                  Log((-9, "11:00"), 15, "lead", "Approval"),
                  Log((-8, "12:00"), 60, "webdev", "Built in the e-mail tool")),
        feedback=(((-14, "15:30"), "Two reviewers asked for opposite subject lines"),
                  ((-13, "11:00"), "Banner resized for Outlook"),
                  ((-9, "11:15"), "Lead asked for a shorter intro at approval")),
        clarifications=(((-19, "11:30"), "Which segment gets the newsletter?"),
                        ((-16, "09:30"), "Does the promo code apply to existing customers?")),
    ),
    WorkSpec(
        "carousel", "LinkedIn carousel: 5 new features", "social", 0, "in progress", rework=True,
        visits=(V("idea", -20, "09:30"), V("strategy", -20, "14:00"), V("copy", -19, "10:00"),
                V("design", -16, "14:00"), V("review", -13, "10:00"), V("copy", -12, "11:00"),
                V("design", -9, "09:00"), V("review", -7, "10:00", -6, "15:00"), V("approval", -2, "10:00"),
                V("build", -1, "14:00"), V("publish", -1, "16:00")),
        time_log=(Log((-20, "10:00"), 90, "social", "Outline"),
                  Log((-19, "13:00"), 120, "writer", "Slide copy"),
                  Log((-16, "15:00"), 240, "designer", "Ten slides"),
                  Log((-12, "13:00"), 60, "writer", "Rework after review"),
                  Log((-9, "10:00"), 120, "designer", "Redid slides 3-7"),
                  Log((-7, "11:00"), 30, "pmm", "Review"),
                  Log((-2, "11:00"), 10, "lead", "Approval")),
        feedback=(((-13, "11:00"), "Slides 3-7 describe the old export flow"),
                  ((-12, "10:30"), "Copy too full of jargon"),
                  ((-7, "14:00"), "Logo placement on the cover"),
                  ((-6, "13:00"), "Final tweak to the call-to-action slide")),
        clarifications=(((-19, "10:30"), "How many characters fit on a slide?"),
                        ((-16, "14:30"), "Which feature goes first?"),
                        ((-12, "11:30"), "Which export screenshot is current?")),
    ),
    WorkSpec(
        "news3", "Newsletter #3: customer tips", "campaign", -2, "in progress", rework=True,
        visits=(V("idea", -13, "09:00"), V("strategy", -12, "10:00"), V("copy", -12, "15:00"),
                V("design", -8, "10:00"), V("review", -6, "11:00"), V("copy", -5, "10:00"),
                V("design", -2, "11:00"), V("review", -1, "15:00")),
        time_log=(Log((-13, "10:00"), 45, "campaign", "Brief"),
                  Log((-12, "16:00"), 120, "writer", "Tips and intro"),
                  Log((-8, "11:00"), 60, "designer", "Layout"),
                  Log((-6, "12:00"), 30, "pmm", "Review"),
                  Log((-5, "11:00"), 75, "writer", "Rework: tips re-ordered, tip 2 replaced"),
                  Log((-2, "12:00"), 40, "designer", "Layout update")),
        feedback=(((-6, "12:30"), "PMM: tip 2 uses a feature not in 3.0"),
                  ((-5, "09:30"), "Campaign manager: need subject line variants for an A/B test")),
        clarifications=(((-12, "15:30"), "Which customer tips may we quote?"),
                        ((-8, "10:30"), "Sign-up link: trial or demo?"),
                        ((-5, "10:15"), "Is tip 2 in the release or not?")),
    ),
    WorkSpec(
        "thumb", "Demo video thumbnail and YouTube copy", "designer", -1, "blocked",
        visits=(V("idea", -16, "11:00"), V("strategy", -15, "10:00"), V("copy", -14, "14:00"),
                V("design", -12, "10:00"), V("review", -9, "11:00", -8, "12:00"), V("approval", -5, "10:00")),
        time_log=(Log((-14, "15:00"), 60, "writer", "YouTube title and description"),
                  Log((-12, "11:00"), 150, "designer", "Thumbnail options"),
                  Log((-9, "12:00"), 20, "pmm", "Review")),
        feedback=(((-9, "13:00"), "Thumbnail text unreadable on mobile"),),
        clarifications=(((-12, "10:30"), "Which cut: the 2-minute or the 5-minute video?"),
                        ((-5, "11:00"), "Who approves YouTube copy, PMM or the lead?")),
    ),
    WorkSpec(
        "story", "Customer story: Contoso Retail", "writer", 6, "in progress",
        visits=(V("idea", -9, "10:00"), V("strategy", -8, "09:00"), V("copy", -7, "14:00")),
        time_log=(Log((-7, "15:00"), 90, "writer", "Interview notes"),
                  Log((-5, "10:00"), 120, "writer", "First draft")),
        clarifications=(((-7, "16:00"), "May we use Contoso's logo?"),
                        ((-6, "11:00"), "Which figures did the customer approve?"),
                        ((-2, "14:00"), "Who asks the customer to sign off the quotes?")),
    ),
    WorkSpec(
        "webinar", "Webinar promo: What's new in Insights 3.0", "social", -3, "in progress",
        visits=(V("idea", -14, "09:00"), V("strategy", -13, "10:00"), V("copy", -13, "14:00"),
                V("design", -9, "10:00"), V("review", -7, "14:00", -6, "11:00"), V("approval", -2, "09:00")),
        time_log=(Log((-14, "10:00"), 60, "social", "Promo plan"),
                  Log((-13, "15:00"), 90, "writer", "Three promo posts"),
                  Log((-9, "11:00"), 120, "designer", "Speaker cards"),
                  Log((-7, "15:00"), 25, "pmm", "Review")),
        feedback=(((-7, "16:00"), "Speaker photo swapped"),
                  ((-6, "10:00"), "Date format inconsistent across posts")),
        clarifications=(((-13, "11:00"), "Is the webinar date confirmed?"),),
    ),
    WorkSpec(
        "notes", "Release notes page", "webdev", 2, "in progress",
        visits=(V("idea", -12, "10:00"), V("strategy", -12, "14:00"), V("copy", -11, "10:00"),
                V("design", -8, "11:00"), V("review", -6, "10:00", -5, "16:00"), V("approval", -2, "11:00"),
                V("build", -1, "10:00")),
        time_log=(Log((-11, "11:00"), 120, "pmm", "Feature list"),
                  Log((-10, "10:00"), 90, "writer", "Release notes copy"),
                  Log((-8, "12:00"), 45, "designer", "Feature icons"),
                  Log((-6, "11:00"), 20, "pmm", "Review"),
                  Log((-1, "11:00"), 90, "webdev", "Page build")),
        feedback=(((-6, "11:30"), "Missing the API changes section"),),
        clarifications=(((-11, "10:30"), "Are the API changes public yet?"),),
    ),
    WorkSpec(
        "onepager", "Sales one-pager", "pmm", 4, "in progress",
        visits=(V("idea", -8, "14:00"), V("strategy", -7, "10:00"), V("copy", -7, "15:00"), V("design", -5, "10:00")),
        time_log=(Log((-7, "16:00"), 150, "pmm", "Content"),
                  Log((-5, "11:00"), 60, "designer", "Layout")),
        clarifications=(((-7, "15:30"), "Which pricing tiers do we show?"),),
    ),
    WorkSpec(
        "ads", "Paid social ads (4 variants)", "social", 9, "in progress",
        visits=(V("idea", -2, "10:00"),),
        time_log=(Log((-2, "11:00"), 45, "social", "Audience and variants"),),
        clarifications=(((-1, "09:30"), "What is the budget per variant?"),),
    ),
    WorkSpec("partner", "Partner newsletter blurb", "campaign", 12, "not started"),
)


# --------------------------------------------------------------------------
# The baseline: the Insights 3.0 launch itself, as its Trello board recorded it
# (lists mapped onto the same stages; "Ready for approval" was a list of its own,
# so its time is the wait between Creative review and Launch approval).

BASELINE_BOARD = ("Trello board 'Insights 3.0 launch'", "insights-3-launch-board.json")
BASELINE_ITEMS = (
    ("Launch blog post (beta)", -222, True,
     (V("idea", -245, "09:00"), V("strategy", -244, "10:00"), V("copy", -243, "10:00"), V("design", -238, "10:00"),
      V("review", -236, "10:00", -235, "16:00"), V("approval", -230, "10:00"), V("build", -228, "10:00"),
      V("publish", -226, "10:00"), V("measure", -225, "10:00"))),
    ("Press release: Insights 3.0", -224, True,
     (V("idea", -244, "10:00"), V("strategy", -243, "14:00"), V("copy", -242, "10:00"), V("design", -237, "10:00"),
      V("review", -235, "10:00", -234, "12:00"), V("approval", -231, "10:00"), V("build", -230, "09:00"),
      V("publish", -227, "09:00"), V("measure", -226, "09:00"))),
    ("Launch newsletter", -220, True,
     (V("idea", -240, "09:00"), V("strategy", -239, "10:00"), V("copy", -238, "10:00"), V("design", -234, "10:00"),
      V("review", -232, "10:00"), V("copy", -231, "10:00"), V("design", -228, "10:00"),
      V("review", -226, "10:00", -225, "12:00"), V("approval", -220, "10:00"), V("build", -218, "10:00"),
      V("publish", -217, "09:00"), V("measure", -216, "09:00"))),
    ("Feature video thumbnail", -215, True,
     (V("idea", -236, "10:00"), V("strategy", -235, "10:00"), V("copy", -234, "10:00"), V("design", -231, "10:00"),
      V("review", -228, "10:00", -227, "16:00"), V("approval", -224, "10:00"), V("build", -223, "11:00"),
      V("publish", -221, "09:00"), V("measure", -220, "09:00"))),
    ("Landing page", -212, True,
     (V("idea", -234, "09:00"), V("strategy", -233, "10:00"), V("design", -232, "10:00"),
      V("review", -229, "10:00", -228, "15:00"), V("approval", -223, "10:00"), V("build", -221, "10:00"),
      V("publish", -219, "09:00"), V("measure", -218, "09:00"))),
    ("Webinar invitation posts", -210, False,  # dropped after the webinar moved: never went live
     (V("idea", -230, "09:00"), V("strategy", -229, "10:00"), V("copy", -228, "10:00"),
      V("design", -224, "10:00"))),
)


def _add_baseline(b: _Builder) -> None:
    """The launch campaign's cards as baseline items, measured like the pilot's own work items."""
    moments = []
    for title, due, done, visits in BASELINE_ITEMS:
        history = _stage_history(b, visits)
        moments += [v["entered_at"] for v in history] + [v["left_at"] for v in history if v["left_at"]]
        done_at = history[-1]["entered_at"] if done else None
        b.add(BaselineItem(id=b.new_id(), title=title, due=b.day(due), stage_id=history[-1]["stage_id"],
                           status="done" if done else "in progress", stage_history=history, done_at=done_at,
                           source=f"trello:{b.new_id()}", created_at=b.at(_PLANNED), updated_at=b.at(_PLANNED)))
    first, last = min(moments), max(moments)
    b.baseline_source = {
        "label": BASELINE_BOARD[0], "file": BASELINE_BOARD[1], "format": "trello", "items": len(BASELINE_ITEMS),
        "first": first[:10], "last": last[:10], "until": last,
        "mapping": {name: spec.name for name, spec in zip(
            ("Ideas", "Strategy", "Writing", "Design", "Review", "Approval", "Build", "Scheduled", "Done"), STAGES,
            strict=True)},
        "unmapped": ["Ready for approval"], "missing": ["feedback cycles per item", "clarification requests per item"],
        "taken_at": b.at(_PLANNED),
    }


# --------------------------------------------------------------------------
# The review: feedback collected in advance, themes, fixes, recommendations

THEMES = (
    # key, name, dots per person (every person has three)
    ("scattered", "Review comments in three places cause rework",
     {"lead": 1, "campaign": 1, "writer": 2, "designer": 2, "pmm": 1}),
    ("approver", "Nobody moves reviewed work on to launch approval",
     {"lead": 2, "campaign": 1, "writer": 1, "social": 2, "webdev": 2}),
    ("checklists", "Checklists make briefs and handoffs complete",
     {"campaign": 1, "webdev": 1, "pmm": 1}),
    ("capacity", "Freelance design capacity",
     {"designer": 1, "social": 1, "pmm": 1}),
)

# question position, person (None = anonymous), text, theme, day given (relative to the retro, the last check-in)
FEEDBACK = (
    (0, "writer", "The copy checklist told me the format and word count up front, no more guessing.", "checklists", -5),
    (0, "campaign", "Briefs arrive complete now; I stopped chasing audience and deadline in DMs.", "checklists", -4),
    (0, "webdev", "Taking files only from 'Ready to publish' ended the 'which version is final?' hunt.",
     "checklists", -3),
    (0, "social", "Fixed publishing days turned scheduling into a ten-minute job.", None, -3),
    (1, "designer", "Review comments still come by Slack, Figma and e-mail, and sometimes contradict each other.",
     "scattered", -5),
    (1, "writer", "Copy came back twice after design was done: rework a single review round would have caught.",
     "scattered", -4),
    (1, None, "Items sat in Creative review for days after the review was finished; nobody moved them on.",
     "approver", -3),
    (1, "designer", "I work Mondays and Thursdays; requests sent on a Friday wait until Monday.", "capacity", -2),
    (2, "pmm", "Being R on Creative review and A on 'approve copy' made my part clear.", None, -4),
    (2, "social", "Still unclear who gives the final yes on social posts: the lead or the campaign manager?",
     "approver", -2),
    (2, None, "Today two people were accountable for strategy sign-off; the pilot layer fixed that.", None, -2),
    (2, "webdev", "I am only informed on Launch approval and hear about launches last; make me consulted.",
     "approver", -1),
    (3, "lead", "One approver per item, tagged the moment the review is done.", "approver", -1),
    (3, "campaign", "A 48-hour window for all review comments, in one place.", "scattered", -1),
    (3, "designer", "Fixed design days in the calendar so requests can be planned.", "capacity", -1),
)

# key-based links: ("stages", "review") or ("checklist_items", "review_handoff") or ("handoffs", "review>approval")
ACTIONS = (
    ("Tag one accountable approver when the review is done; the approver answers within one working day",
     "lead", 2, "in progress", "approver",
     (("stages", "approval"), ("handoffs", "review>approval"), ("checklist_items", "review_handoff")),
     "Agreed at the mid-pilot retro; try it for the last two weeks"),
    ("All review comments in one Figma thread within 48 hours; the campaign manager consolidates them",
     "campaign", 6, "open", "scattered",
     (("stages", "review"), ("checklist_items", "review_window")), ""),
    ("Book fixed design days with the freelancer (Mon and Thu) in the content calendar",
     "campaign", -1, "done", "capacity", (("stages", "design"),), "Calendar invites sent"),
)

RECOMMENDATIONS = (
    ("simplify", "approval",
     "Let short social posts skip the separate Launch approval: the Creative review A approves them."),
    ("coordination", "review",
     "Move reviewed files to 'Ready for approval' and tag the approver in #gtm-pilot, so the handoff is visible."),
    ("automation", "copy",
     "Create the design request automatically when copy is approved in the tracker, with the copy attached."),
)

# Weekly check-ins, newest last: (weeks before the most recent one, who was absent, notes, blockers)
CHECKINS = (
    (2, ("webdev",),
     "First full week: six items in flight. Briefs are complete thanks to the checklist; review comments still "
     "arrive in three places.",
     (("writer", "work_items", "blog", "Waiting for PMM to confirm the '3x faster' claim"),)),
    (1, (),
     "Launch blog and press release are live. Three items waited three or more days between Creative review and "
     "Launch approval: nobody tagged the approver.",
     (("campaign", "work_items", "news2", "Newsletter #2 has waited for launch approval since Friday"),
      ("designer", "checklist_items", "design_sources", "No access to the shared Design folder yet"))),
    (0, ("designer",),
     "Mid-pilot retro: feedback grouped into four themes, three priority fixes agreed. Webinar promo and demo "
     "thumbnail still wait for approval.",
     (("pmm", "checklist_items", "legal", "Legal has not cleared '3x faster dashboards'"),
      ("social", "work_items", "webinar", "Webinar promo waiting for launch approval; the webinar is in nine days"))),
)


# --------------------------------------------------------------------------
# Building


class _Builder:
    """Turns keys into ids and day offsets into stamps, and collects validated records."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.rng = random.Random(_SEED)
        self.tables: dict[str, dict[str, dict[str, Any]]] = {kind.TABLE: {} for kind in RECORD_KINDS}
        self.ids: dict[tuple[str, str], str] = {}  # (table, key) -> record id
        self.baseline_source: dict[str, Any] = {}

    def new_id(self) -> str:
        while True:
            record_id = f"{self.rng.getrandbits(48):012x}"
            if not any(record_id in table for table in self.tables.values()):
                return record_id

    def day(self, offset: int) -> str:
        return (self.today + timedelta(days=offset)).isoformat()

    def at(self, moment: Moment) -> str:
        offset, hhmm = moment
        moment_dt = datetime.combine(self.today + timedelta(days=offset), time.fromisoformat(hhmm), UTC)
        return moment_dt.isoformat()

    def id(self, table: str, key: str) -> str:
        return self.ids[(table, key)]

    def person(self, key: str | None) -> str | None:
        return self.known_person(key) if key else None

    def known_person(self, key: str) -> str:
        return self.id(Person.TABLE, key)

    def stage(self, key: str) -> str:
        return self.id(Stage.TABLE, key)

    def add(self, record: Record, key: str = "") -> Record:
        """Validate ``record`` and keep it; ``key`` lets later records refer to it."""
        record.validate()
        self.tables[record.TABLE][record.id] = record.to_dict()
        if key:
            self.ids[(record.TABLE, key)] = record.id
        return record


# Setup happened the week before the pilot started: the map and today's RACI
# first, the pilot layer and checklists a few days later.
_MAPPED = (-35, "10:00")
_PLANNED = (-31, "14:00")


def _add_people(b: _Builder) -> None:
    for spec in PEOPLE:
        stamp = b.at(_MAPPED)
        b.add(Person(id=b.new_id(), name=spec.name, role=spec.role, team=spec.team, contact=spec.contact,
                     external=spec.external, created_at=stamp, updated_at=stamp), spec.key)


def _add_stages(b: _Builder) -> None:
    stamp = b.at(_MAPPED)
    for position, spec in enumerate(STAGES):
        b.add(Stage(id=b.new_id(), name=spec.name, position=position, owner_id=b.person(spec.owner),
                    expected_days=spec.expected_days, prerequisites=spec.prerequisites, bottleneck=spec.bottleneck,
                    today_note=spec.today_note, links=_links(spec.key), created_at=stamp, updated_at=stamp), spec.key)


def _add_handoffs(b: _Builder) -> None:
    stamp = b.at(_MAPPED)
    for spec in HANDOFFS:
        b.add(Handoff(id=b.new_id(), from_stage_id=b.stage(spec.source), to_stage_id=b.stage(spec.target),
                      what=spec.what, expected_days=spec.expected_days, note=spec.note,
                      created_at=stamp, updated_at=stamp), f"{spec.source}>{spec.target}")


def _add_raci(b: _Builder) -> None:
    rows = [("today", stage, "", cells) for stage, cells in RACI_TODAY.items()]
    rows += [("pilot", stage, "", cells) for stage, cells in RACI_PILOT.items()]
    rows += list(RACI_ACTIVITIES)
    for layer, stage, activity, cells in rows:
        stamp = b.at(_MAPPED if layer == "today" else _PLANNED)
        for person, role in cells.items():
            b.add(RaciAssignment(id=b.new_id(), layer=layer, stage_id=b.stage(stage), activity=activity,
                                 person_id=b.known_person(person), role=role, created_at=stamp, updated_at=stamp))


def _add_steps(b: _Builder) -> None:
    stamp = b.at(_PLANNED)
    for stage, specs in STEPS.items():
        for position, spec in enumerate(specs):
            person = spec.owner not in STEP_OWNER_ROLES
            b.add(Step(id=b.new_id(), stage_id=b.stage(stage), text=spec.text, position=position,
                       owner_id=b.person(spec.owner) if person else None, owner_role="R" if person else spec.owner,
                       approval=spec.approval, links=_links(spec.links), offset_days=spec.offset,
                       created_at=stamp, updated_at=stamp))


def _add_runs(b: _Builder) -> None:
    def keys(table: str) -> dict[str, str]:
        return {record_id: key for (kind, key), record_id in b.ids.items() if kind == table}

    made = build_runs(b.tables, b.today, b.new_id, b.rng, keys(WorkItem.TABLE), keys(Stage.TABLE))
    for record in made.records:
        b.add(record)
    for key, record_id in made.keys.items():
        b.ids[(ChecklistItem.TABLE, key)] = record_id


def _add_templates(b: _Builder) -> None:
    stamp = b.at(_PLANNED)
    for name, lines in TEMPLATES:
        b.add(ChecklistTemplate(id=b.new_id(), name=name, items=list(lines), created_at=stamp, updated_at=stamp))


def _stage_history(b: _Builder, visits: tuple[Visit, ...]) -> list[dict[str, Any]]:
    """Visits as stored: a stage is left when the next is entered, unless the work waited in between."""
    history = []
    for index, visit in enumerate(visits):
        if visit.left is not None:
            left = b.at(visit.left)
        elif index + 1 < len(visits):
            left = b.at(visits[index + 1].entered)
        else:
            left = None  # the stage it is in now
        history.append({"stage_id": b.stage(visit.stage), "entered_at": b.at(visit.entered), "left_at": left})
    return history


def _add_work_items(b: _Builder) -> None:
    for spec in WORK_ITEMS:
        history = _stage_history(b, spec.visits)
        stamps = [v["entered_at"] for v in history] + [v["left_at"] for v in history if v["left_at"]]
        time_log = [{"at": b.at(log.at), "minutes": log.minutes, "person_id": b.person(log.person), "note": log.note}
                    for log in spec.time_log]
        feedback = [{"at": b.at(moment), "note": note} for moment, note in spec.feedback]
        clarifications = [{"at": b.at(moment), "note": note} for moment, note in spec.clarifications]
        stamps += [entry["at"] for entry in time_log + feedback + clarifications]
        # A done item went live when it reached its last stage (Measure).
        done_at = history[-1]["entered_at"] if spec.status == "done" else None
        created = min(stamps) if stamps else b.at(_PLANNED)
        b.add(WorkItem(id=b.new_id(), title=spec.title, assignee_id=b.person(spec.assignee), due=b.day(spec.due),
                       stage_id=history[-1]["stage_id"] if history else None, status=spec.status,
                       stage_history=history, time_log=time_log, feedback_cycles=feedback,
                       clarifications=clarifications, rework=spec.rework, delayed=spec.delayed, done_at=done_at,
                       created_at=created, updated_at=max(stamps) if stamps else created), spec.key)


def _add_review(b: _Builder) -> None:
    stamp = b.at(_PLANNED)
    for position, text in enumerate(REVIEW_QUESTIONS):
        b.add(Question(id=b.new_id(), text=text, position=position, created_at=stamp, updated_at=stamp), str(position))

    # Feedback came in during the days before the mid-pilot retro (the last
    # check-in); themes and fixes came out of the retro itself.
    retro_day = _last_tuesday_offset(b.today)
    retro = b.at((retro_day, "11:00"))
    for key, name, dots in THEMES:
        votes = {b.known_person(person): count for person, count in dots.items()}
        b.add(Theme(id=b.new_id(), name=name, votes=votes, created_at=retro, updated_at=retro), key)

    for position, person, text, theme, day in FEEDBACK:
        given = b.at((retro_day + day, "16:00"))
        b.add(Feedback(id=b.new_id(), question_id=b.id(Question.TABLE, str(position)), person_id=b.person(person),
                       text=text, phase="before", theme_id=b.id(Theme.TABLE, theme) if theme else None,
                       created_at=given, updated_at=retro if theme else given))

    for title, owner, due, status, theme, links, note in ACTIONS:
        b.add(ActionItem(id=b.new_id(), title=title, owner_id=b.person(owner), due=b.day(due), status=status,
                         theme_id=b.id(Theme.TABLE, theme),
                         links=[{"table": table, "id": b.id(table, key)} for table, key in links], note=note,
                         created_at=retro, updated_at=retro))

    for kind, stage, text in RECOMMENDATIONS:
        b.add(Recommendation(id=b.new_id(), text=text, kind=kind, stage_id=b.stage(stage),
                             created_at=retro, updated_at=retro))


def _last_tuesday_offset(today: date) -> int:
    """Days from ``today`` back to the most recent Tuesday before it (never today itself)."""
    return -((today.weekday() - 1) % 7 or 7)


def _add_checkins(b: _Builder) -> None:
    last = _last_tuesday_offset(b.today)
    everyone = [spec.key for spec in PEOPLE]
    for weeks_back, absent, notes, blockers in CHECKINS:
        day = last - 7 * weeks_back
        stamp = b.at((day, "10:45"))
        b.add(CheckIn(id=b.new_id(), date=b.day(day),
                      attendee_ids=[b.known_person(key) for key in everyone if key not in absent], notes=notes,
                      blockers=[{"person_id": b.person(person), "item_id": b.id(table, key), "note": note}
                                for person, table, key, note in blockers],
                      created_at=stamp, updated_at=stamp))


def _add_pilot(b: _Builder) -> None:
    pilot = Pilot(
        id=b.new_id(),
        name="Q4 product launch workflow pilot",
        campaign="Insights 3.0 launch (Northwind Analytics)",
        campaign_start=b.day(-245),
        campaign_end=b.day(-196),
        # The launch's own figures, typed from its retrospective, where its board cannot tell them;
        # the rest is measured from the board (``_add_baseline``).
        baseline={
            "feedback cycles per item": 3.4,
            "clarification requests per item": 2.5,
            "cost per lead (EUR)": 48,
        },
        baseline_source=b.baseline_source,
        goal=("Cut the time from brief to live from 21 to 14 days and halve feedback cycles by giving the "
              "Creative review -> Launch approval handoff one accountable approver and a checklist at every stage."),
        focus_from_stage_id=b.stage(FOCUS[0]),
        focus_to_stage_id=b.stage(FOCUS[1]),
        lead_id=b.person("lead"),
        channel="#gtm-pilot",
        checkin_weekday=1,  # Tuesday
        checkin_time="10:00",
        time_zone="Europe/Berlin",
        start_date=b.day(-28),
        end_date=b.day(14),
        status="running",
        follow_up_date=b.day(28),
        days_off=[b.day(offset) for offset in DAYS_OFF],
        live_stage_id=b.stage("publish"),  # Measure comes after the piece is live
        created_at=b.at(_MAPPED),
        updated_at=b.at((_last_tuesday_offset(b.today), "11:00")),
    )
    b.add(pilot)


def dangling_references(tables: dict[str, dict[str, dict[str, Any]]]) -> list[str]:
    """Every reference in ``tables`` that points nowhere (check-in blockers' item ids included); empty when sound."""
    found = []
    for table, kind in KIND_BY_TABLE.items():
        for record_id, data in tables.get(table, {}).items():
            record = kind.from_dict(data)
            for field_name, ref_table, ref_id in missing_references(record, lambda t, i: i in tables.get(t, {})):
                found.append(f"{table} {record_id}: {field_name} -> {ref_table} {ref_id}")
            for blocker in getattr(record, "blockers", []):
                item_id = blocker.get("item_id")
                if item_id and item_id not in tables[ChecklistItem.TABLE] and item_id not in tables[WorkItem.TABLE]:
                    found.append(f"{table} {record_id}: blocker -> {item_id}")
    return found


def build_demo(today: date) -> dict[str, dict[str, dict[str, Any]]]:
    """The full tables of the demo workspace, placed around ``today``; the same ``today`` gives the same tables."""
    b = _Builder(today)
    # The order matters only for the ids the seeded generator hands out.
    _add_people(b)
    _add_stages(b)
    _add_handoffs(b)
    _add_raci(b)
    _add_steps(b)
    _add_templates(b)
    _add_work_items(b)
    _add_baseline(b)
    _add_runs(b)  # every visit of every work item, as a run of that stage's steps
    _add_review(b)
    _add_checkins(b)
    _add_pilot(b)
    problems = dangling_references(b.tables)
    if problems:  # a typo in the tables above; fail loudly rather than ship a broken demo
        raise ValueError("demo data refers to missing records: " + "; ".join(problems))
    return {**b.tables, META_TABLE: {META_KEY: meta_record()}}


def write_demo(path: str | Path, today: date | None = None) -> Workspace:
    """Write the demo pilot to a new file at ``path`` (refusing to overwrite one) and open it."""
    return Workspace.create(path, tables=build_demo(today or clock.today()))
