"""GtmApp: opens the workspace, wires the main screens, keys, help and the command palette.

Nothing else lives here: screens do their own work through the Workspace.

Start-up is what everyone waits for each time: what the first frame does not
need (the reminders, "your turn", conflict copies, the screens themselves) is
imported and counted right after that frame is drawn, where it is used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from importlib import import_module
from pathlib import Path

from textual.app import SystemCommand
from textual.binding import Binding
from textual.filter import LineFilter
from textual.notifications import SeverityLevel
from textual.reactive import var
from textual.screen import Screen
from textual.worker import Worker

from gtm_tui.data.model import Person
from gtm_tui.data.safe_text import visible
from gtm_tui.data.workspace import ChangeSet, SaveError, Workspace, WorkspaceFileError
from gtm_tui.screens.app_state import Revision, SaveState
from gtm_tui.screens.drafts import Drafts
from gtm_tui.screens.export_jobs import ExportJobs
from gtm_tui.screens.key_order import KeysInOrderApp
from gtm_tui.screens.main.base import MainScreen
from gtm_tui.screens.toasts import HeldToast, ToastHold, dialog_open
from gtm_tui.screens.user_text import ControlFilter, SafeSystemCommands
from gtm_tui.sharing.identity import IdentityError, IdentityStore, who_am_i, workspace_key


@dataclass(frozen=True)
class MainScreenEntry:
    """A main screen as the app knows it before its module is imported.

    Importing all nine screens up front costs start-up time a user waits
    for; each one is imported on its first visit instead. ``commands`` are
    the screen's actions the palette offers from anywhere:
    (title, help, action run on that screen after switching to it).
    """

    key: str
    name: str
    module: str
    class_name: str
    commands: tuple[tuple[str, str, str], ...] = ()

    @property
    def mode(self) -> str:
        return self.name.lower()

    def load(self) -> type[MainScreen]:
        return getattr(import_module(self.module), self.class_name)

    def make(self) -> MainScreen:
        """A new screen of this kind (how the app's MODES build one on the first visit)."""
        return self.load()()


# The main screens, in the order of their number keys.
MAIN_SCREENS: tuple[MainScreenEntry, ...] = (
    MainScreenEntry("1", "Overview", "gtm_tui.screens.main.overview", "OverviewScreen",
                    (("Pilot setup", "Scope, team, rhythm and dates of the pilot", "pilot_setup"),)),
    MainScreenEntry("2", "Process", "gtm_tui.screens.main.process", "ProcessScreen",
                    (("Flowchart", "The process map drawn as a flowchart", "view('flowchart')"),
                     ("Timeline", "Expected and actual days per stage", "view('timeline')"))),
    MainScreenEntry("3", "Checklists", "gtm_tui.screens.main.checklists", "ChecklistsScreen",
                    (("Stand-up mode", "Go through the team one person at a time", "standup"),)),
    MainScreenEntry("4", "RACI", "gtm_tui.screens.main.raci", "RaciScreen",
                    (("RACI overlay", "Where the pilot's roles differ from today's", "overlay"),
                     ("Pilot RACI from today's", "Start the pilot's roles as a copy of today's (asks before replacing)",
                      "copy_today"))),
    MainScreenEntry("5", "Metrics", "gtm_tui.screens.main.metrics", "MetricsScreen"),
    MainScreenEntry("6", "Retro", "gtm_tui.screens.main.retro", "RetroScreen",
                    (("Meeting mode", "Live notes for the review meeting", "meeting"),
                     ("Report for leadership", "The Markdown report of the pilot", "report"),
                     ("Recommendations", "What the wrap-up proposes: read, add, edit", "recommendations"),
                     ("Add recommendation", "Propose a change: simplify a stage, coordination, an automation",
                      "add_recommendation"))),
    MainScreenEntry("7", "People", "gtm_tui.screens.main.people", "PeopleScreen"),
    MainScreenEntry("8", "Board", "gtm_tui.screens.main.board", "BoardScreen",
                    (("Board filter", "One person's pieces, or one flag's", "filter"),)),
    MainScreenEntry("9", "Calendar", "gtm_tui.screens.main.calendar", "CalendarScreen",
                    (("Calendar: month / week", "The content calendar by month or by week", "toggle_span"),)),
)
RELOAD_CHECK_SECONDS = 1.0
SCREENS_GROUP = Binding.Group("Screens")  # the number keys, shown together in the footer; help names each screen


def _ours(node: object, binding: Binding) -> bool:
    """Whether one of our screens or widgets declared this binding (not the app, not stock Textual, even inherited)."""
    for cls in type(node).__mro__:
        if not cls.__module__.startswith("gtm_tui.screens.") or cls.__dict__.get("MOVING_AROUND"):
            continue  # stock keys, or a widget of ours standing in for a stock one (its cursor keys)
        for declared in cls.__dict__.get("BINDINGS", ()):
            if isinstance(declared, Binding) and declared.action == binding.action:
                return True
            if isinstance(declared, tuple) and declared[1] == binding.action:
                return True
    return False


class GtmApp(KeysInOrderApp):
    """The gtm-tui application over one workspace file.

    Its state is declared, not set ad hoc: screens watch ``revision`` to redraw
    after a change, the title and status line follow all three (watch methods
    below), and ``screens/app_state.py`` says what a screen may count on.
    """

    revision: var[Revision] = var(Revision(), init=False)
    """Where the workspace is; set after every saved or reloaded change."""
    session_person: var[str | None] = var(None, init=False)
    """Who sits at this keyboard (a person's id, kept per machine), or None: each item's owner."""
    looking: var[bool] = var(False, init=False)
    """This machine said "just looking": ticks go to each item's owner, nothing waits on anyone here."""
    save_state: var[SaveState] = var(SaveState(), init=False)
    """Whether the last change reached the file, and whether today's backup was made."""

    CSS_PATH = "app.tcss"
    TITLE = "gtm-tui"
    COMMANDS = {SafeSystemCommands}
    MODES = {entry.mode: entry.make for entry in MAIN_SCREENS}
    # The footer shows a screen's own keys first, then these in this order: help, undo and redo fit beside a
    # screen's keys at 120 columns; the screens' number keys come last, as one group ("1 2 … 9 Screens").
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", key_display="?"),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("ctrl+y,ctrl+shift+z", "redo", "Redo"),
        Binding("q", "quit", "Quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
        *(Binding(entry.key, f"go('{entry.mode}')", entry.name, group=SCREENS_GROUP) for entry in MAIN_SCREENS),
    ]

    def __init__(
        self, path: str | Path, workspace: Workspace | None = None, identities: IdentityStore | None = None
    ) -> None:
        super().__init__()
        self.path = Path(path)
        self.workspace: Workspace | None = workspace
        self.identities = identities if identities is not None else IdentityStore()
        self._unsubscribe: Callable[[], None] | None = None
        self._offered_copies: set[str] = set()  # conflict copies the user was already told about
        self._control_filter = ControlFilter()
        self._waiting: set[tuple[str, str, str]] = set()  # what waited on the person here at the last look
        self.drafts = Drafts()  # what was typed and left unsaved (esc in a form, leaving a stand-up)
        self._held_toasts = ToastHold()  # raised while a dialog is open; shown when it closes
        self.exports = ExportJobs(self, changed=self._update_title)  # the exports being written, each in a worker
        # Start-up has said what it says once the first screen is up (below): a still picture waits for it.
        self.told_at_start_up = False

    # -- text from the file is hostile ---------------------------------------------
    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, then ours: no control character in any line drawn reaches the terminal."""
        return [*super().get_line_filters(), self._control_filter]

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast shows its text as typed: names in it are never markup, control characters are made visible.

        While a dialog is open the toast waits until it closes: it would cover the dialog (``screens/toasts.py``).
        """
        toast = HeldToast(visible(message, allow_newlines=True), visible(title), severity, timeout)
        if dialog_open(self):
            self._held_toasts.keep(toast)
        else:
            self._show_toast(toast)

    def _show_toast(self, toast: HeldToast) -> None:
        super().notify(toast.message, title=toast.title, severity=toast.severity, timeout=toast.timeout, markup=False)

    def _screen_changed(self, _screen: Screen) -> None:
        """The last dialog closed: show what was said while it was open."""
        if self._held_toasts and not dialog_open(self):
            for toast in self._held_toasts.release():
                self._show_toast(toast)

    # -- start-up ----------------------------------------------------------------
    def on_mount(self) -> None:
        self.screen_change_signal.subscribe(self, self._screen_changed)
        if self.workspace is None:
            from gtm_tui.screens.pushed.firstrun import FirstRunScreen

            self.push_screen(FirstRunScreen(self.path), self._first_run_done)
        else:
            self._start()

    def _first_run_done(self, workspace: Workspace | None) -> None:
        if workspace is None:
            self.exit(message="No workspace was created.")
            return
        self.workspace = workspace
        self._start()

    def _start(self) -> None:
        assert self.workspace is not None
        self._unsubscribe = self.workspace.subscribe(self._workspace_changed)
        identity = who_am_i(self.workspace, self.identities)
        if identity is not None:
            # Set without calling the watchers: what waits on this person is looked up after the first frame.
            self.set_reactive(GtmApp.session_person, identity.person_id)
            self.set_reactive(GtmApp.looking, identity.looking)
        self._update_title()
        self.switch_mode("overview")
        if identity is None and self.identities.ask_on_first_open and self.workspace.all(Person):
            # Imported on use, as the first-run screen is: the form widgets cost start-up time
            # on every later open, when this machine already knows who it is.
            from gtm_tui.screens.dialogs.whoami import ask_who

            ask_who(self, self.workspace, first_open=True)
        self.set_interval(RELOAD_CHECK_SECONDS, self._check_for_outside_changes)
        self.call_after_refresh(self._after_first_frame)

    def _after_first_frame(self) -> None:
        """What start-up tells once the first screen is up: conflict copies, reminders, what waits on you.

        Each reads much of the pilot (every checklist item, the RACI), so none holds up the first frame.
        """
        self._offer_conflict_copies()
        self._look_for_turns(say=False)
        self._remind()
        self.told_at_start_up = True

    def _remind(self) -> None:
        from gtm_tui.checklists.reminders import startup_notice  # after the first frame (module docstring)

        if self.workspace is not None and (notice := startup_notice(self.workspace)):
            self.notify(notice, title="Reminders", severity="warning", timeout=10)

    # -- the workspace -------------------------------------------------------------
    def _workspace_changed(self, change_set: ChangeSet) -> None:
        """The Workspace's listener: a change was saved, or a teammate's was reloaded."""
        assert self.workspace is not None
        self.save_state = SaveState(backup_error=self.workspace.backup_error)
        self.revision = self.revision.after(change_set)
        if change_set.external:  # a teammate's save, noticed by polling or at our own save
            self.notify(change_set.description, title="Reloaded")
        self._look_for_turns(say=True)

    def _look_for_turns(self, *, say: bool) -> None:
        """Note what waits on the person here; with ``say``, tell them once about what is new since the last look."""
        from gtm_tui.overview.your_turn import new_turns, notice, turns_for  # after the first frame

        if self.workspace is None:
            return
        try:
            waiting = turns_for(self.workspace, self.session_person)
        except WorkspaceFileError:
            return
        fresh = new_turns(self._waiting, waiting)
        self._waiting = {turn.key for turn in waiting}
        if say and fresh:
            self.notify(notice(fresh), title="Your turn", timeout=10, markup=False)

    def _check_for_outside_changes(self) -> None:
        if self.workspace is None:
            return
        try:
            self.workspace.reload_if_changed()
        except WorkspaceFileError as error:
            self.show_save_error(str(error))
        self._offer_conflict_copies()

    def _offer_conflict_copies(self) -> None:
        """Say once per copy that a synced folder left a conflict copy beside the file."""
        from gtm_tui.sharing.copies import conflict_copies  # after the first frame (module docstring)

        copies = {path.name for path in conflict_copies(self.workspace)} if self.workspace else set()
        new = copies - self._offered_copies
        self._offered_copies &= copies
        if new:
            self._offered_copies |= new
            self.notify(
                f"Conflict cop{'ies' if len(copies) != 1 else 'y'} beside the file: {', '.join(sorted(copies))}. "
                "ctrl+p → Fold in conflict copies merges them in.",
                title="Conflict copies",
                severity="warning",
                timeout=15,
            )

    def action_who_am_i(self) -> None:
        """Say who sits at this keyboard; your ticks, approvals, notes and votes carry it."""
        from gtm_tui.screens.dialogs.whoami import ask_who  # on use, as at start-up

        if self.workspace is not None:
            ask_who(self, self.workspace)

    def action_conflicts(self) -> None:
        """Show the merge conflicts to settle."""
        from gtm_tui.screens.pushed.conflicts import ConflictsScreen

        if self.workspace is not None and not isinstance(self.screen, ConflictsScreen):
            self.push_screen(ConflictsScreen())

    # -- the title and status line follow the state ----------------------------------
    def watch_revision(self) -> None:
        self._update_title()  # the pilot may have been renamed, the person ticking deleted

    def watch_session_person(self) -> None:
        self._update_title()
        self._look_for_turns(say=False)  # what already waits on them is in "For you", not a toast

    def watch_looking(self) -> None:
        self._update_title()

    def say_who(self, person_id: str | None) -> None:
        """This machine's person is ``person_id`` (None: just looking); kept in the user's config folder."""
        self.session_person, self.looking = person_id, person_id is None
        if self.workspace is None:
            return
        name = self.workspace.name_of(Person, person_id, "")
        try:
            self.identities.remember(workspace_key(self.workspace), person_id, name=name, file=self.path.resolve())
        except IdentityError as error:
            self.notify(f"{error}; it holds until you quit.", title="Not remembered", severity="warning", markup=False)

    def watch_save_state(self, before: SaveState, after: SaveState) -> None:
        if after.backup_error and after.backup_error != before.backup_error:
            # Said once: the status line keeps "no backup today" until a backup is made again.
            self.notify(f"{after.backup_error}. Your changes are still saved; copy the file somewhere safe.",
                        title="Backup failed", severity="warning", timeout=15, markup=False)
        self._update_title()

    def _update_title(self) -> None:
        if self.workspace is None:
            return
        try:
            self.title = visible(self.workspace.pilot().name)
            person = self.workspace.find(Person, self.session_person)
        except WorkspaceFileError:
            self.title, person = "gtm-tui", None
        who = f" · you are {person.name}" if person else " · just looking" if self.looking else ""
        exporting = f" · {self.exports.describe()}" if self.exports.running() else ""
        self.sub_title = visible(f"{self.path.name} · {self.save_state.describe()}{who}{exporting}")

    def show_save_error(self, message: str) -> None:
        """Show in the status line that the last change did not reach the file."""
        self.save_state = replace(self.save_state, error=message)

    # -- actions -----------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Before a workspace is open (the first-run screen) the screen keys and undo have nothing to act on."""
        return not (action in ("go", "undo", "redo") and self.workspace is None)

    def action_go(self, mode: str) -> None:
        """Show a main screen (toasts about the screen left behind go with it)."""
        if self.workspace is not None:
            self.clear_notifications()
            self.switch_mode(mode)

    def action_open_item(self, item_id: str) -> None:
        """Open one piece of work with all its runs (the Checklists screen, picked on it)."""
        self.action_go("checklists")
        self.call_after_refresh(lambda: self.screen.show_item(item_id) if isinstance(self.screen, MainScreen) else None)

    def _run_on(self, mode: str, action: str) -> None:
        """Switch to a main screen, then run one of its actions there (for the palette)."""
        self.action_go(mode)
        self.call_after_refresh(lambda: self.run_action(action, self.screen))

    def unsaved_work(self) -> list[str]:
        """What quitting now would lose: drafts, what open screens and forms hold unsaved, exports being written."""
        lines = self.drafts.describe()
        for screen in self.screen_stack:
            said = getattr(screen, "unsaved_work", lambda: None)()
            if said and said not in lines:
                lines.append(said)
        return lines + [job.describe() for job in self.exports.running()]

    async def action_quit(self) -> None:
        """Quit; first ask when something would be lost (a draft, stand-up notes, a form, an export being written)."""
        lost = self.unsaved_work()
        if not lost:
            self.exit()
            return
        from gtm_tui.screens.dialogs.forms import ConfirmScreen  # on use: imported with the first form anyway

        if isinstance(self.screen, ConfirmScreen) and self.screen.question.startswith("Quit and lose"):
            return
        self.push_screen(ConfirmScreen("Quit and lose what is not saved?", lost, yes="Quit"),
                         lambda really: self.exit() if really else None)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """An export's worker ended: say where the file is, or why it was not written (``screens/export_jobs.py``)."""
        self.exports.settled(event.worker)

    def action_undo(self) -> None:
        """Undo the last change made in this session."""
        self._undo_or_redo(redo=False)

    def action_redo(self) -> None:
        """Make again the change the last undo reverted (until a new change is made)."""
        self._undo_or_redo(redo=True)

    def _undo_or_redo(self, *, redo: bool) -> None:
        """Undo or redo, and say what in words (the toast never shows a record's id).

        Not while a dialog is open (the palette's Undo run over a form): it would change a saved record behind
        a form being filled in or a question being asked. A form says so in its own words; its keys do the same.
        """
        if self.workspace is None:
            return
        if dialog_open(self):
            say_why = getattr(self.screen, "action_undo_waits", None)  # a form; any other dialog: nothing
            if say_why is not None:
                say_why(redo)
            return
        try:
            done = self.workspace.redo() if redo else self.workspace.undo()
        except SaveError as error:
            self.show_save_error(str(error))
            self.notify(str(error), severity="error", markup=False)
            return
        if done is None:
            self.notify("Nothing to redo." if redo else "Nothing to undo.")
        else:
            self.notify(done.words, markup=False)

    def action_help(self) -> None:
        """Show every key of the current screen and of the app."""
        from gtm_tui.screens.pushed.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self._help_title(), self._help_sections(self.screen), self._help_intro()))

    def _help_title(self) -> str:
        name = getattr(self.screen, "SCREEN_NAME", "") or "gtm-tui"
        return f"Help — {name}"

    def _help_intro(self) -> str:
        return getattr(self.screen, "HELP_INTRO", "")

    def _help_sections(self, screen: Screen) -> list[tuple[str, list[tuple[str, str]]]]:
        """The screen's own keys first, then moving around in the focused widget, then the app's."""
        screen_keys: list[tuple[str, str]] = []
        widget_keys: list[tuple[str, str]] = []
        app_keys: list[tuple[str, str]] = []
        seen: dict[str, tuple[list[tuple[str, str]], int, Binding]] = {}  # description -> where it is listed
        for node, binding, _enabled, _tooltip in screen.active_bindings.values():
            if not binding.description:
                continue
            key = binding.key_display or self.get_key_display(binding)
            if binding.description in seen:
                # One binding on several keys (ctrl+y, ctrl+shift+z) lists them all, unless it names its own display.
                group, index, first = seen[binding.description]
                listed = group[index][0]
                if first.action == binding.action and binding.key_display is None and key not in listed.split():
                    group[index] = (f"{listed} {key}", binding.description)
                continue
            group = app_keys if node is self else screen_keys if _ours(node, binding) else widget_keys
            seen[binding.description] = (group, len(group), binding)
            group.append((key, binding.description))
        sections = []
        if screen_keys:
            sections.append((getattr(screen, "SCREEN_NAME", "") or "This screen", screen_keys))
        sections.extend(self._other_panes_keys(screen))
        if widget_keys:
            sections.append(("Moving around", widget_keys))
        sections.append(("Everywhere", app_keys))
        return sections

    def _other_panes_keys(self, screen: Screen) -> list[tuple[str, list[tuple[str, str]]]]:
        """The keys of the screen's panes that do not have the focus (the meeting's notes and themes while a
        note is typed): a pane says where its keys work with ``HELP_TITLE``, e.g. "In the themes"."""
        focused = set(screen.focused.ancestors_with_self) if screen.focused is not None else set()
        sections = []
        for pane in screen.query("*"):
            title = getattr(pane, "HELP_TITLE", "")
            if not title or pane in focused:
                continue
            keys = [(binding.key_display or self.get_key_display(binding), binding.description)
                    for _key, binding in pane._bindings if binding.description and _ours(pane, binding)]
            if keys:
                sections.append((title, list(dict.fromkeys(keys))))  # a binding on two keys is listed once
        return sections

    # -- command palette -----------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every main screen, every key of the current screen, and the app's own commands."""
        seen: set[str] = set()
        if self.workspace is not None:
            for entry in MAIN_SCREENS:
                yield SystemCommand(
                    f"Go to {entry.name}",
                    f"Show the {entry.name} screen (key {entry.key})",
                    lambda mode=entry.mode: self.action_go(mode),
                )
                for title, help_text, action in entry.commands:
                    seen.add(title)
                    yield SystemCommand(
                        title,
                        f"{entry.name} · {help_text}",
                        lambda mode=entry.mode, action=action: self._run_on(mode, action),
                    )
        for node, binding, enabled, _tooltip in screen.active_bindings.values():
            # Our screens' and widgets' actions; a stock widget's cursor keys are no palette commands.
            if not enabled or not binding.description or not _ours(node, binding) or binding.description in seen:
                continue
            seen.add(binding.description)
            key = binding.key_display or self.get_key_display(binding)
            yield SystemCommand(
                binding.description,
                f"{getattr(screen, 'SCREEN_NAME', '')} · key {key}".strip(" ·"),
                lambda action=binding.action, namespace=node: self.call_later(self.run_action, action, namespace),
            )
        yield from getattr(screen, "palette_commands", lambda: ())()
        if self.workspace is not None:
            from gtm_tui.screens.dialogs.export_import import start_export, start_import
            from gtm_tui.screens.pushed.conflicts import ConflictsScreen, fold_copies
            from gtm_tui.sharing.copies import conflict_copies

            if "Who am I" not in seen:
                yield SystemCommand(
                    "Who am I",
                    "Say who sits at this keyboard (kept on this machine for this pilot)",
                    self.action_who_am_i,
                )
            yield SystemCommand(
                "Conflicts",
                "Merge conflicts to settle: keep the current value or take the other",
                self.action_conflicts,
            )
            if conflict_copies(self.workspace) and not isinstance(screen, ConflictsScreen):
                yield SystemCommand(
                    "Fold in conflict copies",
                    "Merge the synced folder's conflict copies into this file",
                    lambda: fold_copies(self),
                )

            yield SystemCommand(
                "Export…", "Write the pilot as Excel, CSV, a calendar (.ics) …", lambda: start_export(self)
            )
            yield SystemCommand("Handover pack…", "One folder to read without the app: index, flowchart, checklists, "
                                "RACI, each person's page, report, calendar", lambda: start_export(self, "handover"))
            yield SystemCommand(
                "Import…",
                "Bring in our CSV/Excel, a Trello board, an Asana export, a RACI matrix or retro notes",
                lambda: start_import(self),
            )
        yield SystemCommand("Help", "Show every key (? or F1)", self.action_help)
        yield SystemCommand("Undo", "Undo the last change (ctrl+z)", self.action_undo)
        yield SystemCommand("Redo", "Make again the change just undone (ctrl+y or ctrl+shift+z)", self.action_redo)
        yield from super().get_system_commands(screen)
