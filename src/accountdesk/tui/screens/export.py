"""Dialogs for what a demo takes away: the folder to save a file in, and text that was copied."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static, TextArea

from accountdesk.tui.i18n import _
from accountdesk.tui.screens.dialog import DialogScreen
from accountdesk.tui.validation import folder_problem
from accountdesk.tui.widgets.form_field import FormField
from accountdesk.tui.wording import CANCEL, CLOSE, FOLDER_LABEL, SAVE, saved_as_hint


class SaveFolderScreen(DialogScreen[Path | None]):
    """Asks where to save ``file_name``; dismisses with the folder, or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", SAVE, id="save-folder-submit"),
        Binding("escape", "cancel", CANCEL, id="save-folder-cancel"),
    ]

    def __init__(self, title: str, folder: Path, file_name: str) -> None:
        super().__init__()
        self.title_text = title
        self.folder = folder
        self.file_name = file_name

    def compose_dialog(self) -> ComposeResult:
        with Vertical(id="save-dialog", classes="export-dialog"):
            yield Label(self.title_text, classes="export-title", markup=False)
            yield FormField(
                _(FOLDER_LABEL),
                Input(str(self.folder), id="save-folder"),
                hint=saved_as_hint(self.file_name),
                check=folder_problem,
                required=True,
                id="save-folder-field",
            )
            with Horizontal(classes="export-buttons"):
                yield Button(_(SAVE), id="save-folder-save", variant="primary")
                yield Button(_(CANCEL), id="save-folder-cancel")

    def on_mount(self) -> None:
        self.query_one("#save-folder", Input).focus()

    def action_save(self) -> None:
        field = self.query_one("#save-folder-field", FormField)
        if field.validate():
            self.dismiss(Path(field.value.strip()).expanduser())

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#save-folder")
    @on(Button.Pressed, "#save-folder-save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#save-folder-cancel")
    def _cancel(self) -> None:
        self.action_cancel()


class CopiedTextScreen(DialogScreen[None]):
    """Text the app sent to the clipboard, shown selectable (not every terminal passes OSC 52)."""

    BINDINGS = [Binding("escape", "close", CLOSE, id="copied-text-close")]

    def __init__(self, title: str, note: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.note = note
        self.text = text

    def compose_dialog(self) -> ComposeResult:
        with Vertical(id="copied-dialog", classes="export-dialog"):
            yield Label(self.title_text, classes="export-title", markup=False)
            yield Static(self.note, classes="export-note", markup=False)
            yield TextArea(self.text, read_only=True, soft_wrap=True, id="copied-text")
            with Horizontal(classes="export-buttons"):
                yield Button(_(CLOSE), id="copied-text-close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#copied-text", TextArea).focus()

    def action_close(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#copied-text-close")
    def _close(self) -> None:
        self.dismiss(None)
