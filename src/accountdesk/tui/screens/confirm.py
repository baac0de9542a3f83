"""A yes/no question over the current screen."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label

from accountdesk.tui.i18n import N_, _
from accountdesk.tui.screens.dialog import DialogScreen


class ConfirmScreen(DialogScreen[bool]):
    """Dismisses with True for the confirm button / ``y``, False for cancel / ``n`` / Escape."""

    BINDINGS = [
        Binding("y", "answer(True)", N_("Yes"), id="confirm-yes"),
        Binding("n", "answer(False)", N_("No"), id="confirm-no"),
        Binding("escape", "answer(False)", N_("Cancel"), id="confirm-cancel"),
    ]

    def __init__(
        self,
        question: str,
        *,
        detail: str | None = None,
        confirm_label: str | None = None,
        cancel_label: str | None = None,
        destructive: bool = False,
    ) -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.confirm_label = confirm_label or _("Yes")
        self.cancel_label = cancel_label or _("Cancel")
        self.destructive = destructive

    def compose_dialog(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Label(self.question, id="confirm-question", markup=False)
            if self.detail:
                yield Label(self.detail, id="confirm-detail", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button(
                    self.confirm_label,
                    id="confirm-yes",
                    variant="error" if self.destructive else "primary",
                )
                yield Button(self.cancel_label, id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-yes", Button).focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed, "#confirm-yes")
    def _confirmed(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def _cancelled(self) -> None:
        self.dismiss(False)


class QuitQuestion(ConfirmScreen):
    """The question before quitting with typed input: a class of its own, so that quitting
    again while it is open quits."""
