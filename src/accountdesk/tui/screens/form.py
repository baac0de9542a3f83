"""What the sign-in forms share: one submit button, its in-flight guard, the status line, the
field focused first, and the way back."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Awaitable, Callable
from typing import ClassVar

from textual import events, on
from textual.widgets import Button

from accountdesk.api import ApiError
from accountdesk.session import SessionExpiredError, SessionManager
from accountdesk.tui.context import BackendNotReadyError, services_of, session_of
from accountdesk.tui.screens.base import AccountDeskScreen
from accountdesk.tui.widgets.form_field import FormStatus, failure_message, show_sending


class FormScreen(AccountDeskScreen):
    """A form sent by its primary button, ctrl+s (``action_submit``) or enter in its last field.

    Subclasses name their widgets in ``SUBMIT_BUTTON`` and ``STATUS`` (ids without ``#``),
    say which control gets the focus first (`first_focus`), and implement `send`: validate,
    then start the request worker. The worker calls ``show_sending(self.submit_button, False)``
    when the request is done.
    """

    SUBMIT_BUTTON: ClassVar[str]
    STATUS: ClassVar[str]

    @property
    def submit_button(self) -> Button:
        return self.query_one(f"#{self.SUBMIT_BUTTON}", Button)

    @property
    def form_status(self) -> FormStatus:
        return self.query_one(f"#{self.STATUS}", FormStatus)

    @abstractmethod
    def first_focus(self) -> str:
        """The selector of the control focused when the screen opens."""

    @abstractmethod
    def send(self) -> None:
        """Check the fields; if they are fine, `start_sending` and start the request worker."""

    @on(events.Mount)
    def _focus_first_field(self) -> None:
        self.query_one(self.first_focus()).focus()

    def action_back(self) -> None:
        self.dismiss()

    def action_submit(self) -> None:
        self.submit()

    def submit(self) -> None:
        if self.submit_button.loading:
            return  # enter/ctrl+s while the request is on its way: one request is enough
        self.send()

    @on(Button.Pressed)
    def _submit_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == self.SUBMIT_BUTTON:
            event.stop()
            self.submit()

    def start_sending(self) -> None:
        """Mark the submit button busy, in the handler that starts the worker."""
        show_sending(self.submit_button, True)

    def show_failure(self, error: Exception) -> None:
        """Say on the status line why a request failed (no single field explains it)."""
        self.form_status.show_error(failure_message(error, services_of(self).base_url))

    async def request(
        self, call: Callable[[SessionManager], Awaitable[object]], button: Button
    ) -> bool:
        """Run ``call`` with ``button`` busy; a failure goes to the status line. True if it worked.

        For requests whose failures no field explains; the others catch their own errors.
        """
        self.form_status.clear()
        try:
            await call(session_of(self))
        except (ApiError, SessionExpiredError, BackendNotReadyError) as error:
            self.show_failure(error)
            return False
        finally:
            show_sending(button, False)
        return True
