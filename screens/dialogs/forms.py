"""One form for every "add" and "edit" in the app, and a yes/no confirmation.

A screen describes its fields and passes a ``submit`` callback that does the
work through the Workspace. When the callback raises ``ValidationError`` the
form stays open with everything typed, shows the reason under the field it
names and focuses it: nothing the user typed is lost. The same goes when the
save cannot happen at all: the record was deleted meanwhile (ctrl+r re-creates
it with what was typed), the shared file was deleted or replaced (ctrl+s tries
again), or a teammate changed the same field (the form asks before saving
over it); ctrl+o writes what was typed to a side file beside the workspace.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from gtm_tui.data.model import ValidationError
from gtm_tui.data.unsaved import save_unsaved
from gtm_tui.data.workspace import NewerValue, RecordNotFound, SaveError
from gtm_tui.screens.drafts import Drafts, form_key
from gtm_tui.screens.user_text import shown

# A submit callback returns this to keep the form open: it dismisses the form itself later (after a question).
STAY_OPEN: Any = object()


@dataclass
class FormField:
    """One field of a form. ``kind``: text, long (multi-line), choice (pick one) or yesno."""

    name: str
    label: str
    value: Any = ""
    kind: str = "text"
    choices: Sequence[tuple[str, Any]] = ()  # (what is shown, value stored)
    hint: str = ""
    required: bool = False
    suggestions: Sequence[str] = ()  # names a text field offers as you type (the part after the last ';')


def _same(now: Any, opened: Any, kind: str) -> bool:
    """Whether a field still holds what it opened with (empty text and no choice are the same nothing)."""
    if kind == "yesno":
        return bool(now) == bool(opened)
    if now in ("", None) and opened in ("", None):
        return True
    return bool(now == (opened if kind == "choice" else str(opened if opened is not None else "")))


def _shown_value(form_field: FormField) -> Any:
    """The value a field opened with as its widget shows it (a choice no longer offered shows as none)."""
    if form_field.kind == "choice" and form_field.value not in [choice for _, choice in form_field.choices]:
        return None
    return form_field.value


class SegmentSuggester(Suggester):
    """Completes the part typed after the last ``;`` with one of ``names`` followed by ``": "``.

    So a list typed as "name: number; name: number" is offered the known names
    one pair at a time (→ accepts the suggestion).
    """

    def __init__(self, names: Sequence[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.names = list(names)

    async def get_suggestion(self, value: str) -> str | None:
        head, sep, typed = value.rpartition(";")
        start = typed.lstrip()
        if not start or ":" in start or "=" in start:
            return None
        for name in self.names:
            if name.casefold().startswith(start.casefold()) and len(name) > len(start):
                return f"{head}{sep}{typed[: len(typed) - len(start)]}{start}{name[len(start):]}: "
        return None


class FormScreen(ModalScreen[Any]):
    """A modal form; dismisses with what ``submit`` returned, or None when cancelled."""

    # The first field has the focus as the form is shown (not the scrolling box around the fields), so the
    # keys typed right after the key that opened the form land in it.
    AUTO_FOCUS = "Input, TextArea, Select, Checkbox"

    DEFAULT_CSS = """
    FormScreen { align: center middle; }
    FormScreen > #form { width: 72; max-width: 100%; height: auto; max-height: 90%;
        border: thick $accent; background: $surface; padding: 0 1; }
    FormScreen #form-title { width: 100%; text-style: bold; padding: 0 0 1 0; }  /* a long title wraps, never cut */
    FormScreen #form-notice { color: $warning; height: auto; padding: 0 0 1 0; }
    FormScreen #form-notice.-empty { display: none; }
    FormScreen .field-row { height: auto; }
    FormScreen .field-label { width: 20; color: $text-muted; padding: 1 1 0 0; }
    FormScreen .field-row > Input, FormScreen .field-row > Select, FormScreen .field-row > TextArea { width: 1fr; }
    FormScreen .field-error { color: $error; height: auto; padding: 0 0 0 20; }
    FormScreen .field-hint { color: $text-muted; height: auto; padding: 0 0 0 20; }
    FormScreen .field-error.-empty, FormScreen #form-error.-empty { display: none; }
    FormScreen #form-error { color: $error; height: auto; }
    FormScreen TextArea { height: 5; }
    FormScreen #form-buttons { height: auto; align-horizontal: right; padding: 1 0 0 0; }
    FormScreen #form-buttons Button { margin-left: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "submit", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+r", "recreate", "Re-create the deleted record", priority=True),
        Binding("ctrl+o", "side_file", "Save what I typed to a side file", priority=True),
        Binding("ctrl+n", "save_and_add", "Save and add another", priority=True),
        Binding("ctrl+l", "start_over", "Start over without the draft", priority=True),
        # Not priority: a long field (TextArea) undoes its own typing first; a one-line field has no undo of its
        # own, and the app's ctrl+z would undo a saved change behind the form while it is being filled in.
        Binding("ctrl+z", "undo_waits", "Undo (after the form)", show=False),
        Binding("ctrl+y,ctrl+shift+z", "undo_waits(True)", "Redo (after the form)", show=False),
    ]

    def __init__(self, title: str, fields: Sequence[FormField], submit: Callable[[dict[str, Any]], Any], *,
                 notice: str = "", add_another: Callable[[], FormScreen] | None = None) -> None:
        """``notice``: a line shown above the fields (a warning to weigh before saving, never a question
        that could throw the typing away); ``add_another``: makes the next empty form for ctrl+n."""
        super().__init__()
        self.form_title = title
        self.fields = list(fields)
        self._submit = submit
        self.notice = notice
        self._add_another = add_another
        self._opened_with = {form_field.name: form_field.value for form_field in self.fields}
        self.draft_key = form_key(title, self._opened_with)
        self._draft_restored = False
        self._recreate: Callable[[], Any] | None = None  # set when the record was deleted while the form was open
        self._not_saved = ""  # why the last save failed, once it did (ctrl+o is offered from then on)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form"):
            yield Label(shown(self.form_title), id="form-title")
            yield Static(shown(self.notice, multiline=True), id="form-notice", classes="" if self.notice else "-empty")
            for form_field in self.fields:
                label = form_field.label + (" *" if form_field.required else "")
                with Horizontal(classes="field-row"):
                    yield Label(Text("" if form_field.kind == "yesno" else label), classes="field-label")
                    yield self._widget_for(form_field)
                if form_field.hint and (form_field.kind != "text" or form_field.suggestions):
                    yield Static(Text(form_field.hint), classes="field-hint")  # a plain text field: as placeholder
                yield Static("", id=f"error-{form_field.name}", classes="field-error -empty")
            yield Static("", id="form-error", classes="-empty")
            with Horizontal(id="form-buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                if self._add_another is not None:
                    yield Button("Save, add another (ctrl+n)", id="save-add")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        # Opened while the app quits (q, then a key at once) the form is mounted without its fields.
        if self.fields:
            for first in self.query(f"#field-{self.fields[0].name}"):
                first.focus()
            drafts = self._drafts()
            draft = drafts.get(self.draft_key) if drafts is not None else None
            if draft is not None:
                self._fill(draft)
                self._draft_restored = True
                self._say_notice("What you typed last time is back (ctrl+l starts over without it).")
                self.refresh_bindings()

    def _drafts(self) -> Drafts | None:
        drafts = getattr(self.app, "drafts", None)
        return drafts if isinstance(drafts, Drafts) else None

    def _say_notice(self, line: str) -> None:
        notice = self.query_one("#form-notice", Static)
        notice.update(shown("\n".join(part for part in (self.notice, line) if part), multiline=True))
        notice.remove_class("-empty")

    def _fill(self, values: dict[str, Any]) -> None:
        """Put ``values`` into the fields (a draft coming back, or the values the form opened with)."""
        for form_field in self.fields:
            if form_field.name not in values:
                continue
            value = values[form_field.name]
            for widget in self.query(f"#field-{form_field.name}"):
                if isinstance(widget, TextArea):
                    widget.load_text(str(value or ""))
                elif isinstance(widget, Select):
                    known = value in [choice for _, choice in form_field.choices]
                    widget.value = value if known else Select.NULL
                elif isinstance(widget, Checkbox):
                    widget.value = bool(value)
                elif isinstance(widget, Input):
                    widget.value = str(value or "")

    @property
    def typed(self) -> bool:
        """Whether the fields hold anything other than what the form opened with."""
        if not self.is_mounted or not self.fields:
            return False
        now = self.values()
        return any(not _same(now[form_field.name], _shown_value(form_field), form_field.kind)
                   for form_field in self.fields)

    def unsaved_work(self) -> str | None:
        """What quitting now would lose (asked about before the app quits)."""
        return f"what you typed in “{self.form_title}”" if self.typed else None

    def _widget_for(self, form_field: FormField) -> Widget:
        widget_id = f"field-{form_field.name}"
        if form_field.kind == "long":
            return TextArea(str(form_field.value or ""), id=widget_id, soft_wrap=True)
        if form_field.kind == "yesno":
            return Checkbox(form_field.label, bool(form_field.value), id=widget_id)
        if form_field.kind == "choice":
            options = [(shown(label), value) for label, value in form_field.choices]
            values = [value for _, value in form_field.choices]
            value = form_field.value if form_field.value in values else Select.NULL
            return Select(options, value=value, id=widget_id, allow_blank=not form_field.required, prompt="(none)")
        suggester = SegmentSuggester(form_field.suggestions) if form_field.suggestions else None
        return Input(str(form_field.value or ""), placeholder=form_field.hint, id=widget_id, suggester=suggester)

    def values(self) -> dict[str, Any]:
        """What is in the form now: text for text fields, the chosen value (or None), a bool for yes/no."""
        result: dict[str, Any] = {}
        for form_field in self.fields:
            widget = self.query_one(f"#field-{form_field.name}")
            if isinstance(widget, TextArea):
                result[form_field.name] = widget.text
            elif isinstance(widget, Select):
                result[form_field.name] = None if widget.value is Select.NULL else widget.value
            elif isinstance(widget, Checkbox):
                result[form_field.name] = widget.value
            else:
                result[form_field.name] = widget.value  # type: ignore[attr-defined]
        return result

    def show_error(self, field: str, message: str) -> None:
        """Show ``message`` under ``field`` (or at the bottom when the form has no such field) and focus it."""
        for static in self.query(".field-error, #form-error").results(Static):
            static.update("")
            static.add_class("-empty")
        names = {form_field.name for form_field in self.fields}
        target = self.query_one(f"#error-{field}" if field in names else "#form-error", Static)
        target.update(shown(message, multiline=True))
        target.remove_class("-empty")
        if field in names:
            self.query_one(f"#field-{field}").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "recreate":
            return self._recreate is not None
        if action == "side_file":
            return bool(self._not_saved) and self._workspace_path() is not None
        if action == "save_and_add":
            return self._add_another is not None
        if action == "start_over":
            return self._draft_restored
        return True

    def action_submit(self) -> None:
        """Save what the fields hold once the keys already typed into them are processed.

        ctrl+s is a priority key: the app acts on it at once, while the
        characters typed just before it may still wait in the focused field's
        queue (a fast typist, a paste, a browser session sending keys in one
        burst). Queued behind them on that same field, the save sees them all.
        """
        (self.focused or self).call_later(self._submit_now)

    def _submit_now(self, then_add: bool = False) -> None:
        if not self.is_attached or self.app.screen is not self:
            return  # dismissed meanwhile (escape typed after ctrl+s)
        self._save(lambda: self._submit(self.values()), then_add=then_add)

    def action_save_and_add(self) -> None:
        """Save, then open the same form empty for the next one."""
        (self.focused or self).call_later(self._submit_now, True)

    def action_undo_waits(self, redo: bool = False) -> None:
        """Say that undo and redo act on saved changes, so they wait until the form is closed; nothing changes."""
        key = "ctrl+y" if redo else "ctrl+z"
        self._say_notice(f"{key} {'redoes' if redo else 'undoes'} saved changes: save or close the form first "
                         "(esc keeps what you typed as a draft).")

    def action_start_over(self) -> None:
        """Drop the draft that came back and show the values the form opened with."""
        drafts = self._drafts()
        if drafts is not None:
            drafts.drop(self.draft_key)
        self._fill(self._opened_with)
        self._draft_restored = False
        notice = self.query_one("#form-notice", Static)
        notice.update(shown(self.notice, multiline=True))
        notice.set_class(not self.notice, "-empty")
        self.refresh_bindings()

    def _save(self, save: Callable[[], Any], then_add: bool = False) -> None:
        """Run ``save``; on success close with its result, else keep everything typed and say what happened."""
        try:
            result = save()
        except NewerValue as error:
            self._ask_to_overwrite(error)
            return
        except RecordNotFound as error:
            self._recreate = error.recreate
            keys = "ctrl+r re-creates it with what you typed, " if error.recreate else ""
            self._failed(
                f"{str(error).capitalize()}. What you typed is still here: {keys}ctrl+o saves it to a side file, "
                "esc leaves.",
                str(error),
            )
            return
        except ValidationError as error:
            self.show_error(error.field, str(error))
            return
        except SaveError as error:
            self._failed(f"{error}. What you typed is still here: ctrl+s tries again, ctrl+o saves it to a side file.",
                         str(error))
            return
        drafts = self._drafts()
        if drafts is not None:
            drafts.drop(self.draft_key)
        if result is not STAY_OPEN:
            self.dismiss(result if result is not None else True)
            if then_add and self._add_another is not None:
                self.app.push_screen(self._add_another())

    def _failed(self, message: str, reason: str) -> None:
        self._not_saved = reason
        self.show_error("", message)
        self.refresh_bindings()

    def _ask_to_overwrite(self, error: NewerValue) -> None:
        labels = {form_field.name: form_field.label for form_field in self.fields}
        details = [f"{labels.get(name, name.replace('_', ' '))}: now {theirs!r}, yours {mine!r}"
                   for name, (theirs, mine) in error.fields.items()]

        def answer(overwrite: bool | None) -> None:
            if overwrite:
                with error.workspace.overwriting_newer():
                    self._save(lambda: self._submit(self.values()))
            else:
                self.show_error(
                    "", "Not saved: a teammate's newer value is kept. Change your entry, or esc to leave it."
                )

        self.app.push_screen(ConfirmScreen(f"{str(error.reason).capitalize()}. Save yours over theirs?", details,
                                           yes="Save mine"), answer)

    def action_recreate(self) -> None:
        """Add the record a teammate deleted back, with what was typed in the form."""
        recreate = self._recreate
        if recreate is None:
            return
        self._recreate = None
        self.refresh_bindings()
        self._save(recreate)

    def _workspace_path(self) -> Any:
        workspace = getattr(self.app, "workspace", None)
        return getattr(workspace, "path", None)

    def action_side_file(self) -> None:
        """Write what the form holds to a text file beside the workspace (when it could not be saved into it)."""
        path = self._workspace_path()
        if path is None:
            return
        values = self.values()
        entries = []
        for form_field in self.fields:
            value = values.get(form_field.name)
            if form_field.kind == "choice":
                value = next((str(label) for label, choice in form_field.choices if choice == value), value)
            entries.append((form_field.label, value))
        try:
            written = save_unsaved(path, self.form_title, entries, self._not_saved)
        except OSError as error:
            self.show_error(
                "", f"Could not write a side file either: {error.strerror or error}. What you typed is still here."
            )
            return
        self.app.notify(f"What you typed is in {written}.", title="Saved to a side file", timeout=15)
        self.dismiss(None)

    def action_cancel(self) -> None:
        """Close the form; what was typed stays as a draft, back on the next open of the same form."""
        drafts = self._drafts()
        if drafts is not None and self.typed:
            drafts.keep(self.draft_key, f"what you typed in “{self.form_title}”", self.values())
            self.app.notify(f"Kept as a draft: open “{self.form_title}” again to go on.", title="Not saved yet")
        elif drafts is not None:
            drafts.drop(self.draft_key)
        self.dismiss(None)

    @on(Input.Submitted)
    def _next_or_submit(self, event: Input.Submitted) -> None:
        inputs = list(self.query("Input, Select, Checkbox, TextArea"))
        if inputs and event.input is inputs[-1]:
            self._submit_now()  # the enter came after every key typed into the field: they are all in it
        else:
            self.focus_next()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#save-add")
    def _save_add_pressed(self) -> None:
        self.action_save_and_add()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()


class ConfirmScreen(ModalScreen[bool]):
    """Ask a yes/no question; ``y`` / enter confirms, ``n`` / escape declines."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > #confirm { width: 70; max-width: 100%; height: auto; max-height: 80%;
        border: thick $warning; background: $surface; padding: 1 2; }
    ConfirmScreen #confirm-buttons { height: auto; align-horizontal: right; padding: 1 0 0 0; }
    ConfirmScreen #confirm-buttons Button { margin-left: 1; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, details: Sequence[str] = (), yes: str = "Yes") -> None:
        super().__init__()
        self.question = question
        self.details = list(details)
        self.yes = yes

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="confirm"):
            yield Static(shown(self.question, style="bold"))
            if self.details:
                first = self.details[:12]
                more = len(self.details) - len(first)
                lines = "\n".join(f"  • {line}" for line in first) + (f"\n  … and {more} more" if more > 0 else "")
                yield Static(shown(lines, multiline=True))
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self.yes} (y)", variant="error", id="yes")
                yield Button("No (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
