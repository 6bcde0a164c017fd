"""Board (key 8): the pieces of work as cards in a column per stage, moved on with the keys.

Arrows move between columns and cards; ] moves the card on and [ sends it
back along the process map's loop back, by the same rules as everywhere (an
open approval step refuses, other open steps ask; the card goes to the new
stage's R unless its owner is fixed; the new stage's run starts at once); enter
opens the piece with all its runs on the Checklists screen; f narrows the
board to one person or one flag. The board itself comes from
``gtm_tui.work.board``; the drawing from ``screens.widgets.board``.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from gtm_tui.data import clock
from gtm_tui.data.model import Person, Stage, WorkItem
from gtm_tui.overview.sections import counted
from gtm_tui.process.planning import calendar_of
from gtm_tui.screens.dialogs.forms import FormField, FormScreen
from gtm_tui.screens.main.base import MainScreen, choices_of
from gtm_tui.screens.widgets.board import BoardView
from gtm_tui.screens.widgets.moves import move_by
from gtm_tui.work import metrics, moving
from gtm_tui.work.board import FLAGS, BoardFilter, Card, build_board, flag_words
from gtm_tui.work.work_items import ordered_stages


class BoardScreen(MainScreen):
    SCREEN_NAME = "Board"
    SCREEN_KEY = "8"
    HELP_INTRO = (
        "Every piece of work as a card in the column of its stage: its owner, its run's progress (4/6), how long "
        "it has been in the stage and its flags (D delayed, R rework, L about to miss its live date, ⚑ blocked, "
        "! a step overdue). ] moves a card on (an open approval step refuses, other open steps ask first), "
        "[ sends it back for rework along the map's loop back; either way it goes to the R of the stage it "
        "enters unless its owner is fixed (e on the Metrics screen's work items); ctrl+z undoes it; enter opens "
        "the piece with all its runs; f shows one person's pieces or "
        "one flag's."
    )
    BINDINGS = [
        Binding("left,h", "cursor(-1, 0)", "Stage ←", key_display="←", show=False),
        Binding("right,l", "cursor(1, 0)", "Stage →", key_display="→", show=False),
        Binding("up,k", "cursor(0, -1)", "Card ↑", key_display="↑", show=False),
        Binding("down,j", "cursor(0, 1)", "Card ↓", key_display="↓", show=False),
        Binding("right_square_bracket", "move_card(1)", "Move on", key_display="]"),
        Binding("left_square_bracket", "move_card(-1)", "Send back", key_display="["),
        Binding("enter", "open_card", "Open piece"),
        Binding("f", "filter", "Filter"),
        Binding("x", "clear_filter", "Clear filter", show=False),
    ]
    DEFAULT_CSS = """
    BoardScreen #board-status { padding: 0 1; height: auto; }
    BoardScreen #board-detail {
        height: 3; padding: 0 1; border-top: solid $accent; text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.board_filter = BoardFilter()

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield Static("", id="board-status")
        yield BoardView(id="board")
        yield Static("", id="board-detail")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.board_view.focus()

    @property
    def board_view(self) -> BoardView:
        return self.query_one("#board", BoardView)

    def refresh_view(self) -> None:
        now = clock.now()
        workspace = self.workspace
        stages = ordered_stages(workspace.all(Stage))
        pilot = workspace.pilot()
        flags = metrics.all_flags(workspace, now)
        board = build_board(stages, workspace.all(WorkItem), moving.index_of(workspace), flags, calendar_of(pilot),
                            now, self.board_filter, pilot.live_stage_id)
        selected = self.board_view.selected_card()
        self.board_view.show(
            board, {p.id: p.name for p in workspace.all(Person)}, selected.item.id if selected else None
        )
        self._update_status()

    def _update_status(self) -> None:
        board = self.board_view.board
        pieces = sum(len(column.cards) for column in board.columns)
        text = Text.assemble(("Board ", "bold reverse"),
                             f" {counted(pieces, 'piece')} in {counted(len(board.columns), 'column')}")
        flagged = sum(1 for column in board.columns for card in column.cards if card.flags)
        if flagged:
            text.append(f" · {flagged} flagged", style="bold red")
        if self.board_filter.active:
            words = []
            if self.board_filter.person_id:
                words.append(f"{self.workspace.name_of(Person, self.board_filter.person_id)}'s pieces")
            if self.board_filter.flag:
                words.append(f"flag: {FLAGS[self.board_filter.flag][1]}")
            text.append("  Showing: ", style="bold")
            text.append(", ".join(words) + " (x shows all)", style="magenta")
        self.query_one("#board-status", Static).update(text)

    @on(BoardView.Selected)
    def _card_selected(self, event: BoardView.Selected) -> None:
        self.query_one("#board-detail", Static).update(self._detail(event.card))

    def _detail(self, card: Card | None) -> Text:
        if card is None:
            column = self.board_view.selected_column()
            return Text(f"{column.title}: no piece here." if column else "", style="dim")
        item = card.item
        text = Text(item.title, style="bold")
        facts = [self.workspace.name_of(Person, item.assignee_id, "no owner"), item.status]
        if item.due:
            facts.append(f"live date {item.due}")
        if card.progress is not None:
            facts.append(f"run {card.progress.done}/{card.progress.total} steps")
        text.append("  " + " · ".join(facts), style="dim")
        if card.flags:
            text.append("\n⚑ " + flag_words(card), style="red")
        return text

    # -- keys ---------------------------------------------------------------------------
    def action_cursor(self, dx: int, dy: int) -> None:
        """Move between stages (columns) and pieces (cards)."""
        self.board_view.move_cursor(dx, dy)

    def action_move_card(self, direction: int) -> None:
        """Move the selected piece on (1) or send it back (-1) along the map, saved at once."""
        card = self.board_view.selected_card()
        if card is None:
            self.notify("No piece selected.")
            return
        item = self.workspace.find(WorkItem, card.item.id)
        if item is not None:
            move_by(self, self.workspace, item, direction)

    def action_open_card(self) -> None:
        """Open the selected piece with all its runs (on the Checklists screen)."""
        card = self.board_view.selected_card()
        if card is None:
            self.notify("No piece selected.")
            return
        self.app.call_later(self.app.run_action, f"open_item('{card.item.id}')")

    def action_filter(self) -> None:
        """Show one person's pieces, or the pieces with one flag."""
        current = self.board_filter
        fields = [
            FormField("person_id", "Person", current.person_id, kind="choice",
                      choices=choices_of(self.workspace.all(Person)), hint="their pieces (the assignee)"),
            FormField("flag", "Flag", current.flag, kind="choice",
                      choices=[(words, key) for key, (_badge, words) in FLAGS.items()]),
        ]

        def submit(values: dict[str, Any]) -> BoardFilter:
            return BoardFilter(values.get("person_id"), values.get("flag"))

        def done(chosen: BoardFilter | None) -> None:
            if chosen is not None:
                self.board_filter = chosen
                self.refresh_view()

        self.app.push_screen(FormScreen("Show on the board", fields, submit), done)

    def action_clear_filter(self) -> None:
        """Show every piece again."""
        self.board_filter = BoardFilter()
        self.refresh_view()
