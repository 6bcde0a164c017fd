"""The drawn parts of the Process screen: the flowchart and the timeline, painted from the core's layouts.

The positions, routes, bars and totals come from ``gtm_tui.flowchart`` and
``gtm_tui.timeline``; this module only turns them into coloured Rich text.
"""

from __future__ import annotations

from datetime import datetime

from rich.console import Group
from rich.text import Text

from gtm_tui.data import clock
from gtm_tui.data.model import Handoff, Stage, WorkItem
from gtm_tui.data.workspace import Workspace
from gtm_tui.process import flowchart, timeline
from gtm_tui.work import metrics

# cell tag (from flowchart.draw) -> Rich style
FLOW_STYLES = {
    "": "",
    "box": "",
    "focus": "bold yellow",
    "bottleneck": "red",
    "title": "bold",
    "selected": "bold reverse",
    "detail": "",
    "next": "",
    "skip": "cyan",
    "back": "magenta",
    "focus-edge": "bold yellow",
    "label": "dim",
    "muted": "dim italic",
    "measured": "green",
    "over": "bold red",
}


def flowchart_renderable(workspace: Workspace, width: int, selected: str | None = None,
                         now: datetime | None = None) -> Group:
    """The flowchart of the workspace, laid out for ``width`` columns, with a legend underneath."""
    if not workspace.count(Stage):
        return Group(Text("No stages yet. Press a to add the first stage of the process.", style="dim"))
    canvas = flowchart.draw(flowchart.workspace_layout(workspace, width, now), selected=selected)
    chart = Text(no_wrap=True, overflow="ignore")
    for y in range(canvas.height):
        for text, tag in canvas.runs(y):
            chart.append(text, style=FLOW_STYLES.get(tag, ""))
        chart.append("\n")
    chart.rstrip()
    legend = Text(flowchart.LEGEND, style="dim")
    return Group(chart, Text(""), legend)


NAME_WIDTH = 22
ACTUAL_WIDTH = 12
FIGURE_WIDTH = 8 + 2 + ACTUAL_WIDTH + 1


def _days(value: float | None) -> str:
    return "—" if value is None else f"{value:g} d"


def timeline_renderable(workspace: Workspace, width: int, now: datetime | None = None) -> Group:
    """Expected days per stage as bars on a day scale, actual medians beside them, and the total."""
    stages = workspace.all(Stage)
    if not stages:
        return Group(Text("No stages yet. Press a to add the first stage of the process.", style="dim"))
    now = now or clock.now()
    figures = metrics.stage_times(workspace, now)
    line = timeline.build(stages, workspace.all(Handoff), workspace.all(WorkItem), now, figures)
    names = {stage.id: stage.name for stage in stages}
    bar_width = max(10, width - NAME_WIDTH - FIGURE_WIDTH - 2)
    out: list[Text] = [Text(line.summary(names), style="bold"), Text("")]
    head = Text(no_wrap=True, overflow="ellipsis")
    head.append(" " * NAME_WIDTH + "expected".rjust(8) + "  " + "actual".ljust(ACTUAL_WIDTH + 1), style="dim")
    head.append(timeline.scale(line.span, bar_width), style="dim")
    out.append(head)
    for row in line.rows:
        text = Text(no_wrap=True, overflow="ellipsis")
        label = f"{row.number:>2} {row.name}"
        label = label if len(label) < NAME_WIDTH else label[: NAME_WIDTH - 2] + "…"
        text.append(label.ljust(NAME_WIDTH), style="bold" if row.on_path else "")
        text.append(_days(row.expected).rjust(8) + "  ")
        if row.actual is not None:
            over = row.expected is not None and row.actual.median_days > row.expected
            actual = f"{row.actual.median_days:g} d ({row.actual.count})"
            text.append(actual.ljust(ACTUAL_WIDTH + 1), style="bold red" if over else "green")
        else:
            text.append("—".ljust(ACTUAL_WIDTH + 1), style="dim")
        first, cells = timeline.bar(row.start, float(row.expected or 0), line.span, bar_width)
        text.append(" " * first)
        text.append("█" * cells, style="cyan" if row.on_path else "dim cyan")
        if row.actual is not None:
            _, actual_cells = timeline.bar(row.start, row.actual.median_days, line.span, bar_width)
            if actual_cells > cells:  # the overrun past what was expected
                text.append("░" * (actual_cells - cells), style="red")
        out.append(text)
    out.append(Text(""))
    out.append(Text(
        "Bars: expected days from the earliest start (bold names are on the longest path; ░ = actual median past "
        "the expected days). Actual: median days in the stage over the work items' visits (how many).",
        style="dim",
    ))
    return Group(*out)
