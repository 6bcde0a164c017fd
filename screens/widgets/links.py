"""Following a stage's or checklist item's links: open a web link, copy a path (or any link on request).

The rules (what a link is, how it is typed, how the system opens it) are in
``gtm_tui/process/links.py``; this only picks the link (a choice when there
are several) and tells the user what happened.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.screen import Screen

from gtm_tui.data.model import ValidationError
from gtm_tui.process.links import OpenError, describe, format_links, is_web, open_web_link
from gtm_tui.screens.dialogs.forms import FormField, FormScreen

LINKS_HINT = "one a line: Label | https://… or Label | /Shared drives/…"


def links_field(links: Sequence[dict[str, Any]]) -> FormField:
    """The form field "Where to find it" (links one a line)."""
    return FormField("links", "Where to find it", format_links(links), kind="long", hint=LINKS_HINT)


def links_text(links: Sequence[dict[str, Any]]) -> Text:
    """Links for a detail pane: "Where to find it: label → target · …" (empty without links)."""
    text = Text()
    if links:
        text.append("Where to find it: ", style="bold")
        text.append(" · ".join(describe(link) for link in links))
        text.append("  (g opens, y copies)", style="dim")
    return text


def follow(screen: Screen, links: Sequence[dict[str, Any]], *, copy: bool, where: str) -> None:
    """Open (``copy`` False: a web link opens, a path is copied) or copy one of ``links``; asks which when several."""
    if not links:
        screen.notify(f"{where} has no links yet; e edits it (Where to find it).", markup=False)
        return
    if len(links) == 1:
        _act(screen, links[0], copy=copy)
        return
    choices = [(describe(link), index) for index, link in enumerate(links)]

    def submit(values: dict[str, Any]) -> int:
        if values.get("link") is None:
            raise ValidationError("link", "pick a link")
        return int(values["link"])

    field = FormField("link", "Link", 0, kind="choice", choices=choices, required=True)
    verb = "copy" if copy else "open"
    screen.app.push_screen(FormScreen(f"Which link of {where} to {verb}?", [field], submit),
                           lambda index: _act(screen, links[index], copy=copy) if index is not None else None)


def _act(screen: Screen, link: dict[str, Any], *, copy: bool) -> None:
    target = str(link["target"])
    if not copy and is_web(target):
        try:
            open_web_link(target)
        except OpenError as error:
            screen.app.copy_to_clipboard(target)
            screen.notify(f"{error}; the link was copied instead: {target}", severity="warning", markup=False)
            return
        screen.notify(f"Opening {describe(link)}", markup=False)
        return
    screen.app.copy_to_clipboard(target)
    what = "path" if not is_web(target) else "link"
    screen.notify(f"Copied the {what}: {target}", markup=False)
