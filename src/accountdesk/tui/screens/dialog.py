"""The frame of a dialog: a modal screen with its own footer.

A `ModalScreen` without a footer leaves the footer of the screen behind it visible, listing
keys that the dialog does not answer to; its own footer lists the dialog's keys.
"""

from __future__ import annotations

from typing import TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import ActiveBinding
from textual.screen import ModalScreen
from textual.widgets import Footer
from textual.worker import Worker, WorkerState

from accountdesk.tui.localized_bindings import localized
from accountdesk.tui.messages import WorkerFailed

ResultType = TypeVar("ResultType")


class DialogScreen(ModalScreen[ResultType]):
    """Subclasses yield their content from `compose_dialog`."""

    def compose(self) -> ComposeResult:
        yield from self.compose_dialog()
        yield Footer()

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return localized(super().active_bindings)

    def compose_dialog(self) -> ComposeResult:
        """The dialog's own widgets."""
        yield from ()

    @on(Worker.StateChanged)
    def _hand_unhandled_failure_to_the_app(self, event: Worker.StateChanged) -> None:
        # As on every screen: the app reports failed workers in one place.
        if event.state is WorkerState.ERROR:
            self.app.post_message(WorkerFailed(event.worker))
