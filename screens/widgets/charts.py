"""Small charts of the pilot metrics, as Rich renderables that fit the width they are given.

They draw what ``gtm_tui.metrics`` computed and nothing else: bars of the
median days in each stage against the stage's expected days (the part over
expected in red: a bottleneck), a bar sparkline of items done per week, and the
waits at handoffs with the focus handoff highlighted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date

from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text

from gtm_tui.overview.sections import counted
from gtm_tui.work.baseline import change_of
from gtm_tui.work.metrics import StageFigure, WaitFigure, days_text

BLOCKS = " ▁▂▃▄▅▆▇█"
BOTTLENECK = "bold red"
WITHIN = "green"
EXPECTED = "grey50"


class StageBars:
    """One line per stage: name, median / expected days, and a bar.

    The bar is filled up to the median (green while within the expected
    days), the rest of the expected length is shaded, and what lies beyond the
    expected days is drawn red and the stage is called a bottleneck.
    """

    LABEL = 18
    FIGURES = 14
    SUFFIX = 13

    def __init__(self, stages: Iterable[StageFigure]) -> None:
        self.stages = list(stages)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(8, options.max_width - self.LABEL - self.FIGURES - self.SUFFIX - 3)
        longest = max([0.0, *(max(f.median_days or 0, f.expected_days or 0) for f in self.stages)])
        scale = width / longest if longest else 0
        for figure in self.stages:
            line = Text(figure.name[: self.LABEL - 1].ljust(self.LABEL), style="bold" if figure.bottleneck else "")
            expected = "—" if figure.expected_days is None else f"{figure.expected_days:g} d"
            actual = days_text(figure.median_days)
            line.append(f"{actual:>6} / {expected:<5}"[: self.FIGURES].ljust(self.FIGURES))
            line.append(" ")
            line.append_text(self._bar(figure, scale))
            if figure.bottleneck:
                line.append("  ⚠ bottleneck", style=BOTTLENECK)
            elif figure.visits == 0:
                line.append("  no visits yet", style="dim")
            yield line
        yield Text.assemble(
            ("█", WITHIN), " median days  ", ("░", EXPECTED), " expected  ", ("█", BOTTLENECK), " over expected",
            style="dim",
        )

    @staticmethod
    def _bar(figure: StageFigure, scale: float) -> Text:
        actual = round((figure.median_days or 0) * scale)
        expected = round((figure.expected_days or 0) * scale) if figure.expected_days is not None else None
        bar = Text()
        if expected is None:
            bar.append("█" * actual, style="cyan")
            return bar
        bar.append("█" * min(actual, expected), style=BOTTLENECK if figure.bottleneck else WITHIN)
        if actual < expected:
            bar.append("░" * (expected - actual), style=EXPECTED)
        elif actual > expected or figure.bottleneck:
            bar.append("█" * max(1, actual - expected), style=BOTTLENECK)
        return bar


def week_bars(weeks: list[tuple[date, int]]) -> Text:
    """Items done per week as a one-line sparkline of blocks, with the count and the week under each."""
    if not weeks:
        return Text("No weeks to show yet: set the pilot's start date or finish an item.", style="dim")
    most = max(count for _, count in weeks)
    blocks, counts, labels = Text(), Text(), Text()
    for week, count in weeks:
        level = 0 if not most else max(1 if count else 0, round(count / most * (len(BLOCKS) - 1)))
        blocks.append(f"{BLOCKS[level] * 6:<8}", style="cyan" if count else "dim")
        counts.append(f"{count:<8}")
        labels.append(f"{week.strftime('%d %b'):<8}", style="dim")
    return Text("\n").join([blocks, counts, labels])


def focus_line(figure: WaitFigure | None, name_of: Callable[[str], str]) -> Text:
    """The focus handoff's wait in one highlighted sentence."""
    if figure is None:
        return Text("No focus handoff chosen: pick the two stages on the Process screen.", style="dim")
    text = Text("Focus handoff  ", style="bold reverse yellow")
    text.append(f" {name_of(figure.from_stage_id)} → {name_of(figure.to_stage_id)}: ", style="bold")
    if not figure.waits:
        text.append("no item has passed it yet")
        return text
    text.append(
        f"median wait {days_text(figure.median_days)}", style=BOTTLENECK if figure.over_expected else "bold green"
    )
    text.append(f" (mean {days_text(figure.mean_days)}, longest {days_text(figure.max_days)}, "
                f"{counted(figure.waits, 'item')}")
    if figure.expected_days is not None:
        text.append(f", expected {figure.expected_days:g} d")
    text.append(")")
    if figure.over_expected:
        text.append("  ⚠ work waits here", style=BOTTLENECK)
    return text


BASELINE_COLUMNS = (("Baseline", "right"), ("vs baseline", "right"))


def _change(pilot: float | None, past: float | None) -> Text:
    change = change_of(pilot, past)
    return Text(change, style="green" if change.startswith("-") else ("red" if change.startswith("+") else "dim"))


def waits_table(waits: Iterable[WaitFigure], name_of: Callable[[str], str],
                baseline: Mapping[tuple[str, str], WaitFigure | None] | None = None) -> Table:
    """Every handoff with the waits measured at it (and the baseline's median wait, when one was measured)."""
    table = Table(box=None, header_style="bold", pad_edge=False, expand=False)
    columns = [("Handoff", "left"), ("Items", "right"), ("Median", "right"), ("Mean", "right"),
               ("Longest", "right"), ("Expected", "right")] + (list(BASELINE_COLUMNS) if baseline is not None else [])
    for column, justify in columns:
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for figure in waits:
        style = "bold yellow" if figure.focus else ("red" if figure.over_expected else "")
        name = f"{name_of(figure.from_stage_id)} → {name_of(figure.to_stage_id)}" + (
            "  ◆ focus" if figure.focus else ""
        )
        expected = "—" if figure.expected_days is None else f"{figure.expected_days:g} d"
        cells: list = [Text(name), str(figure.waits), days_text(figure.median_days), days_text(figure.mean_days),
                       days_text(figure.max_days), expected]
        if baseline is not None:
            past = baseline.get((figure.from_stage_id, figure.to_stage_id))
            past_days = past.median_days if past else None
            cells += [days_text(past_days), _change(figure.median_days, past_days)]
        table.add_row(*cells, style=style)
    return table


def stages_table(stages: Iterable[StageFigure], baseline: Mapping[str, StageFigure | None] | None = None) -> Table:
    """Time in stage as numbers: visits, median, mean, expected, late visits (and the baseline's median)."""
    table = Table(box=None, header_style="bold", pad_edge=False)
    columns = [("Stage", "left"), ("Visits", "right"), ("Median", "right"), ("Mean", "right"),
               ("Expected", "right"), ("Late", "right")] + (list(BASELINE_COLUMNS) if baseline is not None else [])
    for column, justify in columns:
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for figure in stages:
        expected = "—" if figure.expected_days is None else f"{figure.expected_days:g} d"
        cells: list = [Text(figure.name), str(figure.visits), days_text(figure.median_days),
                       days_text(figure.mean_days), expected, str(figure.overran)]
        if baseline is not None:
            past = baseline.get(figure.stage_id)
            past_days = past.median_days if past else None
            cells += [days_text(past_days), _change(figure.median_days, past_days)]
        table.add_row(*cells, style=BOTTLENECK if figure.bottleneck else "")
    return table


def minutes_text(minutes: float) -> str:
    """Logged time for a person to read: "3 h 20 min", "45 min"."""
    hours, rest = divmod(round(minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" + (f" {rest} min" if rest else "")


def minutes_table(title: str, rows: Iterable[tuple[str, float]]) -> Table:
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column(title)
    table.add_column("Logged", justify="right")
    for name, minutes in rows:
        table.add_row(Text(name), minutes_text(minutes))
    return table
